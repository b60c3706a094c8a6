"""Terminal report (`--format text`, the default).

Per file: status, level and path; per finding: where it is, the rule, and the
matched line with the marking highlighted; then a summary. Colours come from
rich, imported only when the output is a terminal (so a gate writing to a pipe
starts fast and prints plain text). ``--quiet`` keeps one line per flagged or
failed file; ``--verbose`` adds clean files, coverage, reasons and suppressed
candidates.

Everything that came from a scanned file (paths, member names, matches, lines,
reasons) passes through ``safe_text.printable``: a file name holding
``\\x1b]0;…\\x07`` is shown as that text, never sent to the terminal as a command.
Chinese rules' findings show the level's Chinese name too (``secret (机密)``).
With ``--compare`` each file's line ends with what changed since the previous report, a
file that fell to clean gets a line too, and the summary lists the files that are gone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from secscan.gates.compare import Change
from secscan.model import FileResult, Finding, Level, ScanResult, Status
from secscan.reporters import ReportOptions, entries
from secscan.reporters.safe_text import printable
from secscan.reporters.wording import (
    changes_sentence,
    flagged_by_level,
    level_text,
    members_sentence,
    mismatch_sentence,
    verdict_sentence,
    where,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

LEVEL_STYLE = {
    Level.TOP_SECRET: "bold white on red",
    Level.SECRET: "bold red",
    Level.CONFIDENTIAL: "bold magenta",
    Level.INTERNAL: "bold yellow",
    Level.NONE: "green",
}
STATUS_STYLE = {
    Status.FLAGGED: "bold red",
    Status.ERROR: "bold white on dark_red",
    Status.SKIPPED: "yellow",
    Status.CLEAN: "green",
}
CONTEXT_WIDTH = 100


def write(result: ScanResult, out: TextIO, options: ReportOptions) -> None:
    for entry in entries(result.files):
        write_entry(entry, out, options)
    write_summary(result, out, options)


def write_entry(results: Sequence[FileResult], out: TextIO, options: ReportOptions) -> None:
    """One scanned file and its members, written as soon as they are done."""
    shown = _shown(results, options)
    if options.compare is not None:
        # every path is noted (a clean one is let go after this); a file that fell to clean is news
        fell = [r for r in results if options.compare.change(r) == Change.LEVEL_DOWN]
        shown += [r for r in fell if r not in shown]
    if not shown:
        return
    if options.color:
        console = _console(out)
        for file_result in shown:
            _rich_file(console, file_result, options)
    else:
        for file_result in shown:
            _plain_file(file_result, out, options)
    out.flush()


def write_summary(result: ScanResult, out: TextIO, options: ReportOptions) -> None:
    if options.quiet:
        return
    if options.compare is not None:
        for before in options.compare.gone(result):
            head = f"{'GONE':8} {before.level.label:12} {printable(before.path)}"
            out.write(f"{head}  [{printable(before.type)}]\n")
        out.write(changes_sentence(options.compare, result) + "\n")
    if options.color:
        _rich_summary(_console(out), result, options)
    else:
        out.write(summary_line(result, options) + "\n" + verdict_sentence(result, options) + "\n")


# -- shared wording -----------------------------------------------------------


def excerpt(finding: Finding) -> tuple[str, int, int]:
    """The context line cut to a readable width around the match, made printable; the match's span in it."""
    context = " ".join(finding.context.split("\n")) if finding.context else finding.match
    start, end = finding.span if finding.span != (0, 0) else (0, 0)
    if not (0 <= start < end <= len(context)) or context[start:end] != finding.match:
        found = context.find(finding.match)
        start, end = (found, found + len(finding.match)) if found >= 0 else (0, 0)
    if len(context) <= CONTEXT_WIDTH:
        return _escaped(context, start, end)
    left = max(0, min(start - 30, len(context) - CONTEXT_WIDTH))
    cut = context[left : left + CONTEXT_WIDTH]
    prefix = "…" if left else ""
    suffix = "…" if left + CONTEXT_WIDTH < len(context) else ""
    return _escaped(prefix + cut + suffix, start - left + len(prefix), end - left + len(prefix))


def _escaped(line: str, start: int, end: int) -> tuple[str, int, int]:
    """``line`` made printable, the span moved with it (an escape is longer than its character)."""
    before, marked = printable(line[:start]), printable(line[start:end])
    return before + marked + printable(line[end:]), len(before), len(before) + len(marked)


def _shown(results: Sequence[FileResult], options: ReportOptions) -> list[FileResult]:
    """The entries worth a line: not clean ones (unless --verbose), nor skipped members of a
    skipped container, whose line already names them and why."""
    if options.verbose:
        return list(results)
    skipped = {f.path for f in results if f.status == Status.SKIPPED}
    return [
        f
        for f in results
        if (f.status != Status.CLEAN or f.waived)
        and not (f.status == Status.SKIPPED and f.path.rpartition("!")[0] in skipped)
    ]


def summary_line(result: ScanResult, options: ReportOptions) -> str:
    """The headline: the files given, by status (they add up), then the members read inside them."""
    s = result.summary
    parts = [f"{s.files} file{'s' if s.files != 1 else ''} scanned"]
    parts.append(f"{s.flagged} flagged" + (f" (highest: {s.highest.label})" if s.flagged else ""))
    parts.append(f"{s.clean} clean")
    parts.append(f"{s.errors} could not be read")
    if s.skipped:
        parts.append(f"{s.skipped} skipped")
    waived = sum(len(f.waived) for f in result.files)
    if waived:
        parts.append(f"{waived} finding{'s' if waived != 1 else ''} waived by the baseline")
    members = members_sentence(s)
    return ", ".join(parts) + "." + (f" {members}" if members else "")


def _change_note(file_result: FileResult, options: ReportOptions) -> str:
    """With --compare: what changed since the previous report, after the file's line."""
    return "" if options.compare is None else f"  ({options.compare.change(file_result)})"


def _coverage_text(file_result: FileResult) -> str:
    cov = file_result.coverage
    text = "read: " + (", ".join(cov.parts) if cov.parts else "nothing")
    if cov.pages is not None:
        text += f"; {cov.pages} page{'s' if cov.pages != 1 else ''}"
    return printable(text)


def _unread(file_result: FileResult) -> list[str]:
    """The parts not read; a skipped entry's error line already lists them."""
    if file_result.status == Status.SKIPPED:
        return []
    return [printable(f"not read: {s.part}: {s.reason}") for s in file_result.coverage.skipped]


# -- plain --------------------------------------------------------------------


def _plain_file(file_result: FileResult, out: TextIO, options: ReportOptions) -> None:
    status, level = file_result.status.upper(), file_result.level.label
    head = f"{status:8} {level:12} {printable(file_result.path)}  [{printable(file_result.type)}]"
    out.write(head + _change_note(file_result, options) + "\n")
    if options.quiet:
        return
    if file_result.error:
        out.write(f"    {printable(file_result.error)}\n")
    if file_result.label_mismatch is not None:
        out.write(f"    {printable(mismatch_sentence(file_result.label_mismatch, options.redact))}\n")
    for finding in file_result.findings:
        _plain_finding(finding, out, options, "")
    for finding in file_result.waived:
        _plain_finding(finding, out, options, "waived: ")
    for line in _unread(file_result):
        out.write(f"    {line}\n")
    if options.verbose:
        out.write(f"    {_coverage_text(file_result)}\n")
        for finding in file_result.suppressed:
            _plain_finding(finding, out, options, "suppressed: ")


def _plain_finding(finding: Finding, out: TextIO, options: ReportOptions, prefix: str) -> None:
    shown = "" if options.redact else f"  {printable(finding.match)}"
    out.write(
        f"    {prefix}{level_text(finding):12} {where(finding)}  {printable(finding.rule)}{shown}  "
        f"(confidence {finding.confidence:.2f})\n"
    )
    if not options.redact:
        line, start, end = excerpt(finding)
        out.write(f"      | {line}\n")
        if end > start:
            out.write("      | " + _caret_pad(line[:start]) + "^" * max(1, _width(line[start:end])) + "\n")
    if options.verbose and finding.reasons:
        out.write("      why: " + printable("; ".join(finding.reasons)) + "\n")


def _width(text: str) -> int:
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def _caret_pad(text: str) -> str:
    return " " * _width(text)


# -- rich ---------------------------------------------------------------------


def _console(out: TextIO) -> Console:
    from rich.console import Console

    return Console(file=out, force_terminal=True, highlight=False, soft_wrap=True)


def _rich_file(console: Console, file_result: FileResult, options: ReportOptions) -> None:
    from rich.text import Text

    head = Text()
    head.append(f" {file_result.status.upper()} ", style=STATUS_STYLE.get(file_result.status, ""))
    head.append(" ")
    head.append(f"{file_result.level.label}", style=LEVEL_STYLE[file_result.level])
    head.append(f"  {printable(file_result.path)}", style="bold")
    head.append(f"  [{printable(file_result.type)}]", style="dim")
    head.append(_change_note(file_result, options), style="bold cyan")
    console.print(head)
    if options.quiet:
        return
    if file_result.error:
        style = "red" if file_result.status == Status.ERROR else ""
        console.print(Text(f"    {printable(file_result.error)}", style=style))
    if file_result.label_mismatch is not None:
        sentence = mismatch_sentence(file_result.label_mismatch, options.redact)
        console.print(Text(f"    {printable(sentence)}", style="bold magenta"))
    for finding in file_result.findings:
        _rich_finding(console, finding, options, "")
    for finding in file_result.waived:
        _rich_finding(console, finding, options, "waived ")
    for line in _unread(file_result):
        console.print(Text(f"    {line}", style="yellow"))
    if options.verbose:
        console.print(Text(f"    {_coverage_text(file_result)}", style="dim"))
        for finding in file_result.suppressed:
            _rich_finding(console, finding, options, "suppressed ")


def _rich_finding(console: Console, finding: Finding, options: ReportOptions, prefix: str) -> None:
    from rich.text import Text

    dim = bool(prefix)
    line = Text("    ")
    if prefix:
        line.append(prefix, style="dim italic")
    line.append(f"{level_text(finding):12}", style="dim" if dim else LEVEL_STYLE[finding.level])
    line.append(f" {where(finding)}", style="cyan")
    line.append(f"  {printable(finding.rule)}", style="dim")
    line.append(f"  {finding.confidence:.2f}", style="dim")
    console.print(line)
    if not options.redact:
        console.print(_highlighted(finding, dim))
    if options.verbose and finding.reasons:
        console.print(Text("      why: " + printable("; ".join(finding.reasons)), style="dim"))


def _highlighted(finding: Finding, dim: bool) -> Text:
    from rich.text import Text

    context, start, end = excerpt(finding)
    text = Text("      │ ", style="dim")
    text.append(context[:start])
    text.append(context[start:end], style="reverse" if not dim else "underline")
    text.append(context[end:])
    return text


def _rich_summary(console: Console, result: ScanResult, options: ReportOptions) -> None:
    from rich.table import Table
    from rich.text import Text

    counts = flagged_by_level(result)
    if counts:
        # The flagged files the headline counts (a zip once, at its most marked member's
        # level), so the table's total is the headline's "N flagged".
        table = Table(title="Files by highest level", title_justify="left", show_edge=False)
        table.add_column("level")
        table.add_column("files", justify="right")
        for level in sorted(counts, reverse=True):
            table.add_row(Text(level.label, style=LEVEL_STYLE[level]), str(counts[level]))
        table.add_section()
        table.add_row(Text("total", style="bold"), str(sum(counts.values())))
        console.print(table)
    console.print(summary_line(result, options))
    verdict = verdict_sentence(result, options)
    style = "bold red" if verdict.startswith(("Blocked", "Not cleared")) else "bold green"
    console.print(Text(verdict, style=style))
