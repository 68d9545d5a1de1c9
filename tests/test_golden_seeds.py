"""The two published seeds, as text and as PDF, against golden files written by
reading the seeds (tests/golden/*.json)."""
import pytest

from extractor.batch.pipeline import process_file
from golden_compare import compare, diff_rows
from conftest import SAMPLES, golden

SEEDS = ["2021_liwan_commerce_dept_report", "2023_liwan_commerce_dept_scoring"]


@pytest.mark.parametrize("suffix", ["txt", "pdf"])
@pytest.mark.parametrize("seed", SEEDS)
def test_seed_matches_golden(seed, suffix, packs):
    result = process_file(SAMPLES / f"{seed}.{suffix}", packs)
    problems = compare(golden(seed), result, check_pages=suffix == "pdf")
    assert not problems, "\n".join(problems)
    assert result["documents"][0]["status"] == "ok"


@pytest.mark.parametrize("seed", SEEDS)
def test_text_and_pdf_give_equal_rows(seed, packs):
    txt = process_file(SAMPLES / f"{seed}.txt", packs)
    pdf = process_file(SAMPLES / f"{seed}.pdf", packs)
    for table in ("budget", "tasks", "projects", "indicators", "scores", "counts"):
        public = [{k: v for k, v in r.items() if not k.startswith("_") and k not in ("page", "doc_id")}
                  for r in txt[table]]
        problems, _ = diff_rows(table, public, pdf[table])
        assert not problems, "\n".join(problems)


@pytest.mark.parametrize("suffix", ["txt", "pdf"])
@pytest.mark.parametrize("seed", SEEDS)
def test_checks_on_seeds_pass_or_skip(seed, suffix, packs):
    checks = process_file(SAMPLES / f"{seed}.{suffix}", packs)["checks"]
    assert checks, "no check ran"
    failing = [c for c in checks if c["status"] == "fail"]
    assert not failing, failing
