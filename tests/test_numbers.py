"""Numbers a user types follow the language: `workbench.i18n.parse_number` reads what
`fmt_number` and `fmt_input` write, and refuses (never reinterprets) the other language's marks."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.i18n import NumberError, fmt_input, fmt_number, parse_number

FINITE = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("12,5", "fr", 12.5),
        ("12.5", "en", 12.5),
        ("1 234,5", "fr", 1234.5),  # plain space
        ("1\u00a0234,5", "fr", 1234.5),  # no-break space
        ("1\u202f234,5", "fr", 1234.5),  # narrow no-break space (what fmt_number writes)
        ("1,234.5", "en", 1234.5),
        ("1,234", "en", 1234.0),
        (" 7 ", "fr", 7.0),
        ("-3", "fr", -3.0),
        ("\u22122,5", "fr", -2.5),  # typographic minus
        (",5", "fr", 0.5),
        ("0", "en", 0.0),
    ],
)
def test_numbers_read_in_their_language(text, lang, value):
    assert parse_number(text, lang) == value


@pytest.mark.parametrize(
    ("text", "lang", "code"),
    [
        ("12.5", "fr", "decimal_point"),  # never 125, never silently 12.5
        ("1.234,5", "fr", "decimal_point"),
        ("12,5", "en", "decimal_comma"),  # not a group of three: never 125
        ("0,250", "en", "decimal_comma"),
        ("", "fr", "empty"),
        ("   ", "en", "empty"),
        ("abc", "fr", "not_a_number"),
        ("12 5", "fr", "not_a_number"),  # a space that is not a thousands separator
        ("5,", "fr", "not_a_number"),
        ("1e3", "en", "not_a_number"),
        ("nan", "en", "not_a_number"),
        ("inf", "en", "not_a_number"),
        ("١٢", "en", "not_a_number"),  # non-ASCII digits
        ("-", "fr", "not_a_number"),
    ],
)
def test_what_cannot_be_read_is_refused_with_a_reason(text, lang, code):
    with pytest.raises(NumberError) as info:
        parse_number(text, lang)
    assert info.value.code == code
    assert isinstance(info.value, ValueError) and str(info.value)


def test_bounds_are_inclusive_and_named():
    assert parse_number("1000", "fr", low=0, high=1000) == 1000
    assert parse_number("0", "fr", low=0, high=1000) == 0
    with pytest.raises(NumberError) as info:
        parse_number("-5", "fr", low=0, high=1000)
    assert (info.value.code, info.value.low, info.value.high) == ("below", 0, 1000)
    with pytest.raises(NumberError) as info:
        parse_number("1 000 000 000 000", "fr", low=0, high=1000)
    assert info.value.code == "above"


@given(FINITE, st.integers(min_value=0, max_value=4), st.sampled_from(["fr", "en"]))
def test_what_fmt_number_writes_reads_back(value, decimals, lang):
    shown = fmt_number(value, lang, decimals)
    assert math.isclose(parse_number(shown, lang), value, abs_tol=0.5 * 10**-decimals + 1e-6 * abs(value))


@given(FINITE, st.sampled_from(["fr", "en"]))
def test_what_fmt_input_writes_reads_back_exactly(value, lang):
    assert parse_number(fmt_input(value, lang), lang) == round(value, 4) + 0.0


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False).filter(lambda v: round(v, 2) != round(v)))
def test_the_other_languages_decimals_are_refused(value):
    """A number with decimals written in one language is never read as another number in the other."""
    with pytest.raises(NumberError):
        parse_number(fmt_number(value, "fr", 2), "en")
    with pytest.raises(NumberError):
        parse_number(fmt_number(value, "en", 2), "fr")


def test_fmt_input_is_short_and_local():
    assert fmt_input(19.3, "fr") == "19,3"
    assert fmt_input(19.3, "en") == "19.3"
    assert fmt_input(100.0, "fr") == "100"
    assert fmt_input(12500, "fr") == "12\u202f500"
    assert fmt_input(12500, "en") == "12,500"
    assert fmt_input(-0.00001, "fr") == "0"
