"""Where merged 一级/二级 labels of a table read from text belong: the vocabulary's level
terms, and the rows each label printed beside them covers (text ordered by height prints
a merged cell in the middle of its rows)."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from ..packs import vocab

LABEL_WEIGHT = re.compile(r"[(（](\d+(?:\.\d+)?)分[)）]$")
# a label's weight opened but wrapped before its 分） (产出指标（50 / 分）)
OPEN_WEIGHT = re.compile(r"[(（]\d+(?:\.\d+)?$")


@lru_cache(maxsize=1)
def level_terms() -> tuple[frozenset[str], frozenset[str]]:
    """(every 一级 and 二级 label of the vocabulary, every prefix of one, its weight aside)."""
    terms = vocab.level1_terms() | frozenset(vocab.level_parents())
    return terms, frozenset(t[:k] for t in terms for k in range(1, len(t) + 1))


def level_like(text: str, known: frozenset[str] = frozenset()) -> bool:
    """A label that may start a row of its own: a 一级/二级 of the vocabulary (or of the
    `known` labels a pack adds), or one printed with its weight (投入（20分）)."""
    terms, _ = level_terms()
    bare = LABEL_WEIGHT.sub("", text)
    return bool(LABEL_WEIGHT.search(text)) or bare in terms or bare in known


def whole_label(text: str, known: frozenset[str] = frozenset()) -> bool:
    """A label printed whole, not a piece of one wrapped in a narrow cell: one the
    vocabulary knows, or four Chinese characters or more that are no part of a known
    label nor a form's or column's label (经济成本, 社会效应 of another region's framework;
    象满意 is part of 服务对象满意度)."""
    if level_like(text, known):
        return True
    bare = LABEL_WEIGHT.sub("", text)
    if not _WHOLE.match(bare) or vocab.is_form_label(bare) or vocab.is_role_term(bare):
        return False  # 标(30) is a piece; 绩效指标 the form's label beside all its levels
    return not label_piece(bare, known)


def label_piece(bare: str, known: frozenset[str] = frozenset()) -> bool:
    """Part of a 一级/二级 label the vocabulary (or `known`) holds, not the label itself
    (象满意, 影响); 经济成本 is 经济成本指标 without its suffix, a label of its own."""
    terms, _ = level_terms()
    return bare not in terms and bare not in known and \
        any(bare in t and t != bare + "指标" for t in terms | known)


_WHOLE = re.compile(r"^[\u4e00-\u9fff]{4,12}$")


def groups_around(ys: list[float], pages: list[int], anchors: list[tuple[float, int]]) -> list[int] | None:
    """Rows at lines `ys` on `pages` in consecutive groups, one per label printed at
    `anchors` (line, page), in order, each group's middle as near its label as can be
    (least total distance).  A group over a page break is printed on its part on the
    label's page, centred on it or at its top.  Returns the first row of each group, or
    None when there are more labels than rows or a label stands outside its group."""
    n, k = len(ys), len(anchors)
    if not k or k > n:
        return None
    gap = sorted(b - a for a, b, pa, pb in zip(ys, ys[1:], pages, pages[1:]) if pa == pb)
    half = (gap[len(gap) // 2] if gap else 1.0) / 2
    # each row's lines: half way to its neighbours on the same page
    lo = [(ys[r - 1] + ys[r]) / 2 if r and pages[r - 1] == pages[r] else ys[r] - half for r in range(n)]
    hi = [(ys[r] + ys[r + 1]) / 2 if r + 1 < n and pages[r + 1] == pages[r] else ys[r] + half for r in range(n)]

    def on_page(s: int, e: int, anchor: tuple[float, int]) -> list[int]:
        return [r for r in range(s, e) if pages[r] == anchor[1]]

    def miss(s: int, e: int, anchor: tuple[float, int]) -> float:
        here = on_page(s, e, anchor)
        if not here:
            return float("inf")
        off = abs((lo[here[0]] + hi[here[-1]]) / 2 - anchor[0])
        if len(here) < e - s:  # split by the page: the label may stand at the top of its part
            off = min(off, abs(lo[here[0]] - anchor[0]))
        return off

    def cost(s: int, e: int, anchor: tuple[float, int]) -> float:
        # ties broken by the middle of the rows' own lines (a page's last row's extent is a guess)
        here = on_page(s, e, anchor)
        return miss(s, e, anchor) + (1e-3 * abs((ys[here[0]] + ys[here[-1]]) / 2 - anchor[0]) if here else 0)

    def within(s: int, e: int, anchor: tuple[float, int]) -> bool:
        """The label stands within its rows' lines: a centred label is printed inside them."""
        here = on_page(s, e, anchor)
        return miss(s, e, anchor) <= (hi[here[-1]] - lo[here[0]]) / 2

    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(k + 1)]  # best[j][e]: labels 0..j-1 over rows 0..e-1
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for j in range(1, k + 1):
        for e in range(j, n - (k - j) + 1):
            for s in range(j - 1, e):
                c = best[j - 1][s] + cost(s, e, anchors[j - 1])
                if c < best[j][e]:
                    best[j][e], back[j][e] = c, s
    if best[k][n] == inf:
        return None
    starts, e = [], n
    for j in range(k, 0, -1):
        e = back[j][e]
        starts.append(e)
    starts.reverse()
    ends = starts[1:] + [n]
    if not all(within(s, e, anchor) for s, e, anchor in zip(starts, ends, anchors)):
        return None
    return starts


def weighted_starts(rows: list[dict], labels: list[str]) -> list[int] | None:
    """The first row of each label's group where every label prints its weight and
    consecutive rows' 分值 add up to each in turn; None where they do not."""
    marks = [LABEL_WEIGHT.search(label) for label in labels]
    weights = [_decimal(r.get("weight")) for r in rows]
    if not labels or not all(marks) or any(w is None for w in weights):
        return None
    starts, at = [], 0
    for m in marks:
        starts.append(at)
        goal, total = Decimal(m.group(1)), Decimal(0)
        while at < len(rows) and total < goal:
            total += weights[at]
            at += 1
        if total != goal or at == starts[-1]:
            return None
    return starts if at == len(rows) else None


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", "")) if value is not None else None
    except ArithmeticError:
        return None


def centred_levels(rows: list[dict], marks: list[tuple[str, str, int, int]],
                   known: frozenset[str] = frozenset()) -> None:
    """Merged 一级/二级 cells centred on their rows come out of a text tool that orders
    lines by height in the middle of them, so carrying each label down from where it is
    printed gives the rows just above the next label to the one before.  The evidence:
    rows printed before the first label of a level (a label at the top of its rows never
    comes after one).  Then each group is the rows around its label, a 二级's inside its
    一级's rows.  Text in the order the PDF draws (labels before their rows) is left as read."""
    ys = [float(r["_line"]) for r in rows if "_line" in r]
    if len(ys) != len(rows) or len(rows) < 2:
        return
    pages = [r.get("page") for r in rows]
    if not all(whole_label(label, known) for _, label, _, _ in marks):
        return  # pieces of labels wrapped in narrow cells (绩 / 效, 象满意): placed by the vocabulary instead
    # a centred label stands within its rows on its page; labels drawn after them (content order) are not centred
    printed = {level: sorted({(line, label, page) for f, label, line, page in marks if f == level})
               for level in ("level1", "level2")}
    extent: dict = {}  # page -> (first row line, last row line)
    for y, page in zip(ys, pages):
        first, last = extent.get(page, (y, y))
        extent[page] = (min(first, y), max(last, y))
    printed = {level: here for level, here in printed.items()
               if here and all(page in extent and extent[page][0] - 0.5 <= line <= extent[page][1] + 0.5
                               for line, _, page in here)}
    if not any(ys[0] < here[0][0] for here in printed.values()):
        return

    spans = [(0, len(rows))]
    for level in ("level1", "level2"):
        here = printed.get(level)
        if not here:
            continue
        next_spans = []
        for a, b in spans:
            if a is None:  # the level above could not be placed here: nor can this one
                next_spans.append((a, b))
                continue
            # a group's labels stand after the rows of the group above, up to its own last row
            lo = float(rows[a - 1]["_line"]) + 0.5 if a else float("-inf")
            hi = float(rows[b - 1]["_line"]) + 0.5 if b < len(rows) else float("inf")
            inside = [(line, label, page) for line, label, page in here if lo <= line <= hi]
            # labels that print their weight (部门管理（25分）) cover the rows whose 分值 make it:
            # surer than where a text tool happened to put the label's line
            starts = weighted_starts(rows[a:b], [label for _, label, _ in inside]) \
                or groups_around(ys[a:b], pages[a:b], [(float(line), page) for line, _, page in inside])
            if starts is None:
                next_spans.append((None, None) if inside else (a, b))
                continue
            for n, s in enumerate(starts):
                e = starts[n + 1] if n + 1 < len(starts) else b - a
                for r in rows[a + s:a + e]:
                    r[level] = inside[n][1]
                next_spans.append((a + s, a + e))
        spans = next_spans
