"""One long 决算 and batches around it (issue 11), paired runs in one invocation.

We have no 171-page 决算 to publish, so the script builds a stand-in (not committed):
the Xi'an excerpt (a 决算 whose pages 2-9 hold 项目支出绩效自评表 grids), its grid
pages repeated to ~90 grid pages, then the text pages of the Putuo and Foshan 决算
(pypdfium2 PdfDocument.import_pages).  Then, each measure repeated --runs times
with the contenders alternating (medians and spread printed):

- `extractor extract --jobs 1` and `--jobs 2` on the long document alone;
- bare pdfplumber extract_text + extract_tables on every page of it, and pdftotext;
- the same for the generated corpus of bench_batch.py (--docs N), plus the long
  document in a mixed batch, `--jobs 1` against `--jobs 2`;
- peak RSS of the parent and of the largest worker (from /proc, sampled).

Run by hand:  .venv/bin/python benchmarks/bench_long.py [--runs 5] [--docs 40] [--keep DIR]
"""
from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_batch import make_corpus  # noqa: E402

import os  # noqa: E402

# This checkout's code, whichever venv runs the script.
EXTRACTOR = [sys.executable, "-m", "extractor.commands.cli"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def build_long(path: Path, grid_pages: int = 90, pages: int = 171) -> tuple[int, int]:
    """The stand-in 决算: (pages, grid pages it was built with)."""
    out = pdfium.PdfDocument.new()
    xian = pdfium.PdfDocument(str(REAL / "xian_wjw_2022_final_accounts_excerpt.pdf"))
    out.import_pages(xian)  # page 1 text, pages 2-9 grids
    grids = 8
    while grids < grid_pages:
        take = list(range(3, 9))[: grid_pages - grids]  # pages 4-9: project tables (0-based 3-8)
        out.import_pages(xian, take)
        grids += len(take)
    for name in ("sh_putuo_shgzb_2024_final_accounts.pdf", "foshan_gdjtj_2019_final_accounts.pdf"):
        src = pdfium.PdfDocument(str(REAL / name))
        skip = {28} if name.startswith("foshan") else set()  # its one grid page (0-based 28)
        take = [i for i in range(len(src)) if i not in skip][: max(0, pages - len(out))]
        if take:
            out.import_pages(src, take)
    while len(out) < pages:  # top up with Putuo text pages
        out.import_pages(pdfium.PdfDocument(str(REAL / "sh_putuo_shgzb_2024_final_accounts.pdf")),
                         list(range(min(24, pages - len(out)))))
    out.save(str(path))
    return len(out), grids


def extract(inputs: list[Path], out: Path, jobs: int, *extra: str) -> tuple[float, dict]:
    """Wall seconds of `extractor extract`, and peak RSS (MiB) of parent and workers."""
    shutil.rmtree(out, ignore_errors=True)
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen([*EXTRACTOR, "extract", "-q", *map(str, inputs), "-o", str(out),
                             "--jobs", str(jobs), "--no-cache", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
    peaks = _watch(proc)
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(proc.stderr.read())
    peaks["cpu"] = _children_cpu() - cpu0
    return seconds, peaks


def _children_cpu() -> float:
    """CPU seconds of finished descendants (workers and page readers included): on
    a machine shared with others, wall time says as much about them as about us."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _watch(proc) -> dict:
    """Sample VmHWM of the process and its children until it exits."""
    peaks = {"parent": 0, "worker": 0}
    while proc.poll() is None:
        for pid, role in [(proc.pid, "parent")] + [(c, "worker") for c in _children(proc.pid)]:
            peaks[role] = max(peaks[role], _hwm(pid))
        time.sleep(0.05)
    return {k: v / 1024 for k, v in peaks.items()}


def _children(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/task/{p}/children") as fh:
                kids = [int(x) for x in fh.read().split()]
        except OSError:
            kids = []
        out += kids
        todo += kids
    return out


def _hwm(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def bare_pdfplumber(paths: list[Path], cpu: list | None = None) -> float:
    c0 = time.process_time()
    t0 = time.perf_counter()
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                page.close()
    if cpu is not None:
        cpu.append(time.process_time() - c0)
    return time.perf_counter() - t0


def pdftotext(paths: list[Path], cpu: list | None = None) -> float:
    c0 = _children_cpu()
    t0 = time.perf_counter()
    for path in paths:
        subprocess.run(["pdftotext", "-layout", str(path), "-"], stdout=subprocess.DEVNULL, check=True)
    if cpu is not None:
        cpu.append(_children_cpu() - c0)
    return time.perf_counter() - t0


def median(xs: list[float]) -> str:
    return f"{statistics.median(xs):.2f} s (min {min(xs):.2f}, max {max(xs):.2f})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--docs", type=int, default=40, help="documents in the generated corpus")
    ap.add_argument("--keep", type=Path, default=None)
    ap.add_argument("--skip-bare", action="store_true", help="do not time bare pdfplumber (slow)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_long_"))
    work.mkdir(parents=True, exist_ok=True)
    long_pdf = work / "long_final_accounts.pdf"
    pages, grids = build_long(long_pdf)
    corpus = work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir()
    corpus_pages = make_corpus(corpus, args.docs)
    corpus_files = sorted(corpus.iterdir())
    mixed = work / "mixed"
    shutil.rmtree(mixed, ignore_errors=True)
    shutil.copytree(corpus, mixed)
    shutil.copy(long_pdf, mixed / "00000_long_final_accounts.pdf")
    print(f"long document: {pages} pages, {grids} grid pages built in; corpus: {args.docs} documents, "
          f"{corpus_pages} pages; mixed batch: the corpus + the long document")

    t: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    rss: dict[str, dict] = {}

    def note(key, seconds, peaks=None, spent=None):
        t.setdefault(key, []).append(seconds)
        if spent:
            cpu.setdefault(key, []).append(spent[-1])
        if peaks:
            cpu.setdefault(key, []).append(peaks.pop("cpu"))
            old = rss.setdefault(key, {"parent": 0, "worker": 0})
            for k in old:
                old[k] = max(old[k], peaks[k])

    for run in range(args.runs):
        for jobs in (1, 2):
            note(f"long j{jobs}", *extract([long_pdf], work / "out", jobs))
        spent: list[float] = []
        note("long pdftotext", pdftotext([long_pdf], spent), spent=spent)
        if not args.skip_bare:
            note("long bare", bare_pdfplumber([long_pdf], spent), spent=spent)
        for jobs in (1, 2):
            note(f"corpus j{jobs}", *extract([corpus], work / "out", jobs))
        if not args.skip_bare:
            note("corpus bare", bare_pdfplumber([p for p in corpus_files if p.suffix == ".pdf"], spent), spent=spent)
        for jobs in (1, 2):
            note(f"mixed j{jobs}", *extract([mixed], work / "out", jobs))
        print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in t.items()), flush=True)

    print()
    for key, xs in t.items():
        peak = rss.get(key)
        extra = f"; peak RSS parent {peak['parent']:.0f} MiB, worker {peak['worker']:.0f} MiB" if peak else ""
        print(f"{key:16} wall {median(xs)}; CPU {statistics.median(cpu[key]):.2f} s{extra}")
    print()
    for name, d in (("wall", {k: statistics.median(v) for k, v in t.items()}),
                    ("CPU", {k: statistics.median(v) for k, v in cpu.items()})):
        if "long bare" in d:
            print(f"[{name}] long: pipeline --jobs 1 vs bare pdfplumber: {d['long bare'] / d['long j1']:.2f}x faster")
            print(f"[{name}] corpus: pipeline --jobs 1 vs bare pdfplumber: {d['corpus bare'] / d['corpus j1']:.2f}x faster")
        print(f"[{name}] long: pipeline --jobs 1 / pdftotext: {d['long j1'] / d['long pdftotext']:.1f}x")
    m = {k: statistics.median(v) for k, v in t.items()}
    for what in ("long", "corpus", "mixed"):
        print(f"[wall] {what}: --jobs 2 is {m[f'{what} j1'] / m[f'{what} j2']:.2f}x --jobs 1")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
