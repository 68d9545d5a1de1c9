"""The 主要任务 × 关键指标 table of a 部门整体支出绩效自评表 as text printed cell after cell.

pypdfium2 prints the real Liwan 2021 form's table a cell per line in drawing order: the
header's narrow cells wrapped (主要 / 任务, 年初预期目 / 标), the task's label wrapped
(任务 / 1), then for each indicator its name's lines and its content's lines one after
the other (组织申报项 / 目 / 组织申报奖 / 励、扶持项 / 目数量) and its target and actual spaced
from their units (≥1 个 3 个).  Task 1's four indicators are read as the golden file
(written from the PDF's page) has them."""
import json
from pathlib import Path

from conftest import SAMPLES
from extractor.batch.pipeline import process_file
from extractor.recognize.lines import _name_and_content
from text_twins import twin_text

GOLDEN = json.loads((Path(__file__).parent / "golden" / "2021_liwan_commerce_dept_report.json")
                    .read_text(encoding="utf-8"))


def _row(r):
    return r["task"], r["name"], r["content"], r["target_text"], r["actual_text"]


def test_task_one_of_the_real_form_from_pypdfium2_text(packs, tmp_path):
    pdf = SAMPLES / "2021_liwan_commerce_dept_report.pdf"
    twin = tmp_path / "liwan.pypdfium2.txt"
    twin.write_text(twin_text(pdf, "pypdfium2"), encoding="utf-8")
    result = process_file(twin, packs)
    got = [_row(r) for r in result["indicators"] if r.get("task") == "任务1"]
    want = [_row(r) for r in GOLDEN["indicators"] if r["task"] == "任务1"]
    assert len(want) == 4 and got == want
    task = next(t for t in result["tasks"] if t["task"] == "任务1")
    assert str(task["budget"]) == GOLDEN["tasks"][0]["budget"]
    # what it could not read (p.7 prints a character per line) it says
    assert result["documents"][0]["status"] == "partial"


def test_a_name_and_its_content_told_apart():
    # the Liwan form's cells (5 characters a line): the content restates the name, or the
    # name ends on a short line, or neither (the name's lines are full until its last)
    assert _name_and_content(["奖励、扶持", "企业家数", "获奖励、扶", "持企业家数", "量"]) == \
        ("奖励、扶持企业家数", ["获奖励、扶", "持企业家数", "量"])
    assert _name_and_content(["企业满意度", "获扶持企业", "满意度"]) == ("企业满意度", ["获扶持企业", "满意度"])
    assert _name_and_content(["组织申报项", "目", "组织申报奖", "励、扶持项", "目数量"])[0] == "组织申报项目"
    assert _name_and_content(["提升我区商", "贸经济发展", "水平", "对我区商贸", "经济发展水", "平的影响"])[0] == \
        "提升我区商贸经济发展水平"
    assert _name_and_content(["采购物资运", "输工具数量", "采购物资转", "运用运输工", "具数量"])[0] == "采购物资运输工具数量"
    assert _name_and_content(["固定资产维", "修维护次数", "固定资产维", "修次数"])[0] == "固定资产维修维护次数"
    assert _name_and_content(["培训覆盖率"]) == ("培训覆盖率", [])
