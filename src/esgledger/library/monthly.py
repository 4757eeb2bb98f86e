"""Indicators a workspace collects by month (``collect.monthly`` in esgledger.toml)."""
from __future__ import annotations

import dataclasses
import hashlib
from typing import Iterable

from esgledger.library.loader import Library

__all__ = ["collected_monthly"]


def collected_monthly(lib: Library, codes: Iterable[str]) -> Library:
    """``lib`` with the indicators ``codes`` collected by month (a workspace's
    ``collect.monthly``): their ``frequency`` is ``monthly``, so a campaign asks twelve months
    and the year's run makes the year from them (calc/months.py). A new library with its own
    fingerprint (a calculation run records which); ``lib`` itself is left as it is (it is
    shared by every workspace with the same files). The codes must be indicators of ``lib``."""
    codes = sorted(set(codes))
    todo = [c for c in codes if lib.indicators[c].frequency != "monthly"]
    if not todo:
        return lib
    key = (lib.fingerprint, tuple(codes))
    out = _MONTHLY.get(key)
    if out is None:
        indicators = dict(lib.indicators)
        for c in todo:
            indicators[c] = indicators[c].model_copy(update={"frequency": "monthly"})
        fingerprint = hashlib.sha256(f"{lib.fingerprint}\0monthly:{','.join(codes)}".encode()).hexdigest()
        out = _MONTHLY[key] = dataclasses.replace(lib, indicators=indicators, fingerprint=fingerprint)
    return out


_MONTHLY: dict[tuple, Library] = {}
