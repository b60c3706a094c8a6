"""`secscan scan`: the command a person, a hook or an auditor runs.

This module only turns flags into a ScanConfig, drives the runner, hands the
result to a reporter and picks the exit code; it holds no scanning logic.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import itertools
import os
import signal
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

import click

from secscan.cli.audit import Audit
from secscan.cli.exit_codes import EXIT_CODES, INTERRUPTED, exit_code
from secscan.cli.flags import result_with_flags
from secscan.cli.gating import (
    DEFAULT_BASELINE,
    CommandLineError,
    ConfiguredCommand,
    build_ignorer,
    excluded_entries,
    load_waivers,
    scan_inputs,
    settings_of,
    waive,
)
from secscan.cli.options import config_option, exclude_option, reading_options, scan_config_from
from secscan.cli.settings_values import FAIL_ON_ZH, fail_on_level, fail_on_name
from secscan.config import ScanConfig
from secscan.errors import DEBUG_ENV
from secscan.inputs.walk import WalkEntry
from secscan.model import FileResult, ScanResult, Status
from secscan.reporters import REPORTERS, ReportOptions, StreamingReporter, get_reporter
from secscan.reporters.safe_text import printable

if TYPE_CHECKING:
    from rich.console import Console

    from secscan.gates.compare import Comparison


FAIL_ON_CHOICES = ["internal", "confidential", "secret", "top-secret", "never"]


class LevelName(click.ParamType[str]):
    """A --fail-on level in English or Chinese (绝密 机密 秘密 工作秘密 内部; 絕密 機密): its English name."""

    name = "level"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "[" + "|".join([*FAIL_ON_CHOICES, *dict.fromkeys(FAIL_ON_ZH)]) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return fail_on_name(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        from click.shell_completion import CompletionItem

        words = [*FAIL_ON_CHOICES, *FAIL_ON_ZH]
        return [CompletionItem(word) for word in words if word.startswith(incomplete)]


EPILOG = """\b
Exit codes: 0 nothing at or above --fail-on; 1 a marking at or above it;
2 something could not be read (encrypted, corrupt, over a limit) or the
command line was wrong; 130 interrupted (Ctrl-C), 143 terminated (SIGTERM),
with no partial report left behind. An unreadable file is never reported as clean.

\b
Examples:
  secscan scan notice.docx                 check one file before sending it
  secscan scan -f json -o audit.json /mnt/share
  secscan scan --fail-on secret ~/WeChat/Files
  cat memo.txt | secscan scan -           scan standard input
  secscan scan -v --show-suppressed f.pdf  see why something was (not) flagged
  secscan scan --quiet --staged            in a git pre-commit hook
  secscan scan --baseline .secscan-baseline.json docs/   only new findings fail
  secscan scan -f html -o audit.html --compare last.json /mnt/share
  secscan scan -f json -o audit.json --resume /mnt/share  after Ctrl-C

\b
Unchanged files are answered from a private result cache (no document text
is kept; a file with a finding is always read again): see 'secscan cache'.

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
    type=LevelName(),
    default="internal",
    show_default=True,
    help="Lowest level that makes the exit code 1, in English or Chinese (机密 = secret; "
    "'never': findings never fail the gate).",
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
@click.option(
    "--debug",
    is_flag=True,
    envvar=DEBUG_ENV,
    help="Keep the full traceback of every file that could not be read: in the report and on stderr.",
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
    "--resume",
    is_flag=True,
    help="Continue an interrupted audit of the same PATHs with the same settings: files it finished come "
    "from the result cache; the report is the one an uninterrupted run writes.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help=f"Waive the findings recorded in this file (made by 'secscan baseline'; e.g. {DEFAULT_BASELINE}).",
)
@click.option(
    "--compare",
    metavar="PREVIOUS.json",
    type=click.Path(dir_okay=False, path_type=str),
    help="Mark each file new, level-up, level-down, unchanged or unread, and list the files gone, "
    "against a previous JSON report of the same PATHs.",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Run the scan on a cluster: 'local' starts one on this machine; otherwise the scheduler address "
    "to join. Needs secscan[cluster].",
)
def scan(
    paths: tuple[str, ...],
    format_: str,
    output: str | None,
    fail_on: str,
    redact: bool,
    debug: bool,
    quiet: bool,
    verbose: bool,
    color: bool | None,
    exclude: tuple[str, ...],
    staged: bool,
    baseline: str | None,
    resume: bool,
    cluster: str | None,
    jobs: int | None,
    compare: str | None = None,
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
    missing = [printable(p) for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        raise click.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="PATH")
    if debug:
        os.environ[DEBUG_ENV] = "1"  # workers are forked after this: they inherit it
    if resume and reading.get("no_cache"):
        raise click.UsageError("--resume continues from the result cache: it cannot be used with --no-cache")
    fail_level = fail_on_level(fail_on)
    # The plain gate needs the verdict, not every line: audit formats, waivers and levels compared
    # with a previous report read everything. An HTML report shows crops of the marked pages.
    gate_only = format_ == "text" and fail_level is not None and baseline is None and compare is None
    scan_config = scan_config_from(
        {**reading, "redact": redact},
        ocr_stop_at=fail_level if gate_only else None,
        evidence=format_ == "html" and not redact,
    )
    waivers = load_waivers(baseline)
    comparison = _comparison(compare)
    ignorer = build_ignorer(paths, exclude, settings_of(click.get_current_context()), baseline)
    follow, max_size = scan_config.follow_symlinks, scan_config.limits.max_file_size
    with (
        _ended_by_signals(output),
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
            compare=comparison,
        )
        audit = Audit.begin(list(paths), len(entries), scan_config, resume)
        batches = _scan_batches(list(paths), entries, scan_config, jobs, not quiet, audit, cluster)
        gated = ([result_with_flags(r) for r in waive(batch, waivers, root)] for batch in batches)
        passed_over = excluded_entries(ignorer) if verbose else []
        result = _report(gated, passed_over, format_, out, options)
    _say_where(result, output, quiet)
    if debug:
        _print_tracebacks(result)
    sys.exit(exit_code(result, fail_level))


def _comparison(previous: str | None) -> Comparison | None:
    if previous is None:
        return None
    from secscan.gates.compare import CompareError, load_comparison  # only an audit that compares needs it

    try:
        return load_comparison(previous)
    except CompareError as exc:
        raise CommandLineError(str(exc)) from None


def _print_tracebacks(result: ScanResult) -> None:
    for entry in result.files:
        if entry.traceback:
            click.echo(f"secscan: traceback for {printable(entry.path)}:\n{entry.traceback}", err=True)


def _scan_batches(
    paths: list[str],
    entries: list[WalkEntry],
    config: ScanConfig,
    jobs: int | None,
    show_progress: bool,
    audit: Audit | None = None,
    cluster: str | None = None,
) -> Iterator[list[FileResult]]:
    """Each scanned file with its members, as the workers finish them (or the cache answers)."""
    from secscan.engine.runner import run, workers_for

    if "-" in paths:
        entries = [_stdin_entry(config.limits.max_file_size), *entries]
    workers = workers_for(jobs, len(entries))
    if jobs is not None and config.ocr_threads is None:
        # -j N is a budget of N CPUs: N workers, or fewer workers that share the rest as OCR
        # threads. Without -j the budget is the machine's (runner.with_ocr_threads).
        config = dataclasses.replace(config, ocr_threads=max(1, jobs // workers))

    def scan_all(todo: Iterable[WalkEntry]) -> Iterator[list[FileResult]]:
        if cluster is not None:
            return _on_cluster(todo, config, workers, cluster)
        return run(todo, config, workers)

    results = scan_all(entries) if audit is None else audit.results(entries, scan_all)
    with _progress(len(entries), show_progress) as advance:
        for file_results in results:
            yield list(file_results)
            advance(file_results[0].path)
    if audit is not None:
        audit.finish()


def _on_cluster(
    todo: Iterable[WalkEntry], config: ScanConfig, workers: int, address: str
) -> Iterator[list[FileResult]]:
    from secscan.engine.cluster import ClusterUnavailable, run_on_cluster

    try:
        yield from run_on_cluster(todo, config, workers, address)
    except ClusterUnavailable as exc:
        raise CommandLineError(str(exc)) from None


def _report(
    batches: Iterable[list[FileResult]],
    passed_over: list[FileResult],
    format_: str,
    out: TextIO,
    options: ReportOptions,
) -> ScanResult:
    """Write the report (streaming formats entry by entry) and return the whole result."""
    reporter = get_reporter(format_)
    streaming = reporter if isinstance(reporter, StreamingReporter) else None
    results: list[FileResult] = []
    let_go = members_let_go = 0
    for batch in itertools.chain(batches, ([p] for p in passed_over)):
        if streaming is None:
            results.extend(batch)
            continue
        streaming.write_entry(batch, out, options)
        if all(r.status == Status.CLEAN and not r.waived for r in batch):
            let_go, members_let_go = let_go + 1, members_let_go + len(batch) - 1  # written; only counted
        else:
            results.extend(batch)
    result = ScanResult(tuple(results), let_go, members_let_go)
    if streaming is not None:
        streaming.write_summary(result, out, options)
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


def _to_file(output: str | None) -> bool:
    return output is not None and output != "-"


class _CurrentStdout(io.TextIOBase):
    """Standard output as it is at each write: while the progress line is live, rich puts a proxy
    there that prints above the line, so findings stream into the terminal without tearing it."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()

    def isatty(self) -> bool:
        return sys.stdout.isatty()


@contextmanager
def _open_output(output: str | None) -> Iterator[TextIO]:
    """The report's destination; a file appears whole or not at all.

    The report is written to a hidden file beside FILE and renamed over it at the end, so
    a scan that is interrupted or fails leaves no 0-byte or half report: FILE keeps what it
    held before (nothing, or an older report). A FIFO or a device (/dev/stdout) is written
    in place, since renaming over it would replace the device node.
    """
    if output is None or output == "-":
        yield cast(TextIO, _CurrentStdout())
        return
    target = os.path.realpath(output)  # a symbolic link keeps pointing at the new report
    if os.path.exists(target) and not os.path.isfile(target):
        with open(output, "w", encoding="utf-8", newline="") as handle:
            yield handle
        return
    folder, name = os.path.split(target)
    temp = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.part")
    fd, unnamed = _report_file(folder, temp, output)
    handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
    try:
        yield handle
        handle.flush()
        if unnamed:  # the file gets a name only now, whole: a SIGKILLed scan leaves nothing behind
            _name_unnamed(fd, temp)
        handle.close()
        if os.path.exists(target):
            os.chmod(temp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temp, target)
    except BaseException:
        handle.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _name_unnamed(fd: int, temp: str) -> None:
    """Give the finished unnamed report the name ``temp``: a link where /proc allows it, else a copy."""
    try:
        os.link(f"/proc/self/fd/{fd}", temp, follow_symlinks=True)
        return
    except OSError:
        pass  # EXDEV or EPERM in some sandboxes and containers: copy it out instead
    named = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        offset = 0
        while chunk := os.pread(fd, 1 << 20, offset):
            offset += len(chunk)
            view = memoryview(chunk)
            while view:
                view = view[os.write(named, view) :]
    finally:
        os.close(named)


def _report_file(folder: str, temp: str, output: str) -> tuple[int, bool]:
    """An open descriptor for the report, and whether it is an unnamed file (Linux ``O_TMPFILE``).

    An unnamed file in FILE's folder disappears by itself if the scan is killed; where the
    kernel or filesystem cannot make one, a hidden named file beside FILE is used instead.
    Permissions are those open(FILE, "w") would give (0o666 less the umask), not mkstemp's 0o600.
    """
    tmpfile = getattr(os, "O_TMPFILE", 0)
    if tmpfile and os.path.isdir("/proc/self/fd"):
        try:
            return os.open(folder or ".", tmpfile | os.O_RDWR, 0o666), True
        except OSError:
            pass  # e.g. EOPNOTSUPP on some network filesystems
    try:
        return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), False
    except OSError as exc:
        raise CommandLineError(f"cannot write the report to {printable(output)}: {exc.strerror}") from None


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C raises KeyboardInterrupt, so both take one way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _ended_by_signals(output: str | None) -> Iterator[None]:
    """Ctrl-C or SIGTERM end the scan honestly: workers ended, no partial report file, exit 128+N.

    The interruption unwinds through the runner (which kills its workers) and
    ``_open_output`` (which drops the unfinished file) before it reaches here. The exit
    code is 130 for Ctrl-C and 143 for SIGTERM, what shells report for those signals;
    never 1, which would claim a marking, nor 0.
    """

    def on_term(signum: int, _frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one must not cut the cleanup short
        raise _Terminated(signum)

    try:
        previous = signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread (an embedding caller): leave its handler alone
        previous = None
    try:
        yield
    except KeyboardInterrupt as stop:
        signum = getattr(stop, "signum", signal.SIGINT)
        left = "no report written" if _to_file(output) else "the report is incomplete"
        click.echo(f"secscan: interrupted ({signal.Signals(signum).name}); {left}", err=True)
        sys.exit(INTERRUPTED if signum == signal.SIGINT else 128 + signum)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _say_where(result: ScanResult, output: str | None, quiet: bool) -> None:
    """With -o FILE nothing else reaches the terminal: one line on stderr says how it went and where."""
    if quiet or not _to_file(output):
        return
    s = result.summary
    counts = [_count(s.files, "file"), f"{s.flagged} flagged", _count(s.errors, "error")]
    if s.skipped:
        counts.append(f"{s.skipped} skipped")
    click.echo(f"secscan: {', '.join(counts)}; report written to {printable(str(output))}", err=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@contextmanager
def _progress(total: int, wanted: bool) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr for long scans in a terminal; a no-op otherwise."""
    if not (wanted and total > 1 and sys.stderr.isatty()):
        yield lambda _path: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (
        TextColumn("scanning"),
        BarColumn(bar_width=24),
        TextColumn("{task.completed:,}/{task.total:,} files"),
        TextColumn("elapsed"),
        TimeElapsedColumn(),
        TextColumn("remaining"),
        TimeRemainingColumn(),
        TextColumn("{task.description}", style="dim", markup=False),  # a path is text, not rich markup
    )
    # Findings printed meanwhile (text and jsonl stream) reach standard output through the proxy
    # rich installs there, above the line; when standard output is not this terminal, they go
    # straight to it.
    redirect = sys.stdout.isatty()
    with Progress(
        *columns, transient=True, console=_stderr_console(), redirect_stdout=redirect, redirect_stderr=False
    ) as progress:
        task = progress.add_task("", total=total)

        def advance(path: str) -> None:
            progress.update(task, advance=1, description=printable(path)[-60:])

        yield advance


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)
