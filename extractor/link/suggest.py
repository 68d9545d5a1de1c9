"""Renamed departments, proposed from what their reports contain.

A department renamed (…政务服务数据管理局 -> …政务服务和数据管理局, 卫生和计划生育委员会
-> 卫生健康委员会) gets a new department_key, and without an alias its indicators start
new series.  A department whose reports stop, and another whose reports start within
`max_gap` years after, in which the same projects and indicators carry on, are one
department: the share of the names of one year that recur the next (each name weighted
by how few departments use it, so 服务对象满意度 and 预算执行率, in every report, count
for little) is the evidence.  Pairs at `min_overlap` or more are assigned one to one
(Hungarian, best overall), written to OUTDIR/department_aliases.suggested.yaml for the
user to review, and used by `extractor link --accept-suggested`.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Indel
from scipy.optimize import linear_sum_assignment

SUGGESTED_FILE = "department_aliases.suggested.yaml"


@dataclass
class Suggestion:
    old: str
    new: str
    old_year: int
    new_year: int
    overlap: float
    shared: int
    names: int
    name_similarity: float


# The region in front of a department's name: 广州市荔湾区, 成都市武侯区, 西安市.
_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fff]{2,7}?(?:市|州|盟))?"
                     r"(?:[\u4e00-\u9fff]{1,7}?(?:区|县|旗))?")


def region(name: str) -> str:
    """The region a department belongs to; a renamed department keeps it (the bureau of
    another district is another department, however alike its reports)."""
    m = _REGION.match(name)
    return m.group(0) if m else ""


def _carried(small: set[str], big: set[str], match) -> set[str]:
    """The names of `small` that recur in `big`: the same, or alike (`match`)."""
    return {n for n in small if n in big or any(match(n, m) for m in big)}


def suggest_aliases(names: dict[str, dict[int, set[str]]], min_overlap: float, max_gap: int,
                    match=lambda a, b: False, min_shared: int = 1) -> list[Suggestion]:
    """`names`: department key -> year -> the normalised names of its projects and
    indicators; `match(a, b)`: whether two different names are the same thing drifted.
    Returns old key -> new key suggestions."""
    df = Counter(n for years in names.values() for n in set().union(*years.values()))
    n_depts = max(len(names), 1)

    def weight(n: str) -> float:
        return math.log(1 + n_depts / df[n])

    keys = sorted(names)
    cands = []
    for old in keys:
        last = max(names[old])
        for new in keys:
            first = min(names[new])
            if new == old or not 0 < first - last <= max_gap or region(old) != region(new):
                continue
            a, b = names[old][last], names[new][first]
            small, big = (a, b) if len(a) <= len(b) else (b, a)
            total = sum(weight(n) for n in small)
            shared = _carried(small, big, match)
            overlap = sum(weight(n) for n in shared) / total if total else 0.0
            if overlap >= min_overlap and len(shared) >= min_shared:
                cands.append(Suggestion(old, new, last, first, overlap, len(shared), len(small),
                                        Indel.normalized_similarity(old, new)))
    if not cands:
        return []
    olds = sorted({c.old for c in cands})
    news = sorted({c.new for c in cands})
    gain = np.zeros((len(olds), len(news)))
    for c in cands:
        # The department names' likeness breaks ties between equal overlaps.
        gain[olds.index(c.old), news.index(c.new)] = c.overlap + 0.01 * c.name_similarity
    chosen = []
    for i, j in zip(*linear_sum_assignment(gain, maximize=True)):
        if gain[i, j] > 0:
            chosen.append(next(c for c in cands if c.old == olds[i] and c.new == news[j]))
    return sorted(chosen, key=lambda c: c.old)


def write_suggestions(outdir: Path, suggestions: list[Suggestion]) -> Path:
    """The suggestions as an alias file (the format of patterns/department_aliases.yaml)."""
    lines = [
        "# Departments that look renamed, suggested by `extractor link` from the projects and",
        "# indicators that carry on from the old name's last report to the new name's first.",
        "# Review them: `extractor link OUTDIR --accept-suggested` uses them all; or copy the",
        "# lines you accept into your alias file (`--aliases FILE`).",
        "version: 1",
        "aliases:" + ("" if suggestions else " {}"),
    ]
    for s in suggestions:
        lines.append(f"  # {s.old_year} -> {s.new_year}: {s.shared} of {s.names} names carry over "
                     f"(weighted {s.overlap:.2f}); the names are {s.name_similarity:.2f} alike")
        lines.append(f"  {s.old}: {s.new}")
    path = outdir / SUGGESTED_FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
