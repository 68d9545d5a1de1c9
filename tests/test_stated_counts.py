"""Indicators a document says it has, against the indicators read.

A dept_report states its indicators (共设置了6个关键指标; 1.监督检查任务：本任务设置绩效目标2个).
Where none of them was read, or several tasks fall short of their counts, the tool missed
the table (a text tool scattered its cells): the document is `partial`, says how many it
was promised, and the indicator counts are not checked.  Where one task falls short and
every other task has just its count, the document contradicts itself: indicator.count
fails.

The texts are what pdftotext / PyMuPDF / `pdftotext -raw` made of generated reports
(tests/variants, seed 1); the expected figures are the generator's own (its truth file,
kept beside each text)."""
from pathlib import Path

import pytest

from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "stated_counts"


def _stated(truth, what):
    return next(c["count"] for c in truth["counts"] if c["what"] == what)


def test_no_indicator_read_of_those_stated_is_partial(packs, tmp_path):
    truth, result = run_generated(DATA, "0028_dept_report_writer.pdftotext.txt", packs, tmp_path)
    doc = result["documents"][0]
    assert len(truth["indicators"]) == 14 and not result["indicators"]  # the table this text scatters
    assert doc["status"] == "partial"
    assert f"states {_stated(truth, '关键指标')} 关键指标" in doc["error"]
    assert not [c for c in result["checks"] if c["check"] == "indicator.count" and c["status"] == "fail"]


def test_several_tasks_short_of_their_counts_is_the_tools_miss(packs, tmp_path):
    truth, result = run_generated(DATA, "0132_dept_report_writer.pymupdf.txt", packs, tmp_path)
    assert not truth["planted"]  # the document agrees with itself
    doc = result["documents"][0]
    by_task = {}
    for r in result["indicators"]:
        by_task[r["task"]] = by_task.get(r["task"], 0) + 1
    short = [k for k in range(1, 6) if by_task.get(f"任务{k}", 0) < _stated(truth, f"任务{k}的绩效目标")]
    assert len(short) > 1  # the rows this text scatters
    assert doc["status"] == "partial"
    assert "fewer read than the document states" in doc["error"]
    for k in short:
        assert f"任务{k} {by_task.get(f'任务{k}', 0)} of {_stated(truth, f'任务{k}的绩效目标')}" in doc["error"]
    assert not [c for c in result["checks"] if c["check"] == "indicator.count" and c["status"] == "fail"]


def test_a_task_table_printed_cell_by_cell_is_read_whole_and_its_count_mismatch_found(packs, tmp_path):
    """PyMuPDF prints a Writer task table a cell per line, its header cells wrapped
    (任务涉及 / 资金（万 / 元）, 年度指标 / 值): every indicator is read under its task, and
    the count the generator planted wrong (任务2: 3 stated, 2 printed) is the one that fails."""
    truth, result = run_generated(DATA, "0092_dept_report_writer.pymupdf.txt", packs, tmp_path)
    keys = ("task", "name", "target_text", "actual_text")
    assert [tuple(r[k] for k in keys) for r in result["indicators"]] == \
        [tuple(r[k] for k in keys) for r in truth["indicators"]]
    fails = [c for c in result["checks"] if c["check"] == "indicator.count" and c["status"] == "fail"]
    assert [p["subjects"] for p in truth["planted"]] == [["任务2"]]
    assert [c["subject"] for c in fails] == ["任务2的绩效目标"]


def test_one_task_short_while_the_rest_agree_is_the_documents_mismatch(packs, tmp_path):
    truth, result = run_generated(DATA, "0092_dept_report_writer.pdftotext_raw.txt", packs, tmp_path)
    assert [p["checks"] for p in truth["planted"]] == [["indicator.count"]]
    fails = [c for c in result["checks"] if c["check"] == "indicator.count" and c["status"] == "fail"]
    assert [c["subject"] for c in fails] == ["任务2的绩效目标"]
    assert fails[0]["reported"] == str(_stated(truth, "任务2的绩效目标")) or \
        float(fails[0]["reported"]) == _stated(truth, "任务2的绩效目标")
    assert len(result["indicators"]) == len(truth["indicators"])


@pytest.mark.parametrize("name", ["0032_dept_report_reportlab.pdf", "0036_dept_report_writer.pdftotext_layout.txt"])
def test_indicators_go_under_the_task_the_stated_counts_give(name, packs, tmp_path):
    """A merged 任务 cell placed a row off its group (a ReportLab grid whose merge was
    drawn as separate cells; Writer's `-layout` text with the label in the middle of its
    task's prose): the document's counts for each task, as many in all as the rows read,
    put each row under its task; the per-task count checks are then no evidence and are
    not run."""
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert [r["task"] for r in result["indicators"]] == [r["task"] for r in truth["indicators"]]
    per_task = [c for c in result["checks"] if c["check"] == "indicator.count" and "任务" in c["subject"]]
    assert per_task and all(c["status"] == "skipped" and "placed under their tasks" in c["message"]
                            for c in per_task)
    assert not [c for c in result["checks"] if c["status"] == "fail" and c["severity"] == "error"]


def test_a_form_whose_weights_fall_short_of_its_full_marks_is_partial(packs, tmp_path):
    """项目支出绩效自评表 as pypdfium2 text: some of each form's indicator lines are not
    read.  Each form's indicator 分值 and its fund line's make its 总分 (100); the forms
    short of it are named with the 分值 read, and the indicators' sums are not checked."""
    truth, result = run_generated(DATA, "0054_project_selfeval_writer.pypdfium2.txt", packs, tmp_path)
    doc = result["documents"][0]
    read, weight = {}, {}
    for r in result["indicators"]:
        read[r["project"]] = read.get(r["project"], 0) + 1
        weight[r["project"]] = weight.get(r["project"], 0) + r["weight"]
    printed = {}
    for r in truth["indicators"]:
        printed[r["project"]] = printed.get(r["project"], 0) + 1
    missed = [p["name"] for p in truth["projects"] if read.get(p["name"], 0) < printed[p["name"]]]
    assert missed  # the forms this text scatters
    assert doc["status"] == "partial"
    fund = {r["project"]: r["weight"] for r in result["budget"] if r["fund_source"] == "合计" and r.get("project")}
    for name in missed:  # the 分值 read: the fund line's and the indicators' read
        assert f"{name} {fund[name] + weight.get(name, 0):.1f} of 100" in doc["error"]
    assert not [c for c in result["checks"] if c["check"] == "score.total" and c["status"] == "fail"]


def test_one_task_short_in_text_is_said_and_still_checked(packs, tmp_path):
    """PyMuPDF glues a task's money to its first indicator's name (1616.63 资助学生人数), and
    that row is lost: 任务3 states 2 indicators, 1 is read.  One task short may be the
    document's own count as well as a missed line; read from text, the document says so
    (partial) and the count is still checked, as doubtful (0092: the generator planted the
    wrong count in 任务2, and it is found)."""
    truth, result = run_generated(DATA, "0180_dept_report_writer.pymupdf.txt", packs, tmp_path)
    assert not truth["planted"]
    doc = result["documents"][0]
    assert doc["status"] == "partial"
    assert "fewer read from the text than the document states (任务3 1 of 2)" in doc["error"]
    count = [c for c in result["checks"] if c["check"] == "indicator.count" and c["subject"] == "任务3的绩效目标"]
    assert [(c["status"], c["severity"]) for c in count] == [("fail", "warning")]
    truth, result = run_generated(DATA, "0092_dept_report_writer.web.txt", packs, tmp_path)
    assert [p["subjects"] for p in truth["planted"]] == [["任务2"]]
    assert [r["name"] for r in result["indicators"]] == [r["name"] for r in truth["indicators"]]
    assert "(任务2 2 of 3)" in result["documents"][0]["error"]
    assert [c for c in result["checks"] if c["check"] == "indicator.count" and c["status"] == "fail"
            and "任务2" in c["subject"]]
