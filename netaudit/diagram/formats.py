"""``render``: one diagram, any format. DOT, draw.io and Mermaid are pure Python; SVG and PNG run Graphviz."""

from __future__ import annotations

from .dot import render_dot
from .drawio import render_drawio
from .graphviz import DEFAULT_TIMEOUT, normalise_svg, run_dot
from .mermaid import render_mermaid
from .model import Diagram

FORMATS = ("svg", "png", "dot", "drawio", "mermaid")
BINARY_FORMATS = frozenset({"png"})  # render returns bytes for these, text for the others
EXTENSIONS = {"svg": "svg", "png": "png", "dot": "dot", "drawio": "drawio", "mermaid": "mmd"}


def render(diagram: Diagram, fmt: str, *, dot_binary: str = "dot", search_path: str | None = None,
           timeout: float = DEFAULT_TIMEOUT) -> str | bytes:
    """The diagram in one format: text for svg/dot/drawio/mermaid, bytes for png.

    svg and png run Graphviz (``dot_binary`` looked up on ``search_path``, default $PATH) and raise
    ``GraphvizMissing`` — a ``NetauditInputError`` saying how to install it — when it is absent.
    """
    if fmt == "dot":
        return render_dot(diagram)
    if fmt == "drawio":
        return render_drawio(diagram)
    if fmt == "mermaid":
        return render_mermaid(diagram)
    if fmt in ("svg", "png"):
        output = run_dot(render_dot(diagram), fmt, binary=dot_binary, search_path=search_path, timeout=timeout)
        return output if fmt == "png" else normalise_svg(output)
    raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
