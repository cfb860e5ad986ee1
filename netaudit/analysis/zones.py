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


class ZoneIndex:
    """``zones_of`` for a whole rule base: the same answers, each term and object-group worked out once.

    Rule bases name the same hosts, subnets and groups thousands of times; a term's zones depend on
    the topology only, and containment of a declared prefix in the term's covering prefix is an
    integer comparison here (``ipaddress.subnet_of`` for every cidr of every zone was most of the
    cost of judging 90,000 rules).
    """

    def __init__(self, topology: Topology) -> None:
        self.topology = topology
        self._cidrs = [(cidr.version, cidr.max_prefixlen, cidr.prefixlen, int(cidr.network_address), zone)
                       for zone in topology.zones.values() for cidr in zone.cidrs]
        self._external = next((z for z in topology.zones.values() if z.is_catch_all_external), None)
        self._terms: dict[AddressTerm, frozenset[Zone]] = {}
        self._sets: dict[int, tuple[tuple[AddressTerm, ...], frozenset[Zone]]] = {}

    def of(self, addresses: AddressSet) -> frozenset[Zone]:
        """Every zone that holds some address of the set (as ``zones_of``)."""
        terms = addresses.terms
        known = self._sets.get(id(terms))
        if known is None or known[0] is not terms:
            zones: set[Zone] = set()
            for term in terms:
                zones |= self.of_term(term)
            known = self._sets[id(terms)] = (terms, frozenset(zones))
        return known[1]

    def of_term(self, term: AddressTerm) -> frozenset[Zone]:
        """Every zone that holds some address of the term (as ``zones_of_term``)."""
        zones = self._terms.get(term)
        if zones is None:
            zones = self._terms[term] = frozenset(self._zones_of_term(term))
        return zones

    def _zones_of_term(self, term: AddressTerm) -> set[Zone]:
        network = covering_network(term)
        zones: set[Zone] = set()
        inner = self.topology.zone_of_network(network)
        if inner is not None:
            zones.add(inner)
        version, plen, value = network.version, network.prefixlen, int(network.network_address)
        for cidr_version, bits, cidr_plen, cidr_value, zone in self._cidrs:
            # the cidr is inside the term's covering prefix: as long or longer, and the same leading bits
            if cidr_version == version and cidr_plen >= plen and cidr_value >> (bits - plen) == value >> (bits - plen):
                zones.add(zone)
        if (not zones or inner is None) and self._external is not None and (is_public(network) or network.prefixlen < 8):
            zones.add(self._external)
        return zones
