"""Settings of `extractor link`: patterns/link.yaml, optionally overlaid by a user file."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..resources import patterns_dir

PATTERNS = patterns_dir()
DEFAULT_CONFIG = PATTERNS / "link.yaml"

_TOP_KEYS = {"version", "dictionary", "department_aliases", "stop_tokens", "synonyms", "token_weight",
             "max_year_gap", "compare_last", "decoy_guard", "near_miss", "indicator", "project"}
_RULE_KEYS = {"threshold", "project_threshold", "task_bonus", "task_penalty", "level_bonus", "level_penalty",
              "unit_bonus", "unit_penalty"}


class ConfigError(ValueError):
    """The link settings are malformed; the message names the file and the key."""


@dataclass(frozen=True)
class KindRules:
    """How two rows of one kind (indicator or project) are scored against each other."""
    threshold: float = 0.6
    project_threshold: float = 0.6
    task_bonus: float = 0.0
    task_penalty: float = 0.0
    level_bonus: float = 0.0
    level_penalty: float = 0.0
    unit_bonus: float = 0.0
    unit_penalty: float = 0.0


@dataclass(frozen=True)
class LinkConfig:
    dictionary: Path | None
    department_aliases: Path | None
    stop_tokens: frozenset[str]
    synonyms: dict[str, str]
    token_weight: float
    max_year_gap: int
    compare_last: int
    decoy_guard: bool
    near_miss: float
    indicator: KindRules
    project: KindRules

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
        for kind in ("indicator", "project"):
            if kind in user:
                user[kind] = {**(data.get(kind) or {}), **(user[kind] or {})}
        data.update(user)
    try:
        cfg = LinkConfig(
            dictionary=data.get("dictionary"),
            department_aliases=data.get("department_aliases"),
            stop_tokens=frozenset(str(t) for t in data.get("stop_tokens") or []),
            synonyms={str(k): str(v) for k, v in (data.get("synonyms") or {}).items()},
            token_weight=float(data.get("token_weight", 0.75)),
            max_year_gap=int(data.get("max_year_gap", 2)),
            compare_last=int(data.get("compare_last", 3)),
            decoy_guard=bool(data.get("decoy_guard", True)),
            near_miss=float(data.get("near_miss", 0.3)),
            indicator=KindRules(**{k: float(v) for k, v in (data.get("indicator") or {}).items()}),
            project=KindRules(**{k: float(v) for k, v in (data.get("project") or {}).items()}),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path or DEFAULT_CONFIG}: bad value: {exc}") from exc
    if not 0 <= cfg.token_weight <= 1:
        raise ConfigError(f"{path or DEFAULT_CONFIG}: token_weight must be between 0 and 1")
    if cfg.max_year_gap < 1 or cfg.compare_last < 1:
        raise ConfigError(f"{path or DEFAULT_CONFIG}: max_year_gap and compare_last must be at least 1")
    return cfg
