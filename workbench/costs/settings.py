"""Study-level TCO settings, and the one place where their layers are merged.

A criteria set gives defaults, a scenario may override them, and a person may override both for
the moment (the Costs page's inputs, the command line's `--horizon` / `--discount-rate`); the
settings are the horizon, the discount rate, the currency with its fx rates, and the number of
seats that per-seat amounts are multiplied by:
`resolve_cost_settings` merges those layers in that order, for the study, the report, the CLI and
the app alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..files.checker import kind_of
from .data import DEFAULT_CURRENCY, DEFAULT_DISCOUNT_RATE, DEFAULT_HORIZON, CostsError
from .validation import settings_problems


@dataclass(frozen=True)
class CostSettings:
    """Settings for the TCO: horizon in years, discount rate, currency, fx, seats.

    ``fx`` maps a currency code to the value of one unit of it in ``currency``
    (``{"EUR": 1.5}`` with ``currency="CAD"`` means 1 EUR = 1.5 CAD). ``seats`` is the
    number of seats per-seat amounts are multiplied by, ``None`` when no layer sets it
    (pricing a block with per-seat amounts is then an error). The ranges are
    `data.MIN_HORIZON`..`MAX_HORIZON`, `MIN_DISCOUNT_RATE`..`MAX_DISCOUNT_RATE` and
    `MIN_SEATS`..`MAX_SEATS`. Construction validates the values and raises :class:`CostsError`.
    """

    horizon: int = DEFAULT_HORIZON
    discount_rate: float = DEFAULT_DISCOUNT_RATE
    currency: str = DEFAULT_CURRENCY
    fx: dict[str, float] = field(default_factory=dict)
    seats: int | None = None

    def __post_init__(self) -> None:
        raw: dict[str, Any] = {
            "horizon": self.horizon,
            "discount_rate": self.discount_rate,
            "currency": self.currency,
            "fx": self.fx,
        }
        if self.seats is not None:
            raw["seats"] = self.seats
        problems = settings_problems(raw)
        if problems:
            raise CostsError(problems)
        # Own a plain copy so later edits to the caller's mapping can't leak in.
        object.__setattr__(self, "fx", {code: float(rate) for code, rate in self.fx.items()})
        object.__setattr__(self, "discount_rate", float(self.discount_rate))
        object.__setattr__(self, "horizon", int(self.horizon))
        if self.seats is not None:
            object.__setattr__(self, "seats", int(self.seats))

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any] | None, base: CostSettings | None = None) -> CostSettings:
        """Settings from a study mapping, overriding ``base`` (default: the defaults).

        Reads the keys ``horizon``, ``discount_rate``, ``currency``, ``fx`` and ``seats``;
        other keys are ignored so a whole criteria set or scenario can be passed.
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
            raise CostsError([("settings", f"must be a mapping, got {kind_of(raw)}")])
        fx_raw = raw.get("fx")
        fx_raw = {} if fx_raw is None else fx_raw
        if not isinstance(fx_raw, Mapping):
            raise CostsError([("fx", f"must be a mapping of currency code to rate, got {kind_of(fx_raw)}")])
        currency = raw.get("currency", base.currency)
        inherited = base.fx if currency == base.currency else {}
        return cls(
            horizon=raw.get("horizon", base.horizon),
            discount_rate=raw.get("discount_rate", base.discount_rate),
            currency=currency,
            fx={**inherited, **fx_raw},
            seats=raw.get("seats", base.seats),
        )


def resolve_cost_settings(
    criteria_set: Mapping[str, Any] | None = None,
    scenario: Mapping[str, Any] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> CostSettings:
    """The settings options are priced under: defaults <- criteria set <- scenario <- overrides.

    Each layer is a mapping with any of ``horizon``, ``discount_rate``, ``currency``, ``fx``, ``seats``
    (``CriteriaSet.cost_settings``, ``Scenario.cost_settings``, a person's changes of the moment);
    a later layer wins key by key, and ``fx`` rates merge as in :meth:`CostSettings.from_mapping`
    (a layer that changes the currency drops the rates before it). Defaults: 15 years, 3 %, CAD,
    no seats.

    Raises:
        CostsError: every invalid value, each message naming the layer that set it.
    """
    settings = CostSettings()
    for name, layer in (("criteria set", criteria_set), ("scenario", scenario), ("override", overrides)):
        try:
            settings = CostSettings.from_mapping(layer, settings)
        except CostsError as exc:
            raise CostsError(
                [(path, f"{message} (in the {name} settings)") for path, message in exc.problems]
            ) from None
    return settings
