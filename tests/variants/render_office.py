"""Render a generated document with LibreOffice headless: Writer (from HTML, as a Word-made
report) and Calc (from .xlsx, as an Excel-made form: merged cells, wrapped text, fit to
width, header rows repeated on every page or not). Each call gets its own user profile
(`-env:UserInstallation`), so conversions run in parallel safely."""
from __future__ import annotations

import html
import itertools
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from .model import Doc, PageBreak, Para, Table

_counter = itertools.count()
_lock = threading.Lock()
SOFFICE = shutil.which("soffice") or "soffice"


def _convert(src: Path, out_dir: Path, filt: str, infilter: str | None = None, timeout: int = 180) -> Path:
    with _lock:
        n = next(_counter)
    profile = Path(tempfile.gettempdir()) / f"lo_variants_{os.getpid()}_{n}"
    cmd = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    cmd += ["--convert-to", filt, "--outdir", str(out_dir), str(src)]
    try:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = out_dir / (src.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"soffice did not convert {src}")
    return pdf


# ---------------------------------------------------------------- Writer, through HTML

_CSS = {"title": "text-align:center;font-size:{t}pt;font-weight:bold", "subtitle": "text-align:center",
        "h1": "font-size:{h}pt;font-weight:bold", "h2": "font-size:{b}pt;font-weight:bold",
        "body": "text-align:justify;text-indent:2em", "right": "text-align:right", "unit": "text-align:right"}


def to_html(doc: Doc) -> str:
    base = float(doc.style.get("font", 9)) + 1.5
    font = "Noto Serif CJK SC" if doc.style.get("serif") else "Noto Sans CJK SC"
    out = [f'<html><head><meta charset="utf-8"><title>{html.escape(doc.name)}</title>'
           f'<style>body {{ font-family: "{font}"; font-size: {base}pt }} td {{ font-size: {base - 1.5}pt }}</style>'
           f'</head><body>']
    brk = False
    for b in doc.blocks:
        if isinstance(b, PageBreak):
            brk = True
            continue
        pb = "page-break-before:always;" if brk else ""
        brk = False
        if isinstance(b, Para):
            css = _CSS.get(b.style, "").format(t=base + 6, h=base + 2, b=base + 1)
            out.append(f'<p style="{pb}{css}">{html.escape(b.text)}</p>')
        elif isinstance(b, Table):
            border = ' border="1" cellspacing="0"' if b.borders == "grid" else ' border="0" cellspacing="0"'
            total = sum(b.widths)
            # a table of a dozen columns or more (the 决算's 部门整体支出绩效自评表) in a smaller
            # type, as such tables are printed: else Writer runs its last columns off the page,
            # and the truth would hold cells no reader can see
            small = f' style="font-size:{base - 4}pt"' if len(b.widths) >= 12 else ""
            out.append(f'<table{border} cellpadding="3" width="100%" style="{pb}border-collapse:collapse">')
            out.append("<colgroup>" + "".join(f'<col width="{100 * w / total:.0f}%">' for w in b.widths)
                       + "</colgroup>")
            for r, row in enumerate(b.rows):
                if r == 0 and b.header_rows and b.repeat_header:
                    out.append("<thead>")
                cells = []
                for cell in row:
                    if cell is None:
                        continue
                    span = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + \
                           (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "")
                    cells.append(f'<td{span}{small} align="{cell.align}" valign="middle">{html.escape(cell.text)}</td>')
                out.append("<tr>" + "".join(cells) + "</tr>")
                if b.header_rows and b.repeat_header and r == b.header_rows - 1:
                    out.append("</thead><tbody>")
            if b.header_rows and b.repeat_header:
                out.append("</tbody>")
            out.append("</table><p></p>")
    out.append("</body></html>")
    return "\n".join(out)


def render_writer(doc: Doc, path: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / (path.stem + ".html")
        src.write_text(to_html(doc), encoding="utf-8")
        pdf = _convert(src, Path(tmp), "pdf:writer_pdf_Export", infilter="HTML (StarWriter)")
        shutil.move(str(pdf), path)
    return path


# ---------------------------------------------------------------- Calc, through .xlsx

def _column_map(widths: list[float], sheet: list[float]) -> list[tuple[int, int]]:
    """The sheet columns (1-based, first..last) each table column covers: a table of fewer
    columns than the sheet spreads over it, each column getting the run of sheet columns
    closest to its share of the width."""
    if len(widths) >= len(sheet):
        return [(c, c) for c in range(1, len(widths) + 1)]
    want = [w / sum(widths) for w in widths]
    have = [w / sum(sheet) for w in sheet]
    best, best_err = None, None
    for cuts in itertools.combinations(range(1, len(sheet)), len(widths) - 1):
        bounds = (0,) + cuts + (len(sheet),)
        err = sum((sum(have[bounds[j]:bounds[j + 1]]) - want[j]) ** 2 for j in range(len(widths)))
        if best_err is None or err < best_err:
            best, best_err = bounds, err
    return [(best[j] + 1, best[j + 1]) for j in range(len(widths))]


def _text_width(text: str) -> float:
    """Width in CJK characters: ASCII counts half."""
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)


def to_xlsx(doc: Doc, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    ncols = max(len(b.widths) for b in doc.blocks if isinstance(b, Table))
    wide = max((b for b in doc.blocks if isinstance(b, Table)), key=lambda t: len(t.widths))
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    total = sum(wide.widths)
    page_chars = 150 if doc.style.get("landscape") else 105
    for c, w in enumerate(wide.widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = page_chars * w / total
    size = float(doc.style.get("font", 9)) + 1
    font = Font(name="Noto Sans CJK SC" if not doc.style.get("serif") else "Noto Serif CJK SC", size=size)
    thin = Side(style="thin", color="000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    r = 1
    repeat = None
    for b in doc.blocks:
        if isinstance(b, PageBreak):
            ws.row_breaks.append(Break(id=r - 1))
            continue
        if isinstance(b, Para):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
            cell = ws.cell(r, 1, b.text)
            big = b.style == "title"
            cell.font = Font(name=font.name, size=size + (6 if big else 0), bold=big)
            cell.alignment = Alignment(horizontal={"title": "center", "subtitle": "center", "unit": "right",
                                                   "right": "right"}.get(b.style, "left"),
                                       vertical="center", wrap_text=True)
            lines = max(1, int(_text_width(b.text) * 2 * (size + (6 if big else 0)) / 11 / page_chars) + 1)
            ws.row_dimensions[r].height = (size + (6 if big else 0)) * 1.5 * lines
            r += 1
            continue
        # a table: its columns are mapped onto the sheet's first len(widths) columns; the last one
        # absorbs the rest so every table spans the page
        cols = _column_map(b.widths, wide.widths)
        heights = [1] * len(b.rows)  # lines per row, from the wrapped text of its cells
        for i, row in enumerate(b.rows):
            for c, cell in enumerate(row):
                if cell is None or not cell.text:
                    continue
                first, last = cols[c][0], cols[c + cell.colspan - 1][1]
                width = sum(ws.column_dimensions[get_column_letter(x)].width for x in range(first, last + 1))
                per_line = max(1.0, width / (2.0 * size / 11) - 1)
                lines = -(-_text_width(cell.text) // per_line)
                per_row = -(-lines // cell.rowspan)
                for x in range(i, i + cell.rowspan):
                    heights[x] = max(heights[x], int(per_row))
        for i in range(len(b.rows)):
            ws.row_dimensions[r + i].height = heights[i] * size * 1.45 + 4
        for i, row in enumerate(b.rows):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                first, last = cols[c][0], cols[c + cell.colspan - 1][1]
                if last > first or cell.rowspan > 1:
                    ws.merge_cells(start_row=r + i, start_column=first, end_row=r + i + cell.rowspan - 1,
                                   end_column=last)
                x = ws.cell(r + i, first, cell.text)
                x.font = font
                # figures stay on one line, as number cells do in Excel
                x.alignment = Alignment(horizontal=cell.align, vertical="center", wrap_text=cell.align != "right")
            if b.borders == "grid":
                for c in range(1, ncols + 1):
                    ws.cell(r + i, c).border = grid
        if b.header_rows and b.repeat_header and repeat is None:
            repeat = f"{r}:{r + b.header_rows - 1}"
        r += len(b.rows) + 1
    if repeat:
        ws.print_title_rows = repeat
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if doc.style.get("landscape") else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True   # fit to width, as many pages tall as it takes
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    footer = doc.style.get("footer")
    if footer:  # Excel's codes: &P page, &N pages
        ws.oddFooter.center.text = footer.replace("{p}", "&P").replace("{n}", "&N")
        ws.oddFooter.center.size = 9
    wb.save(path)
    return path


def render_calc(doc: Doc, path: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        src = to_xlsx(doc, Path(tmp) / (path.stem + ".xlsx"))
        pdf = _convert(src, Path(tmp), "pdf:calc_pdf_Export")
        shutil.move(str(pdf), path)
    return path
