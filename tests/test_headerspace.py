"""The packet header-space engine: exact cases per header field, and the BDD evaluation of random
filters against the naive first-match evaluator (hypothesis)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netaudit.headerspace as hs_module
from netaudit.headerspace import HeaderSpace, Packet, PacketSet, first_match, is_active
from netaudit.model import AddressSet, AddressTerm, Filter, Rule, Service, SourceRef
from netaudit.parsers.cisco_acl import AceSyntax, ObjectTable, parse_ace

AS_OF = date(2026, 11, 24)
_V4, _V6 = AceSyntax(mask="wildcard"), AceSyntax(mask="wildcard", family=6)


def rule(text: str, line: int = 1, **changes: object) -> Rule:
    """One IOS-style entry read by the real ACE reader (``permit tcp any host 10.0.0.1 eq 22``)."""
    ace = parse_ace(text.split(), _V6 if ":" in text or " ipv6 " in text else _V4, ObjectTable())
    made = Rule(ace.action, ace.sources, ace.destinations, ace.services, SourceRef("t.cfg", line, text))  # type: ignore[arg-type]
    for name, value in changes.items():
        setattr(made, name, value)
    return made


def acl(*entries: str | Rule) -> Filter:
    """A filter of the entries, on lines 1, 2, 3, ..."""
    rules = [rule(e, i) if isinstance(e, str) else e for i, e in enumerate(entries, 1)]
    return Filter("T", rules, SourceRef("t.cfg", 1, "ip access-list extended T"))


def tcp(src: str, dst: str, dport: int = 80, sport: int = 40000, **kw: object) -> Packet:
    version = 6 if ":" in src else 4
    return Packet(version, src, dst, 6, src_port=sport, dst_port=dport, **kw)  # type: ignore[arg-type]


@pytest.fixture
def space() -> HeaderSpace:
    return HeaderSpace()


def admits(space: HeaderSpace, entry: str | Rule, packet: Packet) -> bool:
    """The BDD answer, checked against the naive reading so each case tests both."""
    made = rule(entry) if isinstance(entry, str) else entry
    answer = space.packet(packet).issubset(space.rule_match(made))
    assert answer == (first_match(Filter("x", [made], made.ref), packet) is made)
    return answer


# --------------------------------------------------------------------------- exact cases


def test_non_contiguous_wildcard(space: HeaderSpace) -> None:
    entry = "permit ip 10.0.0.5 0.255.0.0 any"  # 10.*.0.5
    assert admits(space, entry, tcp("10.77.0.5", "1.1.1.1"))
    assert not admits(space, entry, tcp("10.77.1.5", "1.1.1.1"))
    assert not admits(space, entry, tcp("11.77.0.5", "1.1.1.1"))


def test_port_ranges_and_operators(space: HeaderSpace) -> None:
    assert admits(space, "permit tcp any any range 1024 2048", tcp("1.1.1.1", "2.2.2.2", 2048))
    assert not admits(space, "permit tcp any any range 1024 2048", tcp("1.1.1.1", "2.2.2.2", 2049))
    assert not admits(space, "permit tcp any any range 1024 2048", tcp("1.1.1.1", "2.2.2.2", 1023))
    assert not admits(space, "permit tcp any any neq 23", tcp("1.1.1.1", "2.2.2.2", 23))
    assert admits(space, "permit tcp any any neq 23", tcp("1.1.1.1", "2.2.2.2", 0))
    assert admits(space, "permit tcp any any neq 23", tcp("1.1.1.1", "2.2.2.2", 65535))
    assert admits(space, "permit tcp any any gt 1023", tcp("1.1.1.1", "2.2.2.2", 1024))
    assert not admits(space, "permit tcp any any lt 1024", tcp("1.1.1.1", "2.2.2.2", 1024))
    assert admits(space, "permit tcp any eq 53 any", tcp("1.1.1.1", "2.2.2.2", 9, sport=53))
    assert not admits(space, "permit tcp any eq 53 any", tcp("1.1.1.1", "2.2.2.2", 53, sport=54))
    # ports belong to tcp/udp/sctp only
    assert not admits(space, "permit udp any any eq 53", tcp("1.1.1.1", "2.2.2.2", 53))


def test_ipv6_prefixes_and_versions(space: HeaderSpace) -> None:
    entry = "permit tcp 2001:db8::/32 any eq 443"
    assert admits(space, entry, tcp("2001:db8:ffff::1", "2001:db9::1", 443))
    assert not admits(space, entry, tcp("2001:db9::1", "2001:db9::1", 443))
    assert not admits(space, "permit tcp any any eq 443", tcp("2001:db8::1", "2001:db8::2", 443))  # an IPv4 rule
    v4_packet = tcp("10.0.0.1", "10.0.0.2", 443)
    assert not admits(space, "permit ipv6 any any", v4_packet)
    # A /64 and its two halves are the same packets
    whole = space.rule_match(rule("permit ipv6 2001:db8:1:2::/64 any"))
    halves = space.rule_match(rule("permit ipv6 2001:db8:1:2::/65 any")) | space.rule_match(
        rule("permit ipv6 2001:db8:1:2:8000::/65 any"))
    assert whole == halves


def test_icmp_type_and_code(space: HeaderSpace) -> None:
    echo = Packet(4, "1.1.1.1", "2.2.2.2", 1, icmp_type=8, icmp_code=0)
    assert admits(space, "permit icmp any any echo", echo)
    assert not admits(space, "permit icmp any any echo-reply", echo)
    assert admits(space, "permit icmp any any", echo)
    assert admits(space, "permit icmp any any 3 1", Packet(4, "1.1.1.1", "2.2.2.2", 1, icmp_type=3, icmp_code=1))
    assert not admits(space, "permit icmp any any 3 1", Packet(4, "1.1.1.1", "2.2.2.2", 1, icmp_type=3, icmp_code=3))
    assert not admits(space, "permit icmp any any echo", Packet(4, "1.1.1.1", "2.2.2.2", 58, icmp_type=8))


def test_established_matches_only_replies(space: HeaderSpace) -> None:
    entry = "permit tcp any eq 443 any established"
    assert admits(space, entry, tcp("1.1.1.1", "2.2.2.2", 50000, sport=443, established=True))
    assert not admits(space, entry, tcp("1.1.1.1", "2.2.2.2", 50000, sport=443))
    match = space.rule_match(rule(entry))
    assert match.isdisjoint(space.new_connections())
    assert not space.rule_match(rule("permit tcp any any")).isdisjoint(space.new_connections())


def test_undefined_object_set_matches_nothing(space: HeaderSpace) -> None:
    undefined = rule("permit ip any any")
    undefined.sources = AddressSet((), "object-group MISSING", ("MISSING",), ("MISSING",))
    assert space.rule_match(undefined).is_empty()
    assert first_match(acl(undefined), tcp("1.1.1.1", "2.2.2.2")) is None
    assert space.addresses("dst", AddressSet(())).is_empty()
    assert space.services([]).is_empty()


def test_inactive_and_expired_rules_decide_nothing(space: HeaderSpace) -> None:
    off = rule("deny tcp any any eq 22", 1, enabled=False)
    ended = rule("deny tcp any any eq 23", 2, schedule="VENDOR", schedule_end=date(2025, 6, 30))
    running = rule("deny tcp any any eq 25", 3, schedule="OPS", schedule_end=date(2027, 1, 1))
    filt = acl(off, ended, running, "permit ip any any")
    evaluation = space.evaluate(filt, AS_OF)
    assert [r.ref.line for r, _ in evaluation.decided] == [3, 4]
    assert space.packet(tcp("1.1.1.1", "2.2.2.2", 22)).issubset(evaluation.permitted)
    assert space.packet(tcp("1.1.1.1", "2.2.2.2", 23)).issubset(evaluation.permitted)
    assert space.packet(tcp("1.1.1.1", "2.2.2.2", 25)).issubset(evaluation.denied)
    assert first_match(filt, tcp("1.1.1.1", "2.2.2.2", 23), AS_OF) is filt.rules[3]
    # without an audit date the schedule is not judged: the time-range rule takes part
    assert first_match(filt, tcp("1.1.1.1", "2.2.2.2", 23), None) is ended
    assert space.packet(tcp("1.1.1.1", "2.2.2.2", 23)).issubset(space.evaluate(filt, None).denied)
    assert not is_active(off, None) and not is_active(ended, AS_OF) and is_active(running, AS_OF)


def test_implicit_deny_and_deciding(space: HeaderSpace) -> None:
    filt = acl("permit tcp 10.0.0.0 0.0.0.255 any eq 443", "deny tcp 10.0.0.0 0.0.255.255 any")
    evaluation = space.evaluate(filt)
    web = space.flow(services=[Service(6, ((443, 443),))])
    deciding = evaluation.deciding(web)
    assert [r.ref.line for r, _ in deciding] == [1, 2]
    assert space.packet(tcp("10.0.1.1", "1.1.1.1", 443)).issubset(deciding[1][1])
    # udp is decided by no rule: the implicit deny
    udp = Packet(4, "10.0.0.1", "1.1.1.1", 17, dst_port=53)
    assert space.packet(udp).issubset(evaluation.denied)
    assert evaluation.deciding(space.packet(udp)) == []
    assert evaluation.permitted | evaluation.denied == space.everything()


def test_packet_set_algebra_and_samples(space: HeaderSpace) -> None:
    a = space.rule_match(rule("permit tcp 10.0.0.0 0.0.0.255 any eq 443"))
    b = space.rule_match(rule("permit tcp 10.0.0.0 0.0.0.127 any"))
    assert (a & b) | (a - b) == a
    assert (a - b).isdisjoint(b) and (a & b).issubset(a) and not a.issubset(b)
    assert ~~a == a and a != b and hash(a) == hash(a | (a & b))
    assert {a, a | (a & b)} == {a}
    assert space.nothing().sample() is None and not space.nothing()
    sample = (a - b).sample()
    assert sample == (a - b).sample()  # deterministic
    assert sample is not None and space.packet(sample).issubset(a - b)
    assert sample.dst_port == 443 and sample.src.startswith("10.0.0.")
    with pytest.raises(ValueError):
        _ = a | HeaderSpace().everything()


def test_zones_separate_rules_of_different_zone_pairs(space: HeaderSpace) -> None:
    inside = rule("permit tcp any any eq 443", 1, src_zones=("inside",), dst_zones=("dmz",))
    outside = rule("deny tcp any any eq 443", 2, src_zones=("outside",))
    filt = acl(inside, outside)
    evaluation = space.evaluate(filt)
    assert all(d for _, d in evaluation.decided)  # neither covers the other
    packet = tcp("1.1.1.1", "2.2.2.2", 443, src_zone="inside", dst_zone="dmz")
    assert first_match(filt, packet) is inside and space.packet(packet).issubset(evaluation.permitted)
    elsewhere = tcp("1.1.1.1", "2.2.2.2", 443, src_zone="inside", dst_zone="outside")
    assert first_match(filt, elsewhere) is None and space.packet(elsewhere).issubset(evaluation.denied)
    sample = space.zones(["outside"], None).sample()
    assert sample is not None and sample.src_zone == "outside"


def test_autoref_backend_agrees() -> None:
    filt = acl("deny tcp host 10.0.0.1 any eq 22", "permit tcp 10.0.0.0 0.0.0.255 any", "permit ipv6 any any")
    fast, pure = HeaderSpace(), HeaderSpace(backend="autoref")
    for packet in (tcp("10.0.0.1", "1.1.1.1", 22), tcp("10.0.0.2", "1.1.1.1", 22), tcp("2001:db8::1", "2001:db8::2")):
        assert fast.packet(packet).issubset(fast.evaluate(filt).permitted) == pure.packet(packet).issubset(
            pure.evaluate(filt).permitted)
    assert pure.evaluate(filt).permitted.sample() == fast.evaluate(filt).permitted.sample()


def test_fast_subset_test_agrees_with_dd(space: HeaderSpace) -> None:
    sets = [space.rule_match(rule(t)) for t in ("permit tcp any any", "permit tcp 10.0.0.0 0.0.0.255 any eq 443",
                                                "permit ip any any", "deny udp any host 10.0.0.1")]
    sets += [space.nothing(), space.everything(), sets[1] - sets[0]]
    for a in sets:
        for b in sets:
            assert a.issubset(b) == bool(a.node <= b.node)
            assert a.isdisjoint(b) == ((a.node & b.node) == space.bdd.false)


# --------------------------------------------------------------------------- random filters

_V4_TERMS = [AddressTerm(4, 0x0A000000 + i, 0) for i in range(8)] + [
    AddressTerm(4, 0x0A000000, 3), AddressTerm(4, 0x0A000004, 3), AddressTerm(4, 0x0A000000, 7),
    AddressTerm(4, 0x0A000000, 5), AddressTerm.any(4)]  # ... 10.0.0.0 wildcard 0.0.0.5 is non-contiguous
_V6_BASE = 0x20010DB8 << 96
_V6_TERMS = [AddressTerm(6, _V6_BASE + 1, 0), AddressTerm(6, _V6_BASE, 3), AddressTerm.any(6)]
_PORTS = [0, 1, 2, 3, 65535]
_V4_ADDRESSES = [f"10.0.0.{i}" for i in range(9)]
_V6_ADDRESSES = ["2001:db8::", "2001:db8::1", "2001:db8::2", "2001:db8::5"]

port_ranges = st.lists(st.tuples(st.sampled_from(_PORTS), st.sampled_from(_PORTS)).map(lambda r: (min(r), max(r))),
                       min_size=1, max_size=2).map(lambda rs: tuple(sorted(set(rs))))
services = st.builds(
    Service,
    protocol=st.sampled_from([None, 6, 6, 17, 1, 58, 47]),
    dst_ports=port_ranges,
    src_ports=st.one_of(st.just(((0, 65535),)), port_ranges),
    icmp_type=st.sampled_from([None, 0, 8]),
    icmp_code=st.sampled_from([None, 0, 1]),
    established=st.booleans(),
)
address_sets = st.lists(st.sampled_from(_V4_TERMS + _V6_TERMS), min_size=1, max_size=3).map(
    lambda terms: AddressSet(tuple(terms)))
zones = st.sampled_from([(), (), ("inside",), ("inside", "dmz"), ("any",)])


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    rare = draw(st.integers(0, 19))  # now and then a side or the services match nothing (undefined objects)
    made = Rule(
        action=draw(st.sampled_from(["permit", "deny"])),
        sources=AddressSet(()) if rare == 1 else draw(address_sets),
        destinations=AddressSet(()) if rare == 2 else draw(address_sets),
        services=() if rare == 3 else tuple(draw(st.lists(services, min_size=1, max_size=2))),
        ref=SourceRef("r.cfg", 0, ""),
        enabled=draw(st.sampled_from([True, True, True, False])),
        schedule_end=draw(st.sampled_from([None, None, date(2025, 6, 30), date(2027, 6, 30)])),
        src_zones=draw(zones), dst_zones=draw(zones),
    )
    if draw(st.integers(0, 5)) == 0:  # sometimes the catch-all
        made.sources = made.destinations = AddressSet((AddressTerm.any(4), AddressTerm.any(6)))
        made.services, made.src_zones, made.dst_zones = (Service(None),), (), ()
    return made


filters = st.lists(rules(), min_size=0, max_size=10).map(
    lambda rs: Filter("R", [_numbered(r, i) for i, r in enumerate(rs, 1)], SourceRef("r.cfg", 1, "")))


def _numbered(made: Rule, line: int) -> Rule:
    made.ref = SourceRef("r.cfg", line, f"rule {line}")
    return made


@st.composite
def packets(draw: st.DrawFn) -> Packet:
    version = draw(st.sampled_from([4, 4, 6]))
    pool = _V4_ADDRESSES if version == 4 else _V6_ADDRESSES
    return Packet(
        version, draw(st.sampled_from(pool)), draw(st.sampled_from(pool)),
        protocol=draw(st.sampled_from([6, 17, 1, 58, 47, 0])),
        src_port=draw(st.sampled_from(_PORTS)), dst_port=draw(st.sampled_from(_PORTS)),
        icmp_type=draw(st.sampled_from([0, 8, 3])), icmp_code=draw(st.sampled_from([0, 1])),
        established=draw(st.booleans()),
        src_zone=draw(st.sampled_from([None, "inside", "outside", "dmz"])),
        dst_zone=draw(st.sampled_from([None, "inside", "dmz"])),
    )


def _reference_decided(space: HeaderSpace, filt: Filter, as_of: date | None) -> list[PacketSet]:
    """What each active rule decides, by the plain running union (no index, nothing deferred)."""
    seen, result = space.nothing(), []
    for made in filt.rules:
        if is_active(made, as_of):
            match = space.rule_match(made)
            result.append(match - seen)
            seen = seen | match
    return result


def _check_against_naive(space: HeaderSpace, filt: Filter, sample: list[Packet], as_of: date | None) -> None:
    evaluation = space.evaluate(filt, as_of)
    decided = [d for _, d in evaluation.decided]
    assert decided == _reference_decided(space, filt, as_of)
    for packet in sample:
        point, winner = space.packet(packet), first_match(filt, packet, as_of)
        assert point.issubset(evaluation.permitted) == (winner is not None and winner.action == "permit")
        assert point.issubset(evaluation.denied) == (winner is None or winner.action == "deny")
        for made, packets_decided in evaluation.decided:
            assert point.issubset(packets_decided) == (made is winner)
            assert point.isdisjoint(packets_decided) == (made is not winner)
    # what the rules decide partitions what they match
    union = space.nothing()
    for i, d in enumerate(decided):
        assert all(d.isdisjoint(e) for e in decided[i + 1:])
        union = union | d
    active = [r for r in filt.rules if is_active(r, as_of)]
    assert union == space.union(space.rule_match(r) for r in active)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filt=filters, sample=st.lists(packets(), min_size=1, max_size=12), dated=st.booleans())
def test_evaluation_equals_naive_first_match(filt: Filter, sample: list[Packet], dated: bool) -> None:
    _check_against_naive(HeaderSpace(), filt, sample, AS_OF if dated else None)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filt=filters, sample=st.lists(packets(), min_size=1, max_size=6))
def test_deferred_decisions_answer_exactly(filt: Filter, sample: list[Packet]) -> None:
    """With every decided set deferred and witnesses cut short, the questions rule analysis asks
    get the answers the plain running union gives (then the sets are built and checked too)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hs_module, "_DEFER_AFTER", 0)
        patch.setattr(hs_module, "_WITNESS_ROUNDS", 1)
        patch.setattr(hs_module, "_WITNESS_QUESTIONS", 2)
        space = HeaderSpace()
        evaluation = space.evaluate(filt, AS_OF)
        reference = _reference_decided(space, filt, AS_OF)
        matches = evaluation.matches
        probes = [space.packet(p) for p in sample] + matches + [space.everything()]
        for i, expected in enumerate(reference):
            assert evaluation.can_match(i) == bool(expected)
            for probe in probes:
                assert evaluation.decides_any(i, probe) == (not expected.isdisjoint(probe))
                assert evaluation.decides_within(i, probe) == expected.issubset(probe)
                assert evaluation.decided_part(i, probe) == expected & probe
            for j in range(len(reference)):
                if j != i:
                    assert evaluation.decides_part_of(i, j) == (not expected.isdisjoint(matches[j]))
        _check_against_naive(space, filt, sample, AS_OF)


# --------------------------------------------------------------------------- the prefix index

_SPREAD_V4 = [AddressTerm.from_network(n) for n in (
    "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3/32", "10.1.2.128/25", "10.2.0.0/16", "11.0.0.0/8",
    "0.0.0.0/1", "128.0.0.0/1", "0.0.0.0/0", "10.1.0.0/15", "10.1.2.0/31")] + [
    AddressTerm(4, 0x0A010003, 0x00FF0000), AddressTerm(4, 0x0A000000, 0x00FF00FF)]  # 10.*.0.3, 10.*.0.*
_SPREAD_V6 = [AddressTerm.from_network(n) for n in (
    "2001:db8::/32", "2001:db8:1::/48", "2001:db8:1:2::/64", "2001:db8:1:2::5/128", "::/0", "2001:db8:1:2::/63",
    "2000::/3", "2001:db8:1::/47")]
_SPREAD_PACKET_V4 = ["10.1.2.3", "10.1.2.200", "10.2.0.3", "11.1.1.1", "10.7.0.3", "10.1.3.0", "200.1.1.1", "10.1.2.1"]
_SPREAD_PACKET_V6 = ["2001:db8:1:2::5", "2001:db8:1:3::1", "2001:db8:2::1", "2001:db9::1", "3fff::1", "2001:db8:1:2::7"]


@st.composite
def spread_rules(draw: st.DrawFn) -> Rule:
    def side() -> AddressSet:
        return AddressSet(tuple(draw(st.lists(st.sampled_from(_SPREAD_V4 + _SPREAD_V6), min_size=1, max_size=3))))
    kinds = st.sampled_from([Service(None), Service(6, ((443, 443),)), Service(6, ((445, 445),)), Service(17, ((53, 53),)),
                             Service(6, ((1, 1000),)), Service(1, icmp_type=8), Service(6, ((443, 443), (8443, 8443)))])
    services_ = tuple(draw(st.lists(kinds, min_size=1, max_size=2)))
    return Rule(draw(st.sampled_from(["permit", "deny"])), side(), side(), services_, SourceRef("s.cfg", 0, ""))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rs=st.lists(spread_rules(), min_size=1, max_size=14), hosts=st.lists(st.tuples(
    st.sampled_from([4, 6]), st.integers(0, 7), st.integers(0, 7)), min_size=1, max_size=6))
def test_prefix_index_never_misses_an_overlap(rs: list[Rule], hosts: list[tuple[int, int, int]]) -> None:
    """Addresses from /0 to /128 and non-contiguous wildcards: every rule that overlaps another is
    among its candidates, and every rule holding a packet is among the rules 'containing' it."""
    space = HeaderSpace()
    index = hs_module.PrefixIndex(rs)
    matches = [space.rule_match(r) for r in rs]
    for i, a in enumerate(matches):
        for k, b in enumerate(matches):
            if i != k and not a.isdisjoint(b):
                assert k in index.candidates(i)
    for version, s, d in hosts:
        pool = _SPREAD_PACKET_V4 if version == 4 else _SPREAD_PACKET_V6
        packet = Packet(version, pool[s % len(pool)], pool[d % len(pool)], 6, dst_port=[443, 445, 80, 1][s % 4])
        point = space.packet(packet)
        holding = {k for k, m in enumerate(matches) if point.issubset(m)}
        assert holding <= index.containing(packet)
    filt = Filter("S", [_numbered(r, i) for i, r in enumerate(rs, 1)], SourceRef("s.cfg", 1, ""))
    sample = [Packet(v, (_SPREAD_PACKET_V4 if v == 4 else _SPREAD_PACKET_V6)[s % 6], (_SPREAD_PACKET_V4 if v == 4 else _SPREAD_PACKET_V6)[d % 6],
                     [6, 17, 1][d % 3], dst_port=[443, 445, 53][s % 3], icmp_type=8) for v, s, d in hosts]
    _check_against_naive(space, filt, sample, None)


@settings(max_examples=300, deadline=None)
@given(made=rules())
def test_facts_read_off_a_rule_agree_with_its_diagram(made: Rule) -> None:
    """What evaluation decides without diagrams: which IP versions a rule has packets of, and of
    which it holds every packet (a catch-all)."""
    space = HeaderSpace()
    match = space.rule_match(made)
    for version in (4, 6):
        every = space.addresses("src", AddressSet((AddressTerm.any(version),)))
        assert (not (match & every).is_empty()) == (version in hs_module.nonempty_versions(made))
        if version in hs_module.universal_versions(made):
            assert every.issubset(match)
