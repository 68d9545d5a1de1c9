"""Compare extracted rows with a golden file written by reading the document."""
from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal

from extractor.tables import ROW_TABLES

_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”、。,.;:()%≥≤]"


def norm_text(s: str) -> str:
    """The golden files hold text as printed; the contract wants it NFKC, without
    layout spaces inside Chinese text."""
    s = unicodedata.normalize("NFKC", s)
    return re.sub(rf"(?<={_CJK})\s+|\s+(?={_CJK})", "", s).strip()


def same(expected, got) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(got, Decimal):
        return Decimal(str(expected)) == got
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return math.isclose(float(expected), float(got), rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(expected, str) and isinstance(got, str):
        return norm_text(expected) == got
    return expected == got


def diff_rows(table: str, golden_rows: list[dict], got_rows: list[dict], skip=("page",)) -> tuple[list[str], dict]:
    """Multiset match of golden rows against extracted rows on the golden's columns.

    Returns the problems and a map golden index -> extracted row.
    """
    problems, matched, used = [], {}, set()
    for i, g in enumerate(golden_rows):
        cols = [c for c in g if c not in skip]
        hit = next((j for j, r in enumerate(got_rows)
                    if j not in used and all(same(g[c], r.get(c)) for c in cols)), None)
        if hit is None:
            closest = max(range(len(got_rows)), default=None,
                          key=lambda j: sum(same(g[c], got_rows[j].get(c)) for c in cols))
            if closest is None:
                problems.append(f"{table}[{i}] missing (no rows extracted): {g}")
            else:
                r = got_rows[closest]
                wrong = {c: (g[c], r.get(c)) for c in cols if not same(g[c], r.get(c))}
                problems.append(f"{table}[{i}] not found; closest row differs in {wrong}")
            continue
        used.add(hit)
        matched[i] = got_rows[hit]
    extra = [got_rows[j] for j in range(len(got_rows)) if j not in used]
    for r in extra:
        problems.append(f"{table}: extra row {({k: v for k, v in r.items() if not k.startswith('_')})}")
    return problems, matched


def compare(golden: dict, result: dict[str, list[dict]], check_pages: bool) -> list[str]:
    problems = []
    doc = result["documents"][0]
    for key, value in golden["documents"].items():
        if not same(value, doc.get(key)):
            problems.append(f"documents.{key}: golden {value!r}, got {doc.get(key)!r}")
    for table in ROW_TABLES:
        if table not in golden:
            continue
        p, matched = diff_rows(table, golden[table], result[table])
        problems += p
        if check_pages:
            for i, page in golden.get("pdf_pages", {}).get(table, []):
                if i in matched and matched[i]["page"] != page:
                    problems.append(f"{table}[{i}] page: golden {page}, got {matched[i]['page']}")
    return problems
