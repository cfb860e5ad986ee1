"""The review as one CSV: every filter's rows, led by device and filter, in the workbook's columns.

UTF-8 with a byte-order mark, so Excel on a zh-TW Windows opens the Chinese text correctly; a cell
that starts like a formula gets a leading apostrophe (OWASP's CSV-injection advice).
"""

from __future__ import annotations

import csv
import io

from netaudit.review.cells import cell_text, is_formula_like
from netaudit.review.columns import COLUMNS, CSV_LEAD
from netaudit.review.rows import Review


def csv_cell(value: object) -> str:
    if isinstance(value, bool | int | float):
        return str(value)
    text = cell_text(value)
    return "'" + text if is_formula_like(text) else text


def render_csv(review: Review) -> str:
    columns = list(CSV_LEAD) + list(COLUMNS)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(c.header(review.lang)) for c in columns])
    for row in review.rows:
        writer.writerow([csv_cell(row.value(c.key)) for c in columns])
    return out.getvalue()


def write_csv(review: Review, path: str) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(render_csv(review))
