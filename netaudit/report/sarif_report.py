"""SARIF 2.1.0 (``--format sarif``): findings as code-scanning alerts on the configuration lines.

CI systems (GitHub code scanning, GitLab, Azure DevOps, the SARIF viewers) read SARIF to annotate
the changed file at the offending line and to track an alert across runs. So every catalog id is a
``rule`` (title, remediation, articles, default level from the policy pack), every finding a
``result`` on its file and line, and the stable finding id goes into ``partialFingerprints``: the
alert keeps its identity when lines move, exactly as waivers and ``netaudit diff`` do.

Nothing here reads configuration text again: messages and evidence come from the findings, whose
secrets the parsers have already masked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from netaudit import __version__
from netaudit.checks.registry import NOT_YET_ASSESSED, REGISTRY, SPECIAL_IDS
from netaudit.findings import Finding
from netaudit.model import Device
from netaudit.pipeline import AuditResult, NotAssessed
from netaudit.policy import PolicyPack

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "netauditFindingId/v1"

# SARIF has three levels; the catalog's five severities fold into them (critical/high block a merge
# in most CI setups, so they are errors).
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub code scanning ranks security alerts by this 0.0–10.0 score (≥9 critical, ≥7 high, ≥4
# medium, else low); without it every "error" would show as the same severity.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}

_LABELS = {
    "en": {"articles": "Articles", "waived": "waived", "not_assessed": "not assessed"},
    "zh-TW": {"articles": "對應條文", "waived": "已豁免", "not_assessed": "未能評估"},
}
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:[\\/]|^\\\\")


def render(result: AuditResult, lang: str) -> str:
    return json.dumps(document(result, lang), ensure_ascii=False, indent=2) + "\n"


def document(result: AuditResult, lang: str) -> dict[str, Any]:
    """The whole SARIF log: one run of netaudit over the configs."""
    findings = sorted(result.findings, key=Finding.sort_key)
    rule_ids = catalog_rule_ids(findings)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "netaudit",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [_rule(rule_id, result.pack, lang, result.missing_input(rule_id)) for rule_id in rule_ids],
        }},
        "invocations": [_invocation(result, lang)],
        "language": lang,
        "results": [_result(f, index[f.check], lang) for f in findings],
        "properties": {
            "asOf": result.as_of.isoformat(),
            "policy": result.pack.name,
            "devices": [{"name": d.name, "platform": d.platform, "file": d.file} for d in _by_name(result)],
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def catalog_rule_ids(findings: list[Finding]) -> list[str]:
    """Every registered check and special id, sorted, so rule indexes are stable between runs.

    A finding whose check is not in the catalog (a future special id) still gets a rule: a
    ``ruleIndex`` must never point past the array.
    """
    return sorted(set(REGISTRY) | set(SPECIAL_IDS) | {f.check for f in findings})


def _rule(rule_id: str, pack: PolicyPack, lang: str, missing: str | None = None) -> dict[str, Any]:
    articles = _rule_articles(rule_id)
    policy = pack.checks.get(rule_id)
    severity = policy.severity if policy else "medium"
    title = _localized(policy.title, lang) if policy else ""
    remediation = _localized(policy.remediation, lang) if policy else ""
    article_names = ", ".join(pack.article_name(a, lang) for a in articles)
    help_text = "\n\n".join(part for part in (remediation, f"{_LABELS[lang]['articles']}: {article_names}" if articles else "") if part)
    rule: dict[str, Any] = {
        "id": rule_id,
        "name": _pascal_case(rule_id),
        "shortDescription": {"text": title or rule_id},
        "fullDescription": {"text": help_text or title or rule_id},
        "help": {"text": help_text or title or rule_id},
        "defaultConfiguration": {"level": LEVELS[severity], "enabled": policy.enabled if policy else True},
        "properties": {
            "articles": list(articles),
            "severity": severity,
            "security-severity": SECURITY_SEVERITY[severity],
            "tags": ["security", "compliance", *articles],
        },
    }
    if rule_id in NOT_YET_ASSESSED:
        rule["properties"]["assessed"] = False
    elif missing is not None:  # e.g. unused-rule without --hits: it could not run, so no result means nothing
        rule["properties"]["assessed"] = False
        rule["properties"]["needs"] = missing
    return rule


def _rule_articles(rule_id: str) -> tuple[str, ...]:
    if rule_id in REGISTRY:
        return REGISTRY[rule_id].articles
    return SPECIAL_IDS.get(rule_id, ())


def _pascal_case(rule_id: str) -> str:
    """SARIF's ``name`` is an identifier-like label ('AdminBypassesJump'); the id stays the key."""
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[^A-Za-z0-9]+", rule_id) if word)


def _result(finding: Finding, rule_index: int, lang: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.check,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": _localized(finding.message, lang) or finding.check},
    }
    if finding.file:
        result["locations"] = [{"physicalLocation": _physical_location(finding)}]
    result["partialFingerprints"] = {FINGERPRINT_KEY: finding.id}
    result["properties"] = _result_properties(finding)
    if finding.waived:
        result["suppressions"] = [_suppression(finding, lang)]
    return result


def _physical_location(finding: Finding) -> dict[str, Any]:
    """The file as given, and the line when there is one (absence findings point at the file)."""
    location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(finding.file or "")}}
    if finding.line is not None and finding.line >= 1:
        region: dict[str, Any] = {"startLine": finding.line}
        if finding.evidence:
            region["snippet"] = {"text": finding.evidence[0]}
        location["region"] = region
    return location


def artifact_uri(path: str) -> str:
    """A relative path stays relative (forward slashes, percent-encoded); an absolute one becomes
    a ``file://`` URI. Relative URIs are what code-scanning services resolve against the checkout."""
    if Path(path).is_absolute():
        return Path(path).as_uri()
    if _WINDOWS_ABSOLUTE.match(path):
        return PureWindowsPath(path).as_uri()
    posix = PurePosixPath(path.replace("\\", "/")).as_posix()
    # ':' is encoded too, so a first segment like 'c:fw.cfg' can never read as a URI scheme.
    return quote(posix, safe="/-._~!$&'()*+,;=@")


def _result_properties(finding: Finding) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "severity": finding.severity,
        "articles": list(finding.articles),
        "device": finding.device,
        "evidence": list(finding.evidence),
    }
    if finding.flow is not None:
        properties["flow"] = finding.flow
    if finding.covered_by is not None:
        properties["covered_by"] = list(finding.covered_by)
    return properties


def _suppression(finding: Finding, lang: str) -> dict[str, Any]:
    """A waiver is an external suppression: it lives in the waiver register, not in the config."""
    waiver = finding.waiver or {}
    reason = str(waiver.get("reason") or _LABELS[lang]["waived"])
    record = "; ".join(str(waiver[key]) for key in ("ticket", "approved_by") if waiver.get(key))
    suppression: dict[str, Any] = {
        "kind": "external", "state": "accepted", "justification": f"{reason} ({record})" if record else reason,
    }
    if waiver.get("file"):
        suppression["location"] = _file_location(str(waiver["file"]), waiver.get("line") if isinstance(waiver.get("line"), int) else None)
    if waiver:
        suppression["properties"] = {"waiver": waiver}
    return suppression


def _invocation(result: AuditResult, lang: str) -> dict[str, Any]:
    """Files that could not be audited become error notifications, so a CI reader sees the gap."""
    invocation: dict[str, Any] = {"executionSuccessful": True}
    failures = sorted(result.not_assessed, key=lambda n: (n.file, n.line or 0, n.reason))
    notifications = [_not_assessed_notification(n, lang) for n in failures]
    notifications += [
        {"level": "warning", "message": {"text": warning}, "locations": [_file_location(d.file, None)]}
        for d in _by_name(result) for warning in d.warnings
    ]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _not_assessed_notification(failure: NotAssessed, lang: str) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": f"{_LABELS[lang]['not_assessed']}: {failure.reason}"},
        "locations": [_file_location(failure.file, failure.line)],
    }


def _file_location(file: str, line: int | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(file)}}
    if line is not None and line >= 1:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _by_name(result: AuditResult) -> list[Device]:
    return sorted(result.devices, key=lambda d: (d.name, d.file))


def _localized(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("en", "")
