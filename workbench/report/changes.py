"""What departs from the published study: the header's summary of changes (weights, method,
overrides, switched-off rules, cost settings, a selection of options) and the assumptions list."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..costs.data import SETTING_KEYS
from ..evaluate import Evaluation, resolve_method
from ..i18n import fmt_number, fmt_percent, t
from ..methods import get_method
from ..model import Scenario
from ..study import Study
from .formatting import colon, counted
from .safety import one_line
from .sections import Assumption, Cell, WeightRow


def published_method(study: Study) -> tuple[str, str | None]:
    """The method and normalisation the criteria set itself names (no scenario)."""
    return resolve_method(replace(study, scenario=Scenario()), None, None)


def changes(study: Study, evaluation: Evaluation, weights: list[WeightRow], lang: str) -> list[str]:
    """Short phrases naming what this evaluation changes from the published study, in order:
    weights, method or normalisation, score overrides, must-have rules, cost settings, options."""
    scenario = study.scenario
    out: list[str] = []
    changed = [w for w in weights if w.changed]
    if changed:
        out.append(counted(len(changed), lang, "report.changes.weights.one", "report.changes.weights.other"))
    method, normalization = published_method(study)
    if evaluation.method != method:
        out.append(t("report.changes.method", lang, now=_method_name(evaluation.method, lang),
                     was=_method_name(method, lang)))  # fmt: skip
    elif evaluation.normalization != normalization:
        out.append(t("report.changes.normalization", lang, now=_norm_name(evaluation.normalization, lang),
                     was=_norm_name(normalization, lang)))  # fmt: skip
    if scenario.overrides:
        out.append(
            counted(len(scenario.overrides), lang, "report.changes.overrides.one", "report.changes.overrides.other")
        )
    if scenario.disabled_must_haves:
        out.append(
            counted(
                len(scenario.disabled_must_haves), lang, "report.changes.disabled.one", "report.changes.disabled.other"
            )
        )
    if scenario.must_haves:
        out.append(
            counted(len(scenario.must_haves), lang, "report.changes.must_haves.one", "report.changes.must_haves.other")
        )
    if scenario.cost_settings:
        labels = ", ".join(_lower_first(t(f"report.setting.{key}", lang)) for key in _settings(scenario.cost_settings))
        out.append(t("report.changes.costs", lang, keys=labels))
    if scenario.providers is not None:
        out.append(counted(len(study.providers), lang, "report.changes.options.one", "report.changes.options.other"))
    return out


def changes_text(items: list[str], lang: str) -> str:
    """The header's line: "none" or the phrases joined."""
    if not items:
        return t("report.changes.none", lang)
    return t("report.changes.some", lang, changes="; ".join(items))


def _method_name(method: str, lang: str) -> str:
    return one_line(get_method(method).label[lang])


def _norm_name(norm: str | None, lang: str) -> str:
    return t(f"norm.{norm}", lang) if norm else t("report.changes.no_norm", lang)


def assumptions(study: Study, weights: list[WeightRow], matrix: list[Cell], lang: str) -> list[Assumption]:
    """What departs from the published study: overrides, switched-off rules, changed weights, gaps."""
    names = {p.id: one_line(p.name.get(lang)) for p in [*study.providers, *study.references]}
    crit = {w.id: w.name for w in weights}
    out: list[Assumption] = []
    for o in study.scenario.overrides:
        if o.provider in names and o.criterion in crit:
            text = t("report.assume.override", lang, provider=names[o.provider], criterion=crit[o.criterion],
                     value=f"{o.value:g}", note=one_line(o.note) or "—")  # fmt: skip
            out.append(Assumption("override", text))
    for cid in study.scenario.disabled_must_haves:
        out.append(Assumption("disabled_must_have", t("report.assume.disabled", lang, criterion=crit.get(cid, cid))))
    for row in weights:
        if row.changed:
            default = float(study.criteria_set.node(row.id).weight)
            text = t("report.assume.weight", lang, criterion=row.name, value=f"{row.raw_weight:g}",
                     default=f"{default:g}")  # fmt: skip
            out.append(Assumption("weight", text))
    for cell in matrix:
        if cell.missing and not cell.reference:
            text = t("report.assume.missing", lang, provider=names[cell.provider], criterion=crit[cell.criterion])
            out.append(Assumption("missing", text))
    currency = study.cost_settings().currency
    for key in _settings(study.scenario.cost_settings):
        value = setting_value(key, study.scenario.cost_settings[key], currency, lang)
        setting = t(f"report.setting.{key}", lang) + colon(lang) + value
        out.append(Assumption("cost_setting", t("report.assume.cost", lang, setting=setting)))
    return out


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _settings(settings: dict[str, Any]) -> list[str]:
    """The cost settings a scenario sets, in the order the Costs page asks them."""
    return [key for key in SETTING_KEYS if key in settings]


def setting_value(key: str, value: Any, currency: str, lang: str) -> str:
    """A cost setting's value in words and in the language's number format: "10 ans" / "10 years",
    "3,5 %" / "3.5%", "1 EUR = 1,5 CAD", "12 000" / "12,000" seats; `currency` is the study's (fx)."""
    if isinstance(value, bool) or not isinstance(value, int | float | dict):
        return one_line(value)
    if key == "horizon" and isinstance(value, int | float):
        return counted(value, lang, "report.setting.years.one", "report.setting.years.other")
    if key == "discount_rate" and isinstance(value, int | float):
        return fmt_percent(float(value), lang, _decimals(float(value) * 100, 2))
    if key == "fx" and isinstance(value, dict):
        return ", ".join(f"1 {one_line(code)} = {_exact(rate, lang)} {one_line(currency)}"
                         for code, rate in sorted(value.items()))  # fmt: skip
    if isinstance(value, int | float):
        return _exact(value, lang)
    return one_line(value)


def _decimals(value: float, most: int) -> int:
    """As few decimals as `value` needs, at most `most` (3.5 -> 1, 12000 -> 0)."""
    return next((d for d in range(most) if round(value, d) == round(value, most)), most)


def _exact(value: Any, lang: str) -> str:
    """A number with its thousands separator and as few decimals as it needs (at most 4)."""
    return fmt_number(float(value), lang, _decimals(float(value), 4))
