"""Auditing a department share: parallel speed-up, result cache, one-file start-up and memory, in one run.

    python benchmarks/bench_audit.py [--files 20000] [--images 200] [--tree DIR] [--only STEP,...] [--quick]

Builds a department share (``部门/年份/专题/`` folders) of ``--files`` distinct
documents, mostly plain text and .docx plus .xlsx and .pdf, and ``--images``
600x400 screenshots of rendered Chinese/English text (OCR'd, ~0.5 s each). About
2% carry a marking (机密★5年, TOP SECRET//NOFORN, 秘密★1年 …), the rest are office
prose. One real .docx/.xlsx/.pdf is made per kind with python-docx, openpyxl and
reportlab, and every other file of that kind is derived by rewriting the text
inside it (document.xml, the sheet XML, the PDF content stream), which is what
keeps 20,000 files to well under a minute; a sample is reopened with the libraries.
``--tree DIR`` keeps the tree (``DIR/share`` + ``DIR/manifest.json``) for later runs.

Every scan is ``python -m secscan scan -f json -o REPORT`` in a subprocess, timed
by wall clock; memory is the peak over time of the summed RSS (and PSS) of the
scan's whole process tree, sampled from /proc every 0.2 s, because the workers
are children of the scan and ``RUSAGE_CHILDREN`` gives only the largest one
(a sample costs ~5 ms of CPU, ~3% of a core).
The cache is always pointed at a folder of this run (``SECSCAN_CACHE_DIR``), never
the user's. Steps (``--only``) and targets (issue 13):

- ``jobs``: ``-j 2`` against ``-j 1`` on the whole tree, ``--no-cache``: >= 1.7x;
  the planted markings must all be found and nothing else flagged;
- ``memory``: peak RSS of the whole ``-j 2`` process tree: < 500 MB;
- ``cluster``: ``--cluster local`` against the plain ``-j 2`` scan: same report, overhead as a ratio;
- ``single``: ``python -m secscan scan FILE.docx`` cold, median of 5: < 0.15 s; what the cache lookup
  adds (a miss in a cache that already exists, against ``--no-cache``): < 10 ms;
- ``cache``: a second run with the cache against the first (empty cache folder): >= 20x; a run after 1%
  of the files were rewritten against the first: >= 10x; the reports of the cached runs equal a
  ``--no-cache`` scan of the same tree (entries, statuses, levels, findings).

A step that needs a flag ``secscan scan --help`` does not list prints "not
available yet". ``--quick`` is a 2,000-file smoke run (10.5 min on 2 cores at load
7-11, most of it OCR and worker start-up); the full tree is ten times that, so on
a shared machine run it a step at a time (``--tree DIR --only jobs,memory``). Figures are
ratios measured in the same run because absolute ones depend on the machine.
The result cache keeps a flagged file's result when its markings stand alone on their
lines (the only text it may hold is the marking), so a re-audit OCRs no screenshot again.
"""

from __future__ import annotations

import argparse
import functools
import glob
import io
import json
import os
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")

MARKS: dict[str, str] = {
    "机密★5年": "secret",
    "TOP SECRET//NOFORN": "top-secret",
    "秘密★1年": "confidential",
    "绝密★长期": "top-secret",
    "SECRET//NOFORN": "secret",
    "机密★10年": "secret",
}
CN = (
    "为进一步做好年度重点工作，现将有关事项通知如下。",
    "各单位要加强组织领导，明确责任分工，确保按期完成任务。",
    "会议听取了关于第三季度生产经营情况的汇报，研究部署了下一阶段工作。",
    "请各部门于本月底前将材料报送办公室，逾期不再受理。",
    "经研究，同意采购办公设备一批，所需经费从年度预算中列支。",
    "本次培训共有八十六名职工参加，考核合格率达到百分之九十五。",
    "项目组已完成需求调研和方案设计，计划下月进入试点阶段。",
    "请后勤保障部做好会场布置、车辆安排和餐饮服务等工作。",
    "财务处对上半年差旅费报销情况进行了抽查，总体符合规定。",
    "档案室将于下周开展年度档案整理和移交工作，请予以配合。",
    "人事处根据岗位需要，拟面向社会公开招聘工作人员三名。",
    "会议要求各单位结合实际，认真抓好贯彻落实，及时报告进展情况。",
)
EN = (
    "The quarterly review covers logistics, staffing and the budget for the coming year.",
    "Please send the signed forms to the office before the end of the month.",
    "Minutes of the weekly meeting: attendance, open actions, and next steps.",
    "The supplier confirmed delivery of the replacement parts by Friday.",
    "Travel claims must be submitted with receipts within thirty days.",
    "The training session on the new accounting system is scheduled for Tuesday.",
    "Facilities will repaint the third floor corridor over the weekend.",
    "Attached is the draft agenda for the annual planning workshop.",
    "The pilot project reached its first milestone two weeks ahead of plan.",
    "Remember to update the asset register when equipment is moved.",
)
DEPARTMENTS = ("办公室", "财务处", "人事处", "后勤保障部", "档案室", "technology", "legal", "sales")
YEARS = ("2023", "2024", "2025", "2026")
TOPICS = ("会议纪要", "通知", "reports", "contracts", "budget", "projects", "培训", "采购")
# Share of each document kind among --files (images come on top, --images).
KINDS = (("txt", 0.47), ("docx", 0.33), ("xlsx", 0.10), ("pdf", 0.10))
STEM = {"txt": "notes", "docx": "会议纪要", "xlsx": "台账", "pdf": "report", "png": "截图"}
FONT_GLOB = "/usr/share/fonts/**/NotoSansCJK-Regular.ttc"


@dataclass(frozen=True)
class Planted:
    """One file of the tree and the marking it carries (``None``: ordinary prose)."""

    path: str
    kind: str
    marking: str | None


def paragraphs(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        pool = CN if rng.random() < 0.65 else EN
        out.append(
            "".join(rng.sample(pool, rng.randint(1, 3))) if pool is CN else " ".join(rng.sample(pool, 2))
        )
    return out


def serial_line(index: int, revision: int) -> str:
    # The one line that makes every file's content distinct (the cache keys on content).
    return f"文档编号 Doc No. {index:06d}-{revision}"


# --- one real file per kind, made with its library; the others rewrite the text inside it ---


class DocxKind:
    """A python-docx document whose header and body placeholders are replaced in the XML."""

    def __init__(self) -> None:
        import docx

        document = docx.Document()
        document.sections[0].header.paragraphs[0].text = "@@HEADER@@"
        document.add_paragraph("@@BODY@@")
        buffer = io.BytesIO()
        document.save(buffer)
        with zipfile.ZipFile(buffer) as archive:
            self.members = {name: archive.read(name) for name in archive.namelist()}
        self.header = next(n for n, d in self.members.items() if b"@@HEADER@@" in d)

    def make(self, header: str, body: list[str]) -> bytes:
        runs = "</w:t></w:r></w:p><w:p><w:r><w:t>".join(escape(text) for text in body)
        parts = dict(self.members)
        parts["word/document.xml"] = parts["word/document.xml"].replace(b"@@BODY@@", runs.encode())
        parts[self.header] = parts[self.header].replace(b"@@HEADER@@", escape(header).encode())
        return _zip(parts)


class XlsxKind:
    """An openpyxl workbook of placeholder strings, refilled in the sheet XML (written inline)."""

    ROWS = 30
    SHEET = "xl/worksheets/sheet1.xml"

    def __init__(self) -> None:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        # Row 1 is a title row (the 密级 of a marked workbook stands alone in A1, above the table);
        # a level beside other cells of a row is what a register of documents looks like (a mention).
        sheet.append(["@@S1A@@", "@@S1B@@", None, "@@S1D@@"])
        for row in range(2, self.ROWS + 1):
            sheet.append([f"@@S{row}A@@", f"@@S{row}B@@", row * 1250.5, f"@@S{row}D@@"])
        buffer = io.BytesIO()
        book.save(buffer)
        with zipfile.ZipFile(buffer) as archive:
            self.members = {name: archive.read(name) for name in archive.namelist()}

    def make(self, cells: Iterator[str]) -> bytes:
        parts = dict(self.members)
        sheet = parts[self.SHEET].decode()
        parts[self.SHEET] = re.sub(r"@@S\d+[ABD]@@", lambda _: escape(next(cells)), sheet).encode()
        return _zip(parts)


class PdfKind:
    """A reportlab page (CID font STSong-Light, uncompressed) whose content stream is replaced.

    The content stream is the last object before the xref table, so only its /Length and
    ``startxref`` move; the other offsets stay valid.
    """

    def __init__(self) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        buffer = io.BytesIO()
        page = canvas.Canvas(buffer, invariant=1, pageCompression=0)
        page.setFont("STSong-Light", 10)
        page.drawString(60, 800, "@@")
        page.showPage()
        page.save()
        template = buffer.getvalue()
        found = re.search(rb"(\d+) 0 obj\n<<\n/Length \d+\n>>\nstream\n", template)
        assert found is not None
        self.head = template[: found.start()]
        self.number = found.group(1)
        self.font = re.findall(rb"BT /(F\d+) 10 Tf", template)[0]
        xref = template.index(b"xref\n")
        self.xref = template[xref : template.index(b"startxref")]

    def make(self, lines: list[str]) -> bytes:
        shows = b"".join(b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj T*\n" for line in lines)
        stream = b"BT /" + self.font + b" 10 Tf 14 TL 1 0 0 1 60 800 Tm\n" + shows + b"ET\n"
        obj = b"%s 0 obj\n<<\n/Length %d\n>>\nstream\n%s\nendstream\nendobj\n" % (
            self.number,
            len(stream),
            stream,
        )
        body = self.head + obj
        return body + self.xref + b"startxref\n%d\n%%%%EOF\n" % len(body)


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@functools.cache
def font(size: int) -> ImageFont.FreeTypeFont:
    found = shutil.which("fc-match")
    name = ""
    if found:
        name = subprocess.run(
            [found, "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True
        ).stdout
    if "CJK" not in name:
        matches = glob.glob(FONT_GLOB, recursive=True)
        if not matches:
            raise SystemExit("no CJK font found: install fonts-noto-cjk")
        name = matches[0]
    return ImageFont.truetype(name, size)


def screenshot(lines: list[str], marking: str | None) -> bytes:
    """A 600x400 PNG of rendered text, the marking (if any) large on the first line."""
    image = Image.new("RGB", (600, 400), "white")
    draw = ImageDraw.Draw(image)
    y = 16
    if marking:
        draw.text((20, y), marking, fill="black", font=font(28))
        y += 46
    for text in lines:
        while text and y < 370:
            cut = len(text)
            while draw.textlength(text[:cut], font=font(17)) > 560:
                cut -= 1
            draw.text((20, y), text[:cut], fill=(30, 30, 30), font=font(17))
            text, y = text[cut:].lstrip(), y + 26
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# --- the tree ---


class Writers:
    """Makes the bytes of any file of the tree from its kind, number and marking."""

    def __init__(self) -> None:
        self.docx = DocxKind()
        self.xlsx = XlsxKind()
        self.pdf = PdfKind()

    def content(self, item: Planted, index: int, revision: int) -> bytes:
        rng = random.Random(index * 7919 + revision)
        serial = serial_line(index, revision)
        mark = [item.marking] if item.marking else []
        if item.kind == "txt":
            text = "\n".join([*mark, serial, *paragraphs(rng, rng.randint(5, 40))])
            # Shares hold GBK-era text files too.
            return text.encode("gb18030" if index % 4 == 0 else "utf-8")
        if item.kind == "docx":
            body = [serial, *paragraphs(rng, rng.randint(8, 40))]
            in_header = bool(mark) and index % 2 == 0
            header = item.marking if in_header and item.marking else item.path.split("/")[0]
            return self.docx.make(header, body if in_header else [*mark, *body])
        if item.kind == "xlsx":
            title = [item.marking, "", ""] if item.marking else [serial, "", ""]
            cells = [
                *title,
                *([serial] if item.marking else []),
                *(rng.choice(CN + EN) for _ in range(XlsxKind.ROWS * 3)),
            ]
            return self.xlsx.make(iter(cells))
        if item.kind == "pdf":
            return self.pdf.make([*mark, serial, *(rng.choice(CN + EN) for _ in range(rng.randint(15, 50)))])
        # A few lines, as in a chat or dialog screenshot: OCR time grows with the lines of text.
        return screenshot([serial, *(rng.choice(CN + EN) for _ in range(rng.randint(2, 5)))], item.marking)


def plan(files: int, images: int, seed: int = 13, marked: float = 0.02) -> list[Planted]:
    """Paths, kinds and markings of the tree; the first file of each kind is always marked."""
    rng = random.Random(seed)
    kinds = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS], k=files) + ["png"] * images
    rng.shuffle(kinds)
    seen: set[str] = set()
    out = []
    for index, kind in enumerate(kinds):
        folder = [rng.choice(DEPARTMENTS), rng.choice(YEARS), rng.choice(TOPICS)]
        if rng.random() < 0.2:
            folder.append("归档")
        marking = rng.choice(list(MARKS)) if kind not in seen or rng.random() < marked else None
        seen.add(kind)
        extension = "md" if kind == "txt" and index % 9 == 0 else kind
        out.append(Planted("/".join([*folder, f"{STEM[kind]}-{index:06d}.{extension}"]), kind, marking))
    return out


def build_tree(root: Path, files: int, images: int, marked: float = 0.02) -> list[Planted]:
    """Write the tree under ``root`` and return what was planted where."""
    planted = plan(files, images, marked=marked)
    writers = Writers()
    for index, item in enumerate(planted):
        path = root / item.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(writers.content(item, index, 0))
    return planted


def change(root: Path, planted: list[Planted], fraction: float) -> list[Planted]:
    """Rewrite ``fraction`` of the files with new content (same kind and marking)."""
    rng = random.Random()
    chosen = rng.sample(range(len(planted)), max(1, round(len(planted) * fraction)))
    writers = Writers()
    revision = time.time_ns() % 1_000_000_007
    for index in chosen:
        (root / planted[index].path).write_bytes(writers.content(planted[index], index, revision))
    return [planted[index] for index in chosen]


def reopen(path: Path, kind: str) -> str:
    """The text a format's own library reads from a built file (an image: its size); raises if unreadable."""
    if kind == "docx":
        import docx

        document = docx.Document(str(path))
        header = [p.text for p in document.sections[0].header.paragraphs]
        return "\n".join(header + [p.text for p in document.paragraphs])
    if kind == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        rows = book.worksheets[0].iter_rows(values_only=True)
        return "\n".join(str(value) for row in rows for value in row)
    if kind == "pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(path)
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    if kind == "png":
        with Image.open(path) as image:
            image.load()
            return f"{image.width}x{image.height}"
    data = path.read_bytes()
    try:
        return data.decode()
    except UnicodeDecodeError:
        return data.decode("gb18030")


def load_tree(folder: Path, files: int, images: int) -> tuple[Path, list[Planted], str]:
    """The tree in ``folder`` (``share/`` + ``manifest.json``), built unless one of that size is there."""
    root, manifest = folder / "share", folder / "manifest.json"
    if manifest.exists():
        saved = json.loads(manifest.read_text())
        if (saved["files"], saved["images"]) == (files, images):
            return root, [Planted(*entry) for entry in saved["planted"]], "reused"
        shutil.rmtree(root)
    elif root.exists():
        raise SystemExit(f"{root} exists but has no {manifest.name}: not a tree this benchmark built")
    started = time.perf_counter()
    planted = build_tree(root, files, images)
    seconds = time.perf_counter() - started
    rng = random.Random(5)
    for kind in sorted({item.kind for item in planted}):
        of_kind = [item for item in planted if item.kind == kind]
        for item in rng.sample(of_kind, min(3, len(of_kind))):
            text = reopen(root / item.path, kind)
            assert kind == "png" or (item.marking or "文档编号") in text, f"{item.path} lost its text"
    entries = [[item.path, item.kind, item.marking] for item in planted]
    manifest.write_text(
        json.dumps({"files": files, "images": images, "planted": entries}, ensure_ascii=False)
    )
    return root, planted, f"built in {seconds:.0f} s"


# --- measuring a scan ---


def process_tree(top: int) -> dict[int, int]:
    """RSS in bytes of ``top`` and all its descendants, read from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields start after the last ')'.
        fields = stat[stat.rfind(")") + 2 :].split()
        parents[int(entry.name)], rss[int(entry.name)] = int(fields[1]), int(fields[21]) * PAGE
    tree, todo = {top}, [top]
    while todo:
        pid = todo.pop()
        children = [child for child, parent in parents.items() if parent == pid and child not in tree]
        tree.update(children)
        todo += children
    return {pid: rss[pid] for pid in tree if pid in rss}


def pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples a process tree every 0.2 s: peaks of its summed RSS and PSS, and of its largest process."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.done = threading.Event()
        self.rss = self.pss = self.largest = 0

    def run(self) -> None:
        while not self.done.wait(0.2):
            tree = process_tree(self.pid)
            self.rss = max(self.rss, sum(tree.values()))
            self.largest = max(self.largest, *tree.values(), 0)
            # RSS counts pages shared by the forked workers once per process; PSS splits them.
            self.pss = max(self.pss, sum(pss(pid) for pid in tree))


@dataclass(frozen=True)
class Run:
    seconds: float
    code: int
    report: Path
    rss: int  # peak of the process tree's summed RSS, bytes
    pss: int
    largest: int


class Scanner:
    """Runs ``python -m secscan scan -f json`` with the cache pointed inside this run's work folder."""

    def __init__(self, work: Path) -> None:
        command = [sys.executable, "-m", "secscan", "scan", "--help"]
        usage = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT).stdout
        self.has_cache = "--no-cache" in usage
        self.has_cluster = "--cluster" in usage
        self.work = work
        self.runs = 0

    def command(self, targets: list[Path], options: list[str], cache: Path | None) -> list[str]:
        extra = ["--no-cache"] if cache is None and self.has_cache else []
        paths = [str(target) for target in targets]
        return [sys.executable, "-m", "secscan", "scan", *extra, *options, *paths]

    def env(self, cache: Path | None) -> dict[str, str]:
        # Even a --no-cache run points at a folder of ours, so no step can touch the user's cache.
        # Bytecode is written and used as in an installed package (pip compiles at install time);
        # a CI or sandbox PYTHONDONTWRITEBYTECODE would add ~60 ms of compiling to every start.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        return {**env, "SECSCAN_CACHE_DIR": str(cache or self.work / "unused-cache")}

    def scan(self, targets: list[Path], *options: str, cache: Path | None = None) -> Run:
        self.runs += 1
        report = self.work / f"report-{self.runs:02d}.json"
        command = self.command(targets, ["-f", "json", "-o", str(report), *options], cache)
        with open(self.work / "stderr.txt", "w+b") as errors:
            started = time.perf_counter()
            process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=errors, cwd=ROOT, env=self.env(cache)
            )
            memory = TreeMemory(process.pid)
            memory.start()
            code = process.wait()
            seconds = time.perf_counter() - started
            memory.done.set()
            memory.join()
            errors.seek(0)
            if code not in (0, 1, 2) or not report.exists():
                tail = errors.read().decode(errors="replace")[-2000:]
                raise SystemExit(f"scan failed (exit {code}): {shlex.join(command)}\n{tail}")
        what = f"{len(targets)} path(s)" if len(targets) > 1 else targets[0].name
        how = shlex.join([*options, "--no-cache" if cache is None else "cache"])
        peak = memory.rss / MIB
        print(f"  scan {what} {how}: {seconds:.1f} s, exit {code}, peak {peak:.0f} MB", flush=True)
        return Run(seconds, code, report, memory.rss, memory.pss, memory.largest)

    def cold(self, path: Path, cache: Path | None) -> float:
        """Wall seconds of a one-file text-report scan, as a user or a hook runs it."""
        started = time.perf_counter()
        subprocess.run(self.command([path], [], cache), capture_output=True, cwd=ROOT, env=self.env(cache))
        return time.perf_counter() - started


# --- comparing reports ---

Entry = tuple[str, str, str, tuple[tuple[str, ...], ...]]


def entries(report: Path) -> dict[str, Entry]:
    """Each file's type, status, level and findings: what a cached run must reproduce (no timings)."""
    out: dict[str, Entry] = {}
    for item in json.loads(report.read_text())["files"]:
        findings = tuple(
            sorted(
                (
                    f["rule"],
                    f["level"],
                    f["match"],
                    json.dumps(f["location"], sort_keys=True),
                    str(f["confidence"]),
                )
                for f in item["findings"]
            )
        )
        out[item["path"]] = (item["type"], item["status"], item["level"], findings)
    return out


def differences(left: dict[str, Entry], right: dict[str, Entry]) -> list[str]:
    out = [f"{path}: in one report only" for path in sorted(left.keys() ^ right.keys())]
    return out + [
        f"{path}: {left[path]} != {right[path]}"
        for path in sorted(left.keys() & right.keys())
        if left[path] != right[path]
    ]


def planted_found(report: Path, root: Path, planted: list[Planted]) -> tuple[int, int, list[str]]:
    """Markings found at their level, how many were planted, and every file that is not as planted."""
    seen = {os.path.relpath(path, root): entry for path, entry in entries(report).items()}
    found, problems = 0, []
    for item in planted:
        _, status, level, _ = seen.get(item.path, ("", "missing", "", ()))
        expected = ("flagged", MARKS[item.marking]) if item.marking else ("clean", "none")
        found += bool(item.marking) and (status, level) == expected
        if (status, level) != expected:
            problems.append(f"{item.path}: {status} {level}, planted {item.marking or 'nothing'}")
    return found, sum(1 for item in planted if item.marking), problems


# --- the steps ---


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    target: str
    met: bool | None  # None: no target, or the feature is not there yet


class Audit:
    """The tree, the scanner, and the ``-j 2 --no-cache`` run of the tree as it is now (steps share it)."""

    def __init__(self, scanner: Scanner, root: Path, planted: list[Planted]) -> None:
        self.scanner = scanner
        self.root = root
        self.planted = planted
        self.reference: Run | None = None

    def plain(self) -> Run:
        if self.reference is None:
            self.reference = self.scanner.scan([self.root], "-j", "2")
        return self.reference


def step_jobs(audit: Audit) -> list[Row]:
    one = audit.scanner.scan([audit.root], "-j", "1")
    two = audit.plain()
    speedup = one.seconds / two.seconds
    found, planted, problems = planted_found(two.report, audit.root, audit.planted)
    unequal = differences(entries(one.report), entries(two.report))
    for line in (problems + unequal)[:5]:
        print(f"    {line}")
    return [
        Row(
            "-j 2 vs -j 1, whole tree, --no-cache",
            f"{speedup:.2f}x ({one.seconds:.0f} s, {two.seconds:.0f} s)",
            ">= 1.7x",
            speedup >= 1.7,
        ),
        Row("-j 1 and -j 2 reports equal", f"{len(unequal)} entries differ", "0", not unequal),
        Row(
            "planted markings found (-j 2)",
            f"{found}/{planted}; {len(problems)} files not as planted",
            "all; 0",
            not problems,
        ),
    ]


def step_memory(audit: Audit) -> list[Row]:
    two = audit.plain()
    value = f"{two.rss / MIB:.0f} MB (PSS {two.pss / MIB:.0f} MB; largest process {two.largest / MIB:.0f} MB)"
    return [Row("peak RSS, whole -j 2 process tree", value, "< 500 MB", two.rss < 500 * MIB)]


def step_cluster(audit: Audit) -> list[Row]:
    figure = "--cluster local vs local -j 2: time, report"
    if not audit.scanner.has_cluster:
        return [Row(figure, "not available yet", "same report", None)]
    local = audit.plain()
    cluster = audit.scanner.scan([audit.root], "--cluster", "local")
    unequal = differences(entries(local.report), entries(cluster.report))
    value = f"{cluster.seconds / local.seconds:.2f}x ({cluster.seconds:.0f} s); {len(unequal)} entries differ"
    return [Row(figure, value, "same report", not unequal)]


def step_single(audit: Audit) -> list[Row]:
    """Cold one-file scans of five distinct .docx files, each first without the cache then as a cache miss."""
    folder = audit.scanner.work / "single"
    folder.mkdir()
    writers = Writers()
    files = []
    for number in range(6):
        item = Planted(f"会议纪要-single-{number}.docx", "docx", None)
        files.append(folder / item.path)
        files[-1].write_bytes(writers.content(item, 900_000 + number, 0))
    cache = audit.scanner.work / "single-cache" if audit.scanner.has_cache else None
    # Unmeasured: warms the page cache, and creates the cache database as a user's already is.
    audit.scanner.cold(files.pop(), cache)
    plain, missed, hit = [], [], []
    for path in files:
        plain.append(audit.scanner.cold(path, None))
        if cache:
            missed.append(audit.scanner.cold(path, cache))
    if cache:
        hit = [audit.scanner.cold(path, cache) for path in files]
    cold = statistics.median(plain)
    rows = [Row("cold one-file .docx scan, median of 5", f"{cold:.3f} s", "< 0.15 s", cold < 0.15)]
    if not cache:
        return [*rows, Row("cache lookup adds to it", "not available yet", "< 10 ms", None)]
    added = statistics.median(m - p for m, p in zip(missed, plain, strict=True)) * 1000
    return [
        *rows,
        Row("cache lookup adds to it (miss - --no-cache)", f"{added:+.1f} ms", "< 10 ms", added < 10),
        Row("same file again, cache hit", f"{statistics.median(hit):.3f} s", "-", None),
    ]


def step_cache(audit: Audit) -> list[Row]:
    figures = (
        "cache: second run vs first",
        "cache: after 1% changed vs first",
        "cached reports = --no-cache",
    )
    targets = (">= 20x", ">= 10x", "0 differ")
    if not audit.scanner.has_cache:
        return [
            Row(figure, "not available yet", target, None)
            for figure, target in zip(figures, targets, strict=True)
        ]
    cache = audit.scanner.work / "cache"
    reference = audit.plain()
    first = audit.scanner.scan([audit.root], "-j", "2", cache=cache)
    second = audit.scanner.scan([audit.root], "-j", "2", cache=cache)
    changed = change(audit.root, audit.planted, 0.01)
    audit.reference = None
    after = audit.scanner.scan([audit.root], "-j", "2", cache=cache)
    # The unchanged files are as the reference read them, so a fresh scan of the changed ones completes it.
    fresh = audit.scanner.scan([audit.root / item.path for item in changed], "-j", "2")
    expected = entries(reference.report) | entries(fresh.report)
    unequal = differences(entries(reference.report), entries(first.report))
    unequal += differences(entries(reference.report), entries(second.report))
    unequal += differences(expected, entries(after.report))
    for line in unequal[:5]:
        print(f"    {line}")
    again, partly = first.seconds / second.seconds, first.seconds / after.seconds
    return [
        Row(
            "cache: first run vs --no-cache",
            f"{first.seconds / reference.seconds:.2f}x the time ({first.seconds:.0f} s)",
            "-",
            None,
        ),
        Row(figures[0], f"{again:.1f}x ({second.seconds:.2f} s)", targets[0], again >= 20),
        Row(
            figures[1],
            f"{partly:.1f}x ({after.seconds:.2f} s, {len(changed)} files)",
            targets[1],
            partly >= 10,
        ),
        Row(figures[2], f"{len(unequal)} entries differ", targets[2], not unequal),
    ]


STEPS: dict[str, Callable[[Audit], list[Row]]] = {
    "jobs": step_jobs,
    "memory": step_memory,
    "cluster": step_cluster,
    "single": step_single,
    "cache": step_cache,  # last: it rewrites 1% of the tree
}


def table(rows: list[Row]) -> None:
    print(f"\n{'figure':<46} {'measured':<58} {'target':<12} result")
    for row in rows:
        result = "n/a" if row.met is None else "met" if row.met else "NOT met"
        print(f"{row.figure:<46} {row.value:<58} {row.target:<12} {result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000, help="documents in the tree")
    parser.add_argument("--images", type=int, default=200, help="screenshots in the tree, on top of --files")
    parser.add_argument("--tree", type=Path, help="build the tree here (or reuse the one built here before)")
    parser.add_argument(
        "--only",
        type=lambda text: [
            step for step in text.split(",") if step in STEPS or parser.error(f"no step {step}")
        ],
        help=f"run these steps (comma-separated: {','.join(STEPS)})",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a 2,000-file tree with 20 images, to check the script"
    )
    args = parser.parse_args()
    files, images = (2000, 20) if args.quick else (args.files, args.images)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="secscan-bench-audit-") as folder:
        work = Path(folder)
        if args.tree:
            args.tree.mkdir(parents=True, exist_ok=True)
        root, planted, how = load_tree(args.tree or work, files, images)
        kinds = ", ".join(
            f"{count} {kind}" for kind, count in Counter(item.kind for item in planted).most_common()
        )
        size = sum(path.stat().st_size for path in root.rglob("*") if path.is_file())
        marked = sum(1 for item in planted if item.marking)
        print(f"tree {root}: {len(planted)} files ({kinds}), {marked} marked, {size / MIB:.0f} MB; {how}")
        print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (shared: noisy)")
        audit = Audit(Scanner(work), root, planted)
        chosen = [step for name, step in STEPS.items() if args.only is None or name in args.only]
        rows = [row for step in chosen for row in step(audit)]
    table(rows)
    print(f"\nload average at end: {os.getloadavg()[0]:.2f}; whole run {time.perf_counter() - started:.0f} s")
    print("reproduce: " + shlex.join(["python", "benchmarks/bench_audit.py", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
