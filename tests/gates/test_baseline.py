"""Baselines: fingerprints that survive edits, waivers that expire, levels that roll up again."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from secscan.cli.exit_codes import exit_code
from secscan.gates.baseline import (
    Baseline,
    BaselineError,
    PathKeys,
    Waiver,
    build_baseline,
    fingerprint,
    load_baseline,
    write_baseline,
)
from secscan.gates.waive import apply_baseline
from secscan.model import FileResult, Finding, Level, Location, ScanResult, Status

TODAY = date(2026, 11, 25)


def finding(match: str, level: Level, rule: str = "cn.state-secret.marking", line: int = 1) -> Finding:
    return Finding(
        rule, level, match, Location("body", page=1, line=line), 0.9, context=match, span=(0, len(match))
    )


SECRET = finding("机密★5年", Level.SECRET)
INTERNAL = finding("工作秘密", Level.INTERNAL, rule="cn.work-secret")
TOP = finding("TOP SECRET//NOFORN", Level.TOP_SECRET, rule="us.banner")


def scan() -> ScanResult:
    return ScanResult(
        (
            FileResult("docs/a.txt", "text", Status.FLAGGED, Level.SECRET, findings=(SECRET, INTERNAL)),
            FileResult("docs/b.txt", "text", Status.FLAGGED, Level.INTERNAL, findings=(INTERNAL,)),
            FileResult("pack.zip", "zip", Status.FLAGGED, Level.TOP_SECRET),
            FileResult("pack.zip!in.zip", "zip", Status.FLAGGED, Level.TOP_SECRET),
            FileResult("pack.zip!in.zip!deep.txt", "text", Status.FLAGGED, Level.TOP_SECRET, findings=(TOP,)),
            FileResult("pack.zip!broken.docx", "docx", Status.ERROR, error="corrupt"),
            FileResult("clean.txt", "text", Status.CLEAN),
        )
    )


def keys(tmp_path: Path, result: ScanResult | None = None) -> PathKeys:
    return PathKeys(result or scan(), tmp_path, tmp_path)


def baseline_of(tmp_path: Path, wanted: list[tuple[str, Finding]], **extra: object) -> Baseline:
    waivers = [
        Waiver(fingerprint(f.rule, path, f.match), f.rule, path, f.level.label, f.match, **extra)  # type: ignore[arg-type]
        for path, f in wanted
    ]
    return Baseline(tuple(waivers), tmp_path / ".secscan-baseline.json")


def by_path(result: ScanResult) -> dict[str, FileResult]:
    return {f.path: f for f in result.files}


def test_fingerprint_ignores_the_line_and_normalises_the_match() -> None:
    assert fingerprint("r", "a.txt", "机密★10年") == fingerprint("r", "a.txt", "机密★１０年")
    assert fingerprint("r", "a.txt", "机密★10年") == fingerprint("r", "a.txt", "机 密 ★ 10年")
    assert fingerprint("r", "a.txt", "机密★10年") != fingerprint("r", "b.txt", "机密★10年")
    assert fingerprint("r", "a.zip!x.txt", "机密") != fingerprint("r", "a.zip", "机密")
    assert fingerprint("r", "a.txt", "机密") != fingerprint("q", "a.txt", "机密")


def test_a_file_whose_only_findings_are_waived_is_clean(tmp_path: Path) -> None:
    result = apply_baseline(scan(), baseline_of(tmp_path, [("docs/b.txt", INTERNAL)]), keys(tmp_path), TODAY)
    b = by_path(result)["docs/b.txt"]
    assert (b.status, b.level, b.findings) == (Status.CLEAN, Level.NONE, ())
    assert [w.match for w in b.waived] == ["工作秘密"] and b.waived[0].reasons[-1] == "waived by baseline"
    a = by_path(result)["docs/a.txt"]  # same finding in another file: not waived
    assert a.status == Status.FLAGGED and len(a.findings) == 2


def test_partly_waived_file_keeps_the_level_of_what_remains(tmp_path: Path) -> None:
    base = baseline_of(tmp_path, [("docs/a.txt", SECRET)], reason="template header", expires=date(2027, 1, 1))
    a = by_path(apply_baseline(scan(), base, keys(tmp_path), TODAY))["docs/a.txt"]
    assert (a.status, a.level, [f.rule for f in a.findings]) == (
        Status.FLAGGED,
        Level.INTERNAL,
        ["cn.work-secret"],
    )
    assert a.waived[0].reasons[-1] == "waived by baseline: template header (until 2027-01-01)"


def test_waiving_a_nested_member_rolls_the_archive_levels_back(tmp_path: Path) -> None:
    base = baseline_of(tmp_path, [("pack.zip!in.zip!deep.txt", TOP)])
    files = by_path(apply_baseline(scan(), base, keys(tmp_path), TODAY))
    assert files["pack.zip!in.zip!deep.txt"].status == Status.CLEAN
    assert (files["pack.zip!in.zip"].status, files["pack.zip!in.zip"].level) == (Status.CLEAN, Level.NONE)
    # The zip still holds a member that could not be read: it is an error, not clean.
    assert (files["pack.zip"].status, files["pack.zip"].level) == (Status.ERROR, Level.NONE)
    assert files["pack.zip"].error == "member broken.docx: corrupt"
    assert files["clean.txt"] is scan().files[-1] or files["clean.txt"] == scan().files[-1]


def test_waived_findings_do_not_count_for_the_exit_code(tmp_path: Path) -> None:
    only_text = ScanResult(scan().files[:2])
    base = baseline_of(tmp_path, [("docs/a.txt", SECRET), ("docs/a.txt", INTERNAL), ("docs/b.txt", INTERNAL)])
    assert exit_code(only_text, Level.INTERNAL) == 1
    assert exit_code(apply_baseline(only_text, base, keys(tmp_path), TODAY), Level.INTERNAL) == 0


@pytest.mark.parametrize("expires, applies", [(date(2026, 11, 24), False), (TODAY, True), (None, True)])
def test_an_expired_waiver_no_longer_applies(tmp_path: Path, expires: date | None, applies: bool) -> None:
    base = baseline_of(tmp_path, [("docs/b.txt", INTERNAL)], expires=expires)
    b = by_path(apply_baseline(scan(), base, keys(tmp_path), TODAY))["docs/b.txt"]
    assert (b.status == Status.CLEAN) is applies
    assert (len(base.expired(TODAY)) == 1) is not applies


def test_paths_are_relative_to_the_baseline_folder(tmp_path: Path) -> None:
    sub = tmp_path / "repo"
    plain = ScanResult(
        (FileResult("repo/docs/b.txt", "text", Status.FLAGGED, Level.INTERNAL, findings=(INTERNAL,)),)
    )
    dotted = ScanResult((replace(plain.files[0], path="./repo/docs/b.txt"),))
    made = build_baseline(plain, base_dir=sub, path_root=tmp_path)
    assert [w.path for w in made.waivers] == ["docs/b.txt"]
    applied = apply_baseline(dotted, made, PathKeys(dotted, sub, tmp_path), TODAY)
    assert applied.files[0].status == Status.CLEAN


def test_build_write_load_round_trip_keeps_reasons(tmp_path: Path) -> None:
    first = build_baseline(scan(), tmp_path, tmp_path)
    assert {w.path for w in first.waivers} == {"docs/a.txt", "docs/b.txt", "pack.zip!in.zip!deep.txt"}
    assert len(first.waivers) == 4
    reviewed = Baseline(tuple(replace(w, reason="ok", expires=date(2030, 1, 1)) for w in first.waivers))
    again = build_baseline(scan(), tmp_path, tmp_path, previous=reviewed)
    out = io.StringIO()
    write_baseline(again, out)
    path = tmp_path / ".secscan-baseline.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    loaded = load_baseline(path)
    assert loaded.waivers == again.waivers
    assert {(w.reason, w.expires) for w in loaded.waivers} == {("ok", date(2030, 1, 1))}
    document = json.loads(out.getvalue())
    assert document["schema"] == "secscan.gates.baseline/1" and "line" not in document["waivers"][0]


def test_redacted_baseline_keeps_no_matched_text(tmp_path: Path) -> None:
    made = build_baseline(scan(), tmp_path, tmp_path, redact=True)
    assert {w.match for w in made.waivers} == {""}


@pytest.mark.parametrize(
    "content, problem",
    [
        ("{", "not valid JSON"),
        ('{"schema": "other"}', "not a secscan baseline"),
        ('{"schema": "secscan.gates.baseline/1", "waivers": {}}', "must be a list"),
        (
            '{"schema": "secscan.gates.baseline/1", "waivers": [{"fingerprint": "abc"}]}',
            "waiver 1.*64 lower-case hex",
        ),
        (
            '{"schema": "secscan.gates.baseline/1", "waivers": [{"fingerprint": "'
            + "a" * 64
            + '", "expires": "soon"}]}',
            "waiver 1.*YYYY-MM-DD",
        ),
    ],
)
def test_a_broken_baseline_is_an_error_naming_the_file(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError, match=problem) as error:
        load_baseline(path)
    assert str(path) in str(error.value)
