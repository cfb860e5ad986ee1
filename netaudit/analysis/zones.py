"""Which zones an address set touches: the link between a rule's addresses and the topology."""

from __future__ import annotations

import ipaddress

from netaudit.model import AddressSet, AddressTerm
from netaudit.topology import Topology, Zone, is_public


def covering_network(term: AddressTerm) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """The smallest prefix containing every address of the term (exact for contiguous wildcards)."""
    plen = term.prefixlen
    if plen is None:  # non-contiguous wildcard: keep the fixed leading bits only
        plen = term.bits - term.wildcard.bit_length()
    return ipaddress.ip_network((term.value & ~((1 << (term.bits - plen)) - 1), plen))


def zones_of_term(topology: Topology, term: AddressTerm) -> set[Zone]:
    """Every zone that holds some address of the term."""
    network = covering_network(term)
    zones: set[Zone] = set()
    inner = topology.zone_of_network(network)
    if inner is not None:
        zones.add(inner)
    for zone in topology.zones.values():
        if any(cidr.version == network.version and cidr.subnet_of(network) for cidr in zone.cidrs):  # type: ignore[arg-type]
            zones.add(zone)
    if not zones or inner is None:
        external = next((z for z in topology.zones.values() if z.is_catch_all_external), None)
        if external is not None and (is_public(network) or network.prefixlen < 8):  # < /8 spans public space
            zones.add(external)
    return zones


def zones_of(topology: Topology, addresses: AddressSet) -> set[Zone]:
    zones: set[Zone] = set()
    for term in addresses.terms:
        zones |= zones_of_term(topology, term)
    return zones
