"""Apply a pack to a Document: fields, then every section, then row clean-up."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .. import normalize as nz
from ..model import Document
from ..packs import Pack, select_pack
from ..tables import ROW_TABLES
from . import grid, lines
from .levels import LABEL_WEIGHT, weighted_starts
from .sentences import parse_sentences
from .text import (SENTENCE_MARK, Flow, column_streams, compile_pattern, labels_rejoined, narrative_flow,
                   pages_not_in_text, typed)
from .deferred import cells_drawn_after, levels_drawn_after
from .texttable import parse_text_table, values_in_place
from ..packs import vocab

_GRID = {"grid": grid.parse_grid, "label_row": grid.parse_label_row, "form": grid.parse_form}
_LINES = {"line_rows": lines.parse_line_rows, "task_blocks": lines.parse_task_blocks,
          "score_lines": lines.parse_score_lines, "label_lines": lines.parse_label_lines,
          "line_form": lines.parse_line_form, "figure_rows": lines.parse_figure_rows}


@dataclass
class Recognition:
    kind: str = "unknown"
    pack: Pack | None = None
    department: str | None = None
    year: int | None = None
    total_score: float | None = None
    max_score: float | None = None
    grade: str | None = None
    rows: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in ROW_TABLES})
    totals: dict[str, dict] = field(default_factory=dict)  # a table's stated total line
    unmatched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # what a section saw but could not read
    incomplete: set[str] = field(default_factory=set)  # tables with rows missing: their sums are not checked
    log: list[str] = field(default_factory=list)  # what was matched where, for `inspect`
    sections: list[dict] = field(default_factory=list)  # per section: name, table, rows, pages

    unread_lines: int = 0  # figure lines inside tables that no row took
    doc_units: set[str] = field(default_factory=set)  # money units the document states anywhere

    @property
    def rows_read(self) -> int:
        return sum(len(v) for v in self.rows.values())

    @property
    def rows_expected(self) -> int:
        return self.rows_read + self.unread_lines

    @property
    def error(self) -> str | None:
        if self.pack is None:
            return "no pattern pack recognised this document (kind unknown)"
        problems = []
        if self.unmatched:
            problems.append("sections not found: " + "; ".join(self.unmatched))
        if self.missing:
            problems.append("rows missing: " + "; ".join(self.missing))
        if problems:
            return f"pack {self.pack.name}: " + "; ".join(problems)
        if not any(self.rows.values()):
            return f"pack {self.pack.name}: recognised the kind, but no section found any rows"
        return None


def full_text(doc: Document) -> str:
    return _joined_text(labels_rejoined(doc.lines()))


def _joined_text(lines: list) -> str:
    return "\n".join(nz.clean_text(ln.text) or "" for ln in lines)


def recognise(doc: Document, packs: list[Pack]) -> Recognition:
    # wrapped form labels (项目名 / 称) joined, for the field regexes and the line parsers;
    # the header-driven text reader sees the lines as printed (it knows wrapped cells)
    label_lines = labels_rejoined(doc.lines())
    text = _joined_text(label_lines)
    pack = select_pack(packs, text)
    result = Recognition()
    if pack is None:
        return result
    result.pack, result.kind = pack, pack.kind
    _read_fields(pack, text, result)
    _read_form_fields(pack, doc, result)
    flow = _sentence_flow(doc)
    lines = doc.lines()
    result.doc_units = _stated_units(doc, lines)
    for sec in pack.sections:
        table = sec["table"]
        rows = _run_section(sec, doc, flow, pack, result, lines, label_lines)
        result.log.append(f"section {sec.get('name', table)!r}: {len(rows)} row(s)")
        result.sections.append({"name": sec.get("name", table), "table": table, "rows": len(rows),
                                "pages": sorted({r["page"] for r in rows} | {p for r in rows
                                                                             for p in r.get("_tail_pages", ())}),
                                "optional": bool(sec.get("optional"))})
        if not rows and not sec.get("optional"):
            result.unmatched.append(sec.get("name", table))
        for row in rows:
            for t, r in _split(table, row).items():
                result.rows[t].append(r)
    _tidy(result, pack)
    _tasks_by_counts(result)
    _short_of_counts(result)  # a task the text counts and the table lacks: said by name, first
    _short_of_totals(result, pack.checks.get("full_marks"))
    _forms_short_of_full_marks(result)
    _headers_without_rows(pack, doc, result)
    if doc.format == "text":
        missing = pages_not_in_text(doc.lines())
        if missing:  # rows there were not read, though no section can tell which
            result.missing.append(f"the text lacks page(s) {', '.join(map(str, missing))} of those the "
                                  f"document numbers")
    return result


def _headers_without_rows(pack: Pack, doc: Document, result: Recognition) -> None:
    """A page that prints a table's header (every header term on lines that are no
    sentences) while the section read no row on it or the page after: the table is
    there and was not read (text whose reading order scatters its cells), so the
    document says so instead of passing as complete."""
    pages: dict[int, list[str]] = {}
    for ln in doc.lines():
        text = "".join((nz.clean_text(ln.text) or "").split())
        if text and not SENTENCE_MARK.search(text):
            cells = [nz.clean_text(w.text) or w.text for w in ln.words] if ln.words else ln.text.split()
            # the line, and its cells: a header term anchored as a whole cell (^项目名称$) is one
            pages.setdefault(ln.page, []).extend([text, *("".join(c.split()) for c in cells)])
    for sec, seen in zip(pack.sections, result.sections):
        spec = sec.get("grid") or {}
        if not spec.get("header") or spec.get("parser", "grid") != "grid" or spec.get("needs_context"):
            continue  # (a header that needs its context, 项目名称, is printed by other tables too)
        header = [compile_pattern(h) if h.startswith("^") else compile_pattern(h.strip("$")) for h in spec["header"]]
        # rows of the table from any section count: one table may be read by another
        # section's wording (年度部门预算情况 as label lines)
        read = {p for other in result.sections if other["table"] == sec["table"] for p in other["pages"]}
        read |= {r.get("page") for r in result.rows[sec["table"]]}
        total = result.totals.get(sec["table"])
        if total and total.get("page"):
            read.add(total["page"])  # a page that holds only the 合计 line of the table
        printed = [p for p, texts in sorted(pages.items())
                   if all(any(h.search(t) for t in texts) for h in header)]
        unread = [p for p in printed if p not in read and p + 1 not in read]
        if unread and sec["table"] not in result.incomplete:
            result.missing.append(f"{seen['name']}: its header is printed on p.{', '.join(map(str, unread))}, "
                                  f"but no row was read there")
            result.incomplete.add(sec["table"])


def _short_of_totals(result: Recognition, full_marks: float | None = None) -> None:
    """Rows read from text whose weights (scoring lines) or budgets (tasks) fall short
    of the table's printed 合计: lines were lost, so the table is incomplete (its sums
    are not checked) and the document says so."""
    for table, col, what in (("scores", "weight", "分值"), ("tasks", "budget", "全年预算数")):
        rows, stated = result.rows[table], result.totals.get(table) or {}
        total = stated.get(col)
        if total is None and table == "scores" and full_marks and rows and all(r.get("_from_lines") for r in rows):
            # no 合计 line was read either: the table's weights should make its full marks
            read = sum(Decimal(str(r[col])) for r in rows if r.get(col) is not None)
            if read != Decimal(str(full_marks)) and table not in result.incomplete:
                result.incomplete.add(table)
                result.missing.append(f"scores: the {len(rows)} lines read from text carry {read:f} 分值, not the "
                                      f"{full_marks:g} a scoring table's lines add up to; its 合计 line was not read")
            continue
        if total is None or not rows or not any(r.get("_from_lines") for r in rows):
            continue
        read = sum(Decimal(str(r[col])) for r in rows if r.get(col) is not None)
        # printed figures rounded to their last digit may miss their 合计 by half a unit each
        rounding = sum(((r.get("_quanta") or {}).get(col) or Decimal(0)) / 2 for r in rows)
        if read + rounding < Decimal(str(total)) and table not in result.incomplete \
                and not _another_column_adds_up(rows, stated, col) \
                and not (table == "tasks" and _every_task_read(rows, result.rows["counts"], col)):
            result.incomplete.add(table)
            result.missing.append(f"{table}: the {len(rows)} lines read from text add up to {read:f} {what} "
                                  f"of the {Decimal(str(total)):f} the 合计 line prints (p.{stated.get('page')}); "
                                  f"lines were not read")


def _every_task_read(rows: list[dict], counts: list[dict], col: str) -> bool:
    """Whether the tasks read are all the document has: numbered 1..n without a gap,
    each with its figure, and the report's own numbered account of its tasks (1.…任务。
    该工作任务共设置5个绩效目标) stops at the same n.  Then a shortfall is the document's."""
    read = [r.get("task") for r in rows]
    numbered = {f"任务{n}" for n in range(1, len(read) + 1)}
    stated = {g for g in _group_counts(counts) if g.startswith("任务")}
    return bool(stated) and all(r.get(col) is not None for r in rows) and set(read) == numbered \
        and f"任务{len(read)}" in stated and stated <= numbered


def _another_column_adds_up(rows: list[dict], stated: dict, col: str) -> bool:
    """Whether another figure column of the same lines (得分 beside 分值, 全年执行数 beside
    全年预算数) adds up exactly to its non-zero 合计: then no line was lost — a lost line
    would leave that column short too — and the one column's shortfall is the document's
    own, for its check to find."""
    def number(v):  # typed rows: money as Decimal, scores as float
        return Decimal(str(v)) if isinstance(v, (int, float, Decimal)) else None

    return any(key != col and number(stated[key]) for key in _columns_adding_up(stated, rows, number))


def _columns_adding_up(total: dict, rows: list[dict], number) -> list[str]:
    """The 合计 line's figure columns that the lines add up to exactly (`number` reads a cell
    as a Decimal, or None where it is no figure)."""
    out = []
    for key, value in total.items():
        if key.startswith("_") or key == "page":
            continue
        whole = number(value)
        if whole is None:
            continue
        parts = [number(r.get(key)) for r in rows]
        if parts and all(p is not None for p in parts) and sum(parts) == whole:
            out.append(key)
    return out


def _group_counts(counts: list[dict]) -> dict[str, dict]:
    """Each group's stated count of indicators (任务2 -> the row of 任务2的绩效目标 3个), the
    first statement of each."""
    out: dict[str, dict] = {}
    for c in counts:
        group = vocab.counted_group(c.get("what"))
        if group and c.get("count") and group not in out:
            out[group] = c
    return out


def _tasks_by_counts(result: Recognition) -> None:
    """Indicators under the task the document says they are under: where it states each
    task's count (1.监督检查任务：本任务设置绩效目标2个 …, tasks 1..n in order) and the rows
    read are just as many, listed task by task, the k-th group of rows is task k's.  A
    merged 任务 cell read from text, or from a grid whose merge was lost, can stand a row
    off its group; the counts cannot.  The rows so placed are marked: their count checks
    prove nothing and are not run."""
    rows = result.rows["indicators"]
    per_task = {group: int(c["count"]) for group, c in _group_counts(result.rows["counts"]).items()}
    names = [f"任务{k}" for k in range(1, len(per_task) + 1)]  # as numbered, whatever order the sentences have
    if not rows or set(names) != set(per_task) or len(names) < 2 \
            or sum(per_task.values()) != len(rows) or any(r.get("project") for r in rows):
        return
    wanted = [name for name in names for _ in range(per_task[name])]
    if [r.get("task") for r in rows] == wanted:
        return
    if 2 * sum(r.get("task") in names for r in rows) < len(rows):
        return  # rows mostly under another kind of group than the numbered tasks: not this table
    for row, task in zip(rows, wanted):
        if row.get("task") != task:
            row["task"] = task
            row["_task_from_counts"] = True
    result.log.append("indicators: placed under their tasks by the counts the document states")


def _forms_short_of_full_marks(result: Recognition) -> None:
    """A 项目支出绩效自评表 read from text whose indicator 分值, with its fund line's, add up to
    less than the form's full marks (总分 100): indicator lines were lost, so the table is
    incomplete (its sums are not checked) and the document says which form.  Said only
    where every weight is known: the fund line's and each indicator's."""
    fund_weight = {r.get("project"): r.get("weight") for r in result.rows["budget"]
                   if r.get("fund_source") == "合计" and r.get("project")}
    short = []
    for form in result.rows["projects"]:
        name, full = form.get("name"), form.get("max_score")
        rows = [r for r in result.rows["indicators"] if r.get("project") == name]
        # (a form with no indicator read at all is short of them all)
        if not (name and full and fund_weight.get(name) is not None
                and all(r.get("_from_lines") for r in rows)) or any(r.get("weight") is None for r in rows):
            continue
        read = sum(Decimal(str(r["weight"])) for r in rows) + Decimal(str(fund_weight[name]))
        if read < Decimal(str(full)):
            short.append(f"{name} {read:f} of {full:g}")
    if short and "indicators" not in result.incomplete:
        result.incomplete.add("indicators")
        result.missing.append("indicators: the 分值 of the lines read from text fall short of their form's "
                              f"full marks ({'; '.join(short)}); lines were not read, or their 分值 misread")


def _short_of_counts(result: Recognition) -> None:
    """Indicators the document says it has (设置了6个关键指标; 任务2设置了3个绩效目标) and
    that were not read.  None read at all, or more than one task short of its count: the
    table was not read whole, so it is incomplete and its counts are not checked.  One
    task short while every other task has just its count is the document's own mismatch,
    left to the indicator.count check."""
    rows = result.rows["indicators"]
    stated = [c for c in result.rows["counts"] if "指标" in (c.get("what") or "") or vocab.counted_group(c.get("what"))]
    stated = [c for c in stated if c.get("count")]
    groups = _group_counts(stated)
    tasks_read = {r.get("task") for r in result.rows["tasks"]}
    unread_tasks = [task for task in groups if task.startswith("任务") and task not in tasks_read]
    if result.rows["tasks"] and unread_tasks and "tasks" not in result.incomplete:
        # the document counts a task's indicators (任务3设置了2个绩效目标), and no row of it was read
        result.missing.append(f"tasks: {', '.join(unread_tasks)} stated in the text, not read in the task table")
        result.incomplete.add("tasks")
    if not stated or "indicators" in result.incomplete:
        return
    if not rows:
        first = stated[0]
        result.missing.append(f"indicators: the document states {first['count']} {first['what']} "
                              f"(p.{first['page']}), but no indicator row was read")
        result.incomplete.add("indicators")
        return
    by_task: dict = {}
    for r in rows:
        by_task[r.get("task")] = by_task.get(r.get("task"), 0) + 1
    short = [(c, task) for task, c in groups.items() if by_task.get(task, 0) < int(c["count"])]
    said = ", ".join(f"{task} {by_task.get(task, 0)} of {c['count']}" for c, task in short)
    if len(short) > 1 or any(not by_task.get(task) for _, task in short):
        result.missing.append(f"indicators: fewer read than the document states ({said}): rows missed, "
                              f"or read under another task")
        result.incomplete.add("indicators")
    elif short and all(r.get("_from_lines") for r in rows):
        # one task short, its rows read from text: the document's count may be wrong, or a line
        # was missed; the count is still checked (as doubtful), and the document does not say ok
        result.missing.append(f"indicators: fewer read from the text than the document states ({said}): "
                              f"a line missed, or the document's count")


def _read_fields(pack: Pack, text: str, result: Recognition) -> None:
    for name, regexes in pack.fields.items():
        for regex in regexes:
            m = compile_pattern(regex).search(text)
            if m:
                value = nz.clean_text(m.group("value"))
                if name == "year":
                    result.year = int(value)
                elif name in ("total_score", "max_score"):
                    setattr(result, name, nz.parse_float(value))
                else:
                    setattr(result, name, value)
                break


def _stated_units(doc: Document, lines: list) -> set[str]:
    """Every money unit a line or a table cell of the document states (单位：元, （万元）)."""
    units = {vocab.stated_unit("".join(ln.text.split())) for ln in lines}
    units |= {vocab.stated_unit("".join(c.split())) for t in doc.tables for r in t.rows for c in r.cells if c}
    return {u for u in units if u}


def _read_form_fields(pack: Pack, doc: Document, result: Recognition) -> None:
    """Document fields printed as a label cell and its value (主管部门 | X局): the
    cell right of the label in a grid, or the word after it on a line of text."""
    for name, regex in pack.form_fields.items():
        if getattr(result, name, None) is not None:
            continue
        label = compile_pattern(regex)
        value = None
        for table in doc.tables:
            for row in table.rows:
                cells = [nz.clean_text(c) for c in row.cells]
                at = next((i for i, c in enumerate(cells) if c and label.search(c)), None)
                if at is not None:
                    value = next((c for c in cells[at + 1:] if c), None)
                if value:
                    break
            if value:
                break
        if value is None:
            for ln in doc.lines():
                tokens = (nz.clean_text(ln.text) or "").split(" ")
                if len(tokens) > 1 and label.search(tokens[0]):
                    value = tokens[1]
                    break
        if value:
            setattr(result, name, value)


def _sentence_flow(doc: Document) -> Flow:
    """Narrative lines joined; then every table cell on its own, so a sentence
    printed inside a cell is found but never runs on into the next cell."""
    lines = doc.lines(include_tables=False)
    flow = narrative_flow(lines)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell:
                    flow.add(cell, row.page, sep="\n")
    # text without positions that prints two prose cells side by side: each cell read down
    streams = column_streams(lines) if doc.format == "text" else []
    if streams:
        flow.columns_from = len(flow.text)
        for stream in streams:
            for k, (part, page) in enumerate(stream):
                flow.add(part, page, sep="\n" if k == 0 else "")
    return flow


def _run_section(sec: dict, doc: Document, flow: Flow, pack: Pack, result: Recognition,
                 lines: list, label_lines: list) -> list[dict]:
    table, unit = sec["table"], sec.get("money_unit", pack.money_unit)
    if "sentences" in sec:
        return _to_document(sec, parse_sentences(sec["sentences"], flow, table, unit), result)
    records: list[dict] = []
    if "grid" in sec and doc.tables:
        spec = sec["grid"]
        records = _GRID[spec.get("parser", "grid")](spec, doc.tables)
        _page_units(records, doc)
    needs = (sec.get("grid") or {}).get("needs_context") or []
    records = [r for r in records if all(r.get(f) for f in needs)]
    from_lines = False
    coverage = None
    if not records and ("lines" in sec or _text_readable(sec)):
        # No grid held the section (text input, or a PDF table without ruling lines):
        # read it from the lines, with the pack's own line parser and with the
        # header-driven reader of the grid spec; the one that reads more rows wins.
        if "lines" in sec:
            spec = sec["lines"]
            records = _LINES[spec["parser"]](spec, label_lines)
            nameless = [r["page"] for r in records if r.get("_nameless")]
            if nameless:  # a form whose name was not printed beside its label: no row to name
                # (its score and grade still tell the document's, when it is the only form)
                result.missing.append(f"{sec.get('name', table)}: {len(nameless)} form(s) whose name was not "
                                      f"read beside its label (p.{', '.join(map(str, nameless))})")
                result.incomplete.add(table)
                result.unread_lines += len(nameless)
            unfigured = [r["page"] for r in records if r.pop("_unfigured", False)]
            if unfigured:  # a form found by its labels whose figures the text scrambled
                result.missing.append(f"{sec.get('name', table)}: {len(unfigured)} form(s) whose figures were "
                                      f"not read (p.{', '.join(map(str, unfigured))})")
                result.incomplete.add(table)
        if _text_readable(sec):
            text_table = parse_text_table(sec["grid"], table, label_lines)
            rows_of = (lambda recs: [r for r in recs if not r.get("_total")])
            # rows of the section's own table (a task block's record fills only tasks.*)
            own_rows = (lambda recs: [r for r in rows_of(recs)  # noqa: E731
                                      if any("." not in k and not k.startswith("_") and k != "page" for k in r)])
            # rows under a 项目名称 whose name was printed out of the text's reach ("") take part
            # in choosing the reading, and are then left out (no project to put them under), but said
            text_records = [r for r in text_table.records if all(r.get(f) or r.get(f) == "" for f in needs)]
            text_table.records = text_records
            # the reading whose lines add up to the table's printed 合计 wins; else the pack's
            # own line parser is kept unless the header-driven reader reads clearly more
            # (a few more rows may be wrapped text it took for rows)
            adds_up = _adds_up(text_table.records), _adds_up(records)
            totals = (any(r.get("_total") for r in text_table.records), any(r.get("_total") for r in records))
            if adds_up[0] != adds_up[1] and records and all(totals):
                better = adds_up[0] > adds_up[1]  # (a reading that holds no 合计 cannot add up to it)
            elif records and totals[0] and not totals[1] and not text_table.unnamed \
                    and len(own_rows(text_table.records)) >= len(own_rows(records)) \
                    and values_in_place(text_table.records, table) >= values_in_place(records, table):
                # as many rows or more, as many values in place, and its 合计: the reading that
                # can be checked (not one whose 合计 stands under rows of wrapped prose)
                better = True
            elif len(rows_of(text_table.records)) == len(rows_of(records)) and records:
                # as many rows either way: the reading whose rows are named by the terms a
                # fund line is called by (合计, 一般公共预算), not by wrapped header parts
                better = _known_labels(text_table.records) > _known_labels(records)
            else:  # more rows, and not by taking wrapped prose for rows: as many values in place
                # (a column it did not find, 得分, counted as the line parser reads it for the same rows)
                filled = _filled_from(text_table.records, records, text_table.label)
                better = len(rows_of(text_table.records)) > 1.1 * len(rows_of(records)) and \
                    values_in_place(filled, table) >= values_in_place(records, table)
                if better and filled is not text_table.records:
                    text_table.records = filled
                    text_table.empty_columns = [(f, p) for f, p in text_table.empty_columns
                                                if not any(r.get(f) for r in rows_of(filled))]
            if better:
                nameless = [r["page"] for r in text_table.records if not all(r.get(f) for f in needs)]
                if nameless:
                    pages = _pages_said(nameless)
                    result.missing.append(f"{sec.get('name', table)}: {len(nameless)} lines under a "
                                          f"{'/'.join(needs)} whose name was not read, not kept (p.{pages})")
                    result.incomplete.add(table)
                    result.unread_lines += len(nameless)
                    text_table.records = [r for r in text_table.records if all(r.get(f) for f in needs)]
                if records:
                    _names_from_other_reading(text_table.records, records, text_table.label)
                records = text_table.records
                coverage = text_table
            elif records and text_table.records:
                _levels_from_other_reading(records, text_table.records, sec["grid"].get("fill_down") or [])
                _known_rows_from_other_reading(records, text_table.records, text_table.label)
            elif not records and text_table.tables and _context_printed(sec["grid"], needs, lines):
                # its header is printed, but no row under it could be read: a miss, not an absence
                # (a header without the label its rows belong under, 项目名称, is another table's)
                result.missing.append(f"{sec.get('name', table)}: the table's header is printed, "
                                      f"but none of its rows could be read")
                result.incomplete.add(table)
            if not better and records:
                # the pack's line parser kept: its rows without the label that names them
                # (三级指标) are as incomplete as the header-driven reader's would be; rows
                # without the 一级/二级 the others carry were not read whole either, but their
                # figures are, so the sums stand and are checked
                own = own_rows(records)
                levels = [f for f in (sec["grid"].get("fill_down") or []) if f in ("level1", "level2")]
                bare = [r["page"] for r in own if any(r.get(f) is None for f in levels)]
                if levels and bare and len(bare) < len(own) and all(any(r.get(f) for r in own) for f in levels):
                    result.missing.append(f"{sec.get('name', table)}: {len(bare)} lines read without their "
                                          f"一级/二级指标 (p.{_pages_said(bare)})")
                unnamed = [r["page"] for r in own if text_table.label and not r.get(text_table.label)]
                if unnamed:
                    result.missing.append(f"{sec.get('name', table)}: {len(unnamed)} lines read without their "
                                          f"{text_table.label} (p.{_pages_said(unnamed)})")
                    result.incomplete.add(table)
        from_lines = True
        drawn_after = (sec.get("grid") or {}).get("drawn_after")
        if drawn_after and records:
            end = compile_pattern(drawn_after["after"])
            cells_drawn_after(records, lines, drawn_after["fields"], end)
            if drawn_after.get("level") and levels_drawn_after(records, lines, drawn_after["level"], end) \
                    and coverage is not None:
                coverage.unlevelled = [r["page"] for r in records if not r.get("_total") and not r.get("level2")]
    if from_lines:
        for rec in records:
            rec["_from_lines"] = True
    rows = _typed_rows(sec, records, unit, result)
    if from_lines:  # a table read from text lines may have lines the parser could not read
        for row in rows:
            row["_from_lines"] = True
    if coverage is not None and (coverage.unread or coverage.unnamed):
        said = []
        named = len(rows) - len(coverage.unnamed)
        if coverage.unread:
            pages = sorted({p for p, _ in coverage.unread})
            said.append(f"read {named} of {named + len(coverage.unread)} lines with figures; "
                        f"{len(coverage.unread)} not read (p.{', '.join(map(str, pages))})")
        if coverage.unnamed:  # rows kept, but read without their name
            pages = sorted(set(coverage.unnamed))
            said.append(f"{len(coverage.unnamed)} lines read without their {coverage.label} "
                        f"(p.{', '.join(map(str, pages))})")
        result.missing.append(f"{sec.get('name', table)}: " + "; ".join(said))
        result.incomplete.add(table)
        result.unread_lines += len(coverage.unread) + len(coverage.unnamed)
    if coverage is not None and coverage.empty_columns:
        # a figure column printed and never read: every row of the table lacks that figure
        said = ", ".join(f"{f} (p.{page})" for f, page in coverage.empty_columns)
        result.missing.append(f"{sec.get('name', table)}: the header prints a column no line's value was read "
                              f"under: {said}")
        result.incomplete.add(table)
    if coverage is not None and coverage.unlevelled:
        # every figure read, so the checks stand; the rows' 二级 is what is missing
        pages = sorted(set(coverage.unlevelled))
        result.missing.append(f"{sec.get('name', table)}: {len(coverage.unlevelled)} lines read without "
                              f"their 二级指标 (p.{', '.join(map(str, pages))})")
    return [r for r in _to_document(sec, rows, result) if not r.pop("_nameless", False)]


def _levels_from_other_reading(records: list[dict], other: list[dict], fill_down: list[str]) -> None:
    """The line parser's rows kept, the merged labels (一级指标) it does not read taken from
    the header-driven reading of the same table, row by row where both name the row alike
    (same project, same name): one table read two ways, each field from the reading that
    has it."""
    levels = [f for f in fill_down if f in ("level1", "level2")]
    if not levels:
        return
    by_name: dict = {}
    for r in other:
        if r.get("name"):
            by_name.setdefault((r.get("project"), r["name"]), r)
    for r in records:
        twin = by_name.get((r.get("project"), r.get("name")))
        if twin is None:
            continue
        for f in levels:
            if r.get(f) is None and twin.get(f) is not None:
                r[f] = twin[f]


_SAME_FIGURES = ("target_text", "actual_text", "weight", "score")


def _project_key(r: dict) -> str:
    """A row's project as both readers name it, however they spaced it (2024 年… | 2024年…)."""
    return "".join((r.get("project") or "").split())


def _filled_from(records: list[dict], other: list[dict], label: str | None) -> list[dict]:
    """Copies of the header-driven reading's rows, each with the fields it lacks taken from
    the line parser's one row of the same name and 分值 (the 得分 column the positions did
    not find): one table read two ways, each field from the reading that has it."""
    if not label:
        return records
    by_key: dict = {}
    for r in other:
        if r.get(label):
            by_key.setdefault((_project_key(r), r[label], r.get("weight")), []).append(r)
    out = []
    for r in records:
        twins = by_key.get((_project_key(r), r.get(label), r.get("weight")), [])
        if len(twins) == 1 and not r.get("_total"):
            r = {**{k: v for k, v in twins[0].items() if not k.startswith("_")}, **{k: v for k, v in r.items()
                                                                                  if v is not None}}
        out.append(r)
    return out


_NOT_A_HEAD = re.compile(r"[\d:：，。；;,()（）、]")


def _names_from_other_reading(records: list[dict], other: list[dict], label: str | None) -> None:
    """The header-driven reading kept, a row's name taken from the line parser's reading
    of the same row (same project and figures) where the line parser joined the name's
    wrapped head (项目完成及 / 时性 …) that the kept reading left out: its name is the
    other's tail.  One table read two ways, each field from the reading that has it."""
    if not label:
        return

    def key(r):
        return (_project_key(r),) + tuple(r.get(f) for f in _SAME_FIGURES)

    by_figures: dict = {}
    for r in other:
        if r.get(label) and any(key(r)[1:]):
            by_figures.setdefault(key(r), []).append(r)
    for r in records:
        twins = by_figures.get(key(r), [])
        name = r.get(label) or ""
        # the head a wrapped name lost is a few words (项目完成及), not another cell's text
        longer = [t[label] for t in twins if len(t[label]) > len(name) and t[label].endswith(name)
                  and not _NOT_A_HEAD.search(t[label][:len(t[label]) - len(name)])
                  and len(t[label]) - len(name) <= 12]
        if len(twins) == 1 and len(longer) == 1:
            r[label] = longer[0]


def _context_printed(spec: dict, needs: list[str], lines: list) -> bool:
    """Whether the label every row of the section must stand under (项目名称) is printed
    anywhere: the grid's context pattern, unanchored, on some line."""
    patterns = [compile_pattern((spec.get("context") or {}).get(f, "").strip("^$")) for f in needs]
    if not all(p.pattern for p in patterns):
        return True
    texts = ["".join((nz.clean_text(ln.text) or "").split()) for ln in lines]
    return all(any(p.search(t) for t in texts) for p in patterns)


def _known_rows_from_other_reading(records: list[dict], other: list[dict], label: str | None) -> None:
    """The line parser's reading kept, a row it did not read that the header-driven
    reading did, named by a term of the vocabulary (上年结余结转资 / 金 wrapped around its
    figures: no line holds the whole term), is put in, after the row it follows in the
    other reading.  One table read two ways: a row either reads is the table's."""
    if not label:
        return
    known = vocab.fund_lines()

    def key(r):
        return (_project_key(r), (r.get(label) or "").strip())

    have = {key(r) for r in records}
    for k, row in enumerate(other):
        if row.get("_total") or key(row) in have or key(row)[1] not in known \
                or not any(isinstance(v, str) and re.search(r"\d", v) for f, v in row.items() if f != label):
            continue
        before = next((key(o) for o in reversed(other[:k]) if key(o) in have and key(o)[0] == key(row)[0]), None)
        at = next((n + 1 for n, r in enumerate(records) if key(r) == before), None) if before else None
        if at is None:
            continue  # nothing of its project read by the kept reading: not our row to add
        records.insert(at, row)
        have.add(key(row))


def _known_labels(records: list[dict]) -> int:
    """Rows whose fund line is a term of the vocabulary."""
    known = vocab.fund_lines()
    return sum(1 for r in records if (r.get("fund_source") or "").strip() in known)


def _adds_up(records: list[dict]) -> int:
    """How many of the 合计 line's figures the other lines add up to exactly."""
    totals = [r for r in records if r.get("_total")]
    if not totals:
        return 0
    rows = [r for r in records if not r.get("_total")]
    return len(_columns_adding_up(totals[-1], rows, lambda v: nz.parse_decimal(v) if isinstance(v, str) else None))


def _text_readable(sec: dict) -> bool:
    """A grid section with a header and columns can be read from text lines too."""
    spec = sec.get("grid") or {}
    return spec.get("parser", "grid") == "grid" and bool(spec.get("header")) and bool(spec.get("columns"))


def _page_units(records: list[dict], doc: Document) -> None:
    """A grid whose header stated no unit takes the one its page states outside the
    table (单位：元 above it), when the page states exactly one."""
    by_page: dict[int, set[str]] = {}
    for rec in records:
        if "_unit" in rec:
            continue
        page = rec.get("page")
        if page not in by_page:
            units = set()
            for ln in doc.pages[page - 1].lines if 0 < page <= len(doc.pages) else []:
                if not ln.in_table:
                    u = vocab.stated_unit("".join(ln.text.split()))
                    if u:
                        units.add(u)
            by_page[page] = units
        if len(by_page[page]) == 1:
            rec["_unit"] = next(iter(by_page[page]))


def _to_document(sec: dict, rows: list[dict], result: Recognition) -> list[dict]:
    """Copy figures about the document itself (自评得分 99.5, 自评等级) from the first
    row that has them; fields that are no column of the table leave the row.  A
    document of several project tables has no one score: nothing is copied then."""
    from ..tables import SCHEMAS

    columns = set(SCHEMAS[sec["table"]].names)
    wanted = sec.get("to_document") or {}
    wanted = wanted if isinstance(wanted, dict) else {k: k for k in wanted}
    several = "grid" in sec and len(rows) > 1
    for row in rows:
        if several:
            for src in wanted:
                if src not in columns:
                    row.pop(src, None)
            continue
        for src, dest in wanted.items():
            value = row.get(src) if src in columns else row.pop(src, None)
            if value is not None and getattr(result, dest, None) is None:
                setattr(result, dest, nz.parse_float(str(value)) if dest.endswith("score") else value)
    return rows


def _typed_rows(sec: dict, records: list[dict], default_unit: str, result: Recognition) -> list[dict]:
    table = sec["table"]
    rows = []
    for rec in records:
        # the table's own unit line, else the one unit the document states, else the pack's default
        unit = rec.get("_unit") or (next(iter(result.doc_units)) if len(result.doc_units) == 1 else default_unit)
        if rec.get("_total") and rec.get("project") is not None:
            continue  # a project's 总分 is read by the project's form section
        if rec.get("_total"):
            result.totals[table] = {k: typed(table, k, v, unit) for k, v in rec.items()
                                    if not k.startswith("_") and k != "page" and "." not in k}
            result.totals[table]["page"] = rec["page"]
            # a merged group's column (任务's 资金 over its indicators: tasks.budget) totals that table
            for key, value in rec.items():
                other, _, col = key.partition(".")
                if col and value is not None and not key.startswith("_") and other != table:
                    result.totals.setdefault(other, {"page": rec["page"]})[col] = typed(other, col, value, unit)
            if "total_row_to" in sec:  # e.g. 金额合计 is also the department's fund line
                spec = sec["total_row_to"]
                extra = {"page": rec["page"], **spec.get("set", {})}
                if rec.get("_from_lines"):  # read from text: a mismatch of its figures is doubtful
                    extra["_from_lines"] = True
                for src, dest in spec["map"].items():
                    extra[dest] = typed(spec["table"], dest, rec.get(src), unit)
                    if dest.endswith("rate") and rec.get(src):
                        extra[f"_printed_{dest}"] = rec[src]
                result.rows[spec["table"]].append(extra)
            for src, dest in (sec.get("total_fields") or {}).items():
                if rec.get(src) is not None and getattr(result, dest, None) is None:
                    setattr(result, dest, nz.parse_float(rec[src]))
            continue
        if "label" in rec:  # label_row / label_lines: one amount under a label
            rec = {"page": rec["page"], "fund_source": rec["label"],
                   sec["value_column"]: rec["value"],
                   "fund_group": (sec.get("groups") or {}).get(rec["label"])}
        row = {"page": rec["page"]}
        for key, raw in rec.items():
            if key == "page" or key.startswith("_"):
                continue
            t, _, col = key.rpartition(".")
            row[key] = typed(t or table, col, raw, unit)
            if isinstance(row[key], Decimal):  # how precisely it was printed, for sums of rounded figures
                row.setdefault("_quanta", {})[key] = nz.money_quantum(raw, unit)
                if "_unit" not in rec and not result.doc_units and not re.search(r"[元]", str(raw)):
                    row["_unit_assumed"] = unit  # the document states no unit anywhere
            if col.endswith("rate") and raw:
                row[f"_printed_{key}"] = raw  # the printed precision decides the rate check
        row.update(sec.get("set", {}))
        if rec.get("_nameless"):
            row["_nameless"] = True
        if rec.get("_tail_pages"):
            row["_tail_pages"] = rec["_tail_pages"]  # pages that hold the end of its cells
        rows.append(row)
    return rows


def _split(table: str, row: dict) -> dict[str, dict]:
    """'tasks.content' goes to the tasks table; plain names to the section's table."""
    out: dict[str, dict] = {}
    for key, value in row.items():
        if key == "page":
            continue
        if key == "_quanta":
            for k, q in value.items():
                t, _, col = k.rpartition(".")
                out.setdefault(t or table, {}).setdefault("_quanta", {})[col] = q
            continue
        prefix = "_printed_" if key.startswith("_printed_") else ""
        t, _, col = key[len(prefix):].rpartition(".")
        col = prefix + col
        out.setdefault(t or table, {})[col] = value
    for r in out.values():
        r["page"] = row["page"]
        if row.get("_from_lines"):  # a merged group's cells read from text (任务's 资金) are as doubtful
            r["_from_lines"] = True
    return {t: r for t, r in out.items()
            if any(v is not None for k, v in r.items() if k != "page" and not k.startswith("_"))}


_NUMBERING = re.compile(r"^(?:\d+[.、.]|[(（]\d+[)）]|指标\d+[:：])\s*")


def _tidy(result: Recognition, pack: Pack) -> None:
    rows = result.rows
    rows["tasks"] = _one_per(rows["tasks"], "task")
    rows["projects"] = _one_per(rows["projects"], "name", clean=_NUMBERING)
    for row in rows["indicators"] + rows["scores"]:
        _mend_brackets(row)
    for table in ("scores", "indicators"):
        _evidence_is_no_level(table, rows[table], result)
        _names_with_prose(table, rows[table], result)
        _names_misread(table, rows[table], result)
        _levels_misread(table, rows[table], result)
    _levels_by_weight(rows["scores"])
    by_project: dict = {}
    for row in rows["indicators"]:
        by_project.setdefault(row.get("project"), []).append(row)
    for group in by_project.values():
        _levels_by_weight(group)
    for ind in rows["indicators"]:
        if ind.get("name"):
            ind["name"] = _NUMBERING.sub("", ind["name"])
        if ind.get("level1"):
            m = LABEL_WEIGHT.search(ind["level1"])
            if m:
                ind["level1_weight"] = float(m.group(1))
                ind["level1"] = ind["level1"][:m.start()] or None
        target = nz.parse_measure(ind.get("target_text"))
        actual = nz.parse_measure(ind.get("actual_text"))
        ind.update(target_text=target.text, actual_text=actual.text,
                   target_op=target.op, target_value=target.value, target_unit=target.unit,
                   actual_value=actual.value, actual_unit=actual.unit,
                   achieved=nz.achieved(target, actual, ceiling=_is_cost(ind, target)))
    for row in rows["scores"]:
        if row.get("level1"):
            m = LABEL_WEIGHT.search(row["level1"])
            if m:
                row["level1_weight"] = float(m.group(1))
                row["level1"] = row["level1"][:m.start()] or None


# a sentence's punctuation (a comma not inside a number): no indicator is named so
_SENTENCE_MARK = re.compile(r"[。；;]|(?<!\d)[，,]|[，,](?!\d)")


def _names_with_prose(table: str, rows: list[dict], result: Recognition) -> None:
    """A 三级指标 read from text that holds a sentence took in the 评分标准 printed beside it
    (支付进度率满意度达到90%以上得满分，…): its figures stand, its name is not what is
    printed, and the document says so."""
    col = "level3" if table == "scores" else "name"
    pages = [r["page"] for r in rows if r.get("_from_lines") and _SENTENCE_MARK.search(r.get(col) or "")]
    if pages:
        said = _pages_said(pages)
        result.missing.append(f"{table}: {len(pages)} lines whose {'三级指标' if table == 'scores' else '指标名称'} "
                              f"ran into the text printed beside it (p.{said})")


# what stands in a name's place when the name was lost: a character alone (the end of a
# wrapped cell), a unit run onto its own line (/人次, 万元), a level's printed weight
# ((20分)), a figure or punctuation alone
_NOT_A_NAME = re.compile(r"^(?:.|[/／].*|[（(]\d+(?:\.\d+)?分[)）]|[千万亿]?元(?:/\S{1,3})?|[^\u4e00-\u9fffA-Za-z]+)$")


def _names_misread(table: str, rows: list[dict], result: Recognition) -> None:
    """A row read from text whose name is not one: a character, a unit or a weight in its
    place, or its own target or actual (按时完成 | 按时完成: the name was printed where the
    reader did not look).  Its figures stand; the document says the names were not read."""
    col = "level3" if table == "scores" else "name"

    def misread(r):
        name = (r.get(col) or "").strip()
        return bool(name) and (bool(_NOT_A_NAME.match(name)) or name in (r.get("target_text"), r.get("actual_text")))

    pages = [r["page"] for r in rows if r.get("_from_lines") and not r.get("_total") and misread(r)]
    if pages:
        said = _pages_said(pages)
        result.missing.append(f"{table}: {len(pages)} lines whose {'三级指标' if table == 'scores' else '指标名称'} "
                              f"was not read (a character, a unit, a weight or the line's own target in its place) "
                              f"(p.{said})")


# a 一级/二级 label is words without a sentence's signs: one character, or words broken at
# a 、 or a comma, are pieces of another cell (图 of 门户网站公开信息截图, 绩效目标申报表、自)
_NOT_A_LEVEL = re.compile(r"^.$|[、，,。；;]")


def _levels_misread(table: str, rows: list[dict], result: Recognition) -> None:
    """Rows read from text whose 一级 or 二级 is a piece of another cell (a wrapped 评分依据
    a text tool printed where the merged label stands): their figures stand, the document
    says the levels were not read.  (A column's label in a level's place was given the row
    above's level before: `_evidence_is_no_level`.)"""
    def misread(r, f):
        return bool(_NOT_A_LEVEL.search(LABEL_WEIGHT.sub("", r.get(f) or "").strip()))

    pages = [r["page"] for r in rows if r.get("_from_lines") and not r.get("_total")
             and any(misread(r, f) for f in ("level1", "level2"))]
    if pages:
        result.missing.append(f"{table}: {len(pages)} lines whose 一级/二级指标 was not read (a piece of another "
                              f"cell in its place) (p.{_pages_said(pages)})")


def _no_level(value: str | None, from_text: bool) -> bool:
    """A column's label (a header repeated on the next page) or, in text, an evidence cell
    read where a level stands."""
    return vocab.is_role_term(value or "") or (from_text and vocab.is_evidence(value))


def _pages_said(pages) -> str:
    """Pages as a document's message names them: 2, 3, 5."""
    return ", ".join(map(str, sorted(set(pages))))


def _evidence_is_no_level(table: str, rows: list[dict], result: Recognition) -> None:
    """A 评分依据 cell (部门决算报表) that text printed cell after cell put where a merged
    label stands is no 一级/二级, nor is a column's label (二级指标 of a header repeated
    over a page break, in a grid or in text): the row keeps the level of the row above, as
    the merged cell it is in does; with none above, the level is said to be unread."""
    last: dict = {}
    unread: list[int] = []
    for row in rows:
        from_text = bool(row.get("_from_lines"))
        if last.get("project", row.get("project")) != row.get("project"):
            last = {}
        last["project"] = row.get("project")
        if _no_level(row.get("level2"), from_text) and row.get("level1") is None:
            row["level1"] = last.get("level1")  # the bogus label had cleared the 一级 above it
        for col in ("level1", "level2"):
            if _no_level(row.get(col), from_text):
                row[col] = last.get(col)
                if row[col] is None:
                    unread.append(row["page"])
            last[col] = row.get(col)
    if unread:
        pages = _pages_said(unread)
        result.missing.append(f"{table}: {len(unread)} lines read without their 一级/二级指标 (p.{pages})")


def _levels_by_weight(rows: list[dict]) -> None:
    """一级 labels that print their weight (部门决策（15分）) say which rows they cover:
    the next rows whose 分值 add up to it.  Where a merged label was placed by its
    position (text without a grid, a cell split by a page break) and the weights say
    otherwise, the weights win; when they do not add up, nothing is changed."""
    labels: list[str] = []
    for row in rows:
        label = row.get("level1")
        if isinstance(label, str) and LABEL_WEIGHT.search(label) and label not in labels:
            labels.append(label)
    starts = weighted_starts(rows, labels) if len(labels) >= 2 else None
    if starts is None:
        return
    for n, (label, start) in enumerate(zip(labels, starts)):
        for row in rows[start:starts[n + 1] if n + 1 < len(starts) else len(rows)]:
            row["level1"] = label
    _nest_level2(rows)


def _nest_level2(rows: list[dict]) -> None:
    """A 二级 cell never runs over its 一级's boundary: rows read from text that start
    a 一级 group still carrying the last 二级 of the group before take the next 二级
    of their own group."""
    start = 0
    while start < len(rows):
        end = start
        while end < len(rows) and rows[end].get("level1") == rows[start].get("level1"):
            end += 1
        if start > 0:
            carried = rows[start - 1].get("level2")
            group = rows[start:end]
            own = next((r.get("level2") for r in group if r.get("level2") not in (None, carried)), None)
            for row in group:
                if row.get("level2") != carried or carried is None or not row.get("_from_lines"):
                    break
                row["level2"] = own
        start = end


def _mend_brackets(row: dict) -> None:
    """A closing bracket that a narrow merged cell pushed into the next column
    (产出指标（50分 | ）时效指标) goes back to the label it closes."""
    for left, right in (("level1", "level2"), ("level2", "level3"), ("level2", "name")):
        a, b = row.get(left), row.get(right)
        if isinstance(b, str) and b[:1] in ")）":
            row[right] = b[1:] or None
            if isinstance(a, str) and a.count("(") > a.count(")"):
                row[left] = a + ")"
    for col in ("level1", "level2"):
        v = row.get(col)
        if isinstance(v, str) and v.count("(") > v.count(")"):
            row[col] = v + ")"


def _is_cost(indicator: dict, target: nz.Measure) -> bool:
    """Cost indicators (成本指标, or a target in money) are ceilings, not floors."""
    return "成本" in (indicator.get("level2") or "") or (target.unit or "").startswith(("元", "万元", "亿元"))


def _one_per(rows: list[dict], key: str, clean: re.Pattern | None = None) -> list[dict]:
    """Rows naming the same thing are one row: later mentions fill what is missing.

    Values that disagree are kept on the first row's `_conflicts` for the checks.
    """
    merged: dict[str, dict] = {}
    order: list[str] = []
    for row in rows:
        if clean is not None and row.get(key):
            row[key] = clean.sub("", row[key]) or row[key]
        k = (row.get(key), row.get("source")) if row.get(key) is not None else None
        if k is None:
            order.append(id(row))
            merged[id(row)] = row
            continue
        if k not in merged:
            merged[k] = row
            order.append(k)
            continue
        first = merged[k]
        for col, value in row.items():
            if col in ("page", "source") or value is None:
                continue
            if first.get(col) is None:
                first[col] = value
            elif first[col] != value:
                first.setdefault("_conflicts", []).append((col, first[col], value, row["page"]))
    return [merged[k] for k in order]
