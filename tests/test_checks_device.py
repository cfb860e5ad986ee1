"""Per-device checks: each fires on a minimal breaking change and is silent on the compliant base."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checks_support import COMPLIANT_IOS, audit, mutate, of

DEVICE_CHECKS = [
    "mgmt-telnet", "mgmt-http", "snmp-community", "legacy-service", "shared-account", "weak-password-storage",
    "no-central-aaa", "no-command-accounting", "unrestricted-mgmt-access", "idle-timeout", "no-remote-logging", "no-ntp",
]

# (check, mutation of the compliant IOS base, the evidence line the finding must point at or None, severity)
CASES = [
    ("mgmt-telnet", {"replace": {" transport input ssh": " transport input telnet ssh"}}, " transport input telnet ssh", "high"),
    ("mgmt-telnet", {"replace": {" transport input ssh\n": ""}}, "line vty 0 4", "high"),  # IOS default: telnet allowed
    ("mgmt-http", {"replace": {"no ip http server": "ip http server"}}, "ip http server", "medium"),
    ("snmp-community", {"add": ["snmp-server community public RO MGMT"]}, "snmp-server community <masked> RO MGMT", "high"),
    ("snmp-community", {"add": ["snmp-server community r1 RO MGMT"]}, "snmp-server community <masked> RO MGMT", "high"),  # the hostname
    ("snmp-community", {"add": ["snmp-server community Xq7-monitoring RO"]}, "snmp-server community <masked> RO", "medium"),
    ("legacy-service", {"add": ["service tcp-small-servers"]}, "service tcp-small-servers", "medium"),
    ("legacy-service", {"add": ["ip finger"]}, "ip finger", "medium"),
    ("legacy-service", {"replace": {"no ip source-route\n": ""}}, None, "medium"),  # IOS default: on
    ("legacy-service", {"replace": {"no service pad\n": ""}}, None, "medium"),
    ("shared-account", {"add": ["username admin privilege 15 secret 9 $9$abcdefghijklmn$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"]}, "username admin privilege 15 secret 9 <masked>", "medium"),
    ("weak-password-storage", {"add": ["username ops2 privilege 1 password 7 0822455D0A16"]}, "username ops2 privilege 1 password 7 <masked>", "high"),
    ("weak-password-storage", {"replace": {"enable secret 9 $9$abcdefghijklmn$ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkjih": "enable password cisco123"}}, "enable password <masked>", "high"),
    ("weak-password-storage", {"replace": {" key 6 ABCDEFGHIJ": " key 7 045802150C2E"}}, "key 7 <masked>", "high"),
    ("weak-password-storage", {"replace": {"enable secret 9 $9$abcdefghijklmn$ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkjih": "enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0"}}, "enable secret 5 <masked>", "medium"),
    ("no-central-aaa", {"replace": {"aaa authentication login default group TAC local": "aaa authentication login default local"}}, "aaa authentication login default local", "medium"),
    ("no-command-accounting", {"replace": {"aaa accounting commands 15 default start-stop group TAC\n": "", "archive\n log config\n  logging enable\n": ""}}, None, "medium"),
    ("unrestricted-mgmt-access", {"replace": {" access-class MGMT in\n": ""}}, " transport input ssh", "high"),
    ("idle-timeout", {"replace": {"line vty 0 4\n access-class MGMT in\n exec-timeout 10 0": "line vty 0 4\n access-class MGMT in\n exec-timeout 0 0"}}, " exec-timeout 0 0", "medium"),
    ("idle-timeout", {"replace": {"line vty 0 4\n access-class MGMT in\n exec-timeout 10 0": "line vty 0 4\n access-class MGMT in\n exec-timeout 30 0"}}, " exec-timeout 30 0", "medium"),
    ("no-remote-logging", {"replace": {"logging host 10.99.0.30\n": ""}}, None, "medium"),
    ("no-ntp", {"replace": {"ntp server 10.99.0.31\n": ""}}, None, "medium"),
]


def test_compliant_base_is_silent_for_every_device_check(tmp_path: Path) -> None:
    findings = audit(tmp_path, {"r1.cfg": COMPLIANT_IOS})
    assert [f for f in findings if f.check in DEVICE_CHECKS] == []


@pytest.mark.parametrize(("check", "mutation", "evidence", "severity"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_check_fires(tmp_path: Path, check: str, mutation: dict, evidence: str | None, severity: str) -> None:
    config = mutate(COMPLIANT_IOS, **mutation)
    found = of(audit(tmp_path, {"r1.cfg": config}), check)
    assert found, f"{check} did not fire"
    finding = found[0]
    assert finding.severity == severity
    assert finding.device == "r1"
    assert finding.file.endswith("r1.cfg")
    if evidence is None:
        assert finding.line is None
    else:
        assert finding.evidence[0] == evidence.strip()
        line_text = config.splitlines()[finding.line - 1].strip()
        assert line_text.split()[:2] == evidence.split()[:2], "the line number points at the evidence line"
    for lang in ("en", "zh-TW"):
        assert finding.message[lang] and "{" not in finding.message[lang]


def test_hidden_community_and_key_values_never_reach_findings(tmp_path: Path) -> None:
    config = mutate(COMPLIANT_IOS, add=["snmp-server community public RO", "username admin password 0 Sup3rSecretPw"])
    findings = audit(tmp_path, {"r1.cfg": config})
    text = repr([f.to_json("en") for f in findings]) + repr([f.to_json("zh-TW") for f in findings])
    assert "Sup3rSecretPw" not in text
    assert "public" not in text.replace("Public", "")
