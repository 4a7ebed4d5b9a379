"""The per-option TCO table: every option priced under one set of settings, in one place.

The study (its `source: tco` leaves), the command line (`tco`), the Costs page and the report all
price options through :func:`tco_table`, so they always agree, and settle the settings first with
`settings.resolve_cost_settings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .data import Costs, CostsError, TcoResult
from .pricing import tco
from .settings import CostSettings


@dataclass(frozen=True)
class TcoTable:
    """TCO of each option under `settings`.

    ``results`` maps option id -> :class:`TcoResult` in the order the options were given;
    ``problems`` lists ``(option id, field, message)`` for each option that could not be priced
    (a currency without an ``fx`` rate), the others being priced all the same.
    """

    settings: CostSettings
    results: dict[str, TcoResult]
    problems: list[tuple[str, str, str]]
    samples: int = 0
    seed: int | None = 0

    def ranked(self) -> list[tuple[str, TcoResult]]:
        """The results cheapest first: by NPV, then by id so that ties keep one order."""
        return sorted(self.results.items(), key=lambda item: (item[1].npv, item[0]))

    def raise_problems(self) -> None:
        """Raise :class:`CostsError` listing every option that could not be priced, if any."""
        if self.problems:
            raise CostsError([(path, f"{option}: {message}") for option, path, message in self.problems])

    def to_json(self) -> dict[str, Any]:
        """JSON-ready: ``{"horizon", "discount_rate", "currency", "results": [{"id", "npv", "total",
        "by_year": [year 0..H], "by_category", "p10", "p50", "p90"}]}`` in the options' order;
        percentiles are ``None`` (JSON null) without sampling or ranges."""
        return {
            "horizon": self.settings.horizon,
            "discount_rate": self.settings.discount_rate,
            "currency": self.settings.currency,
            "results": [_result_json(option, result) for option, result in self.results.items()],
        }


def tco_table(
    options: Iterable[tuple[str, Costs | None]],
    settings: CostSettings,
    *,
    samples: int = 0,
    seed: int | None = 0,
) -> TcoTable:
    """Price every ``(option id, costs)`` under ``settings`` (see :func:`pricing.tco` for the NPV).

    Options without a cost model (``None``) are left out. With ``samples > 0``, each option
    whose amounts have ranges gets P10/P50/P90 from that many triangular draws; every option
    is drawn from the same ``seed``, so its figures do not depend on its place in the list.

    Raises:
        ValueError: ``samples`` is negative or not an integer.
    """
    results: dict[str, TcoResult] = {}
    problems: list[tuple[str, str, str]] = []
    for option, costs in options:
        if not isinstance(costs, Costs):
            continue
        try:
            results[option] = tco(costs, settings, samples=samples, seed=seed)
        except CostsError as error:
            problems += [(option, path, message) for path, message in error.problems]
    return TcoTable(settings, results, problems, samples, seed)


def tco_report(
    providers: list[tuple[str, Costs]],
    settings: CostSettings,
    *,
    samples: int = 0,
    seed: int | None = 0,
) -> dict[str, Any]:
    """:meth:`TcoTable.to_json` of :func:`tco_table`, refusing a table with unpriced options.

    Raises:
        CostsError: listing every provider whose currency lacks an fx rate.
    """
    table = tco_table(providers, settings, samples=samples, seed=seed)
    table.raise_problems()
    return table.to_json()


def _result_json(option: str, result: TcoResult) -> dict[str, Any]:
    def optional(value: float | None) -> float | None:
        return None if value is None else float(value)

    return {
        "id": option,
        "npv": float(result.npv),
        "total": float(result.total),
        "by_year": [float(x) for x in result.by_year],
        "by_category": {name: float(v) for name, v in result.by_category.items()},
        "p10": optional(result.p10),
        "p50": optional(result.p50),
        "p90": optional(result.p90),
    }
