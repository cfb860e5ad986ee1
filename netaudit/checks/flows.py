"""Art. 19 flow checks: what the zone graph lets through, judged zone pair by zone pair.

Each check asks one question of the reachability analysis (which packets of which zone pairs get
through), and reports one finding per permitting rule and zone pair, with every path behind it.
``env-crossing`` reports only what the more specific checks have not already reported for the same
rule and zone pair, so the same packets are not argued twice under two names.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from netaudit.analysis.flows import FlowGroup, describe_path, group_flows
from netaudit.analysis.reachability import Reachability
from netaudit.checks.registry import Hit, Params, check
from netaudit.context import AuditContext
from netaudit.headerspace import PacketSet
from netaudit.model import AddressSet, AddressTerm, Service
from netaudit.services import format_service
from netaudit.topology import Zone

ADMIN_HOST_ROLES = ("jump", "pam")
TRANSIT = "transit"


# --------------------------------------------------------------------------- shared analysis


@dataclass(slots=True)
class FlowQuestions:
    """Per-audit state: the reachability, and each check's groups (env-crossing subtracts them)."""

    ctx: AuditContext
    params: Params
    reach: Reachability
    reported: dict[str, list[FlowGroup]] = field(default_factory=dict)

    @property
    def space(self):  # type: ignore[no-untyped-def]
        return self.reach.space

    def zones(self, predicate: Callable[[Zone], bool]) -> list[Zone]:
        return [z for z in self.ctx.topology.zones.values() if predicate(z)]

    def hosts_space(self, roles: tuple[str, ...], field_name: str) -> PacketSet:
        hosts = [h for role in roles for h in self.ctx.topology.hosts_with_role(role)]
        if not hosts:
            return self.space.nothing()
        terms = tuple(AddressTerm.from_network(str(ipaddress.ip_network(h.ip))) for h in hosts)
        return self.space.addresses(field_name, AddressSet(terms))

    def services_space(self, services: list[Service]) -> PacketSet:
        return self.space.services(services)

    def flows(self, sources: list[Zone], destinations: list[Zone], query: PacketSet | None = None) -> list[FlowGroup]:
        pairs = []
        for src in sources:
            for dst in destinations:
                if src.name == dst.name:
                    continue
                for path in self.reach.paths(src.name, dst.name):
                    packets = path.packets if query is None else path.packets & query
                    if not packets.is_empty():
                        pairs.append((src.name, dst.name, path, packets))
        return group_flows(pairs)

    def services_in(self, packets: PacketSet, services: list[Service]) -> list[str]:
        return [format_service(s) for s in services if not (packets & self.space.service(s)).is_empty()]


def questions(ctx: AuditContext, params: Params) -> FlowQuestions:
    if ctx.flow_questions is None:
        ctx.flow_questions = FlowQuestions(ctx, params, ctx.reachability())
    return ctx.flow_questions


def is_external(zone: Zone) -> bool:
    return zone.env == "external"


def is_endpoint(zone: Zone) -> bool:
    return zone.env != TRANSIT


def group_service_text(q: FlowQuestions, group: FlowGroup, services: list[Service] | None) -> str:
    if services is not None:
        return ", ".join(q.services_in(group.packets, services))
    if group.rule is not None:
        return ", ".join(format_service(s) for s in group.rule.services) or group.rule.services_text
    return "ip"


def flow_hit(q: FlowQuestions, group: FlowGroup, service: str, extra: dict[str, object] | None = None) -> Hit:
    """A finding pointing at the group's rule (or the device that let it through implicitly)."""
    sample = group.packets.sample()
    first_step = group.paths[0][0].hops[0].steps[0]
    where = f"{group.device.name} {group.rule.ref.file}:{group.rule.ref.line}" if group.rule else None
    facts: dict[str, object] = {
        "src_zone": group.src_zone, "dst_zone": group.dst_zone, "service": service,
        "where": where or f"{group.device.name} (no rule: {first_step.implicit_reason_in('en')})",
        "where_zh": where or f"{group.device.name}（無規則：{first_step.implicit_reason_in('zh-TW')}）",
        "example": f"{sample.src} → {sample.dst}" if sample else "",
        "path": describe_path(group.paths[0][0]), "paths": len(group.paths),
    }
    facts.update(extra or {})
    return Hit(group.device, group.ref, facts, key=f"{group.key} {service}", flow=group.flow_json(service), file=group.device.file)


_FLOW_EN = "{src_zone} → {dst_zone} on {service} is permitted ({where}; e.g. {example})"
_FLOW_ZH = "{src_zone} → {dst_zone} 之 {service} 連線被允許（{where_zh}；例如 {example}）"


# --------------------------------------------------------------------------- Internet exposure


def _internet_exposure(ctx: AuditContext, params: Params, services_param: str, check_id: str, exclude_roles: tuple[str, ...] = ()) -> Iterator[Hit]:
    q = questions(ctx, params)
    services = params.services(services_param)
    query = q.services_space(services)
    if exclude_roles:
        query = query - q.hosts_space(exclude_roles, "dst")
    groups = q.flows(q.zones(is_external), q.zones(lambda z: not is_external(z) and is_endpoint(z)), query)
    q.reported[check_id] = groups
    for group in groups:
        yield flow_hit(q, group, group_service_text(q, group, services))


@check("plaintext-exposure", articles=("19.1",), needs="flow", message={"en": "Clear-text service reachable from the Internet: " + _FLOW_EN, "zh-TW": "網際網路可達明文服務：" + _FLOW_ZH})
def plaintext_exposure(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    yield from _internet_exposure(ctx, params, "plaintext_services", "plaintext-exposure")


@check("remote-admin-exposed", articles=("19.3",), needs="flow", message={"en": "Remote administration reachable straight from the Internet: " + _FLOW_EN, "zh-TW": "遠端管理服務可由網際網路直接連線（未經 VPN）：" + _FLOW_ZH})
def remote_admin_exposed(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    yield from _internet_exposure(ctx, params, "admin_services", "remote-admin-exposed")


def _inline(ctx: AuditContext, role: str, a: str, b: str) -> bool:
    return any(hint.role == role and hint.inline and set(hint.inline) == {a, b} for hint in ctx.topology.devices.values())


def _on_path_profiles(group: FlowGroup) -> set[str]:
    profiles: set[str] = set()
    for _, explained in group.paths:
        for decisions in explained:
            for decision in decisions:
                if decision.rule is not None:
                    profiles |= decision.rule.profiles
    return profiles


@check("waf-missing", articles=("19.4",), needs="flow", message={"en": "Web service reachable from the Internet without a WAF: " + _FLOW_EN, "zh-TW": "網際網路可達之網站服務未經 WAF 防護：" + _FLOW_ZH})
def waf_missing(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    q = questions(ctx, params)
    services = params.services("web_services")
    query = q.services_space(services) - q.hosts_space(("waf",), "dst")
    for group in q.flows(q.zones(is_external), q.zones(lambda z: not is_external(z) and is_endpoint(z)), query):
        if _inline(ctx, "waf", group.src_zone, group.dst_zone) or "waf" in _on_path_profiles(group):
            continue
        yield flow_hit(q, group, group_service_text(q, group, services))


@check("ips-missing", articles=("19.4",), needs="flow", message={
    "en": "Internet flows into {dst_zone} pass no IPS: {flows}",
    "zh-TW": "由網際網路進入 {dst_zone} 之連線未經入侵偵測及防禦（IPS）：{flows}",
})
def ips_missing(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    q = questions(ctx, params)
    by_zone: dict[str, list[FlowGroup]] = {}
    for group in q.flows(q.zones(is_external), q.zones(lambda z: z.internet_facing and is_endpoint(z))):
        if _inline(ctx, "ips", group.src_zone, group.dst_zone) or "ips" in _on_path_profiles(group):
            continue
        by_zone.setdefault(group.dst_zone, []).append(group)
    for zone, groups in sorted(by_zone.items()):
        first = min(groups, key=lambda g: (g.rule is None, g.key))
        flows = "; ".join(f"{g.src_zone} {group_service_text(q, g, None)} ({g.device.name}{':' + str(g.rule.ref.line) if g.rule else ''})" for g in groups)
        hit = flow_hit(q, first, group_service_text(q, first, None), {"flows": flows})
        hit.key = f"ips {zone}"
        yield hit


@check("firewall-missing", articles=("19.4",), needs="flow", message={
    "en": "Internet flow into {dst_zone} passes no stateful firewall (router ACLs only): {service} via {path}",
    "zh-TW": "由網際網路進入 {dst_zone} 之連線未經狀態式防火牆（僅路由器 ACL）：{service}，路徑 {path}",
})
def firewall_missing(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    q = questions(ctx, params)
    for group in q.flows(q.zones(is_external), q.zones(lambda z: z.internet_facing and is_endpoint(z))):
        stateless = [(path, explained) for path, explained in group.paths if not any(h.device.stateful for h in path.hops)]
        if not stateless:
            continue
        group.paths = stateless
        yield flow_hit(q, group, group_service_text(q, group, None))


# --------------------------------------------------------------------------- outbound


@check("oa-direct-internet", articles=("19.5",), needs="flow", message={"en": "Office network reaches the Internet directly, without a proxy or web filter: " + _FLOW_EN, "zh-TW": "辦公室網段未經代理伺服器或網頁過濾直接連線網際網路：" + _FLOW_ZH})
def oa_direct_internet(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    q = questions(ctx, params)
    query = q.space.everything() - q.hosts_space(("proxy",), "src")
    for group in q.flows(q.zones(lambda z: z.env == "oa"), q.zones(is_external), query):
        if {"webfilter", "dnsfilter"} & _on_path_profiles(group):
            continue
        yield flow_hit(q, group, group_service_text(q, group, None))


@check("unrestricted-outbound", articles=("19.7",), needs="flow", message={
    "en": "{src_zone} reaches the Internet on every service ({where})",
    "zh-TW": "{src_zone} 可使用任意服務連線網際網路（{where_zh}）",
})
def unrestricted_outbound(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    q = questions(ctx, params)
    for group in q.flows(q.zones(lambda z: z.env in {"prod", "dmz", "mgmt"}), q.zones(is_external)):
        if _every_service(group):
            yield flow_hit(q, group, "ip")


def _every_service(group: FlowGroup) -> bool:
    """Every filtering point on some path lets every protocol through (rules of protocol any, or no rule)."""
    for _, explained in group.paths:
        if all(all(d.rule is None or any(s.is_any for s in d.rule.services) for d in decisions) for decisions in explained):
            return True
    return False


# --------------------------------------------------------------------------- segmentation


def _admin_sources_excluded(q: FlowQuestions) -> PacketSet:
    return q.space.everything() - q.hosts_space(ADMIN_HOST_ROLES, "src")


@check("admin-bypasses-jump", articles=("19.6",), needs="flow", message={"en": "Admin access to production not through a jump host or PAM: " + _FLOW_EN, "zh-TW": "未經跳板機或特權帳號管理系統之正式環境管理連線：" + _FLOW_ZH})
def admin_bypasses_jump(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    q = questions(ctx, params)
    services = params.services("admin_services")
    query = q.services_space(services) & _admin_sources_excluded(q)
    groups = q.flows(q.zones(lambda z: z.env != "mgmt" and is_endpoint(z)), q.zones(lambda z: z.env in {"prod", "dmz"}), query)
    q.reported["admin-bypasses-jump"] = groups
    for group in groups:
        yield flow_hit(q, group, group_service_text(q, group, services))


@check("tier-bypass", articles=("19.2",), needs="flow", message={"en": "{why}: " + _FLOW_EN, "zh-TW": "{why_zh}：" + _FLOW_ZH})
def tier_bypass(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    q = questions(ctx, params)
    reported: list[FlowGroup] = []
    for db in q.zones(lambda z: z.tier == "db"):
        sources = q.zones(lambda z, db=db: is_endpoint(z) and z.env != "mgmt" and not (z.tier == "ap" and z.env == db.env))
        for group in q.flows(sources, [db], _admin_sources_excluded(q)):
            reported.append(group)
            yield flow_hit(q, group, group_service_text(q, group, None), {
                "why": "Database tier reached from a zone other than its application tier",
                "why_zh": "資料庫層可由應用程式層以外之區域直接連線"})
    prod_web = q.zones(lambda z: z.env == "prod" and z.tier == "web")
    for group in q.flows(q.zones(is_external), prod_web):
        direct = [(p, e) for p, e in group.paths if not _passes_dmz_or_waf(ctx, p)]
        if direct:
            group.paths = direct
            reported.append(group)
            yield flow_hit(q, group, group_service_text(q, group, None), {
                "why": "Production web tier reached from the Internet without passing the DMZ or a WAF",
                "why_zh": "正式環境網站層可由網際網路直接連線，未經 DMZ 或 WAF"})
    q.reported["tier-bypass"] = reported


def _passes_dmz_or_waf(ctx: AuditContext, path) -> bool:  # type: ignore[no-untyped-def]
    for hop in path.hops:
        segment = ctx.graph.segments[hop.egress.segment]
        if segment.zone is not None and segment.zone.env == "dmz":
            return True
        hint = ctx.topology.devices.get(hop.device.name)
        if hint is not None and hint.role == "waf":
            return True
    return False


@check("env-crossing", articles=("19.2",), needs="flow", message={"en": "Crossing between environments not in allowed_flows: " + _FLOW_EN, "zh-TW": "未列於允許清單（allowed_flows）之跨環境連線：" + _FLOW_ZH})
def env_crossing(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    q = questions(ctx, params)
    # The more specific checks are registered (and so run) before this one; a check disabled in the
    # policy pack reported nothing, so what it would have said stays with env-crossing.
    query = _admin_sources_excluded(q) - _allowed(q, params)
    internal = q.zones(lambda z: is_endpoint(z) and not is_external(z))
    sources = [z for z in internal if z.env != "mgmt"]
    specific: dict[str, PacketSet] = {}
    for groups in q.reported.values():
        for group in groups:
            specific[group.key] = specific.get(group.key, q.space.nothing()) | group.packets
    for group in q.flows(sources, internal, query):
        src, dst = ctx.topology.zones[group.src_zone], ctx.topology.zones[group.dst_zone]
        if src.env == dst.env:
            continue
        remaining = group.packets - specific.get(group.key, q.space.nothing())
        if remaining.is_empty():
            continue
        group.packets = remaining
        yield flow_hit(q, group, group_service_text(q, group, None))


def _allowed(q: FlowQuestions, params: Params) -> PacketSet:
    allowed = q.space.nothing()
    for flow in params.get("allowed_flows", []):
        allowed = allowed | (_endpoint(q, flow.src, "src") & _endpoint(q, flow.dst, "dst") & q.space.services(flow.services))
    return allowed


def _endpoint(q: FlowQuestions, reference: str, field_name: str) -> PacketSet:
    topology = q.ctx.topology
    if reference == "any":
        return q.space.everything()
    if reference.startswith("host:"):
        host = topology.hosts[reference[5:]]
        return q.space.addresses(field_name, AddressSet((AddressTerm.from_network(str(ipaddress.ip_network(host.ip))),)))
    if reference.startswith("env:"):
        env = reference[4:]
        result = q.space.nothing()
        for zone in topology.zones.values():
            if zone.env == env:
                result = result | q.reach.zone_space(zone, field_name)
        return result
    return q.reach.zone_space(topology.zones[reference], field_name)


# --------------------------------------------------------------------------- VPN


@check("vpn-without-mfa", articles=("19.3",), needs="topology", message={
    "en": "Remote-access VPN '{vpn}' authenticates {how} without multi-factor authentication",
    "zh-TW": "遠端存取 VPN「{vpn}」{how_zh}，未採多因子驗證",
})
def vpn_without_mfa(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device in ctx.devices:
        groups = {g.name: g for g in device.aaa_groups}
        for vpn in device.vpns:
            if vpn.kind != "remote-access" or vpn.mfa:
                continue
            weak: list[str] = []
            if vpn.local_auth or not vpn.auth_server_groups:
                weak.append("local users")
            for name in vpn.auth_server_groups:
                group = groups.get(name)
                servers = group.servers if group else []
                no_mfa = [s.host for s in servers if not _host_has_mfa(ctx, s.host)]
                if not servers or no_mfa:
                    weak.append(f"AAA group {name}" + (f" (servers without mfa: {', '.join(no_mfa)})" if no_mfa else " (no servers)"))
            if weak:
                facts = {"vpn": vpn.name, "how": "against " + " and ".join(weak), "how_zh": "以 " + "、".join(weak) + " 驗證"}
                yield Hit(device, vpn.ref, facts, key=vpn.name)


def _host_has_mfa(ctx: AuditContext, address: str) -> bool:
    try:
        host = ctx.topology.host_by_ip(address)
    except ValueError:
        return False
    return bool(host and host.mfa)
