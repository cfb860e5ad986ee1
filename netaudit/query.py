"""`netaudit query`: can A reach B on service S, along which paths, by which rule on each hop.

A and B are a zone name, a host name of the topology, or an address / prefix. The answer lists
every path that lets some of the asked packets through, and on each hop the deciding rule (file,
line and text) or the implicit reason (no filter, an ASA security level, the VPN bypass).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from netaudit.analysis.flows import describe_path
from netaudit.analysis.reachability import Decision, FlowPath, Reachability
from netaudit.context import AuditContext
from netaudit.errors import NetauditInputError
from netaudit.headerspace import PacketSet
from netaudit.model import AddressSet, AddressTerm, Service
from netaudit.services import parse_service_spec
from netaudit.topology import Zone


@dataclass(slots=True)
class Endpoint:
    text: str
    zones: list[Zone]
    addresses: AddressSet | None  # None: the whole zone


@dataclass(slots=True)
class QueryAnswer:
    src: Endpoint
    dst: Endpoint
    service: str
    paths: list[tuple[FlowPath, PacketSet, list[list[Decision]]]]

    @property
    def permitted(self) -> bool:
        return bool(self.paths)

    def to_json(self) -> dict[str, Any]:
        return {
            "src": self.src.text, "dst": self.dst.text, "service": self.service, "permitted": self.permitted,
            "paths": [
                {
                    "src_zone": path.source.zone_name, "dst_zone": path.target.zone_name,
                    "example": _example(packets),
                    "hops": [[d.to_json() for d in decisions] for decisions in explained],
                }
                for path, packets, explained in self.paths
            ],
        }

    def to_text(self) -> str:
        verdict = "PERMITTED" if self.permitted else "DENIED"
        lines = [f"{self.src.text} → {self.dst.text} {self.service}: {verdict}"]
        if not self.permitted:
            lines.append("  no path lets any of these packets through")
        for index, (path, packets, explained) in enumerate(self.paths, 1):
            lines.append(f"  path {index}: {path.source.zone_name} → {path.target.zone_name} via {describe_path(path)} (e.g. {_example(packets)})")
            for decisions in explained:
                for decision in decisions:
                    if decision.rule is not None:
                        rule = decision.rule
                        lines.append(f"    {decision.device} {decision.step.filter_name} {rule.ref.file}:{rule.ref.line}: {rule.ref.text}")
                    else:
                        lines.append(f"    {decision.device} ({decision.ingress} → {decision.egress}): {decision.step.implicit_reason}")
        return "\n".join(lines) + "\n"


def _example(packets: PacketSet) -> str:
    sample = packets.sample()
    if sample is None:
        return ""
    port = f":{sample.dst_port}" if sample.protocol in (6, 17) else ""
    return f"{sample.src} → {sample.dst}{port} proto {sample.protocol}"


def resolve(ctx: AuditContext, text: str) -> Endpoint:
    """A zone name, a topology host name, or an address/prefix (placed in the zone(s) that hold it)."""
    topology = ctx.topology
    if text in topology.zones:
        return Endpoint(text, [topology.zones[text]], None)
    if text in topology.hosts:
        host = topology.hosts[text]
        network = ipaddress.ip_network(host.ip)
    else:
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise NetauditInputError(text, None, "not a zone, a host of the topology, or an address") from None
    zone = topology.zone_of_network(network)
    zones = [zone] if zone is not None else [z for z in topology.zones.values() if any(c.overlaps(network) for c in z.cidrs)]
    if not zones:
        raise NetauditInputError(text, None, "the address is in no zone of the topology")
    return Endpoint(text, zones, AddressSet((AddressTerm.from_network(str(network)),), text))


def answer(ctx: AuditContext, src_text: str, dst_text: str, service_text: str | None) -> QueryAnswer:
    src, dst = resolve(ctx, src_text), resolve(ctx, dst_text)
    try:
        services: list[Service] | None = [parse_service_spec(s) for s in service_text.split(",")] if service_text else None
    except ValueError as error:
        raise NetauditInputError(service_text or "", None, str(error)) from None
    reach = ctx.reachability()
    space = reach.space
    query = space.flow(src.addresses, dst.addresses, services)
    found = []
    for src_zone in src.zones:
        for dst_zone in dst.zones:
            for path in _zone_pair(reach, src_zone, dst_zone, query, dst).paths(src_zone.name, dst_zone.name):
                packets = path.packets & query
                if not packets.is_empty():
                    found.append((path, packets, path.explain(packets)))
    return QueryAnswer(src, dst, service_text or "any", found)


def _zone_pair(reach: Reachability, src_zone: Zone, dst_zone: Zone, query: PacketSet, dst: Endpoint) -> Reachability:
    """The analysis restricted to the packets the question is about: from ``src_zone``, new
    connections, the asked service and addresses, to ``dst_zone``. Only they can be in an answer,
    and filters evaluated for them alone answer in a fraction of a second (``Reachability.restricted``)."""
    within = (reach.zone_space(src_zone, "src") & reach.space.new_connections() & query
              & reach.zone_space(dst_zone, "dst"))
    destinations = list(dst_zone.cidrs) if not dst_zone.is_catch_all_external else None
    if dst.addresses is not None and destinations is None:
        destinations = [ipaddress.ip_network(str(term)) for term in dst.addresses.terms if term.prefixlen is not None] or None
    return reach.restricted(within, destinations)
