"""Compare page (AppTest on copies of the mini study): methods that cannot run are marked and
refused in the user's language without losing the page, group weights beside the ranking re-rank
it at once, the ranking also comes as cards (phones), and the what-if form keeps what was typed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_app import app, expected_order, make_study_dir, page, ranking

from workbench.evaluate import evaluate, method_problems
from workbench.study import load_study
from workbench.weights import set_share

NBSP = "\u00a0"


@pytest.fixture
def mini_dir(tmp_path, monkeypatch) -> Path:
    crit = make_study_dir(tmp_path)
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(crit))
    return crit


@pytest.fixture
def zero_dir(tmp_path, monkeypatch) -> Path:
    """The mini study with Gamma's residency at 'abroad' (0): the weighted product cannot run."""
    crit = make_study_dir(tmp_path)
    gamma = tmp_path / "providers" / "gamma.yaml"
    gamma.write_text(gamma.read_text(encoding="utf-8").replace("residency: canada", "residency: abroad"), "utf-8")
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(crit))
    return crit


def texts(at) -> list[str]:
    return [e.value for kind in ("error", "warning", "caption", "markdown") for e in getattr(at, kind)]


# --- the engine says which methods can run -------------------------------------------------------


def test_method_problems_name_the_criteria(zero_dir):
    problems = method_problems(load_study(zero_dir / "mini.yaml"))
    assert list(problems) == ["weighted-product"]
    problem = problems["weighted-product"]
    assert (problem.code, problem.criteria, problem.normalization) == ("zero", ("residency",), "sum")
    assert method_problems(load_study(Path(__file__).parent / "fixtures" / "mini" / "criteria.yaml")) == {}


def test_set_share_keeps_the_others_proportions():
    assert set_share({"a": 2, "b": 1, "c": 1}, "a", 0.8) == {"a": 80.0, "b": 10.0, "c": 10.0}
    assert set_share({"a": 2, "b": 3, "c": 1}, "c", 0.4) == {"a": 24.0, "b": 36.0, "c": 40.0}
    assert set_share({"a": 0, "b": 0}, "a", 0.3) == {"a": 30.0, "b": 70.0}  # all zero: equal parts of the rest
    assert set_share({"a": 1, "b": 1}, "a", 1.5) == {"a": 100.0, "b": 0.0}  # capped at the whole


# --- methods that cannot run -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("fr", f"Produit pondéré — impossible{NBSP}: des notes valent 0 (Résidence)"),
        ("en", "Weighted product — unavailable: some scores are 0 (Residency)"),
    ],
)
def test_a_method_that_cannot_run_is_marked_and_refused(zero_dir, lang, label):
    at = app(lang)
    at.run()
    menu = at.selectbox(key="cmp_method")
    assert label in menu.options
    before = [r["name"] for r in ranking(at)]
    menu.set_value("weighted-product").run()
    assert not at.exception
    assert at.session_state["wb_method"] is None  # the method in force did not change
    assert [r["name"] for r in ranking(at)] == before
    [warning] = [w.value for w in at.warning]
    assert label.split(" — ")[0] in warning and ("Résidence" if lang == "fr" else "Residency") in warning
    assert "weighted" not in warning.lower() or lang == "en"  # no English in French
    assert "residency" not in warning  # no raw ids


def test_a_normalisation_that_cannot_run_is_marked(zero_dir):
    at = app("fr")
    at.run()
    options = at.selectbox(key="cmp_norm").options
    assert f"Somme — impossible{NBSP}: des notes valent 0 (Résidence)" in options
    at.selectbox(key="cmp_norm").set_value("sum").run()
    assert not at.exception and at.session_state["wb_normalization"] is None


def test_a_method_in_force_that_cannot_run_keeps_the_page(zero_dir):
    at = app("fr")
    at.session_state["wb_method"] = "weighted-product"  # as a scenario or a link may set it
    at.run()
    assert not at.exception
    assert at.title[0].value == "Comparaison"
    [error] = [e.value for e in at.error]
    assert error == (
        f"Produit pondéré ne peut pas classer ces options{NBSP}: des notes valent 0 (Résidence). "
        "Choisissez une autre méthode ci-dessus."
    )
    # The page goes on: menus, group weights, the score matrix and the what-if form.
    assert at.selectbox(key="cmp_method") and at.slider(key="cmp_top_cost")
    assert any("Alpha" in d.value.columns for d in at.dataframe)
    at.selectbox(key="cmp_method").set_value("topsis").run()
    assert not at.error and [r["name"] for r in ranking(at)]


def test_all_zero_weights_say_so_and_keep_the_sliders(mini_dir):
    at = app("en")
    at.session_state["wb_weights"] = {"legal": 0.0, "exposure": 3.0, "residency": 1.0, "cost": 0.0}
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Every weight is zero: no ranking is possible. Give at least one criteria group a weight."
    ]
    assert [s.value for s in sliders(at)] == [0, 0]
    at.slider(key="cmp_top_cost").set_value(30).run()
    assert not at.error
    assert at.session_state["wb_weights"]["cost"] == 30 and at.session_state["wb_weights"]["legal"] == 70
    assert [r["name"] for r in ranking(at)] == expected_order(mini_dir, {"legal": 70, "cost": 30}, lang="en")


# --- one screen for weights -----------------------------------------------------------------------


def sliders(at, prefix: str = "cmp_top_") -> list:
    """The group sliders of one copy: `cmp_top_` beside the ranking (wide screens), `cmp_phone_` in
    the expander above the cards (phones; the page's CSS shows one copy or the other)."""
    return [s for s in at.slider if s.key.startswith(prefix)]


def test_group_sliders_beside_the_ranking_rerank_it(mini_dir):
    at = app("en")
    at.run()
    assert [(s.label, s.value) for s in sliders(at)] == [("Legal", 67), ("Cost", 33)]  # 2 : 1
    assert [r["name"] for r in ranking(at)] == ["Alpha", "Gamma", "Beta"]
    at.slider(key="cmp_top_cost").set_value(80).run()
    assert not at.exception
    weights = at.session_state["wb_weights"]
    assert (weights["legal"], weights["cost"]) == (20.0, 80.0)
    assert (weights["exposure"], weights["residency"]) == (3.0, 1.0)  # inside the group: unchanged
    ev = evaluate(load_study(mini_dir / "mini.yaml"), weights=weights, lang="en")
    rows = ranking(at)
    assert [r["name"] for r in rows] == [r.name for r in ev.results] == ["Gamma", "Alpha", "Beta"]
    assert [float(r["score"]) for r in rows] == pytest.approx([r.score for r in ev.results], abs=6e-4)
    assert [s.value for s in sliders(at)] == [20, 80]
    page(at, "weights")  # the detailed page shows the same weights
    assert at.text_input(key="w_cost").value == "80" and at.text_input(key="w_legal").value == "20"


def test_phone_copy_of_the_group_sliders_in_an_expander_moves_the_ranking_too(mini_dir):
    at = app("fr")
    at.run()
    assert "Ajuster les pondérations" in [e.label for e in at.expander]
    assert [(s.label, s.value) for s in sliders(at, "cmp_phone_")] == [("Juridique", 67), ("Coût", 33)]
    at.slider(key="cmp_phone_cost").set_value(80).run()
    assert not at.exception
    assert (at.session_state["wb_weights"]["legal"], at.session_state["wb_weights"]["cost"]) == (20.0, 80.0)
    assert [s.value for s in sliders(at)] == [s.value for s in sliders(at, "cmp_phone_")] == [20, 80]
    assert [r["name"] for r in ranking(at)][0] == "Gamma"


def test_ranking_cards_carry_rank_name_score_share_and_eligibility(mini_dir):
    at = app("fr")
    at.run()
    cards = [m.value for m in at.markdown if m.value.startswith("**") and "1re place dans" in m.value]
    assert len(cards) == 3
    assert cards[0].startswith("**1. Alpha**") and f"Score{NBSP}: **0,700**" in cards[0]
    assert "✓ admissible" in cards[0]
    assert cards[2].startswith("**3. Bêta**") and "✗ non admissible" in cards[2] and "Exposition" in cards[2]


# --- what-if ----------------------------------------------------------------------------------------


def test_whatif_shows_the_current_score_and_range_before_typing(mini_dir):
    at = app("fr")
    at.run()
    at.selectbox(key="wi_provider").set_value("gamma").run()
    assert f"Note actuelle{NBSP}: **5** points · valeurs possibles{NBSP}: de 0 à 10 points" in texts(at)
    assert at.text_input(key="wi_value").placeholder == "0 – 10"
    at.selectbox(key="wi_leaf").set_value("residency").run()
    assert any(s.startswith(f"Note actuelle{NBSP}: **1 (canada)** · niveaux") for s in texts(at))
    assert at.selectbox(key="wi_level").options == ["0 (abroad)", "1 (canada)", "2 (quebec)"]


def test_an_invalid_whatif_keeps_option_criterion_and_text(mini_dir):
    at = app("fr")
    at.run()
    at.selectbox(key="wi_provider").set_value("gamma")
    at.selectbox(key="wi_leaf").set_value("exposure")
    at.text_input(key="wi_value").input("12,5")
    at.button(key="wi_apply").click().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert error == f"Gamma · Exposition{NBSP}: « 12,5 » est refusé{NBSP}: le maximum est 10."
    assert at.selectbox(key="wi_provider").value == "gamma"
    assert at.selectbox(key="wi_leaf").value == "exposure"
    assert at.text_input(key="wi_value").value == "12,5"
    assert not at.session_state["wb_overrides"]
    at.text_input(key="wi_value").input("6.5")  # a French user typing a point is refused, not read as 65
    at.button(key="wi_apply").click().run()
    assert "virgule" in at.error[0].value and not at.session_state["wb_overrides"]


def test_overrides_list_shows_original_and_new(mini_dir):
    at = app("fr")
    at.run()
    at.selectbox(key="wi_provider").set_value("alpha")
    at.selectbox(key="wi_leaf").set_value("exposure")
    at.text_input(key="wi_value").input("6,5")
    at.text_input(key="wi_note").input("note <b>")
    at.button(key="wi_apply").click().run()
    assert not at.error
    [o] = at.session_state["wb_overrides"]
    assert (o.provider, o.criterion, o.value, o.note) == ("alpha", "exposure", 6.5, "note <b>")
    assert at.text_input(key="wi_value").value == ""  # cleared for the next one
    assert at.selectbox(key="wi_provider").value == "alpha"
    line = next(m.value for m in at.markdown if m.value.startswith("✎ **Alpha**"))
    assert line == f"✎ **Alpha** · Exposition{NBSP}: 8 → **6,5** — note &lt;b&gt;"  # escaped: stays text
    at.selectbox(key="wi_leaf").set_value("residency").run()
    at.selectbox(key="wi_level").set_value(0.0)
    at.button(key="wi_apply").click().run()
    assert any("2 (quebec) → **0 (abroad)**" in m.value for m in at.markdown)


# --- everything else on the pages -----------------------------------------------------------------


def test_no_option_chosen_says_so_without_a_server_path(mini_dir):
    at = app("fr")
    at.run()
    page(at, "study")
    at.multiselect(key="study_providers").set_value([]).run()
    for name in ("study", "compare", "weights"):
        page(at, name)
        shown = texts(at) + [str(d.value) for d in at.dataframe]
        assert not any("problème(s) dans les fichiers" in s for s in shown), name
        assert not any(str(mini_dir) in s or "no providers" in s for s in shown), name
    page(at, "compare")
    assert [w.value for w in at.warning] == [f"Aucune option choisie{NBSP}: choisissez au moins une option à comparer."]
    page(at, "weights")  # the weights tree still works without options, and after leaving the page
    assert at.text_input(key="w_cost").value == "1"


def test_study_page_marks_instead_of_read_only_checkboxes(mini_dir):
    at = app("fr")
    at.run()
    page(at, "study")
    at.multiselect(key="study_providers").set_value(["alpha", "gamma"]).run()
    table = next(d.value for d in at.dataframe if "Incluse" in d.value.columns)
    assert list(table["Incluse"]) == ["✓ oui", "—", "✓ oui"]  # text, not checkboxes
    criteria = next(d.value for d in at.dataframe if "Poids" in d.value.columns)
    assert list(criteria["Poids"]) == ["2", "3", "1", "1"]
    assert at.multiselect(key="study_providers").placeholder == "Choisissez dans la liste…"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_streamlit_hints_follow_the_language(mini_dir, lang):
    at = app(lang)
    at.run()
    page(at, "scenario")
    css = next(h.value for h in at.html if "InputInstructions" in h.value)
    expected = ("Entrée pour valider", "Choisir un fichier", f"Fichier YAML, 2{NBSP}Mo au plus") if lang == "fr" else (
        "Press Enter to apply", "Choose a file", "YAML file, 2 MB at most")  # fmt: skip
    assert all(f'content: "{text}"' in css for text in expected)
    page(at, "compare")
    assert at.selectbox(key="wi_provider").placeholder == ("Choisissez…" if lang == "fr" else "Choose…")


def test_provider_facts_in_the_users_language(tmp_path, monkeypatch):
    crit = make_study_dir(
        tmp_path,
        extra={},
    )
    alpha = tmp_path / "providers" / "alpha.yaml"
    alpha.write_text(
        alpha.read_text(encoding="utf-8").replace(
            "scores:\n",
            "facts:\n  owner: Alpha Inc.\n  exists: true\n  price: {en: Free, fr: Gratuit}\n"
            "  platforms: [Linux, macOS]\n  odd_key: x\n  site: {city: Montréal, tier: 3.5}\nscores:\n",
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(crit))
    at = app("fr")
    at.run()
    page(at, "provider")
    facts = next(d.value for d in at.dataframe if "Élément" in d.value.columns)
    assert dict(zip(facts["Élément"], facts["Valeur"], strict=True)) == {
        "Propriétaire": "Alpha Inc.",
        "Existe déjà": "oui",
        "Prix": "Gratuit",
        "Plateformes": "Linux · macOS",
        "odd key": "x",
        "Site": f"city{NBSP}: Montréal · tier{NBSP}: 3,5",
    }
    at.sidebar.radio(key="wb_lang").set_value("en").run()
    facts = next(d.value for d in at.dataframe if "Item" in d.value.columns)
    assert list(facts["Item"])[:3] == ["Owner", "Exists", "Price"] and list(facts["Value"])[:3] == [
        "Alpha Inc.", "yes", "Free"
    ]  # fmt: skip


def test_study_texts_with_dollars_are_not_read_as_maths(tmp_path, monkeypatch):
    crit = make_study_dir(tmp_path)
    path = crit / "mini.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "name: {en: Mini study, fr: Mini étude}\n",
            "name: {en: Mini study, fr: Mini étude}\ndescription: {en: about 270 M$ and 40 M$, fr: environ 270 M$ et 40 M$}\n",
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(crit))
    at = app("fr")
    at.run()
    page(at, "study")
    assert "environ 270 M\\$ et 40 M\\$" in [c.value for c in at.caption]  # escaped: shown as written


def test_bar_charts_name_bars_above_them_and_fit_a_phone():
    """No 300-px label column beside the bars: names sit above them, on at most two lines; legends go
    below in one column; method names on the By-method chart wrap instead of being dropped."""
    from workbench.charts import study as charts
    from workbench.charts.common import LEGEND_LABEL_LIMIT, wrap_name
    from workbench.evaluate import compare_methods

    study = load_study(Path(__file__).parent / "fixtures" / "mini" / "criteria.yaml")
    spec = charts.contributions_chart(evaluate(study, lang="fr"), study, "fr").to_dict()
    axis = spec["encoding"]["y"]["axis"]
    assert (axis["labelAlign"], axis["labelBaseline"], axis["ticks"], axis["domain"]) == ("left", "top", False, False)
    assert axis["labelOffset"] < 0  # drawn at the top of the bar's row, above it
    legend = spec["encoding"]["color"]["legend"]
    assert (legend["orient"], legend["columns"], legend["labelLimit"]) == ("bottom", 1, LEGEND_LABEL_LIMIT)
    long = "Centre de données gouvernemental du Québec avec la pile libre de santé et encore des mots"
    assert wrap_name(long).count("\n") == 1 and wrap_name(long).endswith("…")
    methods = charts.methods_chart(compare_methods(study), study, "fr").to_dict()
    x_axis = methods["layer"][0]["encoding"]["x"]["axis"]
    assert x_axis["labelExpr"] == "split(datum.label, ' ')" and x_axis["labelOverlap"] is False
    vl_convert = pytest.importorskip("vl_convert")
    svg = vl_convert.vegalite_to_svg(
        charts.contributions_chart(evaluate(study, lang="fr"), study, "fr").properties(width=330).to_dict()
    )
    width = float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1))
    assert "Bêta" in svg and width <= 390  # drawn at a phone's width, names included
