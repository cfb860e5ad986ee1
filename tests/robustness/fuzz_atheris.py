"""Coverage-guided fuzzing of reading and parsing with atheris (libFuzzer), for the long run.

Not collected by pytest (no ``test_`` prefix): ``scripts/fuzz.sh --atheris`` runs it. Every input
is decoded like a file from disk and parsed as each platform and as detected; anything but a
documented refusal (``ParseError``, ``NetauditInputError``) or a sound device is a crash, which
libFuzzer saves as ``crash-*`` for a regression test. Seeds: the samples and parser fixtures.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from loguru import logger

    from netaudit.errors import NetauditInputError
    from netaudit.parsers import ParseError, parse_source
    from netaudit.sources import source_from_bytes

logger.remove()


def one_input(data: bytes) -> None:
    for platform in (None, "ios", "nxos", "asa"):
        try:
            source = source_from_bytes("fuzz.cfg", data)
            device = parse_source(source, platform)
        except (ParseError, NetauditInputError):
            continue
        assert device.lines == len(source.lines)
        assert 0 <= device.unrecognized_lines <= len(source.lines)


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
