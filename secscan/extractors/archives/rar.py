"""RAR archives (RAR 1.5 to 5): headers with ``rarfile``, data with whatever can unpack it.

``rarfile`` (ISC, pure Python) parses headers, tells encrypted archives and
members apart, and decrypts RAR3/RAR5 headers with a supplied password; but RAR
compression is proprietary, so it needs an ``unrar``, ``unar`` or ``bsdtar``
program to unpack. Measured on the 98 .rar files of the corpus: with ``unar``
(Debian package ``unar``, LGPL) rarfile read 61, incl. solid and
password-protected ones; from pip alone, ``libarchive-c`` over the system's
libarchive 3.6 read 67 files' worth of entries but no solid RAR4 and nothing
encrypted. So: rarfile + a tool when one is installed, else libarchive, else
an ``error`` saying what to install. Never clean.

The archive is written once to a private temporary folder (removed on exit)
because the unpacking tools read files, not memory.
"""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path
from typing import Any

from secscan.config import ScanConfig
from secscan.errors import CorruptFile, EncryptedError, MissingEngine
from secscan.extractors._common.bounded import Meter
from secscan.extractors.archives.member_names import folder_blocks
from secscan.model import Extraction, FileKind, Member

KINDS = frozenset({FileKind.RAR})

_INSTALL = "install unar or unrar (apt-get install unar), or pip install 'secscan[archives]' for libarchive"


def extract(data: bytes, config: ScanConfig) -> Extraction:
    try:
        import rarfile
    except ImportError:
        raise MissingEngine(f"RAR not readable: {_INSTALL}") from None
    with tempfile.TemporaryDirectory(prefix="secscan-rar-") as folder:
        path = Path(folder) / "archive.rar"
        path.write_bytes(data)
        archive = _open(rarfile, path, config.passwords)
        infos = archive.infolist()
        meter = Meter(config.limits)
        meter.check_count(len(infos))
        files = [info for info in infos if info.is_file()]
        try:
            members = [_read(rarfile, archive, info, meter, config.passwords) for info in files]
        except rarfile.RarCannotExec:
            members = _read_libarchive(data, Meter(config.limits))
    names = [info.filename + ("/" if info.is_dir() else "") for info in infos]
    return Extraction(blocks=folder_blocks(names), parts_read=("members",), members=tuple(members))


def _open(rarfile: Any, path: Path, passwords: tuple[str, ...]) -> Any:
    try:
        archive = rarfile.RarFile(str(path))
        # needs_password() is also true when only some members are encrypted; an
        # empty listing is what tells that the headers (file names) are encrypted.
        if not (archive.needs_password() and not archive.infolist()):
            return archive
        for password in passwords:
            try:
                archive.setpassword(password)
                if archive.infolist():
                    return archive
            except (rarfile.Error, ValueError):
                continue
    except rarfile.NeedFirstVolume:
        raise CorruptFile("a later volume of a multi-volume RAR; scan it with its first volume") from None
    except (rarfile.Error, OSError, EOFError, ValueError) as exc:
        raise CorruptFile(f"not a readable RAR archive: {_scrub(exc)}") from None
    raise EncryptedError("RAR archive with encrypted file names")


def _read(rarfile: Any, archive: Any, info: Any, meter: Meter, passwords: tuple[str, ...]) -> Member:
    name = info.filename
    meter.check_member(name, info.file_size, info.compress_size)
    if not info.needs_password():
        return Member(name, _read_with(rarfile, archive, info, None, meter))
    for password in passwords:
        try:
            return Member(name, _read_with(rarfile, archive, info, password, meter))
        except (rarfile.RarWrongPassword, rarfile.BadRarFile, rarfile.RarCRCError, CorruptFile):
            continue
    raise EncryptedError(f"RAR member {name!r}")


def _read_with(rarfile: Any, archive: Any, info: Any, password: str | None, meter: Meter) -> bytes:
    try:
        with archive.open(info, pwd=password) as stream:
            data: bytes = meter.read(stream, info.filename, lambda: info.compress_size)
            return data
    except rarfile.RarCannotExec:
        raise
    except (rarfile.Error, OSError, EOFError) as exc:
        # OSError "Working on single FD": the member continues in another volume.
        raise CorruptFile(f"RAR member {info.filename!r} could not be unpacked: {_scrub(exc)}") from None


def _read_libarchive(data: bytes, meter: Meter) -> list[Member]:
    """Unpack with libarchive when no unrar/unar/bsdtar program is installed."""
    try:
        import libarchive
    except (ImportError, OSError, AttributeError):  # libarchive-c raises these without the C library
        raise MissingEngine(f"RAR not readable: {_INSTALL}") from None
    members: list[Member] = []
    try:
        with libarchive.memory_reader(data) as archive:
            for entry in archive:
                if entry.isfile:
                    members.append(Member(entry.pathname, _entry_bytes(entry, meter)))
    except libarchive.ArchiveError as exc:
        message = str(getattr(exc, "msg", exc))
        if "ncrypt" in message:
            raise EncryptedError("RAR archive") from None
        raise MissingEngine(f"RAR not readable by libarchive ({message}); {_INSTALL}") from None
    return members


def _entry_bytes(entry: Any, meter: Meter) -> bytes:
    blocks = io.BytesIO()
    for block in entry.get_blocks():
        blocks.write(block)
        meter.check_member(entry.pathname, blocks.tell(), None)
    meter.add(blocks.tell())
    return blocks.getvalue()


def _scrub(exc: BaseException) -> str:
    """The error text without our private temporary folder in it."""
    return re.sub(r"\S*secscan-rar-[^/\s]*/", "", str(exc))
