"""Merged 一级/二级 cells of a scoring table as text.

Word, Calc and ReportLab centre a merged cell's text on its rows, and a tool that orders
lines by height (pdfplumber's `extract_text`, `pdftotext -layout`) prints the label in
the middle of them: rows come before their group's label, and the rows just above the
next label belong to it (预算编制科学性 / 预算编制 / 绩效目标合理性 are one group).  A
group split by a page break prints its label on its part of the first page.  A tool
that prints in drawing order (pypdfium2, `pdftotext -raw`) gives each label before its
rows, or every 一级 after the table (投入（20分） … once the rows are done): those are read
as printed — a label on a row's line (预算执行 预算执行率 10 9.07) is the row's 二级, not part
of its name, and a 评分依据 line above a row (重点工作任务台账) is the row before's, not a
piece of this one's name.  A 评分依据 cell printed on its own line between two rows
(部门预算批复文件, 门户网站公开信息截图: PyMuPDF, 0037) is no 二级 either: the rows below keep
the level of the rows above, the merged cell they are in.  A 一级 whose weight a narrow
cell broke over two lines (产出（30 / 分） 职责履行: pypdfium2 0017, `-raw` 0137) is one label,
and the 二级 after it on the second line is its first 二级.  A 一级 that prints its weight (部门管理（25分）) covers the rows
whose 分值 make it, even where the tool put its line a row off the middle (0009: 部门管理
beside 支付进度率's wrapped 评分标准), and its 二级 are centred inside those rows (0101: the
label and its weight on two lines, （25分） below 部门管理, are one label).

The texts are what those tools made of generated scoring tables (tests/variants, seed 1);
the expected rows and planted errors are the generator's own (its truth file, kept
beside each text)."""
from pathlib import Path

import pytest

from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "centred_levels"
TEXTS = sorted(p.name for p in DATA.glob("*.txt"))


@pytest.mark.parametrize("name", TEXTS)
def test_every_row_under_its_own_merged_labels(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    got = [(r.get("level1"), r.get("level2"), r.get("level3"), r.get("weight"), r.get("score"), r.get("page"))
           for r in result["scores"]]
    want = [(r["level1"], r["level2"], r["level3"], r["weight"], r["score"], r["page"]) for r in truth["scores"]]
    assert got == want
    assert result["documents"][0]["status"] == "ok", result["documents"][0]
    # the one error the generator planted (a 合计 that is not the sum) is found, nothing else
    assert sorted(c["check"] for c in result["checks"] if c["status"] == "fail") == \
        sorted(p["checks"][0] for p in truth["planted"])


def test_the_texts_hold_what_the_rule_is_about():
    """The centred text prints its first row before its first 二级 label; the drawing-order
    one prints the labels first."""
    def at(name, text):
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
        return next(k for k, ln in enumerate(lines) if ln.split() and ln.split()[0] == text)
    centred = "0013_dept_scoring_reportlab.pdfplumber.txt"
    assert at(centred, "预算编制科学性") < at(centred, "预算编制")
    drawn = "0129_dept_scoring_calc.pypdfium2.txt"
    assert at(drawn, "投入") < at(drawn, "预算编制") < at(drawn, "预算编制科学性")


def test_evidence_cells_are_told_from_level_labels():
    """The 评分依据 cells the generated and the real scoring tables print are evidence; the
    vocabulary's 一级/二级 terms never are (a data change extends the endings)."""
    from extractor.packs import vocab
    for name in TEXTS:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
        for cell in ("部门决算报表", "门户网站公开信息截图", "部门预算批复文件", "重点工作任务台账"):
            if cell in lines:
                assert vocab.is_evidence(cell)
    # the real 2023 Liwan scoring table's evidence column
    assert vocab.is_evidence("2023年决算报表")
    for term in vocab.level1_terms() | set(vocab.level_parents()):
        assert not vocab.is_evidence(term), term
