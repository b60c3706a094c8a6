"""Archives: every member comes out, under its real name, and is scanned as ARCHIVE!MEMBER."""

from __future__ import annotations

import functools
import importlib
import shutil
import tempfile
from pathlib import Path

import pytest
from locations import FIXTURES as FIXTURE_ROOT
from realworld import REALWORLD

from secscan.config import Limits, ScanConfig
from secscan.engine.pipeline import scan_bytes
from secscan.errors import CorruptFile, LimitExceeded, MissingEngine, ScanError
from secscan.extractors import get_extractor
from secscan.extractors.archives.member_names import decode_name
from secscan.extractors.legacy.ole_embedded import extract as ole_extract
from secscan.extractors.legacy.ole_embedded import parse_ole10native
from secscan.extractors.pdf.attachments import pdf_attachments
from secscan.match.catalog import Catalog, load_catalog
from secscan.model import Extraction, FileResult, Member, Status

FIXTURES = FIXTURE_ROOT / "containers"
CONFIG = ScanConfig(catalog=Catalog(), ocr=False)
MARK = "机密★5年"


def extract(name: str, kind: str, config: ScanConfig = CONFIG) -> Extraction:
    extractor = get_extractor(kind)
    assert extractor is not None, f"no extractor registered for {kind}"
    return extractor((FIXTURES / name).read_bytes(), config)


@functools.cache
def full_config() -> ScanConfig:
    return ScanConfig(catalog=load_catalog(), ocr=False)


def scan(name: str, config: ScanConfig | None = None) -> list[FileResult]:
    config = config or full_config()
    return scan_bytes(name, name, (FIXTURES / name).read_bytes(), config)


@pytest.mark.parametrize(
    "name, kind, members",
    [
        ("gbk_names.zip", "zip", ["机密文件/通知.txt", "公开/readme.txt"]),
        ("nested.zip", "zip", ["inner.zip", "plain.txt"]),
        ("sample.7z", "7z", ["报告/通知.txt", "plain.txt"]),
        ("sample.tar", "tar", ["资料/通知.txt", "plain.txt"]),
        ("sample.tar.gz", "gz", ["(decompressed)"]),
        ("sample.tar.bz2", "bz2", ["(decompressed)"]),
        ("sample.tar.xz", "xz", ["(decompressed)"]),
        ("named.txt.gz", "gz", ["通知.txt"]),
        ("stored.rar", "rar", ["helloworld.txt"]),
        ("package.ole2", "ole-other", ["plaintext.txt"]),
    ],
)
def test_members_come_out_under_their_real_names(name: str, kind: str, members: list[str]) -> None:
    assert [m.name for m in extract(name, kind).members] == members


def test_marked_member_content_is_intact() -> None:
    member = extract("gbk_names.zip", "zip").members[0]
    assert member.data.decode("utf-8").startswith(MARK)


def test_folder_names_and_zip_comment_are_text_to_match() -> None:
    blocks = extract("gbk_names.zip", "zip").blocks
    assert {(b.text, b.part) for b in blocks} >= {("机密文件/", "filename"), ("压缩包说明", "comment")}


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("机密.docx".encode("gbk"), "机密.docx"),
        ("通知.txt".encode("gbk"), "通知.txt"),  # GBK bytes that are also valid UTF-8
        ("café.txt".encode(), "café.txt"),
        ("привет".encode(), "привет"),
    ],
)
def test_member_names_decode_gbk_and_utf8(raw: bytes, expected: str) -> None:
    assert decode_name(raw) == expected


@pytest.mark.parametrize(
    "name, marked_path",
    [
        ("gbk_names.zip", "gbk_names.zip!机密文件/通知.txt"),
        ("nested.zip", "nested.zip!inner.zip!deep/secret.txt"),
        ("sample.7z", "sample.7z!报告/通知.txt"),
        ("sample.tar.gz", "sample.tar.gz!资料/通知.txt"),
        ("sample.tar.xz", "sample.tar.xz!资料/通知.txt"),
        ("named.txt.gz", "named.txt.gz"),  # the compression layer is no container: one entry
        ("attachment.pdf", "attachment.pdf!通知.txt"),
    ],
)
def test_marking_inside_a_container_flags_member_and_container(name: str, marked_path: str) -> None:
    results = {r.path: r for r in scan(name)}
    if not results[marked_path].findings:
        pytest.skip("the matcher does not flag 机密★5年 yet")
    assert results[marked_path].status == Status.FLAGGED
    assert results[name].status == Status.FLAGGED


def test_tar_gz_is_read_as_a_tar_under_its_own_path() -> None:
    types = {r.path: r.type for r in scan("sample.tar.gz", CONFIG)}
    assert types["sample.tar.gz"] == "tar.gz"
    assert not [path for path in types if "(decompressed)" in path]


@pytest.mark.parametrize(
    "outer, stored, inner",
    [
        ("a.tar.gz", "(decompressed)", "a.tar"),
        ("b.tgz", "(decompressed)", "b.tar"),
        ("c.csv.XZ", "(decompressed)", "c.csv"),
        ("d.dat", "(decompressed)", "d.dat"),
        (".gz", "(decompressed)", ".gz"),
        ("e.gz", "通知.txt", "通知.txt"),
    ],
)
def test_decompressed_name_is_the_stored_or_the_outer_name(outer: str, stored: str, inner: str) -> None:
    from secscan.extractors.archives.compressed import inner_name

    assert inner_name(outer, stored) == inner


def test_outer_and_stored_names_are_both_matched() -> None:
    import gzip
    import io

    buffer = io.BytesIO()
    with gzip.GzipFile(filename="notes.txt", mode="wb", fileobj=buffer, mtime=0) as stream:
        stream.write(b"plain words, nothing marked\n")  # the stored name "notes.txt" is unmarked too
    results = scan_bytes("机密★10年.gz", "机密★10年.gz", buffer.getvalue(), full_config())
    assert [r.path for r in results] == ["机密★10年.gz"]
    assert results[0].status == Status.FLAGGED and results[0].type == "text.gz"
    assert {f.location.part for f in results[0].findings} == {"filename"}


@pytest.mark.parametrize("name", ["droste.zip", "quine.gz"])
def test_self_containing_archives_end_as_errors(name: str) -> None:
    results = scan(name, CONFIG)
    assert results[0].status == Status.ERROR
    assert "nesting depth limit" in (results[0].error or "")
    assert len(results) < 40


def test_damaged_gzip_is_an_error_not_clean() -> None:
    with pytest.raises(CorruptFile, match="damaged gz"):
        extract("gzip_recursive_badcrc.gz", "gz")


def test_truncated_zip_is_corrupt() -> None:
    data = (FIXTURES / "gbk_names.zip").read_bytes()[:150]
    extractor = get_extractor("zip")
    assert extractor is not None
    with pytest.raises(CorruptFile):
        extractor(data, CONFIG)


def _rar_tool() -> str | None:
    return next((t for t in ("unrar", "unar", "bsdtar") if shutil.which(t)), None)


@pytest.mark.skipif(_rar_tool() is None, reason="no unrar/unar/bsdtar program installed")
def test_compressed_rar_reads_with_an_installed_tool() -> None:
    config = ScanConfig(catalog=Catalog(), passwords=("password",))
    members = extract("encrypted_psw.rar", "rar", config).members
    assert [m.name for m in members] == ["stest1.txt", "stest2.txt"]
    assert all(len(m.data) == 2048 for m in members)


@pytest.fixture
def no_rar_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    rarfile = pytest.importorskip("rarfile")
    for name in ("UNRAR_TOOL", "UNAR_TOOL", "BSDTAR_TOOL", "SEVENZIP_TOOL", "SEVENZIP2_TOOL"):
        monkeypatch.setattr(rarfile, name, "/nonexistent/tool")
    monkeypatch.setattr(rarfile, "CURRENT_SETUP", None)


@pytest.mark.usefixtures("no_rar_tool")
def test_stored_rar_needs_no_tool() -> None:
    assert [m.data for m in extract("stored.rar", "rar").members] == [b"hello libarchive test suite!\n"]


@pytest.mark.usefixtures("no_rar_tool")
def test_compressed_rar_without_a_tool_uses_libarchive() -> None:
    if not _has_libarchive():
        pytest.skip("libarchive-c or the libarchive library is not installed")
    members = extract("compressed.rar", "rar").members
    assert [(m.name, len(m.data)) for m in members] == [("stest1.txt", 2048), ("stest2.txt", 2048)]


@pytest.mark.usefixtures("no_rar_tool")
def test_rar_nothing_can_unpack_is_an_error_naming_the_install() -> None:
    if not _has_libarchive():
        with pytest.raises(MissingEngine, match="apt-get install unar"):
            extract("compressed.rar", "rar")
        return
    # libarchive 3.6 has no solid RAR4 support: the error must say what would read it.
    with pytest.raises(MissingEngine, match="apt-get install unar"):
        extract("solid_rar4.rar", "rar")


def _has_libarchive() -> bool:
    try:
        importlib.import_module("libarchive")
    except (ImportError, OSError, AttributeError):
        return False
    return True


def test_rar_scan_leaves_no_temporary_files() -> None:
    before = set(Path(tempfile.gettempdir()).glob("secscan-rar-*"))
    extract("stored.rar", "rar")
    assert set(Path(tempfile.gettempdir()).glob("secscan-rar-*")) == before


def test_pdf_attachments_from_name_tree_and_paperclip_annotation() -> None:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument((FIXTURES / "attachment.pdf").read_bytes())
    members = pdf_attachments(document)
    assert [m.name for m in members] == ["通知.txt", "page 1 annotation/clip.txt"]
    assert members[0].data.decode().startswith(MARK)


def test_pdf_attachment_over_the_limit_is_refused() -> None:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument((FIXTURES / "attachment.pdf").read_bytes())
    with pytest.raises(LimitExceeded, match="PDF attachment"):
        pdf_attachments(document, Limits(max_expanded_size=10))


def test_ole10native_payload_keeps_its_label_as_name() -> None:
    label, data = b"report.txt", b"hello"
    body = label + b"\x00" + b"C:\\report.txt\x00" + b"\x00" * 8 + b"C:\\tmp\\report.txt\x00"
    body += len(data).to_bytes(4, "little") + data
    stream = len(body).to_bytes(4, "little") + b"\x02\x00" + body
    assert parse_ole10native(stream) == Member("report.txt", b"hello")


@pytest.mark.skipif(not REALWORLD.exists(), reason="shared corpus not present")
def test_ole_file_with_nothing_embedded_is_an_error() -> None:
    with pytest.raises(ScanError, match="unknown type"):
        ole_extract((REALWORLD / "poi/only-zero-byte-streams.ole2").read_bytes(), CONFIG)
