"""An independent check of the demo group's facts against the reference report.

Reads ``demo/data/facts-*.csv`` with the csv module (not the importer), adds up the plants by
hand, converts units by factors written down here, and compares with the published figures of
shared/seed/kpi-2024.csv; the published ratios are recomputed with Decimal, half-up at the
published decimals. Nothing here runs the ledger engine; expected numbers come from the seed.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path

import pytest
import yaml

from esgledger.library.loader import load_library

ROOT = Path(__file__).parents[2]
SEED = ROOT / "tests" / "data" / "kpi-2024.csv"  # the seed's csv, copied (tests/data/SOURCES.md)
DEMO = ROOT / "src" / "esgledger" / "demo" / "data"
LAYOUT = resources.files("esgledger.library") / "data" / "kpi_layout.yaml"
YEARS = ("2022", "2023", "2024")

# entered unit -> published unit: the factor (exact) — 1 万 = 10^4, 1 亿 = 10^8, 1 m³ = 1000 L
FACTORS = {
    ("万元", "亿元"): Decimal("0.0001"),
    ("吨", "万吨"): Decimal("0.0001"),
    ("万吨", "吨"): Decimal("10000"),
    ("吨/年", "万吨/年"): Decimal("0.0001"),
    ("万千瓦时", "兆瓦时"): Decimal("10"),
    ("万千瓦时", "亿千瓦时"): Decimal("0.0001"),
    ("万立方米", "立方米"): Decimal("10000"),
    ("立方米", "升"): Decimal("1000"),
    ("万元/人", "万元"): Decimal("1"),  # the report prints 万元 for average pay per person
}


# Inputs calibrated inside the published rounding (see the header of facts-2024.csv) so that
# the ratios built on them come out as published; every other figure is reproduced exactly.
CALIBRATED = {"营业收入"}


def half_up(x: Decimal, places: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimals(text: str) -> int:
    return max(0, -Decimal(text).as_tuple().exponent)


def read_facts(year: str) -> list[dict]:
    with (DEMO / f"facts-{year}.csv").open(encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return list(csv.DictReader(lines))


@pytest.fixture(scope="module")
def facts():
    return {y: read_facts(y) for y in YEARS}


@pytest.fixture(scope="module")
def seed():
    with SEED.open(encoding="utf-8") as fh:
        return {r["indicator_zh"]: r for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def lib():
    return load_library()


@pytest.fixture(scope="module")
def rows_by_label(lib):
    layout = yaml.safe_load(LAYOUT.read_text(encoding="utf-8"))
    out = {}
    for sec in layout["sections"]:
        for r in sec["rows"]:
            zh = r["label"]["zh"] if "label" in r else lib[r["indicator"]].name.zh
            out[zh] = r
    return out


DIM_COLUMNS = ("gender", "age_band", "education", "region", "grade", "fuel", "gas", "scope3_category",
               "water_source", "meeting_type", "staff_group", "pollutant", "waste_class", "supplier", "material",
               "transport_mode")


def dims_of(row: dict) -> tuple:
    return tuple(sorted((k, row[k]) for k in DIM_COLUMNS if row.get(k)))


def in_unit(row: dict, unit: str) -> Decimal:
    v = Decimal(row["value"])
    if row["unit"] == unit:
        return v
    return v * FACTORS[(row["unit"], unit)]


class Group:
    """Hand consolidation: a sum indicator adds every entity's fact (all 100 %, controlled)."""

    def __init__(self, rows: list[dict]):
        self.rows = rows
        self.by_key: dict[tuple, list[dict]] = defaultdict(list)
        for r in rows:
            self.by_key[(r["indicator"], dims_of(r))].append(r)

    def total(self, indicator: str, unit: str, dims: tuple = ()) -> Decimal:
        rows = self.by_key[(indicator, dims)]
        assert rows, (indicator, dims)
        return sum((in_unit(r, unit) for r in rows), Decimal(0))

    def at(self, entity: str, indicator: str, unit: str | None, dims: tuple = ()):
        [r] = [r for r in self.by_key[(indicator, dims)] if r["entity"] == entity]
        return r["value"] if unit is None else in_unit(r, unit)


# -- every published figure --------------------------------------------------------------
def test_group_sums_reproduce_every_published_input_figure(lib, facts, seed, rows_by_label):
    differences = []
    checked = 0
    for zh, s in seed.items():
        row = rows_by_label[zh]
        ind = lib[row["indicator"]]
        if ind.kind == "formula":
            continue
        selections = [tuple(sorted((row.get("dims") or {}).items()))]
        if "members" in row:
            (dim, members), = row["members"].items()
            selections = [((dim, m),) for m in members]
        for year in YEARS:
            if not s[year]:
                continue
            g = Group(facts[year])
            for dims in selections:
                if ind.value_type == "category":
                    got = g.at(row.get("entity", "TSAL"), ind.code, None, dims)
                    expected = s[year]
                elif ind.aggregation == "sum":
                    got = g.total(ind.code, s["unit"], dims)
                    expected = Decimal(s[year])
                else:  # not additive: the fact of the entity the row describes
                    got = g.at(row.get("entity", "TSAL"), ind.code, s["unit"], dims)
                    expected = Decimal(s[year])
                checked += 1
                if zh in CALIBRATED:  # equal only as published, at its decimals
                    got = half_up(got, decimals(s[year]))
                if got != expected:
                    differences.append((zh, year, dims, str(got), s[year]))
    assert differences == []
    assert checked >= 170


def test_published_ratios_come_out_of_the_inputs(facts, seed):
    def pct(a, b):
        return a / b * 100

    got = {}
    for year in YEARS:
        g = Group(facts[year])
        revenue = g.at("TSAL", "operating_revenue", "万元")  # entered in 万元
        employees = g.total("employees", "人")
        rd_staff = g.total("rd_staff", "人")
        got[("研发投入占营业收入比例", year)] = pct(g.at("TSAL", "rd_expenditure", "万元"), revenue)
        got[("研发人员占比", year)] = pct(rd_staff, employees)
    g = Group(facts["2024"])
    employees = g.total("employees", "人")
    got.update({
        ("女性员工占比", "2024"): pct(g.total("employees", "人", (("gender", "female"),)), employees),
        ("男性员工占比", "2024"): pct(g.total("employees", "人", (("gender", "male"),)), employees),
        ("少数民族员工比例", "2024"): pct(g.total("minority_employees", "人"), employees),
        ("人均创收", "2024"): g.at("TSAL", "operating_revenue", "万元") / employees,
        ("独立董事占比", "2024"): pct(g.at("TSAL", "independent_directors", "人"), g.at("TSAL", "board_directors", "人")),
        # the two CO2 intensities are computed from activity data by the GHG engine; the KPI
        # test (tests/demo/test_demo_kpi.py) checks them against the seed
        ("管理层接受反贪污培训的平均时长", "2024"):
            g.total("anti_corruption_training_hours", "小时", (("staff_group", "management"),))
            / g.total("anti_corruption_trainees", "人", (("staff_group", "management"),)),
        ("员工接受反贪污培训的平均时长", "2024"):
            g.total("anti_corruption_training_hours", "小时", (("staff_group", "employee"),))
            / g.total("anti_corruption_trainees", "人", (("staff_group", "employee"),)),
    })
    rounded = {k: str(half_up(v, decimals(seed[k[0]][k[1]]))) for k, v in got.items()}
    assert rounded == {k: seed[k[0]][k[1]] for k in got}
    # the revenue that the seed note uses (2808900 = the rounded 280.89 亿元) would not do:
    assert half_up(Decimal(2808900) / 6756, 2) == Decimal("415.76")


def test_as_reported_figures_disagree_with_their_formula_as_in_the_report(facts, seed):
    g = Group(facts["2024"])
    employees = g.total("employees", "人")
    assert g.at("TSAL", "avg_training_hours", "小时/人") == Decimal(seed["每名员工接受培训的平均时长"]["2024"]) == 72
    assert half_up(g.total("training_hours", "小时") / employees, 0) == 77
    assert g.at("TSAL", "internal_transfer_share", "%") == Decimal(seed["员工内部调动或内部应聘的比例"]["2024"]) == 19
    assert half_up(g.total("internal_transfers", "人") / employees * 100, 0) == 20
    assert g.total("work_fatalities", "人") == 1
    assert g.at("TSAL", "safety_target_zero_fatalities_achieved", None) == "yes"


# -- the data is well formed ----------------------------------------------------------------
def test_breakdowns_add_up_at_every_entity(lib, facts):
    wrong = []
    for year, rows in facts.items():
        own = defaultdict(dict)  # (entity, indicator) -> {dims: value}
        for r in rows:
            if lib[r["indicator"]].value_type == "number":
                own[(r["entity"], r["indicator"])][dims_of(r)] = in_unit(r, lib[r["indicator"]].unit)
        for (entity, code), values in own.items():
            ind = lib[code]
            if ind.aggregation != "sum" or not ind.breakdown_sums or () not in values:
                continue
            for dim in ind.dimensions:
                parts = [v for d, v in values.items() if len(d) == 1 and d[0][0] == dim]
                if parts and sum(parts) != values[()]:
                    wrong.append((year, entity, code, dim, sum(parts), values[()]))
    assert wrong == []


def test_rows_fit_the_library_and_the_entity_tree(lib, facts):
    tree = yaml.safe_load((DEMO / "entities.yaml").read_text(encoding="utf-8"))["entities"]
    process = {e["code"]: e["process_type"] for e in tree}
    wrong = []
    for year, rows in facts.items():
        seen = set()
        for r in rows:
            ind = lib.get(r["indicator"])
            key = (r["entity"], r["indicator"], dims_of(r))
            if ind is None or r["entity"] not in process or r["period"] != year or key in seen:
                wrong.append((year, key, "unknown, misplaced or duplicate"))
                continue
            seen.add(key)
            if ind.kind == "formula":
                wrong.append((year, key, "formula indicators are computed, never entered"))
            if ind.process_types and process[r["entity"]] not in ind.process_types:
                wrong.append((year, key, f"not for a {process[r['entity']]}"))
            for k, v in dims_of(r):
                if k not in ind.dimensions or v not in {m.code for m in lib.dimensions[k].members}:
                    wrong.append((year, key, f"dimension {k}={v}"))
            if ind.value_type == "category":
                if r["value"] not in ind.values or r["unit"]:
                    wrong.append((year, key, "category value"))
                continue
            value = in_unit(r, ind.unit)
            if "," in r["value"] or (ind.validation.min is not None and value < Decimal(str(ind.validation.min))):
                wrong.append((year, key, "value"))
            if ind.validation.integer and value != value.to_integral_value():
                wrong.append((year, key, "not a whole number"))
    assert wrong == []


def test_illustrative_years_are_marked(facts):
    """Every 2022/2023 row but the published R&D expenditure and directors' pay says what it is
    (illustrative, split of a published total, calibrated to a published figure: the comment
    convention of report/figure_notes.comment_status); the 2024 rows spread over two or more
    companies are marked split, and the two solved activity rows name the published figure
    they are calibrated to (UAT4 F-M1)."""
    from esgledger.report.figure_notes import comment_status

    published = {"rd_expenditure", "directors_pay"}
    unmarked = [(y, r["entity"], r["indicator"]) for y in ("2022", "2023") for r in facts[y]
                if r["indicator"] not in published and comment_status(r["comment"])[0] is None]
    assert unmarked == []
    assert {comment_status(r["comment"])[0] for r in facts["2022"] if r["indicator"] == "rd_staff"} == {"split"}
    assert {comment_status(r["comment"]) for r in facts["2022"] if r["indicator"] == "employees" and not r["gender"]} \
        == {("calibrated", ("rd_staff_share",))}
    rows24 = facts["2024"]
    # each of the 10 companies' employees (the total 6,756 is published; seed-csv) and its women
    employees = [r for r in rows24 if r["indicator"] == "employees" and (not r["gender"] or r["gender"] == "female")
                 and not any(r[k] for k in ("age_band", "education", "region"))]
    assert len(employees) == 2 * 10 and {comment_status(r["comment"])[0] for r in employees} == {"split"}
    calibrated = sorted((r["entity"], comment_status(r["comment"])[1]) for r in rows24
                        if comment_status(r["comment"])[0] == "calibrated")
    assert calibrated == [("JXTG", ("co2_alumina_production",)), ("TLYX-P1", ("co2_aluminium_production",)),
                          ("TLYX-P1", ("co2_aluminium_production",))]
