"""PDFs the tests make themselves: text pages (reportlab, with a CID font that
needs no font file) and hand-written hostile files."""
from __future__ import annotations

import zlib
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def text_pdf(path: Path, pages: list[list[str]], *, encrypt=None, pagesize=A4) -> Path:
    c = canvas.Canvas(str(path), pagesize=pagesize, encrypt=encrypt)
    for lines in pages:
        c.setFont(FONT, 11)
        y = pagesize[1] - 60
        for line in lines:
            c.drawString(50, y, line)
            y -= 18
        c.showPage()
    c.save()
    return path


def image_only_pdf(path: Path, pages: int = 2) -> Path:
    """Pages with only graphics, as a scan without OCR would be."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        for k in range(40):
            c.rect(50 + k * 10, 100 + k * 15, 8, 12, fill=1)
        c.showPage()
    c.save()
    return path


def _raw_pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _one_page(content: bytes, *, mediabox: str = "[0 0 595 842]", filter_: str = "", extra: str = "") -> list[bytes]:
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox {mediabox} /Contents 4 0 R "
         f"/Resources << /Font << /F1 5 0 R >> {extra} >> >>").encode(),
        f"<< /Length {len(content)} {filter_} >>\nstream\n".encode() + content + b"\nendstream",
        font,
    ]


def bomb_pdf(path: Path, inflated_mb: int = 768) -> Path:
    """A small file whose page content inflates to `inflated_mb` MiB."""
    comp = zlib.compressobj(6)
    chunk = b" " * (1 << 20)
    data = b"".join(comp.compress(chunk) for _ in range(inflated_mb)) + comp.flush()
    path.write_bytes(_raw_pdf(_one_page(data, filter_="/Filter /FlateDecode")))
    return path


def nested_pdf(path: Path, depth: int = 100_000) -> Path:
    """Resources holding an array nested `depth` levels deep."""
    content = b"BT /F1 12 Tf 72 720 Td (nested) Tj ET"
    objs = _one_page(content, extra="/Deep " + "[" * depth + "]" * depth)
    path.write_bytes(_raw_pdf(objs))
    return path


def huge_page_pdf(path: Path) -> Path:
    """A page 200 km wide, with one line of text."""
    content = b"BT /F1 12 Tf 72 720 Td (huge page) Tj ET"
    path.write_bytes(_raw_pdf(_one_page(content, mediabox="[0 0 14400000 14400000]")))
    return path


def ascii_pdf(path: Path, lines: list[str], *, encrypt=None) -> Path:
    """A page of plain Latin text (Helvetica): for encryption tests, where
    reportlab's CID fonts lose their text mapping."""
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    c.setFont("Helvetica", 11)
    for i, line in enumerate(lines):
        c.drawString(50, 780 - 18 * i, line)
    c.showPage()
    c.save()
    return path


def report_pdf(path: Path, paragraphs: list[str], tables: list[dict]) -> Path:
    """A report in the national-template style: paragraphs, then one 项目支出绩效自评表
    per entry of `tables` (title lines, then rows of cell texts; a cell text with
    '\\n' wraps there).  Long tables break across pages; no header is repeated."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=13, alignment=1)
    story = [Paragraph(p, body) for p in paragraphs]
    for t in tables:
        story.append(Spacer(1, 12))
        story += [Paragraph(line, title) for line in t["title"]]
        rows = [[Paragraph((c or "").replace("\n", "<br/>"), cell) for c in row] for row in t["rows"]]
        table = Table(rows, colWidths=t.get("widths"), repeatRows=0)
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        style += [("SPAN", *span) for span in t.get("spans", [])]
        table.setStyle(TableStyle(style))
        story.append(table)
    SimpleDocTemplate(str(path), pagesize=A4, topMargin=50, bottomMargin=50).build(story)
    return path
