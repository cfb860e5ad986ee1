"""Rule anomalies: Al-Shaer & Hamed's running example, one hand-built case per class, coverage by a
union of rules, object-groups through the real ASA parser, port ranges, IPv6, a property test
against a plain reading of the definitions, and the two checks through the real pipeline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import netaudit.headerspace as hs_module
from netaudit.analysis.anomalies import RuleAnomaly, analyse_filter, is_catch_all
from netaudit.headerspace import HeaderSpace, is_active
from netaudit.model import AddressSet, Filter
from netaudit.parsers.asa import AsaParser
from netaudit.parsers.base import SourceFile
from tests.checks_support import COMPLIANT_IOS, audit, mutate, of
from tests.test_headerspace import acl, filters, rule

AS_OF = date(2026, 11, 24)

Found = set[tuple[int, str, tuple[int, ...], bool]]


def found(filt: Filter, as_of: date | None = None) -> Found:
    """(line, kind, covering lines, by a later rule) of every anomaly."""
    return {_row(a) for a in analyse_filter(HeaderSpace(), filt, as_of)}


def _row(a: RuleAnomaly) -> tuple[int, str, tuple[int, ...], bool]:
    return a.rule.ref.line, a.kind, tuple(r.ref.line for r in a.covered_by), a.by_later


def findings(filt: Filter) -> Found:
    """Only the two finding kinds."""
    return {row for row in found(filt) if row[1] in ("shadowed", "redundant")}


# --------------------------------------------------------------------------- Al-Shaer & Hamed


def test_al_shaer_running_example() -> None:
    """The example policy of Al-Shaer & Hamed ("Firewall Policy Advisor", "Modeling and Management
    of Firewall Policies", 2003-2004), in their numbering. Their classification: rule 4 shadowed
    by rule 3; rules 1 and 3 correlated (and 5 and 7); rule 2 a generalization of rule 1, rule 6
    of rule 5 (and 8 of the earlier tcp accepts, 12 of the udp ones); rule 9 redundant to the
    later rule 10; rule 7 redundant to rule 6.

    One deliberate difference, the catalog's: rule 7 is *shadowed*, not redundant. Rules 5 and 6
    together take all of its packets and rule 5 denies what rule 7 accepts (140.192.37.30 to
    161.120.33.40 on 21), so its intent is overridden. Their pairwise test compares rule 7 with
    rule 6 alone; the catalog counts every earlier rule that takes its traffic."""
    policy = acl(
        "deny tcp host 140.192.37.20 any eq 80",  # 1
        "permit tcp 140.192.37.0 0.0.0.255 any eq 80",  # 2
        "permit tcp any host 161.120.33.40 eq 80",  # 3
        "deny tcp 140.192.37.0 0.0.0.255 host 161.120.33.40 eq 80",  # 4
        "deny tcp host 140.192.37.30 any eq 21",  # 5
        "permit tcp 140.192.37.0 0.0.0.255 any eq 21",  # 6
        "permit tcp 140.192.37.0 0.0.0.255 host 161.120.33.40 eq 21",  # 7
        "deny tcp any any",  # 8
        "permit udp 140.192.37.0 0.0.0.255 host 161.120.33.40 eq 53",  # 9
        "permit udp any host 161.120.33.40 eq 53",  # 10
        "permit udp 140.192.38.0 0.0.0.255 161.120.35.0 0.0.0.255",  # 11
        "deny udp any any",  # 12
    )
    assert found(policy) == {
        (2, "generalization", (1,), False), (2, "partially-shadowed", (1,), False),
        (3, "correlated", (1,), False), (3, "partially-shadowed", (1,), False),
        (4, "shadowed", (1, 2, 3), False),  # rules 1 and 2 take its packets; 3 alone also covers it
        (6, "generalization", (5,), False), (6, "partially-shadowed", (5,), False),
        (7, "shadowed", (5, 6), False), (7, "correlated", (5,), False),
        (8, "generalization", (2, 3, 6, 7), False), (8, "partially-shadowed", (2, 3, 6), False),
        (9, "redundant", (10,), True),
        (12, "generalization", (9, 10, 11), False), (12, "partially-shadowed", (9, 10, 11), False),
    }


# --------------------------------------------------------------------------- one case per class


def test_shadowed_by_one_rule() -> None:
    assert found(acl("deny tcp 10.0.0.0 0.0.255.255 any", "permit tcp 10.0.1.0 0.0.0.255 any eq 22")) == {
        (2, "shadowed", (1,), False)}


def test_redundant_behind_one_rule() -> None:
    assert found(acl("permit tcp 10.0.0.0 0.0.0.255 any", "permit tcp host 10.0.0.5 any eq 443")) == {
        (2, "redundant", (1,), False)}


def test_partially_shadowed_and_generalization() -> None:
    assert found(acl("deny tcp host 10.0.0.5 any eq 443", "permit tcp 10.0.0.0 0.0.0.255 any eq 443")) == {
        (2, "partially-shadowed", (1,), False), (2, "generalization", (1,), False)}


def test_correlated() -> None:
    assert found(acl("deny tcp 10.0.0.0 0.0.0.255 any eq 22", "permit tcp any host 10.1.1.1")) == {
        (2, "partially-shadowed", (1,), False), (2, "correlated", (1,), False)}


def test_same_action_overlap_is_no_anomaly() -> None:
    assert found(acl("permit tcp 10.0.0.0 0.0.0.255 any eq 22", "permit tcp any host 10.1.1.1")) == set()


# --------------------------------------------------------------------------- coverage by several rules


def test_covered_only_by_the_union_of_two_rules() -> None:
    halves = ["tcp 10.0.0.0 0.0.0.127 host 10.9.9.9 eq 443", "tcp 10.0.0.128 0.0.0.127 host 10.9.9.9 eq 443"]
    whole = "permit tcp 10.0.0.0 0.0.0.255 host 10.9.9.9 eq 443"
    assert findings(acl(f"permit {halves[0]}", f"deny {halves[1]}", whole)) == {(3, "shadowed", (1, 2), False)}
    assert findings(acl(f"permit {halves[0]}", f"permit {halves[1]}", whole)) == {(3, "redundant", (1, 2), False)}
    # one half is not enough to cover the whole (it is the half that the whole makes redundant)
    assert findings(acl(f"permit {halves[0]}", whole)) == {(1, "redundant", (2,), True)}


def test_port_ranges_covered_by_two_ranges() -> None:
    policy = acl("permit tcp any host 10.9.9.9 range 1000 1999", "permit tcp any host 10.9.9.9 range 2000 2999",
                 "deny tcp any host 10.9.9.9 range 1500 2500", "deny tcp any host 10.9.9.9 range 1500 3000")
    assert findings(policy) == {(3, "shadowed", (1, 2), False)}
    # 8080 is decided by 'gt 1023' alone; 'neq 80' also holds it whole, so it is named too. And
    # 'neq 80', later, permits all that 'gt 1023' does, with nothing in between: 'gt 1023' is redundant.
    assert findings(acl("permit tcp any host 10.9.9.9 gt 1023", "permit tcp any host 10.9.9.9 neq 80",
                        "deny tcp any host 10.9.9.9 eq 8080")) == {(1, "redundant", (2,), True), (3, "shadowed", (1, 2), False)}


def test_ipv6() -> None:
    assert findings(acl("permit tcp 2001:db8::/48 any eq 443", "deny tcp 2001:db8:0:1::/64 any eq 443")) == {
        (2, "shadowed", (1,), False)}
    # an IPv4 rule covers no IPv6 packet
    assert findings(acl("permit ip any any", "deny tcp 2001:db8::/48 any eq 443")) == set()
    assert findings(acl("permit ipv6 any any", "deny tcp 2001:db8::/48 any eq 443")) == {(2, "shadowed", (1,), False)}


# --------------------------------------------------------------------------- redundancy by a later rule


def test_redundant_because_of_a_later_rule() -> None:
    policy = acl("permit tcp host 10.0.0.5 host 10.9.9.9 eq 443", "permit udp any any eq 53",
                 "permit tcp 10.0.0.0 0.0.0.255 host 10.9.9.9")
    assert findings(policy) == {(1, "redundant", (3,), True)}


def test_not_redundant_when_a_conflicting_rule_is_in_between() -> None:
    policy = acl("permit tcp host 10.0.0.5 host 10.9.9.9 eq 443", "deny tcp 10.0.0.0 0.0.0.255 any eq 443",
                 "permit tcp 10.0.0.0 0.0.0.255 host 10.9.9.9")
    assert findings(policy) == set()


def test_a_later_rule_that_never_matches_does_not_cover() -> None:
    policy = acl("permit tcp host 10.0.0.5 host 10.9.9.9 eq 443", "permit tcp host 10.0.0.5 host 10.9.9.9 eq 443")
    assert findings(policy) == {(2, "redundant", (1,), False)}  # the second, never the first


def test_explicit_final_deny_is_not_redundant() -> None:
    assert findings(acl("permit tcp 10.0.0.0 0.0.0.255 any eq 443", "deny ip any any log")) == set()
    # ... but it covers an earlier deny nothing else contradicts, and is shadowed by a permit-all
    assert findings(acl("deny tcp host 10.0.0.5 any", "permit udp any any", "deny ip any any log")) == {
        (1, "redundant", (3,), True)}
    assert findings(acl("permit ip any any", "deny ip any any log")) == {(2, "shadowed", (1,), False)}


def test_implicit_deny_covers_nothing() -> None:
    assert findings(acl("permit tcp any any eq 443", "deny tcp host 10.0.0.5 any eq 22")) == set()


def test_inactive_rules_take_no_part(tmp_path: Path) -> None:
    covering = rule("permit tcp 10.0.0.0 0.0.0.255 any", 1, enabled=False)
    assert findings(acl(covering, "permit tcp host 10.0.0.5 any eq 443")) == set()
    ended = rule("permit tcp 10.0.0.0 0.0.0.255 any", 1, schedule_end=date(2025, 6, 30))
    assert found(acl(ended, "permit tcp host 10.0.0.5 any eq 443"), AS_OF) == set()
    assert found(acl(ended, "permit tcp host 10.0.0.5 any eq 443"), date(2025, 1, 1)) == {(2, "redundant", (1,), False)}
    inactive = rule("permit tcp host 10.0.0.5 any eq 443", 2, enabled=False)
    assert found(acl("permit tcp 10.0.0.0 0.0.0.255 any", inactive)) == set()


def test_a_rule_matching_nothing_is_left_to_undefined_reference() -> None:
    undefined = rule("deny ip any any", 2)
    undefined.sources = AddressSet((), "object-group MISSING", ("MISSING",), ("MISSING",))
    assert found(acl("permit tcp any any", undefined)) == set()


# --------------------------------------------------------------------------- object-groups (ASA)

ASA = """\
ASA Version 9.12(4)
hostname fw
object network WEB01
 host 10.10.10.11
object network WEB02
 host 10.10.10.12
object-group network WEB-SERVERS
 network-object object WEB01
 network-object object WEB02
object-group network APP-LOW
 network-object 10.10.20.0 255.255.255.128
object-group network APP-HIGH
 network-object 10.10.20.128 255.255.255.128
object-group network APP-TIER
 group-object APP-LOW
 group-object APP-HIGH
object-group service WEB-PORTS tcp
 port-object eq https
 port-object range 8080 8081
access-list INSIDE_IN remark CHG-1 web to app, low half
access-list INSIDE_IN extended permit tcp object-group WEB-SERVERS object-group APP-LOW object-group WEB-PORTS
access-list INSIDE_IN remark CHG-2 web to app, high half, but not WEB02
access-list INSIDE_IN extended deny tcp object WEB02 object-group APP-HIGH eq https
access-list INSIDE_IN extended permit tcp object-group WEB-SERVERS object-group APP-HIGH object-group WEB-PORTS
access-list INSIDE_IN remark CHG-3 the same again, for the whole tier
access-list INSIDE_IN extended permit tcp object WEB01 object-group APP-TIER eq 8081
access-list INSIDE_IN extended permit tcp object-group WEB-SERVERS object-group APP-TIER eq https
access-list INSIDE_IN extended deny ip any any log
access-group INSIDE_IN in interface inside
"""


def test_object_groups_through_the_asa_parser() -> None:
    lines = ASA.splitlines()
    device = AsaParser().parse(SourceFile("fw.cfg", lines))
    filt = device.filters["INSIDE_IN"]
    line = {text.split(" extended ")[1]: i for i, text in enumerate(lines, 1) if " extended " in text}
    low = line["permit tcp object-group WEB-SERVERS object-group APP-LOW object-group WEB-PORTS"]
    deny02 = line["deny tcp object WEB02 object-group APP-HIGH eq https"]
    high = line["permit tcp object-group WEB-SERVERS object-group APP-HIGH object-group WEB-PORTS"]
    web01 = line["permit tcp object WEB01 object-group APP-TIER eq 8081"]
    tier = line["permit tcp object-group WEB-SERVERS object-group APP-TIER eq https"]
    assert findings(filt) == {
        (web01, "redundant", (low, high), False),  # the two halves of the tier, through nested groups
        (tier, "shadowed", (low, deny02, high), False),  # WEB02 to the high half on 443 is denied first
    }


# --------------------------------------------------------------------------- against the definitions


def reference(space: HeaderSpace, filt: Filter, as_of: date | None) -> Found:
    """The definitions read plainly: running unions, every pair of rules, no index, nothing deferred."""
    active = [r for r in filt.rules if is_active(r, as_of)]
    matches = [space.rule_match(r) for r in active]
    decided, seen = [], space.nothing()
    for match in matches:
        decided.append(match - seen)
        seen = seen | match
    rows: Found = set()

    def add(i: int, kind: str, positions: list[int], by_later: bool = False) -> None:
        if positions:
            rows.add((active[i].ref.line, kind, tuple(active[k].ref.line for k in sorted(positions)), by_later))

    for i, (r, match) in enumerate(zip(active, matches, strict=True)):
        if not match:
            continue
        earlier = [k for k in range(i) if not matches[k].isdisjoint(match)]
        opposite = [k for k in earlier if active[k].action != r.action]
        same = [k for k in earlier if active[k].action == r.action]
        if not decided[i]:
            deciders = [k for k in range(i) if not decided[k].isdisjoint(match)]
            shadowed = any(active[k].action != r.action for k in deciders)
            alone = [k for k in (opposite if shadowed else same) if match.issubset(matches[k])]
            add(i, "shadowed" if shadowed else "redundant", sorted(set(deciders) | set(alone)))
        elif not is_catch_all(r):
            add(i, "partially-shadowed", [k for k in opposite if not decided[k].isdisjoint(match)])
        if not is_catch_all(r):
            add(i, "generalization", [k for k in opposite if matches[k].issubset(match) and matches[k] != match])
            add(i, "correlated", [k for k in opposite if not matches[k].issubset(match) and not match.issubset(matches[k])])
        if decided[i]:
            for j in range(i + 1, len(active)):
                if matches[j].isdisjoint(decided[i]):
                    continue
                if active[j].action != r.action:
                    break
                if decided[i].issubset(matches[j]) and decided[j]:
                    add(i, "redundant", [j], by_later=True)
                    break
    return rows


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filt=filters)
def test_analysis_equals_the_plain_definitions(filt: Filter) -> None:
    space = HeaderSpace()
    assert {_row(a) for a in analyse_filter(space, filt, AS_OF)} == reference(space, filt, AS_OF)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filt=filters)
def test_analysis_with_deferred_decisions_equals_the_plain_definitions(filt: Filter) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hs_module, "_DEFER_AFTER", 0)
        patch.setattr(hs_module, "_WITNESS_ROUNDS", 1)
        patch.setattr(hs_module, "_WITNESS_QUESTIONS", 1)
        space = HeaderSpace()
        assert {_row(a) for a in analyse_filter(space, filt, AS_OF)} == reference(space, filt, AS_OF)


# --------------------------------------------------------------------------- the checks, through the pipeline

WEB_RULE = " permit tcp 10.10.10.0 0.0.0.255 10.10.20.0 0.0.0.255 eq 443\n"


def with_rule(entry: str) -> str:
    return mutate(COMPLIANT_IOS, replace={WEB_RULE: WEB_RULE + " remark CHG-2025-0800 test rule\n" + entry + "\n"})


def line_of(config: str, text: str) -> int:
    return config.splitlines().index(text) + 1


def test_checks_silent_on_the_compliant_base(tmp_path: Path) -> None:
    findings_ = audit(tmp_path, {"r1.cfg": COMPLIANT_IOS})
    assert of(findings_, "shadowed-rule") == [] and of(findings_, "redundant-rule") == []


def test_shadowed_rule_check(tmp_path: Path) -> None:
    entry = " deny tcp host 10.10.10.5 10.10.20.0 0.0.0.255 eq 443"
    config = with_rule(entry)
    found_ = of(audit(tmp_path, {"r1.cfg": config}), "shadowed-rule")
    assert len(found_) == 1
    assert found_[0].line == line_of(config, entry)
    assert found_[0].covered_by == [line_of(config, WEB_RULE.rstrip("\n"))]
    assert found_[0].evidence == [entry.strip(), WEB_RULE.strip()]
    assert found_[0].severity == "high" and "WEB_IN" in found_[0].message["en"]
    assert not of(audit(tmp_path, {"r1.cfg": config}), "redundant-rule")


def test_redundant_rule_check(tmp_path: Path) -> None:
    entry = " permit tcp host 10.10.10.5 10.10.20.0 0.0.0.255 eq 443"
    config = with_rule(entry)
    found_ = of(audit(tmp_path, {"r1.cfg": config}), "redundant-rule")
    assert [(f.line, f.covered_by, f.evidence) for f in found_] == [
        (line_of(config, entry), [line_of(config, WEB_RULE.rstrip("\n"))], [entry.strip(), WEB_RULE.strip()])]
    assert found_[0].severity == "low"
    assert "never match" in found_[0].message["en"] and "永遠不會" in found_[0].message["zh-TW"]


def test_redundant_rule_check_by_a_later_rule(tmp_path: Path) -> None:
    entry = " deny udp host 10.10.10.5 any eq 161"
    config = with_rule(entry)
    found_ = of(audit(tmp_path, {"r1.cfg": config}), "redundant-rule")
    final = line_of(config, " deny ip any any log")  # WEB_IN's explicit final deny covers it
    assert [(f.line, f.covered_by) for f in found_] == [(line_of(config, entry), [final])]
    assert "changes no decision" in found_[0].message["en"]


def test_checks_cover_standard_acls(tmp_path: Path) -> None:
    config = mutate(COMPLIANT_IOS, replace={" permit 10.99.0.0 0.0.0.255\n": " permit 10.99.0.0 0.0.0.255\n deny 10.99.0.7\n"})
    found_ = of(audit(tmp_path, {"r1.cfg": config}), "shadowed-rule")
    assert [(f.line, f.covered_by) for f in found_] == [(line_of(config, " deny 10.99.0.7"), [line_of(config, " permit 10.99.0.0 0.0.0.255")])]


def test_info_facts_are_in_the_json_document_not_findings() -> None:
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-m", "netaudit.cli", "audit", "sample_configs", "--topology", "topology/network.yaml",
                          "--format", "json", "--as-of", "2026-11-24"], capture_output=True, text=True, cwd=root, check=False).stdout
    doc = json.loads(out)
    kinds = {f["kind"] for f in doc["rule_facts"]}
    assert kinds <= {"partially-shadowed", "correlated", "generalization"} and kinds
    assert not {f["check"] for f in doc["findings"]} & kinds
    assert all(isinstance(f["line"], int) and f["related"] for f in doc["rule_facts"])
