"""Which OCR engine and models read a picture: name, version and a short hash of the model files.

A report that says "clean" after OCR is only as good as the models that read the
page, and rapidocr swaps its bundled models between minor versions (PP-OCRv4 to
v6 changed what is read on degraded pages). So every OCR'd part records the
engine, its version and a sha256 over the ``.onnx`` files the engine actually
loads, hashed once per process (31 MB, about 50 ms) and cached. The ocr_blind
benchmark stores the same fingerprint in ``benchmarks/ocr_blind/models.json``
so a model change without re-recorded results fails a test.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

from secscan.model import OcrModels


def rapidocr_models() -> dict[str, Path]:
    """The bundled det/cls/rec ``.onnx`` file of the installed rapidocr, by task (missing tasks left out)."""
    import rapidocr

    folder = Path(rapidocr.__file__).parent / "models"
    found = {task: sorted(folder.glob(f"*{task}*.onnx")) for task in ("det", "cls", "rec")}
    return {task: paths[-1] for task, paths in found.items() if paths}


@cache
def fingerprint(engine: str = "rapidocr") -> OcrModels:
    """Engine name, package version and ``sha256:<16 hex>`` over its model files (once per process)."""
    if engine == "tesseract":
        return OcrModels(engine, _version("pytesseract"), _tesseract_data())
    digest = hashlib.sha256()
    for task, path in sorted(rapidocr_models().items()):
        digest.update(f"{task}:{path.name}:".encode())
        digest.update(path.read_bytes())
    return OcrModels(engine, _version("rapidocr"), "sha256:" + digest.hexdigest()[:16])


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def _tesseract_data() -> str:
    """Tesseract's language data is outside any package: hash chi_sim and eng where tessdata lives."""
    import shutil

    program = shutil.which("tesseract")
    candidates = [Path("/usr/share/tesseract-ocr/5/tessdata"), Path("/usr/share/tesseract-ocr/4.00/tessdata")]
    if program is None:
        return "unknown"
    digest = hashlib.sha256()
    for folder in candidates:
        for name in ("chi_sim.traineddata", "eng.traineddata"):
            if (folder / name).is_file():
                digest.update((folder / name).read_bytes())
    return "sha256:" + digest.hexdigest()[:16]
