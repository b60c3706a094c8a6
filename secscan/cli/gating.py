"""Command-line glue for the gates: config files, excludes, ``--staged`` and ``--baseline``.

The modules that do the work (``settings``, ``ignore``, ``gitstaged``,
``baseline``, ``waive``) know nothing of click; this one turns them into what
``secscan scan`` and ``secscan baseline`` need, so both commands read config
files, ignore the same files and see the same staged content in the same way.

Config values reach a command as click's ``default_map``: a value from the file
replaces a flag's default, and a flag on the command line still wins.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from secscan.cli.settings import Settings, load_settings
from secscan.cli.settings_values import SettingsError
from secscan.inputs.ignore import Ignorer
from secscan.inputs.walk import WalkEntry, walk
from secscan.model import FileResult, ScanResult, Status
from secscan.reporters.safe_text import printable

if TYPE_CHECKING:
    from secscan.gates.baseline import Baseline
    from secscan.match.catalog import Catalog

DEFAULT_BASELINE = ".secscan-baseline.json"
_META = "secscan.cli.settings"

# config key -> (click parameter name, conversion to what the flag would give)
SETTING_PARAMS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "fail-on": ("fail_on", str),
    "format": ("format_", str),
    "patterns": ("pattern_dirs", tuple),
    "show-suppressed": ("show_suppressed", bool),
    "ocr": ("no_ocr", lambda on: not on),
    "cache": ("no_cache", lambda on: not on),
    "ocr-engine": ("ocr_engine", str),
    "max-file-size": ("max_file_size", int),
    "max-expanded-size": ("max_expanded_size", int),
    "max-ratio": ("max_ratio", float),
    "max-depth": ("max_depth", int),
    "max-members": ("max_members", int),
    "timeout": ("timeout", float),
    "max-memory": ("max_memory", int),
    "password-file": ("password_file", str),
    "baseline": ("baseline", str),
    "redact": ("redact", bool),
}


class CommandLineError(click.ClickException):
    """A wrong command line or config: exit 2, as report-contract.md fixes."""

    exit_code = 2


class ConfiguredCommand(click.Command):
    """A command whose flag defaults come from the config file found for its paths."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.resilient_parsing:
            return super().parse_args(ctx, args)
        probe = self.make_context(self.name, list(args), parent=ctx.parent, resilient_parsing=True)
        paths = [str(p) for p in probe.params.get("paths") or ()]
        try:
            settings = load_settings(paths, probe.params.get("config"))
        except SettingsError as exc:
            raise CommandLineError(str(exc)) from None
        names = {p.name for p in self.params}
        ctx.default_map = {
            **(ctx.default_map or {}),
            **{
                param: convert(settings.values[key])
                for key, (param, convert) in SETTING_PARAMS.items()
                if key in settings.values and param in names
            },
        }
        ctx.meta[_META] = settings
        return super().parse_args(ctx, args)


def catalog_from(pattern_dirs: Sequence[str]) -> Catalog:
    """The built-in catalog plus ``--patterns`` folders; a broken one is a command-line error (exit 2)."""
    from secscan.match.catalog import load_catalog

    try:
        return load_catalog([Path(d) for d in pattern_dirs])
    except ValueError as exc:
        raise CommandLineError(f"invalid pattern catalog: {exc}") from None


def passwords_from(password_file: str | None) -> tuple[str, ...]:
    from secscan.cli.passwords import PasswordFileError, load_password_file

    if password_file is None:
        return ()
    try:
        return load_password_file(password_file)
    except PasswordFileError as exc:
        raise CommandLineError(str(exc)) from None


def settings_of(ctx: click.Context) -> Settings:
    found = ctx.meta.get(_META)
    return found if isinstance(found, Settings) else Settings()


def build_ignorer(
    paths: Sequence[str], excludes: Sequence[str], settings: Settings, baseline: str | None
) -> Ignorer:
    # The baseline quotes the markings it waives: scanning it would flag the waivers themselves.
    why = "--baseline: it is the baseline file, which quotes the markings it waives"
    always = [(baseline, why)] if baseline else []
    return Ignorer(
        [p for p in paths if p != "-"],
        excludes=excludes,
        config_excludes=settings.get("exclude", ()),
        config_dir=settings.source.parent if settings.source else None,
        always=always,
    )


@contextmanager
def scan_inputs(
    paths: Sequence[str], staged: bool, ignorer: Ignorer, follow_symlinks: bool, max_file_size: int
) -> Iterator[tuple[list[WalkEntry], Path]]:
    """The entries to scan, and the folder their report paths are relative to."""
    if staged:
        if paths:
            raise CommandLineError("give either --staged or PATHs, not both")
        from secscan.inputs.gitstaged import StagedError, staged_entries  # git is only for --staged

        try:
            with staged_entries(max_file_size) as (top, entries):
                yield [e for e in entries if not ignorer(top / e.display, False)], top
        except StagedError as exc:
            raise CommandLineError(str(exc)) from None
        return
    roots = [p for p in paths if p == "-" or os.path.isdir(p) or not ignorer(Path(p), False)]
    yield list(walk([p for p in roots if p != "-"], follow_symlinks, excluded=ignorer)), Path.cwd()


def excluded_entries(ignorer: Ignorer) -> list[FileResult]:
    """What the excludes passed over, as ``skipped`` entries (shown with --verbose)."""
    return [
        FileResult(path, "unknown", Status.SKIPPED, error=f"excluded by {why}")
        for path, why in ignorer.excluded
    ]


def load_waivers(path: str | None) -> Baseline | None:
    if path is None:
        return None
    from secscan.gates.baseline import BaselineError, describe_expired, load_baseline

    try:
        baseline = load_baseline(Path(path))
    except BaselineError as exc:
        hint = f" (create it with: secscan baseline -o {path} PATH...)" if not os.path.exists(path) else ""
        raise CommandLineError(f"{exc}{hint}") from None
    expired = baseline.expired(date.today())
    if expired:
        click.echo(f"secscan: note: {printable(describe_expired(expired))}", err=True)
    return baseline


def waive(batch: list[FileResult], baseline: Baseline | None, path_root: Path) -> list[FileResult]:
    """``batch`` (one file and its members) with the baseline's waivers applied."""
    if baseline is None or baseline.source is None:
        return batch
    from secscan.gates.baseline import PathKeys
    from secscan.gates.waive import apply_baseline

    result = ScanResult(tuple(batch))
    keys = PathKeys(result, baseline.source.parent, path_root)
    return list(apply_baseline(result, baseline, keys).files)
