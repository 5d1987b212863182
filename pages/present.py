"""Presentation: chosen indicators one per screen, large type, next/previous; a shareable link."""

from datetime import date

import streamlit as st

from dashboard.catalogue import Indicator
from dashboard.chart_cache import prepare_chart
from dashboard.components import Link, load_dashboard_data, memo
from dashboard.config import OVERVIEW_INDICATORS
from dashboard.export_widgets import slide_export
from dashboard.exports import (
    default_slide_indicators,
    latest_figure_note,
    newest_year,
    presentation_chart,
)
from dashboard.formatting import escape_markdown
from dashboard.frame import ensure_app_frame
from dashboard.indicator_picker import indicators_param, pick_indicators, seed_indicators
from dashboard.meeting_widgets import pick_since, render_summary_slide, since_summary
from dashboard.page_styles import CLICKER_KEYS_JS, PRESENT_CSS
from dashboard.url_state import FLAG, NUMBER, UrlParam

ensure_app_frame()

INDICATORS = indicators_param("present")

SLIDE_KEY = "present_slide"
SLIDE_HEIGHT = 600  # px; PRESENT_CSS replaces it with the screen's height
PRESENTING = UrlParam("present", "present_mode", FLAG)


def move(step: int, count: int) -> None:
    """Next / previous, staying within the list."""
    st.session_state[SLIDE_KEY] = min(max(st.session_state.get(SLIDE_KEY, 1) + step, 1), count)


def leave() -> None:
    """Exit (or Escape): back to choosing indicators, on the same slide."""
    st.session_state[PRESENTING.key] = False


data = load_dashboard_data()
catalogue = data.catalogue
link = Link()

ids = catalogue.ids
defaults = default_slide_indicators(catalogue, OVERVIEW_INDICATORS) or ids[:1]
link.seed(PRESENTING, default=False)
seed_indicators(link, catalogue, INDICATORS)

presenting = bool(st.session_state[PRESENTING.key])
if presenting:
    st.html(PRESENT_CSS)
    chosen = st.session_state[INDICATORS.key] or defaults
else:
    st.title("Presentation")
    st.markdown(
        "Choose indicators and switch on presentation mode: one indicator per screen with large "
        "type, for a projector. The address in your browser is a link to this exact set of "
        "slides; share it and it opens the same way."
    )
    chosen = pick_indicators(
        catalogue, data.version, INDICATORS, label="Indicators, in the order to present them"
    )
    if not chosen:
        st.caption(
            escape_markdown(
                "Nothing chosen yet, so the slides show the headline indicators: "
                + "; ".join(catalogue[i].label for i in defaults)
                + "."
            )
        )
    chosen = chosen or defaults
    st.page_link(
        "pages/briefing.py",
        label="Make a briefing pack of these",
        icon=":material/download:",
        query_params={"indicators": ",".join(chosen)},
    )
st.toggle(
    "Presentation mode",
    key=PRESENTING.key,
    help="Hides the menu and controls and enlarges text. Switch off to choose indicators again.",
)

if not presenting:
    st.markdown("The first slide says what changed since the board last met.")
day, named = pick_since(link, data, date.today(), widget=not presenting)
count = len(chosen) + 1  # slide 1: since the last meeting
slide = UrlParam("slide", SLIDE_KEY, NUMBER, f"slide (1 to {count})")
link.seed(slide, list(range(1, count + 1)), 1)
st.session_state[SLIDE_KEY] = min(max(int(st.session_state[SLIDE_KEY]), 1), count)
number = st.session_state[SLIDE_KEY]
link.write()


def slide_nav() -> None:
    """Previous / Next and the counter; while presenting also Exit (what Escape clicks)."""
    with st.container(
        horizontal=True, key="present_nav", vertical_alignment="center", width="content"
    ):
        st.button(
            "Previous",
            icon=":material/arrow_back:",
            key="present_previous",
            on_click=move,
            args=(-1, count),
            disabled=number <= 1,
        )
        st.markdown(escape_markdown(f"Slide {number} of {count}"))
        st.button(
            "Next",
            icon=":material/arrow_forward:",
            key="present_next",
            on_click=move,
            args=(1, count),
            disabled=number >= count,
        )
        if presenting:
            st.button(
                "Exit",
                icon=":material/close:",
                key="present_exit",
                on_click=leave,
                help="Leave presentation mode (Esc). Right/Left, Page Down/Up and space move.",
            )


if presenting:
    with st.container(key="present_keys"):
        st.html(CLICKER_KEYS_JS, unsafe_allow_javascript=True)
else:
    slide_nav()

slide_box = st.container(
    key="present_slide", height=SLIDE_HEIGHT if presenting else "content", border=False
)


def summary_slide() -> None:
    with slide_box:
        render_summary_slide(since_summary(data, day), named)
        if presenting:
            with st.container(horizontal=True, key="present_foot", vertical_alignment="bottom"):
                st.caption("Ranked: deteriorations beyond chance first. Details on the Since page.")
                slide_nav()


def indicator_slide(indicator: Indicator) -> None:
    export = slide_export(
        data.observations, indicator, data.area_names, data.version, data.commentary, 460
    )
    newest = memo(data, ("newest_year",), lambda: newest_year(data.observations))
    # While presenting the slide is exactly one screen high (PRESENT_CSS sets the height).
    with slide_box:
        with st.container(key="present_slide_heading"):
            st.header(escape_markdown(indicator.name), anchor=False)
            old = latest_figure_note(export, newest) if export else ""
            if old:
                st.markdown(f":orange-badge[:material/history: {escape_markdown(old)}]")
        if export is None:
            st.info(
                escape_markdown(f"{indicator.label}: no figures to show."), icon=":material/info:"
            )
        else:
            with st.container(horizontal=True, key="present_body"):
                if export.figures:
                    with st.container(key="present_figures"):
                        with st.container(horizontal=True):
                            for figure in export.figures:
                                st.metric(escape_markdown(figure.area), figure.value)
                        first = export.figures[0]
                        st.markdown(
                            escape_markdown(f"{first.unit}, {first.period}: one figure only.")
                        )
                else:
                    slide_chart = memo(
                        data,
                        ("present_chart", indicator.id),
                        lambda: prepare_chart(presentation_chart(export.chart)),
                    )
                    st.vega_lite_chart(
                        slide_chart.spec,
                        width="stretch",
                        height="stretch" if presenting else "content",
                        key="present_chart",
                    )
                with st.container(key="present_slide_text"):
                    for sentence in export.headlines:
                        st.markdown(escape_markdown(sentence))
                    for line in export.commentary:
                        st.markdown("> " + escape_markdown(line))
        with st.container(horizontal=True, key="present_foot", vertical_alignment="bottom"):
            if export is not None:
                st.caption(escape_markdown(f"{export.measure_note} {export.provenance.footnote()}"))
            if presenting:
                slide_nav()


if number == 1:
    summary_slide()
else:
    indicator_slide(catalogue[chosen[number - 2]])
