"""A metadata label that disagrees with the visible marking is reported with both levels."""

from __future__ import annotations

from secscan.match.catalog import Catalog
from secscan.match.labels import label_mismatch
from secscan.match.matcher import match
from secscan.model import Level, TextBlock


def outcome_of(label: str, first_line: str, catalog: Catalog):  # type: ignore[no-untyped-def]
    blocks = [
        TextBlock(label, part="metadata", line=1, origin="property:custom"),
        TextBlock(first_line, part="body", page=1, line=1),
        TextBlock("关于做好年度工作的通知", part="body", page=1, line=2),
    ]
    return match(blocks, catalog)


def test_public_label_over_a_secret_page_is_a_mismatch(catalog: Catalog) -> None:
    found = label_mismatch(
        outcome_of("MSIP_Label_0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8_Name: Public", "机密★10年", catalog)
    )
    assert found is not None
    assert (found.label, found.visible) == (Level.NONE, Level.SECRET)
    assert "Public" in found.label_text and "机密★10年" in found.visible_where


def test_a_lower_label_is_a_mismatch_and_an_equal_one_is_not(catalog: Catalog) -> None:
    lower = label_mismatch(outcome_of("密级: 秘密", "机密★10年", catalog))
    assert lower is not None and (lower.label, lower.visible) == (Level.CONFIDENTIAL, Level.SECRET)
    assert label_mismatch(outcome_of("密级: 机密", "机密★10年", catalog)) is None


def test_no_label_or_no_visible_marking_is_no_mismatch(catalog: Catalog) -> None:
    assert label_mismatch(outcome_of("Title: 年度计划", "机密★10年", catalog)) is None
    assert label_mismatch(outcome_of("Sensitivity: Public", "关于做好年度工作的通知", catalog)) is None
