"""A 决算's task table as pypdfium2 prints it: cells in drawing order, but the lines of
cells that stand at one height on one line — a row's first cells (教育支出 保障教育工作正常开
/ 展。, or 其他支出 保障其他方面支出。 基本任 when all three fit), or two cells' last lines
before the row's figures (正常开展。 任务完成 14702.77 …).  Every task is read with its
text cells and its nine figures.

The documents are generated (tests/variants, seed 1: a ReportLab and a Writer
rendering); the truth beside them is the generator's own."""
from decimal import Decimal
from pathlib import Path

import pytest

from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "cells_at_one_height"


def _task(r):
    return (r["task"], r["content"], r["completion"], Decimal(str(r["budget"])), Decimal(str(r["actual"])),
            r["weight"], r["exec_rate"], r["score"])


@pytest.mark.parametrize("name", ["0179_final_accounts_reportlab.pypdfium2.txt",
                                  "0055_final_accounts_writer.pypdfium2.txt"])
def test_every_task_is_read_where_cells_share_a_line(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert len(truth["tasks"]) >= 3
    assert [_task(r) for r in result["tasks"]] == [_task(r) for r in truth["tasks"]]
    # the figures between: 总额 = 财政拨款 + 其他资金, for the budget and the spending alike
    assert all(r[f] == r[f + "_fiscal"] + r[f + "_other"] for r in result["tasks"] for f in ("budget", "actual"))
    assert "tasks" not in (result["documents"][0]["error"] or "")
