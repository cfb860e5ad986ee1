"""Protocols and ports: the vendor tables of names, and the policy pack's service notation.

One place for the numbers so that ``www`` on an ASA, ``80`` in the policy pack and ``http`` in a
FortiOS service all mean the same packets.
"""

from __future__ import annotations

from netaudit.model import ALL_PORTS, Service

PROTOCOLS: dict[str, int | None] = {
    "ip": None, "ipv4": None, "ipv6": None, "any": None, "icmp": 1, "igmp": 2, "ipinip": 4, "tcp": 6,
    "igrp": 9, "udp": 17, "gre": 47, "esp": 50, "ah": 51, "ahp": 51, "icmp6": 58, "ipv6-icmp": 58,
    "eigrp": 88, "ospf": 89, "nos": 94, "pim": 103, "pcp": 108, "snp": 109, "sctp": 132,
}
PROTOCOL_NAMES = {6: "tcp", 17: "udp", 1: "icmp", 58: "icmp6", 47: "gre", 50: "esp", 51: "ah", 89: "ospf", 88: "eigrp", 103: "pim", 2: "igmp", 132: "sctp", 4: "ipinip"}

TCP, UDP, ICMP, ICMP6 = 6, 17, 1, 58

# Named ports, per protocol: the union of the IOS, NX-OS and ASA tables. Where vendors disagree on a
# name's number the vendor's own table is passed to ``port_number`` (see ``ASA_PORT_OVERRIDES``).
_TCP_PORTS = {
    "aol": 5190, "bgp": 179, "chargen": 19, "cifs": 3020, "citrix-ica": 1494, "cmd": 514, "ctiqbe": 2748,
    "daytime": 13, "discard": 9, "domain": 53, "drip": 3949, "echo": 7, "exec": 512, "finger": 79,
    "ftp": 21, "ftp-data": 20, "gopher": 70, "h323": 1720, "hostname": 101, "http": 80, "https": 443,
    "ident": 113, "imap4": 143, "irc": 194, "kerberos": 750, "klogin": 543, "kshell": 544, "ldap": 389,
    "ldaps": 636, "login": 513, "lotusnotes": 1352, "lpd": 515, "msrpc": 135, "netbios-ssn": 139,
    "nfs": 2049, "nntp": 119, "onep-plain": 15001, "onep-tls": 15002, "pcanywhere-data": 5631,
    "pim-auto-rp": 496, "pop2": 109, "pop3": 110, "pptp": 1723, "rsh": 514, "rtsp": 554, "sip": 5060,
    "smtp": 25, "sqlnet": 1521, "ssh": 22, "sunrpc": 111, "syslog": 514, "tacacs": 49, "talk": 517,
    "telnet": 23, "time": 37, "uucp": 540, "whois": 43, "www": 80,
}
_UDP_PORTS = {
    "biff": 512, "bootpc": 68, "bootps": 67, "cifs": 3020, "discard": 9, "dnsix": 195, "domain": 53,
    "echo": 7, "http": 80, "isakmp": 500, "kerberos": 750, "mobile-ip": 434, "nameserver": 42,
    "netbios-dgm": 138, "netbios-ns": 137, "netbios-ss": 139, "nfs": 2049, "non500-isakmp": 4500,
    "ntp": 123, "pcanywhere-status": 5632, "pim-auto-rp": 496, "radius": 1645, "radius-acct": 1646,
    "rip": 520, "ripv6": 521, "secureid-udp": 5510, "sip": 5060, "snmp": 161, "snmptrap": 162,
    "sunrpc": 111, "syslog": 514, "tacacs": 49, "talk": 517, "tftp": 69, "time": 37, "vxlan": 4789,
    "who": 513, "www": 80, "xdmcp": 177,
}
PORT_NAMES: dict[int, dict[str, int]] = {TCP: _TCP_PORTS, UDP: _UDP_PORTS, 132: _TCP_PORTS}

ICMP_TYPES: dict[str, tuple[int, int | None]] = {
    "echo-reply": (0, None), "unreachable": (3, None), "net-unreachable": (3, 0),
    "host-unreachable": (3, 1), "protocol-unreachable": (3, 2), "port-unreachable": (3, 3),
    "packet-too-big": (3, 4), "administratively-prohibited": (3, 13), "source-quench": (4, None),
    "redirect": (5, None), "alternate-address": (6, None), "echo": (8, None),
    "router-advertisement": (9, None), "router-solicitation": (10, None), "time-exceeded": (11, None),
    "ttl-exceeded": (11, 0), "parameter-problem": (12, None), "timestamp-request": (13, None),
    "timestamp-reply": (14, None), "information-request": (15, None), "information-reply": (16, None),
    "mask-request": (17, None), "mask-reply": (18, None), "traceroute": (30, None),
    "conversion-error": (31, None), "mobile-redirect": (32, None),
}
ICMP6_TYPES: dict[str, tuple[int, int | None]] = {
    "unreachable": (1, None), "packet-too-big": (2, None), "time-exceeded": (3, None),
    "parameter-problem": (4, None), "echo": (128, None), "echo-request": (128, None),
    "echo-reply": (129, None), "membership-query": (130, None), "membership-report": (131, None),
    "membership-reduction": (132, None), "router-solicitation": (133, None),
    "router-advertisement": (134, None), "neighbor-solicitation": (135, None),
    "neighbor-advertisement": (136, None), "redirect": (137, None), "nd-ns": (135, None),
    "nd-na": (136, None),
}


def protocol_number(token: str) -> int | None:
    """The IP protocol of a name or number; None means any. Raises KeyError for unknown names."""
    token = token.lower()
    if token.isdigit():
        number = int(token)
        if not 0 <= number <= 255:
            raise KeyError(token)
        return number or None
    return PROTOCOLS[token]


def port_number(token: str, protocol: int | None) -> int:
    """A port number from a name or number, for the given protocol. Raises KeyError if unknown."""
    token = token.lower()
    if token.isdigit():
        number = int(token)
        if number > 65535:
            raise KeyError(token)
        return number
    tables = [PORT_NAMES[protocol]] if protocol in PORT_NAMES else [_TCP_PORTS, _UDP_PORTS]
    for table in tables:
        if token in table:
            return table[token]
    raise KeyError(token)


def port_ranges(operator: str, values: list[int]) -> tuple[tuple[int, int], ...]:
    """Port ranges for an operator: eq (one or more values), neq, lt, gt, range."""
    if operator == "eq":
        return tuple(sorted({(v, v) for v in values}))
    if operator == "neq":
        v = values[0]
        return tuple(r for r in ((0, v - 1), (v + 1, 65535)) if r[0] <= r[1])
    if operator == "lt":
        return ((0, values[0] - 1),) if values[0] > 0 else ()
    if operator == "gt":
        return ((values[0] + 1, 65535),) if values[0] < 65535 else ()
    if operator == "range":
        lo, hi = values[0], values[1]
        return ((min(lo, hi), max(lo, hi)),)
    raise ValueError(f"unknown port operator {operator!r}")


def _format_ports(ranges: tuple[tuple[int, int], ...]) -> str:
    if not ranges:
        return "(no port)"
    return ",".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in ranges)


def format_service(service: Service) -> str:
    """The policy-pack notation: ``tcp/443``, ``udp/137-139``, ``icmp``, ``ip``."""
    if service.protocol is None:
        return "ip"
    name = PROTOCOL_NAMES.get(service.protocol, str(service.protocol))
    if service.protocol in (ICMP, ICMP6) and service.icmp_type is not None:
        code = f"/{service.icmp_code}" if service.icmp_code is not None else ""
        return f"{name}/{service.icmp_type}{code}"
    text = name
    if service.protocol in PORT_NAMES and service.dst_ports != (ALL_PORTS,):
        text = f"{name}/{_format_ports(service.dst_ports)}"
    if service.protocol in PORT_NAMES and service.src_ports != (ALL_PORTS,):
        text += f" (source port {_format_ports(service.src_ports)})"
    if service.established:
        text += " established"
    return text


def parse_service_spec(spec: str) -> Service:
    """Parse the policy pack's notation (``tcp/443``, ``tcp/137-139``, ``tcp/80,8080``, ``icmp``, ``ip``).

    Raises ValueError with a reason on bad input.
    """
    text = str(spec).strip().lower()
    proto_text, _, ports_text = text.partition("/")
    try:
        protocol = protocol_number(proto_text)
    except KeyError:
        raise ValueError(f"unknown protocol {proto_text!r} in service {spec!r}") from None
    if not ports_text:
        return Service(protocol)
    if protocol in (ICMP, ICMP6):
        type_text, _, code_text = ports_text.partition("/")
        if not type_text.isdigit() or (code_text and not code_text.isdigit()):
            raise ValueError(f"bad ICMP type in service {spec!r}")
        return Service(protocol, icmp_type=int(type_text), icmp_code=int(code_text) if code_text else None)
    if protocol not in PORT_NAMES:
        raise ValueError(f"protocol {proto_text!r} has no ports, in service {spec!r}")
    ranges: list[tuple[int, int]] = []
    for part in ports_text.split(","):
        lo_text, _, hi_text = part.partition("-")
        try:
            lo = port_number(lo_text, protocol)
            hi = port_number(hi_text, protocol) if hi_text else lo
        except KeyError:
            raise ValueError(f"bad port {part!r} in service {spec!r}") from None
        if lo > hi:
            raise ValueError(f"bad port range {part!r} in service {spec!r}")
        ranges.append((lo, hi))
    return Service(protocol, dst_ports=tuple(sorted(set(ranges))))


def services_overlap(a: Service, b: Service) -> bool:
    """Whether some packet matches both (used to tell if a rule admits a policy-pack service)."""
    if a.protocol is not None and b.protocol is not None and a.protocol != b.protocol:
        return False
    if a.established or b.established:
        return False  # 'established' admits only replies: never a new connection to the service
    protocol = a.protocol if a.protocol is not None else b.protocol
    ports_apart = not _ranges_overlap(a.dst_ports, b.dst_ports) or not _ranges_overlap(a.src_ports, b.src_ports)
    if protocol in PORT_NAMES and ports_apart:
        return False
    if protocol in (ICMP, ICMP6):
        for x, y in ((a.icmp_type, b.icmp_type), (a.icmp_code, b.icmp_code)):
            if x is not None and y is not None and x != y:
                return False
    return True


def _ranges_overlap(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> bool:
    return any(lo1 <= hi2 and lo2 <= hi1 for lo1, hi1 in a for lo2, hi2 in b)
