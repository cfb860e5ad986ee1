"""Runs every enabled check of the registry and turns its hits into findings."""

from __future__ import annotations

import string
from typing import Any

from netaudit.checks.registry import REGISTRY, CheckSpec, Hit, Params
from netaudit.context import AuditContext
from netaudit.findings import Finding, fingerprint
from netaudit.policy import LANGUAGES, PolicyPack


class _Facts(dict):  # type: ignore[type-arg]
    """Leaves an unknown placeholder visible instead of failing the whole report."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, facts: dict[str, Any]) -> str:
    return string.Formatter().vformat(template, (), _Facts(facts))


def run_checks(context: AuditContext, pack: PolicyPack, params: Params) -> list[Finding]:
    findings: list[Finding] = []
    for spec in REGISTRY.values():
        policy = pack.checks[spec.id]
        if not policy.enabled:
            continue
        findings.extend(make_finding(spec, pack, hit) for hit in spec.function(context, params))
    return sorted(findings, key=Finding.sort_key)


def make_finding(spec: CheckSpec, pack: PolicyPack, hit: Hit) -> Finding:
    policy = pack.checks[spec.id]
    device = hit.device
    ref = hit.ref
    file = ref.file if ref else hit.file or (device.file if device else None)
    evidence = ([ref.text] if ref else []) + [e.text for e in hit.evidence if e != ref]
    key = hit.key or (ref.text if ref else "")
    return Finding(
        id=fingerprint(spec.id, device.name if device else file, key),
        check=spec.id,
        articles=spec.articles,
        severity=hit.severity or policy.severity,
        title={lang: policy.title.get(lang, "") for lang in LANGUAGES},
        message={lang: render(spec.message[lang], hit.facts) for lang in LANGUAGES},
        remediation={lang: policy.remediation.get(lang, "") for lang in LANGUAGES},
        device=device.name if device else None,
        file=file,
        line=ref.line if ref else None,
        evidence=evidence,
        flow=hit.flow,
        covered_by=hit.covered_by,
        facts={k: v for k, v in hit.facts.items() if isinstance(v, (str, int, float, bool)) or v is None},
    )
