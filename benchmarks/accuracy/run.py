"""Score secscan against the labelled cases, next to a naive keyword baseline.

    python benchmarks/accuracy/make_cases.py     # once, makes cases/ and labels.tsv
    python benchmarks/accuracy/run.py [--split tune|heldout|all] [--misses]

Every case goes through the real pipeline (``secscan.engine.pipeline.scan_bytes``); a
file's verdict is the highest finding level over the file and its members (a
declassified finding counts as none). The baseline reads the same extracted
text (extractor blocks plus the file name) and flags a file at the highest
level word it contains anywhere, which is what a grep for 机密/SECRET does.
Per convention and overall: precision, recall, false-alarm rate (flagged
negatives / negatives) and exact-level accuracy on the positives.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from secscan.config import ScanConfig
from secscan.detect.sniff import detect
from secscan.engine.pipeline import scan_bytes
from secscan.extractors import get_extractor
from secscan.match.catalog import load_catalog
from secscan.match.normalize import fold, normalize
from secscan.model import Level, Status

HERE = Path(__file__).parent
NAIVE = [  # (regex, level): "any level word present -> flagged at that word's level"
    (r"绝密|絕密|TOP SECRET|COSMIC|ОСОБОЙ ВАЖНОСТИ|STRENG GEHEIM|TRÈS SECRET|I급", Level.TOP_SECRET),
    (r"机密|機密|极秘|極秘|(?<!TOP )SECRET|GEHEIM|СЕКРЕТНО|II급|特定秘密", Level.SECRET),
    (r"秘密|CONFIDENTIAL|VERTRAULICH|CONFIDENTIEL|㊙|III급|核心商密", Level.CONFIDENTIAL),
    (
        r"内部|內部|工作秘密|普通商密|RESTRICTED|RESTREINT|\bCUI\b|FOUO|OFFICIAL USE ONLY|OFFICIAL-SENSITIVE|"
        r"INTERNAL|DIENSTGEBRAUCH|VS-NFD|ДСП|СЛУЖЕБНОГО|社外秘|대외비|限閱",
        Level.INTERNAL,
    ),
]


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    exact: int = 0
    errors: int = 0

    def add(self, expected: Level, got: Level) -> None:
        if expected > Level.NONE:
            self.tp += got > Level.NONE
            self.fn += got == Level.NONE
            self.exact += got == expected
        else:
            self.fp += got > Level.NONE
            self.tn += got == Level.NONE

    def row(self) -> str:
        positives, negatives = self.tp + self.fn, self.fp + self.tn
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / positives if positives else 1.0
        false_alarm = self.fp / negatives if negatives else 0.0
        exact = self.exact / positives if positives else 1.0
        return (
            f"{positives:>4} {negatives:>4}  {precision:6.3f} {recall:6.3f} {false_alarm:7.3f} "
            f"{exact:6.3f}  {self.fn:>3} {self.fp:>3} {self.errors:>3}"
        )


def secscan_level(name: str, data: bytes, config: ScanConfig) -> tuple[Level, bool, str]:
    results = scan_bytes(name, name, data, config)
    level = max((f.level for r in results for f in r.findings), default=Level.NONE)
    error = any(r.status == Status.ERROR for r in results)
    why = "; ".join(
        f"{f.rule}:{f.level.label}@{f.confidence} {f.match!r}" for r in results for f in r.findings
    )
    return (
        level,
        error,
        why
        or "; ".join(
            f"(suppressed {f.rule}@{f.confidence} {f.match!r})" for r in results for f in r.suppressed
        ),
    )


def baseline_level(name: str, data: bytes, config: ScanConfig) -> Level:
    extractor = get_extractor(detect(data, name).kind)
    texts = [name]
    if extractor is not None:
        with contextlib.suppress(Exception):  # an unreadable file gives the baseline only its name
            texts += [b.text for b in extractor(data, config).blocks]
    text = fold(normalize("\n".join(texts)).text).upper()
    return max((level for regex, level in NAIVE if re.search(regex, text)), default=Level.NONE)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="all", choices=["tune", "heldout", "all"])
    parser.add_argument("--misses", action="store_true", help="list every wrong verdict")
    args = parser.parse_args()
    config = ScanConfig(catalog=load_catalog(), show_suppressed=True)
    rows = [line.split("\t") for line in (HERE / "labels.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    ours: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    naive: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    misses: list[str] = []
    for file_name, expected_text, convention, _kind, _place, split in rows:
        if args.split != "all" and split != args.split:
            continue
        data = (HERE / "cases" / file_name).read_bytes()
        expected = Level.parse(expected_text)
        got, error, why = secscan_level(file_name, data, config)
        for key in (convention, "ALL"):
            ours[split][key].add(expected, got)
            ours[split][key].errors += error
            naive[split][key].add(expected, baseline_level(file_name, data, config))
        wrong = (got > Level.NONE) != (expected > Level.NONE) or (expected > Level.NONE and got != expected)
        if wrong or error:
            misses.append(
                f"{file_name}: expected {expected.label}, got {got.label}{' ERROR' if error else ''}: {why}"
            )
    header = "conv        pos  neg  precis recall f-alarm  exact   fn  fp err"
    for split in sorted(ours):
        for title, table in (("secscan", ours[split]), ("naive keyword baseline", naive[split])):
            print(f"\n[{split}] {title}\n{header}")
            for key in sorted(table, key=lambda k: (k == "ALL", k)):
                print(f"{key:<10} {table[key].row()}")
    if args.misses:
        print("\n" + "\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
