"""The import directions of docs/architecture.md, checked on the source: a room may only touch what it may.

Every ``import`` and ``from … import`` in a module counts, at any depth (inside functions and
``TYPE_CHECKING`` blocks too): a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "secscan"
FAMILIES = ("text", "pdf", "office", "legacy", "metafile", "archives", "mail", "image")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


MODULES = {module_name(p): set(imports_of(p)) for p in sorted(PACKAGE.rglob("*.py"))}


def secscan_imports(module: str) -> set[str]:
    return {name for name in MODULES[module] if name == "secscan" or name.startswith("secscan.")}


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def family_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 3 and parts[1] == "extractors" and parts[2] in FAMILIES:
        return parts[2]
    return None


def test_model_imports_nothing_of_secscan() -> None:
    assert secscan_imports("secscan.model") == set()


@pytest.mark.parametrize("module", sorted(m for m in MODULES if within(m, "secscan.match")))
def test_match_imports_only_model_and_itself(module: str) -> None:
    allowed = ("secscan.model", "secscan.match", "secscan.errors")
    stray = {n for n in secscan_imports(module) if n != "secscan" and not any(within(n, a) for a in allowed)}
    assert stray == set(), f"{module} imports {sorted(stray)}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if within(m, "secscan.extractors")))
def test_extractors_stay_in_their_family(module: str) -> None:
    banned = ("secscan.match", "secscan.gates", "secscan.reporters", "secscan.cli", "secscan.engine")
    imported = secscan_imports(module)
    assert {n for n in imported if any(within(n, b) for b in banned)} == set()
    family = family_of(module)
    others = {
        n
        for n in imported
        if family_of(n) not in (None, family) and not within(n, "secscan.extractors._common")
    }
    assert others == set(), f"{module} ({family}) imports another family: {sorted(others)}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if within(m, "secscan.reporters")))
def test_reporters_take_a_result_not_the_engine(module: str) -> None:
    banned = ("secscan.extractors", "secscan.match", "secscan.engine", "secscan.cli", "secscan.ocr")
    assert {n for n in secscan_imports(module) if any(within(n, b) for b in banned)} == set()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_only_cli_knows_click(module: str) -> None:
    if within(module, "secscan.cli"):
        return
    assert not any(within(n, "click") for n in MODULES[module]), f"{module} imports click"


def test_the_tree_stays_small_enough_to_read() -> None:
    top_level = [p for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    assert len(top_level) <= 8, sorted(p.name for p in top_level)
    for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__")]:
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        assert len(modules) <= 20, f"{folder} holds {len(modules)} modules"
