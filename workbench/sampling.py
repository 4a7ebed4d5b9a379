"""Seeded random samplers shared by the cost model and the sensitivity analysis.

Every sampler takes an explicit :class:`numpy.random.Generator`, so a caller
that builds its generator with :func:`make_rng` and a fixed seed gets the same
numbers on every run. The samplers are vectorised: ``low``/``mode``/``high``
may be arrays that broadcast against ``size``, which lets a caller draw a whole
``(samples, parameters)`` matrix in one call instead of looping.

Degenerate intervals (``low == high``) return the constant rather than raising
or producing NaN, unlike :meth:`numpy.random.Generator.triangular`, because
point estimates are routinely written as ranges with equal bounds.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

Size = int | tuple[int, ...] | None

__all__ = ["make_rng", "triangular", "uniform"]


def make_rng(seed: int | None = 0) -> np.random.Generator:
    """Return a PCG64 generator; the same ``seed`` yields the same stream.

    ``seed=None`` draws fresh entropy from the operating system (not reproducible).
    """
    return np.random.default_rng(seed)


def _as_float_arrays(*values: ArrayLike) -> list[np.ndarray]:
    arrays = [np.asarray(v, dtype=float) for v in values]
    if not all(np.all(np.isfinite(a)) for a in arrays):
        raise ValueError("sampling bounds must be finite numbers")
    return arrays


def _output_shape(size: Size, *params: np.ndarray) -> tuple[int, ...]:
    """Shape of the draw: ``size`` if given (params must broadcast to it)."""
    param_shape = np.broadcast_shapes(*(p.shape for p in params))
    if size is None:
        return param_shape
    shape = (size,) if isinstance(size, (int, np.integer)) else tuple(size)
    if np.broadcast_shapes(shape, param_shape) != shape:
        raise ValueError(f"parameters of shape {param_shape} do not broadcast to size {shape}")
    return shape


def triangular(
    rng: np.random.Generator,
    low: ArrayLike,
    mode: ArrayLike,
    high: ArrayLike,
    size: Size = None,
) -> np.ndarray:
    """Draw from the triangular distribution with the given low, mode and high.

    Uses inverse-transform sampling of the triangular CDF (see Law,
    *Simulation Modeling and Analysis*, chapter "Generating random
    variates", or Wikipedia "Triangular distribution"): with
    ``u ~ U[0, 1)``, ``w = high - low`` and ``c = (mode - low) / w``::

        x = low  + sqrt(u * w * (mode - low))        if u < c
        x = high - sqrt((1 - u) * w * (high - mode)) otherwise

    Both branches reduce to ``low`` when ``w == 0``, so degenerate ranges give
    the constant with no division by zero.

    Raises:
        ValueError: bounds are not finite, or not ``low <= mode <= high``.
    """
    lo, mo, hi = _as_float_arrays(low, mode, high)
    if np.any(lo > mo) or np.any(mo > hi):
        raise ValueError("triangular needs low <= mode <= high")
    shape = _output_shape(size, lo, mo, hi)
    u = rng.random(shape)
    width = hi - lo
    # The split point c is only needed where width > 0; elsewhere both
    # branches already equal low, so any c works and 0 avoids 0/0.
    split = np.divide(mo - lo, width, out=np.zeros(np.shape(width)), where=width > 0)
    left = lo + np.sqrt(u * width * (mo - lo))
    right = hi - np.sqrt((1.0 - u) * width * (hi - mo))
    draws = np.where(u < split, left, right)
    # Rounding in sqrt can step a hair outside [low, high]; clamp it back.
    return np.clip(draws, lo, hi)


def uniform(
    rng: np.random.Generator,
    low: ArrayLike,
    high: ArrayLike,
    size: Size = None,
) -> np.ndarray:
    """Draw from U[low, high): ``x = low + (high - low) * u`` with ``u ~ U[0, 1)``.

    A degenerate interval (``low == high``) returns the constant.

    Raises:
        ValueError: bounds are not finite, or ``low > high``.
    """
    lo, hi = _as_float_arrays(low, high)
    if np.any(lo > hi):
        raise ValueError("uniform needs low <= high")
    shape = _output_shape(size, lo, hi)
    return lo + (hi - lo) * rng.random(shape)
