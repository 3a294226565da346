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
    log_group_names,
    maintenance_windows,
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


class ManagedPostgres(AdmitsClients):
    """RDS PostgreSQL that only the given security groups can reach, over TLS only."""

    address: pulumi.Output[str]
    resource_id: pulumi.Output[str]
    port: int
    master_secret_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str]
    replica_addresses: list[pulumi.Output[str]]
    users_task: UsersTask | None

    def __init__(self, name: str, args: ManagedPostgresArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("webstack:data:ManagedPostgres", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        context = aws_context(self)
        identifiers = [args.identifier] + [replica_identifier(args.identifier, i) for i in range(args.read_replicas)]
        log_names = [n for ident in identifiers for n in log_group_names(ident)]
        key = customer_managed_key(
            f"{name}-key",
            description=f"{args.identifier}: storage, snapshots, master secret, insights, logs",
            alias=f"{args.identifier}",
            context=context,
            parent=self,
            service_statements=lambda region, account: [
                logs_key_statement(
                    region, account, [f"/aws/rds/instance/{args.identifier}*", bootstrap_log_group(args.identifier)]
                )
            ],
        )
        log_groups = [
            encrypted_log_group(
                f"{name}-log-{index}",
                log_group_name=log_name,
                key=key,
                retention_days=args.log_retention_days,
                parent=self,
            )
            for index, log_name in enumerate(log_names)
        ]
        security_group = restricted_security_group(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description=f"{args.identifier}: PostgreSQL from application groups only",
            port=PORT,
            source_security_group_ids=args.client_security_group_ids,
            parent=self,
        )
        subnet_group = aws.rds.SubnetGroup(
            f"{name}-subnets",
            description=f"{args.identifier}: isolated subnets",
            subnet_ids=list(args.subnet_ids),
            opts=child,
        )
        parameter_group = aws.rds.ParameterGroup(
            f"{name}-params",
            family=parameter_family(args.engine_version),
            description=f"{args.identifier}: TLS only, slow-query and connection logging",
            parameters=[
                aws.rds.ParameterGroupParameterArgs(name=p.name, value=p.value, apply_method=p.apply_method)
                for p in postgres_parameters()
            ],
            opts=child,
        )
        monitoring_role = None
        if args.monitoring_interval_seconds:
            monitoring_role = service_role(
                f"{name}-monitoring-role",
                service="monitoring.rds.amazonaws.com",
                description=f"RDS enhanced monitoring for {args.identifier}",
                source_arn=lambda region, account: f"arn:aws:rds:{region}:{account}:db:{args.identifier}*",
                policy=rds_enhanced_monitoring_policy,
                context=context,
                parent=self,
            )

        windows = maintenance_windows(args.schedule)

        def db_instance(resource_name: str, identifier: str, source: aws.rds.Instance | None) -> aws.rds.Instance:
            """The primary (source None) or a read replica of it; replicas inherit engine,
            storage, credentials and subnets from the primary."""
            primary = source is None
            return aws.rds.Instance(
                resource_name,
                identifier=identifier,
                replicate_source_db=None if primary else source.identifier,
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
                db_subnet_group_name=subnet_group.name if primary else None,
                vpc_security_group_ids=[security_group.id],
                parameter_group_name=parameter_group.name,
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
                monitoring_role_arn=monitoring_role.arn if monitoring_role else None,
                auto_minor_version_upgrade=True,
                # With deletion protection on, `pulumi destroy` stops here too, before AWS refuses.
                opts=pulumi.ResourceOptions(
                    parent=self, depends_on=log_groups, protect=args.deletion_protection and primary
                ),
            )

        primary = db_instance(f"{name}-primary", args.identifier, None)
        replicas = [
            db_instance(f"{name}-replica-{index}", replica_identifier(args.identifier, index), primary)
            for index in range(args.read_replicas)
        ]

        max_connections = args.max_connections_alarm or estimated_max_connections(args.instance_class)
        if max_connections is None:
            raise ValueError(f"max_connections_alarm is required for {args.instance_class}: its memory is unknown")
        for ident in identifiers:
            specs = postgres_alarm_specs(ident, args.allocated_storage_gb, max_connections)
            create_alarms(
                f"{name}-{ident}",
                quiet_while_stopped(specs) if args.schedule else specs,
                args.alarm_actions,
                self,
            )

        if args.schedule is not None:
            self._stop_out_of_hours(name, args, args.schedule, context, key)

        self.address = primary.address
        self.resource_id = primary.resource_id
        self.master_secret_arn = primary.master_user_secrets.apply(
            lambda secrets: (secrets[0].secret_arn or "") if secrets else ""
        )
        self.users_task = (
            users_task(
                f"{name}-users",
                identifier=args.identifier,
                engine_version=args.engine_version,
                image=args.users_task_image,
                host=primary.address,
                port=PORT,
                database=args.database_name,
                users=args.iam_users,
                master_secret_arn=self.master_secret_arn,
                key=key,
                log_retention_days=args.log_retention_days,
                context=context,
                parent=self,
            )
            if args.iam_users
            else None
        )
        self._context = context
        self.port = PORT
        self.security_group_id = security_group.id
        self._security_group = security_group
        self.kms_key_arn = key.arn
        self._name = name
        self._port = PORT
        self._service = "PostgreSQL"
        self.replica_addresses = [r.address for r in replicas]
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

    def _stop_out_of_hours(
        self, name: str, args: ManagedPostgresArgs, hours: WorkingHours, context: AwsContext, key: aws.kms.Key
    ) -> None:
        """A schedule group of two schedules that start the instance at the start hour and stop
        it at the stop hour, and an alarm when one of them gives up."""
        identifier = args.identifier
        days, start, stop = hours
        group = aws.scheduler.ScheduleGroup(
            f"{name}-schedules", name=identifier, opts=pulumi.ResourceOptions(parent=self)
        )
        role = service_role(
            f"{name}-scheduler-role",
            service="scheduler.amazonaws.com",
            description=f"Stops {identifier} out of working hours and starts it again",
            # Scheduler names the schedule group as the source, never the schedule.
            source_arn=lambda region, account: f"arn:aws:scheduler:{region}:{account}:schedule-group/{identifier}",
            policy=lambda region, account, key_arn: rds_start_stop_policy(region, account, identifier, key_arn),
            policy_inputs=[key.arn],
            context=context,
            parent=self,
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
                opts=pulumi.ResourceOptions(parent=self),
            )
        create_alarms(f"{name}-schedules", scheduler_alarm_specs(identifier), args.alarm_actions, self)
