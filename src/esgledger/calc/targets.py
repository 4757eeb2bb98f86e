"""Targets against a baseline year, assessed from the ledger (issue 3 §4).

Targets are library data (:mod:`esgledger.library.targets`): the shipped ``library/data/targets.yaml`` (the seed's 2025 targets against
2021) and, where present, the workspace's own ``targets.yaml`` (a target with the same code
replaces the shipped one). Each is assessed with :func:`esgledger.calc.methods.energy.target_progress`
from the indicator's reported value in the baseline year and in the period. A target whose
baseline or current value is not in the ledger (and, for the baseline, not given in the file)
is reported as unavailable (ESG-CALC-006), never estimated.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable


from esgledger.calc.methods import CalcError
from esgledger.calc.methods.energy import target_progress
from esgledger.library.targets import (FILE_NAME, Target, TargetsFileError, load_targets,  # noqa: F401
                                       read_targets, shipped_file)
from esgledger.model.errors import Location, Problem
from esgledger.model.targets import TargetProgress

@dataclass
class Assessment:
    target: Target
    entity: str
    baseline: Decimal | None
    baseline_from: str | None            # "ledger" or the targets file
    current: Decimal | None
    progress: TargetProgress | None
    problem: Problem | None


def assess(targets: list[Target], period: str, root: str,
           value: Callable[[str, str, str], Decimal | None]) -> list[Assessment]:
    """Each target for ``period``: ``value(entity, indicator, year)`` is the reported value."""
    year = int(str(period)[:4])
    out = []
    for t in targets:
        entity = t.entity or root
        baseline = value(entity, t.indicator, str(t.baseline_year))
        baseline_from = "ledger" if baseline is not None else None
        if baseline is None and t.baseline_value is not None:
            baseline, baseline_from = t.baseline_value, t.file
        current = value(entity, t.indicator, str(period))
        problem = None
        missing = [str(y) for y, v in ((t.baseline_year, baseline), (period, current)) if v is None]
        progress = None
        if missing:
            problem = Problem("ESG-CALC-006", Location(field=t.code), {
                "field": t.code, "indicator": t.indicator, "entity": entity, "found": " / ".join(missing),
                "expected": Path(t.file).name})
        else:
            try:
                progress = target_progress(baseline, current, t.change_pct, baseline_year=t.baseline_year,
                                           current_year=year, target_year=t.target_year)
            except CalcError as exc:
                problem = Problem("ESG-CALC-005", Location(field=t.code), {
                    "indicator": t.indicator, "period": str(period), "entity": entity, "found": CalcError.message_of(exc)})
        out.append(Assessment(t, entity, baseline, baseline_from, current, progress, problem))
    return out


__all__ = ["Assessment", "Target", "TargetsFileError", "assess", "load_targets", "read_targets"]
