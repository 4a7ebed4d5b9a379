"""AppTest of the workshop pages: the facilitator dashboard (ui/pages/workshop.py) and the
participant page (ui/pages/join.py), each on its own SQLite file. AppTest renders the live
fragment on every full run (it cannot tick the timer) and cannot send cookies: the tests that
come back with a cookie stand in for the browser through ui.workshop_store.read_cookies (the
real cookie round trip is in tests/test_workshop_browser.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.workshop_store import workshop_store
from workbench.errors import WeightsError
from workbench.files.loading import load_criteria_set
from workbench.workshop import WorkshopStore, leaf_to_node_weights, normalise_ballot

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
MINI_DIR = ROOT / "tests" / "fixtures" / "mini"
MINI = MINI_DIR / "criteria.yaml"
FACILITATOR = "ui/pages/workshop.py"
JOIN = "ui/pages/join.py"
BAD_URL = "postgresql+psycopg://nobody@127.0.0.1:1/none"
ALL_ZERO_EN = "All weights are zero: give at least one criterion a positive weight."


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", url)
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(MINI_DIR))
    return url


@pytest.fixture
def store(db):
    s = WorkshopStore(db)
    yield s
    s.close()


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)  # start there, so the link's query string reaches the page
    return at.run()


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "success", "info", "warning", "error", "header", "subheader")
             for e in getattr(at, kind)]  # fmt: skip
    return "\n".join(str(p) for p in parts)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def populated(store: WorkshopStore, names=("Alice", "<script>alert(1)</script>", "**Bob**")):
    ws = store.create_workshop(criteria=MINI, title="Atelier <i>test</i>")
    ballots = [{"legal": 3, "cost": 1}, {"legal": 1, "cost": 3}, {"exposure": 0, "residency": 1}]
    people = [store.join(ws.join_code, name=n) for n in names]
    for person, ballot in zip(people, ballots, strict=False):
        store.submit_ballot(person.token, ballot)
    return ws, people


# --- facilitator -----------------------------------------------------------------------------


def test_facilitator_creates_a_workshop(db):
    at = open_page(FACILITATOR)
    assert not at.exception
    at.text_input(key="wsf_title").input("Consultation 2026")
    at.checkbox(key="wsf_anonymous").check()
    at.button[0].click().run()  # the create form's submit button comes first
    assert not at.exception
    token = at.session_state["wsf_token"]
    info = WorkshopStore(db).workshop(token)
    assert info["title"] == "Consultation 2026" and info["anonymous"] is True
    assert "Consultation 2026" in texts(at)
    assert metrics(at) == {"Participants": "0", "Pondérations reçues": "0", "Consensus (W de Kendall)": "—"}
    shown = texts(at)
    assert f"{info['join_code'][:3]}-{info['join_code'][3:]}" in shown  # the projected code
    assert f"/join?code={info['join_code']}" in shown
    long_code = info["long_code"]
    assert f"{long_code[:4]}-{long_code[4:8]}-{long_code[8:]}" in shown  # never blocked by the limits
    assert len(at.image) == 1  # the QR code
    assert "Aucune pondération reçue" in shown


def test_facilitator_dashboard_shows_values_and_escapes_names(store):
    ws, _ = populated(store)
    at = open_page(FACILITATOR, ws=ws.id, token=ws.facilitator_token)
    assert not at.exception
    res = store.results(ws.facilitator_token)
    kw = f"{res['consensus']['kendall_w']:.2f}".replace(".", ",")
    assert metrics(at) == {"Participants": "3", "Pondérations reçues": "3", "Consensus (W de Kendall)": kw}
    # Names appear only as plain dataframe cells, never in markdown.
    frames = [d.value for d in at.dataframe]
    people = next(f for f in frames if "Participant" in f.columns)
    assert list(people["Participant"]) == ["Alice", "<script>alert(1)</script>", "**Bob**"]
    assert "<script>" not in texts(at) and "<i>test</i>" not in texts(at)
    assert "Atelier &lt;i&gt;test&lt;/i&gt;" in texts(at)  # the title is escaped (ui.widgets.md_escape)
    ranking = next(f for f in frames if "Rang" in f.columns)
    # Option names in French on the French screen (the engine's ranking carries English names).
    french = {"alpha": "Alpha", "beta": "Bêta", "gamma": "Gamma"}
    assert list(ranking["Option"]) == [french[r["id"]] for r in res["ranking"]]
    assert "Bêta" in list(ranking["Option"]) and "Beta" not in list(ranking["Option"])
    wins = "Participants pour qui elle arrive 1re"
    assert dict(zip(ranking["Option"], ranking[wins], strict=True)) == {
        french[r["id"]]: res["winners"][r["id"]] for r in res["ranking"]
    }
    table = next(f for f in frames if "Écart-type" in f.columns)
    assert (
        list(table["Critère"])[0]
        == {"exposure": "Exposition", "residency": "Résidence", "cost": "Coût"}[next(iter(res["dispersion"]))]
    )  # most disputed first
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 3


def test_facilitator_round_controls(store):
    ws, people = populated(store)
    at = open_page(FACILITATOR, ws=ws.id, token=ws.facilitator_token)
    at.button(key="wsf_close").click().run()
    assert store.workshop(ws.facilitator_token)["round_open"] is False
    assert "Tour 1 fermé" in texts(at)
    at.toggle(key="wsf_reveal_1").set_value(True).run()
    assert store.workshop(ws.facilitator_token)["revealed"] is True
    at.button(key="wsf_open").click().run()
    info = store.workshop(ws.facilitator_token)
    assert (info["round"], info["round_open"], info["revealed"]) == (2, True, False)
    assert metrics(at)["Pondérations reçues"] == "0"
    store.submit_ballot(people[0].token, {"cost": 1})
    at.run()
    assert metrics(at)["Pondérations reçues"] == "1"
    rounds = next(d.value for d in at.dataframe if "Tour" in d.value.columns)
    assert list(rounds["Tour"]) == [1, 2] and list(rounds["Pondérations"]) == [3, 1]


def test_aggregate_feeds_compare_and_reports(store):
    ws, _ = populated(store)
    at = open_page(FACILITATOR, ws=ws.id, token=ws.facilitator_token)
    assert "L'agrégat de ce tour repose sur les pondérations reçues : 3 sur 3 participants." in texts(at)
    at.selectbox(key="wsf_use_kind").select("median").run()
    at.button(key="wsf_use").click().run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "wsf_use_confirm"]  # enough ballots: no question
    res = store.results(ws.facilitator_token)
    cs = load_criteria_set(MINI)
    expected = leaf_to_node_weights(cs, res["aggregate"]["median"])
    assert at.session_state["wb_weights"] == pytest.approx(expected)
    summary = at.session_state["wb_workshop"]
    assert summary["median"] == pytest.approx(res["aggregate"]["median"]) and summary["Pondérations reçues"] == 3
    at.switch_page("ui/pages/compare.py").run()
    assert not at.exception
    assert at.session_state["wb_weights"] == pytest.approx(expected)


def test_facilitator_bad_token_and_unreachable_database(db, monkeypatch):
    at = open_page(FACILITATOR, ws="x", token="forged")
    assert "Ce lien d'animation n'est pas valide." in texts(at)
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", BAD_URL)
    at = open_page(FACILITATOR, ws="x", token="whatever")
    assert not at.exception
    assert "injoignable" in texts(at)


def test_facilitator_page_in_english(store):
    ws, _ = populated(store)
    at = open_page(FACILITATOR, ws=ws.id, token=ws.facilitator_token, lang="en")
    assert at.title[0].value == "Weighting workshop"
    assert set(metrics(at)) == {"Participants", "Ballots received", "Consensus (Kendall's W)"}


# --- participant -----------------------------------------------------------------------------


def join_as(at: AppTest, name: str | None) -> AppTest:
    at.button[0].click().run()  # "Continuer" (the code is prefilled from ?code=)
    if name is not None:
        at.text_input(key="wsp_name").input(name)
    at.button[0].click().run()  # "Rejoindre"
    assert not at.exception
    return at


def test_participant_joins_votes_and_revises(store):
    ws = store.create_workshop(criteria=MINI, title="Atelier")
    at = open_page(JOIN, code=ws.join_code.lower())
    assert at.text_input(key="wsp_code").value == f"{ws.join_code[:3]}-{ws.join_code[3:]}"
    join_as(at, "Zoé <b>")
    token = at.session_state["wsp_token"]
    assert "Bienvenue, Zoé &lt;b&gt;" in texts(at)  # escaped: the markup stays text
    assert "Vous n'avez pas encore envoyé" in texts(at)
    at.text_input(key="wsp_w_legal").input("1").run()
    at.text_input(key="wsp_w_cost").input("3").run()
    at.button(key="wsp_send").click().run()
    assert not at.exception
    assert "Pondération enregistrée (tour 1, version 1)." in texts(at)
    cs = load_criteria_set(MINI)
    expected = normalise_ballot(cs, {"legal": 1, "cost": 3})
    assert store.results(ws.facilitator_token)["aggregate"]["mean"] == pytest.approx(expected)
    mine = next(d.value for d in at.dataframe if "Poids" in d.value.columns)
    assert list(mine["Poids"]) == ["18,8\u00a0%", "6,2\u00a0%", "75,0\u00a0%"]
    ranking = next(d.value for d in at.dataframe if "Rang" in d.value.columns)
    own = store.participant_view(token)["ballot"]["ranking"]
    assert list(ranking["Rang"]) == sorted(own.values())
    assert "Les résultats du groupe s'afficheront" in texts(at)
    at.text_input(key="wsp_w_cost").input("1").run()
    at.button(key="wsp_send").click().run()
    assert "version 2" in texts(at)
    assert store.results(ws.facilitator_token)["ballots"] == 1
    store.reveal(ws.facilitator_token)
    at.run()
    assert "Résultats du groupe" in texts(at) and "Les résultats du groupe s'afficheront" not in texts(at)


def test_anonymous_workshop_asks_no_name(store):
    ws = store.create_workshop(criteria=MINI, title="Consultation", anonymous=True)
    at = open_page(JOIN, code=ws.join_code)
    at.button[0].click().run()
    assert "Atelier anonyme" in texts(at)
    assert not [ti for ti in at.text_input if ti.key == "wsp_name"]
    at.button[0].click().run()
    assert at.session_state["wsp_token"]
    assert store.participants(ws.facilitator_token)[0]["name"] is None


def test_wrong_code_is_refused_plainly(store):
    at = open_page(JOIN)
    at.text_input(key="wsp_code").input("ZZZ-ZZZ")
    at.button[0].click().run()
    assert not at.exception
    assert "Aucun atelier n'a ce code. Vérifiez-le." in texts(at)
    assert "wsp_token" not in at.session_state


def test_too_many_wrong_codes_block_the_client(store, monkeypatch):
    import workbench.workshop.access as ws_access

    monkeypatch.setattr(ws_access, "JOIN_ATTEMPTS", 2)  # the page's store is built with the default
    ws = store.create_workshop(criteria=MINI, title="Atelier")
    at = open_page(JOIN)
    for code in ("AAA-AAA", "BBB-BBB", ws.join_code):
        at.text_input(key="wsp_code").input(code)
        at.button[0].click().run()
    assert "Trop de codes erronés depuis ce réseau : scannez le code QR ou tapez le code long" in texts(at)
    assert "attendez 10 minutes" in texts(at)
    assert "wsp_info" not in at.session_state


def test_unreachable_database_keeps_unsent_weights(store, monkeypatch, db):
    ws = store.create_workshop(criteria=MINI, title="Atelier")
    at = join_as(open_page(JOIN, code=ws.join_code), "Ann")
    at.text_input(key="wsp_w_legal").input("7").run()
    at.text_input(key="wsp_w_cost").input("2").run()
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", BAD_URL)
    at.button(key="wsp_send").click().run()
    assert not at.exception
    shown = texts(at)
    assert "injoignable" in shown and "Vos pondérations n'ont pas été envoyées" in shown
    assert at.session_state["wsp_w_legal__value"] == 7.0 and at.session_state["wsp_w_cost__value"] == 2.0
    assert store.results(ws.facilitator_token)["ballots"] == 0
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", db)  # the database is back: the same weights go through
    at.button(key="wsp_send").click().run()
    assert "Pondération enregistrée" in texts(at)
    cs = load_criteria_set(MINI)
    assert store.results(ws.facilitator_token)["aggregate"]["mean"] == pytest.approx(
        normalise_ballot(cs, {"legal": 7, "cost": 2})
    )


def test_closed_round_refuses_and_says_so(store):
    ws = store.create_workshop(criteria=MINI, title="Atelier")
    at = join_as(open_page(JOIN, code=ws.join_code), "Ann")
    store.close_round(ws.facilitator_token)
    at.button(key="wsp_send").click().run()
    assert "Le tour 1 est fermé" in texts(at)
    assert store.results(ws.facilitator_token)["ballots"] == 0
    at.run()
    assert at.button(key="wsp_send").disabled


# --- one store per server; defects of the join page ------------------------------------------


def test_both_pages_share_one_store_per_database(store, db, monkeypatch):
    built: list[WorkshopStore] = []
    original = WorkshopStore.__init__

    def counting_init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        built.append(self)

    monkeypatch.setattr(WorkshopStore, "__init__", counting_init)
    facilitator = open_page(FACILITATOR)
    facilitator.text_input(key="wsf_title").input("Shared")
    facilitator.button[0].click().run()
    code = store.workshop(facilitator.session_state["wsf_token"])["join_code"]  # the test's own store
    participant = join_as(open_page(JOIN, code=code), "Ann")  # another session, the other page
    assert not facilitator.exception and not participant.exception
    assert participant.session_state["wsp_token"]
    assert len(built) == 1  # one store, hence one connection pool, for both pages and sessions
    assert workshop_store() is built[0] and built[0].url == db


def test_join_page_in_english_uses_english_punctuation(store):
    ws = store.create_workshop(criteria=MINI, title="Workshop")
    for name, ballot in (("Ann", {"legal": 3, "cost": 1}), ("Bo", {"legal": 1, "cost": 3})):
        store.submit_ballot(store.join(ws.join_code, name=name).token, ballot)
    store.reveal(ws.facilitator_token)
    res = store.results(ws.facilitator_token)
    kw = res["consensus"]["kendall_w"]
    at = join_as(open_page(JOIN, code=ws.join_code, lang="en"), "Cy")
    shown = texts(at)
    assert f"Ballots received: 2 · Consensus (Kendall's W): {kw:.2f}" in shown
    assert " : " not in shown and " ;" not in shown
    at = join_as(open_page(JOIN, code=ws.join_code), "Di")  # French keeps its spaced colon
    assert f"Pondérations reçues : 2 · Consensus (W de Kendall) : {kw:.2f}".replace(".", ",") in texts(at)


def test_all_zero_weights_are_refused_in_the_participants_language(store):
    ws = store.create_workshop(criteria=MINI, title="Workshop")
    at = join_as(open_page(JOIN, code=ws.join_code, lang="en"), "Ann")
    at.text_input(key="wsp_w_legal").input("0").run()
    at.text_input(key="wsp_w_cost").input("0").run()
    at.button(key="wsp_send").click().run()
    assert not at.exception
    # Once under the weight controls, once under the send button (in sight on a phone).
    assert [e.value for e in at.error] == [ALL_ZERO_EN, ALL_ZERO_EN]
    assert store.results(ws.facilitator_token)["ballots"] == 0


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        # The class decides, not the wording: a WeightsError whose text lacks "zero"…
        (WeightsError("toutes les pondérations sont nulles"), ALL_ZERO_EN),
        # …and another refusal whose text happens to contain "zero" keeps its own sentence.
        (ValueError("the weight of 'zero-trust' must be a number"), "the weight of 'zero-trust' must be a number"),
    ],
)
def test_join_page_tells_weights_errors_by_class(store, monkeypatch, error, shown):
    ws = store.create_workshop(criteria=MINI, title="Workshop")
    at = join_as(open_page(JOIN, code=ws.join_code, lang="en"), "Ann")

    def refuse(self, token, weights):
        raise error

    monkeypatch.setattr(WorkshopStore, "submit_ballot", refuse)
    at.button(key="wsp_send").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [shown]


# --- issue 12: few ballots, names in French, no analyst navigation, coming back -------------------


def test_aggregate_of_few_ballots_asks_first(store):
    """1 ballot of 3 participants: the page says what the average rests on and asks before
    making it the weights in force (it took it silently before)."""
    ws = store.create_workshop(criteria=MINI, title="Atelier")
    people = [store.join(ws.join_code, name=n) for n in ("Ann", "Bo", "Cy")]
    store.submit_ballot(people[0].token, {"legal": 1, "cost": 3})
    at = open_page(FACILITATOR, ws=ws.id, token=ws.facilitator_token)
    assert "L'agrégat de ce tour repose sur les pondérations reçues : 1 sur 3 participants." in texts(at)
    before = dict(at.session_state["wb_weights"])
    at.button(key="wsf_use").click().run()
    assert not at.exception
    assert "Pondérations reçues : 1 sur 3 participants. L'agrégat (Moyenne) risque de ne pas représenter" in texts(at)
    assert at.session_state["wb_weights"] == before and "wb_workshop" not in at.session_state
    at.button(key="wsf_use_cancel").click().run()
    assert at.session_state["wb_weights"] == before and not [b for b in at.button if b.key == "wsf_use_confirm"]
    at.button(key="wsf_use").click().run()
    at.button(key="wsf_use_confirm").click().run()
    assert not at.exception
    expected = leaf_to_node_weights(load_criteria_set(MINI), store.results(ws.facilitator_token)["aggregate"]["mean"])
    assert at.session_state["wb_weights"] == pytest.approx(expected)
    assert at.session_state["wb_workshop"]["Pondérations reçues"] == 1


def test_participants_see_option_names_in_their_language(store):
    ws = store.create_workshop(criteria=MINI, title="Atelier")
    store.submit_ballot(store.join(ws.join_code, name="Ann").token, {"legal": 3, "cost": 1})
    store.reveal(ws.facilitator_token)
    at = join_as(open_page(JOIN, code=ws.join_code), "Bo")
    group = [d.value for d in at.dataframe if "Option" in d.value.columns]
    assert group and all("Bêta" in list(g["Option"]) and "Beta" not in list(g["Option"]) for g in group)
    at = join_as(open_page(JOIN, code=ws.join_code, lang="en"), "Cy")
    group = [d.value for d in at.dataframe if "Option" in d.value.columns]
    assert all("Beta" in list(g["Option"]) for g in group)


def test_join_page_has_no_analyst_navigation(store):
    ws = store.create_workshop(criteria=MINI, title="Atelier")
    at = open_page(JOIN, code=ws.join_code)
    assert not at.exception
    assert len(at.sidebar.children) == 0  # no language radio, no study name, no page list
    assert [r.key for r in at.radio] == ["wb_lang"]  # the page's own language switch
    assert dict(at.query_params) == {"code": ws.join_code}  # no analyst scenario in the address
    at.radio(key="wb_lang").set_value("en").run()
    assert at.title[0].value == "Join a workshop"
    analyst = open_page("ui/pages/compare.py")
    assert len(analyst.sidebar.children) >= 1  # the analyst pages keep theirs


def cookies(monkeypatch, values: dict[str, str]) -> None:
    """What the browser would send when the session connects."""
    import ui.workshop_store as ws_ui

    monkeypatch.setattr(ws_ui, "read_cookies", lambda: dict(values))


def test_participant_comes_back_as_the_same_participant(store, monkeypatch):
    """Join, send, then a reload (a new session with the browser's cookie): the same participant,
    whose next ballot is revision 2; typing the code again resumes too. One person, one ballot."""
    ws = store.create_workshop(criteria=MINI, title="Consultation", anonymous=True)
    at = join_as(open_page(JOIN, code=ws.join_code), None)
    token = at.session_state["wsp_token"]
    assert dict(at.query_params) == {"code": ws.join_code}  # the code stays in the address
    scripts = [h.proto.body for h in at.get("html")]
    cookie = f"wb_participant_{ws.join_code}"
    assert any(f"document.cookie = '{cookie}={token};" in body for body in scripts)
    at.button(key="wsp_send").click().run()
    assert "version 1" in texts(at)
    cookies(monkeypatch, {cookie: token})
    again = open_page(JOIN, code=ws.join_code)  # the reload
    assert not again.exception and again.session_state["wsp_token"] == token
    again.button(key="wsp_send").click().run()
    assert "Pondération enregistrée (tour 1, version 2)." in texts(again)
    bare = open_page(JOIN)  # the bare join address: this browser's one workshop
    assert bare.session_state["wsp_token"] == token
    cookies(monkeypatch, {cookie: token, "wb_participant_ZZZZZZ": "another-one"})
    typed = open_page(JOIN)  # two workshops on this device: the code typed by hand decides
    assert "wsp_token" not in typed.session_state
    typed.text_input(key="wsp_code").input(ws.join_code.lower())
    typed.button[0].click().run()
    assert typed.session_state["wsp_token"] == token
    res = store.results(ws.facilitator_token)
    assert (res["participants"], res["ballots"]) == (1, 1)
    assert store.ballots(ws.facilitator_token)[0]["revision"] == 2


def test_participant_who_leaves_is_not_resumed(store, monkeypatch):
    ws = store.create_workshop(criteria=MINI, title="Atelier")
    at = join_as(open_page(JOIN, code=ws.join_code), "Ann")
    token = at.session_state["wsp_token"]
    cookies(monkeypatch, {f"wb_participant_{ws.join_code}": token})
    at.button(key="wsp_leave").click().run()
    assert "wsp_token" not in at.session_state
    scripts = [h.proto.body for h in at.get("html")]
    assert any(f"wb_participant_{ws.join_code}=; path=/; max-age=0" in body for body in scripts)
    # A cookie that no longer opens anything (here: forged) is ignored: the join form shows.
    cookies(monkeypatch, {f"wb_participant_{ws.join_code}": "forged-token"})
    fresh = open_page(JOIN, code=ws.join_code)
    assert "wsp_token" not in fresh.session_state and not fresh.exception


def test_facilitator_comes_back_after_a_reload(store, monkeypatch):
    ws, _ = populated(store)
    at = open_page(FACILITATOR, ws=ws.id, token=ws.facilitator_token)
    scripts = [h.proto.body for h in at.get("html")]
    assert any(f"document.cookie = 'wb_facilitator={ws.facilitator_token};" in body for body in scripts)
    assert ws.facilitator_token not in str(dict(at.query_params))  # never in the address
    cookies(monkeypatch, {"wb_facilitator": ws.facilitator_token})
    again = open_page(FACILITATOR)  # F5: the bare address, the cookie
    assert not again.exception
    assert metrics(again)["Pondérations reçues"] == "3"
    again.button(key="wsf_leave").click().run()
    assert "Créer un atelier" in texts(again)  # left: the (stale) cookie is not taken up again
    cookies(monkeypatch, {"wb_facilitator": "forged"})
    stale = open_page(FACILITATOR)
    assert "Créer un atelier" in texts(stale) and not stale.error


def test_facilitator_key_guards_creation(store, db, monkeypatch):
    monkeypatch.setenv("WORKBENCH_FACILITATOR_KEY", "clé secrète 2026")
    at = open_page(FACILITATOR)
    at.text_input(key="wsf_title").input("Atelier protégé")
    at.text_input(key="wsf_key").input("mauvaise")
    at.button[0].click().run()
    assert not at.exception
    assert "Cette clé d'animation n'est pas la bonne." in texts(at)
    assert "wsf_token" not in at.session_state
    at.text_input(key="wsf_key").input("clé secrète 2026")
    at.button[0].click().run()
    token = at.session_state["wsf_token"]
    assert store.workshop(token)["title"] == "Atelier protégé"
    assert "clé secrète" not in str(dict(at.query_params))
    monkeypatch.delenv("WORKBENCH_FACILITATOR_KEY")
    open_page(FACILITATOR)
    assert not [ti for ti in open_page(FACILITATOR).text_input if ti.key == "wsf_key"]


def test_a_french_participant_types_decimals_with_a_comma(store):
    ws = store.create_workshop(criteria=MINI, title="Atelier")
    at = join_as(open_page(JOIN, code=ws.join_code), "Ann")
    at.text_input(key="wsp_w_legal").input("12,5").run()
    at.text_input(key="wsp_w_cost").input("2.5").run()  # an English decimal: refused, never read as 25
    assert any("2.5" in e.value for e in at.error)
    at.button(key="wsp_send").click().run()
    raw = store.participant_view(at.session_state["wsp_token"])["ballot"]["raw"]
    assert raw["legal"] == 12.5 and raw["cost"] != 25.0


def test_workshop_pages_name_the_cost_criterion_for_the_workshops_horizon(store):
    """A workshop stores no cost settings: its tco values are over its criteria set's horizon (15
    years for the health study), so both pages name `tco-15y` for that horizon, the same name
    workbench.horizon_names gives, even when the person's own session runs at 10 years (?h=10)."""
    from workbench.horizon_names import own_horizon, with_horizon
    from workbench.study import load_study

    health = ROOT / "criteria" / "health-data-sovereignty.yaml"
    ws = store.create_workshop(criteria=health, title="Santé")
    study = store.study(ws.criteria_path)
    expected = load_study(health, allow_missing=True)
    assert (study.matrix == expected.matrix).all() and study.cost_settings().horizon == 15  # the set's horizon
    cs = load_criteria_set(health)
    name = with_horizon(cs, own_horizon(cs)).node("tco-15y").name.fr
    assert name == "Coût total de possession sur 15 ans"
    alice = store.join(ws.join_code, name="Alice")
    store.submit_ballot(alice.token, {"tco-15y": 3, "delivery-risk": 1})

    at = open_page(FACILITATOR, ws=ws.id, token=ws.facilitator_token, h="10")
    assert not at.exception
    criteria = [c for d in at.dataframe if "Critère" in d.value.columns for c in d.value["Critère"]]
    assert name in criteria and not any("sur 10 ans" in str(c) for c in criteria)

    at = open_page(JOIN, code=ws.join_code, h="10")
    join_as(at, "Bob")
    store.submit_ballot(at.session_state["wsp_token"], {"tco-15y": 1})
    at.run()
    assert not at.exception
    mine = [c for d in at.dataframe if "Critère" in d.value.columns for c in d.value["Critère"]]
    assert name in mine and not any("sur 10 ans" in str(c) for c in mine)
