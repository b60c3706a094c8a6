"""The walk: deterministic order, no symlink loops, special files passed over."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from secscan.inputs.walk import walk


def _tree(root: Path) -> None:
    (root / "b").mkdir()
    (root / "a").mkdir()
    (root / "b" / "2.txt").write_text("x")
    (root / "b" / "1.txt").write_text("x")
    (root / "a" / "z.txt").write_text("x")
    (root / "top.txt").write_text("x")


def test_walk_is_sorted_and_keeps_the_users_prefix(tmp_path: Path) -> None:
    _tree(tmp_path)
    shown = [e.display for e in walk([str(tmp_path)])]
    rel = [os.path.relpath(p, tmp_path) for p in shown]
    assert rel == ["a/z.txt", "b/1.txt", "b/2.txt", "top.txt"]
    assert all(p.startswith(str(tmp_path)) for p in shown)


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)
    plain = list(walk([str(tmp_path)]))
    assert len(plain) == 4  # the link is not followed by default
    followed = list(walk([str(tmp_path)], follow_symlinks=True))
    assert len(followed) == 4  # followed, but each folder is visited once


def test_a_named_symlink_is_reported_as_skipped(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text("x")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    (entry,) = walk([str(link)])
    assert entry.skip is not None and "symbolic link" in entry.skip


def test_fifo_is_skipped_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "doc.txt").write_text("x")
    entries = list(walk([str(tmp_path)]))
    by_name = {Path(e.display).name: e for e in entries}
    assert by_name["doc.txt"].skip is None
    assert by_name["pipe"].skip == "a named pipe (FIFO); not read"


def test_excluded_prunes_folders(tmp_path: Path) -> None:
    _tree(tmp_path)
    entries = list(walk([str(tmp_path)], excluded=lambda path, is_dir: is_dir and path.name == "b"))
    assert sorted(Path(e.display).name for e in entries) == ["top.txt", "z.txt"]


def test_a_fifo_named_on_the_command_line_is_skipped_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (entry,) = walk([str(tmp_path / "pipe")])
    assert entry.skip == "a named pipe (FIFO); not read"


def test_a_followed_link_to_a_fifo_is_skipped(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.mkfifo(elsewhere / "pipe")
    scanned = tmp_path / "scanned"
    scanned.mkdir()
    (scanned / "looks-like.txt").symlink_to(elsewhere / "pipe")
    (entry,) = walk([str(scanned)], follow_symlinks=True)
    assert entry.skip == "a named pipe (FIFO); not read"
    (named,) = walk([str(scanned / "looks-like.txt")], follow_symlinks=True)
    assert named.skip == "a named pipe (FIFO); not read"


def test_a_socket_and_a_device_are_skipped(tmp_path: Path) -> None:
    import socket

    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(tmp_path / "sock"))
        by_name = {Path(e.display).name: e.skip for e in walk([str(tmp_path), "/dev/null"])}
    finally:
        listener.close()
    assert by_name == {"sock": "a socket; not read", "null": "a character device; not read"}


@pytest.mark.parametrize(
    "given, listed",
    [
        (["{d}", "{d}"], ["{d}/a.txt", "{d}/sub/b.txt"]),
        (["{d}", "{d}/a.txt"], ["{d}/a.txt", "{d}/sub/b.txt"]),
        (["{d}/a.txt", "{d}"], ["{d}/a.txt", "{d}/sub/b.txt"]),
        (["{d}/a.txt", "{d}/./a.txt", "{d}/../d/a.txt"], ["{d}/a.txt"]),
        (["{d}/sub", "{d}"], ["{d}/sub/b.txt", "{d}/a.txt"]),
    ],
)
def test_a_file_reached_twice_is_listed_once_under_its_first_name(
    tmp_path: Path, given: list[str], listed: list[str]
) -> None:
    folder = tmp_path / "d"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("x")
    (folder / "sub" / "b.txt").write_text("x")
    shown = [e.display for e in walk([g.format(d=folder) for g in given])]
    assert shown == [path.format(d=folder) for path in listed]


def test_a_followed_link_to_a_listed_file_is_listed_once_but_hard_links_stay(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b-link.txt").symlink_to(tmp_path / "a.txt")
    os.link(tmp_path / "a.txt", tmp_path / "c-hard.txt")
    names = [Path(e.display).name for e in walk([str(tmp_path)], follow_symlinks=True)]
    assert names == ["a.txt", "c-hard.txt"]


def test_a_fifo_named_like_an_ignore_file_is_not_opened(tmp_path: Path) -> None:
    from secscan.inputs.ignore import IGNORE_FILE, Ignorer

    os.mkfifo(tmp_path / IGNORE_FILE)
    (tmp_path / "doc.txt").write_text("x")
    ignorer = Ignorer([str(tmp_path)])
    names = [Path(e.display).name for e in walk([str(tmp_path)], excluded=ignorer)]
    assert names == [".secscanignore", "doc.txt"]


def test_a_followed_link_to_nothing_is_skipped_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    (entry,) = walk([str(tmp_path)], follow_symlinks=True)
    assert entry.skip == "a symbolic link to nothing (its target is missing); not read"
