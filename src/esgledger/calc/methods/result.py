"""The records every methodology returns, and the small helpers they share.

A :class:`Result` carries the amounts per gas (tonnes of each gas) or per energy carrier, the
CO2e total with the GWP set that weighted it, and its lineage: every parameter with the value
and unit the equation used and, where it came from a factor set, the :class:`FactorValue`
itself; plus the intermediate steps. A calculation run turns it into facts.

Numbers are ``Decimal`` throughout (context precision 34, never binary floats); a ``float``
argument raises :class:`InvalidInput`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation, localcontext
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, Sequence, Union

from esgledger.calc.methods import FactorUnitMismatch, InvalidInput, MissingInput, MixedGwpSets
from esgledger.library.factors import FactorLibrary, FactorLookupError, FactorValue, load_factor_sets
from esgledger.model.units import UNITS, UnitError

PREC = 34
CO2_PER_C = (Decimal(44), Decimal(12))   # molecular weight ratio CO2/C = 44/12 (IPCC 2006; GB/T 32151)
TONNE = "吨"
CO2E = "tCO2e"

Number = Union[Decimal, int, str]
Param = Union[Decimal, int, str, FactorValue]


def exact(fn: Callable) -> Callable:
    """Run ``fn`` in a decimal context of precision 34 (results never depend on the caller's)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with localcontext() as ctx:
            ctx.prec = PREC
            return fn(*args, **kwargs)

    return wrapper


def co2_from_carbon(carbon_t: Decimal) -> Decimal:
    """t CO2 from t C: × 44/12, multiplied before dividing so exact inputs stay exact longest."""
    return carbon_t * CO2_PER_C[0] / CO2_PER_C[1]


# The Chinese names of the parameters the methods record (the terms of the indicator library
# and of the factor keys), for the Chinese text of a CalcError; the code stays beside it.
_ZH_NAMES = {
    "aeo": "阳极效应过电压", "aem": "阳极效应持续时间", "amount": "用量", "ash_pct": "灰分",
    "baked_anodes": "焙烧阳极量", "baseline_value": "基准值", "binder_pct": "阳极糊粘结剂含量",
    "c2f6_ratio": "C2F6/CF4 质量比", "calcination_pct": "分解率", "carbon_content": "单位热值含碳量",
    "carbon_pct": "元素碳含量", "certificates": "绿证电量", "coefficient": "折标准煤系数",
    "coke_ash_pct": "煅后焦灰分", "coke_sulphur_pct": "煅后焦含硫量", "consumption": "消耗量",
    "csm": "环己烷可溶物排放", "current_efficiency_pct": "电流效率", "current_value": "当前值",
    "density": "密度", "distance": "运输距离", "duration_min": "阳极效应持续时间（分钟）",
    "dust_carbon": "撇渣粉尘含碳量", "ef": "排放因子", "ef_c2f6": "C2F6 排放因子", "ef_cf4": "CF4 排放因子",
    "electricity": "电量", "energy": "能量", "exported": "外供量", "frequency": "阳极效应频率", "gj_per_tce": "标准煤低位发热量",
    "green_anodes": "入炉生阳极量", "green_contracts": "绿电交易电量", "grid_factor": "电网排放因子",
    "heat": "外购热力", "heat_factor": "外购热力排放因子", "heat_share_pct": "供热比", "hydrogen": "含氢量",
    "hydrogen_fraction": "生阳极含氢比例", "limestone": "石灰石消耗量", "loss_rate_pct": "输配电线损率",
    "mass": "质量", "nac": "阳极净耗量", "ncv": "低位发热量", "output_value": "产值",
    "ovc": "CF4 过电压系数", "oxidation_pct": "碳氧化率", "paste_consumption": "阳极糊消耗量",
    "pcc": "填充焦消耗量", "per": "分母", "pitch_ash_pct": "沥青灰分", "pitch_hydrogen_pct": "沥青含氢量",
    "pitch_sulphur_pct": "沥青含硫量", "plant_ef": "自备电厂供电排放因子", "production": "产量",
    "purity_pct": "纯度", "quantity": "数量", "residual_factor": "剩余电力排放因子", "slope": "CF4 斜率系数",
    "sorbent": "脱硫剂用量", "sulphur_pct": "含硫量", "supplied": "供电量", "target_change_pct": "目标变化率",
    "tonne_km": "货物运输周转量", "value": "数值", "waste_tar": "回收焦油量",
    "waste_tar_fraction": "回收焦油比例",
}


def zh_name(name: str) -> str:
    """A parameter's Chinese name with its code, for the Chinese text of an error:
    ``zh_name("ncv")`` is ``"低位发热量（ncv）"``; an unknown name stays as it is."""
    last = name.rsplit(".", 1)[-1]
    if last.startswith("gwp_"):
        zh = f"{last[4:]} 的全球增温潜势"
    else:
        zh = _ZH_NAMES.get(last)
    return f"{zh}（{name}）" if zh else name


def dec(name: str, value: Number) -> Decimal:
    """A Decimal from a Decimal, int or numeric string; floats and booleans are refused."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidInput(f"{name} must be a finite number, found {value}",
                               zh=f"{zh_name(name)}必须是有限数值，实际为 {value}")
        return value
    if isinstance(value, bool) or isinstance(value, float):
        raise InvalidInput(f"{name} must be a Decimal, int or numeric string, not {type(value).__name__} "
                           f"({value!r}): binary floats lose digits",
                           zh=f"{zh_name(name)}必须是 Decimal、整数或数字字符串，不能是 {type(value).__name__}"
                              f"（{value!r}）：二进制浮点数会丢失精度")
    if isinstance(value, (int, str)):
        try:
            d = Decimal(str(value).strip())
        except InvalidOperation:
            raise InvalidInput(f"{name} is not a number: {value!r}",
                               zh=f"{zh_name(name)}不是数值：{value!r}") from None
        if not d.is_finite():
            raise InvalidInput(f"{name} must be a finite number, found {value!r}",
                               zh=f"{zh_name(name)}必须是有限数值，实际为 {value!r}")
        return d
    raise InvalidInput(f"{name} must be a number or a FactorValue, not {type(value).__name__}",
                       zh=f"{zh_name(name)}必须是数值或 FactorValue，不能是 {type(value).__name__}")


def product_factor(unit_a: str, unit_b: str, target: str) -> Decimal:
    """The exact multiplier k with (a [unit_a]) × (b [unit_b]) = a·b·k [target]."""
    k = _product_factor(unit_a, unit_b, target)
    if isinstance(k, UnitError):  # remembered too: methods probe unit pairs that do not fit
        raise UnitError(k.kind, k.unit, k.other)
    return k


@functools.lru_cache(maxsize=1024)
def _product_factor(unit_a: str, unit_b: str, target: str) -> "Decimal | UnitError":
    try:
        return _compute_product_factor(unit_a, unit_b, target)
    except UnitError as exc:
        return exc


def _compute_product_factor(unit_a: str, unit_b: str, target: str) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        q = UNITS.quantity(unit_a) * UNITS.quantity(unit_b) / UNITS.quantity(target)
        q = q.to_reduced_units()
        if not q.dimensionless:
            raise UnitError("incompatible", f"{unit_a} × {unit_b}", target)
        return Decimal(format(Decimal(str(q.to("dimensionless").magnitude)).normalize(), "f"))


# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Parameter:
    """One value an equation used: activity data or a measured value given by the caller
    (``factor`` None), or a value from a factor set (``factor`` is its record)."""

    name: str
    value: Decimal
    unit: str
    factor: FactorValue | None = None

    @property
    def given(self) -> bool:
        return self.factor is None


@dataclass(frozen=True)
class Step:
    """An intermediate value worth showing (an emission factor per tonne, an energy in GJ)."""

    name: str
    value: Decimal
    unit: str


@dataclass(frozen=True)
class Result:
    """What a methodology computed, with its lineage.

    ``values``: tonnes of each gas (``CO2``, ``CF4``, ``C2F6``, or ``CO2e`` for factors that
    are already CO2e), or tonnes of standard coal per carrier for energy results.
    ``total``: t CO2e for GHG results (``total_unit`` "tCO2e"), the sum for energy results.
    """

    method: str
    version: str
    equation: str
    values: Mapping[str, Decimal]
    unit: str
    total: Decimal
    total_unit: str
    gwp_set: str | None = None
    parameters: tuple[Parameter, ...] = ()
    steps: tuple[Step, ...] = ()
    label: str = ""
    parts: tuple["Result", ...] = field(default=(), repr=False)

    @property
    def co2e(self) -> Decimal:
        if self.total_unit != CO2E:
            raise InvalidInput(f"{self.method} is not a greenhouse-gas result",
                               zh=f"{self.method} 不是温室气体核算结果")
        return self.total

    def gas(self, name: str) -> Decimal:
        return self.values.get(name, Decimal(0))

    @property
    def inputs(self) -> tuple[Parameter, ...]:
        """Parameters given by the caller (activity data, measured values)."""
        return tuple(p for p in self.parameters if p.factor is None)

    @property
    def factors(self) -> tuple[FactorValue, ...]:
        """The factor-set values used, in the order the equation used them."""
        return tuple(p.factor for p in self.parameters if p.factor is not None)

    def param(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)

    def step(self, name: str) -> Decimal:
        for s in self.steps:
            if s.name == name:
                return s.value
        raise KeyError(name)

    def lineage(self) -> list[tuple[str, str, str, str]]:
        """``[(name, value, unit, factor ref or "input"), ...]`` of this result and its parts."""
        out = [(p.name, str(p.value), p.unit, p.factor.ref if p.factor else "input") for p in self.parameters]
        for part in self.parts:
            out += [(f"{part.label or part.method}.{n}", v, u, r) for n, v, u, r in part.lineage()]
        return out

    @exact
    def with_gwp(self, gwp_set: str, factors: FactorLibrary | None = None) -> "Result":
        """The same gas amounts weighted with another GWP set (AR4 → AR5 …)."""
        if self.total_unit != CO2E:
            raise InvalidInput(f"{self.method} is not a greenhouse-gas result",
                               zh=f"{self.method} 不是温室气体核算结果")
        rec = Recorder()
        kept = tuple(p for p in self.parameters if not p.name.startswith("gwp_"))
        total = co2e_total(self.values, gwp_set, factors, rec)
        return replace(self, total=total, gwp_set=gwp_set if _needs_gwp(self.values) else None,
                       parameters=kept + tuple(rec.params),
                       parts=tuple(p.with_gwp(gwp_set, factors) for p in self.parts))


def _needs_gwp(values: Mapping[str, Decimal]) -> bool:
    return any(g not in ("CO2", "CO2e") for g in values)


def co2e_total(values: Mapping[str, Decimal], gwp_set: str | None, factors: FactorLibrary | None,
               rec: "Recorder") -> Decimal:
    """Σ mass_gas × GWP_gas in t CO2e; CO2 counts 1 and ``CO2e`` amounts count as they are."""
    total = Decimal(0)
    for gas, amount in values.items():
        if gas in ("CO2", "CO2e"):
            total += amount
            continue
        if gwp_set is None:
            raise MissingInput(f"{gas} needs a GWP set (SAR, AR4, AR5, AR6) to be expressed in CO2e",
                               zh=f"{gas} 需指定全球增温潜势（GWP）版本（SAR、AR4、AR5、AR6）才能折算为 CO2e")
        try:
            fv = library(factors).lookup("gwp", gas=gas, gwp_set=gwp_set)
        except FactorLookupError as exc:
            raise MissingInput(f"no GWP of {gas} in set {gwp_set}: {exc}",
                               zh=f"{gwp_set} 中没有 {gas} 的全球增温潜势：{exc.problem.render('zh')}") from exc
        total += amount * rec.take(f"gwp_{gas}", fv, "1")
    return total


def library(factors: FactorLibrary | None) -> FactorLibrary:
    return factors if factors is not None else load_factor_sets()


class Recorder:
    """Collects the parameters and steps of one calculation."""

    def __init__(self) -> None:
        self.params: list[Parameter] = []
        self.steps: list[Step] = []

    def take(self, name: str, value: Param, unit: str) -> Decimal:
        """``value`` in ``unit``: a FactorValue is converted exactly; a number is taken as
        already in ``unit``. Either way it is recorded."""
        if isinstance(value, FactorValue):
            try:
                v = value.to(unit)
            except UnitError as exc:
                raise FactorUnitMismatch(f"{name}: factor {value.ref} is in {value.unit}, "
                                         f"the equation needs {unit}",
                                         zh=f"{zh_name(name)}：因子 {value.ref} 的单位为 {value.unit}，"
                                            f"而公式需要 {unit}") from exc
            self.params.append(Parameter(name, v, unit, value))
            return v
        v = dec(name, value)
        self.params.append(Parameter(name, v, unit))
        return v

    def take_or_lookup(self, name: str, value: Param | None, unit: str, factors: FactorLibrary | None,
                       key: str, on: Any = None, prefer: Sequence[str] = (), **dims: Any) -> Decimal:
        """The given value, or the factor-set value of ``key`` for these dimensions."""
        if value is None:
            try:
                value = library(factors).lookup(key, on, prefer=prefer, **dims)
            except FactorLookupError as exc:
                raise MissingInput(f"{name} was not given and no factor applies: {exc}",
                                   zh=f"未给出{zh_name(name)}，也没有适用的因子：{exc.problem.render('zh')}") from exc
        return self.take(name, value, unit)

    def step(self, name: str, value: Decimal, unit: str) -> Decimal:
        self.steps.append(Step(name, value, unit))
        return value

    def nonnegative(self, name: str, value: Decimal) -> Decimal:
        if value < 0:
            raise InvalidInput(f"{name} must not be negative, found {value}",
                               zh=f"{zh_name(name)}不能为负数，实际为 {value}")
        return value

    def percent(self, name: str, value: Decimal, *, low: Decimal = Decimal(0),
                high: Decimal = Decimal(100)) -> Decimal:
        if not low <= value <= high:
            raise InvalidInput(f"{name} is a percentage between {low} and {high}, found {value}",
                               zh=f"{zh_name(name)}是百分数，应在 {low} 到 {high} 之间，实际为 {value}")
        return value


def ghg_result(method: str, version: str, equation: str, gases: Mapping[str, Decimal], rec: Recorder, *,
               gwp_set: str | None = None, factors: FactorLibrary | None = None, label: str = "") -> Result:
    """A GHG :class:`Result` from gas masses in tonnes; non-CO2 gases need ``gwp_set``."""
    total = co2e_total(gases, gwp_set, factors, rec)
    return Result(method=method, version=version, equation=equation,
                  values=MappingProxyType(dict(gases)), unit=TONNE, total=total, total_unit=CO2E,
                  gwp_set=gwp_set if _needs_gwp(gases) else None, parameters=tuple(rec.params),
                  steps=tuple(rec.steps), label=label)


@exact
def combine(results: Iterable[Result], *, method: str = "sum", label: str = "") -> Result:
    """Add results of the same kind (gas by gas, or carrier by carrier) into one, keeping each
    as a part for lineage. GHG results weighted with different GWP sets are refused."""
    items = list(results)
    if not items:
        raise InvalidInput("nothing to combine", zh="没有可合计的结果")
    units = {(r.unit, r.total_unit) for r in items}
    if len(units) > 1:
        raise InvalidInput(f"cannot add results in different units: {sorted(units)}",
                           zh=f"单位不同的结果不能相加：{sorted(units)}")
    gwp_sets = {r.gwp_set for r in items if r.gwp_set is not None}
    if len(gwp_sets) > 1:
        raise MixedGwpSets(f"results use different GWP sets: {sorted(gwp_sets)}",
                           zh=f"结果采用了不同的全球增温潜势（GWP）版本：{sorted(gwp_sets)}")
    values: dict[str, Decimal] = {}
    for r in items:
        for k, v in r.values.items():
            values[k] = values.get(k, Decimal(0)) + v
    first = items[0]
    return Result(method=method, version="1", equation="Σ parts", values=MappingProxyType(values),
                  unit=first.unit, total=sum((r.total for r in items), Decimal(0)),
                  total_unit=first.total_unit, gwp_set=next(iter(gwp_sets), None), label=label,
                  parts=tuple(items))


__all__ = ["CO2E", "PREC", "Param", "Parameter", "Recorder", "Result", "Step", "co2_from_carbon",
           "co2e_total", "combine", "dec", "exact", "ghg_result", "library", "product_factor"]
