"""Problems (errors and warnings) as values with a location.

Every problem a user can meet has a stable code in one catalogue, a severity, a title and
a message template in zh-CN and English. Bad user data never raises out of an import: each
problem becomes a :class:`Problem` naming where it came from (file, sheet and cell; line;
field) and what was expected.

>>> p = Problem("ESG-IMPORT-006", Location(file="facts.csv", line=3, column="value"),
...             {"found": "abc"})
>>> p.render("en")
'facts.csv:3 [value]: ESG-IMPORT-006 value is not a number: found "abc", expected a decimal number'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Iterable, Iterator


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Spec:
    code: str
    severity: Severity
    title_en: str
    title_zh: str
    template_en: str
    template_zh: str


def _spec(code, severity, title_en, title_zh, template_en, template_zh):
    return code, Spec(code, Severity(severity), title_en, title_zh, template_en, template_zh)


CATALOGUE: dict[str, Spec] = dict([
    # --- indicator library and other shipped data files -------------------------------
    _spec("ESG-LIB-001", "error", "malformed library file", "库文件格式错误",
          "the file cannot be read as {expected}: {found}",
          "无法按{expected}读取该文件：{found}"),
    _spec("ESG-LIB-002", "error", "invalid library entry", "库条目无效",
          "field {field}: expected {expected}, found {found}",
          "字段 {field}：应为 {expected}，实际为 {found}"),
    _spec("ESG-LIB-003", "error", "duplicate code", "代码重复",
          "code {found} is defined twice (first at {first})",
          "代码 {found} 重复定义（首次出现在 {first}）"),
    _spec("ESG-LIB-004", "error", "unknown framework reference", "未知的框架引用",
          "{framework} has no code {found}",
          "{framework} 中不存在代码 {found}"),
    _spec("ESG-LIB-005", "error", "formula cannot be parsed", "公式无法解析",
          "formula {formula}: {found}",
          "公式 {formula}：{found}"),
    _spec("ESG-LIB-006", "error", "formula names an unknown indicator or dimension",
          "公式引用了未知的指标或维度",
          "formula {formula}: {found} is not in the library",
          "公式 {formula}：库中不存在 {found}"),
    _spec("ESG-LIB-007", "error", "formula unit does not fit", "公式单位不匹配",
          "formula {formula} gives {found}, which cannot be expressed in {expected}",
          "公式 {formula} 的结果单位为 {found}，无法换算为 {expected}"),
    _spec("ESG-LIB-008", "error", "unknown unit", "未知单位",
          "unit {found} is not known",
          "单位 {found} 无法识别"),
    _spec("ESG-LIB-009", "error", "formulas depend on each other in a cycle", "公式循环依赖",
          "cycle: {found}", "循环依赖：{found}"),
    # --- withdrawing facts (workspace_facts.py) ----------------------------------------
    _spec("ESG-FACT-001", "error", "no current value to withdraw", "没有可撤回的当前值",
          "{entity} {indicator} {period} {dims}: the ledger has no current value for this key; nothing was "
          "withdrawn (a withdrawal of several keys is one transaction)",
          "{entity} {indicator} {period} {dims}：台账中该键没有当前值；未撤回任何数据（多个键的撤回是同一个事务）"),
    _spec("ESG-FACT-002", "error", "a calculated value cannot be withdrawn by hand", "计算值不能手工撤回",
          "{entity} {indicator} {period} {dims} is {found}: a calculation run withdraws the values it no "
          "longer produces; withdraw its inputs instead; nothing was withdrawn",
          "{entity} {indicator} {period} {dims} 为{found}：计算运行会撤回其不再产生的值；请撤回其输入数据；未撤回任何数据"),
    # --- command line (cli.py) --------------------------------------------------------
    _spec("ESG-CLI-001", "error", "invalid option value", "选项取值无效",
          "{field} {found}: expected {expected}", "{field} {found}：应为 {expected}"),
    # --- workspaces (workspace.py, workspace_config.py, demo/build.py) -----------------
    _spec("ESG-WS-001", "error", "no workspace", "不是工作区",
          "no workspace here (missing esgledger.toml); create one with `esgledger init {found}`",
          "此处不是工作区（缺少 esgledger.toml）；请先用 `esgledger init {found}` 创建"),
    _spec("ESG-WS-002", "error", "workspace already exists", "工作区已存在",
          "this folder already holds a workspace (esgledger.toml)",
          "该目录已经是一个工作区（esgledger.toml）"),
    _spec("ESG-WS-003", "error", "invalid workspace setting", "工作区配置无效",
          "{field} = {found}: expected one of {expected}",
          "{field} = {found}：应为 {expected} 之一"),
    _spec("ESG-WS-004", "error", "no entities yet", "尚无主体",
          "the workspace has no entities yet: import an entity tree first (`esgledger entities import`)",
          "工作区尚无主体：请先导入主体树（`esgledger entities import`）"),
    _spec("ESG-WS-005", "error", "not a demo folder", "不是演示工作区",
          "this folder holds a workspace that is not a demo: refusing to overwrite it",
          "该目录中的工作区不是演示工作区，拒绝覆盖"),
    _spec("ESG-WS-006", "error", "demo on a server database", "演示数据位于数据库服务器",
          "this demo keeps its store on a database server: build the demo in a new folder",
          "该演示工作区的数据存储在数据库服务器上：请在新目录中重新生成演示"),
    # --- entity tree ------------------------------------------------------------------
    _spec("ESG-WS-007", "error", "cannot create the workspace folder", "无法创建工作区目录",
          "{found}", "{found}"),
    _spec("ESG-WS-008", "error", "the store cannot be opened", "无法打开数据存储",
          "store {field}: {found}; check the URL, that the server runs and that the database exists",
          "数据存储 {field}：{found}；请检查地址、服务器是否运行以及数据库是否存在"),
    _spec("ESG-WS-009", "error", "the settings file cannot be read", "工作区配置文件无法读取",
          "expected {expected}, found {found}",
          "应为 {expected}，实际为 {found}"),
    _spec("ESG-WS-010", "error", "an indicator that cannot be collected by month", "该指标不能按月收集",
          "{field}: {found} is not a numeric input indicator of the library (only those are collected by "
          "month; see esgledger indicators list){near}",
          "{field}：{found} 不是指标库中的数值型输入指标（只有这类指标可以按月收集；见 esgledger indicators list）{near}"),
    _spec("ESG-ENT-001", "error", "entity tree has a cycle", "组织树存在循环",
          "entity {entity} is its own ancestor: {found}",
          "主体 {entity} 成为了自己的上级：{found}"),
    _spec("ESG-ENT-002", "error", "unknown parent entity", "上级主体不存在",
          "parent {found} of {entity} is not defined",
          "{entity} 的上级 {found} 未定义"),
    _spec("ESG-ENT-003", "error", "equity share out of range", "持股比例超出范围",
          "equity share of {entity} must be between 0 and 100 %, found {found}",
          "{entity} 的持股比例应在 0–100% 之间，实际为 {found}"),
    _spec("ESG-ENT-004", "error", "overlapping membership validity", "隶属关系有效期重叠",
          "memberships of {entity} overlap: {found}",
          "{entity} 的隶属关系有效期重叠：{found}"),
    _spec("ESG-ENT-005", "error", "invalid entity field", "主体字段无效",
          "field {field} of {entity}: expected {expected}, found {found}",
          "{entity} 的字段 {field}：应为 {expected}，实际为 {found}"),
    _spec("ESG-ENT-006", "error", "entity defined twice with different attributes",
          "主体重复定义且属性不一致",
          "entity {entity} is defined again with different {field}",
          "主体 {entity} 被重复定义，且 {field} 不一致"),
    _spec("ESG-ENT-007", "error", "malformed entity file", "主体文件格式错误",
          "expected {expected}, found {found}", "应为 {expected}，实际为 {found}"),
    _spec("ESG-ENT-008", "error", "captive plant attribute names no power plant", "自备电厂属性未指向电厂",
          "attrs.captive_plant of {entity} names {found}, {reason}: it must name the captive power plant that "
          "supplies {entity} (an entity of the tree with process_type power_plant); nothing was imported",
          "{entity} 的 attrs.captive_plant 为 {found}，{reason}：应为向 {entity} 供电的自备电厂"
          "（组织树中 process_type 为 power_plant 的主体）；未导入任何数据"),
    # --- fact import (interchange format) ---------------------------------------------
    _spec("ESG-IMPORT-001", "error", "missing column", "缺少列",
          "required column {expected} is missing (found: {found}){hint}",
          "缺少必需的列 {expected}（现有列：{found}）{hint}"),
    _spec("ESG-IMPORT-002", "error", "empty file", "文件为空",
          "the file has no data rows", "文件中没有数据行"),
    _spec("ESG-IMPORT-003", "error", "unknown entity", "未知主体",
          "entity {found} is not in the entity tree{near}", "组织树中不存在主体 {found}{near}"),
    _spec("ESG-IMPORT-004", "error", "unknown indicator", "未知指标",
          "indicator {found} is not in the indicator library{near}", "指标库中不存在指标 {found}{near}"),
    _spec("ESG-IMPORT-005", "error", "bad period", "期间格式错误",
          "period {found}: expected a year (2024), a month (2024-03) or a quarter (2024-Q1)",
          "期间 {found} 无效：应为年份（2024）、月份（2024-03）或季度（2024-Q1）"),
    _spec("ESG-IMPORT-006", "error", "value is not a number", "数值不是数字",
          "found \"{found}\", expected a decimal number",
          "实际为“{found}”，应为十进制数字"),
    _spec("ESG-IMPORT-007", "error", "incompatible unit", "单位不兼容",
          "unit {found} cannot be converted to {expected} (indicator {indicator})",
          "单位 {found} 无法换算为 {expected}（指标 {indicator}）"),
    _spec("ESG-IMPORT-008", "error", "unknown unit", "未知单位",
          "unit {found} is not known (indicator {indicator} is in {expected})",
          "无法识别单位 {found}（指标 {indicator} 的单位为 {expected}）"),
    _spec("ESG-IMPORT-009", "error", "duplicate row", "重复行",
          "the same fact ({found}) is given again; first at {first}",
          "同一数据（{found}）重复出现；首次出现在 {first}"),
    _spec("ESG-IMPORT-010", "error", "file cannot be read", "文件无法读取",
          "expected {expected}: {found}", "应为 {expected}：{found}"),
    _spec("ESG-IMPORT-011", "error", "dimension or member not allowed", "维度或成员不允许",
          "indicator {indicator} does not take {found}; allowed: {expected}",
          "指标 {indicator} 不支持 {found}；允许：{expected}"),
    _spec("ESG-IMPORT-012", "error", "text encoding not recognised", "文本编码无法识别",
          "expected UTF-8 (with or without BOM) or GBK/GB18030: {found}",
          "应为 UTF-8（可带 BOM）或 GBK/GB18030 编码：{found}"),
    _spec("ESG-IMPORT-013", "error", "value not allowed", "取值不允许",
          "{found} is not one of {expected} (indicator {indicator})",
          "{found} 不在允许的取值 {expected} 中（指标 {indicator}）"),
    _spec("ESG-IMPORT-014", "error", "value out of range", "数值超出范围",
          "found {found}, expected {expected} (indicator {indicator})",
          "实际为 {found}，应为 {expected}（指标 {indicator}）"),
    _spec("ESG-IMPORT-015", "error", "derived indicator cannot be imported", "派生指标不能导入",
          "indicator {indicator} is computed ({found}); import its inputs instead",
          "指标 {indicator} 由计算得出（{found}），请导入其输入数据"),
    _spec("ESG-IMPORT-016", "error", "missing value", "缺少数值",
          "column {field} is empty", "列 {field} 为空"),
    _spec("ESG-IMPORT-017", "error", "bad status", "状态无效",
          "status {found}: expected one of {expected}", "状态 {found} 无效：应为 {expected} 之一"),
    _spec("ESG-IMPORT-018", "error", "unknown column", "未知列",
          "column {found} is not part of the interchange format (a misspelt dimension?): expected {expected}",
          "列 {found} 不属于交换格式（维度名称拼写有误？）：应为 {expected}"),
    _spec("ESG-IMPORT-019", "error", "not an entered value", "不是填报值",
          "{field} {found}: only entered (own) values can be imported; {why}",
          "{field} 为 {found}：只能导入填报值（本级数据）；{why}"),
    _spec("ESG-IMPORT-020", "error", "entered value does not give the value", "填报值与数值不符",
          "{found} does not give {expected} (indicator {indicator}): correct value or value_entered, "
          "or empty value_entered and unit_entered so that value and unit are what was entered",
          "{found} 与 {expected} 不符（指标 {indicator}）：请更正 value 或 value_entered，"
          "或清空 value_entered 与 unit_entered，以 value 与 unit 作为填报值"),
    _spec("ESG-IMPORT-021", "warning", "calculated values skipped", "已跳过计算值",
          "{n} rows with the status calculated (the first at {first}) were not imported: calculated values "
          "are not entered; `esgledger calc run` computes them again from the imported values",
          "{n} 行状态为 calculated（首行 {first}），未导入：计算值不是填报值，"
          "由 `esgledger calc run` 根据导入的数据重新计算"),
    _spec("ESG-IMPORT-022", "warning", "status column replaced", "状态列被替换",
          "the import gives every fact the status {status}: the file's status column said otherwise in "
          "{n} rows ({found})",
          "本次导入将所有数据的状态设为 {status}：文件状态列中有 {n} 行与之不同（{found}）"),
    _spec("ESG-IMPORT-023", "error", "status not yours to set", "无权设定该状态",
          "status {found} at {entity}: {user} may not review values there; import with "
          "`--status submitted` to submit them for review, or ask a reviewer to import the file",
          "状态 {found}（{entity}）：{user} 无权审核该主体的数据；请以 `--status submitted` 导入并提交审核，"
          "或请审核人导入该文件"),
    _spec("ESG-IMPORT-024", "error", "a cell under no column", "单元格不在任何列下",
          "{found} in column {position} has no column heading (the header names {n} columns): head the "
          "column (a dimension code such as gender) or remove the cell",
          "第 {position} 列的 {found} 没有列标题（表头共 {n} 列）：请为该列写上标题（如维度代码 gender）或删除该单元格"),
    _spec("ESG-IMPORT-025", "error", "a column given twice", "列重复",
          "column {found} gives {field} again (first as {first}): keep one of the two",
          "列 {found} 再次表示 {field}（首次为列 {first}）：请只保留其中一列"),
    # --- validation rules over the ledger (warnings) -----------------------------------
    _spec("ESG-VAL-001", "warning", "breakdown does not add up to its total", "分项之和与合计不符",
          "{named} {period} at {entity}: the {field} breakdown sums to {found}, total is {expected}",
          "{entity} {period} 的 {named}：按 {field} 分项之和为 {found}，合计为 {expected}"),
    _spec("ESG-VAL-002", "warning", "reported figure disagrees with its formula", "填报值与公式计算值不符",
          "{named} {period} at {entity}: reported {found}, but {formula} gives {expected}",
          "{entity} {period} 的 {named}：填报值为 {found}，而按 {formula} 计算为 {expected}"),
    _spec("ESG-VAL-003", "warning", "target marked achieved but the figure says otherwise",
          "目标标记为已达成但数据不符",
          "{named} {period} at {entity}: target {expected} is marked achieved, but the ledger has {found}",
          "{entity} {period} 的 {named}：目标 {expected} 标记为已达成，但台账数据为 {found}"),
    _spec("ESG-VAL-004", "warning", "value outside its indicator's range", "数值超出指标允许范围",
          "{named} {period} at {entity}: {found} is out of range, expected {expected}",
          "{entity} {period} 的 {named}：{found} 超出允许范围（应为 {expected}）"),
    _spec("ESG-VAL-005", "warning", "parts exceed the figure they are part of", "细分之和大于其所属数值",
          "{named} {period} at {entity}: the parts by {field} add up to {found}, more than its {expected}",
          "{entity} {period} 的 {named}：按 {field} 细分之和为 {found}，大于其所属数值 {expected}"),
    _spec("ESG-VAL-006", "warning", "large change from last year", "与上年相比变化过大",
          "{named} {period} at {entity}: {found} is {change} from {expected} (threshold ±{threshold} %)",
          "{entity} {period} 的 {named}：{found} 较 {expected} 变化 {change}（阈值 ±{threshold}%）"),
    _spec("ESG-VAL-007", "warning", "a part larger than its whole", "分项数值大于其所属总量",
          "{named} {period} at {entity}: {found} is more than the {whole} it is part of ({expected})",
          "{entity} {period} 的 {named}：{found} 大于其所属的{whole}（{expected}）"),
    _spec("ESG-VAL-008", "warning", "ten times last year's or more", "与上年相比相差十倍以上",
          "{named} {period} at {entity}: {found} is {ratio} {expected} (an indicator without its own change "
          "threshold is named at ten times or a tenth of last year's); check the unit it was entered in",
          "{entity} {period} 的 {named}：{found} 是 {expected} 的 {ratio}（未设变化阈值的指标，达到上年的 10 倍以上或"
          "十分之一以下时提示）；请核对填报单位"),
    # --- calculation -------------------------------------------------------------------
    _spec("ESG-CALC-001", "warning", "formula input missing", "公式输入缺失",
          "{named} {period} at {entity} not computed: {found} has no value",
          "{entity} {period} 的 {named} 未计算：{found} 无数据"),
    _spec("ESG-CALC-002", "warning", "division by zero", "除数为零",
          "{named} {period} at {entity} not computed: {found} is zero",
          "{entity} {period} 的 {named} 未计算：{found} 为零"),
    _spec("ESG-CALC-003", "error", "no emission factor for an activity", "活动数据缺少排放因子",
          "activity {found} ({expected}) has no emission factor in the chosen factor sets",
          "活动 {found}（{expected}）在所选因子集中没有排放因子"),
    _spec("ESG-CALC-004", "error", "activity unit does not fit its factor", "活动数据单位与因子不匹配",
          "activity {named} is in {found}, but its factor is per {expected}",
          "活动 {named} 的单位为 {found}，而其排放因子的单位为每 {expected}"),
    _spec("ESG-CALC-005", "warning", "a methodology could not run", "核算方法无法执行",
          "{named} {period} at {entity}: {found}",
          "{entity} {period} 的 {named}：{found}"),
    _spec("ESG-CALC-006", "warning", "target cannot be assessed", "目标无法评估",
          "target {field} ({named} at {entity}): no value for {found} in the ledger, and no "
          "baseline_value in {expected}",
          "目标 {field}（{entity} 的 {named}）：台账中没有 {found} 的数据，{expected} 中也未给出 baseline_value"),
    _spec("ESG-CALC-007", "warning", "a calculated value is no longer produced", "计算值不再产生",
          "{named} {period} at {entity} ({found}): this run no longer computes it (an input "
          "withdrawn or changed, or a method that cannot run: see any warnings above), so the run "
          "withdraws it; history keeps the earlier value",
          "{entity} {period} 的 {named}（{found}）：本次运行已不再计算该值（输入被撤回或更改，或核算方法无法运行，"
          "见上文警告），已撤回；历史记录保留此前的值"),
    _spec("ESG-CALC-008", "warning", "a default used for want of the entity's own data", "缺少实测数据，采用缺省值",
          "{named} {period} at {entity}: {found}; give {expected} for a measured figure",
          "{entity} {period} 的 {named}：{found}；如需按实测核算，请填报{expected}"),
    _spec("ESG-CALC-009", "warning", "an entered value replaced by the calculated one", "填报值被计算值取代",
          "{named} {period} at {entity}: the value entered, {found}, is replaced by {expected} computed from "
          "the entity's activity data (the methods compute this figure; enter its activity data instead)",
          "{entity} {period} 的 {named}：填报值 {found}已被按该主体活动数据计算的 {expected} 取代（该指标由核算方法"
          "计算，请填报其活动数据）"),
    _spec("ESG-CALC-010", "warning", "a product figure without the stage's electricity", "产品碳足迹缺少该工序的电力数据",
          "{named} {period} at {entity} ({field}): no electricity of the stage's entities ({found}) could "
          "be counted (none reported, or captive electricity without the captive plant's factor for the period), "
          "so the figure holds their direct emissions only; report electricity_received and the plant's data",
          "{entity} {period} 的 {named}（{field}）：该工序的主体（{found}）没有可计入的用电（未填报用电量，"
          "或自备电厂本期无供电排放因子），该数值只含其直接排放；请填报 electricity_received 及自备电厂数据"),
    _spec("ESG-CALC-011", "warning", "captive electricity not counted", "自备电量未计入",
          "{named} {period} at {entity} ({field}): {found} of captive electricity taken by {expected} is not "
          "counted, because the captive plant has no factor per MWh supplied for the period (its coal, "
          "limestone or power supplied not reported): the figure is too low until the plant's data is in",
          "{entity} {period} 的 {named}（{field}）：{expected} 取用的自备电量 {found} 未计入，因为自备电厂本期没有"
          "供电排放因子（燃煤、石灰石或供电量未填报）；在电厂数据填报之前，该数值偏低"),
    _spec("ESG-CALC-012", "warning", "electricity consumed without its supplier", "用电量缺少供电来源",
          "{named} {period} at {entity}: {found} of the electricity consumed is not in its electricity_received "
          "by supplier (which adds up to {expected}), so Scope 2, energy consumption and product figures leave it out; enter "
          "electricity_received by supplier (grid, captive, green_contract, green_certificate), or the fuel of "
          "the entity's own generation",
          "{entity} {period} 的 {named}：用电量中有 {found}没有按供电来源填报 electricity_received（按来源填报的合计为 "
          "{expected}），范围二、综合能耗和产品碳足迹均未计入这部分；请按电力来源（supplier：电网 grid、自备电厂 captive、"
          "绿电交易 green_contract、绿证 green_certificate）填报分来源用电量 electricity_received，自发电的请填报所用燃料"),
    _spec("ESG-CALC-013", "warning", "purchased electricity counted as grid electricity", "外购电量按电网电力计入",
          "{named} {period} at {entity}: {found} of the {expected} bought is not broken "
          "down by supplier in electricity_received, so it is counted as grid electricity without contractual "
          "instruments: Scope 2 location-based at the grid factor of the entity's area, market-based at the "
          "residual-mix factor, and in energy consumption and product figures; if part of it came under "
          "green-power contracts or certificates, enter electricity_received by supplier",
          "{entity} {period} 的 {named}共 {expected}，其中 {found}未按供电来源填报 electricity_received，"
          "已按无合同工具的电网电力计入：范围二基于位置按该主体所在地区的电网排放因子计算，"
          "基于市场按剩余组合因子（不含市场化交易非化石能源电量的电力排放因子）计算，"
          "并计入综合能耗和产品碳足迹；如其中有绿电交易或绿证电量，请按供电来源填报 electricity_received"),
    _spec("ESG-CALC-014", "warning", "a share over the entities that reported its breakdown",
          "占比仅按填报了分项的主体计算",
          "{named} {period} at {entity} is computed only over the entities that reported both {field} and its "
          "total, covering {found}; left out of the numerator and the denominator alike: {expected}. A share "
          "for the whole of {entity} needs {field} from each of them",
          "{entity} {period} 的 {named}仅按同时填报了{field}及其合计的主体计算，覆盖 {found}；以下主体未填报该分项，"
          "已从分子和分母中同时剔除：{expected}。如需 {entity} 全口径的占比，请上述主体补充填报{field}"),
    _spec("ESG-CALC-015", "warning", "a cradle-to-gate figure without its upstream input",
          "缺少上游投入，未计算从摇篮到大门的碳足迹",
          "{named} {period} at {entity} ({field}) not computed: it needs {found}. The product view is "
          "cradle-to-gate inside the group; the stage's own emissions ({expected}) leave out the metal it "
          "takes in, so no gate-to-gate figure is written under that label",
          "{entity} {period} 的 {named}（{field}）未计算：需要{found}。产品视图为集团内从摇篮到大门的口径，"
          "该工序自身排放（{expected}）不含其投入的金属，因此不以该口径写入仅含本工序排放的数值"),
    _spec("ESG-CALC-016", "warning", "data on file not used: one method per source", "已填报的数据未使用：每个排放源只用一种方法",
          "{named} {period} at {entity} is not used: {field} is computed by {found}, which the run takes "
          "when the data of both methods are on file, not by {expected}",
          "{entity} {period} 的 {named}未使用：{field}按{found}计算（两种方法的数据均已填报时采用该方法），"
          "未按{expected}计算"),
    _spec("ESG-CALC-017", "warning", "captive electricity without its plant", "自备电量未指明供电电厂",
          "{named} {period} at {entity}: its {found} from captive plants is not counted in the product view "
          "({field}): the group has several captive plants supplying power this period ({expected}) and neither "
          "{entity} nor a parent names the one that supplies it, so the stage's product figures leave it out "
          "and are marked incomplete; name the plant in the entity file: attrs: {{captive_plant: <plant code>}}",
          "{entity} {period} 的 {named}中来自自备电厂的 {found}未计入产品口径（{field}）：集团本期有多个供电的"
          "自备电厂（{expected}），而 {entity} 及其上级均未指明由哪一个供电，该工序的产品碳足迹未计入这部分电量，"
          "并标注为不完整；请在主体文件中指明电厂：attrs: {{captive_plant: 电厂代码}}"),
    _spec("ESG-CALC-020", "warning", "a monthly indicator's year not made: months missing", "月度指标缺少月份，未生成年度值",
          "{named} {period} at {entity} ({field}) has {found} of its 12 months on file: its year is made from its "
          "months (the sum of the twelve; a stock takes December's), so it is not made; missing: {expected}. "
          "Enter those months (a year entered as a year stands meanwhile)",
          "{entity} {period} 的 {named}（{field}）仅有 {found} 个月（共 12 个月）的数据：其年度值由各月生成（十二个月之和；"
          "存量指标取十二月的值），因此未生成；缺少：{expected}。请补充这些月份（在此之前，按年填报的值保持有效）"),
    _spec("ESG-CALC-021", "warning", "a year entered replaced by its months", "按年填报的值被各月合计取代",
          "{named} {period} at {entity} ({field}): the year entered, {found}, is replaced by {expected} made "
          "from its twelve months (the indicator is collected by month; correct the months, not the year)",
          "{entity} {period} 的 {named}（{field}）：按年填报的 {found}已被十二个月生成的 {expected}取代"
          "（该指标按月填报，请更正各月数据而非年度值）"),
    # --- users and access (store/access.py) ---------------------------------------------
    _spec("ESG-ACCESS-001", "error", "sign-in failed", "登录失败",
          "unknown user or wrong password for {user}", "用户 {user} 不存在或密码错误"),
    _spec("ESG-ACCESS-002", "error", "user disabled", "用户已停用",
          "user {user} is disabled", "用户 {user} 已停用"),
    _spec("ESG-ACCESS-003", "error", "not permitted", "无权操作",
          "{user} ({role}) may not {action}: {found}", "{user}（{role}）无权{action}：{found}"),
    _spec("ESG-ACCESS-004", "error", "outside your part of the group", "超出授权范围",
          "{user} may {action} only {expected}; refused: {found}",
          "{user} 只能在 {expected}范围内{action}；已拒绝：{found}"),
    _spec("ESG-ACCESS-005", "error", "user already exists", "用户已存在",
          "a user {user} already exists", "用户 {user} 已存在"),
    _spec("ESG-ACCESS-006", "error", "invalid user or grant", "用户或授权无效",
          "{found}: expected {expected}", "{found}：应为 {expected}"),
    _spec("ESG-ACCESS-007", "error", "password too short", "密码太短",
          "expected at least {expected} characters, found {found}", "至少需要 {expected} 个字符，实际为 {found} 个"),
    _spec("ESG-ACCESS-008", "error", "unknown user", "用户不存在",
          "there is no user {user}", "不存在用户 {user}"),
    # --- collection workbooks read back (collect/filled.py; campaign and checksum: submission.py) -----
    _spec("ESG-TPL-001", "error", "not a campaign workbook", "不是数据收集模板",
          "expected a workbook made by `esgledger collect templates`: {found}",
          "应为 `esgledger collect templates` 生成的工作簿：{found}"),
    _spec("ESG-TPL-002", "error", "template format not supported", "模板格式版本不受支持",
          "format version {found}, expected {expected}: generate the workbook again",
          "格式版本为 {found}，应为 {expected}：请重新生成工作簿"),
    _spec("ESG-TPL-003", "error", "workbook of another campaign", "工作簿属于其他收集任务",
          "the workbook belongs to {found}, expected {expected}",
          "该工作簿属于 {found}，应为 {expected}"),
    _spec("ESG-TPL-004", "error", "workbook of another entity", "工作簿属于其他主体",
          "the workbook is for {found}, expected {expected}",
          "该工作簿属于 {found}，应为 {expected}"),
    _spec("ESG-TPL-005", "error", "workbook structure does not match its checksum", "工作簿结构校验失败",
          "{found}: the workbook was changed outside its input cells, or what {expected} asks changed "
          "since it was generated (its indicators, or the members of their dimensions, such as the "
          "workspace's suppliers); generate it again",
          "{found}：工作簿在填报单元格之外被修改，或 {expected} 所要求填报的内容在生成后已变更（指标，或其维度成员，如工作区的供应商）；请重新生成"),
    _spec("ESG-TPL-006", "error", "sheet missing", "工作表缺失",
          "sheet {expected} is missing (renamed or deleted); the workbook has: {found}",
          "缺少工作表 {expected}（被重命名或删除）；现有工作表：{found}"),
    _spec("ESG-TPL-007", "error", "sheet not in the template", "多余的工作表",
          "sheet {found} is not part of the template", "工作表 {found} 不属于模板"),
    _spec("ESG-TPL-008", "error", "rows changed", "行结构被修改",
          "found {found}, expected {expected}: rows were inserted, deleted or moved, or the names "
          "of what the row asks (a dimension member, such as a supplier) changed since the workbook "
          "was generated",
          "实际为 {found}，应为 {expected}：有行被插入、删除或移动，或该行所填报内容的名称（如供应商等维度成员）在工作簿生成后已更改"),
    _spec("ESG-TPL-009", "error", "locked cell changed", "锁定单元格被修改",
          "{field} of {indicator} reads {found}, expected {expected}",
          "{indicator} 的{field}为 {found}，应为 {expected}"),
    _spec("ESG-TPL-010", "error", "password-protected file", "文件受密码保护",
          "the file is encrypted with a password ({found}): remove the password and import again",
          "文件已用密码加密（{found}）：请取消密码后重新导入"),
    _spec("ESG-TPL-011", "warning", "cell outside the inputs changed, not imported", "填报单元格以外的内容被修改（不导入）",
          "found {found}, expected {expected}: the import reads only the value and comment columns, so this is "
          "not imported (a note belongs in the comment column)",
          "实际为 {found}，应为 {expected}：导入只读取数值列和备注列，此内容不会导入（说明请写在备注列）"),
    # --- collection campaigns, submissions and review (collect/) -------------------------
    _spec("ESG-COLLECT-001", "error", "value is not a number", "数值不是数字",
          "{indicator}: found \"{found}\", expected {expected}",
          "{indicator}：实际为“{found}”，应为{expected}"),
    _spec("ESG-COLLECT-002", "error", "formula in an input cell", "填报单元格含公式",
          "{indicator}: found the formula {found}; type the value itself (formulas are not accepted)",
          "{indicator}：填写了公式 {found}；请直接填写数值（不接受公式）"),
    _spec("ESG-COLLECT-003", "error", "value out of range", "数值超出范围",
          "{indicator}: found {found}, expected {expected}",
          "{indicator}：实际为 {found}，应为 {expected}"),
    _spec("ESG-COLLECT-004", "error", "value not in the list", "取值不在选项中",
          "{indicator}: found {found}, expected one of {expected}",
          "{indicator}：实际为 {found}，应为 {expected} 之一"),
    _spec("ESG-COLLECT-005", "warning", "large change from last year", "与上年相比变化过大",
          "{indicator}: {found} is {change} from last year's {expected} (threshold ±{threshold} %); explain it in the comment",
          "{indicator}：{found} 较上年 {expected} 变化 {change}（阈值 ±{threshold}%）；请在备注中说明"),
    _spec("ESG-COLLECT-006", "warning", "ratio out of range", "比率超出范围",
          "{indicator} = {formula} gives {found}, expected {expected}; check the inputs or explain them",
          "{indicator} = {formula} 的结果为 {found}，应为 {expected}；请检查输入数据或加以说明"),
    _spec("ESG-COLLECT-007", "error", "warning not explained", "提示未说明",
          "{indicator} at {entity}: warning {found} needs a comment from the submitter before submitting",
          "{entity} 的 {indicator}：提示 {found} 需要填报人在提交前填写备注说明"),
    _spec("ESG-COLLECT-008", "error", "not allowed in the entity's status", "当前状态不允许该操作",
          "{entity} is {found}; this needs {expected}{next}",
          "{entity} 当前状态为{found}；该操作要求状态为{expected}{next}"),
    _spec("ESG-COLLECT-009", "error", "changed since it was reviewed", "审核期间数据已变更",
          "{entity} changed since it was reviewed (version {found}, reviewed {expected}): review it again",
          "{entity} 在审核期间已变更（当前版本 {found}，审核版本 {expected}）：请重新审核"),
    _spec("ESG-COLLECT-010", "error", "no open campaign", "没有进行中的收集任务",
          "{found}{open}", "{found}{open}"),
    _spec("ESG-COLLECT-011", "error", "campaign already open", "收集任务已存在",
          "a campaign for {found} is already open ({expected})", "{found} 的收集任务已在进行中（{expected}）"),
    _spec("ESG-COLLECT-012", "error", "indicator not asked of this entity", "该主体无需填报此指标",
          "{indicator} is not assigned to {entity} in {expected}",
          "在 {expected} 中，{entity} 未被分配指标 {indicator}"),
    _spec("ESG-COLLECT-013", "error", "return needs a comment", "退回需要说明",
          "returning {entity} needs a comment on the entity or on at least one value",
          "退回 {entity} 需要对主体或至少一个数据填写意见"),
    _spec("ESG-COLLECT-014", "error", "evidence file cannot be read", "佐证文件无法读取",
          "{found}", "{found}"),
    _spec("ESG-COLLECT-015", "error", "no such fact", "数据不存在",
          "{entity} has no value of {indicator} for {found}", "{entity} 没有 {indicator} 在 {found} 的数据"),
    _spec("ESG-COLLECT-016", "error", "nothing to submit", "没有可提交的数据",
          "{entity} has no values in {expected}", "{entity} 在 {expected} 中没有任何数据"),
    _spec("ESG-COLLECT-017", "warning", "likely unit mistake", "疑似单位填错",
          "{indicator}: {found} is {ratio} {against}: most likely a unit mistake ({cause}). Enter the value in "
          "the unit of the Unit column; if the figure is right, start its comment with \"Verified:\" and say "
          "why (no other comment clears this warning, and the entity cannot be submitted without one)",
          "{indicator}：{found} 是{against}的 {ratio}，很可能是单位填错了（{cause}）。请按“单位”列的单位填写；"
          "如数值确实无误，请在该数据的备注中以“已核实：”开头说明原因（其他备注不能消除此提示，否则无法提交）"),
    _spec("ESG-COLLECT-018", "warning", "ten times last year's or more", "与上年相比相差十倍以上",
          "{indicator}: {found} is {ratio} last year's {expected} (an indicator without its own change "
          "threshold is flagged at ten times or a tenth of last year's); explain it in the comment",
          "{indicator}：{found} 是上年 {expected} 的 {ratio}（未设变化阈值的指标，达到上年的 10 倍以上或"
          "十分之一以下时提示）；请在备注中说明"),
    _spec("ESG-COLLECT-019", "warning", "most values blank", "大部分数据为空白",
          "{entity}: {filled} of the {assigned} indicators asked have a value, {blank} are blank; "
          "make sure nothing is missing ({action} goes ahead)",
          "{entity} 已填 {filled}/{assigned} 项，空白 {blank} 项；请确认没有遗漏（仍已{action}）"),
    _spec("ESG-COLLECT-020", "error", "percentage typed in a cell not in %", "非百分比指标填写了百分数",
          "{indicator}: the cell was typed as a percentage ({found}, which Excel keeps as {stored}); this "
          "indicator takes {expected}: clear the cell and type the number without a % sign",
          "{indicator}：该单元格按百分数填写（{found}，Excel 实际保存为 {stored}）；此指标应填{expected}："
          "请清除该单元格，重新填写数字，不要带 % 号"),
    _spec("ESG-COLLECT-021", "error", "version does not exist yet", "版本尚不存在",
          "{entity} is at version {found}; there is no version {expected} yet: pass the version "
          "`esgledger collect review {entity}` shows",
          "{entity} 当前为版本 {found}，尚无版本 {expected}：请使用 `esgledger collect review {entity}` 显示的版本"),
    _spec("ESG-COLLECT-022", "error", "campaign closed", "收集任务已关闭",
          "{campaign} is closed, so {entity} cannot go back to its submitter ({action}): a closed campaign "
          "takes no more imports. Approve what was submitted (esgledger collect approve {entity} --period "
          "{period}), or open {period} again for {entity} (esgledger collect open --period {period} --entity "
          "{entity}) and collect the correction there",
          "{campaign} 已关闭，{entity} 不能再交回填报人（{action}）：已关闭的收集任务不再接受导入。请批准已提交的数据"
          "（esgledger collect approve {entity} --period {period}），或为 {entity} 重新开启 {period} 年度的收集任务"
          "（esgledger collect open --period {period} --entity {entity}），在其中收集更正"),
    # --- factor sets (library/factor_files.py, factor_library.py) ------------------------
    _spec("ESG-FACTOR-001", "error", "factor without a citation", "因子缺少出处",
          "factor {field} has no {expected}; every value must cite its source and edition",
          "因子 {field} 缺少{expected}；每个数值都必须注明出处和版本"),
    _spec("ESG-FACTOR-002", "error", "factor unit does not fit its key", "因子单位与键不匹配",
          "unit {found} of {field} cannot be expressed in {expected}",
          "{field} 的单位 {found} 无法换算为 {expected}"),
    _spec("ESG-FACTOR-003", "error", "overlapping validity", "因子有效期重叠",
          "{field} {found} overlaps the value at {first}",
          "{field} {found} 与 {first} 处数值的有效期重叠"),
    _spec("ESG-FACTOR-004", "error", "malformed factor file", "因子文件格式错误",
          "field {field}: expected {expected}, found {found}",
          "字段 {field}：应为 {expected}，实际为 {found}"),
    _spec("ESG-FACTOR-005", "error", "unknown factor key", "未知的因子键",
          "key {found} is not in the factor key catalogue",
          "因子键目录中不存在 {found}"),
    _spec("ESG-FACTOR-006", "error", "unknown unit", "未知单位",
          "unit {found} of {field} is not known",
          "{field} 的单位 {found} 无法识别"),
    _spec("ESG-FACTOR-007", "error", "defined twice", "重复定义",
          "{field} {found} is defined twice (first at {first})",
          "{field} {found} 重复定义（首次出现在 {first}）"),
    _spec("ESG-FACTOR-008", "error", "dimension not allowed for the key", "该因子键不支持此维度",
          "key {field} does not take {found}; allowed: {expected}",
          "因子键 {field} 不支持 {found}；允许：{expected}"),
    _spec("ESG-FACTOR-009", "error", "no factor value applies", "没有适用的因子",
          "no value of {field} for {found} in {expected}",
          "在 {expected} 中没有适用于 {found} 的 {field}"),
    _spec("ESG-FACTOR-010", "error", "more than one factor value applies", "适用的因子不唯一",
          "{field} for {found}: {expected} all apply; name the set or the date",
          "{found} 的 {field}：{expected} 均适用；请指定因子集或日期"),
    _spec("ESG-FACTOR-011", "error", "same factor in two sets of the same priority", "同一因子在同优先级的两个因子集中重复",
          "{field} {found} overlaps the value at {first}, in another of the workspace's sets at the same "
          "priority ({expected}): a calculation could not choose between them; give one set a higher "
          "priority or make the validities not overlap",
          "{field} {found} 与 {first} 处的数值有效期重叠，两者属于工作区中优先级相同（{expected}）的两个因子集，"
          "计算时无法取舍；请提高其中一个因子集的优先级，或使有效期不重叠"),
    _spec("ESG-FACTOR-012", "error", "factor value for an entity not in the tree", "因子所适用的主体不在主体树中",
          "{field} is for entity {found}, which is not in the workspace's entity tree ({expected})",
          "{field} 适用于主体 {found}，但工作区主体树中没有该主体（{expected}）"),
    _spec("ESG-FACTOR-013", "error", "two factor values for the same entity", "同一主体有两个因子取值",
          "{field} {found} and {other} at {first} are both for {entity}, with the same dimensions and "
          "overlapping validity: a calculation at {entity}, or under it where no nearer value applies, could "
          "not choose between them; {expected}",
          "{field} {found} 与 {first} 处的 {other} 都适用于 {entity}，且维度相同、有效期重叠：在 {entity} "
          "或其下属主体（没有更近主体的取值时）计算时无法取舍；{expected}"),
    _spec("ESG-FACTOR-014", "error", "two factor values as specific for different dimensions",
          "两个因子取值维度不同但同样具体",
          "{field} {found} and {other} at {first} name as many dimensions, and a lookup of {dims}{entity} "
          "matches both: a calculation could not choose between them; {expected}",
          "{field} {found} 与 {first} 处的 {other} 维度个数相同，{entity}查找 {dims} 时两者都适用："
          "计算时无法取舍；{expected}"),
    # --- report definitions and builds (report/definition.py, report/build.py) -----------
    _spec("ESG-REPORT-001", "error", "bad placeholder", "占位符格式错误",
          "{found}: expected {expected}",
          "{found}：应为 {expected}"),
    _spec("ESG-REPORT-002", "error", "placeholder names an unknown indicator", "占位符引用了未知指标",
          "{found} is not in the indicator library", "指标库中不存在 {found}"),
    _spec("ESG-REPORT-003", "error", "invalid report definition field", "报告定义字段无效",
          "field {field}: expected {expected}, found {found}",
          "字段 {field}：应为 {expected}，实际为 {found}"),
    _spec("ESG-REPORT-004", "error", "report definition cannot be read", "报告定义无法读取",
          "expected {expected}: {found}", "应为 {expected}：{found}"),
    _spec("ESG-REPORT-005", "error", "unknown framework code", "未知的框架条款",
          "{framework} has no code {found}", "{framework} 中不存在条款 {found}"),
    _spec("ESG-REPORT-006", "error", "unknown entity or dimension", "未知主体或维度",
          "{found}: expected {expected}", "{found}：应为 {expected}"),
    _spec("ESG-REPORT-007", "warning", "no value for a placeholder", "占位符无对应数据",
          "{found}: the ledger has no value for {indicator} {period} at {entity}; printed as a dash",
          "{found}：台账中没有 {entity} {period} 年的 {indicator}，以“—”显示"),
    _spec("ESG-REPORT-008", "warning", "narrative texts are a sample", "叙述文字为示例",
          "taken from the report of {found}: rewrite them for your organisation, then delete sample_of "
          "from the report definition",
          "取自{found}的报告，请改写为本公司的内容，然后从报告定义中删除 sample_of"),
    _spec("ESG-REPORT-009", "error", "no figures on the report's consolidation basis", "缺少报告合并口径的数据",
          "the report prints the figures of {entity} on the {basis} basis, and the ledger has none for "
          "{years}{other}; nothing was written: run {fix}",
          "报告按{basis}列示 {entity} 的数据，台账中没有 {years} 年按该口径计算的数据{other}；未生成任何文件："
          "请运行 {fix}"),
    _spec("ESG-REPORT-010", "error", "no facts for the reporting year", "报告年度没有数据",
          "the ledger has no facts of {entity} or the entities below it for {period}; nothing was written: "
          "check the reporting year (--period, or period in the report definition), or import the year's "
          "data (esgledger facts import) and run esgledger calc run --period {period}",
          "台账中没有 {entity} 及其下属主体 {period} 年的任何数据；未生成任何文件：请检查报告年度（--period "
          "或报告定义的 period），或导入该年数据（esgledger facts import）后运行 esgledger calc run --period {period}"),
    _spec("ESG-REPORT-011", "warning", "comparison years without facts", "对比年度没有数据",
          "the ledger has no facts of {entity} or the entities below it for {years}: those columns print "
          "as dashes (placeholders of those years are not listed one by one)",
          "台账中没有 {entity} 及其下属主体 {years} 年的任何数据：这些年度的列以“—”显示（不再逐个列出这些年度的占位符）"),
    _spec("ESG-REPORT-012", "error", "output folder cannot be used", "输出文件夹不可用",
          "{found}: expected {expected}; nothing was written",
          "{found}：应为{expected}；未生成任何文件"),
])


@dataclass(frozen=True)
class Location:
    """Where a problem comes from: a file with a sheet and cell, a line, or a field."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    line: int | None = None
    column: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        out = self.file or ""
        if self.sheet is not None:
            out += (":" if out else "") + f"{self.sheet}!{self.cell or ''}"
        elif self.cell is not None:
            out += (":" if out else "") + self.cell
        elif self.line is not None:
            out += (":" if out else "") + str(self.line)
        if self.column:
            out += f" [{self.column}]"
        if self.field:
            out += f" ({self.field})"
        return out.strip() or "-"

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    def text(self, lang: str = "en") -> str:
        """As ``str()``, for a reader of ``lang``: in Chinese, a field that is a word (an access
        right, ``version``, an argument such as ``INDICATOR``) by its Chinese name, and the
        breakdowns in a key by their Chinese names (``性别=女性（gender=female）``)."""
        if lang != "zh" or not self.field:
            return str(self)
        named = FIELD_NAMES_ZH.get(self.field)
        return str(replace(self, field=named or dims_zh(self.field)))


# fields of a problem's location that are words, not codes, in Chinese: the access rights
# (store/access.py ACTIONS), the review's and the users' fields, and the arguments of commands
FIELD_NAMES_ZH = {
    "read": "读取", "write": "写入", "submit": "提交", "review": "审核", "campaign": "收集任务",
    "audit": "审计", "evidence": "证明材料", "users": "用户管理",
    "value_comments": "数据意见", "version": "版本", "comment": "说明", "password": "密码",
    "user": "用户", "username": "用户名", "role": "角色", "status": "状态", "entity": "主体",
    "entities": "主体", "indicator": "指标", "period": "期间", "dims": "细分",
    "INDICATOR": "指标", "ENTITY": "主体", "KEY": "因子键", "CODE": "代码", "PATH": "文件",
    "FILE": "文件", "USERNAME": "用户名", "PERIOD": "期间", "CAMPAIGN": "收集任务",
}

_DIMS: dict[str, tuple[str, dict[str, str]]] | None = None


def dimension_names_zh(dimensions=None) -> dict[str, tuple[str, dict[str, str]]]:
    """Dimensions' Chinese names, code → (name, {member code: name}): those of ``dimensions``
    (a library's, ``Library.dimensions``: with the workspace's own members, such as its
    suppliers), or without it the shipped ones (read once: a message has no library at hand)."""
    if dimensions is not None:
        return {code: (d.name.zh, {m.code: m.name.zh for m in d.members}) for code, d in dimensions.items()}
    global _DIMS
    if _DIMS is None:
        from importlib import resources

        import yaml

        text = resources.files("esgledger.library").joinpath("data", "dimensions.yaml").read_text(encoding="utf-8")
        _DIMS = {d["code"]: (d["name"]["zh"], {m["code"]: m["name"]["zh"] for m in d.get("members") or ()})
                 for d in (yaml.safe_load(text) or {}).get("dimensions", [])}
    return _DIMS


_PAIR = re.compile(r"(?<![\w.])([a-z][a-z0-9_]*)=([a-z0-9][a-z0-9_]*)(?![\w.])")


def name_breakdowns(text: str, names: dict[str, tuple[str, dict[str, str]]], style: str = "codes") -> str:
    """``text`` with each ``dimension=member`` of ``names`` (:func:`dimension_names_zh`) named in
    Chinese, in one of two styles:

    * ``codes``, as messages show them: the codes after the names, ``gender=female`` →
      ``性别=女性（gender=female）``; a text that is only dimension codes (``gender``,
      ``gender, age_band``) → ``性别（gender）``, ``性别（gender）、年龄段（age_band）``;
    * ``names``, as the review table shows a breakdown: the names alone, ``supplier=grid`` →
      ``电力来源=电网`` — the form ``collect return --value`` accepts back.

    Anything else is left as it is (display only: stored keys keep their codes).

    >>> names = {"gender": ("性别", {"female": "女性"})}
    >>> name_breakdowns("gender=female", names), name_breakdowns("gender=female;x=y", names, "names")
    ('性别=女性（gender=female）', '性别=女性;x=y')
    """
    if style not in ("codes", "names"):
        raise ValueError(f"style {style!r}: expected 'codes' or 'names'")

    def pair(m: "re.Match") -> str:
        d = names.get(m[1])
        if d is None or m[2] not in d[1]:
            return m[0]
        return f"{d[0]}={d[1][m[2]]}" + (f"（{m[0]}）" if style == "codes" else "")

    parts = [p.strip() for p in re.split(r",|、", text)]
    if parts and all(p in names for p in parts):
        return "、".join(names[p][0] + (f"（{p}）" if style == "codes" else "") for p in parts)
    # a key in brackets (solid_fuel_consumption[fuel=bituminous], a factor key) stays a code
    return "".join(seg if seg.startswith("[") else _PAIR.sub(pair, seg)
                   for seg in re.split(r"(\[[^\]]*\])", text))


def dims_zh(text: str) -> str:
    """``text`` with each ``dimension=member`` of a shipped dimension named in Chinese, the codes
    after it (:func:`name_breakdowns`, style ``codes``): ``gender=female`` → ``性别=女性（gender=female）``."""
    return name_breakdowns(text, dimension_names_zh(), "codes")


@dataclass(frozen=True)
class Bilingual:
    """A parameter value that reads differently in each language (an "expected …" phrase)."""

    zh: str
    en: str

    def in_lang(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return self.en


@dataclass(frozen=True)
class Problem:
    code: str
    location: Location = field(default_factory=Location)
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise KeyError(f"problem code {self.code} is not in the catalogue")

    @property
    def spec(self) -> Spec:
        return CATALOGUE[self.code]

    @property
    def severity(self) -> Severity:
        return self.spec.severity

    def message(self, lang: str = "en") -> str:
        tmpl = self.spec.template_zh if lang == "zh" else self.spec.template_en
        title = self.spec.title_zh if lang == "zh" else self.spec.title_en
        params = _Defaulting({k: ("" if v is None else v.in_lang(lang) if isinstance(v, Bilingual) else v)
                              for k, v in self.params.items()})
        if lang == "zh":  # breakdowns by their Chinese names (display only)
            params = _Defaulting({k: dims_zh(v) if isinstance(v, str) and k not in ("indicator", "name") else v
                                  for k, v in params.items()})
        if "indicator" in params:  # {named}: the indicator by its name with its code, or the code
            name = params.get("name")
            params["named"] = (params["indicator"] if not name or name == params["indicator"] else
                               f"{name}（{params['indicator']}）" if lang == "zh" else f"{name} ({params['indicator']})")
        sep = "：" if lang == "zh" else ": "
        return title + sep + tmpl.format_map(params)

    def render(self, lang: str = "en") -> str:
        return f"{self.location.text(lang)}: {self.code} {self.message(lang)}"

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "location": self.location.as_dict(),
            "where": str(self.location),
            "message": self.message(lang),
            "params": {k: str(v) for k, v in self.params.items()},
        }


def indicator_name(library, code: str) -> Bilingual:
    """An indicator's name in both languages, as the param ``name`` of a problem whose template
    says ``{named}``; its code where ``library`` does not hold it."""
    ind = library.get(code)
    if ind is None:
        return Bilingual(code, code)
    return Bilingual(ind.name.get("zh") or code, ind.name.get("en") or code)


def name_indicators(problems: Iterable[Problem], library) -> None:
    """Give every problem that names an indicator (param ``indicator``) and not yet its name
    the indicator's name in both languages (:func:`indicator_name`)."""
    for p in problems:
        code = p.params.get("indicator")
        if "name" not in p.params and isinstance(code, str):
            p.params["name"] = indicator_name(library, code)


def near_miss(found: str, names: dict[str, str]) -> "Bilingual | str":
    """The codes whose code or name is closest to a mistyped ``found`` (``names``: code or name
    → code), as the tail of an unknown-code message: "; did you mean TLYX?" / "，是否为 TLYX？";
    "" when nothing is close. Case does not count: ``tlyx`` and ``EMPLOYEES`` are near misses
    of ``TLYX`` and ``employees``; a code that differs only in case comes first."""
    import difflib

    folded: dict[str, list[str]] = {}
    for n, code in names.items():
        folded.setdefault(str(n).casefold(), []).append(code)
    key = str(found).casefold()
    near = list(dict.fromkeys(folded.get(key, []) + [
        c for n in difflib.get_close_matches(key, list(folded), n=5, cutoff=0.6) for c in folded[n]]))[:3]
    if not near:
        return ""
    return Bilingual(f"，是否为 {'、'.join(near)}？", f"; did you mean {', '.join(near)}?")


def reason(exc: BaseException) -> Bilingual:
    """Why a file or store could not be read, in both languages: the OS, zip, codec, YAML,
    TOML, CSV and database errors a user meets get a translated reason; the library's own
    (English) text follows only in the English one, as a detail. Anything else is named by its
    exception type in Chinese and by type and text in English."""
    import csv
    import errno
    import re
    import zipfile

    import yaml

    name = getattr(exc, "filename", None)
    if isinstance(exc, OSError) and exc.errno is not None:
        tail_zh = f"：{name}" if name else ""
        tail_en = f": {name}" if name else ""
        if exc.errno == errno.ENOENT:
            return Bilingual("文件不存在" + tail_zh, "no such file" + tail_en)
        if exc.errno == errno.EISDIR:
            return Bilingual("这是一个目录，不是文件" + tail_zh, "a folder, not a file" + tail_en)
        if exc.errno in (errno.EACCES, errno.EPERM):
            return Bilingual("没有读取权限" + tail_zh, "permission denied" + tail_en)
        zh = {errno.EEXIST: "已有同名文件", errno.ENOTDIR: "路径中有一段是文件而不是目录",
              errno.EROFS: "只读文件系统", errno.ENOSPC: "磁盘空间不足"}.get(exc.errno, f"操作系统错误（错误号 {exc.errno}）")
        return Bilingual(zh + tail_zh, f"{exc.strerror or exc}" + tail_en)
    if isinstance(exc, ModuleNotFoundError):  # a database driver that is not installed
        return Bilingual(f"未安装所需的模块 {exc.name}", str(exc))
    if isinstance(exc, zipfile.BadZipFile):
        return Bilingual("不是 .xlsx 所用的 ZIP 压缩包，或文件已损坏（可能被截断）",
                         f"not the zip container an .xlsx is, or damaged (perhaps truncated): {exc}")
    if isinstance(exc, KeyError):  # a workbook without one of its parts (xl/workbook.xml …)
        return Bilingual("缺少必需的部件（文件可能已损坏）", f"a required part is missing: {exc}")
    if isinstance(exc, EOFError):
        return Bilingual("文件提前结束（可能被截断）", "the file ends early (perhaps truncated)")
    if isinstance(exc, UnicodeDecodeError):
        return Bilingual(f"第 {exc.start} 字节处不是合法的 {exc.encoding.upper()} 编码",
                         f"not valid {exc.encoding.upper()} at byte {exc.start}")
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        return Bilingual(f"YAML 语法错误（第 {mark.line + 1} 行第 {mark.column + 1} 列）",
                         f"YAML syntax error at line {mark.line + 1}, column {mark.column + 1}: {exc.problem}")
    if isinstance(exc, yaml.YAMLError):
        return Bilingual("YAML 语法错误", f"YAML syntax error: {exc}")
    if type(exc).__name__ == "TOMLDecodeError":
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        at_zh = f"（第 {m[1]} 行第 {m[2]} 列）" if m else ""
        return Bilingual("TOML 语法错误" + at_zh, f"TOML syntax error: {exc}")
    if isinstance(exc, csv.Error):
        return Bilingual("CSV 格式错误（如引号不成对或字段过长）", f"CSV error: {exc}")
    said = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    if said and "unable to open database file" in said[0]:
        return Bilingual("无法打开数据库文件（所在目录是否存在、是否可写？）", said[0])
    if said and "Connection refused" in said[0]:
        return Bilingual("连接被拒绝（服务器是否在运行？）", said[0])
    if said and re.search(r'database ".*" does not exist', said[0]):
        return Bilingual("数据库不存在", said[0])
    if said and "password authentication failed" in said[0]:
        return Bilingual("密码验证失败", said[0])
    if getattr(exc, "orig", None) is not None:
        return Bilingual(f"数据库驱动报错（{type(exc.orig).__name__}）", said[0] if said else type(exc).__name__)
    return Bilingual(f"无法读取（{type(exc).__name__}）", f"{type(exc).__name__}: {said[0] if said else ''}"[:160])


# pydantic's tags of the members of a union in an error's location (``valid_from.int``,
# ``valid_from.date``): not fields, so left out, and the union's errors merged into one
_UNION_TAGS = {"int", "str", "float", "bool", "date", "datetime", "decimal", "list", "dict", "none",
               "tuple", "set", "bytes"}


def _or(items: list[str], lang: str) -> str:
    if len(items) == 1:
        return items[0]
    return "、".join(items[:-1]) + " 或 " + items[-1] if lang == "zh" else ", ".join(items[:-1]) + " or " + items[-1]


def _pydantic_expected(err: dict) -> Bilingual:
    """What a pydantic error ``err`` expected, in both languages."""
    t, ctx = err.get("type", ""), err.get("ctx") or {}
    simple = {
        "missing": ("一个值（该字段必填）", "a value (the field is required)"),
        "extra_forbidden": ("已知的字段（该字段无法识别）", "a known field (this one is not)"),
        "int_type": ("整数", "a whole number"), "int_parsing": ("整数", "a whole number"),
        "int_from_float": ("整数", "a whole number"),
        "string_type": ("文本", "text"), "float_type": ("数字", "a number"),
        "float_parsing": ("数字", "a number"), "decimal_type": ("数字", "a number"),
        "decimal_parsing": ("数字", "a number"),
        "date_type": ("YYYY-MM-DD 格式的日期", "a date YYYY-MM-DD"),
        "date_parsing": ("YYYY-MM-DD 格式的日期", "a date YYYY-MM-DD"),
        "date_from_datetime_parsing": ("YYYY-MM-DD 格式的日期", "a date YYYY-MM-DD"),
        "bool_type": ("true 或 false", "true or false"), "bool_parsing": ("true 或 false", "true or false"),
        "list_type": ("列表", "a list"), "tuple_type": ("列表", "a list"),
        "dict_type": ("映射（键: 值）", "a mapping (key: value)"),
        "model_type": ("映射（键: 值）", "a mapping (key: value)"),
        "model_attributes_type": ("映射（键: 值）", "a mapping (key: value)"),
        "string_too_short": ("非空文本", "non-empty text"),
    }
    if t in simple:
        return Bilingual(*simple[t])
    if t in ("literal_error", "enum"):
        opts = [o.strip() for o in str(ctx.get("expected", "")).replace(" or ", ", ").split(",") if o.strip()]
        return Bilingual(f"{_or(opts, 'zh')} 之一", f"one of {_or(opts, 'en')}")
    if t == "string_pattern_mismatch":
        return Bilingual(f"符合 {ctx.get('pattern')} 的代码", f"a code matching {ctx.get('pattern')}")
    bounds = {"greater_than_equal": ("ge", "≥"), "greater_than": ("gt", ">"),
              "less_than_equal": ("le", "≤"), "less_than": ("lt", "<")}
    if t in bounds:
        key, sign = bounds[t]
        return Bilingual(f"{sign} {ctx.get(key)} 的数", f"a number {sign} {ctx.get(key)}")
    if t in ("too_short", "too_long"):
        n = ctx.get("min_length") if t == "too_short" else ctx.get("max_length")
        return Bilingual(f"{'至少' if t == 'too_short' else '至多'} {n} 项",
                         f"{'at least' if t == 'too_short' else 'at most'} {n} items")
    # a message of our own validators or a kind not met so far: pydantic's English, named by
    # its kind in Chinese
    return Bilingual(f"有效的取值（{t}）", str(err.get("msg", t)))


def pydantic_problems(exc) -> list[tuple[tuple, Bilingual, "Bilingual | str"]]:
    """A pydantic ``ValidationError`` as ``(location, expected, found)`` per bad field, in both
    languages: the union's member tags dropped from the location and its members' errors
    merged into one ("a whole number or a date YYYY-MM-DD"), a missing field found as
    "missing" (not the whole mapping it is missing from)."""
    merged: dict[tuple, list[dict]] = {}
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and (
            p in _UNION_TAGS or p.startswith("function-") or "[" in p)))
        merged.setdefault(loc, []).append(err)
    out = []
    for loc, errs in merged.items():
        exps = list(dict.fromkeys(_pydantic_expected(e) for e in errs))
        if {e.get("type") for e in errs} <= {"int_type", "int_parsing", "date_type", "date_parsing",
                                             "date_from_datetime_parsing"} and len(errs) > 1:
            exps = [Bilingual("年份（如 2024）或 YYYY-MM-DD 格式的日期", "a year (2024) or a date YYYY-MM-DD")]
        expected = exps[0] if len(exps) == 1 else Bilingual(_or([e.zh for e in exps], "zh"),
                                                           _or([e.en for e in exps], "en"))
        err = errs[0]
        if err.get("type") == "missing":
            found: "Bilingual | str" = Bilingual("缺失", "missing")
        else:
            found = found_text(err.get("input"))
        out.append((loc, expected, found))
    return out


def found_text(value: Any) -> "Bilingual | str":
    """A value read from a file as a message shows it: text as written, nothing as "empty",
    a mapping or a list by what it is (never a Python repr or type name)."""
    if value is None or value == "":
        return Bilingual("空", "empty")
    if isinstance(value, str):
        return value[:60]
    if isinstance(value, dict):
        return Bilingual("映射（键: 值）", "a mapping (key: value)")
    if isinstance(value, (list, tuple)):
        return Bilingual("列表", "a list")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)[:60]


# the tail of ESG-IMPORT-003 when the workspace has no entity tree yet (a new workspace)
EMPTY_TREE = Bilingual("；组织树为空，请先用 esgledger entities import 导入组织树",
                       "; the entity tree is empty: import it first with esgledger entities import")


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "?"


class ProblemList(list):
    """A list of problems with helpers to split errors from warnings."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.WARNING]

    def flat(self) -> list[tuple[str, str]]:
        """``[(location, code), ...]``: the shape tests assert on."""
        return [(str(p.location), p.code) for p in self]

    def extend_from(self, items: Iterable[Problem]) -> "ProblemList":
        self.extend(items)
        return self

    def __iter__(self) -> Iterator[Problem]:  # typed iteration
        return super().__iter__()


class EsgledgerError(Exception):
    """Base class of esgledger's programmer-error and operational exceptions."""


class ProblemsError(EsgledgerError, ValueError):
    """Raised by API calls that refuse input because of problems (carries them)."""

    def __init__(self, problems: Iterable[Problem], lang: str = "en"):
        self.problems = ProblemList(problems)
        shown = "\n".join(p.render(lang) for p in self.problems[:20])
        more = len(self.problems) - 20
        if more > 0:
            shown += f"\n… {more} more"
        super().__init__(shown)
