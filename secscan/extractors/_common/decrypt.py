"""Open password-protected Office files with msoffcrypto-tool (MIT), then scan what is inside.

``decrypt_office(data, passwords, what)`` serves every Office format: OOXML
packages wrapped in an OLE ``EncryptedPackage`` (ECMA-376 standard and
agile), and RC4 / RC4 CryptoAPI / XOR-obfuscated .doc, .xls and .ppt. Each
supplied password is tried, then Excel's built-in ``VelvetSweatshop`` (what
Excel uses when a workbook is "protected" with no password the user typed).
When none opens the file it raises ``EncryptedError``: never clean.

The .doc/.xls/.ppt extractors call it lazily when they meet an encryption
flag and go on reading the decrypted bytes themselves::

    from secscan.extractors._common.decrypt import decrypt_office
    data = decrypt_office(data, config.passwords, "Word document")

For kind ``ooxml-encrypted`` this module is the extractor: the decrypted
package is detected again and read by its own extractor *in place*, so the
findings are reported against the file the user named (``report.docx``), not
a synthetic member; the file's type stays ``ooxml-encrypted`` so the report
still says it was encrypted.
"""

from __future__ import annotations

import io
from typing import Any

from secscan.config import ScanConfig
from secscan.errors import CorruptFile, EncryptedError, MissingEngine, brief
from secscan.model import Extraction, FileKind, Member

KINDS = frozenset(
    {
        FileKind.OOXML_ENCRYPTED,
        FileKind.DOCX_ENCRYPTED,
        FileKind.XLSX_ENCRYPTED,
        FileKind.XLSB_ENCRYPTED,
        FileKind.PPTX_ENCRYPTED,
    }
)

EXCEL_DEFAULT_PASSWORD = "VelvetSweatshop"


def decrypt_office(data: bytes, passwords: tuple[str, ...], what: str) -> bytes:
    """The decrypted bytes of an encrypted Office file; EncryptedError if no password opens it."""
    msoffcrypto = _import()
    try:
        if not msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted():
            return data
    except Exception as exc:
        raise CorruptFile(f"damaged encrypted {what}: {brief(exc)}") from None
    for password in dict.fromkeys((*passwords, EXCEL_DEFAULT_PASSWORD)):
        plain = _try(msoffcrypto, data, password)
        if plain is not None:
            return plain
    raise EncryptedError(what)


def extract(data: bytes, config: ScanConfig) -> Extraction:
    """Extractor for kind ``ooxml-encrypted``: decrypt, then read the package in place."""
    from secscan.detect.sniff import detect
    from secscan.extractors import get_extractor

    plain = decrypt_office(data, config.passwords, "encrypted Office document")
    inner = detect(plain, "")
    extractor = get_extractor(inner.kind) if inner.kind != FileKind.OOXML_ENCRYPTED else None
    if extractor is None:
        # Not a package we read in place: hand it to the pipeline as a member.
        return Extraction(blocks=(), members=(Member("(decrypted)", plain),))
    return extractor(plain, config)


def _try(msoffcrypto: Any, data: bytes, password: str) -> bytes | None:
    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        try:
            office.load_key(password=password, verify_password=True)
        except TypeError:  # the .doc/.xls/.ppt handlers verify while decrypting
            office.load_key(password=password)
        out = io.BytesIO()
        office.decrypt(out)
    except msoffcrypto.exceptions.InvalidKeyError:
        return None
    except msoffcrypto.exceptions.DecryptionError:
        return None
    except Exception:
        return None
    return out.getvalue()


def _import() -> Any:
    try:
        import msoffcrypto
        import msoffcrypto.exceptions
    except ImportError:
        raise MissingEngine(
            "password-protected Office files need msoffcrypto-tool: pip install 'secscan'"
        ) from None
    return msoffcrypto
