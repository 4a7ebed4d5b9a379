"""Number boxes read in the user's language: `12,5` is 12.5 in French and `12.5` in English
(`workbench.i18n.parse_number`), unlike st.number_input, which reads `12,5` as 125. What cannot be
read, or falls outside its bounds, is refused with a sentence naming the box, and the previous
value stays."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui.widgets import md_escape
from workbench.i18n import NumberError, fmt_input, parse_number, t

NUMBER_ERRORS = "_wb_number_errors"  # widget key -> refusal message, shown once under its box
_REASONS = {
    "empty": "app.number.empty",
    "not_a_number": "app.number.not_a_number",
    "decimal_point": "app.number.decimal_point",
    "decimal_comma": "app.number.decimal_comma",
    "below": "app.number.below",
    "above": "app.number.above",
}


def number_refusal(error: NumberError, field: str, lang: str, previous: float | None = None) -> str:
    """The sentence that refuses a typed number: the field, what was typed, why, and (when there
    is one) the value kept. Untrusted text is escaped for st.markdown-based elements."""
    bound = {k: fmt_input(v, lang) if v is not None else "" for k, v in (("low", error.low), ("high", error.high))}
    reason = t(_REASONS.get(error.code, "app.number.not_a_number"), lang, **bound)
    values = {"field": md_escape(field), "text": md_escape(error.text.strip()), "reason": reason}
    if previous is None:
        return t("app.number.refused", lang, **values)
    return t("app.number.refused_kept", lang, previous=fmt_input(previous, lang), **values)


def show_number_error(key: str, container=None) -> None:
    """Show (once) the refusal queued for the box `key`."""
    message = (st.session_state.get(NUMBER_ERRORS) or {}).pop(key, None)
    if message:
        (container or st).error(message, icon=":material/error:")


def _queue_number_error(key: str, message: str) -> None:
    st.session_state.setdefault(NUMBER_ERRORS, {})[key] = message


def _commit_number(
    key: str, lang: str, field: str, low: float | None, high: float | None, on_value: Callable[[float], None] | None
) -> None:
    """Widget callback: read the box in `lang`; a refusal puts the previous value back and says why."""
    previous = float(st.session_state[f"{key}__value"])
    try:
        value = parse_number(st.session_state[key], lang, low=low, high=high)
    except NumberError as error:
        st.session_state[key] = fmt_input(previous, lang)
        _queue_number_error(key, number_refusal(error, field, lang, previous))
        return
    st.session_state[f"{key}__value"] = value
    st.session_state[key] = fmt_input(value, lang)
    if on_value is not None:
        on_value(value)


def set_number(key: str, value: float, lang: str) -> None:
    """Put `value` in the number box `key` (its text in `lang` and the number in force)."""
    st.session_state[f"{key}__value"] = float(value)
    st.session_state[key] = fmt_input(value, lang)
    st.session_state[f"{key}__lang"] = lang


def number_box(
    label: str,
    value: float,
    *,
    key: str,
    lang: str,
    low: float | None = None,
    high: float | None = None,
    on_value: Callable[[float], None] | None = None,
    field: str | None = None,
    container=None,
    show_errors: bool = True,
    **text_input_args,
) -> float:
    """A text box for a number written in the user's language (`12,5` in French, `12.5` in
    English, read by `workbench.i18n.parse_number`), unlike st.number_input, which reads `12,5`
    as 125. Text that cannot be read, or a number outside `low`..`high`, is refused with a message
    naming `field` (default: the label) under the box, and the previous value stays.

    `value` seeds a box that has none yet; the number in force is kept at `{key}__value` and is
    returned. `on_value(number)` runs (in the widget callback) when a valid number is typed.
    `show_errors=False` leaves the refusal for the caller to show (`show_number_error(key)`), e.g.
    under a whole row rather than in a narrow column.
    """
    box = container or st
    if (
        f"{key}__value" not in st.session_state
        or st.session_state.get(f"{key}__lang") != lang  # the language changed: rewrite the text
        or key not in st.session_state  # Streamlit drops a widget's text when its page is left
    ):
        set_number(key, st.session_state.get(f"{key}__value", value), lang)
    box.text_input(
        label,
        key=key,
        on_change=_commit_number,
        args=(key, lang, field or label, low, high, on_value),
        **text_input_args,
    )
    if show_errors:
        show_number_error(key, box)
    return float(st.session_state[f"{key}__value"])
