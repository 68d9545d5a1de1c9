"""Settings of `extractor link`: patterns/link.yaml, optionally overlaid by a user file."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..packs.resources import patterns_dir

PATTERNS = patterns_dir()
DEFAULT_CONFIG = PATTERNS / "link.yaml"

_TOP_KEYS = {"version", "dictionary", "department_aliases", "stop_tokens", "synonyms", "variants", "drop_words",
             "max_year_gap", "gap_penalty", "compare_last", "decoy_guard", "near_miss", "indicator", "project",
             "suggest"}
_RULE_KEYS = {"threshold", "task_bonus", "task_penalty", "level_bonus", "level_penalty", "unit_bonus",
              "unit_penalty", "value_bonus", "value_penalty", "overlap_weight", "budget_bonus", "budget_penalty"}
_SUGGEST_KEYS = {"min_overlap", "min_shared", "max_gap"}


class ConfigError(ValueError):
    """The link settings are malformed; the message names the file and the key."""


@dataclass(frozen=True)
class KindRules:
    """How two rows of one kind (indicator or project) are scored against each other."""
    threshold: float = 0.6
    task_bonus: float = 0.0
    task_penalty: float = 0.0
    level_bonus: float = 0.0
    level_penalty: float = 0.0
    unit_bonus: float = 0.0
    unit_penalty: float = 0.0
    value_bonus: float = 0.0      # target values of the same size (after a unit rescale)
    value_penalty: float = 0.0    # target values ten times apart
    overlap_weight: float = 0.0   # projects: weight of their indicators' overlap against the name
    budget_bonus: float = 0.0     # projects: budgets of the same size
    budget_penalty: float = 0.0   # projects: budgets five times apart


@dataclass(frozen=True)
class LinkConfig:
    dictionary: Path | None
    department_aliases: Path | None
    stop_tokens: frozenset[str]
    synonyms: dict[str, str]
    variants: list[list[str]]
    drop_words: list[str]
    max_year_gap: int              # 0: no limit (up to the span of the data)
    gap_penalty: float
    compare_last: int
    decoy_guard: bool
    near_miss: float
    indicator: KindRules
    project: KindRules
    suggest_min_overlap: float
    suggest_min_shared: int
    suggest_max_gap: int

    def rules(self, kind: str) -> KindRules:
        return self.indicator if kind == "indicator" else self.project


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: top level must be a mapping")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown keys {sorted(unknown)}")
    for kind in ("indicator", "project"):
        section = data.get(kind) or {}
        if not isinstance(section, dict) or set(section) - _RULE_KEYS:
            raise ConfigError(f"{path}: {kind}: unknown keys {sorted(set(section) - _RULE_KEYS)}")
    suggest = data.get("suggest") or {}
    if not isinstance(suggest, dict) or set(suggest) - _SUGGEST_KEYS:
        raise ConfigError(f"{path}: suggest: unknown keys {sorted(set(suggest) - _SUGGEST_KEYS)}")
    # Paths are relative to the file that names them.
    for key in ("dictionary", "department_aliases"):
        if data.get(key):
            data[key] = (path.parent / str(data[key])).resolve()
    return data


def load_config(path: str | Path | None = None) -> LinkConfig:
    """The shipped defaults, with the keys of `path` (if given) laid over them."""
    data = _read(DEFAULT_CONFIG)
    if path is not None:
        user = _read(Path(path))
        for kind in ("indicator", "project", "suggest"):
            if kind in user:
                user[kind] = {**(data.get(kind) or {}), **(user[kind] or {})}
        data.update(user)
    try:
        cfg = LinkConfig(
            dictionary=data.get("dictionary"),
            department_aliases=data.get("department_aliases"),
            stop_tokens=frozenset(str(t) for t in data.get("stop_tokens") or []),
            synonyms={str(k): str(v) for k, v in (data.get("synonyms") or {}).items()},
            variants=[[str(w) for w in group] for group in data.get("variants") or []],
            drop_words=[str(w) for w in data.get("drop_words") or []],
            max_year_gap=int(data.get("max_year_gap") or 0),
            gap_penalty=float(data.get("gap_penalty", 0.02)),
            compare_last=int(data.get("compare_last", 3)),
            decoy_guard=bool(data.get("decoy_guard", True)),
            near_miss=float(data.get("near_miss", 0.3)),
            indicator=KindRules(**{k: float(v) for k, v in (data.get("indicator") or {}).items()}),
            project=KindRules(**{k: float(v) for k, v in (data.get("project") or {}).items()}),
            suggest_min_overlap=float((data.get("suggest") or {}).get("min_overlap", 0.5)),
            suggest_min_shared=int((data.get("suggest") or {}).get("min_shared", 3)),
            suggest_max_gap=int((data.get("suggest") or {}).get("max_gap", 2)),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path or DEFAULT_CONFIG}: bad value: {exc}") from exc
    if cfg.max_year_gap < 0 or cfg.compare_last < 1:
        raise ConfigError(f"{path or DEFAULT_CONFIG}: max_year_gap must be 0 (no limit) or more, "
                          "compare_last at least 1")
    if any(not isinstance(g, list) or len(g) < 2 for g in data.get("variants") or []):
        raise ConfigError(f"{path or DEFAULT_CONFIG}: variants: each entry is a list of two or more words")
    return cfg
