"""SSH host keys checked against a known-hosts file before any password is sent.

Every SSH device is first met with a bare key exchange (``check_host_key``): no authentication,
so a machine in the middle learns nothing. Its key is compared with the known-hosts file:

* known and equal → go on; the real session (netmiko, under NAPALM or directly) then loads the
  same file with paramiko's ``RejectPolicy``, so it is checked a second time there;
* a different key for a host that has one → that device fails, always ("host key changed");
* no key for the host → that device fails, unless ``--accept-new-host-keys``: then the key is
  added to the file (OpenSSH's ``StrictHostKeyChecking=accept-new``).

The check is ours rather than paramiko's ``AutoAddPolicy`` because that policy rewrites the whole
file from its own in-memory copy, and fifty parallel sessions would lose each other's keys.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from dataclasses import dataclass

import paramiko

_FILE_LOCK = threading.Lock()
# The signature algorithms paramiko negotiates for each stored key type.
_ALGORITHMS = {"ssh-rsa": ("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")}


class NoSshBanner(Exception):
    """The port answered TCP but not SSH: the device fails with this reason."""


class HostKeyError(Exception):
    """The device's host key is unknown or changed: that device fails."""


@dataclass(frozen=True)
class HostKeyPolicy:
    """How host keys are checked, from ``--known-hosts`` and ``--accept-new-host-keys``."""

    known_hosts: str
    accept_new: bool = False


def default_known_hosts() -> str:
    """The user's OpenSSH known-hosts file."""
    return os.path.join(os.path.expanduser("~"), ".ssh", "known_hosts")


def host_entry(hostname: str, port: int) -> str:
    """The known-hosts name OpenSSH and paramiko use: ``host``, or ``[host]:port`` off port 22."""
    return hostname if port == 22 else f"[{hostname}]:{port}"


def check_host_key(hostname: str, port: int, policy: HostKeyPolicy, timeout: float) -> str:
    """Meet the device, compare its key with the file; returns "known" or "added", or raises HostKeyError."""
    entry = host_entry(hostname, port)
    known = _load(policy.known_hosts)
    stored = known.lookup(entry)
    offered = _server_key(hostname, port, timeout, list(stored.keys()) if stored else [])
    if stored:
        if stored.get(offered.get_name()) == offered:
            return "known"
        raise HostKeyError(f"host key CHANGED for {entry} ({offered.get_name()} {offered.fingerprint}); "
                           f"not connecting. If the device was replaced, remove its line from {policy.known_hosts}")
    if not policy.accept_new:
        raise HostKeyError(f"unknown host key for {entry} ({offered.get_name()} {offered.fingerprint}); "
                           "check it and run again with --accept-new-host-keys to trust it")
    _add(policy.known_hosts, entry, offered)
    return "added"


def _server_key(hostname: str, port: int, timeout: float, stored_types: list[str]) -> paramiko.PKey:
    """The host key the server proves it holds, asking first for the types already stored."""
    sock = socket.create_connection((hostname, port), timeout=timeout)
    transport = paramiko.Transport(sock)
    try:
        transport.banner_timeout = timeout
        transport.handshake_timeout = timeout
        if stored_types:
            options = transport.get_security_options()
            preferred = [alg for name in stored_types for alg in _ALGORITHMS.get(name, (name,)) if alg in options.key_types]
            options.key_types = preferred + [alg for alg in options.key_types if alg not in preferred]
        started = time.monotonic()
        try:
            transport.start_client(timeout=timeout)  # (returns quietly when its timeout passes)
            key = transport.get_remote_server_key()
        except paramiko.SSHException as error:
            if transport.remote_version:
                raise
            # Which of paramiko's messages comes first (banner timeout, negotiation timeout, no
            # session) is a race between its threads; what the user needs is what happened.
            if time.monotonic() - started >= timeout * 0.9:
                raise NoSshBanner(f"timeout: no SSH banner within {timeout:g} s (is an SSH server listening there?)") from error
            raise NoSshBanner("connection closed by the device before the SSH banner") from error
    finally:
        transport.close()
        sock.close()
    return key


def _load(path: str) -> paramiko.HostKeys:
    keys = paramiko.HostKeys()
    if os.path.isfile(path):
        keys.load(path)
    return keys


def _add(path: str, entry: str, key: paramiko.PKey) -> None:
    """Append one line, atomically (temp + rename), keeping every line another thread added."""
    line = f"{entry} {key.get_name()} {key.get_base64()}\n"
    with _FILE_LOCK:
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, mode=0o700, exist_ok=True)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            text = ""
        if text and not text.endswith("\n"):
            text += "\n"
        handle_fd, temp = tempfile.mkstemp(dir=folder, prefix=".known_hosts.", suffix=".tmp")
        try:
            with os.fdopen(handle_fd, "w", encoding="utf-8") as out:
                out.write(text + line)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, 0o600)
            os.replace(temp, path)
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise
