"""The plots drawn on the server: labelled by their caption, escaped, no inline style (the
Content-Security-Policy refuses it), one mark per number."""

from portal import plots


def test_a_bar_chart_draws_a_bar_per_number_with_its_value_and_a_legend():
    svg = plots.bar_chart(
        ["2016", "2017"], [("Held", [3, 0]), ("Expected", [2, 4])], labelled_by="caption"
    )
    assert svg.startswith('<svg class="plot"') and 'role="img" aria-labelledby="caption"' in svg
    assert svg.count("<rect") == 4 + 2  # the bars and the legend's two swatches
    assert "<title>2017: 4 Expected</title>" in svg
    assert ">Held</text>" in svg and ">2016</text>" in svg
    assert "style=" not in svg


def test_a_line_chart_joins_its_points():
    svg = plots.line_chart(["2015", "2016", "2017"], [("States", [1, 5, 2])], labelled_by="caption")
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 3
    assert "<title>2016: 5 States</title>" in svg


def test_a_heat_matrix_shades_and_writes_each_number_and_leaves_zeros_blank():
    svg = plots.heat_matrix(
        ["Türkiye <Chair>", "Hungary"], ["2016", "2017"], [[2, 0], [1, 1]], labelled_by="c"
    )
    assert svg.count("<rect") == 3
    assert "Türkiye &lt;Chair&gt;" in svg and "<Chair>" not in svg
    assert 'fill="#083d6e"' in svg  # the largest number, the darkest cell


def test_horizontal_bars_write_the_amount_with_its_unit():
    svg = plots.horizontal_bars(["European Commission"], [12_000_000], labelled_by="c", unit="EUR")
    assert ">12,000,000 EUR</text>" in svg


def test_ticks_are_round_steps_from_zero_to_at_least_the_top():
    assert plots.nice_ticks(3) == [0, 1, 2, 3]
    assert plots.nice_ticks(12_000_000) == [0, 5_000_000, 10_000_000, 15_000_000]
    assert plots.nice_ticks(0) == [0, 1]
    assert plots.nice_ticks(47) == [0, 10, 20, 30, 40, 50]
