"""The device inventory, in Nornir's SimpleInventory shape so Nornir and Ansible users recognise it.

Two layouts are read: Nornir's own (``hosts.yaml`` named on the command line, ``groups.yaml`` and
``defaults.yaml`` beside it when present), or one file with top-level ``hosts``, ``groups`` and
``defaults``. A host inherits ``platform``, ``port``, ``username``, ``data`` and
``connection_options`` from its groups (in order, groups of groups too) and then the defaults,
as Nornir does: the first that sets a field wins.

Passwords never live here: a ``password`` or ``secret`` key anywhere in the file is refused with
its line, so a file committed to git cannot leak one. Credentials are named instead
(``data.credentials`` → environment variables, ``data.keyring`` → an OS keyring entry; see
``credentials``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from netaudit.errors import NetauditInputError
from netaudit.yaml_input import NoAliasLoader, compose, read_text

HOST_FIELDS = {"hostname", "port", "username", "password", "platform", "groups", "data", "connection_options"}
INHERITED = ("hostname", "port", "username", "platform")
# Keys that would carry a secret into a file that gets committed and shared.
SECRET_KEYS = {"password", "secret", "enable_password", "enable_secret", "passphrase", "api_key", "token"}
# Settings that decide how host keys are checked: the command line owns them, never the inventory.
PROTECTED_OPTIONS = {"ssh_strict", "system_host_keys", "alt_host_keys", "alt_key_file", "ssh_config_file",
                     "use_keys", "key_file", "allow_agent", "hostkey_verify", "ignore_warning"}


@dataclass(frozen=True)
class Target:
    """One device to collect, with everything inherited resolved."""

    name: str
    hostname: str
    platform: str
    port: int | None = None
    username: str | None = None
    groups: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    # connection_options.<napalm|netmiko>.extras, host-key settings removed (see PROTECTED_OPTIONS)
    extras: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False, compare=False)
    line: int | None = None


@dataclass
class _Entry:
    """A host, group or the defaults as written: plain values and the lines they were written on."""

    values: dict[str, Any]
    line: int | None
    file: str


def load_inventory(path: str) -> list[Target]:
    """Every host of the inventory, resolved; raises ``NetauditInputError`` with file and line."""
    root = _compose(path)
    top = _plain(root, path)
    if isinstance(top, dict) and "hosts" in top and set(top) <= {"hosts", "groups", "defaults"}:
        mapping = _mapping_nodes(root, path)
        hosts = _entries(mapping["hosts"][1], path, "hosts")
        groups = _entries(mapping["groups"][1], path, "groups") if "groups" in mapping else {}
        defaults = _Entry(_plain(mapping["defaults"][1], path) or {}, _line(mapping["defaults"][0]), path) if "defaults" in mapping else _Entry({}, None, path)
    else:
        hosts = _entries(root, path, "")
        folder = Path(path).parent
        groups_file, defaults_file = folder / "groups.yaml", folder / "defaults.yaml"
        groups = _entries(_compose(str(groups_file)), str(groups_file), "") if groups_file.is_file() else {}
        if defaults_file.is_file():
            defaults_root = _compose(str(defaults_file))
            defaults = _Entry(_plain(defaults_root, str(defaults_file)) or {}, None, str(defaults_file))
        else:
            defaults = _Entry({}, None, path)
    if not isinstance(defaults.values, dict):
        raise NetauditInputError(defaults.file, defaults.line, "defaults: expected a mapping")
    for name, entry in groups.items():
        _check_fields(entry, f"groups.{name}")
    _check_fields(defaults, "defaults")
    targets = [_resolve(name, entry, groups, defaults) for name, entry in hosts.items()]
    if not targets:
        raise NetauditInputError(path, None, "the inventory has no hosts")
    return targets


def select(targets: list[Target], only: list[str] | None, inventory_path: str) -> list[Target]:
    """The hosts named by ``--only`` (host or group names); an unknown name is bad input."""
    if not only:
        return targets
    known = {t.name for t in targets} | {g for t in targets for g in t.groups}
    unknown = [name for name in only if name not in known]
    if unknown:
        raise NetauditInputError(inventory_path, None, f"--only: no host or group named {', '.join(unknown)}")
    wanted = set(only)
    return [t for t in targets if t.name in wanted or wanted & set(t.groups)]


# --------------------------------------------------------------------------- resolution


def _resolve(name: str, host: _Entry, groups: dict[str, _Entry], defaults: _Entry) -> Target:
    _check_fields(host, f"hosts.{name}")
    chain = [host, *[groups[g] for g in _group_order(name, host, groups)], defaults]

    def first(key: str) -> Any:
        return next((entry.values[key] for entry in chain if entry.values.get(key) is not None), None)

    data: dict[str, Any] = {}
    for entry in reversed(chain):  # the nearest entry wins key by key, as in Nornir
        data.update(entry.values.get("data") or {})
    extras: dict[str, dict[str, Any]] = {}
    for entry in reversed(chain):
        for connection, options in (entry.values.get("connection_options") or {}).items():
            for key, value in ((options or {}).get("extras") or {}).items():
                nested = set(value) if key == "optional_args" and isinstance(value, dict) else set()
                if key in PROTECTED_OPTIONS or nested & PROTECTED_OPTIONS:
                    key = key if key in PROTECTED_OPTIONS else f"optional_args.{sorted(nested & PROTECTED_OPTIONS)[0]}"
                    raise NetauditInputError(entry.file, entry.line, f"connection_options.{connection}.extras.{key}: "
                                             "host-key and key-file settings come from the command line (--known-hosts)")
                extras.setdefault(connection, {})[key] = value
    platform = first("platform")
    if not platform:
        raise NetauditInputError(host.file, host.line, f"hosts.{name}: no platform (set it on the host, a group or the defaults)")
    port = first("port")
    if port is not None and (not isinstance(port, int) or not 0 < port < 65536):
        raise NetauditInputError(host.file, host.line, f"hosts.{name}: port must be a number from 1 to 65535")
    return Target(
        name=name, hostname=str(first("hostname") or name), platform=str(platform).strip().lower(), port=port,
        username=None if first("username") is None else str(first("username")),
        groups=tuple(_group_order(name, host, groups)), data=data, extras=extras, line=host.line,
    )


def _group_order(name: str, host: _Entry, groups: dict[str, _Entry]) -> list[str]:
    """The host's groups, then their groups, depth first, each once (Nornir's order)."""
    order: list[str] = []

    def visit(entry: _Entry, owner: str) -> None:
        names = entry.values.get("groups") or []
        if not isinstance(names, list):
            raise NetauditInputError(entry.file, entry.line, f"{owner}.groups: expected a list of group names")
        for group in names:
            if group not in groups:
                raise NetauditInputError(entry.file, entry.line, f"{owner}: no group named {group!r}")
            if group not in order:
                order.append(group)
                visit(groups[group], f"groups.{group}")

    visit(host, f"hosts.{name}")
    return order


def _check_fields(entry: _Entry, owner: str) -> None:
    if not isinstance(entry.values, dict):
        raise NetauditInputError(entry.file, entry.line, f"{owner}: expected a mapping")
    unknown = sorted(set(entry.values) - HOST_FIELDS)
    if unknown:
        raise NetauditInputError(entry.file, entry.line, f"{owner}: unknown key {unknown[0]!r} (expected one of {', '.join(sorted(HOST_FIELDS - {'password'}))})")
    for key in ("data", "connection_options"):
        if entry.values.get(key) is not None and not isinstance(entry.values[key], dict):
            raise NetauditInputError(entry.file, entry.line, f"{owner}.{key}: expected a mapping")


# --------------------------------------------------------------------------- YAML with lines

MAX_INVENTORY_BYTES = 20 * 1024 * 1024  # thousands of hosts are some megabytes; this bounds memory and parse time


def _compose(path: str) -> Node:
    root = compose(path, read_text(path, "inventory", MAX_INVENTORY_BYTES))
    if root is None:
        raise NetauditInputError(path, None, "the file is empty")
    _refuse_secrets(root, path)
    return root


def _refuse_secrets(node: Node, path: str) -> None:
    """A password in a file that is committed and shared is the leak this tool audits for."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and str(key.value).lower() in SECRET_KEYS and not _is_empty(value):
                raise NetauditInputError(path, _line(key), f"{key.value!r}: credentials are not read from the inventory; "
                                         "name them with data.credentials (environment) or data.keyring (see docs/collect.md)")
            _refuse_secrets(value, path)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _refuse_secrets(item, path)


def _is_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag.endswith(":null")


def _entries(node: Node, path: str, owner: str) -> dict[str, _Entry]:
    if _is_empty(node):
        return {}
    entries: dict[str, _Entry] = {}
    for name, (key, value) in _mapping_nodes(node, path, owner).items():
        values = {} if _is_empty(value) else _plain(value, path)
        entries[name] = _Entry(values, _line(key), path)
    return entries


def _mapping_nodes(node: Node, path: str, owner: str = "") -> dict[str, tuple[Node, Node]]:
    if not isinstance(node, MappingNode):
        raise NetauditInputError(path, _line(node), f"{owner or 'inventory'}: expected a mapping of names")
    pairs: dict[str, tuple[Node, Node]] = {}
    for key, value in node.value:
        name = str(key.value) if isinstance(key, ScalarNode) else ""
        if not name:
            raise NetauditInputError(path, _line(key), f"{owner or 'inventory'}: names must be plain text")
        if name in pairs:
            raise NetauditInputError(path, _line(key), f"{owner}.{name}: duplicate name (first on line {_line(pairs[name][0])})")
        pairs[name] = (key, value)
    return pairs


def _plain(node: Node, path: str) -> Any:
    """The node's value; a tag or a value YAML cannot build (``!!int abc``, a date 2026-13-01, a
    Python object tag) is bad input at its line, not a traceback."""
    loader = NoAliasLoader("")
    try:
        return loader.construct_document(node)
    except _UNBUILDABLE as error:
        mark = getattr(error, "problem_mark", None) or _first_unbuildable(node).start_mark
        problem = getattr(error, "problem", None) or str(error)
        raise NetauditInputError(path, mark.line + 1, f"cannot read this value: {problem}") from None
    finally:
        loader.dispose()


_UNBUILDABLE = (yaml.YAMLError, ValueError, TypeError, OverflowError)


def _first_unbuildable(node: Node) -> Node:
    """The first scalar under ``node`` that cannot be built on its own (its line is the error's)."""
    children = [n for pair in node.value for n in pair] if isinstance(node, MappingNode) else \
        list(node.value) if isinstance(node, SequenceNode) else []
    for child in children:
        if not isinstance(child, ScalarNode):
            found = _first_unbuildable(child)
            if found is not child:
                return found
            continue
        loader = NoAliasLoader("")
        try:
            loader.construct_object(child, deep=True)
        except _UNBUILDABLE:
            return child
        finally:
            loader.dispose()
    return node


def _line(node: Node) -> int:
    return node.start_mark.line + 1

