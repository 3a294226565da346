"""ManagedPostgres: RDS PostgreSQL in isolated subnets, encrypted, TLS-only, password in Secrets Manager."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .alarms import create_alarms, quiet_while_stopped
from .aws_context import AwsContext, aws_context
from .database_users import UsersTask, bootstrap_log_group, users_task
from .encryption_key import customer_managed_key
from .iam_documents import logs_key_statement, rds_enhanced_monitoring_policy, rds_start_stop_policy
from .log_groups import DEFAULT_RETENTION_DAYS, encrypted_log_group
from .postgres_settings import (
    LOG_EXPORTS,
    PORT,
    estimated_max_connections,
    instance_windows,
    log_group_names,
    parameter_family,
    postgres_alarm_specs,
    postgres_parameters,
    replica_identifier,
    scheduler_alarm_specs,
)
from .restricted_security_group import AdmitsClients, restricted_security_group
from .service_role import service_role
from .working_hours import WorkingHours, rds_start_stop_targets, start_cron, stop_cron


@dataclass(frozen=True)
class ManagedPostgresArgs:
    identifier: str
    """The DB instance identifier, also the start of its log groups' and replicas' names: 1-63 letters, digits
    or hyphens, starting with a letter. Example: "acme-prod-db".
    """
    vpc_id: pulumi.Input[str]
    """The VPC of the database's security group. Example: vpc.vpc_id."""
    subnet_ids: Sequence[pulumi.Input[str]]
    """Subnets of the DB subnet group: the isolated ones, in at least two AZs. Example: vpc.isolated_subnet_ids."""
    client_security_group_ids: Sequence[pulumi.Input[str]] = ()
    """Security groups admitted on 5432 (one ingress rule each; nothing else is). Example:
    [api.task_security_group_id].
    """
    engine_version: str = "15"
    """PostgreSQL major version; RDS applies minor upgrades itself (auto_minor_version_upgrade). Example: "16"."""
    instance_class: str = "db.t4g.micro"
    """A class RDS for PostgreSQL offers (components/instance_classes.csv). db.t4g.micro is $11.68 a month
    single-AZ in us-east-1: right for dev, small for production. Example: "db.m7g.large".
    """
    allocated_storage_gb: int = 20
    """Initial gp3 storage in GB (20 is RDS's gp3 minimum; storage cannot shrink later). Example: 100."""
    max_allocated_storage_gb: int = 100
    """Storage autoscaling ceiling in GB (at least allocated_storage_gb); storage grows when free space runs
    low and bills as it grows. Example: 500.
    """
    multi_az: bool = False
    """A synchronous standby in a second AZ with automatic failover; doubles the instance price. Example: True
    for production.
    """
    backup_retention_days: int = 7
    """Days of automated backups and point-in-time recovery (1-35). Seven is the FSBP RDS.11 minimum. Example: 14."""
    deletion_protection: bool = True
    """RDS deletion protection and Pulumi `protect` on the instance: deleting the database takes two
    deliberate steps. Example: False for a throwaway dev stack.
    """
    final_snapshot: bool = True
    """Take a final snapshot when the instance is deleted (and keep automated backups). Example: False for a
    throwaway dev stack.
    """
    performance_insights: bool = True
    """Performance Insights with 7 days' retention (free tier), encrypted with the component's key. Example: False."""
    performance_insights_retention_days: int = 7
    """Days Performance Insights keeps its data: 7 is free; 31 x months (1-23) or 731 are billed per
    vCPU-month. Example: 31.
    """
    monitoring_interval_seconds: int = 60
    """Enhanced monitoring interval (0, 1, 5, 10, 15, 30 or 60; 0 turns it off). 60 s costs almost nothing in
    CloudWatch Logs. Example: 15.
    """
    read_replicas: int = 0
    """Read replicas of the primary in the same region (0-5), each the primary's class and price. Example: 1."""
    database_name: str = "app"
    """The database created with the instance (letters, digits, underscores; starts with a letter). Example:
    "orders".
    """
    master_username: str = "app_admin"
    """The master user: its password is generated, kept and rotated by RDS in Secrets Manager. For
    administrators and the users task, never for the services. Example: "dbadmin".
    """
    log_retention_days: int = DEFAULT_RETENTION_DAYS
    """Days the exported PostgreSQL logs are kept (a CloudWatch Logs retention value). Example: 90."""
    alarm_actions: Sequence[pulumi.Input[str]] = ()
    """SNS topic ARNs told when an alarm (CPU, free storage, connections, dropped schedule) fires. Example:
    [alert_topic.arn].
    """
    max_connections_alarm: int | None = None
    """The connection count the connections alarm is based on (it fires at 80 %); None: RDS's max_connections
    formula over the class's memory. Example: 400.
    """
    schedule: WorkingHours | None = None
    """Stop the instance outside these hours with EventBridge Scheduler: (cron days, start hour UTC, stop hour
    UTC); storage and backups still bill. None: always on. Example: ("MON-FRI", 5, 18).
    """
    iam_users: Sequence[str] = ()
    """Database users that log in with IAM authentication (no password). A one-off ECS task (users_task)
    creates them; run it once the database exists. Example: ("app",).
    """
    users_task_image: str | None = None
    """The psql image of that task; None: postgres:<major>-alpine from ECR Public. Example: a private ECR copy
    when the VPC has no NAT.
    """
    backup_window: str | None = None
    """Daily window (UTC, "hh24:mi-hh24:mi", at least 30 minutes) in which RDS starts the automated backup;
    it must not overlap maintenance_window. None: 02:00-03:00, or with a schedule 30 minutes from an hour after
    the start hour. Example: "03:00-04:00".
    """
    maintenance_window: str | None = None
    """Weekly window (UTC, "ddd:hh24:mi-ddd:hh24:mi", ddd mon to sun, at least 30 minutes) in which RDS applies
    minor upgrades and patches. None: sun:03:30-sun:04:30, or with a schedule 30 minutes on Wednesday two hours
    after the start hour. Example: "mon:04:00-mon:05:00".
    """


@dataclass(frozen=True)
class _Build:
    """What every step of ManagedPostgres shares."""

    name: str
    args: ManagedPostgresArgs
    context: AwsContext
    key: aws.kms.Key
    parent: pulumi.Resource

    @property
    def child(self) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self.parent)


@dataclass(frozen=True)
class _Placement:
    """Where the instances live and what configures them."""

    security_group: aws.ec2.SecurityGroup
    subnet_group: aws.rds.SubnetGroup
    parameter_group: aws.rds.ParameterGroup
    monitoring_role: aws.iam.Role | None
    log_groups: list[aws.cloudwatch.LogGroup]


class ManagedPostgres(AdmitsClients):
    """RDS PostgreSQL that only the given security groups can reach, over TLS only.

    gp3 storage with autoscaling, encrypted (with snapshots, the RDS-managed master secret,
    Performance Insights and exported logs) by the component's own rotating CMK; isolated
    subnets, not publicly accessible; a parameter group that forces TLS 1.2+ and logs slow
    statements, connections, lock waits and DDL; IAM authentication for the services (a users
    task creates them); enhanced monitoring through an inline least-privilege role; alarms on
    CPU, free storage and connections; optional read replicas and stop/start out of hours.

    Example::

        database = ManagedPostgres("database", ManagedPostgresArgs(
            identifier="acme-prod-db", vpc_id=vpc.vpc_id, subnet_ids=vpc.isolated_subnet_ids,
            instance_class="db.m7g.large", multi_az=True, backup_retention_days=30,
            iam_users=("app",),
        ))
        database.admit("api", api.task_security_group_id)

    Cost (cost/prices.csv, us-east-1): db.t4g.micro $11.68 a month single-AZ ($23.36 Multi-AZ),
    plus gp3 storage, backups beyond the database's size, the CMK ($1) and the master secret
    ($0.40); Performance Insights' 7 days are free.
    """

    address: pulumi.Output[str]
    resource_id: pulumi.Output[str]
    port: int
    master_secret_arn: pulumi.Output[str]
    arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str]
    replica_addresses: list[pulumi.Output[str]]
    identifiers: list[str]  # the primary's, then each replica's (their metrics' DBInstanceIdentifier)
    users_task: UsersTask | None

    def __init__(self, name: str, args: ManagedPostgresArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        instance_windows(args.schedule, args.backup_window, args.maintenance_window)  # refuses bad windows
        super().__init__("webstack:data:ManagedPostgres", name, None, opts)
        context = aws_context(self)
        build = _Build(name, args, context, _database_key(name, args, context, self), self)
        placement = _placement(build)
        primary = _db_instance(build, placement, f"{name}-primary", args.identifier, None)
        replicas = [
            _db_instance(
                build, placement, f"{name}-replica-{index}", replica_identifier(args.identifier, index), primary
            )
            for index in range(args.read_replicas)
        ]
        _alarms(build)
        if args.schedule is not None:
            _stop_out_of_hours(build, args.schedule)

        self.address = primary.address
        self.arn = primary.arn
        self.resource_id = primary.resource_id
        self.master_secret_arn = primary.master_user_secrets.apply(
            lambda secrets: (secrets[0].secret_arn or "") if secrets else ""
        )
        self.users_task = _users_task(build, primary.address, self.master_secret_arn) if args.iam_users else None
        self._context = context
        self.port = PORT
        self.security_group_id = placement.security_group.id
        self.kms_key_arn = build.key.arn
        # What AdmitsClients.admit needs to let a client in later.
        self._security_group = placement.security_group
        self._name = name
        self._port = PORT
        self._service = "PostgreSQL"
        self.replica_addresses = [r.address for r in replicas]
        self.identifiers = _identifiers(args)
        self.register_outputs(
            {
                "address": self.address,
                "masterSecretArn": self.master_secret_arn,
                "securityGroupId": self.security_group_id,
            }
        )

    def connect_arn(self, username: str) -> pulumi.Output[str]:
        """What ``rds-db:connect`` names to let a role log in to the primary as ``username`` with
        IAM authentication (a 15-minute token instead of a password that rotates)."""
        return pulumi.Output.concat(
            "arn:aws:rds-db:", self._context.region, ":", self._context.account_id, ":dbuser:",
            self.resource_id, "/", username,
        )  # fmt: skip


def _database_key(name: str, args: ManagedPostgresArgs, context: AwsContext, parent: pulumi.Resource) -> aws.kms.Key:
    """The CMK of storage, snapshots, the master secret, Performance Insights and the logs."""
    return customer_managed_key(
        f"{name}-key",
        description=f"{args.identifier}: storage, snapshots, master secret, insights, logs",
        alias=f"{args.identifier}",
        context=context,
        parent=parent,
        service_statements=lambda region, account: [
            logs_key_statement(
                region, account, [f"/aws/rds/instance/{args.identifier}*", bootstrap_log_group(args.identifier)]
            )
        ],
    )


def _identifiers(args: ManagedPostgresArgs) -> list[str]:
    return [args.identifier] + [replica_identifier(args.identifier, i) for i in range(args.read_replicas)]


def _placement(b: _Build) -> _Placement:
    """Log groups made before RDS writes them, the security group, the isolated subnet group,
    the TLS-only parameter group and the enhanced-monitoring role."""
    args = b.args
    log_names = [n for ident in _identifiers(args) for n in log_group_names(ident)]
    log_groups = [
        encrypted_log_group(
            f"{b.name}-log-{index}",
            log_group_name=log_name,
            key=b.key,
            retention_days=args.log_retention_days,
            parent=b.parent,
        )
        for index, log_name in enumerate(log_names)
    ]
    security_group = restricted_security_group(
        f"{b.name}-sg",
        vpc_id=args.vpc_id,
        description=f"{args.identifier}: PostgreSQL from application groups only",
        port=PORT,
        source_security_group_ids=args.client_security_group_ids,
        parent=b.parent,
    )
    subnet_group = aws.rds.SubnetGroup(
        f"{b.name}-subnets",
        description=f"{args.identifier}: isolated subnets",
        subnet_ids=list(args.subnet_ids),
        opts=b.child,
    )
    parameter_group = aws.rds.ParameterGroup(
        f"{b.name}-params",
        family=parameter_family(args.engine_version),
        description=f"{args.identifier}: TLS only, slow-query and connection logging",
        parameters=[
            aws.rds.ParameterGroupParameterArgs(name=p.name, value=p.value, apply_method=p.apply_method)
            for p in postgres_parameters()
        ],
        opts=b.child,
    )
    monitoring_role = (
        service_role(
            f"{b.name}-monitoring-role",
            service="monitoring.rds.amazonaws.com",
            description=f"RDS enhanced monitoring for {args.identifier}",
            source_arn=lambda region, account: f"arn:aws:rds:{region}:{account}:db:{args.identifier}*",
            policy=rds_enhanced_monitoring_policy,
            context=b.context,
            parent=b.parent,
        )
        if args.monitoring_interval_seconds
        else None
    )
    return _Placement(security_group, subnet_group, parameter_group, monitoring_role, log_groups)


def _db_instance(
    b: _Build, placement: _Placement, resource_name: str, identifier: str, source: aws.rds.Instance | None
) -> aws.rds.Instance:
    """The primary (source None) or a read replica of it; replicas inherit engine, storage,
    credentials and subnets from the primary."""
    args, key = b.args, b.key
    primary = source is None
    windows = instance_windows(args.schedule, args.backup_window, args.maintenance_window)
    return aws.rds.Instance(
        resource_name,
        identifier=identifier,
        replicate_source_db=None if source is None else source.identifier,
        engine="postgres" if primary else None,
        engine_version=args.engine_version if primary else None,
        instance_class=args.instance_class,
        allocated_storage=args.allocated_storage_gb if primary else None,
        max_allocated_storage=args.max_allocated_storage_gb,
        storage_type="gp3",
        storage_encrypted=True,
        kms_key_id=key.arn,
        db_name=args.database_name if primary else None,
        username=args.master_username if primary else None,
        manage_master_user_password=True if primary else None,
        master_user_secret_kms_key_id=key.arn if primary else None,
        db_subnet_group_name=placement.subnet_group.name if primary else None,
        vpc_security_group_ids=[placement.security_group.id],
        parameter_group_name=placement.parameter_group.name,
        port=PORT,
        publicly_accessible=False,
        ca_cert_identifier="rds-ca-rsa2048-g1",
        iam_database_authentication_enabled=True,
        multi_az=args.multi_az if primary else False,
        backup_retention_period=args.backup_retention_days if primary else 0,
        backup_window=windows.backup,
        maintenance_window=windows.maintenance,
        copy_tags_to_snapshot=True,
        deletion_protection=args.deletion_protection,
        # A replica's data lives in the primary's snapshots.
        skip_final_snapshot=not (primary and args.final_snapshot),
        final_snapshot_identifier=f"{identifier}-final" if primary and args.final_snapshot else None,
        delete_automated_backups=not args.final_snapshot,
        enabled_cloudwatch_logs_exports=list(LOG_EXPORTS),
        performance_insights_enabled=args.performance_insights,
        performance_insights_kms_key_id=key.arn if args.performance_insights else None,
        performance_insights_retention_period=(
            args.performance_insights_retention_days if args.performance_insights else None
        ),
        monitoring_interval=args.monitoring_interval_seconds,
        monitoring_role_arn=placement.monitoring_role.arn if placement.monitoring_role else None,
        auto_minor_version_upgrade=True,
        # With deletion protection on, `pulumi destroy` stops here too, before AWS refuses.
        opts=pulumi.ResourceOptions(
            parent=b.parent, depends_on=placement.log_groups, protect=args.deletion_protection and primary
        ),
    )


def _alarms(b: _Build) -> None:
    """CPU, free storage and connections of every instance (quiet while stopped on schedule)."""
    args = b.args
    max_connections = args.max_connections_alarm or estimated_max_connections(args.instance_class)
    if max_connections is None:
        raise ValueError(f"max_connections_alarm is required for {args.instance_class}: its memory is unknown")
    for ident in _identifiers(args):
        specs = postgres_alarm_specs(ident, args.allocated_storage_gb, max_connections)
        create_alarms(
            f"{b.name}-{ident}",
            quiet_while_stopped(specs) if args.schedule else specs,
            args.alarm_actions,
            b.parent,
        )


def _users_task(b: _Build, host: pulumi.Output[str], master_secret_arn: pulumi.Output[str]) -> UsersTask:
    """The one-off task that creates the IAM-authenticated users."""
    args = b.args
    return users_task(
        f"{b.name}-users",
        identifier=args.identifier,
        engine_version=args.engine_version,
        image=args.users_task_image,
        host=host,
        port=PORT,
        database=args.database_name,
        users=args.iam_users,
        master_secret_arn=master_secret_arn,
        key=b.key,
        log_retention_days=args.log_retention_days,
        context=b.context,
        parent=b.parent,
    )


def _stop_out_of_hours(b: _Build, hours: WorkingHours) -> None:
    """A schedule group of two schedules that start the instance at the start hour and stop
    it at the stop hour, and an alarm when one of them gives up."""
    name, args, key, identifier = b.name, b.args, b.key, b.args.identifier
    days, start, stop = hours
    group = aws.scheduler.ScheduleGroup(f"{name}-schedules", name=identifier, opts=b.child)
    role = service_role(
        f"{name}-scheduler-role",
        service="scheduler.amazonaws.com",
        description=f"Stops {identifier} out of working hours and starts it again",
        # Scheduler names the schedule group as the source, never the schedule.
        source_arn=lambda region, account: f"arn:aws:scheduler:{region}:{account}:schedule-group/{identifier}",
        policy=lambda region, account, key_arn: rds_start_stop_policy(region, account, identifier, key_arn),
        policy_inputs=[key.arn],
        context=b.context,
        parent=b.parent,
    )
    for action, (target, payload) in rds_start_stop_targets(identifier).items():
        aws.scheduler.Schedule(
            f"{name}-{action}",
            name=f"{identifier}-{action}",
            group_name=group.name,
            description=f"{action} {identifier} ({days} {start:02d}:00-{stop:02d}:00 UTC)",
            schedule_expression=start_cron(hours) if action == "start" else stop_cron(hours),
            schedule_expression_timezone="UTC",
            flexible_time_window={"mode": "OFF"},
            # Encrypted with the database's key rather than an AWS owned one.
            kms_key_arn=key.arn,
            target={
                "arn": target,
                "role_arn": role.arn,
                "input": payload,
                "retry_policy": {"maximum_retry_attempts": 3, "maximum_event_age_in_seconds": 3600},
            },
            opts=b.child,
        )
    create_alarms(f"{name}-schedules", scheduler_alarm_specs(identifier), args.alarm_actions, b.parent)
