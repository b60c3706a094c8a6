"""The result cache: what it answers, what makes it forget, what it never holds, and how it survives.

Scans run as a user runs them (``python -m secscan scan``) on real fixture files, with the
cache in the test's own folder (``SECSCAN_CACHE_DIR``, set for every test by conftest).
Whether a file was read again is seen from the outside: the cache's own counters, and a
file made unreadable after the first scan (replaced by a FIFO with the same name would
change its identity, so instead the scan is pointed at a copy whose bytes changed).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from secscan.config import CacheSettings, Limits, ScanConfig
from secscan.engine import cache as cache_module
from secscan.engine.cache import ResultCache, content_hash, scan_key
from secscan.engine.pipeline import scan_entry
from secscan.engine.reuse import run_known_first
from secscan.inputs.walk import WalkEntry
from secscan.model import FileResult, Finding, Level, Location, PageBox, Status
from tests.locations import FIXTURES

DOCS = FIXTURES / "documents"
CLEAN_TEXT = "本周值班安排：周一张三，周二李四。请各部门按时报送周报。\n"
MARKED_TEXT = "机密★5年\n关于第三季度检查工作的通知\n请于本月底前报送材料，联系人王五。\n"
# a self-declaration inside a sentence: flagged, and its context line is document text
SENTENCE_TEXT = "关于值班安排的说明\n本文件为机密★5年，阅后收回。\n联系人赵六。\n"


def secscan(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "secscan", "scan", "--no-ocr", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, check=False)


def report(*args: str) -> dict[str, object]:
    done = secscan("-f", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    parsed: dict[str, object] = json.loads(done.stdout)
    return parsed


def counts(folder: Path) -> dict[str, int]:
    db = sqlite3.connect(folder / cache_module.DATABASE)
    try:
        return {
            t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("files", "results", "audits")
        }
    finally:
        db.close()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "share"
    (root / "sub").mkdir(parents=True)
    (root / "duty.txt").write_text(CLEAN_TEXT, encoding="utf-8")
    (root / "notice.txt").write_text(MARKED_TEXT, encoding="utf-8")
    (root / "self.txt").write_text(SENTENCE_TEXT, encoding="utf-8")
    shutil.copy(DOCS / "clean_notice.docx", root / "sub" / "clean_notice.docx")
    shutil.copy(DOCS / "header.docx", root / "sub" / "header.docx")
    return root


def config_with_cache(scan_config: ScanConfig, folder: Path, redact: bool = False) -> ScanConfig:
    return dataclasses.replace(scan_config, cache=CacheSettings(str(folder), scan_key(scan_config), redact))


# -- hit, miss, what is kept ------------------------------------------------------------------


def test_a_second_scan_gives_the_same_report_and_reads_only_markings_in_sentences(
    tree: Path, private_cache: Path
) -> None:
    first = report(str(tree))
    statuses = {Path(str(f["path"])).name: f["status"] for f in first["files"]}  # type: ignore[attr-defined]
    assert statuses == {
        "duty.txt": "clean",
        "clean_notice.docx": "clean",
        "notice.txt": "flagged",
        "header.docx": "flagged",
        "self.txt": "flagged",
    }
    kept = counts(private_cache)
    # clean files and files whose markings stand alone on their lines are kept; self.txt, whose
    # marking sits in a sentence (its report shows that sentence), is read again on every run
    assert kept["files"] == 4 and kept["results"] >= 4
    second = report(str(tree))
    assert second == first
    assert counts(private_cache)["results"] == kept["results"]


def test_no_cache_reads_everything_and_writes_no_database(tree: Path, private_cache: Path) -> None:
    first = report("--no-cache", str(tree))
    assert not (private_cache / cache_module.DATABASE).exists()
    assert first == report(str(tree))


def test_a_known_file_is_answered_without_being_read(
    tree: Path, private_cache: Path, scan_config: ScanConfig
) -> None:
    config = config_with_cache(scan_config, private_cache)
    entry = WalkEntry(str(tree / "duty.txt"), tree / "duty.txt")
    fresh = scan_entry(entry, config)
    cache = ResultCache(private_cache, config.cache.key)  # type: ignore[union-attr]
    assert cache.known(entry) == fresh

    def must_not_run(entries: object) -> object:
        for _ in entries:  # type: ignore[attr-defined]
            raise AssertionError("a known file was sent to a worker")
        return iter(())

    assert list(run_known_first([entry], cache.known, must_not_run)) == [fresh]  # type: ignore[arg-type]


def test_a_flagged_photo_comes_back_whole_and_a_marking_in_a_sentence_is_not_kept(
    private_cache: Path,
) -> None:
    cache = ResultCache(private_cache, "key")
    alone = Finding(
        rule="cn.state-secret.marking",
        level=Level.SECRET,
        match="机密★5年",
        location=Location("ocr", 1, 2, "rapidocr", PageBox(0.1, 0.05, 0.3, 0.08, 90)),
        confidence=0.93,
        reasons=("alone on its line", "OCR confidence 0.93"),
        context="机密★5年",
        span=(0, 5),
        description="国家秘密标志",
    )
    photo = FileResult("notice.jpg", "jpeg", Status.FLAGGED, Level.SECRET, findings=(alone,))
    cache.store("c1", "notice.jpg", 0, [photo], cache_module.Spent(0, 0))
    assert cache.lookup("c1", "notice.jpg", 0) == (
        [dataclasses.replace(photo, path="")],
        cache_module.Spent(0, 0),
    )

    in_sentence = dataclasses.replace(alone, context="本文件为机密★5年，阅后收回。", span=(4, 9))
    cache.store(
        "c2", "self.jpg", 0, [dataclasses.replace(photo, findings=(in_sentence,))], cache_module.Spent(0, 0)
    )
    assert cache.lookup("c2", "self.jpg", 0) is None
    declassified = dataclasses.replace(alone, level=Level.NONE, original_level=Level.SECRET)
    cache.store(
        "c3", "old.jpg", 0, [dataclasses.replace(photo, findings=(declassified,))], cache_module.Spent(0, 0)
    )
    assert cache.lookup("c3", "old.jpg", 0) is None
    redacting = ResultCache(private_cache, "key", redact=True)
    redacting.store("c4", "notice.jpg", 0, [photo], cache_module.Spent(0, 0))
    assert redacting.lookup("c4", "notice.jpg", 0) is None


def test_known_first_keeps_input_order_with_a_mix_of_known_and_new(tmp_path: Path) -> None:
    entries = [WalkEntry(f"f{n}", tmp_path / f"f{n}") for n in range(8)]
    known_ones = {"f0", "f2", "f3", "f7"}

    def known(entry: WalkEntry) -> list[FileResult] | None:
        return [FileResult(entry.display, "text", Status.CLEAN)] if entry.display in known_ones else None

    def run(todo: object) -> object:
        return ([FileResult(e.display, "text", Status.FLAGGED)] for e in todo)  # type: ignore[attr-defined]

    out = [batch[0].path for batch in run_known_first(entries, known, run)]  # type: ignore[arg-type]
    assert out == [e.display for e in entries]
    assert list(run_known_first(entries[:1], known, run)) == [[FileResult("f0", "text", Status.CLEAN)]]  # type: ignore[arg-type]


def test_a_gate_and_an_audit_keep_their_results_apart(tree: Path, private_cache: Path) -> None:
    """A gate stops OCR at its level, HTML wants crops: their flagged results answer only alike runs."""
    marked = tree / "notice.txt"
    secscan(str(marked))  # the gate: text report, --fail-on internal
    assert counts(private_cache)["results"] == 1
    secscan("-f", "json", str(marked))  # the audit reads whole pages: a result of its own
    assert counts(private_cache)["results"] == 2
    secscan("-f", "html", "-o", str(tree.parent / "report.html"), str(marked))  # with evidence crops
    assert counts(private_cache)["results"] == 3
    secscan("-f", "json", str(marked))
    assert counts(private_cache)["results"] == 3


# -- invalidation -------------------------------------------------------------------------------


def test_changed_content_is_read_again(tree: Path, private_cache: Path, scan_config: ScanConfig) -> None:
    config = config_with_cache(scan_config, private_cache)
    path = tree / "duty.txt"
    entry = WalkEntry(str(path), path)
    scan_entry(entry, config)
    cache = ResultCache(private_cache, config.cache.key)  # type: ignore[union-attr]
    assert cache.known(entry) is not None
    info = path.stat()
    path.write_text(MARKED_TEXT, encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # same mtime: the size still differs
    assert cache.known(entry) is None
    fresh = scan_entry(entry, config)
    assert fresh[0].status == Status.FLAGGED
    # the new content is kept in its turn (its marking stands alone on its line)
    assert cache.known(entry) == fresh


def test_same_size_and_time_but_another_inode_is_not_trusted(
    tree: Path, private_cache: Path, scan_config: ScanConfig
) -> None:
    config = config_with_cache(scan_config, private_cache)
    path = tree / "duty.txt"
    scan_entry(WalkEntry(str(path), path), config)
    info = path.stat()
    replacement = tree / "replacement.txt"
    replacement.write_text(CLEAN_TEXT.replace("张三", "赵六"), encoding="utf-8")
    os.utime(replacement, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(replacement, path)  # same name, size and mtime; a new inode
    cache = ResultCache(private_cache, config.cache.key)  # type: ignore[union-attr]
    assert cache.known(WalkEntry(str(path), path)) is None


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda c: dataclasses.replace(c, threshold=0.7), id="threshold"),
        pytest.param(lambda c: dataclasses.replace(c, limits=Limits(max_depth=3)), id="limits"),
        pytest.param(lambda c: dataclasses.replace(c, ocr=True), id="ocr"),
        pytest.param(lambda c: dataclasses.replace(c, passwords=("12345678",)), id="passwords"),
        pytest.param(lambda c: dataclasses.replace(c, show_suppressed=True), id="show-suppressed"),
        pytest.param(lambda c: dataclasses.replace(c, evidence=True), id="evidence-crops"),
        pytest.param(lambda c: dataclasses.replace(c, ocr_stop_at=Level.INTERNAL), id="ocr-early-stop"),
    ],
)
def test_options_that_change_results_change_the_key(scan_config: ScanConfig, change: object) -> None:
    assert scan_key(change(scan_config)) != scan_key(scan_config)  # type: ignore[operator]


def test_catalog_version_and_models_change_the_key(
    scan_config: ScanConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from secscan.match.catalog import load_catalog

    base = scan_key(scan_config)
    extra = tmp_path / "patterns"
    extra.mkdir()
    (extra / "ours.toml").write_text(
        '[[pattern]]\nid = "ours.project-x"\nlevel = "confidential"\ndescription = "Project X"\n'
        'keywords = ["projectx"]\nregex = "PROJECT-X"\nscore = 0.9\n'
        'should_match = ["PROJECT-X", "⟦PROJECT-X⟧ plans", "see PROJECT-X"]\n'
        'should_not_match = ["project", "PROJECT X", "PROJECT-Y"]\n',
        encoding="utf-8",
    )
    with_ours = dataclasses.replace(scan_config, catalog=load_catalog([extra]))
    assert scan_key(with_ours) != base

    cache_module._code_fingerprint.cache_clear()
    monkeypatch.setattr("secscan.__version__", "99.0.0")
    assert scan_key(scan_config) != base
    monkeypatch.undo()
    cache_module._code_fingerprint.cache_clear()

    ocr_on = dataclasses.replace(scan_config, ocr=True)
    before = scan_key(ocr_on)
    cache_module._ocr_fingerprint.cache_clear()
    monkeypatch.setattr(cache_module, "_ocr_fingerprint", lambda engine: "other models")
    assert scan_key(ocr_on) != before


# -- members --------------------------------------------------------------------------------


def test_the_same_attachment_in_many_archives_is_read_once(
    tmp_path: Path, private_cache: Path, scan_config: ScanConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    attachment = (DOCS / "clean_notice.docx").read_bytes()
    paths = []
    for n in range(3):
        path = tmp_path / f"forward{n}.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("notice.docx", attachment)
            archive.writestr("note.txt", f"转发第{n}次，请查收。")
        paths.append(path)
    from secscan.extractors.office import docx

    reads = []
    real = docx.extract
    monkeypatch.setattr(docx, "extract", lambda data, config: reads.append(1) or real(data, config))
    config = config_with_cache(scan_config, private_cache)
    results = [scan_entry(WalkEntry(str(p), p), config) for p in paths]
    assert len(reads) == 1
    for path, found in zip(paths, results, strict=True):
        assert [r.path for r in found] == [str(path), f"{path}!notice.docx", f"{path}!note.txt"]
        assert all(r.status == Status.CLEAN for r in found)


# -- what it never holds ----------------------------------------------------------------------


def database_bytes(folder: Path) -> bytes:
    """The database files as stored, and every result payload decompressed (compression hides text)."""
    raw = b"".join(f.read_bytes() for f in sorted(folder.glob(cache_module.DATABASE + "*")))
    db = sqlite3.connect(folder / cache_module.DATABASE)
    try:
        payloads = [zlib.decompress(row[0]) for row in db.execute("SELECT payload FROM results")]
    finally:
        db.close()
    return b"\n".join([raw, *payloads])


@pytest.mark.parametrize("redact", [False, True])
def test_the_cache_holds_no_document_text_and_is_private(
    tree: Path, private_cache: Path, redact: bool
) -> None:
    archive = tree / "forward.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("值班表.txt", CLEAN_TEXT)
    report(*(["--redact"] if redact else []), str(tree))
    stored = database_bytes(private_cache)
    assert stored, "nothing was cached"
    for text in ("本周值班", "张三", "赵六", "阅后收回", "第三季度", "duty", "notice", "share", str(tree)):
        assert text.encode() not in stored, text
    if redact:
        assert "值班表".encode() not in stored  # under --redact not even a member's name
        assert "机密".encode() not in stored  # nor a marking
    else:
        assert "机密★5年".encode() in stored  # the one text kept: a marking alone on its line
    assert stat.S_IMODE(private_cache.stat().st_mode) == 0o700
    for file in private_cache.glob(cache_module.DATABASE + "*"):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


# -- robustness -----------------------------------------------------------------------------


def test_a_corrupt_database_is_rebuilt_not_trusted(tree: Path, private_cache: Path) -> None:
    first = report(str(tree))
    (private_cache / cache_module.DATABASE).write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    for stale in private_cache.glob(cache_module.DATABASE + "-*"):
        stale.unlink()
    assert report(str(tree)) == first
    assert counts(private_cache)["files"] == 4  # rebuilt and filled again


def test_a_tampered_result_is_not_used(tree: Path, private_cache: Path, scan_config: ScanConfig) -> None:
    config = config_with_cache(scan_config, private_cache)
    path = tree / "duty.txt"
    entry = WalkEntry(str(path), path)
    scan_entry(entry, config)
    db = sqlite3.connect(private_cache / cache_module.DATABASE)
    db.execute("UPDATE results SET payload = ?", (b"x\x9c\x03\x00\x00\x00\x00\x01",))
    db.commit()
    db.close()
    cache = ResultCache(private_cache, config.cache.key)  # type: ignore[union-attr]
    assert cache.known(entry) is None
    assert cache.lookup(content_hash(path.read_bytes()), "duty.txt", 0) is None


def test_two_scans_at_once_share_one_cache(tmp_path: Path, private_cache: Path) -> None:
    roots = []
    for name in ("a", "b"):
        root = tmp_path / name
        root.mkdir()
        for n in range(60):
            (root / f"{n:03}.txt").write_text(f"{name} 第{n}号 {CLEAN_TEXT}", encoding="utf-8")
        roots.append(root)
    command = [sys.executable, "-m", "secscan", "scan", "--no-ocr", "-j", "2", "-f", "json"]
    scans = [subprocess.Popen([*command, str(r)], stdout=subprocess.PIPE, text=True) for r in roots]
    outputs = [s.communicate(timeout=300)[0] for s in scans]
    assert [s.returncode for s in scans] == [0, 0]
    for output in outputs:
        assert json.loads(output)["summary"]["clean"] == 60
    assert counts(private_cache)["files"] == 120


def test_cache_info_and_clear(tree: Path, private_cache: Path) -> None:
    report(str(tree))
    shown = subprocess.run(
        [sys.executable, "-m", "secscan", "cache", "info"], capture_output=True, text=True, check=True
    ).stdout
    assert str(private_cache) in shown and "files:    4 known" in shown
    cleared = subprocess.run(
        [sys.executable, "-m", "secscan", "cache", "clear"], capture_output=True, text=True, check=True
    ).stdout
    assert "cleared" in cleared
    assert not (private_cache / cache_module.DATABASE).exists()


def test_an_unusable_cache_folder_only_costs_speed(tree: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    env = {**os.environ, "SECSCAN_CACHE_DIR": str(blocker / "cache")}
    done = secscan("-f", "json", str(tree), env=env)
    assert done.returncode == 1
    assert json.loads(done.stdout)["summary"]["files"] == 5
    assert "cannot be opened" in done.stderr


def test_without_the_variable_the_cache_is_in_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache_module.CACHE_ENV, raising=False)
    folder = cache_module.default_folder()
    assert folder.is_absolute() and "secscan" in folder.parts
    if sys.platform == "linux":
        expected = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "secscan"
        assert folder == expected
