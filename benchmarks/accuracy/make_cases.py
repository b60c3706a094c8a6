"""Generate the labelled accuracy cases into benchmarks/accuracy/cases/ and labels.tsv.

    python benchmarks/accuracy/make_cases.py

Markings (cases_tune.py, cases_heldout.py) are placed where files hide them: plain
text, Word header/footer/text box/table/body/custom property (python-docx plus the
WordprocessingML Word writes for text boxes and custom properties), PDF page 1
top, page 2 top, page bottom and banners on every page (reportlab, built-in CID
fonts such as STSong-Light), and file names. Mentions and traps go in body text,
footers and file names. Deterministic: the same inputs give the same files.
The case files are not committed (about 4 MB); labels.tsv is.
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import cases_heldout  # noqa: E402
import cases_tune  # noqa: E402

OUT = HERE / "cases"
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
BODIES = {
    "cn": [
        "关于做好2025年度重点工作的通知",
        "各单位：",
        "为进一步做好年度工作，现将有关事项通知如下。",
        "一、提高认识，加强组织领导。",
        "二、明确任务，抓好工作落实。",
    ],
    "tw": ["函", "主旨：有關年度工作計畫一案，請查照。", "說明：依據本府年度計畫辦理。"],
    "hk": ["通告", "事由：年度工作安排", "各部門請按時提交報告。"],
    "en": [
        "MEMORANDUM FOR THE RECORD",
        "Subject: Quarterly program review",
        "The review covered schedule, budget and staffing.",
        "Action items are listed in the attachment.",
    ],
    "de": ["Vermerk", "Betreff: Haushaltsplanung 2025", "Die Besprechung fand am 3. März statt."],
    "fr": ["Note", "Objet : planification budgétaire", "La réunion a eu lieu le 3 mars."],
    "ru": ["Служебная записка", "О планировании бюджета", "Совещание состоялось 3 марта."],
    "jp": ["社内通知", "件名：予算計画について", "会議は3月3日に開催されました。"],
    "kr": ["업무 보고", "제목: 예산 계획", "회의는 3월 3일에 개최되었다."],
}
LANGUAGE = {"cn": "cn", "tw": "tw", "hk": "hk", "de": "de", "fr": "fr", "ru": "ru", "jp": "jp", "kr": "kr"}
MARK_PLACES = [
    "txt-top",
    "docx-header",
    "docx-footer",
    "docx-textbox",
    "docx-table",
    "docx-body-top",
    "docx-property",
    "pdf-top-p1",
    "pdf-top-p2",
    "pdf-bottom",
    "pdf-banners",
]
PLACES_PER_MARKING = 5


def body_for(convention: str, marking: str) -> list[str]:
    if convention == "corp" and any("\u4e00" <= c <= "\u9fff" for c in marking):
        return BODIES["cn"]
    return BODIES[LANGUAGE.get(convention, "en")]


# ---------------------------------------------------------------- writers


def write_txt(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def _slim(document: docx.document.Document) -> None:
    styles = document.styles.element
    for style in list(styles):
        table_style = style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) != "TableNormal"
        if style.tag == qn("w:latentStyles") or table_style:
            styles.remove(style)


def _docx_bytes(document: docx.document.Document) -> bytes:
    _slim(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _textbox_run(text: str) -> str:
    content = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return (
        f'<w:r {NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:extent cx="1828800" cy="457200"/><wp:docPr id="1" name="Text Box 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f'<mc:Fallback><w:pict><v:shape style="width:144pt;height:36pt"><v:textbox>{content}'
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def _custom_properties(document: docx.document.Document, props: dict[str, str]) -> None:
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{name}">'
        f"<vt:lpwstr>{value}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(props.items(), 2)
    )
    blob = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{ns}" xmlns:vt="{vt}">{items}</Properties>'
    )
    package = document.part.package
    part = Part(
        PackURI("/docProps/custom.xml"),
        "application/vnd.openxmlformats-officedocument.custom-properties+xml",
        blob.encode(),
        package,
    )
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def write_docx(body: list[str], place: str = "docx-body", mark: str = "", footer: str = "") -> bytes:
    document = docx.Document()
    for line in body:
        document.add_paragraph(line)
    section = document.sections[0]
    if place == "docx-header":
        section.header.paragraphs[0].text = mark
    elif place == "docx-footer":
        section.footer.paragraphs[0].text = mark
    elif place == "docx-textbox":
        document.paragraphs[0].insert_paragraph_before("")._p.append(parse_xml(_textbox_run(mark)))
    elif place == "docx-table":
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = (
            mark,
            "份号：000123" if mark[:1] > "\u2e80" else "Copy 1",
        )
        document.paragraphs[0]._p.addprevious(table._tbl)
    elif place == "docx-body-top":
        document.paragraphs[0].insert_paragraph_before(mark)
    elif place == "docx-property":
        cjk = any(c > "\u2e80" for c in mark)
        name = "密级" if cjk else "Classification"
        value = mark.split("：", 1)[-1] if mark.startswith("密级") else mark
        _custom_properties(
            document, {name: value} if not mark.startswith("MSIP") else dict([mark.split(": ", 1)])
        )
    if footer:
        section.footer.paragraphs[0].text = footer
    return _docx_bytes(document)


def _font_for(text: str) -> str:
    if all(ord(c) < 256 for c in text):
        return "Helvetica"
    if any("\uac00" <= c <= "\ud7a3" for c in text):
        return "HYSMyeongJo-Medium"
    if any("\u3040" <= c <= "\u30ff" for c in text):
        return "HeiseiMin-W3"
    return "STSong-Light"


def write_pdf(pages: list[list[tuple[float, str]]]) -> bytes:
    """Each page is a list of (y from the top in points, text)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    for name in ("STSong-Light", "HYSMyeongJo-Medium", "HeiseiMin-W3"):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(name))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    height = A4[1]
    for page in pages:
        for y, text in page:
            c.setFont(_font_for(text), 12)
            c.drawString(72, height - y, text)
        c.showPage()
    c.save()
    return out.getvalue()


def pdf_marked(body: list[str], place: str, mark: str) -> bytes:
    lines = [(110 + 22 * i, line) for i, line in enumerate(body)]
    second = [(110, "Annex"), (140, body[-1])]
    if place == "pdf-top-p1":
        return write_pdf([[(50, mark), *lines], second])
    if place == "pdf-top-p2":
        return write_pdf([lines, [(50, mark), *second]])
    if place == "pdf-bottom":
        return write_pdf([[*lines, (800, mark)], second])
    return write_pdf([[(40, mark), *lines, (810, mark)], [(40, mark), *second, (810, mark)]])


def pdf_text(lines: list[str]) -> bytes:
    return write_pdf([[(60 + 22 * i, line) for i, line in enumerate(lines)]])


# ---------------------------------------------------------------- case lists


Case = tuple[str, bytes, str, str, str, str]  # file name, data, expected, convention, kind, place


def marking_cases(markings: list[tuple[str, str, str]], offset: int) -> list[Case]:
    cases: list[Case] = []
    for number, (convention, mark, level) in enumerate(markings):
        body = body_for(convention, mark)
        for k in range(PLACES_PER_MARKING):
            place = MARK_PLACES[(number * 3 + k + offset) % len(MARK_PLACES)]
            if place == "txt-top":
                ext, data = "txt", write_txt([mark, *body])
            elif place.startswith("docx"):
                ext, data = "docx", write_docx(body, place, mark)
            else:
                ext, data = "pdf", pdf_marked(body, place, mark)
            cases.append((ext, data, level, convention, "marking", place))
        if "★" in mark:
            cases.append(
                (
                    f"name:{mark} 关于年度工作的通知.txt",
                    write_txt(body),
                    level,
                    convention,
                    "marking",
                    "filename",
                )
            )
    return cases


def document_cases(documents: list[tuple[str, list[str], str]]) -> list[Case]:
    cases: list[Case] = []
    for convention, lines, level in documents:
        cases.append(("txt", write_txt(lines), level, convention, "marking", "txt-document"))
        cases.append(("docx", write_docx(lines), level, convention, "marking", "docx-document"))
        cases.append(("pdf", pdf_text(lines), level, convention, "marking", "pdf-document"))
    return cases


def mention_cases(
    mentions: list[tuple[str, str]], footers: list[tuple[str, str]], names: list[tuple[str, str]]
) -> list[Case]:
    cases: list[Case] = []
    for convention, text in mentions:
        lines = text.split("\n")
        body = body_for(convention, text)
        cases.append(("txt", write_txt(lines), "none", convention, "mention", "txt-body"))
        cases.append(
            ("docx", write_docx([*body[:2], *lines, *body[2:]]), "none", convention, "mention", "docx-body")
        )
        cases.append(
            ("pdf", pdf_text([*body[:2], *lines, *body[2:]]), "none", convention, "mention", "pdf-body")
        )
    for convention, text in footers:
        body = body_for(convention, text)
        cases.append(("docx", write_docx(body, footer=text), "none", convention, "mention", "docx-footer"))
    for convention, name in names:
        cases.append(
            (f"name:{name}", write_txt(["notes", "nothing else"]), "none", convention, "mention", "filename")
        )
    return cases


def build(split: str, module: object, offset: int) -> list[Case]:
    get = module.__dict__.get
    return [
        *marking_cases(get("MARKINGS", []), offset),
        *document_cases(get("DOCUMENTS", [])),
        *mention_cases(get("MENTIONS", []), get("FOOTERS", []), get("NAMES", [])),
    ]


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    rows = ["file\texpected\tconvention\tkind\tplace\tsplit"]
    for split, module, offset in (("tune", cases_tune, 0), ("heldout", cases_heldout, 1)):
        for number, (name, data, level, convention, kind, place) in enumerate(
            build(split, module, offset), 1
        ):
            if name.startswith("name:"):
                file_name = f"{split}-{number:03d} {name[5:]}"
            else:
                file_name = f"{split}-{number:03d}-{convention}-{kind}-{place}.{name}"
            (OUT / file_name).write_bytes(data)
            rows.append(f"{file_name}\t{level}\t{convention}\t{kind}\t{place}\t{split}")
    (HERE / "labels.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"{len(rows) - 1} cases, {size / 1e6:.1f} MB in {OUT}")


if __name__ == "__main__":
    main()
