"""The report definition (``report.yaml`` in the workspace): what the report says, in what frame.

A definition names the reporting period and the comparison years, the consolidation approach,
the exchange guideline (SZSE No.17, SSE No.14 or BSE No.11) and the other frameworks, the
languages, the material topics, and the chapters and sections with their narrative text
(Markdown, written by the user) and what each section discloses (indicators, topics, framework
references, charts, generated tables). ``esgledger report init`` writes a starting definition
with the reference report's chapter structure (``report/data/report_template.yaml``).

Loading is one function from a file to ``(definition, problems)``; every problem names the file
and line (``report.yaml:42``) and, for a section, its id. Narrative text pulls facts from the
ledger through placeholders, parsed here and filled in by :mod:`esgledger.report.build`::

    {{ fact co2_aluminium_production P }}          1,270.26万吨 (the value at the indicator's
                                                   precision, with its unit)
    {{ fact employees 2024 gender=female }}        a breakdown: dimension=member
    {{ fact aluminium_output P entity=TNL unit=no precision=1 }}
    {{ change co2_per_tonne_aluminium P-1 P }}     -0.4% (change between two years)
    {{ period }}  {{ company }}                    the reporting year; the organisation's name

A year is ``2024``, ``P`` (the reporting year) or ``P-1``, ``P-2`` …, so a definition carries
over to the next year unchanged.

The records (schema) are :mod:`esgledger.report.definition_schema`, the checks
:mod:`esgledger.report.definition_checks`; this module reads the file and writes the starting
definition, and hands on their names.

>>> parse_placeholder(" fact employees P-1 gender=female unit=no ")
Placeholder(kind='fact', indicator='employees', years=('P-1',), entity=None, dims=(('gender', 'female'),), unit=False, precision=None)
>>> resolve_year("P-1", 2024)
2023
"""
from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from esgledger.model.textfile import expected_utf8, read_utf8
from esgledger.model.errors import (Bilingual, EsgledgerError, Location, Problem, ProblemList, found_text,
                                    pydantic_problems, reason)
from esgledger.report.definition_checks import (_check, _line_of, _loc_text, cass_known, check_entities,
                                                sample_problem)
from esgledger.report.definition_schema import (CHART_KINDS, FRAMEWORKS, GENERATED, GUIDELINES, ChartDef,
                                                Definition, Refs, ReportDefinition, SectionDef, SeriesDef, Text,
                                                TextSpan, iter_texts)
from esgledger.report.placeholders import (PLACEHOLDER, SYNTAX, Placeholder, PlaceholderError, parse_placeholder,
                                           placeholders, resolve_year, stray_braces)

__all__ = ["CHART_KINDS", "DEFINITION_NAME", "FRAMEWORKS", "GENERATED", "GUIDELINES", "TEMPLATE", "ChartDef",
           "Definition", "DefinitionError", "Refs", "ReportDefinition", "SectionDef", "SeriesDef", "Text",
           "TextSpan", "cass_known", "check_entities", "iter_texts", "load_definition", "sample_problem",
           "template_text", "write_starting_definition",
           # the placeholders of texts, handed on
           "PLACEHOLDER", "SYNTAX", "Placeholder", "PlaceholderError", "parse_placeholder", "placeholders",
           "resolve_year", "stray_braces"]

DEFINITION_NAME = "report.yaml"
TEMPLATE = "report_template.yaml"


class DefinitionError(EsgledgerError, ValueError):
    """A report definition could not be loaded; carries the problems."""

    def __init__(self, problems, lang: str = "en"):
        self.problems = ProblemList(problems)
        super().__init__("\n".join(p.render(lang) for p in self.problems[:20]))


# --- loading -------------------------------------------------------------------------------

class _LineLoader(yaml.SafeLoader):
    """Records, for every mapping, its line and the line and style of each value."""


def _construct_mapping(loader, node, deep=False):
    out: dict[Any, Any] = {}
    lines: dict[Any, tuple[int, str | None]] = {}
    dupes: list[tuple[Any, int]] = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            dupes.append((key, key_node.start_mark.line + 1))
        out[key] = loader.construct_object(value_node, deep=True)
        style = value_node.style if isinstance(value_node, yaml.ScalarNode) else None
        lines[key] = (value_node.start_mark.line + 1, style)
    out["__line__"] = node.start_mark.line + 1
    out["__lines__"] = lines
    if dupes:
        out["__dupes__"] = dupes
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k not in ("__line__", "__lines__", "__dupes__")}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj

def template_text() -> str:
    return resources.files("esgledger.report").joinpath("data", TEMPLATE).read_text(encoding="utf-8")


def load_definition(path: str | Path | None = None, library=None, *, text: str | None = None,
                    name: str | None = None) -> tuple[Definition | None, ProblemList]:
    """Read and check a definition (the file at ``path``, or ``text``). With a ``library``,
    indicators, topics, dimensions and framework codes are checked against it."""
    problems = ProblemList()
    fname = name or (Path(path).name if path is not None else DEFINITION_NAME)
    if text is None:
        try:
            text, bad = read_utf8(Path(path))
        except OSError as exc:
            problems.append(Problem("ESG-REPORT-004", Location(file=fname),
                                    {"expected": expected_utf8("YAML"), "found": reason(exc)}))
            return None, problems
        if bad is not None:  # saved as GBK: the line, the column and the byte
            problems.append(Problem("ESG-REPORT-004", Location(file=fname, line=bad.line),
                                    {"expected": expected_utf8("YAML"), "found": bad.found()}))
            return None, problems
    try:
        raw = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem("ESG-REPORT-004", Location(file=fname, line=mark.line + 1 if mark else None),
                                {"expected": "YAML", "found": reason(exc)}))
        return None, problems
    if not isinstance(raw, dict):
        problems.append(Problem("ESG-REPORT-004", Location(file=fname, line=1),
                                {"expected": Bilingual("含 title、period 和 chapters 的映射",
                                                       "a mapping with title, period and chapters"),
                                 "found": Bilingual("空文件", "an empty file") if raw is None else found_text(raw)}))
        return None, problems
    _report_duplicate_keys(raw, fname, problems)
    try:
        model = ReportDefinition.model_validate(_strip(raw))
    except ValidationError as exc:
        for loc, expected, found in pydantic_problems(exc):
            problems.append(Problem("ESG-REPORT-003", Location(file=fname, line=_line_of(raw, loc),
                                                               field=_loc_text(loc)),
                                    {"field": _loc_text(loc), "expected": expected, "found": found}))
        return None, problems
    spans = _text_spans(raw, model)
    defn = Definition(model, fname, spans)
    _check(defn, raw, library, problems)
    if problems.errors:
        return None, problems
    return defn, problems


def _report_duplicate_keys(raw: Any, fname: str, problems: ProblemList) -> None:
    if isinstance(raw, dict):
        for key, line in raw.get("__dupes__", ()):
            problems.append(Problem("ESG-REPORT-003", Location(file=fname, line=line, field=str(key)),
                                    {"field": key, "expected": Bilingual("每个键只出现一次", "each key once"),
                                     "found": Bilingual("第二个值", "a second value")}))
        for k, v in raw.items():
            if k not in ("__line__", "__lines__", "__dupes__"):
                _report_duplicate_keys(v, fname, problems)
    elif isinstance(raw, list):
        for v in raw:
            _report_duplicate_keys(v, fname, problems)


def _text_spans(raw: dict, model: ReportDefinition) -> dict[tuple[str, str, str], TextSpan]:
    spans: dict[tuple[str, str, str], TextSpan] = {}

    def add(node_id: str, fld: str, mapping: Any) -> None:
        if not isinstance(mapping, dict):
            return
        for lang in ("zh", "en"):
            if lang in mapping["__lines__"]:
                line, style = mapping["__lines__"][lang]
                literal = style == "|"
                spans[(node_id, fld, lang)] = TextSpan(line + 1 if literal else line, literal or style is None)

    for fld in ("title", "subtitle"):
        add("", fld, raw.get(fld))

    def visit(raw_nodes, nodes):
        for r, n in zip(raw_nodes or [], nodes):
            if not isinstance(r, dict):
                continue
            add(n.id, "title", r.get("title"))
            add(n.id, "narrative", r.get("narrative"))
            for i, c in enumerate(r.get("charts") or []):
                if isinstance(c, dict):
                    add(f"{n.id}#chart{i + 1}", "title", c.get("title"))
            visit(r.get("sections"), n.sections)

    visit(raw.get("chapters"), model.chapters)
    return spans


_ORGANISATION = re.compile(r"(?m)^organisation: *(\{.*\})[ \t]*$")


def write_starting_definition(path: Path, period: int | None = None,
                              organisation: str | None = None) -> Path:
    """Write the starting definition (the reference report's structure) to ``path``.

    With ``organisation`` (the workspace's name, for a workspace that is not the reference
    company's), the definition names that organisation (zh and en) instead of the reference
    company, the reference company's short name in texts outside placeholders is replaced by
    it too, and a top-level ``sample_of`` records whose report the narrative texts are a
    sample of: ``report check`` lists it as missing and every load warns (ESG-REPORT-008)
    until the user rewrites the texts and deletes the line."""
    text = template_text()
    if period is not None:
        text = re.sub(r"(?m)^period: \d{4}$", f"period: {period}", text)
        text = re.sub(r"(?m)^comparison_years: \[.*\]$",
                      f"comparison_years: [{period - 2}, {period - 1}]", text)
    if organisation is not None:
        text = _own_organisation(text, organisation)
    path.write_text(text, encoding="utf-8")
    return path


def _own_organisation(text: str, organisation: str) -> str:
    import json

    m = _ORGANISATION.search(text)
    if m is None:  # the shipped template always names its organisation on one line
        raise ValueError("report template without a one-line organisation: {zh: ..., en: ...}")
    reference = yaml.safe_load(m.group(1))
    name = json.dumps(organisation, ensure_ascii=False)  # a YAML double-quoted scalar
    # the reference company's short name (天山铝业 of 天山铝业集团股份有限公司) in an unquoted
    # zh text of a flow mapping, such as a chapter title: the organisation's name instead
    short = re.match(r"^(.+?)(集团)?股份有限公司$", str(reference.get("zh") or ""))

    def own(part: str) -> str:
        if short is None:
            return part
        return re.sub(r"(zh: )([^,\"{}\n]*)" + re.escape(short.group(1)) + r"([^,\"{}\n]*)([,}])",
                      lambda g: g.group(1) + json.dumps(g.group(2) + organisation + g.group(3),
                                                        ensure_ascii=False) + g.group(4), part)
    lines = (
        f"organisation: {{zh: {name}, en: {name}}}   # the workspace's name (esgledger.toml); "
        "give the English name under en\n"
        "# The narrative texts below are the reference company's report, kept as a sample. Rewrite\n"
        "# them for your organisation, then delete sample_of (report check lists it until then).\n"
        f"sample_of: {m.group(1)}"
    )
    return own(text[:m.start()]) + lines + own(text[m.end():])
