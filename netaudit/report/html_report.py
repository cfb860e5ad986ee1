"""The HTML report: one self-contained file an examiner can open offline, print on A4 and file.

It reads like an audit working paper, not a dashboard: a header that identifies the audit, an
executive summary with one row per article of the policy pack (pass / fail / not assessable), the
findings grouped by article and device with the configuration shown around the evidence line, the
device inventory, and a place for the network architecture diagram.

Safety rules, because the page shows text taken from configurations that anyone with access to a
device could have written (descriptions, remarks, object names):

* every value is escaped on the way in: HTML is assembled only with ``_fmt``, which escapes each
  argument unless it is ``_Safe`` (markup this module built itself) — the same contract as jinja2's
  autoescape, without the dependency;
* every configuration line read back from disk for context passes through ``mask_secrets`` first
  (and PEM private-key blocks are blanked), so the context can never show more than the findings;
* the page loads nothing: CSS is inline, there are no scripts, fonts or remote images, and a
  Content-Security-Policy forbids them, so even a mistake in escaping could not run a script.

The output is deterministic (no timestamp but the audit date), so it can be kept as a golden file.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from netaudit import __version__
from netaudit.checks.registry import NOT_YET_ASSESSED, REGISTRY, SPECIAL_IDS
from netaudit.errors import NetauditInputError
from netaudit.findings import SEVERITIES, Finding
from netaudit.model import Device
from netaudit.pipeline import AuditResult
from netaudit.report.json_report import summary
from netaudit.secrets import mask_lines, mask_secrets
from netaudit.sources import read_source

CONTEXT_LINES = 3  # lines shown before and after the evidence line
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "doc": "Network configuration audit report", "network": "Network", "as_of": "Audit date",
        "tool": "Tool", "policy": "Policy pack", "topology_file": "Topology file", "scope": "Scope",
        "scope_text": "{devices} devices assessed; {missing} files not assessed",
        "no_topology": "none given: topology and flow checks not assessable", "prepared": "Prepared by",
        "reviewed": "Reviewed by", "date": "Date",
        "summary": "1. Executive summary by article", "article": "Article", "requirement": "Requirement",
        "result": "Result", "waived": "Waived", "pass": "Pass", "fail": "Fail", "na": "Not assessable",
        "checks": "Checks", "not_run": "Not assessed", "total": "All findings",
        "summary_note": "Counts are of unwaived findings citing the article; a finding citing two articles counts in both rows.",
        "reason_not_implemented": "not implemented in this release", "reason_disabled": "disabled in the policy pack",
        "reason_no_topology": "needs a topology file (--topology)", "reason_no_check": "no check cites this article",
        "reason_no_hits": "needs hit counts (--hits)",
        "not_assessed": "2. Files not assessed", "all_assessed": "Every configuration file given was assessed.",
        "file": "File", "line": "Line", "reason": "Reason",
        "findings": "3. Findings by article and device", "no_findings": "No findings.",
        "network_wide": "Network-wide (topology file)", "also_cited": "Findings filed under another article that also cite this one",
        "severity": "Severity", "check": "Check", "finding": "Finding", "location": "Location", "articles": "Articles",
        "id": "Finding ID", "evidence": "Evidence in context", "lines": "lines",
        "no_line": "No configuration line: the setting is absent, or a vendor default applies.",
        "recorded": "Evidence as recorded by the audit", "unreadable": "The file could not be read when this report was written; the evidence below is as recorded by the audit.",
        "changed": "The file no longer matches the audit at this line (changed since?); the evidence below is as recorded by the audit.",
        "related": "Related lines", "flow": "Flow", "path": "Path {n} of {total}", "hop": "#", "device": "Device",
        "interfaces": "Ingress → egress", "filter": "Filter", "decision": "Decision", "permit": "permit", "deny": "deny", "unfiltered": "no filter bound",
        "covered_by": "Covered by", "remediation": "Remediation", "waived_mark": "WAIVED", "waiver": "Waiver",
        "inventory": "4. Device inventory", "platform": "Platform", "unrecognized": "Unrecognized lines",
        "coverage": "Parse coverage", "line_count": "Lines", "notes": "Notes",
        "diagram": "5. Network architecture diagram", "diagram_note": "The network architecture diagram (網路架構圖, Art. 4(7)) is drawn here when Graphviz is installed (apt-get install graphviz); `netaudit topology` also writes it as draw.io, Mermaid or DOT.",
        "footer": "Generated by netaudit {version} from the configuration files listed in section 4; audit date {as_of}.",
    },
    "zh-TW": {
        "doc": "網路設備組態稽核報告", "network": "受查網路", "as_of": "稽核基準日",
        "tool": "稽核工具", "policy": "檢核政策", "topology_file": "拓撲檔", "scope": "稽核範圍",
        "scope_text": "已評估設備 {devices} 台；未能評估之檔案 {missing} 個",
        "no_topology": "未提供：拓撲與流量類檢核無法評估", "prepared": "編製人員",
        "reviewed": "覆核人員", "date": "日期",
        "summary": "一、依條文之稽核結果摘要", "article": "條文", "requirement": "規範要求",
        "result": "結果", "waived": "已豁免", "pass": "符合", "fail": "不符合", "na": "無法評估",
        "checks": "檢核項目", "not_run": "未評估", "total": "全部發現事項",
        "summary_note": "數量為引用該條文且未豁免之發現事項；同時引用兩項條文之發現事項於兩列皆列計。",
        "reason_not_implemented": "本版本尚未實作", "reason_disabled": "已於檢核政策中停用",
        "reason_no_topology": "需提供拓撲檔（--topology）", "reason_no_check": "無檢核項目引用本條文",
        "reason_no_hits": "需提供命中次數（--hits）",
        "not_assessed": "二、未能評估之檔案", "all_assessed": "所提供之組態檔均已完成評估。",
        "file": "檔案", "line": "行", "reason": "原因",
        "findings": "三、發現事項（依條文及設備）", "no_findings": "無發現事項。",
        "network_wide": "全網（拓撲檔）", "also_cited": "歸於其他條文、但亦引用本條文之發現事項",
        "severity": "風險等級", "check": "檢核項目", "finding": "發現事項", "location": "位置", "articles": "條文",
        "id": "發現事項編號", "evidence": "佐證（前後組態）", "lines": "行",
        "no_line": "無對應組態行：設定缺漏，或適用設備預設值。",
        "recorded": "稽核時記錄之佐證", "unreadable": "產生報告時無法讀取組態檔；以下為稽核時記錄之佐證。",
        "changed": "組態檔此行與稽核時不符（可能已變更）；以下為稽核時記錄之佐證。",
        "related": "相關組態行", "flow": "流量", "path": "路徑 {n}／{total}", "hop": "#", "device": "設備",
        "interfaces": "進入 → 離開介面", "filter": "過濾規則", "decision": "判定", "permit": "允許", "deny": "拒絕", "unfiltered": "未套用過濾規則",
        "covered_by": "涵蓋本規則之規則", "remediation": "改善建議", "waived_mark": "已豁免", "waiver": "豁免",
        "inventory": "四、設備清單", "platform": "平台", "unrecognized": "無法辨識行數",
        "coverage": "解析涵蓋率", "line_count": "行數", "notes": "備註",
        "diagram": "五、網路架構圖", "diagram_note": "安裝 Graphviz（apt-get install graphviz）後，由上述組態繪製之網路架構圖（第4條第7款）將顯示於此；`netaudit topology` 亦可輸出 draw.io、Mermaid 或 DOT 格式。",
        "footer": "本報告由 netaudit {version} 依第四節所列組態檔產生；稽核基準日 {as_of}。",
    },
}
_SEVERITY_LABELS = {
    "en": {s: s.capitalize() for s in SEVERITIES},
    "zh-TW": {"critical": "嚴重", "high": "高", "medium": "中", "low": "低", "info": "資訊"},
}
_PLATFORMS = {"ios": "Cisco IOS/IOS-XE", "nxos": "Cisco NX-OS", "asa": "Cisco ASA"}
_HTML_LANG = {"en": "en", "zh-TW": "zh-Hant-TW"}


# --- escaping ---------------------------------------------------------------------------------


class _Safe(str):
    """Markup built by this module; ``_fmt`` inserts it as is and escapes everything else."""

    __slots__ = ()


def _esc(value: object) -> _Safe:
    """Escape a value for text or a quoted attribute; markup we built passes unchanged."""
    if isinstance(value, _Safe):
        return value
    return _Safe(html.escape("" if value is None else str(value), quote=True))


def _fmt(template: str, **values: object) -> _Safe:
    """``str.format`` with every argument escaped: the only way HTML is assembled here."""
    return _Safe(template.format(**{key: _esc(value) for key, value in values.items()}))


def _join(parts: Iterable[_Safe], separator: str = "") -> _Safe:
    return _Safe(separator.join(_esc(part) for part in parts))


def _inline_code(text: str) -> _Safe:
    """Escape, then show the pack's `backticked` commands as code (the backticks survive escaping)."""
    return _Safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", _esc(text)))


# --- what the report is built from ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One row of the executive summary: the article's result and what it rests on."""

    article: str
    status: str  # 'pass', 'fail', 'na'
    counts: dict[str, int]  # unwaived findings by severity, and 'waived'
    checks: tuple[str, ...]  # checks that ran for the article
    not_run: tuple[tuple[str, str], ...]  # (check, reason label key) that could not run


def article_order(article: str) -> tuple[int, int, int, str]:
    """Regulation order: Art. 4-1 before 6 before 15 before 17 before 19; unknown ids last."""
    head, _, item = article.partition(".")
    major = head.split("-")
    try:
        return (int(major[0]), int(major[1]) if len(major) > 1 else 0, int(item) if item else 0, "")
    except ValueError:
        return (10**6, 0, 0, article)


def _checks_citing(article: str) -> list[str]:
    ids = [spec.id for spec in REGISTRY.values() if article in spec.articles]
    return ids + [check for check, articles in SPECIAL_IDS.items() if article in articles and check not in ids]


def _why_not_run(check: str, result: AuditResult, reported: set[str]) -> str | None:
    """The reason a check could not say anything in this audit, or None when it ran.

    A check that reported something evidently ran (``unclassified-segment`` does without a topology:
    then no segment is classified), whatever its declared needs.
    """
    if check in reported:
        return None
    policy = result.pack.checks.get(check)
    if check in NOT_YET_ASSESSED or check not in REGISTRY:
        return "reason_not_implemented"
    if policy is not None and not policy.enabled:
        return "reason_disabled"
    need = result.missing_input(check)
    return f"reason_no_{need}" if need is not None else None


def article_rows(result: AuditResult) -> list[ArticleRow]:
    """Every article of the pack: fail when an unwaived finding cites it, pass when a check ran, else n/a."""
    rows = []
    reported = {f.check for f in result.findings}
    for article in sorted(result.pack.articles, key=article_order):
        counts = _severity_counts(f for f in result.findings if article in f.articles)
        ran, not_run = [], []
        for check in _checks_citing(article):
            reason = _why_not_run(check, result, reported)
            if reason:
                not_run.append((check, reason))
            else:
                ran.append(check)
        if not ran and not not_run:
            not_run.append(("", "reason_no_check"))
        unwaived = sum(counts[s] for s in SEVERITIES)
        status = "fail" if unwaived else ("pass" if ran else "na")
        rows.append(ArticleRow(article, status, counts, tuple(ran), tuple(not_run)))
    return rows


class _Sources:
    """Configuration files read back for context, masked line by line, each read once per report."""

    def __init__(self) -> None:
        self._cache: dict[str, list[str] | None] = {}

    def lines(self, path: str | None) -> list[str] | None:
        if not path:
            return None
        if path not in self._cache:
            self._cache[path] = self._read(path)
        return self._cache[path]

    @staticmethod
    def _read(path: str) -> list[str] | None:
        """The file read as the audit read it (same decoding, same line ends), so line numbers agree."""
        try:
            return _mask_lines(read_source(path).lines)
        except NetauditInputError:  # gone, unreadable or binary since the audit: the recorded evidence is shown
            return None


def _mask_lines(lines: list[str]) -> list[str]:
    """Mask secrets on every line; blank PEM private keys, whose lines carry no keyword to mask on."""
    return mask_lines(lines)


# --- rendering --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Page:
    """What every part of the page needs: the audit, the language and its labels, the sources read."""

    result: AuditResult
    lang: str
    text: dict[str, str]
    sources: _Sources
    diagram: bool = False

    def article(self, article: str) -> str:
        return self.result.pack.article_name(article, self.lang)

    def requirement(self, article: str) -> str:
        entry = self.result.pack.articles.get(article, {}).get("summary") or {}
        return _pick(entry, self.lang)

    def severity(self, severity: str) -> _Safe:
        return _fmt('<span class="badge sev-{s}">{label}</span>', s=severity, label=_SEVERITY_LABELS[self.lang][severity])


def render(result: AuditResult, lang: str, diagram: bool = True) -> str:
    """The whole report as one HTML document in ``lang`` ('en' or 'zh-TW').

    ``diagram`` embeds the network architecture diagram (needs Graphviz; the golden tests leave it
    out because its SVG varies with the Graphviz version).
    """
    page = _Page(result, lang, _LABELS[lang], _Sources())
    page.diagram = diagram
    title = _pick(result.pack.title, lang) or result.pack.name
    footer = page.text["footer"].format(version=__version__, as_of=result.as_of.isoformat())
    body = _join([
        _header(page, title),
        _summary_section(page),
        _not_assessed_section(page),
        _findings_section(page),
        _inventory_section(page),
        _diagram_section(page),
        _fmt('<footer class="doc-footer">{t}</footer>', t=footer),
    ], "\n")
    return str(_fmt(
        '<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="netaudit {version}">\n'
        "<title>{title} — {doc}</title>\n<style>{css}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        lang=_HTML_LANG[lang], csp=CSP, version=__version__, title=title, doc=page.text["doc"], css=_Safe(_CSS), body=body,
    ))


def _pick(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("en", "")


def _header(page: _Page, title: str) -> _Safe:
    """Who, what and when: enough for the paper to be identified once it is filed."""
    result, text = page.result, page.text
    pack = result.pack
    rows = [
        (text["network"], result.topology.name or "—"),
        (text["as_of"], result.as_of.isoformat()),
        (text["policy"], f"{pack.name} ({pack.file})" if pack.name else pack.file),
        (text["topology_file"], result.topology.file or text["no_topology"]),
        (text["scope"], text["scope_text"].format(devices=len(result.devices), missing=len(result.not_assessed))),
        (text["tool"], f"netaudit {__version__}"),
    ]
    meta = _join(_fmt('<tr><th scope="row">{k}</th><td>{v}</td></tr>', k=k, v=v) for k, v in rows)
    signoff = _fmt(
        '<table class="signoff"><tr><th>{p}</th><td></td><th>{d}</th><td></td></tr>'
        "<tr><th>{r}</th><td></td><th>{d}</th><td></td></tr></table>",
        p=text["prepared"], r=text["reviewed"], d=text["date"],
    )
    return _fmt(
        '<header class="doc-header"><p class="doc-kind">{doc}</p><h1>{title}</h1>'
        '<table class="meta">{meta}</table>{signoff}</header>',
        doc=text["doc"], title=title, meta=meta, signoff=signoff,
    )


def _severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Unwaived findings by severity, and the waived ones apart: a waived finding does not fail anything."""
    counts = dict.fromkeys((*SEVERITIES, "waived"), 0)
    for finding in findings:
        counts["waived" if finding.waived else finding.severity] += 1
    return counts


def _count_cells(counts: dict[str, int]) -> _Safe:
    return _join(
        _fmt('<td class="num{zero}">{v}</td>', zero="" if counts.get(key) else " zero", v=counts.get(key, 0))
        for key in (*SEVERITIES, "waived")
    )


def _count_headers(page: _Page) -> _Safe:
    heads = [_fmt('<th class="num">{b}</th>', b=page.severity(s)) for s in SEVERITIES]
    return _join([*heads, _fmt('<th class="num">{w}</th>', w=page.text["waived"])])


def _summary_section(page: _Page) -> _Safe:
    """The executive summary: one row per article, in regulation order, with the basis of the result."""
    text = page.text
    with_section = {a for f in page.result.findings for a in f.articles}
    body = _join(_summary_row(page, row, row.article in with_section) for row in article_rows(page.result))
    # the total is the last body row, not a <tfoot>: a footer would be repeated on every printed page
    total_row = _fmt(
        '<tr class="total"><th scope="row" colspan="3">{t}</th>{cells}</tr>', t=text["total"], cells=_count_cells(summary(page.result)),
    )
    return _fmt(
        '<section id="summary" class="major"><h2>{h}</h2>'
        '<table class="summary"><thead><tr><th>{a}</th><th>{req}</th><th>{res}</th>{counts}</tr></thead>'
        '<tbody>{body}{total}</tbody></table><p class="note">{note}</p></section>',
        h=text["summary"], a=text["article"], req=text["requirement"], res=text["result"],
        counts=_count_headers(page), body=body, total=total_row, note=text["summary_note"],
    )


def _summary_row(page: _Page, row: ArticleRow, linked: bool) -> _Safe:
    text = page.text
    name = page.article(row.article)
    name_html = _fmt('<a href="#article-{a}">{n}</a>', a=row.article, n=name) if linked else _esc(name)
    basis = []
    if row.checks:
        basis.append(_fmt('<span class="basis">{l}: {c}</span>', l=text["checks"], c=", ".join(row.checks)))
    if row.not_run:
        items = "; ".join(f"{check} ({text[reason]})" if check else text[reason] for check, reason in row.not_run)
        basis.append(_fmt('<span class="basis not-run">{l}: {c}</span>', l=text["not_run"], c=items))
    return _fmt(
        '<tr class="status-{s}"><th scope="row" class="article">{name}</th>'
        '<td class="requirement">{req}{basis}</td><td class="status"><span class="status-mark">{label}</span></td>{cells}</tr>',
        s=row.status, name=name_html, req=page.requirement(row.article), basis=_join(basis), label=text[row.status],
        cells=_count_cells(row.counts),
    )


def _not_assessed_section(page: _Page) -> _Safe:
    """Files the audit could not read or parse: the examiner must know what the result does not cover."""
    text = page.text
    if not page.result.not_assessed:
        content = _fmt('<p class="ok">{t}</p>', t=text["all_assessed"])
    else:
        rows = _join(
            _fmt('<tr><td><code>{f}</code></td><td class="num">{n}</td><td>{r}</td></tr>', f=item.file, n=item.line or "—", r=item.reason)
            for item in page.result.not_assessed
        )
        content = _fmt(
            '<table class="plain"><thead><tr><th>{f}</th><th class="num">{n}</th><th>{r}</th></tr></thead><tbody>{rows}</tbody></table>',
            f=text["file"], n=text["line"], r=text["reason"], rows=rows,
        )
    return _fmt('<section id="not-assessed"><h2>{h}</h2>{c}</section>', h=text["not_assessed"], c=content)


# --- findings ---------------------------------------------------------------------------------


def _findings_section(page: _Page) -> _Safe:
    """Findings filed under their first article, then by device; the other articles point back to them."""
    primary: dict[str, list[Finding]] = defaultdict(list)
    secondary: dict[str, list[Finding]] = defaultdict(list)
    for finding in page.result.findings:
        articles = finding.articles or ("—",)
        primary[articles[0]].append(finding)
        for article in articles[1:]:
            secondary[article].append(finding)
    if not page.result.findings:
        content = _fmt('<p class="ok">{t}</p>', t=page.text["no_findings"])
    else:
        order = sorted(set(primary) | set(secondary), key=article_order)
        content = _join(_article_block(page, article, primary[article], secondary[article]) for article in order)
    return _fmt('<section id="findings" class="major"><h2>{h}</h2>{c}</section>', h=page.text["findings"], c=content)


def _article_block(page: _Page, article: str, own: list[Finding], cited: list[Finding]) -> _Safe:
    by_device: dict[str, list[Finding]] = defaultdict(list)
    for finding in own:
        by_device[finding.device or ""].append(finding)
    devices = sorted(by_device, key=lambda name: (name == "", name))
    blocks = [_device_block(page, name, by_device[name]) for name in devices]
    if cited:
        blocks.append(_also_cited(page, cited))
    return _fmt(
        '<section class="article-block" id="article-{a}"><h3>{name}</h3><p class="requirement-text">{req}</p>{blocks}</section>',
        a=article, name=page.article(article), req=page.requirement(article), blocks=_join(blocks),
    )


def _device_block(page: _Page, device: str, findings: list[Finding]) -> _Safe:
    items = _join(_finding_block(page, f) for f in sorted(findings, key=Finding.sort_key))
    return _fmt('<div class="device-block"><h4 class="device-name">{d}</h4>{items}</div>', d=device or page.text["network_wide"], items=items)


def _also_cited(page: _Page, findings: list[Finding]) -> _Safe:
    rows = _join(
        _fmt(
            '<tr><td>{b}</td><td><a href="#finding-{id}"><code>{check}</code></a></td><td>{device}</td>'
            "<td><code>{where}</code></td><td>{filed}</td></tr>",
            b=page.severity(f.severity), id=f.id, check=f.check, device=f.device or "—",
            where=_location(f), filed=page.article(f.articles[0]),
        )
        for f in sorted(findings, key=Finding.sort_key)
    )
    return _fmt(
        '<div class="also-cited"><h4>{h}</h4><table class="plain compact"><tbody>{rows}</tbody></table></div>',
        h=page.text["also_cited"], rows=rows,
    )


def _location(finding: Finding) -> str:
    if finding.file and finding.line:
        return f"{finding.file}:{finding.line}"
    return finding.file or "—"


def _finding_block(page: _Page, finding: Finding) -> _Safe:
    """One finding as a working-paper entry: what, where, the proof, the path, the fix."""
    text = page.text
    waived = _fmt(' <span class="waived-mark">{w}</span>', w=text["waived_mark"]) if finding.waived else _Safe("")
    separator = "、" if page.lang == "zh-TW" else ", "
    facts = [
        (text["finding"], _pick(finding.message, page.lang)),
        (text["location"], _fmt("<code>{w}</code>", w=_location(finding))),
        (text["articles"], separator.join(page.article(a) for a in finding.articles)),
        (text["id"], _fmt('<code class="fid">{i}</code>', i=finding.id)),
    ]
    if finding.waiver:
        facts.append((text["waiver"], "; ".join(f"{k}: {v}" for k, v in finding.waiver.items())))
    parts = [
        _fmt(
            '<div class="finding-head">{badge}<span class="check-id">{check}</span>{waived}</div><h5 class="finding-title">{title}</h5>',
            badge=page.severity(finding.severity), check=finding.check, waived=waived, title=_pick(finding.title, page.lang),
        ),
        _fmt('<dl class="facts">{f}</dl>', f=_join(_fmt("<dt>{k}</dt><dd>{v}</dd>", k=k, v=v) for k, v in facts)),
        _evidence_block(page, finding),
    ]
    if finding.flow:
        parts.append(_flow_block(page, finding))
    if finding.covered_by:
        parts.append(_covered_by_block(page, finding))
    remediation = _pick(finding.remediation, page.lang)
    if remediation:
        parts.append(_fmt('<div class="remediation"><h6>{h}</h6><p>{r}</p></div>', h=text["remediation"], r=_inline_code(remediation)))
    classes = f"finding sev-{finding.severity}" + (" is-waived" if finding.waived else "")
    return _fmt('<article class="{c}" id="finding-{id}">{body}</article>', c=classes, id=finding.id, body=_join(parts))


def _evidence_block(page: _Page, finding: Finding) -> _Safe:
    """The evidence line with the lines around it, read again from the file the audit read."""
    text = page.text
    heading = _fmt("<h6>{h}</h6>", h=text["evidence"])
    if finding.line is None:
        note = _fmt('<p class="absence">{t}</p>', t=text["no_line"])
        return _fmt('<div class="evidence">{h}{n}{rec}</div>', h=heading, n=note, rec=_recorded(finding.evidence, None))
    lines = page.sources.lines(finding.file)
    if lines is None or not _matches(lines, finding.line, finding.evidence):
        note = _fmt('<p class="absence">{t}</p>', t=text["unreadable" if lines is None else "changed"])
        return _fmt('<div class="evidence">{h}{n}{rec}</div>', h=heading, n=note, rec=_recorded(finding.evidence, finding.line))
    window = range(max(1, finding.line - CONTEXT_LINES), min(len(lines), finding.line + CONTEXT_LINES) + 1)
    related = _related_lines(lines, finding.line, finding.evidence[1:])
    caption = _fmt(
        '<div class="code-caption"><code>{f}</code> — {l} {a}–{b}</div>', f=finding.file, l=text["lines"], a=window.start, b=window.stop - 1,
    )
    table = _code_table((n, lines[n - 1], _line_class(n, finding.line, related)) for n in window)
    covering = set(finding.covered_by or ())  # listed under their own heading below
    extra: list[tuple[int | str, str, str]] = [(n, lines[n - 1], "rel") for n in sorted(related - covering) if n not in window]
    extra += [("", e, "rel") for e in finding.evidence[1:] if not _located(lines, e)]
    more = _fmt('<div class="related"><h6>{h}</h6>{t}</div>', h=text["related"], t=_code_table(extra)) if extra else _Safe("")
    return _fmt('<div class="evidence">{h}{c}{t}{x}</div>', h=heading, c=caption, t=table, x=more)


def _matches(lines: Sequence[str], line: int, evidence: list[str]) -> bool:
    """Whether the file still reads, at the finding's line, what the audit recorded as evidence."""
    if line > len(lines):
        return False
    return not evidence or lines[line - 1].strip() == evidence[0]


def _located(lines: Sequence[str], evidence: str) -> list[int]:
    return [i + 1 for i, line in enumerate(lines) if line.strip() == evidence]


def _related_lines(lines: Sequence[str], line: int, further: list[str]) -> set[int]:
    """Line numbers of the further evidence (a remark, the interface a subnet sits on): the nearest copy of each."""
    found: set[int] = set()
    for evidence in further:
        candidates = _located(lines, evidence)
        if candidates:
            found.add(min(candidates, key=lambda n: (abs(n - line), n)))
    found.discard(line)
    return found


def _line_class(number: int, line: int, related: set[int]) -> str:
    if number == line:
        return "hit"
    return "rel" if number in related else "ctx"


def _code_table(rows: Iterable[tuple[int | str, str, str]]) -> _Safe:
    body = _join(
        _fmt('<tr class="{c}"><td class="ln">{n}</td><td class="src">{t}</td></tr>', c=css, n=number, t=line) for number, line, css in rows
    )
    return _fmt('<table class="code"><tbody>{b}</tbody></table>', b=body)


def _recorded(evidence: list[str], line: int | None) -> _Safe:
    """Evidence exactly as the audit recorded it (masked by the parsers already; masked again, to be sure)."""
    if not evidence:
        return _Safe("")
    return _code_table(
        (line if i == 0 and line else "", mask_secrets(e), "hit" if i == 0 else "rel") for i, e in enumerate(evidence)
    )


def _flow_block(page: _Page, finding: Finding) -> _Safe:
    """The flow and every path that carries it, hop by hop, with the rule or the reason on each hop."""
    flow: dict[str, Any] = finding.flow or {}
    paths = flow.get("paths") or ([flow["path"]] if flow.get("path") else [])
    head = _fmt(
        '<p class="flow-line"><span class="zone">{s}</span> → <span class="zone">{d}</span> <code>{svc}</code></p>',
        s=flow.get("src_zone", "?"), d=flow.get("dst_zone", "?"), svc=flow.get("service", ""),
    )
    tables = _join(_path_table(page, finding, path, i + 1, len(paths)) for i, path in enumerate(paths))
    return _fmt('<div class="flow"><h6>{h}</h6>{head}{tables}</div>', h=page.text["flow"], head=head, tables=tables)


def _path_table(page: _Page, finding: Finding, path: list[dict[str, Any]], number: int, total: int) -> _Safe:
    text = page.text
    rows = _join(_hop_row(page, finding, hop, i + 1) for i, hop in enumerate(path))
    caption = _fmt("<caption>{c}</caption>", c=text["path"].format(n=number, total=total)) if total > 1 else _Safe("")
    return _fmt(
        '<table class="hops">{cap}<thead><tr><th class="num">{h}</th><th>{d}</th><th>{i}</th><th>{f}</th>'
        '<th class="num">{n}</th><th>{dec}</th></tr></thead><tbody>{rows}</tbody></table>',
        cap=caption, h=text["hop"], d=text["device"], i=text["interfaces"], f=text["filter"], n=text["line"], dec=text["decision"], rows=rows,
    )


def _hop_row(page: _Page, finding: Finding, hop: dict[str, Any], number: int) -> _Safe:
    file, line = hop.get("file"), hop.get("line")
    where = ("" if not file or file == finding.file else f"{file}:") + (str(line) if line else "—")
    deciding = bool(line) and line == finding.line and (not file or file == finding.file)
    interfaces = f"{hop.get('ingress') or '—'} → {hop.get('egress') or '—'}"
    return _fmt(
        '<tr class="{c}"><td class="num">{n}</td><td class="device">{d}</td><td>{i}</td><td class="filter"><code>{f}</code></td><td class="num">{w}</td>'
        '<td class="decision">{dec}</td></tr>',
        c="hit" if deciding else "hop", n=number, d=hop.get("device") or "—", i=interfaces, f=hop.get("filter") or "—", w=where,
        dec=_hop_decision(page, hop),
    )


def _hop_decision(page: _Page, hop: dict[str, Any]) -> _Safe:
    """permit/deny and the rule text, or the implicit reason when no rule decides on this hop."""
    action = hop.get("action")
    parts = [_fmt('<span class="action action-{a}">{t}</span>', a=action, t=page.text[action])] if action in ("permit", "deny") else []
    if hop.get("rule"):
        parts.append(_fmt(" <code>{r}</code>", r=mask_secrets(str(hop["rule"]))))
    else:
        reason = str(hop.get("reason_zh" if page.lang == "zh-TW" else "reason") or hop.get("reason") or page.text["unfiltered"])
        parts.append(_fmt(' <span class="implicit">({r})</span>', r=reason))
    return _join(parts)


def _covered_by_block(page: _Page, finding: Finding) -> _Safe:
    """The lines that decide every packet of a shadowed or redundant rule (earlier, or later for a redundant one)."""
    lines = page.sources.lines(finding.file) or []
    rows = [(n, lines[n - 1] if 0 < n <= len(lines) else "", "rel") for n in finding.covered_by or []]
    return _fmt('<div class="covered"><h6>{h}</h6>{t}</div>', h=page.text["covered_by"], t=_code_table(rows))


# --- inventory and diagram --------------------------------------------------------------------


def _coverage(device: Device) -> str:
    if not device.lines:
        return "—"
    return f"{100.0 * (device.lines - device.unrecognized_lines) / device.lines:.1f}%"


def _inventory_section(page: _Page) -> _Safe:
    """Which devices the audit rests on, and how completely each configuration was understood."""
    text = page.text
    rows = _join(_inventory_row(page, device) for device in page.result.devices)
    return _fmt(
        '<section id="inventory" class="major"><h2>{h}</h2><table class="inventory"><thead><tr>'
        '<th>{d}</th><th>{p}</th><th>{f}</th><th class="num">{n}</th><th class="num">{u}</th><th class="num">{c}</th>{counts}<th>{notes}</th>'
        "</tr></thead><tbody>{rows}</tbody></table></section>",
        h=text["inventory"], d=text["device"], p=text["platform"], f=text["file"], n=text["line_count"], u=text["unrecognized"],
        c=text["coverage"], counts=_count_headers(page), notes=text["notes"], rows=rows,
    )


def _inventory_row(page: _Page, device: Device) -> _Safe:
    counts = _severity_counts(f for f in page.result.findings if f.device == device.name)
    return _fmt(
        '<tr><th scope="row">{name}</th><td class="platform">{platform}</td><td><code>{file}</code></td><td class="num">{lines}</td>'
        '<td class="num">{unrec}</td><td class="num">{cov}</td>{cells}<td class="notes">{notes}</td></tr>',
        name=device.name, platform=_PLATFORMS.get(device.platform, device.platform), file=device.file, lines=device.lines,
        unrec=device.unrecognized_lines, cov=_coverage(device), cells=_count_cells(counts), notes="; ".join(device.warnings),
    )


def _diagram_section(page: _Page) -> _Safe:
    """The network architecture diagram (Art. 4(7)) with the findings overlay, drawn by netaudit.diagram.

    The SVG is our own renderer's output, in which every label taken from a config is escaped.
    """
    svg = None
    if page.diagram:
        from netaudit.diagram import report_svg

        svg = report_svg(page.result)
    if svg is None:
        return _fmt(
            '<section id="topology-diagram" class="major"><h2>{h}</h2><p class="placeholder">{n}</p></section>',
            h=page.text["diagram"], n=page.text["diagram_note"],
        )
    return _fmt('<section id="topology-diagram" class="major"><h2>{h}</h2><div class="diagram">{svg}</div></section>',
                h=page.text["diagram"], svg=_Safe(svg))


_CSS = """
:root { --ink:#1a1a1a; --muted:#5f6368; --rule:#c9ccd1; --head:#eef0f3; --accent:#1f3a5f;
  --crit:#7a1212; --high:#b42318; --med:#b54708; --low:#175cd3; --info:#475467;
  --pass-bg:#e7f3ea; --pass:#1b5e20; --fail-bg:#fbeaea; --fail:#8a1c1c; --na-bg:#f1f1f1; --na:#4a4a4a;
  --hit:#fff3bf; --rel:#eaf1fb; }
* { box-sizing: border-box; }
.diagram svg { width: 100%; height: auto; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #f4f5f7; color: var(--ink);
  font: 14px/1.5 "Noto Sans CJK TC", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 40px 40px; background: #fff; }
h1 { font-size: 22px; margin: 2px 0 14px; color: var(--accent); }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); color: var(--accent); }
h3 { font-size: 16px; margin: 22px 0 4px; padding: 4px 8px; background: var(--head); border-left: 4px solid var(--accent); }
h4 { font-size: 14px; margin: 14px 0 6px; }
h5 { font-size: 14px; margin: 4px 0 6px; }
h6 { font-size: 12px; margin: 10px 0 4px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
code, .src { font-family: "DejaVu Sans Mono", "Noto Sans Mono CJK TC", Consolas, "Liberation Mono", monospace; font-size: 12px; }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--rule); padding: 4px 7px; vertical-align: top; text-align: left; }
thead th { background: var(--head); font-size: 12px; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.zero { color: #b0b4ba; }
.doc-kind { margin: 0; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); }
.doc-header { border-bottom: 3px double var(--accent); padding-bottom: 14px; }
table.meta { width: auto; min-width: 60%; }
table.meta th { background: var(--head); width: 11em; font-weight: 600; }
table.signoff { width: auto; margin-top: 10px; font-size: 12px; }
table.signoff th { background: none; font-weight: 600; color: var(--muted); }
table.signoff td { width: 14em; height: 26px; }
table.summary th.article { white-space: nowrap; }
.requirement { font-size: 13px; }
.basis { display: block; margin-top: 3px; font-size: 11px; color: var(--muted); }
.basis.not-run { color: var(--na); font-style: italic; }
td.status { white-space: nowrap; }
.status-mark { display: inline-block; min-width: 6.5em; padding: 1px 8px; border-radius: 3px; font-weight: 700; text-align: center; }
tr.status-pass .status-mark { background: var(--pass-bg); color: var(--pass); border: 1px solid var(--pass); }
tr.status-fail .status-mark { background: var(--fail-bg); color: var(--fail); border: 1px solid var(--fail); }
tr.status-na .status-mark { background: var(--na-bg); color: var(--na); border: 1px dashed var(--na); }
tr.total th, tr.total td { background: var(--head); font-weight: 700; }
.note { font-size: 12px; color: var(--muted); }
.ok { padding: 6px 10px; background: var(--pass-bg); border-left: 4px solid var(--pass); }
.badge { display: inline-block; min-width: 4.6em; padding: 0 6px; border-radius: 3px; color: #fff; font-size: 11px;
  font-weight: 700; text-align: center; letter-spacing: .03em; line-height: 18px; }
.badge.sev-critical { background: var(--crit); } .badge.sev-high { background: var(--high); }
.badge.sev-medium { background: var(--med); } .badge.sev-low { background: var(--low); } .badge.sev-info { background: var(--info); }
.requirement-text { margin: 0 0 8px; color: var(--muted); font-size: 13px; }
.device-name { border-bottom: 1px solid var(--rule); padding-bottom: 2px; }
.finding { margin: 10px 0 16px; padding: 10px 14px; border: 1px solid var(--rule); border-left-width: 5px; }
.finding.sev-critical { border-left-color: var(--crit); } .finding.sev-high { border-left-color: var(--high); }
.finding.sev-medium { border-left-color: var(--med); } .finding.sev-low { border-left-color: var(--low); }
.finding.sev-info { border-left-color: var(--info); }
.finding.is-waived { background: repeating-linear-gradient(135deg, #fff, #fff 10px, #fafafa 10px, #fafafa 20px); }
.finding-head { display: flex; gap: 10px; align-items: center; break-after: avoid; page-break-after: avoid; }
.check-id { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 12px; color: var(--muted); }
.waived-mark { border: 1px solid var(--na); color: var(--na); padding: 0 6px; font-size: 11px; font-weight: 700; }
dl.facts { display: grid; grid-template-columns: 9em 1fr; gap: 2px 12px; margin: 0 0 4px; font-size: 13px; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
.fid { color: var(--muted); }
.code-caption { font-size: 12px; color: var(--muted); margin-bottom: 2px; }
table.code { border: 1px solid var(--rule); background: #fbfbfc; }
table.code td { border: none; padding: 1px 8px; }
table.code td.ln { width: 4.5em; text-align: right; color: var(--muted); border-right: 1px solid var(--rule);
  font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 12px; user-select: none; }
table.code td.src { white-space: pre-wrap; overflow-wrap: anywhere; }
table.code tr.hit td { background: var(--hit); font-weight: 700; }
table.code tr.hit td.ln { color: var(--ink); box-shadow: inset 3px 0 0 var(--high); }
table.code tr.rel td { background: var(--rel); }
table.code tr.rel td.ln { box-shadow: inset 3px 0 0 var(--low); }
.absence { margin: 2px 0 6px; font-style: italic; color: var(--na); }
.flow-line { margin: 2px 0 6px; }
.zone { font-weight: 700; }
table.hops { font-size: 12px; margin-bottom: 6px; }
table.hops caption { text-align: left; font-size: 12px; color: var(--muted); padding: 2px 0; }
table.hops tr.hit td { background: var(--hit); }
table.hops th, table.hops td.num, table.hops td.device, table.hops td.filter { white-space: nowrap; }
table.hops td.decision code { white-space: pre-wrap; overflow-wrap: anywhere; }
.action { font-weight: 700; } .action-permit { color: var(--fail); } .action-deny { color: var(--pass); }
.implicit { font-style: italic; color: var(--muted); }
.remediation { margin-top: 6px; padding: 6px 10px; background: #f6f8fb; border-left: 3px solid var(--accent); }
.remediation h6 { margin-top: 0; } .remediation p { margin: 0; font-size: 13px; }
.also-cited h4 { font-size: 13px; color: var(--muted); }
table.compact td { font-size: 12px; padding: 2px 6px; }
table.inventory td.notes { font-size: 12px; color: var(--muted); }
table.inventory tbody th, table.inventory td.platform { white-space: nowrap; }
.placeholder { min-height: 120px; padding: 16px; border: 1px dashed var(--rule); color: var(--muted); }
.doc-footer { margin-top: 32px; padding-top: 8px; border-top: 1px solid var(--rule); font-size: 11px; color: var(--muted); }
@page { size: A4; margin: 16mm 14mm 18mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; color: #5f6368; } }
@media print {
  body { background: #fff; font-size: 10pt; }
  main { max-width: none; padding: 0; }
  section.major { break-before: page; page-break-before: always; }
  section#summary { break-before: auto; page-break-before: auto; }
  h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  th, td { padding: 3px 5px; }
  .badge { min-width: 0; padding: 0 4px; }
  .status-mark { min-width: 0; padding: 0 5px; }
  .finding-head, h5, dl.facts, table.code, .remediation, .placeholder { break-inside: avoid; page-break-inside: avoid; }
  code, .src, table.code td.ln { font-size: 8.5pt; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""
