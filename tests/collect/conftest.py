"""Fixtures of the collection tests: the small group of tests/collect/group.py on each backend."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from esgledger.collect.campaign import Campaign, Desk
from esgledger.store.access import ScopedStore
from tests.collect.group import build_campaigns, build_workspace, desk_as

PW = "correct horse battery"


@dataclass
class Group:
    ws: object
    admin: Desk
    c2024: Campaign
    c2025: Campaign

    def desk(self, user: str, lang: str = "en") -> Desk:
        return desk_as(self.ws, ScopedStore.login(self.ws.store, user, PW), lang)

    def facts(self, status=None):
        """Current facts, flattened, as (entity, indicator, period, dims, value, status)."""
        return [(f.entity, f.indicator, f.period, f.dims, f.value, f.status)
                for f in self.admin.store.current_facts(status=status)]


def _group(tmp_path, url) -> Group:
    ws = build_workspace(tmp_path / "ws", url)
    admin, c2024, c2025 = build_campaigns(ws)
    admin.store.add_user("esg", PW, "manager")
    admin.store.add_user("esg2", PW, "manager")
    admin.store.add_user("p1", PW, "submitter", entity="P1")
    admin.store.add_user("p2", PW, "submitter", entity="P2")
    admin.store.add_user("c1", PW, "submitter", entity="C1")
    admin.store.add_user("audit", PW, "auditor")
    return Group(ws, admin, c2024, c2025)


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch):
    """Argon2id with the cheapest parameters: the tests hash dozens of passwords."""
    from argon2 import PasswordHasher, profiles

    from esgledger.store import access

    monkeypatch.setattr(access, "_hasher", lambda: PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def group(tmp_path, store_url):
    g = _group(tmp_path, store_url)
    yield g
    g.ws.close()


@pytest.fixture
def sqlite_group(tmp_path):
    g = _group(tmp_path, None)
    yield g
    g.ws.close()
