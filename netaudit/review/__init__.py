"""The quarterly firewall rule review (Art. 15.4): rows from the audit, written as xlsx, csv or html.

``build_review`` turns an audit result into rows (``rows.py``); the writers lay them out;
``read_previous`` reads last quarter's filled-in review to carry the decisions forward.
"""

from __future__ import annotations

from netaudit.errors import NetauditInputError
from netaudit.review.previous import PreviousReview, read_previous
from netaudit.review.rows import Review, ReviewRow, build_review

FORMATS = ("xlsx", "csv", "html")

__all__ = ["FORMATS", "PreviousReview", "Review", "ReviewRow", "build_review", "read_previous", "write_review"]


def write_review(review: Review, fmt: str, path: str) -> None:
    """Write ``review`` to ``path`` in ``fmt``; a path that cannot be written is bad input (exit 2)."""
    try:
        if fmt == "xlsx":
            from netaudit.review.xlsx import write_xlsx

            write_xlsx(review, path)
        elif fmt == "csv":
            from netaudit.review.csv_writer import write_csv

            write_csv(review, path)
        else:
            from netaudit.review.html_writer import write_html

            write_html(review, path)
    except OSError as error:
        raise NetauditInputError(path, None, f"cannot write review: {error.strerror or error}") from None
