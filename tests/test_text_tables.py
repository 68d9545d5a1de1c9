"""Project self-evaluation tables that arrive as extracted text (pdfplumber's
extract_text of the PDFs, made here): the text twins of the grid sections read them.
Expected values come from the golden files written by reading the PDFs."""
import json

import pdfplumber
import pytest

from extractor.pipeline import process_file
from golden_compare import diff_rows
from conftest import GOLDEN, SAMPLES, SHARED

PROJECT_COLUMNS = ("name", "budget", "actual", "exec_rate", "score", "max_score", "grade", "source")


def as_text(pdf_path, out_path):
    with pdfplumber.open(pdf_path) as pdf:
        out_path.write_text("\f".join(page.extract_text() or "" for page in pdf.pages), encoding="utf-8")
    return out_path


def pick(rows, columns):
    return [{c: r.get(c) for c in columns if c in r} for r in rows]


@pytest.mark.parametrize("pdf, golden_name", [
    (SAMPLES / "2022_sample_project_selfeval.pdf", "2022_sample_project_selfeval"),
    (SHARED / "real" / "xian_wjw_2022_final_accounts_excerpt.pdf", "xian_wjw_2022_final_accounts_excerpt"),
])
def test_project_tables_as_text(pdf, golden_name, packs, tmp_path):
    golden = json.loads((GOLDEN / "real" / f"{golden_name}.json").read_text(encoding="utf-8"))
    result = process_file(as_text(pdf, tmp_path / f"{golden_name}.txt"), packs)
    doc = result["documents"][0]
    assert doc["status"] == "ok", doc
    if golden_name.startswith("xian"):
        # The department's task table (a header over two rows: 全年预算数 / 全年执行数 over
        # 总额 财政拨款 其他资金, 17 tasks whose names and contents wrap): every task's figures
        # as the PDF prints them; most names whole (a name wrapped around its row's line is
        # not always put back together; 主要内容 mostly not).
        figures = ("budget", "budget_fiscal", "budget_other", "actual", "actual_fiscal", "actual_other",
                   "weight", "exec_rate", "score", "completion")
        want = [[str(t.get(c)) for c in figures] for t in golden["tasks"]]
        got = [[str(t.get(c)) for c in figures] for t in result["tasks"]]
        assert got == want
        names = sum(a["task"] == b["task"] for a, b in zip(golden["tasks"], result["tasks"]))
        assert len(golden["tasks"]) == 17 and names >= 10, names
    table_projects = [p for p in golden["projects"] if p["source"] == "table"]
    problems, _ = diff_rows("projects", pick(table_projects, PROJECT_COLUMNS),
                            [p for p in result["projects"] if p["source"] == "table"])
    assert not problems, problems
    project_lines = [b for b in golden["budget"] if b.get("project")]
    problems, _ = diff_rows("budget", pick(project_lines, ("project", "fund_source", "initial", "adjusted", "actual",
                                                           "exec_rate", "source")),
                            [b for b in result["budget"] if b.get("project")])
    assert not problems, problems
    # No arithmetic is claimed broken that holds in the PDF (a shortfall of indicator
    # lines read from text, or a 合计 within the rounding of its addends, is a warning).
    assert not [c for c in result["checks"] if c["status"] == "fail" and c["severity"] == "error"]


def test_sample_indicators_as_text(packs, tmp_path):
    golden = json.loads((GOLDEN / "real" / "2022_sample_project_selfeval.json").read_text(encoding="utf-8"))
    result = process_file(as_text(SAMPLES / "2022_sample_project_selfeval.pdf", tmp_path / "s.txt"), packs)
    columns = ("project", "name", "target_text", "actual_text", "weight", "score", "achieved")
    problems, _ = diff_rows("indicators", pick(golden["indicators"], columns), result["indicators"])
    assert not problems, problems
    doc = result["documents"][0]
    assert (doc["kind"], doc["total_score"], doc["grade"]) == ("project_selfeval", 98.8, "优")
