"""Pieces of HTML for `st.html`: a tile, a line or a list of cards drawn as one element.

Why: each Streamlit element is a message the server builds, queues and sends on every rerun, so
a page of small pieces (a caption, a badge, a picture, another caption ...) cost the Overview,
Since and Sources pages most of their rerun. Written once per data version and drawn as one
element, they look the same (`page_styles.PARTS_CSS` gives them Streamlit's own text sizes) for
a fraction of the cost. Every text from the data goes through `html.escape`, so markup in it
shows as written. No Streamlit here.
"""

from base64 import b64encode
from collections.abc import Iterable
from html import escape

from dashboard.charts import StaticChart

# st.badge's colours (Streamlit 1.67, light theme): background, text.
BADGE_COLOURS = {
    "orange": ("#fff6ed", "#9b4519"),
    "blue": ("#edf5ff", "#244fb4"),
}


def paragraph(text: str) -> str:
    """Body text, as st.markdown shows a plain paragraph."""
    return f'<p class="part-text">{escape(text)}</p>'


def caption(text: str) -> str:
    """Small faded text, as st.caption shows it."""
    return f'<p class="part-caption">{escape(text)}</p>'


def label_and_text(label: str, text: str) -> str:
    """'**Shown as:** percentage (%)': a bold label, then the text."""
    return f'<p class="part-text"><strong>{escape(label)}</strong> {escape(text)}</p>'


def badge(text: str, *, icon: str, colour: str) -> str:
    """A small coloured label with a Material icon, as st.badge draws it; the icon is named for
    screen readers as Streamlit names it ("info icon")."""
    background, foreground = BADGE_COLOURS[colour]
    symbol = (
        f'<span class="part-icon" role="img" aria-label="{escape(icon)} icon" translate="no">'
        f"{escape(icon)}</span> "
    )
    return (
        f'<p class="part-badges"><span class="part-badge" style="background-color: {background}; '
        f'color: {foreground};">{symbol}{escape(text)}</span></p>'
    )


def picture(chart: StaticChart) -> str:
    """A chart drawn on the server, full width, with its screen-reader text as alt text."""
    source = "data:image/svg+xml;base64," + b64encode(chart.svg.encode()).decode()
    return f'<img class="part-picture" src="{source}" alt="{escape(chart.description)}">'


def block(parts: Iterable[str], *, css_class: str = "") -> str:
    """Parts one under another, spaced as Streamlit spaces elements."""
    extra = f" {css_class}" if css_class else ""
    return f'<div class="part-stack{extra}">{"".join(parts)}</div>'


def side_by_side(main: str, aside: str) -> str:
    """`main` with `aside` to its right (5:2), one under the other on a phone, as st.columns."""
    return f'<div class="part-pair"><div>{main}</div><div>{aside}</div></div>'


def card(title: str, details: str) -> str:
    """A bordered card: the title in bold, its details under it."""
    return (
        f'<div class="part-card"><p class="part-text"><strong>{escape(title)}</strong><br>'
        f"{escape(details)}</p></div>"
    )
