"""Persistence: schema, migrations, queries. SQLite by default, PostgreSQL for teams.

Knows nothing of collect, calc or report."""
from esgledger.store.engine import StoreError, make_engine, migrate, normalise_url
from esgledger.store.ledger import NewFact, Store

__all__ = ["NewFact", "Store", "StoreError", "make_engine", "migrate", "normalise_url"]
