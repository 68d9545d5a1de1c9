"""Real published PDFs (../shared/real, not committed) and the synthetic national
template sample, against golden files written by reading them page by page."""
import json

import pytest

from extractor.batch.pipeline import process_file
from golden_compare import same, diff_rows
from conftest import GOLDEN, SAMPLES, SHARED

REAL = SHARED / "real"
CASES = {
    "xian_wjw_2022_final_accounts_excerpt": REAL / "xian_wjw_2022_final_accounts_excerpt.pdf",
    "foshan_gdjtj_2019_final_accounts": REAL / "foshan_gdjtj_2019_final_accounts.pdf",
    "sh_putuo_shgzb_2024_final_accounts": REAL / "sh_putuo_shgzb_2024_final_accounts.pdf",
    "2022_sample_project_selfeval": SAMPLES / "2022_sample_project_selfeval.pdf",
}


def load(name):
    return json.loads((GOLDEN / "real" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results(packs):
    return {name: process_file(path, packs) for name, path in CASES.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_document_fields(name, results):
    golden, doc = load(name), results[name]["documents"][0]
    for key, value in golden["documents"].items():
        assert same(value, doc.get(key)), (key, value, doc.get(key))
    assert doc["status"] == "ok", doc["error"]


@pytest.mark.parametrize("table", ["budget", "tasks", "projects", "indicators", "counts"])
@pytest.mark.parametrize("name", list(CASES))
def test_rows_match_golden_with_pages(name, table, results):
    golden = load(name)
    problems, _ = diff_rows(table, golden.get(table, []), results[name][table], skip=())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", list(CASES))
def test_every_real_mismatch_is_flagged_and_nothing_else(name, results):
    """The golden lists what does not add up on these pages; the checks must fail
    exactly there (zero denominators are `skipped` with a warning, not failures)."""
    golden = load(name)
    expected = [m for m in golden["arithmetic_mismatches"] if "undefined" not in m["computed"]]
    failing = [c for c in results[name]["checks"] if c["status"] == "fail"]
    assert len(failing) == len(expected), failing
    for m in expected:
        assert any(c["page"] == m["page"] and c["reported"] and
                   c["reported"].replace(",", "").rstrip("万元") in m["printed"].replace(",", "")
                   for c in failing), (m, failing)
    zero = [m for m in golden["arithmetic_mismatches"] if "undefined" in m["computed"]]
    warned = [c for c in results[name]["checks"] if c["status"] == "skipped" and c["severity"] == "warning"]
    assert len(warned) >= len([m for m in zero if "增长" not in m["what"]])


def test_budget_without_self_evaluation_is_unknown(packs):
    result = process_file(REAL / "gz_swj_2026_dept_budget.pdf", packs)
    doc = result["documents"][0]
    assert (doc["kind"], doc["status"]) == ("unknown", "partial")
    assert "no pattern pack" in doc["error"]
    assert all(not result[t] for t in ("budget", "projects", "indicators", "checks"))
    assert doc["pages"] == 42
