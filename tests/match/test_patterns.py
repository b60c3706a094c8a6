"""Every pattern's own examples, through the real normalize + match; catalog loading rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from secscan.match.catalog import CatalogError, Pattern, builtin_dir, load_catalog
from secscan.match.examples import check_example, run_pattern_examples
from secscan.match.matcher import match
from secscan.model import TextBlock

CATALOG = load_catalog()
CASES = [
    pytest.param(pattern, example, expected, id=f"{pattern.id}:{'+' if expected else '-'}{n}")
    for pattern in CATALOG.patterns
    for expected, examples in ((True, pattern.should_match), (False, pattern.should_not_match))
    for n, example in enumerate(examples)
]


@pytest.mark.parametrize(("pattern", "example", "expected"), CASES)
def test_pattern_example(pattern: Pattern, example: str, expected: bool) -> None:
    assert check_example(pattern, CATALOG, example, expected) is None


def test_every_builtin_pattern_has_enough_examples() -> None:
    assert CATALOG.patterns, f"no patterns found in {builtin_dir()}"
    for pattern in CATALOG.patterns:
        assert len(pattern.should_match) >= 3 and len(pattern.should_not_match) >= 3, pattern.id


def test_run_pattern_examples_is_clean_for_builtins() -> None:
    assert run_pattern_examples(CATALOG) == []


def test_ids_name_their_convention() -> None:
    for pattern in CATALOG.patterns:
        assert pattern.id.split(".")[0] == pattern.source.stem, pattern.id


USER_PATTERN = """
[[pattern]]
id = "acme.project-x"
level = "confidential"
description = "ACME project codename label"
keywords = ["project x"]
regex = '''PROJECT X RESTRICTED'''
score = 0.6
should_match = ["PROJECT X RESTRICTED", "000123\\nPROJECT X RESTRICTED", "PROJECT X RESTRICTED\\nmemo"]
should_not_match = ["project x", "PROJECT Y RESTRICTED", "PROJECT X"]
"""


def test_user_catalog_adds_a_pattern(tmp_path: Path) -> None:
    (tmp_path / "acme.toml").write_text(USER_PATTERN, encoding="utf-8")
    catalog = load_catalog([tmp_path])
    assert catalog.get("acme.project-x") is not None
    outcome = match([TextBlock("PROJECT X RESTRICTED", page=1, line=1)], catalog)
    assert [f.rule for f in outcome.findings] == ["acme.project-x"]
    assert run_pattern_examples(catalog) == []


def test_missing_field_names_file_pattern_and_field(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(USER_PATTERN.replace("regex = '''PROJECT X RESTRICTED'''\n", ""), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog([tmp_path])
    message = str(info.value)
    assert "broken.toml" in message and "acme.project-x" in message and "'regex'" in message


@pytest.mark.parametrize(
    ("field", "replacement", "problem"),
    [
        ("score = 0.6", "score = 2", "'score'"),
        ('level = "confidential"', 'level = "classified"', "'level'"),
        ("regex = '''PROJECT X RESTRICTED'''", "regex = '''(unclosed'''", "'regex'"),
        (
            'should_not_match = ["project x", "PROJECT Y RESTRICTED", "PROJECT X"]',
            'should_not_match = ["project x"]',
            "'should_not_match'",
        ),
    ],
)
def test_bad_field_is_named(tmp_path: Path, field: str, replacement: str, problem: str) -> None:
    assert field in USER_PATTERN
    (tmp_path / "bad.toml").write_text(USER_PATTERN.replace(field, replacement), encoding="utf-8")
    with pytest.raises(CatalogError, match=problem):
        load_catalog([tmp_path])


def test_invalid_toml_is_a_catalog_error(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text("[[pattern]\nid=", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"x\.toml"):
        load_catalog([tmp_path])


def test_disable_switches_a_builtin_off(tmp_path: Path) -> None:
    block = [TextBlock("内部资料 注意保存", page=1, line=1)]
    assert any(f.rule == "cn.internal.label" for f in match(block, CATALOG).findings)
    (tmp_path / "policy.toml").write_text('disable = ["cn.internal.label"]\n', encoding="utf-8")
    catalog = load_catalog([tmp_path])
    assert catalog.get("cn.internal.label") is None
    assert "cn.internal.label" in catalog.disabled
    assert not any(f.rule == "cn.internal.label" for f in match(block, catalog).findings)


def test_patterns_cli_lists_and_tests(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from secscan.cli.patterns import patterns

    listed = CliRunner().invoke(patterns, [])
    assert listed.exit_code == 0 and "cn.state-secret.marking" in listed.output
    assert CliRunner().invoke(patterns, ["test"]).exit_code == 0
    (tmp_path / "acme.toml").write_text(
        USER_PATTERN.replace('"PROJECT X RESTRICTED\\nmemo"', '"PROJECT Z"'), encoding="utf-8"
    )
    failed = CliRunner().invoke(patterns, ["test", str(tmp_path)])
    assert failed.exit_code == 1 and "acme.project-x" in failed.output
