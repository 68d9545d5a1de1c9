"""`extractor link OUTDIR`: the department's projects and indicators across years.

Reads documents, indicators and projects from OUTDIR and, per department key:
1. proposes renamed departments (suggest.py) and, with `accept_suggested`, merges them;
2. links the projects (the projects table and the projects that indicators name), on
   their names, their indicators' names and their budgets;
3. links the indicators inside the series of their project (or among the department's
   indicators without a project), so a project's drifting name no longer loses its
   indicators, and 服务对象满意度 of two projects never meet;
and writes series, series_members and panel beside the tables.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain, count
from pathlib import Path

from ..normalize.departments import department_key, load_aliases
from ..normalize import clean_text
from .assign import Event, Series, build_series
from .config import LinkConfig, load_config
from .evidence import Comparison, Evidence, Item
from .similarity import Normaliser, Tfidf, decoy, name_similarity
from .store import read_rows, write_link_tables
from .suggest import Suggestion, suggest_aliases, write_suggestions
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
    suggestions: list[Suggestion] = field(default_factory=list)
    suggestions_file: Path | None = None


def _squeeze(text: str | None) -> str | None:
    text = clean_text(text)
    return re.sub(r"\s+", "", text) if text else None


def _doc_rank(doc: dict) -> tuple:
    """Which of two documents of one department and year is the primary: a PDF (the
    published form) before a text extraction, then by content hash (stable)."""
    return (doc.get("format") != "pdf", doc["doc_id"])


def _float(x) -> float | None:
    return None if x is None else float(x)


class _Builder:
    """Table rows to Items, with the tokeniser and normaliser of one configuration."""

    def __init__(self, config: LinkConfig):
        self.tokeniser = Tokeniser(config.dictionary, config.stop_tokens, config.synonyms)
        self.normaliser = Normaliser(config.synonyms, config.variants, config.drop_words)

    def item(self, kind: str, order: int, row: dict, year: int, name: str, **kw) -> Item:
        norm, canon = self.normaliser.forms(name)
        return Item(kind=kind, order=order, row=row, year=year, name=name, clean=clean_name(name) or name,
                    tokens=self.tokeniser.tokens(name), norm=norm, canon=canon, **kw)


def _rows(kind: str, rows: list[dict], docs: dict[str, dict], result: LinkResult) -> dict[str, list[dict]]:
    """Rows per department key; same-year copies of a row (the same report as PDF and as
    text, or a project both in the narrative and in a table) are kept once."""
    ranked = sorted(
        (r for r in rows if r.get("doc_id") in docs and r.get("name")),
        key=lambda r: (_doc_rank(docs[r["doc_id"]]), r.get("source") != "table", r.get("page") or 0, r["_row"]))
    seen: set[tuple] = set()
    out: dict[str, list[dict]] = defaultdict(list)
    for row in ranked:
        doc = docs[row["doc_id"]]
        project = row.get("project") if kind == "indicator" else None
        copy_key = (doc["_key"], doc["year"], _squeeze(project), row.get("task"), row.get("level1"),
                    row.get("level2"), _squeeze(row["name"]))
        if copy_key in seen:
            result.copies += 1
            continue
        seen.add(copy_key)
        out[doc["_key"]].append({**row, "_year": doc["year"]})
    return out


def _department_items(projects: list[dict], indicators: list[dict], b: _Builder) -> tuple[list[Item], list[Item]]:
    """A department's project and indicator items; a project that only indicators name
    (its table row not read) becomes a synthetic project item, so its indicators still
    follow their project."""
    pitems: list[Item] = []
    by_name: dict[tuple[int, str], Item] = {}
    for row in projects:
        it = b.item("project", len(pitems), {**row, "_table": "projects"}, row["_year"], row["name"],
                    value=_float(row.get("budget")))
        pitems.append(it)
        by_name.setdefault((it.year, it.clean), it)
    iitems: list[Item] = []
    for row in indicators:
        project = row.get("project")
        context = clean_name(project) if project else None
        pitem = None
        if context:
            pitem = by_name.get((row["_year"], context))
            if pitem is None:
                pitem = b.item("project", len(pitems), {}, row["_year"], project, synthetic=True)
                pitems.append(pitem)
                by_name[(pitem.year, context)] = pitem
        value = row.get("target_value")
        unit = row.get("target_unit")
        if value is None:
            value, unit = row.get("actual_value"), row.get("actual_unit") or unit
        it = b.item("indicator", len(iitems), {**row, "_table": "indicators"}, row["_year"], row["name"],
                    context=context, task=row.get("task"), level1=row.get("level1"), level2=row.get("level2"),
                    unit=unit, value=_float(value), project=pitem)
        iitems.append(it)
        if pitem is not None:
            pitem.indicators.append(it)
    return pitems, iitems


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


def _read_documents(outdir: Path, alias_map: dict[str, str], result: LinkResult) -> dict[str, dict]:
    docs: dict[str, dict] = {}
    for doc in read_rows(outdir, "documents"):
        key = department_key(doc.get("department"), alias_map) or doc.get("department_key")
        if doc.get("status") == "failed" or key is None or doc.get("year") is None:
            why = "failed" if doc.get("status") == "failed" else "no department" if key is None else "no year"
            result.skipped_documents.append(f"{doc.get('source_path') or doc['doc_id']} ({why})")
            continue
        docs[doc["doc_id"]] = {**doc, "_key": key}
    return docs


def link_outdir(outdir: str | Path, config: LinkConfig | str | Path | None = None,
                aliases: str | Path | None = None, explain: bool = False,
                accept_suggested: bool = False) -> LinkResult:
    """Link OUTDIR's indicators and projects across years and write series,
    series_members and panel into OUTDIR, and the suggested department aliases to
    OUTDIR/department_aliases.suggested.yaml.  `config`: a LinkConfig or a YAML file
    laid over patterns/link.yaml; `aliases`: a department alias file instead of the one
    the config names; `accept_suggested`: merge the suggested renamed departments too."""
    outdir = Path(outdir)
    if not isinstance(config, LinkConfig):
        config = load_config(config)
    alias_file = aliases or config.department_aliases
    alias_map = load_aliases(alias_file) if alias_file else {}
    result = LinkResult()
    builder = _Builder(config)

    docs = _read_documents(outdir, alias_map, result)
    raw_rows = {kind: [{**r, "_row": i} for i, r in enumerate(read_rows(outdir, table))]
                for kind, table in (("project", "projects"), ("indicator", "indicators"))}
    result.suggestions = _suggest(docs, raw_rows, builder, config)
    result.suggestions_file = write_suggestions(outdir, result.suggestions)
    if accept_suggested:
        _merge(docs, {s.old: s.new for s in result.suggestions})

    projects = _rows("project", raw_rows["project"], docs, result)
    indicators = _rows("indicator", raw_rows["indicator"], docs, result)
    out: dict[str, list[dict]] = {"series": [], "series_members": [], "panel": []}
    used_ids: set[str] = set()
    for dept in sorted(set(projects) | set(indicators)):
        pitems, iitems = _department_items(projects.get(dept, []), indicators.get(dept, []), builder)
        _link_department(dept, pitems, iitems, config, explain, result, used_ids, out)
    for s in out["series"]:
        result.series += 1
        result.members += s["years"]
        result.links += s["years"] - 1
    write_link_tables(outdir, out)
    return result


def _suggest(docs: dict[str, dict], raw_rows: dict[str, list[dict]], builder: _Builder,
             config: LinkConfig) -> list[Suggestion]:
    """Renamed departments, from the names of each department key's rows per year."""
    names: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for rows in raw_rows.values():
        for r in rows:
            doc = docs.get(r.get("doc_id"))
            if doc is not None and r.get("name"):
                names[doc["_key"]][doc["year"]].add(builder.normaliser.forms(r["name"])[0])
    return suggest_aliases(names, config.suggest_min_overlap, config.suggest_max_gap,
                           _drifted(builder, config), config.suggest_min_shared)


def _merge(docs: dict[str, dict], renamed: dict[str, str]) -> None:
    """Give the documents of a renamed department its new key (chains A -> B -> C)."""
    for doc in docs.values():
        seen = {doc["_key"]}
        while renamed.get(doc["_key"]) not in (None, *seen):
            doc["_key"] = renamed[doc["_key"]]
            seen.add(doc["_key"])


def _link_department(dept: str, pitems: list[Item], iitems: list[Item], config: LinkConfig, explain: bool,
                     result: LinkResult, used_ids: set[str], out: dict[str, list[dict]]) -> None:
    """Projects first; then the indicators, each within its project's series."""
    pseries, pevents = build_series(pitems, Evidence(config, "project", pitems), config)
    project_series: dict[int, Series] = {}
    project_member = {}
    for s in pseries:
        for m in s.members:
            project_series[id(m.item)] = s
            project_member[id(m.item)] = m

    def block_of(item: Item):
        return None if item.project is None else project_series[id(item.project)].order

    evidence = Evidence(config, "indicator", iitems)
    outside = _outside(evidence, config, block_of) if explain else None
    iseries, ievents = build_series(iitems, evidence, config, block_of, outside)
    if explain:
        for kind, events in (("project", pevents), ("indicator", ievents)):
            for e in events:
                result.explain.extend(_explain(dept, kind, e))
    _emit(dept, "project", pseries, used_ids, out, {})
    _emit(dept, "indicator", iseries, used_ids, out, project_member)


def _drifted(builder: _Builder, config: LinkConfig):
    """Whether two names of different departments' reports are one name drifted: alike
    by the similarity (IDF over all the names) and no decoy."""
    tfidf = Tfidf(builder.normaliser.canon_of.keys())
    threshold = max(config.indicator.threshold, config.project.threshold) + 0.2

    def match(a: str, b: str) -> bool:
        ca, cb = builder.normaliser.canon_of[a], builder.normaliser.canon_of[b]
        return name_similarity(a, b, tfidf) >= threshold and (not config.decoy_guard or decoy(ca, cb) is None)
    return match


def _outside(evidence: Evidence, config: LinkConfig, block_of):
    """For --explain: the closest indicator of another project that a new series' first
    row could not join because their projects are not linked."""
    def find(row: Item, series: list[Series]) -> Event | None:
        block = block_of(row)
        best = None
        for s in series:
            if s.block == block or s.block is None or block is None:
                continue
            m = s.members[-1].item
            if m.year >= row.year:
                continue
            name, _ = evidence.names(m, row)
            if name >= max(config.near_miss, 0.8) and (best is None or name > best[0]):
                best = (name, m)
        if best is None:
            return None
        name, m = best
        c = Comparison(score=name, name=name, why=[f"name {name:.2f}"],
                       refused=f"projects not linked: {m.context} / {row.context}")
        return Event(False, m, row, c, f"refused: projects not linked ({m.context} / {row.context})")
    return find


def _emit(dept: str, kind: str, series: list[Series], used_ids: set[str], out: dict[str, list[dict]],
          project_member: dict) -> None:
    for s in series:
        members = [m for m in s.members if not m.item.synthetic]
        if not members:
            continue
        first, last = members[0].item, members[-1].item
        sid = _series_id(dept, kind, first, used_ids)
        label = _label(last)
        out["series"].append({
            "series_id": sid, "kind": kind, "department_key": dept, "label": label,
            "project": last.context, "task": last.task if kind == "indicator" else None,
            "first_year": first.year, "last_year": last.year, "years": len(members)})
        for n, m in enumerate(members):
            row = m.item.row
            confidence, evidence = 1.0, None
            if n:
                confidence = m.confidence
                evidence = "; ".join(m.comparison.why) if m.comparison else None
                pm = project_member.get(id(m.item.project)) if m.item.project is not None else None
                if pm is not None and pm.comparison is not None and pm.confidence < confidence:
                    confidence = pm.confidence
                    evidence = (evidence or "") + f"; project link {pm.confidence:.2f}"
            member = {
                "series_id": sid, "doc_id": row["doc_id"], "page": row.get("page"), "table": row["_table"],
                "project": row.get("project") if kind == "indicator" else None,
                "task": row.get("task"), "name": row["name"], "year": m.item.year,
                "similarity": round(m.comparison.name if n and m.comparison else 1.0, 4),
                "confidence": round(confidence, 4), "evidence": evidence}
            out["series_members"].append(member)
            fields = _INDICATOR_PANEL if kind == "indicator" else _PROJECT_PANEL
            out["panel"].append({**member, "kind": kind, "department_key": dept, "label": label,
                                 **{f: row.get(f) for f in fields}})
