"""The document model: tables check their shape, marks need footnotes, outline anchors."""
from decimal import Decimal

import pytest

from esgledger.report.document import (
    Cell,
    Chapter,
    Chart,
    Document,
    DocumentError,
    Footnote,
    HeaderCell,
    Row,
    Section,
    Series,
    Table,
    header_grid,
    inline_runs,
    outline,
    target_value,
)

HEADER = [[HeaderCell("指标", rowspan=2), HeaderCell("年度", colspan=2)],
          [HeaderCell("2023"), HeaderCell("2024")]]


def test_number_cell_keeps_the_raw_value_and_shows_it_rounded():
    c = Cell.number(Decimal("1270.255"), 2, marks=("1",))
    assert (c.text, c.value, c.align, c.marks, c.precision, c.missing) == (
        "1,270.26", Decimal("1270.255"), "right", ("1",), 2, False)
    m = Cell.number(None, 2, marks=("2",))
    assert (m.text, m.value, m.missing) == ("—", None, True)


def test_number_cell_refuses_float():
    with pytest.raises(DocumentError):
        Cell.number(10.8, 2)


def test_grouped_header_grid():
    grid = header_grid(HEADER)
    assert [[c.text for c, _ in line] for line in grid] == [["指标", "年度", "年度"],
                                                          ["指标", "2023", "2024"]]


def test_header_that_is_not_a_rectangle_is_refused():
    with pytest.raises(DocumentError, match="rectangle"):
        header_grid([[HeaderCell("a"), HeaderCell("b", colspan=2)], [HeaderCell("c")]])


def test_row_width_must_match_the_header():
    with pytest.raises(DocumentError, match="row 0 has 2 cells"):
        Table("t", HEADER, [Row([Cell.label("a"), Cell.label("b")])],
              column_kinds=("text", "number", "number"))


def test_mark_without_footnote_is_refused():
    row = Row([Cell.label("a"), Cell.number(Decimal(1), 0, marks=("9",)), Cell.dash()])
    with pytest.raises(DocumentError, match=r"marks without footnote: \['9'\]"):
        Table("t", HEADER, [row], [Footnote("1", "x")], ("text", "number", "number"))


def test_chart_series_length_must_match_categories():
    with pytest.raises(DocumentError, match="has 1 values for 2 categories"):
        Chart("line", "t", [Series("s", [Decimal(1)])], ["2023", "2024"])


def test_target_from_change_ratio_is_exact():
    c = Chart("target", "t", [Series("a", [Decimal("11")])], ["2024"],
              spec={"baseline_year": 2021, "baseline_value": "12.5", "target_year": 2025,
                    "target_change": "-0.18"})
    assert target_value(c) == Decimal("10.250")


def test_outline_numbers_headings_and_anchors():
    sec = Section("温室气体", number="（一）")
    doc = Document("r", blocks=[Chapter("环境", "一、", [sec, Section("水")]),
                                Chapter("社会", "二、")])
    headings, anchors = outline(doc)
    assert [(h.anchor, h.level, h.text) for h in headings] == [
        ("h-1", 1, "一、环境"), ("h-1-1", 2, "（一） 温室气体"), ("h-1-2", 2, "水"),
        ("h-2", 1, "二、社会")]
    assert anchors[id(sec)] == "h-1-1"


def test_inline_markup():
    assert inline_runs("a **b** *c* d") == [("a ", False, False), ("b", True, False),
                                            (" ", False, False), ("c", False, True),
                                            (" d", False, False)]
