"""SARIF 2.1.0 report (`--format sarif`) for GitHub code scanning and other SARIF viewers.

Built by hand with the json module: the log is a few nested dicts, and the
SARIF object-model packages add a dependency without adding safety. The tests
validate every log against the official OASIS 2.1.0 schema.

Choices a SARIF consumer relies on:

* levels: top-secret and secret are ``error``, confidential and internal
  ``warning``, a declassified or suppressed candidate ``note``;
* an archive member ``a.zip!b/c.docx`` is located at the archive (the only file
  a repository holds) and named in ``logicalLocations`` and ``properties.member``;
* every result has ``region.startLine`` (GitHub requires it): the line within
  the part when known, else 1, with the page and part in ``properties``;
* ``partialFingerprints`` carry the baseline fingerprint basis (rule, path,
  match), not a line, so alerts survive edits;
* a file that could not be read is a ``toolExecutionNotifications`` entry of
  level ``error`` and makes ``executionSuccessful`` false;
* waived findings are results with an ``external`` suppression.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any, TextIO
from urllib.parse import quote

from secscan import __version__
from secscan.gates.baseline import fingerprint
from secscan.gates.memberpath import MemberPaths
from secscan.model import FileResult, Finding, Level, ScanResult, Status
from secscan.reporters import ReportOptions
from secscan.reporters.json import summary_to_dict
from secscan.reporters.redact import redact_result
from secscan.reporters.safe_text import json_inert
from secscan.reporters.sarif_rules import SARIF_LEVEL, rule_descriptors
from secscan.reporters.wording import MISMATCH_RULE, mismatch_sentence

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/secscan/secscan"


def write(result: ScanResult, out: TextIO, options: ReportOptions) -> None:
    out.write(json_inert(json.dumps(build_log(result, options), ensure_ascii=False, indent=2)) + "\n")


def build_log(result: ScanResult, options: ReportOptions) -> dict[str, Any]:
    result = redact_result(result, options.redact)
    paths = MemberPaths(f.path for f in result.files)
    everything = [f for fr in result.files for f in (*fr.findings, *fr.waived, *fr.suppressed)]
    rules, index = rule_descriptors(everything, options.catalog)
    results = _results(result, paths, index, options)
    notifications = [
        _notification(f, paths) for f in result.files if f.status in (Status.ERROR, Status.SKIPPED)
    ]
    summary = result.summary
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "secscan",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "invocations": [
            {
                "executionSuccessful": summary.errors + summary.member_errors == 0,
                "toolExecutionNotifications": notifications,
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "summary": summary_to_dict(summary),
            "failOn": options.fail_on.label if options.fail_on is not None else "never",
            "redacted": options.redact,
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _results(
    result: ScanResult, paths: MemberPaths, index: dict[str, int], options: ReportOptions
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for file_result in result.files:
        for finding in file_result.findings:
            results.append(_result(file_result, finding, paths, index, options))
        for finding in file_result.waived:
            entry = _result(file_result, finding, paths, index, options)
            entry["suppressions"] = [_suppression(finding)]
            results.append(entry)
        if file_result.label_mismatch is not None:
            results.append(_mismatch_result(file_result, paths, options))
        for finding in file_result.suppressed:  # candidates below the threshold (--show-suppressed)
            entry = _result(file_result, finding, paths, index, options)
            entry["level"] = "note"
            entry["properties"]["candidate"] = True
            results.append(entry)
    return results


def _mismatch_result(file_result: FileResult, paths: MemberPaths, options: ReportOptions) -> dict[str, Any]:
    assert file_result.label_mismatch is not None
    found = file_result.label_mismatch
    on_disk, member = paths.split(file_result.path)
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(on_disk)}}}
    if member is not None:
        location["logicalLocations"] = [{"name": member, "fullyQualifiedName": file_result.path}]
    return {
        "ruleId": MISMATCH_RULE,
        "level": "warning",
        "message": {"text": mismatch_sentence(found, options.redact)},
        "locations": [location],
        "properties": {"label": found.label.label, "visible": found.visible.label},
    }


def artifact_uri(path: str) -> str:
    """A relative URI for a relative path, a file: URI for an absolute one (both kinds GitHub takes)."""
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return "file://" + quote(posix)
    if len(posix) > 2 and posix[1] == ":" and posix[2] == "/":  # a Windows drive path
        return "file:///" + posix[:2] + quote(posix[2:])
    return quote(str(PurePosixPath(posix)) if posix not in ("", "-") else posix)


def _result(
    file_result: FileResult,
    finding: Finding,
    paths: MemberPaths,
    index: dict[str, int],
    options: ReportOptions,
) -> dict[str, Any]:
    on_disk, member = paths.split(file_result.path)
    loc = finding.location
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(on_disk)},
            "region": {"startLine": loc.line or 1},
        }
    }
    if member is not None:
        location["logicalLocations"] = [{"name": member, "fullyQualifiedName": file_result.path}]
    properties: dict[str, Any] = {
        "secscanLevel": finding.level.label,
        "part": loc.part,
        "confidence": round(finding.confidence, 2),
    }
    optional = {"member": member, "page": loc.page, "line": loc.line, "origin": loc.origin or None}
    properties.update({k: v for k, v in optional.items() if v is not None})
    if finding.original_level is not None:
        properties["originalLevel"] = finding.original_level.label
    if finding.reasons:
        properties["reasons"] = list(finding.reasons)
    return {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": SARIF_LEVEL[finding.level],
        "message": {"text": _message(file_result, finding, member, options)},
        "locations": [location],
        # Rule + path + normalised match, no line (the baseline's basis), so an alert survives
        # edits elsewhere in the file. A redacted log hashes "[redacted]": stable, and no leak.
        "partialFingerprints": {
            "secscanFinding/v1": fingerprint(finding.rule, file_result.path, finding.match)
        },
        "properties": properties,
    }


def _message(file_result: FileResult, finding: Finding, member: str | None, options: ReportOptions) -> str:
    loc = finding.location
    where = [loc.part]
    if loc.page is not None:
        where.append(f"page {loc.page}")
    if loc.line is not None:
        where.append(f"line {loc.line}")
    inside = f" of member {member}" if member else ""
    what = "" if options.redact else f" '{finding.match}'"
    level = finding.level.label if finding.level is not Level.NONE else "declassified"
    return f"{level.capitalize()} marking{what} in the {' '.join(where)}{inside} ({finding.rule})."


def _suppression(finding: Finding) -> dict[str, Any]:
    why = [r for r in finding.reasons if r.startswith("waived")]
    return {
        "kind": "external",
        "status": "accepted",
        "justification": "; ".join(why) or "waived by the baseline",
    }


def _notification(file_result: FileResult, paths: MemberPaths) -> dict[str, Any]:
    on_disk, member = paths.split(file_result.path)
    failed = file_result.status == Status.ERROR
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(on_disk)}}}
    if member is not None:
        location["logicalLocations"] = [{"name": member, "fullyQualifiedName": file_result.path}]
    verb = "could not be read" if failed else "was skipped"
    return {
        "level": "error" if failed else "note",
        "message": {"text": f"{file_result.path} {verb}: {file_result.error or 'no reason given'}"},
        "locations": [location],
        "descriptor": {"id": "secscan/unreadable" if failed else "secscan/skipped"},
        "properties": {"path": file_result.path, "status": file_result.status},
    }
