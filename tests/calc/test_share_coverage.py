"""A group share of a total by a breakdown that only some entities reported (UAT 3 H3).

女性员工占比 = employees[gender=female] / employees. Only the two smelter sites split their staff
by gender; the other entities reported totals only. Dividing the two sites' women by the whole
group's staff printed 6.52 % (390 / 5 980), a share nobody has. The group share is computed over
the entities that reported both the breakdown and the total — numerator and denominator alike —
and ESG-CALC-014 names the entities left out and the coverage.

The tree is UAT 3's (华宇铝业集团): HYJT → HYDJ (100 %) → sites HYDJ-A, HYDJ-B; HYJT → HYYH
(70 %); HYJT → HYTS (51 %) → site HYTS-1. Staff (人):

    entity   total  female  male
    HYDJ-A   1 250     210  1 040
    HYDJ-B   1 130     180    950
    HYDJ        80       —      —      (the company's own staff)
    HYYH     2 050       —      —
    HYTS       700       —      —
    HYTS-1     610       —      —
    HYJT       160       —      —
    group    5 980     390  1 990     (control: every link controlled, all at 100 %)

Hand figures:
* control: female 390 / (1 250 + 1 130 = 2 380) = 16.386 554 6… % → 16.39 %, not 390 / 5 980 =
  6.52 %; male 1 990 / 2 380 = 83.613 445 4… % → 83.61 %; the two add up to 100 %
* HYDJ (its own 80 without a breakdown): the same 390 / 2 380, no warning (not the reporting root)
* equity: the sites are held 100 % through HYDJ (100 %): the same 390 / 2 380 = 16.39 %
* when HYTS-1 then reports 100 women and 510 men: covered 2 380 + 610 = 2 990 (control):
  490 / 2 990 = 16.387 959 8… % → 16.39 %; equity (HYTS 51 %): (390 + 0.51 × 100) /
  (2 380 + 0.51 × 610) = 441 / 2 691.1 = 16.387 350 9… % → 16.39 %
"""
from decimal import Decimal

import pytest

from tests.calc.test_recalc import change, check_incremental, demo, fresh_full, ledger, run  # noqa: F401 (demo)
from tests.conftest import ghg_workspace, v, write

D = Decimal
TREE = """entities:
  - {code: HYJT, name: {zh: 华宇铝业集团, en: Huayu Aluminium Group}, level: group, process_type: holding}
  - {code: HYDJ, name: {zh: 华宇电解铝, en: Huayu Smelting}, level: company, process_type: smelter, parent: HYJT}
  - {code: HYDJ-A, name: {zh: 电解一厂, en: Smelter A}, level: site, process_type: smelter, parent: HYDJ}
  - {code: HYDJ-B, name: {zh: 电解二厂, en: Smelter B}, level: site, process_type: smelter, parent: HYDJ}
  - {code: HYYH, name: {zh: 华宇氧化铝, en: Huayu Alumina}, level: company, process_type: alumina_refinery, parent: HYJT, equity_share: 70}
  - {code: HYTS, name: {zh: 华宇碳素, en: Huayu Carbon}, level: company, process_type: anode_plant, parent: HYJT, equity_share: 51}
  - {code: HYTS-1, name: {zh: 碳素一厂, en: Anode plant 1}, level: site, process_type: anode_plant, parent: HYTS}
"""
FACTS = """entity,indicator,period,value,unit,gender
HYDJ-A,employees,2024,1250,人,
HYDJ-A,employees,2024,210,人,female
HYDJ-A,employees,2024,1040,人,male
HYDJ-B,employees,2024,1130,人,
HYDJ-B,employees,2024,180,人,female
HYDJ-B,employees,2024,950,人,male
HYDJ,employees,2024,80,人,
HYYH,employees,2024,2050,人,
HYTS,employees,2024,700,人,
HYTS-1,employees,2024,610,人,
HYJT,employees,2024,160,人,
"""
LEFT_OUT = "HYDJ, HYJT, HYTS, HYTS-1, HYYH"


@pytest.fixture
def ws(tmp_path):
    w = ghg_workspace(tmp_path / "ws", TREE, FACTS)
    yield w
    w.close()


def _share(ws, entity, code="female_employee_share", basis="control"):
    return v(ws, entity, code, basis=basis)


def _warnings(res):
    return [p for p in res.problems if p.code == "ESG-CALC-014"]


def test_the_group_share_is_over_the_entities_that_split_by_gender(ws):
    ws.calc("2024", "control")
    assert v(ws, "HYJT", "employees", basis="control") == D("5980")          # the total is all staff
    assert v(ws, "HYJT", "employees", "gender=female", basis="control") == D("390")
    female = _share(ws, "HYJT")
    assert round(female, 2) == D("16.39")                                    # 390 / 2 380, not / 5 980
    assert round(female, 10) == D("16.3865546218")
    male = _share(ws, "HYJT", "male_employee_share")
    assert round(male, 2) == D("83.61")                                      # 1 990 / 2 380
    assert round(female + male, 20) == D(100)
    # the company above the two sites, whose own 80 staff are not split: the same share
    assert round(_share(ws, "HYDJ"), 10) == D("16.3865546218")


def test_a_warning_names_the_entities_left_out_and_the_coverage(ws):
    res = ws.calc("2024", "control")
    said = {p.params["indicator"]: p for p in _warnings(res)}
    assert set(said) == {"female_employee_share", "male_employee_share"}    # at the root only
    p = said["female_employee_share"]
    assert p.params["entity"] == "HYJT" and p.severity.value == "warning"
    assert str(p.params["expected"]) == LEFT_OUT
    en, zh = p.render("en"), p.render("zh")
    assert "2380 persons of 5980 persons" in en and LEFT_OUT in en
    assert "Employees (Gender: Female)" in en
    assert "5980 人中的 2380 人" in zh and "HYDJ、HYJT、HYTS、HYTS-1、HYYH" in zh
    assert "员工总人数（性别: 女性）" in zh and "从分子和分母中同时剔除" in zh


def test_lineage_reads_the_two_sites_facts_not_the_group_total(ws):
    ws.calc("2024", "control")
    [f] = ws.store.current_facts(entity="HYJT", indicator="female_employee_share", period="2024",
                                 basis="control")
    got = sorted((i.entity, i.dims, i.value, role) for i, role, _w in ws.store.inputs_of(f.id))
    assert got == [("HYDJ-A", "", "1250", "ref:employees"),
                   ("HYDJ-A", "gender=female", "210", "ref:employees[gender=female]"),
                   ("HYDJ-B", "", "1130", "ref:employees"),
                   ("HYDJ-B", "gender=female", "180", "ref:employees[gender=female]")]


def test_equity_weights_the_covered_entities_as_consolidation_does(ws, tmp_path):
    ws.calc("2024", "equity")
    assert round(_share(ws, "HYJT", basis="equity"), 10) == D("16.3865546218")   # 390 / 2 380 (HYDJ 100 %)
    more = "entity,indicator,period,value,unit,gender\nHYTS-1,employees,2024,100,人,female\n" \
           "HYTS-1,employees,2024,510,人,male\n"
    assert ws.import_facts(write(tmp_path / "more.csv", more)).ok
    ws.calc("2024", "equity")
    # (390 + 0.51 × 100) / (2 380 + 0.51 × 610) = 441 / 2 691.1
    assert round(_share(ws, "HYJT", basis="equity"), 10) == D("16.3873508974")
    ws.calc("2024", "control")
    # 490 / 2 990
    assert round(_share(ws, "HYJT"), 10) == D("16.3879598662")


def test_full_coverage_is_the_plain_ratio_with_no_warning(tmp_path):
    facts = "\n".join(line for line in FACTS.splitlines()
                      if line.split(",")[0] in ("entity", "HYDJ-A", "HYDJ-B")) + "\n"
    w = ghg_workspace(tmp_path / "ws", TREE, facts)
    try:
        res = w.calc("2024", "control")
        assert _warnings(res) == []
        assert round(_share(w, "HYJT"), 10) == D("16.3865546218")   # 390 / 2 380, all staff split
        [f] = w.store.current_facts(entity="HYJT", indicator="female_employee_share", period="2024",
                                    basis="control")
        # the plain formula over the group's consolidated values
        assert sorted(i.entity for i, _r, _w in w.store.inputs_of(f.id)) == ["HYJT", "HYJT"]
    finally:
        w.close()


def test_no_breakdown_anywhere_leaves_the_share_uncomputed(tmp_path):
    facts = "\n".join(line for line in FACTS.splitlines() if "female" not in line and "male" not in line) + "\n"
    w = ghg_workspace(tmp_path / "ws", TREE, facts)
    try:
        res = w.calc("2024", "control")
        assert _share(w, "HYJT") is None and _warnings(res) == []
    finally:
        w.close()


def test_incremental_runs_follow_the_coverage(demo, tmp_path):  # noqa: F811
    # every demo entity splits its staff by gender; a potline now reports 100 staff without a
    # split: the group share leaves it out (an incremental run equals a full one)
    moved = check_incremental(demo, tmp_path, "TLYX-P1,employees,2024,100,人")
    assert ("TSAL", "employees", "", "control") in moved
    assert ("TSAL", "female_employee_share", "", "control") not in moved   # the potline is left out
    # then it reports 0 women: covered now, its 100 staff count in the denominator, although
    # the group's number of women did not move
    before = {k: f.value for k, f in ledger(demo).items()}
    change(demo, tmp_path, "TLYX-P1,employees,2024,0,人,female", "gender")
    inc = run(demo)
    assert inc.incremental
    after = {k: f.value for k, f in ledger(demo).items()}
    assert after == fresh_full(demo)
    moved = {k for k, x in after.items() if before.get(k) != x}
    assert ("TSAL", "employees", "gender=female", "control") not in moved
    assert ("TSAL", "female_employee_share", "", "control") in moved
