"""Throughput of secscan's whole pipeline against the usual baselines, measured in one run.

    python benchmarks/bench_throughput.py [--text 1000 --docx 200 --pdf 200 --repeat 5]

Generates a corpus into a temporary folder (mixed Chinese/English, some files
marked), then times, on the same machine and in the same run:

- text:  secscan pipeline per file (in-process)  vs  ripgrep over the folder
- .docx: secscan pipeline per file               vs  python-docx (paragraphs + tables + headers/footers)
- PDF:   secscan pipeline per file, pages/s      vs  pdftotext per file, pages/s
- the CLI once over the whole folder
- cold start: ``python -m secscan scan f.docx``  vs  ``python -c pass`` (median of --repeat)

Every figure is printed with its ratio to the baseline, because absolute speeds
depend on the machine. Targets: .docx >= 5x python-docx; PDF >= 1x pdftotext;
cold one-file scan < 0.3 s.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CN = "为进一步做好年度重点工作，现将有关事项通知如下。各单位要加强组织领导，确保按期完成任务。"
EN = "The quarterly review covers logistics, staffing and the budget for the coming year."
MARKS = ["机密★5年", "秘密★1年", "工作秘密", "SECRET//NOFORN", "内部资料 注意保存"]


def _paragraphs(rng: random.Random, count: int) -> list[str]:
    return [rng.choice((CN, EN, CN + " " + EN)) for _ in range(count)]


def make_text(folder: Path, count: int, rng: random.Random) -> None:
    for index in range(count):
        lines = _paragraphs(rng, rng.randint(20, 120))
        if index % 5 == 0:
            lines.insert(0, rng.choice(MARKS))
        encoding = "gb18030" if index % 3 == 0 else "utf-8"
        (folder / f"note-{index:04d}.txt").write_bytes("\n".join(lines).encode(encoding))


def make_docx(folder: Path, count: int, rng: random.Random) -> None:
    import docx

    for index in range(count):
        document = docx.Document()
        if index % 4 == 0:
            document.sections[0].header.paragraphs[0].text = rng.choice(MARKS)
        for text in _paragraphs(rng, rng.randint(20, 60)):
            document.add_paragraph(text)
        table = document.add_table(rows=4, cols=3)
        for cell in table._cells:
            cell.text = "数据 data"
        document.save(str(folder / f"doc-{index:04d}.docx"))


def make_pdf(folder: Path, count: int, rng: random.Random) -> int:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pages = 0
    for index in range(count):
        c = canvas.Canvas(str(folder / f"report-{index:04d}.pdf"), pagesize=A4)
        for page in range(rng.randint(2, 6)):
            c.setFont("STSong-Light", 10)
            if index % 4 == 0 and page == 0:
                c.drawString(60, 800, rng.choice(MARKS))
            for line, text in enumerate(_paragraphs(rng, 40)):
                c.drawString(60, 770 - line * 18, text[:48])
            c.showPage()
            pages += 1
        c.save()
    return pages


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def secscan_per_file(files: list[Path]) -> Callable[[], None]:
    from secscan.config import ScanConfig
    from secscan.engine.pipeline import scan_entry
    from secscan.inputs.walk import WalkEntry
    from secscan.match.catalog import load_catalog

    # OCR off: the baselines do not OCR either; benchmarks/bench_ocr.py measures OCR.
    config = ScanConfig(catalog=load_catalog(), ocr=False)

    def run() -> None:
        for path in files:
            scan_entry(WalkEntry(str(path), path), config)

    return run


def python_docx(files: list[Path]) -> Callable[[], None]:
    import docx

    def run() -> None:
        for path in files:
            document = docx.Document(str(path))
            texts = [p.text for p in document.paragraphs]
            texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
            for section in document.sections:
                texts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]

    return run


def subprocess_each(command: list[str], files: list[Path]) -> Callable[[], None]:
    def run() -> None:
        for path in files:
            subprocess.run([*command, str(path), "-"], capture_output=True, check=False)

    return run


def cold_start(arguments: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, *arguments], capture_output=True, check=False, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(name: str, ours: float, base: float | None, unit: str, base_name: str) -> str:
    ratio = f"{ours / base:6.2f}x" if base else "   n/a"
    base_text = f"{base:10.1f}" if base else "       n/a"
    return f"{name:<22}{ours:10.1f} {unit:<8}{base_text} {unit:<8}{ratio}  vs {base_name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", type=int, default=1000)
    parser.add_argument("--docx", type=int, default=200)
    parser.add_argument("--pdf", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(20260)
    with tempfile.TemporaryDirectory(prefix="secscan-bench-") as tmp:
        root = Path(tmp)
        folders = {kind: root / kind for kind in ("text", "docx", "pdf")}
        for folder in folders.values():
            folder.mkdir()
        make_text(folders["text"], args.text, rng)
        make_docx(folders["docx"], args.docx, rng)
        pages = make_pdf(folders["pdf"], args.pdf, rng)
        files = {kind: sorted(folder.iterdir()) for kind, folder in folders.items()}
        print(f"corpus: {args.text} text, {args.docx} docx, {args.pdf} PDFs ({pages} pages) in {root}\n")
        print(f"{'':<22}{'secscan':>10} {'':<8}{'baseline':>10} {'':<8}{'ratio':>7}")
        report(files, folders, pages, args.repeat, root)


REAL_PDF = Path(__file__).resolve().parents[2] / "shared/corpora/realworld/unstructured/DA-619p.pdf"


def report(
    files: dict[str, list[Path]], folders: dict[str, Path], pages: int, repeat: int, root: Path
) -> None:
    text_s = timed(secscan_per_file(files["text"]))
    rg = shutil.which("rg")
    rg_command = [rg or "rg", "-c", "-e", "机密", "-e", "秘密", "-e", "SECRET", str(folders["text"])]
    rg_s = timed(lambda: subprocess.run(rg_command, capture_output=True, check=False)) if rg else None
    n = len(files["text"])
    print(row("text files/s", n / text_s, n / rg_s if rg_s else None, "files/s", "ripgrep (one process)"))

    docx_s = timed(secscan_per_file(files["docx"]))
    base_s = timed(python_docx(files["docx"]))
    n = len(files["docx"])
    print(row(".docx files/s", n / docx_s, n / base_s, "files/s", "python-docx"))

    pdftotext = shutil.which("pdftotext")
    pdf_s = timed(secscan_per_file(files["pdf"]))
    base = timed(subprocess_each([pdftotext], files["pdf"])) if pdftotext else None
    print(row("PDF pages/s", pages / pdf_s, pages / base if base else None, "pages/s", "pdftotext per file"))
    if REAL_PDF.exists():  # a real 619-page PDF with embedded fonts, from the shared corpus
        real_s = timed(secscan_per_file([REAL_PDF]))
        real_base = timed(subprocess_each([pdftotext], [REAL_PDF])) if pdftotext else None
        ratio_base = 619 / real_base if real_base else None
        print(row("PDF pages/s, DA-619p", 619 / real_s, ratio_base, "pages/s", "pdftotext"))

    total = sum(len(f) for f in files.values())
    cli = [sys.executable, "-m", "secscan", "scan", "--no-ocr", "-f", "json", str(root)]
    cli_s = timed(lambda: subprocess.run(cli, capture_output=True, check=False, cwd=ROOT))
    per_file = (text_s + docx_s + pdf_s) / total
    print(row("CLI whole folder", total / cli_s, 1 / per_file, "files/s", "in-process pipeline, serial"))

    one = str(files["docx"][0])
    cold = cold_start(["-m", "secscan", "scan", one], repeat)
    bare = cold_start(["-c", "pass"], repeat)
    print(
        f"\ncold one-file .docx scan: {cold:.3f} s median of {repeat} "
        f"(python -c pass: {bare:.3f} s, ratio {cold / bare:.1f}x; target < 0.300 s)"
    )


if __name__ == "__main__":
    main()
