"""Parsers of text, numbers, money, percentages and targets: examples from the
seeds, and properties that must hold for any input."""
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from extractor import normalize as nz


@pytest.mark.parametrize("raw, expected", [
    ("2019年 10月区委编委批准成立荔湾区商务和投资促进\n\n局", "2019年10月区委编委批准成立荔湾区商务和投资促进局"),
    ("部门整体绩效目\n\n标产出指标完\n\n成情况", "部门整体绩效目标产出指标完成情况"),
    ("广州市荔湾区商务和投资促进局（部门）", "广州市荔湾区商务和投资促进局(部门)"),
    ("项 目 名 称", "项目名称"),
    ("绩\n效\n指\n标", "绩效指标"),
    ("Young 城 Yeah市", "Young城Yeah市"),
    ("   ", None), (None, None),
])
def test_clean_text(raw, expected):
    assert nz.clean_text(raw) == expected


@pytest.mark.parametrize("raw, unit, expected", [
    ("7735.39", "万元", Decimal("77353900.00")),
    ("12,045.86", "万元", Decimal("120458600.00")),
    ("-150.00", "万元", Decimal("-1500000.00")),
    ("8.6万元", "元", Decimal("86000.00")),
    ("491.53亿元", "元", Decimal("49153000000.00")),
    ("2,495,142.55", "万元", Decimal("24951425500.00")),
    ("—", "万元", None), ("", "万元", None), ("较满意", "万元", None),
])
def test_parse_money(raw, unit, expected):
    assert nz.parse_money(raw, unit) == expected


@pytest.mark.parametrize("raw, expected", [("98.68%", 0.9868), ("-100.00%", -1.0), ("100%", 1.0),
                                           ("0.00%", 0.0), ("98.68", None), ("—", None)])
def test_parse_percent(raw, expected):
    assert nz.parse_percent(raw) == expected


@pytest.mark.parametrize("raw, op, value, unit", [
    ("≥35家", ">=", 35.0, "家"), ("≥1.7亿美元", ">=", 1.7, "亿美元"), ("100%", "=", 100.0, "%"),
    ("≤5%", "<=", 5.0, "%"), ("大于95%", ">", 95.0, "%"), ("4份", "=", 4.0, "份"),
    ("有所提升", None, None, None), ("是", None, None, None), ("90%-100%", None, None, None),
])
def test_parse_measure(raw, op, value, unit):
    m = nz.parse_measure(raw)
    assert (m.op, m.value, m.unit) == (op, value, unit)


@pytest.mark.parametrize("target, actual, expected", [
    ("≥35家", "40家", True), ("≥90%", "85%", False), ("100%", "148.57%", True), ("≤5%", "3%", True),
    ("有所提升", "有所提升", True), ("是", "否", False), ("≥35家", "40个", None), ("较满意", "满意", True),
    ("≥90%", "较满意", None),
])
def test_achieved(target, actual, expected):
    assert nz.achieved(nz.parse_measure(target), nz.parse_measure(actual)) is expected


@pytest.mark.parametrize("target, actual, expected", [
    ("240万元", "229.19万元", True), ("458万元", "480万元", False), ("≥95%", "98%", True), ("60元/人次", "60元/人次", True),
])
def test_achieved_for_cost_indicators_reads_a_bare_target_as_a_ceiling(target, actual, expected):
    assert nz.achieved(nz.parse_measure(target), nz.parse_measure(actual), ceiling=True) is expected


@given(st.text())
def test_parsers_never_crash(s):
    nz.clean_text(s)
    nz.parse_decimal(s)
    nz.parse_money(s, "万元")
    nz.parse_percent(s)
    m = nz.parse_measure(s)
    nz.achieved(m, m)


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_money_round_trip(value):
    assert nz.parse_money(f"{value:,.2f}", "元") == value
    assert nz.parse_money(f"{value}万元", "元") == value * 10000


@given(st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False))
def test_percent_round_trip(value):
    assert nz.parse_percent(f"{value}%") == float(value / 100)


@given(st.sampled_from(["≥", "≤", ">", "<", ""]), st.decimals(min_value=0, max_value=10**6, places=2,
                                                        allow_nan=False, allow_infinity=False),
       st.sampled_from(["家", "%", "个", "亿美元", "", "万元"]))
def test_measure_round_trip(op, value, unit):
    m = nz.parse_measure(f"{op}{value}{unit}")
    assert m.value == float(value)
    assert m.unit == (unit or None)
    assert m.op == {"≥": ">=", "≤": "<=", ">": ">", "<": "<", "": "="}[op]


@given(st.text(alphabet="荔湾区商务局年月日 \n\u3000，。0123456789"))
def test_clean_text_is_idempotent(s):
    once = nz.clean_text(s)
    assert nz.clean_text(once) == once
