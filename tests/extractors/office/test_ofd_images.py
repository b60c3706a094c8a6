"""OFD pages that are pictures (a scanned 红头文件 saved as OFD): the images come back as members.

The fixtures in tests/fixtures/ofd/ are made by tests/fixtures/make_ofd.py; the
page image of ``scanned.ofd`` is make_images.py's 公文 page marked 机密★5年.
Tests marked ``ocr`` need RapidOCR and skip without it; the others show that
with OCR off, or with an image that cannot be found, the OFD is never clean.
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from collections.abc import Callable

import pytest
from locations import FIXTURES

from secscan.config import Limits, ScanConfig
from secscan.engine.pipeline import scan_bytes
from secscan.extractors.office.ofd import extract
from secscan.match.catalog import Catalog
from secscan.model import FileResult, Level, SkippedPart, Status

OFD = FIXTURES / "ofd"
HAS_RAPIDOCR = all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime"))
needs_ocr = pytest.mark.skipif(not HAS_RAPIDOCR, reason="RapidOCR not installed: pip install 'secscan[ocr]'")
IMAGE = "Doc_0/Res/image_0.png"
EXTRACT = ScanConfig(catalog=Catalog(), ocr=False)


def fixture(name: str) -> bytes:
    return (OFD / name).read_bytes()


def scan(name: str, data: bytes, config: ScanConfig) -> dict[str, FileResult]:
    return {result.path: result for result in scan_bytes(name, name, data, config)}


def rewrite(data: bytes, change: Callable[[str, bytes], tuple[str, bytes]], stored: bool = False) -> bytes:
    """``data`` (a ZIP) with each member's name and bytes passed through ``change``."""
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            name, body = change(info.filename, source.read(info))
            target.writestr(name, body, compress_type=method)
    return out.getvalue()


def test_scanned_page_image_is_a_member() -> None:
    data = fixture("scanned.ofd")
    extraction = extract(data, EXTRACT)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        picture = package.read(IMAGE)
    assert [(m.name, m.data) for m in extraction.members] == [(IMAGE, picture)]
    assert extraction.blocks == () and extraction.skipped == () and extraction.pages == 1
    assert len(data) < 100_000


@pytest.mark.ocr
@needs_ocr
def test_scanned_ofd_is_flagged_from_its_page_image(catalog: Catalog) -> None:
    results = scan("x.ofd", fixture("scanned.ofd"), ScanConfig(catalog=catalog))
    ofd, picture = results["x.ofd"], results[f"x.ofd!{IMAGE}"]
    assert (ofd.status, ofd.level) == (Status.FLAGGED, Level.SECRET)
    assert (picture.status, picture.level) == (Status.FLAGGED, Level.SECRET)
    assert [(f.match, f.location.part, f.location.page) for f in picture.findings] == [("机密★5年", "ocr", 1)]


def test_scanned_ofd_without_ocr_is_skipped_not_clean(catalog: Catalog) -> None:
    results = scan("x.ofd", fixture("scanned.ofd"), ScanConfig(catalog=catalog, ocr=False))
    ofd, picture = results["x.ofd"], results[f"x.ofd!{IMAGE}"]
    assert picture.status == Status.SKIPPED
    assert ofd.status == Status.SKIPPED
    assert ofd.error == f"partly read; not read: {IMAGE} (image: OCR off)"


def test_missing_or_undeclared_image_is_a_skipped_part() -> None:
    extraction = extract(fixture("broken_images.ofd"), EXTRACT)
    assert extraction.members == ()
    assert extraction.skipped == (
        SkippedPart("page 1", f"image {IMAGE} (resource 4) is not in the package"),
        SkippedPart("page 2", "image resource 99 is not declared"),
    )
    assert [b.text for b in extraction.blocks] == ["关于年度工作的通知"]


@pytest.mark.parametrize("ocr", [True, False])
def test_ofd_with_a_lost_image_is_never_clean(ocr: bool, catalog: Catalog) -> None:
    results = scan("lost.ofd", fixture("broken_images.ofd"), ScanConfig(catalog=catalog, ocr=ocr))
    assert list(results) == ["lost.ofd"]
    result = results["lost.ofd"]
    assert result.status == Status.SKIPPED
    assert result.error is not None and result.error.startswith("partly read; not read: page 1: image")
    assert "page 2: image resource 99 is not declared" in result.error


def test_every_way_of_drawing_an_image_and_each_image_once() -> None:
    """Pages, a template and a PageRes share and add images; a stamp draws one through a composite unit."""
    extraction = extract(fixture("layout.ofd"), EXTRACT)
    assert [m.name for m in extraction.members] == [
        IMAGE,  # pages 1 and 2 and the template
        "DOC_0/Res/upper.png",  # stored under another case than DocumentRes.xml says
        "Doc_0/Pages/Page_1/Res/own.png",  # page 2's own PageRes
        "Doc_0/Res/stamp.png",  # annotation -> CompositeObject -> CompositeGraphicUnit -> ImageObject
    ]
    assert extraction.skipped == ()


def test_same_picture_under_two_names_is_returned_once() -> None:
    layout = fixture("layout.ofd")
    with zipfile.ZipFile(io.BytesIO(layout)) as package:
        first = package.read(IMAGE)
    same = rewrite(layout, lambda n, d: (n, first if n == "Doc_0/Res/stamp.png" else d))
    names = [m.name for m in extract(same, EXTRACT).members]
    assert names == [IMAGE, "DOC_0/Res/upper.png", "Doc_0/Pages/Page_1/Res/own.png"]


def test_part_names_in_another_case_are_found() -> None:
    def shout(name: str, data: bytes) -> tuple[str, bytes]:
        return (name.upper() if name.startswith(("Doc_0/Pages/", "Doc_0/Res/")) else name), data

    extraction = extract(rewrite(fixture("scanned.ofd"), shout), EXTRACT)
    assert [m.name for m in extraction.members] == ["DOC_0/RES/IMAGE_0.PNG"]
    assert extraction.skipped == ()


def test_damaged_image_is_a_skipped_part_naming_the_page(catalog: Catalog) -> None:
    data = rewrite(fixture("scanned.ofd"), lambda n, d: (n, d), stored=True)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        picture = package.read(IMAGE)
    at = data.index(picture) + len(picture) // 2
    damaged = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]  # the CRC no longer matches
    extraction = extract(damaged, EXTRACT)
    assert extraction.members == ()
    assert [s.part for s in extraction.skipped] == ["page 1"]
    assert extraction.skipped[0].reason.startswith(f"image {IMAGE} could not be read")
    result = scan("x.ofd", damaged, ScanConfig(catalog=catalog))["x.ofd"]
    assert result.status == Status.SKIPPED and "page 1: image" in (result.error or "")


def test_image_past_the_limits_fails_closed(catalog: Catalog) -> None:
    bomb = rewrite(fixture("scanned.ofd"), lambda n, d: (n, bytes(8 << 20) if n == IMAGE else d))
    result = scan("x.ofd", bomb, ScanConfig(catalog=catalog, ocr=False))["x.ofd"]
    assert result.status == Status.ERROR and "over a limit" in (result.error or "")
    small = ScanConfig(catalog=catalog, ocr=False, limits=Limits(max_expanded_size=20_000))
    result = scan("x.ofd", fixture("scanned.ofd"), small)["x.ofd"]
    assert result.status == Status.ERROR and "over a limit" in (result.error or "")
