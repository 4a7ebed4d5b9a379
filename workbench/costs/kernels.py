"""Array kernels of the TCO: cash flows, discount factors and NPV (pure numpy, no validation).

Cash flows (amounts already converted into the study currency and per-seat amounts already
multiplied by the seats in force, see `pricing`; ``H`` = horizon)::

    year 0        : one_off
    year t, 1..H  : annual * (1 + g) ** (t - 1)      g = escalation
    year H (also) : exit

    NPV = sum_{t=0..H} flow_t / (1 + r) ** t         r = discount rate
        = one_off + sum_{t=1..H} annual * (1 + g) ** (t - 1) / (1 + r) ** t + exit / (1 + r) ** H

This is the standard net present value of a cash-flow stream whose annual part is a growing
annuity (Brealey, Myers & Allen, *Principles of Corporate Finance*, chapters on present value;
Treasury Board of Canada Secretariat, *Canadian Cost-Benefit Analysis Guide*, on discounting).
Annual amounts are year-1 figures, hence the ``t - 1`` exponent: escalation first applies in
year 2. Inputs are totals (items summed) and may be arrays of samples; callers validate first.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def cash_flows(
    one_off: ArrayLike,
    annual: ArrayLike,
    escalation: ArrayLike,
    exit: ArrayLike,
    horizon: int,
) -> np.ndarray:
    """Undiscounted cash flows of years 0..H, shape ``broadcast(inputs) + (H + 1,)``.

    ``flow_0 = one_off``; ``flow_t = annual * (1 + escalation) ** (t - 1)`` for
    t = 1..H; ``exit`` is added to ``flow_H``.
    """
    one_off, annual, escalation, exit = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (one_off, annual, escalation, exit))
    )
    flows = np.empty(one_off.shape + (horizon + 1,))
    flows[..., 0] = one_off
    flows[..., 1:] = annual[..., None] * growth_factors(escalation[..., None], horizon)
    flows[..., horizon] += exit
    return flows


def growth_factors(escalation: ArrayLike, horizon: int) -> np.ndarray:
    """``(1 + g) ** (t - 1)`` for t = 1..H: what one unit of a year-1 annual amount costs in year t."""
    return (1.0 + np.asarray(escalation, dtype=float)) ** np.arange(horizon, dtype=float)


def discount_factors(discount_rate: float, horizon: int) -> np.ndarray:
    """``1 / (1 + r) ** t`` for t = 0..H (present value of 1 paid at the end of year t)."""
    return (1.0 + discount_rate) ** -np.arange(horizon + 1, dtype=float)


def npv_batch(
    one_off: ArrayLike,
    annual: ArrayLike,
    escalation: ArrayLike,
    exit: ArrayLike,
    *,
    horizon: int,
    discount_rate: float,
) -> np.ndarray:
    """Vectorised NPV: ``sum_t cash_flows(...)_t / (1 + r) ** t`` (see the module docstring).

    Arrays in (broadcast together), array out with the broadcast shape.
    """
    flows = cash_flows(one_off, annual, escalation, exit, horizon)
    return flows @ discount_factors(discount_rate, horizon)
