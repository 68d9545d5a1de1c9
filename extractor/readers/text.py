"""Plain text (e.g. text already extracted from a report): pages split on form feeds."""
from __future__ import annotations

import re
from pathlib import Path

from ..model import Document, Line, Page
from .layout import words_from_layout


def _decode(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from . import ReadError

    raise ReadError(f"{path.name}: not UTF-8 or GB18030 text")


def _laid_out(text: str) -> bool:
    """Text laid out in columns with spaces (pdftotext -layout): many lines hold wide
    gaps between words, so positions on the line mean columns."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    gapped = sum(1 for ln in lines if re.search(r"\S {3,}\S", ln) or ln.startswith("    "))
    return len(lines) >= 5 and gapped >= 0.3 * len(lines)


def read_text(path: Path) -> Document:
    text = _decode(path.read_bytes(), path)
    if not text.strip():
        from . import ReadError

        raise ReadError("empty text file (nothing but white space)")
    pages = []
    chunks = text.split("\f")
    if len(chunks) > 1 and not chunks[-1].strip():
        chunks.pop()  # a trailing form feed ends the last page; it starts none
    laid_out = _laid_out(text)
    for number, chunk in enumerate(chunks, start=1):
        lines = [Line(text=raw, page=number, top=float(i), bottom=float(i) + 0.8,
                      words=words_from_layout(raw) if laid_out else None)
                 for i, raw in enumerate(chunk.splitlines()) if raw.strip()]
        pages.append(Page(number=number, lines=lines))
    return Document(path=str(path), format="text", pages=pages)
