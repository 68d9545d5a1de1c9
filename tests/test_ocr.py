"""Scans: the samples printed to images (150 dpi, no text layer) are read by OCR,
with table grids rebuilt from the ruling lines of the image.  OCR is not exact, so
the test measures how many golden rows come out exactly and asserts a bar; the
figures the checks rest on (fund lines, scoring weights) must all be right."""
import json

import pypdfium2 as pdfium
import pytest

from extractor.batch.pipeline import process_file
from extractor.readers import ocr
from extractor.settings import Settings
from golden_compare import diff_rows, same
from conftest import GOLDEN, SAMPLES

pytestmark = pytest.mark.ocr  # slow (≈10 s a page): `-m "not ocr"` leaves them out; CI runs them

CASES = {  # sample -> (golden file, share of golden rows that must come out exactly)
    "2022_sample_project_selfeval": (GOLDEN / "real" / "2022_sample_project_selfeval.json", 1.0),
    "2023_liwan_commerce_dept_scoring": (GOLDEN / "2023_liwan_commerce_dept_scoring.json", 0.85),
    "2021_liwan_commerce_dept_report": (GOLDEN / "2021_liwan_commerce_dept_report.json", 0.80),
}
TABLES = ["budget", "tasks", "projects", "indicators", "scores", "counts"]


def scan(pdf_path, out_path, dpi=150):
    """What a scanner gives: page images in a PDF, no text layer."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    images = [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(pdf))]
    images[0].save(out_path, save_all=True, append_images=images[1:], resolution=dpi)
    return out_path


@pytest.fixture(scope="module")
def scans(tmp_path_factory, packs):
    assert ocr.available(), "the OCR extra is part of the test install (pip install -e '.[test,ocr]')"
    folder = tmp_path_factory.mktemp("scans")
    return {name: process_file(scan(SAMPLES / f"{name}.pdf", folder / f"{name}_scan.pdf"), packs) for name in CASES}


@pytest.mark.parametrize("name", list(CASES))
def test_scanned_sample(name, scans):
    golden_path, bar = CASES[name]
    golden = json.loads(golden_path.read_text(encoding="utf-8"))
    result = scans[name]
    doc = result["documents"][0]
    assert doc["status"] == "ok", doc["error"]
    for key, value in golden["documents"].items():
        assert same(value, doc.get(key)), (key, value, doc.get(key))
    exact = total = 0
    for table in TABLES:
        rows = [{k: v for k, v in r.items() if k != "page"} for r in golden.get(table, [])]
        problems, matched = diff_rows(table, rows, result[table])
        exact += len(matched)
        total += len(rows)
        print(f"{name} {table}: {len(matched)}/{len(rows)} golden rows exact")
        if table == "budget":
            assert not problems, problems  # every fund figure
    print(f"{name}: {exact}/{total} = {exact / total:.0%} of the golden rows exact (bar {bar:.0%})")
    assert exact / total >= bar


def test_scanned_scoring_sheet_keeps_every_weight_and_score(scans):
    golden = json.loads(CASES["2023_liwan_commerce_dept_scoring"][0].read_text(encoding="utf-8"))
    got = [(r["level3"], r["weight"], r["score"]) for r in scans["2023_liwan_commerce_dept_scoring"]["scores"]]
    assert got == [(r["level3"], r["weight"], r["score"]) for r in golden["scores"]]
    failing = [c for c in scans["2023_liwan_commerce_dept_scoring"]["checks"] if c["status"] == "fail"]
    assert not failing, failing


def test_no_ocr_switch_and_blank_pages(tmp_path, packs, monkeypatch):
    from PIL import Image

    blank = tmp_path / "blank.pdf"
    Image.new("L", (1240, 1754), 255).save(blank, resolution=150)
    doc = process_file(blank, packs)["documents"][0]
    assert doc["status"] == "failed" and "no text layer (scanned?)" in doc["error"]  # nothing to OCR on a blank page
    scanned = scan(SAMPLES / "2022_sample_project_selfeval.pdf", tmp_path / "s.pdf")
    doc = process_file(scanned, packs, settings=Settings(ocr=False))["documents"][0]  # --no-ocr
    assert doc["status"] == "failed" and "OCR is switched off" in doc["error"]


def test_unreadable_text_layer_is_ocred(packs, monkeypatch):
    """A text layer made of private-use code points (a font without a ToUnicode map)
    is no better than none: the page is OCR'd, and the rows are the golden ones."""
    from extractor.readers import pdf as pdf_reader

    assert pdf_reader.unreadable("\ue001\ue002\ue003 \ue004") and pdf_reader.unreadable("(cid:12)(cid:40)")
    assert not pdf_reader.unreadable("项目名称 2022年公共图书馆免费开放及阅读推广项目 \ue001")
    real = pdf_reader._pdfium_texts
    monkeypatch.setattr(pdf_reader, "_pdfium_texts",
                        lambda *a: ["".join(chr(0xE000 + ord(c) % 4000) for c in t) for t in real(*a)])
    result = process_file(SAMPLES / "2022_sample_project_selfeval.pdf", packs)
    golden = json.loads(CASES["2022_sample_project_selfeval"][0].read_text(encoding="utf-8"))
    problems, _ = diff_rows("indicators", [{k: v for k, v in r.items() if k != "page"} for r in golden["indicators"]],
                            result["indicators"])
    assert result["documents"][0]["status"] == "ok" and not problems, problems


def _counted_loads(monkeypatch, log):
    """Every OCR model load, one line (the process id) each, in any forked process."""
    import functools
    import os

    real = ocr._load_engine.__wrapped__

    @functools.lru_cache(maxsize=1)
    def counted(threads):
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(threads)

    monkeypatch.setattr(ocr, "_load_engine", counted)


def _indicator_problems(result_indicators):
    golden = json.loads(CASES["2022_sample_project_selfeval"][0].read_text(encoding="utf-8"))
    problems, _ = diff_rows("indicators", [{k: v for k, v in r.items() if k != "page"} for r in golden["indicators"]],
                            result_indicators)
    return problems


def test_a_batch_loads_the_ocr_model_once_per_ocr_process(tmp_path, packs, monkeypatch):
    """Issue 11: in a batch, scanned pages go to OCR processes that live as long as
    the batch.  Three scanned documents and a born-digital one with --jobs 2: the
    model is loaded at most twice (once per OCR process; before, once per scanned
    document), never in the test's own process, and every scan gives the golden rows."""
    import os

    import pyarrow.parquet as pq

    from extractor.batch import run_batch

    folder = tmp_path / "in"
    folder.mkdir()
    for k, dpi in enumerate((150, 151, 152)):  # distinct bytes: three documents
        scan(SAMPLES / "2022_sample_project_selfeval.pdf", folder / f"scan{k}.pdf", dpi=dpi)
    (folder / "digital.pdf").write_bytes((SAMPLES / "2022_sample_project_selfeval.pdf").read_bytes())
    loads = tmp_path / "loads"
    _counted_loads(monkeypatch, loads)
    files = [(p, p.name) for p in sorted(folder.iterdir())]
    summary = run_batch(files, packs, tmp_path / "out", jobs=2)
    assert summary.ok == 4, summary.line()
    pids = loads.read_text().split()
    assert 1 <= len(pids) <= 2 and str(os.getpid()) not in pids, pids
    docs = pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()
    rows = pq.read_table(tmp_path / "out" / "indicators.parquet").to_pylist()
    for doc in docs:
        assert doc["status"] == "ok", doc
        mine = [r for r in rows if r["doc_id"] == doc["doc_id"]]
        assert not _indicator_problems(mine), doc["source_path"]


def test_a_page_whose_ocr_process_dies_is_read_by_the_worker(tmp_path, packs, monkeypatch):
    """The OCR process that takes the first page dies (as under its memory cap): the
    worker reads the page itself, the batch replaces the process, and the rows are
    the golden ones."""
    import os

    import pyarrow.parquet as pq

    from extractor.batch import run_batch

    marker = tmp_path / "die-once"
    marker.touch()
    real = ocr.read_scanned_page

    def dies_once(pdf, number):
        try:
            os.remove(marker)
        except FileNotFoundError:
            return real(pdf, number)
        os._exit(3)

    monkeypatch.setattr(ocr, "read_scanned_page", dies_once)
    path = scan(SAMPLES / "2022_sample_project_selfeval.pdf", tmp_path / "scan.pdf")
    summary = run_batch([(path, path.name)], packs, tmp_path / "out", jobs=1)
    assert not marker.exists()  # the OCR process did die
    assert summary.ok == 1, summary.line()
    rows = pq.read_table(tmp_path / "out" / "indicators.parquet").to_pylist()
    assert not _indicator_problems(rows)
