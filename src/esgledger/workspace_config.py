"""A workspace's settings file and what opening one sets up: ``esgledger.toml`` read and
written, the store it names opened, the user signed in; :class:`WorkspaceError` for each way
that fails (``ESG-WS-0xx``). :mod:`esgledger.workspace` opens a workspace with these."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

from esgledger.model.errors import Bilingual, EsgledgerError, Location, Problem, reason
from esgledger.model.i18n import WORKSPACE_CONFIG
from esgledger.store import Store

CONFIG_NAME = WORKSPACE_CONFIG


class WorkspaceError(EsgledgerError, FileNotFoundError):
    """No workspace at the path, it cannot be created there, or a setting is invalid. Carries
    its problem (``ESG-WS-0xx``), rendered in the user's language by the CLI."""

    def __init__(self, code: str, location: Location | None = None, **params):
        self.problem = Problem(code, location or Location(), params)
        super().__init__(self.problem.render("en"))


def read_config(cfg: Path) -> dict:
    """The settings of ``esgledger.toml``; ESG-WS-009 naming the file, the line and what was
    expected when it is not UTF-8 (a GBK file from Notepad) or not TOML (an unclosed quote)."""
    import re

    from esgledger.model.textfile import expected_utf8, read_utf8

    text, bad = read_utf8(cfg)
    if bad is not None:
        raise WorkspaceError("ESG-WS-009", Location(file=str(cfg), line=bad.line),
                             expected=expected_utf8("TOML"), found=bad.found())
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        lines = text.splitlines()
        if m:
            line, col = int(m.group(1)), int(m.group(2))
            said = lines[line - 1].strip() if line <= len(lines) else ""
            found = Bilingual(f"第 {col} 列处无法解析：{said!r}", f"cannot be parsed at column {col}: {said!r}")
        else:  # "(at end of document)"
            line = len(lines) or None
            found = Bilingual("文件在结尾处不完整", "the file ends before the setting is complete")
        raise WorkspaceError("ESG-WS-009", Location(file=str(cfg), line=line),
                             expected=Bilingual("TOML 设置（如 name = \"天山铝业\"，字符串两端需有引号）",
                                                "TOML settings (such as name = \"Tianshan\", a string quoted at both ends)"),
                             found=found) from None


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(str(v), ensure_ascii=False)


def write_config(path: Path, config: dict) -> None:
    lines = ["# esgledger workspace configuration"]
    for section, values in config.items():
        lines.append(f"\n[{section}]")
        for k, v in values.items():
            if v is not None:
                lines.append(f"{k} = {_toml_value(v)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def open_store(url: str, shown: str) -> Store:
    """The workspace's store, or ESG-WS-008 naming the URL as configured (``shown``, without a
    password) and what the driver said."""
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    try:
        return Store(url)
    except (DBAPIError, ArgumentError, NoSuchModuleError, ModuleNotFoundError) as exc:
        raise WorkspaceError("ESG-WS-008", Location(field="store.url"), field=_without_password(shown),
                             found=reason(exc)) from None


def _without_password(url: str) -> str:
    import re

    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


def sign_in(store: Store, user: str | None, password, trusted: bool):
    """The scoped store of the user who opens the workspace. ``password`` may be a callable,
    asked only when a password is needed (a prompt)."""
    from esgledger.store.access import ANONYMOUS, ScopedStore, User, has_users, local_name

    if user is None:
        if has_users(store):
            # nobody signed in to a workspace with users: no grants, so every read and write is
            # refused (and logged) where it is attempted
            return ScopedStore(store, User(None, ANONYMOUS, grants=()))
        return ScopedStore.system(store, local_name())
    if trusted:
        return ScopedStore.as_user(store, user)
    if callable(password):
        password = password()
    return ScopedStore.login(store, user, password or "")
