"""Tar archives, read in memory with the stdlib ``tarfile``: nothing is ever extracted to disk.

Only uncompressed tar reaches this module: a .tar.gz/.tar.bz2/.tar.xz is first
unpacked by ``archive_gz`` and its member detected again as tar. Members are
read through ``Meter`` (declared size checked first, then in chunks), so a
sparse file that claims terabytes is refused before it is rebuilt. Links,
devices and folders carry no content and are not members; names in GBK are
decoded right (``member_names.surrogate_name``).
"""

from __future__ import annotations

import io
import tarfile

from secscan.config import ScanConfig
from secscan.errors import CorruptFile
from secscan.extractors.bounded import Meter
from secscan.extractors.member_names import folder_blocks, surrogate_name
from secscan.model import Extraction, Member


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
    # A sparse member's holes are zeros that tarfile rebuilds; they hold no text and are no
    # bomb by ratio, so only its size counts (a claimed terabyte is still refused here).
    meter.check_member(name, info.size, info.size)
    stream = archive.extractfile(info)
    if stream is None:
        return b""
    with stream:
        return meter.read(stream, name, lambda: info.size)
