"""Grid geometry shared by the PDF and OCR readers: which character lies in which
cell, the text of merged cells pdfplumber leaves out, and tables joined over page
breaks.  Both readers import it; it imports neither."""

from __future__ import annotations

from ..model import Table, TableRow

# Up to this far from the page edge, a table counts as running off / onto the page.
EDGE_MARGIN = 0.2


class Centres:
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


def recover_merged_cells(chars: list[dict], h_edges: list[dict], page_height: float, table,
                         rows: list[TableRow], centres: Centres | None = None) -> None:
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
    centres = centres if centres is not None and centres.chars is chars else Centres(chars)
    row_boxes = [r.bbox for r in table.rows]
    cell_boxes = [c for r in table.rows for c in r.cells if c]
    col_boxes = column_boxes(cell_boxes, len(table.columns))

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
    near_top = table_top < EDGE_MARGIN * page_height
    near_bottom = table_bottom > (1 - EDGE_MARGIN) * page_height
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


def column_boxes(cell_boxes, count: int) -> list[tuple[float, float, float, float]]:
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


def join_segments(segments) -> list[Table]:
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
        elif last[2] > 1 - EDGE_MARGIN and top < EDGE_MARGIN:
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
