"""The HTML report's only styling and script, inline, and the policy that forbids everything else.

Kept apart from ``html.py`` so the markup logic reads on its own. The policy
allows inline style, images written into the page itself (``data:`` URIs: the
evidence crops), and exactly one script, named by its sha256 hash: the few
lines below that filter and sort the tables. No other script runs, even one a
bug in escaping let into the page; nothing is fetched, framed or submitted.
Without the script (a mail client, a browser with scripts off) the page is the
same page with every row shown and the filter form hidden.
"""

from __future__ import annotations

import base64
import hashlib

# Filter: every element with data-level / data-status / data-change is hidden unless it fits the
# form; the page's address may preset it (report.html#level=secret&status=flagged). Sort: a click
# on a header of a table.sortable orders its body by that column (data-sort first, then numbers,
# then text); a second click reverses.
SCRIPT = """(function () {
  var form = document.getElementById("filter");
  if (!form) return;
  form.hidden = false;
  var items = document.querySelectorAll("[data-level],[data-status],[data-change]");
  function fits(element, key, wanted) {
    return !wanted || element.dataset[key] === undefined || element.dataset[key] === wanted;
  }
  function apply() {
    items.forEach(function (element) {
      element.hidden = !(fits(element, "level", form.elements.level.value) &&
        fits(element, "status", form.elements.status.value) &&
        fits(element, "change", form.elements.change ? form.elements.change.value : ""));
    });
  }
  form.addEventListener("change", apply);
  location.hash.slice(1).split("&").forEach(function (pair) {
    var field = form.elements[pair.split("=")[0]];
    if (field && field.tagName === "SELECT") field.value = decodeURIComponent(pair.split("=")[1] || "");
  });
  apply();
  function key(row, column) {
    var cell = row.children[column];
    var text = cell ? (cell.dataset.sort || cell.textContent.trim()) : "";
    return isNaN(parseFloat(text)) ? text : parseFloat(text);
  }
  document.querySelectorAll("table.sortable thead th").forEach(function (head) {
    head.tabIndex = 0;
    head.addEventListener("click", function () {
      var body = head.closest("table").tBodies[0], column = head.cellIndex;
      var down = head.dataset.order !== "down";
      head.dataset.order = down ? "down" : "up";
      Array.from(body.rows).sort(function (a, b) {
        var x = key(a, column), y = key(b, column);
        return (x < y ? -1 : x > y ? 1 : 0) * (down ? -1 : 1);
      }).forEach(function (row) { body.appendChild(row); });
    });
  });
})();"""

SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    f"script-src '{SCRIPT_HASH}'; base-uri 'none'; form-action 'none'"
)

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
margin:2em auto;max-width:76em;padding:0 1em;color:#1d1d1f;background:#fff}
h1{font-size:1.6em;margin:0 0 .3em}h2{font-size:1.1em;margin:1.6em 0 .4em}
.verdict{font-weight:600;font-size:1.1em}
table{border-collapse:collapse;width:100%;margin:.3em 0}
th,td{border:1px solid #d0d0d5;padding:.25em .5em;text-align:left;vertical-align:top}
thead th{background:#f3f3f6}
code{font-family:ui-monospace,"SFMono-Regular",Consolas,monospace;word-break:break-all}
.ctx{white-space:pre-wrap;word-break:break-word}
mark{background:#ffe066;padding:0 .1em;font-weight:600}
.meta{color:#555;margin:.1em 0}.error{color:#a40000;font-weight:600}
.badge{display:inline-block;border-radius:.3em;padding:0 .45em;color:#fff;font-size:.85em;background:#2e7d32}
.badge.lv-top-secret{background:#8b0000}.badge.lv-secret{background:#c62828}
.badge.lv-confidential{background:#ad1457}.badge.lv-internal{background:#b26a00}
tr.waived td,tr.candidate td{color:#777}tr.waived td:first-child::after{content:" (waived)"}
tr.st-error td:first-child{color:#a40000;font-weight:600}
section.file{border-left:4px solid #c62828;padding-left:.8em}
footer{margin-top:2em;color:#888;font-size:.85em}
[hidden]{display:none!important}
#filter{margin:1em 0;padding:.5em .8em;background:#f3f3f6;border-radius:.3em}#filter label{margin-right:1.2em}
table.sortable thead th{cursor:pointer}table.sortable thead th[data-order=down]::after{content:" \\25BE"}
table.sortable thead th[data-order=up]::after{content:" \\25B4"}
td.share{width:30%}.folders th,.folders td{white-space:nowrap}.folders code{word-break:normal}
.bar{display:block;height:.9em;background:#2e7d32;min-width:2px}
.bar.lv-top-secret{background:#8b0000}.bar.lv-secret{background:#c62828}
.bar.lv-confidential{background:#ad1457}.bar.lv-internal{background:#b26a00}
tfoot th,tfoot td{font-weight:600;background:#fafafa}
.evidence img{display:block;max-width:100%;height:auto;border:1px solid #d0d0d5;margin-top:.3em}
.evidence .left-out{color:#777;font-size:.85em}
tr.ch-new td:first-child,tr.ch-level-up td:first-child{color:#a40000;font-weight:600}
@media print{
body{margin:0;max-width:none;font-size:9.5pt}#filter{display:none}
section.file,tr{break-inside:avoid}thead{display:table-header-group}h2{break-after:avoid}
.badge,.bar,mark{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.evidence img{max-width:70mm}
}
"""
