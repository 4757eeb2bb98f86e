"""A value in a consolidation run (:class:`Value`: the number and where it came from) and the
exact arithmetic of weights (:func:`to_decimal`), which the parts of the run share."""
from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction
from typing import NamedTuple


class Value(NamedTuple):
    """A value in the run: the number, and where it came from (a fact id, or a pending
    calculated fact's index in the run's output). A tuple: a run makes one for every value it
    takes or computes, and resolves each pending one when it writes (a frozen dataclass cost
    twice as much to make)."""

    number: Decimal
    fact_id: int | None = None
    pending: int | None = None
    text: str | None = None
    # the mark of a value that leaves out a source it should include (calc/incomplete.py): a
    # methodology result's, and of every value computed from one
    mark: str | None = None


def to_decimal(x: Fraction | Decimal) -> Decimal:
    """An exact rational as a decimal: exact when it terminates, else 40 significant digits."""
    if isinstance(x, Decimal):
        return x
    with localcontext() as ctx:
        ctx.prec = 40
        return Decimal(x.numerator) / Decimal(x.denominator)


_ONE = Fraction(1)
