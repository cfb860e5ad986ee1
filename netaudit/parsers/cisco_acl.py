"""Cisco access-control entries and objects, shared by the IOS, NX-OS and ASA parsers.

The three platforms write an ACE the same way — action, protocol, source, ports, destination,
ports, options — and differ in small things: the mask style (IOS wildcard, ASA netmask, NX-OS
prefix or wildcard), object syntax (ASA ``object``/``object-group``, NX-OS ``addrgroup``/
``portgroup``) and keyword sets. ``AceSyntax`` states those differences as data.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass, field
from datetime import date, datetime

from netaudit.model import ALL_PORTS, ANY_IPV4, ANY_IPV6, AddressSet, AddressTerm, Service
from netaudit.services import (
    ICMP,
    ICMP6,
    ICMP6_TYPES,
    ICMP_TYPES,
    PORT_NAMES,
    TCP,
    UDP,
    port_number,
    port_ranges,
    protocol_number,
)

PORT_OPERATORS = {"eq", "neq", "lt", "gt", "range"}


class AceError(ValueError):
    """An access-control entry that cannot be read."""


# --------------------------------------------------------------------------- object table


@dataclass(slots=True)
class ObjectTable:
    """Named network/service/protocol/ICMP objects and groups of one device, resolved lazily.

    Definitions hold raw members; nested groups are resolved on first use with cycle protection.
    A name that is not defined resolves to nothing and is recorded in ``missing``.
    """

    networks: dict[str, list[AddressTerm | str]] = field(default_factory=dict)  # str: nested group name
    services: dict[str, list[Service | str]] = field(default_factory=dict)  # service objects / service groups
    port_groups: dict[str, tuple[int | None, list[tuple[int, int] | str]]] = field(default_factory=dict)  # (protocol or None for tcp-udp)
    protocols: dict[str, list[int | None | str]] = field(default_factory=dict)
    icmp_types: dict[str, list[tuple[int, int | None] | str]] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)

    def network_terms(self, name: str) -> tuple[AddressTerm, ...] | None:
        return self._resolve(self.networks, name, set())

    def service_list(self, name: str) -> tuple[Service, ...] | None:
        return self._resolve(self.services, name, set())

    def protocol_list(self, name: str) -> tuple[int | None, ...] | None:
        return self._resolve(self.protocols, name, set())

    def icmp_list(self, name: str) -> tuple[tuple[int, int | None], ...] | None:
        return self._resolve(self.icmp_types, name, set())

    def port_group(self, name: str) -> tuple[int | None, tuple[tuple[int, int], ...]] | None:
        if name not in self.port_groups:
            return None
        protocol = self.port_groups[name][0]
        ranges = self._resolve({k: v[1] for k, v in self.port_groups.items()}, name, set())
        return protocol, tuple(sorted(set(ranges or ())))

    def is_network(self, name: str) -> bool:
        return name in self.networks

    def is_port_group(self, name: str) -> bool:
        return name in self.port_groups

    def _resolve(self, table: dict, name: str, seen: set[str]):  # type: ignore[no-untyped-def]
        if name not in table:
            return None
        if name in seen:
            return ()
        seen.add(name)
        result: list = []
        for member in table[name]:
            if isinstance(member, str):
                nested = self._resolve(table, member, seen)
                if nested is None:
                    self.missing.add(member)
                else:
                    result.extend(nested)
            else:
                result.append(member)
        seen.discard(name)
        return tuple(result)


# --------------------------------------------------------------------------- syntax


@dataclass(frozen=True, slots=True)
class AceSyntax:
    """How a platform writes an ACE."""

    mask: str  # 'wildcard' (IOS), 'netmask' (ASA), 'either' (NX-OS: prefix or wildcard)
    family: int = 4  # 4 or 6: what 'any' means
    object_keyword: str | None = None  # ASA 'object'
    group_keyword: str = "object-group"  # NX-OS 'addrgroup' for addresses
    port_group_keyword: str | None = None  # NX-OS 'portgroup'
    any_keywords: frozenset[str] = frozenset({"any"})


@dataclass(slots=True)
class Ace:
    action: str
    services: tuple[Service, ...]
    sources: AddressSet
    destinations: AddressSet
    services_text: str = ""
    log: bool = False
    time_range: str | None = None
    inactive: bool = False
    remark: str | None = None
    references: list[tuple[str, str]] = field(default_factory=list)  # (kind, name)


class Tokens:
    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.pos = 0

    def peek(self, offset: int = 0) -> str | None:
        i = self.pos + offset
        return self.words[i].lower() if i < len(self.words) else None

    def raw(self, offset: int = 0) -> str | None:
        i = self.pos + offset
        return self.words[i] if i < len(self.words) else None

    def take(self) -> str:
        if self.pos >= len(self.words):
            raise AceError("the entry ends too early")
        word = self.words[self.pos]
        self.pos += 1
        return word

    def done(self) -> bool:
        return self.pos >= len(self.words)

    def text_since(self, start: int) -> str:
        return " ".join(self.words[start : self.pos])


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:  # fast path for dotted quads (as strict as ipaddress): ACL-heavy configs parse each address
        return ipaddress.IPv4Address(int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big"))
    except (OSError, ValueError):
        pass
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise AceError(f"{text!r} is not an IP address") from None


def _looks_like_ip(text: str | None) -> bool:
    if text is None:
        return False
    try:
        _ip(text)
    except AceError:
        return False
    return True


def term_from_mask(address: str, mask: str, style: str) -> AddressTerm:
    """An address with a netmask (ASA) or wildcard (IOS); NX-OS accepts a wildcard after an address."""
    addr = _ip(address)
    mask_ip = _ip(mask)
    bits = 32 if addr.version == 4 else 128
    full = (1 << bits) - 1
    value = int(mask_ip)
    wildcard = full ^ value if style == "netmask" else value
    return AddressTerm(addr.version, int(addr) & ~wildcard & full, wildcard)


def term_from_prefix(text: str) -> AddressTerm:
    try:
        return AddressTerm.from_network(text)
    except ValueError:
        raise AceError(f"{text!r} is not a prefix") from None


def term_from_host(text: str) -> AddressTerm:
    addr = _ip(text)
    return AddressTerm(addr.version, int(addr), 0)


def terms_from_range(first: str, last: str) -> tuple[AddressTerm, ...]:
    start, end = _ip(first), _ip(last)
    if start.version != end.version or int(start) > int(end):
        raise AceError(f"bad address range {first} {last}")
    return tuple(AddressTerm.from_network(str(n)) for n in ipaddress.summarize_address_range(start, end))


def parse_address(tokens: Tokens, syntax: AceSyntax, table: ObjectTable, refs: list[tuple[str, str]]) -> AddressSet:
    """One address operand: any/any4/any6, host A, A MASK, A/LEN, object X, object-group X."""
    start = tokens.pos
    word = tokens.peek()
    if word is None:
        raise AceError("an address is missing")
    if word in syntax.any_keywords or word in {"any", "any4", "any6"}:
        tokens.take()
        if word == "any4" or (word == "any" and syntax.family == 4 and syntax.object_keyword is None):
            return AddressSet(ANY_IPV4.terms, tokens.text_since(start))
        if word == "any6" or (word == "any" and syntax.family == 6):
            return AddressSet(ANY_IPV6.terms, tokens.text_since(start))
        # ASA 8.3+: 'any' is every IPv4 and IPv6 address
        return AddressSet(ANY_IPV4.terms + ANY_IPV6.terms, tokens.text_since(start))
    if word == "host":
        tokens.take()
        return AddressSet((term_from_host(tokens.take()),), tokens.text_since(start))
    if word in {syntax.object_keyword, syntax.group_keyword, "object-group", "addrgroup"} and word is not None:
        tokens.take()
        name = tokens.take()
        kind = "object" if word == syntax.object_keyword else "object-group"
        refs.append((kind, name))
        terms = table.network_terms(name)
        if terms is None:
            return AddressSet((), tokens.text_since(start), (name,), (name,))
        return AddressSet(terms, tokens.text_since(start), (name,))
    if word == "interface":  # ASA: the interface's own address; modelled as unresolved (no address known)
        tokens.take()
        name = tokens.take()
        return AddressSet((), tokens.text_since(start), (f"interface {name}",), ())
    text = tokens.take()
    if "/" in text:
        return AddressSet((term_from_prefix(text),), tokens.text_since(start))
    if _looks_like_ip(tokens.raw()) and _ip(text).version == 4:
        mask = tokens.take()
        return AddressSet((term_from_mask(text, mask, "netmask" if syntax.mask == "netmask" else "wildcard"),), tokens.text_since(start))
    # IOS standard ACLs accept a bare address meaning one host
    return AddressSet((term_from_host(text),), tokens.text_since(start))


def _port_values(tokens: Tokens, operator: str, protocol: int | None) -> list[int]:
    count = 2 if operator == "range" else 1
    values = []
    for _ in range(count):
        word = tokens.take()
        try:
            values.append(port_number(word, protocol))
        except KeyError:
            raise AceError(f"unknown port {word!r}") from None
    if operator == "eq":  # IOS accepts several ports after eq
        while tokens.peek() is not None and _is_port_token(tokens.peek(), protocol):
            values.append(port_number(tokens.take(), protocol))
    return values


def _is_port_token(word: str | None, protocol: int | None) -> bool:
    if word is None:
        return False
    if word.isdigit():
        return int(word) <= 65535
    tables = [PORT_NAMES[protocol]] if protocol in PORT_NAMES else []
    return any(word in t for t in tables) and word not in {"log", "echo"}


def parse_ports(tokens: Tokens, syntax: AceSyntax, table: ObjectTable, protocol: int | None, refs: list[tuple[str, str]]) -> tuple[tuple[int, int], ...] | None:
    """An optional port operand; None when there is none (all ports)."""
    word = tokens.peek()
    if word in PORT_OPERATORS:
        tokens.take()
        ranges = port_ranges(word, _port_values(tokens, word, protocol))
        return ranges
    if word in {"object-group", syntax.port_group_keyword} and word is not None:
        name = tokens.raw(1)
        # NX-OS 'portgroup X' is always a port group: an undefined one matches nothing (unresolved)
        if name is not None and (table.is_port_group(name) or word == syntax.port_group_keyword):
            tokens.take()
            tokens.take()
            refs.append(("object-group", name))
            group = table.port_group(name)
            return group[1] if group else ()
    return None


# Words after the destination that carry nothing for the packet match (or narrow it in ways the
# analysis treats conservatively: a rule that permits only some TCP flags still permits the flow).
_TRAILING_FLAGS = {
    "log-input", "fragments", "ack", "fin", "psh", "rst", "syn", "urg", "match-any", "match-all",
    "reflect", "timeout", "option", "dscp", "precedence", "tos", "ttl", "packet-length", "http-method",
    "nsh", "udf", "set-erspan-dscp", "set-erspan-gre-proto", "vlan", "cos", "capture", "redirect",
    "sequence", "interval", "disable", "default", "evaluate", "echo-reply", "label", "hop-limit",
    "flow-label", "routing", "routing-type", "undetermined-transport", "doh",
}
# Match options followed by a named or numeric value, or by an operator and value(s): nothing for the packet match.
_VALUE_FLAGS = {"dscp", "precedence", "tos", "ttl", "packet-length"}
_LOG_LEVELS = {"emergencies", "alerts", "critical", "errors", "warnings", "notifications", "informational", "debugging"}


def parse_ace(words: list[str], syntax: AceSyntax, table: ObjectTable, standard: bool = False) -> Ace:
    """Parse the words of one entry starting at the action (``permit tcp any host 10.1.1.1 eq 22``)."""
    tokens = Tokens(words)
    action = tokens.take().lower()
    if action not in {"permit", "deny"}:
        raise AceError(f"expected permit or deny, found {action!r}")
    refs: list[tuple[str, str]] = []
    if standard:
        sources = parse_address(tokens, syntax, table, refs)
        ace = Ace(action, (Service(None),), sources, AddressSet(_any_terms(syntax), "any"), "ip", references=refs)
        _parse_options(tokens, ace)
        return ace
    proto_start = tokens.pos
    protocols, services, proto_is_group = _parse_protocol(tokens, syntax, table, refs)
    services_text = tokens.text_since(proto_start)
    sources = parse_address(tokens, syntax, table, refs)
    src_ports = None
    src_start = tokens.pos
    if not proto_is_group:
        src_ports = _ports_for(tokens, syntax, table, protocols, refs)
    src_port_text = tokens.text_since(src_start)
    destinations = parse_address(tokens, syntax, table, refs)
    dst_start = tokens.pos
    dst_ports = None
    icmp: list[tuple[int, int | None]] | None = None
    established = False
    if not proto_is_group:
        dst_ports = _ports_for(tokens, syntax, table, protocols, refs)
        if dst_ports is None and protocols and all(p in (ICMP, ICMP6) for p in protocols):
            icmp = _parse_icmp(tokens, protocols[0], table, refs)
    if tokens.peek() == "established":
        tokens.take()
        established = True
    port_text = tokens.text_since(dst_start)
    if services is None:
        services = _build_services(protocols, src_ports, dst_ports, icmp, established)
        if src_port_text:
            services_text = f"{services_text} source {src_port_text}"
        if port_text:
            services_text = f"{services_text} {port_text}"
    ace = Ace(action, services, sources, destinations, services_text, references=refs)
    _parse_options(tokens, ace)
    return ace


def _any_terms(syntax: AceSyntax) -> tuple[AddressTerm, ...]:
    return ANY_IPV6.terms if syntax.family == 6 else ANY_IPV4.terms


def _parse_protocol(tokens: Tokens, syntax: AceSyntax, table: ObjectTable, refs: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """The protocol operand: a name/number, a protocol group, or a service object/group.

    Returns (protocols, services or None, is_service_group).
    """
    word = tokens.peek()
    if word in {syntax.object_keyword, "object-group"} and word is not None:
        tokens.take()
        name = tokens.take()
        kind = "object" if word == syntax.object_keyword else "object-group"
        refs.append((kind, name))
        services = table.service_list(name)
        if services is not None:
            return [], services, True
        protocols = table.protocol_list(name)
        if protocols is not None:
            return list(protocols), None, False
        return [], (), True  # undefined: matches nothing
    word = tokens.take()
    try:
        number = protocol_number(word)
    except KeyError:
        raise AceError(f"unknown protocol {word!r}") from None
    if syntax.family == 6 and number == ICMP:  # 'icmp' in an IPv6 ACL (IOS, NX-OS) is ICMPv6
        number = ICMP6
    return [number], None, False


def _ports_for(tokens, syntax, table, protocols, refs):  # type: ignore[no-untyped-def]
    if not any(p in PORT_NAMES for p in protocols):
        return None
    port_protocol = protocols[0] if len(protocols) == 1 else TCP
    return parse_ports(tokens, syntax, table, port_protocol, refs)


def _parse_icmp(tokens: Tokens, protocol: int | None, table: ObjectTable, refs: list[tuple[str, str]]) -> list[tuple[int, int | None]] | None:
    names = ICMP6_TYPES if protocol == ICMP6 else ICMP_TYPES
    word = tokens.peek()
    if word == "object-group" and tokens.raw(1) is not None and tokens.raw(1) in table.icmp_types:
        tokens.take()
        name = tokens.take()
        refs.append(("object-group", name))
        return list(table.icmp_list(name) or ())
    if word is not None and word in names:
        tokens.take()
        return [names[word]]
    if word is not None and word.isdigit():
        icmp_type = int(tokens.take())
        code = int(tokens.take()) if (tokens.peek() or "").isdigit() else None
        return [(icmp_type, code)]
    return None


def _build_services(protocols, src_ports, dst_ports, icmp, established) -> tuple[Service, ...]:  # type: ignore[no-untyped-def]
    services = []
    for protocol in protocols:
        if protocol in PORT_NAMES:
            services.append(Service(protocol, dst_ports if dst_ports is not None else (ALL_PORTS,), src_ports if src_ports is not None else (ALL_PORTS,), established=established and protocol == TCP))
        elif protocol in (ICMP, ICMP6) and icmp:
            services.extend(Service(protocol, icmp_type=t, icmp_code=c) for t, c in icmp)
        else:
            services.append(Service(protocol))
    return tuple(services)


def _parse_options(tokens: Tokens, ace: Ace) -> None:
    while not tokens.done():
        word = tokens.take().lower()
        if word == "log":
            ace.log = True
            if tokens.peek() == "disable":
                ace.log = False
                tokens.take()
            while tokens.peek() is not None and (tokens.peek().isdigit() or tokens.peek() in _LOG_LEVELS or tokens.peek() in {"interval", "default"}):
                tokens.take()
        elif word == "time-range":
            ace.time_range = tokens.take()
            ace.references.append(("time-range", ace.time_range))
        elif word == "inactive":
            ace.inactive = True
        elif word in _VALUE_FLAGS and not tokens.done():  # 'dscp ef', 'precedence critical', 'ttl eq 1'
            operator = tokens.take().lower()
            if operator in PORT_OPERATORS and not tokens.done():
                tokens.take()
                if operator == "range" and not tokens.done():
                    tokens.take()
        elif word in _TRAILING_FLAGS or word.isdigit() or word.startswith(("+", "-")) or word in _LOG_LEVELS:
            continue
        else:
            raise AceError(f"unexpected {word!r}")


# --------------------------------------------------------------------------- time ranges

_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], 1)}


def parse_absolute_end(words: list[str]) -> date | None:
    """The end date of ``absolute [start hh:mm d Month yyyy] end hh:mm d Month yyyy``; None without end."""
    lowered = [w.lower() for w in words]
    if "end" not in lowered:
        return None
    rest = lowered[lowered.index("end") + 1 :]
    if len(rest) < 4:
        raise AceError("'absolute end' needs hh:mm day month year")
    _, day, month, year = rest[:4]
    month_number = _MONTHS.get(month) or next((n for m, n in _MONTHS.items() if m.startswith(month[:3])), None)
    if not (day.isdigit() and year.isdigit() and month_number):
        raise AceError(f"bad end date {' '.join(rest[:4])!r}")
    try:
        return date(int(year), month_number, int(day))
    except ValueError:
        raise AceError(f"bad end date {' '.join(rest[:4])!r}") from None


def parse_clock_date(text: str, fmt: str) -> date | None:
    try:
        return datetime.strptime(text, fmt).date()
    except ValueError:
        return None


# --------------------------------------------------------------------------- object definitions


def network_member(words: list[str], style: str) -> AddressTerm | tuple[AddressTerm, ...] | str:
    """A member line of a network object or group, after the keyword.

    ASA: ``host A``, ``subnet A M``, ``range A B``, ``network-object host A``, ``network-object A M``,
    ``network-object object X``, ``group-object X``; IOS/NX-OS: ``host A``, ``A M``, ``A/len``.
    Returns a term, several terms (ranges), or the name of a nested group/object.
    """
    lowered = [w.lower() for w in words]
    if not lowered:
        raise AceError("empty object member")
    if lowered[0] in {"network-object", "object"} and len(words) > 1:
        if lowered[0] == "network-object" and lowered[1] == "object":
            return words[2]
        if lowered[0] == "network-object":
            return network_member(words[1:], style)
    if lowered[0] == "group-object":
        return words[1]
    if lowered[0] == "host":
        return term_from_host(words[1])
    if lowered[0] == "subnet":
        if "/" in words[1]:
            return term_from_prefix(words[1])
        return term_from_mask(words[1], words[2], "netmask")
    if lowered[0] == "range":
        return terms_from_range(words[1], words[2])
    if "/" in words[0]:
        return term_from_prefix(words[0])
    if len(words) > 1 and _looks_like_ip(words[1]):
        return term_from_mask(words[0], words[1], style)
    if _looks_like_ip(words[0]):
        return term_from_host(words[0])
    raise AceError(f"unknown network member {' '.join(words)!r}")


def service_member(words: list[str], group_protocol: str | None) -> Service | list[Service] | str | tuple[int, int] | list[tuple[int, int]]:
    """A member of a service object or group.

    ASA ``service tcp destination eq 80`` / ``service-object tcp destination range 1 2`` /
    ``service-object object X`` / ``port-object eq 80`` / ``group-object X``; IOS ``tcp eq 80``.
    Returns a service (or several), a nested name, or port ranges (port-object lines of typed groups).
    """
    lowered = [w.lower() for w in words]
    head = lowered[0]
    if head == "group-object":
        return words[1]
    if head == "service-object" and len(words) > 2 and lowered[1] == "object":
        return words[2]
    if head == "port-object":
        return list(port_ranges(lowered[1], _values(words[2:], lowered[1], _group_port_protocol(group_protocol))))
    if head in {"service-object", "service"}:
        words, lowered = words[1:], lowered[1:]
    return _service_words(words, lowered)


def _group_port_protocol(group_protocol: str | None) -> int | None:
    if group_protocol in {"tcp", "udp"}:
        return protocol_number(group_protocol)
    return None


def _values(words: list[str], operator: str, protocol: int | None) -> list[int]:
    count = 2 if operator == "range" else 1
    try:
        return [port_number(w, protocol) for w in words[:count]]
    except KeyError as error:
        raise AceError(f"unknown port {error.args[0]!r}") from None


def _service_words(words: list[str], lowered: list[str]) -> Service | list[Service]:
    proto_word = lowered[0]
    if proto_word == "tcp-udp":
        protocols: list[int | None] = [TCP, UDP]
    else:
        try:
            protocols = [protocol_number(proto_word)]
        except KeyError:
            raise AceError(f"unknown protocol {proto_word!r}") from None
    src: tuple[tuple[int, int], ...] = (ALL_PORTS,)
    dst: tuple[tuple[int, int], ...] = (ALL_PORTS,)
    icmp_type = icmp_code = None
    i = 1
    port_proto = protocols[0] if protocols[0] in PORT_NAMES else None
    while i < len(lowered):
        word = lowered[i]
        if word in {"source", "destination"} and i + 1 < len(lowered) and lowered[i + 1] in PORT_OPERATORS:
            operator = lowered[i + 1]
            count = 2 if operator == "range" else 1
            ranges = port_ranges(operator, _values(words[i + 2 : i + 2 + count], operator, port_proto))
            if word == "source":
                src = ranges
            else:
                dst = ranges
            i += 2 + count
        elif word in PORT_OPERATORS:  # IOS 'tcp eq 80' / ASA 'service-object tcp eq 80': destination
            count = 2 if word == "range" else 1
            dst = port_ranges(word, _values(words[i + 1 : i + 1 + count], word, port_proto))
            i += 1 + count
        elif protocols[0] in (ICMP, ICMP6):
            names = ICMP6_TYPES if protocols[0] == ICMP6 else ICMP_TYPES
            if word in names:
                icmp_type, icmp_code = names[word]
            elif word.isdigit():
                if icmp_type is None:
                    icmp_type = int(word)
                else:
                    icmp_code = int(word)
            i += 1
        else:
            i += 1
    services = [
        Service(p, dst, src) if p in PORT_NAMES else Service(p, icmp_type=icmp_type, icmp_code=icmp_code) if p in (ICMP, ICMP6) else Service(p)
        for p in protocols
    ]
    return services[0] if len(services) == 1 else services


# --------------------------------------------------------------------------- small helpers

_SEQ = re.compile(r"^\d+$")


def split_sequence(words: list[str]) -> tuple[int | None, list[str]]:
    """IOS/NX-OS named ACL lines may start with a sequence number."""
    if words and _SEQ.match(words[0]):
        return int(words[0]), words[1:]
    return None, words
