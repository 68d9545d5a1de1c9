"""A report's task table printed by Writer without ruling lines, one task's row split by
the page break: its cells print their text from the top of their part on the first page
(任务 3 beside the first line of its rows, not in their middle) and go on at the top of the
next page (度，预警支出进 / 度慢的项目。) above the next task's rows.  The split task keeps
its own indicators and its own money (2,384.17), and the next task on the next page only
its own rows.

The document is generated (tests/variants, seed 2); the truth beside it is the
generator's own."""
from decimal import Decimal
from pathlib import Path

from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "split_task_cells"


def test_a_task_split_by_the_page_break_keeps_its_rows_and_money(packs, tmp_path):
    truth, result = run_generated(DATA, "0092_dept_report_writer.pdf", packs, tmp_path)
    assert [r["task"] for r in truth["tasks"]] == ["任务1", "任务2", "任务3", "任务4", "任务5"]
    assert [(r["task"], r["budget"]) for r in result["tasks"]] == \
        [(r["task"], Decimal(r["budget"])) for r in truth["tasks"]]
    assert [(r["task"], r["name"]) for r in result["indicators"]] == \
        [(r["task"], r["name"]) for r in truth["indicators"]]
    assert "任务3" not in (result["documents"][0]["error"] or "")
