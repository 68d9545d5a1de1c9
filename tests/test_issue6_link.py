"""Issue 6: `extractor link` — indicators and projects across years, measured against
hand-labelled gold series (tests/issue6_data.py)."""
import subprocess
import sys
from collections import Counter

import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

from conftest import SHARED
from extractor.commands.cli import main
from extractor.link import LINK_SCHEMAS, link_outdir, load_config, read_panel
from extractor.link.similarity import decoy
from extractor.link.tokens import Tokeniser, clean_name
from issue6_data import Dept, Gold, build, doc_id, pairs

CHECKER = SHARED / "tools" / "check_contract.py"


def row_key(m: dict) -> tuple:
    return (m["doc_id"], m["table"], m["project"], m["task"], m["name"])


def predicted(outdir) -> dict[tuple, str]:
    return {row_key(m): m["series_id"] for m in pq.read_table(outdir / "series_members.parquet").to_pylist()}


def precision_recall(gold: dict, pred: dict) -> tuple[float, float, int, int]:
    g = pairs(gold)
    p = pairs({k: v for k, v in pred.items() if k in gold})
    tp = len(g & p)
    return (tp / len(p) if p else 1.0), tp / len(g), len(g), len(p - g)


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    out = tmp_path_factory.mktemp("issue6") / "out"
    gold = build(out)
    result = link_outdir(out, explain=True)
    return out, gold, result


# -- tokens ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tokeniser():
    cfg = load_config()
    return Tokeniser(cfg.dictionary, cfg.stop_tokens, cfg.synonyms)


def test_dictionary_terms_stay_whole(tokeniser):
    assert tokeniser.tokens("服务对象满意度") == ("服务对象满意度",)
    assert "预算执行率" in tokeniser.tokens("部门预算执行率")
    assert "绩效目标" in tokeniser.tokens("绩效目标完成情况")


@pytest.mark.parametrize("a, b", [
    ("2021年病媒生物防制", "2022年病媒生物防制"),
    ("2021年度病媒生物防制", "病媒生物防制"),
    ("指标1：企业满意度", "企业满意度"),
    ("1.招商宣传册数量", "招商宣传册数量"),
    ("（2）招商宣传册数量", "招商宣传册数量"),
    ("①群众满意率", "群众满意度"),
    ("2021年至2022年免费核酸监测人次", "免费核酸监测人次"),
])
def test_years_and_numbering_are_ignored(tokeniser, a, b):
    assert tokeniser.tokens(a) == tokeniser.tokens(b)


def test_clean_name_keeps_numbers_that_are_not_numbering():
    assert clean_name("1.5倍增长率") == "1.5倍增长率"
    assert clean_name("2022公共图书馆免费开放项目") == "公共图书馆免费开放项目"


@pytest.mark.parametrize("a, b, is_decoy", [
    ("企业满意度", "员工满意度", True),
    ("施工企业满意度", "补助商户满意度", True),
    ("事业单位离休人员和保健对象医疗费", "行政单位离休人员和保健对象医疗费", True),
    ("企业满意度", "企业数量", True),
    ("企业满意度", "服务企业满意度", False),
    ("印制招商宣传册数量", "招商宣传册数量", False),
    ("招商宣传册印制数量", "招商宣传册数量", False),
    ("奖励、扶持企业家数", "奖励扶持企业数量", False),
    ("2021年病媒生物防制", "2022年病媒生物防制", False),
])
def test_decoy_guard(tokeniser, a, b, is_decoy):
    assert (decoy(tokeniser.tokens(a), tokeniser.tokens(b)) is not None) is is_decoy


# -- links against the gold -------------------------------------------------------------

def test_precision_and_recall_on_hand_labelled_gold(linked):
    out, gold, _ = linked
    precision, recall, n_gold, false_links = precision_recall(gold, predicted(out))
    print(f"\nissue 6 gold: {len(set(gold.values()))} series, {len(gold)} rows, {n_gold} linked pairs; "
          f"precision {precision:.3f}, recall {recall:.3f} ({false_links} false pairs)")
    # A false link silently mixes two indicators in a researcher's panel, a missed one only
    # splits a series (visible, and --explain shows the near miss): precision comes first.
    # The gold keeps three links a token matcher cannot see (签约 -> 引资, 人数 -> 人次,
    # 经费 -> 工作经费: 12 of the pairs), so recall tops out near 0.95; the bar of 0.85 leaves
    # room for dictionary changes while still failing if a whole kind of drift (numbering,
    # years, added modifiers, synonyms, renamed departments) stops linking.
    assert precision >= 0.95
    assert recall >= 0.85


def test_head_guard_is_what_stops_the_decoys(linked, tmp_path):
    out, gold, _ = linked
    cfg = tmp_path / "noguard.yaml"
    cfg.write_text("decoy_guard: false\n", encoding="utf-8")
    copy = tmp_path / "out"
    copy.mkdir()
    for f in out.glob("*.parquet"):
        (copy / f.name).write_bytes(f.read_bytes())
    link_outdir(copy, config=cfg)
    precision, _, _, false_links = precision_recall(gold, predicted(copy))
    print(f"\nwithout the head guard: precision {precision:.3f} ({false_links} false pairs)")
    assert false_links > 0


def test_one_row_per_series_and_year_and_per_row_one_series(linked):
    out, _, _ = linked
    members = pq.read_table(out / "series_members.parquet").to_pylist()
    per_year = Counter((m["series_id"], m["year"]) for m in members)
    assert max(per_year.values()) == 1
    rows = Counter(row_key(m) for m in members)
    assert max(rows.values()) == 1
    series = {s["series_id"]: s for s in pq.read_table(out / "series.parquet").to_pylist()}
    assert {m["series_id"] for m in members} == set(series)
    assert all(0.0 <= m["similarity"] <= 1.0 for m in members)


def test_same_year_text_copy_is_left_out(linked):
    out, _, result = linked
    members = pq.read_table(out / "series_members.parquet").to_pylist()
    assert doc_id("liwan", 2021, "text") not in {m["doc_id"] for m in members}
    assert result.copies > 0


def test_drift_examples_from_the_issue(linked):
    out, _, _ = linked
    members = pq.read_table(out / "series_members.parquet").to_pylist()
    by_series: dict[str, set] = {}
    for m in members:
        by_series.setdefault(m["series_id"], set()).add(m["name"])

    def together(*names):
        return any(set(names) <= s for s in by_series.values())

    assert together("印制招商宣传册数量", "招商宣传册数量")
    assert together("2021年病媒生物防制", "2022年病媒生物防制")
    assert together("企业满意度", "服务企业满意度")
    assert together("指标1:签订合同数", "(1)签订合同数")  # as extract writes them (NFKC)
    assert not together("企业满意度", "员工满意度")
    assert not together("系统登记企业数量", "系统注销企业数量")
    assert not together("2020年区级商贸展会补助资金", "2021年市级商贸展会补助资金")


def test_renamed_department_links_through_the_alias(linked):
    out, _, _ = linked
    members = pq.read_table(out / "series_members.parquet").to_pylist()
    years = {}
    for m in members:
        if m["name"] == "员工满意度":
            years.setdefault(m["series_id"], set()).add(m["year"])
    # 2019-2020 as 广州市荔湾区商务局, 2021-2023 as 广州市荔湾区商务和投资促进局
    assert list(years.values()) == [{2019, 2020, 2021, 2022, 2023}]
    keys = {s["department_key"] for s in pq.read_table(out / "series.parquet").to_pylist()}
    assert keys == {"广州市荔湾区商务和投资促进局", "西安市卫生健康委", "上海市普陀区委社会工作部", "上海市普陀区民政局"}


def test_aliases_option_overrides_the_shipped_file(tmp_path):
    renamed = Dept(
        names={2020: "佛山市禅城区文化广电新闻出版局", 2021: "佛山市禅城区文化广电旅游体育局",
               2022: "佛山市禅城区文化广电旅游体育局"},
        indicators=[Gold("reading", {y: "公共图书馆年度借阅人次" for y in (2020, 2021, 2022)}, unit="人次")])
    out = tmp_path / "out"
    build(out, {"chancheng": renamed})
    runner = CliRunner()
    assert runner.invoke(main, ["link", str(out)]).exit_code == 0
    assert len(pq.read_table(out / "series.parquet")) == 2  # two departments for the linker
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("aliases:\n  佛山市禅城区文化广电新闻出版局: 佛山市禅城区文化广电旅游体育局\n", encoding="utf-8")
    result = runner.invoke(main, ["link", str(out), "--aliases", str(aliases)])
    assert result.exit_code == 0, result.output
    series = pq.read_table(out / "series.parquet").to_pylist()
    assert len(series) == 1 and series[0]["years"] == 3
    assert series[0]["department_key"] == "佛山市禅城区文化广电旅游体育局"


# -- outputs -----------------------------------------------------------------------------

def test_link_tables_have_the_contract_schemas(linked):
    out, _, _ = linked
    for table, schema in LINK_SCHEMAS.items():
        assert pq.read_schema(out / f"{table}.parquet").equals(schema, check_metadata=False), table
    checked = subprocess.run([sys.executable, str(CHECKER), str(out)], capture_output=True, text=True)
    assert "contract: 0 problems" in checked.stdout, checked.stdout


def test_panel_has_one_row_per_series_and_year_with_the_figures(linked):
    out, _, _ = linked
    panel = read_panel(out)
    assert not panel.duplicated(["series_id", "year"]).any()
    members = pq.read_table(out / "series_members.parquet")
    assert len(panel) == members.num_rows
    brochure = panel[panel["name"].isin(["印制招商宣传册数量", "招商宣传册数量", "招商宣传册印制数量"])]
    assert brochure["series_id"].nunique() == 1
    assert list(brochure["year"]) == [2019, 2020, 2021, 2022, 2023]
    assert list(brochure["target_text"]) == [f"≥{10 + y % 10}册" for y in range(2019, 2024)]
    projects = panel[panel["kind"] == "project"]
    assert projects["target_text"].isna().all() and projects["score"].notna().all()


def test_series_ids_are_stable_across_runs(linked, tmp_path):
    out, _, _ = linked
    other = tmp_path / "again"
    build(other)
    link_outdir(other)
    for table in ("series", "series_members", "panel"):
        assert pq.read_table(out / f"{table}.parquet").equals(pq.read_table(other / f"{table}.parquet")), table


def test_explain_says_why(linked):
    out, _, result = linked
    text = "\n".join(result.explain)
    assert "印制招商宣传册数量" in text and "[印制 招商 宣传册 数]" in text
    assert "decoy: 登记 vs 注销 before 企业数" in text
    cli = CliRunner().invoke(main, ["link", str(out), "--explain"])
    assert cli.exit_code == 0
    assert "LINK" in cli.output and "why: name" in cli.output


def test_config_file_is_laid_over_the_defaults(linked, tmp_path):
    out, gold, _ = linked
    strict = tmp_path / "strict.yaml"
    strict.write_text(yaml.safe_dump({"indicator": {"threshold": 0.99}, "project": {"threshold": 0.99}}),
                      encoding="utf-8")
    copy = tmp_path / "out"
    build(copy)
    result = CliRunner().invoke(main, ["link", str(copy), "--config", str(strict)])
    assert result.exit_code == 0, result.output
    _, recall, _, _ = precision_recall(gold, predicted(copy))
    assert recall < precision_recall(gold, predicted(out))[1]
    bad = tmp_path / "bad.yaml"
    bad.write_text("treshold: 0.5\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["link", str(copy), "--config", str(bad)])
    assert result.exit_code == 2 and "treshold" in result.output


def test_link_needs_an_output_folder(tmp_path):
    result = CliRunner().invoke(main, ["link", str(tmp_path)])
    assert result.exit_code == 2 and "documents.parquet" in result.output


def test_project_indicators_stay_within_their_project(linked):
    out, gold, _ = linked
    members = pq.read_table(out / "series_members.parquet").to_pylist()
    projects = {}
    for m in members:
        if m["table"] == "indicators" and m["project"]:
            projects.setdefault(m["series_id"], set()).add(clean_name(m["project"]))
    assert all(len(p) == 1 for p in projects.values())
    sustain = [m for m in members if m["name"] == "项目实施可持续影响"]
    # one series per project that has it: 病媒生物防制, 事业单位…, 考务费, 机场…
    assert len({m["series_id"] for m in sustain}) == 4
