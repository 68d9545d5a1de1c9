"""Text, number, money, percent and target normalisation.

Everything here is a pure function of a string, so it can be property-tested.
Money never passes through float: it is parsed straight into Decimal.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..packs import vocab

# Han, CJK punctuation, full-width forms: around these a space is layout, not text.
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_TIGHT = _CJK + "“”‘’《》〈〉【】·…—,.;:!?()\\[\\]%、≥≤><=+/~-"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_TIGHT}])\s+|\s+(?=[{_TIGHT}])")
_WS = re.compile(r"\s+")
_NULLS = {"", "-", "—", "——", "－", "/", "／", "无", "null", "none", "n/a", "\\"}


@lru_cache(maxsize=1 << 16)  # the recogniser cleans the same cells many times over
def clean_text(text: str | None) -> str | None:
    """NFKC, then drop the spaces and line breaks that layout puts inside Chinese text.

    Spaces between two Latin words or two numbers stay (one space).  Returns None
    for empty text, so missing values are null, never "".
    """
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", text).replace("\u2212", "-")
    text = _SPACE_IN_CJK.sub("", text)
    text = _WS.sub(" ", text).strip()
    return text or None


_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def parse_decimal(text: str | None) -> Decimal | None:
    """'12,045.86' -> Decimal('12045.86'); '—', '' and None -> None; '(1.50)' -> -1.50."""
    if text is None:
        return None
    s = clean_text(text)
    if s is None or s.lower() in _NULLS:
        return None
    s = s.replace(" ", "")
    negative = s.startswith("(") and s.endswith(")")
    if negative:
        s = s[1:-1]
    if not _NUMBER.match(s):
        return None
    try:
        value = Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None
    return -value if negative else value


UNIT_FACTORS = vocab.unit_factors()  # 元, 千元, 万元, 亿元 (patterns/vocab/scales.yaml)
CENT = Decimal("0.01")
MAX_MONEY = Decimal(10) ** 18


def to_yuan(amount: Decimal | None, unit: str = "元") -> Decimal | None:
    """Exact conversion of an amount printed in 元/千元/万元/亿元 to yuan, to the cent."""
    if amount is None:
        return None
    value = amount * UNIT_FACTORS[unit]
    if abs(value) >= MAX_MONEY:  # beyond decimal128(20, 2): no report prints such a sum
        return None
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


_MONEY = re.compile(r"^(?P<num>[+-]?[\d,]+(?:\.\d+)?)\s*(?P<unit>亿元|万元|千元|元)?$")


def parse_money(text: str | None, default_unit: str = "元") -> Decimal | None:
    """'7735.39万元' -> Decimal('77353900.00'); a bare number uses default_unit."""
    s = clean_text(text)
    if s is None:
        return None
    m = _MONEY.match(s.replace(" ", ""))
    if not m:
        return None
    amount = parse_decimal(m.group("num"))
    return to_yuan(amount, m.group("unit") or default_unit)


def money_quantum(text: str | None, default_unit: str = "元") -> Decimal | None:
    """The value in 元 of the last printed digit: '2,495,142.55' in 万元 -> 100 元.

    A sum of figures rounded to that precision may miss its printed total by up to
    half a quantum per addend."""
    s = clean_text(text)
    m = _MONEY.match(s.replace(" ", "")) if s else None
    if not m:
        return None
    num = m.group("num")
    places = len(num.split(".")[1]) if "." in num else 0
    return Decimal(1).scaleb(-places) * UNIT_FACTORS[m.group("unit") or default_unit]


def parse_percent(text: str | None) -> float | None:
    """'98.68%' -> 0.9868 (through Decimal, so the fraction is the printed digits)."""
    s = clean_text(text)
    if s is None:
        return None
    s = s.replace(" ", "")
    if not s.endswith("%"):
        return None
    value = parse_decimal(s[:-1])
    return None if value is None else float(value / 100)


def percent_digits(text: str | None) -> int | None:
    """Decimal places printed in a percentage: '98.68%' -> 2, '100%' -> 0."""
    s = clean_text(text)
    if s is None or not s.endswith("%"):
        return None
    num = s[:-1].strip()
    return len(num.split(".")[1]) if "." in num else 0


def parse_float(text: str | None) -> float | None:
    value = parse_decimal(text)
    return None if value is None else float(value)


# --- targets and actuals -------------------------------------------------------

_QUANT = re.compile(r"^(?P<num>[+-]?\d+(?:\.\d+)?)(?P<unit>[^\d]{0,8})$")


@dataclass(frozen=True)
class Measure:
    text: str | None
    op: str | None
    value: float | None
    unit: str | None


def parse_measure(text: str | None) -> Measure:
    """'≥35家' -> Measure('≥35家', '>=', 35.0, '家'); '有所提升' -> qualitative (op None).

    A bare quantity ('100%', '4份') gets op '='.  Units are whatever follows the
    number ('亿美元', '%'); ranges and prose stay qualitative.
    """
    s = clean_text(text)
    if s is None:
        return Measure(None, None, None, None)
    s = s.replace(" ", "")
    op = None
    rest = s
    for word, sym in vocab.comparisons():
        # the operator may follow a few words naming the measure: 年离职率低于2%
        at = rest.find(word)
        if at == 0 or (0 < at <= 8 and not any(ch.isdigit() for ch in rest[:at])):
            op, rest = sym, rest[at + len(word):]
            break
    if op is None:  # 35家以上, 5%以内: the bound follows the quantity
        for word, sym in vocab.suffix_comparisons():
            if rest.endswith(word) and len(rest) > len(word):
                op, rest = sym, rest[:-len(word)]
                break
    m = _QUANT.match(rest.replace(",", ""))
    if not m or any(ch in m.group("unit") for ch in "-~至到"):
        return Measure(s, None, None, None)
    unit = m.group("unit") or None
    return Measure(s, op or "=", float(Decimal(m.group("num"))), unit)




def achieved(target: Measure, actual: Measure, *, ceiling: bool = False) -> bool | None:
    """Whether the actual meets the target; None when that cannot be decided.

    An unqualified quantity ('4份', '100%') is read as a floor: self-evaluation
    tables print floors without an operator, and exceeding them is achieving them.
    With `ceiling` (a cost indicator: 成本指标, or money) it is read as a ceiling:
    spending 229.19万元 of a 240万元 target achieves it.
    """
    if target.text is None or actual.text is None:
        return None
    if target.op is not None:
        if actual.op is None or actual.value is None or target.value is None:
            return None
        if target.unit != actual.unit:
            return None
        a, t = actual.value, target.value
        if actual.op != "=":  # the actual is itself a bound: does it imply the target?
            return _bound_implies(actual.op, a, target.op, t)
        return {">=": a >= t, "=": a <= t if ceiling else a >= t, ">": a > t, "<=": a <= t, "<": a < t}[target.op]
    if actual.text == target.text:
        return True
    if actual.text in vocab.no_words():
        return False
    if actual.text in vocab.yes_words() and target.text not in vocab.no_words():
        return True
    return None


def _bound_implies(a_op: str, a: float, t_op: str, t: float) -> bool | None:
    """'>23万人次' achieved against '>23万人次'; '<5%' against '<5%'."""
    lower, upper = {">", ">="}, {"<", "<="}
    if a_op in lower and (t_op in lower or t_op == "="):
        return a > t or (a == t and not (t_op == ">" and a_op == ">="))
    if a_op in upper and t_op in upper:
        return a < t or (a == t and not (t_op == "<" and a_op == "<="))
    return None


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def truncate(value: Decimal, places: int) -> Decimal:
    q = Decimal(1).scaleb(-places)
    return value.quantize(q, rounding="ROUND_DOWN")
