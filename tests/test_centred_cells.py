"""A 决算's task table as pdfplumber's `extract_text` prints it: a line per baseline.

Writer centres each cell on its row.  A cell wrapped over three lines stands a line above
and below the row's figures; one over two lines stands half a line up and down, so its
lines print between the others' (保障住房保 / 住房保障支 部分任务完 / 障相关业务 93374673.23 … /
出 成 / 支出。) — or, in smaller type, on their baselines (一般公共服务 beside the figures,
支出 below).  Each column's pieces are found by how many lines it takes, the words a line
holds and how the cells fit their columns; before, the pieces of neighbouring columns were
joined (保障住房保部分任务完成支出。 as the content, 障相关业务 as 完成情况: tasks F1 0.52 on
the corpus's Writer × pdfplumber texts).

The first row's lines set aside may begin with the header's last pieces (金 金 under 其他资 /
金): without them, where the whole run explains no row.

The texts are the generator's (tests/variants, seed 1; 0083 seed 2); the expected rows its
truth."""
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.model import Line
from extractor.packs import load_packs
from extractor.recognize import texttable
from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "centred_cells"
TEXTS = sorted(p.name for p in DATA.glob("*.txt"))


def _tasks(rows):
    return [(r["task"], r["content"], r["completion"], Decimal(str(r["budget"])), Decimal(str(r["actual"])),
             r["weight"], r["score"], r["page"]) for r in rows]


@pytest.mark.parametrize("name", TEXTS)
def test_each_cell_takes_its_own_lines(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert _tasks(result["tasks"]) == _tasks(truth["tasks"])
    planted = {check for p in truth["planted"] for check in p["checks"]}
    assert {c["check"] for c in result["checks"] if c["status"] == "fail"} == planted


def _items(*texts):
    return [(Line(t, 1, top=float(k)), texttable._tokens(t), t) for k, t in enumerate(texts)]


def _fields():
    sec = next(s for p in load_packs() if p.name == "final_accounts" for s in p.sections if s["table"] == "tasks")
    return sec["grid"], [("task", "text"), ("content", "text"), ("completion", "text"), ("budget", "num"),
                         ("actual", "num"), ("weight", "num"), ("exec_rate", "rate"), ("score", "num")]


def test_a_rate_wrapped_and_cells_on_the_baselines_between():
    spec, fields = _fields()
    items = _items("保障住房", "住房保障支 基本任务 100.00", "保障相关 2521.39 2521.39 4 4", "出 完成 %", "业务支出。")
    toks, below = texttable._centred_row(items, 2, 2, fields, spec)
    assert below == 2
    assert toks == ["住房保障支出", "保障住房保障相关业务支出。", "基本任务完成", "2521.39", "2521.39", "4", "100.00%", "4"]


def test_a_cell_ended_takes_no_line_of_the_next_row():
    """Below 其他支 / 出 and 保障其他工作 / 正常开展。 stands the next row's first line: a cell
    whose sentence has ended takes no more, so the row is not read as centred on three lines."""
    spec, fields = _fields()
    items = _items("其他支 保障其他工作", "出 正常开展。 任务完成 147.27 143.67 4.5 97.72% 4.5", "保障住房保障")
    got = texttable._centred_row(items, 1, 1, fields, spec)
    assert got is None or "保障住房保障" not in "".join(got[0])
