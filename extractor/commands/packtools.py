"""`extractor packs list` and `extractor packs test`: the pattern packs and their
golden examples (see golden.py), for whoever writes or changes a pack."""
from __future__ import annotations

from collections.abc import Iterator

from .golden import GoldenCase, golden_cases, run_case
from ..packs import Pack
from ..textable import render, cut, short_path


def list_packs(packs: list[Pack]) -> str:
    rows = []
    for p in packs:
        strongest = max(p.cues.items(), key=lambda kv: kv[1], default=None)
        keywords = "、".join(p.keywords + ([f"{strongest[0].removeprefix('title:')} ({strongest[1]:+g})"]
                                            if strongest else []))
        if p.any_keywords:
            keywords += (" + " if keywords else "") + "any of " + "/".join(p.any_keywords)
        if p.exclude_keywords:
            keywords += " − " + "/".join(p.exclude_keywords)
        rows.append([p.name, p.version, p.kind, p.priority, keywords, short_path(p.path)])
    return render(["name", "version", "kind", "priority", "keywords", "file"], rows, max_width=120)


class PackTest:
    """Runs every golden example with the packs; `lines()` yields the report as it goes."""

    def __init__(self, packs: list[Pack], names: tuple[str, ...] = (), golden_dirs=None, doc_dirs=None,
                 max_problems: int = 5):
        self.packs, self.max_problems = packs, max_problems
        self.cases = golden_cases(golden_dirs, doc_dirs)
        by_kind = {p.kind: p for p in reversed(packs)}  # the highest-priority pack of each kind
        self.groups: dict[str, list[GoldenCase]] = {p.name: [] for p in packs}
        self.unowned: list[GoldenCase] = []
        for case in self.cases:
            pack = by_kind.get(case.kind)
            (self.groups[pack.name] if pack else self.unowned).append(case)
        if names:
            unknown = set(names) - set(self.groups)
            if unknown:
                raise ValueError(f"no pack named {', '.join(sorted(unknown))}")
            self.groups = {n: c for n, c in self.groups.items() if n in names}
            self.unowned = []
        self.failed = 0
        self.passed = 0
        self.skipped = 0

    def lines(self) -> Iterator[str]:
        packs = {p.name: p for p in self.packs}
        for name, cases in self.groups.items():
            p = packs[name]
            yield f"{p.name} v{p.version} ({p.kind}, {short_path(p.path)}): {len(cases)} golden example(s)"
            yield from self._run(cases)
        if self.unowned:
            yield "golden examples of a kind no pack produces:"
            yield from self._run(self.unowned)
        yield (f"{self.passed} ok, {self.failed} FAIL, {self.skipped} skipped")

    def _run(self, cases: list[GoldenCase]) -> Iterator[str]:
        for case in cases:
            golden = short_path(str(case.golden_path))
            if case.document is None:
                self.skipped += 1
                yield f"  skipped  {golden}: source not found ({case.golden.get('source')})"
                continue
            run_case(case, self.packs)
            self.failed += case.status == "FAIL"
            self.passed += case.status == "ok"
            chosen = f" (chose pack {case.pack})" if case.status == "FAIL" else ""
            yield f"  {case.status:8} {golden} <- {short_path(str(case.document))}{chosen}"
            for problem in case.problems[: self.max_problems]:
                yield f"           {cut(problem, 240)}"
            if len(case.problems) > self.max_problems:
                yield f"           … and {len(case.problems) - self.max_problems} more problem(s)"


def check_packs(directory) -> tuple[list[str], int]:
    """Validate every pack file of DIRECTORY on its own (all mistakes of all files,
    not only the first): report lines and the number of files that failed."""
    from pathlib import Path

    from ..packs import PACKS_DIR, PackError, _is_pack_file, load_pack

    directory = Path(directory or PACKS_DIR)
    lines, failed = [], 0
    for path in sorted(directory.glob("*.yaml")):
        if not path.is_file() or not _is_pack_file(path):
            lines.append(f"  skipped  {short_path(str(path))} (not a pack)")
            continue
        try:
            pack = load_pack(path)
        except PackError as exc:
            failed += 1
            lines.append(f"  FAIL     {short_path(str(path))}")
            lines += [f"           {line}" for line in str(exc).splitlines()]
            continue
        lines.append(f"  ok       {short_path(str(path))}: {pack.name} v{pack.version}, {len(pack.sections)} section(s)")
    lines.append(f"{sum(ln.startswith('  ok') for ln in lines)} ok, {failed} FAIL")
    return lines, failed
