"""Borderless scoring tables exported by LibreOffice Writer (权重 | 得分 | 评分标准及说明).

The 得分 figures are right-aligned a few points left of the 评分标准 column's prose, and
that prose holds figures of its own (90%得80%分, 100%的, 0.5分。): before, those bridged
the gutter and every 得分 was read as part of 评分标准 (the document `partial`, scores
F1 0.94 for Writer PDFs).  Merged 一级/二级 labels over a page break print once, on the
part of their rows on one page: each label takes the run of rows it stands in the
middle of on its page — and so does every label where the reach from the labels above
leaves one far off the middle of its rows (seed2_0061: 投入 a few points above the middle of
its three rows, its reach stopping a point short of the third).

The PDFs are the generator's (tests/variants, seed 1); the expected rows its truth."""
from pathlib import Path

import pytest

from extractor.recognize.texttable import _cell_figure, _recurring, _runs_around
from generated_texts import SCORE_FIELDS, fields_of, run_generated

DATA = Path(__file__).parent / "data" / "narrow_gutters"
NAMES = sorted(p.name for p in DATA.glob("*.pdf"))


@pytest.mark.parametrize("name", NAMES)
def test_scores_beside_prose_are_read(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert fields_of(result["scores"], SCORE_FIELDS) == fields_of(truth["scores"], SCORE_FIELDS)
    assert result["documents"][0]["status"] == "ok", result["documents"][0]["error"]


def test_figures_running_into_prose_mark_no_column():
    assert _cell_figure("5") and _cell_figure("4.24") and _cell_figure("98.29%") and _cell_figure("≥372批次")
    assert _cell_figure("60元/人次")
    assert not _cell_figure("100%的") and not _cell_figure("0.5分。") and not _cell_figure("100%以上的得满")


def test_a_rare_span_between_two_columns_is_dropped_an_apart_one_kept():
    spans = [(300.0, 312.0)] * 6 + [(360.0, 377.0)] * 6 + [(370.0, 458.0), (20.0, 30.0)]
    assert _recurring(sorted(spans), 12, 4.5) == [(20.0, 30.0), (300.0, 312.0), (360.0, 377.0)]


def test_labels_take_the_rows_they_stand_in_the_middle_of():
    page = 100_000
    ys = [page + 300, page + 380, page + 470, page + 560, page + 660, page + 750, page + 800,
          2 * page + 140, 2 * page + 220, 2 * page + 310]
    # 部门决策 centred on rows 1-3; 部门管理 on rows 4-7 of page 1 (row 8 on page 2 is its
    # too, the label printed once); 部门绩效 on rows 9-10
    assert _runs_around([page + 385, page + 680, 2 * page + 265], ys) == [(0, 2), (3, 7), (8, 9)]
    assert _runs_around([page + 1] * 11, ys) is None  # more labels than rows
