"""Loading configs fast changes nothing: parser processes, the parsed-model cache, pickling, and
ciscoconfparse2 without its logging wrappers all give the devices and failures a plain parse gives."""

from __future__ import annotations

import pickle
import shutil
import sys
import types
from pathlib import Path

import pytest
from loguru import logger

import netaudit.pipeline as pipeline
from netaudit.cli import main
from netaudit.model_cache import ModelCache
from netaudit.parsers import ccp_unwrap
from netaudit.pipeline import load_devices, run_audit
from netaudit.report import json_report
from netaudit.topology import Topology

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_configs"


@pytest.fixture()
def mixed(tmp_path: Path) -> Path:
    """The sample configs with bad files among them: empty, binary, unsupported, a duplicate hostname."""
    folder = tmp_path / "configs"
    shutil.copytree(SAMPLES, folder)
    (folder / "README.md").unlink()
    (folder / "aa-empty.cfg").write_text("\n\n", encoding="utf-8")
    (folder / "bb-binary.cfg").write_bytes(b"hostname x\n\x00\x01")
    (folder / "cc-junos.cfg").write_text("## Last commit: 2026\nversion 21.4R3;\nsystem {\n    host-name j1;\n}\n", encoding="utf-8")
    shutil.copy(folder / "core-sw.cfg", folder / "core-sw-copy.cfg")
    return folder


def _loaded(folder: Path, **options: object) -> tuple[list[bytes], list[object], list[str]]:
    devices, failures = load_devices([str(folder)], Topology(), **options)  # type: ignore[arg-type]
    return [pickle.dumps(d) for d in devices], failures, [d.name for d in devices]


def test_parser_processes_give_the_same_devices_and_failures_in_the_same_order(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _loaded(mixed, jobs=1)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)  # the sample is small: use the pool anyway
    parallel = _loaded(mixed, jobs=2)
    assert parallel == serial
    assert [f.file.rsplit("/", 1)[-1] for f in serial[1]] == ["aa-empty.cfg", "bb-binary.cfg", "cc-junos.cfg"]
    assert "core-sw@core-sw-copy" in serial[2]  # names made unique after loading, whichever way


def test_a_second_load_reads_the_cache_and_gives_the_same_devices(mixed: Path, tmp_path: Path) -> None:
    plain = _loaded(mixed)
    cache = ModelCache(tmp_path / "cache")
    first = _loaded(mixed, cache=cache)
    assert (cache.hits, cache.misses) == (0, 11)
    second = _loaded(mixed, cache=cache)
    assert (cache.hits, cache.misses) == (8, 14)  # the three bad files are never cached
    assert first == plain and second == plain


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    folder = tmp_path / "configs"
    shutil.copytree(SAMPLES, folder)
    cache = ModelCache(tmp_path / "cache")
    load_devices([str(folder)], Topology(), cache=cache)
    path = folder / "acc-sw-3f.cfg"
    path.write_text(path.read_text(encoding="utf-8").replace("hostname acc-sw-3f", "hostname acc-sw-3f-new"), encoding="utf-8")
    devices, _ = load_devices([str(folder)], Topology(), cache=cache)
    assert cache.misses == 8 and "acc-sw-3f-new" in {d.name for d in devices}


def test_the_path_and_the_platform_override_are_part_of_the_key(tmp_path: Path) -> None:
    cache = ModelCache(tmp_path / "cache")
    digest = "0" * 64
    assert len({cache.key("a/r1.cfg", None, digest), cache.key("b/r1.cfg", None, digest), cache.key("a/r1.cfg", "ios", digest)}) == 3


def test_a_corrupt_entry_is_ignored_and_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "configs"
    folder.mkdir()
    shutil.copy(SAMPLES / "core-sw.cfg", folder)
    cache = ModelCache(tmp_path / "cache")
    expected = _loaded(folder, cache=cache)
    entries = list((tmp_path / "cache").rglob("*.pickle"))
    assert len(entries) == 1
    entries[0].write_bytes(b"\x80\x05not a pickle")
    assert _loaded(folder, cache=cache) == expected
    entries[0].write_bytes(pickle.dumps({"not": "a device"}))
    assert _loaded(folder, cache=cache) == expected
    assert isinstance(pickle.loads(entries[0].read_bytes()), pipeline.Device)  # written again


def test_the_cli_uses_the_cache_unless_told_not_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NETAUDIT_CACHE_DIR", str(tmp_path / "cache"))
    argv = ["audit", str(SAMPLES), "--format", "json", "--as-of", "2026-11-24"]
    main([*argv, "--no-cache"])
    without = capsys.readouterr().out
    assert not (tmp_path / "cache").exists()
    main(argv)
    first = capsys.readouterr().out
    main(argv)
    second = capsys.readouterr().out
    assert len(list((tmp_path / "cache").rglob("*.pickle"))) == 7
    assert without == first == second


def test_reports_are_the_same_with_parser_processes_and_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    plain = json_report.render(run_audit(["sample_configs"], "topology/network.yaml", as_of=pipeline.date(2026, 11, 24)), "en")
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    cache = ModelCache(tmp_path / "cache")
    for _ in range(2):  # parsed in processes, then read from the cache
        result = run_audit(["sample_configs"], "topology/network.yaml", as_of=pipeline.date(2026, 11, 24), cache=cache, jobs=2)
        assert json_report.render(result, "en") == plain


def test_model_objects_pickle_to_equal_objects() -> None:
    devices, _ = load_devices([str(SAMPLES)], Topology())
    for device in devices:
        assert pickle.loads(pickle.dumps(device)) == device


# --------------------------------------------------------------------------- ciscoconfparse2 wrappers


def _fake_library() -> types.ModuleType:
    """A module decorated like ciscoconfparse2, with one wrapper that must stay (it does not re-raise)."""
    module = types.ModuleType("fakeccp")
    module.__dict__["__name__"] = "fakeccp"

    @logger.catch(reraise=True)
    def parse(text: str) -> int:
        if not text:
            raise ValueError("empty")
        return len(text)

    @logger.catch(reraise=False)
    def swallowing() -> int:
        raise ValueError("swallowed")

    class Line:
        __module__ = "fakeccp"

        @logger.catch(reraise=True)
        def __init__(self, text: str) -> None:
            self.raw = text

        @property
        @logger.catch(reraise=True)
        def text(self) -> str:
            return self.raw.strip()

        @classmethod
        @logger.catch(reraise=True)
        def of(cls, text: str) -> Line:
            return cls(text)

    module.parse, module.swallowing, module.Line = parse, swallowing, Line  # type: ignore[attr-defined]
    return module


def test_only_re_raising_logging_wrappers_are_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    module = _fake_library()
    monkeypatch.setitem(sys.modules, "fakeccp", module)
    logger.disable("tests")
    assert ccp_unwrap.unwrap("fakeccp") == 4  # parse, __init__, the property, the class method
    assert module.parse.__code__.co_name == "parse"
    assert module.swallowing.__code__.co_name == "catch_wrapper" and module.swallowing() is None
    assert module.Line.of("  x ").text == "x"
    with pytest.raises(ValueError, match="empty"):
        module.parse("")  # the same exception, now straight from the function


def test_ciscoconfparse2_runs_unwrapped_under_netaudit() -> None:
    from ciscoconfparse2 import CiscoConfParse

    assert CiscoConfParse.__init__.__code__.co_name == "__init__"
