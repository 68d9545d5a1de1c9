"""Forms whose figures plain `pdftotext` scrambles (cells in blocks, out of their rows).

- A 项目支出绩效自评表 is still found by its own labels (项目名称 … 主管部门 / 实施单位):
  its project is a row, named as printed, and the document says the form's figures were
  not read.  Before, the forms were not found at all, and the indicators' project had no
  row of its own.
- A document's counts of projects by grade (5优秀+1良好+0合格+1不合格 against 共6个) are
  the document's own figures: they are checked although the projects table is incomplete.
  Before, that check was skipped with the projects, and the planted mismatch went unseen.

The texts are what plain pdftotext made of generated documents (tests/variants, seed 1);
the truth beside them is the generator's own."""
from pathlib import Path

from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "scrambled_forms"


def test_a_form_is_found_by_its_labels_and_its_unread_figures_said(packs, tmp_path):
    truth, result = run_generated(DATA, "0022_project_selfeval_calc.pdftotext.txt", packs, tmp_path)
    want = [(p["name"], p["page"]) for p in truth["projects"]]
    assert [(p["name"], p["page"]) for p in result["projects"]] == want
    assert all(p.get("budget") is None and p.get("score") is None for p in result["projects"])  # none guessed
    doc = result["documents"][0]
    assert doc["status"] == "partial"
    assert "2 form(s) whose figures were not read (p.1, 2)" in doc["error"]
    # the indicators read are under the projects printed
    assert {r["project"] for r in result["indicators"]} <= {name for name, _ in want}


def test_counts_by_grade_are_checked_against_the_stated_total_whatever_rows_were_read(packs, tmp_path):
    truth, result = run_generated(DATA, "0031_final_accounts_writer.pdftotext.txt", packs, tmp_path)
    assert [p["checks"] for p in truth["planted"]] == [["project.count"]]
    by_grade = [c for c in result["checks"] if c["check"] == "project.count" and "by grade" in c["message"]]
    assert [(c["status"], c["expected"], c["reported"]) for c in by_grade] == [("fail", "7", "6")]
    assert result["documents"][0]["status"] == "partial"  # its projects were not all read


def test_the_count_by_grade_is_no_sum_of_rows_and_is_not_skipped_with_them():
    from extractor.checks import project_checks, skip_incomplete
    counts = [{"what": "项目", "grade": None, "count": 6, "page": 2},
              {"what": "项目", "grade": "优秀", "count": 5, "page": 2},
              {"what": "项目", "grade": "不合格", "count": 1, "page": 2},
              {"what": "项目", "grade": "良好", "count": 1, "page": 2}]
    projects = [{"name": f"项目{k}", "page": 3} for k in range(7)]  # more listed than stated
    checks = skip_incomplete(project_checks(projects, counts, {}), {"projects"})
    status = {c["message"].split(";")[0].split(":")[0]: c["status"] for c in checks if c["check"] == "project.count"}
    assert status == {"5优秀+1不合格+1良好 = 7 projects by grade": "fail",  # the document's own figures
                      "7 projects listed with figures, 6 stated": "skipped"}  # our rows: not all read
