"""Every output netaudit writes, rendered from one audit: the formats the secret and injection tests
grep. A format added to netaudit is added here once and both suites cover it.

``everything(configs, base, topology)`` returns ``{format name: text}``: the audit reports (text,
JSON, HTML, SARIF, JUnit, Markdown), the diff reports against ``base``, the diagrams (DOT, draw.io,
Mermaid, SVG when Graphviz is installed), the rule-review workbook (xlsx as its XML parts, CSV,
HTML), a query answer and the CLI's own standard error.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import zipfile
from datetime import date
from pathlib import Path

from netaudit.cli import main
from netaudit.diagram import network_diagram, render
from netaudit.diff import run_diff
from netaudit.pipeline import prepare, run_audit
from netaudit.query import answer
from netaudit.report import (
    diff_report,
    html_report,
    json_report,
    junit_report,
    markdown_report,
    sarif_report,
    text_report,
)

AS_OF = date(2026, 11, 24)
REPORTS = {"text": text_report, "json": json_report, "sarif": sarif_report, "junit": junit_report,
           "markdown": markdown_report, "html": html_report}
DIAGRAMS = ("dot", "drawio", "mermaid") + (("svg",) if shutil.which("dot") else ())
try:  # the rule-review workbook (netaudit review), when this build has it
    from netaudit.review import FORMATS as REVIEW_FORMATS
    from netaudit.review import build_review, write_review
except ImportError:  # pragma: no cover - an older build
    REVIEW_FORMATS = ()


def workbook_text(path: Path) -> str:
    """An xlsx as the text of its XML parts (shared strings, sheets): what a grep of the file would see."""
    with zipfile.ZipFile(path) as book:
        return "\n".join(book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xml"))


def everything(configs: Path, base: Path, topology: Path | None, work: Path, lang: str = "en") -> dict[str, str]:
    outputs: dict[str, str] = {}
    topo = str(topology) if topology else None
    result = run_audit([str(configs)], topo, as_of=AS_OF)
    for name, module in REPORTS.items():
        outputs[name] = module.render(result, lang)
    diff = run_diff([str(base)], [str(configs)], topo, as_of=AS_OF)
    outputs["diff-text"] = diff_report.render_text(diff, lang)
    outputs["diff-json"] = diff_report.render_json(diff, lang)
    outputs["diff-markdown"] = diff_report.render_markdown(diff, lang)
    diff.head.findings = diff.new
    for name in ("sarif", "junit", "html"):
        outputs[f"diff-{name}"] = REPORTS[name].render(diff.head, lang)
    diagram, _ = network_diagram([str(configs)], topo, view="both", findings=True, as_of=AS_OF)
    for fmt in DIAGRAMS:
        data = render(diagram, fmt)
        outputs[f"diagram-{fmt}"] = data if isinstance(data, str) else data.decode("utf-8")
    for fmt in REVIEW_FORMATS:
        path = work / f"review.{fmt}"
        write_review(build_review(result, lang, [str(configs)]), fmt, str(path))
        outputs[f"review-{fmt}"] = workbook_text(path) if fmt == "xlsx" else path.read_text(encoding="utf-8")
    context, _ = prepare([str(configs)], topo, AS_OF)
    zones = sorted(context.topology.zones)
    if len(zones) >= 2:
        outputs["query"] = answer(context, zones[0], zones[-1], None).to_text()
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()) as out:
        main(["audit", str(configs), *(["--topology", topo] if topo else []), "--as-of", AS_OF.isoformat(), "--lang", lang,
              "--json", str(work / "cli.json"), "--write-baseline", str(work / "baseline.json")])
    outputs["cli-stdout"] = out.getvalue()
    outputs["cli-stderr"] = err.getvalue()
    outputs["cli-json"] = (work / "cli.json").read_text(encoding="utf-8")
    outputs["cli-baseline"] = (work / "baseline.json").read_text(encoding="utf-8")
    return outputs
