"""Two values of one factor for different dimensions, as many of them, that a lookup naming the
dimensions of both cannot choose between are refused when the factor files load
(ESG-FACTOR-014), naming both lines, the dimensions of both and what to add.

A value applies to a query when every dimension it names is the query's, and the lookup keeps
the values naming the most dimensions. ``[material=alumina]`` and ``[supplier=jxtg]`` both name
one: a calculation of alumina bought from jxtg (``scope3.cat1`` is looked up with both) meets
both and could not choose (ESG-FACTOR-010 at calculation time, before this check). A value for
``[material=alumina;supplier=jxtg]`` names two, so it is the one that query takes, and the pair
then loads: alumina from another supplier takes the material's value, jxtg's other materials the
supplier's.
"""
from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from decimal import Decimal

import pytest

from esgledger.library.factor_files import _check_dimension_ties, _check_entity_ties, _check_overlaps
from esgledger.library.factors import (FactorError, FactorLibrary, FactorLookupError, FactorSet, FactorValue,
                                       load_factor_sets)
from esgledger.model.errors import ProblemList
from tests.calc.test_factor_entity_scope_run import FACTS, TREE
from tests.calc.test_factor_entity_ties import refused, set_head, write_set
from tests.conftest import ghg_workspace

DECLARED = '{confidence: S, edition: "2024 declarations", source: "supplier and laboratory declarations"}'


def _value(value: str, dims: str, start: int = 2024, end: int = 2024, entities: str = "") -> str:
    scope = f", entities: [{entities}]" if entities else ""
    return (f"  - {{key: scope3.cat1, dims: {{{dims}}}, value: \"{value}\", unit: tCO2e/t, valid_from: {start}, "
            f"valid_to: {end}{scope}}}\n")


_write = functools.partial(write_set, name="supplier_pcf", defaults=DECLARED)
ALUMINA, JXTG = "material: alumina", "supplier: jxtg"
BOTH = "material: alumina, supplier: jxtg"


def test_values_for_different_dimensions_of_one_count_are_refused_with_both_lines(tmp_path):
    """The values are at lines 6 and 7 (five lines of head); the second is refused, naming the
    first's line, the lookup that meets both and the value to add (for 2024, where both hold)."""
    f = _write(tmp_path / "s.yaml", _value("1.1", ALUMINA), _value("0.97", JXTG, 2023, 2024))
    problems = refused(tmp_path)
    assert [(p.code, p.location.file, p.location.line) for p in problems] == [("ESG-FACTOR-014", str(f), 7)]
    en, zh = problems[0].render("en"), problems[0].render("zh")
    assert en.startswith(f"{f}:7 (scope3.cat1): ESG-FACTOR-014 ")
    assert (f"scope3.cat1[supplier=jxtg] 2023–2024 and scope3.cat1[material=alumina] at {f}:6 name as many "
            f"dimensions, and a lookup of scope3.cat1[material=alumina;supplier=jxtg] matches both") in en
    assert ("add a value for scope3.cat1[material=alumina;supplier=jxtg] valid in 2024, make one of the two "
            "name one more dimension") in en
    assert (f"scope3.cat1[supplier=jxtg] 2023–2024 与 {f}:6 处的 scope3.cat1[material=alumina] 维度个数相同，"
            f"查找 scope3.cat1[material=alumina;supplier=jxtg] 时两者都适用") in zh
    assert "请为 scope3.cat1[material=alumina;supplier=jxtg] 添加一个在 2024 有效的取值" in zh


def test_a_value_for_the_dimensions_of_both_decides_and_the_pair_loads(tmp_path):
    """With jxtg's alumina declared (0.95), each query takes the value naming the most of its
    dimensions: alumina from jxtg 0.95, alumina from hnzl the material's 1.1, jxtg's caustic
    soda the supplier's 0.97."""
    _write(tmp_path / "s.yaml", _value("1.1", ALUMINA), _value("0.97", JXTG), _value("0.95", BOTH))
    lib = load_factor_sets([tmp_path])
    got = [lib.lookup("scope3.cat1", 2024, material=m, supplier=s).value
           for m, s in (("alumina", "jxtg"), ("alumina", "hnzl"), ("caustic_soda", "jxtg"))]
    assert got == [Decimal("0.95"), Decimal("1.1"), Decimal("0.97")]


def test_a_value_for_both_dimensions_for_part_of_the_years_names_the_rest(tmp_path):
    """Both hold 2023–2024; the value for both dimensions covers 2024 only, so in 2023 the query
    still meets both: refused, asking for a value valid in 2023."""
    _write(tmp_path / "s.yaml", _value("1.1", ALUMINA, 2023), _value("0.97", JXTG, 2023), _value("0.95", BOTH))
    problems = refused(tmp_path)
    assert [(p.code, p.location.line) for p in problems] == [("ESG-FACTOR-014", 7)]
    assert "add a value for scope3.cat1[material=alumina;supplier=jxtg] valid in 2023," in problems[0].render("en")


@pytest.mark.parametrize("second", [
    _value("1.3", "material: caustic_soda"),  # another member of the same dimension: never both
    _value("0.97", BOTH),  # more dimensions: the more specific one wins
    _value("0.97", JXTG, 2023, 2023),  # years apart
    _value("0.97", JXTG, entities="TLYX"),  # a value for some entities is nearer than one for every entity
])
def test_values_a_lookup_can_always_choose_between_load(tmp_path, second):
    _write(tmp_path / "s.yaml", _value("1.1", ALUMINA), second)
    assert load_factor_sets([tmp_path]).values("scope3.cat1", "supplier_pcf")[0].value == Decimal("1.1")


def test_values_for_entities_tie_where_both_lists_name_one_and_there_only(tmp_path):
    """[TLYX] and [NJTS, TLYX] tie at TLYX; a value for both dimensions for NJTS does not decide
    there, so the problem names TLYX and asks for a value for TLYX (or every entity)."""
    _write(tmp_path / "s.yaml", _value("1.1", ALUMINA, entities="TLYX"), _value("0.97", JXTG, entities="NJTS, TLYX"),
           _value("0.95", BOTH, entities="NJTS"))
    problems = refused(tmp_path)
    p = problems[0]
    assert [(q.code, q.location.line) for q in problems] == [("ESG-FACTOR-014", 7)]
    assert "a lookup of scope3.cat1[material=alumina;supplier=jxtg] at TLYX matches both" in p.render("en")
    assert "add a value for scope3.cat1[material=alumina;supplier=jxtg] for TLYX (or every entity) valid in 2024" \
        in p.render("en")
    assert "在 TLYX 查找 scope3.cat1[material=alumina;supplier=jxtg] 时两者都适用" in p.render("zh")
    assert "添加一个适用于 TLYX（或所有主体）且在 2024 有效的取值" in p.render("zh")


@pytest.mark.parametrize("priority", [50, 60])
def test_two_sets_at_the_same_priority_tie_and_a_higher_priority_decides(tmp_path, priority):
    """The material's value in one of the workspace's sets and the supplier's in another at
    priority 50 are asked together; at 60 the supplier's set is asked first (0.97)."""
    a = _write(tmp_path / "a.yaml", _value("1.1", ALUMINA), name="own_materials")
    b = _write(tmp_path / "b.yaml", _value("0.97", JXTG), name="supplier_pcf", priority=priority)
    if priority == 60:
        lib = load_factor_sets([tmp_path])
        assert lib.lookup("scope3.cat1", 2024, material="alumina", supplier="jxtg").value == Decimal("0.97")
        return
    problems = refused(tmp_path)
    p = problems[0]
    assert [(q.code, q.location.file, q.location.line) for q in problems] == [("ESG-FACTOR-014", str(b), 6)]
    assert f"at {a}:6 name as many dimensions" in p.render("en") and "give one set a higher priority" in p.render("en")
    assert "或提高其中一个因子集的优先级" in p.render("zh")


def test_the_shipped_library_has_no_such_pair():
    """The shipped sets load, and no two values of one shipped set tie by their dimensions (the
    only key with values of both one and two dimensions, energy.sce, has [carrier] and
    [basis;carrier]: different counts)."""
    lib = load_factor_sets()
    problems = ProblemList()
    _check_dimension_ties(lib.sets, problems)
    assert problems == [] and len(lib.values("energy.sce", "gbt2589")) == 16


def test_the_workspace_refuses_its_factors_before_a_calculation(tmp_path):
    w = ghg_workspace(tmp_path / "ws", TREE, FACTS, files={
        "factors/s.yaml": set_head("supplier_pcf", defaults=DECLARED) + _value("1.1", ALUMINA) + _value("0.97", JXTG)})
    try:
        with pytest.raises(FactorError) as exc:
            w.calc("2024")
        assert [(p.code, p.location.line) for p in exc.value.problems] == [("ESG-FACTOR-014", 7)]
    finally:
        w.close()


# --- exactly the pairs some lookup cannot choose between ------------------------------------------
# A group G over companies S1 and S2, each with a plant; plant P1 under S1, after a sale under S2,
# or held by G directly. Each lookup's chain (the entity, then its parents), and a lookup for no
# entity: the check reads no tree, so it must refuse what ties under any of them.
CHAINS = [("G", ("G",)), ("S1", ("S1", "G")), ("S2", ("S2", "G")), ("P2", ("P2", "S2", "G")),
          ("P1", ("P1", "S1", "G")), ("P1", ("P1", "S2", "G")), ("P1", ("P1", "G")), ("", ())]
H1 = (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
DAYS = (dt.date(2024, 3, 1), dt.date(2024, 9, 1))  # one in each half: every day of 2024 is like one of them
FIRST_DAY = {"2024": DAYS[0], "2024–2024-06-30": DAYS[0], "2024-07-01–2024": DAYS[1]}  # a stretch named: its day
QUERIES = [{k: m for k, m in (("material", mat), ("supplier", sup)) if m}
           for mat in (None, "x", "z") for sup in (None, "y")]


def _values(*specs) -> tuple[FactorValue, ...]:
    return tuple(FactorValue(set_name="t", set_version="1", key="scope3.cat1", dims=d, entities=e, value=Decimal(i + 1),
                             unit="tCO2e/t", source="test", edition="2024", confidence="S", valid_from=vf,
                             valid_to=vt, file="t.yaml", line=i + 1, user=True)
                 for i, (d, e, (vf, vt)) in enumerate(specs))


def _ties(lib: FactorLibrary) -> set[tuple]:
    """(query, entity, day) where a lookup meets two values it cannot choose between, under one
    of the trees at least."""
    out = set()
    for q, (code, chain), day in itertools.product(QUERIES, CHAINS, DAYS):
        try:
            lib.lookup("scope3.cat1", day, entity=chain, **q)
        except FactorLookupError as exc:
            if exc.problem.code == "ESG-FACTOR-010":
                out.add((tuple(sorted(q.items())), code, day))
    return out


def test_exactly_the_pairs_a_lookup_cannot_choose_between_are_refused():
    """Two values of [material=x], [material=z] or [supplier=y], for every entity, [S1], [P1] or
    [S1, S2], for 2024 or its first half (24 values, C(24, 2) = 276 pairs), each with no third
    value or one of [material=x;supplier=y] or [material=z;supplier=y] of those entities and
    validities (16 more): 276 × 17 = 4692 libraries. Leaving out those with a problem of
    ESG-FACTOR-003, 007 or 013 (the same dimensions), a library is refused exactly when some
    lookup of some query on some day at some entity (or none), under one of the trees, meets
    two values — a value for [S1] decides for P1 under S1, not after the sale, and one for
    [S1, S2] not for P1 held by G — and the problem names a tie: the query for the dimensions
    of both, on the first day of the stretch it asks a value for, at the first entity it names
    (or at none). Without a third value, the pairs refused are [material=x] or [material=z] with [supplier=y] (2) whose lists
    tie as ESG-FACTOR-013 says — both for every entity (1), or naming an entity in common: of
    the 3 × 3 ordered pairs of [S1], [P1], [S1, S2], those of [S1] or [S1, S2] with either (4)
    and [P1] with [P1] (1) — for each of the 2 × 2 validities (all overlap): 2 × 6 × 4 = 48.
    The pairs left out: of the C(8, 2) = 28 pairs of each dimension's 8 values, those of one
    list (4: ESG-FACTOR-003) and of [S1] with [S1, S2] (2 × 2: ESG-FACTOR-013), so 3 × 8 = 24;
    (276 − 24) × 17 = 4284 libraries are checked."""
    keys = load_factor_sets().keys
    dims = [(("material", "x"),), (("material", "z"),), (("supplier", "y"),)]
    lists = [(), ("S1",), ("P1",), ("S1", "S2")]
    pairs = [(d, e, v) for d in dims for e in lists for v in (YEAR, H1)]
    thirds = [None] + [(d, e, v) for d in ((("material", "x"), ("supplier", "y")), (("material", "z"), ("supplier", "y")))
                       for e in lists for v in (YEAR, H1)]
    wrong, refused_without_third, libraries = [], 0, 0
    for a, b in itertools.combinations(pairs, 2):
        for c in thirds:
            values = _values(a, b, *([c] if c else []))
            sets = {"t": FactorSet(name="t", version="1", user=True, file="t.yaml", values=values)}
            others = ProblemList()
            _check_overlaps(list(values), others)
            _check_entity_ties(sets, others)
            if others:
                continue
            libraries += 1
            problems = ProblemList()
            _check_dimension_ties(sets, problems)
            ties = _ties(FactorLibrary(sets, keys))
            refused_without_third += bool(problems) and c is None
            if bool(problems) != bool(ties):
                wrong.append((a, b, c, problems, ties))
            elif problems:
                p = problems[0]
                query = tuple(sorted(dict(a[0] + b[0]).items()))
                entity = p.params["entity"].en.removeprefix(" at ").split(", ")[0]
                day = FIRST_DAY[re.search(r"valid in (\S+),", p.render("en")).group(1)]
                if (query, entity, day) not in ties:
                    wrong.append((a, b, c, problems, ties))
    assert wrong == [] and refused_without_third == 48 and libraries == 4284
