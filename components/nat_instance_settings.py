"""Pure settings of a NAT instance: its image, its boot script and its recovery alarm."""

from __future__ import annotations

from collections.abc import Sequence

# Amazon Linux 2023 for Graviton, resolved by EC2 at launch from AWS's public SSM parameter:
# every replacement boots the latest patched image, and no AMI id is pinned in the program.
AMI = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
ROOT_VOLUME_GB = 8  # the size of the AL2023 image's snapshot; the instance stores nothing


def nat_user_data(source_cidrs: Sequence[str]) -> str:
    """Boot script: forward IPv4 and masquerade only ``source_cidrs`` (the private subnets).

    It follows AWS's "Create a NAT AMI" procedure for Amazon Linux 2023 (iptables-services,
    IP forwarding in sysctl.d, MASQUERADE on the primary interface, rules saved) and goes one
    step further: the FORWARD chain drops everything but the private subnets and the replies
    to them, so the isolated data subnets cannot use the instance to reach the internet.
    Security updates are applied daily by dnf-automatic.
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
dnf install -y iptables-services dnf-automatic
systemctl enable --now iptables
cat > /etc/sysctl.d/90-webstack-nat.conf <<'SYSCTL'
net.ipv4.ip_forward = 1
net.ipv4.conf.all.send_redirects = 0
net.ipv4.conf.default.send_redirects = 0
SYSCTL
sysctl --system
IFACE="$(ip -4 route show default | awk '{{print $5; exit}}')"
iptables -t nat -F POSTROUTING
iptables -F FORWARD
iptables -P FORWARD DROP
iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
{rules}
service iptables save
sed -i -e 's/^upgrade_type.*/upgrade_type = security/' -e 's/^apply_updates.*/apply_updates = yes/' \\
  /etc/dnf/automatic.conf
systemctl enable --now dnf-automatic.timer
"""
