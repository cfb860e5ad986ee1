"""A cache of parsed models on disk: auditing unchanged files again does not parse them again.

Parsing is most of an audit's time (ciscoconfparse2 reads some 30,000 lines a second), and the
files of an estate change a few at a time between two audits. An entry is one ``Device`` as the
parser returned it, pickled, under a key that is the SHA-256 of everything that decides that model:

* the file's bytes, and the path as given (every evidence reference in the model names it);
* the platform override from the topology file (``devices.<name>.platform``), if any;
* netaudit's version and a fingerprint of the parser and model source files, ciscoconfparse2's
  version, the Python version and this cache's format.

So an entry is never used for other input or by other code. A file that could not be read or
parsed is never cached (it is parsed, and reported, again). An entry that cannot be read back
(truncated, corrupt, written by an incompatible netaudit) is ignored and replaced.

Location: ``$NETAUDIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/netaudit``, else ``~/.cache/netaudit``;
the folder is created private to the user (0700), since entries are pickles and loading a pickle
runs code. ``--no-cache`` turns it off; deleting the folder at any time is safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path

from netaudit import __version__
from netaudit.model import Device

FORMAT = 1  # bump when the layout of entries changes
_PARSING_MODULES = ("model.py", "secrets.py", "services.py", "dates.py", "sources.py", "errors.py")
_UNREADABLE = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError, ValueError, OSError)


def default_cache_dir() -> Path:
    explicit = os.environ.get("NETAUDIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "netaudit"


@cache
def code_fingerprint() -> str:
    """What else decides a model: the parser and model sources, library and Python versions.

    Hashing the sources (a few hundred kB, once per process) keeps a development checkout, whose
    version number does not move with every change, from reading models an older parser wrote.
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version_info[:2]}\0{_library_version()}\0".encode())
    files = sorted((package / "parsers").glob("*.py")) + [package / name for name in _PARSING_MODULES]
    for file in files:
        digest.update(file.name.encode() + b"\0")
        try:
            digest.update(file.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
    return digest.hexdigest()


def _library_version() -> str:
    try:
        return metadata.version("ciscoconfparse2")
    except metadata.PackageNotFoundError:  # pragma: no cover - ciscoconfparse2 is a dependency
        return "unknown"


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ModelCache:
    """Parsed devices on disk, one pickle per (file content, path, platform override, code)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.hits = 0
        self.misses = 0

    @classmethod
    def default(cls) -> ModelCache:
        return cls(default_cache_dir())

    def key(self, path: str, platform: str | None, digest: str) -> str:
        """The entry name: the content digest bound to the path, the override and the code."""
        text = f"{code_fingerprint()}\0{platform or ''}\0{path}\0{digest}"
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()

    def _entry(self, key: str) -> Path:
        return self.root / "models" / key[:2] / f"{key}.pickle"

    def load(self, key: str) -> Device | None:
        """The cached device, or None when there is none or it cannot be read back."""
        entry = self._entry(key)
        try:
            with open(entry, "rb") as handle:
                device = pickle.load(handle)
        except FileNotFoundError:
            self.misses += 1
            return None
        except _UNREADABLE:
            self.misses += 1
            self._discard(entry)
            return None
        if not isinstance(device, Device):
            self.misses += 1
            self._discard(entry)
            return None
        self.hits += 1
        return device

    def store(self, key: str, payload: bytes) -> None:
        """Write a pickled device atomically (a reader never sees half an entry); errors are ignored:
        a cache that cannot be written only costs the next audit a parse."""
        entry = self._entry(key)
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            entry.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(payload)
                os.replace(temporary, entry)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            return

    @staticmethod
    def _discard(entry: Path) -> None:
        with contextlib.suppress(OSError):
            entry.unlink()


def dumps(device: Device) -> bytes:
    return pickle.dumps(device, protocol=pickle.HIGHEST_PROTOCOL)
