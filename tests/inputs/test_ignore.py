"""Excludes and .secscanignore, through the same walk the scanner uses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from secscan.inputs.ignore import Ignorer
from secscan.inputs.walk import walk


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    for name in [
        "a.txt", "a.log", "keep.log", "build/out.txt", "docs/notice.txt", "docs/old/x.txt",
        "docs/sub/deep.log", "vendor/lib/readme.txt", "top.txt", "docs/top.txt",
    ]:  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()  # the top of the tree, as in a repository
    return tmp_path


def scanned(root: Path, ignorer: Ignorer) -> set[str]:
    return {Path(e.display).relative_to(root).as_posix() for e in walk([str(root)], excluded=ignorer)}


def test_secscanignore_in_gitignore_syntax(tree: Path) -> None:
    (tree / ".secscanignore").write_text("# logs\n*.log\n!keep.log\nbuild/\n/top.txt\ndocs/old/\n", "utf-8")
    ignorer = Ignorer([str(tree)])
    files = scanned(tree, ignorer)
    assert "a.log" not in files and "docs/sub/deep.log" not in files
    assert "keep.log" in files  # re-included by a negation
    assert not any(f.startswith("build/") or f.startswith("docs/old/") for f in files)
    assert "top.txt" not in files and "docs/top.txt" in files  # a leading slash anchors
    assert "a.txt" in files and "docs/notice.txt" in files


def test_reasons_name_the_file_line_and_pattern(tree: Path) -> None:
    (tree / ".secscanignore").write_text("# comment\n\n*.log\n", "utf-8")
    ignorer = Ignorer([str(tree)])
    scanned(tree, ignorer)
    reasons = dict(ignorer.excluded)
    assert reasons[str(tree / "a.log")].endswith(".secscanignore:3 (*.log)")


def test_deeper_ignore_file_overrides_and_applies_below_itself(tree: Path) -> None:
    (tree / ".secscanignore").write_text("*.log\n", "utf-8")
    (tree / "docs" / ".secscanignore").write_text("!deep.log\nnotice.txt\n", "utf-8")
    files = scanned(tree, Ignorer([str(tree)]))
    assert "docs/sub/deep.log" in files and "a.log" not in files
    assert "docs/notice.txt" not in files and "a.txt" in files


def test_parent_ignore_file_applies_up_to_the_repository_top(tree: Path) -> None:
    (tree / ".secscanignore").write_text("old/\n", "utf-8")
    files = {Path(e.display).name for e in walk([str(tree / "docs")], excluded=Ignorer([str(tree / "docs")]))}
    assert "x.txt" not in files and "notice.txt" in files


def test_exclude_globs_are_relative_to_the_current_folder(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    ignorer = Ignorer(["."], excludes=["docs/", "*.log"])
    files = {os.path.normpath(e.display) for e in walk(["."], excluded=ignorer)}
    assert "a.txt" in files and "docs/notice.txt" not in files and "keep.log" not in files
    assert dict(ignorer.excluded)[str(Path("docs"))] == "command-line excludes docs/"


def test_exclude_globs_also_work_for_a_tree_outside_the_current_folder(
    tree: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    files = scanned(tree, Ignorer([str(tree)], excludes=["vendor/", "*.log"]))
    assert "a.txt" in files and not any(f.startswith("vendor/") or f.endswith(".log") for f in files)


def test_config_excludes_are_relative_to_the_config_folder(tree: Path) -> None:
    ignorer = Ignorer([str(tree)], config_excludes=["/docs/sub/"], config_dir=tree)
    files = scanned(tree, ignorer)
    assert "docs/sub/deep.log" not in files and "docs/notice.txt" in files


def test_command_line_exclude_wins_over_an_ignore_file_negation(tree: Path) -> None:
    (tree / ".secscanignore").write_text("!a.txt\n", "utf-8")
    assert "a.txt" not in scanned(tree, Ignorer([str(tree)], excludes=["a.txt"]))


def test_files_named_on_the_command_line_are_excluded_too(tree: Path) -> None:
    # A pre-commit hook names every file it passes; the ignore file must still hold.
    (tree / ".secscanignore").write_text("build/\n*.log\n", "utf-8")
    ignorer = Ignorer([str(tree / "build" / "out.txt"), str(tree / "a.log"), str(tree / "a.txt")])
    assert ignorer(tree / "build" / "out.txt", False)
    assert ignorer(tree / "a.log", False)
    assert not ignorer(tree / "a.txt", False)


def test_always_excluded_paths_carry_their_reason(tree: Path) -> None:
    ignorer = Ignorer([str(tree)], always=[(str(tree / "a.txt"), "the baseline file itself")])
    assert "a.txt" not in scanned(tree, ignorer)
    assert dict(ignorer.excluded)[str(tree / "a.txt")] == "the baseline file itself"


def test_ignore_files_can_be_turned_off(tree: Path) -> None:
    (tree / ".secscanignore").write_text("*.txt\n", "utf-8")
    assert "a.txt" in scanned(tree, Ignorer([str(tree)], use_ignore_files=False))
    assert "a.txt" not in scanned(tree, Ignorer([str(tree)]))


def test_version_control_folders_are_not_walked(tree: Path) -> None:
    (tree / ".git" / "objects").mkdir()
    (tree / ".git" / "objects" / "ab").write_bytes(b"x\x9c")
    ignorer = Ignorer([str(tree)])
    assert not any(f.startswith(".git/") for f in scanned(tree, ignorer))
    assert dict(ignorer.excluded)[str(tree / ".git")] == "built-in exclude .git"


def test_other_version_control_folders_are_excluded_but_a_file_of_that_name_is_read(tree: Path) -> None:
    (tree / "sub" / ".svn").mkdir(parents=True)
    (tree / "sub" / ".svn" / "entries").write_text("12\n", "utf-8")
    (tree / ".hg").write_text("a file, not Mercurial's folder\n", "utf-8")
    (tree / "sub" / "worktree").mkdir()
    (tree / "sub" / "worktree" / ".git").write_text("gitdir: ../../.git/worktrees/x\n", "utf-8")
    ignorer = Ignorer([str(tree)])
    found = scanned(tree, ignorer)
    assert ".hg" in found
    assert not any(".svn" in f or f.endswith("/.git") for f in found)
    assert dict(ignorer.excluded)[str(tree / "sub" / ".svn")] == "built-in exclude .svn/"


def test_standard_input_among_the_roots_is_ignored(tree: Path) -> None:
    (tree / ".secscanignore").write_text("*.log\n", "utf-8")
    ignorer = Ignorer(["-", str(tree)])
    assert ignorer(tree / "a.log", False) and not ignorer(tree / "a.txt", False)
