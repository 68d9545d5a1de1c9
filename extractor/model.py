"""The one document model every reader produces and every pack reads.

Readers turn a file into pages of positioned text lines and table grids; nothing
downstream knows whether the lines came from a PDF or a text file.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    """A run of characters without a wide gap, and where it stands on the line
    (PDF points, or character columns for text laid out with spaces)."""

    x0: float
    x1: float
    text: str


@dataclass
class Line:
    """One visual line of text, as printed (not yet normalised)."""

    text: str
    page: int
    top: float = 0.0
    in_table: bool = False  # the line lies inside a table grid of the page
    words: list[Word] | None = None  # positions, where the reader knows them
    bottom: float | None = None


@dataclass
class TableRow:
    """A row of a table grid.

    A cell is None where a merged cell from an earlier row spans it, "" where the
    cell exists but is empty.  `continued` marks the first row of a table segment
    that continues the previous page's table.
    """

    cells: list[str | None]
    page: int
    continued: bool = False


@dataclass
class Table:
    """A table grid; a table broken over pages is joined into one Table."""

    rows: list[TableRow]
    first_page: int

    @property
    def width(self) -> int:
        return max((len(r.cells) for r in self.rows), default=0)


@dataclass
class Page:
    number: int
    lines: list[Line] = field(default_factory=list)
    has_text: bool = True
    # Whether the PDF page has a usable text layer (False: scanned, OCR'd if at all);
    # None where the reader does not know (text input, pdfplumber fallback).
    text_layer: bool | None = None


@dataclass
class Document:
    """What a reader hands to the recogniser."""

    path: str
    format: str  # "pdf" or "text"
    pages: list[Page]
    tables: list[Table] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def lines(self, include_tables: bool = True) -> list[Line]:
        return [ln for p in self.pages for ln in p.lines if include_tables or not ln.in_table]
