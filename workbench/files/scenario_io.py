"""Scenario <-> YAML text and <-> URL query-string parameters (pure Python, no Streamlit).

Both directions go back through `workbench.files.scenarios.parse_scenario`, so a scenario read
from a download or from a shared link is checked exactly like a scenario file: unknown ids, bad
numbers and wrong types are refused with the field that is wrong.

Query-string format (short enough to share, readable enough to edit by hand); a link carries
everything a scenario file does, cost settings included, so a reopened link ranks the same:

    set=<criteria set id>   p=<id>,<id>    m=<method>   n=<normalisation>
    w=<node>:<weight>,...   off=<leaf>,... o=<provider>:<leaf>:<value>:<url-quoted note>,...
    h=<horizon>  r=<discount rate>  cur=<currency>  fx=<code>:<rate>,...  seats=<number of seats>
    title=<text>  notes=<text>

Ids cannot contain ``:`` or ``,`` (see `checker.ID_PATTERN`), so those separators are safe;
override notes are percent-encoded so they may contain anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, unquote

import yaml

from ..costs.data import SETTING_KEYS
from ..errors import LoadError, Problem
from ..model import CriteriaSet, Scenario
from .scenarios import parse_scenario

# Link parameter -> the scenario field it carries: the one list of what a shared link holds.
LINK_FIELDS = {
    "set": "criteria",
    "p": "providers",
    "m": "method",
    "n": "normalization",
    "w": "weights",
    "off": "disabled_must_haves",
    "o": "overrides",
    "h": "horizon",
    "r": "discount_rate",
    "cur": "currency",
    "fx": "fx",
    "seats": "seats",
    "title": "title",
    "notes": "notes",
}
PARAM_KEYS = tuple(LINK_FIELDS)
_PARAM_OF = {name: param for param, name in LINK_FIELDS.items()}


def _number(value: float) -> float | int:
    """2.0 -> 2 so saved files and links stay tidy; other floats keep full precision."""
    value = float(value)
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def _number_text(value: float) -> str:
    return str(_number(value))


def scenario_to_data(scenario: Scenario) -> dict[str, Any]:
    """A plain mapping in the scenario file format (docs/formats.md); empty fields are left out."""
    data: dict[str, Any] = {}
    if scenario.title:
        data["title"] = scenario.title
    if scenario.criteria:
        data["criteria"] = scenario.criteria
    if scenario.providers is not None:
        data["providers"] = list(scenario.providers)
    if scenario.method:
        data["method"] = scenario.method
    if scenario.normalization:
        data["normalization"] = scenario.normalization
    if scenario.weights:
        data["weights"] = {str(k): _number(v) for k, v in scenario.weights.items()}
    if scenario.disabled_must_haves:
        data["disabled_must_haves"] = list(scenario.disabled_must_haves)
    if scenario.must_haves:
        data["must_haves"] = {k: rule.to_data() for k, rule in scenario.must_haves.items()}
    if scenario.include_references:
        data["include_references"] = True
    if scenario.overrides:
        data["overrides"] = [
            {"provider": o.provider, "criterion": o.criterion, "value": _number(o.value), "note": o.note}
            for o in scenario.overrides
        ]
    for key in SETTING_KEYS:
        if key in scenario.cost_settings:
            data[key] = scenario.cost_settings[key]
    if scenario.notes:
        data["notes"] = scenario.notes
    return data


def scenario_to_yaml(scenario: Scenario) -> str:
    """The scenario as a YAML document that `scenarios.parse_scenario` / `--scenario` read back unchanged."""
    header = "# Scenario saved by the alternatives evaluation workbench.\n"
    body = yaml.safe_dump(scenario_to_data(scenario), allow_unicode=True, sort_keys=False, width=100)
    return header + body


def scenario_to_params(scenario: Scenario, default_weights: Mapping[str, float] | None = None) -> dict[str, str]:
    """Query-string parameters for a scenario; weights equal to `default_weights` are left out."""
    params: dict[str, str] = {}
    if scenario.criteria:
        params["set"] = scenario.criteria
    if scenario.providers is not None:
        params["p"] = ",".join(scenario.providers)
    if scenario.method:
        params["m"] = scenario.method
    if scenario.normalization:
        params["n"] = scenario.normalization
    defaults = default_weights or {}
    changed = {
        k: v for k, v in scenario.weights.items() if k not in defaults or abs(float(defaults[k]) - float(v)) > 1e-12
    }
    if changed:
        params["w"] = ",".join(f"{k}:{_number_text(v)}" for k, v in changed.items())
    if scenario.disabled_must_haves:
        params["off"] = ",".join(scenario.disabled_must_haves)
    if scenario.overrides:
        params["o"] = ",".join(
            f"{o.provider}:{o.criterion}:{_number_text(o.value)}:{quote(o.note, safe='')}" for o in scenario.overrides
        )
    settings = scenario.cost_settings
    for key in ("horizon", "discount_rate", "currency", "seats"):
        if settings.get(key) is not None:
            params[_PARAM_OF[key]] = _value_text(settings[key])
    if isinstance(settings.get("fx"), Mapping) and settings["fx"]:
        params["fx"] = ",".join(f"{code}:{_value_text(rate)}" for code, rate in settings["fx"].items())
    for key in ("title", "notes"):
        if getattr(scenario, key):
            params[key] = getattr(scenario, key)
    return params


def _value_text(value: Any) -> str:
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return _number_text(value) if is_number else str(value)


def _maybe_number(text: str) -> Any:
    """A number when the text is one; otherwise the text, so the checker reports it by name."""
    try:
        return _number(float(text))
    except ValueError:
        return text


def params_to_data(params: Mapping[str, str]) -> dict[str, Any]:
    """The scenario mapping described by query-string parameters (not yet checked)."""
    data: dict[str, Any] = {}
    if params.get("set"):
        data["criteria"] = params["set"]
    if "p" in params:
        data["providers"] = [p for p in params["p"].split(",") if p]
    if params.get("m"):
        data["method"] = params["m"]
    if params.get("n"):
        data["normalization"] = params["n"]
    if params.get("w"):
        weights: dict[str, Any] = {}
        for item in params["w"].split(","):
            key, _, value = item.partition(":")
            weights[key] = _maybe_number(value)
        data["weights"] = weights
    if params.get("off"):
        data["disabled_must_haves"] = [c for c in params["off"].split(",") if c]
    if params.get("o"):
        overrides = []
        for item in params["o"].split(","):
            provider, _, rest = item.partition(":")
            criterion, _, rest = rest.partition(":")
            value, _, note = rest.partition(":")
            overrides.append(
                {"provider": provider, "criterion": criterion, "value": _maybe_number(value), "note": unquote(note)}
            )
        data["overrides"] = overrides
    for param in ("h", "r", "seats"):
        if params.get(param):
            data[LINK_FIELDS[param]] = _maybe_number(params[param])
    if params.get("cur"):
        data["currency"] = params["cur"]
    if params.get("fx"):
        rates = (item.partition(":") for item in params["fx"].split(",") if item)
        data["fx"] = {code: _maybe_number(rate) for code, _, rate in rates}
    for key in ("title", "notes"):
        if params.get(key):
            data[key] = params[key]
    return data


class LinkError(LoadError):
    """Part of a shared link does not fit the study: `problems` name each bad part, and
    `scenario` holds every part that does fit, ready to apply."""

    def __init__(self, problems: list[Problem], scenario: Scenario):
        super().__init__(problems)
        self.scenario = scenario


def scenario_from_params(
    params: Mapping[str, str], criteria_set: CriteriaSet | None = None, provider_ids: Iterable[str] | None = None
) -> Scenario:
    """A checked scenario from a shared link.

    Raises:
        LinkError: (a `LoadError`, file "URL") when a parameter does not fit. Each problem names
            the scenario field and the link parameter; a parameter with a problem is left out
            as a whole, and `LinkError.scenario` is the scenario of all the other parameters.
    """
    data = params_to_data(params)
    problems: list[Problem] = []
    # Each failed pass drops the fields that had problems, so this ends within len(data) + 1 passes.
    while True:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        try:
            scenario = parse_scenario(text, "URL", criteria_set, provider_ids)
            break
        except LoadError as exc:
            bad = {_top_field(p.field) for p in exc.problems}
            problems += [_link_problem(p) for p in exc.problems]
            if not bad & set(data):
                scenario = Scenario()
                break
            data = {key: value for key, value in data.items() if key not in bad}
    if problems:
        raise LinkError(problems, scenario)
    return scenario


def _top_field(field: str) -> str:
    """`weights.cost` -> `weights`, `providers[1]` -> `providers`."""
    return field.split(".", 1)[0].split("[", 1)[0]


def _link_problem(problem: Problem) -> Problem:
    """The problem of a field, said of the link parameter that carried it (a link has one line)."""
    param = _PARAM_OF.get(_top_field(problem.field))
    where = f" (link parameter {param})" if param else ""
    return Problem("URL", 1, problem.field, problem.message + where)
