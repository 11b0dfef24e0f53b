"""The app's few style rules for a projector (the theme is in .streamlit/config.toml): words stay
whole, metric labels, verdicts and pills wrap instead of being cut or scrolled, and the sidebar
leaves the page room at 1280 px. The file uploader speaks Swedish."""

from __future__ import annotations

import streamlit as st

CSS = """<style>
[data-testid="stMain"] :is(h1, h2, h3, h4, h5, h6) { overflow-wrap: normal; word-break: normal; hyphens: manual; }
:is([data-testid="stMetricLabel"], [data-testid="stMetricValue"], [data-testid="stMetricDelta"]),
:is([data-testid="stMetricLabel"], [data-testid="stMetricValue"], [data-testid="stMetricDelta"]) * {
  white-space: normal !important; text-overflow: clip !important; overflow: visible !important;
  height: auto !important; overflow-wrap: normal !important; word-break: normal !important; }
[data-testid="stMain"] label, [data-testid="stMain"] label * {
  white-space: normal !important; text-overflow: clip !important; overflow: visible !important; }
/* pills wrap onto a second row rather than hide an option behind a sideways scroll */
[data-testid="stButtonGroup"] div:has(> button) { flex-wrap: wrap !important; overflow: visible !important; }
@media (max-width: 1440px) {
  [data-testid="stSidebar"] { width: 15rem !important; min-width: 15rem !important; }
}
[data-testid="stMainBlockContainer"] { padding: 2.5rem 2rem 3rem 2rem !important; }
/* Streamlit's file uploader is English only: its words replaced by Swedish ones */
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0 !important; }
[data-testid="stFileUploaderDropzoneInstructions"] > div > span:first-child::after {
  content: "Dra och släpp filen här"; font-size: 1rem; }
[data-testid="stFileUploaderDropzoneInstructions"] > div > small { font-size: 0 !important; }
[data-testid="stFileUploaderDropzoneInstructions"] > div > small::after {
  content: "Högst 50 MB per fil"; font-size: 0.85rem; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] { font-size: 0 !important; }
/* the button's own word sits in a markdown block with its own size: hidden, not shrunk */
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"]
  [data-testid="stMarkdownContainer"] { display: none !important; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"]::after {
  content: "Välj fil"; font-size: 1rem; margin-left: 0.4rem; }
</style>"""


def page_style() -> None:
    st.html(CSS)
