"""The terminal report: findings grouped by article, with the evidence line, in zh-TW or English."""

from __future__ import annotations

import re
from collections import defaultdict

from netaudit.findings import SEVERITIES, Finding
from netaudit.pipeline import AuditResult
from netaudit.report.json_report import summary

_LABELS = {
    "en": {"title": "netaudit audit report", "as_of": "Audit date", "devices": "Devices", "summary": "Summary",
           "evidence": "Evidence", "fix": "Remediation", "none": "No findings.", "not_assessed": "Not assessed",
           "unrecognized": "unrecognized lines", "waived": "waived", "topology": "Topology", "no_line": "(no line: the setting is absent or a vendor default)",
           "more_in_json": "more (all listed in the JSON report)"},
    "zh-TW": {"title": "netaudit 稽核報告", "as_of": "稽核基準日", "devices": "設備", "summary": "摘要",
              "evidence": "佐證", "fix": "改善建議", "none": "無發現事項。", "not_assessed": "未能評估",
              "unrecognized": "行無法辨識", "waived": "已豁免", "topology": "拓撲檔", "no_line": "（無對應行：設定缺漏或為設備預設值）",
              "more_in_json": "行未列出（JSON 報告列有全部）"},
}
# Terminal control: an ESC or C1 sequence in a file name or config text could rewrite the screen,
# set the window title or write the clipboard of whoever reads the report in a terminal.
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SEVERITY_ZH = {"critical": "嚴重", "high": "高", "medium": "中", "low": "低", "info": "資訊"}


UNRECOGNIZED_SHOWN = 20  # per device in the text report; the JSON document lists every one


def _article_order(article: str) -> tuple:
    head, _, item = article.partition(".")
    major = head.split("-")
    return (int(major[0]), int(major[1]) if len(major) > 1 else 0, int(item) if item.isdigit() else 0)


def severity_label(severity: str, lang: str) -> str:
    return f"{_SEVERITY_ZH[severity]}" if lang == "zh-TW" else severity.upper()


def render(result: AuditResult, lang: str) -> str:
    text = _LABELS[lang]
    lines = [f"{text['title']} — {result.pack.title.get(lang, result.pack.name)}", f"{text['as_of']}: {result.as_of.isoformat()}"]
    if result.topology.file:
        lines.append(f"{text['topology']}: {result.topology.file} ({result.topology.name})")
    lines.append(f"{text['devices']}:")
    for device in result.devices:
        lines.append(f"  {device.name:<16} {device.platform:<5} {device.file} ({device.lines}, {device.unrecognized_lines} {text['unrecognized']})")
        for item in device.unrecognized[:UNRECOGNIZED_SHOWN]:
            lines.append(f"      {item.line}: {item.text}")
        if device.unrecognized_lines > UNRECOGNIZED_SHOWN:
            lines.append(f"      … {device.unrecognized_lines - UNRECOGNIZED_SHOWN} {text['more_in_json']}")
    for failure in result.not_assessed:
        lines.append(f"  {text['not_assessed']}: {failure}")
    by_article: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_article[finding.articles[0] if finding.articles else "-"].append(finding)
    if not result.findings:
        lines += ["", text["none"]]
    for article in sorted(by_article, key=_article_order):
        lines += ["", f"== {result.pack.article_name(article, lang)} =="]
        for finding in by_article[article]:
            lines += _finding_lines(finding, lang, text)
    counts = summary(result)
    lines += ["", f"{text['summary']}: " + ", ".join(f"{severity_label(s, lang)} {counts[s]}" for s in SEVERITIES) + f", {text['waived']} {counts['waived']}"]
    return printable("\n".join(lines) + "\n")


def printable(text: str) -> str:
    """The text with terminal control characters shown as U+FFFD (tabs and line ends kept)."""
    return _TERMINAL_CONTROL.sub("\ufffd", text)


def _finding_lines(finding: Finding, lang: str, text: dict[str, str]) -> list[str]:
    where = f"{finding.file}:{finding.line}" if finding.line else f"{finding.file} {text['no_line']}"
    waived = f" [{text['waived']}]" if finding.waived else ""
    out = [
        f"[{severity_label(finding.severity, lang)}] {finding.check}{waived} — {finding.device or finding.file}",
        f"    {finding.message.get(lang) or finding.message['en']}",
        f"    {where}",
    ]
    out += [f"    | {line}" for line in finding.evidence]
    return out
