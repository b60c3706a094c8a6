"""`secscan scan` end to end: special files, hostile names, counts that add up, Chinese level names.

Every test runs the installed command in a subprocess, as a hook or a person would.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

SECRET = "机密★10年\n关于加强安全管理工作的通知\n"
CONFIDENTIAL = "秘密★5年\n关于加强安全管理工作的通知\n"
PLAIN = "会议纪要：下周二上午九点开会。\n"
TITLE = "\x1b]0;pwned\x07"
RLO = "\u202e"
RAW = ("\x1b", "\x07", "\x9b", RLO)


def secscan(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # The subprocess timeout only guards the test run; a per-file limit far above it makes sure
    # that a pipe the walk opened would show as a hang here, not be rescued by the runner.
    return subprocess.run(
        [sys.executable, "-m", "secscan", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=cwd,
    )


def test_a_fifo_on_the_command_line_and_in_a_folder_is_skipped_at_once(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "doc.txt").write_text(PLAIN, encoding="utf-8")
    done = secscan("scan", "--timeout", "600", str(tmp_path / "pipe"), str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("a named pipe (FIFO); not read") == 1  # given twice, listed once
    assert "2 files scanned, 0 flagged, 1 clean, 0 could not be read, 1 skipped." in done.stdout


def test_escape_sequences_in_names_and_text_never_reach_the_terminal(tmp_path: Path) -> None:
    (tmp_path / f"evil{TITLE}{RLO}gpj.exe.txt").write_text(f"{SECRET}\x1b[2J\x9b31m", encoding="utf-8")
    (tmp_path / f"b{TITLE}.txt").write_text(PLAIN, encoding="utf-8")
    runs = [
        secscan("scan", str(tmp_path)),
        secscan("scan", "-v", "--show-suppressed", str(tmp_path)),
        secscan("scan", "-q", str(tmp_path)),
        secscan("scan", "-f", "csv", str(tmp_path)),
        secscan("scan", str(tmp_path / f"missing{TITLE}.txt")),
        secscan("baseline", "--max-file-size", "1", "-o", str(tmp_path / "b.json"), str(tmp_path)),
    ]
    for done in runs:
        leaked = [c for c in RAW if c in done.stdout or c in done.stderr]
        assert leaked == [], (done.args, leaked)
    assert "evil\\x1b]0;pwned\\x07\\u202egpj.exe.txt" in runs[0].stdout
    assert "missing\\x1b]0;pwned\\x07.txt" in runs[4].stderr and runs[4].returncode == 2
    assert "could not read" in runs[5].stderr and "\\x1b]0;pwned\\x07" in runs[5].stderr


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A zip (one marked member, one clean), a tar.gz (one marked member), one plain file."""
    folder = tmp_path / "share"
    folder.mkdir()
    with zipfile.ZipFile(folder / "pack.zip", "w") as archive:
        archive.writestr("notice.txt", SECRET)
        archive.writestr("minutes.txt", PLAIN)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        data = SECRET.encode("utf-8")
        info = tarfile.TarInfo("docs/notice.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    (folder / "bundle.tar.gz").write_bytes(gzip.compress(buffer.getvalue(), mtime=0))
    (folder / "minutes.txt").write_text(PLAIN, encoding="utf-8")
    return folder


def scan_mixed(folder: Path, fmt: str, *extra: str) -> str:
    # The folder, the folder again and one file inside it: each file must be counted once.
    done = secscan("scan", "-f", fmt, *extra, str(folder), str(folder), str(folder / "minutes.txt"))
    assert done.returncode == 1, done.stderr
    return done.stdout


def check_summary(summary: dict[str, Any], paths: list[str]) -> None:
    assert len(paths) == len(set(paths)), "a file was scanned twice"
    assert (summary["files"], summary["flagged"], summary["clean"]) == (3, 2, 1)
    assert summary["files"] == summary["flagged"] + summary["clean"] + summary["errors"] + summary["skipped"]
    members = [p for p in paths if "!" in p]
    assert summary["members"] == len(members) == 3
    parts = ("member_flagged", "member_clean", "member_errors", "member_skipped")
    assert summary["members"] == sum(summary[k] for k in parts)
    assert summary["files"] + summary["members"] == len(paths)


def test_counts_add_up_in_json_and_members_of_a_tarball_are_named_plainly(mixed: Path) -> None:
    report = json.loads(scan_mixed(mixed, "json"))
    paths = [f["path"] for f in report["files"]]
    check_summary(report["summary"], paths)
    assert str(mixed / "bundle.tar.gz!docs/notice.txt") in paths
    assert not [p for p in paths if "(decompressed)" in p]


def test_counts_add_up_in_jsonl_and_sarif(mixed: Path) -> None:
    lines = [json.loads(line) for line in scan_mixed(mixed, "jsonl").splitlines()]
    check_summary(lines[-1]["summary"], [entry["path"] for entry in lines[:-1]])
    sarif = json.loads(scan_mixed(mixed, "sarif"))
    run = sarif["runs"][0]
    assert run["properties"]["summary"]["files"] == 3 and run["properties"]["summary"]["members"] == 3


def test_counts_add_up_in_csv(mixed: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(scan_mixed(mixed, "csv")[1:], newline="")))
    given = {r["file"] for r in rows if not r["member"]}
    assert given == {str(mixed / name) for name in ("pack.zip", "bundle.tar.gz", "minutes.txt")}
    assert len({r["path"] for r in rows if r["member"]}) == 3


def test_counts_add_up_in_text_and_html(mixed: Path) -> None:
    plain = scan_mixed(mixed, "text")
    assert "3 files scanned, 2 flagged (highest: secret), 1 clean, 0 could not be read." in plain
    assert "3 members (archive entries, attachments, embedded files) were read: 2 flagged, 1 clean." in plain
    coloured = scan_mixed(mixed, "text", "--color")
    total = next(line for line in coloured.splitlines() if "total" in line)
    assert total.split()[-1] == "2"
    page = scan_mixed(mixed, "html")
    assert "<p>3 files: 2 flagged, 1 clean, 0 could not be read, 0 skipped;" in page
    assert "<tfoot><tr><th>total</th><td>2</td>" in page


@pytest.mark.parametrize(
    "fail_on, code",
    [("机密", 0), ("機密", 0), ("秘密", 1), ("内部", 1), ("工作秘密", 1), ("绝密", 0), ("secret", 0)],
)
def test_fail_on_takes_chinese_level_names(tmp_path: Path, fail_on: str, code: int) -> None:
    (tmp_path / "notice.txt").write_text(CONFIDENTIAL, encoding="utf-8")
    done = secscan("scan", "-q", "--fail-on", fail_on, str(tmp_path))
    assert done.returncode == code, done.stdout + done.stderr


def test_fail_on_in_a_config_file_and_in_help(tmp_path: Path) -> None:
    (tmp_path / "notice.txt").write_text(CONFIDENTIAL, encoding="utf-8")
    (tmp_path / ".secscan.toml").write_text('fail-on = "机密"\n', encoding="utf-8")
    assert secscan("scan", "-q", "notice.txt", cwd=tmp_path).returncode == 0
    wrong = secscan("scan", "--fail-on", "高", str(tmp_path))
    assert wrong.returncode == 2 and "机密" in wrong.stderr
    helped = secscan("scan", "--help").stdout
    assert "top-secret" in helped and "机密" in helped and "工作秘密" in helped
