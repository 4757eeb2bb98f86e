"""UAT 2, M3 and L6: a message reads wholly in the user's language. Under zh no English (OS,
parser, pydantic, codec or pint text) leaks into it, under en no Chinese unit or phrase; and no
Python internals (None/None, a dict repr, NoneType, pydantic's union paths) show in it.

The check: a zh message holds no ASCII word of three or more letters except the codes, units,
field names and values (as written in the file) that legitimately stay; an en message holds no
Chinese character except in what the user wrote."""
from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest
from typer.testing import CliRunner

from esgledger.cli import app
from esgledger.model.errors import Bilingual, Problem, found_text, near_miss, reason
from tests.conftest import write as _write


def write(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    return _write(path, text)

runner = CliRunner()

# a token: a run of letters, digits and the characters identifiers, file names, units and
# codes are made of (valid_from, trunc.xlsx, tC/t, ESG-IMPORT-010, entity=TSALL)
_TOKEN = re.compile(r"[A-Za-z0-9_.\-=/@'\"]+")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def english_words(message: str, keep: tuple[str, ...] = ()) -> list[str]:
    """The English words of a message meant to be Chinese: tokens of three or more letters, at
    least one lower-case (YAML, UTF, GBK and entity codes stay), that are not identifiers
    (with _ . - = / or digits) and not in ``keep`` (field names and values the user wrote)."""
    out = []
    for tok in _TOKEN.findall(message):
        word = tok.strip("'\"")
        if word in keep or not re.fullmatch(r"[A-Za-z]{3,}", word) or word.isupper():
            continue
        out.append(word)
    return out


def chinese(message: str, keep: tuple[str, ...] = ()) -> list[str]:
    """The Chinese characters of a message meant to be English, outside ``keep`` (what the user
    wrote in Chinese)."""
    for k in keep:
        message = message.replace(k, "")
    return _CJK.findall(message)


def test_the_checks_themselves():
    assert english_words("应为 .xlsx 工作簿：BadZipFile: File is not a zip file") == [
        "BadZipFile", "File", "not", "zip", "file"]
    assert english_words("字段 valid_from：应为 YYYY-MM-DD 格式的日期，实际为 2024/13/01 (TLYX, YAML)") == []
    assert english_words("字段 confidence：应为 'V' 之一，实际为 high", keep=("confidence", "high")) == []
    assert chinese("unit kg cannot be converted to 人") == ["人"]
    assert chinese("found 2024年", keep=("2024年",)) == []


def lines(output: str, code: str) -> list[str]:
    """The messages (after the code) of the lines of ``output`` with problem ``code``."""
    return [ln.split(code, 1)[1] for ln in output.splitlines() if code in ln]


def both(wsdir, *args) -> dict[str, str]:
    out = {}
    for lang in ("zh", "en"):
        r = runner.invoke(app, ["--lang", lang, "-w", str(wsdir), *args])
        out[lang] = r.output
        # problems that stop a command before it runs (a workspace file): the console script
        # prints them in the user's language; the test runner hands back the exception
        exc = r.exception
        if getattr(exc, "problems", None):
            out[lang] += "\n".join(p.render(lang) for p in exc.problems)
        elif getattr(exc, "problem", None):
            out[lang] += exc.problem.render(lang)
    return out


def assert_reads_in_each_language(out: dict[str, str], code: str, *, keep_zh=(), keep_en=(), count=None):
    zh, en = lines(out["zh"], code), lines(out["en"], code)
    assert zh and en, out
    if count is not None:
        assert len(zh) == len(en) == count, out
    for msg in zh:
        assert english_words(msg, keep_zh) == [], msg
    for msg in en:
        assert chinese(msg, keep_en) == [], msg
    for msg in zh + en:  # no Python internals
        assert not re.search(r"None|NoneType|\{'|Input should|Field required", msg), msg
    return zh, en


# -- files that cannot be read ----------------------------------------------------------------
def test_a_damaged_workbook_a_folder_and_a_missing_file(wsdir, tmp_path):
    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["entity", "indicator", "period", "value", "unit"])
    wb.save(good)
    trunc = write(tmp_path / "trunc.xlsx", "")
    trunc.write_bytes(good.read_bytes()[:3000])  # a download cut short
    zh, en = assert_reads_in_each_language(both(wsdir, "facts", "import", str(trunc)), "ESG-IMPORT-010")
    assert "不是 .xlsx 所用的 ZIP 压缩包，或文件已损坏（可能被截断）" in zh[0]
    assert "BadZipFile" not in zh[0] and "not the zip container an .xlsx is" in en[0]
    folder = tmp_path / "c_dir.xlsx"
    folder.mkdir()
    zh, en = assert_reads_in_each_language(both(wsdir, "collect", "import", str(folder), "--dry-run"),
                                           "ESG-IMPORT-010")
    assert "这是一个目录，不是文件" in zh[0] and "a folder, not a file" in en[0]
    zh, en = assert_reads_in_each_language(
        both(wsdir, "collect", "import", str(tmp_path / "nope.xlsx"), "--dry-run"), "ESG-IMPORT-010")
    assert "文件不存在" in zh[0] and "no such file" in en[0]


def test_an_encoding_that_is_neither_utf8_nor_gb18030(wsdir, tmp_path):
    bad = tmp_path / "badenc.csv"
    bad.write_bytes(b"entity,indicator,period,value,unit\nTLYX,employees,2025,2400,\xff\xfe\x00\n")
    zh, en = assert_reads_in_each_language(both(wsdir, "facts", "import", str(bad)), "ESG-IMPORT-012")
    # the header line is 35 bytes with its newline, "TLYX,employees,2025,2400," 25 more: byte 60
    assert "第 60 字节处不是 UTF-8，第 60 字节处不是 GB18030" in zh[0]
    assert "not UTF-8 at byte 60; not GB18030 at byte 60" in en[0]


def test_an_entity_file_with_a_yaml_error(wsdir, tmp_path):
    # saved as GBK: line 2, column 26 (`  - {code: X, name: {zh: ` is 25 characters), byte 0xcc (天)
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("entities:\n  - {code: X, name: {zh: 天铝, en: a}}\n".encode("gbk"))
    zh, en = assert_reads_in_each_language(both(wsdir, "entities", "import", str(gbk)), "ESG-ENT-007")
    assert "第 2 行第 26 列的字节 0xcc" in zh[0] and "byte 0xcc at line 2, column 26" in en[0]
    unclosed = write(tmp_path / "bad.yaml", "entities:\n  - {code: X, name: {zh: a\n")
    zh, _en = assert_reads_in_each_language(both(wsdir, "entities", "import", str(unclosed)), "ESG-ENT-007")
    assert "YAML 语法错误（第 3 行第 1 列）" in zh[0]
    tab = write(tmp_path / "tab.yaml", "entities:\n\t- code: X\n")
    zh, en = assert_reads_in_each_language(both(wsdir, "entities", "import", str(tab)), "ESG-ENT-007")
    assert "YAML 语法错误（第 2 行第 1 列）" in zh[0]
    assert "found character '\\t' that cannot start any token" in en[0]  # the parser's detail, in English


def test_entity_fields_each_named_without_python_internals(wsdir, tmp_path):
    f = write(tmp_path / "ent.csv",
              "code,name_zh,name_en,level,process_type,parent,valid_from,valid_to\n"
              "TNEW,新,New,site,office,TLYX,2025-01-01,2024-01-01\n")
    zh, en = assert_reads_in_each_language(both(wsdir, "entities", "import", str(f)), "ESG-ENT-005",
                                           keep_zh=("valid_to",), count=1)
    assert "TNEW 的字段 valid_to：应为 晚于 2025-01-01 的日期，实际为 2024-01-01" in zh[0]
    assert "field valid_to of TNEW: expected a date after 2025-01-01, found 2024-01-01" in en[0]
    f = write(tmp_path / "ent2.csv",
              "code,name_zh,name_en,level,process_type,parent,valid_from,valid_to\n"
              "TNEW2,,,site,office,TLYX,2024/13/01,2024年1月1日\n")
    zh, en = assert_reads_in_each_language(both(wsdir, "entities", "import", str(f)), "ESG-ENT-005",
                                           keep_en=("2024年1月1日",), keep_zh=("valid_to", "valid_from"), count=4)
    # each missing name and each bad date on its own, as written: not None/None nor a/b
    assert [m.split("field ", 1)[1].split(" of")[0] for m in en] == ["name_zh", "name_en", "valid_from", "valid_to"]
    assert "found 2024/13/01" in en[2] and "found 2024年1月1日" in en[3]
    assert "实际为 空" in zh[0]


def test_an_evidence_file_of_a_kind_not_accepted_or_missing(wsdir, tmp_path):
    exe = write(tmp_path / "ev.exe", "x")
    zh, en = assert_reads_in_each_language(both(wsdir, "collect", "attach", str(exe), "--entity", "TLYX"),
                                           "ESG-COLLECT-014")
    assert "不接受 .exe 文件；应为以下之一：.bmp" in zh[0] and ".exe files are not accepted" in en[0]
    zh, en = assert_reads_in_each_language(
        both(wsdir, "collect", "attach", str(tmp_path / "nope.pdf"), "--entity", "TLYX"), "ESG-COLLECT-014")
    assert "文件不存在" in zh[0] and "no such file" in en[0]


def test_a_store_that_cannot_be_opened(wsdir):
    cfg = wsdir / "esgledger.toml"
    cfg.write_text(re.sub(r'url = "[^"]*"', 'url = "sqlite:///nodir/ledger.db"', cfg.read_text("utf-8")), "utf-8")
    r = runner.invoke(app, ["-w", str(wsdir), "entities", "tree"])
    p = r.exception.problem  # the console script prints it in the user's language
    out = {lang: p.render(lang) for lang in ("zh", "en")}
    zh, en = assert_reads_in_each_language(out, "ESG-WS-008", keep_zh=("sqlite",))
    assert "无法打开数据库文件" in zh[0] and "unable to open database file" in en[0]


# -- factor files, the workspace library, report definitions --------------------------------
FACTOR_HEAD = """set: tianlu_measured
version: "2024.1"
title: {zh: 天铝有限实测参数, en: Tianlu measured parameters}
defaults: {confidence: V, edition: "2024 laboratory reports", source: "lab"}
factors:
"""


@pytest.mark.parametrize("entry,field,zh_expected,en_expected", [
    ('{key: al.anode.nac, value: 0.395, unit: tC/t}', "value", "加引号的十进制数", "a decimal written as a string"),
    ('{key: al.anode.nac, value: "about 0.4", unit: tC/t}', "value", "十进制数字", "a decimal number"),
    ('{key: al.anode.nac, value: "0.4", unit: tC/t, valid_from: 2024年}', "valid_from",
     "年份（如 2024）或 YYYY-MM-DD 格式的日期", "a year (2024) or a date YYYY-MM-DD"),
    ('{key: al.anode.nac, value: "0.4", unit: tC/t, valid_from: 2025, valid_to: 2024}', "valid_to",
     "不早于 2025-01-01 的日期", "a date on or after 2025-01-01"),
    ('{key: al.anode.nac, unit: tC/t}', "value", "一个值（该字段必填）", "a value (the field is required)"),
    ('{key: al.anode.nac, value: "0.4", unit: tC/t, confidence: high}', "confidence",
     "'V'、'V-calc'、'S'、'R' 或 'R-low' 之一", "one of 'V', 'V-calc', 'S', 'R' or 'R-low'"),
])
def test_a_bad_factor_entry_reads_in_each_language(wsdir, entry, field, zh_expected, en_expected):
    write(wsdir / "factors" / "f.yaml", FACTOR_HEAD + f"  - {entry}\n")
    zh, en = assert_reads_in_each_language(both(wsdir, "factors", "list"), "ESG-FACTOR-004", count=1,
                                           keep_zh=(field, "high", "about"), keep_en=("2024年",))
    assert f"字段 {field}：应为 {zh_expected}" in zh[0]
    assert f"field {field}: expected {en_expected}" in en[0]


def test_an_empty_factor_file(wsdir):
    write(wsdir / "factors" / "f.yaml", "")
    zh, en = assert_reads_in_each_language(both(wsdir, "factors", "list"), "ESG-FACTOR-004", count=1,
                                           keep_zh=("set", "version", "factors"))
    assert "实际为 空文件" in zh[0] and "found an empty file" in en[0]


def test_the_union_of_a_year_or_a_date_gives_one_message_per_field(wsdir):
    write(wsdir / "factors" / "f.yaml",
          FACTOR_HEAD + '  - {key: al.anode.nac, value: "0.4", unit: tC/t, valid_from: 2024年, valid_to: x}\n')
    _zh, en = assert_reads_in_each_language(both(wsdir, "factors", "list"), "ESG-FACTOR-004", count=2,
                                            keep_zh=("valid_from", "valid_to"), keep_en=("2024年",))
    assert ["valid_from", "valid_to"] == [m.split("field ", 1)[1].split(":")[0] for m in en]


LIBRARY = """indicators:
  - code: my_a
    name: {zh: 甲, en: A}
    definition: {zh: 甲, en: A}
    dimension: E
    topic: enrgy
    unit: 吨
    dimensions: [gendr]
    precision: many
  - code: my_b
    name: {zh: 乙, en: B}
    definition: {zh: 乙, en: B}
    dimension: E
    topic: energy
    unit: 吨
    kind: formula
    formula: "electricity_consumption +"
  - code: my_c
    name: {zh: 丙, en: C}
    definition: {zh: 丙, en: C}
    dimension: E
    topic: energy
    unit: 吨
    kind: formula
    formula: "electricity_consumption / employees"
"""


def test_a_workspace_library_with_errors(wsdir, tmp_path):
    write(wsdir / "library" / "my.yaml", LIBRARY)
    f = write(tmp_path / "g.csv", "entity,indicator,period,value,unit\nTLYX,employees,2025,1,人\n")
    out = both(wsdir, "facts", "import", str(f), "--dry-run")
    zh, en = assert_reads_in_each_language(out, "ESG-LIB-002", keep_zh=("topic", "dimensions", "precision",
                                                                        "enrgy", "gendr", "many"))
    # pydantic's "Input should be a valid integer" read as "a whole number" (after the others:
    # the entry is not checked further when its shape is wrong)
    assert zh == [" 库条目无效：字段 precision：应为 整数，实际为 many"]
    write(wsdir / "library" / "my.yaml", LIBRARY.replace("    precision: many\n", ""))
    out = both(wsdir, "facts", "import", str(f), "--dry-run")
    zh, en = assert_reads_in_each_language(out, "ESG-LIB-002", keep_zh=("topic", "dimensions", "enrgy", "gendr"))
    assert "字段 topic：应为 topics.yaml 中的议题，实际为 enrgy" in zh[0]
    zh, en = assert_reads_in_each_language(out, "ESG-LIB-005")
    # "electricity_consumption +" is 25 characters: the formula ends where a term is expected
    assert "第 25 个字符处应为数字、名称或 '('，但公式已结束" in zh[0]
    assert "expected a number, a name or '(' at position 25" in en[0]
    zh, en = assert_reads_in_each_language(out, "ESG-LIB-007", keep_zh=("employees",))
    # MWh per person is no mass: the units in each language, 吨 as "t" in English
    assert "的结果单位为 兆瓦时/人，无法换算为 吨" in zh[0]
    assert "gives MWh / person, which cannot be expressed in t" in en[0]


def _definition(library, text, name="r.yaml"):
    from esgledger.report.definition import load_definition

    return load_definition(text=text, name=name, library=library)


def test_report_definition_messages(sqlite_workspace, tmp_path):
    from esgledger.report.definition import check_entities, load_definition, template_text

    lib = sqlite_workspace.library
    text = template_text()
    _d, problems = _definition(lib, text.replace("consolidation: control ", "consolidation: controll "))
    [p] = [p for p in problems if p.code == "ESG-REPORT-003"]
    assert p.message("zh") == "报告定义字段无效：字段 consolidation：应为 'control' 或 'equity' 之一，实际为 controll"
    assert p.message("en") == ("invalid report definition field: field consolidation: expected one of 'control' "
                               "or 'equity', found controll")
    _d, problems = _definition(lib, "")
    assert problems[0].message("zh") == "报告定义无法读取：应为 含 title、period 和 chapters 的映射：空文件"
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("title: 报告\n".encode("gbk"))
    _d, problems = load_definition(gbk, lib)
    # "title: " is 7 characters, so 报 (GBK B1 A8, no UTF-8 lead byte) is at column 8 of line 1
    assert problems[0].message("zh") == ("报告定义无法读取：应为 UTF-8 编码的 YAML：第 1 行第 8 列的字节 0xb1"
                                         "（不是 UTF-8，文件可能是 GBK 编码：请在编辑器中另存为 UTF-8）")
    assert english_words(problems[0].message("zh"), ("title",)) == []
    _d, problems = _definition(lib, text.replace("{{ fact taxes_paid P }}", "{{ fakt taxes_paid P }}", 1))
    p = next(p for p in problems if p.code == "ESG-REPORT-001")
    assert p.message("zh").endswith("应为 以下之一：fact、change、period、company")
    defn, problems = _definition(lib, text.replace("{{ fact taxes_paid P }}", "{{ fact taxes_paid P entity=tsal }}", 1))
    assert not problems.errors
    [p] = check_entities(defn, sqlite_workspace.tree)
    # a code that differs only in case is the first suggestion (L2)
    assert p.message("zh") == "未知主体或维度：entity=tsal：应为 组织树中的主体，是否为 TSAL？"
    assert p.message("en") == "unknown entity or dimension: entity=tsal: expected an entity of the tree; did you mean TSAL?"


# -- the other way round: English messages name units in English -----------------------------
def test_english_messages_name_units_in_english(wsdir, tmp_path):
    f = write(tmp_path / "u.csv", "entity,indicator,period,value,unit\n"
                                  "TLYX,employees,2025,1,kg\nTLYX,charitable_donations,2025,1,foo\n"
                                  "TLYX,charitable_donations,2025,2,吨\n")
    out = both(wsdir, "facts", "import", str(f))
    _zh, en = assert_reads_in_each_language(out, "ESG-IMPORT-007", keep_zh=("employees", "charitable_donations"),
                                            keep_en=("吨",))
    assert en == [" incompatible unit: unit kg cannot be converted to persons (indicator employees)",
                  " incompatible unit: unit t (吨) cannot be converted to CNY 10k (indicator charitable_donations)"]
    _zh, en = assert_reads_in_each_language(out, "ESG-IMPORT-008", keep_zh=("foo", "charitable_donations"))
    assert en == [" unknown unit: unit foo is not known (indicator charitable_donations is in CNY 10k)"]
    assert "单位 吨 无法换算为 万元" in out["zh"]


# -- the helpers ----------------------------------------------------------------------------
def test_reason_translates_known_errors_and_keeps_the_detail_in_english(tmp_path):
    try:
        (tmp_path / "nope").read_text()
    except OSError as exc:
        r = reason(exc)
    assert r.zh.startswith("文件不存在：") and r.en.startswith("no such file: ")
    with pytest.raises(zipfile.BadZipFile) as exc:
        zipfile.ZipFile(write(tmp_path / "x.xlsx", "not a zip"))
    assert english_words(reason(exc.value).zh) == [] and "File is not a zip file" in reason(exc.value).en
    r = reason(ValueError("odd"))  # not one it knows: its type, never a made-up reason
    assert (r.zh, r.en) == ("无法读取（ValueError）", "ValueError: odd")


def test_found_text_never_shows_a_python_repr():
    assert found_text(None).zh == "空" and found_text(None).en == "empty"
    assert found_text({"confidence": "V"}).en == "a mapping (key: value)"
    assert found_text([1]).zh == "列表" and found_text("0.4") == "0.4"


def test_near_misses_ignore_case():
    assert near_miss("tlyx", {"TLYX": "TLYX", "TSAL": "TSAL"}).en == "; did you mean TLYX?"
    assert near_miss("Tlyx", {"TLYX": "TLYX"}).zh == "，是否为 TLYX？"
    assert near_miss("EMPLOYEES", {"employees": "employees"}).en == "; did you mean employees?"
    assert near_miss("zzzz", {"TLYX": "TLYX"}) == ""


def test_cli_suggests_codes_whatever_the_case_and_by_name(wsdir):
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "facts", "export", "--entity", "tlyx"])
    assert str(r.exception.problem.params["expected"]).endswith("e.g. TLYX, TLYX-P2, TLYX-P1")
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "facts", "export", "--indicator", "EMPLOYEES"])
    assert str(r.exception.problem.params["expected"]).endswith("e.g. employees, new_hires, minority_employees")


def test_bilingual_params_render_in_each_language():
    p = Problem("ESG-IMPORT-010", params={"expected": Bilingual(".xlsx 工作簿", "an .xlsx workbook"),
                                          "found": Bilingual("文件不存在", "no such file")})
    assert p.message("zh") == "文件无法读取：应为 .xlsx 工作簿：文件不存在"
    assert p.message("en") == "file cannot be read: expected an .xlsx workbook: no such file"


@pytest.fixture(autouse=True)
def _no_leftover_lang():
    yield
    from esgledger.cli import STATE

    STATE.lang = "en"




# -- L10: an unknown member of a dimension the indicator takes; L1: full-width numbers --------
def test_an_unknown_member_is_named_as_such_with_the_members_in_each_language(wsdir, tmp_path):
    f = write(tmp_path / "g.csv", "entity,indicator,period,value,unit,gender\nTLYX,employees,2025,2400,人,女\n")
    out = both(wsdir, "facts", "import", str(f))
    zh, en = assert_reads_in_each_language(out, "ESG-IMPORT-011", keep_zh=("employees", "gender", "female", "male"),
                                           keep_en=("女",), count=1)
    # gender is taken by employees (library: dimensions [gender, …]); 女 is no member of it:
    # its members are female (女性) and male (男性)
    assert zh[0] == " 维度或成员不允许：指标 employees 不支持 gender=女（gender 没有成员“女”）；允许：female（女性）、male（男性）"
    assert en[0] == (" dimension or member not allowed: indicator employees does not take gender=女 "
                     "(gender has no member '女'); allowed: female, male")
    # a member's Chinese name is a member: 女性 lands as female
    f = write(tmp_path / "ok.csv", "entity,indicator,period,value,unit,gender\nTLYX,employees,2025,1200,人,女性\n")
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "facts", "import", str(f)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "facts", "export", "--entity", "TLYX", "--period", "2025"])
    assert "TLYX,employees,2025,1200,人,gender=female," in r.output


def test_full_width_digits_point_and_comma_read_as_ascii(wsdir, tmp_path):
    f = write(tmp_path / "fw.csv", "entity,indicator,period,value,unit\n"
                                   "TLYX,charitable_donations,2025,１３．５,万元\n"
                                   'TLYX,electricity_consumption,2025,"1，234.5",兆瓦时\n')
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "facts", "import", str(f)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "facts", "export", "--entity", "TLYX", "--period", "2025"])
    # １３．５ is 13.5 (the point is U+FF0E); 1，234.5 groups thousands as 1,234.5 would: 1234.5
    assert "TLYX,charitable_donations,2025,13.5,万元," in r.output
    assert "TLYX,electricity_consumption,2025,1234.5,兆瓦时," in r.output
    # a full-width comma that does not group thousands is refused like an ASCII one (1,5)
    f = write(tmp_path / "dc.csv", 'entity,indicator,period,value,unit\nTLYX,water_withdrawal,2025,"1，5",吨\n')
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "facts", "import", str(f)])
    assert r.exit_code == 1 and "ESG-IMPORT-006" in r.output


def test_a_targets_file_and_an_empty_library_file_read_in_each_language(wsdir, tmp_path):
    from esgledger.library.targets import TargetsFileError, read_targets

    bad = write(tmp_path / "targets.yaml", "targets:\n  - {code: t1\n")
    with pytest.raises(TargetsFileError) as exc:
        read_targets(bad)
    p = exc.value.problem
    assert english_words(p.message("zh"), ("targets",)) == [] and p.message("zh").startswith(
        "库文件格式错误：无法按含 targets 列表的 YAML读取该文件：YAML 语法错误（第 3 行第 1 列）")
    missing = write(tmp_path / "t2.yaml", "targets:\n  - {code: t1}\n")
    with pytest.raises(TargetsFileError) as exc:
        read_targets(missing)
    p = exc.value.problem  # the first required field it lacks, found "empty" (not None)
    assert p.message("zh") == "库条目无效：字段 targets[0].name：应为 一个值（该字段必填），实际为 空"
    assert p.message("en") == "invalid library entry: field targets[0].name: expected a value, found empty"
    write(wsdir / "library" / "my.yaml", "")
    f = write(tmp_path / "g.csv", "entity,indicator,period,value,unit\nTLYX,employees,2025,1,人\n")
    zh, en = assert_reads_in_each_language(both(wsdir, "facts", "import", str(f), "--dry-run"), "ESG-LIB-001",
                                           keep_zh=("indicators",))
    assert "实际为" not in zh[0] and zh[0].endswith("空文件")


def test_a_folder_or_a_missing_entity_or_facts_file_is_named_as_such(wsdir, tmp_path):
    """L4: a folder given as a facts file is no "missing file", and an entity file that is not
    there is ESG-IMPORT-010 in the user's language, not a command-line usage error in English."""
    folder = tmp_path / "adir.csv"
    folder.mkdir()
    zh, en = assert_reads_in_each_language(both(wsdir, "facts", "import", str(folder)), "ESG-IMPORT-010")
    assert zh[0].endswith("这是一个目录，不是文件") and en[0].endswith("a folder, not a file")
    (tmp_path / "dir.yaml").mkdir()
    zh, en = assert_reads_in_each_language(both(wsdir, "entities", "import", str(tmp_path / "dir.yaml")),
                                           "ESG-IMPORT-010")
    assert zh[0] == " 文件无法读取：应为 主体文件（.yaml 或 .csv）：这是一个目录，不是文件"
    zh, en = assert_reads_in_each_language(both(wsdir, "entities", "import", str(tmp_path / "nope.yaml")),
                                           "ESG-IMPORT-010")
    assert en[0] == " file cannot be read: expected an entity file (.yaml or .csv): no such file"


def test_a_workbook_without_one_of_its_parts(tmp_path):
    """A zip that is no workbook (xl/workbook.xml missing): a translated reason, not KeyError."""
    with pytest.raises(KeyError) as exc:
        zipfile.ZipFile(_empty_zip(tmp_path / "x.zip")).getinfo("xl/workbook.xml")
    r = reason(exc.value)
    assert r.zh == "缺少必需的部件（文件可能已损坏）" and r.en.startswith("a required part is missing: ")


def _empty_zip(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("other.txt", "x")
    return path


def test_a_sum_of_terms_in_different_units_names_them_per_language(wsdir, tmp_path):
    # charitable_donations is in 万元, total_assets in 亿元 (library): their raw numbers cannot be added
    write(wsdir / "library" / "my.yaml", LIBRARY.split("  - code: my_b")[0].replace(
        "    dimensions: [gendr]\n    precision: many\n", "").replace("topic: enrgy", "topic: energy").replace(
        "    unit: 吨\n", "    unit: 吨\n    kind: formula\n    formula: \"charitable_donations + total_assets\"\n"))
    f = write(tmp_path / "g.csv", "entity,indicator,period,value,unit\nTLYX,employees,2025,1,人\n")
    zh, en = assert_reads_in_each_language(both(wsdir, "facts", "import", str(f), "--dry-run"), "ESG-LIB-007",
                                           keep_zh=("charitable_donations", "total_assets"))
    assert zh[0].endswith("的结果单位为 万元 ± 亿元，无法换算为 吨")
    assert en[0].endswith("gives CNY 10k ± CNY 100m, which cannot be expressed in t")
