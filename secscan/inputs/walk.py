"""Turn the paths a user gave into the files to scan, in a deterministic order.

Symlinks are not followed unless asked (a link loop must never hang a scan),
and a followed directory link is visited once. The walk only lists paths; it
never opens, writes or re-times anything.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WalkEntry:
    """A file to scan, or a path the walk could not use (``problem``) or passed over (``skip``)."""

    display: str  # the path as the user gave it, joined with the walked part
    path: Path
    problem: str | None = None
    skip: str | None = None
    data: bytes | None = None  # content already read (standard input): scanned as is, through the runner


def walk(
    roots: list[str],
    follow_symlinks: bool = False,
    excluded: Callable[[Path, bool], bool] | None = None,
) -> Iterator[WalkEntry]:
    """Yield every file under ``roots``; ``excluded(path, is_dir)`` prunes paths."""
    for root in roots:
        path = Path(root)
        if path.is_dir() and not (path.is_symlink() and not follow_symlinks):
            yield from _walk_dir(root, path, follow_symlinks, excluded, set())
        elif path.is_symlink() and not follow_symlinks:
            yield WalkEntry(root, path, skip="symbolic link not followed")
        else:
            yield WalkEntry(root, path)


def _walk_dir(
    display: str,
    directory: Path,
    follow_symlinks: bool,
    excluded: Callable[[Path, bool], bool] | None,
    seen: set[tuple[int, int]],
) -> Iterator[WalkEntry]:
    try:
        stat = directory.stat()
        key = (stat.st_dev, stat.st_ino)
        if key in seen:
            return
        seen.add(key)
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
        if is_dir:
            yield from _walk_dir(child_display, child, follow_symlinks, excluded, seen)
        elif entry.is_file(follow_symlinks=follow_symlinks):
            yield WalkEntry(child_display, child)
        else:
            yield WalkEntry(child_display, child, skip="not a regular file (device, pipe or socket)")
