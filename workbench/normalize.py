"""Column normalisations of a decision matrix (pure numpy); the result is always higher-is-better.

Formulas are those of docs/methods.md and pymcdm 1.4's `normalizations` module, whose
numbers they reproduce (Jahan & Edwards 2015, "A state-of-the-art survey on the influence of
normalization techniques in ranking", Materials & Design 65).
"""

from __future__ import annotations

import numpy as np

from .errors import WorkbenchError


def normalize(
    x: np.ndarray,
    cost: np.ndarray,
    method: str,
    lower: np.ndarray | None = None,
    upper: np.ndarray | None = None,
) -> np.ndarray:
    """Normalise every column of `x` (n × m); `cost` is a boolean mask of cost criteria.

    | name   | benefit          | cost              |
    | scale  | (x − lo)/(hi − lo) | (hi − x)/(hi − lo) |  lo, hi: declared scale bounds
    | minmax | (x − min)/(max − min) | (max − x)/(max − min) | constant column → 1
    | vector | x/‖x‖₂           | 1 − x/‖x‖₂        |
    | max    | x/max            | 1 − x/max         |
    | sum    | x/Σx             | (1/x)/Σ(1/x)      |  x > 0
    | linear | x/max            | min/x             |  x ≠ 0
    """
    x = np.asarray(x, dtype=float)
    cost = np.asarray(cost, dtype=bool)
    # np.where evaluates both branches; the unused one may divide by zero.
    with np.errstate(divide="ignore", invalid="ignore"):
        return _normalize(x, cost, method, lower, upper)


def _normalize(
    x: np.ndarray, cost: np.ndarray, method: str, lower: np.ndarray | None, upper: np.ndarray | None
) -> np.ndarray:
    if method == "scale":
        if lower is None or upper is None:
            raise WorkbenchError("the 'scale' normalisation needs each criterion's scale bounds")
        span = upper - lower
        return np.where(cost, (upper - x) / span, (x - lower) / span)
    if method == "minmax":
        lo, hi = x.min(axis=0), x.max(axis=0)
        span = hi - lo
        safe = np.where(span == 0, 1.0, span)
        out = np.where(cost, (hi - x) / safe, (x - lo) / safe)
        return np.where(span == 0, 1.0, out)
    if method == "vector":
        norm = np.sqrt((x**2).sum(axis=0))
        _no_zero(norm, "vector", "every value of a criterion is 0")
        return np.where(cost, 1 - x / norm, x / norm)
    if method == "max":
        top = x.max(axis=0)
        _no_zero(top, "max", "the largest value of a criterion is 0")
        return np.where(cost, 1 - x / top, x / top)
    if method == "sum":
        if np.any(x <= 0):
            raise WorkbenchError("the 'sum' normalisation needs every score > 0; use 'scale' or 'minmax'")
        inv = 1 / x
        return np.where(cost, inv / inv.sum(axis=0), x / x.sum(axis=0))
    if method == "linear":
        if np.any(x == 0):
            raise WorkbenchError("the 'linear' normalisation cannot divide by a score of 0; use 'scale'")
        top = x.max(axis=0)
        _no_zero(top, "linear", "the largest value of a criterion is 0")
        return np.where(cost, x.min(axis=0) / x, x / top)
    raise WorkbenchError(f"unknown normalisation {method!r}")


def _no_zero(values: np.ndarray, name: str, why: str) -> None:
    if np.any(values == 0):
        raise WorkbenchError(f"the {name!r} normalisation is undefined here: {why}; use 'scale' or 'minmax'")
