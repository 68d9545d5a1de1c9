"""Cells a text tool printed without a space between, and merged labels no vocabulary knows.

pdfplumber's `extract_text` puts a right-aligned 得分 against the left-aligned 评分标准
beside it (`资金使用合规性 5 4.5满意度达到90%以上得满分`): the figure is the row's score and
the words the next cell, not one cell of text — before, every such row came out without
its score and the document still said `ok`.  A figure followed by a unit (3个百分点,
12万人次) or a date (2021年度) stays one token.

A scoring framework of another region (履职效能 / 管理效率 / 运行成本 / 社会效应, with 二级
经济成本) prints merged labels the vocabulary does not list; centred on their rows, they
still cover the rows around them, while a piece of a label wrapped in a narrow cell (象满意,
标(30)) or a form's own label (绩效指标) never counts as one.

The texts are what pdfplumber made of generated scoring tables (tests/variants, seed 1);
the expected rows are the generator's own (its truth file, kept beside each text)."""
from pathlib import Path

import pytest

from extractor.recognize.levels import whole_label
from extractor.recognize.texttable import _tokens
from generated_texts import run_generated

DATA = Path(__file__).parent / "data"
GLUED = sorted(p.name for p in (DATA / "glued_figures").glob("*.txt"))


def _rows(rows):
    return [(r.get("level1"), r.get("level2"), r.get("level3"), r.get("weight"), r.get("score"), r.get("page"))
            for r in rows]


@pytest.mark.parametrize("name", GLUED)
def test_a_score_glued_to_the_next_cell_is_read(name, packs, tmp_path):
    truth, result = run_generated(DATA / "glued_figures", name, packs, tmp_path)
    assert _rows(result["scores"]) == _rows(truth["scores"])
    assert result["documents"][0]["status"] == "ok", result["documents"][0]
    assert sorted(c["check"] for c in result["checks"] if c["status"] == "fail") == \
        sorted(p["checks"][0] for p in truth["planted"])


def test_glue_is_split_only_before_words():
    assert _tokens("资金使用合规性 5 4.5满意度达到90%以上得满分") == ["资金使用合规性", "5", "4.5", "满意度达到90%以上得满分"]
    assert _tokens("提高 3个百分点 12万人次") == ["提高", "3个百分点", "12万人次"]
    assert _tokens("2021年度部门整体支出绩效自评表") == ["2021年度部门整体支出绩效自评表"]


def test_whole_labels_are_told_from_pieces():
    assert whole_label("经济成本") and whole_label("社会效应")    # unknown, printed whole
    assert whole_label("预算编制") and whole_label("满意度")      # known
    assert not whole_label("象满意")      # a piece of 服务对象满意度
    assert not whole_label("标(30)")      # a piece of 产出指标(30)
    assert not whole_label("绩效指标")    # the form's label beside all levels
    assert not whole_label("际支出/调整后预")


def test_unknown_levels_centred_on_their_rows(packs, tmp_path):
    """0181: 预算编制 / 预算执行 / 管理效率 stand between their rows; the 经济成本 beside them
    is unknown to the vocabulary, which before kept every label carried down from where it
    was printed (预算编制准确性 under 整体效能)."""
    truth, result = run_generated(DATA / "unknown_levels", "0181_dept_scoring_reportlab.pdfplumber.txt",
                                  packs, tmp_path)
    got, want = _rows(result["scores"]), _rows(truth["scores"])
    assert len(got) == len(want) == 12
    # the rows of 履职效能, 管理效率 (预算编制, 预算执行, 信息公开, 资产管理) and 社会效应
    assert got[:9] + got[11:] == want[:9] + want[11:]


@pytest.mark.xfail(strict=True, reason="运行成本 经济成本 alone on a line: the vocabulary knows 运行成本 as a 二级 of "
                   "管理效率, so the pair is read as that 二级 and the unknown 经济成本 dropped; "
                   "the document says ok (a keys misread the tool does not detect yet)")
def test_a_pair_whose_first_label_is_a_known_second_level(packs, tmp_path):
    truth, result = run_generated(DATA / "unknown_levels", "0181_dept_scoring_reportlab.pdfplumber.txt",
                                  packs, tmp_path)
    assert _rows(result["scores"])[9:11] == _rows(truth["scores"])[9:11]
