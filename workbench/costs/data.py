"""The cost model's data: amounts, a profile's cost block, a TCO result, and the settings' ranges.

The ranges below are the only definition of what a horizon, a discount rate and a number of seats
may be: the file checker, `CostSettings`, the command line and the Costs page all read them from
here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Source

DEFAULT_CURRENCY = "CAD"
DEFAULT_HORIZON = 15
DEFAULT_DISCOUNT_RATE = 0.03
# Horizon in whole years, both ends included.
MIN_HORIZON = 1
MAX_HORIZON = 100
# Discount rate per year as a fraction, both ends included. Closed, so that a form input can offer
# exactly this range; -99 % and +100 % a year lie far beyond any published social discount rate
# (Treasury Board of Canada 7 % and 3 %, UK Green Book 3.5 %), and stopping short of -100 % keeps
# 1 / (1 + r) ** H finite over MAX_HORIZON years.
MIN_DISCOUNT_RATE = -0.99
MAX_DISCOUNT_RATE = 1.0
# Number of seats (users, licences) that per-seat amounts are multiplied by: a whole number, both
# ends included. There is no default: a study that prices per seat must say how many seats.
MIN_SEATS = 1
MAX_SEATS = 100_000_000
# Per-seat amounts are written in units of the currency (CAD 273 a seat a year), every other amount
# of a cost block in millions of it: seats * per-seat amount / UNITS_PER_MILLION is in millions.
UNITS_PER_MILLION = 1_000_000
# The study-level keys (criteria set, scenario, shared link) that set up the TCO.
SETTING_KEYS = ("horizon", "discount_rate", "currency", "fx", "seats")
EXIT = "exit"
PER_SEAT = "per_seat"

Problem = tuple[str, str]


class CostsError(ValueError):
    """Invalid cost data or settings.

    ``problems`` lists every problem found as ``(field path, message)``, e.g.
    ``("costs.annual.licences", "must not be negative, got -3")``, so a user can
    fix a file in one pass rather than one error at a time.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("; ".join(f"{path}: {message}" for path, message in self.problems))


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
    (growing by ``escalation`` a year), ``exit`` at the end of year H; these are in
    millions of ``currency``. ``per_seat_one_off`` and ``per_seat_annual`` are amounts
    per seat in units of ``currency``, which fall in the same years once multiplied by
    the seats in force (``seats * amount / UNITS_PER_MILLION`` millions).
    ``file`` is the profile file the block was read from (empty when built in code),
    ``line`` where ``currency`` (else the block) stands in it and ``per_seat_line`` where
    ``per_seat`` does, for messages.
    """

    currency: str = DEFAULT_CURRENCY
    one_off: dict[str, Amount] = field(default_factory=dict)
    annual: dict[str, Amount] = field(default_factory=dict)
    escalation: Amount = ZERO
    exit: Amount = ZERO
    sources: tuple[Source, ...] = ()
    line: int | None = None
    per_seat_one_off: dict[str, Amount] = field(default_factory=dict)
    per_seat_annual: dict[str, Amount] = field(default_factory=dict)
    file: str = ""
    per_seat_line: int | None = None

    @property
    def per_seat(self) -> bool:
        """True when some amount is given per seat (the block then needs ``seats`` in force)."""
        return bool(self.per_seat_one_off or self.per_seat_annual)

    def line_of(self, path: str) -> int | None:
        """The line of a field of the block (``costs.per_seat...`` or another), for messages."""
        if path.startswith(f"costs.{PER_SEAT}") and self.per_seat_line is not None:
            return self.per_seat_line
        return self.line

    def where(self, path: str) -> str:
        """``file:line`` of a field of the block, or ``""`` for a block built in code."""
        return f"{self.file}:{self.line_of(path) or 1}" if self.file else ""

    def amounts(self) -> list[tuple[str, Amount]]:
        """Every amount with its field path, in a stable order: the fixed ones, escalation and
        exit first (as before per-seat amounts existed), then the per-seat ones."""
        return (
            [(f"costs.one_off.{name}", a) for name, a in self.one_off.items()]
            + [(f"costs.annual.{name}", a) for name, a in self.annual.items()]
            + [("costs.escalation", self.escalation), ("costs.exit", self.exit)]
            + [(f"costs.{PER_SEAT}.one_off.{name}", a) for name, a in self.per_seat_one_off.items()]
            + [(f"costs.{PER_SEAT}.annual.{name}", a) for name, a in self.per_seat_annual.items()]
        )

    @property
    def has_ranges(self) -> bool:
        """True when any amount (escalation included) is uncertain."""
        return any(a.is_range for _, a in self.amounts())


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
