"""What the robustness tests share: the seed configs, the example budget, and a model walker.

``NETAUDIT_FUZZ_EXAMPLES`` sets how many examples each property test draws (default 30, enough
for CI in well under two minutes); ``scripts/fuzz.sh`` runs the same tests with thousands.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, settings

from netaudit.model import Device, SourceRef

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_configs"
FIXTURES = ROOT / "tests" / "fixtures" / "parsers"
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_PLATFORMS = {".ios": "ios", ".nxos": "nxos", ".asa": "asa"}
EXAMPLES = int(os.environ.get("NETAUDIT_FUZZ_EXAMPLES", "30"))

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def sample_pair(work: Path) -> tuple[Path, Path]:
    """Two copies of the sample configs (README left out): BASE as shipped, HEAD for a test to spoil,
    so that every output, the diff reports included, carries what the test plants."""
    base, head = work / "base", work / "head"
    shutil.copytree(SAMPLES, base)
    (base / "README.md").unlink()
    shutil.copytree(base, head)
    return base, head


def seed_configs() -> dict[str, list[Path]]:
    """Real configurations per platform: the samples, the parser fixtures and the public corpus."""
    from netaudit.parsers import parse_source
    from netaudit.sources import read_source

    seeds: dict[str, list[Path]] = {"ios": [], "nxos": [], "asa": []}
    for platform in seeds:
        seeds[platform] += sorted((FIXTURES / platform).glob("*/config"))
    for path in sorted(SAMPLES.glob("*.cfg")):
        seeds[parse_source(read_source(str(path))).platform].append(path)
    if CORPUS.exists():
        for path in sorted(CORPUS.rglob("*")):
            if path.suffix in CORPUS_PLATFORMS:
                seeds[CORPUS_PLATFORMS[path.suffix]].append(path)
    return seeds


def source_refs(value: object, seen: set[int] | None = None) -> Iterator[SourceRef]:
    """Every evidence reference anywhere in a model object."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, SourceRef):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from source_refs(getattr(value, field.name), seen)
    elif isinstance(value, dict):
        for item in value.values():
            yield from source_refs(item, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from source_refs(item, seen)


def assert_sound(device: Device, lines: list[str]) -> None:
    """A parse of ``lines``: every line counted, every evidence reference inside the file."""
    assert device.lines == len(lines)
    assert 0 <= device.unrecognized_lines <= len(lines)
    for ref in source_refs(device):
        assert 1 <= ref.line <= len(lines), ref
