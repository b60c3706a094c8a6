"""`secscan baseline`: record today's findings as accepted, so a gate only stops new ones.

Scans like ``secscan scan`` (same config file, excludes, limits) and writes
every finding's fingerprint to a JSON file to commit and review. Writing over
an existing baseline keeps the ``reason`` and ``expires`` already given to the
findings that are still there; findings that are gone drop out. Files that
could not be read are listed on stderr: they cannot be waived, because what
was not read cannot be accepted, and the command exits 2 as scan would.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from secscan.cli.gating import (
    DEFAULT_BASELINE,
    CommandLineError,
    ConfiguredCommand,
    build_ignorer,
    catalog_from,
    config_option,
    exclude_option,
    password_file_option,
    passwords_from,
    patterns_option,
    scan_inputs,
    settings_of,
)
from secscan.cli.settings import Settings
from secscan.config import Limits, ScanConfig
from secscan.gates.baseline import BaselineError, build_baseline, load_baseline, write_baseline
from secscan.inputs.walk import WalkEntry
from secscan.model import FileResult, ScanResult, Status


@click.command(cls=ConfiguredCommand)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=str))
@click.option(
    "-o",
    "--output",
    "baseline",
    type=click.Path(dir_okay=False),
    help=f"Baseline file to write (default: 'baseline' from the config file, else {DEFAULT_BASELINE}).",
)
@config_option
@exclude_option
@click.option(
    "--staged", is_flag=True, help="Record the staged content of the git repository here instead of PATHs."
)
@patterns_option
@click.option("--no-ocr", is_flag=True, help="Do not OCR images and scanned pages.")
@password_file_option
@click.option(
    "--redact", is_flag=True, help="Do not write the matched text into the baseline, only fingerprints."
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Files scanned in parallel.")
def baseline(
    paths: tuple[str, ...],
    baseline: str | None,
    config: str | None,
    exclude: tuple[str, ...],
    staged: bool,
    pattern_dirs: tuple[str, ...],
    no_ocr: bool,
    password_file: str | None,
    redact: bool,
    jobs: int | None,
) -> None:
    """Record the current findings under PATH as waived (a baseline for --baseline).

    \b
    Then:  secscan scan --baseline .secscan-baseline.json PATH
    Give a waiver a "reason" and an "expires": "YYYY-MM-DD" by editing the file.
    """
    if not paths and not staged:
        raise click.UsageError("give at least one PATH (or --staged)")
    output = Path(baseline or DEFAULT_BASELINE)
    settings = settings_of(click.get_current_context())
    scan_config = _scan_config(settings, pattern_dirs, no_ocr, password_file)
    ignorer = build_ignorer(paths, exclude, settings, str(output))
    with scan_inputs(paths, staged, ignorer, False, scan_config.limits.max_file_size) as (entries, root):
        result = _scan(entries, scan_config, jobs)
    previous = None
    if output.exists():
        try:
            previous = load_baseline(output)
        except BaselineError as exc:
            raise CommandLineError(f"{exc} (move it away to start a new baseline)") from None
    made = build_baseline(result, output.parent, root, previous, redact)
    with open(output, "w", encoding="utf-8", newline="\n") as handle:
        write_baseline(made, handle)
    failed = [f for f in result.files if f.status == Status.ERROR]
    click.echo(
        f"secscan: wrote {len(made.waivers)} waiver(s) for {len(result.files)} file(s) to {output}", err=True
    )
    for entry in failed:
        click.echo(f"secscan: could not read {entry.path}: {entry.error} (not waivable)", err=True)
    sys.exit(2 if failed else 0)


def _scan_config(
    settings: Settings, pattern_dirs: tuple[str, ...], no_ocr: bool, password_file: str | None
) -> ScanConfig:
    """What ``secscan scan`` would use, so the baseline sees what the gate will see."""
    names = ("max_file_size", "max_expanded_size", "max_ratio", "max_depth", "max_members", "timeout")
    limits = Limits(**{name: settings.get(name.replace("_", "-"), getattr(Limits, name)) for name in names})
    return ScanConfig(
        catalog=catalog_from(pattern_dirs),
        limits=limits,
        ocr=not no_ocr,
        ocr_engine=str(settings.get("ocr-engine", "rapidocr")),
        passwords=passwords_from(password_file),
    )


def _scan(entries: list[WalkEntry], config: ScanConfig, jobs: int | None) -> ScanResult:
    from secscan.engine.runner import default_jobs, run

    workers = min(jobs or default_jobs(), max(1, len(entries)))
    results: list[FileResult] = [r for batch in run(entries, config, workers) for r in batch]
    return ScanResult(tuple(results))
