"""Escaping and neutralising helpers for every report format.

Profiles, scenarios and workshop names come from other people, so every text a report shows
goes through one of these functions:

- `clean_text` drops control characters (XML 1.0 forbids most of them, so XLSX writers and
  SVG would choke) and the explicit bidi overrides U+202A-U+202E / U+2066-U+2069, which can make
  a right-to-left name visually swallow the text after it ("Trojan Source", Boucher & Anderson
  2021). Right-to-left letters themselves are kept; renderers isolate them (`<bdi>` in HTML).
- `html_text` escapes for HTML element content and attribute values.
- `safe_url` keeps only absolute http(s) URLs; anything else (javascript:, data:, relative)
  is rendered as plain text, never as a link.
- `md_text` escapes Markdown so that user text can never open a link, an image, raw HTML,
  emphasis or a table cell.
- `spreadsheet_text` neutralises a cell that a spreadsheet would read as a formula: a text
  beginning with = + - @ tab or carriage return gets a leading apostrophe (OWASP, "CSV
  Injection"); pandas writes such text as a live formula, so writers call this themselves.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
# Block markers that matter only at the start of a line: list bullets, quotes, ordered lists,
# setext underlines ("---" would turn the previous line into a heading).
_MD_LINE_START = re.compile(r"^(\s*)([+\-](?=\s|$)|[=\-]+$|>|\d+[.)](?=\s|$))")


def clean_text(text: object, *, keep_newlines: bool = True) -> str:
    """`text` as a string without control characters (tab and newline kept) or bidi overrides."""
    if text is None:
        return ""
    s = str(text).translate(_BIDI_CONTROLS)
    out = []
    for ch in s:
        if ch in "\n\t":
            out.append(ch if keep_newlines else " ")
        elif ch == "\r" or unicodedata.category(ch) in ("Cc", "Cs", "Co"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def one_line(text: object) -> str:
    """`clean_text` with every run of whitespace (newlines included) collapsed to one space."""
    return " ".join(clean_text(text).split())


def html_text(text: object) -> str:
    """Escaped for HTML content and quoted attributes: & < > " ' become entities."""
    return html.escape(clean_text(text), quote=True)


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


def md_text(text: object) -> str:
    """Escaped for Markdown inline text (one line): no link, image, HTML, emphasis or cell break."""
    s = one_line(text)
    s = html.escape(s, quote=False)
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return _MD_LINE_START.sub(_escape_marker, s, count=1)


def _escape_marker(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker[0].isdigit():  # "1." -> "1\." : CommonMark escapes punctuation, not digits
        return match.group(1) + marker[:-1] + "\\" + marker[-1]
    return match.group(1) + "\\" + marker


def md_url(url: str) -> str:
    """A safe URL made inert for Markdown link syntax (parentheses and angle brackets encoded)."""
    return url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


def spreadsheet_text(text: object) -> str:
    """A cell text a spreadsheet will not evaluate: formula prefixes get a leading apostrophe."""
    s = clean_text(text)
    return "'" + s if s.startswith(FORMULA_PREFIXES) else s


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
