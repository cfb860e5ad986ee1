"""The quarterly rule review (Art. 15.4) as data: one row per rule of every packet filter.

The flags on a row are the audit's own findings, indexed by the rule's file and line, so the
workbook can never disagree with ``netaudit audit``; the info facts (correlated, partially
shadowed) come from the same anomaly analysis (``AuditResult.rule_facts``). Addresses, services
and zones are read off the model; the writers (xlsx, csv, html) only lay this out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from netaudit.analysis.zones import ZoneIndex
from netaudit.dates import end_dates
from netaudit.findings import SEVERITY_RANK, Finding, fingerprint
from netaudit.graph import crosses
from netaudit.model import AddressSet, Device, Filter, Rule
from netaudit.pipeline import AuditResult
from netaudit.secrets import mask_secrets
from netaudit.services import format_service

# The catalog's rule-review checks, each shown in its own column (key of ReviewRow).
FLAG_COLUMNS: dict[str, str] = {
    "any-any-rule": "any_any", "broad-rule": "broad", "shadowed-rule": "shadowed_by", "redundant-rule": "redundant_with",
    "unused-rule": "unused", "expired-rule": "expired", "undocumented-rule": "undocumented",
    "risky-service-rule": "risky", "disabled-rule": "disabled",
}
MAX_CELL = 2000  # an object-group of thousands of members: the cell says how many more
DECISIONS = ("keep", "modify", "remove")
DECISION_LABELS = {"en": {"keep": "keep", "modify": "modify", "remove": "remove"},
                   "zh-TW": {"keep": "保留", "modify": "修改", "remove": "刪除"}}


@dataclass(slots=True)
class ReviewRow:
    """One rule as the reviewer sees it, with every flag and the reviewer's columns."""

    rule_id: str  # device + filter + rule text (no sequence number) + occurrence: stable when lines move; keys --previous
    content: str  # rule text + what its objects resolve to (uncut): tells an edited object-group apart
    device: str
    filter: str
    file: str
    line: int
    name: str  # sequence number / policy id as the vendor shows it
    rule: str
    action: str
    source: str
    source_expanded: str
    destination: str
    destination_expanded: str
    service: str
    service_expanded: str
    zones: str
    remark: str
    ticket: str
    owner: str
    expires: str
    hits: int | None
    last_hit: str
    counters: str  # the window the counters cover
    any_any: str = ""
    broad: str = ""
    shadowed_by: str = ""
    redundant_with: str = ""
    correlated_with: str = ""
    partially_shadowed_by: str = ""
    unused: str = ""
    expired: str = ""
    undocumented: str = ""
    risky: str = ""
    disabled: str = ""
    other_findings: str = ""
    severity: str = ""
    change: str = ""  # new / changed / unchanged (with --previous)
    previous_decision: str = ""
    decision: str = ""
    justification: str = ""
    reviewer: str = ""
    review_date: str = ""
    checks: set[str] = field(default_factory=set)  # check ids of the findings on this rule

    def value(self, key: str) -> Any:
        return getattr(self, key)


@dataclass(slots=True)
class FilterSheet:
    device: str
    platform: str
    filter: str
    uses: str
    rows: list[ReviewRow]


@dataclass(slots=True)
class DeviceSummary:
    device: str
    platform: str
    role: str
    counts: dict[str, int]
    counters: str  # hit-count coverage, or why none


@dataclass(slots=True)
class Review:
    as_of: date
    period_start: date
    lang: str
    title: str
    article: str
    configs: list[str]
    hits_dir: str | None
    unused_days: int
    summaries: list[DeviceSummary]
    sheets: list[FilterSheet]
    removed: list[dict[str, str]] = field(default_factory=list)  # rules of the previous review gone since
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[ReviewRow]:
        return [row for sheet in self.sheets for row in sheet.rows]


# ----------------------------------------------------------------------------- remarks

_TICKET = re.compile(r"(?i)(?<![\w-])(?:CHG|CR|CRQ|RFC|REQ|RITM|SR|INC|TKT|CHANGE|FW)[-_#]?\d[\w-]*|變更單(?:號)?\s*[:：#]?\s*[\w-]+")
_OWNER = re.compile(r"(?i)(?:owner|requester|requested by|contact|負責人|申請人|聯絡人|承辦人?)\s*[:：=]?\s*([\w.@\-]+|[\u4e00-\u9fff]{2,4})")


def remark_fields(remark: str) -> tuple[str, str]:
    """The change ticket and owner written in a remark (empty when absent)."""
    ticket = _TICKET.search(remark)
    owner = _OWNER.search(remark)
    return (ticket.group(0) if ticket else ""), (owner.group(1) if owner else "")


def rule_expiry(rule: Rule) -> str:
    if rule.schedule_end is not None:
        return rule.schedule_end.isoformat()
    ends = [end for end, _ in end_dates(rule.remark or "")]
    return max(ends).isoformat() if ends else ""


# ----------------------------------------------------------------------------- cells


def _cap(text: str) -> str:
    if len(text) <= MAX_CELL:
        return text
    head = text[:MAX_CELL].rsplit(", ", 1)[0]
    return f"{head}, … (+{text.count(', ') - head.count(', ')} more)"


def expand_addresses(addresses: AddressSet) -> str:
    """Every member, uncut: the fingerprint needs all of them; only the cell is cut (``_cap``)."""
    if addresses.is_any:
        return "any"
    if not addresses.terms:
        return "(nothing: undefined object)" if addresses.unresolved else ""
    return ", ".join(str(term) for term in addresses.terms)


def expand_services(rule: Rule) -> str:
    return ", ".join(format_service(s) for s in rule.services) or "any"


def rule_words(text: str, name: str | None) -> list[str]:
    """The rule's words without its IOS / NX-OS sequence number: a resequence must not change its id."""
    words = text.split()
    if words and name and name.isdigit() and words[0] == name:
        return words[1:]
    return words


def rule_shape(text: str, name: str | None) -> tuple[str, str]:
    """Action and protocol (the first two words after the number): what an edit must keep to be 'the same rule'."""
    words = [w.lower() for w in rule_words(text, name)[:2]]
    return (words + ["", ""])[0], (words + ["", ""])[1]


def rule_id(device: str, acl: str, text: str, name: str | None = None, occurrence: int = 0) -> str:
    """Device + filter + rule text (sequence number dropped) + which of identical texts it is.

    The first occurrence hashes as before the occurrence count existed, so older workbooks of
    rules without a number still match.
    """
    parts: tuple[object, ...] = ("review", device, acl, " ".join(rule_words(text, name)))
    return fingerprint(*parts, occurrence) if occurrence else fingerprint(*parts)


# ----------------------------------------------------------------------------- building


def build_review(result: AuditResult, lang: str, configs: list[str], *, previous: Any = None) -> Review:
    """Every rule of every packet filter, flagged by the audit's findings (``result``)."""
    at_line: dict[tuple[str, int], list[Finding]] = defaultdict(list)
    for finding in result.findings:
        if finding.file and finding.line:
            at_line[(finding.file, finding.line)].append(finding)
    facts: dict[tuple[str, int], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for fact in result.rule_facts:
        facts[(str(fact["file"]), int(fact["line"]))][str(fact["kind"])].extend(fact["related"])  # type: ignore[arg-type, call-overload]
    zones = ZoneIndex(result.topology)
    unused_days = int(result.params.get("unused_days", 180))
    sheets: list[FilterSheet] = []
    summaries: list[DeviceSummary] = []
    for device in result.devices:
        filters = [acl for acl in device.filters.values() if acl.is_packet_filter and acl.rules]
        if not filters:
            continue
        device_sheets = [FilterSheet(device.name, device.platform, acl.name, ", ".join(sorted(acl.uses)) or "unbound",
                                     [_row(result, device, acl, rule, occurrence, at_line, facts, zones, lang)
                                      for rule, occurrence in _occurrences(acl)])
                         for acl in filters]
        sheets.extend(device_sheets)
        summaries.append(_summary(result, device, device_sheets, lang))
    period_start = _quarter_start(result.as_of)
    review = Review(result.as_of, period_start, lang, "", "15.4", configs, getattr(result.hits, "directory", None),
                    unused_days, summaries, sheets, warnings=list(result.warnings))
    if previous is not None:
        previous.apply(review)
    return review


def _occurrences(acl: Filter) -> list[tuple[Rule, int]]:
    """Each rule with how many identical rules (same text, number aside) come before it in the filter.

    Two identical permits are two rows with two decisions: the count keeps their ids apart.
    """
    seen: dict[str, int] = defaultdict(int)
    numbered: list[tuple[Rule, int]] = []
    for rule in acl.rules:
        key = " ".join(rule_words(mask_secrets(rule.text), rule.name))
        numbered.append((rule, seen[key]))
        seen[key] += 1
    return numbered


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _zones(zones: ZoneIndex, rule: Rule) -> str:
    sources = sorted(zones.of(rule.sources), key=lambda z: z.name)
    destinations = sorted(zones.of(rule.destinations), key=lambda z: z.name)
    if not sources and not destinations:
        return ""
    crossing = any(crosses(a, b) for a in sources for b in destinations)
    text = f"{', '.join(z.name for z in sources) or '?'} → {', '.join(z.name for z in destinations) or '?'}"
    return f"{text} ✕" if crossing else text


def _row(result: AuditResult, device: Device, acl: Filter, rule: Rule, occurrence: int, at_line: dict[tuple[str, int], list[Finding]],
         facts: dict[tuple[str, int], dict[str, list[int]]], zones: ZoneIndex, lang: str) -> ReviewRow:
    key = (rule.ref.file, rule.ref.line)
    remark = mask_secrets(rule.remark or "")
    ticket, owner = remark_fields(remark)
    text = mask_secrets(rule.text)
    sources, destinations, services = expand_addresses(rule.sources), expand_addresses(rule.destinations), expand_services(rule)
    source_expanded, destination_expanded, service_expanded = _cap(sources), _cap(destinations), _cap(services)
    counter = result.hits.for_rule(rule) if result.hits is not None else None
    row = ReviewRow(
        rule_id=rule_id(device.name, acl.name, text, rule.name, occurrence),
        content=_content(" ".join(rule_words(text, rule.name)), rule, sources, destinations, services),
        device=device.name, filter=acl.name, file=rule.ref.file, line=rule.ref.line, name=rule.name or "",
        rule=text, action=rule.action, source=rule.sources.text or "any", source_expanded=source_expanded,
        destination=rule.destinations.text or "any", destination_expanded=destination_expanded,
        service=rule.services_text or service_expanded, service_expanded=service_expanded,
        zones=_zones(zones, rule), remark=remark, ticket=ticket, owner=owner, expires=rule_expiry(rule),
        hits=counter.hits if counter is not None else None,
        last_hit=counter.last_hit.date().isoformat() if counter is not None and counter.last_hit else "",
        counters=_coverage(counter, lang),
    )
    info = facts.get(key, {})
    row.correlated_with = ", ".join(str(n) for n in sorted(set(info.get("correlated", []))))
    row.partially_shadowed_by = ", ".join(str(n) for n in sorted(set(info.get("partially-shadowed", []))))
    others: list[str] = []
    worst = -1
    for finding in at_line.get(key, []):
        if finding.device != device.name:
            continue
        row.checks.add(finding.check)
        column = FLAG_COLUMNS.get(finding.check)
        if column is None:
            others.append(finding.check)
        else:
            setattr(row, column, _flag_text(finding, lang))
        if not finding.waived:
            worst = max(worst, SEVERITY_RANK[finding.severity])
    row.other_findings = ", ".join(sorted(set(others)))
    row.severity = next((s for s, r in SEVERITY_RANK.items() if r == worst), "")
    return row


def _content(text: str, rule: Rule, sources: str, destinations: str, services: str) -> str:
    """What the rule matches, from the uncut expansions: a member changed past the cell's cut still counts."""
    return fingerprint(text, rule.action, rule.enabled, sources, destinations, services)


def _flag_text(finding: Finding, lang: str) -> str:
    """What the cell of a flag says: enough to act on without opening the audit report."""
    facts = finding.facts
    zh = lang == "zh-TW"
    text = {
        "any-any-rule": finding.severity,
        "broad-rule": str(facts.get("why_zh" if zh else "why", "")),
        "shadowed-rule": ", ".join(str(n) for n in finding.covered_by or []),
        "redundant-rule": ", ".join(str(n) for n in finding.covered_by or []),
        "unused-rule": (f"0／{facts.get('days')} 天" if zh else f"0 in {facts.get('days')} days"),
        "expired-rule": str(facts.get("end", "")),
        "risky-service-rule": str(facts.get("risky_zh" if zh else "risky", "")),
    }.get(finding.check, "")
    text = text or ("是" if zh else "yes")
    return f"{text} (waived)" if finding.waived else text


def _coverage(counter: Any, lang: str) -> str:
    if counter is None:
        return ""
    if counter.coverage_days is None:
        return "計數起點不明" if lang == "zh-TW" else "counting since: unknown"
    since = counter.since.date().isoformat() if counter.since else "?"
    how = {"uptime": ("reload", "重新開機"), "clear": ("clear", "清除計數"), "stated": ("stated", "註明")}.get(counter.since_how, (counter.since_how,) * 2)
    return f"{counter.coverage_days} 天（{how[1]} {since} 起）" if lang == "zh-TW" else f"{counter.coverage_days} days (since {how[0]} {since})"


def _summary(result: AuditResult, device: Device, sheets: list[FilterSheet], lang: str) -> DeviceSummary:
    rows = [row for sheet in sheets for row in sheet.rows]
    counts = {"rules": len(rows), "permits": sum(1 for r in rows if r.action == "permit")}
    for check, column in FLAG_COLUMNS.items():
        counts[column] = sum(1 for r in rows if check in r.checks)
    counters = ""
    if result.hits is not None:
        device_counters = result.hits.devices.get(device.name)
        if device_counters is None:
            counters = "無命中次數資料" if lang == "zh-TW" else "no hit counts given"
        else:
            days = device_counters.coverage_days(result.as_of)
            since, how = device_counters.since(result.as_of)
            if days is None:
                counters = "計數起點不明" if lang == "zh-TW" else "counting since: unknown"
            else:
                counters = (f"{days} 天（{since:%Y-%m-%d} 起，{how}）" if lang == "zh-TW" else f"{days} days (since {since:%Y-%m-%d}, {how})")
            clears = ", ".join(f"{acl} {when:%Y-%m-%d}" for acl, when in sorted(device_counters.cleared_acl.items()))
            if clears:
                counters += f"; {'個別清除' if lang == 'zh-TW' else 'cleared'}: {clears}"
    else:
        counters = "未提供（--hits）" if lang == "zh-TW" else "not given (--hits)"
    return DeviceSummary(device.name, device.platform, device.role, counts, counters)


def period_after(previous_as_of: date | None, as_of: date) -> date:
    """The review period starts the day after the last review, else at the start of the quarter."""
    if previous_as_of is not None and previous_as_of < as_of:
        return previous_as_of + timedelta(days=1)
    return _quarter_start(as_of)
