"""Chart geometry: bars are as long as their percentage, months without completions have no bar, and the
text alternative says what the bars show."""
import datetime as dt

from coordination.web import charts


def test_horizontal_bar_length_is_proportional_to_the_percentage_when_drawn():
    chart = charts.horizontal_bars([("Decision", 50.0, 1, 2), ("Assessment", 100.0, 3, 3)], width=500, left=10,
                                   right=90)
    assert chart.plot_width == 400
    assert [b.width for b in chart.bars] == [200.0, 400.0]
    assert all(b.x == 10 for b in chart.bars)
    assert chart.bars[1].y > chart.bars[0].y + chart.bars[0].height  # rows do not overlap
    assert chart.bars[0].text_x == 216.0  # the figure sits just past the bar's end


def test_bar_with_nothing_completed_is_empty_and_says_so():
    bar = charts.horizontal_bars([("Decision", None, 0, 0)]).bars[0]
    assert bar.width == 0 and bar.text == "No completed clocks"


def test_out_of_range_percentages_are_clamped_to_the_axis():
    chart = charts.horizontal_bars([("a", 130.0, 1, 1), ("b", -5.0, 0, 1)], width=300, left=0, right=100)
    assert [b.width for b in chart.bars] == [200.0, 0.0]


def test_axis_ticks_run_from_0_to_100_percent_across_the_plot():
    chart = charts.horizontal_bars([("a", 10.0, 1, 10)], width=500, left=10, right=90)
    assert [(t.value, t.x) for t in chart.ticks] == [(0, 10), (25, 110), (50, 210), (75, 310), (100, 410)]


def test_text_alternative_lists_every_bar():
    chart = charts.horizontal_bars([("Referral to decision", 66.7, 2, 3), ("Assessment", None, 0, 0)])
    assert chart.description == "Referral to decision: 66.7% (2 of 3); Assessment: No completed clocks"


def test_vertical_bar_height_rises_from_the_axis_when_a_month_has_completions():
    chart = charts.vertical_bars([("2026-01", 50.0, 1, 2), ("2026-02", None, 0, 0), ("2026-03", 100.0, 2, 2)],
                                 width=340, height=200, left=40, right=0, top=0, bottom=40)
    plot_bottom = 160
    first, empty, full = chart.bars
    assert (first.height, first.y) == (80.0, 80.0)
    assert first.y + first.height == plot_bottom and full.height == 160.0
    assert empty.value is None and empty.height == 0
    assert [b.label for b in chart.bars] == ["Jan 2026", "Feb 2026", "Mar 2026"]
    assert first.x < empty.x < full.x and first.x >= 40
    assert "Feb 2026: No completed clocks" in chart.description


def test_months_between_covers_a_period_across_a_year_end():
    assert charts.months_between(dt.date(2025, 11, 20), dt.date(2026, 2, 1)) == [
        "2025-11", "2025-12", "2026-01", "2026-02"]


def test_month_labels_thin_out_for_long_periods():
    assert charts.label_every(6) == 1
    assert charts.label_every(12) == 2
    assert charts.label_every(60) == 9
