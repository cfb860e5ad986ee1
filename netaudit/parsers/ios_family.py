"""What the Cisco IOS/IOS-XE and NX-OS parsers share: the walk, the dispatch and the common commands.

Both platforms print the same indented hierarchy and share most commands (interfaces, ACL bindings,
AAA, SNMP, NTP, logging, lines). ciscoconfparse2 builds the hierarchy; the walk visits each top-level
line once and dispatches on its first words through a prefix table (handler, or ``None`` for a
command on the platform's explicit list of harmless commands). Anything else stays unrecognized.

ACLs are parsed at the end, so object-groups and time-ranges written after an ACL still resolve.
"""

from __future__ import annotations

import gc
import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ciscoconfparse2 import CiscoConfParse
from loguru import logger

from netaudit.model import (
    AaaMethod,
    AaaServer,
    AaaServerGroup,
    Device,
    Filter,
    FilterBinding,
    Interface,
    InterfaceAddress,
    LocalUser,
    LogTarget,
    ManagementService,
    NamedObject,
    ObjectReference,
    Rule,
    SessionTimeout,
    SnmpCommunity,
    SourceRef,
    StaticRoute,
    StoredSecret,
)
from netaudit.parsers.base import Coverage, Parser, SourceFile
from netaudit.parsers.cisco_acl import (
    Ace,
    AceError,
    AceSyntax,
    ObjectTable,
    parse_absolute_end,
    parse_ace,
    split_sequence,
)
from netaudit.secrets import MASK, mask_secrets

logger.disable("ciscoconfparse2")

CfgLine = Any  # a ciscoconfparse2 line: .linenum (0-based index into source.lines), ._children, .parent
Handler = Callable[..., None]
Table = dict[tuple[str, ...], Handler | None]  # None: recognized, nothing to model (the whole block)
Ref = SourceRef | None
GroupMember = tuple[str, SourceRef, bool]  # (server name or host, evidence, given by name)

MAX_PREFIX_WORDS = 4
_SVI = re.compile(r"(?i)^vlan(\d+)$")
_MISSING = object()
MANAGEMENT_VRFS = frozenset({"management", "mgmt-vrf", "mgmt-intf", "mgmt"})
READ_ERRORS = (ValueError, IndexError, KeyError)  # AceError and ipaddress errors are ValueErrors
_NOT_ACL_AFTER_DISTRIBUTE_LIST = {"prefix", "prefix-list", "route-map", "gateway"}

# IOS password/secret/key types as shown in the configuration: (storage, scheme).
IOS_TYPES: dict[str | None, tuple[str, str]] = {
    None: ("plaintext", "clear text"),
    "0": ("plaintext", "type 0 (clear text)"),
    "4": ("weak-hash", "type 4 (unsalted SHA-256)"),
    "5": ("weak-hash", "type 5 (MD5)"),
    "6": ("encrypted", "type 6 (AES, device master key)"),
    "7": ("reversible", "type 7"),
    "8": ("strong-hash", "type 8 (PBKDF2-SHA-256)"),
    "9": ("strong-hash", "type 9 (scrypt)"),
    "3": ("encrypted", "type 3 (3DES, device key)"),  # NX-OS
}
_AAA_PROTOCOL_GROUPS = {"tacacs+", "radius", "ldap"}


def prefix_table(handlers: dict[str, Handler], recognized: Iterable[str]) -> Table:
    """A dispatch table keyed by lowercased word prefixes; handlers win over the recognized list."""
    table: Table = {}
    for prefix in recognized:
        key = tuple(prefix.lower().split())
        if not 0 < len(key) <= MAX_PREFIX_WORDS:
            raise ValueError(f"bad recognized prefix {prefix!r}")
        table[key] = None
    for prefix, handler in handlers.items():
        table[tuple(prefix.lower().split())] = handler
    return table


def lookup(table: Table, words: list[str]) -> Handler | None | object:
    """The entry of the longest prefix of ``words`` in ``table``, or ``_MISSING``."""
    lowered = [w.lower() for w in words[:MAX_PREFIX_WORDS]]
    for size in range(len(lowered), 0, -1):
        entry = table.get(tuple(lowered[:size]), _MISSING)
        if entry is not _MISSING:
            return entry
    return _MISSING


def is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def family_lines(obj: CfgLine) -> Iterator[CfgLine]:
    """The line and all its descendants."""
    stack = [obj]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node._children)


def typed_value(words: list[str], index: int) -> tuple[str | None, str]:
    """``[type] VALUE`` starting at ``words[index]``: the type digit (if any) and the value."""
    if words[index].isdigit() and len(words[index]) == 1 and index + 1 < len(words):
        return words[index], words[index + 1]
    return None, words[index]


def normalize_methods(words: Iterable[str]) -> tuple[str, ...]:
    """AAA method words as the model names them: group tacacs+ → tacacs+, group X → group:X, local-case → local."""
    methods: list[str] = []
    items = list(words)
    i = 0
    while i < len(items):
        word = items[i].lower()
        if word == "group" and i + 1 < len(items):
            name = items[i + 1]
            methods.append(name.lower() if name.lower() in _AAA_PROTOCOL_GROUPS else f"group:{name}")
            i += 2
            continue
        if word in {"local", "local-case"}:
            methods.append("local")
        elif word != "broadcast":
            methods.append(word)
        i += 1
    return tuple(methods)


def covering_network(first: str, last: str) -> str:
    """The smallest prefix that holds both addresses (an address pool's segment)."""
    a, b = ipaddress.ip_address(first), ipaddress.ip_address(last)
    bits = 32 if a.version == 4 else 128
    length = bits - (int(a) ^ int(b)).bit_length()
    return str(ipaddress.ip_network(f"{a}/{length}", strict=False))


@dataclass(slots=True)
class AclDraft:
    """An ACL as collected during the walk; its entries are parsed once every object is known."""

    name: str
    family: str  # 'ipv4' / 'ipv6'
    kind: str  # 'standard' / 'extended'
    syntax: AceSyntax
    ref_index: int
    entries: list[tuple[int, list[str]]] = field(default_factory=list)  # (line index, words of the entry)
    ipv6_trailing_sequence: bool = False  # IOS prints 'permit ... sequence 20'


@dataclass(slots=True)
class LineBlock:
    """A ``line vty|con|aux`` block: what the management checks need from it."""

    context: str
    kind: str  # 'vty', 'console', 'aux', 'tty'
    ref: SourceRef
    transports: list[tuple[str, SourceRef]] | None = None  # None: no 'transport input' line
    acl: str | None = None
    timeout: SessionTimeout | None = None


@dataclass(slots=True)
class ServerDraft:
    """A TACACS+/RADIUS server: legacy ``tacacs-server host A`` (host) or IOS ``tacacs server NAME`` (name)."""

    protocol: str
    host: str | None
    ref: SourceRef
    name: str | None = None


class CiscoFamilyParser(Parser):
    """The walk and the commands IOS and NX-OS write alike; subclasses add their own tables."""

    syntax = "ios"  # ciscoconfparse2 syntax
    ACE_V4 = AceSyntax(mask="wildcard")
    ACE_V6 = AceSyntax(mask="wildcard", family=6)
    # An interface ACL that is bound but never defined: IOS and NX-OS both permit everything.
    UNDEFINED_ACL_PERMITS = True

    def __init__(self) -> None:
        self.top = prefix_table(self.top_handlers(), self.recognized_top())
        self.interface_table = prefix_table(self.interface_handlers(), self.recognized_interface())
        self.line_table = prefix_table(self.line_handlers(), self.recognized_line())

    # ------------------------------------------------------------------ tables (overridden)

    def top_handlers(self) -> dict[str, Handler]:
        return {
            "hostname": self._hostname,
            "version": self._version,
            "interface": self._interface,
            "time-range": self._time_range,
            "ip route": self._ip_route,
            "ipv6 route": self._ip_route,
            "username": self._username,
            "aaa new-model": self._aaa_new_model,
            "aaa authentication": self._aaa_authentication,
            "aaa authorization": self._aaa_authorization,
            "aaa accounting": self._aaa_accounting,
            "aaa group server": self._aaa_group_server,
            "tacacs-server host": self._legacy_server_host,
            "radius-server host": self._legacy_server_host,
            "tacacs-server key": self._legacy_server_key,
            "radius-server key": self._legacy_server_key,
            "logging host": self._logging_host,
            "logging server": self._logging_host,
            "logging": self._logging_bare,
            "ntp server": self._ntp_server,
            "ntp peer": self._ntp_server,
            "ntp authentication-key": self._ntp_key,
            "ntp access-group": self._ntp_access_group,
            "snmp-server group": self._snmp_v3,
            "snmp-server user": self._snmp_v3,
            "line": self._line,
            "route-map": self._route_map,
            "class-map": self._class_map,
            "router": self._router,
        }

    def interface_handlers(self) -> dict[str, Handler]:
        return {
            "description": self._if_description,
            "ip address": self._if_ip_address,
            "ipv6 address": self._if_ipv6_address,
            "shutdown": self._if_shutdown,
            "no shutdown": self._if_shutdown,
            "vrf forwarding": self._if_vrf,
            "ip vrf forwarding": self._if_vrf,
            "vrf member": self._if_vrf,
            "switchport": self._if_switchport,
            "no switchport": self._if_switchport,
            "switchport access vlan": self._if_access_vlan,
            "ip access-group": self._if_access_group,
            "ipv6 traffic-filter": self._if_access_group,
            "cdp enable": self._if_cdp,
            "no cdp enable": self._if_cdp,
            "lldp transmit": self._if_lldp,
            "no lldp transmit": self._if_lldp,
        }

    def line_handlers(self) -> dict[str, Handler]:
        return {
            "access-class": self._line_access_class,
            "ipv6 access-class": self._line_access_class,
            "ip access-class": self._line_access_class,
            "exec-timeout": self._line_exec_timeout,
        }

    def recognized_top(self) -> Iterable[str]:
        return ()

    def recognized_interface(self) -> Iterable[str]:
        return ()

    def recognized_line(self) -> Iterable[str]:
        return ()

    # ------------------------------------------------------------------ the walk

    def parse(self, source: SourceFile) -> Device:
        # A large configuration makes hundreds of thousands of small objects and no garbage cycles that
        # matter: pausing the cyclic collector keeps it from re-scanning them (a third of the time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._parse(source)
        finally:
            if collecting:
                gc.enable()

    def _parse(self, source: SourceFile) -> Device:
        self._start(source)
        lines = list(source.lines)
        unclosed = _unclosed_macro(lines) if self.syntax == "ios" else None
        if unclosed is not None:  # ciscoconfparse2 walks past the end looking for the '@' (IndexError)
            self.warn(unclosed, "'macro name' is not closed by '@' (the file may be cut short): read to the end of the file")
            lines.append("@")  # after the last line: no line number moves, and coverage counts the file's lines only
        config = CiscoConfParse(lines, syntax=self.syntax, loguru=False, ignore_blank_lines=False)
        for obj in config.objs:
            if obj.parent is obj:
                self.dispatch(obj, self.top)
        self._finish()
        self.device.unrecognized = self.cov.unrecognized()
        return self.device

    def _start(self, source: SourceFile) -> None:
        self.source = source
        self.lines = source.lines
        self.cov = Coverage(source)
        self.device = Device(Path(source.path).stem, self.platform, source.path, len(source.lines))
        self.table = ObjectTable()
        self.acls: dict[str, AclDraft] = {}
        self.time_range_ends: dict[str, date | None] = {}
        self.acl_uses: list[tuple[str, str]] = []
        self.interfaces: dict[str, Interface] = {}
        self.line_blocks: list[LineBlock] = []
        self.servers: list[ServerDraft] = []  # legacy 'tacacs-server host' and named 'tacacs server X'
        self.group_members: list[tuple[AaaServerGroup, list[GroupMember]]] = []
        self.snmp_communities: dict[str, dict[str, Any]] = {}
        self.cdp_global = True
        self.lldp_global = False
        self.no_cdp: set[str] = set()
        self.no_lldp: set[str] = set()

    def dispatch(self, obj: CfgLine, table: Table, *context: Any) -> None:
        """Model one line through ``table``: a handler, a recognized block, or nothing (unrecognized)."""
        index = obj.linenum
        words = self.lines[index].split()
        if not words or words[0].startswith("!"):
            return
        entry = lookup(table, words)
        if entry is _MISSING:
            return
        if entry is None:
            self.mark_family(obj)
            return
        try:
            entry(obj, words, *context)  # type: ignore[operator]
        except IndexError:
            self.warn(index, f"'{' '.join(words[:2])}' is incomplete")
        except READ_ERRORS as error:
            self.warn(index, error)

    def dispatch_children(self, obj: CfgLine, table: Table, *context: Any) -> None:
        for child in obj._children:
            self.dispatch(child, table, *context)

    def mark(self, index: int) -> None:
        self.cov.recognized.add(index)

    def mark_family(self, obj: CfgLine) -> None:
        self.cov.mark_all(node.linenum for node in family_lines(obj))

    def warn(self, index: int, error: Exception | str) -> None:
        reason = error.args[0] if isinstance(error, Exception) and error.args else str(error)
        if isinstance(error, KeyError):
            reason = f"unknown value {reason!r}"
        elif isinstance(error, IndexError):
            reason = "the command is incomplete"
        self.device.warnings.append(f"line {index + 1}: {reason}")

    def ref(self, index: int) -> SourceRef:
        return self.cov.ref(index)

    def secret_ref(self, index: int, *values: str) -> SourceRef:
        """Evidence for a line holding secrets: the values read are masked even where generic masking misses."""
        text = mask_secrets(self.lines[index].strip())
        for value in values:
            if value and value != MASK:
                text = re.sub(rf"(?<!\S){re.escape(value)}(?!\S)", MASK, text)
        return SourceRef(self.source.path, index + 1, text)

    def text_after(self, index: int, words_before: int) -> str:
        """The raw text of a line after its first ``words_before`` words (descriptions, remarks)."""
        parts = self.lines[index].strip().split(None, words_before)
        return parts[words_before].strip() if len(parts) > words_before else ""

    def use_acl(self, name: str, use: str, index: int, context: str) -> None:
        """A reference to an ACL from a feature: an ObjectReference, and the use on the filter."""
        self.device.references.append(ObjectReference("acl", name, self.ref(index), context))
        self.acl_uses.append((name, use))

    def add_secret(self, kind: str, type_word: str | None, value: str, index: int, owner: str | None) -> None:
        """A stored password/secret/key, judged by the type the configuration shows (0/7/5/8/9/6)."""
        storage, scheme = IOS_TYPES.get(type_word, ("hidden", f"type {type_word} (unknown)"))
        secret = StoredSecret(kind, storage, self.secret_ref(index, value), owner, scheme)  # type: ignore[arg-type]
        self.device.secrets.append(secret)

    # ------------------------------------------------------------------ identity

    def _hostname(self, obj: CfgLine, words: list[str]) -> None:
        self.device.name = words[1].strip('"')
        self.device.hostname_ref = self.ref(obj.linenum)
        self.mark(obj.linenum)

    def _version(self, obj: CfgLine, words: list[str]) -> None:
        self.device.version = words[1]
        self.mark(obj.linenum)

    # ------------------------------------------------------------------ interfaces

    def _interface(self, obj: CfgLine, words: list[str]) -> None:
        """An interface and its settings; a mis-indented ``interface`` line among them starts the next one."""
        intf = self._new_interface(obj.linenum, words[1])
        for child in obj._children:
            child_words = self.lines[child.linenum].split()
            if child_words[:1] and child_words[0].lower() == "interface":
                if len(child_words) < 2:
                    self.warn(child.linenum, "'interface' without a name")
                    continue
                intf = self._new_interface(child.linenum, child_words[1])
                self.dispatch_children(child, self.interface_table, intf)
                continue
            self.dispatch(child, self.interface_table, intf)

    def _new_interface(self, index: int, name: str) -> Interface:
        intf = Interface(name, self.ref(index))
        svi = _SVI.match(name)
        if svi:
            intf.vlan = int(svi.group(1))
        self.interfaces[name] = intf
        self.device.interfaces.append(intf)
        self.mark(index)
        return intf

    def _if_description(self, obj: CfgLine, words: list[str], intf: Interface) -> None:
        intf.description = self.text_after(obj.linenum, 1) or None
        self.mark(obj.linenum)

    def _if_ip_address(self, obj: CfgLine, words: list[str], intf: Interface) -> None:
        if words[2].lower() not in {"dhcp", "negotiated", "unnumbered", "pool"}:
            if "/" in words[2]:
                address = str(ipaddress.ip_interface(words[2]))
            else:
                address = str(ipaddress.ip_interface(f"{words[2]}/{words[3]}"))
            secondary = any(w.lower() == "secondary" for w in words[3:])
            intf.addresses.append(InterfaceAddress(address, secondary, self.ref(obj.linenum)))
        self.mark(obj.linenum)

    def _if_ipv6_address(self, obj: CfgLine, words: list[str], intf: Interface) -> None:
        text = words[2]
        if "/" in text and text.lower() not in {"autoconfig", "dhcp"}:
            kinds = {w.lower() for w in words[3:]}
            if "link-local" not in kinds and "eui-64" not in kinds:
                intf.addresses.append(InterfaceAddress(str(ipaddress.ip_interface(text)), False, self.ref(obj.linenum)))
        self.mark(obj.linenum)

    def _if_shutdown(self, obj: CfgLine, words: list[str], intf: Interface) -> None:
        intf.shutdown = words[0].lower() != "no"
        self.mark(obj.linenum)

    def _if_vrf(self, obj: CfgLine, words: list[str], intf: Interface) -> None:
        intf.vrf = words[-1]
        self.mark(obj.linenum)

    def _if_switchport(self, obj: CfgLine, words: list[str], intf: Interface) -> None:
        """Any ``switchport ...`` setting makes a layer-2 port; only a plain ``no switchport`` a routed one."""
        if words[0].lower() != "no":
            intf.switchport = True
        elif len(words) == 2:
            intf.switchport = False
        self.mark(obj.linenum)

    def _if_access_vlan(self, obj: CfgLine, words: list[str], intf: Interface) -> None:
        if words[3].isdigit():
            intf.vlan = int(words[3])
        intf.switchport = True
        self.mark(obj.linenum)

    def _if_access_group(self, obj: CfgLine, words: list[str], intf: Interface) -> None:
        """``ip access-group NAME in|out`` and its IPv6/port forms: an interface filter binding."""
        keyword = " ".join(words[:-2])
        name, direction = words[-2], words[-1].lower()
        if direction not in {"in", "out"}:
            raise ValueError(f"{keyword}: direction must be in or out, found {words[-1]!r}")
        ref = self.ref(obj.linenum)
        undefined_permits = self.UNDEFINED_ACL_PERMITS
        binding = FilterBinding(name, direction, ref, intf.name, "interface", undefined_permits)  # type: ignore
        self.device.bindings.append(binding)
        self.device.references.append(ObjectReference("acl", name, ref, keyword))
        self.acl_uses.append((name, "interface"))
        self.mark(obj.linenum)

    def _if_cdp(self, obj: CfgLine, words: list[str], intf: Interface) -> None:
        if words[0].lower() == "no":
            self.no_cdp.add(intf.name)
        else:
            self.no_cdp.discard(intf.name)
        self.mark(obj.linenum)

    def _if_lldp(self, obj: CfgLine, words: list[str], intf: Interface) -> None:
        if words[0].lower() == "no":
            self.no_lldp.add(intf.name)
        else:
            self.no_lldp.discard(intf.name)
        self.mark(obj.linenum)

    def _finish_interfaces(self, cdp_on: bool, lldp_on: bool) -> None:
        for intf in self.device.interfaces:
            lowered = intf.name.lower()
            linkless = lowered.startswith(("loopback", "null", "nve"))  # no link: nothing to announce on
            intf.cdp = cdp_on and not linkless and intf.name not in self.no_cdp
            intf.lldp = lldp_on and not linkless and intf.name not in self.no_lldp
            if intf.vrf and intf.vrf.lower() in MANAGEMENT_VRFS:
                intf.management_only = True

    # ------------------------------------------------------------------ ACLs

    def add_acl_draft(self, name: str, family: str, kind: str, syntax: AceSyntax, index: int) -> AclDraft:
        """The ACL of that name; a list written in several places (numbered lines, repeated blocks) is one list."""
        draft = self.acls.get(name)
        if draft is None:
            draft = self.acls[name] = AclDraft(name, family, kind, syntax, index)
        elif draft.family != family:
            raise ValueError(f"access list {name!r} is already defined for {draft.family}")
        return draft

    def _named_acl_block(self, obj: CfgLine, name: str, family: str, kind: str, syntax: AceSyntax) -> None:
        draft = self.add_acl_draft(name, family, kind, syntax, obj.linenum)
        draft.ipv6_trailing_sequence = family == "ipv6"
        self.mark(obj.linenum)
        for child in obj._children:
            words = self.lines[child.linenum].split()
            if words and not words[0].startswith("!"):
                draft.entries.append((child.linenum, words))

    def _build_filters(self) -> None:
        for draft in self.acls.values():
            ref = self.ref(draft.ref_index)
            rules = self._acl_rules(draft)
            self.device.filters[draft.name] = Filter(draft.name, rules, ref, draft.family, draft.kind)  # type: ignore
            self.device.definitions.append(NamedObject("acl", draft.name, ref))

    ACL_CHILD_KEYWORDS = frozenset({"statistics", "fragments", "ignore", "no", "description"})

    def _acl_rules(self, draft: AclDraft) -> list[Rule]:
        """Rules of one ACL; a remark documents the rules after it up to the next remark."""
        rules: list[Rule] = []
        remark: str | None = None
        remark_ref: SourceRef | None = None
        after_remark = False
        standard = draft.kind == "standard"
        for index, words in draft.entries:
            try:
                sequence, body = self._sequence(words, draft)
                head = body[0].lower()
                if head == "remark":
                    text = self._remark_text(index)
                    if after_remark and remark is not None:
                        remark = f"{remark} {text}".strip()
                    else:
                        remark, remark_ref = text, self.ref(index)
                    after_remark = True
                    self.mark(index)
                    continue
                if head in self.ACL_CHILD_KEYWORDS:
                    self.mark(index)
                    continue
                ace = parse_ace(body, draft.syntax, self.table, standard=standard)
            except READ_ERRORS as error:
                self.warn(index, f"access list {draft.name}: {error.args[0] if error.args else error}")
                continue
            after_remark = False
            ace.log = ace.log or "log-input" in (w.lower() for w in body)  # logs with the input interface
            rules.append(self._rule(ace, index, sequence, remark, remark_ref))
            for kind, name in ace.references:
                ref_kind = "time-range" if kind == "time-range" else "object"
                self.device.references.append(ObjectReference(ref_kind, name, self.ref(index), "access-list"))
            self.mark(index)
        return rules

    def _sequence(self, words: list[str], draft: AclDraft) -> tuple[int | None, list[str]]:
        if words[0].lower() == "sequence" and len(words) > 2 and words[1].isdigit():
            return int(words[1]), words[2:]
        sequence, body = split_sequence(words)
        trailing = len(body) > 2 and body[-2].lower() == "sequence" and body[-1].isdigit()
        if draft.ipv6_trailing_sequence and trailing:
            return int(body[-1]), body[:-2]
        if not body:
            raise AceError("the entry is empty")
        return sequence, body

    def _remark_text(self, index: int) -> str:
        match = re.search(r"(?i)(?<!\S)remark(?:\s+(.*))?$", self.lines[index].strip())
        return (match.group(1) or "").strip() if match else ""

    def _rule(self, ace: Ace, index: int, sequence: int | None, remark: str | None, remark_ref: Ref) -> Rule:
        return Rule(
            action=ace.action,
            sources=ace.sources,
            destinations=ace.destinations,
            services=ace.services,
            ref=self.ref(index),
            name=str(sequence) if sequence is not None else None,
            remark=remark,
            remark_ref=remark_ref,
            enabled=not ace.inactive,
            log=ace.log,
            schedule=ace.time_range,
            schedule_end=self.time_range_ends.get(ace.time_range) if ace.time_range else None,
            services_text=ace.services_text,
        )

    def _apply_acl_uses(self) -> None:
        for name, use in self.acl_uses:
            acl = self.device.filters.get(name)
            if acl is not None:
                acl.uses.add(use)

    def _time_range(self, obj: CfgLine, words: list[str]) -> None:
        name = words[1]
        self.device.definitions.append(NamedObject("time-range", name, self.ref(obj.linenum)))
        self.time_range_ends.setdefault(name, None)
        self.mark(obj.linenum)
        for child in obj._children:
            child_words = split_sequence(self.lines[child.linenum].split())[1]
            if not child_words:
                continue
            head = child_words[0].lower()
            try:
                if head == "absolute":
                    self.time_range_ends[name] = parse_absolute_end(child_words)
                elif head != "periodic":
                    continue
            except READ_ERRORS as error:
                self.warn(child.linenum, f"time-range {name}: {error.args[0]}")
                continue
            self.mark(child.linenum)

    # ------------------------------------------------------------------ static routes

    _ROUTE_FLAGS = {"permanent", "global", "dhcp", "multicast", "unicast"}
    _ROUTE_OPTIONS = {"name", "tag", "track", "vrf"}

    def _ip_route(self, obj: CfgLine, words: list[str], vrf: str | None = None) -> None:
        """``ip route [vrf V] PREFIX MASK|/LEN [IF] [NH] [distance] [name X] [tag T] [permanent]``."""
        i = 2
        if words[i].lower() == "vrf":
            vrf, i = words[i + 1], i + 2
        if "/" in words[i]:
            prefix, i = str(ipaddress.ip_network(words[i], strict=False)), i + 1
        else:
            prefix, i = str(ipaddress.ip_network(f"{words[i]}/{words[i + 1]}", strict=False)), i + 2
        rest = words[i:]
        j = 0
        interface = next_hop = None
        if j < len(rest) and not (_is_hop(rest[j]) or rest[j].isdigit() or rest[j].lower() in self._ROUTE_OPTIONS):
            interface, j = rest[j], j + 1
        if j < len(rest) and _is_hop(rest[j]):
            next_hop, j = rest[j], j + 1
        if interface is None and next_hop is None:
            raise ValueError("a static route needs a next hop or an interface")
        distance = 1
        while j < len(rest):
            word = rest[j].lower()
            if word.isdigit():
                distance = int(word)
            elif word in self._ROUTE_OPTIONS:
                j += 1
            elif word not in self._ROUTE_FLAGS:
                raise ValueError(f"unexpected {rest[j]!r} in a static route")
            j += 1
        self.device.routes.append(StaticRoute(prefix, self.ref(obj.linenum), next_hop, interface, vrf, distance))
        self.mark(obj.linenum)

    # ------------------------------------------------------------------ users

    def add_user(self, name: str, index: int, privilege: int | None) -> None:
        for i, user in enumerate(self.device.users):
            if user.name == name:
                if privilege is not None and user.privilege is None:
                    self.device.users[i] = replace(user, privilege=privilege)
                return
        self.device.users.append(LocalUser(name, self.ref(index), privilege))

    def _username(self, obj: CfgLine, words: list[str]) -> None:  # pragma: no cover - platform specific
        raise NotImplementedError

    # ------------------------------------------------------------------ AAA

    def _aaa_new_model(self, obj: CfgLine, words: list[str]) -> None:
        self.device.aaa_new_model = True
        self.mark(obj.linenum)

    AUTHENTICATION_SERVICES = frozenset({"login", "enable", "ppp", "dot1x", "arap", "nasi", "sgbp", "eou"})

    def _aaa_authentication(self, obj: CfgLine, words: list[str]) -> None:
        service = words[2].lower()
        if service not in self.AUTHENTICATION_SERVICES or len(words) < 5:
            self.mark(obj.linenum)  # banners, prompts, attempts, ...: nothing to model
            return
        list_name, methods = words[3], words[4:]
        if service == "enable" and list_name.lower() != "default":  # 'aaa authentication enable default ...' only
            methods = words[3:]
            list_name = "default"
        self._add_method(service, "authentication", methods, obj.linenum, list_name)

    def _aaa_authorization(self, obj: CfgLine, words: list[str]) -> None:
        service = words[2].lower()
        if len(words) < 5:
            self.mark(obj.linenum)  # 'aaa authorization console' / 'config-commands': switches, no method list
            return
        start = 4 if service == "commands" and words[3].isdigit() else 3
        self._add_method(service, "authorization", words[start + 1 :], obj.linenum, words[start])

    _RECORD_TYPES = {"start-stop", "stop-only", "wait-start", "none"}

    def _aaa_accounting(self, obj: CfgLine, words: list[str]) -> None:
        service = words[2].lower()
        start = 4 if service == "commands" and len(words) > 3 and words[3].isdigit() else 3
        if len(words) <= start + 1 or words[start + 1].lower() not in self._RECORD_TYPES:
            self.mark(obj.linenum)  # 'aaa accounting update|send|delay-start|nested ...'
            return
        record = words[start + 1].lower()
        methods = [] if record == "none" else words[start + 2 :]
        self._add_method(service, "accounting", methods, obj.linenum, words[start])

    def _add_method(self, service: str, kind: str, methods: list[str], index: int, list_name: str) -> None:
        method = AaaMethod(service, kind, normalize_methods(methods), self.ref(index), list_name)  # type: ignore
        self.device.aaa_methods.append(method)
        self.mark(index)

    def _aaa_group_server(self, obj: CfgLine, words: list[str]) -> None:
        """``aaa group server tacacs+|radius|ldap NAME`` with ``server name X`` / ``server A`` members."""
        protocol, name = words[3].lower(), words[4]
        group = AaaServerGroup(name, protocol, self.ref(obj.linenum))
        members: list[GroupMember] = []
        self.group_members.append((group, members))
        self.device.aaa_groups.append(group)
        self.mark(obj.linenum)
        for child in obj._children:
            child_words = self.lines[child.linenum].split()
            if not child_words:
                continue
            head = child_words[0].lower()
            try:
                self._group_member(child, child_words, head, members)
            except READ_ERRORS as error:
                self.warn(child.linenum, error)

    def _group_member(self, child: CfgLine, words: list[str], head: str, members: list[GroupMember]) -> None:
        index = child.linenum
        if head == "server" and len(words) > 2 and words[1].lower() == "name":
            members.append((words[2], self.ref(index), True))
        elif head == "server":
            members.append((words[1], self.ref(index), False))
        elif head == "server-private":
            members.append((words[1], self.secret_ref(index, *self._key_values(words)), False))
            self._server_key(words, index, words[1])
        elif head not in self.GROUP_CHILD_KEYWORDS:
            return
        self.mark_family(child)

    GROUP_CHILD_KEYWORDS = frozenset({
        "ip", "ipv6", "use-vrf", "source-interface", "deadtime", "load-balance", "mac-delimiter", "accounting",
        "authorization", "attribute", "description", "vrf", "timeout", "retransmit", "cache", "radius-server",
    })

    def _key_values(self, words: list[str]) -> list[str]:
        lowered = [w.lower() for w in words]
        if "key" not in lowered:
            return []
        _, value = typed_value(words, lowered.index("key") + 1)
        return [value]

    def _server_key(self, words: list[str], index: int, owner: str | None) -> None:
        """``... key [0|6|7] VALUE ...``: the stored key of an AAA server."""
        lowered = [w.lower() for w in words]
        if "key" not in lowered:
            return
        type_word, value = typed_value(words, lowered.index("key") + 1)
        self.add_secret("aaa-key", type_word, value, index, owner)

    def _legacy_server_host(self, obj: CfgLine, words: list[str]) -> None:
        """``tacacs-server host A [port N] [timeout N] [key [7] X]`` (IOS and NX-OS)."""
        protocol = "tacacs+" if words[0].lower().startswith("tacacs") else "radius"
        host = words[2]
        self.servers.append(ServerDraft(protocol, host, self.secret_ref(obj.linenum, *self._key_values(words))))
        self._server_key(words, obj.linenum, host)
        self.mark(obj.linenum)

    def _legacy_server_key(self, obj: CfgLine, words: list[str]) -> None:
        type_word, value = typed_value(words, 2)
        self.add_secret("aaa-key", type_word, value, obj.linenum, words[0].lower())
        self.mark(obj.linenum)

    def _named_server(self, obj: CfgLine, words: list[str]) -> None:
        """IOS ``tacacs server NAME`` / ``radius server NAME`` with ``address ipv4 A`` and ``key [0|6|7] X``."""
        protocol = "tacacs+" if words[0].lower() == "tacacs" else "radius"
        name = words[2]
        draft = ServerDraft(protocol, None, self.ref(obj.linenum), name)
        self.servers.append(draft)
        self.mark(obj.linenum)
        for child in obj._children:
            child_words = self.lines[child.linenum].split()
            if not child_words:
                continue
            head = child_words[0].lower()
            try:
                if head == "address" and len(child_words) > 2:
                    draft.host, draft.ref = child_words[2], self.ref(child.linenum)
                elif head == "key":
                    type_word, value = typed_value(child_words, 1)
                    self.add_secret("aaa-key", type_word, value, child.linenum, name)
                elif head not in self.NAMED_SERVER_CHILDREN:
                    continue
            except READ_ERRORS as error:
                self.warn(child.linenum, error)
                continue
            self.mark_family(child)

    NAMED_SERVER_CHILDREN = frozenset({
        "port", "timeout", "single-connection", "retransmit", "automate-tester", "pac", "send", "description",
        "no", "radius-server", "key-wrap", "idle-time", "deadtime",
    })

    def _finish_aaa(self) -> None:
        """Resolve group members; servers in no named group form the implicit 'tacacs+' / 'radius' groups."""
        by_name = {s.name: s for s in self.servers if s.name}
        used_names: set[str] = set()
        used_hosts: set[str] = set()
        for group, members in self.group_members:
            for member, ref, named in members:
                if named:
                    used_names.add(member)
                    server = by_name.get(member)
                    host = server.host if server and server.host else member
                else:
                    used_hosts.add(member)
                    host = member
                group.servers.append(AaaServer(host, ref, group.name))
        for protocol in ("tacacs+", "radius"):
            loose = [
                s for s in self.servers
                if s.protocol == protocol and (s.name not in used_names if s.name else s.host not in used_hosts)
            ]
            if loose:
                group = AaaServerGroup(protocol, protocol, loose[0].ref)
                group.servers.extend(AaaServer(s.host or s.name or "", s.ref, protocol) for s in loose)
                self.device.aaa_groups.append(group)

    # ------------------------------------------------------------------ logging, NTP, SNMP

    def _logging_host(self, obj: CfgLine, words: list[str]) -> None:
        """``logging host [ipv6] A ...`` (IOS) / ``logging server A ...`` (NX-OS)."""
        host = words[3] if words[2].lower() == "ipv6" else words[2]
        self.device.log_targets.append(LogTarget(host, self.ref(obj.linenum)))
        self.mark(obj.linenum)

    def _logging_bare(self, obj: CfgLine, words: list[str]) -> None:
        """IOS ``logging A``: a bare address is a syslog host; any other word is not a command we know."""
        if len(words) > 1 and is_ip(words[1]):
            self.device.log_targets.append(LogTarget(words[1], self.ref(obj.linenum)))
            self.mark(obj.linenum)

    def _ntp_server(self, obj: CfgLine, words: list[str]) -> None:
        """``ntp server [vrf V] A [key N] [prefer] [source IF] [use-vrf V]``."""
        host = words[4] if words[2].lower() == "vrf" else words[2]
        self.device.ntp_servers.append(LogTarget(host, self.ref(obj.linenum), kind="ntp"))
        self.mark(obj.linenum)

    def _ntp_key(self, obj: CfgLine, words: list[str]) -> None:
        """``ntp authentication-key N md5 VALUE [7]``: the trailing type tells the storage."""
        value = words[4]
        type_word = words[5] if len(words) > 5 and words[5].isdigit() else None
        self.add_secret("ntp-key", type_word, value, obj.linenum, f"key {words[2]}")
        self.mark(obj.linenum)

    def _ntp_access_group(self, obj: CfgLine, words: list[str]) -> None:
        """``ntp access-group peer|serve|serve-only|query-only [ipv4|ipv6] ACL [kod]``."""
        rest = [w for w in words[3:] if w.lower() not in {"ipv4", "ipv6", "kod"}]
        self.use_acl(rest[0], "other", obj.linenum, "ntp access-group")
        self.mark(obj.linenum)

    def _snmp_v3(self, obj: CfgLine, words: list[str]) -> None:
        """SNMPv3: ``snmp-server group G v3`` / ``user U G v3`` (IOS), ``snmp-server user U ROLE auth`` (NX-OS)."""
        lowered = [w.lower() for w in words]
        if "v3" in lowered or "auth" in lowered:
            self.device.snmp_v3 = True
        if "access" in lowered:
            position = lowered.index("access") + 1
            name = words[position + 1] if lowered[position] == "ipv6" else words[position]
            self.use_acl(name, "snmp", obj.linenum, "snmp-server group")
        self.mark(obj.linenum)

    def add_community(self, name: str, index: int, access: str | None = None, acl: str | None = None) -> None:
        """An SNMPv1/v2c community (its lines may come one by one on NX-OS: group, then use-acl)."""
        fresh = {"ref": self.secret_ref(index, name), "access": "ro", "acl": None}
        entry = self.snmp_communities.setdefault(name, fresh)
        if access:
            entry["access"] = access
        if acl:
            entry["acl"] = acl
            self.use_acl(acl, "snmp", index, "snmp-server community")

    def _finish_snmp(self) -> None:
        for name, entry in self.snmp_communities.items():
            ref, acl = entry["ref"], entry["acl"]
            self.device.snmp.append(SnmpCommunity(name, ref, "2c", entry["access"], acl))
            self.device.management.append(ManagementService("snmp", ref, "snmp-server community", None, acl))

    # ------------------------------------------------------------------ lines

    def _line(self, obj: CfgLine, words: list[str]) -> None:
        kind_word = words[1].lower()
        kind = "console" if kind_word.startswith("con") else kind_word if kind_word in {"vty", "aux"} else "tty"
        block = LineBlock(" ".join(words), kind, self.ref(obj.linenum))
        self.line_blocks.append(block)
        self.mark(obj.linenum)
        self.dispatch_children(obj, self.line_table, block)

    def _line_access_class(self, obj: CfgLine, words: list[str], block: LineBlock) -> None:
        """``access-class NAME in|out [vrf-also]`` on a line: who may connect (in) / where to (out)."""
        start = 1 if words[0].lower() == "access-class" else 2
        name, direction = words[start], words[start + 1].lower()
        keyword = " ".join(words[:start])
        if direction == "in":
            ref = self.ref(obj.linenum)
            binding = FilterBinding(name, "in", ref, None, "management", self.UNDEFINED_ACL_PERMITS)
            self.device.bindings.append(binding)
            self.use_acl(name, "management", obj.linenum, keyword)
            if words[0].lower() != "ipv6":
                block.acl = name
        elif direction == "out":
            self.use_acl(name, "other", obj.linenum, keyword)
        else:
            raise ValueError(f"access-class: direction must be in or out, found {words[start + 1]!r}")
        self.mark(obj.linenum)

    def _line_exec_timeout(self, obj: CfgLine, words: list[str], block: LineBlock) -> None:
        minutes = float(int(words[1]))
        if len(words) > 2:
            minutes += int(words[2]) / 60
        block.timeout = SessionTimeout(block.context, minutes, self.ref(obj.linenum))
        self.mark(obj.linenum)

    # ------------------------------------------------------------------ route-maps, class-maps, routers

    def _route_map(self, obj: CfgLine, words: list[str]) -> None:
        """A route-map is recognized whole; ``match ip|ipv6 address ACL...`` uses ACLs to select routes."""
        self.mark_family(obj)
        for child in obj._children:
            child_words = self.lines[child.linenum].split()
            lowered = [w.lower() for w in child_words]
            matches_acl = lowered[:1] == ["match"] and lowered[2:3] == ["address"] and len(lowered) > 3
            if matches_acl and lowered[3] not in {"prefix-list", "prefix-len"}:
                for name in child_words[3:]:
                    self.use_acl(name, "route", child.linenum, "route-map match")

    def _class_map(self, obj: CfgLine, words: list[str]) -> None:
        """A class-map is recognized whole; ``match access-group [ipv6] [name] ACL`` classifies by an ACL."""
        self.mark_family(obj)
        for child in obj._children:
            child_words = self.lines[child.linenum].split()
            lowered = [w.lower() for w in child_words]
            if lowered[:2] == ["match", "access-group"] and len(child_words) > 2:
                self.use_acl(child_words[-1], "class-map", child.linenum, "class-map match access-group")

    def _router(self, obj: CfgLine, words: list[str]) -> None:
        """Routing processes are recognized whole; ``distribute-list ACL in|out`` filters routes with an ACL."""
        for node in family_lines(obj):
            self.mark(node.linenum)
            node_words = self.lines[node.linenum].split()
            lowered = [w.lower() for w in node_words]
            if "distribute-list" in lowered:
                position = lowered.index("distribute-list") + 1
                if position < len(lowered) and lowered[position] not in _NOT_ACL_AFTER_DISTRIBUTE_LIST:
                    self.use_acl(node_words[position], "route", node.linenum, "distribute-list")

    # ------------------------------------------------------------------ banners

    def _banner(self, obj: CfgLine, words: list[str]) -> None:
        """A banner and its body up to the closing delimiter; lines after it are dispatched on their own.

        ciscoconfparse2 hangs everything up to the closing delimiter under the banner line (and, when the
        banner never closes, the rest of the file: IOS itself would read that as banner text too).
        """
        self.mark(obj.linenum)
        delimiter, closed = banner_delimiter(self.lines[obj.linenum])
        body_end = obj.linenum if closed else None
        for node in sorted(list(family_lines(obj))[1:], key=lambda n: n.linenum):
            if body_end is None:
                self.mark(node.linenum)
                if delimiter and delimiter in self.lines[node.linenum]:
                    body_end = node.linenum
            elif node.parent.linenum <= body_end:
                self.dispatch(node, self.top)


def _is_hop(text: str) -> bool:
    return is_ip(text.split("%")[0])  # 'FE80::1%Gi0/0' style zone suffixes


def banner_delimiter(text: str) -> tuple[str, bool]:
    """The delimiter of ``banner TYPE DELIM...`` (``^C`` or one character) and whether the line closes it."""
    words = text.split()
    if len(words) < 3:
        return "", True
    opening = words[2]
    delimiter = opening[:2] if opening.startswith("^") and len(opening) > 1 else opening[:1]
    after = text[text.find(opening) + len(delimiter) :]
    return delimiter, delimiter in after


def _unclosed_macro(lines: list[str]) -> int | None:
    """The 0-based line of the last 'macro name' when no '@' line follows it (a truncated file)."""
    last = None
    for index, line in enumerate(lines):
        if line[0:11] == "macro name ":
            last = index
        elif last is not None and line.rstrip() == "@":
            last = None
    return last
