"""match() on kinds of label the blind tune cases showed missing or misread: bilingual banners, a
lone stamp character, tags that open a subject or a title, tick boxes that wrap, company labels,
Korean training slides, a party invitation headed TOP SECRET.

Each case is a small document built the way an extractor delivers it, and each has a twin that must
stay clean, so a test fails when the signal it names stops working or starts firing everywhere.
"""

from __future__ import annotations

import pytest

from secscan.match.catalog import load_catalog
from secscan.match.matcher import match
from secscan.model import Level, TextBlock

CATALOG = load_catalog()
N, I, C, S, TS = Level.NONE, Level.INTERNAL, Level.CONFIDENTIAL, Level.SECRET, Level.TOP_SECRET  # noqa: E741
BODY = [
    TextBlock("The quarterly review covers revenue and hiring plans for the next period, in detail.", line=7),
    TextBlock("本季度各部门按计划推进重点工作，详细情况见附件，请各单位结合实际认真落实。", line=8),
]


def scan(blocks: list[TextBlock]) -> Level:
    return max((f.level for f in match(blocks, CATALOG).findings), default=Level.NONE)


def header(text: str) -> list[TextBlock]:
    return [TextBlock(text, part="header", line=1), *BODY]


def first_line(text: str) -> list[TextBlock]:
    return [TextBlock(text, page=1, line=1), *BODY]


@pytest.mark.parametrize(
    ("banner", "level"),
    [
        ("SECRET 機密", S),
        ("機密（SECRET）", S),
        ("TOP SECRET 高度機密", TS),  # the English level decides the unverified rendering
        ("TOP SECRET 絕對機密", TS),
        ("RESTRICTED（限閱文件）", I),
        ("CONFIDENTIAL 保密", C),
        ("高度機密", S),
    ],
)
def test_a_bilingual_banner_is_one_label(banner: str, level: Level) -> None:
    assert scan(header(banner)) == level


def test_two_levels_on_a_banner_line_are_still_a_list() -> None:
    assert scan(header("SECRET 秘密")) == N


@pytest.mark.parametrize(
    ("blocks", "level"),
    [
        (
            [TextBlock("密", part="textbox", line=1, hints=frozenset({"red"})), *BODY],
            I,
        ),  # Taiwan 一般公務機密
        ([TextBlock("秘", part="textbox", line=1, hints=frozenset({"red"})), *BODY], C),  # Japanese 秘 stamp
        ([*BODY, TextBlock("嚴防洩密，請妥善保管", line=9)], N),
        ([*BODY, TextBlock("秘書課", line=9)], N),
    ],
)
def test_a_lone_stamp_character_counts_by_its_place(blocks: list[TextBlock], level: Level) -> None:
    assert scan(blocks) == level


@pytest.mark.parametrize(
    ("subject", "level"),
    [
        ("【内部】研发中心组织架构调整说明", I),
        ("[Confidential] Q3 board pack", C),
        ("CONFIDENTIAL: Q3 board pack", C),
        ("Re: 邮件标题要不要加【内部】？", N),
        ("Board pack [Confidential] attached", N),
    ],
)
def test_a_tag_opening_the_subject_is_a_label(subject: str, level: Level) -> None:
    block = TextBlock(subject, part="metadata", origin="header:Subject")
    assert scan([block, *BODY]) == level


def test_a_colon_after_a_level_word_opens_only_a_subject() -> None:
    """A form's "Confidential: No" row is a question and its answer, not a tag."""
    assert scan([TextBlock("Confidential: No", page=1, line=1), *BODY]) == N


def test_a_wrapped_tick_box_field_keeps_its_lost_tick() -> None:
    """A PDF cell whose ☑ glyph was lost and whose last option wrapped onto the next line."""
    page = [
        TextBlock("是否涉及商业秘密 是 密级 □核心商密  普通商密", page=1, line=1, vpos=0.27),
        TextBlock("□公开", page=1, line=2, vpos=0.28),
        TextBlock("传递方式 集团内网文件交换平台 使用期限 2025年9月30日前", page=1, line=3, vpos=0.3),
    ]
    assert scan(page) == I


def test_a_ticked_option_beside_a_question_about_commercial_secrets_is_one_level() -> None:
    """商业秘密 in the question names a kind of secret, not a second level on the row."""
    row = TextBlock("是否涉及商业秘密\t是\t密级\t□核心商密 ☑普通商密 □公开", part="table", line=5)
    assert scan([row, *BODY]) == I


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("企業機密", C),
        ("集团绝密", C),
        ("公司機密 嚴禁外傳", C),
        ("Contoso Confidential", C),
        ("Fabrikam Internal", I),
        ("PROPRIETARY INFORMATION", I),
        ("Internal", I),
        ("Northwind Systems, Inc. - Proprietary and Confidential", C),
        ("Confidential \\ All Employees", C),
        ("General Terms and Conditions of Purchase", N),
        ("General", N),  # one header: a heading as much as a label
    ],
)
def test_company_labels_in_a_header(text: str, level: Level) -> None:
    assert scan(header(text)) == level


def test_the_same_company_label_inside_a_sentence_is_a_mention() -> None:
    assert scan([*BODY, TextBlock("Please keep all Contoso Confidential material locked away.", line=9)]) == N


def test_a_label_line_in_slide_notes_counts() -> None:
    notes = TextBlock(
        "Company Confidential\nPresenter: walk through the calendar first.", part="notes", page=1
    )
    assert scan([*BODY, notes]) == C


def test_a_korean_training_slide_lists_levels_it_does_not_carry() -> None:
    """A table of the three grades, then an example in a bullet on the next slide: no repeated banner."""
    slides = [
        TextBlock("2025년 정기 보안교육", page=1, line=1, vpos=0.12),
        TextBlock("비밀의 구분 (보안업무규정)", page=2, line=1, vpos=0.12),
        TextBlock("구분", part="table", page=2, line=2, vpos=0.2),
        TextBlock("정의", part="table", page=2, line=3, vpos=0.2),
        TextBlock("Ⅰ급비밀", part="table", page=2, line=4, vpos=0.2),
        TextBlock(
            "누설되는 경우 국가안전보장에 치명적인 위험을 끼칠 우려가 있는 비밀", part="table", page=2, line=5
        ),
        TextBlock("Ⅱ급비밀", part="table", page=2, line=6, vpos=0.2),
        TextBlock(
            "누설되는 경우 국가안전보장에 막대한 지장을 끼칠 우려가 있는 비밀", part="table", page=2, line=7
        ),
        TextBlock("Ⅲ급비밀", part="table", page=2, line=8, vpos=0.2),
        TextBlock("비밀 표시 방법", page=3, line=1, vpos=0.12),
        TextBlock("• 비밀 문서에는 해당 등급을 표시한다 (예: Ⅱ급비밀).", page=3, line=2, vpos=0.2),
    ]
    assert scan(slides) == N


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Ⅱ급 비밀취급인가를 받은 직원만 열람할 수 있다.", N),
        ("대외비(對外秘)로 지정된 문서", N),
        ("보안 등급: 대외비", I),
        ("이 문서는 대외비입니다", I),
    ],
)
def test_korean_grades_in_sentences_and_fields(text: str, level: Level) -> None:
    assert scan(first_line(text)) == level


def test_a_party_invitation_headed_top_secret_is_not_classified() -> None:
    """F26: the title says which sense TOP SECRET has."""
    invitation = [
        TextBlock("TOP SECRET", page=1, line=1, hints=frozenset({"bold", "red", "large"})),
        TextBlock("Finance Team Secret Santa 2025", page=1, line=2),
        TextBlock("Buy a gift for the colleague whose name is in the envelope on your desk.", page=1, line=3),
    ]
    assert scan(invitation) == N
    memo = [
        invitation[0],
        TextBlock("Exercise KESTREL contingency arrangements", page=1, line=2),
        invitation[2],
    ]
    assert scan(memo) == TS
