"""Parsers over table grids: `grid` (a header row, then rows) and `label_row`."""
from __future__ import annotations

import re

from .. import normalize as nz
from ..model import Table


def _clean(cell: str | None) -> str:
    return nz.clean_text(cell) or ""


def _map_header(header: list[str | None], columns: dict[str, str | list[str]]) -> dict[int, list[str]]:
    """Header cell index -> target fields, by the first pack key the cell contains."""
    mapping: dict[int, list[str]] = {}
    for i, cell in enumerate(header):
        text = _clean(cell)
        if not text:
            continue
        for key, target in columns.items():
            if key in text:
                targets = target if isinstance(target, list) else [target]
                if not any(t in sum(mapping.values(), []) for t in targets):
                    mapping[i] = targets
                break
    return mapping


def parse_grid(spec: dict, tables: list[Table]) -> list[dict]:
    """Rows of every table section that starts with a header row holding spec['header'].

    Returns raw records {field: text, 'page': n, '_total': bool}: typing happens in
    the engine.  Merged cells (None) and empty cells of `fill_down` fields take the
    value above; at a page break, a continued merged cell's text is appended.
    """
    header_keys = spec["header"]
    fill_down = set(spec.get("fill_down", []))
    stop_unless = {k: re.compile(v) for k, v in spec.get("stop_unless", {}).items()}
    total = re.compile(spec["total_row"]) if "total_row" in spec else None
    required = spec.get("require_any", [])
    records: list[dict] = []
    for table in tables:
        mapping = None
        last: dict[str, str] = {}
        for row in table.rows:
            texts = [_clean(c) for c in row.cells]
            if all(k in "".join(texts) for k in header_keys) and any(
                    any(k in t for t in texts) for k in header_keys):
                if mapping is None:  # a header repeated on a new page keeps the fill-down
                    mapping, last = _map_header(row.cells, spec["columns"]), {}
                continue  # a header (also one repeated on a new page)
            if mapping is None:
                continue
            if total is not None and any(total.match(t) for t in texts if t):
                rec = {"page": row.page, "_total": True}
                for i, fields in mapping.items():
                    if i < len(row.cells):
                        for f in fields:
                            rec[f] = _clean(row.cells[i]) or None
                records.append(rec)
                mapping = None
                continue
            rec: dict = {"page": row.page}
            for i, fields in mapping.items():
                raw = row.cells[i] if i < len(row.cells) else None
                for f in fields:
                    value = _clean(raw) or None
                    if f in fill_down:
                        if value is None:
                            value = last.get(f)
                        elif row.continued and raw is not None and _key_empty(row, mapping, stop_unless):
                            value = (last.get(f) or "") + value  # merged cell split by the page break
                            _amend_previous(records, f, value)
                        last[f] = value
                    rec[f] = value
            if any(f in stop_unless and not (rec.get(f) and stop_unless[f].match(rec[f]))
                   for f in stop_unless):
                mapping = None
                continue
            if required and not any(_is_figure(rec.get(f)) for f in required):
                if any(r.get("_section") == id(mapping) for r in records[-1:]):
                    mapping = None  # the rows of this section have ended
                continue
            rec["_section"] = id(mapping)
            records.append(rec)
    return records


def _key_empty(row, mapping, stop_unless) -> bool:
    for i, fields in mapping.items():
        if any(f in stop_unless for f in fields):
            return not _clean(row.cells[i] if i < len(row.cells) else None)
    return False


def _amend_previous(records: list[dict], field: str, value: str) -> None:
    """Give the rows already read for this merged cell its full text."""
    if not records:
        return
    old = records[-1].get(field)
    for rec in reversed(records):
        if rec.get(field) != old:
            break
        rec[field] = value


def parse_label_row(spec: dict, tables: list[Table]) -> list[dict]:
    """A row of labels with a row of amounts under it (e.g. 基本支出 | 项目支出 | …).

    A value under an empty label is the total.  Group names come from the pack.
    """
    labels_needed = spec["labels"]
    records = []
    for table in tables:
        rows = table.rows
        for r, row in enumerate(rows[:-1]):
            texts = [_clean(c) for c in row.cells]
            if not all(lbl in texts for lbl in labels_needed):
                continue
            values = rows[r + 1]
            for i, raw in enumerate(values.cells):
                if nz.parse_decimal(raw) is None:
                    continue
                label = texts[i] if i < len(texts) else ""
                records.append({"page": values.page, "label": label or spec.get("total_label", "合计")})
                records[-1]["value"] = _clean(raw)
            return records
    return records


def _is_figure(text: str | None) -> bool:
    return nz.parse_decimal(text) is not None or nz.parse_percent(text) is not None
