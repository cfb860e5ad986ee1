"""The review workbook (openpyxl): a summary sheet, then one sheet per filter, one row per rule.

Each filter sheet has a frozen header, filters on every column, a list validation on the decision
column, widths fitted to the content, flagged cells shaded, and the two id columns hidden (they
key `--previous`). Text is always written as text: a cell starting with '=', '+', '-', '@', tab
or CR is typed string, never a formula.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from netaudit import __version__
from netaudit.review.cells import cell_text, is_formula_like
from netaudit.review.columns import COLUMNS, CSV_LEAD, SUMMARY_COUNTS, TEXT, Column
from netaudit.review.previous import META_SHEET
from netaudit.review.rows import DECISION_LABELS, DECISIONS, Review

MAX_WIDTH = 60
_HEADER_FILL = PatternFill("solid", fgColor="1F3864")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_FLAG_FILL = PatternFill("solid", fgColor="FCE4D6")
_REVIEW_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAPPED = {"rule", "source_expanded", "destination_expanded", "service_expanded", "remark", "justification", "counters"}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def set_cell(cell: Cell, value: object) -> None:
    """Write a value; text is always text (a leading '=' is data, not a formula)."""
    if value is None or value == "":
        return
    if isinstance(value, bool | int | float):
        cell.value = value
        return
    text = ILLEGAL_CHARACTERS_RE.sub("", cell_text(value))
    cell.value = text
    if is_formula_like(text):
        cell.data_type = "s"


def display_width(text: str) -> int:
    """Columns a text takes: CJK characters are two wide."""
    longest = max((line for line in text.splitlines() or [""]), key=len)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def write_xlsx(review: Review, path: str) -> None:
    book = Workbook()
    summary = book.active
    summary.title = TEXT[review.lang]["summary"]
    _summary_sheet(summary, review)
    names = {summary.title, META_SHEET}
    for sheet in review.sheets:
        ws = book.create_sheet(_sheet_name(f"{sheet.device} {sheet.filter}", names))
        _filter_sheet(ws, review, sheet.rows)
    meta = book.create_sheet(META_SHEET)
    for key, value in (("schema", "netaudit/review/v1"), ("as_of", review.as_of.isoformat()), ("lang", review.lang),
                       ("period_start", review.period_start.isoformat()), ("tool", f"netaudit {__version__}")):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    book.properties.creator = f"netaudit {__version__}"
    book.properties.title = TEXT[review.lang]["title"]
    stamp = datetime.combine(review.as_of, datetime.min.time())
    book.properties.created = stamp
    book.properties.modified = stamp
    book.save(path)


def _sheet_name(wanted: str, taken: set[str]) -> str:
    """Excel: at most 31 characters, none of []:*?/\\ and unique (case-insensitively)."""
    base = _SHEET_FORBIDDEN.sub("_", wanted).strip("'")[:31] or "filter"
    name, n = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _filter_sheet(ws: Worksheet, review: Review, rows: list) -> None:  # type: ignore[type-arg]
    columns: list[Column] = list(COLUMNS) + [Column(c.key, c.en, c.zh, "hidden") for c in CSV_LEAD]
    for index, column in enumerate(columns, 1):
        cell = ws.cell(row=1, column=index)
        set_cell(cell, column.header(review.lang))
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [max(column.width, min(display_width(column.header(review.lang)), 24)) for column in columns]
    for r, row in enumerate(rows, 2):
        for index, column in enumerate(columns, 1):
            value = row.value(column.key)
            cell = ws.cell(row=r, column=index)
            set_cell(cell, value)
            if column.key in _WRAPPED:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.kind == "flag" and value:
                cell.fill = _FLAG_FILL
            elif column.kind == "review":
                cell.fill = _REVIEW_FILL
            if value not in (None, "") and column.kind != "hidden":
                widths[index - 1] = max(widths[index - 1], min(display_width(str(value)), MAX_WIDTH))
    last = get_column_letter(len(columns))
    ws.freeze_panes = "D2"  # header, line, seq and the rule text stay in view
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 2)}"
    for index, column in enumerate(columns, 1):
        dimension = ws.column_dimensions[get_column_letter(index)]
        dimension.width = min(widths[index - 1], MAX_WIDTH) + 2
        if column.kind == "hidden":
            dimension.hidden = True
    decision = get_column_letter(next(i for i, c in enumerate(columns, 1) if c.key == "decision"))
    labels = DECISION_LABELS[review.lang]
    validation = DataValidation(type="list", formula1='"' + ",".join(labels[d] for d in DECISIONS) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="netaudit", error=" / ".join(labels[d] for d in DECISIONS))
    validation.add(f"{decision}2:{decision}{max(len(rows) + 1, 2) + 500}")  # and rows the reviewer adds
    ws.add_data_validation(validation)


def _summary_sheet(ws: Worksheet, review: Review) -> None:
    text = TEXT[review.lang]
    bold = Font(bold=True)
    row = 0

    def put(values: list[object], font: Font | None = None, skip: int = 1) -> int:
        nonlocal row
        row += skip
        for index, value in enumerate(values, 1):
            cell = ws.cell(row=row, column=index)
            set_cell(cell, value)
            if font is not None and index == 1:
                cell.font = font
        return row

    put([text["title"]], Font(bold=True, size=14))
    for label, value in ((text["as_of"], review.as_of.isoformat()),
                         (text["period"], f"{review.period_start.isoformat()} – {review.as_of.isoformat()}"),
                         (text["configs"], " ".join(review.configs)), (text["hits"], review.hits_dir or text["no_hits"]),
                         (text["unused_days"], review.unused_days), (text["generated"], f"netaudit {__version__}")):
        put([label, value], bold)
    put([text["legend"]])
    header = [text["device"], text["platform"], text["role"]] + [zh if review.lang == "zh-TW" else en for _, en, zh in SUMMARY_COUNTS] + [text["counters"]]
    header_row = put(header, skip=2)
    for cell in ws[header_row]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for summary in review.summaries:
        put([summary.device, summary.platform, summary.role] + [summary.counts.get(key, 0) for key, _, _ in SUMMARY_COUNTS] + [summary.counters])
    if review.removed:
        put([f"{text['removed']} ({len(review.removed)})"], bold, skip=2)
        for removed in review.removed:
            put([removed[key] for key in ("device", "filter", "rule", "decision")])
    if review.warnings:
        put([text["warnings"]], bold, skip=2)
        for warning in review.warnings:
            put([warning])
    put([text["reviewed_by"]], bold, skip=2)
    put([text["approved_by"]], bold)
    put([text["sign_date"]], bold)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 14
    for index in range(3, len(header) + 1):
        ws.column_dimensions[get_column_letter(index)].width = 11
    ws.column_dimensions[get_column_letter(len(header))].width = 40
    ws.freeze_panes = ws.cell(row=header_row + 1, column=2)
