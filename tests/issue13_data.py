"""Shared set-up of the issue-13 tests: the samples plus a PDF with one planted error
(the 2021 report's text typeset by reportlab, its 98.68% misprinted as 97.68%),
extracted with the real command line."""
from pathlib import Path

from click.testing import CliRunner

from extractor.commands.cli import main
from conftest import SAMPLES
from pdfgen import text_pdf

PLANTED_PDF = "planted_2021_report.pdf"
LINES_PER_PAGE = 42


def planted_pdf(path: Path) -> Path:
    text = (SAMPLES / "2021_liwan_commerce_dept_report.txt").read_text(encoding="utf-8")
    assert "预算执行率为 98.68%" in text
    lines = text.replace("预算执行率为 98.68%", "预算执行率为 97.68%").replace("\f", "\n").splitlines()
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    path.parent.mkdir(parents=True, exist_ok=True)
    return text_pdf(path, pages)


def extract_with_planted_pdf(tmp: Path, *extra: str) -> Path:
    """samples/ and the planted PDF, extracted by `extractor extract` into tmp/out."""
    planted = planted_pdf(tmp / "inputs" / PLANTED_PDF)
    out = tmp / "out"
    result = CliRunner().invoke(main, ["extract", str(SAMPLES), str(planted), "-o", str(out), "--no-cache", *extra])
    assert result.exit_code == 0, result.output
    return out
