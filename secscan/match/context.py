"""Scoring signals that tell a marking from a mention (docs/markings/signals.md).

A candidate starts at its pattern's base score; each signal that holds adds or
subtracts a fixed weight and names itself in ``reasons``, so every verdict can
be explained ("alone on its line", "in header", "-sentence context (保守)").
The signals are generic (position, layout, grammar around the token); what a
marking looks like stays in ``patterns/*.toml``. Weights follow docs/markings/signals.md#weights and were
tuned on ``benchmarks/accuracy``. Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from secscan.match import docfacts
from secscan.match.catalog import Pattern
from secscan.match.context_words import ContextWords
from secscan.model import Level, TextBlock

POSITIONAL_PARTS = frozenset({"header", "footer", "textbox", "watermark", "annotation", "stamp"})
CAPTION_ABOVE, CAPTION_BELOW = 1, 3  # lines: where a figure's caption sits beside it
LABEL_LINE = 60  # characters: longer lines at a page edge are running text, not a label line


@dataclass(frozen=True)
class Candidate:
    """One regex hit, before scoring: where it is and the line it sits in (normalised, folded)."""

    pattern: Pattern
    block_index: int
    line_index: int  # 0-based line within the block
    line: str  # the normalised, folded line
    start: int  # match span within ``line``
    end: int
    alone: bool
    level: Level


@dataclass(frozen=True)
class DocFacts:
    """Document-level facts the scorer needs, computed once per file by ``match``."""

    blocks: tuple[TextBlock, ...]
    first_lines: frozenset[tuple[int, int]]  # (block, line) among the first lines of page 1
    page_tops: frozenset[tuple[int, int]]  # (block, line) among the first lines of a later page
    neighbours: dict[tuple[int, int], tuple[str, str]]  # (block, line) -> (line above, line below)
    repeats: dict[str, int]  # normalised marking -> number of distinct positional places it is alone in
    authority: bool  # a classification authority block or CUI designation indicator
    portions: int  # blocks starting with a portion mark
    training: bool  # "for training use only" and the like, anywhere in the document
    non_secret: bool  # the document declares itself not secret (非涉密, 不涉密) in a prominent place
    banner: Level | None  # level of a marking repeated alone in headers/footers, if any
    line_levels: dict[tuple[int, int], frozenset[Level]]  # (block, line) -> levels of the markings on it
    words: ContextWords = field(default_factory=lambda: ContextWords({}))  # the catalog's context words
    listed: frozenset[tuple[int, int]] = frozenset()  # (block, line) of entries in a list of markings
    other_sense: str = ""  # the title's words that use a level word in another sense (Secret Santa)


# Words that put a level token inside running text (docs/markings/china.md#marking-or-mention).
_QUOTES_OPEN = "“\"'‘「『《〈"
_QUOTES_CLOSE = "”\"'’」』》〉"
# Not inside the nouns 商业秘密 / 国家秘密 / 國家機密 (是否涉及商业秘密, 國家機密保護法): they name a kind of
# secret, not a level, and a form's tick-box line that asks about them lists no second level.
_LEVEL_WORDS = re.compile(
    r"绝對机密|极机密|绝密|(?<!国家)(?<!國家)机密|(?<!商业)(?<!商業)(?<!国家)(?<!國家)秘密"
    r"|TOP SECRET|SECRET|CONFIDENTIAL|RESTRICTED|\bCUI\b",
    re.I,
)
# What each of those words means, so a bilingual banner (SECRET 機密) is one level, not a list.
_LEVEL_OF_WORD = {
    "绝對机密": Level.TOP_SECRET,  # Taiwan's tiers, so that TOP SECRET 絕對機密 is one banner
    "极机密": Level.SECRET,
    "绝密": Level.TOP_SECRET,
    "TOP SECRET": Level.TOP_SECRET,
    "机密": Level.SECRET,
    "SECRET": Level.SECRET,
    "秘密": Level.CONFIDENTIAL,
    "CONFIDENTIAL": Level.CONFIDENTIAL,
    "RESTRICTED": Level.INTERNAL,
    "CUI": Level.INTERNAL,
}
_UNTICKED = re.compile(r"[□☐]\s*[^\s□☐☑■√✔✓☒]+")
_IDENT = re.compile(r"[A-Za-z0-9_$.=]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]")  # alphabets with case
_URGENCY = re.compile(r"^\s*(特急|加急|特提|平急)")
_COPY_NO = re.compile(r"^\s*[0-9OoIlZ]{6}\s*$")
# A "label：value" line of a document's header fields (發文日期：…, 速別：…, Date: …).
_FORM_FIELD = re.compile(r"^\s*(?:[\u4e00-\u9fff]{2,12}|[A-Z][A-Za-z ]{1,20})\s*[:：]\s*(?=\S)")
_TICKED = re.compile(r"[☑■√✔✓☒✅▣◼●◉]\s*$")
_EMPTY_BOXES = "□☐"
_NAME_SEPARATORS = frozenset(
    {"", "_", "-", "—", "–", " ", "【", "】", "[", "]", "(", ")", "（", "）", "★", "·", ".", "+"}
)
# A level's declassification condition or term in brackets after it, as a 密等 field's value carries it.
_CONDITION_TAIL = re.compile(r"\s*[（(][^（()）\n]{1,40}[）)]\s*")
_COPY_NO_BEFORE = re.compile(r"(?:^|\s)[0-9OoIlZ]{6}\s*$")  # stacked lines a PDF reader joined

W_ALONE, W_POSITION, W_PART, W_METADATA, W_REPEATED = 0.20, 0.20, 0.20, 0.10, 0.30
W_COPY_NO, W_URGENCY, W_STAR_TERM, W_CAPS, W_SLASHES = 0.20, 0.10, 0.15, 0.10, 0.20
W_FIELD, W_SELF, W_FILENAME, W_FORM_BLOCK = 0.35, 0.30, 0.35, 0.15
W_AUTHORITY, W_PORTIONS, W_FONT, W_STAMP = 0.20, 0.30, 0.05, 0.10
W_SENTENCE, W_QUOTES, W_CUE, W_LEVELS, W_TRAINING, W_CODE, W_NON_SECRET = (
    -0.40,
    -0.30,
    -0.30,
    -0.50,
    -0.40,
    -0.50,
    -0.30,
)
W_DOC_TRAINING, W_BANNER_CONFLICT, W_REPORTING, W_LISTED, W_OTHER_SENSE = -0.80, -0.20, -0.40, -0.50, -0.40


def score(c: Candidate, facts: DocFacts) -> tuple[float, list[str]]:
    """The candidate's confidence (not yet clamped or capped) and the signals behind it."""
    total = c.pattern.score
    reasons: list[str] = []
    for weight, reason in [*_raising(c, facts), *_lowering(c, facts)]:
        total += weight
        reasons.append(reason if weight > 0 else f"-{reason}")
    return total, reasons


def _raising(c: Candidate, facts: DocFacts) -> list[tuple[float, str]]:
    block = facts.blocks[c.block_index]
    text = c.line[c.start : c.end]
    key = (c.block_index, c.line_index)
    out: list[tuple[float, str]] = []
    if c.alone:
        out.append((W_ALONE, "alone on its line"))
    label = (
        facts.words.before("field-label", c.line[: c.start])
        or _label_above(c, facts)
        or _label_header(c, block, facts.words)
    )
    if label:
        out.append((W_FIELD, f"value of a {label.strip().rstrip(' :：=')} field"))
    elif _TICKED.search(c.line[: c.start]):
        out.append((W_FIELD, "the ticked option of a form field"))
    elif _lost_tick(c, facts):
        out.append((W_FIELD, "the one option of a tick-box field whose box was not read"))
    if _subject(block) and _opening_tag(c, subject=True):
        out.append((W_FILENAME, "a tag opening the e-mail subject"))
    elif key in facts.first_lines and _opening_tag(c):
        out.append((W_FILENAME, "a tag opening the title"))
    if block.part == "filename" and _filename_label(c):
        out.append((W_FILENAME, "a label in the file name"))
    own = facts.words.before("self-reference", c.line[: c.start])
    if own:
        out.append((W_SELF, f"the document states its own level ({own.strip()})"))
    if key in facts.first_lines:
        out.append((W_POSITION, "in the first lines of the document"))
    elif key in facts.page_tops or (block.vpos is not None and (block.vpos <= 0.12 or block.vpos >= 0.88)):
        out.append((W_POSITION, f"at the top or bottom of page {block.page or 1}"))
    if block.part in POSITIONAL_PARTS:
        out.append((W_PART, f"in {block.part}"))
    elif block.part == "metadata":
        out.append((W_METADATA, "in document properties"))
    placed = c.alone or labelled_place(c, block, facts.first_lines | facts.page_tops)
    if placed and facts.repeats.get(marking_key(text), 0) >= 2:
        out.append((W_REPEATED, "repeated on several pages or top and bottom"))
    above, below = facts.neighbours.get(key, ("", ""))
    if _COPY_NO.match(above) or _COPY_NO_BEFORE.search(c.line[: c.start]):
        out.append((W_COPY_NO, "6-digit 份号 above"))
    elif any(facts.words.search("copy-number", x) for x in (above, below, c.line[c.end :])):
        out.append((W_COPY_NO, "copy number beside it"))
    if _URGENCY.match(below) or _URGENCY.match(c.line[c.end :]):
        out.append((W_URGENCY, "特急/加急 below"))
    if "★" in text and text.rstrip()[-1:] != "★":
        out.append((W_STAR_TERM, "star and term"))
    letters = "".join(_LATIN.findall(text))
    # Roman numerals alone (Ⅱ급비밀 becomes II급비밀) are digits, not a word set in capitals.
    if letters and letters.isupper() and len(letters) > 1 and set(letters) - set("IVX"):
        out.append((W_CAPS, "capitals"))
    if "//" in text:
        out.append((W_SLASHES, "// control markings"))
    if facts.authority and letters:
        out.append((W_AUTHORITY, "classification authority block"))
    if _field_of_a_header(c, above, below):
        out.append((W_FORM_BLOCK, "among the fields of a document header"))
    if c.pattern.portion and facts.portions >= 3:
        out.append((W_PORTIONS, f"{facts.portions} portion marks"))
    if block.hints & {"stamp", "watermark"}:
        out.append((W_STAMP, "stamp or watermark"))
    if block.hints & {"bold", "red", "large"}:
        out.append((W_FONT, "bold/red/large type"))
    return out


def _lowering(c: Candidate, facts: DocFacts) -> list[tuple[float, str]]:
    out: list[tuple[float, str]] = []
    words = facts.words
    block = facts.blocks[c.block_index]
    own = words.before("self-reference", c.line[: c.start])
    sentence = "" if own else _sentence(c, words)
    if sentence:
        out.append((W_SENTENCE, f"sentence context ({sentence})"))
    if _quoted(c.line, c.start, c.end):
        out.append((W_QUOTES, "in quotes"))
    above = facts.neighbours.get((c.block_index, c.line_index), ("", ""))[0]
    cue = "" if own else words.search("cue", c.line) or _introduced(above, words)
    if cue:
        out.append((W_CUE, f"cue word ({cue})"))
    placeholder = words.search("placeholder", c.line)
    if placeholder:
        out.append((W_TRAINING, f"template placeholder ({placeholder})"))
    reported = words.before("reporting", c.line[: c.start])
    if reported and not own and not c.alone:
        out.append((W_REPORTING, f"reported ({reported.split()[0] if reported.split() else reported})"))
    rest = _UNTICKED.sub(" ", c.line[: c.start] + " " + c.line[c.end :])
    others = facts.line_levels.get((c.block_index, c.line_index), frozenset()) - {c.level}
    if others or _lists_levels(c, rest):
        out.append((W_LEVELS, "several levels listed"))
    elif not c.alone and not c.pattern.portion and _list_goes_on(c, facts):
        out.append((W_LEVELS, "several levels listed (the list runs on beside it)"))
    own_label = block.part in ("header", "footer") or (
        c.alone and facts.repeats.get(marking_key(c.line[c.start : c.end]), 0) >= 2 and not facts.non_secret
    )
    if (c.block_index, c.line_index) in facts.listed and not own:
        out.append((W_LISTED, "one of the markings a list or register shows"))
    full_form = c.pattern.canonical or "//" in c.line[c.start : c.end]
    if facts.other_sense and not own_label and not full_form:
        # A party invitation headed TOP SECRET (F26): the title says which sense the word has.
        out.append((W_OTHER_SENSE, f"the title uses the word in another sense ({facts.other_sense})"))
    caption = "" if own_label or own else _caption(c, facts)
    if caption:
        # The figure's own caption says it is an example (图2 …示例, "Graphic: an annotated example").
        out.append((W_DOC_TRAINING, f"a caption presents it as an example ({caption})"))
    elif facts.training and not own_label:
        out.append((W_DOC_TRAINING, "training or sample document"))
    elif words.search("training", c.line):
        out.append((W_TRAINING, "training or sample cue"))
    if block.part != "filename" and _code_adjacent(c.line, c.start, c.end):
        out.append((W_CODE, "code identifier"))
    if (
        facts.banner is not None
        and c.level != facts.banner
        and not c.alone
        # a higher portion in a lower classified banner: the banner is wrong, the file takes the portion
        and not (c.pattern.portion and c.level > facts.banner >= Level.CONFIDENTIAL)
        and block.part not in POSITIONAL_PARTS
    ):
        out.append((W_BANNER_CONFLICT, f"differs from the repeated {facts.banner.label} banner"))
        if c.level >= Level.CONFIDENTIAL > facts.banner:
            # An unclassified banner on every page says no portion is classified: these are examples.
            out.append((W_NON_SECRET, f"the repeated {facts.banner.label} banner says it is not classified"))
    # A full form outweighs the document's word that it is not secret, unless the document also says
    # it is training material: then the two statements agree that its markings are examples.
    if facts.non_secret and (not c.pattern.canonical or (facts.training and not own_label)):
        out.append((W_NON_SECRET, "document says it is not secret"))
    return out


def _caption(c: Candidate, facts: DocFacts) -> str:
    """Caption words on a line just below the candidate (or the one above it) that call its figure
    an example; only a body or text-box line can be a figure's, a header is the page's own."""
    if facts.blocks[c.block_index].part not in docfacts.BODY_PARTS:
        return ""
    key = (c.block_index, c.line_index)
    for line in docfacts.lines_around(facts.blocks, key, CAPTION_ABOVE, CAPTION_BELOW):
        found = facts.words.search("caption", line)
        if found:
            return found
    return ""


def _list_goes_on(c: Candidate, facts: DocFacts) -> bool:
    """A list of levels wrapped over several lines: the line above or below names another level."""
    if facts.blocks[c.block_index].part in ("header", "footer"):
        return False
    for line in facts.neighbours.get((c.block_index, c.line_index), ("", "")):
        if any(_LEVEL_OF_WORD.get(word.upper(), c.level) != c.level for word in _LEVEL_WORDS.findall(line)):
            return True
    return False


def _lists_levels(c: Candidate, rest: str) -> bool:
    """Other level words on the line make it a list, unless one is the same level in another script
    (a bilingual banner: SECRET 機密)."""
    cjk = bool(_CJK.match(c.line[c.start : c.end]))
    for word in _LEVEL_WORDS.findall(rest):
        translation = bool(_CJK.match(word)) != cjk
        if _LEVEL_OF_WORD.get(word.upper()) != c.level or not translation:
            return True
    return False


def _lost_tick(c: Candidate, facts: DocFacts) -> bool:
    """The only option without an empty box in a labelled tick-box field (密级 □绝密 机密 □秘密 □):
    a tick drawn in a symbol font is often lost in extraction while the empty boxes survive, so
    the one option that lost its box is the ticked one."""
    first = min((c.line.find(box) for box in _EMPTY_BOXES if box in c.line), default=-1)
    if first < 0 or first > c.start or c.line[: c.start].rstrip()[-1:] in _EMPTY_BOXES:
        return False
    # The options of a narrow cell wrap: a next line that opens with a box holds more of them.
    below = facts.neighbours.get((c.block_index, c.line_index), ("", ""))[1].lstrip()
    options = c.line + (below if below[:1] in _EMPTY_BOXES else "")
    if sum(options.count(box) for box in _EMPTY_BOXES) < 2:
        return False
    levels = facts.line_levels.get((c.block_index, c.line_index), frozenset())
    label = facts.words.before("field-label", c.line[:first].rstrip(" :：") + "：")
    return bool(label) and levels == {c.level}


def _field_of_a_header(c: Candidate, above: str, below: str) -> bool:
    """The candidate is the value of a "label：value" line between other such lines (a 函's header)."""
    label = _FORM_FIELD.match(c.line)
    if not label or c.start > label.end():
        return False
    return bool(_FORM_FIELD.match(above) and _FORM_FIELD.match(below))


def _label_header(c: Candidate, block: TextBlock, words: ContextWords) -> str:
    """The value of a labelling header or property (Sensitivity, X-Protective-Marking, 密级)."""
    if block.part != "metadata" or not block.origin or not c.alone:
        return ""
    name = block.origin.rsplit(":", 1)[-1].strip()
    return words.before("field-label", name + "：") if name else ""


def _subject(block: TextBlock) -> bool:
    return (block.origin or "").endswith("header:Subject")


def _opening_tag(c: Candidate, subject: bool = False) -> bool:
    """A bracketed tag opening its line (【内部】, [SECRET]), as an e-mail subject or a title carries
    its label. A subject's tag may also be in parentheses ((机密★1年) …) or be a label and a colon
    (OFFICIAL-SENSITIVE: …, M23); in a title a parenthesis opens a portion mark ((U) Title) and a
    colon a form's question (Confidential: No)."""
    before, after = c.line[: c.start].strip(), c.line[c.end : c.end + 1]
    if subject and not before and after in (":", "："):
        return True
    opening, closing = ("【[〔(（", "】]〕)）") if subject else ("【[〔", "】]〕")
    return len(before) == 1 and before in opening and after != "" and after in closing


def _introduced(above: str, words: ContextWords) -> str:
    """A cue on the line above that introduces this one ("例如：", "For example:")."""
    above = above.strip()
    return words.search("cue", above) if above.endswith((":", "：")) else ""


def _label_above(c: Candidate, facts: DocFacts) -> str:
    """A field label alone on the line (or table cell) above a value that is alone on its own, or
    followed only by its condition in brackets (極機密（本件於124年12月31日解密）)."""
    condition = not c.line[: c.start].strip() and _CONDITION_TAIL.fullmatch(c.line[c.end :]) is not None
    if not (c.alone or condition or _TICKED.search(c.line[: c.start])):
        return ""
    above = facts.neighbours.get((c.block_index, c.line_index), ("", ""))[0].strip()
    if not above or len(above) > 20:
        return ""
    return facts.words.before("field-label", above.rstrip(" :：=") + "：")


def _filename_label(c: Candidate) -> bool:
    """A level set apart as a label in a file name: 机密★_计划.docx, 【内部】通知, OFFICIAL-SENSITIVE_plan.

    A bare word (机密.docx, SECRET-brief.pdf) is not enough: titles use those words too. A label
    carries its star, its brackets, or a compound marking form.
    """
    text = c.line[c.start : c.end]
    before, after = c.line[c.start - 1 : c.start] if c.start else "", c.line[c.end : c.end + 1]
    if before not in _NAME_SEPARATORS or after not in _NAME_SEPARATORS:
        return False
    bracketed = before in "【[(（" and after in "】])）"
    if _LATIN.search(text):
        compound = any(sep in text.strip() for sep in (" ", "-", "/", ":", "_"))
        return "".join(_LATIN.findall(text)).isupper() and (compound or bracketed)
    return bracketed or "★" in (after + text)


def labelled_place(c: Candidate, block: TextBlock, tops: frozenset[tuple[int, int]]) -> bool:
    """A short line where a label sits: a header, a footer, or the top or bottom line of a page.

    Such a line often holds more than the label (a company name, a page number), so the label is
    not alone on it; what makes it a label is the place, and that it recurs there on every page.
    """
    before, after = c.line[c.start - 1 : c.start] if c.start else "", c.line[c.end : c.end + 1]
    if len(c.line.strip()) > LABEL_LINE or any(_CJK.match(x) or _LATIN.match(x) for x in (before, after)):
        return False  # part of a longer word or phrase (公務機密維護), not a label beside other items
    at_edge = block.vpos is not None and (block.vpos <= 0.08 or block.vpos >= 0.92)
    return block.part in ("header", "footer") or (c.block_index, c.line_index) in tops or at_edge


def _sentence(c: Candidate, words: ContextWords) -> str:
    """The word that puts the match inside running text, or ''."""
    before, after = c.line[: c.start].rstrip(), c.line[c.end :].lstrip()
    text = c.line[c.start : c.end]
    if _CJK.search(text[:1]) and not c.alone:
        return words.before("sentence-before", before) or words.after("sentence-after", after)
    if _LATIN.search(text[:1]) and len(text.split()) <= 4:
        prev = re.search(r"([^\W\d_]+)[,;]?\s*$", before)
        nxt = re.match(r"([^\W\d_]+)", after)
        if prev and prev.group(1).islower():
            return prev.group(1)
        if nxt and nxt.group(1).islower():
            return nxt.group(1)
    return ""


def _quoted(line: str, start: int, end: int) -> bool:
    before, after = line[:start].rstrip()[-1:], line[end:].lstrip()[:1]
    return bool(before) and before in _QUOTES_OPEN and bool(after) and after in _QUOTES_CLOSE


def _code_adjacent(line: str, start: int, end: int) -> bool:
    text = line[start:end]
    before, after = line[start - 1 : start] if start else "", line[end : end + 1]
    if not _LATIN.search(text):
        return False
    joined_before = text[:1].isalnum() and bool(before) and _IDENT.match(before) is not None
    joined_after = text[-1:].isalnum() and bool(after) and (after in "_=$(" or after.isalnum())
    return joined_before or joined_after


def marking_key(text: str) -> str:
    """Compare two occurrences of a marking regardless of spacing and case."""
    return "".join(text.split()).upper()
