"""Task tables as text in content order: pypdfium2, `pdftotext -raw` and PyMuPDF print
each cell after the other, its lines wrapped in a narrow column (PyMuPDF: the header's
cells each on a line, a worded target glued to its actual: 有所提升有所提升).  A department report's
任务 × 关键指标 (任务1 / the 任务内容 lines / the 完成情况 lines / the task's money / per
indicator: name, content lines, the target wrapped as ≥372批 / 次, the actual); a 决算's
部门整体支出绩效自评表 (住房保障 / 支出 / 保障住房保障工作正 / 常开展。 / 基本任 / 务完成
204561.30 … 3.5: the figures on the completion's last line).

The texts are what those tools made of generated reports (tests/variants, seed 1:
documents 0, 3, 4 and 7); the expected rows are the generator's own (its truth file,
kept beside each text)."""
import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.batch.pipeline import process_file
from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "content_order"
TEXTS = sorted(p.name for p in DATA.glob("0*dept_report*.txt"))  # wrapped_…: its own test below
FINAL_ACCOUNTS = sorted(p.name for p in DATA.glob("*final_accounts*.txt"))


def _key(text):
    """Text compared without layout spaces, full-width commas as the normaliser writes them."""
    return "".join(str(text or "").split()).replace("，", ",")


@pytest.mark.parametrize("name", TEXTS)
def test_tasks_and_their_indicators_in_content_order(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    tasks = [(t["task"], t["budget"], _key(t["content"]), _key(t["completion"])) for t in result["tasks"]]
    want = [(t["task"], Decimal(t["budget"]), _key(t["content"]), _key(t["completion"])) for t in truth["tasks"]]
    assert tasks == want
    rows = [(r.get("task"), r["name"], _key(r.get("content")), r.get("target_text"), r.get("actual_text"))
            for r in result["indicators"]]
    want = [(r["task"], r["name"], _key(r["content"]), r["target_text"], r["actual_text"]) for r in truth["indicators"]]
    assert rows == want
    assert not [c for c in result["checks"] if c["status"] == "fail"]


TASK_FIGURES = ("budget", "actual", "exec_rate", "weight")


@pytest.mark.parametrize("name", FINAL_ACCOUNTS)
def test_a_final_accounts_task_table_in_content_order(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)

    def row(t, typed):
        figures = [(Decimal(str(t[f])) if typed and f in ("budget", "actual") else t.get(f)) for f in TASK_FIGURES]
        return (t["task"], _key(t["content"]), _key(t["completion"]), *figures)

    assert [row(t, False) for t in result["tasks"]] == [row(t, True) for t in truth["tasks"]]
    if "reportlab" in name:  # Writer's text leaves out the 得分 column's figures
        assert [t["score"] for t in result["tasks"]] == [t["score"] for t in truth["tasks"]]
    assert not [c for c in result["checks"] if c["status"] == "fail"]


WRAPPED = "wrapped_0008_dept_report_reportlab.pypdfium2.txt"


def test_figures_a_narrow_cell_wrapped(packs, tmp_path):
    """The same table (document 8) with figures broken by the column: the task's money
    over two lines (25,504,993.8 / 5), a percent sign on a line of its own (不少于95 /
    %), a target's number cut before its actual (不高于37 / 1人 322人: three measures where
    a target and an actual make two), and the tasks' 合计 with its money on its line
    (金额合计 69,049,582.1 / 0)."""
    truth, result = run_generated(DATA, WRAPPED, packs, tmp_path)
    assert [(t["task"], t["budget"]) for t in result["tasks"]] == \
        [(t["task"], Decimal(t["budget"])) for t in truth["tasks"]]
    rows = [(r["task"], r["name"], r.get("target_text"), r.get("actual_text")) for r in result["indicators"]]
    want = [(r["task"], r["name"], r["target_text"], r["actual_text"]) for r in truth["indicators"]]
    assert rows == want


NAMELESS = Path(__file__).parent / "data" / "nameless" / "0130_project_selfeval_calc.pymupdf.txt"


def _budget_line(r):
    return r["project"], r["fund_source"], *(None if r.get(f) is None else Decimal(str(r[f]))
                                             for f in ("initial", "adjusted", "actual"))


def test_a_form_name_printed_after_the_form_is_its_name(packs, tmp_path):
    """PyMuPDF prints two of document 130's six 项目名称 cells with no name after them
    (项目名称 / 主管部门): Calc drew those long names last, and they come after the form's
    绩效等级 line (… 绩效等级 / A / 2022年度 / 2022年学前教育生均公用经费项目资金).  They name
    their forms: every fund line and every project is read, under its own name."""
    truth, result = run_generated(NAMELESS.parent, NAMELESS.name, packs, tmp_path)
    doc = result["documents"][0]
    assert doc["status"] == "ok", doc
    assert [_budget_line(r) for r in result["budget"]] == [_budget_line(r) for r in truth["budget"]]
    assert [r["name"] for r in result["projects"]] == list(dict.fromkeys(r["project"] for r in truth["budget"]))


def test_fund_lines_under_a_name_printed_out_of_reach_are_said_not_guessed(packs, tmp_path):
    """The same text without those two names (a tool that lost them): the two forms' fund
    lines are no project's — not 主管部门's, not the form's above, not a wrapped header
    part after the form (偏差原因分析及改进措) — so they are left out, the document says
    which pages it could not place, and the two forms give no project row."""
    truth = json.loads((NAMELESS.parent / f"{NAMELESS.name}.truth.json").read_text(encoding="utf-8"))
    lost = {r["project"] for r in truth["budget"] if r["page"] in (3, 4)}
    text = NAMELESS.read_text(encoding="utf-8")
    assert all(f"\n{name}\n" in text for name in lost)
    path = tmp_path / NAMELESS.name
    path.write_text("\n".join(ln for ln in text.split("\n") if ln not in lost), encoding="utf-8")
    result = process_file(path, packs)
    doc = result["documents"][0]
    assert doc["status"] == "partial"
    assert "项目资金 fund lines: 8 lines under a project whose name was not read, not kept (p.3, 4)" in doc["error"]
    placed = [r for r in truth["budget"] if r["page"] not in (3, 4)]
    assert [_budget_line(r) for r in result["budget"]] == [_budget_line(r) for r in placed]
    # nor is a project row named by the next label (主管部门): the forms are said, not named
    assert "2 form(s) whose name was not read beside its label (p.3, 4)" in doc["error"]
    assert [r["name"] for r in result["projects"]] == list(dict.fromkeys(r["project"] for r in placed))
