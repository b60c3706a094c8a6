"""Score secscan's OCR on the blind benchmark pages, beside stock RapidOCR and Tesseract in the same run.

    python benchmarks/ocr_blind/run.py                      # secscan, rapidocr-stock, tesseract; both splits
    python benchmarks/ocr_blind/run.py --engines secscan    # one engine
    python benchmarks/ocr_blind/run.py --misses             # also list the *tune* misses (never held ones)
    python benchmarks/ocr_blind/run.py --record             # write results.json and models.json
    python benchmarks/ocr_blind/run.py --source /tmp/before # secscan from another tree (a before/after pair)
    python benchmarks/ocr_blind/run.py --no-early-stop      # whole pages, as an audit reads them

Every page goes through the real pipeline (``scan_bytes``: detect, extract, OCR,
match) for ``secscan``, with the configuration the default text/gate run uses.
The baselines read the same pages with default settings and hand their plain
text lines to the same catalog matcher: ``rapidocr-stock`` is ``RapidOCR()``
as its README shows it, ``tesseract`` is ``image_to_string(lang=chi_sim+eng)``.
PDFs are rendered at 200 dpi for the baselines (a text-layer PDF's marking here
is a picture, so they must read the page as a picture too).

Each engine runs in its own process, so its peak RSS is its own and the models
are loaded once, as in a real scan. Per split (tune/held) the scorer prints:
recall (marked pages flagged), false alarms (clean pages flagged), exact level,
per kind and per degradation, seconds per page (median, p90) and peak RSS.
The held split is only ever reported in aggregate: ``--misses`` lists tune pages.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PAGES = HERE / "pages"
ENGINES = ("secscan", "rapidocr-stock", "tesseract")
LEVELS = ("none", "internal", "confidential", "secret", "top-secret")
_FULL_READ = "OCR_BLIND_FULL_READ"


def labels() -> list[dict[str, str]]:
    with (HERE / "labels.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


# --- workers (one process per engine) ---------------------------------------------------


def _secscan_reader() -> Any:
    from dataclasses import fields

    from secscan.config import ScanConfig
    from secscan.engine.pipeline import scan_bytes
    from secscan.match.catalog import load_catalog
    from secscan.model import Level

    names = {f.name for f in fields(ScanConfig)}
    # The default text/gate run: it stops reading a page once the default fail-on level is reached
    # (--no-early-stop: an audit's full read, as json/csv/html reports and baselines do).
    early = "ocr_stop_at" in names and not os.environ.get(_FULL_READ)
    extra = {"ocr_stop_at": Level.INTERNAL} if early else {}
    config = ScanConfig(catalog=load_catalog(), **extra)

    def read(name: str, data: bytes) -> tuple[str, str]:
        result = scan_bytes(name, name, data, config)[0]
        return str(result.level.label), str(result.status)

    return read


def _pictures(name: str, data: bytes) -> list[Any]:
    """The page pictures a stock engine is given: the decoded image, or each PDF page at 200 dpi."""
    import io

    from PIL import Image, ImageOps

    if name.endswith(".pdf"):
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        return [document[i].render(scale=200 / 72).to_pil().convert("RGB") for i in range(len(document))]
    if name.endswith(".dat"):
        key = data[0] ^ 0xFF
        data = bytes(b ^ key for b in data)
    return [ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")]


def _matcher() -> Any:
    from secscan.match.catalog import load_catalog
    from secscan.match.matcher import match
    from secscan.model import Level, TextBlock

    catalog = load_catalog()

    def level_of(lines: list[str]) -> tuple[str, str]:
        blocks = [TextBlock(t, part="ocr", line=i + 1) for i, t in enumerate(lines) if t.strip()]
        found = match(blocks, catalog).findings
        level = max((f.level for f in found), default=Level.NONE)
        return level.label, "flagged" if found else "clean"

    return level_of


def _stock_reader() -> Any:
    import numpy as np
    from rapidocr import RapidOCR

    # Default settings, but the models named by path: the wheel bundles these three, and rapidocr's
    # default classifier is not bundled (it would be downloaded, and this benchmark runs offline).
    engine = RapidOCR(params=_bundled_models())
    level_of = _matcher()

    def read(name: str, data: bytes) -> tuple[str, str]:
        lines: list[str] = []
        for picture in _pictures(name, data):
            out = engine(np.asarray(picture))
            lines.extend(out.txts or ())
        return level_of(lines)

    return read


def _bundled_models() -> dict[str, str]:
    import rapidocr

    models = Path(rapidocr.__file__).parent / "models"
    return {
        f"{t.capitalize()}.model_path": str(sorted(models.glob(f"*{t}*.onnx"))[-1])
        for t in ("det", "cls", "rec")
    }


def _tesseract_reader() -> Any:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import pytesseract

    level_of = _matcher()

    def read(name: str, data: bytes) -> tuple[str, str]:
        lines: list[str] = []
        for picture in _pictures(name, data):
            try:
                text = pytesseract.image_to_string(picture, lang="chi_sim+eng", timeout=60)
            except RuntimeError:  # pytesseract's timeout: the page counts as unread
                text = ""
            lines.extend(text.splitlines())
        return level_of(lines)

    return read


def _cpu() -> float:
    """CPU seconds of this process and its children (tesseract runs as a child): all threads count."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def worker(engine: str, out: Path, only: set[str]) -> None:
    reader = {"secscan": _secscan_reader, "rapidocr-stock": _stock_reader, "tesseract": _tesseract_reader}[
        engine
    ]()
    rows = []
    stages: dict[str, float] = {}
    for row in labels():
        if only and row["file"] not in only:
            continue
        data = (PAGES / row["file"]).read_bytes()
        start, cpu = time.perf_counter(), _cpu()
        level, status = reader(row["file"], data)
        rows.append(
            {
                "file": row["file"],
                "level": level,
                "status": status,
                "s": time.perf_counter() - start,
                "cpu": _cpu() - cpu,
            }
        )
    if engine == "secscan":
        try:
            from secscan.ocr import stage_seconds

            stages = stage_seconds()
        except ImportError:  # an older tree (--source) has no stage clock
            stages = {}
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.write_text(json.dumps({"rows": rows, "peak_mb": peak_kib / 1024, "stages": stages}), encoding="utf-8")


# --- scoring ------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def score(rows: list[dict[str, Any]], truth: dict[str, dict[str, str]], split: str) -> dict[str, Any]:
    mine = [r for r in rows if truth[r["file"]]["split"] == split]
    marked = [r for r in mine if truth[r["file"]]["expected_level"] != "none"]
    clean = [r for r in mine if truth[r["file"]]["expected_level"] == "none"]
    hit = [r for r in marked if r["level"] != "none"]
    alarms = [r for r in clean if r["level"] != "none"]
    exact = [r for r in mine if r["level"] == truth[r["file"]]["expected_level"]]
    by: dict[str, dict[str, list[int]]] = {
        "kind": defaultdict(lambda: [0, 0]),
        "degradation": defaultdict(lambda: [0, 0]),
    }
    for r in mine:
        t = truth[r["file"]]
        ok = (r["level"] != "none") == (t["expected_level"] != "none")
        for axis in by:
            by[axis][t[axis]][0] += ok
            by[axis][t[axis]][1] += 1
    seconds = [r["s"] for r in mine]
    cpu = [r.get("cpu", 0.0) for r in mine]
    return {
        "pages": len(mine),
        "recall": round(len(hit) / len(marked), 4) if marked else None,
        "marked": len(marked),
        "hit": len(hit),
        "false_alarms": len(alarms),
        "clean": len(clean),
        "exact": round(len(exact) / len(mine), 4) if mine else None,
        "median_s": round(statistics.median(seconds), 3) if seconds else None,
        "p90_s": round(_pct(seconds, 0.9), 3),
        "median_cpu_s": round(statistics.median(cpu), 3) if cpu else None,
        "p90_cpu_s": round(_pct(cpu, 0.9), 3),
        "by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by["kind"].items())},
        "by_degradation": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by["degradation"].items())},
    }


def run_engine(engine: str, source: str | None, only: set[str]) -> dict[str, Any] | None:
    out = HERE / f".run-{engine}.json"
    env = dict(os.environ)
    if source:
        env["PYTHONPATH"] = source + os.pathsep + env.get("PYTHONPATH", "")
    command = [sys.executable, str(Path(__file__)), "--worker", engine, "--out", str(out)]
    if only:
        command += ["--only", ",".join(sorted(only))]
    done = subprocess.run(command, env=env, cwd=source or ROOT, check=False)
    if done.returncode != 0 or not out.exists():
        print(f"{engine}: not measured (worker exit {done.returncode})", file=sys.stderr)
        return None
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return result


def model_fingerprint() -> dict[str, str]:
    from secscan.ocr.models import fingerprint

    found = fingerprint()
    return {"engine": found.engine, "version": found.version, "models": found.models}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--misses", action="store_true", help="list tune-split misses (never held)")
    parser.add_argument("--record", action="store_true", help="write results.json and models.json")
    parser.add_argument("--source", help="a secscan source tree to measure instead of this one")
    parser.add_argument("--only", default="", help="comma-separated page files (tune pages only)")
    parser.add_argument(
        "--sample", type=int, default=1, help="score every Nth page of each split (a quick run)"
    )
    parser.add_argument(
        "--no-early-stop", action="store_true", help="read whole pages, as an audit does (not the plain gate)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.no_early_stop:
        os.environ[_FULL_READ] = "1"  # the engine workers inherit it
    truth = {row["file"]: row for row in labels()}
    only = {name for name in args.only.split(",") if name}
    sampled: set[str] = set()
    if args.sample > 1:
        for split in ("tune", "held"):
            sampled |= set([r["file"] for r in labels() if r["split"] == split][:: args.sample])
    # a worker is handed the --sample pick, which holds held pages chosen blind (every Nth)
    if not args.worker and any(truth[name]["split"] != "tune" for name in only):
        parser.error("--only takes tune pages: held pages are scored, never looked at one by one")
    if args.worker:
        worker(args.worker, Path(args.out), only)
        return
    if not PAGES.is_dir():
        parser.error(f"{PAGES} is missing: run python benchmarks/ocr_blind/make_pages.py first")
    results: dict[str, Any] = {}
    for engine in args.engines.split(","):
        measured = run_engine(engine, args.source if engine == "secscan" else None, only or sampled)
        if measured is None:
            continue
        results[engine] = {
            "peak_rss_mb": round(measured["peak_mb"], 1),
            "stages_s": {k: round(v, 2) for k, v in measured["stages"].items()},
            **{split: score(measured["rows"], truth, split) for split in ("tune", "held")},
        }
        print_engine(engine, results[engine])
        if args.misses:
            print_misses(measured["rows"], truth)
    if args.record and "secscan" in results and not only:
        results["sample_every"] = args.sample  # 1: every page
        (HERE / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
        models = {**model_fingerprint(), "results_sha256": _digest(HERE / "results.json")}
        (HERE / "models.json").write_text(json.dumps(models, indent=1) + "\n", "utf-8")
        print(f"recorded {HERE / 'results.json'} and models.json ({models['models']})")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def print_engine(engine: str, result: dict[str, Any]) -> None:
    print(f"\n== {engine}  peak RSS {result['peak_rss_mb']} MB  stages {result['stages_s']}")
    for split in ("tune", "held"):
        s = result[split]
        if not s["pages"]:
            continue
        print(
            f"  {split:4}: recall {s['recall']} ({s['hit']}/{s['marked']})  false alarms {s['false_alarms']}/"
            f"{s['clean']}  exact level {s['exact']}  s/page median {s['median_s']} p90 {s['p90_s']}"
            f"  (CPU s/page median {s['median_cpu_s']} p90 {s['p90_cpu_s']})"
        )
        print(f"        by kind: {s['by_kind']}")
        print(f"        by degradation: {s['by_degradation']}")


def print_misses(rows: list[dict[str, Any]], truth: dict[str, dict[str, str]]) -> None:
    for r in rows:
        t = truth[r["file"]]
        if t["split"] == "tune" and r["level"] != t["expected_level"]:
            print(
                f"    tune miss {r['file']}: expected {t['expected_level']}, got {r['level']} "
                f"({t['kind']}, {t['degradation']}, {r['s']:.2f} s)"
            )


if __name__ == "__main__":
    main()
