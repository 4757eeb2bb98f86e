"""The ledger store: entities, batches and append-only facts, on SQLite or PostgreSQL.

Everything a call writes lands in one transaction or not at all. Facts are never updated:
:meth:`Store.append_facts` gives each key its next revision.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import itertools
import json
import operator
import threading
from decimal import Decimal
from typing import Iterable, Iterator, NamedTuple, Sequence

from sqlalchemy import and_, func, null, select, text
from sqlalchemy.engine import Connection, Engine

from esgledger.model.tree import EntityTree
from esgledger.model.types import WITHDRAWN, EntityRecord, FactRecord, Membership
from esgledger.store import schema as S
from esgledger.store.engine import make_engine, migrate

# A bulk insert sends each fact's own columns (taken from the NewFact by position, in C) and
# then the columns one append shares (revision 1 when every key is new, batch). Who wrote the
# facts and when is their batch's (migration 0007).
_OWN_COLUMNS = ("entity", "indicator", "period", "dims", "basis", "value", "unit", "value_entered",
                "unit_entered", "status", "location", "comment")
_OWN_FIELDS = operator.itemgetter(0, 1, 2, 3, 6, 4, 5, 8, 9, 7, 10, 11)
_OWN_COLUMNS_BUT_BASIS_STATUS = tuple(c for c in _OWN_COLUMNS if c not in ("basis", "status"))
_OWN_FIELDS_BUT_BASIS_STATUS = operator.itemgetter(0, 1, 2, 3, 4, 5, 8, 9, 10, 11)
_BASIS_STATUS = operator.itemgetter(6, 7)
_KEY_FIELDS = operator.itemgetter(0, 1, 2, 3, 6)  # entity, indicator, period, dims, basis
_IND_ENTITY = operator.itemgetter(1, 0)
_IND_PERIOD = operator.itemgetter(1, 2)
_PROBE_ENTITIES = 500  # entities per look-up query (SQLite allows 32,766 bound values)
_INPUTS = operator.itemgetter(12)
# what may feed a report when only approved data may (``report.inputs = "approved"``)
REPORTABLE_STATUSES = ("approved", "calculated")


class NewFact(NamedTuple):
    """A fact to append (a tuple, so bulk imports stay cheap). ``inputs`` (fact id, role,
    weight) records the lineage of calculated facts."""

    entity: str
    indicator: str
    period: str
    dims: str
    value: str
    unit: str | None
    basis: str = "own"
    status: str = "submitted"
    value_entered: str | None = None
    unit_entered: str | None = None
    location: str | None = None
    comment: str | None = None
    inputs: tuple = ()

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.entity, self.indicator, self.period, self.dims, self.basis)


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Store:
    """A connection to one ledger database (schema migrated on open)."""

    def __init__(self, url: str, *, engine: Engine | None = None, run_migrations: bool = True):
        self.url = url
        self.engine = engine or make_engine(url)
        self.dialect = self.engine.dialect.name
        # the engine for write transactions (SQLite: BEGIN IMMEDIATE; PostgreSQL: the same)
        self.writer = self.engine.execution_options(sqlite_immediate=True)
        if run_migrations:
            self.schema_revision = migrate(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- entities ------------------------------------------------------------------------
    def save_tree(self, entities: Sequence[EntityRecord], memberships: Sequence[Membership]) -> None:
        """Insert or replace the given entities and all memberships of those entities."""
        codes = [e.code for e in entities]
        with self.writer.begin() as conn:
            existing = {r[0] for r in conn.execute(select(S.entity.c.code))}
            for e in entities:
                row = dict(code=e.code, name_zh=e.name_zh, name_en=e.name_en, level=e.level,
                           process_type=e.process_type, province=e.province,
                           grid_region=e.grid_region, attrs=json.dumps(dict(e.attrs), ensure_ascii=False))
                if e.code in existing:
                    conn.execute(S.entity.update().where(S.entity.c.code == e.code).values(**row))
                else:
                    conn.execute(S.entity.insert().values(**row))
            if codes:
                conn.execute(S.membership.delete().where(S.membership.c.entity.in_(codes)))
            if memberships:
                conn.execute(S.membership.insert(), [dict(
                    entity=m.entity, parent=m.parent, equity_share=str(m.equity_share),
                    operational_control=m.operational_control,
                    valid_from=m.valid_from.isoformat() if m.valid_from else None,
                    valid_to=m.valid_to.isoformat() if m.valid_to else None) for m in memberships])

    def load_entities(self) -> tuple[list[EntityRecord], list[Membership]]:
        with self.engine.connect() as conn:
            ents = [EntityRecord(r.code, r.name_zh, r.name_en, r.level, r.process_type, r.province,
                                 r.grid_region, json.loads(r.attrs or "{}"))
                    for r in conn.execute(select(S.entity).order_by(S.entity.c.code))]
            mems = [Membership(r.entity, r.parent, Decimal(r.equity_share), bool(r.operational_control),
                               dt.date.fromisoformat(r.valid_from) if r.valid_from else None,
                               dt.date.fromisoformat(r.valid_to) if r.valid_to else None)
                    for r in conn.execute(select(S.membership).order_by(S.membership.c.id))]
        return ents, mems

    def load_tree(self) -> EntityTree:
        ents, mems = self.load_entities()
        tree, problems = EntityTree.build(ents, mems)
        if tree is None:  # the store only ever holds checked trees
            raise RuntimeError("stored entity tree is invalid: " + "; ".join(p.render() for p in problems))
        return tree

    # -- facts ---------------------------------------------------------------------------
    def append_facts(self, facts: Sequence[NewFact], *, kind: str, source: str | None = None,
                     author: str | None = None, note: str | None = None,
                     return_ids: bool = True) -> tuple[int, list[int]]:
        """Append facts (each key gets its next revision) in one transaction.

        Returns the batch id and the new fact ids, in the order given (an empty list when
        ``return_ids`` is false and no fact carries lineage)."""
        with self.writer.begin() as conn:
            return self._append(conn, facts, kind=kind, source=source, author=author, note=note,
                                return_ids=return_ids)

    def _append(self, conn: Connection, facts: Sequence[NewFact], *, kind, source, author, note,
                return_ids=True):
        self._lock_facts(conn)
        created = now_iso()
        batch_id = conn.execute(S.batch.insert().values(
            kind=kind, source=source, author=author, created_at=created, rows=len(facts), note=note)
        ).inserted_primary_key[0]
        before = max_fact_id(conn)  # the facts written below get higher ids (writers take turns)
        with gc_paused():
            latest = self._latest_revisions(conn, set(map(_IND_ENTITY, facts)),
                                            set(map(_IND_PERIOD, facts)))
            # Every key new to the ledger gets revision 1, unless it comes twice in this append:
            # the unique key (entity, indicator, period, dims, basis, revision) refuses that, the
            # insert is undone and the repeats are numbered below. An import never repeats a key
            # (check_table refuses it), and looking for repeats first cost 0.5 s per million.
            if latest or not self._insert_first_revisions(conn, facts, batch_id):
                revisions = []
                add = revisions.append
                get = latest.get
                for key in map(_KEY_FIELDS, facts):
                    rev = get(key, 0) + 1
                    latest[key] = rev
                    add(rev)
                self._bulk_insert(conn, facts, revisions, batch_id)
                del revisions
            del latest
        if not return_ids and not any(map(_INPUTS, facts)):
            return batch_id, []
        ids = batch_fact_ids(conn, batch_id, before)
        links = [dict(fact_id=fid, input_fact_id=inp, role=role, weight=weight)
                 for fid, f in zip(ids, facts) if f[12] for inp, role, weight in f[12]]
        if links:
            conn.execute(S.fact_input.insert(), links)
        return batch_id, ids

    def bulk_load_pays(self, rows: int) -> bool:
        """Whether a streamed append of about ``rows`` new facts should drop the fact key and
        build it once after the load (:meth:`append_stream`): for a large import into a
        ledger that holds no more facts than it brings (building the key sorts the whole table,
        so into a large ledger row-by-row upkeep is cheaper; on PostgreSQL the load also locks
        the fact and batch tables against readers, which is for a first load, not daily use)."""
        if self.dialect not in ("sqlite", "postgresql") or rows < BULK_LOAD_MIN_ROWS:
            return False
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":  # the highest id: the number of facts, or more
                return max_fact_id(conn) <= rows
            # PostgreSQL's ids skip what rolled back (a fast path that gave way, a file with
            # errors): count, but no further than the load
            held = conn.exec_driver_sql(
                f"SELECT count(*) FROM (SELECT 1 FROM fact LIMIT {int(rows) + 1}) AS first").scalar_one()
            return held <= rows

    def append_stream(self, chunks: Iterable[Sequence[tuple]], *, kind: str, source: str | None = None,
                      author: str | None = None, note: str | None = None) -> tuple[int, list[NewFact]]:
        """Append facts of keys new to the ledger, arriving in chunks (plain tuples in
        :class:`NewFact` order, no lineage), in one transaction, as revision 1; returns the
        batch id and the facts as :class:`NewFact`, in the order given (ids follow it).

        For a ledger small next to the load (see :meth:`bulk_load_pays`). The fact key (and,
        on PostgreSQL, the batch index and the foreign key to the batch) is dropped while the
        chunks arrive and built once after the last one: a large import checked in another
        process meanwhile (``esgledger.collect.pipeline``) costs little more than the check.
        On PostgreSQL the fact and batch tables are locked against readers too until the
        commit (SQLite's readers keep reading the ledger as it was). If a key is already in the
        ledger or comes twice, building the key fails and :class:`KeyTaken` is raised; if the
        keys cannot be dropped (no right to; on PostgreSQL, the tables not free within
        ``_PG_BULK_LOCK_TIMEOUT``, or a deadlock), :class:`BulkLoadRefused`; an exception from
        ``chunks`` ends the append too. In every case nothing is written."""
        if self.dialect not in ("sqlite", "postgresql"):  # pragma: no cover - no third dialect
            raise NotImplementedError(f"append_stream on {self.dialect}")
        sqlite = self.dialect == "sqlite"
        facts: list[NewFact] = []
        as_fact = functools.partial(_new_tuple, NewFact)
        with self.writer.connect() as conn:
            raw = conn.connection.driver_connection
            cache = raw.execute("PRAGMA cache_size").fetchone()[0] if sqlite else None
            try:
                with conn.begin():
                    dbapi = self.engine.dialect.loaded_dbapi
                    try:  # first, as every writer takes the fact table before the batch table
                        rebuild = self._drop_fact_keys(raw)
                    except (dbapi.ProgrammingError, dbapi.OperationalError) as exc:
                        raise BulkLoadRefused(str(exc)) from None
                    created = now_iso()
                    batch_id = conn.execute(S.batch.insert().values(
                        kind=kind, source=source, author=author, created_at=created, rows=0, note=note)
                    ).inserted_primary_key[0]
                    if sqlite:
                        # A modest cache while the rows arrive: with no index left, the table's
                        # pages are only appended to, and those that spill are written to the
                        # WAL while this process waits for the next chunk anyway, not all at the
                        # commit. Then the bulk cache for building the keys and for the commit
                        # (shrinking it before the commit would spill what the build wrote).
                        raw.execute(f"PRAGMA cache_size = {_SQLITE_STREAM_CACHE}")
                    with gc_paused():
                        for chunk in chunks:
                            part = list(map(as_fact, chunk))
                            self._bulk_insert(conn, part, None, batch_id, own_cache=False)
                            facts += part
                        if sqlite:
                            raw.execute(f"PRAGMA cache_size = {_SQLITE_BULK_CACHE}")
                        try:
                            for sql in rebuild:
                                raw.execute(sql)
                        except dbapi.IntegrityError as exc:
                            raise KeyTaken(str(exc)) from None
                    conn.execute(S.batch.update().where(S.batch.c.id == batch_id).values(rows=len(facts)))
            finally:
                if sqlite:
                    raw.execute(f"PRAGMA cache_size = {int(cache)}")
        return batch_id, facts

    def _drop_fact_keys(self, raw) -> list[str]:
        """Drop what every insert into the fact table keeps up besides the table itself (in the
        caller's transaction, through driver connection ``raw``); the statements that build it
        again, in order. SQLite: the fact table's indexes. PostgreSQL: its indexes but the
        primary key, and its foreign keys, after locking the table (a foreign key checks each
        row by a query of its own: a third of a COPY; validating it once after is one join)."""
        if self.dialect == "sqlite":
            indexes = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                  "AND tbl_name = 'fact' AND sql IS NOT NULL").fetchall()
            for name, _ in indexes:
                raw.execute(f'DROP INDEX "{name}"')
            return [sql for _, sql in indexes]
        # The fact table, then the tables its foreign keys point at (dropping one locks both):
        # the order every writer takes them in, so two loads, or a load and an append, queue
        # instead of deadlocking. Not waiting long for them: a reader holding either would stall
        # the load, and readers coming after would queue behind it; the ordinary append, which
        # readers do not block, serves instead.
        raw.execute(f"SET LOCAL lock_timeout = '{_PG_BULK_LOCK_TIMEOUT}'")
        raw.execute("LOCK TABLE fact IN ACCESS EXCLUSIVE MODE")
        indexes = raw.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = 'fact'::regclass AND NOT i.indisprimary ORDER BY 1").fetchall()
        foreign = raw.execute(
            "SELECT conname, pg_get_constraintdef(oid), confrelid::regclass::text FROM pg_constraint "
            "WHERE conrelid = 'fact'::regclass AND contype = 'f' ORDER BY 1").fetchall()
        for target in sorted({t for _, _, t in foreign}):
            raw.execute(f"LOCK TABLE {target} IN ACCESS EXCLUSIVE MODE")
        raw.execute("SET LOCAL lock_timeout TO DEFAULT")
        for name, _, _ in foreign:
            raw.execute(f'ALTER TABLE fact DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            raw.execute(f"DROP INDEX {name}")  # regclass text: quoted and qualified as needed
        return [sql for _, sql in indexes] + [f'ALTER TABLE fact ADD CONSTRAINT "{name}" {d}'
                                              for name, d, _ in foreign]

    def _lock_facts(self, conn: Connection) -> None:
        # SQLite: BEGIN IMMEDIATE (engine.py) already serialises writers.
        if self.dialect == "postgresql":
            conn.exec_driver_sql("LOCK TABLE fact IN SHARE ROW EXCLUSIVE MODE")

    def _latest_revisions(self, conn: Connection, ind_entities: set[tuple[str, str]],
                          ind_periods: set[tuple[str, str]]) -> dict[tuple, int]:
        """The latest revision of every stored key that has one of the given (indicator,
        entity) and (indicator, period) pairs (and maybe of a few more keys)."""
        latest: dict[tuple, int] = {}
        if not ind_periods:
            return latest
        ents: dict[str, set[str]] = {}
        pers: dict[str, set[str]] = {}
        for ind, ent in ind_entities:
            ents.setdefault(ind, set()).add(ent)
        for ind, per in ind_periods:
            pers.setdefault(ind, set()).add(per)
        f = S.fact.c
        # Looked up on the unique key (entity, indicator, period, …): one probe per (entity,
        # period) of each indicator, i.e. in time with what the append writes, not with the size
        # of the ledger (there is no index on (indicator, period) to save inserts; see 0004).
        for ind in sorted(pers):
            es = sorted(ents[ind])
            for i in range(0, len(es), _PROBE_ENTITIES):
                q = (select(f.entity, f.indicator, f.period, f.dims, f.basis, func.max(f.revision))
                     .where(f.entity.in_(es[i:i + _PROBE_ENTITIES]), f.indicator == ind,
                            f.period.in_(sorted(pers[ind])))
                     .group_by(f.entity, f.indicator, f.period, f.dims, f.basis))
                for e, i_, p, d, b, r in conn.execute(q):
                    latest[(e, i_, p, d, b)] = r
        return latest

    def _insert_first_revisions(self, conn: Connection, facts: Sequence[NewFact], batch_id: int) -> bool:
        """Insert every fact as revision 1; False (and nothing inserted) if the key refuses."""
        raw = conn.connection.driver_connection
        cur = raw.cursor()
        try:
            cur.execute("SAVEPOINT esgledger_append")
            try:
                self._bulk_insert(conn, facts, None, batch_id)
            except self.engine.dialect.loaded_dbapi.IntegrityError:
                cur.execute("ROLLBACK TO SAVEPOINT esgledger_append")
                cur.execute("RELEASE SAVEPOINT esgledger_append")
                return False
            cur.execute("RELEASE SAVEPOINT esgledger_append")
            return True
        finally:
            cur.close()

    def _bulk_insert(self, conn: Connection, facts: Sequence[NewFact], revisions: list[int] | None,
                     batch_id: int, *, own_cache: bool = True) -> None:
        """Insert ``facts`` in their order (ids follow it) with their ``revisions`` (``None``:
        all 1): on SQLite by INSERTs of many rows each, on PostgreSQL by COPY."""
        if not facts:
            return
        shared: dict = {"batch_id": batch_id}
        if revisions is None:
            shared = {"revision": 1, **shared}
        own_columns, own_fields = _OWN_COLUMNS, _OWN_FIELDS
        inline: dict[str, str] = {}
        if self.dialect == "sqlite":  # shared values go into the statement, not into every row
            basis_status = set(map(_BASIS_STATUS, facts))
            if len(basis_status) == 1:  # as in every import: one basis, one status
                (shared["basis"], shared["status"]), = basis_status
                own_columns, own_fields = _OWN_COLUMNS_BUT_BASIS_STATUS, _OWN_FIELDS_BUT_BASIS_STATUS
            inline = {c: lit for c, v in shared.items() if (lit := _sqlite_literal(v)) is not None}
        sent = tuple(c for c in shared if c not in inline)
        tail = tuple(shared[c] for c in sent)
        columns = own_columns + (("revision",) if revisions is not None else ()) + sent
        own = map(own_fields, facts)  # the fact's own columns, picked in C
        if revisions is not None:
            rows = map(operator.add, own, [(r, *tail) for r in revisions])
        elif tail:
            rows = map(operator.add, own, itertools.repeat(tail))
        else:
            rows = own
        raw = conn.connection.driver_connection
        if self.dialect == "sqlite":
            names = ",".join(columns + tuple(inline))
            one = "(" + ",".join(("?",) * len(columns) + tuple(inline.values())) + ")"
            cur = raw.cursor()
            try:
                if own_cache:
                    # a page cache big enough for the indexes a large append touches, for this
                    # statement only (the default 2 MiB makes SQLite spill and re-read pages)
                    (cache,) = cur.execute("PRAGMA cache_size").fetchone()
                    cur.execute(f"PRAGMA cache_size = {_SQLITE_BULK_CACHE}")
                try:
                    _sqlite_insert_rows(cur, names, one, len(columns), rows, len(facts))
                finally:
                    if own_cache:
                        cur.execute(f"PRAGMA cache_size = {int(cache)}")
            finally:
                cur.close()
        elif self.dialect == "postgresql":
            with raw.cursor() as cur:
                with cur.copy(f"COPY fact ({','.join(columns)}) FROM STDIN") as copy:
                    write = copy.write_row
                    for r in rows:
                        write(r)
        else:  # pragma: no cover - other dialects go through SQLAlchemy
            conn.execute(S.fact.insert(), [dict(zip(columns, r)) for r in rows])

    def current_facts(self, *, entity: str | Iterable[str] | None = None,
                      indicator: str | Iterable[str] | None = None,
                      period: str | Iterable[str] | None = None,
                      status: str | Iterable[str] | None = None,
                      basis: str | Iterable[str] | None = "own",
                      dims: str | None = None) -> list[FactRecord]:
        """The current (latest) revision of every fact matching the filters."""
        return list(self.iter_current(entity=entity, indicator=indicator, period=period,
                                      status=status, basis=basis, dims=dims))

    def iter_current(self, *, approved_only: bool = False, **filters) -> Iterator[FactRecord]:
        """The current revision of every fact matching ``filters``. With ``approved_only``, the
        latest *approved* (or calculated) revision instead: a value submitted after an approval
        does not replace the approved one until it is approved itself."""
        f = S.fact.alias("f")
        g = S.fact.alias("g")
        latest = select(func.max(g.c.revision)).where(
            g.c.entity == f.c.entity, g.c.indicator == f.c.indicator, g.c.period == f.c.period,
            g.c.dims == f.c.dims, g.c.basis == f.c.basis)
        if approved_only:  # a withdrawal withdraws an approved value at once
            latest = latest.where(g.c.status.in_(REPORTABLE_STATUSES + (WITHDRAWN,)))
        # the columns in FactRecord's field order, so each row is its positional arguments; a
        # key whose latest revision withdraws it has no current value
        q = record_select(f).where(f.c.revision == latest.scalar_subquery(), f.c.status != WITHDRAWN)
        q = _filter(q, f, **filters).order_by(f.c.entity, f.c.indicator, f.c.period, f.c.dims, f.c.basis)
        with self.engine.connect() as conn:
            yield from itertools.starmap(FactRecord, conn.execute(q))

    def history(self, entity: str, indicator: str, period: str, dims: str = "",
                basis: str = "own") -> list[FactRecord]:
        f = S.fact.c
        with self.engine.connect() as conn:
            rows = conn.execute(record_select(source=True)
                                .where(f.entity == entity, f.indicator == indicator, f.period == period,
                                       f.dims == dims, f.basis == basis).order_by(f.revision))
            return [_record(r) for r in rows]

    def fact(self, fact_id: int) -> FactRecord | None:
        with self.engine.connect() as conn:
            r = conn.execute(record_select().where(S.fact.c.id == fact_id)).first()
        return _record(r) if r else None

    def inputs_of(self, fact_id: int) -> list[tuple[FactRecord, str | None, str | None]]:
        fi = S.fact_input.c
        with self.engine.connect() as conn:
            rows = conn.execute(record_select().add_columns(fi.role, fi.weight)
                                .join(S.fact_input, fi.input_fact_id == S.fact.c.id)
                                .where(fi.fact_id == fact_id).order_by(S.fact.c.id)).all()
        return [(_record(r), r.role, r.weight) for r in rows]

    def batch(self, batch_id: int) -> dict | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(S.batch).where(S.batch.c.id == batch_id)).first()
        return dict(r._mapping) if r else None

    def count_facts(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(S.fact)).scalar_one()



_PG_BULK_LOCK_TIMEOUT = "1s"  # how long a streamed load waits for its tables before giving way
_SQLITE_BULK_CACHE = -262144  # KiB: up to 256 MiB, allocated only as pages are used
_SQLITE_STREAM_CACHE = -16384  # KiB: 16 MiB while a streamed append's chunks arrive
# Below this many facts a streamed import is not worth a second process and a key rebuild.
BULK_LOAD_MIN_ROWS = 100_000
_new_tuple = tuple.__new__


class BulkLoadRefused(Exception):
    """:meth:`Store.append_stream` could not drop the fact table's keys (on PostgreSQL, a role
    that may write the ledger but does not own its tables); nothing was written, and the
    ordinary append serves."""


class KeyTaken(Exception):
    """:meth:`Store.append_stream` met a key already in the ledger or given twice (nothing was
    written); the ordinary append numbers revisions, and an import reports repeats."""


def _driver_rows(conn: Connection, sql: str, params: tuple) -> list[tuple]:
    """``sql`` (``?`` placeholders) through the driver: these run in every append, where
    SQLAlchemy's statement handling would cost more than the query."""
    if conn.dialect.name != "sqlite":
        sql = sql.replace("?", "%s")
    cur = conn.connection.driver_connection.cursor()
    try:
        cur.execute(sql, params)
        return cur.fetchall()
    finally:
        cur.close()


def max_fact_id(conn: Connection) -> int:
    """The highest fact id (0 for an empty ledger): one step down the table's key."""
    return _driver_rows(conn, "SELECT max(id) FROM fact", ())[0][0] or 0


def batch_fact_ids(conn: Connection, batch_id: int, after: int) -> list[int]:
    """The ids of the facts of ``batch_id`` written in this transaction after ``after`` was
    the highest id, in order: a range of the table's key, not a look-up by batch (SQLite
    keeps no index on it, see migration 0006)."""
    return [r[0] for r in _driver_rows(conn, "SELECT id FROM fact WHERE id > ? AND batch_id = ? ORDER BY id",
                                       (after, batch_id))]


def _sqlite_literal(v) -> str | None:
    """``v`` written as an SQLite literal, or ``None`` when it has to be bound instead."""
    if v is None:
        return "NULL"
    if type(v) is int:
        return str(v)
    if type(v) is str and "\x00" not in v:
        return "'" + v.replace("'", "''") + "'"  # SQL quoting: a quote inside is doubled
    return None


_gc_lock = threading.Lock()
_gc_holders = 0
_gc_was_enabled = False


@contextlib.contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while a bulk step builds a million small tuples.

    Otherwise every few thousand allocations a collection walks all the facts kept so far:
    about 2 s of checking a million rows. Reference counting still frees everything; only
    reference cycles wait until the step ends. Nested and concurrent uses are counted."""
    global _gc_holders, _gc_was_enabled
    with _gc_lock:
        if _gc_holders == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_holders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_was_enabled:
                if gc.get_freeze_count() == 0:
                    # What the pause allocated sits in the youngest generation, and the first
                    # collection after it would walk all of it (0.2 s per million facts, twice
                    # per import). Hand it to the oldest generation unwalked instead: it is
                    # examined at the next full collection, if it is still alive by then.
                    # (Skipped when the process froze objects itself: unfreeze would undo that.)
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()


# Rows per INSERT statement of a bulk append on SQLite: one statement of many VALUES rows costs
# SQLite less per row than the same statement run once per row (about 10 % of a million-fact
# load, bench/RESULTS.md, issue 2); kept within the 999 bound values older SQLite allows.
_SQLITE_ROWS_PER_INSERT = 50
_SQLITE_MAX_BOUND = 999


def _sqlite_insert_rows(cur, names: str, one: str, width: int, rows: Iterator[tuple], n: int) -> None:
    """INSERT ``n`` rows (each ``width`` bound values, into VALUES group ``one``) into fact, in
    their order: groups of many rows per statement, then the rest one by one."""
    per = max(1, min(_SQLITE_ROWS_PER_INSERT, _SQLITE_MAX_BOUND // max(width, 1)))
    rows = iter(rows)
    if per > 1 and n >= per:
        flat, take = itertools.chain.from_iterable, itertools.islice
        cur.executemany(f"INSERT INTO fact ({names}) VALUES " + ",".join((one,) * per),
                        (tuple(flat(take(rows, per))) for _ in range(n // per)))
    cur.executemany(f"INSERT INTO fact ({names}) VALUES {one}", rows)


def _as_list(v) -> list[str] | None:
    if v is None:
        return None
    if isinstance(v, str):
        return [v]
    return list(v)


def _filter(q, f, *, entity=None, indicator=None, period=None, status=None, basis=None, dims=None):
    conds = []
    for col, val in ((f.c.entity, entity), (f.c.indicator, indicator), (f.c.period, period),
                     (f.c.status, status), (f.c.basis, basis)):
        vals = _as_list(val)
        if vals is not None:
            conds.append(col.in_(vals) if len(vals) != 1 else col == vals[0])
    if dims is not None:
        conds.append(f.c.dims == dims)
    return q.where(and_(*conds)) if conds else q


def record_select(f=None, *, source: bool = False):
    """A ``select`` of fact table ``f`` (``S.fact`` or an alias of it) joined to its batch,
    with the columns in :class:`FactRecord`'s field order, so each row is its positional
    arguments: who wrote a fact and when are its batch's (migration 0007); ``source`` is the
    batch's with ``source=True``, else NULL."""
    f = S.fact if f is None else f
    b = S.batch
    cols = []
    for fld in dataclasses.fields(FactRecord):
        name = fld.name
        if name == "source":
            cols.append(b.c.source if source else null().label("source"))
        elif name in ("author", "created_at"):
            cols.append(b.c[name])
        else:
            cols.append(f.c["batch_id" if name == "batch" else name])
    return select(*cols).select_from(f.join(b, b.c.id == f.c.batch_id))


_RECORD_FIELDS = len(dataclasses.fields(FactRecord))


def _record(r) -> FactRecord:
    """A row of :func:`record_select` (maybe with more columns after) as a FactRecord."""
    return FactRecord(*r[:_RECORD_FIELDS])


def sql_ping(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
