"""Read the parts of a ZIP-based document (OOXML, ODF, OFD) without trusting their sizes.

Document packages are ZIPs, so a crafted one can declare a 1 KB part that
inflates to gigabytes. Every read here streams through ``zipfile`` and stops at
the first of: the per-part cap, the expansion ratio, or the package's total
budget (all from ``Limits``), raising ``LimitExceeded``. The standard library's
zipfile is enough (and has no licence cost); ZIP-level encryption is reported
as ``EncryptedError``.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from secscan.config import Limits
from secscan.errors import CorruptFile, EncryptedError, LimitExceeded
from secscan.model import Member

ZIP_ERRORS = (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError)
# One XML part larger than this is not a document part but an attack on the parser.
MAX_PART = 256 * 1024 * 1024
_CHUNK = 1 << 20
_SMALL = 4 << 20  # below this size a high ratio is normal (runs of XML whitespace, empty sheets)
# OOXML folders (next to the main part) holding pictures and embedded objects, read as files of their own.
MEMBER_DIRS = ("media/", "embeddings/")


class Package:
    """An opened ZIP package whose members are read within ``limits``."""

    def __init__(self, data: bytes, limits: Limits, what: str) -> None:
        self.what = what
        self.limits = limits
        self.budget = limits.max_expanded_size
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except ZIP_ERRORS as exc:
            raise CorruptFile(f"{what} is not a readable ZIP package: {exc}") from None
        # Some Windows tools write member names with backslashes (xl\workbook.xml).
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            self._infos.setdefault(info.filename.replace("\\", "/"), info)
        self.names = list(self._infos)

    def __contains__(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        """The bytes of member ``name``, bounded; a damaged member raises CorruptFile."""
        info = self._infos.get(name)
        if info is None:
            raise CorruptFile(f"{self.what}: part {name} is missing")
        if info.flag_bits & 0x1:
            raise EncryptedError(f"{self.what} part {name}", openable=False)
        cap = min(MAX_PART, self.budget)
        try:
            return self._read_bounded(info, cap)
        except ZIP_ERRORS as exc:
            raise CorruptFile(f"{self.what}: part {name} cannot be read: {exc}") from None

    def read_optional(self, name: str) -> bytes | None:
        return self.read(name) if name in self._infos else None

    def _read_bounded(self, info: zipfile.ZipInfo, cap: int) -> bytes:
        ratio_cap = max(_SMALL, int(max(info.compress_size, 1) * self.limits.max_ratio))
        limit = min(cap, ratio_cap)
        chunks: list[bytes] = []
        total = 0
        with self.zip.open(info) as member:
            while chunk := member.read(_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise LimitExceeded(self._why(info, limit, ratio_cap))
                chunks.append(chunk)
        self.budget -= total
        return b"".join(chunks)

    def _why(self, info: zipfile.ZipInfo, limit: int, ratio_cap: int) -> str:
        if limit == ratio_cap:
            return (
                f"{self.what} part {info.filename} expands more than {self.limits.max_ratio:g}x "
                f"its compressed size ({info.compress_size:,} bytes)"
            )
        return f"{self.what} part {info.filename} expands past {limit:,} bytes"


class OptionalParts:
    """``read(name)`` that answers None for a missing part (the shape docx_props expects)."""

    def __init__(self, package: Package) -> None:
        self.package = package

    def read(self, name: str) -> bytes | None:
        return self.package.read_optional(name)


def resolve(base_part: str, target: str) -> str:
    """The package path of a relationship ``target`` seen from ``base_part``."""
    if target.startswith("/"):
        return target.lstrip("/")
    joined = posixpath.join(posixpath.dirname(base_part), target)
    return posixpath.normpath(joined).lstrip("/")


def rels_path(part: str) -> str:
    """``xl/workbook.xml`` -> ``xl/_rels/workbook.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def relationships(package: Package, part: str) -> list[tuple[str, str, str]]:
    """(id, type suffix, resolved target) for each internal relationship of ``part``."""
    from secscan.extractors._common.xmlsafe import parse_xml

    rels_name = rels_path(part)
    xml = package.read_optional(rels_name)
    if xml is None:
        return []
    result = []
    for rel in parse_xml(xml, rels_name).iter("{*}Relationship"):
        target, kind = rel.get("Target", ""), rel.get("Type", "")
        if not target or rel.get("TargetMode") == "External":
            continue
        result.append((rel.get("Id", ""), kind.rsplit("/", 1)[-1], resolve(part, target)))
    return result


def folder_of(part: str) -> str:
    """``xl/workbook.xml`` -> ``xl/``; a part at the package root -> ``""``."""
    return part.rsplit("/", 1)[0] + "/" if "/" in part else ""


def media_members(
    package: Package, folder: str, dirs: tuple[str, ...] = MEMBER_DIRS, loose_suffixes: tuple[str, ...] = ()
) -> list[Member]:
    """Every non-empty part under ``folder`` + one of ``dirs`` (``ppt/media/``, ``xl/embeddings/`` ...),
    and every part directly in ``folder`` whose name ends with one of ``loose_suffixes``, as members
    named by their part path, in package order.

    Each part is read through ``package.read``, so the per-part cap, the expansion ratio and the
    package budget apply to them as to text parts; the pipeline counts them against --max-members.
    """
    members = []
    for name in package.names:
        if name.endswith("/") or not name.startswith(folder):
            continue
        inner = name[len(folder) :]
        if inner.startswith(dirs) or ("/" not in inner and inner.lower().endswith(loose_suffixes)):
            data = package.read(name)
            if data:
                members.append(Member(name, data))
    return members
