"""Readers: a file in, a model.Document out.  They know nothing of report kinds."""
from __future__ import annotations

from pathlib import Path

from ..model import Document
from ..settings import DEFAULT, Settings


class ReadError(Exception):
    """The file cannot be read as a document; the message says why, for documents.error."""


def read_document(path: str | Path, *, password: str | None = None, max_pages: int | None = None,
                  grid_pages=None, settings: Settings | None = None) -> Document:
    """Pick the reader by content, not by name: a `.pdf` that is not a PDF is an error.

    `max_pages` refuses documents longer than that before any page is parsed;
    `grid_pages(page_texts) -> page numbers` limits table reading to those pages
    (and the pages their tables continue onto); None reads tables on every page.
    `settings` gives the reader's limits (inflated stream sizes) and the OCR switch;
    `password` and `max_pages`, when given, win over it.

    A PDF is scanned by guard.check_pdf before any parser sees it: a decompression
    bomb or a page tree too deep fails here, fast and with its cause.
    """
    settings = settings or DEFAULT
    password = password if password is not None else settings.password
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if not head:
        raise ReadError("empty file (0 bytes)")
    if b"%PDF-" in head:
        from . import guard, ocr
        from .pdf import read_pdf

        try:
            findings = guard.check_pdf(path, max_stream_mb=settings.limits.max_stream_mb,
                                       max_inflated_mb=settings.limits.max_inflated_mb)
        except guard.GuardError as exc:
            raise ReadError(str(exc)) from None
        try:
            with ocr.switched(settings.ocr):
                return read_pdf(path, password=password, max_pages=max_pages, grid_pages=grid_pages)
        except ReadError as exc:
            if findings.problems and "PdfminerException" in str(exc):  # the parser's words; the scan's cause
                raise ReadError(f"{exc}; broken PDF: {'; '.join(findings.problems[:3])}") from exc
            raise
        except Exception as exc:  # a parser failure the scan can explain (an absurd /Length)
            cause = guard.explain(findings, exc)
            if cause is None:
                raise
            raise ReadError(cause) from exc
    if path.suffix.lower() == ".pdf":
        raise ReadError("not a PDF: no %PDF- header in the first 1024 bytes")
    from .text import read_text

    return read_text(path)
