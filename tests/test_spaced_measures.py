"""Indicator lines of a 项目支出绩效自评表 as `pdftotext -raw` prints them.

The tool spaces a number from its unit and a comparison word from its number
(人均培训成本 200 元 180 元 7.5 3.75; 公众知晓率 不少于 95% 95% 2.5 2.5): each measure is one
cell again before the line is read, so those rows are read with their target and actual.
A form whose total line is worded otherwise does not let its indicator lines run on into
the next form's fund lines (年度资金总额 … is no indicator).

The texts are what `pdftotext -raw` made of generated documents (tests/variants, seed 1);
the expected rows are the generator's own (its truth file, kept beside each text)."""
from pathlib import Path

from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "spaced_measures"


def test_spaced_targets_are_one_cell(packs, tmp_path):
    truth, result = run_generated(DATA, "0015_final_accounts_writer.pdftotext_raw.txt", packs, tmp_path)
    got = {(r["project"], r["name"]): (r["target_text"], r["actual_text"], r["weight"], r["score"])
           for r in result["indicators"]}
    for name in ("人均培训成本", "公众知晓率"):
        want = next(r for r in truth["indicators"] if r["name"] == name)
        assert got[(want["project"], name)] == (want["target_text"], want["actual_text"], want["weight"],
                                                want["score"])


def test_no_fund_line_of_the_next_form_is_an_indicator(packs, tmp_path):
    truth, result = run_generated(DATA, "0030_project_selfeval_writer.pdftotext_raw.txt", packs, tmp_path)
    fund_lines = {r["fund_source"] for r in truth["budget"]} | {"年度资金总额", "总额"}
    assert not [r for r in result["indicators"] if r["name"] in fund_lines]
    names = {(r["project"], r["name"]) for r in truth["indicators"]}
    assert all((r["project"], r["name"]) in names for r in result["indicators"])
    doc = result["documents"][0]
    if len(result["indicators"]) < len(truth["indicators"]):  # what it did not read, it says
        assert doc["status"] == "partial" and "not read" in doc["error"]
