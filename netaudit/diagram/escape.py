"""Escaping for each output format: names and descriptions come from configs and must stay text.

A hostname or interface description is whatever the device accepted; written raw into DOT,
Mermaid or XML it could close a label, inject markup into the SVG an HTML report embeds, or just
break the file. Every piece of text from the configs or the topology passes through one of these.
"""

from __future__ import annotations

import html
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Control characters removed: XML 1.0 cannot carry them at all, and no label needs them."""
    return _CONTROL.sub("", text)


def dot_html(text: str) -> str:
    r"""Text inside a Graphviz HTML-like label (``<...>``): XML escaping, quotes included, and every
    backslash doubled — Graphviz expands ``\N`` (the node's name), ``\G`` … even in HTML labels,
    after decoding entities, so only ``\\`` gives a literal backslash."""
    return html.escape(clean(text), quote=True).replace("\\", "\\\\")


def dot_string(text: str) -> str:
    """A DOT double-quoted string, quotes included. In escString attributes (tooltip) a backslash
    starts an escape (``\\N`` is the node name), so it is doubled; newlines become ``\\n``."""
    body = clean(text).replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'"{body}"'


# Mermaid reads ``#name;`` / ``#123;`` as entity codes in labels; every character that could end the
# quoted label or start markup is written as one. ``#`` itself first, so that codes are not re-read.
_MERMAID_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;", "|": "#124;"}


def mermaid_text(text: str) -> str:
    """Text for inside a quoted Mermaid label (``id["..."]``, ``-->|"..."|``, subgraph titles).

    Mermaid renders labels as HTML, so ``<`` and ``&`` are coded too; a backtick is, because a label
    opening with one is read as Markdown. Brackets, parentheses and ``;`` are safe inside the quotes.
    """
    return "".join(_MERMAID_ENTITIES.get(char, char) for char in clean(text).replace("\r", "").replace("\n", " "))


def mermaid_lines(lines: list[str] | tuple[str, ...]) -> str:
    """Label lines joined with Mermaid's line break (``<br>`` is the one markup we write ourselves)."""
    return "<br>".join(mermaid_text(line) for line in lines)
