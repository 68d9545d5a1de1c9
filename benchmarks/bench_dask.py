"""Dask benchmark (issue 14): pages/s of `extractor extract` on the same corpus with

- the local pool, --jobs 1 and --jobs 2,
- --executor dask with a LocalCluster of 1 and of 2 worker processes (--workers N),

all without the cache.  The corpus is bench_batch.py's: N documents made from
samples/ and ../shared/real/ with distinct bytes.  Two figures per run: the wall
time of the command (Python start-up and, for Dask, starting the cluster), and the
batch time the command itself reports (documents in, tables committed).

Run by hand:  python benchmarks/bench_dask.py [--docs 100] [--keep DIR]
"""
from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import ROOT, make_corpus  # noqa: E402

RUNS = [("local --jobs 1", ["--jobs", "1"]), ("local --jobs 2", ["--jobs", "2"]),
        ("dask --workers 1", ["--executor", "dask", "--workers", "1"]),
        ("dask --workers 2", ["--executor", "dask", "--workers", "2"])]


def run(corpus: Path, out: Path, extra: list[str]) -> tuple[float, float, float, str]:
    """Wall s, batch s, and CPU s of the whole process tree (client, scheduler, Dask
    workers and the forked readers are all waited for, so RUSAGE_CHILDREN sees them):
    on a shared machine, CPU per page is the figure the load does not move."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "extractor.commands.cli", "extract", "-q", str(corpus), "-o", str(out),
                           "--no-cache", *extra], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if proc.returncode not in (0, 1):
        sys.exit(proc.stderr)
    line = proc.stderr.strip().splitlines()[-1]
    batch = float(re.search(r"pages in ([\d.]+) s", line).group(1))
    return wall, batch, cpu, line


def same_tables(a: Path, b: Path) -> bool:
    import pyarrow.parquet as pq

    from extractor.tables import ALL_TABLES

    return all(pq.read_table(a / f"{t}.parquet").equals(pq.read_table(b / f"{t}.parquet")) for t in ALL_TABLES)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--keep", type=Path, default=None, help="Keep the corpus and outputs here.")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_dask_"))
    corpus = work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir(parents=True)
    pages = make_corpus(corpus, args.docs)
    print(f"{args.docs} documents, {pages} pages in {corpus}")
    print("| run | wall s | pages/s (wall) | batch s | pages/s (batch) | CPU s | pages per CPU s "
          "| tables equal to --jobs 1 |")
    print("|---|---|---|---|---|---|---|---|")
    first = None
    for name, extra in RUNS:
        out = work / name.replace(" ", "_")
        wall, batch, cpu, line = run(corpus, out, extra)
        first = first or out
        print(f"| {name} | {wall:.1f} | {pages / wall:.1f} | {batch:.1f} | {pages / batch:.1f} | {cpu:.1f} | "
              f"{pages / cpu:.1f} | {same_tables(first, out)} |", flush=True)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
