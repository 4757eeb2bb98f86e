"""A large CSV import checked in a second process while this one writes (issue 2).

Checking a million rows (~3 s) and storing them (~2 s into a key-less table, then ~1 s to
build the key) are each about as long as the whole import may take; one after the other they
are not (bench/RESULTS.md). So, on a POSIX system, for a CSV import large next to its ledger:

* a forked child runs :func:`~esgledger.collect.rows.check_table` on the file already
  read into memory and sends the accepted facts, 50,000 at a time, through a pipe (``marshal``
  of plain tuples, the cheapest encoding Python has for them);
* this process appends each chunk as it comes (:meth:`esgledger.store.Store.append_stream`).

It is a fast path for clean files only. Whenever the child reports any problem, or stops
without finishing, :class:`Fallback` is raised inside the append, the transaction is rolled
back, and the caller checks the file again in the ordinary way, which reports every problem
with its line. The child leaves repeated keys to the store's fact key (a repeat makes building
the key fail, and the ordinary check then reports it), so it does the work once per row.

Nothing of the child outlives the call: it exits through ``os._exit`` (no clean-up handlers,
no database connection of the parent touched) and is reaped (or killed, if the append stopped
early) before the iteration ends.
"""
from __future__ import annotations

import marshal
import os
import signal
import struct

from esgledger.collect.rows import ImportReport, check_table
from esgledger.collect.tables import _Table
from esgledger.library.loader import Library
from esgledger.model.errors import Location, Problem
from esgledger.store.ledger import gc_paused

CHUNK = 50_000
_HEAD = struct.Struct("<cQ")  # frame: kind (b"C" chunk of facts, b"E" end), payload length
_PIPE_BUFFER = 1 << 20


class Fallback(Exception):
    """The checking process found a problem or stopped: check the file the ordinary way."""


def usable(table: _Table) -> bool:
    """A CSV table (its text is in memory, so the child reads its own copy) on a system with
    ``fork``."""
    return hasattr(os, "fork") and table.sheet is None and table.lines is not None


class CheckedInChild:
    """Iterate to get the checked facts of ``table`` in chunks, checked by a child process; then
    :attr:`report` is the check's report (its ``facts`` left empty: they are what was
    iterated). Raises :class:`Fallback` during the iteration if the file has a problem."""

    def __init__(self, table: _Table, library: Library, entity_index: dict[str, str], *,
                 status: str | None, chunk: int | None = None):
        self.table, self.library, self.entity_index = table, library, entity_index
        self.status, self.chunk = status, chunk or CHUNK
        self.report: ImportReport | None = None

    def __iter__(self):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child (its coverage is not collected)
            os.close(r)
            os._exit(self._child(w))
        os.close(w)
        done = False
        try:
            with os.fdopen(r, "rb", buffering=_PIPE_BUFFER) as inp:
                while True:
                    head = inp.read(_HEAD.size)
                    if len(head) < _HEAD.size:
                        raise Fallback("the checking process stopped before the end of the file")
                    kind, size = _HEAD.unpack(head)
                    payload = inp.read(size)
                    if len(payload) < size:
                        raise Fallback("the checking process stopped in the middle of a chunk")
                    if kind == b"C":
                        yield marshal.loads(payload)
                        continue
                    rows, errors, skipped, warnings = marshal.loads(payload)
                    if errors:
                        raise Fallback(f"{errors} errors in the file")
                    self.report = ImportReport(self.table.name)
                    self.report.rows, self.report.skipped = rows, skipped
                    # the notices of a file that lands (calculated rows skipped, statuses replaced)
                    self.report.problems.extend(Problem(code, Location(**where), params)
                                                for code, where, params in warnings)
                    done = True
                    return
        finally:
            if not done:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:  # pragma: no cover - it had just finished
                    pass
            _, code = os.waitpid(pid, 0)
            if done and code != 0:  # pragma: no cover - it sent its end and then failed
                raise Fallback(f"the checking process ended with status {code}")

    def _child(self, w: int) -> int:  # pragma: no cover - runs in the child
        try:
            with os.fdopen(w, "wb", buffering=_PIPE_BUFFER) as out:
                def send(kind: bytes, payload: bytes) -> None:
                    out.write(_HEAD.pack(kind, len(payload)))
                    out.write(payload)

                def sink(facts: list) -> None:
                    send(b"C", marshal.dumps(list(map(tuple, facts))))

                with gc_paused():
                    rep = check_table(self.table, self.library, self.entity_index, status=self.status,
                                      sink=sink, chunk=self.chunk, repeats=False)
                warnings = [(p.code, p.location.as_dict(), p.params) for p in rep.problems.warnings]
                send(b"E", marshal.dumps((rep.rows, len(rep.problems.errors), rep.skipped, warnings)))
            return 0
        except BaseException:  # the parent sees the pipe end without an end frame
            return 1
