"""The report definition: the starting template, placeholders, and every ESG-REPORT problem with
its exact location (file:line and the section id)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esgledger.library.loader import load_library
from esgledger.model.tree import EntityTree
from esgledger.model.types import EntityRecord, Membership
from esgledger.report.definition import (Placeholder, PlaceholderError, load_definition,
                                         parse_placeholder, resolve_year, template_text,
                                         write_starting_definition, check_entities)
from esgledger.report.seed_index import load_seed_index

LIB = load_library()

# A small definition; line numbers matter to the tests below.
SMALL = """\
version: 1
title: {zh: "{{ company }} {{ period }}年报告", en: "{{ company }} {{ period }} report"}
organisation: {zh: 示范铝业, en: Demo Aluminium}
period: 2024
comparison_years: [2022, 2023]
chapters:
  - id: env
    title: {zh: 环境, en: Environment}
    sections:
      - id: env.carbon
        title: {zh: 碳排放管理, en: Carbon}
        narrative:
          zh: |
            第一段。

            {{ fact co2_aluminium_production P }}
          en: |
            First paragraph.

            {{ fact co2_aluminium_production P }}
        indicators: [co2_aluminium_production]
        refs: {szse17: [26], gri: [305-5]}
"""


def load(text: str):
    return load_definition(text=text, library=LIB, name="report.yaml")


def replace_line(text: str, line: int, new: str) -> str:
    lines = text.splitlines()
    lines[line - 1] = new
    return "\n".join(lines) + "\n"


def test_the_small_definition_loads():
    defn, problems = load(SMALL)
    assert problems.flat() == []
    m = defn.model
    assert (m.period, m.years(), m.years(2025), m.guideline, m.languages) == (
        2024, [2022, 2023, 2024], [2023, 2024, 2025], "szse17", ["zh", "en"])
    assert [(n.id, d) for n, d, _p in m.walk()] == [("env", 1), ("env.carbon", 2)]
    # the narrative's text starts on the line after "zh: |"; line 16 holds the placeholder
    assert str(defn.location("env.carbon", "narrative", "zh", 2)) == "report.yaml:16 (env.carbon)"


def test_the_starting_template_loads_and_has_every_section_of_the_seed_index():
    defn, problems = load(template_text())
    assert problems.flat() == []
    leaves = [n.title.zh for n, _d, _p in defn.model.walk() if not n.sections]
    assert set(load_seed_index()) - set(leaves) == set()
    parts = [n.title.zh for n in defn.model.chapters]
    assert parts == ["关于本报告", "董事长致辞", "走进天山铝业", "可持续治理篇", "环境保护篇", "产业价值篇",
                     "美好生活篇", "附录"]


def test_report_init_shifts_the_period(tmp_path):
    path = write_starting_definition(tmp_path / "report.yaml", 2025)
    defn, problems = load_definition(path, LIB)
    assert problems.flat() == [] and defn.model.years() == [2023, 2024, 2025]


# --- placeholders -----------------------------------------------------------------------------

@pytest.mark.parametrize("inner, expected", [
    (" fact scope1_emissions 2024 ", Placeholder("fact", "scope1_emissions", ("2024",))),
    ("fact employees", Placeholder("fact", "employees", ("P",))),
    ("fact employees P-1 gender=female unit=no precision=1",
     Placeholder("fact", "employees", ("P-1",), None, (("gender", "female"),), False, 1)),
    ("fact aluminium_output P entity=TLYX", Placeholder("fact", "aluminium_output", ("P",), "TLYX")),
    ("change co2_per_tonne_aluminium P-1 P", Placeholder("change", "co2_per_tonne_aluminium", ("P-1", "P"))),
    ("period", Placeholder("period")),
    ("company", Placeholder("company")),
])
def test_placeholders_parse(inner, expected):
    assert parse_placeholder(inner) == expected


@pytest.mark.parametrize("inner", ["", "fact", "fact 2024", "fact x 24", "fact x P+1", "sum x P",
                                   "change x P", "fact x P unit=maybe", "fact x P precision=9",
                                   "period 2024", "fact X P", "fact x P =y"])
def test_bad_placeholders_raise(inner):
    with pytest.raises(PlaceholderError):
        parse_placeholder(inner)


@given(st.text(max_size=60))
def test_any_text_either_parses_or_raises_a_placeholder_error(text):
    try:
        ph = parse_placeholder(text)
    except PlaceholderError:
        return
    assert ph.kind in ("fact", "change", "period", "company")


def test_year_tokens():
    assert [resolve_year(t, 2024) for t in ("P", "P-1", "P-12", "2021")] == [2024, 2023, 2012, 2021]


# --- every problem code with its location -------------------------------------------------------

def test_bad_placeholder_is_esg_report_001_at_its_line():
    text = SMALL.replace("{{ fact co2_aluminium_production P }}\n          en:",
                         "{{ fact }}\n          en:", 1)
    defn, problems = load(text)
    assert defn is None
    assert problems.flat() == [("report.yaml:16 (env.carbon)", "ESG-REPORT-001")]


def test_unclosed_placeholder_is_esg_report_001():
    text = replace_line(SMALL, 14, "            第一段 {{ fact co2_aluminium_production P。")
    _defn, problems = load(text)
    assert problems.flat() == [("report.yaml:14 (env.carbon)", "ESG-REPORT-001")]


def test_unknown_indicator_in_a_placeholder_is_esg_report_002():
    text = replace_line(SMALL, 20, "            {{ fact no_such_indicator P }}")
    _defn, problems = load(text)
    assert problems.flat() == [("report.yaml:20 (env.carbon)", "ESG-REPORT-002")]
    assert "no_such_indicator" in problems[0].message("en")


def test_bad_field_is_esg_report_003_at_its_line():
    text = SMALL.replace("comparison_years: [2022, 2023]", "comparison_years: [2022, 2023]\nguideline: nyse")
    _defn, problems = load(text)
    assert problems.flat() == [("report.yaml:6 (guideline)", "ESG-REPORT-003")]


def test_unknown_indicator_of_a_section_and_duplicate_ids_are_esg_report_003():
    text = replace_line(SMALL, 21, "        indicators: [co2_aluminium_production, no_such]")
    text = text.replace("      - id: env.carbon", "      - id: env", 1)
    _defn, problems = load(text)
    assert problems.flat() == [("report.yaml:10 (env)", "ESG-REPORT-003"),
                               ("report.yaml:21 (env)", "ESG-REPORT-003")]


def test_comparison_years_after_the_period_are_esg_report_003():
    _defn, problems = load(SMALL.replace("[2022, 2023]", "[2023, 2025]"))
    assert problems.flat() == [("report.yaml:5 (comparison_years)", "ESG-REPORT-003")]


def test_unreadable_definition_is_esg_report_004(tmp_path):
    _defn, problems = load(SMALL.replace("period: 2024", "period: [2024"))
    assert [code for _loc, code in problems.flat()] == ["ESG-REPORT-004"]
    assert problems[0].location.file == "report.yaml" and problems[0].location.line is not None
    _defn, problems = load_definition(tmp_path / "missing.yaml", LIB)
    assert problems.flat() == [("missing.yaml", "ESG-REPORT-004")]


def test_unknown_framework_code_is_esg_report_005():
    text = replace_line(SMALL, 22, "        refs: {szse17: [26, 99], gri: [305-5, 999-9], cass: [E1.1.7, X9]}")
    _defn, problems = load(text)
    assert problems.flat() == [("report.yaml:22 (env.carbon)", "ESG-REPORT-005")] * 3
    assert [p.params["found"] for p in problems] == ["99", "999-9", "X9"]


def test_unknown_dimension_member_is_esg_report_006():
    text = replace_line(SMALL, 16, "            {{ fact employees P gender=robot }}")
    _defn, problems = load(text)
    assert problems.flat() == [("report.yaml:16 (env.carbon)", "ESG-REPORT-006")]


def test_unknown_entity_is_esg_report_006():
    text = replace_line(SMALL, 16, "            {{ fact aluminium_output P entity=NOPE }}")
    defn, problems = load(text)
    assert problems.flat() == []
    tree, _ = EntityTree.build([EntityRecord("G", "集团", "Group", "group", "holding", None, None, {})],
                               [Membership("G", None, Decimal(100), True, dt.date(2000, 1, 1), None)])
    assert check_entities(defn, tree).flat() == [("report.yaml:16 (env.carbon)", "ESG-REPORT-006")]
