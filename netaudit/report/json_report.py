"""The findings document, schema ``netaudit/findings/v1`` (product.md)."""

from __future__ import annotations

import json
from typing import Any

from netaudit import __version__
from netaudit.findings import SEVERITIES
from netaudit.pipeline import AuditResult

SCHEMA = "netaudit/findings/v1"


def summary(result: AuditResult) -> dict[str, int]:
    counts = {severity: 0 for severity in SEVERITIES}
    counts["waived"] = 0
    for finding in result.findings:
        counts["waived" if finding.waived else finding.severity] += 1
    return counts


def document(result: AuditResult, lang: str) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "tool": {"name": "netaudit", "version": __version__},
        "as_of": result.as_of.isoformat(),
        "topology": result.topology.file or None,
        "policy": {"name": result.pack.name, "file": result.pack.file},
        "devices": [
            {
                "name": d.name, "platform": d.platform, "file": d.file, "lines": d.lines,
                "unrecognized_lines": d.unrecognized_lines, "warnings": list(d.warnings),
                # parse coverage: every line no parser rule understood, listed (secrets masked), never dropped
                "unrecognized": [{"line": u.line, "text": u.text} for u in d.unrecognized],
            }
            for d in result.devices
        ],
        "not_assessed": [{"file": n.file, "line": n.line, "reason": n.reason} for n in result.not_assessed],
        "warnings": list(result.warnings),  # what limited the audit (path search bounds, hit-count files)
        "summary": summary(result),
        "findings": [f.to_json(lang) for f in result.findings],
        "rule_facts": result.rule_facts,
    }


def render(result: AuditResult, lang: str) -> str:
    return json.dumps(document(result, lang), ensure_ascii=False, indent=2) + "\n"
