"""The topology file contract (topology.md): loading, every refusal with its line, zone lookup."""

from __future__ import annotations

import ipaddress
import pickle
import re
from pathlib import Path

import pytest

from netaudit.errors import NetauditInputError, TopologyError
from netaudit.model import Service
from netaudit.services import parse_service_spec
from netaudit.topology import (
    MAX_FILE_BYTES,
    AllowedFlow,
    DeviceHint,
    Host,
    Topology,
    Zone,
    is_point_to_point,
    is_private,
    is_public,
    load_topology,
)

FIXTURES = Path(__file__).parent / "fixtures" / "topology"
ERROR_FIXTURES = sorted((FIXTURES / "errors").glob("*.yaml"))
EXPECT = re.compile(r"# expect: (\d+): (.+)")


@pytest.fixture(scope="module")
def example() -> Topology:
    """The example of topology.md, verbatim."""
    return load_topology(str(FIXTURES / "network.yaml"))


@pytest.fixture(scope="module")
def nested() -> Topology:
    return load_topology(str(FIXTURES / "nested.yaml"))


def net(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(text)


def write(tmp_path: Path, text: str | bytes, name: str = "network.yaml") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


# --------------------------------------------------------------------------- the example loads


def test_example_is_the_spec_example_verbatim() -> None:
    spec = Path(__file__).resolve().parents[2] / "shared" / "spec" / "topology.md"
    if not spec.exists():
        pytest.skip("../shared is absent (a user's clone)")
    block = re.search(r"```yaml\n(.*?)```", spec.read_text(encoding="utf-8"), re.DOTALL)
    assert block is not None
    assert (FIXTURES / "network.yaml").read_text(encoding="utf-8") == block.group(1)


def test_example_header(example: Topology) -> None:
    assert example.name == "Formosa Life — head office"
    assert example.file == str(FIXTURES / "network.yaml")
    assert list(example.zones) == [
        "internet", "dmz", "prod-web", "prod-ap", "prod-db", "test", "oa", "mgmt", "vpn", "transit",
    ]


def test_example_zones(example: Topology) -> None:
    z = example.zones
    assert z["internet"] == Zone("internet", "external", None, None, (), False, 5)
    assert z["dmz"] == Zone("dmz", "dmz", "web", None, (net("172.16.10.0/24"),), True, 7)
    assert z["prod-web"] == Zone("prod-web", "prod", "web", 1, (net("10.10.10.0/24"),), False, 12)
    assert z["prod-ap"].cidrs == (net("10.10.20.0/24"), net("10.10.40.0/24"))
    assert (z["prod-ap"].tier, z["prod-ap"].system_class, z["prod-ap"].line) == ("ap", 1, 13)
    assert (z["prod-db"].tier, z["prod-db"].line) == ("db", 14)
    assert {name: zone.env for name, zone in z.items() if name in ("test", "oa", "mgmt", "vpn", "transit")} == {
        "test": "test", "oa": "oa", "mgmt": "mgmt", "vpn": "remote", "transit": "transit",
    }
    assert (z["test"].tier, z["test"].system_class) == (None, None)
    assert z["transit"].cidrs == (net("10.254.0.0/16"),)
    assert [zone.name for zone in z.values() if zone.internet_facing] == ["dmz"]


def test_example_hosts(example: Topology) -> None:
    h = example.hosts
    assert h["jump01"] == Host("jump01", ipaddress.ip_address("10.99.0.10"), "jump", False, 22)
    assert h["radius01"] == Host("radius01", ipaddress.ip_address("10.99.0.20"), "aaa", True, 26)
    assert {name: (str(host.ip), host.role) for name, host in h.items()} == {
        "jump01": ("10.99.0.10", "jump"), "pam01": ("10.99.0.11", "pam"), "proxy01": ("10.30.0.5", "proxy"),
        "waf01": ("172.16.10.5", "waf"), "radius01": ("10.99.0.20", "aaa"), "syslog01": ("10.99.0.30", "log"),
    }
    assert [host.name for host in h.values() if host.mfa] == ["radius01"]


def test_example_devices(example: Topology) -> None:
    assert example.devices == {
        "ips01": DeviceHint("ips01", "ips", None, ("internet", "dmz"), 30),
        "fw-edge": DeviceHint("fw-edge", None, "asa", None, 33),
    }


def test_example_policy(example: Topology) -> None:
    tcp443, udp514 = parse_service_spec("tcp/443"), parse_service_spec("udp/514")
    assert example.allowed_flows == [
        AllowedFlow("oa", "prod-web", (tcp443,), 38),
        AllowedFlow("host:waf01", "prod-web", (tcp443,), 39),
        AllowedFlow("any", "host:syslog01", (udp514,), 40),
    ]
    assert all(isinstance(s, Service) for flow in example.allowed_flows for s in flow.services)
    assert (example.policy, example.policy_lines) == ({}, {})


def test_example_lookups(example: Topology) -> None:
    assert example.zone_of_address("10.10.20.5") is example.zones["prod-ap"]
    assert example.zone_of_address("10.10.40.200") is example.zones["prod-ap"]
    assert example.host_by_ip("10.99.0.10") is example.hosts["jump01"]
    assert example.host_by_ip(ipaddress.ip_address("172.16.10.5")) is example.hosts["waf01"]
    assert example.host_by_ip("10.99.0.99") is None
    assert [h.name for h in example.hosts_with_role("aaa")] == ["radius01"]
    assert example.hosts_with_role("ntp") == []
    assert example.external_zones() == [example.zones["internet"]]


# --------------------------------------------------------------------------- other valid files


def test_policy_parameters_kept_as_plain_values_with_lines(nested: Topology) -> None:
    assert nested.policy == {
        "max_prefix": 20,
        "admin_services": ["tcp/22", "tcp/3389"],
        "checks": {"undocumented-rule": {"enabled": False}},
    }
    assert nested.policy_lines == {"max_prefix": 22, "admin_services": 23, "checks": 24}
    assert nested.allowed_flows == []  # 'allowed_flows:' with every entry commented out
    assert nested.devices == {}


def test_internet_facing_default_can_be_overridden(nested: Topology) -> None:
    assert nested.zones["dmz"].internet_facing is False
    assert nested.zones["corp"].internet_facing is False


def test_host_with_public_address_needs_a_catch_all_external_zone() -> None:
    topo = load_topology(str(FIXTURES / "public-host.yaml"))
    assert topo.zone_of_address(topo.hosts["resolver"].ip) is topo.zones["internet"]


def test_optional_sections_may_be_absent(tmp_path: Path) -> None:
    topo = load_topology(write(tmp_path, "version: 1\n"))
    assert topo == Topology(file=topo.file)
    assert topo.zone_of_address("8.8.8.8") is None


def test_yaml_11_surprises_are_read_as_written(tmp_path: Path) -> None:
    """A plain 1:2:3:4:5:6:7:8 is a base-60 integer to YAML 1.1, and 'on' a boolean."""
    text = (
        "version: 1\n"
        "zones:\n  v6: {env: prod, cidrs: [1:2:3:4::/64]}\n"
        "hosts:\n  h: {ip: 1:2:3:4:5:6:7:8}\n"
        "devices:\n  on: {platform: on}\n"
    )
    topo = load_topology(write(tmp_path, text))
    assert topo.hosts["h"].ip == ipaddress.ip_address("1:2:3:4:5:6:7:8")
    assert topo.devices["on"].platform == "on"


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    assert load_topology(write(tmp_path, "\ufeffversion: 1\nname: 富邦\n".encode())).name == "富邦"


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("fixture", ERROR_FIXTURES, ids=lambda p: p.stem)
def test_error_fixture(fixture: Path) -> None:
    """Each file's first line says the 1-based line and the start of the reason it must be refused with."""
    expect = EXPECT.match(fixture.read_text(encoding="utf-8").splitlines()[0])
    assert expect, f"{fixture.name} has no '# expect: LINE: REASON' header"
    with pytest.raises(TopologyError) as caught:
        load_topology(str(fixture))
    err = caught.value
    assert (err.line, err.file) == (int(expect.group(1)), str(fixture)), str(err)
    assert err.reason.startswith(expect.group(2)), str(err)
    assert str(err) == f"{fixture}:{err.line}: {err.reason}"


def test_error_fixtures_cover_the_contract() -> None:
    """Guard against the error table shrinking unnoticed."""
    assert len(ERROR_FIXTURES) >= 50


def test_unknown_key_suggests_the_right_one() -> None:
    with pytest.raises(TopologyError) as caught:
        load_topology(str(FIXTURES / "errors" / "unknown-zone-key.yaml"))
    assert caught.value.reason == (
        "zones.dmz.tyer: unknown key (expected one of cidrs, class, env, internet_facing, tier); did you mean 'tier'?"
    )


def test_error_is_an_input_error_and_picklable() -> None:
    err = TopologyError("t.yaml", 3, "zones.x: unknown key")
    assert isinstance(err, NetauditInputError)
    assert str(err) == "t.yaml:3: zones.x: unknown key"
    assert str(TopologyError("t.yaml", None, "too big")) == "t.yaml: too big"
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.file, copy.line, copy.reason) == ("t.yaml", 3, "zones.x: unknown key")


def test_truly_empty_file(tmp_path: Path) -> None:
    with pytest.raises(TopologyError) as caught:
        load_topology(write(tmp_path, ""))
    assert caught.value.line == 1
    assert "empty" in caught.value.reason


def test_file_over_5_mb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\n" + "#" * MAX_FILE_BYTES + "\n")
    with pytest.raises(TopologyError) as caught:
        load_topology(path)
    assert caught.value.line is None
    assert "larger than 5 MB" in caught.value.reason


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TopologyError) as caught:
        load_topology(str(tmp_path / "nope.yaml"))
    assert caught.value.line is None
    assert "cannot read" in caught.value.reason


def test_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(TopologyError) as caught:
        load_topology(write(tmp_path, b"version: 1\nname: \xff\n"))
    assert caught.value.line == 2
    assert "UTF-8" in caught.value.reason


def test_deep_nesting_is_refused_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(TopologyError) as caught:
        load_topology(write(tmp_path, "version: 1\npolicy:\n  x: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert "nested too deeply" in caught.value.reason


# --------------------------------------------------------------------------- zone lookup


def test_longest_prefix_wins(nested: Topology) -> None:
    assert nested.zone_of_address("10.10.20.5") is nested.zones["prod-ap"]
    assert nested.zone_of_address("10.10.21.5") is nested.zones["corp"]
    assert nested.zone_of_network("10.10.20.0/25") is nested.zones["prod-ap"]
    assert nested.zone_of_network(net("10.10.20.0/24")) is nested.zones["prod-ap"]
    # A segment wider than prod-ap is not inside it: it falls to the /8.
    assert nested.zone_of_network("10.10.0.0/16") is nested.zones["corp"]
    assert nested.zone_of_network("10.0.0.0/8") is nested.zones["corp"]
    assert nested.zone_of_network("0.0.0.0/0") is None


def test_interfaces_are_accepted(nested: Topology) -> None:
    """An interface address (host bits kept) is looked up by its connected subnet."""
    intf = ipaddress.ip_interface("10.10.20.1/24")
    assert nested.zone_of_network(intf) is nested.zones["prod-ap"]
    assert nested.zone_of_network("10.10.20.1/24") is nested.zones["prod-ap"]
    assert nested.zone_of_address(intf) is nested.zones["prod-ap"]


def test_ipv6_zones(nested: Topology) -> None:
    assert nested.zones["prod-v6"].cidrs == (net("2001:db8:10::/48"), net("2001:db8:10:20::/64"))
    assert nested.zone_of_address("2001:db8:10:20::80") is nested.zones["prod-v6"]
    assert nested.zone_of_network("2001:db8:10:30::/64") is nested.zones["prod-v6"]
    assert nested.zone_of_address("fd00:99::10") is nested.zones["mgmt-v6"]
    assert nested.zone_of_address("fd00:98::10") is None  # ULA in no zone: unclassified
    assert nested.host_by_ip("fd00:99::10") is nested.hosts["jump6"]
    assert nested.host_by_ip("FD00:99:0::10") is nested.hosts["jump6"]  # same address, other spelling


def test_ipv4_and_ipv6_never_mix(nested: Topology) -> None:
    assert nested.zone_of_address("::ffff:10.10.20.5") is None
    assert nested.zone_of_address("::a0a:1405") is None  # 10.10.20.5's bits, as IPv6


def test_public_addresses_go_to_the_catch_all_external_zone(example: Topology) -> None:
    internet = example.zones["internet"]
    assert example.zone_of_address("8.8.8.8") is internet
    assert example.zone_of_address("203.0.113.7") is internet  # documentation ranges count as public
    assert example.zone_of_network("198.51.100.0/24") is internet
    assert example.zone_of_address("2606:4700::1111") is internet
    assert example.zone_of_address("172.16.10.5") is example.zones["dmz"]  # declared beats external


@pytest.mark.parametrize(
    "address",
    ["10.1.2.3", "172.31.255.1", "192.168.1.1", "100.64.0.1", "127.0.0.1", "169.254.1.1", "224.0.0.5",
     "0.0.0.0", "fd12::1", "fe80::1", "::1", "ff02::1", "::", "::ffff:8.8.8.8"],
)
def test_private_or_special_addresses_are_never_external(example: Topology, address: str) -> None:
    assert example.zone_of_address(address) is None
    assert is_private(ipaddress.ip_network(address))


def test_a_segment_that_is_partly_private_is_not_external(example: Topology) -> None:
    assert example.zone_of_network("172.0.0.0/8") is None  # contains 172.16.0.0/12
    assert is_private("172.0.0.0/8")
    assert not is_public("172.0.0.0/8")
    assert is_public("172.32.0.0/11")


def test_external_zone_with_cidrs_matches_only_its_cidrs(nested: Topology) -> None:
    assert nested.zone_of_address("198.51.100.1") is nested.zones["isp"]
    assert nested.zone_of_address("8.8.8.8") is None
    assert nested.zone_of_address("2606:4700::1111") is None
    assert nested.external_zones() == [nested.zones["isp"]]


def test_public_zone_declared_by_the_user(nested: Topology) -> None:
    assert nested.zone_of_address("203.0.113.10") is nested.zones["dmz"]


@pytest.mark.parametrize(
    ("network", "private"),
    [("10.0.0.0/8", True), ("192.168.0.0/24", True), ("fc00::/7", True), ("0.0.0.0/0", True), ("::/0", True),
     ("8.8.8.0/24", False), ("2001:db8::/32", False), ("100.128.0.0/10", False)],  # the last: just past RFC 6598
)
def test_is_private(network: str, private: bool) -> None:
    assert is_private(network) is private
    assert is_private(ipaddress.ip_network(network)) is private
    assert is_public(network) is not private


@pytest.mark.parametrize(
    ("network", "expected"),
    [("10.0.0.0/30", True), ("10.0.0.0/31", True), ("10.0.0.1/32", True), ("10.0.0.0/29", False),
     ("10.0.0.0/24", False), ("2001:db8::/127", True), ("2001:db8::1/128", True), ("2001:db8::/126", False),
     ("2001:db8::/64", False), ("10.0.0.1/30", True)],
)
def test_is_point_to_point(network: str, expected: bool) -> None:
    assert is_point_to_point(network) is expected


def test_topology_built_in_code_has_the_same_lookups() -> None:
    """The graph's tests build topologies without YAML; the lookup must not depend on the loader."""
    wide = Zone("wide", "oa", cidrs=(net("10.0.0.0/8"),))
    narrow = Zone("narrow", "prod", cidrs=(net("10.1.0.0/16"),))
    jump = Host("j", ipaddress.ip_address("10.1.0.10"), "jump")
    topo = Topology(zones={"wide": wide, "narrow": narrow}, hosts={"j": jump})
    assert topo.zone_of_address("10.1.2.3") is narrow
    assert topo.zone_of_address("10.2.2.3") is wide
    assert topo.hosts_with_role("jump") == [jump]
    assert topo.zone_of_address("8.8.8.8") is None


def test_hosts_with_role_returns_a_copy(example: Topology) -> None:
    example.hosts_with_role("jump").clear()
    assert [h.name for h in example.hosts_with_role("jump")] == ["jump01"]


def test_lookup_scales_with_prefix_lengths_not_zones() -> None:
    """10 000 /24 zones: lookups stay dictionary probes (this would take seconds if it scanned zones)."""
    zones = {
        f"z{i}": Zone(f"z{i}", "oa", cidrs=(ipaddress.IPv4Network((0x0A000000 + (i << 8), 24)),)) for i in range(10_000)
    }
    topo = Topology(zones=zones)
    for i in range(0, 10_000, 7):
        assert topo.zone_of_address(ipaddress.IPv4Address(0x0A000000 + (i << 8) + 5)) is zones[f"z{i}"]
    assert len(topo._prefix_tables[4]) == 1
