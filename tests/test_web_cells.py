"""Tables printed a cell per line with blank lines between (web-page text), where a
row's cells are not where a reading by columns alone would put them: the rows must be
the generator's own, field by field.  Each document below was read wrong before the
rule its test names (measured on the variant corpus, seed 1)."""
from __future__ import annotations

import pytest

from extractor.packs import load_packs
from extractor.batch.pipeline import process_file
from extractor.recognize.texttable import _tokens
from tests.variants.build import build
from tests.variants.twins import web_text

PACKS = load_packs()


def _read(tmp_path, i, seed=1):
    doc = build(i, seed)
    path = tmp_path / f"{doc.name}.web.txt"
    path.write_text(web_text(doc), encoding="utf-8")
    return doc, process_file(path, PACKS)


def _scores(rows):
    return [(r["level1"], r["level2"], r["level3"], float(r["weight"]), float(r["score"])) for r in rows]


@pytest.mark.parametrize("i", [193, 181, 5])
def test_scoring_lines_with_their_remarks_and_levels_as_the_table_ranks_them(tmp_path, i):
    """193: 职责履行's lines are named 实际完成率 / 完成及时性, words the vocabulary knows
    as 二级 — a line names itself, its 二级 comes from above.  181: a line's 评分依据
    (门户网站公开信息截图) printed after its figures is that line's, not the next line's
    一级; 运行成本 is this table's 一级 although the vocabulary lists it as a 二级.
    5: 服务对象满意度 under 履职效益."""
    doc, out = _read(tmp_path, i)
    assert doc.family == "dept_scoring"
    assert _scores(out["scores"]) == _scores(doc.rows["scores"])


@pytest.mark.parametrize("i", [43, 178])
def test_a_remarks_column_left_empty_does_not_take_the_next_rows_name(tmp_path, i):
    """The 偏差原因 cell is empty on every line, so a cell per line never prints it: the
    cell after a line's 得分 (群众文化生活, 服务补助标准) is the next line's name."""
    doc, out = _read(tmp_path, i)
    key = ("project", "name", "target_text", "actual_text", "weight", "score")
    want = [tuple(r.get(k) for k in key) for r in doc.rows["indicators"]]
    got = [tuple(r.get(k) for k in key) for r in out["indicators"]]
    assert got == want


def test_a_numbered_score_list_ending_the_text(tmp_path):
    """序号 | 项目名称 | 自评分数 a cell per line after a caption that names 自评分数
    (各项目自评分数见下表：): the caption is no header cell, the 序号 is no score, and the
    text's last line (100) is the last project's score, not a page number."""
    doc, out = _read(tmp_path, 59)
    assert doc.family == "final_accounts"
    want = [(p["name"], p["score"]) for p in doc.rows["projects"] if p["source"] == "table"]
    got = [(p["name"], p["score"]) for p in out["projects"] if p["source"] == "table"]
    assert len(want) == 3 and got == want


def test_a_numbered_score_list_a_row_per_line(tmp_path):
    """The same list as pdfplumber or pdftotext print it: a row per line, the 序号 first
    and a year spaced from its 年 (2 2023 年科技计划项目 93)."""
    text = ("2023年度部门决算\n九、预算绩效管理工作开展情况\n项目自评得分情况如下：\n"
            "序号 项目名称 自评得分\n1 高新技术企业培育 96.53\n2 2023 年科技计划项目 93\n")
    path = tmp_path / "list.pdftotext_layout.txt"
    path.write_text(text, encoding="utf-8")
    out = process_file(path, PACKS)
    got = [(p["name"], p["score"]) for p in out["projects"] if p["source"] == "table"]
    assert got == [("高新技术企业培育", 96.53), ("2023年科技计划项目", 93.0)]


def test_a_year_spaced_from_its_nian_is_one_cell():
    assert _tokens("2 2023 年科技计划项目项目 93") == ["2", "2023年科技计划项目项目", "93"]
    assert _tokens("合计 2023 1,234.00") == ["合计", "2023", "1,234.00"]


def test_a_value_spaced_out_by_a_text_tool_is_one_cell():
    """pypdfium2 and pdfplumber space a target from its comparison word and a quantity from
    its unit (不少于 98%, 371 批次, 200 元/人次); 分 and money units stay apart (a 分值, a sum)."""
    assert _tokens("验收通过率 不少于 98% 99% 13 13") == ["验收通过率", "不少于98%", "99%", "13", "13"]
    assert _tokens("完成检测批次 371 批次 334 批次 0.5 0.4") == ["完成检测批次", "371批次", "334批次", "0.5", "0.4"]
    assert _tokens("宣传补助标准 200 元/人次 200 元/人次 4.5 4.5")[1:3] == ["200元/人次", "200元/人次"]
    assert _tokens("数量指标 10 分") == ["数量指标", "10", "分"]
    assert _tokens("合计 1538.57 万元") == ["合计", "1538.57", "万元"]
    assert _tokens("年度资金总额 19,488.46 19,640.61 10 91.45%") == ["年度资金总额", "19,488.46", "19,640.61", "10", "91.45%"]


@pytest.mark.parametrize("i", [6, 14])
def test_a_fund_line_with_every_figure_blank_is_a_row(tmp_path, i):
    """A project's 上年结转资金 / 其他资金 with no money (the web page prints its empty
    cells as nothing and its — cells as —) is a fund line all the same, as in the PDF."""
    doc, out = _read(tmp_path, i)
    assert doc.family == "project_selfeval"

    def lines(rows):
        return [(r["project"], r["fund_source"], *(None if r.get(f) is None else str(r[f])
                                                  for f in ("initial", "adjusted", "actual")))
                for r in rows if r.get("source") == "table"]
    assert any(all(v is None for v in row[2:]) for row in lines(doc.rows["budget"]))
    assert lines(out["budget"]) == lines(doc.rows["budget"])


def test_a_column_header_after_a_name_label_is_no_name(tmp_path):
    """Document 63's score list is headed 序号 / 项目名称 / 自评分数, a cell per line: the
    cell after 项目名称 is the next column's label, not a project's name, so the
    department's indicators read below it belong to no project (they had all been put
    under a project named 自评分数 and lost)."""
    doc, out = _read(tmp_path, 63)
    assert doc.family == "final_accounts"
    cells = [c for c in web_text(doc).splitlines() if c.strip()]
    assert cells[cells.index("项目名称") + 1] == "自评分数"

    def key(r):
        return r.get("project"), r["name"], r.get("target_text"), r.get("actual_text")
    assert sorted(map(key, out["indicators"]), key=str) == sorted(map(key, doc.rows["indicators"]), key=str)
