"""The checks: importing this package registers every catalog id (see ``registry``)."""

from netaudit.checks import anomalies, device, flows, rules, segmentation, unused  # noqa: F401  (registration side effect)
from netaudit.checks.registry import REGISTRY, SPECIAL_IDS, Hit, Params, check

__all__ = ["REGISTRY", "SPECIAL_IDS", "Hit", "Params", "check"]
