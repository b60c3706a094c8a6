"""Configuration fixtures shared by the test modules, and the `slow` marker's rule.

The pattern catalog takes ~0.1 s to load and compile, so one is shared per session; a test that
needs its own limits builds a `ScanConfig` of its own.

Every test gets a result cache folder of its own (``SECSCAN_CACHE_DIR``, inherited by the
subprocesses it starts): a result kept by one test must never answer another, and no test
writes to the user's real cache.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from secscan.config import ScanConfig
from secscan.match.catalog import Catalog, load_catalog


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("SECSCAN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def scan_config(catalog: Catalog) -> ScanConfig:
    """The shipped catalog, OCR off: what most extractor tests scan with."""
    return ScanConfig(catalog=catalog, ocr=False)


@pytest.fixture(scope="session")
def ocr_config(catalog: Catalog) -> ScanConfig:
    """The shipped catalog with OCR on (the default engine)."""
    return ScanConfig(catalog=catalog)
