"""The bare reference page benchmarks compare against: a title, a selectbox and one 10-row Altair
line chart (the same page as ../shared/tools/baseline_app.py, carried here)."""

import altair as alt
import pandas as pd
import streamlit as st

st.title("Baseline")
choice = st.selectbox("Series", ["a", "b", "c"])
frame = pd.DataFrame({"x": list(range(10)), "y": [i * i for i in range(10)]})
chart = alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q")
st.altair_chart(chart, width="stretch")
