"""The method registry: the shipped methods, their order, and the documentation table made from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.methods import get_method, method_label, method_names

ROOT = Path(__file__).resolve().parent.parent


def test_the_shipped_methods_in_menu_order():
    assert method_names() == ("weighted-sum", "weighted-product", "topsis", "promethee-ii", "vikor")
    assert [get_method(m).higher_is_better for m in method_names()] == [True, True, True, True, False]
    assert [get_method(m).linear for m in method_names()] == [True, False, False, True, False]
    assert not get_method("promethee-ii").normalizable
    assert method_label("weighted-sum", "fr") == "Somme pondérée"
    assert method_label("weighted-product", "en") == "Weighted product"


def test_an_unknown_method_is_a_sentence_naming_the_known_ones():
    with pytest.raises(WorkbenchError, match="unknown method 'nope'; choose one of: weighted-sum, "):
        get_method("nope")


def test_the_documentation_table_is_the_registry():
    from workbench.cli.methods import markdown_table

    text = (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
    block = text.split("<!-- methods-table: start -->\n", 1)[1].split("\n<!-- methods-table: end -->", 1)[0]
    assert block == markdown_table()
    assert len(block.splitlines()) == 2 + len(method_names())
