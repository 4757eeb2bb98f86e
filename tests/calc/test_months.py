"""The year of a monthly indicator from its months (calc/months.py), worked by hand.

A group G with one office O that burns diesel, collected month by month: eleven months of
800 L and December 1 200 L, 8 800 + 1 200 = 10 000 L for the year. Diesel (MEE 2015 default,
as tests/calc/test_ghg_gaps.py works it): 10 000 L × 0.85 kg/L = 8.5 t × 43.33 GJ/t =
368.305 GJ × 0.0202 t C/GJ = 7.439761 t C × 0.98 = 7.29096578 × 44/12 = 26.73354119 t CO2.

The shipped library collects diesel as a year; these tests take a copy of it in which
``diesel_consumption`` is monthly (a workspace may collect any input by month; the engine does
not care which), and a workspace's own monthly indicator for the command line.
"""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from esgledger.calc.recalc import forget, recalculate
from esgledger.library.loader import Library
from esgledger.library.monthly import collected_monthly
from esgledger.store import schema as S
from tests.conftest import close, ghg_workspace, v, write

TREE = """entities:
  - {code: G, name: {zh: 集团, en: Group}, level: group, process_type: holding, province: 新疆, grid_region: northwest}
  - {code: O, name: {zh: 办公楼, en: Office}, level: company, process_type: office, province: 新疆, grid_region: northwest, parent: G}
"""
MONTHS = "".join(f"O,diesel_consumption,2024-{m:02d},{1200 if m == 12 else 800},升\n" for m in range(1, 13))
HEAD = "entity,indicator,period,value,unit\n"
DIESEL_CO2 = Decimal("26.73354119")  # 10 000 L, worked above


def monthly(lib: Library, *codes: str) -> Library:
    """The library with ``codes`` collected by month, as a workspace's ``collect.monthly`` makes it."""
    return collected_monthly(lib, codes)


@pytest.fixture
def ws(tmp_path, store_url):
    """The office's twelve months, on SQLite and on PostgreSQL."""
    from esgledger.workspace import init_workspace

    w = init_workspace(tmp_path / "ws", db=store_url, lang="en")
    assert not w.import_entities(write(tmp_path / "tree.yaml", TREE)).errors
    assert w.import_facts(write(tmp_path / "months.csv", HEAD + MONTHS)).ok
    w.lib_monthly = monthly(w.library, "diesel_consumption")
    forget(w.store)
    yield w
    forget(w.store)
    w.close()


def run(ws, full=False):
    return recalculate(ws.store, ws.lib_monthly, ws.tree, ws.factors, "2024", "control", gwp_set="AR5",
                       full=full, note="test")


def change(ws, tmp_path, rows: str, name="c.csv"):
    rep = ws.import_facts(write(tmp_path / name, HEAD + rows))
    assert rep.ok, rep.problems.flat()


def codes(res) -> list[str]:
    return [p.code for p in res.problems]


def test_the_year_is_the_sum_of_its_months_and_the_methods_read_it(ws):
    res = run(ws, full=True)
    assert res.from_months == 1 and "ESG-CALC-020" not in codes(res)
    year = ws.value("O", "diesel_consumption", "2024")
    assert (year.value, year.status) == ("10000", "calculated")
    assert close(v(ws, "O", "scope1_emissions", "gas=co2"), DIESEL_CO2)
    # consolidated to the group like any input (O held whole)
    assert v(ws, "G", "diesel_consumption", basis="control") == Decimal(10000)
    # its lineage: the twelve months, each named
    with ws.store.engine.connect() as conn:
        rows = conn.execute(S.fact_input.select().where(S.fact_input.c.fact_id == year.id)).all()
        periods = {conn.execute(S.fact.select().where(S.fact.c.id == r.input_fact_id)).one().period: r.role
                   for r in rows}
    assert periods == {f"2024-{m:02d}": f"month:2024-{m:02d}" for m in range(1, 13)}
    # nothing moved: a second full run writes nothing
    again = run(ws, full=True)
    assert (again.from_months, again.written, again.ghg.written) == (0, 0, 0)


def test_a_missing_month_makes_no_year(tmp_path):
    eleven = "".join(line + "\n" for line in MONTHS.splitlines() if ",2024-07," not in line)
    w = ghg_workspace(tmp_path / "ws", TREE, HEAD + eleven)
    try:
        res = recalculate(w.store, monthly(w.library, "diesel_consumption"), w.tree, w.factors, "2024",
                          "control", gwp_set="AR5", full=True, note="test")
        (p,) = [p for p in res.problems if p.code == "ESG-CALC-020"]
        assert (p.params["entity"], p.params["found"], p.params["expected"]) == ("O", "11", "2024-07")
        assert w.value("O", "diesel_consumption", "2024") is None
        assert v(w, "O", "scope1_emissions") is None
    finally:
        forget(w.store)
        w.close()


def test_a_year_entered_as_a_year_gives_way_to_its_months(ws, tmp_path):
    change(ws, tmp_path, "O,diesel_consumption,2024,9000,升\n")
    res = run(ws, full=True)
    (p,) = [p for p in res.problems if p.code == "ESG-CALC-021"]
    # both values with the unit in the reader's language
    assert (p.params["found"].zh, p.params["expected"].zh) == ("9000 升", "10000 升")
    assert "the year entered, 9000 L, is replaced by 10000 L made from its twelve months" in p.render("en")
    assert ws.value("O", "diesel_consumption", "2024").value == "10000"
    assert close(v(ws, "O", "scope1_emissions", "gas=co2"), DIESEL_CO2)
    # entered again after the run: the incremental run makes the year from the months again
    change(ws, tmp_path, "O,diesel_consumption,2024,9500,升\n", "c2.csv")
    inc = run(ws)
    assert inc.incremental and "ESG-CALC-021" in codes(inc)
    assert ws.value("O", "diesel_consumption", "2024").value == "10000"


def test_a_month_changed_runs_incrementally_and_equals_a_full_run(ws, tmp_path):
    run(ws, full=True)
    change(ws, tmp_path, "O,diesel_consumption,2024-03,900,升\n")  # +100 L: 10 100 L
    inc = run(ws)
    assert inc.incremental and inc.from_months == 1
    assert ws.value("O", "diesel_consumption", "2024").value == "10100"
    # diesel's CO2 is proportional to its volume: 26.73354119 × 10 100 / 10 000
    assert close(v(ws, "O", "scope1_emissions", "gas=co2"), DIESEL_CO2 * Decimal("1.01"))
    assert v(ws, "G", "diesel_consumption", basis="control") == Decimal(10100)
    check = run(ws, full=True)
    assert (check.from_months, check.written, check.ghg.written) == (0, 0, 0)


def test_a_month_withdrawn_withdraws_the_year(ws, tmp_path):
    run(ws, full=True)
    ws.withdraw_facts([("O", "diesel_consumption", "2024-05", "")], reason="entered twice")
    res = run(ws)
    assert {"ESG-CALC-020", "ESG-CALC-007"} <= set(codes(res))
    assert ws.value("O", "diesel_consumption", "2024") is None
    assert v(ws, "O", "scope1_emissions") is None


def test_a_stock_takes_december(tmp_path):
    """Employees (a stock on the period's last day) collected by month: the year is December's
    head count, not the sum of twelve."""
    heads = "".join(f"O,employees,2024-{m:02d},{100 + m},人\n" for m in range(1, 13))
    w = ghg_workspace(tmp_path / "ws", TREE, HEAD + heads)
    try:
        recalculate(w.store, monthly(w.library, "employees"), w.tree, w.factors, "2024", "control",
                    gwp_set="AR5", full=True, note="test")
        assert w.value("O", "employees", "2024").value == "112"
        assert v(w, "G", "employees", basis="control") == Decimal(112)
    finally:
        forget(w.store)
        w.close()


STEAM = """indicators:
  - code: steam_sold
    name: {zh: 外售蒸汽量, en: Steam sold}
    dimension: E
    topic: energy
    unit: GJ
    frequency: monthly
"""


@pytest.mark.parametrize("lang,words", [
    ("en", "has 11 of its 12 months on file"),
    ("zh", "仅有 11 个月（共 12 个月）的数据"),
])
def test_cli_a_workspace_monthly_indicator(tmp_path, lang, words):
    """A workspace's own monthly indicator, imported by month and run from the command line:
    the year is 11 × 10 + 12.5 = 122.5 GJ; without July, the run says which month is missing."""
    from esgledger.cli import STATE, app

    rows = "".join(f"O,steam_sold,2024-{m:02d},{'12.5' if m == 12 else '10'},GJ\n" for m in range(1, 13))
    w = ghg_workspace(tmp_path / "ws", TREE, HEAD + rows, files={"library/monthly.yaml": STEAM})
    path = w.path
    w.close()
    try:
        r = CliRunner().invoke(app, ["--lang", lang, "-w", str(path), "calc", "run", "--period", "2024"])
        assert r.exit_code == 0, r.output
        assert ("made 1 year of monthly indicators" if lang == "en" else "由各月生成了 1 个月度指标的年度值") in r.output
        x = CliRunner().invoke(app, ["--lang", lang, "-w", str(path), "explain", "steam_sold", "--entity", "O",
                                     "--period", "2024", "--json"])
        assert x.exit_code == 0, x.output
        tree = json.loads(x.output)
        assert tree["value"] == "122.5"
        assert sorted(i["period"] for i in tree["inputs"]) == [f"2024-{m:02d}" for m in range(1, 13)]
        w2 = ghg_workspace(tmp_path / "ws2", TREE, HEAD + "".join(
            line + "\n" for line in rows.splitlines() if ",2024-07," not in line), files={"library/monthly.yaml": STEAM})
        p2 = w2.path
        w2.close()
        r = CliRunner().invoke(app, ["--lang", lang, "-w", str(p2), "calc", "run", "--period", "2024"])
        assert r.exit_code == 0, r.output
        assert "ESG-CALC-020" in r.output and words in r.output and "2024-07" in r.output
    finally:
        STATE.lang = "en"


def _cli(path, lang, *args):
    from esgledger.cli import STATE, app

    try:
        return CliRunner().invoke(app, ["--lang", lang, "-w", str(path), *args])
    finally:
        STATE.lang = "en"


def test_a_workspace_collects_a_shipped_indicator_by_month_from_workbook_to_emissions(tmp_path):
    """``collect.monthly`` in esgledger.toml: the office's workbook asks diesel by month, the
    filled months are imported, and the year's run makes 10 000 L and its 26.73354119 t."""
    import openpyxl

    w = ghg_workspace(tmp_path / "ws", TREE)
    path = w.path
    w.close()
    cfg = path / "esgledger.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + '\n[collect]\nmonthly = ["diesel_consumption"]\n',
                   encoding="utf-8")
    assert _cli(path, "en", "collect", "open", "--period", "2024", "--entity", "O").exit_code == 0
    r = _cli(path, "en", "collect", "templates", "--entity", "O", "-o", str(tmp_path / "wb"))
    assert r.exit_code == 0, r.output
    (book,) = (tmp_path / "wb").glob("*.xlsx")
    wb = openpyxl.load_workbook(book)
    (sheet, row), = [(sh, c.row) for sh in wb.worksheets for c in sh["A"] if c.value == "diesel_consumption"]
    for m in range(12):  # F..Q: January to December
        sheet.cell(row, 6 + m).value = 1200 if m == 11 else 800
    wb.save(book)
    r = _cli(path, "en", "collect", "import", str(book))
    assert r.exit_code == 0, r.output
    r = _cli(path, "en", "calc", "run", "--period", "2024")
    assert r.exit_code == 0, r.output
    from esgledger.workspace import open_workspace

    with open_workspace(path) as w:
        assert w.library["diesel_consumption"].frequency == "monthly"
        assert w.value("O", "diesel_consumption", "2024").value == "10000"
        assert close(v(w, "O", "scope1_emissions", "gas=co2"), DIESEL_CO2)


@pytest.mark.parametrize("setting,lang,words", [
    ('["diesel_consumptoin"]', "en", "collect.monthly: diesel_consumptoin is not a numeric input indicator of the "
                                     "library"),
    ('["diesel_consumptoin"]', "zh", "collect.monthly：diesel_consumptoin 不是指标库中的数值型输入指标"),
    ('["scope1_emissions"]', "en", "scope1_emissions is not a numeric input indicator"),
    ('"diesel_consumption"', "en", "ESG-WS-003"),
])
def test_a_bad_monthly_setting_is_refused_when_the_workspace_opens(tmp_path, setting, lang, words):
    w = ghg_workspace(tmp_path / "ws", TREE)
    path = w.path
    w.close()
    cfg = path / "esgledger.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + f"\n[collect]\nmonthly = {setting}\n", encoding="utf-8")
    r = _cli(path, lang, "calc", "run", "--period", "2024")
    # the command line's entry point prints the problem (esgledger: <file> (collect.monthly): …)
    assert r.exit_code != 0 and r.exception.problem.location.field == "collect.monthly"
    assert r.exception.problem.code == ("ESG-WS-003" if setting.startswith('"') else "ESG-WS-010")
    assert r.exception.problem.location.file == str(cfg)
    out = r.exception.problem.render(lang)
    assert words in out or words == r.exception.problem.code, out
    if "consumptoin" in setting:  # the closest code, in the reader's language
        assert ("did you mean diesel_consumption," if lang == "en" else "是否为 diesel_consumption、") in out


def test_only_approved_months_make_the_year_where_only_approved_data_feeds_calculations(tmp_path):
    """With ``report.inputs = approved`` a month submitted but not approved is missing; once it is
    approved, the next run makes the year, incrementally (the months of the key as the approved
    store gives them): 11 × 800 + 1 200 = 10 000 L. A later revision of a month that is only
    submitted does not move it: the approved one stays current."""
    from esgledger.workspace import _ApprovedOnly

    rows = [line for line in MONTHS.splitlines()]
    head = "entity,indicator,period,value,unit,status\n"
    w = ghg_workspace(tmp_path / "ws", TREE)
    try:
        approved = "".join(f"{line},{'submitted' if ',2024-09,' in line else 'approved'}\n" for line in rows)
        assert w.import_facts(write(tmp_path / "m.csv", head + approved)).ok
        store, lib = _ApprovedOnly(w.store), monthly(w.library, "diesel_consumption")

        def calc(full=False):
            return recalculate(store, lib, w.tree, w.factors, "2024", "control", gwp_set="AR5", full=full,
                               note="test")

        res = calc(full=True)
        (p,) = [p for p in res.problems if p.code == "ESG-CALC-020"]
        assert (p.params["found"], p.params["expected"]) == ("11", "2024-09")
        assert w.value("O", "diesel_consumption", "2024") is None
        assert w.import_facts(write(tmp_path / "a.csv", head + "O,diesel_consumption,2024-09,800,升,approved\n")).ok
        res = calc()
        assert res.incremental and res.from_months == 1
        assert w.value("O", "diesel_consumption", "2024").value == "10000"
        assert w.import_facts(write(tmp_path / "s.csv", head + "O,diesel_consumption,2024-03,900,升,submitted\n")).ok
        res = calc()
        assert res.incremental and res.written == 0 and res.from_months == 0
        assert w.value("O", "diesel_consumption", "2024").value == "10000"
        # the first month of another key, only submitted: nothing approved to make a year of,
        # so nothing said of it either, as a full run says nothing (no month of it is current)
        assert w.import_facts(write(tmp_path / "t.csv", head + "G,diesel_consumption,2024-01,50,升,submitted\n")).ok
        res = calc()
        assert res.incremental and res.written == 0 and not [p for p in res.problems if p.code == "ESG-CALC-020"]
        full = calc(full=True)
        assert full.written == 0  # the incremental runs left what a full run leaves
        assert not [p for p in full.problems if p.code == "ESG-CALC-020"]
    finally:
        forget(w.store)
        w.close()
