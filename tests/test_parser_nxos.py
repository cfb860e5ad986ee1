"""Targeted behaviour of the NX-OS parser, beyond the golden files of tests/fixtures/parsers/nxos/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netaudit.model import AddressTerm, Device, Service
from netaudit.model_json import device_to_data
from netaudit.parsers.base import SourceFile
from netaudit.parsers.nxos import NxosParser

FIXTURES = Path(__file__).parent / "fixtures" / "parsers" / "nxos"


def parse(text: str, path: str = "n9k.cfg") -> Device:
    return NxosParser().parse(SourceFile(path, text.strip("\n").split("\n")))


# --------------------------------------------------------------------------- ACLs


def test_prefix_and_wildcard_masks_both_read() -> None:
    device = parse("ip access-list A\n  10 permit ip 10.0.0.0/8 any\n  20 permit ip 10.1.0.1 0.0.255.254 any")
    prefix, wildcard = (r.sources.terms[0] for r in device.filters["A"].rules)
    assert str(prefix) == "10.0.0.0/8"
    assert wildcard == AddressTerm(4, 0x0A010001, 0x0000FFFE)
    assert [r.name for r in device.filters["A"].rules] == ["10", "20"]


def test_remarks_with_sequence_numbers_document_the_following_rules() -> None:
    device = parse("ip access-list A\n  statistics per-entry\n  10 remark CR-7\n  20 permit tcp any any eq 22\n"
                   "  30 permit tcp any any eq 443\n  40 remark CR-8\n  50 deny ip any any")
    assert [(r.name, r.remark) for r in device.filters["A"].rules] == [("20", "CR-7"), ("30", "CR-7"), ("50", "CR-8")]
    assert device.unrecognized == []


def test_addrgroup_and_portgroup_resolve() -> None:
    device = parse("""
object-group ip address DB
  10 host 10.0.0.1
  20 10.1.0.0/16
object-group ip port ORA
  10 eq 1521
  20 range 3872 3873
ip access-list A
  10 permit tcp any addrgroup DB portgroup ORA
""")
    rule = device.filters["A"].rules[0]
    assert [str(t) for t in rule.destinations.terms] == ["10.0.0.1/32", "10.1.0.0/16"]
    assert rule.services == (Service(6, ((1521, 1521), (3872, 3873))),)
    assert {(r.kind, r.name) for r in device.references} == {("object", "DB"), ("object", "ORA")}


def test_undefined_portgroup_is_a_reference_that_matches_nothing() -> None:
    device = parse("ip access-list A\n  10 permit tcp any any portgroup MISSING")
    rule = device.filters["A"].rules[0]
    assert rule.services == (Service(6, ()),)
    assert [(r.kind, r.name, r.context) for r in device.references] == [("object", "MISSING", "access-list")]
    assert device.warnings == []


def test_ipv6_acl_icmp_is_icmpv6() -> None:
    device = parse("ipv6 access-list V6\n  10 permit icmp any any nd-ns\n  20 deny ipv6 any any log")
    icmp, deny = device.filters["V6"].rules
    assert icmp.services == (Service(58, icmp_type=135),) and deny.log and device.filters["V6"].family == "ipv6"


def test_undefined_acl_on_an_interface_permits_all_traffic() -> None:
    """Nexus 9000 NX-OS Security Configuration Guide: an undefined ACL is treated as empty and permits all."""
    device = parse("interface Vlan10\n  ip access-group NOPE in\n  ip port access-group NOPE2 in")
    assert [(b.filter_name, b.undefined_permits, b.use) for b in device.bindings] == [
        ("NOPE", True, "interface"), ("NOPE2", True, "interface")]
    assert [(r.kind, r.name) for r in device.references] == [("acl", "NOPE"), ("acl", "NOPE2")]


def test_bad_entry_is_unrecognized_with_a_warning() -> None:
    device = parse("ip access-list A\n  10 permit tcp any any eq notaport\n  20 permit ip any any")
    assert [r.name for r in device.filters["A"].rules] == ["20"]
    assert [u.line for u in device.unrecognized] == [2] and device.warnings[0].startswith("line 2: access list A:")


def test_time_range_with_sequence_numbers() -> None:
    device = parse("time-range T\n  10 absolute start 00:00:00 1 January 2025 end 23:59:59 31 March 2025\n"
                   "ip access-list A\n  10 permit ip any any time-range T")
    assert str(device.filters["A"].rules[0].schedule_end) == "2025-03-31" and device.unrecognized == []


# --------------------------------------------------------------------------- management plane


def test_ssh_is_on_by_default_and_telnet_only_with_its_feature() -> None:
    device = parse("hostname n1\nline vty\n  access-class VTY in")
    (ssh,) = device.management
    assert (ssh.protocol, ssh.default, ssh.ref.line, ssh.acl) == ("ssh", True, 1, "VTY")
    device = parse("hostname n1\nno feature ssh\nfeature telnet")
    assert [(m.protocol, m.default, m.ref.line) for m in device.management] == [("telnet", False, 3)]


def test_default_idle_timeout_is_none_on_console_and_vty() -> None:
    """CIS Cisco NX-OS Benchmark: exec-timeout defaults to 0 (disabled) and is then not printed."""
    device = parse("line console\nline vty\n  session-limit 8")
    assert [(t.context, t.minutes, t.default, t.ref) for t in device.timeouts] == [
        ("line console", 0.0, True, None), ("line vty", 0.0, True, None)]
    device = parse("line console\n  exec-timeout 5\nline vty\n  exec-timeout 12")
    assert [(t.minutes, t.default) for t in device.timeouts] == [(5.0, False), (12.0, False)]


def test_snmp_community_group_and_acl_lines_merge() -> None:
    device = parse("snmp-server community c0mm group network-operator\nsnmp-server community c0mm use-acl SNMP\n"
                   "snmp-server community adm1n group network-admin\nsnmp-server user u1 network-admin auth sha x priv y")
    assert [(c.access, c.acl, c.ref.line) for c in device.snmp] == [("ro", "SNMP", 1), ("rw", None, 3)]
    assert device.snmp_v3 and [r.name for r in device.references] == ["SNMP"]


@pytest.mark.parametrize(
    ("line", "storage", "scheme", "privilege"),
    [
        ("username admin password 5 $1$abc$defghijklmnop role network-admin", "weak-hash", "MD5-crypt ($1$)", 15),
        ("username admin password 5 $5$abc$defghijklmnop role network-admin", "strong-hash", "SHA-256-crypt ($5$)", 15),
        ("username ops password 5 $6$abc$defghijklmnop role network-operator", "strong-hash", "SHA-512-crypt ($6$)", None),
        ("username ops password 0 ClearText role network-operator", "plaintext", "clear text", None),
        ("username ops password ClearText", "plaintext", "clear text", None),
    ],
)
def test_user_password_storage(line: str, storage: str, scheme: str, privilege: int | None) -> None:
    device = parse(line)
    (secret,) = device.secrets
    assert (secret.kind, secret.storage, secret.scheme) == ("user", storage, scheme)
    assert device.users[0].privilege == privilege


def test_aaa_groups_methods_and_command_accounting() -> None:
    device = parse("""
tacacs-server key 7 "abc"
tacacs-server host 10.0.0.1 key 7 "def"
tacacs-server host 10.0.0.2
aaa group server tacacs+ TAC
    server 10.0.0.1
    use-vrf management
aaa authentication login default group TAC local
aaa authentication login console local
aaa authentication login error-enable
aaa accounting default group TAC
""")
    groups = {g.name: [s.host for s in g.servers] for g in device.aaa_groups}
    assert groups == {"TAC": ["10.0.0.1"], "tacacs+": ["10.0.0.2"]}
    methods = [(m.service, m.kind, m.methods, m.list_name) for m in device.aaa_methods]
    assert methods == [
        ("login", "authentication", ("group:TAC", "local"), "default"),
        ("login", "authentication", ("local",), "console"),
        ("commands", "accounting", ("group:TAC",), "default"),
    ]
    assert [(s.owner, s.storage) for s in device.secrets] == [("tacacs-server", "reversible"), ("10.0.0.1", "reversible")]


# --------------------------------------------------------------------------- interfaces, discovery, routes


def test_cdp_default_on_lldp_only_with_its_feature() -> None:
    config = "interface Ethernet1/1\n  no cdp enable\ninterface Ethernet1/2\n  no lldp transmit\ninterface loopback0"
    assert [(i.cdp, i.lldp) for i in parse(config).interfaces] == [(False, False), (True, False), (False, False)]
    device = parse("feature lldp\nno cdp enable\n" + config)
    assert [(i.cdp, i.lldp) for i in device.interfaces] == [(False, True), (False, False), (False, False)]


def test_mgmt0_and_management_vrf_are_out_of_band() -> None:
    device = parse("interface mgmt0\n  ip address 10.99.0.1/24\ninterface Ethernet1/1\n  vrf member management\n"
                   "interface Ethernet1/2\n  vrf member PROD\n  ip address 10.1.0.1/24 secondary")
    assert [(i.name, i.management_only, i.vrf) for i in device.interfaces] == [
        ("mgmt0", True, None), ("Ethernet1/1", True, "management"), ("Ethernet1/2", False, "PROD")]
    assert device.interfaces[2].addresses[0].secondary and device.role == "switch"


def test_routes_at_top_level_and_in_vrf_context() -> None:
    device = parse("ip route 0.0.0.0/0 10.1.1.1\nip route 10.9.0.0/16 Ethernet1/1 10.2.2.2 name x tag 7 200\n"
                   "vrf context management\n  ip route 0.0.0.0/0 10.99.0.254\n  address-family ipv4 unicast")
    routes = [(r.prefix, r.next_hop, r.interface, r.vrf, r.distance) for r in device.routes]
    assert routes == [("0.0.0.0/0", "10.1.1.1", None, None, 1), ("10.9.0.0/16", "10.2.2.2", "Ethernet1/1", None, 200),
                      ("0.0.0.0/0", "10.99.0.254", None, "management", 1)]
    assert device.unrecognized == []


# --------------------------------------------------------------------------- coverage and robustness


def test_unknown_commands_are_counted_and_listed() -> None:
    device = parse("hostname n1\nfeature frobnicator\nwarp-drive engage\ninterface Ethernet1/1\n  flux-capacitor 88")
    assert [(u.line, u.text) for u in device.unrecognized] == [(3, "warp-drive engage"), (5, "flux-capacitor 88")]


def test_header_comments_are_not_unrecognized() -> None:
    device = parse("!Command: show running-config\n!Time: Mon Mar 10 16:50:03 2025\n\nversion 9.3(10) Bios:version 05.47")
    assert device.unrecognized == [] and device.version == "9.3(10)"


def test_truncated_configurations_never_raise() -> None:
    lines = (FIXTURES / "full-switch" / "config").read_text(encoding="utf-8").split("\n")
    for end in range(0, len(lines), 3):
        assert NxosParser().parse(SourceFile("cut.cfg", lines[:end])).lines == end


def test_planted_secrets_never_reach_the_model() -> None:
    planted = ["Pl4nt-User", "Pl4nt-TacKey", "Pl4nt-TacHost", "Pl4nt-Radius", "Pl4nt-Ntp", "Pl4nt-Comm", "Pl4nt-Trap"]
    device = parse(f"""
username u1 password 0 {planted[0]} role network-admin
tacacs-server key 0 "{planted[1]}"
tacacs-server host 10.0.0.1 key 0 {planted[2]}
radius-server host 10.0.0.2 key 7 "{planted[3]}" authentication accounting
ntp authentication-key 1 md5 {planted[4]}
snmp-server community {planted[5]} group network-operator
snmp-server host 10.0.0.9 traps version 2c {planted[6]}
""")
    dump = json.dumps(device_to_data(device))
    assert len(device.secrets) == 5
    for value in planted:
        assert value not in dump, value


def test_full_switch_fixture_is_fully_recognized() -> None:
    source = SourceFile("config", (FIXTURES / "full-switch" / "config").read_text(encoding="utf-8").split("\n"))
    device = NxosParser().parse(source)
    assert device.unrecognized_lines == 0 and device.warnings == []
    assert device.name == "TPE-DC-N9K-01" and device.version == "10.2(7)"
