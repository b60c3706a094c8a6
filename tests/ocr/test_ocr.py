"""OCR of photos, screenshots and scans: real page images through the real pipeline.

The pages in tests/fixtures/images/ are made by tests/fixtures/make_images.py
(Pillow + a subset Noto Sans CJK SC). Tests marked ``ocr`` need RapidOCR
(``pip install 'secscan[ocr]'``) and skip with that reason without it.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from locations import REPO
from PIL import Image

from secscan.config import Limits, ScanConfig
from secscan.detect import wechat
from secscan.detect.sniff import detect
from secscan.engine.pipeline import scan_bytes
from secscan.errors import EncryptedError
from secscan.extractors.image import extract
from secscan.match.catalog import load_catalog
from secscan.model import FileResult, Level, Status
from secscan.ocr.engine import PageRead, Segment
from secscan.ocr.layout import to_blocks, upright

pytestmark = pytest.mark.slow  # OCR models in a subprocess and on real pictures: run with -m slow

ROOT = REPO
IMAGES = ROOT / "tests" / "fixtures" / "images"
HAS_RAPIDOCR = all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime"))
needs_ocr = pytest.mark.skipif(not HAS_RAPIDOCR, reason="RapidOCR not installed: pip install 'secscan[ocr]'")


@pytest.fixture(scope="module")
def config() -> ScanConfig:
    return ScanConfig(catalog=load_catalog())


def scan(name: str, config: ScanConfig, data: bytes | None = None) -> FileResult:
    payload = (IMAGES / name).read_bytes() if data is None else data
    return scan_bytes(name, name, payload, config)[0]


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# --- without an engine ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["notice_jpeg20.jpg", "memo_topsecret.png", "fax_two_pages.tif"])
def test_wechat_dat_key_is_found_from_content(name: str) -> None:
    picture = (IMAGES / name).read_bytes()
    encoded = bytes(b ^ 0x9C for b in picture)
    assert wechat.xor_key(encoded) is not None
    assert wechat.decode(encoded) == picture
    assert detect(encoded, "4f1e0c.dat").kind == "wechat-dat"
    assert detect(picture, name).kind != "wechat-dat"


def test_wechat_dat_ignores_other_binaries() -> None:
    assert wechat.xor_key(b"\x13\x37\x00\x01" * 16) is None
    assert detect(b"\x00\x01\x02\x03" * 64, "x.dat").kind != "wechat-dat"


def test_wechat_4_encrypted_dat_is_an_error_not_clean(config: ScanConfig) -> None:
    data = b"\x07\x08V2\x08\x07" + os.urandom(512)
    assert detect(data, "a.dat").kind == "wechat-dat"
    with pytest.raises(EncryptedError):
        extract(data, config)
    result = scan("a.dat", config, data)
    assert result.status == Status.ERROR
    # No password opens a WeChat 4 cache file, so the error must not send the user looking for one.
    assert "--password-file" not in (result.error or "") and "cannot decrypt" in (result.error or "")


def test_heic_brand_is_detected() -> None:
    assert detect(b"\x00\x00\x00\x1cftypheic\x00\x00\x00\x00" + bytes(64), "IMG_0001.HEIC").kind == "heic"
    assert detect(b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00" + bytes(64), "x").kind == "heic"


def test_no_ocr_reads_nothing_and_says_so() -> None:
    config = ScanConfig(catalog=load_catalog(), ocr=False)
    extraction = extract((IMAGES / "notice_blur.jpg").read_bytes(), config)
    assert extraction.blocks == ()
    assert [(s.part, s.reason) for s in extraction.skipped] == [("image", "OCR off")]


@pytest.mark.parametrize("size", [(32, 32), (16, 60), (400, 8)])
@pytest.mark.parametrize("ocr", [True, False])
def test_icons_and_rules_are_looked_at_not_ocrd(size: tuple[int, int], ocr: bool, config: ScanConfig) -> None:
    """Too small for a legible line: read as holding none, with OCR on or off, so the file can be clean."""
    from dataclasses import replace

    import secscan.ocr

    def no_ocr(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("an icon was OCR'd")

    data = png_bytes(Image.new("RGB", size, "white"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(secscan.ocr, "recognize", no_ocr)
        extraction = extract(data, replace(config, ocr=ocr))
    assert (extraction.blocks, extraction.skipped, extraction.parts_read) == ((), (), ("image",))
    assert scan("icon.png", replace(config, ocr=ocr), data).status == Status.CLEAN


def test_corrupt_image_is_an_error(config: ScanConfig) -> None:
    data = (IMAGES / "notice_red.png").read_bytes()[:3000]
    result = scan("broken.png", config, data)
    assert result.status == Status.ERROR
    assert result.error


def test_time_limit_makes_an_error_entry() -> None:
    config = ScanConfig(catalog=load_catalog(), limits=Limits(timeout=0.0))
    result = scan("fax_two_pages.tif", config)
    assert result.status == Status.ERROR
    assert "OCR time limit" in (result.error or "")


def test_unknown_engine_is_an_error_entry() -> None:
    config = ScanConfig(catalog=load_catalog(), ocr_engine="abbyy")
    result = scan("notice_blur.jpg", config)
    assert result.status == Status.ERROR
    assert "unknown OCR engine" in (result.error or "")


def test_missing_rapidocr_says_how_to_install(tmp_path: Path) -> None:
    script = (
        "import sys; sys.modules['rapidocr'] = None\n"
        "from secscan.match.catalog import load_catalog\nfrom secscan.config import ScanConfig\n"
        "from secscan.engine.pipeline import scan_bytes\n"
        f"data = open({str(IMAGES / 'notice_blur.jpg')!r}, 'rb').read()\n"
        "r = scan_bytes('p.jpg', 'p.jpg', data, ScanConfig(catalog=load_catalog()))[0]\n"
        "print(r.status, r.error)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.startswith("error ")
    assert "pip install 'secscan[ocr]'" in out.stdout


@pytest.mark.parametrize(
    "turn, box",
    [(0, (10, 20, 30, 40)), (90, (20, 70, 40, 90)), (180, (70, 160, 90, 180)), (270, (160, 10, 180, 30))],
)
def test_boxes_turn_upright(turn: int, box: tuple[int, int, int, int]) -> None:
    # A 100×200 picture; the box's top-left corner point (10, 20) in each frame.
    assert upright((10.0, 20.0, 30.0, 40.0), (100, 200), turn) == tuple(map(float, box))


def test_segments_become_lines_in_reading_order() -> None:
    read = PageRead(
        segments=(
            Segment("正文第二行", 0.9, (100, 400, 500, 430)),
            Segment("机密★5年", 0.98, (100, 100, 260, 130)),
            Segment("TOP", 0.9, (100, 600, 160, 630)),
            Segment("SECRET", 0.8, (170, 601, 300, 631)),
            Segment("签发人：张三", 0.9, (1300, 100, 1500, 130)),
        ),
        size=(1600, 1000),
        engine="test",
    )
    blocks = to_blocks(read, page=3)
    assert [b.text for b in blocks] == ["机密★5年", "签发人：张三", "正文第二行", "TOP SECRET"]
    assert [b.line for b in blocks] == [1, 2, 3, 4]
    assert {b.part for b in blocks} == {"ocr"} and {b.page for b in blocks} == {3}
    assert blocks[0].vpos == pytest.approx(0.115)
    assert blocks[3].confidence == pytest.approx((3 * 0.9 + 6 * 0.8) / 9, abs=1e-4)


# --- with RapidOCR ---------------------------------------------------------------------

DEGRADED = [
    ("notice_rot90.jpg", Level.SECRET),
    ("notice_rot180.jpg", Level.SECRET),
    ("notice_rot270.jpg", Level.SECRET),
    ("notice_skew3.jpg", Level.SECRET),
    ("notice_skew-5.jpg", Level.SECRET),
    ("notice_blur.jpg", Level.SECRET),
    ("notice_lowres.jpg", Level.SECRET),
    ("notice_jpeg20.jpg", Level.SECRET),
    ("notice_photo.jpg", Level.SECRET),
    ("notice_corner.png", Level.TOP_SECRET),
    ("notice_red.png", Level.CONFIDENTIAL),
    ("memo_topsecret.png", Level.TOP_SECRET),
    ("notice_jpeg20.dat", Level.SECRET),
    ("mention_only.jpg", Level.NONE),
]


@pytest.mark.ocr
@needs_ocr
@pytest.mark.parametrize("name, level", DEGRADED)
def test_degraded_pages_give_the_right_level(name: str, level: Level, config: ScanConfig) -> None:
    result = scan(name, config)
    assert (result.status, result.level) == (Status.FLAGGED if level else Status.CLEAN, level), result


@pytest.mark.ocr
@needs_ocr
@pytest.mark.parametrize("name", ["notice_rot90.jpg", "notice_rot180.jpg", "notice_rot270.jpg"])
def test_turned_photos_read_top_down(name: str, config: ScanConfig) -> None:
    from secscan.ocr import recognize

    blocks = recognize(Image.open(IMAGES / name), config, page=1)
    assert [b.text for b in blocks[:3]] == ["000123", "机密★5年", "特急"]
    assert blocks[1].vpos is not None and blocks[1].vpos < 0.2
    assert "page turned" in blocks[1].origin


@pytest.mark.ocr
@needs_ocr
def test_tiff_marking_on_page_two(config: ScanConfig) -> None:
    result = scan("fax_two_pages.tif", config)
    assert result.level == Level.SECRET and result.coverage.pages == 2
    assert {f.location.page for f in result.findings} == {2}
    assert {f.location.part for f in result.findings} == {"ocr"}


@pytest.mark.ocr
@needs_ocr
def test_red_stamp_over_body_text_is_read(config: ScanConfig) -> None:
    from secscan.ocr import recognize

    blocks = recognize(Image.open(IMAGES / "stamp_over_body.png"), config, page=1)
    stamped = [b for b in blocks if b.text == "机密"]
    assert stamped and "red" in stamped[0].hints


@pytest.mark.ocr
@pytest.mark.skipif(importlib.util.find_spec("pillow_heif") is None, reason="pillow-heif not installed")
@needs_ocr
def test_heic_photo(config: ScanConfig) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.open(IMAGES / "notice_blur.jpg").save(buffer, "HEIF", quality=70)
    assert scan("IMG_0001.HEIC", config, buffer.getvalue()).level == Level.SECRET


@pytest.mark.ocr
@pytest.mark.skipif(
    shutil.which("tesseract") is None or importlib.util.find_spec("pytesseract") is None,
    reason="needs apt-get install tesseract-ocr tesseract-ocr-chi-sim; pip install pytesseract",
)
def test_tesseract_engine_reads_a_clear_banner() -> None:
    config = ScanConfig(catalog=load_catalog(), ocr_engine="tesseract")
    result = scan("memo_topsecret.png", config)
    assert result.level == Level.TOP_SECRET


_SANDBOX = """
import json, os, sys
events = []
def hook(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.sendto"):
        events.append([event, repr(args)[:120]])
    elif event == "socket.bind" and str(args[1][0]) not in ("::1", "127.0.0.1"):
        events.append([event, repr(args)[:120]])  # urllib3 binds ::1 once to probe IPv6: harmless
    elif event == "open" and args[1] is not None and any(c in str(args[1]) for c in "wax+"):
        events.append([event, str(args[0])])
    elif event in ("os.mkdir", "os.rename", "os.remove", "shutil.rmtree"):
        events.append([event, str(args[0])])
sys.addaudithook(hook)
os.environ["ORT_DISABLE_TELEMETRY"] = "0"  # a user's setting must not switch telemetry back on
from secscan.match.catalog import load_catalog
from secscan.config import ScanConfig
from secscan.engine.pipeline import scan_bytes
data = open(sys.argv[1], "rb").read()
result = scan_bytes("p.jpg", "p.jpg", data, ScanConfig(catalog=load_catalog()))[0]
print(json.dumps({"level": result.level.label, "events": events}))
"""


@pytest.mark.ocr
@needs_ocr
def test_ocr_opens_no_socket_and_writes_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    out = subprocess.run(
        [sys.executable, "-c", _SANDBOX, str(IMAGES / "notice_blur.jpg")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["level"] == "secret"
    assert report["events"] == []
    assert sorted(p.relative_to(home).as_posix() for p in home.rglob("*")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


def test_no_ocr_never_calls_a_partly_read_file_clean() -> None:
    """A scanned PDF page and a picture inside a zip, with OCR off: reported skipped, never clean."""
    import zipfile

    from secscan.engine.pipeline import scan_bytes

    config = ScanConfig(catalog=load_catalog(), ocr=False)
    scanned = (IMAGES.parent / "documents" / "scanned.pdf").read_bytes()
    pdf = scan_bytes("scanned.pdf", "scanned.pdf", scanned, config)[0]
    assert (pdf.status, pdf.error) == (
        Status.SKIPPED,
        "partly read; not read: page 1: no text layer; OCR off",
    )

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("minutes.txt", "会议纪要\n各单位：\n")
        archive.writestr("photo.jpg", (IMAGES / "notice_blur.jpg").read_bytes())
    results = scan_bytes("pack.zip", "pack.zip", packed.getvalue(), config)
    by_path = {r.path: r for r in results}
    assert by_path["pack.zip!minutes.txt"].status == Status.CLEAN
    assert by_path["pack.zip!photo.jpg"].status == Status.SKIPPED
    assert by_path["pack.zip"].status == Status.SKIPPED
    assert "photo.jpg (image: OCR off)" in (by_path["pack.zip"].error or "")
