"""Text tools put a space between a figure and the Han characters around it, inside a
sentence as much as between cells: 每低 1 个百分点扣 0.5 / 分，扣完为止。 (pypdfium2,
pdftotext), 0.5 分。, a level's weight （15 分） (PyMuPDF).  Before, each such figure of a
scoring table's 评分标准 made a row of its own (weight 1, weight 0.5) and a 一级 label
with its weight spaced lost its 一级; now the sentence is one cell again.

The texts are the generator's (tests/variants, seed 1); the expected rows its truth."""
from pathlib import Path

import pytest

from extractor.recognize.texttable import _tokens
from generated_texts import INDICATOR_FIELDS, SCORE_FIELDS, fields_of, run_generated

DATA = Path(__file__).parent / "data" / "spaced_figures"


@pytest.mark.parametrize("name", ["0101_dept_scoring_writer.pypdfium2.txt",
                                  "0101_dept_scoring_writer.pdftotext_layout.txt"])
def test_no_row_is_made_of_a_sentence_s_figures(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert fields_of(result["scores"], SCORE_FIELDS) == fields_of(truth["scores"], SCORE_FIELDS)
    assert result["documents"][0]["status"] == "ok", result["documents"][0]["error"]


def test_a_first_level_with_its_weight_spaced_is_read(packs, tmp_path):
    """0185 as PyMuPDF prints it, a cell per line: 部门决策 / （15 分） / 目标设定 / …  The
    一级 and the figures of every row are read and no sentence makes a row (two rows' 二级
    are still misread there: not asserted)."""
    truth, result = run_generated(DATA, "0185_dept_scoring_writer.pymupdf.txt", packs, tmp_path)
    got, want = result["scores"], truth["scores"]
    assert len(got) == len(want)
    assert [(r["level1"], r["weight"], r["score"]) for r in got] == [(r["level1"], r["weight"], r["score"])
                                                                      for r in want]


def test_figures_inside_a_sentence_stay_in_it():
    assert _tokens("每低 1 个百分点扣 0.5") == ["每低1个百分点扣", "0.5"]
    assert _tokens("0.5 分。") == ["0.5分。"]
    assert _tokens("部门决策（15 分）") == ["部门决策(15分)"]
    # cells one space apart stay cells
    assert _tokens("绩效目标合理性 5 5") == ["绩效目标合理性", "5", "5"]
    assert _tokens("预算执行率 10 10 的，得分") == ["预算执行率", "10", "10", "的,得分"]
    assert _tokens("≥261 批次282批次") == ["≥261", "批次282批次"]


def test_a_name_its_target_and_actual_on_one_line_come_apart():
    """PyMuPDF joins cells that stand on one line, a space only inside the measures
    (完成检测批次371 批次, 购置设备台数不低于433 台445 台)."""
    assert _tokens("完成检测批次371 批次") == ["完成检测批次", "371批次"]
    assert _tokens("购置设备台数不低于433 台445 台") == ["购置设备台数", "不低于433台", "445台"]
    assert _tokens("宣传补助标准200 元/人次") == ["宣传补助标准", "200元/人次"]
    assert _tokens("2023年科技计划项目 100 分") == ["2023年科技计划项目", "100", "分"]


def test_a_final_account_s_indicators_from_pymupdf(packs, tmp_path):
    truth, result = run_generated(DATA.parent / "glued_measures", "0087_final_accounts_writer.pymupdf.txt",
                                  packs, tmp_path)
    assert fields_of(result["indicators"], INDICATOR_FIELDS) == fields_of(truth["indicators"], INDICATOR_FIELDS)
