"""Limits fail closed: bombs, deep nesting and too many members end as errors, quickly."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
from collections.abc import Callable

import pytest

from secscan.config import Limits, ScanConfig
from secscan.engine.pipeline import scan_bytes
from secscan.errors import LimitExceeded
from secscan.extractors import get_extractor
from secscan.extractors._common.bounded import RATIO_FLOOR
from secscan.match.catalog import Catalog
from secscan.model import Extraction, Status

CONFIG = ScanConfig(catalog=Catalog(), ocr=False)
ZEROS = b"\x00" * (RATIO_FLOOR * 3)  # 12 MiB that deflate to ~12 KB: 1000:1


def run(kind: str, data: bytes, config: ScanConfig = CONFIG) -> Extraction:
    extractor = get_extractor(kind)
    assert extractor is not None
    return extractor(data, config)


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tar_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def seven_zip_of(members: dict[str, bytes]) -> bytes:
    py7zr = pytest.importorskip("py7zr")
    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(data, name)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "kind, pack",
    [
        ("zip", lambda data: zip_of({"bomb.bin": data})),
        ("gz", gzip.compress),
        ("bz2", bz2.compress),
        ("xz", lzma.compress),
        ("7z", lambda data: seven_zip_of({"bomb.bin": data})),
    ],
)
def test_compression_bomb_stops_at_the_ratio(kind: str, pack: Callable[[bytes], bytes]) -> None:
    with pytest.raises(LimitExceeded, match="compression ratio limit"):
        run(kind, pack(ZEROS))


def test_small_repetitive_file_is_no_bomb() -> None:
    # 1000:1 but only 1 MiB: an empty spreadsheet or a log, not an attack.
    members = run("zip", zip_of({"log.txt": b"same line\n" * 100_000})).members
    assert len(members[0].data) == 1_000_000


@pytest.mark.parametrize(
    "kind, pack",
    [
        ("zip", lambda data: zip_of({"a.txt": data})),
        ("tar", lambda data: tar_of({"a.txt": data})),
        ("gz", gzip.compress),
        ("7z", lambda data: seven_zip_of({"a.txt": data})),
    ],
)
def test_expanded_size_limit(kind: str, pack: Callable[[bytes], bytes]) -> None:
    config = ScanConfig(catalog=Catalog(), limits=Limits(max_expanded_size=10_000))
    with pytest.raises(LimitExceeded, match="expanded size limit"):
        run(kind, pack(bytes(range(256)) * 100), config)


@pytest.mark.parametrize(
    "kind, pack",
    [("zip", zip_of), ("tar", tar_of), ("7z", seven_zip_of)],
)
def test_member_count_limit(kind: str, pack: Callable[[dict[str, bytes]], bytes]) -> None:
    config = ScanConfig(catalog=Catalog(), limits=Limits(max_members=10))
    with pytest.raises(LimitExceeded, match="member count limit"):
        run(kind, pack({f"f{n}.txt": b"x" for n in range(20)}), config)


def test_declared_size_is_checked_before_inflating() -> None:
    data = bytearray(zip_of({"a.txt": b"hello"}))
    # Claim 4 GB uncompressed in the central directory, like 42.zip's leaves.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (0xFFFFFFF0).to_bytes(4, "little")
    with pytest.raises(LimitExceeded):
        run("zip", bytes(data))


def nested_zip(depth: int) -> bytes:
    data = b"\xe6\x9c\xba\xe5\xaf\x86"
    name = "core.txt"
    for level in range(depth):
        data, name = zip_of({name: data}), f"level{level}.zip"
    return data


def test_twenty_deep_nesting_is_an_error_at_max_depth() -> None:
    results = scan_bytes("deep.zip", "deep.zip", nested_zip(20), CONFIG)
    assert results[0].status == Status.ERROR
    assert "nesting depth limit" in (results[0].error or "")
    assert len(results) == CONFIG.limits.max_depth + 2


def test_fan_out_bomb_is_bounded_by_declared_sizes() -> None:
    leaf = zip_of({"zeros.bin": ZEROS})
    level1 = zip_of({f"leaf{n}.zip": leaf for n in range(8)})
    level2 = zip_of({f"mid{n}.zip": level1 for n in range(8)})
    results = scan_bytes("fan.zip", "fan.zip", level2, CONFIG)
    assert results[0].status == Status.ERROR
    leaves = [r for r in results if r.path.count("!") == 2]
    assert len(leaves) == 64 and all(r.status == Status.ERROR for r in leaves)


def test_pipeline_budget_counts_members_across_the_tree() -> None:
    config = ScanConfig(catalog=Catalog(), limits=Limits(max_members=5))
    inner = zip_of({f"f{n}.txt": b"x" for n in range(4)})
    outer = zip_of({f"inner{n}.zip": inner for n in range(3)})
    results = scan_bytes("tree.zip", "tree.zip", outer, config)
    assert results[0].status == Status.ERROR
    assert any("member count limit" in (r.error or "") for r in results)
