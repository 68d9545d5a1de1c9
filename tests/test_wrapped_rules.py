"""A scoring rule's sentence wrapped between a figure and its unit, as text in drawing
order prints a Writer scoring table (每低 1 个百分点扣 0.5 / 分，扣完为止。): the figure ends
the line and its 分 opens the next.  It is the sentence's, no cell: before, the line read
as a row named 每低1个百分点扣 with a 分值 of 0.5, and the table had rows it does not print.

The documents are generated (tests/variants, seed 1: a Writer 部门整体支出绩效自评表 as
pypdfium2 and `pdftotext -raw` print it); the truth beside them is the generator's own."""
from pathlib import Path

import pytest

from extractor.model import Line
from extractor.recognize.texttable import prepare
from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "wrapped_rules"
FIELDS = ("level1", "level2", "level3", "weight", "score", "page")


@pytest.mark.parametrize("name", ["0125_dept_scoring_writer.pypdfium2.txt", "0125_dept_scoring_writer.pdftotext_raw.txt"])
def test_no_row_is_made_of_a_wrapped_rule(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert "每低 1 个百分点扣 0.5" in (DATA / name).read_text(encoding="utf-8")
    assert [tuple(r[f] for f in FIELDS) for r in result["scores"]] == \
        [tuple(r[f] for f in FIELDS) for r in truth["scores"]]


def test_the_figure_stays_a_cell_where_no_unit_opens_the_next_line():
    items = prepare([Line("每低 1 个百分点扣 0.5", 1), Line("分，扣完为止。", 1),
                     Line("预算执行率 10 9.5", 1), Line("部门决算报表", 1)])
    assert [toks for _, toks, _ in items][0] == ["每低1个百分点扣0.5"]
    assert [toks for _, toks, _ in items][2] == ["预算执行率", "10", "9.5"]
