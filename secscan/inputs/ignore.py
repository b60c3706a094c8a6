"""What not to scan: ``--exclude GLOB``, ``exclude`` in the config file, and ``.secscanignore`` files.

All three use gitignore syntax (``*.log``, ``build/``, ``/docs/old/**``,
``!keep.txt``), matched by ``pathspec`` (MPL-2.0; the reference gitignore
implementation for Python, already used by black and many linters).

* ``.secscanignore`` files are read in every folder from the top of the tree
  down to the file: the top is the git work tree that holds the file, or else
  the scanned folder. A deeper file overrides a shallower one, as in git.
* ``exclude`` globs from the config file are relative to its folder, and
  ``--exclude`` globs to the current folder (or to the scanned folder, for a
  path outside it). They apply after the ignore files, so they win.
* A folder that is excluded excludes everything in it; a path named on the
  command line is excluded too (a pre-commit hook names every file).

Excluded files are not reported by default; ``Ignorer.excluded`` lists them
with the rule that excluded each, for ``--verbose`` to show as ``skipped``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pathspec

IGNORE_FILE = ".secscanignore"
DEFAULT_EXCLUDES = (".git", ".hg/", ".svn/")


class _Checks(Protocol):
    @property
    def base(self) -> str: ...

    def check(self, relative: str) -> tuple[bool, str] | None: ...


@dataclass(frozen=True)
class _VersionControl:
    """The built-in excludes, matched by name: pathspec (12 ms to import) loads only for real rules."""

    base: str

    def check(self, relative: str) -> tuple[bool, str] | None:
        name = relative.rstrip("/").rsplit("/", 1)[-1]
        if name == ".git" or (relative.endswith("/") and name + "/" in DEFAULT_EXCLUDES):
            return True, f"built-in exclude {name}{'/' if name != '.git' else ''}"
        return None


@dataclass(frozen=True)
class Rules:
    """One set of gitignore patterns, relative to ``base``, with where each came from."""

    base: str
    spec: pathspec.GitIgnoreSpec
    where: tuple[str, ...]  # per pattern, e.g. ".secscanignore:3 (*.log)"

    @classmethod
    def from_lines(cls, base: str, lines: Iterable[str], origin: str, numbered: bool) -> Rules:
        kept = [(n, line.rstrip("\r\n")) for n, line in enumerate(lines, 1)]
        kept = [(n, line) for n, line in kept if line.strip() and not line.startswith("#")]
        import pathspec

        spec = pathspec.GitIgnoreSpec.from_lines(line for _, line in kept)
        where = tuple(f"{origin}:{n} ({line})" if numbered else f"{origin} {line}" for n, line in kept)
        return cls(base, spec, where)

    def check(self, relative: str) -> tuple[bool, str] | None:
        found = self.spec.check_file(relative)
        if found.include is None or found.index is None:
            return None
        return found.include, self.where[found.index]


class Ignorer:
    """Callable as ``excluded(path, is_dir) -> bool``, the hook ``secscan.inputs.walk.walk`` takes."""

    def __init__(
        self,
        roots: Sequence[str],
        excludes: Sequence[str] = (),
        config_excludes: Sequence[str] = (),
        config_dir: Path | None = None,
        use_ignore_files: bool = True,
        always: Sequence[tuple[str, str]] = (),
    ) -> None:
        cwd = os.getcwd()
        # (root, the folder paths in it are relative to): a file root counts from its folder.
        absolute = [_abs(r) for r in roots if r != "-"]
        self._roots = [(r, r if os.path.isdir(r) else os.path.dirname(r)) for r in absolute]
        # Version-control internals hold compressed history, not documents anyone shares.
        self._global: list[_Checks] = [_VersionControl(cwd)]
        if config_excludes:
            base = _abs(str(config_dir or cwd))
            self._global.append(Rules.from_lines(base, config_excludes, "exclude in the config file:", False))
        if excludes:
            self._global.append(Rules.from_lines(cwd, excludes, "command-line excludes", False))
        self._use_files = use_ignore_files
        self._always = {_abs(p): why for p, why in always}
        self._files: dict[str, Rules | None] = {}
        self._decided: dict[tuple[str, bool], str | None] = {}
        self._tops: dict[str, str] = {}
        self._chains: dict[str, list[Rules]] = {}
        self.excluded: list[tuple[str, str]] = []

    def __call__(self, path: Path, is_dir: bool) -> bool:
        why = self.reason(path, is_dir)
        if why is not None:
            self.excluded.append((str(path), why))
        return why is not None

    def reason(self, path: Path | str, is_dir: bool) -> str | None:
        """Why ``path`` is excluded, or None when it is to be scanned."""
        target = _abs(str(path))
        if target in self._always:
            return self._always[target]
        return self._decide(target, is_dir, self._top(target))

    def _decide(self, target: str, is_dir: bool, top: str) -> str | None:
        key = (target, is_dir)
        if key not in self._decided:
            self._decided[key] = self._judge(target, is_dir, top)
        return self._decided[key]

    def _judge(self, target: str, is_dir: bool, top: str) -> str | None:
        parent = os.path.dirname(target)
        if parent != top and _inside(parent, top):  # an excluded folder excludes all inside it
            inherited = self._decide(parent, True, top)
            if inherited is not None:
                return inherited
        verdict: tuple[bool, str] | None = None
        for rules in (*self._ignore_files(parent, top), *self._global):
            relative = self._relative(target, rules.base)
            found = rules.check(relative + "/" if is_dir else relative)
            if found is not None:
                verdict = found
        return verdict[1] if verdict is not None and verdict[0] else None

    def _ignore_files(self, folder: str, top: str) -> list[Rules]:
        """The ignore files that apply in ``folder``, shallowest first (cached per folder)."""
        if not self._use_files:
            return []
        if folder not in self._chains:
            above = os.path.dirname(folder)
            inherited = self._ignore_files(above, top) if folder != top and _inside(above, top) else []
            own = self._load(folder)
            self._chains[folder] = [*inherited, own] if own is not None else inherited
        return self._chains[folder]

    def _load(self, folder: str) -> Rules | None:
        if folder not in self._files:
            path = os.path.join(folder, IGNORE_FILE)
            try:
                if not os.path.isfile(path):  # a pipe planted as .secscanignore would block open()
                    raise FileNotFoundError(path)
                with open(path, encoding="utf-8-sig", errors="replace") as handle:
                    shown = os.path.relpath(path) if _inside(path, os.getcwd()) else path
                    self._files[folder] = Rules.from_lines(folder, handle, shown, True)
            except OSError:
                self._files[folder] = None
        return self._files[folder]

    def _relative(self, target: str, base: str) -> str:
        """``target`` relative to ``base``, or to its scanned folder when it is outside ``base``."""
        if not _inside(target, base):
            base = self._scan_root(target) or ""
            if not base:
                return os.path.basename(target)
        if target == base:
            return "."
        # Both are normalised absolute paths, so slicing is relpath without its cost.
        return target[len(base.rstrip(os.sep)) + 1 :].replace(os.sep, "/")

    def _top(self, target: str) -> str:
        """The git work tree that holds ``target``, else the scanned folder that holds it."""
        folder = os.path.dirname(target)
        if folder not in self._tops:
            self._tops[folder] = _git_top(folder) or self._scan_root(target) or folder
        return self._tops[folder]

    def _scan_root(self, target: str) -> str | None:
        holders = [folder for root, folder in self._roots if _inside(target, root)]
        return max(holders, key=len) if holders else None


def _git_top(folder: str) -> str | None:
    current = folder
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _abs(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
