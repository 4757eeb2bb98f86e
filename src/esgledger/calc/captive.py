"""Which captive power plant supplies an entity's captive electricity (the product view and
``calc reconcile``).

Electricity a unit takes from the group's own plant (``electricity_received`` with
``supplier=captive``) reaches its products at the factor per MWh supplied of the plant that
supplies it: a plant-specific factor, E_plant / net supply (domain reference §2.5; MEE 发电设施
guideline 供电排放强度). A group with a plant at each smelting base (Xinjiang, Guangxi) has one
factor per plant, so each unit's electricity must be told apart by plant:

1. the plant the entity's attribute ``captive_plant`` names (entity file ``attrs``), or the
   nearest ancestor's (a company's covers its units);
2. else the group's only captive plant this period (a power plant that reports the power it
   supplied, ``power_supplied``);
3. else none: the group has several and nothing says which; the electricity is not counted,
   the product figures are marked incomplete and the run says so (ESG-CALC-017).

An attribute that names no power plant of the tree is refused when the entity file is read
(ESG-ENT-008, :func:`check_attrs`).

>>> from esgledger.model.tree import EntityTree
>>> from esgledger.model.types import EntityRecord, Membership
>>> tree, _ = EntityTree.build([
...     EntityRecord("G", "集团", "Group", "group", "holding"),
...     EntityRecord("XJ", "新疆电厂", "Xinjiang plant", "company", "power_plant"),
...     EntityRecord("GX", "广西电厂", "Guangxi plant", "company", "power_plant"),
...     EntityRecord("C", "广西铝业", "Guangxi smelter", "company", "smelter", attrs={"captive_plant": "GX"}),
...     EntityRecord("P", "电解系列", "Potline", "unit", "smelter"),
...     EntityRecord("Q", "电解系列", "Potline", "unit", "smelter")],
...     [Membership("XJ", "G"), Membership("GX", "G"), Membership("C", "G"), Membership("P", "C"),
...      Membership("Q", "G")])
>>> supplier(tree, "P", ("GX", "XJ"))           # its company names the Guangxi plant
Supply(plant='GX', candidates=('GX', 'XJ'), named=True)
>>> supplier(tree, "Q", ("GX", "XJ")).ambiguous  # two plants, and nothing says which
True
>>> supplier(tree, "Q", ("XJ",)).plant           # the only plant supplying this period
'XJ'
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from esgledger.model.errors import Bilingual, Location, Problem
from esgledger.model.tree import EntityTree
from esgledger.model.types import EntityRecord

ATTR = "captive_plant"
POWER_PLANT = "power_plant"


@dataclass(frozen=True)
class Supply:
    """The plant that supplies an entity (None: not known) and the plants that could."""

    plant: str | None
    candidates: tuple[str, ...]
    named: bool = False  # by the attribute (the entity's or an ancestor's)

    @property
    def ambiguous(self) -> bool:
        return self.plant is None and len(self.candidates) > 1


def supplying_plants(tree: EntityTree, supplies: Callable[[str], bool]) -> tuple[str, ...]:
    """The power plants of the tree that ``supplies`` says supply power this period, sorted."""
    return tuple(sorted(c for c, e in tree.entities.items() if e.process_type == POWER_PLANT and supplies(c)))


def supplier(tree: EntityTree, code: str, candidates: Iterable[str]) -> Supply:
    """The captive plant whose factor the entity's captive electricity is counted at."""
    candidates = tuple(candidates)
    named = tree.inherited_attr(code, ATTR)
    if named:
        return Supply(named, candidates, True)
    if len(candidates) == 1:
        return Supply(candidates[0], candidates)
    return Supply(None, candidates)


def check_attrs(entities: Mapping[str, EntityRecord], checked: Iterable[str],
                location: Callable[[str], Location], reported: Iterable[str] = ()) -> list[Problem]:
    """ESG-ENT-008 for each entity of ``checked`` whose ``captive_plant`` names an entity that
    is not in ``entities`` (the tree as it will be) or is not a power plant. ``reported``: codes
    defined in rows with errors of their own (named already)."""
    out = []
    reported = set(reported)
    for code in checked:
        plant = str(entities[code].attrs.get(ATTR) or "").strip()
        if not plant or plant in reported:
            continue
        target = entities.get(plant)
        if target is None:
            why = Bilingual("组织树中没有该主体", "which is not in the tree")
        elif target.process_type != POWER_PLANT:
            why = Bilingual(f"其工艺类型为 {target.process_type}，不是电厂（power_plant）",
                            f"whose process type is {target.process_type}, not power_plant")
        else:
            continue
        out.append(Problem("ESG-ENT-008", location(code), {"entity": code, "found": plant, "reason": why}))
    return out


__all__ = ["ATTR", "Supply", "check_attrs", "supplier", "supplying_plants"]
