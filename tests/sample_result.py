"""One small, hand-built ScanResult that every reporter's golden file is made from.

It holds one of each thing a report must show: Chinese and English markings,
an archive member, a clean file, an unreadable file, a skipped file, a waived
finding, a suppressed candidate, a declassified marking, and a file whose text
tries to inject script into HTML and a formula into a spreadsheet.
"""

from __future__ import annotations

from secscan.model import Coverage, FileResult, Finding, Level, Location, ScanResult, SkippedPart, Status

SECRET_CN = Finding(
    rule="cn.state-secret.marking",
    level=Level.SECRET,
    match="机密★5年",
    location=Location(part="header", page=1, line=1, origin="word/header1.xml"),
    confidence=0.97,
    reasons=("period after the star", "alone on its line"),
    context="机密★5年",
    span=(0, 5),
    description="Chinese state-secret marking 机密 with a period",
)
INTERNAL_CN = Finding(
    rule="cn.work-secret",
    level=Level.INTERNAL,
    match="工作秘密",
    location=Location(part="body", page=2, line=7, origin="word/document.xml"),
    confidence=0.81,
    context="本文件属工作秘密，请勿外传。",
    span=(4, 8),
    description="Work secret (工作秘密)",
)
TOP_SECRET_US = Finding(
    rule="us.classification.banner",
    level=Level.TOP_SECRET,
    match="TOP SECRET//NOFORN",
    location=Location(part="body", page=3, line=1, origin="page 3"),
    confidence=0.99,
    context="TOP SECRET//NOFORN",
    span=(0, 18),
    description="US classification banner",
)
DECLASSIFIED = Finding(
    rule="us.classification.banner",
    level=Level.NONE,
    match="SECRET",
    location=Location(part="body", page=1, line=2),
    confidence=0.9,
    reasons=("cancelled by DECLASSIFIED ON 2020-01-01",),
    context="SECRET (struck) DECLASSIFIED ON 2020-01-01",
    span=(0, 6),
    description="US classification banner",
    original_level=Level.SECRET,
)
HOSTILE = Finding(
    rule="corp.confidential",
    level=Level.CONFIDENTIAL,
    match='=HYPERLINK("http://x","y")',
    location=Location(part="table", line=3, origin="xl/worksheets/sheet1.xml"),
    confidence=0.7,
    context='CONFIDENTIAL <script>alert(1)</script> =HYPERLINK("http://x","y") & more',
    span=(40, 66),
    description="Corporate <b>confidential</b> label",
)
WAIVED = Finding(
    rule="corp.internal",
    level=Level.INTERNAL,
    match="Internal Use Only",
    location=Location(part="footer", page=1, line=1),
    confidence=0.9,
    reasons=("waived by baseline: template footer, reviewed",),
    context="Internal Use Only",
    span=(0, 17),
)
CANDIDATE = Finding(
    rule="en.confidential.word",
    level=Level.CONFIDENTIAL,
    match="confidential",
    location=Location(part="body", line=4),
    confidence=0.2,
    reasons=("running text", "lower case"),
    context="please keep your data confidential",
    span=(22, 34),
)


def sample_result() -> ScanResult:
    """The shared sample; paths are relative so golden files are machine-independent."""
    return ScanResult(
        files=(
            FileResult(
                "docs/通知.docx",
                "docx",
                Status.FLAGGED,
                Level.SECRET,
                findings=(SECRET_CN, INTERNAL_CN),
                coverage=Coverage(parts=("body", "header", "filename"), pages=2),
            ),
            FileResult(
                "out/pack.zip",
                "zip",
                Status.FLAGGED,
                Level.TOP_SECRET,
                coverage=Coverage(parts=("filename",)),
            ),
            FileResult(
                "out/pack.zip!inner/report.pdf",
                "pdf",
                Status.FLAGGED,
                Level.TOP_SECRET,
                findings=(TOP_SECRET_US, DECLASSIFIED),
                coverage=Coverage(
                    parts=("body", "filename"),
                    pages=3,
                    skipped=(SkippedPart("ocr", "OCR is off (--no-ocr)"),),
                ),
            ),
            FileResult(
                "=cmd|' calc'!A1 <img src=x onerror=alert(2)>.xlsx",
                "xlsx",
                Status.FLAGGED,
                Level.CONFIDENTIAL,
                findings=(HOSTILE,),
                suppressed=(CANDIDATE,),
            ),
            FileResult("notes/readme.txt", "text", Status.CLEAN, waived=(WAIVED,)),
            FileResult("notes/plain.txt", "text", Status.CLEAN),
            FileResult(
                "vault/locked.docx",
                "ooxml",
                Status.ERROR,
                error="encrypted, not inspected (file); supply passwords with --password-file",
            ),
            FileResult(
                "bin/blob.dat",
                "unknown-binary",
                Status.SKIPPED,
                error="no extractor reads unknown-binary files yet",
            ),
        )
    )
