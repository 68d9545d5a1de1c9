"""Issue 14: the same batch on a Dask cluster (--executor dask).

One LocalCluster (2 worker processes, 1 thread each) serves the module; its workers
inherit EXTRACTOR_DASK_TEST_KILL, the folder where a marker file makes the worker
reading that file exit (the tests' only way to kill a worker mid-run)."""
import logging
import os
import shutil
from pathlib import Path

import distributed
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import pdfgen
from conftest import SAMPLES, SHARED
from extractor.batch import Cache, run_batch
from extractor.commands.cli import main
from extractor.batch.dask_executor import LOCAL_CLUSTER_CONFIG, TEST_KILL_ENV, run_dask_batch
from extractor.batch.inputs import find_inputs
from extractor.tables import ALL_TABLES

REAL = SHARED / "real"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    import dask

    kill_dir = tmp_path_factory.mktemp("kill")
    old = os.environ.get(TEST_KILL_ENV)
    os.environ[TEST_KILL_ENV] = str(kill_dir)  # inherited by the worker processes
    try:
        with dask.config.set(LOCAL_CLUSTER_CONFIG):  # as --workers sets it
            lc = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                          dashboard_address=None, silence_logs=logging.ERROR)
        with lc, distributed.Client(lc) as client:
            yield client, kill_dir
    finally:
        if old is None:
            os.environ.pop(TEST_KILL_ENV, None)
        else:
            os.environ[TEST_KILL_ENV] = old


def extract(*args):
    return CliRunner().invoke(main, ["extract", *map(str, args)])


def tables(outdir: Path) -> dict:
    return {t: pq.read_table(outdir / f"{t}.parquet") for t in ALL_TABLES}


def docs(outdir: Path) -> dict[str, dict]:
    return {Path(d["source_path"]).name: d for d in pq.read_table(outdir / "documents.parquet").to_pylist()}


def assert_equal_tables(a: Path, b: Path) -> None:
    ta, tb = tables(a), tables(b)
    for t in ALL_TABLES:
        assert ta[t].equals(tb[t]), t


def test_dask_tables_equal_the_local_executors(cluster, tmp_path):
    client, _ = cluster
    local, dask_out = tmp_path / "local", tmp_path / "dask"
    assert extract("-q", SAMPLES, REAL, "-o", local, "--no-cache", "--jobs", "2").exit_code == 0
    result = extract(SAMPLES, REAL, "-o", dask_out, "--no-cache", "--executor", "dask",
                     "--scheduler", client.scheduler.address)
    assert result.exit_code == 0, result.output
    assert f"dask: {client.scheduler.address}, 2 worker(s), 2 thread(s)" in result.output
    assert "9 file(s): 8 ok, 1 partial, 0 failed" in result.output
    assert_equal_tables(local, dask_out)  # exactly, rows in input order
    d = docs(dask_out)
    assert d["xian_wjw_2022_final_accounts_excerpt.pdf"]["kind"] == "final_accounts"
    assert d["gz_swj_2026_dept_budget.pdf"]["status"] == "partial"
    assert tables(dask_out)["indicators"].num_rows == 126
    assert not (dask_out / ".parts").exists()  # the part files went into the tables


def test_a_killed_worker_loses_no_document_and_the_rerun_completes_from_the_cache(cluster, packs, tmp_path):
    client, kill_dir = cluster
    corpus = tmp_path / "in"
    corpus.mkdir()
    for f in [*sorted(SAMPLES.glob("*.pdf")), *sorted(SAMPLES.glob("*.txt"))]:
        shutil.copy(f, corpus / f.name)
    files = find_inputs([corpus])
    local = tmp_path / "local"
    run_batch(files, packs, local, jobs=2)
    # One worker exits once reading the scoring sheet (its file is retried), one exits
    # each time it reads the project form (the file is failed with the reason).
    (kill_dir / "2023_liwan_commerce_dept_scoring.pdf.kill").touch()
    (kill_dir / "2022_sample_project_selfeval.pdf.killalways").touch()
    out = tmp_path / "out"
    cache = Cache(out / ".cache", packs)
    try:
        summary = run_dask_batch(files, packs, out, client, cache=cache)
    finally:
        (kill_dir / "2022_sample_project_selfeval.pdf.killalways").unlink()
    assert not (kill_dir / "2023_liwan_commerce_dept_scoring.pdf.kill").exists()  # that worker did die
    d = docs(out)
    assert len(d) == 5 and summary.files == 5
    assert d["2022_sample_project_selfeval.pdf"]["status"] == "failed"
    assert "Dask worker died while reading it, twice" in d["2022_sample_project_selfeval.pdf"]["error"]
    assert d["2022_sample_project_selfeval.pdf"]["doc_id"] == docs(local)["2022_sample_project_selfeval.pdf"]["doc_id"]
    assert d["2023_liwan_commerce_dept_scoring.pdf"]["status"] == "ok"
    expected = {name: doc["status"] for name, doc in docs(local).items()}
    assert {name: doc["status"] for name, doc in d.items()} == {**expected, "2022_sample_project_selfeval.pdf": "failed"}
    assert summary.failed == 1 and len(summary.failures) == 1

    again = run_dask_batch(files, packs, out, client, cache=Cache(out / ".cache", packs))
    assert (again.failed, again.cached) == (0, 4)  # only the file that failed was read again
    assert_equal_tables(local, out)


def test_limits_hold_inside_a_dask_task(cluster, tmp_path):
    client, _ = cluster
    pdfgen.bomb_pdf(tmp_path / "bomb.pdf")
    shutil.copy(SAMPLES / "2021_liwan_commerce_dept_report.txt", tmp_path / "good.txt")
    (tmp_path / "big.txt").write_text("x" * (2 * 1024 * 1024))
    out = tmp_path / "out"
    client.wait_for_workers(2)
    workers = set(client.nthreads())
    result = extract("-q", tmp_path / "bomb.pdf", tmp_path / "good.txt", tmp_path / "big.txt", "-o", out,
                     "--no-cache", "--max-memory", "256", "--max-file-size", "1", "--executor", "dask",
                     "--scheduler", client.scheduler.address)
    assert result.exit_code == 1
    d = docs(out)
    assert d["bomb.pdf"]["status"] == "failed" and "decompression bomb" in d["bomb.pdf"]["error"]  # the reader's guard (issue 12)
    assert d["big.txt"]["status"] == "failed" and "file too large: 2 MiB" in d["big.txt"]["error"]
    assert d["good.txt"]["status"] == "ok"
    assert set(client.nthreads()) == workers  # no worker was lost (a restarted one has a new address)


def test_append_keeps_its_meaning(cluster, tmp_path):
    client, _ = cluster
    first = [SAMPLES / "2021_liwan_commerce_dept_report.txt", SAMPLES / "2023_liwan_commerce_dept_scoring.txt"]
    second = [SAMPLES / "2023_liwan_commerce_dept_scoring.txt", SAMPLES / "2022_sample_project_selfeval.pdf"]
    local, dask_out = tmp_path / "local", tmp_path / "dask"
    dask_args = ["--executor", "dask", "--scheduler", client.scheduler.address]
    for out, extra in ((local, []), (dask_out, dask_args)):
        assert extract("-q", *first, "-o", out, *extra).exit_code == 0
        assert extract("-q", *second, "-o", out, "--append", *extra).exit_code == 0
    assert len(docs(dask_out)) == 3  # the scoring sheet replaced, not duplicated
    assert_equal_tables(local, dask_out)


def test_fsspec_url_inputs(cluster, tmp_path):
    client, _ = cluster
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("2021_liwan_commerce_dept_report.txt", "2023_liwan_commerce_dept_scoring.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    local, dask_out = tmp_path / "local", tmp_path / "dask"
    assert extract("-q", folder, "-o", local, "--no-cache").exit_code == 0
    url = folder.as_uri()  # file:///…/in
    assert extract("-q", url, "-o", dask_out, "--no-cache", "--executor", "dask",
                   "--scheduler", client.scheduler.address).exit_code == 0
    ta, tb = tables(local), tables(dask_out)
    for t in ALL_TABLES:
        if t != "documents":
            assert ta[t].equals(tb[t]), t
    assert ta["documents"].drop(["source_path"]).equals(tb["documents"].drop(["source_path"]))
    assert tb["documents"]["source_path"][0].as_py() == f"{url}/2021_liwan_commerce_dept_report.txt"


def test_usage_errors():
    assert extract(SAMPLES, "--workers", "2").exit_code == 2
    assert extract(SAMPLES.as_uri()).exit_code == 2  # URLs need the dask executor
    assert extract(SAMPLES, "--executor", "dask", "--workers", "2", "--scheduler", "tcp://x:1").exit_code == 2


def test_workers_start_a_local_cluster_and_print_its_dashboard(tmp_path):
    result = extract(SAMPLES / "2021_liwan_commerce_dept_report.txt", "-o", tmp_path / "out", "--no-cache",
                     "--executor", "dask", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "1 worker(s), 1 thread(s); dashboard http://127.0.0.1:" in result.output
    assert docs(tmp_path / "out")["2021_liwan_commerce_dept_report.txt"]["status"] == "ok"



def test_no_ocr_reaches_the_dask_workers(cluster, tmp_path):
    """--no-ocr travels in the tasks' Settings (issue 12: not as an environment
    variable): a scanned page on a Dask worker is not OCRed, and the document says why."""
    client, _ = cluster
    pdfgen.image_only_pdf(tmp_path / "scan.pdf")
    out = tmp_path / "out"
    result = extract("-q", tmp_path / "scan.pdf", "-o", out, "--no-cache", "--no-ocr", "--executor", "dask",
                     "--scheduler", client.scheduler.address)
    assert result.exit_code == 1, result.output
    doc = docs(out)["scan.pdf"]
    assert doc["status"] == "failed" and "OCR is switched off (--no-ocr)" in doc["error"], doc["error"]
    assert "EXTRACTOR_OCR" not in os.environ
