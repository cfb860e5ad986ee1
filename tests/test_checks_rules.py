"""Art. 15.4 rule checks and references: each fires on a minimal breaking change, silent on its twin."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.checks_support import COMPLIANT_IOS, audit, mutate, of

RULE_CHECKS = ["any-any-rule", "broad-rule", "risky-service-rule", "undocumented-rule", "expired-rule", "disabled-rule", "undefined-reference", "unused-object"]

WEB_RULE = " permit tcp 10.10.10.0 0.0.0.255 10.10.20.0 0.0.0.255 eq 443\n"


def with_rule(rule: str, remark: str | None = " remark CHG-2025-0800 test rule") -> str:
    """The base with a rule inserted in WEB_IN after its first permit (under its own remark)."""
    lines = (remark + "\n" if remark else "") + rule + "\n"
    return mutate(COMPLIANT_IOS, replace={WEB_RULE: WEB_RULE + lines})


def test_compliant_base_is_silent_for_every_rule_check(tmp_path: Path) -> None:
    findings = audit(tmp_path, {"r1.cfg": COMPLIANT_IOS})
    assert [f for f in findings if f.check in RULE_CHECKS] == []


@pytest.mark.parametrize(("rule", "severity"), [(" permit ip any any", "high"), (" permit tcp any any eq 443", "medium")])
def test_any_any_rule(tmp_path: Path, rule: str, severity: str) -> None:
    config = with_rule(rule)
    found = of(audit(tmp_path, {"r1.cfg": config}), "any-any-rule")
    assert [(f.severity, f.evidence[0]) for f in found] == [(severity, rule.strip())]
    assert config.splitlines()[found[0].line - 1] == rule
    assert not of(audit(tmp_path, {"r1.cfg": with_rule(" deny ip any any")}), "any-any-rule")


@pytest.mark.parametrize("rule", [
    " permit ip 10.10.10.0 0.0.0.255 10.10.20.0 0.0.0.255",  # any service
    " permit tcp 10.0.0.0 0.255.255.255 10.10.20.0 0.0.0.255 eq 443",  # a /8 source
    " permit tcp 10.10.10.0 0.0.0.255 any eq 443",  # any destination
])
def test_broad_rule_fires(tmp_path: Path, rule: str) -> None:
    found = of(audit(tmp_path, {"r1.cfg": with_rule(rule)}), "broad-rule")
    assert [f.evidence[0] for f in found] == [rule.strip()]


def test_broad_rule_silent_at_the_limit(tmp_path: Path) -> None:
    rule = " permit tcp 10.20.0.0 0.0.255.255 10.10.20.0 0.0.0.255 eq 443"  # exactly /16: not wider
    assert not of(audit(tmp_path, {"r1.cfg": with_rule(rule)}), "broad-rule")


def test_risky_service_rule_across_zones_and_silent_inside_one(tmp_path: Path) -> None:
    crossing = " permit tcp 10.30.0.0 0.0.255.255 10.10.20.0 0.0.0.255 eq 3389"  # OA → prod-ap RDP
    found = of(audit(tmp_path, {"r1.cfg": with_rule(crossing)}), "risky-service-rule")
    assert [f.evidence[0] for f in found] == [crossing.strip()]
    assert "tcp/3389" in found[0].message["en"]
    inside = " permit tcp 10.10.20.0 0.0.0.255 10.10.20.0 0.0.0.255 eq 445"  # SMB within prod-ap
    assert not of(audit(tmp_path, {"r1.cfg": with_rule(inside)}), "risky-service-rule")
    named = " permit udp any host 10.10.20.5 eq snmp"  # source any, named port
    assert of(audit(tmp_path, {"r1.cfg": with_rule(named)}), "risky-service-rule")


def test_undocumented_rule(tmp_path: Path) -> None:
    config = mutate(COMPLIANT_IOS, add=["ip access-list extended EXTRA", " permit tcp host 10.10.10.5 host 10.10.20.5 eq 443"])
    found = of(audit(tmp_path, {"r1.cfg": config}), "undocumented-rule")
    assert [f.evidence[0] for f in found] == ["permit tcp host 10.10.10.5 host 10.10.20.5 eq 443"]
    documented = mutate(COMPLIANT_IOS, add=["ip access-list extended EXTRA", " remark CHG-2025-0900", " permit tcp host 10.10.10.5 host 10.10.20.5 eq 443"])
    assert not of(audit(tmp_path, {"r1.cfg": documented}), "undocumented-rule")


@pytest.mark.parametrize("remark", [
    " remark CHG-2024-0101 temporary, expires 2025-06-30",
    " remark 臨時開通 到期日 民國114年6月30日",
    " remark vendor access until 114/06/30",
    " remark temp 2025/01/01~2025/06/30",
    " remark exp 20250630",
    " remark 有效期限 114.06.30",
])
def test_expired_rule_from_remark(tmp_path: Path, remark: str) -> None:
    config = with_rule(" permit tcp host 10.10.10.7 host 10.10.20.7 eq 443", remark)
    found = of(audit(tmp_path, {"r1.cfg": config}), "expired-rule")
    assert len(found) == 1
    assert found[0].evidence == ["permit tcp host 10.10.10.7 host 10.10.20.7 eq 443", remark.strip()]
    assert "2025-06-30" in found[0].message["en"]


@pytest.mark.parametrize("remark", [
    " remark CHG-2025-0718 permanent",  # a ticket number is not a date
    " remark created 2024-01-05 by ops",  # a creation date is not an end date
    " remark expires 2027-06-30",  # not yet
])
def test_expired_rule_silent(tmp_path: Path, remark: str) -> None:
    config = with_rule(" permit tcp host 10.10.10.7 host 10.10.20.7 eq 443", remark)
    assert not of(audit(tmp_path, {"r1.cfg": config}), "expired-rule")


def test_expired_rule_from_time_range(tmp_path: Path) -> None:
    config = mutate(with_rule(" permit tcp host 10.10.10.7 host 10.10.20.7 eq 443 time-range VENDOR"),
                    add=["time-range VENDOR", " absolute start 00:00 01 January 2025 end 23:59 30 June 2025"])
    found = of(audit(tmp_path, {"r1.cfg": config}), "expired-rule")
    assert len(found) == 1 and "time-range VENDOR" in found[0].message["en"]
    assert not of(audit(tmp_path, {"r1.cfg": config}, as_of=date(2025, 6, 1)), "expired-rule")


def test_undefined_reference_bound_acl(tmp_path: Path) -> None:
    config = mutate(COMPLIANT_IOS, replace={" ip access-group APP_IN in\n": " ip access-group APP_IN in\n ip access-group NOPE out\n"})
    found = of(audit(tmp_path, {"r1.cfg": config}), "undefined-reference")
    assert [f.evidence[0] for f in found] == ["ip access-group NOPE out"]
    assert "permits all traffic" in found[0].message["en"]


def test_unused_object(tmp_path: Path) -> None:
    config = mutate(COMPLIANT_IOS, add=["ip access-list extended SPARE", " remark old", " deny ip any any"])
    found = of(audit(tmp_path, {"r1.cfg": config}), "unused-object")
    assert [f.evidence[0] for f in found] == ["ip access-list extended SPARE"]


def test_rule_checks_skip_acls_that_are_not_packet_filters(tmp_path: Path) -> None:
    config = mutate(COMPLIANT_IOS, add=["access-list 20 permit any", "route-map RM permit 10", " match ip address 20"])
    findings = audit(tmp_path, {"r1.cfg": config})
    assert not [f for f in findings if f.check in {"any-any-rule", "broad-rule", "undocumented-rule"}]
