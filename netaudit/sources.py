"""Reading configuration files: encodings, sizes, binary files, folders.

Configs come out of backup folders and Windows tools: UTF-8 with or without BOM, UTF-16, CRLF,
Big5/CP950 descriptions, Latin-1. Lines are split on the file's own line ends so that line
numbers in findings match what the user sees in an editor.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from netaudit.errors import NetauditInputError
from netaudit.parsers.base import SourceFile

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# Control characters a configuration has no use for: shown as U+FFFD (with a warning) so that no
# report, terminal or XML file receives them. Tab, VT, FF and line ends are whitespace to the parsers; U+2028/2029 and NEL are
# line breaks to some editors, which would shift the line numbers the user reads.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")  # not ESC, FF, VT: seen in banners
# Big5 lead bytes of the symbols and the 5,401 frequent characters (0xA1-0xC6); Latin-1 text read
# as CP950 lands mostly on the rare characters and user-defined area above them.
_BIG5_FREQUENT_LEADS = range(0xA1, 0xC7)


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with.

    A BOM decides; UTF-16 without a BOM is told by its zero bytes; then UTF-8, then Big5 (CP950)
    when its characters are the frequent ones, then Latin-1 (CP1252 when it uses 0x80-0x9F, which
    is what Windows tools write). Bytes a decoder cannot read become U+FFFD, never an exception.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0:4:2] != b"\x00\x00":
        return data.decode("utf-16-le", errors="replace"), "utf-16-le"
    if len(data) >= 4 and data[0:4:2] == b"\x00\x00" and data[1:4:2] != b"\x00\x00":
        return data.decode("utf-16-be", errors="replace"), "utf-16-be"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_like_big5(data):
        try:
            return data.decode("cp950"), "cp950"
        except UnicodeDecodeError:
            pass
    if any(0x80 <= byte <= 0x9F for byte in data):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1"), "latin-1"


def _looks_like_big5(data: bytes) -> bool:
    """Most double-byte characters are Big5's frequent ones (a Chinese description), not rare ones."""
    frequent = rare = 0
    index, end = 0, len(data)
    while index < end:
        byte = data[index]
        if byte < 0x80:
            index += 1
            continue
        if byte in _BIG5_FREQUENT_LEADS:
            frequent += 1
        else:
            rare += 1
        index += 2
    return frequent > rare


def read_source(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceFile:
    """Read one configuration file. Raises ``NetauditInputError`` naming the file."""
    return source_from_bytes(path, read_bytes(path, max_bytes))


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, refused over ``max_bytes`` (the model cache hashes exactly these bytes)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # before opening: opening a FIFO blocks
            raise NetauditInputError(path, None, "not a regular file (a device, FIFO or socket): not read")
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise NetauditInputError(path, None, f"file is {size} bytes, over the limit of {max_bytes} bytes (--max-file-mb)")
            # read(n) allocates n bytes up front: ask for the size (+1 to see a file growing past the
            # limit while read), not for the limit, or every small file costs 50 MB for a moment.
            data = handle.read(size + 1)
    except OSError as error:
        raise NetauditInputError(path, None, f"cannot read: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise NetauditInputError(path, None, f"file is over the limit of {max_bytes} bytes (--max-file-mb)")
    return data


def source_from_bytes(path: str, data: bytes) -> SourceFile:
    """Decode a file's bytes and split them into lines. Raises ``NetauditInputError`` for a binary file.

    NUL padding at the end (a copy from flash or TFTP cut short) is dropped and a few stray control
    characters are shown as U+FFFD, each with a warning naming the line; a file with more of them
    than text would have is binary and refused.
    """
    text, encoding = decode(data)
    warnings: list[str] = []
    stripped = text.rstrip("\x00")
    if len(stripped) < len(text):
        warnings.append(f"{len(text) - len(stripped)} NUL bytes of padding at the end of the file ignored")
        text = stripped
    window = min(len(text), 65536)
    binary = _BINARY_CONTROL.findall(text, 0, window)
    if len(binary) > min(8 + window // 1000, window // 100):  # a stray byte in a config, not a binary's many
        first = _BINARY_CONTROL.search(text)
        line = text[: first.start()].count("\n") + 1 if first else None
        raise NetauditInputError(path, line, "binary file (control bytes such as NUL): not a text configuration")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if _CONTROL.search(text):
        lines, changed = _shown_controls(lines)
        if len(changed) > 8 + len(lines) // 10:
            raise NetauditInputError(path, changed[0], "binary file (control bytes such as NUL): not a text configuration")
        listed = ", ".join(str(n) for n in changed[:10]) + (f" and {len(changed) - 10} more" if len(changed) > 10 else "")
        warnings.append(f"control characters (NUL, ESC …) shown as \ufffd on line(s) {listed}")
    return SourceFile(path, lines, encoding, warnings)


def _shown_controls(lines: list[str]) -> tuple[list[str], list[int]]:
    """Lines with their control characters replaced, and the 1-based numbers of the lines changed."""
    changed: list[int] = []
    result = []
    for number, line in enumerate(lines, 1):
        if _CONTROL.search(line):
            changed.append(number)
            line = _CONTROL.sub("\ufffd", line)
        result.append(line)
    return result, changed


def config_paths(inputs: list[str]) -> list[str]:
    """Every file named, or found recursively in a folder named, in a stable order.

    Hidden files, symlinks that leave the folder, what is not a regular file (FIFOs, sockets,
    devices: opening one could block) and the facts and hit-counter files of `netaudit collect` are skipped; a path that does not exist is bad input. Only
    the names are held, so a folder of thousands of files costs a list of strings.
    """
    paths: list[str] = []
    for item in inputs:
        if os.path.isdir(item):
            root = Path(os.path.realpath(item))
            for dirpath, dirnames, filenames in os.walk(item):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith(".") or name.lower() in {"readme.md", "readme.txt", "readme"}:
                        continue
                    full = os.path.join(dirpath, name)
                    # realpath, unlike Path.resolve, does not raise on a symlink loop: a loop inside the
                    # folder is listed, and reading it reports why it is not assessed.
                    if os.path.islink(full) and not Path(os.path.realpath(full)).is_relative_to(root):
                        continue
                    if not _is_regular(full) or _collect_companion(name, full):
                        continue
                    paths.append(full)
        elif os.path.exists(item):  # a file named outright is read (and refused there if it is not a regular file)
            paths.append(item)
        else:
            raise NetauditInputError(item, None, "no such file or folder")
    return paths


COLLECT_FACTS_SUFFIX = ".facts.json"
COLLECT_HITS_MARKER = b"! netaudit-collect hits"


def _collect_companion(name: str, path: str) -> bool:
    """A file `netaudit collect` writes beside the configs (facts, hit counters: docs/collect.md),
    so that the folder it fills is audited as it is. Only in folders: a file named outright is read."""
    if name.endswith(COLLECT_FACTS_SUFFIX):
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(len(COLLECT_HITS_MARKER)) == COLLECT_HITS_MARKER
    except OSError:
        return False  # listed: reading it reports why


def _is_regular(path: str) -> bool:
    """A regular file (after symlinks); a FIFO would block the reader, a device never ends."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # unreadable or vanished: listed, so that reading it reports why
