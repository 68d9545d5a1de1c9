"""`extractor diff OLD NEW`: what changed between two versions of a dataset.

Documents are matched by doc_id; rows by their table's key (the document and the
columns that name the row: a fund line's project, fund_source and source; an
indicator's project, task, levels and name …), numbered in page order when a key
repeats.  A row whose key is in both versions but whose other values differ is
`changed` (with the columns that differ); the others are `added` or `removed`.
A document whose rows all left with it is listed once, under documents.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .dataset import read_dataset, read_manifest

ROW_KEYS = {
    "documents": ("doc_id",),
    "budget": ("doc_id", "project", "fund_source", "fund_group", "source"),
    "tasks": ("doc_id", "task"),
    "projects": ("doc_id", "name", "source"),
    "indicators": ("doc_id", "project", "task", "level1", "level2", "name"),
    "scores": ("doc_id", "level1", "level2", "level3"),
    "counts": ("doc_id", "what", "grade"),
    "checks": ("doc_id", "check", "subject", "page"),
}


@dataclass
class TableDiff:
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)  # {"key", "columns": {col: [old, new]}}

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class DatasetDiff:
    old_version: str
    new_version: str
    tables: dict[str, TableDiff]

    @property
    def empty(self) -> bool:
        return not any(self.tables.values())

    def to_json(self) -> dict:
        return {"old_version": self.old_version, "new_version": self.new_version,
                "tables": {n: {"added": [_keyed(r) for r in d.added], "removed": [_keyed(r) for r in d.removed],
                               "changed": d.changed} for n, d in self.tables.items() if d}}

    def lines(self) -> list[str]:
        out = [f"dataset {self.old_version} -> {self.new_version}"]
        for name, d in self.tables.items():
            out.append(f"{name}: {len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed")
            for r in d.added:
                out.append(f"  + {_show(r['_key'])}")
            for r in d.removed:
                out.append(f"  - {_show(r['_key'])}")
            for c in d.changed:
                cols = ", ".join(f"{k}: {_v(a)} -> {_v(b)}" for k, (a, b) in c["columns"].items())
                out.append(f"  ~ {_show(c['key'])}  {cols}")
        return out


def diff_datasets(old: str | Path, new: str | Path) -> DatasetDiff:
    old_m, new_m = read_manifest(old), read_manifest(new)
    old_t, new_t = read_dataset(old), read_dataset(new)
    out: dict[str, TableDiff] = {}
    old_docs = {r["doc_id"] for r in old_t["documents"].to_pylist()}
    new_docs = {r["doc_id"] for r in new_t["documents"].to_pylist()}
    gone_or_new = old_docs ^ new_docs
    for name in ROW_KEYS:
        if name not in old_t and name not in new_t:
            continue
        a = _keyed_rows(name, old_t[name].to_pylist() if name in old_t else [])
        b = _keyed_rows(name, new_t[name].to_pylist() if name in new_t else [])
        d = TableDiff()
        for key in b.keys() - a.keys():
            if name == "documents" or key[0] not in gone_or_new:
                d.added.append(b[key])
        for key in a.keys() - b.keys():
            if name == "documents" or key[0] not in gone_or_new:
                d.removed.append(a[key])
        for key in a.keys() & b.keys():
            cols = {c: [a[key].get(c), b[key].get(c)] for c in sorted(set(a[key]) | set(b[key]))
                    if not c.startswith("_") and a[key].get(c) != b[key].get(c)}
            if cols:
                d.changed.append({"key": list(key), "columns": cols})
        for lst in (d.added, d.removed):
            lst.sort(key=lambda r: _sortable(r["_key"]))
        d.changed.sort(key=lambda c: _sortable(c["key"]))
        out[name] = d
    return DatasetDiff(old_m["dataset_version"], new_m["dataset_version"], out)


def _keyed_rows(name: str, rows: list[dict]) -> dict[tuple, dict]:
    """Rows by key; a repeated key is numbered in (page, row) order."""
    cols = ROW_KEYS[name]
    out: dict[tuple, dict] = {}
    seen: dict[tuple, int] = {}
    for r in sorted(rows, key=lambda r: (_sortable([r.get(c) for c in cols]), r.get("page") or 0)):
        base = tuple(r.get(c) for c in cols)
        n = seen.get(base, 0)
        seen[base] = n + 1
        key = base + (n,) if name != "documents" else base
        out[key] = {**r, "_key": list(key)}
    return out


def _sortable(values) -> list:
    return [(v is None, str(v)) for v in values]


def _keyed(r: dict) -> dict:
    return {k: _json(v) for k, v in r.items() if k != "_key"} | {"key": r["_key"]}


def _json(v):
    return f"{v:f}" if isinstance(v, Decimal) else v


def _v(v) -> str:
    return "null" if v is None else (f"{v:f}" if isinstance(v, Decimal) else str(v))


def _show(key) -> str:
    parts = [str(k) for k in key if k is not None]
    if parts and len(parts[0]) == 64:
        parts[0] = parts[0][:12]
    return " | ".join(parts)


def dumps(d: DatasetDiff) -> str:
    return json.dumps(d.to_json(), ensure_ascii=False, indent=2, default=str)
