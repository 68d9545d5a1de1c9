"""What a text reader put in a name's place is said, not passed off as a name.

`pdftotext -raw` prints a Writer form's wrapped 三级指标 (项目完成及 / 时性) on lines the
indicator's reader may not join; a row can come out named by its own target (按时完成 |
按时完成), a unit run onto its own line (/人次, 万元) or a level's printed weight ((20分)).
Its figures stand, and the document is `partial` with the pages of those rows.

A task the text counts (3.应急保障任务：本任务设置绩效目标1个) but the task table does not
give makes the tasks incomplete: their 合计 is not checked against the tasks read.

The texts are what the tools made of generated documents (tests/variants, seed 1); the
truth files beside them are the generator's own figures."""
from pathlib import Path

from extractor.batch.pipeline import process_file
from generated_texts import run_generated

DATA = Path(__file__).parent / "data"


def test_rows_named_by_their_own_target_are_said(packs, tmp_path):
    truth, result = run_generated(DATA / "names_misread", "0054_project_selfeval_writer.pdftotext_raw.txt",
                                  packs, tmp_path)
    names = {(r["project"], r["name"]) for r in truth["indicators"]}
    misnamed = [r for r in result["indicators"] if (r["project"], r["name"]) not in names
                and r["name"] in (r["target_text"], r["actual_text"])]
    assert misnamed  # the rows this text leaves without their name
    doc = result["documents"][0]
    assert doc["status"] == "partial"
    pages = ", ".join(map(str, sorted({r["page"] for r in misnamed})))
    assert f"indicators: {len(misnamed)} lines whose 指标名称 was not read" in doc["error"]
    assert f"in its place) (p.{pages})" in doc["error"]
    # their figures are the document's: each misnamed row's target and 分值 are a truth row's
    figures = {(r["project"], r["target_text"], r["weight"]) for r in truth["indicators"]}
    assert all((r["project"], r["target_text"], r["weight"]) in figures for r in misnamed)


def test_a_task_the_text_counts_but_the_table_lacks_makes_the_tasks_incomplete(packs, tmp_path):
    """The PyMuPDF text of a report whose task table reads whole, with 任务3's cells cut out
    (a tool that lost them): the 合计 line still prints all three tasks' money, and the
    text still counts 任务3's indicator.  The tasks are said incomplete and their 合计 is
    not checked — it would fail on the tool's miss, not on the document."""
    name = "0152_dept_report_reportlab.pymupdf.txt"
    truth, whole = run_generated(DATA / "stated_counts", name, packs, tmp_path)
    assert not truth["planted"] and [r["task"] for r in truth["tasks"]] == ["任务1", "任务2", "任务3"]
    assert [r["task"] for r in whole["tasks"]] == ["任务1", "任务2", "任务3"]
    assert whole["documents"][0]["status"] == "ok"
    lines = (DATA / "stated_counts" / name).read_text(encoding="utf-8").split("\n")
    start = lines.index("任务3")
    end = next(k for k in range(start, len(lines)) if lines[k] == "合计")
    assert "应急保障任务。按要求" in lines[start:end]
    cut = tmp_path / "cut" / name
    cut.parent.mkdir()
    cut.write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")
    result = process_file(cut, packs)
    assert [r["task"] for r in result["tasks"]] == ["任务1", "任务2"]
    doc = result["documents"][0]
    assert doc["status"] == "partial"
    assert "tasks: 任务3 stated in the text, not read in the task table" in doc["error"]
    totals = [c for c in result["checks"] if c["check"] == "task.total"]
    assert totals and all(c["status"] == "skipped" for c in totals)


def test_a_name_wrapped_above_its_row_is_read_whole(packs, tmp_path):
    """pypdfium2 prints a wrapped 三级指标's first line alone and its last line with the
    row's figures (项目完成及 / 时性 按时完成 按时完成 16.5 16.5; 质量指标 资金拨付准 / 确率 …):
    the name is read whole, and a 二级 printed before its head is the row's 二级."""
    truth, result = run_generated(DATA / "stated_counts", "0054_project_selfeval_writer.pypdfium2.txt",
                                  packs, tmp_path)
    want = {(r["project"], r["name"]): r for r in truth["indicators"]}
    got = {(r["project"], r["name"]): r for r in result["indicators"]}
    for name in ("项目完成及时性", "印制宣传册数量", "企业营收增长率", "资金拨付准确率", "空气质量优良天数比例"):
        key = next(k for k in want if k[1] == name)
        assert key in got, name
        assert (got[key]["target_text"], got[key]["weight"]) == (want[key]["target_text"], want[key]["weight"])
    key = next(k for k in want if k[1] == "资金拨付准确率")
    assert got[key]["level2"] == want[key]["level2"] == "质量指标"
    # what is still misread is said (the row named by its own target)
    assert all(k in want for k in got) or "was not read" in result["documents"][0]["error"]


def test_only_a_wrapped_head_is_taken_from_the_other_reading():
    """The line parser's name for the same row (same project and figures) replaces the kept
    reading's only where it adds a wrapped head of a few words; on the Xi'an 决算's p.3 it
    ran the 指标内容 cell beside it into the name (全委系统理论学习中心组集中指标1:…), which
    stays out."""
    from extractor.recognize.engine import _names_from_other_reading

    figures = {"project": None, "target_text": "达到中共西安市委的要求", "actual_text": "学习356次", "weight": 2.0,
               "score": 2.0}
    kept = [{**figures, "name": "全面加强党的建设质量"}]
    _names_from_other_reading(kept, [{**figures, "name": "全委系统理论学习中心组集中指标1:全面加强党的建设质量"}], "name")
    assert kept[0]["name"] == "全面加强党的建设质量"
    wrapped = {"project": "2024年河道清淤整治项目", "target_text": "按时完成", "actual_text": "按时完成", "weight": 16.5,
               "score": 16.5}
    kept = [{**wrapped, "name": "时性"}]
    _names_from_other_reading(kept, [{**wrapped, "project": "2024 年河道清淤整治项目", "name": "项目完成及时性"}], "name")
    assert kept[0]["name"] == "项目完成及时性"


def test_levels_that_are_pieces_of_another_cell_are_said(packs, tmp_path):
    """Plain pdftotext prints a ReportLab scoring table's cells in blocks: pieces of other
    cells stand where the merged 一级/二级 would.  Rows under them keep their figures and
    the document says which lines' levels were not read; no error is raised on them."""
    name = "0013_dept_scoring_reportlab.pdftotext.txt"
    truth, result = run_generated(DATA / "names_misread", name, packs, tmp_path)
    levels = {(r["level1"], r["level2"]) for r in truth["scores"]}
    misread = [r for r in result["scores"] if (r["level1"], r["level2"]) not in levels]
    assert misread
    doc = result["documents"][0]
    assert doc["status"] == "partial"
    assert "scores:" in doc["error"] and "lines whose 一级/二级指标 was not read" in doc["error"]
    assert not [c for c in result["checks"] if c["status"] == "fail" and c["severity"] == "error"]


def test_a_wrapped_evidence_cell_is_no_level(packs, tmp_path):
    """PyMuPDF prints a ReportLab scoring table's wrapped 评分依据 (门户网站公开信息截 / 图,
    绩效目标申报表、自 / 评表) where the merged 一级/二级 stand: rows came out under 图 and
    绩效目标申报表、自.  The pieces are the evidence's: every row keeps its group."""
    name = "0049_dept_scoring_reportlab.pymupdf.txt"
    truth, result = run_generated(DATA / "names_misread", name, packs, tmp_path)
    fields = ("level1", "level2", "level3", "weight", "score")
    assert [tuple(r[f] for f in fields) for r in result["scores"]] == \
        [tuple(r[f] for f in fields) for r in truth["scores"]]
    assert result["documents"][0]["status"] == "ok"


def test_rows_without_the_levels_the_others_carry_are_said(packs, tmp_path):
    """`pdftotext -raw` of a ReportLab form whose 一级 labels it prints apart from their
    rows: rows come without the 一级/二级 the others carry.  Their figures are read, and
    the document says the levels were not read, with the pages."""
    name = "0002_project_selfeval_reportlab.pdftotext_raw.txt"
    truth, result = run_generated(DATA / "names_misread", name, packs, tmp_path)
    bare = [r for r in result["indicators"] if not (r.get("level1") and r.get("level2"))]
    assert 0 < len(bare) < len(result["indicators"])
    doc = result["documents"][0]
    assert doc["status"] == "partial"
    pages = ", ".join(map(str, sorted({r["page"] for r in bare})))
    assert f"{len(bare)} lines read without their 一级/二级指标 (p.{pages})" in doc["error"]
    weights = {(r["project"], r["name"]): r["weight"] for r in truth["indicators"]}
    assert all(weights[(r["project"], r["name"])] == r["weight"] for r in bare)


def test_a_remark_on_a_row_s_line_and_the_form_s_label_beside_a_level_cost_no_row(packs, tmp_path):
    """`pdftotext -layout` of a Calc form whose header prints no remarks column: the row
    with its remark on its line (新建活动数量 … 22.5 18 部分工作进度滞后。) is read, and a
    二级 printed beside the form's own label (绩效指标   质量指标) is its rows' 二级.  The
    总分 the generator planted wrong is found."""
    name = "0046_project_selfeval_calc.pdftotext_layout.txt"
    truth, result = run_generated(DATA / "names_misread", name, packs, tmp_path)
    fields = ("project", "level1", "level2", "name", "target_text", "actual_text", "weight", "score")
    assert [tuple(r[f] for f in fields) for r in result["indicators"]] == \
        [tuple(r[f] for f in fields) for r in truth["indicators"]]
    assert [p["checks"] for p in truth["planted"]] == [["score.total"]]
    assert [c for c in result["checks"] if c["check"] == "score.total" and c["status"] == "fail"]