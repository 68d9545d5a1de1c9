"""A total the document gets wrong is found, even in text, when the lines read show
that none of them was lost.

- A 决算's task table copied from its web page, a cell per line, its header over two
  rows (全年预算数 / 全年执行数 over 总额 | 财政拨款 | 其他资金): every task is read with
  its six money figures, 分值, 执行率 and 得分.
- Its 合计 prints a 全年预算数 总额 1.00 元 above the tasks' sum (the generator planted
  it), while the 财政拨款, 其他资金 and 全年执行数 columns of the same lines add up: no line
  was lost, so task.total fails on that column instead of blaming the reader.
- A project form whose indicator 分值 make its full marks but whose 得分 miss the
  printed 总分 (planted): score.total fails; the shortfall is not put down to a lost line.

The documents are generated (tests/variants, seed 1); the truth files beside them are the
generator's own figures and the errors it planted."""
from decimal import Decimal
from pathlib import Path

import pytest

from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "planted"


def test_a_two_row_header_printed_a_cell_per_line_reads_every_task(packs, tmp_path):
    truth, result = run_generated(DATA, "0079_final_accounts_writer.web.txt", packs, tmp_path)

    def row(r):
        return (r["task"], r.get("content"), Decimal(str(r["budget"])), Decimal(str(r["actual"])),
                r.get("exec_rate"), r.get("weight"), r.get("score"))
    assert len(truth["tasks"]) == 7
    assert [row(r) for r in result["tasks"]] == [row(r) for r in truth["tasks"]]
    # the children of each parent are read into their own columns (总额 = 财政拨款 + 其他资金)
    assert all(Decimal(str(r[f])) == Decimal(str(r[f + "_fiscal"])) + Decimal(str(r[f + "_other"]))
               for r in result["tasks"] for f in ("budget", "actual"))


def test_a_planted_task_total_is_found_when_the_other_columns_add_up(packs, tmp_path):
    truth, result = run_generated(DATA, "0079_final_accounts_writer.web.txt", packs, tmp_path)
    assert [p["checks"][0] for p in truth["planted"]] == ["task.total"]
    totals = {c["message"].split(" ")[2]: c for c in result["checks"] if c["check"] == "task.total"}
    assert totals["budget"]["status"] == "fail"
    assert all(totals[col]["status"] == "pass" for col in ("budget_fiscal", "budget_other", "actual"))
    assert "add up to" not in (result["documents"][0]["error"] or "")  # no line said lost


def test_a_planted_form_total_is_found_when_the_weights_make_full_marks(packs, tmp_path):
    truth, result = run_generated(DATA, "0126_project_selfeval_writer.pdf", packs, tmp_path)
    [planted] = truth["planted"]
    assert planted["checks"] == ["score.total"] and planted["what"] == "2022年职业技能培训 总分"
    got = {c["subject"]: c for c in result["checks"] if c["check"] == "score.total"}
    assert got["2022年职业技能培训 总分分值"]["status"] == "pass"
    assert got["2022年职业技能培训 总分得分"]["status"] == "fail"
    others = [c for s, c in got.items() if not s.startswith("2022年职业技能培训")]
    assert others and all(c["status"] == "pass" for c in others)


def _task_table(result):
    return [(r["task"], Decimal(str(r["budget"]))) for r in result["tasks"]]


@pytest.mark.parametrize("name", ["0108_dept_report_writer.pdftotext_raw.txt", "0108_dept_report_writer.pypdfium2.txt"])
def test_a_task_table_over_a_page_break_in_content_order_text_is_checked(name, packs, tmp_path):
    """A Writer report's task table as text in drawing order (pdftotext -raw, pypdfium2):
    the last task's money printed on the line of an indicator whose target is a year
    (27,027.05 完成时间 反映完成时间 2021 年 2021 年), then the header again at the top of
    the next page.  Every task keeps its money, the header is no indicator, and the
    tasks' 合计 — planted 10.00 千元 above their sum — fails (as a warning: figures read from
    text), since the report's own numbered account of its tasks says none was lost."""
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert [p["checks"] for p in truth["planted"]] == [["task.total"]]
    assert _task_table(result) == [(r["task"], Decimal(r["budget"])) for r in truth["tasks"]]
    names = [(r["task"], r["name"]) for r in result["indicators"]]
    assert names == [(r["task"], r["name"]) for r in truth["indicators"]]
    [total] = [c for c in result["checks"] if c["check"] == "task.total"]
    assert (total["status"], total["severity"]) == ("fail", "warning")
    added = sum(Decimal(r["budget"]) for r in truth["tasks"]) / 10000  # 元 -> 万元
    assert Decimal(total["expected"].removesuffix("万元")) == added
    assert Decimal(total["reported"].removesuffix("万元")) == added + 1  # 54,888.71 printed for 54,878.71 千元
