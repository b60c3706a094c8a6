"""The HTML report's only styling, inline, and the policy that forbids everything else.

Kept apart from ``html.py`` so the markup logic reads on its own. The policy
allows inline style and nothing more: no script, no fetch, no frame, no font,
no image from anywhere, so even a bug in escaping cannot make the page act.
"""

from __future__ import annotations

CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

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
@media print{section.file{break-inside:avoid}}
"""
