"""Issue 6: department keys that stay the same across a department's years, and only then."""
import pytest

from extractor.normalize.departments import AliasError, base_key, department_key, load_aliases


@pytest.mark.parametrize("printed", [
    "广州市荔湾区商务和投资促进局",
    "广州市荔湾区 商务和投资促进局",
    "广州市荔湾区商务和投资促进局（部门）",
    "广州市荔湾区商务和投资促进局(汇总)",
    "广州市荔湾区商务和投资促进局（部门本级）",
    "部门名称：广州市荔湾区商务和投资促进局",
    "广州市荔湾区商务和投资促进局2021年度部门整体支出绩效自评报告",
    "广东省广州市荔湾区商务和投资促进局",
])
def test_report_variants_of_one_name_share_the_key(printed):
    assert department_key(printed) == "广州市荔湾区商务和投资促进局"


@pytest.mark.parametrize("a, b", [
    ("中共上海市普陀区委社会工作部", "中国共产党上海市普陀区委员会社会工作部"),
    ("中共上海市普陀区委社会工作部", "上海市普陀区委社会工作部"),
    ("西安市卫生健康委员会", "西安市卫生健康委"),
    ("广州市人民代表大会常务委员会办公厅", "广州市人大常委会办公厅"),
    ("广州市荔湾区人民政府办公室", "广州市荔湾区政府办公室"),
    ("广州开发区管理委员会", "广州开发区管委会"),
])
def test_long_and_short_forms_share_the_key(a, b):
    assert department_key(a) == department_key(b)


@pytest.mark.parametrize("a, b", [
    ("广州市荔湾区商务局", "广州市荔湾区商务委员会"),           # 局 and 委员会 are different bodies
    ("南京市鼓楼区民政局", "福州市鼓楼区民政局"),               # the same district name in two cities
    ("中共广州市委宣传部", "政协广州市委员会办公厅"),
    ("广州市荔湾区民政局", "广州市越秀区民政局"),
    ("西安市卫生健康委员会", "西安市卫生健康委员会监督所"),
])
def test_different_departments_keep_different_keys(a, b):
    assert department_key(a) != department_key(b)


def test_shipped_alias_maps_the_renamed_bureau():
    assert department_key("广州市荔湾区商务局") == department_key("广州市荔湾区商务和投资促进局")
    assert department_key("广州市荔湾区商务局", aliases={}) == "广州市荔湾区商务局"
    assert department_key(None) is None and department_key("  ") is None


def test_alias_file_follows_chains_and_normalises_both_sides(tmp_path):
    f = tmp_path / "aliases.yaml"
    f.write_text("aliases:\n  佛山市禅城区文化广电新闻出版局: 佛山市禅城区文化广电旅游局\n"
                 "  佛山市禅城区文化广电旅游局（部门）: 佛山市禅城区文化广电旅游体育局\n", encoding="utf-8")
    aliases = load_aliases(f)
    assert department_key("佛山市禅城区文化广电新闻出版局", aliases) == "佛山市禅城区文化广电旅游体育局"
    assert department_key("佛山市禅城区文化广电旅游局", aliases) == "佛山市禅城区文化广电旅游体育局"
    # A user file replaces the shipped one: the 荔湾 rename is not in it.
    assert department_key("广州市荔湾区商务局", aliases) == "广州市荔湾区商务局"


def test_environment_variable_selects_the_alias_file(tmp_path, monkeypatch):
    f = tmp_path / "aliases.yaml"
    f.write_text("aliases:\n  甲市乙局: 甲市丙局\n", encoding="utf-8")
    monkeypatch.setenv("EXTRACTOR_DEPARTMENT_ALIASES", str(f))
    assert department_key("甲市乙局") == "甲市丙局"


@pytest.mark.parametrize("text, message", [
    ("aliases:\n  甲局: 乙局\n  乙局: 甲局\n", "loop"),
    ("aliases: [甲局, 乙局]\n", "mapping"),
    ("aliases:\n  甲局:\n", "empty"),
])
def test_bad_alias_files_are_refused_with_a_reason(tmp_path, text, message):
    f = tmp_path / "aliases.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(AliasError, match=message):
        load_aliases(f)


def test_base_key_is_idempotent():
    for name in ("中国共产党上海市普陀区委员会社会工作部（汇总）", "广东省广州市荔湾区商务局", "西安市卫生健康委员会"):
        assert base_key(base_key(name)) == base_key(name)
