"""A malformed library file is reported with file and line, and nothing is half-loaded."""
import shutil
from importlib import resources
from pathlib import Path

import pytest

from esgledger.library.loader import LibraryError, load_library, load_library_from

SHIPPED = Path(str(resources.files("esgledger.library").joinpath("data")))
OK = """indicators:
  - code: t_a
    name: {zh: 甲, en: A}
    dimension: E
    topic: energy
    unit: 吨
"""


@pytest.fixture
def root(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(SHIPPED, dst)
    for p in (dst / "indicators").glob("*.yaml"):
        p.unlink()
    (dst / "rules.yaml").write_text("rules: []\n", encoding="utf-8")
    return dst


def load(root, text, name="99_test.yaml"):
    (root / "indicators" / name).write_text(text, encoding="utf-8")
    lib, problems = load_library_from(root)
    return lib, problems.flat()


def test_a_good_file_loads(root):
    lib, flat = load(root, OK)
    assert flat == [] and list(lib.indicators) == ["t_a"]


def test_a_stock_at_the_period_end_loads(root):
    lib, flat = load(root, OK + "    measured_at: period_end\n")
    assert flat == [] and lib["t_a"].measured_at == "period_end"
    lib, flat = load(root, OK)
    assert lib["t_a"].measured_at == "period"  # a flow over the period unless said otherwise


CASES = [
    ("yaml syntax", "indicators:\n  - code: [unclosed\n", [("indicators/99_test.yaml:3", "ESG-LIB-001")]),
    ("not a list", "indicators: 5\n", [("indicators/99_test.yaml:1", "ESG-LIB-001")]),
    ("bad field", OK.replace("dimension: E", "dimension: X"),
     [("indicators/99_test.yaml:2 (t_a)", "ESG-LIB-002")]),
    ("unknown topic", OK.replace("topic: energy", "topic: nowhere"),
     [("indicators/99_test.yaml:2 (t_a)", "ESG-LIB-002")]),
    ("measured_at not a moment", OK + "    measured_at: year_start\n",
     [("indicators/99_test.yaml:2 (t_a)", "ESG-LIB-002")]),
    # a formula is recomputed from its inputs at each node: only an input is measured at a date
    ("measured_at on a formula", OK + "  - {code: t_b, name: {zh: 乙, en: B}, dimension: E, topic: energy, unit: 吨, "
     "kind: formula, formula: 't_a * 2', aggregation: recompute, measured_at: period_end}\n",
     [("indicators/99_test.yaml:7 (t_b)", "ESG-LIB-002")]),
    ("duplicate", OK + OK.replace("indicators:\n", ""), [("indicators/99_test.yaml:7", "ESG-LIB-003")]),
    ("unknown GRI code", OK + "    frameworks: {gri: ['999-9']}\n", [("indicators/99_test.yaml:2 (t_a)", "ESG-LIB-004")]),
    ("unknown SZSE article", OK + "    frameworks: {szse17: [99]}\n", [("indicators/99_test.yaml:2 (t_a)", "ESG-LIB-004")]),
    ("formula syntax", OK + "  - {code: t_b, name: {zh: 乙, en: B}, dimension: E, topic: energy, unit: 吨, kind: formula, formula: 't_a *'}\n",
     [("indicators/99_test.yaml:7 (t_b)", "ESG-LIB-005")]),
    ("formula unknown ref", OK + "  - {code: t_b, name: {zh: 乙, en: B}, dimension: E, topic: energy, unit: 吨, kind: formula, formula: 't_a + t_z'}\n",
     [("indicators/99_test.yaml:7 (t_b)", "ESG-LIB-006")]),
    ("formula unit mismatch", OK + "  - {code: t_b, name: {zh: 乙, en: B}, dimension: E, topic: energy, unit: 人, kind: formula, formula: 't_a * 2'}\n",
     [("indicators/99_test.yaml:7 (t_b)", "ESG-LIB-007")]),
    # the raw numbers of a sum are added as they are: 万吨 + 吨 would be a wrong number, not a
    # conversion, so a formula must add terms in one unit
    ("sum of terms in different units", OK
     + "  - {code: t_b, name: {zh: 乙, en: B}, dimension: E, topic: energy, unit: 万吨}\n"
     + "  - {code: t_c, name: {zh: 丙, en: C}, dimension: E, topic: energy, unit: 吨, kind: formula, formula: 't_a + t_b'}\n",
     [("indicators/99_test.yaml:8 (t_c)", "ESG-LIB-007")]),
    ("unknown unit", OK.replace("unit: 吨", "unit: 斤斤"), [("indicators/99_test.yaml:2 (t_a)", "ESG-LIB-008")]),
    ("formula cycle", OK
     + "  - {code: t_b, name: {zh: 乙, en: B}, dimension: E, topic: energy, unit: 吨, kind: formula, formula: 't_c'}\n"
     + "  - {code: t_c, name: {zh: 丙, en: C}, dimension: E, topic: energy, unit: 吨, kind: formula, formula: 't_b'}\n",
     [("indicators/99_test.yaml:8 (t_c)", "ESG-LIB-009")]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_library_errors(root, text, expected):
    lib, flat = load(root, text)
    assert lib is None
    assert flat == expected


def test_a_rule_naming_an_unknown_indicator(root):
    (root / "rules.yaml").write_text(
        "rules:\n  - {code: ESG-VAL-003, target: t_a, indicator: t_nope, op: eq, expect: '0'}\n", encoding="utf-8")
    lib, flat = load(root, OK)
    assert flat == [("rules.yaml:2", "ESG-LIB-006")]


def test_a_workspace_library_error_stops_loading(tmp_path):
    (tmp_path / "x.yaml").write_text(OK.replace("unit: 吨", "unit: 斤斤"), encoding="utf-8")
    with pytest.raises(LibraryError) as exc:
        load_library([tmp_path])
    assert exc.value.problems.flat() == [(f"{tmp_path / 'x.yaml'}:2 (t_a)", "ESG-LIB-008")]


# a workspace's own dimensions.yaml: members added to a shipped dimension, or a new dimension
def _with_dims(root, tmp_path, dims_text):
    user = tmp_path / "user"
    user.mkdir()
    (user / "dimensions.yaml").write_text(dims_text, encoding="utf-8")
    (root / "indicators" / "99_test.yaml").write_text(OK + "    dimensions: [vendor, shift]\n", encoding="utf-8")
    lib, problems = load_library_from(root, [user])
    return lib, problems.flat(), user / "dimensions.yaml"


def test_workspace_dimensions_add_members_and_new_dimensions(root, tmp_path):
    lib, flat, _f = _with_dims(root, tmp_path, """dimensions:
  - code: vendor
    members:
      - {code: jxtg, name: {zh: 靖西天桂, en: Jingxi Tiangui}}
  - code: shift
    name: {zh: 班次, en: Shift}
    members:
      - {code: day, name: {zh: 白班, en: Day}}
""")
    assert flat == []
    assert [m.code for m in lib.dimensions["vendor"].members] == ["jxtg"]
    assert lib.dimensions["vendor"].name.zh == "材料供应商"  # the shipped name stays
    assert lib.resolve_member("vendor", "靖西天桂") == "jxtg"
    assert lib.resolve_member("shift", "Day") == "day"


def test_workspace_dimension_member_twice(root, tmp_path):
    lib, flat, f = _with_dims(root, tmp_path, """dimensions:
  - code: vendor
    members:
      - {code: jxtg, name: {zh: 靖西天桂, en: Jingxi Tiangui}}
      - {code: jxtg, name: {zh: 又一个, en: Again}}
  - code: shift
    name: {zh: 班次, en: Shift}
    members: []
""")
    assert lib is None and flat == [(f"{f}:2 (vendor)", "ESG-LIB-003")]


def test_workspace_new_dimension_needs_a_name(root, tmp_path):
    lib, flat, f = _with_dims(root, tmp_path, """dimensions:
  - code: shift
    members: []
""")
    # reported once, at the dimension: the indicator broken down by it is not "over an unknown
    # dimension" as well (audit A2-L5)
    assert lib is None and flat == [(f"{f}:2 (shift)", "ESG-LIB-002")]


def test_a_suppliers_materials_must_be_materials_and_only_suppliers_have_them(root, tmp_path):
    """A member's ``within`` (the materials a supplier sells) names members of ``material``,
    and only a member of a dimension reported within another has one: each mistake is
    ESG-LIB-002 at the member's own line."""
    lib, flat, f = _with_dims(root, tmp_path, """dimensions:
  - code: vendor
    members:
      - {code: jxtg, name: {zh: 靖西天桂, en: Jingxi Tiangui}, within: [alumina]}
      - {code: hnzl, name: {zh: 河南中铝, en: Henan refinery}, within: [alumina, bauxit]}
  - code: shift
    name: {zh: 班次, en: Shift}
    members:
      - {code: night, name: {zh: 夜班, en: Night}, within: [alumina]}
""")
    assert lib is None and flat == [(f"{f}:5 (vendor=hnzl)", "ESG-LIB-002"), (f"{f}:9 (shift=night)", "ESG-LIB-002")]
    _lib, problems = load_library_from(root, [tmp_path / "user"])
    assert "bauxit" in problems.errors[0].message("en") and "bauxite" in problems.errors[0].message("en")
    assert "material" in problems.errors[0].message("zh")


@pytest.mark.parametrize("within", ["nowhere", "vendor", "chain"])
def test_a_dimension_within_an_unknown_one_itself_or_a_nested_one_is_refused(root, within):
    """``within`` must name another dimension of dimensions.yaml that is not itself within one
    (vendor is within material; one level, so no cycle and no chain loses its rows)."""
    path = root / "dimensions.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("within: material") == 1
    if within == "chain":  # vendor within material within transport_mode
        new = text.replace("  - code: material\n", "  - code: material\n    within: transport_mode\n")
    else:
        new = text.replace("within: material", f"within: {within}")
    path.write_text(new, encoding="utf-8")
    line = next(i for i, s in enumerate(new.splitlines(), 1) if s.strip() == "- code: vendor")
    lib, flat = load(root, OK)
    assert lib is None and flat == [(f"dimensions.yaml:{line} (vendor)", "ESG-LIB-002")]


def test_a_workspace_library_edited_while_a_process_runs_is_loaded_again(tmp_path):
    """load_library keeps one library per content of the workspace's files: the same files
    give the same object (the calculation's kept state relies on it), an edited file a new one."""
    user = tmp_path / "library"
    user.mkdir()
    dims = user / "dimensions.yaml"
    dims.write_text("dimensions:\n  - code: vendor\n    members:\n"
                    "      - {code: jxtg, name: {zh: 靖西天桂, en: Jingxi Tiangui}}\n", encoding="utf-8")
    first = load_library([user])
    assert load_library([user]) is first
    dims.write_text(dims.read_text(encoding="utf-8") + "      - {code: hnzl, name: {zh: 河南中铝, en: Henan refinery}}\n",
                    encoding="utf-8")
    second = load_library([user])
    assert second is not first
    assert [m.code for m in second.dimensions["vendor"].members] == ["jxtg", "hnzl"]
    assert [m.code for m in first.dimensions["vendor"].members] == ["jxtg"]


def test_members_name_a_dimension_it_takes_and_members_of_it(root):
    """An indicator's ``members`` (the only members it is broken down by) names a dimension it
    takes and members of that dimension; ``levels`` are entity levels (ESG-LIB-002)."""
    good = OK + "    dimensions: [fuel]\n    members: {fuel: [raw_coal, coke]}\n    levels: [company, site]\n"
    lib, flat = load(root, good)
    assert flat == [] and [m.code for m in lib.members_of("t_a", "fuel")] == ["raw_coal", "coke"]
    assert lib.levels_of("t_a") == ("company", "site")
    _, flat = load(root, OK + "    dimensions: [fuel]\n    members: {fuel: [raw_coal, anthracitee]}\n")
    assert flat == [("indicators/99_test.yaml:2 (t_a)", "ESG-LIB-002")]
    _, flat = load(root, OK + "    members: {gender: [female]}\n")
    assert [c for _w, c in flat] == ["ESG-LIB-002"]
    _, flat = load(root, OK + "    levels: [plant]\n")
    assert [c for _w, c in flat] == ["ESG-LIB-002"]


def test_an_indicator_without_levels_takes_its_topics():
    lib = load_library()
    assert lib.levels_of("board_meetings") == ("group", "company")         # corporate_governance
    assert lib.levels_of("party_members") == ("group", "company", "site")  # party_building
    assert lib.levels_of("party_committees") == ("group", "company")       # its own
    assert lib.levels_of("aluminium_output") == ()                          # every level


@pytest.mark.parametrize("name", ["dimensions.yaml", "rules.yaml", "mine.yaml"])
def test_a_workspace_library_file_saved_as_gbk_is_named_not_a_traceback(root, tmp_path, name):
    # Notepad/WPS on a Chinese Windows saves GBK: 靖 is 0xbe 0xb8 in GBK, not UTF-8. Line 4 reads
    # '      - {code: jxtg, name: {zh: 靖…' and 靖 is its 33rd character (6 spaces + 26).
    user = tmp_path / "user"
    user.mkdir()
    text = ("dimensions:\n  - code: vendor\n    members:\n"
            "      - {code: jxtg, name: {zh: 靖西天桂, en: Jingxi Tiangui}}\n")
    (user / name).write_bytes(text.encode("gbk"))
    lib, problems = load_library_from(root, [user])
    assert lib is None and problems.flat() == [(f"{user / name}:4", "ESG-LIB-001")]
    assert "byte 0xbe at line 4, column 33" in problems[0].render("en")
    assert "UTF-8" in problems[0].render("en") and "GBK" in problems[0].render("en")
    assert "第 4 行第 33 列的字节 0xbe" in problems[0].render("zh") and "另存为 UTF-8" in problems[0].render("zh")


# One mistake, one error (audit A2-L5): what names a malformed entry is not reported again.
FORMULA_OVER_T_A = "  - {code: t_b, name: {zh: 乙, en: B}, dimension: E, topic: energy, unit: 吨, kind: formula, formula: 't_a * 2'}\n"


@pytest.mark.parametrize("mistake,expected", [
    # t_a does not load (dimension X): t_b's formula over it is not "an unknown indicator" too
    (OK.replace("dimension: E", "dimension: X"), [("indicators/99_test.yaml:2 (t_a)", "ESG-LIB-002")]),
    # t_a loads with a unit nobody knows: t_b's formula is not "in the wrong unit" too
    (OK.replace("unit: 吨", "unit: 斤斤"), [("indicators/99_test.yaml:2 (t_a)", "ESG-LIB-008")]),
], ids=["malformed indicator", "unknown unit"])
def test_a_formula_over_a_broken_indicator_adds_no_error(root, mistake, expected):
    lib, flat = load(root, mistake + FORMULA_OVER_T_A)
    assert lib is None and flat == expected


def test_an_indicator_over_a_malformed_workspace_dimension_adds_no_error(root, tmp_path):
    """A workspace dimension without a name is reported at itself, not again at every
    indicator broken down by it; a formula over an unknown indicator still is reported."""
    user = tmp_path / "user"
    user.mkdir()
    (user / "dimensions.yaml").write_text(
        "dimensions:\n  - code: shift\n    members:\n      - {code: day, name: {zh: 白班, en: Day}}\n", encoding="utf-8")
    (user / "ind.yaml").write_text(OK.replace("unit: 吨", "unit: 吨\n    dimensions: [shift]")
                                   + FORMULA_OVER_T_A.replace("t_a * 2", "t_a + t_zz"), encoding="utf-8")
    lib, problems = load_library_from(root, [user])
    flat = problems.flat()
    assert lib is None
    assert [c for _, c in flat] == ["ESG-LIB-002", "ESG-LIB-006"], flat
    assert flat[0][0].startswith(str(user / "dimensions.yaml")) and "(shift)" in flat[0][0]
    assert "(t_b)" in flat[1][0]
