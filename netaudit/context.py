"""What every check reads: the parsed devices, the topology, the zone graph and the audit date.

The packet-set engine and the reachability analysis are built on first use and shared by every
check of the audit (building them is the expensive part of an audit; checks that need no flows
never pay for it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from netaudit.graph import ZoneGraph
from netaudit.model import Device
from netaudit.topology import Topology

if TYPE_CHECKING:
    from netaudit.analysis.reachability import Reachability
    from netaudit.headerspace import HeaderSpace


@dataclass(slots=True)
class AuditContext:
    devices: list[Device]
    topology: Topology
    graph: ZoneGraph
    as_of: date
    notes: list[str] = field(default_factory=list)
    flow_questions: Any = None  # checks.flows caches its per-audit state here
    anomalies: Any = None  # checks.anomalies: every packet filter's anomalies, computed once per audit
    _space: HeaderSpace | None = None
    _reachability: Reachability | None = None

    def headerspace(self) -> HeaderSpace:
        if self._space is None:
            from netaudit.headerspace import HeaderSpace

            self._space = HeaderSpace()
        return self._space

    def reachability(self) -> Reachability:
        if self._reachability is None:
            from netaudit.analysis.reachability import Reachability

            self._reachability = Reachability(self.graph, self.headerspace(), self.as_of)
        return self._reachability
