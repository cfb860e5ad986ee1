"""Art. 19 flow checks: each fires on a minimal network and is silent on its compliant twin.

The network is one ASA with an interface (and an inbound ACL) per zone; every ACL denies all, and
each test adds the one rule (or topology line) that opens, or keeps closed, the flow in question.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netaudit.cli import main
from tests.checks_support import audit, of

ZONES = [  # (nameif, security-level, address, mask, ACL)
    ("outside", 0, "203.0.113.2", "255.255.255.248", "OUTSIDE_IN"),
    ("dmz", 50, "172.16.10.1", "255.255.255.0", "DMZ_IN"),
    ("web", 50, "10.10.10.1", "255.255.255.0", "WEB_IN"),
    ("ap", 50, "10.10.20.1", "255.255.255.0", "AP_IN"),
    ("db", 50, "10.10.30.1", "255.255.255.0", "DB_IN"),
    ("test", 50, "10.20.0.1", "255.255.0.0", "TEST_IN"),
    ("oa", 50, "10.30.0.1", "255.255.0.0", "OA_IN"),
    ("mgmt", 50, "10.99.0.1", "255.255.255.0", "MGMT_IN"),
]

TOPOLOGY = """\
version: 1
name: flow test
zones:
  internet: {env: external}
  dmz:      {env: dmz, tier: web, cidrs: [172.16.10.0/24]}
  prod-web: {env: prod, tier: web, cidrs: [10.10.10.0/24]}
  prod-ap:  {env: prod, tier: ap, cidrs: [10.10.20.0/24]}
  prod-db:  {env: prod, tier: db, cidrs: [10.10.30.0/24]}
  test:     {env: test, cidrs: [10.20.0.0/16]}
  oa:       {env: oa, cidrs: [10.30.0.0/16]}
  mgmt:     {env: mgmt, cidrs: [10.99.0.0/24]}
hosts:
  jump01:   {ip: 10.99.0.10, role: jump}
  proxy01:  {ip: 10.30.0.5, role: proxy}
  waf01:    {ip: 172.16.10.5, role: waf}
  radius01: {ip: 10.99.0.20, role: aaa, mfa: true}
  ldap01:   {ip: 10.99.0.25, role: aaa}
"""


def firewall(rules: dict[str, list[str]] | None = None, extra: list[str] | None = None) -> str:
    """The ASA: every ACL ends in deny; ``rules`` adds permits (with a remark) at the top of an ACL."""
    lines = [": Saved", "ASA Version 9.16(4)", "hostname fw", "same-security-traffic permit inter-interface"]
    for index, (nameif, level, address, mask, _) in enumerate(ZONES):
        lines += [f"interface GigabitEthernet0/{index}", f" nameif {nameif}", f" security-level {level}", f" ip address {address} {mask}", "!"]
    for nameif, _, _, _, acl in ZONES:
        lines.append(f"access-list {acl} remark CHG-2025-0001 test rules")
        lines += [f"access-list {acl} extended {rule}" for rule in (rules or {}).get(acl, [])]
        lines.append(f"access-list {acl} extended deny ip any any log")
        lines.append(f"access-group {acl} in interface {nameif}")
    lines += ["route outside 0.0.0.0 0.0.0.0 203.0.113.1 1", *(extra or []), ": end"]
    return "\n".join(lines) + "\n"


def run(tmp_path: Path, rules: dict[str, list[str]] | None = None, topology: str = TOPOLOGY, extra: list[str] | None = None) -> list:
    return audit(tmp_path, {"fw.cfg": firewall(rules, extra)}, topology)


FLOW_CHECKS = ["plaintext-exposure", "remote-admin-exposed", "waf-missing", "ips-missing", "firewall-missing", "oa-direct-internet",
               "unrestricted-outbound", "admin-bypasses-jump", "env-crossing", "tier-bypass", "vpn-without-mfa"]


def test_closed_network_is_silent(tmp_path: Path) -> None:
    assert [f.check for f in run(tmp_path) if f.check in FLOW_CHECKS] == []


def _the(findings: list, check: str) -> object:
    found = of(findings, check)
    assert len(found) == 1, (check, [(f.message["en"], f.line) for f in found])
    return found[0]


@pytest.mark.parametrize(("check", "acl", "rule", "src_zone", "dst_zone", "service"), [
    ("plaintext-exposure", "OUTSIDE_IN", "permit tcp any host 172.16.10.20 eq www", "internet", "dmz", "tcp/80"),
    ("remote-admin-exposed", "OUTSIDE_IN", "permit tcp any host 172.16.10.20 eq 3389", "internet", "dmz", "tcp/3389"),
    ("waf-missing", "OUTSIDE_IN", "permit tcp any host 172.16.10.20 eq https", "internet", "dmz", "tcp/443"),
    ("oa-direct-internet", "OA_IN", "permit tcp 10.30.0.0 255.255.0.0 any eq https", "oa", "internet", "tcp/443"),
    ("unrestricted-outbound", "AP_IN", "permit ip 10.10.20.0 255.255.255.0 any", "prod-ap", "internet", "ip"),
    ("admin-bypasses-jump", "OA_IN", "permit tcp 10.30.0.0 255.255.0.0 10.10.20.0 255.255.255.0 eq ssh", "oa", "prod-ap", "tcp/22"),
    ("env-crossing", "TEST_IN", "permit tcp 10.20.0.0 255.255.0.0 10.10.20.0 255.255.255.0 eq 8443", "test", "prod-ap", "tcp/8443"),
    ("tier-bypass", "WEB_IN", "permit tcp 10.10.10.0 255.255.255.0 10.10.30.0 255.255.255.0 eq sqlnet", "prod-web", "prod-db", "tcp/1521"),
])
def test_flow_check_fires_on_the_permitting_rule(tmp_path: Path, check: str, acl: str, rule: str, src_zone: str, dst_zone: str, service: str) -> None:
    config = firewall({acl: [rule]})
    finding = _the(audit(tmp_path, {"fw.cfg": config}, TOPOLOGY), check)
    assert finding.device == "fw"
    assert finding.evidence[0] == f"access-list {acl} extended {rule}"
    assert config.splitlines()[finding.line - 1] == finding.evidence[0]
    assert (finding.flow["src_zone"], finding.flow["dst_zone"], finding.flow["service"]) == (src_zone, dst_zone, service)
    hop = finding.flow["path"][0]
    assert hop["device"] == "fw" and hop["line"] == finding.line and hop["filter"] == acl


@pytest.mark.parametrize(("check", "rules", "topology"), [
    ("plaintext-exposure", {"OUTSIDE_IN": ["permit tcp any host 172.16.10.5 eq https"]}, TOPOLOGY),
    ("remote-admin-exposed", {"MGMT_IN": ["permit tcp host 10.99.0.10 host 172.16.10.20 eq 3389"]}, TOPOLOGY),
    ("waf-missing", {"OUTSIDE_IN": ["permit tcp any host 172.16.10.5 eq https"]}, TOPOLOGY),  # to the WAF itself
    ("oa-direct-internet", {"OA_IN": ["permit tcp host 10.30.0.5 any eq https"]}, TOPOLOGY),  # only the proxy
    ("unrestricted-outbound", {"AP_IN": ["permit tcp 10.10.20.0 255.255.255.0 any eq https"]}, TOPOLOGY),
    ("admin-bypasses-jump", {"MGMT_IN": ["permit tcp host 10.99.0.10 10.10.20.0 255.255.255.0 eq ssh"]}, TOPOLOGY),
    ("env-crossing", {"TEST_IN": ["permit tcp 10.20.0.0 255.255.0.0 10.10.20.0 255.255.255.0 eq 8443"]},
     TOPOLOGY + "policy:\n  allowed_flows:\n    - {from: test, to: prod-ap, services: [tcp/8443]}\n"),
    ("tier-bypass", {"AP_IN": ["permit tcp 10.10.20.0 255.255.255.0 10.10.30.0 255.255.255.0 eq sqlnet"]}, TOPOLOGY),
    ("ips-missing", {"OUTSIDE_IN": ["permit tcp any host 172.16.10.5 eq https"]},
     TOPOLOGY + "devices:\n  ips01: {role: ips, inline: [internet, dmz]}\n"),
])
def test_flow_check_silent_on_compliant_twin(tmp_path: Path, check: str, rules: dict[str, list[str]], topology: str) -> None:
    assert not of(run(tmp_path, rules, topology), check)


def test_ips_missing_one_finding_per_exposed_zone(tmp_path: Path) -> None:
    findings = run(tmp_path, {"OUTSIDE_IN": ["permit tcp any host 172.16.10.5 eq https", "permit tcp any host 172.16.10.20 eq www"]})
    finding = _the(findings, "ips-missing")
    assert finding.flow["dst_zone"] == "dmz" and "tcp/443" in finding.message["en"] and "tcp/80" in finding.message["en"]


def test_a_rule_breaking_several_things_is_reported_by_each_check(tmp_path: Path) -> None:
    findings = run(tmp_path, {"OUTSIDE_IN": ["permit tcp any host 172.16.10.20 eq telnet"]})
    assert {"plaintext-exposure", "remote-admin-exposed", "admin-bypasses-jump"} <= {f.check for f in findings}


def test_env_crossing_leaves_what_a_specific_check_reported(tmp_path: Path) -> None:
    findings = run(tmp_path, {"OA_IN": ["permit tcp 10.30.0.0 255.255.0.0 10.10.20.0 255.255.255.0 eq ssh"]})
    assert of(findings, "admin-bypasses-jump") and not of(findings, "env-crossing")
    wider = run(tmp_path, {"OA_IN": ["permit tcp 10.30.0.0 255.255.0.0 10.10.20.0 255.255.255.0"]})
    crossing = _the(wider, "env-crossing")
    assert crossing.flow["src_zone"] == "oa" and crossing.flow["dst_zone"] == "prod-ap"


def test_narrowest_rule_is_pointed_at(tmp_path: Path) -> None:
    """Two hops permit the flow: the finding points at the rule written for it, not the catch-all."""
    router = """\
version 17.9
hostname r1
interface GigabitEthernet0/0
 ip address 10.30.0.2 255.255.0.0
interface GigabitEthernet0/1
 ip address 10.31.0.1 255.255.255.0
 ip access-group OA_WIDE in
ip access-list extended OA_WIDE
 remark CHG-2025-0002 catch-all
 permit ip any any
end
"""
    topology = TOPOLOGY.replace("oa:       {env: oa, cidrs: [10.30.0.0/16]}", "oa:       {env: oa, cidrs: [10.30.0.0/16, 10.31.0.0/24]}")
    rule = "permit tcp 10.30.0.0 255.255.0.0 10.10.20.0 255.255.255.0 eq ssh"
    findings = audit(tmp_path, {"fw.cfg": firewall({"OA_IN": [rule]}), "r1.cfg": router}, topology)
    finding = next(f for f in of(findings, "admin-bypasses-jump"))
    assert finding.device == "fw" and finding.evidence[0].endswith(rule)


def test_firewall_missing_on_a_router_only_path(tmp_path: Path) -> None:
    router = """\
version 17.9
hostname edge
interface GigabitEthernet0/0
 ip address 198.51.100.2 255.255.255.248
 ip access-group INET_IN in
interface GigabitEthernet0/1
 ip address 172.16.10.1 255.255.255.0
ip access-list extended INET_IN
 remark CHG-2025-0003 web
 permit tcp any host 172.16.10.5 eq 443
ip route 0.0.0.0 0.0.0.0 198.51.100.1
end
"""
    findings = audit(tmp_path, {"edge.cfg": router}, TOPOLOGY)
    finding = _the(findings, "firewall-missing")
    assert finding.device == "edge" and finding.evidence[0] == "permit tcp any host 172.16.10.5 eq 443"
    (tmp_path / "asa").mkdir()
    assert not of(run(tmp_path / "asa", {"OUTSIDE_IN": ["permit tcp any host 172.16.10.5 eq https"]}), "firewall-missing")


VPN_LINES = [
    "ip local pool VPN_POOL 192.168.100.1-192.168.100.254 mask 255.255.255.0",
    "aaa-server RAD protocol radius",
    "aaa-server RAD (mgmt) host 10.99.0.20",
    "aaa-server LDAP protocol ldap",
    "aaa-server LDAP (mgmt) host 10.99.0.25",
    "webvpn",
    " enable outside",
    "tunnel-group STAFF type remote-access",
    "tunnel-group STAFF general-attributes",
    " address-pool VPN_POOL",
    " authentication-server-group RAD",
]


def test_vpn_without_mfa(tmp_path: Path) -> None:
    assert not of(run(tmp_path, extra=VPN_LINES), "vpn-without-mfa")
    ldap = [line.replace("authentication-server-group RAD", "authentication-server-group LDAP") for line in VPN_LINES]
    finding = _the(run(tmp_path, extra=ldap), "vpn-without-mfa")
    assert finding.evidence[0] == "tunnel-group STAFF type remote-access" and "10.99.0.25" in finding.message["en"]
    local = [line for line in VPN_LINES if "authentication-server-group" not in line]
    assert "local users" in _the(run(tmp_path, extra=local), "vpn-without-mfa").message["en"]


def test_query_answers_with_paths_and_rule_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "configs"
    folder.mkdir()
    rule = "permit tcp 10.30.0.0 255.255.0.0 10.10.20.0 255.255.255.0 eq ssh"
    (folder / "fw.cfg").write_text(firewall({"OA_IN": [rule]}), encoding="utf-8")
    (tmp_path / "network.yaml").write_text(TOPOLOGY, encoding="utf-8")
    base = ["query", str(folder), "--topology", str(tmp_path / "network.yaml")]
    assert main([*base, "--src", "oa", "--dst", "prod-ap", "--service", "tcp/22"]) == 0
    out = capsys.readouterr().out
    assert "PERMITTED" in out and f"OA_IN {folder / 'fw.cfg'}:" in out and rule in out
    assert main([*base, "--src", "10.30.1.1", "--dst", "prod-ap", "--service", "tcp/3389"]) == 0
    assert "DENIED" in capsys.readouterr().out
    assert main([*base, "--src", "jump01", "--dst", "10.10.20.5", "--service", "tcp/22", "--format", "json"]) == 0
    assert '"permitted": false' in capsys.readouterr().out


def test_env_crossing_reports_what_a_disabled_specific_check_would_have(tmp_path: Path) -> None:
    import yaml

    from netaudit.pipeline import run_audit
    from netaudit.policy import default_policy_path

    pack = yaml.safe_load(Path(default_policy_path()).read_text(encoding="utf-8"))
    pack["checks"]["admin-bypasses-jump"]["enabled"] = False
    (tmp_path / "pack.yaml").write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "fw.cfg").write_text(firewall({"OA_IN": ["permit tcp 10.30.0.0 255.255.0.0 10.10.20.0 255.255.255.0 eq ssh"]}), encoding="utf-8")
    (tmp_path / "network.yaml").write_text(TOPOLOGY, encoding="utf-8")
    findings = run_audit([str(tmp_path / "configs")], str(tmp_path / "network.yaml"), str(tmp_path / "pack.yaml")).findings
    assert not of(findings, "admin-bypasses-jump")
    assert _the(findings, "env-crossing").flow["service"] == "tcp/22"


def test_a_path_search_cut_short_is_a_warning_in_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bound on paths per source segment keeps a pathological graph finite; reaching it must be
    said (JSON ``warnings``, stderr), never silently leave flows unassessed."""
    import contextlib

    from netaudit.analysis import reachability
    from netaudit.pipeline import run_audit

    root = Path(__file__).resolve().parents[1]
    with contextlib.chdir(root):
        complete = run_audit(["sample_configs"], "topology/network.yaml")
        monkeypatch.setattr(reachability, "MAX_PATHS_PER_SOURCE", 1)
        cut = run_audit(["sample_configs"], "topology/network.yaml")
    assert not any(w.startswith("reachability:") for w in complete.warnings)
    warnings = [w for w in cut.warnings if w.startswith("reachability:")]
    assert warnings and all("not assessed" in w for w in warnings)
