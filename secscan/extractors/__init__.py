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
    "text": "secscan.extractors.text.plain",
    "docx": "secscan.extractors.office.docx",
    "pdf": "secscan.extractors.pdf.pdf",
    "zip": "secscan.extractors.archives.zip",
    "epub": "secscan.extractors.archives.zip",  # XHTML chapters come out as members
    "ooxml": "secscan.extractors.archives.zip",  # an OOXML package of unknown type: read every part
    "7z": "secscan.extractors.archives.sevenzip",
    "tar": "secscan.extractors.archives.tar",
    "gz": "secscan.extractors.archives.compressed",
    "bz2": "secscan.extractors.archives.compressed",
    "xz": "secscan.extractors.archives.compressed",
    "rar": "secscan.extractors.archives.rar",
    "eml": "secscan.extractors.mail.eml",
    "mbox": "secscan.extractors.mail.mbox",
    "msg": "secscan.extractors.mail.msg",
    "tnef": "secscan.extractors.mail.tnef",
    "ooxml-encrypted": "secscan.extractors._common.decrypt",
    "ole-other": "secscan.extractors.legacy.ole_embedded",
    "docx-encrypted": "secscan.extractors._common.decrypt",
    "xlsx-encrypted": "secscan.extractors._common.decrypt",
    "xlsb-encrypted": "secscan.extractors._common.decrypt",
    "pptx-encrypted": "secscan.extractors._common.decrypt",
    "xlsx": "secscan.extractors.office.xlsx",
    "pptx": "secscan.extractors.office.pptx",
    "odt": "secscan.extractors.office.odf",
    "ods": "secscan.extractors.office.odf",
    "odp": "secscan.extractors.office.odf",
    "odf": "secscan.extractors.office.odf",
    "ofd": "secscan.extractors.office.ofd",
    "xls": "secscan.extractors.legacy.xls",
    "xlsb": "secscan.extractors.office.xlsb",
    "doc": "secscan.extractors.legacy.word",
    "ppt": "secscan.extractors.legacy.ppt",
    "ole-malformed": "secscan.extractors.legacy.ole",
    "rtf": "secscan.extractors.legacy.rtf",
    "html": "secscan.extractors.text.html",
    "csv": "secscan.extractors.text.csv",
    "tsv": "secscan.extractors.text.csv",
    "xml": "secscan.extractors.text.xml",
    "wordml-xml": "secscan.extractors.text.xml",
    "png": "secscan.extractors.image",
    "jpeg": "secscan.extractors.image",
    "gif": "secscan.extractors.image",
    "tiff": "secscan.extractors.image",
    "bmp": "secscan.extractors.image",
    "webp": "secscan.extractors.image",
    "heic": "secscan.extractors.image",
    "wechat-dat": "secscan.extractors.image",
    "emf": "secscan.extractors.metafile.metafile",
    "wmf": "secscan.extractors.metafile.metafile",
}


def get_extractor(kind: str) -> Extractor | None:
    """The extractor for ``kind``, or None when no extractor reads that kind yet."""
    module_name = EXTRACTORS.get(kind)
    if module_name is None:
        return None
    module = importlib.import_module(module_name)
    extract: Extractor = module.extract
    return extract
