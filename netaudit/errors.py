"""Errors for bad input: the user's files, not netaudit's bugs.

The CLI turns every ``NetauditInputError`` into exit code 2 with one line naming the file and the
1-based line (product.md), so each carries those two facts apart from the human reason.
"""

from __future__ import annotations


class NetauditInputError(Exception):
    """A user-supplied file cannot be used; ``line`` is 1-based, or None when no line applies."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        super().__init__(file, line, reason)  # keeps the exception picklable (args → __init__)
        self.file = file
        self.line = line
        self.reason = reason

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.reason}"
        return f"{self.file}:{self.line}: {self.reason}"


class TopologyError(NetauditInputError):
    """The topology file (topology.md) is unreadable or breaks its schema."""
