"""Rows of one department and kind, year by year, into series.

Years are taken in order.  Within a block (the department for projects; for
indicators, the series of their project, or the department for indicators without
one) each row of the year is scored against every open series of the block through
the series' last `compare_last` members; a series that skipped years stays open (a
report or a row not read), at a small cost per skipped year.  The pairs are then
assigned one to one with the Hungarian method (scipy's linear_sum_assignment), so
the best matching of the whole year wins, not the first pair found: each row may
also stay alone (a new series) at no gain, so no pair below the threshold is ever
forced.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Hashable

import numpy as np
from scipy.optimize import linear_sum_assignment

from .config import LinkConfig
from .evidence import Comparison, Evidence, Item

_FORBIDDEN = -1e6


@dataclass
class Member:
    item: Item
    confidence: float
    comparison: Comparison | None = None   # against `matched`, None for the first member
    matched: Item | None = None


@dataclass
class Series:
    order: int
    block: Hashable
    members: list[Member] = field(default_factory=list)

    @property
    def last_year(self) -> int:
        return self.members[-1].item.year


@dataclass
class Event:
    """Something `--explain` reports: a link, a near miss or a refused pair."""
    linked: bool
    a: Item                        # the series member compared with
    b: Item                        # the new row
    comparison: Comparison
    note: str = ""


def _best(series: Series, item: Item, evidence: Evidence, config: LinkConfig):
    """The best allowed and the best refused comparison of a row with a series."""
    best = refused = None
    for m in series.members[-config.compare_last:]:
        c = evidence.compare(m.item, item)
        skipped = item.year - m.item.year - 1
        if skipped > 0 and config.gap_penalty:
            c.score -= config.gap_penalty * skipped
            c.why.append(f"{skipped} year(s) skipped -{config.gap_penalty * skipped:g}")
        if c.refused is None:
            if best is None or c.score > best[0].score:
                best = (c, m.item)
        elif refused is None or c.name > refused[0].name:
            refused = (c, m.item)
    return best, refused


def build_series(items: list[Item], evidence: Evidence, config: LinkConfig,
                 block_of: Callable[[Item], Hashable] = lambda item: None,
                 outside: Callable[[Item, list[Series]], Event | None] | None = None
                 ) -> tuple[list[Series], list[Event]]:
    """Series of `items`; `block_of` says which rows may be compared at all, `outside`
    (for --explain) finds the best pair a row was kept from by its block."""
    threshold = evidence.rules.threshold
    by_year: dict[int, list[Item]] = defaultdict(list)
    for item in sorted(items, key=lambda i: i.order):
        by_year[item.year].append(item)
    series: list[Series] = []
    events: list[Event] = []
    for year in sorted(by_year):
        blocks: dict[Hashable, list[Item]] = defaultdict(list)
        for item in by_year[year]:
            blocks[block_of(item)].append(item)
        open_by_block: dict[Hashable, list[Series]] = defaultdict(list)
        for s in series:
            if not config.max_year_gap or year - s.last_year <= config.max_year_gap:
                open_by_block[s.block].append(s)
        new: list[Series] = []
        for block in sorted(blocks, key=lambda b: min(i.order for i in blocks[b])):
            rows, cands = blocks[block], open_by_block.get(block, [])
            best = [[_best(s, r, evidence, config) for s in cands] for r in rows]
            gain = np.full((len(rows), len(cands) + len(rows)), _FORBIDDEN)
            for i in range(len(rows)):
                gain[i, len(cands) + i] = 0.0          # the row starts a series of its own
                for j in range(len(cands)):
                    b = best[i][j][0]
                    if b is not None and b[0].score >= threshold:
                        gain[i, j] = b[0].score
            placed: dict[int, int] = {}
            if rows:
                for i, j in zip(*linear_sum_assignment(gain, maximize=True)):
                    if j < len(cands) and gain[i, j] > _FORBIDDEN:
                        placed[i] = j
            for i, j in placed.items():
                c, other = best[i][j][0]
                cands[j].members.append(Member(rows[i], c.similarity, c, other))
                events.append(Event(True, other, rows[i], c))
            for i, row in enumerate(rows):
                if i in placed:
                    continue
                new.append(Series(len(series) + len(new), block, [Member(row, 1.0)]))
                events.extend(_misses(row, best[i], cands, placed, rows, threshold, config))
                if outside is not None:
                    e = outside(row, series)
                    if e is not None:
                        events.append(e)
        series.extend(new)
    return series, events


def _misses(row: Item, best: list, cands: list[Series], placed: dict[int, int], rows: list[Item],
            threshold: float, config: LinkConfig) -> list[Event]:
    """Why a row that starts a series did not join one: its closest allowed candidate
    (taken by a better match, or below the threshold) and its closest refused one."""
    out = []
    allowed = [(b, j) for j, (b, _) in enumerate(best) if b is not None]
    if allowed:
        (c, other), j = max(allowed, key=lambda x: x[0][0].score)
        if c.name >= config.near_miss:
            winner = next((rows[i] for i, jj in placed.items() if jj == j), None)
            if c.score >= threshold and winner is not None:
                note = f"the series went to a better match: {winner.name}"
            else:
                note = f"below the threshold {threshold:g}"
            out.append(Event(False, other, row, c, note))
    refused = [r for _, r in best if r is not None]
    if refused:
        c, other = max(refused, key=lambda x: x[0].name)
        if c.name >= config.near_miss:
            out.append(Event(False, other, row, c, f"refused: {c.refused}"))
    return out
