"""``esgledger users …``: users and roles; and who acts, for ``users`` and ``collect``
(:mod:`esgledger.cli_collect`) alike. Registers ``users`` onto :data:`esgledger.cli.app`.

Who acts: ``--user`` (or ``ESGLEDGER_USER``) with the password from ``ESGLEDGER_PASSWORD`` or
a prompt. A workspace without users is single-user: the local account acts as its
administrator until the first user is added. A refusal ends the command with its message and
exit code 1 (:func:`_guard`).
"""
from __future__ import annotations

import functools
import json
import os
import sys
from typing import Optional

import typer
from rich.markup import escape

from esgledger import cli as cli_main
from esgledger.cli import STATE, _message, _ws, app, console, err_console
from esgledger.cli_table import Table
from esgledger.model.errors import EsgledgerError, ProblemList, ProblemsError
from esgledger.model.i18n import fmt

users_app = typer.Typer(help="Users and roles (admin, manager, submitter, auditor).", no_args_is_help=True)
app.add_typer(users_app, name="users")

T = {
    "user_added": {"zh": "已添加用户 {u}（{r}）", "en": "added user {u} ({r})"},
    "user_changed": {"zh": "用户 {u}：{r}", "en": "user {u}: {r}"},
    "disabled": {"zh": "已停用", "en": "disabled"},
    "enabled": {"zh": "已启用", "en": "enabled"},
    "password_set": {"zh": "已设置密码", "en": "password set"},
    "yes": {"zh": "是", "en": "yes"},
    "password": {"zh": "密码：", "en": "password: "},
    "password_again": {"zh": "再次输入密码：", "en": "password again: "},
    "password_mismatch": {"zh": "两次输入的密码不一致，未作任何更改", "en": "the two passwords differ; nothing was changed"},
    "no_tty": {"zh": "没有终端，无法提示输入密码：请加 --password-stdin，从标准输入提供密码"
                     "（如 printf '%s\\n' \"$PW\" | esgledger {c} --password-stdin）",
               "en": "no terminal to ask for the password: add --password-stdin and give it on standard input "
                     "(printf '%s\\n' \"$PW\" | esgledger {c} --password-stdin)"},
}
# the column headers of the users' table (the JSON output keeps its English keys)
HEADERS = {
    "users": {"zh": ("用户", "名称", "角色", "已停用", "创建时间"),
              "en": ("user", "name", "roles", "disabled", "created")},
}


def tr(key: str, **kw) -> str:
    return fmt(T[key]["zh" if STATE.lang == "zh" else "en"], **kw)


def headers(table: str) -> tuple[str, ...]:
    return HEADERS[table]["zh" if STATE.lang == "zh" else "en"]


def _print(problems: ProblemList, lang: str | None = None) -> None:
    for p in problems:
        style = "red" if p.severity.value == "error" else "yellow"
        err_console.print(f"[{style}]{escape(p.render(lang or STATE.lang))}[/{style}]", markup=True)


def _guard(fn):
    """Refusals and refused input end the command with their message and exit code 1."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ProblemsError as exc:
            _print(exc.problems)
            raise typer.Exit(1)
        except EsgledgerError as exc:
            err_console.print(escape(f"esgledger: {_message(exc)}"))
            raise typer.Exit(1)
    return wrapper


def _user_option(user: Optional[str]) -> None:
    STATE.user = user


def _desk(ws):
    """The collection desk of the user the workspace was opened as (see :func:`esgledger.cli._ws`)."""
    from esgledger.collect.campaign import open_desk

    if STATE.user is None and not os.environ.get("ESGLEDGER_USER"):
        return open_desk(ws)  # single-user workspace, or ESG-ACCESS-001: sign in
    return open_desk(ws, scoped=ws.access)


@users_app.callback()
def users_options(user: Optional[str] = typer.Option(None, "--user", envvar="ESGLEDGER_USER",
                                                     help="Who acts (password from ESGLEDGER_PASSWORD or a prompt).")) -> None:
    """Users and roles."""
    _user_option(user)


def _password(stdin: bool, command: str) -> str:
    """The new password: from standard input with ``--password-stdin``, else asked twice (hidden)
    on a terminal; without a terminal, the command ends saying to use ``--password-stdin``."""
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    if not cli_main.stdin_is_terminal():
        err_console.print(tr("no_tty", c=command), markup=False)
        raise typer.Exit(1)
    pw = typer.prompt(tr("password"), hide_input=True, err=True, prompt_suffix="")
    if typer.prompt(tr("password_again"), hide_input=True, err=True, prompt_suffix="") != pw:
        err_console.print(tr("password_mismatch"), markup=False)
        raise typer.Exit(1)
    return pw


# -- users ---------------------------------------------------------------------------------
@users_app.command("add")
@_guard
def users_add(username: str = typer.Argument(..., help="Sign-in name."),
              role: str = typer.Option(..., "--role", help="admin, manager, submitter or auditor."),
              entity: Optional[str] = typer.Option(None, "--entity", help="The company or plant whose subtree the user works on (required for submitters)."),
              name: Optional[str] = typer.Option(None, "--name", help="Display name."),
              user_lang: Optional[str] = typer.Option(None, "--user-lang", help="The user's language: zh or en."),
              password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input.")) -> None:
    """Add a user with a role (argon2-hashed password). The first user needs no sign-in."""
    from esgledger.store.access import _check_grant

    with _ws() as ws:
        desk = _desk(ws)
        _check_grant(ws.store, role, entity)  # a role or entity it refuses, before asking for a password
        u = desk.store.add_user(username, _password(password_stdin, f"users add {username} --role {role}"), role, entity=entity,
                                display_name=name, lang=user_lang)
        console.print(tr("user_added", u=u.username, r=u.roles_named.in_lang(STATE.lang)))


@users_app.command("list")
@_guard
def users_list(as_json: bool = typer.Option(False, "--json", help="As JSON.")) -> None:
    """List users with their roles."""
    with _ws() as ws:
        users = _desk(ws).store.list_users()
        if as_json:
            console.print_json(json.dumps([{"username": u.username, "name": u.display_name, "roles": u.roles,
                                            "disabled": u.disabled, "created_at": u.created_at} for u in users],
                                          ensure_ascii=False))
            return
        t = Table(*headers("users"))
        for u in users:
            t.add_row(u.username, u.display_name or "", u.roles_named.in_lang(STATE.lang), tr("yes") if u.disabled else "", u.created_at or "")
        console.print(t)


@users_app.command("disable")
@_guard
def users_disable(username: str = typer.Argument(..., help="Sign-in name.")) -> None:
    """Disable a user (kept for the audit trail; cannot sign in)."""
    with _ws() as ws:
        u = _desk(ws).store.set_disabled(username, True)
        console.print(tr("user_changed", u=u.username, r=tr("disabled")))


@users_app.command("enable")
@_guard
def users_enable(username: str = typer.Argument(..., help="Sign-in name.")) -> None:
    """Enable a disabled user again."""
    with _ws() as ws:
        u = _desk(ws).store.set_disabled(username, False)
        console.print(tr("user_changed", u=u.username, r=tr("enabled")))


@users_app.command("grant")
@_guard
def users_grant(username: str = typer.Argument(..., help="Sign-in name."),
                role: str = typer.Option(..., "--role", help="admin, manager, submitter or auditor."),
                entity: Optional[str] = typer.Option(None, "--entity", help="Limit the grant to this entity's subtree.")) -> None:
    """Give a user another role (or the same role for another entity)."""
    with _ws() as ws:
        u = _desk(ws).store.grant(username, role, entity)
        console.print(tr("user_changed", u=u.username, r=u.roles_named.in_lang(STATE.lang)))


@users_app.command("revoke")
@_guard
def users_revoke(username: str = typer.Argument(..., help="Sign-in name."),
                 role: str = typer.Option(..., "--role", help="The role to take away."),
                 entity: Optional[str] = typer.Option(None, "--entity", help="The entity of the grant.")) -> None:
    """Take a role away from a user."""
    with _ws() as ws:
        u = _desk(ws).store.revoke(username, role, entity)
        console.print(tr("user_changed", u=u.username, r=u.roles_named.in_lang(STATE.lang)))


@users_app.command("passwd")
@_guard
def users_passwd(username: str = typer.Argument(..., help="Sign-in name."),
                 password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the new password from standard input.")) -> None:
    """Set a password (your own, or anyone's as an admin)."""
    with _ws() as ws:
        _desk(ws).store.set_password(username, _password(password_stdin, f"users passwd {username}"))
        console.print(tr("user_changed", u=username, r=tr("password_set")))


__all__ = ["users_app"]
