"""`extractor inspect`: what the tool saw in one document and what it made of it.

The view for writing or debugging a pattern pack: which pack was chosen and why
(the keywords each pack found or missed), the fields read, every section with its
rows and pages, and, page by page, the lines that look like figures (numbers with
万元 / 元 / % / 分 …) whose numbers ended in no row.  Built on the pipeline's own
pieces (read_document, recognise, assemble), so it shows exactly what `extract` does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..textable import cut, short_path
from .. import normalize as nz
from ..model import Document
from ..packs import Pack
from ..batch.pipeline import assemble, doc_id_of
from ..readers import ReadError, read_document
from ..recognize import Recognition, recognise
from ..recognize.engine import full_text
from ..tables import ROW_TABLES, column_kind

# A figure: a number with a unit, or a number with decimals (table cells print bare
# 7583.66).  Years, dates and list numbering have no such unit and are not figures.
_UNITS = ("亿美元|万美元|亿元|万元|元|%|分|个|家|项|人次|万人|人|次|台|名|册|件|户|场|篇|所|条|套|辆|"
          "平方米|公里|km|吨|小时")
FIGURE = re.compile(rf"(?<![\d.])(?P<num>[+-]?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>{_UNITS})|"
                    r"(?<![\d.,])(?P<dec>[+-]?\d[\d,]*\.\d+)(?![\d.])")
_ANY_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")


@dataclass
class PackMatch:
    """Why a pack did or did not match: the keywords found and missed."""

    pack: Pack
    found: list[str]
    missing: list[str]
    any_found: list[str]
    excluded_by: list[str]
    evidence: float = 0.0
    cues: list = field(default_factory=list)  # (regex, weight, found)

    @property
    def matches(self) -> bool:
        """Whether the pack may read the document (packs.pack_scores' rule)."""
        if self.excluded_by:
            return False
        by_keywords = bool(self.pack.keywords or self.pack.any_keywords) and not self.missing and (
            not self.pack.any_keywords or bool(self.any_found))
        return by_keywords or (bool(self.pack.cues) and self.evidence >= self.pack.min_evidence)


@dataclass
class FigureLine:
    text: str
    figures: list[str]
    placed: bool  # some number of the line is in a row of its page (or the page before)


@dataclass
class PageView:
    number: int
    lines: list[str] = field(default_factory=list)
    table_rows: list[list[str | None]] = field(default_factory=list)
    rows: dict[str, list[dict]] = field(default_factory=dict)
    figure_lines: list[FigureLine] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)

    @property
    def unplaced(self) -> list[FigureLine]:
        return [f for f in self.figure_lines if not f.placed]


@dataclass
class Inspection:
    path: str
    error: str | None = None
    document: Document | None = None
    doc_id: str | None = None
    pack_matches: list[PackMatch] = field(default_factory=list)
    recognition: Recognition | None = None
    rows: dict[str, list[dict]] = field(default_factory=dict)  # as `extract` writes them
    pages: list[PageView] = field(default_factory=list)


def match_pack(pack: Pack, squeezed: str) -> PackMatch:
    return PackMatch(pack=pack,
                     found=[k for k in pack.keywords if k in squeezed],
                     missing=[k for k in pack.keywords if k not in squeezed],
                     any_found=[k for k in pack.any_keywords if k in squeezed],
                     excluded_by=[k for k in pack.exclude_keywords if k in squeezed],
                     evidence=pack.evidence(squeezed)[0], cues=pack.evidence(squeezed)[1])


def inspect_file(path: str | Path, packs: list[Pack], *, password: str | None = None) -> Inspection:
    path = Path(path)
    result = Inspection(path=str(path))
    try:
        doc = read_document(path, password=password)
        if doc.pages and not any(p.has_text for p in doc.pages):
            raise ReadError("no text layer (scanned?): no page has extractable text")
        result.document = doc
        result.doc_id = doc_id_of(path)
        squeezed = "".join(full_text(doc).split())
        result.pack_matches = [match_pack(p, squeezed) for p in packs]
        rec = recognise(doc, packs)
    except (ReadError, OSError) as exc:
        result.error = str(exc)
        return result
    except Exception as exc:  # as in the pipeline: a reader or parser bug is reported, not raised
        result.error = f"internal error: {type(exc).__name__}: {exc}"
        return result
    result.recognition = rec
    document = {"doc_id": result.doc_id, "source_path": str(path), "format": doc.format, "pages": doc.page_count}
    result.rows = assemble(document, doc, rec)
    result.pages = _pages(doc, result.rows, rec)
    return result


def _pages(doc: Document, rows: dict[str, list[dict]], rec: Recognition) -> list[PageView]:
    views = {p.number: PageView(number=p.number) for p in doc.pages}
    for p in doc.pages:
        views[p.number].lines = [t for t in (nz.clean_text(ln.text) for ln in p.lines) if t]
    for table in doc.tables:
        for row in table.rows:
            if row.page in views:
                views[row.page].table_rows.append(row.cells)
    covered: dict[int, set[str]] = {}
    for table in ROW_TABLES:
        for row in rows[table]:
            views.setdefault(row["page"], PageView(number=row["page"])).rows.setdefault(table, []).append(row)
            covered.setdefault(row["page"], set()).update(_values(table, row))
    for table, total in rec.totals.items():
        covered.setdefault(total.get("page", 0), set()).update(_values(table, total))
    everywhere = {_norm(v) for v in (rec.total_score, rec.max_score) if v is not None}
    for check in rows["checks"]:
        if check["page"] in views and check["status"] == "fail":
            views[check["page"]].checks.append(check)
    for view in views.values():
        known = covered.get(view.number, set()) | covered.get(view.number - 1, set()) | everywhere
        for text in view.lines:
            figures = [m.group(0) for m in FIGURE.finditer(text)]
            if figures:
                numbers = {_norm(m.group("num") or m.group("dec")) for m in FIGURE.finditer(text)}
                view.figure_lines.append(FigureLine(text, figures, bool(numbers & known)))
    return [views[n] for n in sorted(views)]


def _norm(value) -> str:
    """A number as a canonical string: '7,735.39' 7735.39 Decimal('7735.390') all alike."""
    try:
        if isinstance(value, float):
            value = repr(round(value, 6))
        d = Decimal(str(value).replace(",", "")).normalize()
        return "0" if d.is_zero() else format(d, "f")
    except (InvalidOperation, ValueError):
        return str(value)


def _values(table: str, row: dict) -> set[str]:
    """Every way a row's numbers may have been printed: money in 元, 万元 and 亿元,
    rates as percentages, and the numbers inside its text cells."""
    out: set[str] = set()
    for col, value in row.items():
        if value is None or col.startswith("_") or col in ("doc_id", "page"):
            continue
        if isinstance(value, bool):
            continue
        if isinstance(value, Decimal):
            out |= {_norm(value), _norm(value / 10_000), _norm(value / 100_000_000)}
        elif isinstance(value, float):
            out.add(_norm(value))
            try:
                if column_kind(table, col) == "rate":
                    out.add(_norm(value * 100))
            except KeyError:
                pass
        elif isinstance(value, int):
            out.add(_norm(value))
        elif isinstance(value, str):
            out |= {_norm(m.group(0)) for m in _ANY_NUMBER.finditer(value)}
    return out


# ----------------------------------------------------------------------------- text

def render(ins: Inspection, page: int | None = None, max_lines: int = 12) -> str:
    out: list[str] = [ins.path]
    if ins.error:
        out.append(f"  cannot read: {ins.error}")
        return "\n".join(out)
    doc, rec = ins.document, ins.recognition
    n_lines = sum(len(p.lines) for p in doc.pages)
    out.append(f"  format {doc.format}, {doc.page_count} page(s), {n_lines} line(s), "
               f"{len(doc.tables)} table grid(s); doc_id {ins.doc_id[:16]}…")
    out += ["", "Pack selection (the most evidence wins; priority breaks ties)"]
    chosen = rec.pack.name if rec.pack else None
    for m in sorted(ins.pack_matches, key=lambda m: (-m.evidence, -m.pack.priority)):
        verdict = "CHOSEN" if m.pack.name == chosen else ("matches" if m.matches else "no")
        cues = " ".join(f"{regex.removeprefix('title:')}{'✓' if hit else '✗'}{weight:+g}"
                        for regex, weight, hit in m.cues if regex in m.pack.cues)
        why = [f"evidence {m.evidence:g}" + (f" (min {m.pack.min_evidence:g}: {cues})" if cues else "")]
        if m.pack.keywords:
            why.append(f"keywords {_marks(m.pack.keywords, m.found)}")
        if m.pack.any_keywords:
            why.append(f"any of {_marks(m.pack.any_keywords, m.any_found)}")
        if m.pack.exclude_keywords:
            why.append("excluded by " + ("、".join(m.excluded_by) if m.excluded_by else "nothing"))
        out.append(f"  {m.pack.name:18} v{m.pack.version} prio {m.pack.priority:<3} {verdict:8} " + "; ".join(why))
    if rec.pack:
        out.append(f"  -> kind {rec.kind}, pack {rec.pack.name} v{rec.pack.version} ({short_path(rec.pack.path)})")
    else:
        out.append("  -> kind unknown: no pack matched")
    document = ins.rows["documents"][0]
    out += ["", "Fields: " + ", ".join(f"{k} {_show(document.get(k))}" for k in
                                      ("department", "year", "total_score", "max_score", "grade")),
            f"Status: {document['status']}" + (f" ({document['error']})" if document.get("error") else "")]
    if rec.sections:
        out += ["", "Sections (rows before merging duplicates; pages)"]
        for sec in rec.sections:
            pages = _pages_text(sec["pages"])
            flag = "" if sec["rows"] else ("  (optional)" if sec["optional"] else "  NOT FOUND")
            out.append(f"  {sec['table']:10} {sec['rows']:4} row(s)  {pages:12} {sec['name']}{flag}")
        for table, total in rec.totals.items():
            out.append(f"  {table:10} total line read on p.{total.get('page')}")
    counts = ", ".join(f"{t} {len(ins.rows[t])}" for t in ROW_TABLES)
    checks = ins.rows["checks"]
    out += ["", f"Rows: {counts}",
            f"Checks: {sum(c['status'] == 'pass' for c in checks)} pass, "
            f"{sum(c['status'] == 'fail' for c in checks)} fail, "
            f"{sum(c['status'] == 'skipped' for c in checks)} skipped"]
    views = [v for v in ins.pages if page is None or v.number == page]
    for view in views:
        out += ["", _page_head(view)]
        for c in view.checks:
            out.append(f"  FAIL {c['check']} {c['subject']}: expected {c['expected']}, printed {c['reported']}")
        if page is None:
            shown = view.unplaced[:max_lines]
            out += [f"  ? {cut(f.text, 110)}" for f in shown]
            if len(view.unplaced) > len(shown):
                out.append(f"  … and {len(view.unplaced) - len(shown)} more (inspect --page {view.number})")
        else:
            out += _page_detail(view)
    return "\n".join(out)


def _page_head(view: PageView) -> str:
    rows = ", ".join(f"{t} {len(r)}" for t, r in view.rows.items()) or "none"
    return (f"Page {view.number}: {len(view.lines)} line(s), {len(view.table_rows)} table row(s); "
            f"rows: {rows}; figure lines {len(view.figure_lines)}, in no row {len(view.unplaced)}")


def _page_detail(view: PageView) -> list[str]:
    by_text = {f.text: f for f in view.figure_lines}
    out = ["  Lines (as the pack regexes see them; '?' figures in no row, '+' figures in a row):"]
    for text in view.lines:
        f = by_text.get(text)
        out.append(f"  {'?' if f and not f.placed else '+' if f else ' '} {text}")
    if view.table_rows:
        out.append("  Table grid rows (cells split by |, ^ = merged from above):")
        for cells in view.table_rows:
            out.append("    " + " | ".join("^" if c is None else " ".join(c.split()) for c in cells))
    for table, rows in view.rows.items():
        out.append(f"  {table} rows:")
        for row in rows:
            shown = {k: v for k, v in row.items() if v is not None and not k.startswith("_")
                     and k not in ("doc_id", "page")}
            out.append("    " + ", ".join(f"{k}={_show(v)}" for k, v in shown.items()))
    return out


def _marks(words: list[str], found: list[str]) -> str:
    return " ".join(f"{w}{'✓' if w in found else '✗'}" for w in words)


def _pages_text(pages: list[int]) -> str:
    if not pages:
        return "-"
    return "p." + ",".join(str(p) for p in pages[:6]) + ("…" if len(pages) > 6 else "")


def _show(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)
