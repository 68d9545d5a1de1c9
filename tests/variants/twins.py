"""Text twins of a rendered PDF, as the text extractors people use produce them, and the
text of the document copied from its web page (written from the generator's blocks, one
table cell per line, blank lines between: no pages)."""
from __future__ import annotations

import subprocess
from pathlib import Path

from .model import Doc, PageBreak, Para, Table

TOOLS = ("pdftotext", "pdftotext_raw", "pdftotext_layout", "pdfplumber", "pypdfium2", "pymupdf", "web")


def _pdftotext(pdf: Path, *flags: str) -> str:
    out = subprocess.run(["pdftotext", *flags, "-enc", "UTF-8", str(pdf), "-"], check=True,
                         capture_output=True, timeout=120)
    return out.stdout.decode("utf-8")


def _pdfplumber(pdf: Path) -> str:
    import pdfplumber
    with pdfplumber.open(pdf) as d:
        return "\f".join((p.extract_text() or "") for p in d.pages)


def page_texts(pdf: Path) -> list[str]:
    """The text of each page (PDFium), for finding where a figure is printed."""
    import pypdfium2 as pdfium
    d = pdfium.PdfDocument(str(pdf))
    try:
        out = []
        for i in range(len(d)):
            page = d[i]
            tp = page.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
            page.close()
        return out
    finally:
        d.close()


def _pypdfium2(pdf: Path) -> str:
    return "\f".join(page_texts(pdf))


def _pymupdf(pdf: Path) -> str:
    try:
        import pymupdf as fitz
    except ImportError:  # PyMuPDF < 1.24
        import fitz
    with fitz.open(pdf) as d:
        return "\f".join(p.get_text() for p in d)


def web_text(doc: Doc) -> str:
    lines: list[str] = []
    for b in doc.blocks:
        if isinstance(b, PageBreak):
            continue
        if isinstance(b, Para):
            lines += [b.text, ""]
        elif isinstance(b, Table):
            for row in b.rows:
                for cell in row:
                    if cell is not None:
                        lines += [cell.text, ""]
    return "\n".join(lines)


def twin(tool: str, pdf: Path, doc: Doc) -> str:
    if tool == "pdftotext":
        return _pdftotext(pdf)
    if tool == "pdftotext_raw":
        return _pdftotext(pdf, "-raw")
    if tool == "pdftotext_layout":
        return _pdftotext(pdf, "-layout")
    if tool == "pdfplumber":
        return _pdfplumber(pdf)
    if tool == "pypdfium2":
        return _pypdfium2(pdf)
    if tool == "pymupdf":
        return _pymupdf(pdf)
    if tool == "web":
        return web_text(doc)
    raise ValueError(tool)


def cut_page(text: str, page: int) -> str:
    """The text with one page's content cut out (its form feed kept, so later pages keep their numbers)."""
    pages = text.split("\f")
    pages[page - 1] = "\n"
    return "\f".join(pages)
