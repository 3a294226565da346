"""Pure settings of a NAT instance: its image, its boot script and its recovery alarm."""

from __future__ import annotations

from collections.abc import Sequence

# Amazon Linux 2023 for Graviton, resolved by EC2 at launch from AWS's public SSM parameter:
# every replacement boots the latest patched image, and no AMI id is pinned in the program.
AMI = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
ROOT_VOLUME_GB = 8  # the size of the AL2023 image's snapshot; the instance stores nothing


def nat_user_data(source_cidrs: Sequence[str]) -> str:
    """Boot script: forward IPv4 and masquerade only ``source_cidrs`` (the private subnets).

    The forward chain drops everything else, so the instance cannot be used to reach the VPC
    from outside, nor by the isolated data subnets to reach the internet. Security updates are
    applied daily by dnf-automatic.
    """
    if not source_cidrs:
        raise ValueError("a NAT instance needs at least one private subnet to serve")
    sources = ", ".join(source_cidrs)
    return f"""#!/bin/bash
# webstack NAT instance: masquerade traffic of the private subnets ({sources}).
set -euo pipefail
dnf install -y nftables dnf-automatic
cat > /etc/sysctl.d/90-webstack-nat.conf <<'SYSCTL'
net.ipv4.ip_forward = 1
net.ipv4.conf.all.send_redirects = 0
net.ipv4.conf.default.send_redirects = 0
SYSCTL
sysctl --system
IFACE="$(ip -4 route show default | awk '{{print $5; exit}}')"
cat > /etc/nftables/webstack-nat.nft <<NFT
table ip webstack_nat {{
  chain forward {{
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname "$IFACE" oifname "$IFACE" ip saddr {{ {sources} }} accept
  }}
  chain postrouting {{
    type nat hook postrouting priority srcnat; policy accept;
    oifname "$IFACE" ip saddr {{ {sources} }} masquerade
  }}
}}
NFT
echo 'include "/etc/nftables/webstack-nat.nft"' >> /etc/sysconfig/nftables.conf
systemctl enable --now nftables
sed -i -e 's/^upgrade_type.*/upgrade_type = security/' -e 's/^apply_updates.*/apply_updates = yes/' \\
  /etc/dnf/automatic.conf
systemctl enable --now dnf-automatic.timer
"""
