"""Weights page (AppTest on a copy of the mini study): weights typed in the user's language,
refusals that name the box and keep the value, capped weights, helper weights shown as typed."""

from __future__ import annotations

import numpy as np
import pytest
from test_app import app, make_study_dir, page

from workbench.study import load_study
from workbench.weights import (
    ahp,
    judgement_pairs,
    most_inconsistent,
    observed_swings,
    pairwise_matrix,
    verbal_step,
    verbal_value,
)

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


def test_typed_weights_stay_when_leaving_the_page_and_coming_back(mini_dir):
    at = weights_page("fr")
    at.text_input(key="w_cost").input("12,5").run()
    page(at, "compare")  # Streamlit forgets the boxes of a page that is not shown
    page(at, "weights")
    assert at.text_input(key="w_cost").value == "12,5"
    assert at.text_input(key="w_legal").value == "2"


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


# --- guided weighting: engine ------------------------------------------------------------------------

WANG_CHIN_2011 = [  # also in test_published_examples: λmax 7.4199, CR 0.2290
    [1, 4, 3, 1, 3, 4],
    [1 / 4, 1, 7, 3, 1 / 5, 1],
    [1 / 3, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 6],
    [1, 1 / 3, 5, 1, 1, 1 / 3],
    [1 / 3, 5, 5, 1, 1, 3],
    [1 / 4, 1, 6, 3, 1 / 3, 1],
]


def test_most_inconsistent_judgement_of_a_published_inconsistent_matrix():
    """Wang & Chin (2011)'s 6×6 matrix (CR 0.229): a_13 = 3 fits the others least; their priorities
    imply about 9.2. Ergu et al.'s (2011) induced bias matrix C = A·W − n·W (W_ij = w_i/w_j),
    computed here independently, points at the same cell."""
    result = ahp(list("abcdef"), WANG_CHIN_2011)
    w = np.array(list(result.weights.values()))
    worst = most_inconsistent(WANG_CHIN_2011, w)
    assert (worst.i, worst.j, worst.given) == (0, 2, 3.0)
    assert worst.implied == pytest.approx(0.3208 / 0.0348, rel=2e-3)
    assert worst.factor == pytest.approx(0.325, abs=1e-3)  # judged about 3 times too weak
    ratios = w[:, None] / w[None, :]
    bias = np.asarray(WANG_CHIN_2011) @ ratios - 6 * ratios
    assert np.unravel_index(np.argmax(np.abs(bias)), bias.shape) == (0, 2)
    fixed = np.array(WANG_CHIN_2011, dtype=float)
    fixed[0, 2], fixed[2, 0] = 9, 1 / 9  # the verbal answer nearest to 9.2
    assert ahp(list("abcdef"), fixed).cr < result.cr
    assert verbal_step(worst.implied) == 4  # 'extremely'


def test_one_perturbed_judgement_of_a_consistent_matrix_is_found():
    w = np.array([0.4, 0.25, 0.15, 0.12, 0.08])
    matrix = w[:, None] / w[None, :]
    matrix[1, 3], matrix[3, 1] = 1 / 4, 4  # consistent value 2.08, answered the other way round
    result = ahp(list("abcde"), matrix)
    worst = most_inconsistent(matrix, list(result.weights.values()))
    assert (worst.i, worst.j) == (1, 3) and worst.given == 0.25
    assert most_inconsistent([[1, 3], [1 / 3, 1]], [0.75, 0.25]) is None  # two criteria: always consistent


def test_with_three_criteria_the_tie_goes_to_the_first_judgement_asked():
    """Legal 5x cost, legal 3x support, cost 5x support: on a log scale every judgement is equally far
    from what the priorities imply, so the first one asked is named, whatever the rounding."""
    matrix = pairwise_matrix(3, {(0, 1): 5, (0, 2): 3, (1, 2): 5})
    result = ahp(list("abc"), matrix)
    worst = most_inconsistent(matrix, list(result.weights.values()))
    assert (worst.i, worst.j, worst.given) == (0, 1, 5)
    for perm in ([0, 2, 1], [1, 0, 2], [2, 1, 0]):  # the same answers asked in another order
        p = np.asarray(matrix)[np.ix_(perm, perm)]
        w = ahp(list("abc"), p).weights.values()
        again = most_inconsistent(p, list(w))
        assert again.i < again.j and (again.i, again.j) == (0, 1)


def test_verbal_scale_and_questionnaire_matrix():
    assert [verbal_value(s) for s in range(-4, 5)] == pytest.approx([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9])
    assert [verbal_step(v) for v in (1, 2.5, 4.1, 0.12, 30)] == [0, 1, 2, -4, 4]
    assert judgement_pairs(3) == [(0, 1), (0, 2), (1, 2)]
    a = pairwise_matrix(3, {(0, 1): 5, (1, 2): 1 / 3})
    np.testing.assert_allclose(a, [[1, 5, 1], [1 / 5, 1, 1 / 3], [1, 3, 1]])
    with pytest.raises(ValueError):
        pairwise_matrix(3, {(1, 0): 5})


def test_swings_are_the_options_worst_and_best_levels(mini_dir):
    study = load_study(mini_dir / "mini.yaml")
    swings = observed_swings(study.leaves, study.matrix)
    assert (swings["exposure"].worst, swings["exposure"].best) == (2, 8)  # scale 0-10, options 8, 2, 5
    assert (swings["cost"].worst, swings["cost"].best) == (60, 20)  # a cost: the highest is worst
    assert (swings["residency"].worst, swings["residency"].best) == (1, 2)


# --- guided weighting: the page ----------------------------------------------------------------------


@pytest.fixture
def three_dir(tmp_path, monkeypatch):
    """The mini study with a third top-level criterion (support), for a three-pair questionnaire."""
    crit = make_study_dir(tmp_path)
    path = crit / "mini.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  - id: support\n    name: {en: Support, fr: Soutien}\n    weight: 1\n    direction: benefit\n"
        "    scale: {min: 0, max: 10, unit: points}\n",
        encoding="utf-8",
    )
    for pid, value in (("alpha", 4), ("beta", 9), ("gamma", 6)):
        profile = tmp_path / "providers" / f"{pid}.yaml"
        profile.write_text(
            profile.read_text(encoding="utf-8").replace("scores:\n", f"scores:\n  support: {value}\n"), encoding="utf-8"
        )
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(crit))
    return crit


def answer(at, group: str, step: int):
    at.radio(key=f"ahp_q_{group}").set_value(step)
    return at.button(key="ahp_next").click().run()


def test_ahp_questionnaire_one_pair_at_a_time(three_dir):
    at = weights_page("fr")
    group = "legal-cost-support"
    assert at.radio(key=f"ahp_q_{group}").options[0] == "« Juridique » est extrêmement plus important que « Coût »"
    assert at.radio(key=f"ahp_q_{group}").options[4] == "« Juridique » et « Coût » sont également importants"
    assert any(m.value.startswith("**Question 1 sur 3**") for m in at.markdown)
    at.radio(key=f"ahp_q_{group}").set_value(2).run()
    assert "Autrement dit, « Coût » pèse 1/5 de « Juridique »." in [c.value for c in at.caption]
    at.button(key="ahp_next").click().run()
    assert at.get("progress")[0].proto.text == "1 paire(s) sur 3 avec une réponse"
    assert any(m.value.startswith("**Question 2 sur 3**") for m in at.markdown)
    assert at.radio(key=f"ahp_q_{group}").value == 0  # a new pair starts at 'equally'
    answer(at, group, 1)  # legal moderately more important than support
    # cost strongly more important than support: inconsistent with legal >> cost
    answer(at, group, 2)
    assert not at.exception
    [warning] = [w.value for w in at.warning]
    assert warning.startswith(f"Réponses peu cohérentes{NBSP}: ratio de cohérence (CR)")
    assert "La réponse qui s'accorde le moins avec les autres" in warning
    # legal 5× cost and cost 5× support, yet legal only 3× support: the first answer fits least
    assert (
        "« Juridique » est fortement plus important que « Coût »; vos autres réponses suggèrent plutôt"
        f"{NBSP}: « Juridique » est modérément plus important que « Coût »."
    ) in warning
    at.button(key="ahp_review").click().run()
    assert any(m.value.startswith("**Question 1 sur 3**") for m in at.markdown)
    assert at.radio(key=f"ahp_q_{group}").value == 2  # the answer given is shown again
    answer(at, group, 0)  # legal and cost equally important: CR 0.025
    assert not at.warning
    assert any(c.value.startswith(f"Ratio de cohérence (CR){NBSP}: 0,03, sous le seuil de 0,10.") for c in at.caption)
    shares = next(d.value for d in at.dataframe if "Part" in d.value.columns)
    assert list(shares["Critère"]) == ["Juridique", "Coût", "Soutien"]
    assert list(shares["Part"]) == [f"40,5{NBSP}%", f"48,1{NBSP}%", f"11,4{NBSP}%"]
    at.button(key="ahp_apply").click().run()
    weights = at.session_state["wb_weights"]
    assert (weights["legal"], weights["cost"], weights["support"]) == (40.5, 48.1, 11.4)
    assert at.text_input(key="w_legal").value == "40,5"
    assert all("." not in ti.value for ti in at.text_input if ti.key and ti.key.startswith("w_"))


def test_swing_shows_each_criterions_levels_in_the_study(mini_dir):
    at = weights_page("fr")
    options = at.radio(key="swing_top_legal-cost").options
    assert options == [
        f"Juridique{NBSP}: Exposition 2 points → 8 points ; Résidence canada → quebec",
        f"Coût{NBSP}: 60 M CAD → 20 M CAD",
    ]
    assert not at.slider  # nothing to rate before the swing worth most is chosen
    at.radio(key="swing_top_legal-cost").set_value("cost").run()
    assert [s.label for s in at.slider] == ["« Juridique » par rapport à « Coût » (100)"]
    at.slider(key="swing_legal-cost_legal").set_value(30).run()
    at.button(key="swing_apply").click().run()
    assert at.text_input(key="w_cost").value == "76,9"  # French decimals in the boxes, not 76.9231
    assert at.text_input(key="w_legal").value == "23,1"
    assert at.session_state["wb_weights"]["cost"] == 76.9
