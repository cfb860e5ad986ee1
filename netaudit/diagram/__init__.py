"""The network architecture diagram (網路架構圖, Art. 4(7)) drawn from the configs and the topology.

``build_diagram`` turns the audit context (and optionally the findings) into a ``Diagram``;
``render`` writes it as DOT, SVG, PNG, draw.io or Mermaid; ``network_diagram`` does both steps
from file paths for the CLI. Every renderer is a pure function of the model and sorts everything,
so the same input gives byte-identical output and the diagram can live in git next to the configs.
"""

from __future__ import annotations

from .api import audit_findings, describe_source, network_diagram, report_svg
from .formats import BINARY_FORMATS, EXTENSIONS, FORMATS, render
from .graphviz import INSTALL_HINT, GraphvizFailed, GraphvizMissing, find_dot, inline_svg
from .model import VIEWS, Crossing, Diagram, Link, Marks, Node, ZoneBox, build_diagram

__all__ = [
    "BINARY_FORMATS",
    "EXTENSIONS",
    "FORMATS",
    "INSTALL_HINT",
    "VIEWS",
    "Crossing",
    "Diagram",
    "GraphvizFailed",
    "GraphvizMissing",
    "Link",
    "Marks",
    "Node",
    "ZoneBox",
    "audit_findings",
    "build_diagram",
    "describe_source",
    "find_dot",
    "inline_svg",
    "network_diagram",
    "render",
    "report_svg",
]
