"""The diagram model: what the sheet shows, decided once, before any format is written.

The zone graph is exact but not a picture: every subnet is a node and every interface an edge. An
engineer draws zones as boxes, devices between them, one line per device and zone with the
interfaces written on it, transit /29s as plain lines between two devices. ``build_diagram`` makes
that contraction (and the findings overlay) here, so each renderer is a pure function that only
maps this model to its syntax — and the formats cannot disagree about what is on the sheet.

Everything is sorted, so the same input gives the same model, and so byte-identical output.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from netaudit.context import AuditContext
from netaudit.findings import SEVERITY_RANK, Finding
from netaudit.graph import Attachment, Segment, ZoneGraph
from netaudit.model import Device
from netaudit.neighbors import Cabling
from netaudit.topology import DeviceHint, Host, Topology, Zone

from .style import (
    DEVICE_ROLE_TITLES,
    SECURITY_HOST_ROLES,
    TIER_NAMES,
    TIER_ORDER,
    UNCLASSIFIED,
    level_of,
    short_interface,
)

VIEWS = ("zones", "devices", "both")
MARKED_SEVERITIES = ("critical", "high")
MAX_INSIDE_DEVICES = 8  # more devices than this inside one zone box are drawn as one summary shape


@dataclass(frozen=True, slots=True)
class ZoneBox:
    """A zone as drawn: a box coloured by env, titled with name, tier and system class."""

    id: str
    name: str
    env: str  # the topology env, or "unclassified" for a segment in no zone
    tier: str | None
    system_class: int | None
    internet_facing: bool
    cidrs: tuple[str, ...]  # as declared in the topology file
    segments: tuple[str, ...]  # what the configs put in it, one line each
    seen: bool  # False: declared in the topology but no interface of the configs is in it

    @property
    def level(self) -> int | None:
        return level_of(self.env)

    @property
    def subtitle(self) -> str:
        """``prod · AP tier · class 1``: the facts Art. 6 and 19(2) ask the diagram to show."""
        parts = [self.env]
        if self.tier:
            parts.append(TIER_NAMES.get(self.tier, self.tier))
        if self.system_class is not None:
            parts.append(f"class {self.system_class}")
        if self.internet_facing:
            parts.append("Internet-facing")
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Marks:
    """Unwaived critical/high findings on a device: the red border and the count on the sheet."""

    critical: int
    high: int
    checks: tuple[str, ...]

    @property
    def text(self) -> str:
        parts = [f"{count} {name}" for count, name in ((self.critical, "critical"), (self.high, "high")) if count]
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Node:
    """One shape: a zone's card, a segment, a device, an appliance from the topology, or a host."""

    id: str
    kind: str  # 'zone' (a zone's card), 'segment', 'device', 'appliance', 'host', 'group' (devices of a crowded zone)
    name: str
    env: str  # colours the shape
    zone: str | None = None  # id of the ZoneBox drawn around it
    details: tuple[str, ...] = ()  # label lines under the name
    role: str | None = None
    platform: str | None = None
    stateful: bool = False
    marks: Marks | None = None
    tooltip: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """A line from a device to a zone card, a segment or another device, labelled with interfaces.

    ``kind``: 'attach' (interfaces in a zone or segment), 'oob' (out-of-band management ports: no
    transit traffic), 'vpn' (a remote-access pool entering through an interface), 'transit' (a
    link subnet between two devices), 'inline' (an appliance the topology puts on a path),
    'physical' (a cable two devices' LLDP / CDP neighbour tables report: `netaudit collect` facts).
    """

    id: str
    kind: str
    source: str  # a node id (the device side)
    target: str  # a node id, or a zone id (zones view: the line ends at the zone's box)
    lines: tuple[str, ...]
    tooltip: str = ""


@dataclass(frozen=True, slots=True)
class Crossing:
    """Flow findings between two zones, aggregated: one red dashed line per zone pair and direction."""

    id: str
    source: str  # zone id
    target: str
    src_name: str
    dst_name: str
    checks: tuple[str, ...]
    severity: str  # the worst
    count: int

    @property
    def label(self) -> str:
        return ", ".join(self.checks)


@dataclass(frozen=True, slots=True)
class Diagram:
    """The sheet: title block, zones, shapes, lines and the findings overlay."""

    title: str
    as_of: date
    source: str
    view: str
    zones: tuple[ZoneBox, ...]
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    crossings: tuple[Crossing, ...] = ()
    overlay: bool = False  # findings were given (the legend explains red)
    notes: tuple[str, ...] = ()

    @property
    def draws_zones(self) -> bool:
        return self.view != "devices"

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)

    def is_zone(self, item_id: str) -> bool:
        """Whether a line's end is a zone (the zones view draws lines to the box, not to a shape)."""
        return any(z.id == item_id for z in self.zones)

    def env_of(self, item_id: str) -> str:
        """The env of a zone or a shape: what decides its row on the sheet."""
        zone = next((z for z in self.zones if z.id == item_id), None)
        return zone.env if zone is not None else self.node(item_id).env

    def zone(self, zone_id: str) -> ZoneBox:
        return next(z for z in self.zones if z.id == zone_id)

    def zone_members(self) -> defaultdict[str, list[Node]]:
        """The shapes drawn inside each zone box, by zone id, in node order (every renderer nests them)."""
        members: defaultdict[str, list[Node]] = defaultdict(list)
        for node in self.nodes:
            if node.zone is not None:
                members[node.zone].append(node)
        return members

    def envs(self) -> list[str]:
        """The envs on the sheet, in sheet order: what the legend needs to explain."""
        present = {z.env for z in self.zones} | {n.env for n in self.nodes if n.kind in ("zone", "segment")}
        if any(link.kind == "transit" for link in self.links):
            present.add("transit")
        return sorted(present, key=_env_sort_key)


# --------------------------------------------------------------------------- ids


@dataclass(slots=True)
class _Ids:
    """Stable, format-safe ids (``[a-z0-9_]``) for names that may hold anything a config allows.

    Names are slugged and a clash gets a counter; callers allocate in sorted order, so the same
    input always gives the same ids.
    """

    used: set[str] = field(default_factory=set)
    by_key: dict[tuple[str, str], str] = field(default_factory=dict)

    def get(self, prefix: str, name: str) -> str:
        key = (prefix, name)
        if key not in self.by_key:
            slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:48] or "x"
            candidate, n = f"{prefix}_{slug}", 2
            while candidate in self.used:
                candidate, n = f"{prefix}_{slug}_{n}", n + 1
            self.used.add(candidate)
            self.by_key[key] = candidate
        return self.by_key[key]


# --------------------------------------------------------------------------- building


def build_diagram(context: AuditContext, findings: list[Finding] | None = None, view: str = "zones", title: str = "",
                  as_of: date | None = None, source: str = "", cabling: Cabling | None = None) -> Diagram:
    """The diagram of the audited network for one view, with the findings overlay when given.

    ``view``: 'zones' (zone boxes and the devices between them, one line per device and zone),
    'devices' (devices and subnets, no boxes), 'both' (subnets inside their zone boxes).
    ``title`` defaults to the topology's name; ``as_of`` to the audit date. ``cabling``: the physical
    links the collected neighbour tables report (``netaudit.neighbors``), drawn between devices.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: one of {', '.join(VIEWS)}")
    builder = _Builder(context.graph, context.topology, view, _Ids())
    builder.build(findings)
    if cabling is not None:
        builder.physical_links(cabling)
    return Diagram(
        title=title or context.topology.name or "Network architecture",
        as_of=as_of or context.as_of,
        source=source,
        view=view,
        zones=tuple(builder.zones.values()),
        nodes=tuple(sorted(builder.nodes.values(), key=_node_sort_key)),
        links=tuple(sorted(builder.links, key=lambda link: (link.source, link.target, link.kind, link.id))),
        crossings=tuple(builder.crossings),
        overlay=findings is not None,
        notes=tuple(builder.notes),
    )


@dataclass(slots=True)
class _Builder:
    """Collects zones, nodes and links for one view; each step is one method, in ``build`` order."""

    zg: ZoneGraph
    topology: Topology
    view: str
    ids: _Ids
    zones: dict[str, ZoneBox] = field(default_factory=dict)  # by zone name
    nodes: dict[str, Node] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    crossings: list[Crossing] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    grouped: dict[str, str] = field(default_factory=dict)  # device name -> the group shape standing for it

    def build(self, findings: list[Finding] | None) -> None:
        self._allocate_ids()
        self._zones()
        marks = _device_marks(findings or [])
        inside = self._inside_devices() if self.view != "devices" else {}
        self._devices(marks, inside)
        self._appliances()
        if self.view != "devices":
            self._hosts()
        if self.view == "zones":
            self._zone_cards(self.zones.values())
            self._zone_links()
            self._oob_details()
        else:
            if self.view == "both":  # a declared zone with no subnet still needs a shape to be drawn at all
                self._zone_cards([zone for zone in self.zones.values() if not zone.seen])
            self._segment_nodes()
            self._segment_links()
        self._transit_links()
        self._inline_links()
        if findings is not None:
            self._crossings(findings)

    def _allocate_ids(self) -> None:
        """Ids in sorted name order, so a slug clash resolves the same way whatever order the files came in."""
        zone_names = {s.zone_name for s in self.zg.segments.values()} | set(self.topology.zones)
        for prefix, names in (("z", zone_names), ("d", set(self.zg.devices) | set(self.topology.devices)),
                              ("h", set(self.topology.hosts)), ("s", set(self.zg.segments))):
            for name in sorted(names):
                self.ids.get(prefix, name)

    # ---- zones

    def _zones(self) -> None:
        """Every zone a segment is in, and every declared zone (an unseen one is drawn dashed). Transit
        zones get no box: their subnets are drawn as lines between the devices they join."""
        by_zone: dict[str, list[Segment]] = defaultdict(list)
        for segment in self.zg.segments.values():
            if not segment.is_transit:
                by_zone[segment.zone_name].append(segment)
        declared = [z for z in self.topology.zones.values() if z.env != "transit" and z.name not in by_zone]
        boxes = [self._zone_box(name, segments) for name, segments in by_zone.items()]
        boxes += [self._declared_box(zone) for zone in declared]
        for box in sorted(boxes, key=_zone_sort_key):
            self.zones[box.name] = box

    def _zone_box(self, name: str, segments: list[Segment]) -> ZoneBox:
        zone = segments[0].zone
        lines = tuple(_segment_line(s) for s in sorted(segments, key=_segment_sort_key))
        if zone is None:  # an unclassified LAN: its own zone, in no env
            return ZoneBox(self.ids.get("z", name), name, UNCLASSIFIED, None, None, False, (), lines, True)
        return ZoneBox(self.ids.get("z", name), name, zone.env, zone.tier, zone.system_class, zone.internet_facing,
                       _cidrs(zone), lines, True)

    def _declared_box(self, zone: Zone) -> ZoneBox:
        return ZoneBox(self.ids.get("z", zone.name), zone.name, zone.env, zone.tier, zone.system_class,
                       zone.internet_facing, _cidrs(zone), (), False)

    def _zone_of(self, segment_id: str) -> ZoneBox | None:
        segment = self.zg.segments[segment_id]
        return None if segment.is_transit else self.zones.get(segment.zone_name)

    # ---- devices

    def _inside_devices(self) -> dict[str, str]:
        """Devices that sit in one zone only (an access switch): drawn inside its box, not between boxes.
        Not in the Internet's box: a router whose every interface is public is the edge router, and
        engineers draw it under the cloud, beside the firewall. A device with only out-of-band ports
        (a layer-2 leaf) sits in the network of those ports."""
        inside: dict[str, str] = {}
        for name in self.zg.devices:
            attachments = [a for a in self.zg.attachments(name) if a.transit_capable]
            if not attachments:  # a layer-2 switch with only its management port: it lives in that network
                attachments = self.zg.attachments(name)
            zones = {self._zone_of(a.segment) for a in attachments}
            box = zones.pop() if len(zones) == 1 else None
            if box is not None and box.env != "external":  # an Internet edge router is drawn under the Internet
                inside[name] = box.id
        return inside

    def _devices(self, marks: dict[str, Marks], inside: dict[str, str]) -> None:
        crowded = self._crowded_zones(inside)
        for zone_id in sorted(crowded):
            self._device_group(zone_id, sorted(n for n, z in inside.items() if z == zone_id), marks)
        for name in sorted(self.zg.devices):
            if inside.get(name) in crowded:
                continue
            device = self.zg.devices[name]
            hint = self.topology.devices.get(name)
            self.nodes[self._device_id(name)] = _device_node(self._device_id(name), device, hint, marks.get(name),
                                                             inside.get(name), self._zone_env(inside.get(name)))

    def _crowded_zones(self, inside: dict[str, str]) -> set[str]:
        """Zones with more devices inside than a box can show (the access layer of a large site)."""
        counts: dict[str, int] = defaultdict(int)
        for zone_id in inside.values():
            counts[zone_id] += 1
        return {zone_id for zone_id, count in counts.items() if count > MAX_INSIDE_DEVICES}

    def _device_group(self, zone_id: str, names: list[str], marks: dict[str, Marks]) -> None:
        """One shape for the devices inside a crowded zone: how many of each role, the names in the
        tooltip, and the red border when any of them has critical/high findings (the devices view
        draws each of them)."""
        roles: dict[str, int] = defaultdict(int)
        for name in names:
            hint = self.topology.devices.get(name)
            roles[hint.role if hint and hint.role else self.zg.devices[name].role] += 1
        marked = [marks[n] for n in names if n in marks]
        group_marks = Marks(sum(m.critical for m in marked), sum(m.high for m in marked),
                            tuple(sorted({c for m in marked for c in m.checks}))) if marked else None
        node_id = self.ids.get("g", zone_id)
        details = tuple(f"{count} × {_role_title(role)}" for role, count in sorted(roles.items()))
        title = f"{len(names)} device" + ("s" if len(names) != 1 else "")
        self.nodes[node_id] = Node(node_id, "group", title, self._zone_env(zone_id), zone=zone_id,
                                   details=details, role="group", marks=group_marks, tooltip=", ".join(names))
        self.grouped.update({name: node_id for name in names})

    def _device_id(self, name: str) -> str:
        return self.ids.get("d", name)

    def _zone_env(self, zone_id: str | None) -> str:
        return next((z.env for z in self.zones.values() if z.id == zone_id), "device")

    def _appliances(self) -> None:
        """Topology devices with no configuration in the set: inline IPS/WAF appliances, mostly."""
        for name in sorted(self.topology.devices):
            hint = self.topology.devices[name]
            if name in self.zg.devices or (hint.role is None and hint.inline is None):
                continue
            details = [_role_title(hint.role)]
            details.append(f"inline {hint.inline[0]} ↔ {hint.inline[1]}" if hint.inline else "no configuration in the set")
            self.nodes[self._device_id(name)] = Node(self._device_id(name), "appliance", name, "device",
                                                     details=tuple(details), role=hint.role,
                                                     tooltip=f"{name}: declared in the topology file")

    def _hosts(self) -> None:
        """Jump, PAM, proxy, WAF, AAA and log hosts, inside the zone their address is in."""
        for host in sorted(self.topology.hosts.values(), key=lambda h: h.name):
            if host.role not in SECURITY_HOST_ROLES:
                continue
            zone = self.topology.zone_of_address(host.ip)
            box = self.zones.get(zone.name) if zone is not None else None
            if box is None:
                self.notes.append(f"host {host.name} ({host.ip}) is in no zone on the diagram")
                continue
            self.nodes[self.ids.get("h", host.name)] = _host_node(self.ids.get("h", host.name), host, box)

    # ---- zones view: one card per zone, one line per device and zone

    def _zone_cards(self, zones: Iterable[ZoneBox]) -> None:
        for box in zones:
            details = box.segments or ("(no segment in the configs)",)
            self.nodes[f"card_{box.id}"] = Node(f"card_{box.id}", "zone", box.name, box.env, zone=box.id, details=details,
                                      tooltip=f"{box.name}: {box.subtitle}; cidrs {', '.join(box.cidrs) or 'none'}")

    def _zone_links(self) -> None:
        """Attachments grouped by device, zone and kind: five VLANs of a core switch in OA are one line."""
        groups: dict[tuple[str, str, str], list[Attachment]] = defaultdict(list)
        for name in sorted(self.zg.devices):
            if name in self.grouped:  # the group shape inside the zone stands for it
                continue
            for attachment in self.zg.attachments(name):
                box = self._zone_of(attachment.segment)
                if box is not None:
                    groups[(name, box.id, _link_kind(attachment))].append(attachment)
        for (name, zone_id, kind), attachments in sorted(groups.items()):
            ordered = sorted(attachments, key=self._attachment_sort_key)
            self.links.append(Link(f"l_{self._device_id(name)}__{zone_id}__{kind}", kind, self._device_id(name), zone_id,
                                   tuple(self._attachment_line(a) for a in ordered),
                                   "; ".join(_attachment_tooltip(a) for a in ordered)))

    def _oob_details(self) -> None:
        """Out-of-band ports carry no traffic between zones: written on the device instead of drawn as
        lines from every device to the management zone (the sheet would be mostly grey dots)."""
        for link in [link for link in self.links if link.kind == "oob"]:
            node = self.nodes[link.source]
            zone = next(z.name for z in self.zones.values() if z.id == link.target)
            lines = tuple(f"{line} → {zone}" for line in link.lines)
            self.nodes[node.id] = replace(node, details=node.details + lines, tooltip=f"{node.tooltip}; {link.tooltip}")
            self.links.remove(link)

    # ---- devices / both views: one node per subnet, one line per interface

    def _segment_nodes(self) -> None:
        for segment in sorted(self.zg.segments.values(), key=_segment_sort_key):
            if segment.is_transit and self.view == "both" and self._is_two_device_link(segment):
                continue
            box = self._zone_of(segment.id)
            env = box.env if box else (segment.zone.env if segment.zone else "transit")
            inside = box.id if box and self.view == "both" else None
            named = inside is None and segment.zone_name not in _segment_line(segment)  # the box names it otherwise
            self.nodes[self._segment_id(segment)] = Node(
                self._segment_id(segment), "segment", _segment_line(segment), env, zone=inside,
                details=(segment.zone_name,) if named else (), tooltip=f"{segment.id} in {segment.zone_name}")

    def _segment_links(self) -> None:
        for segment in sorted(self.zg.segments.values(), key=_segment_sort_key):
            node_id = self._segment_id(segment)
            if node_id not in self.nodes:
                continue
            for attachment in sorted(self.zg.attachments_on(segment.id), key=self._attachment_sort_key):
                if attachment.device in self.grouped:
                    continue
                device_id = self._device_id(attachment.device)
                label = _interface_text(attachment)
                self.links.append(Link(f"l_{device_id}__{node_id}__{_slug(label)}", _link_kind(attachment), device_id,
                                       node_id, (label,), _attachment_tooltip(attachment)))

    def _segment_id(self, segment: Segment) -> str:
        return self.ids.get("s", segment.id)

    # ---- transit: a /29 between two devices is a line between them

    def _is_two_device_link(self, segment: Segment) -> bool:
        return len({a.device for a in self.zg.attachments_on(segment.id)}) == 2

    def _transit_links(self) -> None:
        if self.view == "devices":
            return
        for segment in sorted(self.zg.segments.values(), key=_segment_sort_key):
            if not segment.is_transit:
                continue
            if not self._is_two_device_link(segment):
                self._transit_segment(segment)
                continue
            ends = sorted(self.zg.attachments_on(segment.id), key=lambda a: a.device)
            text = " — ".join(_interface_text(a) for a in ends)
            heading = segment.zone_name if segment.zone_name.endswith(str(segment.network)) else f"{segment.zone_name} {segment.network}"
            self.links.append(Link(f"l_{self._segment_id(segment)}", "transit", self._device_id(ends[0].device),
                                   self._device_id(ends[1].device), (heading, text),
                                   "; ".join(_attachment_tooltip(a) for a in ends)))

    def _transit_segment(self, segment: Segment) -> None:
        """A transit subnet shared by one or three-plus devices: a small node the devices hang off."""
        node_id = self._segment_id(segment)
        if node_id not in self.nodes:
            self.nodes[node_id] = Node(node_id, "segment", _segment_line(segment), "transit",
                                       details=(segment.zone_name,), tooltip=f"{segment.id} in {segment.zone_name}")
        if self.view == "both":
            return  # _segment_links drew its lines
        for attachment in sorted(self.zg.attachments_on(segment.id), key=self._attachment_sort_key):
            if attachment.device in self.grouped:
                continue
            device_id = self._device_id(attachment.device)
            self.links.append(Link(f"l_{device_id}__{node_id}", "transit", device_id, node_id,
                                   (_interface_text(attachment),), _attachment_tooltip(attachment)))

    def physical_links(self, cabling: Cabling) -> None:
        """One line per cable between two drawn devices (a device inside a group shape: the group),
        labelled with both ports; notes on neighbour files that could not be read go to the legend."""
        for cable in cabling.cables:
            a, b = (self.grouped.get(cable.a, self._device_id(cable.a)), self.grouped.get(cable.b, self._device_id(cable.b)))
            if a == b or a not in self.nodes or b not in self.nodes:
                continue
            text = f"{cable.a_port} — {cable.b_port}"
            self.links.append(Link(f"l_{a}__{b}__{_slug(cable.a_port)}__{_slug(cable.b_port)}", "physical", a, b, (text,),
                                   f"{cable.a} {cable.a_port} — {cable.b} {cable.b_port} ({cable.protocol.upper()})"))
        self.notes += cabling.notes

    # ---- inline appliances

    def _inline_links(self) -> None:
        """zone A — appliance — zone B, for each appliance the topology puts inline (no config of its own)."""
        for name in sorted(self.topology.devices):
            hint = self.topology.devices[name]
            if hint.inline is None or name in self.zg.devices:
                continue
            appliance = self._device_id(name)
            for zone_name in hint.inline:
                box = self.zones.get(zone_name)
                target = box.id if box is not None and self.view == "zones" else None
                if target is None:
                    target = self._first_segment_node(zone_name)
                if target is None:
                    self.notes.append(f"{name}: inline zone {zone_name} is not on the diagram")
                    continue
                self.links.append(Link(f"l_{appliance}__{target}", "inline", appliance, target,
                                       (f"inline ({_role_title(hint.role)})",), f"{name} is inline between {hint.inline[0]} and {hint.inline[1]}"))

    def _first_segment_node(self, zone_name: str) -> str | None:
        for segment in sorted(self.zg.segments.values(), key=_segment_sort_key):
            if segment.zone_name == zone_name and self._segment_id(segment) in self.nodes:
                return self._segment_id(segment)
        return None

    # ---- findings overlay

    def _crossings(self, findings: list[Finding]) -> None:
        pairs: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for finding in findings:
            if finding.waived or not finding.flow:
                continue
            src, dst = finding.flow.get("src_zone"), finding.flow.get("dst_zone")
            if isinstance(src, str) and isinstance(dst, str):
                pairs[(src, dst)].append(finding)
        for (src, dst), group in sorted(pairs.items()):
            if src not in self.zones or dst not in self.zones:
                self.notes.append(f"{src} → {dst}: {', '.join(sorted({f.check for f in group}))} (zone not drawn)")
                continue
            source, target = self.zones[src].id, self.zones[dst].id
            worst = max((f.severity for f in group), key=lambda s: SEVERITY_RANK[s])
            self.crossings.append(Crossing(f"x_{source}__{target}", source, target, src, dst,
                                           tuple(sorted({f.check for f in group})), worst, len(group)))

    # ---- labels

    def _attachment_sort_key(self, attachment: Attachment) -> tuple[str, str, str, str]:
        intf = attachment.interface
        return (attachment.device, _segment_sort_key(self.zg.segments[attachment.segment])[1], attachment.via,
                intf.name if intf else "")

    def _attachment_line(self, attachment: Attachment) -> str:
        """``Gi0/1 (dmz) 172.16.10.0/24``: the interface and what it is on."""
        return f"{_interface_text(attachment)} {_segment_line(self.zg.segments[attachment.segment])}"


# --------------------------------------------------------------------------- helpers


def _device_node(node_id: str, device: Device, hint: DeviceHint | None, marks: Marks | None, zone: str | None, env: str) -> Node:
    role = hint.role if hint and hint.role else device.role
    details = [f"{_role_title(role)} · {device.platform}" + (f" {device.version}" if device.version else "")]
    if device.stateful:
        details.append("stateful")
    if hint and hint.inline:
        details.append(f"inline {hint.inline[0]} ↔ {hint.inline[1]}")
    tooltip = f"{device.name}: {role}, {device.platform}, {device.file}"
    if marks is not None:
        tooltip += f"; findings {marks.text}: {', '.join(marks.checks)}"
    return Node(node_id, "device", device.name, env if zone else "device", zone=zone, details=tuple(details), role=role,
                platform=device.platform, stateful=device.stateful, marks=marks, tooltip=tooltip)


def _host_node(node_id: str, host: Host, box: ZoneBox) -> Node:
    role = f"{host.role} (MFA)" if host.mfa else str(host.role)
    return Node(node_id, "host", host.name, box.env, zone=box.id, details=(f"{role} {host.ip}",), role=host.role,
                tooltip=f"{host.name}: {role} host {host.ip}")


def _device_marks(findings: Iterable[Finding]) -> dict[str, Marks]:
    """Unwaived critical/high findings per device (a waived finding is an accepted, documented risk)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"critical": 0, "high": 0})
    checks: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        if finding.device and not finding.waived and finding.severity in MARKED_SEVERITIES:
            counts[finding.device][finding.severity] += 1
            checks[finding.device].add(finding.check)
    return {name: Marks(c["critical"], c["high"], tuple(sorted(checks[name]))) for name, c in counts.items()}


def _link_kind(attachment: Attachment) -> str:
    if attachment.via == "vpn":
        return "vpn"
    return "attach" if attachment.transit_capable else "oob"


def _interface_text(attachment: Attachment) -> str:
    """The interface as labelled on the device, shortened; a default route or VPN says so."""
    name = short_interface(attachment.interface.label) if attachment.interface else "?"
    if attachment.via == "default-route":
        return f"{name} default route"
    if attachment.via == "vpn":
        return f"{name} VPN"
    if not attachment.transit_capable:
        return f"{name} OOB"
    return name


def _attachment_tooltip(attachment: Attachment) -> str:
    intf = attachment.interface
    text = f"{attachment.device} {intf.label if intf else '?'}"
    if intf and intf.description:
        text += f" ({intf.description})"
    return text


def _segment_line(segment: Segment) -> str:
    if segment.kind == "external":
        return "default route: any public address"
    if segment.kind == "vpn-pool":
        return f"{segment.network} VPN pool {segment.id.rsplit(':', 1)[-1]}"
    return str(segment.network)


def _segment_sort_key(segment: Segment) -> tuple[int, str]:
    """Subnets in address order (10.10.10.0 before 10.10.9.0 is wrong: compare numerically)."""
    if segment.network is None:
        return (2, segment.id)
    return (0 if segment.kind == "subnet" else 1, f"{segment.network.version}:{int(segment.network.network_address):040d}/{segment.network.prefixlen:03d}:{segment.id}")


def _cidrs(zone: Zone) -> tuple[str, ...]:
    return tuple(str(c) for c in zone.cidrs)


def _role_title(role: str | None) -> str:
    return DEVICE_ROLE_TITLES.get(role or "", role or "device")


def _env_sort_key(env: str) -> tuple[int, str]:
    level = level_of(env)
    return (level if level is not None else 99, env)


def _zone_sort_key(box: ZoneBox) -> tuple[int, str, int, str]:
    return (*_env_sort_key(box.env), TIER_ORDER.get(box.tier, 3), box.name)


def _node_sort_key(node: Node) -> tuple[str, str]:
    return (node.kind, node.id)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
