"""``esgledger demo``: the reference aluminium group of shared/seed, built end to end.

Creates a workspace, imports the entity tree and plant-level data for 2022–2024 (the facts
CSVs beside this file, in the documented interchange format, copied into the workspace's
``data/`` and imported from there), computes derived indicators and
consolidates to the group, runs the validation rules (the seed's own inconsistencies and its
implausible-looking changes show as warnings), writes the KPI table as XLSX, HTML (zh and en)
and Markdown, writes the starting report definition (``report.yaml``, the reference report's
chapters) and builds the 2024 report from the ledger in Chinese and English as HTML, DOCX, PDF
and XLSX.
"""
from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from esgledger.model.errors import Location, ProblemsError
from esgledger.model.i18n import fmt
from esgledger.workspace import CONFIG_NAME, WorkspaceError, init_workspace, read_config, write_config

YEARS = (2022, 2023, 2024)
REPORT_YEAR = 2024
REPORT_FORMATS = ("html", "docx", "pdf", "xlsx")
MSG = {
    "entities": {"zh": "导入组织树", "en": "importing the entity tree"},
    "facts": {"zh": "导入 {y} 年数据", "en": "importing {y} data"},
    "calc": {"zh": "计算与合并 {y}", "en": "computing and consolidating {y}"},
    "validate": {"zh": "校验 {y}", "en": "validating {y}"},
    "kpi": {"zh": "生成绩效表", "en": "writing the KPI table"},
    "report_setup": {"zh": "报告：读取台账", "en": "report: reading the ledger"},
    "report": {"zh": "报告：生成 {lang} {fmt}", "en": "report: rendering {lang} {fmt}"},
    "warnings": {"zh": "校验发现 {n} 条提示（数据来源报告中自相矛盾或与上年相比变化异常的数字，按原样保留并提示）：",
                 "en": "validation found {n:warning|warnings} (figures of the source report that contradict each other "
                       "or change implausibly from the year before, kept as published and flagged):"},
    "calc_warnings": {"zh": "计算发现 {n} 条提示（数据来源报告未提供的数据，按原样保留并提示）：",
                      "en": "calculation found {n:warning|warnings} (data the source report does not give, left as published and flagged):"},
    "done": {"zh": "演示完成。输出文件：", "en": "demo finished. Outputs:"},
}


def data_dir():
    return resources.files("esgledger.demo").joinpath("data")


DATA_DIR = "data"  # the workspace folder that keeps the files the demo imported


def copy_data(path: Path) -> Path:
    """Copy the demo's entity tree and facts files into the workspace (``data/``) and return
    that folder: the demo imports these copies, so a value's lineage (``esgledger explain``:
    ``data/facts-2024.csv:736``) names a file a reviewer can open (UAT4 F-M16)."""
    out = path / DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    for name in ("entities.yaml", *(f"facts-{y}.csv" for y in YEARS)):
        with resources.as_file(data_dir().joinpath(name)) as src:
            shutil.copyfile(src, out / name)
    return out


def _prepare(path: Path, db: str | None) -> None:
    cfg = path / CONFIG_NAME
    if cfg.exists():
        config = read_config(cfg)  # a settings file that cannot be read: ESG-WS-009, nothing removed
        if not config.get("workspace", {}).get("demo"):
            raise WorkspaceError("ESG-WS-005", Location(file=str(path)))
        if not str(config.get("store", {}).get("url", "")).startswith("sqlite") or db:
            raise WorkspaceError("ESG-WS-006", Location(file=str(path)))
        shutil.rmtree(path)


def build_demo(path: str | Path, *, db: str | None = None, lang: str = "en",
               console: Console | None = None, kpi: bool = True,
               report_formats: tuple[str, ...] = REPORT_FORMATS) -> list[Path]:
    """Build the demo workspace at ``path``; returns the output files. ``report_formats``
    are the formats of the 2024 report (both languages); empty skips the report."""
    from esgledger.report.build import build_outputs, load_workspace_definition, progress_steps
    from esgledger.report.definition import DEFINITION_NAME, write_starting_definition
    from esgledger.report.kpi import build_kpi_table
    from esgledger.report.kpi_render import write_kpi_outputs

    console = console or Console()
    path = Path(path)
    _prepare(path, db)
    ws = init_workspace(path, db=db, name="天山铝业 demo", lang=lang)
    config = ws.config
    config["workspace"]["demo"] = True
    config["report"]["root"] = "TSAL"
    write_config(path / CONFIG_NAME, config)
    t = lambda key, **kw: fmt(MSG[key][lang], **kw)  # noqa: E731
    calc_warnings, warnings = [], []
    report_problems = []
    steps = 1 + 3 * len(YEARS) + 1 + (1 + 2 * len(report_formats) if report_formats else 0)
    with ws, Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                      console=console, transient=True) as progress:
        task = progress.add_task(t("entities"), total=steps)
        data = copy_data(path)
        problems = ws.import_entities(data / "entities.yaml")
        if problems.errors:
            raise ProblemsError(problems.errors, lang)
        progress.advance(task)
        for y in YEARS:
            progress.update(task, description=t("facts", y=y))
            rep = ws.import_facts(data / f"facts-{y}.csv", status="approved", author="demo")
            if rep.problems.errors:
                raise ProblemsError(rep.problems.errors, lang)
            progress.advance(task)
        for y in YEARS:
            progress.update(task, description=t("calc", y=y))
            res = ws.calc(str(y))
            calc_warnings.extend(res.problems)
            progress.advance(task)
        for y in YEARS:
            progress.update(task, description=t("validate", y=y))
            warnings.extend(ws.validate(str(y)))
            progress.advance(task)
        outputs: list[Path] = []
        if kpi:
            progress.update(task, description=t("kpi"))
            outputs = write_kpi_outputs(build_kpi_table(ws, 2024), path / "outputs", basename="kpi-2024")
        progress.advance(task)
        if report_formats:
            write_starting_definition(path / DEFINITION_NAME, REPORT_YEAR)
            step = progress_steps(progress, task, lambda lg, fmt: t("report_setup") if lg is None
                                  else t("report", lang=lg, fmt=fmt))
            res = build_outputs(ws, load_workspace_definition(ws), path / "outputs", period=REPORT_YEAR,
                                langs=("zh", "en"), formats=report_formats, step=step)
            progress.advance(task)
            if res.problems.errors:
                raise ProblemsError(res.problems.errors, lang)
            report_problems.extend(res.problems)
            outputs += [path / DEFINITION_NAME] + res.outputs
    for key, found in (("calc_warnings", calc_warnings), ("warnings", warnings)):
        if found:
            console.print(t(key, n=len(found)))
            for w in found:
                console.print(f"  [yellow]{escape(w.render(lang))}[/yellow]", markup=True, highlight=False)
    for p in report_problems:
        console.print(f"  [yellow]{escape(p.render(lang))}[/yellow]", markup=True, highlight=False)
    console.print(t("done"))
    return outputs
