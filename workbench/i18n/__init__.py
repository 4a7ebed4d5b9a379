"""French/English message catalogue and locale-aware number formatting (no Streamlit here).

Messages live in `catalog/*.yaml` (one file per area: app, report, workshop, ...), each a
mapping `key: {fr: ..., en: ...}` with `str.format` placeholders. French is the default.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from babel.numbers import format_decimal, format_percent

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
CATALOG_DIR = Path(__file__).parent / "catalog"
LOCALES = {"fr": "fr_CA", "en": "en_CA"}
# Numbers follow babel's generic French locale, whose thousands separator is the narrow
# no-break space U+202F, the one the charts use too (workbench.charts.common.locale_config);
# fr_CA would give U+00A0, and a table and a chart of one report would then disagree.
NUMBER_LOCALES = {"fr": "fr", "en": "en_CA"}


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """Every message of every catalogue file; a key defined twice is an error."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOG_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, texts in data.items():
            if key in merged:
                raise ValueError(f"{path.name}: message {key!r} is defined twice")
            merged[key] = texts
    return merged


def normalize_lang(lang: str | None) -> str:
    """'fr-CA', 'fr_FR', 'FR' -> 'fr'; anything else that is not English -> French."""
    code = (lang or "").replace("_", "-").split("-")[0].lower()
    return code if code in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The message `key` in `lang` (English, then the key itself, as fallbacks), formatted."""
    texts = catalog().get(key)
    if texts is None:
        return key
    text = texts.get(normalize_lang(lang)) or texts.get("en") or key
    return text.format(**values) if values else text


def fmt_number(value: float, lang: str = DEFAULT_LANG, decimals: int = 2) -> str:
    """1234.5 -> '1\u202f234,5' (French, narrow no-break space) or '1,234.5' (en-CA)."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=NUMBER_LOCALES[normalize_lang(lang)])


def fmt_percent(share: float, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """0.125 -> '12 %' (French: no-break space before the sign, U+202F between thousands) or '12%'."""
    if share is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "\u00a0%"
    if normalize_lang(lang) == "en":
        pattern = pattern.replace("\u00a0%", "%")
    return format_percent(share, format=pattern, locale=NUMBER_LOCALES[normalize_lang(lang)])


# --- numbers typed by a user -------------------------------------------------------------------

# Spaces a French number may group its thousands with: space, no-break space, narrow no-break space.
_GROUP_SPACES = " \u00a0\u202f"
_MINUS = "-\u2212"  # hyphen-minus and the typographic minus sign


class NumberError(ValueError):
    """Text that cannot be read as a number in the user's language, or a number out of range.

    `code` says why, for a message in the user's language: "empty", "not_a_number", "decimal_point"
    (French text with a point: 12.5), "decimal_comma" (English text with a comma: 12,5), "below"
    or "above" (out of `low`..`high`). The English sentence is for logs and the command line.
    """

    def __init__(self, code: str, text: str, low: float | None = None, high: float | None = None):
        self.code, self.text, self.low, self.high = code, text, low, high
        reasons = {
            "empty": "no number was given",
            "not_a_number": f"{text!r} is not a number",
            "decimal_point": f"{text!r}: French numbers use a decimal comma (12,5)",
            "decimal_comma": f"{text!r}: English numbers use a decimal point (12.5)",
            "below": f"{text!r} is below the minimum {low:g}" if low is not None else "",
            "above": f"{text!r} is above the maximum {high:g}" if high is not None else "",
        }
        super().__init__(reasons.get(code, f"{text!r} cannot be read"))


def _grouped(digits: str, sep: str) -> str | None:
    """'1 234 567' -> '1234567' when every group after the first has 3 digits, else None."""
    parts = digits.split(sep)
    if not all(p.isascii() and p.isdigit() for p in parts) or not 1 <= len(parts[0]) <= 3 or parts[0][0] == "0":
        return None
    return "".join(parts) if all(len(p) == 3 for p in parts[1:]) else None


def _integer_part(text: str, lang: str) -> str | None:
    """The digits of an integer part, thousands separators removed (None if it cannot be read)."""
    if text.isascii() and text.isdigit():
        return text
    if lang == "fr":
        for space in _GROUP_SPACES:
            if space in text:
                plain = text
                for other in _GROUP_SPACES:
                    plain = plain.replace(other, space)
                return _grouped(plain, space)
        return None
    return _grouped(text, ",") if "," in text else None


def parse_number(text: str, lang: str = DEFAULT_LANG, *, low: float | None = None, high: float | None = None) -> float:
    """A number typed in `lang`: French '12,5', '1 234,5' (space, no-break or narrow no-break space
    between thousands), '-3'; English '12.5', '1,234.5'. Anything else raises `NumberError`: a
    French '12.5' or an English '12,5' is refused rather than read as 125 or 12.5 (the user may
    have meant either). `low`/`high` bound the value (inclusive)."""
    lang = normalize_lang(lang)
    raw = text if isinstance(text, str) else str(text)
    s = raw.strip()
    if not s:
        raise NumberError("empty", raw)
    sign = 1.0
    if s[0] in _MINUS or s[0] == "+":
        sign = -1.0 if s[0] in _MINUS else 1.0
        s = s[1:].lstrip()
    decimal, other = (",", ".") if lang == "fr" else (".", ",")
    whole, sep, fraction = s.partition(decimal)
    if sep and not (fraction.isascii() and fraction.isdigit()):
        wrong_mark = lang == "fr" and other in s
        raise NumberError("decimal_point" if wrong_mark else "not_a_number", raw)
    digits = _integer_part(whole, lang) if whole else ("0" if sep else None)
    if digits is None:
        wrong_mark = lang == "fr" and other in s or lang == "en" and other in whole and not sep
        raise NumberError(("decimal_point" if lang == "fr" else "decimal_comma") if wrong_mark else "not_a_number", raw)
    value = sign * float(f"{digits}.{fraction or 0}")
    if low is not None and value < low:
        raise NumberError("below", raw, low, high)
    if high is not None and value > high:
        raise NumberError("above", raw, low, high)
    return value


def fmt_input(value: float, lang: str = DEFAULT_LANG, max_decimals: int = 4) -> str:
    """A number as a user would type it back (`parse_number` reads it): as few decimals as it needs,
    at most `max_decimals`, no thousands separator below 10 000 ('19,3', '1234,5', '12 500')."""
    rounded = round(float(value), max_decimals) + 0.0  # + 0.0: no '-0'
    text = f"{rounded:.{max_decimals}f}".rstrip("0").rstrip(".") if max_decimals else f"{rounded:.0f}"
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    if len(whole) > 4:
        group = "\u202f" if normalize_lang(lang) == "fr" else ","
        whole = f"{int(whole):,}".replace(",", group)
    mark = "," if normalize_lang(lang) == "fr" else "."
    return sign + whole + (mark + fraction if fraction else "")
