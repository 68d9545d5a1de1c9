"""Readers: a file in, a model.Document out.  They know nothing of report kinds."""
from __future__ import annotations

from pathlib import Path

from ..model import Document


class ReadError(Exception):
    """The file cannot be read as a document; the message says why, for documents.error."""


def read_document(path: str | Path, *, password: str | None = None, max_pages: int | None = None,
                  grid_pages=None) -> Document:
    """Pick the reader by content, not by name: a `.pdf` that is not a PDF is an error.

    `max_pages` refuses documents longer than that before any page is parsed;
    `grid_pages(page_texts) -> page numbers` limits table reading to those pages
    (and the pages their tables continue onto); None reads tables on every page.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if not head:
        raise ReadError("empty file (0 bytes)")
    if b"%PDF-" in head:
        from .pdf import read_pdf

        return read_pdf(path, password=password, max_pages=max_pages, grid_pages=grid_pages)
    if path.suffix.lower() == ".pdf":
        raise ReadError("not a PDF: no %PDF- header in the first 1024 bytes")
    from .text import read_text

    return read_text(path)
