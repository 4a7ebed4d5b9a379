"""Provider page: one profile in full (facts, every score with rationale, confidence, sources)."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.widgets import fmt_score, md_escape, page_chrome, provider_colors, safe_url
from workbench.charts import study as charts
from workbench.errors import WorkbenchError
from workbench.evidence import STATUS_MARKS, load_policy, source_line, status_legend
from workbench.evidence.checks import source_kind
from workbench.i18n import t
from workbench.report.formatting import colon
from workbench.report.safety import md_url
from workbench.study import REPO_ROOT
from workbench.validation import study_policy

lang = state.get_lang()
cs = state.current_criteria_set()
providers = state.all_providers()
st.title(t("app.provider.title", lang))
page_chrome(lang)
SEP = colon(lang)
# Fact keys the shipped profiles use, named in both languages (catalogue keys written in full).
FACT_LABELS = {
    key.removeprefix("app.fact."): key
    for key in (
        "app.fact.assumption", "app.fact.certifications", "app.fact.clinical_data", "app.fact.cmyk",
        "app.fact.components", "app.fact.contracts", "app.fact.database", "app.fact.developer", "app.fact.exists",
        "app.fact.headquarters", "app.fact.host", "app.fact.latest", "app.fact.legal_case", "app.fact.licence",
        "app.fact.licences", "app.fact.model", "app.fact.native_format", "app.fact.note", "app.fact.operator",
        "app.fact.owner", "app.fact.owners", "app.fact.ownership", "app.fact.platforms", "app.fact.price",
        "app.fact.programme", "app.fact.qualification", "app.fact.regions", "app.fact.replaces", "app.fact.role",
        "app.fact.scaleway_secnumcloud", "app.fact.services", "app.fact.since", "app.fact.site", "app.fact.sites",
        "app.fact.status_quo", "app.fact.steward", "app.fact.technology", "app.fact.vendor",
        "app.fact.virtualisation",
    )
}  # fmt: skip
if not providers:
    st.warning(t("app.study.none_selected", lang))
    st.stop()

names = {p.id: p.name.get(lang) for p in providers}
ids = [p.id for p in providers]
if st.session_state.get("prov_pick") not in ids:
    st.session_state["prov_pick"] = st.session_state.get("wb_provider_page") or ids[0]
    if st.session_state["prov_pick"] not in ids:
        st.session_state["prov_pick"] = ids[0]
pid = st.selectbox(
    t("col.provider", lang), ids, format_func=names.get, key="prov_pick", placeholder=t("app.choose_one", lang)
)
st.session_state["wb_provider_page"] = pid
provider = next(p for p in providers if p.id == pid)

try:
    policy = study_policy(cs)
except WorkbenchError:  # a broken study policy file is reported by `validate`; kinds fall back to the project's
    policy = load_policy()
st.header(provider.name.get(lang))
if provider.kind:
    st.caption(md_escape(provider.kind.get(lang)))
if provider.summary:
    st.markdown(md_escape(provider.summary.get(lang)))
if pid not in state.selected_provider_ids():
    st.info(t("app.provider.not_selected", lang))


def _fact_label(key: object) -> str:
    """A fact's name in the user's language: the catalogue's for a known key, else as written
    ('native_format' -> 'native format')."""
    label = FACT_LABELS.get(str(key))
    return t(label, lang) if label else str(key).replace("_", " ")


def _fact(value: object) -> str:
    """A fact's value as text: the user's language where the profile gives both, yes/no in words."""
    if isinstance(value, bool):
        return t("app.yes" if value else "app.no", lang)
    if isinstance(value, list):
        return " · ".join(_fact(v) for v in value)
    if isinstance(value, dict):
        if value and set(value) <= {"en", "fr"}:
            return str(value.get(lang) or value.get("en") or value.get("fr") or "")
        return " · ".join(f"{_fact_label(k)}{SEP}{_fact(v)}" for k, v in value.items())
    if isinstance(value, float):
        return fmt_score(value, lang)
    return str(value)


if provider.facts:
    st.subheader(t("app.provider.facts", lang))
    st.dataframe(
        [
            {t("app.provider.fact", lang): _fact_label(k), t("app.provider.value", lang): _fact(v)}
            for k, v in provider.facts.items()
        ],
        hide_index=True,
        width="stretch",
        column_config={t("app.provider.value", lang): st.column_config.TextColumn(width="large")},
    )

st.subheader(t("app.provider.scores", lang))
st.caption(t("app.provider.legend", lang, statuses=status_legend(lang)))
if provider.is_reference:
    st.info(t("app.compare.references_help", lang))
for leaf in cs.leaves():
    score = provider.scores.get(leaf.id)
    override = state.override_for(pid, leaf.id)
    value = score.value if score else None
    label = leaf.scale.label_of(value, lang) if (leaf.scale and value is not None) else None
    shown = fmt_score(value, lang) + (f" ({label})" if label else "")
    if leaf.source == "tco":
        shown = t("app.provider.from_tco", lang)
    if override:
        shown = f"✎ {fmt_score(override.value, lang)} ({t('app.provider.was', lang)} {shown})"
    elif score and score.confidence == "low":
        shown = f"⚠ {shown}"
    facts = [f"**{md_escape(shown)}**"]
    if score and score.range:
        facts.append(
            f"{t('app.provider.range', lang)} {fmt_score(score.range[0], lang)} – {fmt_score(score.range[1], lang)}"
        )
    if score and score.confidence:
        facts.append(f"{t('app.confidence', lang)}{SEP}{t(f'confidence.{score.confidence}', lang)}")
    if score and score.status:
        facts.append(f"{STATUS_MARKS[score.status]} {t(f'status.{score.status}', lang)}")
    with st.container(border=True):
        st.markdown(f"**{md_escape(leaf.name.get(lang))}** · " + " · ".join(facts))
        if score and score.rationale:
            st.markdown(md_escape(score.rationale.get(lang)))
        if score and score.dispute:
            st.markdown(f"⚑ {md_escape(score.dispute.get(lang))}")
        if score and score.origin and not score.origin.startswith(f"{provider.path}:"):
            place = score.origin.replace(str(REPO_ROOT) + "/", "")
            st.caption(t("app.origin.component", lang, file=place))
        if override and override.note:
            st.markdown(f"✎ {md_escape(override.note)}")
        links = []
        for s in score.sources if score else ():
            url = safe_url(s.url)
            title, _, details = source_line(s, lang, source_kind(s, policy)).partition(" — ")
            title = md_escape(title)
            links.append((f"- [{title}]({md_url(url)})" if url else f"- {title}") + f" — {md_escape(details)}")
            if s.quote:
                links.append(f"  > « {md_escape(s.quote)} »" if lang == "fr" else f"  > “{md_escape(s.quote)}”")
        if links:
            st.markdown("\n".join(links))

if pid in state.selected_provider_ids():
    ev, reason = state.try_evaluation()
    if ev is not None:
        study = state.current_study()
        colors = provider_colors(ids)
        st.altair_chart(charts.profile_chart(ev, study, pid, lang, colors), width="stretch")
