"""The audit benchmark's tree builder (benchmarks/bench_audit.py) makes real files holding what it planted.

A tiny tree (30 documents, 2 screenshots; the builder marks the first file of every kind) is
reopened file by file with each format's own library, then scanned by the real CLI: every planted
marking must be found at its level and every other file must be clean, so the builder cannot rot
into files that no longer open, or into prose that the scanner flags.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import bench_audit  # noqa: E402

Tree = tuple[Path, list[bench_audit.Planted]]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    root = tmp_path_factory.mktemp("share")
    return root, bench_audit.build_tree(root, 30, 2)


def test_every_kind_is_built_and_marked(tree: Tree) -> None:
    root, planted = tree
    kinds = {"txt", "docx", "xlsx", "pdf", "png"}
    assert {item.kind for item in planted} == kinds
    assert {item.kind for item in planted if item.marking} == kinds
    assert all((root / item.path).is_file() for item in planted)


def test_files_open_with_their_libraries(tree: Tree) -> None:
    root, planted = tree
    for index, item in enumerate(planted):
        text = bench_audit.reopen(root / item.path, item.kind)
        if item.kind == "png":
            assert text == "600x400"
            continue
        assert bench_audit.serial_line(index, 0) in text, item.path
        assert item.marking is None or item.marking in text, item.path


def test_pdf_cross_reference_points_at_the_table(tree: Tree) -> None:
    # pdfium repairs a wrong startxref silently, so the offset is checked by hand.
    root, planted = tree
    for item in planted:
        if item.kind == "pdf":
            data = (root / item.path).read_bytes()
            offset = re.search(rb"startxref\n(\d+)\n%%EOF\n$", data)
            assert offset is not None
            assert data[int(offset.group(1)) :].startswith(b"xref\n")


def test_every_file_is_distinct(tree: Tree) -> None:
    root, planted = tree
    digests = {hashlib.sha256((root / item.path).read_bytes()).digest() for item in planted}
    assert len(digests) == len(planted)


def test_change_gives_new_content_with_the_same_marking(tmp_path: Path) -> None:
    planted = bench_audit.build_tree(tmp_path, 12, 0)
    before = {item.path: (tmp_path / item.path).read_bytes() for item in planted}
    changed = bench_audit.change(tmp_path, planted, 0.25)
    assert len(changed) == 3
    for item in changed:
        assert (tmp_path / item.path).read_bytes() != before[item.path]
        text = bench_audit.reopen(tmp_path / item.path, item.kind)
        assert item.marking is None or item.marking in text


@pytest.mark.ocr
def test_scan_finds_exactly_the_planted_markings(tree: Tree, tmp_path: Path) -> None:
    root, planted = tree
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "secscan", "scan", "-f", "json", "-o", str(report), str(root)]
    # A cache folder of the test's own, so the scan never writes to the user's.
    env = {**os.environ, "SECSCAN_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    found = {
        os.path.relpath(entry["path"], root): (entry["status"], entry["level"])
        for entry in json.loads(report.read_text())["files"]
    }
    expected = {
        item.path: ("flagged", bench_audit.MARKS[item.marking]) if item.marking else ("clean", "none")
        for item in planted
    }
    assert found == expected
