"""Render the blind accuracy benchmark: turn specs/*.json cases into real documents.

The renderer is written without looking at the scanner, so that the benchmark measures the
scanner instead of mirroring it. Each case (see FORMAT.md) is rendered into every format it lists,
with real libraries, putting every DOC feature where the format really keeps it (Word header parts,
PDF text layer and Info dictionary, cell comments, speaker notes, MIME attachments, ...).

Usage (from the repository root):
    python benchmarks/blind/render.py [--out DIR] [--only ID_PREFIX] [--include-examples]
    python benchmarks/blind/render.py --freeze     # write MANIFEST.tsv (case hashes + split)
    python benchmarks/blind/render.py --check      # exit 1 if specs differ from MANIFEST.tsv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import html
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).resolve().parent
SPECS_DIR = HERE / "specs"
DEFAULT_OUT = HERE / "out"
MANIFEST = HERE / "MANIFEST.tsv"

FORMATS = ("txt", "md", "html", "docx", "pdf", "xlsx", "pptx", "eml", "csv", "odt")
LEVELS = ("none", "internal", "confidential", "secret", "top-secret")
CONVENTIONS = (
    "cn",
    "cn-soe",
    "tw",
    "hk",
    "us",
    "cui",
    "uk",
    "nato",
    "eu",
    "de",
    "fr",
    "ru",
    "jp",
    "kr",
    "corp",
    "other",
)
CATEGORIES = ("marking", "mention", "declassified", "template", "other-sense", "policy")
LOCATIONS = (
    "banner",
    "top-left",
    "header",
    "footer",
    "body",
    "portion",
    "table",
    "textbox",
    "stamp",
    "comment",
    "notes",
    "property",
    "filename",
    "email-subject",
    "email-header",
    "attachment",
    "caption",
    "chat",
    "none",
)
BLOCK_TYPES = ("p", "h", "list", "table", "textbox", "caption", "comment", "stamp", "chat", "pagebreak")
CASE_KEYS = {
    "id",
    "section",
    "convention",
    "category",
    "location",
    "expected",
    "twin_of",
    "why",
    "formats",
    "filename",
    "doc",
    "email",
}
DOC_KEYS = {"title", "author", "properties", "header", "footer", "first_page_header", "pages"}
ID_RE = re.compile(r"^[a-z0-9-]+$")
# Fixed timestamps keep every rendering of the same spec identical (dates end up in properties).
FIXED_DATE = dt.datetime(2025, 1, 6, 9, 0, 0)
FIXED_ISO = "2025-01-06T09:00:00Z"
FIXED_EMAIL_DATE = "Mon, 06 Jan 2025 09:00:00 +0800"
MIME_TYPES = {
    "txt": "text/plain",
    "md": "text/markdown",
    "html": "text/html",
    "csv": "text/csv",
    "pdf": "application/pdf",
    "eml": "message/rfc822",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
}
RED_HEX = "FF0000"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
COLOR_NAMES = {"black": "000000", "red": RED_HEX}
TSV_COLUMNS = (
    "case_id",
    "file",
    "format",
    "expected",
    "convention",
    "category",
    "location",
    "section",
    "twin_of",
)

Case = dict[str, Any]
Doc = dict[str, Any]
Block = dict[str, Any]


class RenderError(Exception):
    """A case cannot be rendered in one format (bad input the validator could not see, or no font)."""


# --------------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------------


@dataclass
class LoadedCase:
    """One case plus the spec file it came from (the file is reported in every error)."""

    case: Case
    file: str


@dataclass
class Problem:
    """A validation or rendering problem, kept per case so one bad case never stops the others."""

    file: str
    case_id: str
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        kind = "ERROR" if self.fatal else "warning"
        return f"{kind}: {self.file} [{self.case_id}]: {self.message}"


@dataclass
class Loaded:
    """Result of loading the spec directory: valid cases, and problems for the rest."""

    cases: list[LoadedCase] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    all_ids: dict[str, str] = field(default_factory=dict)


def spec_files(spec_dir: Path, include_examples: bool) -> list[Path]:
    """Spec files in a stable order; `_*.json` are renderer self-tests, not benchmark cases."""
    files = sorted(spec_dir.glob("*.json"))
    return [f for f in files if include_examples or not f.name.startswith("_")]


def load_specs(spec_dir: Path, include_examples: bool) -> Loaded:
    """Load and validate every spec file; a broken file or case is reported, the rest still load."""
    loaded = Loaded()
    for path in spec_files(spec_dir, include_examples):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            loaded.problems.append(Problem(path.name, "-", f"cannot parse JSON: {exc}"))
            continue
        cases = data.get("cases") if isinstance(data, dict) else None
        if not isinstance(cases, list):
            loaded.problems.append(Problem(path.name, "-", 'top level must be an object with a "cases" list'))
            continue
        for index, case in enumerate(cases):
            _load_case(loaded, path.name, index, case)
    _check_twins(loaded)
    return loaded


def _load_case(loaded: Loaded, file: str, index: int, case: Any) -> None:
    """Validate one case and file it as loaded or as a problem."""
    case_id = case.get("id") if isinstance(case, dict) else None
    label = case_id if isinstance(case_id, str) else f"#{index}"
    if isinstance(case_id, str) and case_id in loaded.all_ids:
        loaded.problems.append(Problem(file, label, f"duplicate id (also in {loaded.all_ids[case_id]})"))
        return
    errors, warnings = validate_case(case)
    loaded.problems.extend(Problem(file, label, w, fatal=False) for w in warnings)
    if isinstance(case_id, str):
        loaded.all_ids[case_id] = file
    if errors:
        loaded.problems.extend(Problem(file, label, e) for e in errors)
        return
    loaded.cases.append(LoadedCase(case, file))


def _check_twins(loaded: Loaded) -> None:
    """twin_of must name a case that exists somewhere (a dangling twin breaks the split groups)."""
    for item in loaded.cases:
        twin = item.case.get("twin_of")
        if twin and twin not in loaded.all_ids:
            loaded.problems.append(
                Problem(item.file, item.case["id"], f"twin_of {twin!r} names no case", fatal=False)
            )


def validate_case(case: Any) -> tuple[list[str], list[str]]:
    """Return (errors, warnings) for one case; errors make the case unrenderable."""
    if not isinstance(case, dict):
        return ["case is not a JSON object"], []
    errors: list[str] = []
    warnings: list[str] = [f"unknown key {k!r}" for k in sorted(set(case) - CASE_KEYS)]
    _check_str(case, "id", errors)
    if isinstance(case.get("id"), str) and not ID_RE.match(case["id"]):
        errors.append(f"id {case['id']!r} must match [a-z0-9-]+")
    _check_str(case, "section", errors)
    _check_choice(case, "convention", CONVENTIONS, errors)
    _check_choice(case, "category", CATEGORIES, errors)
    _check_choice(case, "location", LOCATIONS, errors)
    _check_choice(case, "expected", LEVELS, errors)
    if case.get("twin_of") is not None and not isinstance(case.get("twin_of"), str):
        errors.append("twin_of must be a case id or null")
    errors.extend(_check_formats(case.get("formats"), "formats", minimum=2))
    _check_filename(case.get("filename"), errors)
    errors.extend(validate_doc(case.get("doc"), "doc", warnings))
    if "email" in case:
        errors.extend(validate_email(case["email"], warnings))
    return errors, warnings


def _check_str(obj: dict[str, Any], key: str, errors: list[str], where: str = "") -> None:
    """A required non-empty string field."""
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{where}{key} must be a non-empty string")


def _check_choice(obj: dict[str, Any], key: str, choices: tuple[str, ...], errors: list[str]) -> None:
    """A field restricted to a fixed vocabulary (the scorer groups results by these)."""
    if obj.get(key) not in choices:
        errors.append(f"{key} must be one of {', '.join(choices)} (got {obj.get(key)!r})")


def _check_formats(value: Any, where: str, minimum: int) -> list[str]:
    """A list of known formats, without duplicates."""
    if not isinstance(value, list) or len(value) < minimum:
        return [f"{where} must be a list of at least {minimum} formats"]
    errors = [f"{where}: unknown format {f!r}" for f in value if f not in FORMATS]
    if len(set(value)) != len(value):
        errors.append(f"{where}: duplicate format")
    return errors


def _check_filename(value: Any, errors: list[str]) -> None:
    """The base name is used verbatim, so it must be a legal single path component."""
    if value is None:
        return
    if not isinstance(value, str) or not value.strip():
        errors.append("filename must be a non-empty string or absent")
    elif any(c in value for c in "/\\\0") or value in (".", "..") or len(value.encode()) > 200:
        errors.append(f"filename {value!r} is not a valid file name (no slashes, max 200 bytes)")


def _text_ok(value: Any) -> bool:
    return isinstance(value, str)


def validate_doc(doc: Any, where: str, warnings: list[str]) -> list[str]:
    """Check a DOC object: every key optional except pages, and every block well formed."""
    if not isinstance(doc, dict):
        return [f"{where} must be an object"]
    errors: list[str] = []
    warnings.extend(f"{where}: unknown key {k!r}" for k in sorted(set(doc) - DOC_KEYS))
    for key in ("title", "author", "header", "footer", "first_page_header"):
        if key in doc and doc[key] is not None and not _text_ok(doc[key]):
            errors.append(f"{where}.{key} must be a string")
    props = doc.get("properties")
    if props is not None:
        if not isinstance(props, dict):
            errors.append(f"{where}.properties must be an object")
        else:
            errors.extend(
                f"{where}.properties[{k!r}] must be a string, number or boolean"
                for k, v in props.items()
                if not isinstance(v, str | int | float | bool)
            )
    pages = doc.get("pages")
    if not isinstance(pages, list) or not pages:
        return [*errors, f"{where}.pages must be a non-empty list"]
    seen: list[str] = []
    for pi, page in enumerate(pages):
        if not isinstance(page, dict) or not isinstance(page.get("blocks", []), list):
            errors.append(f"{where}.pages[{pi}] must be an object with a blocks list")
            continue
        if page.get("notes") is not None and not _text_ok(page.get("notes")):
            errors.append(f"{where}.pages[{pi}].notes must be a string")
        for bi, block in enumerate(page.get("blocks", [])):
            bwhere = f"{where}.pages[{pi}].blocks[{bi}]"
            errors.extend(validate_block(block, bwhere))
            if _anchor_missing(block, seen):
                warnings.append(
                    f"{bwhere}: comment anchor {block['anchor']!r} not found in an earlier "
                    "block; the comment is attached to the previous block"
                )
            if isinstance(block, dict):
                seen.extend(block_texts(block))
    return errors


def _anchor_missing(block: Any, seen: list[str]) -> bool:
    """A comment whose anchor text is in no earlier block cannot be anchored where the author meant."""
    if not (isinstance(block, dict) and block.get("type") == "comment"):
        return False
    anchor = block.get("anchor")
    return isinstance(anchor, str) and bool(anchor) and not any(anchor in text for text in seen)


def _block_field_errors(block: Block, where: str) -> list[str]:
    """Per-type required fields."""
    kind = block["type"]
    errors: list[str] = []
    if kind in ("p", "h", "textbox", "caption", "stamp", "comment") and not _text_ok(block.get("text")):
        errors.append(f"{where}: {kind} needs a string 'text'")
    if kind == "comment" and not _text_ok(block.get("anchor", "")):
        errors.append(f"{where}: comment 'anchor' must be a string")
    if kind == "list" and not (isinstance(block.get("items"), list) and all(map(_text_ok, block["items"]))):
        errors.append(f"{where}: list needs 'items', a list of strings")
    if kind == "table":
        rows = block.get("rows")
        if not (isinstance(rows, list) and rows and all(isinstance(r, list) and r for r in rows)):
            errors.append(f"{where}: table needs 'rows', a non-empty list of non-empty lists")
        elif not all(isinstance(c, str | int | float) for r in rows for c in r):
            errors.append(f"{where}: table cells must be strings or numbers")
    if kind == "chat":
        msgs = block.get("messages")
        if not (
            isinstance(msgs, list)
            and msgs
            and all(isinstance(m, dict) and _text_ok(m.get("text")) for m in msgs)
        ):
            errors.append(f"{where}: chat needs 'messages', a list of objects with 'text'")
    return errors


def validate_block(block: Any, where: str) -> list[str]:
    """Check one BLOCK by its type; unknown optional values fall back to defaults."""
    if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
        kind = block.get("type") if isinstance(block, dict) else block
        return [f"{where}: type must be one of {', '.join(BLOCK_TYPES)} (got {kind!r})"]
    errors = _block_field_errors(block, where)
    if block.get("align", "left") not in ("left", "center", "right", "justify"):
        errors.append(f"{where}: align must be left, center or right")
    color = block.get("color", "black")
    if not (color in COLOR_NAMES or (isinstance(color, str) and re.fullmatch(r"#?[0-9A-Fa-f]{6}", color))):
        errors.append(f"{where}: color must be black, red or #RRGGBB")
    if block.get("shape", "rect") not in ("round", "rect"):
        errors.append(f"{where}: shape must be round or rect")
    size = block.get("size")
    if size is not None and not (isinstance(size, int | float) and 4 <= size <= 96):
        errors.append(f"{where}: size must be a number between 4 and 96")
    level = block.get("level", 1)
    if not (isinstance(level, int) and 1 <= level <= 9):
        errors.append(f"{where}: heading level must be 1..9")
    return errors


def validate_email(email: Any, warnings: list[str]) -> list[str]:
    """Check an EMAIL object; header values must be single-line strings for a valid message."""
    if not isinstance(email, dict):
        return ["email must be an object"]
    errors: list[str] = []
    for key in ("from", "to", "subject", "date"):
        value = email.get(key)
        if value is not None and (not isinstance(value, str) or "\n" in value or "\r" in value):
            errors.append(f"email.{key} must be a single-line string")
    headers = email.get("headers", {})
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and re.fullmatch(r"[!-9;-~]+", k) and isinstance(v, str) and "\n" not in v
        for k, v in headers.items()
    ):
        errors.append("email.headers must map header names to single-line strings")
    if email.get("body") is not None and not _text_ok(email.get("body")):
        errors.append("email.body must be a string")
    for ai, att in enumerate(email.get("attachments", []) or []):
        where = f"email.attachments[{ai}]"
        if not isinstance(att, dict):
            errors.append(f"{where} must be an object")
            continue
        if att.get("format") not in FORMATS or att.get("format") == "eml":
            errors.append(f"{where}.format must be one of {', '.join(f for f in FORMATS if f != 'eml')}")
        if not isinstance(att.get("filename"), str) or not att["filename"].strip():
            errors.append(f"{where}.filename must be a non-empty string")
        errors.extend(validate_doc(att.get("doc"), f"{where}.doc", warnings))
    return errors


# --------------------------------------------------------------------------------------------------
# Shared helpers for the DOC model
# --------------------------------------------------------------------------------------------------


def block_texts(block: Block) -> list[str]:
    """All visible strings of a block (used to find comment anchors)."""
    kind = block.get("type")
    if kind == "list":
        return [str(i) for i in block.get("items", [])]
    if kind == "table":
        return [str(c) for row in block.get("rows", []) for c in row]
    if kind == "chat":
        return [str(m.get("text", "")) for m in block.get("messages", []) if isinstance(m, dict)]
    if kind == "comment":
        return []
    return [str(block.get("text", ""))]


def header_for(doc: Doc, page_index: int) -> str:
    """Page 1 uses first_page_header when given; every other page the running header."""
    if page_index == 0 and doc.get("first_page_header"):
        return str(doc["first_page_header"])
    return str(doc.get("header") or "")


def all_notes(doc: Doc) -> list[str]:
    """Speaker notes of every page, in page order (formats without notes append them at the end)."""
    return [str(p["notes"]) for p in doc["pages"] if p.get("notes")]


def doc_properties(doc: Doc) -> dict[str, str]:
    """Custom properties as strings (booleans lower-case, as Office writes them)."""
    props = doc.get("properties") or {}
    return {str(k): (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in props.items()}


def has_cjk(text: str) -> bool:
    """CJK text needs character-level wrapping and a CJK font."""
    return bool(re.search(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]", text))


def color_hex(block: Block) -> str:
    """Block colour as RRGGBB."""
    color = str(block.get("color", "black"))
    return COLOR_NAMES.get(color, color.lstrip("#").upper())


def stamp_color(block: Block) -> str:
    """Stamps are red unless the author asks for another colour."""
    return color_hex(block) if block.get("color") else RED_HEX


def chat_line(msg: dict[str, Any]) -> str:
    """One chat message the way chat exports print it: [time] who: text."""
    who, when = str(msg.get("who", "")), str(msg.get("time", ""))
    prefix = f"[{when}] " if when else ""
    return f"{prefix}{who}: {msg.get('text', '')}" if who else f"{prefix}{msg.get('text', '')}"


def comment_line(block: Block) -> str:
    """Bracketed fallback for comments in formats without a comment part."""
    author = str(block.get("author") or "")
    who = f" ({author})" if author else ""
    return f"[Comment{who}: {block['text']}]"


def list_prefix(block: Block, index: int) -> str:
    return f"{index + 1}. " if block.get("numbered") else "- "


def property_lines(doc: Doc) -> list[str]:
    """Title, author and custom properties as `key: value` lines (fallback for plain-text formats)."""
    lines = [f"Title: {doc['title']}"] if doc.get("title") else []
    if doc.get("author"):
        lines.append(f"Author: {doc['author']}")
    lines.extend(f"{k}: {v}" for k, v in doc_properties(doc).items())
    return lines


def stable_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------------
# Plain formats: txt, md, csv, html
# --------------------------------------------------------------------------------------------------


def text_block_lines(block: Block) -> list[str]:
    """Plain-text lines for one block (txt and e-mail bodies)."""
    kind = block["type"]
    if kind == "list":
        return [list_prefix(block, i) + str(item) for i, item in enumerate(block["items"])]
    if kind == "table":
        return [" | ".join(str(c) for c in row) for row in block["rows"]]
    if kind == "chat":
        return [chat_line(m) for m in block["messages"]]
    if kind == "comment":
        return [comment_line(block)]
    if kind == "pagebreak":
        return ["\f"]
    return str(block["text"]).split("\n")


def doc_to_text(doc: Doc) -> str:
    """Render a DOC as plain text: properties, then per page header, blocks, footer; notes last."""
    out: list[str] = []
    props = property_lines(doc)
    if props:
        out.extend([*props, ""])
    for pi, page in enumerate(doc["pages"]):
        if pi:
            out.append("\f")
        if header_for(doc, pi):
            out.extend([header_for(doc, pi), ""])
        for block in page.get("blocks", []):
            out.extend(text_block_lines(block))
            out.append("")
        if doc.get("footer"):
            out.append(str(doc["footer"]))
    notes = all_notes(doc)
    if notes:
        out.extend(["", *notes])
    return "\n".join(out).rstrip("\n") + "\n"


def render_txt(case: Case, doc: Doc, path: Path) -> None:
    path.write_text(doc_to_text(doc), encoding="utf-8")


def _md_escape_cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", "<br>")


def md_block_lines(block: Block) -> list[str]:
    """Markdown for one block: headings, lists, GFM tables, quotes for boxes and comments."""
    kind = block["type"]
    text = str(block.get("text", ""))
    if kind == "h":
        return ["#" * block.get("level", 1) + " " + text.replace("\n", " ")]
    if kind == "p":
        body = text.replace("\n", "  \n")
        body = f"**{body}**" if block.get("bold") else body
        return (
            [f'<p align="{block["align"]}">{html.escape(text)}</p>']
            if block.get("align") in ("center", "right")
            else [body]
        )
    if kind == "list":
        return [list_prefix(block, i) + str(item) for i, item in enumerate(block["items"])]
    if kind == "table":
        rows = block["rows"]
        width = max(len(r) for r in rows)
        cells = [[_md_escape_cell(c) for c in r] + [""] * (width - len(r)) for r in rows]
        head = cells[0] if block.get("header", True) else [""] * width
        body_rows = cells[1:] if block.get("header", True) else cells
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * width]
        return lines + ["| " + " | ".join(r) + " |" for r in body_rows]
    if kind == "textbox":
        return ["> " + line for line in text.split("\n")]
    if kind == "stamp":
        return [f"**{line}**" for line in text.split("\n")]
    if kind == "caption":
        return [f"*{text}*"]
    if kind == "comment":
        return ["> " + comment_line(block)]
    if kind == "chat":
        return [chat_line(m) + "  " for m in block["messages"]]
    return ["---"]


def render_md(case: Case, doc: Doc, path: Path) -> None:
    """Markdown with YAML front matter for the properties (the place static-site tools read them)."""
    out: list[str] = []
    front = {
        **({"title": doc["title"]} if doc.get("title") else {}),
        **({"author": doc["author"]} if doc.get("author") else {}),
        **doc_properties(doc),
    }
    if front:
        out.extend(
            [
                "---",
                *(
                    f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
                    for k, v in front.items()
                ),
                "---",
                "",
            ]
        )
    for pi, page in enumerate(doc["pages"]):
        if pi:
            out.extend(["---", ""])
        if header_for(doc, pi):
            out.extend([header_for(doc, pi).replace("\n", "  \n"), ""])
        for block in page.get("blocks", []):
            out.extend([*md_block_lines(block), ""])
        if doc.get("footer"):
            out.extend([str(doc["footer"]).replace("\n", "  \n"), ""])
    for note in all_notes(doc):
        out.extend([note, ""])
    path.write_text("\n".join(out).rstrip("\n") + "\n", encoding="utf-8")


def csv_block_rows(block: Block) -> list[list[str]]:
    """CSV rows for one block: tables as grids, everything else one cell per row."""
    kind = block["type"]
    if kind == "table":
        return [[str(c) for c in row] for row in block["rows"]]
    if kind == "chat":
        return [[str(m.get("time", "")), str(m.get("who", "")), str(m["text"])] for m in block["messages"]]
    if kind == "pagebreak":
        return []
    return [[line] for line in text_block_lines(block) if line != "\f"]


def render_csv(case: Case, doc: Doc, path: Path) -> None:
    rows: list[list[str]] = [[line] for line in property_lines(doc)]
    for pi, page in enumerate(doc["pages"]):
        if header_for(doc, pi):
            rows.append([header_for(doc, pi)])
        for block in page.get("blocks", []):
            rows.extend(csv_block_rows(block))
        if doc.get("footer"):
            rows.append([str(doc["footer"])])
    rows.extend([note] for note in all_notes(doc))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _html_text(text: str) -> str:
    return html.escape(text).replace("\n", "<br>\n")


def _html_p_style(block: Block) -> str:
    styles = []
    if block.get("align") in ("center", "right", "justify"):
        styles.append(f"text-align:{block['align']}")
    if block.get("bold"):
        styles.append("font-weight:bold")
    if block.get("size"):
        styles.append(f"font-size:{block['size']}pt")
    if block.get("color", "black") != "black":
        styles.append(f"color:#{color_hex(block)}")
    return f' style="{";".join(styles)}"' if styles else ""


def html_block(block: Block) -> str:
    """HTML for one block; comments are visible asides so a reader (and a scanner) sees them."""
    kind = block["type"]
    text = str(block.get("text", ""))
    if kind == "p":
        return f"<p{_html_p_style(block)}>{_html_text(text)}</p>"
    if kind == "h":
        level = min(block.get("level", 1), 6)
        return f"<h{level}>{_html_text(text)}</h{level}>"
    if kind == "list":
        tag = "ol" if block.get("numbered") else "ul"
        items = "".join(f"<li>{_html_text(str(i))}</li>" for i in block["items"])
        return f"<{tag}>{items}</{tag}>"
    if kind == "table":
        return html_table(block)
    if kind == "textbox":
        style = "border:1px solid #000;padding:6px;width:60%"
        return f'<div class="textbox" style="{style}">{_html_text(text)}</div>'
    if kind == "stamp":
        radius = "50%" if block.get("shape") == "round" else "4px"
        color = stamp_color(block)
        return (
            f'<div class="stamp" style="display:inline-block;border:3px solid #{color};color:#{color};'
            f'border-radius:{radius};padding:18px;font-weight:bold;float:right">{_html_text(text)}</div>'
        )
    if kind == "caption":
        return f'<p class="caption"><i>{_html_text(text)}</i></p>'
    if kind == "comment":
        author = html.escape(str(block.get("author") or ""))
        return (
            f'<aside class="comment" style="border-left:3px solid #c90;padding-left:6px;color:#555">'
            f"<b>{author}</b> {_html_text(text)}</aside>"
        )
    if kind == "chat":
        lines = "".join(
            f'<p><span class="time">{html.escape(str(m.get("time", "")))}</span> '
            f"<b>{html.escape(str(m.get('who', '')))}</b>: {_html_text(str(m['text']))}</p>"
            for m in block["messages"]
        )
        return f'<div class="chat">{lines}</div>'
    return '<div style="page-break-after:always"></div>'


def html_table(block: Block) -> str:
    rows = block["rows"]
    out = ['<table border="1" style="border-collapse:collapse">']
    for ri, row in enumerate(rows):
        tag = "th" if ri == 0 and block.get("header", True) else "td"
        out.append("<tr>" + "".join(f"<{tag}>{_html_text(str(c))}</{tag}>" for c in row) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def render_html(case: Case, doc: Doc, path: Path) -> None:
    """HTML page: properties as <meta>, each page a <section> with its own <header>/<footer>."""
    sample = json.dumps(doc, ensure_ascii=False)
    lang = "zh" if has_cjk(sample) else "en"
    head = ['<meta charset="utf-8">', f"<title>{html.escape(str(doc.get('title') or ''))}</title>"]
    if doc.get("author"):
        head.append(f'<meta name="author" content={quoteattr(str(doc["author"]))}>')
    head.extend(f"<meta name={quoteattr(k)} content={quoteattr(v)}>" for k, v in doc_properties(doc).items())
    body: list[str] = []
    for pi, page in enumerate(doc["pages"]):
        body.append(f'<section class="page" id="page-{pi + 1}">')
        if header_for(doc, pi):
            body.append(f"<header>{_html_text(header_for(doc, pi))}</header>")
        body.extend(html_block(b) for b in page.get("blocks", []))
        if doc.get("footer"):
            body.append(f"<footer>{_html_text(str(doc['footer']))}</footer>")
        body.append("</section>")
    body.extend(f'<aside class="notes">{_html_text(n)}</aside>' for n in all_notes(doc))
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n'
        + "\n".join(head)
        + "\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
    path.write_text(page, encoding="utf-8")


# --------------------------------------------------------------------------------------------------
# OOXML post-processing shared by docx, xlsx and pptx
# --------------------------------------------------------------------------------------------------

CUSTOM_PROPS_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PROPS_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def custom_props_xml(props: dict[str, Any]) -> bytes:
    """docProps/custom.xml: the part Office uses for File > Properties > Custom (and MSIP labels)."""
    items = []
    for pid, (name, value) in enumerate(props.items(), start=2):
        if isinstance(value, bool):
            typed = f"<vt:bool>{str(value).lower()}</vt:bool>"
        elif isinstance(value, int):
            typed = f"<vt:i4>{value}</vt:i4>"
        elif isinstance(value, float):
            typed = f"<vt:r8>{value}</vt:r8>"
        else:
            typed = f"<vt:lpwstr>{xml_escape(str(value))}</vt:lpwstr>"
        items.append(
            f'<property fmtid="{CUSTOM_FMTID}" pid="{pid}" name={quoteattr(str(name))}>{typed}</property>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        + "".join(items)
        + "</Properties>"
    ).encode("utf-8")


def _add_custom_part(parts: dict[str, bytes], props: dict[str, Any]) -> None:
    """Insert custom.xml with its content-type override and package relationship."""
    parts["docProps/custom.xml"] = custom_props_xml(props)
    ctypes = parts["[Content_Types].xml"].decode("utf-8")
    if "/docProps/custom.xml" not in ctypes:
        override = f'<Override PartName="/docProps/custom.xml" ContentType="{CUSTOM_PROPS_CT}"/>'
        ctypes = ctypes.replace("</Types>", override + "</Types>")
        parts["[Content_Types].xml"] = ctypes.encode("utf-8")
    rels = parts["_rels/.rels"].decode("utf-8")
    if "docProps/custom.xml" not in rels:
        rel = f'<Relationship Id="rIdCustomProps" Type="{CUSTOM_PROPS_RT}" Target="docProps/custom.xml"/>'
        parts["_rels/.rels"] = rels.replace("</Relationships>", rel + "</Relationships>").encode("utf-8")


def finalize_ooxml(path: Path, props: dict[str, Any]) -> None:
    """Add custom properties, pin core dates and zip timestamps so output is reproducible."""
    with zipfile.ZipFile(path) as zin:
        names = zin.namelist()
        parts = {n: zin.read(n) for n in names}
    if props:
        _add_custom_part(parts, props)
        if "docProps/custom.xml" not in names:
            names.append("docProps/custom.xml")
    if "docProps/core.xml" in parts:
        core = parts["docProps/core.xml"].decode("utf-8")
        core = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{FIXED_ISO}\g<2>", core)
        parts["docProps/core.xml"] = core.encode("utf-8")
    if "word/comments.xml" in parts:  # python-docx stamps comments with the current time
        comments = re.sub(
            r'w:date="[^"]*"', f'w:date="{FIXED_ISO}"', parts["word/comments.xml"].decode("utf-8")
        )
        parts["word/comments.xml"] = comments.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 6, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, parts[name])


# --------------------------------------------------------------------------------------------------
# docx (python-docx + raw WordprocessingML for text boxes)
# --------------------------------------------------------------------------------------------------

DOCX_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)
EMU_PER_PT = 12700


@dataclass
class ShapeSpec:
    """Geometry and look of a floating Word shape (text box or stamp)."""

    text: str
    width_pt: float
    height_pt: float
    round: bool = False
    color: str = "000000"
    bold: bool = False
    size_pt: float = 10.5
    align_right: bool = False


def _txbx_paragraphs(spec: ShapeSpec) -> str:
    """w:p elements for the inside of a text box (one per line)."""
    rpr = (
        ("<w:b/>" if spec.bold else "")
        + f'<w:color w:val="{spec.color}"/>'
        + f'<w:sz w:val="{round(spec.size_pt * 2)}"/><w:szCs w:val="{round(spec.size_pt * 2)}"/>'
    )
    jc = '<w:pPr><w:jc w:val="center"/></w:pPr>' if spec.round or spec.bold else ""
    return "".join(
        f'<w:p>{jc}<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{xml_escape(line)}</w:t></w:r></w:p>'
        for line in spec.text.split("\n")
    )


def docx_shape_run_xml(spec: ShapeSpec, shape_id: int) -> str:
    """A w:r holding a floating shape with w:txbxContent: DrawingML (wps) plus the VML fallback
    that Word itself writes, so both modern and legacy readers find the text box."""
    cx, cy = int(spec.width_pt * EMU_PER_PT), int(spec.height_pt * EMU_PER_PT)
    off = int((415 - spec.width_pt) * EMU_PER_PT) if spec.align_right else 0
    geom = "ellipse" if spec.round else "rect"
    body = _txbx_paragraphs(spec)
    vml_tag = "v:oval" if spec.round else "v:rect"
    stroke = "38100" if spec.color != "000000" else "12700"
    return (
        f'<w:r {DOCX_NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
        f'relativeHeight="{251658240 + shape_id}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column"><wp:posOffset>{off}</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
        f'<wp:docPr id="{shape_id}" name="{"Stamp" if spec.color != "000000" else "Text Box"} {shape_id}"/>'
        "<wp:cNvGraphicFramePr/><a:graphic>"
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        f'<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="{geom}"><a:avLst/></a:prstGeom><a:noFill/>'
        f'<a:ln w="{stroke}"><a:solidFill><a:srgbClr val="{spec.color}"/></a:solidFill></a:ln></wps:spPr>'
        f"<wps:txbx><w:txbxContent>{body}</w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" '
        'anchor="ctr"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor>'
        "</w:drawing></mc:Choice><mc:Fallback><w:pict>"
        f'<{vml_tag} id="_x0000_s{1024 + shape_id}" '
        f'style="position:absolute;margin-left:{off / EMU_PER_PT:.1f}pt;'
        f"margin-top:0;width:{spec.width_pt:.1f}pt;height:{spec.height_pt:.1f}pt;z-index:{shape_id};"
        f'mso-wrap-style:square" filled="f" strokecolor="#{spec.color}" '
        f'strokeweight="{int(stroke) / EMU_PER_PT}pt">'
        f'<v:textbox><w:txbxContent>{body}</w:txbxContent></v:textbox><w10:wrap type="topAndBottom"/>'
        f"</{vml_tag}></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def text_extent(text: str, size_pt: float) -> tuple[float, int]:
    """Widest line in points (CJK em-wide, Latin ~0.55 em) and the number of lines."""
    lines = text.split("\n")
    widest = max(sum(1.0 if has_cjk(ch) else 0.55 for ch in line) for line in lines)
    return widest * size_pt, len(lines)


def textbox_spec(text: str) -> ShapeSpec:
    """Size a text box to its text: at most ~60% of the text column, wrapping beyond that."""
    width, lines = text_extent(text, 10.5)
    box_w = min(max(width + 20, 120), 300)
    wrapped = sum(
        max(1, math.ceil(text_extent(line or " ", 10.5)[0] / (box_w - 16))) for line in text.split("\n")
    )
    return ShapeSpec(text=text, width_pt=box_w, height_pt=max(wrapped, lines) * 16 + 16)


def stamp_spec(block: Block) -> ShapeSpec:
    """A stamp is a red (or given colour) ellipse or rectangle with bold text inside."""
    text = str(block["text"])
    color = stamp_color(block)
    width, lines = text_extent(text, 14)
    if block.get("shape") == "round":
        side = max(width + 36, lines * 20 + 40, 110)
        return ShapeSpec(text, side, side, round=True, color=color, bold=True, size_pt=14, align_right=True)
    return ShapeSpec(text, width + 30, lines * 20 + 16, color=color, bold=True, size_pt=14, align_right=True)


class DocxWriter:
    """Walks a DOC into a python-docx Document; keeps state for shape ids and comment anchors."""

    def __init__(self, doc: Doc) -> None:
        import docx

        self.spec = doc
        self.document = docx.Document()
        self.shape_id = 100
        self.last_runs: list[Any] = []

    def build(self, path: Path) -> None:
        self._sections()
        self._core_properties()
        for pi, page in enumerate(self.spec["pages"]):
            if pi:
                self.document.add_page_break()
            for block in page.get("blocks", []):
                self._block(block)
        for note in all_notes(self.spec):
            self._paragraph({"type": "p", "text": note})
        self.document.save(str(path))

    def _sections(self) -> None:
        """Running header/footer in the section parts; a separate first-page header when asked."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        section = self.document.sections[0]
        pairs = [(section.header, self.spec.get("header")), (section.footer, self.spec.get("footer"))]
        if self.spec.get("first_page_header"):
            section.different_first_page_header_footer = True
            pairs += [
                (section.first_page_header, self.spec["first_page_header"]),
                (section.first_page_footer, self.spec.get("footer")),
            ]
        for part, text in pairs:
            if text:
                para = part.paragraphs[0]
                para.text = str(text)
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def _core_properties(self) -> None:
        props = self.document.core_properties
        author = str(self.spec.get("author") or "")
        props.title = str(self.spec.get("title") or "")
        props.author = author
        props.last_modified_by = author
        props.comments = ""
        props.subject = ""
        props.keywords = ""
        props.created = FIXED_DATE
        props.modified = FIXED_DATE
        props.last_printed = FIXED_DATE
        props.revision = 1

    def _block(self, block: Block) -> None:
        handler: dict[str, Callable[[Block], None]] = {
            "p": self._paragraph,
            "h": self._heading,
            "list": self._list,
            "table": self._table,
            "textbox": self._textbox,
            "caption": self._caption,
            "comment": self._comment,
            "stamp": self._stamp,
            "chat": self._chat,
            "pagebreak": lambda b: self.document.add_page_break(),
        }
        handler[block["type"]](block)

    def _paragraph(self, block: Block) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt, RGBColor

        para = self.document.add_paragraph()
        run = para.add_run(str(block["text"]))
        aligns = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }
        if block.get("align") in aligns:
            para.alignment = aligns[block["align"]]
        run.bold = bool(block.get("bold")) or None
        if block.get("size"):
            run.font.size = Pt(block["size"])
        if block.get("color", "black") != "black":
            run.font.color.rgb = RGBColor.from_string(color_hex(block))
        self.last_runs = [run]

    def _heading(self, block: Block) -> None:
        para = self.document.add_heading(str(block["text"]), level=block.get("level", 1))
        self.last_runs = list(para.runs)

    def _list(self, block: Block) -> None:
        style = "List Number" if block.get("numbered") else "List Bullet"
        for item in block["items"]:
            para = self.document.add_paragraph(str(item), style=style)
            self.last_runs = list(para.runs)

    def _table(self, block: Block) -> None:
        rows = block["rows"]
        width = max(len(r) for r in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for ri, row in enumerate(rows):
            for ci, value in enumerate(row):
                cell = table.cell(ri, ci)
                cell.text = str(value)
                if ri == 0 and block.get("header", True):
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        self.last_runs = list(table.cell(len(rows) - 1, 0).paragraphs[0].runs)

    def _shape(self, spec: ShapeSpec) -> None:
        from docx.oxml import parse_xml

        self.shape_id += 1
        para = self.document.add_paragraph()
        para._p.append(parse_xml(docx_shape_run_xml(spec, self.shape_id)))

    def _textbox(self, block: Block) -> None:
        self._shape(textbox_spec(str(block["text"])))

    def _stamp(self, block: Block) -> None:
        self._shape(stamp_spec(block))

    def _caption(self, block: Block) -> None:
        para = self.document.add_paragraph(str(block["text"]), style="Caption")
        self.last_runs = list(para.runs)

    def _chat(self, block: Block) -> None:
        for msg in block["messages"]:
            para = self.document.add_paragraph()
            head = " ".join(x for x in (str(msg.get("who", "")), str(msg.get("time", ""))) if x)
            if head:
                para.add_run(head).bold = True
                para.add_run("\n")
            self.last_runs = [para.add_run(str(msg["text"]))]

    def _comment(self, block: Block) -> None:
        """A real Word comment (comments.xml) anchored on the run holding the anchor text."""
        runs = self._anchor_runs(str(block.get("anchor") or "")) or self.last_runs
        if not runs:
            runs = [self.document.add_paragraph().add_run("")]
        author = str(block.get("author") or "Reviewer")
        self.document.add_comment(runs, text=str(block["text"]), author=author, initials=author[:2])

    def _anchor_runs(self, anchor: str) -> list[Any]:
        """Find the last body paragraph containing the anchor and isolate it in its own run."""
        if not anchor:
            return []
        paragraphs = list(self.document.paragraphs)
        for table in self.document.tables:
            paragraphs.extend(p for row in table.rows for c in row.cells for p in c.paragraphs)
        for para in reversed(paragraphs):
            for run in para.runs:
                if anchor in run.text:
                    return [split_run(run, anchor)]
            if anchor in para.text and para.runs:
                return list(para.runs)
        return []


def split_run(run: Any, anchor: str) -> Any:
    """Split a run into before/anchor/after runs with the same formatting; return the anchor run."""
    import copy

    text = run.text
    start = text.index(anchor)
    before, after = text[:start], text[start + len(anchor) :]
    if not before and not after:
        return run
    elements = []
    for piece in (before, anchor, after):
        if piece:
            clone = copy.deepcopy(run._r)
            elements.append((piece, clone))
    anchor_el = None
    for piece, el in elements:
        run._r.addprevious(el)
        from docx.text.run import Run

        new_run = Run(el, run._parent)
        new_run.text = piece
        if piece == anchor and anchor_el is None:
            anchor_el = new_run
    run._r.getparent().remove(run._r)
    return anchor_el


def render_docx(case: Case, doc: Doc, path: Path) -> None:
    DocxWriter(doc).build(path)
    finalize_ooxml(path, doc.get("properties") or {})


# --------------------------------------------------------------------------------------------------
# pdf (reportlab platypus, then pypdf for custom Info keys and comment annotations)
# --------------------------------------------------------------------------------------------------

FONT_NAME = "BlindCJK"
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)
_FONT_STATE: dict[str, str] = {}


def _font_candidates() -> Iterator[tuple[str, int]]:
    """BLIND_CJK_FONT=path[:index] first, then known TrueType CJK fonts, then whatever fc-list finds."""
    env = os.environ.get("BLIND_CJK_FONT")
    if env:
        path, _, index = env.partition(":")
        yield path, int(index or 0)
    yield from FONT_CANDIDATES
    if shutil.which("fc-list"):
        listing = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False)
        for line in sorted(listing.stdout.splitlines()):
            path = line.split(":")[0].strip()
            if path.lower().endswith((".ttf", ".ttc")):
                yield path, 0


def register_cjk_font() -> str:
    """Register a CJK-capable TrueType font (reportlab embeds a subset); CFF/OTF fonts cannot be used."""
    if "name" in _FONT_STATE:
        return _FONT_STATE["name"]
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    tried = []
    for path, index in _font_candidates():
        if not Path(path).is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
        except Exception as exc:  # reportlab raises TTFError and others for CFF outlines
            tried.append(f"{path}: {exc}")
            continue
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FONT_NAME, bold, italic, FONT_NAME)
        _FONT_STATE["name"] = FONT_NAME
        _FONT_STATE["path"] = f"{path}:{index}"
        return FONT_NAME
    raise RenderError(
        "no CJK TrueType font found for PDF; install fonts-wqy-zenhei "
        "(apt-get install -y fonts-wqy-zenhei) or set BLIND_CJK_FONT=/path/font.ttc:0"
        + (f" (tried: {'; '.join(tried)})" if tried else "")
    )


@dataclass
class PdfStyles:
    """Paragraph styles built once per document (all on the embedded CJK font)."""

    body: Any
    body_cjk: Any
    headings: list[Any]
    caption: Any
    cell: Any


def pdf_styles() -> PdfStyles:
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=FONT_NAME, fontSize=10.5, leading=16, spaceAfter=5)
    body_cjk = ParagraphStyle("bodycjk", parent=body, wordWrap="CJK")
    heads = [
        ParagraphStyle(
            f"h{i}",
            parent=body,
            fontSize=max(18 - 2 * i, 11),
            leading=max(18 - 2 * i, 11) * 1.4,
            spaceBefore=6,
            spaceAfter=6,
            wordWrap="CJK",
        )
        for i in range(1, 10)
    ]
    caption = ParagraphStyle("caption", parent=body_cjk, fontSize=9, leading=13, alignment=1)
    cell = ParagraphStyle("cell", parent=body_cjk, fontSize=9.5, leading=13, spaceAfter=0)
    return PdfStyles(body, body_cjk, heads, caption, cell)


def pdf_markup(text: str, bold: bool = False) -> str:
    """Escape text for reportlab's mini-markup and keep explicit line breaks."""
    out = xml_escape(text).replace("\n", "<br/>")
    return f"<b>{out}</b>" if bold else out


def pdf_paragraph(block: Block, styles: PdfStyles) -> Any:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    text = str(block["text"])
    base = styles.body_cjk if has_cjk(text) else styles.body
    size = float(block.get("size") or base.fontSize)
    style = ParagraphStyle(
        "p",
        parent=base,
        fontSize=size,
        leading=size * 1.5,
        alignment={"left": 0, "center": 1, "right": 2, "justify": 4}[block.get("align", "left")],
        textColor=f"#{color_hex(block)}",
    )
    return Paragraph(pdf_markup(text, bool(block.get("bold"))), style)


def make_stamp(block: Block) -> Any:
    """A red outlined circle or rectangle with the text in the text layer (centred, one string)."""
    from reportlab.lib.colors import HexColor
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable

    text = str(block["text"])
    color = HexColor(f"#{stamp_color(block)}")
    lines = text.split("\n")
    size = 15.0
    widest = max(stringWidth(line, FONT_NAME, size) for line in lines)
    round_shape = block.get("shape") == "round"

    class Stamp(Flowable):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.hAlign = "RIGHT"
            if round_shape:
                self.diameter = max(widest + 30, len(lines) * size * 1.3 + 30, 100)
                self.width = self.height = self.diameter
            else:
                self.width, self.height = widest + 24, len(lines) * size * 1.3 + 16

        def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
            return self.width, self.height

        def draw(self) -> None:
            canv = self.canv
            canv.saveState()
            canv.setStrokeColor(color)
            canv.setFillColor(color)
            canv.setLineWidth(2.5)
            if round_shape:
                canv.circle(self.width / 2, self.height / 2, self.width / 2 - 2, stroke=1, fill=0)
            else:
                canv.rect(1, 1, self.width - 2, self.height - 2, stroke=1, fill=0)
            canv.setFont(FONT_NAME, size)
            top = self.height / 2 + (len(lines) - 1) * size * 0.65 - size * 0.35
            for i, line in enumerate(lines):
                canv.drawCentredString(self.width / 2, top - i * size * 1.3, line)
            canv.restoreState()

    return Stamp()


@dataclass
class PdfComment:
    """A comment recorded during layout, turned into a /Text annotation afterwards."""

    text: str
    author: str
    page: int = 0
    x: float = 0.0
    y: float = 0.0


def make_comment_marker(block: Block, sink: list[PdfComment]) -> Any:
    """Zero-size flowable that records where the comment lands (page and position)."""
    from reportlab.platypus import Flowable

    record = PdfComment(str(block["text"]), str(block.get("author") or "Reviewer"))

    class Marker(Flowable):  # type: ignore[misc]
        def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
            return 0, 0

        def draw(self) -> None:
            x, y = self.canv.absolutePosition(0, 0)
            record.page, record.x, record.y = self.canv.getPageNumber() - 1, x, y
            sink.append(record)

    return Marker()


def pdf_table(block: Block, styles: PdfStyles, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    rows = block["rows"]
    ncols = max(len(r) for r in rows)
    header = block.get("header", True)
    data = [
        [Paragraph(pdf_markup(str(c), bold=header and ri == 0), styles.cell) for c in row]
        + [""] * (ncols - len(row))
        for ri, row in enumerate(rows)
    ]
    table = Table(data, colWidths=[width / ncols] * ncols, repeatRows=1 if header else 0)
    style = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")))
    table.setStyle(TableStyle(style))
    return table


def pdf_textbox(text: str, styles: PdfStyles, width: float) -> Any:
    """A framed box: a one-cell table with a border, sized to the text up to 60% of the column."""
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table, TableStyle

    natural = max(stringWidth(line, FONT_NAME, 10.5) for line in text.split("\n")) + 16
    box = Table(
        [[Paragraph(pdf_markup(text), styles.body_cjk)]], colWidths=[min(max(natural, 100), width * 0.6)]
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    box.hAlign = "LEFT"
    return box


def pdf_flowables(block: Block, styles: PdfStyles, width: float, comments: list[PdfComment]) -> list[Any]:
    """Flowables for one block."""
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    kind = block["type"]
    text = str(block.get("text", ""))
    if kind == "p":
        return [pdf_paragraph(block, styles)]
    if kind == "h":
        return [Paragraph(pdf_markup(text), styles.headings[block.get("level", 1) - 1])]
    if kind == "list":
        return [
            Paragraph(pdf_markup(list_prefix(block, i) + str(item)), styles.body_cjk)
            for i, item in enumerate(block["items"])
        ]
    if kind == "table":
        return [pdf_table(block, styles, width), Spacer(1, 6)]
    if kind == "textbox":
        return [pdf_textbox(text, styles, width), Spacer(1, 6)]
    if kind == "stamp":
        return [make_stamp(block)]
    if kind == "caption":
        return [Paragraph(pdf_markup(text), styles.caption)]
    if kind == "comment":
        return [make_comment_marker(block, comments)]
    if kind == "chat":
        return [Paragraph(pdf_markup(chat_line(m)), styles.body_cjk) for m in block["messages"]]
    return [PageBreak()]


def pdf_page_decorator(doc: Doc) -> Callable[[Any, Any], None]:
    """Draw the running header (page 1: first_page_header) and footer on every page."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def fit(text: str, width: float) -> list[str]:
        lines: list[str] = []
        for raw in text.split("\n"):
            line = ""
            for ch in raw:
                if stringWidth(line + ch, FONT_NAME, 9) > width:
                    lines.append(line)
                    line = ""
                line += ch
            lines.append(line)
        return lines

    def draw(canv: Any, template: Any) -> None:
        page_w, page_h = template.pagesize
        canv.saveState()
        canv.setFont(FONT_NAME, 9)
        header = header_for(doc, canv.getPageNumber() - 1)
        for i, line in enumerate(fit(header, page_w - 120)):
            canv.drawCentredString(page_w / 2, page_h - 40 - i * 12, line)
        footer_lines = fit(str(doc.get("footer") or ""), page_w - 120) if doc.get("footer") else []
        for i, line in enumerate(reversed(footer_lines)):
            canv.drawCentredString(page_w / 2, 32 + i * 12, line)
        canv.restoreState()

    return draw


def render_pdf(case: Case, doc: Doc, path: Path) -> None:
    """A4 PDF with an embedded CJK font; custom properties and comments are added with pypdf."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    register_cjk_font()
    styles = pdf_styles()
    raw = io.BytesIO()
    template = SimpleDocTemplate(
        raw,
        pagesize=A4,
        leftMargin=72,
        rightMargin=72,
        topMargin=80,
        bottomMargin=72,
        title=str(doc.get("title") or ""),
        author=str(doc.get("author") or ""),
        subject="",
        creator="blind-benchmark renderer",
        invariant=1,
    )
    comments: list[PdfComment] = []
    story: list[Any] = []
    for pi, page in enumerate(doc["pages"]):
        if pi:
            story.append(PageBreak())
        for block in page.get("blocks", []):
            story.extend(pdf_flowables(block, styles, template.width, comments))
    notes = all_notes(doc)
    if notes:
        story.append(PageBreak())
        story.extend(Paragraph(pdf_markup(n), styles.body_cjk) for n in notes)
    decorate = pdf_page_decorator(doc)
    template.build(story, onFirstPage=decorate, onLaterPages=decorate)
    pdf_postprocess(raw.getvalue(), path, doc, comments)


def pdf_postprocess(data: bytes, path: Path, doc: Doc, comments: list[PdfComment]) -> None:
    """Put every custom property into the Info dictionary and add comment annotations."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Text
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    info: dict[str, Any] = {"/CreationDate": "D:20250106090000Z", "/ModDate": "D:20250106090000Z"}
    if doc.get("title"):
        info["/Title"] = str(doc["title"])
    if doc.get("author"):
        info["/Author"] = str(doc["author"])
    for key, value in doc_properties(doc).items():
        info["/" + re.sub(r"\s", "_", key)] = value
    writer.add_metadata(info)
    for comment in comments:
        annot = Text(
            rect=(comment.x + 400, comment.y - 4, comment.x + 420, comment.y + 16), text=comment.text
        )
        annot[NameObject("/T")] = TextStringObject(comment.author)
        writer.add_annotation(page_number=comment.page, annotation=annot)
    with path.open("wb") as handle:
        writer.write(handle)


# --------------------------------------------------------------------------------------------------
# xlsx (openpyxl)
# --------------------------------------------------------------------------------------------------


def _xl_hf(text: str) -> str:
    """Escape '&' (a header/footer control character in Excel) and cap at Excel's 255-char limit."""
    return text.replace("&", "&&")[:250]


class XlsxWriter:
    """One sheet per page, blocks as rows in column A, tables as grids, comments as cell notes."""

    def __init__(self, doc: Doc) -> None:
        from openpyxl import Workbook

        self.spec = doc
        self.workbook = Workbook()
        self.sheet: Any = None
        self.row = 0
        self.last_cell: Any = None

    def build(self, path: Path) -> None:
        for pi, page in enumerate(self.spec["pages"]):
            self._new_sheet(pi)
            for block in page.get("blocks", []):
                self._block(block)
        for note in all_notes(self.spec):
            self._write_row([note])
        self._properties()
        self.workbook.save(str(path))

    def _new_sheet(self, index: int) -> None:
        """Each page is a sheet with its own print header/footer (page 1 may differ)."""
        from openpyxl.worksheet.dimensions import ColumnDimension

        self.sheet = self.workbook.active if index == 0 else self.workbook.create_sheet()
        self.sheet.title = f"Sheet{index + 1}"
        self.sheet.column_dimensions["A"] = ColumnDimension(self.sheet, index="A", width=60)
        self.row = 0
        if self.spec.get("header"):
            self.sheet.oddHeader.center.text = _xl_hf(str(self.spec["header"]))
        if self.spec.get("footer"):
            self.sheet.oddFooter.center.text = _xl_hf(str(self.spec["footer"]))
        if index == 0 and self.spec.get("first_page_header"):
            self.sheet.HeaderFooter.differentFirst = True
            self.sheet.firstHeader.center.text = _xl_hf(str(self.spec["first_page_header"]))
            if self.spec.get("footer"):
                self.sheet.firstFooter.center.text = _xl_hf(str(self.spec["footer"]))

    def _write_row(self, values: list[Any], **style: Any) -> list[Any]:
        from openpyxl.styles import Alignment

        self.row += 1
        cells = []
        for ci, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.row, column=ci, value=value)
            for attr, val in style.items():
                setattr(cell, attr, val)
            if isinstance(value, str) and ("\n" in value or len(value) > 60):
                cell.alignment = Alignment(
                    wrap_text=True,
                    vertical="top",
                    horizontal=getattr(style.get("alignment"), "horizontal", None),
                )
            cells.append(cell)
        if cells:
            self.last_cell = cells[0]
        return cells

    def _block(self, block: Block) -> None:
        from openpyxl.styles import Alignment, Border, Font, Side
        from openpyxl.worksheet.pagebreak import Break

        kind = block["type"]
        text = str(block.get("text", ""))
        if kind == "p":
            font = Font(bold=bool(block.get("bold")), size=block.get("size") or 11, color=color_hex(block))
            align = Alignment(horizontal=block.get("align", "left"), wrap_text="\n" in text or len(text) > 60)
            self._write_row([text], font=font, alignment=align)
        elif kind == "h":
            self._write_row([text], font=Font(bold=True, size=max(18 - 2 * block.get("level", 1), 11)))
        elif kind == "list":
            for i, item in enumerate(block["items"]):
                self._write_row([list_prefix(block, i) + str(item)])
        elif kind == "table":
            self._table(block)
        elif kind in ("textbox", "stamp"):
            red = kind == "stamp"
            color = stamp_color(block) if red else "000000"
            side = Side(style="medium" if red else "thin", color=color)
            font = Font(bold=red, size=14 if red else 11, color=color)
            self._write_row(
                [text],
                border=Border(left=side, right=side, top=side, bottom=side),
                font=font,
                alignment=Alignment(horizontal="center" if red else "left", wrap_text=True),
            )
        elif kind == "caption":
            self._write_row([text], font=Font(italic=True, size=9))
        elif kind == "comment":
            self._comment(block)
        elif kind == "chat":
            for msg in block["messages"]:
                self._write_row([str(msg.get("time", "")), str(msg.get("who", "")), str(msg["text"])])
        elif kind == "pagebreak":
            self.sheet.row_breaks.append(Break(id=self.row))

    def _table(self, block: Block) -> None:
        from openpyxl.styles import Border, Font, Side

        side = Side(style="thin", color="000000")
        border = Border(left=side, right=side, top=side, bottom=side)
        for ri, row in enumerate(block["rows"]):
            bold = ri == 0 and block.get("header", True)
            self._write_row([c for c in row], border=border, font=Font(bold=bold))
        self.row += 1

    def _comment(self, block: Block) -> None:
        """Attach a cell comment to the cell holding the anchor text (or the last written cell)."""
        from openpyxl.comments import Comment

        anchor = str(block.get("anchor") or "")
        target = None
        if anchor:
            for row in reversed(list(self.sheet.iter_rows())):
                for cell in row:
                    if isinstance(cell.value, str) and anchor in cell.value and target is None:
                        target = cell
                if target is not None:
                    break
        target = target or self.last_cell or self._write_row([""])[0]
        author = str(block.get("author") or "Reviewer")
        target.comment = Comment(str(block["text"]), author, width=300, height=120)

    def _properties(self) -> None:
        props = self.workbook.properties
        props.title = str(self.spec.get("title") or "") or None
        props.creator = str(self.spec.get("author") or "") or None
        props.lastModifiedBy = props.creator
        props.created = FIXED_DATE
        props.modified = FIXED_DATE


def render_xlsx(case: Case, doc: Doc, path: Path) -> None:
    XlsxWriter(doc).build(path)
    finalize_ooxml(path, doc.get("properties") or {})


# --------------------------------------------------------------------------------------------------
# pptx (python-pptx, plus legacy comment parts)
# --------------------------------------------------------------------------------------------------

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
CONTENT_TOP_IN, CONTENT_BOTTOM_IN, MARGIN_IN = 0.9, 6.75, 0.6


def estimate_height_in(text: str, size_pt: float, width_in: float) -> float:
    """Rough text height so blocks stack without overlapping (CJK ~1 em, Latin ~0.55 em per char)."""
    lines = 0
    for line in text.split("\n"):
        width_pt, _ = text_extent(line or " ", size_pt)
        lines += max(1, math.ceil(width_pt / (width_in * 72 - 14)))
    return lines * size_pt * 1.25 / 72 + 0.15


class PptxWriter:
    """One slide per page (overflowing blocks continue on an extra slide), notes as real notes."""

    def __init__(self, doc: Doc) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        self.spec = doc
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
        self.slide: Any = None
        self.top = CONTENT_TOP_IN
        self.comments: dict[int, list[tuple[str, str]]] = {}
        self.width = SLIDE_W_IN - 2 * MARGIN_IN

    def build(self, path: Path) -> None:
        for page in self.spec["pages"]:
            self._new_slide()
            if page.get("notes"):
                self.slide.notes_slide.notes_text_frame.text = str(page["notes"])
            for block in page.get("blocks", []):
                self._block(block)
        self._add_comment_parts()
        self._properties()
        self.prs.save(str(path))

    def _new_slide(self) -> None:
        """Blank slide with the running header at the top and the footer text box at the bottom."""
        self.slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])
        self.top = CONTENT_TOP_IN
        header = header_for(self.spec, 0 if len(self.prs.slides) == 1 else 1)
        if header:
            self._text_shape(header, 0.15, 0.55, size=11, align="center")
        if self.spec.get("footer"):
            self._text_shape(str(self.spec["footer"]), SLIDE_H_IN - 0.6, 0.45, size=11, align="center")

    def _room(self, height: float) -> None:
        if self.top + height > CONTENT_BOTTOM_IN and self.top > CONTENT_TOP_IN + 0.01:
            self._new_slide()

    def _text_shape(
        self,
        text: str,
        top: float,
        height: float,
        size: float = 16,
        align: str = "left",
        bold: bool = False,
        color: str = "000000",
        left: float = MARGIN_IN,
        width: float | None = None,
    ) -> Any:
        from pptx.dml.color import RGBColor
        from pptx.enum.text import PP_ALIGN
        from pptx.util import Inches, Pt

        box = self.slide.shapes.add_textbox(
            Inches(left), Inches(top), Inches(width or self.width), Inches(height)
        )
        frame = box.text_frame
        frame.word_wrap = True
        aligns = {
            "left": PP_ALIGN.LEFT,
            "center": PP_ALIGN.CENTER,
            "right": PP_ALIGN.RIGHT,
            "justify": PP_ALIGN.JUSTIFY,
        }
        for i, line in enumerate(text.split("\n")):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.alignment = aligns.get(align, PP_ALIGN.LEFT)
            run = para.add_run()
            run.text = line
            run.font.size = Pt(size)
            run.font.bold = bold or None
            run.font.color.rgb = RGBColor.from_string(color)
        return box

    def _flow_text(self, text: str, size: float = 16, **kw: Any) -> Any:
        height = estimate_height_in(text, size, self.width)
        self._room(height)
        shape = self._text_shape(text, self.top, height, size=size, **kw)
        self.top += height + 0.05
        return shape

    def _block(self, block: Block) -> None:
        kind = block["type"]
        text = str(block.get("text", ""))
        if kind == "p":
            self._flow_text(
                text,
                size=block.get("size") or 16,
                align=block.get("align", "left"),
                bold=bool(block.get("bold")),
                color=color_hex(block),
            )
        elif kind == "h":
            self._flow_text(text, size=max(32 - 4 * block.get("level", 1), 16), bold=True)
        elif kind == "list":
            self._flow_text(
                "\n".join(
                    list_prefix(block, i).replace("- ", "• ") + str(it) for i, it in enumerate(block["items"])
                )
            )
        elif kind == "table":
            self._table(block)
        elif kind == "textbox":
            self._box(text)
        elif kind == "stamp":
            self._stamp(block)
        elif kind == "caption":
            self._flow_text(text, size=12, align="center")
        elif kind == "comment":
            self.comments.setdefault(len(self.prs.slides) - 1, []).append(
                (str(block.get("author") or "Reviewer"), text)
            )
        elif kind == "chat":
            self._flow_text("\n".join(chat_line(m) for m in block["messages"]), size=14)
        elif kind == "pagebreak":
            self._new_slide()

    def _table(self, block: Block) -> None:
        from pptx.util import Inches, Pt

        rows = block["rows"]
        ncols = max(len(r) for r in rows)
        row_h = max(estimate_height_in(str(c), 12, self.width / ncols) for r in rows for c in r)
        height = row_h * len(rows)
        self._room(height)
        shape = self.slide.shapes.add_table(
            len(rows), ncols, Inches(MARGIN_IN), Inches(self.top), Inches(self.width), Inches(height)
        )
        for ri, row in enumerate(rows):
            for ci, value in enumerate(row):
                cell = shape.table.cell(ri, ci)
                cell.text = str(value)
                for para in cell.text_frame.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(12)
        shape.table.first_row = bool(block.get("header", True))
        self.top += height + 0.15

    def _box(self, text: str) -> None:
        from pptx.dml.color import RGBColor
        from pptx.util import Pt

        width = min(max(text_extent(text, 14)[0] / 72 + 0.5, 2.5), self.width * 0.6)
        height = estimate_height_in(text, 14, width)
        self._room(height)
        box = self._text_shape(text, self.top, height, size=14, width=width)
        box.line.color.rgb = RGBColor(0, 0, 0)
        box.line.width = Pt(1)
        self.top += height + 0.1

    def _stamp(self, block: Block) -> None:
        """A red outlined oval/rectangle auto-shape with the stamp text in red."""
        from pptx.dml.color import RGBColor
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Inches, Pt

        spec = stamp_spec(block)
        width, height = spec.width_pt / 72 * 1.2, spec.height_pt / 72 * 1.2
        self._room(height)
        shape = self.slide.shapes.add_shape(
            MSO_SHAPE.OVAL if spec.round else MSO_SHAPE.RECTANGLE,
            Inches(SLIDE_W_IN - MARGIN_IN - width),
            Inches(self.top),
            Inches(width),
            Inches(height),
        )
        shape.fill.background()
        shape.line.color.rgb = RGBColor.from_string(spec.color)
        shape.line.width = Pt(3)
        frame = shape.text_frame
        frame.word_wrap = True
        for i, line in enumerate(spec.text.split("\n")):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = para.add_run()
            run.text = line
            run.font.bold = True
            run.font.size = Pt(18)
            run.font.color.rgb = RGBColor.from_string(spec.color)
        self.top += height + 0.1

    def _add_comment_parts(self) -> None:
        """Legacy PowerPoint comments: ppt/commentAuthors.xml plus ppt/comments/commentN.xml."""
        if not self.comments:
            return
        from pptx.opc.constants import CONTENT_TYPE as CT
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT
        from pptx.opc.package import Part
        from pptx.opc.packuri import PackURI

        ns = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
        authors = sorted({a for items in self.comments.values() for a, _ in items})
        author_xml = "".join(
            f'<p:cmAuthor id="{i}" name={quoteattr(a)} initials={quoteattr(a[:2])} '
            f'lastIdx="{sum(1 for it in self.comments.values() for x, _ in it if x == a)}" '
            f'clrIdx="{i}"/>'
            for i, a in enumerate(authors)
        )
        package = self.prs.part.package
        blob = f"{XML_DECL}<p:cmAuthorLst {ns}>{author_xml}</p:cmAuthorLst>"
        part = Part(PackURI("/ppt/commentAuthors.xml"), CT.PML_COMMENT_AUTHORS, package, blob.encode("utf-8"))
        self.prs.part.relate_to(part, RT.COMMENT_AUTHORS)
        counters = dict.fromkeys(authors, 0)
        for slide_index, items in sorted(self.comments.items()):
            cms = []
            for author, text in items:
                counters[author] += 1
                cms.append(
                    f'<p:cm authorId="{authors.index(author)}" dt="2025-01-06T09:00:00.000" '
                    f'idx="{counters[author]}"><p:pos x="10" y="{10 + 100 * len(cms)}"/>'
                    f"<p:text>{xml_escape(text)}</p:text></p:cm>"
                )
            blob = f"{XML_DECL}<p:cmLst {ns}>{''.join(cms)}</p:cmLst>"
            part = Part(
                PackURI(f"/ppt/comments/comment{slide_index + 1}.xml"),
                CT.PML_COMMENTS,
                package,
                blob.encode("utf-8"),
            )
            self.prs.slides[slide_index].part.relate_to(part, RT.COMMENTS)

    def _properties(self) -> None:
        props = self.prs.core_properties
        author = str(self.spec.get("author") or "")
        props.title = str(self.spec.get("title") or "")
        props.author = author
        props.last_modified_by = author
        props.created = FIXED_DATE
        props.modified = FIXED_DATE
        props.revision = 1


def render_pptx(case: Case, doc: Doc, path: Path) -> None:
    PptxWriter(doc).build(path)
    finalize_ooxml(path, doc.get("properties") or {})


# --------------------------------------------------------------------------------------------------
# odt (odfpy)
# --------------------------------------------------------------------------------------------------


class OdtWriter:
    """OpenDocument text: master-page header/footer, frames for boxes, office:annotation comments."""

    def __init__(self, doc: Doc) -> None:
        from odf.opendocument import OpenDocumentText

        self.spec = doc
        self.odt = OpenDocumentText()
        self.styles: dict[str, Any] = {}
        self.frame_id = 0
        self.last_para: Any = None
        self.pending_break = False
        self.first_para = True

    def build(self, path: Path) -> None:
        self._page_layout()
        self._meta()
        for pi, page in enumerate(self.spec["pages"]):
            self.pending_break = pi > 0
            for block in page.get("blocks", []):
                self._block(block)
        for note in all_notes(self.spec):
            self._para(note)
        self.odt.save(str(path))

    def _page_layout(self) -> None:
        """Standard master page with header/footer; a First_Page master when page 1 differs."""
        from odf import style, text

        layout = style.PageLayout(name="A4")
        layout.addElement(style.PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm", margin="2cm"))
        layout.addElement(style.HeaderStyle())
        layout.addElement(style.FooterStyle())
        self.odt.automaticstyles.addElement(layout)
        masters = [("Standard", self.spec.get("header"), None)]
        if self.spec.get("first_page_header"):
            masters.append(("First_Page", self.spec["first_page_header"], "Standard"))
        for name, header, nxt in masters:
            master = style.MasterPage(
                name=name, pagelayoutname=layout, **({"nextstylename": nxt} if nxt else {})
            )
            if header:
                head = style.Header()
                self._lines_into(head, str(header), text)
                master.addElement(head)
            if self.spec.get("footer"):
                foot = style.Footer()
                self._lines_into(foot, str(self.spec["footer"]), text)
                master.addElement(foot)
            self.odt.masterstyles.addElement(master)

    @staticmethod
    def _lines_into(parent: Any, value: str, text_mod: Any) -> None:
        para = text_mod.P()
        OdtWriter._add_text(para, value, text_mod)
        parent.addElement(para)

    @staticmethod
    def _add_text(para: Any, value: str, text_mod: Any) -> None:
        for i, line in enumerate(value.split("\n")):
            if i:
                para.addElement(text_mod.LineBreak())
            para.addText(line)

    def _meta(self) -> None:
        from odf import dc, meta

        if self.spec.get("title"):
            self.odt.meta.addElement(dc.Title(text=str(self.spec["title"])))
        if self.spec.get("author"):
            self.odt.meta.addElement(dc.Creator(text=str(self.spec["author"])))
            self.odt.meta.addElement(meta.InitialCreator(text=str(self.spec["author"])))
        self.odt.meta.addElement(meta.CreationDate(text=FIXED_ISO.rstrip("Z")))
        self.odt.meta.addElement(dc.Date(text=FIXED_ISO.rstrip("Z")))
        for key, value in doc_properties(self.spec).items():
            self.odt.meta.addElement(meta.UserDefined(name=key, valuetype="string", text=value))

    def _style(self, key: str, family: str, **props: Any) -> Any:
        """Automatic styles, created once per distinct look."""
        from odf import style

        if key not in self.styles:
            st = style.Style(name=key, family=family, **props.pop("_attrs", {}))
            for kind, values in props.items():
                st.addElement(
                    {
                        "text": style.TextProperties,
                        "paragraph": style.ParagraphProperties,
                        "graphic": style.GraphicProperties,
                        "cell": style.TableCellProperties,
                    }[kind](**values)
                )
            self.odt.automaticstyles.addElement(st)
            self.styles[key] = st
        return self.styles[key]

    def _para_style(self, block: Block) -> Any:
        align = {"center": "center", "right": "end", "justify": "justify"}.get(
            block.get("align", ""), "start"
        )
        text_props = {
            "fontweight": "bold" if block.get("bold") else "normal",
            "color": f"#{color_hex(block)}",
        }
        if block.get("size"):
            text_props["fontsize"] = f"{block['size']}pt"
        attrs: dict[str, Any] = {}
        para_props: dict[str, Any] = {"textalign": align}
        if self.first_para and self.spec.get("first_page_header"):
            attrs["masterpagename"] = "First_Page"
        elif self.pending_break:
            para_props["breakbefore"] = "page"
        key = "P" + stable_hash(json.dumps([text_props, para_props, attrs], sort_keys=True))[:10]
        return self._style(key, "paragraph", text=text_props, paragraph=para_props, _attrs=attrs)

    def _para(self, value: str, block: Block | None = None, style_name: str | None = None) -> Any:
        from odf import text

        stl = self._para_style(block or {"type": "p", "text": value})
        para = (
            text.P(stylename=stl)
            if style_name is None or self.pending_break or self.first_para
            else text.P(stylename=style_name)
        )
        self._add_text(para, value, text)
        self._append(para)
        return para

    def _append(self, element: Any) -> None:
        self.odt.text.addElement(element)
        self.first_para = False
        self.pending_break = False
        self.last_para = element

    def _block(self, block: Block) -> None:
        from odf import text

        kind = block["type"]
        value = str(block.get("text", ""))
        if kind == "p":
            self._para(value, block)
        elif kind == "h":
            if self.pending_break or self.first_para:
                self._para("", {"type": "p", "text": ""})
            head = text.H(
                outlinelevel=block.get("level", 1),
                stylename=self._style(
                    f"H{block.get('level', 1)}",
                    "paragraph",
                    text={"fontsize": f"{max(18 - 2 * block.get('level', 1), 11)}pt", "fontweight": "bold"},
                ),
            )
            self._add_text(head, value, text)
            self._append(head)
        elif kind == "list":
            for i, item in enumerate(block["items"]):
                self._para(list_prefix(block, i).replace("- ", "• ") + str(item))
        elif kind == "table":
            self._table(block)
        elif kind in ("textbox", "stamp"):
            self._frame(block)
        elif kind == "caption":
            self._para(value, {"type": "p", "text": value, "align": "center", "size": 9})
        elif kind == "comment":
            self._comment(block)
        elif kind == "chat":
            for msg in block["messages"]:
                self._para(chat_line(msg))
        elif kind == "pagebreak":
            self.pending_break = True

    def _table(self, block: Block) -> None:
        from odf import table, text

        if self.pending_break or self.first_para:
            self._para("")
        rows = block["rows"]
        ncols = max(len(r) for r in rows)
        cell_style = self._style(
            "TCell", "table-cell", cell={"border": "0.5pt solid #000000", "padding": "0.1cm"}
        )
        tbl = table.Table(name=f"Table{self.frame_id}")
        self.frame_id += 1
        tbl.addElement(table.TableColumn(numbercolumnsrepeated=ncols))
        for row in rows:
            tr = table.TableRow()
            for ci in range(ncols):
                tc = table.TableCell(valuetype="string", stylename=cell_style)
                para = text.P()
                self._add_text(para, str(row[ci]) if ci < len(row) else "", text)
                tc.addElement(para)
                tr.addElement(tc)
            tbl.addElement(tr)
        self._append(tbl)

    def _frame(self, block: Block) -> None:
        """draw:frame with draw:text-box: the ODF text box (stamps get a red border and red text)."""
        from odf import draw, text

        stamp = block["type"] == "stamp"
        spec = stamp_spec(block) if stamp else textbox_spec(str(block["text"]))
        color = f"#{spec.color}"
        gstyle = self._style(
            "FrStamp" if stamp else "FrBox",
            "graphic",
            graphic={
                "border": f"{'2pt' if stamp else '0.5pt'} solid {color}",
                "wrap": "none",
                "horizontalpos": "right" if stamp else "left",
                "horizontalrel": "paragraph",
            },
        )
        anchor_para = self._para("")
        self.frame_id += 1
        frame = draw.Frame(
            stylename=gstyle,
            anchortype="paragraph",
            width=f"{spec.width_pt}pt",
            height=f"{spec.height_pt}pt",
            name=f"Frame{self.frame_id}",
        )
        box = draw.TextBox()
        inner_style = self._style(
            "FrText" + ("Red" if stamp else ""),
            "paragraph",
            text={"color": color, "fontweight": "bold" if stamp else "normal"},
            paragraph={"textalign": "center" if stamp else "start"},
        )
        para = text.P(stylename=inner_style)
        self._add_text(para, spec.text, text)
        box.addElement(para)
        frame.addElement(box)
        anchor_para.addElement(frame)

    def _comment(self, block: Block) -> None:
        """office:annotation inside the paragraph that holds the anchor (else the last paragraph)."""
        from odf import dc, office, text

        target = self.last_para
        anchor = str(block.get("anchor") or "")
        if anchor:
            for para in reversed(self.odt.text.getElementsByType(text.P)):
                if anchor in str(para):
                    target = para
                    break
        if target is None or target.qname[1] == "table":
            target = self._para("")
        note = office.Annotation()
        note.addElement(dc.Creator(text=str(block.get("author") or "Reviewer")))
        note.addElement(dc.Date(text=FIXED_ISO.rstrip("Z")))
        para = text.P()
        self._add_text(para, str(block["text"]), text)
        note.addElement(para)
        target.addElement(note)


def render_odt(case: Case, doc: Doc, path: Path) -> None:
    OdtWriter(doc).build(path)
    normalize_zip(path)


def normalize_zip(path: Path) -> None:
    """Pin zip timestamps (odfpy stamps entries with the current time); `mimetype` stays first, stored."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, info.compress_type, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w") as zout:
        for name, compress, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 6, 9, 0, 0))
            info.compress_type = compress
            zout.writestr(info, data)


# --------------------------------------------------------------------------------------------------
# eml (stdlib email)
# --------------------------------------------------------------------------------------------------

RENDERERS: dict[str, Callable[[Case, Doc, Path], None]] = {}


def render_to_bytes(case: Case, doc: Doc, fmt: str) -> bytes:
    """Render a DOC into a temporary file and return its bytes (used for attachments)."""
    with tempfile.TemporaryDirectory(prefix="blind-att-") as tmp:
        target = Path(tmp) / f"attachment.{fmt}"
        RENDERERS[fmt](case, doc, target)
        return target.read_bytes()


def build_email(case: Case) -> EmailMessage:
    """A message with fixed defaults, the case's headers, a plain-text body and real attachments."""
    spec = case.get("email") or {}
    msg = EmailMessage(policy=policy.default)
    msg["From"] = spec.get("from") or "sender@example.com"
    msg["To"] = spec.get("to") or "recipient@example.com"
    msg["Subject"] = spec.get("subject") if spec.get("subject") is not None else "Document"
    msg["Date"] = spec.get("date") or FIXED_EMAIL_DATE
    msg["Message-ID"] = f"<{stable_hash(case['id'])[:24]}@blind.example>"
    for key, value in (spec.get("headers") or {}).items():
        msg[key] = value
    body = spec.get("body")
    if body is None:
        body = doc_to_text(case["doc"]) if isinstance(case.get("doc"), dict) else ""
    msg.set_content(str(body))
    for att in spec.get("attachments") or []:
        fmt = att["format"]
        data = render_to_bytes(case, att["doc"], fmt)
        maintype, subtype = MIME_TYPES[fmt].split("/")
        if maintype == "text":
            msg.add_attachment(data.decode("utf-8"), subtype=subtype, filename=att["filename"])
        else:
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=att["filename"])
    if msg.is_multipart():
        msg.set_boundary(f"=_blind_{stable_hash(case['id'])[:20]}")
    return msg


def render_eml(case: Case, doc: Doc, path: Path) -> None:
    path.write_bytes(build_email(case).as_bytes())


RENDERERS.update(
    {
        "txt": render_txt,
        "md": render_md,
        "csv": render_csv,
        "html": render_html,
        "docx": render_docx,
        "pdf": render_pdf,
        "xlsx": render_xlsx,
        "pptx": render_pptx,
        "eml": render_eml,
        "odt": render_odt,
    }
)


# --------------------------------------------------------------------------------------------------
# Driver: render, files.tsv, freeze, check
# --------------------------------------------------------------------------------------------------


@dataclass
class RenderResult:
    """What one render run produced, for files.tsv and the summary."""

    rows: list[dict[str, str]] = field(default_factory=list)
    failures: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def output_name(case: Case, fmt: str) -> str:
    """`<filename or id>.<ext>`, keeping the author's file name exactly (it may carry a marking)."""
    return f"{case.get('filename') or case['id']}.{fmt}"


def render_case(item: LoadedCase, out: Path, result: RenderResult) -> None:
    """Render one case into each of its formats; one failing format does not stop the others."""
    case = item.case
    case_dir = out / case["id"]
    if case_dir.exists():
        shutil.rmtree(case_dir)
    case_dir.mkdir(parents=True)
    for fmt in case["formats"]:
        target = case_dir / output_name(case, fmt)
        doc = case.get("doc") if isinstance(case.get("doc"), dict) else {"pages": [{"blocks": []}]}
        try:
            RENDERERS[fmt](case, doc, target)
        except Exception as exc:
            detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
            result.failures.append(Problem(item.file, case["id"], f"{fmt}: {detail}"))
            target.unlink(missing_ok=True)
            continue
        result.counts[fmt] = result.counts.get(fmt, 0) + 1
        result.rows.append(
            {
                "case_id": case["id"],
                "file": target.relative_to(out).as_posix(),
                "format": fmt,
                "expected": case["expected"],
                "convention": case["convention"],
                "category": case["category"],
                "location": case["location"],
                "section": case["section"],
                "twin_of": case.get("twin_of") or "",
            }
        )


def write_files_tsv(out: Path, rows: list[dict[str, str]]) -> None:
    with (out / "files.tsv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=TSV_COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: (r["case_id"], r["format"])))


def run_render(args: argparse.Namespace) -> int:
    loaded = load_specs(args.specs, args.include_examples)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    result = RenderResult()
    selected = [c for c in loaded.cases if not args.only or c.case["id"].startswith(args.only)]
    for item in selected:
        render_case(item, out, result)
    write_files_tsv(out, result.rows)
    problems = [
        p for p in loaded.problems if not args.only or p.case_id.startswith(args.only) or p.case_id == "-"
    ]
    for problem in [*problems, *result.failures]:
        print(problem, file=sys.stderr)
    counts = ", ".join(f"{fmt}={result.counts.get(fmt, 0)}" for fmt in FORMATS if result.counts.get(fmt))
    print(f"rendered {len(result.rows)} files for {len(selected)} cases ({counts or 'none'}) into {out}")
    invalid = sum(1 for p in problems if p.fatal)
    print(
        f"{invalid} invalid-case errors, {len(result.failures)} render failures, "
        f"{sum(1 for p in problems if not p.fatal)} warnings"
    )
    return 1 if invalid or result.failures else 0


def case_sha(case: Case) -> str:
    """Canonical hash of one case: sorted keys, UTF-8, no ASCII escaping."""
    return stable_hash(json.dumps(case, sort_keys=True, ensure_ascii=False))


# Spec files written after tuning had begun: held parts of their own, never tuned on
# (specs/h2*.json after the first tuning round, specs/h3*.json after the second).
LATER_HELD = {"h2": "held2", "h3": "held3", "h4": "held4"}
# Written for a new round of tuning: split by case like the first batch, the held half a part of its own.
LATER_SPLIT = {"t4": "held4", "t5": "held5"}


def split_groups(cases: list[Case]) -> dict[str, str]:
    """tune/held per case; a case and its twin_of chain share a split so twins never straddle it."""
    parent = {c["id"]: c["id"] for c in cases}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for case in cases:
        twin = case.get("twin_of")
        if twin in parent:
            a, b = find(case["id"]), find(twin)
            parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for cid in parent:
        groups.setdefault(find(cid), []).append(cid)
    split = {}
    for members in groups.values():
        first_byte = hashlib.sha256(min(members).encode("utf-8")).digest()[0]
        for cid in members:
            split[cid] = "tune" if first_byte % 2 == 0 else "held"
    return split


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_freeze(args: argparse.Namespace) -> int:
    """Write MANIFEST.tsv; refuses when any case is invalid, so a frozen set is always renderable."""
    loaded = load_specs(args.specs, args.include_examples)
    fatal = [p for p in loaded.problems if p.fatal]
    for problem in loaded.problems:
        print(problem, file=sys.stderr)
    if fatal:
        bad = sorted({(p.file, p.case_id) for p in fatal})
        print(f"freeze refused: {len(bad)} invalid cases or files (fix them first)", file=sys.stderr)
        return 1
    cases = [c.case for c in loaded.cases]
    split = split_groups(cases)
    for item in loaded.cases:
        for prefix, part in LATER_HELD.items():
            if item.file.startswith(prefix):  # written after tuning began: held as a whole
                split[item.case["id"]] = part
        for prefix, part in LATER_SPLIT.items():
            if item.file.startswith(prefix) and split[item.case["id"]] == "held":
                split[item.case["id"]] = part
    lines = ["case_id\tauthor_file\tsha256\tsplit"]
    for item in sorted(loaded.cases, key=lambda c: c.case["id"]):
        cid = item.case["id"]
        lines.append(f"{cid}\t{item.file}\t{case_sha(item.case)}\t{split[cid]}")
    lines.append(f"#render.py\t{file_sha(Path(__file__).resolve())}")
    args.manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parts = ("tune", "held", *dict.fromkeys([*LATER_HELD.values(), *LATER_SPLIT.values()]))
    counts = {name: sum(1 for v in split.values() if v == name) for name in parts}
    shown = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    print(f"froze {len(cases)} cases ({shown}) into {args.manifest}")
    return 0


def read_manifest(path: Path) -> tuple[dict[str, tuple[str, str]], str]:
    """Manifest rows as id -> (author file, sha) plus the recorded render.py hash."""
    rows: dict[str, tuple[str, str]] = {}
    renderer = ""
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        fields = line.split("\t")
        if fields[0] == "#render.py":
            renderer = fields[1]
        elif len(fields) >= 3:
            rows[fields[0]] = (fields[1], fields[2])
    return rows, renderer


def run_check(args: argparse.Namespace) -> int:
    """Exit 1 naming every case added, removed or changed since the freeze (and a changed renderer)."""
    if not args.manifest.exists():
        print(f"no manifest at {args.manifest}; run --freeze first", file=sys.stderr)
        return 1
    frozen, renderer = read_manifest(args.manifest)
    loaded = load_specs(args.specs, args.include_examples)
    current = {c.case["id"]: (c.file, case_sha(c.case)) for c in loaded.cases}
    messages = [f"added: {cid} ({current[cid][0]})" for cid in sorted(set(current) - set(frozen))]
    messages += [f"removed: {cid} ({frozen[cid][0]})" for cid in sorted(set(frozen) - set(current))]
    messages += [
        f"changed: {cid} ({current[cid][0]})"
        for cid in sorted(set(frozen) & set(current))
        if current[cid][1] != frozen[cid][1]
    ]
    messages += [f"invalid now: {p}" for p in loaded.problems if p.fatal]
    if renderer and renderer != file_sha(Path(__file__).resolve()):
        messages.append("changed: render.py (its sha256 differs from the frozen one)")
    for message in messages:
        print(message, file=sys.stderr)
    print(
        "MANIFEST.tsv matches the specs" if not messages else f"{len(messages)} differences from MANIFEST.tsv"
    )
    return 1 if messages else 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output directory (default: %(default)s)"
    )
    parser.add_argument("--only", default="", help="render only cases whose id starts with this prefix")
    parser.add_argument("--include-examples", action="store_true", help="also load specs/_*.json")
    parser.add_argument("--specs", type=Path, default=SPECS_DIR, help=argparse.SUPPRESS)
    parser.add_argument("--manifest", type=Path, default=MANIFEST, help=argparse.SUPPRESS)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--freeze", action="store_true", help="write MANIFEST.tsv (case hashes and splits)")
    mode.add_argument("--check", action="store_true", help="verify the specs still match MANIFEST.tsv")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.freeze:
        return run_freeze(args)
    if args.check:
        return run_check(args)
    return run_render(args)


if __name__ == "__main__":
    sys.exit(main())
