"""Baselines: accept today's findings once, and from then on be told only about new ones.

A baseline is a previous JSON findings document (`--write-baseline` writes one); `--baseline`
hides every finding whose stable id it lists. Unlike a waiver it records no reason: it is for
adopting the tool on a network with a backlog, not for accepting a risk.
"""

from __future__ import annotations

import json

from netaudit.errors import NetauditInputError
from netaudit.findings import Finding


def load_baseline(path: str) -> set[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise NetauditInputError(path, None, f"cannot read baseline: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise NetauditInputError(path, error.lineno, f"not a JSON findings document: {error.msg}") from None
    if not isinstance(data, dict) or data.get("schema") != "netaudit/findings/v1" or not isinstance(data.get("findings"), list):
        raise NetauditInputError(path, None, "not a netaudit findings document (schema netaudit/findings/v1)")
    return {str(f.get("id")) for f in data["findings"] if isinstance(f, dict)}


def without_baseline(findings: list[Finding], baseline: set[str]) -> list[Finding]:
    return [f for f in findings if f.id not in baseline]
