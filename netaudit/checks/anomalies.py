"""Art. 15.4 rule anomalies: shadowed and redundant rules, from the exact header-space analysis.

Both checks read one analysis per filter (``analysis/anomalies.py``), made once per audit on the
audit's ``HeaderSpace``.
"""

from __future__ import annotations

from collections.abc import Iterator

from netaudit.analysis.anomalies import RuleAnomaly, analyse_filter
from netaudit.checks.registry import Hit, Params, check
from netaudit.checks.rules import rule_facts_of, rule_key_of
from netaudit.context import AuditContext
from netaudit.model import Device, Filter, Rule

_Analysis = list[tuple[Device, Filter, list[RuleAnomaly]]]


def audit_anomalies(ctx: AuditContext) -> _Analysis:
    """Every packet filter's anomalies for this audit (findings and info facts), computed once for
    both checks and for the review outputs that show the info facts on each rule."""
    if ctx.anomalies is None:
        space = ctx.headerspace()
        ctx.anomalies = [(device, acl, analyse_filter(space, acl, ctx.as_of))
                         for device in ctx.devices for acl in device.filters.values() if acl.is_packet_filter]
    return ctx.anomalies


def _lines(rules: list[Rule]) -> str:
    return ", ".join(str(r.ref.line) for r in rules)


def _hit(device: Device, acl: Filter, anomaly: RuleAnomaly, facts: dict[str, object]) -> Hit:
    rule, covering = anomaly.rule, anomaly.covered_by
    facts = rule_facts_of(acl, rule) | {"lines": _lines(covering), "count": len(covering)} | facts
    return Hit(device, rule.ref, facts, key=rule_key_of(acl, rule), evidence=[r.ref for r in covering],
               covered_by=[r.ref.line for r in covering])


@check("shadowed-rule", articles=("15.4",), needs="rule", message={
    "en": "{filter}: rule can never match: earlier lines {lines} take all its traffic, and line(s) {opposite} {opposite_action} what it would {action}",
    "zh-TW": "{filter}：此規則永遠不會被匹配：前方第 {lines} 行已涵蓋其全部流量，其中第 {opposite} 行以相反動作（{opposite_action_zh}）處理其欲{action_zh}之流量",
})
def shadowed_rule(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device, acl, anomalies in audit_anomalies(ctx):
        for anomaly in anomalies:
            if anomaly.kind == "shadowed":
                rule = anomaly.rule
                opposite = [r for r in anomaly.covered_by if r.action != rule.action]
                yield _hit(device, acl, anomaly, {
                    "opposite": _lines(opposite), "action": rule.action, "action_zh": _ZH[rule.action],
                    "opposite_action": _OTHER[rule.action], "opposite_action_zh": _ZH[_OTHER[rule.action]],
                })


@check("redundant-rule", articles=("15.4",), needs="rule", message={
    "en": "{filter}: {why}",
    "zh-TW": "{filter}：{why_zh}",
})
def redundant_rule(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device, acl, anomalies in audit_anomalies(ctx):
        for anomaly in anomalies:
            if anomaly.kind == "redundant":
                action, lines = anomaly.rule.action, _lines(anomaly.covered_by)
                if anomaly.by_later:
                    why = f"removing this rule changes no decision: line {lines} later in the filter {_VERB[action]} all its traffic, with no rule of the opposite action in between"
                    why_zh = f"刪除此規則不影響任何判定：後方第 {lines} 行同樣{_ZH[action]}其全部流量，且其間無相反動作之規則"
                else:
                    why = f"rule can never match: earlier lines {lines}, all {action}, already take all its traffic"
                    why_zh = f"此規則永遠不會被匹配：前方第 {lines} 行（皆為{_ZH[action]}）已涵蓋其全部流量"
                yield _hit(device, acl, anomaly, {"why": why, "why_zh": why_zh, "by_later": anomaly.by_later})


_ZH = {"permit": "允許", "deny": "拒絕"}
_OTHER = {"permit": "deny", "deny": "permit"}
_VERB = {"permit": "permits", "deny": "denies"}


INFO_KINDS = ("partially-shadowed", "correlated", "generalization")


def rule_facts(ctx: AuditContext) -> list[dict[str, object]]:
    """Partial shadowing, correlation and generalization: facts on a rule for the review, not findings."""
    facts: list[dict[str, object]] = []
    for device, acl, anomalies in audit_anomalies(ctx):
        for anomaly in anomalies:
            if anomaly.kind in INFO_KINDS:
                facts.append({"device": device.name, "filter": acl.name, "file": anomaly.rule.ref.file, "line": anomaly.rule.ref.line,
                              "rule": anomaly.rule.ref.text, "kind": anomaly.kind, "related": [r.ref.line for r in anomaly.covered_by]})
    return facts
