"""PNG/SVG download buttons under every chart; the rendering waits for the click."""

from collections.abc import Mapping

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.briefing import build_pack
from dashboard.catalogue import Indicator
from dashboard.data import DataFileError, load_build_info
from dashboard.exports import (
    IndicatorExport,
    export_file_name,
    export_spec,
    indicator_export,
    render_png,
    render_svg,
    table_provenance_lines,
)


def data_built_on() -> str:
    """The build date for footers; a missing record is said, not hidden."""
    try:
        return load_build_info().built_on
    except DataFileError:
        return "on an unknown date (no build record)"


# label, renderer, file suffix, mime type, icon
CHART_DOWNLOADS = (
    ("Chart as PNG (slides)", render_png, "png", "image/png", ":material/image:"),
    ("Chart as SVG (print)", render_svg, "svg", "image/svg+xml", ":material/draw:"),
)


def render_export_buttons(
    chart: alt.TopLevelMixin, table: pd.DataFrame, *, caption: str, file_name: str, key: str
) -> None:
    """Two buttons, one under the other (columns for them were three more elements to send on
    every rerun of every chart, for a menu that is mostly closed); each passes a callable, so a
    page with 30 charts renders no image until someone clicks (st.download_button defers
    callable data to the click in Streamlit 1.67)."""
    built_on = data_built_on()
    stem = file_name.rsplit(".", 1)[0]

    def spec() -> dict:
        return export_spec(chart, table_provenance_lines(caption, table, built_on))

    for label, render, suffix, mime, icon in CHART_DOWNLOADS:
        st.download_button(
            label,
            data=lambda render=render: render(spec()),
            file_name=export_file_name(stem, suffix),
            mime=mime,
            key=f"{key}_{suffix}",
            icon=icon,
            on_click="ignore",
        )


@st.cache_resource(show_spinner=False, max_entries=256)
def cached_indicator_export(
    _observations: pd.DataFrame,
    _indicator: Indicator,
    _area_names: Mapping[str, str],
    indicator_id: str,
    version: str,
    built_on: str,
    height: int = 360,
    _commentary: pd.DataFrame | None = None,
) -> IndicatorExport | None:
    """An indicator's standard slide, built once per data version (keyed on the id and the
    build time, so an update on the same day is never shown stale; the frames are the app's own
    cached tables)."""
    return indicator_export(
        _observations, _indicator, _area_names, built_on, height=height, commentary=_commentary
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_pack_files(
    _observations: pd.DataFrame,
    _indicators: tuple[Indicator, ...],
    _area_names: Mapping[str, str],
    indicator_ids: tuple[str, ...],
    version: str,
    built_on: str,
    _commentary: pd.DataFrame | None = None,
    summary_title: str = "",
    summary: tuple[str, ...] = (),
) -> tuple[bytes, bytes]:
    """PPTX and PDF of one choice of indicators (and summary slide), built on the first click
    and kept for the second download (the PNGs inside are shared by both)."""
    # Imported here, on the first pack: the PowerPoint and PDF libraries hold ~70 MB of memory
    # that a server whose users never make a pack need not carry.
    from dashboard.briefing_files import build_pdf, build_pptx

    pack = build_pack(
        _observations,
        _indicators,
        _area_names,
        built_on,
        commentary=_commentary,
        summary_title=summary_title,
        summary=summary,
    )
    return build_pptx(pack), build_pdf(pack)


def slide_export(
    observations: pd.DataFrame,
    indicator: Indicator,
    area_names: Mapping[str, str],
    version: str,
    commentary: pd.DataFrame,
    height: int = 360,
) -> IndicatorExport | None:
    """An indicator's slide as the Presentation and the Briefing pack show it (cached)."""
    return cached_indicator_export(
        observations,
        indicator,
        area_names,
        indicator.id,
        version,
        data_built_on(),
        height,
        _commentary=commentary,
    )
