"""How alike two names are, on characters rather than words.

jieba cuts the same words differently in different contexts (新购 | 设备 but
新 | 购置 | 设备; 食品 | 安全形势 but 食品安全 | 总体 | 形势), so a score on its tokens
refuses near-identical names.  Here a name is compared as a string:

- `norm`: the clean name (no numbering, no years, no punctuation) with the same
  measure written one way (满意率 -> 满意度, 数量 -> 数: `synonyms` in link.yaml);
- the score blends a TF-IDF cosine over character 1–3-grams (IDF over the block's
  names: 满意度 in every third indicator weighs little, 宣传册 a lot) with rapidfuzz's
  normalised Indel similarity (order and length);
- the decoy guard compares `canon` forms, where the variants of a word count as one
  (专项资金 / 补助资金 / 经费, 建设 / 建成, 购置 / 采购: `variants` in link.yaml).  Take
  away what both names share, character by character: when both keep something, a
  word was replaced by a different one (企业满意度 / 员工满意度, 道路保洁 / 道路维修),
  which makes a different thing; when only one keeps something, words were added
  (企业满意度 / 服务企业满意度) or reordered, which is drift.
"""
from __future__ import annotations

import math
import re
from collections import Counter

from rapidfuzz.distance import Indel

from .tokens import clean_name

_NON_WORD = re.compile(r"[\W_]+")


class Normaliser:
    """Names to `norm` (for similarity) and `canon` (for the decoy guard)."""

    def __init__(self, synonyms: dict[str, str], variants: list[list[str]], drop: list[str] = ()):
        self._synonyms = sorted(synonyms.items(), key=lambda kv: -len(kv[0]))
        # Every variant to the group's first form, longest first (新购置 before 新购).
        canon = {}
        for group in variants:
            for word in group:
                canon.setdefault(self._norm_word(word), self._norm_word(group[0]))
        self._variants = sorted(canon.items(), key=lambda kv: -len(kv[0]))
        self._drop = sorted(drop, key=len, reverse=True)
        self._cache: dict[str, tuple[str, str]] = {}
        self.canon_of: dict[str, str] = {}     # norm -> canon, of the names seen

    def _norm_word(self, word: str) -> str:
        for a, b in self._synonyms:
            word = word.replace(a, b)
        return word

    def forms(self, name: str | None) -> tuple[str, str]:
        """(norm, canon) of a name; ("", "") when nothing is left."""
        if not name:
            return "", ""
        if name not in self._cache:
            text = _NON_WORD.sub("", clean_name(name) or "")
            for word in self._drop:
                text = text.replace(word, "")
            norm = self._norm_word(text)
            canon = _replace_all(norm, self._variants)
            self._cache[name] = (norm, canon)
            self.canon_of[norm] = canon
        return self._cache[name]


def _replace_all(text: str, pairs: list[tuple[str, str]]) -> str:
    """Replace every occurrence of each key, longest key first, never inside a
    replacement already made (so 新购置 -> 购置 is not then read as 购置 -> 购置 again)."""
    out, i = [], 0
    while i < len(text):
        for a, b in pairs:
            if text.startswith(a, i):
                out.append(b)
                i += len(a)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def ngrams(text: str) -> Counter:
    return Counter(text[i:i + n] for n in (1, 2, 3) for i in range(len(text) - n + 1))


class Tfidf:
    """Character 1–3-gram TF-IDF vectors over one block of names."""

    def __init__(self, texts):
        df: Counter = Counter()
        n = 0
        for t in set(texts):
            n += 1
            df.update(ngrams(t).keys())
        self._n = max(n, 1)
        self._idf = {g: math.log(1 + self._n / c) for g, c in df.items()}
        self._unseen = math.log(1 + self._n)
        self._vectors: dict[str, tuple[dict[str, float], float]] = {}

    def vector(self, text: str) -> tuple[dict[str, float], float]:
        if text not in self._vectors:
            v = {g: c * self._idf.get(g, self._unseen) for g, c in ngrams(text).items()}
            self._vectors[text] = (v, math.sqrt(sum(x * x for x in v.values())))
        return self._vectors[text]

    def cosine(self, a: str, b: str) -> float:
        (va, na), (vb, nb) = self.vector(a), self.vector(b)
        if not na or not nb:
            return 0.0
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(x * vb.get(g, 0.0) for g, x in va.items()) / (na * nb)


def name_similarity(a: str, b: str, tfidf: Tfidf) -> float:
    """0..1: how alike two `norm` names are (1 for equal ones)."""
    if a == b:
        return 1.0 if a else 0.0
    return 0.5 * tfidf.cosine(a, b) + 0.5 * Indel.normalized_similarity(a, b)


def decoy(a, b) -> str | None:
    """Why two names are look-alikes of different things, or None.

    `a` and `b` are canon strings (or token sequences, joined).  What one name has and
    the other has not, after the shared characters are taken away: words replaced on
    both sides (企业 vs 员工 before 满意度) make a decoy; an addition or a reordering
    does not."""
    a = "".join(a) if not isinstance(a, str) else a
    b = "".join(b) if not isinstance(b, str) else b
    if a == b:
        return None
    only_a, only_b = Counter(a) - Counter(b), Counter(b) - Counter(a)
    if not only_a or not only_b:
        return None  # one is the other with words added, or the same words reordered
    # Name the difference as it reads: strip the shared start and end.
    p = 0
    while p < min(len(a), len(b)) and a[p] == b[p]:
        p += 1
    s = 0
    while s < min(len(a), len(b)) - p and a[-1 - s] == b[-1 - s]:
        s += 1
    ma, mb = a[p:len(a) - s], b[p:len(b) - s]
    head = a[len(a) - s:] if s else ""
    ra = "".join(ch for ch in ma if ch in only_a) or ma
    rb = "".join(ch for ch in mb if ch in only_b) or mb
    if head and ma and mb and not (set(ma) & set(mb)):
        return f"{ma} vs {mb} before {head}"
    if head:
        return f"{ra} vs {rb} before {head}"
    return f"different heads: {ma} vs {mb}"
