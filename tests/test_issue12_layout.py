"""Issue 12: the settings object and the batch log, and names that are not UTF-8.
The stage order of the imports, import cycles and pyproject's package list are
checked in tests/test_layout.py."""
import logging

import pyarrow.parquet as pq
from click.testing import CliRunner

from conftest import SAMPLES
from extractor.commands.cli import main


def test_no_ocr_travels_in_the_settings_not_the_environment(tmp_path):
    import os

    result = CliRunner().invoke(main, ["extract", "-q", "--no-ocr", "--jobs", "1", "--no-cache", "--max-stream", "64",
                                       str(SAMPLES / "2022_sample_project_selfeval.pdf"), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "EXTRACTOR_OCR" not in os.environ
    # The worker is forked: what it was given is in the log file, written by the parent.
    log = next((tmp_path / "logs").glob("extract-*.log")).read_text(encoding="utf-8")
    assert "ocr=False" in log and "max_stream_mb=64" in log and "password" not in log


def test_log_level_and_a_log_file_per_batch(tmp_path):
    log_file = tmp_path / "batch.log"
    result = CliRunner().invoke(main, ["extract", "-q", "--no-cache", "--jobs", "1", "--log-level", "info",
                                       "--log-file", str(log_file), str(SAMPLES / "2021_liwan_commerce_dept_report.txt"),
                                       str(tmp_path / "missing_link.pdf"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "no such file or folder" in result.output  # a name that is not there at all
    (tmp_path / "dangling.pdf").symlink_to(tmp_path / "nowhere.pdf")
    result = CliRunner().invoke(main, ["extract", "-q", "--no-cache", "--jobs", "1", "--log-level", "info",
                                       "--log-file", str(log_file), str(SAMPLES / "2021_liwan_commerce_dept_report.txt"),
                                       str(tmp_path / "dangling.pdf"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1  # a broken link named on the command line is an input with its row
    text = log_file.read_text(encoding="utf-8")
    assert "INFO    extractor.batch" in text and "batch of 2 file(s)" in text
    assert f"failed   unknown {tmp_path / 'dangling.pdf'} (broken symbolic link" in text
    assert "2 file(s): 1 ok, 0 partial, 1 failed" in text
    docs = pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()
    assert [d["status"] for d in docs] == ["ok", "failed"]
    assert not logging.getLogger("extractor").handlers  # the batch's handlers are gone after it


def test_a_name_that_is_not_utf8_never_breaks_the_writer():
    import os

    from extractor.tables import to_arrow

    name = os.fsdecode(b"reports/\xb1\xa8\xb8\xe6.pdf")  # GBK bytes, as Python reads them off a share
    t = to_arrow("documents", [{"doc_id": "x", "source_path": name, "status": "failed",
                                "error": f"cannot read {name}"}]).to_pylist()[0]
    assert t["source_path"] == "reports/\\xb1\\xa8\\xb8\\xe6.pdf" and t["error"] == "cannot read " + t["source_path"]
    assert os.fsdecode(bytes.fromhex(t["source_path_hex"])) == name  # lossless
    assert to_arrow("documents", [{"doc_id": "y", "source_path": "报告.pdf"}]).to_pylist()[0]["source_path_hex"] is None
