"""The review as one self-contained HTML page, for reviewers without Excel.

Same summary and rows as the workbook; every value escaped; the same strict Content-Security-Policy
as the audit report (no script, no external resource), so a hostile remark cannot run anything.
The reviewer's columns are empty cells to fill in on paper.
"""

from __future__ import annotations

import html

from netaudit import __version__
from netaudit.report.html_report import CSP
from netaudit.review.cells import cell_text
from netaudit.review.columns import COLUMNS, SUMMARY_COUNTS, TEXT
from netaudit.review.rows import Review

_CSS = """
body{font-family:system-ui,"Noto Sans TC","Microsoft JhengHei",sans-serif;margin:1.5rem;color:#1b1b1b}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.78rem;margin:.5rem 0}
th,td{border:1px solid #bbb;padding:.2rem .35rem;vertical-align:top;text-align:left}
th{background:#1f3864;color:#fff;position:sticky;top:0}
td.flag{background:#fce4d6}td.review{background:#fff2cc;min-width:5rem}
td.rule{font-family:ui-monospace,Consolas,monospace;white-space:pre-wrap;max-width:32rem}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:bold}
@media print{th{position:static}}
"""


def _e(value: object) -> str:
    return html.escape(cell_text(value), quote=True)


def render_html(review: Review) -> str:
    text, lang = TEXT[review.lang], review.lang
    parts = [f"<h1>{_e(text['title'])}</h1>", "<dl>"]
    for label, value in ((text["as_of"], review.as_of.isoformat()),
                         (text["period"], f"{review.period_start.isoformat()} – {review.as_of.isoformat()}"),
                         (text["configs"], " ".join(review.configs)), (text["hits"], review.hits_dir or text["no_hits"]),
                         (text["unused_days"], review.unused_days), (text["generated"], f"netaudit {__version__}")):
        parts.append(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>")
    parts.append(f"</dl><p>{_e(text['legend'])}</p>")
    heads = [text["device"], text["platform"], text["role"]] + [zh if lang == "zh-TW" else en for _, en, zh in SUMMARY_COUNTS] + [text["counters"]]
    parts.append(f"<h2>{_e(text['summary'])}</h2><table><thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in heads) + "</tr></thead><tbody>")
    for summary in review.summaries:
        cells = [summary.device, summary.platform, summary.role] + [summary.counts.get(k, 0) for k, _, _ in SUMMARY_COUNTS] + [summary.counters]
        parts.append("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>")
    parts.append("</tbody></table>")
    if review.removed:
        parts.append(f"<h2>{_e(text['removed'])} ({len(review.removed)})</h2><ul>")
        parts.extend(f"<li>{_e(r['device'])} {_e(r['filter'])}: <code>{_e(r['rule'])}</code> {_e(r['decision'])}</li>" for r in review.removed)
        parts.append("</ul>")
    if review.warnings:
        parts.append(f"<h2>{_e(text['warnings'])}</h2><ul>" + "".join(f"<li>{_e(w)}</li>" for w in review.warnings) + "</ul>")
    shown = [c for c in COLUMNS if c.kind != "hidden"]
    for sheet in review.sheets:
        parts.append(f"<h2>{_e(sheet.device)} — {_e(sheet.filter)} <small>({_e(text['bound'])}: {_e(sheet.uses)})</small></h2>")
        parts.append("<table><thead><tr>" + "".join(f"<th>{_e(c.header(lang))}</th>" for c in shown) + "</tr></thead><tbody>")
        for row in sheet.rows:
            cells = []
            for column in shown:
                value = row.value(column.key)
                css = "rule" if column.key == "rule" else "review" if column.kind == "review" else "flag" if column.kind == "flag" and value else ""
                cells.append(f'<td class="{css}">{_e(value)}</td>' if css else f"<td>{_e(value)}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
    parts.append(f"<h2>{_e(text['reviewed_by'])} / {_e(text['approved_by'])} / {_e(text['sign_date'])}</h2>")
    html_lang = "zh-Hant-TW" if lang == "zh-TW" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">\n'
            f'<meta name="generator" content="netaudit {_e(__version__)}">\n'
            f"<title>{_e(text['title'])} — {_e(review.as_of.isoformat())}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(parts) + "\n</main>\n</body>\n</html>\n")


def write_html(review: Review, path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(render_html(review))
