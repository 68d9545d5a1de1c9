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


@pytest.mark.parametrize("name", ["0181_dept_scoring_reportlab.pdfplumber.txt", "0181_dept_scoring_reportlab.pypdfium2.txt"])
def test_unknown_levels_centred_on_their_rows(name, packs, tmp_path):
    """0181: 预算编制 / 预算执行 / 管理效率 stand between their rows; the 经济成本 beside them
    is unknown to the vocabulary, which before kept every label carried down from where it
    was printed (预算编制准确性 under 整体效能).  运行成本 经济成本 alone on a line, the next
    row named on its own line of figures: the 一级 and 二级 of a group, though the
    vocabulary knows 运行成本 as a 二级 of 管理效率 (another framework's)."""
    truth, result = run_generated(DATA / "unknown_levels", name, packs, tmp_path)
    assert _rows(result["scores"]) == _rows(truth["scores"])
    assert result["documents"][0]["status"] == "ok", result["documents"][0]


def test_a_second_level_beside_a_wrapped_name_is_no_pair():
    """数量指标 开展检查次 / 数 / 不低于80次 83次 24 24 (pypdfium2, 0186): the 二级 and the first
    piece of the row's 三级, whose figures follow without a name of their own."""
    from extractor.recognize.texttable import _level_pair_by_position as _level_pair
    items = [(None, ["数"], ""), (None, ["不低于80次", "83次", "24", "24"], "")]
    assert _level_pair(["数量指标", "开展检查次"], {"level1", "level2"}, items, 0) == {}
    items = [(None, ["三公经费控制率", "5", "5"], "")]
    assert _level_pair(["运行成本", "经济成本"], {"level1", "level2"}, items, 0) == \
        {"level1": "运行成本", "level2": "经济成本"}
    # 生态效益指标 空气质量优良 / 天数比例 ≥85% 87% 21 21: a wrapped name, though its tail leads the figures
    items = [(None, ["天数比例", "≥85%", "87%", "21", "21"], "")]
    assert _level_pair(["生态效益指标", "空气质量优良"], {"level1", "level2"}, items, 0) == {}
