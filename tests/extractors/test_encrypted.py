"""Encrypted files are errors unless a supplied password opens them; then they are scanned normally."""

from __future__ import annotations

import functools
import shutil
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from locations import FIXTURES as FIXTURE_ROOT
from realworld import REALWORLD

from secscan.cli.passwords import PasswordFileError, load_password_file
from secscan.config import ScanConfig
from secscan.engine.pipeline import scan_bytes
from secscan.errors import EncryptedError, MissingEngine
from secscan.extractors import get_extractor
from secscan.extractors._common.decrypt import decrypt_office
from secscan.extractors._common.passwords import password_bytes
from secscan.match.catalog import Catalog, load_catalog
from secscan.model import Extraction, Status

FIXTURES = FIXTURE_ROOT / "containers"
PASSWORD = "secscan-测试"
MARK = "机密★5年".encode()


def config(*passwords: str) -> ScanConfig:
    return ScanConfig(catalog=Catalog(), ocr=False, passwords=passwords)


@functools.cache
def full_config(*passwords: str) -> ScanConfig:
    return ScanConfig(catalog=load_catalog(), ocr=False, passwords=passwords)


def extract(name: str, kind: str, cfg: ScanConfig) -> Extraction:
    extractor = get_extractor(kind)
    assert extractor is not None
    return extractor((FIXTURES / name).read_bytes(), cfg)


@pytest.mark.parametrize(
    "name, kind, password",
    [
        ("zipcrypto_12345678.zip", "zip", "12345678"),
        ("aes.zip", "zip", PASSWORD),
        ("encrypted.7z", "7z", PASSWORD),
    ],
)
def test_archive_needs_its_password(name: str, kind: str, password: str) -> None:
    with pytest.raises(EncryptedError, match="encrypted, not inspected"):
        extract(name, kind, config())
    if name == "aes.zip":
        pytest.importorskip("pyzipper")
    with pytest.raises(EncryptedError):
        extract(name, kind, config("wrong", "also wrong"))
    members = extract(name, kind, config("wrong", password)).members
    assert members and all(m.data for m in members)


def test_aes_zip_with_password_but_without_pyzipper_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyzipper", None)
    with pytest.raises(MissingEngine, match=r"secscan\[archives\]"):
        extract("aes.zip", "zip", config(PASSWORD))


def test_zip_password_typed_on_chinese_windows_is_tried_as_gbk() -> None:
    assert password_bytes(("密码",)) == ["密码".encode(), "密码".encode("gbk")]


@pytest.mark.skipif(
    not any(shutil.which(t) for t in ("unrar", "unar", "bsdtar")), reason="no RAR unpacking program"
)
def test_encrypted_rar_needs_its_password() -> None:
    with pytest.raises(EncryptedError):
        extract("encrypted_psw.rar", "rar", config())
    assert len(extract("encrypted_psw.rar", "rar", config("password")).members) == 2


def test_encrypted_docx_is_an_error_without_password() -> None:
    data = (FIXTURES / "encrypted.docx").read_bytes()
    result = scan_bytes("encrypted.docx", "encrypted.docx", data, full_config())[0]
    assert result.status == Status.ERROR
    assert "encrypted" in (result.error or "")


def test_encrypted_docx_opened_with_password_is_scanned_in_place() -> None:
    data = (FIXTURES / "encrypted.docx").read_bytes()
    results = scan_bytes("encrypted.docx", "encrypted.docx", data, full_config("nope", PASSWORD))
    assert [r.path for r in results] == ["encrypted.docx"]
    assert results[0].status in (Status.FLAGGED, Status.CLEAN)
    if results[0].findings:
        assert results[0].findings[0].match == "机密★5年"


def test_decrypted_docx_text_is_read() -> None:
    extraction = extract("encrypted.docx", "ooxml-encrypted", config(PASSWORD))
    assert any("机密★5年" in b.text for b in extraction.blocks)


@pytest.mark.skipif(not REALWORLD.exists(), reason="shared corpus not present")
@pytest.mark.parametrize(
    "path, password",
    [
        ("msoffcrypto-tool/rc4cryptoapi_password.doc", "Password1234_"),
        ("msoffcrypto-tool/rc4cryptoapi_password.ppt", "Password1234_"),
        ("msoffcrypto-tool/xor_password_123456789012345.xls", "123456789012345"),
        ("tika/protectedFile.xlsx", None),  # Excel's default VelvetSweatshop
    ],
)
def test_decrypt_office_legacy_formats(path: str, password: str | None) -> None:
    data = (REALWORLD / path).read_bytes()
    plain = decrypt_office(data, (password,) if password else (), path)
    assert plain != data and plain[:4] in (b"\xd0\xcf\x11\xe0", b"PK\x03\x04")
    if password:
        with pytest.raises(EncryptedError):
            decrypt_office(data, ("wrong",), path)


def test_pgp_encrypted_outlook_message_is_an_error() -> None:
    with pytest.raises(EncryptedError):
        extract("pgp_encrypted.msg", "msg", config())


def test_pgp_mime_email_is_an_error() -> None:
    message = EmailMessage()
    message["Subject"] = "hello"
    message.make_mixed()
    message.set_type("multipart/encrypted")
    data = bytes(message)
    extractor = get_extractor("eml")
    assert extractor is not None
    with pytest.raises(EncryptedError):
        extractor(data, config())


def test_password_file_keeps_spaces_and_skips_comments(tmp_path: Path) -> None:
    path = tmp_path / "passwords.txt"
    path.write_bytes("\ufeff# audit 2024\r\n    \r\nsecret\r\n\r\n密码 \nsecret\n".encode())
    assert load_password_file(path) == ("    ", "secret", "密码 ")


def test_missing_password_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PasswordFileError, match="cannot read password file"):
        load_password_file(tmp_path / "absent.txt")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(b"caf\xe9\n")
    with pytest.raises(PasswordFileError, match="not UTF-8"):
        load_password_file(bad)
