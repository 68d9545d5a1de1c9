"""A batch with scans (issue 11): born-digital documents and scanned ones together.

The scans are the samples printed to page images (150-152 dpi, no text layer, what
tests/test_ocr.py makes); the born-digital documents are the bench_batch corpus.
`extractor extract --no-cache` with `--jobs 1` and `2`, paired in one invocation, for
this checkout and, with `--base DIR`, for another tree of the code (e.g. a
`git worktree` of an earlier commit): wall and CPU seconds, the peak RSS of the parent
and of the largest other process (workers, page readers, OCR processes), and how
many times the OCR model was loaded (counted from the log: every load logs a line).

Run by hand:  .venv/bin/python benchmarks/bench_scans.py [--scans 6] [--docs 30] [--runs 2] [--base DIR]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_long  # noqa: E402
from bench_batch import make_corpus  # noqa: E402

SCANNED = ["2022_sample_project_selfeval.pdf", "2023_liwan_commerce_dept_scoring.pdf",
           "2021_liwan_commerce_dept_report.pdf"]


def scan(src: Path, out: Path, dpi: int) -> int:
    pdf = pdfium.PdfDocument(str(src))
    images = [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(pdf))]
    images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)
    return len(images)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scans", type=int, default=6, help="scanned documents in the batch")
    ap.add_argument("--docs", type=int, default=30, help="born-digital documents in the batch")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--base", type=Path, default=None, help="another tree of the code to compare with")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_scans_"))
    batch = work / "batch"
    batch.mkdir()
    make_corpus(batch, args.docs)
    scanned_pages = 0
    for k in range(args.scans):
        name = SCANNED[k % len(SCANNED)]
        scanned_pages += scan(ROOT / "samples" / name, batch / f"scan{k:02d}_{name}", 150 + k)
    print(f"batch: {args.docs} born-digital documents + {args.scans} scans ({scanned_pages} scanned pages)")
    trees = {"this": ROOT} | ({"base": args.base.resolve()} if args.base else {})
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    rss: dict[str, dict] = {}
    loads: dict[str, list[int]] = {}
    for run in range(args.runs):
        for tree_name, tree in trees.items():
            bench_long.ENV = {**os.environ, "PYTHONPATH": str(tree)}
            os.chdir(tree)  # `python -m` puts the working folder first on sys.path
            for jobs in (1, 2):
                key = f"{tree_name} j{jobs}"
                log = work / "batch.log"
                log.unlink(missing_ok=True)
                seconds, peaks = bench_long.extract([batch], work / "out", jobs, "--log-level", "DEBUG",
                                                    "--log-file", str(log))
                wall.setdefault(key, []).append(seconds)
                cpu.setdefault(key, []).append(peaks.pop("cpu"))
                old = rss.setdefault(key, {"parent": 0, "worker": 0})
                for k in old:
                    old[k] = max(old[k], peaks[k])
                text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
                loads.setdefault(key, []).append(text.count("OCR model loaded"))
                for line in text.splitlines():  # which processes loaded it, and any that died
                    if "OCR model loaded" in line or "exited" in line or "died" in line:
                        print("   ", line[:160])
                print(f"run {run + 1} {key}: {seconds:.1f} s", flush=True)
    print()
    for key in wall:
        print(f"{key:8} wall {statistics.median(wall[key]):.1f} s (min {min(wall[key]):.1f}), "
              f"CPU {statistics.median(cpu[key]):.1f} s, peak RSS parent {rss[key]['parent']:.0f} MiB, "
              f"largest other process {rss[key]['worker']:.0f} MiB, OCR model loads {max(loads[key])}")
    for tree_name in trees:
        m = {j: statistics.median(wall[f"{tree_name} j{j}"]) for j in (1, 2)}
        print(f"{tree_name}: --jobs 2 is {m[1] / m[2]:.2f}x --jobs 1")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
