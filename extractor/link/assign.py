"""Rows of one department and kind, year by year, into series.

Years are taken in order.  Each row of a year is scored against the open series (the
ones that had a member at most `max_year_gap` years before, compared through their last
`compare_last` members, so a name that drifts a little every year stays linked).  Pairs
at or above the threshold are assigned best first, one to one: a series takes at most
one row of a year and a row joins at most one series.  Rows left over start series.
Greedy best-first rather than an optimal assignment on purpose: it never gives up a
clear match to make two doubtful ones fit, and it is deterministic and explainable.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .config import LinkConfig
from .similarity import Comparison, Item, Scorer


@dataclass
class Member:
    item: Item
    similarity: float
    comparison: Comparison | None = None   # against `matched`, None for the first member
    matched: Item | None = None


@dataclass
class Series:
    order: int
    members: list[Member] = field(default_factory=list)

    @property
    def last_year(self) -> int:
        return self.members[-1].item.year


@dataclass
class Event:
    """Something `--explain` reports: a link, or a row that started a series although a
    candidate came close (refused, below the threshold, or taken by a better match)."""
    linked: bool
    a: Item                        # the series member compared with
    b: Item                        # the new row
    comparison: Comparison
    note: str = ""


def build_series(items: list[Item], scorer: Scorer, config: LinkConfig) -> tuple[list[Series], list[Event]]:
    threshold = scorer.rules.threshold
    by_year: dict[int, list[Item]] = defaultdict(list)
    for item in sorted(items, key=lambda i: i.order):
        by_year[item.year].append(item)
    series: list[Series] = []
    events: list[Event] = []
    for year in sorted(by_year):
        open_series = [s for s in series if year - s.last_year <= config.max_year_gap]
        index: dict[str, set[int]] = defaultdict(set)
        for pos, s in enumerate(open_series):
            for m in s.members[-config.compare_last:]:
                for bg in m.item.bigrams:
                    index[bg].add(pos)
        pairs = []
        # item.order -> (comparison, member, why not linked: a reason or the series it lost)
        closest: dict[int, tuple[Comparison, Item, str | Series]] = {}
        for item in by_year[year]:
            candidates = sorted(set().union(*(index.get(bg, ()) for bg in item.bigrams)))
            for pos in candidates:
                s = open_series[pos]
                best = refused = None
                for m in s.members[-config.compare_last:]:
                    if not scorer.compatible(m.item, item):
                        continue
                    c = scorer.compare(m.item, item)
                    if c.refused is None:
                        if best is None or c.score > best[0].score:
                            best = (c, m.item)
                    elif refused is None or c.name > refused[0].name:
                        refused = (c, m.item)
                if best is None and refused is None:
                    continue  # another project's indicator: not even a near miss
                if best is not None and best[0].score >= threshold:
                    pairs.append((best[0].score, best[0].name, -s.order, -item.order, s, item, best))
                else:
                    c, other = best if best is not None else refused
                    note = c.refused or f"below the threshold {threshold:g}"
                    old = closest.get(item.order)
                    if old is None or c.name > old[0].name:
                        closest[item.order] = (c, other, note)
        pairs.sort(key=lambda p: p[:4], reverse=True)
        taken_series: set[int] = set()
        placed: set[int] = set()
        for score, _, _, _, s, item, (c, other) in pairs:
            if s.order in taken_series or item.order in placed:
                old = closest.get(item.order)
                if item.order not in placed and (old is None or not isinstance(old[2], Series)):
                    closest[item.order] = (c, other, s)  # the first, best, candidate it lost
                continue
            taken_series.add(s.order)
            placed.add(item.order)
            s.members.append(Member(item, c.similarity, c, other))
            events.append(Event(True, other, item, c))
        for item in by_year[year]:
            if item.order in placed:
                continue
            series.append(Series(len(series), [Member(item, 1.0)]))
            near = closest.get(item.order)
            if near is not None and near[0].name >= config.near_miss:
                c, other, note = near
                if isinstance(note, Series):
                    note = f"the series went to a better match: {note.members[-1].item.name}"
                events.append(Event(False, other, item, c, note))
    return series, events
