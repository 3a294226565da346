"""Pure settings of a NAT instance: its image, its boot script and its recovery alarm."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi

from .alarms import AlarmSpec

# Amazon Linux 2023 for Graviton: AWS's public SSM parameter names the latest image. The
# program reads it when it creates the instance and ignores later changes, so a new image never
# replaces the NAT and its address during a deploy (a replacement keeps the old image too);
# dnf-automatic keeps it patched, and destroying the instance lets the next `up` use the latest.
AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
ROOT_VOLUME_GB = 8  # the size of the AL2023 image's snapshot; the instance stores nothing


def nat_user_data(source_cidrs: Sequence[str]) -> str:
    """Boot script: forward IPv4 and masquerade only ``source_cidrs`` (the private subnets).

    It follows AWS's "Create a NAT AMI" procedure for Amazon Linux 2023 (iptables-services,
    IP forwarding in sysctl.d, MASQUERADE on the primary interface, rules saved) and goes one
    step further: the FORWARD chain drops everything but the private subnets and the replies
    to them, so the isolated data subnets cannot use the instance to reach the internet.
    Security updates are applied daily by dnf-automatic from the latest AL2023 repository.
    """
    if not source_cidrs:
        raise ValueError("a NAT instance needs at least one private subnet to serve")
    rules = "\n".join(
        f'iptables -A FORWARD -i "$IFACE" -o "$IFACE" -s {cidr} -j ACCEPT\n'
        f'iptables -t nat -A POSTROUTING -o "$IFACE" -s {cidr} -j MASQUERADE'
        for cidr in source_cidrs
    )
    return f"""#!/bin/bash
# webstack NAT instance: masquerade traffic of the private subnets ({", ".join(source_cidrs)}).
set -euo pipefail
cat > /etc/sysctl.d/90-webstack-nat.conf <<'SYSCTL'
net.ipv4.ip_forward = 1
net.ipv4.conf.all.send_redirects = 0
net.ipv4.conf.default.send_redirects = 0
SYSCTL
sysctl --system
# The package mirrors are reached through the internet gateway; retry until the route is up.
for attempt in $(seq 1 30); do
  dnf install -y iptables-services dnf-automatic && break
  [ "$attempt" -lt 30 ] && sleep 10 || exit 1
done
systemctl enable --now iptables
IFACE="$(ip -4 route show default | awk '{{print $5; exit}}')"
iptables -t nat -F POSTROUTING
iptables -F FORWARD
iptables -P FORWARD DROP
iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
{rules}
service iptables save
# AL2023 pins each instance to its image's repository version; "latest" lets the daily
# dnf-automatic run install the security updates published since.
echo latest > /etc/dnf/vars/releasever
sed -i -e 's/^upgrade_type.*/upgrade_type = security/' -e 's/^apply_updates.*/apply_updates = yes/' \\
  /etc/dnf/automatic.conf
systemctl enable --now dnf-automatic.timer
"""


def nat_status_alarm_spec(tag_name: str, instance_id: pulumi.Input[str]) -> AlarmSpec:
    """The instance status check failing for three minutes (EC2 automatic recovery already
    handles failed hardware, the system status check)."""
    return AlarmSpec(
        "status-check",
        f"{tag_name}: instance status check failing; rebooting it",
        "AWS/EC2", "StatusCheckFailed_Instance", {"InstanceId": instance_id}, "GreaterThanOrEqualToThreshold", 1,
        statistic="Maximum", period_seconds=60, evaluation_periods=3,
    )  # fmt: skip
