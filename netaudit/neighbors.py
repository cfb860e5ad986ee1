"""Physical links between devices, from the LLDP / CDP neighbours `netaudit collect` saves beside each
config (``<name>.facts.json``, schema ``netaudit/collect-facts/v1``: docs/collect.md).

The configs say which subnets devices share; only the neighbour tables say which port is cabled to
which. The topology diagram draws these as physical links (Art. 4(7): the architecture as built).
Reading them never decides anything: a file that cannot be read, or a neighbour that is not one of
the audited devices, is left out with a note.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netaudit.model import Device

FACTS_SUFFIX = ".facts.json"
FACTS_SCHEMA = "netaudit/collect-facts/v1"
MAX_FACTS_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Cable:
    """A physical link between two audited devices: ``a``'s ``a_port`` to ``b``'s ``b_port``."""

    a: str
    a_port: str
    b: str
    b_port: str
    protocol: str  # 'lldp' or 'cdp' (the first that reported it)


@dataclass(slots=True)
class Cabling:
    cables: list[Cable]
    notes: list[str]


def device_key(name: str) -> str:
    """How a neighbour names a device: LLDP and CDP often give the FQDN, any case, where the config's
    hostname is the first label."""
    return name.strip().split(".", 1)[0].lower()


def port_key(name: str) -> str:
    """``GigabitEthernet1/0/1`` and LLDP's ``Gi1/0/1`` are one port: two letters and the numbers."""
    match = re.match(r"\s*([A-Za-z-]+)\s*([\d/.:]+)", name)
    return f"{match.group(1)[:2].lower()}{match.group(2)}" if match else name.strip().lower()


def facts_files(inputs: list[str]) -> list[Path]:
    """The facts files of the inputs: in a folder (recursively), and beside a config named outright."""
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                found += [Path(dirpath) / name for name in sorted(filenames) if name.endswith(FACTS_SUFFIX) and not name.startswith(".")]
        else:
            beside = path.with_name(path.stem + FACTS_SUFFIX)
            if beside.is_file():
                found.append(beside)
    return sorted(set(found))


def load_cabling(inputs: list[str], devices: list[Device]) -> Cabling:
    """The cables between audited devices that the inputs' facts files report (none: the usual case).

    A facts file belongs to the device parsed from its ``config_file`` (else the one named like its
    NAPALM hostname or inventory name); a neighbour is an audited device when its name's first label
    is one (phones, access points and the ISP's routers are not drawn). Each cable is drawn once,
    however many of its ends and protocols report it.
    """
    by_file = {os.path.realpath(d.file): d.name for d in devices}
    by_key = {device_key(d.name): d.name for d in devices}
    cabling = Cabling([], [])
    seen: set[frozenset[tuple[str, str]]] = set()
    for path in facts_files(inputs):
        data = _read(path, cabling.notes)
        if data is None:
            continue
        config = data.get("config_file")
        device = by_file.get(os.path.realpath(path.parent / config)) if isinstance(config, str) else None
        for name in (((data.get("facts") or {}).get("hostname") if isinstance(data.get("facts"), dict) else None), data.get("device")):
            device = device or (by_key.get(device_key(name)) if isinstance(name, str) else None)
        if device is None:
            continue  # the facts of a device that was not audited (or not parsed)
        for port, neighbor, neighbor_port, protocol in _entries(data):
            other = by_key.get(device_key(neighbor))
            ends = frozenset({(device, port_key(port)), (other or "", port_key(neighbor_port))})
            if other is None or other == device or ends in seen:
                continue
            seen.add(ends)
            cabling.cables.append(Cable(device, port, other, neighbor_port, protocol))
    return cabling


def _read(path: Path, notes: list[str]) -> dict[str, Any] | None:
    try:
        if path.stat().st_size > MAX_FACTS_BYTES:
            raise ValueError(f"larger than {MAX_FACTS_BYTES // (1024 * 1024)} MB")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as error:
        notes.append(f"{path.name}: neighbours not read ({error})")
        return None
    if not isinstance(data, dict) or data.get("schema") != FACTS_SCHEMA:
        notes.append(f"{path.name}: not a netaudit collect facts file; neighbours not read")
        return None
    return data


def _entries(data: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(local port, neighbour, neighbour's port, protocol) from NAPALM's ``get_lldp_neighbors``
    (``{port: [{"hostname", "port"}]}``) and the CDP table (ntc-templates ``show cdp neighbors detail``)."""
    entries: list[tuple[str, str, str, str]] = []
    lldp = data.get("lldp_neighbors")
    if isinstance(lldp, dict):
        entries += [(str(port), str(entry["hostname"]), str(entry.get("port", "")), "lldp")
                    for port, found in sorted(lldp.items()) if isinstance(found, list)
                    for entry in found if isinstance(entry, dict) and entry.get("hostname")]
    cdp = data.get("cdp_neighbors")
    if isinstance(cdp, list):
        entries += [(str(entry.get("local_interface", "")), str(entry["neighbor"]), str(entry.get("neighbor_interface", "")), "cdp")
                    for entry in cdp if isinstance(entry, dict) and entry.get("neighbor")]
    return entries
