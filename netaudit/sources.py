"""Reading configuration files: encodings, sizes, binary files, folders.

Configs come out of backup folders and Windows tools: UTF-8 with or without BOM, UTF-16, CRLF,
Big5/CP950 descriptions, Latin-1. Lines are split on the file's own line ends so that line
numbers in findings match what the user sees in an editor.
"""

from __future__ import annotations

import os
from pathlib import Path

from netaudit.errors import NetauditInputError
from netaudit.parsers.base import SourceFile

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_FALLBACK_ENCODINGS = ("utf-8", "cp950", "latin-1")


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0:4:2] != b"\x00\x00":
        return data.decode("utf-16-le", errors="replace"), "utf-16-le"
    for encoding in _FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"  # pragma: no cover - latin-1 decodes everything


def read_source(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceFile:
    """Read one configuration file. Raises ``NetauditInputError`` naming the file."""
    return source_from_bytes(path, read_bytes(path, max_bytes))


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, refused over ``max_bytes`` (the model cache hashes exactly these bytes)."""
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise NetauditInputError(path, None, f"file is {size} bytes, over the limit of {max_bytes} bytes")
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise NetauditInputError(path, None, f"cannot read: {error.strerror or error}") from None


def source_from_bytes(path: str, data: bytes) -> SourceFile:
    """Decode a file's bytes and split them into lines. Raises ``NetauditInputError`` for a binary file."""
    text, encoding = decode(data)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise NetauditInputError(path, line, "binary file (NUL byte): not a text configuration")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return SourceFile(path, lines, encoding)


def config_paths(inputs: list[str]) -> list[str]:
    """Every file named, or found recursively in a folder named, in a stable order.

    Hidden files and symlinks that leave the folder are skipped; a path that does not exist is bad input.
    """
    paths: list[str] = []
    for item in inputs:
        if os.path.isdir(item):
            root = Path(item).resolve()
            for dirpath, dirnames, filenames in os.walk(item):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith(".") or name.lower() in {"readme.md", "readme.txt", "readme"}:
                        continue
                    full = os.path.join(dirpath, name)
                    if os.path.islink(full) and not Path(full).resolve().is_relative_to(root):
                        continue
                    paths.append(full)
        elif os.path.isfile(item):
            paths.append(item)
        else:
            raise NetauditInputError(item, None, "no such file or folder")
    return paths
