"""Files in the output folder: safe names, atomic writes, and the layout other commands read.

Layout (docs/collect.md):

    DIR/<name>.cfg          the running configuration (netaudit audit DIR reads these)
    DIR/<name>.facts.json   facts, interface addresses, LLDP/CDP neighbours (the topology diagram)
    DIR/hits/<name>.txt     with --hits: '!' header lines, then the raw 'show access-list' output

Every file is written to a hidden temporary file in the same folder and renamed over the old one,
so a reader never sees half a file, and a failed fetch never touches the last good file. Names
come from the inventory and could be anything (``../x``, ``a/b``, ``CON``): ``safe_name`` keeps
letters, digits, ``.``, ``_`` and ``-`` and adds a short digest when it had to change the name, so
two different names never share a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from netaudit.collect.drivers import DeviceData
from netaudit.secrets import mask_secrets

HITS_FOLDER = "hits"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def safe_name(name: str) -> str:
    """A file name for a device name that cannot leave the folder or hide itself."""
    cleaned = _UNSAFE.sub("_", name).strip("._-")[:80]
    if cleaned != name or not cleaned or cleaned.lower() in _WINDOWS_RESERVED:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        cleaned = f"{cleaned or 'device'}-{digest}"
    return cleaned


def atomic_write(folder: Path, name: str, data: bytes) -> Path:
    """Write ``folder/name`` by temp + fsync + rename; refuses a name that would leave ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if target.resolve().parent != folder.resolve():
        raise ValueError(f"refusing to write outside {folder}: {name!r}")
    handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)  # configs hold password hashes and keys: not for every local user
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return target


def write_device(output: Path, name: str, hostname: str, platform: str, data: DeviceData,
                 collected: datetime, redact: bool) -> list[Path]:
    """Write one device's files; the config first (it is what matters), the others after."""
    base = safe_name(name)
    config = data.config if data.config.endswith("\n") else data.config + "\n"
    if redact:
        config = "\n".join(mask_secrets(line) for line in config.split("\n"))
    written = [atomic_write(output, f"{base}.cfg", config.encode("utf-8"))]
    facts = {
        "schema": "netaudit/collect-facts/v1", "device": name, "hostname": hostname, "platform": platform,
        "driver": data.driver, "collected": collected.isoformat(timespec="seconds"),
        "config_file": f"{base}.cfg", **data.facts,
    }
    written.append(atomic_write(output, f"{base}.facts.json",
                                (json.dumps(facts, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n").encode("utf-8")))
    if data.hits is not None:
        written.append(atomic_write(output / HITS_FOLDER, f"{base}.txt", hits_text(name, platform, data, collected).encode("utf-8")))
    return written


def hits_text(name: str, platform: str, data: DeviceData, collected: datetime) -> str:
    """The raw counters behind '!' header lines saying which period they cover (netaudit review reads them)."""
    header: list[tuple[str, Any]] = [("device", name)]
    hostname = _config_hostname(data.config)
    if hostname:
        header.append(("hostname", hostname))  # the name audit gives the device, when the inventory's differs
    header += [("platform", platform), ("collected", collected.isoformat(timespec="seconds")), ("command", data.hits_command or "")]
    if data.uptime_seconds is not None:
        booted = collected - timedelta(seconds=data.uptime_seconds)
        header += [("uptime", _duration(data.uptime_seconds)), ("uptime-seconds", int(data.uptime_seconds)),
                   ("booted", booted.isoformat(timespec="seconds"))]
    else:
        header += [("uptime", "unknown")]
    # IOS, NX-OS and ASA keep no record of 'clear access-list counters': the counters cover at most
    # the time since boot, and less if someone cleared them.
    header += [("counters-cleared", "unknown (counters cover at most the time since boot)")]
    lines = ["! netaudit-collect hits v1"] + [f"! {key}: {value}" for key, value in header]
    body = (data.hits or "").replace("\r\n", "\n")
    return "\n".join(lines) + "\n" + body + ("" if body.endswith("\n") else "\n")


def _config_hostname(config: str) -> str | None:
    match = re.search(r"^hostname\s+\"?([^\s\"]+)", config, re.M)
    return match.group(1) if match else None


def _duration(seconds: float) -> str:
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    return f"{days}d {hours:02d}h {rest // 60:02d}m"
