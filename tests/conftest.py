"""Configuration fixtures shared by the test modules, and the `slow` marker's rule.

The pattern catalog takes ~0.1 s to load and compile, so one is shared per session; a test that
needs its own limits builds a `ScanConfig` of its own.
"""

from __future__ import annotations

import pytest

from secscan.config import ScanConfig
from secscan.match.catalog import Catalog, load_catalog


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
