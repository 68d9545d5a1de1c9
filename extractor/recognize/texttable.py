"""Grid sections read from extracted text: the same pack section, no table grid.

Text tools print a table in one of two shapes.  A row per line (pdfplumber,
`pdftotext -layout`, PDFium): cells separated by spaces, a wrapped cell continuing
on lines of its own.  A cell per line (`pdftotext`, PyMuPDF, a web page copied):
every cell on its own line.  Either way the header tells the columns and their
roles through the section's `columns` (vocabulary roles), and each data row's
tokens are aligned to those columns by type — numbers to money and score columns,
percentages to rates, text to labels — so a row whose merged or empty cells were
not printed still puts its figures in the right columns.

What the parser could not place is counted, so the section can say what it missed.
"""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from .. import normalize as nz
from ..packs import vocab
from ..model import Line
from ..packs.regex import compile_pattern
from ..tables import SCHEMAS, column_kind
from ..textable import width
from .grid import _UNIT_SUFFIX, _map_header
from .levels import LABEL_WEIGHT, OPEN_WEIGHT, centred_levels, label_piece, level_like, level_terms, whole_label
from .text import NULL_TOKENS, apply_value_rules, is_page_furniture, measures_rejoined



@dataclass
class TextTableResult:
    records: list[dict] = field(default_factory=list)
    figure_lines: int = 0       # lines inside the table that hold figures
    unread: list[tuple[int, str]] = field(default_factory=list)  # (page, text) of figure lines in no row
    unnamed: list[int] = field(default_factory=list)  # page of each row kept without its name
    label: str | None = None    # the field that names a row (三级指标, 指标名称, 任务)
    unlevelled: list[int] = field(default_factory=list)  # page of each row without the 二级 its table prints
    tables: int = 0             # headers found
    empty_columns: list[tuple[str, int]] = field(default_factory=list)  # (field, page) of a figure column
    # the header prints, under which no row's value was read


def _tokens(raw: str) -> list[str]:
    """Cells of one line: runs of 2+ spaces separate cells in -layout text; otherwise
    single spaces do (a CJK cell has no inner space once the layout is removed)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", raw).replace("\u2212", "-").replace("\t", "  ").strip()
    if not text:
        return []
    text = _WEIGHT_SPACED.sub(r"(\1\2)", text)  # (15 分): a label's weight, a text tool's space inside
    parts = re.split(r"\s{2,}", text) if re.search(r"\S\s{2,}\S", text) else [text]
    out = []
    for part in parts:
        # a year set apart from its 年 (2023 年科技计划项目, as text tools space digits from CJK)
        for piece in _YEAR_SPACED.sub(r"\1\2", part).split():
            glued = _DASH_AFTER_FIGURE.match(piece) or _FIGURE_BEFORE_PROSE.match(piece)
            if glued:  # 1160.50— : a figure and the empty cell beside it printed without a space;
                # 8.91满意度达到90%以上得满分 : a right-aligned 得分 against the next cell's text
                out.extend(glued.groups())
                continue
            out.extend(vocab.split_glued(piece))  # two labels printed without a space between
    out = _prose_tail_rejoined(_measures_apart(out))
    return [nz.clean_text(t) or t for t in measures_rejoined(out) if t.strip()]


_UNIT_THEN_NUMBER = re.compile(r"^([\u4e00-\u9fff/]{1,4})(\d+(?:\.\d+)?)$")
_UNIT_START = re.compile(r"^[\u4e00-\u9fff/]{1,4}(?:\d|$)")


@lru_cache(maxsize=1)
def _name_then_figure() -> re.Pattern:
    comparisons = "|".join(sorted((re.escape(w) for w, _ in vocab.comparisons()), key=len, reverse=True))
    return re.compile(r"^(.*?[\u4e00-\u9fff]{2})((?:" + comparisons + r"|[≥≤<>])?\d+(?:\.\d+)?)$")


def _measures_apart(toks: list[str]) -> list[str]:
    """Cells a text tool printed on one line without a gap, their measures spaced inside
    (PyMuPDF: 完成检测批次371 批次, 购置设备台数不低于433 台445 台): the name, the target
    and the actual apart again — a name's last Han character before a number (with its
    comparison word) whose unit follows, and a unit before the next number."""
    glued = _name_then_figure()
    out: list[str] = []
    for n, t in enumerate(toks):
        nxt = toks[n + 1] if n + 1 < len(toks) else ""
        m = glued.match(t)
        if m and _UNIT_START.match(nxt) and not _PROSE.search(m.group(1)):
            out.extend([m.group(1), m.group(2)])
            continue
        m = _UNIT_THEN_NUMBER.match(t)
        if m and out and re.search(r"\d$", out[-1]):
            out.extend([m.group(1), m.group(2)])
            continue
        out.append(t)
    return out


# a sentence's end after a figure, a text tool's space between (扣0.5 分。, 每低1 个百分点):
# the figure is part of the prose, not a cell of its own
_PROSE_TAIL = re.compile(r"^[\u4e00-\u9fff]{1,3}[。，；,;]")
_BARE_FIGURE = re.compile(r"[\d.,]*\d")
# a figure whose unit runs on into more words (1 个百分点扣, 100%的得满分): prose
_UNIT_RUNS_ON = re.compile(r"^(?:(?:个?百分点|%)[\u4e00-\u9fff，,。；;]|(?:个|分|元|万元|人次|人|次|天|项|家|批|户)[，,。；;])\D*$")


def _prose_tail_rejoined(toks: list[str]) -> list[str]:
    """A text tool's spaces around the figures inside a sentence (每低 1 个百分点扣 0.5 分。):
    the sentence is one cell again, its figures no cells of their own."""
    out: list[str] = []
    for t in toks:
        figure_before = bool(out) and _BARE_FIGURE.fullmatch(out[-1]) is not None
        if figure_before and (_PROSE_TAIL.match(t) and t[-1] in "。，；,;" or _UNIT_RUNS_ON.match(t)):
            out[-1] += t
            if len(out) > 1 and _cjk(out[-2][-1]) and _kind_of_token(out[-2]) == "text":
                out[-2:] = [out[-2] + out[-1]]  # the words before the figure are the sentence's too
        else:
            out.append(t)
    return out


_WEIGHT_SPACED = re.compile(r"\(\s?(\d+(?:\.\d+)?) ?(分)\s?\)")
_DASH_AFTER_FIGURE = re.compile(r"^(-?\d[\d,]*(?:\.\d+)?%?)(—{1,2}|–|－)$")
# five Chinese characters or more after a figure are another cell, not its unit (the longest
# units: 个百分点, 万人次); a date (2021年度…) and an ordinal (第1页) are not figures
_FIGURE_BEFORE_PROSE = re.compile(r"^(-?\d[\d,]*(?:\.\d+)?)(?![年月日])([\u4e00-\u9fff]{5}.*)$")
_YEAR_SPACED = re.compile(r"(?<![\d.])((?:19|20)\d\d) (年)")


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _is_figure_token(tok: str) -> bool:
    return _kind_of_token(tok) in ("num", "rate", "null")


@lru_cache(maxsize=65536)
def _kind_of_token(tok: str) -> str:
    if tok in NULL_TOKENS:
        return "null"
    if nz.parse_decimal(tok) is not None:
        return "num"
    if nz.parse_percent(tok) is not None:
        return "rate"
    if nz.parse_measure(tok).op is not None:
        return "measure"  # ≥18条, 22条: a quantity, not a name
    if tok in vocab.level1_terms() or tok in vocab.level_parents():
        return "level"
    return "text"


def _field_kind(table: str, name: str) -> str:
    if name.startswith("_other"):
        return "other"  # a header cell no field takes (结余率, 评分标准): words or a figure
    t, _, col = name.rpartition(".")
    t = t or table
    if col in ("target_text", "actual_text"):
        return "measure"
    if col in ("level1", "level2"):
        return col
    if col not in SCHEMAS[t].names:
        return "text"
    kind = column_kind(t, col)
    return {"money": "num", "float": "num", "int": "num", "rate": "rate"}.get(kind, "text")


def _fits(token_kind: str, field_kind: str, token: str) -> float | None:
    """How well a token fits a column; None when it cannot go there."""
    if field_kind == "num":
        return {"num": 3.0, "null": 1.0}.get(token_kind)
    if field_kind == "rate":
        return {"rate": 3.0, "null": 1.0, "num": 0.5}.get(token_kind)
    if field_kind == "measure":
        return {"measure": 1.5, "rate": 1.5, "num": 1.0, "text": 0.8, "level": 0.1, "null": 0.5}[token_kind]
    if field_kind == "other":
        return {"text": 0.8, "num": 0.5, "rate": 0.5, "measure": 0.5, "null": 0.5, "level": 0.3}[token_kind]
    if field_kind in ("level1", "level2"):  # 一级/二级指标: a known level, else a short label
        if token_kind == "level":
            is1, is2 = token in vocab.level1_terms(), token in vocab.level_parents()
            # the vocabulary prefers, the row decides: a table may rank a term its own way
            # (运行成本 a 一级 over 经济成本), so a term out of its usual level still fits, weakly
            if field_kind == "level1":
                return 2.0 if is1 else 0.2
            return (1.5 if is1 else 2.0) if is2 else 0.2
        return 0.3 if token_kind == "text" and len(token) <= 10 else None
    return {"text": 1.0, "level": 0.5, "measure": 0.2}.get(token_kind)


_LABEL_FIELDS = frozenset({"name", "level3", "fund_source", "task"})
_PROSE = re.compile(r"[。;；，]|,(?!\d)")  # sentence punctuation (a figure's thousands comma is none)


def _liked(fit: float, field: str, token: str, likes: dict) -> float:
    """A token with a column's shape (任务完成 for 完成情况) fits there best, and less in the
    other columns of the row."""
    shaped = [f for f, r in likes.items() if r.search(token)]
    if not shaped:
        return fit
    return fit + 0.5 if field in shaped else fit - 0.5


def align(tokens: list[str], fields: list[tuple[str, str]], join: bool = True,
          merged: frozenset[str] = frozenset(), scored: bool = False, shapes: dict | None = None,
          likes: dict | None = None):
    """Tokens (in order) to columns (in order), each column taking one token or, for
    a text column, a run of text tokens (a cell split by a space).

    Dynamic programming over (token, column): a token goes to a column it fits;
    columns left unfilled are merged or empty cells.  The best alignment places
    every token; None when none does.
    """
    from functools import lru_cache

    kinds = [_kind_of_token(t) for t in tokens]
    _prose = [kinds[i] == "text" and bool(_PROSE.search(t)) for i, t in enumerate(tokens)]
    n, k = len(tokens), len(fields)
    NEG = float("-inf")

    @lru_cache(maxsize=None)
    def best(i: int, j: int, open_: bool) -> tuple[float, tuple]:
        """Best (score, moves) placing tokens[i:] into columns[j:]; open_: column
        j-1 took token i-1 and may take more text."""
        if i == n:
            return 0.0, ()
        if j == k and not open_:
            return NEG, ()
        options = []
        if join and open_ and kinds[i] in ("text", "level"):
            sc, mv = best(i + 1, j, True)
            if sc > NEG:
                # two words of Han characters a space apart are two cells (运行成本 经济成本
                # 三公经费控制率: three levels, not a 二级 and a name of two words): joined only
                # where nothing else fits; a number or a Latin word may stand spaced in a cell
                options.append((sc + (-2.0 if _han_words(tokens[i - 1], tokens[i]) else 0.2),
                                (("join", j - 1),) + mv))
        if j < k:
            fit = _put_fit(tokens[i], kinds[i], _prose[i], fields[j], merged, shapes, likes)
            if fit is not None:
                sc, mv = best(i + 1, j + 1, fields[j][1] == "text" or (fields[j][1] == "other" and kinds[i] == "text"))
                if sc > NEG:
                    options.append((sc + fit, (("put", j),) + mv))
            sc, mv = best(i, j + 1, False)
            if sc > NEG:
                options.append((sc - 0.01, mv))
        return max(options, key=lambda o: o[0]) if options else (NEG, ())

    score, moves = best(0, 0, False)
    if score == NEG:
        return (None, score, score) if scored else None
    out: dict[str, list[str]] = {}
    for t, (how, j) in zip(tokens, moves):
        out.setdefault(fields[j][0], []).append(t)
    mapping = {f: "".join(v) for f, v in out.items()}
    if not scored:
        return mapping
    # how well the tokens fit their columns, without the preference for leaving merged cells empty
    raw = sum(_fits(kinds[i], fields[j][1], tokens[i]) if how == "put" else 0.2
              for i, (how, j) in enumerate(moves))
    return mapping, raw, score


_HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def _han_words(a: str, b: str) -> bool:
    return bool(_HAN_WORD.match(a) and _HAN_WORD.match(b))


def _put_fit(token: str, kind: str, prose: bool, field: tuple[str, str], merged, shapes, likes) -> float | None:
    """How well a token fits a column of the row being aligned; None where it cannot go."""
    name, fkind = field
    fit = _fits(kind, fkind, token)
    if fit is not None and shapes and name in shapes and not shapes[name].search(token):
        return None  # the pack says what this column holds (任务 is 任务N)
    if fit is not None and likes and kind == "text":
        fit = _liked(fit, name, token, likes)
    if fit is not None and name in merged and fkind == "text":
        fit -= 0.6  # a merged group cell is printed once: a row of fewer cells has it empty
    if fit is not None and name.rpartition(".")[2] in _LABEL_FIELDS and prose:
        fit -= 0.8  # a name (指标名称, 三级指标) is no sentence: 信息化建设任务。 is wrapped prose
    if fit is not None and name.rpartition(".")[2] in _LABEL_FIELDS and len(token) == 1 and _cjk(token):
        fit -= 0.9  # nor one character (标 of 指 / 标 printed down the side)
    return fit


def align_runs(tokens: list[str], fields: list[tuple[str, str]], merged: frozenset[str] = frozenset(),
               shapes: dict | None = None, joins=None) -> list:
    """`align` (scored) of every run tokens[:e], e = 1..len(tokens), in one pass: the
    runs of a cell-per-line stream that may make the next row.  `joins(i, field, kind)`
    says how well token i continues the cell of token i-1 in that column (a cell
    wrapped over lines), or None where it cannot.  Element e is (mapping, raw fit,
    score) or None where the run cannot be placed."""
    kinds = [_kind_of_token(t) for t in tokens]
    prose = [kinds[i] == "text" and bool(_PROSE.search(t)) for i, t in enumerate(tokens)]
    n, k = len(tokens), len(fields)
    NEG = float("-inf")
    score = [[NEG] * k for _ in range(n + 1)]   # tokens[:i] placed, token i-1 in column c
    back: dict[tuple[int, int], tuple[str, int | None]] = {}
    puts = [[_put_fit(tokens[i], kinds[i], prose[i], fields[c], merged, shapes, None) for c in range(k)]
            for i in range(n)]
    for c in range(k):
        if puts[0][c] is not None:
            score[1][c] = puts[0][c] - 0.01 * c
            back[(1, c)] = ("put", None)
    for i in range(1, n):
        for c in range(k):
            here = score[i][c]
            if here == NEG:
                continue
            bonus = joins(i, *fields[c]) if joins is not None else None
            if bonus is not None and here + bonus > score[i + 1][c]:
                score[i + 1][c] = here + bonus
                back[(i + 1, c)] = ("join", c)
            for c2 in range(c + 1, k):
                fit = puts[i][c2]
                if fit is not None and here + fit - 0.01 * (c2 - c - 1) > score[i + 1][c2]:
                    score[i + 1][c2] = here + fit - 0.01 * (c2 - c - 1)
                    back[(i + 1, c2)] = ("put", c)
    out: list = [None]
    for e in range(1, n + 1):
        c = max(range(k), key=lambda col: score[e][col]) if k else 0
        if not k or score[e][c] == NEG:
            out.append(None)
            continue
        cells: dict[int, list[str]] = {}
        raw, i, col = 0.0, e, c
        while col is not None and i > 0:
            how, prev = back[(i, col)]
            cells.setdefault(col, []).insert(0, tokens[i - 1])
            raw += _fits(kinds[i - 1], fields[col][1], tokens[i - 1]) if how == "put" else 0.2
            i, col = i - 1, (col if how == "join" else prev)
        mapping = {fields[col][0]: "".join(parts) for col, parts in sorted(cells.items())}
        out.append((mapping, raw, score[e][c]))
    return out


_ENDS_CELL = re.compile(r"[。！？；;!?]$")
# a piece of a merged label's weight (满意度指标（10 / 分）): no line of a row's cell
_LABEL_PIECE = re.compile(r"[()（）\d]")


def _em(text: str) -> float:
    """Width of a text in ems: a CJK or full-width character is one, others half."""
    return width(text) / 2


def _wrap_joiner(tokens: list[str], lines: list[int]):
    """joins(i, kind) for `align` over a run of cells in reading order (text that
    prints each cell whole, line after line): how well token i continues the cell
    of token i-1.  A cell wrapped in its column breaks into lines as wide as the
    column, the last no wider; a figure does not wrap, but its unit may (94.77 /
    %, ≥372批 / 次); a sentence's full stop ends its cell."""

    # a 三级指标 stands right before its row's 分值: the widest such name shows how wide
    # the column is, and a wrapped name's first line fills it
    named = [_em(a) for a, b in zip(tokens, tokens[1:]) if _kind_of_token(a) == "text"
             and _kind_of_token(b) == "num" and not _PROSE.search(a)]
    name_width = max(named) if len(named) >= 3 else 0.0

    @lru_cache(maxsize=None)
    def joins(i: int, name: str, kind: str) -> float | None:
        prev, tok = tokens[i - 1], tokens[i]
        if lines[i] - lines[i - 1] > 1:
            return None  # not the next line
        across = lines[i] != lines[i - 1]
        tk, pk = _kind_of_token(tok), _kind_of_token(prev)
        if kind == "num":
            return None
        if kind == "rate":
            return 1.0 if tok in ("%", "％") and pk == "num" else None
        if kind == "measure":
            if pk in ("num", "rate", "measure") and tk in ("text", "null") or tok in ("%", "％"):
                m = nz.parse_measure(prev + tok)
                return 1.0 if m.value is not None and len(tok) <= 3 else None
            if not (pk == tk == "text" and across):
                return None  # a target in words wrapped (有效 / 丰富) joins like text
        if tk not in ("text", "level"):
            return None
        if not across:
            return -0.3  # a cell split by a space: only where nothing else fits
        if _ENDS_CELL.search(prev) or _em(prev) + 0.5 < _em(tok):
            return None  # a full stop ends a cell; a line shorter than the next is a cell's last
        if kind in ("level1", "level2"):  # a level wrapped (满意度指 / 标) is a term of the vocabulary
            return 0.5 if prev + tok in level_terms()[0] else None
        if name.rpartition(".")[2] in _LABEL_FIELDS:
            joined = prev + tok  # a name wrapped is still a name, not a sentence
            if _PROSE.search(joined) or len(joined) > 24:
                return None
            if name == "level3" and _em(prev) + 1 < name_width:
                return None  # a line narrower than its column ends its cell (履职效益 / 社会效益: two)
            if vocab.is_evidence(prev):
                return None  # the row above's 评分依据 (重点工作任务台账), printed before this name
        # whole cells one under another look the same as a cell wrapped: joined only where
        # the run holds more text than the row has text columns
        return -0.3

    return joins


def _next_line(prev: Line, ln: Line) -> bool:
    """Whether ln is the line right below prev (no blank line, no page break between)."""
    if prev.page != ln.page:
        return False
    height = (prev.bottom - prev.top) if prev.bottom is not None else 1.0
    if height < 1:  # lines of a text file: numbered, blank ones included
        return ln.top - prev.top <= 1.0
    return ln.top - prev.top <= 1.8 * height


def _header_fields(spec: dict, tokens: list[str]) -> list[str]:
    """The columns in header order; a header cell no pack column takes (评分标准, 备注)
    is kept as `_other<N>`, so the text printed under it has a place to go."""
    mapping = _map_header(tokens, spec["columns"])
    numbering = set(vocab.roles().get("row_number", []))
    ordered = []
    for i in range(len(tokens)):
        if i in mapping:
            ordered.extend(mapping[i])
        elif _squeeze(tokens[i]) in numbering:
            ordered.append(f"_other_no{i}")  # 序号: the rows' numbers, a column of their own
        elif i > min(mapping, default=len(tokens)):
            ordered.append(f"_other{i}")
    return ordered


def _canonical_order(spec: dict, fields: list[str]) -> list[str]:
    """Cells one per line come in the order of the page's markup, which for a header
    over two rows is not the columns' order: the pack's column order is the table's
    (一级 / 二级 / 三级 / 分值 / 得分), the other header cells follow."""
    order = []
    for target in spec["columns"].values():
        for f in ([target] if isinstance(target, str) else target):
            if f in fields and f not in order:
                order.append(f)
    return order + [f for f in fields if f not in order]


def _matches_header(spec_res: list[re.Pattern], text: str) -> bool:
    return all(r.search(text) for r in spec_res)


def _squeeze(text: str) -> str:
    return "".join((nz.clean_text(text) or "").split())


def parse_text_table(spec: dict, table: str, lines: list[Line]) -> TextTableResult:
    """Every table of `lines` whose header holds all of spec['header'], read row by
    row (or cell by cell) into raw records like the grid parser's."""
    header_res = [compile_pattern(h.strip("^$")) for h in spec["header"]]
    total_re = compile_pattern(spec["total_row"].replace("$", "")) if "total_row" in spec else None
    end_re = compile_pattern(spec["end_row"]) if "end_row" in spec else None
    context_res = {f: compile_pattern(r.rstrip("$")) for f, r in (spec.get("context") or {}).items()}
    fill_down = set(spec.get("fill_down", []))
    label_field = spec.get("row_label")
    required = spec.get("require_any", [])
    key_field = spec.get("row_key")
    stop_unless = {k: compile_pattern(v) for k, v in spec.get("stop_unless", {}).items()}
    result = TextTableResult()
    items = prepare(lines)
    context: dict[str, str] = {}
    i = 0
    while i < len(items):
        ln, toks, _ = items[i]
        found = _context_of(context_res, toks, items, i)
        if found:
            context.update(found)
        span = _header_at(header_res, items, i)
        if span is None:
            i += 1
            continue
        # header cells printed a cell per line before the header's first match: 序号, or a
        # column the header's terms do not require (一级指标 before 二级指标)
        while i > 0 and _header_cell_alone(spec, items[i - 1][1]):
            i, span = i - 1, span + 1
        while span < 12 and i + span < len(items) and _extends_header(spec, items[i + span][1]):
            span += 1  # the header's other cells (标准分 / 预算执行率 / 得分 after 实际支出)
        header_tokens = [t for _, ts, _ in items[i:i + span] for t in ts]
        fields = _header_fields(spec, header_tokens)
        if label_field and label_field not in fields:
            fields = [label_field] + fields
        if not fields:
            i += span
            continue
        result.tables += 1
        unit = _unit_near(items, i, span)
        header_lines = [ln for ln, _, _ in items[i:i + span]]
        positional = None
        if all(ln.words for ln in header_lines):
            pos = TextTableResult()
            pos_end = _read_positional(spec, table, items, i, span, header_res, total_re, end_re, context_res,
                                       context, unit, pos)
            if not _laid_out(header_lines):
                _count_unnamed(pos, label_field, spec.get("needs_context", ()))
                _empty_columns(pos, fields, table)
                if "level1" in fill_down:
                    _level1_by_weights(pos.records, items)
                _merge(result, pos)
                i = pos_end
                continue
            # text laid out with spaces shifts columns from line to line: it is read a row
            # per line as well, and the reading with more of its figures in place is kept
            positional = (pos, pos_end)
        # one header cell filling several fields ([task, tasks.task]) is one cell of a line
        aliases = {t[0]: t[1:] for t in spec["columns"].values() if isinstance(t, list) and len(t) > 1
                   and t[0] in fields}
        fields = [f for f in fields if not any(f in others for others in aliases.values())]
        per_line = span == 1 or max(len(ts) for _, ts, _ in items[i:i + span]) > 1
        # A header over two rows printed a row per line (指标 / 分值 得分 … / 一级指标 二级指标)
        # does not show the columns' order: the pack's order is tried beside the printed one,
        # and the order under which more lines make rows wins.
        orders = [fields]
        if not per_line:  # a cell per line: the printed order, or the pack's; the label stays first
            label_first = [f for f in fields if f.startswith("_other_no")] + \
                ([spec["row_label"]] if spec.get("row_label") in fields else [])
            printed = label_first + [f for f in fields if f not in label_first]
            canonical = label_first + _canonical_order(spec, [f for f in fields if f not in label_first])
            orders = [printed] + ([canonical] if canonical != printed else [])
            # a cell per line loses empty cells: a remarks column after the figures (备注)
            # that is mostly empty would take the next row's first cell; tried without it
            orders += [o for o in (_without_trailing_others(table, o) for o in orders) if o not in orders]
            block = _parent_child_cells(spec, items, i, span, aliases)
            if block:
                # a header over two rows printed a cell per line (全年预算数 / 全年执行数 / 分值 … /
                # 总额 / 财政拨款 / 其他资金 / 总额 …): the parents' columns stand together where
                # the parents are printed among the one-row cells
                main, grouped, at, below = block
                orders = [main[:at] + grouped + main[at:]] + orders
                span += below
        elif sum(1 for _, ts, _ in items[i:i + span] if _header_fields(spec, ts)) > 1:
            canonical = _canonical_order(spec, fields)
            if canonical != fields:
                orders.append(canonical)
        if per_line:
            woven_header = _header_woven(spec, items, i, span, aliases)
            if woven_header is not None and woven_header[0] not in orders:
                orders = [woven_header[0]] + orders
            # header cells wrapped onto the lines above and below the header's main line
            # (任务涉及资金 / （万元）, 年度指标 / 值): their columns, in every place they may
            # stand among the main line's
            block = _parent_child_block(spec, items, i, span, aliases)
            main, extra, below = _wrapped_header_cells(spec, items, i, span, aliases) if not block else ([], [], 0)
            if block:
                # a header over two rows (全年预算数 over 总额 | 财政拨款 | 其他资金, twice): the
                # parents' columns stand together, somewhere among the one-row cells
                main, grouped, below = block
                # figures alike (money, 分值, 得分) fit any figure column: where the fit ties, the
                # parents stand right after the row's words, before the scores, as forms print them
                words = next((k for k, f in enumerate(main) if _field_kind(table, f) != "text"), len(main))
                places = [words] + [k for k in range(len(main) + 1) if k != words]
                orders = [main[:k] + grouped + main[k:] for k in places] + orders
                span += below
            elif extra:
                if label_field and label_field not in main:
                    main = [label_field] + main
                # a remarks cell wrapped too (偏差原因分析及 / 改进措施) stays last, where it is printed
                tail = [f for f in fields[-1:] if f.startswith("_other") and f not in main]
                woven = _interleavings(main, extra)
                orders = [o + tail for o in woven] + (woven if tail else []) + orders
                span += below
        def read(order, row_per_line):
            typed_fields = [(f, _field_kind(table, f)) for f in order]
            label = label_field or next((f for f, k in typed_fields if k == "text" and f not in fill_down
                                         and not f.startswith("_")), None)
            trial = TextTableResult()
            end = _read_rows(items, i + span, typed_fields, spec, table, header_res, total_re, end_re,
                             context_res, dict(context), fill_down, label, required, key_field, stop_unless,
                             unit, row_per_line, trial)
            return trial, end, label

        trial, i, found_label = _best_trial([read(order, per_line) for order in orders], items)
        label_field = label_field or found_label
        if not _plausible(trial, table, fill_down, found_label, fields, list(stop_unless.values())):
            # merged prose cells (任务内容 over its indicators) wrapped line by line into the
            # rows: most rows would be fragments. Better none and said so than wrong ones.
            trial.unread = [(r["page"], "a row of the table") for r in trial.records if not r.get("_total")] \
                + trial.unread
            trial.records = [r for r in trial.records if r.get("_total")]
        for rec in trial.records:
            for first, others in aliases.items():
                for other in others:
                    if first in rec:
                        rec[other] = rec[first]
        if positional is not None and _values_read(positional[0], table) >= _values_read(trial, table):
            trial, i = positional
        _total_without_label(trial.records, label_field or found_label)
        _prose_is_no_level(trial.records, fill_down)
        if "level2" in fill_down and "level2" in fields:  # the table prints its 二级: rows without one lost it
            trial.unlevelled = [r["page"] for r in trial.records if not r.get("_total") and not r.get("level2")]
        _count_unnamed(trial, label_field or found_label, spec.get("needs_context", ()))
        _empty_columns(trial, fields, table)
        if "level1" in fill_down:
            _level1_by_weights(trial.records, items)
        _merge(result, trial)
    return result


_SENTENCE_MARK = re.compile(r"[。；;，,]")


def _prose_is_no_level(records: list[dict], fill_down: set[str]) -> None:
    """A merged 一级/二级 cell holds a label, not a sentence: a line of another cell's
    prose (则视情况扣分。) taken for one is cleared."""
    for f in fill_down & {"level1", "level2"}:
        for rec in records:
            value = rec.get(f)
            if value and (_SENTENCE_MARK.search(value) or len(value) > 20):
                rec[f] = None


def _total_without_label(records: list[dict], label: str | None) -> None:
    """The last line read whose 分值 is the sum of every row's above is the table's 合计
    line, its label (合计, 总分) printed elsewhere - a merged cell a tool put after the
    table - and what was taken for its name a stray part of another cell."""
    rows = [r for r in records if not r.get("_total")]
    if not label or len(rows) < 3 or len(rows) != len(records):
        return
    try:
        above = sum(Decimal(str(r["weight"])) for r in rows[:-1])
        weight = Decimal(str(rows[-1]["weight"]))
    except Exception:  # no 分值 column, or a row without one
        return
    if above == weight:
        last = rows[-1]
        for f in [f for f in last if f not in ("page", "weight", "score") and not f.startswith("_")]:
            del last[f]
        last["_total"] = True


def _whole_rows(records: list[dict], spec: dict) -> int:
    """Cells filled in rows that have their name (a reading that splits or merges rows
    fills fewer, or names fewer)."""
    label = spec.get("row_label")
    count = 0
    for r in records:
        if r.get("_total") or (label and not r.get(label)):
            continue
        count += sum(1 for k, v in r.items() if not k.startswith("_") and k != "page" and v not in (None, ""))
    return count


def _count_unnamed(part: TextTableResult, label: str | None, needs=()) -> None:
    """A row whose name was not read (its figures under no label) is kept, and counted:
    the document says its rows are incomplete.  Rows the section does not keep (no
    project above them, `needs_context`) are not counted."""
    if label:
        part.label = label
        part.unnamed += [r["page"] for r in part.records
                         if not r.get("_total") and not r.get(label) and all(r.get(f) for f in needs)]


def _best_trial(trials, items):
    """The reading under which the cells fit their columns best (a figure in a figure
    column, a label in a label column); a figure line no row takes, or one left
    behind by a reading that ended the table early, costs a row's worth."""
    furthest = max(end for _, end, _ in trials)
    best = None
    for trial, end, label in trials:
        left = sum(1 for _, ts, _ in items[end:furthest] if any(_kind_of_token(t) in ("num", "rate") for t in ts))
        # a row's last figures split off into a row without a name (支出实现率 88.95% | 结余率
        # 11.05% read as two rows, a cell per line) fit no better than in their own row
        fit = sum(r.get("_fit", 0.0) for r in trial.records
                  if not (r.get("_stream") and label and not r.get(label) and not r.get("_total")))
        missed = len(trial.unread) + left
        score = (fit - 6.0 * missed, -missed)
        if best is None or score > best[0]:
            best = (score, (trial, end, label))
    return best[1]


def _empty_columns(part: TextTableResult, fields: list[str], table: str) -> None:
    """The figure columns of the header (分值, 得分, 全年预算数) under which none of the
    table's rows has a value: a column the reader did not find, not one left blank
    (an empty cell is printed — or —, and is read as a value of its column)."""
    rows = [r for r in part.records if not r.get("_total")]
    if len(rows) < 2:
        return
    for f in fields:
        if "." not in f and _field_kind(table, f) in ("num", "rate") and not any(r.get(f) for r in rows):
            part.empty_columns.append((f, rows[0]["page"]))


def _merge(result: TextTableResult, part: TextTableResult) -> None:
    result.empty_columns.extend(part.empty_columns)
    result.records.extend(part.records)
    result.unread.extend(part.unread)
    result.unnamed.extend(part.unnamed)
    result.unlevelled.extend(part.unlevelled)
    result.label = result.label or part.label
    result.figure_lines += part.figure_lines


def _laid_out(lines: list[Line]) -> bool:
    """Lines of text laid out with spaces (pdftotext -layout): positions in characters,
    a line one unit apart."""
    return all(ln.bottom is not None and ln.bottom - ln.top < 1 for ln in lines)


def _values_read(part: TextTableResult, table: str) -> int:
    """Figures in place: value cells of rows that parse as what their column holds,
    less the figure lines no row took."""
    return values_in_place(part.records, table) - len(part.unread)


def values_in_place(records: list[dict], table: str) -> int:
    """Value cells of rows that parse as what their column holds (a figure under 分值, a
    measure under 指标值): how much of a reading is in its place, whoever read it."""
    good = 0
    for rec in records:
        if rec.get("_total"):
            continue
        for f, v in rec.items():
            if f.startswith("_") or not isinstance(v, str):
                continue
            kind = _field_kind(table, f)
            if kind in ("num", "rate") and _kind_of_token(v) in ("num", "rate", "null"):
                good += 1
            elif kind == "measure" and _kind_of_token(v) in ("num", "rate", "measure"):
                good += 1
    return good


_PREPARED: dict[int, tuple[list[Line], list]] = {}


def prepare(lines: list[Line]) -> list[tuple[Line, list[str], str]]:
    """(line, tokens, squeezed text) of every line that is not page furniture; kept
    for the last list of lines seen, since every section of a document reads it."""
    key = id(lines)
    hit = _PREPARED.get(key)
    if hit is not None and hit[0] is lines:
        return hit[1]
    kept = [ln for ln in lines if ln.text.strip()]
    # a bare number is a page number at the top or foot of its page; inside a page
    # (a table printed a cell per line) it is a cell
    edge = {id(ln) for k, ln in enumerate(kept)
            if k == 0 or k == len(kept) - 1 or kept[k - 1].page != ln.page or kept[k + 1].page != ln.page}
    if kept and kept[0].page == kept[-1].page:
        # text of one page (a web page copied, or no form feeds): its last cell (得分 100) is
        # no page number unless it is the first page's
        edge = {e for e in edge if e != id(kept[-1]) or kept[-1].text.strip() == "1"}
    items = [(ln, _tokens(ln.text), _squeeze(ln.text)) for ln in kept
             if not (is_page_furniture(ln.text.strip())
                     and (id(ln) in edge or not ln.text.strip().isdigit()))]
    items = _figures_in_wrapped_prose(_without_vertical_label(items))
    _PREPARED.clear()
    _PREPARED[key] = (lines, items)
    return items


_UNIT_OPENS_LINE = re.compile(r"^分[，,。；;、]")


def _figures_in_wrapped_prose(items):
    """A rule's sentence wrapped between a figure and its unit (每低 1 个百分点扣 0.5 / 分，扣完
    为止。): the figure ends the line and its 分 opens the next.  It is the sentence's, no
    cell of a row (else the line reads as a row named 每低1个百分点扣 with a 分值 of 0.5)."""
    out = []
    for k, (ln, toks, text) in enumerate(items):
        nxt = items[k + 1] if k + 1 < len(items) else None
        if len(toks) >= 2 and nxt and nxt[1] and nxt[0].page == ln.page and _UNIT_OPENS_LINE.match(nxt[1][0]) \
                and _kind_of_token(toks[-1]) == "num" and _kind_of_token(toks[-2]) == "text":
            toks = toks[:-2] + [toks[-2] + toks[-1]]
        out.append((ln, toks, text))
    return out


def _without_vertical_label(items):
    """A merged cell down a table's left edge, its label printed a character a line
    (年 / 度 / 主 / 要 / 任 / 务 / 完 / 成 / 情 / 况 — in text, each character leads the
    line it stands beside), or a few (年度主 / 要任务 / 完成情 / 况): where the leading
    characters, read down, spell a form's label, they are set aside, and a line that held
    only its characters is dropped."""
    labels = vocab.vertical_labels()
    prefixes = {t[:n] for t in labels for n in range(1, len(t) + 1)}

    def lead(toks):  # the single characters a line starts with (年 度 任务名称 …: two),
        n = 0          # or a few at once where the cell is wider (年度主 / 要任务 / 完成情 / 况)
        while n < len(toks) and len(toks[n]) == 1 and _cjk(toks[n]):
            n += 1
        if not n and toks and 2 <= len(toks[0]) <= 4 and all(_cjk(c) for c in toks[0]):
            return toks[:1]
        return toks[:n]

    leads = [k for k, (_, toks, _) in enumerate(items) if lead(toks)]
    drop: dict[int, int] = {}  # line -> characters set aside
    start = 0
    while start < len(leads):
        word, run, best = "", [], None
        for k in leads[start:]:
            if run and (k - run[-1][0] > 4 or items[k][0].page != items[run[-1][0]][0].page):
                break
            chars = lead(items[k][1])
            n = max((n for n in range(1, len(chars) + 1) if word + "".join(chars[:n]) in prefixes), default=0)
            if not n:
                if not run:
                    break
                continue  # a line of other single characters between (金 金: a header's wrapped cells)
            word += "".join(chars[:n])
            run.append((k, n))
            # a few characters a line spell a label down the edge over three lines or more;
            # over two they are a header cell wrapped (任务名 / 称)
            if word in labels and (len(run) >= 3 or all(len(items[r][1][0]) == 1 for r, _ in run)):
                best = list(run)
        if best:
            drop.update(best)
            start += len(best)
        else:
            start += 1
    if not drop:
        return items
    out = []
    for k, (ln, toks, text) in enumerate(items):
        if k in drop:
            if len(toks) == drop[k]:
                continue
            gone, toks = toks[:drop[k]], toks[drop[k]:]
            text = _squeeze(" ".join(toks))
            if ln.words:  # laid-out text: its words by position must lose the characters too
                words = sorted(ln.words, key=lambda w: w.x0)
                if [w.text for w in words[:len(gone)]] == gone:
                    ln = replace(ln, words=words[len(gone):])
        out.append((ln, toks, text))
    return out


def _header_cell_alone(spec: dict, toks: list[str]) -> bool:
    """A line that is one header cell of this table's own columns (一级指标) or its rows'
    numbers (序号): alone, a cell `_header_fields` gives a column to is one of those."""
    return len(toks) == 1 and len(toks[0]) <= 10 and not _is_figure_token(toks[0]) \
        and not _CAPTION.search(toks[0]) and bool(_header_fields(spec, toks))


_CAPTION = re.compile(r"[：:]$|[。；;，]")


def _header_at(header_res, items, i) -> int | None:
    """How many lines from i make the header (1 to 12: a header printed a cell per
    line, or wrapped), or None."""
    if _header_around(header_res, items, i):
        return 3
    joined = ""
    for span in range(1, 13):
        if i + span > len(items):
            return None
        ln, toks, text = items[i + span - 1]
        if span == 1 and (not any(r.search(text) for r in header_res) or vocab.is_form_line(toks)):
            return None
        # header lines hold labels: no figures, short cells; a row-per-line header
        # wraps over a few lines at most, a cell-per-line one over a dozen
        if any(_kind_of_token(t) in ("num", "rate") for t in toks) or any(
                (len(t) > 14 or _CAPTION.search(t)) and not _remark(t) for t in toks):
            return None  # nor a caption (各项目自评分数见下表：) or a sentence
        if span > 4 and len(toks) > 1:
            return None
        joined += text
        if _matches_header(header_res, joined):
            return span
        if span == 1 and ln.words and _wrapped_header_matches(header_res, items, i):
            return 1
    return None


def _fragments(toks: list[str], kinds=("text", "level")) -> bool:
    """A line of short label parts only (a header cell or a level wrapped onto it)."""
    return bool(toks) and all(_kind_of_token(t) in kinds and len(t) <= 12 for t in toks)


def _header_around(header_res, items, i) -> bool:
    """A header printed a row per line whose wrapped cells stand on the lines above and
    below its main line (二级 年度 实际 / 一级指标 三级指标 分值 得分 / 指标 指标值 完成值):
    line i holds the cells' first parts, i+2 their last, one each, in order."""
    if i + 2 >= len(items):
        return False
    above, main, below = items[i][1], items[i + 1][1], items[i + 2][1]
    if len(above) != len(below) or not _fragments(above) or not _fragments(below) or len(main) < 2 \
            or not all(_kind_of_token(t) in ("text", "level") for t in main):
        return False
    labels = [a + b for a, b in zip(above, below)] + main
    return _matches_header(header_res, "".join(labels)) and not _matches_header(header_res, "".join(main))


def _plausible(trial: TextTableResult, table: str, fill_down: set[str], label: str | None,
               fields: list[str] = (), group_res=()) -> bool:
    """Rows read a row per line from a table whose merged cells are prose (tasks.*):
    most must have a name that is a label, not a fragment of a sentence, and every
    value column filled; a merged figure the header prints (任务涉及资金) is read."""
    prose_fill = [f for f in fill_down if "." in f and _field_kind(table, f) == "text"]
    rows = [r for r in trial.records if not r.get("_total")]
    if not prose_fill or not rows or not label:
        return True
    merged_figures = [f for f in fill_down if "." in f and f in fields and _field_kind(table, f) == "num"]
    if any(not any(r.get(f) for r in rows) for f in merged_figures):
        return False  # the prose ran into the figures' places: its lines were taken for rows
    if any(rx.match(r.get(label) or "") for rx in group_res for r in rows):
        return False  # a group's own label (任务3) read as a row's name: the groups were lost
    values = [f for f in rows[0] if not f.startswith("_") and f not in fill_down
              and _field_kind(table, f) in ("num", "rate", "measure")]
    # the label the prose cells belong to (任务1): a row that has none is a piece of them
    groups = [f for f in fill_down if "." not in f and _field_kind(table, f) == "text"]

    measures = [f for f in values if _field_kind(table, f) == "measure"]

    def good(r):  # a sentence under 指标值 is the prose cells' text run into the row
        name = r.get(label) or ""
        return 2 <= len(name) <= 20 and not _PROSE.search(name) and all(r.get(f) for f in values + groups) \
            and not any(_PROSE.search(r.get(f) or "") for f in measures)

    return sum(map(good, rows)) >= 0.8 * len(rows)


def _parent_child_block(spec: dict, items, i: int, span: int, aliases: dict):
    """A header printed a row per line over two rows: a line of parent labels (全年预算数,
    全年执行数), a line of the one-row cells (任务名称 … 分值 执行率 得分) and a line of
    child labels repeated under each parent (总额 财政拨款 其他资金 总额 …). Returns (the
    one-row cells' fields, the parents × children fields in order, lines below the header
    taken), or None."""

    def bare(toks):
        return [_UNIT_SUFFIX.sub("", t) or t for t in toks]

    lines = [k for k in range(i, min(i + span + 1, len(items)))]
    texts = {k: bare(items[k][1]) for k in lines if items[k][1]
             and all(_kind_of_token(t) in ("text", "level") for t in items[k][1])}
    others = {f for more in aliases.values() for f in more}
    # a one-row cell wrapped over the parents' and the children's lines may stand first on
    # both (任务名 全年预算数 全年执行数 / … / 称 总额 财政拨款 其他资金 总额 …)
    for p, c, a in [(p, c, a) for p in texts for c in texts for a in (0, 1)]:
        parents, children = texts[p][a:], texts[c][a:]
        if c <= p or len(parents) < 2 or len(children) < 2 * len(parents) or len(children) % len(parents):
            continue
        size = len(children) // len(parents)
        groups = [children[g * size:(g + 1) * size] for g in range(len(parents))]
        if any(g != groups[0] for g in groups):
            continue  # the same children under every parent
        labels = [par + child for par, g in zip(parents, groups) for child in g]
        mapped = _map_header(labels, spec["columns"])
        if len(mapped) < len(labels) // 2 + 1:
            continue
        grouped = [mapped[k][0] for k in sorted(mapped)]
        rest = [k for k in texts if k not in (p, c)]
        if not rest:
            continue
        main_k = max(rest, key=lambda k: len(texts[k]))
        lead = [f for f in _header_fields(spec, [x + y for x, y in zip(texts[p][:a], texts[c][:a])])
                if f not in grouped]
        main = [f for f in _header_fields(spec, items[main_k][1]) if f not in others and f not in grouped]
        return lead + [f for f in main if f not in lead], grouped, (1 if c == i + span else 0)
    return None


def _header_woven(spec: dict, items, i: int, span: int, aliases: dict):
    """A two-row header printed a row per line where the children share the main line
    (pdfplumber: 全年预算数（千元） 全年执行数（千元） / 完成情 / 任务名称 主要内容 况 总额
    财政拨款 其他资 总额 财政拨款 其他资 分值 执行率 得分 / 金 金): the main line's cells in
    order, a piece completed by a fragment printed above (完成情 + 况) or below (其他资 +
    金), and a run of the same children repeated once under each parent above named
    parent + child.  Returns (the fields in order, lines below the header taken) when
    that reading names more columns than the main line alone, else None."""
    def words_only(k):
        return 0 <= k < len(items) and items[k][1] and all(_kind_of_token(t) in ("text", "level")
                                                              for t in items[k][1])

    def known(t):  # a whole label: of the vocabulary, a fund line, or a column of the pack
        t = _UNIT_SUFFIX.sub("", t) or t
        return _bare_term(t) or t in vocab.fund_lines() or bool(_map_header([t], spec["columns"]))

    lines = [k for k in range(i - 1, i + span + 1) if words_only(k)]
    inside = [k for k in lines if i <= k < i + span]
    if not inside:
        return None
    main_k = max(inside, key=lambda k: len(items[k][1]))
    if len(items[main_k][1]) < 4:  # a header a cell per line (年度指标 实际完成 / 值 / 值) is not one
        return None
    bare = [_UNIT_SUFFIX.sub("", t) or t for t in items[main_k][1]]
    above = [(k, t) for k in lines if k < main_k for t in items[k][1]]
    below = [(k, t) for k in lines if k > main_k for t in items[k][1]]
    used: set[tuple[int, int, bool]] = set()  # fragments taken: (line, token index, from above)
    labels = []
    for t in bare:
        label = t
        if not (known(t) or vocab.is_form_label(t)):
            for side in (above, below):
                for n, (k, frag) in enumerate(side):
                    whole = frag + t if side is above else t + frag
                    if (k, n, side is above) not in used and not known(frag) and known(whole):
                        used.add((k, n, side is above))
                        label = whole
                        break
                if label != t:
                    break
        labels.append(label)
    parent_lines = [[_UNIT_SUFFIX.sub("", t) or t for t in items[k][1]] for k in lines if k < main_k
                    and len(items[k][1]) >= 2 and all(map(known, items[k][1]))]
    for parents in parent_lines[-1:]:  # the line of parents nearest the main line
        n = len(parents)
        for size in (4, 3, 2):
            for start in range(len(labels) - n * size + 1):
                group = labels[start:start + size]
                if any(labels[start + g * size:start + (g + 1) * size] != group for g in range(n)):
                    continue
                joined = [p + c for p in parents for c in group]
                if len(_map_header(joined, spec["columns"])) == len(joined):
                    labels = labels[:start] + joined + labels[start + n * size:]
                    break
            else:
                continue
            break
    others = {f for more in aliases.values() for f in more}
    fields = [f for f in _header_fields(spec, labels) if f not in others]
    plain = [f for f in _header_fields(spec, items[main_k][1]) if f not in others]
    if sum(not f.startswith("_") for f in fields) <= sum(not f.startswith("_") for f in plain):
        return None
    took_below = 1 if any(k >= i + span for k, n, is_above in used if not is_above) else 0
    return fields, took_below


def _parent_child_cells(spec: dict, items, i: int, span: int, aliases: dict):
    """The same two-row header printed a cell per line (web text, PyMuPDF): the one-row
    cells and the parents in the printed order (任务名称 主要内容 完成情况 全年预算数
    全年执行数 分值 执行率 得分), then the children under each parent in turn (总额 财政拨款
    其他资金 总额 财政拨款 其他资金).  Returns (the one-row cells' fields, the parents ×
    children fields in order, where the parents stand among the one-row cells, lines below
    the header taken), or None."""
    def cell(k):  # a line that is one label, its bracketed unit set aside
        toks = items[k][1] if k < len(items) else []
        if len(toks) != 1 or _kind_of_token(toks[0]) not in ("text", "level"):
            return None
        return _UNIT_SUFFIX.sub("", toks[0]) or toks[0]

    cells = []
    for k in range(i, min(i + span + 12, len(items))):
        if cell(k) is None:
            break
        cells.append(cell(k))
    others = {f for more in aliases.values() for f in more}
    for size in (2, 3, 4):
        for start in range(2, len(cells) - 2 * size + 1):
            group = cells[start:start + size]
            n = 1
            while cells[start + n * size:start + (n + 1) * size] == group:
                n += 1
            if n < 2:
                continue
            parents = [k for k in range(start) if len(_map_header([cells[k] + c for c in group], spec["columns"]))
                       == size and not _header_fields(spec, [cells[k]])[1:]]
            if len(parents) != n or parents != list(range(parents[0], parents[0] + n)):
                continue
            labels = [cells[p] + c for p in parents for c in group]
            mapped = _map_header(labels, spec["columns"])
            grouped = [mapped[k][0] for k in sorted(mapped)]
            if len(grouped) != len(labels):
                continue
            before = [f for f in _header_fields(spec, cells[:parents[0]]) if f not in others]
            after = [f for f in _header_fields(spec, cells[parents[-1] + 1:start]) if f not in others]
            main = [f for f in before + after if f not in grouped]
            return main, grouped, len(before), max(0, start + n * size - span)
    return None


def _wrapped_header_cells(spec: dict, items, i: int, span: int, aliases: dict):
    """A header printed a row per line whose cells wrap: (the main line's fields, the
    fields of the cells wrapped onto the lines above and below it — fragments above
    joined to those below, in order: 任务涉及资金 + （万元） — and how many lines below
    the header they took)."""
    def fragments(k):
        if not 0 <= k < len(items):
            return []
        toks = items[k][1]
        return toks if _fragments(toks, ("text",)) else []

    lines = list(range(i, i + span))
    # the main line holds whole labels (一级指标 三级指标 分值 得分), the others their parts
    main_k = max(lines, key=lambda k: (sum(map(_bare_term, items[k][1])), len(items[k][1])))
    above_k = [k for k in lines if k < main_k] or [i - 1]
    below_k = [k for k in lines if k > main_k] or [i + span]
    above = [t for k in above_k for t in fragments(k)]
    below = [t for k in below_k for t in fragments(k)]
    if not above and not below:
        return [], [], 0
    if above and len(above) == len(below):
        labels = [a + b for a, b in zip(above, below)]
    else:
        labels = above or below
    others = {f for more in aliases.values() for f in more}
    main = [f for f in _header_fields(spec, items[main_k][1]) if f not in others]
    mapped = _map_header(labels, spec["columns"])
    extra = [mapped[k][0] for k in sorted(mapped) if mapped[k][0] not in main][:3]
    took_below = 1 if extra and below and below_k == [i + span] else 0
    return main, extra, took_below


def _interleavings(fields: list[str], extra: list[str], limit: int = 60) -> list[list[str]]:
    """Every order of fields + extra that keeps both in their order (at most `limit`)."""
    out: list[list[str]] = []

    def walk(a, b, acc):
        if len(out) >= limit:
            return
        if not a and not b:
            out.append(acc)
            return
        if b:
            walk(a, b[1:], acc + [b[0]])
        if a:
            walk(a[1:], b, acc + [a[0]])

    walk(fields, extra, [])
    return out


def _without_trailing_others(table: str, order: list[str]) -> list[str]:
    kinds = [_field_kind(table, f) for f in order]
    last_value = max((n for n, k in enumerate(kinds) if k in ("num", "rate", "measure")), default=-1)
    return [f for n, f in enumerate(order) if n <= last_value or not f.startswith("_other")]


def _extends_header(spec: dict, toks: list[str]) -> bool:
    """A line of header cells only: every token a label some pack column takes."""
    if not toks or any(_kind_of_token(t) != "text" or (len(t) > 14 and not _remark(t)) for t in toks):
        return False
    mapped = _map_header(toks, spec["columns"])
    return all(k in mapped or _remark(t) or vocab.is_column_term(_squeeze(t)) for k, t in enumerate(toks))


def _remark(token: str) -> bool:
    """A header cell of words beside the figures (备注, 评分依据、未达标原因、改进措施)."""
    return any(token.startswith(r) for r in vocab.roles().get("remarks", []))


def _wrapped_header_matches(header_res, items, i) -> bool:
    """A header line whose cells wrap onto the lines above and below (一级指 / 标):
    the labels put together column by column hold every header term."""
    base = [items[i][0]]
    lines = list(base)
    for k in (i - 1, i - 2, i + 1, i + 2):
        if 0 <= k < len(items) and _wraps_header(items[k][0], base):
            lines.append(items[k][0])
    if len(lines) == 1:
        return False
    lines.sort(key=_mid)
    labels = "".join(c.label for c in _header_columns(lines))
    return _matches_header(header_res, labels)


def _context_of(context_res, toks, items, i) -> dict[str, str]:
    found = {}
    if not toks:
        return found
    for f, regex in context_res.items():
        wrapped = _wrapped_label(regex, items, i)
        if wrapped:
            found[f] = wrapped
            continue
        if regex.search(toks[0]) and regex.pattern.startswith("^"):
            value = "".join(toks[1:]) if len(toks) > 1 else None
            if value is None and i + 1 < len(items):
                nxt = items[i + 1][1]
                value = "".join(nxt) if nxt and not any(r.search(nxt[0]) for r in context_res.values()) else None
                if value in _role_terms() or (nxt and nxt[0] in _role_terms() and len(nxt) > 1):
                    # the next cell's label (项目名称 / 主管部门): the name was printed elsewhere, and
                    # the rows under it are a form's whose name is not known ("", not absent)
                    found[f] = ""
                    continue
            if value:
                found[f] = nz.clean_text(value)
    return found


def _wrapped_label(regex, items, i) -> str | None:
    """A label wrapped in a narrow cell (项目名 / 称) with its value on the lines
    between or beside: the value of the label, or None."""
    toks = items[i][1]
    if not toks or regex.search(toks[0]):
        return None
    for k in (1, 2):
        if i + k >= len(items):
            break
        nxt = items[i + k][1]
        if nxt and regex.search(toks[0] + nxt[0]):
            rest = toks[1:] + [t for _, ts, _ in items[i + 1:i + k] for t in ts] + nxt[1:]
            rest = [t for t in rest if _kind_of_token(t) == "text"]
            return nz.clean_text("".join(rest[:1])) if rest else None
    return None


def _unit_near(items, i, span) -> str | None:
    for _, toks, _ in items[i:i + span]:
        for t in toks:
            unit = vocab.stated_unit(t)
            if unit:
                return unit
    for back in range(1, 9):
        if i - back < 0:
            break
        unit = vocab.stated_unit(items[i - back][0].text.replace(" ", ""))
        if unit:
            return unit
    return None


def _read_rows(items, i, fields, spec, table, header_res, total_re, end_re, context_res, context,
               fill_down, label_field, required, key_field, stop_unless, unit, per_line,
               result: TextTableResult) -> int:
    numeric = {f for f, k in fields if k in ("num", "rate")}
    own_labels = {t for _, toks, _ in items[max(0, i - (3 if per_line else 12)):i] for t in toks}
    body_start = i
    last: dict[str, str] = {}
    pending: list[str] = []
    pended_from: int | None = None  # first of the lines right above set aside as text

    @lru_cache(maxsize=None)
    def centred_at(k: int, above: int):  # asked from the line above, then on the row's own
        return _centred_row(items, k, above, fields, spec)
    rows_here: list[dict] = []
    marks: list[tuple[str, str, int, int]] = []  # merged level labels as printed: (level, label, line, page)
    stream: list[tuple[str, int, int]] = []  # cell-per-line: tokens with their page and line
    line_no, prev_line = 0, None  # lines of the stream, numbered with a gap at a blank line or page break
    while i < len(items):
        ln, toks, text = items[i]
        step = _table_goes_on(items, i, bool(rows_here or stream), header_res, end_re, context_res, own_labels)
        if step is None:
            break
        if step:
            i += step
            pended_from = None
            continue
        if total_re is not None and toks and total_re.search(toks[0]):
            rest = toks[1:]
            if not per_line:  # a cell per line: the total's figures follow on lines of their own
                k = i + 1
                while k < len(items) and len(rest) < 4 and all(_is_figure_token(t) for t in items[k][1]):
                    rest += items[k][1]
                    k += 1
            rec = _total_record(rest, fields, ln.page, context)
            if rec is not None:
                result.records.append(rec)
            i += 1
            break
        i += 1
        if not per_line:
            # a cell wrapped over lines continues on the very next line; text that sets its
            # cells apart with blank lines (a web page copied) wraps none
            if prev_line is not None and not _next_line(prev_line, ln):
                line_no += 1
            line_no += 1
            prev_line = ln
            if len(stream) > 1 and toks and _PROSE_TAIL.match(toks[0]) and _cjk(stream[-2][0][-1]) \
                    and _BARE_FIGURE.fullmatch(stream[-1][0]):
                # a sentence's figure at a line's end, its unit on the next (扣 0.5 / 分，扣完为止。)
                stream[-1] = (stream[-1][0] + toks[0], stream[-1][1], stream[-1][2])
                toks = toks[1:]
            stream.extend((t, ln.page, line_no) for t in toks)
            continue
        head = _head_above(items, i - 1, pending)
        if head is not None:
            toks, pending = head, []
        centred = None
        if head is None and pended_from is not None and not fill_down & {"level1", "level2"}:
            while pended_from < i - 1 and sum(t in _role_terms() for t in items[pended_from][1]) >= 2:
                pended_from += 1  # the header's last line (名称 内容 总额 财政拨款 …) is no row's
            # the run set aside may begin with a line no row holds (the header's last
            # pieces, 金 金): without it, where the whole run explains no row
            run = i - 1 - pended_from
            for above in (run, run - 1)[:2 if run > 1 else 1]:
                centred = centred_at(i - 1, above)
                if centred is not None:
                    break
        if centred is not None:
            # cells centred on their row and wrapped, a text line per baseline: the row's
            # lines above (set aside as text) and as many below
            toks, taken = centred
            i += taken
            pending = []
        if head is None and centred is None and not fill_down & {"level1", "level2"}:
            start = i - 1 if pended_from is None else pended_from
            if centred_at(i, i - start):
                # a line above a row the next line reads whole by its centred cells (a rate
                # wrapped on it: 住房保障 保障相关 部分任务 94.77): set aside for that row
                pended_from = start
                continue
        woven = _straddling(items, i - 1, fields, spec, pending) if head is None and centred is None else None
        if woven is not None:
            # cells wrapped around the row's line of figures (住房保障 保障相关 部分任务 94.77 /
            # 93374673.23 … 1.5 / 支出 业务支 完成 %): one row of the three lines (or five)
            toks, taken = woven
            i += taken
            pending = []
        kinds = [_kind_of_token(t) for t in toks]
        # a fund line whose figures are all blank (上年结转资金 — —) is a row all the same
        blank_fund_line = len(toks) > 1 and toks[0] in vocab.fund_lines() and all(k == "null" for k in kinds[1:])
        if not any(k in ("num", "rate") for k in kinds) and not blank_fund_line and not (
                key_field and toks and sum(k == "null" for k in kinds) >= 1):
            run_from, pended_from = pended_from, None
            if "level1" in fill_down and _weighted_level(toks, items, i, last, rows_here, marks):
                continue
            if "level1" in fill_down and _WEIGHTED_LABEL.match(toks[0]):
                toks = toks[1:]  # set above; what follows it is the 二级 or wrapped text
            levels = (_level_labels(toks, fill_down)
                      or _level_pair_by_position(toks, fill_down, items, i)) if toks else {}
            above = LABEL_WEIGHT.sub("", last.get("level1") or "")
            if levels.get("level1") not in (None, *toks) and vocab.holds(above, levels.get("level2")):
                del levels["level1"]  # the 一级 printed above (投入) holds this 二级 in a framework of its own
            if levels:
                _set_levels(levels, last, rows_here)
                marks.extend((f, v, i - 1, ln.page) for f, v in levels.items() if v in toks)  # not a 一级 inferred
                continue
            levels, k = _leading_levels(toks, fill_down)
            if levels:
                # labels centred on their rows, printed beside wrapped text of other cells (产出 职责履行 按完成率…)
                _set_levels(levels, last, rows_here)
                marks.extend((f, v, i - 1, ln.page) for f, v in levels.items())
                toks = toks[k:]
            if toks and _tail_of_row(rows_here, toks, i - 1, fields):
                continue
            if toks:
                # a label's part beside a line of the next cell's prose (社会保障和就业 | 保障委系统
                # 在职职工养老保险…): the label's part alone, when the label is the first column
                first_is_label = label_field and fields and fields[0][0] == label_field
                prose_beside = len(toks) == 2 and len(toks[1]) > 12 and len(toks[0]) <= 8
                part = toks[0] if first_is_label and prose_beside else "".join(toks)
                pending = (pending + [part])[-2:]
                pended_from = i - 1 if run_from is None else run_from
            continue
        rec = _row(toks, fields, ln.page, context, spec, fill_down, last, label_field, pending,
                   items, i)
        pending, pended_from = [], None
        if rec is not None and label_field and not rec.get(label_field) and rows_here and not (
                fill_down & {f for f, _ in fields}):
            break  # figures without a name after the rows: the table has ended
        if rec is None:
            result.figure_lines += 1
            result.unread.append((ln.page, ln.text.strip()))
            continue
        result.figure_lines += 1
        # a row of another kind ends the table; a row whose merged label is still to come does not
        if stop_unless and any(rec.get(f) and not r.search(rec[f]) for f, r in stop_unless.items()):
            break
        if required and not any(rec.get(f) is not None for f in required) and not (key_field and rec.get(key_field)):
            result.unread.append((ln.page, ln.text.strip()))
            continue
        marks.extend((f, rec[f], i - 1, ln.page) for f in rec.get("_own_fill", []) if rec.get(f))
        own = [f for f, _ in fields if f not in fill_down and not f.startswith("_") and f not in context]
        if fill_down and own and all(rec.get(f) is None for f in own):
            # only merged group cells on this line (任务1 … 1167.40 centred over its indicators):
            # they cover the rows around it, and are no row of their own
            _fill_above(rec, rows_here)
            continue
        if unit:
            rec["_unit"] = unit
        _fill_above(rec, rows_here)
        rec["_line"] = i - 1
        rows_here.append(rec)
        result.records.append(rec)
    if per_line and fill_down & {"level1", "level2"} and rows_here:
        centred_levels(rows_here, marks)
        _levels_from_fragments(items, body_start, i, rows_here, fill_down)
    for rec in rows_here:
        rec.pop("_line", None)
    if stream:
        if fill_down & {"level1", "level2"}:
            stream = _labels_rejoined(_evidence_rejoined(_without_remarks(stream)))
        for rec in _rows_from_stream(stream, fields, numeric, spec, fill_down, label_field, context, result):
            if unit:
                rec["_unit"] = unit
            result.records.append(rec)
    return i


def _read_positional(spec, table, items, i, span, header_res, total_re, end_re, context_res, context, unit,
                     result: TextTableResult) -> int:
    header_lines = [ln for ln, _, _ in items[i:i + span]]
    # a header cell wrapped over lines (预算执 / 行率) sits just above and below the
    # header line, in a column no other header word takes
    base = list(header_lines)
    above = i - 1
    while above >= 0 and _wraps_header(items[above][0], base):
        header_lines.insert(0, items[above][0])
        above -= 1
    i += span
    while i < len(items) and _wraps_header(items[i][0], base):
        header_lines.append(items[i][0])
        i += 1
    body: list[Line] = []
    total_line = None
    own_labels = {w.text for h in header_lines for w in (h.words or [])}
    if unit is None:  # a unit under a header label (资金情况 / （千元）)
        unit = next((u for u in (vocab.stated_unit(t) for t in own_labels) if u), None)
    while i < len(items):
        ln, toks, text = items[i]
        step = _table_goes_on(items, i, bool(body), header_res, end_re, context_res, own_labels)
        if step is None:
            break
        if step:
            i += step
            continue
        i += 1
        if total_re is not None and toks and total_re.search(toks[0]):
            total_line = ln
            break
        body.append(ln)
    records, unread, labels = positional_table(spec, table, header_lines, body, dict(context))
    if not _laid_out(body):
        # a PDF's columns by the gutters between all its words, or between its figures alone
        # (wrapped prose may bridge a gutter): the reading with more whole rows is kept
        other = positional_table(spec, table, header_lines, body, dict(context), figures_only=True)
        if _whole_rows(other[0], spec) > _whole_rows(records, spec):
            records, unread, labels = other
    if total_line is not None:
        toks = _tokens(total_line.text)
        # the header's columns as the rows were read under them (全年预算数 总额 | 财政拨款 …),
        # else its words one by one
        for words in (labels, [w.text for h in header_lines for w in (h.words or [])]):
            fields = [(f, _field_kind(table, f)) for f in _header_fields(spec, words)]
            rec = _total_record(toks[1:], fields, total_line.page, dict(context))
            if rec is not None:
                records.append(rec)
                break
        else:  # a 合计 printed and not read: its figures are not the tasks' to be checked against
            unread.append((total_line.page, total_line.text.strip()))
    for rec in records:
        if unit:
            rec["_unit"] = unit
        if not rec.get("_total"):
            result.figure_lines += 1
    result.records.extend(records)
    result.unread.extend(unread)
    return i


@lru_cache(maxsize=1)
def _role_terms() -> frozenset[str]:
    return frozenset(t for terms in vocab.roles().values() for t in terms)


def _another_header(toks: list[str], own: set[str] = frozenset()) -> bool:
    """A line of column labels (任务 | 年初预期目标 | 指标名称 | 年度指标值 …): the
    header of the next table, so this one has ended — unless they are this table's
    own labels, repeated on a new page."""
    if len(toks) < 3 or any(_kind_of_token(t) in ("num", "rate", "measure") for t in toks):
        return False
    terms = [t for t in toks if t in _role_terms()]
    return len(terms) >= 2 and not set(terms) <= own


def _table_goes_on(items, i, started: bool, header_res, end_re, context_res, own_labels) -> int | None:
    """Whether line i is still part of the table: None when the table ends here (the
    next table's 项目名称 or header, the section's end), a number of lines to skip (its
    own header repeated on a new page), or 0 (a line of the table)."""
    _, toks, text = items[i]
    if started and _context_of(context_res, toks, items, i):
        return None
    span = _header_at(header_res, items, i)
    if span:
        return span if started else None
    if end_re is not None and end_re.search(text):
        return None
    if started and _another_header(toks, own_labels):
        return None
    if started and len(toks) == 1:  # a header printed a cell per line
        run = []
        for _, ts, _ in items[i:i + 6]:
            if len(ts) != 1:
                break
            run.extend(ts)
        if len(run) >= 3 and _another_header(run, own_labels):
            return None
    return 0


def _is_fragment(text: str | None) -> bool:
    """A piece of a level label (影响, 象满意, 效), or a single character: no label itself."""
    if not text:
        return False
    bare = OPEN_WEIGHT.sub("", LABEL_WEIGHT.sub("", text))  # 标（50: the end of 产出指标（50分） wrapped
    terms, _ = level_terms()
    return bare not in terms and (len(bare) <= 1 or label_piece(bare))


def _levels_from_fragments(items, start: int, end: int, rows: list[dict], fill_down: set[str]) -> None:
    """一级/二级 labels wrapped in narrow merged cells and printed a row per line come
    apart around their rows' lines (数量 / 指标1：… 12.5 / 指标; 满意度 服务对 / 指标 象满意
    … / （10分） 度指标). Parts on lines close together that make a label of the
    vocabulary, in order, are put back together; a label covers the rows whose lines
    it spans (else the row nearest it). Parts taken for levels or names are cleared."""
    terms, prefixes = level_terms()
    partials: list[list] = []  # [text, first line, last line, pieces]
    done: list[tuple[str, int, int, list]] = []

    def grow(p, k, tok):
        p[0] += tok
        p[2] = k
        p[3].append((k, tok))

    for k in range(start, end):
        for tok in items[k][1]:
            # a weight wrapped with the label (产出指 / 标（50 / 分）, 满意度指标 / （10 / 分）):
            # its opening part goes with the label's last piece, 分） closes it
            if tok in ("分)", "分）"):
                hit = next((p for p in reversed(partials) if OPEN_WEIGHT.search(p[0]) and 0 < k - p[2] <= 2), None)
                if hit:
                    grow(hit, k, tok)
                continue
            opened = OPEN_WEIGHT.search(tok)
            if opened and opened.start() == 0:  # （10 alone, under a whole 一级
                hit = next((p for p in reversed(partials) if p[0] in vocab.level1_terms() and 0 < k - p[2] <= 2), None)
                if hit:
                    grow(hit, k, tok)
                    continue
            if LABEL_WEIGHT.fullmatch(tok):  # （50分） under its 一级
                hit = next((p for p in reversed(partials) if p[0] in vocab.level1_terms() and k - p[2] <= 2), None)
                if hit:
                    grow(hit, k, tok)
                continue
            piece = tok[:opened.start()] if opened else tok
            if len(piece) > 8 or not piece or _kind_of_token(piece) not in ("text", "level"):
                continue
            hit = next((p for p in reversed(partials) if 0 < k - p[2] <= 2 and LABEL_WEIGHT.sub("", p[0]) == p[0]
                        and not OPEN_WEIGHT.search(p[0]) and p[0] + piece in prefixes
                        and (not opened or p[0] + piece in vocab.level1_terms())), None)
            if hit is not None:
                grow(hit, k, tok)
            elif tok in prefixes and (tok not in terms or any(t != tok and t.startswith(tok) for t in terms)):
                partials.append([tok, k, k, [(k, tok)]])
        # partials that can no longer grow are done
        for p in [p for p in partials if k - p[2] >= 2]:
            partials.remove(p)
            done.append(tuple(p))
    done.extend(tuple(p) for p in partials)
    labels = [(text, a, b, pieces) for text, a, b, pieces in done
              if len(pieces) > 1 and LABEL_WEIGHT.sub("", text) in terms]
    for text, a, b, pieces in labels:
        bare = LABEL_WEIGHT.sub("", text)
        level = "level1" if bare in vocab.level1_terms() and (text != bare or bare not in vocab.level_parents()) \
            else "level2"
        if level not in fill_down:
            continue
        inside = [r for r in rows if a <= r["_line"] <= b]
        if not inside:
            # on lines of its own between rows: text in content order prints a merged
            # cell before its rows (满意度 / 指标（10 / 分） / 服务对象 / … / 企业满意度 …)
            below = [r for r in rows if r["_line"] > b]
            inside = [min(below or rows, key=lambda r: (abs(r["_line"] - (a + b) / 2), r["_line"]))]
        # the rows after, down to the next label, filled down what the pieces read as (生态效益)
        was = inside[-1].get(level)
        after = rows[rows.index(inside[-1]) + 1:]
        inside = inside + list(itertools.takewhile(lambda r: was and r.get(level) == was, after))
        for r in inside:
            r[level] = text
            # the label's piece on the row's line (标（30 生态效益指标 …) took the 二级's cell,
            # and the 二级 the name's: each goes back one cell
            if level == "level1" and (r["_line"], r.get("level2")) in pieces and r.get("name") in terms \
                    and r.get("name") not in vocab.level1_terms():
                r["level2"], r["name"] = r["name"], None
        for r in rows:  # parts the row's name took (标 社会效 指标1：…) are no part of it
            near = range(r["_line"] - 2, r["_line"] + 2)
            if r.get("name") and a - 1 <= r["_line"] <= b + 1:
                toks = [t for k in near if start <= k < end for t in items[k][1]]
                r["name"] = _name_without_parts(r["name"], toks, {t for k, t in pieces if k in near})
    used = {(k, t) for _, _, _, pieces in labels for k, t in pieces}
    for r in rows:
        if r.get("name") is None and "name" in r:
            r["name"] = _name_around(items, r["_line"], start, end, used)
    _clear_fragments(rows)
    _levels_nested(rows)


def _name_without_parts(name: str, toks: list[str], parts: set[str]) -> str:
    """A row's name less the leading tokens of its line that are parts of a level label,
    or lone characters of a label printed down the side (绩 / 效 / 指 / 标)."""
    rest = name
    for k, tok in enumerate(toks):
        if not rest.startswith(tok):
            continue  # a token the row put in another column
        after = rest[len(tok):]
        # a whole token of the line (指标 | 象满意 | 指标1：…), not the start of the name's own
        if (tok in parts or len(tok) == 1) and after and k + 1 < len(toks) and after.startswith(toks[k + 1]):
            rest = after
            continue
        break
    return rest


def _name_around(items, line: int, start: int, end: int, used: set) -> str | None:
    """A name wrapped around its row's line (数量 指标1：事业单位离休人员和保健对象医 /
    100% 100% 12.5 12.5 / 指标 疗费报销覆盖率): the line above and the line below, less
    the parts of level labels beside it."""
    def words(k):
        if not start <= k < end:
            return None
        toks = [t for t in items[k][1] if (k, t) not in used and not (len(t) == 1 and _cjk(t))]
        if not toks or any(_kind_of_token(t) in ("num", "rate") for t in items[k][1]):
            return None
        return toks

    above, below = words(line - 1), words(line + 1)
    if not above or len(above) != 1 or _PROSE.search(above[0]):
        return None
    tail = below[-1] if below and len(below) == 1 and not _PROSE.search(below[-1]) else ""
    return above[0] + tail


def _tail_of_row(rows_here: list[dict], toks: list[str], k: int, fields) -> bool:
    """The last lines of a row's cells below its line of figures (节能环保 保障节能环保方面支
    任务完 10134.79 … / 支出 出。 成): a line of text right below the row with as many
    parts as the row has cells of words, one of them ending its cell (出。), is added to
    those cells in order.  Whether it was."""
    if not rows_here or rows_here[-1].get("_line") != k - 1:
        return False
    rec = rows_here[-1]
    texts = [f for f, kind in fields if kind == "text" and isinstance(rec.get(f), str) and rec.get(f)]
    if len(texts) != len(toks) or len(toks) < 2 or not any(_ENDS_CELL.search(t) for t in toks) \
            or any(_kind_of_token(t) not in ("text", "level") for t in toks):
        return False
    if any(_ENDS_CELL.search(rec[f]) for f in texts):
        return False  # a cell that ended on the row's line takes no more
    for f, t in zip(texts, toks):
        rec[f] += t
    return True


def _head_above(items, k: int, pending: list[str]) -> list[str] | None:
    """Cells wrapped over two lines whose second line holds the row's figures (住房保障
    保障住房保障工作正 基本任 / 支出 常开展。 务完成 204561.30 … 3.5): the line above, set
    aside as text, has as many parts as the figure line has words before its figures,
    and each part begins the cell its word ends.  The row's tokens, or None."""
    if k < 1 or not pending:
        return None
    prev_ln, above = items[k - 1][0], items[k - 1][1]
    ln, toks = items[k][0], items[k][1]
    if len(above) < 2 or pending[-1] != "".join(above) or not _next_line(prev_ln, ln):
        return None
    if any(_kind_of_token(t) not in ("text", "level") for t in above):
        return None
    n = len(above)
    lead, rest = toks[:n], toks[n:]
    if len(lead) < n or any(_kind_of_token(t) not in ("text", "level") for t in lead) \
            or sum(_kind_of_token(t) in ("num", "rate") for t in rest) < 2 \
            or _kind_of_token(rest[0]) not in ("num", "rate", "null") or any(re.search(r"\d", a) for a in above):
        return None
    if prev_ln.words and ln.words:  # laid out: each part stands over the word it begins
        if len(prev_ln.words) != n or len(ln.words) < n or any(
                min(a.x1, b.x1) - max(a.x0, b.x0) <= 0 for a, b in zip(prev_ln.words, ln.words)):
            return None
    cells = []
    for a, b in zip(above, lead):
        if _ENDS_CELL.search(a):
            return None  # a cell that ends on the line above is the row above's
        if not (len(a + b) <= 16 and not _PROSE.search(a) or _ENDS_CELL.search(b) and len(a + b) <= 80):
            return None
        cells.append(a + b)
    return cells + rest


def _straddling(items, k: int, fields, spec, pending: list[str]):
    """Cells wrapped over two lines, one above and one below the line of the row's
    figures (a table whose cells are centred vertically, printed a row per line): the
    row's tokens in column order — each part above joined to the one below it, woven
    among the figures by type — and how many lines after k they took; or None where
    lines k, k+1, k+2 are not so.  A longer cell's first and last lines stand one
    further out (保障住房 / … / 出。): with one part each, they go to the longest text."""
    if k + 2 >= len(items) or not (items[k][0].page == items[k + 1][0].page == items[k + 2][0].page):
        return None
    above, figures, below = items[k][1], items[k + 1][1], items[k + 2][1]
    fig_kinds = [_kind_of_token(t) for t in figures]
    if len(above) < 2 or len(above) != len(below) or sum(f in ("num", "rate") for f in fig_kinds) < 2:
        return None
    cells = []
    for a, b in zip(above, below):
        ka, kb = _kind_of_token(a), _kind_of_token(b)
        if ka == "num" and b in ("%", "％"):
            cells.append(a + b)
        elif ka in ("text", "level") and kb in ("text", "level") and len(b) <= len(a) + 1 \
                and len(a + b) <= 16 and not _PROSE.search(a):
            cells.append(a + b)  # short cells, narrow columns: not lines of prose beside the row
        elif ka == kb == "text" and len(a) >= 8 and _ENDS_CELL.search(b) and not _ENDS_CELL.search(a) \
                and len(a + b) <= 80:
            cells.append(a + b)  # one sentence over the two lines (评分细则 beside the row's figures)
        else:
            return None
    if not any(_kind_of_token(c) == "text" for c in cells):
        return None
    taken = 2
    after = items[k + 3][1] if k + 3 < len(items) and items[k + 3][0].page == items[k][0].page else []
    outer = [p for p in pending[-1:]] if pending and len(after) == 1 else []
    figures = list(figures)
    if outer and _kind_of_token(after[0]) == "text" and _kind_of_token(figures[0]) == "text" \
            and not _PROSE.search(outer[0].rstrip("。")) and len(outer[0] + figures[0] + after[0]) <= 16 \
            and not _LABEL_PIECE.search(outer[0] + after[0]) and not _ENDS_CELL.search(after[0]) \
            and not {"level1", "level2"} & set(spec.get("fill_down", [])):
        # a cell one line longer on each side, its middle line beside the figures (社会保障 /
        # 和就业支 / 出): the word on the figures' line is that cell's, the outer lines too
        # (not a sentence's last line, 展。, which is the prose cell's; not where merged
        # 一级/二级 labels wrap beside the rows: their pieces stand there)
        figures[0] = outer[0] + figures[0] + after[0]
        taken = 3
    elif outer and _kind_of_token(after[0]) == "text" and not _PROSE.search(outer[0].rstrip("。")) \
            and len(cells) > 1 and len(outer[0]) <= max(len(c) for c in cells):
        texts = [j for j in range(1, len(cells)) if _kind_of_token(cells[j]) == "text"]
        if texts:
            j = max(texts, key=lambda j: len(cells[j]))
            cells[j] = outer[0] + cells[j] + after[0]
            taken = 3
    hit = _woven(cells, figures, fields, spec)
    return (hit[1], taken) if hit else None


def _woven(cells: list[str], figures: list[str], fields, spec) -> tuple[float, list[str]] | None:
    """Two runs of tokens, a row's joined text cells and its figures, each in order, woven
    into the columns in order by how well each token fits its column: (fit, tokens in
    column order), or None where they cannot all be placed."""
    shapes = {f: compile_pattern(v) for f, v in spec.get("stop_unless", {}).items()}
    likes = {f: compile_pattern(v) for f, v in (spec.get("shapes") or {}).items()}
    n, m, width = len(cells), len(figures), len(fields)
    NEG = float("-inf")
    best = {(0, 0): (0.0, ())}
    for f in range(width):
        nxt: dict = {}
        for (i, j), (sc, seq) in best.items():
            options = [((i, j), sc, seq)]
            for run, at, step in ((cells, i, (1, 0)), (figures, j, (0, 1))):
                if at < len(run):
                    tok = run[at]
                    fit = _put_fit(tok, _kind_of_token(tok), bool(_PROSE.search(tok)), fields[f], frozenset(),
                                   shapes, likes)
                    if fit is not None:
                        options.append(((i + step[0], j + step[1]), sc + fit, seq + (tok,)))
            for key, score, order in options:
                if score > nxt.get(key, (NEG,))[0]:
                    nxt[key] = (score, order)
        best = nxt
    hit = best.get((n, m))
    return (hit[0], list(hit[1])) if hit else None


_FUND_LINE_LEAD = re.compile(r"^其中[:：]?")


_BIGRAMS: dict[int, tuple[list, frozenset[str]]] = {}


def _bigrams(items) -> frozenset[str]:
    """The pairs of Han characters the document prints side by side inside a word of a line:
    its own words, where one line breaks them (一般公共 / 服务: 共服 stands whole elsewhere)."""
    hit = _BIGRAMS.get(id(items))
    if hit is not None and hit[0] is items:
        return hit[1]
    pairs = frozenset(tok[k:k + 2] for _, toks, _ in items for tok in toks for k in range(len(tok) - 1)
                      if _cjk(tok[k]) and _cjk(tok[k + 1]))
    _BIGRAMS.clear()
    _BIGRAMS[id(items)] = (items, pairs)
    return pairs


def _centred_row(items, k: int, above: int, fields, spec) -> tuple[list[str], int] | None:
    """A row whose cells are centred vertically and wrapped over lines, as a text tool that
    prints a line per baseline gives it (pdfplumber): a cell of n lines stands n/2 lines
    above and below the row's line of figures, so a cell of an even count of lines prints
    on baselines between the others' (保障住房保 / 住房保障支 部分任务完 / 障相关业务 93374673.23
    … / 出 成 / 支出。; a rate wrapped, 100.00 / %, likewise) — or, in small type, on theirs,
    half a line up or down (一般公共服务 beside the figures, 支出 below).  Each column's count
    of lines says which of the row's lines it stands on, and it takes the next word of each.
    Of the counts that place every word, the one whose cells fit their columns best (and
    wrap as a column does: full lines, then a shorter last, a sentence's end last) gives
    the row's tokens in column order and the lines below taken; None where no count does."""
    if above < 1 or above > 5 or len(fields) > 16:
        return None
    shapes = {f: compile_pattern(v) for f, v in spec.get("stop_unless", {}).items()}
    likes = {f: compile_pattern(v) for f, v in (spec.get("shapes") or {}).items()}
    NEG = float("-inf")
    pairs = _bigrams(items)

    def figures(toks):
        return sum(_kind_of_token(t) in ("num", "rate") for t in toks)

    @lru_cache(maxsize=None)
    def cell_fit(field, pieces: tuple[str, ...]) -> float | None:
        name, fkind = field
        if fkind == "aside":  # a merged label beside the rows, wrapped (项目资金（万 / 元）): no cell of theirs
            return 0.0 if len(pieces) > 1 and vocab.wrapped_header_cell(pieces) else None
        kinds = [_kind_of_token(t) for t in pieces]
        if fkind in ("num", "rate"):
            if len(pieces) == 1:
                return _fits(kinds[0], fkind, pieces[0])
            ok = fkind == "rate" and len(pieces) == 2 and kinds[0] == "num" and pieces[1] in ("%", "％")
            return 3.0 if ok else None
        if fkind == "other" and len(pieces) > 1:
            return None  # a column no field takes holds a figure or a word, not a wrapped cell
        if fkind not in ("measure", "other") and any(x in ("num", "rate") for x in kinds):
            return None
        if any(_ENDS_CELL.search(t) for t in pieces[:-1]):
            return None  # a sentence's end ends its cell: the next line is another row's
        column = name.rpartition(".")[2]
        if len(pieces) > 1 and column in _LABEL_FIELDS and any(
                column == "fund_source" and _FUND_LINE_LEAD.sub("", t) in vocab.fund_lines()
                or t.count("(") != t.count(")") for t in pieces):
            return None  # a fund line (其中：当年财政拨款) is whole; a merged label beside it (项目资金（ / 元）)
        cell = "".join(pieces)
        fit = _put_fit(cell, _kind_of_token(cell), bool(_PROSE.search(cell)), field, frozenset(), shapes, likes)
        if fit is None or len(pieces) < 2:
            return fit
        full = max(_em(t) for t in pieces[:-1])  # a cell wraps at its column's width
        fit -= sum(1.0 for t in pieces[:-1] if _em(t) < full - 1)
        # and mid-word, often: a word the document prints whole elsewhere, broken (一般公共 /
        # 服务方面支), joins the right pieces
        fit += sum(0.3 for a, b in zip(pieces, pieces[1:]) if a[-1:] + b[:1] in pairs)
        return fit - (1.0 if _em(pieces[-1]) > full + 1 else 0.0)

    layouts = []  # (lines below, each cell's choice of lines)
    for r in range(above + 1):  # integer offsets -r..r (odd counts of lines), half ones for even
        s = above - r
        offsets = sorted([float(u) for u in range(-r, r + 1)] + [h - 0.5 for h in range(-s + 1, s + 1)])
        layouts.append((above, [
            tuple(j for j, u in enumerate(offsets) if (u == int(u)) == (n % 2 == 1) and abs(u) <= (n - 1) / 2)
            for n in list(range(1, 2 * r + 2, 2)) + list(range(2, 2 * s + 1, 2))]))
    for below in (above, above - 1):  # small type: even counts on the others' baselines, up or down
        odd = [tuple(range(above - h, above + h + 1)) for h in range(min(above, below) + 1)]
        even = [tuple(range(above + lo, above + lo + n)) for n in range(2, above + below + 2, 2)
                for lo in (-n // 2, -n // 2 + 1) if -above <= lo and lo + n - 1 <= below]
        layouts.append((below, odd + even))
    columns = [("_aside", "aside"), *fields]
    best: tuple[float, tuple, int] | None = None
    for below, on in layouts:
        block = items[k - above:k + below + 1]
        if k + below >= len(items) or any(ln.page != items[k][0].page for ln, _, _ in block):
            continue
        lines = tuple(tuple(toks) for _, toks, _ in block)
        if figures(lines[above]) < 2 or any(not toks or figures(toks) > 1 or max(_em(t) for t in toks) > 24
                                            for j, toks in enumerate(lines) if j != above):
            continue  # (a line of figures or a paragraph's line is no piece of a cell)

        # a figure stands on the row's line; only a rate wraps (100.00 / %), over two lines
        one = [rows for rows in on if rows == (above,)]
        two = [rows for rows in on if len(rows) == 2]
        per_column = [one + two if kind == "rate" else one if kind in ("num", "other") else on
                      for _, kind in columns]

        @lru_cache(maxsize=None)
        def place(c: int, at: tuple) -> tuple[float, tuple]:
            if c == len(columns):
                done = all(at[j] == len(lines[j]) for j in range(len(lines)))
                return (0.0, ()) if done else (NEG, ())
            if any(len(lines[j]) - at[j] > len(columns) - c for j in range(len(lines))):
                return NEG, ()  # more words left on a line than columns to take them
            sc, cells = place(c + 1, at)
            options = [(sc - 0.01, cells)] if sc > NEG else []
            for rows in per_column[c]:
                if any(at[j] >= len(lines[j]) for j in rows):
                    continue
                fit = cell_fit(columns[c], tuple(lines[j][at[j]] for j in rows))
                if fit is None:
                    continue
                nxt = tuple(p + 1 if j in rows else p for j, p in enumerate(at))
                sc, cells = place(c + 1, nxt)
                if sc > NEG:
                    cell = "".join(lines[j][at[j]] for j in rows)
                    options.append((sc + fit, cells if c == 0 else (cell,) + cells))
            return max(options, key=lambda o: o[0]) if options else (NEG, ())

        score, cells = place(0, (0,) * len(lines))
        if score > NEG and (best is None or score > best[0]):
            best = (score, cells, below)
    return (list(best[1]), best[2]) if best else None


def _levels_nested(rows: list[dict]) -> None:
    """A 二级 of the vocabulary (社会效益指标) is under its own 一级 (效益指标): a row whose
    一级 was carried down from a label that has no such 二级 takes its 二级's 一级, as the
    table prints it (效益指标（30分）) where it does."""
    children = vocab.level_children()
    printed = {LABEL_WEIGHT.sub("", r["level1"]): r["level1"] for r in rows if r.get("level1")}
    for r in rows:
        one, two = r.get("level1"), r.get("level2")
        parent = vocab.only_parent(two or "")
        bare = LABEL_WEIGHT.sub("", one or "")
        # only under a 一级 of the vocabulary: a 一级 the table names its own way (投入) stays
        if parent and bare in children and bare != parent and two not in children[bare]:
            r["level1"] = printed.get(parent, parent)


def _clear_fragments(rows: list[dict]) -> None:
    """A level that is a piece of a label is no label: the row takes its group's (the
    row above it under the same 一级), or none."""
    for f in ("level1", "level2"):
        last = last_level1 = None
        for r in rows:
            if _is_fragment(r.get(f)):
                r[f] = last if f == "level1" or (last and r.get("level1") == last_level1) else None
            if r.get(f):
                last = r[f]
                last_level1 = r.get("level1")


def _level_labels(toks: list[str], fill_down: set[str]) -> dict[str, str]:
    """A line of 一级/二级 labels alone (a merged cell printed once): which level each is."""
    if not fill_down & {"level1", "level2"}:
        return {}
    parents = vocab.level_parents()
    out = {}
    if len(toks) > 1 and vocab.is_form_label(toks[0]):
        toks = toks[1:]  # the form's own merged label beside them (绩效指标 质量指标)
    for t in toks:
        if t in vocab.level1_terms() and "level1" in fill_down and "level1" not in out:
            out["level1"] = t
        elif t in parents and "level2" in fill_down:
            out["level2"] = t
            if "level1" in fill_down and "level1" not in out:
                out["level1"] = parents[t]
        else:
            return {}
    return out


_SHORT_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,8}$")


def _level_pair_by_position(toks: list[str], fill_down: set[str], items, after: int) -> dict[str, str]:
    """Two labels alone on a line, the first a level the vocabulary knows and the second
    one it does not (运行成本 经济成本: 运行成本 is a 二级 in one framework, a 一级 with its
    own 二级 in another), ending in a head word the vocabulary's levels end in (成本, 效益,
    管理): a merged 一级 and 二级 in the order a table prints them, where the
    next line of figures begins with its own name (三公经费控制率 5 5) - so the second label
    is no 三级 whose figures follow (数量指标 开展检查次 / 数 / 不低于80次 83次 24 24)."""
    if not {"level1", "level2"} <= fill_down or len(toks) != 2:
        return {}
    first, second = toks
    terms, _ = level_terms()
    if first not in terms or second in terms or not _SHORT_LABEL.match(second) or not whole_label(second):
        return {}
    if second[-2:] not in {t[-2:] for t in terms}:
        return {}  # a label ends in a level's head word (经济成本 as 运行成本); 空气质量优良 / 天数比例 is a name
    for _, later, _ in items[after:after + 4]:
        kinds = [_kind_of_token(t) for t in later]
        if any(k in ("num", "rate") for k in kinds):
            named = kinds[0] == "text" and len(later[0]) >= 3 and not vocab.is_role_term(later[0])
            return {"level1": first, "level2": second} if named else {}
    return {}


def _leading_levels(toks: list[str], fill_down: set[str]) -> tuple[dict[str, str], int]:
    """The 一级/二级 labels that begin a line of other cells' wrapped text, as printed
    (none inferred from the vocabulary), and how many tokens they are."""
    for k in range(min(2, len(toks) - 1), 0, -1):
        levels = _level_labels(toks[:k], fill_down)
        levels = {f: v for f, v in levels.items() if v in toks[:k]}
        if len(levels) == k:
            return levels, k
    return {}, 0


def _set_levels(levels: dict[str, str], last: dict, rows_here: list[dict]) -> None:
    """Rows read before their merged level label was printed (text of a vertically
    centred cell comes out in the middle of its rows) get it when it arrives."""
    for f, v in levels.items():
        for rec in reversed(rows_here):
            if rec.get(f) is None:
                rec[f] = v
            else:
                break
        last[f] = v
    if "level1" in levels and "level2" not in levels:
        last.pop("level2", None)


_WEIGHTED_LABEL = re.compile(r"^[^\d\s(),.;:、。]{2,12}\(\d+(?:\.\d+)?分\)$")
_WEIGHT_PART = re.compile(r"^\(?\d*(?:\.\d+)?分?\)$|^\(\d+(?:\.\d+)?分?$")


_WEIGHT_ALONE = re.compile(r"^\((\d+(?:\.\d+)?)分\)$")


def _weighted_labels(items) -> list[tuple[str, Decimal]]:
    """The 一级 labels printing their weight (部门决策(15分), or 部门管理 / (25分) over two
    lines) anywhere in the text, in order (a label repeated on the next line once)."""
    flat = [t for _, toks, _ in items for t in toks]
    found: list[tuple[str, Decimal]] = []
    for k, tok in enumerate(flat):
        label = tok if _WEIGHTED_LABEL.match(tok) else None
        alone = _WEIGHT_ALONE.match(tok)
        if alone and k and _kind_of_token(flat[k - 1]) in ("text", "level") and _WEIGHTED_LABEL.match(flat[k - 1] + tok):
            label = flat[k - 1] + tok
        if label and (not found or found[-1][0] != label):
            found.append((label, Decimal(re.search(r"\((\d+(?:\.\d+)?)分\)$", label).group(1))))
    return found


def _level1_by_weights(records: list[dict], items) -> None:
    """一级 labels that print their weight say which rows are theirs even where they
    stand apart from them: merged cells that a tool prints after the table (content
    order: pypdfium2, `pdftotext -raw`, PyMuPDF) or among other cells' text.  Taken in
    order, each one's weight is the sum of the 分值 of the next rows.  Groups whose
    rows add up exactly (from the first row on, and from the last row back, so that
    a row not read costs only its own group) get their label as the 一级."""
    rows = [r for r in records if not r.get("_total")]
    labels = _weighted_labels(items)
    if len(rows) < 2 or len(labels) < 2:
        return
    if len({label for label, _ in labels}) < len(labels):
        return  # labels printed again: tables of several projects, each with its own
    bare = {LABEL_WEIGHT.sub("", label) for label, _ in labels}
    if all(LABEL_WEIGHT.sub("", r.get("level1") or "") in bare for r in rows):
        return  # the labels were read with their rows: the checks judge their weights
    try:
        weights = [Decimal(str(r["weight"])) for r in rows]
    except Exception:  # a row without its 分值: no sums to go by
        return

    def groups(order: list[int], named: list[tuple[str, Decimal]]) -> dict[int, str]:
        out: dict[int, str] = {}
        k = 0
        for label, weight in named:
            start, total = k, Decimal(0)
            while k < len(order) and total < weight:
                total += weights[order[k]]
                k += 1
            if total != weight or k == start:
                break
            out.update((order[j], label) for j in range(start, k))
        return out

    forward = groups(list(range(len(rows))), labels)
    if len(forward) < len(rows):
        backward = groups(list(range(len(rows)))[::-1], labels[::-1])
        if len(set(forward.values())) + len(set(backward.values())) < 2:
            return  # one group alone may add up by chance
        if any(forward.get(j, label) != label for j, label in backward.items()):
            return  # the weights disagree with the rows: an inconsistency for the checks, not a grouping
        for j, label in backward.items():
            forward.setdefault(j, label)
    elif len(set(forward.values())) < 2:
        return
    for j, label in forward.items():
        rows[j]["level1"] = label


def _weighted_level(toks, items, i, last: dict, rows_here: list[dict], marks: list) -> bool:
    """A 一级 label that prints its weight (部门决策（15分）), whole or broken over
    lines of text (部门决策（15分 / ）, 部门管理 / （25分）): set as the 一级 of the rows
    around it, for the weights to place later.  True when the line was such a label
    (its other words are wrapped text of other cells)."""
    first = toks[0]
    nxt = items[i][1][0] if i < len(items) and items[i][1] else ""
    label = None
    if _WEIGHTED_LABEL.match(first):
        label = first
    elif _WEIGHT_PART.match(first) and last.get("level1") and not LABEL_WEIGHT.search(last["level1"]):
        joined = last["level1"] + first
        if _WEIGHTED_LABEL.match(joined):  # the weight of the label just seen
            old = last["level1"]
            for rec in rows_here:
                if rec.get("level1") == old:
                    rec["level1"] = joined
            marks[:] = [(f, joined if (f, v) == ("level1", old) else v, line, page) for f, v, line, page in marks]
            last["level1"] = joined
            return len(toks) == 1
        return False
    elif nxt and _WEIGHT_PART.match(nxt) and _WEIGHTED_LABEL.match(first + nxt):
        label = first + nxt
    elif nxt and _WEIGHTED_LABEL.match(first + nxt + ")"):
        label = first + nxt + ")"
    if label is None:
        return False
    levels = {"level1": label}
    # the line holds the label and a whole 二级 beside it, nothing else (运行成本（10分） 经济成本)
    if len(toks) == 2 and label == first and whole_label(toks[1]) and not LABEL_WEIGHT.search(toks[1]):
        levels["level2"] = toks[1]
    _set_levels(levels, last, rows_here)
    marks.append(("level1", label, i - 1, items[i - 1][0].page))
    return False  # the line's other words still belong to the cells beside


def _worded_measure(token: str | None) -> bool:
    """A target or result in words (有效丰富, 逐步完善), not a level label (时效指标,
    产出指标（40分）) or a sentence."""
    return bool(token) and _kind_of_token(token) == "text" and len(token) <= 8 \
        and not token.endswith("指标") and not LABEL_WEIGHT.search(token)


def _fill_above(rec: dict, rows_here: list[dict]) -> None:
    """Merged labels printed on this row's line (a cell centred on its rows) cover the
    rows above that have none; a 二级 only those under the same 一级."""
    # the 一级 first: a 二级 fills only rows under the same 一级
    for f in sorted(rec.pop("_own_fill", []), key=lambda f: f != "level1"):
        if rec.get(f) is None:
            continue  # a label the row's columns have no place for
        for above in reversed(rows_here):
            if above.get(f) is not None or (f == "level2" and above.get("level1") != rec.get("level1")):
                break
            above[f] = rec[f]


def _child_level(mapping: dict[str, str], last: dict) -> dict[str, str]:
    """A label that is both a 一级 and a 二级 term (成本指标) standing alone under a
    一级 it belongs to is that one's 二级, not a new 一级."""
    one = mapping.get("level1")
    above = LABEL_WEIGHT.sub("", last.get("level1") or "")  # 产出指标（45分）: its weight aside
    if one and "level2" not in mapping and above and one != above \
            and vocab.level_parents().get(one) == above:
        mapping = dict(mapping)
        mapping["level2"] = mapping.pop("level1")
    return mapping


def _named_row(mapping: dict[str, str], label_field: str | None, fill_down: set[str],
               whole: bool = True) -> dict[str, str]:
    """A scoring row always names itself (三级指标): a lone label is its name, even one
    the vocabulary knows as a 二级 (社会效益, 实际完成率); the 二级 comes from the rows above.
    Merged cells missing from a row are its first ones, so a label before the name is its
    二级 (履职效益 | 社会效益), unless it is a 一级 by its weight or by the vocabulary —
    or unless cells may wrap (`whole` false), where a cell before the name may be the last
    one of the row above (its 评分依据)."""
    if label_field and label_field not in fill_down and not mapping.get(label_field) \
            and mapping.get("level2") and "level2" in fill_down:
        mapping = dict(mapping)
        mapping[label_field] = mapping.pop("level2")
        one = mapping.get("level1")
        if whole and one and not LABEL_WEIGHT.search(one) and one not in vocab.level1_terms():
            mapping["level2"] = mapping.pop("level1")
    return mapping


def _row(toks, fields, page, context, spec, fill_down, last, label_field, pending, items, i) -> dict | None:
    while len(toks) > 2 and vocab.is_form_label(toks[0]) and _kind_of_token(toks[1]) in ("text", "level"):
        toks = toks[1:]  # the form's own merged label beside the rows (绩效指标 效益指标 …): no cell of theirs
    shapes = {k: compile_pattern(v) for k, v in spec.get("stop_unless", {}).items()}
    likes = {k: compile_pattern(v) for k, v in (spec.get("shapes") or {}).items()}
    mapping, fit, _ = align(toks, fields, scored=True, shapes=shapes, likes=likes)
    if mapping is None and _remark_after_figures(toks, fields):
        # a remark after the row's figures under a header that prints no remarks column
        # (Calc draws 偏差原因分析及改进措施 after the form): no cell of ours
        mapping, fit, _ = align(toks[:-1], fields, scored=True, shapes=shapes, likes=likes)
    if mapping is None:
        return None
    mapping = _named_row(_child_level(mapping, last), label_field, fill_down)
    rec: dict = {"page": page, **context, "_fit": fit}
    # merged cells printed on this row's line (centred on their rows): rows above may be under them too
    rec["_own_fill"] = [f for f in fill_down if mapping.get(f)]
    for f, _ in fields:
        value = apply_value_rules(spec, f, mapping.get(f))
        if value in NULL_TOKENS:
            value = None
        if f in fill_down:
            if value is None:
                value = last.get(f)
            else:
                if f == "level1" and "level2" not in mapping and last.get("level1") not in (None, value):
                    last.pop("level2", None)  # a new 一级 starts a new group of 二级
                last[f] = value
        rec[f] = value
    if "level2" in fill_down and rec.get("level2") and not mapping.get("level1"):
        parent = vocab.level_parents().get(rec["level2"])
        if parent and "level1" in fill_down and rec.get("level1") is None:
            rec["level1"] = parent
    if label_field:
        rec[label_field] = _label(rec.get(label_field), pending, items, i, spec, label_field)
    return rec


def _remark_after_figures(toks: list[str], fields) -> bool:
    """The line ends with a sentence right after a figure, and no column takes words there."""
    return len(toks) > 2 and _kind_of_token(toks[-2]) in ("num", "rate") and _kind_of_token(toks[-1]) == "text" \
        and _SENTENCE_MARK.search(toks[-1]) is not None and not any(f.startswith("_other") for f, _ in fields)


def _label(label, pending, items, i, spec, label_field):
    """A row label wrapped over lines: the fragment above joins the label when the
    two make a known term (其中：当年财 + 政拨款); a label-less row takes the
    fragments around it."""
    known = vocab.fund_lines()

    def norm(s):
        return apply_value_rules(spec, label_field, s) if s else s

    if label and norm(label) in known:
        return norm(label)
    if label and norm(label) not in known:
        # a merged group label printed down the left edge (部门 / 资金 / 情况) runs into the
        # row labels beside it: 部门合计, 资金一般公共预算 are 合计, 一般公共预算
        whole = norm(label)
        tail = next((t for t in sorted(known, key=len, reverse=True)
                     if whole.endswith(t) and 0 < len(whole) - len(t) <= 2), None)
        prefix = whole[:len(whole) - len(tail)] if tail else ""
        # (区级一般公共预算, 本年财政拨款 name a level of government or a year: no fragment)
        if tail and not _PROSE.search(whole) and not prefix.endswith(("级", "年")) \
                and prefix not in ("中央", "地方", "其中", "合计"):
            return tail
    if label is None and len(pending) == 2 and not any(_PROSE.search(p) for p in pending) \
            and len(pending[0]) + len(pending[1]) <= 24 and _kind_of_token(pending[0]) == "text":
        return norm(pending[0] + pending[1])  # a long name wrapped over two lines above its figures
    if label and pending and len(label) <= 3 and label not in level_terms()[0] \
            and _kind_of_token(pending[-1]) == "text" and not _PROSE.search(pending[-1] + label) \
            and pending[-1] not in level_terms()[0] and 8 <= len(pending[-1]) and len(pending[-1] + label) <= 24:
        return norm(pending[-1] + label)  # a long name's last characters on its figures' line (…完成 / 情况 20 …)
    if pending:
        joined = norm(pending[-1] + (label or ""))
        plausible = joined in known or (len(joined) <= 12 and _kind_of_token(joined) == "text")
        if joined in known or (label is None and plausible):
            if label is None and i < len(items):
                nxt = items[i][1]
                if nxt and all(_kind_of_token(t) == "text" for t in nxt):
                    both = norm(pending[-1] + "".join(nxt))
                    # a known term, or a label's last character or two alone on the next line
                    # (一般公共服务支 / 出)
                    if both in known or (len(nxt) == 1 and len(nxt[0]) <= 2 and not _PROSE.search(nxt[0])):
                        return both
            return joined
    return norm(label)


def _total_record(toks, fields, page, context) -> dict | None:
    numeric = [(f, k) for f, k in fields if k in ("num", "rate", "measure")]
    mapping = align(toks, numeric) if toks else None
    if not mapping:
        return None
    return {"page": page, "_total": True, **context, **mapping}


def _consecutive(cells: list[tuple[str, int, int]]) -> bool:
    """Stream cells on consecutive lines: the lines of one wrapped cell."""
    return all(b[2] - a[2] == 1 for a, b in zip(cells, cells[1:]))


def _without_remarks(stream: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """A remark wrapped in its cell after a row's figures (受客观因素影响 / ，未完全达到目 /
    标，下一步加强 / 督导。, or 部分工作进度滞 / 后。): lines of one width but the last,
    which ends the sentence, on consecutive lines right after a figure.  A remark is no
    field of ours: its lines are left out, so that none is taken for a label or a name
    of the next row."""
    out, k = [], 0
    while k < len(stream):
        out.append(stream[k])
        k += 1
        if _kind_of_token(stream[k - 1][0]) not in ("num", "rate"):
            continue
        for m in range(2, 7):  # the remark's lines: stream[k:k + m]
            run = stream[k:k + m]
            if len(run) < m or any(re.search(r"\d", t) or _kind_of_token(t) != "text" for t, _, _ in run) \
                    or not _consecutive(run):
                break
            width = len(run[0][0])
            if any(abs(len(t) - width) > 1 for t, _, _ in run[:-1]) or len(run[-1][0]) > width + 1:
                break
            if run[-1][0].endswith("。"):
                k += m
                break
    return out


def _evidence_rejoined(stream: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """A 评分依据 cell wrapped in its column (绩效目标申报表、自评 / 表, 财务管理制度及相关会 /
    计凭证): its last piece, a few characters on the next line that end the evidence's
    name, is no cell of its own (else the next row's 二级 reads 表)."""
    out: list[tuple[str, int, int]] = []
    for cell in stream:
        if out and _consecutive([out[-1], cell]) and len(cell[0]) <= 4 \
                and _kind_of_token(cell[0]) == "text" and _kind_of_token(out[-1][0]) == "text" \
                and len(out[-1][0]) >= 6 and not vocab.is_evidence(out[-1][0]) \
                and vocab.is_evidence(out[-1][0] + cell[0]):
            out[-1] = (out[-1][0] + cell[0], out[-1][1], cell[2])
            continue
        out.append(cell)
    return out


def _labels_rejoined(stream: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """A level label wrapped in its narrow merged cell, a cell per line (产出指 / 标 / (45 /
    分), or 产出指标 / (45 / 分)): its pieces on consecutive lines, made one token where
    together they are a label of the vocabulary with its weight, or without one where its
    first piece is no label itself."""
    terms, _ = level_terms()
    out, k = [], 0
    while k < len(stream):
        take = 1
        for n in (4, 3, 2):
            parts = stream[k:k + n]
            if len(parts) < n or any(len(t) > 5 for t, _, _ in parts) or not _consecutive(parts):
                continue
            joined = "".join(t for t, _, _ in parts)
            bare = LABEL_WEIGHT.sub("", joined)
            weighted = joined != bare and bool(_WEIGHTED_LABEL.match(joined))
            # without a weight, no piece may be a label itself (满意度 / 指标 / 服务对象 / 满意度指 / 标)
            if bare in terms and (weighted or not any(t in terms for t, _, _ in parts[:-1])
                                  and not LABEL_WEIGHT.search(joined)):
                take = n
                break
        if take > 1:
            out.append(("".join(t for t, _, _ in stream[k:k + take]), stream[k][1], stream[k][2]))
        else:
            out.append(stream[k])
        k += take
    return out


def _rows_from_stream(stream, fields, numeric, spec, fill_down, label_field, context, result) -> list[dict]:
    """Cell-per-line text: cut the run of cells into rows.  A row is the longest run
    of cells that aligns to the columns and holds a figure; a text cell after the
    row's last figure column starts the next row unless a text column follows."""
    records: list[dict] = []
    last: dict[str, str] = {}
    pos = 0
    tokens = [t for t, _, _ in stream]
    lines = [line for _, _, line in stream]
    joins = _wrap_joiner(tokens, lines)
    # cells set apart by blank lines (a web page copied) wrap none: a row's cells after its
    # figures are whole cells; where cells may wrap, how they join decides instead
    whole_cells = all(b - a != 1 for a, b in zip(lines, lines[1:]))
    last_value = max((n for n, (f, k) in enumerate(fields) if k in ("num", "rate", "measure")), default=-1)
    measures = {f for f, k in fields if k == "measure"}
    values = set(numeric) | measures
    last_value_field = fields[last_value][0] if last_value >= 0 else None
    after = [f for f, k in fields[last_value + 1:] if k in ("text", "other")] if last_value >= 0 else []
    after_values = 3 + 6 * len(after)  # tokens a row's cells after its figures may take, wrapped
    merged = frozenset(fill_down)
    shapes = {k: compile_pattern(v) for k, v in spec.get("stop_unless", {}).items()}
    cached: dict[int, list] = {}
    named_first = bool(label_field) and fields[0][0] == label_field  # (not after a 序号 column)

    def candidates(at: int) -> list[tuple[tuple, int, dict, float]]:
        """The runs from token `at` that may make a row, each with how good a row it makes."""
        if at in cached:
            return cached[at]
        out = []
        since_value = None  # tokens since the last value token of the run
        stop = min(len(tokens), at + 6 * len(fields) + 2)
        # a cell per line: one token, one cell — or a cell wrapped over lines, joined
        runs = align_runs(tokens[at:stop], fields, merged=merged, shapes=shapes,
                          joins=lambda k, name, kind: joins(at + k, name, kind))
        for end in range(at + 1, stop + 1):
            chunk = tokens[at:end]
            kinds = [_kind_of_token(t) for t in chunk]
            is_value = kinds[-1] in ("num", "rate", "null") or (kinds[-1] == "measure" and measures)
            since_value = 0 if is_value else (None if since_value is None else since_value + 1)
            if end - at > len(fields) + 2 and (since_value is None or since_value > after_values):
                continue  # a long run (cells wrapped over lines) ends at a value or the cells after
            figures = any(k in ("num", "rate") or (k == "measure" and measures) for k in kinds)
            # a fund line whose figures are all blank (上年结转资金 | — | —) is a row all the same
            figures = figures or (len(chunk) > 1 and chunk[0] in vocab.fund_lines()
                                  and all(k == "null" for k in kinds[1:]))
            if not figures and len(measures) < 2:
                continue
            if runs[end - at] is None:
                continue
            mapping, fit, preferred = runs[end - at]
            if not figures and sum(1 for f in measures if _worded_measure(mapping.get(f))) < 2:
                continue  # 有效丰富 | 有效丰富: a target and its actual in words still make a row
            filled_numeric = sum(1 for f in values if f in mapping)
            # rows end at the last value column: a longer run has taken the next row's cells
            ends_row = last_value_field in mapping
            # every row has its own cells after the figures (评分标准, 备注): ones that are
            # no level label stay with this row rather than start the next
            trailing = sum(1 for f in after if f not in merged and mapping.get(f)
                           and not level_like(mapping[f])) if whole_cells else 0
            out.append(((filled_numeric, ends_row), trailing, round(preferred / len(chunk), 6),
                        end, mapping, fit))
        cached[at] = out
        return out

    def next_row(at: int) -> tuple:
        """How good a row starts at token `at` (the best there is when no row is left):
        a cell taken as this row's 备注 must not be the next row's name or its target."""
        if at >= len(tokens):
            return (len(values) + 1, True), True
        runs = candidates(at)
        if not runs:  # the cells left start no row
            return (-1, False), False
        top = max(c[0] for c in runs)
        named = not label_field or any(_named_row(c[4], label_field, fill_down).get(label_field)
                                       for c in runs if c[0] == top)
        return top, named

    while pos < len(tokens):
        runs = candidates(pos)
        best = None
        if runs:
            top = max(c[0] for c in runs)
            tier = [c for c in runs if c[0] == top]
            # of runs as full, one of figures only is no row where another holds words too
            # (1 | 项目甲 | 93: not the 序号 1 alone as the score)
            named = lambda c: any(_kind_of_token(v) not in ("num", "rate", "null")  # noqa: E731
                                  for f, v in c[4].items() if not f.startswith("_other"))
            # a named row's next row starts with its name: a run that leaves a figure behind
            # (支出实现率 97.79% | 结余率 2.21%) has cut its row short
            whole = lambda c: not named_first or c[3] >= len(tokens) or \
                _kind_of_token(tokens[c[3]]) not in ("num", "rate")  # noqa: E731
            if any(c[1] for c in tier):  # cells after the figures are in question: look ahead
                score = lambda c: (next_row(c[3]), named(c), c[1], c[2])  # noqa: E731
            else:
                score = lambda c: (whole(c), named(c), c[1], c[2])  # noqa: E731
            best = max(tier, key=score)[3:]
        for at in [k for k in cached if k < pos]:
            del cached[at]
        if best is None:
            levels = _level_labels([tokens[pos]], fill_down)
            if levels:
                _set_levels(levels, last, records)
            pos += 1
            continue
        end, mapping, fit = best
        mapping = _named_row(_child_level(mapping, last), label_field, fill_down, whole_cells)
        rec = {"page": stream[pos][1], **context, "_fit": fit, "_stream": True}
        for f, _ in fields:
            value = apply_value_rules(spec, f, mapping.get(f))
            if value in NULL_TOKENS:
                value = None
            if f in fill_down:
                value = value if value is not None else last.get(f)
                if value is not None:
                    last[f] = value
            rec[f] = value
        result.figure_lines += 1
        records.append(rec)
        pos = end
    return records


# ---------------------------------------------------------------- by position
#
# Lines that know where their words stand (a PDF table printed without ruling
# lines, or `pdftotext -layout` text): the header's words give the columns, every
# word of a data line goes to the column under which it stands, and lines without
# figures are the wrapped parts of the cells of the row they stand closest to.


@dataclass
class _Column:
    x0: float
    x1: float
    label: str
    fields: list[str] = field(default_factory=list)
    kind: str = "text"
    parts: list[str] = field(default_factory=list)  # the label's words, line by line
    pieces: list[tuple[int, float, float]] = field(default_factory=list)  # (header line, x0, x1) of each part

    def overlap(self, w) -> float:
        return min(self.x1, w.x1) - max(self.x0, w.x0)

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


def _header_columns(lines: list[Line]) -> list[_Column]:
    """Header words of one or more lines as columns: words that stand over one
    another (a label wrapped in its cell) are one column, read top to bottom."""
    cols: list[_Column] = []
    for at, ln in enumerate(lines):
        for w in ln.words or []:
            w = type(w)(w.x0, w.x1, nz.clean_text(w.text) or w.text)
            over = [c for c in cols if min(c.x1, w.x1) - max(c.x0, w.x0) > 0]
            # a label whole by itself (标准分) is a column of its own even where the wrapped
            # label beside it (预算执行 / 率) leans over it; a part (率) joins the label it completes
            if _bare_term(w.text):  # merged only under a parent it continues (指标 over 一级指标)
                over = [c for c in over if c.label in w.text or _bare_term(c.label + w.text)]
            completes = [c for c in over if _bare_term(c.label + w.text)]
            hit = (completes or over or [None])[0]
            if hit is None:
                cols.append(_Column(w.x0, w.x1, w.text, parts=[w.text], pieces=[(at, w.x0, w.x1)]))
            else:
                hit.label += w.text
                hit.parts.append(w.text)
                hit.pieces.append((at, w.x0, w.x1))
                hit.x0, hit.x1 = min(hit.x0, w.x0), max(hit.x1, w.x1)
    return _children_under_parents(sorted(cols, key=lambda c: c.x0))


def _children_under_parents(cols: list[_Column]) -> list[_Column]:
    """A money column split on the line below into fund lines (全年预算数（万元） over 总额 |
    财政拨款 | 其他资金, the parent centred over its children): one column per child, named
    parent + child, where it stands.  The child under the parent's middle was taken into
    the parent's column and is split off again.  Each parent needs two children or more."""
    funds = vocab.fund_lines()
    parents, children = [], []  # (column, line of its label); (child label, line, x0, x1, column it came from)
    for c in cols:
        head = [(part, piece) for part, piece in zip(c.parts, c.pieces) if part not in funds]
        if head and _bare_term("".join(p for p, _ in head)) and len(head) < len(c.parts):
            line = max(piece[0] for _, piece in head)
            kids = [(part, *piece) for part, piece in zip(c.parts, c.pieces) if part in funds and piece[0] > line]
            if kids:
                parents.append((c, line, "".join(p for p, _ in head)))
                children.extend((k[0], k[1], k[2], k[3], c) for k in kids)
                continue
        if c.label in funds:  # a child whole, or wrapped in its narrow cell (其他资 / 金)
            children.append((c.label, c.pieces[0][0], c.x0, c.x1, c))
    for c in cols:  # a parent whose middle child stands apart (its words wider than the label)
        if any(c is p for p, _, _ in parents) or len(c.parts) != 1 or not _bare_term(c.parts[0]):
            continue
        if any(k[1] > c.pieces[0][0] and k[2] < c.x1 + (c.x1 - c.x0) and k[3] > c.x0 - (c.x1 - c.x0)
               for k in children):
            parents.append((c, c.pieces[0][0], c.parts[0]))
    if not parents:
        return cols
    owner = _children_in_groups(parents, children)
    split = {n: kids for n, kids in owner.items() if len(kids) >= 2}
    if not split:
        return cols
    drop = {id(parents[n][0]) for n in split} | {id(k[4]) for kids in split.values() for k in kids}
    out = [c for c in cols if id(c) not in drop]
    for n, kids in split.items():
        name = parents[n][2]
        out.extend(_Column(x0, x1, name + label, parts=[name, label], pieces=[(line, x0, x1)])
                   for label, line, x0, x1, _ in kids)
    return sorted(out, key=lambda c: c.x0)


def _children_in_groups(parents: list, children: list) -> dict[int, list]:
    """The children (left to right) in consecutive groups, one per parent (left to right):
    groups that repeat the same labels (总额 财政拨款 其他资金 under each) first, then each
    parent as near its group's middle or its left edge as can be (a merged cell's label is
    centred over its children or starts at the first; they may stand wider than it)."""
    from itertools import combinations

    order = sorted(range(len(parents)), key=lambda n: parents[n][0].x0)
    kids = sorted((k for k in children if any(parents[n][1] < k[1] for n in order)), key=lambda k: k[2])
    if len(kids) < len(order):
        return {}
    centre = [(parents[n][0].x0 + parents[n][0].x1) / 2 for n in order]
    best = None
    for cuts in combinations(range(1, len(kids)), len(order) - 1):
        bounds = (0, *cuts, len(kids))
        groups = [kids[a:b] for a, b in zip(bounds, bounds[1:])]
        same = len({tuple(k[0] for k in g) for g in groups}) == 1
        cost = (0 if same else 1000) + sum(
            min(abs(c - sum((k[2] + k[3]) / 2 for k in g) / len(g)), abs(parents[n][0].x0 - g[0][2]))
            for n, c, g in zip(order, centre, groups))
        if best is None or cost < best[0]:
            best = (cost, groups)
    return {n: g for n, g in zip(order, best[1])}


def _bare_term(text: str) -> bool:
    """A column label of the vocabulary, its bracketed unit set aside (全年预算数（万元）)."""
    return vocab.is_role_term(_UNIT_SUFFIX.sub("", text) or text)


def _column_of(cols: list[_Column], w) -> int:
    best = max(range(len(cols)), key=lambda k: (cols[k].overlap(w), -abs(cols[k].centre - (w.x0 + w.x1) / 2)))
    if cols[best].overlap(w) > 0:
        return best
    centre = (w.x0 + w.x1) / 2
    return min(range(len(cols)), key=lambda k: abs(cols[k].centre - centre))


def positional_table(spec: dict, table: str, header_lines: list[Line], body: list[Line],
                     context: dict, figures_only: bool | None = None
                     ) -> tuple[list[dict], list[tuple[int, str]], list[str]]:
    """Rows of a table read by word positions: (records, unread figure lines, the header's
    column labels as read, a header cell continued on the body's first line included)."""
    header_lines = list(header_lines)
    body = list(body)
    while True:
        if _laid_out(header_lines):
            header_lines = [_header_words_apart(h, header_lines) for h in header_lines]
        cols = _header_columns(header_lines)
        # a label wrapped over lines, or a parent over its column (指标 over 二级指标):
        # the whole, then the lowest part, then the others
        mapping = _map_header([[c.label, *reversed(c.parts)] for c in cols], spec["columns"])
        for k, fields in mapping.items():
            cols[k].fields = fields
            cols[k].kind = _field_kind(table, fields[0])
        # a header cell wrapped onto a line of its own (预算执 / 行率) under figure columns
        if body and _header_continues(body[0], cols):
            header_lines.append(body.pop(0))
            continue
        break
    label_field = spec.get("row_label")
    if label_field and not any(label_field in c.fields for c in cols):
        first = min((k for k in mapping), default=len(cols))
        if first > 0:  # the label column is the unmapped one left of the first figure column
            cols[first - 1].fields, cols[first - 1].kind = [label_field], "text"
        else:  # no header over the labels: the body's last run of words left of the figures
            edge = cols[first].x0 if first < len(cols) else float("inf")
            lefts = sorted((w.x0, w.x1) for ln in body for w in (ln.words or []) if w.x1 < edge
                           and _kind_of_token(w.text) == "text")
            if lefts:
                x0 = max(a for a, _ in lefts)
                x0 = min(a for a, b in lefts if b > x0)  # words overlapping the rightmost start
                cols.insert(0, _Column(x0, max(b for _, b in lefts), "", [label_field], "text"))
    fill = set(spec.get("fill_down", []))
    # a merged group cell (任务's 资金 over its indicators) is no row of its own: its
    # figure anchors a row only when the table has no other figure column
    figure_cols = {k for k, c in enumerate(cols) if c.kind in ("num", "rate")}
    own_figures = {k for k in figure_cols if not (cols[k].fields and cols[k].fields[0] in fill)}
    measure_kinds = any(c.kind == "measure" for c in cols)
    if own_figures or measure_kinds:
        figure_cols = own_figures
    # laid-out text places each page's columns afresh (a table continued on the next page
    # without its header stands squeezed or shifted): there the body's columns are found
    # page by page; a PDF's words stand where the page puts them
    if _laid_out(body):
        by_page = {page: _body_columns(cols, [ln for ln in body if ln.page == page], figures_only)
                   for page in dict.fromkeys(ln.page for ln in body)}
    else:
        whole = _body_columns(cols, body, figures_only)
        by_page = {page: whole for page in dict.fromkeys(ln.page for ln in body)}
    left_edge = cols[0].x0 - 2 if cols and not cols[0].label else None  # a merged group label further left
    laid_out = _laid_out(body)
    placed: list[tuple[Line, dict[int, str]]] = []
    for ln in body:
        cells: dict[int, str] = {}
        column_of = by_page[ln.page]
        for w in [part for w in (ln.words or []) for part in _unglue(w, column_of, laid_out)]:
            if left_edge is not None and w.x1 < left_edge:
                continue
            k = column_of(w)
            if k is None:
                continue
            text = nz.clean_text(w.text) or ""
            if text in NULL_TOKENS and _kind_of_token(cells.get(k, "")) in ("num", "rate"):
                continue  # the empty cell beside a figure (1.28— with no gap) is no part of it
            cells[k] = cells.get(k, "") + text
        placed.append((ln, cells))
    label_cols = {k for k, c in enumerate(cols) if label_field and label_field in c.fields}
    known = vocab.fund_lines()

    def names_a_line(cells):  # 其他资金 with its figures all blank is still a row
        return any(apply_value_rules(spec, label_field, cells[k]) in known for k in label_cols if k in cells)

    measure_cols = [k for k, c in enumerate(cols) if c.kind == "measure"]

    def measures_a_line(cells):  # ≥18条 | 22条, or 有所提升 | 有所提升: a target and its actual side by side
        # (a unit or a character alone is the end of a cell wrapped from the line above: 7732.17万 / 元)
        filled = [cells[k] for k in measure_cols if cells.get(k) and not _WRAPPED_TAIL.match(cells[k])]
        # two worded cells side by side make a row only where rows carry no figures of
        # their own (分值 | 得分): else they are the wrapped lines of two prose cells
        return bool(filled) and (any(_kind_of_token(t) in ("num", "rate", "measure") for t in filled)
                                 or len(filled) >= 2 and not figure_cols)

    anchors = [i for i, (_, cells) in enumerate(placed)
               if any(_kind_of_token(cells[k]) in ("num", "rate") for k in figure_cols if k in cells)
               or names_a_line(cells) or measures_a_line(cells)]
    unread: list[tuple[int, str]] = []
    if not anchors:
        return [], unread, [c.label for c in cols]
    fill_cols = {k for k, c in enumerate(cols) if c.fields and c.fields[0] in fill}
    band_of = _bands(placed, fill_cols)
    anchors, joined = _join_anchors(anchors, placed, band_of, fill_cols, figure_cols | set(measure_cols))
    # text above the first row's figures, or the first row's figures starting on different
    # lines (≥372批 / 次 around a single-line 383批次): cells are centred vertically, and a
    # row stands where its last figure line starts (the single-line cell in its middle)
    centred = anchors[0] > 0 or any(a == anchors[0] for a in joined.values())
    row_line = {a: max([a] + [j for j, b in joined.items() if b == a]) for a in anchors} if centred else {}
    parts: dict[int, dict[int, list[str]]] = {a: {} for a in anchors}
    level_marks: dict[int, list[tuple[float, str]]] = {}
    reach = 1.5 * _anchor_spacing(placed, anchors)
    band_owner: dict[int, int] = {}
    for a in anchors:  # a band of lines that holds one row's figures is that row's
        band = band_of.get(a)
        if band is not None:
            band_owner[band] = -1 if band in band_owner else a
    free = {i for i in range(len(placed)) if i not in anchors and i not in joined
            and band_owner.get(band_of.get(i), -1) < 0}
    cell_owner = _centred_owners(placed, anchors, row_line, joined, free,
                                 {k for k in range(len(cols)) if k not in fill_cols and k not in figure_cols})
    for i, (ln, cells) in enumerate(placed):
        owner = joined.get(i)
        if owner is None:
            own_band = band_owner.get(band_of.get(i), -1)
            owner = own_band if own_band >= 0 else _owner(i, placed, anchors, row_line)
        for k, text in cells.items():
            fields = cols[k].fields
            if k in fill_cols:
                level_marks.setdefault(k, []).append((_mid(ln), text, ln))
                continue
            owner = cell_owner.get((i, k), owner)
            far = abs(_mid(ln) - _mid(placed[row_line.get(owner, owner)][0])) > reach
            if i != owner and i not in joined and (far or cols[k].kind in ("num", "rate")):
                continue  # a figure column takes only its row's figure; far lines are no part of a row
            parts[owner].setdefault(k, []).append(text)
    records = []
    for a in anchors:
        ln = placed[a][0]
        rec: dict = {"page": ln.page, **context}
        for k, texts in parts[a].items():
            for f in cols[k].fields:
                value = apply_value_rules(spec, f, "".join(texts))
                rec[f] = None if value in NULL_TOKENS else value
        records.append(rec)
    row_ys = []
    for a in anchors:  # a row is as tall as its band of touching lines
        band = band_of.get(a)
        members = [i for i, b in band_of.items() if b == band] if band is not None and band_owner.get(band) == a else [a]
        extents = [_extent(placed[i][0]) for i in members]
        row_ys.append((min(t for t, _ in extents) + max(b for _, b in extents)) / 2)
    _assign_levels(records, row_ys, placed, anchors, level_marks, cols, centred, spec)
    _one_value_per_group(records, cols, fill)
    return records, unread, [c.label for c in cols]


_WRAPPED_TAIL = re.compile(r"^(?:.|[千万亿]?元(?:/\S{1,2})?|[^\u4e00-\u9fff\d]+)$")


def _one_value_per_group(records: list[dict], cols: list[_Column], fill: set[str]) -> None:
    """Merged cells that make one row of another table (a task's 任务内容, 完成情况, 资金
    over its indicator rows: tasks.*) span the same rows as that table's first column
    (任务): over each run of rows under one 任务, each takes the value most of its rows have."""
    order = [f for c in cols for f in c.fields if f in fill and "." in f]
    for prefix in dict.fromkeys(f.split(".")[0] for f in order):
        fields = [f for f in order if f.startswith(prefix + ".")]
        key, others = fields[0], fields[1:]
        start = 0
        while start < len(records):
            end = start
            while end < len(records) and records[end].get(key) == records[start].get(key):
                end += 1
            if records[start].get(key) is not None:
                for f in others:
                    values = [r.get(f) for r in records[start:end] if r.get(f) is not None]
                    if values:
                        common = max(dict.fromkeys(values), key=values.count)
                        for r in records[start:end]:
                            r[f] = common
            start = end


_GLUED = re.compile(r"^(.+?(?:%|％|[\u4e00-\u9fff]))(\d[\d.,]*(?:%|％|[\u4e00-\u9fff/]+)?)$")


def _pieces(w) -> list:
    """A word's space-separated pieces, each a word placed by its share of the characters."""
    out, at, per = [], 0, (w.x1 - w.x0) / max(len(w.text), 1)
    for part in w.text.split():
        at = w.text.index(part, at)
        out.append(type(w)(w.x0 + at * per, w.x0 + (at + len(part)) * per, part))
        at += len(part)
    return out


def _split_figures(w) -> list:
    """Figures of two cells one space apart (1552.08 — in laid-out text): a word each,
    placed by their characters."""
    parts = _pieces(w)
    if len(parts) < 2 or not all(_is_figure_token(nz.clean_text(p.text) or p.text) for p in parts):
        return [w]
    return parts


def _unglue(w, column_of, laid_out: bool = False) -> list:
    """A target that overflows its narrow cell runs into the figure beside it
    (不低于80%83%): when the word stands over two columns and splits into two
    measures, it is two words, placed by their share of the characters.  In laid-out
    text two cells may stand one space apart (任务2 单位认真组织…, 有效丰富 有效丰富):
    split at the spaces, the pieces of each column are a word."""
    split = _split_figures(w)
    if len(split) > 1:
        return split
    dash = _DASH_AFTER_FIGURE.match(w.text)
    if dash:  # 1.28— : a figure and the empty cell beside it, drawn without a gap
        cut = w.x0 + (w.x1 - w.x0) * len(dash.group(1)) / len(w.text)
        return [type(w)(w.x0, cut, dash.group(1)), type(w)(cut, w.x1, dash.group(2))]
    if laid_out and " " in w.text.strip():
        split = _split_at_spaces(w, column_of)
        if len(split) > 1:
            return [p for part in split for p in _unglue(part, column_of)]
    m = _GLUED.match(w.text)
    if not m or nz.parse_measure(m.group(1)).value is None or nz.parse_measure(m.group(2)).value is None:
        return [w]
    cut = w.x0 + (w.x1 - w.x0) * len(m.group(1)) / len(w.text)
    left, right = type(w)(w.x0, cut, m.group(1)), type(w)(cut, w.x1, m.group(2))
    if column_of(left) == column_of(right):
        return [w]
    return [left, right]


def _header_words_apart(ln: Line, header_lines: list[Line]) -> Line:
    """Two header labels one space apart in laid-out text (年度指标 实际完成 over 值 | 值):
    a word whose space-separated pieces stand each over a different word of another
    header line is that many words."""
    words = []
    for w in ln.words or []:
        parts = _pieces(w)
        if len(parts) < 2:
            words.append(w)
            continue
        others = [o for h in header_lines if h is not ln for o in (h.words or [])]
        under = [[n for n, o in enumerate(others) if min(o.x1, p.x1) - max(o.x0, p.x0) > 0] for p in parts]
        apart = all(len(u) == 1 for u in under) and len({u[0] for u in under}) == len(parts)
        words.extend(parts if apart else [w])
    return replace(ln, words=words)


def _split_at_spaces(w, column_of) -> list:
    """A laid-out word's space-separated pieces, grouped by the column each stands in;
    one group is the word itself."""
    pieces = _pieces(w)
    if sum(len(p.text) == 1 for p in pieces) >= 3:  # letter-spaced text (保 障 临 床): one cell
        return [w]
    groups: list[list] = []  # [column, x0, x1, text]
    for part in pieces:
        k = column_of(part)
        if groups and groups[-1][0] == k:
            groups[-1][2] = part.x1
            groups[-1][3] += " " + part.text
        else:
            groups.append([k, part.x0, part.x1, part.text])
    if len(groups) < 2:
        return [w]
    return [type(w)(x0, x1, text) for _, x0, x1, text in groups]


def _extent(ln: Line) -> tuple[float, float]:
    """Top and bottom of a line, pages stacked; a line of laid-out text is one unit high."""
    top = ln.page * 100_000 + ln.top
    bottom = ln.page * 100_000 + (ln.bottom if ln.bottom is not None else ln.top + 1)
    return top, max(bottom, top)


def _bands(placed, fill_cols: set[int]) -> dict[int, int]:
    """Lines that touch one another (the wrapped lines of one row's cells, a figure
    centred between them) are a band; rows are set apart by their cells' padding.
    Lines holding only merged group cells (fill-down columns) join no band."""
    heights = sorted(b - t for t, b in (_extent(ln) for ln, _ in placed) if b > t)
    height = heights[len(heights) // 2] if heights else 1.0
    tol = 0.45 * height
    band_of: dict[int, int] = {}
    band, bottom = -1, None
    for i, (ln, cells) in enumerate(placed):
        if not set(cells) - fill_cols:
            continue
        top, low = _extent(ln)
        if bottom is None or top - bottom > tol:
            band += 1
            bottom = low
        else:
            bottom = max(bottom, low)
        band_of[i] = band
    return band_of


def _join_anchors(anchors, placed, band_of, fill_cols, value_cols):
    """Figure lines of one band that fill different columns (≥372批 / 次 beside a
    centred 383批次) are one row: (the rows' anchors, joined line -> its row's anchor)."""
    kept: list[int] = []
    joined: dict[int, int] = {}
    filled: dict[int, set[int]] = {}
    for a in anchors:
        cells = set(placed[a][1]) & value_cols - fill_cols
        if kept and band_of.get(a) is not None and band_of.get(a) == band_of.get(kept[-1]) \
                and not cells & filled[kept[-1]]:
            joined[a] = kept[-1]
            filled[kept[-1]] |= cells
            continue
        kept.append(a)
        filled[a] = set(cells)
    return kept, joined


def _cut_at_split_figures(regions: list[list[float]], lines: list[Line]) -> list[list[float]]:
    """Two figures one space apart on a line (2 100.00%) are two cells: where laid-out
    text leaves no gutter between their columns (0.5 ends where 100.00% begins on the next
    line), the region they make together is cut between them — at the middle of each run of
    such cuts."""
    cuts: list[list[float]] = [[] for _ in regions]
    for ln in lines:
        for w in ln.words:
            parts = _split_figures(w)
            for a, b in zip(parts, parts[1:]):
                for n, (x0, x1) in enumerate(regions):
                    if x0 <= a.x0 and b.x1 <= x1:
                        cuts[n].append((a.x1 + b.x0) / 2)
    out = []
    for (x0, x1), here in zip(regions, cuts):
        runs: list[list[float]] = []
        for c in sorted(here):
            if runs and c - runs[-1][-1] <= 2:
                runs[-1].append(c)
            else:
                runs.append([c])
        at = x0
        for run in runs:
            cut = run[len(run) // 2]
            out.append([at, cut])
            at = cut
        out.append([at, x1])
    return out


def _body_columns(cols: list[_Column], body: list[Line], figures_only: bool | None = None):
    """Which header column a body word belongs to.

    The body's own columns are the x ranges its figure lines cover (a gutter of
    white space between them); each is matched, in order, to the header column it
    lines up with — by left edges (text), right edges (figures right-aligned in a
    cell whose label is left-aligned: the next label's start), or centres."""
    lines = [ln for ln in body if ln.words and any(_kind_of_token(w.text) in ("num", "rate") for w in ln.words)]
    # in laid-out text a column of words wraps into its neighbour's gutter (pdftotext packs
    # narrow columns two characters apart): there the figures alone mark the columns
    if figures_only is None:
        figures_only = _laid_out(lines)
    spans = sorted((p.x0, p.x1) for ln in lines for w in ln.words for p in _split_figures(w)
                   if not figures_only or _cell_figure(nz.clean_text(p.text) or p.text))
    # a gap narrower than half a character is a space inside a cell (任务 1), not a gutter
    widths = sorted((w.x1 - w.x0) / len(w.text) for ln in lines for w in ln.words if w.text)
    space = max(0.5, 0.45 * widths[len(widths) // 2]) if widths else 0.5
    if not _laid_out(lines):  # laid-out text shifts its columns line by line: no gutter to keep clear
        spans = _recurring(spans, len(lines), space)
    regions: list[list[float]] = []
    for x0, x1 in spans:
        if regions and x0 <= regions[-1][1] + space:
            regions[-1][1] = max(regions[-1][1], x1)
        else:
            regions.append([x0, x1])
    if not regions:
        return lambda w: _column_of(cols, w)
    regions = _cut_at_split_figures(regions, lines)
    right_edge = max(r[1] for r in regions)
    if not _laid_out(lines):
        # a PDF's last column ends where its table does (its widest line or header word),
        # not where its figures end: that edge would draw the last figures (得分) rightmost
        right_edge = max([right_edge] + [c.x1 for c in cols] + [w.x1 for ln in lines for w in ln.words])
    nexts = [cols[k + 1].x0 if k + 1 < len(cols) else right_edge for k in range(len(cols))]

    def cost(r, k):
        c = cols[k]
        options = [abs(r[0] - c.x0), abs((r[0] + r[1]) / 2 - c.centre)]
        if nexts[k] is not None:
            options.append(abs(r[1] - nexts[k]))
        if r[0] <= c.x1 and c.x0 <= r[1]:
            options.append(0.0)
        return min(options)

    n, m = len(regions), len(cols)
    skip = 40.0
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[None] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        best[i][0] = best[i - 1][0] + skip
        move[i][0] = "skip_r"
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = [(best[i - 1][j - 1] + cost(regions[i - 1], j - 1), "pair"),
                       (best[i - 1][j] + skip, "skip_r"), (best[i][j - 1], "skip_c")]
            best[i][j], move[i][j] = min(options, key=lambda o: o[0])
    owner: dict[int, int] = {}
    i, j = n, m
    while i > 0:
        step = move[i][j]
        if step == "pair":
            owner[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif step == "skip_r":
            i -= 1
        else:
            j -= 1

    # a region no column took, a character or two beside one that a column did, is part of
    # it: laid-out text shifts a right-aligned figure by a character (1.5 | 4 under 分值)
    taken = dict(owner)
    for k in range(len(regions) if _laid_out(lines) else 0):
        if k in taken:
            continue
        near = []  # (gap, region) of the regions beside it that a column took
        if k - 1 in taken:
            near.append((regions[k][0] - regions[k - 1][1], k - 1))
        if k + 1 in taken:
            near.append((regions[k + 1][0] - regions[k][1], k + 1))
        near = [(gap, n) for gap, n in near if gap <= 4 * space]
        if near:
            owner[k] = taken[min(near)[1]]

    def column_of(w):
        centre = (w.x0 + w.x1) / 2
        hit = [k for k, r in enumerate(regions) if r[0] - 0.5 <= centre <= r[1] + 0.5]
        if hit:
            return owner.get(hit[0])
        overlapping = [k for k, r in enumerate(regions) if min(r[1], w.x1) - max(r[0], w.x0) > 0]
        if overlapping:
            return owner.get(overlapping[0])
        return _column_of(cols, w)

    return column_of


def _cell_figure(tok: str) -> bool:
    """A figure that fills a cell of its own: a number, a rate, a blank mark, or a measure
    with a short unit (≥372批次, 60元/人次) — not a figure that runs on into prose
    (100%的, 0.5分。: a line of 评分标准 beside the figures)."""
    kind = _kind_of_token(tok)
    if kind in ("num", "rate", "null"):
        return True
    if kind != "measure":
        return False
    unit = nz.parse_measure(tok).unit or ""
    return len(unit) <= 4 and not _PROSE.search(unit) and not re.search(r"[。、的得]|^%.", unit)


def _recurring(spans: list[tuple[float, float]], lines: int, space: float) -> list[tuple[float, float]]:
    """The spans without the rare parts that bridge two columns: a figure inside a line of
    prose beside the figures (90%得80%分 under 评分标准) stands where few lines print
    anything, and must not join the gutter between two columns of figures.  A rare span
    apart from the rest (a label printed a character a line down the edge) stays.  With
    few lines, all."""
    if lines < 5 or not spans:
        return spans
    least = 0.2 * lines
    edges = sorted({x for span in spans for x in span})
    often: list[tuple[float, float]] = []
    for a, b in zip(edges, edges[1:]):
        if sum(1 for x0, x1 in spans if x0 <= a and b <= x1) >= least:
            if often and often[-1][1] == a:
                often[-1] = (often[-1][0], b)
            else:
                often.append((a, b))
    if not often:
        return spans
    apart = [(x0, x1) for x0, x1 in spans if all(x1 + space < a or x0 - space > b for a, b in often)]
    return sorted(often + apart)


def _wraps_header(ln: Line, header_lines: list[Line]) -> bool:
    words = ln.words or []
    if not words or len(words) > 3 or any(_kind_of_token(w.text) not in ("text", "level") or len(w.text) > 6
                                          for w in words):
        return False
    near = min(abs(_mid(ln) - _mid(h)) for h in header_lines)
    height = min(((h.bottom or h.top + 1) - h.top) for h in header_lines) or 1.0
    # laid-out text counts lines (one unit apart, 0.8 high): the next line is near enough
    if near > (1.1 * height if height >= 1 else max(1.1 * height, 1.05)):
        return False
    taken = [w for h in header_lines for w in (h.words or [])]
    # a unit under a label (资金情况 / （千元）) is that label's last line; a part of a
    # wrapped label (预算执行 / 率) may lean over a whole label beside it (标准分)
    return all(vocab.stated_unit(w.text) or not any(min(t.x1, w.x1) - max(t.x0, w.x0) > 0
                                                    for t in taken if t.text not in ln.text
                                                    and not (_bare_term(t.text) and not _bare_term(w.text)))
               for w in words)


def _header_continues(ln: Line, cols: list[_Column]) -> bool:
    words = ln.words or []
    if not words or any(_kind_of_token(w.text) != "text" for w in words):
        return False
    return all(cols[_column_of(cols, w)].kind in ("num", "rate", "measure") or not cols[_column_of(cols, w)].fields
               for w in words)


def _anchor_spacing(placed, anchors: list[int]) -> float:
    ys = [_mid(placed[a][0]) for a in anchors]
    gaps = sorted(b - a for a, b in zip(ys, ys[1:]) if b > a)
    return gaps[len(gaps) // 2] if gaps else 3 * _line_gap(placed)


def _mid(ln: Line) -> float:
    """Vertical middle of a line, pages stacked (a table runs on over the page break)."""
    return ln.page * 100_000 + (ln.top + (ln.bottom if ln.bottom is not None else ln.top)) / 2


def _centred_owners(placed, anchors: list[int], row_line: dict[int, int], joined: dict[int, int],
                    free: set[int], columns: set[int]) -> dict[tuple[int, int], int]:
    """Vertically centred cells: each column's lines that hold no figure go to the rows
    so that every row's cell stands centred on the row's middle line.  Between two rows'
    middles a column's lines split where both cells come out most nearly centred (a line
    equidistant from a two-line cell above and a three-line cell below is the lower's);
    nearness breaks ties.  (line, column) -> the row's anchor."""
    if not row_line or len(anchors) < 2:
        return {}
    centre = [_mid(placed[row_line[a]][0]) for a in anchors]
    row_of = {a: r for r, a in enumerate(anchors)}
    out: dict[tuple[int, int], int] = {}
    for k in columns:
        fixed: list[list[float]] = [[] for _ in anchors]
        gaps: list[list[float]] = [[] for _ in range(len(anchors) + 1)]
        lines: list[list[int]] = [[] for _ in range(len(anchors) + 1)]
        for i, (ln, cells) in enumerate(placed):
            if k not in cells:
                continue
            if i in free:
                g = bisect.bisect_right(centre, _mid(ln))
                gaps[g].append(_mid(ln))
                lines[g].append(i)
            elif i in row_of or i in joined:
                fixed[row_of[joined.get(i, i)]].append(_mid(ln))

        def cost(r, upper, lower):
            ys = fixed[r] + upper + lower
            if not ys:
                return 0.0
            near = sum(abs(y - centre[r]) for y in upper + lower)
            return abs((min(ys) + max(ys)) / 2 - centre[r]) + 1e-3 * near

        n = len(anchors)
        # best[t]: rows above the current gap placed, the gap's first t lines to the row above
        best = {t: (cost(0, gaps[0], gaps[1][:t]), [t]) for t in range(len(gaps[1]) + 1)}
        for g in range(2, n):
            nxt = {}
            for t2 in range(len(gaps[g]) + 1):
                nxt[t2] = min(((c + cost(g - 1, gaps[g - 1][t:], gaps[g][:t2]), cuts + [t2])
                               for t, (c, cuts) in best.items()), key=lambda o: o[0])
            best = nxt
        _, cuts = min(((c + cost(n - 1, gaps[n - 1][t:], gaps[n]), cuts) for t, (c, cuts) in best.items()),
                      key=lambda o: o[0])
        for i in lines[0]:
            out[(i, k)] = anchors[0]
        for i in lines[n]:
            out[(i, k)] = anchors[n - 1]
        for g in range(1, n):
            t = cuts[g - 1]
            for pos, i in enumerate(lines[g]):
                out[(i, k)] = anchors[g - 1] if pos < t else anchors[g]
    return out


def _owner(i: int, placed, anchors: list[int], row_line: dict[int, int]) -> int:
    """The row a line belongs to: its own if it has figures; else, for vertically
    centred cells (`row_line`: each row's middle line), the row whose middle stands
    closest; else the row above."""
    if i in anchors:
        return i
    if not row_line:
        above = [a for a in anchors if a < i]
        return above[-1] if above else anchors[0]
    y = _mid(placed[i][0])
    return min(anchors, key=lambda a: (abs(_mid(placed[row_line[a]][0]) - y), a))


def _assign_levels(records, ys, placed, anchors, level_marks, cols, centred, spec) -> None:
    """Merged 一级/二级 cells printed once: a label centred on its rows covers the
    span around it (each span starts where the one above ended, the first at the
    top of the table's body); a label at the top of its rows covers them down to
    the next label.  `ys`: the middle of each row."""
    if not ys:
        return
    body_top = _extent(placed[0][0])[0] if placed else ys[0]
    # merged cells of one row of another table (任务 | 任务内容 | 完成情况 | 资金 over the
    # task's indicators): the first column (任务) sets the spans; each other column of
    # the group takes all its lines inside a span, wherever the wrapped text stands
    group_key: dict[str, int] = {}
    for k in sorted(level_marks):
        for f in cols[k].fields:
            if "." in f:
                group_key.setdefault(f.split(".")[0], k)
    group_spans: dict[str, list] = {}
    for k, marks in sorted(level_marks.items()):  # left to right: a group's first column first
        prefix = next((f.split(".")[0] for f in cols[k].fields if "." in f), None)
        if prefix is not None and group_key.get(prefix) != k and group_spans.get(prefix):
            _fill_from_spans(records, ys, marks, group_spans[prefix], cols[k].fields, spec)
            continue
        first_top, first_bottom = _extent(min(marks, key=lambda m: m[0])[2])
        # the first label stands lower than the table's first line: cells are centred
        centred_here = centred or first_top - body_top > 0.6 * max(first_bottom - first_top, 1e-6)
        # lines of one wrapped label (部门决策（15 / 分）) stand next to each other
        labels: list[list] = []  # [centre of first line, text, centre of last, bottom of last]
        heights = sorted(b - t for t, b in (_extent(m[2]) for m in marks) if b > t)
        tol = 0.45 * (heights[len(heights) // 2] if heights else 1.0)
        for y, text, ln in sorted(marks, key=lambda m: m[0]):
            top, bottom = _extent(ln)
            gap = y - labels[-1][2] if labels else None
            # a label's number wrapped below it (任务 / 1), a line of another column between
            continues = labels and bool(_LABEL_NUMBER.match(text)) and gap <= 3.2 * _line_gap(placed)
            touching = labels and (top - labels[-1][3] <= tol or gap <= 1.6 * _line_gap(placed) or continues)
            if touching and not _is_new_label(text):
                labels[-1][1] += text
                labels[-1][2], labels[-1][3] = y, max(labels[-1][3], bottom)
            else:
                labels.append([y, text, y, bottom, top])
        labels = [((y0 + y1) / 2, t, top) for y0, t, y1, _, top in labels]
        field_names = cols[k].fields
        value_of = [None] * len(records)
        if centred_here:
            spans = _centred_spans(labels, ys, placed, body_top)
            for r, ry in enumerate(ys):
                n = _span_of(spans, ry)
                if n is not None:
                    value_of[r] = spans[n][2]
        else:
            for _, text, top in labels:  # a later label takes over the rows below its first line
                for r, ry in enumerate(ys):
                    if ry >= top:
                        value_of[r] = text
            tops = [top for _, _, top in labels]
            spans = [(top, nxt - 1e-6, text) for (_, text, top), nxt in zip(labels, tops[1:] + [float("inf")])]
        if prefix is not None and group_key.get(prefix) == k:
            group_spans[prefix] = spans
        last = None
        for r, rec in enumerate(records):
            v = value_of[r] if value_of[r] is not None else last
            last = v
            for f in field_names:
                rec[f] = apply_value_rules(spec, f, v) if v else None


def _span_of(spans: list[tuple[float, float, str]], y: float) -> int | None:
    """The span a row at `y` falls in; else, below the reach of the last label above it on
    its page, that label's: a cell split by the page break prints its label at the top of
    its part (Writer), so the rows under it are its own, not the group's before it."""
    inside = next((n for n, (a, b, _) in enumerate(spans) if a <= y <= b + 1e-6), None)
    if inside is not None:
        return inside
    above = [n for n, (a, _, _) in enumerate(spans)
             if abs(a) != float("inf") and a <= y and int(a // 100_000) == int(y // 100_000)]
    return above[-1] if above else None


def _spans_between(cuts: list[float], labels) -> list[tuple[float, float, str]]:
    """Each label's span between the cuts on either side of it (the first and last open)."""
    return [(cuts[n - 1] if n else float("-inf"), cuts[n] if n < len(cuts) else float("inf"), text)
            for n, (_, text, _) in enumerate(labels)]


def _centred_spans(labels, ys: list[float], placed, body_top: float) -> list[tuple[float, float, str]]:
    """Where labels centred on their rows reach: (start, end, label) in order.

    A label reaches as far below its middle as above, each span starting where the one
    above ended.  By a PDF's positions, where those reaches overrun the next label, end
    on another page (a group over a page break prints its label once) or leave a label
    far off its rows' middle, each label takes the run of rows it stands in the middle
    of on its page.  Laid-out text prints a line for every line of every column and its
    labels' lines drift: there an overrun cuts between the labels' middles instead."""
    start = min(body_top, ys[0])
    page_tops: dict[int, float] = {}
    for ln, _ in placed:
        page_tops.setdefault(ln.page, _extent(ln)[0])
    # a page's rows start below the text its first lines may carry over from the page
    # before (the end of a cell split by the break): half a row above its first row
    gaps = sorted(b - a for a, b in zip(ys, ys[1:]) if 0 < b - a < 50_000)
    half_row = gaps[len(gaps) // 2] / 2 if gaps else 0.0
    for page in page_tops:
        first = min((y for y in ys if int(y // 100_000) == page), default=None)
        if first is not None and half_row:
            page_tops[page] = max(page_tops[page], first - half_row)
    spans = []
    for y, text, _ in labels:
        page = int(y // 100_000)
        if page > int(start // 100_000) and page in page_tops:
            # a label centred on the part of its rows on a later page: its reach is
            # measured from where that page's rows begin, not from the page before
            start = page_tops[page]
        end = 2 * y - start
        spans.append((start, end, text))
        start = max(end, start)
    centres = [y for y, _, _ in labels]
    overrun = any(end >= nxt for (_, end, _), nxt in zip(spans, centres[1:]))
    runs = None if _laid_out([ln for ln, _ in placed]) else _runs_around(centres, ys)
    if runs is not None:
        off_reach = max((_off_centre(c, [ry for ry in ys if a <= ry <= b + 1e-6])
                         for c, (a, b, _) in zip(centres, spans)), default=0.0)
        off_runs = max((_off_centre(c, ys[a:b + 1]) for c, (a, b) in zip(centres, runs)), default=0.0)
        misplaced = bool(gaps) and off_reach > 0.4 * gaps[len(gaps) // 2] > off_runs
        other_page = any(int(end // 100_000) != int(y // 100_000) for (_, end, _), y in zip(spans, centres))
        if overrun or other_page or misplaced:
            return _spans_between([(ys[b] + ys[b + 1]) / 2 for _, b in runs[:-1]], labels)
    if overrun:
        return _spans_between([(a + b) / 2 for a, b in zip(centres, centres[1:])], labels)
    return spans


def _runs_around(centres: list[float], ys: list[float]) -> list[tuple[int, int]] | None:
    """Consecutive runs of rows, one per label in order and together all the rows, each
    label as near the middle of its run's rows on the label's own page as can be (a
    merged cell continued over a page break prints its label on one page only).  None
    where there are more labels than rows."""
    n, m = len(ys), len(centres)
    if not m or m > n:
        return None
    inf = float("inf")

    def cost(j, a, b):
        return _off_centre(centres[j], ys[a:b + 1])

    best = [[inf] * n for _ in range(m)]
    back = [[0] * n for _ in range(m)]
    for b in range(n):
        best[0][b] = cost(0, 0, b)
    for j in range(1, m):
        for b in range(j, n):
            for a in range(j, b + 1):
                c = best[j - 1][a - 1] + cost(j, a, b)
                if c < best[j][b]:
                    best[j][b], back[j][b] = c, a
    if best[m - 1][n - 1] == inf:
        return None
    runs, b = [], n - 1
    for j in range(m - 1, -1, -1):
        a = back[j][b] if j else 0
        runs.append((a, b))
        b = a - 1
    return runs[::-1]


def _off_centre(centre: float, rows: list[float]) -> float:
    """How far a label stands from the middle of its rows on its own page (inf: none there)."""
    page = int(centre // 100_000)
    here = [y for y in rows if int(y // 100_000) == page]
    return abs(centre - (min(here) + max(here)) / 2) if here else float("inf")


def _fill_from_spans(records, ys, marks, spans, field_names, spec) -> None:
    """A merged cell beside its group's first column: its lines inside each of that
    column's spans (the nearest span for a line outside all) read top to bottom, set on
    the rows of the span."""
    if not spans:
        return
    texts: list[list[str]] = [[] for _ in spans]
    for y, text, _ in sorted(marks, key=lambda m: m[0]):
        inside = [n for n, (a, b, _) in enumerate(spans) if a <= y <= b + 1e-6]
        n = inside[0] if inside else min(range(len(spans)), key=lambda n: min(abs(y - spans[n][0]),
                                                                               abs(y - spans[n][1])))
        texts[n].append(text)
    last = None
    for r, rec in enumerate(records):
        n = _span_of(spans, ys[r])
        v = "".join(texts[n]) if n is not None else last
        last = v
        for f in field_names:
            rec[f] = apply_value_rules(spec, f, v) if v else None


def _line_gap(placed) -> float:
    ys = sorted(_mid(ln) for ln, _ in placed)
    gaps = sorted(b - a for a, b in zip(ys, ys[1:]) if b - a > 0)
    return gaps[len(gaps) // 2] if gaps else 1.0


_LABEL_NUMBER = re.compile(r"^\d{1,2}$")


def _is_new_label(text: str) -> bool:
    return text in vocab.level1_terms() or text in vocab.level_parents()
