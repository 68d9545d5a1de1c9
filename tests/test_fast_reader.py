"""The fast paths must give the rows of the slow ones.

- PDFium reads the text of pages that need no table grid; pdfplumber the rest: the
  rows must be the same as reading every page's grids.
- Grid pages' characters and rules come from PDFium (EXTRACTOR_PDF_ENGINE=pdfium)
  instead of pdfminer: every output table must be the same, on the samples, the
  real documents and PDFs made here (reportlab tables, fake bold, a form XObject,
  a rotated page that PDFium's path does not serve)."""
import logging

import pytest

import pdfgen
from extractor.batch.pipeline import process_file
from extractor.tables import ROW_TABLES
from conftest import SAMPLES, SHARED

PDFS = sorted(SAMPLES.glob("*.pdf")) + sorted((SHARED / "real").glob("*.pdf"))


def public(rows):
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]


def same_tables(a, b):
    for table in [*ROW_TABLES, "checks", "documents"]:
        assert public(a[table]) == public(b[table]), table


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_fast_reader_gives_the_same_tables(path, packs):
    same_tables(process_file(path, packs), process_file(path, packs, all_grids=True))


def _generated(folder):
    """PDFs made by the tests: the synthetic 决算 of issue 3, and pages that take the
    PDFium reader's less common paths."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    import test_issue3_synthetic as synth

    out = {}
    out["synthetic"] = pdfgen.report_pdf(folder / "synthetic.pdf", synth.PARAGRAPHS, [
        synth.project_table("社区卫生服务中心建设", synth.FUNDS_1, ("新建社区卫生服务站12个。", "已建成12个。"),
                            synth.IND_1, ("100", "98.5"), "优"),
        synth.project_table("健康宣传教育", synth.FUNDS_3, ("开展宣传活动20场。", "开展宣传活动24场。"),
                            synth.IND_3, ("100", "92"), "优")])

    def grid(c, x0, top, widths, rows, bold=False, rules=True, text=True):
        """A ruled table drawn with lines; bold: every string printed twice, 0.3 pt apart."""
        h = 20
        xs = [x0]
        for w in widths:
            xs.append(xs[-1] + w)
        for i in range(len(rows) + 1 if rules else 0):
            c.line(xs[0], top - i * h, xs[-1], top - i * h)
        for x in xs if rules else []:
            c.rect(x, top - len(rows) * h, 0, len(rows) * h)  # zero-width rects: pdfminer's rect path
        for i, row in enumerate(rows if text else []):
            for j, text in enumerate(row):
                for dx in ((0, 0.3) if bold else (0,)):
                    c.drawString(xs[j] + 4 + dx, top - i * h - 14, text)

    rows = [["项目名称", "全年预算数", "全年执行数", "执行率"], ["社区卫生服务", "300.00", "285.00", "95.00%"],
            ["健康宣传 教育", "100.00", "92.00", "92.00%"]]
    c = canvas.Canvas(str(folder / "paths.pdf"), pagesize=A4)
    c.setFont(pdfgen.FONT, 10)
    c.drawString(50, 800, "项目支出绩效自评表（假粗体）")
    grid(c, 50, 780, [120, 90, 90, 80], rows, bold=True)
    c.showPage()
    c.setFont(pdfgen.FONT, 10)
    c.beginForm("table")  # the rules inside a form XObject, placed with a shift
    grid(c, 0, 300, [120, 90, 90, 80], rows, text=False)
    c.endForm()
    c.saveState()
    c.translate(60, 400)
    c.doForm("table")
    c.restoreState()
    grid(c, 60, 700, [120, 90, 90, 80], rows, rules=False)
    c.drawString(50, 800, "项目支出绩效自评表（表单对象）")
    c.showPage()
    c.setFont(pdfgen.FONT, 10)
    c.beginForm("text")  # text inside a form: read by pdfminer
    c.setFont(pdfgen.FONT, 10)
    grid(c, 0, 300, [120, 90, 90, 80], rows)
    c.endForm()
    c.doForm("text")
    c.drawString(50, 800, "项目支出绩效自评表（表单文字）")
    c.showPage()
    c.setPageRotation(90)
    c.setFont(pdfgen.FONT, 10)
    c.drawString(50, 800, "项目支出绩效自评表（旋转页）")
    grid(c, 50, 780, [120, 90, 90, 80], rows)
    c.showPage()
    c.save()
    out["paths"] = folder / "paths.pdf"
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return _generated(tmp_path_factory.mktemp("engines"))


def _both_engines(path, packs, monkeypatch, caplog):
    with caplog.at_level(logging.INFO, logger="extractor.readers.pdf"):
        fast = process_file(path, packs, all_grids=True)
    fallbacks = [r.getMessage() for r in caplog.records if "pdfminer reads it" in r.getMessage()]
    monkeypatch.setenv("EXTRACTOR_PDF_ENGINE", "pdfminer")
    slow = process_file(path, packs, all_grids=True)
    monkeypatch.delenv("EXTRACTOR_PDF_ENGINE")
    return fast, slow, fallbacks


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_pdfium_grid_pages_give_pdfminers_rows(path, packs, monkeypatch, caplog):
    fast, slow, fallbacks = _both_engines(path, packs, monkeypatch, caplog)
    same_tables(fast, slow)
    assert fallbacks == []  # PDFium served every page: the equality is not pdfminer against itself


@pytest.mark.parametrize("name", ["synthetic", "paths"])
def test_pdfium_grid_pages_on_generated_pdfs(name, generated, packs, monkeypatch, caplog):
    fast, slow, fallbacks = _both_engines(generated[name], packs, monkeypatch, caplog)
    same_tables(fast, slow)
    if name == "paths":  # the form with text and the rotated page, and only they, are read by pdfminer
        assert len(fallbacks) == 2
        assert "page 3" in fallbacks[0] and "form" in fallbacks[0]
        assert "page 4" in fallbacks[1] and "rotated" in fallbacks[1]
    else:
        assert fallbacks == []


def test_pdfium_page_objects_match_pdfminers(generated):
    """Below the rows: the same characters (fake bold kept for dedupe_chars to drop),
    and the same edges, from a table drawn with lines, zero-width rects and inside a
    form XObject."""
    import pdfplumber
    import pypdfium2 as pdfium

    from extractor.readers.pdfium_page import pdfium_page

    doc = pdfium.PdfDocument(str(generated["paths"]))
    with pdfplumber.open(generated["paths"]) as plumb:
        for n in (1, 2):
            ours, theirs = pdfium_page(doc, n), plumb.pages[n - 1]

            def key(objs, x1=True):
                return sorted((o.get("text", ""), round(o["x0"], 2), round(o["x1"], 2) if x1 else 0,
                               round(o["top"], 2), round(o["bottom"], 2), o.get("orientation")) for o in objs)

            # PDFium's text page drops a text object that repeats the one before it
            # at the same place: fake bold; pdfminer keeps both, dedupe_chars one.
            # (Advances differ for a few glyphs of this non-embedded CID font: PDFium
            # measures its substitute font; published reports embed their fonts.)
            assert key(ours.dedupe_chars().chars, x1=False) == key(theirs.dedupe_chars().chars, x1=False)
            assert key(ours.edges) == key(theirs.edges)
            assert len(ours.edges) >= 8
            assert " " in {c["text"] for c in ours.chars}  # 健康宣传 教育: the space glyph is kept
        assert len(plumb.pages[0].dedupe_chars().chars) < len(plumb.pages[0].chars)  # the bold is there
    doc.close()


def test_pages_read_in_parallel_give_the_same_tables(packs, monkeypatch):
    """A long document's grid pages are read by forked page readers, a stripe each,
    and assembled in order: the rows (tables joined across pages and stripes) are
    those of one process."""
    from extractor.readers import pdf

    path = SHARED / "real" / "xian_wjw_2022_final_accounts_excerpt.pdf"  # 8 grid pages, tables over page breaks
    serial = process_file(path, packs)
    monkeypatch.setattr(pdf, "PAGE_WORKERS", 3)
    monkeypatch.setattr(pdf, "PARALLEL_MIN_PAGES", 2)
    forks = []
    fork = pdf.os.fork
    monkeypatch.setattr(pdf.os, "fork", lambda: forks.append(1) or fork())
    parallel = process_file(path, packs)
    # two children each (the worker itself takes the first stripe) for the 9 text
    # layers, the 8 grid pages and the search of the rows' boxes on them
    assert len(forks) == 6
    assert len(parallel["indicators"]) > 50
    same_tables(parallel, serial)


def test_a_page_reader_that_dies_is_made_up_for(monkeypatch):
    """A stripe whose reader died (memory cap, crash) is read again by the caller."""
    from extractor.readers import pdf

    monkeypatch.setattr(pdf, "PAGE_WORKERS", 2)
    parent = pdf.os.getpid()

    def read(numbers):
        if pdf.os.getpid() != parent:
            pdf.os._exit(9)
        return {n: n * n for n in numbers}

    assert pdf.in_parallel(read, list(range(1, 9)), minimum=2) == {n: n * n for n in range(1, 9)}


@pytest.mark.ocr
def test_the_ocr_model_is_never_loaded_by_the_documents_worker(packs, tmp_path, monkeypatch):
    """In a batch, scanned pages are OCRed in forked page readers: the model goes with
    them, and the worker that reads the next, born-digital document never carries it."""
    from extractor.readers import ocr, pdf
    from test_ocr import scan

    monkeypatch.setattr(pdf, "OCR_IN_CHILDREN", True)  # as run_batch sets it
    if not ocr.available():
        pytest.fail("the OCR extra is part of the test install")
    ocr._load_engine.cache_clear()
    result = process_file(scan(SAMPLES / "2022_sample_project_selfeval.pdf", tmp_path / "scan.pdf"), packs)
    assert result["documents"][0]["status"] == "ok"
    assert result["indicators"]  # read by OCR, in a child
    assert ocr._load_engine.cache_info().currsize == 0
