"""Extractor registry: file kind -> the module that turns its bytes into text blocks.

Each extractor module defines::

    def extract(data: bytes, config: ScanConfig) -> Extraction

and raises a ``secscan.errors.ScanError`` subclass when it cannot read the file.
Modules are imported on first use so that a one-file gate never pays for
libraries it does not need. A new format is one module plus one line here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from secscan.config import ScanConfig
    from secscan.model import Extraction


class Extractor(Protocol):
    def __call__(self, data: bytes, config: ScanConfig) -> Extraction: ...


EXTRACTORS: dict[str, str] = {
    "text": "secscan.extractors.text",
    "docx": "secscan.extractors.docx",
    "pdf": "secscan.extractors.pdf",
}


def get_extractor(kind: str) -> Extractor | None:
    """The extractor for ``kind``, or None when no extractor reads that kind yet."""
    module_name = EXTRACTORS.get(kind)
    if module_name is None:
        return None
    module = importlib.import_module(module_name)
    extract: Extractor = module.extract
    return extract
