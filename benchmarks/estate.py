"""A generated insurer estate for the audit benchmark: N device configs and their topology file.

Deterministic (seeded): the same arguments write byte-identical files, so figures measured on two
machines or before and after a change are about the same network. The estate is one consistent
network, shaped like a large Taiwan life insurer:

* two data centres (``tpe`` Taipei, ``tch`` Taichung DR), each with two Internet edge routers
  (IOS-XE), an edge ASA with DMZs (the Taipei one also terminates the staff / vendor VPN), an
  internal production ASA that is the gateway of every prod web / AP / DB VLAN and holds the large
  rule base (object-groups, nested groups, mixed rule widths, port ranges, remarks with change
  tickets and some expiry dates, some inactive, shadowed and redundant rules), a management ASA, a
  WAN ASA (offices, head office and the other data centre come in through it), an NX-OS core pair
  (test SVIs with ACLs and HSRP, one SVI on the DC transit VLAN) and NX-OS leaves (layer 2, mgmt0
  only), a WAN router, plus IOS out-of-band management switches;
* a head office (``hq``) with a collapsed IOS-XE core pair (OA user, voice and printer SVIs with
  ACLs, HSRP) uplinked to the Taipei WAN ASA, and access-switch stacks (802.1X access ports);
* regional offices, each with a WAN router (dual-homed to both DCs' WAN routers, with an inbound
  ACL that admits only traffic for the office) and an IOS-XE distribution switch with OA SVIs and
  ACLs, and access switches.

Sites are joined by transit links through firewalls, as the sample network is: each data centre's
firewalls and core pair share one transit VLAN, and head office, offices and the other data centre
reach it through the WAN ASA. (A design where the core pairs route to each other and to the
offices directly, with every HSRP pair and dual link unfiltered, gives the reachability analysis
an exponential number of simple paths: see benchmarks/README.md.) Zones per site
(prod web/ap/db, test, oa, mgmt, dmz, transit, vpn) are consistent with the interface subnets, and
``network.yaml`` declares them, the security hosts (jump, PAM, AAA, log, NTP, DNS, proxy, WAF)
and the intended crossings. Every device has a whole configuration (banners, AAA, users, lines,
SNMP, logging, NTP, QoS, spanning tree ...), so that lines are not all rules.

    .venv/bin/python benchmarks/estate.py --devices 200 --lines 1000000 --out /tmp/estate

writes ``/tmp/estate/configs/<hostname>.cfg`` and ``/tmp/estate/network.yaml`` and prints the
totals (devices, lines, rules). Never write the estate into the repository.
"""

from __future__ import annotations

import argparse
import ipaddress
import random
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SEED = 20261124
DC_SITES = (("tpe", "Taipei Neihu data centre"), ("tch", "Taichung DR data centre"))
OFFICES = (
    ("khh", "Kaohsiung"), ("tnn", "Tainan"), ("hsz", "Hsinchu"), ("tyn", "Taoyuan"), ("ila", "Yilan"),
    ("hln", "Hualien"), ("cyi", "Chiayi"), ("ptn", "Pingtung"), ("ntc", "New Taipei"), ("txg", "Taichung city"),
    ("kee", "Keelung"), ("chw", "Changhua"), ("ntu", "Nantou"), ("ylc", "Yunlin"), ("ttt", "Taitung"), ("mzg", "Penghu"),
)
# Each office's management /20 follows head office's in 10.98.0.0/16: room for 15 offices (larger
# estates grow the offices' access switches instead).
MAX_OFFICES = min(len(OFFICES), 15)
APPS = (
    "POL", "CLM", "UW", "AGT", "CRM", "PAY", "ACT", "REI", "INV", "HR", "ERP", "BI", "DW", "ESB", "MQ", "ILP",
    "ANN", "GRP", "HLTH", "TRV", "EPOL", "EAPP", "OCR", "IMG", "RPT", "AML", "KYC", "FRD", "CSH", "GL", "TAX",
    "CMS", "PRT", "MAIL", "SMS", "OTP", "SSO", "IAM", "PKI", "LOG", "MON", "BKP", "FTP", "EDI", "API", "GW",
    "CALL", "IVR", "CTI", "QA", "DOC", "ARC", "LOAN", "FUND", "VUL", "BANC", "BRK", "CHN", "MBR", "PTL",
)
TCP_APP_PORTS = (80, 443, 8080, 8443, 8000, 9443, 7001, 7002, 9080, 9443, 1521, 1433, 3306, 5432, 6379, 9092,
                 5672, 61616, 1414, 389, 636, 445, 22, 3389, 21, 25, 587, 993, 8081, 8888, 9200, 27017)
ASA_PORT_NAMES = {80: "www", 443: "https", 1521: "sqlnet", 22: "ssh", 21: "ftp", 25: "smtp", 389: "ldap",
                  636: "ldaps", 445: "445", 3389: "3389", 1433: "1433"}
DEPARTMENTS = ("UW", "CLAIMS", "AGENCY", "FIN", "ACT", "HR", "IT", "LEGAL", "AUDIT", "RISK", "MKT", "CS",
               "INVEST", "ACTUARY", "PRESIDENT", "GA", "COMPLIANCE", "PRODUCT", "CHANNEL", "BANCA")


# --------------------------------------------------------------------------- the plan


@dataclass(slots=True)
class Zone:
    name: str
    env: str
    cidrs: list[str] = field(default_factory=list)
    tier: str | None = None
    klass: int | None = None
    internet_facing: bool | None = None


@dataclass(slots=True)
class Host:
    name: str
    ip: str
    role: str
    mfa: bool | None = None


@dataclass(slots=True)
class Link:
    """A routed point-to-point link (a /30 in the WAN transit range)."""

    a: str
    b: str
    network: ipaddress.IPv4Network

    def address(self, device: str) -> str:
        hosts = list(self.network.hosts())
        return str(hosts[0] if device == self.a else hosts[1])

    def peer(self, device: str) -> str:
        return self.b if device == self.a else self.a


@dataclass(slots=True)
class Counts:
    """How many devices of each kind, and how big the scalable parts are."""

    offices: int
    leaves: tuple[int, int]
    oob: tuple[int, int]
    hq_access: int
    office_access: list[int]
    scale: float = 1.0

    @property
    def devices(self) -> int:
        return FIXED_DEVICES + 2 * self.offices + sum(self.leaves) + sum(self.oob) + self.hq_access + sum(self.office_access)


FIXED_DEVICES = 20  # per DC: 2 Internet routers, 4 ASAs, 2 cores, 1 WAN router; the HQ core pair


def plan_counts(devices: int) -> Counts:
    """Share ``devices`` among the kinds: 20 fixed (edges, firewalls, cores, WAN), the rest in proportion."""
    if devices < 30:
        raise SystemExit("estate: at least 30 devices")
    rest = devices - FIXED_DEVICES
    offices = max(1, min(MAX_OFFICES, round(rest * 8 / 180)))
    leaves_total = max(2, round(rest * 20 / 180))
    leaves = (leaves_total - leaves_total * 2 // 5, leaves_total * 2 // 5)
    oob_total = max(2, round(rest * 4 / 180))
    oob = (oob_total - oob_total // 2, oob_total // 2)
    access = rest - 2 * offices - leaves_total - oob_total
    hq_access = access * 3 // 7
    per_office = access - hq_access
    office_access = [per_office // offices + (1 if i < per_office % offices else 0) for i in range(offices)]
    return Counts(offices, leaves, oob, hq_access, office_access)


class Plan:
    """Addresses, zones, hosts and links of the whole estate, decided before any config is written."""

    def __init__(self, counts: Counts) -> None:
        self.counts = counts
        self.zones: dict[str, Zone] = {"internet": Zone("internet", "external")}
        self.hosts: dict[str, Host] = {}
        self.links: list[Link] = []
        self._p2p = ipaddress.ip_network("10.255.0.0/16").subnets(new_prefix=30)
        self.offices = [code for code, _ in OFFICES[: counts.offices]]
        self.dc_shape = {"tpe": {"web": 8, "ap": 12, "db": 6, "test": 8, "dmz": 4},
                         "tch": {"web": 6, "ap": 8, "db": 4, "test": 6, "dmz": 3}}
        self._zones()
        self._hosts()
        self._links()

    # zones ---------------------------------------------------------------------------------
    def _zones(self) -> None:
        add = self._add_zone
        for k, (dc, _) in enumerate(DC_SITES):
            add(Zone(f"{dc}-prod-web", "prod", [f"10.{10 + k}.0.0/18"], "web", 1))
            add(Zone(f"{dc}-prod-ap", "prod", [f"10.{10 + k}.64.0/18"], "ap", 1))
            add(Zone(f"{dc}-prod-db", "prod", [f"10.{10 + k}.128.0/18"], "db", 1))
            add(Zone(f"{dc}-test", "test", [f"10.{20 + k}.0.0/16"]))
            add(Zone(f"{dc}-mgmt", "mgmt", [f"10.{96 + k}.0.0/16"], klass=1))
            add(Zone(f"{dc}-dmz", "dmz", [f"172.{16 + k}.0.0/16"], "web", 1, True))
            add(Zone(f"{dc}-transit", "transit", [f"10.254.{16 * k}.0/20"]))
        add(Zone("tpe-vpn", "remote", ["192.168.100.0/22"]))
        add(Zone("hq-oa", "oa", ["10.30.0.0/16"]))
        add(Zone("hq-mgmt", "mgmt", ["10.98.0.0/20"]))
        add(Zone("hq-transit", "transit", ["10.254.128.0/24"]))
        for j, office in enumerate(self.offices):
            add(Zone(f"{office}-oa", "oa", [f"10.{40 + j}.0.0/16"]))
            add(Zone(f"{office}-mgmt", "mgmt", [f"10.98.{16 * (j + 1)}.0/20"]))
        add(Zone("wan-transit", "transit", ["10.255.0.0/16"]))

    def _add_zone(self, zone: Zone) -> None:
        self.zones[zone.name] = zone

    # hosts ---------------------------------------------------------------------------------
    def _hosts(self) -> None:
        for k, (dc, _) in enumerate(DC_SITES):
            for name, vlan, last, role in (("jump01", 2, 10, "jump"), ("jump02", 2, 12, "jump"), ("pam01", 2, 11, "pam"),
                                           ("radius01", 0, 20, "aaa"), ("tacacs01", 0, 21, "aaa"), ("ldap01", 0, 25, "aaa"),
                                           ("syslog01", 0, 30, "log"), ("ntp01", 0, 40, "ntp"), ("dns01", 0, 53, "dns")):
                mfa = {"radius01": True, "tacacs01": False, "ldap01": False}.get(name)
                self.hosts[f"{dc}-{name}"] = Host(f"{dc}-{name}", f"10.{96 + k}.{vlan}.{last}", role, mfa)
            self.hosts[f"{dc}-waf01"] = Host(f"{dc}-waf01", f"172.{16 + k}.0.5", "waf")
        self.hosts["hq-proxy01"] = Host("hq-proxy01", "10.30.250.5", "proxy")

    # links ---------------------------------------------------------------------------------
    def _link(self, a: str, b: str) -> None:
        self.links.append(Link(a, b, next(self._p2p)))

    def _links(self) -> None:
        for office in self.offices:
            for dc, _ in DC_SITES:
                self._link(f"wan-{dc}-01", f"rtr-{office}-01")
            self._link(f"rtr-{office}-01", f"dist-{office}-01")

    @staticmethod
    def dc_transit(k: int, member: str) -> str:
        """The DC transit VLAN (a /28): every firewall of the DC and the core pair are on it."""
        last = {"fw-edge": 1, "fw-prod": 2, "fw-mgmt": 3, "fw-wan": 4, "core-01": 5, "core-02": 6}[member]
        return f"10.254.{16 * k}.{last}/28"

    @staticmethod
    def wan_link(k: int, member: str) -> str:
        """The /29 between a DC's WAN ASA and its WAN router."""
        return f"10.254.{16 * k}.{17 if member == 'fw-wan' else 18}/29"

    def links_of(self, device: str) -> list[Link]:
        return [link for link in self.links if device in (link.a, link.b)]

    def host_ip(self, name: str) -> str:
        return self.hosts[name].ip


# --------------------------------------------------------------------------- writing helpers


def mask(prefixlen: int) -> str:
    return str(ipaddress.IPv4Network(f"0.0.0.0/{prefixlen}").netmask)


def wildcard(prefixlen: int) -> str:
    return str(ipaddress.IPv4Network(f"0.0.0.0/{prefixlen}").hostmask)


def net_mask(cidr: str) -> str:
    """'10.1.2.0/24' → '10.1.2.0 255.255.255.0' (ASA, IOS interface form)."""
    network = ipaddress.ip_network(cidr)
    return f"{network.network_address} {network.netmask}"


def net_wild(cidr: str) -> str:
    """'10.1.2.0/24' → '10.1.2.0 0.0.0.255' (IOS ACL form; a /32 is 'host A')."""
    network = ipaddress.ip_network(cidr)
    if network.prefixlen == 32:
        return f"host {network.network_address}"
    return f"{network.network_address} {network.hostmask}"


def fake_hash(rng: random.Random, length: int, alphabet: str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./") -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def hexstr(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(length))


def ticket(rng: random.Random) -> str:
    return f"CHG-{rng.randrange(2018, 2027)}-{rng.randrange(1, 2000):04d}"


EXPIRY_FORMS = (
    "exp {y}-{m:02d}-{d:02d}", "expires {y}-{m:02d}-{d:02d}", "until {y}/{m:02d}/{d:02d}", "remove by {y}{m:02d}{d:02d}",
    "到期 {r}/{m:02d}/{d:02d}", "有效期限 民國{r}年{m}月{d}日", "期限 {r}.{m:02d}.{d:02d}",
)


def expiry(rng: random.Random) -> str:
    """An end date in one of the forms netaudit reads (some passed, some to come)."""
    year = rng.choice((2024, 2025, 2025, 2026, 2027, 2028))
    month, day = rng.randrange(1, 13), rng.choice((15, 28, 30 if rng.random() < 0.5 else 31))
    if month == 2:
        day = 28
    if day == 31 and month in (4, 6, 9, 11):
        day = 30
    return rng.choice(EXPIRY_FORMS).format(y=year, m=month, d=day, r=year - 1911)


class Config:
    """The lines of one device config, with small helpers for blocks."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def extend(self, lines: list[str] | Iterator[str]) -> None:
        self.lines.extend(lines)

    def bang(self, count: int = 1) -> None:
        self.lines.extend(["!"] * count)


# --------------------------------------------------------------------------- rule generation


@dataclass(slots=True)
class Endpoint:
    """An address written three ways: ASA, IOS wildcard, NX-OS prefix."""

    asa: str
    ios: str
    nxos: str
    width: int  # prefix length (0: any)


def endpoint_of(cidr: str, object_name: str | None = None) -> Endpoint:
    network = ipaddress.ip_network(cidr)
    if network.prefixlen == 0:
        return Endpoint("any", "any", "any", 0)
    asa = f"object {object_name}" if object_name else (
        f"host {network.network_address}" if network.prefixlen == 32 else net_mask(cidr))
    return Endpoint(asa, net_wild(cidr), str(network), network.prefixlen)


ANY = Endpoint("any", "any", "any", 0)


@dataclass(slots=True)
class AsaObjects:
    """The objects and groups of one ASA, and the address choices rules draw from."""

    lines: list[str] = field(default_factory=list)
    hosts: dict[str, list[str]] = field(default_factory=dict)  # group role -> host object names
    groups: dict[str, list[str]] = field(default_factory=dict)  # role -> group names
    services: list[str] = field(default_factory=list)
    service_objects: list[str] = field(default_factory=list)  # 'object-group service X' with service-object lines
    used: set[str] = field(default_factory=set)


class RuleWriter:
    """Writes realistic rule bases: remarks with tickets and expiry dates, mixed widths, some inactive,
    and deliberately shadowed and redundant rules (copies and narrower repeats of earlier rules)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def remark(self, purpose: str) -> str:
        rng = self.rng
        text = f"{ticket(rng)} {purpose}"
        if rng.random() < 0.07:
            text += f", {expiry(rng)}"
        elif rng.random() < 0.2:
            text += f" requested by {rng.choice(DEPARTMENTS).lower()} ({rng.choice(('chen', 'lin', 'wang', 'huang', 'chang', 'liu', 'tsai', 'yang'))})"
        return text

    def port(self, style: str) -> str:
        """A destination port clause: eq / range / neq / gt, with ASA names where ASA prints them."""
        rng = self.rng
        kind = rng.random()
        if kind < 0.7:
            port = rng.choice(TCP_APP_PORTS)
            return f"eq {ASA_PORT_NAMES.get(port, str(port)) if style == 'asa' else port}"
        if kind < 0.92:
            low = rng.choice((1024, 5000, 7000, 8000, 9000, 10000, 20000, 30000, 49152))
            return f"range {low} {low + rng.choice((1, 9, 10, 49, 99, 199, 999))}"
        return rng.choice(("gt 1023", "neq 23", "lt 1024"))


def asa_acl(name: str, entries: list[str]) -> list[str]:
    return [f"access-list {name} {entry}" for entry in entries]


# --------------------------------------------------------------------------- common blocks


def ios_header(cfg: Config, rng: random.Random, hostname: str, version: str, *, switch: bool) -> None:
    size = rng.randrange(20000, 400000)
    cfg.add("Building configuration...", "", f"Current configuration : {size} bytes", "!",
            f"! Last configuration change at {rng.randrange(0, 24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} TST "
            f"{rng.choice(('Mon', 'Tue', 'Wed', 'Thu', 'Fri'))} Nov {rng.randrange(1, 24)} 2026 by ops-{rng.choice(('chen', 'lin', 'wang'))}",
            f"! NVRAM config last updated at 09:{rng.randrange(60):02d}:11 TST Mon Nov 16 2026 by ops-lin", "!",
            f"version {version}",
            "service timestamps debug datetime msec localtime show-timezone",
            "service timestamps log datetime msec localtime show-timezone",
            "service password-encryption", "service sequence-numbers" if not switch else "service call-home",
            "no service pad", "platform punt-keepalive disable-kernel-core", "!", f"hostname {hostname}", "!",
            "boot-start-marker", f"boot system flash bootflash:{'cat9k_iosxe' if switch else 'isr4400-universalk9'}.17.09.04a.SPA.bin",
            "boot-end-marker", "!")
    cfg.add("vrf definition Mgmt-vrf" if switch else "vrf definition Mgmt-intf", " !", " address-family ipv4",
            " exit-address-family", " !", " address-family ipv6", " exit-address-family", "!",
            "logging buffered 64000 informational", "no logging console",
            f"enable secret 9 $9${fake_hash(rng, 14)}${fake_hash(rng, 43)}", "!")


def ios_aaa(cfg: Config, rng: random.Random, plan: Plan, dc: str, *, compliant: bool, vrf: str) -> None:
    if not compliant:
        cfg.add("no aaa new-model", "!")
        return
    cfg.add("aaa new-model", "!", "aaa group server tacacs+ FL-TACACS", " server name TACACS-01", " server name TACACS-02",
            f" ip vrf forwarding {vrf}", "!",
            "aaa authentication login default group FL-TACACS local",
            "aaa authentication enable default group FL-TACACS enable",
            "aaa authorization console",
            "aaa authorization exec default group FL-TACACS local if-authenticated",
            "aaa authorization commands 15 default group FL-TACACS local if-authenticated",
            "aaa accounting exec default start-stop group FL-TACACS",
            "aaa accounting commands 15 default start-stop group FL-TACACS",
            "aaa accounting network default start-stop group FL-TACACS", "!", "aaa session-id common")


def ios_globals(cfg: Config, rng: random.Random, *, switch: bool) -> None:
    cfg.add("clock timezone TST 8 0")
    if switch:
        cfg.add("switch 1 provision c9300-48u", "!", "ip routing", "!")
    cfg.add("no ip source-route", "no ip bootp server", "!", "no ip domain lookup", "ip domain name corp.formosalife.example",
            "!", "login block-for 300 attempts 5 within 120", "login on-failure log", "login on-success log", "!")
    if switch:
        cfg.add("vtp mode transparent", "vtp version 1", "!", "spanning-tree mode rapid-pvst", "spanning-tree extend system-id",
                "spanning-tree portfast bpduguard default", "!", "errdisable recovery cause bpduguard",
                "errdisable recovery interval 300", "!")
    cfg.add("crypto pki trustpoint SLA-TrustPoint", " enrollment pkcs12", " revocation-check crl", " hash sha256", "!",
            f"crypto pki trustpoint TP-self-signed-{rng.randrange(10**9, 10**10)}", " enrollment selfsigned",
            f" subject-name cn=IOS-Self-Signed-Certificate-{rng.randrange(10**9, 10**10)}", " revocation-check none",
            " rsakeypair TP-self-signed", "!")
    cfg.add("license boot level network-advantage addon dna-advantage" if switch else "license udi pid ISR4451-X/K9 sn FOC2341" + str(rng.randrange(1000, 9999)),
            f"memory free low-watermark processor {rng.randrange(60000, 95000)}", "!", "diagnostic bootup level minimal", "!")


def ios_users(cfg: Config, rng: random.Random, hostname: str, *, compliant: bool) -> None:
    if compliant:
        for user in ("netops-chen", "netops-lin", f"bg-{hostname}"):
            cfg.add(f"username {user} privilege 15 secret 9 $9${fake_hash(rng, 14)}${fake_hash(rng, 43)}")
    else:
        cfg.add(f"username admin privilege 15 password 7 {hexstr(rng, 26).upper()}")
    cfg.add("!", "redundancy", " mode sso", "!")


def ios_mgmt_tail(cfg: Config, rng: random.Random, plan: Plan, dc: str, hostname: str, *, compliant: bool, vrf: str, location: str) -> None:
    """The management plane every IOS device writes: HTTP, logging, SNMP, TACACS, banner, lines, NTP."""
    syslog, ntp, nms = plan.host_ip(f"{dc}-syslog01"), plan.host_ip(f"{dc}-ntp01"), f"10.{96 + (0 if dc == 'tpe' else 1)}.0.35"
    jump, pam = plan.host_ip(f"{dc}-jump01"), plan.host_ip(f"{dc}-pam01")
    tac1, tac2 = plan.host_ip(f"{dc}-tacacs01"), f"{plan.host_ip(f'{dc}-tacacs01').rsplit('.', 1)[0]}.22"
    if compliant:
        cfg.add("no ip http server", "ip http authentication aaa", "ip http access-class ipv4 VTY-MGMT", "ip http secure-server")
    else:
        cfg.add("ip http server", "ip http authentication local", "ip http secure-server")
    cfg.add("ip ssh bulk-mode 131072", "ip ssh version 2", "ip ssh server algorithm mac hmac-sha2-256 hmac-sha2-512", "!", "!")
    cfg.add("ip access-list standard VTY-MGMT", " remark CHG-2023-0101 jump hosts and PAM only",
            f" permit {jump}", f" permit {pam}", f" permit {jump.rsplit('.', 1)[0]}.12", " deny   any log", "!")
    cfg.add("access-list 10 remark CHG-2023-0102 SNMP pollers", f"access-list 10 permit {nms}", "access-list 10 deny   any log", "!")
    if compliant or rng.random() < 0.5:
        cfg.add("logging trap informational", "logging origin-id hostname", f"logging source-interface Vlan{900 if 'acc' in hostname else 1} vrf {vrf}" if False else "logging origin-id hostname",
                f"logging host {syslog} vrf {vrf}" if vrf else f"logging host {syslog}", "!")
    if compliant:
        cfg.add("snmp-server community Fl-n0c-R3ad RO 10")
    else:
        cfg.add("snmp-server community public RO")
    cfg.add("snmp-server group NMS-V3 v3 priv read NMS-VIEW access 10", "snmp-server view NMS-VIEW iso included",
            f"snmp-server location {location}", "snmp-server contact noc@formosalife.example",
            "snmp-server enable traps snmp authentication linkdown linkup coldstart warmstart",
            "snmp-server enable traps config", "snmp-server enable traps envmon", f"snmp-server host {nms} version 3 priv nms01", "!")
    if compliant:
        for name, address in (("TACACS-01", tac1), ("TACACS-02", tac2)):
            cfg.add(f"tacacs server {name}", f" address ipv4 {address}", f" key 6 {fake_hash(rng, 40)}", " timeout 3")
        cfg.add("!")
    cfg.add("control-plane", " service-policy input system-cpp-policy", "!")
    cfg.add("banner login ^C", "Formosa Life Insurance Co., Ltd. - " + hostname,
            "Authorised administrators only. All sessions are logged (Art. 17).", "本系統僅限授權人員使用,所有操作均留存稽核軌跡。", "^C", "!")
    timeout = "exec-timeout 10 0" if compliant else rng.choice(("exec-timeout 0 0", "exec-timeout 30 0"))
    cfg.add("line con 0", f" {timeout}", " stopbits 1")
    for first, last in ((0, 4), (5, 15)):
        cfg.add(f"line vty {first} {last}")
        if compliant:
            cfg.add(" access-class VTY-MGMT in vrf-also")
        cfg.add(f" {timeout}")
        if not compliant:
            cfg.add(" login local")
        cfg.add(" transport input ssh" if compliant or rng.random() < 0.4 else " transport input telnet ssh")
    cfg.add("!")
    if compliant or rng.random() < 0.6:
        cfg.add(f"ntp server vrf {vrf} {ntp} prefer" if vrf else f"ntp server {ntp} prefer",
                f"ntp server vrf {vrf} {ntp.rsplit('.', 1)[0]}.41" if vrf else f"ntp server {ntp.rsplit('.', 1)[0]}.41")
    cfg.add("!", "end")


def ios_qos(cfg: Config) -> None:
    cfg.add("class-map match-any system-cpp-police-routing-control", "  description Routing control and Low Latency",
            "class-map match-any system-cpp-police-control-low-priority", "  description General punt and Low priority punt",
            "class-map match-any system-cpp-police-system-critical", "  description System Critical and Gold Pkt",
            "class-map match-any AutoQos-4.0-Voip-Data-CiscoPhone-Class", " match cos  5",
            "class-map match-any AutoQos-4.0-Voip-Signal-CiscoPhone-Class", " match cos  3", "!",
            "policy-map system-cpp-policy", "policy-map AutoQos-4.0-CiscoPhone-Input-Policy",
            " class AutoQos-4.0-Voip-Data-CiscoPhone-Class", "  set dscp ef", "  police cir 128000 bc 8000",
            "   conform-action transmit", "   exceed-action set-dscp-transmit cs1",
            " class AutoQos-4.0-Voip-Signal-CiscoPhone-Class", "  set dscp cs3", " class class-default", "  set dscp default", "!")


# --------------------------------------------------------------------------- access switches


def access_switch(plan: Plan, rng: random.Random, hostname: str, dc: str, mgmt_ip: str, gateway: str, vlans: list[int],
                  voice: int, location: str, members: int, vrf: str = "") -> list[str]:
    """A Catalyst 9300 stack (or a 2960-X): 802.1X access ports, uplinks, one management SVI."""
    compliant = rng.random() > 0.12
    cfg = Config()
    ios_header(cfg, rng, hostname, "17.9" if compliant else "15.2", switch=True)
    ios_aaa(cfg, rng, plan, dc, compliant=compliant, vrf="Mgmt-vrf")
    ios_globals(cfg, rng, switch=True)
    cfg.add("dot1x system-auth-control", "!", "device-tracking policy IPDT_POLICY", " tracking enable", "!")
    ios_users(cfg, rng, hostname, compliant=compliant)
    for vlan in vlans:
        cfg.add(f"vlan {vlan}", f" name OA-USERS-{vlan}", "!")
    cfg.add(f"vlan {voice}", " name VOICE", "!", "vlan 999", " name PARKING", "!")
    ios_qos(cfg)
    cfg.add("interface GigabitEthernet0/0", " vrf forwarding Mgmt-vrf", " no ip address", " shutdown", " negotiation auto", "!")
    for member in range(1, members + 1):
        for port in range(1, 49):
            name = f"GigabitEthernet{member}/0/{port}"
            if rng.random() < 0.08:
                cfg.add(f"interface {name}", " description spare", " switchport access vlan 999", " switchport mode access",
                        " shutdown", " spanning-tree portfast", "!")
                continue
            vlan = vlans[(port - 1) * len(vlans) // 48]
            desc = rng.choice(("desk", "printer", "ap", "desk", "desk", "mfp", "cam"))
            cfg.add(f"interface {name}", f" description {desc}-{location.split()[0].lower()}-{member}{port:02d}",
                    f" switchport access vlan {vlan}", " switchport mode access", f" switchport voice vlan {voice}",
                    " device-tracking attach-policy IPDT_POLICY", " authentication event fail action next-method",
                    " authentication host-mode multi-auth", " authentication order dot1x mab",
                    " authentication priority dot1x mab", " authentication port-control auto",
                    " authentication periodic", " authentication timer reauthenticate server", " mab",
                    " dot1x pae authenticator", " dot1x timeout tx-period 10", " spanning-tree portfast",
                    " service-policy input AutoQos-4.0-CiscoPhone-Input-Policy", "!")
        for port in range(1, 5):
            cfg.add(f"interface TenGigabitEthernet{member}/1/{port}")
            if member == 1 and port <= 2:
                cfg.add(f" description uplink to core Te{port}", f" switchport trunk allowed vlan {','.join(map(str, vlans))},{voice},{plan_mgmt_vlan()}",
                        " switchport mode trunk", " channel-group 1 mode active", "!")
            else:
                cfg.add(" shutdown", "!")
    cfg.add("interface Port-channel1", " description uplink to core", " switchport mode trunk", "!",
            "interface Vlan1", " no ip address", " shutdown", "!",
            f"interface Vlan{plan_mgmt_vlan()}", " description switch management", f" ip address {mgmt_ip} {mask(24)}", " no ip redirects", "!",
            f"ip default-gateway {gateway}", "ip forward-protocol nd", "!")
    ios_mgmt_tail(cfg, rng, plan, dc, hostname, compliant=compliant, vrf=vrf, location=location)
    return cfg.lines


def plan_mgmt_vlan() -> int:
    return 399


# --------------------------------------------------------------------------- IOS-XE L3 (HQ core, office distribution)


def ios_acl_block(name: str, entries: list[str]) -> list[str]:
    lines = [f"ip access-list extended {name}"]
    sequence = 10
    for entry in entries:
        if entry.startswith("remark "):
            lines.append(f" {entry}")
        else:
            lines.append(f" {sequence} {entry}")
            sequence += 10
    return lines


def oa_acl(rng: random.Random, plan: Plan, writer: RuleWriter, source: str, count: int, site_servers: list[str]) -> list[str]:
    """An OA SVI's inbound ACL: documented services to the DCs, denies between environments, some wide rules."""
    entries: list[str] = []
    src = net_wild(source)
    dcs = [dc for dc, _ in DC_SITES]
    entries.append(f"remark {writer.remark('name, time and log services')}")
    for dc in dcs:
        entries += [f"permit udp {src} host {plan.host_ip(f'{dc}-dns01')} eq domain",
                    f"permit tcp {src} host {plan.host_ip(f'{dc}-dns01')} eq domain",
                    f"permit udp {src} host {plan.host_ip(f'{dc}-ntp01')} eq ntp"]
    entries.append(f"permit tcp {src} host {plan.host_ip('hq-proxy01')} eq 8080")
    written: list[str] = []
    while len([e for e in entries if not e.startswith("remark")]) < count - 6:
        rng_value = rng.random()
        if rng_value < 0.25:
            entries.append(f"remark {writer.remark(rng.choice(APPS) + ' front end for ' + rng.choice(DEPARTMENTS).lower())}")
        dc_index = rng.randrange(2)
        if rng_value < 0.55:
            dst = f"10.{10 + dc_index}.{rng.randrange(0, 8)}.{rng.randrange(10, 250)}"
            entry = f"permit tcp {src} host {dst} {writer.port('ios')}"
        elif rng_value < 0.7:
            dst = f"10.{10 + dc_index}.{rng.randrange(0, 8)}.0 0.0.0.255"
            entry = f"permit tcp {src} {dst} eq 443"
        elif rng_value < 0.78:
            host = rng.choice(site_servers)
            entry = f"permit tcp {src} host {host} {writer.port('ios')}"
        elif rng_value < 0.86:
            entry = f"permit udp {src} host 10.{10 + dc_index}.{64 + rng.randrange(8)}.{rng.randrange(10, 250)} range {rng.choice((16384, 5060, 10000))} {rng.choice((16484, 5061, 10100))}"
        elif rng_value < 0.9 and written:
            entry = rng.choice(written)  # a repeat (redundant)
        elif rng_value < 0.95:
            entry = f"deny   tcp {src} 10.{10 + dc_index}.128.0 0.0.63.255 eq {rng.choice((1521, 1433, 3306))} log"
        else:
            entry = f"permit icmp {src} 10.{10 + dc_index}.0.0 0.0.255.255 echo"
        written.append(entry)
        entries.append(entry)
    entries += [f"remark {writer.remark('no OA access to test, production back ends or management ranges')}",
                f"deny   ip {src} 10.20.0.0 0.1.255.255 log", f"deny   ip {src} 10.10.64.0 0.1.191.255 log",
                f"deny   ip {src} 10.96.0.0 0.3.255.255 log",
                f"remark {writer.remark('OA traffic inside the site')}",
                f"permit ip {src} {net_wild(str(ipaddress.ip_network(source).supernet(new_prefix=16)))}", "deny   ip any any log"]
    return entries


def l3_switch(plan: Plan, rng: random.Random, hostname: str, dc: str, svis: list[tuple[int, str, str, str | None, int]],
              routed: list[tuple[str, str, str]], mgmt_ip: str, acls: dict[str, list[str]], location: str,
              statics: list[str], downlinks: int) -> list[str]:
    """An IOS-XE L3 switch: SVIs (vlan, description, address/prefix, inbound ACL, HSRP priority), routed links."""
    cfg = Config()
    ios_header(cfg, rng, hostname, "17.9", switch=True)
    ios_aaa(cfg, rng, plan, dc, compliant=True, vrf="Mgmt-vrf")
    ios_globals(cfg, rng, switch=True)
    cfg.add("archive", " log config", "  logging enable", "  logging size 500", "  notify syslog contenttype plaintext",
            "  hidekeys", f" path flash:/archive/{hostname}", " maximum 14", " write-memory", "!")
    ios_users(cfg, rng, hostname, compliant=True)
    for vlan, description, _, _, _ in svis:
        cfg.add(f"vlan {vlan}", f" name {description.split()[0]}", "!")
    ios_qos(cfg)
    cfg.add("interface GigabitEthernet0/0", " description OOB management", " vrf forwarding Mgmt-vrf",
            f" ip address {mgmt_ip} {mask(24)}", " negotiation auto", "!")
    for index, (name, description, address) in enumerate(routed, 1):
        interface = ipaddress.ip_interface(address)
        cfg.add(f"interface {name}", f" description {description}", " no switchport",
                f" ip address {interface.ip} {interface.netmask}", " no ip redirects", " no ip unreachables",
                " no ip proxy-arp", " ip ospf network point-to-point", " ip ospf authentication message-digest",
                f" ip ospf message-digest-key 1 md5 7 {hexstr(rng, 20).upper()}", " bfd interval 300 min_rx 300 multiplier 3", "!")
        del index
    for port in range(1, downlinks + 1):
        cfg.add(f"interface TenGigabitEthernet1/0/{port}", f" description to access switch {port:02d} Te1/1/1",
                " switchport mode trunk", f" channel-group {port} mode active", " spanning-tree guard root", "!")
        cfg.add(f"interface Port-channel{port}", f" description to access switch {port:02d}", " switchport mode trunk", "!")
    cfg.add("interface Vlan1", " no ip address", " shutdown", "!")
    for vlan, description, address, acl, priority in svis:
        interface = ipaddress.ip_interface(address)
        gateway = next(interface.network.hosts())
        cfg.add(f"interface Vlan{vlan}", f" description {description}", f" ip address {interface.ip} {interface.netmask}")
        if acl:
            cfg.add(f" ip access-group {acl} in")
        if priority:
            cfg.add(" standby version 2", f" standby {vlan} ip {gateway}", f" standby {vlan} priority {priority}",
                    f" standby {vlan} preempt", f" standby {vlan} authentication md5 key-string 7 {hexstr(rng, 18).upper()}")
        if vlan < 900:
            cfg.add(f" ip helper-address {plan.host_ip(f'{dc}-dns01').rsplit('.', 1)[0]}.67")
        cfg.add(" no ip redirects", " no ip unreachables", " no ip proxy-arp", "!")
    cfg.add("router ospf 1", f" router-id {mgmt_ip}", " passive-interface default")
    for name, _, _ in routed:
        cfg.add(f" no passive-interface {name}")
    cfg.add(" network 10.0.0.0 0.255.255.255 area 0", "!", "ip forward-protocol nd")
    cfg.extend(statics)
    cfg.add(f"ip route vrf Mgmt-vrf 0.0.0.0 0.0.0.0 {mgmt_ip.rsplit('.', 1)[0]}.1 name OOB-DEFAULT",
            "ip tacacs source-interface GigabitEthernet0/0 vrf Mgmt-vrf", "!")
    for name, entries in acls.items():
        cfg.extend(ios_acl_block(name, entries))
    cfg.add("!")
    ios_mgmt_tail(cfg, rng, plan, dc, hostname, compliant=True, vrf="Mgmt-vrf", location=location)
    return cfg.lines


def hq_core(plan: Plan, rng: random.Random, n: int, scale: float) -> list[str]:
    hostname = f"hq-core-0{n}"
    writer = RuleWriter(rng)
    svis: list[tuple[int, str, str, str | None, int]] = []
    priority = 110 if n == 1 else 100
    for i in range(24):
        svis.append((100 + i, f"OA-{DEPARTMENTS[i % len(DEPARTMENTS)]}-{i:02d} 10.30.{i}.0/24", f"10.30.{i}.{1 + n}/24", "ACL-OA-IN", priority))
    for i in range(8):
        svis.append((300 + i, f"VOICE-{i:02d} 10.30.{128 + i}.0/24", f"10.30.{128 + i}.{1 + n}/24", "ACL-VOICE-IN", priority))
    svis.append((200, "PRINTERS 10.30.200.0/24", f"10.30.200.{1 + n}/24", "ACL-PRINTER-IN", priority))
    svis.append((250, "OA-SERVERS 10.30.250.0/24 proxy01 AD file", f"10.30.250.{1 + n}/24", "ACL-OASRV-IN", priority))
    svis.append((399, "SW-MGMT 10.98.0.0/24 access switch management", f"10.98.0.{1 + n}/24", "ACL-SWMGMT-IN", priority))
    svis.append((900, "TRANSIT uplink to fw-wan-tpe (hq) 10.254.128.0/29", f"10.254.128.{1 + n}/29", None, 0))
    routed: list[tuple[str, str, str]] = []
    servers = [f"10.30.250.{i}" for i in range(5, 40)]
    acls = {
        "ACL-OA-IN": oa_acl(rng, plan, writer, "10.30.0.0/17", max(40, int(900 * scale)), servers),
        "ACL-VOICE-IN": [f"remark {writer.remark('IP phones to call managers and voice gateways')}",
                         "permit udp 10.30.128.0 0.0.7.255 10.10.64.0 0.0.0.255 range 16384 32767",
                         "permit tcp 10.30.128.0 0.0.7.255 host 10.10.64.20 eq 5060",
                         "permit tcp 10.30.128.0 0.0.7.255 host 10.10.64.21 eq 2000",
                         "permit udp 10.30.128.0 0.0.7.255 10.30.128.0 0.0.7.255 range 16384 32767",
                         "deny   ip any any log"],
        "ACL-PRINTER-IN": [f"remark {writer.remark('printers reply to print servers only')}",
                           "permit tcp 10.30.200.0 0.0.0.255 eq 9100 10.30.250.0 0.0.0.255",
                           "permit udp 10.30.200.0 0.0.0.255 eq snmp 10.30.250.0 0.0.0.255", "deny   ip any any log"],
        "ACL-OASRV-IN": [f"remark {writer.remark('OA servers: AD replication, proxy outbound, backups')}",
                         "permit ip 10.30.250.0 0.0.0.255 10.30.0.0 0.0.255.255",
                         "permit tcp host 10.30.250.5 any eq 443", "permit tcp host 10.30.250.5 any eq www",
                         "permit tcp 10.30.250.0 0.0.0.255 10.96.0.0 0.1.255.255 eq 514",
                         "permit udp 10.30.250.0 0.0.0.255 10.96.0.0 0.1.255.255 eq syslog", "deny   ip any any log"],
        "ACL-SWMGMT-IN": swmgmt_acl(plan, writer, "10.98.0.0/24", "tpe"),
    }
    statics = ["ip route 0.0.0.0 0.0.0.0 10.254.128.1 name DEFAULT-VIA-FW-WAN-TPE"]
    return l3_switch(plan, rng, hostname, "tpe", svis, routed, f"10.96.1.{60 + n}", acls, "Taipei Xinyi HQ, B1 core room",
                     statics, downlinks=min(24, plan.counts.hq_access))


def swmgmt_acl(plan: Plan, writer: RuleWriter, source: str, dc: str) -> list[str]:
    src = net_wild(source)
    entries = [f"remark {writer.remark('switch management: replies to jump hosts, log and time')}"]
    for other, _ in DC_SITES:
        for host in ("jump01", "jump02", "pam01"):
            entries.append(f"permit tcp {src} eq 22 host {plan.host_ip(f'{other}-{host}')}")
        entries += [f"permit udp {src} host {plan.host_ip(f'{other}-syslog01')} eq syslog",
                    f"permit udp {src} host {plan.host_ip(f'{other}-ntp01')} eq ntp",
                    f"permit tcp {src} host {plan.host_ip(f'{other}-tacacs01')} eq tacacs",
                    f"permit udp {src} eq snmp host 10.{96 + (0 if other == 'tpe' else 1)}.0.35"]
    entries.append("deny   ip any any log")
    return entries


def office_dist(plan: Plan, rng: random.Random, j: int, office: str, name: str, scale: float) -> list[str]:
    hostname = f"dist-{office}-01"
    writer = RuleWriter(rng)
    svis: list[tuple[int, str, str, str | None, int]] = []
    for i in range(6):
        svis.append((100 + i, f"OA-{DEPARTMENTS[(i + j) % len(DEPARTMENTS)]}-{i:02d} 10.{40 + j}.{i}.0/24", f"10.{40 + j}.{i}.1/24", "ACL-OA-IN", 0))
    svis.append((300, f"VOICE 10.{40 + j}.100.0/24", f"10.{40 + j}.100.1/24", "ACL-VOICE-IN", 0))
    svis.append((200, f"PRINTERS 10.{40 + j}.200.0/24", f"10.{40 + j}.200.1/24", None, 0))
    mgmt_net = f"10.98.{16 * (j + 1)}.0/24"
    svis.append((399, f"SW-MGMT {mgmt_net}", f"10.98.{16 * (j + 1)}.1/24", "ACL-SWMGMT-IN", 0))
    routed = [(f"TenGigabitEthernet1/1/{k + 1}", f"to {link.peer(hostname)}", f"{link.address(hostname)}/30")
              for k, link in enumerate(plan.links_of(hostname))]
    servers = [f"10.{40 + j}.250.{i}" for i in range(5, 12)]
    acls = {
        "ACL-OA-IN": oa_acl(rng, plan, writer, f"10.{40 + j}.0.0/17", max(30, int(260 * scale)), servers),
        "ACL-VOICE-IN": [f"remark {writer.remark('IP phones to call managers')}",
                         f"permit udp 10.{40 + j}.100.0 0.0.0.255 10.10.64.0 0.0.0.255 range 16384 32767",
                         f"permit tcp 10.{40 + j}.100.0 0.0.0.255 host 10.10.64.20 eq 5060", "deny   ip any any log"],
        "ACL-SWMGMT-IN": swmgmt_acl(plan, writer, mgmt_net, "tpe"),
    }
    uplink = plan.links_of(hostname)[0]
    statics = [f"ip route 0.0.0.0 0.0.0.0 {uplink.address(uplink.peer(hostname))} name DEFAULT-VIA-WAN"]
    return l3_switch(plan, rng, hostname, "tpe", svis, routed, f"10.98.{16 * (j + 1)}.250", acls, f"{name} office, 3F IDF",
                     statics, downlinks=plan.counts.office_access[j])


# --------------------------------------------------------------------------- routers


def router(plan: Plan, rng: random.Random, hostname: str, dc: str, interfaces: list[tuple[str, str, str, list[str]]],
           acls: dict[str, list[str]], statics: list[str], mgmt_ip: str, location: str, bgp: list[str]) -> list[str]:
    """An ISR/ASR: routed interfaces (name, description, address/prefix, extra lines), ACLs, routes, BGP."""
    cfg = Config()
    ios_header(cfg, rng, hostname, "17.9", switch=False)
    ios_aaa(cfg, rng, plan, dc, compliant=True, vrf="Mgmt-intf")
    cfg.add("password encryption aes")
    ios_globals(cfg, rng, switch=False)
    cfg.add("subscriber templating", "!", "multilink bundle-name authenticated", "!")
    ios_users(cfg, rng, hostname, compliant=True)
    cfg.add("class-map match-any CM-REALTIME", " match dscp ef", "class-map match-any CM-NETWORK-CONTROL", " match dscp cs6",
            "class-map match-any CM-BUSINESS", " match dscp af31 af32", "!", "policy-map PM-WAN-QUEUE", " class CM-REALTIME",
            "  priority percent 20", " class CM-NETWORK-CONTROL", "  bandwidth percent 5", " class CM-BUSINESS",
            "  bandwidth percent 40", " class class-default", "  fair-queue", "policy-map PM-WAN-SHAPE",
            " class class-default", "  shape average 200000000", "   service-policy PM-WAN-QUEUE", "!")
    for name, description, address, extra in interfaces:
        interface = ipaddress.ip_interface(address)
        cfg.add(f"interface {name}", f" description {description}", f" ip address {interface.ip} {interface.netmask}",
                " no ip redirects", " no ip unreachables", " no ip proxy-arp")
        cfg.extend(extra)
        cfg.add(" negotiation auto", " no mop enabled", " no mop sysid", "!")
    cfg.add("interface GigabitEthernet0", " description OOB management", " vrf forwarding Mgmt-intf",
            f" ip address {mgmt_ip} {mask(24)}", " negotiation auto", "!")
    cfg.extend(bgp)
    cfg.add("ip forward-protocol nd", "no ip http server", "no ip http secure-server")
    cfg.extend(statics)
    cfg.add(f"ip route vrf Mgmt-intf 0.0.0.0 0.0.0.0 {mgmt_ip.rsplit('.', 1)[0]}.1 name OOB-DEFAULT", "!")
    for name, entries in acls.items():
        cfg.extend(ios_acl_block(name, entries))
    cfg.add("!")
    ios_mgmt_tail(cfg, rng, plan, dc, hostname, compliant=True, vrf="Mgmt-intf", location=location)
    return cfg.lines


def inet_router(plan: Plan, rng: random.Random, k: int, dc: str, n: int, scale: float) -> list[str]:
    hostname = f"rtr-inet-{dc}-0{n}"
    writer = RuleWriter(rng)
    uplink = f"198.51.100.{32 * k + 8 * (n - 1) + 2}/29"
    isp = f"198.51.100.{32 * k + 8 * (n - 1) + 1}"
    outside = f"203.0.113.{32 * k + n}/28"
    published = f"203.0.113.{64 + 64 * k}/26"
    entries = [f"remark {writer.remark('anti-spoofing: bogons and our own ranges from outside')}"]
    for bogon in ("0.0.0.0/8", "10.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16",
                  "224.0.0.0/4", "240.0.0.0/4", "100.64.0.0/10"):
        entries.append(f"deny   ip {net_wild(bogon)} any log")
    entries.append("deny   ip 203.0.113.0 0.0.0.255 any log")
    entries.append(f"remark {writer.remark('published services (NAT on fw-edge)')}")
    pub = ipaddress.ip_network(published)
    addresses = [str(a) for a in list(pub.hosts())[: max(8, int(40 * scale))]]
    for address in addresses:
        for port in rng.sample((80, 443, 25, 53, 8443, 993), rng.randint(1, 3)):
            entries.append(f"permit tcp any host {address} eq {port}")
    for _ in range(int(150 * scale)):
        entries.append(f"permit tcp 192.0.2.{rng.randrange(0, 256, 8)} 0.0.0.7 host {rng.choice(addresses)} eq {rng.choice((22, 443, 3389, 990))}")
    entries += [f"permit tcp any {net_wild(published)} established", "permit icmp any any echo-reply",
                "permit icmp any any time-exceeded", "permit icmp any any unreachable",
                f"permit udp host {isp} host {ipaddress.ip_interface(uplink).ip} eq ntp", "deny   ip any any log"]
    out_entries = [f"remark {writer.remark('only our public ranges leave')}", f"permit ip {net_wild(f'203.0.113.{32 * k}/28')} any",
                   f"permit ip {net_wild(published)} any", f"permit ip host {ipaddress.ip_interface(uplink).ip} any", "deny   ip any any log"]
    interfaces = [
        ("GigabitEthernet0/0/0", f"ISP uplink {'Chunghwa' if n == 1 else 'Taiwan Mobile'} circuit TPE-FTTB-{rng.randrange(10000, 99999)}",
         uplink, [" ip access-group ACL-INET-IN in", " ip access-group ACL-INET-OUT out", " ip verify unicast source reachable-via rx",
                  " no cdp enable", " service-policy output PM-WAN-SHAPE"]),
        ("GigabitEthernet0/0/1", f"to fw-edge-{dc} outside", outside, [" no cdp enable", f" standby 1 ip 203.0.113.{32 * k + 14}",
                                                                       f" standby 1 priority {110 if n == 1 else 100}", " standby 1 preempt"]),
    ]
    statics = [f"ip route 0.0.0.0 0.0.0.0 {isp} name ISP-DEFAULT",
               f"ip route {pub.network_address} {pub.netmask} 203.0.113.{32 * k + 3} name PUBLISHED-VIA-FW-EDGE"]
    bgp = ["router bgp 65010", " bgp log-neighbor-changes", f" neighbor {isp} remote-as {3462 if n == 1 else 24158}",
           f" neighbor {isp} password 7 {hexstr(rng, 22).upper()}", " !", " address-family ipv4",
           f"  network {pub.network_address} mask {pub.netmask}", f"  neighbor {isp} activate",
           f"  neighbor {isp} prefix-list PL-OUR-PREFIXES out", " exit-address-family", "!",
           f"ip prefix-list PL-OUR-PREFIXES seq 5 permit {published}", "!"]
    return router(plan, rng, hostname, dc, interfaces, {"ACL-INET-IN": entries, "ACL-INET-OUT": out_entries}, statics,
                  f"10.{96 + k}.1.{10 + n}", f"{DC_SITES[k][1]}, Internet edge rack", bgp)


def wan_router(plan: Plan, rng: random.Random, k: int, dc: str) -> list[str]:
    hostname = f"wan-{dc}-01"
    interfaces = [("TenGigabitEthernet0/1/0", f"to fw-wan-{dc} (wan)", plan.wan_link(k, "wan"), [])]
    for index, link in enumerate(plan.links_of(hostname)):
        interfaces.append((f"GigabitEthernet0/{index // 8}/{index % 8}", f"to {link.peer(hostname)} (MPLS hand-off)",
                           f"{link.address(hostname)}/30", [" service-policy output PM-WAN-SHAPE"]))
    bgp = ["router ospf 1", f" router-id 10.{96 + k}.1.30", " network 10.255.0.0 0.0.255.255 area 0", "!"]
    statics = [f"ip route 10.0.0.0 255.0.0.0 {ipaddress.ip_interface(plan.wan_link(k, 'fw-wan')).ip} name DC-VIA-FW-WAN"]
    return router(plan, rng, hostname, dc, interfaces, {}, statics, f"10.{96 + k}.1.30", f"{DC_SITES[k][1]}, WAN rack", bgp)


def office_router(plan: Plan, rng: random.Random, j: int, office: str, name: str) -> list[str]:
    hostname = f"rtr-{office}-01"
    writer = RuleWriter(rng)
    interfaces = []
    lan = f"10.{40 + j}.0.0/16"
    mgmt = f"10.98.{16 * (j + 1)}.0/20"
    wan_in = [f"remark {writer.remark('only traffic for this office enters from the WAN')}",
              f"permit ip any {net_wild(lan)}", f"permit ip any {net_wild(mgmt)}",
              "permit ospf any any", "permit icmp any any echo-reply", "deny   ip any any log"]
    for index, link in enumerate(plan.links_of(hostname)):
        lan_side = link.peer(hostname).startswith("dist-")
        extra = [] if lan_side else [" ip access-group ACL-WAN-IN in", " service-policy output PM-WAN-SHAPE"]
        interfaces.append((f"GigabitEthernet0/0/{index}", f"to {link.peer(hostname)}", f"{link.address(hostname)}/30", extra))
    bgp = ["router ospf 1", f" router-id 10.98.{16 * (j + 1)}.254", " network 10.0.0.0 0.255.255.255 area 0", "!"]
    return router(plan, rng, hostname, "tpe" if j % 2 == 0 else "tch", interfaces, {"ACL-WAN-IN": wan_in}, [],
                  f"10.98.{16 * (j + 1)}.254", f"{name} office, telecom room", bgp)


# --------------------------------------------------------------------------- NX-OS


def nxos_header(cfg: Config, rng: random.Random, hostname: str) -> None:
    cfg.add("!Command: show running-config", f"!Running configuration last done at: Tue Nov 17 16:{rng.randrange(60):02d}:05 2026",
            "!Time: Tue Nov 24 09:30:11 2026", "", "version 9.3(10) Bios:version 05.47 ", f"hostname {hostname}",
            f"vdc {hostname} id 1", "  limit-resource vlan minimum 16 maximum 4094", "  limit-resource vrf minimum 2 maximum 4096",
            "  limit-resource port-channel minimum 0 maximum 511", "  limit-resource u4route-mem minimum 248 maximum 248",
            "  limit-resource u6route-mem minimum 96 maximum 96", "", "feature tacacs+", "cfs eth distribute",
            "feature ospf", "feature interface-vlan", "feature hsrp", "feature lacp", "feature vpc", "feature lldp", "")


def nxos_mgmt(cfg: Config, rng: random.Random, plan: Plan, dc: str, hostname: str, k: int, acls: dict[str, list[str]]) -> None:
    tac = plan.host_ip(f"{dc}-tacacs01")
    cfg.add(f"username admin password 5 $5${fake_hash(rng, 8)}${fake_hash(rng, 43)}  role network-admin",
            f"username ops-wang password 5 $5${fake_hash(rng, 8)}${fake_hash(rng, 43)}  role network-admin",
            f"banner motd ^Formosa Life Insurance Co., Ltd. - {hostname}", "Authorised administrators only. All sessions are logged.", "^", "",
            "no ip domain-lookup", "tacacs-server timeout 3", f"tacacs-server host {tac} key 7 \"{fake_hash(rng, 12)}\"",
            "aaa group server tacacs+ FL-TACACS ", f"    server {tac} ", "    deadtime 5", "    use-vrf management",
            "    source-interface mgmt0", "system default switchport", "system default switchport shutdown", "copp profile strict",
            f"snmp-server user ops-wang network-admin auth sha 0x{hexstr(rng, 40)} priv aes-128 0x{hexstr(rng, 40)} localizedkey",
            f"snmp-server host 10.{96 + k}.0.35 traps version 3 priv ops-wang", f"snmp-server host 10.{96 + k}.0.35 use-vrf management",
            "rmon event 1 description FATAL(1) owner PMON@FATAL", "rmon event 2 description CRITICAL(2) owner PMON@CRITICAL",
            "rmon event 3 description ERROR(3) owner PMON@ERROR", f"snmp-server location {DC_SITES[k][1]}",
            "snmp-server contact noc@formosalife.example", f"ntp server {plan.host_ip(f'{dc}-ntp01')} prefer use-vrf management",
            "ntp source-interface mgmt0", "aaa authentication login default group FL-TACACS ",
            "aaa accounting default group FL-TACACS ", "aaa authentication login error-enable ", "")
    jump, pam = plan.host_ip(f"{dc}-jump01"), plan.host_ip(f"{dc}-pam01")
    vty = ["10 remark CHG-2023-0101 jump hosts and PAM only", f"20 permit tcp {jump}/32 any eq 22",
           f"30 permit tcp {pam}/32 any eq 22", "40 deny ip any any log"]
    for name, entries in {"ACL-VTY": vty, **acls}.items():
        cfg.add(f"ip access-list {name}")
        cfg.extend(f"  {entry}" for entry in entries)


def nxos_tail(cfg: Config, plan: Plan, dc: str, mgmt_ip: str, k: int) -> None:
    cfg.add("interface mgmt0", "  description OOB management", "  vrf member management", f"  ip address {mgmt_ip}/24",
            "cli alias name wr copy running-config startup-config", "line console", "  exec-timeout 10", "line vty",
            "  exec-timeout 10", "  session-limit 8", "  access-class ACL-VTY in", "boot nxos bootflash:/nxos.9.3.10.bin ",
            f"logging server {plan.host_ip(f'{dc}-syslog01')} 5 use-vrf management", "logging source-interface mgmt0",
            "logging timestamp milliseconds", "no logging console")


def nxos_acl(entries: list[str]) -> list[str]:
    numbered = []
    for index, entry in enumerate(entries, 1):
        numbered.append(f"{index * 10} {entry}")
    return numbered


def test_acl(rng: random.Random, plan: Plan, writer: RuleWriter, k: int, count: int) -> list[str]:
    """Test SVIs: test may reach its own DC's test, shared services and proxy; never production (mostly)."""
    src = f"10.{20 + k}.0.0/16"
    entries = [f"remark {writer.remark('name, time and log services')}"]
    for dc, _ in DC_SITES:
        entries += [f"permit udp {src} {plan.host_ip(f'{dc}-dns01')}/32 eq 53", f"permit udp {src} {plan.host_ip(f'{dc}-ntp01')}/32 eq 123",
                    f"permit udp {src} {plan.host_ip(f'{dc}-syslog01')}/32 eq 514"]
    entries.append(f"permit tcp {src} {plan.host_ip('hq-proxy01')}/32 eq 8080")
    written: list[str] = []
    while len([e for e in entries if "remark" not in e]) < count - 4:
        value = rng.random()
        if value < 0.2:
            entries.append(f"remark {writer.remark('UAT ' + rng.choice(APPS) + ' integration')}")
        a = f"10.{20 + k}.{rng.randrange(8)}.{rng.randrange(10, 250)}/32"
        if value < 0.6:
            entry = f"permit tcp {a} 10.{20 + k}.{rng.randrange(8)}.0/24 {writer.port('nxos')}"
        elif value < 0.75:
            entry = f"permit tcp 10.{20 + k}.{rng.randrange(8)}.0/24 10.{20 + (1 - k)}.{rng.randrange(6)}.{rng.randrange(10, 250)}/32 eq {rng.choice((443, 8443, 1521))}"
        elif value < 0.8:  # a UAT data refresh from production: an env crossing, documented with an end date
            entry = f"permit tcp {a} 10.{10 + k}.{128 + rng.randrange(4)}.{rng.randrange(10, 60)}/32 eq 1521"
            entries.append(f"remark {ticket(rng)} UAT data refresh from prod DB, {expiry(rng)}")
        elif value < 0.83 and written:
            entry = rng.choice(written)
        elif value < 0.86:
            entry = f"deny tcp {src} 10.{10 + k}.0.0/16 eq {rng.choice((22, 3389, 1521, 445))} log"
        else:
            entry = f"permit tcp {a} 10.{20 + k}.{rng.randrange(8)}.{rng.randrange(10, 250)}/32 {writer.port('nxos')}"
        written.append(entry)
        entries.append(entry)
    entries += [f"remark {writer.remark('test may not reach production, OA or management')}", f"deny ip {src} 10.{10 + k}.0.0/16 log",
                f"deny ip {src} 10.30.0.0/15 log", f"deny ip {src} 10.96.0.0/14 log", "deny ip any any log"]
    return nxos_acl(entries)


def dc_core(plan: Plan, rng: random.Random, k: int, dc: str, n: int, scale: float) -> list[str]:
    """An NX-OS core: HSRP SVIs for the transits and test VLANs, routed links to HQ, the WAN and the other DC."""
    hostname = f"dc-{dc}-core-0{n}"
    writer = RuleWriter(rng)
    shape = plan.dc_shape[dc]
    cfg = Config()
    nxos_header(cfg, rng, hostname)
    nxos_mgmt(cfg, rng, plan, dc, hostname, k, {"ACL-TEST-IN": test_acl(rng, plan, writer, k, max(40, int(700 * scale)))})
    vlans = [str(v) for v in range(1, 2)] + [str(100 + i) for i in range(shape["web"])] + [str(200 + i) for i in range(shape["ap"])] + \
        [str(300 + i) for i in range(shape["db"])] + [str(2100 + i) for i in range(shape["test"])] + ["900", "901", "902"]  # 901/902: firewall failover links
    cfg.add(f"vlan {','.join(vlans)}")
    for vlan in vlans[1:]:
        cfg.add(f"vlan {vlan}", f"  name {vlan_name(int(vlan))}")
    cfg.add("", f"spanning-tree vlan 1-3967 priority {4096 if n == 1 else 8192}", "vrf context management",
            f"  ip route 0.0.0.0/0 10.{96 + k}.1.1", "", f"vpc domain {10 + k}", "  peer-switch", f"  role priority {100 * n}",
            f"  peer-keepalive destination 10.{96 + k}.1.{21 if n == 1 else 20} source 10.{96 + k}.1.{20 if n == 1 else 21}",
            "  delay restore 150", "  peer-gateway", "  auto-recovery", "  ip arp synchronize", "")
    transit = plan.dc_transit(k, f"core-0{n}")
    cfg.add("interface Vlan1", "", "interface Vlan900", f"  description DC transit VLAN (fw-edge, fw-prod, fw-mgmt, fw-wan) {ipaddress.ip_interface(transit).network}",
            "  no shutdown", "  no ip redirects", f"  ip address {transit}", "  ip ospf passive-interface", "  no ipv6 redirects", "")
    for i in range(shape["test"]):
        cidr = f"10.{20 + k}.{i}.0/24"
        cfg.add(f"interface Vlan{2100 + i}", f"  description TEST-{rng.choice(APPS)}-{i:02d} {cidr}", "  no shutdown",
                "  no ip redirects", f"  ip address 10.{20 + k}.{i}.{1 + n}/24", "  ip access-group ACL-TEST-IN in",
                "  hsrp version 2", f"  hsrp {2100 + i} ", f"    priority {110 if n == 1 else 100}", "    preempt",
                f"    ip 10.{20 + k}.{i}.1", "  no ipv6 redirects", "")
    port = 1
    for link in plan.links_of(hostname):
        cfg.add(f"interface Ethernet1/{48 - port}", f"  description to {link.peer(hostname)} (routed)", "  no switchport",
                "  mtu 9216", f"  ip address {link.address(hostname)}/30", "  ip ospf network point-to-point",
                "  ip router ospf 1 area 0.0.0.0", "  no shutdown", "")
        port += 1
    leaves = plan.counts.leaves[k]
    for p in range(1, 41):
        if p <= leaves:
            cfg.add(f"interface Ethernet1/{p}", f"  description to dc-{dc}-leaf-{p:02d} Eth1/{49 + n}", "  switchport mode trunk",
                    f"  switchport trunk allowed vlan {','.join(vlans[1:-3])}", f"  channel-group {100 + p} mode active", "  no shutdown", "")
            cfg.add(f"interface port-channel{100 + p}", f"  description vPC to dc-{dc}-leaf-{p:02d}", "  switchport mode trunk",
                    f"  switchport trunk allowed vlan {','.join(vlans[1:-3])}", f"  vpc {100 + p}", "")
        else:
            cfg.add(f"interface Ethernet1/{p}", "")
    for p, peer in ((41, "fw-edge"), (42, "fw-prod"), (43, "fw-mgmt"), (44, "fw-wan")):
        cfg.add(f"interface Ethernet1/{p}", f"  description to {peer}-{dc}", "  switchport mode trunk",
                f"  switchport trunk allowed vlan {','.join(vlans[1:])}", "  spanning-tree port type edge trunk", "  no shutdown", "")
    cfg.add("router ospf 1", f"  router-id 10.{96 + k}.1.{20 + n}", "  passive-interface default", "")
    nxos_tail(cfg, plan, dc, f"10.{96 + k}.1.{20 + n}", k)
    return cfg.lines


def vlan_name(vlan: int) -> str:
    if vlan < 200:
        return f"PROD-WEB-{vlan - 100:02d}"
    if vlan < 300:
        return f"PROD-AP-{vlan - 200:02d}"
    if vlan < 400:
        return f"PROD-DB-{vlan - 300:02d}"
    if vlan >= 2100:
        return f"TEST-{vlan - 2100:02d}"
    return f"TRANSIT-{vlan}"


def dc_leaf(plan: Plan, rng: random.Random, k: int, dc: str, index: int, scale: float) -> list[str]:
    """An NX-OS leaf: layer 2 server ports for the prod and test VLANs (gateways on the firewall and cores)."""
    hostname = f"dc-{dc}-leaf-{index:02d}"
    shape = plan.dc_shape[dc]
    cfg = Config()
    nxos_header(cfg, rng, hostname)
    nxos_mgmt(cfg, rng, plan, dc, hostname, k, {})
    vlans = [100 + i for i in range(shape["web"])] + [200 + i for i in range(shape["ap"])] + \
        [300 + i for i in range(shape["db"])] + [2100 + i for i in range(shape["test"])]
    cfg.add(f"vlan 1,{','.join(map(str, vlans))}")
    for vlan in vlans:
        cfg.add(f"vlan {vlan}", f"  name {vlan_name(vlan)}")
    cfg.add("", "spanning-tree port type edge bpduguard default", "vrf context management", f"  ip route 0.0.0.0/0 10.{96 + k}.1.1", "",
            f"vpc domain {100 + index // 2}", "  peer-switch", f"  peer-keepalive destination 10.{96 + k}.1.{100 + (index ^ 1)} source 10.{96 + k}.1.{100 + index}",
            "  peer-gateway", "", "interface Vlan1", "")
    ports = max(8, int(96 * scale))
    for p in range(1, ports + 1):
        slot, number = 1 + (p - 1) // 48, 1 + (p - 1) % 48
        vlan = rng.choice(vlans)
        app = rng.choice(APPS).lower()
        if rng.random() < 0.15:
            cfg.add(f"interface Ethernet{slot}/{number}", "")
            continue
        cfg.add(f"interface Ethernet{slot}/{number}", f"  description {app}-{vlan_name(vlan).split('-')[1].lower()}-{rng.randrange(1, 40):02d} nic{rng.randrange(1, 3)}",
                "  switchport access vlan " + str(vlan), "  spanning-tree port type edge", "  mtu 9216",
                "  storm-control broadcast level 1.00", f"  channel-group {1000 + p} mode active" if rng.random() < 0.3 else "  speed 10000",
                "  no shutdown", "")
    for p in (49, 50):
        cfg.add(f"interface Ethernet1/{p}", f"  description to dc-{dc}-core-0{p - 48} Eth1/{index}", "  switchport mode trunk",
                f"  switchport trunk allowed vlan {','.join(map(str, vlans))}", "  channel-group 1 mode active", "  no shutdown", "")
    cfg.add("interface port-channel1", "  description vPC uplink to the core pair", "  switchport mode trunk",
            f"  switchport trunk allowed vlan {','.join(map(str, vlans))}", "  vpc 1", "")
    nxos_tail(cfg, plan, dc, f"10.{96 + k}.1.{100 + index}", k)
    return cfg.lines


# --------------------------------------------------------------------------- ASA


def asa_header(cfg: Config, rng: random.Random, hostname: str, model: str, version: str) -> None:
    cfg.add(": Saved", "", ":", f": Serial Number: JMX{rng.randrange(2000, 2999)}X{rng.randrange(10, 99)}AB",
            f": Hardware:   {model}", ":", f"ASA Version {version}", "!", f"hostname {hostname}",
            "domain-name corp.formosalife.example",
            f"enable password $sha512$5000${fake_hash(rng, 22)}==${fake_hash(rng, 22)}== pbkdf2", "names", "no mac-address auto", "")


def asa_interface(name: str, description: str, nameif: str, level: int, address: str, vlan: int | None = None,
                  management: bool = False) -> list[str]:
    interface = ipaddress.ip_interface(address)
    lines = [f"interface {name}", f" description {description}"]
    if vlan is not None:
        lines.append(f" vlan {vlan}")
    if management:
        lines.append(" management-only")
    lines += [f" nameif {nameif}", f" security-level {level}", f" ip address {interface.ip} {interface.netmask}", "!"]
    return lines


def asa_mgmt_tail(cfg: Config, rng: random.Random, plan: Plan, dc: str, nameifs: list[str], mgmt_if: str, *, telnet: bool) -> None:
    """Logging, MTUs, failover and ARP settings every ASA prints."""
    cfg.add("pager lines 24", "logging enable", "logging timestamp", "logging buffer-size 1048576", "logging buffered informational",
            "logging trap informational", "logging device-id hostname", f"logging host {mgmt_if} {plan.host_ip(f'{dc}-syslog01')}")
    cfg.extend(f"mtu {nameif} 1500" for nameif in nameifs)
    cfg.add("no failover", "no failover wait-disable", "icmp unreachable rate-limit 1 burst-size 1", "no asdm history enable",
            "arp timeout 14400", "no arp permit-nonconnected", "arp rate-limit 32768")


def asa_aaa_block(cfg: Config, rng: random.Random, plan: Plan, dc: str, mgmt_if: str) -> None:
    cfg.add("timeout xlate 3:00:00", "timeout pat-xlate 0:00:30",
            "timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00 sctp 0:02:00 icmp 0:00:02",
            "timeout sunrpc 0:10:00 h323 0:05:00 h225 1:00:00 mgcp 0:05:00 mgcp-pat 0:05:00",
            "timeout sip 0:30:00 sip_media 0:02:00 sip-invite 0:03:00 sip-disconnect 0:02:00",
            "timeout sip-provisional-media 0:02:00 uauth 0:05:00 absolute", "timeout tcp-proxy-reassembly 0:01:00",
            "timeout floating-conn 0:00:00", "timeout conn-holddown 0:00:15", "timeout igp stale-route 0:01:10",
            "aaa-server FL_TACACS protocol tacacs+", f"aaa-server FL_TACACS ({mgmt_if}) host {plan.host_ip(f'{dc}-tacacs01')}", " key *****",
            "user-identity default-domain LOCAL", "aaa authentication ssh console FL_TACACS LOCAL",
            "aaa authentication http console FL_TACACS LOCAL", "aaa authentication enable console FL_TACACS LOCAL",
            "aaa authentication serial console LOCAL", "aaa authorization command FL_TACACS LOCAL", "aaa accounting command FL_TACACS",
            "aaa accounting ssh console FL_TACACS", "aaa authentication login-history", "http server enable")
    for host in ("jump01", "pam01"):
        cfg.add(f"http {plan.host_ip(f'{dc}-{host}')} 255.255.255.255 {mgmt_if}")
    nms = plan.host_ip(f"{dc}-syslog01").rsplit(".", 1)[0] + ".35"
    cfg.add("snmp-server group NMS-V3 v3 priv",
            f"snmp-server user nms01 NMS-V3 v3 engineID 80000009fe{hexstr(rng, 24)} encrypted auth sha256 {':'.join(hexstr(rng, 2) for _ in range(32))} priv aes 256 {':'.join(hexstr(rng, 2) for _ in range(20))}",
            f"snmp-server host {mgmt_if} {nms} version 3 nms01", "snmp-server location data centre", "snmp-server contact noc@formosalife.example",
            "snmp-server enable traps snmp authentication linkup linkdown coldstart warmstart",
            "crypto ipsec security-association pmtu-aging infinite", "crypto ca trustpool policy", "ssh stricthostkeycheck")
    for host in ("jump01", "pam01"):
        cfg.add(f"ssh {plan.host_ip(f'{dc}-{host}')} 255.255.255.255 {mgmt_if}")
    cfg.add("ssh timeout 10", "ssh version 2", "ssh key-exchange group dh-group14-sha256", "console timeout 10",
            "threat-detection basic-threat", "threat-detection statistics access-list", "no threat-detection statistics tcp-intercept",
            f"ntp server {plan.host_ip(f'{dc}-ntp01')} source {mgmt_if} prefer", "dynamic-access-policy-record DfltAccessPolicy")
    for user in ("huang.cm", "chen.wt", f"bg-{dc}"):
        cfg.add(f"username {user} password $sha512$5000${fake_hash(rng, 22)}==${fake_hash(rng, 22)}== pbkdf2 privilege 15")


def asa_policy_tail(cfg: Config, rng: random.Random) -> None:
    cfg.add("!", "class-map inspection_default", " match default-inspection-traffic", "!", "!",
            "policy-map type inspect dns preset_dns_map", " parameters", "  message-length maximum client auto",
            "  message-length maximum 512", "  no tcp-inspection", "policy-map global_policy", " class inspection_default",
            "  inspect dns preset_dns_map", "  inspect ftp", "  inspect rtsp", "  inspect esmtp", "  inspect sqlnet",
            "  inspect sunrpc", "  inspect tftp", "  inspect ip-options", "  inspect icmp", "!",
            "service-policy global_policy global", "prompt hostname context", "no call-home reporting anonymous", "call-home",
            " profile CiscoTAC-1", "  no active", "  destination address http https://tools.cisco.com/its/service/oddce/services/DDCEService",
            "  destination address email callhome@cisco.com", "  destination transport-method http",
            "  subscribe-to-alert-group diagnostic", "  subscribe-to-alert-group environment",
            f"Cryptochecksum:{hexstr(rng, 32)}", ": end")


class AsaRuleBase:
    """Objects, groups and interface ACLs of a large internal ASA, drawn from one application catalogue."""

    def __init__(self, rng: random.Random, plan: Plan, k: int, dc: str) -> None:
        self.rng, self.plan, self.k, self.dc = rng, plan, k, dc
        self.writer = RuleWriter(rng)
        self.lines: list[str] = []
        self.app_groups: dict[str, dict[str, str]] = {}  # app -> tier -> group name
        self.app_hosts: dict[str, dict[str, list[str]]] = {}  # app -> tier -> host object names
        self.host_ip: dict[str, str] = {}
        self.service_groups: list[str] = []
        self.client_groups: list[str] = []
        self.admin_group = "ADMIN_SOURCES"

    def objects(self, apps: list[str], hosts_per_tier: int) -> None:
        """Host objects per application and tier, groups per tier, a nested group per application."""
        rng, k, shape = self.rng, self.k, self.plan.dc_shape[self.dc]
        tiers = {"WEB": (0, shape["web"]), "AP": (64, shape["ap"]), "DB": (128, shape["db"])}
        lines = self.lines
        for app in apps:
            self.app_hosts[app] = {}
            self.app_groups[app] = {}
            for tier, (offset, vlans) in tiers.items():
                vlan = rng.randrange(vlans)
                names = []
                for i in range(1, rng.randint(max(1, hosts_per_tier // 2), hosts_per_tier) + 1):
                    name = f"H_{app}_{tier}{i:02d}"
                    ip = f"10.{10 + k}.{offset + vlan}.{rng.randrange(10, 250)}"
                    lines += [f"object network {name}", f" host {ip}"]
                    if rng.random() < 0.2:
                        lines.append(f" description {app.lower()}{tier.lower()}{i:02d}.corp.formosalife.example")
                    names.append(name)
                    self.host_ip[name] = ip
                self.app_hosts[app][tier] = names
        for app in apps:
            for tier in tiers:
                group = f"G_{app}_{tier}"
                lines += [f"object-group network {group}", f" description {app} {tier.lower()} servers"]
                lines += [f" network-object object {name}" for name in self.app_hosts[app][tier]]
                if rng.random() < 0.1:
                    lines.append(f" network-object host 10.{10 + k}.{tiers[tier][0] + rng.randrange(tiers[tier][1])}.{rng.randrange(10, 250)}")
                self.app_groups[app][tier] = group
            lines += [f"object-group network G_{app}_ALL"] + [f" group-object G_{app}_{tier}" for tier in tiers]
            self.app_groups[app]["ALL"] = f"G_{app}_ALL"
        for app in apps:
            group = f"SVC_{app}"
            lines.append(f"object-group service {group} tcp")
            for _ in range(rng.randint(1, 5)):
                if rng.random() < 0.75:
                    port = rng.choice(TCP_APP_PORTS)
                    lines.append(f" port-object eq {ASA_PORT_NAMES.get(port, str(port))}")
                else:
                    low = rng.choice((7000, 8000, 9000, 10000, 20000))
                    lines.append(f" port-object range {low} {low + rng.choice((9, 99, 999))}")
            self.service_groups.append(group)
        self._shared_objects()

    def _shared_objects(self) -> None:
        """Clients (OA per site, branches), admin sources, shared services, protocol and service-object groups."""
        plan, lines, rng = self.plan, self.lines, self.rng
        for site, cidr in [("HQ", "10.30.0.0/17")] + [(office.upper(), f"10.{40 + j}.0.0/17") for j, office in enumerate(plan.offices)]:
            group = f"G_OA_{site}"
            lines += [f"object-group network {group}", f" description {site} office users", f" network-object {net_mask(cidr)}"]
            self.client_groups.append(group)
        lines += ["object-group network G_OA_ALL", " description every office user range"]
        lines += [f" group-object {g}" for g in self.client_groups]
        self.client_groups.append("G_OA_ALL")
        lines += ["object-group network G_VPN_STAFF", " description staff remote-access VPN pool (fw-edge-tpe)",
                  " network-object 192.168.100.0 255.255.252.0"]
        self.client_groups.append("G_VPN_STAFF")
        lines += ["object-group network ADMIN_SOURCES"]
        for dc, _ in DC_SITES:
            for host in ("jump01", "jump02", "pam01"):
                lines.append(f" network-object host {plan.host_ip(f'{dc}-{host}')}")
        for role in ("syslog01", "ntp01", "dns01"):
            lines += [f"object network {role.upper()}", f" host {plan.host_ip(f'{self.dc}-{role}')}"]
        lines += ["object-group service SVC_ADMIN", " service-object tcp destination eq ssh", " service-object tcp destination eq 3389",
                  " service-object tcp destination range 5985 5986",
                  "object-group protocol PG_TCP_UDP", " protocol-object udp", " protocol-object tcp",
                  "object-group network RFC1918_NETS", " network-object 10.0.0.0 255.0.0.0", " network-object 172.16.0.0 255.240.0.0",
                  " network-object 192.168.0.0 255.255.0.0"]
        for i in range(max(3, len(self.app_groups) // 10)):
            lines += [f"object-group network OLD_SERVERS_{i:02d}", f" description decommissioned under {ticket(rng)}",
                      f" network-object host 10.{10 + self.k}.{64 + rng.randrange(8)}.{rng.randrange(10, 250)}"]

    def address(self, tier: str | None = None, app: str | None = None) -> str:
        """A source or destination of one rule: a group, a host object, a literal host or a subnet (mixed widths)."""
        rng = self.rng
        app = app or rng.choice(list(self.app_groups))
        tier = tier or rng.choice(("WEB", "AP", "DB"))
        value = rng.random()
        if value < 0.45:
            return f"object-group {self.app_groups[app][tier]}"
        if value < 0.75:
            return f"object {rng.choice(self.app_hosts[app][tier])}"
        if value < 0.9:
            return f"host {self.host_ip[rng.choice(self.app_hosts[app][tier])]}"
        ip = self.host_ip[rng.choice(self.app_hosts[app][tier])]
        return f"{ip.rsplit('.', 1)[0]}.0 255.255.255.0"

    def acl(self, name: str, count: int, src_tier: str | None, dst_tiers: tuple[str, ...], clients: bool) -> list[str]:
        """One interface ACL of ``count`` rules, remarks before groups of rules, a logged deny at the end."""
        rng, writer = self.rng, self.writer
        entries: list[str] = []
        written: list[str] = []
        rules = 0
        apps = list(self.app_groups)
        while rules < count - 6:
            app = rng.choice(apps)
            if rng.random() < 0.3 or not entries:
                entries.append(f"remark {writer.remark(f'{app} {rng.choice(DEPARTMENTS).lower()} application flows')}")
            for _ in range(rng.randint(1, 6)):
                entry = self._rule(app, src_tier, dst_tiers, clients, written)
                if rng.random() < 0.015:
                    entry += " inactive"
                elif rng.random() < 0.03:
                    entry += " log"
                entries.append(f"extended {entry}")
                written.append(entry)
                rules += 1
        entries += [f"remark {writer.remark('log, time and name services')}",
                    "extended permit udp any object SYSLOG01 eq syslog", "extended permit udp any object NTP01 eq ntp",
                    "extended permit object-group PG_TCP_UDP any object DNS01 eq domain",
                    "remark default deny, logged", "extended deny ip any any log"]
        return asa_acl(name, entries)

    def _rule(self, app: str, src_tier: str | None, dst_tiers: tuple[str, ...], clients: bool, written: list[str]) -> str:
        rng = self.rng
        value = rng.random()
        if written and value < 0.03:  # an exact repeat of an earlier rule: redundant
            return rng.choice(written)
        if written and value < 0.05:  # the same match with the other action, later: shadowed
            text = rng.choice(written)
            return text.replace("permit", "deny", 1) if text.startswith("permit") else text.replace("deny", "permit", 1)
        if written and value < 0.07:  # narrower repeat of a group rule: covered by it
            text = rng.choice(written)
            if text.startswith("permit tcp object-group G_"):
                group = text.split()[3]
                app_name, tier = group[2:].rsplit("_", 1)
                if app_name in self.app_hosts and tier in self.app_hosts[app_name]:
                    return text.replace(f"object-group {group}", f"object {rng.choice(self.app_hosts[app_name][tier])}", 1)
        src = self.address(src_tier) if src_tier else (rng.choice(self.client_groups) if clients and rng.random() < 0.6 else None)
        if src is None:
            src = self.address()
        elif not src.startswith(("object", "host", "1")):
            src = f"object-group {src}"
        dst = self.address(rng.choice(dst_tiers), app)
        kind = rng.random()
        if kind < 0.6:
            return f"permit tcp {src} {dst} {self.writer.port('asa')}"
        if kind < 0.75:
            return f"permit tcp {src} {dst} object-group SVC_{app}"
        if kind < 0.81:
            return f"permit udp {src} {dst} {rng.choice(('eq snmp', 'eq 161', 'range 16384 32767', 'eq 1812', 'eq 5060'))}"
        if kind < 0.85:
            return f"permit object-group SVC_ADMIN object-group ADMIN_SOURCES {dst}"
        if kind < 0.88:
            return f"permit icmp {src} {dst} echo"
        if kind < 0.91:
            return f"deny tcp {src} {dst} eq {rng.choice(('telnet', '445', '3389', 'ftp'))} log"
        if kind < 0.95:
            return f"permit ip {src} {dst}"
        if kind < 0.965:
            return f"permit tcp {src} any eq https"
        return f"deny ip {src} {dst} log"


def fw_prod(plan: Plan, rng: random.Random, k: int, dc: str, scale: float) -> list[str]:
    """The production ASA: gateway of every prod VLAN, one inbound ACL per interface, the big rule base."""
    hostname = f"fw-prod-{dc}"
    shape = plan.dc_shape[dc]
    cfg = Config()
    asa_header(cfg, rng, hostname, "FPR-4145, 257000 MB RAM, CPU Xeon E5 series 2200 MHz, 2 CPUs (88 cores)", "9.18(4)29")
    cfg.add("interface Port-channel1", " no nameif", " no security-level", " no ip address", "!")
    for p in range(1, 5):
        cfg.add(f"interface Ethernet1/{p}", " channel-group 1 mode active", " no nameif", " no security-level", " no ip address", "!")
    nameifs = ["core"]
    cfg.extend(asa_interface("Port-channel1.900", "DC transit VLAN", "core", 50, plan.dc_transit(k, "fw-prod"), 900))
    interfaces: list[tuple[str, str]] = []  # (nameif, tier)
    for tier, offset, level, key in (("web", 0, 60, "web"), ("ap", 64, 70, "ap"), ("db", 128, 90, "db")):
        for i in range(shape[key]):
            vlan = {"web": 100, "ap": 200, "db": 300}[tier] + i
            nameif = f"{tier}-{i + 1:02d}"
            cfg.extend(asa_interface(f"Port-channel1.{vlan}", f"prod-{tier} {i + 1:02d} 10.{10 + k}.{offset + i}.0/24",
                                     nameif, level, f"10.{10 + k}.{offset + i}.1/24", vlan))
            nameifs.append(nameif)
            interfaces.append((nameif, tier.upper()))
    cfg.add("interface Management1/1", " management-only", " nameif management", " security-level 100",
            f" ip address 10.{96 + k}.1.{40} 255.255.255.0", "!")
    nameifs.append("management")
    cfg.add(f"banner login Formosa Life Insurance Co., Ltd. - {hostname}: authorised administrators only.", "ftp mode passive",
            "clock timezone TST 8", "dns domain-lookup management", "dns server-group DefaultDNS",
            f" name-server {plan.host_ip(f'{dc}-dns01')} management", " domain-name corp.formosalife.example",
            "same-security-traffic permit inter-interface",
            "time-range TR_AUDIT_2025", " absolute start 00:00 01 January 2025 end 23:59 31 March 2025",
            "time-range TR_BATCH_WINDOW", " periodic daily 1:00 to 5:00", "!")
    base = AsaRuleBase(rng, plan, k, dc)
    apps = list(APPS[: max(8, min(len(APPS), int(len(APPS) * (0.6 if k else 1.0))))])
    base.objects(apps, hosts_per_tier=max(2, int(10 * scale ** 0.5)))
    cfg.extend(base.lines)
    total = int((15000 if k == 0 else 10000) * scale)
    acls: list[str] = []
    acls += base.acl("CORE_IN", int(total * 0.3), None, ("WEB", "AP", "DB"), clients=True)
    per_tier = {"WEB": 0.2, "AP": 0.35, "DB": 0.15}
    counts = {tier: sum(1 for _, t in interfaces if t == tier) for tier in per_tier}
    for nameif, tier in interfaces:
        size = max(12, int(total * per_tier[tier] / counts[tier]))
        targets = {"WEB": ("AP",), "AP": ("AP", "DB"), "DB": ("DB",)}[tier]
        acls += base.acl(f"{nameif.upper().replace('-', '_')}_IN", size, tier, targets, clients=False)
    # a few rules only in a time window, and an expired one
    acls.append("access-list CORE_IN extended permit tcp object-group G_OA_ALL object-group G_RPT_WEB eq https time-range TR_AUDIT_2025"
                if "RPT" in apps else "access-list CORE_IN extended permit tcp object-group G_OA_ALL any eq https time-range TR_AUDIT_2025")
    cfg.extend(_move_deny_last(acls))
    asa_mgmt_tail(cfg, rng, plan, dc, nameifs, "management", telnet=False)
    cfg.add("access-group CORE_IN in interface core")
    for nameif, _ in interfaces:
        cfg.add(f"access-group {nameif.upper().replace('-', '_')}_IN in interface {nameif}")
    cfg.add(f"route core 0.0.0.0 0.0.0.0 {ipaddress.ip_interface(plan.dc_transit(k, 'fw-wan')).ip} 1")
    asa_aaa_block(cfg, rng, plan, dc, "management")
    asa_policy_tail(cfg, rng)
    return cfg.lines


def _move_deny_last(lines: list[str]) -> list[str]:
    """Keep every ACL's final 'deny ip any any log' last after lines appended later for the same ACL."""
    by_acl: dict[str, list[str]] = {}
    for line in lines:
        by_acl.setdefault(line.split()[1], []).append(line)
    result: list[str] = []
    for entries in by_acl.values():
        final = [e for e in entries if e.endswith("extended deny ip any any log")]
        result += [e for e in entries if e not in final] + final[-1:]
    return result


def fw_mgmt(plan: Plan, rng: random.Random, k: int, dc: str, scale: float) -> list[str]:
    """The management ASA: gateway of the management servers, jump hosts and the out-of-band network."""
    hostname = f"fw-mgmt-{dc}"
    cfg = Config()
    asa_header(cfg, rng, hostname, "FPR-2130, 14000 MB RAM, CPU Atom C3000 series 2200 MHz, 1 CPU (16 cores)", "9.18(4)29")
    segments = [("core", 50, plan.dc_transit(k, "fw-mgmt"), "DC transit VLAN"),
                ("mgmt-srv", 100, f"10.{96 + k}.0.1/24", "management servers: AAA, syslog, NTP, DNS, NMS"),
                ("oob", 90, f"10.{96 + k}.1.1/24", "out-of-band device management"),
                ("jump", 95, f"10.{96 + k}.2.1/24", "jump hosts and PAM desktops")]
    nameifs = []
    for index, (nameif, level, address, description) in enumerate(segments):
        cfg.extend(asa_interface(f"Ethernet1/{index + 1}", description, nameif, level, address))
        nameifs.append(nameif)
    cfg.add("interface Management1/1", " management-only", " shutdown", " no nameif", " no security-level", " no ip address", "!")
    cfg.add(f"banner motd Formosa Life Insurance Co., Ltd. - {hostname}", "ftp mode passive", "clock timezone TST 8", "!")
    base = AsaRuleBase(rng, plan, k, dc)
    apps = list(APPS[:30])
    base.objects(apps, hosts_per_tier=4)
    base.lines += ["object network NMS01", f" host 10.{96 + k}.0.35", "object network NET_OOB", f" subnet 10.{96 + k}.1.0 255.255.255.0",
                   "object network NET_JUMP", f" subnet 10.{96 + k}.2.0 255.255.255.0"]
    cfg.extend(base.lines)
    total = int(3000 * scale)
    entries = []
    for nameif, share in (("core", 0.3), ("mgmt-srv", 0.3), ("oob", 0.1), ("jump", 0.3)):
        entries += asa_acl(f"{nameif.upper().replace('-', '_')}_IN", mgmt_rules(rng, plan, base, dc, k, nameif, int(total * share)))
    cfg.extend(entries)
    asa_mgmt_tail(cfg, rng, plan, dc, nameifs, "mgmt-srv", telnet=False)
    for nameif in nameifs:
        cfg.add(f"access-group {nameif.upper().replace('-', '_')}_IN in interface {nameif}")
    cfg.add(f"route core 0.0.0.0 0.0.0.0 {ipaddress.ip_interface(plan.dc_transit(k, 'fw-wan')).ip} 1")
    asa_aaa_block(cfg, rng, plan, dc, "mgmt-srv")
    asa_policy_tail(cfg, rng)
    return cfg.lines


def mgmt_rules(rng: random.Random, plan: Plan, base: AsaRuleBase, dc: str, k: int, nameif: str, count: int) -> list[str]:
    """One interface ACL of the management ASA: distinct administration, monitoring and log rules."""
    writer = base.writer
    hosts = [name for app in base.app_hosts.values() for names in app.values() for name in names]
    ports = ("eq ssh", "eq 3389", "range 5985 5986", "eq https", "eq 8443", "eq 9090", "eq 161", "eq 22", "eq 10050", "eq 5666")
    if nameif == "jump":
        pool = [f"extended permit object-group SVC_ADMIN object NET_JUMP object {h}" for h in hosts]
        pool += [f"extended permit tcp object NET_JUMP object {h} {p}" for h in hosts for p in ports]
    elif nameif == "mgmt-srv":
        pool = [f"extended permit udp object NMS01 object {h} eq snmp" for h in hosts]
        pool += [f"extended permit tcp object NMS01 object {h} {p}" for h in hosts for p in ports[5:]]
        pool += [f"extended permit tcp object {h} object SYSLOG01 eq {p}" for h in hosts for p in ("6514", "1514")]
    elif nameif == "oob":
        pool = [f"extended permit {proto} host 10.{96 + k}.1.{last} {dst}" for last in range(2, 255)
                for proto, dst in (("tcp", f"host {plan.host_ip(f'{dc}-tacacs01')} eq tacacs"), ("udp", "object SYSLOG01 eq syslog"))]
    else:
        pool = [f"extended permit tcp object-group ADMIN_SOURCES object {h} {p}" for h in hosts for p in ports[:3]]
        pool += [f"extended permit tcp object-group {g} object NMS01 eq {p}" for g in base.client_groups for p in (443, 8443, 9443)]
    chosen = [pool[i] for i in sorted(rng.sample(range(len(pool)), min(len(pool), max(4, count - 4))))]
    rules = [f"remark {writer.remark('administration from the jump hosts and PAM only')}"]
    for index, rule in enumerate(chosen):
        if index and rng.random() < 0.08:
            rules.append(f"remark {writer.remark(f'{rng.choice(APPS)} monitoring and backup')}")
        rules.append(rule)
    return rules + ["extended permit udp any object NTP01 eq ntp", "extended permit object-group PG_TCP_UDP any object DNS01 eq domain",
                    "remark default deny, logged", "extended deny ip any any log"]


def fw_wan(plan: Plan, rng: random.Random, k: int, dc: str, scale: float) -> list[str]:
    """The WAN ASA: where offices, head office (Taipei) and the other data centre enter the DC."""
    hostname = f"fw-wan-{dc}"
    cfg = Config()
    asa_header(cfg, rng, hostname, "FPR-2140, 28000 MB RAM, CPU Atom C3000 series 2200 MHz, 1 CPU (16 cores)", "9.18(4)29")
    segments = [("dc", 50, plan.dc_transit(k, "fw-wan"), "DC transit VLAN"),
                ("wan", 20, plan.wan_link(k, "fw-wan"), f"to wan-{dc}-01 (MPLS WAN to the offices)"),
                ("dci", 30, f"10.255.255.{1 + k}/29", "data centre interconnect to the other WAN ASA")]
    if k == 0:
        segments.append(("hq", 40, "10.254.128.1/29", "head office core pair uplink"))
    nameifs = []
    for index, (nameif, level, address, description) in enumerate(segments):
        cfg.extend(asa_interface(f"Ethernet1/{index + 1}", description, nameif, level, address))
        nameifs.append(nameif)
    cfg.add("interface Management1/1", " management-only", " nameif management", " security-level 100",
            f" ip address 10.{96 + k}.1.46 255.255.255.0", "!")
    nameifs.append("management")
    cfg.add(f"banner motd Formosa Life Insurance Co., Ltd. - {hostname}", "ftp mode passive", "clock timezone TST 8", "!")
    base = AsaRuleBase(rng, plan, k, dc)
    apps = list(APPS[:40])
    base.objects(apps, hosts_per_tier=4)
    cfg.extend(base.lines)
    writer = base.writer
    total = int((4000 if k == 0 else 2500) * scale)
    acls = base.acl("WAN_IN", int(total * (0.35 if k == 0 else 0.6)), None, ("WEB", "AP"), clients=True)
    if k == 0:
        acls += base.acl("HQ_IN", int(total * 0.35), None, ("WEB", "AP"), clients=True)
    other = 1 - k
    dci = [f"remark {writer.remark('replication and batch between the data centres')}"]
    while len(dci) < int(total * 0.15):
        app = rng.choice(apps)
        if rng.random() < 0.25:
            dci.append(f"remark {writer.remark(f'{app} DR replication')}")
        tier = rng.choice(("AP", "DB"))
        src = f"10.{10 + other}.{(64 if tier == 'AP' else 128) + rng.randrange(4)}.0 255.255.255.0"
        dci.append(f"extended permit tcp {src} {base.address(tier, app)} {writer.port('asa')}")
    dci += ["extended permit udp any object SYSLOG01 eq syslog", "extended permit udp any object NTP01 eq ntp",
            "remark default deny, logged", "extended deny ip any any log"]
    acls += asa_acl("DCI_IN", dci)
    out = [f"remark {writer.remark('DC services to office desktops: software distribution, remote support, printing')}"]
    while len(out) < int(total * 0.15):
        app = rng.choice(apps)
        if rng.random() < 0.2:
            out.append(f"remark {writer.remark(f'{app} push to branches')}")
        client = rng.choice(base.client_groups)
        out.append(f"extended permit tcp {base.address(None, app)} object-group {client} {rng.choice(('eq 445', 'eq 3389', 'eq 8530', 'eq 9100', 'range 49152 65535'))}")
    out += [f"extended permit tcp 10.{10 + k}.0.0 255.255.0.0 10.255.255.0 255.255.255.248 eq bgp",
            f"extended permit ip 10.{10 + k}.128.0 255.255.192.0 10.{10 + other}.128.0 255.255.192.0",
            "remark default deny, logged", "extended deny ip any any log"]
    acls += asa_acl("DC_IN", out)
    cfg.extend(acls)
    asa_mgmt_tail(cfg, rng, plan, dc, nameifs, "management", telnet=False)
    for nameif in ("wan", "dci", "dc") + (("hq",) if k == 0 else ()):
        cfg.add(f"access-group {nameif.upper()}_IN in interface {nameif}")
    cfg.add(f"route wan 10.40.0.0 255.248.0.0 {ipaddress.ip_interface(plan.wan_link(k, 'wan')).ip} 1",
            f"route wan 10.98.0.0 255.255.0.0 {ipaddress.ip_interface(plan.wan_link(k, 'wan')).ip} 1",
            f"route dci 10.{10 + other}.0.0 255.255.0.0 10.255.255.{1 + other} 1",
            f"route dc 0.0.0.0 0.0.0.0 {ipaddress.ip_interface(plan.dc_transit(k, 'fw-edge')).ip} 1")
    if k == 0:
        cfg.add("route hq 10.30.0.0 255.255.0.0 10.254.128.2 1")
    asa_aaa_block(cfg, rng, plan, dc, "management")
    asa_policy_tail(cfg, rng)
    return cfg.lines


def fw_edge(plan: Plan, rng: random.Random, k: int, dc: str, scale: float) -> list[str]:
    """The Internet edge ASA: outside, DMZs, inside transit; static NAT for published hosts; VPN (Taipei)."""
    hostname = f"fw-edge-{dc}"
    shape = plan.dc_shape[dc]
    writer = RuleWriter(rng)
    cfg = Config()
    asa_header(cfg, rng, hostname, "FPR-2140, 28000 MB RAM, CPU Atom C3000 series 2200 MHz, 1 CPU (16 cores)", "9.16(4)57")
    vpn = k == 0
    if vpn:
        cfg.add("ip local pool VPN_POOL 192.168.100.1-192.168.103.254 mask 255.255.252.0", "")
    nameifs = ["outside", "inside"]
    cfg.extend(asa_interface("Ethernet1/1", f"to rtr-inet-{dc}-01/02 outside 203.0.113.{32 * k}/28", "outside", 0, f"203.0.113.{32 * k + 3}/28"))
    cfg.extend(asa_interface("Ethernet1/2", "DC transit VLAN", "inside", 100, plan.dc_transit(k, "fw-edge")))
    dmz_names = []
    for i in range(shape["dmz"]):
        nameif = f"dmz-{i + 1:02d}"
        cfg.extend(asa_interface(f"Ethernet1/{3 + i}", f"DMZ {i + 1:02d} 172.{16 + k}.{i}.0/24", nameif, 50, f"172.{16 + k}.{i}.1/24"))
        nameifs.append(nameif)
        dmz_names.append(nameif)
    cfg.add("interface Management1/1", " management-only", " nameif management", " security-level 100",
            f" ip address 10.{96 + k}.1.{45} 255.255.255.0", "!")
    nameifs.append("management")
    cfg.add(f"banner motd Formosa Life Insurance Co., Ltd. - {hostname}", "banner motd All sessions are logged and reviewed (Art. 17).",
            "ftp mode passive", "clock timezone TST 8", "dns domain-lookup management", "dns server-group DefaultDNS",
            f" name-server {plan.host_ip(f'{dc}-dns01')} management", " domain-name corp.formosalife.example",
            "time-range TR_VENDOR_2025Q4", " absolute start 00:00 01 October 2025 end 23:59 31 December 2025", "!")
    # published hosts: one object per DMZ server, NATed to the public /26
    published = list(ipaddress.ip_network(f"203.0.113.{64 + 64 * k}/26").hosts())
    servers: list[tuple[str, str, str]] = []  # (object, dmz nameif, mapped)
    count = min(len(published), max(8, int(60 * scale)))
    lines = []
    for i in range(count):
        dmz = i % shape["dmz"]
        name = f"DMZ_{rng.choice(APPS)}_{i:03d}"
        ip = f"172.{16 + k}.{dmz}.{10 + i}"
        lines += [f"object network {name}", f" host {ip}"]
        servers.append((name, dmz_names[dmz], str(published[i])))
    lines += ["object network WAF01", f" host {plan.host_ip(f'{dc}-waf01')}", "object network NET_VPN_POOL", " subnet 192.168.100.0 255.255.252.0",
              "object network PROXY01", f" host {plan.host_ip('hq-proxy01')}", "object network SYSLOG01", f" host {plan.host_ip(f'{dc}-syslog01')}",
              "object network NTP01", f" host {plan.host_ip(f'{dc}-ntp01')}", "object network DNS01", f" host {plan.host_ip(f'{dc}-dns01')}",
              "object-group network DMZ_SERVERS"] + [f" network-object object {name}" for name, _, _ in servers] + [
              "object-group network PARTNER_NETS", " description reinsurers, banks and vendors"] + [
              f" network-object 192.0.2.{8 * i} 255.255.255.248" for i in range(min(32, max(4, int(20 * scale))))] + [
              "object-group network RFC1918_NETS", " network-object 10.0.0.0 255.0.0.0", " network-object 172.16.0.0 255.240.0.0",
              " network-object 192.168.0.0 255.255.0.0", "object-group network INTERNAL_NETS", " network-object 10.0.0.0 255.0.0.0",
              "object-group service WEB_PORTS tcp", " port-object eq www", " port-object eq https",
              "object-group protocol PG_TCP_UDP", " protocol-object udp", " protocol-object tcp",
              "object-group icmp-type ICMP_ALLOWED", " icmp-object echo-reply", " icmp-object unreachable", " icmp-object time-exceeded"]
    cfg.extend(lines)
    waf_public = servers[0][0]
    outside = [f"remark {writer.remark('public portal via the WAF (HTTPS)')}", "extended permit tcp any object WAF01 eq https"]
    for name, _, _ in servers:
        value = rng.random()
        if value < 0.5:
            outside.append(f"remark {writer.remark(name.split('_')[1] + ' published service')}")
        outside.append(f"extended permit tcp any object {name} {rng.choice(('eq https', 'eq https', 'eq www', 'eq smtp', 'object-group WEB_PORTS'))}")
    target = int(1200 * scale)
    while len(outside) < target:
        name = rng.choice(servers)[0]
        if rng.random() < 0.25:
            outside.append(f"remark {writer.remark('partner file exchange and APIs')}")
        outside.append(f"extended permit tcp object-group PARTNER_NETS object {name} {writer.port('asa')}" if rng.random() < 0.6 else
                       f"extended permit tcp 192.0.2.{rng.randrange(0, 256, 8)} 255.255.255.248 object {name} eq {rng.choice(('ssh', 'https', '990', '3389'))}")
    outside += ["extended permit icmp any object-group DMZ_SERVERS object-group ICMP_ALLOWED", "extended deny ip any any log"]
    del waf_public
    acls = asa_acl("OUTSIDE_IN", outside)
    for i, nameif in enumerate(dmz_names):
        entries = [f"remark {writer.remark('WAF and DMZ servers to production web back ends (HTTPS)')}",
                   f"extended permit tcp object WAF01 10.{10 + k}.0.0 255.255.192.0 eq https"]
        dmz_servers = [name for name, owner, _ in servers if owner == nameif]
        for _ in range(int(300 * scale)):
            if rng.random() < 0.2:
                entries.append(f"remark {writer.remark('DMZ application to AP tier')}")
            name = rng.choice(dmz_servers) if dmz_servers else "WAF01"
            entries.append(f"extended permit tcp object {name} host 10.{10 + k}.{64 + rng.randrange(8)}.{rng.randrange(10, 250)} {writer.port('asa')}")
        entries += ["extended permit udp any object SYSLOG01 eq syslog", "extended permit udp any object NTP01 eq ntp",
                    "extended permit object-group PG_TCP_UDP any object DNS01 eq domain",
                    f"remark {writer.remark('nothing else from the DMZ to internal ranges')}",
                    "extended deny ip any object-group RFC1918_NETS log",
                    f"remark {writer.remark('signature and patch downloads, HTTPS only')}",
                    "extended permit tcp any any eq https", "extended deny ip any any log"]
        acls += asa_acl(f"DMZ_{i + 1:02d}_IN", entries)
    inside = [f"remark {writer.remark('jump hosts and PAM administration of the DMZ')}"]
    for jump in ("jump01", "jump02", "pam01"):
        inside.append(f"extended permit tcp host {plan.host_ip(f'{dc}-{jump}')} 172.{16 + k}.0.0 255.255.0.0 eq ssh")
    inside += [f"remark {writer.remark('proxy01 outbound web (URL filtering on the proxy)')}",
               "extended permit tcp object PROXY01 any object-group WEB_PORTS"]
    for _ in range(int(500 * scale)):
        if rng.random() < 0.2:
            inside.append(f"remark {writer.remark('internal systems to DMZ services')}")
        name = rng.choice(servers)[0]
        inside.append(f"extended permit tcp 10.{10 + k}.{64 + rng.randrange(8)}.0 255.255.255.0 object {name} {writer.port('asa')}")
    inside += [f"remark {writer.remark('AP servers to partner APIs')}", f"extended permit tcp 10.{10 + k}.64.0 255.255.192.0 object-group PARTNER_NETS eq https",
               "extended permit object-group PG_TCP_UDP object DNS01 any eq domain", "extended permit udp object NTP01 any eq ntp",
               "extended deny ip any object-group RFC1918_NETS log", "extended deny ip any any log"]
    acls += asa_acl("INSIDE_IN", inside)
    if vpn:
        acls += asa_acl("VPN_FILTER_STAFF", [f"remark {writer.remark('staff VPN: intranet portals and jump hosts')}",
                                             "extended permit tcp object NET_VPN_POOL 10.10.0.0 255.255.192.0 eq https",
                                             f"extended permit object-group SVC_ADMIN object NET_VPN_POOL host {plan.host_ip('tpe-jump01')}"]
                        if False else [f"remark {writer.remark('staff VPN: intranet portals and jump hosts')}",
                                       "extended permit tcp object NET_VPN_POOL 10.10.0.0 255.255.192.0 eq https",
                                       f"extended permit tcp object NET_VPN_POOL host {plan.host_ip('tpe-jump01')} eq 3389",
                                       f"extended permit tcp object NET_VPN_POOL host {plan.host_ip('tpe-jump01')} eq ssh"])
        acls += asa_acl("VPN_FILTER_VENDOR", [f"remark {writer.remark('vendor VPN: RDP to jump01 only, sessions recorded')}",
                                              f"extended permit tcp object NET_VPN_POOL host {plan.host_ip('tpe-jump01')} eq 3389"])
        acls += ["access-list SPLIT_STAFF standard permit 10.0.0.0 255.0.0.0"]
    cfg.extend(acls)
    asa_mgmt_tail(cfg, rng, plan, dc, nameifs, "management", telnet=False)
    for name, nameif, mapped in servers:
        cfg.add(f"object network {name}", f" nat ({nameif},outside) static {mapped}")
    cfg.add("!", "nat (inside,outside) after-auto source dynamic INTERNAL_NETS interface")
    cfg.add("access-group OUTSIDE_IN in interface outside", "access-group INSIDE_IN in interface inside")
    for i, nameif in enumerate(dmz_names):
        cfg.add(f"access-group DMZ_{i + 1:02d}_IN in interface {nameif}")
    cfg.add(f"route outside 0.0.0.0 0.0.0.0 203.0.113.{32 * k + 14} 1", f"route inside 10.0.0.0 255.0.0.0 {ipaddress.ip_interface(plan.dc_transit(k, 'fw-wan')).ip} 1")
    asa_aaa_block(cfg, rng, plan, dc, "management")
    if vpn:
        cfg.add("aaa-server FL_RADIUS_MFA protocol radius", f"aaa-server FL_RADIUS_MFA (inside) host {plan.host_ip('tpe-radius01')}",
                " timeout 60", " key *****", " authentication-port 1812", " accounting-port 1813",
                "aaa-server FL_LDAP_AD protocol ldap", f"aaa-server FL_LDAP_AD (inside) host {plan.host_ip('tpe-ldap01')}",
                " server-port 636", " ldap-base-dn OU=Vendors,DC=corp,DC=formosalife,DC=example", " ldap-scope subtree",
                " ldap-naming-attribute sAMAccountName", " ldap-login-password *****", " ldap-over-ssl enable",
                " server-type microsoft", "ssl trust-point TP_VPN outside", "webvpn", " enable outside",
                " anyconnect image disk0:/anyconnect-win-4.10.08029-webdeploy-k9.pkg 1", " anyconnect enable", " tunnel-group-list enable",
                "group-policy GP_STAFF internal", "group-policy GP_STAFF attributes", f" dns-server value {plan.host_ip('tpe-dns01')}",
                " vpn-simultaneous-logins 1", " vpn-idle-timeout 30", " vpn-filter value VPN_FILTER_STAFF", " vpn-tunnel-protocol ssl-client",
                " split-tunnel-policy tunnelspecified", " split-tunnel-network-list value SPLIT_STAFF",
                "group-policy GP_VENDOR internal", "group-policy GP_VENDOR attributes", " vpn-simultaneous-logins 1",
                " vpn-idle-timeout 15", " vpn-filter value VPN_FILTER_VENDOR", " vpn-tunnel-protocol ssl-client",
                "tunnel-group FL-STAFF-VPN type remote-access", "tunnel-group FL-STAFF-VPN general-attributes", " address-pool VPN_POOL",
                " authentication-server-group FL_RADIUS_MFA", " default-group-policy GP_STAFF",
                "tunnel-group FL-STAFF-VPN webvpn-attributes", " group-alias STAFF enable",
                "tunnel-group FL-VENDOR-VPN type remote-access", "tunnel-group FL-VENDOR-VPN general-attributes", " address-pool VPN_POOL",
                " authentication-server-group FL_LDAP_AD", " default-group-policy GP_VENDOR",
                "tunnel-group FL-VENDOR-VPN webvpn-attributes", " group-alias VENDOR enable")
    asa_policy_tail(cfg, rng)
    return cfg.lines


# --------------------------------------------------------------------------- the estate


def device_builders(plan: Plan) -> list[tuple[str, Callable[[random.Random, float], list[str]]]]:
    """Every device of the estate: its hostname and how to write its config at a given scale."""
    counts = plan.counts
    builders: list[tuple[str, Callable[[random.Random, float], list[str]]]] = []

    def add(name: str, build: Callable[[random.Random, float], list[str]]) -> None:
        builders.append((name, build))

    for k, (dc, name) in enumerate(DC_SITES):
        for n in (1, 2):
            add(f"rtr-inet-{dc}-0{n}", lambda r, s, k=k, dc=dc, n=n: inet_router(plan, r, k, dc, n, s))
            add(f"dc-{dc}-core-0{n}", lambda r, s, k=k, dc=dc, n=n: dc_core(plan, r, k, dc, n, s))
        add(f"fw-edge-{dc}", lambda r, s, k=k, dc=dc: fw_edge(plan, r, k, dc, s))
        add(f"fw-prod-{dc}", lambda r, s, k=k, dc=dc: fw_prod(plan, r, k, dc, s))
        add(f"fw-mgmt-{dc}", lambda r, s, k=k, dc=dc: fw_mgmt(plan, r, k, dc, s))
        add(f"fw-wan-{dc}", lambda r, s, k=k, dc=dc: fw_wan(plan, r, k, dc, s))
        add(f"wan-{dc}-01", lambda r, s, k=k, dc=dc: wan_router(plan, r, k, dc))
        for index in range(1, counts.leaves[k] + 1):
            add(f"dc-{dc}-leaf-{index:02d}", lambda r, s, k=k, dc=dc, index=index: dc_leaf(plan, r, k, dc, index, s))
        for index in range(1, counts.oob[k] + 1):
            add(f"oob-{dc}-sw{index:02d}", lambda r, s, k=k, dc=dc, index=index, name=name: access_switch(
                plan, r, f"oob-{dc}-sw{index:02d}", dc, f"10.{96 + k}.1.{150 + index}", f"10.{96 + k}.1.1", [10, 11], 12,
                f"{name} OOB row {index}", max(1, round(1 * s)), vrf=""))
    for n in (1, 2):
        add(f"hq-core-0{n}", lambda r, s, n=n: hq_core(plan, r, n, s))
    for index in range(1, counts.hq_access + 1):
        floor = 1 + (index - 1) // 2
        vlans = [100 + (index - 1) % 24, 100 + index % 24]
        add(f"hq-acc-{floor:02d}f-{1 + (index - 1) % 2}", lambda r, s, index=index, floor=floor, vlans=vlans: access_switch(
            plan, r, f"hq-acc-{floor:02d}f-{1 + (index - 1) % 2}", "tpe", f"10.98.0.{10 + index}", "10.98.0.1", vlans,
            300 + index % 8, f"HQ {floor}F IDF", max(1, round(members(index) * s))))
    for j, (office, name) in enumerate(OFFICES[: counts.offices]):
        add(f"rtr-{office}-01", lambda r, s, j=j, office=office, name=name: office_router(plan, r, j, office, name))
        add(f"dist-{office}-01", lambda r, s, j=j, office=office, name=name: office_dist(plan, r, j, office, name, s))
        for index in range(1, counts.office_access[j] + 1):
            vlans = [100 + (index - 1) % 6, 100 + index % 6]
            add(f"{office}-acc-{index:02d}", lambda r, s, j=j, office=office, index=index, vlans=vlans, name=name: access_switch(
                plan, r, f"{office}-acc-{index:02d}", "tpe" if j % 2 == 0 else "tch", f"10.98.{16 * (j + 1)}.{10 + index}",
                f"10.98.{16 * (j + 1)}.1", vlans, 300, f"{name} {1 + (index - 1) // 2}F", max(1, round(members(index + j) * s * 0.75))))
    return builders


def members(index: int) -> int:
    """Stack members of an access switch: mostly 3-5, a few big 8-member stacks."""
    return (3, 4, 5, 4, 3, 8, 4, 5, 2, 4)[index % 10]


@dataclass(slots=True)
class Written:
    devices: int
    lines: int
    rules: int


def count_rules(lines: list[str]) -> int:
    """ACEs (remarks excluded): ASA/numbered 'access-list' lines and the entries of named ACL blocks."""
    rules = 0
    in_acl = False
    for line in lines:
        if line.startswith("access-list "):
            rules += " remark " not in line
            in_acl = False
        elif line.startswith(("ip access-list ", "ipv6 access-list ")):
            in_acl = True
        elif in_acl and line[:1] == " ":
            rules += "remark" not in line.split()[:2]
        elif line.strip() and not line.startswith(" "):
            in_acl = False
    return rules


def generate(devices: int, lines_target: int, seed: int) -> tuple[Plan, dict[str, list[str]]]:
    """Every config at the scale that brings the total nearest ``lines_target``."""
    plan = Plan(plan_counts(devices))
    builders = device_builders(plan)
    scale = 1.0
    configs: dict[str, list[str]] = {}
    for _ in range(4):
        configs = {name: build(random.Random(f"{seed}:{name}"), scale) for name, build in builders}
        total = sum(len(c) for c in configs.values())
        if abs(total - lines_target) / lines_target < 0.01:
            break
        scale *= lines_target / total
    return plan, configs


def topology_yaml(plan: Plan, devices: list[str]) -> str:
    """The topology file: zones, hosts, device roles and the intended crossings."""
    out = ["# Generated by benchmarks/estate.py: the topology of the benchmark estate (topology.md, version 1).", "",
           "version: 1", "name: Formosa Life — generated benchmark estate", "", "zones:"]
    for zone in plan.zones.values():
        fields = [f"env: {zone.env}"]
        if zone.tier:
            fields.append(f"tier: {zone.tier}")
        if zone.klass:
            fields.append(f"class: {zone.klass}")
        if zone.internet_facing is not None:
            fields.append(f"internet_facing: {'true' if zone.internet_facing else 'false'}")
        if zone.cidrs:
            fields.append(f"cidrs: [{', '.join(zone.cidrs)}]")
        out.append(f"  {zone.name}: {{{', '.join(fields)}}}")
    out += ["", "hosts:"]
    for host in plan.hosts.values():
        mfa = f", mfa: {'true' if host.mfa else 'false'}" if host.mfa is not None else ""
        out.append(f"  {host.name}: {{ip: {host.ip}, role: {host.role}{mfa}}}")
    out += ["", "devices:"]
    for name in devices:
        if name.startswith("fw-"):
            out.append(f"  {name}: {{role: firewall, platform: asa}}")
    out += ["", "policy:", "  allowed_flows:"]
    flows = []
    for dc, _ in DC_SITES:
        flows.append(f"{{from: env:oa, to: {dc}-prod-web, services: [tcp/443]}}")
        flows.append(f"{{from: host:{dc}-waf01, to: {dc}-prod-web, services: [tcp/443]}}")
        for role in ("syslog01", "ntp01", "dns01"):
            service = {"syslog01": "[udp/514]", "ntp01": "[udp/123]", "dns01": "[udp/53, tcp/53]"}[role]
            flows.append(f"{{from: any, to: host:{dc}-{role}, services: {service}}}")
    flows += ["{from: tpe-vpn, to: tpe-prod-web, services: [tcp/443]}", "{from: tpe-vpn, to: host:tpe-jump01, services: [tcp/3389, tcp/22]}",
              "{from: env:test, to: host:hq-proxy01, services: [tcp/8080]}"]
    out += [f"    - {flow}" for flow in flows]
    return "\n".join(out) + "\n"


def write_estate(out: Path, devices: int, lines_target: int, seed: int) -> Written:
    plan, configs = generate(devices, lines_target, seed)
    configs_dir = out / "configs"
    if configs_dir.exists():
        shutil.rmtree(configs_dir)
    configs_dir.mkdir(parents=True)
    for name, lines in configs.items():
        (configs_dir / f"{name}.cfg").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "network.yaml").write_text(topology_yaml(plan, list(configs)), encoding="utf-8")
    return Written(len(configs), sum(len(c) for c in configs.values()), sum(count_rules(c) for c in configs.values()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=200, help="number of device configs (default 200, at least 30)")
    parser.add_argument("--lines", type=int, default=1_000_000, help="total config lines to aim at (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", required=True, help="folder to write configs/ and network.yaml into (not the repository)")
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    repo = Path(__file__).resolve().parent.parent
    if out == repo or repo in out.parents:
        parser.error(f"write the estate outside the repository (not {out})")
    written = write_estate(out, args.devices, args.lines, args.seed)
    print(f"estate: {written.devices} devices, {written.lines:,} lines, {written.rules:,} rules -> {out}/configs, {out}/network.yaml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
