"""``--cluster``: the same report as a local scan, limits still enforced, lost workers' files rescanned.

Two real Dask clusters, each started once for the module: the CLI's own ``--cluster local``
(in a subprocess, checked against a local scan and for leftover processes by an environment
mark its children inherit), and a joined one (``dask scheduler`` and ``dask worker`` started
here, the workers in a private mount namespace where one folder is an empty tmpfs, so a file
there is not visible to them and must be sent as bytes).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import distributed  # the test extra installs it: these tests must run in CI, not skip
import pytest
from locations import FIXTURES

from secscan.config import Limits, ScanConfig
from secscan.engine import cluster, runner
from secscan.inputs.walk import WalkEntry, walk
from secscan.match.catalog import Catalog
from secscan.model import FileResult, Status

sys.path.insert(0, str(FIXTURES))
from make_office import tiny_docx  # a fixture script, not a package

linux_only = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads processes from /proc")
NOTICE_LINE = "本通知所涉事项请各单位遵照执行，保守国家秘密是每个公民的义务。Quarterly figures follow.\n"
MARK = "SECSCAN_CLUSTER_TEST"


def _folder(root: Path) -> Path:
    """A marked docx, a clean docx, a clean text, a zip of documents, one in a sub-folder."""
    root.mkdir()
    (root / "notice.docx").write_bytes(tiny_docx("机密★5年", "关于年度工作的通知"))
    (root / "minutes.docx").write_bytes(tiny_docx("会议纪要", "本次会议讨论了预算。"))
    (root / "readme.txt").write_text("Quarterly figures follow.\n", encoding="utf-8")
    (root / "sub").mkdir()
    shutil.copy(FIXTURES / "containers" / "nested.zip", root / "sub" / "nested.zip")
    return root


def _marked(mark: str) -> list[int]:
    """Processes whose environment carries ``MARK=mark``: those the scan started, however deep."""
    needle = f"{MARK}={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                pass  # ended, or not ours to read
    return found


def _wait_until(check: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def _cli(args: list[str], mark: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, MARK: mark, "SECSCAN_CACHE_DIR": str(tmp / f"cache-{mark}")}  # nothing cached
    command = [sys.executable, "-m", "secscan", "scan", "--no-ocr", "-j", "2", "-f", "json", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)


@linux_only
def test_cli_cluster_local_gives_the_local_report_and_leaves_no_process(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "docs")
    local = _cli([str(folder)], "local", tmp_path)
    mark = uuid.uuid4().hex
    clustered = _cli(["--cluster", "local", str(folder)], mark, tmp_path)
    assert clustered.returncode == local.returncode == 1, clustered.stderr[-2000:]
    assert clustered.stdout == local.stdout
    assert '"status": "flagged"' in clustered.stdout and "notice.docx" in clustered.stdout
    assert "sub/nested.zip!" in clustered.stdout  # the zip's members came back, in their place
    assert _wait_until(lambda: not _marked(mark), 10), f"left running: {_marked(mark)}"


@linux_only
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_cluster_interrupted_leaves_no_process(tmp_path: Path, signum: signal.Signals) -> None:
    folder = tmp_path / "slow"
    folder.mkdir()
    for number in range(6):
        (folder / f"notice{number}.txt").write_text(NOTICE_LINE * 40_000, encoding="utf-8")
    mark = uuid.uuid4().hex
    env = {**os.environ, MARK: mark, "SECSCAN_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "secscan", "scan", "--no-ocr", "-j", "2", "--cluster", "local",
               str(folder)]  # fmt: skip
    scan = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        # busy: the CLI, 2 Dask workers and their secscan worker processes (plus Dask's helpers)
        assert _wait_until(lambda: len(_marked(mark)) >= 5, 60), "the cluster never got busy"
        scan.send_signal(signum)
        _out, err = scan.communicate(timeout=60)
    finally:
        scan.kill()
    assert scan.returncode == 128 + signum, err[-2000:]
    assert _wait_until(lambda: not _marked(mark), 10), f"left running: {_marked(mark)}"


def test_without_the_engine_the_cli_says_how_to_install_it(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello", encoding="utf-8")
    hide = "import sys; sys.modules['distributed'] = None; from secscan.cli import main; main()"
    command = [sys.executable, "-c", hide, "scan", "--cluster", "local", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "pip install 'secscan[cluster]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_wrong_scheduler_address_is_a_command_line_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello", encoding="utf-8")
    command = [sys.executable, "-m", "secscan", "scan", "--cluster", "tpc://127.0.0.1:9", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "cannot use the cluster at tpc://127.0.0.1:9: unknown address scheme 'tpc'" in done.stderr
    assert "Traceback" not in done.stderr


# A cluster joined by address: scheduler and workers started here, as an operator would.


@pytest.fixture(scope="module")
def hidden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder this process sees and the joined cluster's workers do not (an empty tmpfs over it)."""
    return tmp_path_factory.mktemp("hidden")


@pytest.fixture(scope="module")
def joined(tmp_path_factory: pytest.TempPathFactory, hidden: Path) -> Iterator[str]:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.fail("needs root and unshare (as in CI) to hide a folder from the cluster's workers")
    where = tmp_path_factory.mktemp("dask")
    scheduler_file = where / "scheduler.json"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    scheduler = subprocess.Popen(
        [*dask, "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file",
         str(scheduler_file)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    worker = (
        f"mount -t tmpfs tmpfs {hidden} && exec {sys.executable} -m distributed.cli.dask_worker "
        f"--scheduler-file {scheduler_file} --nworkers 2 --nthreads 1 --no-dashboard --memory-limit 0"
    )
    workers = subprocess.Popen(
        ["unshare", "--mount", "sh", "-c", worker],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        assert _wait_until(scheduler_file.exists, 60), "the scheduler did not start"
        with distributed.Client(scheduler_file=str(scheduler_file), set_as_default=False) as client:
            client.wait_for_workers(2, timeout=60)
            address = client.scheduler.address
        yield address
    finally:
        for process in (workers, scheduler):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (workers, scheduler):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _results(batches: Iterator[list[FileResult]]) -> list[FileResult]:
    return [result for batch in batches for result in batch]


def _worker_children(address: str) -> dict[str, int]:
    """How many child processes each Dask worker has: its secscan pool processes."""
    import psutil

    def count() -> int:
        return len(psutil.Process().children())

    with distributed.Client(address, set_as_default=False) as client:
        return dict(client.run(count))


def test_joined_cluster_reads_visible_files_in_place_and_ships_hidden_ones(
    joined: str, hidden: Path, tmp_path: Path, catalog: Catalog
) -> None:
    config = ScanConfig(catalog=catalog, ocr=False)
    entries = [
        *walk([str(_folder(tmp_path / "visible"))]),
        *walk([str(_folder(hidden / "docs"))]),
        WalkEntry("-", Path("-"), data="机密★10年\n".encode()),  # standard input: bytes already
        WalkEntry("gone.txt", tmp_path / "gone.txt"),  # an error here, as in a local scan
    ]
    expected = _results(runner.run(entries, config, 2))
    assert _results(cluster.run_on_cluster(entries, config, 2, joined)) == expected
    assert [r.status for r in expected].count(Status.FLAGGED) >= 3
    assert all(children == 0 for children in _worker_children(joined).values())  # pools closed


def test_a_file_over_the_time_limit_is_an_error_on_the_cluster(
    joined: str, tmp_path: Path, catalog: Catalog
) -> None:
    (tmp_path / "a.txt").write_text("机密★5年\n", encoding="utf-8")
    (tmp_path / "b-slow.txt").write_text(NOTICE_LINE * 40_000, encoding="utf-8")  # seconds to match
    (tmp_path / "c.txt").write_text("Quarterly figures follow.\n", encoding="utf-8")
    config = ScanConfig(catalog=catalog, ocr=False, limits=Limits(timeout=0.3))
    results = _results(cluster.run_on_cluster(walk([str(tmp_path)]), config, 2, joined))
    assert [Path(r.path).name for r in results] == ["a.txt", "b-slow.txt", "c.txt"]
    slow = results[1]
    assert slow.status == Status.ERROR and "per-file time limit (0.3 s)" in (slow.error or "")
    assert results[0].status == Status.FLAGGED and results[2].status == Status.CLEAN


def test_files_of_a_killed_worker_are_rescanned(joined: str, tmp_path: Path, catalog: Catalog) -> None:
    for number in range(6):
        mark = "机密★5年\n" if number % 2 else ""
        (tmp_path / f"n{number}.txt").write_text(mark + NOTICE_LINE * 6_000, encoding="utf-8")
    config = ScanConfig(catalog=catalog, ocr=False)
    entries = list(walk([str(tmp_path)]))
    expected = _results(runner.run(entries, config, 2))
    with distributed.Client(joined, set_as_default=False) as client:
        victim = next(iter(client.run(os.getpid).values()))
    got: list[FileResult] = []
    for number, batch in enumerate(cluster.run_on_cluster(entries, config, 2, joined)):
        if number == 0:
            os.kill(victim, signal.SIGKILL)  # mid-scan: the other files are queued or running
        got.extend(batch)
    assert got == expected
    assert [r.status for r in got] == [Status.FLAGGED if n % 2 else Status.CLEAN for n in range(6)]


def test_visible_needs_the_same_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("abc", encoding="utf-8")
    info = path.stat()
    assert cluster.visible(str(path), (3, int(info.st_mtime)))
    assert not cluster.visible(str(path), (4, int(info.st_mtime)))  # another file of that name
    assert not cluster.visible(str(path), (3, int(info.st_mtime) - 10))
    assert not cluster.visible(str(tmp_path / "missing.txt"), (3, int(info.st_mtime)))
    assert not cluster.visible(str(tmp_path), (info.st_size, int(info.st_mtime)))  # a folder
