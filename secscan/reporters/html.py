"""HTML report (`--format html`): one self-contained page to attach to a ticket or e-mail.

No external CSS, script, font or image: the page works offline and loads
nothing. Every string that came from a scanned file (paths, matches, context,
error texts, even rule descriptions) goes through ``html.escape``, so a
document containing ``<script>`` shows it as text; a Content-Security-Policy
that allows no script at all is the second lock. Before that, control and
direction characters are written as visible escapes (``safe_text.printable``),
so ``gpj.exe`` cannot pose as ``exe.jpg``. Standard library only.

The totals add up: the headline counts the files given, the table's "files"
column counts the flagged ones by highest level (total: the headline's flagged),
and the members read inside them are counted apart. A container flagged only
through its members gets its own section, never a line under "Files without
findings".
"""

from __future__ import annotations

import html
from typing import TextIO

from secscan import __version__
from secscan.model import FileResult, Finding, Level, ScanResult, Status
from secscan.reporters import ReportOptions
from secscan.reporters.html_style import CSP, CSS
from secscan.reporters.redact import redact_result
from secscan.reporters.safe_text import printable
from secscan.reporters.wording import (
    flagged_by_level,
    level_text,
    members_sentence,
    mismatch_sentence,
    verdict_sentence,
    where,
)

CONTEXT_SIDE = 60  # characters of context kept on each side of a match
LEVELS_DOWN = sorted(Level, reverse=True)


def write(result: ScanResult, out: TextIO, options: ReportOptions) -> None:
    verdict = verdict_sentence(result, options)
    result = redact_result(result, options.redact)
    out.write(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>secscan report</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        f'<h1>secscan report</h1>\n<p class="verdict">{escape(verdict)}</p>\n'
    )
    out.write(_totals(result, options))
    for file_result in result.files:
        if _has_section(file_result):
            out.write(_file_section(file_result, options))
    out.write(_other_files(result))
    out.write(f"<footer>secscan {escape(__version__)}{' · redacted' if options.redact else ''}</footer>\n")
    out.write("</body>\n</html>\n")


def _totals(result: ScanResult, options: ReportOptions) -> str:
    s = result.summary
    flagged = flagged_by_level(result)
    rows = []
    for level in LEVELS_DOWN:
        findings = sum(1 for f in result.files for x in f.findings if x.level == level)
        rows.append(
            f'<tr class="lv-{level.label}"><th>{level.label}</th><td>{flagged.get(level, 0)}</td>'
            f"<td>{findings}</td></tr>"
        )
    all_findings = sum(len(f.findings) for f in result.files)
    waived = sum(len(f.waived) for f in result.files)
    fail_on = options.fail_on.label if options.fail_on is not None else "never"
    members = members_sentence(s)
    return (
        '<section class="totals">\n<h2>Totals</h2>\n'
        f"<p>{s.files} files: {s.flagged} flagged, {s.clean} clean, {s.errors} could not be read, "
        f"{s.skipped} skipped; {waived} findings waived. Highest level: "
        f'<span class="badge lv-{s.highest.label}">{s.highest.label}</span>. '
        f"Fail on: {escape(fail_on)}.{' ' + escape(members) if members else ''}</p>\n"
        "<table><thead><tr><th>level</th><th>flagged files (highest level)</th>"
        "<th>findings (members too)</th></tr></thead>\n<tbody>"
        + "".join(rows)
        + f"</tbody><tfoot><tr><th>total</th><td>{sum(flagged.values())}</td><td>{all_findings}</td></tr>"
        "</tfoot></table>\n</section>\n"
    )


def _has_section(file_result: FileResult) -> bool:
    """A file gets a section when it has rows to show, or is flagged (through its members)."""
    return bool(
        file_result.findings
        or file_result.waived
        or file_result.suppressed
        or file_result.status == Status.FLAGGED
    )


def _file_section(file_result: FileResult, options: ReportOptions) -> str:
    rows = [
        *(_finding_row(f, "finding") for f in file_result.findings),
        *(_finding_row(f, "waived") for f in file_result.waived),
        *(_finding_row(f, "candidate") for f in file_result.suppressed),
    ]
    error = f'<p class="error">{escape(file_result.error)}</p>\n' if file_result.error else ""
    if file_result.label_mismatch is not None:
        sentence = mismatch_sentence(file_result.label_mismatch, options.redact)
        error += f'<p class="mismatch">{escape(sentence)}</p>\n'
    if not rows:
        return _member_flagged_section(file_result, error)
    return (
        f'<section class="file st-{escape(file_result.status)}">\n'
        f'<h2><span class="badge lv-{file_result.level.label}">{file_result.level.label}</span> '
        f"<code>{escape(file_result.path)}</code></h2>\n"
        f'<p class="meta">{escape(file_result.status)} · {escape(file_result.type)}'
        f"{_coverage(file_result)}</p>\n"
        f"{error}<table><thead><tr><th>level</th><th>where</th><th>rule</th><th>marking in context</th>"
        "<th>confidence</th><th>note</th></tr></thead>\n<tbody>\n"
        + "".join(rows)
        + "</tbody></table>\n</section>\n"
    )


def _member_flagged_section(file_result: FileResult, error: str) -> str:
    """A container with no marking of its own, flagged because members below it are."""
    return (
        f'<section class="file st-{escape(file_result.status)}">\n'
        f'<h2><span class="badge lv-{file_result.level.label}">{file_result.level.label}</span> '
        f"<code>{escape(file_result.path)}</code></h2>\n"
        f'<p class="meta">{escape(file_result.status)} · {escape(file_result.type)}'
        f"{_coverage(file_result)}</p>\n"
        f"{error}<p>No marking in the file itself: it is flagged because of the members listed "
        "after it (their paths start with this one and <code>!</code>).</p>\n</section>\n"
    )


def _finding_row(finding: Finding, kind: str) -> str:
    notes = list(finding.reasons)
    if finding.original_level is not None:
        notes.insert(0, f"declassified from {finding.original_level.label}")
    if kind != "finding":
        notes.insert(0, kind)
    title = f' title="{escape(finding.description)}"' if finding.description else ""
    return (
        f'<tr class="{kind} lv-{finding.level.label}"><td>{escape(level_text(finding))}</td>'
        f"<td>{escape(where(finding))}</td><td{title}><code>{escape(finding.rule)}</code></td>"
        f'<td class="ctx">{_context(finding)}</td><td>{finding.confidence:.2f}</td>'
        f"<td>{escape('; '.join(notes))}</td></tr>\n"
    )


def _context(finding: Finding) -> str:
    """The marking in a little of its line, the marking itself in <mark>; all of it escaped."""
    context, match = finding.context, finding.match
    start, end = finding.span
    if not context or not (0 <= start < end <= len(context)) or context[start:end] != match:
        found = context.find(match) if context and match else -1
        if found < 0:
            return f"<mark>{escape(match)}</mark>"
        start, end = found, found + len(match)
    left = max(0, start - CONTEXT_SIDE)
    right = min(len(context), end + CONTEXT_SIDE)
    before = ("…" if left else "") + context[left:start]
    after = context[end:right] + ("…" if right < len(context) else "")
    return f"{escape(before)}<mark>{escape(context[start:end])}</mark>{escape(after)}"


def _coverage(file_result: FileResult) -> str:
    cov = file_result.coverage
    text = ""
    if cov.parts:
        text += " · read: " + ", ".join(cov.parts)
    if cov.pages is not None:
        text += f" · {cov.pages} page{'s' if cov.pages != 1 else ''}"
    for skipped in cov.skipped:
        text += f" · not read: {skipped.part} ({skipped.reason})"
    return escape(text)


def _other_files(result: ScanResult) -> str:
    others = [f for f in result.files if not _has_section(f)]
    if not others:
        return ""
    order = {Status.ERROR: 0, Status.SKIPPED: 1, Status.FLAGGED: 2, Status.CLEAN: 3}
    rows = "".join(
        f'<tr class="st-{escape(f.status)}"><td>{escape(f.status)}</td><td><code>{escape(f.path)}</code></td>'
        f"<td>{escape(f.type)}</td><td>{escape(f.error or '')}</td></tr>\n"
        for f in sorted(others, key=lambda f: order.get(f.status, 9))
    )
    return (
        '<section class="others">\n<h2>Files without findings</h2>\n'
        "<table><thead><tr><th>status</th><th>path</th><th>type</th><th>reason</th></tr></thead>\n<tbody>\n"
        f"{rows}</tbody></table>\n</section>\n"
    )


def escape(text: str) -> str:
    """Text from a scanned file made inert for HTML: markup escaped, control and bidi characters shown."""
    return html.escape(printable(text), quote=True)
