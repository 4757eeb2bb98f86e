"""A factor value's edition as a reader cites it, in Chinese or English (因子版本的中英文引用).

A value records its ``edition`` as its factor file states it, in the words of the file's
author ("MEE guideline Appendix A (current edition)", "IPCC AR5 (2013)", "2023年电力二氧化碳排放因子").
A report or a command in zh or en cites it with the file's ``editions`` mapping: the edition as
recorded → ``{zh, en}``, the published title as published (《企业温室气体排放核算与报告指南》 stays
Chinese in English text too, a document number as issued) and only the words around it in the
reader's language ("（现行版）" / "(current edition)", "（2013年）" / "(2013)"). A citation may name the
value's confidence tag as ``{confidence}`` (an esgledger default with no public source says so):

    editions:
      "IPCC AR5 (2013)": {zh: IPCC第五次评估报告（2013年）, en: IPCC Fifth Assessment Report (2013)}
      esgledger default: {zh: "esgledger 缺省值，无公开来源，置信度 {confidence}", en: "..."}

An edition no loaded set cites reads as recorded: the grid factors' own "YYYY年电力二氧化碳排放因子"
pattern is cited as the MEE/NBS publication of that year; anything else is shown as it is, labelled
"edition …" in English. A key of ``editions`` that no value of the set records is a file error
(ESG-FACTOR-004, at its line): it would never be read.

>>> edition_text("IPCC AR5 (2013)", "zh"), edition_text("IPCC AR5 (2013)", "en")
('IPCC第五次评估报告（2013年）', 'IPCC Fifth Assessment Report (2013)')
>>> edition_text("2024年电力二氧化碳排放因子", "en")
'MEE/NBS electricity CO2 emission factors for 2024'
>>> edition_text("esgledger default", "zh", "R")
'esgledger 缺省值，无公开来源，置信度 R'
>>> edition_text("plant lab 2023", "zh"), edition_text("plant lab 2023", "en")
('plant lab 2023', 'edition plant lab 2023')
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from esgledger.model.errors import Bilingual, Location, Problem, ProblemList

if TYPE_CHECKING:  # pragma: no cover
    from esgledger.library.factors import FactorLibrary, FactorValue

# editions recorded by calculation runs of earlier versions, and the edition they are now
LEGACY = {"domain reference §3.2": "esgledger default"}  # the diesel density, before the citation fix
_GRID_EDITION = re.compile(r"^(\d{4})年电力二氧化碳排放因子$")
NOT_STATED = {"zh": "未注明", "en": "not stated"}


def check_editions(doc: Mapping[str, Any], editions: Mapping[str, Any], values: Iterable["FactorValue"],
                   label: str, problems: ProblemList) -> None:
    """ESG-FACTOR-004 for each key of a set file's ``editions`` that none of its values records."""
    recorded = {v.edition for v in values}
    raw = doc.get("editions") if isinstance(doc.get("editions"), dict) else {}
    for edition in editions:
        if edition.strip() in recorded:
            continue
        cited = raw.get(edition)
        line = cited.get("__line__") if isinstance(cited, dict) else doc.get("__line__")
        problems.append(Problem("ESG-FACTOR-004", Location(file=label, line=line, field="editions"), {
            "field": "editions", "found": edition, "expected": Bilingual(
                "本因子集数值所记录的版本之一：" + "、".join(sorted(recorded)),
                "an edition a value of this set records: " + ", ".join(sorted(recorded)))}))


def cited_edition(factors: "FactorLibrary", edition: str, lang: str, confidence: str = "",
                  set_name: str | None = None) -> str | None:
    """The citation in ``lang`` the factor sets give ``edition`` (the set ``set_name``'s first,
    then any set's), or None where none does."""
    edition = LEGACY.get(edition, edition)
    sets = list(factors.list_sets())
    if set_name is not None:
        sets.sort(key=lambda s: s.name != set_name)
    for s in sets:
        for recorded, text in s.editions:
            if recorded == edition:
                conf = confidence or NOT_STATED[lang]
                return (text.zh if lang == "zh" else text.en).replace("{confidence}", conf)
    return None


def edition_text(edition: str, lang: str, confidence: str = "", factors: "FactorLibrary | None" = None,
                 set_name: str | None = None, labelled: bool = True) -> str:
    """``edition`` as a reader cites it in ``lang`` (zh or en; anything else reads as en):
    the factor sets' citation (``factors``: a workspace's, else the shipped sets), else the grid
    factors' pattern, else as recorded ("edition …" in English unless ``labelled`` is False:
    text that names it an edition already, a column or ``edition: …``)."""
    lang = "zh" if lang == "zh" else "en"
    if factors is None:
        from esgledger.library.factors import load_factor_sets

        factors = load_factor_sets()
    text = cited_edition(factors, edition, lang, confidence, set_name)
    if text is not None:
        return text
    m = _GRID_EDITION.match(edition)
    if m:
        return (f"生态环境部、国家统计局《{edition}》" if lang == "zh"
                else f"MEE/NBS electricity CO2 emission factors for {m.group(1)}")
    return edition if lang == "zh" or not labelled else f"edition {edition}"


__all__ = ["LEGACY", "check_editions", "cited_edition", "edition_text"]
