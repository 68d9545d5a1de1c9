"""A pdfplumber page whose characters and ruling lines come from PDFium.

pdfminer parses a grid page in Python, which is most of what reading a long
report costs; PDFium (C++) reads the same page in a few milliseconds.  This module
reads a page's characters and path objects through pypdfium2's raw API and builds
the dicts pdfplumber's own Page would build from pdfminer's layout, so the rest of
the reader (dedupe_chars, find_tables, extract_text_lines, filter) is pdfplumber's
unchanged code and gives the same rows:

- a character's box is PDFium's "loose" box: from the origin to origin + advance,
  the font size high, as pdfminer's LTChar;
- paths are split into subpaths and classified into line / rect / curve the way
  pdfminer's `paint_path` does, with the same points, so pdfplumber derives the
  same edges from them.

`pdfium_page` returns None where the page is outside what this reproduces
(rotated pages or text, a MediaBox not at the origin, glyphs without a Unicode
mapping): the caller reads that page with pdfminer instead.
"""
from __future__ import annotations

import ctypes
import re

import pypdfium2.raw as raw
from pdfplumber.page import Page as PlumberPage

_SEGMENT_OPS = {raw.FPDF_SEGMENT_MOVETO: "m", raw.FPDF_SEGMENT_LINETO: "l", raw.FPDF_SEGMENT_BEZIERTO: "c"}


class Unsupported(Exception):
    """The page has something this reader does not reproduce exactly."""


class PdfiumPage(PlumberPage):
    """A pdfplumber Page built from precomputed objects (no pdfminer page behind it)."""

    is_original = True

    def __init__(self, objects: dict, width: float, height: float, page_number: int):
        self.pdf = None
        self.page_obj = None
        self.root_page = self
        self.page_number = page_number
        self.initial_doctop = 0
        self.rotation = 0
        self.mediabox = self.cropbox = self.bbox = (0, 0, width, height)
        self._objects = objects
        from functools import lru_cache

        self.get_textmap = lru_cache()(self._get_textmap)

    def close(self) -> None:
        self.flush_cache()
        self.get_textmap.cache_clear()


def pdfium_page(pdf, number: int) -> PdfiumPage:
    """Page `number` (1-based) of an open pypdfium2 PdfDocument, or Unsupported."""
    page = pdf[number - 1]
    try:
        if page.get_rotation() % 360:
            raise Unsupported("rotated page")
        x0, y0, x1, y1 = page.get_mediabox()
        if abs(x0) > 1e-6 or abs(y0) > 1e-6:
            raise Unsupported("MediaBox not at the origin")
        width, height = x1 - x0, y1 - y0
        textpage = page.get_textpage()
        try:
            seen: set[int] = set()
            chars = _chars(textpage.raw, height, number, seen)
            objects = {"char": chars, "rect": [], "line": [], "curve": [], "space": []}
            identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            for i in range(raw.FPDFPage_CountObjects(page.raw)):
                _walk(raw.FPDFPage_GetObject(page.raw, i), identity, height, number, objects, seen)
        finally:
            textpage.close()
        _add_spaces(objects, height)
        return PdfiumPage(objects, width, height, number)
    finally:
        page.close()


def _chars(tp, height: float, number: int, objects_seen: set[int]) -> list[dict]:
    """pdfminer's LTChar boxes: x from the origin over the advance, y from the
    baseline plus the font's descent, the font size high.  `objects_seen` gets
    the text objects that have glyphs in the text page."""
    box = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    descent = ctypes.c_float()
    # What the glyphs of one text object share: font, size, matrix (one call each).
    per_object: dict[int, tuple] = {}
    fonts: dict = {}
    out: list[dict] = []
    space = None  # (x, the glyph before it): a generated space waiting for the next glyph
    objs: list[int] = []  # the text object of each glyph in `out`
    count = raw.FPDFText_CountChars(tp)
    buf = (ctypes.c_ushort * (count + 1))()
    raw.FPDFText_GetText(tp, 0, count, buf)  # every character's UTF-16 unit in one call
    codes = buf[:count]
    get_box, get_origin, get_object = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharOrigin, raw.FPDFText_GetTextObject
    map_error, void_p = raw.FPDFText_HasUnicodeMapError, ctypes.c_void_p
    i = 0
    while i < count:
        k = i
        i += 1
        code = codes[k]
        if code == 0xFFFE:  # GetText's mark for a hyphen PDFium found at a line end
            code = raw.FPDFText_GetUnicode(tp, k)
        if code in (0x20, 0x0D, 0x0A) and raw.FPDFText_IsGenerated(tp, k) == 1:
            # A space or line break PDFium made up (pdfminer has no glyph there) - or
            # a space glyph of the content, which PDFium also reports as generated.
            # Between two glyphs of one text object it is the glyph; see _add_spaces
            # for spaces in text objects of their own.
            if code == 0x20 and out and space is None:
                get_origin(tp, k, ox, oy)
                space = (ox.value, out[-1])
            continue
        if map_error(tp, k) == 1 or code in (0, 0xFFFD, 0xFFFE):
            raise Unsupported("a glyph without a Unicode mapping")
        if code == 0x02 and raw.FPDFText_IsHyphen(tp, k) == 1:
            text = "-"  # PDFium marks a hyphen that ends a line
        elif 0xD800 <= code < 0xDC00 and i < count:  # a surrogate pair: one character
            i += 1
            text = chr(0x10000 + ((code - 0xD800) << 10) + (codes[k + 1] - 0xDC00))
        else:
            text = chr(code)
        if not get_box(tp, k, box) or not get_origin(tp, k, ox, oy):
            raise Unsupported("a character without a box")
        key = ctypes.cast(get_object(tp, k), void_p).value or 0
        shared = per_object.get(key)
        if shared is None:
            if not raw.FPDFText_GetMatrix(tp, k, matrix):
                raise Unsupported("a character without a matrix")
            if matrix.b != 0 or matrix.c != 0 or matrix.a <= 0 or matrix.d <= 0:
                raise Unsupported("rotated or mirrored text")
            size = raw.FPDFText_GetFontSize(tp, k) * matrix.d
            fontname, down = _font(raw.FPDFText_GetTextObject(tp, k), size, descent, fonts)
            shared = per_object[key] = (fontname, down, size,
                                        (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f))
            objects_seen.add(key)
        fontname, down, size, mat = shared
        bottom = height - oy.value + down
        top = bottom - size
        x0, x1 = box.left, box.right
        if space is not None:
            sx, prev = space
            space = None
            if prev is out[-1] and objs[-1] == key and prev["x1"] - 0.01 <= sx < x0 and prev["top"] == top:
                out.append({**prev, "text": " ", "x0": sx, "x1": x0, "width": x0 - sx, "adv": x0 - sx})
                objs.append(key)
        objs.append(key)
        out.append({
            "text": text, "fontname": fontname, "size": size, "upright": True,
            "x0": x0, "x1": x1, "y0": height - bottom, "y1": height - top,
            "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0, "height": size, "adv": x1 - x0,
            "matrix": mat, "object_type": "char", "page_number": number,
        })
    return out


def _font(textobj, size: float, descent, known: dict | None = None) -> tuple[str, float]:
    """(base font name, descent below the baseline in points at `size`); `known`
    keeps what a page's fonts answered (a page may hold a text object per glyph)."""
    font = raw.FPDFTextObj_GetFont(textobj)
    if not font:
        return "", 0.0
    key = (ctypes.cast(font, ctypes.c_void_p).value, size)
    if known is not None and key in known:
        return known[key]
    n = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buf = ctypes.create_string_buffer(max(n, 1))
    raw.FPDFFont_GetBaseFontName(font, buf, n)
    down = -descent.value if raw.FPDFFont_GetDescent(font, ctypes.c_float(size), descent) else 0.0
    answer = buf.value.decode("utf-8", "replace"), down
    if known is not None:
        known[key] = answer
    return answer


def _matrix(obj) -> tuple[float, ...]:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        raise Unsupported("an object without a matrix")
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """inner, then outer (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _walk(obj, outer: tuple[float, ...], height: float, number: int, objects: dict, seen: set[int],
          in_form: bool = False) -> None:
    kind = raw.FPDFPageObj_GetType(obj)
    if kind == raw.FPDF_PAGEOBJ_FORM:
        m = _compose(_matrix(obj), outer)
        for i in range(raw.FPDFFormObj_CountObjects(obj)):
            _walk(raw.FPDFFormObj_GetObject(obj, i), m, height, number, objects, seen, True)
    elif kind == raw.FPDF_PAGEOBJ_TEXT:
        if in_form:
            raise Unsupported("text in a form XObject")  # its glyph boxes are not reproduced
        if (ctypes.cast(obj, ctypes.c_void_p).value or 0) not in seen:  # no glyph in the text page:
            _blank_text(obj, outer, height, number, objects)  # spaces, or a repeated object
    elif kind == raw.FPDF_PAGEOBJ_PATH:
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        if not raw.FPDFPath_GetDrawMode(obj, fill, stroke):
            raise Unsupported("a path without a draw mode")
        if fill.value == raw.FPDF_FILLMODE_NONE and not stroke.value:
            return  # a clipping path only ('n'): pdfminer paints nothing
        _paint_path(_segments(obj, _compose(_matrix(obj), outer)), height, number, objects)


def _blank_text(obj, outer: tuple[float, ...], height: float, number: int, objects: dict) -> None:
    """A text object of spaces: pdfminer has a space character there, PDFium's text
    page has none (or a generated one it cannot tell from the spaces it infers).
    A space splits words where the gap alone would not: it must be there."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top) or right.value - left.value > 1e-3:
        return  # glyphs with a width: fake bold's second copy, which PDFium leaves out
    size = ctypes.c_float()
    if not raw.FPDFTextObj_GetFontSize(obj, size) or size.value <= 0:
        raise Unsupported("a text object of spaces without a font size")
    a, b, c, d, e, f = outer
    if b != 0 or c != 0 or a <= 0 or d <= 0:
        raise Unsupported("a rotated form")
    x, y = left.value * a + e, bottom.value * d + f
    descent = ctypes.c_float()
    _, down = _font(obj, size.value * d, descent)
    objects["space"].append((x, height - y + down, size.value * d))


def _add_spaces(objects: dict, height: float) -> None:
    """Space characters, as wide as the gap to the next character on their line."""
    spaces = objects.pop("space")
    if not spaces:
        return
    chars = objects["char"]
    for x, bottom, size in spaces:
        template = min(chars, key=lambda ch: abs(ch["bottom"] - bottom) + abs(ch["x1"] - x), default=None)
        after = [ch["x0"] for ch in chars if abs(ch["bottom"] - bottom) < size / 2 and ch["x0"] >= x - 0.01]
        x1 = min(after) if after else x + size / 4
        base = template or {"fontname": "", "matrix": (1, 0, 0, 1, 0, 0), "object_type": "char",
                            "upright": True, "page_number": None}
        top = bottom - size
        chars.append({**base, "text": " ", "x0": x, "x1": x1, "width": x1 - x, "adv": x1 - x, "size": size,
                      "height": size, "top": top, "bottom": bottom, "doctop": top,
                      "y0": height - bottom, "y1": height - top})


def _segments(path, m: tuple[float, ...]) -> list[tuple]:
    """The path as pdfminer's (op, x, y) list in page space: 'c' for each Bézier
    (its end point), 'h' after a segment that closes its subpath."""
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    out: list[tuple] = []
    pending_bezier = 0
    for i in range(raw.FPDFPath_CountSegments(path)):
        seg = raw.FPDFPath_GetPathSegment(path, i)
        op = _SEGMENT_OPS.get(raw.FPDFPathSegment_GetType(seg))
        if op is None or not raw.FPDFPathSegment_GetPoint(seg, x, y):
            raise Unsupported("an unknown path segment")
        # float32 inside PDFium: rounded, so a rule at x.5 rounds as pdfminer's double does
        px, py = round(x.value * a + y.value * c + e, 3), round(x.value * b + y.value * d + f, 3)
        if op == "c":
            pending_bezier += 1  # PDFium stores a curve as three points: two controls, the end
            if pending_bezier < 3:
                continue
            pending_bezier = 0
        out.append((op, px, py))
        if raw.FPDFPathSegment_GetClose(seg):
            out.append(("h",))
    return out


def _paint_path(path: list[tuple], height: float, number: int, objects: dict) -> None:
    """pdfminer's PDFLayoutAnalyzer.paint_path: one line, rect or curve per subpath."""
    shape = "".join(p[0] for p in path)
    if shape[:1] != "m":
        return
    if shape.count("m") > 1:
        for m in re.finditer(r"m[^m]+", shape):
            _paint_path(path[m.start(0):m.end(0)], height, number, objects)
        return
    pts = [p[-2:] if p[0] != "h" else path[0][-2:] for p in path]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in {"mlh", "ml"}:
        objects["line"].append(_shape("line", pts[:2], height, number))
    elif shape in {"mlllh", "mllll"}:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            objects["rect"].append(_shape("rect", [pts[0], pts[2]], height, number))
        else:
            objects["curve"].append(_shape("curve", pts, height, number))
    else:
        objects["curve"].append(_shape("curve", pts, height, number))


def _shape(kind: str, pts: list[tuple[float, float]], height: float, number: int) -> dict:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    obj = {"object_type": kind, "page_number": number, "x0": x0, "x1": x1, "y0": y0, "y1": y1,
           "top": height - y1, "bottom": height - y0, "doctop": height - y1,
           "width": x1 - x0, "height": y1 - y0}
    if kind != "rect":
        obj["pts"] = [(x, height - y) for x, y in pts]
    return obj
