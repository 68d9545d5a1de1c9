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
