"""Shared vocabularies (patterns/vocab/*.yaml): the words the packs and parsers know.

Roles (a column or label and its synonyms), grade scales, money units, unit
statements, comparison and yes/no words are data; this module only loads them and
answers the few questions the parsers ask.  Extending a vocabulary needs no code.
"""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from functools import lru_cache

import yaml

from .resources import patterns_dir

VOCAB_DIR = patterns_dir() / "vocab"


@lru_cache(maxsize=1)
def _data() -> dict:
    data: dict = {}
    for path in sorted(VOCAB_DIR.glob("*.yaml")):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in loaded.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
    return data


def digest() -> str:
    """A hash of every vocabulary: what the recognizers know, for the batch cache's key."""
    return hashlib.sha256(repr(sorted(_data().items(), key=lambda kv: kv[0])).encode()).hexdigest()


def roles() -> dict[str, list[str]]:
    return {k: [str(t) for t in v] for k, v in _data().get("roles", {}).items()}


@lru_cache(maxsize=1)
def _role_terms() -> frozenset[str]:
    return frozenset(t for terms in roles().values() for t in terms)


def is_role_term(text: str) -> bool:
    """Whether a cell's text is a column label of the vocabulary (自评得分, 全年预算数)."""
    return text in _role_terms()


@lru_cache(maxsize=1)
def _column_terms() -> frozenset[str]:
    table = roles()
    return frozenset(t for role in _data().get("column_roles", []) for t in table.get(str(role), []))


def is_column_term(text: str) -> bool:
    """Whether a cell's text heads a column of figures or remarks (结余率, 分值, 备注): a
    header's cell, never a row's label."""
    return text in _column_terms()


@lru_cache(maxsize=256)
def role_regex(role: str) -> str:
    """The alternation of a role's terms, longest first (so 全年预算数 wins over 预算数)."""
    terms = roles().get(role)
    if terms is None and isinstance(_data().get(role), list):  # a list of terms of its own (@fund_lines)
        terms = [str(t) for t in _data()[role]]
    if terms is None:
        lists = sorted(k for k, v in _data().items() if isinstance(v, list))
        raise KeyError(f"unknown vocabulary role @{role} (known: {', '.join(sorted(roles()) + lists)})")
    return "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))


_ROLE_REF = re.compile(r"@([a-z][a-z0-9_]*)")


def expand_roles(pattern: str) -> str:
    """`@weight` in a pack regex -> (?:分值|权重|…)."""
    return _ROLE_REF.sub(lambda m: f"(?:{role_regex(m.group(1))})", pattern)


def unit_factors() -> dict[str, Decimal]:
    return {str(k): Decimal(str(v)) for k, v in _data().get("units", {"元": 1}).items()}


@lru_cache(maxsize=1)
def _unit_statements() -> list[re.Pattern]:
    return [re.compile(p) for p in _data().get("unit_statements", [])]


def stated_unit(text: str | None) -> str | None:
    """The money unit a line or header cell states (单位：千元, （万元）), or None."""
    if not text:
        return None
    for pattern in _unit_statements():
        m = pattern.search(text)
        if m:
            return m.group("unit")
    return None


def scales() -> list[dict[str, float]]:
    return [{str(g): float(f) for g, f in s["bands"].items()} for s in _data().get("scales", [])]


def scale_for(grades: set[str]) -> dict[str, float] | None:
    """The first scale whose labels hold every printed grade."""
    grades = {g for g in grades if g}
    if not grades:
        return None
    return next((s for s in scales() if grades <= set(s)), None)


@lru_cache(maxsize=1)
def grade_rank() -> dict[str, int]:
    return {str(g): int(rank) for rank, gs in _data().get("rank", {}).items() for g in gs}


def grade_regex() -> str:
    labels = set(grade_rank())
    for s in scales():
        labels |= set(s)
    return "|".join(re.escape(g) for g in sorted(labels, key=len, reverse=True))


@lru_cache(maxsize=1)
def comparisons() -> list[tuple[str, str]]:
    """(word, op) pairs, longest word first."""
    pairs = [(str(w), op) for op, words in _data().get("comparisons", {}).items() for w in words]
    return sorted(pairs, key=lambda p: -len(p[0]))


@lru_cache(maxsize=1)
def suffix_comparisons() -> list[tuple[str, str]]:
    pairs = [(str(w), op) for op, words in _data().get("suffix_comparisons", {}).items() for w in words]
    return sorted(pairs, key=lambda p: -len(p[0]))


@lru_cache(maxsize=1)
def yes_words() -> frozenset[str]:
    return frozenset(str(w) for w in _data().get("met", []))


@lru_cache(maxsize=1)
def no_words() -> frozenset[str]:
    return frozenset(str(w) for w in _data().get("not_met", []))


# Labels a form prints beside their value (项目名称 特种设备…): a narrow label cell wraps
# them (项目名 / 称), and the pieces are joined again around the value.
_VALUE_ROLES = ("project_name", "department_name", "implementer")


@lru_cache(maxsize=1)
def _value_labels() -> frozenset[str]:
    return frozenset(t for role in _VALUE_ROLES for t in roles().get(role, []))


def wrapped_label(first: str, rest: str) -> str | None:
    """The form label (项目名称, 主管部门) a narrow cell wrapped into two pieces
    (项目名 + 称), or None where the pieces make no such label or the first is a
    whole label already."""
    if len(first) < 2 or not rest or first in _role_terms() or rest in _role_terms():
        return None
    return first + rest if first + rest in _value_labels() else None


def wrapped_header_cell(pieces: list[str]) -> str | None:
    """The column label (a role, a form's label; with its unit or not) a narrow header cell
    wrapped over lines printed a cell per line (一级指 / 标, 未完成原因分 / 析, 任务涉及 /
    资金（万 / 元）), or None.  No piece may be a whole label itself.  A 一级/二级 level
    wrapped in the body (产出指 / 标) is no header cell: where it wraps tells which rows
    its merged cell spans, and the rows' reader keeps the pieces."""
    terms = _role_terms() | _form_labels() | fund_lines()  # 总额 / 财政拨款 / 其他资金 under a money column
    if len(pieces) < 2 or len(pieces[0]) < 2 or any(p in terms for p in pieces):
        return None
    joined = "".join(pieces)
    return joined if _UNIT_AFTER_LABEL.sub("", joined) in terms else None



def is_value_label(text: str) -> bool:
    """项目名称, 主管部门, 实施单位: a form label whose value stands beside it."""
    return text in _value_labels()


def is_label_part(text: str) -> bool:
    """A label a table prints as a cell (a role term, a form label, a 一级/二级 level with or
    without its weight: 产出指标（50分）), or the first or last part of one a narrow cell wrapped
    (偏差原因分析及改进措)."""
    text = _UNIT_AFTER_LABEL.sub("", _WEIGHT_SUFFIX.sub("", text))
    return any(t.startswith(text) or t.endswith(text) for t in _cell_terms() | _form_labels())


@lru_cache(maxsize=1)
def _form_labels() -> frozenset[str]:
    return frozenset(str(t) for t in _data().get("form_labels", []))


@lru_cache(maxsize=1)
def _grade_labels() -> frozenset[str]:
    return frozenset(roles().get("grade", []))


def is_form_label(text: str) -> bool:
    """A form's own label (绩效指标, 年度总体目标, 项目资金): a merged cell beside a
    table's rows that is no 一级/二级 of theirs."""
    return text in _form_labels()


@lru_cache(maxsize=1)
def vertical_labels() -> frozenset[str]:
    """Labels a form may print one character a line down a merged cell (年 / 度 / 主 / 要 /
    任 / 务 …): its form labels and the column roles' terms of four characters or more."""
    return frozenset(t for t in _form_labels() | _role_terms() if len(t) >= 4)


def is_grade_label(text: str) -> bool:
    """自评等级, 评价等级 …: the label of a form's grade (its last line)."""
    return text in _grade_labels()


def is_form_line(tokens: list[str]) -> bool:
    """A form's label and its value (项目名称 生态环境宣传项目): no table header."""
    return len(tokens) == 2 and tokens[0] in _value_labels() and tokens[1] not in _role_terms()


@lru_cache(maxsize=1)
def fund_lines() -> frozenset[str]:
    return frozenset(str(t) for t in _data().get("fund_lines", []))


@lru_cache(maxsize=1)
def _evidence_ending() -> re.Pattern:
    endings = sorted((str(t) for t in _data().get("evidence_endings", [])), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, endings)) + ")$") if endings else re.compile(r"(?!)")


def is_evidence(text: str | None) -> bool:
    """Whether a short cell names the documents a score rests on (部门决算报表, 重点工作任务台账):
    a 评分依据 cell, not a level label.  A level term of the vocabulary never is."""
    return bool(text) and text not in level1_terms() and text not in level_parents() \
        and bool(_evidence_ending().search(text))


@lru_cache(maxsize=1)
def level_parents() -> dict[str, str]:
    """二级 label -> its 一级 (数量指标 -> 产出指标)."""
    return {str(child): str(parent) for parent, children in _data().get("levels", {}).items()
            for child in children}


@lru_cache(maxsize=1)
def level_children() -> dict[str, frozenset[str]]:
    """一级 label -> every 二级 the vocabulary lists under it (a 二级 may be under two:
    预算执行 under 过程 and under 管理效率)."""
    return {str(parent): frozenset(str(c) for c in children)
            for parent, children in _data().get("levels", {}).items()}


def holds(parent: str | None, child: str | None) -> bool:
    """Whether the vocabulary lists `child` as a 二级 under the 一级 `parent` in any framework."""
    return bool(parent and child) and child in level_children().get(parent, ())


def only_parent(child: str) -> str | None:
    """The 一级 of a 二级 when the vocabulary lists it under one only."""
    parents = [p for p, children in level_children().items() if child in children]
    return parents[0] if len(parents) == 1 else None


@lru_cache(maxsize=1)
def level1_terms() -> frozenset[str]:
    return frozenset(str(p) for p in _data().get("levels", {}))


# 任务涉及资金（万元）, 金额(元): a column label with its unit in brackets
_UNIT_AFTER_LABEL = re.compile(r"[(（](?:单位[:：])?(?:[千万亿]?元|%|％)[)）]$")
_WEIGHT_SUFFIX = re.compile(r"[（(]\d+(?:\.\d+)?分[)）]")


@lru_cache(maxsize=1)
def _cell_terms() -> frozenset[str]:
    """Labels a table prints as whole cells: column roles, 一级 and 二级 levels."""
    return _role_terms() | level1_terms() | frozenset(level_parents())


@lru_cache(maxsize=4096)
def split_glued(token: str) -> tuple[str, ...]:
    """A token that is two or more whole cell labels printed without a space between
    (分值执行率得分, 产出指标（45分）质量指标): its labels; else the token itself.
    A 一级 label keeps its printed weight."""
    terms = _cell_terms()
    if len(token) < 4 or token in terms:
        return (token,)
    longest = max((len(t) for t in terms), default=0)

    @lru_cache(maxsize=None)
    def parts(at: int):
        if at == len(token):
            return ()
        for end in range(min(len(token), at + longest), at, -1):
            piece = token[at:end]
            if piece not in terms:
                continue
            weight = _WEIGHT_SUFFIX.match(token, end) if piece in level1_terms() else None
            if weight:
                rest = parts(weight.end())
                if rest is not None:
                    return (piece + weight.group(0),) + rest
            rest = parts(end)
            if rest is not None:
                return (piece,) + rest
        return None

    found = parts(0)
    return found if found and len(found) > 1 else (token,)


_GROUP_COUNT = re.compile(r"^(.+?)的(?:绩效目标|绩效指标|指标)$")


def counted_group(what: str | None) -> str | None:
    """The group whose indicators a stated count counts (任务2的绩效目标 -> 任务2), or None."""
    m = _GROUP_COUNT.match(what or "")
    return m.group(1) if m else None

