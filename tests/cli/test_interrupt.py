"""Ending a scan honestly: Ctrl-C and SIGTERM end the workers and leave no half report,
a killed parent leaves no orphan worker, and ``-o FILE`` still says on stderr how it went.

The slow scan is a folder of large plain-text notices (each takes a worker seconds to
match), so a signal lands while workers are busy; which worker processes exist is read
from /proc before the signal and checked after it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
NOTICE_LINE = "本通知所涉事项请各单位遵照执行，保守国家秘密是每个公民的义务。Quarterly figures follow.\n"
OLDER_REPORT = '{"older": "report"}\n'


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(parent pid, state, start time) of a process, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) ": state, ppid, ...
    return int(fields[1]), fields[0], fields[19]


def _children(pid: int) -> dict[int, str]:
    """Live children of ``pid``, each with its start time (so a reused pid is not mistaken)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[0] == pid and stat[1] != "Z":
                found[int(entry.name)] = stat[2]
    return found


def _alive(workers: dict[int, str]) -> list[int]:
    """The workers still running (a zombie has ended; only its parent has not reaped it)."""
    alive = []
    for pid, started in workers.items():
        stat = _stat(pid)
        if stat is not None and stat[2] == started and stat[1] != "Z":
            alive.append(pid)
    return alive


def _wait_until(check: object, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def slow_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "notices"
    folder.mkdir()
    text = NOTICE_LINE * 40_000  # ~4.6 MB: a worker needs seconds for each
    for n in range(12):
        (folder / f"notice{n:02}.txt").write_text(text, encoding="utf-8")
    return folder


def _start_scan(folder: Path, report: Path) -> tuple[subprocess.Popen[str], dict[int, str]]:
    """A scan writing ``report``, once its workers are busy; with its worker processes."""
    scan = subprocess.Popen(
        [sys.executable, "-m", "secscan", "scan", "--no-ocr", "-j", "2", "-f", "json", "-o", str(report),
         str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert _wait_until(lambda: len(_children(scan.pid)) >= 2), "no workers started"
    time.sleep(0.5)  # let them get into a file
    workers = _children(scan.pid)
    assert scan.poll() is None, "the scan ended before it could be interrupted"
    return scan, workers


@pytest.mark.slow
@linux_only
@pytest.mark.parametrize("older_report", [False, True])
@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_ends_workers_and_writes_no_half_report(
    slow_folder: Path, tmp_path: Path, signum: int, code: int, older_report: bool
) -> None:
    report = tmp_path / "report.json"
    if older_report:
        report.write_text(OLDER_REPORT, encoding="utf-8")
    scan, workers = _start_scan(slow_folder, report)
    scan.send_signal(signum)
    _, stderr = scan.communicate(timeout=60)
    assert scan.returncode == code
    assert "interrupted" in stderr and "no report written" in stderr
    assert _wait_until(lambda: not _alive(workers), 5), f"workers left running: {_alive(workers)}"
    if older_report:  # what was there stays, whole: never replaced by a partial or empty file
        assert report.read_text(encoding="utf-8") == OLDER_REPORT
    else:
        assert not report.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


@pytest.mark.slow
@linux_only
def test_a_killed_parent_leaves_no_orphan_worker(slow_folder: Path, tmp_path: Path) -> None:
    scan, workers = _start_scan(slow_folder, tmp_path / "report.json")
    scan.kill()  # SIGKILL: the parent runs no cleanup at all
    scan.communicate(timeout=30)
    assert _wait_until(lambda: not _alive(workers), 5), f"orphaned workers: {_alive(workers)}"
    # The report was an unnamed file (O_TMPFILE): nothing of it is left, not even a hidden part.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "notices") == []


def _scan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "secscan", "scan", "--no-ocr", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def two_files(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "marked.txt").write_text("机密★10年\n关于加强安全管理工作的通知\n", encoding="utf-8")
    (folder / "plain.txt").write_text("会议纪要\n", encoding="utf-8")
    return folder


def test_output_file_still_gets_a_summary_line_on_stderr(two_files: Path, tmp_path: Path) -> None:
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    done = _scan("-f", "json", "-o", str(report), str(two_files))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip() == f"secscan: 2 files, 1 flagged, 0 errors; report written to {report}"
    assert report.read_text(encoding="utf-8").startswith("{")
    assert os.listdir(report.parent) == ["report.json"]  # the temporary file was renamed, not left


def test_quiet_keeps_stderr_silent(two_files: Path, tmp_path: Path) -> None:
    done = _scan("--quiet", "-o", str(tmp_path / "report.txt"), str(two_files))
    assert done.returncode == 1 and done.stderr == ""


def test_a_report_replacing_an_older_one_keeps_its_permissions(two_files: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("older\n", encoding="utf-8")
    report.chmod(0o640)
    _scan("-o", str(report), str(two_files))
    assert "marked.txt" in report.read_text(encoding="utf-8")
    assert report.stat().st_mode & 0o777 == 0o640


def test_an_output_folder_that_does_not_exist_is_a_command_line_error(
    two_files: Path, tmp_path: Path
) -> None:
    done = _scan("-o", str(tmp_path / "missing" / "report.txt"), str(two_files))
    assert done.returncode == 2 and "cannot write the report" in done.stderr


@pytest.mark.slow
def test_ctrl_c_before_the_scan_starts_is_130_not_1() -> None:
    # The catalog load is slowed down so the signal lands before any file is scanned.
    script = (
        "import time\n"
        "import secscan.match.catalog as catalog\n"
        "from secscan.cli import main\n"
        "load = catalog.load_catalog\n"
        "catalog.load_catalog = lambda *a, **k: (time.sleep(5), load(*a, **k))[1]\n"
        "main(['scan', '.'])\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(2)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
