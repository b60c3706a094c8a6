"""Pictures (PNG, JPEG, GIF, TIFF, BMP, WebP, HEIC, WeChat .dat): decode with Pillow, then OCR.

Pillow decodes every format here but HEIC (pillow-heif, the ``heic`` extra).
All pages of a TIFF are read (faxes and scanners put the marking on page 2 as
readily as on page 1); animations are read for their first frames only, and
the rest is reported as a skipped part. Icons, bullets and rules (under 64 px on
both sides, or under 12 px on one) are too small to hold a legible line, so they
count as read without OCR, with OCR on or off: Office stores a 32 px icon as the
preview of every embedded object, and calling each of those "not read" would make
every such file partly read. With OCR off, any other picture is reported as not
read, so the file cannot pass for clean.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from secscan.detect import wechat
from secscan.errors import CorruptFile, EncryptedError, LimitExceeded, MissingEngine, brief
from secscan.model import Extraction, FileKind, SkippedPart, TextBlock

if TYPE_CHECKING:
    from PIL import Image

    from secscan.config import ScanConfig


KINDS = frozenset(
    {
        FileKind.PNG,
        FileKind.JPEG,
        FileKind.GIF,
        FileKind.TIFF,
        FileKind.BMP,
        FileKind.WEBP,
        FileKind.HEIC,
        FileKind.WECHAT_DAT,
    }
)
MAX_PIXELS = 120_000_000  # a 50 MP phone photo is 50 M; more is a decompression bomb
ANIMATION_FRAMES = 5
TINY_SIDE = 64  # icons and bullets: both sides under this
THIN_SIDE = 12  # rules and spacers: a side under this
DRAFT_SIDE = 2000  # JPEG decodes at a reduced scale straight to what OCR will use


def extract(data: bytes, config: ScanConfig) -> Extraction:
    if wechat.is_encrypted_dat(data):
        raise EncryptedError("WeChat 4 image cache .dat, AES-encrypted", openable=False)
    data = wechat.decode(data)
    if not config.ocr:
        if _is_icon(data):
            return Extraction(blocks=(), parts_read=("image",))
        return Extraction(blocks=(), skipped=(SkippedPart("image", "OCR off"),))
    from secscan.ocr import Deadline, recognize

    image = _open(data)
    deadline = Deadline(config.limits.timeout)
    blocks: list[TextBlock] = []
    skipped: list[SkippedPart] = []
    pages = ocr_pages = 0
    for number, frame in _frames(image, skipped):
        pages = number
        width, height = frame.size
        if _too_small(width, height):
            continue  # looked at: an icon, bullet or rule holds no legible line of text
        deadline.check("page" if number > 1 else "image")
        ocr_pages += 1
        blocks.extend(recognize(_flatten(frame), config, page=number, deadline=deadline))
    parts = ("ocr",) if ocr_pages else ("image",)
    return Extraction(blocks=tuple(blocks), parts_read=parts, skipped=tuple(skipped), pages=pages)


def _too_small(width: int, height: int) -> bool:
    return max(width, height) < TINY_SIDE or min(width, height) < THIN_SIDE


def _is_icon(data: bytes) -> bool:
    """Whether the picture is too small to hold text, from its header alone (no Pillow: unknown)."""
    try:
        from PIL import Image
    except ImportError:
        return False
    try:
        with Image.open(io.BytesIO(data)) as image:
            return _too_small(*image.size) and getattr(image, "n_frames", 1) == 1
    except Exception:  # an unreadable picture is not known to be an icon
        return False


def _open(data: bytes) -> Image.Image:
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:
        raise MissingEngine("reading images needs Pillow: pip install 'secscan[ocr]'") from None
    if data[4:12].startswith(b"ftyp"):
        _register_heif()
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
    except Image.DecompressionBombError:
        # Pillow refuses twice its own pixel limit at open; the header's size is still known.
        raise LimitExceeded(_too_many_pixels(*_declared_size(data))) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise CorruptFile(f"not a readable image: {brief(exc)}") from None
    _check_pixels(width, height)
    if image.format == "JPEG" and max(width, height) > 2 * DRAFT_SIDE:
        scale = DRAFT_SIDE / max(width, height)
        image.draft("RGB", (int(width * scale), int(height * scale)))
    return image


def _check_pixels(width: int, height: int, page: int = 0) -> None:
    if width * height > MAX_PIXELS:
        raise LimitExceeded(_too_many_pixels(width, height, page))


def _too_many_pixels(width: int, height: int, page: int = 0) -> str:
    where = f"page {page} of the image" if page > 1 else "image"
    size = f"{width * height:,} pixels ({width}×{height})" if width and height else "too many pixels"
    return f"{where} is {size}, above the image pixel limit ({MAX_PIXELS:,} pixels)"


def _declared_size(data: bytes) -> tuple[int, int]:
    """Width and height from the header, with Pillow's own pixel guard lifted for this look only."""
    from PIL import Image

    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None  # opening reads the header only; nothing is decoded here
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except Exception:  # the size is only for the message
        return 0, 0
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _register_heif() -> None:
    try:
        import pillow_heif
    except ImportError:
        raise MissingEngine("HEIC pictures need pillow-heif: pip install 'secscan[heic]'") from None
    pillow_heif.register_heif_opener()


def _frames(image: Image.Image, skipped: list[SkippedPart]) -> Iterator[tuple[int, Image.Image]]:
    """Each page (TIFF) or the first frames (GIF, WebP, APNG) as a loaded, upright picture."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    count = getattr(image, "n_frames", 1)
    animated = image.format != "TIFF" and count > 1
    limit = min(count, ANIMATION_FRAMES) if animated else count
    if limit < count:
        skipped.append(SkippedPart("image", f"animation frames {limit + 1}-{count} of {count} not OCR'd"))
    for index in range(limit):
        try:
            image.seek(index)
            _check_pixels(*image.size, page=index + 1)  # each TIFF page declares its own size
            frame = ImageOps.exif_transpose(image) if index == 0 else image.copy()
            frame.load()
        except PILImage.DecompressionBombError:
            raise LimitExceeded(_too_many_pixels(*image.size, page=index + 1)) from None
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise CorruptFile(f"cannot decode page {index + 1}: {brief(exc)}") from None
        yield index + 1, frame


def _flatten(frame: Image.Image) -> Image.Image:
    """RGB on white: a transparent screenshot's text must not vanish into black."""
    from PIL import Image as PILImage

    if frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info:
        rgba = frame.convert("RGBA")
        white = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        return PILImage.alpha_composite(white, rgba).convert("RGB")
    if frame.mode in ("I", "I;16", "I;16B", "F"):
        return frame.convert("F").point(lambda v: v / 256).convert("RGB")
    return frame.convert("RGB")
