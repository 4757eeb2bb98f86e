"""Import messages that say what was meant: the nearest entity or indicator to a mistyped one
(by code or by name, as the command-line options already did), and a value's range as a user
writes it (UAT 9, 10: '[0.0, ∞] 人' and no hint for TLXY or 员工人数)."""
from __future__ import annotations

from tests.conftest import write


def test_a_mistyped_entity_or_indicator_gets_the_nearest_codes(sqlite_workspace, tmp_path):
    ws = sqlite_workspace
    rep = ws.import_facts(write(tmp_path / "f.csv", "entity,indicator,period,value,unit\n"
                                                    "TLXY,employees,2024,10,人\n"
                                                    "TLYX,员工人数,2024,10,人\n"
                                                    "TLYX,qqqqqqqq,2024,10,人\n"))
    e003, e004, far = rep.problems.errors
    assert e003.code == "ESG-IMPORT-003" and e003.message("en").endswith("; did you mean TLYX?")
    assert e003.message("zh").endswith("，是否为 TLYX？")
    # 员工人数 is close to the name of employees (员工总人数)
    assert e004.code == "ESG-IMPORT-004" and "did you mean employees" in e004.message("en")
    assert far.message("en") == "unknown indicator: indicator qqqqqqqq is not in the indicator library"


def test_a_value_out_of_its_range_says_the_range_as_a_user_writes_it(sqlite_workspace, tmp_path):
    ws = sqlite_workspace
    rep = ws.import_facts(write(tmp_path / "f.csv", "entity,indicator,period,value,unit\n"
                                                    "TLYX,employees,2024,-5,人\n"
                                                    "TLYX,employees,2024,1.5,人\n"))
    neg, frac = rep.problems.errors
    assert neg.params["expected"].en == "a whole number ≥ 0 persons"
    assert neg.params["expected"].zh == "≥ 0 人的整数"
    assert frac.params["expected"].en == "a whole number"


def test_a_decimal_comma_is_not_a_thousands_separator(sqlite_workspace, tmp_path):
    """'1,5' was read as 15 and '1.234,5' as 1.2345, without a word (UAT re-check): a comma is
    a thousands separator only in groups of three digits; anything else is not a number."""
    ws = sqlite_workspace
    rep = ws.import_facts(write(tmp_path / "f.csv", "entity,indicator,period,value,unit\n"
                                                    'TLYX,diesel_consumption,2024,"1,5",升\n'
                                                    'TLYX,diesel_consumption,2023,"1.234,5",升\n'
                                                    'TLYX,diesel_consumption,2022,"12,345,678.5",升\n'))
    assert [(p.code, p.location.line) for p in rep.problems.errors] == [("ESG-IMPORT-006", 2),
                                                                       ("ESG-IMPORT-006", 3)]
    ok = ws.import_facts(write(tmp_path / "g.csv", "entity,indicator,period,value,unit\n"
                                                   'TLYX,diesel_consumption,2022,"12,345,678.5",升\n'))
    assert ok.ok and [f.value for f in ws.store.current_facts(entity="TLYX", indicator="diesel_consumption")] == [
        "12345678.5"]


def test_a_workbook_cell_with_a_decimal_comma_is_not_a_number():
    from esgledger.collect.submission import number_text

    assert [number_text(v) for v in ("58,9", "1,5", "1,234", "1,234.5", " 12 ")] == [None, None, "1234", "1234.5", "12"]
    # a first group starting with 0 is a decimal comma, never thousands (UAT: 0,030 was stored as 30)
    assert [number_text(v) for v in ("0,030", "0,045", "-0,5", "012,345")] == [None, None, None, None]


def test_a_decimal_comma_after_a_zero_is_not_a_number_either(sqlite_workspace, tmp_path):
    """'0,045' anode-effect minutes were stored as 45 (UAT, 2026-11-25): three digits after
    the comma looked like a thousands group. Nothing lands; the row's value is the error."""
    ws = sqlite_workspace
    rep = ws.import_facts(write(tmp_path / "f.csv", "entity,indicator,period,value,unit\n"
                                                    'TLYX-P1,anode_effect_minutes,2023,"0,045",AE-min/cell-day\n'))
    assert [(p.code, p.location.line, p.location.column) for p in rep.problems.errors] == [
        ("ESG-IMPORT-006", 2, "value")]
    assert not rep.written and ws.store.count_facts() == 0
