"""Collection through NAPALM's own mock driver (configs and getters served from files), and the files it writes."""

from __future__ import annotations

import json
import os
from datetime import UTC
from pathlib import Path

import pytest

from netaudit.collect.drivers import DeviceData, FetchOptions, uptime_seconds
from netaudit.collect.hostkeys import HostKeyPolicy
from netaudit.collect.inventory import load_inventory
from netaudit.collect.runner import check_unique_names, collect
from netaudit.collect.writer import atomic_write, safe_name, write_device
from tests.collect.simulator import IOS_ACL_HITS, IOS_CDP, ios_config

ENV = {"NETAUDIT_USERNAME": "auditor", "NETAUDIT_PASSWORD": "Mock-Pa55"}


def mock_device(folder: Path, *, config: str | None = None, exception: str | None = None) -> Path:
    """One device's recorded answers in the mock driver's layout (<getter>.<call number>)."""
    folder.mkdir(parents=True)
    name = folder.name
    running = {"exception": exception, "args": ["the device went away"]} if exception else {"running": config or ios_config(name), "startup": "", "candidate": ""}
    (folder / "get_config.1").write_text(json.dumps(running))
    (folder / "get_facts.1").write_text(json.dumps({
        "uptime": 90061.0, "vendor": "Cisco", "os_version": "15.7(3)M4", "serial_number": "FTX1", "model": "CISCO2911/K9",
        "hostname": name, "fqdn": f"{name}.example.com", "interface_list": ["GigabitEthernet0/0"]}))
    (folder / "get_interfaces_ip.1").write_text(json.dumps({"GigabitEthernet0/0": {"ipv4": {"10.1.1.1": {"prefix_length": 24}}}}))
    (folder / "get_lldp_neighbors.1").write_text(json.dumps({"GigabitEthernet0/1": [{"hostname": "dist-sw", "port": "Gi1/0/1"}]}))
    (folder / "cli.1.show_cdp_neighbors_detail.0").write_text(IOS_CDP)
    (folder / "cli.2.show_access_lists.0").write_text(IOS_ACL_HITS)
    return folder


def inventory(tmp_path: Path, devices: dict[str, Path], fail_on_open: set[str] = frozenset()) -> list:  # type: ignore[type-arg]
    lines = ["hosts:"]
    for name, folder in devices.items():
        options = {"path": str(folder), "profile": ["ios"], "fail_on_open": name in fail_on_open}
        lines += [f"  {json.dumps(name)}:", "    platform: mock",
                  f"    connection_options: {{napalm: {{extras: {{optional_args: {json.dumps(options)}}}}}}}"]
    path = tmp_path / "inventory.yaml"
    path.write_text("\n".join(lines) + "\n")
    return load_inventory(str(path))


def options(tmp_path: Path, hits: bool = True) -> FetchOptions:
    return FetchOptions(HostKeyPolicy(str(tmp_path / "known_hosts")), timeout=10, connect_timeout=5, hits=hits)


def test_mock_devices_give_config_facts_neighbours_and_hits(tmp_path: Path) -> None:
    devices = {"core-rtr": mock_device(tmp_path / "mock" / "core-rtr")}
    out = tmp_path / "out"
    report = collect(inventory(tmp_path, devices), out, options(tmp_path), environ=ENV)
    assert [o.ok for o in report.outcomes] == [True]
    assert sorted(p.name for p in out.rglob("*")) == ["core-rtr.cfg", "core-rtr.facts.json", "core-rtr.txt", "hits"]
    assert "hostname core-rtr" in (out / "core-rtr.cfg").read_text()
    facts = json.loads((out / "core-rtr.facts.json").read_text())
    assert facts["schema"] == "netaudit/collect-facts/v1" and facts["driver"] == "napalm:mock"
    assert facts["interfaces_ip"]["GigabitEthernet0/0"]["ipv4"] == {"10.1.1.1": {"prefix_length": 24}}
    assert facts["lldp_neighbors"]["GigabitEthernet0/1"][0]["hostname"] == "dist-sw"
    assert facts["cdp_neighbors"] == [{"local_interface": "GigabitEthernet0/0", "neighbor": "core-sw.example.com",
                                       "neighbor_interface": "GigabitEthernet1/0/24", "management_address": "10.1.1.2",
                                       "platform": "cisco WS-C3850-24T"}]
    hits = (out / "hits" / "core-rtr.txt").read_text().splitlines()
    header = [line for line in hits if line.startswith("!")]
    assert header[0] == "! netaudit-collect hits v1"
    assert "! device: core-rtr" in header and "! command: show access-lists" in header
    assert "! uptime-seconds: 90061" in header and "! uptime: 1d 01h 01m" in header
    assert any(line.startswith("! booted: ") for line in header) and any(line.startswith("! collected: ") for line in header)
    assert hits[len(header):] == IOS_ACL_HITS.splitlines()


def test_a_failed_fetch_keeps_the_last_good_files_and_the_others_go_on(tmp_path: Path) -> None:
    devices = {"good": mock_device(tmp_path / "mock" / "good"),
               "gone": mock_device(tmp_path / "mock" / "gone", exception="napalm.base.exceptions.ConnectionClosedException"),
               "refuses": mock_device(tmp_path / "mock" / "refuses"),
               "blank": mock_device(tmp_path / "mock" / "blank", config="  \n")}
    out = tmp_path / "out"
    out.mkdir()
    for name in ("gone", "refuses", "blank"):
        (out / f"{name}.cfg").write_text(f"hostname {name}\n! the last good config\n")
    report = collect(inventory(tmp_path, devices, fail_on_open={"refuses"}), out, options(tmp_path), workers=2, environ=ENV)
    by_name = {o.name: o for o in report.outcomes}
    assert by_name["good"].ok and not by_name["gone"].ok and not by_name["refuses"].ok and not by_name["blank"].ok
    assert "ConnectionClosedException" in by_name["gone"].reason
    assert "You told me to do this" in by_name["refuses"].reason
    assert by_name["blank"].reason == "the device returned an empty configuration"
    for name in ("gone", "refuses", "blank"):
        assert (out / f"{name}.cfg").read_text() == f"hostname {name}\n! the last good config\n"
    assert not [p for p in out.rglob(".*")], "no temporary file left behind"


def test_missing_credentials_fail_that_device_only(tmp_path: Path) -> None:
    devices = {"r1": mock_device(tmp_path / "mock" / "r1")}
    report = collect(inventory(tmp_path, devices), tmp_path / "out", options(tmp_path), environ={})
    assert not report.outcomes[0].ok and "NETAUDIT_USERNAME" in report.outcomes[0].reason


def test_an_uninstalled_napalm_driver_is_named(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text("hosts:\n  r1: {platform: vyos, hostname: 127.0.0.1}\n")
    report = collect(load_inventory(str(path)), tmp_path / "out", options(tmp_path), environ=ENV)
    assert report.outcomes[0].reason == "no NAPALM driver for platform 'vyos' (a community driver installs as napalm-vyos)"


@pytest.mark.parametrize("name", ["../x", "..", "a/b", "/etc/passwd", ".hidden", "CON", "", "core sw 1", "x" * 300])
def test_safe_names_stay_in_the_folder_and_visible(tmp_path: Path, name: str) -> None:
    safe = safe_name(name)
    assert safe and not safe.startswith(".") and "/" not in safe and "\\" not in safe and len(safe) <= 89
    written = atomic_write(tmp_path, f"{safe}.cfg", b"x")
    assert written.resolve().parent == tmp_path.resolve()
    assert safe_name("core-sw01.tpe") == "core-sw01.tpe"  # a plain name is kept as it is


def test_names_that_would_share_a_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text("hosts:\n  Core-SW: {platform: ios}\n  core-sw: {platform: ios}\n  a/b: {platform: ios}\n  a_b: {platform: ios}\n")
    targets = load_inventory(str(path))
    assert "would share the file" in (check_unique_names(targets) or "")
    assert check_unique_names(targets[2:]) is None  # 'a/b' and 'a_b' get different files


def test_atomic_write_refuses_to_leave_the_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="refusing to write outside"):
        atomic_write(tmp_path / "out", "../escape.cfg", b"x")
    assert not (tmp_path / "escape.cfg").exists()


def test_redact_masks_secrets_in_the_saved_config(tmp_path: Path) -> None:
    data = DeviceData(config=ios_config("r1"), driver="napalm:ios")
    from datetime import datetime

    write_device(tmp_path, "r1", "10.0.0.1", "ios", data, datetime(2026, 11, 24, tzinfo=UTC), redact=True)
    text = (tmp_path / "r1.cfg").read_text()
    assert "N0tPublic" not in text and "$9$abcdefghijklmn" not in text
    assert "snmp-server community <masked> RO" in text and "enable secret 9 <masked>" in text
    assert oct(os.stat(tmp_path / "r1.cfg").st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("text, seconds", [
    ("2 weeks, 3 days, 4 hours, 5 minutes", 14 * 86400 + 3 * 86400 + 4 * 3600 + 300),
    ("12 days 3 hours", 12 * 86400 + 3 * 3600),
    ("1 year, 2 days, 10:20:30", 365 * 86400 + 2 * 86400 + 10 * 3600 + 20 * 60 + 30),
    ("unknown", None),
])
def test_uptime_text(text: str, seconds: int | None) -> None:
    assert uptime_seconds(text) == seconds
