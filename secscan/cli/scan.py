"""`secscan scan`: the command a person, a hook or an auditor runs.

This module only turns flags into a ScanConfig, drives the runner, hands the
result to a reporter and picks the exit code; it holds no scanning logic.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from secscan.cli.exit_codes import EXIT_CODES, exit_code
from secscan.cli.flags import result_with_flags
from secscan.cli.gating import (
    DEFAULT_BASELINE,
    ConfiguredCommand,
    build_ignorer,
    excluded_entries,
    load_waivers,
    scan_inputs,
    settings_of,
    waive,
)
from secscan.cli.options import config_option, exclude_option, reading_options, scan_config_from
from secscan.cli.settings_values import fail_on_level
from secscan.config import ScanConfig
from secscan.inputs.walk import WalkEntry
from secscan.model import FileResult, ScanResult
from secscan.reporters import REPORTERS, ReportOptions, get_reporter

if TYPE_CHECKING:
    from rich.console import Console


FAIL_ON_CHOICES = ["internal", "confidential", "secret", "top-secret", "never"]

EPILOG = """\b
Exit codes: 0 nothing at or above --fail-on; 1 a marking at or above it;
2 something could not be read (encrypted, corrupt, over a limit) or the
command line was wrong. An unreadable file is never reported as clean.

\b
Examples:
  secscan scan notice.docx                 check one file before sending it
  secscan scan -f json -o audit.json /mnt/share
  secscan scan --fail-on secret ~/WeChat/Files
  cat memo.txt | secscan scan -           scan standard input
  secscan scan -v --show-suppressed f.pdf  see why something was (not) flagged
  secscan scan --quiet --staged            in a git pre-commit hook
  secscan scan --baseline .secscan-baseline.json docs/   only new findings fail

\b
Settings: flags may also come from .secscan.toml or [tool.secscan] in
pyproject.toml, found from the first PATH upwards (or --config FILE); a flag
on the command line wins. See docs/gates.md.
"""


@click.command(cls=ConfiguredCommand, epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, path_type=str))
@click.option(
    "-f",
    "--format",
    "format_",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    help="Write the report to FILE instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    default="internal",
    show_default=True,
    help="Lowest level that makes the exit code 1 ('never': findings never fail the gate).",
)
@click.option(
    "--show-suppressed",
    is_flag=True,
    help="Also list candidates scored below the threshold, with their score and reasons.",
)
@reading_options
@click.option(
    "--redact", is_flag=True, help="Report rule and place but never the matched text or its context."
)
@click.option("-q", "--quiet", is_flag=True, help="Only one line per flagged or unreadable file.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Also clean files, what was read, and why each finding counts."
)
@click.option(
    "--color/--no-color", default=None, help="Force colours on or off (default: on for a terminal)."
)
@config_option
@exclude_option
@click.option(
    "--staged",
    is_flag=True,
    help="Scan what is staged in the git repository here (the index, not the working copy).",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help=f"Waive the findings recorded in this file (made by 'secscan baseline'; e.g. {DEFAULT_BASELINE}).",
)
def scan(
    paths: tuple[str, ...],
    format_: str,
    output: str | None,
    fail_on: str,
    redact: bool,
    quiet: bool,
    verbose: bool,
    color: bool | None,
    exclude: tuple[str, ...],
    staged: bool,
    baseline: str | None,
    jobs: int | None,
    **reading: Any,
) -> None:
    """Scan files and folders for secrecy and classification markings.

    PATH may be a file, a folder (walked recursively, in name order) or '-' for
    standard input. Each file is recognised by its bytes, not its name, and its
    text is read everywhere a marking hides: headers, footers, text boxes,
    comments, properties, PDF pages and annotations, pictures (OCR), archive
    members.
    """
    if not paths and not staged:
        raise click.UsageError("give at least one PATH to scan (a file, a folder, or - for standard input)")
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        raise click.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="PATH")
    scan_config = scan_config_from(reading)
    fail_level = fail_on_level(fail_on)
    waivers = load_waivers(baseline)
    ignorer = build_ignorer(paths, exclude, settings_of(click.get_current_context()), baseline)
    follow, max_size = scan_config.follow_symlinks, scan_config.limits.max_file_size
    with (
        scan_inputs(paths, staged, ignorer, follow, max_size) as (entries, root),
        _open_output(output) as out,
    ):
        options = ReportOptions(
            color=_use_color(color, out),
            redact=redact,
            verbose=verbose,
            quiet=quiet,
            fail_on=fail_level,
            exit_codes=EXIT_CODES,
        )
        batches = _scan_batches(list(paths), entries, scan_config, jobs, show_progress=not quiet)
        gated = ([result_with_flags(r) for r in waive(batch, waivers, root)] for batch in batches)
        passed_over = excluded_entries(ignorer) if verbose else []
        result = _report(gated, passed_over, format_, out, options)
    sys.exit(exit_code(result, fail_level))


def _scan_batches(
    paths: list[str], entries: list[WalkEntry], config: ScanConfig, jobs: int | None, show_progress: bool
) -> Iterator[list[FileResult]]:
    """Each scanned file with its members, as the workers finish them."""
    from secscan.engine.runner import default_jobs, run

    if "-" in paths:
        entries = [_stdin_entry(config.limits.max_file_size), *entries]
    workers = min(jobs or default_jobs(), max(1, len(entries)))
    with _progress(len(entries), show_progress) as advance:
        for file_results in run(entries, config, workers):
            yield list(file_results)
            advance(file_results[0].path)


def _report(
    batches: Iterable[list[FileResult]],
    passed_over: list[FileResult],
    format_: str,
    out: TextIO,
    options: ReportOptions,
) -> ScanResult:
    """Write the report (streaming formats entry by entry) and return the whole result."""
    reporter = get_reporter(format_)
    streaming = hasattr(reporter, "write_file")
    results: list[FileResult] = []
    for batch in itertools.chain(batches, [passed_over]):
        results.extend(batch)
        if streaming:
            for file_result in batch:
                reporter.write_file(file_result, out, options)
    result = ScanResult(tuple(results))
    if streaming:
        reporter.write_summary(result, out, options)
    else:
        reporter.write(result, out, options)
    return result


def _stdin_entry(max_file_size: int) -> WalkEntry:
    """Standard input as an entry the runner scans like a file, under the same limits."""
    data = sys.stdin.buffer.read(max_file_size + 1)  # one byte more tells "over the limit" from "at it"
    return WalkEntry("-", Path("-"), data=data)


def _use_color(forced: bool | None, out: TextIO) -> bool:
    if forced is not None:
        return forced
    if os.environ.get("NO_COLOR"):
        return False
    return out.isatty()


@contextmanager
def _open_output(output: str | None) -> Iterator[TextIO]:
    if output is None or output == "-":
        yield sys.stdout
        return
    with open(output, "w", encoding="utf-8", newline="") as handle:
        yield handle


@contextmanager
def _progress(total: int, wanted: bool) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr for long scans in a terminal; a no-op otherwise."""
    if not (wanted and total > 1 and sys.stderr.isatty()):
        yield lambda _path: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("scanning"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}", style="dim"),
    )
    with Progress(*columns, transient=True, console=_stderr_console()) as progress:
        task = progress.add_task("", total=total)

        def advance(path: str) -> None:
            progress.update(task, advance=1, description=path[-60:])

        yield advance


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)
