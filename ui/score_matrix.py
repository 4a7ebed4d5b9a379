"""The Compare page's score matrix: every option's value on every criterion, with its marks (low
confidence, what-if override, missing score, evidence status), and the evidence behind one
criterion's scores (rationale, sources, the file and line each score comes from).

Wide screens get the matrix as a table (a column an option). On a phone (below 640 px, as the
page's other phone layouts) a table of several options scrolls sideways in a cramped box, so it is
hidden there and the same cells are shown per option instead: one folded section an option, a
criterion a line (its name, then its value), nothing wider than the screen. Both are rendered;
CSS shows one.

Table cells are plain text in st.dataframe, and the phone lines are Markdown with every piece from
files escaped, so names, level labels and rationales from files cannot inject markup.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import state
from ui.whatif import OVERRIDDEN
from ui.widgets import fmt_score, md_escape, safe_url
from workbench.evidence import STATUS_MARKS, source_line, status_legend
from workbench.i18n import t
from workbench.model import Criterion, Provider, Score
from workbench.report.formatting import colon
from workbench.study import REPO_ROOT, Study

LOW = "⚠"
MISSING = "∅"

# Static CSS only (no user text): the table on wide screens, the per-option sections on phones.
MATRIX_CSS = """<style>
.st-key-score_matrix_phone {display: none;}
@media (max-width: 640px) {
  .st-key-score_matrix {display: none;}
  .st-key-score_matrix_phone {display: flex;}
  .st-key-score_matrix_phone p {overflow-wrap: anywhere;}
}
</style>"""


def cell(study: Study, leaf: Criterion, i: int, j: int, lang: str) -> str:
    """Option `i`'s value on leaf `j` as shown: the number (and the scale level's label), marked."""
    provider = study.providers[i]
    value = float(study.matrix[i, j])
    label = leaf.scale.label_of(value, lang) if leaf.scale else None
    text = fmt_score(value, lang) + (f" ({label})" if label else "")
    score = provider.scores.get(leaf.id)
    if study.missing[i, j]:
        return f"{MISSING} {text}"
    if study.overridden[i, j]:
        return f"{OVERRIDDEN} {text}"
    if score and score.confidence == "low":
        text = f"{LOW} {text}"
    if score and score.status:
        text += f" {STATUS_MARKS[score.status]}"
    return text


def criterion_label(leaf: Criterion, leaf_names: dict[str, str]) -> str:
    """A criterion's name with the way it counts: ↑ more is better, ↓ less is better."""
    return f"{leaf_names[leaf.id]} {'↓' if leaf.direction == 'cost' else '↑'}"


def _origin(provider: Provider, score: Score | None, lang: str) -> str:
    """`file:line` of the score, said as a component's when a composed option takes it from one."""
    if score is None or not score.origin:
        return ""
    place = score.origin.replace(str(REPO_ROOT) + "/", "")
    own = str(provider.path or provider.id)
    return place if score.origin.startswith(own + ":") else t("app.origin.component", lang, file=place)


def _matrix_table(study: Study, names: dict[str, str], leaf_names: dict[str, str], lang: str) -> None:
    matrix = pd.DataFrame(
        {
            names[p.id]: [cell(study, leaf, i, j, lang) for j, leaf in enumerate(study.leaves)]
            for i, p in enumerate(study.providers)
        },
        index=[criterion_label(leaf, leaf_names) for leaf in study.leaves],
    )
    with st.container(key="score_matrix"):
        st.dataframe(
            matrix,
            width="stretch",
            height=min(38 * (len(study.leaves) + 1), 900),
            column_config={
                "_index": st.column_config.Column(width="medium", pinned=False),
                **{name: st.column_config.Column(width="medium") for name in matrix.columns},
            },
        )


def _matrix_by_option(study: Study, names: dict[str, str], leaf_names: dict[str, str], lang: str) -> None:
    """The same cells for phones: an option a folded section, a criterion a line in it."""
    sep = colon(lang)
    with st.container(key="score_matrix_phone"):
        for i, p in enumerate(study.providers):
            lines = [
                f"{md_escape(criterion_label(leaf, leaf_names))}{sep}**{md_escape(cell(study, leaf, i, j, lang))}**"
                for j, leaf in enumerate(study.leaves)
            ]
            with st.expander(md_escape(names[p.id])), st.container(key=f"matrix_option_{i}"):
                st.markdown("  \n".join(lines))


def _evidence(study: Study, names: dict[str, str], leaf_names: dict[str, str], lang: str) -> None:
    """One criterion's scores with their confidence, status, rationale, sources and origin."""
    with st.expander(t("app.compare.evidence", lang)):
        leaf_id = st.selectbox(
            t("col.criterion", lang),
            study.leaf_ids,
            format_func=leaf_names.get,
            key="cmp_evidence_leaf",
            placeholder=t("app.choose_one", lang),
        )
        j = study.leaf_ids.index(leaf_id)
        leaf = study.leaves[j]
        if leaf.description:
            st.caption(md_escape(leaf.description.get(lang)))
        rows = []
        for i, p in enumerate(study.providers):
            score = p.scores.get(leaf_id)
            override = state.override_for(p.id, leaf_id)
            sources = list(score.sources) if score else []
            rows.append(
                {
                    t("col.provider", lang): names[p.id],
                    t("col.score", lang): cell(study, leaf, i, j, lang),
                    t("app.confidence", lang): t(f"confidence.{score.confidence}", lang)
                    if score and score.confidence
                    else "",
                    t("app.status", lang): t(f"status.{score.status}", lang) if score and score.status else "",
                    t("app.rationale", lang): (score.rationale.get(lang) if score and score.rationale else "")
                    + (f" [{OVERRIDDEN} {override.note}]" if override else ""),
                    t("app.source", lang): next((safe_url(s.url) for s in sources if safe_url(s.url)), None),
                    t("app.sources", lang): " · ".join(source_line(s, lang) for s in sources),
                    t("app.origin", lang): _origin(p, score, lang),
                }
            )
        st.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            column_config={
                t("app.source", lang): st.column_config.LinkColumn(t("app.source", lang)),
                t("app.rationale", lang): st.column_config.TextColumn(width="large"),
            },
        )


def score_matrix_section(study: Study, names: dict[str, str], leaf_names: dict[str, str], lang: str) -> None:
    """The matrix with its legend, then the evidence of one criterion (folded)."""
    st.subheader(t("app.compare.matrix", lang))
    st.markdown(MATRIX_CSS, unsafe_allow_html=True)
    _matrix_table(study, names, leaf_names, lang)
    _matrix_by_option(study, names, leaf_names, lang)
    legend = t("app.compare.legend", lang, low=LOW, overridden=OVERRIDDEN, missing=MISSING,
               statuses=status_legend(lang))  # fmt: skip
    st.caption(legend)
    _evidence(study, names, leaf_names, lang)
