"""Rows read with a wrong name say so.

pdfplumber's text of a scoring table prints the 评分标准 sentence of a row on the lines
around its figures; where the reader took that sentence into the row's 三级指标
(支付进度率满意度达到90%以上得满分，…), the figures stand but the name is not the printed
one: the document is `partial` and says which lines, rather than `ok`.

The text is what pdfplumber made of a generated scoring table (tests/variants, seed 1);
the names are the generator's own (its truth file, kept beside the text)."""
import re
from pathlib import Path

from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "misread"


def test_a_name_holding_the_sentence_beside_it_is_said(packs, tmp_path):
    name = "0021_dept_scoring_calc.pdfplumber.txt"
    truth, result = run_generated(DATA, name, packs, tmp_path)
    names = {r["level3"] for r in truth["scores"]}
    # the misreading is real: a truth name with the sentence after it
    run_on = [r for r in result["scores"] if r["level3"] not in names and
              any(r["level3"].startswith(n) for n in names) and re.search(r"[，,。]", r["level3"])]
    assert run_on
    doc = result["documents"][0]
    assert doc["status"] == "partial"
    assert f"{len(run_on)} lines whose 三级指标 ran into the text printed beside it (p.1)" in doc["error"]
    # every truth name is printed, and none has a sentence in it
    assert not any(re.search(r"[，,。；;]", n) for n in names)
