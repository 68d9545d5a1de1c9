"""Where a PDF row's figures are printed: the step after recognition.

The recogniser reads figures from lines and grids without positions.  Here each
row's figures are formatted back the way pages print them (money in 万元 or 元,
with or without thousands separators; rates as their printed text) and searched on
the row's page with PDFium's text search; of the places each figure occurs, the
ones closest together (one table line, one sentence) are taken.  The row gets the
box around them (`bbox_x0`, `bbox_top`, `bbox_x1`, `bbox_bottom`: PDF points, origin
at the page's top-left, as pdfplumber measures) and their printed text (`printed`,
normalised as all text is, in reading order, separated by ` | `).  A figure not found leaves the row without a box;
text input and OCR'd pages (no text layer to search) have none.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .. import normalize as nz
from ..tables import BBOX_COLUMNS, ROW_TABLES, SCHEMAS, column_kind

# Figures further apart than this (points, vertically) are not one row's.
_MAX_SPREAD = 120.0
_DIVISORS = (Decimal(10000), Decimal(1), Decimal(100000000))  # 万元, 元, 亿元
_NUMBER_CHARS = set("0123456789.,")
SEPARATOR = " | "  # between the figures of `printed` (a space alone would read as layout space)


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF points, origin top-left: x0 < x1, top < bottom."""

    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: "Box") -> "Box":
        return Box(min(self.x0, other.x0), min(self.top, other.top), max(self.x1, other.x1),
                   max(self.bottom, other.bottom))

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2

    def contains(self, other: "Box", slack: float = 0.5) -> bool:
        return (self.x0 - slack <= other.x0 and other.x1 <= self.x1 + slack
                and self.top - slack <= other.top and other.bottom <= self.bottom + slack)


def row_box(row: dict) -> Box | None:
    values = [row.get(c) for c in BBOX_COLUMNS]
    if any(v is None for v in values):
        return None
    return Box(*values)


class PageText:
    """One page's text layer, searched for figures (results cached per needle)."""

    def __init__(self, pdf, number: int):
        self.page = pdf[number - 1]
        self.text = self.page.get_textpage()
        self.height = self.page.get_height()
        self.width = self.page.get_width()
        self._found: dict[str, list[tuple[Box, str]]] = {}

    def close(self) -> None:
        self.text.close()
        self.page.close()

    def find(self, needle: str) -> list[tuple[Box, str]]:
        """Every place `needle` is printed as a whole figure (not inside a longer number)."""
        if needle in self._found:
            return self._found[needle]
        out = []
        searcher = self.text.search(needle, match_case=True)
        total = self.text.count_chars()
        while (hit := searcher.get_next()) is not None:
            index, count = hit
            before = self.text.get_text_range(index - 1, 1) if index > 0 else ""
            after = self.text.get_text_range(index + count, 1) if index + count < total else ""
            if needle[0].isdigit() and before and (before in _NUMBER_CHARS or before == "-"):
                continue
            if needle[-1].isdigit() and after and (after.isdigit() or (after in ".," and index + count + 1 < total
                                                   and self.text.get_text_range(index + count + 1, 1).isdigit())):
                continue
            out.append((self.box_of(index, count), self.text.get_text_range(index, count)))
        searcher.close()
        self._found[needle] = out
        return out

    def box_of(self, index: int, count: int) -> Box:
        box = None
        for i in range(index, index + count):
            left, bottom, right, top = self.text.get_charbox(i)
            if right <= left and top <= bottom:
                continue  # a generated space has no box
            b = Box(left, self.height - top, right, self.height - bottom)
            box = b if box is None else box.union(b)
        return box or Box(0, 0, 0, 0)

    def text_in(self, box: Box) -> str:
        """The characters printed inside `box` (their centre within it), read back from
        the PDF: for tests and views."""
        out = []
        for i in range(self.text.count_chars()):
            left, bottom, right, top = self.text.get_charbox(i)
            x, y = (left + right) / 2, self.height - (top + bottom) / 2
            if right > left and box.x0 <= x <= box.x1 and box.top <= y <= box.bottom:
                out.append(self.text.get_text_range(i, 1))
        return "".join(out)


def money_variants(value: Decimal) -> list[str]:
    """How a sum in 元 may be printed: in 万元, 元 or 亿元, with 2 decimals or as few as
    it needs, with or without thousands separators."""
    out: list[str] = []
    for divisor in _DIVISORS:
        q = value / divisor
        if q != q.quantize(Decimal("0.0001")) or (divisor > 1 and q == 0):
            continue  # not printable in this unit (a 万元 figure has at most 4 decimals)
        forms = {f"{q:.2f}" if q == q.quantize(Decimal("0.01")) else None, f"{q.normalize():f}"}
        if q == q.to_integral_value():
            forms.add(f"{q:.0f}")
        for form in sorted(f for f in forms if f):
            out.append(form)
            whole, _, frac = form.lstrip("-").partition(".")
            if len(whole) > 3:
                grouped = f"{int(whole):,}" + (f".{frac}" if frac else "")
                out.append(("-" if form.startswith("-") else "") + grouped)
    return list(dict.fromkeys(out))


def _figures(table: str, row: dict) -> list[tuple[str, list[str]]]:
    """(column, printed variants) of each figure of the row, in column order."""
    out = []
    for name in SCHEMAS[table].names:
        value = row.get(name)
        if value is None or name in ("page", "max_score") or name in BBOX_COLUMNS:
            continue
        kind = column_kind(table, name)
        if kind == "money":
            out.append((name, money_variants(value)))
        elif kind == "rate":
            printed = row.get(f"_printed_{name}")
            if printed:
                s = "".join(str(printed).split())
                out.append((name, [s, s.rstrip("%")] if s.endswith("%") else [s]))
        elif kind == "float" and name in ("weight", "score"):
            out.append((name, [f"{value:g}", f"{value:.2f}", f"{value:.1f}"]))
        elif kind == "int" and name == "count":
            out.append((name, [str(value)]))
        elif table == "indicators" and name in ("target_text", "actual_text"):
            s = "".join(str(value).split())
            out.append((name, list(dict.fromkeys([s, s.lstrip("≥≤><=")]))))
    return out


def locate(page: PageText, figures: list[tuple[str, list[str]]]) -> tuple[Box, str] | None:
    """The box and printed text of the figures, from the closest-together places they occur."""
    found = []
    for _, variants in figures:
        hits = [h for v in variants for h in page.find(v)]
        if hits:
            found.append(hits)
    if not found:
        return None
    anchor = min(found, key=len)
    best = None
    for box, text in anchor:
        ax, ay = box.centre
        chosen, cost = [], 0.0
        for hits in found:
            if hits is anchor:
                chosen.append((box, text))
                continue
            h = min(hits, key=lambda h: _distance(h[0], ax, ay))
            d = _distance(h[0], ax, ay)
            if abs(h[0].centre[1] - ay) > _MAX_SPREAD:
                continue  # this figure is not printed near the others
            chosen.append(h)
            cost += d
        score = (-len(chosen), cost)
        if best is None or score < best[0]:
            best = (score, chosen)
    chosen = sorted(best[1], key=lambda h: (round(h[0].top / 4), h[0].x0))
    out = chosen[0][0]
    for b, _ in chosen[1:]:
        out = out.union(b)
    return out, SEPARATOR.join(nz.clean_text(t) or t for _, t in chosen)


def _distance(box: Box, ax: float, ay: float) -> float:
    x, y = box.centre
    return abs(y - ay) * 4 + abs(x - ax) * 0.25  # a table row lies on one line


def annotate(path: str | Path, rows: dict[str, list[dict]], *, password: str | None = None,
             page_texts: list[str] | None = None, scanned: set[int] | None = None) -> int:
    """Give each row of `rows` (table -> rows) its bbox and printed text, in place.

    `scanned`: the pages without a usable text layer, when the reader knows them
    (else they are found here).  Pages are searched by the reader's page processes
    when there are many.  Returns how many pages were read by OCR: pages without a
    usable text layer whose text as read (`page_texts`, the Document's) is readable."""
    import pypdfium2 as pdfium

    from ..readers.pdf import in_parallel, unreadable

    if scanned is None:
        scanned = _pages_without_text_layer(path, password)
    on_page: dict[int, list[tuple[str, int]]] = {}
    for table in ROW_TABLES:
        for k, row in enumerate(rows.get(table, [])):
            n = row.get("page")
            if n and n not in scanned:
                on_page.setdefault(n, []).append((table, k))

    def search(numbers: list[int]) -> dict[int, list]:
        pdf = pdfium.PdfDocument(str(path), password=password or None)
        found: dict[int, list] = {}
        try:
            for n in numbers:
                if not 1 <= n <= len(pdf):
                    continue
                page = PageText(pdf, n)
                try:
                    found[n] = []
                    for table, k in on_page[n]:
                        figures = _figures(table, rows[table][k])
                        hit = locate(page, figures) if figures else None
                        if hit:
                            found[n].append((table, k, hit))
                finally:
                    page.close()
        finally:
            pdf.close()
        return found

    for placed in in_parallel(search, sorted(on_page)).values():
        for table, k, (box, printed) in placed:
            rows[table][k].update(bbox_x0=round(box.x0, 2), bbox_top=round(box.top, 2), bbox_x1=round(box.x1, 2),
                                  bbox_bottom=round(box.bottom, 2), printed=printed)
    texts = page_texts or []
    return sum(1 for n in scanned if n <= len(texts) and not unreadable(texts[n - 1]))


def _pages_without_text_layer(path: str | Path, password: str | None) -> set[int]:
    import pypdfium2 as pdfium

    from ..readers.pdf import unreadable

    pdf = pdfium.PdfDocument(str(path), password=password or None)
    scanned = set()
    try:
        for n in range(1, len(pdf) + 1):
            p = pdf[n - 1]
            tp = p.get_textpage()
            try:
                if unreadable(tp.get_text_range()):
                    scanned.add(n)
            finally:
                tp.close()
                p.close()
    finally:
        pdf.close()
    return scanned


def figure_box(page: PageText, printed: str, near: Box | None = None) -> Box | None:
    """Where the figure `printed` (e.g. a check's reported `97.68%` or `7735.39万元`) is
    on the page: the place nearest `near` (a row's box), else the first."""
    text = "".join(str(printed).split())
    variants = [text]
    for unit in ("万元", "亿元", "元"):
        if text.endswith(unit):
            variants.append(text[: -len(unit)])
            break
    if text.endswith("%"):
        variants.append(text[:-1])
    hits = [h for v in variants for h in page.find(v)]
    if not hits:
        return None
    if near is None:
        return hits[0][0]
    cx, cy = near.centre
    inside = [h for h in hits if near.contains(h[0], slack=2)]
    return (inside or sorted(hits, key=lambda h: _distance(h[0], cx, cy)))[0][0]
