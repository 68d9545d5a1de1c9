"""Scanned pages: OCR (RapidOCR, PP-OCR models shipped inside the package) plus
table grids rebuilt from the ruling lines of the page image.

The page image is rendered with PDFium; horizontal and vertical rules are found by
morphology (OpenCV) and handed, as edges in PDF points, to pdfplumber's own
edges → intersections → cells → tables steps, so a scanned table comes out as the
same kind of grid as a born-digital one.  Text is recognised on the image with the
rules whited out; a text box that straddles a rule is recognised again cell by cell.

Optional: `pip install 'extractor[ocr]'`.  Without it, scanned pages stay empty and
a document made only of them fails with "no text layer (scanned?)".
"""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from ..model import Line, Page, TableRow
from .geometry import recover_merged_cells

log = logging.getLogger(__name__)

DPI = 200
# Threads of the OCR library (None: its default, every core); set by the reader so
# that the processes OCRing at once times their threads stay within the cores.
THREADS: int | None = None


# Whether OCR is on for the document being read: Settings.ocr (`--no-ocr`), set by
# read_document around the reader, so the switch travels with the settings object
# and not as an environment variable.
_ENABLED: ContextVar[bool] = ContextVar("ocr_enabled", default=True)


@contextmanager
def switched(on: bool):
    token = _ENABLED.set(on)
    try:
        yield
    finally:
        _ENABLED.reset(token)


def available() -> bool:
    """The OCR extra is installed and not switched off (Settings.ocr, `--no-ocr`)."""
    return _ENABLED.get() and installed()


@lru_cache(maxsize=1)
def installed() -> bool:
    """The OCR extra's packages are there.  Found, not imported: importing them maps
    ~90 MiB (OpenCV, onnxruntime) into the batch's parent and every worker it forks;
    only the processes that OCR a page import them."""
    from importlib.util import find_spec

    try:
        return find_spec("cv2") is not None and find_spec("rapidocr_onnxruntime") is not None
    except (ImportError, ValueError):
        return False


def _engine():
    return _load_engine(THREADS)


@lru_cache(maxsize=1)
def _load_engine(threads: int | None):
    from rapidocr_onnxruntime import RapidOCR

    log.info("OCR model loaded in process %d (%s threads)", os.getpid(), threads or "default")
    if threads is None:
        return RapidOCR()
    return RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1)


def _recognise(image) -> list[dict]:
    """Text boxes of an image: {text, x0, x1, top, bottom} in pixels."""
    result, _ = _engine()(image, use_cls=False)  # pages are upright; the classifier flips short boxes
    words = []
    for box, text, _score in result or []:
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        if text.strip():
            words.append({"text": text, "x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys)})
    return words


def _rules(gray):
    """Masks of the horizontal and vertical rules of a page image."""
    import cv2

    binary = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2)
    h, w = binary.shape
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 40, 10), 1)))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(h // 60, 10))))
    return horizontal, vertical


def _edges(mask, orientation: str, scale: float) -> list[dict]:
    """Each connected stroke of a rule mask as a pdfplumber edge, in PDF points."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    edges = []
    for x, y, w, h, _area in stats[1:count]:
        x0, top, x1, bottom = x / scale, y / scale, (x + w) / scale, (y + h) / scale
        if orientation == "h":
            mid = (top + bottom) / 2
            top = bottom = mid
        else:
            mid = (x0 + x1) / 2
            x0 = x1 = mid
        edges.append({"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0,
                      "height": bottom - top, "orientation": orientation, "object_type": "line"})
    return edges


def _tables(edges: list[dict]):
    from pdfplumber.table import (Table, cells_to_tables, edges_to_intersections, intersections_to_cells,
                                  merge_edges)

    merged = merge_edges(edges, snap_x_tolerance=3, snap_y_tolerance=3, join_x_tolerance=3, join_y_tolerance=3)
    cells = intersections_to_cells(edges_to_intersections(merged, x_tolerance=3, y_tolerance=3))
    return [Table(None, group) for group in cells_to_tables(cells) if len(group) > 1]


def _lines_of(words: list[dict]) -> list[list[dict]]:
    """Words grouped into visual lines: a word joins a line its vertical middle falls in."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"] + w["bottom"]) / 2):
        mid = (w["top"] + w["bottom"]) / 2
        for line in lines:
            top = min(x["top"] for x in line)
            bottom = max(x["bottom"] for x in line)
            if top <= mid <= bottom:
                line.append(w)
                break
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _inside(word: dict, bbox) -> bool:
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    x0, top, x1, bottom = bbox
    return x0 <= cx <= x1 and top <= cy <= bottom


def is_blank(pdf, number: int) -> bool:
    """A page with (almost) no ink, seen at 36 dpi: nothing to recognise."""
    import numpy as np

    page = pdf[number - 1]
    try:
        gray = np.asarray(page.render(scale=0.5, grayscale=True).to_pil().convert("L"))
    finally:
        page.close()
    return (gray < 160).mean() < 0.0005


def read_scanned_page(pdf, number: int):
    """(Page, table segments) of page `number` of an open pypdfium2 document."""
    import numpy as np

    page = pdf[number - 1]
    try:
        height = page.get_height()
        scale = DPI / 72
        gray = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
    finally:
        page.close()
    horizontal, vertical = _rules(gray)
    cleaned = gray.copy()
    cleaned[(horizontal > 0) | (vertical > 0)] = 255  # rules out, so text boxes stop at them
    words = [{**w, "x0": w["x0"] / scale, "x1": w["x1"] / scale, "top": w["top"] / scale,
              "bottom": w["bottom"] / scale} for w in _recognise(np.stack([cleaned] * 3, axis=-1))]
    h_edges = _edges(horizontal, "h", scale)
    tables = _tables(h_edges + _edges(vertical, "v", scale))

    segments, in_table = [], set()
    for table in tables:
        cells = [c for row in table.rows for c in row.cells if c]
        # A text box over a rule belongs to two cells: read those cells again one by one.
        straddling = {id(w) for w in words if _inside(w, table.bbox)
                      and sum(1 for c in cells if c[0] < w["x1"] - 2 and c[2] > w["x0"] + 2
                              and c[1] <= (w["top"] + w["bottom"]) / 2 <= c[3]) > 1}
        rows = []
        for row in table.rows:
            texts = []
            for cell in row.cells:
                if cell is None:
                    texts.append(None)
                    continue
                mine = [w for w in words if _inside(w, cell)]
                if any(id(w) in straddling for w in mine) or any(
                        id(w) in straddling and _overlaps(w, cell) for w in words):
                    mine = _crop_words(cleaned, cell, scale)
                elif not mine and _has_ink(cleaned, cell, scale):
                    # A lone "2" in a wide cell escapes detection on the whole page.
                    mine = _crop_words(cleaned, cell, scale) or _crop_words(cleaned, cell, scale, detect=False)
                in_table.update(id(w) for w in mine)
                texts.append("\n".join("".join(w["text"] for w in line) for line in _lines_of(mine)))
            rows.append(TableRow(cells=texts, page=number))
        recover_merged_cells([w for w in words if id(w) not in in_table], h_edges, height, table, rows)
        in_table.update(id(w) for w in words if _inside(w, table.bbox))
        xs = sorted({round(c[0], 1) for c in cells} | {round(max(c[2] for c in cells), 1)})
        segments.append((number, table.bbox[1] / height, table.bbox[3] / height, rows, tuple(round(x) for x in xs)))

    lines = []
    for line in _lines_of(words):
        inside = all(id(w) in in_table for w in line)
        lines.append(Line(text=" ".join(w["text"] for w in line), page=number,
                          top=min(w["top"] for w in line), in_table=inside))
    lines.sort(key=lambda ln: ln.top)
    return Page(number=number, lines=lines, has_text=bool(lines)), segments


def _overlaps(word: dict, cell) -> bool:
    x0, top, x1, bottom = cell
    cy = (word["top"] + word["bottom"]) / 2
    return word["x0"] < x1 - 2 and word["x1"] > x0 + 2 and top <= cy <= bottom


def _crop(image, cell, scale: float):
    x0, top, x1, bottom = (int(v * scale) for v in cell)
    return image[max(top + 3, 0):max(bottom - 3, 0), max(x0 + 3, 0):max(x1 - 3, 0)], x0 + 3, top + 3


def _has_ink(image, cell, scale: float) -> bool:
    crop, _, _ = _crop(image, cell, scale)
    return crop.size > 0 and int((crop < 128).sum()) >= 12  # a digit at 200 dpi has ~40 dark pixels


def _crop_words(image, cell, scale: float, detect: bool = True) -> list[dict]:
    import numpy as np

    crop, left, top = _crop(image, cell, scale)
    if crop.size == 0:
        return []
    padded = np.pad(crop, 10, constant_values=255)
    if not detect:  # recognise the ink's bounding box as one line
        ys, xs = np.nonzero(crop < 128)
        if not len(ys):
            return []
        tight = np.pad(crop[ys.min():ys.max() + 1, xs.min():xs.max() + 1], 6, constant_values=255)
        result, _ = _engine()(np.stack([tight] * 3, axis=-1), use_det=False, use_cls=False)
        text = "".join(r[0] for r in result or [] if r and r[0].strip())
        x0, y0, x1, y1 = cell
        return [{"text": text, "x0": x0, "x1": x1, "top": y0, "bottom": y1}] if text else []
    found = _recognise(np.stack([padded] * 3, axis=-1))
    x0, top = left - 10, top - 10
    return [{"text": w["text"], "x0": (w["x0"] + x0) / scale, "x1": (w["x1"] + x0) / scale,
             "top": (w["top"] + top) / scale, "bottom": (w["bottom"] + top) / scale} for w in found]
