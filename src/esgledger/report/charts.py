"""Static charts for documents: matplotlib (Agg) with a CJK font.

Kinds (:class:`esgledger.report.document.Chart`): ``line`` (multi-year trends), ``bar`` and
``stacked_bar`` (Scope 1/2/3 by year), ``pie`` (Scope breakdown of one year) and ``target``
(actual values against the baseline and the even path, linear in value, to the target).

Chinese text needs a CJK font: Noto Sans CJK SC from the Debian package ``fonts-noto-cjk``
(``scripts/install.sh`` installs it). Without it :class:`ChartFontError` is raised: a chart
never silently renders its labels as empty boxes. Output is SVG text (for HTML/PDF, text as
paths so the file needs no font) or PNG bytes (for DOCX); both are deterministic.
"""
from __future__ import annotations

import io
import re
from decimal import Decimal
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402  (after choosing the backend)
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from esgledger.model.errors import EsgledgerError  # noqa: E402
from esgledger.report.document import Chart, target_path, target_value  # noqa: E402
from esgledger.report.numbers import format_value  # noqa: E402

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC",
                "Source Han Sans SC", "WenQuanYi Zen Hei")
CJK_PACKAGE = "fonts-noto-cjk"
FALLBACK_FAMILY = "DejaVu Sans"  # glyphs the CJK font lacks (₂ in CO₂e)
PALETTE = ("#1f6f8b", "#99c24d", "#f2a541", "#c1467a", "#6c757d", "#3c9d9b", "#8c6bb1")
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


class ChartFontError(EsgledgerError, RuntimeError):
    """No CJK font is installed, so Chinese chart labels cannot be drawn."""


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The first installed CJK font family matplotlib can use, or None."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((fam for fam in CJK_FAMILIES if fam in names), None)


def require_cjk_font() -> str:
    family = cjk_family()
    if family is None:
        raise ChartFontError(
            f"no CJK font for charts: install the Debian package {CJK_PACKAGE} "
            f"(scripts/install.sh does), then remove matplotlib's font cache "
            f"(~/.cache/matplotlib); looked for {', '.join(CJK_FAMILIES)}")
    return family


def _texts(chart: Chart) -> str:
    return " ".join([chart.title, chart.unit, *chart.categories,
                     *(s.name for s in chart.series),
                     *(str(v) for v in chart.spec.values() if isinstance(v, str))])


def _families(chart: Chart, lang: str) -> list[str]:
    if lang == "zh" or _CJK.search(_texts(chart)):
        return [require_cjk_font(), FALLBACK_FAMILY]
    family = cjk_family()
    return [family, FALLBACK_FAMILY] if family else [FALLBACK_FAMILY]


def _f(v: Decimal | None) -> float:
    # Binary floats only for drawing positions; labels use the Decimal via format_value.
    return float("nan") if v is None else float(v)


def _precision(chart: Chart) -> int:
    return int(chart.spec.get("precision", 2))


def _axis_number(value: float, _pos=None) -> str:
    """A y-axis tick as the report prints numbers: ``18,000,000``, never ``1.8`` under an
    offset label ``1e7``."""
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.6g}"


def _style_axes(ax, chart: Chart) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(_axis_number))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    if chart.unit:
        ax.set_ylabel(chart.unit)


def _line(ax, chart: Chart, lang: str) -> None:
    x = range(len(chart.categories))
    p = _precision(chart)
    for i, s in enumerate(chart.series):
        ys = [_f(v) for v in s.values]
        ax.plot(x, ys, marker="o", color=PALETTE[i % len(PALETTE)], label=s.name, linewidth=2)
        for xi, v in zip(x, s.values):
            if v is not None:
                ax.annotate(format_value(v, p, lang), (xi, float(v)), textcoords="offset points",
                            xytext=(0, 6), ha="center", fontsize=8)
    ax.set_xticks(list(x), chart.categories)
    ax.margins(x=0.1, y=0.2)
    values = [v for s in chart.series for v in s.values if v is not None]
    if chart.spec.get("y_from_zero", True) and values and min(values) >= 0:
        ax.set_ylim(bottom=0, top=float(max(values)) * 1.15 or 1)


def _bars(ax, chart: Chart, lang: str, stacked: bool) -> None:
    n = len(chart.series)
    x = list(range(len(chart.categories)))
    width = 0.6 if stacked else 0.8 / max(n, 1)
    bottoms = [0.0] * len(x)
    p = _precision(chart)
    # a layer thinner than 4 % of the tallest stack gets no label inside it (it would not fit
    # and would be printed over its neighbours); the total above the stack still counts it
    tallest = max((sum(float(s.values[j] or 0) for s in chart.series) for j in x), default=0.0)
    small = 0.04 * tallest
    for i, s in enumerate(chart.series):
        heights = [0.0 if v is None else float(v) for v in s.values]
        xs = x if stacked else [xi - 0.4 + width * (i + 0.5) for xi in x]
        bars = ax.bar(xs, heights, width, bottom=bottoms if stacked else None,
                      color=PALETTE[i % len(PALETTE)], label=s.name)
        labels = [format_value(v, p, lang) if v is not None and (not stacked or float(v) >= small) else ""
                  for v in s.values]
        ax.bar_label(bars, labels=labels, label_type="center" if stacked else "edge",
                     fontsize=7, color="white" if stacked else "black")
        if stacked:
            bottoms = [b + h for b, h in zip(bottoms, heights)]
    if stacked and chart.spec.get("total", True):  # the total on top, only where no layer is missing
        for j, top in enumerate(bottoms):
            layer = [s.values[j] for s in chart.series]
            if None not in layer:
                ax.annotate(format_value(sum(layer, Decimal(0)), p, lang), (x[j], top),
                            textcoords="offset points", xytext=(0, 3), ha="center",
                            fontsize=8, fontweight="bold")
    ax.set_xticks(x, chart.categories)
    ax.margins(y=0.12)


def _pie(ax, chart: Chart, lang: str) -> None:
    series = chart.series[0]
    pairs = [(c, v) for c, v in zip(chart.categories, series.values) if v is not None and v > 0]
    total = sum((v for _, v in pairs), Decimal(0))
    p = _precision(chart)
    labels = [f"{c}  {format_value(v, p, lang)} ({format_value(v / total * 100, 1, lang)}%)"
              for c, v in pairs]
    wedges, _ = ax.pie([float(v) for _, v in pairs], colors=PALETTE[:len(pairs)], startangle=90,
                       counterclock=False, wedgeprops={"linewidth": 1, "edgecolor": "white"})
    # below the pie: an equal-aspect pie leaves its axes wider than the wedges, and a legend
    # anchored at the axes' right edge is cut off by the figure
    ax.legend(wedges, labels, frameon=False, fontsize=8, loc="upper center",
              bbox_to_anchor=(0.5, 0.0), title=_unit_caption(chart, lang), title_fontsize=8)
    ax.set_aspect("equal")


def _unit_caption(chart: Chart, lang: str) -> str | None:
    """单位：吨二氧化碳当量 / Unit: t CO2e, for a chart with no axis to carry its unit."""
    if not chart.unit:
        return None
    return f"单位：{chart.unit}" if lang == "zh" else f"Unit: {chart.unit}"


def wrap_title(title: str, width_in: float, fontsize: float = 11) -> str:
    """``title`` broken into lines that fit ``width_in`` inches at ``fontsize`` points (bold):
    a CJK character is about 1 em wide, any other about 0.6 em; English breaks between words,
    Chinese anywhere, before an opening bracket where it can (UAT4 F-L1: a long pie title ran
    off the image).

    >>> wrap_title("温室气体排放构成（范围一、范围二）（2024年）", 3.0)
    '温室气体排放构成（范围一、范围二）\\n（2024年）'
    """
    limit = width_in * 72 / fontsize  # ems per line
    width = lambda t: sum(1.0 if _CJK.match(ch) else 0.6 for ch in t)  # noqa: E731
    if width(title) <= limit:
        return title
    lines, line = [], ""
    tokens = re.findall(r"[（(][^（()）]*[)）]|[A-Za-z0-9_.,:;%/+-]+\s*|\s+|.", title)
    for tok in tokens:
        if line and width(line + tok.rstrip()) > limit:
            lines.append(line.rstrip())
            line = tok.lstrip()
        else:
            line += tok
    if line:
        lines.append(line.rstrip())
    return "\n".join(lines)


def _target(ax, chart: Chart, lang: str) -> None:
    spec = chart.spec
    b_year, t_year = int(spec["baseline_year"]), int(spec["target_year"])
    b_val, t_val = Decimal(str(spec["baseline_value"])), target_value(chart)
    p = _precision(chart)
    years = [int(c) for c in chart.categories]
    actual = chart.series[0]
    ax.bar(years, [_f(v) for v in actual.values], 0.6, color=PALETTE[0], label=actual.name)
    for y, v in zip(years, actual.values):
        if v is not None:
            ax.annotate(format_value(v, p, lang), (y, float(v)), textcoords="offset points",
                        xytext=(0, 3), ha="center", fontsize=8)
    ax.axhline(float(b_val), color=PALETTE[4], linestyle=":", linewidth=1.2,
               label=spec.get("baseline_label", f"{b_year}"))
    path = target_path(chart)  # linear in value from the baseline to the target
    ax.plot([y for y, _ in path], [float(v) for _, v in path], color=PALETTE[3], linestyle="--",
            linewidth=1.5, label=spec.get("trajectory_label", f"{b_year}–{t_year}"))
    ax.plot([t_year], [float(t_val)], marker="*", markersize=12, color=PALETTE[3],
            linestyle="none", label=spec.get("target_label", f"{t_year}"))
    ax.annotate(format_value(t_val, p, lang), (t_year, float(t_val)), textcoords="offset points",
                xytext=(0, -14), ha="center", fontsize=8, color=PALETTE[3])
    ticks = sorted(set(years) | {b_year, t_year})
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.set_xlim(min(ticks) - 0.7, max(ticks) + 0.7)
    ax.margins(y=0.15)


def _figure(chart: Chart, lang: str, width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_subplot()
    if chart.kind == "line":
        _line(ax, chart, lang)
    elif chart.kind in ("bar", "stacked_bar"):
        _bars(ax, chart, lang, stacked=chart.kind == "stacked_bar")
    elif chart.kind == "pie":
        _pie(ax, chart, lang)
    else:
        _target(ax, chart, lang)
    if chart.kind != "pie":
        _style_axes(ax, chart)
        if len(chart.series) > 1 or chart.kind == "target":
            ax.legend(frameon=False, fontsize=8, loc="upper center",
                      bbox_to_anchor=(0.5, -0.1), ncol=4)
    if chart.kind == "pie":  # the pie's axes are narrower than the figure: centred over it
        ax.set_title(wrap_title(chart.title, width * 0.9), fontsize=11, fontweight="bold", loc="center")
    else:  # from the axes' left edge, right of the y-axis labels
        ax.set_title(wrap_title(chart.title, width - 1.2), fontsize=11, fontweight="bold", loc="left")
    fig.tight_layout()
    return fig


def _rc(chart: Chart, lang: str) -> dict:
    return {"font.family": _families(chart, lang),
            "axes.unicode_minus": False, "svg.hashsalt": "esgledger", "svg.fonttype": "path",
            "font.size": 9}


def render_svg(chart: Chart, lang: str = "zh", width: float = 6.4, height: float = 3.6) -> str:
    """The chart as SVG text (text drawn as paths: no font needed to view it)."""
    with matplotlib.rc_context(_rc(chart, lang)):
        fig = _figure(chart, lang, width, height)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "esgledger"})
    return buf.getvalue()


def render_png(chart: Chart, lang: str = "zh", width: float = 6.4, height: float = 3.6,
               dpi: int = 200) -> bytes:
    """The chart as PNG bytes."""
    with matplotlib.rc_context(_rc(chart, lang)):
        fig = _figure(chart, lang, width, height)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": "esgledger"})
    return buf.getvalue()
