"""Golden files: expected rows written by reading a document, and their comparison
with what the pipeline extracts.  Used by the tests and by `extractor packs test`.

A golden file (tests/golden/*.json, tests/golden/real/*.json) names its document in
`source` (a file stem: every .pdf/.txt of that stem; or a file name), holds the
expected `documents` fields and rows per table, optionally `pdf_pages` (golden row
index -> page) and `arithmetic_mismatches` (what does not add up in the document:
the checks must fail exactly there, and nowhere else).
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..tables import ROW_TABLES

ROOT = Path(__file__).resolve().parent.parent.parent
GOLDEN_DIRS = [ROOT / "tests" / "golden", ROOT / "tests" / "golden" / "real"]
DOCUMENT_DIRS = [ROOT / "samples", ROOT.parent / "shared" / "real"]

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


def compare(golden: dict, result: dict[str, list[dict]], check_pages: bool, row_pages: bool = False) -> list[str]:
    """Problems of `result` (one document's rows) against `golden`.  `check_pages`
    compares `pdf_pages`; `row_pages` also the `page` printed in golden rows."""
    problems = []
    doc = result["documents"][0]
    for key, value in golden["documents"].items():
        if not same(value, doc.get(key)):
            problems.append(f"documents.{key}: golden {value!r}, got {doc.get(key)!r}")
    for table in ROW_TABLES:
        if table not in golden:
            continue
        p, matched = diff_rows(table, golden[table], result[table], skip=() if row_pages else ("page",))
        problems += p
        if check_pages:
            for i, page in golden.get("pdf_pages", {}).get(table, []):
                if i in matched and matched[i]["page"] != page:
                    problems.append(f"{table}[{i}] page: golden {page}, got {matched[i]['page']}")
    return problems


def compare_checks(golden: dict, checks: list[dict]) -> list[str]:
    """The checks fail exactly at the golden's arithmetic mismatches (none: no failure).
    A mismatch whose computed value is 'undefined' (zero denominator) is not a failure."""
    expected = [m for m in golden.get("arithmetic_mismatches", []) if "undefined" not in m["computed"]]
    failing = [c for c in checks if c["status"] == "fail"]
    problems = []
    if len(failing) != len(expected):
        problems.append(f"checks: {len(failing)} failing, golden lists {len(expected)} mismatch(es): "
                        + "; ".join(f"p.{c['page']} {c['check']} {c['subject']} expected {c['expected']} "
                                    f"printed {c['reported']}" for c in failing[:3]))
    for m in expected:
        if not any(c["page"] == m["page"] and c["reported"]
                   and c["reported"].replace(",", "").rstrip("万元") in m["printed"].replace(",", "")
                   for c in failing):
            problems.append(f"checks: no failing check on p.{m['page']} for {m['what']} (printed {m['printed']})")
    return problems


# ------------------------------------------------------------------- packs test

@dataclass
class GoldenCase:
    golden_path: Path
    golden: dict
    document: Path | None  # None: the source was not found
    problems: list[str] = field(default_factory=list)
    pack: str | None = None
    status: str = "skipped"  # ok / FAIL / skipped

    @property
    def kind(self) -> str | None:
        return self.golden.get("documents", {}).get("kind")


def golden_files(dirs: list[Path] | None = None) -> list[Path]:
    return [p for d in (dirs or GOLDEN_DIRS) for p in sorted(Path(d).glob("*.json"))]


def find_sources(source: str, doc_dirs: list[Path]) -> list[Path]:
    """A golden's documents: the named file, or every .pdf/.txt with that stem."""
    found = []
    for d in doc_dirs:
        d = Path(d)
        if Path(source).suffix.lower() in (".pdf", ".txt"):
            found += [d / source] if (d / source).is_file() else []
        else:
            found += [d / f"{source}{s}" for s in (".pdf", ".txt") if (d / f"{source}{s}").is_file()]
        if found:
            return found
    return found


def golden_cases(golden_dirs: list[Path] | None = None, doc_dirs: list[Path] | None = None) -> list[GoldenCase]:
    cases = []
    for path in golden_files(golden_dirs):
        golden = json.loads(path.read_text(encoding="utf-8"))
        sources = find_sources(str(golden.get("source") or path.stem), doc_dirs or DOCUMENT_DIRS)
        cases += [GoldenCase(path, golden, doc) for doc in sources] or [GoldenCase(path, golden, None)]
    return cases


def run_case(case: GoldenCase, packs) -> GoldenCase:
    """Extract the case's document with `packs` and compare it with its golden."""
    from ..batch.pipeline import process_file

    if case.document is None:
        return case
    result = process_file(case.document, packs)
    doc = result["documents"][0]
    case.pack = doc.get("pack")
    is_pdf = doc.get("format") == "pdf"
    case.problems = compare(case.golden, result, check_pages=is_pdf, row_pages=is_pdf)
    if doc["status"] != "ok":
        case.problems.insert(0, f"documents.status: {doc['status']} ({doc.get('error')})")
    case.problems += compare_checks(case.golden, result["checks"])
    case.status = "FAIL" if case.problems else "ok"
    return case
