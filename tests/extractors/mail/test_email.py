"""E-mail: headers, bodies and attachments of .eml, mbox and Outlook .msg files."""

from __future__ import annotations

from email.message import EmailMessage

import olefile
import pytest
from locations import FIXTURES as FIXTURE_ROOT

from secscan.config import ScanConfig
from secscan.errors import CorruptFile
from secscan.extractors import get_extractor
from secscan.extractors._common.html_lines import html_lines
from secscan.extractors.mail.mbox import split_mbox
from secscan.extractors.mail.rtf_compressed import decompress_rtf
from secscan.match.catalog import Catalog
from secscan.model import Extraction

FIXTURES = FIXTURE_ROOT / "containers"
CONFIG = ScanConfig(catalog=Catalog(), ocr=False)
MARK = "机密★5年"


def extract(kind: str, data: bytes) -> Extraction:
    extractor = get_extractor(kind)
    assert extractor is not None
    return extractor(data, CONFIG)


def test_eml_subject_is_its_own_metadata_block() -> None:
    blocks = extract("eml", (FIXTURES / "mail.eml").read_bytes()).blocks
    subject = [b for b in blocks if b.origin == "header:Subject"]
    assert [(b.text, b.part) for b in subject] == [(f"{MARK} 关于年度工作安排", "metadata")]


def test_eml_classification_header_is_read() -> None:
    blocks = extract("eml", (FIXTURES / "mail.eml").read_bytes()).blocks
    marking = [b.text for b in blocks if b.origin == "header:X-Protective-Marking"]
    assert marking == ["VER=2018.1, NS=gov.au, SEC=OFFICIAL:Sensitive"]


def test_eml_plain_and_html_bodies_are_body_lines() -> None:
    blocks = extract("eml", (FIXTURES / "mail.eml").read_bytes()).blocks
    bodies = {(b.origin, b.text) for b in blocks if b.part == "body"}
    assert ("text/plain body", "各位同事：") in bodies  # declared GB2312
    assert ("text/html body", "请查收附件。") in bodies


def test_eml_attachment_is_a_member() -> None:
    members = extract("eml", (FIXTURES / "mail.eml").read_bytes()).members
    assert [(m.name, m.data.decode()[:5]) for m in members] == [("通知.txt", MARK)]


def test_attached_message_is_a_member_of_its_own() -> None:
    inner = EmailMessage()
    inner["Subject"] = MARK
    inner.set_content("body")
    outer = EmailMessage()
    outer["Subject"] = "fwd"
    outer.set_content("see attached")
    outer.add_attachment(inner)
    members = extract("eml", bytes(outer)).members
    assert len(members) == 1 and members[0].name.endswith(".eml")
    assert MARK.encode() in members[0].data or b"=?utf-8?" in members[0].data


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_saved_eml_is_read(codec: str) -> None:
    text = f"From: a@example.cn\nSubject: {MARK}\n\nbody line\n"
    blocks = extract("eml", text.encode(codec)).blocks
    assert [b.text for b in blocks if b.origin == "header:Subject"] == [MARK]


def test_mbox_messages_are_numbered() -> None:
    extraction = extract("mbox", (FIXTURES / "box.mbox").read_bytes())
    subjects = [b.origin for b in extraction.blocks if b.origin.endswith("header:Subject")]
    assert subjects == ["message 1: header:Subject", "message 2: header:Subject"]
    assert [m.name for m in extraction.members] == ["message-1/通知.txt"]
    assert any(b.text == MARK and b.origin.startswith("message 2:") for b in extraction.blocks)


def test_mbox_split_ignores_from_inside_a_body() -> None:
    data = b"From a\nSubject: 1\n\nline\nFrom here on\n\nFrom b\nSubject: 2\n\nx\n"
    assert len(split_mbox(data)) == 2


def test_chinese_msg_decodes_code_page_936() -> None:
    blocks = extract("msg", (FIXTURES / "chinese.msg").read_bytes()).blocks
    subject = [b.text for b in blocks if b.origin == "property:Subject"]
    assert subject == ["Alfresco MSG format testing ( MSG 格式測試 )"]
    assert any("張毓倫" in b.text for b in blocks if b.part == "metadata")


def test_msg_attachments_are_members() -> None:
    members = extract("msg", (FIXTURES / "with_attachment.msg").read_bytes()).members
    assert [m.name for m in members] == ["test.txt", "report.pdf"]
    assert members[0].data.startswith(b"This is")


def test_compressed_rtf_body_decompresses() -> None:
    with olefile.OleFileIO(str(FIXTURES / "pgp_encrypted.msg")) as ole:
        compressed = ole.openstream("__substg1.0_10090102").read()
    rtf = decompress_rtf(compressed, 1_000_000)
    assert rtf.startswith(b"{\\rtf1") and rtf.rstrip().endswith(b"}")


def test_uncompressed_rtf_body_is_passed_through() -> None:
    body = b"{\\rtf1 hello}"
    header = len(body).to_bytes(4, "little") * 2 + b"MELA" + b"\x00" * 4
    assert decompress_rtf(header + body, 100) == body


def test_html_lines_keep_block_structure_and_drop_scripts() -> None:
    markup = "<p>机密★5年</p><div>a<br>b</div><script>secret()</script><style>p{}</style>"
    assert html_lines(markup) == ["机密★5年", "a", "b"]


def test_tnef_winmail_dat_yields_rtf_body_and_attachments() -> None:
    extraction = extract("tnef", (FIXTURES / "winmail.dat").read_bytes())
    names = [m.name for m in extraction.members]
    assert names == ["body.rtf", "quick.doc", "quick.html", "quick.pdf", "quick.txt", "quick.xml"]
    assert extraction.members[0].data.startswith(b"{\\rtf1")
    assert [b.text for b in extraction.blocks if b.origin == "property:Subject"] == ["This is a test message"]


def test_truncated_tnef_is_corrupt() -> None:
    data = (FIXTURES / "winmail.dat").read_bytes()[:5000]
    with pytest.raises(CorruptFile, match="truncated"):
        extract("tnef", data)
