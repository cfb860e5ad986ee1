"""Hit counts: per-platform readers of `show access-list` output, neutral counters, matching to rules.

``load_hits`` is all the pipeline calls; the ``unused-rule`` check and the review read the
``HitCounts`` it returns, never vendor text.
"""

from netaudit.hits import cisco  # noqa: F401  (registers the Cisco readers)
from netaudit.hits.match import HitCounts, RuleCounter, load_hits, rule_key
from netaudit.hits.model import CounterEntry, DeviceCounters
from netaudit.hits.registry import READERS, read_counters, reader

__all__ = ["READERS", "CounterEntry", "DeviceCounters", "HitCounts", "RuleCounter", "load_hits", "read_counters", "reader", "rule_key"]
