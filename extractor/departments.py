"""Stable department keys, so one department's reports line up year after year."""
from __future__ import annotations

import re

from .normalize import clean_text

# Brackets that qualify a report, not the department: （部门）, （汇总）, （本级）, （盖章）
_QUALIFIERS = re.compile(r"[(（](?:部门|汇总|本级|盖章|单位|机关|部门汇总|含下属单位)[)）]")
_SPACES = re.compile(r"\s+")


def department_key(name: str | None) -> str | None:
    """A normalised key: NFKC, no spaces, no report qualifiers in brackets."""
    text = clean_text(name)
    if text is None:
        return None
    text = _QUALIFIERS.sub("", text)
    text = _SPACES.sub("", text)
    return text or None
