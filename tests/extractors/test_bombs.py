"""Decompression bombs in every decoder end as an error (or a skipped part), never as clean.

The bombs come from tests/fixtures/make_bombs.py, built here in memory. Most
run against a small expanded size limit (32 MiB) with bombs of a few times
that, so they are quick; the measured 2 GiB PDF bomb runs once (slow) in a
child process whose address space is capped below what inflating it needs.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection

import pytest
from locations import FIXTURES

from secscan.config import Limits, ScanConfig
from secscan.engine.pipeline import scan_bytes
from secscan.errors import LimitExceeded
from secscan.extractors._common.xmlsafe import parse_xml
from secscan.extractors.pdf.stream_sizes import decoded_size, most_decoded
from secscan.match.catalog import Catalog
from secscan.model import FileResult, Status

sys.path.insert(0, str(FIXTURES))
import make_bombs

MIB = make_bombs.MIB
SMALL = Limits(max_expanded_size=32 * MIB)


def scan(name: str, data: bytes, catalog: Catalog, limits: Limits = SMALL, ocr: bool = False) -> FileResult:
    return scan_bytes(name, name, data, ScanConfig(catalog=catalog, limits=limits, ocr=ocr))[0]


# PDF


@pytest.mark.parametrize(
    "shape, stream",
    [("content", "content stream"), ("array", "content stream 2 of 3"), ("form", "form XObject /Pad")],
)
def test_pdf_stream_bomb_is_an_error_naming_page_and_limit(shape: str, stream: str, catalog: Catalog) -> None:
    result = scan("bomb.pdf", make_bombs.pdf_bomb(96 * MIB, shape), catalog)
    assert result.status == Status.ERROR
    limit = f"the expanded size limit ({SMALL.max_expanded_size:,} bytes)"
    assert result.error == f"over a limit: page 1 {stream} expands past {limit}"


def test_pdf_control_page_is_read_under_the_same_limit(catalog: Catalog) -> None:
    result = scan("control.pdf", make_bombs.pdf_bomb(0, "control"), catalog)
    assert result.status == Status.FLAGGED
    assert [finding.match for finding in result.findings] == [make_bombs.MARK]


def test_pdf_padding_within_the_limit_is_read_to_the_marking(catalog: Catalog) -> None:
    result = scan("padded.pdf", make_bombs.pdf_bomb(16 * MIB), catalog)
    assert [finding.match for finding in result.findings] == [make_bombs.MARK]


def _scan_capped(data: bytes, conn: Connection) -> None:
    cap = 1536 * MIB  # inflating the bomb took 3.1 GB; the scan itself needs a few hundred MB
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        result = scan("bomb.pdf", data, Catalog())
        conn.send((str(result.status), result.error or ""))
    except MemoryError:
        conn.send(("MemoryError", ""))


@pytest.mark.slow
def test_measured_2_gib_pdf_bomb_is_refused_in_bounded_memory() -> None:
    data = make_bombs.pdf_bomb(2048 * MIB)
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_scan_capped, args=(data, child))
    process.start()
    child.close()
    status, error = parent.recv() if parent.poll(300) else ("no answer", "")
    process.join()
    assert (status, error.split(" (")[0]) == (
        "error",
        "over a limit: page 1 content stream expands past the expanded size limit",
    )


def test_stream_counts_stop_at_the_room_left() -> None:
    import zlib

    padding = zlib.compress(b" " * (64 * MIB), 9)
    assert 4 * MIB < decoded_size(padding, ["FlateDecode"], 4 * MIB) <= 5 * MIB
    assert decoded_size(padding, ["FlateDecode"], 100 * MIB) == 64 * MIB
    assert most_decoded(len(padding), ["FlateDecode"]) >= 64 * MIB


@pytest.mark.parametrize("data", [b"", b"a", b"abababababab" * 999, bytes(range(256)) * 300, b"\0" * 100_000])
def test_lzw_count_matches_pypdfs_decoder(data: bytes) -> None:
    from pypdf.filters import _LzwCodec

    encoded = _LzwCodec().encode(data)
    assert _LzwCodec().decode(encoded) == data
    assert decoded_size(encoded, ["LZWDecode"], 10**9) == len(data)


# XML


def test_billion_laughs_docx_is_over_a_limit(catalog: Catalog) -> None:
    result = scan("laughs.docx", make_bombs.billion_laughs_docx(), catalog)
    assert result.status == Status.ERROR
    assert result.error == (
        "over a limit: word/document.xml: entities expand past the XML parser's entity expansion limit"
    )


@pytest.mark.parametrize(
    "xml, limit",
    [
        (b"<a>" + b"x" * (11 * MIB) + b"</a>", "text node limit"),
        (b"<a>" * 300 + b"</a>" * 300, "depth limit"),
    ],
)
def test_xml_parser_limits_are_named(xml: bytes, limit: str) -> None:
    with pytest.raises(LimitExceeded, match=limit):
        parse_xml(xml)


def test_huge_text_docx_is_an_error(catalog: Catalog) -> None:
    result = scan("huge.docx", make_bombs.huge_text_docx(64 * MIB), catalog)
    assert result.status == Status.ERROR
    assert result.error is not None and result.error.startswith("over a limit")


# Archives: every kind meters what it unpacks.

ARCHIVES: list[tuple[str, Callable[[], bytes]]] = [
    ("bomb.zip", lambda: make_bombs.zip_bomb(96 * MIB)),
    ("bomb.gz", lambda: make_bombs.gz_bomb(96 * MIB)),
    ("bomb.bz2", lambda: make_bombs.bz2_bomb(96 * MIB)),
    ("bomb.xz", lambda: make_bombs.xz_bomb(96 * MIB)),
    ("bomb.tar.gz", lambda: make_bombs.tar_bomb(96 * MIB)),
    ("bomb.7z", lambda: make_bombs.seven_zip_bomb(96 * MIB)),
]


@pytest.mark.parametrize("name, build", ARCHIVES, ids=[name for name, _ in ARCHIVES])
def test_archive_bomb_is_over_a_limit(name: str, build: Callable[[], bytes], catalog: Catalog) -> None:
    if name.endswith(".7z"):
        pytest.importorskip("py7zr")
    result = scan(
        name, build(), catalog, Limits(max_expanded_size=32 * MIB, max_ratio=1e9)
    )  # the size meter, not the ratio
    assert result.status == Status.ERROR
    assert result.error is not None and "expanded size limit" in result.error


def test_zip_member_declared_small_but_inflating_big_is_an_error(catalog: Catalog) -> None:
    result = scan("lying.zip", make_bombs.zip_lying_size(64 * MIB), catalog)
    assert result.status == Status.ERROR
    assert result.error == "ZIP member 'small.txt' holds more data than its declared size; not read in full"


def test_nested_zip_stops_at_the_depth_limit(catalog: Catalog) -> None:
    results = scan_bytes("n.zip", "n.zip", make_bombs.nested_zip(40), ScanConfig(catalog=catalog, ocr=False))
    assert Status.CLEAN not in {result.status for result in results}
    assert any("nesting depth limit" in (result.error or "") for result in results)


# Images


def test_png_pixel_bomb_is_over_the_pixel_limit(catalog: Catalog) -> None:
    result = scan("bomb.png", make_bombs.png_pixel_bomb(), catalog, ocr=True)
    assert result.error == (
        "over a limit: image is 10,000,000,000 pixels (100000×100000), "
        "above the image pixel limit (120,000,000 pixels)"
    )


def test_png_pixel_bomb_with_ocr_off_is_skipped(catalog: Catalog) -> None:
    assert scan("bomb.png", make_bombs.png_pixel_bomb(), catalog).status == Status.SKIPPED


def test_tiff_page_over_the_pixel_limit_is_an_error(catalog: Catalog) -> None:
    result = scan("big.tiff", make_bombs.tiff_big_second_page(), catalog, ocr=True)
    assert result.error == (
        "over a limit: page 2 of the image is 400,000,000 pixels (20000×20000), "
        "above the image pixel limit (120,000,000 pixels)"
    )


def test_tiff_of_many_pages_with_ocr_off_is_skipped(catalog: Catalog) -> None:
    assert scan("pages.tiff", make_bombs.tiff_many_pages(2000), catalog).status == Status.SKIPPED


@pytest.mark.slow
@pytest.mark.ocr
def test_tiff_of_many_pages_stops_at_the_time_limit(catalog: Catalog) -> None:
    pytest.importorskip("rapidocr")
    result = scan("pages.tiff", make_bombs.tiff_many_pages(2000), catalog, Limits(timeout=3.0), ocr=True)
    assert result.status == Status.ERROR
    assert result.error is not None and "time limit" in result.error
