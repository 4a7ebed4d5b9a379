"""Weights page (AppTest on a copy of the mini study): weights typed in the user's language,
refusals that name the box and keep the value, capped weights, helper weights shown as typed."""

from __future__ import annotations

import pytest
from test_app import app, make_study_dir, page

NBSP = "\u00a0"


@pytest.fixture
def mini_dir(tmp_path, monkeypatch):
    crit = make_study_dir(tmp_path)
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(crit))
    return crit


def weights_page(lang: str):
    at = app(lang)
    at.run()
    return page(at, "weights")


def shares(at) -> list[str]:
    return [m.value for m in at.markdown]


def test_french_decimal_comma_is_twelve_and_a_half(mini_dir):
    at = weights_page("fr")
    at.text_input(key="w_cost").input("12,5").run()
    assert not at.exception and not at.error
    assert at.session_state["wb_weights"]["cost"] == 12.5  # not 125
    assert at.text_input(key="w_cost").value == "12,5"
    # legal 2 : cost 12.5 -> cost's global share 12.5 / 14.5
    assert f"**86,2{NBSP}%**" in shares(at)


def test_english_decimal_point(mini_dir):
    at = weights_page("en")
    at.text_input(key="w_cost").input("12.5").run()
    assert at.session_state["wb_weights"]["cost"] == 12.5
    assert "**86.2%**" in shares(at)


@pytest.mark.parametrize(
    ("lang", "typed", "reason"),
    [
        ("fr", "12.5", "en français, les décimales s'écrivent avec une virgule (12,5)."),
        ("en", "12,5", "in English, decimals are written with a point (12.5)."),
        ("fr", "douze", "ce n'est pas un nombre."),
        ("fr", "-5", "le minimum est 0."),
        ("fr", "1000000000000", "le maximum est 1000."),
        ("en", "1e12", "it is not a number."),
        ("en", "", "no number was entered."),
    ],
)
def test_unreadable_or_out_of_range_is_refused_naming_the_box(mini_dir, lang, typed, reason):
    at = weights_page(lang)
    at.text_input(key="w_cost").input(typed).run()
    assert not at.exception
    field = "Poids de « Coût »" if lang == "fr" else 'Weight of "Cost"'
    [error] = [e.value for e in at.error]
    assert error.startswith(field) and reason in error
    assert ("La valeur précédente (1) est gardée." if lang == "fr" else "The previous value (1) is kept.") in error
    assert at.session_state["wb_weights"]["cost"] == 1.0  # the weight in force did not move
    assert at.text_input(key="w_cost").value == "1"  # the box shows it again
    at.run()
    assert not at.error  # said once


def test_weights_follow_a_language_switch(mini_dir):
    at = weights_page("fr")
    at.text_input(key="w_cost").input("12,5").run()
    at.sidebar.radio(key="wb_lang").set_value("en").run()
    assert at.text_input(key="w_cost").value == "12.5"
    at.text_input(key="w_cost").input("2.5").run()
    assert not at.error and at.session_state["wb_weights"]["cost"] == 2.5


def test_roc_weights_show_as_typed_in_french(mini_dir):
    at = weights_page("fr")
    at.multiselect(key="roc_order_legal-cost").select("legal").select("cost").run()
    at.button(key="roc_apply").click().run()
    assert not at.exception
    # ROC for 2: 75 % and 25 %, as points out of 100 to one decimal
    assert at.text_input(key="w_legal").value == "75"
    assert at.text_input(key="w_cost").value == "25"
    at.selectbox(key="roc_group").set_value("legal").run()
    at.multiselect(key="roc_order_exposure-residency").select("residency").select("exposure").run()
    at.button(key="roc_apply").click().run()
    assert at.text_input(key="w_residency").value == "75"
    assert all("." not in ti.value for ti in at.text_input if ti.key and ti.key.startswith("w_"))
