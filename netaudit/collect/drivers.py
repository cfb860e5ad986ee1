"""How each platform is fetched: NAPALM where it has a driver, netmiko's SSH CLI where it has none.

NAPALM states one contract (``get_config``, ``get_facts``, ``get_interfaces_ip``,
``get_lldp_neighbors``) for every driver it and the community ship, so a platform with a driver
needs nothing here but its name. ASA, FortiOS and PAN-OS have no working NAPALM driver today
(napalm-asa speaks the retired ASA REST API, napalm-fortios is unmaintained, napalm-panos needs
the XML API rather than SSH), so for them the running configuration is read over SSH with
netmiko, by the command the vendor documents.

Only the running configuration is required; every other getter is best effort (its error is
recorded in the facts file) because a device that cannot tell its LLDP neighbours still has a
configuration worth auditing.
"""

from __future__ import annotations

import contextlib
import re
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from netaudit.collect.credentials import Credentials
from netaudit.collect.hostkeys import HostKeyPolicy
from netaudit.collect.inventory import Target


@dataclass(frozen=True)
class CliPlatform:
    """A platform read over SSH with netmiko: its netmiko device type and the commands to send."""

    device_type: str
    config_command: str
    version_command: str | None = None
    uptime_pattern: str | None = None  # group 1 is the uptime text in the version output
    hits_command: str | None = None


CLI_PLATFORMS: dict[str, CliPlatform] = {
    "asa": CliPlatform("cisco_asa", "show running-config", "show version", r"^\S+ up (.+?)\s*$", "show access-list"),
    "fortios": CliPlatform("fortinet", "show full-configuration", "get system performance status", r"^Uptime:\s*(.+?)\s*$"),
    "panos": CliPlatform("paloalto_panos", "show config running", "show system info", r"^uptime:\s*(.+?)\s*$"),
}
# NAPALM drivers whose session is SSH (netmiko, NETCONF): their host key is checked first.
SSH_NAPALM = {"ios": 22, "nxos_ssh": 22, "iosxr": 22, "iosxr_netconf": 830, "junos": 22}
# The ACL counters ``netaudit review --hits`` reads, by platform.
HITS_COMMANDS = {"ios": "show access-lists", "nxos": "show ip access-lists", "nxos_ssh": "show ip access-lists"}
CDP_PLATFORMS = {"ios": "cisco_ios", "nxos_ssh": "cisco_nxos", "nxos": "cisco_nxos"}
ALIASES = {
    "cisco_ios": "ios", "iosxe": "ios", "ios-xe": "ios", "ios_xe": "ios", "cisco_xe": "ios",
    "cisco_nxos": "nxos_ssh", "nx-os": "nxos", "cisco_asa": "asa", "fortinet": "fortios", "fortigate": "fortios",
    "paloalto_panos": "panos", "pan-os": "panos", "paloalto": "panos", "arista_eos": "eos",
    "juniper_junos": "junos", "juniper": "junos", "cisco_xr": "iosxr", "ios-xr": "iosxr",
}


def canonical_platform(name: str) -> str:
    return ALIASES.get(name, name)


@dataclass
class DeviceData:
    """What one device gave: the config (required) and the rest (best effort)."""

    config: str
    driver: str
    facts: dict[str, Any] = field(default_factory=dict)
    hits: str | None = None
    hits_command: str | None = None
    uptime_seconds: float | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FetchOptions:
    """The knobs every driver gets; see docs/collect.md for the defaults and why."""

    host_keys: HostKeyPolicy
    timeout: float = 120.0          # the whole device: connect, log in, every command
    connect_timeout: float = 15.0   # TCP connect, SSH banner, authentication
    hits: bool = False


class Abort:
    """Between a device's thread and the runner: the runner closes the connection when the deadline
    passes (that unblocks the thread), and learns early when the device dropped the connection
    (netmiko would otherwise wait for the prompt until the read timeout)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._closers: list[Callable[[], None]] = []
        self._session: Any = None
        self.aborted = False

    def watch(self, session: Any) -> None:
        """The netmiko session whose SSH transport tells whether the device is still there."""
        self._session = session

    def done(self) -> None:
        """The fetch is over: our own disconnect is not the device dropping the line."""
        self._session = None

    def connection_lost(self) -> bool:
        session = self._session
        return session is not None and _transport_closed(session)

    def register(self, closer: Callable[[], None]) -> None:
        with self._lock:
            self._closers.append(closer)
            late = self.aborted
        if late:
            _quietly(closer)

    def abort(self) -> None:
        with self._lock:
            self.aborted = True
            closers = list(self._closers)
        for closer in closers:
            _quietly(closer)


def _transport_closed(session: Any) -> bool:
    client = getattr(session, "remote_conn_pre", None)
    transport = client.get_transport() if client is not None else None
    return transport is not None and not transport.is_active()


class ConnectionClosed(Exception):
    """The device dropped the connection before the fetch was done."""


def _quietly(call: Callable[[], None]) -> None:
    with contextlib.suppress(Exception):  # closing a dead connection may fail; the device already failed
        call()


def ssh_port(target: Target) -> int | None:
    """The SSH port whose host key must be checked, or None when the transport is not SSH."""
    platform = canonical_platform(target.platform)
    if platform in CLI_PLATFORMS:
        return target.port or 22
    if platform in SSH_NAPALM:
        return target.port or SSH_NAPALM[platform]
    return None


def fetch(target: Target, credentials: Credentials, options: FetchOptions, abort: Abort) -> DeviceData:
    """Read one device. Raises on any failure of the connection or of the configuration itself."""
    platform = canonical_platform(target.platform)
    if platform in CLI_PLATFORMS:
        return _fetch_cli(target, platform, CLI_PLATFORMS[platform], credentials, options, abort)
    return _fetch_napalm(target, platform, credentials, options, abort)


def _ssh_session_options(target: Target, options: FetchOptions) -> dict[str, Any]:
    """netmiko arguments: strict host keys from the known-hosts file only, our timeouts."""
    return {
        "ssh_strict": True, "system_host_keys": False, "alt_host_keys": True,
        "alt_key_file": options.host_keys.known_hosts, "use_keys": False, "allow_agent": False,
        "conn_timeout": options.connect_timeout, "auth_timeout": options.connect_timeout,
        "banner_timeout": options.connect_timeout, "read_timeout_override": options.timeout,
    }


# --------------------------------------------------------------------------- NAPALM


def _fetch_napalm(target: Target, platform: str, credentials: Credentials, options: FetchOptions, abort: Abort) -> DeviceData:
    from napalm import get_network_driver
    from napalm.base.exceptions import ModuleImportError

    try:
        driver_class = get_network_driver(platform)
    except ModuleImportError:
        raise DriverMissing(f"no NAPALM driver for platform {target.platform!r} (a community driver installs as napalm-{platform})") from None
    optional_args: dict[str, Any] = dict(target.extras.get("napalm", {}).get("optional_args", {}))
    if platform in SSH_NAPALM:
        optional_args.update(_ssh_session_options(target, options))
    _verify_https(platform, optional_args)
    if target.port:
        optional_args["port"] = target.port
    if credentials.secret:
        optional_args["secret"] = credentials.secret
    device = driver_class(target.hostname, credentials.username, credentials.password,
                          timeout=int(max(1, options.connect_timeout)), optional_args=optional_args)
    abort.register(lambda: _close_napalm(device))
    try:
        device.open()
    except Exception as error:
        _raise_if_dropped(error, getattr(device, "_netmiko_device", None), abort)
        raise
    abort.watch(getattr(device, "device", None))
    try:
        return _napalm_getters(device, platform, credentials, options)
    except Exception as error:
        _raise_if_dropped(error, getattr(device, "device", None), abort)
        raise
    finally:
        abort.done()
        _quietly(device.close)


def _raise_if_dropped(error: Exception, session: Any, abort: Abort) -> None:
    """A read timeout on a connection the device closed is a closed connection, and says so."""
    if session is not None and not abort.aborted and _transport_closed(session):
        raise ConnectionClosed("connection closed by the device") from error


def _napalm_getters(device: Any, platform: str, credentials: Credentials, options: FetchOptions) -> DeviceData:
    """The running config (required), then the best-effort getters."""
    # The driver's own profile names the CLI it speaks (the mock driver's comes from the test).
    dialect = (getattr(device, "profile", None) or [platform])[0]
    config = device.get_config(retrieve="running")["running"]
    data = DeviceData(config=config, driver=f"napalm:{platform}")
    facts = _getter(data, "facts", device.get_facts, credentials.scrub)
    if isinstance(facts, dict) and isinstance(facts.get("uptime"), int | float) and facts["uptime"] >= 0:
        data.uptime_seconds = float(facts["uptime"])
    _getter(data, "interfaces_ip", device.get_interfaces_ip, credentials.scrub)
    _getter(data, "lldp_neighbors", device.get_lldp_neighbors, credentials.scrub)
    if dialect in CDP_PLATFORMS:
        _getter(data, "cdp_neighbors", lambda: _cdp(device, CDP_PLATFORMS[dialect]), credentials.scrub)
    if options.hits and dialect in HITS_COMMANDS:
        command = HITS_COMMANDS[dialect]
        try:
            data.hits, data.hits_command = device.cli([command])[command], command
        except Exception as error:
            data.warnings.append(f"hit counters ({command}): {credentials.scrub(describe_error(error))}")
    elif options.hits:
        data.warnings.append(f"hit counters: not read for platform {platform} (netaudit review reads IOS, NX-OS, ASA)")
    return data


def _close_napalm(device: Any) -> None:
    """Close the SSH transport under a NAPALM driver, whatever state it is in."""
    session = getattr(device, "device", None) or getattr(device, "_netmiko_device", None)
    client = getattr(session, "remote_conn_pre", None)
    if client is not None:
        client.close()


def _verify_https(platform: str, optional_args: dict[str, Any]) -> None:
    """NX-API and eAPI carry the password over HTTPS, and their libraries skip certificate checks by
    default: there is no SSH host key to check, so the certificate is checked instead (the system's
    CA store, or a CA file the inventory names: ``ssl_verify: /path/ca.pem`` for nxos,
    ``ca_file`` or an ``ssl.SSLContext`` as ``context`` for eos)."""
    if platform == "nxos":
        if optional_args.get("ssl_verify") in (None, False):
            optional_args["ssl_verify"] = True
    elif platform == "eos" and str(optional_args.get("transport", optional_args.get("eos_transport", "https"))) == "https":
        if optional_args.get("context") is None and not optional_args.get("ca_file"):
            optional_args["context"] = ssl.create_default_context()
        optional_args["enforce_verification"] = True


def _getter(data: DeviceData, key: str, call: Callable[[], Any], scrub: Callable[[str], str]) -> Any:
    try:
        value = call()
    except NotImplementedError:
        data.facts.setdefault("errors", {})[key] = "not implemented by this driver"
        return None
    except Exception as error:
        data.facts.setdefault("errors", {})[key] = scrub(describe_error(error))  # saved in facts.json
        return None
    data.facts[key] = value
    return value


def _cdp(device: Any, ntc_platform: str) -> list[dict[str, str]]:
    """CDP is not in NAPALM's contract: the CLI output, parsed by the ntc-templates TextFSM template."""
    from ntc_templates.parse import parse_output

    command = "show cdp neighbors detail"
    text = device.cli([command])[command]
    rows = parse_output(platform=ntc_platform, command=command, data=text)
    return [
        {"local_interface": row.get("local_interface") or row.get("local_port", ""),
         "neighbor": row.get("neighbor_name") or row.get("destination_host", ""),
         "neighbor_interface": row.get("neighbor_interface") or row.get("remote_port", ""),
         "management_address": row.get("mgmt_address") or row.get("management_ip", ""),
         "platform": row.get("platform", "")}
        for row in rows
    ]


class DriverMissing(Exception):
    """The platform names a NAPALM driver that is not installed."""


# --------------------------------------------------------------------------- netmiko CLI


def _fetch_cli(target: Target, platform: str, spec: CliPlatform, credentials: Credentials, options: FetchOptions, abort: Abort) -> DeviceData:
    from netmiko import ConnectHandler

    arguments: dict[str, Any] = dict(target.extras.get("netmiko", {}))
    arguments.update(_ssh_session_options(target, options))
    connection = ConnectHandler(
        device_type=spec.device_type, host=target.hostname, port=target.port or 22,
        username=credentials.username, password=credentials.password, secret=credentials.secret,
        timeout=options.connect_timeout, **arguments,
    )
    abort.register(lambda: connection.remote_conn_pre.close())
    abort.watch(connection)
    try:
        return _cli_commands(connection, platform, spec, credentials, options)
    except Exception as error:
        _raise_if_dropped(error, connection, abort)
        raise
    finally:
        abort.done()
        _quietly(connection.disconnect)


def _cli_commands(connection: Any, platform: str, spec: CliPlatform, credentials: Credentials, options: FetchOptions) -> DeviceData:
    """The config (required), the uptime and the hit counters (best effort), by the vendor's commands."""
    if spec.device_type == "cisco_asa" and credentials.secret:
        connection.enable()
    config = connection.send_command(spec.config_command, read_timeout=options.timeout)
    data = DeviceData(config=config, driver=f"netmiko:{spec.device_type}")
    if spec.version_command:
        try:
            version = connection.send_command(spec.version_command, read_timeout=options.timeout)
            match = re.search(spec.uptime_pattern or "$^", version, re.M | re.I)
            if match:
                data.facts["facts"] = {"uptime_text": match.group(1)}
                data.uptime_seconds = uptime_seconds(match.group(1))
                data.facts["facts"]["uptime"] = data.uptime_seconds
        except Exception as error:
            data.facts.setdefault("errors", {})["facts"] = credentials.scrub(describe_error(error))
    if options.hits and spec.hits_command:
        try:
            data.hits = connection.send_command(spec.hits_command, read_timeout=options.timeout)
            data.hits_command = spec.hits_command
        except Exception as error:
            data.warnings.append(f"hit counters ({spec.hits_command}): {credentials.scrub(describe_error(error))}")
    elif options.hits:
        data.warnings.append(f"hit counters: not read for platform {platform} (netaudit review reads IOS, NX-OS, ASA)")
    return data


_UNITS = {"year": 365 * 86400, "week": 7 * 86400, "day": 86400, "hour": 3600, "hr": 3600, "min": 60, "sec": 1}


def uptime_seconds(text: str) -> float | None:
    """'3 years 2 days 4 hours', '12 days 3 hours', '2 weeks, 1 day, 10 minutes', '10 days, 02:03:04'."""
    total = 0.0
    found = False
    for amount, unit in re.findall(r"(\d+)\s*(year|week|day|hour|hr|min|sec)", text, re.I):
        total += int(amount) * _UNITS[unit.lower()]
        found = True
    clock = re.search(r"(\d+):(\d\d):(\d\d)", text)
    if clock:
        total += int(clock.group(1)) * 3600 + int(clock.group(2)) * 60 + int(clock.group(3))
        found = True
    return total if found else None


# --------------------------------------------------------------------------- errors in the user's words


def describe_error(error: BaseException) -> str:
    """One line saying why a device failed: authentication, timeout, refused, closed, or the library's words."""
    import paramiko
    from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout

    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for item in chain:
        if isinstance(item, ConnectionClosed):
            return str(item)
        if isinstance(item, NetmikoAuthenticationException | paramiko.AuthenticationException):
            return "authentication failed (wrong username or password?)"
        if isinstance(item, ConnectionRefusedError):
            return "connection refused"
    for item in chain:
        if isinstance(item, ReadTimeout | TimeoutError | NetmikoTimeoutException):
            if any("banner" in str(other) for other in chain):
                return "timeout: no SSH banner (is an SSH server listening there?)"
            return f"timeout: {_first_line(item) or 'no answer in time'}"
    for item in chain:
        if isinstance(item, EOFError | ConnectionResetError | BrokenPipeError):
            return "connection closed by the device"
        if isinstance(item, paramiko.SSHException) and re.search(r"banner|closed|EOF|reset", str(item), re.I):
            return f"connection closed by the device ({_first_line(item)})"
        if isinstance(item, OSError) and re.search(r"socket is closed|closed", str(item), re.I):
            return "connection closed by the device"
        if isinstance(item, OSError) and item.strerror:
            return f"{item.strerror.lower()}"
    return f"{type(error).__name__}: {_first_line(error)}"


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0][:200] if lines else ""


def now() -> datetime:
    return datetime.now().astimezone()
