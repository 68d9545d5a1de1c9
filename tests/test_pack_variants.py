"""Phrasings of the same report family that the seeds do not use.  The fixture
(tests/data/variant_dept_report.txt) is written for this test; every expected value
below is a figure printed in it."""
from decimal import Decimal

import pytest

from extractor.batch.pipeline import process_file
from conftest import ROOT

VARIANT = ROOT / "tests" / "data" / "variant_dept_report.txt"


@pytest.fixture(scope="module")
def result(packs):
    return process_file(VARIANT, packs)


def test_document(result):
    doc = result["documents"][0]
    assert (doc["kind"], doc["department"], doc["year"]) == ("dept_report", "广州市海珠区文化广电旅游体育局", 2022)
    # No appendix table in this report: said, not hidden.
    assert doc["status"] == "partial" and "部门资金情况 fund lines" in doc["error"]


def test_budget_sentence_with_other_labels(result):
    (row,) = result["budget"]
    assert (row["initial"], row.get("adjustment"), row["adjusted"], row["actual"], row["exec_rate"], row["source"]) == \
        (Decimal("32564000.00"), None, Decimal("35128800.00"), Decimal("34012700.00"), 0.9682, "narrative")


def test_counts_and_projects(result):
    counts = sorted((c["what"], c.get("grade") or "", c["count"]) for c in result["counts"])
    assert counts == [("任务1的绩效目标", "", 3), ("任务2的绩效目标", "", 2), ("项目", "", 8), ("项目", "优", 6),
                      ("项目", "良", 2)]
    projects = {p["name"]: p for p in result["projects"]}
    assert set(projects) == {"文化惠民活动经费", "全民健身设施维护项目"}
    a, b = projects["文化惠民活动经费"], projects["全民健身设施维护项目"]
    assert (a["budget"], a["actual"], a["exec_rate"], a["score"], a["grade"]) == \
        (Decimal("1200000.00"), Decimal("1185000.00"), 0.9875, 96.0, "优")
    assert (b["budget"], b["actual"], b["exec_rate"], b["score"], b["grade"]) == \
        (Decimal("864000.00"), Decimal("801200.00"), 0.9273, 88.5, "良")


def test_checks_pass(result):
    checks = result["checks"]
    assert not [c for c in checks if c["status"] == "fail"]
    passed = {(c["check"], c["subject"]) for c in checks if c["status"] == "pass"}
    assert {("budget.exec_rate", "合计"), ("project.exec_rate", "文化惠民活动经费"),
            ("project.exec_rate", "全民健身设施维护项目"), ("project.count", "项目")} <= passed


def test_department_on_the_title_line(packs, tmp_path):
    text = (ROOT / "samples" / "2021_liwan_commerce_dept_report.txt").read_text(encoding="utf-8")
    one_line = tmp_path / "one_line_title.txt"
    text = text.replace(" 广州市荔湾区商务和投资促进局\n2021 年部门整体支出绩效自评报告",
                        "广州市荔湾区商务和投资促进局2021年度部门整体支出绩效自评报告", 1)
    # Without the appendix's 部门名称 lines, the title line is the only place naming the department.
    text = "\n".join(line for line in text.splitlines() if "部门名称" not in line)
    one_line.write_text(text, encoding="utf-8")
    assert "部门名称" not in text and "促进局2021年度部门整体" in text
    doc = process_file(one_line, packs)["documents"][0]
    assert (doc["department"], doc["year"]) == ("广州市荔湾区商务和投资促进局", 2021)


def test_final_accounts_other_wordings(packs):
    """tests/data/variant_final_accounts.txt: a 决算 excerpt in wordings the real
    documents here do not use; the expected values are the figures printed in it."""
    result = process_file(ROOT / "tests" / "data" / "variant_final_accounts.txt", packs)
    doc = result["documents"][0]
    assert (doc["kind"], doc["department"], doc["year"], doc["total_score"]) == \
        ("final_accounts", "东莞市水务局", 2023, 92.5)
    (count,) = result["counts"]
    assert (count["what"], count["count"], count["amount"]) == ("绩效自评的项目", 12, Decimal("34567800.00"))
    (project,) = result["projects"]
    assert (project["name"], project["budget"], project["actual"], project["exec_rate"], project["source"]) == \
        ("城市排水设施养护", Decimal("8560000.00"), Decimal("8423000.00"), 0.984, "narrative")
    assert not [c for c in result["checks"] if c["status"] == "fail"]
    assert ("project.exec_rate", "城市排水设施养护", "pass") in {(c["check"], c["subject"], c["status"])
                                                                for c in result["checks"]}
