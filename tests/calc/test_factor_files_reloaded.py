"""A workspace's own factor file edited while a process runs is used by its next run.

The factor sets (and the library) are loaded once per content of the workspace's files, not
once per path: a Python session (a notebook, a service) that opens the workspace again after a
measured factor was corrected must compute with it, not with the sets it loaded before.
"""
from __future__ import annotations

from decimal import Decimal
from importlib import resources

from esgledger.workspace import init_workspace, open_workspace
from tests.conftest import DEMO_ENTITIES

MEASURED_NCV = """set: jxtg_measured
version: "2024.1"
title: {zh: 靖西天桂实测参数, en: Jingxi Tiangui measured parameters}
defaults:
  confidence: V
  edition: "2024 gas analyses"
  source: "靖西天桂 2024 natural gas analyses (illustrative test data)"
factors:
  - {key: fuel.ncv, dims: {fuel: natural_gas}, value: "400", unit: GJ/万Nm3}
"""


def combustion(ws) -> Decimal:
    (f,) = [f for f in ws.store.current_facts(entity="JXTG", indicator="emissions_by_source", period="2024")
            if f.dims == "emission_source=combustion"]
    return Decimal(f.value)


def test_a_measured_factor_edited_between_two_opens_is_used(tmp_path):
    """The file first gives the default's 389.31, then the corrected measurement, 400."""
    (tmp_path / "ws" / "factors").mkdir(parents=True)
    own = tmp_path / "ws" / "factors" / "measured.yaml"
    own.write_text(MEASURED_NCV.replace('value: "400"', 'value: "389.31"'), encoding="utf-8")
    ws = init_workspace(tmp_path / "ws", lang="en")
    assert not ws.import_entities(DEMO_ENTITIES).errors
    with resources.as_file(resources.files("esgledger.demo").joinpath("data", "facts-2024.csv")) as p:
        assert ws.import_facts(p).ok
    ws.calc("2024")
    before = combustion(ws)
    ws.close()
    own.write_text(MEASURED_NCV, encoding="utf-8")
    ws = open_workspace(tmp_path / "ws")
    try:
        ws.calc("2024")
        after = combustion(ws)
        # E = FC × NCV × CC × OF × 44/12 for the gas (the refinery's diesel is unchanged): the
        # measured 400 GJ/万Nm3 instead of the MEE default 389.31, with the MEE carbon content
        # 0.01530 tC/GJ and oxidation 99 %, on 14,512,300.50 m3 = 1,451.23005 万Nm3 of gas
        delta = Decimal("1451.23005") * (Decimal(400) - Decimal("389.31")) * Decimal("0.01530") \
            * Decimal("0.99") * Decimal(44) / Decimal(12)
        assert abs((after - before) - delta) < Decimal("1e-20")
        assert round(delta, 2) == Decimal("861.61")
    finally:
        ws.close()
