"""Formulas of derived indicators, parsed by a small safe grammar (never ``eval``).

Grammar::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := "-" unary | atom
    atom   := NUMBER | ref | "(" expr ")"
    ref    := NAME ("[" NAME "=" NAME ("," NAME "=" NAME)* "]")?

A ``ref`` names an indicator, optionally with a dimension selection.

>>> f = parse("employees[gender=female] / employees")
>>> sorted(str(r) for r in f.refs())
['employees', 'employees[gender=female]']
>>> values = {"employees": Decimal(6756), "employees[gender=female]": Decimal(1167)}
>>> round(f.evaluate(lambda r: values[str(r)]) * 100, 2)
Decimal('17.27')
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext
from typing import Callable, Iterator

from esgledger.model.types import Dims

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(.))")


class FormulaError(ValueError):
    """A formula that cannot be parsed: ``str(exc)`` is the English, :attr:`message` both
    languages (``zh``: the Chinese of ``message``)."""

    def __init__(self, message: str, position: int, zh: str | None = None):
        self.position = position
        self.zh = f"第 {position} 个字符处{zh or message}"
        super().__init__(f"{message} at position {position}")

    @property
    def message(self):
        from esgledger.model.errors import Bilingual

        return Bilingual(self.zh, str(self))


_KIND_ZH = {"name": "名称", "num": "数字"}


class FormulaZeroDivision(ArithmeticError):
    def __init__(self, ref: "Node"):
        self.ref = ref
        super().__init__(f"{ref} is zero")


class Node:
    def refs(self) -> Iterator["Ref"]:
        return iter(())

    def evaluate(self, value_of: Callable[["Ref"], Decimal]) -> Decimal:
        raise TypeError(type(self).__name__)

    def apply(self, leaf: Callable[["Ref"], object], num: Callable[[Decimal], object]):
        """Evaluate in another algebra (e.g. pint quantities for unit checks)."""
        raise TypeError(type(self).__name__)


@dataclass(frozen=True)
class Num(Node):
    value: Decimal

    def evaluate(self, value_of):
        return self.value

    def apply(self, leaf, num):
        return num(self.value)

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class Ref(Node):
    indicator: str
    dims: Dims = Dims()

    def refs(self):
        yield self

    def evaluate(self, value_of):
        return value_of(self)

    def apply(self, leaf, num):
        return leaf(self)

    def __str__(self) -> str:
        if not self.dims:
            return self.indicator
        return f"{self.indicator}[{','.join(f'{k}={v}' for k, v in self.dims)}]"


@dataclass(frozen=True)
class Neg(Node):
    operand: Node

    def refs(self):
        return self.operand.refs()

    def evaluate(self, value_of):
        return -self.operand.evaluate(value_of)

    def apply(self, leaf, num):
        return -self.operand.apply(leaf, num)

    def __str__(self) -> str:
        return f"-{self.operand}"


@dataclass(frozen=True)
class Bin(Node):
    op: str
    left: Node
    right: Node

    def refs(self):
        yield from self.left.refs()
        yield from self.right.refs()

    def evaluate(self, value_of):
        a = self.left.evaluate(value_of)
        b = self.right.evaluate(value_of)
        with localcontext() as ctx:
            ctx.prec = 40
            if self.op == "+":
                return a + b
            if self.op == "-":
                return a - b
            if self.op == "*":
                return a * b
            if b == 0:
                raise FormulaZeroDivision(self.right)
            try:
                return a / b
            except (DivisionByZero, InvalidOperation) as exc:  # pragma: no cover
                raise FormulaZeroDivision(self.right) from exc

    def apply(self, leaf, num):
        a = self.left.apply(leaf, num)
        b = self.right.apply(leaf, num)
        return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
                "/": lambda: a / b}[self.op]()

    def __str__(self) -> str:
        return f"({self.left} {self.op} {self.right})"


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                break
            start = m.start(m.lastindex) if m.lastindex else pos
            if m.group(1):
                self.tokens.append(("num", m.group(1), start))
            elif m.group(2):
                self.tokens.append(("name", m.group(2), start))
            elif m.group(3):
                if m.group(3) not in "+-*/()[]=,":
                    raise FormulaError(f"unexpected character {m.group(3)!r}", start,
                                       f"有无法识别的字符 {m.group(3)!r}")
                self.tokens.append(("op", m.group(3), start))
            pos = m.end()
        self.i = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str | None = None, kind: str | None = None) -> tuple[str, str, int]:
        tok = self.peek()
        if tok is None:
            raise FormulaError(f"expected {value or kind}, found the end", len(self.text),
                               f"应为 {value or _KIND_ZH.get(kind, kind)}，但公式已结束")
        if (value is not None and tok[1] != value) or (kind is not None and tok[0] != kind):
            raise FormulaError(f"expected {value or kind}, found {tok[1]!r}", tok[2],
                               f"应为 {value or _KIND_ZH.get(kind, kind)}，实际为 {tok[1]!r}")
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.tokens:
            raise FormulaError("empty formula", 0, "公式为空")
        node = self.expr()
        tok = self.peek()
        if tok is not None:
            raise FormulaError(f"unexpected {tok[1]!r}", tok[2], f"出现了多余的 {tok[1]!r}")
        return node

    def expr(self) -> Node:
        node = self.term()
        while (tok := self.peek()) and tok[1] in "+-" and tok[0] == "op":
            self.i += 1
            node = Bin(tok[1], node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while (tok := self.peek()) and tok[1] in "*/" and tok[0] == "op":
            self.i += 1
            node = Bin(tok[1], node, self.unary())
        return node

    def unary(self) -> Node:
        tok = self.peek()
        if tok and tok[0] == "op" and tok[1] == "-":
            self.i += 1
            return Neg(self.unary())
        return self.atom()

    def atom(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise FormulaError("expected a number, a name or '('", len(self.text),
                               "应为数字、名称或 '('，但公式已结束")
        if tok[0] == "num":
            self.i += 1
            return Num(Decimal(tok[1]))
        if tok[0] == "name":
            self.i += 1
            dims = []
            if (nxt := self.peek()) and nxt[1] == "[":
                self.i += 1
                while True:
                    k = self.take(kind="name")[1]
                    self.take("=")
                    v = self.take(kind="name")[1]
                    dims.append((k, v))
                    if self.peek() and self.peek()[1] == ",":
                        self.i += 1
                        continue
                    self.take("]")
                    break
            return Ref(tok[1], Dims(dims))
        if tok[1] == "(":
            self.i += 1
            node = self.expr()
            self.take(")")
            return node
        raise FormulaError(f"unexpected {tok[1]!r}", tok[2], f"出现了意外的 {tok[1]!r}")


def parse(text: str) -> Node:
    """Parse a formula; raises :class:`FormulaError` with the position of the problem."""
    return _Parser(text).parse()


class FormulaUnitMismatch(ValueError):
    """A sum or difference of terms in different units: :meth:`Node.evaluate` adds the numbers
    as they are, so the terms must be in one unit."""

    def __init__(self, left: str, right: str, quantities: tuple = ()):
        super().__init__(f"{left} ± {right}")
        self.left, self.right = left, right
        self.quantities = quantities  # the two terms' units as pint quantities, to name them per language


class _UnitTerm:
    """A magnitude-1 quantity in the unit of a formula's value, for :func:`unit_of`."""

    __slots__ = ("q",)

    def __init__(self, q):
        self.q = q

    def _same(self, other: "_UnitTerm") -> "_UnitTerm":
        # a sum has the unit of its terms (not twice it); the terms' raw numbers are added as
        # they are, so the terms must be in the very same unit (万元 + 亿元 would be wrong)
        if self.q.units != other.q.units or self.q.magnitude != other.q.magnitude:
            raise FormulaUnitMismatch(f"{self.q:~}", f"{other.q:~}", (self.q, other.q))
        return self

    __add__ = __sub__ = _same

    def __mul__(self, other: "_UnitTerm") -> "_UnitTerm":
        return _UnitTerm(self.q * other.q)

    def __truediv__(self, other: "_UnitTerm") -> "_UnitTerm":
        return _UnitTerm(self.q / other.q)

    def __neg__(self) -> "_UnitTerm":
        return self


def unit_of(node: Node, leaf: Callable[[Ref], object], one: object):
    """The unit of the number ``node.evaluate`` computes, as a quantity: ``leaf(ref)`` is a
    magnitude-1 quantity in the ref's unit (``UNITS.quantity``), ``one`` the dimensionless 1.

    Unlike evaluating the formula on those quantities, a sum keeps the unit of its terms (1 t +
    1 t is a number in t, not 2 t) and a number in the formula counts as 1 (its value is in the
    evaluated number already). Raises :class:`FormulaUnitMismatch` for a sum of terms in
    different units."""
    return node.apply(lambda r: _UnitTerm(leaf(r)), lambda _n: _UnitTerm(one)).q
