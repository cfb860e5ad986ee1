"""The entry points the CLI and the HTML report call: configs in, diagram out.

``netaudit topology`` needs the zone graph and, for ``--findings``, the findings of the same audit;
``run_audit`` returns findings but not the context, so the two steps are made here from the same
pieces ``run_audit`` uses (prepare, the policy parameters, run_checks, waivers).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from netaudit.context import AuditContext
from netaudit.findings import Finding
from netaudit.graph import build_graph
from netaudit.model_cache import ModelCache
from netaudit.neighbors import load_cabling
from netaudit.pipeline import AuditResult, NotAssessed, prepare
from netaudit.sources import DEFAULT_MAX_BYTES

from .formats import render
from .graphviz import GraphvizMissing, inline_svg
from .model import Diagram, build_diagram


def describe_source(inputs: list[str], topology_path: str | None) -> str:
    """``sample_configs + topology/network.yaml``: the sheet says what it was drawn from (paths as given,
    so the text does not depend on the machine)."""
    parts = [Path(p).as_posix() for p in inputs]
    if topology_path:
        parts.append(Path(topology_path).as_posix())
    return " + ".join(parts)


def audit_findings(context: AuditContext, policy_path: str | None = None, waivers_path: str | None = None) -> list[Finding]:
    """The findings ``netaudit audit`` would report on this context (waivers applied when given)."""
    from netaudit.checks.runner import run_checks
    from netaudit.policy import effective_params, load_policy
    from netaudit.waivers import apply_waivers, load_waivers

    pack = load_policy(policy_path)
    params = effective_params(pack, context.topology.policy, context.topology.file, context.topology.policy_lines)
    params["allowed_flows"] = context.topology.allowed_flows
    findings = run_checks(context, pack, params)
    if waivers_path:
        findings = apply_waivers(findings, load_waivers(waivers_path), context.as_of, pack)
    return findings


def network_diagram(inputs: list[str], topology_path: str | None = None, *, view: str = "zones", findings: bool = False,
                    policy_path: str | None = None, waivers_path: str | None = None, as_of: date | None = None,
                    title: str = "", source: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                    cache: ModelCache | None = None, jobs: int | None = None) -> tuple[Diagram, list[NotAssessed]]:
    """Parse the configs, build the zone graph (and run the checks when ``findings``), make the diagram.

    Raises NetauditInputError for bad input, like ``netaudit audit``; files that cannot be parsed
    beside good ones come back as not assessed (the diagram then lacks those devices: say so).
    """
    context, not_assessed = prepare(inputs, topology_path, as_of, max_bytes, cache=cache, jobs=jobs)
    found = audit_findings(context, policy_path, waivers_path) if findings else None
    diagram = build_diagram(context, found, view, title, context.as_of,
                            describe_source(inputs, topology_path) if source is None else source,
                            load_cabling(inputs, context.devices))
    return diagram, not_assessed


def report_svg(result: AuditResult, source: str = "", *, search_path: str | None = None) -> str | None:
    """The zones diagram with the findings overlay as an inline ``<svg>`` for the HTML report, or
    None when Graphviz is not installed (a report must not fail for want of an optional binary)."""
    context = AuditContext(result.devices, result.topology, build_graph(result.devices, result.topology), result.as_of)
    diagram = build_diagram(context, result.findings, "zones", "", result.as_of, source)
    try:
        svg = render(diagram, "svg", search_path=search_path)
    except GraphvizMissing:
        return None
    assert isinstance(svg, str)
    return inline_svg(svg)
