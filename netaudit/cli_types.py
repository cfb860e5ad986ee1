"""What the subcommands (cli.py, cli_review.py, cli_collect.py) share: argument types, languages, warnings."""

from __future__ import annotations

import argparse
import sys
from datetime import date

LANGS = ("zh-TW", "en")  # report languages (--lang)


def as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return value


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"not a positive number of seconds: {text!r}")
    return value


def warn(text: str) -> None:
    """One warning line on stderr; file names and config text in it cannot drive the terminal."""
    from netaudit.report.text_report import printable

    print(f"netaudit: warning: {printable(text)}", file=sys.stderr)
