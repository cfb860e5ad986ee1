"""Per-vendor parsers: text → vendor-neutral model. Nothing here decides compliance."""

from __future__ import annotations

from netaudit.model import Device
from netaudit.parsers import ccp_unwrap
from netaudit.parsers.asa import AsaParser
from netaudit.parsers.base import ParseError, Parser, SourceFile
from netaudit.parsers.detect import SUPPORTED, UNSUPPORTED_NAMES, detect_platform
from netaudit.parsers.ios import IosParser
from netaudit.parsers.nxos import NxosParser

PARSERS: dict[str, type[Parser]] = {"ios": IosParser, "nxos": NxosParser, "asa": AsaParser}

# ciscoconfparse2's logging wrappers are a third of its time and do nothing once its logging is off
# (ccp_unwrap.py says why the result cannot change).
ccp_unwrap.unwrap()


class UnsupportedPlatform(ParseError):
    """A configuration of a platform netaudit cannot parse (yet), or of no platform it knows."""


def parse_source(source: SourceFile, platform: str | None = None) -> Device:
    """Parse one file; ``platform`` overrides detection (topology ``devices.<name>.platform``)."""
    if not any(line.strip() for line in source.lines):
        raise ParseError(None, "empty file")
    detected = platform or detect_platform("\n".join(source.lines))
    if detected is None:
        raise UnsupportedPlatform(None, "not a configuration of any known platform (supported: Cisco IOS/IOS-XE, NX-OS, ASA)")
    if detected not in PARSERS:
        name = UNSUPPORTED_NAMES.get(detected, detected)
        raise UnsupportedPlatform(None, f"{name} configuration: platform not supported yet (supported: Cisco IOS/IOS-XE, NX-OS, ASA)")
    device = PARSERS[detected]().parse(source)
    device.warnings[:0] = source.warnings  # how the file was read comes first
    return device


__all__ = ["PARSERS", "SUPPORTED", "ParseError", "UnsupportedPlatform", "parse_source"]
