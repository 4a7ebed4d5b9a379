"""The "Build a study" page through AppTest: both languages, a CSV upload edited in the score grid
and used by the Compare page, the draft kept server-side (a new session with the link sees every
edit, an invalid draft is kept and reopened, two editors of one draft never overwrite each other),
copies that leave the original untouched, saving beside the shipped sets, and a hostile upload."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from workbench.drafts import DraftStore

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
BUILD = str(ROOT / "ui" / "pages" / "build.py")
FIXTURES = ROOT / "tests" / "fixtures" / "spreadsheets"
MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture
def places(tmp_path, monkeypatch) -> dict[str, Path]:
    """A database, a studies folder and a criteria folder (a copy of the mini study) of the test's own."""
    crit = tmp_path / "criteria"
    crit.mkdir()
    shutil.copytree(MINI / "providers", tmp_path / "providers" / "mini")
    text = (MINI / "criteria.yaml").read_text(encoding="utf-8")
    (crit / "mini.yaml").write_text(text.replace("tests/fixtures/mini/providers", str(tmp_path / "providers" / "mini")))
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(crit))
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    monkeypatch.setenv("WORKBENCH_STUDIES_DIR", str(tmp_path / "studies"))
    st.cache_resource.clear()
    yield {"criteria": crit, "studies": tmp_path / "studies", "db": tmp_path / "db.sqlite"}
    st.cache_resource.clear()


def open_page(lang: str = "fr", draft: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    if draft:
        at.query_params["draft"] = draft
    at.switch_page(BUILD).run()  # the first run is on this page, as when a link is opened
    assert not at.exception, [e.message for e in at.exception]
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def upload(at: AppTest, path: Path) -> AppTest:
    at.file_uploader(key="bd_upload").upload(path.name, path.read_bytes(), "text/csv")
    at.run()
    return click(at, "bd_start_upload")


def editor(at: AppTest, prefix: str):
    return next(e for e in at.data_editor if e.key.startswith(prefix))


def preview(at: AppTest) -> list[str]:
    """The option names of the page's ranking, best first."""
    table = next(m.value for m in at.markdown if m.value.startswith("| # |"))
    return [line.split("|")[2].strip() for line in table.splitlines()[2:]]


def problems(at: AppTest) -> list[str]:
    """The page's list of problems, one line each (place, column, message)."""
    text = next(m.value for m in at.markdown if m.value.startswith("- ") and " — " in m.value)
    return text.splitlines()


def edit_grid(at: AppTest, edits: dict[int, dict[str, str]]) -> AppTest:
    grid = editor(at, "bd_grid")
    at.session_state[grid.key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize(
    ("lang", "title", "starts", "tabs"),
    [
        ("fr", "Construire une étude", ["Modèle vide", "Classeur ou CSV", "Copie d'une étude"],
         ["Étude", "Critères", "Options", "Notes", "Preuves", "Niveaux et avancé"]),
        ("en", "Build a study", ["Empty template", "Workbook or CSV", "Copy of a study"],
         ["Study", "Criteria", "Options", "Scores", "Evidence", "Levels and advanced"]),
    ],
)  # fmt: skip
def test_page_in_both_languages(places, lang, title, starts, tabs):
    at = open_page(lang)
    assert [x.value for x in at.title] == [title]
    assert [s.value for s in at.subheader] == starts
    at = click(at, "bd_start_template")
    assert [tab.label for tab in at.tabs] == tabs
    assert at.query_params["draft"] == at.session_state["bd_token"]
    where = "Étude, ligne 1" if lang == "fr" else "Study, row 1"
    assert f"- **{where}** · id — the study needs an id (row 'id' of the study sheet)" in problems(at)


def test_csv_upload_grid_edit_use_and_compare(places):
    at = upload(open_page("en"), FIXTURES / "three-options.csv")
    assert preview(at) == ["B", "A", "C"]
    at = edit_grid(at, {0: {"quality": "9"}})  # A: quality 5 -> 9
    assert preview(at) == ["A", "B", "C"]
    token = at.session_state["bd_token"]
    stored = DraftStore(f"sqlite:///{places['db']}").load(token)
    assert {(r["option"], r["criterion"]): r["value"] for r in stored.tables["scores"]}[("a", "quality")] == "9"
    at = click(at, "bd_use")
    assert Path(at.session_state["wb_criteria"]).name == "three-options.yaml"
    at.switch_page(str(ROOT / "ui" / "pages" / "compare.py")).run()
    assert not at.exception
    ranking = next(m.value for m in at.markdown if m.value.startswith("| ") and "---|" in m.value)
    assert [line.split("|")[2].strip(" *") for line in ranking.splitlines()[2:]] == ["A", "B", "C"]
    # Coming back to the page (whose editors Streamlit forgot meanwhile) keeps the edit.
    at.switch_page(BUILD).run()
    assert editor(at, "bd_grid").value.loc["a", "quality"] == "9"
    assert DraftStore(f"sqlite:///{places['db']}").load(token).revision == stored.revision
    # A new session opening the draft link sees the edit (a reload, another tab or a colleague).
    again = open_page("fr", draft=token)
    assert editor(again, "bd_grid").value.loc["a", "quality"] == "9"
    assert preview(again) == ["A", "B", "C"]


def test_an_invalid_draft_is_kept_and_reopened_with_its_problems(places):
    at = upload(open_page("en"), FIXTURES / "three-options.csv")
    crit = editor(at, "bd_criteria")
    at.session_state[crit.key] = {"edited_rows": {1: {"direction": "sideways"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert at.button(key="bd_use").disabled
    again = open_page("en", draft=at.session_state["bd_token"])
    assert problems(again) == ["- **Criteria, row 2** · direction — 'sideways' is not one of\\: benefit, cost"]
    assert editor(again, "bd_criteria").value.loc[1, "direction"] == "sideways"


def test_two_editors_of_one_draft_never_overwrite_each_other(places):
    first = upload(open_page("en"), FIXTURES / "three-options.csv")
    second = open_page("en", draft=first.session_state["bd_token"])
    edit_grid(first, {0: {"price": "15"}})
    # The second session draws the newer revision before its own edit applies: nothing is lost.
    second.run()
    assert editor(second, "bd_grid").value.loc["a", "price"] == "15"
    edit_grid(second, {1: {"price": "25"}})
    first.run()
    grid = editor(first, "bd_grid").value
    assert (grid.loc["a", "price"], grid.loc["b", "price"]) == ("15", "25")


def test_evidence_form_saves_sources_and_status(places):
    at = upload(open_page("en"), FIXTURES / "three-options.csv")
    at.selectbox(key="bd_ev_option").set_value("c").run()
    at.selectbox(key="bd_ev_criterion").set_value("quality").run()
    suffix = f"c|quality|{at.session_state['bd_version']}"
    at.text_input(key=f"bd_ev_value_{suffix}").set_value("8")
    at.selectbox(key=f"bd_ev_status_{suffix}").set_value("verified")
    at.selectbox(key=f"bd_ev_confidence_{suffix}").set_value("high")
    at.text_area(key=f"bd_ev_ren_{suffix}").set_value("Tested in March.")
    at.session_state[f"bd_ev_sources_{suffix}"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"source_title": "Test report", "source_url": "https://example.org/r", "source_published": "2026-03",
         "source_accessed": "2026-04-01", "source_kind": "analysis"}]}  # fmt: skip
    next(b for b in at.button if b.label == "Save this score").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    stored = DraftStore(f"sqlite:///{places['db']}").load(at.session_state["bd_token"])
    rows = [r for r in stored.tables["scores"] if (r["option"], r["criterion"]) == ("c", "quality")]
    assert len(rows) == 1
    assert {k: rows[0][k] for k in ("value", "status", "confidence", "rationale_en", "source_title", "source_kind")} == {
        "value": "8", "status": "verified", "confidence": "high", "rationale_en": "Tested in March.",
        "source_title": "Test report", "source_kind": "analysis"}  # fmt: skip
    assert editor(at, "bd_grid").value.loc["c", "quality"] == "8"


def test_a_copy_never_changes_the_original_and_a_saved_study_is_listed(places):
    original = (places["criteria"] / "mini.yaml").read_bytes()
    profiles = {p.name: p.read_bytes() for p in (places["criteria"].parent / "providers" / "mini").glob("*.yaml")}
    at = click(open_page("en"), "bd_start_copy")
    study = editor(at, "bd_study").value
    assert study.loc[study["key"] == "id", "value"].tolist() == ["mini-copy"]
    edit_grid(at, {0: {"exposure": "2"}})
    at = click(at, "bd_save")
    assert (places["studies"] / "criteria" / "mini-copy.yaml").is_file()
    assert (places["criteria"] / "mini.yaml").read_bytes() == original
    assert {
        p.name: p.read_bytes() for p in (places["criteria"].parent / "providers" / "mini").glob("*.yaml")
    } == profiles
    at.switch_page(str(ROOT / "ui" / "pages" / "study.py")).run()
    assert not at.exception
    names = [str(o) for o in at.selectbox(key="study_set").options]
    assert any("mini-copy.yaml" in n for n in names) and any("(mini.yaml)" in n for n in names)


def test_a_hostile_upload_opens_with_its_problems_named(places, tmp_path):
    from tests.test_spreadsheet_hostile import hostile_workbook

    path = tmp_path / "hostile.xlsx"
    hostile_workbook(path)
    at = open_page("en")
    at.file_uploader(key="bd_upload").upload(path.name, path.read_bytes(), "application/octet-stream")
    at.run()
    at = click(at, "bd_start_upload")
    warning = next(w.value for w in at.warning if "could not be read" in w.value)
    assert "scores!H2" in warning and "criteria!E3" in warning
    assert at.button(key="bd_use").disabled
