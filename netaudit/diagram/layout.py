"""A deterministic grid layout in pure Python, for the draw.io sheet.

draw.io needs coordinates, and Graphviz could supply them — but then the file would depend on
whether (and which version of) Graphviz is installed, and the diagram kept in git would change
when a colleague's machine differs. This layout uses only the model: rows in env order, zones of
a row side by side (web, AP, DB), the devices between two rows in a band under the upper one,
each near the zones it joins. diagrams.net routes the lines; the team moves boxes as they like.

Sizes come from a crude text-width estimate: good enough for labels to fit, and exactly the same
on every machine.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .model import Diagram, Node, ZoneBox
from .style import level_of

CHAR_W = 6.4  # px per character at font size 10 (Helvetica averages ~0.55 em)
LINE_H = 14
PAD = 14
GAP = 40  # between boxes of a row
ROW_GAP = 70  # between a row and the device band under it
ZONE_HEADER = 40  # swimlane title: zone name and subtitle
GROUP_HEADER = 26
HOSTS_PER_ROW = 3
TITLE_H = 70
LEGEND_W = 300
LANE_GAP = 10  # between side lanes of long lines
EXIT = 16  # how far out of a box a routed line turns
LEFT = 200  # left margin: lanes and their (centred) labels


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


@dataclass(slots=True)
class Layout:
    """Absolute boxes for nodes, zones and env groups; ``parents`` says which container holds what
    (draw.io stores child coordinates relative to the parent)."""

    boxes: dict[str, Box] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)  # id -> container id
    groups: dict[str, list[str]] = field(default_factory=dict)  # env group id -> zone ids
    waypoints: dict[str, list[tuple[float, float]]] = field(default_factory=dict)  # link id -> bends
    width: float = 0
    height: float = 0


def text_width(lines: tuple[str, ...] | list[str], char_w: float = CHAR_W) -> float:
    return max((len(line) for line in lines), default=0) * char_w


def node_size(node: Node) -> tuple[float, float]:
    """Width and height of a shape: its label lines, padded (devices get a line for the marks)."""
    lines = [node.name, *node.details] + ([node.marks.text] if node.marks else [])
    if node.kind == "zone":
        return text_width(node.details) + PAD * 2, len(node.details) * LINE_H + PAD
    minimum = {"device": 150, "appliance": 150, "group": 150, "host": 110, "segment": 120}.get(node.kind, 120)
    return max(minimum, text_width(lines) + PAD * 2), len(lines) * LINE_H + PAD


def layout(diagram: Diagram) -> Layout:
    """Positions for every shape of the diagram; the same diagram always gives the same numbers."""
    result = Layout()
    members = diagram.zone_members()
    items = _row_items(diagram, members, result)
    levels = _item_levels(diagram, items, result)
    bands = _device_bands(diagram, items, levels, result)
    _place(diagram, items, levels, bands, members, result)
    _route_long_links(diagram, result)
    return result


# --------------------------------------------------------------------------- sizes of row items


def _zone_size(zone: ZoneBox, members: list[Node]) -> tuple[float, float]:
    """A zone box holds its card (or subnets), then hosts three to a row, then the devices inside it."""
    width = text_width([zone.name, zone.subtitle], 7) + PAD * 2
    height: float = ZONE_HEADER + PAD
    for row in _zone_rows(members):
        sizes = [node_size(n) for n in row]
        width = max(width, sum(w for w, _ in sizes) + PAD * (len(sizes) + 1))
        height += max(h for _, h in sizes) + PAD
    return max(width, 180), height


def _zone_rows(members: list[Node]) -> list[list[Node]]:
    """Rows inside a zone box: card or subnets; hosts by three; devices."""
    rows: list[list[Node]] = []
    for kinds, per_row in ((("zone",), 1), (("segment",), HOSTS_PER_ROW), (("host",), HOSTS_PER_ROW), (("device", "appliance", "group"), HOSTS_PER_ROW)):
        picked = [n for n in members if n.kind in kinds]
        rows += [picked[i:i + per_row] for i in range(0, len(picked), per_row)]
    return rows


def _row_items(diagram: Diagram, members: dict[str, list[Node]], result: Layout) -> list[str]:
    """The top-level boxes of the rows: env groups (an env with several zones), lone zones, and subnets
    drawn on their own (every subnet in the devices view; a transit shared by three or more devices
    otherwise). Their sizes go into ``result.boxes`` at the origin for now."""
    items: list[str] = []
    for node in diagram.nodes:  # subnets drawn on their own: all of them in the devices view, else shared transits
        if node.kind == "segment" and node.zone is None:
            items.append(node.id)
            result.boxes[node.id] = Box(0, 0, *node_size(node))
    if not diagram.draws_zones:
        return items
    by_env: dict[str, list[ZoneBox]] = defaultdict(list)
    for zone in diagram.zones:
        if members[zone.id]:
            by_env[zone.env].append(zone)
            result.boxes[zone.id] = Box(0, 0, *_zone_size(zone, members[zone.id]))
    for env, zones in by_env.items():
        if len(zones) == 1:
            items.append(zones[0].id)
            continue
        group = f"env_{env}"
        result.groups[group] = [z.id for z in zones]
        width = sum(result.boxes[z.id].w for z in zones) + PAD * (len(zones) + 1)
        height = max(result.boxes[z.id].h for z in zones) + GROUP_HEADER + PAD
        result.boxes[group] = Box(0, 0, width, height)
        items.append(group)
    return items


# --------------------------------------------------------------------------- rows and bands


def _item_of(diagram: Diagram, result: Layout) -> dict[str, str]:
    """For every node and zone id, the row item it is drawn in."""
    owner: dict[str, str] = {}
    for group, zone_ids in result.groups.items():
        for zone_id in zone_ids:
            owner[zone_id] = group
    for zone in diagram.zones:
        owner.setdefault(zone.id, zone.id)
    for node in diagram.nodes:
        if node.zone is not None:
            owner[node.id] = owner.get(node.zone, node.zone)
        elif node.kind == "segment":
            owner[node.id] = node.id
    return owner


def _item_levels(diagram: Diagram, items: list[str], result: Layout) -> dict[str, int]:
    """Each row item's row: its env's level; an item with no level (unclassified, partner, transit)
    goes to the row under the device it hangs off."""
    owner = _item_of(diagram, result)
    levels: dict[str, int] = {}
    for item in items:
        level = level_of(_item_env(diagram, item, result))
        if level is not None:
            levels[item] = level
    device_top = _device_tops(diagram, owner, levels)
    last = max(levels.values(), default=0)
    for item in items:
        if item not in levels:
            tops = [device_top[link.source] for link in diagram.links
                    if owner.get(link.target) == item and link.source in device_top]
            levels[item] = min(min(tops, default=last) + 1, last)
    return levels


def _item_env(diagram: Diagram, item: str, result: Layout) -> str:
    if item in result.groups:
        return item.removeprefix("env_")
    zone = next((z for z in diagram.zones if z.id == item), None)
    return zone.env if zone else diagram.node(item).env


def _device_tops(diagram: Diagram, owner: dict[str, str], levels: dict[str, int]) -> dict[str, int]:
    """The highest row each free device is linked to: it is drawn in the band under that row."""
    tops: dict[str, int] = {}
    for link in diagram.links:
        if link.kind in ("oob", "transit", "physical"):
            continue
        level = levels.get(owner.get(link.target, ""))
        if level is not None:
            tops[link.source] = min(tops.get(link.source, level), level)
    return tops


def _device_bands(diagram: Diagram, items: list[str], levels: dict[str, int], result: Layout) -> dict[int, list[str]]:
    owner = _item_of(diagram, result)
    tops = _device_tops(diagram, owner, levels)
    last = max(levels.values(), default=0)
    bands: dict[int, list[str]] = defaultdict(list)
    for node in diagram.nodes:
        if node.kind in ("device", "appliance", "group") and node.zone is None:
            bands[tops.get(node.id, last)].append(node.id)
            result.boxes[node.id] = Box(0, 0, *node_size(node))
    return bands


# --------------------------------------------------------------------------- placing


def _place(diagram: Diagram, items: list[str], levels: dict[str, int], bands: dict[int, list[str]],
           members: dict[str, list[Node]], result: Layout) -> None:
    rows: dict[int, list[str]] = defaultdict(list)
    for item in items:
        rows[levels[item]].append(item)
    widths = [_row_width(rows[level], result) for level in rows]
    page = max([*widths, 600.0])
    y: float = TITLE_H
    for level in sorted(set(rows) | set(bands)):
        row = rows.get(level, [])
        if row:
            y = _place_row(row, y, page, result) + ROW_GAP
            for item in row:  # before the band below: devices are placed near these boxes
                _place_inside(item, diagram, members, result)
        if bands.get(level):
            y = _place_band(diagram, bands[level], y, result) + ROW_GAP
    result.width = max([page] + [b.x + b.w for b in result.boxes.values()]) + LEGEND_W + GAP * 2
    result.height = y


def _row_width(row: list[str], result: Layout) -> float:
    return sum(result.boxes[item].w for item in row) + GAP * (len(row) - 1)


def _place_row(row: list[str], y: float, page: float, result: Layout) -> float:
    """Row items side by side, the row centred on the page; returns the row's bottom."""
    x = LEFT + (page - _row_width(row, result)) / 2
    bottom = y
    for item in row:
        box = result.boxes[item]
        result.boxes[item] = Box(x, y, box.w, box.h)
        x += box.w + GAP
        bottom = max(bottom, y + box.h)
    return bottom


def _place_band(diagram: Diagram, devices: list[str], y: float, result: Layout) -> float:
    """Devices under a row, each near the middle of the boxes it links to, never overlapping."""
    wanted = {device: _wanted_x(diagram, device, result) for device in devices}
    x_min: float = LEFT
    bottom = y
    for device in sorted(devices, key=lambda d: (wanted[d], d)):
        box = result.boxes[device]
        x = max(wanted[device] - box.w / 2, x_min)
        result.boxes[device] = Box(x, y, box.w, box.h)
        x_min = x + box.w + GAP
        bottom = max(bottom, y + box.h)
    return bottom


def _wanted_x(diagram: Diagram, device: str, result: Layout) -> float:
    centres = []
    for link in diagram.links:
        if device in (link.source, link.target) and link.kind not in ("oob", "transit", "physical"):
            other = link.target if link.source == device else link.source
            box = result.boxes.get(other) or result.boxes.get(_zone_of(diagram, other) or "")
            if box is not None and box.y > 0:
                centres.append(box.cx)
    return sum(centres) / len(centres) if centres else LEFT


def _zone_of(diagram: Diagram, node_id: str) -> str | None:
    node = next((n for n in diagram.nodes if n.id == node_id), None)
    return node.zone if node else None


def _place_inside(item: str, diagram: Diagram, members: dict[str, list[Node]], result: Layout) -> None:
    """Zones inside their env group, and each zone's shapes inside the zone (absolute coordinates)."""
    if item in result.groups:
        group = result.boxes[item]
        x = group.x + PAD
        for zone_id in result.groups[item]:
            box = result.boxes[zone_id]
            result.boxes[zone_id] = Box(x, group.y + GROUP_HEADER, box.w, box.h)
            result.parents[zone_id] = item
            x += box.w + PAD
            _place_members(zone_id, members[zone_id], result)
    elif any(z.id == item for z in diagram.zones):
        _place_members(item, members[item], result)


def _place_members(zone_id: str, members: list[Node], result: Layout) -> None:
    zone = result.boxes[zone_id]
    y = zone.y + ZONE_HEADER
    for row in _zone_rows(members):
        x = zone.x + PAD
        height = 0.0
        for node in row:
            w, h = node_size(node)
            result.boxes[node.id] = Box(x, y, w, h)
            result.parents[node.id] = zone_id
            x += w + PAD
            height = max(height, h)
        y += height + PAD


# --------------------------------------------------------------------------- long lines


def _route_long_links(diagram: Diagram, result: Layout) -> None:
    """Lines that skip a row run down a lane at the side of the sheet instead of through the boxes
    in between: out of the box into the gap, sideways to the lane, along it, back in above the far
    box. Lanes are handed out in link order, left side for boxes left of centre, right otherwise."""
    content_right = max((b.x + b.w for key, b in result.boxes.items() if key not in result.parents), default=0.0)
    middle = (LEFT + content_right) / 2
    lanes = {"left": 0, "right": 0}
    for link in diagram.links:
        source, target = result.boxes.get(link.source), result.boxes.get(link.target)
        if source is None or target is None or not _skips_a_row(source, target):
            continue
        upper, lower = (source, target) if source.y < target.y else (target, source)
        side = "left" if (upper.cx + lower.cx) / 2 < middle else "right"
        x = max(12, LEFT / 2 - LANE_GAP * lanes[side]) if side == "left" else content_right + GAP / 2 + LANE_GAP * lanes[side]
        lanes[side] += 1
        out_y, in_y = upper.y + upper.h + EXIT, lower.y - EXIT
        points = [(upper.cx, out_y), (x, out_y), (x, in_y), (lower.cx, in_y)]
        result.waypoints[link.id] = points if upper is source else points[::-1]


def _skips_a_row(a: Box, b: Box) -> bool:
    """Whether the vertical gap between two boxes holds another row (more than one row gap)."""
    upper, lower = (a, b) if a.y < b.y else (b, a)
    return lower.y - (upper.y + upper.h) > 2 * ROW_GAP + LINE_H
