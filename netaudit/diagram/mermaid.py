"""Mermaid ``flowchart TB``: the diagram in a merge request or a wiki page, rendered by GitLab/GitHub.

Mermaid lays out by itself and knows no ranks, so this is the readable sketch rather than the
sheet: a subgraph per env holding a subgraph per zone, devices between them, lines labelled with
interfaces, a ``classDef`` per env. Ids are the model's (``[a-z0-9_]``, prefixed, so never a
Mermaid keyword such as ``end``); every label is quoted and entity-coded (escape.py).
"""

from __future__ import annotations

from collections import defaultdict

from .escape import mermaid_lines, mermaid_text
from .model import Diagram, Link, Node, ZoneBox
from .style import CABLE_COLOUR, LINK_COLOUR, MARK_COLOUR, OOB_COLOUR, VIOLATION_COLOUR, env_style

_ARROWS = {"attach": "---", "transit": "===", "inline": "===", "vpn": "-.-", "oob": "-.-", "physical": "==="}
_IND = "    "


def render_mermaid(diagram: Diagram) -> str:
    """The diagram as Mermaid text (a fenced block's content, without the fence)."""
    lines = ["---", f"title: {_title(diagram)}", "---", "flowchart TB"]
    lines += _class_defs(diagram)
    lines += _subgraphs(diagram)
    lines += [_IND + _node(node) for node in diagram.nodes if node.zone is None]
    links = [*diagram.links]
    lines += [_IND + _link(link) for link in links]
    if diagram.draws_zones:
        lines += [f'{_IND}{c.source} -. "{mermaid_text(c.label)}" .-> {c.target}' for c in diagram.crossings]
    lines += _link_styles(diagram, links)
    lines += _classes(diagram)
    return "\n".join(lines) + "\n"


def _title(diagram: Diagram) -> str:
    """The front-matter title is YAML: one line, quoted, with the as-of date and source."""
    text = f"{diagram.title} · {diagram.view} view · as of {diagram.as_of.isoformat()} · source: {diagram.source or '(not given)'}"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ") + '"'


def _class_defs(diagram: Diagram) -> list[str]:
    lines = []
    for env in diagram.envs():
        style = env_style(env)
        lines.append(f"{_IND}classDef env_{env} fill:{style.fill},stroke:{style.border},color:#263238")
    lines += [
        f"{_IND}classDef firewall fill:#ffccbc,stroke:#37474f,stroke-width:3px",
        f"{_IND}classDef device fill:#ffffff,stroke:#37474f",
        f"{_IND}classDef host fill:#ffffff,stroke:#90a4ae,font-size:11px",
        f"{_IND}classDef card fill:none,stroke:none,font-size:11px",
    ]
    if any(node.marks for node in diagram.nodes):
        lines.append(f"{_IND}classDef marked stroke:{MARK_COLOUR},stroke-width:4px,color:{MARK_COLOUR}")
    return lines


def _subgraphs(diagram: Diagram) -> list[str]:
    """A subgraph per env with several zones, holding one per zone; a lone zone stands alone."""
    if not diagram.draws_zones:
        return []
    members = diagram.zone_members()
    by_env: dict[str, list[ZoneBox]] = defaultdict(list)
    for zone in diagram.zones:
        if members[zone.id]:
            by_env[zone.env].append(zone)
    lines: list[str] = []
    for env, zones in by_env.items():
        if len(zones) == 1:
            lines += _zone(zones[0], members[zones[0].id], _IND)
            continue
        lines.append(f'{_IND}subgraph g_{env}["{mermaid_text(env_style(env).title)}"]')
        lines.append(f"{_IND * 2}direction LR")
        for zone in zones:
            lines += _zone(zone, members[zone.id], _IND * 2)
        lines.append(f"{_IND}end")
        lines.append(f"{_IND}style g_{env} fill:none,stroke:{env_style(env).border},stroke-dasharray:6 4")
    return lines


def _zone(zone: ZoneBox, members: list[Node], pad: str) -> list[str]:
    title = mermaid_lines([zone.name, zone.subtitle])
    lines = [f'{pad}subgraph {zone.id}["{title}"]']
    lines += [pad + _IND + _node(node) for node in members]
    lines.append(f"{pad}end")
    return lines


def _node(node: Node) -> str:
    if node.kind == "zone":
        return f'{node.id}["{mermaid_lines(node.details)}"]'
    text = mermaid_lines([node.name, *node.details] + ([f"▲ {node.marks.text}"] if node.marks else []))
    if node.kind in ("device", "appliance", "group"):
        opening, closing = {"router": ("([", "])"), "appliance": ("{{", "}}"), "firewall": ("[[", "]]")}.get(
            node.kind if node.kind in ("appliance", "group") else node.role or "", ("[", "]"))
        return f'{node.id}{opening}"{text}"{closing}'
    if node.kind == "host":
        return f'{node.id}[/"{text}"/]'
    return f'{node.id}("{text}")'


def _link(link: Link) -> str:
    """``a ---|"Gi0/1 (dmz) 172.16.10.0/24"| b``; lines to a zone go to its subgraph."""
    return f'{link.source} {_ARROWS[link.kind]}|"{mermaid_lines(link.lines)}"| {link.target}'


def _link_styles(diagram: Diagram, links: list[Link]) -> list[str]:
    """Mermaid styles links by their position in the file: OOB grey, VPN teal, crossings red."""
    lines = []
    for index, link in enumerate(links):
        if link.kind == "oob":
            lines.append(f"{_IND}linkStyle {index} stroke:{OOB_COLOUR},color:{OOB_COLOUR}")
        elif link.kind == "vpn":
            lines.append(f"{_IND}linkStyle {index} stroke:{env_style('remote').border}")
        elif link.kind == "physical":
            lines.append(f"{_IND}linkStyle {index} stroke:{CABLE_COLOUR},color:{CABLE_COLOUR}")
        else:
            lines.append(f"{_IND}linkStyle {index} stroke:{LINK_COLOUR}")
    if diagram.draws_zones:
        first = len(links)
        lines += [f"{_IND}linkStyle {first + i} stroke:{VIOLATION_COLOUR},stroke-width:2px,color:{VIOLATION_COLOUR}"
                  for i in range(len(diagram.crossings))]
    return lines


def _classes(diagram: Diagram) -> list[str]:
    lines = []
    for node in diagram.nodes:
        if node.kind == "zone":
            lines.append(f"{_IND}class {node.id} card")
            continue
        if node.kind == "segment":
            lines.append(f"{_IND}class {node.id} env_{node.env}")
        elif node.kind == "host":
            lines.append(f"{_IND}class {node.id} host")
        else:
            lines.append(f"{_IND}class {node.id} {'firewall' if node.role == 'firewall' else 'device'}")
        if node.marks is not None:
            lines.append(f"{_IND}class {node.id} marked")
    for zone in diagram.zones:  # subgraphs take ``style``, which every Mermaid version knows
        if _drawn(diagram, zone):
            colours = env_style(zone.env)
            dashed = ",stroke-dasharray:4 4" if not zone.seen else ""
            lines.append(f"{_IND}style {zone.id} fill:{colours.fill},stroke:{colours.border}{dashed}")
    return lines


def _drawn(diagram: Diagram, zone: ZoneBox) -> bool:
    return diagram.draws_zones and any(node.zone == zone.id for node in diagram.nodes)
