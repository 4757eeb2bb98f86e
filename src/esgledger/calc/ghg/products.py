"""The product view of a GHG run: the captive plants' factor per MWh supplied, each process
stage's emissions and footprint per tonne cradle-to-gate inside the group, liquid aluminium with
its alumina and anodes, and foil with the metal it is rolled from. A mixin of
:class:`~esgledger.calc.ghg.run.GhgRun`, whose facts, factors and outputs it works with."""
from __future__ import annotations

from decimal import Decimal, localcontext

from esgledger.calc import incomplete
from esgledger.calc.captive import supplier as captive_supplier, supplying_plants
from esgledger.calc.ghg.common import FOIL_METAL_INDICATOR, PURCHASED_INDICATOR, Output, _factors
from esgledger.calc.methods import CalcError
from esgledger.calc.methods import power_plant as m_power
from esgledger.calc.methods.result import Result
from esgledger.model.errors import Bilingual, Location, Problem
from esgledger.model.types import FactRecord
from esgledger.model.units import plain, with_unit

# what the captive plant's factor per MWh supplied counts: all it burns, and desulphurisation
PLANT_SOURCES = ("power_generation", "desulphurisation", "combustion")
EQ_PRODUCT = ("E = Σ over the stage's entities of their direct sources (but power generation) + captive "
              "electricity × the supplying captive plant's factor per MWh supplied + grid electricity × the "
              "residual-mix factor (green contracts at 0) + bought heat × the heat factor (cradle-to-gate inside "
              "the group; the plant's factor = its emissions / net supply, domain reference §2.5)")
EQ_LIQUID_AL = (EQ_PRODUCT + "; liquid aluminium adds the alumina consumed × the alumina stage's t CO2e/t "
                "and the net anodes consumed × the baked-anode stage's t CO2e/t")
EQ_FOIL = ("E_foil = the foil mills' own emissions (" + EQ_PRODUCT + ") + the aluminium they took in × the "
           "group's liquid-aluminium footprint per t (cradle-to-gate inside the group)")
EQ_FOOTPRINT = "footprint = the product's emissions / its output (t CO2e per t)"
# the product view's process stages: (product, the process type of its entities, their output)
PRODUCT_STAGES = (("alumina", "alumina_refinery", "alumina_output"),
                  ("baked_anode", "anode_plant", "anode_output"),
                  ("aluminium_electrolysis", "smelter", "aluminium_output"),
                  ("foil", "foil_mill", "aluminium_foil_output"))
# what the smelters' consumption of an upstream stage's product is (liquid aluminium adds it)
UPSTREAM_USE = {"alumina": "alumina_consumption", "baked_anode": "net_anode_consumption"}
# products whose figure adds an upstream product's footprint to their own stage's emissions
# (foil: the metal taken in, at the liquid-aluminium footprint), emitted after it
CHAINED = frozenset({"foil"})
# entities whose activity facts the product view reads (and the captive plant, via its factor)
PRODUCT_READS = frozenset({"alumina_refinery", "anode_plant", "smelter", "foil_mill", "power_plant"})


class _Products:
    """GhgRun's product view figures."""

    def _captive_plant(self, code: str) -> None:
        """The captive plant's emission factor per MWh supplied (passed on to the units it
        supplies, in the product view): every fuel it burns (GB/T 32151.1: its coal, and its
        own diesel or gas for start-up and mobile plant) and its desulphurisation, as in its
        power-guideline ETS total (UAT F10: the diesel was left out)."""
        self.plant_ef.pop(code, None)
        srcs = self.sources.get(code, {})
        supplied = self.fact(code, "power_supplied")
        parts = [srcs[s] for s in PLANT_SOURCES if s in srcs]
        if supplied is None or not parts:
            return
        try:
            pf = m_power.captive_plant_factor([p.result for p in parts], supplied.value)
        except CalcError as exc:
            self.problem(code, "power_supplied", exc)
            return
        out = self.emit(code, "captive_plant_ef", "", pf.ef, [supplied] + [f for p in parts for f in p.reads],
                        pf.emissions, "captive_power_plant", "product",
                        equation=m_power.EQ_SUPPLY_NO_HEAT if pf.heat_share_pct == 0 else m_power.EQ_SUPPLY,
                        comment=self.left_out([code], PLANT_SOURCES)[0])
        self.plant_ef[code] = (pf.ef, pf.emissions, out)

    def _electricity_co2(self, code: str, plant: tuple[Decimal, Result, Output] | None
                         ) -> tuple[Decimal, list[FactRecord], list, FactRecord | None]:
        """Electricity of one entity at product-view factors: captive at the factor of the plant
        that supplies it (``plant``: its factor, emissions and output, :mod:`esgledger.calc.captive`),
        grid market-based (green contracts at zero, the rest at the residual mix); with the
        facts read (and the plant's factor, a calculated fact whose own lineage is the plant's
        coal, its quality, limestone and the power supplied), the factor values used (the
        plant's, through its emissions result) and the captive electricity it could not count
        (no factor of its plant for the period), if any."""
        total, ins, used, uncounted = Decimal(0), [], [], None
        captive = self.fact(code, "electricity_received", "supplier=captive")
        if captive is not None and plant is not None:
            ef, emissions, plant_out = plant
            total += Decimal(captive.value) * ef  # E = MWh × the plant's EF per MWh supplied (ref. §2.5)
            ins += [captive, plant_out]
            used += _factors(emissions)
        elif captive is not None and Decimal(captive.value) != 0:
            uncounted = captive
        grid = self.fact(code, "electricity_received", "supplier=grid")
        rest, purchased = self.purchased_as_grid(code)  # purchased electricity counted as grid
        if grid is not None or purchased is not None:
            residual = self._grid(code, "residual")
            total += (Decimal(grid.value) if grid is not None else 0) * residual.value + rest * residual.value
            ins += [f for f in (grid, purchased) if f is not None]
            used.append(residual)
        return total, ins, used, uncounted

    def _products(self, sources, plant_ef) -> None:
        # the captive plants supplying power this period, of which each entity's supplier is
        # one (calc/captive.py: its attribute captive_plant, else the only one)
        plants = supplying_plants(
            self.tree, lambda c: c in plant_ef or self.fact(c, "power_supplied") is not None)

        def stage(codes: list[str], include: tuple[str, ...] | None = None):
            total, ins, used, missing, unassigned = Decimal(0), [], [], [], []
            # the stage's sources that could not run (but the captive plant's, which reach the
            # stage through its factor per MWh: marked when the stage uses it)
            mark, _r = self.left_out(codes, include, but=("power_generation", "desulphurisation"))
            marks = [mark]
            for c in codes:
                for src, source in sources.get(c, {}).items():
                    if src in ("power_generation", "desulphurisation"):
                        continue  # reaches the product through the electricity it supplies
                    if include is None or src in include:
                        total += source.result.total
                        by_source = self._source_out.get((c, src))
                        # through the entity's emissions by source where the figures are the same
                        # (its activity rows are that fact's inputs), else the rows themselves
                        if by_source is not None and by_source.value == source.result.total:
                            ins.append(by_source)
                        else:
                            ins += source.reads
                        used += _factors(source.result)
                supply = captive_supplier(self.tree, c, plants)
                e, ei, ef, uncounted = self._electricity_co2(c, plant_ef.get(supply.plant))
                total += e
                ins += ei
                used += ef
                if supply.plant in plant_ef and self.fact(c, "electricity_received", "supplier=captive") is not None:
                    marks.append(self.left_out([supply.plant], PLANT_SOURCES)[0])
                if uncounted is not None and supply.ambiguous:
                    # several plants and nothing says which: left out, the figure marked
                    # incomplete, the entity named (ESG-CALC-017)
                    unassigned.append((uncounted, supply.candidates))
                    marks.append(incomplete.mark([(c, "power_generation", "ESG-CALC-017")]))
                elif uncounted is not None:
                    missing.append(uncounted)
                h, hf = self._heat_co2(c, report=False)  # purchased heat at the heat factor
                if h is not None:
                    total += h.total
                    ins.append(hf)
                    used += _factors(h)
            return total, ins, used, missing, unassigned, incomplete.merge(marks)

        def out_t(codes, ind):
            vals = [self.tonnes(c, ind) for c in codes if self.fact(c, ind) is not None]
            if not vals:
                return None, []
            return sum(vals, Decimal(0)), [self.fact(c, ind) for c in codes if self.fact(c, ind) is not None]

        by_type = self._by_type
        if by_type is None:
            by_type = self._by_type = {}
            for code, e in self.tree.entities.items():
                by_type.setdefault(e.process_type, []).append(code)
        results: dict[str, tuple[Decimal, Decimal, list[FactRecord]]] = {}
        specs = PRODUCT_STAGES
        sink, problems = self._sink, self.res.problems
        stages = []  # the stage tuples this computation used (the liquid aluminium figure's key)
        for product, ptype, out_ind in specs:
            codes = sorted(by_type.get(ptype, []))
            if not codes:
                continue
            kept = self._stages.get(product)
            said = self._stage_said.get(product)
            if kept is not None and kept[0] == codes and said is not None and said[0] is kept:
                # the stage as the last run computed it: the same outputs and warnings again
                stages.append(kept)
                _kept, outs, warned, result = said
                self.res.outputs += outs
                if sink is not None:
                    sink += outs
                problems += warned
                if result is not None:
                    results[product] = result
                continue
            if kept is not None and kept[0] == codes:
                _codes, em, ins, used, qty, qins, energy, missing, unassigned, mark = kept
            else:
                em, ins, used, missing, unassigned, mark = stage(codes)
                qty, qins = out_t(codes, out_ind)
                energy = self._stage_energy(product, codes, out_ind)
                kept = self._stages[product] = (codes, em, ins, used, qty, qins, energy, missing, unassigned, mark)
            stages.append(kept)
            first_out, first_problem = len(self.res.outputs), len(problems)
            result = None
            for o in energy:
                self.emit(*o)
            for f, candidates in unassigned:
                # captive electricity of a group with several plants, none named for the entity
                problems.append(Problem("ESG-CALC-017", Location(field=f"{f.entity}/{f.indicator}/{f.dims}"), {
                    "entity": f.entity, "indicator": f.indicator, "period": self.period, "field": product,
                    "found": with_unit(plain(Decimal(f.value)), f.unit), "expected": ", ".join(candidates)}))
            if qty is not None and qty != 0 and ins:
                if not unassigned and not any(f.indicator in ("electricity_received", PURCHASED_INDICATOR)
                                              for f in ins):
                    # no electricity reported for any entity of the stage: its direct emissions only
                    problems.append(Problem("ESG-CALC-010", Location(
                        field=f"{self.root()}/product_footprint/product={product}"), {
                        "entity": self.root(), "indicator": "product_footprint", "period": self.period,
                        "field": product, "found": ", ".join(codes)}))
                elif missing:
                    # captive electricity the plant has no factor for this period: left out, so
                    # the figure is too low until the plant's data is in
                    mwh = sum((Decimal(f.value) for f in missing), Decimal(0))
                    problems.append(Problem("ESG-CALC-011", Location(
                        field=f"{self.root()}/product_footprint/product={product}"), {
                        "entity": self.root(), "indicator": "product_footprint", "period": self.period,
                        "field": product, "found": with_unit(plain(mwh), missing[0].unit),
                        "expected": ", ".join(sorted({f.entity for f in missing}))}))
                result = results[product] = (em, qty, ins + qins, used, mark)
                if product not in CHAINED:  # (foil: with the metal it takes in, below)
                    self._emit_product(product, em, qty, ins + qins, used, mark)
            self._stage_said[product] = (kept, self.res.outputs[first_out:], problems[first_problem:], result)
        # the entities whose captive electricity the stages left out (ESG-CALC-017), for the
        # run's list of what its figures leave out
        self._unassigned = sorted({(f.entity, "power_generation", "ESG-CALC-017")
                                   for st in stages for f, _c in st[8]})
        # the energy uses the stages' energy per tonne left out (the marks of those figures)
        self._stage_energy_out = sorted({item for st in stages for o in st[6] for item in incomplete.parse(o[10])})
        # liquid aluminium cradle-to-gate: electrolysis + the alumina and anodes it consumed (at
        # those stages' emissions per tonne: their inputs and factors are in its lineage too),
        # then foil with the metal it takes in at that figure; the same as the last run's when
        # they read the same stages (a smelter's alumina or anodes consumed changing is a change
        # of the electrolysis stage, a mill's metal taken in one of the foil stage)
        said = self._stage_said.get("liquid_aluminium")
        if said is not None and len(said[0]) == len(stages) and all(a is b for a, b in zip(said[0], stages)):
            self.res.outputs += said[1]
            if sink is not None:
                sink += said[1]
            problems += said[2]
            return
        first_out, first_problem = len(self.res.outputs), len(problems)
        liquid = self._liquid_aluminium(results, by_type)
        self._foil(results, by_type, liquid)
        self._stage_said["liquid_aluminium"] = (stages, self.res.outputs[first_out:], problems[first_problem:], None)

    def _liquid_aluminium(self, results, by_type) -> Output | None:
        """Liquid aluminium cradle-to-gate inside the group; its footprint output, or None."""
        if "aluminium_electrolysis" in results:
            em, qty, stage_ins, stage_used, mark = results["aluminium_electrolysis"]
            extra, ins, used, marks = Decimal(0), list(stage_ins), list(stage_used), [mark]
            smelters = sorted(by_type.get("smelter", []))
            alumina_used = [self.fact(c, "alumina_consumption") for c in smelters]
            alumina_used = [f for f in alumina_used if f is not None]
            if not alumina_used or "alumina" not in results:
                return None  # without the alumina it consumed, there is no cradle-to-gate figure
            a_em, a_qty, a_ins, a_used, a_mark = results["alumina"]
            extra += sum(self.tonnes(f.entity, "alumina_consumption") for f in alumina_used) * a_em / a_qty
            ins += alumina_used + a_ins
            used += a_used
            marks.append(a_mark)
            anode_used = [self.fact(c, "net_anode_consumption") for c in smelters]
            anode_used = [f for f in anode_used if f is not None]
            if anode_used and "baked_anode" in results:
                b_em, b_qty, b_ins, b_used, b_mark = results["baked_anode"]
                extra += sum(self.tonnes(f.entity, "net_anode_consumption") for f in anode_used) * b_em / b_qty
                ins += anode_used + b_ins
                used += b_used
                marks.append(b_mark)
            return self._emit_product("liquid_aluminium", em + extra, qty, ins, used, incomplete.merge(marks))
        return None

    def _foil(self, results, by_type, liquid: Output | None) -> None:
        """Aluminium foil cradle-to-gate inside the group (the product view's boundary: a partial
        carbon footprint in ISO 14067:2018's terms, over the upstream stages the group runs
        itself, as for liquid aluminium): the foil mills' own
        emissions (their fuels, electricity and bought heat: the foil stage), plus the aluminium
        they took in (``foil_metal_input``, t) at the group's liquid-aluminium footprint per
        tonne, per tonne of foil (:func:`foil_cradle_to_gate`). Its lineage names the metal
        taken in and the liquid-aluminium footprint (a calculated fact of this run) beside the
        mills' own facts.

        Without either, no foil figure is written, and ESG-CALC-015 names what is missing: the
        mills' own emissions alone are gate to gate (a foil mill's are a few per cent of its
        foil's footprint) and would read, under the view's cradle-to-gate label, as a foil
        thirty times cleaner than the metal it is rolled from."""
        if "foil" not in results:
            return
        em, qty, ins, used, mark = results["foil"]
        root = self.root()
        mills = sorted(by_type.get("foil_mill", []))
        metal = [f for f in (self.fact(c, FOIL_METAL_INDICATOR) for c in mills) if f is not None]
        lacking = [c for c in mills if self.fact(c, "aluminium_foil_output") is not None
                   and self.fact(c, FOIL_METAL_INDICATOR) is None]
        missing = []
        if lacking:
            names = ", ".join(lacking)
            missing.append(Bilingual(f"{names} 的投入铝量 {FOIL_METAL_INDICATOR}",
                                     f"the aluminium taken in, {FOIL_METAL_INDICATOR}, of {names}"))
        if liquid is None:
            missing.append(Bilingual(
                "集团铝液的产品碳足迹（product_footprint[product=liquid_aluminium]：需电解系列的产量、用电和氧化铝消耗量 "
                "alumina_consumption，以及氧化铝厂的产量和排放）",
                "the group's liquid-aluminium footprint (product_footprint[product=liquid_aluminium]: it needs the "
                "potlines' output, electricity and alumina_consumption, and the refinery's output and emissions)"))
        if missing:
            self.res.problems.append(Problem("ESG-CALC-015", Location(field=f"{root}/product_footprint/product=foil"), {
                "entity": root, "indicator": "product_footprint", "period": self.period,
                "field": Bilingual(self.lib.dimension_member_label("product", "foil", "zh"),
                                   self.lib.dimension_member_label("product", "foil", "en")),
                "found": Bilingual("；".join(m.zh for m in missing), "; and ".join(m.en for m in missing)),
                "expected": with_unit(plain(em.quantize(Decimal("0.01"))), "tCO2e")}))
            return
        metal_t = sum((self.tonnes(f.entity, FOIL_METAL_INDICATOR) for f in metal), Decimal(0))
        total = foil_cradle_to_gate(em, metal_t, liquid.value)
        self._emit_product("foil", total, qty, ins + metal + [liquid], used, incomplete.merge([mark, liquid.comment]),
                           equation=EQ_FOIL)

    def _emit_product(self, product: str, em: Decimal, qty: Decimal, ins, used, mark: str | None = None,
                      equation: str | None = None) -> Output:
        """A product's emissions and its footprint per tonne, at the reporting root (``mark``:
        what it leaves out, calc/incomplete.py); the footprint output."""
        root = self.root()
        with localcontext() as ctx:
            ctx.prec = 34
            self.emit(root, "product_emissions", f"product={product}", em, ins, None, "product", "product",
                      factors=used, equation=equation or (EQ_LIQUID_AL if product == "liquid_aluminium" else EQ_PRODUCT),
                      comment=mark)
            return self.emit(root, "product_footprint", f"product={product}", em / qty, ins, None, "product",
                             "product", factors=used, equation=EQ_FOOTPRINT, comment=mark)


def foil_cradle_to_gate(mill_emissions: Decimal, metal_in_t: Decimal, liquid_footprint: Decimal) -> Decimal:
    """Foil's emissions cradle-to-gate inside the group, t CO2e: the foil mills' own (gate to
    gate) plus the aluminium they took in at the group's liquid-aluminium footprint per tonne.
    A mill with 1,000 t CO2e of its own that rolled 10,000 t of foil from 10,500 t of metal at
    12.9 t CO2e/t: (1,000 + 10,500 × 12.9) / 10,000 = 13.645 t CO2e per t of foil.

    >>> foil_cradle_to_gate(Decimal(1000), Decimal(10500), Decimal("12.9")) / 10000
    Decimal('13.645')
    """
    with localcontext() as ctx:
        ctx.prec = 34
        return mill_emissions + metal_in_t * liquid_footprint
