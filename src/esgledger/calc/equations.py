"""The equations the lineage records, in Chinese for ``explain --lang zh``.

A calculated fact's method use records its equation in English, citation style
(:mod:`esgledger.store.lineage`: the text is part of the use's digest, so it stays one text in
the ledger). :func:`equation_text` gives the reader its Chinese wording: the symbols and the
citations (equation and table numbers, sections) are the same, the words are Chinese. An
equation this table does not know (a ledger written by another version) is shown as recorded.
A combined equation (``…; + …``, purchased electricity with bought heat) is translated part by
part.
"""
from __future__ import annotations

from esgledger.calc import ghg
from esgledger.calc.methods import (alumina, aluminium, anode_plant, combustion, electricity, energy,
                                    power_plant, scope3)

_PRODUCT_ZH = ("E = Σ 本工序各主体的直接排放源（发电除外）+ 自备电量 × 自备电厂供电排放因子 + 电网电量 × 剩余组合"
               "排放因子（绿电合同按 0 计）+ 外购热力 × 热力排放因子（集团内摇篮到大门；电厂因子 = 其排放 / 净供电量，"
               "领域参考 §2.5）")

ZH: dict[str, str] = {
    ghg.EQ_SCOPE1: "范围一 = Σ 各排放源的 CO2e（温室气体核算体系 企业核算与报告标准；ISO 14064-1:2018）",
    ghg.EQ_SCOPE1_GAS: "E_gas = Σ 各排放源该气体的质量 × 其 GWP（温室气体核算体系 企业核算与报告标准）",
    ghg.EQ_SOURCE_LEFT_OUT: ("E_source = Σ 其核算方法可以执行的各部分：均无法执行（ESG-CALC-005），故为 0，"
                             "标注为不完整：该数值未计入该排放源"),
    ghg.EQ_SCOPE3: "范围三 = Σ 各类别的 CO2e（温室气体核算体系 范围三标准）",
    ghg.EQ_ENERGY_CARRIER: ("E_carrier = 实物量 × 其折标准煤系数：已知燃料的 NCV 时为 NCV / 29.307 GJ per tce，"
                            "否则为 GB/T 2589-2020 附录A 系数（tce）"),
    ghg.EQ_ETS["smelter"]: ("E = E_combustion + E_anode + E_PFC + E_carbonate（生态环境部 CETS-AG-04.01-V01-2024 §5）；"
                            "外购电力为辅助参数，不计入"),
    ghg.EQ_ETS["power_plant"]: "E = E_combustion + E_desulphurisation（生态环境部 发电设施核算指南；自备电厂单独报告）",
    ghg.EQ_ETS_AUX: "外购电力，MWh（生态环境部 CETS-AG-04.01-V01-2024：辅助参数，不计入总量）",
    ghg.EQ_PRODUCT: _PRODUCT_ZH,
    ghg.EQ_LIQUID_AL: (_PRODUCT_ZH + "；液态铝另加 消耗的氧化铝 × 氧化铝工序的 t CO2e/t，以及 阳极净耗 × "
                       "焙烧阳极工序的 t CO2e/t"),
    ghg.EQ_FOIL: "E_foil = 铝箔厂自身的排放（" + _PRODUCT_ZH + "）+ 其投入铝量 × 集团液态铝的每吨碳足迹（集团内摇篮到大门）",
    ghg.EQ_FOOTPRINT: "碳足迹 = 产品排放量 / 产品产量（t CO2e/t）",
    ghg.EQ_ETS_PRODUCTION: "P = Σ 重点排放单位各电解系列的铝液产量，t（生态环境部 CETS-AG-04.01-V01-2024 §8：产量口径）",
    ghg.EQ_ETS_INTENSITY: "排放强度 = 重点排放单位的全国碳市场核算排放量 / 其铝液产量（t CO2e/t）",
    alumina.EQ_CARBONATE: "E = m × 纯度 × 煅烧率 × EF（IAI 铝行业温室气体议定书 2006 附录 A；GB/T 32151.4-2015 §5.2）",
    alumina.EQ_LIMESTONE: "E = L × EF_lime（国家发展改革委 2013 电解铝企业温室气体核算指南）",
    aluminium.EQ_T1: "E = EF_P × MP（IPCC 2006 第3卷 式4.19，表4.10）",
    aluminium.EQ_PREBAKE: ("E = NAC × MP × (100 − S_a − Ash_a)/100 × 44/12（IPCC 2006 第3卷 式4.21；40 CFR 98 式F-5；"
                           "国家发展改革委 2013 / GB/T 32151.4-2015 §5.2）"),
    aluminium.EQ_PASTE: "IPCC 2006 第3卷 式4.24；40 CFR 98 式F-8（自焙槽阳极糊）",
    aluminium.EQ_PFC_T1: "E_CF4 = EF_CF4 × MP；E_C2F6 = EF_C2F6 × MP（IPCC 2006 第3卷 式4.25，表4.14）",
    aluminium.EQ_SLOPE: ("E_CF4 = S_CF4 × AEM × MP；E_C2F6 = E_CF4 × F_C2F6/CF4（IPCC 2006 第3卷 式4.26；"
                         "40 CFR 98 式F-2；国家发展改革委 2013）"),
    aluminium.EQ_OVERVOLTAGE: ("E_CF4 = OVC × AEO/CE × MP，CE 以 % 计；E_C2F6 = E_CF4 × F_C2F6/CF4（IPCC 2006 第3卷 "
                               "式4.27；欧盟 MRR 附件 IV §8 方法 B）"),
    anode_plant.EQ_PITCH: "E = (GA − H_w − BA − WT) × 44/12（IPCC 2006 第3卷 式4.22；40 CFR 98 式F-6）",
    anode_plant.EQ_PACKING: "E = PCC × BA × (100 − S_pc − Ash_pc)/100 × 44/12（IPCC 2006 第3卷 式4.23；40 CFR 98 式F-7）",
    electricity.EQ_LOCATION: "E = (外购 − 输出) × EF_grid（温室气体核算体系 范围二指南 第6章；GB/T 32151.4 §5.2）",
    electricity.EQ_MARKET: "E = (外购 − 输出 − 绿电合同 − 绿证) × EF_residual（温室气体核算体系 范围二指南 第6–7章）",
    electricity.EQ_HEAT: "E = AD_heat × EF_heat（国家发展改革委 2013 电解铝企业温室气体核算指南；GB/T 32151.4 §5.2）",
    power_plant.EQ_COAL: "E = FC × C_ar × OF × 44/12，或 FC × NCV × CC × OF × 44/12（生态环境部 发电设施核算指南；GB/T 32151.1）",
    power_plant.EQ_DESULPH: ("E = B × I × EF_CaCO3，I = 脱硫剂的 CaCO3 含量（无实测值时取 100 %）"
                             "（生态环境部 发电设施核算指南，脱硫过程）"),
    power_plant.EQ_SUPPLY: "EF = E_plant × (1 − 供热比) / 供电量（生态环境部 发电设施核算指南 供电排放强度）",
    power_plant.EQ_SUPPLY_NO_HEAT: ("EF = E_plant × (1 − 供热比) / 供电量，供热比 0：未填报供热，全部计入电力"
                                    "（生态环境部 发电设施核算指南 供电排放强度）"),
    scope3.EQ_CAT1: "E = 数量 × EF（温室气体核算体系 范围三计算技术指南，类别1）",
    scope3.EQ_CAT3A: "E = 燃料能量 × EF_upstream（范围三计算技术指南，类别3a）",
    scope3.EQ_CAT3B: "E = 电量 × EF_upstream（范围三计算技术指南，类别3b）",
    scope3.EQ_CAT3C: "E = 电量 × 输配电损耗率 × EF_grid（范围三计算技术指南，类别3c）",
    scope3.EQ_CAT4: "E = 吨 × 公里 × EF_mode（范围三计算技术指南，类别4，基于距离）",
    energy.EQUATION: ("E = Σ e_i × k_i（GB/T 2589-2020 §4）；已知燃料的 NCV（实测值，或其 CO2 核算所用的缺省值）时 "
                      "k_i = NCV / 29.307 GJ per tce，否则取附录A"),
    combustion.EQUATION: "E = FC × NCV × CC × OF × 44/12（GB/T 32151.4-2015 §5.2；国家发展改革委 2013；IPCC 2006 第2卷 式2.1）",
    combustion.EQUATION_CAR: "E = FC × C_ar × OF × 44/12（GB/T 32151.1-2015；生态环境部 发电设施核算指南）",
    "Σ parts": "Σ 各部分",
}

_JOIN = "; + "  # electricity.py: purchased electricity's equation + bought heat's


def equation_text(equation: str, lang: str) -> str:
    """``equation`` as the lineage recorded it, worded in ``lang``."""
    if lang != "zh":
        return equation
    return "；+ ".join(ZH.get(part, part) for part in equation.split(_JOIN))


__all__ = ["ZH", "equation_text"]
