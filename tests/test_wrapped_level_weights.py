"""A 一级 label wrapped in its narrow merged cell with its weight, as Writer prints it and
`pdftotext -layout` lays it out a row per line: 产出指 / 标（50 数量指标 … / 分）, the
weight's opening on the row's own line and 分） below it (or 满意度指标 / （10 / 分）).  The
pieces make one label over the rows it spans, and the piece on a row's line no longer
pushes that row's 二级 into the name's cell (标（30 生态效益指标 ≥85% …).  Before, every
row under such a label read 一级 标(50.

The documents are generated (tests/variants, seed 1: Writer project forms); the truth
beside them is the generator's own."""
from pathlib import Path

import pytest

from generated_texts import INDICATOR_FIELDS, fields_of, run_generated

DATA = Path(__file__).parent / "data" / "wrapped_level_weights"
LEVELS = ("project", "level1", "level2", "name")


@pytest.mark.parametrize("name, whole, levelled", [
    ("0018_project_selfeval_writer.pdftotext_layout.txt",
     ["2020年全民健身路径建设专项资金", "2020年度体育赛事活动经费"], []),
    # every row's levels and name; one target's unit (4955.83 亿 / 元) wraps out of reach
    ("0066_project_selfeval_writer.pdftotext_layout.txt", [], ["中等职业教育发展项目资金"]),
])
def test_a_weight_wrapped_with_its_label_is_the_label_s(name, whole, levelled, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    for project, fields in [(p, INDICATOR_FIELDS) for p in whole] + [(p, LEVELS) for p in levelled]:
        want = [r for r in truth["indicators"] if r["project"] == project]
        got = [r for r in result["indicators"] if r["project"] == project]
        assert len(want) >= 4
        assert fields_of(got, fields) == fields_of(want, fields), project
