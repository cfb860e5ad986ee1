"""Helpers for check tests: minimal compliant configs, and an audit of text written to real files.

Each check test starts from a compliant base config (every per-device check silent), changes the
few lines that break one rule, and audits both through the real pipeline: parsers, graph, checks.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from netaudit.findings import Finding
from netaudit.pipeline import run_audit

AS_OF = date(2026, 11, 24)

COMPLIANT_IOS = """\
version 17.9
hostname r1
!
no service pad
service password-encryption
no ip source-route
no ip bootp server
no cdp run
no ip http server
ip http secure-server
ip http access-class ipv4 MGMT
!
aaa new-model
aaa group server tacacs+ TAC
 server name TAC1
aaa authentication login default group TAC local
aaa accounting commands 15 default start-stop group TAC
!
tacacs server TAC1
 address ipv4 10.99.0.20
 key 6 ABCDEFGHIJ
!
username netops-chen privilege 15 secret 9 $9$abcdefghijklmn$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ
enable secret 9 $9$abcdefghijklmn$ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkjih
!
interface GigabitEthernet0/0
 ip address 10.10.10.1 255.255.255.0
 ip access-group WEB_IN in
!
interface GigabitEthernet0/1
 ip address 10.10.20.1 255.255.255.0
 ip access-group APP_IN in
!
ip access-list extended WEB_IN
 remark CHG-2025-0718 web tier to AP tier HTTPS
 permit tcp 10.10.10.0 0.0.0.255 10.10.20.0 0.0.0.255 eq 443
 remark CHG-2025-0001 default deny
 deny ip any any log
ip access-list extended APP_IN
 remark CHG-2025-0719 AP replies only
 permit tcp 10.10.20.0 0.0.0.255 eq 443 10.10.10.0 0.0.0.255 established
 remark CHG-2025-0001 default deny
 deny ip any any log
ip access-list standard MGMT
 remark CHG-2025-0720 management segment only
 permit 10.99.0.0 0.0.0.255
!
snmp-server group NETAUDIT v3 priv
logging host 10.99.0.30
ntp server 10.99.0.31
archive
 log config
  logging enable
!
line con 0
 exec-timeout 10 0
line vty 0 4
 access-class MGMT in
 exec-timeout 10 0
 transport input ssh
!
end
"""

COMPLIANT_TOPOLOGY = """\
version: 1
name: test network
zones:
  internet: {env: external}
  prod-web: {env: prod, tier: web, cidrs: [10.10.10.0/24]}
  prod-ap:  {env: prod, tier: ap, cidrs: [10.10.20.0/24]}
  prod-db:  {env: prod, tier: db, cidrs: [10.10.30.0/24]}
  test:     {env: test, cidrs: [10.20.0.0/16]}
  oa:       {env: oa, cidrs: [10.30.0.0/16]}
  mgmt:     {env: mgmt, cidrs: [10.99.0.0/24]}
  transit:  {env: transit, cidrs: [10.254.0.0/16]}
hosts:
  jump01: {ip: 10.99.0.10, role: jump}
"""


def mutate(base: str, replace: dict[str, str] | None = None, add: list[str] | None = None) -> str:
    """The base config with whole lines replaced (every change must apply) and lines added before 'end'."""
    text = base
    for old, new in (replace or {}).items():
        assert old in text, f"mutation does not apply: {old!r}"
        text = text.replace(old, new)
    if add:
        text = text.replace("\nend\n", "\n" + "\n".join(add) + "\nend\n")
    return text


def audit(tmp_path: Path, configs: dict[str, str], topology: str | None = COMPLIANT_TOPOLOGY, as_of: date = AS_OF) -> list[Finding]:
    """Audit the given {file name: text} configs with the topology, as the CLI would."""
    folder = tmp_path / "configs"
    folder.mkdir(exist_ok=True)
    for name, text in configs.items():
        (folder / name).write_text(text, encoding="utf-8")
    topology_path = None
    if topology is not None:
        topology_path = tmp_path / "network.yaml"
        topology_path.write_text(topology, encoding="utf-8")
    result = run_audit([str(folder)], str(topology_path) if topology_path else None, as_of=as_of)
    assert not result.not_assessed, result.not_assessed
    return result.findings


def of(findings: list[Finding], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check]
