"""Exact packet sets as BDDs over the header fields, and first-match evaluation of filters.

Batfish's approach: every header field is a block of boolean variables, a set of packets is a
BDD over them, and a filter's rules each decide their match minus what earlier rules matched. A
BDD stays exact for non-contiguous wildcards, port ranges, IPv6 and unions of many rules, and two
built sets compare (equal, subset, disjoint) without enumerating anything. dd's CUDD binding
(``dd.cudd``) does the work; its pure-Python ``dd.autoref`` has the same API and is the fallback.
``benchmarks/README.md`` has the measurements behind the representation, the variable order and
the evaluation strategy.

Encoding. One ``version`` variable (set: IPv6); IPv4 and IPv6 addresses have variable blocks of
their own, so a set constrains the IPv4 blocks only under version 4 and the IPv6 blocks only
under version 6. Likewise ports are constrained only for tcp/udp/sctp and the ICMP type/code only
for icmp/icmp6. Every set the engine builds keeps the fields that do not apply to a packet
free, so equality and subset between sets mean equality and subset of the packets they hold.
Variables of a field are ordered most significant bit first, so that prefixes share structure.
Zone-based platforms add ingress/egress zones to a rule (``Rule.src_zones``/``dst_zones``); they
are two more fields, so that a rule for one zone pair never covers a rule for another.

Evaluation at scale. A running union of all earlier rules costs its own size for every wide
('any') rule merged into it, which at 20,000 rules is minutes. Instead a prefix index proposes
the earlier rules that may overlap each rule, one BDD test confirms each, and a rule decides its
match minus just those. Diagrams are built only when read: a rule nothing earlier overlaps
decides its whole match, a catch-all holds every packet of its IP versions, and a rule that
overlaps hundreds of earlier ones is questioned through a witness packet before its diagram is
worth building (``FilterEvaluation``).
"""

from __future__ import annotations

import dataclasses
import gc
import ipaddress
import weakref
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from netaudit.model import AddressSet, AddressTerm, Filter, Rule, Service

try:  # the compiled CUDD binding; dd's pure-Python BDD has the same API and is ~10x slower
    from dd import cudd as _cudd
except ImportError:  # pragma: no cover - depends on the installed wheel
    _cudd = None
from dd import autoref as _autoref

BACKEND = "cudd" if _cudd is not None else "autoref"

PORT_PROTOCOLS = frozenset({6, 17, 132})  # tcp, udp, sctp
ICMP_PROTOCOLS = frozenset({1, 58})  # icmp, icmp6
ZONE_BITS = 16  # zone codes: 0 = no zone given, then one code per zone name met
ANY_ZONE_NAMES = frozenset({"any"})

# Field → number of variables.
FIELD_WIDTHS: dict[str, int] = {
    "version": 1, "dst4": 32, "src4": 32, "dst6": 128, "src6": 128, "protocol": 8,
    "dst_port": 16, "src_port": 16, "icmp_type": 8, "icmp_code": 8, "established": 1,
    "src_zone": ZONE_BITS, "dst_zone": ZONE_BITS,
}
# Destination, then source, then the service fields, as Batfish orders them: of the orders measured
# (benchmarks/README.md) it gives the smallest union of a filter's rules, and the analysis time
# is the same for all of them within the noise.
DEFAULT_ORDER: tuple[str, ...] = (
    "version", "dst4", "src4", "dst6", "src6", "protocol", "dst_port", "src_port",
    "icmp_type", "icmp_code", "established", "src_zone", "dst_zone",
)

_ADDRESS_FIELDS = {("src", 4): "src4", ("src", 6): "src6", ("dst", 4): "dst4", ("dst", 6): "dst6"}


@dataclass(frozen=True)
class Packet:
    """One concrete packet: for samples, tests and the naive evaluator."""

    version: int  # 4 or 6
    src: str
    dst: str
    protocol: int  # 0..255
    src_port: int = 0
    dst_port: int = 0
    icmp_type: int = 0
    icmp_code: int = 0
    established: bool = False  # part of an established TCP connection (IOS 'established' matches only these)
    src_zone: str | None = None  # zone-based platforms: the zone it arrives from (None: not given)
    dst_zone: str | None = None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cycle collector off for the duration: building diagrams allocates hundreds of
    thousands of small wrappers and no cycles, and each collection would rescan them all (the
    ASA parser does the same)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------- naive reference


def is_active(rule: Rule, as_of: date | None) -> bool:
    """Whether the rule takes part in evaluation: enabled and its schedule not ended."""
    return rule.enabled and (rule.schedule_end is None or as_of is None or rule.schedule_end >= as_of)


def _term_holds(terms: Iterable[AddressTerm], version: int, address: int) -> bool:
    # Bits of the value under the wildcard are ignored, as IOS does (parsers clear them anyway).
    return any(t.version == version and (address & ~t.wildcard) == (t.value & ~t.wildcard) for t in terms)


def _zone_holds(zones: tuple[str, ...], zone: str | None) -> bool:
    if not zones or any(z.lower() in ANY_ZONE_NAMES for z in zones):
        return True
    return zone is not None and zone in zones


def _ports_hold(ranges: tuple[tuple[int, int], ...], port: int) -> bool:
    return any(lo <= port <= hi for lo, hi in ranges)


def service_matches(service: Service, packet: Packet) -> bool:
    """The naive reading of one service against one packet (the BDD encoding's reference)."""
    if service.protocol is not None and service.protocol != packet.protocol:
        return False
    if service.established and not packet.established:
        return False
    if service.protocol in PORT_PROTOCOLS:
        return _ports_hold(service.dst_ports, packet.dst_port) and _ports_hold(service.src_ports, packet.src_port)
    if service.protocol in ICMP_PROTOCOLS:
        return (service.icmp_type is None or service.icmp_type == packet.icmp_type) and (
            service.icmp_code is None or service.icmp_code == packet.icmp_code)
    return True


def rule_matches(rule: Rule, packet: Packet) -> bool:
    """Whether the rule's own match admits the packet (enabled and schedule not considered)."""
    src = int(ipaddress.ip_address(packet.src))
    dst = int(ipaddress.ip_address(packet.dst))
    return (
        _term_holds(rule.sources.terms, packet.version, src)
        and _term_holds(rule.destinations.terms, packet.version, dst)
        and any(service_matches(s, packet) for s in rule.services)
        and _zone_holds(rule.src_zones, packet.src_zone)
        and _zone_holds(rule.dst_zones, packet.dst_zone)
    )


def first_match(acl: Filter, packet: Packet, as_of: date | None = None) -> Rule | None:
    """The naive reference evaluator (no BDDs): the first active rule matching the packet."""
    for rule in acl.rules:
        if is_active(rule, as_of) and rule_matches(rule, packet):
            return rule
    return None


def _service_nonempty(service: Service) -> bool:
    """Whether some packet matches the service (as the BDD encoding reads it)."""
    protocol = service.protocol
    if protocol is None:
        return True
    if not 0 <= protocol <= 255:
        return False
    if protocol in PORT_PROTOCOLS:
        return all(any(max(low, 0) <= min(high, 65535) for low, high in ranges)
                   for ranges in (service.dst_ports, service.src_ports))
    if protocol in ICMP_PROTOCOLS:
        return all(value is None or 0 <= value <= 255 for value in (service.icmp_type, service.icmp_code))
    return True


# Sets of IP versions are bit masks (IPv4 1, IPv6 2): set algebra on small ints, no allocation.
_BIT = {4: 1, 6: 2}
_VERSIONS_IN = {0: (), 1: (4,), 2: (6,), 3: (4, 6)}


def nonempty_versions(rule: Rule) -> frozenset[int]:
    """The IP versions the rule's match has packets of; none when it matches nothing (an
    undefined object, no service, a source of one version and a destination of the other)."""
    return frozenset(_VERSIONS_IN[_version_mask(rule)])


def universal_versions(rule: Rule) -> frozenset[int]:
    """The IP versions of which the rule matches every packet (a catch-all such as
    ``deny ip any any``): any source and destination of that version, any service, any zone."""
    return frozenset(_VERSIONS_IN[_universal_mask(rule)])


def is_catch_all(rule: Rule) -> bool:
    """The explicit form of a default action: the rule matches every packet of every IP version it
    has packets of (any source, destination, service and zone: ``deny ip any any``)."""
    versions = _version_mask(rule)
    return bool(versions) and not versions & ~_universal_mask(rule)


def _version_mask(rule: Rule) -> int:
    if not any(_service_nonempty(s) for s in rule.services):
        return 0
    return _term_versions(rule.sources.terms)[0] & _term_versions(rule.destinations.terms)[0]


def _universal_mask(rule: Rule) -> int:
    if not _zone_free(rule.src_zones) or not _zone_free(rule.dst_zones):
        return 0
    if not any(s.protocol is None and not s.established for s in rule.services):
        return 0
    return _term_versions(rule.sources.terms)[1] & _term_versions(rule.destinations.terms)[1]


_TERM_VERSIONS: dict[int, tuple[tuple[AddressTerm, ...], int, int]] = {}


def _term_versions(terms: tuple[AddressTerm, ...]) -> tuple[int, int]:
    """The versions of the terms, and those with an 'any' term (cached per tuple: object-groups)."""
    known = _TERM_VERSIONS.get(id(terms))
    if known is None or known[0] is not terms:
        if len(_TERM_VERSIONS) > 1 << 16:
            _TERM_VERSIONS.clear()  # bounded: a cache, not a registry
        mask = any_mask = 0
        for term in terms:
            mask |= _BIT[term.version]
            if term.is_any:
                any_mask |= _BIT[term.version]
        known = _TERM_VERSIONS[id(terms)] = (terms, mask, any_mask)
    return known[1], known[2]


def _zone_free(zones: tuple[str, ...]) -> bool:
    return not zones or any(z.lower() in ANY_ZONE_NAMES for z in zones)


# --------------------------------------------------------------------------- packet sets


class PacketSet:
    """An immutable set of packets: a BDD node of one ``HeaderSpace``. Falsy when empty."""

    __slots__ = ("_node", "_space")

    def __init__(self, space: HeaderSpace, node: Any) -> None:
        self._space = space
        self._node = node

    @property
    def space(self) -> HeaderSpace:
        return self._space

    @property
    def node(self) -> Any:
        """The BDD node (dd ``Function``), for code that works on the diagrams directly."""
        return self._node

    def _other(self, other: object) -> Any:
        if not isinstance(other, PacketSet):
            raise TypeError(f"a PacketSet combines with a PacketSet, not {type(other).__name__}")
        if other._space is not self._space:
            raise ValueError("packet sets of different header spaces cannot be combined")
        return other._node

    def __or__(self, other: PacketSet) -> PacketSet:
        return PacketSet(self._space, self._node | self._other(other))

    def __and__(self, other: PacketSet) -> PacketSet:
        return PacketSet(self._space, self._node & self._other(other))

    def __sub__(self, other: PacketSet) -> PacketSet:
        return PacketSet(self._space, self._node & ~self._other(other))

    def __invert__(self) -> PacketSet:
        return PacketSet(self._space, ~self._node)

    def is_empty(self) -> bool:
        return self._node == self._space.bdd.false

    def __bool__(self) -> bool:
        return not self.is_empty()

    def issubset(self, other: PacketSet) -> bool:
        return self._space.implies(self._node, self._other(other))

    def isdisjoint(self, other: PacketSet) -> bool:
        return self._space.implies(self._node, ~self._other(other))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PacketSet):
            return NotImplemented
        return other._space is self._space and self._node == other._node

    def __hash__(self) -> int:
        return hash(self._node)

    def sample(self) -> Packet | None:
        """Some packet in the set (the same one every time), None if the set is empty."""
        return self._space._sample(self._node)

    def __repr__(self) -> str:
        if self.is_empty():
            return "PacketSet(empty)"
        return f"PacketSet(e.g. {self.sample()})"


class _LazySet(PacketSet):
    """A rule's match, or what it decides, built on first use: a filter's evaluation answers most
    questions about a rule without its diagram (see ``FilterEvaluation``)."""

    __slots__ = ("_data", "_position", "_decided")

    def __init__(self, space: HeaderSpace, data: _Evaluated, position: int, decided: bool) -> None:
        self._space = space  # no super().__init__: it would set the node
        self._data = data
        self._position = position
        self._decided = decided

    def __getattr__(self, name: str) -> Any:
        if name != "_node":
            raise AttributeError(name)
        space, data, position = self._space, self._data, self._position
        node = space._decided_node(data, position) if self._decided else space._match_node(data, position)
        self._node = node
        return node


class _Same:
    """Marks a rule that decides its whole match (no earlier rule overlaps it)."""


_SAME = _Same()


@dataclass(eq=False)
class _Evaluated:
    """What ``HeaderSpace.evaluate`` keeps of a filter: facts, positions and diagrams only.

    Nothing here refers back to the header space (no ``PacketSet``), so no reference cycle holds
    BDD nodes: dd.cudd can only free its manager after every node, and the cycle collector would
    otherwise free them in any order and leak the whole manager.
    """

    rules: list[Rule]  # the active rules
    index: PrefixIndex
    versions: list[int]  # per rule, the IP versions (mask) its match has packets of (0: it matches nothing)
    universal: list[int]  # per rule, the versions (mask) of which it matches every packet (a catch-all)
    earlier: list[tuple[int, ...]] = dataclasses.field(default_factory=list)  # per rule, the earlier rules meeting its match
    later: list[tuple[int, ...]] = dataclasses.field(default_factory=list)
    decided: list[Any] = dataclasses.field(default_factory=list)  # a node, _SAME (its match) or None (not built yet)
    pointers: dict[int, int] = dataclasses.field(default_factory=dict)  # node addresses of matches (fast tests)
    decided_pointers: dict[int, int] = dataclasses.field(default_factory=dict)
    witnesses: dict[int, Any] = dataclasses.field(default_factory=dict)  # a point the rule decides (or false)
    holders: dict[int, set[int]] = dataclasses.field(default_factory=dict)  # rules whose addresses may hold that point
    questions: dict[int, int] = dataclasses.field(default_factory=dict)
    sets: dict[tuple[str, int], frozenset[int]] = dataclasses.field(default_factory=dict)
    permitted: Any = None


@dataclass(eq=False)
class FilterEvaluation:
    """A filter's first-match semantics as packet sets.

    Every set is exact, and built only when read: a rule's match, and what a rule decides, are
    diagrams only if someone looks at them. The questions rule analysis asks (``can_match``,
    ``decides_any``, ``decides_within``, ``decides_part_of``, ``match_within``, ``first_within``)
    are answered from facts where they settle it (a rule no earlier rule overlaps decides its
    whole match; a catch-all holds every packet of its IP versions), from a witness packet for a
    rule that overlaps very many earlier ones (a catch-all at the end of 20,000 rules), and from
    the diagrams otherwise. ``permitted`` and ``denied`` are built on first use.
    """

    decided: list[tuple[Rule, PacketSet]]  # per active rule in order: its match minus all earlier matches
    space: HeaderSpace = dataclasses.field(repr=False)
    matches: list[PacketSet] = dataclasses.field(repr=False)  # each active rule's own match
    _data: _Evaluated = dataclasses.field(repr=False)

    @property
    def earlier(self) -> list[tuple[int, ...]]:
        """Per active rule, the positions (in ``decided``) of the earlier rules whose match meets its own."""
        return self._data.earlier

    @property
    def later(self) -> list[tuple[int, ...]]:
        """Per active rule, the positions of the later rules whose match meets its own."""
        return self._data.later

    @property
    def index(self) -> PrefixIndex:
        return self._data.index

    @property
    def permitted(self) -> PacketSet:
        """What some permit rule decides."""
        data = self._data
        if data.permitted is None:
            data.permitted = self.space.union(packets for rule, packets in self.decided if rule.action == "permit").node
        return PacketSet(self.space, data.permitted)

    @property
    def denied(self) -> PacketSet:
        """Everything not permitted: the deny rules' packets and the implicit deny."""
        return ~self.permitted

    def deciding(self, packets: PacketSet) -> list[tuple[Rule, PacketSet]]:
        """The rules that decide some of these packets, with the packets each decides."""
        result = []
        for position, (rule, _) in enumerate(self.decided):
            part = self.decided_part(position, packets)
            if part:
                result.append((rule, part))
        return result

    def decided_part(self, position: int, packets: PacketSet) -> PacketSet:
        """What rule ``position`` decides of ``packets`` (without building all it decides)."""
        if self._data.decided[position] is not None:
            return self.decided[position][1] & packets
        mine = self.matches[position] & packets
        if not mine:
            return mine
        return mine - self.space.union(self.matches[k] & packets for k in self.earlier[position])

    # ------------------------------------------------------------------ questions about rules

    def matches_anything(self, position: int) -> bool:
        """Whether rule ``position``'s match holds any packet (not so for undefined objects, any4 to any6)."""
        return bool(self._data.versions[position])

    def can_match(self, position: int) -> bool:
        """Whether rule ``position`` decides any packet at all (is not covered by earlier rules)."""
        data = self._data
        decided = data.decided[position]
        if decided is _SAME:
            return bool(data.versions[position])
        if decided is not None:
            return decided != self.space.bdd.false
        return self._witness(position) != self.space.bdd.false

    def decides_any(self, position: int, packets: PacketSet) -> bool:
        """Whether rule ``position`` decides some of ``packets``."""
        if self._data.decided[position] is None:
            witness = self._witness(position)
            if witness == self.space.bdd.false or self.space.implies(witness, packets.node):
                return witness != self.space.bdd.false
            if not self._build_if_asked_often(position):
                return self._escape(position, self.matches[position].node & packets.node)[1] is not None
        return not self.decided[position][1].isdisjoint(packets)

    def decides_within(self, position: int, packets: PacketSet) -> bool:
        """Whether everything rule ``position`` decides is in ``packets``."""
        if self._data.decided[position] is None:
            witness = self._witness(position)
            if witness == self.space.bdd.false or not self.space.implies(witness, packets.node):
                return witness == self.space.bdd.false
            if not self._build_if_asked_often(position):
                return self._escape(position, self.matches[position].node & ~packets.node)[1] is None
        return self.decided[position][1].issubset(packets)

    def match_within(self, position: int, other: int) -> bool:
        """Whether rule ``position``'s match is inside rule ``other``'s."""
        data = self._data
        if not data.versions[position] & ~data.universal[other]:
            return True  # a catch-all for every version the rule has packets of
        if self.space.fast_tests:
            return self.space.implies_at(self.space._match_pointer(data, position), self.space._match_pointer(data, other))
        return self.matches[position].issubset(self.matches[other])

    def first_within(self, position: int, others: Iterable[int]) -> int | None:
        """The first of ``others`` whose match holds everything rule ``position`` decides."""
        data = self._data
        holders = None
        if data.decided[position] is None:  # not built: a cover must hold its witness packet
            if self._witness(position) == self.space.bdd.false:
                return next(iter(others), None)  # it decides nothing: anything holds that
            holders = data.holders[position]
        for other in others:
            if not data.versions[position] & ~data.universal[other]:
                return other
            if holders is not None and other not in holders:
                continue
            pointer = self._decided_pointer(position)
            if pointer is not None:
                if self.space.implies_at(pointer, self.space._match_pointer(data, other)):
                    return other
            elif self.decides_within(position, self.matches[other]):
                return other
        return None

    def decides_part_of(self, position: int, other: int) -> bool:
        """Whether rule ``position`` decides some packet that rule ``other`` matches.

        Without building what a wide rule decides: only the earlier rules that overlap both can
        take those packets from it, and the overlap lists name them.
        """
        data = self._data
        decided = data.decided[position]
        if decided is _SAME and data.versions[position] & data.universal[other]:
            return True
        pointer = self._decided_pointer(position)
        if pointer is not None:
            return not self.space.implies_at(pointer, self.space._match_pointer(data, other) ^ 1)
        if decided is not None:
            return not self.decided[position][1].isdisjoint(self.matches[other])
        if other in self._earlier_set(position):
            return False  # an earlier rule: it takes all it matches before this one
        witness = self._witness(position)
        if witness == self.space.bdd.false:
            return False
        if self.space.implies(witness, self.matches[other].node):
            return True
        if self._build_if_asked_often(position):
            return self.decides_part_of(position, other)
        if other < position:
            return False  # an earlier rule that does not overlap it (or it would be in its earlier list)
        # The packets both match, minus those of the rules before ``position`` that overlap both:
        # those are in ``other``'s earlier list (sorted), and in this rule's.
        theirs = self.earlier[other]
        cut = bisect_left(theirs, position)
        common = self._earlier_set(position).intersection(theirs[:cut])
        if not common:  # nothing before it takes those packets: it decides them if the two overlap
            return cut < len(theirs) and theirs[cut] == position
        wanted = self.matches[position].node & self.matches[other].node
        false = self.space.bdd.false
        for k in common:
            if wanted == false:
                break
            wanted = wanted & ~self.matches[k].node
        return wanted != false

    def _decided_pointer(self, position: int) -> int | None:
        """The node address of what the rule decides, if that is built (fast tests only)."""
        data = self._data
        if not self.space.fast_tests or data.decided[position] is None:
            return None
        pointer = data.decided_pointers.get(position)
        if pointer is None:
            pointer = data.decided_pointers[position] = int(self.space._decided_node(data, position)) - 2
        return pointer

    def _earlier_set(self, position: int) -> frozenset[int]:
        sets = self._data.sets
        found = sets.get(("earlier", position))
        if found is None:
            found = sets[("earlier", position)] = frozenset(self.earlier[position])
        return found

    def _build_if_asked_often(self, position: int) -> bool:
        """Build what the rule decides once the questions about it have cost about what building
        it costs (which grows with the earlier rules it overlaps)."""
        questions = self._data.questions
        asked = questions[position] = questions.get(position, 0) + 1
        if asked <= max(_WITNESS_QUESTIONS, len(self.earlier[position]) // 2):
            return False
        self.space._decided_node(self._data, position)
        return True

    def _witness(self, position: int) -> Any:
        """One packet the rule decides (a BDD point), or false if it decides none. It settles most
        questions about the rule at once: it is in, or not in, the packets asked about."""
        data = self._data
        witness = data.witnesses.get(position)
        if witness is None:
            witness, packet = self._escape(position, self.matches[position].node)
            data.witnesses[position] = witness
            data.holders[position] = self.index.containing(packet) if packet is not None else set()
        return witness

    def _escape(self, position: int, wanted: Any) -> tuple[Any, Packet | None]:
        """A packet of ``wanted`` (inside the rule's match) that no earlier rule matches, as a BDD
        point and as a packet; (false, None) if there is none.

        Witness search: take a packet of what is left, find the earlier rules holding it through
        the prefix index, remove them, repeat. After a few rounds it falls back to the exact
        difference with all earlier rules.
        """
        space, false = self.space, self.space.bdd.false
        earlier = self._earlier_set(position)
        for _ in range(_WITNESS_ROUNDS):
            if wanted == false:
                return false, None
            packet = space._sample(wanted)
            assert packet is not None
            point = space.packet(packet).node
            holders = [k for k in self.index.containing(packet) if k in earlier and space.implies(point, self.matches[k].node)]
            if not holders:
                return point, packet
            wanted = wanted & ~space._union(self.matches[k].node for k in holders)
        rest = wanted & ~space._union(self.matches[k].node for k in sorted(earlier, key=self.index.dst_order))
        packet = space._sample(rest)
        return (false, None) if packet is None else (space.packet(packet).node, packet)


_WITNESS_ROUNDS = 16  # witness packets tried before the exact difference with every earlier rule
_WITNESS_QUESTIONS = 8  # questions about a rule (at least) before what it decides is built
_DEFER_AFTER = 16  # earlier overlapping rules beyond which what a rule decides is built on demand


class HeaderSpace:
    """One BDD manager and the encoding of header fields: create one per audit and share it.

    ``backend`` ('cudd' or 'autoref') and ``field_order`` exist for the benchmark's comparisons;
    the defaults are the measured best.
    """

    def __init__(self, *, backend: str | None = None, field_order: Sequence[str] | None = None) -> None:
        self.backend = backend or BACKEND
        if self.backend == "cudd":
            if _cudd is None:
                raise ValueError("dd.cudd is not available")
            self.bdd: Any = _cudd.BDD()
            self.bdd.configure(reordering=False)  # a fixed, measured order; sifting costs more than it saves here
        elif self.backend == "autoref":
            self.bdd = _autoref.BDD()
            self.bdd.configure(reordering=False)
        else:
            raise ValueError(f"unknown BDD backend {self.backend!r}")
        order = tuple(field_order or DEFAULT_ORDER)
        if sorted(order) != sorted(FIELD_WIDTHS):
            raise ValueError(f"field order must name every field once: {sorted(FIELD_WIDTHS)}")
        self.field_order = order
        self._names: dict[str, list[str]] = {}
        self._vars: dict[str, list[Any]] = {}
        for name in order:
            names = [f"{name}_{bit}" for bit in range(FIELD_WIDTHS[name])]
            self.bdd.declare(*names)
            self._names[name] = names
            self._vars[name] = [self.bdd.var(n) for n in names]
        self._version6 = self._vars["version"][0]
        self._established = self._vars["established"][0]
        self._term_cache: dict[tuple[str, int, int], Any] = {}
        self._byte_cache: dict[tuple[str, int, int, int], Any] = {}
        self._range_cache: dict[tuple[str, int, int], Any] = {}
        self._address_cache: dict[tuple[str, int], tuple[tuple[AddressTerm, ...], Any]] = {}
        self._service_cache: dict[Service, Any] = {}
        self._rule_cache: dict[int, tuple[Rule, Any]] = {}
        self._evaluations: dict[tuple[int, date | None], tuple[Filter, _Evaluated]] = {}
        # The wrappers handed out, kept while their user holds them (a strong cache would make a
        # reference cycle through the PacketSets: see _Evaluated).
        self._wrappers: weakref.WeakValueDictionary[tuple[int, date | None], FilterEvaluation] = weakref.WeakValueDictionary()
        self._zone_codes: dict[str, int] = {}
        self._zone_names: dict[int, str] = {}
        self._services_cache: dict[int, tuple[tuple[Service, ...], Any]] = {}
        self._leq, self._manager = _cudd_leq(self.bdd) if self.backend == "cudd" else (None, 0)

    def implies(self, f: Any, g: Any) -> bool:
        """f ⊆ g for two BDD nodes, without building f ∧ ¬g when CUDD's own test is reachable."""
        if self._leq is not None:
            return bool(self._leq(self._manager, int(f) - 2, int(g) - 2))
        return bool(f <= g)

    @property
    def fast_tests(self) -> bool:
        """Whether ``implies_at`` can be used: CUDD's own subset test on node addresses."""
        return self._leq is not None

    def implies_at(self, f: int, g: int) -> bool:
        """f ⊆ g for two node addresses (``int(node) - 2``; ``^ 1`` complements), kept alive by
        their Function objects: the inner loops skip the Function wrappers altogether."""
        return bool(self._leq(self._manager, f, g))

    # ------------------------------------------------------------------ building blocks

    def _set(self, node: Any) -> PacketSet:
        return PacketSet(self, node)

    def everything(self) -> PacketSet:
        return self._set(self.bdd.true)

    def nothing(self) -> PacketSet:
        return self._set(self.bdd.false)

    def new_connections(self) -> PacketSet:
        """Packets that are not part of an established connection: what a flow question asks about."""
        return self._set(~self._established)

    def _value(self, field: str, value: int, wildcard: int = 0) -> Any:
        """The BDD of a field whose bits outside ``wildcard`` equal ``value`` (a cube, cached)."""
        key = (field, value, wildcard)
        node = self._term_cache.get(key)
        if node is None:
            width = FIELD_WIDTHS[field]
            node = self.bdd.true
            # Bottom-up, one byte at a time: byte cubes are shared by many addresses (cached), and
            # each AND puts a byte's few nodes on top of the ones below.
            for chunk in range((width - 1) // 8, -1, -1):
                low = max(width - 8 * (chunk + 1), 0)
                size = width - 8 * chunk - low
                mask = (1 << size) - 1
                node = self._byte(field, chunk, (value >> low) & mask, (wildcard >> low) & mask) & node
            self._term_cache[key] = node
        return node

    def _byte(self, field: str, chunk: int, value: int, wildcard: int) -> Any:
        """The cube of byte ``chunk`` (0 = most significant) of a field."""
        key = (field, -1 - chunk, value, wildcard)  # negative: never a whole-field key
        node = self._byte_cache.get(key)
        if node is None:
            variables = self._vars[field][8 * chunk: 8 * chunk + 8]
            size = len(variables)
            node = self.bdd.true
            for bit in range(size - 1, -1, -1):
                shift = size - 1 - bit
                if not (wildcard >> shift) & 1:
                    var = variables[bit]
                    node = (var if (value >> shift) & 1 else ~var) & node
            self._byte_cache[key] = node
        return node

    def _at_least(self, field: str, low: int) -> Any:
        """field >= low, built from the least significant bit up."""
        variables = self._vars[field]
        width = len(variables)
        node = self.bdd.true
        for bit in range(width - 1, -1, -1):
            var = variables[bit]
            node = (var & node) if (low >> (width - 1 - bit)) & 1 else (var | node)
        return node

    def _at_most(self, field: str, high: int) -> Any:
        variables = self._vars[field]
        width = len(variables)
        node = self.bdd.true
        for bit in range(width - 1, -1, -1):
            var = variables[bit]
            node = (~var | node) if (high >> (width - 1 - bit)) & 1 else (~var & node)
        return node

    def _range(self, field: str, low: int, high: int) -> Any:
        key = (field, low, high)
        node = self._range_cache.get(key)
        if node is None:
            top = (1 << FIELD_WIDTHS[field]) - 1
            low, high = max(low, 0), min(high, top)
            if low > high:
                node = self.bdd.false
            elif low == high:
                node = self._value(field, low)
            else:
                node = (self._at_least(field, low) if low > 0 else self.bdd.true) & (
                    self._at_most(field, high) if high < top else self.bdd.true)
            self._range_cache[key] = node
        return node

    def _ranges(self, field: str, ranges: Iterable[tuple[int, int]]) -> Any:
        node = self.bdd.false
        for low, high in ranges:
            node |= self._range(field, low, high)
        return node

    # ------------------------------------------------------------------ the public constructors

    def _address_node(self, field: str, addresses: AddressSet) -> Any:
        terms = addresses.terms
        # Keyed by the identity of the terms tuple (parsers share one tuple per object-group):
        # hashing a 500-member group on every rule would cost more than the BDD work.
        key = (field, id(terms))
        cached = self._address_cache.get(key)
        if cached is not None and cached[0] is terms:
            return cached[1]
        by_version = {4: self.bdd.false, 6: self.bdd.false}
        for term in terms:
            block = _ADDRESS_FIELDS[(field, term.version)]
            by_version[term.version] |= self._value(block, term.value, term.wildcard)
        node = (~self._version6 & by_version[4]) | (self._version6 & by_version[6])
        self._address_cache[key] = (terms, node)
        return node

    def addresses(self, field: str, addresses: AddressSet) -> PacketSet:
        """Packets whose ``field`` ('src' or 'dst') is in the address set (no terms: no packet)."""
        if field not in ("src", "dst"):
            raise ValueError(f"address field must be 'src' or 'dst', not {field!r}")
        return self._set(self._address_node(field, addresses))

    def _service_node(self, service: Service) -> Any:
        node = self._service_cache.get(service)
        if node is not None:
            return node
        node = self.bdd.true
        protocol = service.protocol
        if not _service_nonempty(service):
            node = self.bdd.false  # out-of-range numbers match no packet (and would not fit the fields)
        elif protocol is not None:
            node = self._value("protocol", protocol)
            if protocol in PORT_PROTOCOLS:
                node &= self._ranges("dst_port", service.dst_ports) & self._ranges("src_port", service.src_ports)
            elif protocol in ICMP_PROTOCOLS:
                if service.icmp_type is not None:
                    node &= self._value("icmp_type", service.icmp_type)
                if service.icmp_code is not None:
                    node &= self._value("icmp_code", service.icmp_code)
        if service.established:
            node &= self._established
        self._service_cache[service] = node
        return node

    def service(self, service: Service) -> PacketSet:
        return self._set(self._service_node(service))

    def _services_node(self, services: Iterable[Service]) -> Any:
        # A rule's services tuple is often shared (one per service object-group, like address terms):
        # its union is kept by the tuple's identity, checked, so a group's union is built once.
        key = id(services)
        cached = self._services_cache.get(key)
        if cached is not None and cached[0] is services:
            return cached[1]
        node = self.bdd.false
        for service in services:
            node |= self._service_node(service)
        if isinstance(services, tuple):
            self._services_cache[key] = (services, node)
        return node

    def services(self, services: Iterable[Service]) -> PacketSet:
        """Packets matching any of the services (none given: no packet)."""
        return self._set(self._services_node(services))

    def _zone_code(self, name: str) -> int:
        code = self._zone_codes.get(name)
        if code is None:
            code = len(self._zone_names) + 1
            while code in self._zone_names:
                code += 1
            if code >= 1 << ZONE_BITS:
                raise ValueError("too many zone names")
            self._zone_codes[name] = code
            self._zone_names[code] = name
        return code

    def _zones_node(self, field: str, zones: Iterable[str] | None) -> Any:
        names = tuple(zones or ())
        if not names or any(z.lower() in ANY_ZONE_NAMES for z in names):
            return self.bdd.true
        node = self.bdd.false
        for name in names:
            node |= self._value(field, self._zone_code(name))
        return node

    def zones(self, src: Iterable[str] | None = None, dst: Iterable[str] | None = None) -> PacketSet:
        """Packets arriving from one of the ``src`` zones and leaving to one of ``dst`` (None: any)."""
        return self._set(self._zones_node("src_zone", src) & self._zones_node("dst_zone", dst))

    def rule_match(self, rule: Rule) -> PacketSet:
        """What the rule's own match admits (whether it is enabled or scheduled is not considered)."""
        return self._set(self._rule_node(rule))

    def _rule_node(self, rule: Rule) -> Any:
        cached = self._rule_cache.get(id(rule))
        if cached is not None and cached[0] is rule:
            return cached[1]
        # Bottom-up (services, then sources, then destinations, as the variables are ordered):
        # each step then rebuilds only the nodes of the part above.
        node = self._address_node("src", rule.sources)
        if node != self.bdd.false:
            node = self._address_node("dst", rule.destinations) & (node & self._services_node(rule.services))
        if rule.src_zones or rule.dst_zones:
            node &= self._zones_node("src_zone", rule.src_zones) & self._zones_node("dst_zone", rule.dst_zones)
        self._rule_cache[id(rule)] = (rule, node)
        return node

    def flow(self, src: AddressSet | None = None, dst: AddressSet | None = None,
             services: Iterable[Service] | None = None) -> PacketSet:
        """Packets from ``src`` to ``dst`` for any of ``services``; None means any."""
        node = self.bdd.true
        if src is not None:
            node &= self._address_node("src", src)
        if dst is not None:
            node &= self._address_node("dst", dst)
        if services is not None:
            node &= self._services_node(services)
        return self._set(node)

    def packet(self, packet: Packet) -> PacketSet:
        """The one packet (fields that do not apply to its protocol left free, as everywhere)."""
        if packet.version not in (4, 6):
            raise ValueError(f"IP version must be 4 or 6, not {packet.version}")
        src, dst = ipaddress.ip_address(packet.src), ipaddress.ip_address(packet.dst)
        if src.version != packet.version or dst.version != packet.version:
            raise ValueError(f"addresses {packet.src}, {packet.dst} are not IPv{packet.version}")
        if not 0 <= packet.protocol <= 255:
            raise ValueError(f"protocol must be 0..255, not {packet.protocol}")
        v = packet.version
        node = (self._version6 if v == 6 else ~self._version6) & self._value(f"src{v}", int(src)) & self._value(f"dst{v}", int(dst))
        node &= self._value("protocol", packet.protocol)
        if packet.protocol in PORT_PROTOCOLS:
            node &= self._value("dst_port", packet.dst_port) & self._value("src_port", packet.src_port)
        elif packet.protocol in ICMP_PROTOCOLS:
            node &= self._value("icmp_type", packet.icmp_type) & self._value("icmp_code", packet.icmp_code)
        node &= self._established if packet.established else ~self._established
        node &= self._value("src_zone", self._zone_code(packet.src_zone) if packet.src_zone is not None else 0)
        node &= self._value("dst_zone", self._zone_code(packet.dst_zone) if packet.dst_zone is not None else 0)
        return self._set(node)

    # ------------------------------------------------------------------ evaluation

    def evaluate(self, acl: Filter, as_of: date | None = None) -> FilterEvaluation:
        """First-match semantics of the filter (cached per filter object and date).

        What a rule decides is its match minus the matches of the earlier rules that overlap it,
        which a prefix index proposes and one BDD test each confirms. Not a running union of all
        earlier rules: every wide ('any') rule would have to be merged into it whole, and that
        costs the union's size each time (benchmarks/README.md).
        """
        key = (id(acl), as_of)
        cached = self._evaluations.get(key)
        if cached is not None and cached[0] is acl:
            data = cached[1]
        else:
            with paused_gc():
                data = self._evaluate(acl, as_of)
            self._evaluations[key] = (acl, data)
        wrapper = self._wrappers.get(key)
        if wrapper is None or wrapper._data is not data:
            wrapper = self._wrappers[key] = self._wrap(data)
        return wrapper

    def _evaluate(self, acl: Filter, as_of: date | None) -> _Evaluated:
        active = [rule for rule in acl.rules if is_active(rule, as_of)]
        versions = [_version_mask(rule) for rule in active]
        universal = [_universal_mask(rule) if versions[i] else 0 for i, rule in enumerate(active)]
        data = _Evaluated(active, PrefixIndex(active, universal), versions, universal)
        data.earlier = [self._earlier_overlaps(data, i) for i in range(len(active))]
        later: dict[int, list[int]] = {}
        for i, positions in enumerate(data.earlier):
            for k in positions:
                later.setdefault(k, []).append(i)
        data.later = [tuple(later[i]) if i in later else () for i in range(len(active))]
        data.decided = [self._decided(data, i) for i in range(len(active))]
        data.index.forget_sides()
        return data

    def _wrap(self, data: _Evaluated) -> FilterEvaluation:
        decided: list[tuple[Rule, PacketSet]] = [
            (rule, self._set(node) if node is not None and node is not _SAME else _LazySet(self, data, i, True))
            for i, (rule, node) in enumerate(zip(data.rules, data.decided, strict=True))]
        matches: list[PacketSet] = [_LazySet(self, data, i, False) for i in range(len(data.rules))]
        return FilterEvaluation(decided, self, matches, data)

    def _match_node(self, data: _Evaluated, position: int) -> Any:
        return self._rule_node(data.rules[position])

    def _match_pointer(self, data: _Evaluated, position: int) -> int:
        pointer = data.pointers.get(position)
        if pointer is None:
            pointer = data.pointers[position] = int(self._rule_node(data.rules[position])) - 2
        return pointer

    def _decided_node(self, data: _Evaluated, position: int) -> Any:
        node = data.decided[position]
        if node is _SAME:
            return self._match_node(data, position)
        if node is None:
            order = sorted(data.earlier[position], key=data.index.dst_order)
            node = self._match_node(data, position) & ~self._union(self._match_node(data, k) for k in order)
            data.decided[position] = node
        return node

    def _earlier_overlaps(self, data: _Evaluated, position: int) -> tuple[int, ...]:
        """The earlier rules whose match meets this one's: candidates from the prefix index, each
        settled by the facts (a catch-all meets every rule of its versions) or a BDD test."""
        mine = data.versions[position]
        if not mine:
            return ()
        versions, universal, mine_universal = data.versions, data.universal, data.universal[position]
        found, pending = [], []
        for k in data.index.candidates(position):
            if k > position or not mine & versions[k]:
                continue
            if mine & universal[k] or mine_universal & versions[k]:
                found.append(k)
            else:
                pending.append(k)
        if pending and self.fast_tests:
            leq, manager, pointer = self._leq, self._manager, self._match_pointer
            outside = pointer(data, position) ^ 1
            found.extend(k for k in pending if not leq(manager, pointer(data, k), outside))
        elif pending:
            outside = ~self._match_node(data, position)
            found.extend(k for k in pending if not self.implies(self._match_node(data, k), outside))
        return tuple(sorted(found)) if found else ()

    def _decided(self, data: _Evaluated, position: int) -> Any:
        """What the rule decides: _SAME (its match), a node, or None (built on demand)."""
        earlier = data.earlier[position]
        if not data.versions[position]:
            return self.bdd.false
        if not earlier:
            return _SAME
        if any(k < position and not data.versions[position] & ~versions for k, versions in data.index.universal.items()):
            return self.bdd.false  # an earlier catch-all takes every packet it could match
        if len(earlier) > _DEFER_AFTER:
            return None
        mine = self._match_node(data, position)
        if len(earlier) == 1:
            return mine & ~self._match_node(data, earlier[0])
        return mine & ~self._union(self._match_node(data, k) for k in sorted(earlier, key=data.index.dst_order))

    def _union(self, nodes: Iterable[Any]) -> Any:
        """The union of many sets, merged pairwise: each merge then costs about the size of its
        operands, where adding one set at a time to a growing union costs that union's size.
        Given in destination order, neighbours share the top of the diagram and merge cheaply."""
        level = [n for n in nodes if n != self.bdd.false]
        if not level:
            return self.bdd.false
        while len(level) > 1:
            merged = [a | b for a, b in zip(level[::2], level[1::2], strict=False)]
            if len(level) % 2:
                merged.append(level[-1])
            level = merged
        return level[0]

    def union(self, sets: Iterable[PacketSet]) -> PacketSet:
        """The union of many packet sets (faster than or-ing them one by one)."""
        return self._set(self._union(s.node for s in sets))

    # ------------------------------------------------------------------ samples

    def _sample(self, node: Any) -> Packet | None:
        if node == self.bdd.false:
            return None
        cube = self._first_cube(node)

        def field(name: str) -> int:
            value = 0
            for var in self._names[name]:
                value = (value << 1) | int(cube.get(var, False))
            return value

        version = 6 if cube.get(self._names["version"][0], False) else 4
        to_text = ipaddress.IPv6Address if version == 6 else ipaddress.IPv4Address
        protocol = field("protocol")
        ports = protocol in PORT_PROTOCOLS
        icmp = protocol in ICMP_PROTOCOLS
        return Packet(
            version=version, src=str(to_text(field(f"src{version}"))), dst=str(to_text(field(f"dst{version}"))),
            protocol=protocol, src_port=field("src_port") if ports else 0, dst_port=field("dst_port") if ports else 0,
            icmp_type=field("icmp_type") if icmp else 0, icmp_code=field("icmp_code") if icmp else 0,
            established=bool(cube.get(self._names["established"][0], False)),
            src_zone=self._zone_name(field("src_zone")), dst_zone=self._zone_name(field("dst_zone")),
        )

    def _zone_name(self, code: int) -> str | None:
        if code == 0:
            return None
        if code not in self._zone_names:  # a code no name was given for: name it, so it round-trips
            name = f"zone#{code}"
            self._zone_names[code] = name
            self._zone_codes[name] = code
        return self._zone_names[code]

    def _first_cube(self, node: Any) -> dict[str, bool]:
        """One path to 'true', preferring 0 at each variable: deterministic and cheap."""
        bdd = self.bdd
        cube: dict[str, bool] = {}
        while node != bdd.true:
            low, high = _cofactors(bdd, node)
            if low != bdd.false:
                cube[node.var] = False
                node = low
            else:
                cube[node.var] = True
                node = high
        return cube



# --------------------------------------------------------------------------- overlap candidates

# Bucket levels (prefix lengths) of the prefix index, per IP version; a prefix is filed under
# the longest level not longer than itself.
_LEVELS = {4: (0, 8, 16, 24, 32), 6: (0, 16, 32, 48, 64, 80, 96, 112, 128)}
_LEVEL_OF = {v: [max(lv for lv in levels if lv <= n) for n in range(levels[-1] + 1)] for v, levels in _LEVELS.items()}


def covering_prefix(term: AddressTerm) -> tuple[int, int]:
    """The longest prefix holding every address of the term: (length, its top ``length`` bits).

    A non-contiguous wildcard is covered by the prefix above its highest don't-care bit.
    """
    free = term.wildcard.bit_length()
    return term.bits - free, (term.value & ~term.wildcard) >> free


@dataclass(frozen=True)
class _Side:
    """A lookup of one side (source or destination) of a rule in the index."""

    specific: frozenset[int]  # rules with a prefix of at least /8 (IPv6 /16) nested with one of ours
    versions: int  # IP versions (mask) of our terms: rules that are wide there meet us too
    wide: int  # versions (mask) where we are wide ourselves: every rule of that version meets us


class _ByService:
    """Rule positions filed by coarse service class (see ``service_classes``), so that a lookup
    takes only the rules whose services may meet the asking rule's."""

    def __init__(self) -> None:
        self._by_class: dict[tuple[int, int] | None, set[int]] = {}
        self._cache: dict[frozenset[tuple[int, int]] | None, frozenset[int]] = {}

    def add(self, classes: frozenset[tuple[int, int]] | None, position: int) -> None:
        for key in (None,) if classes is None else classes:
            self._by_class.setdefault(key, set()).add(position)

    def meeting(self, classes: frozenset[tuple[int, int]] | None) -> frozenset[int]:
        found = self._cache.get(classes)
        if found is None:
            keys = self._by_class.keys() if classes is None else (None, *classes)
            found = self._cache[classes] = frozenset().union(*(self._by_class.get(k, ()) for k in keys))
        return found


def service_classes(rule: Rule) -> frozenset[tuple[int, int]] | None:
    """Coarse service keys: (protocol, destination port) for single tcp/udp/sctp ports,
    (protocol, -1) for other protocols; None when any protocol or a port range may be involved.
    Two rules can share a packet only if one of them is None or their keys meet."""
    keys: set[tuple[int, int]] = set()
    for service in rule.services:
        protocol = service.protocol
        if protocol is None:
            return None
        if protocol in PORT_PROTOCOLS:
            if len(service.dst_ports) > 8 or any(low != high for low, high in service.dst_ports):
                return None
            keys.update((protocol, low) for low, _ in service.dst_ports)
        else:
            keys.add((protocol, -1))
    return frozenset(keys)


def _file_terms(terms: tuple[AddressTerm, ...]) -> tuple[list[tuple[int, int, int, int]], int, int]:
    """How a side's terms are filed: (version, level, length, prefix) of the specific ones, the
    versions present (mask), and the versions with a wide term (mask)."""
    specific: list[tuple[int, int, int, int]] = []
    versions = wide = 0
    for term in terms:
        versions |= _BIT[term.version]
        length, prefix = covering_prefix(term)
        level = _LEVEL_OF[term.version][length]
        if level == 0:
            wide |= _BIT[term.version]
        else:
            specific.append((term.version, level, length, prefix))
    return specific, versions, wide


class PrefixIndex:
    """Which rules of a filter might overlap a given rule: their address prefixes, sorted.

    It only proposes candidates (rules whose source prefixes and destination prefixes are nested
    with ours); callers confirm each with an exact BDD test. It exists so that a 20,000-rule
    filter costs neither 20,000 x 20,000 tests nor a running union into which every wide rule
    must be merged whole. Wide prefixes (shorter than /8, IPv6 /16: 'any' mostly) are kept apart,
    filed by service: they meet every lookup, and set algebra on them keeps a lookup
    proportional to the specific matches instead of the number of 'any' rules.
    """

    def __init__(self, rules: Sequence[Rule], universal: Sequence[int] | None = None) -> None:
        self._rules = rules
        self._classes = [service_classes(rule) for rule in rules]
        # Catch-alls meet every rule of their versions (mask): kept out of the buckets, added to every answer.
        self.universal = {i: versions for i, versions in enumerate(universal or ()) if versions}
        entries: dict[tuple[str, int, int], list[tuple[int, int]]] = {}  # (field, version, level) -> (top bits, position)
        self._wide: dict[tuple[str, int], _ByService] = {}  # rules with a wide prefix there
        self._every: dict[tuple[str, int], _ByService] = {}  # rules with any prefix there
        self._filings: dict[tuple[str, int], tuple[tuple[AddressTerm, ...], list[tuple[int, int, int, int]], int, int]] = {}
        for position, rule in enumerate(rules):
            if position in self.universal:
                continue
            classes = self._classes[position]
            for field, addresses in (("src", rule.sources), ("dst", rule.destinations)):
                _, specific, versions, wide_versions = self._filing(field, addresses.terms)
                for version, level, length, prefix in specific:
                    entries.setdefault((field, version, level), []).append((prefix >> (length - level), position))
                for version in _VERSIONS_IN[versions]:
                    self._every.setdefault((field, version), _ByService()).add(classes, position)
                for version in _VERSIONS_IN[wide_versions]:
                    self._wide.setdefault((field, version), _ByService()).add(classes, position)
        # Per (field, version) and level: the positions by prefix (a lookup of a longer prefix is
        # one dict access per level), and the prefixes sorted with positions alongside (a lookup
        # of a shorter prefix is one bisection and one slice per level).
        self._levels: dict[tuple[str, int], list[tuple[int, dict[int, list[int]], list[int], list[int]]]] = {}
        for (field, version, level), pairs in sorted(entries.items()):
            pairs.sort()
            by_prefix: dict[int, list[int]] = {}
            for prefix, position in pairs:
                by_prefix.setdefault(prefix, []).append(position)
            self._levels.setdefault((field, version), []).append(
                (level, by_prefix, [p for p, _ in pairs], [q for _, q in pairs]))
        self._dst_order = [min(((t.version, t.value) for t in r.destinations.terms), default=(7, 0)) for r in rules]
        self._sides: dict[tuple[str, int], tuple[tuple[AddressTerm, ...], _Side]] = {}

    def dst_order(self, position: int) -> tuple[int, int]:
        """A sort key: the rule's lowest destination (version first)."""
        return self._dst_order[position]

    def _filing(self, field: str, terms: tuple[AddressTerm, ...]) -> tuple[
            tuple[AddressTerm, ...], list[tuple[int, int, int, int]], int, int]:
        """``_file_terms`` once per terms tuple (an object-group's terms are read once)."""
        known = self._filings.get((field, id(terms)))
        if known is None or known[0] is not terms:
            known = self._filings[(field, id(terms))] = (terms, *_file_terms(terms))
        return known

    def _lookup(self, field: str, version: int, length: int, prefix: int, found: set[int]) -> None:
        """Add the rules with a specific prefix of ``field`` nested with this one, either way."""
        for level, by_prefix, keys, positions in self._levels.get((field, version), ()):
            if level <= length:  # stored prefixes at most as long: ours must be inside theirs
                inside = by_prefix.get(prefix >> (length - level))
                if inside:
                    found.update(inside)
                continue
            low = prefix << (level - length)  # longer stored prefixes: those inside ours
            start = bisect_left(keys, low)
            stop = bisect_left(keys, low + (1 << (level - length)), start)
            if start < stop:
                found.update(positions[start:stop])

    def forget_sides(self) -> None:
        """Drop the per-object-group lookups once every rule's overlaps are known: they serve the
        evaluation (rules sharing a group look it up once) and, kept for every filter of an estate,
        were most of the audit's memory (600 MiB of 1 GiB for 90,000 rules). Later lookups rebuild them."""
        self._sides.clear()

    def _side(self, field: str, addresses: AddressSet) -> _Side:
        """One side's lookup (cached per terms tuple: parsers share one per object-group)."""
        terms = addresses.terms
        cached = self._sides.get((field, id(terms)))
        if cached is not None and cached[0] is terms:
            return cached[1]
        _, specific, versions, wide_versions = self._filing(field, terms)
        found: set[int] = set()
        for version, _, length, prefix in specific:
            self._lookup(field, version, length, prefix, found)
        side = _Side(frozenset(found), versions, wide_versions)
        self._sides[(field, id(terms))] = (terms, side)
        return side

    def _filed(self, table: dict[tuple[str, int], _ByService], field: str, version: int,
               classes: frozenset[tuple[int, int]] | None) -> frozenset[int]:
        filed = table.get((field, version))
        return filed.meeting(classes) if filed is not None else frozenset()

    def _members(self, field: str, side: _Side, classes: frozenset[tuple[int, int]] | None) -> set[int]:
        """Every rule meeting the side (and maybe the service), spelled out: for wide sides."""
        result = set(side.specific)
        for version in _VERSIONS_IN[side.versions]:
            result |= self._filed(self._wide, field, version, classes)
        for version in _VERSIONS_IN[side.wide]:
            result |= self._filed(self._every, field, version, classes)
        return result

    def _meets(self, field: str, side: _Side, positions: frozenset[int] | set[int],
               classes: frozenset[tuple[int, int]] | None) -> set[int]:
        """Those of ``positions`` that meet the side (``positions`` is the smaller set)."""
        result = side.specific & positions
        for version in _VERSIONS_IN[side.versions]:
            result |= self._filed(self._wide, field, version, classes) & positions
        for version in _VERSIONS_IN[side.wide]:
            result |= self._filed(self._every, field, version, classes) & positions
        return set(result)

    def candidates(self, position: int) -> set[int]:
        """Positions of the rules (itself excluded) whose addresses may meet rule ``position``'s."""
        rule = self._rules[position]
        found = self._between(self._side("src", rule.sources), self._side("dst", rule.destinations), self._classes[position])
        found.update(self.universal)
        found.discard(position)
        return found

    def _between(self, src: _Side, dst: _Side, classes: frozenset[tuple[int, int]] | None) -> set[int]:
        if src.wide and dst.wide:
            return self._meets("dst", dst, self._members("src", src, classes), classes)
        if src.wide or dst.wide:  # spell out the narrow side, test it against the wide one
            narrow, wide = (("dst", dst), ("src", src)) if src.wide else (("src", src), ("dst", dst))
            return self._meets(*wide, self._members(*narrow, classes), classes)
        # specific on both sides: the wide rules only meet us through the other side
        found = self._meets("dst", dst, src.specific, classes) | self._meets("src", src, dst.specific, classes)
        for version in _VERSIONS_IN[src.versions & dst.versions]:
            found |= self._filed(self._wide, "src", version, classes) & self._filed(self._wide, "dst", version, classes)
        return found

    def containing(self, packet: Packet) -> set[int]:
        """Positions of the rules whose addresses (and service class) may hold the packet."""
        src = AddressTerm(packet.version, int(ipaddress.ip_address(packet.src)), 0)
        dst = AddressTerm(packet.version, int(ipaddress.ip_address(packet.dst)), 0)
        port = packet.dst_port if packet.protocol in PORT_PROTOCOLS else -1
        found = self._between(self._side_of(src, "src"), self._side_of(dst, "dst"), frozenset({(packet.protocol, port)}))
        found.update(i for i, versions in self.universal.items() if _BIT[packet.version] & versions)
        return found

    def _side_of(self, term: AddressTerm, field: str) -> _Side:
        found: set[int] = set()
        self._lookup(field, term.version, term.bits, term.value, found)
        return _Side(frozenset(found), _BIT[term.version], 0)


def _cudd_leq(bdd: Any) -> tuple[Any, int]:
    """CUDD's ``Cudd_bddLeq`` (f ⊆ g, stopping at the first counterexample, creating no node),
    which dd does not expose: dd's ``f <= g`` builds ``g ∨ ¬f`` in full, 3-10x slower here.

    Called through ctypes on the library dd itself loaded. The manager pointer is read from the
    ``dd.cudd.BDD`` object, at the offset dd 0.6's generated C code declares; the layout is
    cross-checked against a ``Function`` (its manager and node fields, node = ``int(f) - 2``)
    and the result against known answers. Any mismatch, and the caller uses dd's operators.
    Returns the function (manager, f, g) -> int and the manager's address, or (None, 0).
    """
    import ctypes

    try:
        library = ctypes.CDLL(_cudd.__file__)
        leq = library.Cudd_bddLeq
        leq.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        leq.restype = ctypes.c_int
        word = ctypes.sizeof(ctypes.c_void_p)
        manager = ctypes.c_void_p.from_address(id(bdd) + 3 * word).value  # PyObject_HEAD, vtable, manager
        probe = bdd.true & bdd.var(next(iter(bdd.vars)))
        fields = [ctypes.c_void_p.from_address(id(probe) + k * word).value for k in (5, 6)]  # manager, node
        if manager is None or fields != [manager, int(probe) - 2]:
            return None, 0
        x, y = bdd.var("version_0"), bdd.var("established_0")
        checks = [(x, x | y, 1), (x | y, x, 0), (x & y, x, 1), (x, ~x, 0), (bdd.false, x, 1), (x, bdd.true, 1)]
        if any(leq(manager, int(f) - 2, int(g) - 2) != want for f, g, want in checks):
            return None, 0
    except (OSError, AttributeError, ValueError, TypeError):
        return None, 0
    return leq, manager


def _cofactors(bdd: Any, node: Any) -> tuple[Any, Any]:
    """The functions below a (possibly complemented) node for its variable 0 and 1."""
    _, low, high = bdd.succ(node)
    return (~low, ~high) if node.negated else (low, high)
