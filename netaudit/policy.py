"""The policy pack: severities, parameters and zh-TW/en text per check, plus topology overrides.

The pack is data the user copies and edits (``--policy FILE``); single parameters can also be
overridden in the topology file's ``policy:`` block. The code's registry says which checks exist
and which articles they answer to; the pack must name exactly those checks.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from netaudit.checks.registry import NOT_YET_ASSESSED, REGISTRY, SPECIAL_IDS, Params
from netaudit.errors import NetauditInputError
from netaudit.findings import SEVERITIES
from netaudit.services import parse_service_spec

LANGUAGES = ("en", "zh-TW")
_PACK_NAME = "insurance-tw.yaml"


def default_policy_path() -> str:
    """The shipped pack: next to the package in a checkout, or installed under share/netaudit."""
    candidates = [
        Path(__file__).resolve().parent.parent / "policies" / _PACK_NAME,
        Path(sys.prefix) / "share" / "netaudit" / "policies" / _PACK_NAME,
    ]
    for candidate in candidates:
        if candidate.is_file():
            return _display(candidate)
    return _display(candidates[0])


def _display(path: Path) -> str:
    """Relative to the working directory when below it, so reports do not depend on the checkout's place."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass(frozen=True, slots=True)
class CheckPolicy:
    severity: str
    enabled: bool
    title: dict[str, str]
    remediation: dict[str, str]


@dataclass(slots=True)
class PolicyPack:
    file: str
    name: str
    title: dict[str, str]
    parameters: dict[str, Any]
    articles: dict[str, dict[str, Any]]
    checks: dict[str, CheckPolicy]

    def article_name(self, article: str, lang: str) -> str:
        entry = self.articles.get(article, {})
        return str(entry.get(lang) or entry.get("en") or article)


def load_policy(path: str | None = None) -> PolicyPack:
    path = path or default_policy_path()
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as error:
        raise NetauditInputError(path, None, f"cannot read policy pack: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise NetauditInputError(path, mark.line + 1 if mark else None, f"not valid YAML: {getattr(error, 'problem', error)}") from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise NetauditInputError(path, None, "not a netaudit policy pack (needs 'version: 1')")
    checks_data = data.get("checks") or {}
    known = set(REGISTRY) | set(SPECIAL_IDS)
    unknown = sorted(set(checks_data) - known - NOT_YET_ASSESSED)
    if unknown:
        raise NetauditInputError(path, None, f"unknown check id(s): {', '.join(unknown)}")
    checks: dict[str, CheckPolicy] = {}
    for check_id, entry in checks_data.items():
        if not isinstance(entry, dict):
            raise NetauditInputError(path, None, f"checks.{check_id}: expected a mapping")
        severity = entry.get("severity")
        if severity not in SEVERITIES:
            raise NetauditInputError(path, None, f"checks.{check_id}.severity: {severity!r} is not one of {', '.join(SEVERITIES)}")
        checks[check_id] = CheckPolicy(severity, bool(entry.get("enabled", True)), dict(entry.get("title") or {}), dict(entry.get("remediation") or {}))
    missing = sorted(known - set(checks))
    if missing:
        raise NetauditInputError(path, None, f"no entry for check(s): {', '.join(missing)}")
    return PolicyPack(path, str(data.get("name", "")), dict(data.get("title") or {}), dict(data.get("parameters") or {}), dict(data.get("articles") or {}), checks)


def effective_params(pack: PolicyPack, overrides: dict[str, Any] | None, source: str = "") -> Params:
    """The pack's parameters with the topology's ``policy:`` overrides; service lists parsed."""
    merged = dict(pack.parameters)
    for key, value in (overrides or {}).items():
        if key == "allowed_flows":
            continue  # parsed and validated by the topology loader
        if key not in merged:
            raise NetauditInputError(source or pack.file, None, f"policy.{key}: unknown policy parameter")
        merged[key] = value
    params = Params(merged)
    for key, value in merged.items():
        if key.endswith("_services"):
            try:
                params[key] = [parse_service_spec(v) for v in value]
            except (ValueError, TypeError) as error:
                raise NetauditInputError(source or pack.file, None, f"{key}: {error}") from None
    return params
