"""Hit counters matched to the model's rules, by ACL name and rule text (then number, then position).

Text first because it is what a reviewer would compare, and it survives renumbering; the number
(IOS/NX-OS sequence, which the running config shows for named ACLs) second; position last, and
only when the ACL has exactly as many entries as rules (a numbered IOS ACL shows no sequence
number in the config). A rule no counter can be tied to has unknown hits: never "unused".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from netaudit.errors import NetauditInputError
from netaudit.hits.model import CounterEntry, DeviceCounters
from netaudit.hits.registry import READERS, read_counters
from netaudit.model import Device, Rule
from netaudit.services import port_number, protocol_number
from netaudit.sources import DEFAULT_MAX_BYTES, read_bytes

# Log options the devices print differently from the config ("log" vs "log informational interval 300").
_LOG_OPTIONS = {"informational", "notifications", "warnings", "errors", "critical", "alerts", "emergencies",
                "debugging", "interval", "disable", "default", "log-input"}


@dataclass(frozen=True, slots=True)
class RuleCounter:
    """The counter of one rule, and the window it covers."""

    hits: int | None
    since: datetime | None
    since_how: str  # 'uptime', 'clear', 'stated', 'unknown'
    coverage_days: int | None
    last_hit: datetime | None
    file: str  # the hits file
    line: int  # its line there
    matched_by: str  # 'text', 'number', 'position'


@dataclass(slots=True)
class HitCounts:
    """Every device's counters and every matched rule's counter, keyed by the rule's config file and line."""

    directory: str
    as_of: date
    devices: dict[str, DeviceCounters] = field(default_factory=dict)  # by device name
    rules: dict[tuple[str, int], RuleCounter] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def for_rule(self, rule: Rule) -> RuleCounter | None:
        return self.rules.get((rule.ref.file, rule.ref.line))


def rule_key(text: str, acl: str) -> tuple[str, ...]:
    """The comparable form of a rule as the config or the device prints it."""
    words = text.replace(", wildcard bits", "").split()
    lowered = [w.lower() for w in words]
    if lowered[:2] == ["access-list", acl.lower()]:
        lowered = lowered[2:]
    if lowered[:1] == ["line"] and len(lowered) > 1 and lowered[1].isdigit():
        lowered = lowered[2:]
    if lowered[:1] and lowered[0].isdigit():
        lowered = lowered[1:]  # IOS / NX-OS sequence number
    if lowered[:1] and lowered[0] in ("extended", "standard"):
        lowered = lowered[1:]
    if lowered[:1] == ["sequence"] and len(lowered) > 1:
        lowered = lowered[2:]
    kept: list[str] = []
    after_log = False
    for word in lowered:
        if word in ("inactive", "(inactive)", "(active)"):
            continue
        if word == "log":
            after_log = True
            kept.append(word)
            continue
        if after_log and (word in _LOG_OPTIONS or word.isdigit()):
            continue
        after_log = False
        kept.append(word)
    return tuple(kept)


def load_hits(directory: str, devices: list[Device], as_of: date, max_bytes: int = DEFAULT_MAX_BYTES) -> HitCounts:
    """Read every file of ``directory`` (one per device) and match its counters to the devices' rules.

    A file is tied to a device by the hostname `netaudit collect` wrote in its header or the prompt
    in it (``fw-edge# show access-list``), else by its name (``fw-edge.txt``). Files for no known device, or for a platform with no reader yet, are
    warnings, not errors: the other devices are still reviewed.
    """
    if not os.path.isdir(directory):
        raise NetauditInputError(directory, None, "--hits must be a folder of `show access-list` outputs (one file per device)")
    result = HitCounts(directory, as_of)
    by_name = {d.name.lower(): d for d in devices}
    for path in sorted(Path(directory).rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(directory).parts) or path.name.startswith("README"):
            continue
        file = str(path)
        text = read_bytes(file, max_bytes).decode("utf-8", errors="replace")
        device = _device_for(text, path, by_name)
        if device is None:
            result.warnings.append(f"{file}: hit counts for no audited device (name the file after the hostname)")
            continue
        if device.platform not in READERS:
            result.warnings.append(f"{file}: no hit-count reader for platform {device.platform} yet")
            continue
        counters = read_counters(text, file, device.platform)
        if counters is None or not counters.entries:
            result.warnings.append(f"{file}: no `show access-list` entries found")
            continue
        if device.name in result.devices:
            result.warnings.append(f"{file}: second hits file for {device.name}; the first one ({result.devices[device.name].file}) is used")
            continue
        result.devices[device.name] = counters
        _date_reading(counters, file)
        result.warnings.extend(f"{file}: {note}" for note in counters.notes)
        _match_device(result, device, counters)
    return result


def _date_reading(counters: DeviceCounters, file: str) -> None:
    """Without `show clock` or a `! collected:` header the reading time is unknown: an uptime then
    dates nothing, and a stated or logged start counts only up to the file's last write (an upper
    bound of the reading), never to the audit date; a note says so."""
    if counters.collected is not None:
        return
    try:
        counters.modified = datetime.fromtimestamp(os.path.getmtime(file))
    except (OSError, ValueError, OverflowError):
        counters.modified = None
    until = f"the file's modification time ({counters.modified:%Y-%m-%d})" if counters.modified else "nothing: coverage unknown"
    counters.notes.append("no collection time (`show clock` or `! collected:`): uptime cannot date the counters; "
                          f"a stated or cleared start counts up to {until}")


def _device_for(text: str, path: Path, by_name: dict[str, Device]) -> Device | None:
    from netaudit.hits.cisco import _COLLECT_HEADER, _PROMPT  # shared by the CLI-based platforms

    for line in text.splitlines()[:200]:
        header = _COLLECT_HEADER.match(line.strip())  # `netaudit collect`: "! hostname: fw-edge" (the config's)
        if header and header.group(1) in ("hostname", "device") and header.group(2).lower() in by_name:
            return by_name[header.group(2).lower()]
        prompt = _PROMPT.match(line.strip())
        if prompt and prompt.group(1).lower() in by_name:
            return by_name[prompt.group(1).lower()]
    name = path.name.lower()
    while name and name not in by_name and "." in name:
        name = name.rsplit(".", 1)[0]  # fw-edge.show-access-list.txt → fw-edge
    return by_name.get(name)


def _match_device(result: HitCounts, device: Device, counters: DeviceCounters) -> None:
    by_acl: dict[str, list[CounterEntry]] = {}
    for entry in counters.entries:
        by_acl.setdefault(entry.acl, []).append(entry)
    for acl in device.filters.values():
        entries = by_acl.pop(acl.name, None)
        if entries is None:
            continue
        since, how = counters.since(result.as_of, acl.name)
        coverage = counters.coverage_days(result.as_of, acl.name)
        unmatched = 0
        for rule, entry, matched_by in _pair(acl.name, acl.rules, entries):
            if entry is None:
                unmatched += 1
                continue
            result.rules[(rule.ref.file, rule.ref.line)] = RuleCounter(
                entry.hits, since, how, coverage, entry.last_hit, counters.file, entry.source_line, matched_by)
            rule.hit_count = entry.hits
            if matched_by != "text":
                result.warnings.append(
                    f"{counters.file}:{entry.source_line}: {device.name} {acl.name}: rule {rule.text!r} ({rule.ref.file}:{rule.ref.line}) "
                    f"takes this counter by {matched_by}, not by its text (the config changed since the counters were read?): "
                    "its hits are shown but never make it unused")
        if unmatched:
            result.warnings.append(f"{counters.file}: {device.name} {acl.name}: {unmatched} rule(s) have no counter "
                                   "(the config changed since the counters were read?); their hits are unknown")
    for name in sorted(by_acl):
        if name not in device.filters:
            result.warnings.append(f"{counters.file}: {device.name}: counters for ACL {name}, which the config does not define")


def _pair(acl: str, rules: list[Rule], entries: list[CounterEntry]) -> list[tuple[Rule, CounterEntry | None, str]]:
    keys = [rule_key(e.text, acl) for e in entries]
    used: set[int] = set()
    paired: list[tuple[Rule, CounterEntry | None, str]] = []
    for rule in rules:
        key = rule_key(rule.text, acl)
        index = next((i for i, k in enumerate(keys) if i not in used and k == key), None)
        how = "text"
        if index is None and rule.name and rule.name.isdigit():
            index = next((i for i, e in enumerate(entries) if i not in used and e.line == int(rule.name) and _same_shape(keys[i], key)), None)
            how = "number"
        paired.append((rule, entries[index] if index is not None else None, how))
        if index is not None:
            used.add(index)
    if len(rules) == len(entries):
        # Same length: a rule whose text the device prints differently (a port name, an address form)
        # takes the entry at its own position, if that one is still free and has the same shape.
        for position, (rule, entry, _how) in enumerate(paired):
            if entry is None and position not in used and _same_shape(keys[position], rule_key(rule.text, acl)):
                paired[position] = (rule, entries[position], "position")
                used.add(position)
    return paired


_PORT_OPERATORS = {"eq": 1, "neq": 1, "lt": 1, "gt": 1, "range": 2}
_ADDRESS_WORDS = {"any", "any4", "any6", "host"}


def _same_shape(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """A counter not tied by text belongs to a rule only if action, protocol and ports agree: the
    address is what a changed config most often edits, and what the device prints in other forms."""
    return bool(a) and bool(b) and _shape(a) == _shape(b)


def _shape(key: tuple[str, ...]) -> tuple[str, str, tuple[int | str, ...]]:
    """Action, protocol (object-group name included; '' for a standard ACL) and ports as numbers."""
    protocol = key[1] if len(key) > 1 else ""
    if protocol in ("object", "object-group") and len(key) > 2:
        protocol = f"{protocol} {key[2]}"
    elif protocol in _ADDRESS_WORDS or protocol[:1].isdigit() or "/" in protocol or ":" in protocol:
        protocol = ""  # standard ACL: an address follows the action
    ports: list[int | str] = []
    for index, word in enumerate(key):
        if count := _PORT_OPERATORS.get(word, 0):
            ports.append(word)
            ports.extend(_port(value, protocol) for value in key[index + 1:index + 1 + count])
    return key[0], protocol, tuple(ports)


def _port(value: str, protocol: str) -> int | str:
    """A port as a number whatever the device calls it (``www`` / ``80``); unknown names as written."""
    try:
        return port_number(value, protocol_number(protocol) if protocol else None)
    except KeyError:
        try:
            return port_number(value, None)
        except KeyError:
            return value
