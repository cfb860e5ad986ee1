"""The check registry: one entry per catalog id (Checkov's registry, as decorated functions).

A check is a function ``(context, params) -> Iterable[Hit]``. It says *what* it found and where;
the runner turns hits into findings with the policy pack's severity, titles and remediation, and
renders the message templates declared here in every report language. The registry drives
``netaudit checks``, the policy pack validation and (later) SARIF rules, so they cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from netaudit.model import Device, SourceRef


@dataclass(slots=True)
class Hit:
    """One thing a check found. ``key`` tells hits of one check on one device apart (stable id)."""

    device: Device | None
    ref: SourceRef | None
    facts: dict[str, Any]
    key: str = ""
    severity: str | None = None  # overrides the pack's severity for this hit (catalog says when)
    evidence: list[SourceRef] = field(default_factory=list)  # further lines that prove it
    file: str | None = None  # when there is no ref (absence findings): the file to name
    flow: dict[str, Any] | None = None
    covered_by: list[int] | None = None


CheckFunction = Callable[[Any, "Params"], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    id: str
    articles: tuple[str, ...]
    function: CheckFunction
    message: dict[str, str]  # templates by language, with {fact} placeholders
    needs: str = "device"  # 'device', 'rule', 'topology', 'flow', 'hits': what the check reads (docs, `checks`)


class Params(dict):  # type: ignore[type-arg]
    """The policy-pack parameters after topology overrides, with typed accessors."""

    def services(self, name: str) -> list:  # list[Service]
        return list(self[name])


REGISTRY: dict[str, CheckSpec] = {}


def check(check_id: str, *, articles: tuple[str, ...], message: dict[str, str], needs: str = "device") -> Callable[[CheckFunction], CheckFunction]:
    """Register a check under its catalog id."""

    def register(function: CheckFunction) -> CheckFunction:
        if check_id in REGISTRY:
            raise ValueError(f"check {check_id!r} registered twice")
        if set(message) != {"en", "zh-TW"}:
            raise ValueError(f"check {check_id!r} needs messages in en and zh-TW")
        REGISTRY[check_id] = CheckSpec(check_id, articles, function, message, needs)
        return function

    return register


# Ids of the catalog that are produced outside the registry's functions (the waiver machinery),
# but still need pack entries and appear in `netaudit checks`.
SPECIAL_IDS = {"waiver-expired": ("15.4",), "waiver-unused": ("15.4",)}

# Catalog ids this build does not assess yet: the policy pack may hold their entries; `netaudit
# checks` and reports say they are not assessed. (unused-rule left it with netaudit/hits.)
NOT_YET_ASSESSED: frozenset[str] = frozenset()


def missing_input(check_id: str, *, topology: bool, hits: bool) -> str | None:
    """What a registered check needs and the audit was not given ('topology', 'hits'), or None:
    such a check could not say anything, and the reports say 'not assessed', not 'passed'."""
    spec = REGISTRY.get(check_id)
    if spec is None:
        return None
    if spec.needs == "hits" and not hits:
        return "hits"
    if spec.needs in ("topology", "flow") and not topology:
        return "topology"
    return None
