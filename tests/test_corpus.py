"""Real public configurations (../shared/corpus) parse without error; their coverage is printed.

Skipped when ../shared is not beside the clone (a user's clone does not have it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netaudit.parsers import ParseError, parse_source
from netaudit.sources import read_source

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "SOURCE.md") if CORPUS.exists() else []
# Platforms netaudit parses; the rest must be refused as unsupported, cleanly.
EXPECTED = {".ios": "ios", ".nxos": "nxos", ".asa": "asa"}


@pytest.mark.skipif(not FILES, reason="../shared/corpus is not beside this clone")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_parses_or_is_refused_cleanly(path: Path) -> None:
    source = read_source(str(path))
    expected = EXPECTED.get(path.suffix)
    if expected is None:
        with pytest.raises(ParseError) as refused:
            parse_source(source)
        print(f"{path.name}: not parsed: {refused.value.reason}")
        return
    device = parse_source(source)
    assert device.platform == expected
    recognized = sum(1 for line in source.lines if line.strip() and not line.strip().startswith("!")) - device.unrecognized_lines
    print(f"{path.name}: {device.platform} {device.lines} lines, {recognized} recognized, {device.unrecognized_lines} unrecognized")
    assert device.lines == len(source.lines)
