"""One bad file among many costs only itself (issue #8, item 6).

Through the real command line: the good devices are audited, every bad file is named in each
report as not assessed and on stderr as a warning, and the exit code is the normal one; exit 2
(with one line, no traceback) only when nothing at all could be assessed.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from netaudit.cli import main
from tests.robustness.support import ROOT, SAMPLES

BAD = {
    "aa-empty.cfg": b"\n\n",
    "bb-binary.cfg": bytes(range(256)) * 8,
    "cc-junos.conf": b"## Last commit: 2026\nversion 21.4R3;\nsystem {\n    host-name j1;\n}\n",
    "dd-noise.txt": b"lorem ipsum dolor sit amet\n" * 10,
    "ee-huge.cfg": b"hostname huge\n" + b"! padding\n" * 120_000,
}
AS_OF = "2026-11-24"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    configs = tmp_path / "configs"
    shutil.copytree(SAMPLES, configs)
    (configs / "README.md").unlink()
    for name, data in BAD.items():
        (configs / name).write_bytes(data)
    (configs / "ff-dangling.cfg").symlink_to(configs / "gone.cfg")
    if hasattr(os, "mkfifo"):
        os.mkfifo(configs / "gg-pipe.cfg")  # skipped in a folder: never blocks
    return configs


FORMATS = {"json": lambda text: json.loads(text)["not_assessed"], "text": None, "html": None, "sarif": None, "junit": None, "markdown": None}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_bad_files_are_listed_and_the_others_audited(folder: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"report.{fmt}"
    code = main(["audit", str(folder), "--topology", str(ROOT / "topology" / "network.yaml"), "--as-of", AS_OF, "--lang", "en",
                 "--format", fmt, "--output", str(out), "--json", str(tmp_path / "all.json"), "--max-file-mb", "1", "--no-cache"])
    err = capsys.readouterr().err
    assert code == 1  # the sample network has high findings: the normal code, not 2
    document = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert len(document["devices"]) == 7
    failed = {Path(item["file"]).name: item["reason"] for item in document["not_assessed"]}
    assert sorted(failed) == ["aa-empty.cfg", "bb-binary.cfg", "cc-junos.conf", "dd-noise.txt", "ee-huge.cfg", "ff-dangling.cfg"]
    assert "over the limit" in failed["ee-huge.cfg"] and "Junos" in failed["cc-junos.conf"]
    report = out.read_text(encoding="utf-8")
    for name in failed:
        assert name in report, (fmt, name)
        assert f"not assessed: {folder / name}" in err
    assert "Traceback" not in err


def test_diff_names_the_files_it_could_not_assess(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("text", "markdown", "json"):
        out = tmp_path / f"diff.{fmt}"
        main(["diff", str(SAMPLES), str(folder), "--as-of", AS_OF, "--lang", "en", "--format", fmt, "--output", str(out),
              "--max-file-mb", "1", "--no-cache"])
        assert "bb-binary.cfg" in out.read_text(encoding="utf-8"), fmt
    assert "not assessed" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["audit", "topology", "query"])
def test_nothing_assessable_is_exit_2_with_one_line(tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    configs = tmp_path / "configs"
    configs.mkdir()
    for name in ("aa-empty.cfg", "bb-binary.cfg", "cc-junos.conf"):
        (configs / name).write_bytes(BAD[name])
    extra = {"audit": [], "topology": ["--format", "dot"], "query": ["--src", "10.0.0.1", "--dst", "10.0.0.2"]}[command]
    code = main([command, str(configs), *extra, "--no-cache"])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "aa-empty.cfg" in err and "Traceback" not in err


def test_an_empty_folder_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(tmp_path), "--no-cache"]) == 2
    assert "no configuration files found" in capsys.readouterr().err


def test_stderr_warnings_cannot_drive_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file name with an escape sequence, beside a good config, is named on stderr without the ESC."""
    good = (ROOT / "sample_configs" / "rtr-branch.cfg").read_text(encoding="utf-8")
    (tmp_path / "good.cfg").write_text(good, encoding="utf-8")
    (tmp_path / "evil\x1b[2Jname.cfg").write_bytes(b"\x00\x01\x02 not a config \x00" * 40)
    code = main(["audit", str(tmp_path), "--format", "json"])
    err = capsys.readouterr().err
    assert code in (0, 1) and "not assessed" in err
    assert "\x1b" not in err and "evil" in err
