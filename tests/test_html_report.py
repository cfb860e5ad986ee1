"""The HTML report: golden files, structure, escaping, secrets, and a real headless browser.

The report is handed to examiners and opened on their machines, so it must load nothing, run
nothing and print nothing that came from a config without escaping it. The browser tests open it in
Debian's Chromium (installed by ``scripts/setup-browser.sh``, which CI runs before the tests) and
skip with a reason when it is not installed. Refresh the golden files after a reviewed change with
``NETAUDIT_UPDATE_GOLDEN=1 pytest tests/test_html_report.py`` and read the diff.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import re
import shutil
import struct
import subprocess
import zlib
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from netaudit.pipeline import AuditResult, run_audit
from netaudit.report import html_report
from tests.checks_support import AS_OF, COMPLIANT_IOS, COMPLIANT_TOPOLOGY, mutate
from tests.golden_support import assert_matches_golden

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
SAMPLE_AS_OF = date(2026, 11, 24)
LANGS = ("en", "zh-TW")
CHROMIUM = Path("/usr/bin/chromium")
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
IMG_NAME = '"><img/src=x/onerror=alert(3)>'  # no spaces: it is a valid ACL name
COMMUNITY = "S3cretCommunity"
PASSWORD = "Pl4inPassw0rd"


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def result() -> AuditResult:
    with contextlib.chdir(ROOT):  # paths in the report as the README's command gives them
        return run_audit(["sample_configs"], "topology/network.yaml", as_of=SAMPLE_AS_OF)


@pytest.fixture(scope="module")
def reports(result: AuditResult) -> dict[str, str]:
    """The sample report in both languages, rendered where the CLI would be run (evidence is read back)."""
    with contextlib.chdir(ROOT):
        return {lang: html_report.render(result, lang, diagram=False) for lang in LANGS}


def hostile_config() -> str:
    """A compliant router with markup in a description, an ACL remark and ACL names, and two planted secrets."""
    return mutate(
        COMPLIANT_IOS,
        replace={"interface GigabitEthernet0/0\n": f"interface GigabitEthernet0/0\n description {SCRIPT} {IMG}\n"},
        add=[
            "interface GigabitEthernet0/2",
            f" description uplink {SCRIPT}",
            f" description {IMG}",
            " ip address 10.77.1.1 255.255.255.0",
            f" ip access-group {IMG_NAME} in",
            "!",
            f"ip access-list extended {SCRIPT}",
            f" remark {IMG} {SCRIPT}",
            " permit ip any any",
            f"ip access-list extended {IMG_NAME}",
            f" remark CHG-1 {SCRIPT}",
            " permit tcp any any eq 23",
            f"snmp-server community {COMMUNITY} RO",
            f"username admin password 0 {PASSWORD}",
        ],
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[AuditResult, dict[str, str]]:
    """The hostile config audited from its own folder, as the CLI run there would give relative paths."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "configs").mkdir()
    (folder / "configs" / "r1.cfg").write_text(hostile_config(), encoding="utf-8")
    (folder / "network.yaml").write_text(COMPLIANT_TOPOLOGY, encoding="utf-8")
    with contextlib.chdir(folder):
        audited = run_audit(["configs"], "network.yaml", as_of=AS_OF)
        return audited, {lang: html_report.render(audited, lang, diagram=False) for lang in LANGS}


# --- a small DOM reader -----------------------------------------------------------------------


@dataclasses.dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    classes: set[str]
    text: str = ""


class Dom(HTMLParser):
    """Every element with its attributes and the text inside it (nested text included)."""

    VOID = {"meta", "br", "img", "hr", "input", "link", "col", "source", "wbr", "area", "base", "embed"}

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        element = Element(tag, values, set(values.get("class", "").split()))
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                return

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def find(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        return [e for e in self.elements if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)]

    def by_id(self) -> dict[str, Element]:
        return {e.attrs["id"]: e for e in self.elements if "id" in e.attrs}


def assert_loads_nothing(dom: Dom) -> None:
    """No script, no frame or plugin, no stylesheet link, no image, and no reference off the page."""
    tags = {e.tag for e in dom.elements}
    assert not tags & {"script", "iframe", "object", "embed", "link", "img", "frame", "base", "form"}, tags
    for element in dom.elements:
        assert not any(name.startswith("on") for name in element.attrs), element
        for name in ("src", "href", "srcset", "action", "data", "poster"):
            value = element.attrs.get(name)
            if value is not None:
                assert value.startswith("#"), (element.tag, name, value)
    style = "".join(e.text for e in dom.find("style"))
    assert "url(" not in style and "@import" not in style


# --- (a) golden files -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_sample_report_matches_golden(reports: dict[str, str], lang: str) -> None:
    assert_matches_golden(GOLDEN / f"sample_audit.{lang}.html", reports[lang])


def test_rendering_is_deterministic(result: AuditResult, reports: dict[str, str]) -> None:
    with contextlib.chdir(ROOT):
        assert html_report.render(result, "en", diagram=False) == reports["en"]


# --- (b) structure ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_finding_article_and_device_is_in_the_report(result: AuditResult, reports: dict[str, str], lang: str) -> None:
    dom = Dom(reports[lang])
    ids = dom.by_id()
    for finding in result.findings:
        element = ids.get(f"finding-{finding.id}")
        assert element is not None, finding.id
        assert finding.check in element.text and finding.id in element.text
    expected = [result.pack.article_name(a, lang) for a in sorted(result.pack.articles, key=html_report.article_order)]
    assert [cell.text for cell in dom.find("th", "article")] == expected
    assert expected[0] == ("第4條之1第3款" if lang == "zh-TW" else "Art. 4-1(3)") and len(expected) == 18
    inventory = ids["inventory"]
    for device in result.devices:
        assert device.name in inventory.text and device.file in inventory.text
    assert {"summary", "not-assessed", "findings", "inventory", "topology-diagram"} <= set(ids)


@pytest.mark.parametrize("lang", LANGS)
def test_report_is_self_contained_and_locked_down(reports: dict[str, str], lang: str) -> None:
    markup = reports[lang]
    dom = Dom(markup)
    assert_loads_nothing(dom)
    csp = [m.attrs["content"] for m in dom.find("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert csp == [CSP]
    assert "<script" not in markup.lower()  # not even in text: config text is escaped, so '<' never survives
    style = "".join(e.text for e in dom.find("style"))
    assert "@page" in style and "size: A4" in style and "page-break-before: always" in style


def test_summary_statuses_and_counts(result: AuditResult, reports: dict[str, str]) -> None:
    rows = {row.article: row for row in html_report.article_rows(result)}
    assert rows["19.3"].status == "fail" and rows["19.3"].counts["critical"] == 1
    assert rows["15.4"].status == "fail"
    assert all(r.status == "fail" for r in rows.values())  # the sample breaks every article it cites
    dom = Dom(reports["zh-TW"])
    assert dom.find("tr", "status-fail") and "不符合" in dom.find("tr", "status-fail")[0].text
    badges = {e.text for e in dom.find("span", "badge")}
    assert {"嚴重", "高", "中", "低", "資訊"} <= badges


def test_articles_without_topology_are_not_assessable(tmp_path: Path) -> None:
    folder = tmp_path / "configs"
    folder.mkdir()
    (folder / "r1.cfg").write_text(COMPLIANT_IOS, encoding="utf-8")
    with contextlib.chdir(tmp_path):
        audited = run_audit(["configs"], None, as_of=AS_OF)
        markup = html_report.render(audited, "en")
    rows = {row.article: row for row in html_report.article_rows(audited)}
    for article in ("19.1", "19.4", "19.5", "19.6"):  # only topology / flow checks cite these
        assert rows[article].status == "na", article
        assert rows[article].not_run and all(reason == "reason_no_topology" for _, reason in rows[article].not_run)
    # with no zones declared nothing of 19.2 can be judged (no segment is "unclassified" without a topology)
    assert rows["19.2"].status == "na"
    assert ("tier-bypass", "reason_no_topology") in rows["19.2"].not_run
    assert ("unclassified-segment", "reason_no_topology") in rows["19.2"].not_run
    assert rows["4-1.4"].status == "pass"  # device checks ran and found nothing
    assert "Not assessable" in markup and "needs a topology file" in markup


def test_disabled_checks_make_an_article_not_assessable(result: AuditResult) -> None:
    pack = dataclasses.replace(result.pack, checks=dict(result.pack.checks))
    for check in ("admin-bypasses-jump",):  # the only check citing 19.6
        pack.checks[check] = dataclasses.replace(pack.checks[check], enabled=False)
    audited = dataclasses.replace(result, pack=pack, findings=[f for f in result.findings if f.check != "admin-bypasses-jump"])
    rows = {row.article: row for row in html_report.article_rows(audited)}
    assert rows["19.6"].status == "na" and rows["19.6"].not_run == (("admin-bypasses-jump", "reason_disabled"),)


def test_waived_findings_do_not_fail_an_article(result: AuditResult) -> None:
    waived = [dataclasses.replace(f, waived=True, waiver={"reason": "accepted <risk>", "ticket": "RISK-1"}) if "19.5" in f.articles else f
              for f in result.findings]
    audited = dataclasses.replace(result, findings=waived)
    rows = {row.article: row for row in html_report.article_rows(audited)}
    assert rows["19.5"].status == "pass" and rows["19.5"].counts["waived"] == 1
    with contextlib.chdir(ROOT):
        markup = html_report.render(audited, "en")
    assert "WAIVED" in markup and "accepted &lt;risk&gt;" in markup


def test_evidence_is_shown_in_context_with_line_numbers(result: AuditResult, reports: dict[str, str]) -> None:
    finding = next(f for f in result.findings if f.check == "remote-admin-exposed")
    element = Dom(reports["en"]).by_id()[f"finding-{finding.id}"]
    lines = (ROOT / str(finding.file)).read_text(encoding="utf-8").splitlines()
    assert finding.line is not None
    for number in range(finding.line - 3, finding.line + 4):
        assert str(number) in element.text and lines[number - 1].strip() in element.text
    hit = [row for row in Dom(reports["en"]).find("tr", "hit") if finding.evidence[0] in row.text]
    assert hit, "the evidence line is highlighted"
    assert "internet" in element.text and "OUTSIDE_IN" in element.text  # the hop table
    absent = next(f for f in result.findings if f.line is None)
    assert "No configuration line" in Dom(reports["en"]).by_id()[f"finding-{absent.id}"].text


def test_changed_or_missing_file_falls_back_to_the_recorded_evidence(result: AuditResult, tmp_path: Path) -> None:
    finding = next(f for f in result.findings if f.check == "remote-admin-exposed")
    moved = dataclasses.replace(result, findings=[finding])
    with contextlib.chdir(tmp_path):  # sample_configs/ is not here
        markup = html_report.render(moved, "en")
    assert "could not be read" in markup and html.escape(finding.evidence[0]) in markup
    (tmp_path / "sample_configs").mkdir()
    (tmp_path / str(finding.file)).write_text("hostname changed\n" * 400, encoding="utf-8")
    with contextlib.chdir(tmp_path):
        markup = html_report.render(moved, "en")
    assert "no longer matches" in markup and "hostname changed" not in markup


# --- (c) escaping and (d) secrets ---------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_config_markup_is_escaped_everywhere(hostile: tuple[AuditResult, dict[str, str]], lang: str) -> None:
    audited, reports = hostile
    markup = reports[lang]
    assert any(SCRIPT in f.message["en"] for f in audited.findings)  # the injection reaches the findings
    for raw in (SCRIPT, IMG, IMG_NAME, "<img", "<script"):
        assert raw not in markup
    for raw in (SCRIPT, IMG, IMG_NAME):
        assert html.escape(raw, quote=True) in markup
    dom = Dom(markup)
    assert_loads_nothing(dom)
    text = "".join(e.text for e in dom.find("main"))
    assert SCRIPT in text and IMG in text and IMG_NAME in text  # shown as text


@pytest.mark.parametrize("lang", LANGS)
def test_secrets_never_appear(hostile: tuple[AuditResult, dict[str, str]], lang: str) -> None:
    _, reports = hostile
    markup = reports[lang]
    assert COMMUNITY not in markup and PASSWORD not in markup
    assert "snmp-server community &lt;masked&gt; RO" in markup
    assert "username admin password 0 &lt;masked&gt;" in markup


def test_context_lines_are_masked_too(tmp_path: Path) -> None:
    """Secrets next to the evidence line (not evidence themselves) are masked in the context shown."""
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAs3cr3tK3y\n-----END RSA PRIVATE KEY-----\n"
    config = mutate(COMPLIANT_IOS, replace={
        "line vty 0 4\n": "line vty 0 4\n password 0 N0tEvidence\n",
        " exec-timeout 10 0\n transport": " exec-timeout 0 0\n" + pem + " transport",
    })
    folder = tmp_path / "configs"
    folder.mkdir()
    (folder / "r1.cfg").write_text(config, encoding="utf-8")
    with contextlib.chdir(tmp_path):
        audited = run_audit(["configs"], None, as_of=AS_OF)
        markup = html_report.render(audited, "en")
    timeout = next(f for f in audited.findings if f.check == "idle-timeout" and f.evidence == ["exec-timeout 0 0"])
    element = Dom(markup).by_id()[f"finding-{timeout.id}"]
    assert "password 0 <masked>" in element.text and "PRIVATE KEY" in element.text
    assert "N0tEvidence" not in markup and "s3cr3tK3y" not in markup


# --- (e) a real browser -----------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium not installed: run scripts/setup-browser.sh (as root) first")
# The page is laid out 1280 x 3000 CSS pixels (the summary table has a row per article, so the first
# finding's evidence starts below 2000) and shot at half scale, which keeps the PNG small enough to
# decode here in pure Python. `pytest --basetemp DIR` keeps the screenshots for a person to look at.
WINDOW = (1280, 3000)
SCALE = 0.5


@dataclasses.dataclass
class Rendered:
    dom: str
    console: list[str]
    png: Path


def open_in_chromium(page: Path, work: Path) -> Rendered:
    """Load the page in headless Chromium: the rendered DOM, the page's console messages, a screenshot."""
    png = work / f"{page.stem}.png"
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        f"--user-data-dir={work / 'profile'}", "--enable-logging=stderr", "--v=0",
        f"--screenshot={png}", f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--force-device-scale-factor={SCALE}",
        "--dump-dom", page.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    # Chromium logs every console message of the page as 'INFO:CONSOLE(...)': errors, CSP violations
    # ('Refused to …' in older releases, '… violates the following Content Security Policy …' now).
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line or "Refused to" in line]
    return Rendered(done.stdout, console, png)


def png_rows(path: Path) -> list[bytes]:
    """The RGB(A) rows of an 8-bit, non-interlaced PNG, as Chromium writes screenshots."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    width = height = bpp = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and not interlace
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw, stride = zlib.decompress(idat), width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride) if kind else ():
            left = line[i - bpp] if i >= bpp else 0
            up, corner = previous[i], (previous[i - bpp] if i >= bpp else 0)
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            else:
                guess = left + up - corner
                near = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner))[2]
                line[i] = (line[i] + near) & 255
        rows.append(bytes(line))
        previous = line
    return [bytes(b for i, b in enumerate(row) if i % bpp < 3) if bpp == 4 else row for row in rows]


def css_colour(name: str) -> bytes:
    """A colour of the report's stylesheet, as RGB bytes: what the screenshot is searched for."""
    value = re.search(rf"--{name}:#([0-9a-fA-F]{{6}})", html_report._CSS)
    assert value, name
    return bytes.fromhex(value.group(1))


def pixels_of(rows: list[bytes], colour: bytes) -> int:
    return sum(row[x:x + 3] == colour for row in rows for x in range(0, len(row), 3))


@needs_chromium
def test_console_capture_sees_page_errors(tmp_path: Path) -> None:
    """The control: a page that fails must show in what we capture, or the tests below prove nothing."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>notDefined()</script>", encoding="utf-8")
    rendered = open_in_chromium(page, tmp_path)
    assert any("notDefined" in line for line in rendered.console), rendered.console


@needs_chromium
@pytest.mark.parametrize("lang", LANGS)
def test_sample_report_in_chromium(reports: dict[str, str], tmp_path: Path, lang: str) -> None:
    page = tmp_path / f"sample_audit.{lang}.html"
    page.write_text(reports[lang], encoding="utf-8")
    rendered = open_in_chromium(page, tmp_path)
    assert rendered.console == []
    dom = Dom(rendered.dom)
    assert dom.find("table", "summary") and len(dom.find("tr", "status-fail")) >= 10
    assert any("ip http server" in row.text for row in dom.find("tr", "hit"))
    assert not dom.find("script")
    rows = png_rows(rendered.png)
    assert (len(rows[0]) // 3, len(rows)) == (int(WINDOW[0] * SCALE), int(WINDOW[1] * SCALE))
    assert pixels_of(rows, css_colour("fail-bg")) > 500  # the summary table's Fail marks are painted
    assert pixels_of(rows, css_colour("hit")) > 500  # and the highlighted evidence line of the first finding


@needs_chromium
def test_injected_markup_is_text_in_chromium(hostile: tuple[AuditResult, dict[str, str]], tmp_path: Path) -> None:
    _, reports = hostile
    page = tmp_path / "hostile.html"
    page.write_text(reports["en"], encoding="utf-8")
    rendered = open_in_chromium(page, tmp_path)
    assert rendered.console == []  # nothing ran, and nothing even tried to (no CSP violation either)
    dom = Dom(rendered.dom)
    assert not dom.find("script") and not dom.find("img")
    assert not any(name.startswith("on") for e in dom.elements for name in e.attrs)
    text = "".join(e.text for e in dom.find("main"))
    assert SCRIPT in text and IMG in text and IMG_NAME in text
    assert COMMUNITY not in rendered.dom and PASSWORD not in rendered.dom
    assert pixels_of(png_rows(rendered.png), css_colour("hit")) > 100


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_report_embeds_the_network_diagram() -> None:
    with contextlib.chdir(ROOT):
        result = run_audit(["sample_configs"], "topology/network.yaml", as_of=SAMPLE_AS_OF)
        markup = html_report.render(result, "en")
    section = markup[markup.index('<section id="topology-diagram"'):]
    assert "<svg" in section[:2000] and "mgmt" in section and "<script" not in markup
