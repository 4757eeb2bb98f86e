"""The Chinese wording of the equations the lineage records (explain --lang zh)."""
from __future__ import annotations

import importlib
import pkgutil
import re

from esgledger.calc.equations import ZH, equation_text


def _recorded_equations() -> dict[str, str]:
    """Every equation text the calculation modules define (EQ_* and EQUATION* constants)."""
    names = ["esgledger.calc.ghg", "esgledger.calc.consolidate"] + [
        f"esgledger.calc.methods.{m.name}"
        for m in pkgutil.iter_modules(importlib.import_module("esgledger.calc.methods").__path__)]
    out = {}
    for name in names:
        for attr, value in vars(importlib.import_module(name)).items():
            if attr.startswith(("EQ_", "EQUATION")):
                for text in (value.values() if isinstance(value, dict) else [value]):
                    out[text] = f"{name}.{attr}"
    return out


def test_every_equation_a_method_records_has_chinese_words():
    recorded = _recorded_equations()
    assert len(recorded) >= 30  # the module scan found them
    missing = [where for text, where in recorded.items() if text not in ZH]
    assert missing == []


# equation and table numbers, sections, standard numbers and symbols with subscripts
_CITED = re.compile(r"\d+\.\d+(?:\.\d+)?|F-\d|§[\d.]+|\d{4,}(?:-\d{4})?|[A-Za-z]+_[A-Za-z0-9/]+|44/12|CF4|C2F6")


def test_the_chinese_wording_keeps_every_symbol_and_citation_number():
    for english, chinese in ZH.items():
        assert set(_CITED.findall(english)) <= set(_CITED.findall(chinese)), english
        assert re.search(r"[\u4e00-\u9fff]", chinese), chinese  # and is Chinese


def test_a_combined_equation_is_worded_part_by_part_and_english_stays_as_recorded():
    from esgledger.calc.methods.electricity import EQ_HEAT, EQ_LOCATION

    both = f"{EQ_LOCATION}; + {EQ_HEAT}"  # purchased electricity with bought heat
    assert equation_text(both, "zh") == ZH[EQ_LOCATION] + "；+ " + ZH[EQ_HEAT]
    assert equation_text(both, "en") == both
    # an equation this version does not know (another version's ledger) is shown as recorded
    assert equation_text("E = a × b (somewhere)", "zh") == "E = a × b (somewhere)"
