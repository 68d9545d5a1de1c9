"""Text twins of a PDF, as the common tools save it, and a field-by-field comparison
of the rows read from the PDF and from a twin.

Tools: `pdftotext` (its default reading order), `pdftotext -layout`, pdfplumber
`extract_text`, pypdfium2 `get_text_range`, PyMuPDF `get_text`.  Pages are joined
with form feeds, as the tools themselves do.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

TOOLS = ["pdftotext", "pdftotext_layout", "pdfplumber", "pypdfium2", "pymupdf"]
COMPARED = ("budget", "tasks", "projects", "indicators", "scores", "counts")
IGNORED = {"doc_id", "page", "source", "printed", "bbox_x0", "bbox_top", "bbox_x1", "bbox_bottom"}


def available(tool: str) -> bool:
    if tool.startswith("pdftotext"):
        return shutil.which("pdftotext") is not None
    module = {"pdfplumber": "pdfplumber", "pypdfium2": "pypdfium2", "pymupdf": "pymupdf"}[tool]
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def twin_text(pdf: Path, tool: str) -> str:
    if tool == "pdftotext":
        return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    if tool == "pdftotext_layout":
        return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              check=True).stdout.decode()
    if tool == "pdfplumber":
        import pdfplumber

        with pdfplumber.open(pdf) as doc:
            return "\f".join(p.extract_text() or "" for p in doc.pages)
    if tool == "pypdfium2":
        import pypdfium2

        doc = pypdfium2.PdfDocument(str(pdf))
        try:
            return "\f".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        finally:
            doc.close()
    if tool == "pymupdf":
        import pymupdf

        with pymupdf.open(str(pdf)) as doc:
            return "\f".join(p.get_text() for p in doc)
    raise ValueError(tool)


def _norm(value):
    if isinstance(value, str):
        return "".join(value.split())
    if isinstance(value, float):
        return round(value, 9)
    return value


def row_fields(rows: list[dict]) -> list[tuple]:
    """Every row as a sorted tuple of its (column, value) pairs, page and ids left out."""
    return sorted(tuple(sorted((k, _norm(v)) for k, v in r.items()
                               if k not in IGNORED and not k.startswith("_") and v is not None))
                  for r in rows)


def compare(pdf_rows: dict[str, list[dict]], text_rows: dict[str, list[dict]]) -> dict[str, tuple[int, int, int]]:
    """Per table: (fields equal, fields in the PDF's rows, fields in the text's rows),
    rows paired greedily by the most fields in common."""
    out = {}
    for table in COMPARED:
        a = [dict(r) for r in row_fields(pdf_rows.get(table, []))]
        b = [dict(r) for r in row_fields(text_rows.get(table, []))]
        total_a = sum(len(r) for r in a)
        total_b = sum(len(r) for r in b)
        equal = 0
        unused = list(range(len(b)))
        for ra in a:
            best, best_k = 0, None
            for k in unused:
                same = sum(1 for c, v in ra.items() if b[k].get(c) == v)
                if same > best:
                    best, best_k = same, k
            if best_k is not None:
                unused.remove(best_k)
                equal += best
        out[table] = (equal, total_a, total_b)
    return out


def f1(equal: int, expected: int, got: int) -> float:
    if expected == 0 and got == 0:
        return 1.0
    p = equal / got if got else 0.0
    r = equal / expected if expected else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0
