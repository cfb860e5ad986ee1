"""Golden files: compare a rendering with the reviewed file, or refresh it.

``NETAUDIT_UPDATE_GOLDEN=1 pytest tests/...`` rewrites the files; read their diff before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def assert_matches_golden(path: Path, actual: str, *, as_json: bool = False) -> None:
    """``actual`` equals the golden file (as JSON values with ``as_json``: key order and spacing aside)."""
    if os.environ.get("NETAUDIT_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"golden file {path} missing: run the test with NETAUDIT_UPDATE_GOLDEN=1 and review it"
    expected = path.read_text(encoding="utf-8")
    if as_json:
        assert json.loads(actual) == json.loads(expected), f"{path.name} differs: review, then NETAUDIT_UPDATE_GOLDEN=1"
    else:
        assert actual == expected, f"{path.name} differs: review, then NETAUDIT_UPDATE_GOLDEN=1"
