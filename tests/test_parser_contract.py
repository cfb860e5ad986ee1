"""One contract test over every parser fixture (NAPALM's shared getter tests, applied to parsers).

Each case is a folder ``tests/fixtures/parsers/<platform>/<case>/`` with ``config`` (the device text)
and ``expected.json`` (the model, as ``netaudit.model_json`` writes it). A new vendor adds fixtures
and inherits the whole suite. Refresh the golden files after a reviewed change with:

    NETAUDIT_UPDATE_GOLDEN=1 pytest tests/test_parser_contract.py
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netaudit.model_json import device_to_data
from netaudit.parsers import parse_source
from netaudit.sources import read_source
from tests.golden_support import assert_matches_golden

FIXTURES = Path(__file__).parent / "fixtures" / "parsers"
CASES = sorted(p for p in FIXTURES.glob("*/*") if (p / "config").is_file())


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_parser_matches_golden_model(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case)
    device = parse_source(read_source("config"))
    assert device.platform == case.parent.name
    actual = device_to_data(device)
    assert_matches_golden(case / "expected.json", json.dumps(actual, indent=1, ensure_ascii=False, sort_keys=True) + "\n", as_json=True)
