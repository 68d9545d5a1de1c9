"""Batch benchmark (issue 4): a corpus of N documents made from samples/ and
../shared/real/ with distinct bytes (a PDF comment or a blank line appended), then

- pages/s of `extractor extract` with --jobs 1 and --jobs 2 (no cache),
- an unchanged re-run (from the cache) and its speed-up,
- peak RSS of the extractor process and of its largest worker,
- bare pdfplumber extract_text + extract_tables on the distinct originals (the
  copies are the same PDFs, so their pages/s is the same).

Run by hand:  .venv/bin/python benchmarks/bench_batch.py [--docs 200] [--jobs 1 2] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
ORIGINALS = sorted((ROOT / "samples").glob("*.pdf")) + sorted((ROOT / "samples").glob("*.txt")) \
    + sorted((ROOT.parent / "shared" / "real").glob("*.pdf"))


def make_corpus(folder: Path, n: int) -> int:
    pages = 0
    for i in range(n):
        src = ORIGINALS[i % len(ORIGINALS)]
        data = src.read_bytes()
        suffix = f"\n% copy {i}\n".encode() if src.suffix == ".pdf" else b"\n" * (i + 1)
        (folder / f"{i:05d}_{src.name}").write_bytes(data + suffix)
        pages += page_count(src)
    return pages


_PAGES: dict[Path, int] = {}


def page_count(path: Path) -> int:
    if path not in _PAGES:
        if path.suffix == ".pdf":
            with pdfplumber.open(path) as pdf:
                _PAGES[path] = len(pdf.pages)
        else:
            _PAGES[path] = path.read_text(encoding="utf-8").count("\f") + 1
    return _PAGES[path]


def run_extract(corpus: Path, out: Path, *extra: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the largest process the run started."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    # This checkout's code, whichever venv runs the script.
    proc = subprocess.run([sys.executable, "-m", "extractor.commands.cli", "extract", "-q", str(corpus), "-o", str(out),
                           *extra], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(proc.stderr)
    print("   ", proc.stderr.strip().splitlines()[-1])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def bare_pdfplumber() -> float:
    pages, t0 = 0, time.perf_counter()
    for path in ORIGINALS:
        if path.suffix != ".pdf":
            continue
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                page.close()
                pages += 1
    return pages / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--keep", type=Path, default=None, help="build the corpus here and keep it")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="the --jobs values to time")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_batch_"))
    corpus = work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir(parents=True)
    pages = make_corpus(corpus, args.docs)
    print(f"corpus: {args.docs} documents, {pages} pages in {corpus}")
    results = {}
    for jobs in args.jobs:
        out = work / f"out_j{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        seconds, rss = run_extract(corpus, out, "--jobs", str(jobs), "--no-cache")
        results[jobs] = seconds
        print(f"--jobs {jobs}: {seconds:.1f} s, {pages / seconds:.1f} pages/s, peak RSS {rss:.0f} MiB")
    out = work / "out_cached"
    shutil.rmtree(out, ignore_errors=True)
    first, _ = run_extract(corpus, out, "--jobs", "2")
    again, rss = run_extract(corpus, out, "--jobs", "2")
    print(f"cached re-run: {again:.2f} s vs {first:.1f} s first run: {first / again:.0f}x faster, peak RSS {rss:.0f} MiB")
    bare = bare_pdfplumber()
    print(f"bare pdfplumber extract_text + extract_tables: {bare:.1f} pages/s (one process)")
    print("pipeline / bare: " + ", ".join(f"--jobs {j} {pages / s / bare:.2f}x" for j, s in results.items()))
    if 1 in results and 2 in results:
        print(f"--jobs 2 / --jobs 1: {results[1] / results[2]:.2f}x")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
