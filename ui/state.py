"""The session's state: the criteria set in force, the chosen options, weights, method and
what-ifs, and the study and evaluation they make.

The canonical state lives in plain `st.session_state` entries prefixed `wb_` (never in widget
keys, which Streamlit drops when a page is not shown). Widgets copy into them through their
callbacks. `app.py` calls `init_state()` first on every run; ui.scenario_link mirrors the state
in the address, so a shared link reopens the same view.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

# The pages read the language and the study files through this module too (one import a page).
from ui.language import get_lang
from ui.study_files import SetEntry as SetEntry
from ui.study_files import catalogue as catalogue
from ui.study_files import default_criteria_path, files_stamp, load_set, providers_for
from ui.study_files import find_set as find_set
from ui.widgets import show_problems
from workbench.errors import WorkbenchError
from workbench.evaluate import Evaluation, evaluate, resolve_method
from workbench.horizon_names import horizon_in_force, with_horizon
from workbench.i18n import t
from workbench.model import CriteriaSet, Override, Provider, Scenario
from workbench.study import Study, build_study

WEIGHT_PREFIX = "w_"  # widget keys of the main weight controls (ui.weight_controls.weight_controls)

# Canonical state, each with its empty value.
_DEFAULTS: dict[str, Any] = {
    "wb_criteria": None,  # str path of the criteria set in force
    "wb_providers": None,  # list of selected provider ids; None = all
    "wb_weights": {},  # node id -> raw weight in force (set defaults filled in on read)
    "wb_method": None,
    "wb_normalization": None,
    "wb_overrides": [],  # list[Override]
    "wb_disabled": [],  # leaf ids whose must-have is switched off
    "wb_notes": "",
    "wb_title": "",
    "wb_cost_settings": {},
    "wb_flash": [],  # (kind, message) shown once by app.py
}


def init_state() -> bool:
    """Fill missing state; True on a session's first run (when a shared link should be read)."""
    for key, value in _DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value.copy() if isinstance(value, (dict, list)) else value
    if st.session_state.get("wb_initialised"):
        return False
    st.session_state["wb_initialised"] = True
    st.session_state["wb_criteria"] = str(default_criteria_path())
    return True


def flash(kind: str, message: str) -> None:
    """Queue a message for the next render (kind: info, success, warning, error)."""
    st.session_state.setdefault("wb_flash", []).append((kind, message))


def reset_for_set(path: Path) -> None:
    """Switch criteria set: selections, weights, method and what-ifs start from the set's defaults."""
    st.session_state["wb_criteria"] = str(path)
    for key in ("wb_providers", "wb_method", "wb_normalization"):
        st.session_state[key] = None
    for key in ("wb_weights", "wb_cost_settings"):
        st.session_state[key] = {}
    for key in ("wb_overrides", "wb_disabled"):
        st.session_state[key] = []
    clear_weight_widgets()


def apply_scenario(scenario: Scenario, criteria_set: CriteriaSet) -> None:
    """Replace the session's state by a (checked) scenario."""
    st.session_state["wb_providers"] = list(scenario.providers) if scenario.providers is not None else None
    st.session_state["wb_method"] = scenario.method
    st.session_state["wb_normalization"] = scenario.normalization
    st.session_state["wb_weights"] = {**default_weights(criteria_set), **scenario.weights}
    st.session_state["wb_overrides"] = list(scenario.overrides)
    st.session_state["wb_disabled"] = list(scenario.disabled_must_haves)
    st.session_state["wb_notes"] = scenario.notes or ""
    st.session_state["wb_title"] = scenario.title or ""
    st.session_state["wb_cost_settings"] = dict(scenario.cost_settings)
    clear_weight_widgets()


def clear_weight_widgets(prefix: str = WEIGHT_PREFIX) -> None:
    """Forget the weight widgets' own values so they re-read the weights in force."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


def current_criteria_path() -> Path:
    value = st.session_state.get("wb_criteria")
    return Path(value) if value else default_criteria_path()


def current_criteria_set() -> CriteriaSet:
    """The criteria set in force; if its file broke meanwhile, show why and stop the page."""
    cs, problems = load_set(current_criteria_path())
    if cs is None:
        show_problems(problems, get_lang())
        st.stop()
    # Its cost criteria named for the session's horizon (workbench.horizon_names); kept while the
    # file and the horizon stay, so pages keep getting one object.
    horizon = horizon_in_force(cs, st.session_state.get("wb_cost_settings"))
    memo = st.session_state.get("_wb_named_set")
    if not memo or memo[0] is not cs or memo[1] != horizon:
        memo = (cs, horizon, with_horizon(cs, horizon))
        st.session_state["_wb_named_set"] = memo
    return memo[2]


def all_providers() -> list[Provider]:
    """Every valid provider of the set in force (selected or not)."""
    return providers_for(current_criteria_path())[0]


def selected_provider_ids() -> list[str]:
    ids = [p.id for p in all_providers()]
    chosen = st.session_state.get("wb_providers")
    return ids if chosen is None else [i for i in chosen if i in ids]


def set_selected_providers(ids: list[str]) -> None:
    every = [p.id for p in all_providers()]
    st.session_state["wb_providers"] = None if list(ids) == every else [i for i in every if i in ids]


def default_weights(criteria_set: CriteriaSet) -> dict[str, float]:
    return {n.id: float(n.weight) for n in criteria_set.nodes()}


def current_weights() -> dict[str, float]:
    """Raw weight of every node in force (the set's defaults, then the session's changes)."""
    cs = current_criteria_set()
    stored = st.session_state.get("wb_weights") or {}
    return {node_id: float(stored.get(node_id, w)) for node_id, w in default_weights(cs).items()}


def set_weights(weights: dict[str, float]) -> None:
    """Replace the weights in force (unnamed nodes fall back to the set's defaults)."""
    cs = current_criteria_set()
    known = default_weights(cs)
    st.session_state["wb_weights"] = {**known, **{k: float(v) for k, v in weights.items() if k in known}}
    clear_weight_widgets()


def current_scenario() -> Scenario:
    """The whole session state as a Scenario (weights: every node's raw weight in force)."""
    cs = current_criteria_set()
    chosen = st.session_state.get("wb_providers")
    every = [p.id for p in all_providers()]
    return Scenario(
        criteria=cs.id,
        providers=None if chosen is None else [i for i in chosen if i in every],
        method=st.session_state.get("wb_method"),
        normalization=st.session_state.get("wb_normalization"),
        weights=current_weights(),
        notes=st.session_state.get("wb_notes") or "",
        overrides=list(st.session_state.get("wb_overrides") or []),
        disabled_must_haves=list(st.session_state.get("wb_disabled") or []),
        cost_settings=dict(st.session_state.get("wb_cost_settings") or {}),
        title=st.session_state.get("wb_title") or "",
    )


def _scenario_key(sc: Scenario) -> tuple:
    return (
        sc.criteria,
        tuple(sc.providers) if sc.providers is not None else None,
        tuple(sorted(sc.weights.items())),
        tuple((o.provider, o.criterion, o.value) for o in sc.overrides),
        tuple(sc.disabled_must_haves),
        repr(sorted(sc.cost_settings.items())),
    )


def current_study() -> Study:
    """The study for the state in force (memoised per state); on a problem, shows it and stops."""
    path = current_criteria_path()
    cs = current_criteria_set()
    providers, problems = providers_for(path)
    sc = current_scenario()
    key = (files_stamp(path, cs), _scenario_key(sc))
    memo = st.session_state.get("_wb_study_memo")
    if memo and memo[0] == key:
        return memo[1]
    try:
        study = build_study(cs, providers, sc, allow_missing=True)
    except WorkbenchError as exc:
        show_problems(problems + exc.problems, get_lang())
        st.stop()
    study.problems = problems + study.problems
    st.session_state["_wb_study_memo"] = (key, study)
    return study


def current_method() -> tuple[str, str | None]:
    """(method, normalisation) in force: the session's choice, else the scenario's and set's."""
    study = current_study()
    try:
        return resolve_method(study, st.session_state.get("wb_method"), st.session_state.get("wb_normalization"))
    except WorkbenchError:
        st.session_state["wb_method"] = st.session_state["wb_normalization"] = None
        return resolve_method(study, None, None)


def set_method(method: str | None, normalization: str | None = None) -> None:
    st.session_state["wb_method"] = method
    st.session_state["wb_normalization"] = normalization


def try_evaluation() -> tuple[Evaluation | None, str | None]:
    """The evaluation of the state in force, or (None, reason) when the engine refuses it."""
    study = current_study()
    method, normalization = current_method()
    lang = get_lang()
    key = (id(study), method, normalization, lang, tuple(sorted(current_weights().items())))
    memo = st.session_state.get("_wb_eval_memo")
    if memo and memo[0] == key and memo[1] is study:
        return memo[2], None
    try:
        ev = evaluate(study, method, normalization, current_weights(), lang=lang)
    except WorkbenchError as exc:
        return None, str(exc)
    st.session_state["_wb_eval_memo"] = (key, study, ev)
    return ev, None


def current_evaluation() -> Evaluation:
    """The evaluation of the state in force; if the engine refuses it, shows why and stops."""
    ev, reason = try_evaluation()
    if ev is None:
        st.error(t("app.evaluation_failed", get_lang(), reason=reason))
        st.stop()
    return ev


# --- what-if overrides -----------------------------------------------------------------------


def add_override(override: Override) -> None:
    """Add (or replace) a what-if score for one provider and leaf."""
    kept = [
        o
        for o in st.session_state.get("wb_overrides") or []
        if (o.provider, o.criterion) != (override.provider, override.criterion)
    ]
    st.session_state["wb_overrides"] = [*kept, override]


def remove_override(provider: str, criterion: str) -> None:
    st.session_state["wb_overrides"] = [
        o for o in st.session_state.get("wb_overrides") or [] if (o.provider, o.criterion) != (provider, criterion)
    ]


def override_for(provider: str, criterion: str) -> Override | None:
    return next(
        (o for o in st.session_state.get("wb_overrides") or [] if (o.provider, o.criterion) == (provider, criterion)),
        None,
    )
