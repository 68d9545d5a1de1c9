"""Without a grade scale, a grade that breaks the order of the scores is blamed on the
project out of line, not on the ones that agree with each other.

- One 良 scoring above five 优: the 良 fails, every 优 passes.
- Two projects that contradict each other alone (良 at 85.5, 中 at 100): either may be
  wrong, so both fail, each naming the other.  The generated report (tests/variants,
  seed 1) planted 中 on the project scoring 100: its own check fails.
- Grades that rise with the scores, ties included, all pass."""
from pathlib import Path

from extractor.checks import project_checks
from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "planted"


def _grades(projects):
    return {c["subject"]: c["status"] for c in project_checks(projects, [], {}) if c["check"] == "project.grade"}


def _project(name, score, grade):
    return {"name": name, "score": score, "grade": grade, "page": 1}


def test_the_one_out_of_line_is_blamed():
    projects = [_project(f"项目{k}", 91 + k, "优") for k in range(5)] + [_project("项目良", 96.5, "良")]
    got = _grades(projects)
    assert got.pop("项目良") == "fail"
    assert set(got.values()) == {"pass"}


def test_two_that_contradict_each_other_both_fail():
    got = _grades([_project("甲", 85.5, "良"), _project("乙", 100, "中"), _project("丙", 70, "中")])
    assert got == {"甲": "fail", "乙": "fail", "丙": "pass"}


def test_grades_in_order_pass():
    got = _grades([_project("甲", 95, "优"), _project("乙", 95, "良"), _project("丙", 80, "良"),
                   _project("丁", 60, "中"), _project("戊", 96, "优")])
    assert set(got.values()) == {"pass"}


def test_a_planted_grade_fails_on_its_own_project(packs, tmp_path):
    truth, result = run_generated(DATA, "0076_dept_report_writer.web.txt", packs, tmp_path)
    [planted] = truth["planted"]
    assert planted["checks"] == ["project.grade"] and planted["subjects"] == ["孵化器建设补助项目"]
    got = {c["subject"]: c for c in result["checks"] if c["check"] == "project.grade"}
    assert got["孵化器建设补助项目"]["status"] == "fail"
    assert "2022年科普活动经费" in got["孵化器建设补助项目"]["message"]
    assert all(c.get("severity") != "error" for c in got.values())
