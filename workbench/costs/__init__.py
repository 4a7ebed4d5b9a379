"""Total cost of ownership (TCO) over a study horizon, as a discounted cash flow.

A provider profile's ``costs:`` block is checked into a :class:`Costs` (`validation`, run by the
same line-aware checker as every study file); a study's ``horizon``, ``discount_rate``,
``currency``, ``fx`` and ``seats`` become a :class:`CostSettings`, merged from the criteria set,
the scenario and a person's overrides by :func:`resolve_cost_settings`; :func:`tco_table` prices
every option under them (:func:`tco` for one option), with the NPV formula of `kernels`, after
per-seat amounts (units of the currency per seat) are multiplied by the S seats in force::

    O   = sum(one_off) + S * sum(per_seat.one_off) / 10**6          (millions)
    A   = sum(annual)  + S * sum(per_seat.annual)  / 10**6
    NPV = O + sum_{t=1..H} A * (1 + g) ** (t - 1) / (1 + r) ** t + exit / (1 + r) ** H

Modules: `data` (dataclasses and the settings' ranges), `validation` (rules), `settings`,
`kernels` (pure numpy), `pricing` (one option), `table` (every option).
"""

from .data import (
    DEFAULT_CURRENCY,
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_HORIZON,
    MAX_DISCOUNT_RATE,
    MAX_HORIZON,
    MAX_SEATS,
    MIN_DISCOUNT_RATE,
    MIN_HORIZON,
    MIN_SEATS,
    SETTING_KEYS,
    UNITS_PER_MILLION,
    Amount,
    Costs,
    CostsError,
    TcoResult,
)
from .kernels import cash_flows, discount_factors, npv_batch
from .pricing import crossover_year, crossovers, exchange_rate, sample_npv, seats_in_force, tco
from .settings import CostSettings, resolve_cost_settings
from .table import TcoTable, tco_report, tco_table
from .validation import parse_costs

__all__ = [
    "DEFAULT_CURRENCY",
    "DEFAULT_DISCOUNT_RATE",
    "DEFAULT_HORIZON",
    "MAX_DISCOUNT_RATE",
    "MAX_HORIZON",
    "MAX_SEATS",
    "MIN_DISCOUNT_RATE",
    "MIN_HORIZON",
    "MIN_SEATS",
    "SETTING_KEYS",
    "UNITS_PER_MILLION",
    "Amount",
    "CostSettings",
    "Costs",
    "CostsError",
    "TcoResult",
    "TcoTable",
    "cash_flows",
    "crossover_year",
    "crossovers",
    "discount_factors",
    "exchange_rate",
    "npv_batch",
    "parse_costs",
    "resolve_cost_settings",
    "sample_npv",
    "seats_in_force",
    "tco",
    "tco_report",
    "tco_table",
]
