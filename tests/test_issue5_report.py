"""Issue 5: `extractor report` writes one self-contained HTML page; headless Chromium
renders it (DOM and screenshot) without any network."""
import os
import re
import struct
import zlib
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from extractor.commands.cli import main
from conftest import CHROMIUM, run_chromium
from issue5_data import DEPARTMENT, PLANTED, extract_samples



@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("issue5_report")
    out = extract_samples(tmp)
    html = tmp / "report.html"
    r = CliRunner().invoke(main, ["report", str(out), "-o", str(html), "--lang", "en"])
    assert r.exit_code == 0, r.output
    return html


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_report_is_self_contained_with_summaries_and_charts(report):
    html = report.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(html)
    tags = [t for t, _ in parser.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    assert not re.search(r"https?://|@import|url\(|@font-face", html)  # nothing fetched, inline SVG needs no xmlns
    assert tags.count("svg") == 3  # execution rate, score distribution, indicators missed
    text = "".join(parser.text)
    assert DEPARTMENT in text and "佛山市禅城区文化广电旅游体育局" in text
    # the 2021 report: 合计 actual 131,630,900.00 of the adjusted 133,388,200.00 = 98.68%
    assert "合计 actual 131,630,900.00 元, budget 133,388,200.00 元 (调整后预算): rate 98.68%; printed 98.68%" in text
    # the planted copy prints 97.68%: highlighted as a failing check with both values and its page
    assert "printed 97.68%" in text
    assert "99.79 / 100" in text  # the 2023 scoring table's total score
    fail_rows = [a for t, a in parser.tags if t == "tr" and a.get("class") == "fail"]
    assert len(fail_rows) == 2  # budget.exec_rate and budget.narrative of the planted copy


# In CI (.ci/run installs chromium) a missing browser is a failure, not a skip.
@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="chromium not installed (.ci/run installs it)")
def test_chromium_renders_the_report(report, tmp_path):
    dom = run_chromium(tmp_path, "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = dom.stdout
    assert "<svg" in page and page.count("<rect") > 10
    assert DEPARTMENT in page and "佛山市禅城区文化广电旅游体育局" in page
    assert "131,630,900.00" in page and "99.79" in page
    # the failing check of the planted copy: expected 98.68%, printed 97.68%, on page 1
    row = re.search(r'<tr class="fail"><td>1</td><td><code>budget\.exec_rate</code></td><td>合计</td>'
                    r'<td class="num">expected <b>([^<]+)</b></td><td class="num">printed <b>([^<]+)</b>', page)
    assert row, "no failing budget.exec_rate row in the rendered DOM"
    assert row.groups() == ("98.68%", "97.68%")
    assert PLANTED in page

    png = tmp_path / "report.png"
    shot = run_chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2000", report.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    w, h = struct.unpack(">II", data[16:24])
    assert (w, h) == (1280, 2000)
    assert len(set(_pixels(data)[: 3_000_000])) > 50  # not a blank page


def _pixels(png: bytes) -> bytes:
    """The decompressed image data of a PNG (filter bytes included): enough to see variety."""
    pos, idat = 8, b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"IDAT":
            idat += png[pos + 8:pos + 8 + length]
        pos += 12 + length
    return zlib.decompress(idat)
