"""Extractor registry: file kind -> the module that turns its bytes into text blocks.

Each extractor module defines::

    KINDS: frozenset[FileKind]          # the kinds it reads, as listed here
    def extract(data: bytes, config: ScanConfig) -> Extraction

and raises a ``secscan.errors.ScanError`` subclass when it cannot read the file.
Modules are imported on first use so that a one-file gate never pays for
libraries it does not need. A new format is one module plus one line here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol

from secscan.model import FileKind

if TYPE_CHECKING:
    from secscan.config import ScanConfig
    from secscan.model import Extraction


class Extractor(Protocol):
    def __call__(self, data: bytes, config: ScanConfig) -> Extraction: ...


EXTRACTORS: dict[FileKind, str] = {
    FileKind.TEXT: "secscan.extractors.text.plain",
    FileKind.DOCX: "secscan.extractors.office.docx",
    FileKind.PDF: "secscan.extractors.pdf.pdf",
    FileKind.ZIP: "secscan.extractors.archives.zip",
    FileKind.EPUB: "secscan.extractors.archives.zip",
    FileKind.OOXML: "secscan.extractors.archives.zip",
    FileKind.SEVEN_Z: "secscan.extractors.archives.sevenzip",
    FileKind.TAR: "secscan.extractors.archives.tar",
    FileKind.GZ: "secscan.extractors.archives.compressed",
    FileKind.BZ2: "secscan.extractors.archives.compressed",
    FileKind.XZ: "secscan.extractors.archives.compressed",
    FileKind.RAR: "secscan.extractors.archives.rar",
    FileKind.EML: "secscan.extractors.mail.eml",
    FileKind.MBOX: "secscan.extractors.mail.mbox",
    FileKind.MSG: "secscan.extractors.mail.msg",
    FileKind.TNEF: "secscan.extractors.mail.tnef",
    FileKind.OOXML_ENCRYPTED: "secscan.extractors._common.decrypt",
    FileKind.OLE_OTHER: "secscan.extractors.legacy.ole_embedded",
    FileKind.DOCX_ENCRYPTED: "secscan.extractors._common.decrypt",
    FileKind.XLSX_ENCRYPTED: "secscan.extractors._common.decrypt",
    FileKind.XLSB_ENCRYPTED: "secscan.extractors._common.decrypt",
    FileKind.PPTX_ENCRYPTED: "secscan.extractors._common.decrypt",
    FileKind.XLSX: "secscan.extractors.office.xlsx",
    FileKind.PPTX: "secscan.extractors.office.pptx",
    FileKind.ODT: "secscan.extractors.office.odf",
    FileKind.ODS: "secscan.extractors.office.odf",
    FileKind.ODP: "secscan.extractors.office.odf",
    FileKind.ODF: "secscan.extractors.office.odf",
    FileKind.OFD: "secscan.extractors.office.ofd",
    FileKind.XLS: "secscan.extractors.legacy.xls",
    FileKind.XLSB: "secscan.extractors.office.xlsb",
    FileKind.DOC: "secscan.extractors.legacy.word",
    FileKind.PPT: "secscan.extractors.legacy.ppt",
    FileKind.OLE_MALFORMED: "secscan.extractors.legacy.ole",
    FileKind.RTF: "secscan.extractors.legacy.rtf",
    FileKind.HTML: "secscan.extractors.text.html",
    FileKind.CSV: "secscan.extractors.text.csv",
    FileKind.TSV: "secscan.extractors.text.csv",
    FileKind.XML: "secscan.extractors.text.xml",
    FileKind.WORDML_XML: "secscan.extractors.text.xml",
    FileKind.PNG: "secscan.extractors.image",
    FileKind.JPEG: "secscan.extractors.image",
    FileKind.GIF: "secscan.extractors.image",
    FileKind.TIFF: "secscan.extractors.image",
    FileKind.BMP: "secscan.extractors.image",
    FileKind.WEBP: "secscan.extractors.image",
    FileKind.HEIC: "secscan.extractors.image",
    FileKind.WECHAT_DAT: "secscan.extractors.image",
    FileKind.EMF: "secscan.extractors.metafile.metafile",
    FileKind.WMF: "secscan.extractors.metafile.metafile",
}


# Kinds ``detect`` can name that no extractor reads yet: the pipeline reports them ``skipped``.
UNSUPPORTED: frozenset[FileKind] = frozenset(
    {
        FileKind.POSTSCRIPT,
        FileKind.COMPRESS_Z,
        FileKind.LZO,
        FileKind.GRZIP,
        FileKind.JBIG2,
        FileKind.WORDPERFECT,
        FileKind.MS_WRITE,
        FileKind.XPS,
        FileKind.IWORK,
        FileKind.WPS_WORKS,
        FileKind.UNKNOWN_BINARY,
    }
)


def get_extractor(kind: FileKind) -> Extractor | None:
    """The extractor for ``kind``, or None when no extractor reads that kind yet."""
    module_name = EXTRACTORS.get(kind)
    if module_name is None:
        return None
    module = importlib.import_module(module_name)
    extract: Extractor = module.extract
    return extract
