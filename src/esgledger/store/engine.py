"""Connecting to a store and bringing its schema up to date (Alembic, on every open)."""
from __future__ import annotations

import warnings
from importlib import resources

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine

from esgledger.model.errors import EsgledgerError


class StoreError(EsgledgerError, RuntimeError):
    """The store cannot be reached or is not an esgledger store."""


# Page size of a new SQLite database. A bulk import inserts into the fact table's B-trees with
# fewer page splits and less page-header overhead at 32 KiB than at SQLite's 4 KiB (1,000,000
# facts: about 1.2 s less; bench/RESULTS.md, issue 2); point queries of an entity's facts cost
# the same. 64 KiB imports slightly faster still but makes those queries ~1.5× slower.
SQLITE_PAGE_SIZE = 32768


def normalise_url(url: str) -> str:
    """``postgresql://`` → the psycopg 3 driver; everything else as given."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            # let SQLAlchemy's transaction handling drive BEGIN; we issue BEGIN IMMEDIATE ourselves
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            # a new database gets larger pages (an existing one keeps its own: the pragma only
            # takes effect before the first table is written, so it must precede WAL mode)
            cur.execute(f"PRAGMA page_size={SQLITE_PAGE_SIZE}")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):  # pragma: no cover - trivial
            # writers (Store.writer) take the write lock up front, so two writers never both
            # read and then collide; readers begin deferred and never block one another
            immediate = conn.get_execution_options().get("sqlite_immediate")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def migrate(engine: Engine) -> str:
    """Upgrade the schema to the newest revision; returns the revision now current."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("esgledger.store").joinpath("migrations")))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        if sqlite:
            # A migration may rebuild a table (SQLite cannot drop a table constraint: 0005).
            # Dropping the old table would delete the rows other tables' foreign keys point at,
            # so SQLite's own recipe applies: foreign keys off (outside the transaction, where
            # the pragma takes effect), rebuild, check every reference before the commit.
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                before = MigrationContext.configure(conn).get_current_revision()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if sqlite and before != MigrationContext.configure(conn).get_current_revision():
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StoreError(f"schema migration left {len(broken)} broken references, "
                                         f"first: {tuple(broken[0])}; nothing was changed")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("esgledger.store").joinpath("migrations")))
    return ScriptDirectory.from_config(cfg).get_current_head()


def has_schema(engine: Engine) -> bool:
    return "fact" in inspect(engine).get_table_names()
