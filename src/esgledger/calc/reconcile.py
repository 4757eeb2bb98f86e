"""Reconcile the three accounting views line by line (``esgledger calc reconcile``).

Every direct source of every entity (the inventory's ``emissions_by_source``) is one line; the
line says whether the national ETS view counts it (and under which guideline) and how much of it
reaches the product view of liquid aluminium (electrolysis stage) — directly, or through the
electricity the captive plant supplies to the potlines. Scope 2 lines follow, in a column of their
own (the inventory's Scope 2, market-based; the ETS view reports purchased electricity as an
auxiliary item and does not count it; the product view counts a smelter's electricity). Where the
ETS view computes a smelter's PFC with the national guideline's coefficients rather than the
inventory's IPCC ones, a line of the difference follows in the ETS column only. The
columns add up to each view's own published total, so a difference between two totals is the sum
of the lines where they differ.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from esgledger.calc.consolidate import Consolidation, to_decimal
from esgledger.calc.ghg import ETS_POWER_SOURCES, ETS_SOURCES, PLANT_SOURCES, ets_enterprises
from esgledger.model.types import Dims

LABELS = {
    "inventory": {"zh": "温室气体清单（范围一）", "en": "Inventory (Scope 1)"},
    "inventory_scope2": {"zh": "温室气体清单（范围二，市场法）", "en": "Inventory (Scope 2, market-based)"},
    "ets": {"zh": "全国碳市场", "en": "National ETS"},
    "product": {"zh": "产品（电解工序）", "en": "Product (electrolysis)"},
    "scope2": {"zh": "外购电力和热力（范围二，市场法）", "en": "Purchased electricity and heat (Scope 2, market-based)"},
    "ets_aux": {"zh": "全国碳市场：辅助报告项，不计入", "en": "national ETS: auxiliary item, not counted"},
    "product_power": {"zh": "产品：电网电力按剩余组合因子、绿电为零计入",
                      "en": "product: grid electricity at the residual mix, green contracts at zero"},
    "ets_pfc": {"zh": "全国碳市场：阳极效应按指南系数（C2F6/CF4 = 0.1）计，清单按 IPCC 槽型系数计，此行为差额",
                "en": "national ETS: PFC at the guideline's coefficients (C2F6/CF4 = 0.1), the inventory at "
                      "IPCC's by cell technology; this line is the difference"},
    "outside": {"zh": "不在边界内", "en": "outside the boundary"},
    "via_power": {"zh": "经自备电厂供电传递", "en": "via the captive plant's electricity"},
    "ets_power": {"zh": "发电设施（发电行业指南）", "en": "power generation (power sector guideline)"},
    "entity": {"zh": "主体", "en": "entity"},
    "source": {"zh": "排放源", "en": "source"},
    "note": {"zh": "说明", "en": "note"},
    "total": {"zh": "合计", "en": "total"},
    "share": {"zh": "计入清单比例", "en": "share in the inventory"},
}


@dataclass
class Line:
    entity: str
    item: str
    inventory: Decimal | None    # Scope 1: the entity's own figure × its share in the inventory
    ets: Decimal | None
    product: Decimal | None
    note: str = ""
    share: Fraction = Fraction(1)  # how much of the entity the inventory counts (approach, dates)
    scope2: Decimal | None = None  # a Scope 2 line: market-based, × the share like Scope 1


@dataclass
class Reconciliation:
    period: str
    lines: list[Line] = field(default_factory=list)

    def totals(self) -> dict[str, Decimal]:
        return {
            "inventory": sum((ln.inventory for ln in self.lines if ln.inventory is not None), Decimal(0)),
            "scope2": sum((ln.scope2 for ln in self.lines if ln.scope2 is not None), Decimal(0)),
            "ets": sum((ln.ets or Decimal(0) for ln in self.lines), Decimal(0)),
            "product": sum((ln.product or Decimal(0) for ln in self.lines), Decimal(0)),
        }


def inventory_shares(ws, period: str, approach: str) -> dict[str, Fraction]:
    """How much of each entity the corporate inventory of the reporting root counts: along every
    path from the root, the product of each membership's weight for the period (operational
    control: the part of the period under control; equity: that × the equity share), summed
    over the paths an entity took during the period, and where links at two levels of a path
    changed inside the period, the share held day by day (the root's structure corrections).
    The consolidation uses the same weights."""
    cons = Consolidation(ws.store, ws.library, ws.tree, period, approach, facts=[])
    root = ws.root()
    shares: dict[str, Fraction] = {root: Fraction(1)}
    for e in reversed(cons.order):  # parents before their children
        w = shares.get(e)
        if not w:
            continue
        for child, cw in cons.children_of.get(e, ()):
            shares[child] = shares.get(child, Fraction(0)) + w * cw
    for d, delta in cons.corrections.get(root, ()):
        shares[d] = shares.get(d, Fraction(0)) + delta
    return shares


def reconcile(ws, period: str, lang: str = "en", approach: str | None = None) -> Reconciliation:
    """The lines of the three views for ``period`` from the ledger's calculated facts (as far as
    the signed-in user may read them), notes in ``lang``. The inventory column counts each line
    at the entity's share in the root's inventory by ``approach`` (default: the workspace's), so
    it adds up to the consolidated Scope 1; the national ETS and product views count facilities
    whole."""
    tree = ws.tree
    lang = lang if lang in ("zh", "en") else "en"
    shares = inventory_shares(ws, period, approach or ws.approach)

    def counted(entity: str, value: Decimal) -> tuple[Decimal, Fraction]:
        share = shares.get(entity, Fraction(0))
        return (value if share == 1 else to_decimal(Fraction(value) * share)), share

    facts = {(f.entity, f.indicator, f.dims): f for f in ws.access.iter_current(period=period, basis="own")}
    out = Reconciliation(period)

    def num(entity, indicator, dims=""):
        f = facts.get((entity, indicator, dims))
        return None if f is None else Decimal(f.value)

    smelters = {c for c, e in tree.entities.items() if e.process_type == "smelter"}
    plant_ef = {c: num(c, "captive_plant_ef") for c in tree.entities if num(c, "captive_plant_ef") is not None}
    # the ETS entry each entity reports in, as the run computed them (a captive plant that is a
    # site or unit of the smelter company is an entry of its own, under the power guideline)
    entry_of = {m: top for top, members in ets_enterprises(tree).items() for m in members}
    captive_to_smelter = sum((num(c, "electricity_received", "supplier=captive") or Decimal(0) for c in smelters),
                             Decimal(0))
    for (entity, ind, dims), f in sorted(facts.items()):
        if ind != "emissions_by_source":
            continue
        src = dict(Dims.parse(dims))["emission_source"]
        e = tree.entities[entity]
        value = Decimal(f.value)
        entry = entry_of.get(entity)
        cpt = tree.entities[entry].process_type if entry else None
        if cpt == "smelter" and src in ETS_SOURCES:
            ets, note = value, "CETS-AG-04.01"
        elif cpt == "power_plant" and src in ETS_POWER_SOURCES:
            ets, note = value, LABELS["ets_power"][lang]
        else:
            ets, note = None, LABELS["outside"][lang]
        product = None
        if e.process_type == "smelter" and src not in ("power_generation", "desulphurisation"):
            product = value
        elif entity in plant_ef and src in PLANT_SOURCES:
            supplied = num(entity, "power_supplied")
            if supplied:
                product = value * captive_to_smelter / supplied
                note += f"; {LABELS['via_power'][lang]}"
        inv, share = counted(entity, value)
        out.lines.append(Line(entity, src, inv, ets, product, note, share))
    # a smelter enterprise's PFC at the national guideline's coefficients (C2F6/CF4 0.1, slope
    # 0.143 for every technology) where the inventory's lines take IPCC's by technology: one line
    # of the difference, so the ETS column still adds up to the ETS view's published totals
    for top, members in sorted(ets_enterprises(tree).items()):
        total = num(top, "ets_emissions")
        if total is None or tree.entities[top].process_type != "smelter":
            continue
        inside = set(members)
        counted_ets = sum((ln.ets for ln in out.lines if ln.entity in inside and ln.ets is not None), Decimal(0))
        if total != counted_ets:
            out.lines.append(Line(top, "pfc", None, total - counted_ets, None, LABELS["ets_pfc"][lang],
                                  shares.get(top, Fraction(0))))
    for c in sorted(tree.entities):
        market = num(c, "scope2_market")
        if market is None:
            continue
        product, note = None, LABELS["ets_aux"][lang]
        if c in smelters:
            # the product view takes grid electricity at the residual mix, green contracts at zero:
            # the market-based Scope 2 of the smelter's own electricity
            product = market
            note += ("；" if lang == "zh" else "; ") + LABELS["product_power"][lang]
        inv, share = counted(c, market)
        out.lines.append(Line(c, "scope2", None, None, product, note, share, scope2=inv))
    return out

