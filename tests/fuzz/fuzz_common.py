"""What every fuzz harness shares: the config it scans with, the one accepted failure, and its seeds.

A harness module (``harness_*.py``) defines ``TestOneInput(data: bytes)``,
``seeds()`` (real files of its family, already in the harness's input form)
and ``MAX_LEN``. Only ``secscan.errors.ScanError`` may come out of a parser:
the pipeline turns it into an ``error`` entry. Any other exception escapes
``guarded`` and is a finding, because in a scan it would be an
"could not read xls: list index out of range" error at best.
"""

from __future__ import annotations

import contextlib
import csv
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))  # for realworld / locations when run as a script

from locations import FIXTURES  # noqa: E402
from realworld import REALWORLD  # noqa: E402

from secscan.config import ScanConfig  # noqa: E402
from secscan.errors import ScanError  # noqa: E402
from secscan.match.catalog import Catalog  # noqa: E402

# The limits are secscan's defaults: a parser must stay bounded under the settings users run with.
CONFIG = ScanConfig(catalog=Catalog(), ocr=False)
HARNESSES = (
    "metafile",
    "xlsb",
    "props",
    "word",
    "ppt",
    "xls",
    "rtf",
    "officeart",
    "tnef",
    "msg",
    "ofd",
    "detect",
)
_SEED_CAP = 400 * 1024  # larger files slow every mutation down and add little new structure


def guarded(call: Callable[[], object]) -> None:
    """Run one parser entry point; a ScanError is the expected way to refuse an input."""
    with contextlib.suppress(ScanError):
        call()


def corpus_files(*formats: str, limit: int = 40) -> Iterator[bytes]:
    """Real files of the given MANIFEST formats, smallest first (empty when the corpus is absent)."""
    manifest = REALWORLD / "MANIFEST.tsv"
    if not manifest.is_file():
        return
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["format"] in formats]
    rows.sort(key=lambda row: int(row["bytes"]))
    for row in [r for r in rows if int(r["bytes"]) <= _SEED_CAP][:limit]:
        yield (REALWORLD / row["path"]).read_bytes()


def fixture_files(*patterns: str) -> Iterator[bytes]:
    """Fixture files matching the glob patterns (relative to tests/fixtures), fuzz findings included."""
    for pattern in patterns:
        for path in sorted(FIXTURES.glob(pattern)):
            if path.is_file() and path.stat().st_size <= _SEED_CAP:
                yield path.read_bytes()


def converted(files: Iterator[bytes], convert: Callable[[bytes], bytes]) -> Iterator[bytes]:
    """Each file in the harness's input form; a file the converter cannot open is left out."""
    for data in files:
        try:
            yield convert(data)
        except Exception:  # a damaged seed (some corpus files are) is simply not a seed
            continue
