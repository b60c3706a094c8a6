"""Configuration files: ``.secscan.toml`` or ``[tool.secscan]`` in ``pyproject.toml``.

Keys are the command-line flags without the dashes (``fail-on = "secret"``,
``exclude = ["build/", "*.log"]``); a flag given on the command line wins over
the file. The file is found from the first scanned path upwards: in each folder
``.secscan.toml`` first, then a ``pyproject.toml`` that has a ``[tool.secscan]``
table; the first found wins. ``--config FILE`` names one instead. Paths in a
file (patterns, password-file, baseline, and exclude globs) are relative to
the file's folder.

A misspelt key is an error naming the key and the file, never ignored: a gate
whose ``fail-on`` silently did not apply is a gate that lets documents out.
``rtoml`` reads the files, as it does the pattern catalog (see ``secscan.match.catalog``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rtoml

from secscan.cli.settings_values import SettingsError, validators

CONFIG_NAME = ".secscan.toml"
PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class Settings:
    """Validated settings from one file (``source``), keyed by flag name (``"fail-on"``)."""

    values: Mapping[str, Any] = field(default_factory=dict)
    source: Path | None = None

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def merged(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """File values overridden by what the command line gave explicitly."""
        return {**self.values, **given}


def load_settings(start_paths: Sequence[str], config_file: str | None) -> Settings:
    """The settings for a scan of ``start_paths``; ``config_file`` (``--config``) skips the search."""
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise SettingsError(f"--config {config_file}: no such file")
        table = _read_table(path, required=True) or {}
        return Settings(_validate(table, path), path)
    found = find_config(start_paths)
    if found is None:
        return Settings()
    path, table = found
    return Settings(_validate(table, path), path)


def find_config(start_paths: Sequence[str]) -> tuple[Path, dict[str, Any]] | None:
    """The first config file above the first start path that has one, with its secscan table."""
    seen: set[Path] = set()
    for start in start_paths or ["."]:
        folder = Path(os.path.abspath("." if start == "-" else start))
        if not folder.is_dir():
            folder = folder.parent
        for directory in (folder, *folder.parents):
            if directory in seen:
                break
            seen.add(directory)
            for name in (CONFIG_NAME, PYPROJECT):
                candidate = directory / name
                if candidate.is_file():
                    table = _read_table(candidate, required=False)
                    if table is not None:
                        return candidate, table
    return None


def _read_table(path: Path, required: bool) -> dict[str, Any] | None:
    """The secscan settings table of ``path``: the whole file, or ``[tool.secscan]`` of a pyproject."""
    try:
        raw = path.read_bytes()
        document = rtoml.loads(raw.decode("utf-8"))
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (rtoml.TomlParsingError, UnicodeDecodeError) as exc:
        # A broken pyproject.toml that is not about secscan (say, in a folder of downloads
        # being scanned) must not stop the scan; one that configures secscan must.
        if path.name == PYPROJECT and not required and b"tool.secscan" not in raw:
            return None
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None
    if path.name != PYPROJECT:
        return document
    tool = document.get("tool", {})
    table = tool.get("secscan") if isinstance(tool, dict) else None
    if table is None:
        if required:
            raise SettingsError(f"{path}: has no [tool.secscan] table")
        return None
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: [tool.secscan] must be a table")
    return table


def _validate(table: Mapping[str, Any], path: Path) -> dict[str, Any]:
    checks = validators()
    where = f"{path} [tool.secscan]" if path.name == PYPROJECT else str(path)
    values: dict[str, Any] = {}
    for key, raw in table.items():
        check: Callable[[Any, Path], Any] | None = checks.get(key)
        if check is None:
            raise SettingsError(f"{where}: unknown setting {key!r}{_hint(key, list(checks))}")
        try:
            values[key] = check(raw, path.parent)
        except ValueError as exc:
            raise SettingsError(f"{where}: setting {key!r}: {exc}") from None
    return values


def _hint(key: str, known: list[str]) -> str:
    import difflib  # only to suggest a spelling for an unknown key

    close = difflib.get_close_matches(key.replace("_", "-"), known, n=3, cutoff=0.6)
    if close:
        return f" (did you mean {' or '.join(repr(c) for c in close)}?)"
    return f" (known: {', '.join(sorted(known))})"
