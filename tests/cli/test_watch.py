"""`secscan watch` as a user runs it: a subprocess watching a temporary folder, files dropped in it
the way a chat client drops them, and the JSON Lines events it appends read back.

The settle logic and the chat-folder list are also tested on their own, on real files.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import docx
import pytest

from secscan.inputs import watching
from secscan.inputs.chat_folders import chat_folders
from secscan.inputs.watching import Settler

IMAGES = Path(__file__).resolve().parents[1] / "fixtures" / "images"
linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
NOTICE = "本通知所涉事项请各单位遵照执行。Quarterly figures follow.\n"
# Records each alert's environment, one JSON line per run, to the file named in argv[1].
RECORDER = (
    "import json, os, sys\nwith open(sys.argv[1], 'a') as f:\n"
    "    f.write(json.dumps({k: os.environ[k] for k in ('SECSCAN_PATH', 'SECSCAN_LEVEL')}) + '\\n')\n"
)


def _docx(path: Path, lines: list[str]) -> None:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "stat").read_text()
            except OSError:
                continue
            fields = text[text.rindex(")") + 2 :].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2 :].split()[0] != "Z"


class Watch:
    """A running ``secscan watch`` and the events it has appended so far."""

    def __init__(self, folder: Path, events: Path, *extra: str) -> None:
        self.events = events
        argv = [sys.executable, "-m", "secscan", "watch", "-v", "--settle", "1", "-f", "jsonl",
                "-o", str(events), *extra, str(folder)]  # fmt: skip
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def read(self) -> list[dict[str, object]]:
        if not self.events.exists():
            return []
        return [json.loads(line) for line in self.events.read_text(encoding="utf-8").splitlines()]

    def wait_for(self, check: Callable[[list[dict[str, object]]], bool], seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if check(self.read()):
                return
            assert self.process.poll() is None, self.process.communicate()
            time.sleep(0.1)
        raise AssertionError(f"no such event after {seconds} s: {self.read()}")

    def of(self, name: str) -> list[dict[str, object]]:
        return [e for e in self.read() if Path(str(e["path"])).name == name]

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGTERM)
        _out, err = self.process.communicate(timeout=60)
        return self.process.returncode, err


@pytest.fixture
def started(tmp_path: Path) -> Iterator[tuple[Watch, Path]]:
    folder = tmp_path / "FileStorage"
    folder.mkdir()
    (folder / "there-before.txt").write_text("机密★10年\n" + NOTICE, encoding="utf-8")
    recorder = tmp_path / "recorder.py"
    recorder.write_text(RECORDER, encoding="utf-8")
    command = f"{sys.executable} {recorder} {tmp_path / 'alerts.jsonl'}"
    watch = Watch(folder, tmp_path / "events.jsonl", "--exec", command)
    yield watch, folder
    if watch.process.poll() is None:
        watch.process.kill()
        watch.process.communicate()


@linux_only
@pytest.mark.slow
def test_dropped_files_give_one_event_each_and_sigterm_ends_it(
    started: tuple[Watch, Path], tmp_path: Path
) -> None:
    watch, folder = started
    watch.wait_for(lambda events: any(e["status"] == "flagged" for e in events))  # the start-up reconcile
    workers = _children(watch.process.pid)
    assert workers, "the scanning worker runs beside the watcher"

    _docx(folder / "notice.docx", ["机密★5年", "关于开展年度检查的通知", NOTICE])
    _docx(folder / "minutes.docx", ["Minutes of the weekly meeting", NOTICE])
    shutil.copy(IMAGES / "memo_topsecret.png", folder / "photo.png")
    (folder / "broken.docx").write_bytes((folder / "notice.docx").read_bytes()[:700])
    with open(folder / "slow.txt", "w", encoding="utf-8") as slow:  # a download: a chunk every 0.3 s
        for _ in range(10):
            slow.write(NOTICE * 50)
            slow.flush()
            time.sleep(0.3)
        slow.write("绝密★长期\n")  # the marking comes last: a half-read file would be clean
    written = time.time()
    (folder / "gone.txt").write_text("机密★10年\n", encoding="utf-8")
    (folder / "gone.txt").unlink()  # deleted before it settled: no event

    names = ("notice.docx", "minutes.docx", "photo.png", "broken.docx", "slow.txt")
    watch.wait_for(lambda events: {Path(str(e["path"])).name for e in events} >= set(names))
    time.sleep(2.5)  # anything that would come twice comes by now
    for name in names:
        assert len(watch.of(name)) == 1, (name, watch.of(name))
    assert [(e["status"], e["level"]) for e in watch.of("notice.docx")] == [("flagged", "secret")]
    assert [(e["status"], e["level"]) for e in watch.of("minutes.docx")] == [("clean", "none")]
    assert [(e["status"], e["level"]) for e in watch.of("photo.png")] == [("flagged", "top-secret")]
    assert watch.of("broken.docx")[0]["status"] == "error"
    slow_event = watch.of("slow.txt")[0]
    assert (slow_event["status"], slow_event["level"]) == ("flagged", "top-secret")
    assert datetime.fromisoformat(str(slow_event["event_time"])).timestamp() >= written
    assert watch.of("gone.txt") == []

    alerts = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    alerted = sorted((Path(a["SECSCAN_PATH"]).name, a["SECSCAN_LEVEL"]) for a in alerts)
    assert alerted == [("notice.docx", "secret"), ("photo.png", "top-secret"), ("slow.txt", "top-secret"),
                       ("there-before.txt", "secret")]  # fmt: skip

    code, err = watch.stop()
    assert code == 0, err
    assert "watch ended" in err
    assert [pid for pid in workers if _running(pid)] == []


@linux_only
def test_exec_gets_the_name_in_its_environment_never_through_a_shell(tmp_path: Path) -> None:
    folder = tmp_path / "outbox"
    folder.mkdir()
    hostile = folder / "$(touch pwned); `touch pwned2`.txt"
    hostile.write_text("机密★10年\n" + NOTICE, encoding="utf-8")
    recorder = tmp_path / "recorder.py"
    recorder.write_text(RECORDER, encoding="utf-8")
    record = tmp_path / "alerts.jsonl"
    watch = Watch(
        folder, tmp_path / "events.jsonl", "--no-ocr", "--exec", f"{sys.executable} {recorder} {record}"
    )
    try:
        watch.wait_for(lambda _events: record.exists() and record.read_text().strip() != "", seconds=60)
    finally:
        code, err = watch.stop()
    assert code == 0, err
    assert json.loads(record.read_text()) == {"SECSCAN_PATH": str(hostile), "SECSCAN_LEVEL": "secret"}
    assert not list(tmp_path.rglob("pwned*")) and not Path("pwned").exists()


@linux_only
def test_no_initial_leaves_what_was_there_and_appends_to_the_log(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "old.txt").write_text("机密★10年\n", encoding="utf-8")
    events = tmp_path / "events.jsonl"
    events.write_text('{"earlier": "event"}\n', encoding="utf-8")
    watch = Watch(folder, events, "--no-ocr", "--no-initial")
    try:
        time.sleep(3)
        (folder / "new.txt").write_text("秘密★5年\n", encoding="utf-8")
        watch.wait_for(
            lambda found: any(str(e.get("path", "")).endswith("new.txt") for e in found), seconds=60
        )
    finally:
        code, err = watch.stop()
    assert code == 0, err
    lines = events.read_text(encoding="utf-8").splitlines()
    assert lines[0] == '{"earlier": "event"}'
    assert [Path(json.loads(line)["path"]).name for line in lines[1:]] == ["new.txt"]


def test_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "secscan", "watch", str(tmp_path / "nowhere")],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert "does not exist" in done.stderr


# -- the settle logic, on real files ---------------------------------------------------------


def test_a_file_is_due_only_once_unchanged_for_the_settle_time(tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    path.write_bytes(b"part one")
    settler = Settler(settle=1.0)
    settler.note(str(tmp_path), now=0.0)
    assert settler.due(now=0.5) == []
    with open(path, "ab") as handle:
        handle.write(b" and part two")
    assert settler.due(now=0.9) == []  # it changed: the clock starts again
    assert settler.due(now=1.5) == []
    assert settler.due(now=2.0) == [str(path)]
    assert settler.pending == {}


def test_a_touch_does_not_hand_it_over_again_but_new_content_does(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("one")
    settler = Settler(settle=0.0)
    settler.note(str(path), now=0.0)
    assert settler.due(now=0.0) == [str(path)]
    os.chmod(path, 0o600)
    path.read_text()
    settler.note(str(path), now=1.0)
    assert settler.due(now=2.0) == []
    path.write_text("two, longer")
    settler.note(str(path), now=3.0)
    assert settler.due(now=3.0) == [str(path)]


def test_a_file_deleted_before_it_settles_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "gone.txt"
    path.write_text("x")
    settler = Settler(settle=1.0)
    settler.note(str(path), now=0.0)
    path.unlink()
    assert settler.due(now=5.0) == []
    assert settler.pending == {}


def test_what_it_remembers_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watching, "REMEMBERED", 50)
    settler = Settler(settle=0.0)
    for n in range(200):
        path = tmp_path / f"f{n}.txt"
        path.write_text(str(n))
        settler.note(str(path), now=float(n))
        assert settler.due(now=float(n)) == [str(path)]
    assert len(settler.recent) == 50
    assert settler.pending == {}


def test_links_and_pipes_are_not_handed_over(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("x")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    os.mkfifo(tmp_path / "pipe")
    settler = Settler(settle=0.0)
    settler.note(str(tmp_path), now=0.0)
    assert settler.due(now=1.0) == [str(tmp_path / "real.txt")]


# -- --wechat's folders --------------------------------------------------------------------------


def test_wechat_folders_are_found_under_the_account_and_missing_ones_noted(tmp_path: Path) -> None:
    files = tmp_path / "Documents" / "WeChat Files" / "wxid_abc123" / "FileStorage" / "File"
    images = files.parent / "Image"
    files.mkdir(parents=True)
    images.mkdir()
    found, missing = chat_folders(home=tmp_path, platform="win32")
    assert found == [str(files), str(images)]
    assert any(note.startswith("WeChat 4 files: no folder") for note in missing)
    assert not any("Library/Containers" in note for note in missing)  # the macOS places are not looked for


def test_wechat_4_on_linux(tmp_path: Path) -> None:
    folder = tmp_path / "Documents" / "xwechat_files" / "wxid_x_9f00" / "msg" / "file"
    folder.mkdir(parents=True)
    found, _missing = chat_folders(home=tmp_path, platform="linux")
    assert found == [str(folder)]
