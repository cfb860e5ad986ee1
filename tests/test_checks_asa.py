"""Device and rule checks on ASA forms: vendor defaults and ASA-only settings."""

from __future__ import annotations

from pathlib import Path

from tests.checks_support import audit, mutate, of

COMPLIANT_ASA = """\
: Saved
:
ASA Version 9.16(4)
!
hostname fw1
enable password $sha512$5000$kZ3Yb1mXs2Q0yT8vR6wH1g==$Qm9kZXJuIGhhc2ggdmFsdWUgZm9yIHRlc3Q= pbkdf2
names
!
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.248
!
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.254.1.1 255.255.255.252
!
interface Management0/0
 management-only
 nameif management
 security-level 100
 ip address 10.99.0.2 255.255.255.0
!
object network WEB01
 host 10.10.10.10
access-list OUTSIDE_IN remark CHG-2025-0718 HTTPS to the web server
access-list OUTSIDE_IN extended permit tcp 198.51.100.0 255.255.255.0 object WEB01 eq https
access-group OUTSIDE_IN in interface outside
route outside 0.0.0.0 0.0.0.0 203.0.113.1 1
aaa-server TAC protocol tacacs+
aaa-server TAC (management) host 10.99.0.20
 key *****
aaa authentication ssh console TAC LOCAL
aaa accounting command TAC
username chen.wt password $sha512$5000$kZ3Yb1mXs2Q0yT8vR6wH1g==$Qm9kZXJuIGhhc2ggdmFsdWUgZm9yIHRlc3Q= pbkdf2 privilege 15
http server enable
http 10.99.0.0 255.255.255.0 management
ssh 10.99.0.0 255.255.255.0 management
ssh timeout 10
console timeout 10
logging enable
logging host management 10.99.0.30
ntp server 10.99.0.31
snmp-server group NETAUDIT v3 priv
Cryptochecksum:0123456789abcdef0123456789abcdef
: end
"""
DEVICE_AND_RULE_CHECKS = {
    "mgmt-telnet", "mgmt-http", "snmp-community", "legacy-service", "shared-account", "weak-password-storage",
    "no-central-aaa", "no-command-accounting", "unrestricted-mgmt-access", "idle-timeout", "no-remote-logging", "no-ntp",
    "any-any-rule", "broad-rule", "risky-service-rule", "undocumented-rule", "expired-rule", "disabled-rule",
    "undefined-reference", "unused-object",
}


def asa(tmp_path: Path, text: str) -> list:
    return audit(tmp_path, {"fw1.cfg": text})


def test_compliant_asa_is_silent(tmp_path: Path) -> None:
    findings = asa(tmp_path, COMPLIANT_ASA)
    assert [(f.check, f.evidence) for f in findings if f.check in DEVICE_AND_RULE_CHECKS] == []


def test_http_server_enable_is_https_not_plain_http(tmp_path: Path) -> None:
    assert not of(asa(tmp_path, COMPLIANT_ASA), "mgmt-http")


def test_disabled_rule_fires_on_inactive(tmp_path: Path) -> None:
    rule = "access-list OUTSIDE_IN extended permit tcp 198.51.100.0 255.255.255.0 object WEB01 eq 8443 inactive"
    text = mutate(COMPLIANT_ASA, replace={"access-group OUTSIDE_IN": rule + "\naccess-group OUTSIDE_IN"})
    found = of(asa(tmp_path, text), "disabled-rule")
    assert [f.evidence[0] for f in found] == [rule]
    assert text.splitlines()[found[0].line - 1] == rule


def test_ssh_from_anywhere_on_outside(tmp_path: Path) -> None:
    text = mutate(COMPLIANT_ASA, replace={"ssh timeout 10": "ssh 0.0.0.0 0.0.0.0 outside\nssh timeout 10"})
    found = of(asa(tmp_path, text), "unrestricted-mgmt-access")
    assert [f.evidence[0] for f in found] == ["ssh 0.0.0.0 0.0.0.0 outside"]


def test_telnet_console_timeout_and_md5_password(tmp_path: Path) -> None:
    text = mutate(COMPLIANT_ASA, replace={
        "console timeout 10": "console timeout 0\ntelnet 10.99.0.0 255.255.255.0 management",
        "username chen.wt password $sha512$5000$kZ3Yb1mXs2Q0yT8vR6wH1g==$Qm9kZXJuIGhhc2ggdmFsdWUgZm9yIHRlc3Q= pbkdf2 privilege 15":
            "username chen.wt password Xr5pH2K8vQ1nZ3mW encrypted privilege 15",
    })
    findings = asa(tmp_path, text)
    assert [f.evidence[0] for f in of(findings, "mgmt-telnet")] == ["telnet 10.99.0.0 255.255.255.0 management"]
    assert [f.evidence[0] for f in of(findings, "idle-timeout")] == ["console timeout 0"]
    weak = of(findings, "weak-password-storage")
    assert [(f.severity, f.evidence[0]) for f in weak] == [("medium", "username chen.wt password <masked> encrypted privilege 15")]


def test_ssh_timeout_default_is_compliant_and_long_one_is_not(tmp_path: Path) -> None:
    assert not of(asa(tmp_path, COMPLIANT_ASA.replace("ssh timeout 10\n", "")), "idle-timeout")  # ASA default: 5 minutes
    found = of(asa(tmp_path, COMPLIANT_ASA.replace("ssh timeout 10", "ssh timeout 60")), "idle-timeout")
    assert [f.evidence[0] for f in found] == ["ssh timeout 60"]
