"""Fixed stylesheets for printing and presenting; constants only, never built from data."""

# Printing any page gives the content alone: no menu, toolbar or buttons, charts kept whole.
PRINT_CSS = """<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], .stButton, .stDownloadButton, [data-testid="stExpander"],
  [data-testid="stElementToolbar"] { display: none !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0 !important; }
  [data-testid="stVegaLiteChart"], [data-testid="stMetric"], .stVegaLiteChart, img, svg,
  canvas, [data-testid="stVerticalBlockBorderWrapper"],
  [data-testid="stVerticalBlock"][class*="st-key-indicator_national_"],
  [data-testid="stVerticalBlock"][class*="st-key-overview_tile_"] {
    break-inside: avoid; page-break-inside: avoid;
  }
  [data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg {
    max-width: 100% !important; height: auto !important;
  }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
}
</style>"""

# Presentation mode: the slide fills the screen and its words can be read from the back.
PRESENT_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {
  display: none !important;
}
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem !important; max-width: 96vw; }
.st-key-present_slide_text p { font-size: 1.75rem !important; line-height: 1.35; }
.st-key-present_slide_heading h2 { font-size: 2.6rem !important; }
.st-key-present_nav button p { font-size: 1.3rem !important; }
</style>"""
