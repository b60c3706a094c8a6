"""Stamps, seals, page pose and the model fingerprint: real pictures made by tests/fixtures/make_images.py.

The seal pages carry a red round seal as the only marking (``round_seal_secret``: 机密 in
the centre) or as a plain 公章 with no level word (``round_seal_public``, must stay clean);
the PDFs are real text-layer pages with the seal drawn as a picture.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from locations import REPO
from PIL import Image

from secscan.config import ScanConfig
from secscan.engine.pipeline import scan_bytes
from secscan.match.catalog import load_catalog
from secscan.model import FileResult, Level, Status
from secscan.ocr import orient, stamps

IMAGES = REPO / "tests" / "fixtures" / "images"
BENCH = REPO / "benchmarks" / "ocr_blind"
HAS_RAPIDOCR = all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime"))
needs_ocr = pytest.mark.skipif(not HAS_RAPIDOCR, reason="RapidOCR not installed")


@pytest.fixture(scope="module")
def config() -> ScanConfig:
    return ScanConfig(catalog=load_catalog())


def scan(name: str, config: ScanConfig) -> FileResult:
    return scan_bytes(name, name, (IMAGES / name).read_bytes(), config)[0]


def pixels(name: str) -> np.ndarray:
    return np.asarray(Image.open(IMAGES / name).convert("RGB"))


# --- without running a model ------------------------------------------------------------


def test_the_red_seal_is_one_round_region_and_black_text_is_not_red() -> None:
    found = stamps.regions(pixels("round_seal_secret.png"))
    rounds = [region for region in found if region.round and region.box[1] < 700]
    assert len(rounds) == 1  # the red 发文机关 title is a region too, but not a round one
    (seal,) = rounds
    x0, y0, x1, y1 = seal.box
    assert not any(r is not seal and stamps._inside(r.box, seal.box) for r in found)
    assert 560 <= x0 <= 640 and 500 <= y0 <= 580 and 880 <= x1 <= 980 and 820 <= y1 <= 900
    assert seal.round
    assert len(seal.pictures) == 2  # straight crop and the unwarped ring
    assert stamps.regions(pixels("memo_topsecret.png")) == []  # a black-ink page has no red region


def test_a_rectangular_stamp_is_not_taken_for_a_round_seal() -> None:
    found = stamps.regions(pixels("stamp_over_body.png"))
    assert found and not found[0].round


def test_unwarp_turns_a_ring_into_a_strip_with_the_ring_on_top() -> None:
    ring = np.full((200, 200, 3), 255, np.uint8)
    yy, xx = np.mgrid[0:200, 0:200]
    ring[np.abs(np.hypot(xx - 100, yy - 100) - 90) < 4] = 0
    strip = stamps.unwarp(ring)
    assert strip.shape[1] > 3 * strip.shape[0]  # long and flat
    dark_rows = np.where(strip.min(axis=(1, 2)) < 128)[0]
    assert dark_rows.size and dark_rows.max() < strip.shape[0] * 0.3  # the ring runs along the top


def _boxes(width: float, height: float, count: int, slope: float = 0.0) -> np.ndarray:
    out = []
    for i in range(count):
        x, y = 50.0, 50.0 + 40 * i
        out.append(
            [[x, y], [x + width, y + width * slope], [x + width, y + height + width * slope], [x, y + height]]
        )
    return np.array(out, dtype=np.float32)


def test_pose_turns_a_page_whose_lines_run_down() -> None:
    assert orient.pose(_boxes(20, 300, 8), [("0", 0.99)] * 8, 1.0).turn == 90
    assert orient.pose(_boxes(20, 300, 8), [("180", 0.99)] * 8, 1.0).turn == 270
    assert orient.pose(_boxes(300, 20, 8), [("180", 0.99)] * 8, 1.0).turn == 180
    assert orient.pose(_boxes(300, 20, 8), [("0", 0.99)] * 8, 1.0).turn == 0


def test_pose_straightens_a_skewed_page_and_enlarges_small_text() -> None:
    skewed = orient.pose(_boxes(400, 30, 8, slope=np.tan(np.radians(5))), [], 1.0)
    assert 4.0 < skewed.skew < 6.0
    assert orient.pose(_boxes(400, 30, 8), [], 1.0).skew == 0.0
    assert orient.pose(_boxes(200, 9, 8), [], 1.0).scale > 1.5  # 9 px lines: below the detector's comfort
    assert orient.pose(_boxes(400, 30, 8), [], 1.0).scale == 1.0


def test_contrast_is_stretched_only_for_a_washed_out_picture() -> None:
    dim = np.full((40, 40, 3), 120, np.uint8)
    dim[10:20, 10:30] = 170
    out = orient.normalise_contrast(dim)
    assert out.min() <= 2 and out.max() >= 250
    crisp = np.full((40, 40, 3), 250, np.uint8)
    crisp[10:20] = 5
    assert orient.normalise_contrast(crisp) is crisp


# --- the model fingerprint ----------------------------------------------------------------


@needs_ocr
def test_bundled_models_match_the_recorded_benchmark() -> None:
    """A rapidocr upgrade that swaps its models must come with re-recorded ocr_blind results."""
    from secscan.ocr.models import fingerprint

    recorded = json.loads((BENCH / "models.json").read_text(encoding="utf-8"))
    found = fingerprint()
    assert (found.engine, found.models) == (recorded["engine"], recorded["models"]), (
        "the bundled OCR models changed: re-run python benchmarks/ocr_blind/run.py --record"
    )
    results = (BENCH / "results.json").read_bytes()
    assert hashlib.sha256(results).hexdigest()[:16] == recorded["results_sha256"]


# --- through the pipeline (slow: OCR) ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.ocr
@needs_ocr
def test_a_round_seal_is_read_and_a_plain_official_seal_is_not_a_marking(config: ScanConfig) -> None:
    marked = scan("round_seal_secret.png", config)
    assert (marked.status, marked.level) == (Status.FLAGGED, Level.SECRET)
    assert any("机密" in f.match for f in marked.findings)
    assert marked.coverage.ocr is not None and marked.coverage.ocr.models.startswith("sha256:")
    plain = scan("round_seal_public.png", config)
    assert (plain.status, plain.level) == (Status.CLEAN, Level.NONE)


@pytest.mark.slow
@pytest.mark.ocr
@needs_ocr
def test_a_seal_picture_on_a_text_layer_pdf_page_is_read(config: ScanConfig) -> None:
    marked = scan("text_page_seal_secret.pdf", config)
    assert (marked.status, marked.level) == (Status.FLAGGED, Level.SECRET)
    assert "ocr" in marked.coverage.parts and "body" in marked.coverage.parts
    plain = scan("text_page_seal_public.pdf", config)
    assert (plain.status, plain.level) == (Status.CLEAN, Level.NONE)
    assert plain.coverage.ocr is not None


@pytest.mark.slow
@pytest.mark.ocr
@needs_ocr
def test_json_report_names_the_ocr_models_and_validates(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    out = subprocess.run(
        [sys.executable, "-m", "secscan", "scan", "-f", "json", str(IMAGES / "round_seal_secret.png")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    report = json.loads(out.stdout)
    jsonschema.validate(report, json.loads((REPO / "schema" / "report.schema.json").read_text("utf-8")))
    ocr = report["files"][0]["coverage"]["ocr"]
    assert ocr["engine"] == "rapidocr" and ocr["models"].startswith("sha256:")


_NO_RAPIDOCR = """
import sys
sys.modules["rapidocr"] = None  # as if the package were absent: its import raises ImportError
from secscan.cli import main
sys.argv = ["secscan", "scan", sys.argv[1]]
main()
"""


@pytest.mark.slow
def test_a_missing_engine_is_one_line_said_once() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _NO_RAPIDOCR, str(IMAGES / "notice_blur.jpg")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    text = out.stdout + out.stderr
    assert out.returncode == 2
    assert "Traceback" not in text and "ImportError" not in text
    assert text.count("OCR needs RapidOCR") == 1, text
