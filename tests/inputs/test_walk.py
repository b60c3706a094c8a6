"""The walk: deterministic order, no symlink loops, special files passed over."""

from __future__ import annotations

import os
from pathlib import Path

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
    assert by_name["pipe"].skip is not None and "regular file" in by_name["pipe"].skip


def test_excluded_prunes_folders(tmp_path: Path) -> None:
    _tree(tmp_path)
    entries = list(walk([str(tmp_path)], excluded=lambda path, is_dir: is_dir and path.name == "b"))
    assert sorted(Path(e.display).name for e in entries) == ["top.txt", "z.txt"]
