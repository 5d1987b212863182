"""Briefing pack: chosen indicators as one PowerPoint file (and a PDF), every slide sourced."""

from datetime import date

import streamlit as st

from dashboard.chart_cache import prepare_chart
from dashboard.components import Link, load_dashboard_data, memo
from dashboard.export_widgets import cached_pack_files, data_built_on, slide_export
from dashboard.formatting import escape_markdown
from dashboard.frame import ensure_app_frame
from dashboard.indicator_picker import indicators_param, pick_indicators, seed_indicators
from dashboard.meeting_widgets import pick_since, since_summary
from dashboard.since import slide_lines

ensure_app_frame()

INDICATORS = indicators_param("briefing")

PACK_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def add_theme() -> None:
    """Put a whole theme's indicators into the pack (after those already chosen)."""
    theme = st.session_state.get("briefing_theme")
    if theme:
        chosen = list(st.session_state.get(INDICATORS.key, []))
        added = [i.id for i in data.catalogue.in_theme(theme) if i.id not in chosen]
        st.session_state[INDICATORS.key] = chosen + added
    st.session_state["briefing_theme"] = None


data = load_dashboard_data()
catalogue = data.catalogue
link = Link()

st.title("Briefing pack")
st.markdown(
    "Pick indicators, or a whole theme, and download one PowerPoint file: a title slide, what "
    "changed since the board last met, one slide per indicator (chart, what changed in words, "
    "and the source) and a sources slide. "
    "The PDF has the same pages for reading on paper. Each slide shows Leicestershire and "
    "Rutland side by side in a fair measure (rates or percentages) and says which."
)

seed_indicators(link, catalogue, INDICATORS)
controls = st.columns([3, 2])
with controls[0]:
    chosen = pick_indicators(
        catalogue, data.version, INDICATORS, label="Indicators, in slide order"
    )
with controls[1]:
    themes = catalogue.themes()
    st.selectbox(
        "Add a whole theme",
        themes,
        index=None,
        format_func=lambda t: catalogue.in_theme(t)[0].theme_label,
        key="briefing_theme",
        on_change=add_theme,
        placeholder="Choose a theme to add its indicators",
    )
day, named = pick_since(link, data, date.today())
link.write()

if not chosen:
    st.info(
        "Choose at least one indicator to make a pack: search by name, theme or the words you "
        "use ('repeat plans', 'CSE', 'online safety'), or add a whole theme.",
        icon=":material/touch_app:",
    )
    st.stop()

built_on = data_built_on()
indicators = tuple(catalogue[i] for i in chosen)
exports = [
    slide_export(data.observations, indicator, data.area_names, data.version, data.commentary)
    for indicator in indicators
]
summary_title = f"What changed since {named}"
summary = tuple(slide_lines(since_summary(data, day).lines))
slide_count = 1 + 1 + sum(export is not None for export in exports) + 1


def pack_files() -> tuple[bytes, bytes]:
    return cached_pack_files(
        data.observations,
        indicators,
        data.area_names,
        tuple(chosen),
        data.version,
        built_on,
        data.commentary,
        summary_title,
        summary,
    )


with st.container(horizontal=True):
    st.download_button(
        f"Download the pack: {slide_count} slides (PowerPoint)",
        data=lambda: pack_files()[0],
        file_name=f"safeguarding-briefing_{len(chosen)}-indicators.pptx",
        mime=PACK_MIME,
        key="briefing_pptx",
        icon=":material/slideshow:",
        type="primary",
        on_click="ignore",
    )
    st.download_button(
        "Download the same pack (PDF)",
        data=lambda: pack_files()[1],
        file_name=f"safeguarding-briefing_{len(chosen)}-indicators.pdf",
        mime="application/pdf",
        key="briefing_pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
    )
    st.page_link(
        "pages/present.py",
        label="Present these on screen",
        icon=":material/slideshow:",
        query_params={"present": "1", "indicators": ",".join(chosen), "since": day.isoformat()},
    )

st.subheader("The slides", anchor=False)
st.caption(
    f"Slide 1 is the title; slide {slide_count} lists every source"
    + (" and the indicators chosen that have no figures." if None in exports else ".")
)
with st.container(border=True, key="briefing_slide_summary"):
    st.markdown("**Slide 2.** " + escape_markdown(summary_title))
    for line in summary:
        st.markdown(escape_markdown(line))
number = 2
for indicator, export in zip(indicators, exports, strict=True):
    with st.container(border=True, key=f"briefing_slide_{indicator.id}"):
        if export is None:
            st.markdown(escape_markdown(indicator.label))
            st.caption("No figures to show: listed on the sources slide, with no slide of its own.")
            continue
        number += 1
        st.markdown(f"**Slide {number}.** " + escape_markdown(indicator.label))
        chart_column, text_column = st.columns([3, 2])
        slide_chart = memo(
            data,
            ("briefing_chart", indicator.id),
            lambda export=export: prepare_chart(export.chart),
        )
        chart_column.vega_lite_chart(
            slide_chart.spec, width="stretch", key=f"briefing_chart_{number}"
        )
        for sentence in export.headlines:
            text_column.markdown(escape_markdown(sentence))
        for line in export.commentary:
            text_column.markdown("> " + escape_markdown(line))
        text_column.caption(escape_markdown(export.measure_note))
        st.caption(escape_markdown(export.provenance.footnote()))
