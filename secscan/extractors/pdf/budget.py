"""Refuse a PDF whose streams expand past the expanded size limit, before pdfium inflates them.

Why: pdfium inflates every content stream of a page whole when the page is
loaded, with no limit of its own. A one-page PDF whose 2 MB content stream is
2 GiB of comment padding took 3.1 GB of memory, and the marking drawn after
the padding was lost with no error: the file was reported clean.

How, in two steps so normal files pay only the cheap one:

1. A pass over the file's bytes finds every ``stream`` keyword, reads the
   filter names from the dictionary before it, and counts what the stream
   decodes to (:mod:`stream_sizes`, bounded, never holding the output). Streams
   cannot sit inside object streams, so this sees every stream pdfium could
   inflate, on pages or not. On 200 generated report PDFs it costs a few per
   cent of the extractor's time (benchmarks/bench_throughput.py). If the total
   stays within ``Limits.max_expanded_size`` the file goes on to pdfium.
2. Otherwise (and for encrypted files, whose streams only pypdf can decrypt,
   and files whose stream dictionaries the pass could not read) pypdf walks the
   pages in order, counting each page's content streams, the /Contents array's
   parts, the form XObjects it draws (recursively) and its images against what
   is left of the limit, so the error names the page and the stream that
   passed it. If no page passes it, streams outside the pages did: the file is
   still an error, as pdfium may inflate them (object streams, attachments).

Either way a file over the limit is an ``error`` naming the limit, never read
in part and never clean.
"""

from __future__ import annotations

import io
import re
from typing import Any

from secscan.config import Limits
from secscan.errors import LimitExceeded
from secscan.extractors.pdf.stream_sizes import decoded_size, image_size, most_decoded

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_OBJ_HEAD = re.compile(rb"\d+\s+\d+\s+$")  # "12 0 " before "obj"
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_IMAGE_MASK = re.compile(rb"/ImageMask\s+true")
_COLOUR_SPACE = re.compile(rb"/ColorSpace\s*/([A-Za-z]+)")
_INT = {
    key: re.compile(rb"/" + key.encode() + rb"\s+(\d+)(?!\s+\d+\s+R)")
    for key in ("Width", "Height", "BitsPerComponent")
}
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_DICT_WINDOW = 64 * 1024  # a stream dictionary longer than this is not trusted to the byte pass
_MAX_FORM_DEPTH = 12
# pdfium lost the text after 2 GiB of padding even when it had the memory (the measured bomb), so a
# raised expanded size limit still stops below that.
PDFIUM_CEILING = 1536 * 1024 * 1024


def check(data: bytes, passwords: tuple[str, ...], limits: Limits) -> None:
    """Raise LimitExceeded when the streams of the PDF ``data`` expand past the expanded size limit."""
    limit = min(limits.max_expanded_size, PDFIUM_CEILING)
    total, doubtful = _byte_pass(data, limit)
    if total <= limit and not doubtful:
        return
    _page_walk(data, passwords, limit)
    if total > limit and b"/Encrypt" not in data:  # an encrypted file's total is only a bound
        raise LimitExceeded(f"the PDF's streams expand past {_limit_text(limit)}")


def _limit_text(limit: int) -> str:
    ceiling = ", the most pdfium reads whole" if limit == PDFIUM_CEILING else ""
    return f"the expanded size limit ({limit:,} bytes{ceiling})"


def _byte_pass(data: bytes, limit: int) -> tuple[int, bool]:
    """The decoded size of every stream in ``data``, and whether the bytes alone cannot settle it."""
    view = memoryview(data)
    encrypted = b"/Encrypt" in data  # streams are ciphertext: only their largest expansion is known
    doubtful = False
    total = position = 0
    while total <= limit:
        found = _STREAM.search(data, position)
        if found is None:
            break
        start = found.end()
        dictionary = _dictionary(data, found.start())
        if dictionary is None:
            doubtful = True  # no "N G obj" near: the dictionary is too long or the bytes are odd
            dictionary = data[max(0, found.start() - 1024) : found.start()]
        end = _stream_end(data, dictionary, start)
        filters = _filters(dictionary)
        declared = _declared_image(dictionary)
        if declared is not None:
            total += declared
        elif encrypted:
            total += most_decoded(end - start, filters)
        else:
            total += decoded_size(view[start:end], filters, limit - total)
        position = max(end, start)
    return total, doubtful or (encrypted and total > limit)


def _declared_image(dictionary: bytes) -> int | None:
    """The decoded size an image dictionary declares, or None (not an image, or sizes not stated)."""
    if _IMAGE.search(dictionary) is None:
        return None
    width, height = _INT["Width"].search(dictionary), _INT["Height"].search(dictionary)
    if width is None or height is None:
        return None
    bits = _INT["BitsPerComponent"].search(dictionary)
    space = _COLOUR_SPACE.search(dictionary)
    mask = _IMAGE_MASK.search(dictionary) is not None
    return image_size(
        int(width.group(1)),
        int(height.group(1)),
        1 if mask else int(bits.group(1)) if bits else 8,
        "DeviceGray" if mask else space.group(1).decode("latin-1") if space else None,
    )


def _dictionary(data: bytes, keyword: int) -> bytes | None:
    """The bytes from the stream's ``obj`` keyword to its ``stream`` keyword; None if not near."""
    for window in (1024, _DICT_WINDOW):
        low = max(0, keyword - window)
        at = data.rfind(b"obj", low, keyword)
        while at >= low and not _OBJ_HEAD.search(data, max(0, at - 32), at):
            at = data.rfind(b"obj", low, at)  # "endobj", or "obj" inside a name: keep looking back
        if at >= low:
            return data[at:keyword]
    return None


def _filters(dictionary: bytes) -> list[str]:
    found = _FILTER.search(dictionary)
    if found is None:
        return []
    return [name.decode("latin-1") for name in _NAME.findall(found.group(1))]


def _stream_end(data: bytes, dictionary: bytes, start: int) -> int:
    """Where the stream's data ends: its direct /Length when that lands on ``endstream``, else the keyword."""
    length = _LENGTH.search(dictionary)
    if length is not None:
        end = start + int(length.group(1))
        if data[end : end + 20].lstrip().startswith(b"endstream"):
            return end
    keyword = data.find(b"endstream", start)
    return len(data) if keyword < 0 else keyword


# Step 2: per page, with pypdf.


def _page_walk(data: bytes, passwords: tuple[str, ...], limit: int) -> None:
    reader = _reader(data, passwords)
    if reader is None:
        return  # pypdf cannot read it; the byte pass's total decides
    room = limit
    for number, page in enumerate(reader.pages, start=1):
        for what, stream in _page_streams(page):
            room -= _size(stream, room)
            if room < 0:
                raise LimitExceeded(f"page {number} {what} expands past {_limit_text(limit)}")


def _reader(data: bytes, passwords: tuple[str, ...]) -> Any:
    from pypdf import PdfReader

    from secscan.extractors.pdf.glyph_recovery import quiet_pypdf

    try:
        with quiet_pypdf():
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not any(reader.decrypt(word) for word in ("", *passwords)):
                return None
            len(reader.pages)
    except Exception:  # pypdf raises assorted errors on damaged files
        return None
    return reader


def _page_streams(page: Any) -> list[tuple[str, Any]]:
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    found: list[tuple[str, Any]] = []
    if isinstance(contents, list):
        found += [
            (f"content stream {n} of {len(contents)}", part.get_object())
            for n, part in enumerate(contents, 1)
        ]
    elif contents is not None:
        found.append(("content stream", contents))
    found += _xobjects(page.get("/Resources"), depth=0, seen=set())
    return found


def _xobjects(resources: Any, depth: int, seen: set[int]) -> list[tuple[str, Any]]:
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    if xobjects is None or not hasattr(xobjects, "items") or depth > _MAX_FORM_DEPTH:
        return []
    found: list[tuple[str, Any]] = []
    for name, reference in xobjects.items():
        stream = reference.get_object()
        key = getattr(reference, "idnum", id(stream))
        if key in seen or not hasattr(stream, "get"):
            continue  # a form that draws itself, or one already counted on this page
        seen.add(key)
        kind = "form XObject" if stream.get("/Subtype") == "/Form" else "image"
        found.append((f"{kind} {name}", stream))
        if kind == "form XObject":
            found += _xobjects(stream.get("/Resources"), depth + 1, seen)
    return found


def _size(stream: Any, room: int) -> int:
    declared = _declared_pypdf_image(stream)
    if declared is not None:
        return declared
    raw = getattr(stream, "_data", None)  # pypdf's encoded bytes (decrypted): never get_data()
    if not isinstance(raw, bytes):
        return 0
    names = stream.get("/Filter")
    names = names.get_object() if names is not None else []
    filters = [str(name).lstrip("/") for name in (names if isinstance(names, list) else [names])]
    return decoded_size(raw, filters, max(room, 0))


def _declared_pypdf_image(stream: Any) -> int | None:
    if stream.get("/Subtype") != "/Image":
        return None
    try:
        width, height = int(stream["/Width"]), int(stream["/Height"])
        mask = bool(stream.get("/ImageMask", False))
        bits = 1 if mask else int(stream.get("/BitsPerComponent", 8))
    except (KeyError, TypeError, ValueError):
        return None
    space = stream.get("/ColorSpace")
    name = "DeviceGray" if mask else str(space).lstrip("/") if isinstance(space, str) else None
    return image_size(width, height, bits, name)
