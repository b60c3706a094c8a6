"""How often secscan's detect() names the same type as the real-world corpus MANIFEST.

    python benchmarks/corpus_types.py [CORPUS_DIR] [--show-misses]

The MANIFEST's ``<type>-encrypted`` and ``<type>-malformed`` rows are compared by
their base type and reported in a second table. secscan names a few types by the
reader that handles them rather than by their extension (a .ppsx is read as a
pptx); those aliases are listed in ``ALIASES`` and count as agreement.
"""

from __future__ import annotations

import csv
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing
from secscan.detect.sniff import detect

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "realworld"
ALIASES = {
    "ppsx": "pptx",
    "potx": "pptx",
    "dotx": "docx",
    "tar.gz": "gz",
    "ooxml-other": "ooxml",
    "zip-malformed": "zip",
    "mhtml": "eml",
}
COMMON = (
    "pdf",
    "docx",
    "doc",
    "xlsx",
    "xls",
    "xlsb",
    "pptx",
    "ppt",
    "odt",
    "ods",
    "odp",
    "rtf",
    "html",
    "eml",
    "mbox",
    "msg",
    "ofd",
    "epub",
    "zip",
    "7z",
    "rar",
    "tar",
    "gz",
    "png",
    "jpeg",
    "tiff",
    "gif",
    "bmp",
    "webp",
    "heic",
    "text",
)


def expected_base(manifest_format: str) -> tuple[str, str]:
    """(base type to compare, group) for a MANIFEST format value."""
    fmt = ALIASES.get(manifest_format, manifest_format)
    for suffix in ("-encrypted", "-malformed"):
        if fmt.endswith(suffix):
            return ALIASES.get(fmt.removesuffix(suffix), fmt.removesuffix(suffix)), suffix[1:]
    return fmt, "plain"


def detected_base(kind: str) -> str:
    return kind.removesuffix("-encrypted")


def main(argv: list[str]) -> int:
    corpus = Path(next((a for a in argv if not a.startswith("--")), DEFAULT_CORPUS))
    show_misses = "--show-misses" in argv
    rows = list(csv.DictReader((corpus / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
    totals: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    misses: list[str] = []
    started = time.perf_counter()
    for row in rows:
        data = (corpus / row["path"]).read_bytes()
        want, group = expected_base(row["format"])
        got = detect(data, Path(row["path"]).name).kind
        ok = detected_base(got) == want or (group == "malformed" and got == f"{want}-malformed")
        totals[(group, want)]["ok" if ok else "miss"] += 1
        if not ok:
            misses.append(f"{row['path']}\tmanifest={row['format']}\tdetect={got}")
    elapsed = time.perf_counter() - started
    _print_tables(totals)
    common = [c for (g, f), c in totals.items() if g == "plain" and f in COMMON]
    agreed: int = sum(c["ok"] for c in common)
    total: int = sum(c.total() for c in common)
    print(
        f"\ncommon formats: {agreed}/{total} = {agreed / max(total, 1):.1%} agree; "
        f"{len(rows)} files in {elapsed:.2f} s"
    )
    if show_misses:
        print("\n".join(["", "misses:", *misses]))
    return 0


def _print_tables(totals: dict[tuple[str, str], Counter[str]]) -> None:
    for group in ("plain", "encrypted", "malformed"):
        keys = sorted((k for k in totals if k[0] == group), key=lambda k: -totals[k].total())
        if not keys:
            continue
        print(f"\n{group:<10} {'format':<16} {'files':>6} {'agree':>6} {'rate':>7}")
        for key in keys:
            counts = totals[key]
            print(
                f"{'':<10} {key[1]:<16} {counts.total():>6} {counts['ok']:>6} "
                f"{counts['ok'] / counts.total():>7.1%}"
            )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
