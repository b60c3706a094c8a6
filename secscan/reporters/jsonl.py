"""JSON Lines report (`--format jsonl`): one file object per line as files finish,
then a last line ``{"summary": {...}}`` (report-contract.md). Suited to huge audits
that are piped into other tools while the scan is still running. With ``--compare`` each
line has its ``change`` and the last line a ``gone`` list beside the summary.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from secscan.model import FileResult, ScanResult
from secscan.reporters import ReportOptions
from secscan.reporters.json import file_to_dict, gone_to_list, summary_to_dict
from secscan.reporters.safe_text import json_inert


def write_file(result: FileResult, out: TextIO, options: ReportOptions) -> None:
    out.write(json_inert(json.dumps(file_to_dict(result, options), ensure_ascii=False)) + "\n")
    out.flush()


def write_entry(results: Sequence[FileResult], out: TextIO, options: ReportOptions) -> None:
    for result in results:
        write_file(result, out, options)


def write_summary(result: ScanResult, out: TextIO, options: ReportOptions) -> None:
    last: dict[str, Any] = {"summary": summary_to_dict(result.summary)}
    if options.compare is not None:
        last["gone"] = gone_to_list(result, options)  # known only once every file was seen
    out.write(json_inert(json.dumps(last, ensure_ascii=False)) + "\n")


def write(result: ScanResult, out: TextIO, options: ReportOptions) -> None:
    for file_result in result.files:
        write_file(file_result, out, options)
    write_summary(result, out, options)
