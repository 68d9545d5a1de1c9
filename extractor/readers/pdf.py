"""PDF: per page, text lines and table grids.

PDFium (pypdfium2) reads the text of every page fast.  On the pages the caller
asks for (`grid_pages`, given the pages' text), plus the pages a table continues
onto, pdfplumber's table finder reads table grids and the lines inside and around
them; without `grid_pages`, every page.  The characters and ruling lines it works
on come from PDFium too (`pdfium_page`, several times faster than pdfminer); a page
PDFium cannot serve exactly is parsed by pdfminer, and logged.  The engine is
chosen by EXTRACTOR_PDF_ENGINE ("pdfium", the default, or "pdfminer": the reader as
it was, which the tests compare against).

What this adds to bare pdfplumber:
- fake-bold duplicate characters removed (`dedupe_chars`);
- merged cells whose text pdfplumber cannot place (a merged cell with no bottom
  border on this page, text centred on another page) recovered by geometry;
- a table broken over pages joined to its first part, a repeated header row dropped.
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Callable

import pdfplumber
from pdfplumber.table import Table as _PlumberTable, TableFinder, cells_to_tables, edges_to_intersections
from pdfplumber.utils import chars_to_textmap, extract_text as _plumber_text

from .layout import words_from_chars
from .processes import die_with_parent
from ..model import Document, Line, Page, Table, TableRow

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
# Up to this far from the page edge, a table counts as running off / onto the page.
_EDGE_MARGIN = 0.2
# a line that is only a page number (3, - 3 -, 第1页 共2页): no text of the page's own
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/?\s*共?\s*\d+\s*页?)?[-—–\s]*$")

log = logging.getLogger(__name__)
# pdfminer logs every operator at DEBUG; even discarded, the calls cost ~6 % of parsing.
logging.getLogger("pdfminer").setLevel(logging.WARNING)


# How many processes may read one document's pages (set by the batch to --jobs):
# a document with at least PARALLEL_MIN_PAGES grid or scanned pages is read by that
# many forked helpers, each a stripe of its pages, assembled in page order.
PAGE_WORKERS = 1
PARALLEL_MIN_PAGES = 12
# Scanned pages OCRed in forked page readers only (set by the batch, whose workers
# are single-threaded processes; a caller with threads of its own keeps it off).
OCR_IN_CHILDREN = False


def engine() -> str:
    """Where grid pages' characters and rules come from: "pdfium" or "pdfminer"."""
    return "pdfminer" if os.environ.get("EXTRACTOR_PDF_ENGINE", "pdfium") == "pdfminer" else "pdfium"


GridPages = Callable[[list[str]], set[int]]


def read_pdf(path: Path, *, password: str | None = None, max_pages: int | None = None,
             grid_pages: GridPages | None = None) -> Document:
    texts = _pdfium_texts(path, password, max_pages)
    if texts is None:  # PDFium could not open it: pdfplumber reads it, or says why not
        return _read_all(path, password, max_pages)
    without_layer = [n for n, t in enumerate(texts, start=1) if unreadable(t)]
    scanned = _read_scans(path, password, without_layer)
    for number, (page, _) in scanned.items():
        texts[number - 1] = "\n".join(line.text for line in page.lines)
    wanted = set(range(1, len(texts) + 1)) if grid_pages is None else grid_pages(texts)
    document = _read_selected(path, password, texts, wanted, scanned)
    missing = set(without_layer)
    for page in document.pages:
        page.text_layer = page.number not in missing
    return document


def unreadable(text: str) -> bool:
    """No text layer, or one that maps glyphs to nothing readable (a font without a
    ToUnicode map: private-use code points, U+FFFD, (cid:123)): OCR the page instead."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return True
    bad = sum(1 for c in chars if "\ue000" <= c <= "\uf8ff" or c in "\ufffd\ufffe" or ord(c) < 32)
    bad += 5 * text.count("(cid:")
    return bad / len(chars) > 0.3


def _read_scans(path: Path, password: str | None, numbers: list[int]) -> dict:
    """OCR of the pages without a text layer, when the OCR extra is installed."""
    from . import ocr

    if not numbers or not ocr.available():
        return {}
    import pypdfium2 as pdfium

    def read(stripe: list[int], share: int = 1) -> dict:
        # The OCR library's threads: with every process that may OCR at once
        # (batch workers x page readers), no more than the cores.
        ocr.THREADS = max(1, (os.cpu_count() or 1) // (PAGE_WORKERS * share))
        pdf = pdfium.PdfDocument(str(path), password=password or None)
        try:
            return {n: ocr.read_scanned_page(pdf, n) for n in stripe if not ocr.is_blank(pdf, n)}
        finally:
            pdf.close()

    # In a batch, the batch's OCR processes read the pages: the OCR model is loaded
    # once per process, not once per document.  Without them (or for pages they lost)
    # scanned pages are read in forked children only, a stripe each: the model (1.5 s,
    # +560 MiB) is loaded there and goes when they exit, so the worker that reads the
    # next (born-digital) document never carries it.
    from . import ocr_service

    served = ocr_service.read_pages(path, password, numbers)
    results = {n: found for n, found in served.items() if found is not None}  # None: a blank page
    rest = [n for n in numbers if n not in served]
    if rest:
        results.update(in_parallel(read, rest, minimum=1, in_children=OCR_IN_CHILDREN))
    return results


def in_parallel(read: Callable[..., dict], numbers: list[int], minimum: int | None = None,
                 in_children: bool = False) -> dict:
    """read(numbers) -> {number: result}, over PAGE_WORKERS processes when there are
    enough pages: stripes of `numbers` read by forked children (the caller reads
    the first, unless `in_children`), results sent back pickled.  What a child could
    not deliver (it died: memory cap, a crash) the caller reads itself, so the result
    is always whole."""
    minimum = PARALLEL_MIN_PAGES if minimum is None else minimum
    workers = min(PAGE_WORKERS, len(numbers) // max(1, minimum) or 1)
    if workers <= 1 and not in_children:
        return read(numbers)
    import pickle

    stripes = [numbers[k::workers] for k in range(workers)]
    children = []
    for stripe in stripes if in_children else stripes[1:]:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: read, answer, leave without running the parent's cleanup
            os.close(r)
            code = 0
            try:
                die_with_parent()
                with os.fdopen(w, "wb") as out:
                    try:
                        answer = read(stripe, workers) if in_children else read(stripe)
                        pickle.dump(("ok", answer), out, protocol=pickle.HIGHEST_PROTOCOL)
                    except Exception as exc:
                        pickle.dump(("error", exc), out, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                code = 1
            os._exit(code)
        os.close(w)
        children.append((pid, r, stripe))
    results = {}
    try:
        if not in_children:
            results.update(read(stripes[0]))
    finally:
        answers = []
        for pid, r, stripe in children:
            with os.fdopen(r, "rb") as fh:
                try:
                    answers.append((stripe, pickle.load(fh)))
                except Exception:
                    answers.append((stripe, None))
            os.waitpid(pid, 0)
    for stripe, answer in answers:
        if answer is not None and answer[0] == "error":
            raise answer[1]
        if answer is None:
            log.warning("a page reader died: %d pages read again in one process", len(stripe))
            answer = ("ok", read(stripe))
        results.update(answer[1])
    return results


def _pdfium_texts(path: Path, password: str | None, max_pages: int | None) -> list[str] | None:
    from . import ReadError

    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    try:
        pdf = pdfium.PdfDocument(str(path), password=password or None)
    except Exception:
        return None
    def read(numbers: list[int], document=None) -> dict[int, str]:
        own = document is None
        document = document or pdfium.PdfDocument(str(path), password=password or None)
        texts = {}
        try:
            for n in numbers:
                page = document[n - 1]
                textpage = page.get_textpage()
                try:
                    texts[n] = textpage.get_text_range()
                finally:
                    textpage.close()
                    page.close()
        finally:
            if own:
                document.close()
        return texts

    try:
        count = len(pdf)
        if max_pages is not None and count > max_pages:
            raise ReadError(f"too many pages: {count} > the cap of {max_pages} (--max-pages)")
        numbers = list(range(1, count + 1))
        if PAGE_WORKERS > 1 and count >= 2 * PARALLEL_MIN_PAGES:  # a long document: stripes in page processes
            pdf.close()
            pdf = None
            texts = in_parallel(read, numbers)
        else:
            texts = read(numbers, pdf)
        return [texts[n] for n in numbers]
    except ReadError:
        raise
    except Exception:
        return None
    finally:
        if pdf is not None:
            pdf.close()


def _read_selected(path: Path, password: str | None, texts: list[str], wanted: set[int],
                   scanned: dict | None = None) -> Document:
    """PDFium lines everywhere; pdfplumber lines and grids on the wanted pages and on
    the pages their tables run onto; OCR lines and grids on scanned pages."""
    from . import ReadError

    scanned = scanned or {}
    pages = [Page(number=n, lines=[Line(text=t, page=n, top=float(k))
                                   for k, t in enumerate(text.splitlines()) if t.strip()],
                  has_text=bool(text.strip()))
             for n, text in enumerate(texts, start=1)]
    segments = []
    for number, (page, page_segments) in scanned.items():
        pages[number - 1] = page
        segments.extend(page_segments)
    wanted = set(wanted) - set(scanned)
    if not wanted:
        segments.sort(key=lambda s: s[0])
        return Document(path=str(path), format="pdf", pages=pages, tables=_join_segments(segments))
    todo = sorted(n for n in wanted if 1 <= n <= len(pages))

    def read(numbers: list[int]) -> dict:
        with _PageSource(path, password) as source:
            return {n: source.read(n) for n in numbers}

    # The wanted pages, read in parallel when there are many; the pages their tables
    # run onto (not known before) are read below, in order, as they are found.
    ready = in_parallel(read, todo) if PAGE_WORKERS > 1 else {}
    with _PageSource(path, password) as source:
        done: set[int] = set()
        while todo:
            number = todo.pop(0)
            if number in done:
                continue
            done.add(number)
            if number in scanned:
                continue
            page, page_segments = ready.pop(number) if number in ready else source.read(number)
            if page.has_text:
                pages[number - 1] = page
            segments.extend(page_segments)
            runs_on = page_segments and (page_segments[-1][2] > 1 - _EDGE_MARGIN
                                         or tuple(page_segments[-1][6:7]) == (False,))  # nothing after it
            # a wanted page with no ruled grid may hold a borderless table that runs on
            # without its header: the next page gets word positions too (not further)
            borderless = not page_segments and number in wanted and page.has_text
            if (runs_on or borderless) and number < len(pages) and number + 1 not in done:
                todo.insert(0, number + 1)
    segments.sort(key=lambda s: s[0])
    return Document(path=str(path), format="pdf", pages=pages, tables=_join_segments(segments))


class _PageSource:
    """Grid pages of one PDF: from PDFium's objects, or pdfminer's where PDFium
    cannot serve the page (opened only then)."""

    def __init__(self, path: Path, password: str | None):
        self.path, self.password = path, password
        self.pdfium = self.plumber = None
        if engine() == "pdfium":
            import pypdfium2 as pdfium

            self.pdfium = pdfium.PdfDocument(str(path), password=password or None)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.pdfium is not None:
            self.pdfium.close()
        if self.plumber is not None:
            self.plumber.close()

    def read(self, number: int):
        from . import ReadError

        if self.pdfium is not None:
            from .pdfium_page import Unsupported, pdfium_page

            try:
                page = pdfium_page(self.pdfium, number)
            except Unsupported as exc:
                log.info("%s page %d: pdfminer reads it (%s)", self.path.name, number, exc)
            else:
                try:
                    return _read_page(page, number)
                except Exception as exc:
                    raise _page_error(exc, number) from exc
                finally:
                    page.close()
        if self.plumber is None:
            try:
                self.plumber = pdfplumber.open(self.path, password=self.password or "")
            except Exception as exc:
                raise ReadError(_open_error(exc, self.password)) from exc
        try:
            plumb = self.plumber.pages[number - 1]
            try:
                return _read_page(plumb, number)
            finally:
                plumb.close()
        except ReadError:
            raise
        except Exception as exc:
            raise _page_error(exc, number) from exc


def _page_error(exc: Exception, number: int):
    from . import ReadError

    if isinstance(exc, MemoryError) or "allocate" in str(exc) or "MemoryError" in repr(exc.args):
        return ReadError(f"memory limit exceeded on page {number} (--max-memory)")
    if isinstance(exc, RecursionError):
        return ReadError(f"page {number} is nested too deeply to parse")
    return ReadError(f"cannot parse PDF page {number}: {type(exc).__name__}: {exc}")


def _read_all(path: Path, password: str | None, max_pages: int | None) -> Document:
    from . import ReadError

    try:
        pdf = pdfplumber.open(path, password=password or "")
    except Exception as exc:  # pdfminer raises many types for broken files
        raise ReadError(_open_error(exc, password)) from exc
    try:
        count = len(pdf.pages)
    except Exception as exc:
        pdf.close()
        raise ReadError(f"damaged PDF: cannot read its page tree ({type(exc).__name__}: {exc})") from exc
    if max_pages is not None and count > max_pages:
        pdf.close()
        raise ReadError(f"too many pages: {count} > the cap of {max_pages} (--max-pages)")
    pages: list[Page] = []
    segments: list[tuple[int, float, float, list[TableRow], tuple[float, ...]]] = []
    try:
        for number, plumb in enumerate(pdf.pages, start=1):
            try:
                page, page_segments = _read_page(plumb, number)
            finally:
                plumb.close()  # frees the page's parsed objects: memory stays flat
            pages.append(page)
            segments.extend(page_segments)
    except ReadError:
        raise
    except Exception as exc:
        raise _page_error(exc, len(pages) + 1) from exc
    finally:
        pdf.close()
    return Document(path=str(path), format="pdf", pages=pages, tables=_join_segments(segments))


def _open_error(exc: Exception, password: str | None = None) -> str:
    name = type(exc).__name__
    causes = " ".join(type(a).__name__ for a in (exc, *exc.args, exc.__cause__, exc.__context__) if a is not None)
    if "Password" in causes or "password" in str(exc).lower():
        if password:
            return "encrypted PDF: the password given (--password) is wrong"
        return "encrypted PDF: a password is needed (--password)"
    if any(k in str(exc) for k in ("EOF", "startxref", "trailer", "xref")):
        return f"truncated or damaged PDF: cannot open it ({name}: {exc})"
    return f"cannot open PDF ({name}: {exc})"


def _has_duplicate_chars(chars) -> bool:
    """Fake bold prints each character twice, a fraction of a point apart.  Checking
    for that is much cheaper than pdfplumber's dedupe_chars on every page."""
    keyed = sorted((c["text"], round(c["top"]), c["x0"]) for c in chars)
    return any(a[0] == b[0] and abs(a[1] - b[1]) <= 1 and abs(a[2] - b[2]) <= 1
               for a, b in zip(keyed, keyed[1:]))


def _read_page(plumb, number: int):
    import numpy as np

    if _has_duplicate_chars(plumb.chars):
        plumb = plumb.dedupe_chars()
    if not plumb.chars:
        return Page(number=number, lines=[], has_text=False), []
    found = _Finder(plumb, TABLE_SETTINGS).tables
    boxes = [t.bbox for t in found]
    chars = plumb.chars
    if boxes:
        # plumb.filter(inside) and its complement, on the characters only (the lines
        # are made of characters): the same characters in the same order.
        centres = _Centres(chars)
        inside = np.zeros(len(chars), dtype=bool)
        for box in boxes:
            inside |= centres.closed(box)
        lines = [_positioned(ln, number) for ln in _text_lines(plumb, [c for c, i in zip(chars, inside) if not i],
                                                                with_chars=True)]
        lines += [Line(text=ln["text"], page=number, top=ln["top"], in_table=True)
                  for ln in _text_lines(plumb, [c for c, i in zip(chars, inside) if i])]
    else:
        centres = None
        lines = [_positioned(ln, number) for ln in _text_lines(plumb, chars, with_chars=True)]
    lines.sort(key=lambda ln: ln.top)
    # text of the page outside its tables, page numbers aside: a table with none below it
    # ends its page, one with none above it begins its page, wherever the margins are
    prose = [ln for ln in lines if not ln.in_table and not _PAGE_NUMBER.match(ln.text.strip())]
    segments = []
    for table in found:
        rows = _grid_rows(plumb, table, number, centres)
        if rows:
            cells = [c for r in table.rows for c in r.cells if c]
            boxes = _column_boxes(cells, len(table.columns))
            x_edges = tuple(round(b[0]) for b in boxes) + (round(boxes[-1][2]),)
            above = any(ln.top < table.bbox[1] - 1 for ln in prose)
            below = any(ln.top > table.bbox[3] + 1 for ln in prose)
            segments.append((number, table.bbox[1] / plumb.height, table.bbox[3] / plumb.height, rows, x_edges,
                             above, below))
    return Page(number=number, lines=lines), segments


def _text_lines(plumb, chars: list[dict], with_chars: bool = False) -> list[dict]:
    """pdfplumber's Page.extract_text_lines on these characters."""
    return chars_to_textmap(chars, layout_bbox=plumb.bbox, layout_width=plumb.width,
                            layout_height=plumb.height).extract_text_lines(strip=True, return_chars=with_chars)


def _positioned(ln: dict, number: int) -> Line:
    """A line outside the ruled tables, with its words' positions: a table printed
    without rules is read from them (recognize/texttable.py)."""
    return Line(text=ln["text"], page=number, top=ln["top"], in_table=False, bottom=ln["bottom"],
                words=words_from_chars(ln["chars"]))


class _Finder(TableFinder):
    """pdfplumber's TableFinder with its cell search indexed: the same cells, found
    without comparing every intersection with every later one."""

    def __init__(self, page, settings):
        from pdfplumber.table import TableSettings

        self.page = page
        self.settings = TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(self.edges, self.settings.intersection_x_tolerance,
                                                    self.settings.intersection_y_tolerance)
        self.cells = _intersections_to_cells(self.intersections)
        self.tables = [_PlumberTable(self.page, group) for group in cells_to_tables(self.cells)]


def _intersections_to_cells(intersections: dict) -> list[tuple]:
    """pdfplumber.table.intersections_to_cells, step for step: for each point in
    sorted order, the first (point below, point right) pair in the same order whose
    corners are joined by common edges.  Edge sets and the points below / right of
    each point are computed once instead of on every comparison."""
    from pdfplumber.utils import obj_to_bbox

    v = {p: frozenset(map(obj_to_bbox, e["v"])) for p, e in intersections.items()}
    h = {p: frozenset(map(obj_to_bbox, e["h"])) for p, e in intersections.items()}

    def connects(p1, p2) -> bool:
        return ((p1[0] == p2[0] and not v[p1].isdisjoint(v[p2]))
                or (p1[1] == p2[1] and not h[p1].isdisjoint(h[p2])))

    points = sorted(intersections)
    by_x: dict = {}
    by_y: dict = {}
    for p in points:  # sorted by (x, top): each list ascends as `rest` does
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)
    cells = []
    for pt in points[:-1]:
        below = [q for q in by_x[pt[0]] if q > pt]
        right = [q for q in by_y[pt[1]] if q > pt]
        cell = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


class _Centres:
    """The centres of a page's characters as arrays: which character lies in which
    box is then one vectorised comparison instead of a loop over every character."""

    def __init__(self, chars: list[dict]):
        import numpy as np

        self.chars = chars
        self.x = np.array([(c["x0"] + c["x1"]) / 2 for c in chars], dtype=float)
        self.y = np.array([(c["top"] + c["bottom"]) / 2 for c in chars], dtype=float)

    def half_open(self, box, among=None):
        """pdfplumber's Table.extract test: x0 <= cx < x1 and top <= cy < bottom."""
        x0, top, x1, bottom = box
        mask = (self.x >= x0) & (self.x < x1) & (self.y >= top) & (self.y < bottom)
        return mask if among is None else mask & among

    def closed(self, box):
        x0, top, x1, bottom = box
        return (self.x >= x0) & (self.x <= x1) & (self.y >= top) & (self.y <= bottom)


def _extract(table, centres: _Centres) -> list[list[str | None]]:
    """pdfplumber's Table.extract(), with the character-in-cell tests vectorised
    (the same comparisons on the same floats, so the same text)."""
    import numpy as np

    out = []
    for row in table.rows:
        in_row = centres.half_open(row.bbox)
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            idx = np.flatnonzero(centres.half_open(cell, in_row))
            texts.append(_plumber_text([centres.chars[i] for i in idx]) if len(idx) else "")
        out.append(texts)
    return out


def _grid_rows(plumb, table, number: int, centres: _Centres | None = None) -> list[TableRow]:
    centres = centres or _Centres(plumb.chars)
    rows = [TableRow(cells=list(r), page=number) for r in _extract(table, centres)]
    recover_merged_cells(plumb.chars, plumb.horizontal_edges, plumb.height, table, rows, centres)
    return rows


def recover_merged_cells(chars: list[dict], h_edges: list[dict], page_height: float, table,
                         rows: list[TableRow], centres: _Centres | None = None) -> None:
    """Give a merged cell the text pdfplumber left out.

    `chars` are the page's characters (or OCR words), `h_edges` its horizontal rules.

    A span is a run of rows with no horizontal rule between them in one column.
    Its text is every character inside the column and the span; a span that
    reaches the table's top or bottom also takes characters printed off the page
    (spreadsheet renderers centre a merged cell's text over its whole height, so
    on a page break the text may sit above or below the visible page).
    """
    import numpy as np

    if not chars:
        return
    centres = centres if centres is not None and centres.chars is chars else _Centres(chars)
    row_boxes = [r.bbox for r in table.rows]
    cell_boxes = [c for r in table.rows for c in r.cells if c]
    col_boxes = _column_boxes(cell_boxes, len(table.columns))

    # Characters pdfplumber placed in no cell: the text of undetected merged cells.
    placed = np.zeros(len(chars), dtype=bool)
    for box in cell_boxes:
        placed |= centres.closed(box)
    if placed.all():
        return
    orphan_idx = np.flatnonzero(~placed)
    ox, oy = centres.x[orphan_idx], centres.y[orphan_idx]
    n = len(rows)
    table_top, table_bottom = table.bbox[1], table.bbox[3]
    # A table that runs to the page's edge continues there: a merged cell's centred
    # text may sit in the margin between the grid and the page edge.
    near_top = table_top < _EDGE_MARGIN * page_height
    near_bottom = table_bottom > (1 - _EDGE_MARGIN) * page_height
    for j, (cx0, _, cx1, _) in enumerate(col_boxes):
        mid = (cx0 + cx1) / 2
        rules = [e["top"] for e in h_edges if e["x0"] <= mid <= e["x1"]]

        def ruled(y: float) -> bool:
            return any(abs(t - y) < 1.5 for t in rules)

        spans, start = [], 0
        for i in range(n):
            if i + 1 < n and not ruled(row_boxes[i][3]):
                continue
            spans.append(range(start, i + 1))
            start = i + 1
        def covered(k: int) -> bool:
            """Some detected cell (maybe one merged across columns) spans (row k, column j)."""
            if j < len(rows[k].cells) and rows[k].cells[j]:
                return True
            y = (row_boxes[k][1] + row_boxes[k][3]) / 2
            return any(x0 <= mid <= x1 and top <= y <= bottom for x0, top, x1, bottom in cell_boxes)

        empty = [sp for sp in spans if not any(covered(k) for k in sp)]
        in_column = (ox >= cx0) & (ox <= cx1)
        for span in empty:
            top, bottom = row_boxes[span[0]][1], row_boxes[span[-1]][3]
            # Text printed off the page belongs to the first / last empty span.
            takes_above = span is empty[0] and span[0] <= 1  # at most a header row above
            takes_below = span is empty[-1] and span[-1] == n - 1
            hit = (oy >= top) & (oy <= bottom)
            if takes_above:
                hit |= (oy < table_top) & ((oy < 0) | near_top)
            if takes_below:
                hit |= (oy > table_bottom) & ((oy > page_height) | near_bottom)
            found = [chars[i] for i in orphan_idx[in_column & hit]]
            if found and j < len(rows[span[0]].cells):
                rows[span[0]].cells[j] = _chars_to_text(found)


def _column_boxes(cell_boxes, count: int) -> list[tuple[float, float, float, float]]:
    """Columns from the grid's vertical rules (pdfplumber's column groups include
    horizontally merged cells, which makes them too wide)."""
    xs = sorted({round(b[0], 1) for b in cell_boxes} | {round(max(b[2] for b in cell_boxes), 1)})
    merged: list[float] = []
    for x in xs:
        if not merged or x - merged[-1] > 2:
            merged.append(x)
    top = min(b[1] for b in cell_boxes)
    bottom = max(b[3] for b in cell_boxes)
    boxes = [(a, top, b, bottom) for a, b in zip(merged, merged[1:])]
    return boxes if len(boxes) == count else boxes[:count]


def _chars_to_text(chars) -> str:
    chars = sorted(chars, key=lambda c: (round(c["top"]), c["x0"]))
    out, last_top = [], None
    for c in chars:
        if last_top is not None and abs(c["top"] - last_top) > 2:
            out.append("\n")
        out.append(c["text"])
        last_top = c["top"]
    return "".join(out)


def _join_segments(segments) -> list[Table]:
    """Join a table segment at the top of a page to the previous page's last one.

    The first runs to the bottom of its page, the second starts at the top of the
    next, and both have the same left and right edges: one table.  When the two
    segments rule different columns (merged cells hide some rules on one page), the
    rows of both are laid on the union of their column rules; a cell spanning
    several columns of the union leaves None (merged) in the others.  A header row
    the renderer repeats on the new page is dropped.
    """
    tables: list[Table] = []
    grids: list[tuple[float, ...]] = []
    last = None
    for page, top, bottom, rows, x_edges, *around in segments:
        above = around[0] if around else None
        if last is None or page != last[0] + 1:
            runs_on = False
        elif last[2] > 1 - _EDGE_MARGIN and top < _EDGE_MARGIN:
            runs_on = _same_frame(grids[-1], x_edges) and _like_columns(grids[-1], x_edges)
        else:
            # ended early (its next row too tall for the page) but nothing follows it, and
            # nothing stands above the next page's table: the same columns go on
            runs_on = (last[5] is False and above is False and _same_frame(grids[-1], x_edges)
                       and _same_columns(grids[-1], x_edges))
        if runs_on:
            table, grid = tables[-1], grids[-1]
            if not _same_columns(grid, x_edges):
                union = _union(grid, x_edges)
                for row in table.rows:
                    row.cells = _remap(row.cells, grid, union)
                for row in rows:
                    row.cells = _remap(row.cells, x_edges, union)
                grids[-1] = union
            seen = [r.cells for r in table.rows[:12]]
            if rows and rows[0].cells in seen and len(rows) > 1:
                rows = rows[1:]  # a header row the renderer repeats on every page
            rows[0].continued = True
            _carry_label_back(table.rows, rows[0])
            table.rows.extend(rows)
        else:
            tables.append(Table(rows=list(rows), first_page=page))
            grids.append(x_edges)
        last = (page, top, bottom, rows, x_edges, around[1] if around else None)
    return tables


def _like_columns(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Column rules close enough in number for one table: merged cells hide a few rules
    on one page, but a list of 3 columns above a form of 14 is two tables."""
    return _same_columns(a, b) or min(len(a), len(b)) / max(len(a), len(b), 1) >= 0.6


def _carry_label_back(previous: list[TableRow], first: TableRow) -> None:
    """A merged cell split by the page break whose text shows only on the new page
    (a scan cannot see text centred off the page): the rows of its span on the
    previous page, which have no cell of their own there, get that text too."""
    for j, cell in enumerate(first.cells):
        if not cell:
            continue
        i = len(previous) - 1
        while i >= 0 and j < len(previous[i].cells) and previous[i].cells[j] is None:
            i -= 1
        if i >= 0 and j < len(previous[i].cells) and previous[i].cells[j]:
            continue  # the rows above belong to a merged cell whose text shows on this page
        start = i + 1
        if start < len(previous) and j < len(previous[start].cells) and previous[start].cells[j] is None:
            previous[start].cells[j] = cell


def _same_frame(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return abs(a[0] - b[0]) <= 3 and abs(a[-1] - b[-1]) <= 3


def _same_columns(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    if len(a) != len(b):
        return False
    return all(abs(x - y) <= 3 for x, y in zip(a, b))


def _union(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    out: list[float] = []
    for x in sorted(a + b):
        if not out or x - out[-1] > 3:
            out.append(x)
    return tuple(out)


def _remap(cells: list, edges: tuple[float, ...], union: tuple[float, ...]) -> list:
    if len(cells) != len(edges) - 1:
        return cells  # pdfplumber saw other columns than the rules: leave the row as it is
    out: list = [None] * (len(union) - 1)
    for k, cell in enumerate(cells):
        j = min(range(len(union) - 1), key=lambda i: abs(union[i] - edges[k]))
        out[j] = cell
    return out
