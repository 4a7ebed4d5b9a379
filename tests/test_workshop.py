"""Workshop store, aggregation maths, exports and CLI (issue 6), on SQLite and PostgreSQL.

PostgreSQL runs when TEST_DATABASE_URL is set; every test gets its own schema (dropped after),
so parallel runs never collide.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from workbench.cli import main as cli_main
from workbench.evaluate import kendall_w
from workbench.files.loading import load_criteria_set
from workbench.weights import global_weights
from workbench.workshop import (
    PermissionDenied,
    RoundClosed,
    StoreUnavailable,
    WorkshopStore,
    clean_name,
    leaf_to_node_weights,
    normalise_ballot,
    reference_aggregate,
)
from workbench.workshop import aggregate as agg
from workbench.workshop import export as ws_export
from workbench.workshop.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini" / "criteria.yaml"
HEALTH = ROOT / "criteria" / "health-data-sovereignty.yaml"
PG_URL = os.environ.get("TEST_DATABASE_URL")
LEAVES = ["exposure", "residency", "cost"]


# --- fixtures --------------------------------------------------------------------------------


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'workshops.sqlite'}"


class PgSchema:
    """A throw-away schema on TEST_DATABASE_URL; `url` points the store's search_path at it."""

    def __init__(self) -> None:
        self.name = f"ws_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        self.admin = create_engine(PG_URL)
        with self.admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        self.url = (
            make_url(PG_URL)
            .update_query_dict({"options": f"-csearch_path={self.name}"})
            .render_as_string(hide_password=False)
        )

    def drop(self) -> None:
        with self.admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.admin.dispose()


@pytest.fixture
def pg_schema() -> Iterator[PgSchema]:
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL tests)")
    schema = PgSchema()
    yield schema
    schema.drop()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    yield request.getfixturevalue("pg_schema").url


@pytest.fixture
def store(db_url) -> Iterator[WorkshopStore]:
    s = WorkshopStore(db_url)
    yield s
    s.close()


@pytest.fixture
def mini_set():
    return load_criteria_set(MINI)


def ballot_matrix(ballots: list[dict[str, float]], criteria_set) -> np.ndarray:
    return np.array([[normalise_ballot(criteria_set, b)[leaf] for leaf in LEAVES] for b in ballots])


# --- aggregation maths -----------------------------------------------------------------------


def test_group_ballot_becomes_global_leaf_weights(mini_set):
    # legal=3, cost=1 at the top; inside legal the set's defaults exposure 3 : residency 1.
    w = normalise_ballot(mini_set, {"legal": 3, "cost": 1})
    assert w == pytest.approx({"exposure": 0.75 * 0.75, "residency": 0.75 * 0.25, "cost": 0.25})
    assert sum(w.values()) == pytest.approx(1.0)
    # A leaf-level ballot keeps the set's group weights (legal 2 : cost 1).
    w = normalise_ballot(mini_set, {"exposure": 1, "residency": 1})
    assert w == pytest.approx({"exposure": 1 / 3, "residency": 1 / 3, "cost": 1 / 3})


@pytest.mark.parametrize(
    ("ballot", "message"),
    [
        ({"legal": -1}, "negative"),
        ({"legal": float("nan")}, "finite"),
        ({"cost": float("inf")}, "finite"),
        ({"nope": 1}, "unknown criteria"),
        ({"legal": "3"}, "number"),
        ({"legal": True}, "number"),
        ({"legal": 0, "cost": 0}, "zero"),
    ],
)
def test_bad_ballots_raise_value_error(mini_set, ballot, message):
    with pytest.raises(ValueError, match=message):
        normalise_ballot(mini_set, ballot)


def test_leaf_to_node_weights_reproduces_leaf_weights(mini_set):
    target = {"exposure": 0.1, "residency": 0.6, "cost": 0.3}
    nodes = leaf_to_node_weights(mini_set, target)
    assert nodes["legal"] == pytest.approx(70.0)
    assert global_weights(mini_set, nodes) == pytest.approx(target)


def test_reference_aggregate_formulas():
    w = np.array([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5], [0.2, 0.2, 0.6], [0.1, 0.1, 0.8]])
    out = reference_aggregate(w, LEAVES)
    assert out["mean"] == pytest.approx({"exposure": 0.25, "residency": 0.275, "cost": 0.475})
    geo = np.exp(np.log(np.maximum(w, agg.GEOMETRIC_FLOOR)).mean(axis=0))
    assert list(out["geometric"].values()) == pytest.approx(list(geo / geo.sum()))
    med = np.array([0.2, 0.25, 0.55])
    assert list(out["median"].values()) == pytest.approx(list(med / med.sum()))
    # Most disputed first: cost has the largest standard deviation.
    assert list(out["dispersion"]) == ["cost", "exposure", "residency"]
    assert out["dispersion"]["cost"]["sd"] == pytest.approx(np.std(w[:, 2]))


def test_kendall_w_from_rank_sums_matches_engine():
    ranks = np.array([[1, 2, 3, 4], [2, 1, 3, 4], [1, 3, 2, 4]], dtype=float)
    assert agg.kendall_w_from_sums(ranks.sum(axis=0), 3) == pytest.approx(kendall_w(ranks))
    assert agg.kendall_w_from_sums([1, 2], 1) is None
    assert agg.consensus_label(0.05) == "very_weak"
    assert agg.consensus_label(0.69) == "strong"
    assert agg.consensus_label(1.0) == "very_strong"


def test_quantile_is_percentile_cont():
    values = sorted([0.3, 0.1, 0.7, 0.2])
    for p in (0.25, 0.5, 0.75):
        assert agg.quantile(values, p) == pytest.approx(np.quantile(values, p))


def test_clean_name_strips_controls_and_limits_length():
    assert clean_name("  Al\u202eice\x00\n  Smith\u200b ") == "Alice Smith"
    assert len(clean_name("x" * 500)) == 60
    assert clean_name(None) == ""


# --- store: the public interface -------------------------------------------------------------


def test_workflow_and_exact_aggregate(store, mini_set):
    ws = store.create_workshop(criteria=MINI, title="Atelier", anonymous=False)
    assert len(ws.join_code) == 6 and ws.id and ws.facilitator_token
    ballots = [{"legal": 3, "cost": 1}, {"exposure": 0, "residency": 5}, {"cost": 10}, {"legal": 1, "cost": 1}]
    people = [store.join(ws.join_code, name=f"P{i}") for i in range(len(ballots))]
    store.join(ws.join_code.lower()[:3] + "-" + ws.join_code[3:], name="late")  # typed like it is projected
    for person, ballot in zip(people, ballots, strict=True):
        receipt = store.submit_ballot(person.token, ballot)
        assert sum(receipt.weights.values()) == pytest.approx(1.0)
    res = store.results(ws.facilitator_token)
    assert (res["round"], res["participants"], res["ballots"]) == (1, 5, 4)
    expected = reference_aggregate(ballot_matrix(ballots, mini_set), LEAVES)
    for kind in ("mean", "geometric", "median"):
        assert res["aggregate"][kind] == pytest.approx(expected[kind], abs=1e-12)
        assert sum(res["aggregate"][kind].values()) == pytest.approx(1.0)
    assert list(res["dispersion"]) == list(expected["dispersion"])
    for leaf, stats in expected["dispersion"].items():
        assert res["dispersion"][leaf] == pytest.approx(stats, abs=1e-12)
    # Winners and consensus agree with the participants' own rankings.
    views = [store.participant_view(p.token)["ballot"]["ranking"] for p in people]
    ids = ["alpha", "beta", "gamma"]
    assert res["winners"] == {pid: sum(v[pid] == 1 for v in views) for pid in ids}
    ranks = np.array([[v[pid] for pid in ids] for v in views], dtype=float)
    assert res["consensus"]["kendall_w"] == pytest.approx(kendall_w(ranks))
    # The ranking under the aggregate is the engine's evaluation under the mean weights.
    assert [r["rank"] for r in res["ranking"]] == [1, 2, 3]
    assert {r["id"] for r in res["ranking"]} == set(ids)


def test_revision_replaces_the_ballot(store):
    ws = store.create_workshop(criteria=MINI, title="T")
    me = store.join(ws.join_code, name="Ann")
    store.submit_ballot(me.token, {"legal": 1, "cost": 0})
    receipt = store.submit_ballot(me.token, {"legal": 0, "cost": 1})
    assert receipt.revision == 2
    res = store.results(ws.facilitator_token)
    assert res["ballots"] == 1
    assert res["aggregate"]["mean"] == pytest.approx({"exposure": 0, "residency": 0, "cost": 1})
    view = store.participant_view(me.token)
    assert view["ballot"]["raw"] == {"cost": 1.0, "legal": 0.0}
    assert view["group"] is None  # hidden until revealed
    store.reveal(ws.facilitator_token)
    assert store.participant_view(me.token)["group"]["ballots"] == 1


def test_rounds_close_open_and_compare(store):
    ws = store.create_workshop(criteria=MINI, title="T")
    a, b = store.join(ws.join_code, name="A"), store.join(ws.join_code, name="B")
    store.submit_ballot(a.token, {"exposure": 1, "residency": 0, "legal": 1, "cost": 0})
    assert store.close_round(ws.facilitator_token) == 1
    with pytest.raises(RoundClosed):
        store.submit_ballot(b.token, {"cost": 1})
    assert store.open_round(ws.facilitator_token) == 2
    store.submit_ballot(b.token, {"legal": 0, "cost": 1})
    store.submit_ballot(a.token, {"legal": 0, "cost": 1})
    rounds = store.compare_rounds(ws.facilitator_token)
    assert [r["round"] for r in rounds] == [1, 2]
    assert [r["ballots"] for r in rounds] == [1, 2]
    assert rounds[0]["aggregate"]["mean"]["exposure"] == pytest.approx(1.0)
    assert rounds[1]["aggregate"]["mean"]["cost"] == pytest.approx(1.0)
    assert store.results(ws.facilitator_token, round=1)["round_open"] is False
    view = store.participant_view(a.token)
    assert view["round"] == 2 and view["ballot"]["round"] == 2
    with pytest.raises(ValueError, match="round 3"):
        store.results(ws.facilitator_token, round=3)


def test_empty_round_has_no_aggregate(store):
    ws = store.create_workshop(criteria=MINI, title="T")
    res = store.results(ws.facilitator_token)
    assert res["ballots"] == 0 and res["aggregate"]["mean"] == {} and res["ranking"] == []
    assert res["consensus"]["kendall_w"] is None
    assert res["winners"] == {"alpha": 0, "beta": 0, "gamma": 0}


def test_permissions_and_isolation(store):
    one = store.create_workshop(criteria=MINI, title="One")
    two = store.create_workshop(criteria=MINI, title="Two")
    p1 = store.join(one.join_code, name="P1")
    p2 = store.join(two.join_code, name="P2")
    store.submit_ballot(p1.token, {"legal": 1, "cost": 0})
    store.submit_ballot(p2.token, {"legal": 0, "cost": 1})
    for action in (store.results, store.close_round, store.open_round, store.reveal, store.workshop):
        with pytest.raises(PermissionDenied):
            action(p1.token)  # a participant's token is no facilitator's
        with pytest.raises(PermissionDenied):
            action("forged-" + one.facilitator_token)
    with pytest.raises(PermissionDenied):
        store.submit_ballot(one.facilitator_token, {"cost": 1})
    with pytest.raises(PermissionDenied):
        store.participant_view("nobody")
    # Each facilitator sees only their workshop's ballots.
    assert store.results(one.facilitator_token)["aggregate"]["mean"]["cost"] == pytest.approx(0.0)
    assert store.results(two.facilitator_token)["aggregate"]["mean"]["cost"] == pytest.approx(1.0)
    assert [p["name"] for p in store.participants(one.facilitator_token)] == ["P1"]
    # Closing one workshop's round leaves the other's open.
    store.close_round(one.facilitator_token)
    store.submit_ballot(p2.token, {"legal": 1})


def test_bad_weights_are_value_errors_and_store_nothing(store):
    ws = store.create_workshop(criteria=MINI, title="T")
    me = store.join(ws.join_code, name="Ann")
    for ballot in ({"legal": -1}, {"cost": float("nan")}, {"zzz": 1}, {"legal": 0, "cost": 0}):
        with pytest.raises(ValueError):
            store.submit_ballot(me.token, ballot)
    assert store.results(ws.facilitator_token)["ballots"] == 0


def test_tokens_are_long_random_and_only_hashes_are_stored(store, db_url):
    ws = store.create_workshop(criteria=MINI, title="T")
    me = store.join(ws.join_code, name="Ann")
    store.submit_ballot(me.token, {"cost": 1})
    for token in (ws.facilitator_token, me.token):
        assert len(token) >= 22  # token_urlsafe: ≥ 128 bits in ≥ 22 base64 characters
    assert ws.facilitator_token != me.token
    engine = create_engine(db_url)
    dump = []
    with engine.connect() as conn:
        for table in ("ws_workshops", "ws_participants", "ws_ballots"):
            dump += [str(row) for row in conn.execute(text(f"SELECT * FROM {table}"))]
    engine.dispose()
    blob = "\n".join(dump)
    assert ws.facilitator_token not in blob and me.token not in blob
    import hashlib

    assert hashlib.sha256(me.token.encode()).hexdigest() in blob


def test_anonymous_workshop_stores_no_names(store):
    ws = store.create_workshop(criteria=MINI, title="Consultation", anonymous=True)
    me = store.join(ws.join_code, name="Should not be kept")
    assert me.name is None
    store.submit_ballot(me.token, {"cost": 1})
    assert store.participants(ws.facilitator_token)[0]["name"] is None
    assert store.ballots(ws.facilitator_token)[0]["name"] is None


def test_named_workshop_requires_a_clean_name(store):
    ws = store.create_workshop(criteria=MINI, title="T")
    with pytest.raises(ValueError, match="name"):
        store.join(ws.join_code, name=" \x00\u200b ")
    me = store.join(ws.join_code, name="<b>Bob</b>\x07" + "y" * 100)
    assert me.name.startswith("<b>Bob</b>") and len(me.name) == 60 and "\x07" not in me.name


def test_join_codes_are_rate_limited(db_url):
    store = WorkshopStore(db_url, join_attempts=5, join_window=60)
    ws = store.create_workshop(criteria=MINI, title="T")
    for i in range(5):
        with pytest.raises(PermissionDenied, match="no workshop"):
            store.join(f"ZZZZZ{i}", name="x", client_key="ip:1.2.3.4")
    # Blocked now, even with the right code: success must not reveal a correct guess.
    with pytest.raises(PermissionDenied, match="too many"):
        store.join(ws.join_code, name="x", client_key="ip:1.2.3.4")
    with pytest.raises(PermissionDenied, match="too many"):
        store.check_code(ws.join_code, client_key="ip:1.2.3.4")
    # Another client is unaffected; a short window expires.
    assert store.join(ws.join_code, name="y", client_key="ip:5.6.7.8").token
    quick = WorkshopStore(db_url, join_attempts=5, join_window=0.2)
    time.sleep(0.3)
    assert quick.join(ws.join_code, name="z", client_key="ip:1.2.3.4").token
    store.close()
    quick.close()


def test_check_code_returns_public_facts_only(store):
    ws = store.create_workshop(criteria=MINI, title="Public", anonymous=True)
    info = store.check_code(ws.join_code)
    assert info["title"] == "Public" and info["anonymous"] is True
    assert "id" not in info and ws.facilitator_token not in json.dumps(info)


def test_schema_is_versioned_and_reopened(db_url):
    first = WorkshopStore(db_url)
    ws = first.create_workshop(criteria=MINI, title="T")
    assert first.schema_version() == SCHEMA_VERSION
    second = WorkshopStore(db_url)  # a second replica: migration is a no-op, data is shared
    assert second.results(ws.facilitator_token)["workshop"]["title"] == "T"
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE ws_schema_version SET version = 99"))
    engine.dispose()
    with pytest.raises(RuntimeError, match="newer"):
        WorkshopStore(db_url).schema_version()
    first.close()
    second.close()


def test_sqlite_default_is_wal_under_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKBENCH_DATABASE_URL", raising=False)
    from workbench.workshop import default_url

    assert default_url().endswith("/data/workshops.sqlite")
    store = WorkshopStore(f"sqlite:///{tmp_path / 'sub' / 'w.sqlite'}")
    store.create_workshop(criteria=MINI, title="T")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    store.close()


def test_unreachable_database_is_a_plain_error(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with pytest.raises(StoreUnavailable, match="workshop database"):
        WorkshopStore(f"sqlite:///{blocked / 'x' / 'w.sqlite'}")
    store = WorkshopStore("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(StoreUnavailable, match="unreachable"):
        store.results("x")
    with pytest.raises(StoreUnavailable):
        WorkshopStore("nosuchdb://x")


# --- database statistics against numpy -------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 7, 10])
def test_sql_quantiles_match_numpy(store, mini_set, count):
    rng = np.random.default_rng(count)
    ws = store.create_workshop(criteria=MINI, title="Q", anonymous=True)
    ballots = [{leaf: float(x) for leaf, x in zip(LEAVES, rng.integers(0, 10, 3) + (i == 0), strict=True)}
               for i in range(count)]  # fmt: skip
    ballots = [b if sum(b.values()) else {"cost": 1.0} for b in ballots]
    for b in ballots:
        store.submit_ballot(store.join(ws.join_code).token, b)
    res = store.results(ws.facilitator_token)
    w = ballot_matrix(ballots, mini_set)
    for j, leaf in enumerate(LEAVES):
        d = res["dispersion"][leaf]
        assert [d["q1"], d["median"], d["q3"]] == pytest.approx(
            list(np.quantile(w[:, j], [0.25, 0.5, 0.75])), abs=1e-12
        )
        assert d["sd"] == pytest.approx(float(np.std(w[:, j])), abs=1e-9)


def test_geometric_mean_floors_zero_weights(store):
    ws = store.create_workshop(criteria=MINI, title="G", anonymous=True)
    for ballot in ({"legal": 1, "cost": 0}, {"legal": 1, "cost": 1}):
        store.submit_ballot(store.join(ws.join_code).token, ballot)
    geo = store.results(ws.facilitator_token)["aggregate"]["geometric"]
    raw_cost = math.exp((math.log(agg.GEOMETRIC_FLOOR) + math.log(0.5)) / 2)
    assert geo["cost"] > 0
    raw = {"exposure": math.sqrt(0.75 * 0.375), "residency": math.sqrt(0.25 * 0.125), "cost": raw_cost}
    total = sum(raw.values())
    assert geo == pytest.approx({k: v / total for k, v in raw.items()})


# --- reliability -----------------------------------------------------------------------------


def test_200_concurrent_participants_revising_5_times(store, mini_set):
    ws = store.create_workshop(criteria=MINI, title="Load", anonymous=True)
    people = [store.join(ws.join_code, client_key="load") for _ in range(200)]

    def ballot(i: int, rev: int) -> dict[str, float]:
        return {
            "exposure": float((i * 7 + rev) % 11),
            "residency": float((i + 3 * rev) % 5 + 1),
            "cost": float(i % 13 + rev),
        }

    def participant(i: int) -> int:
        last = 0
        for rev in range(5):
            last = store.submit_ballot(people[i].token, ballot(i, rev)).revision
        return last

    with ThreadPoolExecutor(max_workers=200) as pool:
        revisions = list(pool.map(participant, range(200)))
    assert revisions == [5] * 200
    final = [ballot(i, 4) for i in range(200)]
    res = store.results(ws.facilitator_token)
    assert res["ballots"] == 200 and res["participants"] == 200
    expected = reference_aggregate(ballot_matrix(final, mini_set), LEAVES)
    for kind in ("mean", "geometric", "median"):
        assert res["aggregate"][kind] == pytest.approx(expected[kind], abs=1e-12)
    stored = store.ballots(ws.facilitator_token)
    assert len(stored) == 200 and all(b["revision"] == 5 for b in stored)
    # Every participant's own final ballot, none lost, none duplicated.
    for i in (0, 57, 199):
        view = store.participant_view(people[i].token)["ballot"]
        assert view["weights"] == pytest.approx(normalise_ballot(mini_set, final[i]))
    with store.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT COUNT(*) FROM ws_ballot_weights WHERE workshop_id = :w"), {"w": ws.id}
        ).scalar()
    assert rows == 200 * len(LEAVES)
    assert sum(res["winners"].values()) >= 200  # ties credit each tied option


WRITER = r"""
import sys
from workbench.workshop import WorkshopStore
store = WorkshopStore(sys.argv[1])
code = sys.argv[2]
i = 0
while True:
    p = store.join(code, client_key="writer")
    store.submit_ballot(p.token, {"exposure": i % 10 + 1, "residency": 1, "cost": i % 7})
    print(p.token, i, flush=True)   # reported only after the commit returned
    i += 1
"""


def test_killed_writer_loses_no_committed_ballot(db_url, mini_set):
    store = WorkshopStore(db_url)
    ws = store.create_workshop(criteria=MINI, title="Crash", anonymous=True)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, db_url, ws.join_code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=str(ROOT))  # fmt: skip
    reported: list[tuple[str, int]] = []
    deadline = time.monotonic() + 60
    try:
        while len(reported) < 40 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            token, i = line.split()
            reported.append((token, int(i)))
    finally:
        proc.send_signal(signal.SIGKILL)  # mid-write: the next ballot is in flight
        proc.wait()
    assert len(reported) >= 40, proc.stderr.read()
    reopened = WorkshopStore(db_url)
    for token, i in reported:
        ballot = reopened.participant_view(token)["ballot"]
        expected = normalise_ballot(mini_set, {"exposure": i % 10 + 1, "residency": 1, "cost": i % 7})
        assert ballot is not None and ballot["weights"] == pytest.approx(expected)
    assert reopened.results(ws.facilitator_token)["ballots"] >= len(reported)
    store.close()
    reopened.close()


def test_concurrent_close_and_submit_never_half_records(store):
    ws = store.create_workshop(criteria=MINI, title="Race", anonymous=True)
    people = [store.join(ws.join_code, client_key="race") for _ in range(30)]
    accepted, refused = [], []

    def vote(p) -> None:
        try:
            store.submit_ballot(p.token, {"cost": 1})
            accepted.append(p.token)
        except RoundClosed:
            refused.append(p.token)

    threads = [threading.Thread(target=vote, args=(p,)) for p in people]
    for th in threads[:15]:
        th.start()
    store.close_round(ws.facilitator_token)
    for th in threads[15:]:
        th.start()
    for th in threads:
        th.join()
    assert len(accepted) + len(refused) == 30 and len(refused) >= 15
    assert store.results(ws.facilitator_token, round=1)["ballots"] == len(accepted)


# --- exports ---------------------------------------------------------------------------------


def test_exports_are_safe_and_complete(store, mini_set):
    ws = store.create_workshop(criteria=MINI, title='=HYPERLINK("http://x")')
    for name, ballot in (("=cmd|' /C calc'!A0", {"cost": 1}), ("@SUM(A1)", {"legal": 1}), ("Zoé", {"legal": 2})):
        store.submit_ballot(store.join(ws.join_code, name=name).token, ballot)
    res = store.results(ws.facilitator_token)
    text_csv = ws_export.ballots_csv(store.ballots(ws.facilitator_token), mini_set, "fr")
    lines = text_csv.splitlines()
    assert lines[0].split(",")[:3] == ["ballot", "Participant", "revision"]
    assert "'=cmd" in text_csv and "'@SUM(A1)" in text_csv and "Zoé" in text_csv
    assert not any(cell.startswith(("=", "@", "+", "-")) for line in lines for cell in line.split(","))
    agg_csv = ws_export.aggregate_csv(res, mini_set, "en").splitlines()
    assert agg_csv[0].startswith("criterion_id,Criterion,mean,geometric,median,sd")
    assert len(agg_csv) == 1 + len(LEAVES)
    data = json.loads(ws_export.results_json(res, store.compare_rounds(ws.facilitator_token)))
    assert data["results"]["ballots"] == 3 and len(data["rounds"]) == 1
    summary = ws_export.report_summary(res, mini_set, "median", "fr")
    assert summary["median"] == res["aggregate"]["median"] and summary["dispersion"] == res["dispersion"]
    assert summary["Pondérations reçues"] == 3 and summary["Agrégat retenu"] == "Médiane"


def test_report_accepts_the_workshop_summary(store, mini_set):
    from workbench.evaluate import evaluate
    from workbench.report import build_report
    from workbench.study import load_study

    ws = store.create_workshop(criteria=MINI, title="Rapport")
    store.submit_ballot(store.join(ws.join_code, name="A").token, {"legal": 1, "cost": 3})
    res = store.results(ws.facilitator_token)
    summary = ws_export.report_summary(res, mini_set, "mean", "en")
    study = load_study(MINI)
    weights = leaf_to_node_weights(mini_set, res["aggregate"]["mean"])
    report = build_report(study, evaluate(study, weights=weights), lang="en", weights=weights, workshop=summary,
                          charts=False)  # fmt: skip
    assert dict(report.workshop.facts)["Ballots received"] == 1
    rows = report.workshop.rows
    assert len(report.workshop.columns) == 4 and len(rows) == 3  # mean, geometric, median, sd for each leaf
    assert {row[0]: row[1] for row in rows}["Cost"] == pytest.approx(0.75)
    assert {w.id: w.global_share for w in report.weights if w.is_leaf}["cost"] == pytest.approx(0.75)


# --- command line ----------------------------------------------------------------------------


def run_cli(capsys, *argv: str) -> tuple[int, dict | None, str]:
    code = cli_main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_cli_round_trip(capsys, tmp_path):
    db = sqlite_url(tmp_path)
    code, created, _ = run_cli(capsys, "workshop", "create", "--db", db, "--criteria", str(MINI), "--title", "CLI")
    assert code == 0 and created["title"] == "CLI" and len(created["facilitator_token"]) >= 22
    assert len(created["long_code"]) == 12 and created["long_code"] != created["join_code"]
    code, joined, _ = run_cli(capsys, "workshop", "join", created["join_code"], "--db", db, "--name", "Ann")
    assert code == 0 and joined["name"] == "Ann"
    code, receipt, _ = run_cli(
        capsys, "workshop", "submit", "--db", db, "--token", joined["token"], "--weights", "legal=1", "cost=3"
    )
    assert code == 0 and receipt["weights"]["cost"] == pytest.approx(0.75) and receipt["revision"] == 1
    code, res, _ = run_cli(capsys, "workshop", "results", "--db", db, "--token", created["facilitator_token"])
    assert code == 0 and res["ballots"] == 1 and res["aggregate"]["mean"]["cost"] == pytest.approx(0.75)
    assert run_cli(capsys, "workshop", "close", "--db", db, "--token", created["facilitator_token"])[1] == {
        "closed_round": 1
    }
    code, _, err = run_cli(capsys, "workshop", "submit", "--db", db, "--token", joined["token"], "--weights", "cost=1")
    assert code == 2 and "closed" in err and "Traceback" not in err
    assert run_cli(capsys, "workshop", "open", "--db", db, "--token", created["facilitator_token"])[1] == {"round": 2}
    code, rounds, _ = run_cli(
        capsys, "workshop", "results", "--db", db, "--token", created["facilitator_token"], "--all-rounds"
    )
    assert [r["round"] for r in rounds] == [1, 2]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["submit", "--token", "nobody", "--weights", "cost=1"], "not valid"),
        (["results", "--token", "nobody"], "not valid"),
        (["join", "NOPE42", "--name", "x"], "no workshop"),
        (["submit", "--token", "t", "--weights", "cost=-1"], "non-negative"),
    ],
)
def test_cli_errors_are_sentences(capsys, tmp_path, argv, message):
    code, _, err = run_cli(capsys, "workshop", *argv, "--db", sqlite_url(tmp_path))
    assert code == 2 and message in err and "Traceback" not in err


def test_cli_unreachable_database(capsys):
    code, _, err = run_cli(
        capsys, "workshop", "results", "--db", "postgresql+psycopg://x@127.0.0.1:1/x", "--token", "t"
    )
    assert code == 2 and "unreachable" in err


# --- the shipped study -----------------------------------------------------------------------


def test_health_study_workshop_with_group_ballots(tmp_path):
    store = WorkshopStore(sqlite_url(tmp_path))
    ws = store.create_workshop(criteria=HEALTH, title="Santé Québec")
    assert ws.criteria_path == "criteria/health-data-sovereignty.yaml"  # stored relative to the repository
    cs = load_criteria_set(HEALTH)
    groups = [n.id for n in cs.criteria if not n.is_leaf]
    me = store.join(ws.join_code, name="Ann")
    receipt = store.submit_ballot(me.token, {groups[0]: 100, **{g: 0 for g in groups[1:]}})
    under = {leaf.id for leaf in cs.leaves()} & set(_leaves_under(cs, groups[0]))
    assert sum(receipt.weights[k] for k in under) == pytest.approx(1.0)
    res = store.results(ws.facilitator_token)
    assert len(res["ranking"]) == len(store.study(ws.criteria_path).providers)
    store.close()


def _leaves_under(cs, node_id: str) -> list[str]:
    stack, out = [cs.node(node_id)], []
    while stack:
        node = stack.pop()
        out += [node.id] if node.is_leaf else []
        stack += node.children
    return out
