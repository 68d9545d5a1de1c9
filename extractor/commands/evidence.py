"""The printed evidence of a failing check: crops of the PDF page, rendered by PDFium,
with the figures involved highlighted, for the HTML report.

A check names its subject and page; the rows of that subject carry the box of their
figures (output/provenance.py).  The crop shows the row with the printed figure the check
reports outlined in red (searched on the page, nearest the row) and the row's other
figures in yellow.  A narrative-vs-table check gets two crops: the sentence and the
table line.  Crops are small JPEGs (a strip of the page at 1.3×) inlined as data URIs.
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

from ..output.provenance import Box, PageText, figure_box, row_box
from ..tables import ROW_TABLES

SCALE = 1.3           # pixels per PDF point: 96 dpi ≈ 1.33
MARGIN_X, MARGIN_Y = 50.0, 36.0
JPEG_QUALITY = 60
NARRATIVE_CHECKS = {"budget.narrative", "project.narrative"}


@dataclass
class Crop:
    page: int
    box: Box | None        # the reported figure's box (PDF points, top-left origin), if found
    row: Box | None        # the row's box
    uri: str               # data:image/jpeg;base64,…
    width: int
    height: int
    label: str             # which place this is: "narrative" / "table" / ""
    figure: str | None     # the figure searched for


def subject_of(table: str, row: dict) -> str | None:
    """The subject extractor.checks gives a row of `table`."""
    if table == "budget":
        return " / ".join(p for p in (row.get("project"), row.get("fund_source")) if p) or None
    key = {"projects": "name", "tasks": "task", "indicators": "name", "scores": "level3", "counts": "what"}[table]
    return row.get(key)


class Renderer:
    """Opens each PDF once; renders crops for the checks of its document."""

    def __init__(self, path: str | Path, password: str | None = None):
        import pypdfium2 as pdfium

        self.pdf = pdfium.PdfDocument(str(path), password=password or None)
        self._pages: dict[int, PageText] = {}

    def close(self) -> None:
        for p in self._pages.values():
            p.close()
        self.pdf.close()

    def page(self, number: int) -> PageText | None:
        if not 1 <= number <= len(self.pdf):
            return None
        if number not in self._pages:
            self._pages[number] = PageText(self.pdf, number)
        return self._pages[number]

    def crops(self, check: dict, rows: dict[str, list[dict]]) -> list[Crop]:
        """The crops for one check: its rows' places, or the reported figure's page."""
        subject = check.get("subject")
        mine = [(t, r) for t in ROW_TABLES for r in rows.get(t, []) if subject_of(t, r) == subject and row_box(r)]
        if check.get("check") in NARRATIVE_CHECKS:
            narrative = [r for _, r in mine if r.get("source") == "narrative"]
            table = [r for _, r in mine if r.get("source") == "table"]
            out = []
            # budget.narrative: expected = the table's figure, reported = the narrative's
            for label, found, figure in (("narrative", narrative, check.get("reported")),
                                         ("table", table, check.get("expected"))):
                if found:
                    row = _nearest_page(found, check.get("page"))
                    crop = self.crop(row["page"], row_box(row), figure, label)
                    if crop:
                        out.append(crop)
            if out:
                return out
        on_page = [r for _, r in mine if r.get("page") == check.get("page")]
        if on_page:
            row = _best_row(on_page, check)
            crop = self.crop(row["page"], row_box(row), check.get("reported"), "")
        else:
            crop = self.crop(check.get("page"), None, check.get("reported"), "")
        return [crop] if crop else []

    def crop(self, number: int | None, row: Box | None, figure: str | None, label: str) -> Crop | None:
        page = self.page(number) if number else None
        if page is None:
            return None
        box = figure_box(page, figure, near=row) if figure else None
        region = row.union(box) if row and box else row or box
        if region is None:
            return None
        x0, top = max(0.0, region.x0 - MARGIN_X), max(0.0, region.top - MARGIN_Y)
        x1, bottom = min(page.width, region.x1 + MARGIN_X), min(page.height, region.bottom + MARGIN_Y)
        # crop = what to cut off each side, in points: left, bottom, right, top
        bitmap = page.page.render(scale=SCALE, crop=(x0, page.height - bottom, page.width - x1, top))
        image = bitmap.to_pil().convert("RGB")
        bitmap.close()
        _highlight(image, row, box, x0, top)
        buf = io.BytesIO()
        image.save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        uri = "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
        return Crop(number, box, row, uri, image.width, image.height, label, figure)


def _highlight(image, row: Box | None, box: Box | None, x0: float, top: float) -> None:
    from PIL import Image, ImageDraw

    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)

    def px(b: Box, pad: float):
        return ((b.x0 - x0 - pad) * SCALE, (b.top - top - pad) * SCALE,
                (b.x1 - x0 + pad) * SCALE, (b.bottom - top + pad) * SCALE)

    if row:
        draw.rectangle(px(row, 2), fill=(255, 214, 0, 60), outline=(230, 160, 0, 255), width=1)
    if box:
        draw.rectangle(px(box, 1.5), fill=(255, 60, 60, 28), outline=(210, 20, 20, 255), width=2)
    image.paste(Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB"))


def _nearest_page(rows: list[dict], page: int | None) -> dict:
    return min(rows, key=lambda r: abs((r.get("page") or 0) - (page or 0)))


def _best_row(rows: list[dict], check: dict) -> dict:
    """Of the subject's rows on the page, one whose printed figures hold the reported one."""
    reported = "".join(str(check.get("reported") or "").split()).removesuffix("万元").removesuffix("%")
    for r in rows:
        if reported and reported in (r.get("printed") or ""):
            return r
    return rows[0]
