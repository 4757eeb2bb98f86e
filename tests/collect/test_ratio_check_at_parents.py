"""An as-reported ratio against its formula at import (ESG-VAL-002): checked at a plant, left to
``validate`` at an entity with entities below it (audit A4-M2).

At a company the reported ratio is the whole company's, while its submission holds only its
own part of the formula's inputs; the import used to quote that part's quotient as what the
ratio should be (12,800 h / 180 people = 71.1 → "should be 71" against a reported 72, when the
consolidated figure is 77). ``validate`` checks it on consolidated values.
"""
import datetime as dt

import pytest

from esgledger.collect.campaign import open_campaign, open_desk
from esgledger.collect.submission import submit_values

VALUES = [{"indicator": "training_hours", "value": "12800"},
          {"indicator": "employees", "value": "180"},
          {"indicator": "avg_training_hours", "value": "72"}]


@pytest.fixture
def desk(sqlite_workspace):
    return open_desk(sqlite_workspace)


def _codes(rep):
    return sorted(p.code for p in rep.problems)


def test_a_plant_is_told_its_ratio_disagrees_with_its_own_inputs(desk):
    c = open_campaign(desk, "2025")
    rep = submit_values(desk, c, "XRLB", VALUES, dry_run=True)  # a plant: nothing below it
    assert _codes(rep) == ["ESG-VAL-002"]
    # 12,800 / 180 = 71.11 → 71 at the indicator's precision (0), against 72 reported
    assert rep.problems[0].params["expected"] == "71" and rep.problems[0].params["found"] == "72"


def test_a_company_is_not_given_a_figure_from_its_own_part_only(desk):
    c = open_campaign(desk, "2025")
    assert desk.tree.children_on("TLYX", dt.date(2025, 12, 31))  # it has plants
    rep = submit_values(desk, c, "TLYX", VALUES, dry_run=True)
    assert rep.ok and _codes(rep) == []
