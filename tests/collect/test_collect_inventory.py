"""The inventory (Nornir SimpleInventory shape) and the credentials it names."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from netaudit.collect.credentials import Credentials, CredentialsMissing, env_prefix, resolve
from netaudit.collect.inventory import load_inventory, select
from netaudit.errors import NetauditInputError

SINGLE_FILE = """\
defaults:
  username: auditor
  data:
    credentials: netops
groups:
  core:
    platform: ios
    port: 2222
    groups: [taipei]
  taipei:
    data:
      site: taipei
      credentials: taipei-ro
  firewalls:
    platform: asa
hosts:
  core-sw:
    hostname: 10.0.0.1
    groups: [core]
  fw-edge:
    hostname: 10.0.0.2
    groups: [firewalls]
    data:
      credentials: fw
  lab:
    platform: nxos_ssh
"""


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_single_file_inherits_from_groups_then_defaults(tmp_path: Path) -> None:
    targets = {t.name: t for t in load_inventory(write(tmp_path, "inventory.yaml", SINGLE_FILE))}
    core = targets["core-sw"]
    assert (core.hostname, core.platform, core.port, core.username) == ("10.0.0.1", "ios", 2222, "auditor")
    assert core.groups == ("core", "taipei")  # groups of groups, in Nornir's order
    assert core.data == {"credentials": "taipei-ro", "site": "taipei"}  # nearest wins, key by key
    assert targets["fw-edge"].platform == "asa" and targets["fw-edge"].data["credentials"] == "fw"
    assert targets["lab"].hostname == "lab" and targets["lab"].port is None  # hostname defaults to the name


def test_nornir_three_file_layout(tmp_path: Path) -> None:
    hosts = write(tmp_path, "hosts.yaml", "r1:\n  hostname: 192.0.2.1\n  groups: [routers]\n")
    write(tmp_path, "groups.yaml", "routers:\n  platform: ios\n")
    write(tmp_path, "defaults.yaml", "username: netaudit\nport: 22\n")
    [target] = load_inventory(hosts)
    assert (target.name, target.platform, target.username, target.port) == ("r1", "ios", "netaudit", 22)


@pytest.mark.parametrize("text, line, words", [
    ("hosts:\n  r1:\n    platform: ios\n    password: hunter2\n", 4, "credentials are not read from the inventory"),
    ("defaults:\n  data:\n    secret: en4ble\nhosts:\n  r1: {platform: ios}\n", 3, "credentials are not read"),
    ("hosts:\n  r1:\n    platform: ios\n    connection_options:\n      netmiko:\n        extras:\n          ssh_strict: false\n", 2, "come from the command line"),
    ("hosts:\n  r1:\n    platform: ios\n    connection_options:\n      napalm:\n        extras:\n          optional_args: {alt_key_file: /tmp/k}\n", 2, "come from the command line"),
    ("hosts:\n  r1:\n    hostname: 10.0.0.1\n", 2, "no platform"),
    ("hosts:\n  r1: {platform: ios, groups: [nowhere]}\n", 2, "no group named 'nowhere'"),
    ("hosts:\n  r1: {platform: ios, colour: red}\n", 2, "unknown key 'colour'"),
    ("hosts:\n  r1: {platform: ios, port: 70000}\n", 2, "port must be"),
    ("hosts:\n  r1: {platform: ios}\n  r1: {platform: nxos}\n", 3, "duplicate name"),
    ("hosts:\n  r1: [unclosed\n", 3, ""),
    ("hosts: {}\n", None, "no hosts"),
])
def test_bad_inventories_name_file_and_line(tmp_path: Path, text: str, line: int | None, words: str) -> None:
    path = write(tmp_path, "inventory.yaml", text)
    with pytest.raises(NetauditInputError) as caught:
        load_inventory(path)
    assert caught.value.file == path and caught.value.line == line
    assert words in caught.value.reason
    assert "hunter2" not in str(caught.value) and "en4ble" not in str(caught.value)


def test_only_selects_hosts_and_groups(tmp_path: Path) -> None:
    path = write(tmp_path, "inventory.yaml", SINGLE_FILE)
    targets = load_inventory(path)
    assert [t.name for t in select(targets, ["core"], path)] == ["core-sw"]
    assert [t.name for t in select(targets, ["lab", "fw-edge"], path)] == ["fw-edge", "lab"]
    with pytest.raises(NetauditInputError, match="no host or group named ghost"):
        select(targets, ["ghost"], path)


# --------------------------------------------------------------------------- credentials


def test_credentials_from_the_named_environment_variables(tmp_path: Path) -> None:
    targets = {t.name: t for t in load_inventory(write(tmp_path, "inventory.yaml", SINGLE_FILE))}
    environ = {"NETAUDIT_FW_PASSWORD": "fw-pass", "NETAUDIT_FW_SECRET": "fw-enable",
               "NETAUDIT_TAIPEI_RO_PASSWORD": "tp-pass", "NETAUDIT_NETOPS_PASSWORD": "ops-pass"}
    fw = resolve(targets["fw-edge"], environ)
    assert (fw.username, fw.password, fw.secret) == ("auditor", "fw-pass", "fw-enable")
    assert resolve(targets["core-sw"], environ).password == "tp-pass"
    assert resolve(targets["lab"], environ).password == "ops-pass"
    assert env_prefix(None) == env_prefix("default") == "NETAUDIT_"
    with pytest.raises(CredentialsMissing, match="NETAUDIT_FW_PASSWORD"):
        resolve(targets["fw-edge"], {})


def test_credentials_never_show_in_repr_or_messages() -> None:
    credentials = Credentials("auditor", "Very-Secret-1", "Enable-Secret-2")
    assert "Very-Secret-1" not in repr(credentials) and "Enable-Secret-2" not in repr(credentials)
    assert credentials.scrub("login as auditor/Very-Secret-1 then Enable-Secret-2") == "login as auditor/<masked> then <masked>"


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps entries in memory (the OS keyring is not on a CI machine)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


def test_credentials_from_the_keyring_entry_the_inventory_names(tmp_path: Path) -> None:
    path = write(tmp_path, "inventory.yaml", "hosts:\n  r1:\n    platform: ios\n    username: auditor\n    data: {keyring: netaudit-prod}\n")
    [target] = load_inventory(path)
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        with pytest.raises(CredentialsMissing, match="keyring has no password for service 'netaudit-prod'"):
            resolve(target, {})
        backend.set_password("netaudit-prod", "auditor", "from-keyring")
        backend.set_password("netaudit-prod", "auditor:enable", "enable-from-keyring")
        credentials = resolve(target, {"NETAUDIT_PASSWORD": "ignored-when-keyring-named"})
        assert (credentials.password, credentials.secret) == ("from-keyring", "enable-from-keyring")
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize("value", ["data: {since: 2026-13-01}", "port: !!int abc", "data: !!python/object:os.system {}"])
def test_a_value_yaml_cannot_build_is_bad_input_at_its_line(tmp_path: Path, value: str) -> None:
    bad = tmp_path / "hosts.yaml"
    bad.write_text(f"r1:\n  hostname: 127.0.0.1\n  platform: ios\n  {value}\n", encoding="utf-8")
    with pytest.raises(NetauditInputError) as caught:
        load_inventory(str(bad))
    assert caught.value.line == 4


def test_https_platforms_verify_the_certificate() -> None:
    """NX-API and eAPI send the password over HTTPS; their libraries' default is not to check."""
    from netaudit.collect.drivers import _verify_https

    nxos: dict[str, object] = {"ssl_verify": False}
    _verify_https("nxos", nxos)
    assert nxos["ssl_verify"] is True
    ca: dict[str, object] = {"ssl_verify": "/etc/ssl/our-ca.pem"}
    _verify_https("nxos", ca)
    assert ca["ssl_verify"] == "/etc/ssl/our-ca.pem"
    eos: dict[str, object] = {}
    _verify_https("eos", eos)
    assert eos["enforce_verification"] is True and eos["context"] is not None


def test_scrub_masks_the_password_as_a_repr_shows_it() -> None:
    credentials = Credentials("auditor", "p\\ss'w0rd", None)
    text = credentials.scrub(f"login failed for {credentials.password!r} / {credentials.password}")
    assert "ss'w0rd" not in text and "w0rd" not in text
