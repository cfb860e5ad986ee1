"""Art. 19.2 segmentation checks on the topology and the zone graph."""

from __future__ import annotations

from pathlib import Path

from tests.checks_support import COMPLIANT_IOS, COMPLIANT_TOPOLOGY, audit, mutate, of

ROUTED_PORTS = """\
interface GigabitEthernet0/0
 ip address 10.10.10.1 255.255.255.0
 ip access-group WEB_IN in
!
interface GigabitEthernet0/1
 ip address 10.10.20.1 255.255.255.0
 ip access-group APP_IN in
!
"""
SWITCH_TWO_ENVS = mutate(COMPLIANT_IOS, replace={"hostname r1": "hostname sw1", ROUTED_PORTS: """\
interface Vlan20
 description test servers
 ip address 10.20.1.1 255.255.255.0
!
interface Vlan40
 description prod AP servers
 ip address 10.10.40.1 255.255.255.0
!
"""})
TOPOLOGY_WITH_AP40 = COMPLIANT_TOPOLOGY.replace("cidrs: [10.10.20.0/24]", "cidrs: [10.10.20.0/24, 10.10.40.0/24]")


def test_zone_missing_fires_per_missing_env_and_for_untiered_prod(tmp_path: Path) -> None:
    topology = COMPLIANT_TOPOLOGY.replace("  oa:       {env: oa, cidrs: [10.30.0.0/16]}\n", "").replace(
        "prod-db:  {env: prod, tier: db, cidrs: [10.10.30.0/24]}", "prod-db:  {env: prod, cidrs: [10.10.30.0/24]}")
    found = of(audit(tmp_path, {"r1.cfg": COMPLIANT_IOS}, topology), "zone-missing")
    messages = sorted(f.message["en"] for f in found)
    assert messages == ["Production zone 'prod-db' has no tier while other production zones do", "The topology declares no zone of env 'oa'"]
    untiered = next(f for f in found if "prod-db" in f.message["en"])
    assert untiered.file.endswith("network.yaml") and untiered.line == topology.splitlines().index(
        "  prod-db:  {env: prod, cidrs: [10.10.30.0/24]}") + 1


def test_zone_missing_silent_on_complete_topology(tmp_path: Path) -> None:
    assert not of(audit(tmp_path, {"r1.cfg": COMPLIANT_IOS}), "zone-missing")


def test_unclassified_segment(tmp_path: Path) -> None:
    config = mutate(COMPLIANT_IOS, add=["interface GigabitEthernet0/2", " ip address 10.40.1.1 255.255.255.0",
                                        "interface GigabitEthernet0/3", " ip address 10.41.1.1 255.255.255.252"])
    found = of(audit(tmp_path, {"r1.cfg": config}), "unclassified-segment")
    assert [(f.evidence[0], f.severity) for f in found] == [("ip address 10.40.1.1 255.255.255.0", "medium")]  # the /30 is a link
    assert config.splitlines()[found[0].line - 1] == " ip address 10.40.1.1 255.255.255.0"


def test_unclassified_segment_silent_when_declared(tmp_path: Path) -> None:
    assert not of(audit(tmp_path, {"r1.cfg": COMPLIANT_IOS}), "unclassified-segment")


def test_unfiltered_crossing_two_svis_without_acls(tmp_path: Path) -> None:
    found = of(audit(tmp_path, {"sw1.cfg": SWITCH_TWO_ENVS}, TOPOLOGY_WITH_AP40), "unfiltered-crossing")
    assert len(found) == 1
    finding = found[0]
    assert finding.device == "sw1"
    assert finding.flow["src_zone"] in {"prod-ap", "test"} and {finding.flow["src_zone"], finding.flow["dst_zone"]} == {"prod-ap", "test"}
    assert finding.evidence[0] in {"interface Vlan20", "interface Vlan40"}


def test_unfiltered_crossing_silent_with_an_acl_on_one_side(tmp_path: Path) -> None:
    filtered = SWITCH_TWO_ENVS.replace(" ip address 10.20.1.1 255.255.255.0\n", " ip address 10.20.1.1 255.255.255.0\n ip access-group TEST_IN in\n ip access-group TEST_OUT out\n")
    filtered = mutate(filtered, add=["ip access-list extended TEST_IN", " remark x", " deny ip any any",
                                     "ip access-list extended TEST_OUT", " remark x", " deny ip any any"])
    assert not of(audit(tmp_path, {"sw1.cfg": filtered}, TOPOLOGY_WITH_AP40), "unfiltered-crossing")


def test_unfiltered_crossing_through_a_transit_link(tmp_path: Path) -> None:
    """Two unfiltered routers joined by a transit /30 still join test and prod-ap with no filter."""
    left = mutate(COMPLIANT_IOS, replace={"hostname r1": "hostname left", ROUTED_PORTS: ""}, add=[
        "interface Vlan20", " ip address 10.20.1.1 255.255.255.0", "interface GigabitEthernet0/9", " ip address 10.254.9.1 255.255.255.252"])
    right = mutate(COMPLIANT_IOS, replace={"hostname r1": "hostname right", ROUTED_PORTS: ""}, add=[
        "interface Vlan40", " ip address 10.10.40.1 255.255.255.0", "interface GigabitEthernet0/9", " ip address 10.254.9.2 255.255.255.252"])
    found = of(audit(tmp_path, {"left.cfg": left, "right.cfg": right}, TOPOLOGY_WITH_AP40), "unfiltered-crossing")
    assert {frozenset((f.flow["src_zone"], f.flow["dst_zone"])) for f in found} == {frozenset(("test", "prod-ap"))}
    assert len(found) == 1 and [h["device"] for h in found[0].flow["path"]] in (["left", "right"], ["right", "left"])
