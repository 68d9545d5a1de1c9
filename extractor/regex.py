"""Pack regexes: placeholders (NUM, PCT, MONEY, GRADE) expanded, compiled once."""
from __future__ import annotations

import re
from functools import lru_cache

# Placeholders a pack may use inside its regexes.
PLACEHOLDERS = {
    "NUM": r"-?\d[\d,]*(?:\.\d+)?",
    "PCT": r"-?\d[\d,]*(?:\.\d+)?%",
    "MONEY": r"-?\d[\d,]*(?:\.\d+)?(?:亿元|万元|元)",
    "GRADE": r"优秀|优|良好|良|中|差|合格|不合格|[ABCD]",
}


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> re.Pattern:
    for name, regex in PLACEHOLDERS.items():
        pattern = pattern.replace(name, f"(?:{regex})")
    return re.compile(pattern, re.M)


