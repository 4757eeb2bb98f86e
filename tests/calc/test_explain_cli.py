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


def test_explain_cites_each_factors_edition_and_source_in_text_and_json(tmp_path):
    """UAT1 F8: explain showed set@version and confidence, not the factor's source or edition
    that docs/methodology.md says it reads. Expected from the factor data
    (library/data/factors/ipcc2006_aluminium.yaml): the CWPB slope 0.143, edition "IPCC 2006
    Guidelines Vol.3 Ch.4.4" (the set's default), source "IPCC 2006 GL Vol.3 Ch.4.4 Table 4.15
    = 40 CFR 98 Table F-1"."""
    import json

    with init_workspace(tmp_path / "ws", lang="en") as ws:
        assert not ws.import_entities(GHG / "tree.yaml").errors
        assert ws.import_facts(GHG / "facts.csv").ok
        ws.calc("2024")
    args = ["-w", str(tmp_path / "ws"), "explain", "emissions_by_source", "--entity", "P", "--period", "2024",
            "--dims", "emission_source=pfc"]
    runner = CliRunner()
    try:
        en = runner.invoke(app, ["--lang", "en", *args])
        zh = runner.invoke(app, ["--lang", "zh", *args])
        js = runner.invoke(app, ["--lang", "en", *args, "--json"])
    finally:
        STATE.lang = "en"
    assert en.exit_code == zh.exit_code == js.exit_code == 0, en.output + zh.output + js.output
    slope_en = next(ln for ln in en.output.splitlines() if "al.pfc.slope_cf4" in ln)
    # the edition as the set's file cites it in the reader's language (audit A3-L6: the Chinese
    # text printed the English "IPCC 2006 Guidelines Vol.3 Ch.4.4"); the source as the file gives it
    assert slope_en.endswith("(R); edition: 2006 IPCC Guidelines, Vol. 3, Ch. 4.4; "
                             "source: IPCC 2006 GL Vol.3 Ch.4.4 Table 4.15 = 40 CFR 98 Table F-1")
    slope_zh = next(ln for ln in zh.output.splitlines() if "al.pfc.slope_cf4" in ln)
    assert slope_zh.endswith("(R)；版本：《2006年IPCC国家温室气体清单指南》第3卷第4.4章；"
                             "来源：IPCC 2006 GL Vol.3 Ch.4.4 Table 4.15 = 40 CFR 98 Table F-1")
    tree = json.loads(js.output)
    stack, factors = [tree], []
    while stack:
        n = stack.pop()
        factors += n["factors"]
        stack += n["inputs"]
    slope = next(f for f in factors if "al.pfc.slope_cf4" in f["factor"])
    assert (slope["value"], slope["confidence"], slope["edition"], slope["source"]) == (
        "0.143", "R", "IPCC 2006 Guidelines Vol.3 Ch.4.4", "IPCC 2006 GL Vol.3 Ch.4.4 Table 4.15 = 40 CFR 98 Table F-1")
    assert slope["factor_set"] == "ipcc2006_aluminium@2006.1"
    assert slope["edition_cited"] == {"zh": "《2006年IPCC国家温室气体清单指南》第3卷第4.4章",
                                      "en": "2006 IPCC Guidelines, Vol. 3, Ch. 4.4"}
