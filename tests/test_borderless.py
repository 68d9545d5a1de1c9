"""Tables printed without a grid, read by word positions (issue 9): generated documents
rendered with reportlab (no LibreOffice needed), scored against the generator's rows.

- seed 1, no. 0: a dept_report whose tasks × indicators table has rules between tasks only;
  a task's 任务内容 / 完成情况 / 资金 are merged over its indicator rows, vertically centred, and
  indicator cells wrap (≥372批 / 次 beside a centred 383批次).
- seed 1, no. 49: a dept_scoring table with no lines at all and merged 一级/二级 cells.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractor.packs import load_packs
from extractor.batch.pipeline import process_file
from tests.variants import score as S
from tests.variants.build import build
from tests.variants.truth import render

PACKS = load_packs()


def _read(tmp_path, index, seed=1):
    doc = build(index, seed)
    assert doc.renderer == "reportlab"
    pdf = render(doc, tmp_path / f"{doc.name}.pdf")
    out = process_file(pdf, PACKS)
    rows = {t: [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()} for r in out[t]]
            for t in S.TABLES}
    return doc, out, rows


def _same(table, truth, row, fields):
    return all(S.equal(table, f, truth.get(f), row.get(f)) or (truth.get(f) is None and row.get(f) is None)
               for f in fields)


def test_merged_task_cells_over_wrapped_indicator_rows(tmp_path):
    doc, out, rows = _read(tmp_path, 0)
    assert doc.family == "dept_report" and doc.style["borders"] == "rules" and doc.style["merge"]
    assert out["documents"][0]["status"] == "ok"
    # every task, with its whole 任务内容 and 完成情况 (merged cells over 2–5 indicator rows)
    tasks = {r["task"]: r for r in rows["tasks"]}
    for t in doc.rows["tasks"]:
        assert _same("tasks", t, tasks[t["task"]], ("task", "content", "completion", "budget")), t["task"]
    # indicator rows: one per indicator (a target wrapped over two lines is one row), under its task
    matched, missing, extra = S.match("indicators", doc.rows["indicators"], rows["indicators"])
    assert not extra
    good = [t for t, o in matched if _same("indicators", t, o, ("task", "name", "target_text", "actual_text"))]
    # one target overflows its narrow cell into the next (不低于80%83%): still two cells
    assert len(good) == len(doc.rows["indicators"]) == 10


def test_a_scoring_table_without_any_lines(tmp_path):
    doc, out, rows = _read(tmp_path, 49)
    assert doc.family == "dept_scoring" and doc.style["borders"] == "none"
    assert out["documents"][0]["status"] == "ok"
    want = [(r["level1"], r["level2"], r["level3"], r["weight"], r["score"]) for r in doc.rows["scores"]]
    got = [(r["level1"], r["level2"], r["level3"], r["weight"], r["score"]) for r in rows["scores"]]
    assert got == want


def test_a_ruled_table_that_ends_early_on_its_page_goes_on_over_the_page(tmp_path):
    """seed 1, no. 25: a ruled scoring table whose next row was too tall for page 1 stops
    well above the foot of the page and goes on at the top of page 2 without its header;
    nothing else stands between: one table, all its lines."""
    doc, out, rows = _read(tmp_path, 25)
    assert doc.family == "dept_scoring" and doc.style["borders"] == "grid" and not doc.style["repeat_header"]
    want = [(r["level1"], r["level2"], r["level3"], r["weight"], r["score"]) for r in doc.rows["scores"]]
    got = [(r["level1"], r["level2"], r["level3"], r["weight"], r["score"]) for r in rows["scores"]]
    assert len(want) == 15 and got == want
    assert {r["page"] for r in rows["scores"]} == {1, 2}
    assert out["documents"][0]["total_score"] == doc.documents["total_score"]
