"""The evidence that two rows of different years are the same project or indicator.

Projects: the name (similarity.py), how far their indicators' names carry over (a
project renamed 示范点建设项目 -> 乡村振兴示范点建设项目 keeps its indicators), and the
size of the budget.  Indicators: the name, 一级/二级指标, task, the unit (a changed unit
that measures the same quantity, 万元 -> 元, rescales the target; % vs 个 is another
indicator) and the size of the target.  Each comparison keeps the reasons it gives for
`--explain` and for the `evidence` column.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from .config import KindRules, LinkConfig
from .similarity import Tfidf, decoy, name_similarity

# Units of one quantity and their factor to the first; a unit outside the table is
# only compared for equality.
_UNITS = [
    {"元": 1, "万元": 1e4, "千元": 1e3, "亿元": 1e8},
    {"个": 1, "家": 1, "项": 1, "件": 1, "所": 1, "处": 1, "户": 1, "座": 1},
    {"人": 1, "人次": 1, "名": 1, "位": 1},
    {"次": 1, "场": 1, "场次": 1, "批次": 1, "期": 1},
    {"平方米": 1, "亩": 666.67, "公顷": 1e4, "平方公里": 1e6, "万平方米": 1e4},
    {"米": 1, "公里": 1e3, "千米": 1e3},
    {"%": 1},
]
_UNIT_OF = {u: (i, f) for i, group in enumerate(_UNITS) for u, f in group.items()}


@dataclass(eq=False)
class Item:
    """One row of `indicators` or `projects`, ready to be compared."""
    kind: str                      # indicator | project
    order: int                     # position among the department's rows (tie-breaks)
    row: dict                      # the table row as read ({} for a synthetic project)
    year: int
    name: str
    clean: str                     # name without numbering and years
    tokens: tuple[str, ...]        # jieba tokens, shown by --explain
    norm: str                      # for the similarity
    canon: str                     # for the decoy guard
    context: str | None = None     # indicators: the project's clean name
    task: str | None = None
    level1: str | None = None
    level2: str | None = None
    unit: str | None = None
    value: float | None = None     # indicators: target (or actual) value; projects: budget
    synthetic: bool = False        # a project known only from its indicators' `project`
    project: "Item | None" = None  # indicators: the project item of the row
    indicators: list["Item"] = field(default_factory=list)  # projects: their indicators


@dataclass
class Comparison:
    score: float                   # what decides and ranks the link (may leave 0..1)
    name: float                    # name similarity
    why: list[str]
    refused: str | None = None     # why the pair may not be linked at all

    @property
    def similarity(self) -> float:
        return min(max(self.score, 0.0), 1.0)


def _ratio(x: float | None, y: float | None) -> float | None:
    if x is None or y is None or x <= 0 or y <= 0:
        return None
    return min(x, y) / max(x, y)


def _level(text: str | None) -> str | None:
    """社会效益指标 and 社会效益 are one level, printed two ways."""
    return text.removesuffix("指标") or text if text else None


class Evidence:
    """Compares rows of one department and kind; caches what pairs of names give."""

    def __init__(self, config: LinkConfig, kind: str, items: list[Item]):
        self.config = config
        self.kind = kind
        self.rules: KindRules = config.rules(kind)
        self.tfidf = Tfidf(i.norm for i in items)
        self._names: dict[tuple, tuple[float, str | None]] = {}
        if kind == "project":
            inds = [i for p in items for i in p.indicators]
            self.ind_tfidf = Tfidf(i.norm for i in inds)
            # An indicator name in every project (服务对象满意度) tells projects apart
            # less than one only this project has: weight = log(1 + P / projects with it).
            df = Counter(n for p in items for n in {i.norm for i in p.indicators})
            n = max(len(items), 1)
            self._ind_weight = {k: math.log(1 + n / c) for k, c in df.items()}
            self._overlap: dict[tuple[int, int], float | None] = {}

    def names(self, a: Item, b: Item, tfidf: Tfidf | None = None) -> tuple[float, str | None]:
        """(similarity, why a decoy or None) of two items' names; `tfidf`: the IDF of
        another block (a project's indicators among the department's)."""
        tfidf = tfidf or self.tfidf
        key = (id(tfidf), *sorted((a.norm, b.norm)))
        if key not in self._names:
            sim = name_similarity(a.norm, b.norm, tfidf)
            if a.canon != a.norm or b.canon != b.norm:
                # Variants read as one (专项资金 / 补助资金), a little below the same
                # wording, so that two projects of one year keep their own names.
                sim = max(sim, name_similarity(a.canon, b.canon, tfidf) - 0.05)
            why = decoy(a.canon, b.canon) if self.config.decoy_guard else None
            self._names[key] = (sim, why)
        return self._names[key]

    def overlap(self, a: Item, b: Item) -> float | None:
        """How much of the indicators of the project with fewer carry over to the other:
        each indicator's best match that is no decoy, weighted by its rarity."""
        key = (id(a), id(b))
        if key in self._overlap:
            return self._overlap[key]
        small, big = sorted((a, b), key=lambda p: (len({i.norm for i in p.indicators}), p.year))
        small_names = {i.norm: i for i in small.indicators}
        big_items = list({i.norm: i for i in big.indicators}.values())
        result = None
        if small_names and big_items:
            got = total = 0.0
            for norm, ind in small_names.items():
                w = self._ind_weight.get(norm, 1.0)
                total += w
                best = 0.0
                for other in big_items:
                    sim, why = self.names(ind, other, self.ind_tfidf)
                    if why is None and sim > best:
                        best = sim
                got += w * (best if best >= 0.7 else 0.0)  # less alike: another indicator
            result = got / total if total else None
        self._overlap[key] = result
        return result

    def compare(self, a: Item, b: Item) -> Comparison:
        name, why = self.names(a, b)
        out = Comparison(score=name, name=name, why=[f"name {name:.2f}"])
        if not a.norm or not b.norm:
            out.refused = "empty name"
        elif why:
            out.refused = f"decoy: {why}"
        if self.kind == "project":
            self._project(a, b, out)
        else:
            self._indicator(a, b, out)
        return out

    def _project(self, a: Item, b: Item, out: Comparison) -> None:
        r = self.rules
        overlap = self.overlap(a, b) if not out.refused else None
        if overlap is not None:
            blended = (1 - r.overlap_weight) * out.name + r.overlap_weight * overlap
            out.why.append(f"indicators carried over {overlap:.2f}")
            out.score = max(out.score, blended)
        _size_evidence(out, "budget", _ratio(a.value, b.value), r.budget_bonus, r.budget_penalty, far=0.2)

    def _indicator(self, a: Item, b: Item, out: Comparison) -> None:
        r = self.rules
        for label, x, y, bonus, penalty in (
                ("task", a.task, b.task, r.task_bonus, r.task_penalty),
                ("level1", _level(a.level1), _level(b.level1), r.level_bonus, r.level_penalty),
                ("level2", _level(a.level2), _level(b.level2), r.level_bonus, r.level_penalty)):
            if x is None or y is None:
                continue
            if x == y and bonus:
                out.score += bonus
                out.why.append(f"{label} = +{bonus:g}")
            elif x != y and penalty:
                out.score -= penalty
                out.why.append(f"{label} {x} ≠ {y} -{penalty:g}")
        scale = 1.0
        if a.unit is not None and b.unit is not None:
            ua, ub = _UNIT_OF.get(a.unit), _UNIT_OF.get(b.unit)
            if a.unit == b.unit:
                if r.unit_bonus:
                    out.score += r.unit_bonus
                    out.why.append(f"unit {a.unit} +{r.unit_bonus:g}")
            elif ua and ub and ua[0] == ub[0]:
                scale = ua[1] / ub[1]
                out.why.append(f"unit {a.unit} → {b.unit}" + (f" (×{scale:g})" if scale != 1 else ""))
            elif (ua and ub) or "%" in (a.unit, b.unit):
                out.score -= r.unit_penalty
                out.why.append(f"unit {a.unit} ≠ {b.unit} -{r.unit_penalty:g}")
        _size_evidence(out, "target", _ratio(a.value * scale if a.value is not None else None, b.value),
                       r.value_bonus, r.value_penalty, far=0.1)


def _size_evidence(out: Comparison, label: str, ratio: float | None, bonus: float, penalty: float,
                   far: float) -> None:
    """Sizes of the same order (ratio ≥ 0.5) count for a link, sizes far apart against it."""
    if ratio is None:
        return
    if ratio >= 0.5 and bonus:
        out.score += bonus
        out.why.append(f"{label} {ratio:.2f} +{bonus:g}")
    elif ratio < far and penalty:
        out.score -= penalty
        out.why.append(f"{label} {ratio:.2f} -{penalty:g}")
