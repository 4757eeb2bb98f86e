"""Two values of one factor for entity lists that name an entity in common are refused when the
factor files load (ESG-FACTOR-013), naming both lines and the entity where they tie.

A lookup at an entity walks its chain (itself, then its parents) and takes the value for the
nearest entity. ``[TLYX]`` and ``[NJTS, TLYX]`` are both for TLYX itself: a lookup at TLYX (or at
a potline under it) meets both at the same nearness and could not choose (ESG-FACTOR-010 at
calculation time, before this check). ``[TLYX]`` and ``[TLYX-P1]`` never tie: at the potline the
potline's value is nearer, elsewhere under Tianlu only Tianlu's applies.
"""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from esgledger.library.factor_files import _check_entity_ties
from esgledger.library.factors import (FactorError, FactorLibrary, FactorLookupError, FactorSet, FactorValue,
                                       load_factor_sets)
from esgledger.model.errors import ProblemList
from tests.calc.test_factor_entity_scope_run import FACTS, TREE
from tests.conftest import ghg_workspace

LAB = '{confidence: V, edition: "2024 laboratory reports", source: "Tianlu anode laboratory"}'


def set_head(name: str, priority: int = 50, defaults: str = LAB) -> str:
    """A factor set file's first five lines: its values start at line 6."""
    return f'set: {name}\nversion: "2024.1"\npriority: {priority}\ndefaults: {defaults}\nfactors:\n'


def _value(value: str, entities: str, start: int = 2024, end: int = 2024) -> str:
    return (f"  - {{key: al.anode.nac, value: \"{value}\", unit: tC/t, valid_from: {start}, valid_to: {end}, "
            f"entities: [{entities}]}}\n")


def write_set(path, *values: str, name: str = "tianlu_measured", priority: int = 50, defaults: str = LAB):
    path.write_text(set_head(name, priority, defaults) + "".join(values), encoding="utf-8")
    return path


def refused(*dirs) -> list:
    """The problems for which the factor files of the workspace's folders ``dirs`` are refused."""
    with pytest.raises(FactorError) as exc:
        load_factor_sets(list(dirs))
    return exc.value.problems


def test_lists_naming_an_entity_in_common_are_refused_with_both_lines_and_the_entity(tmp_path):
    """The values are at lines 6 and 7 (five lines of head); the second is refused, naming the
    first's line and TLYX, the entity both lists name."""
    f = write_set(tmp_path / "m.yaml", _value("0.395", "TLYX"), _value("0.401", "TLYX, NJTS"))
    problems = refused(tmp_path)
    assert [(p.code, p.location.line, p.params["entity"]) for p in problems] == [("ESG-FACTOR-013", 7, "TLYX")]
    en, zh = problems[0].render("en"), problems[0].render("zh")
    assert en.startswith(f"{f}:7 (al.anode.nac): ESG-FACTOR-013 ")
    assert f"al.anode.nac{{NJTS,TLYX}} 2024 and al.anode.nac{{TLYX}} at {f}:6 are both for TLYX" in en
    assert "name TLYX in one of the two lists only, or make the validities not overlap" in en
    assert f"与 {f}:6 处的 al.anode.nac{{TLYX}} 都适用于 TLYX" in zh and "请只在其中一个取值的 entities 中列出 TLYX" in zh


def test_lists_naming_an_entity_and_one_under_it_load_and_the_nearer_wins(tmp_path):
    """[TLYX] and [TLYX-P1, NJTS] share no entity: at potline 1 its own value is nearer (0.401),
    at potline 2 only Tianlu's applies (0.395), at Nanjiang only the second (0.401)."""
    write_set(tmp_path / "m.yaml", _value("0.395", "TLYX"), _value("0.401", "TLYX-P1, NJTS"))
    lib = load_factor_sets([tmp_path])
    got = [lib.lookup("al.anode.nac", 2024, entity=chain).value
           for chain in (("TLYX-P1", "TLYX", "TSAL"), ("TLYX-P2", "TLYX", "TSAL"), ("NJTS", "TSAL"))]
    assert got == [Decimal("0.401"), Decimal("0.395"), Decimal("0.401")]


def test_the_same_lists_for_years_apart_load(tmp_path):
    """[TLYX] for 2023 and [TLYX, NJTS] for 2024 never apply together: Tianlu reads 0.395 in 2023
    and 0.401 in 2024."""
    write_set(tmp_path / "m.yaml", _value("0.395", "TLYX", 2023, 2023), _value("0.401", "TLYX, NJTS"))
    lib = load_factor_sets([tmp_path])
    at = ("TLYX-P1", "TLYX", "TSAL")
    assert [lib.lookup("al.anode.nac", y, entity=at).value for y in (2023, 2024)] == [Decimal("0.395"),
                                                                                   Decimal("0.401")]


@pytest.mark.parametrize("priority", [50, 60])
def test_two_sets_at_the_same_priority_tie_and_a_higher_priority_decides(tmp_path, priority):
    """Two of the workspace's sets at priority 50 are asked together, so [TLYX] in one and
    [NJTS, TLYX] in the other tie at TLYX; at 60 the second set is asked first and its value
    applies at Tianlu (0.401)."""
    a = write_set(tmp_path / "a.yaml", _value("0.395", "TLYX"), name="tianlu_lab")
    b = write_set(tmp_path / "b.yaml", _value("0.401", "NJTS, TLYX"), name="group_lab", priority=priority)
    if priority == 60:
        assert load_factor_sets([tmp_path]).lookup("al.anode.nac", 2024, entity=("TLYX",)).value == Decimal("0.401")
        return
    problems = refused(tmp_path)
    p = problems[0]
    assert [(q.code, q.location.file, q.location.line) for q in problems] == [("ESG-FACTOR-013", str(b), 6)]
    assert f"at {a}:6 are both for TLYX" in p.render("en") and "give one set a higher priority" in p.render("en")
    assert "或提高其中一个因子集的优先级" in p.render("zh")


# --- exactly the pairs some lookup cannot choose between, whatever the tree's date ----------------
# A group G with two companies S1, S2, each with one plant; on 1 July plant P1 moves from S1 to S2.
# Each entity's chain (itself, then its parents) before and after the move:
CHAINS_BEFORE = {"G": ("G",), "S1": ("S1", "G"), "P1": ("P1", "S1", "G"), "S2": ("S2", "G"), "P2": ("P2", "S2", "G")}
CHAINS_AFTER = {**CHAINS_BEFORE, "P1": ("P1", "S2", "G")}


def _ties(lib: FactorLibrary, chains: dict[str, tuple[str, ...]]) -> set[str]:
    """The entities at which a lookup meets two values at the same nearness (ESG-FACTOR-010)."""
    out = set()
    for code, chain in chains.items():
        try:
            lib.lookup("al.anode.nac", 2024, entity=chain)
        except FactorLookupError as exc:
            if exc.problem.code == "ESG-FACTOR-010":
                out.add(code)
    return out


def test_exactly_the_pairs_a_lookup_cannot_choose_between_are_refused_under_either_tree():
    """Every pair of different non-empty lists of the five entities: 31 lists, C(31, 2) = 465
    pairs. Of ordered pairs of disjoint non-empty lists there are 3^5 − 2·2^5 + 1 = 180 (each
    entity in the first, the second or neither, less the pairs with an empty list), so 90
    unordered ones, and 465 − 90 = 375 pairs share an entity. Those and only those are refused;
    each is a tie for some lookup under the tree before the move and under the tree after it,
    and the entities the problem names are ties under both."""
    keys = load_factor_sets().keys
    wrong, refused = [], 0
    lists = [c for n in range(1, 6) for c in itertools.combinations(sorted(CHAINS_BEFORE), n)]
    for la, lb in itertools.combinations(lists, 2):
        values = tuple(FactorValue(set_name="t", set_version="1", key="al.anode.nac", entities=e,
                                   value=Decimal(v), unit="tC/t", source="test", edition="2024", confidence="V",
                                   valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2024, 12, 31),
                                   file="t.yaml", line=i + 1, user=True)
                       for i, (e, v) in enumerate(((la, "0.395"), (lb, "0.401"))))
        sets = {"t": FactorSet(name="t", version="1", user=True, file="t.yaml", values=values)}
        problems = ProblemList()
        _check_entity_ties(sets, problems)
        lib = FactorLibrary(sets, keys)
        before, after = _ties(lib, CHAINS_BEFORE), _ties(lib, CHAINS_AFTER)
        named = set(problems[0].params["entity"].split(", ")) if problems else set()
        refused += bool(problems)
        if not (bool(problems) == bool(before) == bool(after) and named <= before & after):
            wrong.append((la, lb, named, before, after))
    assert wrong == [] and refused == 375


def test_the_workspace_refuses_its_factors_before_a_calculation(tmp_path):
    """S1's value and one for both smelter companies [S1, S2] tie at S1 and its potline P1."""
    w = ghg_workspace(tmp_path / "ws", TREE, FACTS, files={
        "factors/s1.yaml": set_head("s1_measured") + _value("0.395", "S1")
        + _value("0.41", "S1, S2")})
    try:
        with pytest.raises(FactorError) as exc:
            w.calc("2024")
        assert [(p.code, p.location.line, p.params["entity"]) for p in exc.value.problems] == [
            ("ESG-FACTOR-013", 7, "S1")]
    finally:
        w.close()
