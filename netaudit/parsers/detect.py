"""Which platform wrote a configuration, told from its content (never from the file name).

Each platform has a few unmistakable markers; the platform with the most marker hits wins. Files
of platforms netaudit does not parse yet are named, so the user hears "IOS-XR is not supported"
rather than a pile of unrecognized IOS lines.
"""

from __future__ import annotations

import re

SUPPORTED = ("ios", "nxos", "asa")
UNSUPPORTED_NAMES = {
    "iosxr": "Cisco IOS-XR",
    "junos": "Juniper Junos",
    "fortios": "Fortinet FortiOS",
    "panos": "Palo Alto PAN-OS",
    "catos": "Cisco CatOS",
    "f5": "F5 BIG-IP",
    "comware": "HPE Comware / H3C",
    "procurve": "HP ProCurve / ArubaOS-Switch",
    "eos": "Arista EOS",
}

_MARKERS: dict[str, list[re.Pattern[str]]] = {
    "asa": [re.compile(p, re.M) for p in (
        r"^(?:ASA|PIX|FWSM) Version \d", r"^: Saved", r"^ nameif \S+", r"^ security-level \d+",
        r"^access-group \S+ (?:in|out) interface", r"^Cryptochecksum:", r"^object-group network ",
        r"^same-security-traffic ", r"^pager lines", r"^tunnel-group ")],
    "nxos": [re.compile(p, re.M) for p in (
        r"^!Command: show running-config", r"^feature \S+", r"^vrf context ", r"^ *vrf member ",
        r"^version \d+\.\d+\(\d+\)\S*\s*$", r"^ip access-list \S+\s*$", r"^ +\d+ (?:permit|deny) ",
        r"^interface mgmt0", r"^copp profile", r"^system default switchport", r"use-vrf ")],
    "ios": [re.compile(p, re.M) for p in (
        r"^version 1[1-7]\.\d+\s*$", r"^Current configuration : \d+ bytes", r"^Building configuration",
        r"^service timestamps ", r"^ip access-list (?:standard|extended) ", r"^line vty ",
        r"^interface (?:GigabitEthernet|FastEthernet|TenGigabitEthernet|Vlan|Serial)\d",
        r"^ ip address \d+\.\d+\.\d+\.\d+ \d+\.\d+\.\d+\.\d+", r"^no service pad", r"^end\s*$",
        r"^boot-(?:start|end)-marker")],
    "iosxr": [re.compile(p, re.M) for p in (
        r"^!! IOS XR", r"^RP/\d+/\S+CPU\d", r"^interface \S+\d+/\d+/\d+/\d+", r"^ ipv4 address ",
        r"^route-policy ", r"^end-policy", r"^ group root-lr", r"^interface Bundle-Ether", r"^prefix-set ",
        r"^snmp-server traps fabric", r"^router static\s*$")],
    "junos": [re.compile(p, re.M) for p in (
        r"^## Last commit", r"^version \d+\.\d+\S*;", r"^system \{", r"^interfaces \{", r"^set system ",
        r"^set interfaces ", r"^\s+host-name \S+;", r"^security \{")],
    "fortios": [re.compile(p, re.M) for p in (r"^#config-version=", r"^config system global", r"^config firewall policy", r"^\s+set \S+ ")],
    "panos": [re.compile(p, re.M) for p in (r"<config version=", r"^set deviceconfig ", r"<devices>")],
    "catos": [re.compile(p, re.M) for p in (r"^#version \d", r"^set (?:snmp|vtp|port|prompt|spantree) ", r"^#snmp", r"^begin\s*$")],
    "f5": [re.compile(p, re.M) for p in (r"^ltm \S+", r"^#TMSH-VERSION", r"^sys \S+ ", r"^net \S+ \S+ \{")],
    "comware": [re.compile(p, re.M) for p in (r"^ sysname ", r"^ version \d+\.\d+, Release", r"^#\s*$", r"^ local-user ")],
    "procurve": [re.compile(p, re.M) for p in (r"^; J\d{4}\w Configuration Editor", r"^hostname \"", r"^ untagged ")],
    "eos": [re.compile(p, re.M) for p in (r"^! device: \S+ \(\S+, EOS-", r"^! boot system flash", r"^management api http-commands")],
}


def _scores(sample: str) -> dict[str, int]:
    return {platform: sum(1 for marker in markers if marker.search(sample)) for platform, markers in _MARKERS.items()}


def detect_platform(text: str) -> str | None:
    """The platform with the most markers in the first part of the file, or None."""
    scores = _scores(text[:200_000])
    if max(scores.values()) < 2 and len(text) > 200_000:
        scores = _scores(text)  # a long preamble (thousands of VLAN blocks) can hide the markers
    best = max(scores, key=lambda p: (scores[p], p in SUPPORTED))
    if scores[best] == 0:
        return None
    if best == "ios" and scores["iosxr"] >= 2:
        return "iosxr"
    return best
