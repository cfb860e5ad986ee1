"""`--previous`: last quarter's filled-in review, read back to carry decisions forward.

A rule is the same rule when its device, filter and text (sequence number aside) are, and it is
the same one of identical texts (``rule_id``); it is unchanged when, besides, what its objects
resolve to is the same (``content``): only then do the reviewer's decision, justification, name
and date carry over. An edited rule (same sequence number, old text gone, same action and
protocol) or an object-group whose members changed shows last quarter's decision beside an empty
one, for the reviewer to decide again.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from netaudit.errors import NetauditInputError
from netaudit.review.columns import BY_HEADER, CHANGE_LABELS
from netaudit.review.rows import DECISION_LABELS, Review, ReviewRow, period_after, rule_id, rule_shape
from netaudit.sources import decode, read_bytes

META_SHEET = "_netaudit"
_DECISION_OF = {label.lower(): key for labels in DECISION_LABELS.values() for key, label in labels.items()}


@dataclass(frozen=True, slots=True)
class PreviousRow:
    rule_id: str
    content: str
    device: str
    filter: str
    name: str
    rule: str
    decision: str  # canonical: keep / modify / remove, or "" (or the reviewer's own word)
    justification: str
    reviewer: str
    review_date: str


@dataclass(slots=True)
class PreviousReview:
    file: str
    as_of: date | None
    rows: dict[str, PreviousRow] = field(default_factory=dict)

    def apply(self, review: Review) -> None:
        """Carry decisions into ``review``'s rows; list the rules gone since; start the period after it."""
        labels, changes = DECISION_LABELS[review.lang], CHANGE_LABELS[review.lang]
        by_name = {(r.device, r.filter, r.name): r for r in self.rows.values() if r.name}
        current = {row.rule_id for row in review.rows}
        matched: set[str] = set()
        for row in review.rows:
            same = self._same_rule(row, current, matched)
            if same is not None:
                old, content = same
                matched.add(old.rule_id)
                row.previous_decision = labels.get(old.decision, old.decision)
                if old.content == content:
                    row.change = changes["unchanged"]
                    row.decision = row.previous_decision
                    row.justification, row.reviewer, row.review_date = old.justification, old.reviewer, old.review_date
                else:
                    row.change = changes["objects"]
                continue
            edited = by_name.get((row.device, row.filter, row.name)) if row.name else None
            if edited is not None and _is_edit_of(edited, row, current, matched):
                matched.add(edited.rule_id)
                row.change = changes["changed"]
                row.previous_decision = labels.get(edited.decision, edited.decision)
            else:
                row.change = changes["new"]
        review.removed = [{"device": r.device, "filter": r.filter, "rule": r.rule, "decision": labels.get(r.decision, r.decision)}
                          for r in self.rows.values() if r.rule_id not in matched]
        review.period_start = period_after(self.as_of, review.as_of)

    def _same_rule(self, row: ReviewRow, current: set[str], matched: set[str]) -> tuple[PreviousRow, str] | None:
        """Last quarter's row of this rule (by the rule's id) and the content to compare it with."""
        old = self.rows.get(row.rule_id)
        return (old, row.content) if old is not None and old.rule_id not in matched else None


def _is_edit_of(old: PreviousRow, row: ReviewRow, current: set[str], matched: set[str]) -> bool:
    """The same sequence number is the same rule edited only when the old rule is gone (not merely
    renumbered) and the edit kept its action and protocol; else it is a new rule."""
    return (old.rule_id not in current and old.rule_id not in matched
            and rule_shape(old.rule, old.name) == rule_shape(row.rule, row.name))


def read_previous(path: str) -> PreviousReview:
    """A review written by `netaudit review` (xlsx or csv), as the reviewer filled it in."""
    if not Path(path).is_file():
        raise NetauditInputError(path, None, "--previous: no such file")
    if path.lower().endswith(".csv"):
        return _read_csv(path)
    return _read_xlsx(path)


def _read_xlsx(path: str) -> PreviousReview:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # not a workbook, or a damaged one
        raise NetauditInputError(path, None, f"--previous: not a readable .xlsx workbook ({type(error).__name__})") from None
    previous = PreviousReview(path, None)
    try:
        for sheet in book.worksheets:
            _read_sheet(path, sheet, previous)
    finally:
        book.close()
    if not previous.rows:
        raise NetauditInputError(path, None, "--previous: no review sheets in this workbook (was it written by netaudit review?)")
    return previous


def _read_sheet(path: str, sheet: Any, previous: PreviousReview) -> None:
    """One sheet into ``previous``; a damaged sheet (read lazily, so it fails here) is bad input, not a crash."""
    read = 0  # rows read so far: a failure is on the next one
    try:
        rows = sheet.iter_rows(values_only=True)
        if sheet.title == META_SHEET:
            meta: dict[str, object] = {}
            for values in rows:
                read += 1
                if values and values[0]:
                    meta[str(values[0])] = values[1] if len(values) > 1 else None
            previous.as_of = _date(meta.get("as_of"))
            return
        header = next(rows, None)
        read += 1
        keys = [BY_HEADER.get(str(h).strip(), "") if h is not None else "" for h in header or ()]
        if "rule_id" not in keys:
            return  # the summary sheet
        for values in rows:
            read += 1
            _add(previous, dict(zip(keys, (_str(v) for v in values), strict=False)))
    except NetauditInputError:
        raise
    except Exception as error:  # broken XML, a bad shared-string index, ...: openpyxl raises many kinds
        raise NetauditInputError(path, read + 1, f"--previous: sheet {sheet.title!r} is damaged ({type(error).__name__})") from None


def _read_csv(path: str) -> PreviousReview:
    """Read in whatever encoding Excel saved it (UTF-8, or Big5 / CP950 on a zh-TW Windows), as configs are."""
    previous = PreviousReview(path, None)
    text, _encoding = decode(read_bytes(path))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        keys = [BY_HEADER.get(h.strip(), "") for h in header]
        if "rule_id" not in keys:
            raise NetauditInputError(path, 1, "--previous: not a review CSV written by netaudit review (no rule id column)")
        for values in reader:
            _add(previous, {k: v[1:] if v.startswith("'") and len(v) > 1 and v[1] in "=+-@\t\r" else v
                            for k, v in zip(keys, values, strict=False)})
    except csv.Error as error:
        raise NetauditInputError(path, reader.line_num or None, f"--previous: not a readable CSV ({error})") from None
    return previous


def _add(previous: PreviousReview, values: dict[str, str]) -> None:
    """One reviewed rule; a second row with an id already read (identical rules, from an older
    netaudit) is kept under the id its occurrence has now, never dropped."""
    key = values.get("rule_id", "")
    if not key:
        return
    device, acl, rule, name = values.get("device", ""), values.get("filter", ""), values.get("rule", ""), values.get("name", "")
    occurrence = 0
    while key in previous.rows:
        occurrence += 1
        key = rule_id(device, acl, rule, name, occurrence)
    decision = values.get("decision", "").strip()
    previous.rows[key] = PreviousRow(
        key, values.get("content", ""), device, acl, name, rule, _DECISION_OF.get(decision.lower(), decision),
        values.get("justification", ""), values.get("reviewer", ""), values.get("review_date", ""))


def _str(value: object) -> str:
    """A cell as text; a date the reviewer typed (Excel stores a datetime) as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value)


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None
