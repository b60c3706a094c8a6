"""Context words are data with their own examples; traditional script is folded like simplified."""

from __future__ import annotations

from pathlib import Path

import pytest

from secscan.match.catalog import CatalogError, ContextEntry, load_catalog, load_file
from secscan.match.context_words import fold_script, split_example
from secscan.match.examples import check_context_example, run_context_examples
from secscan.match.matcher import match
from secscan.model import TextBlock

CATALOG = load_catalog()
CASES = [
    pytest.param(entry, example, expected, id=f"{entry.id}:{'+' if expected else '-'}{n}")
    for entry in CATALOG.contexts
    for expected, examples in ((True, entry.should_match), (False, entry.should_not_match))
    for n, example in enumerate(examples)
]


@pytest.mark.parametrize(("entry", "example", "expected"), CASES)
def test_context_example(entry: ContextEntry, example: str, expected: bool) -> None:
    assert check_context_example(entry, example, expected) is None


def test_every_signal_the_scorer_uses_has_words() -> None:
    assert {"sentence-before", "sentence-after", "cue", "self-reference", "reporting"} <= set(
        CATALOG.words.by_signal
    )
    assert run_context_examples(CATALOG) == []


def test_folding_keeps_offsets() -> None:
    line = "該文件被標註為機密★5年。"
    assert len(fold_script(line)) == len(line)
    assert fold_script(line) == "该文件被标注为机密★5年。"


def test_split_example() -> None:
    assert split_example("本文件为⟦机密★5年⟧。") == ("本文件为机密★5年。", 4, 9)


@pytest.mark.parametrize(
    "simplified, traditional",
    [
        ("该文件被标注为机密★5年。", "該文件被標註為機密★5年。"),
        ("本文件为机密★5年，阅后收回。", "本文件為機密★5年，閱後收回。"),
    ],
)
def test_traditional_script_scores_like_simplified(simplified: str, traditional: str) -> None:
    def confidence(text: str) -> float:
        outcome = match([TextBlock(text, part="notes", page=1, line=3)], CATALOG)
        return max(f.confidence for f in (*outcome.findings, *outcome.suppressed))

    assert confidence(simplified) == confidence(traditional)


def test_unknown_key_is_rejected_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "x.toml"
    bad.write_text('exlude = ["a"]\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="exlude"):
        load_file(bad)
    bad.write_text(
        '[[pattern]]\nid = "x.a"\nlevel = "secret"\ndescription = "d"\nkeywords = ["a"]\nregex = "a"\n'
        'score = 0.5\nexlude = ["b"]\nshould_match = ["a", "a", "a"]\nshould_not_match = ["b", "b", "b"]\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match="exlude"):
        load_file(bad)
