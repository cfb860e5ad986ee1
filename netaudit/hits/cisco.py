"""Cisco IOS / IOS-XE, NX-OS and ASA hit counters: `show access-list` with `show clock`,
`show version` (uptime) and logged counter clears, as the devices print them.

The entries of IOS and ASA output are read with the ntc-templates TextFSM templates (the community's
reference parsers for these commands); NX-OS's template has no counter field, so NX-OS (and any
IOS/ASA output a template refuses) is read by the line patterns here. Both ways give the same
``CounterEntry`` list (tests/test_hits.py checks they agree on every fixture).

Formats (real device output):

* IOS ``show ip access-lists``: ``Extended IP access list NAME`` then ``    10 permit tcp any host
  10.1.1.1 eq www (1234 matches)``; an entry never hit prints no counter (0). IPv6 entries end with
  ``sequence 20``.
* NX-OS ``show access-lists``: ``IP access list NAME`` then ``        10 permit ip any any
  [match=12]``; counters exist only where the ACL has ``statistics per-entry``.
* ASA ``show access-list``: ``access-list NAME line 3 extended permit tcp any object WAF01 eq www
  (hitcnt=12) 0x1a2b3c4d``; the indented lines under it are its object-group expansion (the
  parent's count is their sum); remarks take line numbers too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from netaudit.hits.model import CounterEntry, DeviceCounters
from netaudit.hits.registry import reader

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}

# `show clock`: "*10:15:32.123 UTC Tue Nov 24 2026" (IOS; '*' = not synchronised), ASA and NX-OS alike.
_CLOCK = re.compile(r"^[*.]?(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?\s+\S+\s+\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{4})\s*$")
# Uptime: IOS "rtr-inet uptime is 1 year, 2 weeks, 3 days, 4 hours, 5 minutes";
# NX-OS "Kernel uptime is 245 day(s), 3 hour(s), 12 minute(s), 5 second(s)"; ASA "fw-edge up 245 days 3 hours".
_UPTIME = re.compile(r"^(?:\S+\s+uptime is|Kernel uptime is|(?!failover\b)\S+\s+up)\s+(\d.*)$")
_DURATION = re.compile(r"(\d+)\s*(year|week|day|hour|min|sec)\w*(?:\(s\))?", re.IGNORECASE)
_UNIT_SECONDS = {"year": 365 * 86400, "week": 7 * 86400, "day": 86400, "hour": 3600, "min": 60, "sec": 1}
# A collector's own statement: "! counters-since: 2026-05-01" (or "# counters since = 2026-05-01 08:00").
_STATED = re.compile(r"^\s*[!#]\s*counters[- ]since\s*[:=]\s*(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}))?", re.IGNORECASE)
# The header `netaudit collect` writes above the output (docs/collect.md): "! collected: 2026-11-25T10:15:32",
# "! booted: 2026-03-02T08:00:00", "! hostname: fw-edge" (ISO times, the device's clock).
_COLLECT_HEADER = re.compile(r"^!\s*(collected|booted|hostname|device):\s*(\S+)\s*$")
# The prompt before a command names the device: "fw-edge/pri/act# show access-list", "core-sw#sh ip access-lists".
_PROMPT = re.compile(r"^([A-Za-z0-9][\w.\-]*)(?:/[\w/]+)?[#>]\s*(?:sh|show)\b")
# ASA syslog 111008 (logging timestamp on): "Nov 20 2026 10:15:32: %ASA-5-111008: User 'admin' executed the
# 'clear access-list OUTSIDE_IN counters' command."
_ASA_CLEAR = re.compile(
    r"^(\w{3})\s+(\d{1,2})\s+(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})\S*\s*:?\s*%ASA-\d-11100[78]:.*'clear access-list(?:\s+(\S+))?\s+counters'")
# NX-OS `show accounting log`: "Fri Nov 20 10:15:32 2026:type=update:id=vsh.123:user=admin:cmd=clear ip access-list counters (SUCCESS)"
_NXOS_CLEAR = re.compile(
    r"^\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4}):.*cmd=clear (?:ip |ipv6 )?access-list counters(?:\s+(?!\()(\S+))?")


def read_common(text: str, file: str, platform: str) -> DeviceCounters:
    """What every Cisco platform prints alike: the prompt, the clock, the uptime, a stated start."""
    counters = DeviceCounters(file=file, platform=platform)
    header: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if collected := _COLLECT_HEADER.match(line):
            header.setdefault(collected.group(1), collected.group(2))
        elif counters.hostname is None and (prompt := _PROMPT.match(line)):
            counters.hostname = prompt.group(1)
        elif counters.collected is None and (clock := _CLOCK.match(line.strip())):
            hour, minute, second, month, day, year = clock.groups()
            if month.lower()[:3] in _MONTHS:
                counters.collected = _when(counters, number, "show clock", _cisco_time, year, month, day, hour, minute, second)
        elif counters.uptime is None and (uptime := _UPTIME.match(line.strip())):
            counters.uptime = _uptime(counters, number, uptime.group(1))
        elif stated := _STATED.match(line):
            when = _when(counters, number, "counters-since", _stated_time, stated.group(1), stated.group(2) or "")
            if when is not None:
                counters.stated = max(counters.stated or when, when)
    _apply_collect_header(counters, header)
    _check_uptime(counters)
    return counters


def _when(counters: DeviceCounters, number: int, what: str, build: Callable[..., datetime | None], *parts: str) -> datetime | None:
    """A date the device or collector printed, or None with a note: one impossible date ("Feb 30",
    hour 25) must cost that line only, never the run."""
    try:
        return build(*parts)
    except (ValueError, OverflowError):
        counters.notes.append(f"line {number}: {what} is not a valid date/time; the line is ignored")
        return None


def _cisco_time(year: str, month: str, day: str, hour: str, minute: str, second: str) -> datetime | None:
    """A Cisco clock or log time ("Nov 24 2026 10:15:32"); None for a month name it does not know."""
    number = _MONTHS.get(month.lower()[:3])
    return datetime(int(year), number, int(day), int(hour), int(minute), int(second)) if number else None


def _stated_time(day: str, time: str) -> datetime:
    """A collector's `counters-since` date, with its optional "8:00" time."""
    hour, _, minute = time.partition(":")
    return datetime.fromisoformat(day + (f"T{int(hour):02d}:{minute}" if time else ""))


def _uptime(counters: DeviceCounters, number: int, text: str) -> timedelta | None:
    """The uptime as a duration; None (with a note when absurd) when it says nothing usable."""
    try:
        seconds = sum(int(n) * _UNIT_SECONDS[unit.lower()] for n, unit in _DURATION.findall(text))
        return timedelta(seconds=seconds) if seconds else None
    except OverflowError:
        counters.notes.append(f"line {number}: uptime {text!r} is out of range; the line is ignored")
        return None


def _check_uptime(counters: DeviceCounters) -> None:
    """An uptime reaching before year 1 ("9000 years") dates no boot: drop it, with a note."""
    if counters.uptime is None or counters.collected is None:
        return
    try:
        counters.collected - counters.uptime
    except OverflowError:
        counters.notes.append(f"uptime of {counters.uptime.days} days is before any possible boot; it is ignored")
        counters.uptime = None


def _apply_collect_header(counters: DeviceCounters, header: dict[str, str]) -> None:
    """What `netaudit collect` recorded: the collection time and the boot (counters start at boot at
    the latest), and the device's own hostname; the output itself, where it says more, wins."""
    counters.hostname = counters.hostname or header.get("hostname") or header.get("device")
    try:
        collected = datetime.fromisoformat(header["collected"]).replace(tzinfo=None) if "collected" in header else None
        booted = datetime.fromisoformat(header["booted"]).replace(tzinfo=None) if "booted" in header else None
    except ValueError:
        counters.notes.append("unreadable collect header time: counters period from the output only")
        return
    counters.collected = counters.collected or collected
    if booted is not None and counters.uptime is None and counters.collected is not None and counters.collected >= booted:
        counters.uptime = counters.collected - booted


def _record_clear(counters: DeviceCounters, when: datetime, acl: str | None) -> None:
    if acl:
        counters.cleared_acl[acl] = max(counters.cleared_acl.get(acl, when), when)
    else:
        counters.cleared = max(counters.cleared or when, when)


# ----------------------------------------------------------------------------- IOS / IOS-XE

_IOS_HEADER = re.compile(r"^(?:Standard|Extended|Reflexive|Role-based) IP access list (\S+)|^IPv6 access list (\S+)")
_IOS_ENTRY = re.compile(r"^\s+(\d+)\s+(permit|deny|evaluate|dynamic)\b(.*?)\s*$")
_IOS_V6_ENTRY = re.compile(r"^\s+(permit|deny)\b(.*?)\s+sequence\s+(\d+)\s*$")
_IOS_MATCHES = re.compile(r"\s*\((\d+) match(?:es)?\)")
_IOS_DECORATION = re.compile(r"\s*\((?:tag = \S+|active|inactive)\)")


def ios_entries(text: str) -> tuple[list[CounterEntry], list[str]]:
    """The IOS entries by netaudit's own patterns, and the lines of the ACL section (for TextFSM)."""
    entries: list[CounterEntry] = []
    section: list[str] = []
    acl: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if header := _IOS_HEADER.match(line):
            acl = header.group(1) or header.group(2)
            section.append(line)
            continue
        if acl is None:
            continue
        v6 = _IOS_V6_ENTRY.match(line)
        entry = _IOS_ENTRY.match(line)
        if entry:
            seq, body = int(entry.group(1)), f"{entry.group(2)}{entry.group(3)}"
        elif v6:
            seq, body = int(v6.group(3)), f"{v6.group(1)}{v6.group(2)}"
        else:
            if line and not line[0].isspace():
                acl = None  # another command's output begins
            continue
        section.append(line)
        matches = _IOS_MATCHES.search(body)
        body = _IOS_DECORATION.sub("", _IOS_MATCHES.sub("", body)).strip()
        entries.append(CounterEntry(acl, seq, body, int(matches.group(1)) if matches else 0, source_line=number))
    return entries, section


@reader("ios")
def read_ios(text: str, file: str) -> DeviceCounters:
    counters = read_common(text, file, "ios")
    entries, section = ios_entries(text)
    records = _textfsm("cisco_ios", "show ip access-lists", section) if not any(_IOS_V6_ENTRY.match(s) for s in section) else None
    if records is not None:
        counts = {(r["acl_name"], int(r["line_num"])): int(r["matches"] or 0) for r in records if r.get("line_num")}
        if len(counts) == len(entries):
            entries = [_with_hits(e, counts.get((e.acl, e.line or 0), e.hits)) for e in entries]
            counters.parser = "ntc-templates"
    counters.entries = entries
    return counters


# ----------------------------------------------------------------------------- NX-OS

_NXOS_HEADER = re.compile(r"^(?:IP|IPv6|MAC) access list (\S+)\s*$")
_NXOS_ENTRY = re.compile(r"^\s+(\d+)\s+(permit|deny)\b(.*?)\s*$")
_NXOS_MATCH = re.compile(r"\s*\[match=(\d+)\]")


@reader("nxos")
def read_nxos(text: str, file: str) -> DeviceCounters:
    """NX-OS prints a counter only for ACLs with `statistics per-entry`: elsewhere hits stay unknown."""
    counters = read_common(text, file, "nxos")
    acl: str | None = None
    per_entry = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if clear := _NXOS_CLEAR.match(line):
            month, day, hour, minute, second, year, name = clear.groups()
            when = _when(counters, number, "clear in the accounting log", _cisco_time, year, month, day, hour, minute, second)
            if when is not None:
                _record_clear(counters, when, name)
            continue
        if header := _NXOS_HEADER.match(line):
            acl, per_entry = header.group(1), False
            continue
        if acl is None:
            continue
        if line.strip() == "statistics per-entry":
            per_entry = True
            continue
        entry = _NXOS_ENTRY.match(line)
        if entry is None:
            if line and not line[0].isspace():
                acl = None
            continue
        body = f"{entry.group(2)}{entry.group(3)}"
        match = _NXOS_MATCH.search(body)
        hits = int(match.group(1)) if match else None
        if hits is None and per_entry:
            hits = 0  # statistics on, entry not yet hit: some releases omit [match=0]
        counters.entries.append(CounterEntry(acl, int(entry.group(1)), _NXOS_MATCH.sub("", body).strip(), hits, source_line=number))
    if any(e.hits is None for e in counters.entries):
        acls = sorted({e.acl for e in counters.entries if e.hits is None})
        counters.notes.append(f"no per-entry counters (add `statistics per-entry`): {', '.join(acls)}")
    return counters


# ----------------------------------------------------------------------------- ASA

_ASA_LINE = re.compile(r"^(\s*)access-list\s+(\S+)\s+line\s+(\d+)\s+(\S+)(.*?)\s*$")
_ASA_HITCNT = re.compile(r"\s*\(hitcnt=(\d+)\)")
_ASA_TAIL = re.compile(r"\s*(?:\(inactive\)\s*)?0x[0-9a-fA-F]+\s*$")


def asa_entries(text: str, counters: DeviceCounters | None = None) -> tuple[list[CounterEntry], list[str], list[tuple[datetime, str | None]]]:
    """The ASA rules (top-level lines; remarks and object-group expansions skipped), the section
    lines for TextFSM, and the logged counter clears (an impossible date: a note on ``counters``)."""
    sink = counters if counters is not None else DeviceCounters(file="", platform="asa")
    entries: list[CounterEntry] = []
    section: list[str] = []
    clears: list[tuple[datetime, str | None]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if clear := _ASA_CLEAR.match(line):
            month, day, year, hour, minute, second, name = clear.groups()
            when = _when(sink, number, "clear in the 111008 log", _cisco_time, year, month, day, hour, minute, second)
            if when is not None:
                clears.append((when, name))
            continue
        if line.startswith("access-list cached ACL log flows") or line.strip().startswith("alert-interval") or re.match(r"^access-list \S+; \d+ elements;", line):
            section.append(line)
            continue
        entry = _ASA_LINE.match(line)
        if entry is None:
            continue
        section.append(line)
        indent, acl, line_no, kind, rest = entry.groups()
        if indent or kind == "remark":
            continue
        hitcnt = _ASA_HITCNT.search(rest)
        body = _ASA_TAIL.sub("", _ASA_HITCNT.sub("", rest)).strip()
        entries.append(CounterEntry(acl, int(line_no), f"access-list {acl} {kind} {body}".strip(),
                                    int(hitcnt.group(1)) if hitcnt else None, source_line=number))
    return entries, section, clears


@reader("asa")
def read_asa(text: str, file: str) -> DeviceCounters:
    counters = read_common(text, file, "asa")
    entries, section, clears = asa_entries(text, counters)
    for when, acl in clears:
        _record_clear(counters, when, acl)
    records = _textfsm("cisco_asa", "show access-list", section)
    if records is not None:
        first: dict[tuple[str, int], int] = {}
        for record in records:  # the parent line comes before its expansion, which repeats its line number
            if record.get("line_num") and not record.get("remark"):
                key = (record["acl_name"], int(record["line_num"]))
                count = record.get("hit_count") or record.get("entry_hit_count")
                if key not in first and count != "":
                    first[key] = int(count)
        if all((e.acl, e.line) in first for e in entries):
            entries = [_with_hits(e, first[(e.acl, e.line or 0)]) for e in entries]
            counters.parser = "ntc-templates"
    counters.entries = entries
    return counters


# ----------------------------------------------------------------------------- TextFSM


def _with_hits(entry: CounterEntry, hits: int | None) -> CounterEntry:
    return CounterEntry(entry.acl, entry.line, entry.text, hits, entry.last_hit, entry.source_line)


def _textfsm(platform: str, command: str, lines: list[str]) -> list[dict[str, str]] | None:
    """The ntc-templates parse of the ACL section, or None when the template refuses a line (an
    entry shape it does not know): the caller then keeps its own reading."""
    if not lines:
        return None
    try:
        from ntc_templates.parse import parse_output

        return parse_output(platform=platform, command=command, data="\n".join(lines) + "\n")  # type: ignore[no-any-return]
    except Exception:  # TextFSM 'Error' state or a template problem: not ours to fail on
        return None
