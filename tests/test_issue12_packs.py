"""Issue 12: the strict pack schema. One test per class of mistake, each asserting
that the message names the file and the key path; every shipped pack passes."""
import copy
import json

import pytest
import yaml
from click.testing import CliRunner

from conftest import ROOT
from extractor.commands.cli import main
from extractor.packs.schema import pack_json_schema
from extractor.packs import PackError, load_pack, load_packs

BASE = yaml.safe_load((ROOT / "patterns" / "dept_scoring.yaml").read_text(encoding="utf-8"))
SCORES = "sections[2] (一级/二级/三级指标 scoring lines)"
PROJECTS = "sections[3] (项目 named with its figures in a sentence (如X,项目预算资金…))"


def refused(tmp_path, mutate) -> str:
    data = copy.deepcopy(BASE)
    mutate(data)
    path = tmp_path / "dept_scoring.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_pack(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    return message


MISTAKES = {
    "unknown key": (lambda d: d.update(money_units="万元"),
                    "money_units: unknown key 'money_units'; expected one of: checks, fields"),
    "key in the wrong block": (lambda d: d["sections"][2].update(fill_down=["level1"]),
                               f"{SCORES}.fill_down: unknown key 'fill_down'"),
    "wrong type": (lambda d: d["match"].update(priority="high"),
                   "match.priority: Input should be a valid integer (got 'high')"),
    "wrong type (bool)": (lambda d: d["sections"][3].update(optional="yes"),
                          f"{PROJECTS}.optional: Input should be a valid boolean"),
    "unknown unit": (lambda d: d.update(money_unit="美元"),
                     "money_unit: Input should be '元', '千元', '万元' or '亿元' (got '美元')"),
    "unknown unit of a section": (lambda d: d["sections"][3].update(money_unit="美元"),
                                  f"{PROJECTS}.money_unit: Input should be '元', '千元', '万元' or '亿元'"),
    "unknown table": (lambda d: d["sections"][0].update(table="score"),
                      "sections[0] (年度部门预算情况 (年度预算数 by 资金类别)).table: Input should be 'budget'"),
    "unknown column": (lambda d: d["sections"][2]["grid"]["columns"].update({"分值": "wieght"}),
                       f"{SCORES}: grid.columns: 'wieght' is no column of scores"),
    "unknown column in a regex group": (
        lambda d: d["sections"][3]["sentences"].update(patterns=["如(?P<nmae>[^,]+),项目预算资金(?P<budget>MONEY)"]),
        f"{PROJECTS}: sentences.patterns (named group): 'nmae' is no column of projects"),
    "regex that does not compile": (lambda d: d["sections"][2]["lines"].update(row="(?P<head>\\D*"),
                                    f"{SCORES}.lines.row: regex '(?P<head>\\\\D*' does not compile"),
    "catastrophic backtracking": (lambda d: d["sections"][2]["lines"].update(row="^(\\d+\\s?)+$"),
                                  f"{SCORES}.lines.row: regex '^(\\\\d+\\\\s?)+$' nests an unbounded quantifier"),
    "unknown parser": (lambda d: d["sections"][2]["lines"].update(parser="score_line"),
                       f"{SCORES}.lines: unknown lines parser; expected one of: line_rows"),
    "missing key": (lambda d: d["sections"][2]["grid"].pop("header"), f"{SCORES}.grid.header: missing"),
    "field regex without its value group": (lambda d: d["fields"].update(year="(\\d{4})年度"),
                                            "fields.year: field regex '(\\\\d{4})年度' needs a named group"),
    "unknown document field": (lambda d: d["fields"].update(yaer=["(?P<value>\\d{4})年度"]),
                               "fields.yaer: Input should be 'department', 'year'"),
    "unknown kind": (lambda d: d.update(kind="dept"), "kind: Input should be 'dept_report'"),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_each_class_of_mistake_is_refused_with_file_and_key_path(tmp_path, mistake):
    mutate, expected = MISTAKES[mistake]
    assert expected in refused(tmp_path, mutate)


def test_the_mistakes_of_the_issue_fail_at_load_time_not_per_document(tmp_path):
    """money_unit: 千元 used to fail every document with KeyError: '千元' (千元 is a unit
    now, patterns/vocab/scales.yaml); a unit no vocabulary knows is refused at load time."""
    assert "money_unit" in refused(tmp_path, lambda d: d.update(money_unit="美元"))


def test_every_shipped_pack_passes_packs_check():
    result = CliRunner().invoke(main, ["packs", "check"])
    assert result.exit_code == 0, result.output
    assert "4 ok, 0 FAIL" in result.output
    for name in ("dept_report", "dept_scoring", "final_accounts", "project_selfeval"):
        assert f"ok       patterns/{name}.yaml: {name} v" in result.output
    # Files of patterns/ that are not packs are passed over, not refused.
    assert "skipped  patterns/department_aliases.yaml (not a pack)" in result.output
    assert "skipped  patterns/link.yaml (not a pack)" in result.output


def test_packs_check_reports_every_bad_file_and_exits_1(tmp_path):
    for name in ("dept_report", "project_selfeval"):
        (tmp_path / f"{name}.yaml").write_text((ROOT / "patterns" / f"{name}.yaml").read_text(encoding="utf-8"),
                                               encoding="utf-8")
    bad = copy.deepcopy(BASE)
    bad["money_unit"] = "美元"
    (tmp_path / "dept_scoring.yaml").write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("just: data\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["packs", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"FAIL     {tmp_path / 'dept_scoring.yaml'}" in result.output
    assert "money_unit: Input should be" in result.output
    assert "2 ok, 1 FAIL" in result.output
    # extract refuses the bad folder as a usage error, naming the file and key.
    out = CliRunner().invoke(main, ["extract", "-q", "--packs", str(tmp_path), str(ROOT / "samples"),
                                    "-o", str(tmp_path / "out")])
    assert out.exit_code == 2 and "dept_scoring.yaml: money_unit" in out.output


def test_non_pack_files_and_a_vocab_folder_are_ignored(tmp_path):
    for p in (ROOT / "patterns").iterdir():
        if p.is_file():
            (tmp_path / p.name).write_bytes(p.read_bytes())
    (tmp_path / "vocab").mkdir()
    (tmp_path / "vocab" / "grades.yaml").write_text("优: [优秀, 优]\n", encoding="utf-8")
    assert sorted(p.name for p in load_packs(tmp_path)) == sorted(p.name for p in load_packs())


def test_json_schema_is_generated_from_the_models():
    schema = pack_json_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"name", "version", "kind", "match"}
    assert schema["properties"]["money_unit"]["anyOf"][0]["enum"] == ["元", "千元", "万元", "亿元"]
    result = CliRunner().invoke(main, ["packs", "schema"])
    assert result.exit_code == 0 and json.loads(result.output) == schema


def test_readme_packs_check_example_is_true(tmp_path):
    """README 'Pack schema': the example output, on the same two mistakes."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ extractor packs check /tmp/mypacks", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    for name in ("dept_report", "dept_scoring", "project_selfeval"):
        text = (ROOT / "patterns" / f"{name}.yaml").read_text(encoding="utf-8")
        if name == "dept_scoring":
            text = text.replace("\nmoney_unit: 万元", "\nmoney_unit: 美元")
        if name == "project_selfeval":
            text = text.replace("columns:", "colums:", 1)
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["packs", "check", str(tmp_path)])
    got = result.output.replace(str(tmp_path), "/tmp/mypacks").splitlines()
    assert len(got) == len(block)
    for want, line in zip(block, got):
        want = want[4:]
        assert line.startswith(want.rstrip("…").rstrip()), (want, line)
