"""Make the sample files in examples/ (run from the repository root).

    python examples/make_examples.py
    secscan scan examples/

Needs python-docx and reportlab (``pip install 'secscan[test]'``). All text is
invented; the layouts follow GB/T 9704 (红头 official documents) and the US
banner-line convention so the scanner sees markings where they really stand.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

OUT = Path(__file__).parent
RED = RGBColor(0xE0, 0x00, 0x00)
# Written as escapes so that `secscan scan examples/` does not flag this script itself.
MARK = "\u673a\u5bc6\u26055\u5e74"  # the 密级 mark "secret, 5 years"
WORK_SECRET = "\u5de5\u4f5c\u79d8\u5bc6"  # "work secret"


def _line(
    document: docx.document.Document,
    text: str,
    size: int = 14,
    *,
    bold: bool = False,
    red: bool = False,
    center: bool = False,
) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size, run.bold = Pt(size), bold
    if red:
        run.font.color.rgb = RED
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def redhead_notice() -> None:
    document = docx.Document()
    _line(document, "000123")  # 份号
    _line(document, MARK, 16, bold=True)
    _line(document, "特急", 16, bold=True)
    _line(document, "某某市人民政府办公室文件", 26, bold=True, red=True, center=True)
    _line(document, "某政办发〔2026〕12号", 16, center=True)
    _line(document, "关于做好重点项目建设有关工作的通知", 22, bold=True, center=True)
    _line(document, "各区人民政府，市政府各部门：")
    _line(
        document,
        "为确保年度重点项目按期完成，现就有关事项通知如下。一、压实责任。二、加强调度。三、严格督查。",
    )
    _line(document, "某某市人民政府办公室")
    _line(document, "2026年3月2日")
    document.sections[0].footer.paragraphs[0].text = "— 1 —"
    document.save(str(OUT / "红头通知.docx"))


def clean_notice() -> None:
    document = docx.Document()
    _line(document, "关于开展保密宣传教育月活动的通知", 22, bold=True, center=True)
    _line(document, "各部门：")
    _line(
        document,
        "为增强全体干部职工的保密意识，切实做到保守国家秘密，"
        "经研究，决定于五月开展保密宣传教育月活动。"
        "国家秘密的密级分为绝密、机密、秘密三级，请各部门组织学习《中华人民共和国保守国家秘密法》。",
    )
    _line(document, "办公室")
    document.save(str(OUT / "保密宣传通知.docx"))


def banner_pdf() -> None:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.pdfgen import canvas

    width, height = LETTER
    c = canvas.Canvas(str(OUT / "us-memo-banner.pdf"), pagesize=LETTER, invariant=1)
    for page in (1, 2):
        c.setFont("Helvetica-Bold", 12)
        c.drawCentredString(width / 2, height - 30, "SECRET//NOFORN")
        c.drawCentredString(width / 2, 24, "SECRET//NOFORN")
        c.setFont("Helvetica", 11)
        lines = [
            "MEMORANDUM FOR THE RECORD" if page == 1 else "2. (U) Coordination continues with partners.",
            "SUBJECT: (S//NF) Quarterly logistics review" if page == 1 else "",
            "1. (U) This memorandum summarizes the review held on 12 March.",
        ]
        for index, text in enumerate(lines):
            c.drawString(72, height - 90 - index * 18, text)
        c.showPage()
    c.save()


def clean_memo_pdf() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    height = A4[1]
    c = canvas.Canvas(str(OUT / "team-memo.pdf"), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 11)
    text = [
        "Team memo: office move",
        "The office moves to the third floor on Monday. Please keep your desk keys;",
        "the secret of a smooth move is labelling every box. Keep customer data",
        "confidential as always, and ask facilities if anything is missing.",
    ]
    for index, line in enumerate(text):
        c.drawString(72, height - 72 - index * 16, line)
    c.showPage()
    c.save()


def text_files() -> None:
    duty = f"{WORK_SECRET}\n五一假期值班安排\n5月1日 张三  5月2日 李四\n"
    (OUT / "值班安排.txt").write_bytes(duty.encode("gb18030"))
    minutes = "会议纪要\n时间：3月2日\n议题：年度预算安排。\n"
    (OUT / f"会议纪要（{MARK}）.txt").write_text(minutes, encoding="utf-8")


if __name__ == "__main__":
    redhead_notice()
    clean_notice()
    banner_pdf()
    clean_memo_pdf()
    text_files()
    print("\n".join(sorted(p.name for p in OUT.iterdir() if p.suffix != ".py")))
