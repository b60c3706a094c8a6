"""Score secscan on the blind cases: recall, false alarms and exact level, on the tune and held parts.

    python benchmarks/blind/render.py --check      # the specs are still the frozen ones
    python benchmarks/blind/render.py              # renders out/ (once, or after a renderer change)
    python benchmarks/blind/run.py [--split tune|held|held2|held3|held4|held5|all] [--by convention,location]
                                   [--misses]

A file's verdict is the highest finding level over the file and its members, through the real
pipeline with the shipped catalog (``scan_bytes``; OCR on, as a user runs it). A file that ends as
an error counts as flagged at no level (a gate would stop it), and is listed. Rates are per file;
"cases" counts a case right only when every one of its files is.

``--misses`` lists the wrong verdicts of the tune part only: the held part is scored, never read
case by case, so that it stays a test of what tuning did not see (benchmarks/blind/README.md).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from secscan.config import ScanConfig
from secscan.engine.pipeline import scan_bytes
from secscan.match.catalog import load_catalog
from secscan.model import Level, Status

HERE = Path(__file__).parent
OUT = HERE / "out"
GROUPS = ("convention", "category", "location", "format", "author")


@dataclass
class Tally:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    exact: int = 0
    errors: int = 0

    def add(self, expected: Level, got: Level, error: bool) -> None:
        flagged = got > Level.NONE or error
        if expected > Level.NONE:
            self.tp += flagged
            self.fn += not flagged
            self.exact += got == expected
        else:
            self.fp += flagged
            self.tn += not flagged
        self.errors += error

    def row(self, label: str) -> str:
        pos, neg = self.tp + self.fn, self.fp + self.tn
        recall = f"{self.tp / pos:6.3f}" if pos else "     -"
        false_alarm = f"{self.fp / neg:7.3f}" if neg else "      -"
        exact = f"{self.exact / pos:6.3f}" if pos else "     -"
        counts = f"{self.fn:>4} {self.fp:>4} {self.errors:>4}"
        return f"{label:<16} {pos:>5} {neg:>5}  {recall} {false_alarm} {exact}  {counts}"


HEADER = f"{'':<16} {'pos':>5} {'neg':>5}  recall f-alarm  exact    fn   fp  err"


def verdict(path: Path, config: ScanConfig) -> tuple[Level, bool, str]:
    results = scan_bytes(path.name, path.name, path.read_bytes(), config)
    level = max((f.level for r in results for f in r.findings), default=Level.NONE)
    error = any(r.status == Status.ERROR for r in results)
    why = "; ".join(
        f"{f.rule}:{f.level.label}@{f.confidence:.2f} {f.match!r} [{', '.join(f.reasons)}]"
        for r in results
        for f in r.findings
    )
    if not why:
        best = sorted((f for r in results for f in r.suppressed), key=lambda f: -f.confidence)[:3]
        why = "; ".join(
            f"(suppressed {f.rule}@{f.confidence:.2f} {f.match!r} [{', '.join(f.reasons)}])" for f in best
        )
    errors = "; ".join(f"{r.path}: {r.error}" for r in results if r.status == Status.ERROR)
    return level, error, (why + (f" ERRORS {errors}" if errors else ""))


def load_rows() -> list[dict[str, str]]:
    splits = {}
    for line in (HERE / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) == 4:
            splits[parts[0]] = (parts[3], parts[1].removesuffix(".json"))
    with open(OUT / "files.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        row["split"], row["author"] = splits[row["case_id"]]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parts = ["tune", "held", "held2", "held3", "held4", "held5", "all"]
    parser.add_argument("--split", default="all", choices=parts)
    parser.add_argument("--by", default="convention", help=f"comma-separated tables: {', '.join(GROUPS)}")
    parser.add_argument("--misses", action="store_true", help="list the wrong verdicts of the tune part")
    parser.add_argument("--only", default="", help="case id prefix (tune cases only)")
    args = parser.parse_args()
    config = ScanConfig(catalog=load_catalog(), show_suppressed=True)
    tallies: dict[str, dict[str, dict[str, Tally]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(Tally))
    )
    case_ok: dict[str, dict[str, bool]] = defaultdict(dict)
    misses: list[str] = []
    started = time.perf_counter()
    files = 0
    for row in load_rows():
        split = row["split"]
        if args.split != "all" and split != args.split:
            continue
        if args.only and (split != "tune" or not row["case_id"].startswith(args.only)):
            continue
        expected = Level.parse(row["expected"])
        got, error, why = verdict(OUT / row["file"], config)
        files += 1
        for group in ("ALL", *args.by.split(",")):
            key = "ALL" if group == "ALL" else row[group]
            tallies[split][group][key].add(expected, got, error)
        flagged = got > Level.NONE or error
        right = flagged == (expected > Level.NONE) and (expected == Level.NONE or got == expected)
        case_ok[split][row["case_id"]] = case_ok[split].get(row["case_id"], True) and right
        if not right and split == "tune":
            misses.append(
                f"{row['file']} [{row['section']} {row['category']} {row['location']}]: "
                f"expected {expected.label}, got {got.label}{' ERROR' if error else ''}: {why}"
            )
    seconds = time.perf_counter() - started
    for split in sorted(tallies):
        ok = case_ok[split]
        total = sum(t.tp + t.fn + t.fp + t.tn for t in tallies[split]["ALL"].values())
        print(
            f"\n[{split}] {total} files, "
            f"{len(ok)} cases, {sum(ok.values())} cases right ({sum(ok.values()) / max(1, len(ok)):.3f})"
        )
        for group in ("ALL", *args.by.split(",")):
            print(f"\n{group}\n{HEADER}")
            for key in sorted(
                tallies[split][group], key=lambda k: (-sum(vars(tallies[split][group][k]).values()), k)
            ):
                print(tallies[split][group][key].row(key or "-"))
    print(f"\n{files} files in {seconds:.1f} s")
    if args.misses:
        print("\n" + "\n".join(sorted(misses)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
