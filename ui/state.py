"""Session state <-> scenario <-> query string, and cached file loading for every page.

The canonical state lives in plain `st.session_state` entries prefixed `wb_` (never in widget
keys, which Streamlit drops when a page is not shown). Widgets copy into them through their
callbacks. `app.py` calls `init_state()` first and `sync_query_params()` last on every run, so a
shared link reopens the same view. Files are cached on (path, mtime).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from workbench.errors import LoadError, Problem, WorkbenchError
from workbench.evaluate import Evaluation, evaluate, resolve_method
from workbench.files.loading import load_criteria_set, load_providers
from workbench.files.scenario_io import scenario_from_params, scenario_to_params
from workbench.i18n import normalize_lang, t
from workbench.model import CriteriaSet, Override, Provider, Scenario
from workbench.study import REPO_ROOT, Study, build_study, leaf_index, resolve_providers_dir

CRITERIA_DIR_ENV = "WORKBENCH_CRITERIA_DIR"
DEFAULT_SET = "health-data-sovereignty.yaml"
FALLBACK_SET = REPO_ROOT / "tests" / "fixtures" / "mini" / "criteria.yaml"
LANG_KEY = "wb_lang"
WEIGHT_PREFIX = "w_"  # widget keys of the main weight controls (ui.widgets.weight_controls)

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


# --- files -----------------------------------------------------------------------------------


def criteria_dir() -> Path:
    """The folder of criteria sets: $WORKBENCH_CRITERIA_DIR, else the repository's criteria/."""
    return Path(os.environ.get(CRITERIA_DIR_ENV) or REPO_ROOT / "criteria")


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


# cache_resource, not cache_data: the loaded objects are read-only, and handing out the same
# object (instead of an unpickled copy on every call) keeps a 100-provider study fast.
@st.cache_resource(show_spinner=False, max_entries=64)
def _load_set(path: str, mtime: float) -> tuple[CriteriaSet | None, list[Problem]]:
    try:
        return load_criteria_set(path), []
    except LoadError as exc:
        return None, exc.problems


def load_set(path: Path) -> tuple[CriteriaSet | None, list[Problem]]:
    """A criteria set (or None) and its problems, cached until the file changes."""
    return _load_set(str(path), _mtime(path))


@dataclass(frozen=True)
class SetEntry:
    path: Path
    criteria_set: CriteriaSet


def catalogue() -> tuple[list[SetEntry], list[Problem]]:
    """Every valid criteria set in `criteria_dir()`, and the problems of the files that are not."""
    folder = criteria_dir()
    files = sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml")) if folder.is_dir() else []
    sets, problems = [], []
    for path in files:
        cs, probs = load_set(path)
        problems.extend(probs)
        if cs is not None:
            sets.append(SetEntry(path, cs))
    return sets, problems


def default_criteria_path() -> Path:
    """The shipped health study, else the first valid set of the folder, else the mini fixture."""
    sets, _ = catalogue()
    for entry in sets:
        if entry.path.name == DEFAULT_SET:
            return entry.path
    return sets[0].path if sets else FALLBACK_SET


STAMP_TTL = 2.0  # seconds a folder listing is trusted; pages ask for it many times per run
_stamps: dict[str, tuple[float, tuple]] = {}


def _folder_stamp(folder: Path) -> tuple[tuple[str, float], ...]:
    """(name, mtime) of every profile in a folder: the cache key that notices edited files."""
    now = time.monotonic()
    cached = _stamps.get(str(folder))
    if cached and now - cached[0] < STAMP_TTL:
        return cached[1]
    stamp = tuple((p.name, _mtime(p)) for p in sorted(folder.glob("*.y*ml"))) if folder.is_dir() else ()
    _stamps[str(folder)] = (now, stamp)
    return stamp


@st.cache_resource(show_spinner=False, max_entries=32)
def _load_providers(
    criteria_path: str, criteria_mtime: float, folder: str, stamp: tuple
) -> tuple[list[Provider], list[Problem]]:
    cs, _ = _load_set(criteria_path, criteria_mtime)
    if cs is None:
        return [], []
    return load_providers(folder, leaf_index(cs), ignore_unknown=True)


def providers_for(path: Path) -> tuple[list[Provider], list[Problem]]:
    """Valid provider profiles of a set (files that fail validation are left out and reported)."""
    cs, problems = load_set(path)
    if cs is None:
        return [], problems
    try:
        folder = resolve_providers_dir(cs, None)
    except LoadError as exc:
        return [], exc.problems
    return _load_providers(str(path), _mtime(path), str(folder), _folder_stamp(folder))


# --- language --------------------------------------------------------------------------------


def browser_lang() -> str:
    """'fr' or 'en' from the browser (st.context.locale); French when unknown."""
    try:
        locale = st.context.locale
    except Exception:  # noqa: BLE001 - no browser context (bare mode)
        locale = None
    return normalize_lang(locale)


def get_lang() -> str:
    """The language in force: the sidebar switch, seeded by ?lang= or the browser locale."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = (
            normalize_lang(st.query_params.get("lang")) if st.query_params.get("lang") else browser_lang()
        )
    return normalize_lang(st.session_state[LANG_KEY])


# --- state -----------------------------------------------------------------------------------


def init_state() -> None:
    """Fill missing state; on a session's first run, apply the query string (if it fits)."""
    for key, value in _DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value.copy() if isinstance(value, (dict, list)) else value
    get_lang()
    if st.session_state.get("wb_initialised"):
        return
    st.session_state["wb_initialised"] = True
    st.session_state["wb_criteria"] = str(default_criteria_path())
    params = {k: st.query_params.get(k) for k in st.query_params}
    if any(k in params for k in ("set", "p", "m", "n", "w", "off", "o")):
        _apply_params(params)


def _apply_params(params: dict[str, str]) -> None:
    lang = get_lang()
    set_id = params.get("set")
    if set_id:
        entry = find_set(set_id)
        if entry is None:
            flash("warning", t("app.url.unknown_set", lang, id=set_id))
            return
        st.session_state["wb_criteria"] = str(entry.path)
    cs, _ = load_set(current_criteria_path())
    providers, _ = providers_for(current_criteria_path())
    if cs is None:
        return
    try:
        scenario = scenario_from_params(params, cs, [p.id for p in providers])
    except LoadError as exc:
        flash(
            "warning",
            t("app.url.refused", lang) + "\n\n" + "\n".join(f"- {p.field}: {p.message}" for p in exc.problems),
        )
        return
    apply_scenario(scenario, cs)


def find_set(set_id: str) -> SetEntry | None:
    """A set of the catalogue by id or by file name."""
    sets, _ = catalogue()
    return next((e for e in sets if set_id in (e.criteria_set.id, e.path.name, e.path.stem)), None)


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
        from ui.widgets import show_problems

        show_problems(problems, get_lang())
        st.stop()
    return cs


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
    key = (
        str(path),
        _mtime(path),
        _folder_stamp(resolve_providers_dir(cs, None)) if cs.providers else (),
        _scenario_key(sc),
    )
    memo = st.session_state.get("_wb_study_memo")
    if memo and memo[0] == key:
        return memo[1]
    try:
        study = build_study(cs, providers, sc, allow_missing=True)
    except WorkbenchError as exc:
        from ui.widgets import show_problems

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


# --- query string ----------------------------------------------------------------------------


def sync_query_params() -> None:
    """Mirror the state in the URL (only what differs from the set's defaults)."""
    cs, _ = load_set(current_criteria_path())
    if cs is None:
        return
    sc = current_scenario()
    params = scenario_to_params(sc, default_weights(cs))
    params["lang"] = get_lang()
    # Sent on every run, not only on change: it is one small message, and a page switch starts
    # from the page's bare address, so the parameters must be written again anyway.
    st.query_params.from_dict(params)
