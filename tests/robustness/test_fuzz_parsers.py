"""Every parser survives random damage to real configurations (issue #8, item 1).

Mutations of real configs — truncation anywhere (mid-line, mid-UTF-8), deleted, duplicated and
swapped lines, shuffled indentation, very long lines, NUL and other control bytes, words cut or
swapped for other words of the corpus — never raise anything but the documented refusal: a parse
gives a device whose every line is counted and whose evidence points inside the file, with
warnings for what it could not read. Through the pipeline a damaged file costs only itself.

The budget per test is ``NETAUDIT_FUZZ_EXAMPLES`` (default 30); ``scripts/fuzz.sh`` runs thousands.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netaudit.errors import NetauditInputError
from netaudit.parsers import ParseError, parse_source
from netaudit.pipeline import load_devices
from netaudit.sources import source_from_bytes
from netaudit.topology import Topology
from tests.robustness.support import FUZZ, SAMPLES, assert_sound, seed_configs

SEEDS = seed_configs()
TEXTS = {path: path.read_bytes().decode("utf-8", errors="replace").split("\n") for paths in SEEDS.values() for path in paths}
VOCABULARY = sorted({word for lines in TEXTS.values() for line in lines for word in line.split()})
ODD_WORDS = ["0", "-1", "65536", "4294967296", "99999999999999999999", "1.2.3", "1.2.3.4/33", "::1/129", "fe80::1%x",
             "255.255.255.256", "0.0.0.0", "any", "any4", "host", "object", "object-group", "eq", "range", "log",
             "interval", "!", "#", "\"", "'", "{", "}", "^C", "\\", "exit", "end", "quit"]
ODD_CHARS = ["\x00", "\x1b[31m", "\x0c", "\t", "\u2028", "\ufffd", "\u202e", "機房", "é"]

# One mutation: (kind, where in the file 0..1, a number, a word).
Mutation = tuple[str, float, int, str]
KINDS = ["truncate", "delete", "duplicate", "swap", "indent", "long", "cut", "char", "word", "drop-word", "insert-line"]
mutations = st.lists(
    st.tuples(st.sampled_from(KINDS), st.floats(0, 1), st.integers(0, 200_000),
              st.one_of(st.sampled_from(VOCABULARY), st.sampled_from(ODD_WORDS), st.sampled_from(ODD_CHARS), st.text(max_size=30))),
    min_size=1, max_size=12,
)


def mutate(lines: list[str], changes: list[Mutation]) -> list[str]:
    lines = list(lines)
    for kind, where, number, word in changes:
        if not lines:
            lines = [word]
        i = min(int(where * len(lines)), len(lines) - 1)
        line = lines[i]
        indent = line[: len(line) - len(line.lstrip())]
        words = line.split()
        if kind == "truncate":
            lines = lines[:i]
        elif kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[number % len(lines)])
        elif kind == "swap":
            j = number % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "indent":
            lines[i] = " " * (number % 7) + line.lstrip()
        elif kind == "long":
            lines[i] = line + " " + (word or "A") * (1 + number // max(1, len(word)))
        elif kind == "cut":
            lines[i] = line[: number % (len(line) + 1)]
        elif kind == "char":
            k = number % (len(line) + 1)
            lines[i] = line[:k] + word + line[k:]
        elif kind == "word" and words:
            words[number % len(words)] = word
            lines[i] = indent + " ".join(words)
        elif kind == "drop-word" and words:
            del words[number % len(words)]
            lines[i] = indent + " ".join(words)
        elif kind == "insert-line":
            lines.insert(i, TEXTS[next(iter(TEXTS))][0] if not word else indent + word)
    return lines


def parse_bytes(path: str, data: bytes, platform: str | None) -> None:
    """Read and parse as the pipeline does; the only exceptions allowed are the documented refusals."""
    try:
        source = source_from_bytes(path, data)
        device = parse_source(source, platform)
    except (ParseError, NetauditInputError) as refusal:
        assert refusal.args, "a refusal says why"
        return
    assert_sound(device, source.lines)


@pytest.mark.parametrize("platform", sorted(SEEDS))
@FUZZ
@given(data=st.data())
def test_damaged_lines_never_crash_the_parser(platform: str, data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(SEEDS[platform]), label="seed")
    lines = mutate(TEXTS[seed], data.draw(mutations, label="mutations"))
    # Parsed as its platform (the topology override) and as detected: both paths must hold.
    parse_bytes(str(seed), "\n".join(lines).encode("utf-8", errors="surrogatepass"), platform)
    parse_bytes(str(seed), "\n".join(lines).encode("utf-8", errors="surrogatepass"), None)


@pytest.mark.parametrize("platform", sorted(SEEDS))
@FUZZ
@given(data=st.data())
def test_damaged_bytes_never_crash_reading_or_parsing(platform: str, data: st.DataObject) -> None:
    """Byte-level damage: cut anywhere (mid UTF-8 / UTF-16 character), bytes flipped, re-encoded."""
    seed = data.draw(st.sampled_from(SEEDS[platform]), label="seed")
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp950", "latin-1"]), label="encoding")
    raw = bytearray("\n".join(TEXTS[seed]).encode(encoding, errors="replace"))
    for _ in range(data.draw(st.integers(0, 8), label="flips")):
        if raw:
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)), label="cut")
    parse_bytes(str(seed), bytes(raw[:cut]), data.draw(st.sampled_from([platform, None]), label="override"))


@FUZZ
@given(data=st.binary(max_size=4096))
def test_arbitrary_bytes_are_parsed_or_refused(data: bytes) -> None:
    parse_bytes("noise.cfg", data, None)
    parse_bytes("noise.cfg", b"hostname x\ninterface Vlan1\n" + data, "ios")
    parse_bytes("noise.cfg", b"ASA Version 9.8\nhostname x\n" + data, "asa")


def test_one_damaged_file_costs_only_itself(tmp_path: Path) -> None:
    """A heavily damaged copy of each platform beside the untouched samples: the samples all load."""
    folder = tmp_path / "configs"
    folder.mkdir()
    for path in SAMPLES.glob("*.cfg"):
        (folder / path.name).write_bytes(path.read_bytes())
    changes: list[Mutation] = [("char", 0.5, 3, "\x00"), ("indent", 0.3, 5, ""), ("long", 0.7, 100_000, "X"),
                               ("swap", 0.1, 17, ""), ("cut", 0.9, 4, ""), ("truncate", 0.95, 0, "")]
    for platform, seeds in SEEDS.items():
        (folder / f"zz-damaged-{platform}.cfg").write_text("\n".join(mutate(TEXTS[seeds[0]], changes)), encoding="utf-8")
    devices, failures = load_devices([str(folder)], Topology(), jobs=1)
    names = {Path(d.file).name for d in devices} | {Path(f.file).name for f in failures}
    assert {p.name for p in SAMPLES.glob("*.cfg")} <= {Path(d.file).name for d in devices}
    assert len(names) == 10  # every file is either a device or listed as not assessed
    damaged = [d for d in devices if "damaged" in d.file]
    assert any(w for d in damaged for w in d.warnings)  # what could not be read is said, per device


def test_a_macro_cut_short_is_read_with_a_warning() -> None:
    """Found by atheris: ciscoconfparse2 ran past the end looking for the '@' closing a macro."""
    lines = ["version 15.2", "hostname sw1", "macro name UPLINK", " switchport mode trunk", "@", "interface Vlan1",
             " ip address 10.0.0.1 255.255.255.0", "macro name ACCESS", " switchport mode access"]
    for end in range(len(lines) + 1):
        source = source_from_bytes("cut.cfg", "\n".join(lines[:end]).encode())
        if not source.lines:
            continue
        device = parse_source(source, "ios")
        assert_sound(device, source.lines)
        assert any("not closed by '@'" in w for w in device.warnings) == (end == len(lines) or 3 <= end < 5 or end >= 8)
