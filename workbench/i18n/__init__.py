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
