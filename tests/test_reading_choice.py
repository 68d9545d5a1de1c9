"""Which of two readings of a table read from text is kept.

A table read from text is read twice: by the pack's own line parser and by the
header-driven reader.  The header-driven one used to win whenever it held the table's
合计 and the other did not, or whenever its lines added up to a 合计 the other never read
— even where it had taken wrapped prose for rows (a 指标名称 under 指标值).  Now a reading
wins on its 合计 only with as many values in their place (a figure under 分值, a measure
under 指标值), and lines that add up beat lines that do not only when both readings hold
a 合计.  The text is what pypdfium2 made of a generated 决算 (tests/variants, seed 1); the
truth file beside it is the generator's own."""
from pathlib import Path

from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "reading_choice"


def test_the_reading_with_its_values_in_place_is_kept(packs, tmp_path):
    truth, result = run_generated(DATA, "0123_final_accounts_reportlab.pypdfium2.txt", packs, tmp_path)
    keys = ("project", "name", "target_text", "actual_text", "weight", "score", "page")
    assert [tuple(r[k] for k in keys) for r in result["indicators"]] == \
        [tuple(r[k] for k in keys) for r in truth["indicators"]]
    assert result["documents"][0]["status"] == "ok", result["documents"][0]
    assert not [c for c in result["checks"] if c["status"] == "fail"]
