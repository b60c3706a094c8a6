"""ZIP archives: every member is handed back for the pipeline to scan as ``ZIP!MEMBER``.

Python's zipfile reads the central directory and decompresses a member only up
to the size the directory declares, so a member's declared size and ratio are
checked before a byte is inflated (42.zip's 4 GB leaves are refused at once),
and ``Meter`` bounds the archive as a whole. Names written by Chinese Windows
tools in GBK without the UTF-8 flag are decoded right (``member_names``).

Encrypted members: ZipCrypto opens with zipfile's ``pwd``; WinZip AES needs
the optional ``pyzipper`` (MIT). A member no supplied password opens makes the
whole archive an ``error``: what was not read is never called clean.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import IO

from secscan.config import ScanConfig
from secscan.errors import CorruptFile, EncryptedError, MissingEngine
from secscan.extractors._common.bounded import Meter
from secscan.extractors._common.passwords import password_bytes
from secscan.extractors.archives.member_names import decode_name, folder_blocks, zip_member_name
from secscan.model import Extraction, FileKind, Member, TextBlock

KINDS = frozenset({FileKind.ZIP, FileKind.EPUB, FileKind.OOXML})

_AES = 99  # WinZip AES "compression method"
_WRONG_PASSWORD = (RuntimeError, zipfile.BadZipFile, zlib.error, EOFError, ValueError)


def extract(data: bytes, config: ScanConfig) -> Extraction:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptFile(f"not a readable ZIP archive: {exc}") from None
    meter = Meter(config.limits)
    meter.check_count(len(infos))
    names = [zip_member_name(info.filename, info.flag_bits, info.extra) for info in infos]
    members = [
        Member(name, _read_member(archive, info, name, meter, config.passwords))
        for info, name in zip(infos, names, strict=True)
        if not info.is_dir()
    ]
    blocks = list(folder_blocks(names))
    if archive.comment:
        comment = decode_name(archive.comment)
        blocks.append(TextBlock(comment, part="comment", line=1, origin="archive comment"))
    return Extraction(blocks=tuple(blocks), members=tuple(members))


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, meter: Meter, passwords: tuple[str, ...]
) -> bytes:
    # The declared sizes bound what zipfile will inflate, so checking them first is sound.
    meter.check_member(name, info.file_size, info.compress_size)
    if info.flag_bits & 0x1:
        return _read_encrypted(archive, info, name, meter, passwords)
    try:
        with archive.open(info) as stream:
            data = meter.read(stream, name, lambda: info.compress_size)
            _check_whole(stream, name)
            return data
    except NotImplementedError as exc:
        raise CorruptFile(f"ZIP member {name!r}: {exc}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise CorruptFile(f"ZIP member {name!r} is damaged: {exc}") from None


def _check_whole(stream: IO[bytes], name: str) -> None:
    """zipfile stops at the declared size; a deflate stream that goes on hides bytes past it."""
    decompressor = getattr(stream, "_decompressor", None)  # zipfile's own, for deflate members
    if isinstance(decompressor, type(zlib.decompressobj(-15))) and not decompressor.eof:
        raise CorruptFile(f"ZIP member {name!r} holds more data than its declared size; not read in full")


def _read_encrypted(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, meter: Meter, passwords: tuple[str, ...]
) -> bytes:
    if not passwords:
        raise EncryptedError(f"ZIP member {name!r}")
    opener = _aes_archive(archive) if info.compress_type == _AES else archive
    for password in password_bytes(passwords):
        try:
            with opener.open(info.filename, pwd=password) as stream:
                return meter.read(stream, name, lambda: info.compress_size)
        except NotImplementedError as exc:
            raise EncryptedError(f"ZIP member {name!r}, {exc}") from None
        except _WRONG_PASSWORD:
            continue
    raise EncryptedError(f"ZIP member {name!r}")


def _aes_archive(archive: zipfile.ZipFile) -> zipfile.ZipFile:
    try:
        import pyzipper
    except ImportError:
        raise MissingEngine(
            "ZIP member is WinZip AES-encrypted; to open it with a password file, "
            "pip install 'secscan[archives]'"
        ) from None
    if archive.fp is None:
        raise CorruptFile("ZIP archive closed while reading")
    archive.fp.seek(0)
    aes: zipfile.ZipFile = pyzipper.AESZipFile(io.BytesIO(archive.fp.read()))
    return aes
