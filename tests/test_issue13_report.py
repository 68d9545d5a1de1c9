"""Issue 13: the Chinese report shows, beside each failing check of a PDF, a crop of
the page with the figure highlighted; the box holds exactly the printed figure."""
import base64
import io
import os
import re
from html.parser import HTMLParser

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from PIL import Image

from extractor.commands.cli import main
from extractor.output.provenance import Box, PageText
from conftest import CHROMIUM, run_chromium
from issue13_data import PLANTED_PDF, extract_with_planted_pdf



@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("issue13_report")
    out = extract_with_planted_pdf(tmp)
    html = tmp / "report.html"
    r = CliRunner().invoke(main, ["report", str(out), "-o", str(html)])
    assert r.exit_code == 0, r.output
    return tmp, out, html


class _Crops(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figures, self.imgs, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "figure" and a.get("class") == "crop":
            self.figures.append(a)
        if tag == "img":
            self.imgs.append(a)


def test_report_is_chinese_by_default(run):
    _, _, html = run
    text = html.read_text(encoding="utf-8")
    for words in ("绩效自评报告核查", "未通过的校验", "预算执行率", "计算值", "印刷值", "正常", "部门整体支出绩效自评报告",
                  "合计：执行率印为 97.68%，按实际支出 ÷ 预算计算应为 98.68%", "合计：正文写 97.68%，表格中为 98.68%"):
        assert words in text, words
    assert "Failing checks" not in text


def test_each_failing_check_of_the_pdf_has_a_crop_whose_box_holds_the_reported_figure(run):
    tmp, _, html = run
    parser = _Crops()
    parser.feed(html.read_text(encoding="utf-8"))
    assert "script" not in parser.tags and "link" not in parser.tags
    # budget.exec_rate: one crop; budget.narrative: the sentence and the table line side by side
    assert [(f["data-page"], f["data-figure"]) for f in parser.figures] == [("2", "97.68%"), ("2", "97.68%"),
                                                                           ("7", "98.68%")]
    pdf = pdfium.PdfDocument(str(tmp / "inputs" / PLANTED_PDF))
    for f in parser.figures:
        page = PageText(pdf, int(f["data-page"]))
        box = Box(*map(float, f["data-box"].split(",")))
        assert page.text_in(box).strip() == f["data-figure"]  # read back from the PDF inside the box
        page.close()
    pdf.close()
    assert len(parser.imgs) == 3
    for img in parser.imgs:
        assert img["loading"] == "lazy"
        head, data = img["src"].split(",", 1)
        assert head == "data:image/jpeg;base64"
        raw = base64.b64decode(data)
        assert len(raw) < 60_000  # small: a report of 1,000 documents stays in tens of MB
        image = Image.open(io.BytesIO(raw)).convert("RGB")
        assert image.size == (int(img["width"]), int(img["height"]))
        # the highlight is drawn: strongly red pixels exist
        assert sum(1 for r, g, b in _pixels(image) if r > 170 and g < 80 and b < 80) > 50


def test_english_report_and_old_folders(run, tmp_path):
    _, out, _ = run
    html = tmp_path / "en.html"
    assert CliRunner().invoke(main, ["report", str(out), "-o", str(html), "--lang", "en"]).exit_code == 0
    text = html.read_text(encoding="utf-8")
    assert "Failing checks" in text and "execution rate printed 97.68%" not in text  # en keeps extractor.checks' message
    assert "合计: 执行率 printed 97.68%" in text
    # an output folder of an older version: no bbox / printed / tool_version columns
    import pyarrow.parquet as pq

    old = tmp_path / "old"
    old.mkdir()
    for p in out.glob("*.parquet"):
        t = pq.read_table(p)
        keep = [c for c in t.column_names if not c.startswith("bbox_") and c not in
                ("printed", "tool_version", "ocr_pages", "rows_expected", "rows_read")]
        pq.write_table(t.select(keep), old / p.name)
    html = tmp_path / "old.html"
    r = CliRunner().invoke(main, ["report", str(old), "-o", str(html)])
    assert r.exit_code == 0, r.output
    parser = _Crops()
    parser.feed(html.read_text(encoding="utf-8"))
    # without boxes, each failing check's crop is where its reported figure is printed on its page
    assert len(parser.imgs) == 2 and "预算执行率" in html.read_text(encoding="utf-8")
    xlsx = tmp_path / "old.xlsx"
    assert CliRunner().invoke(main, ["export", str(old), "--xlsx", str(xlsx)]).exit_code == 0


def _pixels(image):
    data = image.tobytes()
    return zip(data[0::3], data[1::3], data[2::3])


# In CI (.ci/run installs chromium) a missing browser is a failure, not a skip.
@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="chromium not installed (.ci/run installs it)")
def test_chromium_shows_the_highlighted_crop(run, tmp_path):
    tmp, out, _ = run
    # a report of the planted document alone, so that its crops are on the first screen
    import pyarrow.parquet as pq
    import pyarrow.compute as pc

    one = tmp_path / "one"
    one.mkdir()
    docs = pq.read_table(out / "documents.parquet")
    planted = docs.filter(pc.match_substring(docs["source_path"], PLANTED_PDF))["doc_id"][0]
    for p in out.glob("*.parquet"):
        t = pq.read_table(p)
        pq.write_table(t.filter(pc.equal(t["doc_id"], planted)), one / p.name)
    html = tmp_path / "one.html"
    assert CliRunner().invoke(main, ["report", str(one), "-o", str(html)]).exit_code == 0
    dom = run_chromium(tmp_path, "--dump-dom", html.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert re.search(r'<figure class="crop" data-page="2" data-box="[\d.,]+" data-figure="97\.68%">', dom.stdout)
    assert "未通过的校验" in dom.stdout
    png = tmp / "report_zh_crop.png"  # kept beside the test's output for a look
    shot = run_chromium(tmp_path, f"--screenshot={png}", "--window-size=1100,2200", html.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    image = Image.open(png).convert("RGB")
    assert image.size == (1100, 2200)
    # the crops are on screen: the highlight's red outline and its yellow row
    pixels = _pixels(image)
    red = yellow = 0
    for r, g, b in pixels:
        red += r > 170 and g < 80 and b < 80
        yellow += r > 230 and g > 200 and b < 190
    assert red > 200 and yellow > 2000
