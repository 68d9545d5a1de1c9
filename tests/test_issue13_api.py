"""Issue 13: `extractor.extract` runs the batch engine: workers, limits, cache, progress."""
import pandas as pd
import pyarrow.parquet as pq

import extractor
from extractor.tables import ALL_TABLES
from conftest import SAMPLES


def test_api_runs_the_batch_with_jobs_cache_limits_and_progress(tmp_path, capsys):
    cache = tmp_path / "cache"
    first = extractor.extract(SAMPLES, jobs=2, cache=cache, progress=True)
    err = capsys.readouterr().err
    assert "extracting" in err and "5/5" in err  # tqdm's bar on stderr
    assert (first.summary.files, first.summary.ok, first.summary.cached) == (5, 5, 0)
    assert list(first.tables) == ALL_TABLES
    assert set(first.documents["tool_version"]) == {extractor.__version__}
    again = extractor.extract(SAMPLES, jobs=1, cache=cache, progress=False)
    assert again.summary.cached == 5 and capsys.readouterr().err == ""
    for table in ALL_TABLES:
        pd.testing.assert_frame_equal(again.tables[table], first.tables[table], obj=table)
    # a limit fails a file alone, with the reason, as --max-pages does
    limited = extractor.extract(SAMPLES, max_pages=1, cache=False, progress=False)
    docs = limited.documents.set_index("source_path")
    report = docs.loc[str(SAMPLES / "2021_liwan_commerce_dept_report.pdf")]
    assert report["status"] == "failed" and "pages" in report["error"]
    assert docs.loc[str(SAMPLES / "2022_sample_project_selfeval.pdf"), "status"] == "ok"
    assert limited.summary.failed == 2  # the two PDFs of more than one page (8 and 4)


def test_api_outdir_is_the_cli_layout(tmp_path):
    out = tmp_path / "out"
    result = extractor.extract(SAMPLES / "2022_sample_project_selfeval.pdf", outdir=out, progress=False)
    assert (out / ".cache").is_dir()  # the default cache, as the command line's
    for table in ALL_TABLES:
        assert pq.read_table(out / f"{table}.parquet").num_rows == len(result.tables[table])
    budget = result.budget
    assert budget["bbox_x0"].notna().all() and budget["printed"].notna().all()
