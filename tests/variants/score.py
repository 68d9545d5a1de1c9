"""Generate a variant corpus, run the real `extractor extract` on it and score the output
against the truth: field precision / recall / F1 per family × renderer × text tool × table,
page accuracy, planted errors found, false alarms on clean documents, status accuracy.

    python -m tests.variants.score --n 200 --seed 1 --out /tmp/corpus [--tree DIR] [--jobs 2]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from .truth import TABLES, generate

ROOT = Path(__file__).resolve().parents[2]
MONEY = {"budget": ("initial", "adjustment", "adjusted", "actual"), "tasks": ("budget", "actual"),
         "projects": ("budget", "actual"), "counts": ("amount",)}
FIELDS = {
    "budget": ("project", "fund_source", "initial", "adjustment", "adjusted", "actual", "exec_rate", "adjust_rate",
               "source"),
    "tasks": ("task", "content", "completion", "budget", "actual", "exec_rate", "weight", "score"),
    "projects": ("name", "budget", "actual", "exec_rate", "score", "max_score", "grade", "source"),
    "indicators": ("project", "task", "level1", "level2", "name", "content", "target_text", "actual_text",
                   "target_op", "target_value", "target_unit", "actual_value", "actual_unit", "achieved", "weight",
                   "score"),
    "scores": ("level1", "level2", "level3", "weight", "score"),
    "counts": ("what", "grade", "count", "amount", "score"),
}
KEYS = {"budget": ("project", "fund_source", "source"), "tasks": ("task",), "projects": ("name", "source"),
        "indicators": ("project", "name"), "scores": ("level2", "level3"), "counts": ("what", "grade")}
DOC_FIELDS = ("kind", "department", "year", "total_score", "grade")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


# ---------------------------------------------------------------- normalisation and equality

def text_key(s) -> str:
    if s is None:
        return ""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(s)))


def _null(v) -> bool:
    if v is None:
        return True
    try:
        return v != v  # NaN
    except Exception:  # noqa: BLE001 - pandas NA
        return True


def equal(table: str, field: str, t, o) -> bool:
    if _null(t) or _null(o):
        return False
    if table == "counts" and field == "what":  # "what is counted, as printed, short": either holds the other
        a, b = text_key(t), text_key(o)
        return bool(a and b) and (a in b or b in a)
    if field in MONEY.get(table, ()):
        return Decimal(str(t)) == Decimal(str(o))
    if isinstance(t, bool) or isinstance(o, bool):
        return bool(t) == bool(o)
    if isinstance(t, (int, float)) and not isinstance(t, bool):
        try:
            return abs(float(t) - float(o)) < 1e-9
        except (TypeError, ValueError):
            return False
    return "".join(unicodedata.normalize("NFKC", str(t)).split()) == "".join(unicodedata.normalize("NFKC", str(o)).split())


def _bigrams(s: str) -> set:
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def key_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return 0.9
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def keys_fit(table: str, t: dict, o: dict) -> float | None:
    """How well two rows' keys agree (None: they cannot be the same row)."""
    total = 0.0
    for k in KEYS[table]:
        a, b = text_key(t.get(k)), text_key(o.get(k))
        s = key_similarity(a, b)
        if s < (0.4 if (table, k) == ("counts", "what") else 0.75):
            return None
        total += s
    return total


def match(table: str, truth: list[dict], out: list[dict]) -> tuple[list, list, list]:
    """Greedy one-to-one matching: key fit first, then the number of equal fields."""
    pairs = []
    for i, t in enumerate(truth):
        for j, o in enumerate(out):
            fit = keys_fit(table, t, o)
            if fit is None:
                continue
            same = sum(equal(table, f, t.get(f), o.get(f)) for f in FIELDS[table])
            pairs.append((fit + same, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_t, used_o, matched = set(), set(), []
    for _, i, j in pairs:
        if i in used_t or j in used_o:
            continue
        used_t.add(i)
        used_o.add(j)
        matched.append((truth[i], out[j]))
    return matched, [t for i, t in enumerate(truth) if i not in used_t], [o for j, o in enumerate(out) if j not in used_o]


class Tally:
    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.pages = self.pages_ok = 0

    def add_fields(self, table, fields, t: dict | None, o: dict | None, per_field: dict | None = None):
        for f in fields:
            tv = None if t is None else t.get(f)
            ov = None if o is None else o.get(f)
            if _null(tv) and _null(ov):
                continue
            ok = equal(table, f, tv, ov)
            tp, fn, fp = int(ok), int(not ok and not _null(tv)), int(not ok and not _null(ov))
            self.tp, self.fn, self.fp = self.tp + tp, self.fn + fn, self.fp + fp
            if per_field is not None:
                x = per_field[(table, f)]
                x.tp, x.fn, x.fp = x.tp + tp, x.fn + fn, x.fp + fp

    def merge(self, other: "Tally"):
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.pages += other.pages
        self.pages_ok += other.pages_ok

    @property
    def p(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def r(self):
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self):
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


# ---------------------------------------------------------------- running the engine

def run_extractor(corpus: Path, out: Path, tree: Path = ROOT, jobs: int = 2, timeout: int = 3600) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree))
    cmd = [sys.executable, "-c", "import sys; from extractor.commands.cli import main; sys.exit(main())", "extract",
           str(corpus), "-o", str(out), "--no-cache", "-q", "--jobs", str(jobs)]
    t = time.time()
    proc = subprocess.run(cmd, env=env, cwd=str(tree), capture_output=True, text=True, timeout=timeout)
    # 1 is "some documents were not ok"; a traceback is the extractor itself failing
    # (an import error exits 1 too), which must not leave an earlier run's tables scored
    if proc.returncode not in (0, 1) or "Traceback (most recent call last)" in proc.stderr:
        raise RuntimeError(f"extractor exited {proc.returncode}: {proc.stderr[-2000:]}")
    return time.time() - t


def load_output(out: Path) -> tuple[dict, dict]:
    """Per source file name: the documents row, and table -> rows."""
    import pyarrow.parquet as pq
    docs = {}
    rows: dict = defaultdict(lambda: defaultdict(list))
    dtab = pq.read_table(out / "documents.parquet").to_pylist()
    by_id = {}
    for d in dtab:
        name = Path(d["source_path"]).name
        docs[name] = d
        by_id[d["doc_id"]] = name
    for table in TABLES + ("checks",):
        for r in pq.read_table(out / f"{table}.parquet").to_pylist():
            name = by_id.get(r["doc_id"])
            if name:
                rows[name][table].append(r)
    return docs, rows


# ---------------------------------------------------------------- scoring

def subject_fits(hints: list[str], subject) -> bool:
    if not hints:
        return True
    s = text_key(subject)
    return any(text_key(h) and (text_key(h) in s or (s and s in text_key(h))) for h in hints)


def score(truth_dir: Path, out: Path) -> dict:
    docs, rows = load_output(out)
    tallies: dict = defaultdict(Tally)      # (family, renderer, tool, table) -> Tally
    per_field: dict = defaultdict(Tally)    # (table, field) -> Tally, over the whole corpus
    planted_total = planted_found = 0
    planted_by: dict = defaultdict(lambda: [0, 0])
    clean_files = clean_alarm_files = alarms = 0
    alarm_checks: dict = defaultdict(int)
    status_ok = status_n = 0
    partial_expected = partial_got = false_partial = 0
    ok_docs = ok_with_lost = 0  # documents said `ok` although truth rows went unmatched
    partial_docs = partial_complete = 0  # documents said `partial` although every truth row was matched
    missing_files = []
    for tf in sorted(truth_dir.glob("*.json")):
        truth = json.loads(tf.read_text(encoding="utf-8"))
        name = truth["file"]
        group = (truth["family"], truth["renderer"], truth["tool"])
        d = docs.get(name)
        got = rows.get(name, {})
        if d is None:
            missing_files.append(name)
        # documents
        tally = tallies[group + ("documents",)]
        fields = [f for f in DOC_FIELDS if f not in truth["unscored"]]
        tally.add_fields("documents", fields, truth["documents"], d, per_field)
        lost_here = 0
        for table in TABLES:
            tally = tallies[group + (table,)]
            matched, lost, extra = match(table, truth["rows"][table], got.get(table, []))
            lost_here += len(lost)
            for t, o in matched:
                tally.add_fields(table, FIELDS[table], t, o, per_field)
                tally.pages += 1
                tally.pages_ok += int(t.get("page") == o.get("page"))
            for t in lost:
                tally.add_fields(table, FIELDS[table], t, None, per_field)
            for o in extra:
                tally.add_fields(table, FIELDS[table], None, o, per_field)
        checks = got.get("checks", [])
        fails = [c for c in checks if c.get("status") == "fail"]
        for p in truth["planted"]:
            planted_total += 1
            hit = any(c["check"] in p["checks"] and subject_fits(p["subjects"], c.get("subject")) for c in fails)
            planted_found += hit
            planted_by[p["checks"][0]][0] += 1
            planted_by[p["checks"][0]][1] += hit
        if not truth["planted"] and truth["expect_status"] == "ok":
            clean_files += 1
            errs = [c for c in fails if c.get("severity") == "error"]
            alarms += len(errs)
            clean_alarm_files += bool(errs)
            for c in errs:
                alarm_checks[c["check"]] += 1
        status = d.get("status") if d else "missing"
        if status == "ok":
            ok_docs += 1
            ok_with_lost += bool(lost_here)
        if status == "partial":
            partial_docs += 1
            partial_complete += not lost_here
        status_n += 1
        status_ok += status == truth["expect_status"]
        if truth["expect_status"] == "partial":
            partial_expected += 1
            partial_got += status == "partial"
        elif status == "partial":
            false_partial += 1
    return dict(tallies=tallies, per_field=per_field, planted_total=planted_total, planted_found=planted_found,
                planted_by={k: tuple(v) for k, v in planted_by.items()}, clean_files=clean_files,
                clean_alarm_files=clean_alarm_files, alarms=alarms, alarm_checks=dict(alarm_checks),
                status_ok=status_ok, status_n=status_n, partial_expected=partial_expected, partial_got=partial_got,
                false_partial=false_partial, missing_files=missing_files, ok_docs=ok_docs,
                ok_with_lost=ok_with_lost, partial_docs=partial_docs, partial_complete=partial_complete)


def rollup(tallies: dict, by) -> dict:
    """Tallies merged over the key positions selected by `by` (a function of the key)."""
    out: dict = defaultdict(Tally)
    for k, t in tallies.items():
        out[by(k)].merge(t)
    return out


def report_long(res: dict, file=sys.stdout) -> None:
    """Every family × renderer × tool × table with its counts, then every field of every table."""
    print(f"{'family':17} {'renderer':9} {'tool':17} {'table':11} {'P':>6} {'R':>6} {'F1':>6} {'tp':>6} {'fp':>6} "
          f"{'fn':>6} {'page':>5}", file=file)
    for k, t in sorted(res["tallies"].items()):
        if t.tp + t.fp + t.fn == 0:
            continue
        pg = f"{t.pages_ok / t.pages:5.2f}" if t.pages else "    -"
        print(f"{k[0]:17} {k[1]:9} {k[2]:17} {k[3]:11} {t.p:6.3f} {t.r:6.3f} {t.f1:6.3f} {t.tp:6d} {t.fp:6d} "
              f"{t.fn:6d} {pg}", file=file)
    print(f"\n{'table':11} {'field':13} {'P':>6} {'R':>6} {'F1':>6} {'tp':>6} {'fp':>6} {'fn':>6}", file=file)
    for (table, field), t in sorted(res["per_field"].items()):
        print(f"{table:11} {field:13} {t.p:6.3f} {t.r:6.3f} {t.f1:6.3f} {t.tp:6d} {t.fp:6d} {t.fn:6d}", file=file)


def report(res: dict, file=sys.stdout) -> None:
    tallies = res["tallies"]
    cols = ("documents",) + TABLES
    print("field F1 per family × renderer × text tool (P/R in the all column; - = no fields)", file=file)
    head = f"{'family':17} {'renderer':9} {'tool':17}" + "".join(f"{c[:9]:>10}" for c in cols) + f"{'all F1':>8} " \
           f"{'P':>5} {'R':>5} {'page':>5}"
    print(head, file=file)
    groups = sorted({k[:3] for k in tallies})
    for g in groups:
        line = f"{g[0]:17} {g[1]:9} {g[2]:17}"
        tot = Tally()
        for c in cols:
            t = tallies.get(g + (c,))
            if t is None or t.tp + t.fp + t.fn == 0:
                line += f"{'-':>10}"
            else:
                line += f"{t.f1:10.3f}"
            if t:
                tot.merge(t)
        pg = f"{tot.pages_ok / tot.pages:5.2f}" if tot.pages else "    -"
        line += f"{tot.f1:8.3f} {tot.p:5.2f} {tot.r:5.2f} {pg}"
        print(line, file=file)
    print("\nper family (all renderers and tools)", file=file)
    fam = rollup(tallies, lambda k: (k[0], k[3]))
    for f in sorted({k[0] for k in fam}):
        tot = Tally()
        parts = []
        for c in cols:
            t = fam.get((f, c))
            if t and t.tp + t.fp + t.fn:
                parts.append(f"{c} {t.f1:.3f}")
                tot.merge(t)
        print(f"  {f:17} F1 {tot.f1:.3f} (P {tot.p:.3f} R {tot.r:.3f})  " + ", ".join(parts), file=file)
    for dim, pos in (("renderer", 1), ("tool", 2)):
        r = rollup(tallies, lambda k, pos=pos: k[pos])
        print(f"per {dim}: " + ", ".join(f"{k} {v.f1:.3f}" for k, v in sorted(r.items())), file=file)
    pt, pf = res["planted_total"], res["planted_found"]
    print(f"\nplanted errors found: {pf}/{pt} = {pf / pt if pt else 1:.3f}   by check: "
          + ", ".join(f"{k} {v[1]}/{v[0]}" for k, v in sorted(res["planted_by"].items())), file=file)
    print(f"false alarms: {res['clean_alarm_files']}/{res['clean_files']} clean files with an error-severity fail "
          f"({res['alarms']} fails: " + ", ".join(f"{k} {v}" for k, v in sorted(res["alarm_checks"].items())) + ")",
          file=file)
    print(f"status: {res['status_ok']}/{res['status_n']} as expected; partial where rows are missing "
          f"{res['partial_got']}/{res['partial_expected']}; partial elsewhere {res['false_partial']}", file=file)
    print(f"said ok although truth rows went unmatched (lost, or keys misread): {res['ok_with_lost']} of "
          f"{res['ok_docs']} ok documents", file=file)
    print(f"said partial although every truth row was matched: {res['partial_complete']} of "
          f"{res['partial_docs']} partial documents", file=file)
    if res["missing_files"]:
        print(f"files with no documents row: {len(res['missing_files'])}", file=file)


def summary(res: dict) -> dict:
    """The figures the CI test asserts on."""
    fam = rollup(res["tallies"], lambda k: k[0])
    grp = rollup(res["tallies"], lambda k: k[:3])
    pt = res["planted_total"]
    return dict(family_f1={k: v.f1 for k, v in fam.items()}, group_f1={"/".join(k): v.f1 for k, v in grp.items()},
                planted_recall=res["planted_found"] / pt if pt else 1.0, false_alarm_files=res["clean_alarm_files"],
                status_accuracy=res["status_ok"] / res["status_n"] if res["status_n"] else 1.0,
                partial_recall=res["partial_got"] / res["partial_expected"] if res["partial_expected"] else 1.0,
                false_partial=res["false_partial"],
                ok_with_lost=res["ok_with_lost"] / res["ok_docs"] if res["ok_docs"] else 0.0,
                partial_complete=res["partial_complete"] / res["partial_docs"] if res["partial_docs"] else 0.0)


def run(n: int, seed: int, out: Path, *, tree: Path = ROOT, jobs: int = 2, generate_corpus: bool = True,
        log=print, **gen) -> dict:
    out = Path(out)
    t0 = time.time()
    if generate_corpus:
        files = generate(n, seed, out, jobs=jobs, log=lambda m: print(m, flush=True), **gen)
        log(f"generated {len(files)} files in {time.time() - t0:.0f} s -> {out / 'corpus'}")
    t1 = time.time()
    secs = run_extractor(out / "corpus", out / "output", tree, jobs)
    log(f"extracted in {secs:.0f} s")
    res = score(out / "truth", out / "output")
    res["seconds"] = dict(generate=t1 - t0, extract=secs)
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="number of documents (each: a PDF and its text twins)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("/tmp/variants"))
    ap.add_argument("--tree", type=Path, default=ROOT, help="the source tree whose engine is scored (PYTHONPATH)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-generate", action="store_true", help="score the corpus already in OUT")
    ap.add_argument("--fresh", action="store_true",
                    help="delete OUT's corpus first (by default documents already written are kept: a stopped run resumes)")
    ap.add_argument("--twins-per-doc", type=int, default=None, help="twins per document, tools in turn (default all)")
    a = ap.parse_args(argv)
    if a.fresh:
        import shutil
        for d in ("corpus", "truth", "done", "output"):
            shutil.rmtree(a.out / d, ignore_errors=True)
    res = run(a.n, a.seed, a.out, tree=a.tree, jobs=a.jobs, generate_corpus=not a.no_generate,
              twins_per_doc=a.twins_per_doc)
    with open(a.out / "score.txt", "w", encoding="utf-8") as fh:
        report(res, fh)
        print("\n", file=fh)
        report_long(res, fh)
    report(res)
    (a.out / "summary.json").write_text(json.dumps(summary(res), indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
