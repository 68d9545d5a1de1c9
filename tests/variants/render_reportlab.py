"""Render a generated document with reportlab (Platypus): ruled grids, borderless or
rules-only tables, tables broken over pages with or without a repeated header, merged
cells, labels wrapping in narrow columns. CJK through the CID font STSong-Light."""
from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, PageBreak as RLPageBreak, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as RLTable, TableStyle
from reportlab.platypus.doctemplate import LayoutError
from xml.sax.saxutils import escape

from .model import Doc, PageBreak, Para, Table

import threading

from reportlab import rl_config

rl_config.invariant = 1  # no dates or random ids in the file: the same seed gives the same bytes
_LOCK = threading.Lock()  # Platypus keeps module state: one document at a time
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def _pstyle(name, size, align=TA_LEFT, lead=1.35, bold=False, space=0):
    return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=size * lead, alignment=align,
                          wordWrap="CJK", spaceAfter=space)


def _styles(base: float):
    return {"title": _pstyle("t", base + 7, TA_CENTER, space=4), "subtitle": _pstyle("s", base + 1, TA_CENTER, space=4),
            "h1": _pstyle("h1", base + 3, space=4), "h2": _pstyle("h2", base + 1.5, space=3),
            "body": _pstyle("b", base + 1.5, TA_JUSTIFY, lead=1.6, space=4),
            "right": _pstyle("r", base, TA_RIGHT), "unit": _pstyle("u", base, TA_RIGHT, space=2)}


def _table(t: Table, width: float, spans: bool):
    cell_styles = {a: _pstyle(f"c{a}", t.font, _ALIGN[a], lead=1.25) for a in _ALIGN}
    data, cmds = [], []
    for r, row in enumerate(t.rows):
        out = []
        for c, cell in enumerate(row):
            if cell is None:
                out.append("")
                continue
            out.append(Paragraph(escape(cell.text), cell_styles[cell.align]))
            if (cell.colspan > 1 or cell.rowspan > 1) and (spans or cell.rowspan == 1):
                cmds.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
            elif cell.colspan > 1:
                cmds.append(("SPAN", (c, r), (c + cell.colspan - 1, r)))
        data.append(out)
    total = sum(t.widths)
    widths = [width * w / total for w in t.widths]
    cmds += [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
             ("RIGHTPADDING", (0, 0), (-1, -1), 2.5), ("TOPPADDING", (0, 0), (-1, -1), 2),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if t.borders == "grid":
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif t.borders == "rules":
        cmds += [("LINEABOVE", (0, 0), (-1, 0), 1, colors.black), ("LINEBELOW", (0, -1), (-1, -1), 1, colors.black)]
        if t.header_rows:
            cmds.append(("LINEBELOW", (0, t.header_rows - 1), (-1, t.header_rows - 1), 0.5, colors.black))
    repeat = t.header_rows if t.repeat_header else 0
    return RLTable(data, colWidths=widths, repeatRows=repeat, style=TableStyle(cmds), splitByRow=1)


def render(doc: Doc, path: Path) -> Path:
    size = landscape(A4) if doc.style.get("landscape") else A4
    margin = 18 * mm
    base = float(doc.style.get("font", 9))
    st = _styles(base)

    def story(spans: bool):
        out, pending = [], None
        for b in doc.blocks:
            if isinstance(b, PageBreak):
                out.append(RLPageBreak())
            elif isinstance(b, Para):
                p = Paragraph(escape(b.text), st.get(b.style, st["body"]))
                if b.keep:
                    pending = p
                    continue
                out.append(p)
            elif isinstance(b, Table):
                tbl = _table(b, size[0] - 2 * margin, spans)
                if pending is not None:  # the unit line stays above its table's first rows
                    out.append(pending)
                    pending = None
                out += [tbl, Spacer(1, 6)]
        return out

    kw = dict(pagesize=size, leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin,
              title=doc.name, author=doc.department)
    footer = doc.style.get("footer")
    pages = {"n": 0}

    def on_page(canvas, d):
        if not footer:
            return
        text = footer.format(p=d.page, n=pages["n"] or "")
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(size[0] / 2, margin / 2, text)

    def build(spans: bool):
        SimpleDocTemplate(str(path), **kw).build(story(spans), onFirstPage=on_page, onLaterPages=on_page)

    with _LOCK:
        try:
            spans = True
            build(spans)
        except LayoutError:  # a merged cell taller than a page: print it unmerged, as Word does when it must
            spans = False
            build(spans)
        if footer and "{n}" in footer:  # 共N页 needs the page count: lay out twice
            import pypdfium2 as pdfium
            d = pdfium.PdfDocument(str(path))
            pages["n"] = len(d)
            d.close()
            build(spans)
    return path
