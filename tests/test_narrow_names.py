"""Scoring tables a cell per line (PyMuPDF): a 二级 printed on the line before its row's
三级 (履职效益 / 社会效益 / 15 / 12.75 …) is two cells, not a name wrapped over two lines.
A wrapped name's first line fills its column, and the widest 三级 seen right before a
分值 shows how wide the column is: a line narrower than that ends its cell.  Before,
the 二级 was read as the first line of the 三级 (履职效益社会效益) and the rows under it
kept the 二级 above.  Nor is the row above's 评分依据 (重点工作任务台账, 满意度调查问卷统计结果:
an evidence word of the vocabulary ends it) the first line of the next name.

The texts are the generator's (tests/variants, seed 1); the expected rows its truth."""
from pathlib import Path

import pytest

from generated_texts import SCORE_FIELDS, fields_of, run_generated

DATA = Path(__file__).parent / "data" / "narrow_names"


@pytest.mark.parametrize("name", ["0081_dept_scoring_calc.pymupdf.txt", "0105_dept_scoring_calc.pymupdf.txt"])
def test_every_row_is_read(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert fields_of(result["scores"], SCORE_FIELDS) == fields_of(truth["scores"], SCORE_FIELDS)
    assert result["documents"][0]["status"] == "ok"


def test_a_second_level_before_its_name_is_its_own_cell(packs, tmp_path):
    """0097 (reportlab): its 履职效益 group, and a 评分依据 printed before the next row's
    name (满意度调查问卷统计结果 / 绩效指标明确性) that is no first line of it."""
    truth, result = run_generated(DATA, "0097_dept_scoring_reportlab.pymupdf.txt", packs, tmp_path)
    assert [r for r in fields_of(truth["scores"], SCORE_FIELDS) if r[1] == "履职效益"] == [
        ("部门绩效", "履职效益", "社会效益", 15.0, 12.75, 2), ("部门绩效", "履职效益", "服务对象满意度", 15.0, 15.0, 2)]
    assert fields_of(result["scores"], SCORE_FIELDS) == fields_of(truth["scores"], SCORE_FIELDS)
