"""The data of one generated document: what is printed (blocks) and what a careful
reader copies from it (truth rows), kept side by side so the renderers only lay out."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Para:
    text: str
    style: str = "body"  # title | subtitle | h1 | h2 | body | right | unit
    keep: bool = False   # keep with the next block (a unit line above its table)


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    align: str = "left"  # left | center | right
    bold: bool = False


@dataclass
class Table:
    """A grid; a cell covered by a span above or to the left is None."""
    rows: list[list[Cell | None]]
    widths: list[float]          # relative column widths
    header_rows: int = 1
    repeat_header: bool = True
    borders: str = "grid"        # grid | none | rules (lines above and below only)
    font: float = 9.0
    kind: str = ""               # what the table is, for debugging


@dataclass
class PageBreak:
    pass


Block = Para | Table | PageBreak


@dataclass
class Planted:
    """One printed figure altered on purpose: the check(s) that must fail on it."""
    checks: list[str]          # any of these names failing counts as found
    subjects: list[str]        # hints: a failing check whose subject contains one of them fits; [] = any
    what: str                  # readable description


@dataclass
class Doc:
    name: str
    family: str                # dept_report | dept_scoring | project_selfeval | final_accounts
    seed: int
    renderer: str              # reportlab | writer | calc
    style: dict                # renderer options (borders, landscape, split, …)
    department: str
    year: int
    blocks: list = field(default_factory=list)
    documents: dict = field(default_factory=dict)    # kind, department, year, total_score, grade
    rows: dict = field(default_factory=dict)         # table -> list of truth rows (with "_anchors")
    planted: list = field(default_factory=list)
    unscored: list = field(default_factory=list)     # documents fields not scored (ambiguous)
    notes: dict = field(default_factory=dict)        # printed figures outside the contract tables (task 合计)
