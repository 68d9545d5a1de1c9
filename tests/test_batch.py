"""Batches (issue 4): workers, limits, hostile files, cache, append, kill -9.

Every hostile file is made by the tests themselves (tests/pdfgen.py)."""
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from reportlab.lib.pdfencrypt import StandardEncryption

import pdfgen
from conftest import ROOT, SAMPLES
from extractor.commands.cli import main
from extractor.tables import ALL_TABLES

EXTRACTOR = [sys.executable, "-m", "extractor.commands.cli"]


def run(*args):
    result = CliRunner().invoke(main, ["extract", "-q", *map(str, args)])
    return result


def tables(outdir: Path) -> dict:
    return {t: pq.read_table(outdir / f"{t}.parquet") for t in ALL_TABLES}


def docs(outdir: Path) -> dict[str, dict]:
    return {Path(d["source_path"]).name: d for d in pq.read_table(outdir / "documents.parquet").to_pylist()}


def test_same_tables_whatever_the_number_of_jobs(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(SAMPLES, "-o", one, "--jobs", "1", "--no-cache").exit_code == 0
    assert run(SAMPLES, "-o", two, "--jobs", "2", "--no-cache").exit_code == 0
    a, b = tables(one), tables(two)
    for t in ALL_TABLES:
        assert a[t].equals(b[t]), t
    assert a["documents"].num_rows == 5 and a["indicators"].num_rows > 50


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    pdfgen.bomb_pdf(d / "bomb.pdf")
    pdfgen.nested_pdf(d / "nested.pdf")
    pdfgen.huge_page_pdf(d / "huge.pdf")
    pdfgen.image_only_pdf(d / "scan.pdf")
    pdfgen.ascii_pdf(d / "enc_empty.pdf", ["Opens with the empty user password"],
                     encrypt=StandardEncryption("", ownerPassword="owner"))
    pdfgen.ascii_pdf(d / "enc_secret.pdf", ["Needs the password secret"],
                     encrypt=StandardEncryption("secret", ownerPassword="owner"))
    (d / "truncated.pdf").write_bytes((SAMPLES / "2022_sample_project_selfeval.pdf").read_bytes()[:5000])
    (d / "empty.pdf").write_bytes(b"")
    (d / "text.pdf").write_text("not a pdf at all\n" * 20)
    shutil.copy(SAMPLES / "2021_liwan_commerce_dept_report.txt", d / "good.txt")
    return d


def test_hostile_files_fail_alone_with_clear_reasons(hostile, tmp_path):
    out = tmp_path / "out"
    t0 = time.monotonic()
    result = run(hostile, "-o", out, "--max-memory", "512", "--timeout", "60", "--no-cache",
                 "--errors", tmp_path / "errors.csv")
    assert time.monotonic() - t0 < 60
    assert result.exit_code == 1
    d = docs(out)
    assert d["good.txt"]["status"] == "ok"
    assert d["scan.pdf"]["status"] == "failed" and d["scan.pdf"]["error"]  # OCR does not fit in 512 MiB
    assert d["bomb.pdf"]["status"] == "failed" and "decompression bomb" in d["bomb.pdf"]["error"]  # issue 12: the reader bounds it
    assert d["enc_secret.pdf"]["status"] == "failed" and "password is needed" in d["enc_secret.pdf"]["error"]
    assert d["enc_empty.pdf"]["status"] != "failed" and d["enc_empty.pdf"]["pages"] == 1
    assert d["huge.pdf"]["status"] != "failed" and d["huge.pdf"]["pages"] == 1
    assert d["nested.pdf"]["error"]  # read or refused, but with a reason and without taking the batch down
    for name in ("truncated.pdf", "empty.pdf", "text.pdf"):
        assert d[name]["status"] == "failed" and d[name]["error"], d[name]
    errors = (tmp_path / "errors.csv").read_text(encoding="utf-8")
    assert "bomb.pdf" in errors and "good.txt" not in errors


def test_image_only_pdf_without_any_text_fails_clearly(hostile, tmp_path):
    out = tmp_path / "out"
    assert run(hostile / "scan.pdf", "-o", out, "--no-cache").exit_code == 1
    assert "no text layer (scanned?)" in docs(out)["scan.pdf"]["error"]


def test_password_option_opens_encrypted_pdf(hostile, tmp_path):
    out = tmp_path / "out"
    run(hostile / "enc_secret.pdf", "-o", out, "--password", "secret", "--no-cache")
    assert docs(out)["enc_secret.pdf"]["pages"] == 1 and docs(out)["enc_secret.pdf"]["status"] != "failed"
    run(hostile / "enc_secret.pdf", "-o", out, "--password", "wrong", "--no-cache")
    assert "password given (--password) is wrong" in docs(out)["enc_secret.pdf"]["error"]


def test_timeout_and_page_cap(tmp_path):
    import pypdfium2

    out = tmp_path / "out"
    # A slow file (the scoring sheet's grid pages, 40 times over) beside a tiny one,
    # so the outcome does not hang on how busy the machine is.
    slow = pypdfium2.PdfDocument.new()
    source = pypdfium2.PdfDocument(str(SAMPLES / "2023_liwan_commerce_dept_scoring.pdf"))
    for _ in range(40):
        slow.import_pages(source)
    slow.save(str(tmp_path / "slow.pdf"))
    (tmp_path / "tiny.txt").write_text("年度 2023\n", encoding="utf-8")
    result = run(tmp_path / "slow.pdf", tmp_path / "tiny.txt", "-o", out, "--timeout", "1", "--no-cache")
    assert result.exit_code == 1
    d = docs(out)
    assert "timed out after 1 s" in d["slow.pdf"]["error"]
    assert d["tiny.txt"]["status"] != "failed"
    run(SAMPLES / "2021_liwan_commerce_dept_report.pdf", "-o", out, "--max-pages", "3", "--no-cache")
    assert "too many pages: 8 > the cap of 3" in docs(out)["2021_liwan_commerce_dept_report.pdf"]["error"]
    big = tmp_path / "big.pdf"
    big.write_bytes((SAMPLES / "2022_sample_project_selfeval.pdf").read_bytes() + b"%" * (2 << 20))
    run(big, "-o", out, "--max-file-size", "1", "--no-cache")
    assert "file too large: 2 MiB > the cap of 1 MiB" in docs(out)["big.pdf"]["error"]


def test_cache_reruns_and_a_changed_pack_reextracts_only_its_documents(tmp_path):
    packs = tmp_path / "packs"
    shutil.copytree(ROOT / "patterns", packs)
    out = tmp_path / "out"
    first = CliRunner().invoke(main, ["extract", str(SAMPLES), "-o", str(out), "--packs", str(packs)])
    assert "0 from cache" in first.output
    before = tables(out)
    stamp = (out / "budget.parquet").stat().st_mtime_ns
    again = CliRunner().invoke(main, ["extract", str(SAMPLES), "-o", str(out), "--packs", str(packs)])
    assert "5 from cache" in again.output
    assert (out / "budget.parquet").stat().st_mtime_ns == stamp  # unchanged: nothing rewritten
    for t in ALL_TABLES:
        assert before[t].equals(tables(out)[t]), t
    (out / "budget.parquet").unlink()  # a table gone: the re-run writes them all again
    assert "5 from cache" in CliRunner().invoke(main, ["extract", str(SAMPLES), "-o", str(out), "--packs",
                                                       str(packs)]).output
    assert before["budget"].equals(tables(out)["budget"])
    scoring = packs / "dept_scoring.yaml"
    text = scoring.read_text(encoding="utf-8")
    version = int(re.search(r"^version: (\d+)$", text, re.M).group(1))
    scoring.write_text(text.replace(f"version: {version}", f"version: {version + 1}"), encoding="utf-8")
    third = CliRunner().invoke(main, ["extract", str(SAMPLES), "-o", str(out), "--packs", str(packs)])
    assert "3 from cache" in third.output  # the two scoring documents were read again
    assert {d["pack_version"] for d in docs(out).values() if d["pack"] == "dept_scoring"} == {version + 1}


def test_a_new_build_of_the_engine_reads_every_document_again(tmp_path, monkeypatch):
    """The tool's version number stays 0.1.0 from build to build; a changed recognizer or
    vocabulary must not serve the rows an older build read (the cache key holds a hash of
    the package's code and of every vocabulary)."""
    import extractor.batch as batch
    from extractor.packs import vocab

    out = tmp_path / "out"
    assert "0 from cache" in run(SAMPLES, "-o", out).output
    assert "5 from cache" in run(SAMPLES, "-o", out).output
    real = vocab.digest()
    data = vocab._data()
    monkeypatch.setattr(vocab, "_data", lambda: {**data, "column_roles": []})
    assert vocab.digest() != real  # a synonym list edited: another key
    monkeypatch.setattr(batch, "engine_fingerprint", lambda: "0ther0ne")
    assert "0 from cache" in run(SAMPLES, "-o", out).output


def test_append_adds_and_replaces_never_duplicates(tmp_path):
    out = tmp_path / "out"
    assert run(SAMPLES / "2021_liwan_commerce_dept_report.txt", "-o", out).exit_code == 0
    n_ind = pq.read_table(out / "indicators.parquet").num_rows
    assert run(SAMPLES / "2023_liwan_commerce_dept_scoring.txt", "-o", out, "--append").exit_code == 0
    assert sorted(docs(out)) == ["2021_liwan_commerce_dept_report.txt", "2023_liwan_commerce_dept_scoring.txt"]
    assert run(SAMPLES / "2021_liwan_commerce_dept_report.txt", "-o", out, "--append", "--no-cache").exit_code == 0
    t = tables(out)
    assert t["documents"].num_rows == 2
    assert t["indicators"].num_rows == n_ind == 28
    assert t["scores"].num_rows == 26
    assert run(SAMPLES / "2021_liwan_commerce_dept_report.txt", "-o", out).exit_code == 0  # without --append
    assert sorted(docs(out)) == ["2021_liwan_commerce_dept_report.txt"]


def test_kill_minus_9_keeps_previous_tables_and_a_rerun_completes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pdf = (SAMPLES / "2023_liwan_commerce_dept_scoring.pdf").read_bytes()
    for i in range(8):  # distinct bytes, distinct doc_ids
        (corpus / f"copy{i}.pdf").write_bytes(pdf + f"\n% copy {i}\n".encode())
    out = tmp_path / "out"
    assert run(SAMPLES / "2021_liwan_commerce_dept_report.txt", "-o", out).exit_code == 0
    before = tables(out)
    cache = tmp_path / "cache"
    proc = subprocess.Popen([*EXTRACTOR, "extract", "-q", str(corpus), "-o", str(out), "--jobs", "1",
                             "--cache", str(cache)], cwd=ROOT, start_new_session=True,
                            stderr=open(tmp_path / "stderr.txt", "w"))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(cache.rglob("*.pickle"))) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for t in ALL_TABLES:  # still the previous run's tables, readable
        assert tables(out)[t].equals(before[t]), t
    done_before_kill = len(list(cache.rglob("*.pickle")))
    assert 2 <= done_before_kill < 8, (tmp_path / "stderr.txt").read_text()
    rerun = subprocess.run([*EXTRACTOR, "extract", str(corpus), "-o", str(out), "--cache", str(cache)], cwd=ROOT,
                           capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{done_before_kill} from cache" in rerun.stderr
    d = docs(out)
    assert sorted(d) == [f"copy{i}.pdf" for i in range(8)] and all(x["status"] == "ok" for x in d.values())
    assert pq.read_table(out / "scores.parquet").num_rows == 8 * 26


def test_a_check_that_breaks_costs_the_checks_not_the_rows(monkeypatch):
    """A bug in a check (here: one that raises) leaves the document's rows as read, the
    document `partial` with the reason, and no checks."""
    from extractor.batch import pipeline
    from extractor.packs import load_packs

    def broken(*args, **kwargs):
        raise TypeError("sequence item 0: expected str instance, NoneType found")

    sample = SAMPLES / "2023_liwan_commerce_dept_scoring.txt"
    whole = pipeline.process_file(sample, load_packs())
    monkeypatch.setattr(pipeline, "run_checks", broken)
    out = pipeline.process_file(sample, load_packs())
    doc = out["documents"][0]
    assert doc["status"] == "partial"
    assert "checks not run: internal error: TypeError" in doc["error"]
    assert out["checks"] == []
    assert len(out["scores"]) == len(whole["scores"]) == 26
    assert [r["level3"] for r in out["scores"]] == [r["level3"] for r in whole["scores"]]
