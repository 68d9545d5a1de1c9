"""Header cells a narrow column wrapped a piece per line, as PyMuPDF prints a form a cell
per line: 偏差原 / 因分析 / 及改进 / 措施 (four pieces) after 得分 is the remarks column,
and 未完成原因分 / 析 stays a header cell although a row below prints a figure and its unit
apart (4503.94 万元).  Before, the last pieces (措施, 及改进) were read as the first row's
一级指标 and every 一级 of the form was wrong.

The documents are generated (tests/variants, seed 1: Writer project forms and a Writer
决算); the truth beside them is the generator's own."""
from pathlib import Path

import pytest

from generated_texts import INDICATOR_FIELDS, fields_of, run_generated

DATA = Path(__file__).parent / "data" / "wrapped_header_cells"


@pytest.mark.parametrize("name, projects", [
    ("0018_project_selfeval_writer.pymupdf.txt", ["2020年旅游宣传推介", "2020年度群众文化活动经费项目"]),
    ("0030_project_selfeval_writer.pymupdf.txt", ["保障性住房租赁补贴专项资金", "建筑工地扬尘治理",
                                                 "物业管理指导项目"]),
    ("0199_final_accounts_writer.pymupdf.txt", None),
])
def test_wrapped_header_cells_are_no_rows(name, projects, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    # (0030 holds a planted 得分 above its 分值: the rows are read as printed all the same)
    projects = projects or sorted({r["project"] for r in truth["indicators"]})
    for project in projects:
        want = [r for r in truth["indicators"] if r["project"] == project]
        got = [r for r in result["indicators"] if r["project"] == project]
        assert len(want) >= 4
        assert fields_of(got, INDICATOR_FIELDS) == fields_of(want, INDICATOR_FIELDS), project
