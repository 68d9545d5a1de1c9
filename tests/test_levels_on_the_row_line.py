"""Merged labels printed on a row's own line, a space apart, in text printed a row per
line: 运行成本 经济成本 三公经费控制率 5 5 … (the 一级, 二级 and 三级 of the row — though the
vocabulary knows 运行成本 as a 二级 of another framework) and 绩效指标 效益指标 可持续影响指标
长效管理机制 有所提升 … (the form's own label 绩效指标 first, no cell of the row's).  Before,
two words a space apart were read as one name (经济成本三公经费控制率) or a level shifted.

The texts are the generator's (tests/variants, seed 1); the expected rows its truth."""
from pathlib import Path

import pytest

from extractor.recognize.texttable import _field_kind, align
from generated_texts import INDICATOR_FIELDS, SCORE_FIELDS, fields_of, run_generated

DATA = Path(__file__).parent / "data" / "levels_on_the_row_line"


@pytest.mark.parametrize("name", ["0141_dept_scoring_calc.pdfplumber.txt", "0141_dept_scoring_calc.pypdfium2.txt"])
def test_three_levels_on_the_row_line(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert fields_of(result["scores"], SCORE_FIELDS) == fields_of(truth["scores"], SCORE_FIELDS)
    assert result["documents"][0]["status"] == "ok"


@pytest.mark.parametrize("name", ["0022_project_selfeval_calc.pdfplumber.txt",
                                  "0166_project_selfeval_calc.pdfplumber.txt"])
def test_the_form_label_beside_the_rows_is_no_level(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert fields_of(result["indicators"], INDICATOR_FIELDS) == fields_of(truth["indicators"], INDICATOR_FIELDS)
    assert result["documents"][0]["status"] == "ok"


def test_two_han_words_a_space_apart_are_two_cells():
    fields = [(f, _field_kind("scores", f)) for f in ("level1", "level2", "level3", "weight", "score")]
    assert align(["运行成本", "经济成本", "三公经费控制率", "5", "5"], fields) == {
        "level1": "运行成本", "level2": "经济成本", "level3": "三公经费控制率", "weight": "5", "score": "5"}
    # where the row has no other place for them, they still make one cell
    assert align(["三公经费", "控制率", "5", "5"], fields[2:]) == {"level3": "三公经费控制率", "weight": "5",
                                                                   "score": "5"}
