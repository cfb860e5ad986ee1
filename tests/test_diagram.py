"""The network architecture diagram (netaudit.diagram) on the sample network.

Every format is parsed back — SVG and draw.io with xml.etree, DOT and Mermaid as text — and
checked against the zone graph itself, not against the diagram model, so a renderer cannot drop a
zone, a device or an interface unnoticed. The DOT, Mermaid and draw.io outputs are golden files;
refresh them after a reviewed change with ``NETAUDIT_UPDATE_GOLDEN=1 pytest tests/test_diagram.py``
and read the diff (it is the diagram's diff, too).
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from netaudit.context import AuditContext
from netaudit.diagram import (
    EXTENSIONS,
    FORMATS,
    Diagram,
    GraphvizMissing,
    build_diagram,
    network_diagram,
    render,
    report_svg,
)
from netaudit.diagram.style import short_interface
from netaudit.errors import NetauditInputError
from netaudit.findings import Finding
from netaudit.graph import Attachment, ZoneGraph, build_graph
from netaudit.pipeline import prepare, run_audit
from netaudit.topology import DeviceHint
from tests.golden_support import assert_matches_golden

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
AS_OF = date(2026, 11, 24)
SOURCE = "sample_configs + topology/network.yaml"
HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz 'dot' not installed (scripts/setup.sh installs it as root)")
TEXT_FORMATS = ("dot", "drawio", "mermaid")
PARSED_FORMATS = ("svg", "dot", "drawio", "mermaid")
RED = "#d50000"


@pytest.fixture(scope="module")
def sample() -> tuple[AuditContext, list[Finding]]:
    """The sample network's context and findings (paths relative to the repository, as the README gives them)."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        context, not_assessed = prepare(["sample_configs"], "topology/network.yaml", AS_OF)
        from netaudit.diagram import audit_findings

        findings = audit_findings(context)
    finally:
        os.chdir(cwd)
    assert not not_assessed
    return context, findings


def _diagram(sample: tuple[AuditContext, list[Finding]], view: str, overlay: bool = True) -> Diagram:
    context, findings = sample
    return build_diagram(context, findings if overlay else None, view, "", AS_OF, SOURCE)


def _output(diagram: Diagram, fmt: str) -> str:
    if fmt == "svg" and not HAS_DOT:
        pytest.skip("Graphviz 'dot' not installed")
    data = render(diagram, fmt)
    assert isinstance(data, str)
    return data


# --------------------------------------------------------------------------- reading each format back


@dataclass
class Sheet:
    """What a rendered diagram shows, read back from its format: boxes, shapes and lines with text."""

    zones: dict[str, str] = field(default_factory=dict)  # zone id -> title text
    nodes: dict[str, str] = field(default_factory=dict)  # shape id -> text
    edges: list[tuple[str, str, str, dict[str, str]]] = field(default_factory=list)  # (end, end, text, attributes)

    def zone_id(self, name: str) -> str:
        matches = [zid for zid, text in self.zones.items() if text.split("\n")[0] == name]
        assert len(matches) == 1, f"zone {name!r}: {matches}"
        return matches[0]

    def node_id(self, name: str) -> str:
        matches = [nid for nid, text in self.nodes.items() if text.split("\n")[0] == name]
        assert len(matches) == 1, f"shape {name!r}: {matches}"
        return matches[0]

    def edges_between(self, a: str, b: str) -> list[tuple[str, str, str, dict[str, str]]]:
        return [e for e in self.edges if {e[0], e[1]} == {a, b}]

    def all_text(self) -> str:
        return "\n".join([*self.zones.values(), *self.nodes.values(), *(e[2] for e in self.edges)])


SVG = "{http://www.w3.org/2000/svg}"


def read_svg(text: str) -> Sheet:
    """Graphviz SVG: clusters, nodes and edges are ``<g>`` with our ids and classes; edge ends in ``<title>``."""
    sheet = Sheet()
    for group in ET.fromstring(text).iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        words = "\n".join("".join(t.itertext()) for t in group.iter(f"{SVG}text"))
        if "cluster" in classes and "zone" in classes:
            sheet.zones[group.get("id", "")] = words
        elif "node" in classes:
            sheet.nodes[group.get("id", "")] = words
        elif "edge" in classes:
            tail, head = (group.findtext(f"{SVG}title") or "").split("->")
            paths = list(group.iter(f"{SVG}path"))
            attributes = {"class": " ".join(classes), "stroke": paths[0].get("stroke", "") if paths else "",
                          "dashed": str(bool(paths and paths[0].get("stroke-dasharray")))}
            sheet.edges.append((_uncard(tail), _uncard(head), words, attributes))
    return sheet


def _uncard(node_id: str) -> str:
    """A line to a zone is drawn to the zone's card (``card_<zone id>``): it means the zone."""
    return node_id.removeprefix("card_")


def read_drawio(text: str) -> Sheet:
    """draw.io: every shape and line is an ``<object>`` (label and data) around its ``mxCell``."""
    sheet = Sheet()
    root = ET.fromstring(text)
    assert root.tag == "mxfile" and root.find("diagram/mxGraphModel/root") is not None
    ids = [element.get("id") for element in root.iter() if element.tag in ("object", "mxCell") and element.get("id")]
    assert len(ids) == len(set(ids)), "duplicate cell ids"
    for holder in root.iter("object"):
        cell = holder.find("mxCell")
        assert cell is not None
        assert cell.get("parent") in set(ids), f"{holder.get('id')}: parent {cell.get('parent')} missing"
        label, kind = holder.get("label", ""), holder.get("kind", "")
        if cell.get("edge") == "1":
            assert cell.get("source") in ids and cell.get("target") in ids
            sheet.edges.append((cell.get("source", ""), cell.get("target", ""), label, {"style": cell.get("style", ""), **holder.attrib}))
        elif kind == "zone":
            sheet.zones[holder.get("id", "")] = label
        elif kind in ("device", "appliance", "group", "host", "segment", "zone-card") or holder.get("id", "").startswith("card_"):
            sheet.nodes[holder.get("id", "")] = label
    return sheet


_MERMAID_ENTITY = re.compile(r"#(\w+);")


def _mermaid_decode(text: str) -> str:
    text = text.replace("<br>", "\n")
    return _MERMAID_ENTITY.sub(lambda m: chr(int(m.group(1))) if m.group(1).isdigit() else html.unescape(f"&{m.group(1)};"), text)


_M_SUBGRAPH = re.compile(r'^\s*subgraph (\w+)\["(.*)"\]$')
_M_NODE = re.compile(r'^\s*(\w+)(\(\[|\[\[|\{\{|\[/|\[|\()"(.*)"(\]\)|\]\]|\}\}|/\]|\]|\))$')
_M_LINK = re.compile(r'^\s*(\w+) (---|===|-\.-)\|"(.*)"\| (\w+)$')
_M_CROSSING = re.compile(r'^\s*(\w+) -\. "(.*)" \.-> (\w+)$')


def read_mermaid(text: str) -> Sheet:
    """Mermaid text, line by line: every statement this renderer writes must match one pattern."""
    sheet = Sheet()
    lines = text.splitlines()
    assert lines[:1] == ["---"] and "flowchart TB" in lines
    for line in lines[lines.index("flowchart TB") + 1:]:
        if match := _M_SUBGRAPH.match(line):
            if match.group(1).startswith("z_"):
                sheet.zones[match.group(1)] = _mermaid_decode(match.group(2))
        elif match := _M_NODE.match(line):
            sheet.nodes[match.group(1)] = _mermaid_decode(match.group(3))
        elif match := _M_LINK.match(line):
            sheet.edges.append((match.group(1), match.group(4), _mermaid_decode(match.group(3)), {"arrow": match.group(2)}))
        elif match := _M_CROSSING.match(line):
            sheet.edges.append((match.group(1), match.group(3), _mermaid_decode(match.group(2)), {"class": "crossing"}))
        else:
            assert re.match(r"^\s*(end|direction \w+|classDef \w+ .+|class \w+ \w+|style \w+ .+|linkStyle \d+ .+)$", line), line
    return sheet


def _html_label(attributes: str) -> str:
    """The text of a Graphviz HTML label ``label=<...>`` (balanced angle brackets), tags dropped."""
    start = attributes.find("label=<")
    if start < 0:
        return ""
    depth, index = 0, start + len("label=")
    for index in range(start + len("label="), len(attributes)):
        depth += {"<": 1, ">": -1}.get(attributes[index], 0)
        if depth == 0:
            break
    inner = attributes[start + len("label=<"):index]
    inner = re.sub(r"<br/>|</tr>", "\n", inner)
    return html.unescape(re.sub(r"<[^>]*>", "", inner)).replace("\\\\", "\\").strip("\n")  # as Graphviz reads it


_D_CLUSTER = re.compile(r'^\s*subgraph "cluster_(z_\w+)" \{$')
_D_NODE = re.compile(r'^\s*"(\w+)" \[(.*)\];$')
_D_EDGE = re.compile(r'^\s*"(\w+)" -> "(\w+)" \[(.*)\];$')


def read_dot(text: str) -> Sheet:
    """DOT text as this renderer writes it: one statement per line, ids quoted, labels HTML-like."""
    sheet = Sheet()
    lines = text.splitlines()
    assert lines[0] == "digraph netaudit {" and lines[-1] == "}"
    assert text.count("{") == text.count("}")
    for index, line in enumerate(lines):
        if match := _D_CLUSTER.match(line):
            sheet.zones[match.group(1)] = _html_label(lines[index + 1])
        elif match := _D_EDGE.match(line):
            if "style=invis" not in match.group(3):
                attributes = dict(re.findall(r'(\w+)="([^"]*)"', match.group(3)))
                dashed = "style=dashed" in match.group(3)
                sheet.edges.append((_uncard(match.group(1)), _uncard(match.group(2)), _html_label(match.group(3)),
                                    {**attributes, "stroke": attributes.get("color", ""), "dashed": str(dashed)}))
        elif (match := _D_NODE.match(line)) and "style=invis" not in match.group(2):
            sheet.nodes[match.group(1)] = _html_label(match.group(2))
    return sheet


READERS: dict[str, Callable[[str], Sheet]] = {"svg": read_svg, "dot": read_dot, "drawio": read_drawio, "mermaid": read_mermaid}


# --------------------------------------------------------------------------- what the graph says must be drawn


def _subnet(zg: ZoneGraph, attachment: Attachment) -> str:
    network = zg.segments[attachment.segment].network
    return str(network) if network is not None else "default route"


def _interface(attachment: Attachment) -> str:
    assert attachment.interface is not None
    return short_interface(attachment.interface.label)


def _attachments(zg: ZoneGraph) -> list[Attachment]:
    return sorted((data["attachment"] for _, _, data in zg.graph.edges(data=True)),
                  key=lambda a: (a.device, a.segment, a.via, a.interface.name if a.interface else ""))


def _two_device_transit(zg: ZoneGraph, attachment: Attachment) -> bool:
    segment = zg.segments[attachment.segment]
    return segment.is_transit and len({a.device for a in zg.attachments_on(segment.id)}) == 2


def check_sheet(sheet: Sheet, zg: ZoneGraph, view: str) -> None:
    """Every zone, device and interface attachment of the zone graph is on the sheet, as the view draws it."""
    for name in zg.devices:
        sheet.node_id(name)
    for zone in {s.zone_name for s in zg.segments.values()}:
        if view == "devices" or any(s.is_transit for s in zg.segments.values() if s.zone_name == zone):
            assert zone in sheet.all_text(), zone
        else:
            sheet.zone_id(zone)
    for attachment in _attachments(zg):
        check_attachment(sheet, zg, view, attachment)


def check_attachment(sheet: Sheet, zg: ZoneGraph, view: str, attachment: Attachment) -> None:
    device = sheet.node_id(attachment.device)
    segment = zg.segments[attachment.segment]
    where = f"{attachment.device} {_interface(attachment)} {_subnet(zg, attachment)}"
    if view != "devices" and _two_device_transit(zg, attachment):
        peer = next(a.device for a in zg.attachments_on(segment.id) if a.device != attachment.device)
        texts = [e[2] for e in sheet.edges_between(device, sheet.node_id(peer))]
        assert any(_subnet(zg, attachment) in t and _interface(attachment) in t and segment.zone_name in t for t in texts), where
    elif view == "zones" and segment.is_transit:  # a transit shared by three or more: a small node of its own
        ends = [e for e in sheet.edges if device in (e[0], e[1]) and _interface(attachment) in e[2]]
        assert any(_subnet(zg, attachment) in sheet.nodes.get(e[1] if e[0] == device else e[0], "") for e in ends), where
    elif view == "zones" and not attachment.transit_capable:  # out-of-band port: written on the device
        assert f"{_interface(attachment)} OOB {_subnet(zg, attachment)}" in sheet.nodes[device], where
    elif view == "zones":
        texts = [e[2] for e in sheet.edges_between(device, sheet.zone_id(segment.zone_name))]
        assert any(_interface(attachment) in t and _subnet(zg, attachment) in t for t in texts), where
    else:
        ends = [e for e in sheet.edges if device in (e[0], e[1]) and _interface(attachment) in e[2]]
        others = [sheet.nodes.get(e[1] if e[0] == device else e[0], "") for e in ends]
        assert any(_subnet(zg, attachment) in text for text in others), where


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("view", ["zones", "devices", "both"])
@pytest.mark.parametrize("fmt", PARSED_FORMATS)
def test_every_zone_device_and_link_is_drawn(sample: tuple[AuditContext, list[Finding]], fmt: str, view: str) -> None:
    diagram = _diagram(sample, view)
    output = _output(diagram, fmt)
    check_sheet(READERS[fmt](output), sample[0].graph, view)
    title_block = output.splitlines()[1] if fmt == "mermaid" else html.unescape(output)  # Mermaid: front matter
    for text in ("Formosa Life", "as of 2026-11-24", SOURCE):
        assert text in title_block, text


@pytest.mark.parametrize("fmt", PARSED_FORMATS)
def test_zones_carry_env_tier_and_class(sample: tuple[AuditContext, list[Finding]], fmt: str) -> None:
    sheet = READERS[fmt](_output(_diagram(sample, "zones"), fmt))
    assert sheet.zones[sheet.zone_id("prod-ap")].split("\n")[1] == "prod · AP tier · class 1"
    assert sheet.zones[sheet.zone_id("dmz")].split("\n")[1] == "dmz · web tier · class 1 · Internet-facing"
    assert "(no segment in the configs)" in sheet.all_text()  # prod-batch: declared, not in the configs
    for host in ("jump01", "pam01", "waf01", "proxy01", "radius01", "syslog01"):
        sheet.node_id(host)
    assert not [text for text in sheet.nodes.values() if text.startswith(("ntp01", "dns01"))]  # not security hosts


def test_security_hosts_and_single_zone_devices_sit_inside_their_zone(sample: tuple[AuditContext, list[Finding]]) -> None:
    diagram = _diagram(sample, "zones")
    zone_of = {node.name: diagram.zone(node.zone).name for node in diagram.nodes if node.zone is not None and node.kind != "zone"}
    assert zone_of["jump01"] == "mgmt" and zone_of["waf01"] == "dmz" and zone_of["proxy01"] == "oa"
    assert zone_of["acc-sw-3f"] == "oa"
    assert "fw-internal" not in zone_of  # between zones
    assert "rtr-inet" not in zone_of  # the Internet edge router is drawn under the Internet, not in it


def test_prod_tiers_are_side_by_side_in_web_ap_db_order(sample: tuple[AuditContext, list[Finding]]) -> None:
    dot = render(_diagram(sample, "zones"), "dot")
    assert isinstance(dot, str)
    assert '{rank=same; "card_z_prod_web"; "card_z_prod_ap"; "card_z_prod_db"; "card_z_prod_batch";}' in dot
    levels = [line for line in dot.splitlines() if "minlen=2" in line]
    assert [re.findall(r'"card_z_(\w+)"', line)[0] for line in levels] == ["internet", "dmz", "prod_web", "test", "oa", "mgmt"]


# ---- the findings overlay


def _crossing(sheet: Sheet, src: str, dst: str) -> tuple[str, str, str, dict[str, str]]:
    edges = [e for e in sheet.edges_between(sheet.zone_id(src), sheet.zone_id(dst)) if "crossing" in (e[3].get("class", "") + e[3].get("kind", ""))]
    assert len(edges) == 1, (src, dst, edges)
    return edges[0]


@pytest.mark.parametrize("fmt", PARSED_FORMATS)
def test_overlay_draws_violating_crossings_in_red_with_check_ids(sample: tuple[AuditContext, list[Finding]], fmt: str) -> None:
    output = _output(_diagram(sample, "zones"), fmt)
    sheet = READERS[fmt](output)
    _, _, text, attributes = _crossing(sheet, "oa", "prod-ap")
    assert "admin-bypasses-jump" in text and "env-crossing" in text
    if fmt in ("svg", "dot"):
        assert attributes["stroke"] == RED and attributes["dashed"] == "True"
    elif fmt == "drawio":
        assert f"strokeColor={RED}" in attributes["style"] and "dashed=1" in attributes["style"]
        assert (attributes["src_zone"], attributes["dst_zone"]) == ("oa", "prod-ap")
    else:  # Mermaid styles a link by its index among the links
        index = sheet.edges.index(_crossing(sheet, "oa", "prod-ap"))
        assert re.search(rf"^\s*linkStyle {index} stroke:{RED}", output, re.M)
    assert "tier-bypass" in _crossing(sheet, "prod-web", "prod-db")[2]
    assert "remote-admin-exposed" in _crossing(sheet, "internet", "dmz")[2]


def test_every_flow_finding_is_on_a_crossing(sample: tuple[AuditContext, list[Finding]]) -> None:
    context, findings = sample
    diagram = _diagram(sample, "zones")
    drawn = {(c.src_name, c.dst_name, check) for c in diagram.crossings for check in c.checks}
    for finding in findings:
        if finding.flow and not finding.waived:
            assert (finding.flow["src_zone"], finding.flow["dst_zone"], finding.check) in drawn, finding.id


@pytest.mark.parametrize("fmt", PARSED_FORMATS)
def test_devices_with_critical_or_high_findings_are_marked(sample: tuple[AuditContext, list[Finding]], fmt: str) -> None:
    output = _output(_diagram(sample, "zones"), fmt)
    sheet = READERS[fmt](output)
    assert "▲ 1 critical · 8 high" in sheet.nodes[sheet.node_id("fw-edge")]
    assert "▲" not in sheet.nodes[sheet.node_id("rtr-inet")]  # medium findings only
    if fmt == "svg":
        group = next(g for g in ET.fromstring(output).iter(f"{SVG}g") if g.get("id") == sheet.node_id("fw-edge"))
        assert {p.get("stroke") for p in group.iter(f"{SVG}polygon")} == {RED}


def test_without_findings_there_is_no_overlay(sample: tuple[AuditContext, list[Finding]]) -> None:
    diagram = _diagram(sample, "zones", overlay=False)
    assert not diagram.crossings and not any(node.marks for node in diagram.nodes)
    for fmt in TEXT_FORMATS:
        output = render(diagram, fmt)
        assert isinstance(output, str) and RED not in output and "crossing in breach" not in output


def test_waived_findings_are_not_drawn_red(sample: tuple[AuditContext, list[Finding]]) -> None:
    context, findings = sample
    waived = [dataclasses.replace(f, waived=True) if f.device == "fw-edge" or (f.flow and f.flow["dst_zone"] == "prod-db") else f
              for f in findings]
    diagram = build_diagram(context, waived, "zones", "", AS_OF, SOURCE)
    assert next(n for n in diagram.nodes if n.name == "fw-edge").marks is None
    assert not [c for c in diagram.crossings if c.dst_name == "prod-db"]


# ---- determinism


_RENDER_ALL = """
import sys
from datetime import date
from pathlib import Path
from netaudit.diagram import EXTENSIONS, network_diagram, render
out, formats = Path(sys.argv[1]), sys.argv[2].split(",")
for view in ("zones", "devices", "both"):
    diagram, _ = network_diagram(["sample_configs"], "topology/network.yaml", view=view, findings=True, as_of=date(2026, 11, 24))
    for fmt in formats:
        data = render(diagram, fmt)
        (out / f"{view}.{EXTENSIONS[fmt]}").write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
"""


def test_two_runs_are_byte_identical_in_every_format(tmp_path: Path) -> None:
    """Two processes with different hash seeds (set and dict order would show) give the same bytes."""
    formats = [fmt for fmt in FORMATS if HAS_DOT or fmt not in ("svg", "png")]
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", _RENDER_ALL, str(out), ",".join(formats)], cwd=ROOT, env=env, check=True, timeout=300)
        runs.append(out)
    names = sorted(p.name for p in runs[0].iterdir())
    assert len(names) == 3 * len(formats)
    for name in names:
        assert (runs[0] / name).read_bytes() == (runs[1] / name).read_bytes(), name


@needs_dot
def test_svg_carries_no_generator_comment_or_date(sample: tuple[AuditContext, list[Finding]]) -> None:
    svg = _output(_diagram(sample, "zones"), "svg")
    assert "<!--" not in svg and "graphviz version" not in svg.lower()


# ---- golden files


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_sample_diagram_matches_golden(sample: tuple[AuditContext, list[Finding]], fmt: str) -> None:
    output = render(_diagram(sample, "zones"), fmt)
    assert isinstance(output, str)
    assert_matches_golden(GOLDEN / f"sample_topology.{EXTENSIONS[fmt]}", output)


# ---- escaping

EVIL_HOST = "core\"]);<script>alert('x')</script>&amp;|#1;\\N"
EVIL_ZONE = 'o"a<i>&x</i>]);'
EVIL_DESCRIPTION = '<b>"bold"</b> & C:\\temp\\n ]) ; --> <!--'


@pytest.fixture(scope="module")
def evil(tmp_path_factory: pytest.TempPathFactory) -> tuple[AuditContext, list[Finding]]:
    """The sample with markup in a hostname, a zone name and an interface description."""
    folder = tmp_path_factory.mktemp("evil")
    configs = folder / "configs"
    shutil.copytree(ROOT / "sample_configs", configs)
    core = configs / "core-sw.cfg"
    text = core.read_text(encoding="utf-8").replace("hostname core-sw", f"hostname {EVIL_HOST}", 1)
    text = text.replace(" description OA servers 10.30.0.0/24 (proxy01, AD)", f" description {EVIL_DESCRIPTION}", 1)
    core.write_text(text, encoding="utf-8")
    topology = (ROOT / "topology/network.yaml").read_text(encoding="utf-8")
    topology = topology.replace("  oa: {env: oa, cidrs: [10.30.0.0/16]}", f"  '{EVIL_ZONE}': {{env: oa, cidrs: [10.30.0.0/16]}}")
    topology = topology.replace("    - {from: oa, to: prod-web, services: [tcp/443]}\n", "")
    (folder / "network.yaml").write_text(topology, encoding="utf-8")
    context, _ = prepare([str(configs)], str(folder / "network.yaml"), AS_OF)
    assert EVIL_HOST in context.graph.devices
    from netaudit.diagram import audit_findings

    return context, audit_findings(context)


@pytest.mark.parametrize("fmt", PARSED_FORMATS)
def test_markup_in_configs_and_topology_stays_text(evil: tuple[AuditContext, list[Finding]], fmt: str) -> None:
    diagram = build_diagram(evil[0], evil[1], "zones", EVIL_ZONE, AS_OF, EVIL_DESCRIPTION)
    output = _output(diagram, fmt)
    sheet = READERS[fmt](output)  # the file still parses (XML well-formed, one statement per line)
    sheet.node_id(EVIL_HOST)
    sheet.zone_id(EVIL_ZONE)
    check_sheet(sheet, evil[0].graph, "zones")
    # DOT keeps text raw inside quoted strings (Graphviz escapes it for SVG); Mermaid's front-matter title
    # is YAML that Mermaid writes as text, so only the flowchart body is checked there.
    body = output.split("flowchart TB", 1)[1] if fmt == "mermaid" else output
    if fmt != "dot":
        assert "<script>" not in body and "<i>" not in body
    if fmt == "svg":
        root = ET.fromstring(output)
        assert not [e for e in root.iter() if e.tag.split("}")[-1] in ("script", "i", "b", "foreignObject")]
        tooltips = [a.get("{http://www.w3.org/1999/xlink}title", "") for a in root.iter(f"{SVG}a")]
        assert any(EVIL_DESCRIPTION in t for t in tooltips)
    if fmt == "drawio":
        assert any(EVIL_DESCRIPTION in (e.get("tooltip") or "") for e in ET.fromstring(output).iter("object"))
    if fmt == "mermaid":
        assert '"]);' not in body  # the hostname's quote cannot close its label
        assert output.splitlines()[1].startswith('title: "') and output.splitlines()[1].endswith('"')


def test_dot_strings_escape_backslashes_and_quotes(evil: tuple[AuditContext, list[Finding]]) -> None:
    dot = render(build_diagram(evil[0], None, "zones", "", AS_OF, ""), "dot")
    assert isinstance(dot, str)
    assert 'C:\\\\temp\\\\n ]) ; --> <!--' in dot  # tooltip: backslashes doubled, so "\\n" is not a line break
    assert '<b>core&quot;]);&lt;script&gt;' in dot  # an HTML-like label: XML-escaped


# ---- inline appliances


def test_inline_appliance_from_the_topology_is_drawn_between_its_zones(sample: tuple[AuditContext, list[Finding]]) -> None:
    context, findings = sample
    devices = {**context.topology.devices, "ips01": DeviceHint("ips01", role="ips", inline=("internet", "dmz"))}
    topology = dataclasses.replace(context.topology, devices=devices)
    with_ips = AuditContext(context.devices, topology, build_graph(context.devices, topology), AS_OF)
    diagram = build_diagram(with_ips, findings, "zones", "", AS_OF, SOURCE)
    for fmt in PARSED_FORMATS:
        sheet = READERS[fmt](_output(diagram, fmt))
        ips = sheet.node_id("ips01")
        assert "IPS" in sheet.nodes[ips] and "inline internet ↔ dmz" in sheet.nodes[ips]
        for zone in ("internet", "dmz"):
            assert sheet.edges_between(ips, sheet.zone_id(zone)), (fmt, zone)


# ---- larger networks


def test_a_transit_shared_by_three_devices_is_a_node_they_hang_off(tmp_path: Path) -> None:
    configs = tmp_path / "configs"
    shutil.copytree(ROOT / "sample_configs", configs)
    access = configs / "acc-sw-3f.cfg"
    text = access.read_text(encoding="utf-8")
    extra = "interface Vlan902\n description third router on the core transit\n ip address 10.254.2.3 255.255.255.248\n!\n"
    access.write_text(text.replace("interface Vlan399\n", extra + "interface Vlan399\n", 1), encoding="utf-8")
    context, _ = prepare([str(configs)], str(ROOT / "topology/network.yaml"), AS_OF)
    assert len({a.device for a in context.graph.attachments_on("seg:10.254.2.0/29")}) == 3
    for view in ("zones", "devices", "both"):
        diagram = build_diagram(context, None, view, "", AS_OF, SOURCE)
        for fmt in PARSED_FORMATS:
            check_sheet(READERS[fmt](_output(diagram, fmt)), context.graph, view)


def test_a_crowded_zone_shows_its_devices_as_one_shape(sample: tuple[AuditContext, list[Finding]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Hundreds of access switches inside OA would make the sheet kilometres wide: past a limit they
    are one shape (count by role, names in the tooltip, red when any has critical/high findings)."""
    from netaudit.diagram import model

    monkeypatch.setattr(model, "MAX_INSIDE_DEVICES", 0)
    diagram = _diagram(sample, "zones")
    group = next(node for node in diagram.nodes if node.kind == "group" and diagram.zone(node.zone or "").name == "oa")
    assert group.name == "1 device" and group.details == ("1 × L3 switch",) and group.tooltip == "acc-sw-3f"
    assert group.marks is not None and group.marks.high == 10
    assert "acc-sw-3f" not in {node.name for node in diagram.nodes}
    assert not [link for link in diagram.links if "acc_sw_3f" in link.source]
    for fmt in PARSED_FORMATS:
        sheet = READERS[fmt](_output(diagram, fmt))
        assert "1 × L3 switch" in sheet.nodes[sheet.node_id("1 device")]


# ---- Graphviz missing


def test_missing_dot_is_a_clear_input_error(sample: tuple[AuditContext, list[Finding]]) -> None:
    diagram = _diagram(sample, "zones")
    for fmt in ("svg", "png"):
        with pytest.raises(GraphvizMissing) as raised:
            render(diagram, fmt, search_path="")  # an empty PATH for this call only
        assert isinstance(raised.value, NetauditInputError)
        assert "apt-get install graphviz" in str(raised.value)
    for fmt in TEXT_FORMATS:  # no Graphviz needed
        assert render(diagram, fmt, search_path="")


def test_unknown_format_and_view_are_refused(sample: tuple[AuditContext, list[Finding]]) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(_diagram(sample, "zones"), "visio")
    with pytest.raises(ValueError, match="unknown view"):
        _diagram(sample, "racks")


# ---- the entry points the CLI and the HTML report use


@needs_dot
def test_png_is_a_png(sample: tuple[AuditContext, list[Finding]]) -> None:
    data = render(_diagram(sample, "zones"), "png")
    assert isinstance(data, bytes) and data.startswith(b"\x89PNG\r\n\x1a\n")


def test_network_diagram_from_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    diagram, not_assessed = network_diagram(["sample_configs"], "topology/network.yaml", view="zones", findings=True, as_of=AS_OF)
    assert not not_assessed and diagram.source == SOURCE and diagram.overlay and diagram.crossings
    plain, _ = network_diagram(["sample_configs"], "topology/network.yaml", as_of=AS_OF)
    assert not plain.overlay and not plain.crossings


@needs_dot
def test_report_svg_is_inline_svg_and_none_without_graphviz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run_audit(["sample_configs"], "topology/network.yaml", as_of=AS_OF)
    svg = report_svg(result, SOURCE)
    assert svg is not None and svg.startswith("<svg") and "x_z_oa__z_prod_ap" in svg
    assert report_svg(result, SOURCE, search_path="") is None
