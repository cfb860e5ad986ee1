"""Hit-count readers, one per platform: adding FortiOS, PAN-OS or Junos is one decorated function.

A reader takes the text of one device's hits file and returns its ``DeviceCounters``; the platform
key is the model's ``Device.platform``, so the device's parsed config chooses the reader.
"""

from __future__ import annotations

from collections.abc import Callable

from netaudit.hits.model import DeviceCounters

Reader = Callable[[str, str], DeviceCounters]  # (text, file as given) -> counters

READERS: dict[str, Reader] = {}


def reader(platform: str) -> Callable[[Reader], Reader]:
    """Register the reader of ``platform``'s `show access-list` (and clock/uptime) output."""

    def register(function: Reader) -> Reader:
        if platform in READERS:
            raise ValueError(f"hit-count reader for {platform!r} registered twice")
        READERS[platform] = function
        return function

    return register


def read_counters(text: str, file: str, platform: str) -> DeviceCounters | None:
    """The counters in ``text``, or None when no reader knows ``platform`` yet."""
    function = READERS.get(platform)
    return function(text, file) if function is not None else None
