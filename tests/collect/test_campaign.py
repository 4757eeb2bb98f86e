"""Campaigns, templates and submissions on the tests' small group (tests/collect/group.py)."""
import datetime as dt

import openpyxl
import pytest

from esgledger.collect.campaign import (assigned_indicators, close_campaign, current_facts, get_campaign,
                                        open_campaign, reference_values, status_table)
from esgledger.collect.submission import import_workbook, submit_entity, submit_values
from esgledger.collect.templates import generate_workbook, generate_workbooks
from esgledger.model.errors import ProblemsError
from esgledger.model.types import WITHDRAWN
from esgledger.store import NewFact
from esgledger.store.access import AccessDenied
from tests.collect.group import WORKBOOKS


def test_campaign_asks_each_entity_for_what_applies_to_it(group):
    c = group.c2025
    smelter = assigned_indicators(group.admin, c, "P1")
    office = assigned_indicators(group.admin, c, "HQ")
    assert smelter == ["board_meetings", "disclosure_rating", "aluminium_output", "anode_effect_minutes",
                       "electricity", "employees", "training_coverage", "fatalities"]
    assert office == ["board_meetings", "disclosure_rating", "electricity", "employees",
                      "training_coverage", "fatalities"]  # no anode effect at an office
    assert "female_share" not in smelter  # formulas are computed, never asked
    with pytest.raises(ProblemsError) as exc:
        open_campaign(group.admin, "2025")
    assert exc.value.problems.flat() == [("(period)", "ESG-COLLECT-011")]
    with pytest.raises(AccessDenied):
        open_campaign(group.desk("p1"), "2026")
    with pytest.raises(ProblemsError) as exc:
        get_campaign(group.admin, "2023")
    assert exc.value.problems.flat() == [("(period)", "ESG-COLLECT-010")]
    # in each language only, and without saying "no open campaign" twice (audit A4-L3)
    assert exc.value.problems[0].message("zh") == \
        "没有进行中的收集任务：2023 年度的收集任务未开启或已关闭；当前进行中的是收集任务 #2（2025）"
    assert exc.value.problems[0].message("en") == \
        "no open campaign: the campaign for 2023 was not opened or is closed; the open one is campaign #2 (2025)"
    assert get_campaign(group.admin).id == c.id  # the only open one
    c2026 = open_campaign(group.admin, "2026")
    with pytest.raises(ProblemsError) as exc:  # two open: which one is meant
        get_campaign(group.admin)
    assert exc.value.problems[0].message("en") == \
        f"no open campaign: campaigns of several periods are open (campaign #{c.id} (2025), campaign #{c2026.id} " \
        "(2026)): choose one with --period"
    for each in (c, c2026):
        close_campaign(group.admin, each)
    with pytest.raises(ProblemsError) as exc:
        get_campaign(group.admin)
    assert exc.value.problems[0].message("zh") == "没有进行中的收集任务：目前没有任何期间的收集任务在进行中"
    assert exc.value.problems[0].message("en") == "no open campaign: none is open for any period"


def test_workbook_structure(sqlite_group, tmp_path):
    g = sqlite_group
    path = generate_workbook(g.desk("p1"), g.c2025, "P1", tmp_path)
    assert path.name == "2025_P1_en.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Instructions", "Governance", "Energy", "Labour", "Safety", "_esgledger"]
    assert wb["_esgledger"].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    energy, labour = wb["Energy"], wb["Labour"]
    assert all(wb[n].protection.sheet for n in wb.sheetnames)
    # code, name, breakdown, unit (in the workbook's language), last year's approved value, input, comment
    assert [c.value for c in energy[3]][:6] == ["aluminium_output", "Primary aluminium output", None, "10k t", 50, None]
    assert [c.value for c in labour[4]][:5] == ["employees", "Employees", "Gender: Female", "persons", 200]
    assert (energy["F3"].protection.locked, energy["G3"].protection.locked) == (False, False)
    assert (energy["A3"].protection.locked, energy["D3"].protection.locked, energy["E3"].protection.locked) == (True, True, True)
    # the monthly block: twelve input columns, last year's months in the locked row below
    assert [c.value for c in energy[6]][5:17] == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                                  "Sep", "Oct", "Nov", "Dec"]
    assert energy["A7"].value == "electricity" and energy["R7"].protection.locked is False
    assert all(energy.cell(7, col).protection.locked is False for col in range(6, 18))
    assert [energy.cell(8, col).value for col in range(6, 18)] == [100] * 12
    assert energy.cell(8, 6).protection.locked
    rules = {str(dv.sqref): (dv.type, dv.operator, dv.formula1, dv.formula2)
             for n in ("Governance", "Labour") for dv in wb[n].data_validations.dataValidation}
    assert rules == {"F3": ("whole", "greaterThanOrEqual", "0", None),          # board meetings
                     "F4": ("list", None, '"A,B,C,D"', None),                   # disclosure rating
                     "F3 F4 F5": ("whole", "greaterThanOrEqual", "0", None),    # employees
                     "F6": ("decimal", "between", "0", "100")}                  # training coverage
    zh = openpyxl.load_workbook(generate_workbook(g.admin, g.c2025, "HQ", tmp_path, lang="zh"))
    assert zh.sheetnames == ["填报说明", "公司治理", "能源管理", "劳工权益", "安全生产", "_esgledger"]
    assert zh["劳工权益"]["C4"].value == "性别: 女性"
    assert (zh["劳工权益"]["D4"].value, zh["能源管理"]["D3"].value) == ("人", "万千瓦时")
    assert len(generate_workbooks(g.admin, g.c2025, tmp_path / "all")) == 5
    assert [p.name for p in generate_workbooks(g.desk("c1"), g.c2025, tmp_path / "c1")] == [
        "2025_C1_en.xlsx", "2025_P1_en.xlsx", "2025_P2_en.xlsx"]


def test_status_table(sqlite_group):
    g = sqlite_group
    import_workbook(g.desk("p1"), WORKBOOKS / "good.xlsx")
    submit_values(g.desk("p2"), g.c2025, "P2", [{"indicator": "employees", "value": "10"}], submit=True)
    rows = {r.entity: (r.status, r.filled, r.assigned, r.late, r.waiting_review)
            for r in status_table(g.admin, g.c2025, today=dt.date(2026, 4, 1))}
    assert rows == {"C1": ("not_started", 0, 8, True, False), "G": ("not_started", 0, 6, True, False),
                    "HQ": ("not_started", 0, 6, True, False), "P1": ("in_progress", 8, 8, True, False),
                    "P2": ("submitted", 1, 8, False, True)}
    assert [r.entity for r in status_table(g.desk("p1"), g.c2025)] == ["P1"]
    assert not any(r.late for r in status_table(g.admin, g.c2025, today=dt.date(2026, 3, 31)))


def test_api_submission_errors_are_located_at_fields(group):
    p1 = group.desk("p1")
    rep = submit_values(p1, group.c2025, "P1", [
        {"indicator": "employees", "value": "1100"},
        {"indicator": "employees", "value": "abc", "dims": "gender=female"},
        {"indicator": "employees", "value": "5", "dims": {"age_band": "lt30"}},
        {"indicator": "nope", "value": "1"},
        {"indicator": "electricity", "value": "1"},                       # monthly: needs a month
        {"indicator": "electricity", "value": "-1", "period": "2025-02"},
        {"indicator": "aluminium_output", "value": "2", "unit": "kWh"},
        {"indicator": "employees", "value": "1100"},
        {"indicator": "fatalities", "value": "0.5"},
    ])
    assert rep.flat() == [("api (values[1].value)", "ESG-COLLECT-001"), ("api (values[2].dims)", "ESG-IMPORT-011"),
                          ("api (values[3].indicator)", "ESG-IMPORT-004"), ("api (values[4].indicator)", "ESG-COLLECT-012"),
                          ("api (values[5].value)", "ESG-COLLECT-003"), ("api (values[6].unit)", "ESG-IMPORT-007"),
                          ("api (values[7].indicator)", "ESG-IMPORT-009"), ("api (values[8].value)", "ESG-COLLECT-003")]
    assert not rep.written and group.facts(status="draft") == []
    # a unit converted on the way in; the entered value and unit are kept
    rep = submit_values(p1, group.c2025, "P1", [{"indicator": "aluminium_output", "value": "552500", "unit": "吨"}])
    assert rep.flat() == []
    [f] = group.admin.store.current_facts(entity="P1", indicator="aluminium_output", period="2025")
    assert (f.value, f.unit, f.value_entered, f.unit_entered, f.location) == ("55.2500", "万吨", "552500", "吨", "values[0]")
    with pytest.raises(AccessDenied):
        submit_values(p1, group.c2025, "P2", [{"indicator": "employees", "value": "1"}])


def test_warnings_need_a_comment_before_submitting(group):
    p1 = group.desk("p1")
    rep = import_workbook(p1, WORKBOOKS / "warnings.xlsx")
    assert rep.flat() == [("warnings.xlsx:Energy!F3", "ESG-COLLECT-005"), ("warnings.xlsx:Labour!F3", "ESG-VAL-001")]
    assert rep.ok and rep.written and len(rep.unexplained) == 2
    # a ratio out of range: 700 women of 1100 gives a female share of 63.64 %, above 60 %
    # (and both breakdowns moved by more than 30 % from last year's 200 and 800)
    rep = submit_values(p1, group.c2025, "P1", [{"indicator": "employees", "value": "700", "dims": "gender=female"},
                                                {"indicator": "employees", "value": "400", "dims": "gender=male"}])
    found = [("Energy!F3", "ESG-COLLECT-005"), ("api (values[0].value)", "ESG-COLLECT-005"),
             ("api (values[1].value)", "ESG-COLLECT-005"), ("api (values[0].value)", "ESG-COLLECT-006")]
    assert rep.flat() == found
    assert rep.problems[1].render() == (
        "api (values[0].value): ESG-COLLECT-005 large change from last year: employees (Employees) [gender=female]: "
        "700 is +250.0 % from last year's 200 (threshold ±30 %); explain it in the comment")
    assert "female_share (Female share) = employees[gender=female] / employees gives 63.64 %, expected from 0 to 60 %" \
        in rep.problems[3].render()
    sub = submit_entity(p1, group.c2025, "P1")
    stored = [("Energy!F3", "ESG-COLLECT-005"), ("(values[0])", "ESG-COLLECT-005"),
              ("(values[1])", "ESG-COLLECT-005"), ("(values[0])", "ESG-COLLECT-006")]  # where each value came from
    assert sub.flat() == stored + [(where, "ESG-COLLECT-007") for where, _ in stored]
    assert not sub.written
    assert {r.entity: r.status for r in status_table(group.admin, group.c2025)}["P1"] == "in_progress"
    # the submitter explains both, and submits
    rep = submit_values(p1, group.c2025, "P1", [
        {"indicator": "aluminium_output", "value": "66", "comment": "new potline section started in May"},
        {"indicator": "employees", "value": "700", "dims": "gender=female", "comment": "casting shop staffed by women"}],
        submit=True)
    assert [p.code for p in rep.problems] == [code for _, code in found]
    assert rep.ok and rep.submitted and rep.status["P1"][0] == "submitted"
    assert {s for *_, s in group.facts() if _[1] != "2024"} == {"approved", "submitted"}
    assert [s for e, i, p, d, v, s in group.facts() if p.startswith("2025")] == ["submitted"] * 21


def test_dry_run_writes_nothing(group):
    before = group.facts()
    rep = import_workbook(group.desk("p1"), WORKBOOKS / "warnings.xlsx", dry_run=True, submit=True)
    assert [p.code for p in rep.problems] == ["ESG-COLLECT-005", "ESG-VAL-001", "ESG-COLLECT-007", "ESG-COLLECT-007"]
    assert not rep.written and group.facts() == before
    assert {r.entity: r.status for r in status_table(group.admin, group.c2025)}["P1"] == "not_started"


def test_last_years_value_is_its_latest_approved_one_and_the_current_one_its_latest(group):
    """P1's 2024 values were approved (tests/collect/group.py: aluminium_output 50.00, employees
    1000). Then aluminium_output 2024 gets a submitted 52.00 and employees 2024 is withdrawn:
    the 2025 campaign's reference is still the approved 50.00 (a value submitted after an
    approval is not approved) and no employees (withdrawn after its approval); the current
    values of 2024 are 52.00 and no employees in total (its breakdown by gender, 200 and 800,
    stays: each is a fact of its own)."""
    store, unit = group.admin.store, group.admin.library["aluminium_output"].unit
    ref = reference_values(group.admin, group.c2025, "P1")
    assert (ref[("aluminium_output", "", "2025")].value, ref[("employees", "", "2025")].value) == ("50.00", "1000")
    store.append_facts([NewFact("P1", "aluminium_output", "2024", "", "52.00", unit),
                        NewFact("P1", "employees", "2024", "", "1000", group.admin.library["employees"].unit,
                                status=WITHDRAWN)], kind="api")
    ref = reference_values(group.admin, group.c2025, "P1")
    assert ref[("aluminium_output", "", "2025")].value == "50.00" and ("employees", "", "2025") not in ref
    with store.reading() as conn:
        now = current_facts(conn, "P1", ["2024"], ["aluminium_output", "employees"])
    assert {k: f.value for k, f in now.items()} == {("aluminium_output", "", "2024"): "52.00",
                                                    ("employees", "gender=female", "2024"): "200",
                                                    ("employees", "gender=male", "2024"): "800"}
