"""Markdown (``--format markdown``): a summary short enough for a merge-request comment.

A CI job posts this as a comment on the change, so it must stay small whatever the network
(GitLab refuses notes over 1,000,000 characters, GitHub over 65,536): the summary counts, then the
most severe unwaived findings, at most ``MAX_ROWS`` of them, with every cell clipped to a byte
budget, so the whole comment stays under ``MAX_BYTES`` for any number of findings.

Configuration text is hostile input here: a remark, a banner, an object name or a description
can hold Markdown, HTML, a mention or a URL, and the comment is rendered for every reviewer.
``md_escape`` (prose cells) and ``md_code_cell`` (evidence and paths, as inline code) make sure no
link, image, HTML element, mention or table break can come out of it.
"""

from __future__ import annotations

import re
import unicodedata

from netaudit.findings import SEVERITIES, Finding
from netaudit.pipeline import AuditResult
from netaudit.report.json_report import summary
from netaudit.report.text_report import severity_label

MAX_ROWS = 50
MAX_NOT_ASSESSED = 10
MAX_BYTES = 60_000
# Per-cell budgets in UTF-8 bytes of the *escaped* text: 50 rows of these stay under MAX_BYTES.
_MESSAGE_BYTES = 420
_EVIDENCE_BYTES = 300
_LOCATION_BYTES = 160
_NAME_BYTES = 80

_LABELS = {
    "en": {
        "title": "netaudit audit", "facts": "Audit date: {as_of} · Devices: {devices} · Findings: {findings}",
        "waived": "waived", "top": "Most severe findings ({shown} of {total})", "none": "No unwaived findings.",
        "more": "… and {n} more: see the full report (`--format text`, `json` or `sarif`).",
        "columns": ("severity", "check", "device", "location", "message", "evidence"),
        "not_assessed": "**Not assessed:**", "more_files": "… and {n} more files.",
    },
    "zh-TW": {
        "title": "netaudit 稽核", "facts": "稽核基準日：{as_of} · 設備：{devices} · 發現事項：{findings}",
        "waived": "已豁免", "top": "最嚴重之發現事項（{shown}／{total} 項）", "none": "無未豁免之發現事項。",
        "more": "… 另有 {n} 項：請見完整報告（`--format text`、`json` 或 `sarif`）。",
        "columns": ("嚴重度", "檢查項目", "設備", "位置", "說明", "佐證"),
        "not_assessed": "**未能評估：**", "more_files": "… 另有 {n} 個檔案。",
    },
}

# ---------------------------------------------------------------------------------------- escaping

# The ASCII punctuation that CommonMark, GFM or GitLab read as markup anywhere in a line (emphasis,
# links and images, tables, code, strikethrough, math, headings) is backslash-escaped; '<', '>' and
# '&' become entities so no HTML tag or entity can form. What is markup only at the start of a line
# (list items, thematic breaks, setext underlines, ordered lists) is escaped only there: the text
# is always one line, and '10.30.0.0/16' or 'prod-ap' stay readable in the comment's source.
_BACKSLASHED = set("\\`*_[]|~$#")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_LINE_START = re.compile(r"^\s*(?:(?P<mark>[-+=])|\d{1,9}(?P<number>[.)])(?=\s|$))")
# Mentions (@all), issue/MR/label/milestone references (#1, !1, ~x, %x, &1, $1) and autolinks
# (http://, www., user@host) are found by the renderer in the *rendered text*, after escapes are
# gone, so only changing the text stops them: a zero-width space after the sigil or inside '://'.
_ZWSP = "\u200b"
_SIGILS = set("@#!~%&$")
_AUTOLINK = re.compile(r"(?i)(:)(//)|(www)(\.)")


def md_escape(text: str, max_bytes: int | None = None) -> str:
    """Plain text as Markdown that renders to the same visible text and nothing else.

    Newlines and controls become spaces (a table row is one line); with ``max_bytes`` the escaped
    result is clipped at a whole escape, never inside one, and ends with '…'.
    """
    if max_bytes is not None:
        text = text[:max_bytes]  # every character takes at least one byte
    text = _AUTOLINK.sub(lambda m: _ZWSP.join(g for g in m.groups() if g), _clean(text))
    units = _escape_units(text)
    start = _LINE_START.match(text)
    if start:  # '- x', '+ x', '---', '===', '1. x', '1) x': a list, a rule or a heading underline
        marker = start.start("mark") if start.group("mark") else start.start("number")
        units[marker] = "\\" + units[marker]
    return _clip(units, max_bytes)


def _escape_units(text: str) -> list[str]:
    units = []
    for char in text:
        unit = _ENTITIES.get(char) or ("\\" + char if char in _BACKSLASHED else char)
        if char in _SIGILS:
            unit += _ZWSP
        units.append(unit)
    return units


def _clip(units: list[str], max_bytes: int | None) -> str:
    if max_bytes is None:
        return "".join(units)
    out: list[str] = []
    used = 0
    for unit in units:
        size = len(unit.encode("utf-8"))
        if used + size > max_bytes - 3:  # room for the ellipsis
            return "".join(out) + "…"
        out.append(unit)
        used += size
    return "".join(out)


def md_code_cell(text: str, max_bytes: int = _EVIDENCE_BYTES) -> str:
    """Text as inline code inside a table cell: shown verbatim, never rendered.

    Inside a code span nothing is a link, mention or tag; only a backtick run could close the span
    (so the fence is longer than any run in the text) and a '|' could end the cell (so it is
    escaped, which GFM tables allow even inside code). The cell, fences included, fits ``max_bytes``.
    """
    text = _clean(text[:max_bytes])  # every character takes at least one byte
    if not text.strip():
        return ""
    cell, keep = _code_span(text), len(text)
    while len(cell.encode("utf-8")) > max_bytes and keep > 1:
        keep -= 1
        cell = _code_span(text[:keep] + "…")
    return cell


def _code_span(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"


def _clean(text: str) -> str:
    """One line of visible text: controls, line breaks and bidi overrides become spaces."""
    return "".join(" " if _invisible(char) else char for char in text)


def _invisible(char: str) -> bool:
    # Cc: controls and line breaks; Cf: format characters such as the bidi overrides (U+202E)
    # that can make a rule read backwards in the comment; Zl/Zp: Unicode line separators.
    return unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}


# ------------------------------------------------------------------------------------------ report


def render(result: AuditResult, lang: str) -> str:
    text = _LABELS[lang]
    lines = _heading(result, lang) + [""] + _summary_table(result, lang) + [""] + _not_assessed(result, lang)
    open_findings = sorted((f for f in result.findings if not f.waived), key=Finding.sort_key)
    if not open_findings:
        return "\n".join(lines + [text["none"]]) + "\n"
    shown = open_findings[:MAX_ROWS]
    lines += ["#### " + text["top"].format(shown=len(shown), total=len(open_findings)), ""]
    lines += _findings_table(shown, lang)
    if len(open_findings) > len(shown):
        lines += ["", text["more"].format(n=len(open_findings) - len(shown))]
    return "\n".join(lines) + "\n"


def _heading(result: AuditResult, lang: str) -> list[str]:
    text = _LABELS[lang]
    pack_title = md_escape(result.pack.title.get(lang) or result.pack.name, 200)
    facts = text["facts"].format(as_of=result.as_of.isoformat(), devices=len(result.devices), findings=len(result.findings))
    return [f"### {text['title']} — {pack_title}", "", facts]


def _summary_table(result: AuditResult, lang: str) -> list[str]:
    counts = summary(result)
    header = [severity_label(s, lang) for s in SEVERITIES] + [_LABELS[lang]["waived"]]
    values = [str(counts[s]) for s in SEVERITIES] + [str(counts["waived"])]
    return [_row(header), _row(["---:"] * len(header)), _row(values)]


def _not_assessed(result: AuditResult, lang: str) -> list[str]:
    """Files nobody audited are said before the findings: a clean table must not hide them."""
    if not result.not_assessed:
        return []
    text = _LABELS[lang]
    lines = [text["not_assessed"], ""]
    failures = sorted(result.not_assessed, key=lambda n: (n.file, n.line or 0, n.reason))
    lines += [f"- {md_code_cell(str(n))}" for n in failures[:MAX_NOT_ASSESSED]]
    if len(result.not_assessed) > MAX_NOT_ASSESSED:
        lines.append(text["more_files"].format(n=len(result.not_assessed) - MAX_NOT_ASSESSED))
    return lines + [""]


def _findings_table(findings: list[Finding], lang: str) -> list[str]:
    columns = _LABELS[lang]["columns"]
    return [_row(list(columns)), _row(["---"] * len(columns))] + [_row(_cells(f, lang)) for f in findings]


def _cells(finding: Finding, lang: str) -> list[str]:
    where = f"{finding.file}:{finding.line}" if finding.line else (finding.file or "")
    message = finding.message.get(lang) or finding.message.get("en", "")
    return [
        f"**{severity_label(finding.severity, lang)}**",
        md_code_cell(finding.check, _NAME_BYTES),
        md_escape(finding.device or "", _NAME_BYTES),
        md_code_cell(where, _LOCATION_BYTES),
        md_escape(message, _MESSAGE_BYTES),
        md_code_cell(finding.evidence[0]) if finding.evidence else "",
    ]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
