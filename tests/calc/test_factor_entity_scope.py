"""A factor value for some entities only (audit A3-L4): a plant's measured anode net carbon
consumption applies at that plant and under it, and nowhere else in the group.

These tests compare *which* value applies where; the other plants read whatever the shipped
sets hold (looked up here without the workspace's file). The calculation with it is in
tests/calc/test_factor_entity_scope_run.py.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from esgledger.library.factors import FactorError, load_factor_sets

MEASURED = """set: tianlu_measured
version: "2024.1"
defaults: {confidence: V, edition: "2024 laboratory reports", source: "Tianlu anode laboratory"}
factors:
  - {key: al.anode.nac, value: "0.395", unit: tC/t, valid_from: 2024, valid_to: 2024, entities: [TLYX]}
  - {key: al.anode.nac, value: "0.401", unit: tC/t, valid_from: 2024, valid_to: 2024, entities: [TLYX-P2]}
"""


@pytest.fixture
def lib(tmp_path):
    (tmp_path / "measured.yaml").write_text(MEASURED, encoding="utf-8")
    return load_factor_sets([tmp_path])


def test_a_value_for_an_entity_applies_there_and_under_it_only(lib):
    shipped = load_factor_sets().lookup("al.anode.nac", 2024)  # what every other plant reads
    # a potline of Tianlu (its parents, nearest first): Tianlu's measured value
    p1 = lib.lookup("al.anode.nac", 2024, entity=("TLYX-P1", "TLYX", "TSAL"))
    # the other potline has a value of its own: the nearer entity wins
    p2 = lib.lookup("al.anode.nac", 2024, entity=("TLYX-P2", "TLYX", "TSAL"))
    # another smelter of the group, and a question asked for no entity: the shipped default
    other = lib.lookup("al.anode.nac", 2024, entity=("XJSM", "TSAL"))
    nowhere = lib.lookup("al.anode.nac", 2024)
    assert [(v.value, v.set_name) for v in (p1, p2, other, nowhere)] == [
        (Decimal("0.395"), "tianlu_measured"), (Decimal("0.401"), "tianlu_measured"),
        (shipped.value, shipped.set_name), (shipped.value, shipped.set_name)]
    # the lineage tells the plant's value from a group-wide one
    assert p1.ref == "tianlu_measured@2024.1/al.anode.nac{TLYX}@2024"
    # outside its validity it applies nowhere: 2023 reads the shipped default at Tianlu too
    assert lib.lookup("al.anode.nac", 2023, entity=("TLYX-P1", "TLYX", "TSAL")).set_name == shipped.set_name


def test_a_value_for_another_entity_is_no_overlap(tmp_path):
    (tmp_path / "m.yaml").write_text(MEASURED + "  - {key: al.anode.nac, value: \"0.39\", unit: tC/t, "
                                     "valid_from: 2024, valid_to: 2024, entities: [NJSM]}\n", encoding="utf-8")
    lib = load_factor_sets([tmp_path])
    assert lib.lookup("al.anode.nac", 2024, entity=("NJSM", "TSAL")).value == Decimal("0.39")


def test_two_values_for_the_same_entity_and_years_overlap(tmp_path):
    (tmp_path / "m.yaml").write_text(MEASURED + "  - {key: al.anode.nac, value: \"0.39\", unit: tC/t, "
                                     "valid_from: 2024, valid_to: 2024, entities: [TLYX]}\n", encoding="utf-8")
    with pytest.raises(FactorError) as exc:
        load_factor_sets([tmp_path])
    assert [(p.code, p.location.line) for p in exc.value.problems] == [("ESG-FACTOR-003", 7)]
