"""Rules for cost blocks and cost settings, run by the shared line-aware checker.

Profiles, criteria sets and scenarios are read by `workbench.files`, whose `Checker` calls
`check_costs` and `check_settings` on the parsed YAML, so a problem deep in a cost block
(`costs.annual.licences.m365`, `costs.annual.2025`) is reported on its own line. The same rules
check mappings that come from code (`parse_costs`, `CostSettings`); there they raise `CostsError`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from numbers import Integral, Real
from typing import Any

from ..files.checker import Checker, kind_of
from ..files.yamlfile import YamlDoc
from .data import (
    DEFAULT_CURRENCY,
    EXIT,
    MAX_DISCOUNT_RATE,
    MAX_HORIZON,
    MAX_SEATS,
    MIN_DISCOUNT_RATE,
    MIN_HORIZON,
    MIN_SEATS,
    PER_SEAT,
    Amount,
    Costs,
    CostsError,
    Problem,
)

CURRENCY_RE = re.compile(r"[A-Z]{3}")
COSTS_KEYS = ("currency", "one_off", "annual", PER_SEAT, "escalation", "exit", "sources")
PER_SEAT_KEYS = ("one_off", "annual")
RANGE_KEYS = ("low", "likely", "high")


def _is_number(value: object) -> bool:
    # bool is an int subclass, but `true` in YAML is never a meaningful amount.
    return isinstance(value, Real) and not isinstance(value, bool)


def _currency(ck: Checker, value: object, path: tuple) -> str | None:
    if isinstance(value, str) and CURRENCY_RE.fullmatch(value):
        return value
    ck.add(path, f"must be a 3-letter uppercase currency code such as CAD, EUR or USD, got {value!r}")
    return None


def check_settings(ck: Checker, raw: Mapping[str, Any], path: tuple = ()) -> None:
    """Check the cost settings present in `raw` (`horizon`, `discount_rate`, `currency`, `fx`,
    `seats`).

    horizon: whole years in [MIN_HORIZON, MAX_HORIZON]; discount_rate: a fraction in
    [MIN_DISCOUNT_RATE, MAX_DISCOUNT_RATE]; currency: three capital letters; fx: currency code ->
    value of one unit in the study currency (> 0, and exactly 1 for the study currency itself);
    seats: a whole number in [MIN_SEATS, MAX_SEATS].
    Other keys of `raw` are ignored, so a whole criteria set or scenario can be passed.
    """
    if "horizon" in raw:
        horizon = raw["horizon"]
        if not isinstance(horizon, Integral) or isinstance(horizon, bool):
            ck.add(path + ("horizon",), f"must be a whole number of years, got {horizon!r}")
        elif not MIN_HORIZON <= horizon <= MAX_HORIZON:
            ck.add(path + ("horizon",), f"must be between {MIN_HORIZON} and {MAX_HORIZON} years, got {horizon}")
    if "discount_rate" in raw:
        rate = raw["discount_rate"]
        if not _is_number(rate) or not math.isfinite(rate):
            ck.add(path + ("discount_rate",), f"must be a finite number such as 0.03, got {rate!r}")
        elif not MIN_DISCOUNT_RATE <= rate <= MAX_DISCOUNT_RATE:
            ck.add(
                path + ("discount_rate",),
                f"must be between {MIN_DISCOUNT_RATE:g} and {MAX_DISCOUNT_RATE:g} "
                f"({MIN_DISCOUNT_RATE:.0%} to {MAX_DISCOUNT_RATE:.0%}), got {rate:g}",
            )
    if "seats" in raw:
        seats = raw["seats"]
        if not isinstance(seats, Integral) or isinstance(seats, bool):
            ck.add(path + ("seats",), f"must be a whole number of seats such as 330000, got {seats!r}")
        elif not MIN_SEATS <= seats <= MAX_SEATS:
            ck.add(path + ("seats",), f"must be between {MIN_SEATS} and {MAX_SEATS:,} seats, got {seats:,}")
    currency = raw.get("currency", DEFAULT_CURRENCY)
    if "currency" in raw:
        _currency(ck, currency, path + ("currency",))
    fx = raw.get("fx")
    if fx is None:
        return
    if not isinstance(fx, Mapping):
        ck.add(path + ("fx",), f"must be a mapping of currency code to rate, got {kind_of(fx)}")
        return
    for code, rate in fx.items():
        where = path + ("fx", code)
        _currency(ck, code, where)
        if not _is_number(rate) or not math.isfinite(rate) or rate <= 0:
            ck.add(where, f"must be a positive number, got {rate!r}")
        elif code == currency and rate != 1:
            ck.add(where, f"is the study currency, so its rate must be 1, got {rate:g}")


def _amount(ck: Checker, raw: Any, path: tuple, *, minimum: float, strict: bool) -> Amount | None:
    """A number or `{low, likely, high}`; every value `>= minimum` (`> minimum` if `strict`), and
    `low <= likely <= high`."""

    def value(item: Any, where: tuple) -> float | None:
        if not _is_number(item):
            ck.add(where, f"must be a number, got {kind_of(item)} {item!r}")
        elif not math.isfinite(item):
            ck.add(where, f"must be a finite number, got {item!r}")
        elif strict and item <= minimum:
            ck.add(where, f"must be greater than {minimum:g}, got {item:g}")
        elif not strict and item < minimum:
            rule = "must not be negative" if minimum == 0 else f"must be at least {minimum:g}"
            ck.add(where, f"{rule}, got {item:g}")
        else:
            return float(item)
        return None

    if not isinstance(raw, dict):
        number = value(raw, path)
        return None if number is None else Amount.fixed(number)
    ck.mapping(raw, path, RANGE_KEYS)
    missing = [key for key in RANGE_KEYS if key not in raw]
    if missing:
        ck.add(path, f"a range needs low, likely and high; missing {', '.join(missing)}")
    low, likely, high = (value(raw[key], path + (key,)) if key in raw else None for key in RANGE_KEYS)
    if low is None or likely is None or high is None or len(raw) != len(RANGE_KEYS):
        return None
    if low > likely:
        ck.add(path, f"low ({low:g}) must not exceed likely ({likely:g})")
    if likely > high:
        ck.add(path, f"likely ({likely:g}) must not exceed high ({high:g})")
    return Amount(low, likely, high) if low <= likely <= high else None


def _items(ck: Checker, raw: Any, path: tuple) -> dict[str, Amount]:
    """Item name -> amount; a number as a name (`2025:`) is kept as its text."""
    if raw is None:  # an empty YAML key (`annual:`) loads as None: no items
        return {}
    if not isinstance(raw, dict):
        ck.add(path, f"must be a mapping of item name to amount, got {kind_of(raw)}")
        return {}
    items: dict[str, Amount] = {}
    for key, item in raw.items():
        name = str(key) if _is_number(key) else key
        if not isinstance(name, str) or not name.strip():
            ck.add(path + (key,), "item names must be non-empty text")
        elif name == EXIT:
            ck.add(path + (key,), f"'{EXIT}' is reserved for costs.exit; rename the item")
        else:
            amount = _amount(ck, item, path + (key,), minimum=0.0, strict=False)
            if amount is not None:
                items[name] = amount
    return items


def _per_seat(ck: Checker, raw: Any, path: tuple) -> tuple[dict[str, Amount], dict[str, Amount]]:
    """`per_seat: {one_off: {item: amount}, annual: {item: amount}}` (amounts per seat, in units of
    the block's currency) -> (one-off items, annual items)."""
    if raw is None:
        return {}, {}
    if ck.mapping(raw, path, PER_SEAT_KEYS) is None:
        return {}, {}
    one_off = _items(ck, raw.get("one_off"), path + ("one_off",))
    annual = _items(ck, raw.get("annual"), path + ("annual",))
    if not one_off and not annual and not any(raw.get(key) for key in PER_SEAT_KEYS):
        ck.add(path, "gives no amount: add one_off or annual items per seat, or remove it")
    return one_off, annual


def check_costs(ck: Checker, raw: Any, path: tuple = ("costs",)) -> Costs | None:
    """The `costs:` block of a profile as `Costs`, or None after reporting every problem.

    Keys: `currency` (default CAD), `one_off` and `annual` (item name -> amount in millions),
    `per_seat` (`{one_off, annual}`: item name -> amount per seat in units of the currency,
    multiplied by the study's `seats`), `escalation` (yearly growth of annual amounts, > -1,
    default 0), `exit` (default 0), `sources`. An amount is a non-negative finite number or
    `{low, likely, high}` with low <= likely <= high.
    """
    before = len(ck.problems)
    if ck.mapping(raw, path, COSTS_KEYS) is None:
        return None
    currency = _currency(ck, raw["currency"], path + ("currency",)) if "currency" in raw else DEFAULT_CURRENCY
    one_off = _items(ck, raw.get("one_off"), path + ("one_off",))
    annual = _items(ck, raw.get("annual"), path + ("annual",))
    seat_one_off, seat_annual = _per_seat(ck, raw.get(PER_SEAT), path + (PER_SEAT,))
    # Escalation may be negative (prices falling) but not -100 % or below, which would make
    # costs vanish or flip sign.
    escalation = _amount(ck, raw.get("escalation", 0.0), path + ("escalation",), minimum=-1.0, strict=True)
    exit_cost = _amount(ck, raw.get("exit", 0.0), path + ("exit",), minimum=0.0, strict=False)
    sources = ck.sources(raw["sources"], path + ("sources",)) if raw.get("sources") is not None else ()
    if len(ck.problems) > before or currency is None or escalation is None or exit_cost is None:
        return None
    line = ck.doc.line(path + ("currency",))
    per_seat_line = ck.doc.line(path + (PER_SEAT,)) if PER_SEAT in raw else None
    return Costs(
        currency,
        one_off,
        annual,
        escalation,
        exit_cost,
        sources,
        line,
        per_seat_one_off=seat_one_off,
        per_seat_annual=seat_annual,
        file=ck.doc.file,
        per_seat_line=per_seat_line,
    )


def _pairs(ck: Checker) -> list[Problem]:
    return [(p.field, p.message) for p in ck.problems]


def parse_costs(raw: Mapping[str, Any]) -> Costs:
    """`check_costs` for a mapping built in code rather than read from a file.

    Raises:
        CostsError: listing every problem, with paths like ``costs.annual.licences``.
    """
    ck = Checker(YamlDoc("", {"costs": raw}))
    costs = check_costs(ck, raw)
    if costs is None:
        raise CostsError(_pairs(ck) or [("costs", "invalid cost block")])
    return costs


def settings_problems(raw: Mapping[str, Any]) -> list[Problem]:
    """`check_settings` for a mapping built in code: ``[(field, message)]``, empty when valid."""
    ck = Checker(YamlDoc("", dict(raw)))
    check_settings(ck, raw)
    return _pairs(ck)
