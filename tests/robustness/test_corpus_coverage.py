"""The public corpus (../shared/corpus): every file parses or is refused cleanly, and the parse
coverage of the supported ones never regresses (issue #8, item 1).

``corpus_coverage.json`` records, per file, the lines recognized and unrecognized when it was last
reviewed; a file may only get better. After a parser improvement refresh it with
``NETAUDIT_UPDATE_COVERAGE=1 pytest tests/robustness/test_corpus_coverage.py`` and read the diff.
Skipped when ../shared is not beside the clone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from netaudit.parsers import ParseError, parse_source
from netaudit.sources import read_source
from tests.robustness.support import CORPUS, CORPUS_PLATFORMS, assert_sound

BASELINE = Path(__file__).with_name("corpus_coverage.json")
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "SOURCE.md") if CORPUS.exists() else []
pytestmark = pytest.mark.skipif(not FILES, reason="../shared/corpus is not beside this clone")


def coverage(path: Path) -> dict[str, object]:
    source = read_source(str(path))
    try:
        device = parse_source(source)
    except ParseError as refused:
        return {"platform": None, "refused": refused.reason}
    assert_sound(device, source.lines)
    counted = sum(1 for line in source.lines if line.strip() and not line.strip().startswith("!"))
    return {"platform": device.platform, "lines": device.lines, "recognized": counted - device.unrecognized_lines,
            "unrecognized": device.unrecognized_lines}


@pytest.fixture(scope="module")
def measured() -> dict[str, dict[str, object]]:
    return {str(path.relative_to(CORPUS)): coverage(path) for path in FILES}


def test_coverage_never_regresses(measured: dict[str, dict[str, object]]) -> None:
    if os.environ.get("NETAUDIT_UPDATE_COVERAGE"):
        BASELINE.write_text(json.dumps(measured, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    for name, now in measured.items():
        print(f"{name}: " + (f"{now['platform']} {now['lines']} lines, {now['recognized']} recognized, {now['unrecognized']} unrecognized"
                             if now["platform"] else f"refused: {now['refused']}"))
        before = baseline.get(name)
        assert before is not None, f"{name} is new in the corpus: refresh {BASELINE.name} (NETAUDIT_UPDATE_COVERAGE=1)"
        assert now["platform"] == before["platform"], name
        if now["platform"]:
            assert now["unrecognized"] <= before["unrecognized"], f"{name}: coverage regressed {before} -> {now}"
            assert now["recognized"] >= before["recognized"], f"{name}: coverage regressed {before} -> {now}"


def test_supported_platforms_in_the_corpus_are_parsed_as_themselves(measured: dict[str, dict[str, object]]) -> None:
    for name, now in measured.items():
        assert now["platform"] == CORPUS_PLATFORMS.get(Path(name).suffix), (name, now)
