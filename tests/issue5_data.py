"""Shared set-up of the issue-5 tests: the samples plus one planted error, extracted
with the real command line into a folder (each test module does it once)."""
from pathlib import Path

from click.testing import CliRunner

from extractor.commands.cli import main
from conftest import SAMPLES

DEPARTMENT = "广州市荔湾区商务和投资促进局"
PLANTED = "planted_2021_report.txt"  # the 2021 report with its 98.68% misprinted as 97.68%


def extract_samples(tmp: Path) -> Path:
    """samples/ and the planted copy, extracted by `extractor extract` into tmp/out."""
    planted = tmp / "inputs" / PLANTED
    planted.parent.mkdir(parents=True, exist_ok=True)
    text = (SAMPLES / "2021_liwan_commerce_dept_report.txt").read_text(encoding="utf-8")
    assert "预算执行率为 98.68%" in text
    planted.write_text(text.replace("预算执行率为 98.68%", "预算执行率为 97.68%"), encoding="utf-8")
    out = tmp / "out"
    result = CliRunner().invoke(main, ["extract", str(SAMPLES), str(planted), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out
