"""The Scenario page's "compare with…": the state in force (A) against a shipped scenario of the
same criteria set, or an uploaded one (B).

Everything shown comes from `workbench.scenario_diff.diff_scenarios`: the differences, applied to
A one at a time in the engine's order, each with the rank moves it caused, and the rankings under
A and B. This module only names things in the user's language: kinds, criteria, options,
methods, normalisations, and the values (numbers in the locale). Tables are st.dataframe (cells
are plain text), so names and values from files cannot inject markup.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from ui import state
from ui.study_files import load_set
from ui.widgets import md_escape, show_problems
from workbench.errors import LoadError, WorkbenchError
from workbench.files.loading import parse_scenario
from workbench.files.yamlfile import parse_yaml
from workbench.i18n import fmt_number, t
from workbench.methods import method_label
from workbench.model import CriteriaSet, Scenario
from workbench.scenario_diff import Change, ScenarioDiff, diff_scenarios, named_at
from workbench.study import REPO_ROOT

SCENARIOS_DIR = REPO_ROOT / "scenarios"
MAX_BYTES = 1_000_000
UPLOAD = "__upload__"  # the choice "a file of mine"
MEMO_KEY = "_scn_cmp_memo"  # (inputs' key, ScenarioDiff)
KINDS = {"option": "diff.kind.option", "must-have": "diff.kind.must_have", "override": "diff.kind.override",
         "cost": "diff.kind.cost", "weight": "diff.kind.weight", "normalization": "diff.kind.normalization",
         "method": "diff.kind.method"}  # fmt: skip
WORDS = {"included": "diff.value.included", "excluded": "diff.value.excluded", "on": "diff.value.on",
         "off": "diff.value.off", "none": "diff.value.none"}  # fmt: skip
SETTINGS = {"horizon": "diff.setting.horizon", "discount_rate": "diff.setting.discount_rate",
            "currency": "diff.setting.currency", "fx": "diff.setting.fx", "seats": "diff.setting.seats"}  # fmt: skip


def _names_set(value: object, cs: CriteriaSet, path: Path) -> bool:
    """Whether a scenario's `criteria:` field names this set (by id, file name or path)."""
    if not isinstance(value, str) or not value:
        return False
    return value == cs.id or Path(value).name == path.name or (REPO_ROOT / value).resolve() == path.resolve()


@st.cache_data(show_spinner=False, max_entries=8)
def _read_shipped(stamp: tuple[tuple[str, float], ...]) -> list[tuple[str, object, str, str]]:
    """(file name, its `criteria:` field, title, text) of each readable shipped scenario; `stamp`
    (names and modification times) is the cache key, so the folder is parsed once until it changes."""
    out = []
    for name, _ in stamp:
        file = SCENARIOS_DIR / name
        try:
            text = file.read_text(encoding="utf-8")
            data = parse_yaml(text, file.name).data
        except (OSError, UnicodeDecodeError, LoadError):
            continue  # a broken shipped file is the validator's business, not this list's
        if isinstance(data, dict):
            out.append((file.name, data.get("criteria"), str(data.get("title") or file.stem), text))
    return out


def shipped(cs: CriteriaSet, path: Path) -> dict[str, tuple[str, str]]:
    """The shipped scenarios of this set: file name -> (title, text)."""
    stamp = tuple((f.name, f.stat().st_mtime) for f in sorted(SCENARIOS_DIR.glob("*.y*ml")))
    return {name: (title, text) for name, named, title, text in _read_shipped(stamp) if _names_set(named, cs, path)}


def upload_text(name: str, raw: bytes, lang: str) -> str | None:
    """An uploaded scenario's text, or None after saying why not (too big, not UTF-8)."""
    if len(raw) > MAX_BYTES:
        st.error(t("app.scenario.too_big", lang, name=md_escape(name)))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        st.error(t("app.scenario.not_text", lang, name=md_escape(name)))
        return None


def _value(kind: str, value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if kind == "method":
        return method_label(str(value), lang)
    if kind == "normalization":
        return t(f"norm.{value}", lang)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return fmt_number(value, lang, 4).rstrip("0").rstrip(",.") if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return t(WORDS[value], lang) if value in WORDS else value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _target(kind: str, target: str | None, nodes: dict[str, str], options: dict[str, str], lang: str) -> str:
    if target is None:
        return "—"
    if kind == "option":
        return options.get(target, target)
    if kind == "override":
        option, _, criterion = target.partition("/")
        return f"{options.get(option, option)} / {nodes.get(criterion, criterion)}"
    if kind == "cost":
        return t(SETTINGS[target], lang) if target in SETTINGS else target
    return nodes.get(target, target)


def _moves(moves: dict[str, list[int | None]], options: dict[str, str], lang: str) -> str:
    """The options whose rank moved, 'name before → after' ('—' where absent)."""
    parts = [f"{options.get(pid, pid)} {'—' if a is None else a} → {'—' if b is None else b}"
             for pid, (a, b) in moves.items() if a != b]  # fmt: skip
    return " · ".join(parts) or t("diff.no_move", lang)


def _nodes_at(cs: CriteriaSet, change: Change, lang: str, memo: dict[int | None, dict[str, str]]) -> dict[str, str]:
    """Node names at `change`'s step: cost criteria named for the horizon then in force."""
    if change.horizon not in memo:
        memo[change.horizon] = {n.id: n.name.get(lang) for n in named_at(cs, change).nodes()}
    return memo[change.horizon]


def show_diff(diff: ScenarioDiff, cs: CriteriaSet, options: dict[str, str], lang: str) -> None:
    """The changes with their rank moves, then the two rankings side by side. `cs` is the file's
    set (as given to `diff_scenarios`)."""
    memo: dict[int | None, dict[str, str]] = {}
    if not diff.changes:
        st.info(t("diff.same", lang))
    else:
        st.caption(t("diff.order", lang))
        rows = [{t("diff.col.step", lang): i, t("diff.col.kind", lang): t(KINDS.get(c.kind, c.kind), lang),
                 t("diff.col.target", lang): _target(c.kind, c.target, _nodes_at(cs, c, lang, memo), options, lang),
                 t("diff.col.from", lang): _value(c.kind, c.before, lang),
                 t("diff.col.to", lang): _value(c.kind, c.after, lang),
                 t("diff.col.moves", lang): t("diff.error", lang, reason=c.error) if c.error
                 else _moves(c.rank_moves, options, lang)}
                for i, c in enumerate(diff.changes, start=1)]  # fmt: skip
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="scn_cmp_changes")
    depth = max(len(diff.ranking_a), len(diff.ranking_b))
    rankings = pd.DataFrame(
        [{t("col.rank", lang): r + 1,
          t("diff.col.a", lang): options.get(diff.ranking_a[r], diff.ranking_a[r]) if r < len(diff.ranking_a) else "",
          t("diff.col.b", lang): options.get(diff.ranking_b[r], diff.ranking_b[r]) if r < len(diff.ranking_b) else ""}
         for r in range(depth)]
    )  # fmt: skip
    st.markdown(f"**{t('diff.rankings', lang)}**")
    st.dataframe(rankings, hide_index=True, width="stretch", key="scn_cmp_rankings")


def _parse(name: str, raw: bytes, cs: CriteriaSet, path: Path, provider_ids: list[str], lang: str) -> Scenario | None:
    """Scenario B, checked against the current set; None after saying why not."""
    text = upload_text(name, raw, lang)
    if text is None:
        return None
    try:
        data = parse_yaml(text, name).data
        named = data.get("criteria") if isinstance(data, dict) else None
        if named and not _names_set(named, cs, path):
            st.error(t("diff.other_set", lang, name=md_escape(name)))
            return None
        return parse_scenario(text, name, cs, provider_ids)
    except LoadError as exc:
        st.error(t("diff.refused", lang, name=md_escape(name)))
        show_problems(exc.problems, lang)
        return None


def compare_section(lang: str) -> None:
    """Pick B (a shipped scenario of this set or a file), then show what differs from the state in force."""
    st.subheader(t("diff.header", lang))
    st.caption(t("diff.intro", lang))
    cs, path = state.current_criteria_set(), Path(state.current_criteria_path())
    files = shipped(cs, path)
    choice = st.selectbox(t("diff.pick", lang), [*files, UPLOAD], index=None, key="scn_cmp_pick",
                          placeholder=t("diff.placeholder", lang),
                          format_func=lambda k: t("diff.upload_choice", lang) if k == UPLOAD else files[k][0])  # fmt: skip
    if choice is None:
        return
    if choice == UPLOAD:
        upload = st.file_uploader(t("diff.upload", lang), type=["yaml", "yml"], key="scn_cmp_upload")
        if upload is None:
            return
        name, raw = upload.name, upload.getvalue()
    else:
        name, raw = choice, files[choice][1].encode("utf-8")
    providers, _ = state.providers_for(path)
    # The file's set, not the session's: each step names the cost criteria for its own horizon.
    cs = load_set(path)[0] or cs
    b = _parse(name, raw, cs, path, [p.id for p in providers], lang)
    if b is None:
        return
    a = state.current_scenario()
    key = (str(path), repr(a), hashlib.sha256(raw).hexdigest(), lang)
    memo = st.session_state.get(MEMO_KEY)
    if memo and memo[0] == key:
        diff = memo[1]
    else:
        try:
            diff = diff_scenarios(cs, providers, a, b)
        except WorkbenchError as exc:
            st.error(t("diff.failed", lang, reason=md_escape(exc)))
            return
        st.session_state[MEMO_KEY] = (key, diff)
    st.markdown(t("diff.between", lang, name=md_escape(files[choice][0] if choice in files else name)))
    show_diff(diff, cs, {p.id: p.name.get(lang) for p in providers}, lang)
