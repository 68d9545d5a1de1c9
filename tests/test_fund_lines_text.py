"""A project form's fund lines as text a line each (`pdftotext -raw`, pypdfium2).

Every fund line the vocabulary knows is a row, whatever its wording (其中：财政拨款,
上年结余结转资金, 本年财政拨款; a line printed `其他资金 — —` with no figures), and nothing
else is (the 合计 of the form's indicators, a header line of fund names).  A department
table's 金额合计 whose last cent a narrow cell wrapped (157,362,072.2 / 8) is read whole,
and a figure read from text is never proof enough for an error.

The texts are what those tools made of generated documents (tests/variants, seed 1);
the expected rows are the generator's own (its truth file, kept beside each text)."""
from decimal import Decimal
from pathlib import Path

import pytest

from generated_texts import run_generated

DATA = Path(__file__).parent / "data" / "fund_lines_text"
MONEY = ("initial", "adjusted", "actual")


def _key(row):
    money = tuple(None if row.get(c) is None else Decimal(str(row[c])) for c in MONEY)
    rate = None if row.get("exec_rate") is None else round(float(row["exec_rate"]), 4)
    return (row.get("project"), row.get("fund_source"), *money, rate)


@pytest.mark.parametrize("name", ["0042_project_selfeval_writer.pdftotext_raw.txt",
                                  "0038_project_selfeval_reportlab.pdftotext_raw.txt"])
def test_every_fund_line_of_every_form(name, packs, tmp_path):
    truth, result = run_generated(DATA, name, packs, tmp_path)
    assert [_key(r) for r in result["budget"]] == [_key(r) for r in truth["budget"]]
    assert [r["page"] for r in result["budget"]] == [r["page"] for r in truth["budget"]]
    assert result["documents"][0]["status"] == "ok", result["documents"][0]["error"]


def test_a_total_whose_cents_wrapped_and_no_false_alarm(packs, tmp_path):
    truth, result = run_generated(DATA, "0039_final_accounts_writer.pypdfium2.txt", packs, tmp_path)
    table = [r for r in result["budget"] if r["source"] == "table"]
    want = [r for r in truth["budget"] if r["source"] == "table"]
    assert [(r["fund_source"], r["adjusted"], r["actual"]) for r in table] == \
        [(r["fund_source"], Decimal(r["adjusted"]), Decimal(r["actual"])) for r in want]
    assert not [c for c in result["checks"] if c["status"] == "fail" and c["severity"] == "error"]
    assert result["documents"][0]["status"] == "ok", result["documents"][0]["error"]
