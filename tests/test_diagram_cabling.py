"""Physical links in the diagram from the LLDP / CDP neighbours `netaudit collect` saves beside the
configs (``<name>.facts.json``): drawn once per cable between audited devices, in every format."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from netaudit.diagram import network_diagram, render
from netaudit.neighbors import load_cabling, port_key
from netaudit.pipeline import prepare

ROOT = Path(__file__).resolve().parents[1]
TOPOLOGY = str(ROOT / "topology" / "network.yaml")


def _facts(folder: Path, name: str, lldp: dict[str, list[dict[str, str]]] | None = None,
           cdp: list[dict[str, str]] | None = None, **extra: object) -> None:
    data = {"schema": "netaudit/collect-facts/v1", "device": name, "hostname": "192.0.2.1", "platform": "ios",
            "config_file": f"{name}.cfg", "lldp_neighbors": lldp or {}, **extra}
    if cdp is not None:
        data["cdp_neighbors"] = cdp
    (folder / f"{name}.facts.json").write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture()
def collected(tmp_path: Path) -> Path:
    """Three sample configs as `netaudit collect` leaves them, with both ends of the edge cable reporting it."""
    folder = tmp_path / "collected"
    folder.mkdir()
    for name in ("rtr-inet", "fw-edge", "core-sw"):
        shutil.copy(ROOT / "sample_configs" / f"{name}.cfg", folder / f"{name}.cfg")
    _facts(folder, "rtr-inet", lldp={"GigabitEthernet0/0/1": [{"hostname": "FW-EDGE.corp.example", "port": "Gi0/0"}],
                                    "GigabitEthernet0/0/0": [{"hostname": "isp-pe1", "port": "xe-0/0/1"}]})
    _facts(folder, "fw-edge", cdp=[{"local_interface": "GigabitEthernet0/0", "neighbor": "rtr-inet.corp.example",
                                    "neighbor_interface": "GigabitEthernet0/0/1"}])
    (folder / "core-sw.facts.json").write_text("{not json", encoding="utf-8")
    return folder


def test_one_cable_per_pair_of_ports_between_audited_devices(collected: Path) -> None:
    context, _ = prepare([str(collected)], TOPOLOGY)
    cabling = load_cabling([str(collected)], context.devices)
    assert [(c.a, c.a_port, c.b, c.b_port) for c in cabling.cables] == [("fw-edge", "GigabitEthernet0/0", "rtr-inet", "GigabitEthernet0/0/1")]
    assert cabling.notes == ["core-sw.facts.json: neighbours not read (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"]
    assert sorted(d.name for d in context.devices) == ["core-sw", "fw-edge", "rtr-inet"]  # the facts files are not configs


def test_port_names_long_and_short_are_one_port() -> None:
    assert port_key("GigabitEthernet1/0/1") == port_key("Gi1/0/1") == "gi1/0/1"
    assert port_key("TenGigabitEthernet1/1/1") != port_key("GigabitEthernet1/1/1")


@pytest.mark.parametrize("fmt", ["dot", "drawio", "mermaid"])
def test_every_format_draws_the_cable(collected: Path, fmt: str) -> None:
    diagram, _ = network_diagram([str(collected)], TOPOLOGY, view="devices", as_of=date(2026, 11, 24))
    [cable] = [link for link in diagram.links if link.kind == "physical"]
    assert {diagram.node(cable.source).name, diagram.node(cable.target).name} == {"fw-edge", "rtr-inet"}
    assert cable.lines == ("GigabitEthernet0/0 — GigabitEthernet0/0/1",)
    text = render(diagram, fmt)
    assert isinstance(text, str) and "GigabitEthernet0/0 — GigabitEthernet0/0/1" in text.replace("&#8212;", "—")
    assert "LLDP / CDP" in text or fmt == "mermaid"  # the legend explains the line (Mermaid has no legend)


def test_no_facts_no_cables() -> None:
    diagram, _ = network_diagram([str(ROOT / "sample_configs")], TOPOLOGY, as_of=date(2026, 11, 24))
    assert not [link for link in diagram.links if link.kind == "physical"]
