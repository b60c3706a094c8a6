"""normalize(): table-driven, plain strings (docs/markings/china.md#variants)."""

from __future__ import annotations

import pytest

from secscan.match.normalize import ASCII_GAPS, fold, keyword_keys, normalize, skeleton


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("机 密 ★ 1 0 年", "机密★10年"),
        ("机　密★１０年", "机密★10年"),
        ("秘\u200b密\u200d★\ufeff5年", "秘密★5年"),
        ("秘密\u00ad☆5年", "秘密★5年"),
        ("机密*10年", "机密★10年"),
        ("机密＊10年", "机密★10年"),
        ("机密※10年", "机密★10年"),
        ("机密∗10年", "机密★10年"),
        ("机密⋆10年", "机密★10年"),
        ("机密﹡10年", "机密★10年"),
        ("机密✩10年", "机密★10年"),
        ("机密✱10年", "机密★10年"),
        ("机密✹10年", "机密★10年"),
        ("机密⭐10年", "机密★10年"),
        ("机密\uf0ab10年", "机密★10年"),
        ("ＳＥＣＲＥＴ//ＮＯＦＯＲＮ", "SECRET//NOFORN"),
        ("\u2fae密", "非密"),
        ("⽂件", "文件"),
        ("⻓期", "长期"),
        ("SECRET\u00a0//\u00a0NOFORN", "SECRET // NOFORN"),
        ("機密★10年", "機密★10年"),  # traditional kept in the text
        ("2024 年 10 月", "2024年10月"),
        ("共 3 个 文件", "共3个文件"),
        ("Page 1 of 2", "Page 1 of 2"),  # no CJK: spaces kept
        ("㊙", "㊙"),  # the circled stamp is not flattened to 秘
        ("（１０年）", "(10年)"),
    ],
)
def test_normalize_table(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ("通知：机 密 ★ 1 0 年，请查收", "机密★10年"),
        ("x\u200b秘密★5年 y", "秘密★5年"),
        ("ＳＥＣＲＥＴ//ＮＯＦＯＲＮ", "SECRET"),
        ("前文 机　密★１０年", "机密★10年"),
    ],
)
def test_original_span_maps_back(raw: str, needle: str) -> None:
    norm = normalize(raw)
    start = norm.text.index(needle)
    first, last = norm.original_span(start, start + len(needle))
    assert normalize(raw[first:last]).text == needle


def test_identity_fast_path_has_identity_spans() -> None:
    norm = normalize("SECRET//NOFORN")
    assert norm.original_span(2, 6) == (2, 6)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("絕密", "绝密"),
        ("機密", "机密"),
        ("祕密", "秘密"),
        ("袐密", "秘密"),
        ("內部", "内部"),
        ("極機密", "极机密"),
    ],
)
def test_fold_traditional_level_characters(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_skeleton_drops_spaces_invisibles_and_ascii_case() -> None:
    assert skeleton("Top  Secret") == b"topsecret"
    assert skeleton("机\u200b密\u3000★") == "机密★".encode()
    assert skeleton("TOP\xa0SECRET\u2003//\u202fNOFORN\x1f") == b"topsecret//noforn"


def test_skeleton_drops_every_separator_str_split_knows() -> None:
    separators = "".join(chr(code) for code in range(0x110000) if chr(code).isspace())
    assert skeleton(f"a{separators}b") == b"ab"
    assert bytes(ASCII_GAPS) == bytes(c for c in range(128) if chr(c).isspace())


def test_keyword_keys_cover_full_width_traditional_and_case_outside_ascii() -> None:
    keys = keyword_keys("机密")
    assert {"机密".encode(), "機密".encode()} <= keys
    secret = keyword_keys("SECRET")
    assert {skeleton("ｓｅｃｒｅｔ"), skeleton("ＳＥＣＲＥＴ"), skeleton("Ｓｅｃｒｅｔ")} <= secret
    assert skeleton("TỐI MẬT") in keyword_keys("tối mật")
    assert skeleton("Секретно") in keyword_keys("секретно")


def test_vertical_column_of_single_glyphs_reads_as_one_line() -> None:
    column = "绝\n密\n★\n长\n期\n东岳省发展和改革委员会"
    normalized = normalize(column)
    assert normalized.text == "绝密★长期\n东岳省发展和改革委员会"
    start, end = normalized.original_span(0, 5)
    assert column[start:end] == "绝\n密\n★\n长\n期"
    assert normalize("是\n否").text == "是\n否"  # two lines are not a column
