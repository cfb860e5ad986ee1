"""Findings: what a check reports, with the evidence that proves it and a stable id.

The id is a fingerprint of what the finding is about (check, device, the rule or setting it names),
never of its line number, so the same finding keeps its id when lines move: waivers, baselines and
``netaudit diff`` key on it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}  # info 0 … critical 4


def fingerprint(*parts: object) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass(slots=True)
class Finding:
    id: str
    check: str
    articles: tuple[str, ...]
    severity: str
    title: dict[str, str]  # by language
    message: dict[str, str]  # by language
    remediation: dict[str, str]
    device: str | None
    file: str | None
    line: int | None
    evidence: list[str]
    flow: dict[str, Any] | None = None
    covered_by: list[int] | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    waived: bool = False
    waiver: dict[str, Any] | None = None

    def sort_key(self) -> tuple:
        return (-SEVERITY_RANK[self.severity], self.check, self.device or "", self.file or "", self.line or 0, self.id)

    def to_json(self, lang: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "check": self.check,
            "articles": list(self.articles),
            "severity": self.severity,
            "title": self.title.get(lang) or self.title.get("en", ""),
            "message": self.message.get(lang) or self.message.get("en", ""),
            "device": self.device,
            "file": self.file,
            "line": self.line,
            "evidence": list(self.evidence),
        }
        if self.flow is not None:
            data["flow"] = self.flow
        if self.covered_by is not None:
            data["covered_by"] = list(self.covered_by)
        data["remediation"] = self.remediation.get(lang) or self.remediation.get("en", "")
        data["waived"] = self.waived
        if self.waiver:
            data["waiver"] = self.waiver
        return data
