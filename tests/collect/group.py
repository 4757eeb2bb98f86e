"""The collection tests' small group, library and campaigns, built the same way by the tests and
by ``tests/data/workbooks/make_broken.py`` (so the committed workbooks match the campaigns the
tests open: same ids, same secrets, same layout).

Group: G (holding) → C1 (smelter company) → P1, P2 (potlines); G → HQ (office).
Campaign #1 is 2024 (closed, its values approved); campaign #2 is 2025, due 2026-03-31.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from esgledger.collect.campaign import Desk, close_campaign, open_campaign
from esgledger.library.loader import Library, load_library_from
from esgledger.store import NewFact
from esgledger.store.access import ScopedStore
from esgledger.workspace import init_workspace

HERE = Path(__file__).resolve().parent
WORKBOOKS = HERE.parent / "data" / "workbooks"
SECRET_2024 = "24" * 32
SECRET_2025 = "25" * 32

# last year's approved values of P1 (the reference column of its 2025 workbook)
APPROVED_2024 = {
    ("board_meetings", "", "2024"): "6",
    ("disclosure_rating", "", "2024"): "B",
    ("aluminium_output", "", "2024"): "50.00",
    ("anode_effect_minutes", "", "2024"): "0.025",
    ("employees", "", "2024"): "1000",
    ("employees", "gender=female", "2024"): "200",
    ("employees", "gender=male", "2024"): "800",
    ("training_coverage", "", "2024"): "95",
    ("fatalities", "", "2024"): "0",
    **{("electricity", "", f"2024-{m:02d}"): "100" for m in range(1, 13)},
}
# a complete, valid 2025 submission of P1 (no warnings)
P1_2025 = {
    ("board_meetings", "", "2025"): "7",
    ("disclosure_rating", "", "2025"): "A",
    ("aluminium_output", "", "2025"): "55.25",
    ("anode_effect_minutes", "", "2025"): "0.021",
    ("employees", "", "2025"): "1100",
    ("employees", "gender=female", "2025"): "250",
    ("employees", "gender=male", "2025"): "850",
    ("training_coverage", "", "2025"): "96.5",
    ("fatalities", "", "2025"): "0",
    **{("electricity", "", f"2025-{m:02d}"): str(100 + m) for m in range(1, 13)},
}


class _LibraryRoot:
    """The tests' own topics, dimensions and indicators; the shipped framework tables."""

    def __init__(self):
        self.own = WORKBOOKS / "library"
        self.shipped = resources.files("esgledger.library").joinpath("data")

    def joinpath(self, *parts):
        if parts[0] == "frameworks":
            return self.shipped.joinpath(*parts)
        return self.own.joinpath(*parts)


def test_library() -> Library:
    lib, problems = load_library_from(_LibraryRoot())
    assert lib is not None, problems.flat()
    return lib


def build_workspace(path: Path, store_url: str | None = None):
    ws = init_workspace(path, db=store_url, lang="en")
    problems = ws.import_entities(WORKBOOKS / "entities.yaml")
    assert not problems.errors, problems.flat()
    return ws


def desk_as(ws, scoped: ScopedStore, lang: str = "en") -> Desk:
    return Desk(scoped, test_library(), ws.tree, Path(ws.path), lang)


def build_campaigns(ws):
    """Campaign 2024 (P1's values approved, then closed) and campaign 2025 (open)."""
    admin = desk_as(ws, ScopedStore.system(ws.store, "admin"))
    c2024 = open_campaign(admin, "2024", due="2025-03-31", secret=SECRET_2024)
    admin.store.append_facts([NewFact("P1", i, p, d, v, admin.library[i].unit, status="approved")
                              for (i, d, p), v in APPROVED_2024.items()], kind="api", source="2024 approved")
    c2024 = close_campaign(admin, c2024)
    c2025 = open_campaign(admin, "2025", due="2026-03-31", secret=SECRET_2025)
    return admin, c2024, c2025


test_library.__test__ = False  # not a test, despite its name
