"""The documentation the code cites exists: every ``docs/...md#anchor`` resolves to a heading.

Code, patterns and ``secscan explain`` send readers to ``docs/markings/*.md``; a renamed heading
or a typo in a citation would send them nowhere. Anchors are computed the way GitHub renders
them (lower case, punctuation dropped, spaces to hyphens, ``-1`` for a repeated heading), so a
citation that passes here also works on the hosted page. The internal reference the pages
replaced (``markings.md``) must not be cited any more: users of the package never have it.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from locations import REPO

from secscan.cli import main

CITATION = re.compile(r"docs/(?:[\w-]+/)*[\w-]+\.md(?:#[\w-]+)?")
LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")
OLD_SECTION = re.compile(r"§\d+\.\d+")  # the internal reference's numbering, e.g. §2.10


def slug(heading: str) -> str:
    """GitHub's anchor for a heading's text."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link shows its text
    text = text.replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@cache
def anchors(page: Path) -> frozenset[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    fenced = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        found.update(HTML_ANCHOR.findall(line))
        heading = HEADING.match(line)
        if heading:
            base = slug(heading.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return frozenset(found)


def cited_files() -> list[Path]:
    files = [*sorted((REPO / "secscan").rglob("*.py")), *sorted((REPO / "patterns").glob("*.toml"))]
    tests = [p for p in sorted((REPO / "tests").rglob("*.py")) if p.name != "test_docs.py"]  # holds bad ones
    return [*files, *tests, REPO / "README.md"]


def citations() -> list[tuple[str, str]]:
    """(where, citation) for every docs citation in code, patterns, tests and the README."""
    out = []
    for path in cited_files():
        text = path.read_text(encoding="utf-8")
        out += [(str(path.relative_to(REPO)), c) for c in sorted(set(CITATION.findall(text)))]
    return out


def doc_links() -> list[tuple[str, Path, str]]:
    """(where, target file, anchor) for every relative link in the README and docs/."""
    out = []
    for page in [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue  # an absolute URL: not ours to check offline
            file_part, _, anchor = target.partition("#")
            resolved = (page.parent / file_part).resolve() if file_part else page
            out.append((str(page.relative_to(REPO)), resolved, anchor))
    return out


def problem(page: Path, anchor: str) -> str | None:
    if not page.is_file():
        return f"no file {page}"
    if anchor and anchor not in anchors(page):
        return f"no heading #{anchor} in {page.name}"
    return None


def test_slugs_follow_github() -> None:
    assert slug("Work secrets and internal") == "work-secrets-and-internal"
    assert slug("The mark (国家秘密标志)") == "the-mark-国家秘密标志"
    assert slug("Why `CUI` matters, briefly!") == "why-cui-matters-briefly"
    assert slug("F12") == "f12"


def test_there_are_citations_to_check() -> None:
    # Guards the guard: a broken regex would make the next test pass on nothing.
    cited = {c for _, c in citations()}
    assert "docs/markings/china.md" in cited
    assert any(c.startswith("docs/markings/china.md#") for c in cited)


@pytest.mark.parametrize("where, citation", citations())
def test_citation_resolves(where: str, citation: str) -> None:
    file_part, _, anchor = citation.partition("#")
    assert problem(REPO / file_part, anchor) is None, (
        f"{where} cites {citation}: {problem(REPO / file_part, anchor)}"
    )


@pytest.mark.parametrize("where, target, anchor", doc_links())
def test_docs_links_resolve(where: str, target: Path, anchor: str) -> None:
    assert problem(target, anchor) is None, f"{where}: {problem(target, anchor)}"


def test_a_broken_citation_is_caught() -> None:
    assert problem(REPO / "docs/markings/china.md", "no-such-heading") is not None
    assert problem(REPO / "docs/markings/nowhere.md", "") is not None
    assert problem(REPO / "docs/markings/traps.md", "f48") is None


@pytest.mark.parametrize(
    "path",
    [*sorted((REPO / "secscan").rglob("*.py")), *sorted((REPO / "patterns").glob("*.toml"))],
    ids=lambda p: str(p.relative_to(REPO)),
)
def test_the_internal_reference_is_not_cited(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "markings.md" not in text
    assert OLD_SECTION.search(text) is None, f"old section number {OLD_SECTION.search(text)}"


@pytest.mark.parametrize("path", sorted((REPO / "patterns").glob("*.toml")), ids=lambda p: p.name)
def test_every_pattern_file_cites_its_page(path: Path) -> None:
    # `secscan explain` takes a rule's page from its file's leading comment.
    header = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    assert CITATION.search("\n".join(header)), (
        f"{path.name}: no docs/markings citation in the leading comment"
    )


@pytest.mark.parametrize(
    "rule, page",
    [
        ("cn.commercial-secret", "docs/markings/china.md#commercial-secrets"),
        ("us.capco.banner", "docs/markings/us.md"),
        ("nato.classification", "docs/markings/README.md#why-these-levels"),
    ],
)
def test_explain_prints_the_page_and_its_local_copy(rule: str, page: str) -> None:
    result = CliRunner().invoke(main, ["explain", rule])
    assert result.exit_code == 0, result.output
    assert page in result.output
    local = re.search(r"local copy:\s+(\S+\.md)", result.output)
    assert local is not None and Path(local.group(1)).is_file(), result.output


def test_the_wheel_ships_the_pages() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert shipped.get("docs/markings") == "secscan/docs/markings"
