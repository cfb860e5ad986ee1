"""End to end: real SSH servers on 127.0.0.1 that behave like devices, read through the real NAPALM
ios driver and netmiko, by the command a user runs (``netaudit collect``)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest

from netaudit.cli import main
from tests.collect.simulator import PASSWORD, USERNAME, Device, Simulator, free_port, simulator

ENV = {"NETAUDIT_USERNAME": USERNAME, "NETAUDIT_PASSWORD": PASSWORD}
FAST = ["--timeout", "3", "--connect-timeout", "2"]


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with simulator() as running:
        yield running


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)


def inventory(path: Path, devices: list[Device], extra: dict[str, int] | None = None) -> str:
    lines = ["hosts:"]
    for device in devices:
        lines += [f"  {device.name}:", "    hostname: 127.0.0.1", f"    port: {device.port}", f"    platform: {device.kind}"]
    for name, port in (extra or {}).items():
        lines += [f"  {name}:", "    hostname: 127.0.0.1", f"    port: {port}", "    platform: ios"]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def trusted(sim: Simulator, path: Path, devices: list[Device]) -> str:
    path.write_text("".join(sim.known_hosts_line(device) for device in devices))
    return str(path)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["collect", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_good_bad_hanging_and_closing_devices(sim: Simulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    devices = [sim.add(Device("rtr-ok")), sim.add(Device("fw-ok", kind="asa")),
               sim.add(Device("rtr-badpass", password="Another-Pa55")), sim.add(Device("rtr-hang", behaviour="hang")),
               sim.add(Device("rtr-close", behaviour="close")), sim.add(Device("rtr-silent", behaviour="silent"))]
    out = tmp_path / "out"
    out.mkdir()
    last_good = {name: f"hostname {name}\n! last good copy\n" for name in ("rtr-badpass", "rtr-hang", "rtr-close", "rtr-silent", "rtr-refused")}
    for name, text in last_good.items():
        (out / f"{name}.cfg").write_text(text)
    started = time.monotonic()
    code, stdout, stderr = run(["--inventory", inventory(tmp_path / "inv.yaml", devices, {"rtr-refused": free_port()}),
                                "--output", str(out), "--known-hosts", trusted(sim, tmp_path / "known_hosts", devices),
                                "--workers", "4", *FAST], capsys)
    elapsed = time.monotonic() - started
    assert code == 1
    assert elapsed < 12, f"a hanging device held the run for {elapsed:.1f} s"
    assert "2 collected, 5 failed" in stdout
    rows = {line.split("│")[1].strip(): line for line in stdout.splitlines() if line.startswith("│") and line.split("│")[1].strip()}
    assert "collected" in rows["rtr-ok"] and "collected" in rows["fw-ok"]
    assert "authentication failed" in rows["rtr-badpass"]
    assert "timeout" in rows["rtr-hang"]
    assert "connection closed by the device" in rows["rtr-close"]
    assert "timeout: no SSH banner within 2 s" in rows["rtr-silent"]
    assert "connection refused" in rows["rtr-refused"]
    for name, text in last_good.items():
        assert (out / f"{name}.cfg").read_text() == text, f"{name}: a failed fetch replaced the last good file"
    assert not list(out.rglob(".*")), "a temporary file was left behind"
    assert "hostname rtr-ok" in (out / "rtr-ok.cfg").read_text()
    assert (out / "fw-ok.cfg").read_text().startswith(": Saved")
    assert PASSWORD not in stdout + stderr and "Another-Pa55" not in stdout + stderr


def test_hits_and_facts_for_ios_and_asa(sim: Simulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    devices = [sim.add(Device("core-rtr")), sim.add(Device("fw-core", kind="asa"))]
    out = tmp_path / "out"
    code, stdout, _ = run(["--inventory", inventory(tmp_path / "inv.yaml", devices), "--output", str(out), "--hits",
                           "--redact", "--known-hosts", trusted(sim, tmp_path / "known_hosts", devices), *FAST], capsys)
    assert code == 0, stdout
    ios_hits = (out / "hits" / "core-rtr.txt").read_text()
    assert ios_hits.startswith("! netaudit-collect hits v1\n! device: core-rtr\n! hostname: core-rtr\n! platform: ios\n")
    assert "! uptime-seconds: 1483500\n" in ios_hits and "(1523 matches)" in ios_hits
    asa_hits = (out / "hits" / "fw-core.txt").read_text()
    assert "! command: show access-list\n" in asa_hits and "(hitcnt=4821)" in asa_hits and "! uptime: 12d 03h 00m" in asa_hits
    facts = json.loads((out / "core-rtr.facts.json").read_text())
    assert facts["driver"] == "napalm:ios" and facts["facts"]["hostname"] == "core-rtr"
    assert facts["interfaces_ip"]["GigabitEthernet0/1"]["ipv4"] == {"10.2.2.1": {"prefix_length": 24}}
    assert facts["cdp_neighbors"][0]["neighbor"] == "core-sw.example.com"
    config = (out / "core-rtr.cfg").read_text()
    assert "N0tPublic" not in config and "snmp-server community <masked> RO" in config  # --redact


def test_host_keys_unknown_accepted_and_changed(sim: Simulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    device = sim.add(Device("edge-rtr"))
    inv = inventory(tmp_path / "inv.yaml", [device])
    known_hosts = tmp_path / "known_hosts"
    out = str(tmp_path / "out")

    code, stdout, _ = run(["--inventory", inv, "--output", out, "--known-hosts", str(known_hosts), *FAST], capsys)
    assert code == 1 and "unknown host key" in stdout and "--accept-new-host-keys" in stdout
    assert device.logins == 0, "a password was sent to an unverified host"
    assert not known_hosts.exists()

    code, stdout, _ = run(["--inventory", inv, "--output", out, "--known-hosts", str(known_hosts), "--accept-new-host-keys", *FAST], capsys)
    assert code == 0, stdout
    assert known_hosts.read_text() == sim.known_hosts_line(device)
    code, stdout, _ = run(["--inventory", inv, "--output", out, "--known-hosts", str(known_hosts), *FAST], capsys)
    assert code == 0, stdout  # known now, no flag needed

    impostor = asyncssh.generate_private_key("ssh-ed25519")
    known_hosts.write_text("# another device had this address\n" + sim.known_hosts_line(device, impostor))
    logins = device.logins
    code, stdout, _ = run(["--inventory", inv, "--output", out, "--known-hosts", str(known_hosts), "--accept-new-host-keys", *FAST], capsys)
    assert code == 1 and "host key CHANGED" in stdout
    assert device.logins == logins
    assert known_hosts.read_text() == "# another device had this address\n" + sim.known_hosts_line(device, impostor)


def test_fifty_devices_in_parallel(sim: Simulator, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    devices = [sim.add(Device(f"acc-sw-{i:02d}")) for i in range(50)]
    out = tmp_path / "out"
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich takes stderr for a terminal: the progress bar is drawn
    started = time.monotonic()
    code, stdout, stderr = run(["--inventory", inventory(tmp_path / "inv.yaml", devices), "--output", str(out), "--workers", "50",
                                "--known-hosts", str(tmp_path / "known_hosts"), "--accept-new-host-keys", "--timeout", "30"], capsys)
    elapsed = time.monotonic() - started
    assert code == 0, stdout
    assert "50 collected, 0 failed" in stdout and "collecting" in stderr
    assert sorted(p.name for p in out.glob("*.cfg")) == [f"acc-sw-{i:02d}.cfg" for i in range(50)]
    assert len((tmp_path / "known_hosts").read_text().splitlines()) == 50  # no parallel session lost another's key
    assert elapsed < 25, f"50 devices took {elapsed:.1f} s (one after another would take about a minute)"


def test_the_collected_folder_is_audited(sim: Simulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    devices = [sim.add(Device("br-rtr")), sim.add(Device("br-fw", kind="asa"))]
    out = tmp_path / "out"
    code, stdout, _ = run(["--inventory", inventory(tmp_path / "inv.yaml", devices), "--output", str(out),
                           "--known-hosts", trusted(sim, tmp_path / "known_hosts", devices), *FAST], capsys)
    assert code == 0, stdout
    code = main(["audit", str(out / "br-rtr.cfg"), str(out / "br-fw.cfg"), "--format", "json", "--lang", "en"])
    document = json.loads(capsys.readouterr().out)
    assert sorted((d["name"], d["platform"]) for d in document["devices"]) == [("br-fw", "asa"), ("br-rtr", "ios")]
    assert code in (0, 1)


def test_the_collected_folder_is_audited_as_a_folder(sim: Simulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    devices = [sim.add(Device("dc-rtr"))]
    out = tmp_path / "out"
    code, stdout, _ = run(["--inventory", inventory(tmp_path / "inv.yaml", devices), "--output", str(out), "--hits",
                           "--known-hosts", trusted(sim, tmp_path / "known_hosts", devices), *FAST], capsys)
    assert code == 0, stdout
    main(["audit", str(out), "--format", "json", "--lang", "en"])
    document = json.loads(capsys.readouterr().out)
    assert [d["name"] for d in document["devices"]] == ["dc-rtr"]
    assert not document.get("not_assessed")


def test_no_password_option_and_bad_inventory_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["collect", "--inventory", "x", "--output", "y", "--password", "secret"])
    assert caught.value.code == 2
    bad = tmp_path / "inv.yaml"
    bad.write_text("hosts:\n  r1:\n    platform: ios\n    password: hunter2\n")
    code, _, stderr = run(["--inventory", str(bad), "--output", str(tmp_path / "out")], capsys)
    assert code == 2 and f"{bad}:4:" in stderr and "hunter2" not in stderr
