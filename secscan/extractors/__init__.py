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
    "zip": "secscan.extractors.archive_zip",
    "epub": "secscan.extractors.archive_zip",  # XHTML chapters come out as members
    "ooxml": "secscan.extractors.archive_zip",  # an OOXML package of unknown type: read every part
    "7z": "secscan.extractors.archive_7z",
    "tar": "secscan.extractors.archive_tar",
    "gz": "secscan.extractors.archive_gz",
    "bz2": "secscan.extractors.archive_gz",
    "xz": "secscan.extractors.archive_gz",
    "rar": "secscan.extractors.archive_rar",
    "eml": "secscan.extractors.eml",
    "mbox": "secscan.extractors.mbox",
    "msg": "secscan.extractors.msg",
    "tnef": "secscan.extractors.tnef",
    "ooxml-encrypted": "secscan.extractors.decrypt",
    "ole-other": "secscan.extractors.ole_embedded",
    "docx-encrypted": "secscan.extractors.decrypt",
    "xlsx-encrypted": "secscan.extractors.decrypt",
    "xlsb-encrypted": "secscan.extractors.decrypt",
    "pptx-encrypted": "secscan.extractors.decrypt",
    "xlsx": "secscan.extractors.xlsx",
    "pptx": "secscan.extractors.pptx",
    "odt": "secscan.extractors.odf",
    "ods": "secscan.extractors.odf",
    "odp": "secscan.extractors.odf",
    "odf": "secscan.extractors.odf",
    "ofd": "secscan.extractors.ofd",
    "xls": "secscan.extractors.xls",
    "xlsb": "secscan.extractors.xlsb",
    "doc": "secscan.extractors.legacy_word",
    "ppt": "secscan.extractors.legacy_ppt",
    "ole-malformed": "secscan.extractors.ole",
    "rtf": "secscan.extractors.rtf",
    "html": "secscan.extractors.html",
    "csv": "secscan.extractors.csv",
    "tsv": "secscan.extractors.csv",
    "xml": "secscan.extractors.xml",
    "wordml-xml": "secscan.extractors.xml",
    "png": "secscan.extractors.image",
    "jpeg": "secscan.extractors.image",
    "gif": "secscan.extractors.image",
    "tiff": "secscan.extractors.image",
    "bmp": "secscan.extractors.image",
    "webp": "secscan.extractors.image",
    "heic": "secscan.extractors.image",
    "wechat-dat": "secscan.extractors.image",
    "emf": "secscan.extractors.metafile",
    "wmf": "secscan.extractors.metafile",
}


def get_extractor(kind: str) -> Extractor | None:
    """The extractor for ``kind``, or None when no extractor reads that kind yet."""
    module_name = EXTRACTORS.get(kind)
    if module_name is None:
        return None
    module = importlib.import_module(module_name)
    extract: Extractor = module.extract
    return extract
