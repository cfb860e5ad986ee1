"""What every check reads: the parsed devices, the topology, the zone graph and the audit date.

The packet-set engine and the reachability analysis are built on first use and shared by every
check of the audit (building them is the expensive part of an audit; checks that need no flows
never pay for it).
"""

from __future__ import annotations

import contextlib
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
    hits: Any = None  # hits.HitCounts when --hits was given: rule counters for unused-rule and the review
    _space: HeaderSpace | None = None
    _reachability: Reachability | None = None

    def headerspace(self) -> HeaderSpace:
        if self._space is None:
            from netaudit.headerspace import HeaderSpace

            self._space = HeaderSpace()
            _bounded_tables(self._space)
        return self._space

    def release_analysis(self) -> None:
        """Drop what the checks computed (paths, anomalies, packet sets, the BDD manager last), so
        that a large audit's report is written in the memory the analysis used. The context can be
        analysed again afterwards: everything is rebuilt on use. Dropped here, by reference counts,
        the diagrams go before their BDD manager; left to the cycle collector (the flow questions
        refer back to the context), the manager can go first, and CUDD then refuses to shut down."""
        self.flow_questions = None  # it refers back to the context: drop it first, and the rest goes with it
        self.anomalies = None
        self._reachability = None
        self._space = None

    def built_reachability(self) -> Reachability | None:
        """The reachability analysis if a check has built it (None: no flow question was asked)."""
        return self._reachability

    def reachability(self) -> Reachability:
        if self._reachability is None:
            from netaudit.analysis.reachability import Reachability

            self._reachability = Reachability(self.graph, self.headerspace(), self.as_of)
        return self._reachability


# CUDD's operation cache (one 32-byte entry per slot) grows to 16M slots on a large estate, and its
# node table grows freely to 18M nodes, garbage included, before the first collection: 1.1 GiB of the
# audit's memory. Capped as below, the same audit of a million lines keeps CUDD under 0.5 GiB and
# takes no longer (benchmarks/README.md).
MAX_CACHE_SLOTS = 1 << 20
LOOSE_UP_TO = 1_000_000


def _bounded_tables(space: HeaderSpace) -> None:
    """Bound CUDD's operation cache and the unique table's free growth (speed settings, never results)."""
    configure = getattr(space.bdd, "configure", None)
    if configure is None or getattr(space, "backend", "cudd") != "cudd":
        return
    with contextlib.suppress(TypeError, ValueError, KeyError):  # another dd version: its defaults
        configure(max_cache_hard=MAX_CACHE_SLOTS, loose_up_to=LOOSE_UP_TO)
