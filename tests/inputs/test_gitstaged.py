"""The staged files (`--staged`): only blobs from the index are read, never a pipe planted beside them."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from secscan.inputs.gitstaged import staged_entries

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)


def lfs_pointer(content: bytes) -> tuple[str, bytes]:
    oid = hashlib.sha256(content).hexdigest()
    pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(content)}\n"
    return oid, pointer.encode()


def test_an_lfs_object_that_is_a_fifo_is_an_error_not_a_hang(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    oid, pointer = lfs_pointer(b"the real document")
    (tmp_path / "doc.pdf").write_bytes(pointer)
    (tmp_path / "plain.txt").write_text("x")
    git(tmp_path, "add", "doc.pdf", "plain.txt")
    objects = tmp_path / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4]
    objects.mkdir(parents=True)
    os.mkfifo(objects / oid)
    with staged_entries(1 << 20, cwd=str(tmp_path)) as (_top, entries):
        by_name = {e.display: e for e in entries}
        assert by_name["doc.pdf"].problem is not None
        assert "a named pipe (FIFO); not read" in by_name["doc.pdf"].problem
        assert by_name["plain.txt"].problem is None and by_name["plain.txt"].path.read_text() == "x"
