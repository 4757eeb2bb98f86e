"""Shared fixtures: a store URL for each backend (SQLite file, PostgreSQL schema), workspaces.

PostgreSQL tests need the server at 127.0.0.1:5432 (database ``test``). Where none answers
they skip with a message, except under CI (``CI=true``), where a missing server fails the run.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

PG_BASE = os.environ.get("ESGLEDGER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
DEMO_ENTITIES = Path(__file__).parents[1] / "src" / "esgledger" / "demo" / "data" / "entities.yaml"
DATA = Path(__file__).parent / "data"


def _pg_available() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_BASE.replace("postgresql://", "postgresql://", 1), connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "no server"
        return f"{type(exc).__name__}: {exc}"


_PG_ERROR = _pg_available()


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL schema for one test, dropped afterwards."""
    if _PG_ERROR is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI but does not answer at {PG_BASE}: {_PG_ERROR}")
        pytest.skip(f"no PostgreSQL server at {PG_BASE} ({_PG_ERROR})")
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def workspace(tmp_path, store_url):
    """A workspace on each backend with the demo group's entity tree."""
    from esgledger.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws", db=store_url, lang="en")
    problems = ws.import_entities(DEMO_ENTITIES)
    assert not problems.errors, problems.flat()
    yield ws
    ws.close()


@pytest.fixture
def sqlite_workspace(tmp_path):
    from esgledger.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws", lang="en")
    problems = ws.import_entities(DEMO_ENTITIES)
    assert not problems.errors, problems.flat()
    yield ws
    ws.close()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def ghg_workspace(root: Path, tree: Path | str, *facts: Path | str, files: dict[str, str] | None = None):
    """A workspace at ``root`` with an entity tree and facts imported without a problem (each a
    file, or its text), after the workspace's own ``files`` ({relative path: text}, e.g.
    ``library/dimensions.yaml``); the GHG tests' builder. The caller closes it."""
    from esgledger.workspace import init_workspace, open_workspace

    init_workspace(root, lang="en").close()
    for rel, text in (files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        write(root / rel, text)
    w = open_workspace(root)

    def as_file(x, name):
        return x if isinstance(x, Path) else write(root.parent / name, x)

    assert not w.import_entities(as_file(tree, "tree.yaml")).errors
    for i, f in enumerate(facts):
        rep = w.import_facts(as_file(f, f"facts{i}.csv"))
        assert rep.problems.flat() == [], rep.problems.flat()
    return w


def v(ws, entity, indicator, dims="", basis="own", period="2024"):
    """A ledger value as a Decimal (None where the ledger has none): the GHG tests' reader."""
    from decimal import Decimal

    f = ws.value(entity, indicator, period, dims, basis=basis)
    return None if f is None else Decimal(f.value)


def close(a, b, places=4) -> bool:
    """``a`` (None: no value) equals the hand-worked ``b`` at ``places`` decimals."""
    from decimal import Decimal

    return a is not None and round(a, places) == round(Decimal(b), places)


@pytest.fixture
def wsdir(tmp_path):
    """A workspace made from the command line (English), with the demo's entity tree."""
    from typer.testing import CliRunner

    from esgledger.cli import STATE, app

    runner = CliRunner()
    STATE.lang = "en"
    d = tmp_path / "ws"
    r = runner.invoke(app, ["--lang", "en", "init", str(d)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["-w", str(d), "entities", "import", str(DEMO_ENTITIES)])
    assert r.exit_code == 0, r.output
    return d
