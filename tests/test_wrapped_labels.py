"""Form labels a narrow cell wrapped (项目名 / 称, 主管部 / 门), as text.

A project self-evaluation form whose label column is narrow prints 项目名称 over two
lines.  A tool that prints in drawing order (`pdftotext -raw`, pypdfium2) gives the two
pieces and then the value (项目名 / 称 / 特种设备安全监察专项资金); one that orders lines by
height (pdfplumber) puts the centred value between them (项目名 / 特种设备… / 称).  Either
way the form's name, its department and the fund lines and indicators under it are read.

The texts are what those tools made of a generated form (tests/variants, seed 1, the
reportlab renderer with 金额单位：千元); the expected rows are the generator's own (its
truth file, kept beside each text)."""
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.model import Line
from extractor.recognize.text import labels_rejoined
from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "wrapped_labels"
TEXTS = sorted(p.name for p in DATA.glob("*.txt"))


def _money(v):
    return None if v is None else Decimal(str(v))


@pytest.mark.parametrize("name", TEXTS)
def test_a_form_with_wrapped_labels_is_read_under_its_name(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    doc = result["documents"][0]
    assert doc["kind"] == "project_selfeval"
    assert doc["department"] == truth["documents"]["department"]
    got = [(p["name"], _money(p.get("budget")), _money(p.get("actual")), p.get("score"), p.get("grade"), p["page"])
           for p in result["projects"]]
    want = [(p["name"], _money(p.get("budget")), _money(p.get("actual")), p.get("score"), p.get("grade"), p["page"])
            for p in truth["projects"]]
    assert got == want
    got = sorted((b["project"], b["fund_source"], _money(b.get("initial")), _money(b.get("adjusted")), _money(b.get("actual")))
                 for b in result["budget"])
    want = sorted((b["project"], b["fund_source"], _money(b.get("initial")), _money(b.get("adjusted")), _money(b.get("actual")))
                  for b in truth["budget"])
    assert got == want
    # every indicator read is under a form of the document, none under no name
    names = {p["name"] for p in truth["projects"]}
    assert result["indicators"] and {i["project"] for i in result["indicators"]} <= names
    # and each under its own form (the 分值 of a form's lines are the form's); where a line
    # was not read, the document says so
    read = sorted((i["project"], i.get("weight")) for i in result["indicators"])
    want = sorted((i["project"], i["weight"]) for i in truth["indicators"])
    if read != want:
        assert doc["status"] == "partial" and "not read" in doc["error"], doc
    assert not [c for c in result["checks"] if c["status"] == "fail"]


def _texts(*texts, page=1):
    return [ln.text for ln in labels_rejoined([Line(t, page) for t in texts])]


def test_the_pieces_and_the_value_make_one_line_in_either_order():
    assert _texts("项目名", "称", "特种设备安全监察专项资金", "主管部", "门", "长沙市市场监督管理局 实施单位 某中心") == \
        ["项目名称 特种设备安全监察专项资金", "主管部门 长沙市市场监督管理局 实施单位 某中心"]
    assert _texts("项目名", "特种设备安全监察专项资金", "称", "主管部", "长沙市市场监督管理局 实施单位 某中心", "门") == \
        ["项目名称 特种设备安全监察专项资金", "主管部门 长沙市市场监督管理局 实施单位 某中心"]
    # the rest of the label's line stays on it
    assert _texts("项目名", "称 特种设备安全监察专项资金") == ["项目名称 特种设备安全监察专项资金"]


def test_header_cells_wrapped_in_a_header_printed_a_cell_per_line_are_whole_again():
    """PyMuPDF prints a Writer form's header a cell per line, a narrow cell's label over
    two or three lines (一级指 / 标, 未完成原因分 / 析, 任务涉及 / 资金（万 / 元）): each is
    its column's label again (in NFKC, as every header cell is matched).  A 一级 level
    wrapped in the body (产出指 / 标) is left in pieces: where it wraps tells the rows its
    merged cell spans."""
    assert _texts("绩效指标", "一级指", "标", "二级指标", "三级指标", "年度指标值", "完成值", "分值", "得分",
                  "未完成原因分", "析", "产出指", "标", "质量指标", "免费开放率") == \
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "完成值", "分值", "得分", "未完成原因分析",
         "产出指", "标", "质量指标", "免费开放率"]
    assert _texts("任务", "年初预期目标", "完成情况", "任务涉及", "资金（万", "元）", "指标名称", "指标内容",
                  "年度指标", "值", "实际完", "成值", "任务1") == \
        ["任务", "年初预期目标", "完成情况", "任务涉及资金(万元)", "指标名称", "指标内容", "年度指标值",
         "实际完成值", "任务1"]


def test_other_lines_are_left_as_printed():
    # header pieces beside a header printed a row per line (pdftotext -raw: 一级指 / 标 /
    # 二级指标 三级指标 …) are placed by the text-table reader among that line's cells
    kept = ("绩效指标", "一级指", "标", "二级指标 三级指标 年度指标值 完成值 分值 得分", "未完成原因分", "析", "产出指")
    assert _texts(*kept) == list(kept)
    # a whole label, a label beside a column label, pieces on two pages
    assert _texts("项目名称", "特种设备安全监察专项资金") == ["项目名称", "特种设备安全监察专项资金"]
    assert _texts("项目名", "称", "自评分数") == ["项目名称"] + ["自评分数"]
    lines = [Line("项目名", 1), Line("称", 2), Line("特种设备安全监察专项资金", 2)]
    assert [ln.text for ln in labels_rejoined(lines)] == ["项目名", "称", "特种设备安全监察专项资金"]


def test_sub_column_labels_wrapped_under_a_money_column_are_whole_again():
    """A 决算's task table splits 全年预算数 / 全年执行数 into 总额 / 财政拨款 / 其他资金; PyMuPDF
    prints that header a cell per line with the narrow 其他资金 over two (其他资 / 金), and
    the task rows under it were read without their task.  A fund line's label (the
    vocabulary's `fund_lines`) is a header cell like a column role."""
    assert _texts("全年预算数（千元）", "全年执行数（千元）", "分值", "总额", "财政拨款", "其他资", "金", "总额") == \
        ["全年预算数（千元）", "全年执行数（千元）", "分值", "总额", "财政拨款", "其他资金", "总额"]


def test_tasks_under_sub_columns_printed_a_cell_per_line(packs, tmp_path):
    name = "0003_final_accounts_reportlab.pymupdf.txt"
    truth, result = run_generated(Path(__file__).parent / "data" / "sub_columns", name, packs, tmp_path)
    fields = ("task", "budget", "actual", "exec_rate", "weight", "score", "page")
    got = [tuple(_money(r[f]) if f in ("budget", "actual") else r[f] for f in fields) for r in result["tasks"]]
    want = [tuple(_money(r[f]) if f in ("budget", "actual") else r[f] for f in fields) for r in truth["tasks"]]
    assert got == want
    assert result["documents"][0]["status"] == "ok", result["documents"][0]
    assert not [c for c in result["checks"] if c["status"] == "fail"]


def test_tasks_under_parents_whose_first_cell_wraps_over_the_header(packs, tmp_path):
    """pdfplumber text of a Writer 部门整体支出绩效自评表: the header's first cell wraps
    around its three lines (任务名 全年预算数 全年执行数 / 主要内容 完成情况 … / 称 总额 财政拨款
    其他资金 总额 …), so the children under each parent come after a piece of another cell.
    Every task's figures are read under their parents.  (Names wrapped over three lines or
    more beside the page's vertical label are not all put together yet: the rows' figures
    are checked, their names compared as far as they are read.)"""
    name = "0055_final_accounts_writer.pdfplumber.txt"
    truth, result = run_generated(Path(__file__).parent / "data" / "sub_columns", name, packs, tmp_path)
    fields = ("budget", "actual", "exec_rate", "weight", "score", "page")
    got = [tuple(_money(r[f]) if f in ("budget", "actual") else r[f] for f in fields) for r in result["tasks"]]
    want = [tuple(_money(r[f]) if f in ("budget", "actual") else r[f] for f in fields) for r in truth["tasks"]]
    assert got == want and len(want) >= 3
    assert [r.get("budget_fiscal") is not None for r in result["tasks"]] == [True] * len(want)
