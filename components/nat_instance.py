"""A NAT instance: one small Graviton EC2 instance that masquerades the private subnets.

The cheap alternative to a NAT gateway (about $3 a month for a t4g.nano instead of $33) at
the same exposure: no SSH key, no instance profile, IMDSv2 only, an encrypted root volume,
ingress only from the private subnets, and a forward chain that drops everything else.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from .alarms import create_alarms
from .nat_instance_settings import AMI_PARAMETER, ROOT_VOLUME_GB, nat_status_alarm_spec, nat_user_data


def nat_security_group(
    name: str,
    *,
    vpc_id: pulumi.Input[str],
    private_cidrs: Sequence[str],
    parent: pulumi.Resource,
) -> aws.ec2.SecurityGroup:
    """All traffic in from the private subnets only; all traffic out (it is the way out)."""
    group = aws.ec2.SecurityGroup(
        name,
        vpc_id=vpc_id,
        description="NAT instance: traffic from the private subnets, out to the internet",
        opts=pulumi.ResourceOptions(parent=parent),
    )
    for index, cidr in enumerate(private_cidrs):
        aws.vpc.SecurityGroupIngressRule(
            f"{name}-from-private-{index}",
            security_group_id=group.id,
            cidr_ipv4=cidr,
            ip_protocol="-1",
            description=f"everything from private subnet {cidr}",
            opts=pulumi.ResourceOptions(parent=parent),
        )
    aws.vpc.SecurityGroupEgressRule(
        f"{name}-to-internet",
        security_group_id=group.id,
        cidr_ipv4="0.0.0.0/0",
        ip_protocol="-1",
        description="forwarded traffic to the internet",
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return group


def nat_instance(
    name: str,
    *,
    instance_type: str,
    subnet_id: pulumi.Input[str],
    security_group_id: pulumi.Input[str],
    private_cidrs: Sequence[str],
    kms_key_arn: pulumi.Input[str],
    region: pulumi.Input[str],
    alarm_actions: Sequence[pulumi.Input[str]],
    tag_name: str,
    parent: pulumi.Resource,
    depends_on: Sequence[pulumi.Resource] = (),
) -> aws.ec2.Instance:
    """The instance, and an alarm that reboots it when its instance status check fails
    (EC2's automatic recovery already moves it off failed hardware)."""
    image = aws.ssm.get_parameter_output(name=AMI_PARAMETER, opts=pulumi.InvokeOutputOptions(parent=parent))
    instance = aws.ec2.Instance(
        name,
        ami=image.insecure_value,  # a public parameter: no reason to mask the image id in diffs
        instance_type=instance_type,
        subnet_id=subnet_id,
        vpc_security_group_ids=[security_group_id],
        associate_public_ip_address=True,
        source_dest_check=False,
        user_data=nat_user_data(private_cidrs),
        user_data_replace_on_change=True,
        metadata_options=aws.ec2.InstanceMetadataOptionsArgs(
            http_tokens="required", http_endpoint="enabled", http_put_response_hop_limit=1
        ),
        root_block_device=aws.ec2.InstanceRootBlockDeviceArgs(
            volume_type="gp3",
            volume_size=ROOT_VOLUME_GB,
            encrypted=True,
            kms_key_id=kms_key_arn,
            delete_on_termination=True,
        ),
        # Standard credits: a busy month throttles the instance instead of adding a surplus charge.
        credit_specification=aws.ec2.InstanceCreditSpecificationArgs(cpu_credits="standard"),
        maintenance_options=aws.ec2.InstanceMaintenanceOptionsArgs(auto_recovery="default"),
        tags={"Name": tag_name},
        # Boot only once the public subnet routes to the internet (the boot script installs
        # packages); keep the instance, and its address, when AWS publishes a newer image.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=list(depends_on), ignore_changes=["ami"]),
    )
    reboot = pulumi.Output.from_input(region).apply(lambda r: f"arn:aws:automate:{r}:ec2:reboot")
    create_alarms(
        name, [nat_status_alarm_spec(tag_name, instance.id)], alarm_actions, parent, alarm_only_actions=[reboot]
    )
    return instance
