"""Running Graphviz's ``dot`` on DOT text, for SVG and PNG.

The binary is the one outside dependency of the diagram: DOT, draw.io and Mermaid never need it.
When it is missing the error says how to install it, and the CLI turns it into exit 2 like any
other unusable input. The SVG is normalised so two runs — and two machines with the same Graphviz —
give the same bytes: Graphviz writes its version in a comment, and comments carry nothing else
a reader of the diagram needs.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from netaudit.errors import NetauditInputError

DEFAULT_TIMEOUT = 60.0  # seconds; the sample network lays out in well under one
INSTALL_HINT = "apt-get install graphviz (Debian/Ubuntu; brew install graphviz on macOS), or write --format dot|drawio|mermaid"


class GraphvizMissing(NetauditInputError):
    """The ``dot`` binary is not installed (or not on the search path given)."""

    def __init__(self, binary: str) -> None:
        super().__init__("graphviz", None, f"'{binary}' not found: SVG and PNG need Graphviz; install it with {INSTALL_HINT}")


class GraphvizFailed(NetauditInputError):
    """``dot`` ran but failed or timed out: a bug in our DOT, or a network too big for the timeout."""

    def __init__(self, reason: str) -> None:
        super().__init__("graphviz", None, reason)


def find_dot(binary: str = "dot", search_path: str | None = None) -> str:
    """The path of the ``dot`` binary; ``search_path`` replaces $PATH for this lookup only (tests
    give ``""`` to see the missing-binary error without touching the environment)."""
    found = shutil.which(binary, path=search_path)
    if found is None:
        raise GraphvizMissing(binary)
    return found


def run_dot(dot_text: str, fmt: str, *, binary: str = "dot", search_path: str | None = None,
            timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """``dot -T<fmt>`` on the text; the output bytes. Raises GraphvizMissing / GraphvizFailed."""
    executable = find_dot(binary, search_path)
    try:
        completed = subprocess.run([executable, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True,
                                   timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise GraphvizFailed(f"dot took longer than {timeout:g} s; write --format dot and lay it out separately") from None
    except OSError as error:
        raise GraphvizFailed(f"cannot run {executable}: {error.strerror or error}") from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizFailed(f"dot -T{fmt} failed: {message[-1] if message else f'exit {completed.returncode}'}")
    return completed.stdout


_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)


def normalise_svg(svg: bytes) -> str:
    """Comments removed (the Graphviz version and date live there); everything else as written."""
    return _COMMENT.sub("", svg.decode("utf-8"))


def inline_svg(svg: str) -> str:
    """The ``<svg>`` element alone, for embedding in an HTML page (no XML declaration or DOCTYPE)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
