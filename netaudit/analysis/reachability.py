"""Which packets get from one zone to another, along which paths, permitted by which rule on each hop.

A path is a sequence of hops through the zone graph: segment → device → segment … Each hop is the
set of packets the device lets from its ingress attachment to its egress attachment (interface ACLs
in and out, an ASA's security levels where no ACL is bound, same-security rules, VPN traffic that
bypasses the interface ACL). The packets of a path are the source zone's packets intersected with
every hop, so a path is only kept while some packet still gets through. Routing is not modelled:
every simple path counts (topology.md), so a finding is never lost because routing was unclear. Two
prunings keep paths meaningful without losing packets: a path never re-enters its source zone (the
zone's packets already start from each of its segments), and the Internet is an end, never a transit
between two of our devices (site-to-site traffic over it is carried by IPsec, not routed in clear).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from netaudit.graph import Attachment, Segment, ZoneGraph, effective_filter
from netaudit.headerspace import FilterEvaluation, HeaderSpace, PacketSet, is_active
from netaudit.model import AddressSet, AddressTerm, Device, Filter, Interface, Rule
from netaudit.topology import Topology, Zone, is_public

MAX_HOPS = 10
MAX_PATHS_PER_SOURCE = 5000


# --------------------------------------------------------------------------- zone address spaces


def network_terms(networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> tuple[AddressTerm, ...]:
    return tuple(AddressTerm.from_network(str(n)) for n in networks)


_NON_PUBLIC_V4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "0.0.0.0/8", "240.0.0.0/4"]
_NON_PUBLIC_V6 = ["fc00::/7", "fe80::/10", "ff00::/8", "::/8"]


def _complement(all_space: str, holes: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    remaining = [ipaddress.ip_network(all_space)]
    for hole_text in holes:
        hole = ipaddress.ip_network(hole_text)
        next_remaining = []
        for net in remaining:
            if hole.subnet_of(net):  # type: ignore[arg-type]
                next_remaining.extend(net.address_exclude(hole))  # type: ignore[arg-type]
            elif not net.subnet_of(hole):  # type: ignore[arg-type]
                next_remaining.append(net)
        remaining = next_remaining
    return sorted(remaining, key=lambda n: (n.network_address, n.prefixlen))


PUBLIC_ADDRESSES = AddressSet(network_terms(_complement("0.0.0.0/0", _NON_PUBLIC_V4) + _complement("::/0", _NON_PUBLIC_V6)), "public addresses")


def zone_addresses(topology: Topology, zone: Zone) -> AddressSet:
    """The addresses of a zone as written (its cidrs; every public address for a catch-all external zone)."""
    if zone.is_catch_all_external:
        return PUBLIC_ADDRESSES
    return AddressSet(network_terms(list(zone.cidrs)), zone.name)


# --------------------------------------------------------------------------- hops


@dataclass(frozen=True, slots=True)
class Step:
    """One filtering point (or the lack of one) on a hop, with the packets it lets through."""

    kind: str  # 'acl-in', 'acl-out', 'global', 'vpn-filter', 'security-level', 'same-security', 'vpn-bypass', 'no-filter', 'undefined-acl'
    permitted: PacketSet
    evaluation: FilterEvaluation | None = None
    filter_name: str | None = None
    binding_line: int | None = None
    explicit: bool = False  # a rule list decides here (as opposed to an implicit permit)

    @property
    def implicit_reason(self) -> str:
        return self.implicit_reason_in("en")

    def implicit_reason_in(self, lang: str) -> str:
        """Why packets pass here without a rule, in the report language."""
        if self.kind == "undefined-acl":
            return {"en": f"ACL {self.filter_name} is bound but not defined (permits everything)",
                    "zh-TW": f"ACL {self.filter_name} 已套用但未定義（允許所有流量）"}[lang]
        reasons = IMPLICIT_REASONS.get(self.kind)
        return reasons[lang] if reasons else self.kind


IMPLICIT_REASONS = {
    "security-level": {"en": "ASA security level (higher to lower, no ACL bound)", "zh-TW": "ASA 安全等級（由高至低，未套用 ACL）"},
    "same-security": {"en": "ASA same-security-traffic permit", "zh-TW": "ASA same-security-traffic permit（同等級互通）"},
    "vpn-bypass": {"en": "VPN traffic bypasses the interface ACL (sysopt connection permit-vpn)",
                   "zh-TW": "VPN 流量略過介面 ACL（sysopt connection permit-vpn）"},
    "no-filter": {"en": "no filter bound", "zh-TW": "未套用過濾規則"},
}


@dataclass(slots=True)
class Hop:
    device: Device
    ingress: Attachment
    egress: Attachment
    steps: list[Step]
    permitted: PacketSet = field(init=False)  # what every step lets through

    def __post_init__(self) -> None:
        result = self.steps[0].permitted
        for step in self.steps[1:]:
            result = result & step.permitted
        self.permitted = result

    @property
    def filtering(self) -> bool:
        return any(step.explicit or step.kind in {"security-level", "same-security"} for step in self.steps)


@dataclass(frozen=True, slots=True)
class Decision:
    """Why a hop lets some packets through: the permitting rule, or the implicit reason."""

    device: str
    ingress: str
    egress: str
    step: Step
    rule: Rule | None
    packets: PacketSet

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"device": self.device, "ingress": self.ingress, "egress": self.egress, "filter": self.step.filter_name}
        if self.rule is not None:
            data |= {"line": self.rule.ref.line, "action": self.rule.action, "rule": self.rule.ref.text, "file": self.rule.ref.file}
        else:
            data |= {"line": None, "action": "permit", "reason": self.step.implicit_reason, "reason_zh": self.step.implicit_reason_in("zh-TW")}
        return data


def attachment_label(attachment: Attachment) -> str:
    if attachment.interface is not None:
        return attachment.interface.label
    return attachment.via


class HopBuilder:
    """Builds (and caches) the hop between two attachments of one device, per platform semantics."""

    def __init__(self, space: HeaderSpace, as_of: date | None,
                 evaluate: Callable[[Filter, date | None], FilterEvaluation] | None = None) -> None:
        self.space = space
        self.as_of = as_of
        self.evaluate = evaluate or space.evaluate  # a query passes its restricted evaluation
        self._cache: dict[tuple[str, str, str, str, str], Hop] = {}

    def hop(self, device: Device, ingress: Attachment, egress: Attachment) -> Hop:
        key = (device.name, ingress.segment, ingress.via, egress.segment, egress.via)
        if key not in self._cache:
            self._cache[key] = Hop(device, ingress, egress, self._steps(device, ingress, egress))
        return self._cache[key]

    def _acl_step(self, device: Device, interface: Interface | None, direction: str, kind: str) -> Step | None:
        binding = effective_filter(device, interface, direction)
        if binding is None:
            undefined = self._undefined_binding(device, interface, direction)
            if undefined is not None:
                return Step("undefined-acl", self.space.everything(), None, undefined, None)
            return None
        acl = device.filters.get(binding.filter_name)
        if acl is None:  # bound, undefined, and the platform does not permit: nothing passes
            return Step(kind, self.space.nothing(), None, binding.filter_name, binding.ref.line, True)
        evaluation = self.evaluate(acl, self.as_of)
        return Step(kind, evaluation.permitted, evaluation, acl.name, binding.ref.line, True)

    @staticmethod
    def _undefined_binding(device: Device, interface: Interface | None, direction: str) -> str | None:
        if interface is None:
            return None
        for binding in device.bindings:
            if (binding.use == "interface" and binding.direction == direction and binding.interface in (interface.name, interface.nameif)
                    and binding.filter_name not in device.filters and binding.undefined_permits):
                return binding.filter_name
        return None

    def _global_step(self, device: Device) -> Step | None:
        for binding in device.bindings:
            if binding.use == "interface" and binding.interface is None and binding.filter_name in device.filters:
                evaluation = self.evaluate(device.filters[binding.filter_name], self.as_of)
                return Step("global", evaluation.permitted, evaluation, binding.filter_name, binding.ref.line, True)
        return None

    def _vpn_filter_step(self, device: Device, pool_segment: str) -> Step | None:
        pool_name = pool_segment.rsplit(":", 1)[-1]
        filters = [v.filter_name for v in device.vpns if v.kind == "remote-access" and pool_name in v.pools and v.filter_name]
        unfiltered = any(not v.filter_name for v in device.vpns if v.kind == "remote-access" and pool_name in v.pools)
        if not filters or unfiltered:
            return None
        permitted = self.space.nothing()
        evaluation = None
        for name in filters:
            acl = device.filters.get(name)
            if acl is not None:
                evaluation = self.evaluate(acl, self.as_of)
                permitted = permitted | evaluation.permitted
        return Step("vpn-filter", permitted, evaluation, filters[0], None, True)

    def _steps(self, device: Device, ingress: Attachment, egress: Attachment) -> list[Step]:
        everything = self.space.everything()
        steps: list[Step] = []
        out_step = self._acl_step(device, egress.interface, "out", "acl-out")
        if device.security_levels:
            steps.extend(self._asa_ingress(device, ingress, egress))
        else:
            in_step = self._acl_step(device, ingress.interface, "in", "acl-in")
            if in_step is not None:
                steps.append(in_step)
        if out_step is not None:
            steps.append(out_step)
        return steps or [Step("no-filter", everything)]

    def _asa_ingress(self, device: Device, ingress: Attachment, egress: Attachment) -> list[Step]:
        """ASA: the VPN bypass, same-security rules, the interface ACL (then the global one), or security levels."""
        everything, nothing = self.space.everything(), self.space.nothing()
        in_intf, out_intf = ingress.interface, egress.interface
        if ingress.via == "vpn" and device.vpn_bypasses_acl:
            vpn_filter = self._vpn_filter_step(device, ingress.segment)
            return [vpn_filter or Step("vpn-bypass", everything)]
        in_level = in_intf.security_level if in_intf and in_intf.security_level is not None else 0
        out_level = out_intf.security_level if out_intf and out_intf.security_level is not None else 0
        same_interface = in_intf is not None and out_intf is not None and in_intf.name == out_intf.name
        if same_interface and not device.same_security_intra:
            return [Step("same-security", nothing)]
        if not same_interface and in_level == out_level and not device.same_security_inter:
            return [Step("same-security", nothing)]
        steps = []
        in_step = self._acl_step(device, in_intf, "in", "acl-in")
        global_step = self._global_step(device)
        if in_step is not None and in_step.evaluation is not None and global_step is not None:
            # interface rules first, then the global rules, then the implicit deny
            permitted = in_step.permitted | (global_step.permitted - self._decided(in_step.evaluation))
            steps.append(Step("acl-in", permitted, in_step.evaluation, in_step.filter_name, in_step.binding_line, True))
        elif in_step is not None:
            steps.append(in_step)
        elif global_step is not None:
            steps.append(global_step)
        elif in_level > out_level or (in_level == out_level):
            steps.append(Step("security-level" if in_level > out_level else "same-security", everything))
        else:
            steps.append(Step("security-level", nothing))
        return steps

    def _decided(self, evaluation: FilterEvaluation) -> PacketSet:
        decided = self.space.nothing()
        for _, packets in evaluation.decided:
            decided = decided | packets
        return decided


# --------------------------------------------------------------------------- paths


class _DestinationIndex:
    """Which rules of a filter can decide packets bound for a prefix, by their destinations.

    A path's packets are all destined to its target segment, so on each hop only the rules whose
    destination meets that segment can decide any of them; the index finds those without a BDD
    operation per rule (a filter of thousands of rules is explained for tens of thousands of paths).
    It only narrows the rules to look at: each is still asked exactly what it decides.
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.by_top16: dict[int, list[int]] = {}  # IPv4 destination terms that fix the top 16 bits
        self.wide: list[int] = []  # rules with an IPv4 destination term wider than that
        self.terms: list[list[tuple[int, int]]] = []  # per rule, its IPv4 destination terms (value, wildcard)
        self.sources: list[list[tuple[int, int]]] = []  # per rule, its IPv4 source terms
        for position, rule in enumerate(rules):
            terms = [(t.value, t.wildcard) for t in rule.destinations.terms if t.version == 4]
            self.terms.append(terms)
            self.sources.append([(t.value, t.wildcard) for t in rule.sources.terms if t.version == 4])
            if any(wildcard >> 16 for _, wildcard in terms):
                self.wide.append(position)
            for top in sorted({value >> 16 for value, wildcard in terms if not wildcard >> 16}):
                self.by_top16.setdefault(top, []).append(position)

    def candidates(self, network: ipaddress.IPv4Network, sources: Sequence[ipaddress.IPv4Network] | None = None) -> list[int] | None:
        """Positions (ascending) of the rules with an IPv4 destination term meeting ``network`` and,
        when ``sources`` are given, an IPv4 source term meeting one of them (None for a destination
        prefix shorter than /8: every rule)."""
        if network.prefixlen < 8:
            return None
        found = set(self.wide)
        first = int(network.network_address) >> 16
        for top in range(first, first + (1 << max(0, 16 - network.prefixlen))):
            found.update(self.by_top16.get(top, ()))
        destination = [_prefix_bits(network)]
        wanted = None if sources is None else [_prefix_bits(n) for n in sources]
        return sorted(p for p in found if _meets(self.terms[p], destination) and (wanted is None or _meets(self.sources[p], wanted)))


def _prefix_bits(network: ipaddress.IPv4Network) -> tuple[int, int]:
    return int(network.network_address), int(network.hostmask)


def _meets(terms: list[tuple[int, int]], prefixes: list[tuple[int, int]]) -> bool:
    """Whether some wildcard term (value, wildcard) and some prefix (value, host mask) share an address:
    they agree on every bit that neither leaves free."""
    return any(not ((v ^ value) & ~(w | free) & 0xFFFFFFFF) for v, w in terms for value, free in prefixes)


def rules_meeting(index: _DestinationIndex, networks: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network] | None) -> list[int] | None:
    """The positions of the rules whose destination meets some of ``networks`` (None: every rule)."""
    if not networks or any(n.version != 4 for n in networks):
        return None
    found: set[int] = set()
    for network in networks:
        positions = index.candidates(network)  # type: ignore[arg-type]
        if positions is None:
            return None
        found.update(positions)
    return sorted(found)


class RestrictedEvaluation:
    """A filter's first-match semantics within a set of packets: all a query's search can carry.

    Duck-types what reachability reads of a ``FilterEvaluation`` (``decided``, ``matches``,
    ``permitted``, ``decided_part``, ``deciding``), for the rules that decide some of ``within``
    only: what a rule decides here is what it decides in the filter, intersected with ``within``,
    so every set the search and the explanations compute from packets inside ``within`` is the
    same. Built by one sweep in rule order over the rules whose destination can meet the packets,
    where a full evaluation relates every rule of the filter to every other (seconds for 10,000).
    """

    def __init__(self, space: HeaderSpace, acl: Filter, as_of: date | None, within: PacketSet,
                 destinations: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network] | None) -> None:
        rules = [rule for rule in acl.rules if is_active(rule, as_of)]
        positions = rules_meeting(_DestinationIndex(rules), destinations)
        self.space = space
        self.decided: list[tuple[Rule, PacketSet]] = []
        self.matches: list[PacketSet] = []
        remaining = within
        for position in range(len(rules)) if positions is None else positions:
            if remaining.is_empty():
                break
            match = space.rule_match(rules[position])
            if remaining.isdisjoint(match):
                continue
            part = match & remaining
            self.decided.append((rules[position], part))
            self.matches.append(match)
            remaining = remaining - part
        self.permitted = space.union(part for rule, part in self.decided if rule.action == "permit")

    def decided_part(self, position: int, packets: PacketSet) -> PacketSet:
        return self.decided[position][1] & packets

    def deciding(self, packets: PacketSet) -> list[tuple[Rule, PacketSet]]:
        parts = ((rule, decided & packets) for rule, decided in self.decided)
        return [(rule, part) for rule, part in parts if part]


def _source_prefixes(zone: Zone | None) -> list[ipaddress.IPv4Network] | None:
    """The IPv4 prefixes holding every source address of a zone's packets (None: not bounded by
    prefixes, e.g. the catch-all Internet zone, or a zone that is not declared)."""
    if zone is None or zone.is_catch_all_external:
        return None
    prefixes = [c for c in zone.cidrs if c.version == 4]
    return prefixes or None  # type: ignore[return-value]


class Explainer:
    """Explains paths hop by hop (shared by every path of one reachability analysis), so that the
    rules to look at for a filter and a target segment are found once."""

    def __init__(self) -> None:
        self._indexes: dict[int, tuple[FilterEvaluation, _DestinationIndex]] = {}
        self._candidates: dict[tuple[int, str, str], tuple[FilterEvaluation, list[int] | None]] = {}
        # What attribution computes per rule again and again (``analysis.flows.rule_size``), by rule identity.
        self.rule_sizes: dict[tuple[int, int], tuple[Rule, int]] = {}

    def rules_for(self, evaluation: FilterEvaluation, source: Segment, target: Segment) -> list[int] | None:
        """The positions of the rules that can decide packets from ``source``'s zone destined to
        ``target`` (None: all rules). A path's packets come from its source zone's addresses, so
        a rule whose sources miss the zone's prefixes decides none of them either."""
        network = target.network
        if network is None or network.version != 4:
            return None
        zone = source.zone
        key = (id(evaluation), target.id, zone.name if zone is not None else "")
        cached = self._candidates.get(key)
        if cached is None or cached[0] is not evaluation:
            known = self._indexes.get(id(evaluation))
            if known is None or known[0] is not evaluation:
                known = self._indexes[id(evaluation)] = (evaluation, _DestinationIndex([rule for rule, _ in evaluation.decided]))
            cached = self._candidates[key] = (evaluation, known[1].candidates(network, _source_prefixes(zone)))  # type: ignore[arg-type]
        return cached[1]

    def explain(self, path: FlowPath, packets: PacketSet, within_target: bool) -> list[list[Decision]]:
        """Per hop, the rules (or implicit reasons) that let ``packets`` through; ``within_target``:
        every packet is destined to the path's target segment (only its rules are looked at)."""
        explained = []
        for hop in path.hops:
            decisions = []
            ingress, egress = attachment_label(hop.ingress), attachment_label(hop.egress)
            for step in hop.steps:
                if step.evaluation is not None:
                    positions = self.rules_for(step.evaluation, path.source, path.target) if within_target else None
                    for rule, decided in _deciding(step.evaluation, packets & step.permitted, positions, permits_only=True):
                        decisions.append(Decision(hop.device.name, ingress, egress, step, rule, decided))
                else:
                    decisions.append(Decision(hop.device.name, ingress, egress, step, None, packets))
            explained.append(decisions)
        return explained


def _deciding(evaluation: FilterEvaluation, packets: PacketSet, positions: list[int] | None,
              permits_only: bool = False) -> list[tuple[Rule, PacketSet]]:
    """``evaluation.deciding(packets)`` asked of the rules at ``positions`` only (None: every rule):
    the rules that decide some of the packets, with what each decides; only the permit rules with
    ``permits_only`` (what an explanation shows).

    A rule whose match misses the packets decides none of them: that test builds nothing, and most
    rules fail it. The permit rules' decided sets are built already (the hop's permitted set is
    their union), so what one decides of the packets is one intersection.
    """
    result = []
    decided, matches = evaluation.decided, evaluation.matches
    for position in range(len(decided)) if positions is None else positions:
        rule = decided[position][0]
        if permits_only and rule.action != "permit":
            continue
        if matches[position].isdisjoint(packets):
            continue
        part = evaluation.decided_part(position, packets)
        if part:
            result.append((rule, part))
    return result


def restrict_explanation(explained: Sequence[list[Decision]], packets: PacketSet) -> list[list[Decision]]:
    """An explanation of a subset of the explained packets: what a rule decides of the subset is
    what it decided of the whole, intersected with the subset (and a rule deciding none of it goes)."""
    result = []
    for decisions in explained:
        kept = []
        for decision in decisions:
            if decision.rule is None:
                kept.append(Decision(decision.device, decision.ingress, decision.egress, decision.step, None, packets))
                continue
            if decision.packets.isdisjoint(packets):  # a test that builds nothing: most decisions miss a part
                continue
            kept.append(Decision(decision.device, decision.ingress, decision.egress, decision.step, decision.rule, decision.packets & packets))
        result.append(kept)
    return result


class Explanation(Sequence[list[Decision]]):
    """Per hop, the decisions for a subset of a path's explained packets, worked out when first read.

    Attribution splits every path's packets among rules, and most parts are never shown (a check
    reports only some zone pairs), so the restriction waits until something reads it; it is the
    same whenever it is done (the explanation it starts from does not change).
    """

    __slots__ = ("_explained", "_packets", "_hops")

    def __init__(self, explained: Sequence[list[Decision]], packets: PacketSet) -> None:
        self._explained: Sequence[list[Decision]] | None = explained
        self._packets: PacketSet | None = packets
        self._hops: list[list[Decision]] | None = None

    def _resolved(self) -> list[list[Decision]]:
        if self._hops is None:
            assert self._explained is not None and self._packets is not None
            self._hops = restrict_explanation(self._explained, self._packets)
            self._explained = self._packets = None
        return self._hops

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        return self._resolved()[index]

    def __len__(self) -> int:
        return len(self._resolved())

    def __iter__(self) -> Iterator[list[Decision]]:
        return iter(self._resolved())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self._resolved() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Explanation({self._resolved()!r})"


@dataclass(slots=True)
class FlowPath:
    source: Segment
    target: Segment
    hops: tuple[Hop, ...]
    packets: PacketSet  # the packets of the source zone that reach the target segment, destined to it
    explainer: Explainer = field(default_factory=Explainer, repr=False, compare=False)
    _explained: list[list[Decision]] | None = field(default=None, repr=False, compare=False)

    def explain(self, packets: PacketSet) -> list[list[Decision]]:
        """Per hop, the rules (or implicit reasons) that let these packets through.

        The path's own packets are explained once; a subset of them (a service, what one rule
        claims) is explained from that by intersection, which gives the same decisions.
        """
        if packets == self.packets:
            return [list(decisions) for decisions in self.explained()]
        if packets.issubset(self.packets):
            return restrict_explanation(self.explained(), packets)
        return self.explainer.explain(self, packets, within_target=False)

    def explained(self) -> list[list[Decision]]:
        """The explanation of all the path's packets, worked out once (shared: not to be changed)."""
        if self._explained is None:
            self._explained = self.explainer.explain(self, self.packets, within_target=True)
        return self._explained

    @property
    def devices(self) -> list[Device]:
        return [hop.device for hop in self.hops]


@dataclass(slots=True)
class Reachability:
    """Zone-to-zone reachability over the zone graph, computed once per source zone and cached."""

    graph: ZoneGraph
    space: HeaderSpace
    as_of: date | None = None
    _paths: dict[str, list[FlowPath]] = field(default_factory=dict)
    _by_target: dict[str, dict[str, list[FlowPath]]] = field(default_factory=dict)  # source zone → target zone → paths
    _zone_space: dict[str, PacketSet] = field(default_factory=dict)
    _segment_space: dict[str, PacketSet] = field(default_factory=dict)
    truncated: list[str] = field(default_factory=list)
    hops: HopBuilder = field(init=False)
    explainer: Explainer = field(default_factory=Explainer)
    _within: PacketSet | None = None  # a restricted analysis (``restricted``): every start packet is inside

    def __post_init__(self) -> None:
        self.hops = HopBuilder(self.space, self.as_of)

    def restricted(self, within: PacketSet, destinations: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network] | None) -> Reachability:
        """The same analysis for packets inside ``within`` only (a query's packets, from one zone to
        another), with every filter evaluated within them: paths, their packets (here: within
        ``within``) and explanations are those of the whole analysis restricted to ``within``, in
        the same order, at a fraction of the cost. ``destinations``: prefixes holding every
        destination of ``within`` (to skip rules for elsewhere; None: unknown)."""
        evaluations: dict[int, tuple[Filter, RestrictedEvaluation]] = {}

        def evaluate(acl: Filter, as_of: date | None) -> FilterEvaluation:
            known = evaluations.get(id(acl))
            if known is None or known[0] is not acl:
                known = evaluations[id(acl)] = (acl, RestrictedEvaluation(self.space, acl, as_of, within, destinations))
            return known[1]  # type: ignore[return-value]

        restricted = Reachability(self.graph, self.space, self.as_of, _zone_space=self._zone_space, _segment_space=self._segment_space)
        restricted.hops = HopBuilder(self.space, self.as_of, evaluate)
        restricted._within = within
        return restricted

    # address spaces -------------------------------------------------------------------------
    def zone_space(self, zone: Zone, field_name: str) -> PacketSet:
        """Packets whose src/dst is in the zone: its cidrs minus the longer prefixes of other zones inside them."""
        key = f"{field_name}:{zone.name}"
        if key not in self._zone_space:
            topology = self.graph.topology
            space = self.space.addresses(field_name, zone_addresses(topology, zone))
            for other in topology.zones.values():
                if other.name == zone.name:
                    continue
                inner = [c for c in other.cidrs if any(c != mine and c.version == mine.version and c.subnet_of(mine) for mine in zone.cidrs)]  # type: ignore[arg-type]
                if zone.is_catch_all_external:
                    inner = [c for c in other.cidrs if is_public(c)]
                if inner:
                    space = space - self.space.addresses(field_name, AddressSet(network_terms(inner)))
            self._zone_space[key] = space
        return self._zone_space[key]

    def segment_destinations(self, segment: Segment) -> PacketSet:
        """The packets that are delivered on a segment: destined to its network, within its zone."""
        if segment.id not in self._segment_space:
            if segment.network is None:
                space = self.zone_space(segment.zone, "dst") if segment.zone else self.space.addresses("dst", PUBLIC_ADDRESSES)
            else:
                space = self.space.addresses("dst", AddressSet(network_terms([segment.network])))
                if segment.zone is not None:
                    space = space & self.zone_space(segment.zone, "dst")
            self._segment_space[segment.id] = space
        return self._segment_space[segment.id]

    # paths ------------------------------------------------------------------------------------
    def paths_from(self, zone_name: str) -> list[FlowPath]:
        if zone_name not in self._paths:
            zone = self.graph.topology.zones.get(zone_name)
            paths: list[FlowPath] = []
            for segment in sorted(self.graph.segments.values(), key=lambda s: s.id):
                if segment.zone_name != zone_name or zone is None:
                    continue
                start = self.zone_space(zone, "src") & self.space.new_connections()
                if self._within is not None:
                    start = start & self._within
                paths.extend(self._search(segment, start))
            self._paths[zone_name] = paths
            by_target: dict[str, list[FlowPath]] = {}
            for path in paths:
                by_target.setdefault(path.target.zone_name, []).append(path)
            self._by_target[zone_name] = by_target
        return self._paths[zone_name]

    def paths(self, src_zone: str, dst_zone: str) -> list[FlowPath]:
        """The paths from one zone to another, in search order (a copy: callers may keep or change it)."""
        self.paths_from(src_zone)
        return list(self._by_target[src_zone].get(dst_zone, ()))

    def _search(self, start: Segment, packets: PacketSet) -> Iterator[FlowPath]:
        """Depth first from ``start``, every simple path while packets get through (see the module doc).

        ``used`` are the devices already on the path; ``passed`` keeps, for the segment being left,
        what each distinct hop set lets through (a device with one inbound filter lets the same
        packets out of every interface: one intersection, not one per interface).
        """
        found = 0
        stack: list[tuple[Segment, PacketSet, tuple[Hop, ...], frozenset[str], frozenset[str]]] = [
            (start, packets, (), frozenset({start.id}), frozenset())]
        while stack:
            segment, carried, hops, visited, used = stack.pop()
            if len(hops) >= MAX_HOPS:
                continue
            passed: dict[PacketSet, PacketSet] = {}
            for ingress in self.graph.attachments_on(segment.id):
                if not ingress.transit_capable:
                    continue
                device = self.graph.devices[ingress.device]
                if device.name in used:
                    continue
                for egress in self.graph.attachments(device.name):
                    if egress.segment in visited or not egress.transit_capable:
                        continue
                    if self.graph.segments[egress.segment].zone_name == start.zone_name:
                        continue  # back into the source zone: its packets already start from every segment of it
                    hop = self.hops.hop(device, ingress, egress)
                    through = passed.get(hop.permitted)
                    if through is None:
                        through = passed[hop.permitted] = carried & hop.permitted
                    if through.is_empty():
                        continue
                    target = self.graph.segments[egress.segment]
                    new_hops = (*hops, hop)
                    if not target.is_transit and target.zone_name != start.zone_name:
                        delivered = through & self.segment_destinations(target)
                        if not delivered.is_empty():
                            found += 1
                            yield FlowPath(start, target, new_hops, delivered, self.explainer)
                            if found >= MAX_PATHS_PER_SOURCE:
                                self.truncated.append(start.id)
                                return
                    if target.zone is not None and target.zone.env == "external":
                        continue  # the Internet is where flows end, not a transit between our sites (IPsec carries that)
                    stack.append((target, through, new_hops, visited | {target.id}, used | {device.name}))
