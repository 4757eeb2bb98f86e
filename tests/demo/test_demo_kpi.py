"""The demo reproduces every figure of the reference report's KPI table (kpi-2024.csv)."""
import csv
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from rich.console import Console

from esgledger.demo.build import build_demo
from esgledger.report.kpi import build_kpi_table
from esgledger.workspace import open_workspace
from tests.conftest import DATA
from tests.library.test_library import EN_LABEL_CORRECTIONS

SEED = list(csv.DictReader((DATA / "kpi-2024.csv").read_text(encoding="utf-8").splitlines()))


PRINTED: dict[str, str] = {}  # what the demo printed (not a terminal: no progress bars)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "ws"
    out = io.StringIO()
    outputs = build_demo(path, lang="en", console=Console(file=out, width=1000, force_terminal=False))
    PRINTED["en"] = out.getvalue()
    ws = open_workspace(path)
    yield ws, build_kpi_table(ws, 2024), outputs
    ws.close()


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def test_every_seed_figure_is_in_the_kpi_table(demo):
    _ws, kpi, _ = demo
    wrong = []
    for row in SEED:
        r = kpi.find(row["indicator_zh"])
        if r is None:
            wrong.append((row["indicator_zh"], "row missing"))
            continue
        for year in ("2022", "2023", "2024"):
            published = row[year]
            if not published:
                continue
            cell = r.cells[int(year)]
            if published.replace(".", "").isdigit():
                # compare at the precision the report published, rounding half-up
                got = None if cell.value is None else cell.value.quantize(
                    Decimal(1).scaleb(-_decimals(published)), rounding=ROUND_HALF_UP)
                if got != Decimal(published):
                    wrong.append((row["indicator_zh"], year, published, cell.text))
            elif cell.text != published:
                wrong.append((row["indicator_zh"], year, published, cell.text))
    assert wrong == []


def test_labels_are_the_reports_own(demo):
    _ws, kpi, _ = demo
    assert {r.label["zh"] for _s, r in kpi.rows()} >= {row["indicator_zh"] for row in SEED}
    en = {r.label["zh"]: r.label["en"] for _s, r in kpi.rows()}
    assert [(row["indicator_zh"], en[row["indicator_zh"]]) for row in SEED
            if en[row["indicator_zh"]] != EN_LABEL_CORRECTIONS.get(row["indicator_en"], row["indicator_en"])] == []
    # the published metric keeps its published name, CO2 (UAT4 F-M2)
    assert en["电解铝生产二氧化碳排放总量"] == "CO2 from aluminium production"


def test_derived_figures_come_out_of_their_formulas(demo):
    ws, kpi, _ = demo
    for code in ("female_employee_share", "rd_intensity", "revenue_per_employee", "co2_per_tonne_aluminium",
                 "co2_per_tonne_alumina"):
        ind = ws.library[code]
        assert ind.kind == "formula", code
        f = ws.value("TSAL", code, "2024")
        assert f.status == "calculated" and ws.store.inputs_of(f.id), code
    # 1,270.26 万吨 / 117.59 万吨: 117.59 × 10.8 = 1,269.972, 0.288 / 117.59 = 0.00245 → 10.80245 t/t
    assert Decimal(ws.value("TSAL", "co2_per_tonne_aluminium", "2024").value).quantize(Decimal("0.00001")) \
        == Decimal("10.80245")


def test_missing_values_are_dashes_with_a_footnote(demo):
    _ws, kpi, _ = demo
    r = kpi.find("员工总人数")
    assert r.cells[2024].text == "6,756"
    assert [(s.title["zh"], r.label["zh"]) for s, r in kpi.rows() if r.cells[2024].text == "—"] == []
    total_assets = kpi.find("资产总额")
    assert (total_assets.cells[2022].text, total_assets.cells[2022].notes) == ("—", ("missing",))


def test_outputs_are_written(demo):
    _ws, _kpi, outputs = demo
    names = {p.name for p in outputs}
    assert {"kpi-2024.en.html", "kpi-2024.en.md", "kpi-2024.xlsx", "kpi-2024.zh.html", "kpi-2024.zh.md"} <= names
    md = next(p for p in outputs if p.name == "kpi-2024.zh.md").read_text(encoding="utf-8")
    assert "| 电解铝生产二氧化碳排放总量 | 万吨 |" in md and "1,270.26" in md
    import openpyxl

    wb = openpyxl.load_workbook(next(p for p in outputs if p.suffix == ".xlsx"))
    assert wb.sheetnames == ["绩效表", "KPI"]
    values = [c.value for row in wb["KPI"].iter_rows() for c in row]
    assert 6756 in values or Decimal(6756) in values
    # each sheet in its own language, its notes heading included
    assert "Notes:" in values and "注：" not in values
    assert "注：" in [c.value for row in wb["绩效表"].iter_rows() for c in row]


def test_the_only_warnings_are_the_reports_own_inconsistencies(demo):
    """The demo says its warnings are figures of the source report that contradict each other
    or change implausibly from the year before. The illustrative 2022/2023 data must not add
    any: a comparison year without the plants' diesel and natural gas made energy and Scope 1
    seem to jump (YDTS 239 → 7,849 tce). What stays is what the report publishes: R&D
    expenditure 54,998.71 → 132,861.32 万元 (+141.6 %, over the ±100 % threshold), 72 training
    hours where 77 follow from its own hours and head count, a 19 % transfer share where 20 %
    follow, and the zero-fatality target marked achieved with one fatality. The R&D figure is
    named once (A2-L2): the group's consolidated value is its own entered figure carried up
    (R&D expenditure is not additive), so a second warning about it would repeat the first."""
    ws, _kpi, _ = demo
    found = sorted({(p.code, p.location.field) for y in ("2022", "2023", "2024") for p in ws.validate(y)})
    assert found == [
        ("ESG-VAL-002", "TSAL/avg_training_hours/2024"),
        ("ESG-VAL-002", "TSAL/internal_transfer_share/2024"),
        ("ESG-VAL-003", "TSAL/safety_target_zero_fatalities_achieved/2024"),
        ("ESG-VAL-006", "TSAL/rd_expenditure/2023"),              # as entered, and only so
    ]
    # the calculation's one warning is a gap of the source: the Guinea mine's 22,431.32 MWh are
    # published without saying where they come from, so no Scope 2 is counted for them
    calc = sorted({(p.code, p.location.field) for y in ("2022", "2023", "2024") for p in ws.calc(y).problems})
    assert calc == [("ESG-CALC-012", "GNBX/electricity_consumption")]


def test_the_printed_summary_names_each_warning_once_under_a_heading_that_fits(demo):
    """A2-L2: the R&D warning was printed twice in the same words under a heading calling every
    warning a contradiction of the report with itself; a year-on-year jump is not one."""
    printed = PRINTED["en"]
    assert ("validation found 4 warnings (figures of the source report that contradict each other or change "
            "implausibly from the year before, kept as published and flagged):") in printed
    assert printed.count("ESG-VAL-006") == 1
    assert "(TSAL/rd_expenditure/2023): ESG-VAL-006" in printed
