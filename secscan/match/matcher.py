"""Find markings in the text blocks of one file and score each as marking or mention.

Steps: a keyword prefilter (``secscan.match.prefilter``: one automaton pass over a
cheap skeleton of the text: no spaces, ASCII lower case) picks the few patterns
worth running; only those blocks are normalised and searched with the
patterns' regexes; every hit becomes a ``Candidate`` scored by
``secscan.match.context`` with document-level facts (``secscan.match.docfacts``);
declassification indicators cancel what they govern; hits at or above the
threshold are findings, the rest are ``suppressed``. A block with no keyword
costs one ``str.translate`` and one automaton pass, which is what lets the
pipeline scan hundreds of small files a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice

from secscan.match import docfacts, lineblocks
from secscan.match.catalog import Catalog, Pattern
from secscan.match.context import Candidate, DocFacts, labelled_place, marking_key, score
from secscan.match.context_words import ContextWords
from secscan.match.normalize import Normalized, fold, normalize
from secscan.match.ocrfix import ocr_fix
from secscan.match.prefilter import Index, index_for
from secscan.model import Finding, Label, Level, Location, MatchOutcome, TextBlock

Key = tuple[int, int]

FILENAME_CAP = 0.55
STATEMENT_SPAN = 20_000  # characters from the start in which a document says it is training material
CONTEXT_SIDE = 200  # characters of context a finding quotes on each side of its match
FILENAME_LABEL_CAP = 0.65  # a level set apart in the name: counts, at moderate confidence
REGISTER_SPAN = 500  # rows looked back through for a register's header row
_UNTICKED = "□☐"
# What may sit beside a marking on a line it holds alone. Not 。！？: a level word that ends a sentence
# (…心中的祕密。) is running text wrapped onto a line of its own.
_REST = re.compile(r"[\s\-–—_|:：,，.;；()（）\[\]【】<>〈〉!/★·•\u2022]+")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_NAME_UNDERSCORE = re.compile(r"(?<=[A-Za-z])_(?=[A-Za-z])")
_PROPERTY = re.compile(r"^[^:：\n]{1,120}[:：]\s")
_TITLE_ORIGINS = frozenset({"property:title", "property:Title"})


@dataclass(frozen=True)
class _Hit:
    cand: Candidate
    norm: Normalized
    line_offset: int  # where ``cand.line`` starts in the normalised block
    level: Level
    ocr_fixed: bool


def match(blocks: Sequence[TextBlock], catalog: Catalog, threshold: float = 0.6) -> MatchOutcome:
    """Findings (at or above ``threshold``) and suppressed candidates for one file's blocks."""
    index = index_for(catalog)
    blocks = lineblocks.join_columns(tuple(blocks))
    hits: list[_Hit] = []
    negatives: list[_Hit] = []
    declass: list[_Hit] = []
    chosen, signals = index.select(blocks)
    blocks, chosen = lineblocks.split_lines(blocks, chosen, index.select)
    sinks = {"negative": negatives, "declassification": declass}
    for number in sorted(chosen):
        for hit in _search(number, blocks[number], [catalog.patterns[i] for i in sorted(chosen[number])]):
            start = hit.norm.original_span(hit.line_offset + hit.cand.start, hit.line_offset + hit.cand.end)
            if not lineblocks.read_again(blocks[number], start[0]):
                sinks.get(hit.cand.pattern.kind, hits).append(hit)
    stated = tuple(
        Label(Level.NONE, _text(n)) for n in negatives if blocks[n.cand.block_index].part == "metadata"
    )
    if not hits:
        return MatchOutcome(findings=(), labels=stated)
    hits = _pair_translations(_resolve_overlaps([h for h in hits if not _negated(h, negatives)]))
    hits = _taiwan_tiers(blocks, hits, catalog.words)
    facts = _facts(blocks, hits, negatives, signals, catalog.words)
    outcome = _outcome(blocks, hits, declass, facts, threshold)
    labels = tuple(Label(f.level, f.match) for f in outcome.findings if f.location.part == "metadata")
    return replace(outcome, labels=labels + stated)


def _taiwan_tiers(blocks: Sequence[TextBlock], hits: list[_Hit], words: ContextWords) -> list[_Hit]:
    """Bare 機密 is Taiwan's third tier (confidential) in a file that shows it is Taiwanese; what
    shows it is the catalog's ``taiwan-context`` words (docs/markings/taiwan-hongkong.md)."""
    bare = [h for h in hits if h.level == Level.SECRET and _text(h).strip() == "机密"]
    if not bare or not any(words.search("taiwan-context", b.text) for b in blocks):
        return hits
    third = Level.CONFIDENTIAL
    return [replace(h, level=third, cand=replace(h.cand, level=third)) if h in bare else h for h in hits]


def _search(number: int, block: TextBlock, patterns: list[Pattern]) -> list[_Hit]:
    norm = normalize(block.text)
    text = fold(norm.text)
    ocr_fixed = False
    fixed = ocr_fix(text)
    ocr_fixed, text = fixed != text, fixed
    # A file name parts its words with underscores (Board_Pack_STRICTLY_CONFIDENTIAL): the patterns
    # read them as spaces; the scorer still sees the name as written.
    searched = _NAME_UNDERSCORE.sub(" ", text) if block.part == "filename" else text
    out: list[_Hit] = []
    handling = [p.regex for p in patterns if p.handling]
    for pattern in patterns:
        for m in pattern.regex.finditer(searched):
            if m.end() == m.start():
                continue
            level = pattern.level_of(m) if pattern.kind == "marking" else Level.NONE
            if level is None:
                continue
            begin = text.rfind("\n", 0, m.start()) + 1
            stop = text.find("\n", m.end())
            line = text[begin : len(text) if stop < 0 else stop]
            start, end = m.start() - begin, m.end() - begin
            if any(e.start() < end and e.end() > start for x in pattern.exclude for e in x.finditer(line)):
                continue
            cand = Candidate(
                pattern,
                number,
                text.count("\n", 0, m.start()),
                line,
                start,
                end,
                _alone(block, line, start, end, handling),
                level,
            )
            out.append(_Hit(cand, norm, begin, level, ocr_fixed))
    return out


def _alone(
    block: TextBlock, line: str, start: int, end: int, handling: Sequence[re.Pattern[str]] = ()
) -> bool:
    """Nothing but separators beside the match, or a handling rule that goes with it (公司机密 严禁外传);
    or the same label tiled along the line (a watermark row: 内部资料 严禁外传　内部资料 严禁外传).
    A spreadsheet row of one cell ("alone" hint) is no exception: a level word inside a longer cell
    (机密文书收发登记簿) is part of that cell's text."""
    before, after = line[:start], line[end:]
    if block.part == "metadata":
        before = _PROPERTY.sub("", before)
    if block.part == "filename":
        after = _EXTENSION.sub("", after)
    rest = _REST.sub("", before + after)
    label = _REST.sub("", line[start:end])
    if not rest or (len(label) > 1 and not rest.replace(label, "")):
        return True
    for rule in handling:
        before, after = rule.sub(" ", before), rule.sub(" ", after)
    return bool(handling) and not _REST.sub("", before + after)


def _negated(hit: _Hit, negatives: list[_Hit]) -> bool:
    """A hit overlapping an explicit negative (非涉密, UNCLASSIFIED) that it does not contain is vetoed."""
    c = hit.cand
    for neg in negatives:
        n = neg.cand
        if n.block_index != c.block_index or n.line_index != c.line_index:
            continue
        overlaps = n.start < c.end and n.end > c.start
        contains = c.start <= n.start and c.end >= n.end and (c.end - c.start) > (n.end - n.start)
        if overlaps and not contains:
            return True
    return False


def _unticked(c: Candidate) -> bool:
    """An option of a tick-box field that is not ticked (□机密) says nothing about the document."""
    before = c.line[: c.start].rstrip()
    return bool(before) and before[-1] in _UNTICKED


def _resolve_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """Where two hits overlap in one line, the longer (more specific) one wins."""
    ordered = sorted(hits, key=lambda h: (-(h.cand.end - h.cand.start), -h.cand.pattern.score))
    kept: list[_Hit] = []
    for hit in ordered:
        c = hit.cand
        if not any(
            k.cand.block_index == c.block_index
            and k.cand.line_index == c.line_index
            and k.cand.start < c.end
            and k.cand.end > c.start
            for k in kept
        ):
            kept.append(hit)
    return kept


def _pair_translations(hits: list[_Hit]) -> list[_Hit]:
    """Markings of one level that share a line with nothing else are one bilingual label
    (SECRET 機密, RESTRICTED（限閱文件）): each is alone on its line, as either would be by itself."""
    lines: dict[Key, list[_Hit]] = {}
    for hit in hits:
        lines.setdefault((hit.cand.block_index, hit.cand.line_index), []).append(hit)
    out: list[_Hit] = []
    for group in lines.values():
        line = group[0].cand.line
        rest = line
        for hit in sorted(group, key=lambda h: -h.cand.start):
            rest = rest[: hit.cand.start] + " " + rest[hit.cand.end :]
        pair = len(group) > 1 and len({h.level for h in group}) == 1 and not _REST.sub("", rest)
        out.extend(replace(h, cand=replace(h.cand, alone=True)) if pair else h for h in group)
    return out


def _facts(
    blocks: tuple[TextBlock, ...],
    hits: list[_Hit],
    negatives: list[_Hit],
    signals: set[str],
    words: ContextWords,
) -> DocFacts:
    first, tops = docfacts.first_lines(blocks)
    keys = {(h.cand.block_index, h.cand.line_index) for h in hits}
    listed = _listed(blocks, hits, first | tops) | _register_column(blocks, hits, words)
    places: dict[str, set[tuple[str, int | None, bool]]] = {}
    for h in hits:
        # An entry of a list of markings (a training slide's table of levels) is no placement of a
        # label: it must not make the same words elsewhere look like a repeated banner.
        if (h.cand.block_index, h.cand.line_index) in listed:
            continue
        if h.cand.alone or labelled_place(h.cand, blocks[h.cand.block_index], first | tops):
            block = blocks[h.cand.block_index]
            top = (h.cand.block_index, h.cand.line_index) in first | tops or block.part == "header"
            places.setdefault(marking_key(h.cand.line[h.cand.start : h.cand.end]), set()).add(
                (block.part, block.page, top)
            )
    prominent = any(
        n.cand.alone or blocks[n.cand.block_index].part in ("header", "footer") for n in negatives
    )
    texts = [b.text for b in blocks]
    banners = [
        h.level
        for h in hits
        if (h.cand.alone or labelled_place(h.cand, blocks[h.cand.block_index], first | tops))
        and (blocks[h.cand.block_index].part in ("header", "footer") or _at_edge(blocks[h.cand.block_index]))
        and len(places.get(marking_key(h.cand.line[h.cand.start : h.cand.end]), ())) >= 2
    ]
    titles, _ = docfacts.first_lines(blocks, through_running=True)
    first_texts = [blocks[b].text for b in {k[0] for k in titles}]
    names = [b.text for b in blocks if b.part == "filename"]
    titled = first_texts + names + [b.text for b in blocks if b.origin in _TITLE_ORIGINS]
    on_line: dict[tuple[int, int], set[Level]] = {}
    for h in hits:
        # 公司机密 严禁外传 is one label and its handling rule, not two levels listed side by side.
        if not _unticked(h.cand) and not h.cand.pattern.handling:
            on_line.setdefault((h.cand.block_index, h.cand.line_index), set()).add(h.level)
    return DocFacts(
        blocks=blocks,
        first_lines=first,
        page_tops=tops,
        neighbours=docfacts.neighbours(blocks, keys),
        repeats={key: len(value) for key, value in places.items()},
        authority="authority" in signals and docfacts.has_authority(texts),
        portions=lineblocks.count_portions(blocks) if any(h.cand.pattern.portion for h in hits) else 0,
        training=any(words.search("document-training", text) for text in _statement_texts(blocks))
        or any(words.search("sample-title", text) for text in first_texts + names),
        banner=max(banners) if banners else None,
        non_secret=prominent,
        line_levels={key: frozenset(value) for key, value in on_line.items()},
        words=words,
        listed=listed,
        other_sense=next(filter(None, (words.search("other-sense-title", t) for t in titled)), ""),
    )


def _at_edge(block: TextBlock) -> bool:
    """At the very top or bottom of a page, where a PDF or slide carries its running banner."""
    return block.vpos is not None and (block.vpos <= 0.08 or block.vpos >= 0.92)


def _statement_texts(blocks: tuple[TextBlock, ...]) -> Iterator[str]:
    """Where a document says what it is ("仅供培训使用", "for training use only"): its running headers
    and footers, its properties, and its opening (the first ``STATEMENT_SPAN`` characters). Bounded,
    so a 50 MB text costs what a page costs."""
    yield from (b.text for b in blocks if b.part in ("header", "footer", "metadata", "filename"))
    seen = 0
    for block in blocks:
        if seen >= STATEMENT_SPAN:
            return
        if block.part not in ("header", "footer", "metadata", "filename"):
            yield block.text[: STATEMENT_SPAN - seen]
            seen += len(block.text)


def _listed(
    blocks: tuple[TextBlock, ...], hits: list[_Hit], tops: frozenset[tuple[int, int]]
) -> frozenset[Key]:
    """Candidates that are entries of a list of markings: an explainer's table of levels, a register.

    A document that shows three or more different markings of two or more levels in its running
    text (not at page tops, not in headers) is explaining or registering them; so is a table with
    three or more level cells. Its own label sits elsewhere (header, first lines) and is kept.
    """
    body = [
        h
        for h in hits
        if not h.cand.pattern.portion
        and not _unticked(h.cand)
        and blocks[h.cand.block_index].part in ("body", "table")
        and (h.cand.block_index, h.cand.line_index) not in tops
    ]
    listed: set[Key] = set()
    if len({h.level for h in body}) >= 2 and len({marking_key(_text(h)) for h in body}) >= 3:
        listed.update((h.cand.block_index, h.cand.line_index) for h in body)
    cells = {
        (h.cand.block_index, h.cand.line_index)
        for h in body
        if blocks[h.cand.block_index].part == "table" or "\t" in h.cand.line
    }
    if len(cells) >= 3:
        listed.update(cells)
    return frozenset(listed)


def _register_column(blocks: tuple[TextBlock, ...], hits: list[_Hit], words: ContextWords) -> frozenset[Key]:
    """Cells of a register's level column: table rows (tab-separated cells) under a header row whose
    cell in that column is a level field's name (密级, 密等, Classification). The rows describe
    other documents (an OA export, a 收发登记簿); the register's own label sits elsewhere."""
    found: set[Key] = set()
    for hit in hits:
        block = blocks[hit.cand.block_index]
        if block.part != "table" or "\t" not in block.text:
            continue
        start = hit.norm.original_span(hit.line_offset + hit.cand.start, hit.line_offset + hit.cand.end)[0]
        column = block.text.count("\t", block.text.rfind("\n", 0, start) + 1, start)
        key = (hit.cand.block_index, hit.cand.line_index)
        rows = _rows_under_header(blocks, *key, column, words)
        if rows is not None and rows + 1 + _rows_below(blocks, *key) >= 2:
            found.add(key)
    return frozenset(found)


def _table_rows(blocks: tuple[TextBlock, ...], index: int, line: int, step: int) -> Iterator[str]:
    """The rows of one table (same part and page) from the row at (index, line), going by ``step``."""
    page = blocks[index].page
    first = True
    while 0 <= index < len(blocks) and blocks[index].part == "table" and blocks[index].page == page:
        rows = blocks[index].text.split("\n")
        if not first:
            line = len(rows) if step < 0 else -1
        first = False
        line += step
        while 0 <= line < len(rows):
            yield rows[line]
            line += step
        index += step


def _rows_under_header(
    blocks: tuple[TextBlock, ...], index: int, line: int, column: int, words: ContextWords
) -> int | None:
    """How many rows lie between the row and a header row naming its column a level field, or None."""
    for count, row in enumerate(islice(_table_rows(blocks, index, line, -1), REGISTER_SPAN)):
        cells = row.split("\t")
        if len(cells) <= column:
            return None
        if words.before("field-label", cells[column].strip() + "："):
            return count
    return None


def _rows_below(blocks: tuple[TextBlock, ...], index: int, line: int) -> int:
    return sum(1 for row in islice(_table_rows(blocks, index, line, +1), 1) if "\t" in row)


def _text(hit: _Hit) -> str:
    return hit.cand.line[hit.cand.start : hit.cand.end]


def _outcome(
    blocks: tuple[TextBlock, ...], hits: list[_Hit], declass: list[_Hit], facts: DocFacts, threshold: float
) -> MatchOutcome:
    best: dict[tuple[str, str, str, int | None], Finding] = {}
    for hit in hits:
        finding = _finding(blocks[hit.cand.block_index], hit, facts)
        finding = _declassify(finding, hit, blocks, declass)
        key = (
            finding.rule,
            marking_key(hit.cand.line[hit.cand.start : hit.cand.end]),
            finding.location.part,
            finding.location.page,
        )
        if key not in best or best[key].confidence < finding.confidence:
            best[key] = finding
    ordered = sorted(best.values(), key=lambda f: (-f.confidence, f.location.page or 0, f.location.line or 0))
    return MatchOutcome(
        findings=tuple(f for f in ordered if f.confidence >= threshold),
        suppressed=tuple(f for f in ordered if f.confidence < threshold),
    )


def _finding(block: TextBlock, hit: _Hit, facts: DocFacts) -> Finding:
    c = hit.cand
    value, reasons = score(c, facts)
    if hit.ocr_fixed:
        value -= 0.05
        reasons.append("-OCR-corrected characters")
    if block.confidence is not None:
        value *= 0.7 + 0.3 * max(0.0, min(1.0, block.confidence))
        reasons.append(f"OCR confidence {block.confidence:.2f}")
    full_form = c.pattern.canonical or "star and term" in reasons or "// control markings" in reasons
    cap = FILENAME_LABEL_CAP if "a label in the file name" in reasons else FILENAME_CAP
    if block.part == "filename" and not full_form and value > cap:
        value = cap
        reasons.append("file name only: capped")
    span = hit.norm.original_span(hit.line_offset + c.start, hit.line_offset + c.end)
    line = (block.line if block.line is not None else 1) + c.line_index
    context, context_span = bounded_context(block.text, span)
    return Finding(
        rule=c.pattern.id,
        level=hit.level,
        match=block.text[span[0] : span[1]],
        location=Location(block.part, block.page, line, block.origin, box=block.box),
        confidence=round(max(0.0, min(1.0, value)), 2),
        reasons=tuple(reasons),
        context=context,
        span=context_span,
        description=c.pattern.description,
    )


def bounded_context(text: str, span: tuple[int, int]) -> tuple[str, tuple[int, int]]:
    """At most ``CONTEXT_SIDE`` characters of ``text`` each side of ``span``, and the span within them.

    A block can be a whole minified page or a 64 Ki window of one line; quoting it whole put
    hundreds of KiB of one file into a report.
    """
    left = max(0, span[0] - CONTEXT_SIDE)
    right = min(len(text), span[1] + CONTEXT_SIDE)
    return text[left:right], (span[0] - left, span[1] - left)


def _declassify(finding: Finding, hit: _Hit, blocks: tuple[TextBlock, ...], declass: list[_Hit]) -> Finding:
    """An authoritative release marking (or strike-through) cancels the markings it governs."""
    block = blocks[hit.cand.block_index]
    why = "struck through" if "strike" in block.hints else ""
    for d in declass:
        page = blocks[d.cand.block_index].page
        if page in (None, 1) or page == block.page:
            why = why or d.cand.line[d.cand.start : d.cand.end][:60]
            break
    if not why:
        return finding
    return replace(
        finding,
        rule=f"{finding.rule}.declassified",
        level=Level.NONE,
        original_level=finding.level,
        reasons=(*finding.reasons, f"declassified ({why})"),
    )


__all__ = ["Index", "match"]
