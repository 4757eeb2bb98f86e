"""The command line's help in Chinese.

Typer fixes help texts when the commands are declared, in English. The root command
(:class:`LocalizedGroup`) chooses the language of the help before anything is parsed, from the
arguments it is given, with the precedence the messages have (``--lang``, then
``ESGLEDGER_LANG``, then the workspace's ``workspace.lang``, then the locale: see
``esgledger.cli.main_options``), and in Chinese replaces every command's and option's help by
its entry in :data:`ZH` (keyed by the English text), together with Typer's own headings.

A test walks every command and fails on an English help text without a Chinese one.
"""
from __future__ import annotations

import inspect
import os
from pathlib import Path

from rich.text import Text
from typer import rich_utils
from typer.core import TyperArgument, TyperGroup, TyperOption

from esgledger.cli_usage import LocalizedContext, install as install_usage
from esgledger.model.i18n import default_lang, forced_lang, workspace_lang

ZH: dict[str, str] = {
    # global
    "esgledger: the energy–carbon–ESG ledger of an industrial group.": "esgledger：工业集团的能源–碳–ESG 台账。",
    "Language of messages and help: zh or en (default: ESGLEDGER_LANG, else the workspace's workspace.lang, else the locale).":
        "提示信息和帮助的语言：zh 或 en（默认：ESGLEDGER_LANG，其次工作区的 workspace.lang，再次系统区域设置）。",
    "Workspace folder (default: the current folder).": "工作区目录（默认：当前目录）。",
    "Print the version and exit.": "显示版本号并退出。",
    # init, demo
    "Create a workspace: a config file, a database and an evidence folder.": "创建工作区：配置文件、数据库和佐证文件目录。",
    "Folder to create the workspace in.": "要创建工作区的目录。",
    "Store URL, e.g. postgresql://user@host/db (default: a SQLite file in the workspace).":
        "数据存储地址，如 postgresql://user@host/db（默认：工作区中的 SQLite 文件）。",
    "Workspace name.": "工作区名称。",
    "Build the reference aluminium group, load 2022–2024, compute, validate, write the KPI table.":
        "构建参考铝业集团，载入 2022–2024 年数据，计算、校验并输出绩效表。",
    "Folder for the demo workspace.": "演示工作区目录。",
    "Store URL (default: a SQLite file).": "数据存储地址（默认：SQLite 文件）。",
    # shared option texts
    "Indicator code.": "指标代码。",
    "Entity code.": "主体代码。",
    "Period, e.g. 2024.": "期间，如 2024。",
    "Period.": "期间。",
    "Dimension key, e.g. gender=female.": "维度键，如 gender=female。",
    "own, control or equity.": "own（本级）、control（运营控制权法）或 equity（股权比例法）。",
    "own, control or equity (default: consolidated at an entity with children in the period, else own).":
        "own、control 或 equity（默认：该期有下级的主体取合并值，否则取本级值）。",
    "As JSON.": "以 JSON 输出。",
    "As JSON (the library entry as written).": "以 JSON 输出（指标库中的原始条目）。",
    "Print problems as JSON.": "以 JSON 输出问题。",
    "Print the report as JSON.": "以 JSON 输出导入报告。",
    "Print the lineage as JSON.": "以 JSON 输出溯源（含每个因子的版本和来源）。",
    # history, explain, validate
    "Every revision of one fact, oldest first: who, when, old and new value, source and reason.":
        "一条数据的全部版本（从旧到新）：操作人、时间、原值与新值、来源及原因。",
    "Print the revisions as JSON.": "以 JSON 输出各版本。",
    "Print the lineage of a value down to the imported rows.": "显示一个数值的溯源，直至导入的原始行。",
    "Run the validation rules over the ledger.": "对台账运行校验规则。",
    "Period to check.": "要检查的期间。",
    "Only these rule codes (repeatable).": "只运行这些规则代码（可重复）。",
    "Skip these rule codes (repeatable).": "跳过这些规则代码（可重复）。",
    "Print findings as JSON.": "以 JSON 输出检查结果。",
    # indicators
    "The indicator library.": "指标库。",
    "List the indicator library.": "列出指标库。",
    "Only indicators citing this framework: szse17, gri, cass, issb_s2, sasb, sdg.":
        "只列出引用该框架的指标：szse17、gri、cass、issb_s2、sasb、sdg。",
    "Only this topic code.": "只列出该议题代码。",
    "table, json or csv.": "table、json 或 csv。",
    "Show one indicator with its definition and framework references.": "显示一个指标及其定义和框架引用。",
    # entities
    "The entity tree (group → company → site → unit).": "组织树（集团 → 公司 → 厂区 → 单元）。",
    "Import (add or replace) entities and their dated memberships.": "导入（新增或替换）主体及其带日期的隶属关系。",
    "An entity file (.yaml or .csv).": "主体文件（.yaml 或 .csv）。",
    "Check only; write nothing.": "只检查，不写入。",
    "Print the entity tree as YAML or CSV.": "以 YAML 或 CSV 输出组织树。",
    "yaml or csv.": "yaml 或 csv。",
    "Show the tree with equity shares and operational control.": "显示组织树及持股比例和运营控制权。",
    "Tree as on this date (YYYY-MM-DD; default today).": "按该日期显示组织树（YYYY-MM-DD；默认今天）。",
    # facts
    "Facts in and out (the interchange format).": "数据的导入与导出（交换格式）。",
    "Import facts, all or nothing: any error means nothing is written.": "导入数据，全部成功或全部不写入：有任何错误即不写入。",
    "A .csv or .xlsx file in the interchange format.": "交换格式的 .csv 或 .xlsx 文件。",
    "Check everything, write nothing.": "全部检查，不写入。",
    "Who typed the data, in a single-user workspace (default: the local account); a signed-in user is always the author.":
        "单用户工作区中录入数据的人（默认：本机账户）；已登录用户始终为录入人。",
    "Export the current facts.": "导出当前数据。",
    "csv, xlsx or json.": "csv、xlsx 或 json。",
    "Output file (needed for xlsx).": "输出文件（xlsx 必须指定）。",
    "Entity code (repeatable).": "主体代码（可重复）。",
    "Indicator code (repeatable).": "指标代码（可重复）。",
    "Period (repeatable).": "期间（可重复）。",
    "Status (repeatable).": "状态（可重复）。",
    "own (each entity's own values: entered, and calculated at the entity), control or equity (consolidated), or all.":
        "own（各主体自身的数值：填报值及在该主体计算的值）、control 或 equity（合并值），或 all（全部）。",
    "Status of every new fact: draft, submitted, approved or rejected (default: each row's status column, as an export "
    "writes it, else submitted; approved and rejected need the review right).":
        "每条新数据的状态：draft、submitted、approved 或 rejected（默认取每行的状态列，即导出文件所写的状态，"
        "没有则为 submitted；approved 和 rejected 需要审核权限）。",
    "Withdraw an entered value: its key has no current value after it; history keeps it.":
        "撤回填报值：撤回后该键没有当前值；历史记录保留。",
    "Why the value goes (kept in its history).": "撤回原因（写入历史记录）。",
    # calc
    "Derived indicators, consolidation and methodologies.": "派生指标、合并与核算方法。",
    "Run the methods, compute derived indicators and consolidate up the tree; writes only the values that changed.":
        "运行核算方法、计算派生指标并沿组织树向上合并；只写入数值有变化的结果。",
    "control or equity (default: the workspace's).": "control 或 equity（默认：工作区设置）。",
    "Ignore a calculation state kept in this process (a command is a new process: it always recomputes everything).":
        "忽略本进程保留的计算状态（每条命令都是新进程，总是全部重算）。",
    "inventory, ets or product: then print that accounting view's results.":
        "inventory、ets 或 product：随后显示该核算口径的结果。",
    "Progress of the targets against their baseline year and their even path (the shipped ones and the workspace's targets.yaml).":
        "目标相对基准年及均衡路径的进展（内置目标及工作区的 targets.yaml）。",
    "Entity (default: the reporting root, or each target's own).": "主体（默认：报告主体，或各目标自身的主体）。",
    "Print the assessment as JSON.": "以 JSON 输出评估结果。",
    "Each accounting view's totals (inventory, national ETS, product) from shared lines, and why each view counts a line or not.":
        "由同一组明细行逐行得出各核算口径（温室气体清单、全国碳市场、产品碳足迹）的合计，并说明各口径计入或不计入每行的原因。",
    "Print the lines, columns and totals as JSON.": "以 JSON 输出明细行、各列及合计。",
    "Print the run's counts, its problems and the view asked for as JSON.": "以 JSON 输出本次运行的计数、问题及所选核算口径的结果。",
    "control or equity: how the inventory counts each entity (default: the workspace's).":
        "control 或 equity：清单计入各主体的方式（默认：工作区设置）。",
    # errors, factors
    "The catalogue of problem codes.": "问题代码目录。",
    "List every problem code with its severity and title.": "列出全部问题代码及其级别和标题。",
    "Emission and conversion factor sets.": "排放因子与换算系数集。",
    "The factor sets in use: shipped ones and the workspace's own (``factors/``), by priority.":
        "所用的因子集：内置的及工作区自有的（``factors/``），按优先级排列。",
    "Every value of a factor key with its dimensions, validity, source and confidence.":
        "一个因子键的全部取值，及其维度、有效期、来源和置信度。",
    "Factor key, e.g. grid.ef or fuel.ncv.": "因子键，如 grid.ef 或 fuel.ncv。",
    "Only this set.": "只看该因子集。",
    # report
    "The sustainability report: definition, build and gap check.": "可持续发展报告：报告定义、生成与差距检查。",
    "Write a starting report definition (report.yaml) with the reference report's chapters.":
        "写出初始报告定义（report.yaml），含参考报告的章节。",
    "Reporting year (default: the template's, 2024); comparison years are the two before it.":
        "报告年度（默认：模板的 2024）；对比年度为其前两年。",
    "Overwrite an existing report.yaml.": "覆盖已有的 report.yaml。",
    "Build the report from the ledger in each language and format, with a progress bar.":
        "按各语言和格式从台账生成报告，并显示进度条。",
    "Reporting year (default: the definition's).": "报告年度（默认：报告定义中的年度）。",
    "Language of the report: zh, en or both.": "报告语言：zh、en 或 both（两种）。",
    "Comma-separated formats: html, docx, pdf, xlsx, md.": "逗号分隔的格式：html、docx、pdf、xlsx、md。",
    "Output folder (default: WORKSPACE/outputs).": "输出目录（默认：工作区/outputs）。",
    "Report definition file (default: WORKSPACE/report.yaml).": "报告定义文件（默认：工作区/report.yaml）。",
    "Internal draft: add the gap check to the HTML as an appendix (never for the filed report).":
        "内部草稿：在 HTML 中附上披露核查清单（对外报送的报告不附）。",
    "The gap check: each required article disclosed, cited but not verified, partly disclosed or missing, with what to do; unapproved facts, illustrative inputs, low-confidence factors.":
        "差距检查：各必须披露条款为已披露、已引用未核实、部分披露或缺失，并给出处理办法；另列未批准的数据、示意值输入和低置信度因子。",
    "Print the check as JSON.": "以 JSON 输出检查结果。",
    "Exit with 1 when a required disclosure is missing.": "缺少必须披露的内容时以退出码 1 结束。",
    # users
    "Users and roles (admin, manager, submitter, auditor).": "用户与角色（admin 管理员、manager 主管、submitter 填报人、auditor 审计）。",
    "Who acts (password from ESGLEDGER_PASSWORD or a prompt).": "操作人（密码取自 ESGLEDGER_PASSWORD 或提示输入）。",
    "Add a user with a role (argon2-hashed password). The first user needs no sign-in.":
        "添加用户并授予角色（密码以 argon2 散列保存）。添加第一个用户无需登录。",
    "Sign-in name.": "登录名。",
    "admin, manager, submitter or auditor.": "admin、manager、submitter 或 auditor。",
    "The company or plant whose subtree the user works on (required for submitters).":
        "用户负责的公司或工厂（含其下级；填报人必填）。",
    "Display name.": "显示名称。",
    "The user's language: zh or en.": "用户的语言：zh 或 en。",
    "Read the password from standard input.": "从标准输入读取密码。",
    "List users with their roles.": "列出用户及其角色。",
    "Disable a user (kept for the audit trail; cannot sign in).": "停用用户（为审计记录保留；不能登录）。",
    "Enable a disabled user again.": "重新启用已停用的用户。",
    "Give a user another role (or the same role for another entity).": "给用户授予另一角色（或在另一主体上的同一角色）。",
    "Limit the grant to this entity's subtree.": "授权仅限该主体及其下级。",
    "Take a role away from a user.": "收回用户的角色。",
    "The role to take away.": "要收回的角色。",
    "The entity of the grant.": "该授权的主体。",
    "Set a password (your own, or anyone's as an admin).": "设置密码（自己的，或管理员为任何人设置）。",
    "Read the new password from standard input.": "从标准输入读取新密码。",
    # collect
    "Data collection: campaigns, Excel templates, submissions, review, audit trail.":
        "数据收集：收集任务、Excel 模板、提交、审核、审计记录。",
    "Open a campaign: ask each entity for the indicators of its process type.": "开启收集任务：按工艺类型向各主体分配指标。",
    "Reporting year, e.g. 2025.": "报告年度，如 2025。",
    "Due date, YYYY-MM-DD.": "截止日期，YYYY-MM-DD。",
    "Only these entities (repeatable; default: every entity of the year).": "只针对这些主体（可重复；默认：该年度的全部主体）。",
    "Close the open campaign of a year (its workbooks are then refused).": "关闭某年度进行中的收集任务（之后拒收其工作簿）。",
    "Reporting year.": "报告年度。",
    "Progress of every entity: status, values filled, who is late, who waits for review.":
        "各主体的进度：状态、已填数量、逾期者、待审核者。",
    "Reporting year (default: the open campaign).": "报告年度（默认：进行中的收集任务）。",
    "Reporting year (default: the open campaign); a year without an open campaign means its latest one, closed.":
        "报告年度（默认：进行中的收集任务）；该年度没有进行中的收集任务时，指其最近一个已关闭的收集任务。",
    "Write one Excel workbook per entity, ready to send out.": "为每个主体生成一个可直接下发的 Excel 工作簿。",
    "Only these entities (repeatable).": "只针对这些主体（可重复）。",
    "Language of the workbooks: zh or en (default: --lang).": "工作簿语言：zh 或 en（默认：--lang）。",
    "Folder to write the workbooks to.": "工作簿的输出目录。",
    "Import submissions: each file is checked completely and lands whole or not at all.":
        "导入填报文件：每个文件完整检查，要么全部写入，要么全不写入。",
    "Filled workbooks (.xlsx) or CSV files in the interchange format.": "已填写的工作簿（.xlsx）或交换格式的 CSV 文件。",
    "The campaign the files must belong to (default: the one each names).": "文件所属的收集任务（默认：文件自身注明的）。",
    "The entity the files must be for.": "文件所属的主体。",
    "Also submit the entity for review (every warning needs a comment).": "同时提交该主体待审核（每条提示都需要备注说明）。",
    "Print the reports as JSON.": "以 JSON 输出导入报告。",
    "Submit an entity for review (every warning must carry a comment).": "提交主体待审核（每条提示都必须有备注说明）。",
    "Each value with last year's, the change, warnings and comments.": "每个数值及其上年值、变化、提示和备注。",
    "Approve every submitted value of an entity.": "批准主体已提交的全部数值。",
    "The version you reviewed: refuse if the entity changed since.": "你审核的版本：此后主体若有变更则拒绝。",
    "A note kept with the approval.": "随批准保存的说明。",
    "Return an entity to its submitter with comments.": "附意见将主体退回填报人。",
    "A comment on the whole entity.": "针对整个主体的意见。",
    "A comment on one value, given or still missing: INDICATOR[DIMS][@PERIOD]=TEXT, e.g. employees[gender=female]=TEXT (repeatable).":
        "针对单个数值（已填或尚未填报）的意见：INDICATOR[DIMS][@PERIOD]=TEXT，如 employees[性别=女性]=请核对（可重复）。",
    "The version you reviewed.": "你审核的版本。",
    "Hand an approved entity back to its submitter for a correction.": "将已批准的主体交回填报人更正。",
    "Why it is reopened.": "重新开启的原因。",
    "Attach an evidence file (stored in the workspace by its SHA-256).": "附加佐证文件（按 SHA-256 存入工作区）。",
    "A PDF, image, spreadsheet or document.": "PDF、图片、电子表格或文档。",
    "The value it supports (with --period).": "它所佐证的数值（与 --period 一起使用）。",
    "Period of that value.": "该数值的期间。",
    "Dimension key of that value, e.g. gender=female.": "该数值的维度键，如 gender=female。",
    "What the file shows.": "文件内容说明。",
    "The evidence files attached to an entity and its values, with their SHA-256.": "主体及其数值所附的佐证文件及其 SHA-256。",
    "Only the files of this indicator's values.": "只列出该指标数值的文件。",
    "Only the files of values of this period.": "只列出该期间数值的文件。",
    "Check each stored file against its hash (exit 1 if one does not match).": "将每个保存的文件与其散列值核对（有不一致时退出码为 1）。",
    "Export the audit trail: every revision, status change, comment and evidence file.":
        "导出审计记录：每次修订、状态变更、意见和佐证文件。",
    "Only this period (a year includes its months).": "只导出该期间（年度包含其各月）。",
    "Only this entity.": "只导出该主体。",
    "csv or json.": "csv 或 json。",
    "Output file (default: standard output).": "输出文件（默认：标准输出）。",
    "Include refused attempts from the access log.": "包括访问日志中被拒绝的操作。",
    "Refused attempts (who tried what, when, and why it was refused).": "被拒绝的操作（谁、何时、尝试了什么、被拒原因）。",
    "How many, newest first.": "显示条数，最新的在前。",
    # Typer's and Click's own
    "Show this message and exit.": "显示此帮助并退出。",
}

# Typer's headings and markers (module constants of typer.rich_utils), per language
_TYPER_TEXT = {
    "ARGUMENTS_PANEL_TITLE": {"en": "Arguments", "zh": "参数"},
    "OPTIONS_PANEL_TITLE": {"en": "Options", "zh": "选项"},
    "COMMANDS_PANEL_TITLE": {"en": "Commands", "zh": "命令"},
    "ERRORS_PANEL_TITLE": {"en": "Error", "zh": "错误"},
    "DEFAULT_STRING": {"en": "[default: {}]", "zh": "[默认：{}]"},
    "ENVVAR_STRING": {"en": "[env var: {}]", "zh": "[环境变量：{}]"},
    "REQUIRED_LONG_STRING": {"en": "[required]", "zh": "[必填]"},
    "RICH_HELP": {"en": "Try [blue]'{command_path} {help_option}'[/] for help.",
                  "zh": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。"},
    "ABORTED_TEXT": {"en": "Aborted.", "zh": "已中止。"},
    "DEPRECATED_STRING": {"en": "(deprecated) ", "zh": "（已弃用）"},
}


def _option_value(args: list[str], *names: str) -> str | None:
    """The value of the first of ``names`` among the global options (before the command)."""
    for i, a in enumerate(args):
        if not a.startswith("-"):
            return None  # the command: what follows belongs to it
        for n in names:
            if a == n and i + 1 < len(args):
                return args[i + 1]
            if a.startswith(n + "="):
                return a[len(n) + 1:]
    return None


def _global_options(args: list[str]) -> list[str]:
    """``args`` up to the command (the global options with their values)."""
    out, i = [], 0
    takes_value = ("--lang", "--workspace", "-w")
    while i < len(args) and args[i].startswith("-"):
        out.append(args[i])
        if args[i] in takes_value and i + 1 < len(args):
            out.append(args[i + 1])
            i += 1
        i += 1
    return out


def help_lang(args: list[str]) -> str:
    """The language of the help and messages for a command line: ``--lang``, then
    ``ESGLEDGER_LANG``, then the workspace's ``workspace.lang`` (``--workspace``/``-w``,
    ``ESGLEDGER_WORKSPACE`` or the current folder), then the locale."""
    head = _global_options(list(args))
    lang = _option_value(head, "--lang")
    if lang in ("zh", "en"):
        return lang
    folder = _option_value(head, "--workspace", "-w") or os.environ.get("ESGLEDGER_WORKSPACE")
    return forced_lang() or workspace_lang(Path(folder) if folder else Path.cwd()) or default_lang()


def _folding(make_text):
    """Typer's help text maker, its texts folded at the column's edge instead of cut with "…":
    Rich breaks lines at spaces only, so a Chinese sentence (no spaces) longer than the help
    column was cropped ("…来源 …") rather than wrapped."""
    if getattr(make_text, "folds", False):
        return make_text

    def make(*args, **kwargs):
        text = make_text(*args, **kwargs)
        if isinstance(text, Text):
            text.overflow = "fold"
        return text
    make.folds = True
    return make


def _plain_types(display_type_rich):
    """Typer's type column, as a reader of the help needs it (audit A2-L7): empty for a flag
    (``--dry-run <bool>`` read as if the flag took a value, ``--dry-run true``; a flag takes
    none, and Click's plain help shows none either), and the type of one value for an option
    given more than once or an argument taking several (``<str>``, not Python's
    ``<list[str]>``: the help text says it repeats, the argument's name ends in ``...``). An
    option that takes a value keeps its ``<str>``, ``<int>`` or ``<path>``; both languages."""
    if getattr(display_type_rich, "plain_types", False):
        return display_type_rich

    def display(self, ctx):
        if getattr(self, "is_flag", False) and not getattr(self, "count", False):
            return None
        shown = display_type_rich(self, ctx)
        if shown and shown.startswith("<list[") and shown.endswith("]>"):
            return "<" + shown[len("<list["):-len("]>")] + ">"
        return shown
    display.plain_types = True
    return display


def localize(command, lang: str) -> None:
    """Every help text of ``command`` and its subcommands in ``lang`` (English is as declared)."""
    rich_utils._make_rich_text = _folding(rich_utils._make_rich_text)
    TyperOption.display_type_rich = _plain_types(TyperOption.display_type_rich)
    TyperArgument.display_type_rich = _plain_types(TyperArgument.display_type_rich)
    install_usage(lang)  # Click's usage line and usage errors
    for name, texts in _TYPER_TEXT.items():
        setattr(rich_utils, name, texts[lang if lang in texts else "en"])
    if lang != "zh":
        return  # English: Click's own usage line ("Usage: ") and help texts as declared
    from typer._click.core import Context

    stack = [command]
    while stack:
        c = stack.pop()
        c.context_class = LocalizedContext  # the usage line's prefix in the language
        if c.help:
            c.help = ZH.get(inspect.cleandoc(c.help), c.help)
        c.short_help = None
        for p in c.params:
            if getattr(p, "help", None):
                p.help = ZH.get(p.help, p.help)
        opt = c.get_help_option(Context(c))
        if opt is not None:
            opt.help = ZH.get(opt.help, opt.help)
        stack.extend(getattr(c, "commands", {}).values())


class LocalizedGroup(TyperGroup):
    """The root command: its help and its subcommands' help in the language the command line
    asks for (chosen before parsing, as the messages' language is after it)."""

    def make_context(self, info_name, args, parent=None, **extra):
        localize(self, help_lang(args))
        return super().make_context(info_name, args, parent=parent, **extra)
