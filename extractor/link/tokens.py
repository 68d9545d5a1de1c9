"""Names cleaned (NFKC, list numbering and years removed), and cut into tokens by jieba
with a dictionary of budget-performance terms, stop tokens dropped, synonyms mapped.
The linker compares the cleaned names' characters (similarity.py); the tokens are what
`--explain` shows.

`2021年病媒生物防制` and `2022年病媒生物防制` give the same tokens; `指标1：企业满意度`
gives the tokens of `企业满意度`; `服务对象满意度` stays one token.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba

from ..normalize import clean_text

_NUM = "0-9一二三四五六七八九十"
# List numbering at the start: 指标1：, 目标2., 1., 1.2、, 1、, (1), （一）, 一、 (and ① below).
_NUMBERING = re.compile(
    rf"^(?:(?:指标|目标|任务|项目)[{_NUM}]+[:：.、]?"
    rf"|[(（][{_NUM}]+[)）]"
    r"|[0-9]+(?:\.[0-9]+)*(?:[、)）]|\.(?![0-9]))"
    r"|[一二三四五六七八九十]+[、.])[:：]?")
_CIRCLED = re.compile(r"^[\u2460-\u2473\u2776-\u277f]")
# A year or a range of years: 2021年, 2022年度, 2021年至2022年, 2021-2022年度.
_YEARS = re.compile(r"(?:19|20)\d{2}(?:年度?)?\s*[-—–~至到]\s*(?:(?:19|20)\d{2}|\d{2})年度?"
                    r"|(?:19|20)\d{2}年度?")
# A bare year at the start of a name: 2022公共图书馆免费开放项目.
_LEADING_YEAR = re.compile(r"^(?:19|20)\d{2}(?![0-9])")
_PUNCT_ONLY = re.compile(r"^[\W_]+$")


def clean_name(name: str | None) -> str | None:
    """The name without layout spaces, list numbering and years (the part that should
    stay the same from one year to the next)."""
    if name is not None:
        name = _CIRCLED.sub("", name.strip())  # before NFKC turns ① into 1
    text = clean_text(name)
    if text is None:
        return None
    text = re.sub(r"\s+", "", text)
    for _ in range(2):  # 指标1：1. …
        text = _NUMBERING.sub("", text)
    text = _YEARS.sub("", text)
    text = _LEADING_YEAR.sub("", text)
    return text.strip(":：,，.。、;；-— ") or None


@lru_cache(maxsize=4)
def _jieba(dictionary: str | None, mtime: float) -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if dictionary:
        tokenizer.load_userdict(dictionary)
    return tokenizer


class Tokeniser:
    """jieba with the project's dictionary; one instance per configuration."""

    def __init__(self, dictionary: Path | None = None, stop_tokens=frozenset(), synonyms: dict | None = None):
        mtime = Path(dictionary).stat().st_mtime if dictionary else 0.0
        self._jieba = _jieba(str(dictionary) if dictionary else None, mtime)
        self.stop_tokens = frozenset(stop_tokens)
        self.synonyms = dict(synonyms or {})
        self._cache: dict[str, tuple[str, ...]] = {}

    def tokens(self, name: str | None) -> tuple[str, ...]:
        """Content tokens of a name, in order."""
        text = clean_name(name)
        if text is None:
            return ()
        if text not in self._cache:
            out = []
            for tok in self._jieba.lcut(text, HMM=False):
                tok = unicodedata.normalize("NFKC", tok).strip()
                if not tok or _PUNCT_ONLY.match(tok) or tok in self.stop_tokens:
                    continue
                out.append(self.synonyms.get(tok, tok))
            self._cache[text] = tuple(out)
        return self._cache[text]
