"""App speed: one full script run of the Compare page (AppTest) on the shipped study and on a
generated 100 providers × 60 criteria study, and `streamlit run` until /_stcore/health is ok.

Run: python benchmarks/bench_app.py   (prints a table; figures go in docs/performance.md)
Targets: Compare page ≤ 300 ms (shipped), ≤ 1 s (100 × 60); server healthy ≤ 5 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import free_port, start_streamlit, stop, wait_healthy  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

APP = str(ROOT / "app.py")
HEALTH = ROOT / "criteria" / "health-data-sovereignty.yaml"
RUNS = 7


def generate_study(folder: Path, providers: int = 100, groups: int = 6, per_group: int = 10, seed: int = 1) -> Path:
    """A criteria set of groups × per_group leaves and `providers` random profiles (with
    rationale, sources and confidence, like real ones) under folder/criteria and folder/providers."""
    rng = np.random.default_rng(seed)
    crit_dir, prov_dir = folder / "criteria", folder / "providers"
    crit_dir.mkdir(parents=True)
    prov_dir.mkdir()
    criteria, leaves = [], []
    for g in range(groups):
        children = []
        for k in range(per_group):
            leaf_id = f"c{g}-{k}"
            leaves.append(leaf_id)
            leaf = {
                "id": leaf_id,
                "name": {"en": f"Criterion {g}.{k}", "fr": f"Critère {g}.{k}"},
                "weight": int(rng.integers(1, 10)),
                "direction": "cost" if k == per_group - 1 else "benefit",
                "scale": {"min": 0, "max": 10},
            }
            if g == 0 and k == 0:
                leaf["must_have"] = {"min": 1}
            children.append(leaf)
        criteria.append({"id": f"g{g}", "name": {"en": f"Group {g}", "fr": f"Groupe {g}"}, "weight": g + 1,
                         "criteria": children})  # fmt: skip
    cs = {"id": "generated", "name": {"en": "Generated", "fr": "Générée"}, "providers": str(prov_dir),
          "criteria": criteria}  # fmt: skip
    path = crit_dir / "generated.yaml"
    path.write_text(yaml.safe_dump(cs, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for i in range(providers):
        scores = {
            leaf: {
                "value": int(rng.integers(0, 11)),
                "rationale": {"en": f"Because {i}/{leaf}.", "fr": f"Parce que {i}/{leaf}."},
                "sources": [{"title": f"Source {i}", "url": f"https://example.org/{i}/{leaf}", "date": "2025-01"}],
                "confidence": ["low", "medium", "high"][int(rng.integers(0, 3))],
            }
            for leaf in leaves
        }
        profile = {"id": f"p{i:03d}", "name": {"en": f"Provider {i}", "fr": f"Fournisseur {i}"}, "scores": scores}
        (prov_dir / f"p{i:03d}.yaml").write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
    return crit_dir


def time_compare_page(criteria_dir: Path | None) -> tuple[float, float, float]:
    """(first run, median and max of RUNS further full runs) of the Compare page, in seconds."""
    if criteria_dir is None:
        os.environ.pop("WORKBENCH_CRITERIA_DIR", None)
    else:
        os.environ["WORKBENCH_CRITERIA_DIR"] = str(criteria_dir)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "fr"
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return first, statistics.median(times), max(times)


def time_server_start() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "streamlit.log"
        port = free_port()
        start = time.perf_counter()
        proc = start_streamlit(Path(APP), port, log)
        try:
            wait_healthy(f"http://127.0.0.1:{port}", proc, log)
            return time.perf_counter() - start
        finally:
            stop(proc)


def main() -> None:
    rows = []
    time_compare_page(None)  # warm the imports once so the first figures are comparable
    if HEALTH.is_file():
        first, median, worst = time_compare_page(None)
        rows.append(("Compare page, shipped health study (7 × 17)", first, median, worst, 0.300))
    with tempfile.TemporaryDirectory() as tmp:
        crit = generate_study(Path(tmp))
        first, median, worst = time_compare_page(crit)
        rows.append(("Compare page, generated study (100 × 60)", first, median, worst, 1.0))
    starts = [time_server_start() for _ in range(3)]
    rows.append(("streamlit run -> /_stcore/health ok (3 starts)", starts[0], statistics.median(starts),
                 max(starts), 5.0))  # fmt: skip
    print(f"{'measure':50} {'first':>8} {'median':>8} {'max':>8} {'target':>8}")
    for name, first, median, worst, target in rows:
        flag = "ok" if median <= target else "SLOW"
        print(f"{name:50} {first:8.3f} {median:8.3f} {worst:8.3f} {target:8.3f}  {flag}")
    print(f"(seconds; {RUNS} reruns per page after the first; Python {sys.version.split()[0]}, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
