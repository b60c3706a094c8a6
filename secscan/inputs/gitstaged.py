"""`secscan scan --staged`: scan what is about to be committed, not the working copy.

The staged content of a file can differ from the file on disk (``git add -p``,
an edit after ``git add``), and only the staged content leaves in the commit.
So the blobs are read from the index: ``git diff --cached --name-only -z
--diff-filter=ACMR`` names the added, copied, modified and renamed paths,
``git ls-files --stage -z`` gives their blob ids, and one ``git cat-file
--batch`` process streams the blobs (one process, not one ``git show`` per
file, and safe for any file name). Each blob is written to a private temporary
folder under its own file name, then scanned like any file and reported under
its path in the repository (relative to the top of the work tree).

A staged Git LFS pointer is replaced by the object it points to, which
``git add`` has already stored under ``.git/lfs/objects``: documents are what
LFS usually holds. If that object is missing the file is an error, never clean.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from secscan.inputs.walk import WalkEntry, special_file

_REGULAR_MODES = ("100644", "100755", "100664")  # 100664: what very old git wrote for group-writable files
_LFS_POINTER = re.compile(
    rb"^version https://git-lfs\.github\.com/spec/v1\noid sha256:([0-9a-f]{64})\nsize (\d+)\n"
)


class StagedError(Exception):
    """The staged files cannot be listed (not a git repository, git missing)."""


@contextmanager
def staged_entries(max_file_size: int, cwd: str | None = None) -> Iterator[tuple[Path, list[WalkEntry]]]:
    """The top of the work tree and one WalkEntry per staged file; temporary copies live until exit."""
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).decode("utf-8", "surrogateescape").strip())
    names = [
        n
        for n in _git(["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR"], top).split(b"\0")
        if n
    ]
    index = _index(top, set(names))
    with tempfile.TemporaryDirectory(prefix="secscan-staged-") as tmp:
        entries: list[WalkEntry] = []
        to_read: list[tuple[int, str, str]] = []
        for number, raw in enumerate(names):
            display = os.fsdecode(raw)
            mode, blob = index.get(raw, ("", ""))
            if mode == "120000":
                entries.append(
                    WalkEntry(display, top / display, skip="symbolic link (the link, not its target)")
                )
            elif mode == "160000":
                entries.append(
                    WalkEntry(display, top / display, skip="submodule (scan it in its own repository)")
                )
            elif not blob:
                entries.append(
                    WalkEntry(display, top / display, problem="staged, but not found in the index")
                )
            elif mode not in _REGULAR_MODES:
                # Git stages no pipes or devices today; anything else is passed over, never read.
                entries.append(
                    WalkEntry(display, top / display, skip=f"not a regular file in the index (mode {mode})")
                )
            else:
                entries.append(WalkEntry(display, Path(tmp, str(number), os.path.basename(display))))
                to_read.append((number, blob, display))
        _materialise(top, to_read, entries, max_file_size)
        yield top, entries


def _git(args: list[str], cwd: str | Path | None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise StagedError("scanning the staged files needs git, and git is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise StagedError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout


def _index(top: Path, wanted: set[bytes]) -> dict[bytes, tuple[str, str]]:
    """path -> (mode, blob id) for the staged paths, stage 0 only."""
    found: dict[bytes, tuple[str, str]] = {}
    for record in _git(["ls-files", "--stage", "-z"], top).split(b"\0"):
        meta, _, path = record.partition(b"\t")
        fields = meta.split()
        if path in wanted and len(fields) == 3 and fields[2] == b"0":
            found[path] = (fields[0].decode(), fields[1].decode())
    return found


def _materialise(
    top: Path, to_read: list[tuple[int, str, str]], entries: list[WalkEntry], max_file_size: int
) -> None:
    if not to_read:
        return
    lfs = Path(_git(["rev-parse", "--git-common-dir"], top).decode().strip())
    lfs = (lfs if lfs.is_absolute() else top / lfs) / "lfs" / "objects"
    with subprocess.Popen(
        ["git", "cat-file", "--batch"], cwd=top, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as git:
        assert git.stdin is not None and git.stdout is not None
        for number, blob, display in to_read:
            git.stdin.write(blob.encode() + b"\n")
            git.stdin.flush()
            data = _read_object(git.stdout, max_file_size)
            problem = None
            if data is None:
                problem = f"over a limit: staged file is above the file size limit ({max_file_size:,} bytes)"
            else:
                data, problem = _resolve_lfs(data, lfs, max_file_size)
            if problem is not None:
                entries[number] = WalkEntry(display, top / display, problem=problem)
                continue
            target = entries[number].path
            target.parent.mkdir(mode=0o700)
            target.write_bytes(data or b"")
        git.stdin.close()


def _read_object(stdout: IO[bytes], max_file_size: int) -> bytes | None:
    """One object from ``cat-file --batch``; None (and the bytes skipped) when over the size limit."""
    header = stdout.readline().split()
    if len(header) != 3:
        raise StagedError(f"unexpected reply from git cat-file: {b' '.join(header)!r}")
    size = int(header[2])
    if size > max_file_size:
        while size > 0:
            size -= len(stdout.read(min(size, 1 << 20)))
        stdout.read(1)
        return None
    data = stdout.read(size)
    stdout.read(1)  # the newline after each object
    return data


def _resolve_lfs(data: bytes, lfs: Path, max_file_size: int) -> tuple[bytes | None, str | None]:
    pointer = _LFS_POINTER.match(data) if len(data) < 1024 else None
    if pointer is None:
        return data, None
    oid, size = pointer.group(1).decode(), int(pointer.group(2))
    if size > max_file_size:
        return (
            None,
            f"over a limit: Git LFS object is {size:,} bytes, "
            f"above the file size limit ({max_file_size:,} bytes)",
        )
    target = lfs / oid[:2] / oid[2:4] / oid
    try:
        special = special_file(target.stat().st_mode)  # a pipe planted in .git must not hang the hook
        if special is not None:
            return None, f"Git LFS object {oid[:12]}… is {special}"
        return target.read_bytes(), None
    except OSError:
        return None, f"Git LFS object {oid[:12]}… is not in .git/lfs/objects; its content was not inspected"
