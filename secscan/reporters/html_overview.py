"""The top of the HTML report: where the marked files are, what could not be read, what changed.

An auditor's first questions after "how many": which folders to visit first, and
which files nobody has checked. Both tables count the files the scan was given
(a zip once, at its most marked member's level), exactly as the headline does,
so the folder column totals the headline's "flagged" and the reason column its
"could not be read" and "skipped". The bars are plain CSS widths: no chart
library, no script, nothing fetched.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict

from secscan.gates.compare import Change, Comparison
from secscan.model import FileResult, Level, ScanResult, Status, split_members
from secscan.reporters.safe_text import printable
from secscan.reporters.wording import LEVEL_NAMES_ZH, changes_sentence

TOP_FOLDERS = 15  # folders listed by name; the rest share one row, so the column still adds up
MARKED_LEVELS = sorted((level for level in Level if level > Level.NONE), reverse=True)
_NUMBER = re.compile(r"\d[\d,.]*")


def level_cell(level: Level) -> str:
    """A level badge with its Chinese name beside the English one (an overview mixes schemes)."""
    zh = LEVEL_NAMES_ZH.get(level)
    return f'<span class="badge lv-{level.label}">{level.label}</span>' + (f" {zh}" if zh else "")


def folder_of(path: str) -> str:
    """The folder a report path sits in ("." for a bare name); a member counts in its file's folder."""
    cut = max(path.rfind("/"), path.rfind("\\"))
    return path[:cut] if cut > 0 else ("/" if cut == 0 else ".")


def folders_section(result: ScanResult) -> str:
    flagged = [f for f in split_members(result.files)[0] if f.status == Status.FLAGGED]
    if not flagged:
        return ""
    by_folder: dict[str, Counter[Level]] = defaultdict(Counter)
    for entry in flagged:
        by_folder[folder_of(entry.path)][entry.level] += 1
    ranked = sorted(by_folder.items(), key=lambda item: (-item[1].total(), -max(item[1]), item[0]))
    shown, rest = ranked[:TOP_FOLDERS], ranked[TOP_FOLDERS:]
    widest = max(counts.total() for _, counts in shown)
    rows = [_folder_row(f"<code>{escape(folder)}</code>", counts, widest) for folder, counts in shown]
    if rest:
        others: Counter[Level] = sum((counts for _, counts in rest), Counter())
        rows.append(_folder_row(f"{len(rest)} other folders", others, widest))
    total: Counter[Level] = Counter(entry.level for entry in flagged)
    heads = "".join(f"<th>{level_cell(level)}</th>" for level in MARKED_LEVELS)
    return (
        '<section class="folders">\n<h2>Folders with the most marked files</h2>\n'
        '<table class="sortable"><thead><tr><th>folder</th><th>marked files</th>'
        f"{heads}<th>highest</th><th>share</th></tr></thead>\n<tbody>\n"
        + "".join(rows)
        + f"</tbody><tfoot>{_folder_row('total', total, 0)}</tfoot></table>\n</section>\n"
    )


def _folder_row(name: str, counts: Counter[Level], widest: int) -> str:
    highest = max(counts)
    cells = "".join(f"<td>{counts[level]}</td>" for level in MARKED_LEVELS)
    bar = (
        f'<span class="bar lv-{highest.label}" style="width:{100 * counts.total() // widest}%"></span>'
        if widest
        else ""
    )
    return (
        f'<tr data-sort-highest="{int(highest)}"><th>{name}</th><td>{counts.total()}</td>{cells}'
        f'<td data-sort="{int(highest)}">{level_cell(highest)}</td><td class="share">{bar}</td></tr>\n'
    )


def reason_of(error: str | None) -> str:
    """An error line with its numbers and names blurred, so files that failed alike share a row."""
    text = error or "no reason given"
    if text.startswith("member "):
        return "a member could not be read"
    return _NUMBER.sub("N", text)[:160]


def unread_section(result: ScanResult) -> str:
    top = split_members(result.files)[0]
    groups: dict[tuple[Status, str], list[FileResult]] = defaultdict(list)
    for entry in top:
        if entry.status in (Status.ERROR, Status.SKIPPED):
            groups[(entry.status, reason_of(entry.error))].append(entry)
    if not groups:
        return ""
    rows = []
    for (status, reason), files in sorted(groups.items(), key=lambda item: (item[0][0], -len(item[1]))):
        examples = ", ".join(f"<code>{escape(f.path)}</code>" for f in files[:3])
        more = f" and {len(files) - 3} more" if len(files) > 3 else ""
        rows.append(
            f'<tr class="st-{status}"><td>{_status_word(status)}</td><td>{escape(reason)}</td>'
            f"<td>{len(files)}</td><td>{examples}{more}</td></tr>\n"
        )
    s = result.summary
    return (
        '<section class="unread">\n<h2>Files not read, by reason</h2>\n'
        '<table class="sortable"><thead><tr><th>status</th><th>reason</th><th>files</th>'
        "<th>for example</th></tr></thead>\n<tbody>\n"
        + "".join(rows)
        + f"</tbody><tfoot><tr><th>total</th><td>{s.errors} could not be read, {s.skipped} skipped</td>"
        f"<td>{s.errors + s.skipped}</td><td></td></tr></tfoot></table>\n</section>\n"
    )


def _status_word(status: Status) -> str:
    return "could not be read" if status == Status.ERROR else "skipped (partly read or excluded)"


def changes_section(result: ScanResult, comparison: Comparison) -> str:
    """What changed since the previous report: the counts, every changed file, the gone ones."""
    sentence = changes_sentence(comparison, result)
    changed = [(f, comparison.change(f)) for f in result.files]
    rows = [
        f'<tr class="ch-{change}" data-level="{f.level.label}" data-status="{f.status}" '
        f'data-change="{change}"><td>{change}</td><td>{level_cell(f.level)}</td>'
        f"<td>{_before(comparison, f.path)}</td><td><code>{escape(f.path)}</code></td></tr>\n"
        for f, change in changed
        if change != Change.UNCHANGED
    ]
    rows += [
        f'<tr class="ch-gone" data-level="none" data-status="{escape(p.status)}" data-change="gone">'
        f"<td>gone</td><td></td><td>{level_cell(p.level)}</td><td><code>{escape(p.path)}</code></td></tr>\n"
        for p in comparison.gone(result)
    ]
    table = (
        '<table class="sortable filtered"><thead><tr><th>change</th><th>level now</th><th>level before</th>'
        "<th>path</th></tr></thead>\n<tbody>\n" + "".join(rows) + "</tbody></table>\n"
        if rows
        else ""
    )
    return f'<section class="changes">\n<h2>What changed</h2>\n<p>{escape(sentence)}</p>\n{table}</section>\n'


def _before(comparison: Comparison, path: str) -> str:
    before = comparison.previous.get(path)
    return "" if before is None else level_cell(before.level)


def escape(text: str) -> str:
    """Text from a scanned file made inert for HTML: markup escaped, control and bidi characters shown."""
    return html.escape(printable(text), quote=True)
