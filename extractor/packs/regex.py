"""Pack regexes: placeholders (NUM, PCT, MONEY, GRADE) and vocabulary roles (@weight)
expanded, compiled once."""
from __future__ import annotations

import re
from functools import lru_cache

from . import vocab

# Placeholders a pack may use inside its regexes.
PLACEHOLDERS = {
    "NUM": r"-?\d[\d,]*(?:\.\d+)?",
    "PCT": r"-?\d[\d,]*(?:\.\d+)?%",
    "MONEY": r"-?\d[\d,]*(?:\.\d+)?(?:亿元|万元|千元|元)",
}


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> re.Pattern:
    pattern = vocab.expand_roles(pattern)
    for name, regex in {**PLACEHOLDERS, "GRADE": vocab.grade_regex()}.items():
        pattern = pattern.replace(name, f"(?:{regex})")
    return re.compile(pattern, re.M)


