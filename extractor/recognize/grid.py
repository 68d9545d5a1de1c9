"""Parsers over table grids.

- `grid`: a header row (optionally with a sub-header row under it), then data rows,
  until the section ends (a row failing `require_any`, a `stop_unless` key, or an
  `end_row`).  Merged cells fill down; a `context` label (项目名称) tags the rows after it.
- `label_row`: a row of labels with a row of amounts under it.
- `form`: key/value forms (项目支出绩效自评表): each field is the cell right of, under
  a header column from, or below a label cell.
"""
from __future__ import annotations

import re


from .. import normalize as nz
from ..packs import vocab
from ..model import Table, TableRow
from ..packs.regex import compile_pattern
from .text import apply_value_rules


def _clean(cell: str | None) -> str:
    return nz.clean_text(cell) or ""


def _is_figure(text: str | None) -> bool:
    return nz.parse_decimal(text) is not None or nz.parse_percent(text) is not None


def _header_labels(row: TableRow, sub: TableRow | None) -> list[str | list[str]]:
    """Column labels; with a sub-header row, the candidates parent + child, child,
    parent, tried in that order (a parent spanning several columns is carried right
    over them: 全年预算数 + 总额; a parent 指标 over 一级指标 / 二级指标 gives way to them)."""
    labels = [_clean(c) for c in row.cells]
    if sub is None:
        return labels
    out: list[str | list[str]] = []
    parent = ""
    for i, cell in enumerate(row.cells):
        if cell is not None:
            parent = _clean(cell)
        child = _clean(sub.cells[i]) if i < len(sub.cells) else ""
        out.append([parent + child, child, parent] if child else labels[i])
    return out


def _is_sub_header(row: TableRow | None) -> bool:
    if row is None:
        return False
    texts = [_clean(c) for c in row.cells if c]
    return len(texts) >= 2 and not any(_is_figure(t) for t in texts)


_UNIT_SUFFIX = re.compile(r"[(（][^()（）]{0,8}[)）]$")


def _map_header(labels: list[str | list[str]], columns: dict[str, str | list[str]]) -> dict[int, list[str]]:
    """Column index -> target fields, by the first pack regex the label (or the first
    of its candidates that any regex takes) matches."""
    mapping: dict[int, list[str]] = {}
    taken: set[str] = set()
    for i, options in enumerate(labels):
        for text in ([options] if isinstance(options, str) else options):
            if not text:
                continue
            text = _UNIT_SUFFIX.sub("", text) or text  # 分值（分）, 全年预算数（万元）: the role is the words
            key, target = next(((k, t) for k, t in columns.items() if compile_pattern(k).search(text)), (None, None))
            if key is None:
                continue
            targets = [t for t in (target if isinstance(target, list) else [target]) if t not in taken]
            if targets:
                mapping[i] = targets
                taken.update(targets)
            break
    return mapping


def _context_updates(spec: dict, texts: list[str]) -> dict[str, str]:
    """A label cell (项目名称) gives its field the next non-empty cell to the right."""
    found = {}
    for field, regex in spec.get("context", {}).items():
        pat = compile_pattern(regex)
        for i, t in enumerate(texts):
            if t and pat.search(t):
                value = next((v for v in texts[i + 1:] if v), None)
                if value:
                    found[field] = value
                break
    return found


def parse_grid(spec: dict, tables: list[Table]) -> list[dict]:
    """Raw records {field: text, 'page': n} of every section of `tables` that
    starts with a header row holding all of spec['header'] (regexes)."""
    header_res = [compile_pattern(k) for k in spec["header"]]
    fill_down = set(spec.get("fill_down", []))
    stop_unless = {k: compile_pattern(v) for k, v in spec.get("stop_unless", {}).items()}
    total = compile_pattern(spec["total_row"]) if "total_row" in spec else None
    end_row = compile_pattern(spec["end_row"]) if "end_row" in spec else None
    required = spec.get("require_any", [])
    label_field = spec.get("row_label")
    # A row naming its item (三级指标) is a row even when its figures cannot be read.
    key_field = spec.get("row_key")
    records: list[dict] = []
    for table in tables:
        mapping, last, context, skip_next, read, unit = None, {}, {}, False, 0, None
        header_words: set[str] = set()
        rows = table.rows
        for r, row in enumerate(rows):
            if skip_next:
                skip_next = False
                continue
            texts = [_clean(c) for c in row.cells]
            context.update(_context_updates(spec, texts))
            nxt = rows[r + 1] if r + 1 < len(rows) else None
            # header cells are matched with a bracketed unit set aside (资金情况（元）)
            bare = [(_UNIT_SUFFIX.sub("", t) or t) if t else t for t in texts]
            alone = all(any(h.search(t) for t in bare if t) for h in header_res)
            # A header over two rows: 指标 | 权重 | 得分 above 一级指标 | 二级指标 | 三级指标
            paired = False
            if not alone and _is_sub_header(nxt) and any(h.search(t) for h in header_res for t in bare if t):
                below = [(_UNIT_SUFFIX.sub("", t) or t) if t else t for t in (_clean(c) for c in nxt.cells)]
                paired = (not all(any(h.search(t) for t in below if t) for h in header_res)
                          and all(any(h.search(t) for t in bare + below if t) for h in header_res))
            if alone or paired:
                sub = nxt if nxt is not None and _is_sub_header(nxt) else None
                if mapping is None:  # a header repeated on a new page keeps the fill-down
                    labels = _header_labels(row, sub)
                    mapping, last, read = _map_header(labels, spec["columns"]), {}, 0
                    unit = _stated_unit(labels, rows[max(0, r - 3):r])
                    header_words = {t for lbl in labels for t in ([lbl] if isinstance(lbl, str) else lbl) if t}
                skip_next = sub is not None
                continue
            if mapping is None:
                continue
            if sum(1 for t in texts if t and t in header_words) >= 2:
                continue  # a header row repeated on a new page (its second row alone: 一级指标 | 二级指标)
            if end_row is not None and any(end_row.search(t) for t in texts if t):
                mapping = None
                continue
            if total is not None and any(total.search(t) for t in texts if t):
                rec = {"page": row.page, "_total": True, **context, **({"_unit": unit} if unit else {})}
                for i, fields in mapping.items():
                    for f in fields:
                        rec[f] = texts[i] if i < len(texts) and texts[i] else None
                records.append(rec)
                mapping = None
                continue
            if row.continued and records and _tail_over_page_break(row, mapping, fill_down, records[-1],
                                                                    key_field or label_field):
                continue
            rec: dict = {"page": row.page, **context}
            if unit:
                rec["_unit"] = unit
            # the row's own cells (not the merged fill-down ones): all empty on the tail of a
            # cell split by the page break (部门绩效（60 / 分）, 100%以上的得满分。 alone)
            own = [i for i, fields in mapping.items() if not all(f in fill_down for f in fields)]
            own_empty = all(not _clean(row.cells[i] if i < len(row.cells) else None) for i in own)
            for i, fields in mapping.items():
                raw = row.cells[i] if i < len(row.cells) else None
                for f in fields:
                    value = apply_value_rules(spec, f, _clean(raw) or None)
                    if f in fill_down:
                        if value is None:
                            value = last.get(f)
                        elif row.continued and raw is not None and (own_empty or _key_empty(row, mapping, stop_unless)):
                            value = (last.get(f) or "") + value  # merged cell split by the page break
                            _amend_previous(records, f, value)
                        last[f] = value
                    rec[f] = value
            if label_field:
                first = min(mapping) if mapping else len(texts)
                label = next((t for t in reversed(texts[:first]) if t), None)
                rec[label_field] = apply_value_rules(spec, label_field, label)
            if any(f in stop_unless and not (rec.get(f) and stop_unless[f].search(rec[f]))
                   for f in stop_unless):
                mapping = None
                continue
            if required and not any(_is_figure(rec.get(f)) for f in required) and not (
                    key_field and rec.get(key_field)):
                if read and not own_empty:
                    mapping = None  # the rows of this section have ended
                continue  # else: a cell's tail, no row
            if own and own_empty and not (label_field and rec.get(label_field)):
                continue  # nothing of its own: the merged cells are no row
            read += 1
            records.append(rec)
    return records


def _tail_over_page_break(row: TableRow, mapping: dict, fill_down: set, previous: dict, key: str | None) -> bool:
    """The first row of a page that only ends the cells of the row above (反映免费开放 /
    率情况, split by the page break): no name of its own, no figure, only text in cells
    the row above has.  Its text is appended there; it is no row."""
    names = {key} if key else {"name", "level3", "task"}
    own = {}
    for i, fields in mapping.items():
        text = _clean(row.cells[i] if i < len(row.cells) else None)
        if text and not all(f in fill_down for f in fields):
            own.update({f: text for f in fields if f not in fill_down})
    if not own or names & set(own) or any(_is_figure(t) for t in own.values()):
        return False
    if not all(previous.get(f) for f in own):
        return False
    for f, text in own.items():
        previous[f] = previous[f] + text
    previous.setdefault("_tail_pages", []).append(row.page)  # the page holds a part of the row
    return True


def _stated_unit(labels: list[str], rows_above: list[TableRow]) -> str | None:
    """The money unit the header states (全年预算数（万元）) or a row above it does
    (a merged 单位：元 row); None leaves the pack's default."""
    flat = [t for label in labels for t in ([label] if isinstance(label, str) else label)]
    return _first_unit(flat + [_clean(c) for row in rows_above for c in row.cells if c])


def _first_unit(texts) -> str | None:
    """The first money unit any of the texts states (单位：元, （万元）)."""
    return next((u for u in (vocab.stated_unit(t) for t in texts if t) if u), None)


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

    A value under an empty label is the total.
    """
    labels_needed = spec["labels"]
    for table in tables:
        rows = table.rows
        for r, row in enumerate(rows[:-1]):
            texts = [_clean(c) for c in row.cells]
            if not all(lbl in texts for lbl in labels_needed):
                continue
            values = rows[r + 1]
            records = []
            for i, raw in enumerate(values.cells):
                if nz.parse_decimal(raw) is None:
                    continue
                label = texts[i] if i < len(texts) else ""
                records.append({"page": values.page, "label": label or spec.get("total_label", "合计"),
                                "value": _clean(raw)})
            return records
    return []


def parse_form(spec: dict, tables: list[Table]) -> list[dict]:
    """One record per `anchor` label (e.g. 项目名称): each field from the cell the
    pack points at, relative to its label cell."""
    anchor = compile_pattern(spec["anchor"])
    fields = spec["fields"]
    records: list[dict] = []
    must = compile_pattern(spec["table_must_contain"]) if "table_must_contain" in spec else None
    for table in tables:
        rows = table.rows
        cleaned = [[_clean(c) for c in row.cells] for row in rows]
        if must is not None and not any(must.search(t) for texts in cleaned for t in texts if t):
            continue
        current, start = None, 0
        for r, texts in enumerate(cleaned):
            if any(t and anchor.search(t) for t in texts):
                current, start = {"page": rows[r].page}, r
                records.append(current)
                unit = _form_unit(cleaned[r:])
                if unit:  # 项目资金（千元）, 单位：元 inside the form
                    current["_unit"] = unit
            if current is None:
                continue
            for field, how in fields.items():
                if field in current:
                    continue
                value = _form_value(how, cleaned, r, start)
                if value is not None and not vocab.is_role_term(value):  # 自评得分 is a header, not a value
                    current[field] = value
    # an anchor label that opened no form (项目名称 heading a list of projects) is no record
    return [rec for rec in records if any(k != "page" and not k.startswith("_") for k in rec)]


def _form_unit(rows: list[list[str]]) -> str | None:
    """The money unit a form states in its cells, before the next form begins."""
    return _first_unit(t for texts in rows[:12] for t in texts)


def _form_value(how: dict, cleaned: list[list[str]], r: int, start: int) -> str | None:
    label = compile_pattern(how["label"])
    texts = cleaned[r]
    i = next((k for k, t in enumerate(texts) if t and label.search(t)), None)
    if i is None:
        return None
    if "column" in how:
        col = _find_column(how["column"], cleaned, start, r)
        return texts[col] or None if col is not None and col < len(texts) else None
    if how.get("below"):
        nxt = cleaned[r + 1] if r + 1 < len(cleaned) else []
        return nxt[i] or None if i < len(nxt) else None
    right = [t for t in texts[i + 1:] if t]
    nth = how.get("nth", 1)
    return right[nth - 1] if len(right) >= nth else None


def _find_column(path: str | list[str], cleaned: list[list[str]], start: int, stop: int) -> int | None:
    """Index of the column under a header cell matching path[0] (then path[1] in a
    row below it, at or right of the first, for two-row headers)."""
    path = [path] if isinstance(path, str) else path
    col, row = None, start
    for step in path:
        pat = compile_pattern(step)
        hit = None
        for rr in range(row, stop):
            for k, t in enumerate(cleaned[rr]):
                if t and (pat.search(t) or pat.search(_UNIT_SUFFIX.sub("", t))) and (col is None or k >= col):
                    hit = (rr, k)
                    break
            if hit:
                break
        if hit is None:
            return None
        row, col = hit[0] + 1, hit[1]
    return col
