"""Art. 15.4 unused-rule: rules whose hit counter stayed at 0 over the review window.

Reads only ``context.hits`` (``netaudit.hits``: vendor readers turned into neutral counters), so
the check works for any platform with a reader. Silent without ``--hits``, for a rule with no
counter, for a counter tied to the rule by number or position rather than its own text (it may be
another rule's), and when the counters do not cover ``unused_days``: a rule cleared last week has
not proven anything.
"""

from __future__ import annotations

from collections.abc import Iterator

from netaudit.checks.registry import Hit, Params, check
from netaudit.checks.rules import packet_filter_rules, rule_facts_of, rule_key_of
from netaudit.context import AuditContext

_HOW = {"uptime": ("since the last reload", "自上次重新開機起"), "clear": ("since the counters were cleared", "自計數清除起"),
        "stated": ("since the date the collector states", "自收集者註明之日起")}


@check("unused-rule", articles=("15.4",), needs="hits", message={
    "en": "{filter}: no hits in the {days} days the counters cover ({how}, {since}); review period {unused_days} days",
    "zh-TW": "{filter}：計數涵蓋之 {days} 天內（{how_zh}，{since}）命中次數為 0；檢視期間 {unused_days} 天",
})
def unused_rule(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    hits = ctx.hits
    if hits is None:
        return
    window = int(params.get("unused_days", 180))
    for device, acl, rule in packet_filter_rules(ctx):
        if not rule.enabled:
            continue  # disabled-rule reports it; an inactive rule cannot count hits
        counter = hits.for_rule(rule)
        if counter is None or counter.hits != 0 or counter.coverage_days is None or counter.coverage_days < window:
            continue
        if counter.matched_by != "text":
            continue  # a counter tied by number or position may be another rule's: no evidence (load_hits warns)
        how, how_zh = _HOW.get(counter.since_how, (counter.since_how, counter.since_how))
        facts = rule_facts_of(acl, rule) | {
            "days": counter.coverage_days, "unused_days": window, "how": how, "how_zh": how_zh,
            "since": counter.since.date().isoformat() if counter.since else "?", "hits_file": counter.file,
        }
        yield Hit(device, rule.ref, facts, key=rule_key_of(acl, rule))
