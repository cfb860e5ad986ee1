"""Cisco IOS / IOS-XE ``show running-config`` → the vendor-neutral model.

IOS-specific here: numbered and named ACLs (wildcard masks), object-groups, NAT, crypto maps, the
``line`` transport defaults, the legacy services that are on unless disabled, type 0/5/7/8/9
secrets and the CDP/LLDP defaults. What IOS shares with NX-OS lives in ``ios_family``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from netaudit.model import (
    AddressPool,
    AddressSet,
    AddressTerm,
    DeviceService,
    FilterBinding,
    Interface,
    ManagementService,
    NamedObject,
    NatRule,
    ObjectReference,
    Service,
    SessionTimeout,
    SourceRef,
    StoredSecret,
    VpnDefinition,
)
from netaudit.parsers.base import SourceFile
from netaudit.parsers.cisco_acl import AceError, network_member, service_member
from netaudit.parsers.ios_family import (
    READ_ERRORS,
    CfgLine,
    CiscoFamilyParser,
    Handler,
    LineBlock,
    covering_network,
    is_ip,
    typed_value,
)
from netaudit.services import port_number, protocol_number

# --------------------------------------------------------------------------- recognized commands
# Commands a real IOS/IOS-XE 'show running-config' prints that carry nothing the checks need. A
# prefix (1–4 words, case-insensitive) matches a line and takes its whole block, children included.
# A longer handler prefix wins over a shorter entry here (``logging host`` over ``logging``).
RECOGNIZED_TOP = (
    # framing of 'show running-config', platform, boot and licensing
    "Building configuration...", "Current configuration", "Last configuration change", "NVRAM config last updated",
    "end", "exit", "boot-start-marker", "boot-end-marker", "boot", "no boot", "license", "licensing config",
    "diagnostic", "platform", "no platform", "hw-module", "card", "redundancy", "switch", "stack-mac", "memory",
    "no memory", "warm-reboot", "upgrade", "system", "power", "network-clock-participate",
    "no network-clock-participate", "service-module", "controller", "voice-card", "multilink", "virtual-service",
    "iox", "process", "no process", "transceiver", "call-home", "service-template", "subscriber",
    # 'service' switches that are no legacy service. password-encryption: each password's type is read as shown
    "service timestamps", "no service timestamps", "service password-encryption", "no service password-encryption",
    "service config", "no service config", "service tcp-keepalives-in", "service tcp-keepalives-out", "service nagle",
    "service internal", "service sequence-numbers", "service compress-config", "service counters",
    "service call-home", "no service call-home", "service dhcp", "no service dhcp", "service unsupported-transceiver",
    "service slave-log", "service linenumber", "service prompt", "no service prompt", "service alignment",
    # names, time, DNS
    "clock", "ip domain", "ip domain-name", "ip domain-list", "ip domain-lookup", "no ip domain",
    "no ip domain-lookup", "ip name-server", "ip host", "ip dns", "ipv6 host",
    # forwarding and routing globals, multicast, prefix lists, VRFs (routes and ACL uses are modelled elsewhere)
    "ip cef", "no ip cef", "ipv6 cef", "no ipv6 cef", "cef", "no cef", "ipv6 unicast-routing",
    "no ipv6 unicast-routing", "ip routing", "no ip routing", "ip subnet-zero", "no ip subnet-zero", "ip classless",
    "no ip classless", "ip default-gateway", "ip forward-protocol", "no ip forward-protocol", "ip multicast-routing",
    "ipv6 multicast-routing", "ip multicast", "ip prefix-list", "ipv6 prefix-list", "ip as-path",
    "ip community-list", "ip extcommunity-list", "ip bgp-community", "ip ospf", "ipv6 router", "ip route static",
    "ip route profile", "ipv6 route static",
    "ip vrf", "vrf definition", "ip arp", "no ip arp", "ip igmp", "no ip igmp", "ip pim", "ip msdp", "ip mroute",
    "ip explicit-path", "ip local policy", "ip rsvp", "ip nbar", "ip sla", "track", "bfd", "mpls", "no mpls",
    "segment-routing", "router-id", "route-tag", "ipv6 general-prefix", "ipv6 mld", "ipv6 pim", "ipv6 nd",
    "ipv6 icmp", "ipv6 source-route", "no ipv6 source-route",
    # IP services that are neither management access nor legacy services
    "ip dhcp", "no ip dhcp", "ipv6 dhcp", "ip tcp", "ip ftp", "ip tftp", "ip telnet", "ip rcmd", "no ip rcmd",
    "ip gratuitous-arps", "no ip gratuitous-arps", "ip icmp", "no ip icmp", "ip options", "ip inspect", "ip ips",
    "ip accounting-threshold", "ip flow-export", "ip flow-cache", "ip flow-top-talkers", "ip scp", "ip ssh",
    "ip radius", "ip tacacs", "ip device", "ip auth-proxy", "ip admission", "ip port-map", "ip virtual-reassembly",
    "ip access-list logging", "ip access-list log-update", "ip access-list resequence", "ip access-list role-based",
    "ip nat translation", "ip nat log", "ip nat service", "no ip nat service", "ip nat settings", "ip nat route",
    "ip http authentication", "ip http max-connections", "ip http timeout-policy", "ip http client",
    "ip http secure-trustpoint", "ip http secure-ciphersuite", "ip http secure-client-auth", "ip http secure-port",
    "ip http port", "ip http path", "ip http tls-version", "ip http active-session-modules",
    "ip http secure-active-session-modules", "ip http session-module-list", "ip http help-path",
    "ip http linger-timeout", "no ip http",
    # layer 2
    "no spanning-tree", "vtp", "udld", "errdisable", "no errdisable", "mac address-table", "mac-address-table",
    "port-channel", "lacp", "mls", "no mls", "cluster", "device-tracking", "dot1x", "no dot1x", "monitor session",
    "storm-control", "auto qos", "macro", "authentication", "energywise", "eap", "ethernet", "l2protocol-tunnel",
    "cts", "stackwise-virtual", "avb", "vstack", "no vstack", "bridge", "ptp", "srr-queue", "fhrp", "glbp",
    "standby",
    # AAA switches, server options, PKI and crypto policy blocks: no method, server, key or peer in them
    "no aaa new-model", "aaa session-id", "aaa common-criteria", "aaa local", "aaa password", "aaa attribute",
    "aaa cache", "aaa dnis", "aaa nas", "aaa user", "radius-server", "tacacs-server", "radius", "crypto pki",
    "crypto ca", "crypto key", "crypto isakmp policy", "crypto isakmp keepalive", "crypto isakmp nat",
    "crypto isakmp profile", "crypto isakmp identity", "crypto isakmp invalid-spi-recovery", "crypto ipsec",
    "crypto dynamic-map", "crypto ikev2 proposal", "crypto ikev2 policy", "crypto ikev2 profile", "crypto ikev2 dpd",
    "crypto ikev2 nat", "crypto ikev2 cookie-challenge", "crypto ikev2 diagnose", "crypto ikev2 fragmentation",
    "crypto ikev2 limit", "crypto ikev2 http-url", "crypto engine", "crypto logging", "crypto call", "crypto gdoi",
    "crypto signaling", "crypto ssl", "no crypto", "key chain", "key config-key", "password encryption",
    # login protection and the CLI
    "login", "security", "alias", "privilege", "parser", "file", "kron", "event manager", "scheduler", "exception",
    # logging, SNMP and NTP settings that name no destination, community or key
    "logging buffered", "logging console", "logging monitor", "logging trap", "logging source-interface",
    "logging facility", "logging rate-limit", "logging queue-limit", "logging origin-id", "logging snmp-authfail",
    "logging persistent", "logging discriminator", "logging userinfo", "logging count", "logging event",
    "logging history", "logging file", "logging alarm", "logging esm", "logging reload", "logging message-counter",
    "logging on", "logging exception", "logging cns-events", "logging filter", "logging buginf", "logging dmvpn",
    "logging delimiter", "logging sequence-number", "logging linecard", "logging hostname", "logging server-arp",
    "logging synchronous", "no logging",
    "snmp-server location", "snmp-server contact", "snmp-server chassis-id", "snmp-server ifindex",
    "snmp-server trap-source", "snmp-server enable", "snmp-server trap", "snmp-server host", "snmp-server engineID",
    "snmp-server view", "snmp-server queue-length", "snmp-server source-interface", "snmp-server system-shutdown",
    "snmp-server packetsize", "snmp-server manager", "snmp-server inform", "snmp-server trap-timeout",
    "snmp-server tftp-server-list", "snmp-server file-transfer", "snmp-server cache", "snmp-server vrf",
    "snmp-server mib", "snmp-server ip", "no snmp-server", "snmp ifmib", "snmp mib",
    "ntp source", "ntp update-calendar", "ntp authenticate", "ntp trusted-key", "ntp master", "ntp clock-period",
    "ntp logging", "ntp max-associations", "ntp broadcastdelay", "ntp refclock", "ntp allow", "no ntp",
    # QoS, voice, WAN, automation and other feature blocks
    "policy-map", "parameter-map", "table-map", "qos", "no qos", "control-plane", "dial-peer", "voice", "sip-ua",
    "telephony-service", "application", "gatekeeper", "gateway", "flow", "sampler", "performance monitor",
    "bba-group", "vpdn", "vpdn-group", "dialer-list", "dialer", "chat-script", "wsma", "netconf-yang", "restconf",
    "netconf", "telemetry", "cdp timer", "cdp holdtime", "cdp advertise-v2", "no cdp advertise-v2", "cdp log",
    "no cdp log", "lldp timer", "lldp holdtime", "lldp reinit", "lldp tlv-select", "no lldp tlv-select", "wlccp",
    "dot11", "spd", "no spd", "rmon", "nat64", "sdwan", "sslproxy", "pnp", "coap", "pseudowire-class", "l2vpn",
    "bridge-domain", "template", "tftp-server", "call", "ephone", "mgcp", "ccm-manager", "stcapp", "domain", "lane",
    "atm", "frame-relay", "endpoint-tracker",
)
RECOGNIZED_INTERFACE = (
    # layer 1/2 and port settings
    "negotiation", "no negotiation", "speed", "duplex", "full-duplex", "half-duplex", "mdix", "no mdix", "mtu",
    "media-type", "flowcontrol", "no flowcontrol", "carrier-delay", "keepalive", "no keepalive", "hold-queue",
    "load-interval", "bandwidth", "delay", "encapsulation", "channel-group", "channel-protocol", "lacp", "pagp",
    "spanning-tree", "storm-control", "udld", "mls", "no mls", "auto qos", "macro", "authentication", "dot1x",
    "mab", "access-session", "device-tracking", "power", "no power", "platform", "hw-module", "small-frame",
    "load-balancing", "backup", "cts", "service instance", "ethernet", "xconnect", "bridge-group",
    "no bridge-group", "vlan-range", "autostate", "no autostate", "fec", "transmit-interface", "port monitor",
    "clock", "no clock", "framing", "linecode", "cablelength", "crc", "no crc",
    # layer 3 settings that are no address, VRF or filter
    "no ip address", "ip mtu", "no ip mtu", "ipv6 mtu", "ip tcp", "ipv6 tcp", "ip unnumbered", "ipv6 unnumbered",
    "ip redirects", "no ip redirects", "ip unreachables", "no ip unreachables", "ip proxy-arp", "no ip proxy-arp",
    "ip local-proxy-arp", "ip directed-broadcast", "no ip directed-broadcast", "ip mask-reply", "no ip mask-reply",
    "ip helper-address", "ip verify", "ipv6 verify", "ip route-cache", "no ip route-cache", "ip mroute-cache",
    "no ip mroute-cache", "no ip mfib", "ip virtual-reassembly", "no ip virtual-reassembly", "ip flow",
    "ip accounting", "ip inspect", "ip ips", "ip wccp", "ip policy", "ipv6 policy", "ip dhcp", "no ip dhcp",
    "ip arp", "arp", "no arp", "ip source", "ip ddns", "ip admission", "ip sla", "ipv6 enable", "ipv6 nd",
    "no ipv6 nd", "ipv6 redirects", "no ipv6 redirects", "ipv6 unreachables", "no ipv6 unreachables", "ipv6 dhcp",
    "ipv6 mld", "ipv6 pim", "ip multicast", "ip igmp", "no ip igmp", "ip pim",
    # routing protocols and first-hop redundancy
    "ip ospf", "ipv6 ospf", "ospfv3", "ip router", "ipv6 router", "isis", "ip rip", "ipv6 rip", "ip summary-address",
    "ip split-horizon", "no ip split-horizon", "bfd", "mpls", "ip rsvp", "standby", "vrrp", "glbp", "hsrp",
    # QoS, WAN, wireless, monitoring
    "service-policy", "shape", "priority-queue", "queue-set", "srr-queue", "trust", "rate-limit", "fair-queue",
    "no fair-queue", "random-detect", "custom-queue-list", "priority-group", "tx-ring-limit", "max-reserved-bandwidth",
    "pvc", "atm", "no atm", "dsl", "bundle-enable", "dialer", "dialer-group", "ppp", "pppoe", "pppoe-client", "peer",
    "no peer", "tunnel", "ssid", "encryption", "broadcast-key", "station-role", "rts", "channel", "world-mode",
    "antenna", "beacon", "packet", "fragment-threshold", "dot11", "no dot11", "infrastructure-client", "snmp",
    "no snmp", "logging event", "no logging", "cdp log", "no cdp log", "lldp receive", "no lldp receive",
    "lldp tlv-select", "no lldp tlv-select", "mop", "no mop", "ntp", "no ntp",
)
RECOGNIZED_LINE = (
    # how users log in on a line (the AAA method lists are modelled globally)
    "login", "no login", "authorization", "accounting", "privilege level", "no password", "password-retry",
    # terminal behaviour
    "exec", "no exec", "exec prompt", "exec-character-bits", "exec-banner", "no exec-banner", "motd-banner",
    "no motd-banner", "logging synchronous", "history", "no history", "width", "length", "escape-character",
    "editing", "no editing", "full-help", "terminal-type", "location", "vacant-message", "no vacant-message",
    "refuse-message", "notify", "international", "special-character-bits", "data-character-bits",
    "activation-character", "no activation-character", "start-character", "stop-character", "disconnect-character",
    "dispatch-character", "hold-character", "padding", "no flush-at-activation", "lockable", "monitor", "no monitor",
    "autocommand", "no autocommand", "autohangup", "default",
    # outgoing connections and timers other than the idle timeout
    "transport output", "transport preferred", "session-timeout", "absolute-timeout", "logout-warning",
    "session-disconnect-warning", "session-limit", "timeout login", "telnet", "no telnet", "cli", "no dns",
    "access-class-list", "ipv6 access-class-list",
    # async/console hardware
    "speed", "stopbits", "databits", "parity", "flowcontrol", "rotary", "modem", "autoselect", "physical-layer",
    "insecure", "pad",
)


class IosParser(CiscoFamilyParser):
    """Cisco IOS and IOS-XE: routers (ISR/ASR) and Catalyst switches."""

    platform = "ios"
    syntax = "ios"

    # ------------------------------------------------------------------ tables

    def top_handlers(self) -> dict[str, Handler]:
        handlers = super().top_handlers()
        handlers.update({
            "access-list": self._numbered_acl,
            "ip access-list": self._ip_access_list,
            "ipv6 access-list": self._ipv6_access_list,
            "object-group network": self._object_group_network,
            "object-group service": self._object_group_service,
            "enable secret": self._enable,
            "enable password": self._enable,
            "tacacs server": self._named_server,
            "radius server": self._named_server,
            "aaa server radius": self._radius_dynamic_author,
            "snmp-server community": self._snmp_community,
            "ip http server": self._http,
            "ip http secure-server": self._http,
            "ip http access-class": self._http_access_class,
            "ip ftp password": self._ftp_password,
            "ip nat inside source": self._nat,
            "ip nat pool": self._nat_pool,
            "crypto map": self._crypto_map,
            "crypto isakmp key": self._isakmp_key,
            "crypto keyring": self._keyring,
            "crypto ikev2 keyring": self._ikev2_keyring,
            "crypto isakmp client configuration": self._remote_access_group,
            "ip local pool": self._local_pool,
            "archive": self._archive,
            "cdp run": self._cdp_run,
            "no cdp run": self._cdp_run,
            "lldp run": self._lldp_run,
            "no lldp run": self._lldp_run,
            "vlan": self._vlan,
            "spanning-tree": self._spanning_tree,
            "banner": self._banner,
            "ip wccp": self._wccp,
        })
        for command in SERVICE_COMMANDS:
            handlers[command] = self._device_service
            handlers[f"no {command}"] = self._device_service
        return handlers

    def interface_handlers(self) -> dict[str, Handler]:
        handlers = super().interface_handlers()
        handlers.update({"crypto map": self._if_crypto_map, "ip nat": self._if_nat})
        return handlers

    def line_handlers(self) -> dict[str, Handler]:
        handlers = super().line_handlers()
        handlers.update({"transport input": self._line_transport, "password": self._line_password})
        return handlers

    def recognized_top(self) -> Iterable[str]:
        return RECOGNIZED_TOP

    def recognized_interface(self) -> Iterable[str]:
        return RECOGNIZED_INTERFACE

    def recognized_line(self) -> Iterable[str]:
        return RECOGNIZED_LINE

    def _start(self, source: SourceFile) -> None:
        super()._start(source)
        self.device_services: dict[str, tuple[bool, SourceRef]] = {}
        self.http: list[tuple[str, SourceRef]] = []
        self.http_acl: str | None = None
        self.crypto_maps: dict[str, list[VpnDefinition]] = {}
        self.crypto_map_interfaces: dict[str, list[str]] = {}
        self.crypto_map_client_auth: dict[str, str] = {}
        self.nat_pools: dict[str, AddressSet] = {}
        self.dynamic_nat: list[DynamicNat] = []
        self.vlan_definitions = False
        self.spanning_tree = False

    # ------------------------------------------------------------------ ACLs and object-groups

    def _numbered_acl(self, obj: CfgLine, words: list[str]) -> None:
        """``access-list N permit|deny|remark ...``: 1–99/1300–1999 standard, 100–199/2000–2699 extended."""
        if not words[1].isdigit():
            if words[1].lower() in {"compiled", "logging", "log-update"}:
                self.mark(obj.linenum)
            return
        number = int(words[1])
        if 1 <= number <= 99 or 1300 <= number <= 1999:
            kind = "standard"
        elif 100 <= number <= 199 or 2000 <= number <= 2699:
            kind = "extended"
        else:
            return  # MAC, protocol-type and other non-IP lists: not modelled, left unrecognized
        draft = self.add_acl_draft(words[1], "ipv4", kind, self.ACE_V4, obj.linenum)
        draft.entries.append((obj.linenum, words[2:]))

    def _ip_access_list(self, obj: CfgLine, words: list[str]) -> None:
        kind = words[2].lower()
        if kind in {"standard", "extended"}:
            self._named_acl_block(obj, words[3], "ipv4", kind, self.ACE_V4)

    def _ipv6_access_list(self, obj: CfgLine, words: list[str]) -> None:
        self._named_acl_block(obj, words[2], "ipv6", "extended", self.ACE_V6)

    def _object_group_network(self, obj: CfgLine, words: list[str]) -> None:
        """``object-group network X``: ``host A``, ``A MASK`` (a netmask), ``range A B``, ``group-object Y``."""
        name = words[2]
        members = self.table.networks.setdefault(name, [])
        self.device.definitions.append(NamedObject("object", name, self.ref(obj.linenum)))
        self.mark(obj.linenum)
        for child in obj._children:
            child_words = self.lines[child.linenum].split()
            if not child_words:
                continue
            try:
                if child_words[0].lower() != "description":
                    self._network_member(child_words, members, child.linenum)
            except READ_ERRORS as error:
                self.warn(child.linenum, f"object-group {name}: {error.args[0]}")
                continue
            self.mark(child.linenum)

    def _network_member(self, words: list[str], members: list[AddressTerm | str], index: int) -> None:
        member = network_member(words, "netmask")
        if isinstance(member, tuple):
            members.extend(member)
        elif isinstance(member, str):
            members.append(member)
            self.device.references.append(ObjectReference("object", member, self.ref(index), "object-group"))
        else:
            members.append(member)

    def _object_group_service(self, obj: CfgLine, words: list[str]) -> None:
        """``object-group service X``: ``tcp eq 80``, ``tcp-udp range 1 2``, ``icmp echo``, ``group-object Y``."""
        name = words[2]
        members = self.table.services.setdefault(name, [])
        self.device.definitions.append(NamedObject("object", name, self.ref(obj.linenum)))
        self.mark(obj.linenum)
        for child in obj._children:
            child_words = self.lines[child.linenum].split()
            if not child_words:
                continue
            try:
                if child_words[0].lower() != "description":
                    self._service_member(child_words, members, child.linenum)
            except READ_ERRORS as error:
                self.warn(child.linenum, f"object-group {name}: {error.args[0]}")
                continue
            self.mark(child.linenum)

    def _service_member(self, words: list[str], members: list[Service | str], index: int) -> None:
        member = service_member(words, None)
        if isinstance(member, Service):
            members.append(member)
        elif isinstance(member, str):
            members.append(member)
            self.device.references.append(ObjectReference("object", member, self.ref(index), "object-group"))
        elif isinstance(member, list) and all(isinstance(m, Service) for m in member):
            members.extend(member)  # type: ignore[arg-type]
        else:
            raise AceError(f"unexpected member {' '.join(words)!r}")

    # ------------------------------------------------------------------ users and secrets

    def _username(self, obj: CfgLine, words: list[str]) -> None:
        """``username U [privilege N] {password|secret [type] X | algorithm-type A secret X | nopassword}``."""
        name = words[1]
        privilege = None
        i = 2
        while i < len(words):
            word = words[i].lower()
            if word == "privilege":
                privilege = int(words[i + 1])
                i += 2
                continue
            if word in {"password", "secret"}:
                type_word, value = typed_value(words, i + 1)
                self.add_secret("user", type_word, value, obj.linenum, name)
                break
            if word == "algorithm-type":  # as typed, before the device hashes it: the file holds the clear text
                value, scheme = words[i + 3], f"algorithm-type {words[i + 1].lower()} (clear text in the file)"
                ref = self.secret_ref(obj.linenum, value)
                self.device.secrets.append(StoredSecret("user", "plaintext", ref, name, scheme))
                break
            i += 1
        self.add_user(name, obj.linenum, privilege)
        self.mark(obj.linenum)

    def _enable(self, obj: CfgLine, words: list[str]) -> None:
        """``enable secret [level N] [0|4|5|8|9] X`` / ``enable password [level N] [0|7] X``."""
        i, owner = 2, None
        if words[i].lower() == "level":
            i, owner = i + 2, f"level {words[i + 1]}"
        type_word, value = typed_value(words, i)
        self.add_secret("enable", type_word, value, obj.linenum, owner)
        self.mark(obj.linenum)

    def _ftp_password(self, obj: CfgLine, words: list[str]) -> None:
        """``ip ftp password [0|7] X``: the password the device uses for FTP copies."""
        type_word, value = typed_value(words, 3)
        self.add_secret("ftp", type_word, value, obj.linenum, "ip ftp")
        self.mark(obj.linenum)

    def _radius_dynamic_author(self, obj: CfgLine, words: list[str]) -> None:
        """``aaa server radius dynamic-author`` (``client A server-key [0|7] X``, ``server-key X``): CoA keys."""
        self.mark(obj.linenum)
        for child in obj._children:
            child_words = self.lines[child.linenum].split()
            lowered = [w.lower() for w in child_words]
            try:
                if "server-key" in lowered:
                    type_word, value = typed_value(child_words, lowered.index("server-key") + 1)
                    owner = child_words[1] if lowered[0] == "client" else "dynamic-author"
                    self.add_secret("aaa-key", type_word, value, child.linenum, owner)
            except READ_ERRORS as error:
                self.warn(child.linenum, error)
                continue
            self.mark_family(child)

    # ------------------------------------------------------------------ management plane

    def _line_transport(self, obj: CfgLine, words: list[str], block: LineBlock) -> None:
        """``transport input ssh|telnet|all|none ...``: the protocols a line accepts."""
        protocols: list[str] = []
        for word in (w.lower() for w in words[2:]):
            if word == "all":
                protocols += ["ssh", "telnet"]
            elif word in {"ssh", "telnet"}:
                protocols.append(word)
        ref = self.ref(obj.linenum)
        block.transports = [(protocol, ref) for protocol in dict.fromkeys(protocols)]
        self.mark(obj.linenum)

    def _line_password(self, obj: CfgLine, words: list[str], block: LineBlock) -> None:
        type_word, value = typed_value(words, 1)
        self.add_secret("line", type_word, value, obj.linenum, block.context)
        self.mark(obj.linenum)

    def _http(self, obj: CfgLine, words: list[str]) -> None:
        self.http.append(("http" if words[2].lower() == "server" else "https", self.ref(obj.linenum)))
        self.mark(obj.linenum)

    def _http_access_class(self, obj: CfgLine, words: list[str]) -> None:
        """``ip http access-class [ipv4|ipv6] NAME``: who may reach the web server (HTTP and HTTPS)."""
        family = words[3].lower() if words[3].lower() in {"ipv4", "ipv6"} else None
        name = words[4] if family else words[3]
        binding = FilterBinding(name, "in", self.ref(obj.linenum), None, "management", self.UNDEFINED_ACL_PERMITS)
        self.device.bindings.append(binding)
        self.use_acl(name, "management", obj.linenum, "ip http access-class")
        if family != "ipv6":
            self.http_acl = name
        self.mark(obj.linenum)

    def _snmp_community(self, obj: CfgLine, words: list[str]) -> None:
        """``snmp-server community X [view V] [RO|RW] [ipv6 ACL6] [ACL]``."""
        access, acl = "ro", None
        i = 3
        while i < len(words):
            word = words[i].lower()
            if word == "view":
                i += 1
            elif word in {"ro", "rw"}:
                access = word
            elif word == "ipv6":
                self.use_acl(words[i + 1], "snmp", obj.linenum, "snmp-server community")
                i += 1
            else:
                acl = words[i]
            i += 1
        self.add_community(words[2], obj.linenum, access, acl)
        self.mark(obj.linenum)

    def _finish_management(self) -> None:
        """vty transports (telnet and ssh when not written), idle timeouts (10 minutes), the web server."""
        management = self.device.management
        for block in self.line_blocks:
            if block.kind == "vty" and block.transports is None:
                for protocol in ("telnet", "ssh"):
                    default = ManagementService(protocol, block.ref, block.context, None, block.acl, default=True)
                    management.append(default)
            elif block.kind == "vty" and block.transports:
                for protocol, ref in block.transports:
                    management.append(ManagementService(protocol, ref, block.context, None, block.acl))  # type: ignore
            if block.timeout is not None:
                self.device.timeouts.append(block.timeout)
            elif block.kind in {"vty", "console"}:
                self.device.timeouts.append(SessionTimeout(block.context, DEFAULT_EXEC_TIMEOUT, None, default=True))
        for protocol, ref in self.http:
            context = "ip http server" if protocol == "http" else "ip http secure-server"
            management.append(ManagementService(protocol, ref, context, None, self.http_acl))  # type: ignore[arg-type]

    # ------------------------------------------------------------------ legacy services, discovery, role

    def _device_service(self, obj: CfgLine, words: list[str]) -> None:
        enabled = words[0].lower() != "no"
        command = [w.lower() for w in (words if enabled else words[1:])]
        for text, name in SERVICE_COMMANDS.items():
            if command[: len(text.split())] == text.split():
                self.device_services[name] = (enabled, self.ref(obj.linenum))
                break
        self.mark(obj.linenum)

    def _finish_services(self) -> None:
        """Small servers and finger only when written; bootp, source-route and PAD are on unless disabled."""
        for name in dict.fromkeys(SERVICE_COMMANDS.values()):
            if name in self.device_services:
                enabled, ref = self.device_services[name]
                self.device.services.append(DeviceService(name, enabled, ref))
            elif name in DEFAULT_ON_SERVICES:
                self.device.services.append(DeviceService(name, True, None, default=True))

    def _cdp_run(self, obj: CfgLine, words: list[str]) -> None:
        self.cdp_global = words[0].lower() != "no"
        self.mark(obj.linenum)

    def _lldp_run(self, obj: CfgLine, words: list[str]) -> None:
        self.lldp_global = words[0].lower() != "no"
        self.mark(obj.linenum)

    def _vlan(self, obj: CfgLine, words: list[str]) -> None:
        if len(words) > 1 and words[1][:1].isdigit():
            self.vlan_definitions = True
        self.mark_family(obj)

    def _spanning_tree(self, obj: CfgLine, words: list[str]) -> None:
        self.spanning_tree = True
        self.mark_family(obj)

    def _role(self) -> str:
        """A switch has switchports, VLAN definitions, or spanning-tree with SVIs; anything else routes."""
        switchports = any(i.switchport for i in self.device.interfaces)
        svis = any(i.name.lower().startswith("vlan") for i in self.device.interfaces)
        if switchports or self.vlan_definitions or (self.spanning_tree and svis):
            return "switch"
        return "router"

    def _wccp(self, obj: CfgLine, words: list[str]) -> None:
        lowered = [w.lower() for w in words]
        for keyword in ("redirect-list", "group-list"):
            if keyword in lowered and lowered.index(keyword) + 1 < len(words):
                self.use_acl(words[lowered.index(keyword) + 1], "other", obj.linenum, f"ip wccp {keyword}")
        self.mark(obj.linenum)

    def _archive(self, obj: CfgLine, words: list[str]) -> None:
        """``archive`` / ``log config`` / ``logging enable``: configuration changes are logged."""
        self.mark_family(obj)
        for child in obj._children:
            if [w.lower() for w in self.lines[child.linenum].split()[:2]] != ["log", "config"]:
                continue
            settings = [[w.lower() for w in self.lines[g.linenum].split()[:2]] for g in child._children]
            if ["logging", "enable"] in settings:
                self.device.config_change_logging.append(self.ref(child.linenum))

    # ------------------------------------------------------------------ NAT

    def _nat(self, obj: CfgLine, words: list[str]) -> None:
        """``ip nat inside source static ...`` / ``ip nat inside source list|route-map X interface Y|pool P``."""
        mode = words[4].lower()
        if mode == "static":
            self.device.nat.append(_static_nat(words[5:], self.ref(obj.linenum)))
        elif mode in {"list", "route-map"}:
            self._dynamic_nat(mode, words[5:], obj.linenum)
        else:
            raise ValueError(f"unknown NAT source {words[4]!r}")
        self.mark(obj.linenum)

    def _dynamic_nat(self, mode: str, rest: list[str], index: int) -> None:
        lowered = [w.lower() for w in rest]
        interface = rest[lowered.index("interface") + 1] if "interface" in lowered else None
        pool = rest[lowered.index("pool") + 1] if "pool" in lowered else None
        if mode == "list":
            self.use_acl(rest[0], "nat", index, "ip nat inside source list")
        self.dynamic_nat.append(DynamicNat(index, mode, rest[0], interface, pool))

    def _nat_pool(self, obj: CfgLine, words: list[str]) -> None:
        """``ip nat pool NAME FIRST LAST netmask M|prefix-length N``."""
        name = words[3]
        first, last = ipaddress.ip_address(words[4]), ipaddress.ip_address(words[5])
        terms = tuple(AddressTerm.from_network(str(n)) for n in ipaddress.summarize_address_range(first, last))
        self.nat_pools[name] = AddressSet(terms, f"pool {name}", (name,))
        self.mark(obj.linenum)

    def _finish_nat(self) -> None:
        """Dynamic NAT: the real side is what the ACL's permit entries match (their sources)."""
        for nat in self.dynamic_nat:
            acl = self.device.filters.get(nat.source) if nat.mode == "list" else None
            if acl is not None:
                terms = tuple(t for r in acl.rules if r.action == "permit" for t in r.sources.terms)
                real = AddressSet(terms, f"list {nat.source}", (nat.source,))
            else:
                unresolved = (nat.source,) if nat.mode == "list" else ()
                real = AddressSet((), f"{nat.mode} {nat.source}", (nat.source,), unresolved)
            mapped = None
            if nat.pool:
                mapped = self.nat_pools.get(nat.pool) or AddressSet((), f"pool {nat.pool}", (nat.pool,), (nat.pool,))
            self.device.nat.append(NatRule("dynamic", self.ref(nat.index), real, mapped, None, nat.interface))

    def _if_nat(self, obj: CfgLine, words: list[str], intf: Interface) -> None:
        self.mark(obj.linenum)  # 'ip nat inside|outside': the NAT rules name their interfaces themselves

    # ------------------------------------------------------------------ VPN

    def _crypto_map(self, obj: CfgLine, words: list[str]) -> None:
        """``crypto map NAME N ipsec-isakmp`` (+ ``set peer``, ``match address ACL``): one site-to-site entry."""
        name = words[2]
        self.mark_family(obj)
        if len(words) > 3 and words[3].isdigit():
            vpn = VpnDefinition(f"{name} {words[3]}", "site-to-site", self.ref(obj.linenum))
            self.crypto_maps.setdefault(name, []).append(vpn)
            self.device.vpns.append(vpn)
            for child in obj._children:
                child_words = self.lines[child.linenum].split()
                if [w.lower() for w in child_words[:2]] == ["match", "address"] and len(child_words) > 2:
                    self.use_acl(child_words[2], "crypto", child.linenum, "crypto map match address")
            return
        lowered = [w.lower() for w in words]
        if lowered[3:6] == ["client", "authentication", "list"] and len(words) > 6:
            self.crypto_map_client_auth[name] = words[6]

    def _if_crypto_map(self, obj: CfgLine, words: list[str], intf: Interface) -> None:
        self.crypto_map_interfaces.setdefault(words[2], []).append(intf.name)
        self.mark(obj.linenum)

    def _isakmp_key(self, obj: CfgLine, words: list[str]) -> None:
        """``crypto isakmp key [0|6|7] X address|hostname PEER``."""
        type_word, value = typed_value(words, 3)
        if type_word is not None and value.lower() in {"address", "hostname"}:
            type_word, value = None, words[3]  # a one-digit key with no type
        lowered = [w.lower() for w in words]
        keyword = "address" if "address" in lowered else "hostname"
        self.add_secret("psk", type_word, value, obj.linenum, words[lowered.index(keyword) + 1])
        self.mark(obj.linenum)

    def _keyring(self, obj: CfgLine, words: list[str]) -> None:
        """``crypto keyring NAME`` / `` pre-shared-key address A [M] key [0|6|7] X``."""
        self.mark(obj.linenum)
        for child in obj._children:
            child_words = self.lines[child.linenum].split()
            lowered = [w.lower() for w in child_words]
            try:
                if lowered[:1] == ["pre-shared-key"] and "key" in lowered[1:]:
                    type_word, value = typed_value(child_words, lowered.index("key", 1) + 1)
                    self.add_secret("psk", type_word, value, child.linenum, child_words[2])
            except READ_ERRORS as error:
                self.warn(child.linenum, error)
                continue
            self.mark_family(child)

    def _ikev2_keyring(self, obj: CfgLine, words: list[str]) -> None:
        """``crypto ikev2 keyring NAME`` / `` peer X`` / ``  pre-shared-key [local|remote] [0|6] X``."""
        self.mark(obj.linenum)
        for peer in obj._children:
            self.mark(peer.linenum)
            peer_words = self.lines[peer.linenum].split()
            peer_name = peer_words[1] if len(peer_words) > 1 else None
            for child in peer._children:
                child_words = self.lines[child.linenum].split()
                try:
                    if child_words[:1] and child_words[0].lower() == "pre-shared-key":
                        i = 2 if child_words[1].lower() in {"local", "remote"} else 1
                        type_word, value = typed_value(child_words, i)
                        self.add_secret("psk", type_word, value, child.linenum, peer_name)
                except READ_ERRORS as error:
                    self.warn(child.linenum, error)
                    continue
                self.mark_family(child)

    def _remote_access_group(self, obj: CfgLine, words: list[str]) -> None:
        """``crypto isakmp client configuration group NAME`` (``key X``, ``pool P``, ``acl SPLIT``): remote access."""
        self.mark_family(obj)
        if len(words) < 6 or words[4].lower() != "group":
            return
        vpn = VpnDefinition(words[5], "remote-access", self.ref(obj.linenum))
        self.device.vpns.append(vpn)
        for child in obj._children:
            child_words = self.lines[child.linenum].split()
            head = child_words[0].lower() if len(child_words) > 1 else ""
            if head == "key":
                type_word, value = typed_value(child_words, 1)
                self.add_secret("psk", type_word, value, child.linenum, words[5])
            elif head == "pool":
                vpn.pools.append(child_words[1])
            elif head == "acl":
                self.use_acl(child_words[1], "split-tunnel", child.linenum, "client configuration group acl")

    def _local_pool(self, obj: CfgLine, words: list[str]) -> None:
        """``ip local pool NAME FIRST [LAST]``: addresses handed to remote-access clients."""
        first = words[4]
        last = words[5] if len(words) > 5 and is_ip(words[5]) else first
        pool = AddressPool(words[3], covering_network(first, last), self.ref(obj.linenum), first, last)
        self.device.pools.append(pool)
        self.mark(obj.linenum)

    def _finish_vpns(self) -> None:
        """Crypto maps listen where they are applied; remote access authenticates with the map's login list."""
        for name, vpns in self.crypto_maps.items():
            for vpn in vpns:
                vpn.interfaces = list(self.crypto_map_interfaces.get(name, []))
        logins = {m.list_name: m for m in self.device.aaa_methods if (m.kind, m.service) == ("authentication", "login")}
        remote = [vpn for vpn in self.device.vpns if vpn.kind == "remote-access"]
        for name, list_name in self.crypto_map_client_auth.items():
            method = logins.get(list_name)
            for vpn in remote:
                vpn.interfaces = sorted(set(vpn.interfaces) | set(self.crypto_map_interfaces.get(name, [])))
                if method is not None:
                    central = [m for m in method.methods if m.startswith("group:") or m in {"tacacs+", "radius"}]
                    vpn.auth_server_groups = [m.removeprefix("group:") for m in central]
                    vpn.local_auth = "local" in method.methods

    # ------------------------------------------------------------------ finish

    def _finish(self) -> None:
        self._build_filters()
        self._apply_acl_uses()
        self._finish_nat()
        self._finish_aaa()
        self._finish_management()
        self._finish_snmp()
        self._finish_services()
        self._finish_vpns()
        self._finish_interfaces(self.cdp_global, self.lldp_global)
        self.device.role = self._role()


@dataclass(frozen=True, slots=True)
class DynamicNat:
    """``ip nat inside source list|route-map SOURCE interface X|pool P``, resolved once the ACLs are parsed."""

    index: int
    mode: str  # 'list' / 'route-map'
    source: str
    interface: str | None
    pool: str | None


# Legacy services: the command that turns each on (its 'no' form turns it off).
SERVICE_COMMANDS = {
    "service tcp-small-servers": "tcp-small-servers",
    "service udp-small-servers": "udp-small-servers",
    "ip finger": "finger",
    "service finger": "finger",
    "ip bootp server": "bootp-server",
    "ip source-route": "source-route",
    "service pad": "pad",
}
DEFAULT_ON_SERVICES = frozenset({"bootp-server", "source-route", "pad"})  # on in IOS unless disabled
DEFAULT_EXEC_TIMEOUT = 10.0  # minutes, IOS console and vty lines without 'exec-timeout'


def _static_nat(rest: list[str], ref: SourceRef) -> NatRule:
    """``static [tcp|udp] A [P] {B [P] | interface X [P]}`` / ``static network A B /LEN|MASK``."""
    lowered = [w.lower() for w in rest]
    if lowered[0] in {"tcp", "udp"}:
        protocol = protocol_number(lowered[0])
        service = _port_service(protocol, rest[2])
        if lowered[3] == "interface":
            mapped, interface, mapped_port = None, rest[4], rest[5]
        else:
            mapped, interface, mapped_port = _host_set(rest[3]), None, rest[4]
        mapped_service = _port_service(protocol, mapped_port)
        return NatRule("static", ref, _host_set(rest[1]), mapped, None, interface, service, mapped_service)
    if lowered[0] == "network":
        length = rest[3].lstrip("/")
        return NatRule("static", ref, _network_set(rest[1], length), _network_set(rest[2], length))
    if lowered[1] == "interface":
        return NatRule("static", ref, _host_set(rest[0]), None, None, rest[2])
    return NatRule("static", ref, _host_set(rest[0]), _host_set(rest[1]))


def _port_service(protocol: int | None, port: str) -> Service:
    number = port_number(port, protocol)
    return Service(protocol, ((number, number),))


def _host_set(text: str) -> AddressSet:
    address = ipaddress.ip_address(text)
    return AddressSet((AddressTerm(address.version, int(address), 0),), text)


def _network_set(address: str, mask_or_length: str) -> AddressSet:
    network = ipaddress.ip_network(f"{address}/{mask_or_length}", strict=False)
    return AddressSet((AddressTerm.from_network(str(network)),), str(network))


__all__ = ["IosParser"]
