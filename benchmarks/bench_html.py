"""The HTML audit report's size and writing time for FINDINGS findings, as ratios to the JSON report.

    python benchmarks/bench_html.py [FINDINGS]

The result is synthetic but its pictures are real: every finding of a picture or PDF file
carries an evidence crop cut by the engine's own ``evidence.cut`` from the marked fixtures
(the photo ``memo_topsecret.png`` and the PDF page ``page2_top.pdf`` rendered by pypdfium2),
so the report-wide crop bound is exercised with crops of the real size. Half the files
are pictures or PDFs; each file has 2 findings; folders hold 50 files; 1 % could not be read.
Also written: the same HTML without crops, to show what the pictures cost.
"""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_gates import best  # same folder: the script's own folder is on sys.path

from secscan.engine.evidence import MAX_PER_FILE, cut
from secscan.model import FileResult, Finding, Level, Location, PageBox, ScanResult, Status
from secscan.reporters import ReportOptions, get_reporter

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def crops() -> list[bytes]:
    """Real crops: around the photo's banner and the PDF page's marking, at a few box sizes."""
    import pypdfium2 as pdfium
    from PIL import Image

    photo = Image.open(FIXTURES / "images" / "memo_topsecret.png").convert("RGB")
    document = pdfium.PdfDocument(str(FIXTURES / "documents" / "page2_top.pdf"))
    page = document[1]
    rendered = page.render(scale=1600 / max(page.get_size())).to_pil()
    page.close()
    document.close()
    boxes = [PageBox(0.3, 0.05, 0.7, 0.1), PageBox(0.1, 0.08, 0.4, 0.12), PageBox(0.35, 0.1, 0.65, 0.16)]
    made = [cut(picture, box) for picture in (photo, rendered) for box in boxes]
    return [crop for crop in made if crop]


def synthetic(findings: int, pictures: list[bytes]) -> ScanResult:
    files = []
    for number in range(findings // 2):
        folder = f"share/dept{number // 50:03d}"
        if number % 100 == 99:
            files.append(FileResult(f"{folder}/broken{number}.docx", "docx", Status.ERROR, error="encrypted"))
            continue
        boxed = number % 2 == 0
        found = tuple(
            Finding(
                rule="cn.state-secret.marking",
                level=Level.SECRET if which else Level.TOP_SECRET,
                match="机密★5年",
                location=Location("ocr" if boxed else "body", 1, which + 1, box=PageBox(0.3, 0.05, 0.7, 0.1)),
                confidence=0.97,
                reasons=("star and term", "alone on its line"),
                context="000123 机密★5年 特急 关于加强安全管理工作的通知",
                span=(7, 12),
                evidence=pictures[(number + which) % len(pictures)]
                if boxed and which < MAX_PER_FILE
                else None,
            )
            for which in range(2)
        )
        kind = "png" if boxed else "docx"
        files.append(
            FileResult(f"{folder}/file{number}.{kind}", kind, Status.FLAGGED, Level.TOP_SECRET, found)
        )
    return ScanResult(tuple(files))


def measure(fmt: str, result: ScanResult) -> tuple[float, int]:
    def write() -> str:
        out = io.StringIO()
        get_reporter(fmt).write(result, out, ReportOptions())
        return out.getvalue()

    return best(write), len(write().encode("utf-8"))


def main() -> None:
    findings = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    pictures = crops()
    result = synthetic(findings, pictures)
    bare = ScanResult(
        tuple(replace(f, findings=tuple(replace(x, evidence=None) for x in f.findings)) for f in result.files)
    )
    counted = sum(len(f.findings) for f in result.files)
    with_crop = sum(1 for f in result.files for x in f.findings if x.evidence)
    print(f"{counted:,} findings in {len(result.files):,} files; {with_crop:,} carry a crop "
          f"({min(map(len, pictures)):,}-{max(map(len, pictures)):,} bytes each)")  # fmt: skip
    json_time, json_size = measure("json", result)
    print(f"{'json':14} {json_time * 1000:8.0f} ms {json_size / 1e6:8.2f} MB   (the baseline)")
    for name, subject in (("html", result), ("html, no crops", bare)):
        took, size = measure("html", subject)
        print(
            f"{name:14} {took * 1000:8.0f} ms {size / 1e6:8.2f} MB   "
            f"time x{took / json_time:.2f}, size x{size / json_size:.2f}"
        )


if __name__ == "__main__":
    main()
