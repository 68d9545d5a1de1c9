"""Cells a PDF drew after the rest of their form, as text in drawing order.

LibreOffice Calc (and Word, for some cells) draws a form's cells in two passes: text in
drawing order (pypdfium2, PyMuPDF, `pdftotext -raw`) then prints an indicator line short
of its target (质量指标 档案规范率 98% 33.5 33.5), and the missing cells come after the
form's last line (自评等级 优秀 / … / 高于95% / 500元/人次 500元/人次 / 不高于100%), in the
order of their rows; so does a wrapped 二级 label (服务对象满意度 / 指标).  Where the figures
(or the labels) printed after the form are exactly as many as the lines lack, each line
takes its own, in order; otherwise nothing is guessed.
"""
from __future__ import annotations

import re
from collections import defaultdict

from .. import normalize as nz
from ..packs import vocab
from ..model import Line
from .text import SENTENCE_MARK, is_quantity, measures_rejoined, spaced


def cells_drawn_after(records: list[dict], lines: list[Line], fields: list[str], end_re: re.Pattern) -> int:
    """Fill the `fields` (in column order: target_text, actual_text) the records of each
    page lack from the figure lines printed after that page's form end (`end_re`).
    Returns the number of cells filled."""
    filled = 0
    for rows, after_end in _pages(records, lines, end_re):
        short = [(r, [f for f in fields if not r.get(f)]) for r in rows]
        short = [(r, missing) for r, missing in short if missing]
        after = _figures(after_end) if short and after_end is not None else None
        if after is None or sum(len(m) for _, m in short) != len(after):
            continue  # not the form's missing cells, one for one: leave the lines as read
        at = 0
        for rec, missing in short:
            taken = after[at:at + len(missing)]
            at += len(missing)
            present = [rec[f] for f in fields if rec.get(f)]
            for f, value in zip(fields, _in_column_order(present, taken)):
                rec[f] = value
            filled += len(taken)
    return filled


def _pages(records: list[dict], lines: list[Line], end_re: re.Pattern):
    """(the page's rows but its 合计, the lines after the page's one form end or None where
    it has no end or two) for every page with rows."""
    rows: dict[int, list[dict]] = defaultdict(list)
    for rec in records:
        if not rec.get("_total"):
            rows[rec["page"]].append(rec)
    page_lines: dict[int, list[Line]] = defaultdict(list)
    for ln in lines:
        page_lines[ln.page].append(ln)
    for page, recs in rows.items():
        here = page_lines[page]
        ends = [k for k, ln in enumerate(here) if end_re.search(spaced(ln.text))]
        yield recs, (here[ends[0] + 1:] if len(ends) == 1 else None)


def _figures(lines: list[Line]) -> list[str]:
    """The figures on the lines after a form's end."""
    out: list[str] = []
    for ln in lines:
        tokens = measures_rejoined(spaced(ln.text).split(" ")) if spaced(ln.text) else []
        # the form's year drawn late too (2022年度) is no target
        figures = [t for t in tokens if is_quantity(t) and not t.endswith("年度")]
        words = [t for t in tokens if t not in figures]
        # a line of figures, or a wrapped label's last part beside one (指标 不少于98%), or a
        # remark after them (2521.29亿元 受客观因素影响，未完全达到目标，)
        remark = len(words) == 1 and tokens[-1] == words[0] and SENTENCE_MARK.search(words[0]) is not None
        if figures and len(words) <= 1 and (remark or all(len(t) <= 4 for t in words)):
            out.extend(figures)
    return out


def _in_column_order(present: list[str], taken: list[str]) -> list[str]:
    """A line's target and actual from the cell it printed and the one drawn after: a
    figure with a comparison (高于95%, 不低于98%) is the target; else the cell drawn after
    is (the cells Calc draws last are the targets worded with a comparison or a unit)."""
    if not present:
        return taken
    if len(present) + len(taken) != 2:
        return present + taken
    here, later = present[0], taken[0]
    if nz.parse_measure(here).op not in (None, "=") and nz.parse_measure(later).op in (None, "="):
        return [here, later]
    return [later, here]


def levels_drawn_after(records: list[dict], lines: list[Line], field: str, end_re: re.Pattern) -> int:
    """Fill the 二级 (`field`) the records of each page lack from the 二级 labels of the
    vocabulary printed after that page's form end: each label, in order, goes to the next
    line without a 二级 whose 一级 holds it; unless every label finds its line, none is
    put.  Returns the number of labels filled."""
    filled = 0
    for rows, after_end in _pages(records, lines, end_re):
        short = [r for r in rows if not r.get(field)]
        labels = _levels(after_end) if short and after_end is not None else None
        if not labels:
            continue
        put, at = [], 0
        for label in labels:
            while at < len(short) and not vocab.holds(short[at].get("level1"), label):
                at += 1
            if at == len(short):
                break
            put.append((short[at], label))
            at += 1
        if len(put) != len(labels):
            continue
        for rec, label in put:
            rec[field] = label
        filled += len(put)
    return filled


def _levels(lines: list[Line]) -> list[str]:
    """The 二级 labels on the lines after a form's end, a label wrapped over two lines
    joined (服务对象满意度 / 指标 不少于98%)."""
    level2 = vocab.level_parents()
    words = ["".join(t for t in spaced(ln.text).split(" ") if t and not is_quantity(t)) for ln in lines]
    words = [w for w in words if w]  # a line of figures only holds no label
    out, k = [], 0
    while k < len(words):
        joined = words[k] + words[k + 1] if k + 1 < len(words) else None
        if joined and (joined in level2 or vocab.is_role_term(joined)):
            if joined in level2:  # 服务对象满意度 / 指标: the longer label wins
                out.append(joined)
            k += 2  # 预算执行 / 率 is a column's label, no level
            continue
        if words[k] in level2:
            out.append(words[k])
        k += 1
    return out
