"""Users, roles and scoped access, enforced in the store: every interface gets the same rules.

Roles (a user holds one or more *grants*; a grant is a role, optionally limited to the subtree
of one entity — a submitter's grant always is):

=========  ===========================================================================
admin      everything, including users (``users``)
manager    group ESG manager: reads and writes everything, opens campaigns, reviews
           and approves (``read write submit review campaign audit evidence``)
submitter  company or plant submitter: reads and writes only its own subtree and submits
           it (``read write submit evidence``)
auditor    reads everything and the audit trail, writes nothing (``read audit``)
=========  ===========================================================================

A :class:`ScopedStore` wraps a :class:`~esgledger.store.Store` for one signed-in user; every
public read and write goes through it. A refused attempt raises :class:`AccessDenied` with a
catalogued problem (``ESG-ACCESS-0xx``) and is written to the ``access_log`` table, even when
the caller's own transaction rolls back. Passwords are stored as argon2id hashes.

>>> scoped = ScopedStore.login(store, "plant1", "secret-pw")          # doctest: +SKIP
>>> scoped.current_facts(entity="TLYX-P2")                            # doctest: +SKIP
Traceback (most recent call last):
AccessDenied: -: ESG-ACCESS-004 outside your part of the group: plant1 may read only TLYX-P1 …
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from sqlalchemy import exists, func, or_, select
from sqlalchemy.engine import Connection

from esgledger.model.errors import Bilingual, EsgledgerError, Location, Problem, ProblemsError
from esgledger.model.types import EntityRecord, FactRecord, Membership
from esgledger.store import schema as S
from esgledger.store import schema_collect as C
from esgledger.store.ledger import NewFact, Store, batch_fact_ids, max_fact_id, now_iso

ROLES = ("admin", "manager", "submitter", "auditor")
# what a Chinese reader calls each role (the codes are what the command line takes)
ROLE_NAMES_ZH = {"admin": "管理员", "manager": "主管", "submitter": "填报人", "auditor": "审计"}
ACTIONS = ("read", "write", "submit", "review", "campaign", "audit", "evidence", "users")
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(ACTIONS),
    "manager": frozenset({"read", "write", "submit", "review", "campaign", "audit", "evidence"}),
    "submitter": frozenset({"read", "write", "submit", "evidence"}),
    "auditor": frozenset({"read", "audit"}),
}
_FACT_COLUMNS = ("entity", "indicator", "period", "dims", "basis", "revision", "value", "unit",
                 "value_entered", "unit_entered", "status", "batch_id", "location", "comment")
REVIEW_STATUSES = frozenset({"approved", "rejected"})  # fact statuses only a reviewer may write
MIN_PASSWORD = 8
# an action as a refusal or the access log names it to a reader (the log stores the code): a verb
# phrase, as "{user} may not {action}" reads it ("may not attach evidence", not "may not evidence")
ACTION_NAMES = {
    "read": Bilingual("读取", "read"), "write": Bilingual("写入", "write"), "submit": Bilingual("提交", "submit"),
    "review": Bilingual("审核", "review"), "campaign": Bilingual("管理收集任务", "manage campaigns"),
    "audit": Bilingual("查阅审计记录", "read the audit trail"), "evidence": Bilingual("附加佐证材料", "attach evidence"),
    "users": Bilingual("管理用户", "manage users"), "login": Bilingual("登录", "sign in"),
}
# what a refused attempt was at, as the access log stores it (English) and as it reads in Chinese
_TARGETS_ZH = [(re.compile(p), zh) for p, zh in (
    (r"the whole group", "整个集团"),
    (r"the group's KPI table", "集团 KPI 表"),
    (r"the access log", "访问日志"),
    (r"the entity tree", "组织树"),
    (r"the list of users", "用户列表"),
    (r"withdraw approved values", "撤回已批准的数据"),
    (r"statuses of (.+)", r"\1 中的状态"),
    (r"open a campaign for (.+)", r"开启 \1 年度收集任务"),
    (r"close campaign #(\d+) \((.+)\)", r"关闭收集任务 #\1（\2）"),
    (r"calc run (.+)", r"计算运行 \1"),
    (r"add user (.+)", r"添加用户 \1"),
    (r"grant (\S+) to (.+)", r"向 \2 授予 \1"),
    (r"revoke (\S+) from (.+)", r"收回 \2 的 \1"),
    (r"disable user (.+)", r"停用用户 \1"),
    (r"enable user (.+)", r"启用用户 \1"),
    (r"set the password of (.+)", r"设置 \1 的密码"),
    (r"user (.+)", r"用户 \1"),
    (r"fact #(\d+) \((.+)\)", r"数据 #\1（\2）"),
    (r"batch #(\d+) \((.+)\)", r"批次 #\1（\2）"),
    (r"batch #(\d+)", r"批次 #\1"),
    (r"(\S+) \(workbook (.+)\)", r"\1（工作簿 \2）"),
    (r"(\S+) \((.+)\)", r"\1（\2）"),
)]


def action_name(action: str) -> Bilingual:
    """An action code (``read``) as a reader names it (读取 / read)."""
    return ACTION_NAMES.get(action) or Bilingual(action, action)


def target_text(target: str) -> Bilingual:
    """The target of a refused attempt, as stored (English), and in Chinese: the known phrases
    of this module, collect and the workspace read in Chinese; entity codes and file names stay."""
    for pattern, zh in _TARGETS_ZH:
        m = pattern.fullmatch(target)
        if m:
            return Bilingual(m.expand(zh), target)
    return Bilingual(target, target)


SYSTEM_USER = "system"
ANONYMOUS = "(anonymous)"  # a workspace with users, opened without signing in: no grants


def local_name() -> str:
    """The operating-system account: who acts in a single-user workspace."""
    import getpass
    import os

    try:
        return os.environ.get("USER") or getpass.getuser() or "local"
    except (OSError, KeyError):  # no user database entry (containers)
        return "local"


class AccessDenied(EsgledgerError, PermissionError):
    """A refused attempt (already written to the access log). Carries the problem."""

    def __init__(self, problem: Problem, lang: str = "en"):
        self.problem = problem
        super().__init__(problem.render(lang))


@dataclass(frozen=True)
class Grant:
    role: str
    entity: str | None = None  # None: the whole group

    def __str__(self) -> str:
        return self.role + (f"@{self.entity}" if self.entity else "")


@dataclass(frozen=True)
class User:
    id: int | None
    username: str
    display_name: str | None = None
    disabled: bool = False
    grants: tuple[Grant, ...] = ()
    lang: str | None = None
    created_at: str | None = None

    @property
    def roles(self) -> str:
        return ", ".join(str(g) for g in self.grants) or "-"

    @property
    def roles_named(self) -> "Bilingual":
        """:attr:`roles` for a reader: in Chinese each with its role's name, ``主管 manager`` (also
        inside a sentence's brackets), in English the codes."""
        return Bilingual("、".join(f"{ROLE_NAMES_ZH.get(g.role, '')} {g}".strip() for g in self.grants) or "-",
                         self.roles)


# -- passwords -------------------------------------------------------------------------
def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) parameters


def hash_password(password: str) -> str:
    """An argon2id PHC string: ``$argon2id$v=19$m=…``."""
    return _hasher().hash(password)


def verify_password(hashed: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


# -- the scoped store -----------------------------------------------------------------------
class ScopedStore:
    """One user's view of the store. Build it with :meth:`login`, :meth:`as_user` (a caller
    that has already authenticated the user, such as a web session) or :meth:`system` (the
    local administrator of a single-user workspace, and internal jobs)."""

    def __init__(self, store: Store, user: User):
        self._store = store
        self.user = user
        self._subtrees: dict[str, frozenset[str]] | None = None
        self._tx_depth = 0
        self._pending_log: list[dict] = []

    # construction ----------------------------------------------------------------------
    @classmethod
    def system(cls, store: Store, name: str = SYSTEM_USER) -> "ScopedStore":
        return cls(store, User(None, name, grants=(Grant("admin"),)))

    @classmethod
    def login(cls, store: Store, username: str, password: str) -> "ScopedStore":
        """Check the password; a failed sign-in is refused and logged (ESG-ACCESS-001/002)."""
        row = _user_row(store, username)
        if row is None or not verify_password(row.password_hash, password):
            _log(store, username, "login", None, "ESG-ACCESS-001")
            raise AccessDenied(Problem("ESG-ACCESS-001", Location(field="user"), {"user": username}))
        if row.disabled:
            _log(store, username, "login", None, "ESG-ACCESS-002")
            raise AccessDenied(Problem("ESG-ACCESS-002", Location(field="user"), {"user": username}))
        return cls(store, _load_user(store, row))

    @classmethod
    def as_user(cls, store: Store, username: str) -> "ScopedStore":
        """The store as seen by ``username``, who the caller has already authenticated."""
        row = _user_row(store, username)
        if row is None:
            _log(store, username, "login", None, "ESG-ACCESS-008")
            raise AccessDenied(Problem("ESG-ACCESS-008", Location(field="user"), {"user": username}))
        if row.disabled:
            _log(store, username, "login", None, "ESG-ACCESS-002")
            raise AccessDenied(Problem("ESG-ACCESS-002", Location(field="user"), {"user": username}))
        return cls(store, _load_user(store, row))

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def dialect(self) -> str:
        return self._store.dialect

    @property
    def url(self) -> str:
        return self._store.url

    # permissions -----------------------------------------------------------------------
    def _subtree_map(self) -> dict[str, frozenset[str]]:
        if self._subtrees is None:
            children: dict[str, set[str]] = {}
            with self._store.engine.connect() as conn:
                for ent, parent in conn.execute(select(S.membership.c.entity, S.membership.c.parent)):
                    if parent is not None:
                        children.setdefault(parent, set()).add(ent)
            out: dict[str, frozenset[str]] = {}
            for g in self.user.grants:
                if g.entity is None or g.entity in out:
                    continue
                seen = {g.entity}
                stack = [g.entity]
                while stack:  # every entity that ever sat below the grant's root
                    for ch in children.get(stack.pop(), ()):
                        if ch not in seen:
                            seen.add(ch)
                            stack.append(ch)
                out[g.entity] = frozenset(seen)
            self._subtrees = out
        return self._subtrees

    def scope(self, action: str) -> frozenset[str] | None:
        """The entities where the user may ``action`` (None: everywhere)."""
        subtrees = self._subtree_map()
        out: set[str] = set()
        for g in self.user.grants:
            if action not in PERMISSIONS.get(g.role, ()):
                continue
            if g.entity is None:
                return None
            out |= subtrees[g.entity]
        return frozenset(out)

    def can(self, action: str, entity: str | None = None) -> bool:
        scope = self.scope(action)
        if scope is None:
            return True
        return entity is not None and entity in scope

    def require(self, action: str, entity: str | Iterable[str] | None = None, *,
                target: str | None = None) -> None:
        """Refuse (and log) unless the user may ``action`` at every ``entity`` given (or, with
        no entity, everywhere)."""
        scope = self.scope(action)
        if scope is None:
            return
        if entity is None:
            code = "ESG-ACCESS-003" if not scope else "ESG-ACCESS-004"
            self._refuse(code, action, target or "the whole group", scope)
        wanted = [entity] if isinstance(entity, str) else list(entity)
        outside = [e for e in wanted if e not in scope]
        if outside:
            code = "ESG-ACCESS-003" if not scope else "ESG-ACCESS-004"
            self._refuse(code, action, target or _first_of(sorted(set(outside))), scope)

    def _refuse(self, code: str, action: str, target: str, scope: frozenset[str]) -> None:
        roots = sorted({g.entity for g in self.user.grants if g.entity and action in PERMISSIONS[g.role]})
        problem = Problem(code, Location(field=action), {
            "user": self.username, "role": self.user.roles_named,
            "action": action_name(action),
            "found": target_text(target),
            "expected": Bilingual("、".join(roots) + " 及其下级主体", ", ".join(roots) + " (subtree)") if roots else ""})
        entry = dict(at=now_iso(), username=self.username, action=action, target=target[:500],
                     outcome="refused", reason=code)
        if self._tx_depth:
            self._pending_log.append(entry)
        else:
            _write_log(self._store, [entry])
        raise AccessDenied(problem, self.user.lang or "en")

    # transactions ----------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator["Transaction"]:
        """One write transaction holding the ledger's write lock (SQLite: BEGIN IMMEDIATE;
        PostgreSQL: the fact table lock), so that reading a status and appending revisions
        cannot interleave with another writer."""
        self._subtree_map()  # read before the lock: SQLite allows one connection inside it
        self._tx_depth += 1
        try:
            with self._store.writer.begin() as conn:
                self._store._lock_facts(conn)
                yield Transaction(self, conn)
        finally:
            self._tx_depth -= 1
            if not self._tx_depth and self._pending_log:
                pending, self._pending_log = self._pending_log, []
                _write_log(self._store, pending)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self._store.engine.connect() as conn:
            yield conn

    # entities --------------------------------------------------------------------------
    def load_entities(self) -> tuple[list[EntityRecord], list[Membership]]:
        """The tree's structure (names, levels, links) is not fact data: everyone reads it."""
        return self._store.load_entities()

    def load_tree(self):
        return self._store.load_tree()

    def save_tree(self, entities: Sequence[EntityRecord], memberships: Sequence[Membership]) -> None:
        self.require("users", target="the entity tree")
        self._store.save_tree(entities, memberships)
        self._subtrees = None

    # facts: reads ----------------------------------------------------------------------
    def _read_filter(self, entity):
        scope = self.scope("read")
        if scope is None:
            return entity
        if not scope:  # no read grant at all (an auditor's is group-wide): refuse, don't return nothing
            self.require("read", entity)
        if entity is None:
            return sorted(scope)
        self.require("read", entity)
        return entity

    def iter_current(self, *, entity=None, **filters) -> Iterator[FactRecord]:
        return self._store.iter_current(entity=self._read_filter(entity), **filters)

    def current_facts(self, *, entity=None, **filters) -> list[FactRecord]:
        return list(self.iter_current(entity=entity, **filters))

    def history(self, entity: str, indicator: str, period: str, dims: str = "",
                basis: str = "own") -> list[FactRecord]:
        self.require("read", entity)
        return self._store.history(entity, indicator, period, dims, basis)

    def fact(self, fact_id: int) -> FactRecord | None:
        f = self._store.fact(fact_id)
        if f is not None:
            self.require("read", f.entity, target=f"fact #{fact_id} ({f.entity})")
        return f

    def inputs_of(self, fact_id: int):
        self.fact(fact_id)
        scope = self.scope("read")
        return [t for t in self._store.inputs_of(fact_id) if scope is None or t[0].entity in scope]

    def batch(self, batch_id: int) -> dict | None:
        """The batch record (kind, source, author, time, note, rows). A user who may read only
        part of the group may read a batch that wrote facts of that part, whatever else it
        wrote (a group-wide load holds each plant's own history): ``rows`` then counts only
        the rows of that part, so the record says nothing of the other entities' data. A batch
        with none of the user's facts is refused (and logged)."""
        scope = self.scope("read")
        if scope is None:
            return self._store.batch(batch_id)
        f = S.fact.c
        with self._store.engine.connect() as conn:  # (a scan on SQLite: see migration 0006)
            counts = dict(conn.execute(select(f.entity, func.count()).where(f.batch_id == batch_id)
                                       .group_by(f.entity)).all())
        if not counts:
            self.require("read", target=f"batch #{batch_id}")
        mine = {e: n for e, n in counts.items() if e in scope}
        if not mine:
            self.require("read", sorted(counts), target=f"batch #{batch_id} ({', '.join(sorted(counts)[:5])})")
        rec = self._store.batch(batch_id)
        if rec is not None and len(mine) < len(counts):
            rec["rows"] = sum(mine.values())
        return rec

    def has_period(self, period: str) -> bool:
        """Whether the ledger has any value (any revision) for ``period`` or a period within it
        (``2024-03`` within ``2024``) that this user may read."""
        f = S.fact.c
        q = select(f.id).where(or_(f.period == period, f.period.like(f"{period}-%")))
        scope = self.scope("read")
        if scope is not None:
            q = q.where(f.entity.in_(sorted(scope)))
        with self._store.engine.connect() as conn:
            return conn.execute(select(exists(q))).scalar_one()

    def count_facts(self) -> int:
        scope = self.scope("read")
        if scope is None:
            return self._store.count_facts()
        with self._store.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(S.fact)
                                .where(S.fact.c.entity.in_(sorted(scope)))).scalar_one()


    # facts: writes ---------------------------------------------------------------------
    def check_append(self, facts: Sequence[NewFact]) -> None:
        """Refuse unless the user may write every fact (approved/rejected: review)."""
        entities = {f[0] for f in facts}
        self.require("write", entities)
        reviewed = {f[0] for f in facts if f[7] in REVIEW_STATUSES}
        if reviewed:
            self.require("review", reviewed)

    def append_facts(self, facts: Sequence[NewFact], *, kind: str, source: str | None = None,
                     note: str | None = None, return_ids: bool = True) -> tuple[int, list[int]]:
        """:meth:`Store.append_facts` as this user (the author is always the signed-in user)."""
        self.check_append(facts)
        return self._store.append_facts(facts, kind=kind, source=source, author=self.username,
                                        note=note, return_ids=return_ids)

    # users -----------------------------------------------------------------------------
    def add_user(self, username: str, password: str, role: str, *, entity: str | None = None,
                 display_name: str | None = None, lang: str | None = None) -> User:
        """Add a user with one grant (admin only; in a store without users, the system user)."""
        self.require("users", target=f"add user {username}")
        _check_grant(self._store, role, entity)
        if len(password) < MIN_PASSWORD:
            raise ProblemsError([Problem("ESG-ACCESS-007", Location(field="password"),
                                         {"expected": MIN_PASSWORD, "found": len(password)})])
        if not username or len(username) > 64 or username == SYSTEM_USER:
            raise ProblemsError([Problem("ESG-ACCESS-006", Location(field="username"),
                                         {"found": username,
                                          "expected": Bilingual("1–64 个字符，且不是 system", "1–64 characters, not 'system'")})])
        hashed = hash_password(password)
        now = now_iso()
        with self._store.writer.begin() as conn:
            if conn.execute(select(C.app_user.c.id).where(C.app_user.c.username == username)).first():
                raise ProblemsError([Problem("ESG-ACCESS-005", Location(field="username"), {"user": username})])
            uid = conn.execute(C.app_user.insert().values(
                username=username, display_name=display_name, password_hash=hashed, lang=lang,
                disabled=False, created_at=now, created_by=self.username)).inserted_primary_key[0]
            conn.execute(C.role_grant.insert().values(user_id=uid, role=role, entity=entity,
                                                      granted_at=now, granted_by=self.username))
        return self.get_user(username)

    def grant(self, username: str, role: str, entity: str | None = None) -> User:
        self.require("users", target=f"grant {role} to {username}")
        _check_grant(self._store, role, entity)
        row = self._need_user(username)
        with self._store.writer.begin() as conn:
            conn.execute(C.role_grant.insert().values(user_id=row.id, role=role, entity=entity,
                                                      granted_at=now_iso(), granted_by=self.username))
        return self.get_user(username)

    def revoke(self, username: str, role: str, entity: str | None = None) -> User:
        self.require("users", target=f"revoke {role} from {username}")
        row = self._need_user(username)
        g = C.role_grant.c
        cond = (g.user_id == row.id) & (g.role == role)
        cond &= g.entity.is_(None) if entity is None else (g.entity == entity)
        with self._store.writer.begin() as conn:
            conn.execute(C.role_grant.delete().where(cond))
        return self.get_user(username)

    def set_disabled(self, username: str, disabled: bool = True) -> User:
        self.require("users", target=f"{'disable' if disabled else 'enable'} user {username}")
        self._need_user(username)
        with self._store.writer.begin() as conn:
            conn.execute(C.app_user.update().where(C.app_user.c.username == username)
                         .values(disabled=disabled))
        return self.get_user(username)

    def set_password(self, username: str, password: str) -> None:
        if username != self.username:
            self.require("users", target=f"set the password of {username}")
        if len(password) < MIN_PASSWORD:
            raise ProblemsError([Problem("ESG-ACCESS-007", Location(field="password"),
                                         {"expected": MIN_PASSWORD, "found": len(password)})])
        self._need_user(username)
        with self._store.writer.begin() as conn:
            conn.execute(C.app_user.update().where(C.app_user.c.username == username)
                         .values(password_hash=hash_password(password)))

    def get_user(self, username: str) -> User:
        if username != self.username and not (self.can("users") or self.can("audit")):
            self.require("users", target=f"user {username}")
        return _load_user(self._store, self._need_user(username))

    def list_users(self) -> list[User]:
        if not self.can("audit"):
            self.require("users", target="the list of users")
        with self._store.engine.connect() as conn:
            rows = conn.execute(select(C.app_user).order_by(C.app_user.c.username)).all()
        return [_load_user(self._store, r) for r in rows]

    def _need_user(self, username: str):
        row = _user_row(self._store, username)
        if row is None:
            raise ProblemsError([Problem("ESG-ACCESS-008", Location(field="username"), {"user": username})])
        return row

    def access_log(self, limit: int | None = None) -> list[dict]:
        """Refused attempts, newest first (admins, managers and auditors)."""
        self.require("audit", target="the access log")
        q = select(C.access_log).order_by(C.access_log.c.id.desc())
        if limit:
            q = q.limit(limit)
        with self._store.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]


class Transaction:
    """A write transaction of a :class:`ScopedStore` (see :meth:`ScopedStore.writing`)."""

    def __init__(self, scoped: ScopedStore, conn: Connection):
        self.scoped = scoped
        self.conn = conn

    def append(self, facts: Sequence[NewFact], *, kind: str, source: str | None = None,
               note: str | None = None, return_ids: bool = True,
               latest: dict[tuple, int] | None = None) -> tuple[int, list[int]]:
        """Append facts in this transaction (each key gets its next revision).

        ``latest`` — the current revision of every existing key among ``facts``, as the caller
        read it inside this transaction (under the write lock) — spares the store looking the
        revisions up, which for one entity's submission costs more than the insert itself."""
        self.scoped.check_append(facts)
        if latest is None or any(f.inputs for f in facts):
            return self.scoped._store._append(self.conn, facts, kind=kind, source=source,
                                              author=self.scoped.username, note=note,
                                              return_ids=return_ids)
        author, created = self.scoped.username, now_iso()
        conn = self.conn
        batch_id = conn.execute(S.batch.insert().values(
            kind=kind, source=source, author=author, created_at=created, rows=len(facts), note=note)
        ).inserted_primary_key[0]
        before = max_fact_id(conn)
        latest = dict(latest)
        rows = []
        for f in facts:
            key = (f.entity, f.indicator, f.period, f.dims, f.basis)
            rev = latest.get(key, 0) + 1
            latest[key] = rev
            rows.append((f.entity, f.indicator, f.period, f.dims, f.basis, rev, f.value, f.unit,
                         f.value_entered, f.unit_entered, f.status, batch_id, f.location, f.comment))
        if rows:  # straight to the driver: one executemany of plain tuples
            mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            conn.exec_driver_sql(f"INSERT INTO fact ({', '.join(_FACT_COLUMNS)}) VALUES "
                                 f"({', '.join([mark] * len(_FACT_COLUMNS))})", rows)
        if not return_ids:
            return batch_id, []
        return batch_id, batch_fact_ids(conn, batch_id, before)


# -- helpers ------------------------------------------------------------------------------
def has_users(store: Store) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(C.app_user)).scalar_one() > 0


def _user_row(store: Store, username: str):
    with store.engine.connect() as conn:
        return conn.execute(select(C.app_user).where(C.app_user.c.username == username)).first()


def _load_user(store: Store, row) -> User:
    with store.engine.connect() as conn:
        grants = tuple(Grant(g.role, g.entity) for g in conn.execute(
            select(C.role_grant).where(C.role_grant.c.user_id == row.id).order_by(C.role_grant.c.id)))
    return User(row.id, row.username, row.display_name, bool(row.disabled), grants, row.lang,
                row.created_at)


def _check_grant(store: Store, role: str, entity: str | None) -> None:
    if role not in ROLES:
        raise ProblemsError([Problem("ESG-ACCESS-006", Location(field="role"),
                                     {"found": role, "expected": Bilingual(
                                         "、".join(f"{r}（{ROLE_NAMES_ZH[r]}）" for r in ROLES[:-1])
                                         + f"或 {ROLES[-1]}（{ROLE_NAMES_ZH[ROLES[-1]]}）",
                                         ", ".join(ROLES[:-1]) + f" or {ROLES[-1]}")})])
    if role == "submitter" and not entity:
        raise ProblemsError([Problem("ESG-ACCESS-006", Location(field="entity"),
                                     {"found": Bilingual("未指定主体的 submitter（填报人）", "submitter without an entity"),
                                      "expected": Bilingual("--entity：其负责填报的公司或工厂",
                                                            "--entity: the company or plant it submits for")})])
    if entity is not None:
        with store.engine.connect() as conn:
            if conn.execute(select(S.entity.c.code).where(S.entity.c.code == entity)).first() is None:
                raise ProblemsError([Problem("ESG-ACCESS-006", Location(field="entity"),
                                             {"found": entity, "expected": Bilingual("组织树中的主体",
                                                                                     "an entity of the tree")})])


def _log(store: Store, username: str | None, action: str, target: str | None, code: str) -> None:
    _write_log(store, [dict(at=now_iso(), username=username, action=action, target=target,
                            outcome="refused", reason=code)])


def _write_log(store: Store, entries: list[dict]) -> None:
    with store.writer.begin() as conn:
        conn.execute(C.access_log.insert(), entries)


def _first_of(names: list[str], shown: int = 10) -> str:
    """The first ``shown`` names, and how many more there are ("A, B, … (+3)")."""
    text = ", ".join(names[:shown])
    return text + (f", … (+{len(names) - shown})" if len(names) > shown else "")


__all__ = ["ACTIONS", "AccessDenied", "Grant", "PERMISSIONS", "ROLES", "ScopedStore",
           "Transaction", "User", "has_users", "hash_password", "verify_password"]
