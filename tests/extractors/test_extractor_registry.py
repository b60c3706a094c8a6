"""The extractor registry cannot drift from detect or from the modules it names."""

from __future__ import annotations

import importlib

import pytest

from secscan.extractors import EXTRACTORS, UNSUPPORTED, get_extractor
from secscan.model import FileKind


@pytest.mark.parametrize("kind", list(FileKind))
def test_every_kind_is_registered_or_knowingly_unsupported(kind: FileKind) -> None:
    assert (kind in EXTRACTORS) != (kind in UNSUPPORTED), kind
    assert (get_extractor(kind) is None) == (kind in UNSUPPORTED)


@pytest.mark.parametrize("kind, module_name", sorted(EXTRACTORS.items()))
def test_registered_module_declares_the_kind_and_exposes_extract(kind: FileKind, module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert callable(module.extract)
    assert kind in module.KINDS


@pytest.mark.parametrize("module_name", sorted(set(EXTRACTORS.values())))
def test_a_module_reads_only_the_kinds_registered_to_it(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert {kind for kind, name in EXTRACTORS.items() if name == module_name} == module.KINDS
