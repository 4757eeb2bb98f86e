"""Formula indicators in a consolidation run: each formula compiled once and evaluated over the
values at an entity (its own, or consolidated) at 40 digits; a share of a total by a breakdown
computed over the entities that reported both (ESG-CALC-014); the formulas reading a value that
moved; a formula's unit factor (:func:`formula_factor_for`). A mixin of
:class:`~esgledger.calc.consolidate.run.Consolidation`, whose values and tree it works with."""
from __future__ import annotations

from decimal import Decimal, DivisionByZero, InvalidOperation, getcontext, localcontext
from fractions import Fraction
from typing import Iterable, NamedTuple

from esgledger.calc.consolidate.values import _ONE, Value, to_decimal
from esgledger.library.loader import Library, reachable
from esgledger.model.errors import Bilingual, Location, Problem
from esgledger.model.formula import Bin, FormulaZeroDivision, Neg, Node, Num, Ref, unit_of
from esgledger.model.types import Dims
from esgledger.model.units import UNITS, plain, with_unit

_FACTORS: dict[tuple[int, str, str], Decimal] = {}


def formula_factor_for(lib: Library, node: Node, unit: str) -> Decimal:
    """Multiplier from a formula's natural unit to ``unit`` (e.g. a ratio → 100 for %)."""
    key = (id(lib), str(node), unit)
    if key not in _FACTORS:
        q = unit_of(node, lambda r: UNITS.quantity(lib.indicators[r.indicator].unit),
                    UNITS.ureg.Quantity(Decimal(1)))
        target = UNITS.quantity(unit)
        with localcontext() as ctx:
            ctx.prec = 40
            ratio = (q / target).to_reduced_units().to("dimensionless").magnitude
        _FACTORS[key] = Decimal(format(Decimal(ratio).normalize(), "f"))
    return _FACTORS[key]


def formula_factor(lib: Library, code: str) -> Decimal:
    return formula_factor_for(lib, lib.formulas[code], lib.indicators[code].unit)


def _readers(lib) -> dict[str, list[tuple[str, frozenset | None]]]:
    """Indicator → the formulas reading it, each with the dimension keys it reads (None: any,
    for a formula with dimensions of its own)."""
    readers: dict[str, list[tuple[str, frozenset | None]]] = {}
    for code, node in lib.formulas.items():
        by: dict[str, set[str]] = {}
        for r in node.refs():
            by.setdefault(r.indicator, set()).add(r.dims.key)
        anyway = bool(lib[code].dimensions)
        for ind, read in by.items():
            readers.setdefault(ind, []).append((code, None if anyway else frozenset(read)))
    return readers


def _shares(lib) -> dict[str, set[str]]:
    """Indicator → the share formulas of it (see :func:`_share_refs`)."""
    of: dict[str, set[str]] = {}
    for code, node in lib.formulas.items():
        pair = _share_refs(node)
        if pair is not None:
            of.setdefault(pair[0].indicator, set()).add(code)
    return of


class _Formulas:
    """Consolidation's formulas."""

    def _dependents(self) -> dict[str, set[str]]:
        """Indicator → the formulas reading it (the library's, built once per library)."""
        return self.lib.derived("formula_dependents", self.lib.dependents)

    def _formulas_reading(self, keys: Iterable[tuple[str, str]], deps) -> set[str]:
        """The formulas that read one of ``keys`` ((indicator, dimension key) of values that
        moved at an entity), and the formulas reading those. A formula without dimensions
        reads only the keys its references name (``product_emissions[product=alumina]`` does
        not read ``product=foil``); one with dimensions may read any key of its inputs."""
        readers = self.lib.derived("formula_readers", lambda: _readers(self.lib))
        start = set()
        for ind, dims in keys:
            for code, read in readers.get(ind, ()):
                if read is None or dims in read:
                    start.add(code)
        return start | reachable(start, deps) if start else start

    def _shares_reading(self, indicators: set[str], deps) -> set[str]:
        """The share formulas (see :func:`_share_refs`) of one of ``indicators``, and the
        formulas reading those."""
        of = self.lib.derived("share_formulas", lambda: _shares(self.lib))
        start = {code for i in indicators for code in of.get(i, ())}
        return start | reachable(start, deps) if start else start

    def _formulas(self, e: str, basis: str, get, available: dict[str, set[str]], cons=None, *,
                  only: set[str] | None = None) -> None:
        """The formulas at ``e`` on ``basis``. ``available``: the entity's keys of that basis
        that are not formula values, by indicator (own_index or cons_index of ``e``)."""
        computed = self.computed

        def lookup(ind: str, dims: str) -> Value | None:
            # a formula's value at this entity and basis, computed earlier in this loop (or,
            # in an update, kept from the last run as nothing it reads has changed)
            return computed.get((e, ind, dims, basis)) or get(ind, dims)

        if only is None:
            order = self.formula_order
        else:  # the same order, without a pass over every formula
            pos = self._formula_pos
            order = sorted((c for c in only if c in pos), key=pos.__getitem__)
        ctx = getcontext().copy()  # the formulas' arithmetic at 40 digits (as Bin.evaluate)
        ctx.prec = 40
        for code in order:
            spec = self._fspecs.get(code) or self._formula_spec(code)
            refs, evaluate, has_dims = spec.refs, spec.evaluate, spec.has_dims
            if not any(available.get(i) or (e, i, "", basis) in computed for i in spec.ref_inds):
                continue
            for dims in (self._formula_dims(code, spec, available) if has_dims else ("",)):
                vals: list[tuple[_Ref, Value]] = []
                missing = None
                for r in refs:
                    v = lookup(r.indicator, r.key(dims) if has_dims else r.dims_key)
                    if v is None:
                        missing = r.text
                        break
                    vals.append((r, v))
                if missing is not None:
                    # a formula the reporting root cannot compute is a gap worth a warning; one an
                    # intermediate node cannot (an input only reported at the group) is not
                    if vals and basis != "own" and e in self.roots:
                        self.result.problems.append(Problem("ESG-CALC-001", Location(field=code), {
                            "indicator": code, "period": self.period, "entity": e, "found": missing}))
                    continue
                if spec.share is not None and basis != "own":
                    over = self._share_over_covered(e, spec.share, dims if has_dims else None)
                    if over is not None:
                        self._covered_share(e, code, dims, over, vals, ctx, cons)
                        continue
                table = {r.ref: v.number for r, v in vals}
                try:
                    raw = evaluate(table, ctx)
                except FormulaZeroDivision as z:
                    self.result.problems.append(Problem("ESG-CALC-002", Location(field=code), {
                        "indicator": code, "period": self.period, "entity": e, "found": str(z.ref)}))
                    continue
                number = ctx.multiply(raw, self._formula_factors.get(code) or self._formula_factor(code))
                seen_ids = set()
                inputs = []
                for r, v in vals:
                    ident = (v.fact_id, v.pending)
                    if ident in seen_ids:
                        continue
                    seen_ids.add(ident)
                    inputs.append((v, r.role, None))
                self._emit(e, code, dims, basis, number, inputs, cons)

    def _formula_spec(self, code: str) -> "_FormulaSpec":
        """What the run needs of one formula, worked out once (its library does not change)."""
        node = self.lib.formulas[code]
        ind = self.lib[code]
        refs = tuple(_Ref(r) for r in node.refs())
        pair = _share_refs(node)
        share = None if pair is None else tuple(next(r for r in refs if r.ref is x) for x in pair)
        spec = self._fspecs[code] = _FormulaSpec(refs, tuple(dict.fromkeys(r.indicator for r in refs)),
                                                 _compile(node), bool(ind.dimensions),
                                                 frozenset(ind.dimensions or ()), {}, share)
        return spec

    def _share_over_covered(self, e: str, share: tuple["_Ref", "_Ref"], dims: str | None):
        """A share of a total by a breakdown of the same indicator at the consolidated node
        ``e``, where some of its entities report the total without the breakdown (UAT 3 H3:
        employees by gender from two plants of six entities). Dividing the breakdown of a few
        by the total of all would state a share nobody has (390 women / 5 980 staff = 6.52 %
        where the plants that split by gender have 390 / 2 380 = 16.39 %); the share is then
        computed over the entities that reported both, numerator and denominator alike, each
        at the weight consolidation gives it (its own value at 1, a child's at the child's
        weight, a structure correction at its difference: the walk mirrors
        :meth:`_consolidate_node`). None where every entity reporting either reported both
        (the consolidated values then are the covered ones); else (numerator, denominator,
        lineage inputs, the entities left out)."""
        num, den = share
        ind = num.indicator
        kn = num.dims_key if dims is None else num.key(dims)
        kd = den.dims_key if dims is None else den.key(dims)
        own = self.own
        n_sum = d_sum = Fraction(0)
        inputs: dict[tuple, list] = {}  # (fact id, role) -> [value, role, weight]
        left_out: set[str] = set()

        def take(x: str, w: Fraction) -> None:
            nonlocal n_sum, d_sum
            vn, vd = own.get((x, ind, kn)), own.get((x, ind, kd))
            if vn is None or vd is None:
                if vn is not None or vd is not None:
                    left_out.add(x)
                return
            n_sum += Fraction(vn.number) * w
            d_sum += Fraction(vd.number) * w
            for v, role in ((vn, num.role), (vd, den.role)):
                got = inputs.get((v.fact_id, role))
                if got is None:
                    inputs[(v.fact_id, role)] = [v, role, w]
                else:
                    got[2] += w

        # a stock (measured_at: period_end) counts the children in force on the last day
        stock = self._is_stock(ind)
        children_of = self.stock_children_of if stock else self.children_of
        corrections = {} if stock else self.corrections
        stack = [(e, _ONE)]
        while stack:
            x, w = stack.pop()
            take(x, w)
            for ch, cw in children_of.get(x, ()):
                if w * cw:
                    stack.append((ch, w * cw))
            for d, dw in corrections.get(x, ()):
                if w * dw:
                    take(d, w * dw)
        if not left_out:
            return None
        return n_sum, d_sum, [(v, role, None if w == _ONE else w) for v, role, w in inputs.values()], left_out

    def _covered_share(self, e: str, code: str, dims: str, over, vals, ctx, cons) -> None:
        """Emit a share computed over the entities that reported its breakdown (see
        :meth:`_share_over_covered`), and at the reporting root say so (ESG-CALC-014): which
        entities are left out and how much of the total the share covers."""
        n_sum, d_sum, inputs, left_out = over
        if e in self.roots:
            total = next(v for r, v in vals if r is self._fspecs[code].share[1])
            unit = self.lib[self._fspecs[code].share[1].indicator].unit
            covered, of = with_unit(plain(to_decimal(d_sum)), unit), with_unit(total.text or plain(total.number), unit)
            names = sorted(left_out)
            shown = "、".join(names[:12]), ", ".join(names[:12])
            more = (Bilingual(f" 等 {len(names)} 个主体", f" and {len(names) - 12} more") if len(names) > 12
                    else Bilingual("", ""))
            self.result.problems.append(Problem("ESG-CALC-014", Location(field=code), {
                "indicator": code, "period": self.period, "entity": e,
                "field": _breakdown_label(self.lib, self._fspecs[code].share[0], dims),
                "found": Bilingual(f"{of.zh}中的 {covered.zh}", f"{covered.en} of {of.en}"),
                "expected": Bilingual(shown[0] + more.zh, shown[1] + more.en)}))
        if d_sum == 0:
            return  # no entity reported both: nothing to divide
        number = ctx.multiply(to_decimal(n_sum / d_sum), self._formula_factors.get(code) or self._formula_factor(code))
        self._emit(e, code, dims, self.approach, number, inputs, cons)

    def _formula_factor(self, code: str) -> Decimal:
        """formula_factor of ``code``, kept by the run (its library does not change; finding it
        in the module's table renders the formula as text first)."""
        f = self._formula_factors.get(code)
        if f is None:
            f = self._formula_factors[code] = formula_factor(self.lib, code)
        return f

    def _formula_dims(self, code: str, spec: "_FormulaSpec", available: dict[str, set[str]]) -> list[str]:
        """The dimension keys a dimensioned formula is computed for at an entity: "" and every
        key of its inputs there made only of the formula's own dimensions."""
        keys = {""}
        fit = spec.dim_keys  # an input's key -> the formula's key it gives (or None), remembered
        for i in spec.ref_inds:
            for d in available.get(i, ()):
                if not d:
                    continue
                k = fit.get(d, _UNSEEN)
                if k is _UNSEEN:
                    parsed = Dims.parse(d)
                    sub = {k: v for k, v in parsed if k in spec.dimensions}
                    k = fit[d] = Dims(sub).key if sub and len(sub) == len(parsed) else None
                if k is not None:
                    keys.add(k)
        return sorted(keys)


_UNSEEN = object()


class _Ref:
    """A formula's reference, with what the run asks of it worked out once."""

    __slots__ = ("ref", "indicator", "dims", "dims_key", "text", "role", "_keys")

    def __init__(self, ref: Ref):
        self.ref = ref
        self.indicator = ref.indicator
        self.dims = dict(ref.dims)
        self.dims_key = ref.dims.key
        self.text = str(ref)
        self.role = f"ref:{self.text}"
        self._keys: dict[str, str] = {}

    def key(self, dims: str) -> str:
        """The key this reference reads for the formula's value of ``dims``."""
        k = self._keys.get(dims)
        if k is None:
            k = self._keys[dims] = Dims({**dict(Dims.parse(dims)), **self.dims}).key
        return k


class _FormulaSpec(NamedTuple):
    refs: tuple[_Ref, ...]
    ref_inds: tuple[str, ...]
    evaluate: object  # (table of ref values, 40-digit context) -> Decimal
    has_dims: bool
    dimensions: frozenset
    dim_keys: dict
    share: tuple[_Ref, _Ref] | None = None  # (numerator, denominator) of a share: see _share_refs


def _breakdown_label(lib: Library, ref: "_Ref", dims: str = "") -> Bilingual:
    """A share's numerator as the workbook names its row, in both languages: 员工总人数（性别: 女性）
    / Employees (Gender: Female)."""
    ind = lib.indicators.get(ref.indicator)
    items = list(Dims.parse(ref.key(dims) if dims else ref.dims_key))
    out = []
    for lang in ("zh", "en"):
        name = ind.name.get(lang) if ind is not None else ref.indicator
        parts = []
        for d, m in items:
            dim = lib.dimensions.get(d)
            dn = dim.name.get(lang) if dim is not None else d
            parts.append(f"{dn}: {lib.dimension_member_label(d, m, lang) or m}")
        joined = ("；" if lang == "zh" else "; ").join(parts)
        out.append(f"{name}（{joined}）" if lang == "zh" else f"{name} ({joined})")
    return Bilingual(*out)


def _share_refs(node: Node) -> tuple[Ref, Ref] | None:
    """(numerator, denominator) of a formula that is a share of a total by a breakdown of the
    same indicator: ``X[d=m] / X`` (``employees[gender=female] / employees``), or more generally
    a reference divided by the same indicator at a key it narrows (``X[a=1,b=2] / X[a=1]``);
    None for any other formula (a ratio of two indicators, ``waste_recycled[…] /
    waste_generated[…]``, is not one: what one entity lacks of it is not a breakdown)."""
    if type(node) is not Bin or node.op != "/" or type(node.left) is not Ref or type(node.right) is not Ref:
        return None
    num, den = node.left, node.right
    narrow, wide = set(num.dims), set(den.dims)
    if num.indicator != den.indicator or not wide < narrow:
        return None
    return num, den


def _compile(node: Node):
    """``node.evaluate`` as a closure over a table of the refs' values and a 40-digit context:
    the same operations in the same contexts (a binary operation at 40 digits, a negation in
    the caller's context), without a decimal context entered for each operation."""
    if type(node) is Num:
        value = node.value
        return lambda t, ctx: value
    if type(node) is Ref:
        return lambda t, ctx: t[node]
    if type(node) is Neg:
        operand = _compile(node.operand)
        return lambda t, ctx: -operand(t, ctx)
    if type(node) is Bin:
        left, right, op, divisor = _compile(node.left), _compile(node.right), node.op, node.right
        if op == "+":
            return lambda t, ctx: ctx.add(left(t, ctx), right(t, ctx))
        if op == "-":
            return lambda t, ctx: ctx.subtract(left(t, ctx), right(t, ctx))
        if op == "*":
            return lambda t, ctx: ctx.multiply(left(t, ctx), right(t, ctx))

        def divide(t, ctx):
            a, b = left(t, ctx), right(t, ctx)
            if b == 0:
                raise FormulaZeroDivision(divisor)
            try:
                return ctx.divide(a, b)
            except (DivisionByZero, InvalidOperation) as exc:  # pragma: no cover
                raise FormulaZeroDivision(divisor) from exc
        return divide
    return lambda t, ctx: node.evaluate(lambda r: t[r])  # a node of another kind: as it evaluates
