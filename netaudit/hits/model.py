"""Vendor-neutral hit counters: what a `show access-list` says, once the vendor text is read.

Every reader (``cisco.py`` today; FortiOS, PAN-OS, Junos later) turns one device's command output
into a ``DeviceCounters``; matching to rules (``match.py``) and the ``unused-rule`` check only ever
see these dataclasses, never vendor text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta


@dataclass(frozen=True, slots=True)
class CounterEntry:
    """One entry of one ACL with its counter.

    ``line`` is the number the device shows (ASA ``line N``, IOS/NX-OS sequence number); ``text`` is
    the entry as printed with the counter and vendor decorations removed, for matching to the rule.
    ``hits`` None: the device keeps no counter for it (NX-OS without ``statistics per-entry``).
    """

    acl: str
    line: int | None
    text: str
    hits: int | None
    last_hit: datetime | None = None  # FortiOS / PAN-OS print it; Cisco does not
    source_line: int = 0  # 1-based line in the hits file


@dataclass(slots=True)
class DeviceCounters:
    """One device's counters, and since when they have been counting.

    The boot (``uptime`` from ``show version``, counted back from the collection time), a logged
    ``clear access-list counters`` (``cleared``) and a ``counters-since:`` line a collector wrote
    (``stated``) each start the counters afresh; they cover the time since the latest of them.
    Unknown start or unknown reading time: coverage unknown, and no rule is ever called unused on
    such counters.
    """

    file: str
    platform: str
    hostname: str | None = None
    entries: list[CounterEntry] = field(default_factory=list)
    collected: datetime | None = None  # `show clock` at collection
    uptime: timedelta | None = None
    cleared: datetime | None = None  # a clear of every ACL's counters
    cleared_acl: dict[str, datetime] = field(default_factory=dict)  # ASA: `clear access-list NAME counters`
    stated: datetime | None = None
    modified: datetime | None = None  # the hits file's mtime: an upper bound of the reading time
    parser: str = "netaudit"  # 'ntc-templates' when TextFSM read the entries
    notes: list[str] = field(default_factory=list)

    def end(self, as_of: date) -> datetime | None:
        """When the counters were read: `show clock` or the collect header; else no later than the
        file was last written (``modified``) nor the end of the audit date; else unknown."""
        if self.collected is not None:
            return self.collected
        if self.modified is None:
            return None
        return min(self.modified, datetime.combine(as_of, datetime.max.time()).replace(microsecond=0))

    def since(self, as_of: date, acl: str | None = None) -> tuple[datetime | None, str]:
        """When the counters of ``acl`` started counting, and how that is known."""
        candidates = [(self._booted(), "uptime"), (self.cleared, "clear"), (self.stated, "stated")]
        if acl is not None and acl in self.cleared_acl:
            candidates.append((self.cleared_acl[acl], "clear"))
        known = [(when, how) for when, how in candidates if when is not None]
        if not known:
            return None, "unknown"
        return max(known, key=lambda item: item[0])  # type: ignore[return-value, arg-type]

    def _booted(self) -> datetime | None:
        """The boot, counted back from the collection time: uptime is relative to when it was read,
        so without a collection time it dates nothing (a file's mtime is not the reading time)."""
        if self.uptime is None or self.collected is None:
            return None
        try:
            return self.collected - self.uptime
        except OverflowError:  # an uptime reaching before year 1: no start at all
            return None

    def coverage_days(self, as_of: date, acl: str | None = None) -> int | None:
        """Whole days the counters cover, up to the reading time (see ``end``); None when unknown."""
        start, _ = self.since(as_of, acl)
        end = self.end(as_of)
        if start is None or end is None:
            return None
        return max(0, (end - start).days)
