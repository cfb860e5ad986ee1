"""The command line as a user meets it: exit codes, one-line errors, reports, garbage input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from netaudit.cli import main
from tests.checks_support import COMPLIANT_IOS, COMPLIANT_TOPOLOGY, mutate

TRUNCATED_ASA = """\
: Saved
ASA Version 9.16(4)
!
hostname fw-cut
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.248
object-group network WEB
 network-object host 10.10.10.5
 network-obj"""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def configs(tmp_path: Path) -> Path:
    folder = tmp_path / "configs"
    folder.mkdir()
    (folder / "r1.cfg").write_text(COMPLIANT_IOS, encoding="utf-8")
    (tmp_path / "network.yaml").write_text(COMPLIANT_TOPOLOGY, encoding="utf-8")
    return folder


def test_compliant_audit_exits_0(configs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["audit", str(configs), "--topology", str(configs.parent / "network.yaml"), "--lang", "en"], capsys)
    assert code == 0, out
    assert "Summary: CRITICAL 0, HIGH 0" in out


def test_high_finding_exits_1_and_fail_on_raises_the_bar(configs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (configs / "r1.cfg").write_text(mutate(COMPLIANT_IOS, replace={" transport input ssh": " transport input telnet"}), encoding="utf-8")
    assert run(["audit", str(configs)], capsys)[0] == 1
    assert run(["audit", str(configs), "--fail-on", "critical"], capsys)[0] == 0


def test_json_document_schema(configs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (configs / "r1.cfg").write_text(mutate(COMPLIANT_IOS, replace={"no ip http server": "ip http server"}), encoding="utf-8")
    code, out, _ = run(["audit", str(configs), "--format", "json", "--as-of", "2026-11-24", "--lang", "en"], capsys)
    doc = json.loads(out)
    assert doc["schema"] == "netaudit/findings/v1" and doc["as_of"] == "2026-11-24"
    assert doc["devices"] == [{"name": "r1", "platform": "ios", "file": str(configs / "r1.cfg"), "lines": len(COMPLIANT_IOS.splitlines()),
                               "unrecognized_lines": 0, "warnings": [], "unrecognized": []}]
    finding = next(f for f in doc["findings"] if f["check"] == "mgmt-http")
    assert finding["articles"] == ["19.7"] and finding["severity"] == "medium" and finding["evidence"] == ["ip http server"]
    assert COMPLIANT_IOS.splitlines().index("no ip http server") + 1 == finding["line"]
    assert set(finding) >= {"id", "check", "articles", "severity", "title", "message", "device", "file", "line", "evidence", "remediation", "waived"}
    assert doc["summary"]["medium"] >= 1


def test_finding_ids_are_stable_when_lines_move(configs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (configs / "r1.cfg").write_text(mutate(COMPLIANT_IOS, replace={"no ip http server": "ip http server"}), encoding="utf-8")
    first = json.loads(run(["audit", str(configs), "--format", "json"], capsys)[1])["findings"]
    (configs / "r1.cfg").write_text("!\n!\n" + mutate(COMPLIANT_IOS, replace={"no ip http server": "ip http server"}), encoding="utf-8")
    second = json.loads(run(["audit", str(configs), "--format", "json"], capsys)[1])["findings"]
    assert [f["id"] for f in first] == [f["id"] for f in second]
    assert [f["line"] + 2 for f in first if f["line"]] == [f["line"] for f in second if f["line"]]


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("binary.cfg", b"\x7fELF\x02\x01\x01\x00\x00\x00garbage", "binary file"),
    ("empty.cfg", b"", "empty file"),
    ("junos.cfg", b"## Last commit: 2025-01-01\nversion 20.4R3;\nsystem {\n    host-name x;\n}\n", "Juniper Junos configuration: platform not supported yet"),
    ("prose.txt", b"Dear team,\nplease find the minutes attached.\n", "not a configuration of any known platform"),
])
def test_garbage_alone_is_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(["audit", str(path)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and str(path) in err and reason in err
    assert "Traceback" not in err


def test_garbage_beside_good_configs_is_listed_not_fatal(configs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (configs / "binary.cfg").write_bytes(b"\x00\x01\x02")
    code, out, err = run(["audit", str(configs), "--format", "json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert [d["name"] for d in doc["devices"]] == ["r1"]
    assert doc["not_assessed"][0]["file"].endswith("binary.cfg")
    assert "not assessed" in err


def test_truncated_asa_is_parsed_with_warnings_not_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "fw-cut.cfg"
    path.write_text(TRUNCATED_ASA, encoding="utf-8")
    code, out, err = run(["audit", str(path), "--format", "json"], capsys)
    assert code in (0, 1)
    doc = json.loads(out)
    assert doc["devices"][0]["platform"] == "asa" and doc["devices"][0]["unrecognized_lines"] >= 1


@pytest.mark.parametrize("argv", [["audit"], ["audit", "/nonexistent/folder"], ["audit", ".", "--as-of", "yesterday"], ["bogus"]])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as exit_info:  # argparse's own usage errors
        code = exit_info.code
    assert code == 2
    assert capsys.readouterr().err.startswith(("netaudit: error:", "usage:"))


def test_bad_topology_names_file_and_line(configs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topology = configs.parent / "bad.yaml"
    topology.write_text(COMPLIANT_TOPOLOGY.replace("tier: db", "tyer: db"), encoding="utf-8")
    code, _, err = run(["audit", str(configs), "--topology", str(topology)], capsys)
    line = COMPLIANT_TOPOLOGY.replace("tier: db", "tyer: db").splitlines().index("  prod-db:  {env: prod, tyer: db, cidrs: [10.10.30.0/24]}") + 1
    assert code == 2 and f"{topology}:{line}:" in err and "tyer" in err


def test_checks_lists_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["checks", "--format", "json", "--lang", "en"], capsys)
    entries = {e["id"]: e for e in json.loads(out)["checks"]}
    assert code == 0
    assert entries["mgmt-telnet"]["articles"] == ["19.7"] and entries["mgmt-telnet"]["severity"] == "high"


def test_console_script_runs_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "netaudit.cli", "audit", str(tmp_path / "missing")], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and result.stderr.startswith("netaudit: error:") and "Traceback" not in result.stderr


def test_topology_command_writes_a_diagram(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parents[1]
    code = main(["topology", str(root / "sample_configs"), "--topology", str(root / "topology" / "network.yaml"),
                 "--format", "mermaid", "--findings", "--as-of", "2026-11-24", "--output", str(tmp_path / "net.mmd")])
    assert code == 0
    text = (tmp_path / "net.mmd").read_text(encoding="utf-8")
    assert "flowchart TB" in text and "fw-internal" in text
    assert main(["topology", str(root / "sample_configs"), "--format", "png"]) == 2
    assert "needs --output" in capsys.readouterr().err
