"""What every parser shares: the source file, evidence references and parse coverage.

A parser marks each line it models (or knowingly skips because it carries nothing the checks
need); every other non-blank line is *unrecognized* and listed, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from netaudit.model import Device, SourceRef, Unrecognized
from netaudit.secrets import MASK, mask_secrets, private_key_lines


@dataclass(slots=True)
class SourceFile:
    """A configuration file as read: the path as the user gave it and its decoded lines."""

    path: str
    lines: list[str]
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)  # what reading changed or doubted (NUL padding, control characters)


class ParseError(Exception):
    """The file cannot be read as a configuration of this platform at all (bad input, exit 2)."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


@dataclass(slots=True)
class Coverage:
    """Tracks which 0-based lines were understood."""

    source: SourceFile
    recognized: set[int] = field(default_factory=set)
    # Body lines of pasted PEM private keys: no keyword on them for mask_secrets, so they are blanked.
    private_key_lines: set[int] = field(init=False)

    def __post_init__(self) -> None:
        self.private_key_lines = private_key_lines(self.source.lines)

    def text(self, index: int) -> str:
        """The stripped line ``index`` with its secrets masked: what may enter the model."""
        return MASK if index in self.private_key_lines else mask_secrets(self.source.lines[index].strip())

    def ref(self, index: int) -> SourceRef:
        """Evidence for the 0-based line ``index``: 1-based line number and masked text."""
        return SourceRef(self.source.path, index + 1, self.text(index))

    def mark(self, *indexes: int) -> None:
        self.recognized.update(indexes)

    def mark_all(self, indexes: Iterable[int]) -> None:
        self.recognized.update(indexes)

    def unrecognized(self, comment_prefixes: tuple[str, ...] = ("!",)) -> list[Unrecognized]:
        result = []
        for index, line in enumerate(self.source.lines):
            text = line.strip()
            if not text or index in self.recognized or text.startswith(comment_prefixes):
                continue
            result.append(Unrecognized(index + 1, self.text(index)))
        return result


class Parser:
    """The contract of a vendor parser: source text in, one ``Device`` out, nothing decided."""

    platform: str = ""

    def parse(self, source: SourceFile) -> Device:  # pragma: no cover - interface
        raise NotImplementedError
