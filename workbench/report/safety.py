"""Escaping and neutralising helpers for every report format.

Profiles, scenarios and workshop names come from other people, so every text a report shows
goes through one of these functions:

- `clean_text` drops control characters (XML 1.0 forbids most of them, so XLSX writers and
  SVG would choke) and the explicit bidi overrides U+202A-U+202E / U+2066-U+2069, which can make
  a right-to-left name visually swallow the text after it ("Trojan Source", Boucher & Anderson
  2021). Right-to-left letters themselves are kept; renderers isolate them (`<bdi>` in HTML).
- HTML is escaped by the Jinja2 templates themselves (autoescaping, `html.py`).
- `safe_url` keeps only absolute http(s) URLs; anything else (javascript:, data:, relative)
  is rendered as plain text, never as a link.
- `md_text` escapes Markdown so that user text can never open a link, an image, raw HTML,
  emphasis or a table cell. In files it uses backslash escapes, which read as the text itself
  ("Q&A", not "Q&amp;A"); with `streamlit=True` it writes HTML entities as the app's pages
  expect, and escapes Streamlit's own inline syntax too (`ui.widgets.md_escape`).
- `md_url` encodes a safe URL for a Markdown link target or autolink.
- `spreadsheet_text` cleans a text, then neutralises it for a spreadsheet with the workbench's
  one formula rule, `workbench.files.formulas.neutralise_formula` (a text beginning with = + - @
  tab or carriage return gets a leading apostrophe; OWASP, "CSV Injection").
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import quote, urlsplit

from ..files.formulas import neutralise_formula

# Whitespace that may break a line; U+00A0, U+2007 and U+202F are meant not to.
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
# In files: "<" never opens raw HTML or an autolink, and "&" never starts a character reference
# ("&amp;" stays as typed); any other "&" is left as it is.
_MD_ANGLE = re.compile(r"<")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Streamlit's markdown adds inline syntax of its own: $…$ maths and :name: / :color[…] directives.
_STREAMLIT_SPECIAL = re.compile(r"([$:])")
# Kept as they are in a link target: reserved URL characters except the parentheses, angle
# brackets and spaces that would end a Markdown link or autolink early ("%" keeps encodings).
_URL_SAFE = ":/?#[]@!$&'*+,;=%~-._"
# Block markers that matter only at the start of a line: list bullets, quotes, ordered lists,
# setext underlines ("---" would turn the previous line into a heading).
_MD_LINE_START = re.compile(r"^(\s*)([+\-](?=\s|$)|[=\-]+$|>|\d+[.)](?=\s|$))")


# What `clean_text` removes: control characters (Unicode category Cc, tab and newline aside, which
# are handled apart), surrogates (Cs) and private-use characters (Co).
_UNWANTED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)


def clean_text(text: object, *, keep_newlines: bool = True) -> str:
    """`text` as a string without control characters (tab and newline kept) or bidi overrides."""
    if text is None:
        return ""
    s = str(text)
    if s.isprintable():  # the common case: nothing to remove
        return s.translate(_BIDI_CONTROLS)
    s = _UNWANTED.sub("", s.translate(_BIDI_CONTROLS))
    return s if keep_newlines else s.replace("\n", " ").replace("\t", " ")


def one_line(text: object) -> str:
    """`clean_text` with every run of breaking whitespace (newlines included) collapsed to one
    space. No-break spaces stay: they hold "66,7 %" and French thousands together."""
    return _BREAKING_SPACE.sub(" ", clean_text(text)).strip(" ")


def safe_url(url: object) -> str | None:
    """The URL if it is an absolute http(s) URL without spaces or control characters, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


_BARE_WWW = re.compile(r"(?i)\bwww\.")


def md_text(text: object, *, streamlit: bool = False) -> str:
    """Escaped for Markdown inline text (one line): no link, image, HTML, emphasis or cell break.

    `streamlit=True` also escapes `$` and `:`, which Streamlit reads as maths and as emoji,
    icon and colour directives; files keep them as they are (they mean nothing in CommonMark).
    """
    s = one_line(text)
    if streamlit:
        s = _MD_SPECIAL.sub(r"\\\1", html.escape(s, quote=False))
        s = _STREAMLIT_SPECIAL.sub(r"\\\1", s)
    else:
        s = _MD_SPECIAL.sub(r"\\\1", s)
        s = _MD_ENTITY.sub(r"\\&", _MD_ANGLE.sub(r"\\<", s))
    # GFM turns a bare `www.` into a link; a character reference keeps the dot and breaks the link.
    s = _BARE_WWW.sub("www&#46;", s)
    return _MD_LINE_START.sub(_escape_marker, s, count=1)


def _escape_marker(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker[0].isdigit():  # "1." -> "1\." : CommonMark escapes punctuation, not digits
        return match.group(1) + marker[:-1] + "\\" + marker[-1]
    return match.group(1) + "\\" + marker


def md_url(url: str) -> str:
    """A URL (already checked by `safe_url`) encoded for a Markdown link target or autolink:
    parentheses, angle brackets, quotes, spaces and non-ASCII letters are percent-encoded."""
    return quote(url, safe=_URL_SAFE)


def spreadsheet_text(text: object) -> str:
    """`text` cleaned of control characters, then neutralised (`files.formulas.neutralise_formula`)."""
    return str(neutralise_formula(clean_text(text)))


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def break_long_words(text: str, width: int = 30) -> str:
    """Insert spaces into unbroken runs longer than `width` so fixed-width layouts can wrap them."""
    return re.sub(
        rf"\S{{{width + 1},}}",
        lambda m: " ".join(m.group(0)[i : i + width] for i in range(0, len(m.group(0)), width)),
        text,
    )
