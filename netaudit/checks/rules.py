"""Art. 15.4 rule review checks that read one rule at a time, and object references."""

from __future__ import annotations

from collections.abc import Iterator

from netaudit.analysis.zones import ZoneIndex
from netaudit.checks.registry import Hit, Params, check
from netaudit.context import AuditContext
from netaudit.dates import end_dates
from netaudit.graph import crosses
from netaudit.model import AddressSet, Device, Filter, Rule
from netaudit.services import format_service, services_overlap


def packet_filter_rules(ctx: AuditContext) -> Iterator[tuple[Device, Filter, Rule]]:
    """Every rule of every packet filter (route, NAT, crypto and split-tunnel ACLs are not filters)."""
    for device in ctx.devices:
        for acl in device.filters.values():
            if acl.is_packet_filter:
                for rule in acl.rules:
                    yield device, acl, rule


def active_permits(ctx: AuditContext) -> Iterator[tuple[Device, Filter, Rule]]:
    for device, acl, rule in packet_filter_rules(ctx):
        if rule.action == "permit" and rule.enabled:
            yield device, acl, rule


def source_only(acl: Filter) -> bool:
    """A standard ACL matches on the source alone; on a management line or SNMP community its
    destination (the device) and service (the management protocol) are not the rule's to say, so
    only its source is judged. Bound to an interface it filters all traffic and is judged whole."""
    return acl.kind == "standard" and "interface" not in acl.uses and "vpn" not in acl.uses


def rule_facts_of(acl: Filter, rule: Rule) -> dict[str, object]:
    """The facts every rule finding's message reads (shared by the rule, anomaly and hit-count checks)."""
    return {
        "filter": acl.name,
        "source": rule.sources.text or "any",
        "destination": rule.destinations.text or "any",
        "service": ", ".join(format_service(s) for s in rule.services) or rule.services_text,
    }


def rule_key_of(acl: Filter, rule: Rule) -> str:
    """A rule finding's identity: filter and rule text, never the line (ids survive moved lines)."""
    return f"{acl.name} {rule.ref.text}"


@check("any-any-rule", articles=("15.4",), needs="rule", message={
    "en": "{filter}: permit from any source to any destination for {service}",
    "zh-TW": "{filter}：允許任意來源至任意目的（服務 {service}）",
})
def any_any_rule(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device, acl, rule in active_permits(ctx):
        if rule.sources.is_any and rule.destinations.is_any and not source_only(acl):
            severity = "high" if any(s.is_any for s in rule.services) else "medium"
            yield Hit(device, rule.ref, rule_facts_of(acl, rule), key=rule_key_of(acl, rule), severity=severity)


def _too_wide(addresses: AddressSet, params: Params) -> bool:
    limits = {4: 32 - int(params.get("max_prefix", 16)), 6: 128 - int(params.get("max_prefix_v6", 48))}
    return addresses.is_any or any(bits > limits[version] for version, bits in addresses.widest_free_bits.items())


@check("broad-rule", articles=("15.4",), needs="rule", message={
    "en": "{filter}: broad permit ({why}): {source} → {destination} {service}",
    "zh-TW": "{filter}：規則範圍過大（{why_zh}）：{source} → {destination} {service}",
})
def broad_rule(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device, acl, rule in active_permits(ctx):
        if rule.sources.is_any and rule.destinations.is_any and not source_only(acl):
            continue  # any-any-rule reports it
        judge_all = not source_only(acl)
        why: list[tuple[str, str]] = []
        if judge_all and any(s.is_any for s in rule.services):
            why.append(("any service", "服務為 any"))
        if _too_wide(rule.sources, params):
            why.append(("wide source", "來源範圍過大"))
        if judge_all and _too_wide(rule.destinations, params):
            why.append(("wide destination", "目的範圍過大"))
        if why:
            facts = rule_facts_of(acl, rule) | {"why": ", ".join(w[0] for w in why), "why_zh": "、".join(w[1] for w in why)}
            yield Hit(device, rule.ref, facts, key=rule_key_of(acl, rule))


@check("risky-service-rule", articles=("15.4", "19.7"), needs="rule", message={
    "en": "{filter}: permits risky service {risky} {scope}: {source} → {destination}",
    "zh-TW": "{filter}：{scope_zh}允許高風險服務 {risky_zh}：{source} → {destination}",
})
def risky_service_rule(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    risky = params.services("risky_services")
    zones = ZoneIndex(ctx.topology)
    for device, acl, rule in active_permits(ctx):
        if source_only(acl):
            continue  # the management protocol itself is judged by mgmt-telnet / snmp-community
        matched = [format_service(r) for r in risky if any(services_overlap(s, r) for s in rule.services)]
        if not matched:
            continue
        listed = ", ".join(matched)
        risky_text = {"risky": listed, "risky_zh": listed}
        if any(s.is_any for s in rule.services):
            risky_text = {"risky": f"any (every protocol, so {listed})", "risky_zh": f"any（全部協定，含 {listed}）"}
        if rule.sources.is_any:
            scope, scope_zh = "from any source", "來源為 any，"
        elif _crosses_zones(zones, rule):
            scope, scope_zh = "across zones", "跨區域"
        else:
            continue
        facts = rule_facts_of(acl, rule) | risky_text | {"scope": scope, "scope_zh": scope_zh}
        yield Hit(device, rule.ref, facts, key=rule_key_of(acl, rule))


def _crosses_zones(zones: ZoneIndex, rule: Rule) -> bool:
    sources = zones.of(rule.sources)
    destinations = zones.of(rule.destinations)
    return any(crosses(a, b) for a in sources for b in destinations)


@check("undocumented-rule", articles=("15.4",), needs="rule", message={
    "en": "{filter}: permit rule has no remark tying it to a change request",
    "zh-TW": "{filter}：允許規則無備註（remark），無法對應變更申請單",
})
def undocumented_rule(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device, acl, rule in active_permits(ctx):
        if not (rule.remark and rule.remark.strip()):
            yield Hit(device, rule.ref, rule_facts_of(acl, rule), key=rule_key_of(acl, rule))


@check("expired-rule", articles=("15.4",), needs="rule", message={
    "en": "{filter}: rule ended on {end} ({how}), before the audit date {as_of}",
    "zh-TW": "{filter}：規則已於 {end} 到期（{how_zh}），早於稽核基準日 {as_of}",
})
def expired_rule(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device, acl, rule in packet_filter_rules(ctx):
        facts = rule_facts_of(acl, rule) | {"as_of": ctx.as_of.isoformat()}
        if rule.schedule_end is not None and rule.schedule_end < ctx.as_of:
            how = {"how": f"time-range {rule.schedule}", "how_zh": f"時間範圍 {rule.schedule}"}
            yield Hit(device, rule.ref, facts | how | {"end": rule.schedule_end.isoformat()}, key=rule_key_of(acl, rule))
            continue
        expired = [(end, text) for end, text in end_dates(rule.remark or "") if end < ctx.as_of]
        if expired:
            end, text = max(expired)
            how = {"how": f"remark says '{text}'", "how_zh": f"備註載明「{text}」"}
            evidence = [rule.remark_ref] if rule.remark_ref else []
            yield Hit(device, rule.ref, facts | how | {"end": end.isoformat()}, key=rule_key_of(acl, rule), evidence=evidence)


@check("disabled-rule", articles=("15.4",), needs="rule", message={
    "en": "{filter}: an inactive rule is still in the policy",
    "zh-TW": "{filter}：停用（inactive）的規則仍留在政策中",
})
def disabled_rule(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device, acl, rule in packet_filter_rules(ctx):
        if not rule.enabled:
            yield Hit(device, rule.ref, rule_facts_of(acl, rule), key=rule_key_of(acl, rule))


_KIND_NAMES = {"acl": ("access list", "存取清單"), "object": ("object", "物件"), "object-group": ("object-group", "物件群組"), "time-range": ("time-range", "時間範圍")}


def _kind(kind: str) -> tuple[str, str]:
    return _KIND_NAMES.get(kind, (kind, kind))


@check("undefined-reference", articles=("15.4",), needs="rule", message={
    "en": "{kind} '{name}' is referenced ({context}) but never defined{consequence}",
    "zh-TW": "引用了未定義的{kind_zh}「{name}」（{context}）{consequence_zh}",
})
def undefined_reference(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device in ctx.devices:
        defined = {(d.kind, d.name) for d in device.definitions}
        undefined_permits = {b.filter_name for b in device.bindings if b.undefined_permits}
        reported: set[tuple[str, str, int]] = set()
        for ref in device.references:
            if (ref.kind, ref.name) in defined or (ref.kind, ref.name, ref.ref.line) in reported:
                continue
            reported.add((ref.kind, ref.name, ref.ref.line))
            kind, kind_zh = _kind(ref.kind)
            permits = ref.kind == "acl" and ref.name in undefined_permits
            facts = {
                "kind": kind[0].upper() + kind[1:], "kind_zh": kind_zh, "name": ref.name, "context": ref.context or ref.kind,
                "consequence": ": the platform then permits all traffic" if permits else "",
                "consequence_zh": "，設備因此允許所有流量" if permits else "",
            }
            yield Hit(device, ref.ref, facts, key=f"{ref.kind} {ref.name} {ref.ref.text}")


@check("unused-object", articles=("15.4",), needs="rule", message={
    "en": "{kind} '{name}' is defined but never used",
    "zh-TW": "{kind_zh}「{name}」已定義但未被使用",
})
def unused_object(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device in ctx.devices:
        used = {(r.kind, r.name) for r in device.references}
        seen: set[tuple[str, str]] = set()
        for definition in device.definitions:
            key = (definition.kind, definition.name)
            if key in used or key in seen:
                continue
            seen.add(key)
            kind, kind_zh = _kind(definition.kind)
            yield Hit(device, definition.ref, {"kind": kind[0].upper() + kind[1:], "kind_zh": kind_zh, "name": definition.name}, key=f"{definition.kind} {definition.name}")
