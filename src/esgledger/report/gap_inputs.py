"""What the gap check reads besides the report: the guideline's 21 topics and their articles,
the double-materiality result (recorded in the ledger, else the definition's
``material_topics``), and the reviewers' confirmations in the workspace's
``report-review.yaml`` with the problems of entries that cannot be used.
:func:`esgledger.report.gap.check_gaps` uses them and hands on their names.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from importlib import resources

from esgledger.model.errors import Bilingual, reason
from esgledger.model.i18n import fmt
from esgledger.model.textfile import read_utf8
from esgledger.report.gap_result import T

REVIEW_FILE = "report-review.yaml"


def szse_topics() -> list[tuple[int, str, str, tuple[int, ...]]]:
    """The 21 topics of the guideline's index: (number, zh, en, articles)."""
    text = resources.files("esgledger.library").joinpath("data", "frameworks", "szse17_topics.csv") \
        .read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        m = re.search(r"\((\d+)(?:-(\d+))?\)", row["szse17_articles"])
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        out.append((int(row["index_topic_no"]), row["topic_zh"], row["topic_en"], tuple(range(a, b + 1))))
    return out


def recorded_materiality(ws, period: int):
    """The material topics of a double-materiality assessment recorded in the ledger, if the
    assessment module (``esgledger.assess.materiality``) is installed and has one: a list of
    topic codes, or a mapping topic → ``{"financial": bool, "impact": bool}``."""
    try:
        from esgledger.assess import materiality  # type: ignore[attr-defined]
    except ImportError:
        return None
    get = getattr(materiality, "material_topics", None)
    return get(ws, period) if callable(get) else None


@dataclass(frozen=True)
class Confirmation:
    """A reviewer's word that a section discloses an article (``report-review.yaml``)."""

    article: int
    section: str
    by: str
    date: str
    period: int
    entry: int = 0          # its number in the file's list, from 1 (problems name it)


def load_confirmations(ws, period: int) -> tuple[list[Confirmation], list[Bilingual]]:
    """The reviewer confirmations of the period in the workspace's ``report-review.yaml``,
    and the problems of entries that cannot be used (in both languages)::

        confirmations:
          - {article: 26, section: env.climate.carbon, period: 2024, by: 王敏（董事会办公室）, date: 2025-03-20}

    A confirmation names the article, the section that discloses it (its ``id`` in
    report.yaml), the reporting year it was given for, who gave it and when: the reviewer read
    that section of that year's report and found the article answered."""
    import datetime as dt

    import yaml

    path = ws.path / REVIEW_FILE
    if not path.exists():
        return [], []
    text, bad = read_utf8(path)
    if text is None:
        return [], [bad.found()]
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        return [], [reason(e)]
    entries = data.get("confirmations") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return [], [Bilingual("confirmations：应为 {article, section, period, by, date} 的列表",
                              "confirmations: a list of {article, section, period, by, date}")]
    out, problems = [], []
    for n, e in enumerate(entries, 1):
        keys = ("article", "section", "period", "by", "date")
        if not isinstance(e, dict) or any(e.get(k) in (None, "") for k in keys):
            problems.append(Bilingual(f"confirmations 第 {n} 条：须填写 {'、'.join(keys)}",
                                      f"confirmations #{n}: needs {', '.join(keys)}"))
            continue
        try:
            article, year = int(e["article"]), int(e["period"])
            date = e["date"] if isinstance(e["date"], dt.date) else dt.date.fromisoformat(str(e["date"]))
        except (TypeError, ValueError):
            problems.append(Bilingual(f"confirmations 第 {n} 条：article 和 period 应为数字，date 应为 YYYY-MM-DD 格式的日期",
                                      f"confirmations #{n}: article and period are numbers, date is YYYY-MM-DD"))
            continue
        if year == period:
            out.append(Confirmation(article, str(e["section"]), str(e["by"]), date.isoformat(), year, n))
    return out, problems


def unknown_sections(confirmations, section_ids) -> list[Bilingual]:
    """A confirmation naming a section id the definition does not have (a typo would otherwise
    leave the article unconfirmed without a word, audit A5-L6), with the closest ids."""
    import difflib

    out = []
    for c in confirmations:
        if c.section in section_ids:
            continue
        close = difflib.get_close_matches(c.section, section_ids, n=3, cutoff=0.6)
        out.append(Bilingual(*(fmt(T["review_section"][lang], n=c.entry, s=c.section,
                                   close=fmt(T["close_ids"][lang], ids=("、" if lang == "zh" else ", ").join(close))
                                   if close else "") for lang in ("zh", "en"))))
    return out


def _materiality(ctx):
    """(material topics or None, financially material topics or None (unknown), source)."""
    recorded = recorded_materiality(ctx.ws, ctx.period)
    if recorded is not None:
        if isinstance(recorded, dict):
            material = {c for c, v in recorded.items() if not isinstance(v, dict) or any(v.values())}
            financial = {c for c, v in recorded.items() if isinstance(v, dict) and v.get("financial")}
            known = all(isinstance(v, dict) and "financial" in v for v in recorded.values())
            return material, (financial if known else None), "materiality"
        return set(recorded), None, "materiality"
    if ctx.model.material_topics is not None:
        return set(ctx.model.material_topics), None, "definition"
    return None, None, "all"
