"""draw.io / diagrams.net: an uncompressed ``<mxfile>`` the team can open, annotate and keep.

Zones are swimlane containers holding their shapes (move a zone and its hosts move with it);
every shape is an ``<object>`` carrying its facts (env, tier, class, platform, findings) as data
that diagrams.net shows under *Edit Data*. Labels are plain text (no ``html=1``), so a description
full of markup stays text; ElementTree does the XML escaping. Coordinates come from the pure-Python
grid layout, so the file is the same on every machine and diffs cleanly in git.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .escape import clean
from .layout import LEGEND_W, Box, Layout, layout
from .model import Crossing, Diagram, Link, Node, ZoneBox
from .style import CABLE_COLOUR, FONT, LINK_COLOUR, MARK_COLOUR, OOB_COLOUR, VIOLATION_COLOUR, env_style

_TEXT = f"fontFamily={FONT};html=0;whiteSpace=wrap;"
_DEVICE_STYLES = {
    "firewall": "shape=ext;double=1;rounded=0;fillColor=#ffccbc;strokeColor=#37474f;",
    "router": "ellipse;fillColor=#ffffff;strokeColor=#37474f;",
    "switch": "rounded=1;fillColor=#ffffff;strokeColor=#37474f;",
    "appliance": "shape=hexagon;perimeter=hexagonPerimeter2;size=0.1;fillColor=#fff9c4;strokeColor=#37474f;",
    "group": "shape=cube;size=6;fillColor=#ffffff;strokeColor=#37474f;",
}
_LINK_STYLES = {
    "attach": f"strokeColor={LINK_COLOUR};",
    "vpn": f"strokeColor={env_style('remote').border};dashed=1;",
    "oob": f"strokeColor={OOB_COLOUR};dashed=1;dashPattern=1 3;fontColor={OOB_COLOUR};",
    "transit": f"strokeColor={LINK_COLOUR};strokeWidth=2;",
    "inline": f"strokeColor={LINK_COLOUR};strokeWidth=2;",
    "physical": f"strokeColor={CABLE_COLOUR};strokeWidth=3;fontColor={CABLE_COLOUR};",
}


def render_drawio(diagram: Diagram) -> str:
    """The diagram as a draw.io file (XML text, one element per line)."""
    sheet = layout(diagram)
    mxfile = ET.Element("mxfile", host="netaudit", type="device")
    page = ET.SubElement(mxfile, "diagram", {"id": f"netaudit-{diagram.view}", "name": f"Network architecture ({diagram.view} view)"})
    model = ET.SubElement(page, "mxGraphModel", {
        "grid": "1", "gridSize": "10", "guides": "1", "tooltips": "1", "connect": "1", "arrows": "1", "fold": "1", "page": "1",
        "pageScale": "1", "pageWidth": _n(sheet.width), "pageHeight": _n(sheet.height), "math": "0", "shadow": "0"})
    root = ET.SubElement(model, "root")
    ET.SubElement(root, "mxCell", {"id": "0"})
    ET.SubElement(root, "mxCell", {"id": "1", "parent": "0"})
    _title(root, diagram)
    _zones(root, diagram, sheet)
    for node in diagram.nodes:
        _node(root, node, sheet)
    for link in diagram.links:
        _link(root, link, sheet.waypoints.get(link.id))
    if diagram.draws_zones:
        for crossing in diagram.crossings:
            _crossing(root, crossing)
    _legend(root, diagram, sheet)
    ET.indent(mxfile, space="  ")
    return ET.tostring(mxfile, encoding="unicode") + "\n"


# --------------------------------------------------------------------------- cells


def _vertex(root: ET.Element, cell_id: str, label: str, style: str, box: Box, parent: str = "1",
            parent_box: Box | None = None, **data: str) -> None:
    """An ``<object>`` (label and data) wrapping its vertex cell; coordinates relative to the parent."""
    holder = ET.SubElement(root, "object", _data(cell_id, label, data))
    cell = ET.SubElement(holder, "mxCell", {"style": style, "vertex": "1", "parent": parent})
    dx, dy = (parent_box.x, parent_box.y) if parent_box else (0.0, 0.0)
    ET.SubElement(cell, "mxGeometry", {"x": _n(box.x - dx), "y": _n(box.y - dy), "width": _n(box.w), "height": _n(box.h),
                                       "as": "geometry"})


def _edge(root: ET.Element, cell_id: str, label: str, style: str, source: str, target: str,
          points: list[tuple[float, float]] | None = None, **data: str) -> None:
    """An edge; ``points`` are its bends (absolute: edges live on the sheet, not in a container)."""
    holder = ET.SubElement(root, "object", _data(cell_id, label, data))
    cell = ET.SubElement(holder, "mxCell", {"style": style, "edge": "1", "parent": "1", "source": source, "target": target})
    geometry = ET.SubElement(cell, "mxGeometry", {"relative": "1", "as": "geometry"})
    if points:
        array = ET.SubElement(geometry, "Array", {"as": "points"})
        for x, y in points:
            ET.SubElement(array, "mxPoint", {"x": _n(x), "y": _n(y)})


def _title(root: ET.Element, diagram: Diagram) -> None:
    _vertex(root, "title", diagram.title, f"text;{_TEXT}fontSize=20;fontStyle=1;align=left;verticalAlign=top;",
            Box(40, 8, 900, 30), kind="title")
    subtitle = (f"Network architecture diagram · {diagram.view} view · as of {diagram.as_of.isoformat()}\n"
                f"source: {diagram.source or '(not given)'}")
    _vertex(root, "subtitle", subtitle, f"text;{_TEXT}fontSize=11;align=left;verticalAlign=top;", Box(40, 36, 900, 32),
            kind="subtitle", as_of=diagram.as_of.isoformat(), source=diagram.source)


def _zones(root: ET.Element, diagram: Diagram, sheet: Layout) -> None:
    """Env groups first, then zones: a container must precede what it contains."""
    for group in sheet.groups:
        env = group.removeprefix("env_")
        style = env_style(env)
        _vertex(root, group, style.title, f"swimlane;{_TEXT}startSize=24;rounded=1;dashed=1;fillColor=none;swimlaneFillColor=none;"
                f"strokeColor={style.border};fontColor={style.border};fontStyle=1;fontSize=13;align=left;spacingLeft=8;collapsible=0;",
                sheet.boxes[group], kind="env-group", env=env)
    for zone in diagram.zones:
        if zone.id in sheet.boxes:
            parent = sheet.parents.get(zone.id, "1")
            _vertex(root, zone.id, f"{zone.name}\n{zone.subtitle}", _zone_style(zone), sheet.boxes[zone.id], parent,
                    sheet.boxes.get(parent), **_zone_data(zone))


def _zone_style(zone: ZoneBox) -> str:
    style = env_style(zone.env)
    return (f"swimlane;{_TEXT}startSize=40;rounded=1;arcSize=8;fillColor={style.fill};swimlaneFillColor={style.fill};"
            f"strokeColor={style.border};strokeWidth=2;fontStyle=1;fontSize=12;align=left;spacingLeft=8;collapsible=0;"
            + ("dashed=1;" if not zone.seen else ""))


def _zone_data(zone: ZoneBox) -> dict[str, str]:
    data = {"kind": "zone", "zone": zone.name, "env": zone.env, "cidrs": ", ".join(zone.cidrs),
            "segments": "; ".join(zone.segments), "internet_facing": str(zone.internet_facing).lower()}
    if zone.tier:
        data["tier"] = zone.tier
    if zone.system_class is not None:
        data["system_class"] = str(zone.system_class)
    if not zone.seen:
        data["seen"] = "false"
    return data


def _node(root: ET.Element, node: Node, sheet: Layout) -> None:
    parent = sheet.parents.get(node.id, "1")
    box, parent_box = sheet.boxes[node.id], sheet.boxes.get(parent)
    lines = [node.name, *node.details]
    data = {"kind": node.kind, "name": node.name, "tooltip": node.tooltip}
    if node.kind == "zone":  # the card: the zone's subnets, inside the zone container
        data["kind"] = "zone-card"
        _vertex(root, node.id, "\n".join(node.details), f"text;{_TEXT}fontSize=10;align=left;verticalAlign=top;",
                box, parent, parent_box, **data)
        return
    if node.kind == "host":
        style = f"shape=note;size=8;{_TEXT}fontSize=9;fillColor=#ffffff;strokeColor=#37474f;"
        _vertex(root, node.id, "\n".join(lines), style, box, parent, parent_box, role=node.role or "", **data)
        return
    if node.kind == "segment":
        colours = env_style(node.env)
        style = f"rounded=1;{_TEXT}fontSize=10;fillColor={colours.fill};strokeColor={colours.border};"
        _vertex(root, node.id, "\n".join(lines), style, box, parent, parent_box, env=node.env, **data)
        return
    _device(root, node, box, parent, parent_box, data)


def _device(root: ET.Element, node: Node, box: Box, parent: str, parent_box: Box | None, data: dict[str, str]) -> None:
    style = _DEVICE_STYLES.get(node.kind if node.kind in ("appliance", "group") else node.role or "", _DEVICE_STYLES["router"])
    lines = [node.name, *node.details]
    if node.marks is not None:
        lines.append(f"▲ {node.marks.text}")
        style += f"strokeColor={MARK_COLOUR};strokeWidth=3;"
        data["findings"] = node.marks.text
        data["finding_checks"] = ", ".join(node.marks.checks)
    style += f"{_TEXT}fontSize=10;fontStyle=0;"
    data.update(role=node.role or "", platform=node.platform or "", stateful=str(node.stateful).lower())
    _vertex(root, node.id, "\n".join(lines), style, box, parent, parent_box, **data)


def _link(root: ET.Element, link: Link, points: list[tuple[float, float]] | None) -> None:
    """A line; one to a zone ends on the zone's container, which diagrams.net allows."""
    style = (f"edgeStyle=orthogonalEdgeStyle;rounded=1;orthogonalLoop=1;endArrow=none;{_TEXT}fontSize=9;"
             f"labelBackgroundColor=#ffffff;{_LINK_STYLES[link.kind]}")
    _edge(root, link.id, "\n".join(link.lines), style, link.source, link.target, points, kind=link.kind, tooltip=link.tooltip)


def _crossing(root: ET.Element, crossing: Crossing) -> None:
    width = 3 if crossing.severity == "critical" else 2
    style = (f"edgeStyle=none;curved=0;endArrow=block;endFill=1;dashed=1;strokeColor={VIOLATION_COLOUR};strokeWidth={width};"
             f"{_TEXT}fontSize=10;fontStyle=1;fontColor={VIOLATION_COLOUR};labelBackgroundColor=#ffffff;")
    _edge(root, crossing.id, crossing.label, style, crossing.source, crossing.target, kind="crossing",
          src_zone=crossing.src_name, dst_zone=crossing.dst_name, checks=crossing.label, severity=crossing.severity,
          findings=str(crossing.count))


# --------------------------------------------------------------------------- legend


def _legend(root: ET.Element, diagram: Diagram, sheet: Layout) -> None:
    """A container at the right: env colours, shapes, line styles (and the crossings, in the devices view)."""
    rows: list[tuple[str, str]] = [(f"rounded=0;fillColor={env_style(env).fill};strokeColor={env_style(env).border};", env_style(env).title)
                                   for env in diagram.envs()]
    rows += [(_DEVICE_STYLES["firewall"], "firewall"), (_DEVICE_STYLES["router"], "router"), (_DEVICE_STYLES["switch"], "switch"),
             (_DEVICE_STYLES["appliance"], "appliance from the topology (inline IPS / WAF)"),
             ("shape=note;size=6;fillColor=#ffffff;strokeColor=#37474f;", "security host (jump, PAM, proxy, WAF, AAA, log)"),
             (f"line;strokeWidth=2;strokeColor={LINK_COLOUR};", "interfaces in a zone / transit link"),
             (f"line;dashed=1;strokeColor={env_style('remote').border};", "remote-access VPN pool"),
             ("rounded=1;dashed=1;fillColor=none;strokeColor=#37474f;", "zone declared, not in the configs")]
    if any(link.kind == "physical" for link in diagram.links):
        rows.append((f"line;strokeWidth=3;strokeColor={CABLE_COLOUR};", "cable (LLDP / CDP neighbours)"))
    if diagram.overlay:
        rows += [(f"line;dashed=1;strokeWidth=2;strokeColor={VIOLATION_COLOUR};", "crossing in breach, labelled with check ids"),
                 (f"rounded=1;fillColor=#ffffff;strokeColor={MARK_COLOUR};strokeWidth=3;", "device with unwaived critical / high findings")]
    texts = [f"{c.src_name} → {c.dst_name}: {c.label}" for c in diagram.crossings] if diagram.overlay and not diagram.draws_zones else []
    texts += list(diagram.notes)
    height = 40 + 22 * len(rows) + 18 * len(texts)
    legend = Box(sheet.width - LEGEND_W - 20, 80, LEGEND_W, height)
    _vertex(root, "legend", "Legend", f"swimlane;{_TEXT}startSize=26;rounded=1;fillColor=#ffffff;swimlaneFillColor=#ffffff;"
            "strokeColor=#90a4ae;fontStyle=1;collapsible=0;", legend, kind="legend")
    for index, (style, text) in enumerate(rows):
        y = legend.y + 34 + 22 * index
        _vertex(root, f"legend_{index}_swatch", "", f"{style}html=0;", Box(legend.x + 10, y, 30, 16), "legend", legend)
        _vertex(root, f"legend_{index}_text", text, f"text;{_TEXT}fontSize=10;align=left;verticalAlign=middle;",
                Box(legend.x + 48, y - 2, LEGEND_W - 56, 20), "legend", legend)
    for index, text in enumerate(texts):
        y = legend.y + 34 + 22 * len(rows) + 18 * index
        colour = VIOLATION_COLOUR if index < len(texts) - len(diagram.notes) else "#37474f"
        _vertex(root, f"legend_note_{index}", text, f"text;{_TEXT}fontSize=9;align=left;fontColor={colour};",
                Box(legend.x + 10, y, LEGEND_W - 20, 18), "legend", legend)


def _data(cell_id: str, label: str, data: dict[str, str]) -> dict[str, str]:
    """An ``<object>``'s attributes: id, label, then the data, as one dict (attribute names such as
    ``parent`` must never meet ElementTree's keyword parameters)."""
    return {"id": cell_id, "label": clean(label), **{key: clean(value) for key, value in data.items()}}


def _n(value: float) -> str:
    """Whole pixels: no float noise in the file, so no spurious diffs."""
    return str(round(value))
