"""Devices fetched in parallel, each under its own deadline; one device failing never stops the others.

Each device runs in its own daemon thread, at most ``workers`` at a time. The main thread alone
writes files (so a device that is given up on can never write later), and it gives up on a device
whose deadline has passed: it closes that device's connection to unblock the thread, counts the
device as failed ("timeout"), and starts the next one. A thread that still lingers cannot keep
the process alive, being a daemon.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from netaudit.collect import credentials as credentials_module
from netaudit.collect.defaults import DEFAULT_WORKERS
from netaudit.collect.drivers import (
    Abort,
    DeviceData,
    DriverMissing,
    FetchOptions,
    describe_error,
    fetch,
    now,
    ssh_port,
)
from netaudit.collect.hostkeys import HostKeyError, NoSshBanner, check_host_key
from netaudit.collect.inventory import Target
from netaudit.collect.writer import safe_name, write_device

# Seconds past the device timeout before the runner stops waiting: the libraries' own timeouts
# usually fire first and give the more precise reason.
_GRACE = 2.0
_LOST_GRACE = 0.5


@dataclass
class Outcome:
    """One device's result, for the summary table."""

    name: str
    hostname: str
    platform: str
    ok: bool
    reason: str = ""
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Report:
    outcomes: list[Outcome]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def collected(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ok]


Progress = Callable[[Outcome], None]


def collect(targets: list[Target], output: Path, options: FetchOptions, *, workers: int = DEFAULT_WORKERS,
            redact: bool = False, on_done: Progress | None = None, environ: dict[str, str] | None = None) -> Report:
    """Fetch every target into ``output``; returns each device's outcome in inventory order."""
    results: queue.Queue[tuple[int, DeviceData | None, str, float]] = queue.Queue()
    pending = list(range(len(targets)))
    running: dict[int, tuple[float, Abort]] = {}
    outcomes: dict[int, Outcome] = {}
    lost_since: dict[int, float] = {}
    deadline_for = options.timeout + _GRACE

    def finish(index: int, outcome: Outcome) -> None:
        outcomes[index] = outcome
        if on_done is not None:
            on_done(outcome)

    while pending or running:
        while pending and len(running) < max(1, workers):
            index = pending.pop(0)
            abort = Abort()
            running[index] = (time.monotonic(), abort)
            threading.Thread(target=_work, args=(index, targets[index], options, abort, results, environ),
                             name=f"collect-{safe_name(targets[index].name)}", daemon=True).start()
        try:
            index, data, reason, seconds = results.get(timeout=0.1)
        except queue.Empty:
            index = -1
        if index in running:
            del running[index]
            finish(index, _record(targets[index], data, reason, seconds, output, redact))
        for late, (started, abort) in list(running.items()):
            reason = ""
            if time.monotonic() - started > deadline_for:
                reason = f"timeout: no complete answer within {options.timeout:g} s"
            elif abort.connection_lost():
                # netmiko would wait for a prompt until the read timeout; give the thread a moment
                # to report first (it may have been finishing), then stop waiting for it.
                lost_since.setdefault(late, time.monotonic())
                if time.monotonic() - lost_since[late] > _LOST_GRACE:
                    reason = "connection closed by the device"
            if reason:
                abort.abort()
                del running[late]
                target = targets[late]
                finish(late, Outcome(target.name, target.hostname, target.platform, False, reason,
                                     seconds=time.monotonic() - started))
    return Report([outcomes[i] for i in range(len(targets))])


def _work(index: int, target: Target, options: FetchOptions, abort: Abort,
          results: queue.Queue[tuple[int, DeviceData | None, str, float]], environ: dict[str, str] | None) -> None:
    """In a device's thread: credentials, host key, fetch. Every failure becomes a reason, never an escape."""
    started = time.monotonic()
    creds = None
    try:
        creds = credentials_module.resolve(target, environ)
        port = ssh_port(target)
        if port is not None:
            check_host_key(target.hostname, port, options.host_keys, options.connect_timeout)
        data = fetch(target, creds, options, abort)
        if not data.config.strip():
            raise EmptyConfig("the device returned an empty configuration")
        results.put((index, data, "", time.monotonic() - started))
    except (credentials_module.CredentialsMissing, HostKeyError, NoSshBanner, EmptyConfig, DriverMissing) as error:
        results.put((index, None, str(error), time.monotonic() - started))
    except BaseException as error:  # any library failure is this device's, not the run's
        reason = describe_error(error)
        if abort.aborted:
            reason = f"timeout: no complete answer within {options.timeout:g} s"
        results.put((index, None, creds.scrub(reason) if creds else reason, time.monotonic() - started))


class EmptyConfig(Exception):
    """A device that answers with nothing must not replace its last good file with an empty one."""


def _record(target: Target, data: DeviceData | None, reason: str, seconds: float, output: Path, redact: bool) -> Outcome:
    if data is None:
        return Outcome(target.name, target.hostname, target.platform, False, reason, seconds=seconds)
    collected: datetime = now()
    try:
        files = write_device(output, target.name, target.hostname, target.platform, data, collected, redact)
    except OSError as error:
        return Outcome(target.name, target.hostname, target.platform, False,
                       f"cannot write: {error.strerror or error}", seconds=seconds)
    return Outcome(target.name, target.hostname, target.platform, True, files=[str(p) for p in files],
                   warnings=list(data.warnings), seconds=seconds)


def check_unique_names(targets: list[Target]) -> str | None:
    """Two devices whose file names would collide (also on case-insensitive file systems)."""
    seen: dict[str, str] = {}
    for target in targets:
        key = safe_name(target.name).lower()
        if key in seen:
            return f"hosts {seen[key]!r} and {target.name!r} would share the file {safe_name(target.name)}.cfg"
        seen[key] = target.name
    return None
