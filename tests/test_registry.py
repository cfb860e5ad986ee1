"""The registry, the policy pack and the catalog cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netaudit.checks.registry import NOT_YET_ASSESSED, REGISTRY, SPECIAL_IDS
from netaudit.policy import load_policy

CATALOG = Path(__file__).resolve().parents[2] / "shared" / "spec" / "checks.md"


def test_pack_names_every_registered_check_with_both_languages() -> None:
    pack = load_policy()
    assert set(pack.checks) == set(REGISTRY) | set(SPECIAL_IDS) | NOT_YET_ASSESSED
    for check_id, policy in pack.checks.items():
        assert policy.title.get("en") and policy.title.get("zh-TW"), check_id
        assert policy.remediation.get("en") and policy.remediation.get("zh-TW"), check_id
    for spec in REGISTRY.values():
        for article in spec.articles:
            assert article in pack.articles, f"{spec.id}: article {article} has no name in the pack"


@pytest.mark.skipif(not CATALOG.exists(), reason="../shared/spec is not beside this clone")
def test_registered_articles_and_severities_match_the_catalog() -> None:
    pack = load_policy()
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| ([^|]+) \| (\w+) \|", CATALOG.read_text(encoding="utf-8"), re.M)
    assert rows
    for check_id, articles, severity in rows:
        assert pack.checks[check_id].severity == severity, check_id
        if check_id in REGISTRY:
            assert list(REGISTRY[check_id].articles) == [a.strip() for a in articles.split(",")], check_id
