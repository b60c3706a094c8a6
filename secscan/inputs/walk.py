"""Turn the paths a user gave into the files to scan, in a deterministic order.

Symlinks are not followed unless asked (a link loop must never hang a scan),
and a followed directory link is visited once. The walk only lists paths; it
never opens, writes or re-times anything.

Only regular files become entries to read. A named pipe, a socket or a device,
whether named on the command line, met in a folder or reached through a
followed link, is reported ``skipped`` with what it is: opening a FIFO blocks
until a writer appears, and reading a device (``/dev/zero``) never ends. The
kind comes from ``stat``, which never opens the path.

A file reached twice (the same path given twice, ``docs`` and ``docs/a.pdf``, a
followed link to a file already listed) is listed once, under the first name
it was reached by: a report whose counts include a file twice does not add up.
Files are told apart by their real path, so two hard links stay two entries.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

_SPECIAL = (
    (stat.S_ISFIFO, "a named pipe (FIFO); not read"),
    (stat.S_ISSOCK, "a socket; not read"),
    (stat.S_ISBLK, "a block device; not read"),
    (stat.S_ISCHR, "a character device; not read"),
)


@dataclass(frozen=True)
class WalkEntry:
    """A file to scan, or a path the walk could not use (``problem``) or passed over (``skip``)."""

    display: str  # the path as the user gave it, joined with the walked part
    path: Path
    problem: str | None = None
    skip: str | None = None
    data: bytes | None = None  # content already read (standard input): scanned as is, through the runner


@dataclass
class _Seen:
    """What one walk has listed already, across all the roots it was given."""

    folders: set[tuple[int, int]] = field(default_factory=set)
    files: set[str] = field(default_factory=set)

    def first_time(self, identity: str) -> bool:
        if identity in self.files:
            return False
        self.files.add(identity)
        return True


def walk(
    roots: list[str],
    follow_symlinks: bool = False,
    excluded: Callable[[Path, bool], bool] | None = None,
) -> Iterator[WalkEntry]:
    """Yield every file under ``roots`` once; ``excluded(path, is_dir)`` prunes paths."""
    seen = _Seen()
    for root in roots:
        path = Path(root)
        if path.is_dir() and not (path.is_symlink() and not follow_symlinks):
            real = os.path.realpath(root)
            yield from _walk_dir(root, path, real, follow_symlinks, excluded, seen)
        elif path.is_symlink() and not follow_symlinks:
            parent = os.path.realpath(os.path.dirname(os.path.abspath(root)))
            if seen.first_time(os.path.join(parent, path.name)):
                yield WalkEntry(root, path, skip="symbolic link not followed")
        elif seen.first_time(os.path.realpath(root)):
            yield _file_entry(root, path)


def special_file(mode: int) -> str | None:
    """Why a path of this ``st_mode`` is not read (pipe, socket, device), or None for a regular file."""
    for test, reason in _SPECIAL:
        if test(mode):
            return reason
    return None if stat.S_ISREG(mode) else "not a regular file; not read"


def _file_entry(display: str, path: Path) -> WalkEntry:
    """An entry for a path that is not a folder: skipped when it is a pipe, socket or device."""
    try:
        mode = path.stat().st_mode  # follows a link: what would be opened is what counts
    except FileNotFoundError:
        if path.is_symlink():  # a followed link whose target is gone: there is nothing to read
            return WalkEntry(
                display, path, skip="a symbolic link to nothing (its target is missing); not read"
            )
        return WalkEntry(display, path)
    except OSError:
        return WalkEntry(display, path)  # the reader reports why it cannot be read
    reason = special_file(mode)
    return WalkEntry(display, path, skip=reason) if reason else WalkEntry(display, path)


def _walk_dir(
    display: str,
    directory: Path,
    real: str,
    follow_symlinks: bool,
    excluded: Callable[[Path, bool], bool] | None,
    seen: _Seen,
) -> Iterator[WalkEntry]:
    try:
        info = directory.stat()
        key = (info.st_dev, info.st_ino)
        if key in seen.folders:
            return
        seen.folders.add(key)
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as exc:
        yield WalkEntry(display, directory, f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        child = Path(entry.path)
        child_display = os.path.join(display, entry.name)
        is_link = entry.is_symlink()
        if is_link and not follow_symlinks:
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=follow_symlinks)
        except OSError:
            is_dir = False
        if excluded is not None and excluded(child, is_dir):
            continue
        # One realpath per folder, not per file: a child that is no link sits in its folder's real path.
        child_real = os.path.realpath(child) if is_link else os.path.join(real, entry.name)
        if is_dir:
            yield from _walk_dir(child_display, child, child_real, follow_symlinks, excluded, seen)
        elif not seen.first_time(child_real):
            continue
        elif entry.is_file(follow_symlinks=follow_symlinks):  # from the folder listing: no stat
            yield WalkEntry(child_display, child)
        else:
            yield _file_entry(child_display, child)
