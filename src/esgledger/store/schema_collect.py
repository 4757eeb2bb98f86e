"""Tables of users, access and data collection (SQLAlchemy Core). Migration 0002 creates them.

Kept apart from :mod:`esgledger.store.schema` (the ledger itself): the ledger's facts do not
depend on any of these tables, and these tables never hold a fact value — a submitted, approved
or returned value is always a fact revision.

* ``app_user`` / ``role_grant``: who may do what, and where in the entity tree;
* ``access_log``: every refused attempt (who, when, what, why);
* ``campaign`` / ``assignment`` / ``entity_status`` / ``status_event``: a collection campaign,
  the indicators asked of each entity, each entity's workflow status (with a version number
  that every change increments, for optimistic concurrency) and the history of its statuses;
* ``campaign_batch``: the campaign each ledger batch of a submission or review was written for
  (migration 0009; the ledger's batches know nothing of campaigns);
* ``review_comment``: comments of reviewers and submitters, per entity or per value;
* ``evidence``: files attached to facts, stored in the workspace by their SHA-256.
"""
from __future__ import annotations

from sqlalchemy import (Boolean, Column, Index, Integer, MetaData, String, Table, Text,
                        UniqueConstraint)

metadata = MetaData()

app_user = Table(
    "app_user", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", Text),
    Column("password_hash", Text, nullable=False),   # argon2id, PHC string
    Column("lang", String(4)),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(64)),
)

role_grant = Table(
    "role_grant", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, nullable=False, index=True),
    Column("role", String(16), nullable=False),     # admin | manager | submitter | auditor
    Column("entity", String(64)),                    # root of the subtree (submitters only)
    Column("granted_at", String(32), nullable=False),
    Column("granted_by", String(64)),
)

access_log = Table(
    "access_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("username", String(64)),
    Column("action", String(32), nullable=False),
    Column("target", Text),
    Column("outcome", String(12), nullable=False),   # refused
    Column("reason", Text),
)

campaign = Table(
    "campaign", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("period", String(10), nullable=False),
    Column("status", String(12), nullable=False),    # open | closed
    Column("due", String(10)),
    Column("secret", String(64), nullable=False),    # HMAC key of the workbooks' checksums
    Column("opened_by", String(64)),
    Column("opened_at", String(32), nullable=False),
    Column("closed_at", String(32)),
    Column("note", Text),
)

assignment = Table(
    "assignment", metadata,
    Column("campaign_id", Integer, nullable=False),
    Column("entity", String(64), nullable=False),
    Column("indicator", String(96), nullable=False),
    UniqueConstraint("campaign_id", "entity", "indicator", name="uq_assignment"),
)
Index("ix_assignment_campaign_entity", assignment.c.campaign_id, assignment.c.entity)

entity_status = Table(
    "entity_status", metadata,
    Column("campaign_id", Integer, nullable=False),
    Column("entity", String(64), nullable=False),
    Column("status", String(16), nullable=False),    # not_started | in_progress | submitted | returned | approved
    Column("version", Integer, nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("updated_by", String(64)),
    UniqueConstraint("campaign_id", "entity", name="uq_entity_status"),
)

status_event = Table(
    "status_event", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("campaign_id", Integer, nullable=False),
    Column("entity", String(64), nullable=False),
    Column("old_status", String(16)),
    Column("new_status", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("author", String(64)),
    Column("at", String(32), nullable=False),
    Column("batch_id", Integer),
    Column("note", Text),
)
Index("ix_status_event_campaign_entity", status_event.c.campaign_id, status_event.c.entity)

# One row per batch a campaign's submission or review wrote (a re-import that leaves the entity's
# status as it was writes no status_event, so status_event.batch_id alone misses it). Batches
# written outside a campaign (`esgledger import`, `calc run`) have none.
campaign_batch = Table(
    "campaign_batch", metadata,
    Column("batch_id", Integer, primary_key=True, autoincrement=False),
    Column("campaign_id", Integer, nullable=False),
)
Index("ix_campaign_batch_campaign", campaign_batch.c.campaign_id)

review_comment = Table(
    "review_comment", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("campaign_id", Integer, nullable=False),
    Column("entity", String(64), nullable=False),
    Column("indicator", String(96)),                  # NULL: about the whole entity
    Column("period", String(10)),
    Column("dims", Text),
    Column("fact_id", Integer),
    Column("kind", String(12), nullable=False),       # return | approve | note
    Column("author", String(64)),
    Column("at", String(32), nullable=False),
    Column("text", Text, nullable=False),
)
Index("ix_review_comment_campaign_entity", review_comment.c.campaign_id, review_comment.c.entity)

evidence = Table(
    "evidence", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False),
    Column("filename", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("media_type", String(100)),
    Column("stored_path", Text, nullable=False),      # relative to the workspace
    Column("entity", String(64), nullable=False),
    Column("indicator", String(96)),
    Column("period", String(10)),
    Column("dims", Text),
    Column("fact_id", Integer),
    Column("uploaded_by", String(64)),
    Column("uploaded_at", String(32), nullable=False),
    Column("note", Text),
)
Index("ix_evidence_entity", evidence.c.entity, evidence.c.indicator, evidence.c.period)

ENTITY_STATUSES = ("not_started", "in_progress", "submitted", "returned", "approved")
