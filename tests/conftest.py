"""Test-wide settings: the CLI's parsed-model cache goes to a temporary folder, not the user's home."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NETAUDIT_CACHE_DIR", str(tmp_path_factory.mktemp("netaudit-cache")))
        yield
