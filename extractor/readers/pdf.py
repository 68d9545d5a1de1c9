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

from .geometry import EDGE_MARGIN, Centres, column_boxes, join_segments, recover_merged_cells
from .layout import words_from_chars
from .processes import die_with_parent
from ..model import Document, Line, Page, TableRow

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
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
        return Document(path=str(path), format="pdf", pages=pages, tables=join_segments(segments))
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
            runs_on = page_segments and (page_segments[-1][2] > 1 - EDGE_MARGIN
                                         or tuple(page_segments[-1][6:7]) == (False,))  # nothing after it
            # a wanted page with no ruled grid may hold a borderless table that runs on
            # without its header: the next page gets word positions too (not further)
            borderless = not page_segments and number in wanted and page.has_text
            if (runs_on or borderless) and number < len(pages) and number + 1 not in done:
                todo.insert(0, number + 1)
    segments.sort(key=lambda s: s[0])
    return Document(path=str(path), format="pdf", pages=pages, tables=join_segments(segments))


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
    return Document(path=str(path), format="pdf", pages=pages, tables=join_segments(segments))


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
        centres = Centres(chars)
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
            boxes = column_boxes(cells, len(table.columns))
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


def _extract(table, centres: Centres) -> list[list[str | None]]:
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


def _grid_rows(plumb, table, number: int, centres: Centres | None = None) -> list[TableRow]:
    centres = centres or Centres(plumb.chars)
    rows = [TableRow(cells=list(r), page=number) for r in _extract(table, centres)]
    recover_merged_cells(plumb.chars, plumb.horizontal_edges, plumb.height, table, rows, centres)
    return rows
