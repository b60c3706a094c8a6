"""match() on kinds of document whose verdict depends on layout: tiled watermarks, registers, vertical
columns, lost tick glyphs, wrapped lists, unclassified banners, training booklets, pull quotes.

Each case is a small document built the way an extractor delivers it (one block per paragraph or row,
PDF lines with their vertical position), so a test fails when the signal it names stops working.
"""

from __future__ import annotations

import pytest

from secscan.match.catalog import load_catalog
from secscan.match.matcher import match
from secscan.model import Level, MatchOutcome, TextBlock

CATALOG = load_catalog()
N, I, C, S, TS = Level.NONE, Level.INTERNAL, Level.CONFIDENTIAL, Level.SECRET, Level.TOP_SECRET  # noqa: E741


def level_of(outcome: MatchOutcome) -> Level:
    return max((f.level for f in outcome.findings), default=Level.NONE)


def scan(blocks: list[TextBlock]) -> Level:
    return level_of(match(blocks, CATALOG))


def pdf_page(page: int, *lines: str, banner: str = "") -> list[TextBlock]:
    """A PDF page as the PDF reader gives it: one block per line, banners at the page edges."""
    blocks = [TextBlock(text, page=page, line=n, vpos=0.1 + 0.02 * n) for n, text in enumerate(lines, 1)]
    if banner:
        blocks = [
            TextBlock(banner, page=page, line=0, vpos=0.04),
            TextBlock(banner, page=page, line=99, vpos=0.96),
            *blocks,
        ]
    return blocks


def rows(*cells: list[str], page: int | None = None) -> list[TextBlock]:
    """A spreadsheet or CSV export: one table block per row, cells joined by tabs; the readers mark a
    row of one cell "alone"."""
    return [
        TextBlock(
            "\t".join(row),
            part="table",
            page=page,
            line=n,
            origin="csv",
            hints=frozenset({"alone"}) if len(row) == 1 else frozenset(),
        )
        for n, row in enumerate(cells, 1)
    ]


def test_a_tiled_watermark_row_is_a_label() -> None:
    """M25: a chat export whose watermark repeats 内部资料 严禁外传 along one line."""
    chat = [
        TextBlock("内部资料　严禁外传　　内部资料　严禁外传　　内部资料　严禁外传", line=1),
        TextBlock("[08:41] 刘主任: 今天上午10点现场会，征收组、拆迁组负责人必须到。", line=2),
    ]
    assert scan(chat) == I


def test_a_register_column_describes_other_documents() -> None:
    """F18: an OA export with a 密级 column; one row is 秘密★1年, the export itself is unmarked."""
    export = rows(
        ["收文号", "来文单位", "标题", "密级", "收文日期"],
        ["SW0712", "省应急厅", "关于开展汛期安全检查的通知", "非密", "2025-07-03"],
        ["SW0735", "市委办", "关于某专项工作的通报", "秘密★1年", "2025-07-09"],
        ["SW0761", "市财政局", "关于下达应急救灾资金的通知", "非密", "2025-07-21"],
    )
    assert scan(export) == N


def test_a_one_row_form_with_a_level_column_is_the_documents_own() -> None:
    """The same header over a single row is a form about this document (a cover sheet), not a register."""
    form = rows(["文件名称", "密级", "份数"], ["2025年储备方案", "机密★10年", "3"])
    assert scan(form) == S


def test_a_level_word_inside_a_one_cell_row_is_not_alone() -> None:
    """A spreadsheet title row of one cell (机密文书收发登记簿) names the register, it is not its label."""
    sheet = rows(
        ["○○縣政府 機密文書收發登記簿（114年）"],
        ["收文號", "來文機關", "件數"],
        ["1140000031", "行政院", "1"],
    )
    assert scan(sheet) == N


@pytest.mark.parametrize(
    "blocks",
    [
        [
            TextBlock(glyph, part="textbox", line=n, hints=frozenset({"red"}))
            for n, glyph in enumerate("绝密★长期", 1)
        ]
        + [TextBlock("战备物资储备库布局规划", line=6)],
        [
            TextBlock(
                "Title: 战备物资储备库布局规划\n\n绝\n密\n★\n长\n期\n\n东岚省国防动员办公室",
                line=1,
                hints=frozenset({"lines"}),
            )
        ],
    ],
    ids=["one glyph per text-box paragraph", "one glyph per line of a text file"],
)
def test_a_vertical_column_is_read_as_one_mark(blocks: list[TextBlock]) -> None:
    """M13 / §2.9: a vertical cover mark 绝/密/★/长/期."""
    assert scan(blocks) == TS


def test_a_pull_quote_after_running_text_is_not_a_mark() -> None:
    """F5: a book review whose centred bold 祕密 comes after the first paragraphs, and a line that
    wraps to 祕密。 — the marking block of a page ends where its running text begins."""
    review = pdf_page(
        1,
        "《祕密花園》：一座讓孩子學會照顧的花園",
        "法蘭西絲．霍森．柏納特的《祕密花園》出版超過一百年，今年推出全新譯本。故事裡，孤僻的瑪莉打開了自己心中的",
        "祕密。",
        "祕密",
        "——這兩個字在書裡出現了八十多次。",
    )
    assert scan(review) == N


@pytest.mark.parametrize(
    ("line", "level"),
    [("密级 □绝密  机密 □秘密 □非密", S), ("成果密级  秘密  机密", N)],
    ids=["the one option that lost its box", "no box survived"],
)
def test_a_tick_lost_in_extraction(line: str, level: Level) -> None:
    """§2.8: a tick drawn in a symbol font vanishes from the text layer while the empty boxes stay;
    when no box survives the tick state is unreadable and nothing is flagged."""
    form = pdf_page(1, "对外提供资料审批表", "申请部门 工程设计所 申请日期 2025年3月12日", line)
    assert scan(form) == level


def test_a_list_of_levels_wrapped_over_lines_is_a_list() -> None:
    """A template's drop-down list of EU levels wrapped by the PDF: the first item ends a line alone."""
    template = pdf_page(
        1,
        "Select the marking from the list: RESTREINT UE/EU",
        "RESTRICTED | CONFIDENTIEL UE/EU CONFIDENTIAL |",
        "SECRET UE/EU SECRET | TRÈS SECRET UE/EU TOP",
        "SECRET. Leave blank for unclassified documents.",
    )
    assert scan(template) == N


def test_an_unclassified_banner_at_the_page_edges_beats_example_portions() -> None:
    """F38 in a PDF: UNCLASSIFIED//FOUO at the top and bottom of each page, a table of example portions."""
    register = pdf_page(
        1,
        "Section 4: SCI Control Systems",
        "Control system Abbreviation Example banner line Example portion",
        "Special Intelligence SI TOP SECRET//SI//NOF",
        "ORN (TS//SI//NF)",
        "TALENT KEYHOLE TK SECRET//TK//REL TO",
        "USA, FVEY (S//TK//REL)",
        banner="UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    ) + pdf_page(
        2,
        "(U//FOUO) Agencies must register a new control system.",
        banner="UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    )
    assert scan(register) == I


def test_a_higher_portion_under_a_classified_banner_still_counts() -> None:
    """Banner SECRET, one (TS) portion among several: the banner is wrong, the file is top secret."""
    memo = pdf_page(
        1,
        "(S//NF) The convoy schedule changes on Monday.",
        "(TS//SI//NF) Intercepts confirm the new route.",
        "(S//NF) Escorts are assigned.",
        banner="SECRET//NOFORN",
    )
    assert scan(memo) == TS


def test_training_booklet_with_an_unclassified_banner_and_repeated_sample_banners() -> None:
    """F37 in a Word file: UNCLASSIFIED in header and footer, a sample memo in a text box whose
    SECRET//NOFORN banner repeats top and bottom, with its own authority block."""
    booklet = [
        TextBlock("UNCLASSIFIED", part="header", line=1),
        TextBlock("UNCLASSIFIED", part="footer", line=1),
        TextBlock("Marking Classified National Security Information", line=1),
        TextBlock(
            "This document is UNCLASSIFIED. Any classification markings are for training use only.", line=2
        ),
        TextBlock("SECRET//NOFORN", part="textbox", line=1),
        TextBlock("1. (S//NF) This is a sample paragraph.", part="textbox", line=2),
        TextBlock("Classified By: Jane Doe, Director\nDeclassify On: 20501231", part="textbox", line=3),
        TextBlock("SECRET//NOFORN", part="textbox", line=4),
    ]
    assert scan(booklet) == N


def test_a_training_deck_keeps_its_own_repeated_label() -> None:
    """F11 marked: a training deck's 内部资料 注意保管 on every slide is its own label."""
    deck = pdf_page(
        1, "内部资料　注意保管", "新任职干部保密培训", "国家秘密标志示例：绝密★长期、机密★10年、秘密★1年"
    )
    deck += pdf_page(2, "内部资料　注意保管", "本课件仅供培训使用")
    assert scan(deck) == I


def test_a_copy_number_on_the_grif_line() -> None:
    """An ODT paragraph joins the grif and its copy number: Для служебного пользования Экз. № 3."""
    order = [
        TextBlock("Для служебного пользования Экз. № 3", line=1),
        TextBlock("УТВЕРЖДАЮ Директор ФГУП «Северный водоканал»", line=2),
    ]
    assert scan(order) == I


@pytest.mark.parametrize(
    ("header", "level"),
    [("云岭化工 绝密", C), ("云岭化工绝密文件管理办法", N)],
    ids=["company and level", "a title naming the company's rules"],
)
def test_a_company_qualifier_makes_a_level_word_corporate(header: str, level: Level) -> None:
    """§2.6 / §9.3: 绝密 after a company name, no ★ form, no 公文 furniture -> corporate confidential."""
    memo = [TextBlock(header, part="header", line=1), TextBlock("一、项目概况。拟新建4条产线。", line=1)]
    assert scan(memo) == level


@pytest.mark.parametrize(
    ("text", "level"),
    [("（此件不予公开）", I), ("（此件公开发布）", N), ("依申请公开的文件（此件不予公开）应当登记", N)],
)
def test_the_disclosure_note_under_the_date(text: str, level: Level) -> None:
    """§2.3 附注: （此件不予公开） alone under the 成文日期 is read as internal."""
    tail = [
        TextBlock("青原市人民政府办公室", line=1),
        TextBlock("2025年7月3日", line=2),
        TextBlock(text, line=3),
    ]
    assert scan(tail) == level


def test_a_question_about_a_label_in_a_chat_is_not_a_label() -> None:
    """§2.6 mention: 你们标核心商密了吗？ asks about a label."""
    chat = [TextBlock("[09:15] 杜航: 收到。这个报价单你们标核心商密了吗？上次检查说我们有文件没标", line=1)]
    assert scan(chat) == N


def test_foreign_portions_in_a_spreadsheet_row() -> None:
    """§4.3: (//DEU TS) and (//CAN S//REL …) portions in table cells, after a country cell."""
    matrix = rows(
        ["Partner", "Contribution", "Received"],
        ["CAN", "(//CAN S//REL TO USA, AUS, CAN, GBR) Arctic route monitoring summary", "2025-10-02"],
        ["DEU", "(//DEU TS) Assessment of the shipyard's production schedule", "2025-10-11"],
        ["AUS", "(U) Conference attendance list", "2025-10-15"],
    )
    assert scan(matrix) == TS


def test_spelled_out_ucni_in_header_and_footer() -> None:
    """§4.7: UNCLASSIFIED CONTROLLED NUCLEAR INFORMATION is a control (internal), not UNCLASSIFIED."""
    notes = [
        TextBlock("UNCLASSIFIED CONTROLLED NUCLEAR INFORMATION", part="header", line=1),
        TextBlock("UNCLASSIFIED CONTROLLED NUCLEAR INFORMATION", part="footer", line=1),
        TextBlock("Route Planning Notes — Spring Convoy Window", line=1),
    ]
    assert scan(notes) == I


def test_a_caption_that_calls_the_text_box_a_sample_is_no_marking() -> None:
    """A 公文格式 handout draws a specimen 版头 in a text box; its caption says it is a sample (F48)."""
    box = [TextBlock(t, part="textbox") for t in ("000001", "机密★1年", "特急")]
    intro = TextBlock("按照GB/T 9704-2012《党政机关公文格式》，版头由份号、密级和保密期限等要素组成。")
    caption = TextBlock("图2　版头左上角要素排布示例（样式图，不代表本讲义密级）")
    assert scan([intro, *box, caption]) == N
    assert scan([intro, *box, TextBlock("图2　2024年各季度收入")]) == S


def test_an_explainer_graphic_captioned_as_an_example() -> None:
    box = [TextBlock("TOP SECRET  //  SI-G/TK  //  NOFORN", part="textbox")]
    intro = TextBlock("Government documents carry a banner at the top and bottom of each page.")
    caption = TextBlock("Graphic: an annotated example banner. Illustration by the graphics desk; not real.")
    assert scan([intro, *box, caption]) == N
    assert scan([intro, *box, TextBlock("Figure 3: Network topology of site B")]) == TS


def test_portion_marks_after_a_record_number_in_a_spreadsheet_row() -> None:
    """A tracker's rows open with a record number, then the portion-marked requirement (M27)."""
    lines = [
        "CR-25-014\t(S//NF) Monitor rail movements of armored units\t1\tOpen",
        "CR-25-017\t(S//NF) Identify new radar emplacements\t1\tOpen",
        "CR-25-022\t(C//REL TO USA, FVEY) Assess port throughput\t3\tSatisfied",
        "CR-25-030\t(U) Collect open-source reporting\t4\tOpen",
    ]
    assert scan([TextBlock(t, part="table") for t in lines]) == S
    assert scan([TextBlock("Q3 (C) 2024 figures", part="table")]) == N


def test_underscores_part_the_words_of_a_file_name() -> None:
    name = TextBlock("Q3_Board_Pack_STRICTLY_CONFIDENTIAL.docx", part="filename", origin="file name")
    assert scan([name, TextBlock("Board Meeting - Q3 Review")]) == C
    assert scan([TextBlock("Q3_board_pack_strictly_confidential_policy.docx", part="filename")]) == N


def test_a_taiwan_field_in_a_table_cell_above_its_value() -> None:
    """密等 label and value in two cells; 機密 is Taiwan's third tier there (confidential)."""
    cells = ["開會時間：", "中華民國114年4月8日", "密等及解密條件或保密期限：", "機密（會議結束後5年解密）"]
    assert scan([TextBlock(t, part="table") for t in cells]) == C
    cells[3] = "極機密（本件於中華民國124年12月31日解密）"
    assert scan([TextBlock(t, part="table") for t in cells]) == S
