"""match(): the issue-2 acceptance cases and the trap tables F1-F48 / M1-M28 of docs/markings/traps.md."""

from __future__ import annotations

import pytest

from secscan.match.catalog import load_catalog
from secscan.match.matcher import match
from secscan.model import Finding, Level, MatchOutcome, TextBlock

CATALOG = load_catalog()
N, I, C, S, TS = Level.NONE, Level.INTERNAL, Level.CONFIDENTIAL, Level.SECRET, Level.TOP_SECRET  # noqa: E741


def lines(text: str, part: str = "body", page: int | None = 1) -> list[TextBlock]:
    return [TextBlock(line, part=part, page=page, line=n) for n, line in enumerate(text.split("\n"), 1)]


def level_of(outcome: MatchOutcome) -> Level:
    return max((f.level for f in outcome.findings), default=Level.NONE)


def scan(blocks: list[TextBlock]) -> Level:
    return level_of(match(blocks, CATALOG))


# Text-level traps: one document per string, one body block per line. (id, text, expected file level)
TRAPS = [
    ("F1", "保守国家秘密，人人有责", N),
    ("F2", "国家秘密的密级分为绝密、机密、秘密三级", N),
    ("F3", "为境外窃取、刺探国家秘密罪 / 非法获取国家秘密罪", N),
    ("F4", "侵犯商业秘密 / 商业秘密保护规定", N),
    ("F5", "秘密武器、秘密花园、秘密基地，这是我们之间的秘密", N),
    ("F6", "机密性、完整性和可用性是数据机密计算的目标", N),
    ("F7", "电影《绝密飞行》今日上映", N),
    ("F8", "加强内部控制、内部审计和 Java 内部类", N),
    ("F9", "不得泄露国家秘密、工作秘密和商业秘密", N),
    ("F10", "该文件被定为“机密★10年”，标注为机密级", N),
    ("F11", "国家秘密标志示例：绝密★长期、机密★10年、秘密★1年", N),
    ("F12", "密级：公开", N),
    ("F12b", "密级：（空）", N),
    ("F13", "非涉密", N),
    ("F13b", "此件不涉密", N),
    ("F14", "解密算法与文件解密失败的处理", N),
    ("F15", "保密协议\n保密承诺书", N),
    ("F16", "密码、密钥、加密、保密柜、密切、亲密", N),
    ("F17", "竊取國家機密案今日宣判", N),
    ("F19", "公文模板\n密级★保密期限\n秘密★×年", N),
    ("F20", "（此件公开发布）", N),
    ("F22", "This email and any attachments are confidential and intended solely for the addressee.", N),
    ("F23", "Please keep your password confidential", N),
    ("F24", '"Confidential Information" means any information disclosed by either party', N),
    ("F25", "Victoria's Secret, the Secret Service and the Official Secrets Act", N),
    ("F26", "TOP SECRET! The 1984 comedy film by Zucker, Abrahams and Zucker", N),
    ("F27", "SECRET_KEY = os.environ['AWS_SECRET_ACCESS_KEY']\nkind: Secret", N),
    ("F28", "(C) 2024 Example Corp. All rights reserved.", N),
    ("F29", "Select the file(s) and user(S) to add", N),
    ("F30", "(S)-ibuprofen and NaCl(s) in H2O(l)", N),
    ("F32", "(A) red\n(B) blue\n(C) green\n(D) yellow", N),
    ("F34", "Cui Jian sang in the square; la casa in cui vivo", N),
    ("F35", "The memo was marked FOUO before FOUO was replaced by CUI", N),
    ("F36", "Agents found boxes of documents marked TOP SECRET//SI//NOFORN at the club.", N),
    (
        "F37",
        "UNCLASSIFIED\nThis document is UNCLASSIFIED. "
        "Any classification markings are for training use only.\n"
        "TOP SECRET//SI//NOFORN\nSECRET//REL TO USA, FVEY\nCONFIDENTIAL",
        N,
    ),
    ("F39", "CONFIDENTIAL\nClassified By: J. Smith\nDeclassify On: 20491231", C),
    ("F40", "DISTRIBUTION STATEMENT A. Approved for public release; distribution is unlimited.", N),
    ("F41", "CLASSIFIED ADS\nimages classified as cats; unclassified samples", N),
    ("F42", "OFFICIAL RECEIPT\nOfficial Journal of the European Union", N),
    ("F43", "Restricted Access Area — restricted stock units", N),
    ("F44", "NATO UNCLASSIFIED\nDECLASSIFIED - PUBLIC DISCLOSED", N),
    ("F45", "SECRET\nApproved For Release 2002/09/04 : CIA-RDP78B04747A001900050003-4", N),
    ("F47", "GB/T 7156 规定的标志形式，例如：机密★10年", N),
    ("F48", "公文格式示例\n000001\n机密★1年\n特急", N),
    ("M7", "机　密★１０年", S),
    ("M7b", "⾮密", N),
    ("M8", "机密★十年", S),
    ("M8b", "机密★二〇三〇年十二月三十一日", S),
    ("M9", "000123\n秘密\n特急\n××省人民政府文件", C),
    ("M19", "secret//noforn", S),
    ("M20", "SECRET NOFORN", S),
    (
        "M20b",
        "This document contains information affecting the national defense of the United States within "
        "the meaning of the Espionage Laws, Title 18, U.S.C., Sections 793 and 794.",
        C,
    ),
    ("M23", "【内部】", I),
    ("M23b", "OFFICIAL-SENSITIVE: COMMERCIAL", I),
    ("M26", "密等及解密條件或保密期限：極機密（本件於公布後解密）", S),
    (
        "M27",
        "(S//NF) The program began in 2019.\n(S//NF) Funding continued.\n(S//NF) Sources are sensitive.",
        S,
    ),
    ("M28", "核心商密★5年", C),
    ("us-fouo", "UNCLASSIFIED//FOR OFFICIAL USE ONLY", I),
    ("us-unclass", "UNCLASSIFIED", N),
    ("uk-official", "OFFICIAL", N),
    ("cn-work", "工作秘密", I),
    ("cn-internal", "内部资料 注意保存", I),
    ("exam", "绝密★启用前\n2024年普通高等学校招生全国统一考试", TS),
    ("field", "密级：□绝密 ☑机密 □秘密", S),
    ("field-none", "密级：□绝密 □机密 □秘密 ☑非密", N),
    ("nato", "COSMIC TOP SECRET", TS),
    ("eu", "RESTREINT UE/EU RESTRICTED", I),
    ("de", "VS-NUR FÜR DEN DIENSTGEBRAUCH", I),
    ("kr", "Ⅱ급비밀", S),
    ("ru", "СОВЕРШЕННО СЕКРЕТНО", S),
    ("cn-declass", "机密★10年\n已解密", N),
]


@pytest.mark.parametrize(("case", "text", "expected"), TRAPS, ids=[t[0] for t in TRAPS])
def test_trap_table(case: str, text: str, expected: Level) -> None:
    outcome = match(lines(text), CATALOG)
    assert level_of(outcome) == expected, [(f.rule, f.confidence, f.reasons) for f in outcome.findings]


def test_notice_that_only_mentions_state_secrets_has_no_finding() -> None:
    notice = lines(
        "关于加强保密工作的通知\n各单位：\n要严格遵守保密纪律，保守国家秘密，不得泄露国家秘密。\n特此通知。"
    )
    assert match(notice, CATALOG).findings == ()


def test_marking_at_top_of_pdf_page_two_is_secret() -> None:
    blocks = [
        TextBlock("关于2025年工作安排的通知", page=1, line=1, vpos=0.1),
        TextBlock("各单位按要求执行。", page=1, line=2, vpos=0.3),
        TextBlock("机密★10年", page=2, line=1, vpos=0.06),
        TextBlock("附件：工作要点", page=2, line=2, vpos=0.2),
    ]
    outcome = match(blocks, CATALOG)
    assert level_of(outcome) == S
    assert outcome.findings[0].location.page == 2


@pytest.mark.parametrize(
    ("part", "origin"),
    [
        ("header", "word/header2.xml"),
        ("footer", "word/footer1.xml"),
        ("textbox", "word/document.xml"),
        ("table", "word/document.xml"),
    ],
)
@pytest.mark.parametrize(
    ("text", "level"), [("机密★10年", S), ("秘密", C), ("SECRET//NOFORN", S), ("CUI", I)]
)
def test_marking_alone_in_a_docx_part_is_flagged(part: str, origin: str, text: str, level: Level) -> None:
    blocks = [TextBlock("正文第一段。", page=None, line=1), TextBlock(text, part=part, line=1, origin=origin)]
    assert scan(blocks) == level


def test_a_register_table_listing_levels_is_not_a_marking() -> None:
    """Trap F18: the 密级 column of a 涉密载体登记表 describes other items."""
    rows = ["序号 名称 密级 份数", "1 会议材料 秘密 3", "2 技术方案 机密 1", "3 工作简报 内部 5"]
    blocks = [TextBlock("涉密载体登记表", line=1)]
    blocks += [
        TextBlock(row, part="table", line=n, origin="word/document.xml") for n, row in enumerate(rows, 2)
    ]
    assert scan(blocks) == N


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("密级: 机密", S),
        ("MSIP_Label_f42aa342-8706-4288-bd11-ebb85995028c_Name: Confidential", C),
        ("Classification: SECRET", S),
        ("Sensitivity: General", I),
    ],
)
def test_marking_in_a_custom_property_is_flagged(text: str, level: Level) -> None:
    name = text.split(":")[0]
    block = TextBlock(text, part="metadata", line=1, origin=f"property:{name}")
    assert scan([TextBlock("Quarterly report", line=1), block]) == level


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("机密★5年 关于2025年工作要点的通知.docx", S),
        ("秘密★1年_会议纪要.pdf", C),
        ("绝密★长期-规划.docx", TS),
        ("secret.docx", N),
        ("SECRET-brief.pdf", N),
        ("机密.docx", N),
        ("my-secret-recipes.txt", N),
    ],
)
def test_file_names(name: str, level: Level) -> None:
    assert scan([TextBlock(name, part="filename", line=1, origin="file name")]) == level


def test_filename_bare_word_is_capped_below_threshold() -> None:
    outcome = match([TextBlock("机密.docx", part="filename", line=1)], CATALOG)
    assert outcome.findings == ()
    assert outcome.suppressed and outcome.suppressed[0].confidence <= 0.55


def test_finding_carries_original_text_span_and_location() -> None:
    original = "通知 机 密 ★ １ ０ 年"
    block = TextBlock(original, part="header", page=3, line=2, origin="word/header1.xml")
    finding: Finding = match([block], CATALOG).findings[0]
    assert finding.match == "机 密 ★ １ ０ 年"
    assert finding.context == original
    assert original[finding.span[0] : finding.span[1]] == finding.match
    assert (finding.location.part, finding.location.page, finding.location.line) == ("header", 3, 2)
    assert finding.location.origin == "word/header1.xml"
    assert finding.level == S and finding.rule == "cn.state-secret.marking"
    assert "in header" in finding.reasons and "star and term" in finding.reasons
    assert finding.description


def test_mentions_go_to_suppressed_with_reasons() -> None:
    outcome = match(lines("该文件被定为“机密★10年”"), CATALOG)
    assert outcome.findings == ()
    reasons = outcome.suppressed[0].reasons
    assert any(r.startswith("-") and "quotes" in r for r in reasons)


def test_duplicates_are_merged_per_part_and_page() -> None:
    blocks = [TextBlock("机密★10年", part="header", page=p, line=1) for p in (1, 1, 2)]
    findings = match(blocks, CATALOG).findings
    assert sorted(f.location.page for f in findings) == [1, 2]


def test_repeated_top_and_bottom_banner_raises_confidence() -> None:
    once = match([TextBlock("SECRET", part="header", page=1, line=1)], CATALOG).findings[0]
    twice = match(
        [
            TextBlock("SECRET", part="header", page=1, line=1),
            TextBlock("SECRET", part="footer", page=1, line=1),
        ],
        CATALOG,
    ).findings[0]
    assert twice.confidence > once.confidence
    assert any("repeated" in r for r in twice.reasons)


def test_struck_through_marking_is_declassified() -> None:
    block = TextBlock("机密★10年", part="body", page=1, line=1, hints=frozenset({"strike"}))
    outcome = match([block], CATALOG)
    assert [f.level for f in outcome.findings] == [N]
    finding = outcome.findings[0]
    assert finding.original_level == S and finding.rule == "cn.state-secret.marking.declassified"


def test_crest_release_line_cancels_old_stamps() -> None:
    blocks = [TextBlock("SECRET", page=p, line=1) for p in (1, 2)] + [
        TextBlock("Approved For Release 2002/09/04 : CIA-RDP78B04747A001900050003-4", page=p, line=2)
        for p in (1, 2)
    ]
    outcome = match(blocks, CATALOG)
    assert level_of(outcome) == N
    assert all(f.original_level == S for f in outcome.findings)


def test_declassify_on_line_does_not_declassify() -> None:
    assert scan(lines("SECRET//NOFORN\nClassified By: J. Smith\nDeclassify On: 20491231")) == S


def test_capco_register_banner_beats_body_examples() -> None:
    blocks = (
        [TextBlock("UNCLASSIFIED//FOR OFFICIAL USE ONLY", part="header", page=p, line=1) for p in (1, 2)]
        + [TextBlock("UNCLASSIFIED//FOR OFFICIAL USE ONLY", part="footer", page=p, line=1) for p in (1, 2)]
        + lines(
            "Banner line examples for this register:\nExample: TOP SECRET//SI//NOFORN\n"
            "Example: SECRET//REL TO USA, FVEY",
            page=2,
        )
    )
    assert scan(blocks) == I


@pytest.mark.parametrize(
    ("text", "confidence", "level"),
    [
        ("杌蜜大1O午", 0.9, S),
        ("绝密女长期", 0.85, TS),
        ("秘密★5年", 0.95, C),
        ("机密文件管理", 0.9, N),
    ],
)
def test_ocr_confusions_in_the_level_slot(text: str, confidence: float, level: Level) -> None:
    block = TextBlock(text, part="ocr", page=1, line=1, confidence=confidence)
    assert scan([block]) == level


def test_ocr_confidence_lowers_the_finding() -> None:
    clear = match([TextBlock("机密★10年", part="ocr", page=1, line=3, confidence=1.0)], CATALOG).findings[0]
    blurry = match([TextBlock("机密★10年", part="ocr", page=1, line=3, confidence=0.5)], CATALOG).findings[0]
    assert blurry.confidence < clear.confidence
    assert any(r.startswith("OCR confidence") for r in blurry.reasons)


def test_threshold_is_respected() -> None:
    block = lines("机密")
    assert match(block, CATALOG, threshold=0.99).findings == ()
    assert match(block, CATALOG, threshold=0.1).findings


def test_empty_input_and_no_keywords() -> None:
    assert match([], CATALOG) == MatchOutcome(findings=())
    assert match(lines("nothing to see here\n一切正常"), CATALOG) == MatchOutcome(findings=())


def test_nul_characters_inside_a_block_do_not_shift_later_blocks() -> None:
    """PDF text layers carry NULs; the keyword prefilter joins blocks with NUL."""
    blocks = [TextBlock("a\x00b\x00c\x00d", line=1), TextBlock("机密★10年", line=2, vpos=0.05)]
    outcome = match(blocks, CATALOG)
    assert level_of(outcome) == S
    assert outcome.findings[0].location.line == 2


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("会议纪要（机密★5年）.txt", "机密★5年"),
        ("机密★（5年）", "机密★（5年）"),
        ("【秘密★1年】", "秘密★1年"),
    ],
)
def test_brackets_belong_to_the_marking_only_in_pairs(text: str, marked: str) -> None:
    finding = match([TextBlock(text, part="filename", line=1)], CATALOG).findings[0]
    assert finding.match == marked
