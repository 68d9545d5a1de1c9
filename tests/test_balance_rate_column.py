"""The Fujian-style 部门整体绩效自评表 (年初预算数 | 全年预算数 | 年度拨付金额 | 实际支出 |
支出实现率 | 结余率) as text that prints a cell per line (PyMuPDF, a web page copied).

结余率 is a column of the vocabulary (role balance_rate) no pack field takes.  Before, a
header printed a cell per line stopped at the last column the pack maps, so 结余率 was read
as the first row's name, and every row's 结余率 (2.21%) as a row of its own without a name:
合计 was lost and the table said `partial`.  Now the header goes on over any column role
of the vocabulary, a reading whose rows split a row's last figure off is not preferred
for the figure's better fit, and a row ends where the next row's name begins.

The texts are the generator's (tests/variants, seed 1); the expected rows its truth."""
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.packs import vocab
from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "balance_rate"
TEXTS = sorted(p.name for p in DATA.glob("*.txt"))


def _department_lines(rows):
    """The department's fund lines: the table's with their page; the 合计 of the narrative
    too (全年预算数…千元, read from its sentence), whose page the generator does not know."""
    return sorted([(r["fund_source"], *(None if r.get(f) is None else Decimal(str(r[f]))
                                        for f in ("initial", "adjusted", "actual")),
                    round(r["exec_rate"], 4), r["page"] if r.get("initial") is not None else None)
                   for r in rows if not r.get("project")], key=str)


@pytest.mark.parametrize("name", TEXTS)
def test_every_fund_line_of_the_department_table_is_read(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert _department_lines(result["budget"]) == _department_lines(truth["budget"])
    planted = {check for p in truth["planted"] for check in p["checks"]}
    assert {c["check"] for c in result["checks"] if c["status"] == "fail"} == planted


def test_the_header_roles_are_data():
    # patterns/vocab/roles.yaml: column_roles lists the roles that head columns, not rows
    assert vocab.is_column_term("结余率") and vocab.is_column_term("分值") and vocab.is_column_term("备注")
    assert not vocab.is_column_term("年度资金总额") and not vocab.is_column_term("资金情况")


def test_the_truths_narrative_total_is_on_its_sentences_page():
    """The generator's truth put the narrative's 合计 on the table's page (3), after the
    table's rows; its sentence is on page 2 (PDFium's text of the PDF, pages as printed)."""
    from types import SimpleNamespace
    from tests.variants.truth import assign_pages

    rows = {t: [] for t in ("budget", "tasks", "projects", "indicators", "scores", "counts")}
    rows["budget"] = [{"source": "table", "_anchors": ["55,377.82", "59,019.13"]},
                      {"source": "narrative", "_anchors": ["60,353.78", "59,019.13"]}]
    pages = ["封面", "全年预算数60,353.78千元，执行数59,019.13千元", "55,377.82 60,353.78 59,019.13"]
    assign_pages(SimpleNamespace(rows=rows), pages)
    assert [r["page"] for r in rows["budget"]] == [3, 2]
