"""Nothing from a config or the topology file runs, links or computes in an output (issue #8, item 4).

Markup, Markdown, spreadsheet formulas and terminal escapes are put where a config or topology
author can put text — hostname, interface description, ACL name and remark, zone and host names —
and every output (``outputs.py``) is checked: HTML and SVG/draw.io carry it only escaped (and still
parse), Markdown renders no link, image or HTML, workbook and CSV cells starting with ``=+-@`` are
text, and the terminal report carries no control character.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.robustness.outputs import REVIEW_FORMATS, everything
from tests.robustness.support import ROOT, sample_pair

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
NAME = "<svg/onload=alert(3)>"  # no spaces: a valid hostname / ACL / zone name
LINK = "[x](http://evil.example)"
FORMULAS = ("=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)")
ESCAPE = "\x1b]0;owned\x07"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("hostile")
    base, head = sample_pair(work)
    core = head / "core-sw.cfg"
    text = core.read_text(encoding="utf-8").replace("hostname core-sw", f"hostname core-{NAME}", 1)
    text = text.replace(" description OA servers 10.30.0.0/24 (proxy01, AD)", f" description {SCRIPT} {IMG} {LINK} {ESCAPE}", 1)
    core.write_text(text, encoding="utf-8")
    fw = head / "fw-internal.cfg"
    lines = fw.read_text(encoding="utf-8").split("\n")
    acl = next(i for i, line in enumerate(lines) if line.startswith("access-list ") and " extended permit " in line)
    name = lines[acl].split()[1]
    remarks = [f"access-list {name} remark {formula}" for formula in FORMULAS] + [f"access-list {name} remark {SCRIPT} {LINK} {IMG}"]
    lines[acl:acl] = remarks
    fw.write_text("\n".join(lines), encoding="utf-8")
    topology = (ROOT / "topology" / "network.yaml").read_text(encoding="utf-8")
    topology = topology.replace("  oa: {env: oa, cidrs: [10.30.0.0/16]}", f"  'oa{NAME}': {{env: oa, cidrs: [10.30.0.0/16]}}")
    topology = re.sub(r"\{from: oa, to: ([^}]*)\}", lambda m: "{from: 'oa" + NAME + "', to: " + m.group(1) + "}", topology)
    topology = re.sub(r"\bfrom: oa\b", f"from: 'oa{NAME}'", topology)
    (work / "network.yaml").write_text(topology, encoding="utf-8")
    return everything(head, base, work / "network.yaml", work)


def test_the_hostile_text_reaches_the_outputs(outputs: dict[str, str]) -> None:
    assert NAME in outputs["json"] and SCRIPT in outputs["diff-json"]  # JSON keeps it as data: escaping is each format's job
    assert "alert(" in outputs["html"] and "alert(" in outputs["diagram-drawio"]


@pytest.mark.parametrize("name", ["html", "diff-html", "review-html"])
def test_html_carries_markup_only_as_text(outputs: dict[str, str], name: str) -> None:
    if name not in outputs:
        pytest.skip(f"{name} is not in this build")
    markup = outputs[name]
    for raw in ("<script", "<img", "<svg/onload", "\x1b"):
        assert raw not in markup, (name, raw)
    elements = Elements()
    elements.feed(markup)
    assert not {tag for tag, _ in elements.seen} & {"script", "img", "svg", "iframe", "object", "embed"} - ({"svg"} if name in ("html", "diff-html") else set())  # the report's own diagram
    assert not [(tag, attr) for tag, attrs in elements.seen for attr in attrs if attr.startswith("on")]
    assert name == "diff-html" or "alert(2)" in "".join(elements.text)  # shown, as text (the diff shows new findings only)


class Elements(HTMLParser):
    """Every start tag with its attribute names, and the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.seen: list[tuple[str, list[str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, [name for name, _ in attrs]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("name", ["diagram-drawio", "diagram-svg"])
def test_xml_diagrams_parse_and_carry_no_active_element(outputs: dict[str, str], name: str) -> None:
    if name not in outputs:
        pytest.skip("Graphviz 'dot' is not installed" if name == "diagram-svg" else f"{name} missing")
    root = ET.fromstring(outputs[name])
    tags = {element.tag.split("}")[-1] for element in root.iter()}
    assert not tags & {"script", "img", "foreignObject", "iframe", "svg"} - ({"svg"} if name == "diagram-svg" else set())
    for element in root.iter():
        assert not any(attr.split("}")[-1].startswith("on") for attr in element.attrib), element.attrib
    assert "<script" not in outputs[name] and "<img" not in outputs[name]


@pytest.mark.parametrize("name", ["markdown", "diff-markdown"])
def test_markdown_renders_no_link_image_or_html(outputs: dict[str, str], name: str) -> None:
    renderer = MarkdownIt("gfm-like")  # as GitHub / GitLab render before sanitising: raw HTML on, autolinks on
    rendered = renderer.render(outputs[name])
    for tag in ("<a ", "<img", "<script", "<svg", "<iframe"):
        assert tag not in rendered, (name, tag)


def test_mermaid_labels_cannot_close_their_quotes(outputs: dict[str, str]) -> None:
    body = outputs["diagram-mermaid"].split("flowchart", 1)[1]
    assert "<script" not in body and "<svg/" not in body


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_spreadsheet_cells_starting_like_a_formula_are_text(outputs: dict[str, str], tmp_path: Path, fmt: str) -> None:
    if fmt not in REVIEW_FORMATS:
        pytest.skip(f"netaudit review --format {fmt} is not in this build")
    text = outputs[f"review-{fmt}"]
    assert any(formula[1:] in text for formula in ("=HYPERLINK", "+1+cmd")), "the remarks reach the workbook"
    if fmt == "csv":
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert cells and not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
    else:
        assert "<f>" not in text and "<f " not in text  # no formula element in any sheet
        assert not re.search(r't="(?:str|e)"', text)  # no cell typed as a formula result


def test_review_workbook_file_has_no_formula(tmp_path: Path) -> None:
    """The helper reads sheets through zipfile; make sure it sees formulas when there are some."""
    book = tmp_path / "f.xlsx"
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", '<sheetData><row><c r="A1"><f>1+1</f></c></row></sheetData>')
    from tests.robustness.outputs import workbook_text

    assert "<f>" in workbook_text(book)


@pytest.mark.parametrize("name", ["text", "diff-text", "cli-stdout", "cli-stderr", "query"])
def test_terminal_outputs_carry_no_control_characters(outputs: dict[str, str], name: str) -> None:
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", outputs.get(name, "")), name
