"""Flow questions for the checks: which packets of a zone pair get through, attributed to rules.

checks.md: a flow finding points at the **narrowest explicit permitting rule** on the path (the one
whose own match admits the fewest packets; ties go to the hop nearest the destination). Here every
packet of a path is attributed to the narrowest rule that permits it on that path, so one rule and
zone pair makes one finding, and the paths behind it are listed hop by hop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from netaudit.analysis.reachability import Decision, Explanation, FlowPath, attachment_label
from netaudit.headerspace import PacketSet
from netaudit.model import ANY_IPV4, Device, Interface, Rule, Service, SourceRef
from netaudit.services import PORT_NAMES


def service_size(service: Service) -> int:
    if service.protocol is None:
        return 1 << 40
    if service.protocol in PORT_NAMES:
        dst = sum(hi - lo + 1 for lo, hi in service.dst_ports)
        src = sum(hi - lo + 1 for lo, hi in service.src_ports)
        return dst * src
    return 1 if service.icmp_type is not None else 1 << 8


def rule_size(rule: Rule, version: int) -> int:
    """How many packets of this IP version the rule's own match admits (the catalog's 'narrowest').

    Per version, so that an ASA 'any' (IPv4 and IPv6) is as wide as an IOS 'any' for an IPv4 flow.
    """
    src = sum(1 << t.free_bits for t in rule.sources.terms if t.version == version)
    dst = sum(1 << t.free_bits for t in rule.destinations.terms if t.version == version)
    return src * dst * sum(service_size(s) for s in rule.services)


@dataclass(slots=True)
class FlowGroup:
    """The packets of one zone pair attributed to one rule (or, without any rule, to one device)."""

    src_zone: str
    dst_zone: str
    rule: Rule | None
    device: Device
    interface: Interface | None  # where an implicit permit let it through (no rule)
    packets: PacketSet
    paths: list[tuple[FlowPath, Sequence[list[Decision]]]] = field(default_factory=list)

    @property
    def key(self) -> str:
        # device name and rule text, never the file path or line: the finding keeps its id when lines
        # move or the configs are audited from another folder (netaudit diff compares two folders)
        where = f"{self.device.name}:{self.rule.ref.text}" if self.rule else f"{self.device.name}:{self.interface.name if self.interface else ''}"
        return f"{self.src_zone}>{self.dst_zone} {where}"

    @property
    def ref(self) -> SourceRef | None:
        if self.rule is not None:
            return self.rule.ref
        return self.interface.ref if self.interface is not None else None

    def path_json(self) -> list[list[dict[str, object]]]:
        return [[_hop_json(decisions) for decisions in explained] for _, explained in self.paths]

    def flow_json(self, service: str) -> dict[str, object]:
        paths = self.path_json()
        return {"src_zone": self.src_zone, "dst_zone": self.dst_zone, "service": service, "path": paths[0] if paths else [], "paths": paths}


def _hop_json(decisions: list[Decision]) -> dict[str, object]:
    explicit = [d for d in decisions if d.rule is not None]
    chosen = explicit[0] if explicit else decisions[0]
    data = chosen.to_json()
    if len(explicit) > 1:
        data["also"] = [{"line": d.rule.ref.line, "rule": d.rule.ref.text} for d in explicit[1:] if d.rule]
    return data


def attribute(path: FlowPath, packets: PacketSet) -> list[tuple[Rule | None, Device, Interface | None, PacketSet, Sequence[list[Decision]]]]:
    """Split ``packets`` (a subset of the path's packets: a check's question) among the narrowest
    explicit permitting rules; the rest is implicit. Each part is explained from the explanation of
    all the path's packets, when the explanation is first read.
    """
    explained = path.explained()
    parts = _split(path, explained, packets, _sample_version(packets))
    # the parts' explanations start from the question's (worked out once, if one of them is read):
    # the question's explanation has far fewer decisions to look through than the path's
    base: Sequence[list[Decision]] = explained if packets == path.packets else Explanation(explained, packets)
    return [(rule, device, interface, part, Explanation(base, part)) for rule, device, interface, part in parts]


def _split(path: FlowPath, explained: list[list[Decision]], packets: PacketSet, version: int) -> list[tuple[Rule | None, Device, Interface | None, PacketSet]]:
    """First to the narrowest: each permitting rule (widths for IP ``version``) claims what is left of
    the packets it decides; what no rule claims was let through implicitly, by the first device.

    ``explained`` explains a superset of ``packets`` (the path's): what is left is always inside
    ``packets``, so intersecting it with a decision of the superset is intersecting it with the
    decision restricted to ``packets``, and the restriction is never built."""
    sizes = path.explainer.rule_sizes
    candidates: list[tuple[int, int, Decision]] = []
    for hop_index, decisions in enumerate(explained):
        for decision in decisions:
            if decision.rule is not None:
                size = sizes.get((id(decision.rule), version))
                if size is None or size[0] is not decision.rule:
                    size = sizes[(id(decision.rule), version)] = (decision.rule, rule_size(decision.rule, version))
                candidates.append((size[1], -hop_index, decision))
    candidates.sort(key=lambda c: (c[0], c[1]))
    remaining = packets
    parts: list[tuple[Rule | None, Device, Interface | None, PacketSet]] = []
    for _, _, decision in candidates:
        if remaining.isdisjoint(decision.packets):
            continue
        claimed = remaining & decision.packets
        remaining = remaining - decision.packets  # = remaining minus what it claims: cheaper on large sets
        device = next(h.device for h in path.hops if h.device.name == decision.device)
        parts.append((decision.rule, device, None, claimed))
        if remaining.is_empty():
            break
    if not remaining.is_empty():
        first = path.hops[0]
        parts.append((None, first.device, first.ingress.interface, remaining))
    return parts


def _sample_version(packets: PacketSet) -> int:
    """The IP version of ``packets.sample()``, without walking a whole packet out of the diagram.

    The sample takes the 0 branch wherever it can, and ``version`` (1 = IPv6) is the first variable
    of the default order: it is IPv4 when the set has any IPv4 packet (or is empty).
    """
    space = packets.space
    if space.field_order[:1] != ("version",):
        sample = packets.sample()
        return sample.version if sample else 4
    if packets.is_empty() or not (packets & space.addresses("src", ANY_IPV4)).is_empty():
        return 4
    return 6


def group_flows(pairs: list[tuple[str, str, FlowPath, PacketSet]]) -> list[FlowGroup]:
    """Group attributed packets by (zone pair, rule), keeping every path behind each group."""
    groups: dict[str, FlowGroup] = {}
    for src_zone, dst_zone, path, packets in pairs:
        for rule, device, interface, part, explained in attribute(path, packets):
            group = FlowGroup(src_zone, dst_zone, rule, device, interface, part)
            existing = groups.get(group.key)
            if existing is None:
                groups[group.key] = group
                existing = group
            else:
                existing.packets = existing.packets | part
            existing.paths.append((path, explained))
    return sorted(groups.values(), key=lambda g: g.key)


def describe_path(path: FlowPath) -> str:
    return " → ".join(f"{h.device.name} ({attachment_label(h.ingress)} → {attachment_label(h.egress)})" for h in path.hops)
