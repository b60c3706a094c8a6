"""Page builders: each returns a display-list Page for one case. All names and texts are invented."""

from __future__ import annotations

import random

from layout import (
    GW_BOTTOM,
    GW_LEFT,
    GW_PITCH,
    GW_TOP,
    GW_WIDTH,
    gw_body,
    gw_head,
    gw_sign,
    gw_title,
    page_number,
    paragraph,
    wrap,
)
from render import BLACK, GRAY, RED, Box, Line, Page, Picture, RectStamp, RoundSeal, Text, Watermark

CN_SENTENCES = [
    "为进一步做好本年度安全生产大检查工作，切实防范化解重大安全风险，经研究，现就有关事项通知如下。",
    "各单位要高度重视，主要负责同志要亲自部署、亲自过问，确保各项工作任务落到实处。",
    "检查时间为2025年4月1日至5月31日，分为单位自查、集中检查和督导抽查三个阶段。",
    "请各地结合实际制定具体实施方案，明确责任分工和时间节点，于4月10日前报送市应急管理局。",
    "要聚焦交通运输、建筑施工、危险化学品、城镇燃气等重点行业领域，全面排查各类隐患。",
    "对检查发现的问题要建立台账，实行清单化管理，做到整改责任、措施、资金、时限和预案五落实。",
    "要加强值班值守，严格执行领导带班和24小时值班制度，确保信息畅通、反应迅速、处置有力。",
    "各部门要密切配合，形成工作合力，坚决防止推诿扯皮、敷衍塞责等问题发生。",
    "对工作不力、措施不实导致发生事故的，将依规依纪严肃追究有关单位和人员责任。",
    "联系人：王晓明，联系电话：0571-8765 4321，电子邮箱：ajjzhk@example.cn。",
    "各县（市、区）要统筹做好防汛抗旱、森林防火等工作，提前预置抢险救援力量和物资。",
    "要充分利用广播、电视、网络等多种渠道，广泛开展宣传教育，营造良好社会氛围。",
    "本通知自印发之日起施行，此前有关规定与本通知不一致的，以本通知为准。",
    "请于每月5日前将上月工作进展情况报送办公室综合科，遇有重大情况随时报告。",
    "会议强调，要坚持问题导向，突出工作重点，推动各项任务按计划有序推进。",
    "财政部门要加强资金保障，统筹安排专项资金，提高资金使用效益。",
]
TITLES = [
    "关于开展2025年安全生产大检查的通知",
    "关于做好2025年汛期防汛工作的通知",
    "关于加强重点项目建设管理的意见",
    "关于印发《2025年度重点工作任务分工方案》的通知",
    "关于召开全市经济运行分析会议的通知",
    "关于进一步规范政府投资项目审批程序的通知",
    "关于做好春节期间值班值守工作的通知",
    "关于报送2024年度工作总结的通知",
]
ORGANS = [
    ("临江市人民政府文件", "临江市人民政府", "临政发", "各县（市、区）人民政府，市政府各部门："),
    ("东川县应急管理局文件", "东川县应急管理局", "东应急", "各乡镇人民政府，县直有关单位："),
    ("江北省交通运输厅文件", "江北省交通运输厅", "江交发", "各市交通运输局，厅直属各单位："),
    ("中共临江市委办公室", "中共临江市委办公室", "临委办", "各县（市、区）委，市委各部委："),
    ("青州市财政局文件", "青州市财政局", "青财预", "各区财政局，市级各预算单位："),
    ("南岭市发展和改革委员会文件", "南岭市发展和改革委员会", "南发改", "各县区发展改革局："),
]
DATES = ["2025年3月12日", "2025年4月2日", "2024年11月28日", "2025年1月15日", "2025年5月20日"]


def cn_paras(rng: random.Random, n: int) -> list[str]:
    """n paragraphs of 2-3 distinct sentences; the contact line, when drawn, comes last."""
    pool = [s for s in CN_SENTENCES if not s.startswith("联系人")]
    rng.shuffle(pool)
    out = []
    for _ in range(n):
        k = rng.choice([2, 3])
        out.append("".join(pool[:k]))
        pool = pool[k:] or [s for s in CN_SENTENCES if not s.startswith("联系人")]
    out.append(CN_SENTENCES[9])
    return out


def fenhao(rng: random.Random) -> str:
    return f"{rng.randrange(1, 400):06d}"


# ---------------------------------------------------------------- marked Chinese 公文


def redhead(
    rng: random.Random,
    miji: str = "",
    with_fenhao: bool = True,
    jinji: str = "",
    up: bool = False,
    seal: bool = False,
    fuzhu: str = "",
    miji_font: str = "hei",
    strike_miji: bool = False,
) -> Page:
    page = Page()
    head, organ, prefix, recips = rng.choice(ORGANS)
    wenhao = f"{prefix}〔2025〕{rng.randrange(2, 80)}号"
    if strike_miji:
        y = gw_head(page, rng, organ=head, fenhao=fenhao(rng), wenhao=wenhao)
        page.add(Text(GW_LEFT, GW_TOP + GW_PITCH * 0.8, miji, "hei", 16.0, strike=True))
    else:
        y = gw_head(
            page,
            rng,
            organ=head,
            fenhao=fenhao(rng) if with_fenhao else "",
            miji=miji,
            jinji=jinji,
            wenhao=wenhao,
            qianfa="李建国" if up else "",
            miji_font=miji_font,
        )
    title = rng.choice(TITLES)
    if up:
        title = title.replace("通知", "请示").replace("意见", "请示")
        recips = "市人民政府："
    y = gw_title(page, y, title)
    y = gw_body(page, y, recips, cn_paras(rng, 4), ymax=GW_BOTTOM - (36 if seal or fuzhu else 0))
    if y < GW_BOTTOM - 30:
        gw_sign(page, y, rng, organ, rng.choice(DATES), seal, fuzhu)
    page_number(page, 1)
    return page


def letter_format(rng: random.Random, miji: str) -> Page:
    """信函格式: red organ name, red double rule, 份号/密级 flush left under it, 文号 flush right."""
    page = Page()
    _, organ, prefix, _ = rng.choice(ORGANS)
    page.add(Text(105.0, 30.0, organ, "song_b", 30.0, RED, "m", 0.85))
    page.add(Line(20, 46, 190, 46, 1.4, RED))
    page.add(Line(20, 47.6, 190, 47.6, 0.4, RED))
    page.add(Text(GW_LEFT, 55, fenhao(rng), "song", 16.0))
    page.add(Text(GW_LEFT, 55 + GW_PITCH * 0.85, miji, "hei", 16.0))
    page.add(
        Text(GW_LEFT + GW_WIDTH, 55, f"{prefix}函〔2025〕{rng.randrange(2, 90)}号", "song", 16.0, anchor="r")
    )
    y = gw_title(page, 80, "关于商请协助做好有关工作的函")
    y = gw_body(page, y, "临江市统计局：", cn_paras(rng, 3), ymax=262)
    page.add(Line(20, 280, 190, 280, 0.4, RED))
    page.add(Line(20, 281.6, 190, 281.6, 1.4, RED))
    return page


def exam_paper(rng: random.Random) -> Page:
    page = Page()
    page.add(Text(18, 14, "绝密★启用前", "hei", 14.0))
    page.add(Text(105, 26, "2025年江北省普通高中学业水平合格性考试", "song_b", 17.0, anchor="m"))
    page.add(Text(105, 37, "数　学", "song_b", 22.0, anchor="m"))
    page.add(Text(105, 49, "本试卷共4页，22小题，满分100分。考试用时90分钟。", "song", 10.5, anchor="m"))
    page.add(Text(18, 58, "注意事项：", "hei", 10.5))
    notes = [
        "1．答卷前，考生务必将自己的姓名、准考证号填写在答题卡上。",
        "2．回答选择题时，选出每小题答案后，用铅笔把答题卡上对应题目的答案标号涂黑。",
        "3．考试结束后，将本试卷和答题卡一并交回。",
    ]
    y = 64.0
    for n in notes:
        page.add(Text(24, y, n, "song", 10.5))
        y += 6
    page.add(Text(18, y + 3, "一、选择题：本题共12小题，每小题3分，共36分。", "hei", 10.5))
    y += 11
    qs = [
        "已知集合A＝{1，2，3}，B＝{2，3，4}，则A∩B＝",
        "函数f(x)＝lg(x－1)的定义域是",
        "若sinα＝3/5，且α为第二象限角，则cosα＝",
        "在等差数列{an}中，a₂＝3，a₅＝9，则a₈＝",
        "已知向量a＝(1，2)，b＝(x，4)，若a与b共线，则x＝",
        "某校高一年级有学生600人，用分层抽样抽取60人，则男生人数为",
    ]
    for i, q in enumerate(qs, 1):
        page.add(Text(18, y, f"{i}．{q}（　　）", "song", 10.5))
        y += 6.5
        opts = (
            ["A．{2，3}", "B．{1，4}", "C．{1，2，3，4}", "D．∅"]
            if i == 1
            else [
                "A．" + str(rng.randrange(1, 9)),
                "B．" + str(rng.randrange(10, 19)),
                "C．－" + str(rng.randrange(1, 5)),
                "D．" + str(rng.randrange(20, 30)),
            ]
        )
        for j, o in enumerate(opts):
            page.add(Text(24 + j * 42, y, o, "song", 10.5))
        y += 9
    page.add(Text(105, 285, "数学试卷　第1页（共4页）", "song", 9.0, anchor="m"))
    return page


def internal_bulletin(rng: random.Random, label: str, free: bool = False) -> Page:
    """内部刊物 / 简报: red masthead, label in the top-left corner."""
    page = Page()
    page.add(Text(GW_LEFT, 22, label, "hei", 14.0))
    if free:
        page.add(
            Text(GW_LEFT + GW_WIDTH, 22, "准印证号：江内资准字（2025）第037号", "song", 10.0, anchor="r")
        )
    page.add(Text(105, 40, "工　作　简　报", "song_b", 46.0, RED, "m"))
    page.add(Text(105, 64, f"第{rng.randrange(3, 40)}期", "song", 16.0, anchor="m"))
    page.add(Text(GW_LEFT, 78, "临江市住房和城乡建设局办公室编", "song", 14.0))
    page.add(Text(GW_LEFT + GW_WIDTH, 78, rng.choice(DATES), "song", 14.0, anchor="r"))
    page.add(Line(GW_LEFT - 4, 87, GW_LEFT + GW_WIDTH + 4, 87, 0.9, RED))
    y = gw_title(page, 96, "我市扎实推进城镇老旧小区改造工作")
    gw_body(page, y, "", cn_paras(rng, 4), ymax=270)
    return page


def soe_doc(rng: random.Random, label: str) -> Page:
    """State-owned enterprise document with a commercial-secret or company label in the header."""
    page = Page()
    page.add(Text(20, 12, "江北能源集团有限公司", "sans", 10.0, GRAY))
    page.add(Text(190, 12, label, "hei", 11.0, anchor="r"))
    page.add(Line(20, 18, 190, 18, 0.3, GRAY))
    y = gw_title(page, 32, "关于2025年第一季度生产经营情况的报告")
    y = gw_body(page, y, "集团公司：", cn_paras(rng, 4), ymax=265)
    page.add(Text(105, 285, "第 1 页 共 6 页", "sans", 9.0, GRAY, "m"))
    return page


# ---------------------------------------------------------------- US and corporate


US_PARAS = [
    "The working group met on 14 March to review collection priorities for the coming fiscal year and to "
    "reconcile tasking across the regional centers.",
    "Reporting from the northern sector indicates a sustained increase in logistics activity near the border "
    "crossings, consistent with the seasonal pattern observed in previous years.",
    "Analysts assess with moderate confidence that the obse"
    "rved changes reflect routine rotation of units rather "
    "than preparation for a new deployment.",
    "Request that the Directorate provide updated requirem"
    "ents no later than 30 April so that resources can be "
    "allocated before the next planning cycle.",
    "Coordination with partner agencies will continue through the established liaison channels; no change to "
    "existing sharing arrangements is proposed at this time.",
    "Point of contact for this memorandum is the undersigned at extension 4-5512.",
]


def us_memo(rng: random.Random, banner: str, portion: str, agency: str = "DEPARTMENT OF DEFENSE") -> Page:
    page = Page()
    for y in (9.0, 283.0):
        page.add(Text(105, y, banner, "arial_b", 12.0, anchor="m"))
    page.add(Text(105, 24, agency, "times_b", 13.0, anchor="m"))
    page.add(Text(105, 30, "WASHINGTON, DC 20301", "times", 10.0, anchor="m"))
    page.add(Text(190, 40, f"{rng.randrange(2, 28)} March 2025", "times", 12.0, anchor="r"))
    y = 50.0
    for line in (
        "MEMORANDUM FOR DIRECTOR, JOINT STAFF",
        "FROM: Deputy Director for Operations",
        f"SUBJECT: ({portion}) Quarterly Assessment of Regional Activity",
    ):
        page.add(Text(25, y, line, "times", 12.0))
        y += 6.5
    y += 5
    paras = rng.sample(US_PARAS, 5)
    for i, p in enumerate(paras, 1):
        mark = "U" if i == len(paras) else portion
        y = paragraph(page, 25, y, 160, f"{i}. ({mark}) {p}", "times", 12.0, 5.6, 0.0, 260) + 4
    page.add(Text(120, y + 8, "JOHN A. MERCER", "times", 12.0))
    page.add(Text(120, y + 14, "Brigadier General, USAF", "times", 12.0))
    ys = 262.0
    for line in (
        "Classified By: J. A. Mercer, DDO",
        "Derived From: Multiple Sources",
        f"Declassify On: 20{rng.randrange(45, 50)}1231",
    ):
        page.add(Text(25, ys, line, "times", 10.0))
        ys += 4.8
    return page


CORP_PARAS = [
    "Revenue for the quarter reached $48.2 million, up 12"
    "% year over year, driven by growth in the enterprise "
    "segment and improved retention among mid-market customers.",
    "Gross margin improved to 61.4% as hosting costs declined following the migration to the new data center "
    "contracts negotiated in the prior quarter.",
    "Operating expenses were in line with plan. Headcount"
    " increased by 23, mainly in engineering and customer "
    "success, bringing the total to 412 employees.",
    "For the next quarter we expect revenue between $50 m"
    "illion and $52 million, with the Asia-Pacific launch "
    "contributing modestly from June.",
    "Key risks include delays in the partner integration p"
    "rogram and currency movements affecting the European "
    "subscription base.",
]


def corp_report(rng: random.Random, footer: str, header: str = "") -> Page:
    page = Page()
    page.add(Text(20, 14, "Northwind Analytics Inc.", "arial_b", 11.0, (30, 60, 120)))
    if header:
        page.add(Text(190, 14, header, "arial_b", 10.0, anchor="r"))
    page.add(Line(20, 20, 190, 20, 0.5, (30, 60, 120)))
    page.add(Text(20, 30, "Q1 2025 Business Review", "arial_b", 20.0))
    page.add(Text(20, 41, "Prepared for the Board of Directors", "arial", 11.0, GRAY))
    y = 54.0
    for head, p in zip(("Summary", "Margins", "Operations", "Outlook", "Risks"), CORP_PARAS, strict=True):
        page.add(Text(20, y, head, "arial_b", 12.0))
        y = paragraph(page, 20, y + 7, 170, p, "arial", 11.0, 5.4, 0.0, 270) + 5
    page.add(Box(20, y + 2, 170, 34, 0.3, GRAY))
    page.add(Text(24, y + 5, "Metric              Q1 2024      Q1 2025      Change", "mono", 9.5))
    for i, row in enumerate(
        [
            "Revenue ($M)          43.0         48.2        +12%",
            "Gross margin (%)      58.9         61.4       +2.5pp",
            "Customers           1,204        1,377        +14%",
        ]
    ):
        page.add(Text(24, y + 12 + 6 * i, row, "mono", 9.5))
    page.add(Line(20, 280, 190, 280, 0.3, GRAY))
    if footer:
        page.add(Text(20, 283, footer, "arial_b", 9.0))
    page.add(Text(190, 283, "Page 1 of 7", "arial", 9.0, anchor="r"))
    return page


# ---------------------------------------------------------------- plain documents that carry a stamp


def cn_report(rng: random.Random) -> Page:
    page = Page()
    y = gw_title(
        page,
        56,
        rng.choice(
            [
                "关于2024年度重点工作完成情况的报告",
                "临江港区扩建工程前期工作进展情况汇报",
                "关于全市供水管网改造情况的调研报告",
            ]
        ),
    )
    page.add(Text(105, y - 2, "（2025年3月）", "song", 14.0, anchor="m"))
    gw_body(page, y + 10, "", cn_paras(rng, 5), ymax=270)
    return page


def en_memo(rng: random.Random) -> Page:
    page = Page()
    page.add(Text(105, 22, "OFFICE OF THE UNDER SECRETARY", "times_b", 13.0, anchor="m"))
    y = 40.0
    for line in (
        "MEMORANDUM FOR THE RECORD",
        "SUBJECT: Site Survey, Building 14 Annex",
        f"DATE: {rng.randrange(2, 28)} February 1987",
    ):
        page.add(Text(25, y, line, "mono", 11.0))
        y += 6.5
    y += 6
    for i, p in enumerate(rng.sample(US_PARAS, 5), 1):
        y = paragraph(page, 25, y, 160, f"{i}. {p}", "mono", 11.0, 5.4, 0.0, 270) + 5
    return page


def stamped(base: Page, stamp: object, cx: float, cy: float) -> Page:
    base.add(Picture(cx, cy, stamp))
    return base


def rect(
    lines: tuple[str, ...],
    rng: random.Random,
    font: str = "hei",
    w: float = 42.0,
    h: float = 17.0,
    max_angle: float = 6.0,
) -> RectStamp:
    return RectStamp(
        lines,
        w,
        h,
        font,
        rng.random() < 0.6,
        rng.uniform(-max_angle, max_angle),
        rng.randrange(1 << 30),
        strength=rng.uniform(0.75, 0.95),
    )


def round_seal(arc: str, centre: str, rng: random.Random) -> RoundSeal:
    return RoundSeal(
        arc,
        centre,
        rng.uniform(38, 44),
        rng.uniform(-15, 15),
        rng.randrange(1 << 30),
        strength=rng.uniform(0.75, 0.95),
    )


# ---------------------------------------------------------------- watermarks


def watermarked(base: Page, wm: Watermark) -> Page:
    base.ops.insert(0, wm)
    return base


# ---------------------------------------------------------------- clean / mention-only pages


def essay(title: str, paras: list[str], rng: random.Random, subtitle: str = "", footer: str = "") -> Page:
    page = Page()
    y = gw_title(page, 30, title)
    if subtitle:
        page.add(Text(105, y - 3, subtitle, "song", 12.0, GRAY, "m"))
        y += 8
    for p in paras:
        y = paragraph(page, 22, y, 166, p, "song", 13.0, 7.6, 2.0, 275) + 1.5
    if footer:
        page.add(Text(105, 284, footer, "song", 9.0, GRAY, "m"))
    return page


TRAINING = [
    "一、为什么要保守国家秘密",
    "保守国家秘密，人人有责。国家秘密关系国家安全和利益，一旦泄露，会使国家安全和利益遭受损害。"
    "每一名干部职工都应当增强保密意识，自觉遵守保密纪律。",
    "二、国家秘密的密级",
    "国家秘密的密级分为绝密、机密、秘密三级。绝密级国家秘密是最重要的国家秘密，泄露会使国家安全和利益"
    "遭受特别严重的损害；机密级国家秘密泄露会使国家安全和利益遭受严重的损害；秘密级国家秘密泄露会使国家安全"
    "和利益遭受损害。",
    "三、常见泄密隐患",
    "不得在互联网及其他公共信息网络或者未采取保密措施的有线和无线通信中传递国家秘密；不得将涉密计算机、"
    "涉密存储设备接入互联网。工作人员不得泄露国家秘密、工作秘密和商业秘密，不得通过微信群、QQ群转发涉密"
    "文件的照片或截图。",
    "四、典型案例警示",
    "某单位工作人员为图方便，将标有密级的文件拍照后通过微信发送给同事，造成泄密，受到党纪政务处分。"
    "违反保密法律法规，情节严重的，可能构成故意泄露国家秘密罪或者过失泄露国家秘密罪，依法追究刑事责任。",
    "五、国家秘密标志",
    "国家秘密标志形式为“密级★保密期限”，例如：绝密★长期、机密★10年、秘密★1年。标志应当标注在文件首页左上角。",
]

NEWS = [
    "本报讯（记者 陈立）近日，临江市中级人民法院公开宣判一起为境外刺探、非法提供国家秘密案，被告人张某"
    "被判处有期徒刑十年，剥夺政治权利三年。",
    "法院审理查明，2022年以来，张某通过社交软件结识境外人员，在对方利诱下，多次拍摄所在单位内部文件并"
    "发送给对方，收取报酬共计人民币十二万元。经鉴定，其中部分文件属于机密级国家秘密。",
    "法院认为，被告人张某为境外刺探、非法提供国家秘密，情节严重，其行为已构成为境外刺探、非法提供国家秘密罪。",
    "国家安全机关提醒，广大干部群众要增强国家安全意识，对于窃取、泄露国家秘密的行为，可拨打12339举报电话"
    "或登录国家安全机关举报受理平台进行举报。",
    "另据了解，市保密局今年已组织开展保密宣传教育活动60余场，覆盖机关干部1.2万人次。",
]

LEVEL_ROWS = [
    ("绝密", "特别严重的损害", "30年", "“绝密★长期”"),
    ("机密", "严重的损害", "20年", "“机密★10年”"),
    ("秘密", "损害", "10年", "“秘密★1年”"),
]


def levels_explainer(rng: random.Random) -> Page:
    page = essay(
        "国家秘密密级知识问答",
        [
            "问：国家秘密分为哪几个密级？",
            "答：根据《中华人民共和国保守国家秘密法》，国家秘密的密级分为绝密、机密、秘密三级。各级的含义、"
            "一般保密期限和标志示例见下表。",
        ],
        rng,
        "保密宣传教育材料（第三期）",
    )
    y = 84.0
    cols = [22, 50, 100, 132, 188]
    heads = ["密级", "泄露后果", "最长保密期限", "标志示例"]
    page.add(Box(22, y, 166, 40, 0.4))
    for i, h in enumerate(heads):
        page.add(Text((cols[i] + cols[i + 1]) / 2, y + 2.5, h, "hei", 12.0, anchor="m"))
    for r, row in enumerate(LEVEL_ROWS):
        yy = y + 10 * (r + 1)
        page.add(Line(22, yy, 188, yy, 0.3))
        for i, cell in enumerate(row):
            page.add(Text((cols[i] + cols[i + 1]) / 2, yy + 2.5, cell, "song", 12.0, anchor="m"))
    for x in cols[1:-1]:
        page.add(Line(x, y, x, y + 40, 0.3))
    y += 48
    for p in [
        "问：标志应当标注在什么位置？",
        "答：标志一般标注在文件首页的左上角，与份号、紧急程度依次排列。未标注保密期限的，按照绝密级三十年、"
        "机密级二十年、秘密级十年认定。",
        "问：工作秘密是否标注国家秘密标志？",
        "答：工作秘密不属于国家秘密，不得标注“★”形式的国家秘密标志，具体管理按照有关规定执行。",
    ]:
        y = paragraph(page, 22, y, 166, p, "song", 13.0, 7.6, 2.0, 275) + 1.5
    return page


def standard_figure(rng: random.Random) -> Page:
    """A page of a 公文格式 guide showing a miniature sample first page inside a figure frame (F48)."""
    page = essay(
        "党政机关公文格式解读",
        [
            "5.2 版头。份号一般用6位3号阿拉伯数字，顶格编排"
            "在版心左上角第一行。密级和保密期限一般用3号黑体字，"
            "顶格编排在版心左上角第二行；保密期限中的数字用阿拉伯数字标注。紧急程度一般用3号黑体字，顶格编排在版心"
            "左上角。发文机关标志居中排布，上边缘至版心上边缘为35mm，推荐使用红色小标宋体字。",
        ],
        rng,
        "第五章　公文格式各要素编排规则",
    )
    fx, fy, fw, fh = 55.0, 88.0, 100.0, 140.0
    page.add(Box(fx, fy, fw, fh, 0.5, GRAY))
    s = 0.45
    page.add(Text(fx + 8, fy + 8, "000001", "song", 16 * s))
    page.add(Text(fx + 8, fy + 13, "机密★1年", "hei", 16 * s))
    page.add(Text(fx + 8, fy + 18, "特急", "hei", 16 * s))
    page.add(Text(fx + fw / 2, fy + 30, "发文机关标志", "song_b", 48 * s, RED, "m"))
    page.add(Text(fx + fw / 2, fy + 46, "×××〔2012〕10号", "song", 16 * s, anchor="m"))
    page.add(Line(fx + 8, fy + 51, fx + fw - 8, fy + 51, 0.5, RED))
    page.add(Text(fx + fw / 2, fy + 57, "×××××关于××××××的通知", "song_b", 22 * s, anchor="m"))
    for i in range(9):
        page.add(Text(fx + 8, fy + 67 + 6 * i, "×" * 26, "song", 13 * s, (140, 140, 140)))
    page.add(Text(105, fy + fh + 4, "图1　下行文首页版式示例", "hei", 12.0, anchor="m"))
    paragraph(
        page,
        22,
        fy + fh + 14,
        166,
        "图中份号、密级和保密期限、紧急程度仅为示意，实际使用时应当根据文件"
        "的具体情况确定，不涉密的公文不标注份号和密级。",
        "song",
        13.0,
        7.6,
        2.0,
        280,
    )
    return page


def template_page(rng: random.Random) -> Page:
    page = Page()
    page.add(Text(GW_LEFT, GW_TOP, "份号：××××××", "song", 16.0))
    page.add(Text(GW_LEFT, GW_TOP + GW_PITCH * 0.8, "密级★保密期限", "hei", 16.0))
    page.add(Text(GW_LEFT, GW_TOP + GW_PITCH * 1.6, "紧急程度", "hei", 16.0))
    page.add(Text(105, GW_TOP + 35, "×××××××文件", "song_b", 52.0, RED, "m", 0.9))
    page.add(Text(105, GW_TOP + 60, "××〔20××〕××号", "song", 16.0, anchor="m"))
    page.add(Line(GW_LEFT, GW_TOP + 70, GW_LEFT + GW_WIDTH, GW_TOP + 70, 0.9, RED))
    y = gw_title(page, GW_TOP + 80, "关于××××××××的通知（模板）")
    y = gw_body(page, y, "××××××：", ["正文。" + "××××××××××" * 5, "××××××××××" * 4], ymax=230)
    gw_sign(page, y, rng, "××××××", "20××年×月×日", False)
    page.add(
        Text(
            22,
            276,
            "使用说明：不涉密公文删除份号和密级；涉密公文按实际填写“秘密★×年”等标志。",
            "song",
            10.0,
            GRAY,
        )
    )
    return page


def feimi_notice(rng: random.Random, label: str) -> Page:
    page = redhead(rng)
    page.add(Text(GW_LEFT, GW_TOP, label, "hei", 16.0))
    return page


def form_page(rng: random.Random, value: str) -> Page:
    page = Page()
    page.add(Text(105, 26, "临江市人民政府办公室发文稿纸", "song_b", 20.0, RED, "m"))
    rows = [
        ("发文字号", f"临政办发〔2025〕{rng.randrange(3, 60)}号", "密级", value),
        ("紧急程度", "平件", "公开属性", "主动公开"),
        ("签发", "李建国　3月10日", "会签", "陈明"),
        ("主送", "各县（市、区）人民政府，市政府各部门", "", ""),
        ("拟稿单位", "市政府办公室秘书二科", "拟稿人", "赵敏"),
        ("核稿", "王海", "印制份数", "60份"),
    ]
    y = 40.0
    page.add(Box(20, y, 170, 12 * len(rows) + 70, 0.6, RED))
    for label, val, label2, val2 in rows:
        page.add(Line(20, y, 190, y, 0.4, RED))
        page.add(Text(24, y + 3, label, "song", 12.0, RED))
        page.add(Text(52, y + 3, val, "song", 12.0))
        if label2:
            page.add(Text(118, y + 3, label2, "song", 12.0, RED))
            page.add(Text(144, y + 3, val2, "song", 12.0))
        y += 12
    page.add(Line(20, y, 190, y, 0.4, RED))
    page.add(Text(24, y + 3, "标题", "song", 12.0, RED))
    page.add(Text(52, y + 3, "关于做好2025年春季森林防火工作的通知", "song", 12.0))
    return page


US_NEWS = [
    "WASHINGTON — Federal prosecutors said on Tuesday that "
    "investigators recovered dozens of boxes from a storage "
    'unit in Virginia, including folders with documents marked "TOP SECRET//SI//NOFORN" and others labeled '
    "SECRET, according to a court filing unsealed this week.",
    "The filing describes how the documents were moved several times over two years. Officials declined to "
    "say whether any of the classified material had been shared with third parties.",
    "Experts said the case illustrates how the classification system, which ranges from Confidential to Top "
    'Secret, depends on individual compliance. "The marking tells you how to handle the paper," '
    "said one former "
    'official. "It does not protect it by itself."',
    "A hearing is scheduled for next month. The defendant has pleaded not guilty to all counts.",
]


def us_news(rng: random.Random) -> Page:
    page = Page()
    page.add(Text(20, 12, "The Capital Ledger", "times_b", 22.0))
    page.add(Text(190, 16, "National Security | Courts", "arial", 9.0, GRAY, "r"))
    page.add(Line(20, 24, 190, 24, 0.6))
    y = 30.0
    for line in wrap("Classified Files Found in Storage Unit, Prosecutors Say", "times_b", 20.0, 170):
        page.add(Text(20, y, line, "times_b", 20.0))
        y += 9
    page.add(
        Text(20, y + 1, f"By Dana Whitfield   |   March {rng.randrange(2, 28)}, 2025", "arial", 9.0, GRAY)
    )
    y += 11
    for p in US_NEWS:
        y = paragraph(page, 20, y, 170, p, "times", 11.5, 5.6, 0.0, 280) + 3.5
    return page


def isoo_training(rng: random.Random) -> Page:
    page = Page()
    for y in (9.0, 283.0):
        page.add(Text(105, y, "UNCLASSIFIED", "arial_b", 12.0, anchor="m"))
    page.add(Text(105, 24, "Marking Classified Information — Training Aid", "times_b", 16.0, anchor="m"))
    y = (
        paragraph(
            page,
            20,
            36,
            170,
            "This document is UNCLASSIFIED. Any classification markings shown are for "
            "training use only. The examples below illustrate the banner line and portion marks.",
            "times",
            11.5,
            5.6,
            0.0,
            280,
        )
        + 6
    )
    for ex, note in [
        ("TOP SECRET//SI//NOFORN", "Banner with an SCI control system and a dissemination control"),
        ("SECRET//REL TO USA, FVEY", "Banner releasable to Five Eyes partners"),
        ("(S//NF) This portion is classified SECRET.", "Portion mark at the start of a paragraph"),
    ]:
        page.add(Text(20, y, "EXAMPLE:", "arial", 9.0, GRAY))
        page.add(Box(40, y - 2, 150, 12, 0.3, GRAY))
        page.add(Text(115, y + 1, ex, "arial_b", 11.0, anchor="m"))
        page.add(Text(40, y + 12, note, "times", 10.5, GRAY))
        y += 24
    paragraph(
        page,
        20,
        y + 4,
        170,
        "Banner lines appear at the top and bottom of each page and reflect the highest "
        "classification of any portion on the page. Portion marks are placed immediately before the text "
        "they apply to.",
        "times",
        11.5,
        5.6,
        0.0,
        280,
    )
    return page


def nda_page(rng: random.Random) -> Page:
    paras = [
        'This Mutual Non-Disclosure Agreement (the "Agreement") is entered into as of March 3, 2025 by and '
        "between Northwind Analytics Inc. and Harbor Logistics LLC.",
        '1. Definition. "Confidential Information" means any information disclosed by either party '
        "to the other "
        "party, either directly or indirectly, in writing, orally or by inspection of tangible objects.",
        "2. Obligations. The Recipient shall hold the Disclose"
        "r's Confidential Information in strict confidence and "
        "shall not disclose it to any third party without prior written consent.",
        "3. Exclusions. Confidential Information does not in"
        "clude information that is or becomes publicly known "
        "through no wrongful act of the Recipient.",
        "4. Term. The obligations of this Agreement shall survive for three (3) years after termination.",
    ]
    page = Page()
    page.add(Text(105, 24, "MUTUAL NON-DISCLOSURE AGREEMENT", "times_b", 15.0, anchor="m"))
    y = 40.0
    for p in paras:
        y = paragraph(page, 22, y, 166, p, "times", 12.0, 6.0, 0.0, 270) + 4
    page.add(Text(22, y + 14, "Signature: ______________________", "times", 12.0))
    page.add(Text(120, y + 14, "Date: ____________", "times", 12.0))
    return page


def email_page(rng: random.Random) -> Page:
    page = Page()
    y = 18.0
    for k, v in [
        ("From:", "Lisa Chen <l.chen@northwind.example>"),
        ("Sent:", "Monday, March 10, 2025 9:14 AM"),
        ("To:", "Procurement Team"),
        ("Subject:", "RE: Updated delivery schedule for April"),
    ]:
        page.add(Text(20, y, k, "arial_b", 10.5))
        page.add(Text(40, y, v, "arial", 10.5))
        y += 5.5
    page.add(Line(20, y + 1, 190, y + 1, 0.3, GRAY))
    y += 8
    for p in [
        "Hi all,",
        "Please find attached the updated delivery schedule. The first batch will now arrive on "
        "April 8 instead of April 3 because of the port congestion in Ningbo.",
        "Let me know by Wednesday if this causes any issue for the assembly line.",
        "Best regards,",
        "Lisa Chen | Supply Chain Manager | Northwind Analytics",
    ]:
        y = paragraph(page, 20, y, 170, p, "arial", 10.5, 5.2, 0.0, 280) + 3
    y += 8
    for p in [
        "This email and any attachments are confidential and intended solely for the use of the individual "
        "to whom they are addressed. If you have received this email in error, please notify the sender "
        "and delete it.",
        "本邮件及其附件含有保密信息，仅限于发送给上述收件人。如果您错收了本邮件，请立即通知发件人并删除本邮件。",
    ]:
        y = paragraph(page, 20, y, 170, p, "sans" if not p.isascii() else "arial", 8.0, 4.0, 0.0, 285) + 2
    return page


def poster_page(rng: random.Random) -> Page:
    page = Page(paper=(250, 236, 200))
    page.add(Box(12, 12, 186, 273, 2.0, (120, 20, 20)))
    page.add(Text(105, 40, "TOP SECRET!", "arial_b", 72.0, (170, 20, 20), "m"))
    page.add(Text(105, 80, "A comedy of spies, songs and mistaken identities", "times", 16.0, anchor="m"))
    page.add(Text(105, 160, "SATURDAY NIGHT CLASSICS", "arial_b", 26.0, anchor="m"))
    page.add(Text(105, 176, "Riverside Community Cinema · 8 PM · Free popcorn", "arial", 14.0, anchor="m"))
    page.add(Text(105, 250, "Tickets $5 at the door", "times_b", 20.0, anchor="m"))
    return page


def password_notice(rng: random.Random) -> Page:
    return essay_en(
        "IT Service Desk: Password Policy Reminder",
        [
            "Please keep your password confidential and never"
            " share it with colleagues, even for urgent tasks.",
            "Passwords must be at least 12 characters long and mus"
            "t be changed every 180 days. Do not reuse any of your "
            "last five passwords.",
            "The Service Desk will never ask for your password by "
            "email or phone. Report suspicious messages using the "
            "Report Phishing button in Outlook.",
            "Questions? Call extension 2200 or open a ticket at the self-service portal.",
        ],
    )


def essay_en(title: str, paras: list[str]) -> Page:
    page = Page()
    page.add(Text(20, 24, title, "arial_b", 17.0))
    page.add(Line(20, 33, 190, 33, 0.5))
    y = 40.0
    for p in paras:
        y = paragraph(page, 20, y, 170, p, "arial", 11.5, 5.8, 0.0, 280) + 4
    return page


def crest_release(rng: random.Random) -> Page:
    page = en_memo(rng)
    rel = "Approved For Release 2004/10/13 : CIA-RDP80-00810A004100190005-2"
    page.add(Text(105, 6, rel, "mono", 9.0, anchor="m"))
    page.add(Text(105, 287, rel, "mono", 9.0, anchor="m"))
    page.add(Text(105, 12, "S E C R E T", "mono", 12.0, anchor="m"))
    page.add(Text(105, 280, "S E C R E T", "mono", 12.0, anchor="m"))
    return page


CLEAN_CN = {
    "internal_control": (
        "关于加强内部控制和内部审计工作的实施意见",
        [
            "为健全内部控制体系，提高内部审计质量，防范经营风险，结合集团实际，提出如下意见。",
            "一、完善内部控制制度。各单位要梳理业务流程，明确关键控制点，建立健全不相容岗位分离制度，"
            "定期开展内部控制评价。",
            "二、加强内部审计监督。内部审计机构要重点关注资金管理、工程项目和物资采购等领域，"
            "对发现的内部管理问题及时提出整改建议。",
            "三、强化结果运用。审计发现的问题纳入年度考核，推动解决企业内部结构不合理、内部收益率偏低等问题。",
        ],
    ),
    "infosec": (
        "数据安全基础知识：机密性、完整性和可用性",
        [
            "信息安全的三个基本目标是机密性、完整性和可用性。数据机密性是指信息不被未授权的个人、实体或过程获取；"
            "完整性是指信息在存储和传输过程中不被篡改；可用性是指授权用户在需要时能够访问信息。",
            "常用的技术手段包括加密、访问控制和审计。对存储数据进行加密，即使介质丢失，攻击者也无法读取内容；"
            "密钥应当与数据分开保管。",
            "近年来兴起的机密计算技术通过可信执行环境保护正在使用中的数据，弥补了传统方案只保护静态数据和传输中数据的不足。",
            "此外，应当定期修改密码，不同系统不要使用相同密码，发现文件解密失败或账号异常时应及时报告信息中心。",
        ],
    ),
    "trade_secret": (
        "企业商业秘密保护指引（节选）",
        [
            "第一条 为加强企业商业秘密保护，防止侵犯商业秘密行为，依"
            "据《中华人民共和国反不正当竞争法》等法律法规，制定本指引。",
            "第二条 本指引所称商业秘密，是指不为公众所知悉、具有商业价"
            "值并经权利人采取相应保密措施的技术信息、经营信息等商业信息。",
            "第三条 企业应当与接触商业秘密的员工签订保密协议，明确保密义务和竞业限制条款。",
            "第四条 员工离职时，应当交还全部涉及商业秘密的资料，不得以任何方式带走或者复制。",
        ],
    ),
    "book": (
        "第七章　秘密花园",
        [
            "外婆家的后院有一扇长满爬山虎的小木门，推开它，就是我和表弟的秘密基地。那里有一棵老桑树，"
            "树下埋着我们的“宝藏”——几颗玻璃弹珠和一张画满箭头的地图。",
            "表弟说，这是我们之间的秘密，谁也不能告诉。可是第二天，全村的孩子都知道了。原来，这早就是一个公开的秘密。",
            "多年以后我才明白，外婆每天傍晚坐在门口摘菜，就是为了守护我们的小秘密。她说，每个孩子都需要一件秘密武器，"
            "那就是好奇心。",
        ],
    ),
    "tv_listing": (
        "本周电视节目导视",
        [
            "周一 20:00 纪录片《绝密档案》第12集：讲述上世纪六十年代一批科研工作者隐姓埋名、攻坚克难的故事。",
            "周二 19:30 电影《绝密飞行》：试飞员在一次例行任务中遭遇险情，沉着应对化险为夷。",
            "周三 21:00 综艺《秘密花园》：明星嘉宾走进乡村，体验田园生活。",
            "周四 20:00 谍战剧《暗算》重播：第15-16集。",
            "周五 19:00 少儿节目《小小科学家》：揭开彩虹的秘密。",
        ],
    ),
    "promise": (
        "保密承诺书",
        [
            "本人郑重承诺：",
            "一、认真遵守国家保密法律、法规和规章制度，履行保密义务。",
            "二、不违规记录、存储、复制国家秘密信息，不违规留存国家秘密载体。",
            "三、不以任何方式泄露所接触和知悉的国家秘密、工作秘密和商业秘密。",
            "四、未经单位审查批准，不擅自发表涉及未公开工作内容的文章、著述。",
            "五、离岗离职后，继续履行保密义务，接受脱密期管理。",
            "违反上述承诺，自愿承担党纪政务责任和法律后果。　　承诺人：＿＿＿＿　　　年　　月　　日",
        ],
    ),
}


def register_table(rng: random.Random) -> Page:
    page = Page()
    page.add(Text(105, 22, "涉密载体登记表", "song_b", 20.0, anchor="m"))
    page.add(
        Text(
            20, 36, "单位：临江市统计局办公室　　　　　　　　　　　　　　　　　　2025年第一季度", "song", 11.0
        )
    )
    cols = [20, 34, 92, 110, 126, 148, 170, 190]
    heads = ["序号", "载体名称", "密级", "份数", "来源", "接收日期", "经办人"]
    y = 44.0
    rows = [
        ("1", "2025年统计执法检查方案", "秘密", "2", "市局", "1月8日", "赵敏"),
        ("2", "人口抽样调查实施细则", "机密", "1", "省局", "1月21日", "赵敏"),
        ("3", "季度经济运行分析材料", "秘密", "3", "本局", "2月5日", "王海"),
        ("4", "重点项目督查情况通报", "秘密", "2", "市政府", "3月2日", "王海"),
        ("5", "普查数据汇总光盘", "机密", "1", "省局", "3月18日", "赵敏"),
    ]
    page.add(Box(20, y, 170, 10 * (len(rows) + 1), 0.4))
    for i, h in enumerate(heads):
        page.add(Text((cols[i] + cols[i + 1]) / 2, y + 2.5, h, "hei", 10.5, anchor="m"))
    for r, row in enumerate(rows):
        yy = y + 10 * (r + 1)
        page.add(Line(20, yy, 190, yy, 0.3))
        for i, cell in enumerate(row):
            page.add(Text((cols[i] + cols[i + 1]) / 2, yy + 2.5, cell, "song", 10.0, anchor="m"))
    for x in cols[1:-1]:
        page.add(Line(x, y, x, y + 10 * (len(rows) + 1), 0.3))
    page.add(
        Text(
            20,
            y + 10 * (len(rows) + 1) + 6,
            "填表说明：本表由保密管理员按月登记，登记表本身不作为涉密载体管理。",
            "song",
            10.0,
            GRAY,
        )
    )
    return page


def certificate(rng: random.Random) -> Page:
    page = Page()
    page.add(Text(105, 50, "证　明", "song_b", 26.0, anchor="m"))
    y = 72.0
    for p in [
        "兹证明刘晓峰同志（身份证号：3301**********1234）系我单位在编在岗职工，自2016年7月起在我局工作，"
        "现任办公室副主任。",
        "特此证明。",
    ]:
        y = paragraph(page, 28, y, 154, p, "song", 16.0, 10.0, 2.0, 270)
    page.add(Text(170, y + 20, "临江市交通运输局", "song", 16.0, anchor="r"))
    page.add(Text(170, y + 30, "2025年3月6日", "song", 16.0, anchor="r"))
    page.add(Picture(150, y + 26, round_seal("临江市交通运输局", "", rng)))
    return page


def declassified_cn(rng: random.Random) -> Page:
    page = redhead(rng, "机密★5年", strike_miji=True)
    page.add(
        Picture(
            GW_LEFT + 48,
            GW_TOP + 12,
            RectStamp(
                ("已解密", "临江市保密局 2025.1.6"),
                46,
                20,
                "hei",
                False,
                rng.uniform(-6, 6),
                rng.randrange(1 << 30),
            ),
        )
    )
    return page


def bubble_watermark_page(rng: random.Random) -> Page:
    page = cn_report(rng)
    page.ops.insert(0, Watermark("王丽娜 139****2876", "sans", 14.0, (120, 120, 120), 0.2, 25.0))
    return page


__all__ = ["BLACK"]
