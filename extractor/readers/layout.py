"""Word positions of a line: what a table without ruling lines is read from.

Both PDF lines (characters with their boxes) and text laid out with spaces
(`pdftotext -layout`: a wide gap is two or more spaces) give words with x ranges.
"""
from __future__ import annotations

import re

from ..model import Word


def words_from_chars(chars: list[dict], gap: float | None = None) -> list[Word]:
    """Characters of one line -> words, split where the gap between two characters
    is wider than `gap` (default: half the font size)."""
    words: list[Word] = []
    text, x0, x1, size = "", None, None, None
    spaced = False  # a space character stood since the last glyph
    for ch in sorted(chars, key=lambda c: c["x0"]):
        c = ch.get("text", "")
        if not c.strip():
            spaced = True
            continue
        size = float(ch.get("size") or 10)
        limit = gap if gap is not None else (0.6 if spaced else 0.5) * size
        far = ch["x0"] - x1 > limit if text else False
        # a figure touching a word of another cell (5 | 绩效…) splits; one space apart
        # inside a cell (任务 1) does not
        touching = text and not spaced and ch["x0"] - x1 > 0.1 * size and _figure_meets_word(text[-1], c)
        # two figures of cells side by side (4.71 | 90%得…): a number's digits touch, these
        # stand a third of a character apart or more
        touching = touching or (text and not spaced and text[-1].isdigit() and c.isdigit()
                                and ch["x0"] - x1 > 0.3 * size)
        spaced = False
        if text and (far or touching):
            words.append(Word(x0, x1, text))
            text, x0 = "", None
        if not text:
            x0 = ch["x0"]
        text += c
        x1 = ch["x1"]
    if text:
        words.append(Word(x0, x1, text))
    return words


def _figure_meets_word(a: str, b: str) -> bool:
    """A digit next to a Han character, with any gap: two cells side by side (5 | 绩效…)."""
    def han(ch):
        return "\u4e00" <= ch <= "\u9fff"
    return (a.isdigit() or a == "%") and han(b) or han(a) and b.isdigit()


def _width(s: str) -> int:
    """Columns of laid-out text: one per character, CJK too.  pdftotext -layout and
    pdfplumber's layout place each character in one cell of a grid of the page's average
    character width, so a column starts at the same character count on every line (on the
    variant corpus's -layout twins, word starts line up with a neighbour's 81% of the
    time counted so, 66% counted in display widths, CJK as two)."""
    return len(s)


def words_from_layout(raw: str) -> list[Word] | None:
    """Text laid out with spaces: runs separated by two or more spaces are words, at
    their display column.  None when the line has no wide gap (nothing to align)."""
    raw = raw.expandtabs(8).rstrip()
    if not re.search(r"\S {2,}\S", raw) and not raw.startswith("  "):
        return None
    words = []
    pos = 0
    for part in re.split(r"( {2,})", raw):
        if part and not part.startswith("  ") and part.strip():
            lead = len(part) - len(part.lstrip(" "))
            start = _width(raw[:pos + lead])
            text = part.strip()
            words.append(Word(float(start), float(start + _width(text)), text))
        pos += len(part)
    return words
