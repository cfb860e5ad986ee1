"""load → parse → model → graph → analyse → check → findings. The CLI only calls this."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import netaudit.checks  # noqa: F401  (registers the checks)
from netaudit.checks.registry import Params
from netaudit.checks.runner import run_checks
from netaudit.context import AuditContext
from netaudit.errors import NetauditInputError
from netaudit.findings import Finding
from netaudit.graph import build_graph
from netaudit.model import Device
from netaudit.parsers import ParseError, parse_source
from netaudit.policy import PolicyPack, effective_params, load_policy
from netaudit.sources import DEFAULT_MAX_BYTES, config_paths, read_source
from netaudit.topology import Topology, load_topology


@dataclass(frozen=True, slots=True)
class NotAssessed:
    """A file that could not be audited, and why (the others are audited all the same)."""

    file: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}" if self.line else f"{self.file}: {self.reason}"


@dataclass(slots=True)
class AuditResult:
    devices: list[Device]
    not_assessed: list[NotAssessed]
    findings: list[Finding]
    topology: Topology
    pack: PolicyPack
    params: Params
    as_of: date
    warnings: list[str] = field(default_factory=list)


def load_devices(inputs: list[str], topology: Topology, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[Device], list[NotAssessed]]:
    """Parse every config; a bad file is listed as not assessed and never stops the others."""
    devices: list[Device] = []
    failures: list[NotAssessed] = []
    for path in config_paths(inputs):
        hint = topology.devices.get(Path(path).stem)
        try:
            device = parse_source(read_source(path, max_bytes), hint.platform if hint else None)
        except NetauditInputError as error:
            failures.append(NotAssessed(error.file, error.line, error.reason))
            continue
        except ParseError as error:
            failures.append(NotAssessed(path, error.line, error.reason))
            continue
        except Exception as error:  # a parser bug must not lose the other devices' findings
            failures.append(NotAssessed(path, None, f"internal parser error ({type(error).__name__}: {error}); please report it"))
            continue
        devices.append(device)
    _make_names_unique(devices)
    return devices, failures


def _make_names_unique(devices: list[Device]) -> None:
    counts = Counter(d.name for d in devices)
    for device in devices:
        if counts[device.name] > 1:
            device.warnings.append(f"hostname {device.name} is used by several files; named by file here")
            device.name = f"{device.name}@{Path(device.file).stem}"


def prepare(inputs: list[str], topology_path: str | None = None, as_of: date | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[AuditContext, list[NotAssessed]]:
    """Parse the configs and build the zone graph: what both an audit and a query start from."""
    topology = load_topology(topology_path) if topology_path else Topology()
    devices, not_assessed = load_devices(inputs, topology, max_bytes)
    if not devices:
        first = not_assessed[0] if not_assessed else NotAssessed(" ".join(inputs), None, "no configuration files found")
        raise NetauditInputError(first.file, first.line, first.reason)
    graph = build_graph(devices, topology)
    return AuditContext(devices, topology, graph, as_of or date.today()), not_assessed


def run_audit(
    inputs: list[str],
    topology_path: str | None = None,
    policy_path: str | None = None,
    as_of: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> AuditResult:
    pack = load_policy(policy_path)  # bad policy input is reported before any parsing
    context, not_assessed = prepare(inputs, topology_path, as_of, max_bytes)
    params = effective_params(pack, context.topology.policy, context.topology.file)
    params["allowed_flows"] = context.topology.allowed_flows
    findings = run_checks(context, pack, params)
    return AuditResult(context.devices, not_assessed, findings, context.topology, pack, params, context.as_of)
