"""AppTest of freezing in the app (issue 19, item 5): the facilitator freezes a closed round's
aggregate on the workshop page, the Export page says which freeze is in force and seals against
it, refusing when the weights moved; the current weights can be frozen on the Export page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_workshop_pages import FACILITATOR, MINI, db, open_page, populated, store, texts  # noqa: F401 - fixtures

from ui.frozen_view import node_weights
from workbench import record

ROOT = Path(__file__).resolve().parent.parent
EXPORT = "ui/pages/export.py"


def codes(at: AppTest) -> list[str]:
    return [c.value for c in at.code]


def test_facilitator_freezes_a_closed_round_and_export_seals_against_it(store):  # noqa: F811
    ws, _ = populated(store)
    at = open_page(FACILITATOR, ws=ws.id, token=ws.facilitator_token)
    assert not at.exception
    assert "Le tour 1 est ouvert : fermez-le pour figer ses pondérations." in texts(at)
    assert not [b for b in at.button if b.key == "wsf_freeze"]  # nothing to freeze while it is open
    at.button(key="wsf_close").click().run()
    assert "Sera figé : l'agrégat « Moyenne » du tour 1 (choisi sous « Agrégat à reprendre »)." in texts(at)
    at.button(key="wsf_freeze").click().run()
    assert not at.exception and not at.error
    [frozen] = store.frozen_rounds(ws.facilitator_token)
    assert frozen.round == 1 and frozen.aggregate == "mean"
    # Shown read-only: the hash, the time, the round, the weights; the button is gone.
    assert frozen.sha256 in codes(at)
    shown = texts(at)
    assert f"Figé le {frozen.frozen_at} (UTC) · tour 1" in shown
    assert "Les pondérations figées du tour 1 sont en vigueur" in shown
    assert not [b for b in at.button if b.key == "wsf_freeze"]
    table = next(d.value for d in at.dataframe if "Poids" in d.value.columns)
    names = {"exposure": "Exposition", "residency": "Résidence", "cost": "Coût"}
    assert list(table["Critère"]) == [names[k] for k in frozen.document["frozen"]["weights"]]
    assert [b.label for b in at.get("download_button") if "figé" in b.label] == ["Télécharger le fichier figé (JSON)"]
    # In force for the Export page, with its weights and method.
    assert at.session_state["wb_frozen_record"] == frozen.document
    assert at.session_state["wb_weights"] == pytest.approx(node_weights(frozen.document))
    assert at.session_state["wb_method"] == frozen.document["frozen"]["method"]

    at.switch_page(EXPORT).run()
    assert not at.exception
    shown = texts(at)
    assert f"Le dossier sera scellé contre le gel `{frozen.sha256[:16]}…`" in shown
    assert "atelier « Atelier &lt;i&gt;test&lt;/i&gt; », tour 1, Moyenne" in shown  # title escaped
    at.button(key="export_record").click().run()
    assert not at.exception and not at.error
    sealed = json.loads(at.session_state["_wb_export_record"][1]["json"])
    assert sealed["frozen_sha256"] == frozen.sha256 and sealed["frozen"] == frozen.document["frozen"]
    assert record.verify(sealed).ok


def test_export_refuses_when_the_weights_moved_after_the_freeze(store):  # noqa: F811
    ws, _ = populated(store)
    store.close_round(ws.facilitator_token)
    at = open_page(FACILITATOR, ws=ws.id, token=ws.facilitator_token)
    at.button(key="wsf_freeze").click().run()
    at.switch_page(EXPORT).run()
    at.session_state["wb_weights"] = {**at.session_state["wb_weights"], "cost": 90.0}
    at.run()
    at.button(key="export_record").click().run()
    assert "_wb_export_record" not in at.session_state
    assert [e.value for e in at.error][0].startswith("Scellement refusé :")
    refused = "\n".join(codes(at))
    assert "criteria.cost.weight: frozen" in refused and "weights.cost: frozen" in refused
    # Forgetting the freeze: the current state is frozen and sealed in one go again.
    at.button(key="export_forget").click().run()
    assert "wb_frozen_record" not in at.session_state
    assert "Aucun gel en vigueur" in texts(at)
    at.button(key="export_record").click().run()
    assert not at.error and record.verify(json.loads(at.session_state["_wb_export_record"][1]["json"])).ok


def test_a_second_visit_shows_the_stored_freeze_and_can_put_it_in_force(store):  # noqa: F811
    ws, _ = populated(store)
    store.close_round(ws.facilitator_token)
    frozen = store.freeze_round(ws.facilitator_token, aggregate="median")
    at = open_page(FACILITATOR, ws=ws.id, token=ws.facilitator_token)
    assert frozen.sha256 in codes(at) and "Tour 1 figé (Médiane)" in [e.label for e in at.expander]
    assert "wb_frozen_record" not in at.session_state  # viewing changes nothing
    at.button(key="wsf_frozen_use_1").click().run()
    assert at.session_state["wb_frozen_record"] == frozen.document
    assert "La page Exporter scelle le dossier contre ce gel." in texts(at)


def test_freezing_in_english(store):  # noqa: F811
    ws, _ = populated(store)
    store.close_round(ws.facilitator_token)
    at = open_page(FACILITATOR, ws=ws.id, token=ws.facilitator_token, lang="en")
    assert [b.label for b in at.button if b.key == "wsf_freeze"] == ["Freeze these weights"]
    at.button(key="wsf_freeze").click().run()
    assert "Frozen at" in texts(at) and "round 1" in texts(at)
    assert [b.label for b in at.get("download_button") if "frozen" in b.label] == ["Download the frozen file (JSON)"]


def test_an_empty_closed_round_cannot_be_frozen(store):  # noqa: F811
    ws = store.create_workshop(criteria=MINI, title="Vide")
    store.close_round(ws.facilitator_token)
    at = open_page(FACILITATOR, ws=ws.id, token=ws.facilitator_token)
    at.button(key="wsf_freeze").click().run()
    assert not at.exception
    assert "Le tour 1 n'a reçu aucune pondération : rien à figer." in [w.value for w in at.warning]
    assert store.frozen_rounds(ws.facilitator_token) == []


def test_the_current_weights_are_frozen_on_the_export_page(db):  # noqa: F811
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["wb_lang"] = "en"
    at.run()
    at.switch_page(EXPORT).run()
    assert "No freeze in force" in texts(at)
    at.button(key="export_freeze").click().run()
    document = at.session_state["wb_frozen_record"]
    assert document["frozen_sha256"] == record.sha256_hex(document["frozen"])
    assert f"The record will be sealed against freeze `{document['frozen_sha256'][:16]}…`" in texts(at)
    assert "(current weights)" in texts(at)
    assert document["frozen_sha256"] in codes(at)
    assert [b.label for b in at.get("download_button")] == ["Download the frozen file (JSON)"]
    at.button(key="export_record").click().run()
    sealed = json.loads(at.session_state["_wb_export_record"][1]["json"])
    assert sealed["frozen_sha256"] == document["frozen_sha256"] and record.verify(sealed).ok
