"""Simulated network devices: real SSH servers (asyncssh) on 127.0.0.1 that answer like IOS or ASA.

netaudit's collect drives them through the real NAPALM ios driver and netmiko, so everything
between the socket and the saved file is exercised: key exchange and host keys, password
authentication, netmiko's prompt detection and paging commands, NAPALM's getters.

Behaviours, one per device:

* ``ok``      — a well-behaved device;
* ``hang``    — logs in, then never says another byte (no prompt);
* ``close``   — logs in, then drops the connection halfway through ``show running-config``;
* ``silent``  — accepts TCP and never sends the SSH banner (not even SSH);
* wrong password — give the device a password the client does not know.

Only loopback ports chosen by the OS are used; everything stops with the ``Simulator``.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncssh

# Writes to connections the client dropped (the point of several tests) are not news.
logging.getLogger("asyncio").setLevel(logging.CRITICAL)
logging.getLogger("asyncssh").setLevel(logging.CRITICAL)

USERNAME = "auditor"
PASSWORD = "Sim-Pa55word!"  # the simulated devices' password; tests check it never appears in output

IOS_VERSION = """\
Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.7(3)M4, RELEASE SOFTWARE (fc1)
Technical Support: http://www.cisco.com/techsupport
ROM: System Bootstrap, Version 15.0(1r)M16, RELEASE SOFTWARE (fc1)

{name} uptime is 2 weeks, 3 days, 4 hours, 5 minutes
System returned to ROM by power-on
System image file is "flash0:c2900-universalk9-mz.SPA.157-3.M4.bin"

Cisco CISCO2911/K9 (revision 1.0) with 491520K/32768K bytes of memory.
Processor board ID FTX0000A0AA
3 Gigabit Ethernet interfaces
Configuration register is 0x2102
"""

IOS_IP_BRIEF = """\
Interface              IP-Address      OK? Method Status                Protocol
GigabitEthernet0/0     10.1.1.1        YES NVRAM  up                    up
GigabitEthernet0/1     10.2.2.1        YES NVRAM  up                    up
"""

IOS_IP_INTERFACE = """\
GigabitEthernet0/0 is up, line protocol is up
  Internet address is 10.1.1.1/24
  Broadcast address is 255.255.255.255
GigabitEthernet0/1 is up, line protocol is up
  Internet address is 10.2.2.1/24
  Broadcast address is 255.255.255.255
"""

IOS_CDP = """\
-------------------------
Device ID: core-sw.example.com
Entry address(es):
  IP address: 10.1.1.2
Platform: cisco WS-C3850-24T,  Capabilities: Router Switch IGMP
Interface: GigabitEthernet0/0,  Port ID (outgoing port): GigabitEthernet1/0/24
Holdtime : 150 sec

Version :
Cisco IOS Software, IOS-XE Software, Version 16.9.4

advertisement version: 2
"""

IOS_ACL_HITS = """\
Extended IP access list OUTSIDE_IN
    10 permit tcp any host 10.1.1.10 eq 443 (1523 matches)
    20 permit tcp any host 10.1.1.11 eq 22
    30 deny ip any any (87 matches)
"""


def ios_config(name: str, *, secret_line: str = "enable secret 9 $9$abcdefghijklmn$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg") -> str:
    return f"""\
Building configuration...

Current configuration : 1024 bytes
!
version 15.7
service timestamps debug datetime msec
no service pad
!
hostname {name}
!
{secret_line}
username admin privilege 15 secret 9 $9$zyxwvutsrqponm$ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvu
!
interface GigabitEthernet0/0
 description to core
 ip address 10.1.1.1 255.255.255.0
 ip access-group OUTSIDE_IN in
!
interface GigabitEthernet0/1
 ip address 10.2.2.1 255.255.255.0
!
ip access-list extended OUTSIDE_IN
 permit tcp any host 10.1.1.10 eq 443
 permit tcp any host 10.1.1.11 eq 22
 deny ip any any
!
snmp-server community N0tPublic RO
!
line vty 0 4
 transport input ssh
!
end
"""


def asa_config(name: str) -> str:
    return f"""\
: Saved
:
ASA Version 9.16(4)
!
hostname {name}
enable password 8Ry2YjIyt7RRXU24 encrypted
!
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.248
!
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.10.0.1 255.255.255.0
!
access-list OUTSIDE_IN extended permit tcp any host 10.10.0.5 eq https
access-group OUTSIDE_IN in interface outside
ssh 10.10.0.0 255.255.255.0 inside
Cryptochecksum:0123456789abcdef0123456789abcdef
: end
"""


ASA_VERSION = """\
Cisco Adaptive Security Appliance Software Version 9.16(4)
Device Manager Version 7.16(1)

Compiled on Wed 01-Jun-22 12:00 GMT by builders
System image file is "disk0:/asa9-16-4-smp-k8.bin"
Config file at boot was "startup-config"

{name} up 12 days 3 hours
"""

ASA_ACL_HITS = """\
access-list cached ACL log flows: total 0, denied 0 (deny-flow-max 4096)
access-list OUTSIDE_IN; 1 elements; name hash: 0x1a2b3c4d
access-list OUTSIDE_IN line 1 extended permit tcp any host 10.10.0.5 eq https (hitcnt=4821) 0x5e6f7a8b
"""

_INVALID = "                    ^\n% Invalid input detected at '^' marker.\n"


@dataclass
class Device:
    """One simulated device; ``port`` is filled in when the simulator starts it."""

    name: str
    kind: str = "ios"           # ios | asa
    behaviour: str = "ok"       # ok | hang | close | silent
    password: str = PASSWORD
    config: str | None = None
    host_key: Any = None        # an asyncssh private key; the simulator's shared key when None
    port: int = 0
    logins: int = field(default=0)

    def outputs(self) -> dict[str, str]:
        if self.kind == "asa":
            return {"show running-config": self.config or asa_config(self.name),
                    "show version": ASA_VERSION.format(name=self.name), "show access-list": ASA_ACL_HITS}
        return {
            "show running-config": self.config or ios_config(self.name),
            "show version": IOS_VERSION.format(name=self.name),
            "show hosts": "Default domain is example.com\nName/address lookup uses domain service\n",
            "show ip interface brief": IOS_IP_BRIEF, "show ip interface": IOS_IP_INTERFACE,
            "show ipv6 interface": "", "show cdp neighbors detail": IOS_CDP,
            "show lldp neighbors": "% LLDP is not enabled\n", "show lldp neighbors detail": "% LLDP is not enabled\n",
            "show access-lists": IOS_ACL_HITS,
        }


class Simulator:
    """An asyncio loop in a thread serving every device on its own 127.0.0.1 port."""

    def __init__(self) -> None:
        self.host_key = asyncssh.generate_private_key("ssh-ed25519")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="device-simulator", daemon=True)
        self._servers: list[Any] = []
        self._thread.start()

    def add(self, device: Device) -> Device:
        future = asyncio.run_coroutine_threadsafe(self._serve(device), self._loop)
        device.port = future.result(timeout=10)
        return device

    def known_hosts_line(self, device: Device, key: Any = None) -> str:
        public = (key or device.host_key or self.host_key).export_public_key("openssh").decode().split()
        return f"[127.0.0.1]:{device.port} {public[0]} {public[1]}\n"

    async def _serve(self, device: Device) -> int:
        if device.behaviour == "silent":
            async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                try:
                    await asyncio.sleep(3600)
                except asyncio.CancelledError:
                    writer.close()

            server = await asyncio.start_server(silent, "127.0.0.1", 0)
            self._servers.append(server)
            return server.sockets[0].getsockname()[1]
        server = await asyncssh.create_server(
            lambda: _Auth(device), "127.0.0.1", 0, server_host_keys=[device.host_key or self.host_key],
            process_factory=lambda process: _shell(device, process), line_editor=False, encoding="utf-8",
            login_timeout=10, keepalive_interval=0)
        self._servers.append(server)
        return server.sockets[0].getsockname()[1]

    def close(self) -> None:
        async def stop() -> None:
            for server in self._servers:
                server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        try:
            asyncio.run_coroutine_threadsafe(stop(), self._loop).result(timeout=5)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)


class _Auth(asyncssh.SSHServer):
    def __init__(self, device: Device) -> None:
        self.device = device

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def kbdint_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return False

    def validate_password(self, username: str, password: str) -> bool:
        ok = username == USERNAME and password == self.device.password
        self.device.logins += ok
        return ok


async def _shell(device: Device, process: asyncssh.SSHServerProcess) -> None:
    """A CLI: echo what is typed, answer each line, print the prompt."""
    prompt = f"{device.name}#"
    outputs = device.outputs()
    if device.behaviour == "hang":
        await asyncio.sleep(3600)
        return
    process.stdout.write(f"\r\n{prompt}")
    pending = ""
    try:
        while True:
            chunk = await process.stdin.read(1024)
            if not chunk:
                break
            for char in chunk:
                if char == "\n" or char == "\r":
                    process.stdout.write("\r\n")
                    command = " ".join(pending.split())
                    pending = ""
                    if command in ("exit", "quit", "logout"):
                        process.exit(0)
                        return
                    if device.behaviour == "close" and command.startswith("show run"):
                        text = outputs["show running-config"]
                        process.stdout.write(text[: len(text) // 2].replace("\n", "\r\n"))
                        await asyncio.sleep(0.05)
                        process.channel.get_connection().abort()
                        return
                    process.stdout.write(_answer(command, outputs).replace("\n", "\r\n") + prompt)
                else:
                    pending += char
                    process.stdout.write(char)
    except (asyncssh.Error, BrokenPipeError, ConnectionError):
        return
    process.exit(0)


def _answer(command: str, outputs: dict[str, str]) -> str:
    if not command or command.startswith(("terminal ", "term ")):
        return ""
    if command in outputs:
        return outputs[command]
    return _INVALID


def free_port() -> int:
    """A loopback port nobody listens on (for 'connection refused')."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def simulator() -> Iterator[Simulator]:
    sim = Simulator()
    try:
        yield sim
    finally:
        sim.close()
