"""A text copy that lost a page says so, where the document numbers its pages.

Document 118 (two Calc project forms, one a page) prints 第1页 共2页 and 第2页 共2页; its
pypdfium2 text with page 2 cut out still prints 共2页 on page 1, so the text knows a page
it does not hold: the document is `partial`, saying which, and page 1's form is read as
in the whole text.  The truth files are the generator's (tests/variants, seed 1)."""
import json
from pathlib import Path

from extractor.model import Line
from extractor.recognize.text import pages_not_in_text
from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "cut_pages"
WHOLE = "0118_project_selfeval_calc.pypdfium2.txt"
CUT = "0118_project_selfeval_calc.pypdfium2.cut2.txt"


def test_the_text_that_lost_a_page_says_which(packs, tmp_path):
    truth, whole = run_generated(DATA, WHOLE, packs, tmp_path)
    assert truth["expect_status"] == "ok" and "lacks page" not in (whole["documents"][0].get("error") or "")
    truth, cut = run_generated(DATA, CUT, packs, tmp_path)
    assert truth["expect_status"] == "partial"
    doc = cut["documents"][0]
    assert doc["status"] == "partial" and "the text lacks page(s) 2 of those the document numbers" in doc["error"]
    assert [p["name"] for p in cut["projects"]] == [p["name"] for p in truth["projects"]] == ["农业技术推广项目"]
    page1 = [(r["name"], r.get("target_text"), r.get("actual_text")) for r in whole["indicators"] if r["page"] == 1]
    assert [(r["name"], r.get("target_text"), r.get("actual_text")) for r in cut["indicators"]] == page1


def _pages(*texts):
    return pages_not_in_text([Line(t, 1) for t in texts])


def test_printed_page_numbers():
    assert _pages("第1页 共3页", "…", "≥95％ 95％第2页 共3页") == [3]  # glued to a line, as pypdfium2 prints it
    assert _pages("- 1 -", "- 2 -", "- 4 -") == [3]
    assert _pages("第 1 页", "第 2 页") == []
    # a sentence citing a page, numbers that do not rise, an excerpt numbered from 45: nothing said
    assert _pages("第 3 页", "详见第 1 页") == []
    assert _pages("第45页 共171页", "第46页 共171页") == []
    assert _pages("没有页码") == []
    # a bare number alone at the foot of every page (pdftotext -layout of a reportlab form)
    feet = [Line("表一", 1), Line("1", 1), Line("表二", 2), Line("2", 2), Line("表四", 3), Line("4", 3)]
    assert pages_not_in_text(feet) == [3]
    # …but not where a page ends on another figure (a 得分 of 97), or a page has none
    assert pages_not_in_text([Line("表一", 1), Line("1", 1), Line("合计", 2), Line("97", 2)]) == []
    assert pages_not_in_text([Line("表一", 1), Line("1", 1), Line("表二", 2), Line("完", 2)]) == []
