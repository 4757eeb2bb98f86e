"""``esgledger explain`` of a calculated value, as a reader of either language sees it."""
from typer.testing import CliRunner

from esgledger.cli import STATE, app
from esgledger.workspace import init_workspace
from tests.conftest import DATA

GHG = DATA / "ghg"


def test_explain_names_the_factors_in_the_readers_language(tmp_path):
    with init_workspace(tmp_path / "ws", lang="en") as ws:
        assert not ws.import_entities(GHG / "tree.yaml").errors
        assert ws.import_facts(GHG / "facts.csv").ok
        ws.calc("2024")
    try:
        r = CliRunner().invoke(app, ["--lang", "zh", "-w", str(tmp_path / "ws"), "explain", "emissions_by_source",
                                     "--entity", "P", "--period", "2024", "--dims", "emission_source=pfc"])
    finally:
        STATE.lang = "en"
    assert r.exit_code == 0, r.output
    # the PFC of tests/calc/test_ghg.py's hand arithmetic: CF4 at AR5 6630, slope 0.143 for CWPB
    assert "因子 gwp@" in r.output and "[gas=CF4;gwp_set=AR5] = 6630 (V)" in r.output  # a GWP has no unit
    assert "= 0.143 (千克CF4/吨铝)/(阳极效应分钟/槽·日) (R)" in r.output
    assert "570.08 吨二氧化碳当量" in r.output  # 474.045 + 96.03165 t CO2e, at 2 decimals
