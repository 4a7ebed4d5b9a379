"""A round's statistics, computed by the database: counts, means, quartiles, spreads, rank sums
and wins in a few aggregation queries, however many ballots there are (see
workbench.workshop.aggregate for the formulas and the pure-Python reference)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, select

from ..study import Study
from . import aggregate as agg
from .access import public_facts
from .ranking import group_ranking
from .schema import ballot_ranks, ballot_weights, ballots, participants


def round_results(conn: Connection, ws: Mapping[str, Any], number: int | None, study: Study) -> dict[str, Any]:
    """Counts, aggregates, dispersion, winners, consensus and the ranking under the mean, for
    round `number` of `ws` (the current round when None); ValueError for a round that does not exist."""
    number = int(number or ws["current_round"])
    if number < 1 or number > int(ws["current_round"]):
        raise ValueError(f"round {number} does not exist (rounds 1 to {ws['current_round']})")
    joined = conn.execute(
        select(func.count()).select_from(participants).where(participants.c.workshop_id == ws["id"])
    ).scalar_one()
    count = int(
        conn.execute(
            select(func.count())
            .select_from(ballots)
            .where(ballots.c.workshop_id == ws["id"], ballots.c.round == number)
        ).scalar_one()
    )
    stats = leaf_stats(conn, ws["id"], number)
    leaf_ids = [leaf for leaf in study.leaf_ids if leaf in stats] + sorted(set(stats) - set(study.leaf_ids))
    mean = agg.renormalise({k: stats[k]["mean"] for k in leaf_ids})
    aggregate = {
        "mean": mean,
        "geometric": agg.renormalise({k: math.exp(stats[k]["mean_log"]) for k in leaf_ids}),
        "median": agg.renormalise({k: stats[k]["median"] for k in leaf_ids}),
    }
    dispersion = agg.order_by_dispute({
        k: {"sd": stats[k]["sd"], "min": stats[k]["min"], "max": stats[k]["max"], "q1": stats[k]["q1"],
            "median": stats[k]["median"], "q3": stats[k]["q3"], "iqr": stats[k]["q3"] - stats[k]["q1"]}
        for k in leaf_ids
    })  # fmt: skip
    sums, wins = rank_stats(conn, ws["id"], number)
    order = [p for p in study.provider_ids if p in sums] + sorted(set(sums) - set(study.provider_ids))
    kw = agg.kendall_w_from_sums([sums[p] for p in order], count)
    return {
        "workshop": public_facts(ws, secret=False),
        "round": number,
        "round_open": bool(ws["round_open"]) and number == int(ws["current_round"]),
        "participants": int(joined),
        "ballots": count,
        "method": ws["method"],
        "normalization": ws["normalization"],
        "aggregate": aggregate,
        "dispersion": dispersion,
        "winners": {p: int(wins.get(p, 0)) for p in study.provider_ids if p in sums or not sums},
        "consensus": {"kendall_w": kw, "label": agg.consensus_label(kw), "raters": count, "options": len(order)},
        "ranking": group_ranking(study, ws["method"], ws["normalization"], mean) if mean else [],
    }


def leaf_stats(conn: Connection, workshop_id: str, number: int) -> dict[str, dict[str, float]]:
    """Per leaf of a round: mean, sd, min, max, mean of the logs, and the three quartiles."""
    bw = ballot_weights
    where = (bw.c.workshop_id == workshop_id) & (bw.c.round == number)
    columns = [
        bw.c.leaf_id,
        func.avg(bw.c.weight).label("mean"),
        func.avg(bw.c.weight * bw.c.weight).label("mean_sq"),
        func.min(bw.c.weight).label("min"),
        func.max(bw.c.weight).label("max"),
        func.avg(bw.c.log_weight).label("mean_log"),
    ]
    if conn.dialect.name == "postgresql":
        # One pass: ordered-set aggregates sit beside the plain ones.
        quart = [
            func.percentile_cont(p).within_group(bw.c.weight).label(name)
            for p, name in zip(agg.QUANTILES, ("q1", "median", "q3"), strict=True)
        ]
        rows = conn.execute(select(*columns, *quart).where(where).group_by(bw.c.leaf_id)).mappings().all()
        quantiles = {r["leaf_id"]: (r["q1"], r["median"], r["q3"]) for r in rows}
    else:
        rows = (
            conn.execute(select(*columns, func.count().label("n")).where(where).group_by(bw.c.leaf_id)).mappings().all()
        )
        quantiles = index_quantiles(conn, workshop_id, number, {r["leaf_id"]: int(r["n"]) for r in rows})
    out = {}
    for r in rows:
        mean = float(r["mean"])
        q1, med, q3 = (float(x) for x in quantiles[r["leaf_id"]])
        out[r["leaf_id"]] = {
            "mean": mean, "sd": math.sqrt(max(float(r["mean_sq"]) - mean * mean, 0.0)),
            "min": float(r["min"]), "max": float(r["max"]), "mean_log": float(r["mean_log"]),
            "q1": q1, "median": med, "q3": q3,
        }  # fmt: skip
    return out


def index_quantiles(
    conn: Connection, workshop_id: str, number: int, counts: Mapping[str, int]
) -> dict[str, tuple[float, ...]]:
    """percentile_cont for databases without it (SQLite): with n values of a leaf, the
    p-quantile is x[⌊h⌋] + f (x[⌊h⌋ + 1] − x[⌊h⌋]), h = (n − 1) p, f = h − ⌊h⌋ (0-based, ascending).
    The two order statistics come from the covering index (workshop, round, leaf, weight) by
    LIMIT 2 OFFSET ⌊h⌋: a few index steps per quantile instead of sorting every ballot."""
    bw = ballot_weights
    query = (
        select(bw.c.weight)
        .where(bw.c.workshop_id == workshop_id, bw.c.round == number, bw.c.leaf_id == bindparam("leaf"))
        .order_by(bw.c.weight)
        .limit(2)
        .offset(bindparam("lo"))
    )
    out: dict[str, tuple[float, ...]] = {}
    for leaf_id, n in counts.items():
        values = []
        for p in agg.QUANTILES:
            h = (n - 1) * p
            lo = math.floor(h)
            pair = [float(x) for x in conn.execute(query, {"leaf": leaf_id, "lo": lo}).scalars()]
            values.append(pair[0] + (h - lo) * (pair[-1] - pair[0]))
        out[leaf_id] = tuple(values)
    return out


def rank_stats(conn: Connection, workshop_id: str, number: int) -> tuple[dict[str, float], dict[str, int]]:
    """Per option of a round: the sum of participants' ranks and how many put it first."""
    br = ballot_ranks
    rows = conn.execute(
        select(br.c.provider_id, func.sum(br.c.rank), func.sum(case((br.c.rank == 1, 1), else_=0)))
        .where(br.c.workshop_id == workshop_id, br.c.round == number)
        .group_by(br.c.provider_id)
    ).all()
    return {r[0]: float(r[1]) for r in rows}, {r[0]: int(r[2] or 0) for r in rows}
