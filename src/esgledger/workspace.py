"""A workspace: a config file, a database (SQLite file or PostgreSQL) and an evidence folder.

This is the Python API; the command line is a thin layer over it.

>>> ws = init_workspace(tmp_path / "ws")            # doctest: +SKIP
>>> ws.import_entities("entities.yaml")              # doctest: +SKIP
>>> ws.import_facts("facts-2024.csv").ok             # doctest: +SKIP
True

:class:`Workspace` is opened here: its settings, its entities, calculation and the reported
value. Its other parts are beside it: the settings file, the store and the sign-in in
:mod:`esgledger.workspace_config`, facts in and out in :mod:`esgledger.workspace_facts`, a
value's lineage in :mod:`esgledger.workspace_lineage`; their names are handed on from here.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Callable, Iterable

from esgledger.calc.consolidate import APPROACHES, RunResult
from esgledger.calc.recalc import recalculate
from esgledger.collect import entities_io
from esgledger.library.loader import Library, load_library
from esgledger.model.errors import Location, Problem, ProblemList, name_indicators, reason
from esgledger.model.i18n import configured_lang, default_lang, forced_lang
from esgledger.model.period import Period
from esgledger.model.tree import EntityTree
from esgledger.model.types import FactRecord
from esgledger.store import Store
from esgledger.workspace_config import (CONFIG_NAME, WorkspaceError, open_store, read_config, sign_in,
                                        write_config)
from esgledger.workspace_facts import WorkspaceFacts
from esgledger.workspace_lineage import ExplainNode, WorkspaceLineage

INPUTS = ("approved", "all")


def init_workspace(path: str | Path, *, db: str | None = None, name: str | None = None,
                   lang: str | None = None) -> "Workspace":
    """Create a workspace (refuses a folder that already holds one)."""
    p = Path(path)
    if (p / CONFIG_NAME).exists():
        raise WorkspaceError("ESG-WS-002", Location(file=str(p)))
    made_dir = not p.exists()
    try:
        p.mkdir(parents=True, exist_ok=True)
        made_evidence = not (p / "evidence").exists()
        (p / "evidence").mkdir(exist_ok=True)
    except OSError as exc:  # a file in the way, no permission, a read-only place
        raise WorkspaceError("ESG-WS-007", Location(file=str(p)), found=reason(exc) if exc.filename else f"{exc.strerror or exc}: {p}") from None
    config = {
        "workspace": {"name": name or p.resolve().name, "lang": lang or default_lang()},
        "store": {"url": db or "sqlite:///ledger.db"},
        "report": {"consolidation": "control"},
    }
    write_config(p / CONFIG_NAME, config)
    try:
        return Workspace(p)
    except BaseException:
        # nothing half-made stays behind: a retry with a good --db must find no workspace here
        (p / CONFIG_NAME).unlink(missing_ok=True)
        if made_evidence:
            shutil.rmtree(p / "evidence", ignore_errors=True)
        if made_dir:
            shutil.rmtree(p, ignore_errors=True)
        raise


def open_workspace(path: str | Path, **kwargs) -> "Workspace":
    return Workspace(Path(path), **kwargs)


class Workspace(WorkspaceFacts, WorkspaceLineage):
    """A workspace opened by one user. Every public read and write goes through
    ``self.access`` (a :class:`~esgledger.store.access.ScopedStore`): a submitter reads and
    writes only its subtree, an auditor writes nothing, and each refusal is logged. A workspace
    without any user is single-user: the local account acts as its administrator. Facts in
    and out are its :class:`~esgledger.workspace_facts.WorkspaceFacts` part, a value's lineage
    its :class:`~esgledger.workspace_lineage.WorkspaceLineage` part."""

    def __init__(self, path: Path, *, lang: str | None = None, user: str | None = None,
                 password: "str | Callable[[], str] | None" = None, trusted: bool = False):
        self.path = Path(path)
        cfg = self.path / CONFIG_NAME
        if not cfg.exists():
            raise WorkspaceError("ESG-WS-001", Location(file=str(self.path)), found=str(self.path))
        self.config = read_config(cfg)
        self._check_settings(cfg)
        # the language asked for, else ESGLEDGER_LANG, else the workspace's setting, else the locale
        self.lang = lang or forced_lang() or configured_lang(self.config) or default_lang()
        url = self.config["store"]["url"]
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            rel = url[len("sqlite:///"):]
            url = "sqlite:///" + str((self.path / rel).resolve())
        self.store = open_store(url, self.config["store"]["url"])
        extra = [self.path / "library"] if (self.path / "library").is_dir() else []
        self.library: Library = self._collected_monthly(load_library(extra), cfg)
        self._tree: EntityTree | None = None
        self._factors = None
        try:
            self.access = sign_in(self.store, user, password, trusted)
        except BaseException:
            self.store.close()  # a refused sign-in leaves no connection behind
            raise

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check_settings(self, cfg: Path) -> None:
        """The settings every command reads, before anything opens: ``workspace.lang`` one of
        zh, en (else it would be ignored without a word) and ``store.url`` given (ESG-WS-003)."""
        from esgledger.model.i18n import LANGS

        lang = self.config.get("workspace", {}).get("lang") if isinstance(self.config.get("workspace"), dict) else None
        if lang is not None and lang not in LANGS:
            raise WorkspaceError("ESG-WS-003", Location(file=str(cfg), field="workspace.lang"),
                                 field="workspace.lang", found=repr(lang), expected=", ".join(LANGS))
        store = self.config.get("store")
        if not isinstance(store, dict) or not isinstance(store.get("url"), str) or not store["url"].strip():
            raise WorkspaceError("ESG-WS-003", Location(file=str(cfg), field="store.url"),
                                 field="store.url", found=repr(store.get("url") if isinstance(store, dict) else None),
                                 expected="sqlite:///ledger.db, postgresql://user@host:port/db")

    def _collected_monthly(self, lib: Library, cfg: Path) -> Library:
        """The library with the workspace's ``collect.monthly`` indicators collected by month;
        a code that is not a numeric input indicator of the library is ESG-WS-010 (with the
        closest codes), anything but a list of codes ESG-WS-003."""
        from esgledger.library.monthly import collected_monthly
        from esgledger.model.errors import near_miss

        section = self.config.get("collect", {})
        codes = section.get("monthly", []) if isinstance(section, dict) else section
        where = Location(file=str(cfg), field="collect.monthly")
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise WorkspaceError("ESG-WS-003", where, field="collect.monthly", found=repr(codes),
                                 expected='["electricity_consumption", …]')
        if not codes:
            return lib
        inputs = {c: c for c, ind in lib.indicators.items() if ind.kind == "input" and ind.value_type == "number"}
        for c in codes:
            if c not in inputs:
                raise WorkspaceError("ESG-WS-010", where, field="collect.monthly", found=c,
                                     near=near_miss(c, inputs))
        return collected_monthly(lib, codes)

    def _report_setting(self, key: str, default, allowed) -> str:
        """``report.<key>`` of the config (``default`` when absent), one of ``allowed``, else
        ESG-WS-003 naming the file, the setting and the choices."""
        value = self.config.get("report", {}).get(key, default)
        if value not in allowed:
            raise WorkspaceError("ESG-WS-003", Location(file=str(self.path / CONFIG_NAME), field=f"report.{key}"),
                                 field=f"report.{key}", found=repr(value), expected=", ".join(allowed))
        return value

    @property
    def inputs(self) -> str:
        """What feeds calculations and reports: ``approved`` facts only, or ``all`` (each
        fact's latest revision). Default: ``approved`` once the workspace has users (a review
        workflow), ``all`` in a single-user workspace (whose one user is its approver)."""
        if self.config.get("report", {}).get("inputs") is None:
            from esgledger.store.access import has_users

            return "approved" if has_users(self.store) else "all"
        return self._report_setting("inputs", None, INPUTS)

    @property
    def calc_store(self):
        """The store as calculations read it: with ``inputs = approved`` they see each fact's
        latest approved revision only (see :meth:`Store.iter_current`)."""
        return _ApprovedOnly(self.store) if self.inputs == "approved" else self.store

    @property
    def approach(self) -> str:
        """``report.consolidation``: control (default) or equity."""
        from esgledger.calc.consolidate import APPROACHES

        return self._report_setting("consolidation", "control", APPROACHES)

    # -- entities ------------------------------------------------------------------------
    @property
    def tree(self) -> EntityTree:
        if self._tree is None:
            self._tree = self.store.load_tree()
        return self._tree

    def root(self) -> str:
        root = self.config.get("report", {}).get("root")
        if root:
            if root not in self.tree.entities:  # a typo would report every figure as a dash
                import difflib

                codes = sorted(self.tree.entities)
                near = difflib.get_close_matches(str(root), codes, n=3) or sorted(self.tree.roots()) or codes[:3]
                raise WorkspaceError("ESG-WS-003", Location(file=str(self.path / CONFIG_NAME), field="report.root"),
                                     field="report.root", found=repr(root), expected=", ".join(near))
            return root
        roots = sorted(c for c in self.tree.roots())
        if not roots:
            raise WorkspaceError("ESG-WS-004", Location(field="entities"))
        return roots[0]

    def import_entities(self, path: str | Path, *, dry_run: bool = False) -> ProblemList:
        """Read an entity file; merged with the stored tree it must still be a valid tree."""
        # the file may add to the stored tree: its parents may be stored entities, and the
        # tree checks run on the file merged with what is stored
        incoming, problems = entities_io.read_entities(path, known=self.store.load_entities())
        if incoming is None or dry_run:
            return problems
        self.access.save_tree(list(incoming.entities.values()),
                              [m for ms in incoming.memberships.values() for m in ms])
        self._tree = None
        return problems

    def export_entities(self, fmt: str = "yaml") -> str:
        if fmt == "yaml":
            return entities_io.write_entities_yaml(self.tree)
        if fmt == "csv":
            return entities_io.write_entities_csv(self.tree)
        raise ValueError(f"unknown entity format {fmt!r}: expected yaml or csv")

    def entity_index(self) -> dict[str, str]:
        idx: dict[str, str] = {}
        for code, e in self.tree.entities.items():
            for key in (e.name_en, e.name_zh):
                idx.setdefault(key, code)
            idx[code] = code
        return idx

    # -- calculation ---------------------------------------------------------------------
    def calc(self, period: str, approach: str | None = None, *, full: bool = False,
             author: str | None = None) -> RunResult:
        """Run the GHG and energy methods, compute derived indicators and consolidate
        (:func:`esgledger.calc.recalc.recalculate`). Incremental by default: after an earlier
        run of the period in this process, only what the facts appended since reach is
        recomputed; the first run in a process, a changed library, tree, factor sets or GWP set
        (or ``full``) recomputes everything in memory. Either way only values that changed are
        written, and the ledger ends up as a full recalculation would leave it."""
        approach = approach or self.approach
        if approach not in APPROACHES:
            raise ValueError(f"consolidation approach must be one of {APPROACHES}")
        # a run writes calculated facts for the whole group: group-wide write rights only
        self.access.require("write", target=f"calc run {period}")
        period = str(Period.parse(period))
        inputs = self.inputs  # one look at the settings (and the users table) per run
        store = _ApprovedOnly(self.store) if inputs == "approved" else self.store
        gwp_set = self.gwp_set  # checked once per run
        note = json.dumps({"library": self.library.fingerprint, "tree": tree_fingerprint(self.tree),
                           "factors": self.factors_fingerprint, "gwp": gwp_set,
                           "inputs": inputs})
        # who ran it is recorded on every calculated revision (history's "who"): the signed-in
        # user, or the local account in a single-user workspace
        res = recalculate(store, self.library, self.tree, self.factors, period, approach,
                          gwp_set=gwp_set, full=full, author=author or self.access.username, note=note)
        name_indicators(res.problems, self.library)  # warnings name the indicator as well as its code
        return res

    def stored_approaches(self, period: str) -> list[str]:
        """The consolidation approaches (control, equity) of which the ledger holds values for
        ``period``, in APPROACHES order: what a ``calc run`` without ``--approach`` brings up
        to date besides the workspace's own, so that an equity basis run once does not keep
        counting a plant that has since left the tree (audit A2-M1). Consolidated values are
        written only by calculation runs, so any revision of that basis counts."""
        from sqlalchemy import select

        from esgledger.store import schema as S

        period = str(Period.parse(period))
        f = S.fact.c
        with self.store.engine.connect() as conn:
            return [a for a in APPROACHES
                    if conn.execute(select(f.id).where(f.period == period, f.basis == a).limit(1)).first()]

    @property
    def gwp_set(self) -> str:
        """``report.gwp_set``: one of the GWP sets the factor library holds (default AR5). An
        unknown name is refused here, before a run: each method would otherwise fail on its
        own and leave its last value in the ledger."""
        known = sorted({v.dim.get("gwp_set") for v in self.factors.values("gwp")} - {None})
        return self._report_setting("gwp_set", "AR5", known)

    @property
    def factors(self):
        """The factor library: shipped sets plus the workspace's own ``factors/`` folder."""
        if self._factors is None:
            from esgledger.library.factors import load_factor_sets

            extra = [self.path / "factors"] if (self.path / "factors").is_dir() else []
            factors = load_factor_sets(extra)
            self._check_factor_entities(factors)
            self._factors = factors
        return self._factors

    def _check_factor_entities(self, factors) -> None:
        """A factor value for some entities only must name entities of the tree (ESG-FACTOR-012,
        at its file and line): a misspelt code would leave the value applying nowhere."""
        from esgledger.library.factors import FactorError

        codes = set(self.tree.entities)
        problems = [Problem("ESG-FACTOR-012", Location(file=v.file, line=v.line, field=v.key), {
                        "field": v.label, "found": e, "expected": ", ".join(sorted(codes))})
                    for s in factors.list_sets() for v in s.values for e in v.entities if e not in codes]
        if problems:
            raise FactorError(problems)

    @property
    def factors_fingerprint(self) -> str:
        import hashlib

        h = hashlib.sha256()
        for fs in self.factors.list_sets():
            h.update(f"{fs.name}@{fs.version}".encode())
        return h.hexdigest()

    def value(self, entity: str, indicator: str, period: str, dims: str = "",
              basis: str | None = None) -> FactRecord | None:
        """The reported value: consolidated at an entity with children, else its own."""
        basis = basis or self._basis_for(entity, period)
        facts = self.access.current_facts(entity=entity, indicator=indicator, period=period,
                                          basis=basis, dims=dims)
        return facts[0] if facts else None

    def _basis_for(self, entity: str, period: str | None = None) -> str:
        """The basis of an entity's reported value: the workspace's approach where it has
        children, else its own. With ``period``: children that count in that period under the
        approach, as a calculation run consolidates them (:func:`membership_weights`), so a
        former parent whose plant left before the period is read on its own values (A2-L6)."""
        if period is None:
            has_children = any(m.parent == entity for ms in self.tree.memberships.values() for m in ms)
            return self.approach if has_children else "own"
        from esgledger.calc.consolidate import membership_weights, period_bounds

        start, end = period_bounds(Period.parse(period))
        pick = 0 if self.approach == "control" else 1
        tree = self.tree
        has_children = any(membership_weights(tree, child, entity, start, end)[pick]
                           for child, ms in tree.memberships.items() if any(m.parent == entity for m in ms))
        return self.approach if has_children else "own"

    # -- validation ----------------------------------------------------------------------
    def validate(self, period: str) -> ProblemList:
        from esgledger.calc.validate import run_rules

        return run_rules(self, period)


class _ApprovedOnly:
    """A store whose ``iter_current`` returns approved (and calculated) revisions only; every
    other attribute is the store's own."""

    def __init__(self, store: Store):
        self._store = store

    def iter_current(self, **filters):
        return self._store.iter_current(approved_only=True, **filters)

    def current_facts(self, *, basis="own", **filters):  # the store's default basis too
        return list(self.iter_current(basis=basis, **filters))

    def __getattr__(self, name):
        return getattr(self._store, name)


def tree_fingerprint(tree: EntityTree) -> str:
    import hashlib

    h = hashlib.sha256()
    for code in sorted(tree.entities):
        h.update(repr((tree.entities[code], tree.memberships.get(code))).encode())
    return h.hexdigest()


def problems_to_text(problems: Iterable[Problem], lang: str) -> str:
    return "\n".join(p.render(lang) for p in problems)


__all__ = ["Workspace", "WorkspaceError", "init_workspace", "open_workspace", "ExplainNode",
           "Location"]
