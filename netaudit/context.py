"""What every check reads: the parsed devices, the topology, the zone graph and the audit date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from netaudit.graph import ZoneGraph
from netaudit.model import Device
from netaudit.topology import Topology, Zone


@dataclass(slots=True)
class AuditContext:
    devices: list[Device]
    topology: Topology
    graph: ZoneGraph
    as_of: date
    notes: list[str] = field(default_factory=list)

    def zone_of_interface_address(self, address: str) -> Zone | None:
        return self.topology.zone_of_network(address)
