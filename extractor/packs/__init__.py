"""Pattern packs: YAML files in patterns/, validated when loaded.

A pack is data in the spirit of invoice2data templates: `match` keywords that
recognise the document kind, `fields` regexes for department and year, and
`sections`, each naming a generic parser and what it looks for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from .schema import PackSpec, describe_errors
from .regex import compile_pattern
from .resources import patterns_dir

# The shipped packs: patterns/ of the checkout, or extractor/patterns of an installed wheel.
PACKS_DIR = patterns_dir()
TITLE_CHARS = 120  # how far into a document's text its title may stand
GRID_PARSERS = {"grid", "label_row", "form"}
LINE_PARSERS = {"line_rows", "task_blocks", "score_lines", "label_lines", "line_form"}
TABLES = {"budget", "tasks", "projects", "indicators", "scores", "counts"}


class PackError(ValueError):
    """A pack file is malformed; the message names the file and the problem."""


@dataclass
class Pack:
    name: str
    version: int
    kind: str
    keywords: list[str]
    any_keywords: list[str]
    exclude_keywords: list[str]
    priority: int
    money_unit: str
    fields: dict[str, list[str]]
    sections: list[dict]
    checks: dict = field(default_factory=dict)
    path: str = ""
    cues: dict[str, float] = field(default_factory=dict)  # regex -> weight: evidence for the kind
    form_fields: dict[str, str] = field(default_factory=dict)  # field -> label cell regex
    min_evidence: float = 0.0

    def grid_page_patterns(self) -> list[list[re.Pattern]]:
        """For each grid section, the regexes a page's text must all match for the
        page to hold that section's table (anchors dropped: a page is not a cell)."""
        groups = []
        for sec in self.sections:
            spec = sec.get("grid")
            if not spec:
                continue
            keys = spec.get("header") or spec.get("labels") or [spec.get("anchor", "")]
            keys = list(keys) + ([spec["table_must_contain"]] if "table_must_contain" in spec else [])
            groups.append([compile_pattern(k.strip("^$")) for k in keys if k])
        return groups

    def matches(self, squeezed_text: str) -> bool:
        """All keywords present, no exclude keyword: on text with all white space removed."""
        return (all(k in squeezed_text for k in self.keywords)
                and (not self.any_keywords or any(k in squeezed_text for k in self.any_keywords))
                and not any(k in squeezed_text for k in self.exclude_keywords))

    def evidence(self, squeezed_text: str) -> tuple[float, list[tuple[str, float, bool]]]:
        """How strongly the text looks like this pack's kind: the weights of the cues
        found (titles, header roles, section phrases; negative weights count against).
        The keywords count as cues of weight 1 each, any_keywords as one."""
        found = []
        for regex, weight in self.cues.items():
            # `title:` cues count only near the start (the cover or the table's title):
            # a 决算 named in a scoring table's 评分依据 is no 决算.
            where = squeezed_text[:TITLE_CHARS] if regex.startswith("title:") else squeezed_text
            found.append((regex, weight, bool(compile_pattern(regex.removeprefix("title:")).search(where))))
        for k in self.keywords:
            found.append((k, 1.0, k in squeezed_text))
        if self.any_keywords:
            found.append(("|".join(self.any_keywords), 1.0, any(k in squeezed_text for k in self.any_keywords)))
        return sum(w for _, w, hit in found if hit), found


def load_pack(path: Path, _seen: tuple[str, ...] = ()) -> Pack:
    """Load and validate one pack (pack_schema.PackSpec: unknown keys, wrong types,
    units, tables, columns and bad regexes are refused here, naming the file and the
    key path); `include: other` appends the other pack's sections (a 决算 holds the
    same 项目支出绩效自评表 as a stand-alone project report).

    The engine gets the YAML's own dicts, validated: the schema checks, it does not
    reshape."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PackError(f"{path}: not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise PackError(f"{path}: (top level): must be a mapping of keys (name, version, kind, match, …)")
    try:
        PackSpec.model_validate(data)
    except ValidationError as exc:
        raise PackError("\n".join(f"{path}: {line}" for line in describe_errors(exc, data))) from None
    match = data["match"]
    sections = list(data.get("sections") or [])
    for name in data.get("include") or []:
        if name in _seen:
            raise PackError(f"{path}: include: include cycle through {name}")
        other = path.parent / f"{name}.yaml"
        if not other.is_file():
            raise PackError(f"{path}: include: no pack file {other.name} beside this one")
        # Document-level fields belong to the including pack, not to its parts, and
        # the parts are optional there (a 决算 need not hold any project table).
        sections += [{**{k: v for k, v in sec.items() if k != "to_document"}, "optional": True}
                     for sec in load_pack(other, _seen + (data["name"],)).sections]
    fields = {k: (v if isinstance(v, list) else [v]) for k, v in (data.get("fields") or {}).items()}
    return Pack(
        name=data["name"], version=int(data["version"]), kind=data["kind"],
        keywords=list(match.get("keywords") or []), any_keywords=list(match.get("any_keywords") or []),
        exclude_keywords=list(match.get("exclude_keywords") or []),
        priority=int(match.get("priority") or 0), money_unit=data.get("money_unit") or "元",
        fields=fields, sections=sections, checks=data.get("checks") or {}, path=str(path),
        cues={str(k): float(v) for k, v in (match.get("cues") or {}).items()},
        min_evidence=float(match.get("min_evidence", 0)),
        form_fields={str(k): str(v) for k, v in (data.get("form_fields") or {}).items()},
    )


def pack_regexes(pack: Pack):
    """Every regex of the pack: its fields and its sections'."""
    for regexes in pack.fields.values():
        yield from regexes
    for sec in pack.sections:
        yield from _regexes(sec)


def _regexes(sec: dict):
    spec = sec.get("sentences") or {}
    yield from spec.get("patterns", [spec["pattern"]] if "pattern" in spec else [])
    yield from (spec.get("labels") or {}).values()
    if "sentence" in spec:
        yield spec["sentence"]
    for part in (sec.get("lines") or {}, sec.get("grid") or {}):
        for key in ("start", "end", "row", "task", "money", "total_row", "label_line", "anchor"):
            if key in part:
                yield part[key]
        if isinstance(part.get("fields"), list):
            yield from part["fields"]
        yield from (part.get("context") or {}).values()


def _is_pack_file(path: Path) -> bool:
    """patterns/ also holds other data (aliases, link settings, jieba terms; shared
    vocabularies in patterns/vocab/, a folder, not globbed): a pack file is a top-level
    *.yaml that declares any of a pack's keys."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return True  # let load_pack report the syntax error
    return not isinstance(data, dict) or bool({"kind", "match", "sections"} & set(data))


def load_packs(directory: Path | None = None) -> list[Pack]:
    directory = Path(directory or PACKS_DIR)
    packs = [load_pack(p) for p in sorted(directory.glob("*.yaml")) if p.is_file() and _is_pack_file(p)]
    return sorted(packs, key=lambda p: -p.priority)


def pack_scores(packs: list[Pack], text: str) -> list[tuple[Pack, float, bool]]:
    """Every pack with its evidence on the text and whether it may read it at all
    (no exclude keyword, and either its keywords all present or enough evidence)."""
    squeezed = "".join(text.split())
    out = []
    for pack in packs:
        score, _ = pack.evidence(squeezed)
        excluded = any(k in squeezed for k in pack.exclude_keywords)
        by_keywords = bool(pack.keywords or pack.any_keywords) and pack.matches(squeezed)
        eligible = not excluded and (by_keywords or (bool(pack.cues) and score >= pack.min_evidence))
        out.append((pack, score, eligible))
    return out


def select_pack(packs: list[Pack], text: str) -> Pack | None:
    """The eligible pack with the most evidence; priority breaks ties.  A title
    worded otherwise (部门整体绩效自评表, 项目绩效自评表) still leaves enough evidence,
    and a scoring table's header roles outweigh the one 绩效自评 a 决算 shares."""
    results = pack_scores(packs, text)
    scored = [(score, pack.priority, -i, pack) for i, (pack, score, ok) in enumerate(results) if ok]
    if not scored:
        return None
    best = max(scored, key=lambda t: t[:3])[3]
    # A pack with `keywords` describes one specific layout: when all its keywords occur
    # it wins over a pack of lower priority chosen on evidence.
    squeezed = "".join(text.split())
    specific = [p for p, _, ok in results if ok and (p.keywords or p.any_keywords) and p.matches(squeezed)
                and p.priority > best.priority]
    return max(specific, key=lambda p: p.priority) if specific else best
