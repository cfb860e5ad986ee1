"""Art. 19.2 segmentation checks on the topology and the zone graph (no flow analysis needed)."""

from __future__ import annotations

from collections.abc import Iterator

from netaudit.checks.registry import Hit, Params, check
from netaudit.context import AuditContext
from netaudit.graph import Attachment, crosses, unfiltered_joins
from netaudit.model import SourceRef

REQUIRED_ENVS = ("prod", "test", "oa")


def topology_ref(file: str, line: int) -> SourceRef:
    """Evidence from the topology file: the line as the user wrote it."""
    try:
        with open(file, encoding="utf-8-sig") as handle:
            text = handle.read().splitlines()[line - 1].strip()
    except (OSError, IndexError, UnicodeDecodeError):
        text = ""
    return SourceRef(file, line, text)
_ENV_ZH = {"prod": "正式營運", "test": "測試", "oa": "辦公室（OA）"}


def _zones_line(file: str) -> int:
    """The line of the 'zones:' key (the topology loader keeps lines per zone, not for the section)."""
    try:
        with open(file, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if line.startswith("zones:"):
                    return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1


@check("zone-missing", articles=("19.2",), needs="topology", message={
    "en": "{what}",
    "zh-TW": "{what_zh}",
})
def zone_missing(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    topology = ctx.topology
    if not topology.file:
        return  # without a topology file there are no zones to judge: reported as not assessable
    envs = {z.env for z in topology.zones.values()}
    for env in REQUIRED_ENVS:
        if env not in envs:
            facts = {"what": f"The topology declares no zone of env '{env}'", "what_zh": f"拓撲檔未宣告任何{_ENV_ZH[env]}（env: {env}）區域"}
            yield Hit(None, topology_ref(topology.file, _zones_line(topology.file)), facts, key=f"env {env}")
    prod = [z for z in topology.zones.values() if z.env == "prod"]
    if any(z.tier for z in prod):
        for zone in prod:
            if not zone.tier:
                facts = {
                    "what": f"Production zone '{zone.name}' has no tier while other production zones do",
                    "what_zh": f"正式營運區域「{zone.name}」未標示分層（tier），其他正式區域皆有",
                }
                yield Hit(None, topology_ref(topology.file, zone.line), facts, key=f"tier {zone.name}")


@check("unclassified-segment", articles=("19.2", "6"), needs="topology", message={
    "en": "Segment {segment} on {interface} is in no declared zone",
    "zh-TW": "介面 {interface} 的網段 {segment} 不屬於任何已宣告區域",
})
def unclassified_segment(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    if not ctx.topology.file:
        return  # without a topology every segment is undeclared: not assessable, not a finding
    for device in ctx.devices:
        for attachment in ctx.graph.attachments(device.name):
            segment = ctx.graph.segments[attachment.segment]
            if not segment.unclassified or attachment.interface is None:
                continue
            facts = {"segment": str(segment.network), "interface": attachment.interface.label}
            evidence = [attachment.interface.ref] if attachment.ref != attachment.interface.ref else []
            yield Hit(device, attachment.ref, facts, key=f"{attachment.interface.name} {segment.network}", evidence=evidence)


@check("unfiltered-crossing", articles=("19.2",), needs="topology", message={
    "en": "{zone_a} and {zone_b} are joined through {path} with no filtering point",
    "zh-TW": "{zone_a} 與 {zone_b} 經由 {path} 相連，路徑上無任何過濾控管點",
})
def unfiltered_crossing(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    reported: set[tuple[str, str, frozenset[str]]] = set()
    for join in unfiltered_joins(ctx.graph):
        if not crosses(join.source.zone, join.target.zone):
            continue
        zone_a, zone_b = sorted((join.source.zone_name, join.target.zone_name))
        devices = frozenset(h.device.name for h in join.hops)
        if (zone_a, zone_b, devices) in reported:
            continue
        reported.add((zone_a, zone_b, devices))
        first = join.hops[0]
        path = " → ".join(f"{h.device.name} ({_label(h.ingress)} → {_label(h.egress)})" for h in join.hops)
        refs = [a.interface.ref for h in join.hops for a in (h.ingress, h.egress) if a.interface is not None]
        flow = {
            "src_zone": join.source.zone_name, "dst_zone": join.target.zone_name, "service": "ip",
            "path": [{"device": h.device.name, "filter": None, "ingress": _label(h.ingress), "egress": _label(h.egress)} for h in join.hops],
        }
        facts = {"zone_a": zone_a, "zone_b": zone_b, "path": path}
        yield Hit(first.device, refs[0] if refs else None, facts, key=f"{zone_a} {zone_b} {sorted(devices)}",
                  evidence=refs[1:], flow=flow, file=first.device.file)


def _label(attachment: Attachment) -> str:
    return attachment.interface.label if attachment.interface else attachment.via
