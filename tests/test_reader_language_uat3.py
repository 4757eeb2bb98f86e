"""What a Chinese reader sees (UAT3 M2, M8, L1, L2, L12, L15): indicator fields, breakdowns and
message labels by their Chinese names, and counts where a command used to say nothing."""
from __future__ import annotations

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from esgledger.cli import STATE, app
from esgledger.model.errors import Location, Problem
from tests.conftest import write

runner = CliRunner()

# the UAT's entity tree (/tmp/uat3/entities_gbk.csv, as UTF-8): 7 entities, and 6 of them under
# a parent (HYJT is the root): HYDJ, HYYH, HYTS under HYJT; HYDJ-A, HYDJ-B under HYDJ; HYTS-1 under HYTS
ENTITIES = """code,name_zh,name_en,level,process_type,province,grid_region,parent,equity_share,operational_control,valid_from,valid_to,attrs
HYJT,华宇铝业集团,Huayu Aluminium Group,group,holding,新疆,northwest,,,,,,
HYDJ,华宇电解铝有限公司,Huayu Smelting Co.,company,smelter,新疆,northwest,HYJT,100,true,2020-01-01,,
HYDJ-A,华宇电解铝一厂,Huayu Smelter Plant A,site,smelter,新疆,northwest,HYDJ,100,true,2020-01-01,,
HYDJ-B,华宇电解铝二厂,Huayu Smelter Plant B,site,smelter,新疆,northwest,HYDJ,100,true,2020-01-01,,
HYYH,华宇氧化铝有限公司,Huayu Alumina Co.,company,alumina_refinery,广西,south,HYJT,70,true,2020-01-01,,
HYTS,华宇碳素有限公司,Huayu Carbon Co.,company,anode_plant,新疆,northwest,HYJT,51,true,2020-01-01,,
HYTS-1,华宇碳素阳极厂,Huayu Anode Plant,site,anode_plant,新疆,northwest,HYTS,100,true,2020-01-01,,
"""


def cli(ws, *args, lang="en"):
    return runner.invoke(app, ["--lang", lang, "-w", str(ws), *args], env={"COLUMNS": "200"})


@pytest.fixture
def hyws(tmp_path):
    d = tmp_path / "ws"
    assert runner.invoke(app, ["--lang", "en", "init", str(d), "--name", "华宇铝业集团"]).exit_code == 0
    yield d
    STATE.lang = "en"


def _rows(output):
    return [[c.strip() for c in line.strip()[1:-1].split(line.strip()[0])]
            for line in output.splitlines() if line.strip()[:1] in ("│", "┃")]


def test_indicators_show_is_a_field_list_in_the_readers_language_and_json_on_request(hyws):
    """M8. Expected rows from the library entry (indicators/21_ghg.yaml, anode_effect_minutes):
    unit AE-min/cell-day, shown as the workbook shows it (阳极效应分钟/(槽·日)); weighted mean by
    aluminium_output (电解铝产量); 3 decimals; smelters only; min 0 and a 100 % change check;
    SZSE No.17 Art. 25, GRI 305-1, CASS E1, each with its confidence tag as `indicators list`
    shows it (audit of issue 2, A2-L4): Art. 25 from a secondary source of low confidence
    (szse17.csv: S-low), E1 inferred (cass_esg6.csv: R-inferred), GRI 305-1 plain (S), and the
    tags spelt out on a row of their own."""
    rows = dict(r for r in _rows(cli(hyws, "indicators", "show", "anode_effect_minutes", lang="zh").output)[1:])
    assert rows["名称"] == "阳极效应持续时间"
    assert rows["单位"] == "阳极效应分钟/(槽·日)"
    assert rows["合并方式"] == "加权平均" and rows["权重指标"] == "电解铝产量（aluminium_output）"
    assert rows["小数位数"] == "3" and rows["适用工艺类型"] == "电解铝厂"
    assert rows["校验规则"] == "≥ 0；较上年变化超过 100% 时提示"
    assert rows["框架引用"] == "深交所指引第17号 第25条 [S-low]；GRI 305-1；CASS-ESG 6.0 E1 [R-inferred]"
    assert rows["置信度标记"] == "R-inferred 推断，待核实；S-low 二手来源，可信度低"
    assert rows["计量时点"] == "报告期内累计（流量，合并时按天数折算）"
    rows = dict(r for r in _rows(cli(hyws, "indicators", "show", "anode_effect_minutes").output)[1:])
    assert rows["consolidation"] == "weighted mean" and rows["framework references"] == \
        "SZSE No.17 Art. 25 [S-low]; GRI 305-1; CASS-ESG 6.0 E1 [R-inferred]"
    assert rows["confidence tags"] == "R-inferred inferred, to be checked; S-low a secondary source, low confidence"
    rows = dict(r for r in _rows(cli(hyws, "indicators", "show", "employees").output)[1:])
    assert rows["measured"] == "at the end of the period (a stock, consolidated by the tree on the last day)"
    data = json.loads(cli(hyws, "indicators", "show", "anode_effect_minutes", "--json", lang="zh").output)
    assert data["unit"] == "AE-min/cell-day" and data["aggregation"] == "weighted_mean"


def test_breakdowns_and_field_labels_are_named_in_chinese():
    """M2, L2: display only; English and stored keys keep the codes."""
    p = Problem("ESG-VAL-001", Location(field="HYJT/employees/2025/gender=female/control"),
                {"indicator": "employees", "entity": "HYJT", "period": "2025", "field": "gender",
                 "found": "2380", "expected": "5980"})
    assert p.render("zh") == ("(HYJT/employees/2025/性别=女性（gender=female）/control): ESG-VAL-001 分项之和与合计不符："
                              "HYJT 2025 的 employees：按 性别（gender） 分项之和为 2380，合计为 5980")
    assert p.render("en").startswith("(HYJT/employees/2025/gender=female/control): ESG-VAL-001 ")
    assert "the gender breakdown" in p.render("en")
    p = Problem("ESG-IMPORT-011", Location(file="a.csv", line=7, column="dims"),
                {"indicator": "electricity_received", "found": "电力来源=电网", "expected": "supplier"})
    assert p.render("zh").endswith("不支持 电力来源=电网；允许：电力来源（supplier）")
    # an access right and a review field in front of the message, in Chinese
    assert str(Location(field="write")) == "(write)" and Location(field="write").text("zh") == "(写入)"
    assert Location(field="evidence").text("zh") == "(证明材料)" and Location(field="version").text("zh") == "(版本)"
    # a code that is not a breakdown is left alone
    assert Location(field="fuel.ncv").text("zh") == "(fuel.ncv)"


def test_a_mistyped_indicator_argument_is_named_in_chinese(hyws):
    """L2: `explain scope1_emisions` printed "(INDICATOR): … INDICATOR scope1_emisions"."""
    assert cli(hyws, "entities", "import", str(write(hyws / "e.csv", ENTITIES))).exit_code == 0
    from esgledger.cli import _message

    r = cli(hyws, "explain", "scope1_emisions", "--entity", "HYJT", "--period", "2025", lang="zh")
    assert r.exit_code == 1
    assert _message(r.exception).startswith("(指标): ESG-CLI-001 选项取值无效：指标 scope1_emisions：应为"), r.exception
    r = cli(hyws, "explain", "scope1_emisions", "--entity", "HYJT", "--period", "2025")
    assert _message(r.exception).startswith(
        "(INDICATOR): ESG-CLI-001 invalid option value: INDICATOR scope1_emisions: expected"), r.exception


def test_entities_tree_names_process_types_and_a_dry_run_counts(hyws):
    """L1, L12: counts worked out from ENTITIES above."""
    f = write(hyws / "e.csv", ENTITIES)
    r = cli(hyws, "entities", "import", str(f), "--dry-run", lang="zh")
    assert r.output.strip() == "检查通过：文件中有 7 个主体（新增 7 个，已在组织树中 0 个）、6 条隶属关系；未写入任何内容（--dry-run）"
    r = cli(hyws, "entities", "import", str(f), "--dry-run")
    assert r.output.strip() == ("checked: no errors; the file has 7 entities (7 new, 0 already in the tree) "
                                "and 6 memberships; nothing written (--dry-run)")
    assert "HYJT" not in cli(hyws, "entities", "export", "--format", "csv").output  # nothing written
    assert cli(hyws, "entities", "import", str(f)).exit_code == 0
    r = cli(hyws, "entities", "import", str(f), "--dry-run", lang="zh")
    assert "文件中有 7 个主体（新增 0 个，已在组织树中 7 个）" in r.output
    tree = cli(hyws, "entities", "tree", "--date", "2025-12-31", lang="zh").output
    assert "HYJT 华宇铝业集团 [控股]" in tree and "HYYH 华宇氧化铝有限公司 [氧化铝厂] 70% 运营控制" in tree
    assert "HYTS-1 华宇碳素阳极厂 [阳极厂] 100% 运营控制" in tree
    assert "HYDJ-A Huayu Smelter Plant A [smelter] 100% operational control" in cli(hyws, "entities", "tree", "--date", "2025-12-31").output


def test_facts_export_to_a_file_says_what_it_wrote(hyws):
    """L15: three facts imported (1200 + 300 female at HYDJ-A, 1100 at HYDJ-B); the export
    names the file and the count, 2 of them at HYDJ-A."""
    assert cli(hyws, "entities", "import", str(write(hyws / "e.csv", ENTITIES))).exit_code == 0
    facts = write(hyws / "f.csv", "entity,indicator,period,value,unit,dims\nHYDJ-A,employees,2024,1200,人,\n"
                  "HYDJ-A,employees,2024,300,人,gender=female\nHYDJ-B,employees,2024,1100,人,\n")
    assert cli(hyws, "facts", "import", str(facts), "--status", "approved").exit_code == 0
    out = hyws / "facts2024.csv"
    r = cli(hyws, "facts", "export", "--period", "2024", "-o", str(out), lang="zh")
    assert r.exit_code == 0 and r.output.strip() == f"已导出 3 条数据：{out}"
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1 + 3  # the header and the 3 facts
    r = cli(hyws, "facts", "export", "--entity", "HYDJ-A", "--format", "json", "-o", str(hyws / "a.json"))
    assert r.output.strip() == f"exported 2 facts to {hyws / 'a.json'}"
    r = cli(hyws, "facts", "export", "--format", "xlsx", "-o", str(hyws / "f.xlsx"))
    assert r.output.strip() == f"exported 3 facts to {hyws / 'f.xlsx'}"
    assert openpyxl.load_workbook(hyws / "f.xlsx").worksheets[0].max_row == 1 + 3
    # without -o the export is the output itself, with nothing else in it
    assert cli(hyws, "facts", "export", "--format", "json").output.lstrip().startswith("[")
