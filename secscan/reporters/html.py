"""HTML report (`--format html`): one self-contained page to attach to a ticket or e-mail.

No external CSS, script, font or image: the page works offline and loads
nothing. Every string that came from a scanned file (paths, matches, context,
error texts, even rule descriptions) goes through ``html.escape``, so a
document containing ``<script>`` shows it as text; a Content-Security-Policy
that allows only the report's own filter-and-sort script (by its hash) and
``data:`` images is the second lock. Before that, control and direction
characters are written as visible escapes (``safe_text.printable``), so
``gpj.exe`` cannot pose as ``exe.jpg``. Standard library only.

From the top: the verdict, totals by level, the folders with the most marked
files and the files not read by reason (``html_overview``), with ``--compare``
what changed, then a section per file with findings. A finding read from a
rendered page (a photo, a scan, a PDF page) shows the crop of the page the scan
made around it, inline as a ``data:`` URI; the report holds at most
``MAX_CROPS`` of them and ``--redact`` none.

The totals add up: the headline counts the files given, the table's "files"
column counts the flagged ones by highest level (total: the headline's flagged),
and the members read inside them are counted apart. A container flagged only
through its members gets its own section, never a line under "Files without
findings".
"""

from __future__ import annotations

import base64
import html
from typing import TextIO

from secscan import __version__
from secscan.gates.compare import Change
from secscan.model import FileResult, Finding, Level, ScanResult, Status
from secscan.reporters import ReportOptions
from secscan.reporters.html_overview import changes_section, folders_section, unread_section
from secscan.reporters.html_style import CSP, CSS, SCRIPT
from secscan.reporters.redact import redact_result
from secscan.reporters.safe_text import printable
from secscan.reporters.wording import (
    LEVEL_NAMES_ZH,
    flagged_by_level,
    level_text,
    members_sentence,
    mismatch_sentence,
    verdict_sentence,
    where,
)

CONTEXT_SIDE = 60  # characters of context kept on each side of a match
LEVELS_DOWN = sorted(Level, reverse=True)
MAX_CROPS = 150  # evidence crops in one report; the scan makes at most a few per file
MAX_CROP_BYTES = 3_000_000  # their bytes together (a third more as base64)
LEFT_OUT = "crop left out: the report already holds its share of pictures"


def write(result: ScanResult, out: TextIO, options: ReportOptions) -> None:
    verdict = verdict_sentence(result, options)
    result = redact_result(result, options.redact)
    crops = CropBudget()
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
    out.write(folders_section(result))
    out.write(unread_section(result))
    if options.compare is not None:
        out.write(changes_section(result, options.compare))
    out.write(_filter_form(options))
    for file_result in result.files:
        if _has_section(file_result):
            out.write(_file_section(file_result, options, crops))
    out.write(_other_files(result, options))
    out.write(f"<footer>secscan {escape(__version__)}{' · redacted' if options.redact else ''}</footer>\n")
    out.write(f"<script>{SCRIPT}</script>\n</body>\n</html>\n")


def _totals(result: ScanResult, options: ReportOptions) -> str:
    s = result.summary
    flagged = flagged_by_level(result)
    rows = []
    for level in LEVELS_DOWN:
        findings = sum(1 for f in result.files for x in f.findings if x.level == level)
        rows.append(
            f'<tr class="lv-{level.label}"><th>{level_name(level)}</th><td>{flagged.get(level, 0)}</td>'
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


def _file_section(file_result: FileResult, options: ReportOptions, crops: CropBudget) -> str:
    rows = [
        *(_finding_row(f, "finding", crops) for f in file_result.findings),
        *(_finding_row(f, "waived", crops) for f in file_result.waived),
        *(_finding_row(f, "candidate", crops) for f in file_result.suppressed),
    ]
    error = f'<p class="error">{escape(file_result.error)}</p>\n' if file_result.error else ""
    if file_result.label_mismatch is not None:
        sentence = mismatch_sentence(file_result.label_mismatch, options.redact)
        error += f'<p class="mismatch">{escape(sentence)}</p>\n'
    head = _file_head(file_result, options)
    if not rows:
        return (
            f"{head}{error}<p>No marking in the file itself: it is flagged because of the members listed "
            "after it (their paths start with this one and <code>!</code>).</p>\n</section>\n"
        )
    return (
        f'{head}{error}<table class="sortable"><thead><tr><th>level</th><th>where</th><th>rule</th>'
        "<th>marking in context</th><th>confidence</th><th>note</th></tr></thead>\n<tbody>\n"
        + "".join(rows)
        + "</tbody></table>\n</section>\n"
    )


def _file_head(file_result: FileResult, options: ReportOptions) -> str:
    """A file section's opening: the filterable section, its level badge, path and what was read."""
    change = options.compare.change(file_result) if options.compare is not None else None
    data = f' data-change="{change}"' if change is not None else ""
    note = f' <span class="change">{change}</span>' if change is not None else ""
    return (
        f'<section class="file st-{escape(file_result.status)}" data-level="{file_result.level.label}" '
        f'data-status="{escape(file_result.status)}"{data}>\n'
        f'<h2><span class="badge lv-{file_result.level.label}">{escape(file_level_text(file_result))}</span> '
        f"<code>{escape(file_result.path)}</code>{note}</h2>\n"
        f'<p class="meta">{escape(file_result.status)} · {escape(file_result.type)}'
        f"{_coverage(file_result)}</p>\n"
    )


def _finding_row(finding: Finding, kind: str, crops: CropBudget) -> str:
    notes = list(finding.reasons)
    if finding.original_level is not None:
        notes.insert(0, f"declassified from {finding.original_level.label}")
    if kind != "finding":
        notes.insert(0, kind)
    title = f' title="{escape(finding.description)}"' if finding.description else ""
    return (
        f'<tr class="{kind} lv-{finding.level.label}" data-level="{finding.level.label}">'
        f'<td data-sort="{int(finding.level)}">{escape(level_text(finding))}</td>'
        f"<td>{escape(where(finding))}</td><td{title}><code>{escape(finding.rule)}</code></td>"
        f'<td class="ctx">{_context(finding)}{_evidence(finding, crops)}</td>'
        f"<td>{finding.confidence:.2f}</td>"
        f"<td>{escape('; '.join(notes))}</td></tr>\n"
    )


class CropBudget:
    """The report-wide bound on evidence crops, so 10,000 findings still make a page of a few MB."""

    def __init__(self, count: int = MAX_CROPS, size: int = MAX_CROP_BYTES) -> None:
        self.count, self.size = count, size
        self.left_out = 0

    def take(self, crop: bytes) -> bool:
        if self.count <= 0 or len(crop) > self.size:
            self.left_out += 1
            return False
        self.count -= 1
        self.size -= len(crop)
        return True


def _evidence(finding: Finding, crops: CropBudget) -> str:
    """The crop of the page around the marking, inline (a data: URI), when the scan made one."""
    crop = finding.evidence
    if not crop:
        return ""
    if not crops.take(crop):
        return f'<div class="evidence"><span class="left-out">{LEFT_OUT}</span></div>'
    mime = "image/png" if crop.startswith(b"\x89PNG") else "image/jpeg"
    data = base64.b64encode(crop).decode("ascii")
    alt = escape(f"the page around the marking ({where(finding)})")
    return f'<div class="evidence"><img src="data:{mime};base64,{data}" alt="{alt}"></div>'


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


def _other_files(result: ScanResult, options: ReportOptions) -> str:
    others = [f for f in result.files if not _has_section(f)]
    if not others:
        return ""
    compare = options.compare
    order = {Status.ERROR: 0, Status.SKIPPED: 1, Status.FLAGGED: 2, Status.CLEAN: 3}
    rows = []
    for f in sorted(others, key=lambda f: order.get(f.status, 9)):
        change = compare.change(f) if compare is not None else None
        data = f' data-change="{change}"' if change is not None else ""
        rows.append(
            f'<tr class="st-{escape(f.status)}" data-level="{f.level.label}" data-status="{escape(f.status)}"'
            f"{data}><td>{escape(f.status)}</td><td><code>{escape(f.path)}</code></td>"
            f"<td>{escape(f.type)}</td><td>{escape(f.error or '')}</td>"
            + (f"<td>{change}</td>" if change is not None else "")
            + "</tr>\n"
        )
    change_head = "<th>change</th>" if compare is not None else ""
    return (
        '<section class="others">\n<h2>Files without findings</h2>\n'
        '<table class="sortable"><thead><tr><th>status</th><th>path</th><th>type</th><th>reason</th>'
        f"{change_head}</tr></thead>\n<tbody>\n"
        f"{''.join(rows)}</tbody></table>\n</section>\n"
    )


def _filter_form(options: ReportOptions) -> str:
    """The filter, hidden until the script shows it: without the script every row simply stays shown."""
    levels = "".join(f'<option value="{level.label}">{level_name(level)}</option>' for level in LEVELS_DOWN)
    statuses = "".join(f'<option value="{status}">{status}</option>' for status in Status)
    changes = ""
    if options.compare is not None:
        choices = "".join(f'<option value="{change}">{change}</option>' for change in Change)
        changes = f'<label>change <select name="change"><option value="">any</option>{choices}</select>'
        changes += "</label>"
    return (
        '<form id="filter" hidden>Show: '
        f'<label>level <select name="level"><option value="">any</option>{levels}</select></label>'
        f'<label>status <select name="status"><option value="">any</option>{statuses}</select></label>'
        f"{changes}</form>\n"
    )


def level_name(level: Level) -> str:
    """A level's English name and, for the levels a Chinese marking has, its Chinese name: ``secret 机密``."""
    zh = LEVEL_NAMES_ZH.get(level)
    return level.label + (f" {zh}" if zh else "")


def file_level_text(file_result: FileResult) -> str:
    """A file's level as its badge shows it: with the Chinese name when a Chinese rule set that level."""
    for finding in file_result.findings:
        if finding.level == file_result.level and finding.rule.startswith("cn."):
            return level_text(finding)
    return file_result.level.label


def escape(text: str) -> str:
    """Text from a scanned file made inert for HTML: markup escaped, control and bidi characters shown."""
    return html.escape(printable(text), quote=True)
