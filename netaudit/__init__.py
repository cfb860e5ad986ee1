"""netaudit: a network configuration auditor for Taiwan insurers."""

__version__ = "0.1.0"
