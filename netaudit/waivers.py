"""Waivers: a finding accepted for a reason, the way examiners expect compensating controls recorded.

checks.md: a waiver names a `check` and any of `id`, `device`, `line`, `rule`, `src_zone`,
`dst_zone`, with `reason`, `approved_by`, `ticket` and `expires`. A waived finding stays in the
report, marked, and does not fail CI. An expired waiver waives nothing and is itself a finding
(`waiver-expired`); a waiver that matches nothing is reported as `waiver-unused`, so the register
of accepted risks cannot silently rot.

The file::

    version: 1
    waivers:
      - check: plaintext-exposure
        device: fw-edge
        rule: access-list OUTSIDE_IN extended permit tcp any object WAF01 eq www
        reason: port 80 only redirects to HTTPS (documented exception, Art. 19(1))
        approved_by: CISO
        ticket: CHG-2025-0800
        expires: 2026-12-31
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from netaudit.errors import NetauditInputError
from netaudit.findings import Finding, fingerprint
from netaudit.policy import LANGUAGES, PolicyPack
from netaudit.yaml_input import compose, read_text

MATCH_KEYS = ("id", "device", "line", "rule", "src_zone", "dst_zone")
RECORD_KEYS = ("reason", "approved_by", "ticket", "expires")
ALLOWED_KEYS = {"check", *MATCH_KEYS, *RECORD_KEYS}
MAX_BYTES = 5 * 1024 * 1024

_MESSAGES = {
    "waiver-expired": {
        "en": "Waiver for {check} ({target}) expired on {expires} and no longer waives anything (ticket {ticket})",
        "zh-TW": "{check}（{target}）之豁免已於 {expires} 到期，不再豁免任何發現事項（單號 {ticket}）",
    },
    "waiver-unused": {
        "en": "Waiver for {check} ({target}) matches no finding: remove it or correct it (ticket {ticket})",
        "zh-TW": "{check}（{target}）之豁免未對應任何發現事項，請移除或修正（單號 {ticket}）",
    },
}


@dataclass(frozen=True, slots=True)
class Waiver:
    check: str
    match: dict[str, Any]
    reason: str
    approved_by: str
    ticket: str
    expires: date | None
    file: str
    line: int
    text: str

    def matches(self, finding: Finding) -> bool:
        if finding.check != self.check:
            return False
        for key, wanted in self.match.items():
            if key == "rule":
                if not finding.evidence or _normal(finding.evidence[0]) != _normal(str(wanted)):
                    return False
            elif key in ("src_zone", "dst_zone"):
                if not finding.flow or finding.flow.get(key) != wanted:
                    return False
            elif getattr(finding, key) != wanted:
                return False
        return True

    def expired(self, as_of: date) -> bool:
        return self.expires is not None and self.expires < as_of

    def record(self) -> dict[str, Any]:
        return {"reason": self.reason, "approved_by": self.approved_by, "ticket": self.ticket,
                "expires": self.expires.isoformat() if self.expires else None, "file": self.file, "line": self.line}

    @property
    def target(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.match.items()) or "every finding"


def _normal(text: str) -> str:
    return " ".join(text.split())


def load_waivers(path: str) -> list[Waiver]:
    """Read and validate a waiver file; any problem is bad input naming the file and line."""
    text = read_text(path, "waiver file", MAX_BYTES)
    root = compose(path, text)
    top = _mapping(path, root, "")
    if "version" not in top or _scalar(top["version"][1], path) != "1":
        raise NetauditInputError(path, root.start_mark.line + 1 if root else 1, "needs 'version: 1'")
    unknown = set(top) - {"version", "waivers"}
    if unknown:
        key = sorted(unknown)[0]
        raise NetauditInputError(path, top[key][0].start_mark.line + 1, f"{key}: unknown key (expected version, waivers)")
    entries = top.get("waivers")
    if entries is None:
        return []
    node = entries[1]
    if not isinstance(node, yaml.SequenceNode):
        raise NetauditInputError(path, node.start_mark.line + 1, "waivers: expected a list")
    lines = text.splitlines()
    return [_waiver(path, item, index, lines) for index, item in enumerate(node.value)]


def _mapping(path: str, node: Any, where: str) -> dict[str, tuple[Any, Any]]:
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node is not None else 1
        raise NetauditInputError(path, line, f"{where or 'the file'}: expected a mapping")
    result: dict[str, tuple[Any, Any]] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node, path)
        if key in result:
            raise NetauditInputError(path, key_node.start_mark.line + 1, f"{where}{key}: duplicate key")
        result[key] = (key_node, value_node)
    return result


def _scalar(node: Any, path: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise NetauditInputError(path, node.start_mark.line + 1, "expected a single value")
    return str(node.value)


def _waiver(path: str, node: Any, index: int, lines: list[str]) -> Waiver:
    where = f"waivers[{index}]."
    fields = _mapping(path, node, f"waivers[{index}]")
    line = node.start_mark.line + 1
    for key, (key_node, value_node) in fields.items():
        if key not in ALLOWED_KEYS:
            raise NetauditInputError(path, key_node.start_mark.line + 1, f"{where}{key}: unknown key (expected {', '.join(sorted(ALLOWED_KEYS))})")
        if not isinstance(value_node, yaml.ScalarNode):
            raise NetauditInputError(path, value_node.start_mark.line + 1, f"{where}{key}: expected a single value")
    values = {key: value_node.value for key, (_, value_node) in fields.items()}
    if "check" not in values:
        raise NetauditInputError(path, line, f"{where}check: required")
    if not values.get("reason"):
        raise NetauditInputError(path, line, f"{where}reason: required (examiners ask why the risk is accepted)")
    match: dict[str, Any] = {k: values[k] for k in MATCH_KEYS if k in values}
    if "line" in match:
        if not str(match["line"]).isdigit():
            raise NetauditInputError(path, fields["line"][1].start_mark.line + 1, f"{where}line: expected a line number")
        match["line"] = int(match["line"])
    expires = None
    if "expires" in values:
        try:
            expires = date.fromisoformat(str(values["expires"]))
        except ValueError:
            raise NetauditInputError(path, fields["expires"][1].start_mark.line + 1, f"{where}expires: not a date (YYYY-MM-DD)") from None
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return Waiver(values["check"], match, values["reason"], values.get("approved_by", ""), values.get("ticket", ""), expires, path, line, text)


def apply_waivers(findings: list[Finding], waivers: list[Waiver], as_of: date, pack: PolicyPack) -> list[Finding]:
    """Mark waived findings, and add waiver-expired / waiver-unused findings."""
    extra: list[Finding] = []
    for waiver in waivers:
        if waiver.expired(as_of):
            if pack.checks["waiver-expired"].enabled:
                extra.append(_waiver_finding("waiver-expired", waiver, pack))
            continue
        matched = [f for f in findings if waiver.matches(f)]
        for finding in matched:
            finding.waived = True
            finding.waiver = waiver.record()
        if not matched and pack.checks["waiver-unused"].enabled:
            extra.append(_waiver_finding("waiver-unused", waiver, pack))
    return findings + extra


def _waiver_finding(check_id: str, waiver: Waiver, pack: PolicyPack) -> Finding:
    policy = pack.checks[check_id]
    facts = {"check": waiver.check, "target": waiver.target, "expires": waiver.expires.isoformat() if waiver.expires else "",
             "ticket": waiver.ticket or "-"}
    return Finding(
        id=fingerprint(check_id, waiver.file, waiver.check, sorted(waiver.match.items()), waiver.ticket),
        check=check_id, articles=("15.4",), severity=policy.severity,
        title={lang: policy.title.get(lang, "") for lang in LANGUAGES},
        message={lang: _MESSAGES[check_id][lang].format(**facts) for lang in LANGUAGES},
        remediation={lang: policy.remediation.get(lang, "") for lang in LANGUAGES},
        device=None, file=waiver.file, line=waiver.line, evidence=[waiver.text], facts=facts,
    )
