"""Chart builders (workbench.charts): data match the engine, titles follow the language, providers
keep one colour everywhere, numbers use the locale."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.charts import study as charts
from workbench.costs import CostSettings, tco
from workbench.evaluate import compare_methods, evaluate
from workbench.study import load_study

MINI = Path(__file__).resolve().parent / "fixtures" / "mini" / "criteria.yaml"


@pytest.fixture(scope="module")
def study():
    return load_study(MINI)


def spec(chart) -> dict:
    return chart.to_dict()


def rows(d: dict) -> list[dict]:
    return next(iter(d["datasets"].values()))


def title(d: dict) -> str:
    t = d.get("title") or next((layer.get("title") for layer in d.get("layer", []) if layer.get("title")), None)
    t = t["text"] if isinstance(t, dict) else t
    return " ".join(t) if isinstance(t, list) else t  # a long title is drawn on several lines


def test_palette_is_stable_and_distinct():
    colors = charts.provider_colors(["a", "b", "c"])
    assert colors == {"a": "#332288", "b": "#CC6677", "c": "#117733"}
    many = charts.provider_colors([f"p{i}" for i in range(17)])
    assert len(set(many.values())) == 17


def test_contributions_sum_to_the_score(study):
    ev = evaluate(study, lang="fr")
    d = spec(charts.contributions_chart(ev, study, "fr"))
    data = rows(d)
    for r in ev.results:
        total = sum(x["value"] for x in data if x["provider"] == r.name)
        assert total == pytest.approx(r.score)
        legal = next(x for x in data if x["provider"] == r.name and x["group"] == "Juridique")
        assert legal["value"] == pytest.approx(r.group_contributions["legal"])
    assert title(d) == "Contribution de chaque groupe de critères au score"
    assert d["encoding"]["y"]["sort"] == [r.name for r in ev.results]
    assert d["config"]["locale"]["number"]["decimal"] == ","


def test_non_additive_methods_show_scores_in_provider_colours(study):
    ev = evaluate(study, "topsis", lang="en")
    d = spec(charts.contributions_chart(ev, study, "en", {"alpha": "#111111", "beta": "#222222", "gamma": "#333333"}))
    assert title(d) == "Score of each option"
    assert {x["provider"]: x["score"] for x in rows(d)} == {r.name: pytest.approx(r.score) for r in ev.results}
    scale = d["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {"Alpha": "#111111", "Beta": "#222222",
                                                                       "Gamma": "#333333"}  # fmt: skip
    assert d["config"]["locale"]["number"]["decimal"] == "."


def test_heatmap_values_are_normalised_scores(study):
    ev = evaluate(study, lang="en")
    d = spec(charts.heatmap_chart(ev, study, "en"))
    data = rows(d)
    assert len(data) == 9
    cell = next(x for x in data if x["provider"] == "Alpha" and x["criterion"] == "Cost")
    assert cell["value"] == pytest.approx(0.4)  # cost 60 on 0..100, lower is better
    assert cell["raw"] == 60
    assert d["layer"][0]["encoding"]["color"]["scale"]["domain"] == [0, 1]
    assert {x["mark"] for x in data} == {""}
    fr = spec(charts.heatmap_chart(evaluate(study, lang="fr"), study, "fr"))
    assert next(x for x in rows(fr) if x["criterion"] == "Coût" and x["provider"] == "Alpha")["raw"] == 60
    assert fr["config"]["locale"]["number"]["decimal"] == ","  # tooltips format with the French locale


def test_profile_chart_uses_the_provider_colour(study):
    ev = evaluate(study, lang="en")
    colors = charts.provider_colors(["alpha", "beta", "gamma"])
    d = spec(charts.profile_chart(ev, study, "beta", "en", colors))
    assert d["layer"][0]["mark"]["color"] == colors["beta"]
    data = {x["criterion"]: x for x in rows(d)}
    assert data["Exposure"]["value"] == pytest.approx(0.2)
    assert data["Exposure"]["others"] == pytest.approx((0.8 + 0.5) / 2)
    assert title(d) == "Profile: Beta"


def test_methods_chart_ranks(study):
    comparison = compare_methods(study)
    d = spec(charts.methods_chart(comparison, study, "fr"))
    data = rows(d)
    for method, ranks in comparison["ranks"].items():
        label = {"weighted-sum": "Somme pondérée", "weighted-product": "Produit pondéré", "topsis": "TOPSIS",
                 "promethee-ii": "PROMETHEE II", "vikor": "VIKOR"}[method]  # fmt: skip
        got = {x["provider"]: x["rank"] for x in data if x["method"] == label}
        assert got == {{"alpha": "Alpha", "beta": "Bêta", "gamma": "Gamma"}[k]: v for k, v in ranks.items()}
    assert title(d) == "Rang de chaque option selon la méthode"


def test_cost_curves_are_cumulative(study):
    settings = CostSettings.from_mapping(study.criteria_set.cost_settings)
    results = {p.id: tco(p.costs, settings) for p in study.providers if p.costs is not None}
    assert set(results) == {"alpha", "beta"}
    d = spec(charts.cost_curves_chart(results, "en", {"alpha": "Alpha", "beta": "Beta"}))
    data = [x for x in rows(d) if x["provider"] == "Alpha"]
    assert [x["year"] for x in data] == list(range(len(results["alpha"].by_year)))
    assert data[-1]["total"] == pytest.approx(results["alpha"].total)
    assert d["layer"][0]["encoding"]["y"]["title"] == "Cumulative cost (millions of CAD)"  # amounts are in millions
    assert title(d) == "Cumulative cost by year"


def test_charts_render_offline_to_svg(study):
    vl_convert = pytest.importorskip("vl_convert")
    ev = evaluate(study, lang="fr")
    svg = vl_convert.vegalite_to_svg(charts.heatmap_chart(ev, study, "fr").to_dict())
    assert "Notes normalisées" in svg and "Bêta" in svg


def test_heatmap_marks_overridden_scores():
    from workbench.model import Override, Scenario

    study = load_study(MINI, scenario=Scenario(overrides=[Override("gamma", "cost", 5, "quote")]))
    d = spec(charts.heatmap_chart(evaluate(study, lang="en"), study, "en"))
    marked = [(x["provider"], x["criterion"]) for x in rows(d) if x["mark"]]
    assert marked == [("Gamma", "Cost")]


def test_cost_categories_are_named_for_people():
    from workbench.charts.study import cost_item_label

    assert cost_item_label("build_and_integration", "fr") == "Construction et intégration"
    assert cost_item_label("hosting", "en") == "Hosting"
    assert cost_item_label("data_egress_fees", "fr") == "Data egress fees"  # not in the catalogue: the key, spaced


def test_compact_heatmap_numbers_the_options_and_puts_each_criterion_on_a_row(study):
    ev = evaluate(study, lang="en")
    d = spec(charts.heatmap_chart(ev, study, "en", compact=True))
    cells = d["layer"][0]
    assert cells["encoding"]["x"]["field"] == "key" and cells["encoding"]["y"]["field"] == "criterion"
    # Columns numbered in ranking order, the key under the title.
    assert d["title"]["subtitle"] == [f"{i}. {r.name}" for i, r in enumerate(ev.results, start=1)]
    assert {x["provider"]: x["key"] for x in rows(d)} == {r.name: str(r.rank) for r in ev.results}
    cell = next(x for x in rows(d) if x["provider"] == "Alpha" and x["criterion"] == "Cost")
    assert cell["value"] == pytest.approx(0.4) and cell["raw"] == 60  # the same cells as the wide layout


@pytest.mark.parametrize("criteria", ["collaboration-suite", "health-data-sovereignty"])
def test_compact_heatmap_fits_a_phone_with_every_name_whole(criteria):
    """Drawn 358 px wide (a 390-px phone less the page's margins): nothing wider, and every
    criterion's and option's name is drawn whole (on wrapped lines), none cut with '…'."""
    vl_convert = pytest.importorskip("vl_convert")
    import html
    import re

    shipped = load_study(Path(__file__).resolve().parent.parent / "criteria" / f"{criteria}.yaml")
    ev = evaluate(shipped, lang="fr")
    d = spec(charts.heatmap_chart(ev, shipped, "fr", compact=True))
    d["width"] = 358
    svg = vl_convert.vegalite_to_svg(d)
    assert float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1)) <= 390
    drawn = " ".join(html.unescape(s) for s in re.findall(r"<tspan[^>]*>([^<]*)</tspan>|<text[^>]*>([^<]*)</text>", svg)
                     for s in s if s)  # fmt: skip
    assert "…" not in drawn

    def bare(text: str) -> str:  # a line may break after a hyphen: compare without spaces
        return "".join(text.split())

    for leaf in shipped.leaves:
        assert bare(leaf.name.get("fr")) in bare(drawn)
    for i, r in enumerate(ev.results, start=1):
        assert bare(f"{i}. {r.name}") in bare(drawn)
