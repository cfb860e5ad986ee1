"""Machine-readable reports for CI: SARIF 2.1.0, JUnit XML and Markdown.

Golden snapshots of the sample audit in each format, then what the CI readers rely on: SARIF valid
against the official schema (``tests/data``, see its README), JUnit read back by a standard JUnit
reader, Markdown that cannot carry a link, an image, HTML or a mention out of a config and stays
small enough for a merge-request comment, and no secret from a config in any of them. Refresh the
golden files after a reviewed change with
``NETAUDIT_UPDATE_GOLDEN=1 pytest tests/test_machine_reports.py`` and read the diff.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml, Skipped, TestCase
from markdown_it import MarkdownIt

from netaudit.checks.registry import NOT_YET_ASSESSED, REGISTRY, SPECIAL_IDS
from netaudit.findings import SEVERITY_RANK, Finding
from netaudit.pipeline import AuditResult, NotAssessed, run_audit
from netaudit.report import junit_report, markdown_report, sarif_report
from netaudit.report.markdown_report import md_code_cell, md_escape
from tests.checks_support import AS_OF, COMPLIANT_IOS, COMPLIANT_TOPOLOGY, mutate
from tests.golden_support import assert_matches_golden

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
SAMPLE_AS_OF = date(2026, 11, 24)
LANGS = ("en", "zh-TW")
FORMATS: dict[str, ModuleType] = {"sarif": sarif_report, "junit": junit_report, "markdown": markdown_report}
GOLDEN_FILES: dict[str, ModuleType] = {
    "sample_audit.sarif": sarif_report,
    "sample_audit.junit.xml": junit_report,
    "sample_audit.md": markdown_report,
}
FINDING_ID = re.compile(r"\(id ([0-9a-f]{20})\)")
ZWSP = "\u200b"

COMMUNITY = "S3cretCommunity"
PASSWORD = "Pl4inPassw0rd"
LINK_NAME = "[x](http://evil)"  # no spaces: a valid ACL name
IMAGE = "![i](http://e/i.png)"
SCRIPT = "<script>alert(1)</script>"
UNUSED_ACL_NAMES = (IMAGE, "@channel", "|pipes|", "www.evil.example", "*x*_y_`z`")  # each reaches a message


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def result() -> AuditResult:
    with contextlib.chdir(ROOT):  # paths in the reports as the README's command gives them
        return run_audit(["sample_configs"], "topology/network.yaml", as_of=SAMPLE_AS_OF)


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft7Validator:
    """The official schema with the validator of the draft it declares, formats (URIs) checked."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def hostile_config() -> str:
    """A compliant router with Markdown, HTML and a mention in ACL names and remarks, and two planted secrets."""
    return mutate(
        COMPLIANT_IOS,
        replace={"interface GigabitEthernet0/0\n": "interface GigabitEthernet0/0\n description | pipes | @channel\n"},
        add=[
            "interface GigabitEthernet0/2",
            " ip address 10.77.1.1 255.255.255.0",
            f" ip access-group {LINK_NAME} in",
            "!",
            f"ip access-list extended {LINK_NAME}",
            f" remark @channel {IMAGE} {SCRIPT} www.evil.example",
            " permit ip any any",
            f"ip access-list extended {SCRIPT}",
            " permit tcp any any eq 23",
            *[line for name in UNUSED_ACL_NAMES for line in (f"ip access-list extended {name}", " deny ip any any")],
            f"snmp-server community {COMMUNITY} RO",
            f"username admin password 0 {PASSWORD}",
        ],
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "configs").mkdir()
    (folder / "configs" / "r1.cfg").write_text(hostile_config(), encoding="utf-8")
    (folder / "network.yaml").write_text(COMPLIANT_TOPOLOGY, encoding="utf-8")
    with contextlib.chdir(folder):
        return run_audit(["configs"], "network.yaml", as_of=AS_OF)


def make_finding(index: int, **changes: Any) -> Finding:
    """A finding built directly, for what the sample network cannot show (volume, hostile text)."""
    finding = Finding(
        id=f"{index:020x}", check="any-any-rule", articles=("15.4",), severity="high",
        title={"en": "Any-any rule", "zh-TW": "any-any 規則"},
        message={"en": f"ACL_{index}: permit from any source to any destination", "zh-TW": f"ACL_{index}：允許任意來源至任意目的"},
        remediation={"en": "Narrow it.", "zh-TW": "縮小範圍。"},
        device="fw-1", file="configs/fw-1.cfg", line=index + 1, evidence=[f"access-list ACL_{index} permit ip any any"],
    )
    return dataclasses.replace(finding, **changes)


WAIVER = {"reason": "vendor support until the jump host is ready", "approved_by": "CISO", "ticket": "CHG-2026-0042",
          "expires": "2027-06-30", "file": "waivers.yaml", "line": 3}  # as netaudit.waivers records it


def with_waiver(result: AuditResult) -> tuple[AuditResult, Finding]:
    """The sample audit with its first finding waived."""
    waived = dataclasses.replace(result.findings[0], waived=True, waiver=dict(WAIVER))
    return dataclasses.replace(result, findings=[waived, *result.findings[1:]]), waived


# --- golden snapshots -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GOLDEN_FILES))
def test_reports_match_golden(result: AuditResult, name: str) -> None:
    assert_matches_golden(GOLDEN / name, GOLDEN_FILES[name].render(result, "en"), as_json=name.endswith(".sarif"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_reports_are_deterministic(result: AuditResult, fmt: str, lang: str) -> None:
    shuffled = dataclasses.replace(result, findings=list(reversed(result.findings)), devices=list(reversed(result.devices)))
    assert FORMATS[fmt].render(result, lang) == FORMATS[fmt].render(shuffled, lang)


# --- SARIF ------------------------------------------------------------------------------------


def sarif_run(result: AuditResult, lang: str = "en") -> dict[str, Any]:
    return json.loads(sarif_report.render(result, lang))["runs"][0]


@pytest.mark.parametrize("lang", LANGS)
def test_sarif_validates_against_the_official_schema(result: AuditResult, sarif_validator: jsonschema.Draft7Validator, lang: str) -> None:
    log = json.loads(sarif_report.render(result, lang))
    errors = sorted(sarif_validator.iter_errors(log), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json" and log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_schema_validation_is_not_vacuous(sarif_validator: jsonschema.Draft7Validator) -> None:
    """A log with a wrong level, a bad URI and a result without message must be refused."""
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "level": "fatal"},
        {"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a b"}}}]},
        {"ruleId": "x"},
    ]}]}
    messages = [e.message for e in sarif_validator.iter_errors(bad)]
    assert len(messages) == 3, messages


def test_sarif_has_one_rule_per_catalog_id_with_articles_and_help(result: AuditResult) -> None:
    rules = sarif_run(result)["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(set(REGISTRY) | set(SPECIAL_IDS))
    for rule in rules:
        policy = result.pack.checks[rule["id"]]
        articles = list(REGISTRY[rule["id"]].articles) if rule["id"] in REGISTRY else list(SPECIAL_IDS[rule["id"]])
        assert rule["shortDescription"]["text"] == policy.title["en"]
        assert policy.remediation["en"] in rule["help"]["text"]
        assert all(result.pack.article_name(a, "en") in rule["help"]["text"] for a in articles)
        assert rule["properties"]["articles"] == articles
        assert rule["properties"]["tags"] == ["security", "compliance", *articles]
        assert rule["defaultConfiguration"]["level"] == sarif_report.LEVELS[policy.severity]
        assert " " not in rule["name"]


def test_sarif_results_point_at_the_finding_lines(result: AuditResult) -> None:
    run = sarif_run(result)
    rules = run["tool"]["driver"]["rules"]
    findings = sorted(result.findings, key=Finding.sort_key)
    assert len(run["results"]) == len(findings)
    for sarif, finding in zip(run["results"], findings, strict=True):
        assert sarif["ruleId"] == finding.check == rules[sarif["ruleIndex"]]["id"]
        assert sarif["partialFingerprints"] == {"netauditFindingId/v1": finding.id}
        assert sarif["level"] == {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}[finding.severity]
        assert sarif["message"]["text"] == finding.message["en"]
        location = sarif["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == finding.file
        if finding.line is None:
            assert "region" not in location  # a file-level result: the setting is absent
        else:
            assert location["region"]["startLine"] == finding.line
            assert location["region"]["snippet"]["text"] == finding.evidence[0]
        assert sarif["properties"]["evidence"] == finding.evidence
        assert sarif["properties"]["device"] == finding.device
        assert ("flow" in sarif["properties"]) == (finding.flow is not None)
        assert "suppressions" not in sarif
    assert any(f.line is None for f in findings) and any(f.flow for f in findings)


def test_sarif_in_chinese_keeps_ids_and_translates_text(result: AuditResult) -> None:
    en, zh = sarif_run(result, "en"), sarif_run(result, "zh-TW")
    assert zh["language"] == "zh-TW"
    assert [r["partialFingerprints"] for r in zh["results"]] == [r["partialFingerprints"] for r in en["results"]]
    first = sorted(result.findings, key=Finding.sort_key)[0]
    assert zh["results"][0]["message"]["text"] == first.message["zh-TW"]
    assert "條" in zh["tool"]["driver"]["rules"][0]["help"]["text"]


def test_sarif_waived_findings_are_suppressed_not_dropped(result: AuditResult, sarif_validator: jsonschema.Draft7Validator) -> None:
    waived_result, waived = with_waiver(result)
    log = json.loads(sarif_report.render(waived_result, "en"))
    assert not list(sarif_validator.iter_errors(log))
    [entry] = [r for r in log["runs"][0]["results"] if r["partialFingerprints"]["netauditFindingId/v1"] == waived.id]
    [suppression] = entry["suppressions"]
    assert suppression["kind"] == "external" and suppression["state"] == "accepted"
    assert suppression["justification"] == "vendor support until the jump host is ready (CHG-2026-0042; CISO)"
    assert suppression["location"]["physicalLocation"] == {"artifactLocation": {"uri": "waivers.yaml"}, "region": {"startLine": 3}}


@pytest.mark.parametrize(("path", "uri"), [
    ("sample_configs/fw-edge.cfg", "sample_configs/fw-edge.cfg"),
    ("configs\\core sw.cfg", "configs/core%20sw.cfg"),
    ("c:fw.cfg", "c%3Afw.cfg"),  # never read as a URI scheme
    ("設定/fw#1.cfg", "%E8%A8%AD%E5%AE%9A/fw%231.cfg"),
    ("/srv/configs/fw.cfg", "file:///srv/configs/fw.cfg"),
    ("C:\\configs\\fw.cfg", "file:///C:/configs/fw.cfg"),
])
def test_sarif_artifact_uris(path: str, uri: str, sarif_validator: jsonschema.Draft7Validator) -> None:
    assert sarif_report.artifact_uri(path) == uri
    location = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]}]}]}
    assert not list(sarif_validator.iter_errors(location))


def test_sarif_reports_unreadable_files_as_error_notifications(result: AuditResult, sarif_validator: jsonschema.Draft7Validator) -> None:
    failed = dataclasses.replace(result, not_assessed=[NotAssessed("configs/bad.cfg", 3, "not a Cisco configuration")])
    log = json.loads(sarif_report.render(failed, "en"))
    assert not list(sarif_validator.iter_errors(log))
    [notification] = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "error" and "not a Cisco configuration" in notification["message"]["text"]
    assert notification["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}


# --- JUnit ------------------------------------------------------------------------------------


def junit(result: AuditResult, lang: str = "en") -> JUnitXml:
    # bytes: with lxml installed (napalm, for netaudit collect, brings it) junitparser parses with
    # lxml, which refuses a str that carries an encoding declaration
    return JUnitXml.fromstring(junit_report.render(result, lang).encode("utf-8"))


def outcome(case: TestCase) -> list[Any]:
    return list(case.result)


def test_junit_has_one_test_case_per_check_and_device(result: AuditResult) -> None:
    report = junit(result)
    suites = {suite.name: suite for suite in report}
    catalog = junit_report.device_check_ids(result.pack)
    assert catalog == sorted(set(REGISTRY) | (NOT_YET_ASSESSED & set(result.pack.checks)) - set(SPECIAL_IDS))
    for device in result.devices:
        cases = list(suites[device.name])
        assert sorted(case.name for case in cases) == catalog
        assert {case.classname for case in cases} == {device.name}
    network = [case.name for case in suites[junit_report.NETWORK_SUITE]]
    assert {f.check for f in result.findings if f.device is None} | set(SPECIAL_IDS) <= set(network)
    assert "zone-missing" in network
    assert set(suites) == {d.name for d in result.devices} | {junit_report.NETWORK_SUITE}


def test_junit_counts_are_right(result: AuditResult) -> None:
    report = junit(result)
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in report:
        cases = list(suite)
        counted = {
            "tests": len(cases),
            "failures": sum(any(isinstance(r, Failure) for r in outcome(c)) for c in cases),
            "errors": sum(any(isinstance(r, Error) for r in outcome(c)) for c in cases),
            "skipped": sum(any(isinstance(r, Skipped) for r in outcome(c)) for c in cases),
        }
        assert (suite.tests, suite.failures, suite.errors, suite.skipped) == tuple(counted.values()), suite.name
        totals = {k: totals[k] + counted[k] for k in totals}
    assert (report.tests, report.failures, report.errors, report.skipped) == tuple(totals.values())
    assert report.errors == 0 and report.failures > 0 and report.skipped > 0


def test_junit_failures_are_exactly_the_unwaived_findings(result: AuditResult) -> None:
    waived_result, waived = with_waiver(result)
    failed_ids: list[str] = []
    for suite in junit(waived_result):
        for case in suite:
            failures = [r for r in outcome(case) if isinstance(r, Failure)]
            if not failures:
                continue
            [failure] = failures
            mine = [f for f in waived_result.findings if (f.device or junit_report.NETWORK_SUITE) == case.classname
                    and f.check == case.name and not f.waived]
            assert failure.type == max(mine, key=lambda f: SEVERITY_RANK[f.severity]).severity
            assert f"{mine[0].file}:{mine[0].line}" in failure.text or mine[0].line is None
            failed_ids += FINDING_ID.findall(failure.text)
    assert sorted(failed_ids) == sorted(f.id for f in waived_result.findings if not f.waived)
    [case] = [c for s in junit(waived_result) for c in s if c.classname == (waived.device or junit_report.NETWORK_SUITE) and c.name == waived.check]
    assert waived.id in (case.system_out or "")


def test_junit_skips_what_is_not_assessed_or_disabled(result: AuditResult) -> None:
    checks = dict(result.pack.checks)
    checks["no-ntp"] = dataclasses.replace(checks["no-ntp"], enabled=False)
    disabled = dataclasses.replace(result, pack=dataclasses.replace(result.pack, checks=checks),
                                   findings=[f for f in result.findings if f.check != "no-ntp"])
    for suite in junit(disabled):
        for case in suite:
            skipped = [r for r in outcome(case) if isinstance(r, Skipped)]
            if case.name in NOT_YET_ASSESSED:
                assert skipped and skipped[0].message == "not assessed in this version", (suite.name, case.name)
            elif case.name == "no-ntp":
                assert skipped and skipped[0].message == "disabled in the policy pack"
            elif case.name == "unused-rule":  # audited without --hits: it could not run, so it did not pass
                assert skipped and skipped[0].message == "not assessed: needs hit counts (--hits)"
            else:
                assert not skipped


def test_junit_escapes_markup_and_control_characters(result: AuditResult) -> None:
    nasty = make_finding(1, device=result.devices[0].name, evidence=["banner motd \x03<script>&]]></script>\x03"])
    report = junit(dataclasses.replace(result, findings=[nasty]))
    [text] = [r.text for s in report for c in s for r in outcome(c) if isinstance(r, Failure)]
    assert "    banner motd \ufffd<script>&]]></script>\ufffd" in text.splitlines()


def test_junit_reports_unreadable_files_as_errors(result: AuditResult) -> None:
    failed = dataclasses.replace(result, not_assessed=[NotAssessed("configs/bad.cfg", None, "cannot read: permission denied")])
    report = junit(failed)
    assert report.errors == 1
    [suite] = [s for s in report if s.name == junit_report.NOT_ASSESSED_SUITE]
    [case] = list(suite)
    [error] = outcome(case)
    assert isinstance(error, Error) and error.message == "cannot read: permission denied"


def test_junit_in_chinese_is_well_formed(result: AuditResult) -> None:
    root = ET.fromstring(junit_report.render(result, "zh-TW"))
    assert root.tag == "testsuites" and root.get("tests") == str(junit(result).tests)


# --- Markdown ---------------------------------------------------------------------------------


def render_markdown(text: str) -> str:
    """Render as GitHub and GitLab would before sanitising: GFM tables, raw HTML on, autolinks on."""
    renderer = MarkdownIt("gfm-like")
    renderer.linkify.set({"fuzzy_link": False})  # like GFM: www., scheme:// and e-mail autolinks only
    return renderer.render(text)


def assert_inert(rendered: str) -> None:
    for tag in ("<a ", "<img", "<script", "<iframe", "<svg"):
        assert tag not in rendered, rendered


def visible_text(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace(ZWSP, "").strip()


HOSTILE_TEXT = [
    "- list item",
    "1. ordered item",
    "---",
    "# heading",
    "<script>alert(1)</script>",
    "[x](http://evil)",
    "![i](http://e/i.png)",
    "| pipes |",
    "@channel and @all",
    "<http://evil> http://evil.example/x www.evil.example ops@evil.example ftp://evil",
    "[ref]: http://evil",
    "*bold* _em_ `code` ~~gone~~ #12 !3 ~label %milestone &1 $x$ {+ins+} [-del-]",
    '<img src=x onerror="alert(2)">',
    "AT&T &lt;b&gt; \\*",
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_md_escape_renders_the_text_and_nothing_else(text: str) -> None:
    rendered = render_markdown(md_escape(text))
    assert_inert(rendered)
    assert "<em>" not in rendered and "<strong>" not in rendered and "<code>" not in rendered and "<s>" not in rendered
    assert visible_text(rendered) == text


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_text_cannot_break_a_table_row(text: str) -> None:
    table = f"| a | b | c |\n|---|---|---|\n| {md_escape(text)} | {md_code_cell(text)} | end |\n"
    rendered = render_markdown(table)
    assert_inert(rendered)
    [row] = re.findall(r"<tbody>\s*<tr>(.*?)</tr>", rendered, re.S)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert len(cells) == 3 and visible_text(cells[2]) == "end"
    assert visible_text(cells[0]) == text
    assert cells[1].startswith("<code>") and html.unescape(cells[1][len("<code>"):-len("</code>")]) == text


def test_md_escape_examples() -> None:
    assert md_escape("<script>") == "&lt;script&gt;"
    assert md_escape("| pipes |") == "\\| pipes \\|"
    assert md_escape("@channel") == f"@{ZWSP}channel"
    assert md_escape("http://evil") == f"http:{ZWSP}//evil"
    assert md_escape("line 1\nline 2\r\u202eevil") == "line 1 line 2  evil"  # one row; no bidi override
    assert md_escape("10.30.0.0/16 tcp/22 prod-ap (fw-1)") == "10.30.0.0/16 tcp/22 prod-ap (fw-1)"  # readable source
    assert md_escape("- item") == "\\- item" and md_escape("12. item") == "12\\. item" and md_escape("===") == "\\==="
    assert md_escape("# heading") == f"\\#{ZWSP} heading"


def test_md_escape_clips_at_whole_escapes() -> None:
    clipped = md_escape("&" * 1000, 100)
    assert len(clipped.encode("utf-8")) <= 100 and clipped.endswith("…")
    assert clipped[:-1] == f"&amp;{ZWSP}" * (len(clipped[:-1]) // len(f"&amp;{ZWSP}"))
    assert md_escape("short", 100) == "short"


def test_md_code_cell() -> None:
    assert md_code_cell("permit ip any any") == "`permit ip any any`"
    assert md_code_cell("a `b` c") == "``a `b` c``"
    assert md_code_cell("`b`") == "`` `b` ``"
    assert md_code_cell("a | b") == "`a \\| b`"
    assert md_code_cell("  ") == ""
    long = md_code_cell("`" * 500 + "|" * 500, 300)
    assert len(long.encode("utf-8")) <= 300
    assert "…" in long


def test_markdown_stays_small_with_5000_findings(result: AuditResult) -> None:
    """Worst case: every cell as long and as escape-heavy as it can be."""
    noisy = "&|<@`*_[" * 200 + "設定" * 200
    findings = [
        make_finding(i, device="d" * 300, file="設定/" + "x|`" * 100 + ".cfg", message={"en": noisy, "zh-TW": noisy}, evidence=[noisy])
        for i in range(5000)
    ]
    for lang in LANGS:
        text = markdown_report.render(dataclasses.replace(result, findings=findings), lang)
        assert len(text.encode("utf-8")) < markdown_report.MAX_BYTES, lang
        rows = [line for line in text.splitlines() if line.startswith("| **")]
        assert len(rows) == markdown_report.MAX_ROWS
        assert_inert(render_markdown(text))
    assert "… and 4950 more" in markdown_report.render(dataclasses.replace(result, findings=findings), "en")


def test_markdown_of_the_sample_is_most_severe_first_and_short(result: AuditResult) -> None:
    text = markdown_report.render(result, "en")
    assert len(text.encode("utf-8")) < markdown_report.MAX_BYTES
    rows = [line for line in text.splitlines() if line.startswith("| **")]
    ranks = [SEVERITY_RANK[row.split("**")[1].lower()] for row in rows]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] == SEVERITY_RANK["critical"]
    unwaived = sum(1 for f in result.findings if not f.waived)
    assert f"… and {unwaived - markdown_report.MAX_ROWS} more" in text
    rendered = render_markdown(text)
    assert_inert(rendered)
    assert all(len(re.findall(r"<td", row)) == 6 for row in re.findall(r"<tbody>(.*?)</tbody>", rendered, re.S)[1].split("</tr>") if "<td" in row)


def test_markdown_without_findings_says_so(result: AuditResult) -> None:
    text = markdown_report.render(dataclasses.replace(result, findings=[]), "en")
    assert "No unwaived findings." in text and "| **" not in text


def test_markdown_names_unreadable_files(result: AuditResult) -> None:
    failed = dataclasses.replace(result, not_assessed=[NotAssessed("configs/[bad](http://evil).cfg", 2, "not a Cisco configuration")])
    text = markdown_report.render(failed, "en")
    assert "Not assessed" in text and "not a Cisco configuration" in text
    assert_inert(render_markdown(text))


def test_markdown_of_a_hostile_config_renders_no_link_image_html_or_mention(hostile: AuditResult) -> None:
    messages = " ".join(f.message["en"] for f in hostile.findings)
    assert all(name in messages for name in (LINK_NAME, SCRIPT, *UNUSED_ACL_NAMES)), "the hostile names must reach messages"
    for lang in LANGS:
        rendered = render_markdown(markdown_report.render(hostile, lang))
        assert_inert(rendered)
        prose = re.sub(r"<code>.*?</code>", "", rendered, flags=re.S)  # no mention is found inside code
        assert "@channel" not in prose  # a mention needs '@' right before the name: a ZWSP sits between
        table = re.findall(r"<tbody>(.*?)</tbody>", rendered, re.S)[-1]
        assert all(len(re.findall(r"<td", row)) == 6 for row in table.split("</tr>") if "<td" in row)


# --- through the command line, with a waiver register ------------------------------------------

WAIVERS = """\
version: 1
waivers:
  - check: remote-admin-exposed
    device: fw-edge
    reason: vendor support window <b>@channel</b>
    approved_by: CISO
    ticket: CHG-2026-0042
    expires: 2027-06-30
  - check: any-any-rule
    device: rtr-branch
    reason: expired long ago
    expires: 2025-01-01
"""


def test_cli_formats_carry_waived_and_waiver_findings(tmp_path: Path, sarif_validator: jsonschema.Draft7Validator) -> None:
    """`netaudit audit --waivers … --format sarif|junit|markdown`: one waived finding, one expired waiver."""
    from netaudit.cli import main

    (tmp_path / "waivers.yaml").write_text(WAIVERS, encoding="utf-8")
    outputs = {}
    with contextlib.chdir(ROOT):
        for fmt in FORMATS:
            out = tmp_path / f"report.{fmt}"
            code = main(["audit", "sample_configs", "--topology", "topology/network.yaml", "--waivers", str(tmp_path / "waivers.yaml"),
                         "--as-of", SAMPLE_AS_OF.isoformat(), "--lang", "en", "--format", fmt, "--output", str(out)])
            assert code == 1
            outputs[fmt] = out.read_text(encoding="utf-8")
    log = json.loads(outputs["sarif"])
    assert not list(sarif_validator.iter_errors(log))
    suppressed = [r for r in log["runs"][0]["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["remote-admin-exposed"]
    assert any(r["ruleId"] == "waiver-expired" for r in log["runs"][0]["results"])
    report = JUnitXml.fromstring(outputs["junit"].encode("utf-8") if isinstance(outputs["junit"], str) else outputs["junit"])
    [waived] = [c for s in report if s.name == "fw-edge" for c in s if c.name == "remote-admin-exposed"]
    assert "vendor support window" in (waived.system_out or "") and not any(isinstance(r, Failure) for r in outcome(waived))
    [expired] = [c for s in report if s.name == junit_report.NETWORK_SUITE for c in s if c.name == "waiver-expired"]
    assert any(isinstance(r, Failure) for r in outcome(expired))
    assert "| 1 |\n" in outputs["markdown"]  # the waived count closes the summary row
    assert_inert(render_markdown(outputs["markdown"]))


# --- secrets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_planted_secret_in_any_machine_report(hostile: AuditResult, fmt: str, lang: str) -> None:
    reported = {e for f in hostile.findings for e in f.evidence}
    assert "snmp-server community <masked> RO" in reported and "username admin password 0 <masked>" in reported
    text = FORMATS[fmt].render(hostile, lang)
    assert COMMUNITY not in text and PASSWORD not in text
    assert "<masked>" in text or "&lt;masked&gt;" in text  # the lines are there, their secrets are not
