"""The model as plain JSON data: for the parser golden files and for debugging (`--dump-model`).

Secrets named in ``model.SECRET_FIELDS`` are masked here, so a model dump can be shared.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from netaudit.model import SECRET_FIELDS, AddressTerm, Device, Service
from netaudit.secrets import MASK


def to_data(value: Any) -> Any:
    if isinstance(value, AddressTerm):
        return str(value)
    if isinstance(value, Service):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: (MASK if f.name in SECRET_FIELDS else to_data(getattr(value, f.name)))
            for f in dataclasses.fields(value)
        }
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(to_data(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def device_to_data(device: Device) -> dict[str, Any]:
    return to_data(device)
