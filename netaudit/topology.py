"""The topology file: what the configs cannot say (topology.md, version 1).

Configs tell addresses and filters; only the user can say which ranges are production, which tier
a segment is, which host is the jump host. This module reads that YAML file, refuses anything it
does not understand with ``file:line: key.path: reason`` (a typo must never silently drop a zone,
because a missing zone hides findings), and answers the zone questions the graph and the checks ask.

The YAML is *composed*, not loaded: walking the node tree keeps every value's line for the error
messages, lets duplicate keys be caught (plain loading keeps the last one silently), and never runs
a constructor that could build arbitrary objects. Aliases are refused outright, so an expansion
bomb cannot get in.
"""

from __future__ import annotations

import difflib
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from netaudit.errors import TopologyError
from netaudit.model import Service
from netaudit.services import parse_service_spec
from netaudit.yaml_input import compose, read_text

__all__ = [
    "DEVICE_ROLES",
    "ENVS",
    "HOST_ROLES",
    "SYSTEM_CLASSES",
    "TIERS",
    "AllowedFlow",
    "DeviceHint",
    "Host",
    "Topology",
    "TopologyError",
    "Zone",
    "is_point_to_point",
    "is_private",
    "is_public",
    "load_topology",
]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
NetworkLike = Network | ipaddress.IPv4Interface | ipaddress.IPv6Interface | str
AddressLike = Address | ipaddress.IPv4Interface | ipaddress.IPv6Interface | str

VERSION = 1
MAX_FILE_BYTES = 5 * 1024 * 1024  # a real topology is a few kB; this bounds memory and parse time

ENVS = ("prod", "test", "oa", "dmz", "mgmt", "remote", "partner", "external", "transit")
TIERS = ("web", "ap", "db")
SYSTEM_CLASSES = (1, 2, 3)
HOST_ROLES = ("jump", "pam", "proxy", "waf", "ips", "vpn", "aaa", "log", "ntp", "dns")
DEVICE_ROLES = ("firewall", "router", "switch", "waf", "ips", "proxy", "vpn")

ANY_ENDPOINT = "any"
ENV_PREFIX = "env:"
HOST_PREFIX = "host:"

# Ranges that are never "the Internet" (topology.md): a segment touching one of them is not public,
# so it cannot fall into a catch-all external zone and is reported unclassified instead. The
# documentation ranges (192.0.2.0/24, 2001:db8::/32, ...) are deliberately absent: sample configs
# use them as public addresses.
_NON_PUBLIC: dict[int, tuple[Network, ...]] = {
    4: tuple(
        ipaddress.IPv4Network(text)
        for text in (
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",  # RFC 1918
            "100.64.0.0/10",  # RFC 6598 carrier-grade NAT
            "127.0.0.0/8",  # loopback
            "169.254.0.0/16",  # link-local
            "224.0.0.0/4",  # multicast
            "0.0.0.0/8",  # unspecified / "this network" (RFC 1122): never a destination
        )
    ),
    6: tuple(
        ipaddress.IPv6Network(text)
        for text in (
            "fc00::/7",  # ULA
            "::1/128",  # loopback
            "fe80::/10",  # link-local
            "ff00::/8",  # multicast
            "::/128",  # unspecified
            "::ffff:0:0/96",  # IPv4-mapped: may hide an RFC 1918 address, so never assume public
        )
    ),
}
# Prefix lengths from which a segment is a point-to-point link or a host route, not a LAN.
_POINT_TO_POINT_MIN = {4: 30, 6: 127}


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class Zone:
    """A named set of address ranges with one environment (and, for prod/dmz, one tier)."""

    name: str
    env: str
    tier: str | None = None
    system_class: int | None = None  # Art. 6 system class, the YAML key ``class``
    cidrs: tuple[Network, ...] = ()
    internet_facing: bool = False  # the loader defaults it to env == "dmz"; code building zones says it outright
    line: int = 0

    @property
    def is_catch_all_external(self) -> bool:
        """An external zone without cidrs stands for every public address."""
        return self.env == "external" and not self.cidrs


@dataclass(frozen=True, slots=True)
class Host:
    """One address with a security role (jump host, WAF, AAA server ...)."""

    name: str
    ip: Address
    role: str | None = None
    mfa: bool = False
    line: int = 0


@dataclass(frozen=True, slots=True)
class DeviceHint:
    """What the user says about a device: a role/platform override, or an appliance with no config."""

    name: str
    role: str | None = None
    platform: str | None = None
    inline: tuple[str, str] | None = None  # two zone names: the appliance is on every path between them
    line: int = 0


@dataclass(frozen=True, slots=True)
class AllowedFlow:
    """An intended crossing. ``src``/``dst`` as written: a zone name, ``env:<env>``, ``host:<name>`` or ``any``."""

    src: str
    dst: str
    services: tuple[Service, ...]
    line: int = 0


@dataclass(slots=True)
class Topology:
    """The whole topology file, with longest-prefix zone lookup.

    Treat it as immutable after construction: the lookup tables are built once in ``__post_init__``
    (use ``dataclasses.replace`` to derive a changed copy). Every field has a default, so
    ``Topology()`` is the empty topology used when the user gives none.
    """

    name: str = ""
    zones: dict[str, Zone] = field(default_factory=dict)
    hosts: dict[str, Host] = field(default_factory=dict)
    devices: dict[str, DeviceHint] = field(default_factory=dict)
    policy: dict[str, Any] = field(default_factory=dict)  # policy-pack overrides except allowed_flows
    allowed_flows: list[AllowedFlow] = field(default_factory=list)
    file: str = ""
    policy_lines: dict[str, int] = field(default_factory=dict)  # line of each key of ``policy``
    # Per IP version: (prefix length, {network bits >> host bits: zone}), longest prefix first.
    _prefix_tables: dict[int, list[tuple[int, dict[int, Zone]]]] = field(init=False, repr=False, compare=False)
    _catch_all: Zone | None = field(init=False, repr=False, compare=False)
    _hosts_by_ip: dict[Address, Host] = field(init=False, repr=False, compare=False)
    _hosts_by_role: dict[str, list[Host]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        tables: dict[int, dict[int, dict[int, Zone]]] = {4: {}, 6: {}}
        for zone in self.zones.values():
            for net in zone.cidrs:
                table = tables[net.version].setdefault(net.prefixlen, {})
                table[_prefix_key(net.network_address, net.prefixlen)] = zone
        self._prefix_tables = {version: sorted(by_len.items(), reverse=True) for version, by_len in tables.items()}
        self._catch_all = next((z for z in self.zones.values() if z.is_catch_all_external), None)
        self._hosts_by_ip = {host.ip: host for host in self.hosts.values()}
        self._hosts_by_role = {}
        for host in self.hosts.values():
            if host.role is not None:
                self._hosts_by_role.setdefault(host.role, []).append(host)

    def zone_of_network(self, network: NetworkLike) -> Zone | None:
        """The zone of a segment: the longest cidr containing all of it, else the catch-all external
        zone when the segment is entirely public, else None (unclassified).

        Cost: one dict lookup per distinct prefix length declared (at most 33 / 129).
        """
        net = _as_network(network)
        for prefixlen, table in self._prefix_tables[net.version]:
            if prefixlen <= net.prefixlen:
                zone = table.get(_prefix_key(net.network_address, prefixlen))
                if zone is not None:
                    return zone
        if self._catch_all is not None and is_public(net):
            return self._catch_all
        return None

    def zone_of_address(self, ip: AddressLike) -> Zone | None:
        """The zone of one address (see ``zone_of_network``)."""
        address = _as_address(ip)
        return self.zone_of_network(ipaddress.ip_network(address))

    def host_by_ip(self, ip: AddressLike) -> Host | None:
        """The declared host with this address, if any."""
        return self._hosts_by_ip.get(_as_address(ip))

    def hosts_with_role(self, role: str) -> list[Host]:
        """Declared hosts with this role, in file order."""
        return list(self._hosts_by_role.get(role, ()))

    def external_zones(self) -> list[Zone]:
        """Zones of env ``external`` (with or without cidrs), in file order."""
        return [zone for zone in self.zones.values() if zone.env == "external"]


def is_public(network: NetworkLike) -> bool:
    """Whether every address of the network is public (topology.md): none is RFC 1918, RFC 6598,
    ULA, loopback, link-local, multicast or unspecified."""
    net = _as_network(network)
    return not any(net.overlaps(special) for special in _NON_PUBLIC[net.version])


def is_private(network: NetworkLike) -> bool:
    """Whether the network is not entirely public. A segment that is partly private is never external,
    so an undeclared one is reported as unclassified rather than silently joined to the Internet."""
    return not is_public(network)


def is_point_to_point(network: NetworkLike) -> bool:
    """A /30, /31 (IPv4) or /127 (IPv6) link, or a /32 or /128 host route: never a LAN segment."""
    net = _as_network(network)
    return net.prefixlen >= _POINT_TO_POINT_MIN[net.version]


def _prefix_key(address: Address, prefixlen: int) -> int:
    """The network bits of ``address`` for ``prefixlen``: equal keys mean the same prefix."""
    return int(address) >> (address.max_prefixlen - prefixlen)


def _as_network(value: NetworkLike) -> Network:
    if isinstance(value, (ipaddress.IPv4Interface, ipaddress.IPv6Interface)):
        return value.network
    if isinstance(value, str):
        return ipaddress.ip_network(value, strict=False)
    return value


def _as_address(value: AddressLike) -> Address:
    if isinstance(value, (ipaddress.IPv4Interface, ipaddress.IPv6Interface)):
        return value.ip
    if isinstance(value, str):
        return ipaddress.ip_address(value)
    return value


# --------------------------------------------------------------------------- the schema, as data


class FieldSpec(NamedTuple):
    """One allowed key of a section: its kind, whether it must be present, its allowed values.

    Kinds: ``str``, ``int``, ``bool``, ``str_list`` (a list of strings), ``mapping`` / ``list``
    (a sub-tree the builder walks itself; an empty value means empty), ``any`` (kept as plain Python).
    """

    kind: str
    required: bool = False
    choices: tuple[Any, ...] = ()


OTHER_KEYS = "*"  # a schema entry under this key admits every key not listed (the policy pack's own)

SCHEMA: dict[str, dict[str, FieldSpec]] = {
    "topology": {
        "version": FieldSpec("int", required=True),
        "name": FieldSpec("str"),
        "zones": FieldSpec("mapping"),
        "hosts": FieldSpec("mapping"),
        "devices": FieldSpec("mapping"),
        "policy": FieldSpec("mapping"),
    },
    "zone": {
        "env": FieldSpec("str", required=True, choices=ENVS),
        "tier": FieldSpec("str", choices=TIERS),
        "class": FieldSpec("int", choices=SYSTEM_CLASSES),
        "cidrs": FieldSpec("str_list"),
        "internet_facing": FieldSpec("bool"),
    },
    "host": {
        "ip": FieldSpec("str", required=True),
        "role": FieldSpec("str", choices=HOST_ROLES),
        "mfa": FieldSpec("bool"),
    },
    "device": {
        "role": FieldSpec("str", choices=DEVICE_ROLES),
        "platform": FieldSpec("str"),
        "inline": FieldSpec("str_list"),
    },
    "policy": {
        "allowed_flows": FieldSpec("list"),
        OTHER_KEYS: FieldSpec("any"),
    },
    "allowed_flow": {
        "from": FieldSpec("str", required=True),
        "to": FieldSpec("str", required=True),
        "services": FieldSpec("str_list", required=True),
    },
}

_YAML_TAG = "tag:yaml.org,2002:"
_NULL_TAG = _YAML_TAG + "null"
_STR_TAGS = frozenset(_YAML_TAG + t for t in ("str", "int", "float", "bool", "timestamp"))
# The tags SafeLoader resolves implicitly; an explicit other tag (``!!python/...``, ``!!binary``, ``!local``)
# is refused rather than guessed at.
_KNOWN_TAGS = _STR_TAGS | {_NULL_TAG, _YAML_TAG + "map", _YAML_TAG + "seq", _YAML_TAG + "merge"}
_KIND_NAMES = {
    "str": "a string", "int": "an integer", "bool": "true or false", "str_list": "a list of strings",
    "mapping": "a mapping", "list": "a list",
}


class Value(NamedTuple):
    """A converted value and the 1-based line it was written on."""

    value: Any
    line: int


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


# --------------------------------------------------------------------------- reading the node tree


class _Reader:
    """Typed access to the node tree; every error carries the file, the node's line and the key path."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._constructor = SafeConstructor()

    def error(self, line: int | None, path: str, message: str) -> TopologyError:
        return TopologyError(self.file, line, f"{path}: {message}" if path else message)

    def mapping(self, node: Node, path: str) -> dict[str, tuple[Node, Node]]:
        """The key → (key node, value node) pairs of a mapping, refusing duplicate and non-text keys."""
        if not isinstance(node, MappingNode):
            raise self.error(_line(node), path, f"expected a mapping, got {self.describe(node)}")
        self._check_tag(node, path)
        pairs: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _NULL_TAG:
                raise self.error(_line(key_node), path, "keys must be plain names")
            self._check_tag(key_node, path)
            key = key_node.value
            if key_node.tag == _YAML_TAG + "merge":
                raise self.error(_line(key_node), _join(path, key), "merge keys (<<) are not supported")
            if key in pairs:
                first = _line(pairs[key][0])
                raise self.error(_line(key_node), _join(path, key), f"duplicate key (first written on line {first})")
            pairs[key] = (key_node, value_node)
        return pairs

    def sequence(self, node: Node, path: str) -> list[Node]:
        if not isinstance(node, SequenceNode):
            raise self.error(_line(node), path, f"expected a list, got {self.describe(node)}")
        self._check_tag(node, path)
        return list(node.value)

    def section(self, node: Node, path: str, schema_name: str, owner_line: int) -> dict[str, Value]:
        """Check a mapping against ``SCHEMA[schema_name]`` and convert its values.

        ``owner_line`` is where a missing required key is reported: the line naming the mapping.
        """
        schema = SCHEMA[schema_name]
        values: dict[str, Value] = {}
        for key, (key_node, value_node) in self.mapping(node, path).items():
            spec = schema.get(key) or schema.get(OTHER_KEYS)
            if spec is None:
                raise self.error(_line(key_node), _join(path, key), "unknown key" + _suggestion(key, schema))
            values[key] = Value(self.convert(value_node, _join(path, key), spec), _line(key_node))
        for key, spec in schema.items():
            if spec.required and key not in values:
                raise self.error(owner_line, _join(path, key), "required key missing")
        return values

    def convert(self, node: Node, path: str, spec: FieldSpec) -> Any:
        """One value of the kind ``spec`` asks for; ``str_list`` items come back as ``Value``s."""
        if spec.kind in ("mapping", "list"):
            if isinstance(node, ScalarNode) and node.tag == _NULL_TAG:
                return None  # a section whose entries are all commented out
            wanted_type = MappingNode if spec.kind == "mapping" else SequenceNode
            if not isinstance(node, wanted_type):
                raise self.error(_line(node), path, f"expected {_KIND_NAMES[spec.kind]}, got {self.describe(node)}")
            return node  # walked by the builder, which knows what the entries are
        if spec.kind == "any":
            return self.plain(node, path)
        if spec.kind == "str_list":
            items = self.sequence(node, path)
            return [Value(self.text(item, _join(path, i)), _line(item)) for i, item in enumerate(items)]
        value: Any
        if spec.kind == "str":
            value = self.text(node, path)
        else:
            value = self.plain(node, path) if isinstance(node, ScalarNode) else None
            wanted = int if spec.kind == "int" else bool
            if type(value) is not wanted:  # bool is an int subclass: `class: true` must not pass as 1
                raise self.error(_line(node), path, f"expected {_KIND_NAMES[spec.kind]}, got {self.describe(node)}")
        if spec.choices and value not in spec.choices:
            allowed = ", ".join(str(c) for c in spec.choices)
            raise self.error(_line(node), path, f"unknown value {value!r} (expected one of {allowed})")
        return value

    def text(self, node: Node, path: str) -> str:
        """A scalar as written. The source text, not the resolved value: YAML 1.1 would turn an
        IPv6 address such as ``1:2:3:4:5:6:7:8`` into a base-60 integer and ``on`` into True."""
        self._check_tag(node, path)
        if not isinstance(node, ScalarNode) or node.tag not in _STR_TAGS:
            raise self.error(_line(node), path, f"expected a string, got {self.describe(node)}")
        if not node.value.strip():
            raise self.error(_line(node), path, "expected a string, got an empty one")
        return node.value

    def plain(self, node: Node, path: str) -> Any:
        """Plain Python values (dict/list/str/int/float/bool/None/date) for the policy pack's keys."""
        self._check_tag(node, path)
        if isinstance(node, MappingNode):
            return {key: self.plain(value, _join(path, key)) for key, (_, value) in self.mapping(node, path).items()}
        if isinstance(node, SequenceNode):
            return [self.plain(item, _join(path, i)) for i, item in enumerate(node.value)]
        try:
            return self._constructor.construct_object(node, deep=True)
        except ConstructorError as exc:
            raise self.error(_line(node), path, f"invalid value: {exc.problem}") from None
        except (ValueError, KeyError, AttributeError, TypeError):  # an explicit tag on text it cannot read
            raise self.error(_line(node), path, f"invalid value {node.value!r} for {node.tag!r}") from None

    def describe(self, node: Node) -> str:
        if isinstance(node, MappingNode):
            return "a mapping"
        if isinstance(node, SequenceNode):
            return "a list"
        if node.tag == _NULL_TAG:
            return "nothing"
        return f"{node.tag.removeprefix(_YAML_TAG)} {node.value!r}"

    def _check_tag(self, node: Node, path: str) -> None:
        if node.tag not in _KNOWN_TAGS:
            raise self.error(_line(node), path, f"unsupported YAML tag {node.tag!r}")


def _suggestion(key: str, schema: dict[str, FieldSpec]) -> str:
    known = sorted(k for k in schema if k != OTHER_KEYS)
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f" (expected one of {', '.join(known)}){hint}"


# --------------------------------------------------------------------------- loading


def load_topology(path: str) -> Topology:
    """Read and fully validate a topology file; every problem raises ``TopologyError(file, line, reason)``."""
    root = _compose(path, read_text(path, "topology file", MAX_FILE_BYTES, TopologyError))
    try:
        return _Builder(_Reader(path)).build(root)
    except RecursionError:
        raise TopologyError(path, None, "the YAML is nested too deeply") from None


def _compose(path: str, text: str) -> Node:
    root = compose(path, text, TopologyError)
    if root is None:
        raise TopologyError(path, 1, f"the file is empty; a topology file starts with 'version: {VERSION}'")
    if not isinstance(root, MappingNode):
        raise TopologyError(path, _line(root), f"expected a mapping with 'version: {VERSION}' at the top")
    return root


class _Builder:
    """Turns the checked sections into model objects, checking what spans entries (names, prefixes)."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.error = reader.error
        self.zones: dict[str, Zone] = {}
        self.hosts: dict[str, Host] = {}
        self._prefix_owners: dict[Network, tuple[str, int]] = {}  # prefix → (zone, line written)
        self._catch_all: tuple[str, int] | None = None  # the external zone without cidrs, if any
        self._ip_lines: dict[str, int] = {}  # host → line of its ip, where placement errors point

    def build(self, root: MappingNode) -> Topology:
        self._check_version(root)
        top = self.reader.section(root, "", "topology", _line(root))
        self.zones = self._named(top.get("zones"), "zones", self._zone)
        self.hosts = self._named(top.get("hosts"), "hosts", self._host)
        devices = self._named(top.get("devices"), "devices", self._device)
        policy, policy_lines, flows = self._policy(top.get("policy"))
        topology = Topology(
            name=top["name"].value if "name" in top else "",
            zones=self.zones,
            hosts=self.hosts,
            devices=devices,
            policy=policy,
            allowed_flows=flows,
            file=self.reader.file,
            policy_lines=policy_lines,
        )
        self._check_hosts_placed(topology)
        return topology

    def _check_version(self, root: MappingNode) -> None:
        """Before any other key: a newer file should say 'unsupported version', not 'unknown key'."""
        node = next((value for key, value in root.value if getattr(key, "value", None) == "version"), None)
        if node is None:
            raise self.error(_line(root), "version", f"required key missing (this netaudit reads version {VERSION})")
        version = self.reader.plain(node, "version")
        if type(version) is not int or version != VERSION:
            got = self.reader.describe(node)
            raise self.error(_line(node), "version", f"unsupported topology version: expected {VERSION}, got {got}")

    def _named(self, section: Value | None, path: str, make: Callable[[str, int, Node], Any]) -> dict[str, Any]:
        """One object per entry of a name → mapping section, in file order."""
        if section is None or section.value is None:
            return {}
        return {
            name: make(name, _line(key_node), value_node)
            for name, (key_node, value_node) in self.reader.mapping(section.value, path).items()
        }

    def _zone(self, name: str, line: int, node: Node) -> Zone:
        path = _join("zones", name)
        if name == ANY_ENDPOINT or ":" in name:
            raise self.error(line, path, f"a zone cannot be named {name!r}: allowed_flows would read it as a keyword")
        fields = self.reader.section(node, path, "zone", line)
        env = fields["env"].value
        cidrs = tuple(
            self._zone_prefix(item, _join(_join(path, "cidrs"), i), name)
            for i, item in enumerate(fields["cidrs"].value if "cidrs" in fields else ())
        )
        if not cidrs and env != "external":
            raise self.error(line, _join(path, "cidrs"), f"required for env {env!r} (only external zones may omit it)")
        if not cidrs:
            if self._catch_all is not None:
                other, other_line = self._catch_all
                reason = f"zone {other!r} (line {other_line}) already covers every public address; give this zone cidrs"
                raise self.error(line, path, reason)
            self._catch_all = (name, line)
        return Zone(
            name=name,
            env=env,
            tier=fields["tier"].value if "tier" in fields else None,
            system_class=fields["class"].value if "class" in fields else None,
            cidrs=cidrs,
            internet_facing=fields["internet_facing"].value if "internet_facing" in fields else env == "dmz",
            line=line,
        )

    def _zone_prefix(self, item: Value, path: str, zone: str) -> Network:
        """Parse one cidr and claim it for ``zone``: an address must have exactly one longest match."""
        text = item.value.strip()
        parse = ipaddress.IPv6Network if ":" in text else ipaddress.IPv4Network
        try:
            net = parse(text)
        except ValueError as exc:
            try:
                loose = parse(text, strict=False)
            except ValueError:
                raise self.error(item.line, path, f"bad prefix {text!r}: {exc}") from None
            raise self.error(item.line, path, f"bad prefix {text!r}: host bits set (the network is {loose})") from None
        if net in self._prefix_owners:
            owner, owner_line = self._prefix_owners[net]
            where = "this zone" if owner == zone else f"zone {owner!r}"
            reason = f"{net} is already a cidr of {where} (line {owner_line}); prefixes must be unique"
            raise self.error(item.line, path, reason)
        self._prefix_owners[net] = (zone, item.line)
        return net

    def _host(self, name: str, line: int, node: Node) -> Host:
        path = _join("hosts", name)
        fields = self.reader.section(node, path, "host", line)
        ip_value = fields["ip"]
        try:
            ip = ipaddress.ip_address(ip_value.value.strip())
        except ValueError:
            reason = f"{ip_value.value!r} is not one IPv4 or IPv6 address"
            raise self.error(ip_value.line, _join(path, "ip"), reason) from None
        role = fields["role"].value if "role" in fields else None
        mfa = fields["mfa"].value if "mfa" in fields else False
        if mfa and role != "aaa":
            raise self.error(fields["mfa"].line, _join(path, "mfa"), "mfa applies only to hosts with role 'aaa'")
        self._ip_lines[name] = ip_value.line
        return Host(name=name, ip=ip, role=role, mfa=mfa, line=line)

    def _check_hosts_placed(self, topology: Topology) -> None:
        """Hosts are checked against the built lookup, so 'inside a zone' means what the checks will see."""
        seen: dict[Address, Host] = {}
        for host in topology.hosts.values():
            path, line = _join(_join("hosts", host.name), "ip"), self._ip_lines[host.name]
            other = seen.setdefault(host.ip, host)
            if other is not host:
                reason = f"{host.ip} is also the address of host {other.name!r} (line {other.line})"
                raise self.error(line, path, reason)
            if topology.zone_of_address(host.ip) is None:
                raise self.error(line, path, f"{host.ip} is not inside any declared zone")

    def _device(self, name: str, line: int, node: Node) -> DeviceHint:
        path = _join("devices", name)
        fields = self.reader.section(node, path, "device", line)
        inline: tuple[str, str] | None = None
        if "inline" in fields:
            items, inline_path = fields["inline"].value, _join(path, "inline")
            names = [item.value for item in items]
            if len(names) != 2 or names[0] == names[1]:
                raise self.error(fields["inline"].line, inline_path, f"expected two different zone names, got {names}")
            for i, item in enumerate(items):
                if item.value not in self.zones:
                    raise self.error(item.line, _join(inline_path, i), f"{item.value!r} is not a declared zone")
            inline = (names[0], names[1])
        return DeviceHint(
            name=name,
            role=fields["role"].value if "role" in fields else None,
            platform=fields["platform"].value if "platform" in fields else None,
            inline=inline,
            line=line,
        )

    def _policy(self, section: Value | None) -> tuple[dict[str, Any], dict[str, int], list[AllowedFlow]]:
        """The policy pack's overrides as plain values with their lines, and the parsed allowed flows."""
        if section is None or section.value is None:
            return {}, {}, []
        fields = self.reader.section(section.value, "policy", "policy", section.line)
        flows_value = fields.pop("allowed_flows", None)
        flows: list[AllowedFlow] = []
        if flows_value is not None and flows_value.value is not None:
            items = self.reader.sequence(flows_value.value, "policy.allowed_flows")
            flows = [self._flow(item, f"policy.allowed_flows[{i}]") for i, item in enumerate(items)]
        return {key: v.value for key, v in fields.items()}, {key: v.line for key, v in fields.items()}, flows

    def _flow(self, node: Node, path: str) -> AllowedFlow:
        fields = self.reader.section(node, path, "allowed_flow", _line(node))
        src, dst = (self._endpoint(fields[key], _join(path, key)) for key in ("from", "to"))
        services: list[Service] = []
        services_path = _join(path, "services")
        for i, item in enumerate(fields["services"].value):
            try:
                services.append(parse_service_spec(item.value))
            except ValueError as exc:
                raise self.error(item.line, _join(services_path, i), str(exc)) from None
        if not services:
            raise self.error(fields["services"].line, services_path, "expected at least one service (ip for any)")
        return AllowedFlow(src=src, dst=dst, services=tuple(services), line=_line(node))

    def _endpoint(self, value: Value, path: str) -> str:
        text = value.value.strip()
        if text == ANY_ENDPOINT or text in self.zones:
            return text
        if text.startswith(ENV_PREFIX):
            if text.removeprefix(ENV_PREFIX) in ENVS:
                return text
            reason = f"unknown env in {text!r} (expected one of {', '.join(ENVS)})"
        elif text.startswith(HOST_PREFIX):
            if text.removeprefix(HOST_PREFIX) in self.hosts:
                return text
            reason = f"{text!r} names no declared host"
        else:
            reason = f"{text!r} is not a declared zone, env:<env>, host:<name> or any"
        raise self.error(value.line, path, reason)
