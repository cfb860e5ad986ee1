"""Hit counters: the IOS, NX-OS and ASA readers on real-format output, ntc-templates against the
own patterns, matching to rules, and the unused-rule window (firing and silent)."""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from netaudit.hits import read_counters
from netaudit.hits.cisco import asa_entries, ios_entries
from netaudit.pipeline import run_audit

FIXTURES = Path(__file__).parent / "fixtures" / "hits"
ROOT = Path(__file__).resolve().parents[1]


def _read(name: str, platform: str):  # type: ignore[no-untyped-def]
    return read_counters((FIXTURES / name).read_text(encoding="utf-8"), name, platform)


def test_ios_show_ip_access_lists() -> None:
    counters = _read("ios.txt", "ios")
    assert counters.parser == "ntc-templates"
    assert counters.hostname == "rtr-lab"
    assert counters.collected == datetime(2026, 11, 24, 10, 15, 32)
    assert counters.uptime == timedelta(days=365 + 14 + 3, hours=4, minutes=5)
    hits = {(e.acl, e.line): e.hits for e in counters.entries}
    assert hits[("101", 10)] == 1234
    assert hits[("ACL-WAN-IN", 30)] == 1  # "(1 match)"
    assert hits[("ACL-WAN-IN", 40)] == 0  # IOS prints no counter for an entry never hit
    assert hits[("VTY-MGMT", 10)] == 344
    timed = next(e for e in counters.entries if e.line == 70)
    assert timed.text.endswith("time-range TR-VENDOR")  # "(inactive)" is decoration, not rule text


def test_nxos_counters_only_with_statistics_per_entry() -> None:
    counters = _read("nxos.txt", "nxos")
    hits = {(e.acl, e.line): e.hits for e in counters.entries}
    assert hits[("ACL-VTY", 10)] == 412 and hits[("ACL-VTY", 20)] == 0
    assert hits[("ACL-SNMP", 10)] is None  # no statistics per-entry: unknown, never "unused"
    assert counters.uptime == timedelta(days=245, hours=3, minutes=12, seconds=5)
    assert counters.cleared == datetime(2026, 11, 4, 8, 0, 5)  # `show accounting log`
    assert counters.since(date(2026, 11, 24)) == (datetime(2026, 11, 4, 8, 0, 5), "clear")
    assert counters.coverage_days(date(2026, 11, 24)) == 20
    assert any("statistics per-entry" in note for note in counters.notes)


def test_asa_hitcnt_remarks_and_expansions() -> None:
    counters = _read("asa.txt", "asa")
    assert counters.parser == "ntc-templates"
    assert counters.hostname == "fw-lab"
    assert counters.uptime == timedelta(days=245, hours=3)  # not the failover cluster's uptime
    lines = [(e.acl, e.line, e.hits) for e in counters.entries]
    assert lines == [("OUTSIDE_IN", 2, 1843210), ("OUTSIDE_IN", 3, 0), ("OUTSIDE_IN", 4, 0), ("OUTSIDE_IN", 5, 12),
                     ("OUTSIDE_IN", 6, 98211), ("DMZ_IN", 1, 5521), ("DMZ_IN", 2, 7)]  # remarks and expansions skipped
    assert counters.entries[0].text == "access-list OUTSIDE_IN extended permit tcp any object WAF01 eq https"
    assert counters.cleared_acl == {"DMZ_IN": datetime(2026, 11, 2, 9, 12, 44)}
    assert counters.coverage_days(date(2026, 11, 24), "DMZ_IN") == 22
    assert counters.coverage_days(date(2026, 11, 24), "OUTSIDE_IN") == 245


@pytest.mark.parametrize(("name", "own"), [("ios.txt", lambda t: ios_entries(t)[0]), ("asa.txt", lambda t: asa_entries(t)[0])])
def test_ntc_templates_and_own_patterns_agree(name: str, own) -> None:  # type: ignore[no-untyped-def]
    text = (FIXTURES / name).read_text(encoding="utf-8")
    platform = "ios" if name.startswith("ios") else "asa"
    via_textfsm = read_counters(text, name, platform)
    assert via_textfsm.parser == "ntc-templates"
    assert via_textfsm.entries == own(text)


def test_sample_hits_match_every_rule_by_text() -> None:
    from netaudit.hits import load_hits
    from netaudit.pipeline import load_devices
    from netaudit.topology import Topology

    devices, _ = load_devices([str(ROOT / "sample_configs")], Topology())
    hits = load_hits(str(ROOT / "sample_hits"), devices, date(2026, 11, 24))
    assert set(hits.devices) == {"fw-edge", "fw-internal", "rtr-inet", "core-sw", "dc-sw01"}
    with_counters = {d.name for d in devices if d.name in hits.devices}
    for device in devices:
        if device.name not in with_counters:
            continue
        for acl in device.filters.values():
            for rule in acl.rules:
                counter = hits.for_rule(rule)
                assert counter is not None, (device.name, acl.name, rule.text)
                assert counter.matched_by == "text"
    assert [w for w in hits.warnings if "statistics per-entry" not in w] == []


# ---- unused-rule: a 0-hit rule over 200 days is unused; over 30 days it is not

CONFIG = """hostname rtr-lab
!
ip access-list extended ACL-WAN-IN
 remark CHG-2026-0001 web to the portal
 10 permit tcp any host 192.0.2.26 eq 443
 remark CHG-2026-0002 DNS to the resolver
 20 permit udp any host 192.0.2.27 eq domain
 30 deny ip any any log
!
interface GigabitEthernet0/0
 ip address 192.0.2.1 255.255.255.0
 ip access-group ACL-WAN-IN in
!
end
"""


def _hits_file(days: int) -> str:
    return (f"rtr-lab#show clock\n*10:00:00.000 TWN Tue Nov 24 2026\nrtr-lab#show version | include uptime\n"
            f"rtr-lab uptime is {days} days, 2 hours, 1 minute\nrtr-lab#show ip access-lists\n"
            "Extended IP access list ACL-WAN-IN\n    10 permit tcp any host 192.0.2.26 eq 443 (5512 matches)\n"
            "    20 permit udp any host 192.0.2.27 eq domain\n    30 deny ip any any log (17 matches)\n")


def _audit(tmp_path: Path, days: int | None):  # type: ignore[no-untyped-def]
    (tmp_path / "configs").mkdir(exist_ok=True)
    (tmp_path / "configs" / "rtr-lab.cfg").write_text(CONFIG, encoding="utf-8")
    hits_dir = None
    if days is not None:
        shutil.rmtree(tmp_path / "hits", ignore_errors=True)
        (tmp_path / "hits").mkdir()
        (tmp_path / "hits" / "rtr-lab.txt").write_text(_hits_file(days), encoding="utf-8")
        hits_dir = str(tmp_path / "hits")
    return run_audit([str(tmp_path / "configs")], as_of=date(2026, 11, 24), hits_dir=hits_dir)


def test_unused_rule_fires_after_200_days(tmp_path: Path) -> None:
    result = _audit(tmp_path, 200)
    unused = [f for f in result.findings if f.check == "unused-rule"]
    assert [f.evidence[0] for f in unused] == ["20 permit udp any host 192.0.2.27 eq domain"]
    assert unused[0].severity == "low" and "200" in unused[0].message["en"] and "200" in unused[0].message["zh-TW"]


def test_unused_rule_silent_over_30_days(tmp_path: Path) -> None:
    assert not [f for f in _audit(tmp_path, 30).findings if f.check == "unused-rule"]


def test_unused_rule_silent_without_hits(tmp_path: Path) -> None:
    assert not [f for f in _audit(tmp_path, None).findings if f.check == "unused-rule"]


def test_unused_days_is_a_policy_parameter(tmp_path: Path) -> None:
    (tmp_path / "network.yaml").write_text("version: 1\npolicy:\n  unused_days: 20\n", encoding="utf-8")
    _audit(tmp_path, 30)
    result = run_audit([str(tmp_path / "configs")], str(tmp_path / "network.yaml"), as_of=date(2026, 11, 24), hits_dir=str(tmp_path / "hits"))
    assert [f.line for f in result.findings if f.check == "unused-rule"] == [7]


def test_audit_cli_hits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from netaudit.cli import main

    _audit(tmp_path, 200)
    code = main(["audit", str(tmp_path / "configs"), "--hits", str(tmp_path / "hits"), "--as-of", "2026-11-24",
                 "--format", "json", "--output", str(tmp_path / "out.json"), "--no-cache"])
    assert code in (0, 1)
    assert '"unused-rule"' in (tmp_path / "out.json").read_text(encoding="utf-8")


def test_collect_header_gives_the_counting_period() -> None:
    """`netaudit collect --hits` writes the raw output under '!' header lines (docs/collect.md): the
    reader takes the collection time and the boot from them, so the counters' period is known."""
    from netaudit.collect.drivers import DeviceData
    from netaudit.collect.writer import hits_text

    output = (FIXTURES / "asa.txt").read_text(encoding="utf-8")
    output = "\n".join(line for line in output.splitlines() if " up " not in line and "uptime" not in line)  # header only
    collected = datetime(2026, 11, 25, 9, 30, 0)
    data = DeviceData(config="hostname fw-lab\n", driver="netmiko", hits=output, hits_command="show access-list",
                      uptime_seconds=200 * 86400)
    counters = read_counters(hits_text("fw-lab", "asa", data, collected), "fw-lab.txt", "asa")
    assert counters is not None and counters.entries
    assert counters.collected in (collected, datetime(2026, 11, 24, 10, 15, 32))  # the output's own clock wins
    assert counters.uptime is not None
    assert counters.coverage_days(date(2026, 11, 25)) >= 199


def test_collected_hits_file_is_tied_to_the_device_by_its_header(tmp_path: Path) -> None:
    """`netaudit collect` names files after the inventory; the header names the config's hostname."""
    from netaudit.collect.drivers import DeviceData
    from netaudit.collect.writer import hits_text
    from netaudit.hits import load_hits
    from netaudit.pipeline import prepare

    context, _ = prepare([str(ROOT / "sample_configs" / "fw-edge.cfg")], str(ROOT / "topology" / "network.yaml"))
    output = "\n".join(line for line in (ROOT / "sample_hits" / "fw-edge.txt").read_text(encoding="utf-8").splitlines()
                       if "#" not in line)  # no prompt: only the header can say whose counters these are
    data = DeviceData(config="hostname fw-edge\n", driver="netmiko", hits=output, uptime_seconds=400 * 86400)
    folder = tmp_path / "hits"
    folder.mkdir()
    (folder / "tpe-edge-asa-01.txt").write_text(hits_text("tpe-edge-asa-01", "asa", data, datetime(2026, 11, 24, 9, 0)), encoding="utf-8")
    hits = load_hits(str(folder), context.devices, date(2026, 11, 24))
    assert list(hits.devices) == ["fw-edge"]


# ---- a counter tied by number or position is shown, never evidence for unused-rule (review #4)

MOVED_CONFIG = """hostname rtr-lab
!
ip access-list extended ACL-MGMT
 remark CHG-2026-0003 SSH to the jump host
 20 permit tcp any host 10.1.1.2 eq 22
 30 permit udp any host 10.1.1.9 eq 161
!
interface GigabitEthernet0/1
 ip address 10.1.1.1 255.255.255.0
 ip access-group ACL-MGMT in
!
end
"""


def _moved_audit(tmp_path: Path, entries: str):  # type: ignore[no-untyped-def]
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "rtr-lab.cfg").write_text(MOVED_CONFIG, encoding="utf-8")
    (tmp_path / "hits").mkdir()
    (tmp_path / "hits" / "rtr-lab.txt").write_text(
        "rtr-lab#show clock\n*10:00:00.000 TWN Tue Nov 24 2026\nrtr-lab uptime is 300 days, 2 hours\n"
        f"rtr-lab#show ip access-lists\nExtended IP access list ACL-MGMT\n{entries}", encoding="utf-8")
    return run_audit([str(tmp_path / "configs")], as_of=date(2026, 11, 24), hits_dir=str(tmp_path / "hits"))


def test_counter_matched_by_number_never_makes_a_rule_unused(tmp_path: Path) -> None:
    """The config changed after the counters were read: rule 20 now names 10.1.1.2, the counter
    10.1.1.3. Same action, protocol and port: the counter is shown, with a warning, but proves nothing."""
    result = _moved_audit(tmp_path, "    20 permit tcp any host 10.1.1.3 eq 22\n    30 permit udp any host 10.1.1.9 eq 161 (4 matches)\n")
    assert sorted((c.line, c.hits, c.matched_by) for c in result.hits.rules.values()) == [(6, 0, "number"), (7, 4, "text")]
    assert not [f for f in result.findings if f.check == "unused-rule"]
    warning = next(w for w in result.warnings if "10.1.1.2" in w)
    assert "by number" in warning and "never make it unused" in warning and "rtr-lab.cfg" in warning and "rtr-lab.txt" in warning


def test_counter_of_another_protocol_is_not_taken_by_number(tmp_path: Path) -> None:
    """Same sequence number, another protocol: a different rule, so rule 20's hits stay unknown."""
    result = _moved_audit(tmp_path, "    20 permit udp any host 10.1.1.2 eq 22\n    30 permit udp any host 10.1.1.9 eq 161 (4 matches)\n")
    assert [(c.line, c.matched_by) for c in result.hits.rules.values()] == [(7, "text")]
    assert any("1 rule(s) have no counter" in w for w in result.warnings)
    assert not [f for f in result.findings if f.check == "unused-rule"]


def test_text_match_still_fires_over_200_days(tmp_path: Path) -> None:
    result = _audit(tmp_path, 200)
    unused = [f for f in result.findings if f.check == "unused-rule"]
    assert [f.line for f in unused] == [7]
    assert {c.matched_by for c in result.hits.rules.values()} == {"text"}


# ---- impossible dates and times cost their line, never the run (review #5)

IOS_ENTRIES = "rtr-lab#show ip access-lists\nExtended IP access list ACL-WAN-IN\n    10 permit tcp any any eq 443\n"
CLOCK = "rtr-lab#show clock\n*10:00:00.000 TWN Tue Nov 24 2026\n"


@pytest.mark.parametrize(("platform", "head", "days"), [
    ("ios", "rtr-lab#show clock\n*10:00:00.000 TWN Fri Feb 30 2026\nrtr-lab uptime is 300 days\n", None),  # no valid clock
    ("ios", "rtr-lab#show clock\n*99:00:00.000 TWN Tue Nov 24 2026\nrtr-lab uptime is 300 days\n", None),
    ("ios", CLOCK + "! counters-since: 2026-13-01\nrtr-lab uptime is 300 days\n", 300),  # the uptime remains
    ("ios", CLOCK + "! counters-since: 2026-05-01 25:00\n", None),
    ("ios", CLOCK + "rtr-lab uptime is 9000 years\n! counters-since: 2026-05-01\n", 207),  # the stated start remains
    ("ios", CLOCK + "rtr-lab uptime is 99999999999999 years\n", None),
    ("asa", CLOCK + "fw-lab up 300 days\nNov 0 2026 10:15:32: %ASA-5-111008: User 'a' executed the 'clear access-list counters' command.\n", 300),
    ("nxos", CLOCK + "Kernel uptime is 300 day(s)\nFri Nov 31 10:15:32 2026:type=update:id=vsh.1:user=admin:cmd=clear ip access-list counters (SUCCESS)\n", 300),
])
def test_impossible_dates_are_a_note_not_a_crash(platform: str, head: str, days: int | None) -> None:
    entries = {"ios": IOS_ENTRIES, "asa": "access-list OUT line 1 extended permit tcp any any eq https (hitcnt=0) 0x1a2b3c4d\n",
               "nxos": "IP access list ACL-VTY\n        statistics per-entry\n        10 permit tcp any any eq 22 [match=0]\n"}[platform]
    counters = read_counters(head + entries, "rtr-lab.txt", platform)
    assert counters is not None and counters.entries
    assert any("line " in note or "uptime" in note for note in counters.notes), counters.notes
    assert counters.coverage_days(date(2026, 11, 24)) == days


def test_impossible_dates_through_the_audit(tmp_path: Path) -> None:
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "rtr-lab.cfg").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "hits").mkdir()
    (tmp_path / "hits" / "rtr-lab.txt").write_text(
        "rtr-lab#show clock\n*10:00:00.000 TWN Fri Feb 30 2026\n! counters-since: 2026-13-01\nrtr-lab uptime is 9000 years\n" + IOS_ENTRIES,
        encoding="utf-8")
    result = run_audit([str(tmp_path / "configs")], as_of=date(2026, 11, 24), hits_dir=str(tmp_path / "hits"))
    assert any("rtr-lab.txt: line 2: show clock" in w for w in result.warnings)
    assert any("rtr-lab.txt: line 3: counters-since" in w for w in result.warnings)
    assert not [f for f in result.findings if f.check == "unused-rule"]


# ---- without a collection time, uptime dates nothing and a stated start counts to the file's mtime (review #10)

def _undated(tmp_path: Path, head: str, written: datetime) -> Path:
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "rtr-lab.cfg").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "hits").mkdir()
    path = tmp_path / "hits" / "rtr-lab.txt"
    path.write_text(head + "rtr-lab#show ip access-lists\nExtended IP access list ACL-WAN-IN\n"
                    "    10 permit tcp any host 192.0.2.26 eq 443 (5512 matches)\n    20 permit udp any host 192.0.2.27 eq domain\n"
                    "    30 deny ip any any log (17 matches)\n", encoding="utf-8")
    os.utime(path, (written.timestamp(), written.timestamp()))
    return tmp_path


def test_stated_start_without_collection_time_counts_to_the_file_mtime(tmp_path: Path) -> None:
    """Read in May, reviewed in November: 2026-01-01 to the file's write, not 328 days."""
    _undated(tmp_path, "! counters-since: 2026-01-01\n", datetime(2026, 5, 20, 12, 0))
    result = run_audit([str(tmp_path / "configs")], as_of=date(2026, 11, 24), hits_dir=str(tmp_path / "hits"))
    assert {c.coverage_days for c in result.hits.rules.values()} == {139}
    assert not [f for f in result.findings if f.check == "unused-rule"]
    assert any("no collection time" in w and "modification time (2026-05-20)" in w for w in result.warnings)


def test_uptime_without_collection_time_is_unknown(tmp_path: Path) -> None:
    _undated(tmp_path, "rtr-lab uptime is 400 days\n", datetime(2026, 11, 24, 9, 0))
    result = run_audit([str(tmp_path / "configs")], as_of=date(2026, 11, 24), hits_dir=str(tmp_path / "hits"))
    assert {c.coverage_days for c in result.hits.rules.values()} == {None}
    assert not [f for f in result.findings if f.check == "unused-rule"]
    assert any("uptime cannot date the counters" in w for w in result.warnings)


def test_mtime_after_the_audit_date_counts_to_the_audit_date(tmp_path: Path) -> None:
    _undated(tmp_path, "! counters-since: 2026-01-01\n", datetime(2027, 3, 1))
    result = run_audit([str(tmp_path / "configs")], as_of=date(2026, 11, 24), hits_dir=str(tmp_path / "hits"))
    assert {c.coverage_days for c in result.hits.rules.values()} == {327}
    assert [f.line for f in result.findings if f.check == "unused-rule"] == [7]


def test_port_names_and_numbers_agree_for_a_number_match(tmp_path: Path) -> None:
    """The device prints `snmp` where the config says 161: the same shape, so the counter is tied by number."""
    result = _moved_audit(tmp_path, "    20 permit tcp any host 10.1.1.2 eq 22\n    30 permit udp any host 10.1.1.9 eq snmp\n")
    assert sorted((c.line, c.matched_by) for c in result.hits.rules.values()) == [(6, "text"), (7, "number")]
    assert [f.line for f in result.findings if f.check == "unused-rule"] == [5]  # by its own text only
