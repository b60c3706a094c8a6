"""Find markings in text blocks. STUB: replaced by the matching work."""

from __future__ import annotations

from collections.abc import Sequence

from secscan.catalog import Catalog
from secscan.model import MatchOutcome, TextBlock


def match(blocks: Sequence[TextBlock], catalog: Catalog, threshold: float = 0.6) -> MatchOutcome:
    return MatchOutcome(findings=())
