"""What every spreadsheet cell goes through: secrets masked, and no text that a spreadsheet would
run as a formula (CSV/formula injection: a remark starting with '=' must stay a remark)."""

from __future__ import annotations

from netaudit.secrets import mask_secrets

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def cell_text(value: object) -> str:
    """The text of a cell, secrets masked (the model is masked already: this is the second lock)."""
    if value is None:
        return ""
    return mask_secrets(str(value))
