"""Graphviz DOT: the layout engine behind the SVG and PNG, and a file engineers can edit.

The sheet reads top to bottom in env order (Internet, DMZ, production with its tiers side by side,
test, OA, management, remote access): each zone's card is pinned to its env's row with
``rank=same`` (``newrank`` lets a rank cross clusters) and the rows are chained with invisible
edges; devices fall between the rows their lines pull them to. Lines to a zone end at the box
(``compound``/``lhead``), not at the card, so a zone reads as one place.
"""

from __future__ import annotations

from collections import defaultdict

from .escape import dot_html, dot_string
from .model import Crossing, Diagram, Link, Node, ZoneBox
from .style import (
    CABLE_COLOUR,
    FONT,
    LINK_COLOUR,
    MARK_COLOUR,
    OOB_COLOUR,
    VIOLATION_COLOUR,
    env_style,
    level_of,
)

_DEVICE_SHAPES = {
    # role: (shape, fill, extra attributes)
    "firewall": ("box", "#ffccbc", 'peripheries=2'),
    "router": ("ellipse", "#ffffff", ""),
    "switch": ("box", "#ffffff", 'style="rounded,filled"'),
    "appliance": ("hexagon", "#fff9c4", ""),
    "group": ("box3d", "#ffffff", ""),
}
_LINK_STYLES = {
    "attach": f'color="{LINK_COLOUR}"',
    "vpn": f'color="{env_style("remote").border}", style=dashed',
    "oob": f'color="{OOB_COLOUR}", fontcolor="{OOB_COLOUR}", style=dotted, constraint=false',
    "transit": f'color="{LINK_COLOUR}", penwidth=2',
    "inline": f'color="{LINK_COLOUR}", penwidth=2',
    "physical": f'color="{CABLE_COLOUR}", fontcolor="{CABLE_COLOUR}", style=bold, constraint=false',
}
_INDENT = "  "
_RUNG_STRENGTH = 8


def render_dot(diagram: Diagram) -> str:
    """The diagram as DOT text (rankdir TB), deterministic: the model is sorted, so is this."""
    lines = ["digraph netaudit {", *_header(diagram)]
    lines += _zone_clusters(diagram)
    lines += [_INDENT + _node(node) for node in diagram.nodes if node.zone is None]
    lines += _ranks(diagram)
    anchors = zone_anchors(diagram)
    lines += [_INDENT + _link(link, diagram, anchors) for link in diagram.links]
    if diagram.draws_zones:
        lines += [_INDENT + _crossing(crossing, diagram, anchors) for crossing in diagram.crossings
                  if crossing.source in anchors and crossing.target in anchors]
    lines += _legend(diagram)
    lines += _legend_below(diagram)
    lines.append("}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- sheet


def _header(diagram: Diagram) -> list[str]:
    title = (f'<<font point-size="20"><b>{dot_html(diagram.title)}</b></font><br/>'
             f'<font point-size="12">Network architecture diagram · {dot_html(diagram.view)} view · '
             f'as of {diagram.as_of.isoformat()}</font><br/>'
             f'<font point-size="10">source: {dot_html(diagram.source or "(not given)")}</font><br/>>')
    return [
        f'{_INDENT}graph [rankdir=TB, newrank=true, compound=true, splines=true, nodesep=0.35, ranksep=0.45, '
        f'pad=0.3, fontname="{FONT}", labelloc=t, labeljust=l, label={title}];',
        f'{_INDENT}node [fontname="{FONT}", fontsize=11, shape=box, style=filled, fillcolor="#ffffff", color="#37474f", margin="0.12,0.05"];',
        f'{_INDENT}edge [fontname="{FONT}", fontsize=8, arrowhead=none, arrowtail=none, fontcolor="#37474f"];',
    ]


def _zone_clusters(diagram: Diagram) -> list[str]:
    """Zones as boxes, inside a box per env when an env has several zones (prod: web, AP, DB ...)."""
    if not diagram.draws_zones:
        return []
    members = diagram.zone_members()
    anchors = zone_anchors(diagram)
    by_env: dict[str, list[ZoneBox]] = defaultdict(list)
    for zone in diagram.zones:
        if zone.id in anchors:  # a zone with nothing to draw in it (Graphviz drops empty clusters)
            by_env[zone.env].append(zone)
    lines: list[str] = []
    for env, zones in by_env.items():  # zones are in sheet order, so envs are too
        if len(zones) == 1:
            lines += _zone_cluster(zones[0], members[zones[0].id], anchors[zones[0].id], 1)
            continue
        style = env_style(env)
        lines.append(f'{_INDENT}subgraph "cluster_env_{env}" {{')
        lines.append(f'{_INDENT * 2}label=<<b>{dot_html(style.title)}</b>>; id="env_{env}"; class="env env-{env}"; '
                     f'style="rounded,dashed"; color="{style.border}"; fontcolor="{style.border}"; fontsize=15;')
        for zone in zones:
            lines += _zone_cluster(zone, members[zone.id], anchors[zone.id], 2)
        lines.append(f"{_INDENT}}}")
    return lines


def _zone_cluster(zone: ZoneBox, members: list[Node], anchor: str, depth: int) -> list[str]:
    style = env_style(zone.env)
    pad = _INDENT * depth
    border = "rounded,filled" + (",dashed" if not zone.seen else "")
    label = f'<<b>{dot_html(zone.name)}</b><br/><font point-size="10">{dot_html(zone.subtitle)}</font>>'
    lines = [
        f'{pad}subgraph "cluster_{zone.id}" {{',
        f'{pad}{_INDENT}label={label}; id="{zone.id}"; class="zone env-{zone.env}"; style="{border}"; '
        f'fillcolor="{style.fill}"; color="{style.border}"; penwidth=1.5; fontsize=14;',
    ]
    lines += [f"{pad}{_INDENT}{_node(node)}" for node in members]
    lines += _host_rows(anchor, members, pad + _INDENT)
    lines.append(f"{pad}}}")
    return lines


def _host_rows(anchor: str, members: list[Node], pad: str) -> list[str]:
    """Hosts (and a device group) under the zone's anchor, three to a row: a node without an edge
    floats to the top rank and would stretch the box up the whole sheet."""
    hosts = [node.id for node in members if node.kind in ("host", "group") and node.id != anchor]
    lines = []
    for index, host in enumerate(hosts):
        above = anchor if index < 3 else hosts[index - 3]
        lines.append(f'{pad}{_q(above)} -> {_q(host)} [style=invis];')
    return lines


# --------------------------------------------------------------------------- nodes


def _node(node: Node) -> str:
    if node.kind == "zone":
        return _zone_card(node)
    if node.kind in ("device", "appliance", "group"):
        return _device(node)
    if node.kind == "host":
        label = f'<<b>{dot_html(node.name)}</b><br/><font point-size="8">{dot_html(node.details[0])}</font>>'
        return (f'"{node.id}" [id="{node.id}", class="host role-{node.role}", shape=note, fontsize=9, '
                f'label={label}, tooltip={dot_string(node.tooltip)}];')
    style = env_style(node.env)
    details = "".join(f'<br/><font point-size="8">{dot_html(line)}</font>' for line in node.details)
    return (f'"{node.id}" [id="{node.id}", class="segment env-{node.env}", style="rounded,filled", fillcolor="{style.fill}", '
            f'color="{style.border}", label=<{dot_html(node.name)}{details}>, tooltip={dot_string(node.tooltip)}];')


def _zone_card(node: Node) -> str:
    """The zone's subnets as a borderless table: the box title already names the zone."""
    rows = "".join(f"<tr><td>{dot_html(line)}</td></tr>" for line in node.details)
    label = f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">{rows}</table>>'
    return (f'"{node.id}" [id="{node.id}", class="zone-card", shape=plaintext, style="", fontsize=9, '
            f'label={label}, tooltip={dot_string(node.tooltip)}];')


def _device(node: Node) -> str:
    shape, fill, extra = _DEVICE_SHAPES.get(node.kind if node.kind in ("appliance", "group") else node.role or "", _DEVICE_SHAPES["router"])
    if node.zone is not None and node.kind == "device" and node.role != "firewall":
        fill = "#ffffff"
    details = "".join(f'<br/><font point-size="8">{dot_html(line)}</font>' for line in node.details)
    attributes = [f'id="{node.id}"', f'class="{node.kind} role-{node.role or "unknown"}{" marked" if node.marks else ""}"',
                  f"shape={shape}", f'fillcolor="{fill}"']
    if extra:
        attributes.append(extra)
    if node.marks is not None:
        details += f'<br/><font point-size="9" color="{MARK_COLOUR}"><b>▲ {dot_html(node.marks.text)}</b></font>'
        attributes += [f'color="{MARK_COLOUR}"', "penwidth=3"]
    attributes += [f"label=<<b>{dot_html(node.name)}</b>{details}>", f"tooltip={dot_string(node.tooltip)}"]
    return f'"{node.id}" [{", ".join(attributes)}];'


# --------------------------------------------------------------------------- rows


def _ranks(diagram: Diagram) -> list[str]:
    """One row per env level, rows chained top to bottom, zones of a row in sheet order."""
    rows = _rows(diagram)
    lines = []
    ordered = [(level, rows[level]) for level in sorted(rows)]
    anchors = set(zone_anchors(diagram).values()) if diagram.draws_zones else None
    for index, (level, row) in enumerate(ordered):
        lines.append(f'{_INDENT}{{rank=same; {"; ".join(f"{_q(n)}" for n in row)};}}')
        heads = [n for n in row if anchors is None or n in anchors]
        if len(heads) >= 2:
            lines += _ladder(f"row_{level}", heads, ordered[index - 1][1][0] if index else None)
    lines += [f"{_INDENT}{_q(upper[0])} -> {_q(lower[0])} [style=invis, minlen=2];"
              for (_, upper), (_, lower) in zip(ordered, ordered[1:], strict=False)]
    return lines


def _ladder(name: str, row: list[str], above: str | None) -> list[str]:
    """Keeps a row's zones left to right in sheet order (web, AP, DB).

    Flat edges between clusters do not order them, and ``ordering=out`` is not kept once clusters
    are involved; a row of invisible points that are in no cluster is kept in flat-edge order, and
    an edge from each point down to its zone makes any other order of the zones cost crossings.
    dot merges parallel edges and adds up their crossing penalties, so each rung is written
    ``_RUNG_STRENGTH`` times: out of order, the row costs more than any real line saves.
    """
    rungs = [f"{name}_{index}" for index in range(len(row))]
    lines = [f'{_INDENT}{{rank=same; {"; ".join(_q(r) for r in rungs)};}}']
    lines += [f'{_INDENT}{_q(r)} [style=invis, shape=point, width=0, label=""];' for r in rungs]
    lines.append(f"{_INDENT}{' -> '.join(_q(r) for r in rungs)} [style=invis];")
    if above is not None:
        lines.append(f"{_INDENT}{_q(above)} -> {_q(rungs[0])} [style=invis];")
    lines += [f"{_INDENT}{_q(r)} -> {_q(node_id)} [style=invis, weight=10];"
              for r, node_id in zip(rungs, row, strict=True) for _ in range(_RUNG_STRENGTH)]
    return lines


def _rows(diagram: Diagram) -> dict[int, list[str]]:
    """Per env level, the node ids on that row: each zone's anchor in sheet order (web, AP, DB),
    then, in the 'both' view, the zone's other subnets (a zone's subnets share its row)."""
    rows: dict[int, list[str]] = defaultdict(list)
    if not diagram.draws_zones:
        for node in diagram.nodes:
            level = level_of(node.env)
            if node.kind == "segment" and level is not None:
                rows[level].append(node.id)
        return rows
    anchors = zone_anchors(diagram)
    for zone in diagram.zones:
        if zone.level is not None and zone.id in anchors:
            rows[zone.level].append(anchors[zone.id])
    for zone in diagram.zones:
        if zone.level is not None:
            rows[zone.level] += [n.id for n in diagram.nodes if n.zone == zone.id and n.kind == "segment" and n.id != anchors.get(zone.id)]
    return rows


def zone_anchors(diagram: Diagram) -> dict[str, str]:
    """The node standing for each zone box: its card, else its first subnet, else its first member.

    Lines to a zone end at the box border (``lhead``), but Graphviz needs a node inside to aim at.
    """
    anchors: dict[str, str] = {}
    for kind in ("zone", "segment", "host", "device"):
        for node in diagram.nodes:
            if node.zone is not None and node.kind == kind and node.zone not in anchors:
                anchors[node.zone] = node.id
    return anchors


# --------------------------------------------------------------------------- lines


def _link(link: Link, diagram: Diagram, anchors: dict[str, str]) -> str:
    """A line from a device; it points down the sheet, so the device sits below the zones above it.

    A line to a zone is aimed at the zone's anchor and clipped at the box (``lhead``/``ltail``),
    except from a device drawn inside that very box.
    """
    source, target = link.source, anchors.get(link.target, link.target)
    attributes = [f'id="{link.id}"', f'class="link link-{link.kind}"', _LINK_STYLES[link.kind]]
    clip = diagram.is_zone(link.target) and diagram.node(link.source).zone != link.target
    if _points_up(link, diagram):
        source, target = target, source
        attributes.append("dir=back")
        if clip:
            attributes.append(f'ltail="cluster_{link.target}"')
    elif clip:
        attributes.append(f'lhead="cluster_{link.target}"')
    if link.kind == "transit" and not _transit_downwards(link, diagram):
        attributes.append("constraint=false")
    attributes += [f"label=<{'<br/>'.join(dot_html(line) for line in link.lines)}>", f"tooltip={dot_string(link.tooltip)}"]
    return f"{_q(source)} -> {_q(target)} [{', '.join(attributes)}];"


def _points_up(link: Link, diagram: Diagram) -> bool:
    """Whether the zone end of this line is above the device (so the edge must run zone → device)."""
    if link.kind == "transit":
        return _top_level(link.source, diagram) > _top_level(link.target, diagram)
    if link.kind in ("oob", "physical"):
        return False
    end_is_row = diagram.is_zone(link.target) or diagram.node(link.target).kind == "segment"
    level = level_of(diagram.env_of(link.target)) if end_is_row else None
    if level is None:
        return False
    if diagram.node(link.source).zone is not None:
        return True  # a device inside a zone hangs below that zone's card
    return level <= _top_level(link.source, diagram)


def _transit_downwards(link: Link, diagram: Diagram) -> bool:
    """A transit line may shape the layout only between devices on different rows (it is drawn from
    the higher to the lower); between devices of one row it would only drag rows out of order."""
    upper, lower = sorted((_top_level(link.source, diagram), _top_level(link.target, diagram)))
    return upper < lower < 99


def _top_level(device_id: str, diagram: Diagram) -> int:
    levels = [level_of(diagram.env_of(link.target)) for link in diagram.links
              if link.source == device_id and link.kind in ("attach", "vpn", "inline")]
    known = [level for level in levels if level is not None]
    return min(known) if known else 99


def _crossing(crossing: Crossing, diagram: Diagram, anchors: dict[str, str]) -> str:
    """A red dashed line from zone box to zone box, arrow at the destination.

    It is written top to bottom (``dir=back`` when the flow goes up the sheet), so it is an ordinary
    forward edge whose rank constraint the rows already satisfy: dot routes it short and straight.
    As a back edge or with ``constraint=false`` it is routed around the whole sheet.
    """
    tail, head, direction = crossing.source, crossing.target, "forward"
    if _zone_level(diagram, crossing.source) > _zone_level(diagram, crossing.target):
        tail, head, direction = head, tail, "back"
    width = 3 if crossing.severity == "critical" else 2
    label = f'<<b>{dot_html(crossing.label)}</b>>'
    tooltip = f"{crossing.src_name} → {crossing.dst_name}: {crossing.count} finding(s), worst {crossing.severity}: {crossing.label}"
    return (f'{_q(anchors[tail])} -> {_q(anchors[head])} [id="{crossing.id}", class="crossing severity-{crossing.severity}", '
            f'ltail="cluster_{tail}", lhead="cluster_{head}", color="{VIOLATION_COLOUR}", '
            f'fontcolor="{VIOLATION_COLOUR}", style=dashed, penwidth={width}, dir={direction}, arrowhead=normal, '
            f'arrowtail=normal, weight=0, fontsize=11, label={label}, tooltip={dot_string(tooltip)}];')


def _zone_level(diagram: Diagram, zone_id: str) -> int:
    level = diagram.zone(zone_id).level
    return 99 if level is None else level


# --------------------------------------------------------------------------- legend


def _legend(diagram: Diagram) -> list[str]:
    """Colours, shapes and line styles explained on the sheet itself."""
    rows = ['<tr><td colspan="2"><b>Legend</b></td></tr>']
    for env in diagram.envs():
        style = env_style(env)
        rows.append(f'<tr><td bgcolor="{style.fill}" border="1" color="{style.border}" width="28"> </td>'
                    f'<td align="left">{dot_html(style.title)}</td></tr>')
    rows += [
        '<tr><td>▭▭</td><td align="left">firewall (double border)</td></tr>',
        '<tr><td>◯</td><td align="left">router</td></tr>',
        '<tr><td>▢</td><td align="left">switch</td></tr>',
        '<tr><td>⬡</td><td align="left">appliance from the topology (inline IPS / WAF)</td></tr>',
        '<tr><td>▤</td><td align="left">security host (jump, PAM, proxy, WAF, AAA, log)</td></tr>',
        f'<tr><td><font color="{LINK_COLOUR}">━━</font></td><td align="left">interfaces in a zone / transit link</td></tr>',
        f'<tr><td><font color="{OOB_COLOUR}">┈┈</font></td><td align="left">out-of-band management port</td></tr>',
        f'<tr><td><font color="{env_style("remote").border}">╌╌</font></td><td align="left">remote-access VPN pool</td></tr>',
        '<tr><td>╌╌</td><td align="left">dashed box: zone declared, not in the configs</td></tr>',
    ]
    if any(link.kind == "physical" for link in diagram.links):
        rows.append(f'<tr><td><font color="{CABLE_COLOUR}"><b>━━</b></font></td><td align="left">cable (LLDP / CDP neighbours)</td></tr>')
    if diagram.overlay:
        rows += [
            f'<tr><td><font color="{VIOLATION_COLOUR}"><b>╌▶</b></font></td><td align="left"><font color="{VIOLATION_COLOUR}">'
            'crossing in breach, labelled with check ids</font></td></tr>',
            f'<tr><td><font color="{MARK_COLOUR}"><b>▲</b></font></td><td align="left"><font color="{MARK_COLOUR}">'
            'device with unwaived critical / high findings</font></td></tr>',
        ]
        if not diagram.draws_zones:
            rows += [f'<tr><td colspan="2" align="left"><font color="{VIOLATION_COLOUR}">{dot_html(c.src_name)} → '
                     f'{dot_html(c.dst_name)}: {dot_html(c.label)}</font></td></tr>' for c in diagram.crossings]
    rows += [f'<tr><td colspan="2" align="left"><i>{dot_html(note)}</i></td></tr>' for note in diagram.notes]
    table = f'<<table border="0" cellborder="0" cellspacing="2" cellpadding="2">{"".join(rows)}</table>>'
    return [
        f'{_INDENT}subgraph "cluster_legend" {{',
        f'{_INDENT * 2}label=""; id="legend"; class="legend"; style="rounded"; color="#90a4ae";',
        f'{_INDENT * 2}"legend_table" [id="legend_table", shape=plaintext, style="", fontsize=9, label={table}];',
        f"{_INDENT}}}",
    ]


def _legend_below(diagram: Diagram) -> list[str]:
    """The legend under the last row: at the top it would push the Internet off the centre."""
    rows = _rows(diagram)
    if not rows:
        return []
    return [f'{_INDENT}{_q(rows[max(rows)][-1])} -> "legend_table" [style=invis];']


def _q(node_id: str) -> str:
    return f'"{node_id}"'
