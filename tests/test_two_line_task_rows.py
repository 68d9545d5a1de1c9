"""A 决算's 部门整体支出绩效自评表 as pdfplumber's `extract_text` prints it.

The table's left edge is one merged cell whose label stands a character a line
(年 / 度 / 主 / 要 / 任 / 务 / 完 / 成 / 情 / 况), each character leading the line it is
beside; its header is two rows, the children (总额 财政拨款 其他资金, under 全年预算数
and under 全年执行数) on the main line with wrapped pieces around it (完成情 / … 况 …,
其他资 / 金); each row's cells wrap over two or three lines around the line of figures
(住房保障 保障住房保障工作正 基本任 / 支出 常开展。 务完成 204561.30 …).  Before, no task
was read at all (tasks F1 0.00 on the corpus's reportlab pdfplumber twins).

The texts are the generator's (tests/variants, seed 1); the expected rows its truth."""
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.model import Line
from extractor.recognize.texttable import _without_vertical_label
from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "two_line_task_rows"
NAMES = ["0003_final_accounts_reportlab.pdfplumber.txt", "0019_final_accounts_reportlab.pdfplumber.txt"]


def _money(v):
    return None if v is None else Decimal(str(v)).quantize(Decimal("0.01"))


def _tasks(rows):
    return [(r["task"], r["content"], r["completion"], _money(r["budget"]), _money(r["actual"]),
             r["weight"], r["score"], r["page"]) for r in rows]


@pytest.mark.parametrize("name", NAMES)
def test_every_task_row_is_read_whole(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert _tasks(result["tasks"]) == _tasks(truth["tasks"])
    # the fund lines of the two-row header land in their own columns
    fiscal = [r.get("budget_fiscal") for r in result["tasks"]]
    assert all(f is not None and f <= r["budget"] for f, r in zip(fiscal, result["tasks"]))


def _items(*lines):
    return [(Line(text, page=1, top=float(k)), text.split(), "") for k, text in enumerate(lines)]


def test_a_label_printed_a_character_a_line_is_set_aside():
    items = _items("完成情", "年 度 任务名称 主要内容 况", "金 金", "主", "要 教育支出 保障教育 1.5",
                   "任 出。 成", "务 节能环保", "完 支出 3.5", "成", "情 2", "况")
    out = [toks for _, toks, _ in _without_vertical_label(items)]
    assert out == [["完成情"], ["任务名称", "主要内容", "况"], ["金", "金"], ["教育支出", "保障教育", "1.5"],
                   ["出。", "成"], ["节能环保"], ["支出", "3.5"], ["2"]]


def test_single_characters_that_spell_no_label_stay():
    items = _items("数 不低于80次 83次", "率 ≥95% 98%", "次")
    assert [toks for _, toks, _ in _without_vertical_label(items)] == [t.split() for t in
                                                                       ("数 不低于80次 83次", "率 ≥95% 98%", "次")]
