"""Per-device checks: management plane, accounts, secrets, logging, time (Art. 4-1, 17.2, 19.7)."""

from __future__ import annotations

from collections.abc import Iterator

from netaudit.checks.registry import Hit, Params, check
from netaudit.context import AuditContext
from netaudit.model import Device, ManagementService

LOGIN_SERVICES = {"login", "ssh", "telnet", "http", "https", "console", "serial", "exec", "default"}


@check("mgmt-telnet", articles=("19.7",), message={
    "en": "Telnet management is enabled ({context}){default_note}",
    "zh-TW": "啟用 Telnet 明文管理連線（{context}）{default_note_zh}",
})
def mgmt_telnet(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    yield from _management_protocol(ctx, "telnet")


@check("mgmt-http", articles=("19.7",), message={
    "en": "Plain-HTTP management is enabled ({context}){default_note}",
    "zh-TW": "啟用 HTTP 明文管理介面（{context}）{default_note_zh}",
})
def mgmt_http(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    yield from _management_protocol(ctx, "http")


def _management_protocol(ctx: AuditContext, protocol: str) -> Iterator[Hit]:
    for device in ctx.devices:
        for service in device.management:
            if service.protocol == protocol:
                yield Hit(device, service.ref, _service_facts(service), key=f"{protocol} {service.context}")


def _service_facts(service: ManagementService) -> dict[str, object]:
    return {
        "context": service.context or service.ref.text,
        "protocol": service.protocol,
        "default_note": " (vendor default: not disabled in the configuration)" if service.default else "",
        "default_note_zh": "（設備預設值，組態未關閉）" if service.default else "",
    }


@check("snmp-community", articles=("19.7",), message={
    "en": "SNMPv{version} community {reason}",
    "zh-TW": "SNMPv{version} community {reason_zh}",
})
def snmp_community(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    guessable = {str(c).lower() for c in params.get("guessable_communities", [])}
    for device in ctx.devices:
        for community in device.snmp:
            if community.version not in {"1", "2c"}:
                continue
            value = community.community.lower()
            facts = {"version": community.version}
            if value in guessable or value == device.name.lower():
                facts |= {"reason": "is a default or guessable value", "reason_zh": "為預設值或易猜測字串"}
                yield Hit(device, community.ref, facts, severity="high")
            elif community.acl is None:
                facts |= {"reason": "is not restricted by an ACL", "reason_zh": "未以 ACL 限制來源"}
                yield Hit(device, community.ref, facts, severity="medium")


_SERVICE_LABELS = {
    "tcp-small-servers": ("TCP small servers (echo, discard, chargen)", "TCP small servers（echo、discard、chargen）"),
    "udp-small-servers": ("UDP small servers (echo, discard, chargen)", "UDP small servers（echo、discard、chargen）"),
    "finger": ("the finger service", "finger 服務"),
    "bootp-server": ("the BOOTP server", "BOOTP 伺服器"),
    "source-route": ("IP source routing", "IP 來源路由（source routing）"),
    "pad": ("the X.25 PAD service", "X.25 PAD 服務"),
}


@check("legacy-service", articles=("19.7",), message={
    "en": "{service} is on{how}",
    "zh-TW": "{service_zh}仍啟用{how_zh}",
})
def legacy_service(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device in ctx.devices:
        for service in device.services:
            if not service.enabled or service.name not in _SERVICE_LABELS:
                continue
            en, zh = _SERVICE_LABELS[service.name]
            facts = {
                "service": en[0].upper() + en[1:], "service_zh": zh,
                "how": " (vendor default: not disabled in the configuration)" if service.default else "",
                "how_zh": "（設備預設啟用，組態未關閉）" if service.default else "",
            }
            yield Hit(device, service.ref, facts, key=service.name, file=device.file)
        yield from _discovery_on_external(ctx, device)


def _discovery_on_external(ctx: AuditContext, device: Device) -> Iterator[Hit]:
    """CDP/LLDP on an interface facing an external zone tells outsiders the platform and version."""
    reported: set[tuple[str, str]] = set()
    for attachment in ctx.graph.attachments(device.name):
        segment = ctx.graph.segments[attachment.segment]
        intf = attachment.interface
        if intf is None or segment.zone is None or segment.zone.env != "external":
            continue
        for protocol, enabled in (("CDP", intf.cdp), ("LLDP", intf.lldp)):
            if enabled and (intf.name, protocol) not in reported:
                reported.add((intf.name, protocol))
                facts = {
                    "service": f"{protocol} on {intf.label}, which faces {segment.zone.name}",
                    "service_zh": f"面向 {segment.zone.name} 的介面 {intf.label} 之 {protocol}",
                    "how": "", "how_zh": "",
                }
                yield Hit(device, intf.ref, facts, key=f"{protocol} {intf.name}")


@check("shared-account", articles=("4-1.6", "15.2"), message={
    "en": "Local account '{user}' has a generic, shared name",
    "zh-TW": "本機帳號「{user}」為通用共用帳號名稱",
})
def shared_account(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    names = {str(n).lower() for n in params.get("shared_account_names", [])}
    for device in ctx.devices:
        for user in device.users:
            if user.name.lower() in names:
                yield Hit(device, user.ref, {"user": user.name}, key=user.name)


_STORAGE = {
    "plaintext": ("high", "in clear text", "以明文儲存"),
    "reversible": ("high", "with reversible encoding", "以可還原之編碼儲存"),
    "device-key": ("high", "encrypted with a key that is the same on every device of the vendor", "以原廠共用金鑰加密，等同可還原"),
    "weak-hash": ("medium", "as a weak hash", "以弱雜湊演算法儲存"),
}
_KIND_LABELS = {
    "enable": ("enable password", "enable 密碼"), "user": ("password of user", "使用者密碼"),
    "line": ("line password", "線路密碼"), "aaa-key": ("AAA server key", "AAA 伺服器金鑰"),
    "psk": ("VPN pre-shared key", "VPN 預先共用金鑰"), "ntp-key": ("NTP key", "NTP 金鑰"),
    "snmp": ("SNMP secret", "SNMP 密碼"),
}


@check("weak-password-storage", articles=("4-1.7",), message={
    "en": "The {what}{owner} is stored {how}{scheme}",
    "zh-TW": "{what_zh}{owner}{how_zh}{scheme}",
})
def weak_password_storage(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device in ctx.devices:
        for secret in device.secrets:
            if secret.storage not in _STORAGE:
                continue
            severity, how, how_zh = _STORAGE[secret.storage]
            what, what_zh = _KIND_LABELS.get(secret.kind, (secret.kind, secret.kind))
            facts = {
                "what": what, "what_zh": what_zh, "how": how, "how_zh": how_zh,
                "owner": f" {secret.owner}" if secret.owner else "",
                "scheme": f" ({secret.scheme})" if secret.scheme else "",
            }
            yield Hit(device, secret.ref, facts, severity=severity, key=f"{secret.kind} {secret.owner} {secret.ref.text}")


@check("no-central-aaa", articles=("4-1.10", "15.3"), message={
    "en": "Device logins authenticate only against local accounts (no TACACS+/RADIUS/LDAP login method)",
    "zh-TW": "設備登入僅以本機帳號驗證，未使用 TACACS+／RADIUS／LDAP 集中驗證",
})
def no_central_aaa(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device in ctx.devices:
        logins = [m for m in device.aaa_methods if m.kind == "authentication" and m.service in LOGIN_SERVICES]
        if any(m.central for m in logins):
            continue
        yield Hit(device, logins[0].ref if logins else None, {}, key="login", file=device.file)


@check("no-command-accounting", articles=("4-1.5", "17.2"), message={
    "en": "No command accounting or configuration-change logging is configured",
    "zh-TW": "未設定指令稽核紀錄（command accounting）或組態變更紀錄",
})
def no_command_accounting(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device in ctx.devices:
        if device.config_change_logging:
            continue
        if any(m.kind == "accounting" and m.service == "commands" and m.central for m in device.aaa_methods):
            continue
        yield Hit(device, None, {}, key="accounting", file=device.file)


@check("unrestricted-mgmt-access", articles=("4-1.3",), message={
    "en": "{protocol} management is open to any source ({context}){reason}",
    "zh-TW": "{protocol} 管理連線未限制來源位址（{context}）{reason_zh}",
})
def unrestricted_mgmt_access(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device in ctx.devices:
        for service in device.management:
            reason = _unrestricted_reason(device, service)
            if reason is None:
                continue
            facts = _service_facts(service) | {"protocol": service.protocol.upper(), "reason": reason[0], "reason_zh": reason[1]}
            yield Hit(device, service.ref, facts, key=f"{service.protocol} {service.context}")


def _unrestricted_reason(device: Device, service: ManagementService) -> tuple[str, str] | None:
    if service.acl is not None:
        acl = device.filters.get(service.acl)
        if acl is None:
            return f": access list {service.acl} is not defined, so it permits everything", f"：存取清單 {service.acl} 未定義，等同全部允許"
        if any(r.enabled and r.action == "permit" and r.sources.is_any for r in acl.rules):
            return f": access list {service.acl} permits any source", f"：存取清單 {service.acl} 允許任意來源"
        return None
    if service.sources is None:
        return ": no access-class or source list", "：未設定 access-class 或來源清單"
    if service.sources.is_any:
        return "", ""
    return None


@check("idle-timeout", articles=("4-1.4",), message={
    "en": "Admin session idle timeout on {context} is {value} (at most {limit} minutes expected)",
    "zh-TW": "{context} 管理連線閒置逾時為 {value_zh}（應不超過 {limit} 分鐘）",
})
def idle_timeout(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    limit = float(params.get("max_idle_minutes", 15))
    for device in ctx.devices:
        for timeout in device.timeouts:
            minutes = timeout.minutes
            if minutes is not None and 0 < minutes <= limit:
                continue
            off = not minutes
            facts = {
                "context": timeout.context, "limit": f"{limit:g}",
                "value": "off (never times out)" if off else f"{minutes:g} minutes",
                "value_zh": "關閉（永不逾時）" if off else f"{minutes:g} 分鐘",
            }
            yield Hit(device, timeout.ref, facts, key=timeout.context, file=device.file)


@check("no-remote-logging", articles=("17.2",), message={
    "en": "No remote syslog / log server is configured",
    "zh-TW": "未設定遠端日誌伺服器（syslog）",
})
def no_remote_logging(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device in ctx.devices:
        if not any(t.kind == "syslog" for t in device.log_targets):
            yield Hit(device, None, {}, key="syslog", file=device.file)


@check("no-ntp", articles=("17.2",), message={
    "en": "No NTP time source is configured",
    "zh-TW": "未設定 NTP 校時來源",
})
def no_ntp(ctx: AuditContext, params: Params) -> Iterator[Hit]:
    for device in ctx.devices:
        if not device.ntp_servers:
            yield Hit(device, None, {}, key="ntp", file=device.file)
