"""WPS Office (Kingsoft) files: .wps, .et and .dps are the Word, Excel and PowerPoint binaries.

WPS writes its own names for the same OLE formats, so a file is read by its bytes whatever it
is called. The real WPS-made files of the shared corpus (Apache Tika's test suite, Apache-2.0)
are scanned under the WPS names: each must be read (not an error, not unknown), and the nine
objects WPS embedded in each (a text file, a PDF, XML, Word, Excel and PowerPoint files, old
and new) must all be scanned as members.
"""

from __future__ import annotations

import pytest
from realworld import REALWORLD

from secscan.config import ScanConfig
from secscan.engine.pipeline import scan_bytes
from secscan.match.catalog import load_catalog
from secscan.model import Status

CONFIG = ScanConfig(catalog=load_catalog(), ocr=False)


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="shared real-world corpus not present")
@pytest.mark.parametrize(
    ("source", "wps_name", "kind"),
    [
        ("tika/testWPSAttachment.doc", "通知.wps", "doc"),
        ("tika/testWPSAttachment.xls", "报表.et", "xls"),
        ("tika/testWPSAttachment.ppt", "汇报.dps", "ppt"),
    ],
)
def test_wps_files_are_read_by_their_bytes_with_every_embedded_object(
    source: str, wps_name: str, kind: str
) -> None:
    results = scan_bytes(wps_name, wps_name, (REALWORLD / source).read_bytes(), CONFIG)
    # Besides the objects: their icon previews (metafiles, and the bitmaps in them) are members too.
    top, members = results[0], [m for m in results[1:] if "!picture" not in m.path]
    assert top.type == kind
    assert top.status != Status.ERROR, top.error
    assert "body" in top.coverage.parts or "table" in top.coverage.parts
    assert len(members) == 9
    assert all(m.status == Status.CLEAN for m in members), [(m.path, m.status, m.error) for m in members]
    kinds = {m.type for m in members}
    assert {"text", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx"} <= kinds
