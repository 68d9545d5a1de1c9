"""A scoring table's 评分依据 cell wrapped in its narrow column, as PyMuPDF prints a Writer
table a cell per line: 绩效目标申报表、自评 / 表, 财务管理制度及相关会 / 计凭证.  The piece
on the next line ends the evidence's name (自评表, 会计凭证, of the vocabulary's endings), so
it is no cell of its own; before, it was read as the next row's 二级 (表) and the rows under
it lost their group.

Also, in ReportLab tables as text in drawing order: a long 三级's tail on its figures'
line, and a 二级 beside its weighted 一级 on a line of their own (below).

The documents are generated (tests/variants, seed 1: Writer and ReportLab
部门整体支出绩效自评表); the truth beside them is the generator's own."""
from pathlib import Path

import pytest

from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "wrapped_evidence"
FIELDS = ("level1", "level2", "level3", "weight", "score", "page")


@pytest.mark.parametrize("name", ["0017_dept_scoring_writer.pymupdf.txt", "0005_dept_scoring_writer.pymupdf.txt"])
def test_every_score_row_keeps_its_group(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert not truth["planted"] and len(truth["scores"]) >= 10
    assert [tuple(r[f] for f in FIELDS) for r in result["scores"]] == \
        [tuple(r[f] for f in FIELDS) for r in truth["scores"]]
    assert not [c for c in result["checks"] if c["status"] == "fail"]


@pytest.mark.parametrize("name", ["0001_dept_scoring_reportlab.pypdfium2.txt", "0001_dept_scoring_reportlab.pdftotext_raw.txt"])
def test_a_long_name_s_tail_and_a_二级_beside_its_一级(name, packs, tmp_path):
    """ReportLab scoring tables as text in drawing order: a long 三级 wraps its last
    characters onto its figures' line (部门整体绩效目标产出指标完成 / 情况 20 17.41 …): the name
    is whole; a 一级 printed with its weight and a 二级 beside it on a line of their own
    (运行成本（10分） 经济成本) gives the rows below both."""
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert not truth["planted"] and len(truth["scores"]) >= 10
    assert [tuple(r[f] for f in FIELDS) for r in result["scores"]] == \
        [tuple(r[f] for f in FIELDS) for r in truth["scores"]]
    assert not [c for c in result["checks"] if c["status"] == "fail"]
