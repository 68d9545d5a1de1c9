"""Targets and actuals a PDF drew after the rest of the form, as text in drawing order.

LibreOffice Calc draws some cells of a project form last (高于95%, 373家 373家): pypdfium2,
PyMuPDF and `pdftotext -raw` print the indicator line without them
(质量指标 档案规范率 98% 33.5 33.5) and the cells after the form's 自评等级 line, in row
order.  Each line takes its own, a comparison telling the target from the actual; where
the figures after the form are not exactly the cells the lines lack, nothing is guessed.
The form's year drawn late too (2022年度) is no figure of theirs, a remark after the last
figures (2521.29亿元 受客观因素影响，…) does not hide them, and a row whose remark stands
on its line under a header without a remarks column (新建活动数量 22.5 18 部分工作进度滞后。)
is read, so that the lines short of cells are counted right.

The texts are what those tools made of generated Calc forms (tests/variants, seed 1);
the expected rows are the generator's own (its truth file, kept beside each text)."""
import re
from pathlib import Path

import pytest

from extractor.model import Line
from extractor.recognize.deferred import cells_drawn_after
from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "drawn_after"
TEXTS = sorted(p.name for p in DATA.glob("*.txt"))


@pytest.mark.parametrize("name", TEXTS)
def test_every_line_gets_its_own_target_and_actual(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)

    def row(r):
        return (r["project"], r["name"], r.get("target_text"), r.get("actual_text"), r.get("achieved"),
                r.get("weight"), r.get("score"), r["page"])
    assert [row(r) for r in result["indicators"]] == [row(r) for r in truth["indicators"]]
    # the only failing checks are the errors the generator planted (0046: its 总分)
    planted = {check for p in truth["planted"] for check in p["checks"]}
    assert {c["check"] for c in result["checks"] if c["status"] == "fail"} == planted


def test_the_texts_hold_what_the_rule_is_about():
    lines = (DATA / "0010_project_selfeval_calc.pdftotext_raw.txt").read_text(encoding="utf-8").splitlines()
    short = next(k for k, ln in enumerate(lines) if ln == "质量指标 档案规范率 ≥80% 84% 19.5 19.5") + 1
    assert any(ln.startswith("空气质量优良天数比例 100% 9 9") for ln in lines[short:])  # 大于98% not on it
    graded = next(k for k, ln in enumerate(lines) if ln.startswith("自评等级"))
    assert "大于98%" in lines[graded:graded + 20]


def _lines(*texts):
    return [Line(t, 1) for t in texts]


def test_nothing_is_guessed_when_the_cells_after_do_not_fit():
    end = re.compile(r"^自评等级")
    lines = _lines("档案规范率 98% 33.5 33.5", "扶持企业家数 11 11", "自评等级 优秀", "高于95%", "373家 373家")
    recs = [{"name": "档案规范率", "target_text": "98%", "page": 1}, {"name": "扶持企业家数", "page": 1}]
    assert cells_drawn_after(recs, lines, ["target_text", "actual_text"], end) == 3
    assert recs[0]["target_text"] == "高于95%" and recs[0]["actual_text"] == "98%"
    assert recs[1]["target_text"] == recs[1]["actual_text"] == "373家"
    # one figure too few after the form (or a bare page number): the lines stay as read
    lines = _lines("档案规范率 98% 33.5 33.5", "扶持企业家数 11 11", "自评等级 优秀", "高于95%", "373家", "2")
    recs = [{"name": "档案规范率", "target_text": "98%", "page": 1}, {"name": "扶持企业家数", "page": 1}]
    assert cells_drawn_after(recs, lines, ["target_text", "actual_text"], end) == 0
    assert recs == [{"name": "档案规范率", "target_text": "98%", "page": 1}, {"name": "扶持企业家数", "page": 1}]


def test_a_year_drawn_late_is_no_figure_and_a_remark_hides_none():
    end = re.compile(r"^自评等级")
    lines = _lines("人均培训成本 47 47", "培训覆盖率 91% 9.5 9.5", "自评等级 A", "2022年度",
                   "1500元 1500元", "高于90% 受客观因素影响，未完全达到目标，")
    recs = [{"name": "人均培训成本", "page": 1}, {"name": "培训覆盖率", "target_text": "91%", "page": 1}]
    assert cells_drawn_after(recs, lines, ["target_text", "actual_text"], end) == 3
    assert recs[0]["target_text"] == recs[0]["actual_text"] == "1500元"
    assert (recs[1]["target_text"], recs[1]["actual_text"]) == ("高于90%", "91%")
