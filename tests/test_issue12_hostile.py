"""Issue 12: no input takes the batch down, and hostile PDFs are bounded by the
reader (readers/guard.py), not only by the worker's memory cap."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import issue12_fuzz as fuzz
from conftest import ROOT, SAMPLES
from extractor.batch.pipeline import process_file
from extractor.readers.guard import GuardError, check_pdf
from extractor.settings import Limits, Settings
from extractor.tables import ALL_TABLES

EXTRACTOR = [sys.executable, "-m", "extractor.commands.cli", "extract", "--no-cache"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _doc(path, packs, **settings):
    return process_file(path, packs, settings=Settings(**settings))["documents"][0]


def test_a_4_gib_bomb_fails_fast_with_its_cause_and_the_batch_stays_small(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    fuzz.bomb_4gib(d / "bomb.pdf")
    assert (d / "bomb.pdf").stat().st_size < 8 << 20  # a few MB that inflate to 4 GiB
    for name in ("2022_sample_project_selfeval.pdf", "2021_liwan_commerce_dept_report.txt"):
        shutil.copy(SAMPLES / name, d / name)
    # Peak RSS of the batch: the largest of the command and its workers, measured by
    # a wrapper process whose only children they are.
    wrapper = ("import resource, subprocess, sys; rc = subprocess.call(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(rc)")
    run = subprocess.run([sys.executable, "-c", wrapper, *EXTRACTOR, str(d), "-o", str(tmp_path / "out"), "-q",
                          "--jobs", "2"], env=ENV, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr
    peak_kib = int(run.stdout.split()[-1])
    assert peak_kib < 1 << 20, f"peak RSS {peak_kib / 1024:.0f} MiB"
    docs = {Path(r["source_path"]).name: r for r in pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()}
    assert docs["bomb.pdf"]["status"] == "failed"
    assert docs["bomb.pdf"]["error"] == "decompression bomb: stream 4 inflates past 256 MiB (refused before parsing)"
    assert docs["2022_sample_project_selfeval.pdf"]["status"] == "ok"
    assert docs["2021_liwan_commerce_dept_report.txt"]["status"] == "ok"
    assert "Traceback" not in run.stderr


def test_the_inflation_limits_are_settings(tmp_path, packs):
    import pdfgen

    bomb = pdfgen.bomb_pdf(tmp_path / "small_bomb.pdf", inflated_mb=40)
    assert _doc(bomb, packs)["error"] != "decompression bomb"  # 40 MiB is under the default 256 MiB
    err = _doc(bomb, packs, limits=Limits(max_stream_mb=16))["error"]
    assert err == "decompression bomb: stream 4 inflates past 16 MiB (refused before parsing)"
    err = _doc(bomb, packs, limits=Limits(max_stream_mb=64, max_inflated_mb=32))["error"]
    assert err.startswith("decompression bomb: the streams inflate past 32 MiB in total (at stream 4")
    # The guard counts what every Flate stream of a real document inflates to.
    found = check_pdf(SAMPLES / "2021_liwan_commerce_dept_report.pdf")
    assert found.problems == [] and 100_000 < found.inflated < 10 << 20


def test_a_stream_deflated_twice_is_counted_through_both_layers(tmp_path):
    import zlib

    import pdfgen

    inner = zlib.compress(bytes(64 << 20), 9)
    outer = zlib.compress(inner, 9)
    path = tmp_path / "twice.pdf"
    path.write_bytes(pdfgen._raw_pdf(pdfgen._one_page(outer, filter_="/Filter [/FlateDecode /FlateDecode]")))
    with pytest.raises(GuardError, match="stream 4 inflates past 16 MiB"):
        check_pdf(path, max_stream_mb=16)
    assert check_pdf(path, max_stream_mb=128).inflated == 64 << 20


def test_deep_and_looping_page_trees_and_absurd_lengths_name_their_cause(tmp_path, packs):
    deep = fuzz.page_tree_pdf(tmp_path / "deep.pdf", 10_000)
    assert _doc(deep, packs)["error"] == "page tree nested more than 64 levels deep (refused before parsing)"
    loop = fuzz.page_tree_pdf(tmp_path / "loop.pdf", 3, loop=True)
    assert _doc(loop, packs)["error"] == "page tree loops: object 2 is its own ancestor (refused before parsing)"
    shallow = fuzz.page_tree_pdf(tmp_path / "shallow.pdf", 5)
    assert _doc(shallow, packs)["pages"] == 1  # an ordinary tree reads
    data = (SAMPLES / "2023_liwan_commerce_dept_scoring.pdf").read_bytes()
    neg = tmp_path / "neg.pdf"
    neg.write_bytes(fuzz.with_length(data, 1, b"-100"))
    doc = _doc(neg, packs)
    # PDFium (issue 11) reads past a bad /Length; where a parser gives up, the error names it
    assert doc["status"] == "ok" or "stream 13 has /Length -100 (the file has 188806 bytes)" in doc["error"], doc
    huge = tmp_path / "huge.pdf"
    huge.write_bytes(fuzz.with_length(data, 0, b"999999999999"))
    assert _doc(huge, packs)["status"] == "ok"  # the parsers find the stream's end by themselves


def _rows_by_doc(outdir: Path) -> dict[str, dict[str, set]]:
    out: dict[str, dict[str, set]] = {}
    for table in ALL_TABLES:
        for row in pq.read_table(outdir / f"{table}.parquet").to_pylist():
            row.pop("source_path", None)
            row.pop("source_path_hex", None)
            out.setdefault(row["doc_id"], {}).setdefault(table, set()).add(repr(sorted(row.items())))
    return out


def test_a_fuzzed_batch_gives_one_row_per_input_and_leaves_intact_files_unchanged(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for name, data in fuzz.mutations(SAMPLES).items():
        (d / name).write_bytes(data)
    fuzz.page_tree_pdf(d / "deep.pdf", 10_000)
    fuzz.page_tree_pdf(d / "cycle.pdf", 3, loop=True)
    fuzz.bomb_4gib(d / "bomb.pdf", gib=1)
    intact = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".txt"))
    for p in intact:
        shutil.copy(p, d / f"intact_{p.name}")
    names = fuzz.odd_names(d, SAMPLES / "2023_liwan_commerce_dept_scoring.txt")
    fuzz.links(d, SAMPLES / "2021_liwan_commerce_dept_report.txt")
    expected = sorted(os.fsencode(p) for p in d.iterdir() if p.suffix.lower() in (".pdf", ".txt"))

    run = subprocess.run([*EXTRACTOR, str(d), "-o", str(tmp_path / "out"), "--jobs", "2",
                          "--errors", str(tmp_path / "errors.csv")], env=ENV, capture_output=True, timeout=600)
    assert run.returncode in (0, 1)
    assert b"Traceback" not in run.stderr + run.stdout
    docs = pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()
    got = sorted(bytes.fromhex(r["source_path_hex"]) if r["source_path_hex"] else r["source_path"].encode()
                 for r in docs)
    assert got == expected  # exactly one row per input found, names kept losslessly
    for r in docs:
        assert r["status"] in ("ok", "partial", "failed")
        assert r["status"] == "ok" or r["error"], r  # every failure names its cause
        assert "Traceback" not in (r["error"] or "")
    by_name = {r["source_path"].rsplit("/", 1)[-1]: r for r in docs}
    assert by_name["gbk_\\xb1\\xa8\\xb8\\xe6.txt"]["status"] == "ok"
    assert by_name["bomb.pdf"]["error"].startswith("decompression bomb: stream 4 inflates past 256 MiB")
    assert by_name["dangling.pdf"]["error"].startswith("broken symbolic link")
    assert by_name["loop_a.pdf"]["error"].startswith("symbolic link loop")
    assert by_name["fifo.pdf"]["error"] == "not a regular file (FIFO): not read"
    assert by_name["link_ok.txt"]["status"] == "ok"
    assert all(by_name[n.rsplit("/", 1)[-1]]["status"] == "ok" for n in names if n.isprintable() and n.isascii())

    # The intact files' rows are the rows they give alone.
    clean = tmp_path / "clean"
    subprocess.run([*EXTRACTOR, str(SAMPLES), "-o", str(clean), "-q"], env=ENV, check=True, timeout=600)
    alone, fuzzed = _rows_by_doc(clean), _rows_by_doc(tmp_path / "out")
    assert len(alone) == len(intact)
    for doc_id, tables in alone.items():
        assert fuzzed[doc_id] == tables


def test_flate_images_count_per_stream_not_against_the_document_total(tmp_path):
    """A scan's Flate images may rightly inflate to more than the document total; one
    image past the per-stream limit is still a bomb."""
    import zlib

    import pdfgen

    image = zlib.compress(bytes(24 << 20), 9)
    objs = pdfgen._one_page(CONTENT_STREAM)
    for _ in range(3):
        objs.append(f"<< /Type /XObject /Subtype /Image /Width 4096 /Height 6144 /ColorSpace /DeviceGray "
                    f"/BitsPerComponent 8 /Length {len(image)} /Filter /FlateDecode >>\nstream\n".encode()
                    + image + b"\nendstream")
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdfgen._raw_pdf(objs))
    assert check_pdf(path, max_stream_mb=32, max_inflated_mb=16).inflated < 1 << 20  # 72 MiB of images pass
    with pytest.raises(GuardError, match="inflates past 16 MiB"):
        check_pdf(path, max_stream_mb=16)


CONTENT_STREAM = b"BT /F1 12 Tf 72 720 Td (scan) Tj ET"
