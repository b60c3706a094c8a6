"""The HTML audit report in headless Chromium: evidence crops, folder totals, the filter, no network.

One folder is scanned through ``secscan scan -f html`` (plain and ``--redact``): a marked photo that
only OCR reads, a marked PDF with a text layer, a marked text file, files that cannot be read, and a
clean one, spread over three folders. Chromium renders the report with its script on (the report's
own, allowed by hash) and dumps the DOM, so what is checked is what a reader sees. The screenshot
``docs/img/report.png`` is written from the same report with ``SECSCAN_UPDATE_SCREENSHOT=1``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from locations import FIXTURES, REPO
from test_html_chromium import CHROMIUM, dump_dom

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)"
)

BROWSER_OWN = re.compile(r"^https?://[^/]*(google\.com|googleapis\.com|gvt1\.com)/")  # Chromium's own calls
HEADLINE = re.compile(r"(\d+) files: (\d+) flagged, (\d+) clean, (\d+) could not be read, (\d+) skipped")


class _Dom(HTMLParser):
    """Sections and rows as (tag, attributes, text inside) with the path of enclosing elements."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.elements: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("img", "meta", "br", "input", "link"):
            self.elements.append((tag, dict(attrs), [f"in:{t}" for t, _ in self.stack]))
            for texts in self.open:
                texts.append(f"<{tag} {(dict(attrs).get('src') or '')[:30]}>")
            return
        self.stack.append((tag, dict(attrs)))
        self.open.append([])

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or tag in ("img", "meta", "br", "input", "link"):
            return
        opened, attrs = self.stack.pop()
        texts = self.open.pop()
        if self.open:
            self.open[-1].extend(texts)
        self.elements.append((opened, attrs, texts))

    def handle_data(self, data: str) -> None:
        if self.open:
            self.open[-1].append(data)


def parse(dom: str) -> list[tuple[str, dict[str, str | None], str]]:
    parser = _Dom()
    parser.feed(dom)
    return [(tag, attrs, "".join(texts)) for tag, attrs, texts in parser.elements]


def scan_html(folder: Path, out: Path, *flags: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "secscan", "scan", "--no-cache", "-f", "html", "-o", str(out), *flags, "."],
        capture_output=True, text=True, timeout=600, check=False, cwd=folder,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert done.returncode in (1, 2), done.stderr
    assert out.exists(), done.stderr


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("audit")
    share = root / "share"
    for folder in ("photos", "pdfs", "notes"):
        (share / folder).mkdir(parents=True)
    shutil.copy(FIXTURES / "images" / "memo_topsecret.png", share / "photos" / "memo.png")
    shutil.copy(FIXTURES / "documents" / "page2_top.pdf", share / "pdfs" / "page2_top.pdf")
    shutil.copy(FIXTURES / "documents" / "truncated.pdf", share / "pdfs" / "truncated.pdf")
    shutil.copy(FIXTURES / "documents" / "encrypted.docx", share / "notes" / "locked.docx")
    (share / "notes" / "notice.txt").write_text("000123\n机密★5年\n特急\n", encoding="utf-8")
    (share / "notes" / "minutes.txt").write_text("会议纪要：无密级内容。\n", encoding="utf-8")
    reports = {"plain": root / "report.html", "redacted": root / "redacted.html"}
    scan_html(share, reports["plain"])
    scan_html(share, reports["redacted"], "--redact")
    return reports


def section_of(elements: list[tuple[str, dict[str, str | None], str]], path: str) -> str:
    found = [
        text for tag, attrs, text in elements if tag == "section" and path in text and attrs.get("data-level")
    ]
    assert found, f"no section for {path}"
    return found[0]


def test_crops_are_shown_for_an_ocr_finding_and_a_pdf_finding(audit: dict[str, Path], tmp_path: Path) -> None:
    elements = parse(dump_dom(audit["plain"], tmp_path / "profile"))
    photo, pdf = section_of(elements, "photos/memo.png"), section_of(elements, "pdfs/page2_top.pdf")
    assert "ocr" in photo and "<img data:image/" in photo
    assert "body page 2" in pdf and "<img data:image/" in pdf
    assert "<img" not in section_of(elements, "notes/notice.txt")  # plain text: the line, no crop
    images = [attrs for tag, attrs, _ in elements if tag == "img"]
    assert len(images) == 2 and all(str(a["src"]).startswith("data:image/") for a in images)


def test_redacted_report_shows_no_crop_and_no_text(audit: dict[str, Path], tmp_path: Path) -> None:
    dom = dump_dom(audit["redacted"], tmp_path / "profile")
    assert "<img" not in dom and "data:image" not in dom
    dom = re.sub(r' title="[^"]*"', "", dom)  # a rule's description quotes examples of its own
    for secret in ("TOP SECRET", "机密★5年", "机密★10年"):
        assert secret not in dom


def table_rows(dom: str, section: str) -> list[list[str]]:
    """The cells' text, row by row, of the table in ``<section class="{section}">``."""
    found = re.search(rf'<section class="{section}">(.*?)</section>', dom, re.S)
    assert found is not None, f"no {section} section"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(1), re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def test_folder_and_unread_tables_add_up_to_the_headline(audit: dict[str, Path], tmp_path: Path) -> None:
    dom = dump_dom(audit["plain"], tmp_path / "profile")
    headline = HEADLINE.search(re.sub(r"<[^>]+>", "", dom))
    assert headline is not None
    files, flagged, clean, errors, skipped = (int(x) for x in headline.groups())
    assert (files, flagged, errors) == (6, 3, 2) and files == flagged + clean + errors + skipped
    head, *rows, total = table_rows(dom, "folders")
    assert head[:2] == ["folder", "marked files"]
    assert {row[0]: int(row[1]) for row in rows} == {"./notes": 1, "./pdfs": 1, "./photos": 1}
    assert total[0] == "total" and int(total[1]) == flagged == sum(int(row[1]) for row in rows)
    for column in range(2, 6):  # each level's column adds up too
        assert int(total[column]) == sum(int(row[column]) for row in rows)
    head, *rows, total = table_rows(dom, "unread")
    assert head[2] == "files" and sum(int(row[2]) for row in rows) == int(total[2]) == errors + skipped
    assert any("encrypted" in row[1] for row in rows)


def test_filter_by_level_hides_the_other_rows(audit: dict[str, Path], tmp_path: Path) -> None:
    page = audit["plain"]
    everything = parse(dump_dom(page, tmp_path / "all"))
    assert not [attrs for _, attrs, _ in everything if attrs.get("data-level") and "hidden" in attrs]
    filtered = parse(dump_uri(page.as_uri() + "#level=secret", tmp_path / "secret"))
    levelled = [(tag, attrs, text) for tag, attrs, text in filtered if attrs.get("data-level")]
    shown = [text for _, attrs, text in levelled if "hidden" not in attrs]
    hidden = [attrs for _, attrs, _ in levelled if "hidden" in attrs]
    assert hidden and all(attrs["data-level"] != "secret" for attrs in hidden)
    assert all(attrs["data-level"] == "secret" for _, attrs, _ in levelled if "hidden" not in attrs)
    assert any("notes/notice.txt" in text for text in shown)
    assert not any("photos/memo.png" in text for text in shown)  # top-secret: hidden


def test_no_request_leaves_the_page(audit: dict[str, Path], tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text('<!DOCTYPE html><img src="http://secscan.invalid/pixel.png">', encoding="utf-8")
    # the control page proves the check can fail
    assert "http://secscan.invalid/pixel.png" in requests_of(control, tmp_path / "control")
    assert requests_of(audit["plain"], tmp_path / "report") == set()


def dump_uri(uri: str, profile: Path) -> str:
    """``dump_dom`` for an address with a fragment (a path would escape the ``#``)."""
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--dump-dom", uri,
        ],
        capture_output=True, text=True, timeout=90, check=True,
    )  # fmt: skip
    assert "<body" in done.stdout, done.stderr[-2000:]
    return done.stdout


def requests_of(page: Path, work: Path) -> set[str]:
    """The URLs Chromium requested while loading ``page``, but the file itself and the browser's own calls."""
    assert CHROMIUM is not None
    log = work / "net.json"
    subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={work}",
            f"--log-net-log={log}", "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=90, check=True,
    )  # fmt: skip
    urls = set(re.findall(r'"url":"([^"]+)"', log.read_text(encoding="utf-8", errors="replace")))
    return {u for u in urls if not u.startswith(("file:", "data:")) and not BROWSER_OWN.match(u)}


def test_the_report_renders_to_a_screenshot(audit: dict[str, Path], tmp_path: Path) -> None:
    """The page draws (not a blank or an error page); SECSCAN_UPDATE_SCREENSHOT=1 also refreshes the
    README's docs/img/report.png from it."""
    assert CHROMIUM is not None
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1000,1400", f"--screenshot={shot}",
            audit["plain"].as_uri(),
        ],
        capture_output=True, timeout=90, check=True,
    )  # fmt: skip
    from PIL import Image

    picture = Image.open(shot).convert("RGB")
    colours = picture.getcolors(maxcolors=1 << 16)
    assert picture.size == (1000, 1400)
    assert colours is None or len(colours) > 50, "a blank page"
    if os.environ.get("SECSCAN_UPDATE_SCREENSHOT") == "1":
        committed = REPO / "docs" / "img" / "report.png"
        committed.parent.mkdir(exist_ok=True)
        picture.quantize(colors=64).save(committed, optimize=True)  # a small file to commit
