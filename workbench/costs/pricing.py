"""One option's TCO under some settings: currency conversion, seats, NPV, sampled percentiles,
crossovers.

The validated wrappers around `kernels`: :func:`tco` prices a checked :class:`Costs` under
checked :class:`CostSettings`. Uncertain amounts are written ``{low, likely, high}``;
deterministic figures use ``likely``, and with ``samples > 0`` every ranged amount is drawn from
a triangular distribution and P10/P50/P90 of the NPV are reported.

Per-seat amounts join the fixed ones before the kernels run (S = ``settings.seats``, amounts per
seat in units of the currency, the others in millions, ``UNITS_PER_MILLION`` = 10**6)::

    one_off = sum(one_off) + S * sum(per_seat.one_off) / UNITS_PER_MILLION
    annual  = sum(annual)  + S * sum(per_seat.annual)  / UNITS_PER_MILLION

so per-seat annual amounts escalate and are discounted exactly like the fixed annual ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import accumulate
from numbers import Integral

import numpy as np

from .. import sampling
from .data import EXIT, PER_SEAT, UNITS_PER_MILLION, Costs, CostsError, TcoResult
from .kernels import cash_flows, discount_factors, growth_factors, npv_batch
from .settings import CostSettings


def exchange_rate(currency: str, settings: CostSettings) -> float:
    """Value of one unit of ``currency`` in the study currency.

    Raises:
        CostsError: no ``fx`` rate for ``currency`` (never silently 1.0).
    """
    if currency == settings.currency:
        return 1.0
    try:
        return settings.fx[currency]
    except KeyError:
        message = (
            f"no exchange rate from {currency} into {settings.currency}; "
            f"add fx: {{{currency}: <value of 1 {currency} in {settings.currency}>}} to the study"
        )
        raise CostsError([(f"fx.{currency}", message)]) from None


def seats_in_force(costs: Costs, settings: CostSettings) -> int:
    """The number of seats the block's per-seat amounts are multiplied by: ``settings.seats``
    (0 for a block without per-seat amounts, which needs no seats).

    Raises:
        CostsError: the block has per-seat amounts and no ``seats`` is in force (path
            ``costs.per_seat``; the message names the file and line of ``per_seat``).
    """
    if not costs.per_seat:
        return 0.0
    if settings.seats is None:
        at = costs.where(f"costs.{PER_SEAT}")
        where = f" at {at}" if at else ""
        message = (
            f"per-seat amounts{where} need a number of seats, and none is in force; "
            "add seats: <number> to the criteria set or the scenario"
        )
        raise CostsError([(f"costs.{PER_SEAT}", message)])
    return settings.seats


def _per_seat_millions(seats: int, per_seat_total: float | np.ndarray) -> float | np.ndarray:
    """``seats * per-seat total / UNITS_PER_MILLION``: per-seat amounts (units of the currency) as
    millions, multiplied before dividing so that whole amounts stay exact as long as possible."""
    return seats * per_seat_total / UNITS_PER_MILLION


def _likely_totals(costs: Costs, rate: float, seats: int) -> tuple[float, float, float, float]:
    """(one-off, annual, escalation, exit) of the likely values in millions of the study currency:
    per-seat amounts times ``seats``, then everything converted at ``rate``."""
    per_seat_one_off = sum(a.likely for a in costs.per_seat_one_off.values())
    per_seat_annual = sum(a.likely for a in costs.per_seat_annual.values())
    one_off = sum(a.likely for a in costs.one_off.values()) + _per_seat_millions(seats, per_seat_one_off)
    annual = sum(a.likely for a in costs.annual.values()) + _per_seat_millions(seats, per_seat_annual)
    return one_off * rate, annual * rate, costs.escalation.likely, costs.exit.likely * rate


def _check_sampling_args(samples: object) -> None:
    if not isinstance(samples, Integral) or isinstance(samples, bool) or samples < 0:
        raise ValueError(f"samples must be a non-negative integer, got {samples!r}")


def sample_npv(costs: Costs, settings: CostSettings, *, samples: int, seed: int | None = 0) -> np.ndarray:
    """``samples`` NPV draws, every amount triangular(low, likely, high).

    All amounts are drawn in one ``(samples, amounts)`` matrix, in the order of
    :meth:`Costs.amounts`; degenerate amounts come out constant, so fixed inputs
    give a constant NPV. Amounts of the same kind are summed (per-seat ones times
    the seat factor, see the module docstring), then :func:`npv_batch` prices all
    draws at once.

    Raises:
        CostsError: no fx rate for the block's currency, or per-seat amounts without seats.
    """
    _check_sampling_args(samples)
    rate = exchange_rate(costs.currency, settings)
    seats = seats_in_force(costs, settings)
    amounts = [a for _, a in costs.amounts()]
    low, likely, high = (np.array([getattr(a, key) for a in amounts]) for key in ("low", "likely", "high"))
    draws = sampling.triangular(sampling.make_rng(seed), low, likely, high, size=(samples, len(amounts)))
    n_one_off, n_annual = len(costs.one_off), len(costs.annual)
    n_fixed = n_one_off + n_annual
    n_seat_one_off = len(costs.per_seat_one_off)
    seat_one_off = draws[:, n_fixed + 2 : n_fixed + 2 + n_seat_one_off].sum(axis=1)
    seat_annual = draws[:, n_fixed + 2 + n_seat_one_off :].sum(axis=1)
    one_off = (draws[:, :n_one_off].sum(axis=1) + _per_seat_millions(seats, seat_one_off)) * rate
    annual = (draws[:, n_one_off:n_fixed].sum(axis=1) + _per_seat_millions(seats, seat_annual)) * rate
    escalation, exit_cost = draws[:, n_fixed], draws[:, n_fixed + 1] * rate
    return npv_batch(
        one_off,
        annual,
        escalation,
        exit_cost,
        horizon=settings.horizon,
        discount_rate=settings.discount_rate,
    )


def _by_category(costs: Costs, settings: CostSettings, rate: float, seats: int) -> dict[str, float]:
    """Undiscounted totals per item over the horizon (annual items escalated, per-seat items times
    ``seats`` and as millions)."""
    growth_sum = float(np.sum(growth_factors(costs.escalation.likely, settings.horizon)))
    categories: dict[str, float] = {}
    parts = (
        (costs.one_off, 1.0, False),
        (costs.annual, growth_sum, False),
        (costs.per_seat_one_off, 1.0, True),
        (costs.per_seat_annual, growth_sum, True),
    )
    for items, growth, per_seat in parts:
        for name, a in items.items():
            amount = _per_seat_millions(seats, a.likely) if per_seat else a.likely
            # A name used in several parts (one-off and annual, fixed and per seat) is one category.
            categories[name] = categories.get(name, 0.0) + amount * rate * growth
    categories[EXIT] = costs.exit.likely * rate
    return categories


def tco(costs: Costs, settings: CostSettings, *, samples: int = 0, seed: int | None = 0) -> TcoResult:
    """Total cost of ownership of ``costs`` over ``settings.horizon`` years.

    Net present value by standard discounted cash flow (growing annuity for the
    annual part; Brealey, Myers & Allen, *Principles of Corporate Finance*)::

        O = sum(one_off) + S * sum(per_seat.one_off) / 10**6
        A = sum(annual)  + S * sum(per_seat.annual)  / 10**6
        NPV = O + sum_{t=1..H} A * (1 + g) ** (t - 1) / (1 + r) ** t + exit / (1 + r) ** H

    with S ``settings.seats`` (per-seat amounts are in units of the currency, the
    others in millions), g the escalation, r ``settings.discount_rate`` and H
    ``settings.horizon``; every amount is first converted into
    ``settings.currency`` with ``settings.fx``. Deterministic figures use each
    amount's ``likely`` value. When ``samples > 0`` and some amount is a range,
    every amount is drawn triangular(low, likely, high) (seeded by ``seed``;
    ``None`` is not reproducible) and P10/P50/P90 of the NPV are reported;
    otherwise they are ``None``.

    Raises:
        CostsError: the profile currency has no ``fx`` rate (path ``fx.<code>``), or the
            block has per-seat amounts and no ``seats`` is in force (path ``costs.per_seat``).
        ValueError: ``samples`` is negative or not an integer.
    """
    _check_sampling_args(samples)
    rate = exchange_rate(costs.currency, settings)
    seats = seats_in_force(costs, settings)
    one_off, annual, escalation, exit_cost = _likely_totals(costs, rate, seats)
    flows = cash_flows(one_off, annual, escalation, exit_cost, settings.horizon)
    npv = float(flows @ discount_factors(settings.discount_rate, settings.horizon))
    p10 = p50 = p90 = None
    if samples > 0 and costs.has_ranges:
        draws = sample_npv(costs, settings, samples=samples, seed=seed)
        p10, p50, p90 = (float(p) for p in np.percentile(draws, [10, 50, 90]))
    return TcoResult(
        npv=npv,
        total=float(flows.sum()),
        by_year=[float(x) for x in flows],
        by_category=_by_category(costs, settings, rate, seats),
        p10=p10,
        p50=p50,
        p90=p90,
        currency=settings.currency,
    )


def _first_difference(a: TcoResult, b: TcoResult) -> tuple[float, float] | None:
    """Cumulative costs of a and b at the first year they differ, or None if they never do."""
    pairs = zip(accumulate(a.by_year), accumulate(b.by_year))
    return next(((x, y) for x, y in pairs if x != y), None)


def crossover_year(a: TcoResult, b: TcoResult) -> int | None:
    """First year at which the option cheaper at year 0 has cost more in total.

    Compares cumulative undiscounted costs (``by_year`` running sums). The
    option cheaper at year 0 is the one with the lower year-0 cost; on a tie,
    the one that is cheaper at the first year where the running sums differ.
    Returns that year index (0..H), or ``None`` if the cheaper option stays at
    or below the other for the whole horizon.

    Raises:
        ValueError: the results have different currencies or horizons.
    """
    if a.currency != b.currency:
        raise ValueError(f"cannot compare costs in {a.currency} and {b.currency}")
    if len(a.by_year) != len(b.by_year):
        raise ValueError("cannot compare results computed over different horizons")
    first = _first_difference(a, b)
    if first is None:
        return None
    cheap, other = (a, b) if first[0] < first[1] else (b, a)
    pairs = zip(accumulate(cheap.by_year), accumulate(other.by_year))
    return next((year for year, (x, y) in enumerate(pairs) if x > y), None)


def crossovers(results: Mapping[str, TcoResult]) -> list[tuple[str, str, int]]:
    """Every pair (cheaper start, dearer start, year) whose cumulative costs cross within the horizon.

    The first id is the option cheaper at the start that becomes the dearer one in `year`
    (see :func:`crossover_year`); pairs that never cross are left out. Ordered by year.
    """
    ids = list(results)
    out = []
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            year = crossover_year(results[a], results[b])
            if year is None:
                continue
            first = _first_difference(results[a], results[b]) or (0.0, 0.0)
            cheap, dear = (a, b) if first[0] < first[1] else (b, a)
            out.append((cheap, dear, year))
    return sorted(out, key=lambda c: (c[2], c[0], c[1]))
