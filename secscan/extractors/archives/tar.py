"""Tar archives, read in memory with the stdlib ``tarfile``: nothing is ever extracted to disk.

Only uncompressed tar reaches this module: a .tar.gz/.tar.bz2/.tar.xz is first
unpacked by ``archive_gz`` and its member detected again as tar. Members are
read through ``Meter`` (declared size checked first, then in chunks); a
sparse member yields only its stored segments, never its holes. Links,
devices and folders carry no content and are not members; names in GBK are
decoded right (``member_names.surrogate_name``).
"""

from __future__ import annotations

import io
import tarfile

from secscan.config import ScanConfig
from secscan.errors import CorruptFile
from secscan.extractors._common.bounded import Meter
from secscan.extractors.archives.member_names import folder_blocks, surrogate_name
from secscan.model import Extraction, FileKind, Member

KINDS = frozenset({FileKind.TAR})


def extract(data: bytes, config: ScanConfig) -> Extraction:
    meter = Meter(config.limits)
    members: list[Member] = []
    names: list[str] = []
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:", errors="surrogateescape") as archive:
            for count, info in enumerate(archive, start=1):
                meter.check_count(count)
                name = surrogate_name(info.name) + ("/" if info.isdir() else "")
                names.append(name)
                if info.isfile():
                    members.append(Member(name, _read(archive, info, name, meter)))
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise CorruptFile(f"not a readable tar archive: {exc}") from None
    return Extraction(blocks=folder_blocks(names), parts_read=("members",), members=tuple(members))


def _read(archive: tarfile.TarFile, info: tarfile.TarInfo, name: str, meter: Meter) -> bytes:
    if info.sparse:
        return _sparse_data(archive, info, name, meter)
    meter.check_member(name, info.size, info.size)  # tar does not compress: size is the only bound
    stream = archive.extractfile(info)
    if stream is None:
        return b""
    with stream:
        return meter.read(stream, name, lambda: info.size)


def _sparse_data(archive: tarfile.TarFile, info: tarfile.TarInfo, name: str, meter: Meter) -> bytes:
    """A sparse member's stored segments, joined: its holes are zeros that hold no text.

    Rebuilding the holes would turn a few KB into the member's full size (the
    corpus has an 11-second one); the segments are all the content there is.
    """
    segments: list[tuple[int, int]] = list(getattr(info, "sparse", None) or [])  # typeshed: bytes
    stored = sum(size for _offset, size in segments)
    meter.check_member(name, stored, stored)
    source = archive.fileobj
    if source is None:
        return b""
    source.seek(info.offset_data)
    data = source.read(stored)
    meter.add(len(data))
    return data
