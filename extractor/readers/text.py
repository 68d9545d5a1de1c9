"""Plain text (e.g. text already extracted from a report): pages split on form feeds."""
from __future__ import annotations

from pathlib import Path

from ..model import Document, Line, Page


def _decode(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from . import ReadError

    raise ReadError(f"{path.name}: not UTF-8 or GB18030 text")


def read_text(path: Path) -> Document:
    text = _decode(path.read_bytes(), path)
    if not text.strip():
        from . import ReadError

        raise ReadError("empty text file (nothing but white space)")
    pages = []
    for number, chunk in enumerate(text.split("\f"), start=1):
        lines = [Line(text=raw, page=number, top=float(i))
                 for i, raw in enumerate(chunk.splitlines()) if raw.strip()]
        pages.append(Page(number=number, lines=lines))
    return Document(path=str(path), format="text", pages=pages)
