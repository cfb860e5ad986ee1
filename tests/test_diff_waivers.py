"""`netaudit diff` for pre-change validation, waivers and baselines, on copies of the sample network."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from netaudit.cli import main

ROOT = Path(__file__).resolve().parents[1]
TOPOLOGY = str(ROOT / "topology" / "network.yaml")
AS_OF = "2026-11-24"
CORE_IN_FIRST = "access-list CORE_IN extended permit icmp object NET_OA object-group PROD_ALL_NETS echo\n"
OA_TO_PROD = "access-list CORE_IN extended permit ip 10.30.0.0 255.255.0.0 10.10.0.0 255.255.0.0\n"


def copy_samples(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(ROOT / "sample_configs", folder, ignore=shutil.ignore_patterns("README.md"))
    return folder


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code = main([*argv, "--format", "json", "--as-of", AS_OF, "--lang", "en"])
    return code, json.loads(capsys.readouterr().out)


def test_diff_opening_oa_to_production_is_exactly_the_new_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """On a one-firewall network, `permit ip any any` from OA: every new finding and opened flow is that line."""
    from tests.test_checks_flows import TOPOLOGY as FLOW_TOPOLOGY
    from tests.test_checks_flows import firewall

    base, head = tmp_path / "base", tmp_path / "head"
    base.mkdir()
    head.mkdir()
    (base / "fw.cfg").write_text(firewall(), encoding="utf-8")
    (head / "fw.cfg").write_text(firewall({"OA_IN": ["permit ip any any"]}), encoding="utf-8")
    (tmp_path / "network.yaml").write_text(FLOW_TOPOLOGY, encoding="utf-8")
    added_line = (head / "fw.cfg").read_text(encoding="utf-8").splitlines().index("access-list OA_IN extended permit ip any any") + 1
    code, doc = run_json(["diff", str(base), str(head), "--topology", str(tmp_path / "network.yaml")], capsys)
    assert code == 1
    assert doc["resolved"] == []
    assert {f["check"] for f in doc["new"]} == {
        "any-any-rule", "risky-service-rule", "env-crossing", "tier-bypass", "admin-bypasses-jump", "oa-direct-internet", "shadowed-rule"}
    for finding in doc["new"]:
        if finding["check"] == "shadowed-rule":  # the final deny of OA_IN can no longer match
            assert finding["evidence"][0] == "access-list OA_IN extended deny ip any any log" and finding["covered_by"] == [added_line]
        else:
            assert finding["line"] == added_line, finding
    opened = [f for f in doc["flows"] if f["change"] == "opened"]
    assert {f["dst_zone"] for f in opened} == {"internet", "dmz", "prod-web", "prod-ap", "prod-db", "test", "mgmt"}
    assert all(f["src_zone"] == "oa" and f["line"] == added_line and f["service"] == "ip" for f in opened)
    assert not [f for f in doc["flows"] if f["change"] == "closed"]
    assert [(d["device"], d["added"], d["removed"]) for d in doc["devices"]] == [("fw", ["access-list OA_IN extended permit ip any any"], [])]


def test_diff_on_the_sample_network_follows_the_narrowest_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A broad OA → production rule on fw-internal: core-sw's ACL still limits what OA can send, so the
    opened flows are what both allow, and flow findings point at the narrowest rule on the path."""
    base, head = copy_samples(tmp_path, "base"), copy_samples(tmp_path, "head")
    edit(head, "fw-internal.cfg", CORE_IN_FIRST, OA_TO_PROD + CORE_IN_FIRST)
    added_line = (head / "fw-internal.cfg").read_text(encoding="utf-8").splitlines().index(OA_TO_PROD.strip()) + 1
    code, doc = run_json(["diff", str(base), str(head), "--topology", TOPOLOGY], capsys)
    assert code == 1
    at_added_line = {f["check"] for f in doc["new"] if f["file"].endswith("fw-internal.cfg") and f["line"] == added_line}
    assert at_added_line == {"broad-rule", "risky-service-rule", "undocumented-rule"}
    flow_findings = [f for f in doc["new"] + doc["resolved"] if f.get("flow")]
    assert flow_findings and all(f["flow"]["src_zone"] == "oa" and f["flow"]["dst_zone"].startswith("prod-") for f in flow_findings)
    opened = [f for f in doc["flows"] if f["change"] == "opened"]
    assert opened and all(f["src_zone"] == "oa" and f["dst_zone"].startswith("prod-") for f in opened)
    assert not [f for f in doc["flows"] if f["change"] == "closed"]
    assert [(d["device"], d["lines_added"], d["lines_removed"]) for d in doc["devices"]] == [("fw-internal", 1, 0)]


def test_diff_of_reordered_remarks_is_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, head = copy_samples(tmp_path, "base"), copy_samples(tmp_path, "head")
    first = "access-list CORE_IN remark CHG-2023-0310 waf01 (DMZ, via fw-edge) to prod-web backend HTTPS\n"
    second = "access-list CORE_IN remark CHG-2023-1120 OA users and staff VPN to the intranet portal on prod-web\n"
    edit(head, "fw-internal.cfg", first, "@@FIRST@@\n")
    edit(head, "fw-internal.cfg", second, first)
    edit(head, "fw-internal.cfg", "@@FIRST@@\n", second)
    code, doc = run_json(["diff", str(base), str(head), "--topology", TOPOLOGY], capsys)
    assert code == 0
    assert doc["new"] == [] and doc["resolved"] == [] and doc["flows"] == []
    assert doc["summary"]["unchanged"] > 0


def test_diff_markdown_for_a_merge_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, head = copy_samples(tmp_path, "base"), copy_samples(tmp_path, "head")
    edit(head, "fw-internal.cfg", CORE_IN_FIRST, OA_TO_PROD + CORE_IN_FIRST)
    assert main(["diff", str(base), str(head), "--topology", TOPOLOGY, "--format", "markdown", "--lang", "en", "--as-of", AS_OF]) == 1
    out = capsys.readouterr().out
    assert out.startswith("### netaudit change validation") and "| oa | prod-ap |" in out and len(out) < 60_000


WAIVERS = """\
version: 1
waivers:
  - check: plaintext-exposure
    device: fw-edge
    rule: access-list OUTSIDE_IN extended permit tcp any object WAF01 eq www
    reason: port 80 on the WAF only redirects to HTTPS (documented exception, Art. 19(1))
    approved_by: CISO
    ticket: CHG-2025-0800
    expires: 2027-06-30
  - check: mgmt-telnet
    device: acc-sw-3f
    reason: floor switch replaced next quarter
    ticket: CHG-2025-0801
    expires: 2026-01-31
  - check: any-any-rule
    device: core-sw
    reason: left over from an old exception
    ticket: CHG-2024-0001
"""


def test_waivers_waive_expire_and_go_unused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVERS, encoding="utf-8")
    code, doc = run_json(["audit", str(ROOT / "sample_configs"), "--topology", TOPOLOGY, "--waivers", str(waivers)], capsys)
    plaintext = [f for f in doc["findings"] if f["check"] == "plaintext-exposure"]
    assert plaintext and all(f["waived"] for f in plaintext)
    assert plaintext[0]["waiver"]["ticket"] == "CHG-2025-0800" and plaintext[0]["waiver"]["approved_by"] == "CISO"
    assert doc["summary"]["waived"] == len(plaintext)
    telnet = [f for f in doc["findings"] if f["check"] == "mgmt-telnet" and f["device"] == "acc-sw-3f"]
    assert telnet and not any(f["waived"] for f in telnet)  # the waiver expired: it waives nothing
    expired = [f for f in doc["findings"] if f["check"] == "waiver-expired"]
    assert [(f["file"], f["line"], f["severity"]) for f in expired] == [(str(waivers), 10, "medium")]
    unused = [f for f in doc["findings"] if f["check"] == "waiver-unused"]
    assert [(f["line"], f["severity"], f["evidence"]) for f in unused] == [(15, "info", ["- check: any-any-rule"])]
    assert code == 1


@pytest.mark.parametrize(("text", "line", "reason"), [
    ("version: 1\nwaivers:\n  - check: x\n    reson: typo\n", 4, "reson: unknown key"),
    ("version: 1\nwaivers:\n  - check: x\n", 3, "reason: required"),
    ("version: 1\nwaivers:\n  - check: x\n    reason: y\n    expires: soon\n", 5, "expires: not a date"),
    ("version: 2\n", 1, "needs 'version: 1'"),
    ("version: 1\nwaivers:\n  - &a {check: x, reason: y}\n  - *a\n", 4, "aliases"),
])
def test_bad_waiver_file_is_exit_2_with_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int, reason: str) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(text, encoding="utf-8")
    code = main(["audit", str(ROOT / "sample_configs"), "--waivers", str(waivers)])
    err = capsys.readouterr().err
    assert code == 2 and f"{waivers}:{line}:" in err and reason in err, err


def test_baseline_shows_only_new_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = tmp_path / "baseline.json"
    configs = copy_samples(tmp_path, "configs")
    code, doc = run_json(["audit", str(configs), "--topology", TOPOLOGY, "--write-baseline", str(baseline)], capsys)
    assert code == 1 and len(doc["findings"]) > 50 and baseline.exists()
    code, doc = run_json(["audit", str(configs), "--topology", TOPOLOGY, "--baseline", str(baseline)], capsys)
    assert code == 0 and doc["findings"] == []
    edit(configs, "core-sw.cfg", " transport input ssh\n", " transport input telnet ssh\n")
    code, doc = run_json(["audit", str(configs), "--topology", TOPOLOGY, "--baseline", str(baseline)], capsys)
    assert code == 1 and {f["check"] for f in doc["findings"]} == {"mgmt-telnet"}
