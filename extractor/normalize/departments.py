"""Stable department keys, so one department's reports line up year after year.

A key is the department's name with what varies between reports of the same
department taken out: layout spaces, report qualifiers such as （部门）（汇总）, a
leading `部门名称：`, the title text that sometimes runs on after the name
(`…局2021年度部门整体支出绩效自评报告`), the party prefix 中共 / 中国共产党, a
province in front of a city, and the long forms of a few abbreviations that
departments use interchangeably (委员会 / 委, 人民政府 / 政府).

What is deliberately *not* normalised: 局 vs 委员会 vs 办公室 (different bodies, or a
reorganisation that the alias file has to state), and the city in front of a
district (鼓楼区 and 朝阳区 exist in several cities: dropping the city would merge
different departments).  A department that was renamed (广州市荔湾区商务局 →
广州市荔湾区商务和投资促进局) gets the key of its current name through the alias
file `patterns/department_aliases.yaml`; `EXTRACTOR_DEPARTMENT_ALIASES=FILE` or
`extractor link --aliases FILE` use another file instead.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import yaml

from . import clean_text
from ..packs.resources import pattern_file

ALIASES_FILE = pattern_file("department_aliases.yaml")
ALIASES_ENV = "EXTRACTOR_DEPARTMENT_ALIASES"

# Brackets that qualify a report, not the department: （部门）, （汇总）, （本级）, （盖章）,
# （部门本级）, （含下属单位）.
_QUALIFIERS = re.compile(r"[(（](?:含下属单位|部门|单位|机关|本级|汇总|合并|整体|盖章|公章|决算|预算)+[)）]")
_SPACES = re.compile(r"\s+")
_LABEL = re.compile(r"^(?:部门|单位|预算单位|填报单位|主管部门)(?:名称)?[:：]")
# A year with 年 never belongs to a department's name: what follows is report title.
_TITLE_TAIL = re.compile(r"(?:19|20)\d{2}年.*$")
_PARTY = re.compile(r"^(?:中国共产党|中共)")
_PROVINCES = ("河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|"
              "云南|陕西|甘肃|青海|台湾")
_REGIONS = "内蒙古|广西壮族|西藏|宁夏回族|新疆维吾尔"
# A province in front of a city: city names are unique within the country.
_PROVINCE_BEFORE_CITY = re.compile(rf"^(?:(?:{_PROVINCES})省|(?:{_REGIONS})自治区)(?=[\u4e00-\u9fff]{{2,8}}?市)")
# Long form -> the form used in the key (order matters: 常务委员会 before 委员会).
_ABBREVIATIONS = (
    ("中国人民政治协商会议", "政协"),
    ("人民代表大会", "人大"),
    ("常务委员会", "常委会"),
    ("管理委员会", "管委会"),
    ("委员会", "委"),
    ("人民政府", "政府"),
)
_TRAILING_PUNCT = re.compile(r"[\s,，.。:：;；、]+$")


class AliasError(ValueError):
    """The alias file is malformed; the message names the file and the problem."""


def base_key(name: str | None) -> str | None:
    """The normalised name, before aliases: NFKC, no spaces, qualifiers and title text gone."""
    text = clean_text(name)
    if text is None:
        return None
    text = _SPACES.sub("", text)
    text = _LABEL.sub("", text)
    text = _QUALIFIERS.sub("", text)
    text = _TITLE_TAIL.sub("", text)
    text = _QUALIFIERS.sub("", text)  # （部门） may stand right before the title text
    text = _PARTY.sub("", text)
    text = _PROVINCE_BEFORE_CITY.sub("", text)
    for long, short in _ABBREVIATIONS:
        text = text.replace(long, short)
    text = _TRAILING_PUNCT.sub("", text)
    return text or None


def load_aliases(path: str | Path | None = None) -> dict[str, str]:
    """Old name -> current name, both as base keys, chains followed (A→B, B→C: A→C).

    The file is YAML: `aliases:` mapping each old name (as printed) to the name the
    department has now.  A name may not map to two names, and chains may not loop.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise AliasError(f"{path.name}: cannot read: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("aliases") or {}, dict):
        raise AliasError(f"{path.name}: expected a mapping `aliases: {{old name: current name}}`")
    direct: dict[str, str] = {}
    for old, new in (data.get("aliases") or {}).items():
        old_key, new_key = base_key(str(old)), base_key(str(new)) if new is not None else None
        if old_key is None or new_key is None:
            raise AliasError(f"{path.name}: empty name in alias {old!r}: {new!r}")
        if old_key in direct and direct[old_key] != new_key:
            raise AliasError(f"{path.name}: {old!r} is mapped to two names")
        if old_key != new_key:
            direct[old_key] = new_key
    resolved = {}
    for old in direct:
        seen, key = {old}, direct[old]
        while key in direct:
            key = direct[key]
            if key in seen:
                raise AliasError(f"{path.name}: aliases loop through {key!r}")
            seen.add(key)
        resolved[old] = key
    return resolved


@lru_cache(maxsize=8)
def _aliases_from(path: str) -> dict[str, str]:
    return load_aliases(path) if Path(path).is_file() else {}


def default_aliases() -> dict[str, str]:
    """The alias file in effect: $EXTRACTOR_DEPARTMENT_ALIASES, else the shipped one."""
    return _aliases_from(os.environ.get(ALIASES_ENV) or str(ALIASES_FILE))


def department_key(name: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """The department's stable key: `base_key(name)`, then renamed departments mapped to
    their current name (`aliases` from `load_aliases`; None: the alias file in effect)."""
    key = base_key(name)
    if key is None:
        return None
    table = default_aliases() if aliases is None else aliases
    return table.get(key, key)
