"""Energy consumption in a GHG run, by GB/T 2589-2020: each entity's 综合能耗 (the fuels it
burns, the electricity and heat it buys, by the calorific and the equivalent methods, in total
and by carrier) and each product stage's energy per tonne of its product. A mixin of
:class:`~esgledger.calc.ghg.run.GhgRun`, whose facts, factors and outputs it works with."""
from __future__ import annotations

from decimal import Decimal

from esgledger.calc import incomplete
from esgledger.calc.ghg.common import (BOUGHT_ELECTRICITY, FUEL_INDICATORS, HEAT_INDICATOR, STAGE_ELECTRICITY,
                                       _members)
from esgledger.calc.ghg.memo import MemoFactors
from esgledger.calc.methods import CalcError
from esgledger.calc.methods import energy as m_energy
from esgledger.model.types import FactRecord

EQ_ENERGY_CARRIER = ("E_carrier = amount × its coefficient: the fuel's NCV / 29.307 GJ per tce where its NCV is known, "
                     "else its GB/T 2589-2020 Annex A coefficient (tce)")


class _Energy:
    """GhgRun's energy figures."""

    def _energy_uses(self, code: str, electricity: tuple[str, ...] = BOUGHT_ELECTRICITY
                     ) -> tuple[list[m_energy.EnergyUse], list[FactRecord], list[dict]]:
        """What one entity consumes, carrier by carrier, for GB/T 2589: its fuels (a measured
        NCV, or else the default NCV its CO2 takes, gives a fuel its own energy content, / 29.307
        GJ per tce, recorded as ``energy.ncv_standard_coal``), the electricity it
        receives from the sources ``electricity`` names, and bought heat; the facts read; and
        each use's memo for :func:`~esgledger.calc.methods.energy.total_energy`. A use is made
        once for the facts it is made of (the same fact objects give the same use object, and
        its memo)."""
        uses, reads, memos = [], [], []

        def use(key: tuple, facts: tuple, make) -> None:
            hit = self._uses.get(key)
            if hit is None or len(hit[0]) != len(facts) or any(a is not b for a, b in zip(hit[0], facts)):
                hit = self._uses[key] = (facts, make(), {})
            uses.append(hit[1])
            memos.append(hit[2])

        for ind_code, fuel in FUEL_INDICATORS.items():
            f = self.fact(code, ind_code)
            if f is not None:
                # at the NCV its CO2 takes (the MEE default: diesel 43.33 GJ/t, natural gas 389.31
                # GJ/10⁴Nm³), / 29.307 GJ per tce, not GB/T 2589 Annex A's mean coefficients
                use((code, ind_code), (f,), lambda: m_energy.EnergyUse(
                    fuel, f.value, f.unit, ncv_fuel=fuel,
                    density=self.fx(code).find("fuel.density", self.year, fuel=fuel) if f.unit in ("升",) else None))
                reads.append(f)
        ind_code = "solid_fuel_consumption"
        for dims in self.dims(code, ind_code):
            f = self.facts[(code, ind_code, dims)]
            ncv_f = self.fact(code, "fuel_ncv_measured", dims)

            def solid() -> m_energy.EnergyUse:
                # the NCV its CO2 takes, so that one tonne of coal has one energy content: the
                # measured one, else the named fuel's default NCV (JXTG's bituminous coal: 23.204
                # GJ/t, not GB/T 2589's raw-coal mean 20.908); / 29.307 GJ per tce, both in the
                # lineage. Only a fuel with neither takes GB/T 2589 Annex A's coefficient.
                named = _members(dims).get("fuel")
                fuel = named or "raw_coal"
                carrier = fuel if fuel in ("coke", "petroleum_coke") else "raw_coal"
                if ncv_f is not None:
                    return m_energy.EnergyUse(carrier, f.value, f.unit, ncv=Decimal(ncv_f.value), ncv_unit=ncv_f.unit)
                return m_energy.EnergyUse(carrier, f.value, f.unit, ncv_fuel=named)
            use((code, ind_code, dims), (f, ncv_f), solid)
            reads += [f, ncv_f]
        received = [self.fact(code, "electricity_received", f"supplier={s}") for s in electricity]
        received = tuple(f for f in received if f is not None)
        rest, purchased = self.purchased_as_grid(code)  # purchased electricity counted as grid
        if purchased is not None:
            received += (purchased,)
        if received:
            use((code, "electricity_received", electricity), received, lambda: m_energy.EnergyUse(
                "electricity", sum((Decimal(f.value) for f in received if f is not purchased), rest), "兆瓦时"))
            reads += received
        heat = self.fact(code, HEAT_INDICATOR)
        if heat is not None:
            use((code, HEAT_INDICATOR), (heat,), lambda: m_energy.EnergyUse("heat", heat.value, heat.unit))
            reads.append(heat)
        return uses, reads, memos

    def _energy(self, code: str) -> None:
        """综合能耗 by GB/T 2589-2020: fuels burnt, and electricity and heat bought from outside
        the group (the captive plant's coal already counts where it burns), by the calorific
        (当量值) and the equivalent (等价值) methods; heat is 0.03412 kgce/MJ in both.

        A use that does not convert to standard coal (ESG-CALC-005: its carrier has no
        coefficient for the method, its unit times the coefficient's is not energy) is left out:
        the entity's total and its carrier's figure (0 when none of the carrier converts) are
        written marked incomplete (calc/incomplete.py, ``energy:<carrier>``), as a Scope 1
        without a source is, so that the mark reaches every figure above them."""
        uses, reads, memos = self._energy_uses(code)
        lost = self.energy_missing[code] = set()
        if not uses:
            return
        for method, indicator in (("calorific", "energy_consumption"), ("equivalent", "energy_consumption_equivalent")):
            r, failed = m_energy.total_energy_of_what_converts(uses, method=method, factors=self.fx(code),
                                                               on=self.year, memo=memos)
            out = set()
            for i, exc in failed:
                self.problem(code, f"{indicator}[fuel={uses[i].carrier}]", exc)
                out.add((code, incomplete.energy_source(uses[i].carrier), "ESG-CALC-005"))
            lost |= out
            self.emit(code, indicator, "", r.total, reads, r, r.method, "energy", comment=incomplete.mark(out))
            for carrier in sorted(set(r.values) | {uses[i].carrier for i, _e in failed}):
                member = {"raw_coal": "raw_coal"}.get(carrier, carrier)
                # the carrier's own coefficients (and density): its parameters are named "<carrier>.…"
                own = [p.factor for p in r.parameters if p.factor is not None and p.name.startswith(f"{carrier}.")]
                self.emit(code, indicator, f"fuel={member}", r.values.get(carrier, Decimal(0)), reads, None, r.method,
                          "energy", factors=own, equation=EQ_ENERGY_CARRIER,
                          comment=incomplete.mark(item for item in out if item[1] == incomplete.energy_source(carrier)))

    def _stage_energy(self, product: str, codes: list[str], out_ind: str) -> list[tuple]:
        """单位产品综合能耗 of one process stage, in kgce per tonne of product: every plant of
        the stage with an output, and the stage as a whole at the reporting root (Σ energy of
        the stage's entities / Σ their output, as the stage's emissions are summed). Gate to
        gate: the fuels burnt at the stage, all the electricity it uses whatever its source,
        and bought heat, by GB/T 2589-2020's calorific-value (当量值) coefficients. The
        emit() arguments, computed once per stage and kept with it.

        A use that does not convert to standard coal (ESG-CALC-005, said once per use at its
        entity) is left out as it is of the entity's energy total (:meth:`_energy`): the plant's
        figure and the stage's are those of what converts, marked incomplete
        (``energy:<carrier>``, calc/incomplete.py)."""
        root = self.root()
        dims = f"product={product}"
        out: list[tuple] = []
        all_uses: list[m_energy.EnergyUse] = []
        all_memos: list[dict] = []
        all_reads: list[FactRecord] = []
        owner: list[str] = []  # the entity of each use of the stage
        total_t, out_facts = Decimal(0), []
        all_fx: list[MemoFactors] = []
        for c in codes:
            uses, reads, memos = self._energy_uses(c, STAGE_ELECTRICITY)
            all_uses += uses
            all_memos += memos
            all_fx += [self.fx(c)] * len(uses)  # each use at its entity's factors
            owner += [c] * len(uses)
            all_reads += reads
            qf = self.fact(c, out_ind)
            if qf is not None:
                total_t += self.tonnes(c, out_ind)
                out_facts.append(qf)
            if c == root or qf is None or not uses:
                continue
            try:
                r, failed = m_energy.total_energy_of_what_converts(uses, method="calorific", factors=self.fx(c),
                                                                   on=self.year, label=product, memo=memos)
                v = m_energy.per_product(r.total * 1000, self.tonnes(c, out_ind))
            except CalcError as exc:
                self.problem(c, "energy_intensity_product", exc)
                continue
            mark = incomplete.mark((c, incomplete.energy_source(uses[i].carrier), "ESG-CALC-005") for i, _e in failed)
            out.append((c, "energy_intensity_product", dims, v, reads + [qf], r, "energy.product:calorific",
                        "energy", (), None, mark))
        if all_uses and out_facts:
            # the stage's uses, each at its entity's factors: a use that does not convert here
            # does not at its entity either (the same use, factors and method), so it is said once
            r, failed = m_energy.total_energy_of_what_converts(
                all_uses, method="calorific", factors=self.factors, factors_of=all_fx, on=self.year, label=product,
                memo=all_memos)
            for i, exc in failed:
                self.problem(owner[i], f"energy_intensity_product[fuel={all_uses[i].carrier}]", exc)
            try:
                v = m_energy.per_product(r.total * 1000, total_t)
            except CalcError as exc:
                self.problem(root, "energy_intensity_product", exc)
            else:
                mark = incomplete.mark((owner[i], incomplete.energy_source(all_uses[i].carrier), "ESG-CALC-005")
                                       for i, _e in failed)
                out.append((root, "energy_intensity_product", dims, v, all_reads + out_facts, r,
                             "energy.product:calorific", "energy", (), None, mark))
        return out
