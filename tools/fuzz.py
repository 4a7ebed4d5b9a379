"""Mutation fuzzing of every entry point that reads user files: the goal is 0 tracebacks.

Each document is a mutated copy of a seed file (the mini study, the evidence fixture, a
scenario, an AHP matrix): character edits, and structural edits made on the parsed data (huge
numbers, nested containers where a scalar stands and the reverse, deep nesting, aliases). Every
entry point must either accept it or refuse it with a `WorkbenchError` (a sentence naming file,
line and field); anything else is counted as a traceback and printed.

    python tools/fuzz.py --documents 10000 --seed 1
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import shutil
import string
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.errors import WorkbenchError  # noqa: E402
from workbench.files.criteria import criteria_set_from_doc, load_criteria_set  # noqa: E402
from workbench.files.providers import provider_from_doc  # noqa: E402
from workbench.files.scenario_io import scenario_from_params  # noqa: E402
from workbench.files.scenarios import parse_scenario  # noqa: E402
from workbench.files.yamlfile import parse_yaml  # noqa: E402

MINI = ROOT / "tests" / "fixtures" / "mini"
SEEDS = {
    "criteria": (MINI / "criteria.yaml").read_text(encoding="utf-8"),
    "provider": (MINI / "providers" / "alpha.yaml").read_text(encoding="utf-8"),
    "provider-costs": (MINI / "providers" / "beta.yaml").read_text(encoding="utf-8"),
    "evidence": (ROOT / "tests" / "fixtures" / "evidence" / "providers" / "components" / "host.yaml").read_text(
        encoding="utf-8"
    ),
    "scenario": "providers: [alpha, beta]\nweights: {exposure: 1, cost: 2}\nmethod: topsis\nhorizon: 12\n"
    "discount_rate: 0.04\ndisabled_must_haves: [exposure]\nmust_haves: {cost: {max: 50}}\n"
    "overrides: [{provider: alpha, criterion: cost, value: 30, note: n}]\n",
    "ahp": "criteria: [a, b, c]\nmatrix:\n  - [1, 3, 5]\n  - [1/3, 1, 2]\n  - [1/5, 1/2, 1]\n",
}
HOSTILE_VALUES: list[Any] = [
    10**400, -(10**400), 1e308, -1e308, float("nan"), float("inf"), 0, -1, "", None, True,
    [["x"]], {"a": {"b": "c"}}, [], {}, "x" * 5000, "1/0", "=cmd|' /C calc'!A0", "<script>", [1, [2, [3]]],
]  # fmt: skip


def mutate_text(text: str, rnd: random.Random) -> str:
    """Character edits: deletions, insertions of YAML punctuation, duplicated runs, tags, aliases."""
    chars = list(text)
    for _ in range(rnd.randint(1, 8)):
        op = rnd.randrange(4)
        pos = rnd.randrange(len(chars) + 1)
        if op == 0 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif op == 1:
            chars.insert(pos, rnd.choice(string.printable + ":-[]{}&*!|>'\"#%@`"))
        elif op == 2 and chars:
            i = min(pos, len(chars) - 1)
            chars[i:i] = chars[i : i + rnd.randint(1, 20)]
        else:
            chars.insert(pos, rnd.choice(["\n  - ", ": ", "{", "}", "[", "]", "&a ", "*a", "!!python/object "]))
    return "".join(chars)


def _paths(data: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if len(path) > 30:  # an earlier edit of the same document may have nested it deeply
        return out
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(_paths(v, path + (k,)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(_paths(v, path + (i,)))
    return out


def _set(data: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


def mutate_structure(text: str, rnd: random.Random) -> str:
    """Replace 1–3 values of the parsed seed by hostile ones (huge numbers, nested containers in
    place of scalars and scalars in place of containers, deep nesting, NaN...) and dump it again."""
    data = yaml.safe_load(text)
    for _ in range(rnd.randint(1, 3)):
        path = rnd.choice(_paths(data))
        choice = rnd.randrange(4)
        if choice == 0:
            value: Any = rnd.choice(HOSTILE_VALUES)
        elif choice == 1:  # deep nesting
            value = "x"
            for _ in range(rnd.randint(20, 200)):
                value = [value] if rnd.random() < 0.5 else {"k": value}
        elif choice == 2:  # a container where a scalar stands, or the reverse
            value = [rnd.choice(HOSTILE_VALUES)] if rnd.random() < 0.5 else rnd.choice(["x", 1, 2.5])
        else:
            value = {"en": rnd.choice(HOSTILE_VALUES), "fr": "x"}
        data = _set(data, path, value)
    try:
        return yaml.safe_dump(data, allow_unicode=True, width=1_000_000)
    except (yaml.YAMLError, RecursionError):
        return text


def mutate(text: str, rnd: random.Random) -> str:
    return mutate_structure(text, rnd) if rnd.random() < 0.5 else mutate_text(text, rnd)


def entry_points(workdir: Path) -> dict[str, Callable[[str], Any]]:
    """Every reader of user text, each taking the document's text."""
    from workbench.cli import main
    from workbench.cli.study import read_pairwise

    cs = load_criteria_set(MINI / "criteria.yaml")
    leaves = {leaf.id: leaf for leaf in cs.leaves()}
    study_dir = workdir / "study"
    shutil.copytree(MINI, study_dir)
    crit = study_dir / "criteria.yaml"
    crit.write_text(SEEDS["criteria"].replace("tests/fixtures/mini/providers", str(study_dir / "providers")), "utf-8")

    def on_disk(name: str, text: str) -> Path:
        path = workdir / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        return path

    def cli(*args: str) -> int:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return main(list(args))

    def with_profile(text: str) -> int:
        (study_dir / "providers" / "fuzz.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            return cli("evaluate", "--criteria", str(crit), "--format", "json")
        finally:
            (study_dir / "providers" / "fuzz.yaml").unlink()

    return {
        "criteria set": lambda text: criteria_set_from_doc(parse_yaml(text, "fuzz.yaml")),
        "profile (checked)": lambda text: provider_from_doc(parse_yaml(text, "fuzz.yaml"), leaves),
        "profile (free)": lambda text: provider_from_doc(parse_yaml(text, "fuzz.yaml"), None),
        "scenario": lambda text: parse_scenario(text, "fuzz.yaml", cs, ["alpha", "beta", "gamma"]),
        "scenario (no set)": lambda text: parse_scenario(text, "fuzz.yaml"),
        "link": lambda text: scenario_from_params(_params(text), cs, ["alpha", "beta", "gamma"]),
        "ahp file": lambda text: read_pairwise(on_disk("m.yaml", text)),
        "cli evaluate --scenario": lambda text: cli(
            "evaluate", "--criteria", str(crit), "--scenario", str(on_disk("s.yaml", text)), "--format", "json"
        ),
        "cli tco --scenario": lambda text: cli(
            "tco", "--criteria", str(crit), "--scenario", str(on_disk("t.yaml", text))
        ),
        "cli validate": lambda text: cli("validate", str(on_disk("v.yaml", text))),
        "cli evaluate (profile)": with_profile,
    }


def _params(text: str) -> dict[str, str]:
    """A shared link's parameters made from the document's lines (`key: value`)."""
    out = {}
    for line in text.splitlines()[:20]:
        key, _, value = line.partition(":")
        out[key.strip()[:20]] = value.strip()[:500]
    return out


def run(documents: int, seed: int, *, show: int = 20) -> tuple[int, Counter]:
    """Feed `documents` mutated documents to every entry point; (tracebacks, per entry point)."""
    rnd = random.Random(seed)
    failures: Counter = Counter()
    seen: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        points = entry_points(Path(tmp))
        for _ in range(documents):
            text = mutate(SEEDS[rnd.choice(list(SEEDS))], rnd)
            for name, call in points.items():
                try:
                    call(text)
                except WorkbenchError:
                    pass
                except SystemExit as exc:  # argparse usage errors exit 2 with a sentence
                    if exc.code not in (0, 1, 2):
                        failures[name] += 1
                except Exception as exc:  # noqa: BLE001 - counting every traceback is the point
                    failures[name] += 1
                    frame = traceback.extract_tb(exc.__traceback__)[-1]
                    where = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
                    if where not in seen and len(seen) < show:
                        seen.add(where)
                        print(f"--- {name}: {where}\n{text[:300]}\n{traceback.format_exc(limit=-3)}", file=sys.stderr)
    return sum(failures.values()), failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    total, failures = run(args.documents, args.seed)
    elapsed = time.perf_counter() - start
    print(f"{args.documents} documents × 11 entry points in {elapsed:.0f} s: {total} traceback(s)")
    for name, count in failures.most_common():
        print(f"  {name}: {count}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
