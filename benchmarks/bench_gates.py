"""How much the report formats and the gates cost, as ratios against a baseline measured in the same run.

    python benchmarks/bench_gates.py [FILES]

* reporters: each format writing one synthetic result of FILES files (3 findings
  each, every tenth an archive with a member), against the json reporter;
* baselines: applying a baseline that waives a third of the findings, against
  building the result's fingerprints once (the least such a step must do);
* excludes: walking a tree of FILES files with a .secscanignore and two
  --exclude globs, against the same walk with no excludes.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from secscan.gates.baseline import PathKeys, build_baseline, fingerprint
from secscan.gates.waive import apply_baseline
from secscan.inputs.ignore import Ignorer
from secscan.inputs.walk import walk
from secscan.model import FileResult, Finding, Level, Location, ScanResult, Status
from secscan.reporters import REPORTERS, ReportOptions, get_reporter


def best(action: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def synthetic(files: int) -> ScanResult:
    entries: list[FileResult] = []
    for i in range(files):
        findings = tuple(
            Finding(
                "cn.state-secret.marking", Level.SECRET, f"机密★{j + 1}年", Location("body", 1, j + 1), 0.9,
                context=f"第{i}号 机密★{j + 1}年 <b>x</b>", span=(len(f"第{i}号 "), len(f"第{i}号 ") + 5),
            )
            for j in range(3)
        )  # fmt: skip
        if i % 10 == 0:
            entries.append(FileResult(f"d/{i}.zip", "zip", Status.FLAGGED, Level.SECRET))
            entries.append(FileResult(f"d/{i}.zip!m.docx", "docx", Status.FLAGGED, Level.SECRET, findings))
        else:
            entries.append(FileResult(f"d/{i}.txt", "text", Status.FLAGGED, Level.SECRET, findings))
    return ScanResult(tuple(entries))


def bench_reporters(result: ScanResult) -> list[tuple[str, float, float]]:
    def render(fmt: str) -> Callable[[], object]:
        return lambda: get_reporter(fmt).write(result, io.StringIO(), ReportOptions())

    base = best(render("json"))
    return [(f"report {fmt}", best(render(fmt)), base) for fmt in sorted(REPORTERS)]


def bench_baseline(result: ScanResult) -> list[tuple[str, float, float]]:
    root = Path.cwd()
    made = build_baseline(result, root, root)
    third = type(made)(made.waivers[::3], root / "b.json")
    keys = PathKeys(result, root, root)

    def fingerprints() -> object:
        return [fingerprint(f.rule, keys(r.path), f.match) for r in result.files for f in r.findings]

    base = best(fingerprints)
    return [
        ("baseline build", best(lambda: build_baseline(result, root, root)), base),
        ("baseline apply (1/3 waived)", best(lambda: apply_baseline(result, third, keys)), base),
    ]


def bench_excludes(files: int) -> list[tuple[str, float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp)
        for i in range(files):
            folder = top / f"dir{i % 50}" / f"sub{i % 7}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"f{i}.{'log' if i % 5 == 0 else 'txt'}").write_bytes(b"x")
        (top / ".secscanignore").write_text("*.log\ndir1/\n!keep.log\n", encoding="utf-8")
        (top / "dir3" / ".secscanignore").write_text("sub2/\n", encoding="utf-8")
        base = best(lambda: list(walk([str(top)])))
        ignored = best(
            lambda: list(walk([str(top)], excluded=Ignorer([str(top)], excludes=["*.tmp", "/dir4/"])))
        )
        return [("walk with excludes", ignored, base)]


def main() -> None:
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    result = synthetic(files)
    rows = [*bench_reporters(result), *bench_baseline(result), *bench_excludes(files)]
    print(f"{len(result.files)} entries, {sum(len(f.findings) for f in result.files)} findings\n")
    print(f"{'step':32} {'seconds':>9} {'baseline s':>11} {'ratio':>7}")
    for name, seconds, base in rows:
        print(f"{name:32} {seconds:9.3f} {base:11.3f} {seconds / base:7.2f}")
    print("\nbaselines: reporters vs 'json'; baseline steps vs computing every fingerprint once;")
    print("walk with excludes vs the same walk without any.")


if __name__ == "__main__":
    main()
