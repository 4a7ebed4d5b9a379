"""What a report says, as blocks every renderer draws: chapters of paragraphs, tables and lists.

The content of each chapter (which sentences, which tables, which columns) is decided once, in
`contents.py`; a renderer only knows how to draw each kind of block in its medium. Texts are
plain (cleaned, not escaped), numbers in tables stay numbers with a column `Kind` that says how
to format them, so a spreadsheet keeps real numbers and a page gets locale-formatted text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """How a table column's values are shown (`formatting.cell_text` for text formats)."""

    TEXT = "text"  # a str, or a `Label` with tree depth, emphasis and warnings
    INT = "int"  # ranks, reference numbers
    SCORE = "score"  # method scores and normalised values: 3 decimals
    SHARE = "share"  # a fraction shown as a percentage with 1 decimal
    MONEY = "money"  # millions of the study currency: 1 decimal
    NUMBER = "number"  # raw weights and raw values: as few decimals as they need (at most 2)
    REFS = "refs"  # a tuple of `Cite`: reference numbers (linked where possible) with kind and date
    FLAGS = "flags"  # a tuple of warnings about the cell
    CODE = "code"  # file paths and digests, in a monospace font


NUMERIC_KINDS = frozenset({Kind.INT, Kind.SCORE, Kind.SHARE, Kind.MONEY, Kind.NUMBER})


@dataclass(frozen=True)
class Label:
    """A text cell with presentation hints: its depth in a tree, emphasis for a group row, and
    warnings shown after the text (a weight the scenario changed)."""

    text: str
    depth: int = 0
    strong: bool = False
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cite:
    """A citation in a table: the reference list's number and, in words, the source's kind and
    publication date (`SourceRef.brief`)."""

    number: int
    brief: str = ""

    @property
    def mark(self) -> str:
        return f"[{self.number}]"


@dataclass(frozen=True)
class Column:
    """A table column. `data_only` columns (identifiers, figures the reading formats show in
    another chapter) are written by the data formats, CSV and XLSX, and left out of HTML,
    Markdown and PDF."""

    header: str
    kind: Kind = Kind.TEXT
    data_only: bool = False

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass(frozen=True)
class Row:
    """One table row; `muted` marks a row set apart, such as an option that is not eligible."""

    cells: tuple[Any, ...]
    muted: bool = False


@dataclass(frozen=True)
class Table:
    """A table with a typed header. `title` and `caption` (`caption` emphasised, then `note`)
    head the table in reading formats; consecutive tables with the same `group` and columns are
    one sheet table in XLSX, the titles filling a first column headed `group`."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    title: str = ""
    caption: str = ""
    note: str = ""
    group: str = ""

    def shown(self, *, data: bool) -> list[int]:
        """Indexes of the columns a format shows: all of them for data formats, else the others."""
        return [i for i, col in enumerate(self.columns) if data or not col.data_only]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: optional bold `lead` joined to `text` by `sep`. `style` is "plain",
    "strong" (the whole paragraph stands out), "flag" (a warning) or "note" (small print)."""

    text: str
    lead: str = ""
    sep: str = " — "
    style: str = "plain"


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside a chapter."""

    text: str


@dataclass(frozen=True)
class Facts:
    """Labelled values, in order (a definition list)."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Bullets:
    """A list of warnings or remarks, each shown after a flag mark."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Code:
    """Preformatted text: the embedded scenario (`lang` "yaml")."""

    text: str
    lang: str = ""


@dataclass(frozen=True)
class Command:
    """The command that regenerates the report; its format and output name depend on the
    format being written, so renderers ask `line(fmt)`."""

    criteria: str
    lang: str

    def line(self, fmt: str) -> str:
        return (
            f"python -m workbench report --criteria {self.criteria} --scenario scenario.yaml "
            f"--format {fmt} --out report.{fmt} --lang {self.lang}"
        )


@dataclass(frozen=True)
class Figure:
    """A chart of `Report.charts` by name, with its caption (drawn by HTML and PDF only)."""

    name: str
    caption: str


@dataclass(frozen=True)
class SourceList:
    """The numbered reference list (`Report.references`); links only for http(s) URLs."""

    numbers: tuple[int, ...]


Block = Paragraph | Heading | Table | Facts | Bullets | Code | Command | Figure | SourceList


@dataclass(frozen=True)
class Chapter:
    """A numbered part of the report: its id (anchors, sheet names), title and blocks."""

    id: str
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def textual(self) -> bool:
        """False when the chapter holds only figures (formats without charts leave it out)."""
        return any(not isinstance(b, Figure) for b in self.blocks)


@dataclass(frozen=True)
class Document:
    """The whole report as read: the title, the facts under it, the chapters and a closing line."""

    title: str
    header: Facts
    chapters: tuple[Chapter, ...]
    footer: str


def table(columns: Sequence[Column], rows: Sequence[Row | Sequence[Any]], **extra: str) -> Table:
    """A `Table` from columns and rows (plain sequences become unmuted rows)."""
    built = tuple(r if isinstance(r, Row) else Row(tuple(r)) for r in rows)
    for row in built:
        if len(row.cells) != len(columns):
            raise ValueError(f"a row has {len(row.cells)} cells for {len(columns)} columns")
    return Table(tuple(columns), built, **extra)
