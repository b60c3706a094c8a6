"""OCR benchmark: recall of the marking and seconds per page on 70+ degraded pages.

    python benchmarks/bench_ocr.py            # all engines found on this machine
    python benchmarks/bench_ocr.py --quick    # one page per kind, to check the script

Pages come from tests/fixtures/make_images.py: 公文 notices (4 Chinese markings)
and US memos (2 banners), each turned 90/180/270°, skewed, blurred, shrunk to a
screenshot, JPEG-crushed, photographed on a desk, photographed at phone size
(3024 px), with the marking tiny in a corner or in red, plus scanned PDFs (page
images saved as image-only PDF, read through the PDF extractor) and pages that
only mention 秘密 in running text (must stay clean). Every page goes through
``secscan.engine.pipeline.scan_bytes``, so a hit means the right level end to end.

Engines: ``rapidocr`` (secscan's tuned default), ``rapidocr-stock`` (RapidOCR's
own detector settings: the baseline for the speed tuning) and ``tesseract``
(chi_sim+eng) when installed. Each runs in its own process so peak RSS is its own.
"""

from __future__ import annotations

import io
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "fixtures")]

import make_images as mi  # noqa: E402

CN = {"机密★5年": "secret", "绝密★长期": "top-secret", "秘密★1年": "confidential", "机密★10年": "secret"}
EN = {"TOP SECRET//NOFORN": "top-secret", "SECRET//REL TO USA, GBR": "secret"}


def phone(im: mi.Image.Image) -> mi.Image.Image:
    shot = mi.photo(seed=11)(im)
    return shot.resize((3024, round(shot.height * 3024 / shot.width)), mi.Image.Resampling.BICUBIC)


def pages() -> list[tuple[str, bytes, str]]:
    """(name, file bytes, expected level) for every benchmark page."""
    out: list[tuple[str, mi.Image.Image | bytes, str]] = []
    for i, (marking, level) in enumerate(CN.items()):
        base = mi.notice(marking)
        out += [(f"cn{i}-{name}", step(base), level) for name, step in mi.DEGRADATIONS.items()]
        out.append((f"cn{i}-corner", mi.notice(marking, marking_size=15), level))
        out.append((f"cn{i}-red", mi.notice(marking, marking_color=mi.RED), level))
        out.append((f"cn{i}-phone", phone(base), level))
        out.append((f"cn{i}-scan.pdf", _pdf(mi.chain(mi.skew(1.5), mi.jpeg(50))(base.convert("L"))), level))
    for i, (marking, level) in enumerate(EN.items()):
        base = mi.memo(marking)
        for name in ("clean", "rot90", "rot180", "blur", "lowres", "jpeg20", "photo"):
            out.append((f"en{i}-{name}", mi.DEGRADATIONS[name](base), level))
        out.append((f"en{i}-scan.pdf", _pdf(mi.blur(1.0)(base.convert("L"))), level))
    mention = mi.notice(None, body=mi.BODY_MENTION)
    for name in ("clean", "photo", "rot90", "jpeg20", "lowres"):
        out.append((f"mention-{name}", mi.DEGRADATIONS[name](mention), "none"))
    out.append(("memo-unmarked", mi.memo(None), "none"))
    out.append(("memo-unmarked-photo", mi.photo()(mi.memo(None)), "none"))
    out.append(("stamp-unmarked", mi.stamp("已阅", 20)(mi.notice(None)), "none"))
    return [(name, data if isinstance(data, bytes) else _jpeg(data), level) for name, data, level in out]


def _jpeg(im: mi.Image.Image) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def _pdf(im: mi.Image.Image) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, "PDF", resolution=120)
    return buffer.getvalue()


def run_engine(engine: str, quick: bool) -> dict[str, object]:
    """Scan every page with ``engine`` in this process; one JSON line of results."""
    from secscan.config import ScanConfig
    from secscan.engine.pipeline import scan_bytes
    from secscan.match.catalog import load_catalog

    if engine == "rapidocr-stock":
        import secscan.ocr.rapid as rapid

        rapid.DET_SIDE = 736  # with limit_type "min" below: RapidOCR's own defaults
        original = rapid._load

        def stock() -> object:
            ocr = original()
            ocr.cfg.Det.limit_type = "min"
            return ocr

        rapid._load = stock  # type: ignore[assignment]
    config = ScanConfig(catalog=load_catalog(), ocr_engine=engine.split("-")[0])
    rows = []
    todo = pages()
    if quick:
        todo = todo[::10]
    scan_bytes("warm.png", "warm.png", _jpeg(mi.memo(None)), config)  # model load is not per page
    for name, data, expected in todo:
        start = time.perf_counter()
        result = scan_bytes(name, name, data, config)[0]
        rows.append([name, expected, result.level.label, result.status, time.perf_counter() - start])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"engine": engine, "rows": rows, "rss_mib": rss}


def summarise(report: dict[str, object]) -> list[str]:
    rows = report["rows"]
    assert isinstance(rows, list)
    marked = [r for r in rows if r[1] != "none"]
    hits = sum(1 for r in marked if r[2] == r[1])
    false = sum(1 for r in rows if r[1] == "none" and r[2] != "none")
    times = sorted(r[4] for r in rows)
    p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
    misses = ", ".join(f"{r[0]}→{r[2]}" for r in marked if r[2] != r[1])
    line = (
        f"{report['engine']:15s} {hits:3d}/{len(marked):<3d} {hits / len(marked):6.3f} {false:3d} "
        f"{statistics.median(times):7.2f} {p90:6.2f} {report['rss_mib']:8.0f}"
    )
    return [line, f"    misses: {misses or '-'}"]


def by_degradation(report: dict[str, object]) -> list[str]:
    rows = report["rows"]
    assert isinstance(rows, list)
    groups: dict[str, list[bool]] = {}
    for name, expected, got, _, _ in rows:
        if expected != "none":
            groups.setdefault(name.split("-", 1)[1], []).append(got == expected)
    return [f"    {kind:10s} {sum(v)}/{len(v)}" for kind, v in sorted(groups.items())]


def main() -> None:
    if "--engine" in sys.argv:
        engine = sys.argv[sys.argv.index("--engine") + 1]
        print(json.dumps(run_engine(engine, "--quick" in sys.argv), ensure_ascii=False))
        return
    engines = ["rapidocr", "rapidocr-stock"]
    if shutil.which("tesseract"):
        engines.append("tesseract")
    print(f"{len(pages())} pages; 2-core machine figures, each engine in its own process\n")
    print("engine          hits    recall  FP  median s  p90 s  peak RSS MiB")
    reports = []
    for engine in engines:
        args = [sys.executable, __file__, "--engine", engine, *(["--quick"] if "--quick" in sys.argv else [])]
        out = subprocess.run(args, capture_output=True, text=True, check=False)
        if out.returncode:
            print(f"{engine:15s} failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        report = json.loads(out.stdout.strip().splitlines()[-1])
        reports.append(report)
        print("\n".join(summarise(report)), flush=True)
    for report in reports:
        print(f"\nrecall by degradation, {report['engine']}:")
        print("\n".join(by_degradation(report)))


if __name__ == "__main__":
    main()
