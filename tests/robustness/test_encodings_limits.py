"""Encodings, line ends, sizes, folders and links (issue #8, item 2).

Configs come out of backup folders and Windows tools. Each encoding is detected and decoded, and
the line numbers in the model are the line numbers an editor shows; limits give one clear reason
naming the file; nothing outside the folder is followed and nothing can make the reader block.
"""

from __future__ import annotations

import os
import shutil
import tracemalloc
from pathlib import Path

import pytest

from netaudit.pipeline import load_devices
from netaudit.sources import config_paths, decode, read_source, source_from_bytes
from netaudit.topology import Topology
from tests.robustness.support import SAMPLES, assert_sound, source_refs

SAMPLE = SAMPLES / "rtr-branch.cfg"
TEXT = SAMPLE.read_text(encoding="utf-8")
CHINESE = " description 台北機房 核心交換器 資訊處"
WESTERN = " description Café Zürich – façade"


def variant(description: str, line_end: str = "\n") -> str:
    """The sample with its LAN description replaced, so the text sits on a known line (112)."""
    text = TEXT.replace(" description Taichung branch LAN - users 10.40.1.0/24", description)
    return text.replace("\n", line_end)


ENCODED = {
    "utf-8": (variant(CHINESE).encode("utf-8"), "utf-8", CHINESE),
    "utf-8 with BOM": (b"\xef\xbb\xbf" + variant(CHINESE).encode("utf-8"), "utf-8-sig", CHINESE),
    "utf-16 with BOM, CRLF (Windows Notepad)": (variant(CHINESE, "\r\n").encode("utf-16"), "utf-16", CHINESE),
    "utf-16-le without BOM": (variant(CHINESE, "\r\n").encode("utf-16-le"), "utf-16-le", CHINESE),
    "utf-16-be without BOM": (variant(CHINESE).encode("utf-16-be"), "utf-16-be", CHINESE),
    "big5 / cp950, CRLF": (variant(CHINESE, "\r\n").encode("cp950"), "cp950", CHINESE),
    "latin-1": (variant(WESTERN.replace("–", "-")).encode("latin-1"), "latin-1", WESTERN.replace("–", "-")),
    "cp1252 (Windows Western)": (variant(WESTERN).encode("cp1252"), "cp1252", WESTERN),
    "CR only (classic Mac)": (variant(CHINESE, "\r").encode("utf-8"), "utf-8", CHINESE),
}


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_encoding_is_detected_and_line_numbers_are_kept(tmp_path: Path, name: str) -> None:
    data, encoding, description = ENCODED[name]
    path = tmp_path / "rtr-branch.cfg"
    path.write_bytes(data)
    source = read_source(str(path))
    assert source.encoding == encoding
    reference = SAMPLE.read_text(encoding="utf-8").split("\n")
    assert len(source.lines) == len(reference) - (reference[-1] == "")
    [device], failures = load_devices([str(path)], Topology())
    assert not failures
    assert_sound(device, source.lines)
    [lan] = [i for i in device.interfaces if i.name == "GigabitEthernet0/1"]
    assert lan.description == description.strip().removeprefix("description ")
    for ref in source_refs(device):  # every evidence line is the line at that number in the file as edited
        assert source.lines[ref.line - 1].strip() == reference[ref.line - 1].strip() or ref.line == 112 or "<masked>" in ref.text


def test_latin1_is_not_mistaken_for_big5() -> None:
    """'Señora' is valid CP950 byte-wise (ñ+o), but reads as a rare character: Latin-1 it is."""
    assert decode("hostname r1\n description Señora Müller\n".encode("latin-1")) == ("hostname r1\n description Señora Müller\n", "latin-1")
    assert decode(" description 資訊室 機房\n".encode("cp950"))[1] == "cp950"


def test_mixed_line_ends_keep_numbers() -> None:
    source = source_from_bytes("x.cfg", b"hostname a\r\ninterface Vlan1\r ip address 10.0.0.1 255.255.255.0\n!\n")
    assert source.lines == ["hostname a", "interface Vlan1", " ip address 10.0.0.1 255.255.255.0", "!"]


def test_nul_padding_and_stray_control_characters_are_warned_not_fatal(tmp_path: Path) -> None:
    lines = TEXT.split("\n")
    lines[111] += "\x00\x1b]52;c;ZXZpbA==\x07"  # a NUL and a terminal escape (clipboard write) in a description
    path = tmp_path / "rtr-branch.cfg"
    path.write_bytes("\n".join(lines).encode("utf-8") + b"\x00" * 4096)  # a flash copy padded with NULs
    [device], failures = load_devices([str(path)], Topology())
    assert not failures
    assert any("4096 NUL bytes of padding" in w for w in device.warnings)
    assert any("line(s) 112" in w for w in device.warnings)
    [lan] = [i for i in device.interfaces if i.name == "GigabitEthernet0/1"]
    assert lan.description is not None and "\x1b" not in lan.description and "\x00" not in lan.description


@pytest.mark.parametrize("data", [bytes(range(256)) * 64, b"\x1f\x8b\x08\x00" + os.urandom(8192), b"\x00" * 10 + b"hostname x\n" * 5])
def test_binary_files_are_refused_with_a_reason(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "backup.tar.gz"
    path.write_bytes(data)
    devices, [failure] = load_devices([str(path)], Topology())
    assert not devices and failure.file == str(path) and failure.reason


def test_file_over_the_size_limit_is_refused_and_the_others_are_audited(tmp_path: Path) -> None:
    folder = tmp_path / "configs"
    shutil.copytree(SAMPLES, folder)
    (folder / "huge.cfg").write_bytes(b"hostname huge\n" + b"! padding\n" * 120_000)  # 1.2 MB
    devices, [failure] = load_devices([str(folder)], Topology(), max_bytes=1024 * 1024)
    assert failure.file.endswith("huge.cfg") and "over the limit of 1048576 bytes" in failure.reason
    assert len(devices) == 7


def test_thousands_of_files_are_listed_and_read_one_at_a_time(tmp_path: Path) -> None:
    """3,000 names are cheap; 20 files of 400 kB each are never all in memory at once."""
    many = tmp_path / "many"
    many.mkdir()
    for i in range(3000):
        (many / f"sw{i:04d}.cfg").write_text(f"hostname sw{i}\n", encoding="utf-8")
    assert len(config_paths([str(many)])) == 3000
    big = tmp_path / "big"
    big.mkdir()
    block = ("## Last commit: 2026\nversion 21.4R3;\n" + "set interfaces ge-0/0/0 description x\n" * 10_000).encode()
    for i in range(20):
        (big / f"srx{i:03d}.conf").write_bytes(block)  # Junos: read, decoded, refused as unsupported
    tracemalloc.start()
    devices, failures = load_devices([str(big)], Topology(), jobs=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not devices and len(failures) == 20
    assert peak < 10 * len(block), f"peak {peak} bytes for 20 files of {len(block)} (all of them: {20 * len(block)})"


def test_a_folder_of_many_small_configs_is_audited(tmp_path: Path) -> None:
    for i in range(500):
        (tmp_path / f"sw{i:04d}.cfg").write_text(
            f"version 15.2\nhostname sw{i}\ninterface Vlan1\n ip address 10.{i // 250}.{i % 250}.1 255.255.255.0\nend\n", encoding="utf-8")
    devices, failures = load_devices([str(tmp_path)], Topology(), jobs=1)
    assert len(devices) == 500 and not failures


def test_links_leaving_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.cfg").write_text("hostname outside\n", encoding="utf-8")
    folder = tmp_path / "configs"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "rtr-branch.cfg")
    (folder / "to-outside.cfg").symlink_to(outside / "secret.cfg")
    (folder / "to-etc").symlink_to("/etc")  # a folder link: not walked
    (folder / "alias.cfg").symlink_to(folder / "rtr-branch.cfg")  # inside: read
    (folder / "loop-a").symlink_to(folder / "loop-b")
    (folder / "loop-b").symlink_to(folder / "loop-a")
    (folder / "dangling.cfg").symlink_to(folder / "gone.cfg")
    paths = sorted(Path(p).name for p in config_paths([str(folder)]))
    assert paths == ["alias.cfg", "dangling.cfg", "loop-a", "loop-b", "rtr-branch.cfg"]
    devices, failures = load_devices([str(folder)], Topology())
    assert len(devices) == 2
    assert sorted(Path(f.file).name for f in failures) == ["dangling.cfg", "loop-a", "loop-b"]
    assert all("cannot read" in f.reason for f in failures)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_never_blocks_the_reader(tmp_path: Path) -> None:
    folder = tmp_path / "configs"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "rtr-branch.cfg")
    os.mkfifo(folder / "pipe.cfg")
    assert [Path(p).name for p in config_paths([str(folder)])] == ["rtr-branch.cfg"]
    devices, [failure] = load_devices([str(folder), str(folder / "pipe.cfg")], Topology())
    assert len(devices) == 1 and "not a regular file" in failure.reason


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    folder = tmp_path / "configs"
    folder.mkdir()
    for name, (data, _, _) in ENCODED.items():
        (folder / (name.replace(" ", "_").replace("/", "_") + ".cfg")).write_bytes(data)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    load_devices([str(folder)], Topology())
    assert before == {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
