"""The app's shell (app.py and the session modules of ui/): every listed page must exist, and a
folder without criteria sets says so instead of opening a test fixture."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "ui" / "pages"


def test_every_listed_page_exists_and_a_missing_one_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(ROOT / "tests" / "fixtures" / "mini"))
    (tmp_path / "app.py").write_text((ROOT / "app.py").read_text(encoding="utf-8"), encoding="utf-8")
    pages = tmp_path / "ui" / "pages"
    pages.mkdir(parents=True)
    for page in PAGES.glob("*.py"):
        if page.name != "provider.py":
            (pages / page.name).symlink_to(page)
    at = AppTest.from_file(str(tmp_path / "app.py"), default_timeout=60).run()
    # Users see a generic sentence (showErrorDetails = "none"); the error is still raised and logged.
    assert len(at.exception) == 1
    from streamlit import config

    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    try:
        at = AppTest.from_file(str(tmp_path / "app.py"), default_timeout=60).run()
    finally:
        config.set_option("client.showErrorDetails", shown)
    assert [e.message for e in at.exception] == ["Unable to create Page. The file `provider.py` could not be found."]


def test_no_criteria_set_shows_the_missing_file_not_a_fixture(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.context = {"locale": "en-CA"}
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["1 problem(s) in the study files"]
    # One table only: the problem, not a ranking of the mini fixture's options.
    assert [d.value.to_dict("records") for d in at.dataframe] == [
        [{"File": str(tmp_path / "health-data-sovereignty.yaml"), "Line": 1, "Field": "", "Problem": "file not found"}]
    ]
