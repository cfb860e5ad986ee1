"""`netaudit diff BASE HEAD`: what a change newly breaks or fixes, before it is deployed (Art. 15.1).

Both sides are audited with the same topology and policy, and their packet sets live in one
header space, so zone-to-zone flows can be compared exactly: *opened* are packets HEAD lets
through that BASE did not, *closed* the reverse, each attributed to the rule that permits (or
used to permit) them. Findings are compared by their stable id, so moved lines change nothing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from netaudit.analysis.flows import FlowGroup, group_flows
from netaudit.checks.runner import run_checks
from netaudit.context import AuditContext
from netaudit.findings import Finding
from netaudit.headerspace import HeaderSpace
from netaudit.model import Device
from netaudit.model_cache import ModelCache
from netaudit.pipeline import AuditResult, NotAssessed, prepare
from netaudit.policy import effective_params, load_policy
from netaudit.secrets import mask_lines
from netaudit.services import format_service
from netaudit.sources import DEFAULT_MAX_BYTES, read_source
from netaudit.waivers import Waiver, apply_waivers

MAX_CHANGED_LINES_SHOWN = 200


@dataclass(frozen=True, slots=True)
class FlowChange:
    change: str  # 'opened' or 'closed'
    src_zone: str
    dst_zone: str
    service: str
    device: str
    rule: str | None  # the permitting rule's text (HEAD for opened, BASE for closed), None when implicit
    file: str | None
    line: int | None
    example: str

    def to_json(self) -> dict[str, Any]:
        return {"change": self.change, "src_zone": self.src_zone, "dst_zone": self.dst_zone, "service": self.service,
                "device": self.device, "rule": self.rule, "file": self.file, "line": self.line, "example": self.example}


@dataclass(slots=True)
class DeviceChange:
    device: str
    base_file: str | None
    head_file: str | None
    added: list[str] = field(default_factory=list)  # masked lines
    removed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"device": self.device, "base_file": self.base_file, "head_file": self.head_file,
                "lines_added": len(self.added), "lines_removed": len(self.removed),
                "added": self.added[:MAX_CHANGED_LINES_SHOWN], "removed": self.removed[:MAX_CHANGED_LINES_SHOWN]}


@dataclass(slots=True)
class DiffResult:
    base: AuditResult
    head: AuditResult
    new: list[Finding]
    resolved: list[Finding]
    unchanged: list[Finding]
    flows: list[FlowChange]
    devices: list[DeviceChange]


def run_diff(
    base_inputs: list[str],
    head_inputs: list[str],
    topology_path: str | None = None,
    policy_path: str | None = None,
    as_of: date | None = None,
    waivers: list[Waiver] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    cache: ModelCache | None = None,
    jobs: int | None = None,
) -> DiffResult:
    pack = load_policy(policy_path)
    space = HeaderSpace()
    sides = []
    for inputs in (base_inputs, head_inputs):
        context, not_assessed = prepare(inputs, topology_path, as_of, max_bytes, cache=cache, jobs=jobs)
        context._space = space  # one header space: BASE and HEAD packet sets compare exactly
        params = effective_params(pack, context.topology.policy, context.topology.file, context.topology.policy_lines)
        params["allowed_flows"] = context.topology.allowed_flows
        findings = run_checks(context, pack, params)
        if waivers:
            findings = apply_waivers(findings, waivers, context.as_of, pack)
        sides.append((context, AuditResult(context.devices, not_assessed, findings, context.topology, pack, params, context.as_of)))
    (base_ctx, base), (head_ctx, head) = sides
    base_ids = {f.id for f in base.findings}
    head_ids = {f.id for f in head.findings}
    flows = flow_changes(base_ctx, head_ctx)
    for context in (base_ctx, head_ctx):  # paths and diagrams freed in order now, not by the cycle collector later
        context.release_analysis()
    return DiffResult(
        base, head,
        new=[f for f in head.findings if f.id not in base_ids],
        resolved=[f for f in base.findings if f.id not in head_ids],
        unchanged=[f for f in head.findings if f.id in base_ids],
        flows=flows,
        devices=device_changes(base.devices, head.devices, base.not_assessed + head.not_assessed),
    )


def flow_changes(base: AuditContext, head: AuditContext) -> list[FlowChange]:
    """Zone-to-zone packets newly permitted (opened) or no longer permitted (closed)."""
    zones = sorted(head.topology.zones)
    changes: list[FlowChange] = []
    base_reach, head_reach = base.reachability(), head.reachability()
    for src in zones:
        for dst in zones:
            if src == dst:
                continue
            base_paths, head_paths = base_reach.paths(src, dst), head_reach.paths(src, dst)
            before = _union(base_reach.space, [p.packets for p in base_paths])
            after = _union(head_reach.space, [p.packets for p in head_paths])
            for change, paths, packets in (("opened", head_paths, after - before), ("closed", base_paths, before - after)):
                if packets.is_empty():
                    continue
                pairs = [(src, dst, path, path.packets & packets) for path in paths]
                changes.extend(_change(change, group) for group in group_flows([p for p in pairs if not p[3].is_empty()]))
    return changes


def _union(space: HeaderSpace, sets: list) -> Any:  # type: ignore[type-arg]
    result = space.nothing()
    for packets in sets:
        result = result | packets
    return result


def _change(change: str, group: FlowGroup) -> FlowChange:
    sample = group.packets.sample()
    example = f"{sample.src} → {sample.dst} proto {sample.protocol}" + (f" port {sample.dst_port}" if sample and sample.protocol in (6, 17) else "") if sample else ""
    rule = group.rule
    service = ", ".join(format_service(s) for s in rule.services) if rule else "ip"
    return FlowChange(change, group.src_zone, group.dst_zone, service, group.device.name,
                      rule.ref.text if rule else None, rule.ref.file if rule else None, rule.ref.line if rule else None, example)


def device_changes(base: list[Device], head: list[Device], failed: list[NotAssessed]) -> list[DeviceChange]:
    """Configuration lines added and removed per device (matched by name), secrets masked."""
    base_by_name = {d.name: d for d in base}
    head_by_name = {d.name: d for d in head}
    changes = []
    for name in sorted(set(base_by_name) | set(head_by_name)):
        before, after = base_by_name.get(name), head_by_name.get(name)
        old = _lines(before.file) if before else []
        new = _lines(after.file) if after else []
        if old == new:
            continue
        change = DeviceChange(name, before.file if before else None, after.file if after else None)
        for line in difflib.ndiff(old, new):
            if line.startswith("+ "):
                change.added.append(line[2:])
            elif line.startswith("- "):
                change.removed.append(line[2:])
        changes.append(change)
    return changes


def _lines(path: str) -> list[str]:
    return [line.rstrip() for line in mask_lines(read_source(path).lines) if line.strip()]
