"""The one way netaudit reads a YAML file the user wrote (topology, policy pack, waivers).

Bounded (a device or a growing file cannot make it read forever), UTF-8 (with or without BOM, a bad
byte reported with its line), composed into a node tree without aliases (no "billion laughs", and
every node keeps its line for the errors), and every failure one ``NetauditInputError`` — or the
caller's subclass of it — naming the file and line.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import Node

from netaudit.errors import NetauditInputError


class AliasRefused(yaml.composer.ComposerError):
    """Valid YAML that netaudit's input files do not admit."""


class NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases: an alias can expand exponentially ("billion laughs"), and none
    of netaudit's input files needs one."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise AliasRefused(
                None, None, f"YAML aliases (*{event.anchor}) are not allowed here; write the value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def read_text(path: str, what: str, max_bytes: int, error: type[NetauditInputError] = NetauditInputError) -> str:
    """The file's text; ``what`` names it in the errors ("topology file", "policy pack", "waiver file")."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)  # bounded even for a device or a growing file
    except OSError as exc:
        raise error(path, None, f"cannot read the {what}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise error(path, None, f"file is larger than {max_bytes // (1024 * 1024)} MB; not a {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(path, data.count(b"\n", 0, exc.start) + 1, "the file is not valid UTF-8") from None


def compose(path: str, text: str, error: type[NetauditInputError] = NetauditInputError) -> Node | None:
    """The node tree of ``text`` (None for an empty document)."""
    try:
        return yaml.compose(text, Loader=NoAliasLoader)
    except AliasRefused as exc:
        raise error(path, exc.problem_mark.line + 1 if exc.problem_mark else None, str(exc.problem)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = f"invalid YAML: {exc.problem or exc.context or 'syntax error'}"
        if exc.context and exc.context_mark and mark is not exc.context_mark:
            reason += f" ({exc.context} on line {exc.context_mark.line + 1})"
        raise error(path, mark.line + 1 if mark else None, reason) from None
    except yaml.YAMLError as exc:
        raise error(path, None, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise error(path, None, "the YAML is nested too deeply") from None
