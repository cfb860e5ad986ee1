"""Reports of `netaudit diff`: new / resolved findings, opened / closed flows, changed lines."""

from __future__ import annotations

import json
from typing import Any

from netaudit import __version__
from netaudit.diff import DiffResult
from netaudit.findings import SEVERITIES, Finding
from netaudit.report.text_report import printable, severity_label

SCHEMA = "netaudit/diff/v1"
_LABELS = {
    "en": {"title": "netaudit change validation", "new": "New findings", "resolved": "Resolved findings",
           "opened": "Flows newly permitted", "closed": "Flows newly blocked", "devices": "Changed configurations",
           "none": "none", "unchanged": "unchanged findings", "implicit": "(no rule: implicit permit)",
           "not_assessed": "Not assessed"},
    "zh-TW": {"title": "netaudit 變更前驗證", "new": "新增發現事項", "resolved": "已改善發現事項",
              "opened": "新開放之連線", "closed": "新阻斷之連線", "devices": "組態異動", "none": "無",
              "unchanged": "未變動之發現事項", "implicit": "（無規則：隱含允許）", "not_assessed": "未能評估"},
}


def document(diff: DiffResult, lang: str) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "tool": {"name": "netaudit", "version": __version__},
        "as_of": diff.head.as_of.isoformat(),
        "summary": {
            "new": _counts(diff.new), "resolved": _counts(diff.resolved), "unchanged": len(diff.unchanged),
            "flows_opened": sum(1 for f in diff.flows if f.change == "opened"),
            "flows_closed": sum(1 for f in diff.flows if f.change == "closed"),
            "devices_changed": len(diff.devices),
        },
        "new": [f.to_json(lang) for f in diff.new],
        "resolved": [f.to_json(lang) for f in diff.resolved],
        "flows": [f.to_json() for f in diff.flows],
        "devices": [d.to_json() for d in diff.devices],
        "not_assessed": [{"file": n.file, "line": n.line, "reason": n.reason} for n in diff.base.not_assessed + diff.head.not_assessed],
    }


def _counts(findings: list[Finding]) -> dict[str, int]:
    counts = {s: 0 for s in SEVERITIES}
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def render_json(diff: DiffResult, lang: str) -> str:
    return json.dumps(document(diff, lang), ensure_ascii=False, indent=2) + "\n"


def render_text(diff: DiffResult, lang: str) -> str:
    text = _LABELS[lang]
    lines = [f"{text['title']} ({diff.head.as_of.isoformat()})"]
    for key, findings in (("new", diff.new), ("resolved", diff.resolved)):
        lines += ["", f"== {text[key]} ({len(findings)}) =="]
        lines += [_finding_line(f, lang) for f in findings] or [f"  {text['none']}"]
    for change in ("opened", "closed"):
        flows = [f for f in diff.flows if f.change == change]
        lines += ["", f"== {text[change]} ({len(flows)}) =="]
        for flow in flows:
            where = f"{flow.file}:{flow.line}: {flow.rule}" if flow.rule else f"{flow.device} {text['implicit']}"
            lines.append(f"  {flow.src_zone} → {flow.dst_zone} {flow.service}  [{where}] (e.g. {flow.example})")
        if not flows:
            lines.append(f"  {text['none']}")
    lines += ["", f"== {text['devices']} ({len(diff.devices)}) =="]
    for device in diff.devices:
        lines.append(f"  {device.device}: +{len(device.added)} -{len(device.removed)}")
        lines += [f"    + {line}" for line in device.added[:20]] + [f"    - {line}" for line in device.removed[:20]]
    lines += ["", f"{len(diff.unchanged)} {text['unchanged']}"]
    lines += [f"{text['not_assessed']}: {failure}" for failure in diff.base.not_assessed + diff.head.not_assessed]
    return printable("\n".join(lines) + "\n")


def _finding_line(finding: Finding, lang: str) -> str:
    where = f"{finding.file}:{finding.line}" if finding.line else finding.file or ""
    return f"  [{severity_label(finding.severity, lang)}] {finding.check} {finding.device or ''} {where}: {finding.message.get(lang) or finding.message['en']}"


def render_markdown(diff: DiffResult, lang: str) -> str:
    """Short enough for a merge-request comment; config text is neutralised (no links, no HTML)."""
    from netaudit.report.markdown_report import md_escape

    text = _LABELS[lang]
    out = [f"### {text['title']}", ""]
    out.append(f"**{text['new']}: {len(diff.new)}** · {text['resolved']}: {len(diff.resolved)} · "
               f"{text['opened']}: {sum(1 for f in diff.flows if f.change == 'opened')} · {text['closed']}: {sum(1 for f in diff.flows if f.change == 'closed')}")
    if diff.new:
        out += ["", "| severity | check | device | where | message |", "|---|---|---|---|---|"]
        for finding in diff.new[:50]:
            where = f"{finding.file}:{finding.line}" if finding.line else finding.file or ""
            out.append(f"| {severity_label(finding.severity, lang)} | `{finding.check}` | {md_escape(finding.device or '')} | {md_escape(where, 160)} | "
                       f"{md_escape(finding.message.get(lang) or finding.message['en'], 420)} |")
        if len(diff.new) > 50:
            out.append(f"\n… {len(diff.new) - 50} more")
    opened = [f for f in diff.flows if f.change == "opened"]
    if opened:
        out += ["", f"**{text['opened']}**", "", "| from | to | service | rule |", "|---|---|---|---|"]
        for flow in opened[:50]:
            rule = f"{flow.file}:{flow.line} {flow.rule}" if flow.rule else f"{flow.device} {text['implicit']}"
            out.append(f"| {md_escape(flow.src_zone)} | {md_escape(flow.dst_zone)} | {md_escape(flow.service)} | {md_escape(rule, 420)} |")
    failures = diff.base.not_assessed + diff.head.not_assessed
    if failures:  # never a silent gap: the files the change could not be judged on
        out += ["", f"**{text['not_assessed']}:** " + "; ".join(md_escape(str(f), 300) for f in failures[:20])]
    return "\n".join(out) + "\n"
