"""A breakdown named in Chinese, in the two styles one function gives (model.errors.name_breakdowns):
with the codes after the names in messages, by the names alone where a reader types it back."""
import pytest

from esgledger.model.errors import dimension_names_zh, name_breakdowns

NAMES = {"gender": ("性别", {"female": "女性", "male": "男性"}),
         "age_band": ("年龄段", {"under_30": "30岁以下"})}


def test_codes_style_names_pairs_and_dimension_lists_with_their_codes():
    assert name_breakdowns("HYJT/employees/2025/gender=female/control", NAMES) == \
        "HYJT/employees/2025/性别=女性（gender=female）/control"
    assert name_breakdowns("gender, age_band", NAMES) == "性别（gender）、年龄段（age_band）"
    # a member it does not know, and a key in brackets (a factor key), stay codes
    assert name_breakdowns("gender=other", NAMES) == "gender=other"
    assert name_breakdowns("employees[gender=female]", NAMES) == "employees[gender=female]"


def test_names_style_is_the_form_a_reader_types_back():
    assert name_breakdowns("gender=female;age_band=under_30", NAMES, "names") == "性别=女性;年龄段=30岁以下"
    assert name_breakdowns("gender, age_band", NAMES, "names") == "性别、年龄段"
    with pytest.raises(ValueError):
        name_breakdowns("gender=female", NAMES, "both")


def test_shipped_names_and_a_librarys_are_the_same_lookup():
    from esgledger.library.loader import load_library

    shipped = dimension_names_zh()
    assert shipped["gender"][0] == "性别" and shipped["gender"][1]["female"] == "女性"
    assert dimension_names_zh(load_library().dimensions)["gender"] == shipped["gender"]
