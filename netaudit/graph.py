"""The zone graph (topology.md): devices joined through the segments their interfaces sit on.

Nodes are devices and segments; an edge is an interface (or a VPN pool, or a default route to the
Internet) attaching a device to a segment. Each segment belongs to the zone of the longest declared
prefix containing it. Zone-to-zone questions are answered over this graph; the diagram contracts it.
"""

from __future__ import annotations

import ipaddress
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

import networkx as nx

from netaudit.model import Device, FilterBinding, Interface, SourceRef
from netaudit.topology import Topology, Zone, is_point_to_point, is_private

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

TRANSIT_ENVS = {"transit"}


@dataclass(slots=True)
class Segment:
    """A place packets can be: a subnet, a VPN pool, or the Internet behind a default route."""

    id: str
    kind: str  # 'subnet', 'vpn-pool', 'external'
    network: Network | None
    zone: Zone | None

    @property
    def point_to_point(self) -> bool:
        return self.network is not None and is_point_to_point(self.network)

    @property
    def unclassified(self) -> bool:
        """A private LAN in no declared zone (Art. 6, 19.2)."""
        return self.zone is None and self.network is not None and is_private(self.network) and not self.point_to_point

    @property
    def zone_name(self) -> str:
        if self.zone is not None:
            return self.zone.name
        return f"unclassified:{self.network}" if self.unclassified else f"link:{self.network}"

    @property
    def is_transit(self) -> bool:
        """Transit zones and unclassified point-to-point links carry traffic but are never a flow's end."""
        if self.zone is not None:
            return self.zone.env in TRANSIT_ENVS
        return not self.unclassified


@dataclass(frozen=True, slots=True)
class Attachment:
    """A device on a segment, through an interface."""

    device: str
    segment: str
    interface: Interface | None
    via: str  # 'interface', 'vpn', 'default-route'
    ref: SourceRef | None

    @property
    def transit_capable(self) -> bool:
        return self.interface is None or not self.interface.management_only


@dataclass(slots=True)
class ZoneGraph:
    topology: Topology
    devices: dict[str, Device]
    segments: dict[str, Segment] = field(default_factory=dict)
    graph: nx.MultiGraph = field(default_factory=nx.MultiGraph)
    # Attachments per graph node, read back from the graph once: the path search asks millions of times.
    _attachments: dict[str, list[Attachment]] = field(default_factory=dict, repr=False, compare=False)

    def attachments(self, device: str) -> list[Attachment]:
        return self._attachments_of(f"dev:{device}")

    def attachments_on(self, segment: str) -> list[Attachment]:
        return self._attachments_of(segment)

    def _attachments_of(self, node: str) -> list[Attachment]:
        """The attachments at a node, in the graph's edge order (do not change the list returned)."""
        known = self._attachments.get(node)
        if known is None:
            known = self._attachments[node] = [data["attachment"] for _, _, data in self.graph.edges(node, data=True)]
        return known

    def zone_names(self) -> list[str]:
        return sorted({s.zone_name for s in self.segments.values()})


def build_graph(devices: list[Device], topology: Topology) -> ZoneGraph:
    zg = ZoneGraph(topology, {d.name: d for d in devices})
    device_addresses = {
        intf_addr.interface.ip: device.name
        for device in devices
        for intf in device.interfaces
        for intf_addr in intf.addresses
    }
    for device in devices:
        zg.graph.add_node(f"dev:{device.name}", kind="device", device=device)
        for intf in device.interfaces:
            if intf.shutdown:
                continue
            for intf_addr in intf.addresses:
                network = intf_addr.network
                if network.prefixlen == network.max_prefixlen:
                    continue  # a loopback / host address is not a segment
                _attach(zg, device, f"seg:{network}", "subnet", network, intf, "interface", intf_addr.ref or intf.ref)
        _attach_vpn_pools(zg, device)
        _attach_default_routes(zg, device, device_addresses)
    return zg


def _attach(zg: ZoneGraph, device: Device, segment_id: str, kind: str, network: Network | None, intf: Interface | None, via: str, ref: SourceRef | None) -> None:
    if segment_id not in zg.segments:
        zone = zg.topology.zone_of_network(network) if network is not None else _external_zone(zg.topology)
        zg.segments[segment_id] = Segment(segment_id, kind, network, zone)
        zg.graph.add_node(segment_id, kind="segment", segment=zg.segments[segment_id])
    attachment = Attachment(device.name, segment_id, intf, via, ref)
    zg._attachments.clear()  # the graph changes: read attachments back anew
    zg.graph.add_edge(f"dev:{device.name}", segment_id, key=f"{via}:{intf.name if intf else ''}", attachment=attachment)


def _external_zone(topology: Topology) -> Zone | None:
    zones = topology.external_zones()
    return next((z for z in zones if z.is_catch_all_external), zones[0] if zones else None)


def _attach_vpn_pools(zg: ZoneGraph, device: Device) -> None:
    """A remote-access pool is a segment of its own, entering through the interface the VPN listens on."""
    pools = {p.name: p for p in device.pools}
    for vpn in device.vpns:
        if vpn.kind != "remote-access":
            continue
        listen = next((device.interface(n) for n in vpn.interfaces if device.interface(n)), None)
        for pool_name in vpn.pools:
            pool = pools.get(pool_name)
            if pool is None:
                continue
            network = ipaddress.ip_network(pool.network, strict=False)
            _attach(zg, device, f"pool:{device.name}:{pool.name}", "vpn-pool", network, listen, "vpn", pool.ref)


def _attach_default_routes(zg: ZoneGraph, device: Device, device_addresses: dict) -> None:  # type: ignore[type-arg]
    """A default route whose next hop is not another parsed device leads to the Internet."""
    zone = _external_zone(zg.topology)
    for route in device.routes:
        if not route.is_default:
            continue
        if route.next_hop:
            try:
                next_hop = ipaddress.ip_address(route.next_hop)
            except ValueError:
                continue
            if next_hop in device_addresses and device_addresses[next_hop] != device.name:
                continue
        intf = _exit_interface(device, route.interface, route.next_hop)
        if intf is None or intf.management_only:
            continue
        name = zone.name if zone else "internet"
        _attach(zg, device, f"ext:{name}", "external", None, intf, "default-route", route.ref)


def _exit_interface(device: Device, name: str | None, next_hop: str | None) -> Interface | None:
    if name:
        return device.interface(name)
    if next_hop:
        address = ipaddress.ip_address(next_hop)
        for intf in device.interfaces:
            if any(address in a.network for a in intf.addresses if a.network.version == address.version):
                return intf
    return None


# --------------------------------------------------------------------------- zone relations


def crosses(a: Zone | None, b: Zone | None) -> bool:
    """Catalog 'crossing': different env, or both prod/dmz with different tier; transit never crosses."""
    if a is None or b is None or a.name == b.name:
        return False
    if a.env in TRANSIT_ENVS or b.env in TRANSIT_ENVS:
        return False
    if a.env != b.env:
        return True
    return a.env in {"prod", "dmz"} and a.tier is not None and b.tier is not None and a.tier != b.tier


def effective_filter(device: Device, interface: Interface | None, direction: str) -> FilterBinding | None:
    """The binding that filters traffic on this interface and direction, if any really filters.

    An IOS ACL bound but never defined permits everything, so it is no filtering point.
    """
    if interface is None:
        return None
    for binding in device.bindings:
        if binding.use != "interface" or binding.direction != direction:
            continue
        if binding.interface not in (interface.name, interface.nameif):
            continue
        if binding.filter_name in device.filters or not binding.undefined_permits:
            return binding
    return None


def hop_is_filtered(device: Device, ingress: Interface | None, egress: Interface | None) -> bool:
    """Whether traffic entering ``ingress`` and leaving ``egress`` meets any filtering point on the device."""
    if device.security_levels or device.stateful:
        return True
    if any(b.use == "interface" and b.interface is None and b.filter_name in device.filters for b in device.bindings):
        return True  # a global policy
    return effective_filter(device, ingress, "in") is not None or effective_filter(device, egress, "out") is not None


@dataclass(frozen=True, slots=True)
class Hop:
    device: Device
    ingress: Attachment
    egress: Attachment


@dataclass(frozen=True, slots=True)
class UnfilteredJoin:
    """Two segments joined with no filtering point, and the hops that join them (first hop first)."""

    source: Segment
    target: Segment
    hops: tuple[Hop, ...]


def unfiltered_joins(zg: ZoneGraph, max_hops: int = 8) -> Iterator[UnfilteredJoin]:
    """Every pair of non-transit segments reachable from each other through unfiltered hops only.

    Breadth-first from each segment, crossing devices only where no filter applies and continuing
    only through transit segments (where traffic does not end).
    """
    for start in sorted(zg.segments.values(), key=lambda s: s.id):
        if start.is_transit or start.kind == "external" and start.zone is None:
            continue
        seen = {start.id}
        queue: deque[tuple[Segment, tuple[Hop, ...]]] = deque([(start, ())])
        while queue:
            segment, path = queue.popleft()
            if len(path) >= max_hops:
                continue
            for ingress in zg.attachments_on(segment.id):
                if not ingress.transit_capable:
                    continue
                device = zg.devices[ingress.device]
                for egress in zg.attachments(device.name):
                    if egress.segment == segment.id or not egress.transit_capable or egress.segment in seen:
                        continue
                    if hop_is_filtered(device, ingress.interface, egress.interface):
                        continue
                    target = zg.segments[egress.segment]
                    seen.add(target.id)
                    hops = (*path, Hop(device, ingress, egress))
                    if target.is_transit:
                        queue.append((target, hops))
                    else:
                        yield UnfilteredJoin(start, target, hops)
