"""The one rule that keeps a text cell of a CSV or XLSX file from being read as a formula.

A spreadsheet evaluates a cell that begins with = + - @ tab or carriage return, so a provider
named '=HYPERLINK(...)' would become a live link or worse (OWASP, "CSV Injection"). Every file
the workbench writes for spreadsheets (reports, the `evaluate` command's CSV, workshop exports)
passes its texts through `neutralise_formula`. It lives beside the engine's other file formats
so that the workshop exports can use it without importing the report layer.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """`value` with a leading apostrophe when it is text a spreadsheet would evaluate as a
    formula; numbers and other values pass through unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
