"""Factor sets: the shipped files load, lookups pick the right value, user files take priority,
and every broken factor file is rejected with its file, line and code."""
import datetime as dt
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from esgledger.library.factors import (CONFIDENCE, FactorLookupError, load_factor_sets,
                                       load_factor_sets_from)
from esgledger.model.period import Period

DATA = Path(__file__).parents[1] / "data" / "factors"
ROOT = resources.files("esgledger.library").joinpath("data").joinpath("factors")


@pytest.fixture(scope="module")
def lib():
    return load_factor_sets()


def _problems(name: str):
    path = DATA / name
    got, problems = load_factor_sets_from(ROOT, [path])
    assert got is None
    return str(path), problems.flat()


# --- the shipped sets -------------------------------------------------------------------------
def test_shipped_sets_load_and_every_value_is_cited(lib):
    names = {s.name for s in lib.list_sets()}
    assert {"gwp", "cn_grid", "cn_fuels_mee", "cn_fuels_ndrc2013", "gbt2589", "ipcc2006_aluminium",
            "cn_aluminium_ndrc2013", "cn_aluminium_mee2024", "scope3_illustrative", "cn_heat"} <= names
    for v in lib.values():
        assert v.source.strip() and v.edition.strip(), v.ref
        assert v.confidence in CONFIDENCE, v.ref
        assert v.line and v.file.startswith("factors/"), v.ref


def test_confidence_tags_are_those_of_the_reference(lib):
    # domain reference §3.1, §4, §2.1, §2.3: the tags travel with the values
    def tag(key, on=None, **dims):
        v = lib.lookup(key, on, **dims)
        return v.value, v.confidence

    assert tag("grid.ef", 2021, basis="average", area="national") == (Decimal("0.5568"), "V")
    assert tag("grid.ef", 2021, basis="residual", area="national") == (Decimal("0.5942"), "V")
    assert tag("grid.ef", 2021, basis="average", area="south") == (Decimal("0.4326"), "V-calc")
    assert tag("grid.ef", 2021, basis="average", area="north") == (Decimal("0.7120"), "R-low")
    assert tag("grid.ef", 2023, basis="fossil", area="national") == (Decimal("0.8273"), "V")
    assert tag("gwp", gwp_set="AR6", gas="CH4_fossil") == (Decimal("29.8"), "R")
    assert tag("carbonate.limestone_ef") == (Decimal("0.405"), "R-low")
    mee = lib.lookup("al.anode.nac", sets=["cn_aluminium_mee2024"], on=2024)
    assert (mee.value, mee.confidence, mee.status) == (Decimal("0.411"), "S", "uncertain")
    s3 = lib.lookup("scope3.cat1", material="alumina")
    assert (s3.confidence, s3.status) == ("R-low", "illustrative")


def test_gwp_sets(lib):
    # reference §4: CF4 / C2F6 in SAR, AR4, AR5, AR6
    got = [(s, lib.gwp("CF4", s).value, lib.gwp("C2F6", s).value) for s in ("SAR", "AR4", "AR5", "AR6")]
    assert got == [("SAR", Decimal("6500"), Decimal("9200")), ("AR4", Decimal("7390"), Decimal("12200")),
                   ("AR5", Decimal("6630"), Decimal("11100")), ("AR6", Decimal("7380"), Decimal("12400"))]
    # AR6 WG I Table 7.15 (as the GHG Protocol's GWP table v2.0, 2024, gives it): methane from
    # fossil sources 29.8, non-fossil 27.0; 27.9 is the single CH4 value of Table 7.SM.7
    assert [lib.gwp(g, "AR6").value for g in ("CH4", "CH4_fossil", "CH4_nonfossil")] == [
        Decimal("27.9"), Decimal("29.8"), Decimal("27.0")]


def test_ndrc_2013_fuel_defaults_are_kept_beside_the_mee_ones(lib):
    mee = lib.lookup("fuel.ncv", fuel="diesel")                              # priority 60: current MEE
    ndrc = lib.lookup("fuel.ncv", fuel="diesel", prefer=["cn_fuels_ndrc2013"])
    assert (mee.value, mee.set_name) == (Decimal("43.33"), "cn_fuels_mee")
    assert (ndrc.value, ndrc.set_name, ndrc.confidence) == (Decimal("42.652"), "cn_fuels_ndrc2013", "R-low")
    # published as 20.2 t C/TJ, used as 0.0202 t C/GJ
    cc = lib.lookup("fuel.carbon_content", fuel="diesel", sets=["cn_fuels_ndrc2013"])
    assert (cc.value, cc.unit, cc.to("tC/GJ")) == (Decimal("20.2"), "tC/TJ", Decimal("0.0202"))


def test_validity_by_year_date_and_period(lib):
    def national(on, **kw):
        return lib.lookup("grid.ef", on, basis="average", area="national", **kw).value

    assert national(2022) == Decimal("0.5366")
    assert national(dt.date(2023, 6, 30)) == Decimal("0.5306")
    assert national(Period.parse("2021-Q3")) == Decimal("0.5568")
    # ETS practice: report 2023 with the latest factor published by then
    assert national(2024, latest=True) == Decimal("0.5306")
    assert lib.lookup("grid.ef", 2024, basis="ets", area="national").value == Decimal("0.5703")


def test_a_default_without_a_dimension_applies_to_every_member(lib):
    # the NDRC default 0.034 kg CF4/t names no technology; IPCC Tier 1 is per technology
    ndrc = lib.lookup("al.pfc.tier1_cf4", technology="SWPB", prefer=["cn_aluminium_ndrc2013"])
    ipcc = lib.lookup("al.pfc.tier1_cf4", technology="SWPB")
    assert (ndrc.value, ndrc.set_name) == (Decimal("0.034"), "cn_aluminium_ndrc2013")
    assert (ipcc.value, ipcc.set_name) == (Decimal("1.6"), "ipcc2006_aluminium")


def test_user_factor_files_take_priority_where_they_apply():
    user = load_factor_sets([DATA / "user"])
    nac24 = user.lookup("al.anode.nac", 2024)
    nac23 = user.lookup("al.anode.nac", 2023)
    assert [(nac24.value, nac24.set_name, nac24.user), (nac23.value, nac23.set_name, nac23.user)] == [
        (Decimal("0.395"), "tianlu_measured", True), (Decimal("0.4"), "ipcc2006_aluminium", False)]
    # the supplier's own alumina factor for that supplier, the default for any other
    own = user.lookup("scope3.cat1", material="alumina", supplier="靖西天桂")
    other = user.lookup("scope3.cat1", material="alumina", supplier="another refinery")
    assert [(own.value, own.set_name), (other.value, other.set_name)] == [
        (Decimal("0.97"), "tianlu_measured"), (Decimal("1.2"), "scope3_illustrative")]
    # a preference orders the shipped sets (the NDRC 2013 view's NC 0.42 over IPCC's 0.4), and
    # the user's own value still comes first where it applies (issue 3: it "takes priority"):
    # the Tier 2 anode default and the ETS view name a shipped set, and read 0.395 in 2024
    assert user.lookup("al.anode.nac", 2024, prefer=["cn_aluminium_ndrc2013"]).value == Decimal("0.395")
    assert user.lookup("al.anode.nac", 2023, prefer=["cn_aluminium_ndrc2013"]).value == Decimal("0.42")


def test_factor_value_ref_names_set_version_key_dims_and_validity(lib):
    v = lib.lookup("grid.ef", 2022, basis="residual", area="national")
    assert v.ref == "cn_grid@2026.1/grid.ef[area=national;basis=residual]@2022"


# --- lookups that cannot answer (ESG-FACTOR-005, 008, 009, 010) ---------------------------------
@pytest.mark.parametrize("call, expected", [
    (lambda lib: lib.lookup("grid.factor", 2022), ("grid.factor", "ESG-FACTOR-005")),
    (lambda lib: lib.lookup("heat.ef", province="新疆"), ("heat.ef", "ESG-FACTOR-008")),
    (lambda lib: lib.lookup("grid.ef", 2019, basis="average", area="national"), ("grid.ef", "ESG-FACTOR-009")),
    (lambda lib: lib.lookup("grid.ef", basis="average", area="national"), ("grid.ef", "ESG-FACTOR-010")),
])
def test_lookup_problems(lib, call, expected):
    with pytest.raises(FactorLookupError) as exc:
        call(lib)
    assert (exc.value.problem.location.field, exc.value.problem.code) == expected


def test_no_value_in_any_set_reads_in_chinese(lib):
    with pytest.raises(FactorLookupError) as exc:
        lib.lookup("grid.ef", 2019, basis="average", area="national")
    assert "在 任何因子集 中没有适用于" in exc.value.problem.render("zh")
    assert "in any set" in exc.value.problem.render("en")


def test_find_returns_none_where_nothing_applies(lib):
    assert lib.find("grid.ef", 2019, basis="average", area="national") is None


# --- broken factor files: exact (location, code) lists ------------------------------------------
def test_missing_citation_is_rejected():
    f, flat = _problems("missing_citation.yaml")
    assert flat == [(f"{f}:6 (grid.ef)", "ESG-FACTOR-001"),     # no source
                    (f"{f}:7 (grid.ef)", "ESG-FACTOR-001"),     # blank source
                    (f"{f}:7 (grid.ef)", "ESG-FACTOR-001")]     # and no edition


def test_unit_that_does_not_fit_is_rejected():
    f, flat = _problems("unit_misfit.yaml")
    assert flat == [(f"{f}:9 (grid.ef)", "ESG-FACTOR-002"), (f"{f}:11 (fuel.carbon_content)", "ESG-FACTOR-002")]


def test_overlapping_validity_is_rejected():
    f, flat = _problems("overlap.yaml")
    assert flat == [(f"{f}:11 (grid.ef)", "ESG-FACTOR-003"), (f"{f}:14 (heat.ef)", "ESG-FACTOR-003")]


def test_malformed_entries_are_rejected():
    f, flat = _problems("malformed.yaml")
    assert flat == [(f"{f}:{n} (heat.ef)", "ESG-FACTOR-004") for n in (9, 10, 11, 12, 13)]


def test_a_file_that_is_not_yaml_is_rejected():
    f, flat = _problems("not_yaml.yaml")
    assert flat == [(f"{f}:5", "ESG-FACTOR-004")]


def test_unknown_key_is_rejected():
    f, flat = _problems("unknown_key.yaml")
    assert flat == [(f"{f}:6 (grid.emission_factor)", "ESG-FACTOR-005")]


def test_unknown_unit_is_rejected():
    f, flat = _problems("unknown_unit.yaml")
    assert flat == [(f"{f}:5 (heat.ef)", "ESG-FACTOR-006")]


def test_a_set_defined_twice_is_rejected():
    f, flat = _problems("duplicate_set.yaml")
    assert flat == [(f"{f}:2", "ESG-FACTOR-007")]


def test_a_dimension_the_key_does_not_take_is_rejected():
    f, flat = _problems("bad_dims.yaml")
    assert flat == [(f"{f}:9 (heat.ef)", "ESG-FACTOR-008"), (f"{f}:10 (al.pfc.slope_cf4)", "ESG-FACTOR-008")]


def test_messages_exist_in_both_languages():
    _, problems = load_factor_sets_from(ROOT, [DATA / "missing_citation.yaml"])
    p = problems[0]
    assert "source" in p.message("en") and "出处" in p.message("zh")


def test_a_factor_file_saved_as_gbk_is_named_not_a_traceback(tmp_path):
    # the title's 天 is 0xcc 0xec in GBK; line 3 reads 'title: {zh: 天…', 天 its 13th character
    text = ('set: tianlu_measured\nversion: "2024.1"\ntitle: {zh: 天铝有限实测参数, en: Tianlu measured}\n'
            'priority: 50\ndefaults: {confidence: V, edition: "2024 lab reports", source: "lab"}\n'
            'factors:\n  - {key: al.anode.nac, value: "0.395", unit: tC/t, valid_from: 2024, valid_to: 2024}\n')
    (tmp_path / "gbk.yaml").write_bytes(text.encode("gbk"))
    got, problems = load_factor_sets_from(ROOT, [tmp_path])
    assert got is None and problems.flat() == [(f"{tmp_path / 'gbk.yaml'}:3", "ESG-FACTOR-004")]
    assert "byte 0xcc at line 3, column 13" in problems[0].render("en")
    assert "第 3 行第 13 列的字节 0xcc" in problems[0].render("zh")
    # the same file as UTF-8 (with Notepad's byte-order mark) loads
    (tmp_path / "gbk.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    got, problems = load_factor_sets_from(ROOT, [tmp_path])
    assert got is not None and problems.flat() == []


def test_a_negative_factor_is_rejected_unless_its_key_is_signed():
    f, flat = _problems("negative.yaml")
    assert flat == [(f"{f}:8 (al.anode.nac)", "ESG-FACTOR-004")]
    _, problems = load_factor_sets_from(ROOT, [DATA / "negative.yaml"])
    assert "field value: expected a number of at least 0 (al.anode.nac cannot be negative" in problems[0].render("en")
    assert "found -0.395" in problems[0].render("en")
    assert "应为 不小于 0 的数（al.anode.nac 不可能为负" in problems[0].render("zh")


def test_no_shipped_factor_is_negative(lib):
    # the rule above refuses negatives for every shipped key: none of their values is one
    assert not [v for s in lib.sets.values() for v in s.values if v.value < 0]


# --- two of the workspace's own sets giving the same factor at the same priority ----------------
_SLOPE_SET = """set: {name}
version: "1"
priority: {priority}
defaults:
  source: "{name} potline measurements (illustrative test data)"
  edition: "2024"
  confidence: V
factors:
  - {{key: al.pfc.slope_cf4, dims: {{technology: CWPB}}, value: "{value}", unit: (kgCF4/t)/(AE-min/cell-day), valid_from: {start}, valid_to: {start}}}
"""


def _slope_files(d: Path, second_priority: int = 50, second_start: int = 2024) -> tuple[Path, Path]:
    d.mkdir(parents=True, exist_ok=True)
    a, b = d / "tianlu.yaml", d / "zz_other.yaml"
    a.write_text(_SLOPE_SET.format(name="tianlu", priority=50, value="0.100", start=2024), encoding="utf-8")
    b.write_text(_SLOPE_SET.format(name="zz_other", priority=second_priority, value="0.200", start=second_start),
                 encoding="utf-8")
    return a, b


def test_two_user_sets_with_the_same_factor_at_the_same_priority_are_refused(tmp_path):
    """Audit A3-H2 repro 2: tianlu.yaml and zz_other.yaml both give al.pfc.slope_cf4 for CWPB in
    2024 at priority 50. A lookup ranks user sets by priority alone, so every PFC by the slope
    method failed at run time (ESG-FACTOR-010) and the potlines' PFC went missing from the
    totals. Now the load refuses it, at the second file's line 9, naming the first's line 9."""
    a, b = _slope_files(tmp_path / "factors")
    got, problems = load_factor_sets_from(ROOT, [tmp_path / "factors"])
    assert got is None
    assert problems.flat() == [(f"{b}:9 (al.pfc.slope_cf4)", "ESG-FACTOR-011")]
    p = problems[0]
    assert f"overlaps the value at {a}:9" in p.message("en") and "same priority (50)" in p.message("en")
    assert f"与 {a}:9 处的数值有效期重叠" in p.message("zh") and "优先级相同（50）" in p.message("zh")
    assert "al.pfc.slope_cf4[technology=CWPB] 2024" in p.message("en")


@pytest.mark.parametrize("priority,start", [(60, 2024), (50, 2025)])
def test_a_higher_priority_or_validities_apart_make_the_two_sets_load(tmp_path, priority, start):
    """A higher priority for one set decides which holds (60 > 50: 0.200 in 2024); validities
    that do not overlap (2024 and 2025) are not a clash either (2024: the first file's 0.100)."""
    _slope_files(tmp_path / "factors", priority, start)
    got, problems = load_factor_sets_from(ROOT, [tmp_path / "factors"])
    assert got is not None and not problems.errors
    if priority == 60:
        assert got.lookup("al.pfc.slope_cf4", 2024, technology="CWPB").value == Decimal("0.200")
    else:
        assert got.lookup("al.pfc.slope_cf4", 2024, technology="CWPB").value == Decimal("0.100")


def test_calc_run_refuses_two_clashing_user_sets_before_writing(wsdir):
    """``calc run`` stops with exit 1 and the file:line of both values; nothing is written."""
    import subprocess
    import sys

    from typer.testing import CliRunner

    from esgledger.cli import app
    from esgledger.workspace import open_workspace

    with resources.as_file(resources.files("esgledger.demo").joinpath("data", "facts-2024.csv")) as p:
        r = CliRunner().invoke(app, ["-w", str(wsdir), "facts", "import", str(p)])
    assert r.exit_code == 0, r.output
    a, b = _slope_files(wsdir / "factors")
    for lang, words in (("en", f"overlaps the value at {a}:9"), ("zh", f"与 {a}:9 处的数值有效期重叠")):
        r = subprocess.run([sys.executable, "-m", "esgledger", "--lang", lang, "-w", str(wsdir), "calc", "run",
                            "--period", "2024"], capture_output=True, text=True, encoding="utf-8")
        assert r.returncode == 1, r.stdout + r.stderr
        assert "ESG-FACTOR-011" in r.stderr and f"{b}:9" in r.stderr and words in r.stderr, r.stderr
    with open_workspace(wsdir) as ws:
        assert not [f for f in ws.store.current_facts(period="2024") if f.status == "calculated"]
