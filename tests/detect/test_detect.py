"""File-type detection: by bytes, with the name only breaking ties, and never crashing."""

from __future__ import annotations

import csv
import io
import tarfile
import zipfile
from pathlib import Path

import pytest
from locations import FIXTURES, REPO
from realworld import REALWORLD as _CORPUS

from secscan.detect.sniff import detect

OFFICE = FIXTURES / "office"
REALWORLD = _CORPUS if _CORPUS.is_dir() else None


def _zip(members: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _tar_without_magic() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as archive:
        info = tarfile.TarInfo("a.txt")
        info.size = 3
        archive.addfile(info, io.BytesIO(b"abc"))
    data = bytearray(out.getvalue())
    data[257:265] = b"\x00" * 8  # wipe "ustar  \0": only the header checksum is left to go by
    checksum = sum(data[:148]) + 8 * 32 + sum(data[156:512])
    data[148:156] = f"{checksum:06o}\x00 ".encode()
    return bytes(data)


_OOXML = "application/vnd.openxmlformats-officedocument"
_CT = '<Types><Override PartName="/x.xml" ContentType="' + _OOXML + '.{}.main+xml"/>{}</Types>'
_XLSX_DEFAULT = '<Default Extension="xlsx" ContentType="' + _OOXML + '.spreadsheetml.sheet"/>'


@pytest.mark.parametrize(
    "data, name, kind",
    [
        (
            _zip({"[Content_Types].xml": _CT.format("presentationml.presentation", _XLSX_DEFAULT)}),
            "a.pptx",
            "pptx",
        ),
        (_zip({"[Content_Types].xml": _CT.format("spreadsheetml.sheet", "")}), "a.bin", "xlsx"),
        (_zip({"[Content_Types].xml": "<Types/>"}), "a.docx", "ooxml"),
        (_zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}), "a", "odt"),
        (_zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), "a", "ods"),
        (_zip({"mimetype": "application/vnd.oasis.opendocument.presentation"}), "a", "odp"),
        (_zip({"mimetype": "application/vnd.oasis.opendocument.graphics"}), "a", "odf"),
        (_zip({"mimetype": "application/epub+zip"}), "a", "epub"),
        (_zip({"OFD.xml": "<ofd:OFD/>"}), "a.zip", "ofd"),
        (_zip({"index.xml": "<x/>"}), "a.zip", "zip"),  # a bare index.xml is no reason to stop recursing
        (b"<!DOCTYPE html><html><body>x</body></html>", "a.txt", "html"),
        (b"\xef\xbb\xbf<div><p>fragment</p><p>two</p></div>", "a", "html"),
        ("<html><body>宽</body></html>".encode("utf-16"), "a", "html"),
        (b"<?xml version='1.0'?><root>x</root>", "a", "xml"),
        (b"Received: from x\r\nFrom: a@b\r\nSubject: hi\r\n\r\nbody", "a", "eml"),
        ("MIME-Version: 1.0\nFrom: a@b\n\nbody".encode("utf-16-le"), "a.eml", "eml"),
        (b"From someone Mon Jun 01 10:00:00 2009\n\nbody\n", "a", "mbox"),
        (b"Subject: not a mail\njust text", "a", "text"),
        ("密级,名称\n机密,x\n".encode("gbk"), "list.CSV", "csv"),
        (b"a\tb\n", "t.tsv", "tsv"),
        (b"a,b\n", "t.txt", "text"),
        (b"\xef\xbb\xbf%PDF-1.4\n", "a", "pdf"),
        (b"1 0 obj<</Type/Catalog>>endobj", "a.pdf", "pdf"),
        (_tar_without_magic(), "a", "tar"),
        (b"\x09\x04\x06\x00\x00\x00\x10\x00" + b"\x00" * 64, "a.xls", "xls"),
        (b"\x78\x9f\x3e\x22\x00\x00", "winmail.dat", "tnef"),
        (b"%!PS-Adobe-3.0\n", "a", "postscript"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "a.doc", "ole-malformed"),
        (b"", "empty", "text"),
        (b"\x00\x01\x02\x03" * 40, "a", "unknown-binary"),
    ],
)
def test_kind_by_bytes(data: bytes, name: str, kind: str) -> None:
    assert detect(data, name).kind == kind


@pytest.mark.parametrize(
    "name, kind",
    [
        ("marked.doc", "doc"),
        ("marked.xls", "xls"),
        ("marked.ppt", "ppt"),
        ("marked.xlsx", "xlsx"),
        ("marked.pptx", "pptx"),
        ("marked.odt", "odt"),
        ("marked.ods", "ods"),
        ("marked.odp", "odp"),
        ("marked.ofd", "ofd"),
        ("marked.rtf", "rtf"),
        ("marked.html", "html"),
        ("marked.csv", "csv"),
    ],
)
def test_fixtures_detected_whatever_their_name(name: str, kind: str) -> None:
    data = (OFFICE / name).read_bytes()
    assert detect(data, name).kind == kind
    if kind not in ("csv",):  # CSV is the one kind only a name can tell
        assert detect(data, "renamed.jpg").kind == kind


def test_ole_encrypted_package_takes_inner_type_from_extension() -> None:
    olefile = pytest.importorskip("olefile")
    if REALWORLD is None:
        pytest.skip("shared real-world corpus not present")
    data = (REALWORLD / "msoffcrypto-tool/ecma376standard_password.docx").read_bytes()
    assert olefile.isOleFile(data)
    assert detect(data, "report.docx").kind == "docx-encrypted"
    assert detect(data, "report.xlsx").kind == "xlsx-encrypted"
    assert detect(data, "report.bin").kind == "ooxml-encrypted"


@pytest.mark.parametrize("name", sorted(p.name for p in OFFICE.iterdir()))
def test_truncated_and_damaged_inputs_never_raise(name: str) -> None:
    data = (OFFICE / name).read_bytes()
    for cut in (1, 7, 8, 100, 512, 1000, len(data) // 2, len(data) - 1):
        assert detect(data[:cut], name).kind
    flipped = bytearray(data)
    for at in range(0, len(flipped), max(len(flipped) // 50, 1)):
        flipped[at] ^= 0xFF
    assert detect(bytes(flipped), name).kind


@pytest.mark.skipif(REALWORLD is None, reason="shared real-world corpus not present")
def test_corpus_agreement_with_manifest() -> None:
    """The issue's bar: secscan names the MANIFEST's type for >= 95% of the common formats."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus_types import COMMON, detected_base, expected_base

    assert REALWORLD is not None
    rows = list(csv.DictReader((REALWORLD / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
    agree = total = 0
    for row in rows:
        want, group = expected_base(row["format"])
        if group != "plain" or want not in COMMON:
            continue
        total += 1
        agree += (
            detected_base(detect((REALWORLD / row["path"]).read_bytes(), Path(row["path"]).name).kind) == want
        )
    assert total > 1000
    assert agree / total >= 0.95
