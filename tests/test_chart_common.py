"""The finishing shared by every chart (workbench.charts.common): a provider has one colour in the
study, robustness and workshop charts, numbers follow the locale, projector charts read large."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.charts import common
from workbench.charts import robustness as robustness_charts
from workbench.charts import study as study_charts
from workbench.charts import workshop as workshop_charts
from workbench.evaluate import evaluate
from workbench.robustness import sweeps
from workbench.study import load_study

MINI = Path(__file__).resolve().parent / "fixtures" / "mini" / "criteria.yaml"


@pytest.fixture(scope="module")
def study():
    return load_study(MINI)


def color_scales(spec: dict) -> list[dict]:
    """Every colour scale of a chart spec (top level or in layers)."""
    parts = [spec, *spec.get("layer", [])]
    return [p["encoding"]["color"]["scale"] for p in parts if "scale" in p.get("encoding", {}).get("color", {})]


def test_a_provider_keeps_its_colour_across_chart_families(study):
    names = common.provider_names(study, "en")
    assert names == {"alpha": "Alpha", "beta": "Beta", "gamma": "Gamma"}
    expected = {"domain": ["Alpha", "Beta", "Gamma"], "range": ["#332288", "#CC6677", "#117733"]}
    comparison = {"ranks": {"weighted-sum": {"alpha": 1, "gamma": 2, "beta": 3}}}
    results = {"winners": {"alpha": 2, "gamma": 1}}
    specs = [
        study_charts.methods_chart(comparison, study, "en").to_dict(),
        robustness_charts.sweep_chart(sweeps(study)["cost"], study, "en").to_dict(),
        workshop_charts.winners_chart(results, names, "en").to_dict(),
    ]
    for spec in specs:
        scales = color_scales(spec)
        assert scales and all(scale == expected for scale in scales)


def test_explicit_colours_win_and_unknown_ids_are_grey():
    scale = common.color_scale(["a", "b"], {"a": "A", "b": "B"}, {"a": "#000000"}).to_dict()
    assert scale == {"domain": ["A", "B"], "range": ["#000000", common.UNKNOWN_COLOR]}


def test_finish_sets_the_locale_and_the_title(study):
    chart = study_charts.contributions_chart(evaluate(study, "weighted-sum"), study, "fr").to_dict()
    assert chart["config"]["locale"]["number"]["decimal"] == ","
    assert chart["config"]["title"] == {"anchor": "start", "fontSize": 18}
    assert "axis" not in chart["config"] and "legend" not in chart["config"]
    english = study_charts.contributions_chart(evaluate(study, "weighted-sum"), study, "en").to_dict()
    assert english["config"]["locale"]["number"] == {
        "decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]
    }  # fmt: skip


def test_projector_charts_have_large_axes_and_a_legend_below(study):
    results = {"aggregate": {"mean": {"exposure": 0.5, "residency": 0.2, "cost": 0.3}}}
    config = workshop_charts.aggregate_chart(results, study.criteria_set, "en").to_dict()["config"]
    assert config["axis"] == {"labelFontSize": 15, "titleFontSize": 15, "labelLimit": 320}
    assert config["legend"] == {"labelFontSize": 15, "titleFontSize": 15, "orient": "bottom"}
    assert config["title"] == {"anchor": "start", "fontSize": 18}
