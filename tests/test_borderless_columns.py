"""Scoring and indicator tables without ruling lines, read by word positions, and their
text twins read line by line.

- Calc right-aligns a figure in its cell, so the 得分 under a left-aligned label ends
  where the 评分细则 column begins; that column, the last but one, must not draw the
  figures away because the figures alone end there (the table ends further right).
- Where the reader cannot find a figure column the header prints (Writer glues the 评分
  figure to the 评分标准 prose beside it: 4.7190%得…), every row lacks that figure: the
  document is `partial`, naming the column, and the scores are not summed.
- A cell wrapped in a borderless table (项目完成成 / 本, 7732.17万 / 元) leaves its last
  characters on a line of their own: they are that row's, not a row.
- `pdftotext -raw` prints a scoring group's 一级 and 二级 alone on the line above its
  first row (运行成本 经济成本 / 三公经费控制率 5 5), or all three levels on the row's line
  (社会效应 满意度 服务对象满意度 10 10), in words the vocabulary need not know.
- A 决算's task table splits 全年预算数 / 全年执行数 into 总额 / 财政拨款 / 其他资金 on the
  header's next line; Writer prints each parent from its first child's left edge, so the
  child under the label (财政拨款) was taken into the parent's column and the other two
  stood under no column: the tasks came out without their 总额, the 合计 was not read,
  and the document said ok.  Each child is a column of its own, named parent + child.

The documents are generated (tests/variants, seed 1); the truth files beside them are the
generator's own figures."""
from pathlib import Path

from decimal import Decimal

from extractor.model import Line, Word
from extractor.recognize.texttable import _header_columns
from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "borderless"
KEYS = ("level1", "level2", "level3", "weight", "score")


def _scores(rows):
    return [tuple(r.get(k) for k in KEYS) for r in rows]


def test_right_aligned_scores_of_a_calc_table_are_read(packs, tmp_path):
    truth, result = run_generated(DATA, "0069_dept_scoring_calc.pdf", packs, tmp_path)
    assert _scores(result["scores"]) == _scores(truth["scores"])
    assert result["documents"][0]["status"] == "ok"
    assert [c for c in result["checks"] if c["check"] == "score.total" and c["status"] == "pass"]


def test_a_score_column_not_found_makes_the_document_partial(packs, tmp_path):
    truth, result = run_generated(DATA, "0113_dept_scoring_writer.pdf", packs, tmp_path)
    assert all(r.get("score") is not None for r in truth["scores"])  # the document prints every score
    if any(r.get("score") is None for r in result["scores"]):
        doc = result["documents"][0]
        assert doc["status"] == "partial"
        assert "the header prints a column no line's value was read under: score" in doc["error"]
        assert not [c for c in result["checks"] if c["check"] == "score.total" and c["status"] == "fail"]
    # what it reads of the other columns is the document's
    assert [(r["level3"], r["weight"]) for r in result["scores"]] == \
        [(r["level3"], r["weight"]) for r in truth["scores"]]


def test_a_wrapped_cell_end_is_no_row(packs, tmp_path):
    truth, result = run_generated(DATA, "0114_project_selfeval_writer.pdf", packs, tmp_path)
    names = {(r.get("project"), r.get("name")) for r in truth["indicators"]}
    got = [(r["project"], r.get("name")) for r in result["indicators"]]
    assert ("科技创新券项目", "项目完成成本") in names and ("科技创新券项目", "项目完成成本") in got
    want = next(r for r in truth["indicators"] if r.get("name") == "项目完成成本")
    row = next(r for r in result["indicators"] if r.get("name") == "项目完成成本")
    assert (row["target_text"], row["actual_text"], row["weight"]) == \
        (want.get("target_text"), want.get("actual_text"), want.get("weight"))
    assert not [n for n in got if n[1] in ("本", "元")]


def test_levels_alone_or_three_on_a_line_in_raw_text(packs, tmp_path):
    truth, result = run_generated(DATA, "0037_dept_scoring_reportlab.pdftotext_raw.txt", packs, tmp_path)
    groups = [("运行成本", "经济成本"), ("社会效应", "满意度")]
    want = [s for s in _scores(truth["scores"]) if s[:2] in groups]
    assert len(want) == 3  # 三公经费控制率, 日常公用经费控制率, 服务对象满意度
    assert [s for s in _scores(result["scores"]) if s[:2] in groups] == want
    assert {s[2] for s in _scores(result["scores"])} >= {s[2] for s in want}


def test_figures_of_two_cells_side_by_side_are_two_words():
    """Writer prints a right-aligned 评分 (4.71) 4.5 pt before the 评分标准 cell's text (90%得…)
    on the same line, closer than a word gap: a number's digits touch, so the two are split
    where a digit stands a third of a character from the digit before it.  The characters'
    positions are the generated PDF's (0113_dept_scoring_writer.pdf, p.1)."""
    from extractor.readers.layout import words_from_chars

    chars = [dict(text=t, x0=a, x1=b, size=9.0) for t, a, b in
             [("4", 364.5, 369.5), (".", 369.5, 372.44), ("7", 372.39, 377.33), ("1", 377.39, 381.63),
              ("9", 386.1, 391.16), ("0", 391.1, 396.12), ("%", 396.2, 404.51), ("得", 404.5, 413.5),
              ("8", 415.3, 420.32)]]
    assert [w.text for w in words_from_chars(chars)] == ["4.71", "90%得", "8"]
    # a number's own digits, and a decimal point, stay one word
    assert [w.text for w in words_from_chars(chars[:4])] == ["4.71"]


def test_a_parent_over_its_fund_line_children_gives_a_column_per_child():
    def line(*words):
        return Line(" ".join(t for _, _, t in words), 1, words=[Word(a, b, t) for a, b, t in words])
    header = [line((85, 105, "任务名"), (202, 260, "全年预算数（万元）"), (338, 397, "全年执行数（万元）")),
              line((112, 138, "主要内容"), (474, 488, "分值")),
              line((85, 92, "称"), (202, 215, "总额"), (249, 275, "财政拨款"), (296, 322, "其他资金"),
                   (338, 351, "总额"), (385, 411, "财政拨款"), (433, 459, "其他资金"))]
    assert [c.label for c in _header_columns(header)] == [
        "任务名称", "主要内容", "全年预算数(万元)总额", "全年预算数(万元)财政拨款", "全年预算数(万元)其他资金",
        "全年执行数(万元)总额", "全年执行数(万元)财政拨款", "全年执行数(万元)其他资金", "分值"]


def test_tasks_under_split_money_columns_of_a_borderless_table(packs, tmp_path):
    truth, result = run_generated(DATA, "0055_final_accounts_writer.pdf", packs, tmp_path)
    fields = ("task", "budget", "actual", "exec_rate", "weight", "score", "page")
    assert [tuple(r[f] for f in fields) for r in result["tasks"]] == \
        [tuple(Decimal(r[f]) if f in ("budget", "actual") else r[f] for f in fields) for r in truth["tasks"]]
    total = [r for r in result["budget"] if r["fund_source"] == "合计" and r["source"] == "table" and not r.get("project")]
    want = [r for r in truth["budget"] if r["fund_source"] == "合计" and r["source"] == "table" and not r.get("project")]
    assert [(r["adjusted"], r["actual"]) for r in total] == [(Decimal(r["adjusted"]), Decimal(r["actual"])) for r in want]
    assert result["documents"][0]["status"] == "ok", result["documents"][0]
    assert [c for c in result["checks"] if c["check"] == "task.total" and c["status"] == "pass"]
    assert not [c for c in result["checks"] if c["status"] == "fail"]
