"""The schema of a pattern pack: pydantic models that refuse mistakes at load time.

A pack that names an unknown key, gives a value of the wrong type, an unknown money
unit, table or column, or a regex that does not compile (or that nests unbounded
quantifiers, the shape of catastrophic backtracking) is refused when it is loaded,
with the file, the key path and what was expected, instead of failing every document
later.  `load_pack` (packs/__init__.py) validates the YAML through `PackSpec` and then hands
the engine the same plain dicts as before: the models check, they do not replace.

`pack_json_schema()` is the JSON Schema of a pack, generated from these models
(`extractor packs schema`).

How to add a key
----------------
1. Find the model of the block the key goes in: `PackSpec` (top level), `MatchSpec`,
   `SectionSpec`, `SentencesSpec`, one model per grid parser (`GridSpec`,
   `LabelRowSpec`, `FormSpec`) and per lines parser (`LineRowsSpec`, `LineFormSpec`,
   `TaskBlocksSpec`, `ScoreLinesSpec`, `LabelLinesSpec`, `FigureRowsSpec`), or `ChecksSpec`.
2. Add a field with its type and a default (None when the key is optional).  Use
   `Regex` for a regex (checked when loaded), `Field(alias=...)` when the YAML key is
   a Python keyword or clashes with a pydantic name (see `set_`).
3. If the value names a contract column, add it to `_field_names` of `SectionSpec`
   so that a misspelt column is caught.
4. A new parser is a new model with `parser: Literal["name"]`, added to `GridParser`
   or `LinesParser` with a `Tag`, and to the engine's parser table.
Keys an engine function reads but no model declares are refused: the models are the
list of what a pack may say.
"""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Union

from pydantic import (AfterValidator, BeforeValidator, BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError,
                      model_validator)
from pydantic_core import PydanticCustomError

from .regex import compile_pattern
from ..tables import ROW_TABLES, SCHEMAS

try:  # Python 3.11+
    from re import _parser as sre_parse  # type: ignore[attr-defined]
    from re import _constants as sre_constants  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

KINDS = ("dept_report", "dept_scoring", "project_selfeval", "final_accounts")
UNITS = ("元", "万元", "亿元")
DOCUMENT_FIELDS = ("department", "year", "total_score", "max_score", "grade")
Table = Literal["budget", "tasks", "projects", "indicators", "scores", "counts"]
Unit = Literal["元", "千元", "万元", "亿元"]
Scalar = Union[str, int, float, bool]


def _error(kind: str, message: str, **context) -> PydanticCustomError:
    """A schema error whose message is final text (regexes hold braces that pydantic's
    own templates would try to fill)."""
    return PydanticCustomError(kind, "{message}", {"message": message, **context})


# --- regexes -------------------------------------------------------------------------

def _nested_unbounded(tree, inside: bool = False) -> bool:
    """Whether an unbounded repeat (*, +, {n,}) sits inside another one: `(a+)+`,
    `(?:\\d*,?)*`.  Such patterns can take exponential time on a line that almost
    matches; none is needed for the reports' sentences."""
    for op, av in tree:
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av
            unbounded = hi == sre_constants.MAXREPEAT or hi > 100
            if unbounded and inside:
                return True
            if _nested_unbounded(sub, inside or unbounded):
                return True
        elif op == sre_constants.SUBPATTERN:
            if _nested_unbounded(av[-1], inside):
                return True
        elif op == sre_constants.BRANCH:
            if any(_nested_unbounded(branch, inside) for branch in av[1]):
                return True
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            if _nested_unbounded(av[1], inside):
                return True
    return False


def check_regex(pattern: str) -> str:
    """A pack regex compiles (placeholders expanded) and cannot backtrack catastrophically."""
    try:
        compiled = compile_pattern(pattern)
    except re.error as exc:
        raise _error("regex", f"regex {pattern!r} does not compile: {exc}")
    if _nested_unbounded(sre_parse.parse(compiled.pattern)):
        raise _error("regex_backtracking",
                     f"regex {pattern!r} nests an unbounded quantifier inside another ((a+)+, (x*y?)*): "
                     "it can backtrack catastrophically; bound the inner or the outer repeat")
    return pattern


Regex = Annotated[str, AfterValidator(check_regex)]


def _value_group(pattern: str) -> str:
    if "value" not in compile_pattern(pattern).groupindex:
        raise _error("value_group", f"field regex {pattern!r} needs a named group (?P<value>…)")
    return pattern


FieldRegex = Annotated[Regex, AfterValidator(_value_group)]


# --- the base of every block ------------------------------------------------------------

class Spec(BaseModel):
    """A block of a pack: unknown keys are refused, naming the key and the known ones."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            known = {f.alias or name for name, f in cls.model_fields.items()}
            for key in data:
                if key not in known:
                    raise _error("unknown_key", f"unknown key {key!r}; expected one of: {', '.join(sorted(known))}",
                                 key=key)
        return data


class ValueRules(Spec):
    """`strip` (field: regex removed from the value) and `value_map` (field: {as printed: as stored})."""
    strip: dict[str, Regex] | None = None
    value_map: dict[str, dict[str, str]] | None = None


# --- grid parsers (sec.grid) -----------------------------------------------------------------

class DrawnAfter(Spec):
    """Columns whose cells a PDF may draw after the rest of the form (Calc): read as text
    in drawing order, a line short of them takes the figures printed after the line
    matching `after` (the form's 自评等级), in order (recognize/deferred.py)."""
    fields: list[str]
    after: Regex
    level: str | None = None  # the 二级 column, whose wrapped labels may be drawn after too


class GridSpec(ValueRules):
    """`grid`: a header row, then data rows (recognize/grid.py parse_grid)."""
    parser: Literal["grid"] = "grid"
    header: list[Regex]
    columns: dict[Regex, str | list[str]]
    fill_down: list[str] | None = None
    stop_unless: dict[str, Regex] | None = None
    # what a column's values look like (完成情况: …完成): a cell of text read a row per line
    # goes to the column whose shape it has; unlike stop_unless, a row without it goes on
    shapes: dict[str, Regex] | None = None
    total_row: Regex | None = None
    end_row: Regex | None = None
    require_any: list[str] | None = None
    row_label: str | None = None
    row_key: str | None = None
    context: dict[str, Regex] | None = None
    table_must_contain: Regex | None = None
    needs_context: list[str] | None = None  # rows without these context fields are no rows of the section
    drawn_after: DrawnAfter | None = None


class LabelRowSpec(Spec):
    """`label_row`: a row of labels with a row of amounts under it."""
    parser: Literal["label_row"]
    labels: list[str]
    total_label: str | None = None
    table_must_contain: Regex | None = None


class FormField(Spec):
    """Where a form's value is: right of `label` (the `nth` non-empty cell), `below` it,
    or under the header `column` (a regex, or a path of two for two-row headers)."""
    label: Regex
    column: Regex | list[Regex] | None = None
    below: bool | None = None
    nth: Annotated[int, Field(ge=1)] | None = None


class FormSpec(Spec):
    """`form`: key/value forms, one record per `anchor` label."""
    parser: Literal["form"]
    anchor: Regex
    fields: dict[str, FormField]
    table_must_contain: Regex | None = None


def _parser_of(default: str):
    def tag(value: Any) -> str | None:
        if isinstance(value, dict):
            return value.get("parser", default) if isinstance(value.get("parser", default), str) else None
        return getattr(value, "parser", None)
    return tag


GridParser = Annotated[Union[Annotated[GridSpec, Tag("grid")], Annotated[LabelRowSpec, Tag("label_row")],
                             Annotated[FormSpec, Tag("form")]],
                       Discriminator(_parser_of("grid"), custom_error_type="unknown_parser",
                                     custom_error_message="unknown grid parser; expected one of: grid, label_row, form")]


# --- lines parsers (sec.lines) ---------------------------------------------------------------

class Region(Spec):
    """The lines between a `start` and an `end` match."""
    start: Regex | None = None
    end: Regex | None = None


class LineRowsSpec(Region, ValueRules):
    parser: Literal["line_rows"]
    row: Regex
    wrap_label: str | None = None
    # the field a level term printed before a wrapped label's first part goes to
    wrap_level: str | None = None
    context: dict[str, Regex] | None = None
    # a measure a text tool spaced out (不少于 95%, 200 元) is one token before `row` is matched
    rejoin_measures: bool = False


class LineFormSpec(Region, ValueRules):
    parser: Literal["line_form"]
    anchor: Regex
    fields: list[Regex]
    require_any: list[str] | None = None
    # a form none of whose `require_any` figures was read is still a form where one of its
    # lines up to the next anchor matches this (主管部门, 实施单位: the form's own labels)
    evidence: Regex | None = None


class TaskBlocksSpec(Region):
    parser: Literal["task_blocks"]
    task: Regex
    money: Regex
    total: Regex | None = None


class ScoreLinesSpec(Region):
    parser: Literal["score_lines"]
    row: Regex
    level1: list[str]
    level2: list[str]
    name_max_chars: Annotated[int, Field(ge=1)] | None = None
    not_name: Regex | None = None
    total_row: Regex | None = None


class FigureRowsSpec(Region):
    """Rows that are a line of figures after their text cells, printed a cell after the other."""
    parser: Literal["figure_rows"]
    text: list[str]
    figures: list[str]
    ends_with_sentence: str | None = None
    cell_ends: dict[str, Regex] | None = None
    header_line: Regex | None = None
    total: Regex | None = None


class LabelLinesSpec(Spec):
    parser: Literal["label_lines"]
    label_line: Regex
    total_label: str | None = None


LinesParser = Annotated[
    Union[Annotated[LineRowsSpec, Tag("line_rows")], Annotated[LineFormSpec, Tag("line_form")],
          Annotated[TaskBlocksSpec, Tag("task_blocks")], Annotated[ScoreLinesSpec, Tag("score_lines")],
          Annotated[LabelLinesSpec, Tag("label_lines")], Annotated[FigureRowsSpec, Tag("figure_rows")]],
    Discriminator(_parser_of(""), custom_error_type="unknown_parser",
                  custom_error_message="unknown lines parser; expected one of: line_rows, line_form, task_blocks, "
                                       "score_lines, label_lines, figure_rows")]


# --- sentences ---------------------------------------------------------------------------------

class SentencesSpec(ValueRules):
    """`sentences`: regexes over the narrative (named groups are columns), or `labels`
    (column: label regex) found in one `sentence`, or in one numbered `items` entry
    (its start regex, with an optional group `name`; `stop` cuts an item short;
    `need_any` columns one of which must be found) (recognize/sentences.py)."""
    items: Regex | None = None
    stop: Regex | None = None
    need_any: list[str] | None = None
    patterns: list[Regex] | None = None
    pattern: Regex | None = None
    labels: dict[str, Regex] | None = None
    sentence: Regex | None = None
    min_figures: Annotated[int, Field(ge=1)] | None = None
    set_: dict[str, Scalar] | None = Field(default=None, alias="set")
    template_only: list[str] | None = None
    what: str | None = None

    @model_validator(mode="after")
    def _one_way(self):
        if not (self.patterns or self.pattern or self.labels):
            raise PydanticCustomError("incomplete", "sentences needs patterns, pattern or labels")
        if self.items and not self.labels:
            raise PydanticCustomError("incomplete", "sentences.items needs labels")
        return self

    def group_names(self) -> set[str]:
        names: set[str] = set()
        for regex in (self.patterns or []) + ([self.pattern] if self.pattern else []) + (
                [self.items] if self.items else []):
            names |= set(compile_pattern(regex).groupindex)
        return names


# --- a section --------------------------------------------------------------------------------

class TotalRowTo(Spec):
    """A total row that is also a row of another table (金额合计 → the fund line 合计)."""
    table: Table
    map: dict[str, str]
    set_: dict[str, Scalar] | None = Field(default=None, alias="set")


def _columns(table: str) -> set[str]:
    return set(SCHEMAS[table].names) - {"doc_id"}


class SectionSpec(Spec):
    name: str | None = None
    table: Table
    optional: bool | None = None
    money_unit: Unit | None = None
    sentences: SentencesSpec | None = None
    grid: GridParser | None = None
    lines: LinesParser | None = None
    set_: dict[str, Scalar] | None = Field(default=None, alias="set")
    to_document: dict[str, Literal[DOCUMENT_FIELDS]] | list[Literal[DOCUMENT_FIELDS]] | None = None
    total_fields: dict[str, Literal[DOCUMENT_FIELDS]] | None = None
    total_row_to: TotalRowTo | None = None
    value_column: str | None = None
    groups: dict[str, str] | None = None

    @model_validator(mode="after")
    def _parsers_and_columns(self):
        if not (self.sentences or self.grid or self.lines):
            raise PydanticCustomError("incomplete", "a section needs sentences, grid or lines")
        allowed = self._allowed()
        for where, name in self._field_names():
            if name not in allowed:
                raise _error("unknown_column",
                             f"{where}: {name!r} is no column of {self.table} (expected one of: "
                             f"{', '.join(sorted(_columns(self.table)))}; or table.column for another table)")
        if self.total_row_to:
            for dest in self.total_row_to.map.values():
                if dest not in _columns(self.total_row_to.table):
                    raise _error("unknown_column",
                                 f"total_row_to.map: {dest!r} is no column of {self.total_row_to.table}")
        return self

    def _allowed(self) -> set[str]:
        allowed = _columns(self.table) | {f"{t}.{c}" for t in ROW_TABLES for c in _columns(t)}
        wanted = self.to_document or {}
        allowed |= set(wanted if isinstance(wanted, list) else wanted.keys())
        if self.sentences:
            allowed |= {"listed"} | set(self.sentences.template_only or [])
        return allowed

    def _field_names(self):
        """(where, name) of every value in the section that names a column."""
        for key in (self.set_ or {}):
            yield "set", key
        if self.value_column:
            yield "value_column", self.value_column
        if self.sentences:
            yield from (("sentences.labels", k) for k in (self.sentences.labels or {}))
            yield from (("sentences.set", k) for k in (self.sentences.set_ or {}))
            yield from (("sentences.patterns (named group)", g) for g in sorted(self.sentences.group_names()))
        for block, spec in (("grid", self.grid), ("lines", self.lines)):
            if spec is None:
                continue
            for key in ("fill_down", "require_any"):
                yield from ((f"{block}.{key}", f) for f in (getattr(spec, key, None) or []))
            for key in ("row_label", "row_key", "wrap_label", "wrap_level"):
                if getattr(spec, key, None):
                    yield f"{block}.{key}", getattr(spec, key)
            for key in ("stop_unless", "shapes", "context", "strip", "value_map"):
                yield from ((f"{block}.{key}", f) for f in (getattr(spec, key, None) or {}))
            if isinstance(spec, GridSpec) and spec.drawn_after:
                yield from ((f"{block}.drawn_after.fields", f) for f in spec.drawn_after.fields)
                if spec.drawn_after.level:
                    yield f"{block}.drawn_after.level", spec.drawn_after.level
            if isinstance(spec, GridSpec):
                for target in spec.columns.values():
                    yield from ((f"{block}.columns", t) for t in ([target] if isinstance(target, str) else target))
            if isinstance(spec, FormSpec):
                yield from ((f"{block}.fields", f) for f in spec.fields)


# --- the pack ---------------------------------------------------------------------------------

def _cue(pattern: str) -> str:
    check_regex(pattern.removeprefix("title:"))
    return pattern


class MatchSpec(Spec):
    """How a document is recognised: `cues` (regex: weight; `title:` ones count only
    near the start) add up to its evidence, `min_evidence` is what this kind needs;
    `keywords` (all must occur) name one specific layout, which wins over packs of
    lower priority chosen on evidence."""
    keywords: list[str] | None = None
    any_keywords: list[str] | None = None
    exclude_keywords: list[str] | None = None
    priority: int | None = None
    cues: dict[Annotated[str, AfterValidator(_cue)], float | int] | None = None
    min_evidence: float | int | None = None

    @model_validator(mode="after")
    def _some_keyword(self):
        if not (self.keywords or self.any_keywords or self.cues):
            raise PydanticCustomError("incomplete", "match needs cues (weighted evidence), keywords (all must occur) "
                                                    "or any_keywords (one must occur)")
        return self


class ChecksSpec(Spec):
    """Options of the checks (extractor.checks) for this pack's documents."""
    grade_scale: dict[str, float] | None = None        # lowest score of each grade: {优: 90, 良: 80, …}
    project_count_what: list[str] | None = None         # counts.what values that count projects
    total_groups: list[str] | None = None               # budget fund groups that partition the total
    full_marks: float | int | None = None               # what a scoring table's weights add up to


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class PackSpec(Spec):
    name: str
    version: int
    kind: Literal[KINDS]
    match: MatchSpec
    money_unit: Unit | None = None
    # One regex or a list of them (tried in order); a single one is read as a list of one.
    fields: dict[Literal[DOCUMENT_FIELDS], Annotated[list[FieldRegex], BeforeValidator(_as_list)]] | None = None
    sections: list[SectionSpec] | None = None
    include: list[str] | None = None
    checks: ChecksSpec | None = None
    # document fields printed as a label cell and its value: field -> label regex
    form_fields: dict[Literal[DOCUMENT_FIELDS], Regex] | None = None


def pack_json_schema() -> dict:
    return PackSpec.model_json_schema(by_alias=True)


# --- error messages ------------------------------------------------------------------------------

def describe_errors(exc: ValidationError, data: Any) -> list[str]:
    """One line per mistake: the key path (sections[2] (fund lines).grid.columns) and
    what was expected.  Discriminator tags in pydantic's path are dropped."""
    out = []
    for err in exc.errors():
        parts: list[str] = []
        node = data
        loc = err["loc"]
        for k, item in enumerate(loc):
            if isinstance(node, list) and isinstance(item, int) and item < len(node):
                node = node[item]
                name = node.get("name") if isinstance(node, dict) and parts[-1:] == ["sections"] else None
                parts[-1] += f"[{item}]" + (f" ({name})" if name else "")
            elif isinstance(node, dict) and item in node:
                parts.append(str(item))
                node = node[item]
            elif k == len(loc) - 1 and err["type"] == "missing":
                parts.append(str(item))  # the missing key itself
            # else: a discriminator tag or a union member: no key of the YAML
        ctx = err.get("ctx") or {}
        if err["type"] == "unknown_key":
            parts.append(str(ctx["key"]))
        msg = err["msg"]
        if err["type"] == "missing" and msg == "Field required":
            msg = "missing"
        elif err["type"].endswith("_type") or err["type"] == "literal_error":
            msg += f" (got {err.get('input')!r})"
        out.append(f"{'.'.join(parts) or '(top level)'}: {msg}")
    return out
