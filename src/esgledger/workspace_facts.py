"""A workspace's facts in and out: a CSV/XLSX file of facts imported (in a second process for a
large CSV), current values withdrawn, exported as csv, json or xlsx, a value's history and its
review comments. :class:`WorkspaceFacts` is part of :class:`esgledger.workspace.Workspace`;
every read and write goes through the workspace's ``access`` (the signed-in user's scope)."""
from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path
from typing import Iterable

from esgledger.collect import pipeline
from esgledger.collect.interchange import (EXPORT_COLUMNS, ImportReport, check_table, export_column,
                                           fact_rows, read_table, status_refusals)
from esgledger.model.errors import Bilingual, Location, Problem, ProblemList, ProblemsError
from esgledger.model.period import Period
from esgledger.model.types import WITHDRAWN, FactRecord
from esgledger.store.access import REVIEW_STATUSES, AccessDenied
from esgledger.store.ledger import BulkLoadRefused, KeyTaken, NewFact


class WorkspaceFacts:
    """The fact methods of a workspace; they read ``self.access``, ``self.store``,
    ``self.library``, ``self.lang`` and ``self.entity_index()`` of the workspace."""

    def import_facts(self, path: str | Path, *, dry_run: bool = False, status: str | None = None,
                     author: str | None = None) -> ImportReport:
        """Check a CSV/XLSX file of facts and, if it has no error, append it in one transaction.

        ``status`` is every new fact's status; without it, each row's ``status`` cell (a file
        from :meth:`export_facts`), else ``submitted``. Rows at an entity the user may not
        write refuse the whole file first (AccessDenied, ESG-ACCESS-004, logged). A status
        cell ``approved`` or ``rejected`` at an entity where the user may not review is an
        error at that cell (ESG-IMPORT-023), and the refusal is logged."""
        p = Path(path)
        table, problems = read_table(p)
        if table is None:
            rep = ImportReport(p.name)
            rep.problems.extend(problems)
            return rep
        if not dry_run and self._pipelined(table, status):
            try:
                return self._import_pipelined(p, table, status, author)
            except (pipeline.Fallback, KeyTaken, BulkLoadRefused):
                pass  # a problem in the file, a key already stored, no right to drop the keys: the ordinary way
        rep = check_table(table, self.library, self.entity_index(), status=status)
        if rep.facts:  # rows at entities the user may not write: refused whole, before any status
            self.access.require("write", {f[0] for f in rep.facts})  # cell is looked at
        review = self.access.scope("review")
        if status is None and review is not None and rep.facts:
            refused = status_refusals(table, rep.facts, review, self.access.username)
            if refused:
                rep.problems.extend(refused)
                try:  # logged as any refused attempt; the problems above say where
                    self.access.require("review", sorted({x.params["entity"] for x in refused}),
                                        target=f"statuses of {p.name}")
                except AccessDenied:
                    pass
        if rep.ok and rep.facts:
            self.access.check_append(rep.facts)  # refused (and logged) before anything is written
        if rep.ok and not dry_run and rep.facts:
            rep.batch_id, _ = self.store.append_facts(rep.facts, kind="import", source=str(p),
                                                      author=self._author(author),
                                                      return_ids=False)
            rep.written = True
        return rep

    def _author(self, author: str | None) -> str:
        # a signed-in user is always the author; ``author`` names who typed the data only in a
        # single-user workspace
        return self.access.username if self.access.user.id is not None else (author or self.access.username)

    def _pipelined(self, table, status: str | None) -> bool:
        """Check in a second process while this one writes (:mod:`esgledger.collect.pipeline`)?
        For a large CSV into a ledger no larger than it, by a user who may write (and,
        for approved or rejected values, review) everywhere: a user limited to some entities
        has every row checked against that before anything is written."""
        if self.access.scope("review") is None:
            statuses_ok = True
        elif status is None:  # the file's status cells, if it has them, are checked entity by entity
            statuses_ok = export_column(table, "status") is None
        else:
            statuses_ok = status not in REVIEW_STATUSES
        return (pipeline.usable(table) and self.store.bulk_load_pays(table.lines)
                and self.access.scope("write") is None and statuses_ok)

    def _import_pipelined(self, p: Path, table, status: str | None, author: str | None) -> ImportReport:
        checked = pipeline.CheckedInChild(table, self.library, self.entity_index(), status=status)
        chunks = iter(checked)
        with contextlib.closing(chunks):
            batch_id, facts = self.store.append_stream(chunks, kind="import", source=str(p),
                                                       author=self._author(author))
        rep = checked.report
        rep.facts, rep.batch_id, rep.written = facts, batch_id, True
        return rep

    def withdraw_facts(self, keys: Iterable[tuple[str, str, str, str]], *, reason: str) -> int:
        """Withdraw the current value of each (entity, indicator, period, dims) own key, in one
        transaction: a revision with the status ``withdrawn`` (keeping the value it withdraws)
        after which the key has no current value. Only entered values: the next calculation
        run withdraws what it can no longer compute from them. An approved value needs the
        review right. Returns the batch id."""
        keys = list(dict.fromkeys(keys))
        problems, facts, approved = ProblemList(), [], set()
        for entity, indicator, period, dims in keys:
            where = {"entity": entity, "indicator": indicator, "period": period, "dims": dims or "-"}
            cur = self.access.current_facts(entity=entity, indicator=indicator, period=period,
                                            basis="own", dims=dims)
            if not cur:
                problems.append(Problem("ESG-FACT-001", Location(field=indicator), where))
                continue
            f = cur[0]
            if f.status == "calculated":
                problems.append(Problem("ESG-FACT-002", Location(field=indicator), {
                    **where, "found": Bilingual("计算值", "a calculated value")}))
                continue
            if f.status == "approved":
                approved.add(entity)
            facts.append(NewFact(f.entity, f.indicator, f.period, f.dims, f.value, f.unit, "own", WITHDRAWN,
                                 f.value_entered, f.unit_entered, None, reason))
        if problems:
            raise ProblemsError(problems, self.lang)
        if approved:
            self.access.require("review", approved, target="withdraw approved values")
        batch_id, _ = self.access.append_facts(facts, kind="withdraw", source="facts withdraw",
                                               note=reason, return_ids=False)
        return batch_id

    def export_facts(self, fmt: str = "csv", *, out: Path | None = None, **filters) -> str | None:
        """Current facts as csv, json or xlsx (xlsx needs ``out``), within the user's scope."""
        facts = self.access.iter_current(**filters)
        if fmt == "csv":
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(EXPORT_COLUMNS)
            w.writerows(fact_rows(facts))
            text = buf.getvalue()
        elif fmt == "json":
            text = json.dumps([dict(zip(EXPORT_COLUMNS, r)) for r in fact_rows(facts)],
                              ensure_ascii=False, indent=1)
        elif fmt == "xlsx":
            if out is None:
                raise ValueError("xlsx export needs an output path")
            import openpyxl

            wb = openpyxl.Workbook(write_only=True)
            ws = wb.create_sheet("facts")
            ws.append(EXPORT_COLUMNS)
            for r in fact_rows(facts):
                ws.append(r)  # values stay exact text: Excel must not round them
            wb.save(out)
            return None
        else:
            raise ValueError(f"unknown format {fmt!r}: expected csv, json or xlsx")
        if out is not None:
            out.write_text(text, encoding="utf-8")
            return None
        return text

    def history(self, entity: str, indicator: str, period: str, dims: str = "",
                basis: str = "own") -> list[FactRecord]:
        return self.access.history(entity, indicator, period, dims, basis)

    def review_comments(self, entity: str, indicator: str, period: str, dims: str = "") -> list[dict]:
        """The reviewers' (and submitters') comments on one value, oldest first
        (:func:`esgledger.collect.audit.comments_on`), to whoever may read the entity."""
        from esgledger.collect.audit import comments_on

        self.access.require("read", entity)
        with self.store.engine.connect() as conn:
            return comments_on(conn, entity, indicator, str(Period.parse(period)), dims)
