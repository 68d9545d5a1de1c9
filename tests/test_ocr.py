"""Scans: the samples printed to images (150 dpi, no text layer) are read by OCR,
with table grids rebuilt from the ruling lines of the image.  OCR is not exact, so
the test measures how many golden rows come out exactly and asserts a bar; the
figures the checks rest on (fund lines, scoring weights) must all be right."""
import json

import pypdfium2 as pdfium
import pytest

from extractor.pipeline import process_file
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
