"""A 决算 made by the test (tests/pdfgen.py): a department sentence, a counts
sentence, numbered project summaries and three 项目支出绩效自评表, one of them long
enough to break across two pages.  The expected rows are the figures written into
the document below; one summary states an 执行数 its table does not (健康宣传教育:
90.00 in the summary, 92.00 in the table), and only that may fail."""
from decimal import Decimal

import pytest

import pdfgen
from extractor.batch.pipeline import process_file

W = [14 * 2.83, 22 * 2.83, 22 * 2.83, 40 * 2.83, 20 * 2.83, 20 * 2.83, 11 * 2.83, 11 * 2.83, 20 * 2.83]

PARAGRAPHS = [
    "测试市卫生健康委员会2023年度部门决算",
    "第一部分 测试市卫生健康委员会概况",
    "（二）部门整体支出绩效自评结果。根据年度设定的绩效目标，部门整体支出自评得分96.5，全年预算数1,200.00万元，"
    "执行数1150.40万元，完成预算的95.87%。",
    "（三）项目支出绩效自评结果。绩效自评的2023年度项目3个，涉及预算金额520.50万元，平均得分91.83分（其中，"
    "绩效评级为“优”的项目2个；绩效评级为“良”的项目1个）。",
    "1.社区卫生服务中心建设项目绩效自评综述：全年预算数300.00万元，执行数285.00万元，完成预算的95.00%。",
    "2.2023年基层医疗设备购置项目绩效自评综述：全年预算数120.50万元，执行数118.30万元，完成预算的98.17%。",
    "3.健康宣传教育项目绩效自评综述：全年预算数100.00万元，执行数90.00万元，完成预算的90.00%。",
]


def project_table(name, funds, goal, indicators, total, grade):
    rows = [["项目名称", "", name, "", "", "", "", "", ""],
            ["主管部门", "", "测试市卫生健康委员会", "", "", "实施单位", "", "测试市疾病预防控制中心", ""],
            ["项目资金\n（万元）", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]]
    rows += [["", "", label, *vals] for label, *vals in funds]
    rows += [["年度总体\n目标", "预期目标", "", "", "", "实际完成情况", "", "", ""],
             ["", goal[0], "", "", "", goal[1], "", "", ""],
             ["绩\n效\n指\n标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
              "偏差原因分析\n及改进措施"]]
    rows += [["", *ind] for ind in indicators]
    rows += [["总分", "", "", "", "", "", *total, ""], ["自评等级", "", "", "", "", "", grade, "", ""]]
    spans = [((2, 0), (8, 0)), ((2, 1), (4, 1)), ((7, 1), (8, 1))]
    return {"title": [f"测试市级2023年{name}项目", "绩效自评表"], "rows": rows, "widths": W, "spans": spans}


FUNDS_1 = [("年度资金总额", "320.00", "300.00", "285.00", "10", "95.00%", "9.5"),
           ("其中：当年财政拨款", "300.00", "280.00", "266.00", "—", "95.00%", "—"),
           ("上年结转资金", "20.00", "20.00", "19.00", "—", "95.00%", "—"),
           ("其他资金", "", "", "", "—", "", "—")]
IND_1 = ([["产出指标\n（50分）", "数量指标", f"指标{i}：新建社区卫生服务站第{i}批数量", "≥2个", "2个", "5",
           "4" if i == 3 else "5", "第3批设备到货延迟，已督促供应商" if i == 3 else ""] for i in range(1, 7)]
         + [["", "质量指标", "指标1：建设验收合格率", "100%", "100%", "5", "5", ""],
            ["", "", "指标2：设备完好率", "≥95%", "98%", "5", "5", ""],
            ["", "时效指标", "指标1：项目完成及时性", "按时完成", "按时完成", "5", "5", ""],
            ["", "成本指标", "指标1：单站建设成本", "≤50万元", "47.5万元", "5", "5", ""],
            ["效益指标\n（30分）", "社会效益\n指标", "指标1：基层首诊率提高", "有所提高", "有所提高", "10", "10", ""],
            ["", "", "指标2：覆盖常住人口", "≥5万人", "5.6万人", "10", "10", ""],
            ["", "可持续影响\n指标", "指标1：长效运行机制", "已建立", "已建立", "10", "10", ""],
            ["满意度指标\n（10分）", "服务对象\n满意度指标", "指标1：居民满意度", "≥90%", "93%", "10", "10", ""]])
FUNDS_2 = [("年度资金总额", "120.50", "120.50", "118.30", "10", "98.17%", "9.8"),
           ("其中：当年财政拨款", "120.50", "120.50", "118.30", "—", "98.17%", "—"),
           ("上年结转资金", "", "", "", "—", "", "—"), ("其他资金", "", "", "", "—", "", "—")]
IND_2 = [["产出指标\n（50分）", "数量指标", "指标1：购置设备台数", "≥30台", "28台", "25", "20.2", "两台延至次年交付"],
         ["", "质量指标", "指标1：设备验收合格率", "100%", "100%", "25", "25", ""],
         ["效益指标\n（30分）", "社会效益\n指标", "指标1：检查能力提升", "明显提升", "有所提升", "30", "20", "培训不足"],
         ["满意度指标\n（10分）", "服务对象\n满意度指标", "指标1：医务人员满意度", "≥90%", "91%", "10", "10", ""]]
FUNDS_3 = [("年度资金总额", "100.00", "100.00", "92.00", "10", "92.00%", "9.2"),
           ("其中：当年财政拨款", "100.00", "100.00", "92.00", "—", "92.00%", "—"),
           ("上年结转资金", "", "", "", "—", "", "—"), ("其他资金", "", "", "", "—", "", "—")]
IND_3 = [["产出指标\n（50分）", "数量指标", "指标1：宣传活动场次", "≥20场", "24场", "50", "50", ""],
         ["效益指标\n（30分）", "社会效益\n指标", "指标1：居民健康素养水平", "≥30%", "31.5%", "30", "22.8", "宣传覆盖面不足"],
         ["满意度指标\n（10分）", "服务对象\n满意度指标", "指标1：群众满意度", "≥90%", "95%", "10", "10", ""]]


@pytest.fixture(scope="module")
def result(tmp_path_factory, packs):
    path = tmp_path_factory.mktemp("synthetic") / "test_final_accounts.pdf"
    pdfgen.report_pdf(path, PARAGRAPHS, [
        project_table("社区卫生服务中心建设", FUNDS_1, ("新建社区卫生服务站12个。", "已建成12个。"), IND_1,
                      ("100", "98.5"), "优"),
        project_table("基层医疗设备购置", FUNDS_2, ("购置设备30台。", "购置设备28台。"), IND_2, ("100", "85"), "良"),
        project_table("健康宣传教育", FUNDS_3, ("开展宣传活动20场。", "开展宣传活动24场。"), IND_3, ("100", "92"), "优"),
    ])
    return process_file(path, packs)


def test_document(result):
    doc = result["documents"][0]
    assert (doc["kind"], doc["status"], doc["department"], doc["year"]) == \
        ("final_accounts", "ok", "测试市卫生健康委员会", 2023)
    assert doc["total_score"] == 96.5
    assert doc["pages"] >= 3


def test_a_table_broken_over_two_pages_is_one_project(result):
    table = {p["name"]: p for p in result["projects"] if p["source"] == "table"}
    assert set(table) == {"社区卫生服务中心建设", "基层医疗设备购置", "健康宣传教育"}
    p1 = table["社区卫生服务中心建设"]
    assert (p1["budget"], p1["actual"], p1["exec_rate"], p1["score"], p1["max_score"], p1["grade"]) == \
        (Decimal("3000000.00"), Decimal("2850000.00"), 0.95, 98.5, 100.0, "优")
    inds = [i for i in result["indicators"] if i["project"] == "社区卫生服务中心建设"]
    assert len(inds) == 14
    assert len({i["page"] for i in inds}) == 2, "the table should break across two pages"
    assert [i["name"] for i in inds[:2]] == ["新建社区卫生服务站第1批数量", "新建社区卫生服务站第2批数量"]
    last = inds[-1]
    assert (last["level1"], last["level1_weight"], last["level2"], last["name"], last["target_op"],
            last["target_value"], last["actual_value"], last["achieved"]) == \
        ("满意度指标", 10.0, "服务对象满意度指标", "居民满意度", ">=", 90.0, 93.0, True)
    cost = next(i for i in inds if i["name"] == "单站建设成本")
    assert (cost["level1"], cost["level2"], cost["target_op"], cost["target_unit"], cost["achieved"]) == \
        ("产出指标", "成本指标", "<=", "万元", True)


def test_fund_lines_with_empty_lines_and_dashes(result):
    lines = [b for b in result["budget"] if b.get("project") == "基层医疗设备购置"]
    assert [b["fund_source"] for b in lines] == ["合计", "当年财政拨款", "上年结转资金", "其他资金"]
    total = lines[0]
    assert (total["initial"], total["adjusted"], total["actual"], total["exec_rate"], total["weight"],
            total["score"]) == (Decimal("1205000.00"), Decimal("1205000.00"), Decimal("1183000.00"), 0.9817, 10.0, 9.8)
    assert lines[1].get("weight") is None and lines[1].get("score") is None  # "—"
    assert all(lines[2].get(c) is None for c in ("initial", "adjusted", "actual", "exec_rate"))


def test_summaries_and_counts(result):
    narrative = {p["name"]: p for p in result["projects"] if p["source"] == "narrative"}
    assert set(narrative) == {"社区卫生服务中心建设", "2023年基层医疗设备购置", "健康宣传教育"}
    assert narrative["健康宣传教育"]["actual"] == Decimal("900000.00")
    counts = {(c["what"], c.get("grade")): c for c in result["counts"]}
    total = counts[("绩效自评的项目", None)]
    assert (total["count"], total["amount"], total["score"]) == (3, Decimal("5205000.00"), 91.83)
    assert counts[("绩效自评的项目", "优")]["count"] == 2 and counts[("绩效自评的项目", "良")]["count"] == 1
    dept = [b for b in result["budget"] if b["source"] == "narrative"]
    assert [(b["adjusted"], b["actual"], b["exec_rate"]) for b in dept] == \
        [(Decimal("12000000.00"), Decimal("11504000.00"), 0.9587)]


def test_only_the_planted_mismatch_fails(result):
    failing = [c for c in result["checks"] if c["status"] == "fail"]
    assert [(c["check"], c["subject"], c["expected"], c["reported"]) for c in failing] == \
        [("project.narrative", "健康宣传教育", "920000.00", "900000.00")]
    assert "健康宣传教育" in failing[0]["message"] and "matched table" in failing[0]["message"]
    by_name = {(c["check"], c["subject"]) for c in result["checks"] if c["status"] == "pass"}
    assert ("project.narrative", "2023年基层医疗设备购置") in by_name  # matched despite the year
    assert ("score.total", "社区卫生服务中心建设 总分得分") in by_name
    assert ("score.total", "基层医疗设备购置 / 产出指标") in by_name
    assert ("project.grade", "基层医疗设备购置") in by_name
    assert ("project.count", "绩效自评的项目") in by_name
