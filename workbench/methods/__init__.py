"""MCDA methods as plug-ins: every module of this package that defines a module-level `METHOD`.

A method is one module, nothing else to edit: the command line's choices, the app's method menus,
SMAA, the sensitivity sweeps, the reports and the method-agreement table all read this registry.
The five fields every method gives:

    METHOD = Method(
        name="weighted-sum",                       # CLI and file id
        label={"en": "Weighted sum", "fr": "Somme pondérée"},
        default_normalization="scale",             # or None for methods that read raw values
        higher_is_better=True,
        scores=scores,                             # (r: n × m, w: K × m) -> K × n
    )

`r` is what `prepare` makes of the raw decision matrix: by default the matrix normalised with the
normalisation in force (higher is better on every column), or the raw values when there is none.
The optional keyword hooks below let a method read raw values with its own transformation
(VIKOR, PROMETHEE), explain its score additively, report details, score K drawn matrices at once,
or say that its score is linear in the weights (which unlocks exact flip thresholds and the
least-change-to-flip programme).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import WorkbenchError
from ..model import NORMALIZATIONS, Preference
from ..normalize import normalize

Kernel = Callable[[np.ndarray, np.ndarray], np.ndarray]
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Decision:
    """The decision matrix as a method sees it.

    `x` holds raw values, n × m, or n × K × m for K drawn matrices (the alternatives stay on the
    first axis and the criteria on the last, so column reductions over axis 0 work for both).
    """

    x: np.ndarray
    alternatives: tuple[str, ...]
    criteria: tuple[str, ...]
    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    preferences: tuple[Preference | None, ...]
    normalization: str | None

    def normalized(self) -> np.ndarray:
        """The values normalised with the normalisation in force, or the raw values without one."""
        if self.normalization is None:
            return np.array(self.x, dtype=float)
        return normalize(self.x, self.cost, self.normalization, self.lower, self.upper)


@dataclass(frozen=True)
class Method:
    """One MCDA method: five required fields and optional hooks (module docstring).

    Hooks:
    * `prepare(decision) -> r`: the values `scores` reads (default: `Decision.normalized`); it may
      raise `WorkbenchError` with a sentence when the method cannot run on the data.
    * `normalizable`: False when the method ignores any normalisation (PROMETHEE works in the
      criteria's own units).
    * `linear`: True when S_i = Σ_j w_j r_ij (higher is better); then the additive contributions, the drawn-matrix
      scorer and the exact flip analyses come for free.
    * `contributions(r, w) -> n × m`: an additive break-down of each score for one weight vector.
    * `details(decision, r, w) -> dict`: figures for the reports (keyed by alternative id).
    * `draw_scorer(r) -> (w: K × m -> K × n)`: scores K drawn matrices r (n × K × m), draw k under
      weights w[k]; whatever does not depend on the weights is computed once per draw set.
    * `explanation`: a plain-language sentence per language for the reports; `formula`: the score's
      formula in one line, for the documentation table (`python -m workbench methods`).
    * `order`: the position in menus (the shipped methods use 10–50; plug-ins default to 100).
    """

    name: str
    label: Mapping[str, str]
    default_normalization: str | None
    higher_is_better: bool
    scores: Kernel
    prepare: Callable[[Decision], np.ndarray] | None = None
    normalizable: bool = True
    linear: bool = False
    contributions: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None
    details: Callable[[Decision, np.ndarray, np.ndarray], dict[str, Any]] | None = None
    draw_scorer: Callable[[np.ndarray], Callable[[np.ndarray], np.ndarray]] | None = None
    explanation: Mapping[str, str] = field(default_factory=dict)
    formula: str = ""
    order: int = 100

    def __post_init__(self) -> None:
        if not NAME_PATTERN.match(self.name):
            raise ValueError(f"method name {self.name!r}: lower-case letters, digits and '-' only")
        if not all(isinstance(self.label.get(lang), str) for lang in ("en", "fr")):
            raise ValueError(f"method {self.name!r}: label needs 'en' and 'fr' texts")
        if self.default_normalization not in (None, *NORMALIZATIONS):
            raise ValueError(f"method {self.name!r}: unknown default normalisation {self.default_normalization!r}")
        if self.linear and not self.higher_is_better:
            raise ValueError(f"method {self.name!r}: a linear score (Σ w_j r_ij) is read higher-is-better")

    def title(self, lang: str) -> str:
        return self.label.get(lang) or self.label["en"]

    def values(self, decision: Decision) -> np.ndarray:
        """What `scores` reads: the method's `prepare`, or the normalised (or raw) values."""
        return self.prepare(decision) if self.prepare else decision.normalized()

    def additive(self, r: np.ndarray, w: np.ndarray) -> np.ndarray | None:
        """Contribution of each criterion to each score (n × m) for one weight vector, if additive."""
        if self.contributions is not None:
            return self.contributions(r, w)
        return r * w[None, :] if self.linear else None

    def scorer_for_draws(self, r: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        """A function w (K × m) -> scores (K × n) for K drawn matrices r (n × K × m)."""
        if self.draw_scorer is not None:
            return self.draw_scorer(r)
        if self.linear:
            return lambda w: np.einsum("km,nkm->kn", w, r)
        # A plug-in that gives only `scores`: one kernel call per draw (slower, always right).
        return lambda w: np.stack([self.scores(r[:, k, :], w[k : k + 1])[0] for k in range(w.shape[0])])


def _discover() -> dict[str, Method]:
    found: list[tuple[int, str, Method]] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        method = getattr(module, "METHOD", None)
        if isinstance(method, Method):
            found.append((method.order, method.name, method))
    names = [name for _, name, _ in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"two method modules share the name(s): {', '.join(duplicates)}")
    return {name: method for _, name, method in sorted(found, key=lambda item: (item[0], item[1]))}


_cache: tuple[frozenset[str], dict[str, Method]] | None = None


def registry() -> dict[str, Method]:
    """Every method, in menu order; a module dropped into this package is found on the next call."""
    global _cache
    modules = frozenset(info.name for info in pkgutil.iter_modules(__path__))
    if _cache is None or _cache[0] != modules:
        _cache = (modules, _discover())
    return _cache[1]


def method_names() -> tuple[str, ...]:
    return tuple(registry())


def get_method(name: str) -> Method:
    """The method called `name`, or a `WorkbenchError` listing the known ones."""
    methods = registry()
    if name not in methods:
        raise WorkbenchError(f"unknown method {name!r}; choose one of: {', '.join(methods)}")
    return methods[name]


def method_label(name: str, lang: str) -> str:
    """The method's display name in `lang` (its id when it is not installed)."""
    method = registry().get(name)
    return method.title(lang) if method else name


__all__ = ["Decision", "Method", "get_method", "method_label", "method_names", "registry"]
