"""Cisco NX-OS ``show running-config`` → the vendor-neutral model.

NX-OS-specific here: ``ip access-list NAME`` with prefix or wildcard masks and ``addrgroup``/``portgroup``,
``object-group ip address|port``, ``feature`` switches (telnet, ssh, lldp, tacacs+), ``vrf context``
routes, ``role``-based users, ``snmp-server community X group|use-acl`` and the platform defaults:
SSH on, CDP on, LLDP off, no idle timeout on console and vty.
"""

from __future__ import annotations

from collections.abc import Iterable

from netaudit.model import (
    AddressTerm,
    ManagementService,
    NamedObject,
    ObjectReference,
    SessionTimeout,
    SourceRef,
    StoredSecret,
)
from netaudit.parsers.base import SourceFile
from netaudit.parsers.cisco_acl import AceError, AceSyntax, network_member, split_sequence
from netaudit.parsers.ios_family import READ_ERRORS, CfgLine, CiscoFamilyParser, Handler, typed_value
from netaudit.services import port_number, port_ranges

# --------------------------------------------------------------------------- recognized commands
# Commands a real NX-OS 'show running-config' prints that carry nothing the checks need. A prefix
# (1–4 words, case-insensitive) matches a line and takes its whole block, children included; a longer
# handler prefix wins. The '!Command:', '!Time:' and '!Running configuration last done at' header
# lines are comments and never count as unrecognized.
RECOGNIZED_TOP = (
    # platform, VDCs, boot, licensing
    "version", "switchname", "boot", "vdc", "no system", "system", "install", "power", "hardware", "license",
    "feature-set", "allow feature-set", "fex", "slot", "module", "poap", "diagnostic", "no diagnostic", "end",
    # feature switches without a fact the model keeps (telnet, ssh, lldp, nxapi are handled), fabric services
    "cfs", "no password strength-check", "password strength-check", "ip domain-lookup", "no ip domain-lookup",
    "ip domain-name", "ip domain-list", "ip name-server", "ip host", "ip dns", "copp profile", "rmon",
    "system default switchport", "no system default switchport", "clock", "errdisable", "no errdisable",
    "control-plane", "service", "no service", "icam", "terminal", "no terminal", "callhome", "event manager",
    "scheduler", "cli alias", "cli var", "role", "no role", "key chain", "crypto key", "crypto ca",
    # layer 2 and fabric
    "vtp", "vpc", "vpc domain", "lacp", "port-channel", "spanning-tree", "no spanning-tree", "vlan", "mac", "udld",
    "port-profile", "evb", "nv", "nv overlay", "fabric", "vni", "evpn", "l2rib", "dot1x", "no dot1x",
    "port-security", "sflow", "monitor session", "monitor exporter", "interface breakout",
    # layer 3 globals, routing policy, first-hop redundancy (routes and ACL uses are modelled elsewhere)
    "bfd", "track", "hsrp", "vrrp", "ip arp", "ipv6 nd", "ip igmp", "ip pim", "ipv6 pim", "ip msdp", "ip mroute",
    "ip prefix-list", "ipv6 prefix-list", "ip community-list", "ip extcommunity-list", "ip as-path",
    "ip load-sharing", "ip tcp", "ip icmp-errors", "ip dhcp", "ipv6 dhcp", "ip source-route", "ip sla",
    "ip internal", "ip route static", "ip access-list match-local-traffic", "mpls", "segment-routing",
    # AAA and server options that name no server, key or method list
    "ip tacacs", "ip radius", "aaa user", "aaa authentication rejected", "aaa authentication login error-enable",
    "aaa authentication login ascii-authentication", "aaa authentication login mschap",
    "aaa authentication login mschapv2", "aaa authentication login chap",
    "aaa authentication login invalid-username-log", "aaa accounting log", "tacacs-server directed-request",
    "tacacs-server timeout", "tacacs-server deadtime", "radius-server timeout", "radius-server retransmit",
    "radius-server deadtime", "radius-server directed-request",
    # SSH/telnet server options (the services themselves come from 'feature')
    "ssh key", "ssh server", "ssh login-attempts", "ssh idle-timeout", "ssh keepalive", "ssh cipher-mode",
    "ssh kexalgos", "ssh macs", "ssh ciphers", "ssh keytypes", "telnet server", "nxapi", "no nxapi",
    # logging, SNMP and NTP settings that name no destination, community or key
    "logging logfile", "logging level", "logging console", "logging timestamp", "logging monitor",
    "logging origin-id", "logging source-interface", "logging module", "logging event", "logging message",
    "logging rate-limit", "logging ip", "logging rfc-strict", "no logging",
    "snmp-server location", "snmp-server contact", "snmp-server host", "snmp-server enable",
    "snmp-server source-interface", "snmp-server globalEnforcePriv", "snmp-server aaa-user",
    "snmp-server tcp-session", "snmp-server counter", "snmp-server packetsize", "snmp-server protocol",
    "snmp-server mib", "snmp-server context", "snmp-server engineID", "no snmp-server",
    "ntp source-interface", "ntp source", "ntp logging", "ntp master", "ntp authenticate", "ntp trusted-key",
    "ntp distribute", "ntp commit", "no ntp", "clock protocol",
    # QoS, telemetry, TCAM carving
    "policy-map", "system qos", "qos", "priority-flow-control", "flow", "sampler", "ptp",
    "hardware access-list", "hardware profile",
)
RECOGNIZED_INTERFACE = (
    # layer 1/2 and port settings
    "mtu", "speed", "duplex", "negotiate", "no negotiate", "negotiation", "no negotiation", "bandwidth", "delay",
    "load-interval", "encapsulation", "channel-group", "vpc", "fabric", "fex associate", "spanning-tree",
    "storm-control", "udld", "lacp", "link", "no link", "beacon", "flowcontrol", "medium", "mac", "inherit",
    "autostate", "no autostate", "carrier-delay", "priority-flow-control", "rate-mode", "management", "member",
    "source-interface", "host-reachability", "dot1x", "ptp", "evb", "state", "port-type", "errdisable", "power",
    "fec", "auto-recovery", "service-policy",
    # layer 3 settings that are no address, VRF or filter
    "no ip address", "ip redirects", "no ip redirects", "no ipv6 redirects", "ip proxy-arp", "no ip proxy-arp",
    "ip local-proxy-arp", "ip dhcp", "ip dhcp relay", "ip arp", "no ip arp", "ipv6 nd", "ipv6 link-local",
    "ip unreachables", "no ip unreachables", "ipv6 unreachables", "ip verify", "ipv6 verify", "ip port-unreachable",
    "no ip port-unreachable", "ip sticky-arp", "ip forward", "ipv6 forward", "ip flow", "ipv6 dhcp", "mpls",
    # routing protocols and first-hop redundancy
    "hsrp", "vrrp", "vrrpv3", "ip router", "ipv6 router", "ip ospf", "ipv6 ospf", "ip pim", "ipv6 pim", "ip igmp",
    "ip igmp snooping", "bfd", "no bfd",
    # discovery and monitoring (CDP/LLDP transmission is modelled)
    "cdp", "no cdp", "lldp receive", "no lldp receive", "snmp", "no snmp", "logging event", "no logging",
)
RECOGNIZED_LINE = (
    "session-limit", "absolute-timeout", "logout-warning", "speed", "databits", "stopbits", "parity", "modem",
    "terminal", "no exec-timeout",
)

ADMIN_ROLES = {"network-admin", "vdc-admin", "priv-15"}  # roles with every privilege: privilege 15 in the model
STRONG_CRYPT_PREFIXES = {
    "$5$": "SHA-256-crypt ($5$)", "$6$": "SHA-512-crypt ($6$)", "$8$": "PBKDF2 ($8$)", "$9$": "scrypt ($9$)",
}


class NxosParser(CiscoFamilyParser):
    """Cisco NX-OS (Nexus 3000/5000/7000/9000)."""

    platform = "nxos"
    syntax = "nxos"
    ACE_V4 = AceSyntax(mask="either", group_keyword="addrgroup", port_group_keyword="portgroup")
    ACE_V6 = AceSyntax(mask="either", family=6, group_keyword="addrgroup", port_group_keyword="portgroup")
    # Cisco Nexus 9000 NX-OS Security Configuration Guide, IP ACL guidelines: "When you apply an undefined
    # ACL to an interface, the system treats the ACL as empty and permits all traffic."
    UNDEFINED_ACL_PERMITS = True
    # CIS Cisco NX-OS Benchmark v1.1.0, 1.2.4: "The default timeout value is 0 (ie the timeout is disabled)";
    # NX-OS prints no exec-timeout for lines left at that default, so console and vty never time out.
    DEFAULT_EXEC_TIMEOUT = 0.0

    # ------------------------------------------------------------------ tables

    def top_handlers(self) -> dict[str, Handler]:
        handlers = super().top_handlers()
        handlers.update({
            "ip access-list": self._ip_access_list,
            "ipv6 access-list": self._ipv6_access_list,
            "object-group ip address": self._object_group_address,
            "object-group ipv6 address": self._object_group_address,
            "object-group ip port": self._object_group_port,
            "feature": self._feature,
            "no feature": self._feature,
            "vrf context": self._vrf_context,
            "snmp-server community": self._snmp_community,
            "cdp enable": self._cdp_global,
            "no cdp enable": self._cdp_global,
            "banner": self._banner,
            "nxapi http": self._nxapi_http,
        })
        return handlers

    def interface_handlers(self) -> dict[str, Handler]:
        handlers = super().interface_handlers()
        handlers.update({
            "ip port access-group": self._if_access_group,
            "ipv6 port traffic-filter": self._if_access_group,
            "ipv6 access-group": self._if_access_group,
        })
        return handlers

    def recognized_top(self) -> Iterable[str]:
        return RECOGNIZED_TOP

    def recognized_interface(self) -> Iterable[str]:
        return RECOGNIZED_INTERFACE

    def recognized_line(self) -> Iterable[str]:
        return RECOGNIZED_LINE

    def _start(self, source: SourceFile) -> None:
        super()._start(source)
        self.features: dict[str, SourceRef] = {}
        self.disabled_features: set[str] = set()
        self.nxapi_http: SourceRef | None = None

    # ------------------------------------------------------------------ ACLs and object groups

    def _ip_access_list(self, obj: CfgLine, words: list[str]) -> None:
        if len(words) == 3:
            self._named_acl_block(obj, words[2], "ipv4", "extended", self.ACE_V4)

    def _ipv6_access_list(self, obj: CfgLine, words: list[str]) -> None:
        if len(words) == 3:
            self._named_acl_block(obj, words[2], "ipv6", "extended", self.ACE_V6)

    def _object_group_address(self, obj: CfgLine, words: list[str]) -> None:
        """``object-group ip|ipv6 address X``: ``[seq] host A``, ``[seq] A/LEN``, ``[seq] A WILDCARD``."""
        name = words[3]
        members = self.table.networks.setdefault(name, [])
        self.device.definitions.append(NamedObject("object", name, self.ref(obj.linenum)))
        self.mark(obj.linenum)
        for child in obj._children:
            member_words = split_sequence(self.lines[child.linenum].split())[1]
            if not member_words:
                continue
            try:
                member = network_member(member_words, "wildcard")
            except READ_ERRORS as error:
                self.warn(child.linenum, f"object-group {name}: {error.args[0]}")
                continue
            if isinstance(member, str):
                members.append(member)
                reference = ObjectReference("object", member, self.ref(child.linenum), "object-group")
                self.device.references.append(reference)
            elif isinstance(member, AddressTerm):
                members.append(member)
            else:
                members.extend(member)
            self.mark(child.linenum)

    def _object_group_port(self, obj: CfgLine, words: list[str]) -> None:
        """``object-group ip port X``: ``[seq] eq|neq|lt|gt P`` / ``[seq] range P1 P2`` (TCP and UDP alike)."""
        name = words[3]
        ranges = self.table.port_groups.setdefault(name, (None, []))[1]
        self.device.definitions.append(NamedObject("object", name, self.ref(obj.linenum)))
        self.mark(obj.linenum)
        for child in obj._children:
            member_words = [w.lower() for w in split_sequence(self.lines[child.linenum].split())[1]]
            if not member_words:
                continue
            try:
                operator = member_words[0]
                count = 2 if operator == "range" else 1
                if operator not in {"eq", "neq", "lt", "gt", "range"} or len(member_words) < 1 + count:
                    raise AceError(f"unknown port member {' '.join(member_words)!r}")
                values = [port_number(w, None) for w in member_words[1 : 1 + count]]
                ranges.extend(port_ranges(operator, values))
            except READ_ERRORS as error:
                self.warn(child.linenum, f"object-group {name}: {error.args[0]}")
                continue
            self.mark(child.linenum)

    # ------------------------------------------------------------------ features, VRFs, interfaces

    def _feature(self, obj: CfgLine, words: list[str]) -> None:
        """``feature X`` / ``no feature X``: telnet, ssh, lldp and tacacs+ are facts the model keeps."""
        name = words[-1].lower()
        if words[0].lower() == "no":
            self.disabled_features.add(name)
            self.features.pop(name, None)
        else:
            self.features[name] = self.ref(obj.linenum)
            self.disabled_features.discard(name)
        self.mark(obj.linenum)

    def _vrf_context(self, obj: CfgLine, words: list[str]) -> None:
        """``vrf context V``: its ``ip route`` / ``ipv6 route`` children are static routes of that VRF."""
        vrf = words[2]
        self.mark(obj.linenum)
        for child in obj._children:
            child_words = self.lines[child.linenum].split()
            if [w.lower() for w in child_words[1:2]] == ["route"] and child_words[0].lower() in {"ip", "ipv6"}:
                try:
                    self._ip_route(child, child_words, vrf)
                except READ_ERRORS as error:
                    self.warn(child.linenum, error)
                continue
            self.mark_family(child)

    def _cdp_global(self, obj: CfgLine, words: list[str]) -> None:
        self.cdp_global = words[0].lower() != "no"
        self.mark(obj.linenum)

    def _nxapi_http(self, obj: CfgLine, words: list[str]) -> None:
        self.nxapi_http = self.ref(obj.linenum)
        self.mark(obj.linenum)

    def _finish_interfaces(self, cdp_on: bool, lldp_on: bool) -> None:
        super()._finish_interfaces(cdp_on, lldp_on)
        for intf in self.device.interfaces:
            if intf.name.lower() == "mgmt0":
                intf.management_only = True

    # ------------------------------------------------------------------ users, AAA, SNMP

    def _username(self, obj: CfgLine, words: list[str]) -> None:
        """``username U [password [0|5] X] [role R]``: a type-5 value is a crypt hash named by its prefix."""
        name = words[1]
        lowered = [w.lower() for w in words]
        privilege = None
        if "role" in lowered and words[lowered.index("role") + 1].lower() in ADMIN_ROLES:
            privilege = 15
        if "password" in lowered:
            type_word, value = typed_value(words, lowered.index("password") + 1)
            if value not in {"!", "*"}:  # a locked account: no password stored
                storage, scheme = _crypt_storage(type_word, value)
                ref = self.secret_ref(obj.linenum, value)
                self.device.secrets.append(StoredSecret("user", storage, ref, name, scheme))  # type: ignore[arg-type]
        if "password" in lowered or "role" in lowered:
            self.add_user(name, obj.linenum, privilege)
        self.mark(obj.linenum)

    def _aaa_authentication(self, obj: CfgLine, words: list[str]) -> None:
        """``aaa authentication login default|console METHODS``; other forms are switches."""
        if len(words) > 4 and words[2].lower() == "login" and words[3].lower() in {"default", "console"}:
            self._add_method("login", "authentication", words[4:], obj.linenum, words[3].lower())
        else:
            self.mark(obj.linenum)

    def _aaa_accounting(self, obj: CfgLine, words: list[str]) -> None:
        """``aaa accounting default METHODS``: NX-OS accounting records every command (configuration changes)."""
        if words[2].lower() == "default":
            self._add_method("commands", "accounting", words[3:], obj.linenum, "default")
        else:
            super()._aaa_accounting(obj, words)

    def _snmp_community(self, obj: CfgLine, words: list[str]) -> None:
        """``snmp-server community X [group G | ro | rw | use-acl A | use-ipv4acl A | use-ipv6acl A]``."""
        name = words[2]
        option = words[3].lower() if len(words) > 3 else ""
        if option == "group":
            self.add_community(name, obj.linenum, "rw" if words[4].lower() == "network-admin" else "ro")
        elif option in {"ro", "rw"}:
            self.add_community(name, obj.linenum, option)
        elif option in {"use-acl", "use-ipv4acl"}:
            self.add_community(name, obj.linenum, acl=words[4])
        elif option == "use-ipv6acl":
            self.add_community(name, obj.linenum)
            self.use_acl(words[4], "snmp", obj.linenum, "snmp-server community")
        else:
            self.add_community(name, obj.linenum)
        self.mark(obj.linenum)

    # ------------------------------------------------------------------ finish

    def _finish(self) -> None:
        self._build_filters()
        self._apply_acl_uses()
        self._finish_aaa()
        self._finish_management()
        self._finish_snmp()
        self.lldp_global = "lldp" in self.features
        self._finish_interfaces(self.cdp_global, self.lldp_global)
        self.device.role = "switch"

    def _finish_management(self) -> None:
        """SSH is on unless ``no feature ssh``; telnet and NX-API only by feature; no idle timeout by default."""
        management = self.device.management
        vty_acl = next((b.acl for b in self.line_blocks if b.kind == "vty" and b.acl), None)
        explicit = self.features.get("ssh")
        ref = explicit or self.device.hostname_ref or (self.ref(0) if self.lines else None)
        if "ssh" not in self.disabled_features and ref is not None:
            management.append(ManagementService("ssh", ref, "line vty", None, vty_acl, default=explicit is None))
        telnet, nxapi = self.features.get("telnet"), self.features.get("nxapi")
        if telnet is not None:
            management.append(ManagementService("telnet", telnet, "line vty", None, vty_acl))
        if nxapi is not None:
            management.append(ManagementService("https", nxapi, "feature nxapi"))
            if self.nxapi_http is not None:
                management.append(ManagementService("http", self.nxapi_http, "nxapi http"))
        for block in self.line_blocks:
            if block.timeout is not None:
                self.device.timeouts.append(block.timeout)
            elif block.kind in {"vty", "console"}:
                timeout = SessionTimeout(block.context, self.DEFAULT_EXEC_TIMEOUT, None, default=True)
                self.device.timeouts.append(timeout)


def _crypt_storage(type_word: str | None, value: str) -> tuple[str, str]:
    """NX-OS user passwords: type 5 values are crypt hashes ($1$ MD5, $5$/$6$ SHA-2, $8$ PBKDF2, $9$ scrypt)."""
    if type_word in {None, "0"}:
        return "plaintext", "clear text"
    if value.startswith("$1$"):
        return "weak-hash", "MD5-crypt ($1$)"
    for prefix, scheme in STRONG_CRYPT_PREFIXES.items():
        if value.startswith(prefix):
            return "strong-hash", scheme
    if type_word == "7":
        return "reversible", "type 7"
    return "weak-hash", f"type {type_word} (unknown hash)"


__all__ = ["NxosParser"]
