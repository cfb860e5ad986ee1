"""The policy pack: severities, parameters and zh-TW/en text per check, plus topology overrides.

The pack is data the user copies and edits (``--policy FILE``); single parameters can also be
overridden in the topology file's ``policy:`` block. The code's registry says which checks exist
and which articles they answer to; the pack must name exactly those checks.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from netaudit.checks.registry import NOT_YET_ASSESSED, REGISTRY, SPECIAL_IDS, Params
from netaudit.errors import NetauditInputError
from netaudit.findings import SEVERITIES
from netaudit.services import parse_service_spec
from netaudit.topology import _line, _Reader
from netaudit.yaml_input import compose, read_text

LANGUAGES = ("en", "zh-TW")
_PACK_NAME = "insurance-tw.yaml"


def default_policy_path() -> str:
    """The shipped pack: next to the package in a checkout, or installed under share/netaudit."""
    candidates = [
        Path(__file__).resolve().parent.parent / "policies" / _PACK_NAME,
        Path(sys.prefix) / "share" / "netaudit" / "policies" / _PACK_NAME,
    ]
    for candidate in candidates:
        if candidate.is_file():
            return _display(candidate)
    return _display(candidates[0])


def _display(path: Path) -> str:
    """Relative to the working directory when below it, so reports do not depend on the checkout's place."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass(frozen=True, slots=True)
class CheckPolicy:
    severity: str
    enabled: bool
    title: dict[str, str]
    remediation: dict[str, str]


@dataclass(slots=True)
class PolicyPack:
    file: str
    name: str
    title: dict[str, str]
    parameters: dict[str, Any]
    articles: dict[str, dict[str, Any]]
    checks: dict[str, CheckPolicy]
    parameter_lines: dict[str, int] = field(default_factory=dict)  # where each parameter is written, for errors

    def article_name(self, article: str, lang: str) -> str:
        entry = self.articles.get(article, {})
        return str(entry.get(lang) or entry.get("en") or article)


MAX_FILE_BYTES = 5 * 1024 * 1024  # the shipped pack is some 40 kB; this bounds memory and parse time
_TOP_KEYS = ("version", "name", "title", "parameters", "articles", "checks")
_CHECK_KEYS = ("severity", "enabled", "title", "remediation")


class _PolicyReader(_Reader):
    """The topology file's node reader (lines, duplicate keys, no aliases), speaking of the pack."""

    def error(self, line: int | None, path: str, message: str) -> NetauditInputError:  # type: ignore[override]
        return NetauditInputError(self.file, line, f"{path}: {message}" if path else message)


def load_policy(path: str | None = None) -> PolicyPack:
    """Read and check the pack; every problem is bad input naming the file and line (exit 2).

    Like the topology file it is composed, not loaded: aliases (expansion bombs) and tags that
    build objects are refused, and each value keeps its line for the error messages.
    """
    path = path or default_policy_path()
    root = _compose_policy(path)
    reader = _PolicyReader(path)
    try:
        top = reader.mapping(root, "")
        for key, (key_node, _) in top.items():
            if key not in _TOP_KEYS:
                raise reader.error(_line(key_node), key, f"unknown key (expected one of {', '.join(_TOP_KEYS)})")
        version = reader.plain(top["version"][1], "version") if "version" in top else None
        if version != 1 or isinstance(version, bool):
            raise NetauditInputError(path, _line(top["version"][1]) if "version" in top else _line(root),
                                     "not a netaudit policy pack (needs 'version: 1')")
        name = _text_value(reader, top, "name")
        title = _texts(reader, top, "title")
        parameters = _mapping_value(reader, top, "parameters")
        parameter_lines = {key: _line(key_node) for key, (key_node, _) in reader.mapping(top["parameters"][1], "parameters").items()} if parameters else {}
        articles = _mapping_value(reader, top, "articles")
        for article, entry in articles.items():
            if not isinstance(entry, dict):
                raise reader.error(_line(reader.mapping(top["articles"][1], "articles")[article][1]), f"articles.{article}", "expected a mapping")
        checks = _checks(reader, top)
    except RecursionError:
        raise NetauditInputError(path, None, "the YAML is nested too deeply") from None
    pack = PolicyPack(path, name, title, parameters, articles, checks, parameter_lines)
    if path != default_policy_path():  # a copied and edited pack: its values must keep the shipped pack's types
        shipped = load_policy(default_policy_path()).parameters
        for key, value in parameters.items():
            if key in shipped:
                _check_kind(path, parameter_lines.get(key), f"parameters.{key}", value, shipped[key])
    return pack


def _compose_policy(path: str) -> Node:
    root = compose(path, read_text(path, "policy pack", MAX_FILE_BYTES))
    if not isinstance(root, MappingNode):
        raise NetauditInputError(path, _line(root) if root is not None else 1, "not a netaudit policy pack (needs 'version: 1')")
    return root


def _text_value(reader: _PolicyReader, top: dict[str, tuple[Node, Node]], key: str) -> str:
    if key not in top:
        return ""
    value = reader.plain(top[key][1], key)
    if not isinstance(value, str):
        raise reader.error(_line(top[key][1]), key, f"expected a string, got {reader.describe(top[key][1])}")
    return value


def _mapping_value(reader: _PolicyReader, parent: dict[str, tuple[Node, Node]], key: str, path: str = "") -> dict[str, Any]:
    if key not in parent or _is_null(parent[key][1]):
        return {}
    node = parent[key][1]
    if not isinstance(node, MappingNode):
        raise reader.error(_line(node), path + key, f"expected a mapping, got {reader.describe(node)}")
    return dict(reader.plain(node, path + key))


def _texts(reader: _PolicyReader, parent: dict[str, tuple[Node, Node]], key: str, path: str = "") -> dict[str, str]:
    """A zh-TW / en text mapping: languages to strings."""
    texts = _mapping_value(reader, parent, key, path)
    pairs = reader.mapping(parent[key][1], path + key) if texts else {}
    for lang, value in texts.items():
        if not isinstance(value, str):
            raise reader.error(_line(pairs[lang][1]), f"{path}{key}.{lang}", f"expected a string, got {reader.describe(pairs[lang][1])}")
    return texts


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag.endswith(":null")


def _checks(reader: _PolicyReader, top: dict[str, tuple[Node, Node]]) -> dict[str, CheckPolicy]:
    entries = reader.mapping(top["checks"][1], "checks") if "checks" in top and not _is_null(top["checks"][1]) else {}
    known = set(REGISTRY) | set(SPECIAL_IDS)
    checks: dict[str, CheckPolicy] = {}
    for check_id, (key_node, node) in entries.items():
        path = f"checks.{check_id}"
        if check_id not in known and check_id not in NOT_YET_ASSESSED:
            raise reader.error(_line(key_node), path, "unknown check id" + _suggestion(check_id, sorted(known)))
        fields = reader.mapping(node, path)
        for key, (field_key, _) in fields.items():
            if key not in _CHECK_KEYS:
                raise reader.error(_line(field_key), f"{path}.{key}", f"unknown key (expected one of {', '.join(_CHECK_KEYS)})")
        severity = reader.plain(fields["severity"][1], f"{path}.severity") if "severity" in fields else None
        if severity not in SEVERITIES:
            line = _line(fields["severity"][1]) if "severity" in fields else _line(key_node)
            raise reader.error(line, f"{path}.severity", f"{severity!r} is not one of {', '.join(SEVERITIES)}")
        enabled = reader.plain(fields["enabled"][1], f"{path}.enabled") if "enabled" in fields else True
        if not isinstance(enabled, bool):
            raise reader.error(_line(fields["enabled"][1]), f"{path}.enabled", f"expected true or false, got {enabled!r}")
        checks[check_id] = CheckPolicy(severity, enabled, _texts(reader, fields, "title", path + "."),
                                       _texts(reader, fields, "remediation", path + "."))
    missing = sorted(known - set(checks))
    if missing:
        line = _line(top["checks"][0]) if "checks" in top else None
        raise reader.error(line, "checks", f"no entry for check(s): {', '.join(missing)}")
    return checks


def _suggestion(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def effective_params(pack: PolicyPack, overrides: dict[str, Any] | None, source: str = "",
                     lines: dict[str, int] | None = None) -> Params:
    """The pack's parameters with the topology's ``policy:`` overrides; service lists parsed.

    An override must have the type of the value it replaces (a number for ``max_prefix`` ...), so a
    typo is refused here with ``file:line`` rather than failing inside a check. ``lines``: where each
    override is written (``Topology.policy_lines``).
    """
    lines = lines or {}
    merged = dict(pack.parameters)
    origin = {key: (pack.file, pack.parameter_lines.get(key)) for key in merged}
    for key, value in (overrides or {}).items():
        if key == "allowed_flows":
            continue  # parsed and validated by the topology loader
        if key not in merged:
            raise NetauditInputError(source or pack.file, lines.get(key), f"policy.{key}: unknown policy parameter"
                                     + _suggestion(key, sorted(merged)))
        _check_kind(source or pack.file, lines.get(key), f"policy.{key}", value, merged[key])
        merged[key] = value
        origin[key] = (source or pack.file, lines.get(key))
    params = Params(merged)
    for key, value in merged.items():
        if key.endswith("_services"):
            file, line = origin[key]
            try:
                params[key] = [parse_service_spec(v) for v in value]
            except (ValueError, TypeError, AttributeError) as error:
                raise NetauditInputError(file, line, f"{key}: {error}") from None
    return params


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__


def _check_kind(file: str, line: int | None, path: str, value: Any, default: Any) -> None:
    """``value`` has the kind of ``default`` (lists: of the kind of its first item)."""
    wanted, got = _kind(default), _kind(value)
    if wanted == "a number" and got == "a whole number":
        return
    if default is not None and got != wanted:
        raise NetauditInputError(file, line, f"{path}: expected {wanted}, got {got} ({value!r})")
    if isinstance(default, list) and default and isinstance(value, list):
        for index, item in enumerate(value):
            _check_kind(file, line, f"{path}[{index}]", item, default[0])
