"""Total cost of ownership (TCO) over a study horizon, as a discounted cash flow.

A provider profile's ``costs:`` block is parsed by :func:`parse_costs` into a
:class:`Costs`; a study's ``horizon``, ``discount_rate``, ``currency`` and ``fx``
become a :class:`CostSettings`; :func:`tco` turns both into a :class:`TcoResult`.

Cash flows (all amounts converted into the study currency, ``H`` = horizon)::

    year 0        : sum(one_off)
    year t, 1..H  : sum(annual) * (1 + g) ** (t - 1)      g = escalation
    year H (also) : exit

    NPV = sum_{t=0..H} flow_t / (1 + r) ** t               r = discount rate
        = sum(one_off)
          + sum_{t=1..H} sum(annual) * (1 + g) ** (t - 1) / (1 + r) ** t
          + exit / (1 + r) ** H

This is the standard net present value of a cash-flow stream whose annual part
is a growing annuity (Brealey, Myers & Allen, *Principles of Corporate
Finance*, chapters on present value; Treasury Board of Canada Secretariat,
*Canadian Cost-Benefit Analysis Guide*, on discounting). Annual amounts are
year-1 figures, hence the ``t - 1`` exponent: escalation first applies in year 2.

Uncertain amounts are written ``{low, likely, high}``. Deterministic figures use
``likely``; with ``samples > 0`` every ranged amount is drawn from a triangular
distribution and P10/P50/P90 of the NPV are reported.

The module is pure Python/numpy: the array kernels (:func:`cash_flows`,
:func:`discount_factors`, :func:`npv_batch`) take and return arrays with no
validation, and :func:`tco` is the thin validated wrapper around them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from workbench import sampling

__all__ = [
    "DEFAULT_CURRENCY",
    "DEFAULT_DISCOUNT_RATE",
    "DEFAULT_HORIZON",
    "MAX_HORIZON",
    "Amount",
    "CostSettings",
    "Costs",
    "CostsError",
    "TcoResult",
    "cash_flows",
    "crossover_year",
    "crossovers",
    "discount_factors",
    "exchange_rate",
    "npv_batch",
    "parse_costs",
    "sample_npv",
    "tco",
    "tco_report",
]

DEFAULT_CURRENCY = "CAD"
DEFAULT_HORIZON = 15
DEFAULT_DISCOUNT_RATE = 0.03
MAX_HORIZON = 100
EXIT = "exit"

_CURRENCY_RE = re.compile(r"[A-Z]{3}")
_COSTS_KEYS = frozenset({"currency", "one_off", "annual", "escalation", "exit", "sources"})
_RANGE_KEYS = ("low", "likely", "high")

Problem = tuple[str, str]


class CostsError(ValueError):
    """Invalid cost data or settings.

    ``problems`` lists every problem found as ``(field path, message)``, e.g.
    ``("costs.annual.licences", "must not be negative (got -3)")``, so a user can
    fix a file in one pass rather than one error at a time.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("; ".join(f"{path}: {message}" for path, message in self.problems))


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Amount:
    """An amount with its uncertainty; a plain number has ``low == likely == high``."""

    low: float
    likely: float
    high: float

    @property
    def is_range(self) -> bool:
        """True when the amount is uncertain (``low < high``)."""
        return self.low != self.high

    @classmethod
    def fixed(cls, value: float) -> Amount:
        """A certain amount."""
        return cls(float(value), float(value), float(value))


ZERO = Amount(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Costs:
    """A provider's cost profile, in its own ``currency``.

    ``one_off`` items fall in year 0, ``annual`` items in every year 1..H
    (growing by ``escalation`` a year), ``exit`` at the end of year H.
    """

    currency: str = DEFAULT_CURRENCY
    one_off: dict[str, Amount] = field(default_factory=dict)
    annual: dict[str, Amount] = field(default_factory=dict)
    escalation: Amount = ZERO
    exit: Amount = ZERO
    sources: tuple = ()

    def amounts(self) -> list[tuple[str, Amount]]:
        """Every amount with its field path, in a stable order."""
        return (
            [(f"costs.one_off.{name}", a) for name, a in self.one_off.items()]
            + [(f"costs.annual.{name}", a) for name, a in self.annual.items()]
            + [("costs.escalation", self.escalation), ("costs.exit", self.exit)]
        )

    @property
    def has_ranges(self) -> bool:
        """True when any amount (escalation included) is uncertain."""
        return any(a.is_range for _, a in self.amounts())


@dataclass(frozen=True)
class CostSettings:
    """Study-level settings for the TCO: horizon in years, discount rate, currency, fx.

    ``fx`` maps a currency code to the value of one unit of it in ``currency``
    (``{"EUR": 1.5}`` with ``currency="CAD"`` means 1 EUR = 1.5 CAD).
    Construction validates the values and raises :class:`CostsError`.
    """

    horizon: int = DEFAULT_HORIZON
    discount_rate: float = DEFAULT_DISCOUNT_RATE
    currency: str = DEFAULT_CURRENCY
    fx: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = _settings_problems(self.horizon, self.discount_rate, self.currency, self.fx)
        if problems:
            raise CostsError(problems)
        # Own a plain copy so later edits to the caller's mapping can't leak in.
        object.__setattr__(self, "fx", {code: float(rate) for code, rate in self.fx.items()})
        object.__setattr__(self, "discount_rate", float(self.discount_rate))
        object.__setattr__(self, "horizon", int(self.horizon))

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any] | None, base: CostSettings | None = None) -> CostSettings:
        """Settings from a study mapping, overriding ``base`` (default: the defaults).

        Reads the keys ``horizon``, ``discount_rate``, ``currency`` and ``fx``;
        other keys are ignored so a whole criteria set or scenario can be passed.
        Call it for the criteria set, then again with the scenario and
        ``base=`` the criteria-set result.

        ``fx`` entries are merged into ``base.fx`` (the new ones win), unless the
        mapping changes the currency: the base rates were expressed in the old
        currency, so they are dropped rather than silently misused.

        Raises:
            CostsError: listing every invalid value, with paths such as ``fx.EUR``.
        """
        base = base if base is not None else cls()
        if raw is None:
            return base
        if not isinstance(raw, Mapping):
            raise CostsError([("settings", f"must be a mapping, got {_type_name(raw)}")])
        currency = raw.get("currency", base.currency)
        fx_raw = raw.get("fx", {})
        if fx_raw is None:
            fx_raw = {}
        if not isinstance(fx_raw, Mapping):
            raise CostsError(
                [
                    (
                        "fx",
                        f"must be a mapping of currency code to rate, got {_type_name(fx_raw)}",
                    )
                ]
            )
        inherited = base.fx if currency == base.currency else {}
        fx = {**inherited, **fx_raw}
        horizon = raw.get("horizon", base.horizon)
        discount_rate = raw.get("discount_rate", base.discount_rate)
        problems = _settings_problems(horizon, discount_rate, currency, fx)
        if problems:
            raise CostsError(problems)
        return cls(horizon=horizon, discount_rate=discount_rate, currency=currency, fx=fx)


@dataclass(frozen=True)
class TcoResult:
    """TCO of one option in the study currency.

    ``by_year`` is the undiscounted cash flow of years 0..H; ``by_category``
    the undiscounted total per one-off item, annual item and ``"exit"``;
    ``total`` their sum; ``npv`` the discounted sum. ``p10``/``p50``/``p90``
    are NPV percentiles from sampling, ``None`` when not sampled.
    """

    npv: float
    total: float
    by_year: list[float]
    by_category: dict[str, float]
    p10: float | None = None
    p50: float | None = None
    p90: float | None = None
    currency: str = DEFAULT_CURRENCY


# --------------------------------------------------------------------------- validation helpers


def _type_name(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


def _is_number(value: object) -> bool:
    # bool is an int subclass, but `true` in YAML is never a meaningful amount.
    return isinstance(value, Real) and not isinstance(value, bool)


def _currency_problem(path: str, value: object) -> Problem | None:
    if isinstance(value, str) and _CURRENCY_RE.fullmatch(value):
        return None
    return (
        path,
        f"must be a 3-letter uppercase currency code such as CAD, EUR or USD, got {value!r}",
    )


def _settings_problems(horizon: object, discount_rate: object, currency: object, fx: object) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(horizon, Integral) or isinstance(horizon, bool):
        problems.append(("horizon", f"must be a whole number of years, got {horizon!r}"))
    elif not 1 <= horizon <= MAX_HORIZON:
        problems.append(("horizon", f"must be between 1 and {MAX_HORIZON} years, got {horizon}"))
    if not _is_number(discount_rate) or not math.isfinite(discount_rate):
        problems.append(
            (
                "discount_rate",
                f"must be a finite number such as 0.03, got {discount_rate!r}",
            )
        )
    elif discount_rate <= -1:
        problems.append(("discount_rate", f"must be greater than -1 (-100%), got {discount_rate}"))
    bad_currency = _currency_problem("currency", currency)
    if bad_currency:
        problems.append(bad_currency)
    if not isinstance(fx, Mapping):
        problems.append(("fx", f"must be a mapping of currency code to rate, got {_type_name(fx)}"))
        return problems
    for code, rate in fx.items():
        path = f"fx.{code}"
        bad_code = _currency_problem(path, code)
        if bad_code:
            problems.append(bad_code)
        if not _is_number(rate) or not math.isfinite(rate) or rate <= 0:
            problems.append((path, f"must be a positive number, got {rate!r}"))
        elif code == currency and rate != 1:
            problems.append((path, f"is the study currency, so its rate must be 1, got {rate}"))
    return problems


def _value_problems(value: object, path: str, *, minimum: float, strict: bool) -> list[Problem]:
    """Problems of one number that must be ``>= minimum`` (``> minimum`` if strict)."""
    if not _is_number(value):
        return [(path, f"must be a number, got {_type_name(value)} {value!r}")]
    if not math.isfinite(value):
        return [(path, f"must be a finite number, got {value!r}")]
    if strict and value <= minimum:
        return [(path, f"must be greater than {minimum:g} (got {value:g})")]
    if not strict and value < minimum:
        rule = "must not be negative" if minimum == 0 else f"must be at least {minimum:g}"
        return [(path, f"{rule} (got {value:g})")]
    return []


def _parse_amount(raw: object, path: str, *, minimum: float, strict: bool) -> tuple[Amount | None, list[Problem]]:
    """An amount from a number or ``{low, likely, high}``; every value must be
    ``>= minimum`` (``> minimum`` when ``strict``) and ``low <= likely <= high``."""

    def check(value: object, where: str) -> list[Problem]:
        return _value_problems(value, where, minimum=minimum, strict=strict)

    if isinstance(raw, Mapping):
        problems = [
            (f"{path}.{key}", "unknown key (expected low, likely, high)") for key in raw if key not in _RANGE_KEYS
        ]
        missing = [key for key in _RANGE_KEYS if key not in raw]
        if missing:
            problems.append(
                (
                    path,
                    f"a range needs low, likely and high; missing {', '.join(missing)}",
                )
            )
        for key in _RANGE_KEYS:
            if key in raw:
                problems += check(raw[key], f"{path}.{key}")
        if problems:
            return None, problems
        low, likely, high = (float(raw[key]) for key in _RANGE_KEYS)
        if low > likely:
            problems.append((path, f"low ({low:g}) must not exceed likely ({likely:g})"))
        if likely > high:
            problems.append((path, f"likely ({likely:g}) must not exceed high ({high:g})"))
        return (None, problems) if problems else (Amount(low, likely, high), [])
    problems = check(raw, path)
    return (None, problems) if problems else (Amount.fixed(raw), [])


def _parse_items(raw: object, path: str) -> tuple[dict[str, Amount], list[Problem]]:
    # An empty YAML key (`annual:`) loads as None; read it as "no items".
    if raw is None:
        return {}, []
    if not isinstance(raw, Mapping):
        return {}, [(path, f"must be a mapping of item name to amount, got {_type_name(raw)}")]
    items: dict[str, Amount] = {}
    problems: list[Problem] = []
    for name, value in raw.items():
        item_path = f"{path}.{name}"
        if not isinstance(name, str) or not name.strip():
            problems.append((item_path, "item names must be non-empty text"))
            continue
        if name == EXIT:
            problems.append((item_path, f"'{EXIT}' is reserved for costs.exit; rename the item"))
            continue
        amount, item_problems = _parse_amount(value, item_path, minimum=0.0, strict=False)
        problems += item_problems
        if amount is not None:
            items[name] = amount
    return items, problems


def _parse_sources(raw: object) -> tuple[tuple, list[Problem]]:
    if raw is None:
        return (), []
    if isinstance(raw, (str, bytes)) or not isinstance(raw, Sequence):
        return (), [
            (
                "costs.sources",
                f"must be a list of {{title, url, date}} entries, got {_type_name(raw)}",
            )
        ]
    problems = [
        (
            f"costs.sources.{i}",
            f"must be a mapping such as {{title, url, date}}, got {_type_name(entry)}",
        )
        for i, entry in enumerate(raw)
        if not isinstance(entry, Mapping)
    ]
    return tuple(dict(entry) for entry in raw if isinstance(entry, Mapping)), problems


def parse_costs(raw: Mapping[str, Any]) -> Costs:
    """Validate the raw ``costs:`` mapping of a provider profile into :class:`Costs`.

    Accepted keys: ``currency`` (3 uppercase letters; defaults to
    :data:`DEFAULT_CURRENCY` "CAD" when absent, the study default), ``one_off``
    and ``annual`` (mappings of item name to amount; absent or empty means
    none), ``escalation`` (yearly growth of annual costs, > -1, default 0),
    ``exit`` (default 0) and ``sources`` (list of mappings). An amount is a
    non-negative finite number or ``{low, likely, high}`` with
    ``low <= likely <= high``; bools are rejected.

    Raises:
        CostsError: listing every problem at once, with paths like
            ``costs.annual.licences``.
    """
    if not isinstance(raw, Mapping):
        raise CostsError([("costs", f"must be a mapping, got {_type_name(raw)}")])
    problems: list[Problem] = [
        (
            f"costs.{key}",
            f"unknown key (expected one of {', '.join(sorted(_COSTS_KEYS))})",
        )
        for key in raw
        if key not in _COSTS_KEYS
    ]
    currency = raw.get("currency", DEFAULT_CURRENCY)
    bad_currency = _currency_problem("costs.currency", currency)
    if bad_currency:
        problems.append(bad_currency)
    one_off, found = _parse_items(raw.get("one_off"), "costs.one_off")
    problems += found
    annual, found = _parse_items(raw.get("annual"), "costs.annual")
    problems += found
    # Escalation may be negative (prices falling) but not -100% or below,
    # which would make costs vanish or flip sign.
    escalation, found = _parse_amount(raw.get("escalation", 0.0), "costs.escalation", minimum=-1.0, strict=True)
    problems += found
    exit_cost, found = _parse_amount(raw.get("exit", 0.0), "costs.exit", minimum=0.0, strict=False)
    problems += found
    sources, found = _parse_sources(raw.get("sources"))
    problems += found
    if problems:
        raise CostsError(problems)
    # No problems means every amount parsed, so neither is None here.
    assert escalation is not None and exit_cost is not None
    return Costs(currency, one_off, annual, escalation, exit_cost, sources)


# --------------------------------------------------------------------------- array kernels


def cash_flows(
    one_off: ArrayLike,
    annual: ArrayLike,
    escalation: ArrayLike,
    exit: ArrayLike,
    horizon: int,
) -> np.ndarray:
    """Undiscounted cash flows of years 0..H, shape ``broadcast(inputs) + (H + 1,)``.

    ``flow_0 = one_off``; ``flow_t = annual * (1 + escalation) ** (t - 1)`` for
    t = 1..H; ``exit`` is added to ``flow_H``. Inputs are totals (items summed)
    and may be arrays of samples; no validation.
    """
    one_off, annual, escalation, exit = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (one_off, annual, escalation, exit))
    )
    years = np.arange(horizon, dtype=float)  # exponents t - 1 for t = 1..H
    growth = (1.0 + escalation[..., None]) ** years
    flows = np.empty(one_off.shape + (horizon + 1,))
    flows[..., 0] = one_off
    flows[..., 1:] = annual[..., None] * growth
    flows[..., horizon] += exit
    return flows


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
    """Vectorised NPV: ``sum_t cash_flows(...)_t / (1 + r) ** t`` (see module docstring).

    Arrays in (broadcast together), array out with the broadcast shape; no
    validation, so callers validate first (as :func:`tco` does).
    """
    flows = cash_flows(one_off, annual, escalation, exit, horizon)
    return flows @ discount_factors(discount_rate, horizon)


# --------------------------------------------------------------------------- validated wrappers


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


def _likely_totals(costs: Costs, rate: float) -> tuple[float, float, float, float]:
    """(one-off, annual, escalation, exit) of the likely values, converted."""
    one_off = sum(a.likely for a in costs.one_off.values()) * rate
    annual = sum(a.likely for a in costs.annual.values()) * rate
    return one_off, annual, costs.escalation.likely, costs.exit.likely * rate


def _check_sampling_args(samples: object) -> None:
    if not isinstance(samples, Integral) or isinstance(samples, bool) or samples < 0:
        raise ValueError(f"samples must be a non-negative integer, got {samples!r}")


def sample_npv(costs: Costs, settings: CostSettings, *, samples: int, seed: int | None = 0) -> np.ndarray:
    """``samples`` NPV draws, every amount triangular(low, likely, high).

    All amounts are drawn in one ``(samples, amounts)`` matrix; degenerate
    amounts come out constant, so fixed inputs give a constant NPV. Amounts of
    the same kind are summed, then :func:`npv_batch` prices all draws at once.
    """
    _check_sampling_args(samples)
    rate = exchange_rate(costs.currency, settings)
    amounts = [a for _, a in costs.amounts()]
    low, likely, high = (np.array([getattr(a, key) for a in amounts]) for key in _RANGE_KEYS)
    draws = sampling.triangular(sampling.make_rng(seed), low, likely, high, size=(samples, len(amounts)))
    n_one_off, n_annual = len(costs.one_off), len(costs.annual)
    one_off = draws[:, :n_one_off].sum(axis=1) * rate
    annual = draws[:, n_one_off : n_one_off + n_annual].sum(axis=1) * rate
    escalation, exit_cost = draws[:, -2], draws[:, -1] * rate
    return npv_batch(
        one_off,
        annual,
        escalation,
        exit_cost,
        horizon=settings.horizon,
        discount_rate=settings.discount_rate,
    )


def _by_category(costs: Costs, settings: CostSettings, rate: float) -> dict[str, float]:
    """Undiscounted totals per item over the horizon (annual items escalated)."""
    g = costs.escalation.likely
    growth_sum = float(np.sum((1.0 + g) ** np.arange(settings.horizon, dtype=float)))
    categories = {name: a.likely * rate for name, a in costs.one_off.items()}
    for name, a in costs.annual.items():
        # A name used in both one_off and annual is one category: add them.
        categories[name] = categories.get(name, 0.0) + a.likely * rate * growth_sum
    categories[EXIT] = costs.exit.likely * rate
    return categories


def tco(costs: Costs, settings: CostSettings, *, samples: int = 0, seed: int | None = 0) -> TcoResult:
    """Total cost of ownership of ``costs`` over ``settings.horizon`` years.

    Net present value by standard discounted cash flow (growing annuity for the
    annual part; Brealey, Myers & Allen, *Principles of Corporate Finance*)::

        NPV = sum(one_off)
              + sum_{t=1..H} sum(annual) * (1 + g) ** (t - 1) / (1 + r) ** t
              + exit / (1 + r) ** H

    with g the escalation, r ``settings.discount_rate`` and H
    ``settings.horizon``; every amount is first converted into
    ``settings.currency`` with ``settings.fx``. Deterministic figures use each
    amount's ``likely`` value. When ``samples > 0`` and some amount is a range,
    every amount is drawn triangular(low, likely, high) (seeded by ``seed``;
    ``None`` is not reproducible) and P10/P50/P90 of the NPV are reported;
    otherwise they are ``None``.

    Raises:
        CostsError: the profile currency has no ``fx`` rate (path ``fx.<code>``).
        ValueError: ``samples`` is negative or not an integer.
    """
    _check_sampling_args(samples)
    rate = exchange_rate(costs.currency, settings)
    one_off, annual, escalation, exit_cost = _likely_totals(costs, rate)
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
        by_category=_by_category(costs, settings, rate),
        p10=p10,
        p50=p50,
        p90=p90,
        currency=settings.currency,
    )


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
    cum_a = list(accumulate(a.by_year))
    cum_b = list(accumulate(b.by_year))
    first_difference = next(((x, y) for x, y in zip(cum_a, cum_b) if x != y), None)
    if first_difference is None:
        return None
    cheap, other = (cum_a, cum_b) if first_difference[0] < first_difference[1] else (cum_b, cum_a)
    return next((year for year, (x, y) in enumerate(zip(cheap, other)) if x > y), None)


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
            cum_a, cum_b = accumulate(results[a].by_year), accumulate(results[b].by_year)
            first = next(((x, y) for x, y in zip(cum_a, cum_b) if x != y), (0.0, 0.0))
            cheap, dear = (a, b) if first[0] < first[1] else (b, a)
            out.append((cheap, dear, year))
    return sorted(out, key=lambda c: (c[2], c[0], c[1]))


def tco_report(
    providers: list[tuple[str, Costs]],
    settings: CostSettings,
    *,
    samples: int = 0,
    seed: int | None = 0,
) -> dict[str, Any]:
    """JSON-ready TCO of each ``(id, costs)`` pair, in the given order.

    Shape: ``{"horizon", "discount_rate", "currency", "results": [{"id", "npv",
    "total", "by_year": [year 0..H], "by_category", "p10", "p50", "p90"}]}``;
    percentiles are ``None`` (JSON null) without sampling or ranges. Every
    provider is sampled with the same ``seed``, so a provider's figures do not
    depend on its position in the list.

    Raises:
        CostsError: listing every provider whose currency lacks an fx rate.
    """
    results: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for provider_id, costs in providers:
        try:
            result = tco(costs, settings, samples=samples, seed=seed)
        except CostsError as error:
            problems += [(path, f"{provider_id}: {message}") for path, message in error.problems]
            continue
        results.append(_result_json(provider_id, result))
    if problems:
        raise CostsError(problems)
    return {
        "horizon": settings.horizon,
        "discount_rate": settings.discount_rate,
        "currency": settings.currency,
        "results": results,
    }


def _result_json(provider_id: str, result: TcoResult) -> dict[str, Any]:
    def optional(value: float | None) -> float | None:
        return None if value is None else float(value)

    return {
        "id": provider_id,
        "npv": float(result.npv),
        "total": float(result.total),
        "by_year": [float(x) for x in result.by_year],
        "by_category": {name: float(v) for name, v in result.by_category.items()},
        "p10": optional(result.p10),
        "p50": optional(result.p50),
        "p90": optional(result.p90),
    }
