"""Project self-evaluation tables that arrive as extracted text (pdfplumber's
extract_text of the PDFs, made here): the text twins of the grid sections read them.
Expected values come from the golden files written by reading the PDFs."""
import json
from decimal import Decimal

import pdfplumber
import pytest

from extractor.batch.pipeline import process_file
from golden_compare import diff_rows
from conftest import GOLDEN, SAMPLES, SHARED

PROJECT_COLUMNS = ("name", "budget", "actual", "exec_rate", "score", "max_score", "grade", "source")


def as_text(pdf_path, out_path):
    with pdfplumber.open(pdf_path) as pdf:
        out_path.write_text("\f".join(page.extract_text() or "" for page in pdf.pages), encoding="utf-8")
    return out_path


def pick(rows, columns):
    return [{c: r.get(c) for c in columns if c in r} for r in rows]


@pytest.mark.parametrize("pdf, golden_name", [
    (SAMPLES / "2022_sample_project_selfeval.pdf", "2022_sample_project_selfeval"),
    (SHARED / "real" / "xian_wjw_2022_final_accounts_excerpt.pdf", "xian_wjw_2022_final_accounts_excerpt"),
])
def test_project_tables_as_text(pdf, golden_name, packs, tmp_path):
    golden = json.loads((GOLDEN / "real" / f"{golden_name}.json").read_text(encoding="utf-8"))
    result = process_file(as_text(pdf, tmp_path / f"{golden_name}.txt"), packs)
    doc = result["documents"][0]
    assert doc["status"] == "ok", doc
    if golden_name.startswith("2022_sample"):
        # merged 一级/二级 cells centred on their lines, the 满意度 line's 二级 wrapped around
        # it (服务对象满意度 / 满意度指标 群众满意度 … / 指标): every line under the PDF's labels
        def levels(r):
            return r.get("level1"), r.get("level2"), r.get("name"), r.get("target_text"), r.get("actual_text")

        assert [levels(r) for r in result["indicators"]] == [levels(r) for r in golden["indicators"]]
    if golden_name.startswith("xian"):
        # The department's task table (a header over two rows: 全年预算数 / 全年执行数 over
        # 总额 财政拨款 其他资金, 17 tasks whose names and contents wrap): every task's figures
        # as the PDF prints them; most names whole (a name wrapped around its row's line is
        # not always put back together; 主要内容 mostly not).
        figures = ("budget", "budget_fiscal", "budget_other", "actual", "actual_fiscal", "actual_other",
                   "weight", "exec_rate", "score", "completion")
        want = [[str(t.get(c)) for c in figures] for t in golden["tasks"]]
        got = [[str(t.get(c)) for c in figures] for t in result["tasks"]]
        assert got == want
        names = sum(a["task"] == b["task"] for a, b in zip(golden["tasks"], result["tasks"]))
        assert len(golden["tasks"]) == 17 and names >= 10, names
        # The 63 indicator lines of the department and its six projects: their 一级 / 二级
        # labels are merged cells wrapped in narrow columns (数量 / 指标 above and below the
        # row's line, 满意度 / 指标 / （10分）, 绩 / 效 / 指 / 标 down the side), put back
        # together from the vocabulary; measured when written: 62 of 63 lines with the PDF's
        # project, 一级, 二级, 分值 and 得分 (the one left carries the 二级 of the line above),
        # 42 whole.
        def levels(r):
            return r.get("project"), r.get("level1"), r.get("level2"), r.get("weight"), r.get("score")

        assert len(result["indicators"]) == len(golden["indicators"]) == 63
        same = sum(levels(a) == levels(b) for a, b in zip(golden["indicators"], result["indicators"]))
        assert same >= 62, same
    table_projects = [p for p in golden["projects"] if p["source"] == "table"]
    problems, _ = diff_rows("projects", pick(table_projects, PROJECT_COLUMNS),
                            [p for p in result["projects"] if p["source"] == "table"])
    assert not problems, problems
    project_lines = [b for b in golden["budget"] if b.get("project")]
    problems, _ = diff_rows("budget", pick(project_lines, ("project", "fund_source", "initial", "adjusted", "actual",
                                                           "exec_rate", "source")),
                            [b for b in result["budget"] if b.get("project")])
    assert not problems, problems
    # No arithmetic is claimed broken that holds in the PDF (a shortfall of indicator
    # lines read from text, or a 合计 within the rounding of its addends, is a warning).
    assert not [c for c in result["checks"] if c["status"] == "fail" and c["severity"] == "error"]


def test_sample_indicators_as_text(packs, tmp_path):
    golden = json.loads((GOLDEN / "real" / "2022_sample_project_selfeval.json").read_text(encoding="utf-8"))
    result = process_file(as_text(SAMPLES / "2022_sample_project_selfeval.pdf", tmp_path / "s.txt"), packs)
    columns = ("project", "name", "target_text", "actual_text", "weight", "score", "achieved")
    problems, _ = diff_rows("indicators", pick(golden["indicators"], columns), result["indicators"])
    assert not problems, problems
    doc = result["documents"][0]
    assert (doc["kind"], doc["total_score"], doc["grade"]) == ("project_selfeval", 98.8, "优")


# A project's 绩效指标 as PyMuPDF and PDFium give a table drawn cell by cell: every cell
# whole and in order, a cell wider than its column wrapped over the next lines (垃圾分类覆 /
# 盖率, ≤1500 / 元, a remark over two lines), two labels printed without a space between
# (产出指标（45分）质量指标). Written by hand in that shape; the rows are the ones it prints.
CELL_STREAM = """绩效指标
一级指标
二级指标
三级指标
指标值
实际完成值
权重
自评得分
偏差原因分析及改进措施
产出指标（45分）质量指标
验收通过率
≥98%
100%
20
20
免费开放率
100%
96%
15
12 受客观因素影响，未完全达
到目标，下一步加强督导。
成本指标
人均培训成本
≤1500
元
1450元
10
10
效益指标（35分）生态效益指标
垃圾分类覆
盖率
≥90%
90%
35
35
总分
80
77
"""


def test_cell_stream_with_wrapped_cells(packs, tmp_path):
    from extractor.readers import read_document
    from extractor.recognize.texttable import parse_text_table

    path = tmp_path / "indicators.pymupdf.txt"
    path.write_text(CELL_STREAM, encoding="utf-8")
    section = next(s for p in packs if p.name == "project_selfeval" for s in p.sections
                   if s.get("table") == "indicators")
    result = parse_text_table(section["grid"], section["table"], read_document(path).lines())
    rows = [{k: r.get(k) for k in ("level1", "level2", "name", "target_text", "actual_text", "weight", "score")}
            for r in result.records if not r.get("_total")]
    assert rows == [
        {"level1": "产出指标(45分)", "level2": "质量指标", "name": "验收通过率", "target_text": "≥98%",
         "actual_text": "100%", "weight": "20", "score": "20"},
        {"level1": "产出指标(45分)", "level2": "质量指标", "name": "免费开放率", "target_text": "100%",
         "actual_text": "96%", "weight": "15", "score": "12"},
        {"level1": "产出指标(45分)", "level2": "成本指标", "name": "人均培训成本", "target_text": "≤1500元",
         "actual_text": "1450元", "weight": "10", "score": "10"},
        {"level1": "效益指标(35分)", "level2": "生态效益指标", "name": "垃圾分类覆盖率", "target_text": "≥90%",
         "actual_text": "90%", "weight": "35", "score": "35"},
    ]


def test_labels_printed_without_a_space_are_split_by_the_vocabulary():
    from extractor.packs import vocab

    assert vocab.split_glued("分值执行率得分") == ("分值", "执行率", "得分")
    assert vocab.split_glued("产出指标（45分）质量指标") == ("产出指标（45分）", "质量指标")
    assert vocab.split_glued("满意度指标服务对象满意度指标") == ("满意度指标", "服务对象满意度指标")
    # a label of its own, or text that is not all labels, stays whole
    assert vocab.split_glued("社会效益指标") == ("社会效益指标",)
    assert vocab.split_glued("预算执行率") == ("预算执行率",)
    assert vocab.split_glued("数量指标质量") == ("数量指标质量",)


# A department's task table as pdfplumber gives it when its cells are centred vertically:
# each row's figures on a line of their own, the wrapped cells beside them split above and
# below it (住房保障 | 支出), a longer cell's first and last lines one further out (保障住房 |
# 出。). The lines are a generated document's twin (tests/variants); the values its rows.
STRADDLED = """（2022年度）
部门（单位）名称 中共泉州市思明区委宣传部
全年预算数（元） 全年执行数（元）
任务名称 主要内容 完成情况 分值 执行率 得分
总额 财政拨款 其他资金 总额 财政拨款 其他资金
保障住房
住房保障 保障相关 部分任务 94.77
93374673.23 93374673.23 0.00 88491177.82 88491177.82 0.00 1.5
支出 业务支 完成 %
出。
保障城乡
城乡社区 社区工作 100.00
任务完成 159980865.08 159980865.08 0.00 159980865.08 159980865.08 0.00 0.5
支出 正常开 %
展。
保障交通
交通运输 运输相关 87.66
任务完成 93528505.46 68880145.12 24648360.34 81991081.15 57342720.81 24648360.34 0.5
支出 业务支 %
出。
"""


def test_cells_wrapped_around_a_line_of_figures(packs, tmp_path):
    from extractor.readers import read_document
    from extractor.recognize.texttable import parse_text_table

    path = tmp_path / "tasks.pdfplumber.txt"
    path.write_text(STRADDLED, encoding="utf-8")
    section = next(s for p in packs if p.name == "final_accounts" for s in p.sections
                   if s.get("table") == "tasks" and "grid" in s)
    result = parse_text_table(section["grid"], section["table"], read_document(path).lines())
    rows = [{k: r.get(k) for k in ("task", "content", "completion", "budget", "actual", "exec_rate", "score")}
            for r in result.records if not r.get("_total")]
    assert rows == [
        {"task": "住房保障支出", "content": "保障住房保障相关业务支出。", "completion": "部分任务完成",
         "budget": "93374673.23", "actual": "88491177.82", "exec_rate": "94.77%", "score": "1.5"},
        {"task": "城乡社区支出", "content": "保障城乡社区工作正常开展。", "completion": "任务完成",
         "budget": "159980865.08", "actual": "159980865.08", "exec_rate": "100.00%", "score": "0.5"},
        {"task": "交通运输支出", "content": "保障交通运输相关业务支出。", "completion": "任务完成",
         "budget": "93528505.46", "actual": "81991081.15", "exec_rate": "87.66%", "score": "0.5"},
    ]


def test_a_second_level_listed_under_two_first_levels_has_no_single_parent():
    from extractor.packs import vocab

    # patterns/vocab/roles.yaml lists 预算执行 under 过程 and under 管理效率, 数量指标 under 产出指标
    assert vocab.only_parent("预算执行") is None
    assert vocab.only_parent("数量指标") == "产出指标"
    assert "预算执行" in vocab.level_children()["过程"] and "预算执行" in vocab.level_children()["管理效率"]


# A scoring table as pdfplumber gives it from a PDF whose cells are centred: a 三级指标 and a
# 评分细则 sentence each over two lines, split around the line of 分值 | 得分 | 评分依据; the
# 一级 and 二级 labels on the second row's line. The lines are a generated document's twin
# (tests/variants); the values its rows.
SCORING_STRADDLED = """一级指标 二级指标 三级指标 分值 自评得分 评分细则 评分依据
部门整体绩效目标产出指标完成 按规定时限公开预决算信息的得满分，未按时公开的不得分
20 17.41 满意度调查问卷统计结果
情况 ，公开内容不完整的酌情扣分。
部门整体绩效目标效益指标完成 按完成率计分：完成率60%以下不得分；完成率为60%-100%
履职效能（50分） 整体效能 20 17.72 绩效目标申报表、自评表
情况 的，得分=完成率×本指标分值；完成率100%以上的得满分。
制度健全、执行有效的得满分；制度不健全的扣5分；未按制
部门预算资金支出率 10 10 绩效目标申报表、自评表
度执行的，每发现一例扣0.5分。
绩效目标与部门职责相符、指标清晰可衡量的得满分，否则
预算编制准确性 5 5 重点工作任务台账
视情况扣分。
"""


def test_scoring_lines_wrapped_around_their_figures(packs, tmp_path):
    from extractor.readers import read_document
    from extractor.recognize.texttable import parse_text_table

    path = tmp_path / "scores.pdfplumber.txt"
    path.write_text(SCORING_STRADDLED, encoding="utf-8")
    section = next(s for p in packs if p.name == "dept_scoring" for s in p.sections if s.get("table") == "scores")
    result = parse_text_table(section["grid"], section["table"], read_document(path).lines())
    rows = [(r.get("level1"), r.get("level2"), r.get("level3"), r.get("weight"), r.get("score"))
            for r in result.records if not r.get("_total")]
    assert rows[:3] == [
        ("履职效能(50分)", "整体效能", "部门整体绩效目标产出指标完成情况", "20", "17.41"),
        ("履职效能(50分)", "整体效能", "部门整体绩效目标效益指标完成情况", "20", "17.72"),
        ("履职效能(50分)", "整体效能", "部门预算资金支出率", "10", "10"),
    ]
    assert rows[3][2:] == ("预算编制准确性", "5", "5")  # its 一级 / 二级 are printed below the lines given


# pdfplumber's text of a generated 决算's 部门整体支出绩效自评表 (LibreOffice Writer, seed 1
# no. 63): 任务名称 wrapped in its narrow cell prints 任务 and 名称 on lines of their own,
# with the rest of the header between them.
WRAPPED_TASK_HEADER = """东莞市应急管理局部门整体支出绩效自评表
（2019年度）
部门（单位）名称 东莞市应急管理局
全年预算数（万元） 全年执行数（万元）
任务
主要内容 完成情况 其他资 其他资 分值 执行率 得分
名称 总额 财政拨款 总额 财政拨款
金 金
一般 保障一般
公共 公共服务 基本任务 100.00
14691.80 12797.51 1894.29 14691.80 12797.51 1894.29 0.5 0.5
服务 工作正常 完成 %
支出 开展。
保障卫生
卫生
健康相关 基本任务 100.00
健康 13590.52 13590.52 0.00 13590.52 13590.52 0.00 1 1
业务支 完成 %
支出
出。
98.95
金额合计 28282.32 26388.03 1894.29 28282.32 26388.03 1894.29 1.5 1.5
%
"""


def test_a_task_table_whose_header_wraps_its_first_cell_is_not_passed_over(packs, tmp_path):
    """The header's terms are there (任务 / 名称, 全年预算数, 全年执行数) though 任务名称 is
    not on one line: the table is found, and since its two task rows are not read from this
    text, the document says so instead of passing as complete."""
    path = tmp_path / "2019_final_accounts.pdfplumber.txt"
    path.write_text("2019年度部门决算\n" + WRAPPED_TASK_HEADER, encoding="utf-8")
    out = process_file(path, packs)
    doc = out["documents"][0]
    read = [t["task"] for t in out["tasks"]]
    if read != ["一般公共服务支出", "卫生健康支出"]:
        assert doc["status"] == "partial", (doc, read)
        assert "部门整体支出绩效自评表 tasks" in doc["error"], doc


# pdfplumber's text of a generated project form (LibreOffice Calc, seed 1 no. 22): a figure
# and the empty cell beside it come out without a space (1160.50—), and a fund line with
# no figures prints only its dashes (其他资金 — —).
PROJECT_FUND_LINES = """项目支出绩效自评表
（2022年度）
项目名称 文物保护修缮项目
主管部门 中共天津市和平区委宣传部 实施单位 中共天津市和平区委宣传部
年初预算 调整后预算数 全年执行数 分值 执行率 自评得分
年度资金总额 1538.57 1591.25 1165.15 10 73.22% 7.32
项目资金（万元） 其中：当年财政拨款 1538.57 1584.73 1160.50— 73.23%—
上年结余结转资金 0.00 6.52 4.65— 71.32%—
其他资金 — —
预期目标 实际完成情况
"""


def test_fund_lines_with_glued_and_blank_cells(packs, tmp_path):
    path = tmp_path / "project.pdfplumber.txt"
    path.write_text(PROJECT_FUND_LINES, encoding="utf-8")
    out = process_file(path, packs)
    rows = [(r["fund_source"], r.get("initial"), r.get("adjusted"), r.get("actual"), r.get("exec_rate"))
            for r in out["budget"] if r.get("project") == "文物保护修缮项目"]
    D = Decimal
    assert rows == [
        ("合计", D("15385700.00"), D("15912500.00"), D("11651500.00"), 0.7322),
        ("当年财政拨款", D("15385700.00"), D("15847300.00"), D("11605000.00"), 0.7323),
        ("上年结余结转资金", D("0.00"), D("65200.00"), D("46500.00"), 0.7132),
        ("其他资金", None, None, None, None),
    ]


# pypdfium2's text (content order) of a generated 部门整体支出绩效自评表 (LibreOffice Calc,
# seed 1 no. 9): the 二级 cells come before their rows, but the merged 一级 cells
# (部门决策（15分）…) are printed after the table, among the 评分标准 cells.
CONTENT_ORDER_SCORING = """部门整体支出绩效自评表
年度 2022
单位名称 重庆市人力资源和社会保障局
年度总目标
年度完成情况 严格执行预算管理制度，规范资金使用，按进度拨付资金，确保资金使用安全有效。
年度预算资金（万元） 年初预算数 调整后预算数 全年执行数 预算执行率
金额合计 11,296.35 12,260.77 11,210.05 91.43%
基本支出 5,507.39 5,892.91 5,379.64 91.29%
项目支出 5,788.96 6,367.86 5,830.41 91.56%
指标
分值 得分 评分标准及说明 评分依据
一级指标 二级指标 三级指标
目标设定
绩效目标合理性 5 5 部门决算报表
绩效指标明确性 5 5 绩效目标申报表、自评表
预算配置 在职人员控制率 5 5 绩效目标申报表、自评表
资金管理
预算执行率 5 4.62 满意度调查问卷统计结果
预算调整率 5 5
支付进度率 5 5 部门决算报表
预算管理
管理制度健全性 5 4.14 部门预算批复文件
资金使用合规性 5 5 部门预算批复文件
部门履职
重点工作实际完成率 20 20 部门预算批复文件
履职及时性 10 10 部门预算批复文件
履职效益
社会效益 15 15
服务对象满意度 15 15
总分 100 98.76
自评等级 优秀
根据年初设定的绩效目标，我单位认真组织开展绩效自评工作，对照指标逐项核实完成情况。部分项目前期准备不够充分，导致支出进度较慢，
今后将加强项目储备和前期论证。
部门决策（15分）
按规定时限公开预决算信息的得满分，未按时公开的不得
分，公开内容不完整的酌情扣分。
预算执行率=（实际支出/调整后预算）×100%。执行率达
到100%的得满分，每低1个百分点扣0.5分，扣完为止。
制度健全、执行有效的得满分；制度不健全的扣2.5分；未
按制度执行的，每发现一例扣0.5分。
部门管理（25分）
制度健全、执行有效的得满分；制度不健全的扣2.5分；未
按制度执行的，每发现一例扣0.5分。
预算执行率=（实际支出/调整后预算）×100%。执行率达
到100%的得满分，每低1个百分点扣0.5分，扣完为止。
财务管理制度及相关会计凭
证
按规定时限公开预决算信息的得满分，未按时公开的不得
分，公开内容不完整的酌情扣分。
按规定时限公开预决算信息的得满分，未按时公开的不得
分，公开内容不完整的酌情扣分。
绩效目标与部门职责相符、指标清晰可衡量的得满分，否
则视情况扣分。
部门绩效（60分）
预算执行率=（实际支出/调整后预算）×100%。执行率达
到100%的得满分，每低1个百分点扣2分，扣完为止。
按规定时限公开预决算信息的得满分，未按时公开的不得
分，公开内容不完整的酌情扣分。
预算执行率=（实际支出/调整后预算）×100%。执行率达
到100%的得满分，每低1个百分点扣1.5分，扣完为止。
财务管理制度及相关会计凭
证
绩效目标与部门职责相符、指标清晰可衡量的得满分，否
则视情况扣分。
财务管理制度及相关会计凭
证"""
# The generator's rows of that document (tests/variants/vocab.py SCORING_TEMPLATES[2]).
CONTENT_ORDER_LEVEL1 = ["部门决策"] * 3 + ["部门管理"] * 5 + ["部门绩效"] * 4


def test_first_levels_printed_apart_from_their_rows_are_placed_by_their_weights(packs, tmp_path):
    """Each 一级 label prints its weight; taken in order, the weights add up the 分值 of
    the rows in order (15 = 5+5+5, 25 = 5×5, 60 = 20+10+15+15): the rows get their 一级."""
    path = tmp_path / "0009_dept_scoring_calc.pypdfium2.txt"
    path.write_text(CONTENT_ORDER_SCORING, encoding="utf-8")
    result = process_file(path, packs)
    assert result["documents"][0]["status"] == "ok", result["documents"][0]["error"]
    assert [r["level1"] for r in result["scores"]] == CONTENT_ORDER_LEVEL1
    assert [r["level2"] for r in result["scores"]][:4] == ["目标设定", "目标设定", "预算配置", "资金管理"]
    assert [c for c in result["checks"] if c["status"] == "fail"] == []


def test_a_first_level_weight_that_disagrees_with_its_rows_is_left_to_the_checks(packs, tmp_path):
    """The same document with 部门决策 printed as 20分 (its rows add up to 15): no
    grouping explains the weights, so none is made up - the rows keep what the text
    says of them, and the check on 部门决策's weight does not pass."""
    path = tmp_path / "0009_dept_scoring_calc.pypdfium2.txt"
    path.write_text(CONTENT_ORDER_SCORING.replace("部门决策（15分）", "部门决策（20分）"), encoding="utf-8")
    result = process_file(path, packs)
    assert "部门决策" not in [r["level1"] for r in result["scores"]][3:]
    passed = [c for c in result["checks"] if c["check"] == "score.total" and c["status"] == "pass"
              and "部门决策" in (c["subject"] or "")]
    assert not passed, passed


# pdftotext's text (no options) of the same PDF: a cell per line, the merged cells (一级,
# 二级, 总分) printed after the table.
CELLS_THEN_MERGED = """部门整体支出绩效自评表
年度

2022

单位名称

重庆市人力资源和社会保障局

年度总目标

根据年初设定的绩效目标，我单位认真组织开展绩效自评工作，对照指标逐项核实完成情况。部分项目前期准备不够充分，导致支出进度较慢，
今后将加强项目储备和前期论证。

年度完成情况

严格执行预算管理制度，规范资金使用，按进度拨付资金，确保资金使用安全有效。

年度预算资金（万元）

年初预算数

调整后预算数

全年执行数

预算执行率

金额合计

11,296.35

12,260.77

11,210.05

91.43%

基本支出

5,507.39

5,892.91

5,379.64

91.29%

项目支出

5,788.96

6,367.86

5,830.41

91.56%

指标
一级指标

二级指标

三级指标

分值

得分

评分标准及说明

评分依据

绩效目标合理性

5

5

按规定时限公开预决算信息的得满分，未按时公开的不得
部门决算报表
分，公开内容不完整的酌情扣分。

绩效指标明确性

5

5

预算执行率=（实际支出/调整后预算）×100%。执行率达
绩效目标申报表、自评表
到100%的得满分，每低1个百分点扣0.5分，扣完为止。

在职人员控制率

5

5

制度健全、执行有效的得满分；制度不健全的扣2.5分；未
绩效目标申报表、自评表
按制度执行的，每发现一例扣0.5分。

预算执行率

5

4.62

制度健全、执行有效的得满分；制度不健全的扣2.5分；未
满意度调查问卷统计结果
按制度执行的，每发现一例扣0.5分。

预算调整率

5

5

预算执行率=（实际支出/调整后预算）×100%。执行率达 财务管理制度及相关会计凭
到100%的得满分，每低1个百分点扣0.5分，扣完为止。 证

支付进度率

5

5

按规定时限公开预决算信息的得满分，未按时公开的不得
部门决算报表
分，公开内容不完整的酌情扣分。

管理制度健全性

5

4.14

按规定时限公开预决算信息的得满分，未按时公开的不得
部门预算批复文件
分，公开内容不完整的酌情扣分。

资金使用合规性

5

5

绩效目标与部门职责相符、指标清晰可衡量的得满分，否
部门预算批复文件
则视情况扣分。

重点工作实际完成率

20

20

预算执行率=（实际支出/调整后预算）×100%。执行率达
部门预算批复文件
到100%的得满分，每低1个百分点扣2分，扣完为止。

履职及时性

10

10

按规定时限公开预决算信息的得满分，未按时公开的不得
部门预算批复文件
分，公开内容不完整的酌情扣分。

社会效益

15

15

预算执行率=（实际支出/调整后预算）×100%。执行率达 财务管理制度及相关会计凭
到100%的得满分，每低1个百分点扣1.5分，扣完为止。 证

服务对象满意度

15

15

绩效目标与部门职责相符、指标清晰可衡量的得满分，否 财务管理制度及相关会计凭
则视情况扣分。
证

100

98.76

目标设定
部门决策（15分）

预算配置

资金管理

部门管理（25分）

预算管理

部门履职

部门绩效（60分）

履职效益

总分
自评等级

优秀

"""


def test_a_total_line_printed_without_its_label_is_the_total(packs, tmp_path):
    """pdftotext prints 总分 after the merged cells, apart from its figures (100 /
    98.76): the line whose 分值 is the sum of all the rows' above is the total, not a
    13th row; the 一级 still come from their weights; the 二级 are among the merged
    cells printed after the table, unplaced, and the document says so."""
    path = tmp_path / "0009_dept_scoring_calc.pdftotext.txt"
    path.write_text(CELLS_THEN_MERGED, encoding="utf-8")
    result = process_file(path, packs)
    doc = result["documents"][0]
    assert [r["level1"] for r in result["scores"]] == CONTENT_ORDER_LEVEL1
    assert doc["total_score"] == 98.76
    assert doc["status"] == "partial" and "12 lines read without their 二级指标" in doc["error"]
    assert [c for c in result["checks"] if c["status"] == "fail"] == []
