"""Argument types shared by the subcommands (cli.py, cli_review.py, cli_collect.py): one message each."""

from __future__ import annotations

import argparse
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
