"""`secscan scan` as its users run it: exit codes, formats, stdin, output files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from locations import REPO

pytestmark = pytest.mark.slow  # subprocesses, OCR models or the shared corpus: run with -m slow

ROOT = REPO
SCHEMA = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
FILE_SCHEMA = {**SCHEMA["$defs"]["FileEntry"], "$defs": SCHEMA["$defs"]}
SUMMARY_SCHEMA = {**SCHEMA["$defs"]["Summary"], "$defs": SCHEMA["$defs"]}

MARKED = "000123\n机密★5年\n特急\n\n关于加强安全管理工作的通知\n各单位：\n现将有关事项通知如下。\n"
MENTION = "各单位要切实增强保守国家秘密的意识，严防泄露国家秘密。\n保守国家秘密是每个公民的义务。\n"


def secscan(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "secscan", *args],
        input=stdin.decode("utf-8") if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def report(*args: str) -> tuple[int, dict[str, Any]]:
    done = secscan("scan", "-f", "json", *args)
    data = json.loads(done.stdout)
    jsonschema.validate(data, SCHEMA)
    return done.returncode, data


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "notice.txt").write_bytes(MARKED.encode("gb18030"))
    (tmp_path / "mention.txt").write_text(MENTION, encoding="utf-8")
    return tmp_path


def test_marked_file_exits_1_and_says_where(folder: Path) -> None:
    code, data = report(str(folder / "notice.txt"))
    assert code == 1
    (entry,) = data["files"]
    assert entry["status"] == "flagged" and entry["level"] == "secret"
    finding = next(f for f in entry["findings"] if f["level"] == "secret")
    assert finding["match"].startswith("机密★5年")
    assert finding["location"]["line"] == 2 and finding["location"]["part"] == "body"
    assert data["summary"] == {**data["summary"], "files": 1, "flagged": 1, "errors": 0, "highest": "secret"}


def test_a_mention_is_clean_and_exits_0(folder: Path) -> None:
    code, data = report(str(folder / "mention.txt"))
    assert code == 0
    assert data["files"][0]["status"] == "clean" and data["files"][0]["findings"] == []


def test_folder_is_walked_in_order_and_fail_on_moves_the_gate(folder: Path) -> None:
    code, data = report("--fail-on", "top-secret", str(folder))
    assert code == 0
    assert [Path(f["path"]).name for f in data["files"]] == ["mention.txt", "notice.txt"]
    assert data["summary"]["highest"] == "secret"
    assert report("--fail-on", "never", str(folder))[0] == 0
    assert report("--fail-on", "secret", str(folder))[0] == 1


def test_missing_path_is_a_command_line_error(tmp_path: Path) -> None:
    done = secscan("scan", str(tmp_path / "nope.docx"))
    assert done.returncode == 2
    assert "no such file or folder" in done.stderr


def test_standard_input(folder: Path) -> None:
    done = secscan("scan", "-f", "json", "-", stdin=MARKED.encode("utf-8"))
    assert done.returncode == 1
    assert json.loads(done.stdout)["files"][0]["path"] == "-"


def test_unreadable_file_exits_2_and_is_never_clean(folder: Path) -> None:
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a pdf")
    code, data = report(str(folder / "broken.pdf"), str(folder / "mention.txt"))
    assert code == 2
    broken = data["files"][0]
    assert broken["status"] == "error" and broken["error"]
    # A marking elsewhere still wins: exit 1 says "blocked", the error is still listed.
    code, data = report(str(folder))
    assert code == 1 and data["summary"]["errors"] == 1


def test_unknown_binary_is_skipped_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 4)
    code, data = report(str(tmp_path))
    assert code == 0
    assert data["files"][0]["status"] == "skipped" and "not inspected" in data["files"][0]["error"]


def test_jsonl_streams_entries_then_summary(folder: Path) -> None:
    done = secscan("scan", "-f", "jsonl", str(folder))
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    for entry in lines[:-1]:
        jsonschema.validate(entry, FILE_SCHEMA)
    jsonschema.validate(lines[-1]["summary"], SUMMARY_SCHEMA)
    assert lines[-1]["summary"]["files"] == 2 and done.returncode == 1


def test_output_file_and_plain_text_report(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    done = secscan("scan", "-o", str(out), str(folder))
    assert done.returncode == 1 and done.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "机密★5年" in text and "notice.txt" in text and "\x1b[" not in text
    assert "Blocked" in text


def test_redact_hides_the_marking(folder: Path) -> None:
    done = secscan("scan", "--redact", "-f", "json", str(folder / "notice.txt"))
    assert "机密" not in done.stdout and "cn." in done.stdout


def test_help_teaches_exit_codes() -> None:
    done = secscan("scan", "--help")
    assert done.returncode == 0
    assert "Exit codes" in done.stdout and "--fail-on" in done.stdout


def test_a_limit_message_names_the_flag_that_sets_it(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(MARKED * 20, encoding="utf-8")
    code, data = report("--max-file-size", "100", str(big))
    assert code == 2
    assert data["files"][0]["error"].endswith("above the file size limit (100 bytes; --max-file-size)")


def test_standard_input_is_held_to_the_file_size_limit() -> None:
    done = secscan("scan", "-f", "json", "--max-file-size", "50", "-", stdin=MARKED.encode() * 5)
    assert done.returncode == 2
    assert "file size limit (50 bytes; --max-file-size)" in json.loads(done.stdout)["files"][0]["error"]


def test_baseline_takes_the_same_reading_options_as_scan(tmp_path: Path) -> None:
    marked = tmp_path / "marked.txt"
    marked.write_text(MARKED * 20, encoding="utf-8")
    done = secscan("baseline", "-o", str(tmp_path / "b.json"), "--max-file-size", "100", str(marked))
    assert done.returncode == 2
    assert "file size limit (100 bytes; --max-file-size)" in done.stderr
