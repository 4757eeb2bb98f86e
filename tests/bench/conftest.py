"""What the benchmarks' smoke tests share."""
from __future__ import annotations

from importlib import resources

import pytest

from esgledger.calc.recalc import forget, recalculate
from esgledger.workspace import init_workspace
from tests.conftest import DEMO_ENTITIES, write


@pytest.fixture
def gas_run(tmp_path) -> tuple[str, tuple[int, int]]:
    """The demo's 2024 in a new SQLite ledger, run in full, then one input the GHG methods read
    changed (the refinery's natural gas) and the period run again, incrementally: the ledger's
    file and that run's two batches (methodology results, consolidation)."""
    ws = init_workspace(tmp_path / "ws", lang="en")
    try:
        assert not ws.import_entities(DEMO_ENTITIES).errors
        with resources.as_file(resources.files("esgledger.demo").joinpath("data", "facts-2024.csv")) as p:
            assert ws.import_facts(p).ok
        forget(ws.store)

        def calc(full=False):
            return recalculate(ws.store, ws.library, ws.tree, ws.factors, "2024", "control", gwp_set="AR5",
                               full=full, note="test")

        calc(full=True)
        text = "entity,indicator,period,value,unit\nJXTG,natural_gas_consumption,2024,20000001,立方米\n"
        assert ws.import_facts(write(tmp_path / "one.csv", text)).ok
        r = calc()
        assert r.incremental and r.ghg is not None
        return ws.store.engine.url.database, (r.ghg.batch_id, r.batch_id)
    finally:
        forget(ws.store)
        ws.close()
