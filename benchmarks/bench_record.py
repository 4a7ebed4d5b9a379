"""Decision-record speed: verifying a sealed record, and the rank-reversal audit.

Run: python benchmarks/bench_record.py   (prints a table; figures go in docs/record.md)

Targets (issue 19): verifying a sealed record of the health study ≤ 1 s (the JSON record, and
the HTML page, whose shown figures are read back too); the rank-reversal audit at 100 options ×
30 criteria ≤ 2 s for every method (n removals and n dominated copies, each set scored in one
batch). Timings are the best of 5 runs on random data seeded 0; the load average is printed
because this 2-core machine is shared.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from engine_helpers import make_study  # noqa: E402
from timing import best_of  # noqa: E402

from workbench.methods import method_names  # noqa: E402
from workbench.record import freeze, render_html, seal, verify_text  # noqa: E402
from workbench.robustness.rank_reversal import rank_reversal  # noqa: E402
from workbench.study import load_study  # noqa: E402

HEALTH = ROOT / "criteria" / "health-data-sovereignty.yaml"


def row(case: str, seconds: float, target: float, note: str = "") -> list[str]:
    return [case, f"{seconds * 1000:.0f} ms", f"≤ {target * 1000:.0f} ms", "yes" if seconds <= target else "NO", note]


def bench_verify() -> list[list[str]]:
    study = load_study(HEALTH)
    record = seal(study, freeze(study))
    text = json.dumps(record, ensure_ascii=False, indent=2)
    page = render_html(record, "fr")
    assert verify_text(text).ok and verify_text(page).ok
    size = f"{len(text.encode()) / 1000:.0f} kB, {len(study.providers)} options × {len(study.leaves)} criteria"
    return [
        row("verify the health record (JSON)", best_of(lambda: verify_text(text)), 1.0, size),
        row(
            "verify the health record (HTML)",
            best_of(lambda: verify_text(page)),
            1.0,
            f"{len(page.encode()) / 1000:.0f} kB page",
        ),  # fmt: skip
    ]


def bench_rank_reversal() -> list[list[str]]:
    rng = np.random.default_rng(0)
    x = rng.uniform(1, 100, size=(100, 30))
    study = make_study(x, rng.random(30) < 0.3)
    rows = []
    for method in method_names():
        audit = rank_reversal(study, method)
        seconds = best_of(lambda method=method: rank_reversal(study, method))
        label = f"rank reversal 100 × 30, {method}" + (f" / {audit.normalization}" if audit.normalization else "")
        rows.append(row(label, seconds, 2.0, f"{audit.count} of 200 variants reorder a pair"))
    return rows


def main() -> None:
    rows = bench_verify() + bench_rank_reversal()
    header = ["case", "time", "target", "met", "note"]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(c).ljust(wd) for c, wd in zip(r, widths, strict=True)).rstrip())
    print(f"\nload average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
