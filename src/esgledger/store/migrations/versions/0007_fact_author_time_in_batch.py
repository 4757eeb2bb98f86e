"""who wrote a fact and when is its batch's: the fact table drops author and created_at

Every write of facts is a batch, and every writer gave each fact its batch's author and time, so
the two columns repeated the batch in every row: about a fifth of a fact row, 36 bytes of
~180 in a large import, written, synced and checkpointed once per fact (0.7 s of a
million-fact import, bench/RESULTS.md, issue 2). Readers now take them from the batch
(``esgledger.store.ledger.record_select``), and ``fact.batch_id`` becomes NOT NULL.

A ledger written by other means may hold facts without a batch or whose author or time differs
from their batch's: before the columns go, each such (batch, author, time) gets a batch of its
own, with its batch's kind, source and note (the note is the reason the audit trail shows;
``api`` and none without a batch), and the batch it leaves counts that many rows fewer, so
nothing shown is lost. SQLite rebuilds the fact table for this (2.1 s per million facts on the
benchmark machine, once); PostgreSQL drops the columns.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = sa.Table("batch", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                 *(sa.Column(c) for c in ("kind", "source", "author", "created_at", "rows", "note")))


def upgrade() -> None:
    conn = op.get_bind()
    odd = conn.execute(sa.text(
        "SELECT DISTINCT f.batch_id, f.author, f.created_at, b.kind, b.source, b.note "
        "FROM fact f LEFT JOIN batch b ON b.id = f.batch_id "
        "WHERE b.id IS NULL OR f.created_at <> b.created_at OR f.author <> b.author "
        "OR (f.author IS NULL) <> (b.author IS NULL)")).all()
    for old, author, created, kind, source, note in odd:
        new = conn.execute(BATCH.insert().values(
            kind=kind or "api", source=source, author=author, created_at=created, rows=0,
            note=note)).inserted_primary_key[0]
        match = ["created_at = :created",
                 "author IS NULL" if author is None else "author = :author",
                 "batch_id IS NULL" if old is None else "batch_id = :old"]
        n = conn.execute(sa.text(f"UPDATE fact SET batch_id = :new WHERE {' AND '.join(match)}"),
                         {"new": new, "created": created, "author": author, "old": old}).rowcount
        conn.execute(sa.text("UPDATE batch SET rows = :n WHERE id = :new"), {"n": n, "new": new})
        if old is not None:
            conn.execute(sa.text("UPDATE batch SET rows = CASE WHEN rows > :n THEN rows - :n ELSE 0 END "
                                 "WHERE id = :old"), {"n": n, "old": old})
    with op.batch_alter_table("fact") as b:
        b.drop_column("author")
        b.drop_column("created_at")
        b.alter_column("batch_id", existing_type=sa.Integer(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("fact") as b:
        b.alter_column("batch_id", existing_type=sa.Integer(), nullable=True)
        b.add_column(sa.Column("author", sa.Text))
        b.add_column(sa.Column("created_at", sa.String(32)))
    op.execute("UPDATE fact SET author = (SELECT author FROM batch WHERE batch.id = fact.batch_id), "
               "created_at = (SELECT created_at FROM batch WHERE batch.id = fact.batch_id)")
    with op.batch_alter_table("fact") as b:
        b.alter_column("created_at", existing_type=sa.String(32), nullable=False)
