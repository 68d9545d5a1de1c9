"""How alike two rows are: name tokens, plus agreement of project, task, levels and unit.

The name score is a weighted Dice over jieba tokens, each token weighted by how rare it
is among the department's rows (log(1 + N/df): 满意度 in every third indicator counts
little, 宣传册 a lot), blended with a Dice over character bigrams that forgives a word
jieba cut differently.  The decoy guard refuses a pair whose names share their head
but differ in the token right in front of it (企业满意度 / 员工满意度): the head says
what is measured, the modifier of whom, and a different whom is a different indicator.
An added modifier (企业满意度 / 服务企业满意度) is drift, not a decoy.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from .config import KindRules, LinkConfig


@dataclass
class Item:
    """One row of `indicators` or `projects`, ready to be compared."""
    kind: str                      # indicator | project
    order: int                     # position among the department's rows (tie-breaks)
    row: dict                      # the table row as read
    year: int
    name: str
    clean: str                     # name without numbering and years
    tokens: tuple[str, ...]
    context: str | None = None     # indicators: the project's clean name
    context_tokens: tuple[str, ...] = ()
    task: str | None = None
    level1: str | None = None
    level2: str | None = None
    unit: str | None = None
    bigrams: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self):
        core = "".join(self.tokens)
        self.bigrams = frozenset(core[i:i + 2] for i in range(len(core) - 1)) or frozenset(core)


class Weights:
    """IDF-like token weights over one department's rows of one kind."""

    def __init__(self, token_sets):
        df: Counter = Counter()
        n = 0
        for tokens in token_sets:
            n += 1
            df.update(set(tokens))
        self._unseen = math.log(1 + max(n, 1))
        self._w = {t: math.log(1 + max(n, 1) / c) for t, c in df.items()}

    def __call__(self, token: str) -> float:
        return self._w.get(token, self._unseen)


def weighted_dice(a, b, weight: Weights) -> float:
    sa, sb = set(a), set(b)
    total = sum(map(weight, sa)) + sum(map(weight, sb))
    return 2 * sum(map(weight, sa & sb)) / total if total else 0.0


def dice(a: frozenset, b: frozenset) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def decoy(a: tuple[str, ...], b: tuple[str, ...]) -> str | None:
    """Why two names are look-alikes of different things, or None.

    Align the names from their ends; the shared tail is the head (满意度).  If both
    names go on before it with different tokens that the other name does not contain
    (企业 vs 员工), they measure the same thing of different subjects.
    """
    k = 0
    while k < min(len(a), len(b)) and a[-1 - k] == b[-1 - k]:
        k += 1
    if k == len(a) or k == len(b):
        return None  # one name is the other with words added in front
    ma, mb = a[-1 - k], b[-1 - k]
    if ma in b or mb in a or ma in mb or mb in ma:
        return None  # reordered, or one word extends the other (企业 / 企业家)
    head = "".join(a[len(a) - k:])
    return f"{ma} vs {mb} before {head}" if k else f"different heads: {ma} vs {mb}"


@dataclass
class Comparison:
    score: float                   # what decides and ranks the link (may leave 0..1)
    name: float                    # name similarity
    token: float
    char: float
    why: list[str]
    refused: str | None = None     # why the pair may not be linked at all

    @property
    def similarity(self) -> float:
        return min(max(self.score, 0.0), 1.0)


class Scorer:
    """Compares rows of one department and kind; caches project-name comparisons."""

    def __init__(self, config: LinkConfig, kind: str, items: list[Item], context_tokens: list[tuple[str, ...]]):
        self.config = config
        self.rules: KindRules = config.rules(kind)
        self.weights = Weights(i.tokens for i in items)
        self.context_weights = Weights(context_tokens)
        self._context: dict[tuple[str, str], tuple[float, str | None]] = {}

    def name_similarity(self, a, b, weights: Weights, bigrams_a, bigrams_b) -> tuple[float, float, float]:
        token = weighted_dice(a, b, weights)
        char = dice(bigrams_a, bigrams_b)
        w = self.config.token_weight
        return w * token + (1 - w) * char, token, char

    def compatible(self, a: Item, b: Item) -> bool:
        """Cheap test before scoring names: may these two rows be linked at all, as far
        as their projects go?  (The same indicator names recur in every project.)"""
        return self._context_refusal(a, b, None) is None

    def _context_refusal(self, a: Item, b: Item, out: Comparison | None) -> str | None:
        if a.kind != "indicator" or a.context == b.context:
            return None
        if a.context is None or b.context is None:
            return "a project's indicator and a department indicator"
        sim, why = self._context_pair(a, b)
        if why:
            return f"different projects: {why}"
        if sim < self.rules.project_threshold:
            return f"different projects ({sim:.2f}: {a.context} / {b.context})"
        if out is not None:
            out.why.append(f"projects {sim:.2f}")
        return None

    def _context_pair(self, a: Item, b: Item) -> tuple[float, str | None]:
        key = (a.context, b.context) if a.context <= b.context else (b.context, a.context)
        if key not in self._context:
            if a.context == b.context:
                self._context[key] = (1.0, None)
            else:
                ca, cb = "".join(a.context_tokens), "".join(b.context_tokens)
                bga = frozenset(ca[i:i + 2] for i in range(len(ca) - 1))
                bgb = frozenset(cb[i:i + 2] for i in range(len(cb) - 1))
                sim, _, _ = self.name_similarity(a.context_tokens, b.context_tokens, self.context_weights, bga, bgb)
                why = decoy(a.context_tokens, b.context_tokens) if self.config.decoy_guard else None
                self._context[key] = (sim, why)
        return self._context[key]

    def compare(self, a: Item, b: Item) -> Comparison:
        r = self.rules
        name, token, char = self.name_similarity(a.tokens, b.tokens, self.weights, a.bigrams, b.bigrams)
        out = Comparison(score=name, name=name, token=token, char=char,
                         why=[f"name {name:.2f} (tokens {token:.2f}, chars {char:.2f})"])
        out.refused = self._context_refusal(a, b, out)
        if out.refused:
            return out
        if not a.tokens or not b.tokens:
            out.refused = "empty name"
            return out
        if self.config.decoy_guard:
            why = decoy(a.tokens, b.tokens)
            if why:
                out.refused = f"decoy: {why}"
                return out
        if a.kind == "indicator":
            for label, x, y, bonus, penalty in (
                    ("task", a.task, b.task, r.task_bonus, r.task_penalty),
                    ("level1", a.level1, b.level1, r.level_bonus, r.level_penalty),
                    ("level2", a.level2, b.level2, r.level_bonus, r.level_penalty),
                    ("unit", a.unit, b.unit, r.unit_bonus, r.unit_penalty)):
                if x is None or y is None:
                    continue
                if x == y and bonus:
                    out.score += bonus
                    out.why.append(f"{label} {x} = {y} +{bonus:g}")
                elif x != y and penalty:
                    out.score -= penalty
                    out.why.append(f"{label} {x} ≠ {y} -{penalty:g}")
        return out
