"""Targeted behaviour of the IOS/IOS-XE parser, beyond the golden files of tests/fixtures/parsers/ios/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netaudit.model import AddressTerm, Device, Service
from netaudit.model_json import device_to_data
from netaudit.parsers.base import SourceFile
from netaudit.parsers.ios import IosParser

FIXTURES = Path(__file__).parent / "fixtures" / "parsers" / "ios"


def parse(text: str, path: str = "r1.cfg") -> Device:
    return IosParser().parse(SourceFile(path, text.strip("\n").split("\n")))


def rule_lines(device: Device, acl: str) -> list[int]:
    return [rule.ref.line for rule in device.filters[acl].rules]


# --------------------------------------------------------------------------- ACLs


def test_a_remark_documents_the_rules_after_it_until_the_next_remark() -> None:
    device = parse("""
ip access-list extended WEB
 remark CR-1 first part
 remark and second part
 permit tcp any host 10.0.0.1 eq 443
 permit tcp any host 10.0.0.2 eq 443
 remark CR-2
 deny ip any any log
""")
    first, second, third = device.filters["WEB"].rules
    assert first.remark == second.remark == "CR-1 first part and second part"
    assert first.remark_ref is not None and first.remark_ref.line == 2
    assert third.remark == "CR-2" and third.remark_ref is not None and third.remark_ref.line == 6


def test_rules_before_any_remark_have_none() -> None:
    device = parse("access-list 101 permit ip any any\naccess-list 101 remark later\naccess-list 101 deny ip any any")
    assert [r.remark for r in device.filters["101"].rules] == [None, "later"]


def test_named_ports_and_several_ports_after_eq() -> None:
    device = parse("access-list 110 permit tcp any any eq www 443 ftp telnet\naccess-list 110 permit udp any any eq snmp")
    tcp, udp = device.filters["110"].rules
    assert tcp.services == (Service(6, ((21, 21), (23, 23), (80, 80), (443, 443))),)
    assert udp.services == (Service(17, ((161, 161),)),)
    assert tcp.services_text == "tcp eq www 443 ftp telnet"


def test_neq_range_lt_gt_and_source_ports() -> None:
    device = parse("""
ip access-list extended P
 10 permit tcp any any neq 23
 20 permit tcp any any range 8000 8010
 30 permit udp any lt 1024 any gt 1023
""")
    neq, ranged, udp = (r.services[0] for r in device.filters["P"].rules)
    assert neq.dst_ports == ((0, 22), (24, 65535))
    assert ranged.dst_ports == ((8000, 8010),)
    assert udp.src_ports == ((0, 1023),) and udp.dst_ports == ((1024, 65535),)
    assert [r.name for r in device.filters["P"].rules] == ["10", "20", "30"]


def test_match_options_with_named_values_do_not_break_an_entry() -> None:
    device = parse("ip access-list extended QOS\n permit ip any any dscp ef\n permit tcp any any eq 22 precedence critical\n"
                   " permit udp any any ttl eq 1 log\n permit ip any any tos max-throughput")
    assert len(device.filters["QOS"].rules) == 4 and device.warnings == []
    assert device.filters["QOS"].rules[2].log


def test_non_contiguous_wildcard_stays_exact() -> None:
    device = parse("access-list 120 permit ip 10.1.0.1 0.0.255.254 any")
    (term,) = device.filters["120"].rules[0].sources.terms
    assert term == AddressTerm(4, 0x0A010001, 0x0000FFFE)
    assert term.prefixlen is None and term.free_bits == 15
    assert term.contains(0x0A01_2A03) and not term.contains(0x0A01_2A02)


def test_standard_acl_matches_sources_only() -> None:
    device = parse("access-list 10 permit 10.99.0.0 0.0.0.255\naccess-list 10 permit 10.1.1.1\nip access-list standard S\n permit host 10.2.2.2")
    for acl in ("10", "S"):
        assert device.filters[acl].kind == "standard"
        for rule in device.filters[acl].rules:
            assert rule.destinations.is_any and rule.services == (Service(None),)
    assert [str(t) for r in device.filters["10"].rules for t in r.sources.terms] == ["10.99.0.0/24", "10.1.1.1/32"]


def test_numbered_acl_kind_by_number_and_non_ip_lists_left_alone() -> None:
    device = parse("access-list 1300 permit any\naccess-list 2000 permit ip any any\naccess-list 700 permit 0000.1111.2222 0000.0000.0000")
    assert device.filters["1300"].kind == "standard" and device.filters["2000"].kind == "extended"
    assert "700" not in device.filters
    assert [u.line for u in device.unrecognized] == [3]


def test_acl_bound_but_undefined_permits_and_is_a_reference() -> None:
    device = parse("interface GigabitEthernet0/1\n ip address 10.0.0.1 255.255.255.0\n ip access-group NOT-THERE in")
    (binding,) = device.bindings
    assert (binding.filter_name, binding.direction, binding.interface) == ("NOT-THERE", "in", "GigabitEthernet0/1")
    assert binding.undefined_permits and binding.use == "interface" and binding.ref.line == 3
    assert [(r.kind, r.name, r.context) for r in device.references] == [("acl", "NOT-THERE", "ip access-group")]
    assert "NOT-THERE" not in device.filters


def test_object_groups_resolve_when_defined_after_the_acl() -> None:
    device = parse("""
ip access-list extended A
 permit object-group SVC any object-group SRV
object-group network SRV
 host 10.0.0.5
 10.1.0.0 255.255.0.0
object-group service SVC
 tcp eq 22
 udp range 1000 1002
""")
    rule = device.filters["A"].rules[0]
    assert [str(t) for t in rule.destinations.terms] == ["10.0.0.5/32", "10.1.0.0/16"]
    assert [str(s) for s in rule.services] == ["tcp/22", "udp/1000-1002"]
    assert {(d.kind, d.name) for d in device.definitions} >= {("object", "SRV"), ("object", "SVC"), ("acl", "A")}


def test_ipv6_acl_icmp_is_icmpv6_and_trailing_sequence_names_the_rule() -> None:
    device = parse("ipv6 access-list V6\n permit icmp any any nd-na\n permit tcp any any eq 22 sequence 30")
    icmp, ssh = device.filters["V6"].rules
    assert icmp.services == (Service(58, icmp_type=136),)
    assert ssh.name == "30" and device.filters["V6"].family == "ipv6"
    assert all(t.version == 6 for t in icmp.sources.terms)


def test_time_range_end_date_reaches_the_rule() -> None:
    device = parse("""
time-range VENDOR
 absolute start 00:00 1 January 2024 end 18:00 31 December 2024
access-list 150 permit tcp any any eq 22 time-range VENDOR
""")
    rule = device.filters["150"].rules[0]
    assert rule.schedule == "VENDOR" and str(rule.schedule_end) == "2024-12-31"
    assert ("time-range", "VENDOR", "access-list") in {(r.kind, r.name, r.context) for r in device.references}


def test_an_unreadable_entry_is_unrecognized_with_a_warning_and_the_rest_goes_on() -> None:
    device = parse("ip access-list extended X\n permit tcp any any eq nosuchport\n permit esp host any any\n permit ip any any")
    assert rule_lines(device, "X") == [4]
    assert [u.line for u in device.unrecognized] == [2, 3]
    assert device.warnings[0].startswith("line 2: access list X:") and device.warnings[1].startswith("line 3:")


def test_filter_uses_follow_the_features_that_name_them() -> None:
    device = parse("""
access-list 1 permit 10.0.0.0 0.255.255.255
access-list 2 permit any
access-list 3 permit any
access-list 101 permit ip any any
access-list 102 permit ip any any
ip nat inside source list 1 interface GigabitEthernet0/0 overload
snmp-server community c0mmunity RO 2
route-map RM permit 10
 match ip address 3
crypto map CM 10 ipsec-isakmp
 match address 101
class-map match-any CL
 match access-group name 102
""")
    uses = {name: acl.uses for name, acl in device.filters.items()}
    assert uses == {"1": {"nat"}, "2": {"snmp"}, "3": {"route"}, "101": {"crypto"}, "102": {"class-map"}}
    assert not any(device.filters[n].is_packet_filter for n in uses)


# --------------------------------------------------------------------------- management plane


def test_vty_without_transport_input_allows_telnet_and_ssh_by_default() -> None:
    device = parse("line con 0\nline vty 0 4\n login local\nline vty 5 15\n transport input ssh\n access-class 5 in")
    default = [(m.protocol, m.context, m.default, m.ref.line) for m in device.management]
    assert default == [("telnet", "line vty 0 4", True, 2), ("ssh", "line vty 0 4", True, 2), ("ssh", "line vty 5 15", False, 5)]
    assert device.management[2].acl == "5"
    assert [(t.context, t.minutes, t.default, t.ref) for t in device.timeouts] == [
        ("line con 0", 10.0, True, None), ("line vty 0 4", 10.0, True, None), ("line vty 5 15", 10.0, True, None)]


@pytest.mark.parametrize(("line", "minutes"), [("exec-timeout 5 30", 5.5), ("exec-timeout 0 0", 0.0), ("exec-timeout 15", 15.0)])
def test_exec_timeout(line: str, minutes: float) -> None:
    device = parse(f"line vty 0 4\n {line}\n transport input all")
    (timeout,) = device.timeouts
    assert timeout.minutes == minutes and not timeout.default and timeout.ref is not None and timeout.ref.line == 2
    assert {m.protocol for m in device.management} == {"ssh", "telnet"}


def test_transport_input_none_means_no_remote_access_on_that_vty() -> None:
    assert parse("line vty 0 4\n transport input none").management == []


def test_http_server_is_management_not_a_device_service() -> None:
    device = parse("ip http server\nip http secure-server\nip http access-class ipv4 WEB\nno ip http server")
    assert [(m.protocol, m.acl) for m in device.management] == [("http", "WEB"), ("https", "WEB")]
    assert all(s.name != "http-server" for s in device.services)
    assert device.bindings[0].use == "management" and device.bindings[0].interface is None


def test_snmp_communities_and_trap_receivers() -> None:
    device = parse("""
snmp-server community s3cr3t-ro RO 10
snmp-server community s3cr3t-rw view all RW
snmp-server host 10.9.9.9 version 2c trap-only-community
snmp-server group G v3 priv
""")
    assert [(c.access, c.acl, c.ref.line) for c in device.snmp] == [("ro", "10", 1), ("rw", None, 2)]
    assert [(m.protocol, m.acl) for m in device.management] == [("snmp", "10"), ("snmp", None)]
    assert device.snmp_v3 and device.unrecognized == []


# --------------------------------------------------------------------------- secrets, users, AAA


@pytest.mark.parametrize(
    ("line", "kind", "storage", "scheme"),
    [
        ("username a password 0 clearpw", "user", "plaintext", "type 0 (clear text)"),
        ("username a password clearpw", "user", "plaintext", "clear text"),
        ("username a password 7 0822455D0A16", "user", "reversible", "type 7"),
        ("username a privilege 15 secret 5 $1$abcd$0123456789abcdefghij", "user", "weak-hash", "type 5 (MD5)"),
        ("username a secret 8 $8$abcdefgh$0123456789", "user", "strong-hash", "type 8 (PBKDF2-SHA-256)"),
        ("username a secret 9 $9$abcdefgh$0123456789", "user", "strong-hash", "type 9 (scrypt)"),
        ("username a algorithm-type scrypt secret typed-in-clear", "user", "plaintext",
         "algorithm-type scrypt (clear text in the file)"),
        ("enable password 7 0822455D0A16", "enable", "reversible", "type 7"),
        ("enable password clearenable", "enable", "plaintext", "clear text"),
        ("enable secret 5 $1$abcd$0123456789abcdefghij", "enable", "weak-hash", "type 5 (MD5)"),
        ("enable secret 9 $9$abcdefgh$0123456789", "enable", "strong-hash", "type 9 (scrypt)"),
        ("tacacs-server key 7 0822455D0A16", "aaa-key", "reversible", "type 7"),
        ("radius-server host 10.1.1.1 key clearkey", "aaa-key", "plaintext", "clear text"),
        ("crypto isakmp key 6 encryptedvalue address 1.2.3.4", "psk", "encrypted", "type 6 (AES, device master key)"),
        ("ntp authentication-key 1 md5 0822455D0A16 7", "ntp-key", "reversible", "type 7"),
    ],
)
def test_secret_storage_types(line: str, kind: str, storage: str, scheme: str) -> None:
    (secret,) = parse(line).secrets
    assert (secret.kind, secret.storage, secret.scheme) == (kind, storage, scheme)


def test_line_password_and_named_server_keys() -> None:
    device = parse("line vty 0 4\n password 7 0822455D0A16\ntacacs server T1\n address ipv4 10.1.1.1\n key 6 abcdef")
    assert [(s.kind, s.owner, s.storage) for s in device.secrets] == [
        ("line", "line vty 0 4", "reversible"), ("aaa-key", "T1", "encrypted")]


def test_aaa_methods_are_normalised() -> None:
    device = parse("""
aaa new-model
aaa authentication login default group TAC local-case
aaa authentication enable default group tacacs+ enable
aaa authorization commands 15 default group radius none
aaa accounting commands 15 default start-stop broadcast group TAC
""")
    methods = [(m.service, m.kind, m.methods, m.list_name) for m in device.aaa_methods]
    assert methods == [
        ("login", "authentication", ("group:TAC", "local"), "default"),
        ("enable", "authentication", ("tacacs+", "enable"), "default"),
        ("commands", "authorization", ("radius", "none"), "default"),
        ("commands", "accounting", ("group:TAC",), "default"),
    ]
    assert device.aaa_new_model and all(m.central for m in device.aaa_methods)


def test_servers_outside_named_groups_form_the_implicit_groups() -> None:
    device = parse("""
tacacs-server host 10.0.0.1
tacacs-server host 10.0.0.2
radius server R1
 address ipv4 10.0.0.3 auth-port 1812 acct-port 1813
aaa group server tacacs+ TAC
 server 10.0.0.1
""")
    groups = {g.name: (g.protocol, [s.host for s in g.servers]) for g in device.aaa_groups}
    assert groups == {"TAC": ("tacacs+", ["10.0.0.1"]), "tacacs+": ("tacacs+", ["10.0.0.2"]), "radius": ("radius", ["10.0.0.3"])}


def test_archive_log_config_counts_only_with_logging_enable() -> None:
    enabled = parse("archive\n log config\n  logging enable\n  hidekeys\n path flash:x")
    assert [r.line for r in enabled.config_change_logging] == [2]
    assert parse("archive\n log config\n  hidekeys").config_change_logging == []


# --------------------------------------------------------------------------- services, discovery, interfaces


def test_bootp_source_route_and_pad_are_on_unless_disabled() -> None:
    device = parse("hostname r1")
    assert [(s.name, s.enabled, s.default, s.ref) for s in device.services] == [
        ("bootp-server", True, True, None), ("source-route", True, True, None), ("pad", True, True, None)]


def test_disabled_and_explicit_legacy_services() -> None:
    device = parse("service tcp-small-servers\nno service udp-small-servers\nservice finger\nno ip bootp server\n"
                   "no ip source-route\nno service pad")
    states = {s.name: (s.enabled, s.default, s.ref.line if s.ref else None) for s in device.services}
    assert states == {
        "tcp-small-servers": (True, False, 1), "udp-small-servers": (False, False, 2), "finger": (True, False, 3),
        "bootp-server": (False, False, 4), "source-route": (False, False, 5), "pad": (False, False, 6),
    }


def test_cdp_is_on_by_default_per_interface_and_lldp_needs_lldp_run() -> None:
    config = "interface Gi0/0\n no cdp enable\ninterface Gi0/1\n no lldp transmit\ninterface Gi0/2\ninterface Loopback0"
    device = parse(config)
    assert [(i.name, i.cdp, i.lldp) for i in device.interfaces] == [
        ("Gi0/0", False, False), ("Gi0/1", True, False), ("Gi0/2", True, False), ("Loopback0", False, False)]
    device = parse("no cdp run\nlldp run\n" + config)
    assert [(i.cdp, i.lldp) for i in device.interfaces] == [(False, True), (False, False), (False, True), (False, False)]


def test_interfaces_addresses_vrf_and_management_vrf() -> None:
    device = parse("""
interface GigabitEthernet0
 vrf forwarding Mgmt-vrf
 ip address 10.99.0.5 255.255.255.0
interface Vlan20
 ip vrf forwarding CUST
 ip address 10.20.0.1 255.255.255.0
 ip address 10.21.0.1 255.255.255.0 secondary
 ipv6 address 2001:DB8::1/64
 shutdown
interface GigabitEthernet1/0/1
 switchport access vlan 20
 switchport mode access
interface Dialer1
 ip address negotiated
""")
    mgmt, svi, port, dialer = device.interfaces
    assert mgmt.management_only and mgmt.vrf == "Mgmt-vrf"
    assert [(a.address, a.secondary) for a in svi.addresses] == [
        ("10.20.0.1/24", False), ("10.21.0.1/24", True), ("2001:db8::1/64", False)]
    assert (svi.vlan, svi.vrf, svi.shutdown, svi.management_only) == (20, "CUST", True, False)
    assert (port.vlan, port.switchport) == (20, True) and dialer.addresses == []
    assert device.role == "switch"


def test_static_routes_with_vrf_interface_distance_and_name() -> None:
    device = parse("""
ip route 0.0.0.0 0.0.0.0 203.0.113.1
ip route vrf Mgmt-vrf 0.0.0.0 0.0.0.0 10.99.0.254
ip route 10.40.0.0 255.255.0.0 Gi0/1 10.30.0.254 200 name backup
ip route 10.50.0.0 255.255.0.0 Null0 tag 5 permanent
ipv6 route 2001:DB8::/32 Gi0/0 FE80::1
""")
    routes = [(r.prefix, r.next_hop, r.interface, r.vrf, r.distance) for r in device.routes]
    assert routes == [
        ("0.0.0.0/0", "203.0.113.1", None, None, 1), ("0.0.0.0/0", "10.99.0.254", None, "Mgmt-vrf", 1),
        ("10.40.0.0/16", "10.30.0.254", "Gi0/1", None, 200), ("10.50.0.0/16", None, "Null0", None, 1),
        ("2001:db8::/32", "FE80::1", "Gi0/0", None, 1),
    ]


def test_static_and_dynamic_nat() -> None:
    device = parse("""
ip access-list standard INSIDE
 permit 10.0.0.0 0.0.255.255
ip nat inside source list INSIDE interface Gi0/0 overload
ip nat inside source static tcp 10.1.1.1 443 203.0.113.5 8443
""")
    static, dynamic = device.nat
    assert static.kind == "static" and str(static.service) == "tcp/443" and str(static.mapped_service) == "tcp/8443"
    assert dynamic.kind == "dynamic" and dynamic.mapped_interface == "Gi0/0"
    assert [str(t) for t in dynamic.real.terms] == ["10.0.0.0/16"] and device.filters["INSIDE"].uses == {"nat"}


def test_crypto_map_entries_listen_where_the_map_is_applied() -> None:
    device = parse("crypto map VPN 10 ipsec-isakmp\n set peer 1.2.3.4\n match address 101\ninterface Gi0/0\n crypto map VPN")
    (vpn,) = device.vpns
    assert (vpn.name, vpn.kind, vpn.interfaces) == ("VPN 10", "site-to-site", ["Gi0/0"])


# --------------------------------------------------------------------------- coverage and robustness


def test_unknown_commands_are_counted_and_listed_with_masked_text() -> None:
    device = parse("hostname r1\nfrobnicate the widgets\ninterface Gi0/0\n quantum-entangle on\n!\nend")
    assert [(u.line, u.text) for u in device.unrecognized] == [(2, "frobnicate the widgets"), (4, "quantum-entangle on")]
    assert device.unrecognized_lines == 2 and device.name == "r1"
    assert parse("wibble password hunter2").unrecognized[0].text == "wibble password <masked>"


def test_device_name_falls_back_to_the_file_stem() -> None:
    assert parse("interface Gi0/0", path="backups/core-sw1.txt").name == "core-sw1"


def test_banner_body_is_recognized_and_lines_after_it_are_parsed() -> None:
    device = parse("banner motd ^C\nhostname fake\n  indented text\n^C\nhostname real\nbanner exec @one line@\nfoo")
    assert device.name == "real" and [u.line for u in device.unrecognized] == [7]


def test_a_mis_indented_interface_line_starts_a_new_interface() -> None:
    device = parse("interface Fa0/5\n switchport access vlan 300\n interface Fa0/6\n switchport access vlan 24")
    assert [(i.name, i.vlan) for i in device.interfaces] == [("Fa0/5", 300), ("Fa0/6", 24)]


def test_truncated_configurations_never_raise() -> None:
    lines = (FIXTURES / "full-switch" / "config").read_text(encoding="utf-8").split("\n")
    for end in range(0, len(lines), 3):
        device = IosParser().parse(SourceFile("cut.cfg", lines[:end]))
        assert device.lines == end


def test_broken_lines_give_warnings_not_exceptions() -> None:
    device = parse("interface Gi0/0\n ip address 10.0.0.1\n ip access-group X sideways\nip route 10.0.0.0\nusername")
    assert len(device.warnings) == 4 and all(w.startswith("line ") for w in device.warnings)
    assert [u.line for u in device.unrecognized] == [2, 3, 4, 5]


def test_planted_secrets_never_reach_the_model() -> None:
    planted = ["Pl4nted-User", "Pl4nted-Enable", "Pl4nted-Tacacs", "Pl4nted-Radius", "Pl4nted-Psk", "Pl4nted-Ring",
               "Pl4nted-Ikev2", "Pl4nted-Ntp", "Pl4nted-Line", "Pl4nted-Comm", "Pl4nted-Trap", "Pl4nted-Ftp",
               "Pl4nted-Priv", "Pl4nted-Coa", "Pl4nted-Group"]
    device = parse(f"""
username u1 privilege 15 password 0 {planted[0]}
enable password {planted[1]}
tacacs server T
 address ipv4 10.0.0.1
 key 0 {planted[2]}
radius-server host 10.0.0.2 auth-port 1812 key {planted[3]}
crypto isakmp key {planted[4]} address 1.2.3.4
crypto keyring KR
 pre-shared-key address 5.6.7.8 key {planted[5]}
crypto ikev2 keyring K2
 peer P
  address 9.9.9.9
  pre-shared-key local 0 {planted[6]}
ntp authentication-key 3 md5 {planted[7]}
line vty 0 4
 password {planted[8]}
snmp-server community {planted[9]} RO
snmp-server host 10.0.0.9 {planted[10]}
ip ftp password {planted[11]}
snmp-server user u g v3 auth sha {planted[12]} priv aes 128 {planted[12]}
aaa server radius dynamic-author
 client 10.0.0.7 server-key {planted[13]}
aaa group server radius RG
 server-private 10.0.0.8 key {planted[14]}
mystery-command secret {planted[0]}
""")
    dump = json.dumps(device_to_data(device))
    assert len(device.secrets) == 12 and len(device.snmp) == 1
    for value in planted:
        assert value not in dump, value


def test_full_switch_fixture_is_fully_recognized() -> None:
    source = SourceFile("config", (FIXTURES / "full-switch" / "config").read_text(encoding="utf-8").split("\n"))
    device = IosParser().parse(source)
    assert device.unrecognized_lines == 0 and device.warnings == []
    assert device.role == "switch" and device.name == "TPE-DC-CORE-SW01"


def test_line_numbers_follow_the_file_with_blank_lines_and_comments() -> None:
    device = parse("!\n\nhostname r1\n\n\ninterface Gi0/0\n\n description x\n ip address 10.0.0.1 255.0.0.0")
    assert device.hostname_ref is not None and device.hostname_ref.line == 3
    assert device.interfaces[0].ref.line == 6 and device.interfaces[0].description == "x"
