"""Kind ``ole-malformed``: an OLE header whose directory cannot be read.

Detection already tried to open the container (``detect_ole``) and failed, so
nothing inside can be read: the file is an error entry, never clean.
"""

from __future__ import annotations

from secscan.config import ScanConfig
from secscan.errors import CorruptFile
from secscan.model import Extraction, FileKind

KINDS = frozenset({FileKind.OLE_MALFORMED})


def extract(data: bytes, config: ScanConfig) -> Extraction:
    import olefile

    try:
        olefile.OleFileIO(data).close()
    except Exception as exc:  # olefile raises assorted errors on damaged containers
        raise CorruptFile(f"damaged OLE compound file: {' '.join(str(exc).split())[:160]}") from None
    raise CorruptFile("damaged OLE compound file: its directory cannot be listed")
