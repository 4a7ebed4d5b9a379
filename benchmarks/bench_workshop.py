"""Workshop speed: aggregating 10,000 ballots (statistics computed by the database), 1,000
submissions from 50 concurrent writers, and closing a round while 60 writers submit in a loop,
on SQLite and, when a URL is given, PostgreSQL.

Run: python benchmarks/bench_workshop.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]
(TEST_DATABASE_URL is used when --pg is not given.) PostgreSQL runs in a throw-away schema.
Targets: results() over 10,000 ballots ≤ 500 ms on PostgreSQL; close_round ≤ 1 s under 60 writers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.evaluate import eligibility, rank, score_batch  # noqa: E402
from workbench.methods import get_method  # noqa: E402
from workbench.workshop import RoundClosed, WorkshopStore  # noqa: E402
from workbench.workshop import aggregate as agg  # noqa: E402
from workbench.workshop.access import token_hash  # noqa: E402
from workbench.workshop.schema import ballot_ranks, ballot_weights, ballots, participants  # noqa: E402

HEALTH = ROOT / "criteria" / "health-data-sovereignty.yaml"
BALLOTS = 10_000
WRITERS, SUBMISSIONS = 50, 1_000
CLOSE_WRITERS, CLOSE_REPEAT = 60, 3


def bulk_ballots(store: WorkshopStore, ws, count: int, seed: int = 1) -> None:
    """Load `count` random ballots straight into the tables (what `count` submit_ballot calls
    would store, ranks computed in one batch) so the timing isolates the aggregation."""
    study = store.study(ws.criteria_path)
    rng = np.random.default_rng(seed)
    w = rng.dirichlet(np.ones(len(study.leaf_ids)), size=count)
    scores = score_batch(study, w, ws.method, ws.normalization)
    ranks = rank(scores, eligibility(study), get_method(ws.method).higher_is_better)
    now = time.time()
    with store.engine.begin() as conn:
        conn.execute(participants.insert(), [
            {"workshop_id": ws.id, "token_hash": token_hash(uuid.uuid4().hex), "name": None, "joined_at": now}
            for _ in range(count)
        ])  # fmt: skip
        pids = [r[0] for r in conn.execute(
            text("SELECT id FROM ws_participants WHERE workshop_id = :w ORDER BY id"), {"w": ws.id}
        )]  # fmt: skip
        conn.execute(ballots.insert(), [
            {"workshop_id": ws.id, "round": 1, "participant_id": pid, "revision": 1, "raw": "{}", "submitted_at": now}
            for pid in pids
        ])  # fmt: skip
        bids = [
            r[0]
            for r in conn.execute(text("SELECT id FROM ws_ballots WHERE workshop_id = :w ORDER BY id"), {"w": ws.id})
        ]
        conn.execute(ballot_weights.insert(), [
            {"ballot_id": b, "leaf_id": leaf, "workshop_id": ws.id, "round": 1, "weight": float(w[i, j]),
             "log_weight": agg.log_weight(float(w[i, j]))}
            for i, b in enumerate(bids) for j, leaf in enumerate(study.leaf_ids)
        ])  # fmt: skip
        conn.execute(ballot_ranks.insert(), [
            {"ballot_id": b, "provider_id": p, "workshop_id": ws.id, "round": 1, "rank": int(ranks[i, k])}
            for i, b in enumerate(bids) for k, p in enumerate(study.provider_ids)
        ])  # fmt: skip
        if store.dialect == "postgresql":
            conn.execute(text("ANALYZE ws_ballot_weights; ANALYZE ws_ballot_ranks"))


def time_results(store: WorkshopStore, token: str, repeat: int = 7) -> tuple[float, float]:
    store.results(token)  # warm: study cache, connection pool
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        store.results(token)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def concurrent_writes(store: WorkshopStore, criteria: Path) -> tuple[float, float, float]:
    ws = store.create_workshop(criteria=criteria, title="bench writes", anonymous=True)
    people = [store.join(ws.join_code, client_key="bench") for _ in range(WRITERS)]
    leaves = store.study(ws.criteria_path).leaf_ids
    per_writer = SUBMISSIONS // WRITERS

    def writer(i: int) -> list[float]:
        rng = np.random.default_rng(i)
        out = []
        for _ in range(per_writer):
            ballot = {leaf: float(x) for leaf, x in zip(leaves, rng.integers(1, 10, len(leaves)), strict=True)}
            start = time.perf_counter()
            store.submit_ballot(people[i].token, ballot)
            out.append(time.perf_counter() - start)
        return out

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        latencies = [x for chunk in pool.map(writer, range(WRITERS)) for x in chunk]
    wall = time.perf_counter() - start
    assert store.results(ws.facilitator_token)["ballots"] == WRITERS
    return statistics.median(latencies), float(np.percentile(latencies, 95)), len(latencies) / wall


def close_under_load(store: WorkshopStore, criteria: Path) -> tuple[float, float, int]:
    """close_round while CLOSE_WRITERS threads submit in a loop (2 s of flood first), CLOSE_REPEAT
    times; returns the median and worst close time and the most ballots accepted during a close."""
    times, during = [], 0
    for _ in range(CLOSE_REPEAT):
        ws = store.create_workshop(criteria=criteria, title="bench close", anonymous=True)
        people = [store.join(ws.join_code, client_key=f"bench-{i}") for i in range(CLOSE_WRITERS)]
        leaves = store.study(ws.criteria_path).leaf_ids
        stop, accepted = threading.Event(), [0]

        def writer(i: int, people=people, leaves=leaves, stop=stop, accepted=accepted) -> None:
            while not stop.is_set():
                try:
                    store.submit_ballot(people[i].token, {leaves[i % len(leaves)]: 1.0})
                    accepted[0] += 1
                except RoundClosed:
                    time.sleep(0.01)

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(CLOSE_WRITERS)]
        for th in threads:
            th.start()
        time.sleep(2.0)
        store.workshop(ws.facilitator_token)  # as the facilitator page does before its buttons
        before = accepted[0]
        start = time.perf_counter()
        store.close_round(ws.facilitator_token)
        times.append(time.perf_counter() - start)
        during = max(during, accepted[0] - before)
        stop.set()
        for th in threads:
            th.join()
    return statistics.median(times), max(times), during


def bench(name: str, url: str, criteria: Path) -> list[list[str]]:
    store = WorkshopStore(url)
    ws = store.create_workshop(criteria=criteria, title="bench", anonymous=True)
    start = time.perf_counter()
    bulk_ballots(store, ws, BALLOTS)
    load = time.perf_counter() - start
    median, best = time_results(store, ws.facilitator_token)
    w_median, w_p95, rate = concurrent_writes(store, criteria)
    c_median, c_worst, c_during = close_under_load(store, criteria)
    store.close()
    return [
        [name, f"results() over {BALLOTS:,} ballots", f"{median * 1000:.0f} ms median ({best * 1000:.0f} best)"],
        [name, f"bulk load of {BALLOTS:,} ballots (setup)", f"{load:.1f} s"],
        [
            name,
            f"{SUBMISSIONS:,} submissions, {WRITERS} writers",
            f"{w_median * 1000:.1f} ms median latency, p95 {w_p95 * 1000:.0f} ms, {rate:.0f}/s",
        ],  # fmt: skip
        [
            name,
            f"close_round under {CLOSE_WRITERS} writers ({CLOSE_REPEAT} runs)",
            f"{c_median * 1000:.0f} ms median, worst {c_worst * 1000:.0f} ms; ≤ {c_during} ballots accepted meanwhile",
        ],
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL"), help="PostgreSQL URL")
    args = parser.parse_args()
    criteria = HEALTH
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += bench("sqlite", f"sqlite:///{tmp}/bench.sqlite", criteria)
    if args.pg:
        schema = f"ws_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            url = make_url(args.pg).update_query_dict({"options": f"-csearch_path={schema}"})
            rows += bench("postgresql", url.render_as_string(hide_password=False), criteria)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        rows.append(["postgresql", "skipped", "give --pg URL or set TEST_DATABASE_URL"])
    from workbench.cli.common import table

    study_name = criteria.relative_to(ROOT).as_posix()
    print(f"Workshop benchmark — {study_name}, {os.cpu_count()} CPU(s)")
    print(table(rows, ["database", "operation", "time"]))


if __name__ == "__main__":
    main()
