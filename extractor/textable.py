"""Plain-text tables for the terminal, aligned for Chinese (wide) characters."""
from __future__ import annotations

import os
import unicodedata
from decimal import Decimal


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int, right: bool = False) -> str:
    if width(text) > size:
        while width(text) > size - 1:
            text = text[:-1]
        text += "…"
    fill = " " * (size - width(text))
    return fill + text if right else text + fill


def cell(value) -> str:
    """A value as shown: null as `null`, money with its two decimals, text on one line."""
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, float):
        return repr(value)
    return " ".join(str(value).split())


def render(header: list[str], rows: list[list], max_width: int = 40) -> str:
    """Columns padded to their widest cell (at most `max_width` but the last), numbers right-aligned."""
    shown = [[cell(v) for v in row] for row in rows]
    numeric = [bool(rows) and all(isinstance(r[i], (int, float, Decimal)) and not isinstance(r[i], bool)
                                  for r in rows if r[i] is not None) for i in range(len(header))]
    sizes = [max([width(h)] + [width(r[i]) for r in shown]) for i, h in enumerate(header)]
    sizes = [min(s, max_width) for s in sizes[:-1]] + sizes[-1:]  # the last column is never cut
    lines = ["  ".join(pad(h, s, n) for h, s, n in zip(header, sizes, numeric)).rstrip(),
             "  ".join("-" * s for s in sizes)]
    lines += ["  ".join(pad(v, s, n) for v, s, n in zip(r, sizes, numeric)).rstrip() for r in shown]
    return "\n".join(lines)


def cut(text: str, size: int) -> str:
    """At most `size` characters, an ellipsis marking what was cut."""
    return text if len(text) <= size else text[: size - 1] + "…"


def short_path(path: str) -> str:
    """A path relative to the working folder when that is shorter (../shared/real/x.pdf)."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        return path
    return rel if len(rel) < len(str(path)) else str(path)
