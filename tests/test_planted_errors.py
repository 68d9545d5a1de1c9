"""Errors planted into copies of the seed texts: exactly the right checks fail,
with the right subject.  Each case edits one printed figure of the real report."""
import pytest

from extractor.batch.pipeline import process_file
from conftest import SAMPLES

REPORT = "2021_liwan_commerce_dept_report.txt"
SCORING = "2023_liwan_commerce_dept_scoring.txt"

CASES = [
    pytest.param(REPORT, "万元，预算执行率为 98.68%。", "万元，预算执行率为 98.86%。",
                 {("budget.exec_rate", "合计"), ("budget.narrative", "合计")}, id="narrative-rate"),
    pytest.param(REPORT, "一般公共预算 7583.66 2245.43 9653.36 98.21%", "一般公共预算 7583.66 2245.43 9663.36 98.21%",
                 {("budget.exec_rate", "一般公共预算"), ("budget.total", "合计")}, id="fund-line-actual"),
    pytest.param(REPORT, "一般公共预算结转 1.73 0.00 1.73 100.00% 0.00%", "一般公共预算结转 1.73 0.50 1.73 100.00% 0.00%",
                 {("budget.exec_rate", "一般公共预算结转"), ("budget.adjust_rate", "一般公共预算结转"),
                  ("budget.total", "合计")}, id="fund-line-adjustment"),
    pytest.param(REPORT, "部门共 15个项目，12个项目", "部门共 15个项目，11个项目",
                 {("project.count", "项目")}, id="stated-project-count"),
    pytest.param(REPORT, "1.产业扶持及暖企纾困等任务。该工作任务共设置 4个", "1.产业扶持及暖企纾困等任务。该工作任务共设置 5个",
                 {("indicator.count", "任务1的绩效目标")}, id="stated-indicator-count"),
    pytest.param(REPORT, "6.疫情防控专项经费。该项目预算资金 326万元", "6.疫情防控专项经费。该项目预算资金 336万元",
                 {("project.exec_rate", "疫情防控专项经费"), ("project.narrative", "疫情防控专项经费")},
                 id="project-budget-restated-differently"),
    pytest.param(SCORING, "\n10 9.79\n", "\n10 10.79\n",
                 {("score.weight", "部门预算资金支出率"), ("score.total", "合计 得分")}, id="score-above-weight"),
    pytest.param(SCORING, "\n20 20\n\n评分依据：部门整体支出绩效\n\n自评产出、效益指标完成情况统\n\n计表\n\n反映年度预算编报时确定的部门\n\n整体",
                 "\n20 19\n\n评分依据：部门整体支出绩效\n\n自评产出、效益指标完成情况统\n\n计表\n\n反映年度预算编报时确定的部门\n\n整体",
                 {("score.total", "合计 得分")}, id="score-total"),
]


def failing(path, packs):
    checks = process_file(path, packs)["checks"]
    return {(c["check"], c["subject"]) for c in checks if c["status"] == "fail"}


@pytest.mark.parametrize("seed, old, new, expected", CASES)
def test_planted_error_fails_exactly_the_right_check(seed, old, new, expected, packs, tmp_path):
    text = (SAMPLES / seed).read_text(encoding="utf-8")
    assert text.count(old) == 1, "the figure to plant into must occur once in the seed"
    planted = tmp_path / seed
    planted.write_text(text.replace(old, new), encoding="utf-8")
    assert failing(SAMPLES / seed, packs) == set()
    assert failing(planted, packs) == expected
