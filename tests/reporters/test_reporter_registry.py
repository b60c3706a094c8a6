"""Every registered reporter satisfies the Reporter protocol; text, jsonl and json stream, the rest do not."""

from __future__ import annotations

import io

import pytest

from secscan.model import FileResult, ScanResult, Status
from secscan.reporters import REPORTERS, ReportOptions, StreamingReporter, entries, get_reporter
from secscan.reporters import json as json_report
from tests.sample_result import sample_result


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_registered_reporter_writes(name: str) -> None:
    reporter = get_reporter(name)
    assert callable(reporter.write)
    assert isinstance(reporter, StreamingReporter) == (name in ("json", "jsonl", "text"))


def test_an_unknown_format_is_named() -> None:
    with pytest.raises(ValueError, match="no such reporter: 'xml'"):
        get_reporter("xml")


def test_the_json_report_streamed_is_the_json_report_written_whole() -> None:
    """Entry by entry (clean ones let go), then the summary: the same bytes as one document."""
    whole_result = sample_result()
    for options in (ReportOptions(), ReportOptions(redact=True)):
        whole, streamed = io.StringIO(), io.StringIO()
        json_report.write(whole_result, whole, options)
        kept: list[FileResult] = []
        let_go = 0
        for batch in entries(list(whole_result.files)):
            json_report.write_entry(batch, streamed, options)
            if all(r.status == Status.CLEAN for r in batch) and len(batch) == 1:
                let_go += 1
            else:
                kept.extend(batch)
        json_report.write_summary(ScanResult(tuple(kept), let_go), streamed, options)
        assert streamed.getvalue() == whole.getvalue()
    empty_whole, empty_streamed = io.StringIO(), io.StringIO()
    json_report.write(ScanResult(()), empty_whole, ReportOptions())
    json_report.write_summary(ScanResult(()), empty_streamed, ReportOptions())
    assert empty_streamed.getvalue() == empty_whole.getvalue()
