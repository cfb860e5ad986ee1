"""What the sheet looks like, shared by every renderer: env order, colours, shapes, names.

Kept apart from the renderers so that DOT, draw.io and Mermaid agree: a reader who learns "green is
production, dashed red is a crossing in breach" from one format can read the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Top-to-bottom order of the sheet (the way engineers draw it: the Internet on top, the remote users
# at the bottom). Envs not listed here (transit, partner, unclassified) get no row of their own:
# transit links are drawn as device-to-device lines, the others float next to their device.
LEVELS: tuple[str, ...] = ("external", "dmz", "prod", "test", "oa", "mgmt", "remote")
TIER_ORDER = {"web": 0, "ap": 1, "db": 2, None: 3}
UNCLASSIFIED = "unclassified"  # pseudo-env of segments in no declared zone (Art. 6: a finding)


@dataclass(frozen=True, slots=True)
class EnvStyle:
    """Fill for the zone, a darker border for it, and the name the legend gives the env."""

    fill: str
    border: str
    title: str


ENV_STYLES: dict[str, EnvStyle] = {
    "external": EnvStyle("#eceff1", "#607d8b", "Internet / external"),
    "partner": EnvStyle("#ede7f6", "#5e35b1", "Partner"),
    "dmz": EnvStyle("#fff3e0", "#ef6c00", "DMZ"),
    "prod": EnvStyle("#e8f5e9", "#2e7d32", "Production"),
    "test": EnvStyle("#e3f2fd", "#1565c0", "Test"),
    "oa": EnvStyle("#fffde7", "#f9a825", "Office (OA)"),
    "mgmt": EnvStyle("#f3e5f5", "#8e24aa", "Management"),
    "remote": EnvStyle("#e0f7fa", "#00838f", "Remote access / VPN"),
    "transit": EnvStyle("#fafafa", "#9e9e9e", "Transit link"),
    UNCLASSIFIED: EnvStyle("#ffebee", "#c62828", "Unclassified (in no zone)"),
}

TIER_NAMES = {"web": "web tier", "ap": "AP tier", "db": "DB tier"}

DEVICE_ROLE_TITLES = {
    "firewall": "firewall",
    "router": "router",
    "switch": "L3 switch",
    "waf": "WAF",
    "ips": "IPS",
    "proxy": "proxy",
    "vpn": "VPN gateway",
}

# Host roles drawn inside their zone: the security functions Art. 19 asks about. NTP and DNS servers
# are infrastructure, not controls, and would only crowd the management zone.
SECURITY_HOST_ROLES = ("jump", "pam", "proxy", "waf", "ips", "vpn", "aaa", "log")

VIOLATION_COLOUR = "#d50000"
MARK_COLOUR = "#d50000"
OOB_COLOUR = "#9e9e9e"
LINK_COLOUR = "#455a64"
CABLE_COLOUR = "#6d4c41"  # physical links from LLDP / CDP: brown, apart from the logical lines
FONT = "Helvetica"

# Cisco's own short forms, so that labels read as an engineer writes them (Gi0/1, Te1/0/1).
_SHORT_INTERFACE = (
    ("HundredGigE", "Hu"), ("FortyGigabitEthernet", "Fo"), ("TwentyFiveGigE", "Twe"),
    ("TenGigabitEthernet", "Te"), ("GigabitEthernet", "Gi"), ("FastEthernet", "Fa"),
    ("Port-channel", "Po"), ("Management", "Ma"), ("Loopback", "Lo"), ("Tunnel", "Tu"),
    ("Ethernet", "Eth"),
)


def env_style(env: str) -> EnvStyle:
    """The style of an env; an env this table does not know is drawn like transit (neutral grey)."""
    return ENV_STYLES.get(env, ENV_STYLES["transit"])


def level_of(env: str) -> int | None:
    """The row of an env on the sheet, or None for envs that have no row."""
    return LEVELS.index(env) if env in LEVELS else None


def short_interface(name: str) -> str:
    """``GigabitEthernet0/1 (dmz)`` → ``Gi0/1 (dmz)``: labels stay short enough to read on the sheet."""
    for long, short in _SHORT_INTERFACE:
        if name.startswith(long) and re.match(r"[0-9]", name[len(long):len(long) + 1] or "x"):
            return short + name[len(long):]
    return name
