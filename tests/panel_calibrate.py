"""The precision/recall curve of `extractor link` over its threshold, on generated panels.

    python tests/panel_calibrate.py [--seeds 101-110] [--thresholds 0.3,0.35,...]

For each seed a panel (tests/panel_gen.py, 10 departments × 5 years) is linked with
`--accept-suggested` at each threshold (projects and indicators alike), and the pair
counts are summed over the seeds.  The seeds are not the test's (tests/test_issue10_
panel.py uses 1 and 2), so the threshold is not chosen on the panels it is tested on.
The shipped threshold: among those whose precision is at least 0.99 (there and at
every threshold above), the highest whose F1 is within 0.001 of the best F1: as strict
as the data allows without losing links, so that a panel with closer look-alikes than
these still meets a threshold with room to spare.  `--no-guard` draws the curve without
the decoy guard, to show what the threshold alone would have to do.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extractor.link import link_outdir  # noqa: E402
from panel_gen import build  # noqa: E402
from panel_score import score  # noqa: E402


def curve(seeds, thresholds, departments=10, years=5, guard=True):
    totals = {t: dict(tp=0, pred=0, gold=0, decoy=0, decoy_pairs=0) for t in thresholds}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            out = Path(tmp) / f"s{seed}"
            build(out, seed, departments, years)
            for t in thresholds:
                cfg = Path(tmp) / "cfg.yaml"
                cfg.write_text(yaml.safe_dump({"indicator": {"threshold": t}, "project": {"threshold": t},
                                               "decoy_guard": guard}))
                link_outdir(out, config=cfg, accept_suggested=True)
                s = score(out)
                row = totals[t]
                row["tp"] += s["true_pairs"]
                row["pred"] += s["predicted_pairs"]
                row["gold"] += s["gold_pairs"]
                row["decoy"] += s["decoy_links"]
                row["decoy_pairs"] += s["decoy_pairs"]
    out = []
    for t in thresholds:
        r = totals[t]
        p = r["tp"] / r["pred"] if r["pred"] else 1.0
        rc = r["tp"] / r["gold"] if r["gold"] else 1.0
        f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
        out.append((t, p, rc, f1, r["decoy"] / r["decoy_pairs"] if r["decoy_pairs"] else 0.0))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="101-110")
    ap.add_argument("--thresholds", default="0.3,0.35,0.4,0.45,0.5,0.55,0.6,0.65,0.7,0.75,0.8,0.85,0.9")
    ap.add_argument("--no-guard", action="store_true")
    a = ap.parse_args()
    lo, _, hi = a.seeds.partition("-")
    seeds = range(int(lo), int(hi or lo) + 1)
    thresholds = [float(t) for t in a.thresholds.split(",")]
    rows = curve(seeds, thresholds, guard=not a.no_guard)
    print(f"seeds {seeds.start}-{seeds.stop - 1}" + (", without the decoy guard" if a.no_guard else ""))
    print("| threshold | precision | recall | F1 | decoy links |")
    print("|---|---|---|---|---|")
    for t, p, r, f1, d in rows:
        print(f"| {t:.2f} | {p:.4f} | {r:.4f} | {f1:.4f} | {100 * d:.2f} % |")
    ok = [row for i, row in enumerate(rows) if all(p >= 0.99 for _, p, *_ in rows[i:])]
    best = max((f1 for _, _, _, f1, _ in ok), default=None)
    chosen = max((t for t, _, _, f1, _ in ok if f1 >= best - 0.001), default=None)
    print(f"threshold: {chosen} (precision >= 0.99 from there up, F1 within 0.001 of the best {best})")


if __name__ == "__main__":
    main()
