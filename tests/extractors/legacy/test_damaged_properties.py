"""A damaged property stream is recorded as a part not read: the 密级 of a legacy file often sits there."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import olefile
from locations import FIXTURES

from secscan.config import ScanConfig
from secscan.engine.pipeline import scan_bytes
from secscan.extractors.legacy import word
from secscan.match.catalog import Catalog
from secscan.model import SkippedPart, Status


def damaged_copy(tmp_path: Path) -> bytes:
    """marked.doc with its first property section pointing past the end of the stream."""
    path = tmp_path / "damaged.doc"
    shutil.copy(FIXTURES / "office" / "marked.doc", path)
    ole = olefile.OleFileIO(str(path), write_mode=True)
    for name in ("\x05SummaryInformation", "\x05DocumentSummaryInformation"):
        stream = bytearray(ole.openstream(name).read())
        struct.pack_into("<I", stream, 44, 0x7FFFFF00)
        ole.write_stream(name, bytes(stream))
    ole.close()
    return path.read_bytes()


def test_damaged_property_stream_is_a_skipped_part(tmp_path: Path) -> None:
    extraction = word.extract(damaged_copy(tmp_path), ScanConfig(catalog=Catalog(), ocr=False))
    assert (
        SkippedPart(
            "metadata",
            "document properties could not be read: SummaryInformation holds data but no property "
            "could be parsed",
        )
        in extraction.skipped
    )


def test_intact_properties_are_read_and_nothing_is_skipped() -> None:
    extraction = word.extract(
        (FIXTURES / "office" / "marked.doc").read_bytes(), ScanConfig(catalog=Catalog())
    )
    assert extraction.skipped == ()
    assert any(block.part == "metadata" for block in extraction.blocks)


def test_a_clean_document_with_damaged_properties_is_not_called_clean(tmp_path: Path) -> None:
    data = damaged_copy(tmp_path)
    result = scan_bytes("damaged.doc", "damaged.doc", data, ScanConfig(catalog=Catalog(), ocr=False))[0]
    assert result.status == Status.SKIPPED
    assert "document properties could not be read" in (result.error or "")
