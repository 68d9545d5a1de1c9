"""`extractor link OUTDIR`: the department's indicators and projects across years.

Reads documents, indicators and projects from OUTDIR, groups the rows by department key
and year, links them into series (assign.py, scored by similarity.py) and writes the
series, series_members and panel tables beside them.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain, count
from pathlib import Path

from ..departments import department_key, load_aliases
from ..normalize import clean_text
from .assign import Event, Series, build_series
from .config import LinkConfig, load_config
from .similarity import Item, Scorer
from .store import read_rows, write_link_tables
from .tokens import Tokeniser, clean_name

_INDICATOR_PANEL = ("level1", "level2", "target_text", "actual_text", "target_value", "target_unit",
                    "actual_value", "actual_unit", "achieved", "weight", "score")
_PROJECT_PANEL = ("budget", "actual", "exec_rate", "score", "max_score", "grade")


@dataclass
class LinkResult:
    series: int = 0
    members: int = 0
    links: int = 0                   # members that joined an existing series
    copies: int = 0                  # same-year duplicates left out (a PDF and its text)
    skipped_documents: list[str] = field(default_factory=list)
    explain: list[str] = field(default_factory=list)


def _squeeze(text: str | None) -> str | None:
    text = clean_text(text)
    return re.sub(r"\s+", "", text) if text else None


def _doc_rank(doc: dict) -> tuple:
    """Which of two documents of one department and year is the primary: a PDF (the
    published form) before a text extraction, then by content hash (stable)."""
    return (doc.get("format") != "pdf", doc["doc_id"])


def _items(kind: str, rows: list[dict], docs: dict[str, dict], tokeniser: Tokeniser,
           result: LinkResult) -> dict[str, list[Item]]:
    """Items per department key; same-year copies of a row (the same report as PDF and
    as text, or a project both in the narrative and in a table) are kept once."""
    table = "indicators" if kind == "indicator" else "projects"
    ranked = sorted(
        (r for r in rows if r.get("doc_id") in docs and r.get("name")),
        key=lambda r: (_doc_rank(docs[r["doc_id"]]), r.get("source") != "table", r.get("page") or 0, r["_row"]))
    seen: set[tuple] = set()
    out: dict[str, list[Item]] = defaultdict(list)
    for row in ranked:
        doc = docs[row["doc_id"]]
        project = row.get("project") if kind == "indicator" else None
        copy_key = (doc["_key"], doc["year"], _squeeze(project), row.get("task"), row.get("level1"),
                    row.get("level2"), _squeeze(row["name"]))
        if copy_key in seen:
            result.copies += 1
            continue
        seen.add(copy_key)
        context = clean_name(project) if project else None
        out[doc["_key"]].append(Item(
            kind=kind, order=len(out[doc["_key"]]), row={**row, "_table": table}, year=doc["year"],
            name=row["name"], clean=clean_name(row["name"]) or row["name"], tokens=tokeniser.tokens(row["name"]),
            context=context, context_tokens=tokeniser.tokens(project) if project else (),
            task=row.get("task"), level1=row.get("level1"), level2=row.get("level2"),
            unit=row.get("target_unit") or row.get("actual_unit")))
    return out


def _series_id(dept: str, kind: str, first: Item, used: set[str]) -> str:
    """A hash of department key, kind and the first member's normalised label (with its
    project or task: 企业满意度 of 任务1 and of 任务3 are two series)."""
    base = "\x1f".join([dept, kind, first.context or "", first.task or "", first.clean])
    extras = chain(("", f"\x1f{first.year}"), (f"\x1f{first.year}\x1f{n}" for n in count(2)))
    for extra in extras:
        sid = hashlib.sha1((base + extra).encode("utf-8")).hexdigest()[:16]
        if sid not in used:
            used.add(sid)
            return sid
    raise AssertionError("unreachable")


def _label(item: Item) -> str:
    prefix = item.context or (item.task if item.kind == "indicator" else None)
    return f"{prefix}/{item.clean}" if prefix else item.clean


def _explain(dept: str, kind: str, e: Event) -> list[str]:
    c = e.comparison
    head = (f"[{dept}] {kind} {e.a.year}→{e.b.year}  "
            + (f"LINK {c.similarity:.2f}" if e.linked else f"no link (name {c.name:.2f})"))
    width = max(len(e.a.name), len(e.b.name))
    lines = [head,
             f"    {e.a.name:{chr(12288)}<{width}}  [{' '.join(e.a.tokens)}]" + (f"  ({e.a.context})" if e.a.context else ""),
             f"    {e.b.name:{chr(12288)}<{width}}  [{' '.join(e.b.tokens)}]" + (f"  ({e.b.context})" if e.b.context else ""),
             "    why: " + "; ".join(c.why) + (f"; {e.note}" if e.note else "")]
    return lines


def link_outdir(outdir: str | Path, config: LinkConfig | str | Path | None = None,
                aliases: str | Path | None = None, explain: bool = False) -> LinkResult:
    """Link OUTDIR's indicators and projects across years and write series,
    series_members and panel into OUTDIR.  `config`: a LinkConfig or a YAML file laid
    over patterns/link.yaml; `aliases`: a department alias file instead of the one the
    config names."""
    outdir = Path(outdir)
    if not isinstance(config, LinkConfig):
        config = load_config(config)
    alias_file = aliases or config.department_aliases
    alias_map = load_aliases(alias_file) if alias_file else {}
    tokeniser = Tokeniser(config.dictionary, config.stop_tokens, config.synonyms)
    result = LinkResult()

    docs: dict[str, dict] = {}
    for doc in read_rows(outdir, "documents"):
        key = department_key(doc.get("department"), alias_map) or doc.get("department_key")
        if doc.get("status") == "failed" or key is None or doc.get("year") is None:
            why = "failed" if doc.get("status") == "failed" else "no department" if key is None else "no year"
            result.skipped_documents.append(f"{doc.get('source_path') or doc['doc_id']} ({why})")
            continue
        docs[doc["doc_id"]] = {**doc, "_key": key}

    out: dict[str, list[dict]] = {"series": [], "series_members": [], "panel": []}
    used_ids: set[str] = set()
    for kind, table in (("indicator", "indicators"), ("project", "projects")):
        rows = [{**r, "_row": i} for i, r in enumerate(read_rows(outdir, table))]
        for dept, items in sorted(_items(kind, rows, docs, tokeniser, result).items()):
            contexts = {i.context: i.context_tokens for i in items if i.context}
            scorer = Scorer(config, kind, items, list(contexts.values()))
            series, events = build_series(items, scorer, config)
            if explain:
                for e in events:
                    result.explain.extend(_explain(dept, kind, e))
            _emit(dept, kind, series, used_ids, out)
            result.series += len(series)
            result.members += sum(len(s.members) for s in series)
            result.links += sum(len(s.members) - 1 for s in series)
    write_link_tables(outdir, out)
    return result


def _emit(dept: str, kind: str, series: list[Series], used_ids: set[str], out: dict[str, list[dict]]) -> None:
    for s in series:
        first, last = s.members[0].item, s.members[-1].item
        sid = _series_id(dept, kind, first, used_ids)
        label = _label(last)
        out["series"].append({
            "series_id": sid, "kind": kind, "department_key": dept, "label": label,
            "project": last.context, "task": last.task if kind == "indicator" else None,
            "first_year": first.year, "last_year": last.year, "years": len(s.members)})
        for m in s.members:
            row = m.item.row
            member = {
                "series_id": sid, "doc_id": row["doc_id"], "page": row.get("page"), "table": row["_table"],
                "project": row.get("project") if kind == "indicator" else None,
                "task": row.get("task"), "name": row["name"], "year": m.item.year,
                "similarity": round(m.similarity, 4)}
            out["series_members"].append(member)
            fields = _INDICATOR_PANEL if kind == "indicator" else _PROJECT_PANEL
            out["panel"].append({**member, "kind": kind, "department_key": dept, "label": label,
                                 **{f: row.get(f) for f in fields}})
