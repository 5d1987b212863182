"""Exported charts carry their provenance in the image; names say what the chart is.

Runs on the made-up FIXTURE frames of conftest.py; renders with vl-convert (no network).
"""

import pandas as pd

from dashboard.exports import (
    PRESENT_TEXT_SIZE,
    SlideFigure,
    default_slide_indicators,
    export_file_name,
    export_spec,
    indicator_export,
    latest_figure_note,
    newest_year,
    presentation_chart,
    render_png,
    render_svg,
    table_provenance_lines,
)

BUILT = "1 January 2000"


def test_svg_has_title_unit_source_period_and_build_date_as_text(
    observations, catalogue, area_names
):
    export = indicator_export(observations, catalogue["fixture_rate"], area_names, BUILT)
    svg = render_svg(export.spec()).decode("utf-8")
    assert "<text" in svg
    assert "Fixture rate" in svg
    assert "Measure: Rate per 10,000 children aged 0-17. Period: 2018/19 to 2021/22." in svg
    assert "Source: Fixture release." in svg
    assert f"Data built {BUILT}." in svg


def test_provisional_figures_are_named_in_the_image(observations, catalogue, area_names):
    export = indicator_export(observations, catalogue["fixture_count"], area_names, BUILT)
    assert export.provenance.provisional == ("Leicestershire 2021/22",)
    svg = render_svg(export.spec()).decode("utf-8")
    assert "Provisional figures: Leicestershire 2021/22." in svg


def test_png_is_twice_the_size(observations, catalogue, area_names):
    export = indicator_export(observations, catalogue["fixture_rate"], area_names, BUILT)
    png = render_png(export.spec())
    assert png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")
    assert width > 1800  # 900 px plot at scale 2, plus axis and padding


def test_local_areas_side_by_side_and_sentences_per_area(observations, catalogue, area_names):
    export = indicator_export(observations, catalogue["fixture_rate"], area_names, BUILT)
    spec = export.spec()
    areas = {row["area"] for rows in spec["datasets"].values() for row in rows if "area" in row}
    assert areas == {"leicestershire", "rutland"}  # England is left out of the slide
    assert export.headlines[0].startswith("Leicestershire's fixture rate rose from 42.0 per 10,000")
    # The FIXTURE's latest rate has no counts behind it: described, never judged.
    assert export.headlines[0].endswith(
        "so not called better or worse (measure: rates per 10,000 children aged 0-17)."
    )
    assert "deterioration" not in export.headlines[0]


def test_export_spec_keeps_the_chart_and_adds_a_bottom_title(observations, catalogue, area_names):
    export = indicator_export(observations, catalogue["fixture_rate"], area_names, BUILT)
    spec = export_spec(export.chart, ["line one", "line two"])
    assert spec["title"]["orient"] == "bottom"
    assert spec["title"]["text"] == ["line one", "line two"]
    assert spec["vconcat"][0]["width"] == 900
    assert "config" in spec and "config" not in spec["vconcat"][0]


def test_file_names_say_what_the_chart_is():
    assert export_file_name("cpp_rate_rate_per_10k_2013-2025", "png") == (
        "cpp-rate-rate-per-10k_2013-2025.png"
    )
    assert export_file_name("fixture_count_count_2020", "svg") == "fixture-count-count_2020.svg"


def test_table_footer_names_provisional_rows():
    import pandas as pd

    table = pd.DataFrame(
        {
            "Area": ["Rutland", "Rutland"],
            "Period": ["2023/24", "2024/25"],
            "Status": ["Published", "Provisional"],
        }
    )
    lines = table_provenance_lines("FIXTURE caption. Source: FIXTURE.", table, BUILT)
    assert "Provisional figures: Rutland 2024/25." in " ".join(lines)
    assert lines[-1].startswith(f"Data built {BUILT}.")


def test_presentation_chart_has_bigger_text(observations, catalogue, area_names):
    export = indicator_export(observations, catalogue["fixture_rate"], area_names, BUILT)
    big = presentation_chart(export.chart).to_dict()
    assert big["config"]["axis"]["labelFontSize"] == PRESENT_TEXT_SIZE
    assert "title" not in big
    # It fills the slide's box, axes and legends included, legends stacked at the side.
    assert big["autosize"] == {"type": "fit", "contains": "padding"}
    assert big["config"]["legend"]["orient"] == "right"
    assert big["config"]["axisX"]["titleLimit"] == {"expr": "width"}  # shortened, never cut


def test_an_old_latest_figure_is_named_against_the_newest_in_the_data(
    observations, catalogue, area_names
):
    export = indicator_export(observations, catalogue["fixture_count"], area_names, BUILT)
    # The 2022/23 target is not a figure: the latest figure is 2021/22, the newest anywhere 2022.
    assert (export.latest_period, export.latest_year) == ("2021/22", 2022)
    assert newest_year(observations) == 2022
    assert latest_figure_note(export, 2022) == ""
    assert latest_figure_note(export, 2024) == ""  # two years behind is still recent
    assert latest_figure_note(export, 2025) == "latest figure: 2021/22"


def test_a_single_period_is_given_as_figures_in_the_published_unit(
    observations, catalogue, area_names
):
    one_year = observations[observations["period"] == "2019/20"]
    export = indicator_export(one_year, catalogue["fixture_rate"], area_names, BUILT)
    assert export.figures == (
        SlideFigure(
            "Leicestershire", "42.0 per 10,000", "Rate per 10,000 children aged 0-17", "2019/20"
        ),
        SlideFigure("Rutland", "30.0 per 10,000", "Rate per 10,000 children aged 0-17", "2019/20"),
    )
    assert export.measure_note.startswith("Figures show")
    several = indicator_export(observations, catalogue["fixture_rate"], area_names, BUILT)
    assert several.figures == () and several.measure_note.startswith("Chart shows")


def test_a_single_period_of_counts_is_never_an_index(observations, catalogue, area_names):
    """Two areas of different size are compared by an index over years; for one period the
    index would be 100 everywhere, so the counts are shown as published."""
    one = observations[
        (observations["indicator_id"] == "fixture_count") & (observations["period"] == "2019/20")
    ]
    both = pd.concat([one, one.assign(area="rutland", record_id="fixture-copy")])
    export = indicator_export(both, catalogue["fixture_count"], area_names, BUILT)
    assert export.measure == "count"
    assert [figure.value for figure in export.figures] == ["100", "100"]


def test_default_slides_prefer_rates_and_percentages(catalogue):
    preferred = ["fixture_count", "fixture_rate", "fixture_pct"]
    chosen = default_slide_indicators(catalogue, preferred, 2)
    assert chosen == ["fixture_rate", "fixture_pct"]
    assert default_slide_indicators(catalogue, ["fixture_count", "not_there"]) == ["fixture_count"]
