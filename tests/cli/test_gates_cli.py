"""The gates as their users run them: a git pre-commit hook, config files, excludes, baselines.

Every test drives the installed command line (``python -m secscan``) in a
temporary folder or git repository, as a hook or a CI step would.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from locations import REPO

pytestmark = pytest.mark.slow  # subprocesses, OCR models or the shared corpus: run with -m slow

ROOT = REPO
MARKED = "机密★5年\n关于加强安全管理工作的通知\n各单位：\n"
CLEAN = "关于召开年度工作会议的通知\n各单位：\n"
SECSCAN = f"{shlex.quote(sys.executable)} -m secscan"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def secscan(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "secscan", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose pre-commit hook is the one docs/gates.md shows."""
    work = tmp_path / "repo"
    work.mkdir()
    assert git(work, "init", "-q").returncode == 0
    hook = work / ".git" / "hooks" / "pre-commit"
    hook.write_text(f"#!/bin/sh\nexec {SECSCAN} scan --quiet --staged\n", encoding="utf-8")
    hook.chmod(0o755)
    return work


def commits(repo: Path) -> int:
    done = git(repo, "rev-list", "--count", "HEAD")
    return int(done.stdout) if done.returncode == 0 else 0


@needs_git
def test_the_hook_blocks_a_marked_file_and_lets_a_clean_one_through(repo: Path) -> None:
    (repo / "agenda.txt").write_text(CLEAN, encoding="utf-8")
    git(repo, "add", "agenda.txt")
    assert git(repo, "commit", "-qm", "agenda").returncode == 0
    assert commits(repo) == 1

    (repo / "notice.txt").write_text(MARKED, encoding="utf-8")
    git(repo, "add", "notice.txt")
    blocked = git(repo, "commit", "-qm", "notice")
    assert blocked.returncode != 0
    assert "notice.txt" in blocked.stdout + blocked.stderr
    assert commits(repo) == 1


@needs_git
def test_the_hook_reads_the_staged_blob_not_the_working_copy(repo: Path) -> None:
    (repo / "notice.txt").write_text(MARKED, encoding="utf-8")
    git(repo, "add", "notice.txt")
    (repo / "notice.txt").write_text(CLEAN, encoding="utf-8")  # cleaned on disk, not re-added
    assert git(repo, "commit", "-qm", "notice").returncode != 0
    git(repo, "add", "notice.txt")
    assert git(repo, "commit", "-qm", "notice").returncode == 0


@needs_git
def test_a_waived_file_passes_the_hook(repo: Path) -> None:
    (repo / "notice.txt").write_text(MARKED, encoding="utf-8")
    made = secscan("baseline", "-o", ".secscan-baseline.json", "notice.txt", cwd=repo)
    assert made.returncode == 0, made.stderr
    (repo / ".secscan.toml").write_text('baseline = ".secscan-baseline.json"\n', encoding="utf-8")
    git(repo, "add", "notice.txt", ".secscan.toml", ".secscan-baseline.json")
    done = git(repo, "commit", "-qm", "waived notice")
    assert done.returncode == 0, done.stdout + done.stderr
    assert commits(repo) == 1

    # A new marking in the same file is not covered by the waiver.
    (repo / "notice.txt").write_text("绝密★长期\n" + MARKED, encoding="utf-8")
    git(repo, "add", "notice.txt")
    assert git(repo, "commit", "-qm", "worse").returncode != 0


@pytest.mark.parametrize("hook_id, expected", [("secscan", 1), ("secscan-staged", 1)])
@needs_git
def test_pre_commit_hooks_yaml_entries_gate_as_documented(repo: Path, hook_id: str, expected: int) -> None:
    """Run each hook as the pre-commit framework would: its entry, plus file names if it takes them."""
    hooks = _hooks_yaml(ROOT / ".pre-commit-hooks.yaml")
    hook = hooks[hook_id]
    (repo / "notice.txt").write_text(MARKED, encoding="utf-8")
    git(repo, "add", "notice.txt")
    args = shlex.split(hook["entry"])
    assert args[0] == "secscan"
    names = ["notice.txt"] if hook["pass_filenames"] == "true" else []
    done = secscan(*args[1:], *names, cwd=repo)
    assert done.returncode == expected, done.stdout + done.stderr
    assert "notice.txt" in done.stdout


def _hooks_yaml(path: Path) -> dict[str, dict[str, str]]:
    """The flat key: value hooks of .pre-commit-hooks.yaml (no YAML library needed for that shape)."""
    hooks: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("- "):
            current = {}
            line = "  " + line[2:]
        key, _, value = line.strip().partition(":")
        current[key] = value.strip()
        if key == "id":
            hooks[value.strip()] = current
    return hooks


def test_config_file_sets_fail_on_and_a_flag_wins(tmp_path: Path) -> None:
    (tmp_path / "notice.txt").write_text(MARKED, encoding="utf-8")
    (tmp_path / ".secscan.toml").write_text('fail-on = "top-secret"\n', encoding="utf-8")
    assert secscan("scan", "notice.txt", cwd=tmp_path).returncode == 0
    assert secscan("scan", "--fail-on", "secret", "notice.txt", cwd=tmp_path).returncode == 1


def test_a_misspelt_config_key_is_exit_2_naming_it(tmp_path: Path) -> None:
    (tmp_path / "notice.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / ".secscan.toml").write_text('fail-onn = "secret"\n', encoding="utf-8")
    done = secscan("scan", "notice.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert "fail-onn" in done.stderr and "fail-on" in done.stderr


def test_explicit_config_file_is_used(tmp_path: Path) -> None:
    (tmp_path / "notice.txt").write_text(MARKED, encoding="utf-8")
    conf = tmp_path / "conf" / "strict.toml"
    conf.parent.mkdir()
    conf.write_text('fail-on = "never"\nformat = "json"\n', encoding="utf-8")
    done = secscan("scan", "--config", str(conf), "notice.txt", cwd=tmp_path)
    assert done.returncode == 0
    assert json.loads(done.stdout)["summary"]["flagged"] == 1


def test_exclude_and_secscanignore_leave_files_out_and_verbose_says_why(tmp_path: Path) -> None:
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "notice.txt").write_text(MARKED, encoding="utf-8")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "copy.txt").write_text(MARKED, encoding="utf-8")
    (tmp_path / ".secscanignore").write_text("build/\n", encoding="utf-8")
    assert secscan("scan", "--exclude", "keep/", ".", cwd=tmp_path).returncode == 0
    shown = secscan("scan", "-v", ".", cwd=tmp_path)
    assert shown.returncode == 1
    assert "excluded by .secscanignore:1 (build/)" in shown.stdout


def test_an_expired_waiver_no_longer_applies(tmp_path: Path) -> None:
    (tmp_path / "notice.txt").write_text(MARKED, encoding="utf-8")
    assert secscan("baseline", "-o", "b.json", "notice.txt", cwd=tmp_path).returncode == 0
    assert secscan("scan", "--baseline", "b.json", "notice.txt", cwd=tmp_path).returncode == 0
    data = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    data["waivers"][0]["expires"] = "2001-01-01"
    (tmp_path / "b.json").write_text(json.dumps(data), encoding="utf-8")
    done = secscan("scan", "--baseline", "b.json", "notice.txt", cwd=tmp_path)
    assert done.returncode == 1
    assert "expired" in done.stderr


def test_a_missing_baseline_is_a_command_line_error_that_says_how_to_make_one(tmp_path: Path) -> None:
    (tmp_path / "notice.txt").write_text(CLEAN, encoding="utf-8")
    done = secscan("scan", "--baseline", "nope.json", "notice.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert "secscan baseline -o nope.json" in done.stderr


def test_patterns_and_explain_commands(tmp_path: Path) -> None:
    listed = secscan("patterns", cwd=tmp_path)
    assert listed.returncode == 0 and "cn.state-secret.marking" in listed.stdout
    assert secscan("patterns", "test", cwd=tmp_path).returncode == 0
    explained = secscan("explain", "cn.state-secret.marking", cwd=tmp_path)
    assert explained.returncode == 0 and "机密" in explained.stdout
    wrong = secscan("explain", "cn.state-secret.markin", cwd=tmp_path)
    assert wrong.returncode == 2 and "cn.state-secret.marking" in wrong.stderr


def test_a_broken_user_catalog_is_exit_2_naming_the_file(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "bad.toml").write_text('[[pattern]]\nid = "x"\n', encoding="utf-8")
    (tmp_path / "notice.txt").write_text(CLEAN, encoding="utf-8")
    done = secscan("scan", "--patterns", str(mine), "notice.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert "bad.toml" in done.stderr
