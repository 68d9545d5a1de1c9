"""`sentences`: regexes over the narrative text (lines joined, cleaned)."""
from __future__ import annotations

import re

from .. import normalize as nz
from .text import Flow, apply_value_rules, compile_pattern, typed


def parse_sentences(spec: dict, flow: Flow, table: str, money_unit: str) -> list[dict]:
    """One row per match of any of the section's patterns (or, with `labels`, per
    sentence holding enough labelled figures: see parse_labelled).

    Named groups are contract columns; `set` adds constants; `what` is a template
    filled from the groups (for counts: '任务{n}的绩效目标'); a group named `listed`
    is an enumeration whose items are counted.
    """
    if "items" in spec:
        return parse_items(spec, flow, table, money_unit)
    if "labels" in spec:
        return parse_labelled(spec, flow, table, money_unit)
    rows = []
    patterns = spec["patterns"] if "patterns" in spec else [spec["pattern"]]
    seen: set[tuple[int, int]] = set()
    stated: list[dict] = []
    for pattern in patterns:
        for m in compile_pattern(pattern).finditer(flow.text):
            if m.span() in seen:
                continue
            seen.add(m.span())
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            if flow.columns_from is not None and m.start() >= flow.columns_from:
                if groups in stated:
                    continue  # a cell's sentence read down its column, already read across
            else:
                stated.append(groups)
            # The page of the row is where its figures are, not where its name starts.
            figures = [m.start(k) for k, v in groups.items() if v and re.match(r"-?\d", v)]
            row: dict = {"page": flow.page_at(min(figures) if figures else m.start())}
            for key, raw in groups.items():
                if key == "listed":
                    row["listed"] = _listed(raw, m.start(key), flow, groups.get("count"))
                elif key not in spec.get("template_only", []):
                    row[key] = typed(table, key, raw, money_unit)
                    if key.endswith("rate"):
                        row[f"_printed_{key}"] = raw
            if "what" in spec:
                row["what"] = spec["what"].format(**groups)
            row.update(spec.get("set", {}))
            rows.append(row)
    rows.sort(key=lambda r: r["page"])
    return rows


_ITEM_MARK = r"[、,;]"  # what parts two items of an enumeration, beside 以及 / 和


def _split_list(text: str) -> list[str]:
    return [x.strip() for x in re.split(_ITEM_MARK + r"|以及|和", text)]


def _listed(raw: str, start: int, flow: Flow, stated: str | None) -> int:
    """How many items an enumeration names.  A line break between two items with no 、
    on either side (a separator a PDF hung past the margin, or a tool dropped) may part
    them or not: where the stated count is what parting them gives, they are parted."""
    items = len([x for x in _split_list(raw) if x])
    breaks = [b - start for b in flow.line_starts() if start < b < start + len(raw)]
    hidden = [b for b in breaks if not re.match(_ITEM_MARK, raw[b - 1]) and not re.match(_ITEM_MARK, raw[b])]
    parted = items + len(hidden)
    return parted if hidden and stated and stated.isdigit() and int(stated) == parted else items


_SENTENCE = re.compile(r"[^。\n]+")


def parse_labelled(spec: dict, flow: Flow, table: str, money_unit: str) -> list[dict]:
    """Sentences naming figures by label, in any order and wording the labels allow:
    `年初预算数为3,256.40万元，全年预算数为…，全年执行数为…，预算执行率为96.82%`.

    `labels` maps a column to the regex of its label; the figure follows the label
    (after 数 / 为 / 是 / :).  A sentence matching `sentence` with at least
    `min_figures` labelled figures is a row.
    """
    sentence_re = compile_pattern(spec.get("sentence", "."))
    labels = {col: compile_pattern(rf"(?:{regex})(?:数)?(?:为|是|:|达到)?(?P<v>{'PCT' if col.endswith('rate') else 'MONEY'})")
              for col, regex in spec["labels"].items()}
    rows = []
    for m in _SENTENCE.finditer(flow.text, 0, flow.columns_from or len(flow.text)):
        sentence = m.group(0)
        if not sentence_re.search(sentence):
            continue
        row: dict = {}
        starts = []
        for col, label in labels.items():
            found = label.search(sentence)
            if found:
                raw = found.group("v")
                row[col] = typed(table, col, raw, money_unit)
                if col.endswith("rate"):
                    row[f"_printed_{col}"] = raw
                starts.append(m.start() + found.start("v"))
        if len(starts) >= spec.get("min_figures", 3):
            row["page"] = flow.page_at(min(starts))
            row.update(spec.get("set", {}))
            rows.append(row)
    return rows


def _value_pattern(table: str, column: str) -> str:
    """What follows a label: money, a percentage, a score (分) or a grade."""
    from ..tables import SCHEMAS, column_kind

    if column not in SCHEMAS[table].names:
        return "NUM"
    kind = column_kind(table, column)
    if kind == "money":
        return "MONEY"
    if kind == "rate":
        return "PCT"
    if kind in ("float", "int"):
        return r"NUM(?=分|个|$|[,。;)])"
    return r"[“\"']?(?:GRADE)(?![\u4e00-\u9fff])"


def parse_items(spec: dict, flow: Flow, table: str, money_unit: str) -> list[dict]:
    """Numbered items (`1.名称。…`, `(2)名称:…`) that name their figures by label, in
    any order and wording the labels allow: 预算安排项目资金 / 全年预算数 …, 实际开支 /
    执行数 …, 预算执行率 …, 自评得分 …分（满分100分）, 绩效等级为 ….

    `items` is the regex of an item's start with a group `name`; an item runs to the
    next item's start.  An item with at least `min_figures` labelled figures is a row.
    """
    start = compile_pattern(spec["items"])
    labels = {col: compile_pattern(rf"(?:{regex})(?:为|是|:|达到|评定为|计)?(?P<v>{_value_pattern(table, col)})")
              for col, regex in spec["labels"].items()}
    text = flow.text[:flow.columns_from]  # items are read across the page, not down a column
    found = list(start.finditer(text))
    stop = compile_pattern(spec["stop"]) if "stop" in spec else None
    rows = []
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else min(len(text), m.end() + 600)
        body = text[m.end():end]
        if stop is not None:
            cut = stop.search(body)
            body = body[:cut.start()] if cut else body
        row: dict = {}
        starts = []
        for col, label in labels.items():
            hit = label.search(body)
            if not hit:
                continue
            raw = hit.group("v").strip("“”\"'")
            row[col] = typed(table, col, raw, money_unit)
            if col.endswith("rate"):
                row[f"_printed_{col}"] = raw
            starts.append(m.end() + hit.start("v"))
        money = [c for c in row if c in spec.get("need_any", row)]
        if len(starts) >= spec.get("min_figures", 2) and money:
            if "name" in m.groupdict() and m.group("name"):
                name = apply_value_rules(spec, "name", nz.clean_text(m.group("name")))
                row["name"] = typed(table, "name", name, money_unit)
            row["page"] = flow.page_at(min(starts))
            row.update(spec.get("set", {}))
            rows.append(row)
    return rows
