"""Indicator forms as PyMuPDF prints them, a cell per line:

- a remark after a row's figures, wrapped in its cell (受客观因素影响 / ，未完全达到目 /
  标，下一步加强 / 督导。, or 部分工作进 / 度滞后。) is no row, and no label or name of
  the row after it;
- a 一级 label wrapped in its narrow cell with its weight (产出指 / 标 / （45 / 分）), or a
  二级 without (可持续影响指 / 标, or in three pieces: 服务对象 / 满意度指 / 标 under
  满意度 / 指标), is one label over its rows.

Every indicator is read with its levels, name, target, actual, 分值 and 得分.  The
documents are generated (tests/variants, seed 1: Writer and ReportLab project forms, a
ReportLab 决算); the truth beside them is the generator's own."""
from pathlib import Path

import pytest

from generated_texts import INDICATOR_FIELDS, fields_of, run_generated

DATA = Path(__file__).parent / "data" / "remarks_and_wrapped_levels"


@pytest.mark.parametrize("name", ["0042_project_selfeval_writer.pymupdf.txt",
                                  "0170_project_selfeval_reportlab.pymupdf.txt",
                                  "0115_final_accounts_reportlab.pymupdf.txt",
                                  "0014_project_selfeval_reportlab.pymupdf.txt"])
def test_every_indicator_is_read_past_remarks_and_wrapped_labels(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert len(truth["indicators"]) >= 7  # (0014's planted error is in its fund lines: rows read as printed)
    assert fields_of(result["indicators"], INDICATOR_FIELDS) == fields_of(truth["indicators"], INDICATOR_FIELDS)
