"""The arithmetic of a target set as a % change against a baseline year (目标与基准年).

Pure Decimal arithmetic, shared by the calculation engine (``esgledger.calc.methods.energy``
re-exports it) and the report's target charts, so both draw the same path. The seed's targets
(its 2025 plan against 2021) are: −13.5 % energy per unit of output value, −18 % CO2 per unit
of product.

    target      = baseline × (1 + p/100)
    even path   = baseline × (1 + p/100 × (y − y0)/(yT − y0))      (linear in value)
    required    = (target / current)^(1/(yT − y)) − 1                 per year from now

The even path (均衡路径) is esgledger's convention, linear in value: the targeted change spread
in equal steps over the years from the baseline to the target year, each step p/(yT − y0) % of
the baseline (−13.5 % over 2021→2025 is −3.375 % of the 2021 value a year, so 2024's even-path
value is baseline × (1 − 0.135 × 3/4) = 0.89875 × baseline). A value at or beyond it is ahead
of (or on) the path. It is the milestone a reader checks progress against (IFRS S2 §33–35:
a target's milestones and the progress against it); no standard fixes its shape, and a constant
annual rate would put 2024 at 0.865^(3/4) = 0.8969 × baseline instead. The yearly rate still
needed from now on (``required``) is a constant rate: the change a plan has to deliver each year.

>>> t = target_progress(Decimal("100"), Decimal("95"), Decimal("-18"),
...                     baseline_year=2021, current_year=2023, target_year=2025)
>>> t.target_value, t.planned_value == 91, t.against_path
(Decimal('82.00'), True, 'behind')
>>> [(y, round(v, 2)) for y, v in even_path(Decimal(100), Decimal(-18), 2021, 2025)]
[(2021, Decimal('100.00')), (2022, Decimal('95.50')), (2023, Decimal('91.00')), (2024, Decimal('86.50')), (2025, Decimal('82.00'))]
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from esgledger.model.errors import EsgledgerError

PREC = 34  # decimal digits: results never depend on the caller's context


class TargetError(EsgledgerError, ValueError):
    """A target's inputs are inconsistent (years out of order, a non-positive value).
    ``str(exc)`` is the English text, ``exc.zh`` the Chinese."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


@dataclass(frozen=True)
class TargetProgress:
    """A target against a baseline year, and where the current year stands."""

    baseline_year: int
    baseline_value: Decimal
    current_year: int
    current_value: Decimal
    target_year: int
    target_change_pct: Decimal          # e.g. −13.5
    target_value: Decimal               # baseline × (1 + p/100)
    change_to_date_pct: Decimal         # (current / baseline − 1) × 100
    progress_pct: Decimal               # share of the targeted change achieved, %
    even_step_pct: Decimal              # the even path's step a year, % of the baseline: p/(yT − y0)
    planned_value: Decimal              # the even (linear) path's value in the current year
    on_track: bool                      # current at or beyond the even path
    achieved: bool                      # current at or beyond the target
    required_annual_pct: Decimal | None  # constant annual rate current → target, % (None in the target year)
    trajectory: tuple[tuple[int, Decimal], ...]  # the required path, current year + 1 … target year

    @property
    def against_path(self) -> str:
        """``ahead``, ``on`` or ``behind`` the even path in the current year (ahead: lower for a
        reduction target, higher for an increase)."""
        if self.current_value == self.planned_value:
            return "on"
        return "ahead" if self.on_track else "behind"


def _check(baseline: Decimal, change_pct: Decimal, baseline_year: int, target_year: int) -> None:
    for name, v in (("baseline value", baseline), ("target change", change_pct)):
        if not isinstance(v, Decimal) or not v.is_finite():
            raise TargetError(f"{name} must be a finite Decimal, found {v!r}", f"{name} 必须为有限的十进制数，实际为 {v!r}")
    if baseline <= 0:
        raise TargetError(f"the baseline value must be positive, found {baseline}", f"基准值必须为正数，实际为 {baseline}")
    if change_pct <= -100:
        raise TargetError(f"a change of {change_pct} % leaves nothing", f"变化 {change_pct} % 后目标值不大于零")
    if not baseline_year < target_year:
        raise TargetError(f"the baseline year {baseline_year} must come before the target year {target_year}",
                          f"基准年 {baseline_year} 必须早于目标年 {target_year}")


def target_from_change(baseline: Decimal, change_pct: Decimal) -> Decimal:
    """The target value: ``baseline × (1 + p/100)``."""
    return baseline * (1 + change_pct / 100)


def even_path_value(baseline: Decimal, change_pct: Decimal, baseline_year: int, target_year: int,
                    year: int) -> Decimal:
    """The even path's value in ``year``: ``baseline × (1 + p/100 × (y − y0)/(yT − y0))``,
    linear in value (see the module's note).

    >>> even_path_value(Decimal(100), Decimal("-13.5"), 2021, 2025, 2024) == Decimal("89.875")
    True
    """
    with localcontext() as ctx:
        ctx.prec = PREC
        return baseline * (1 + change_pct / 100 * Decimal(year - baseline_year) / Decimal(target_year - baseline_year))


def even_path(baseline: Decimal, change_pct: Decimal, baseline_year: int,
              target_year: int) -> list[tuple[int, Decimal]]:
    """The even path from the baseline to the target, linear in value, one value a year,
    baseline year and target year included."""
    _check(baseline, change_pct, baseline_year, target_year)
    with localcontext() as ctx:
        ctx.prec = PREC
        return ([(baseline_year, baseline)]
                + [(y, even_path_value(baseline, change_pct, baseline_year, target_year, y))
                   for y in range(baseline_year + 1, target_year)]
                + [(target_year, target_from_change(baseline, change_pct))])


def target_progress(baseline_value: Decimal, current_value: Decimal, target_change_pct: Decimal, *,
                    baseline_year: int, current_year: int, target_year: int) -> TargetProgress:
    """Progress of an intensity or absolute target set as a % change against a baseline year.

    A reduction target has a negative ``target_change_pct`` (−13.5 for −13.5 %); "on track"
    and "achieved" then mean at or below the path, and at or above it for an increase target.
    """
    b, c, p = baseline_value, current_value, target_change_pct
    _check(b, p, baseline_year, target_year)
    if not isinstance(c, Decimal) or not c.is_finite() or c <= 0:
        raise TargetError(f"the current value must be a positive Decimal, found {c!r}", f"当前值必须为正数，实际为 {c!r}")
    if not baseline_year <= current_year <= target_year:
        raise TargetError(f"years must satisfy baseline ≤ current ≤ target, baseline < target "
                          f"({baseline_year}, {current_year}, {target_year})",
                          f"年份须满足 基准年 ≤ 当前年 ≤ 目标年，且基准年 < 目标年（{baseline_year}、{current_year}、"
                          f"{target_year}）")
    with localcontext() as ctx:
        ctx.prec = PREC
        target = target_from_change(b, p)
        even_step = p / Decimal(target_year - baseline_year)
        planned_value = even_path_value(b, p, baseline_year, target_year, current_year)
        change = (c / b - 1) * 100
        progress = change / p * 100 if p != 0 else Decimal(100)
        down = p < 0

        def beyond(value: Decimal, mark: Decimal) -> bool:
            return value <= mark if down else value >= mark

        years_left = target_year - current_year
        required = None
        trajectory: list[tuple[int, Decimal]] = []
        if years_left > 0:
            step = (target / c) ** (Decimal(1) / years_left)
            required = (step - 1) * 100
            value = c
            for y in range(current_year + 1, target_year + 1):
                value = target if y == target_year else value * step
                trajectory.append((y, value))
    return TargetProgress(baseline_year, b, current_year, c, target_year, p, target, change, progress,
                          even_step, planned_value, beyond(c, planned_value), beyond(c, target), required,
                          tuple(trajectory))


__all__ = ["TargetError", "TargetProgress", "even_path", "even_path_value", "target_from_change", "target_progress"]
