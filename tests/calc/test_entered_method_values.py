"""A value entered for a figure the methods compute (a plant's Scope 1) is replaced by the
calculated one where the entity has the activity data, and the run says so (UAT: an approved,
entered 900,000 t was silently overwritten by the next run). Where the entity has no activity
data for it, the entered value stands and is consolidated like any other."""
from __future__ import annotations

from importlib import resources

from tests.conftest import write


def test_an_entered_scope1_of_a_plant_with_activity_data_is_replaced_with_a_warning(sqlite_workspace, tmp_path):
    ws = sqlite_workspace
    with resources.as_file(resources.files("esgledger.demo").joinpath("data", "facts-2024.csv")) as p:
        assert ws.import_facts(p, status="approved").ok
    assert ws.import_facts(write(tmp_path / "s1.csv", "entity,indicator,period,value,unit\n"
                                                      "TLYX-P1,scope1_emissions,2024,900000,tCO2e\n"),
                           status="approved").ok
    res = ws.calc("2024")
    (w,) = [p for p in res.problems if p.code == "ESG-CALC-009"]
    (now,) = [f for f in ws.store.current_facts(entity="TLYX-P1", indicator="scope1_emissions", period="2024")
              if f.dims == ""]
    assert now.status == "calculated" and now.value != "900000"
    assert (w.params["entity"], w.params["found"].en, w.params["expected"].en) == (
        "TLYX-P1", "900000 t CO2e (approved)", f"{now.value} t CO2e")
    assert "填报值 900000 吨二氧化碳当量（已批准）已被" in w.render("zh")
    # the history keeps what was entered
    assert [(f.value, f.status) for f in ws.store.history("TLYX-P1", "scope1_emissions", "2024")][0] == (
        "900000", "approved")
    assert not [p for p in ws.calc("2024", full=True).problems if p.code == "ESG-CALC-009"]  # said once


def test_an_entered_scope1_of_an_entity_without_activity_data_stands(sqlite_workspace, tmp_path):
    ws = sqlite_workspace
    assert ws.import_facts(write(tmp_path / "s1.csv", "entity,indicator,period,value,unit\n"
                                                      "GNBX,scope1_emissions,2024,1200,tCO2e\n"),
                           status="approved").ok
    res = ws.calc("2024")
    assert not [p for p in res.problems if p.code == "ESG-CALC-009"]
    (f,) = ws.store.current_facts(entity="GNBX", indicator="scope1_emissions", period="2024")
    assert (f.value, f.status) == ("1200", "approved")
