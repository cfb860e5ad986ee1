"""The analysis shortcuts give the plain computation's answers: zones of rule addresses, the path
search, explanations of parts of a path's packets, and queries evaluated within their packets."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from netaudit import query
from netaudit.analysis.reachability import FlowPath, Hop, Reachability, _deciding
from netaudit.analysis.zones import ZoneIndex, zones_of
from netaudit.context import AuditContext
from netaudit.graph import Segment
from netaudit.headerspace import PacketSet
from netaudit.model import AddressSet, AddressTerm
from netaudit.pipeline import prepare
from netaudit.services import parse_service_spec

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 11, 24)
SERVICES = [None, "tcp/443", "tcp/22", "udp/53", "tcp/1521"]


@pytest.fixture(scope="module")
def sample() -> AuditContext:
    context, _ = prepare([str(ROOT / "sample_configs")], str(ROOT / "topology" / "network.yaml"), AS_OF)
    return context


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> AuditContext:
    """A small generated estate (benchmarks/estate.py): redundant pairs, WAN, firewalls in between."""
    spec = importlib.util.spec_from_file_location("estate", ROOT / "benchmarks" / "estate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["estate"] = module
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("estate")
    module.write_estate(out, 34, 12_000, 7)
    context, not_assessed = prepare([str(out / "configs")], str(out / "network.yaml"), AS_OF)
    assert not not_assessed
    return context


def _address_sets(context: AuditContext) -> Iterator[AddressSet]:
    for device in context.devices:
        for acl in device.filters.values():
            for rule in acl.rules:
                yield rule.sources
                yield rule.destinations


def test_zone_index_gives_the_zones_of_every_address(sample: AuditContext, estate: AuditContext) -> None:
    odd = AddressSet((AddressTerm(4, 0x0A000000, 0x00FF00FF), AddressTerm(6, 0x20010DB8 << 96, (1 << 96) - 1),
                      AddressTerm.from_network("0.0.0.0/1"), AddressTerm.from_network("8.8.8.8/32"),
                      AddressTerm.from_network("10.0.0.0/8"), AddressTerm.from_network("192.0.2.0/24")))
    for context in (sample, estate):
        index = ZoneIndex(context.topology)
        for addresses in [*_address_sets(context), odd]:
            assert set(index.of(addresses)) == zones_of(context.topology, addresses)


def _reference_search(reach: Reachability, start: Segment, packets: PacketSet) -> Iterator[tuple[str, tuple[str, ...], PacketSet]]:
    """The path search as first written (no memo of hop sets, devices looked up along the path)."""
    stack: list[tuple[Segment, PacketSet, tuple[Hop, ...], frozenset[str]]] = [(start, packets, (), frozenset({start.id}))]
    while stack:
        segment, carried, hops, visited = stack.pop()
        if len(hops) >= 10:
            continue
        for ingress in reach.graph.attachments_on(segment.id):
            if not ingress.transit_capable:
                continue
            device = reach.graph.devices[ingress.device]
            if any(h.device.name == device.name for h in hops):
                continue
            for egress in reach.graph.attachments(device.name):
                if egress.segment in visited or not egress.transit_capable:
                    continue
                if reach.graph.segments[egress.segment].zone_name == start.zone_name:
                    continue
                hop = reach.hops.hop(device, ingress, egress)
                through = carried & hop.permitted
                if through.is_empty():
                    continue
                target = reach.graph.segments[egress.segment]
                new_hops = (*hops, hop)
                if not target.is_transit and target.zone_name != start.zone_name:
                    delivered = through & reach.segment_destinations(target)
                    if not delivered.is_empty():
                        yield target.id, tuple(f"{h.device.name}:{h.ingress.segment}>{h.egress.segment}" for h in new_hops), delivered
                if target.zone is not None and target.zone.env == "external":
                    continue
                stack.append((target, through, new_hops, visited | {target.id}))


def test_the_path_search_finds_the_same_paths_in_the_same_order(sample: AuditContext, estate: AuditContext) -> None:
    for context in (sample, estate):
        reach = context.reachability()
        for zone in context.topology.zones.values():
            expected = []
            for segment in sorted(context.graph.segments.values(), key=lambda s: s.id):
                if segment.zone_name == zone.name:
                    start = reach.zone_space(zone, "src") & reach.space.new_connections()
                    expected += list(_reference_search(reach, segment, start))
            found = [(p.target.id, tuple(f"{h.device.name}:{h.ingress.segment}>{h.egress.segment}" for h in p.hops), p.packets)
                     for p in reach.paths_from(zone.name)]
            assert found == expected, zone.name
        assert not reach.truncated


def _plain_explanation(path: FlowPath, packets: PacketSet) -> list[list[tuple[str, str | None, PacketSet]]]:
    """What ``explain`` must say, from the filter evaluations' own ``deciding``."""
    explained = []
    for hop in path.hops:
        decisions = []
        for step in hop.steps:
            if step.evaluation is not None:
                for rule, decided in step.evaluation.deciding(packets & step.permitted):
                    if rule.action == "permit":
                        decisions.append((hop.device.name, rule.ref.text, decided))
            else:
                decisions.append((hop.device.name, None, packets))
        explained.append(decisions)
    return explained


def test_explanations_of_a_path_and_of_parts_of_its_packets(sample: AuditContext, estate: AuditContext) -> None:
    for context in (sample, estate):
        reach = context.reachability()
        space = reach.space
        for zone in context.topology.zones:
            for path in reach.paths_from(zone)[:40]:
                for service in SERVICES:
                    packets = path.packets if service is None else path.packets & space.services([parse_service_spec(service)])
                    got = [[(d.device, d.rule.ref.text if d.rule else None, d.packets) for d in hop] for hop in path.explain(packets)]
                    assert got == _plain_explanation(path, packets), (zone, service)


def test_the_rules_asked_are_those_that_decide(estate: AuditContext) -> None:
    space = estate.headerspace()
    packets = space.services([parse_service_spec("tcp/443")]) & space.new_connections()
    for device in estate.devices:
        for acl in device.filters.values():
            evaluation = space.evaluate(acl, AS_OF)
            expected = [(r, p) for r, p in evaluation.deciding(packets) if r.action == "permit"]
            assert _deciding(evaluation, packets, None, permits_only=True) == expected


def _full_answer(context: AuditContext, src: str, dst: str, service: str | None) -> query.QueryAnswer:
    """``answer`` from the whole analysis (every path of the source zone, then the question's packets)."""
    source, destination = query.resolve(context, src), query.resolve(context, dst)
    reach = context.reachability()
    packets_asked = reach.space.flow(source.addresses, destination.addresses, [parse_service_spec(service)] if service else None)
    found = []
    for src_zone in source.zones:
        for dst_zone in destination.zones:
            for path in reach.paths(src_zone.name, dst_zone.name):
                packets = path.packets & packets_asked
                if packets:
                    found.append((path, packets, path.explain(packets)))
    return query.QueryAnswer(source, destination, service or "any", found)


def test_queries_answer_as_the_whole_analysis_does(sample: AuditContext, estate: AuditContext) -> None:
    for context, step in ((sample, 1), (estate, 3)):  # every third zone of the estate: the test stays short
        zones = sorted(context.topology.zones)[::step]
        asked = 0
        for src in zones:
            for dst in zones:
                for service in SERVICES[:3]:
                    fresh = AuditContext(context.devices, context.topology, context.graph, context.as_of)
                    new = query.answer(fresh, src, dst, service)
                    old = _full_answer(context, src, dst, service)
                    assert json.dumps(new.to_json(), ensure_ascii=False) == json.dumps(old.to_json(), ensure_ascii=False), (src, dst, service)
                    assert new.to_text() == old.to_text()
                    asked += bool(new.paths)
        assert asked > 5  # the comparison met real answers
