"""Robustness speed and memory: SMAA-2 on the batch kernels against a loop over pymcdm.

Run: python benchmarks/bench_robustness.py

Targets (issue 5): 100,000 draws × 20 alternatives × 15 criteria in ≤ 0.5 s (weighted sum) and
≤ 1 s (TOPSIS) with peak memory < 500 MB; 10,000 draws (what the app runs) ≤ 200 ms.
Peak memory is the largest amount traced by `tracemalloc` during the call (numpy reports its
buffers to it), on top of what was allocated before. The pymcdm loop (score, rank, count the
first places: the same work per draw) runs on the first 1,000 of the same weight draws and is
extrapolated linearly to all of them; the table says so.

Timings are the best of 5 runs. The machine has 2 cores: when other processes load it,
OpenBLAS's worker threads in the matrix products contend for them and times can double; the
load average is printed so a slow run can be told from a slow kernel.
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from engine_helpers import make_study  # noqa: E402
from timing import best_of  # noqa: E402

from workbench.robustness import analyse, smaa  # noqa: E402
from workbench.robustness.draws import draw_weights  # noqa: E402
from workbench.study import load_study  # noqa: E402

LOOP_DRAWS = 1_000
HEALTH = Path(__file__).resolve().parent.parent / "criteria" / "health-data-sovereignty.yaml"


def peak_mb(fn) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def pymcdm_seconds(oracle, x, types, w: np.ndarray, total: int) -> float:
    """A Python loop over pymcdm on the first LOOP_DRAWS weight vectors, extrapolated to `total`."""
    counts = np.zeros(x.shape[0], dtype=int)
    start = time.perf_counter()
    for k in range(LOOP_DRAWS):
        pref = oracle(x, w[k], types)
        counts[np.argmin(oracle.rank(pref))] += 1
    return (time.perf_counter() - start) * total / LOOP_DRAWS


def synthetic():
    rng = np.random.default_rng(0)
    x = rng.uniform(1, 100, size=(20, 15))
    cost = rng.random(15) < 0.3
    study = make_study(x, cost=cost, bounds=[(0, 100)] * 15)
    return study, x, np.where(cost, -1, 1)


def row(name, seconds, target, peak=None, loop=None) -> list[str]:
    """A table row; `target` None: informational (no target in the issue)."""
    ok = "—" if target is None else "yes" if seconds <= target and (peak is None or peak < 500) else "NO"
    return [
        name,
        f"{seconds * 1000:.0f} ms",
        "—" if target is None else f"≤ {target * 1000:.0f} ms",
        "—" if peak is None else f"{peak:.0f} MB",
        "—" if loop is None else f"{loop:.1f} s (extrapolated from {LOOP_DRAWS:,})",
        "—" if loop is None else f"{loop / seconds:.0f}×",
        ok,
    ]


def main() -> None:
    from pymcdm import methods as pm
    from pymcdm import normalizations as pn

    study, x, types = synthetic()
    rows = []
    n_draws = 100_000
    w = draw_weights(np.random.default_rng(0), LOOP_DRAWS, 15, "uniform", np.full(15, 1 / 15), 1.0)
    cases = [
        ("weighted-sum", "minmax", pm.WSM(normalization_function=pn.minmax_normalization), 0.5),
        ("topsis", "vector", pm.TOPSIS(normalization_function=pn.vector_normalization), 1.0),
    ]
    for method, norm, oracle, target in cases:

        def run(method=method, norm=norm, samples=n_draws):
            return smaa(study, method=method, normalization=norm, samples=samples, seed=0)

        seconds = best_of(run)
        peak = peak_mb(run)
        loop = pymcdm_seconds(oracle, x, types, w, n_draws)
        rows.append(row(f"SMAA {method}, 100k draws, 20×15", seconds, target, peak, loop))
        rows.append(row(f"SMAA {method}, 10k draws, 20×15", best_of(lambda run=run: run(samples=10_000)), 0.2))
    for method in ("vikor", "promethee-ii"):
        rows.append(row(f"SMAA {method}, 10k draws, 20×15",
                        best_of(lambda method=method: smaa(study, method=method, samples=10_000)), 0.2))  # fmt: skip
    if HEALTH.is_file():
        health = load_study(HEALTH)
        rows.append(
            row("page analysis (SMAA + thresholds + LP), health 7×17, 10k", best_of(lambda: analyse(health)), 0.2)
        )
        for method in ("weighted-sum", "topsis", "promethee-ii"):
            rows.append(row(f"SMAA {method}, triangular scores, health 7×17, 10k",
                            best_of(lambda method=method: smaa(health, method=method, scores_model="triangular")), None))  # fmt: skip
    print(f"load average before the table: {os.getloadavg()[0]:.2f} (2 cores)")
    header = ["case", "ours", "target", "peak memory", "pymcdm loop", "speed-up", "meets target"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main()
