"""Engine speed: batch kernels against a loop over pymcdm on the same data, and file loading.

Run: python benchmarks/bench_engine.py   (prints a table; figures go in docs/performance.md)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from engine_helpers import make_study  # noqa: E402
from timing import best_of  # noqa: E402

from workbench.evaluate import score_batch  # noqa: E402
from workbench.model import Preference  # noqa: E402


def pymcdm_loop(method, x, w, types, count: int) -> float:
    """Time a Python loop calling pymcdm on the first `count` weight vectors, extrapolated to all."""
    start = time.perf_counter()
    for k in range(count):
        method(x, w[k], types)
    return (time.perf_counter() - start) * len(w) / count


def case(name, study, w, method, norm, oracle, x, types, loop_count, target):
    ours = best_of(lambda: score_batch(study, w, method, norm))
    theirs = pymcdm_loop(oracle, x, w, types, loop_count)
    return [name, f"{ours * 1000:.1f} ms", f"≤ {target} ms", f"{theirs * 1000:.0f} ms", f"{theirs / ours:.0f}×",
            "yes" if ours * 1000 <= target else "NO"]  # fmt: skip


def bench_loading() -> list[str]:
    root = Path(__file__).resolve().parent.parent
    mini = (root / "tests/fixtures/mini/criteria.yaml").read_text()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "providers").mkdir()
        (tmp / "criteria.yaml").write_text(mini.replace("tests/fixtures/mini/providers", str(tmp / "providers")))
        alpha = (root / "tests/fixtures/mini/providers/alpha.yaml").read_text()
        for i in range(200):
            (tmp / "providers" / f"p{i}.yaml").write_text(alpha.replace("id: alpha", f"id: p{i}"))
        from workbench.validation import validate_paths

        elapsed = best_of(lambda: validate_paths([tmp]), repeat=3)
    return [
        "load + validate 200 profiles",
        f"{elapsed * 1000:.0f} ms",
        "≤ 1000 ms",
        "—",
        "—",
        "yes" if elapsed <= 1 else "NO",
    ]


def main() -> None:
    from pymcdm import methods as pm
    from pymcdm import normalizations as pn

    rng = np.random.default_rng(0)
    rows = []

    x = rng.uniform(1, 100, size=(20, 15))
    types = np.where(rng.random(15) < 0.3, -1, 1)
    w = rng.dirichlet(np.ones(15), size=10_000)
    study = make_study(x, types < 0)
    rows.append(case("TOPSIS 10,000 w × 20 alt × 15 crit", study, w, "topsis", "vector",
                     pm.TOPSIS(pn.vector_normalization), x, types, 1000, 20))  # fmt: skip

    x = rng.uniform(1, 100, size=(30, 15))
    types = np.where(rng.random(15) < 0.3, -1, 1)
    w = rng.dirichlet(np.ones(15), size=1_000)
    study = make_study(x, types < 0, prefs=[Preference("linear", q=5, p=30)] * 15)
    rows.append(case("PROMETHEE II (linear) 1,000 w × 30 alt × 15 crit", study, w, "promethee-ii", None,
                     # pymcdm keeps its preference functions in a generator: one object per call.
                     lambda *a: pm.PROMETHEE_II("vshape_2", p=[30] * 15, q=[5] * 15)(*a), x, types, 200, 50))  # fmt: skip

    x = rng.uniform(1, 100, size=(50, 15))
    types = np.where(rng.random(15) < 0.3, -1, 1)
    w = rng.dirichlet(np.ones(15), size=10_000)
    lo, hi = x.min(axis=0), x.max(axis=0)
    study = make_study(x, types < 0, bounds=list(zip(lo, hi, strict=True)))
    rows.append(case("Weighted sum 10,000 w × 50 alt × 15 crit", study, w, "weighted-sum", "scale",
                     pm.WSM(pn.minmax_normalization), x, types, 1000, 5))  # fmt: skip

    rows.append(bench_loading())
    header = ["case", "workbench", "target", "pymcdm loop", "ratio", "met"]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(c).ljust(wd) for c, wd in zip(r, widths, strict=True)))
    print("\npymcdm figures: a Python loop over the first 200-1,000 weight vectors, extrapolated linearly.")


if __name__ == "__main__":
    main()
