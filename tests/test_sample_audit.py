"""The shipped sample network: every implemented check fires, every line is understood, and every
finding points at the line that proves it. The whole reports are golden files; refresh them after
a reviewed change with ``NETAUDIT_UPDATE_GOLDEN=1 pytest tests/test_sample_audit.py`` and read the diff."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from netaudit.checks.registry import REGISTRY
from netaudit.pipeline import AuditResult, run_audit
from netaudit.report import json_report, text_report
from netaudit.secrets import mask_secrets
from tests.golden_support import assert_matches_golden

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
AS_OF = date(2026, 11, 24)


@pytest.fixture(scope="module")
def result() -> AuditResult:
    cwd = os.getcwd()
    os.chdir(ROOT)  # paths in the report as the README's command gives them
    try:
        return run_audit(["sample_configs"], "topology/network.yaml", as_of=AS_OF, hits_dir="sample_hits")  # hit counts: unused-rule
    finally:
        os.chdir(cwd)


def test_every_sample_device_is_parsed_completely(result: AuditResult) -> None:
    assert not result.not_assessed
    assert len(result.devices) >= 6
    assert {d.platform for d in result.devices} == {"ios", "nxos", "asa"}
    for device in result.devices:
        assert device.unrecognized_lines == 0, (device.name, device.unrecognized[:5])


def test_every_implemented_check_fires_on_the_samples(result: AuditResult) -> None:
    fired = {f.check for f in result.findings}
    assert sorted(set(REGISTRY) - fired) == []


def test_every_finding_points_at_the_line_that_proves_it(result: AuditResult) -> None:
    for finding in result.findings:
        if finding.line is None:
            assert finding.file is not None
            continue
        lines = (ROOT / finding.file).read_text(encoding="utf-8").splitlines()
        assert mask_secrets(lines[finding.line - 1].strip()) == finding.evidence[0], (finding.check, finding.file, finding.line)


def test_spot_checks(result: AuditResult) -> None:
    def find(check: str, device: str) -> list:
        return [f for f in result.findings if f.check == check and f.device == device]

    assert [f.evidence[0] for f in find("mgmt-telnet", "acc-sw-3f")]
    assert any("10.40." in f.message["en"] for f in find("unclassified-segment", "rtr-branch"))
    assert find("unfiltered-crossing", "dc-sw01")
    assert find("any-any-rule", "rtr-branch")


@pytest.mark.parametrize(("name", "render"), [("sample_audit.en.txt", lambda r: text_report.render(r, "en")),
                                              ("sample_audit.zh-TW.txt", lambda r: text_report.render(r, "zh-TW")),
                                              ("sample_audit.json", lambda r: json_report.render(r, "en"))])
def test_reports_match_golden(result: AuditResult, name: str, render) -> None:  # type: ignore[no-untyped-def]
    assert_matches_golden(GOLDEN / name, render(result), as_json=name.endswith(".json"))
