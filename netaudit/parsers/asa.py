"""Cisco ASA (8.3+ / 9.x) ``show running-config`` → the vendor-neutral model.

ciscoconfparse2 gives the block structure; the file is walked once and each top-level line is
dispatched on its first word. Definitions (names, interfaces, objects, time-ranges, group
policies, ...) are read during the walk; lines that *use* them (ACEs, NAT, routes, management
access) are queued and read after it, so a use never depends on where its definition sits.

ASA specifics the model states as facts: interfaces are referred to by ``nameif`` everywhere but
the model always names the real interface; ``object`` and ``object-group`` share one namespace
(both are recorded with kind ``object``); remote-access VPN traffic bypasses interface ACLs
unless ``no sysopt connection permit-vpn``.
"""

from __future__ import annotations

import gc
import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from ciscoconfparse2 import CiscoConfParse
from loguru import logger

from netaudit.model import (
    ANY_IPV4,
    ANY_IPV6,
    AaaMethod,
    AaaServer,
    AaaServerGroup,
    AddressPool,
    AddressSet,
    AddressTerm,
    Device,
    Filter,
    FilterBinding,
    Interface,
    InterfaceAddress,
    LocalUser,
    LogTarget,
    ManagementService,
    NamedObject,
    NatRule,
    ObjectReference,
    Rule,
    Service,
    SessionTimeout,
    SnmpCommunity,
    SourceRef,
    StaticRoute,
    StoredSecret,
    VpnDefinition,
)
from netaudit.parsers.base import Coverage, Parser, SourceFile
from netaudit.parsers.cisco_acl import (
    AceError,
    AceSyntax,
    ObjectTable,
    network_member,
    parse_absolute_end,
    parse_ace,
    service_member,
    term_from_host,
    term_from_mask,
    term_from_prefix,
)
from netaudit.services import ICMP_TYPES, TCP, port_number, protocol_number

logger.disable("ciscoconfparse2")  # it logs through loguru; a parser must stay quiet

CfgLine = Any  # a ciscoconfparse2 line object (``linenum``, ``children``)
Handler = Callable[[CfgLine, list[str]], bool | None]

# 8.3+: 'any' is every IPv4 and IPv6 address, 'any4'/'any6' one family; masks are netmasks.
ASA_SYNTAX = AceSyntax(mask="netmask", family=4, object_keyword="object", any_keywords=frozenset({"any", "any4", "any6"}))
# Pre-9.0 'ipv6 access-list': 'any' means every IPv6 address.
ASA_IPV6_SYNTAX = AceSyntax(mask="netmask", family=6, object_keyword="object", any_keywords=frozenset({"any", "any6"}))

# Content errors: the entry is left unrecognized with a warning, and parsing goes on.
_CONTENT_ERRORS = (AceError, ValueError, IndexError, KeyError)

HIDDEN = "*****"  # what ASA prints instead of a key or pre-shared key
DEFAULT_GROUP_POLICY = "DfltGrpPolicy"
DEFAULT_SSH_TIMEOUT = 5  # minutes, when 'ssh timeout' is not configured
# Tunnel groups every ASA has without a 'type' line.
BUILTIN_TUNNEL_GROUPS = {"DefaultRAGroup": "remote-access", "DefaultWEBVPNGroup": "remote-access", "DefaultL2LGroup": "site-to-site"}
TUNNEL_TYPES = {"remote-access": "remote-access", "webvpn": "remote-access", "ipsec-ra": "remote-access", "ipsec-l2l": "site-to-site"}
AAA_CONSOLE_SERVICES = {"ssh", "telnet", "http", "serial", "enable"}
PASSWORD_SCHEMES = {
    # keyword after the value → (storage, scheme as shown in findings)
    "pbkdf2": ("strong-hash", "pbkdf2"),
    "encrypted": ("weak-hash", "encrypted (MD5)"),
    "nt-encrypted": ("weak-hash", "nt-encrypted (MD4)"),
}
PORT_OPERATOR_WORDS = {"eq", "neq", "lt", "gt", "range"}

# --------------------------------------------------------------------------- recognized commands
# Top-level commands a `show running-config` prints that carry nothing the checks need. Each entry
# is a command prefix in whole words (case-insensitive); a matching top-level line is recognized
# together with its whole block, and so is its 'no ...' form. Modelled commands are not listed.
RECOGNIZED_COMMANDS: tuple[str, ...] = (
    # File trailer, CLI cosmetics and banners (text for humans; ': ...' lines are comments).
    "Cryptochecksum:", "command-alias", "terminal width", "prompt", "pager", "banner",
    # Platform, images, licences, hardware and operating mode.
    "boot", "license", "jumbo-frame", "mtu", "service sw-reset-button", "service password-recovery",
    "service call-home", "service resetinbound", "service resetoutside", "service-module", "firewall transparent",
    "asdm", "hw-module", "coredump", "crashinfo", "hpm", "rest-api", "mac-address",
    "mac-address-table", "mac-learn", "quota", "auto-update", "ip-client", "app-agent", "fips",
    # Identity, DNS, time and FTP client settings.
    "names", "domain-name", "dns", "dns-guard", "clock", "ftp mode", "smtp-server", "ddns",
    # Connection handling, timeouts and inspection tuning.
    "xlate", "arp", "timeout", "sysopt", "object-group-search", "forward-reference", "ip verify", "ip audit",
    "icmp", "ipv6 icmp", "threat-detection", "filter", "tcp-map", "regex", "flow-offload", "dynamic-filter",
    "scansafe", "wccp", "multicast-routing", "pim", "igmp", "sla", "track", "tftp-server", "vpdn",
    "phone-proxy", "ctl-file", "media-termination", "uc-ime", "tls-proxy", "ssl",
    # Modular policy framework: inspection maps ('policy-map type ...'); class-map, policy-map and
    # service-policy are read for ACL uses and IPS inspection.
    "policy-map type",
    # Routing protocols' prefix filters (the ACL uses in 'router' and 'route-map' are modelled).
    "prefix-list", "ip prefix-list", "as-path", "community-list",
    # Identity firewall and object groups of users / security tags.
    "user-identity", "object-group user", "object-group security", "ldap attribute-map",
    # Logging settings other than the remote host, NetFlow, failover and clustering.
    "logging", "flow-export", "failover", "monitor-interface", "cluster",
    # Crypto settings other than the VPN's ACLs and listening interfaces (certificates end at 'quit').
    "crypto ipsec", "crypto ca", "crypto ikev1", "crypto ikev2", "crypto isakmp", "crypto key", "crypto map",
    "crypto dynamic-map", "crypto engine", "crypto checkpoint",
    # VPN settings other than pools, tunnel groups and group-policy filters.
    "vpn-addr-assign", "vpn-sessiondb", "vpn load-balancing", "tunnel-group-map", "group-policy",
    # DHCP server and relay.
    "dhcpd", "dhcprelay", "dhcp-client",
    # Management-plane settings other than who may connect (those lines are modelled).
    "ssh version", "ssh key-exchange", "ssh stricthostkeycheck", "ssh scopy", "ssh cipher", "ssh pubkey-chain",
    "ssh authentication", "ssh access-list", "ssh login-history", "http redirect", "http server",
    "http authentication-certificate", "management-access", "privilege", "aaa proxy-limit", "aaa local",
    "aaa authentication login-history", "aaa authentication listener", "aaa authentication secure-http-client",
    "aaa authorization exec", "aaa authorization http", "call-home",
    "snmp-server location", "snmp-server contact", "snmp-server enable", "snmp-server listen-port",
    "snmp-server engineid", "snmp-server trap-source", "snmp-map", "ntp authenticate", "ntp trusted-key",
    "ntp source",
)


def _index_prefixes(prefixes: Iterable[str]) -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for prefix in prefixes:
        words = tuple(prefix.lower().split())
        index.setdefault(words[0], []).append(words)
    return index


_RECOGNIZED_INDEX = _index_prefixes(RECOGNIZED_COMMANDS)


def is_recognized_command(words: list[str]) -> bool:
    """Whether a top-level line is on the explicit list of harmless commands."""
    first = words[0].lower()
    if ":" in first:  # 'Cryptochecksum:571d...' is one word
        first = first[: first.index(":") + 1]
    for prefix in _RECOGNIZED_INDEX.get(first, ()):
        if len(words) >= len(prefix) and all(w.lower() == p for w, p in zip(words[1 : len(prefix)], prefix[1:], strict=True)):
            return True
    return False


_NETWORK_MEMBER_KEYWORDS = {"host", "object", "subnet", "range", "group-object"}

# Interface sub-commands read into the model (the rest of the known ones are only recognized).
_INTERFACE_RECOGNIZED = {
    "mac-address", "speed", "duplex", "channel-group", "lacp", "no", "ipv6", "delay", "flowcontrol",
    "member-interface", "pppoe", "ospf", "authentication", "hello-interval", "hold-time", "split-horizon",
    "summary-address", "pim", "igmp", "multicast", "dhcp", "dhcprelay", "switchport", "bridge-group",
    "zone-member", "policy-route", "port-channel", "mode", "power", "nve-only", "ip", "lldp", "cts",
    "service-policy", "load-interval", "nameif", "security-level", "management-only", "vlan",
}


# --------------------------------------------------------------------------- small helpers


def _is_ip(text: str | None) -> bool:
    if text is None:
        return False
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _mask_prefixlen(mask: str) -> int:
    return ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen


def _minutes(text: str) -> float:
    """Timeout minutes as written (an int when whole, so the model shows '5', not '5.0')."""
    return int(text) if text.isdigit() else float(text)


def _key_storage(value: str) -> str:
    """Storage of a key or pre-shared key: ASA prints ``*****`` when it hides it."""
    return "hidden" if value == HIDDEN else "plaintext"


def _covering_network(first: str, last: str) -> str:
    """The smallest prefix holding both addresses (a pool without 'mask')."""
    a, b = ipaddress.ip_address(first), ipaddress.ip_address(last)
    bits = 32 if a.version == 4 else 128
    diff = int(a) ^ int(b)
    plen = bits - diff.bit_length()
    return str(ipaddress.ip_network(f"{first}/{plen}", strict=False))


@dataclass(slots=True)
class _ResolvedObjectTable(ObjectTable):
    """An object table that resolves each name once.

    ASA definitions all come before the entries are read (entries are read after the walk), so a
    resolved group never changes; large rule bases refer to the same groups thousands of times.
    """

    _cache: dict[tuple[str, str], Any] = field(default_factory=dict)

    def _cached(self, table: str, name: str, resolve: Callable[[ObjectTable, str], Any]) -> Any:
        key = (table, name)
        try:
            return self._cache[key]
        except KeyError:
            result = self._cache[key] = resolve(self, name)
            return result

    def network_terms(self, name: str) -> tuple[AddressTerm, ...] | None:
        return self._cached("network", name, ObjectTable.network_terms)

    def service_list(self, name: str) -> tuple[Service, ...] | None:
        return self._cached("service", name, ObjectTable.service_list)

    def protocol_list(self, name: str) -> tuple[int | None, ...] | None:
        return self._cached("protocol", name, ObjectTable.protocol_list)

    def icmp_list(self, name: str) -> tuple[tuple[int, int | None], ...] | None:
        return self._cached("icmp", name, ObjectTable.icmp_list)

    def port_group(self, name: str) -> tuple[int | None, tuple[tuple[int, int], ...]] | None:
        return self._cached("port", name, ObjectTable.port_group)


@dataclass(slots=True)
class _RemarkRun:
    """Remark lines of one ACL that document the rules after them, until the next remark."""

    text: str
    ref: SourceRef
    open: bool = True  # still collecting consecutive remark lines


@dataclass(slots=True)
class _SnmpHost:
    address: str
    interface: str | None
    polls: bool  # may poll (not trap-only)
    own_community: bool


@dataclass(slots=True)
class _GroupPolicy:
    """The group-policy attributes the VPN model needs; a missing key inherits DfltGrpPolicy."""

    attributes: dict[str, Any] = field(default_factory=dict)


class AsaParser(Parser):
    """Cisco ASA 8.3+ / 9.x running configuration."""

    platform = "asa"

    def parse(self, source: SourceFile) -> Device:
        # A parse allocates hundreds of thousands of long-lived objects and no garbage worth
        # collecting; the cyclic collector would rescan them all again and again (~40% of the time).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return _AsaBuilder(source).build()
        finally:
            if was_enabled:
                gc.enable()


class _AsaBuilder:
    """The state of one parse: the device being filled, the object table and pending uses."""

    def __init__(self, source: SourceFile) -> None:
        self.lines = source.lines
        self.coverage = Coverage(source)
        self.device = Device(
            name=Path(source.path).stem or source.path, platform="asa", file=source.path, lines=len(source.lines),
            role="firewall", stateful=True, security_levels=True, vpn_bypasses_acl=True,
        )
        self.table = _ResolvedObjectTable()
        self.names: dict[str, str] = {}  # 'name A NAME' aliases
        self.nameifs: dict[str, str] = {}  # nameif → interface name
        self.time_range_ends: dict[str, date | None] = {}
        self.other_acls: set[str] = set()  # webtype / ethertype ACLs: defined, filter no IP traffic
        self.acl_kind_known: set[str] = set()
        self.remarks: dict[str, _RemarkRun] = {}
        self.uses: list[tuple[str, str]] = []  # (ACL name, FilterUse)
        self.late: list[tuple[Callable[..., Any], CfgLine, list[str]]] = []
        self.group_policies: dict[str, _GroupPolicy] = {}
        self.tunnel_policy: dict[str, str] = {}
        self.tunnel_auth_set: set[str] = set()
        self.vpns: dict[str, VpnDefinition] = {}
        self.listen: list[str] = []  # nameifs where remote-access VPN listens
        self.aaa_groups: dict[str, AaaServerGroup] = {}
        self.http_server = False
        self.ssh_timeout_seen = False
        self.telnet_timeout: SessionTimeout | None = None
        self.global_communities: list[tuple[str, int]] = []
        self.match_all_classes: set[str] = {"class-default"}  # class-maps that match every packet
        self.ips_classes: dict[str, list[str]] = {}  # policy-map → classes sent to an IPS module
        self.service_policies: list[tuple[str, str | None]] = []  # (policy-map, nameif or None: global)
        self.snmp_hosts: list[_SnmpHost] = []
        self.handlers: dict[str, Handler] = {
            "hostname": self._hostname, "asa": self._version, "pix": self._version, "name": self._name,
            "interface": self._interface, "object": self._object, "object-group": self._object_group,
            "access-list": self._access_list, "access-group": self._defer_to(self._access_group),
            "time-range": self._time_range, "nat": self._defer_to(self._twice_nat),
            "route": self._defer_to(self._route), "ip": self._ip, "ipv6": self._ipv6,
            "tunnel-group": self._tunnel_group, "group-policy": self._group_policy, "webvpn": self._webvpn,
            "crypto": self._crypto, "aaa-server": self._aaa_server, "aaa": self._aaa, "username": self._username,
            "enable": self._enable, "passwd": self._passwd, "ssh": self._ssh, "telnet": self._telnet,
            "http": self._http, "console": self._console, "snmp-server": self._snmp_server,
            "logging": self._logging, "ntp": self._ntp, "same-security-traffic": self._same_security,
            "sysopt": self._sysopt, "no": self._no, "class-map": self._class_map, "route-map": self._route_map,
            "router": self._router, "dynamic-access-policy-record": self._dap, "banner": self._banner,
            "user-identity": self._user_identity, "policy-map": self._policy_map,
            "service-policy": self._service_policy,
        }

    # ------------------------------------------------------------------ walk

    def build(self) -> Device:
        parse = CiscoConfParse(self.lines, syntax="asa", loguru=False, ignore_blank_lines=False)
        lines = self.lines
        for obj in parse.objs:
            line = lines[obj.linenum]
            if not line or line[0].isspace():
                continue  # children are read by their parent's handler
            words = line.split()
            if words:
                self._dispatch(obj, words)
        for handler, obj, words in self.late:
            self._guarded(obj.linenum, handler, obj, words)
        self._finish()
        self.device.unrecognized = self.coverage.unrecognized(("!", ":"))
        self.device.warnings.sort(key=lambda w: int(w.split(":", 1)[0].removeprefix("line ")))  # uses come late
        return self.device

    def _dispatch(self, obj: CfgLine, words: list[str]) -> None:
        handler = self.handlers.get(words[0].lower())
        if handler is not None and self._guarded(obj.linenum, handler, obj, words) is not False:
            return
        if is_recognized_command(words):
            self._mark_block(obj)

    def _guarded(self, index: int, handler: Callable[..., Any], *args: Any) -> Any:
        """Run a handler; content it cannot read becomes a warning, never an exception."""
        try:
            return handler(*args)
        except _CONTENT_ERRORS as error:
            self._warn(index, error)
            return None

    def _warn(self, index: int, error: Exception | str) -> None:
        if isinstance(error, IndexError):
            reason = "the line ends too early"
        elif isinstance(error, KeyError):
            reason = f"unknown name {error.args[0]!r}"
        else:
            reason = str(error)
        self.device.warnings.append(f"line {index + 1}: {reason}")

    def _defer_to(self, handler: Callable[[CfgLine, list[str]], Any]) -> Handler:
        """A handler that runs after the walk, when every definition is known."""

        def defer(obj: CfgLine, words: list[str]) -> bool:
            self.late.append((handler, obj, words))
            return True

        return defer

    def _later(self, handler: Callable[..., Any], obj: CfgLine, words: list[str]) -> None:
        self.late.append((handler, obj, words))

    # ------------------------------------------------------------------ coverage helpers

    def _children(self, obj: CfgLine) -> list[tuple[CfgLine, list[str]]]:
        """Indented children with their words (ciscoconfparse2 also hangs banner lines under a banner)."""
        lines = self.lines
        result = []
        for child in obj.children:
            line = lines[child.linenum]
            if line[:1].isspace():
                words = line.split()
                if words:
                    result.append((child, words))
        return result

    def _mark_block(self, obj: CfgLine) -> None:
        self.coverage.mark(obj.linenum)
        for child, _ in self._children(obj):
            self._mark_block(child)

    def _mark(self, obj: CfgLine) -> None:
        self.coverage.mark(obj.linenum)

    def _ref(self, obj: CfgLine) -> SourceRef:
        return self.coverage.ref(obj.linenum)

    def _text_after(self, obj: CfgLine, count: int) -> str:
        """The raw text after the first ``count`` words (descriptions, remarks keep their spacing)."""
        parts = self.lines[obj.linenum].split(None, count)
        return parts[count].strip() if len(parts) > count else ""

    # ------------------------------------------------------------------ names and interfaces

    def _address(self, word: str) -> str:
        """An address as written, with a 'name' alias replaced by its address."""
        return self.names.get(word, word)

    def _real(self, nameif: str) -> str:
        """The real interface name of a nameif (kept as written when no interface has it)."""
        return self.nameifs.get(nameif, nameif)

    def _unalias(self, words: list[str]) -> list[str]:
        """Replace 'name' aliases where an address stands: ``host NAME`` and ``NAME MASK``."""
        if not self.names:
            return words
        result = list(words)
        for i, word in enumerate(words):
            if word not in self.names:
                continue
            previous = words[i - 1].lower() if i else ""
            following = words[i + 1] if i + 1 < len(words) else None
            if previous == "host" or (_is_ip(following) and previous not in PORT_OPERATOR_WORDS and previous not in {"object", "object-group"}):
                result[i] = self.names[word]
        return result

    def _interface_host(self, nameif: str | None) -> tuple[AddressTerm, ...]:
        """The address of an interface as a host term ('interface' in NAT)."""
        intf = self.device.interface(nameif) if nameif else None
        if intf is None or not intf.addresses:
            return ()
        return (term_from_host(intf.addresses[0].address.split("/")[0]),)

    def _define(self, kind: str, name: str, obj: CfgLine) -> None:
        self.device.definitions.append(NamedObject(kind, name, self._ref(obj)))

    def _reference(self, kind: str, name: str, obj: CfgLine, context: str) -> None:
        self.device.references.append(ObjectReference(kind, name, self._ref(obj), context))

    def _use_acl(self, name: str, use: str, obj: CfgLine, context: str) -> None:
        self.uses.append((name, use))
        self._reference("acl", name, obj, context)

    # ------------------------------------------------------------------ device identity

    def _hostname(self, obj: CfgLine, words: list[str]) -> bool:
        self.device.name = words[1]
        self.device.hostname_ref = self._ref(obj)
        self._mark(obj)
        return True

    def _version(self, obj: CfgLine, words: list[str]) -> bool:
        if words[1].lower() != "version":
            return False
        self.device.version = words[2]
        self._mark(obj)
        return True

    def _name(self, obj: CfgLine, words: list[str]) -> bool:
        ipaddress.ip_address(words[1])
        self.names[words[2]] = words[1]
        self._mark(obj)
        return True

    def _banner(self, obj: CfgLine, words: list[str]) -> bool:
        self._mark(obj)  # ASA prints one line per banner line: no block
        return True

    def _same_security(self, obj: CfgLine, words: list[str]) -> bool:
        option = words[2].lower()
        if words[1].lower() != "permit" or option not in {"inter-interface", "intra-interface"}:
            return False
        if option == "inter-interface":
            self.device.same_security_inter = True
        else:
            self.device.same_security_intra = True
        self._mark(obj)
        return True

    def _sysopt(self, obj: CfgLine, words: list[str]) -> bool:
        if [w.lower() for w in words[1:3]] == ["connection", "permit-vpn"]:
            self.device.vpn_bypasses_acl = True
            self._mark(obj)
            return True
        return False

    def _no(self, obj: CfgLine, words: list[str]) -> bool:
        rest = words[1:]
        if not rest:
            return False
        if [w.lower() for w in rest[:3]] == ["sysopt", "connection", "permit-vpn"]:
            self.device.vpn_bypasses_acl = False
            self._mark(obj)
            return True
        if rest[0].lower() in self.handlers or is_recognized_command(rest):
            self._mark_block(obj)  # the 'no' form of a known command turns something off
            return True
        return False

    # ------------------------------------------------------------------ interfaces

    def _interface(self, obj: CfgLine, words: list[str]) -> bool:
        intf = Interface(name=words[1], ref=self._ref(obj))
        if intf.name.lower().startswith("vlan") and intf.name[4:].isdigit():
            intf.vlan = int(intf.name[4:])
        self._mark(obj)
        for child, child_words in self._children(obj):
            if self._guarded(child.linenum, self._interface_line, intf, child, child_words):
                self._mark(child)
        if intf.nameif and intf.security_level is None:
            # ASA's default: 100 for an interface named 'inside', 0 for every other name.
            intf.security_level = 100 if intf.nameif.lower() == "inside" else 0
        self.device.interfaces.append(intf)
        if intf.nameif:
            self.nameifs[intf.nameif] = intf.name
        return True

    def _interface_line(self, intf: Interface, obj: CfgLine, words: list[str]) -> bool:
        """One interface sub-command; True when it is understood."""
        head = words[0].lower()
        second = words[1].lower() if len(words) > 1 else ""
        if head == "description":
            intf.description = self._text_after(obj, 1)
        elif head == "nameif":
            intf.nameif = words[1]
        elif head == "security-level":
            intf.security_level = int(words[1])
        elif head == "ip" and second == "address" and _is_ip(words[2]):
            intf.addresses.append(InterfaceAddress(f"{words[2]}/{_mask_prefixlen(words[3])}", ref=self._ref(obj)))
        elif head == "ipv6" and second == "address" and "/" in words[2]:
            ipaddress.ip_interface(words[2])
            intf.addresses.append(InterfaceAddress(words[2], ref=self._ref(obj)))
        elif head == "shutdown":
            intf.shutdown = True
        elif head == "management-only":
            intf.management_only = True
        elif head == "vlan":
            intf.vlan = int(words[1])
        elif head == "switchport" and second == "access" and words[2].lower() == "vlan":
            intf.switchport = True
            intf.vlan = int(words[3])
        else:
            return head in _INTERFACE_RECOGNIZED
        return True

    # ------------------------------------------------------------------ objects

    def _object(self, obj: CfgLine, words: list[str]) -> bool:
        kind, name = words[1].lower(), words[2]
        if kind == "network":
            self._network_object(obj, name)
        elif kind == "service":
            self._service_object(obj, name)
        else:
            return False
        return True

    def _network_object(self, obj: CfgLine, name: str) -> None:
        # The same object is printed twice when it has NAT: once with its address, once with 'nat'.
        if name not in self.table.networks:
            self.table.networks[name] = []
            self._define("object", name, obj)
        self._mark(obj)
        for child, words in self._children(obj):
            head = words[0].lower()
            if head == "nat":
                self._later(partial(self._object_nat, name), child, words)
            elif head in {"fqdn", "description"}:
                self._mark(child)  # an FQDN object matches no address the analysis can know
            elif self._guarded(child.linenum, self._network_member, name, self._unalias(words)):
                self._mark(child)

    def _network_member(self, group: str, words: list[str]) -> bool:
        body = words[1:] if words[0].lower() == "network-object" else words
        bare_address = bool(body) and body[0].lower() not in _NETWORK_MEMBER_KEYWORDS and "/" not in body[0]
        if bare_address and (len(body) != 2 or not _is_ip(body[1])):
            # ASA writes 'network-object A MASK'; the shared reader would take a lone address as a host.
            raise AceError(f"expected an address and a mask, found {' '.join(body)!r}")
        member = network_member(words, "netmask")
        members = self.table.networks[group]
        if isinstance(member, tuple):
            members.extend(member)
        else:
            members.append(member)
        return True

    def _service_object(self, obj: CfgLine, name: str) -> None:
        if name not in self.table.services:
            self.table.services[name] = []
            self._define("object", name, obj)
        self._mark(obj)
        for child, words in self._children(obj):
            head = words[0].lower()
            if head == "description" or (head == "service" and self._guarded(child.linenum, self._service_member, name, words)):
                self._mark(child)

    def _service_member(self, group: str, words: list[str]) -> bool:
        member = service_member(words, None)
        members = self.table.services.setdefault(group, [])
        if isinstance(member, list):
            members.extend(member)  # type: ignore[arg-type]
        else:
            members.append(member)  # type: ignore[arg-type]
        return True

    def _object_group(self, obj: CfgLine, words: list[str]) -> bool:
        kind, name = words[1].lower(), words[2]
        readers: dict[str, Callable[[str, CfgLine, list[str]], bool]] = {
            "network": self._group_network_line, "service": self._group_service_line,
            "protocol": self._group_protocol_line, "icmp-type": self._group_icmp_line,
        }
        reader = readers.get(kind)
        if reader is None:
            return False  # user / security groups: recognized list
        if kind == "network":
            self.table.networks.setdefault(name, [])
        elif kind == "protocol":
            self.table.protocols.setdefault(name, [])
        elif kind == "icmp-type":
            self.table.icmp_types.setdefault(name, [])
        elif len(words) > 3 and words[3].lower() in {"tcp", "udp", "tcp-udp"}:
            protocol = words[3].lower()
            self.table.port_groups.setdefault(name, (None if protocol == "tcp-udp" else protocol_number(protocol), []))
        else:
            self.table.services.setdefault(name, [])
        self._define("object", name, obj)
        self._mark(obj)
        for child, child_words in self._children(obj):
            head = child_words[0].lower()
            if head == "description":
                self._mark(child)
                continue
            nested = self._nested_name(child_words)
            if nested is not None:
                self._reference("object", nested, child, "object-group")
            if self._guarded(child.linenum, reader, name, child, child_words):
                self._mark(child)
        return True

    @staticmethod
    def _nested_name(words: list[str]) -> str | None:
        """The object a group member refers to: 'group-object X', 'network-object object X', ..."""
        head = words[0].lower()
        if head == "group-object" and len(words) > 1:
            return words[1]
        if head in {"network-object", "service-object"} and len(words) > 2 and words[1].lower() == "object":
            return words[2]
        return None

    def _group_network_line(self, name: str, obj: CfgLine, words: list[str]) -> bool:
        if words[0].lower() not in {"network-object", "group-object"}:
            return False
        return self._network_member(name, self._unalias(words))

    def _group_service_line(self, name: str, obj: CfgLine, words: list[str]) -> bool:
        head = words[0].lower()
        if head not in {"service-object", "port-object", "group-object"}:
            return False
        if name in self.table.port_groups:
            protocol, members = self.table.port_groups[name]
            if head == "service-object":  # a typed group may also hold full services
                return self._service_member(name, words)
            member = service_member(words, {None: "tcp-udp", TCP: "tcp"}.get(protocol, "udp"))
            if isinstance(member, list):
                members.extend(member)  # type: ignore[arg-type]
            else:
                members.append(member)  # type: ignore[arg-type]
            return True
        if head == "port-object":
            raise AceError("port-object in a service group without a protocol")
        return self._service_member(name, words)

    def _group_protocol_line(self, name: str, obj: CfgLine, words: list[str]) -> bool:
        head = words[0].lower()
        if head == "group-object":
            self.table.protocols[name].append(words[1])
        elif head == "protocol-object":
            try:
                self.table.protocols[name].append(protocol_number(words[1]))
            except KeyError:
                raise AceError(f"unknown protocol {words[1]!r}") from None
        else:
            return False
        return True

    def _group_icmp_line(self, name: str, obj: CfgLine, words: list[str]) -> bool:
        head = words[0].lower()
        if head == "group-object":
            self.table.icmp_types[name].append(words[1])
        elif head == "icmp-object":
            word = words[1].lower()
            if word.isdigit():
                self.table.icmp_types[name].append((int(word), None))
            elif word in ICMP_TYPES:
                self.table.icmp_types[name].append(ICMP_TYPES[word])
            else:
                raise AceError(f"unknown ICMP type {words[1]!r}")
        else:
            return False
        return True

    def _time_range(self, obj: CfgLine, words: list[str]) -> bool:
        name = words[1]
        self._define("time-range", name, obj)
        self.time_range_ends.setdefault(name, None)
        self._mark(obj)
        for child, child_words in self._children(obj):
            head = child_words[0].lower()
            if head == "absolute":
                end = self._guarded(child.linenum, parse_absolute_end, child_words)
                if end is not None or "end" not in (w.lower() for w in child_words):
                    self._mark(child)
                if end is not None:
                    self.time_range_ends[name] = end
            elif head == "periodic":
                self._mark(child)
        return True

    # ------------------------------------------------------------------ access lists

    def _access_list(self, obj: CfgLine, words: list[str]) -> bool:
        return self._acl_line(obj, words[1], words[2:], ASA_SYNTAX)

    def _acl_line(self, obj: CfgLine, name: str, rest: list[str], syntax: AceSyntax) -> bool:
        """Define the ACL now (its first line is its definition); read its entries after the walk."""
        if rest and rest[0].lower() == "line":
            rest = rest[2:]
        kind = rest[0].lower()
        if kind in {"webtype", "ethertype"}:
            if name not in self.other_acls and name not in self.device.filters:
                self.other_acls.add(name)
                self._define("acl", name, obj)
            self._mark(obj)  # no IP rules: nothing the IP analysis can use
            return True
        if kind in {"permit", "deny"}:  # written without 'extended'
            rest, kind = ["extended", *rest], "extended"
        if kind not in {"remark", "extended", "standard"}:
            return False
        acl = self.device.filters.get(name)
        if acl is None:
            acl = Filter(name, [], self._ref(obj), family="any")
            self.device.filters[name] = acl
            self._define("acl", name, obj)
        if kind != "remark" and name not in self.acl_kind_known:
            acl.kind = "standard" if kind == "standard" else "extended"
            self.acl_kind_known.add(name)
        if kind == "remark":
            self._later(partial(self._remark, name), obj, rest)
        else:
            self._later(partial(self._ace, name, kind == "standard", syntax), obj, rest[1:])
        return True

    def _remark(self, name: str, obj: CfgLine, words: list[str]) -> None:
        full = self.lines[obj.linenum].split()
        text = self._text_after(obj, next(i for i in range(2, len(full)) if full[i].lower() == "remark") + 1)
        run = self.remarks.get(name)
        if run is not None and run.open:
            run.text = f"{run.text} {text}".strip()  # consecutive remark lines are one remark
        else:
            self.remarks[name] = _RemarkRun(text, self._ref(obj))
        self._mark(obj)

    def _ace(self, name: str, standard: bool, syntax: AceSyntax, obj: CfgLine, words: list[str]) -> None:
        run = self.remarks.get(name)
        if run is not None:
            run.open = False
        words = self._unalias(words)
        try:
            ace = parse_ace(words, syntax, self.table, standard=standard)
        except AceError as error:
            if not self._assume_port_group(words, error):
                raise
            ace = parse_ace(words, syntax, self.table, standard=standard)
        ref = self._ref(obj)
        self.device.filters[name].rules.append(Rule(
            action=ace.action,  # type: ignore[arg-type]
            sources=ace.sources,
            destinations=ace.destinations,
            services=ace.services,
            ref=ref,
            remark=run.text if run is not None and run.text else None,
            remark_ref=run.ref if run is not None and run.text else None,
            enabled=not ace.inactive,
            log=ace.log,
            schedule=ace.time_range,
            schedule_end=self.time_range_ends.get(ace.time_range) if ace.time_range else None,
            services_text=ace.services_text,
        ))
        for kind, ref_name in ace.references:
            kind = "time-range" if kind == "time-range" else "object"
            self.device.references.append(ObjectReference(kind, ref_name, ref, "access-list"))
        self._mark(obj)

    def _assume_port_group(self, words: list[str], error: AceError) -> bool:
        """After the destination only a port group can stand: an undefined one matches no port.

        The shared ACE reader cannot tell an undefined port group from stray words, so the name is
        entered as an empty port group and the entry read again; its reference stays undefined.
        """
        if str(error) != "unexpected 'object-group'":
            return False
        table = self.table
        for i in range(len(words) - 2, -1, -1):
            name = words[i + 1]
            if words[i].lower() == "object-group" and not any(
                name in known for known in (table.networks, table.services, table.port_groups, table.protocols, table.icmp_types)
            ):
                table.port_groups[name] = (None, [])
                return True
        return False

    def _access_group(self, obj: CfgLine, words: list[str]) -> None:
        name = words[1]
        ref = self._ref(obj)
        self._reference("acl", name, obj, "access-group")
        if words[2].lower() == "global":
            binding = FilterBinding(name, "in", ref, None, "interface")
        else:
            direction = words[2].lower()
            if direction not in {"in", "out"} or words[3].lower() != "interface":
                raise ValueError("expected 'access-group NAME in|out interface IF' or 'global'")
            # 'control-plane' filters traffic to the box itself: a management filter.
            use = "management" if "control-plane" in (w.lower() for w in words[5:]) else "interface"
            binding = FilterBinding(name, direction, ref, self._real(words[4]), use)  # type: ignore[arg-type]
        if name not in self.other_acls:  # an ethertype ACL filters no IP traffic
            self.device.bindings.append(binding)
            self.uses.append((name, binding.use))
        self._mark(obj)

    # ------------------------------------------------------------------ NAT

    def _nat_interfaces(self, token: str) -> tuple[str | None, str | None]:
        real, _, mapped = token.strip("()").partition(",")
        return self._nat_interface(real), self._nat_interface(mapped) if mapped else None

    def _nat_interface(self, nameif: str) -> str | None:
        return None if nameif.lower() in {"any", ""} else self._real(nameif)

    def _nat_address(self, word: str, interface: str | None, obj: CfgLine) -> AddressSet:
        """A NAT operand: any, interface, an address (or alias) or an object / object-group."""
        lowered = word.lower()
        if lowered in {"any", "any4", "any6"}:
            terms = {"any": ANY_IPV4.terms + ANY_IPV6.terms, "any4": ANY_IPV4.terms, "any6": ANY_IPV6.terms}[lowered]
            return AddressSet(terms, word)
        if lowered == "interface":
            return AddressSet(self._interface_host(interface), word)
        address = self._address(word)
        if "/" in address:
            return AddressSet((term_from_prefix(address),), word)
        if _is_ip(address):
            return AddressSet((term_from_host(address),), word)
        self._reference("object", word, obj, "nat")
        terms = self.table.network_terms(word)
        if terms is None:
            return AddressSet((), word, (word,), (word,))
        return AddressSet(terms, word, (word,))

    def _nat_mapped(self, words: list[str], interface: str | None, obj: CfgLine) -> AddressSet:
        """The mapped side: ADDRESS | OBJ [interface] | pat-pool OBJ [interface] | interface."""
        if len(words) > 1 and words[0] == "pat-pool":  # the keyword (lower case), not an object named PAT-POOL
            words = words[1:]
        first = self._nat_address(words[0], interface, obj)
        if words[0].lower() != "interface" and len(words) > 1 and words[1].lower() == "interface":
            fallback = self._interface_host(interface)  # PAT to the interface when the pool is exhausted
            return AddressSet(first.terms + fallback, f"{first.text} interface", first.objects, first.unresolved)
        return first

    def _object_nat(self, name: str, obj: CfgLine, words: list[str]) -> None:
        """``nat (real,mapped) static|dynamic MAPPED [service tcp|udp REAL MAPPED]`` under an object."""
        i = 1
        real_if = mapped_if = None
        if words[1].startswith("("):
            real_if, mapped_if = self._nat_interfaces(words[1])
            i = 2
        kind = words[i].lower()
        if kind not in {"static", "dynamic"}:
            raise ValueError(f"unknown NAT type {words[i]!r}")
        rest = words[i + 1 :]
        lowered = [w.lower() for w in rest]
        real_terms = self.table.network_terms(name) or ()
        real = AddressSet(real_terms, name, (name,))
        mapped = self._nat_mapped(rest, mapped_if, obj)
        service = mapped_service = None
        if "service" in lowered:
            k = lowered.index("service")
            protocol = protocol_number(rest[k + 1])
            real_port, mapped_port = port_number(rest[k + 2], protocol), port_number(rest[k + 3], protocol)
            service = Service(protocol, ((real_port, real_port),))
            mapped_service = Service(protocol, ((mapped_port, mapped_port),))
        self.device.nat.append(NatRule(kind, self._ref(obj), real, mapped, real_if, mapped_if, service, mapped_service))  # type: ignore[arg-type]
        self._reference("object", name, obj, "nat")  # an object whose only use is its own NAT is used
        self._mark(obj)

    def _twice_nat(self, obj: CfgLine, words: list[str]) -> None:
        """``nat (a,b) [after-auto] [N] source static|dynamic REAL MAPPED [destination static X Y] [service A B]``."""
        tokens = words[1:]
        if "access-list" in (w.lower() for w in tokens):  # pre-8.3 'nat (inside) 0 access-list X'
            name = tokens[[w.lower() for w in tokens].index("access-list") + 1]
            self._use_acl(name, "nat", obj, "nat")
            self._mark(obj)
            return
        real_if = mapped_if = None
        if tokens and tokens[0].startswith("("):
            real_if, mapped_if = self._nat_interfaces(tokens[0])
            tokens = tokens[1:]
        lowered = [w.lower() for w in tokens]
        if "description" in lowered:  # free text follows
            cut = lowered.index("description")
            tokens, lowered = tokens[:cut], lowered[:cut]
        if "source" not in lowered:
            raise ValueError("expected 'nat (REAL-IF,MAPPED-IF) source static|dynamic REAL MAPPED'")
        s = lowered.index("source")
        kind = lowered[s + 1]
        if kind not in {"static", "dynamic"}:
            raise ValueError(f"unknown NAT type {tokens[s + 1]!r}")
        real = self._nat_address(tokens[s + 2], real_if, obj)
        end = next((k for k in range(s + 3, len(lowered)) if lowered[k] in {"destination", "service", "unidirectional", "no-proxy-arp", "route-lookup", "inactive", "net-to-net", "dns", "extended", "flat", "include-reserve", "round-robin", "block-allocation"}), len(lowered))
        mapped = self._nat_mapped(tokens[s + 3 : end], mapped_if, obj)
        if "destination" in lowered:
            d = lowered.index("destination")
            for word in tokens[d + 2 : d + 4]:
                self._nat_address(word, None, obj)  # records the object references
        service = mapped_service = None
        if "service" in lowered:
            k = lowered.index("service")
            service = self._nat_service(tokens[k + 1], obj)
            mapped_service = self._nat_service(tokens[k + 2], obj)
        if "inactive" not in lowered:  # an inactive rule translates nothing
            self.device.nat.append(NatRule(kind, self._ref(obj), real, mapped, real_if, mapped_if, service, mapped_service))  # type: ignore[arg-type]
        self._mark(obj)

    def _nat_service(self, name: str, obj: CfgLine) -> Service | None:
        self._reference("object", name, obj, "nat")
        services = self.table.service_list(name)
        return services[0] if services else None

    # ------------------------------------------------------------------ routes and pools

    def _route(self, obj: CfgLine, words: list[str]) -> None:
        """``route IF PREFIX MASK NEXT-HOP [DISTANCE]``."""
        mask = "0.0.0.0" if words[3] == "0" else words[3]
        prefix = ipaddress.ip_network(f"{self._address(words[2])}/{mask}", strict=False)
        next_hop = self._address(words[4])
        ipaddress.ip_address(next_hop)
        distance = int(words[5]) if len(words) > 5 and words[5].isdigit() else 1
        self.device.routes.append(StaticRoute(str(prefix), self._ref(obj), next_hop, self._real(words[1]), None, distance))
        self._mark(obj)

    def _ip(self, obj: CfgLine, words: list[str]) -> bool:
        if [w.lower() for w in words[1:3]] != ["local", "pool"]:
            return False
        self._pool(obj, words)
        return True

    def _pool(self, obj: CfgLine, words: list[str]) -> None:
        """``ip local pool NAME FIRST-LAST [mask M]``."""
        name = words[3]
        first, _, last = words[4].partition("-")
        last = last or first
        lowered = [w.lower() for w in words]
        if "mask" in lowered:
            mask = words[lowered.index("mask") + 1]
            network = str(ipaddress.ip_network(f"{first}/{mask}", strict=False))
            ipaddress.ip_address(last)
        else:
            network = _covering_network(first, last)
        self.device.pools.append(AddressPool(name, network, self._ref(obj), first, last))
        self._mark(obj)

    def _ipv6(self, obj: CfgLine, words: list[str]) -> bool:
        sub = words[1].lower()
        if sub == "route":
            self._later(self._ipv6_route, obj, words)
        elif sub == "access-list":
            return self._acl_line(obj, words[2], words[3:], ASA_IPV6_SYNTAX)
        elif sub == "local" and words[2].lower() == "pool":
            self._ipv6_pool(obj, words)
        else:
            return False
        return True

    def _ipv6_route(self, obj: CfgLine, words: list[str]) -> None:
        """``ipv6 route IF PREFIX/LEN NEXT-HOP [DISTANCE]``."""
        prefix = ipaddress.ip_network(words[3], strict=False)
        next_hop = words[4] if len(words) > 4 else None
        if next_hop is not None:
            ipaddress.ip_address(next_hop)
        distance = int(words[5]) if len(words) > 5 and words[5].isdigit() else 1
        self.device.routes.append(StaticRoute(str(prefix), self._ref(obj), next_hop, self._real(words[2]), None, distance))
        self._mark(obj)

    def _ipv6_pool(self, obj: CfgLine, words: list[str]) -> None:
        """``ipv6 local pool NAME ADDRESS/LEN COUNT``."""
        start = ipaddress.ip_interface(words[4])
        count = int(words[5]) if len(words) > 5 else 1
        last = start.ip + max(count - 1, 0)
        self.device.pools.append(AddressPool(words[3], str(start.network), self._ref(obj), str(start.ip), str(last)))
        self._mark(obj)

    # ------------------------------------------------------------------ VPN

    def _tunnel_group(self, obj: CfgLine, words: list[str]) -> bool:
        name, what = words[1], words[2].lower()
        if what == "type":
            kind = TUNNEL_TYPES.get(words[3].lower())
            if kind is None:
                raise ValueError(f"unknown tunnel-group type {words[3]!r}")
            if name not in self.vpns:
                self.vpns[name] = VpnDefinition(name, kind, self._ref(obj))  # type: ignore[arg-type]
                self.device.vpns.append(self.vpns[name])
            self._mark(obj)
            return True
        readers = {
            "general-attributes": self._tunnel_general, "webvpn-attributes": self._tunnel_webvpn,
            "ipsec-attributes": self._tunnel_ipsec, "ppp-attributes": None,
        }
        if what not in readers:
            return False
        vpn = self._tunnel(name, obj)
        self._mark_block(obj)  # every attribute is recognized; the ones that matter are read below
        reader = readers[what]
        if reader is not None:
            for child, child_words in self._children(obj):
                self._guarded(child.linenum, reader, vpn, child, child_words)
        return True

    def _tunnel(self, name: str, obj: CfgLine) -> VpnDefinition:
        """The tunnel group; the built-in ones exist without a 'type' line."""
        vpn = self.vpns.get(name)
        if vpn is None:
            kind = BUILTIN_TUNNEL_GROUPS.get(name) or ("site-to-site" if _is_ip(name) else "remote-access")
            if name not in BUILTIN_TUNNEL_GROUPS:
                self._warn(obj.linenum, f"tunnel-group {name} has attributes but no 'type' line; taken as {kind}")
            vpn = VpnDefinition(name, kind, self._ref(obj))  # type: ignore[arg-type]
            self.vpns[name] = vpn
            self.device.vpns.append(vpn)
        return vpn

    @staticmethod
    def _without_interface(words: list[str]) -> list[str]:
        """Drop the optional '(IF)' of 'address-pool (inside) P' / 'authentication-server-group (IF) G'."""
        return [w for w in words if not (w.startswith("(") and w.endswith(")"))]

    def _tunnel_general(self, vpn: VpnDefinition, obj: CfgLine, words: list[str]) -> None:
        head = words[0].lower()
        args = self._without_interface(words[1:])
        if head == "address-pool":
            vpn.pools.extend(p for p in args if p not in vpn.pools)
        elif head == "authentication-server-group":
            self.tunnel_auth_set.add(vpn.name)
            for group in args:
                if group.upper() == "LOCAL":
                    vpn.local_auth = True
                elif group.lower() != "none":
                    vpn.auth_server_groups.append(group)
                    self._reference("aaa-server-group", group, obj, "tunnel-group")
        elif head.endswith("-server-group") and args and args[0].upper() not in {"LOCAL", "NONE"}:
            self._reference("aaa-server-group", args[0], obj, "tunnel-group")  # accounting, authorization, secondary
        elif head == "default-group-policy":
            self.tunnel_policy[vpn.name] = words[1]

    def _tunnel_webvpn(self, vpn: VpnDefinition, obj: CfgLine, words: list[str]) -> None:
        methods = {w.lower() for w in words[1:]}
        if words[0].lower() == "authentication" and {"aaa", "certificate"} <= methods:
            vpn.mfa = True  # a client certificate and a password: two factors

    def _tunnel_ipsec(self, vpn: VpnDefinition, obj: CfgLine, words: list[str]) -> None:
        lowered = [w.lower() for w in words]
        if "pre-shared-key" not in lowered:
            return
        value_at = lowered.index("pre-shared-key") + 1
        storage, scheme = "plaintext", ""
        if lowered[value_at] in {"0", "8"} and value_at + 1 < len(words):
            storage, scheme = ("encrypted", "type 8 (master passphrase)") if lowered[value_at] == "8" else ("plaintext", "")
            value_at += 1
        if words[value_at] == HIDDEN:
            storage, scheme = "hidden", ""
        self.device.secrets.append(StoredSecret("psk", storage, self._ref(obj), vpn.name, scheme))  # type: ignore[arg-type]

    def _group_policy(self, obj: CfgLine, words: list[str]) -> bool:
        name, what = words[1], words[2].lower()
        policy = self.group_policies.setdefault(name, _GroupPolicy())
        if what == "external" and "server-group" in (w.lower() for w in words):
            group = words[[w.lower() for w in words].index("server-group") + 1]
            self._reference("aaa-server-group", group, obj, "group-policy")  # attributes live on that server
        if what != "attributes":
            return False  # 'internal' / 'external': recognized list
        self._mark_block(obj)
        for child, child_words in self._children(obj):
            self._guarded(child.linenum, self._group_policy_line, policy, child, child_words)
        return True

    def _group_policy_line(self, policy: _GroupPolicy, obj: CfgLine, words: list[str]) -> None:
        head = words[0].lower()
        value = words[2] if len(words) > 2 and words[1].lower() == "value" else None
        if head in {"vpn-filter", "ipv6-vpn-filter"}:
            policy.attributes[head] = value  # 'none' stops inheritance from DfltGrpPolicy
            if value is not None:
                self._use_acl(value, "vpn", obj, head)
                self.device.bindings.append(FilterBinding(value, "in", self._ref(obj), None, "vpn"))
        elif head in {"split-tunnel-network-list", "ipv6-split-tunnel-network-list"} and value is not None:
            self._use_acl(value, "split-tunnel", obj, head)
        elif head == "address-pools":
            policy.attributes[head] = words[2:] if value is not None else []

    def _webvpn(self, obj: CfgLine, words: list[str]) -> bool:
        self._mark_block(obj)
        for _child, child_words in self._children(obj):
            if child_words[0].lower() == "enable" and len(child_words) > 1:
                self.listen.append(child_words[1])
        return True

    def _crypto(self, obj: CfgLine, words: list[str]) -> bool:
        sub = words[1].lower()
        lowered = [w.lower() for w in words]
        if sub in {"map", "dynamic-map"} and "match" in lowered and "address" in lowered:
            self._use_acl(words[lowered.index("address") + 1], "crypto", obj, f"crypto {sub}")
        elif sub == "map" and len(words) > 3 and lowered[2] != "interface" and lowered[3] == "interface":
            self.listen.append(words[4])
        elif sub in {"ikev1", "ikev2", "isakmp"} and len(words) > 3 and lowered[2] == "enable":
            self.listen.append(words[3])
        else:
            return False
        self._mark_block(obj)
        return True

    # ------------------------------------------------------------------ ACL uses elsewhere

    def _class_map(self, obj: CfgLine, words: list[str]) -> bool:
        self._mark_block(obj)
        for child, child_words in self._children(obj):
            match = [w.lower() for w in child_words[:2]]
            if match == ["match", "access-list"] and len(child_words) > 2:
                self._use_acl(child_words[2], "class-map", child, "class-map")
            elif match == ["match", "any"]:
                self.match_all_classes.add(words[-1])
        return True

    def _policy_map(self, obj: CfgLine, words: list[str]) -> bool:
        """Which classes a policy sends to an IPS module ('ips', FirePOWER 'sfr', 'cxsc')."""
        if words[1].lower() == "type":
            return False  # inspection parameter maps: recognized list
        self._mark_block(obj)
        for child, child_words in self._children(obj):
            if child_words[0].lower() != "class" or len(child_words) < 2:
                continue
            actions = {w[0].lower() for _, w in self._children(child)}
            if actions & {"ips", "sfr", "cxsc"}:
                self.ips_classes.setdefault(words[1], []).append(child_words[1])
        return True

    def _service_policy(self, obj: CfgLine, words: list[str]) -> bool:
        """``service-policy P global | interface IF``."""
        scope = words[2].lower()
        if scope not in {"global", "interface"}:
            raise ValueError("expected 'service-policy NAME global' or 'service-policy NAME interface IF'")
        self.service_policies.append((words[1], None if scope == "global" else words[3]))
        self._mark(obj)
        return True

    def _route_map(self, obj: CfgLine, words: list[str]) -> bool:
        self._mark_block(obj)
        for child, child_words in self._children(obj):
            lowered = [w.lower() for w in child_words]
            if lowered[:3] == ["match", "ip", "address"]:
                for name in child_words[3:]:
                    if name.lower() != "prefix-list":
                        self._use_acl(name, "route", child, "route-map")
        return True

    def _router(self, obj: CfgLine, words: list[str]) -> bool:
        self._mark_block(obj)
        self._router_lines(obj)
        return True

    def _router_lines(self, obj: CfgLine) -> None:
        for child, child_words in self._children(obj):
            lowered = [w.lower() for w in child_words]
            if "distribute-list" in lowered:
                position = lowered.index("distribute-list") + 1
                if position < len(lowered) and lowered[position] not in {"prefix", "prefix-list", "route-map", "gateway"}:
                    self._use_acl(child_words[position], "route", child, "distribute-list")
            self._router_lines(child)

    def _dap(self, obj: CfgLine, words: list[str]) -> bool:
        self._mark_block(obj)
        for child, child_words in self._children(obj):
            if child_words[0].lower() == "network-acl" and len(child_words) > 1:
                self._use_acl(child_words[1], "vpn", child, "dynamic-access-policy-record")
        return True

    # ------------------------------------------------------------------ AAA

    def _aaa_server(self, obj: CfgLine, words: list[str]) -> bool:
        group = words[1]
        lowered = [w.lower() for w in words]
        if lowered[2] == "protocol":
            if group not in self.aaa_groups:
                self.aaa_groups[group] = AaaServerGroup(group, lowered[3], self._ref(obj))
                self.device.aaa_groups.append(self.aaa_groups[group])
                self._define("aaa-server-group", group, obj)
            self._mark_block(obj)  # group options (max-failed-attempts, reactivation-mode, ...)
            return True
        if "host" not in lowered:
            return False
        host = self._address(words[lowered.index("host") + 1])
        server_group = self.aaa_groups.get(group)
        if server_group is None:
            self._warn(obj.linenum, f"aaa-server {group} host without 'aaa-server {group} protocol'")
            server_group = self.aaa_groups[group] = AaaServerGroup(group, "unknown", self._ref(obj))
            self.device.aaa_groups.append(server_group)
        server_group.servers.append(AaaServer(host, self._ref(obj), group))
        self._mark_block(obj)  # server options; the keys among them are read below
        if "key" in lowered:
            self._aaa_key(host, obj, words[lowered.index("key") + 1], "key")
        for child, child_words in self._children(obj):
            head = child_words[0].lower()
            if head in {"key", "ldap-login-password", "radius-common-pw"} and len(child_words) > 1:
                self._aaa_key(host, child, child_words[1], head)
        return True

    def _aaa_key(self, host: str, obj: CfgLine, value: str, keyword: str) -> None:
        scheme = "" if keyword == "key" else keyword
        self.device.secrets.append(StoredSecret("aaa-key", _key_storage(value), self._ref(obj), host, scheme))  # type: ignore[arg-type]

    def _aaa(self, obj: CfgLine, words: list[str]) -> bool:
        lowered = [w.lower() for w in words] + ["", ""]  # padding: 'aaa proxy-limit disable' is short
        kind, service = lowered[1], lowered[2]
        if kind in {"authentication", "accounting"} and service in AAA_CONSOLE_SERVICES and lowered[3] == "console":
            self._aaa_method(obj, service, kind, words[4:])
        elif kind == "authorization" and service == "command":
            self._aaa_method(obj, "commands", kind, words[3:])
        elif kind == "accounting" and service == "command":
            args = words[5:] if lowered[3:4] == ["privilege"] else words[3:]
            self._aaa_method(obj, "commands", kind, args)
            self.device.config_change_logging.append(self._ref(obj))
        elif service in {"match", "include", "exclude"} and len(words) > 3:
            if service == "match":  # cut-through proxy: which traffic must authenticate
                self._use_acl(words[3], "other", obj, f"aaa {kind} match")
            if len(words) > 5 and words[5].upper() != "LOCAL":
                self._reference("aaa-server-group", words[5], obj, f"aaa {kind} {service}")
            self._mark(obj)
        else:
            return False
        return True

    def _user_identity(self, obj: CfgLine, words: list[str]) -> bool:
        """Identity firewall settings are only recognized, but an AD agent's AAA group is a use of it."""
        lowered = [w.lower() for w in words]
        if "aaa-server" in lowered[:-1]:
            self._reference("aaa-server-group", words[lowered.index("aaa-server") + 1], obj, "user-identity")
        return False

    def _aaa_method(self, obj: CfgLine, service: str, kind: str, groups: list[str]) -> None:
        methods = []
        for group in groups:
            if group.upper() == "LOCAL":
                methods.append("local")
            else:
                methods.append(f"group:{group}")
                self._reference("aaa-server-group", group, obj, f"aaa {kind}")
        if not methods:
            raise ValueError(f"aaa {kind} {service} names no server group")
        self.device.aaa_methods.append(AaaMethod(service, kind, tuple(methods), self._ref(obj)))  # type: ignore[arg-type]
        self._mark(obj)

    # ------------------------------------------------------------------ accounts and secrets

    def _username(self, obj: CfgLine, words: list[str]) -> bool:
        user = words[1]
        lowered = [w.lower() for w in words]
        if lowered[2] == "attributes":
            self._mark_block(obj)
            return True
        privilege = int(words[lowered.index("privilege") + 1]) if "privilege" in lowered else None
        if "password" in lowered:
            at = lowered.index("password")
            self._password_secret("user", obj, words[at + 1], lowered[at + 2] if at + 2 < len(words) else "", user)
        elif "nopassword" not in lowered:
            return False
        self.device.users.append(LocalUser(user, self._ref(obj), privilege))
        self._mark_block(obj)
        return True

    def _password_secret(self, kind: str, obj: CfgLine, value: str, scheme_word: str, owner: str | None) -> None:
        storage, scheme = PASSWORD_SCHEMES.get(scheme_word, ("plaintext", ""))
        if value == HIDDEN:
            storage, scheme = "hidden", ""
        self.device.secrets.append(StoredSecret(kind, storage, self._ref(obj), owner, scheme))  # type: ignore[arg-type]

    def _enable(self, obj: CfgLine, words: list[str]) -> bool:
        """``enable password X [level N] [pbkdf2|encrypted]``."""
        if words[1].lower() != "password":
            return False
        lowered = [w.lower() for w in words]
        owner = f"level {words[lowered.index('level') + 1]}" if "level" in lowered else None
        scheme = next((w for w in lowered[3:] if w in PASSWORD_SCHEMES), "")
        self._password_secret("enable", obj, words[2], scheme, owner)
        self._mark(obj)
        return True

    def _passwd(self, obj: CfgLine, words: list[str]) -> bool:
        """``passwd X [encrypted]``: the login password of Telnet/SSH without AAA."""
        self._password_secret("line", obj, words[1], words[2].lower() if len(words) > 2 else "", "login")
        self._mark(obj)
        return True

    # ------------------------------------------------------------------ management access

    def _ssh(self, obj: CfgLine, words: list[str]) -> bool:
        sub = words[1].lower()
        if sub == "timeout":
            self.device.timeouts.append(SessionTimeout("ssh", _minutes(words[2]), self._ref(obj)))
            self.ssh_timeout_seen = True
            self._mark(obj)
            return True
        if is_recognized_command(words):
            return False
        self._later(partial(self._access_line, "ssh"), obj, words)
        return True

    def _telnet(self, obj: CfgLine, words: list[str]) -> bool:
        if words[1].lower() == "timeout":
            self.telnet_timeout = SessionTimeout("telnet", _minutes(words[2]), self._ref(obj))
            self._mark(obj)
            return True
        self._later(partial(self._access_line, "telnet"), obj, words)
        return True

    def _http(self, obj: CfgLine, words: list[str]) -> bool:
        sub = words[1].lower()
        if sub == "server" and words[2].lower() == "enable":
            self.http_server = True  # the ASA HTTP server is HTTPS (ASDM) only
            self._mark(obj)
            return True
        if is_recognized_command(words):
            return False
        self._later(partial(self._access_line, "https"), obj, words)
        return True

    def _access_line(self, protocol: str, obj: CfgLine, words: list[str]) -> None:
        """``ssh|telnet|http ADDRESS MASK IF`` (or ``ADDRESS/LEN IF`` for IPv6)."""
        address = self._address(words[1])
        if "/" in address:
            term, text, interface = term_from_prefix(address), words[1], words[2]
        else:
            term, text, interface = term_from_mask(address, words[2], "netmask"), f"{words[1]} {words[2]}", words[3]
        self._mark(obj)
        if protocol == "https" and not self.http_server:
            return  # allowed sources, but the server is off
        sources = None if term.is_any else AddressSet((term,), text)
        ref = self._ref(obj)
        self.device.management.append(ManagementService(protocol, ref, ref.text, sources, None, self._real(interface)))  # type: ignore[arg-type]

    def _console(self, obj: CfgLine, words: list[str]) -> bool:
        if words[1].lower() != "timeout":
            return False
        self.device.timeouts.append(SessionTimeout("console", _minutes(words[2]), self._ref(obj)))
        self._mark(obj)
        return True

    # ------------------------------------------------------------------ SNMP, logging, NTP

    def _snmp_server(self, obj: CfgLine, words: list[str]) -> bool:
        sub = words[1].lower()
        if sub == "community":
            value = words[3] if words[2] in {"0", "8"} and len(words) > 3 else words[2]
            self.global_communities.append((value, obj.linenum))
        elif sub in {"group", "user"}:
            if "v3" in (w.lower() for w in words):
                self.device.snmp_v3 = True
        elif sub in {"host", "host-group"}:
            self._later(self._snmp_host, obj, words)
            return True
        else:
            return False
        self._mark(obj)
        return True

    def _snmp_host(self, obj: CfgLine, words: list[str]) -> None:
        """``snmp-server host IF ADDRESS [trap|poll] [community [0|8] X] [version 1|2c|3 USER] [udp-port N]``."""
        interface = self._real(words[2])
        target = words[3]
        if words[1].lower() == "host-group":  # a network object of managers
            terms = self.table.network_terms(target)
            self._reference("object", target, obj, "snmp-server")
            sources = AddressSet(terms or (), target, (target,), () if terms is not None else (target,))
        else:
            target = self._address(target)
            sources = AddressSet((term_from_host(target),), target)
        trap = poll = False
        community: str | None = None
        version: str | None = None
        i = 4
        while i < len(words):
            word = words[i].lower()
            if word in {"trap", "poll"}:
                trap, poll = trap or word == "trap", poll or word == "poll"
                i += 1
            elif word == "community":
                i += 2 if words[i + 1] in {"0", "8"} else 1
                community = words[i]
                i += 1
            elif word == "version":
                version = words[i + 1]
                i += 3 if version == "3" else 2
            else:
                i += 2 if word == "udp-port" else 1
        polls = poll or not trap
        if version == "3":
            self.device.snmp_v3 = True
        elif community is not None:
            self.device.snmp.append(SnmpCommunity(community, self._ref(obj), version or "1", "ro", target))
        self.snmp_hosts.append(_SnmpHost(target, interface, polls, community is not None or version == "3"))
        if polls:
            ref = self._ref(obj)
            self.device.management.append(ManagementService("snmp", ref, ref.text, sources, None, interface))
        self._mark(obj)

    def _logging(self, obj: CfgLine, words: list[str]) -> bool:
        if words[1].lower() != "host":
            return False
        self._later(self._logging_host, obj, words)
        return True

    def _logging_host(self, obj: CfgLine, words: list[str]) -> None:
        """``logging host IF ADDRESS [tcp/N|udp/N] [format emblem] [secure]``."""
        address = self._address(words[3])
        ipaddress.ip_address(address)
        self.device.log_targets.append(LogTarget(address, self._ref(obj)))
        self._mark(obj)

    def _ntp(self, obj: CfgLine, words: list[str]) -> bool:
        sub = words[1].lower()
        if sub == "server":
            self._later(self._ntp_server, obj, words)
            return True
        if sub == "authentication-key":
            value = words[4] if words[3].lower() == "md5" else words[3]
            self.device.secrets.append(StoredSecret("ntp-key", _key_storage(value), self._ref(obj), words[2], "md5"))  # type: ignore[arg-type]
            self._mark(obj)
            return True
        return False

    def _ntp_server(self, obj: CfgLine, words: list[str]) -> None:
        """``ntp server [IF] ADDRESS [key N] [source IF] [prefer]``."""
        address = self._address(words[2])
        if not _is_ip(address) and len(words) > 3 and _is_ip(self._address(words[3])):
            address = self._address(words[3])  # 9.x may name the interface first
        self.device.ntp_servers.append(LogTarget(address, self._ref(obj), "ntp"))
        self._mark(obj)

    # ------------------------------------------------------------------ after the walk

    def _finish(self) -> None:
        for name, use in self.uses:
            acl = self.device.filters.get(name)
            if acl is not None:
                acl.uses.add(use)
        self._finish_vpns()
        self._finish_snmp()
        self._finish_ips()
        if not self.ssh_timeout_seen:
            self.device.timeouts.append(SessionTimeout("ssh", DEFAULT_SSH_TIMEOUT, None, default=True))
        if self.telnet_timeout is not None and any(m.protocol == "telnet" for m in self.device.management):
            self.device.timeouts.append(self.telnet_timeout)  # only matters where Telnet is allowed

    def _policy_attribute(self, policy: str, attribute: str) -> Any:
        """A group-policy attribute, inherited from DfltGrpPolicy when the policy does not set it."""
        own = self.group_policies.get(policy)
        if own is not None and attribute in own.attributes:
            return own.attributes[attribute]
        default = self.group_policies.get(DEFAULT_GROUP_POLICY)
        return default.attributes.get(attribute) if default is not None else None

    def _finish_vpns(self) -> None:
        interfaces: list[str] = []
        for nameif in self.listen:
            real = self._real(nameif)
            if real not in interfaces:
                interfaces.append(real)
        for vpn in self.device.vpns:
            policy = self.tunnel_policy.get(vpn.name, DEFAULT_GROUP_POLICY)
            vpn.filter_name = self._policy_attribute(policy, "vpn-filter")
            for pool in self._policy_attribute(policy, "address-pools") or ():
                if pool not in vpn.pools:
                    vpn.pools.append(pool)
            if vpn.kind == "remote-access":
                if vpn.name not in self.tunnel_auth_set:
                    vpn.local_auth = True  # no authentication-server-group: the ASA uses LOCAL
                vpn.interfaces = list(interfaces)

    def _finish_ips(self) -> None:
        """Rules of the ACLs where an IPS inspects all traffic carry the 'ips' profile.

        Only a class that matches every packet counts: a narrower class may miss the flow, and a
        finding must never be lost because inspection was assumed.
        """
        scopes: set[str | None] = set()
        for policy, nameif in self.service_policies:
            if any(c in self.match_all_classes for c in self.ips_classes.get(policy, ())):
                scopes.add(None if nameif is None else self._real(nameif))
        if not scopes:
            return
        for binding in self.device.bindings:
            acl = self.device.filters.get(binding.filter_name)
            if acl is None or binding.use != "interface" or not (None in scopes or binding.interface in scopes):
                continue
            for rule in acl.rules:
                rule.profiles = rule.profiles | {"ips"}

    def _finish_snmp(self) -> None:
        # An ASA answers SNMP polls only from the managers named in 'snmp-server host' lines: a global
        # community is never open to any source (with no such line, nobody can poll at all).
        managers = [h.address for h in self.snmp_hosts if h.polls and not h.own_community]
        acl = ", ".join(managers) if managers else "snmp-server host (no poller configured)"
        for value, index in self.global_communities:
            self.device.snmp.append(SnmpCommunity(value, self.coverage.ref(index), "2c", "ro", acl))
