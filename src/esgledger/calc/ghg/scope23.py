"""Scope 2 and Scope 3 of each entity in a GHG run: electricity and heat bought from outside the
group (purchased electricity without a breakdown by supplier counted as grid electricity,
ESG-CALC-013; electricity consumed beyond what any supplier delivered named, ESG-CALC-012), and
the Scope 3 categories of its own facts and of the fuels it burns. A mixin of
:class:`~esgledger.calc.ghg.run.GhgRun`, whose facts, factors and outputs it works with."""
from __future__ import annotations

from decimal import Decimal

from esgledger.calc.ghg.common import HEAT_INDICATOR, PURCHASED_INDICATOR, Source, _members
from esgledger.calc.ghg.memo import _Calls
from esgledger.calc.methods import CalcError, InvalidInput
from esgledger.calc.methods import electricity as m_elec
from esgledger.calc.methods import scope3 as m_s3
from esgledger.calc.methods.result import Result, combine
from esgledger.model.errors import Bilingual, Location, Problem
from esgledger.model.types import FactRecord
from esgledger.model.units import UNITS, plain, with_unit

MAT = {"alumina", "petroleum_coke", "pitch", "caustic_soda", "aluminium_fluoride", "primary_aluminium"}
FACTOR_MATERIAL = {"pitch": "coal_tar_pitch"}          # library member -> factor-set member
FACTOR_MODE = {"ship": "inland_water"}
# fuel (a combustion result's label or its factors' fuel member) -> member of scope3.cat3.fuel_upstream;
# "coal" is the captive plant's coal when its facts name no fuel
UPSTREAM_FUEL = {"diesel": "diesel", "natural_gas": "natural_gas", "bituminous": "coal", "anthracite": "coal",
                 "raw_coal": "coal", "lignite": "coal", "coal": "coal"}
EQ_SCOPE3 = "Scope 3 = Σ categories' CO2e (GHG Protocol Scope 3 Standard)"
# in the order Scope 3 reads them (by indicator, then dimension key)
_SCOPE3_READS = ("electricity_received", "freight_transport", "purchased_material", PURCHASED_INDICATOR)


class _Scope23:
    """GhgRun's Scope 2 and Scope 3 figures, and what it says of the electricity it counts."""

    def _grid(self, code: str, basis: str):
        # the same answer every time for a kept run (same tree, year and factor library)
        hit = self._grids.get((code, basis))
        if hit is None:
            e = self.tree.entities[code]
            hit = self._grids[(code, basis)] = m_elec.grid_factor(
                self.fx(code), self.year, basis=basis, province=e.province, region=e.grid_region, latest=True)
        return hit

    def _heat_co2(self, code: str, *, report: bool = True) -> tuple[Result | None, FactRecord | None]:
        """CO2 of the heat an entity bought from outside the group (``purchased_heat``, GJ, at
        the heat factor), or (None, None) without the fact; (None, fact) when it fails (the
        problem is reported once, by the inventory: ``report``)."""
        heat = self.fact(code, HEAT_INDICATOR)
        if heat is None:
            return None, None
        try:
            return self._run_calls(m_elec.purchased_heat_co2, heat.value, unit=heat.unit, factors=self.fx(code),
                                   on=self.year), heat
        except CalcError as exc:
            if report:
                self.problem(code, HEAT_INDICATOR, exc)
            return None, heat

    def _scope2_and_3(self, code: str, srcs: dict[str, Source] | None = None) -> None:
        """Scope 2 (electricity bought from outside the group, and purchased heat) and Scope 3.
        Either part failing leaves no Scope 2 figure (a part of it would understate it).

        Scope 2, and the Scope 3 categories of the entity's own facts, are functions of the
        facts they read (and of the run's factors): read from the same fact objects as the
        last time, each gives what it gave then (its result and its warnings) without being
        worked out again; the well-to-tank of the fuels follows the sources."""
        grid = self.fact(code, "electricity_received", "supplier=grid")
        green = self.fact(code, "electricity_received", "supplier=green_contract")
        certs = self.fact(code, "electricity_received", "supplier=green_certificate")
        calls = self._calls[(code, "scope2_and_3")] = _Calls(self._calls.get((code, "scope2_and_3")))
        problems = self.res.problems
        kept = self._scope23.get(code)
        sig2 = (grid, green, certs, self.fact(code, HEAT_INDICATOR), self.fact(code, PURCHASED_INDICATOR))
        if kept is not None and _same(kept[0], sig2):
            r, ok, said = kept[1]
            problems += said
        else:
            first = len(problems)
            r, ok = self._scope2(code, grid, green, certs, calls)
            said = problems[first:]
        if ok and r is not None:
            ins = [grid, green, certs, sig2[3], self.purchased_as_grid(code)[1]]
            self.emit(code, "scope2_location", "", r.location.total, ins, r.location, r.location.method, "inventory")
            if r.market is not None:
                self.emit(code, "scope2_market", "", r.market.total, ins, r.market, r.market.method, "inventory")
        cats: dict[str, list[tuple[Result, list[FactRecord]]]] = {}

        def add(cat: str, what: str, fn, *args, inputs: list[FactRecord], **kw) -> None:
            try:
                cats.setdefault(cat, []).append((calls(fn, *args, factors=self.fx(code), on=self.year, **kw), inputs))
            except CalcError as exc:
                self.problem(code, what, exc)

        reads3 = [(ind, dims) for ind in _SCOPE3_READS for dims in self.dims(code, ind)]
        sig3 = tuple(self.facts[(code, ind, dims)] for ind, dims in reads3)
        if kept is not None and _same(kept[2], sig3):
            of_facts = kept[3]
            for cat, items in of_facts[0].items():
                cats[cat] = list(items)
            problems += of_facts[1]
        else:
            first = len(problems)
            self._scope3_of_facts(code, reads3, add)
            of_facts = ({cat: list(items) for cat, items in cats.items()}, problems[first:])
        self._scope23[code] = (sig2, (r, ok, said), sig3, of_facts)
        for src in ("combustion", "power_generation"):  # cat.3a: well-to-tank of the fuels burnt
            source = (srcs or {}).get(src)
            if source is None:
                continue
            for part in source.result.parts or (source.result,):
                fuel = UPSTREAM_FUEL.get(part.label) or UPSTREAM_FUEL.get(_fuel_of(part) or "")
                energy = next((st.value for st in part.steps if st.name == "energy"), None)
                if fuel is not None and energy is not None:
                    add("c3", f"fuel_upstream[{fuel}]", m_s3.fuel_upstream, energy, fuel=fuel,
                        inputs=source.reads)
        total = Decimal(0)
        for cat, items in sorted(cats.items()):
            v = sum((r.total for r, _f in items), Decimal(0))
            total += v
            # several items: their sum keeps each as a part, so every factor used is in the lineage
            r = items[0][0] if len(items) == 1 else calls(combine, tuple(r for r, _f in items), method=f"scope3:{cat}",
                                                          label=cat)
            self.emit(code, "scope3_emissions", f"scope3_category={cat}", v, [f for _r, fs in items for f in fs],
                      r, f"inventory.scope3.{cat}", "inventory")
        if cats:
            self.emit(code, "scope3_emissions", "", total, [f for it in cats.values() for _r, fs in it for f in fs],
                      None, "inventory.scope3", "inventory", equation=EQ_SCOPE3)

    def _scope2(self, code: str, grid, green, certs, calls):
        """Scope 2 of the entity, and whether it can be given (a part failing leaves none)."""
        heat_r, heat = self._heat_co2(code)
        r: m_elec.Scope2Result | None = None
        ok = heat is None or heat_r is not None
        rest, _purchased = self.purchased_as_grid(code)  # purchased electricity counted as grid
        if grid is not None or green is not None or rest:
            mwh = sum((Decimal(f.value) for f in (grid, green, certs) if f is not None), rest)
            try:
                r = calls(m_elec.scope2, mwh, self._grid(code, "average"),
                          green_mwh=Decimal(green.value) if green else 0,
                          certificates_mwh=Decimal(certs.value) if certs else 0,
                          residual_factor=self._grid(code, "residual"))
            except (CalcError, LookupError) as exc:
                self.problem(code, "electricity_received", exc)
                ok = False
        if ok and heat_r is not None:
            r = m_elec.with_heat(r, heat_r)
        return r, ok

    def _scope3_of_facts(self, code: str, reads: list[tuple[str, str]], add) -> None:
        """Scope 3 categories of the entity's own facts: cat.1 purchases, cat.4 freight,
        cat.3b/3c of grid electricity."""
        purchases: dict[str, list] = {}  # material -> [its total fact, [(vendor, fact) …]]
        for ind, dims in reads:
            f = self.facts[(code, ind, dims)]
            d = _members(dims)
            if ind == "purchased_material":
                if d.get("material") in MAT:
                    entry = purchases.setdefault(d["material"], [None, []])
                    if "vendor" in d:
                        entry[1].append((d["vendor"], f))
                    else:
                        entry[0] = f
            elif ind == "freight_transport":
                # cat.4: t·km × mode factor (GLEC-style defaults)
                add("c4", f"{ind}[{dims}]", m_s3.transport_tkm, f.value,
                    FACTOR_MODE.get(d["transport_mode"], d["transport_mode"]), unit=f.unit, inputs=[f])
            elif ind == "electricity_received" and d.get("supplier") == "grid":
                # cat.3b/3c: upstream of purchased electricity, and its T&D losses
                add("c3", f"{ind}[{dims}]", m_s3.electricity_upstream, f.value, inputs=[f])
                add("c3", f"{ind}[{dims}]", m_s3.td_losses, f.value, self._grid(code, "average"), inputs=[f])
            elif ind == PURCHASED_INDICATOR and not dims:
                # the same for purchased electricity counted as grid electricity (ESG-CALC-013)
                rest, p = self.purchased_as_grid(code)
                if p is not None:
                    add("c3", ind, m_s3.electricity_upstream, rest, inputs=[p])
                    add("c3", ind, m_s3.td_losses, rest, self._grid(code, "average"), inputs=[p])
        for material, (whole, by_vendor) in sorted(purchases.items()):
            self._purchased_goods(code, material, whole, by_vendor, add)

    def _purchased_goods(self, code: str, material: str, whole: FactRecord | None,
                         by_vendor: list[tuple[str, FactRecord]], add) -> None:
        """Scope 3 Standard cat.1 for one material (quantity × cradle-to-gate factor): what is
        reported by supplier at that supplier's factor (a user factor set's scope3.cat1 with
        ``supplier``; the material's default where the supplier has none), the rest of the
        material's total at the default (the Scope 3 Standard's hybrid method)."""
        fm = FACTOR_MATERIAL.get(material, material)
        what = f"purchased_material[material={material}]"
        if not by_vendor:
            add("c1", what, m_s3.purchased_goods, whole.value, unit=whole.unit, inputs=[whole], material=fm)
            return
        parts = sum((Decimal(f.value) for _v, f in by_vendor), Decimal(0))
        rest = None if whole is None else Decimal(whole.value) - parts
        if rest is not None and rest < 0:
            self.problem(code, what, InvalidInput(
                f"the quantities by supplier ({plain(parts)} t) exceed the material's total ({whole.value} t)",
                zh=f"按供应商填报的数量（{plain(parts)} 吨）大于该材料的合计（{whole.value} 吨）"))
            return
        for vendor, f in by_vendor:
            add("c1", f"purchased_material[{f.dims}]", m_s3.purchased_goods, f.value, unit=f.unit, inputs=[f],
                material=fm, supplier=vendor)
        if rest:
            add("c1", what, m_s3.purchased_goods, rest, unit=whole.unit,
                inputs=[whole] + [f for _v, f in by_vendor], material=fm)

    def _purchased_electricity(self, code: str) -> None:
        """Purchased electricity without its breakdown by supplier is counted as grid electricity
        (:meth:`purchased_as_grid`): a method choice, which the run states (ESG-CALC-013) with
        the entity, the MWh so counted and the purchased total."""
        rest, purchased = self.purchased_as_grid(code)
        if purchased is None:
            return
        self.res.problems.append(Problem("ESG-CALC-013", Location(field=f"{code}/{PURCHASED_INDICATOR}"), {
            "entity": code, "indicator": PURCHASED_INDICATOR, "period": self.period,
            "found": with_unit(plain(rest), "兆瓦时"),
            "expected": with_unit(plain(Decimal(purchased.value)), purchased.unit)}))

    def _unattributed_electricity(self, code: str) -> None:
        """Electricity an entity reports consuming (``electricity_consumption``) beyond what it
        reports receiving by supplier (``electricity_received``) is counted nowhere: Scope 2,
        energy consumption and the product view all read the receipts by supplier. The run does
        not guess its source: it may be the grid (Scope 2 at the grid's factor and, market-based,
        the residual mix, GHG Protocol Scope 2 Guidance §6), the captive plant (the plant's
        Scope 1, not Scope 2) or the entity's own generation (its fuel already counted), and an
        entity abroad has no factor in the Chinese grid sets. It says so (ESG-CALC-012), with
        the MWh left out. A power plant's own use beyond what it receives is its own generation
        (station service, inside its gross output), not a gap. Purchased electricity counted as
        grid electricity (ESG-CALC-013) is counted: only what is beyond it is a gap."""
        consumed = self.num(code, "electricity_consumption")
        if consumed is None or self.process_type(code) == "power_plant":
            return
        mwh = UNITS.convert(consumed, self.lib["electricity_consumption"].unit, "兆瓦时")
        unit = self.lib["electricity_received"].unit
        received = sum((UNITS.convert(Decimal(self.facts[(code, "electricity_received", d)].value), unit, "兆瓦时")
                        for d in self.dims(code, "electricity_received")), Decimal(0))
        rest, _purchased = self.purchased_as_grid(code)
        if mwh > received + rest:
            counted = with_unit(plain(received + rest), "兆瓦时")
            if rest:
                as_grid = with_unit(plain(rest), "兆瓦时")
                counted = Bilingual(f"{counted.zh}，其中 {as_grid.zh}为按电网电力计入的外购电量",
                                    f"{counted.en}, {as_grid.en} of it purchased electricity counted as grid "
                                    "electricity")
            self.res.problems.append(Problem("ESG-CALC-012", Location(field=f"{code}/electricity_consumption"), {
                "entity": code, "indicator": "electricity_consumption", "period": self.period,
                "found": with_unit(plain(mwh - received - rest), "兆瓦时"), "expected": counted}))


def _same(a: tuple | None, b: tuple) -> bool:
    """The same objects, one by one (facts: the same object is the same value)."""
    return a is not None and len(a) == len(b) and all(x is y for x, y in zip(a, b))


def _fuel_of(result: Result) -> str | None:
    for p in result.parameters:
        if p.factor is not None and "fuel" in p.factor.dim:
            return p.factor.dim["fuel"]
    return None
