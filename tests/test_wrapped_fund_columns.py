"""A 决算's task table whose 全年预算数 / 全年执行数 split into 总额 | 财政拨款 | 其他资金,
其他资金 wrapped in its narrow cell (其他资 / 金, a line of 总额 财政拨款 between), down the
left edge the form's label a character a line (年 / 度 / 主 / 要 / 任 / 务 …) or, where
the cell is wider, a few (年度主 / 要任务 / 完成情 / 况):

- 其他资 / 金 is the 其他资金 child of each parent, so every task has its six money
  figures (总额 = 财政拨款 + 其他资金) and the 合计 line is read and checked;
- in `pdftotext -layout` text the label's characters are no part of the task names
  (灾害防治及应急管理支出, not 灾害防治年及应急管度理支出);
- where laid-out text prints 分值 and 执行率 one space apart (2 100.00%) and leaves no
  gutter between their columns, they are two cells (2 | 100.00%), not 2100.00%; where
  it shifts a right-aligned 分值 by a character (1.5 over 4), the 4 is still the 分值.

The documents are generated (tests/variants, seed 1, ReportLab and Writer); the truth beside them
is the generator's own."""
from decimal import Decimal
from pathlib import Path

import pytest

from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "wrapped_fund_columns"


def _task(r):
    return (r["task"], r["content"], r["completion"], Decimal(str(r["budget"])), Decimal(str(r["actual"])),
            r["weight"], r["exec_rate"], r["score"])


@pytest.mark.parametrize("name", ["0019_final_accounts_reportlab.pdf",
                                  "0019_final_accounts_reportlab.pdftotext_layout.txt",
                                  "0099_final_accounts_reportlab.pdftotext_layout.txt",
                                  "0055_final_accounts_writer.pdftotext_layout.txt"])
def test_every_task_keeps_its_figures_under_a_wrapped_fund_column(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert not truth["planted"] and len(truth["tasks"]) >= 3
    assert [_task(r) for r in result["tasks"]] == [_task(r) for r in truth["tasks"]]
    assert all(r[f] == r[f + "_fiscal"] + r[f + "_other"] for r in result["tasks"] for f in ("budget", "actual"))
    totals = {c["subject"]: c["status"] for c in result["checks"] if c["check"] == "task.total"}
    assert totals["金额合计 budget_other"] == totals["金额合计 actual_other"] == "pass"
    assert "tasks" not in (result["documents"][0]["error"] or "")


@pytest.mark.parametrize("name", ["0054_project_selfeval_writer.pdf", "0054_project_selfeval_writer.pdfplumber.txt"])
def test_a_fund_line_whose_label_wraps_around_its_figures_is_read(name, packs, tmp_path):
    """A borderless Writer project form: 上年结余结转资 / 金 wraps around its line's figures,
    which are drawn against the empty cells beside them (1.28—, 96.24%—).  No line holds
    the whole label, so the line parser misses the row; the header-driven reading has it,
    named by the vocabulary, and it is put in where it stands.  Before, the form's fund
    lines lacked it and the document said `ok`."""
    truth, result = run_generated(DATA, name, packs, tmp_path)
    fields = ("project", "fund_source", "initial", "adjusted", "actual", "exec_rate")

    def rows(rs):
        return [tuple(Decimal(str(r[f])) if f in ("initial", "adjusted", "actual") and r.get(f) is not None
                      else r.get(f) for f in fields) for r in rs if r["project"] == "水利工程维修养护经费"]
    assert rows(result["budget"]) == rows(truth["budget"])
    assert ("水利工程维修养护经费", "上年结余结转资金") in {(r["project"], r["fund_source"]) for r in result["budget"]}
