"""Topology, policy pack and waiver files: safe loading, bombs refused, errors with file:line
(issue #8, item 5). The three loaders share the rules, so every case runs against each.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from netaudit.errors import NetauditInputError
from netaudit.policy import effective_params, load_policy
from netaudit.topology import load_topology
from netaudit.waivers import load_waivers
from tests.robustness.support import ROOT

POLICY = (ROOT / "policies" / "insurance-tw.yaml").read_text(encoding="utf-8")
TOPOLOGY = (ROOT / "topology" / "network.yaml").read_text(encoding="utf-8")
WAIVERS = "version: 1\nwaivers:\n  - check: mgmt-telnet\n    reason: lab\n    expires: 2027-01-01\n"
LOADERS: dict[str, tuple[Callable[[str], object], str]] = {
    "topology": (load_topology, TOPOLOGY), "policy": (load_policy, POLICY), "waivers": (load_waivers, WAIVERS)}
BILLION_LAUGHS = "version: 1\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" + "".join(
    f"{chr(99 + i)}: &{chr(99 + i)} [" + ", ".join([f"*{chr(98 + i)}"] * 9) + "]\n" for i in range(7))


def refused(kind: str, tmp_path: Path, text: str | bytes) -> NetauditInputError:
    path = tmp_path / f"{kind}.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(NetauditInputError) as error:
        LOADERS[kind][0](str(path))
    assert error.value.file == str(path)
    return error.value


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_the_shipped_examples_load(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(LOADERS[kind][1], encoding="utf-8")
    LOADERS[kind][0](str(path))


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_python_tags_never_run(kind: str, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"version: 1\nname: !!python/object/apply:os.system ['touch {marker}']\n"
    error = refused(kind, tmp_path, text)
    assert not marker.exists() and error.line == 2


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_alias_bombs_are_refused_at_once(kind: str, tmp_path: Path) -> None:
    start = time.perf_counter()
    error = refused(kind, tmp_path, BILLION_LAUGHS)
    assert time.perf_counter() - start < 2 and error.line is not None


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_size_bombs_are_refused_before_parsing(kind: str, tmp_path: Path) -> None:
    error = refused(kind, tmp_path, "version: 1\n" + "# padding\n" * 600_000)  # 6 MB
    assert "MB" in error.reason or "bytes" in error.reason


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_deep_nesting_is_refused_not_a_crash(kind: str, tmp_path: Path) -> None:
    refused(kind, tmp_path, "version: 1\nname: " + "[" * 5000 + "]" * 5000 + "\n")


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_not_utf8_and_not_yaml_name_the_line(kind: str, tmp_path: Path) -> None:
    assert refused(kind, tmp_path, b"version: 1\nname: \xff\xfe\n").line in (1, 2)
    assert refused(kind, tmp_path, "version: 1\nname: [unclosed\n").line is not None


@pytest.mark.parametrize(("kind", "text", "line", "words"), [
    ("topology", TOPOLOGY.replace("zones:", "zonez:", 1), None, "unknown key"),
    ("policy", POLICY.replace("parameters:", "paramters:", 1), None, "unknown key"),
    ("policy", POLICY.replace("  max_prefix: 16", "  max_prefix: [16]", 1), None, "expected a whole number"),
    ("policy", POLICY.replace("    enabled: true", "    enabled: yes please", 1), None, "expected true or false"),
    ("policy", POLICY.replace("    severity: high", "    severity: hgih", 1), None, "is not one of"),
    ("policy", POLICY.replace("\nchecks:\n", "\nchecks:\n  no-such-check: {severity: high}\n", 1), None, "unknown check id"),
    ("policy", POLICY.replace("\nname: insurance-tw\n", "\nname: insurance-tw\nname: again\n", 1), None, "duplicate key"),
    ("waivers", WAIVERS.replace("reason: lab", "reason: lab\n    colour: red"), 5, "unknown key"),
    ("waivers", WAIVERS.replace("2027-01-01", "next year"), 5, "not a date"),
    ("waivers", "version: 1\n? [a, b]\n: x\n", 2, "single value"),
])
def test_unknown_keys_and_type_errors_name_file_and_line(tmp_path: Path, kind: str, text: str, line: int | None, words: str) -> None:
    assert text != LOADERS[kind][1] or kind == "waivers"
    error = refused(kind, tmp_path, text)
    assert words in error.reason
    expected = line or next(i for i, (a, b) in enumerate(zip(text.split("\n"), LOADERS[kind][1].split("\n"), strict=False), 1) if a != b)
    assert error.line == expected, (error.line, expected, error.reason)


def test_topology_policy_overrides_are_typed_with_their_line(tmp_path: Path) -> None:
    text = TOPOLOGY.replace("policy:\n", "policy:\n  max_prefix: sixteen\n  max_prefx: 8\n", 1)
    assert text != TOPOLOGY
    path = tmp_path / "network.yaml"
    path.write_text(text, encoding="utf-8")
    topology = load_topology(str(path))
    line = text.split("\n").index("  max_prefix: sixteen") + 1
    with pytest.raises(NetauditInputError) as error:
        effective_params(load_policy(), topology.policy, topology.file, topology.policy_lines)
    assert (error.value.file, error.value.line) == (str(path), line) and "expected a whole number" in error.value.reason
    path.write_text(text.replace("  max_prefix: sixteen\n", ""), encoding="utf-8")
    topology = load_topology(str(path))
    with pytest.raises(NetauditInputError) as error:
        effective_params(load_policy(), topology.policy, topology.file, topology.policy_lines)
    assert error.value.line == line and "did you mean max_prefix" in error.value.reason
