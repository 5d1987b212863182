"""Fixed stylesheets (and the presenter's key script) for printing and presenting; constants
only, never built from data."""

# Printing any page gives the content alone: no menu, toolbar or buttons, charts kept whole.
PRINT_CSS = """<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], .stButton, .stDownloadButton, [data-testid="stExpander"],
  [data-testid="stElementToolbar"], [data-testid="stPopover"], .stPopover,
  [data-testid="stElementContainer"]:has(> [data-testid="stSelectbox"]),
  [data-testid="stElementContainer"]:has(> [data-testid="stMultiSelect"]),
  [data-testid="stElementContainer"]:has(> [data-testid="stCheckbox"]),
  [data-testid="stElementContainer"]:has(> [data-testid="stRadio"]),
  [data-testid="stElementContainer"]:has(> [data-testid="stDateInput"]),
  [data-testid="stElementContainer"]:has(> [data-testid="stTextInput"]),
  [data-testid="stElementContainer"]:has(> [data-testid="stSlider"]),
  [data-testid="stElementContainer"]:has(> [data-testid="stSegmentedControl"]),
  [data-testid="stElementContainer"]:has(> [data-testid="stPageLink"]),
  [data-testid="stElementContainer"]:has(> [data-testid="stFileUploader"]),
  .st-key-indicator_controls { display: none !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0 !important; }
  [data-testid="stVegaLiteChart"], [data-testid="stMetric"], .stVegaLiteChart, img, svg,
  canvas, [data-testid="stTable"] tr, table.verdicts tr,
  [data-testid="stVerticalBlock"][class*="st-key-indicator_national_"],
  [class*="st-key-overview_row_"] [data-testid="stColumn"] {
    break-inside: avoid; page-break-inside: avoid;
  }
  [data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg {
    max-width: 100% !important; height: auto !important;
  }
  [data-testid="stTable"] { overflow: visible !important; }
  [data-testid="stTable"] table { font-size: 9pt; width: 100% !important; table-layout: fixed; }
  [data-testid="stTable"] th, [data-testid="stTable"] td {
    overflow-wrap: anywhere; white-space: normal !important;
  }
  [data-testid="stTable"] tr > :first-child { width: 8.5em; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
}
</style>"""

# On screen, the page starts just under the header's menu button rather than a header's height
# lower: the Indicator page's chart and the Overview's verdicts fit a 1280x720 projector.
SCREEN_CSS = """<style>
@media screen {
  [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
  [data-testid="stMainBlockContainer"] h1 { padding-top: 0.4rem; font-size: 2.3rem; }
}
</style>"""

# Presentation mode: one slide fills the screen and never more, its words read from the back.
# The slide is a column of the viewport's height: heading, then the chart (or figures) beside
# the sentences taking what is left, then the source line and a small counter. Text sizes follow
# the viewport's height, so the same slide fits 1280x720 and 1920x1080.
PRESENT_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
.st-key-present_mode, [data-testid="stLayoutWrapper"]:has(> .st-key-present_keys) {
  display: none !important;
}
[data-testid="stMainBlockContainer"] {
  padding: 2vh 2.5vw 0 !important; max-width: 100% !important;
}
[data-testid="stLayoutWrapper"]:has(> .st-key-present_slide) {
  height: 97vh !important; flex: 0 0 97vh !important;
}
.st-key-present_slide { gap: 1.5vh; overflow: hidden !important; }
/* Streamlit hangs each text block's last margin below its box; on a slide every box is honest,
   so what is measured is what is seen. */
.st-key-present_slide [data-testid="stMarkdownContainer"],
.st-key-present_slide [data-testid="stCaptionContainer"],
.st-key-present_slide [data-testid="stMarkdownContainer"] p,
.st-key-present_slide [data-testid="stCaptionContainer"] p {
  margin-bottom: 0 !important;
}
.st-key-present_slide_heading { gap: 0.5vh; }
.st-key-present_slide_heading h2 {
  font-size: clamp(1.5rem, 5.4vh, 3.2rem) !important; padding: 0 !important; line-height: 1.15;
}
.st-key-present_slide_heading .stMarkdownBadge {
  font-size: clamp(0.9rem, 2.6vh, 1.5rem) !important;
}
[data-testid="stLayoutWrapper"]:has(> .st-key-present_body) {
  flex: 1 1 0 !important; min-height: 0;
}
.st-key-present_body { gap: 2.5vw; height: 100%; }
.st-key-present_body > [data-testid="stElementContainer"],
[data-testid="stLayoutWrapper"]:has(> .st-key-present_figures) {
  flex: 3 1 0 !important; min-width: 0;
}
[data-testid="stLayoutWrapper"]:has(> .st-key-present_slide_text) {
  flex: 2 1 0 !important; min-width: 0; overflow: hidden;
}
.st-key-present_slide_text { gap: 1.5vh; }
.st-key-present_slide_text p { font-size: clamp(1rem, 3vh, 1.9rem) !important; line-height: 1.3; }
.st-key-present_slide_text li, .st-key-present_slide_text li p {
  font-size: clamp(0.95rem, 2.7vh, 1.7rem) !important; line-height: 1.3;
}
.st-key-present_figures { gap: 2vh; }
.st-key-present_figures [data-testid="stMetricValue"] p {
  font-size: clamp(2.5rem, 13vh, 9rem) !important; line-height: 1.1;
}
.st-key-present_figures [data-testid="stMetricLabel"] p {
  font-size: clamp(1rem, 3.6vh, 2.2rem) !important;
}
.st-key-present_figures > [data-testid="stElementContainer"] p {
  font-size: clamp(1rem, 3vh, 1.9rem) !important;
}
.st-key-present_foot { gap: 1.5vw; flex-wrap: nowrap !important; }
.st-key-present_foot > [data-testid="stElementContainer"] { flex: 1 1 0 !important; min-width: 0; }
.st-key-present_foot [data-testid="stCaptionContainer"] {
  font-size: clamp(0.7rem, 1.7vh, 0.95rem) !important; line-height: 1.3;
}
[data-testid="stLayoutWrapper"]:has(> .st-key-present_nav) { flex: 0 0 auto !important; }
.st-key-present_nav { gap: 0.5rem; }
.st-key-present_nav button { min-height: 0; padding: 0.1rem 0.5rem; }
.st-key-present_nav p { font-size: 0.85rem !important; white-space: nowrap; }
</style>"""

# A presenter's clicker sends Right/Left, Page Down/Up or space; Escape leaves presenting.
# Streamlit has no key events, so the keys click the slide's own buttons (found by their key
# class), which keeps one path for mouse and keys. Attached once per browser tab however
# often the page reruns, and only acts while a slide is shown and nobody is typing.
CLICKER_KEYS_JS = """<script>
(() => {
  if (window.slideKeysAttached) return;
  window.slideKeysAttached = true;
  const buttons = {
    ArrowRight: "present_next", PageDown: "present_next", " ": "present_next",
    ArrowLeft: "present_previous", PageUp: "present_previous", Escape: "present_exit",
  };
  document.addEventListener("keydown", (event) => {
    const key = buttons[event.key];
    if (!key || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    const typing = event.target.closest?.("input, textarea, select, [contenteditable='true']");
    if (typing || !document.querySelector(".st-key-present_exit")) return;
    event.preventDefault();
    const button = document.querySelector(`.st-key-${key} button`);
    if (button && !button.disabled) button.click();
    // A focused button would also take the space bar as a click of its own.
    document.activeElement?.blur?.();
  });
})();
</script>"""

# Indicator chips shown whole: names are long ("Second or subsequent child protection plans
# (official statistics)") and a chip cut to "Second or subs..." cannot be told from its twin.
PICKER_CSS = """<style>
[class*="st-key-indicator_picker_"] .react-aria-ComboBox > div {
  max-height: none !important; height: auto !important;
}
[class*="st-key-indicator_picker_"] .react-aria-ComboBox > div > div {
  flex-wrap: wrap !important; overflow: visible !important; row-gap: 4px;
  mask-image: none !important; -webkit-mask-image: none !important;
}
[class*="st-key-indicator_picker_"] .react-aria-ComboBox span {
  max-width: none !important; white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important;
}
</style>"""

# Keyboard focus shown plainly on every control (WCAG 2.4.7 and 2.4.11): a 3px outline in the
# theme's primary colour, set off from the control, where Streamlit shows a faint band or
# nothing (its switches and menu links). Only for keyboard focus (:focus-visible), so a click
# leaves no ring. The switch's real input is hidden, so the ring goes round its label.
FOCUS_RING = "outline: 3px solid #1f5fa8 !important; outline-offset: 2px !important;"
FOCUS_CSS = f"""<style>
a:focus-visible, button:focus-visible, summary:focus-visible, [role="tab"]:focus-visible,
[data-testid="stCheckbox"] label:has(input:focus-visible),
[data-testid="stRadio"] label:has(input:focus-visible),
:is([data-testid="stSelectbox"], [data-testid="stMultiSelect"])
  [role="group"][data-rac]:has(input:focus-visible),
[data-testid="stMultiSelect"] [data-tag]:focus-visible,
[data-testid="stTextInput"] input:focus-visible, [data-testid="stNumberInput"] input:focus-visible,
[data-testid="stDateInput"] input:focus-visible, textarea:focus-visible {{
  {FOCUS_RING} border-radius: 4px;
}}
/* A typing box squeezed by many chosen items still leaves a target a finger can hit (WCAG
   2.5.8 asks for 24px). */
[data-testid="stMultiSelect"] input[role="combobox"] {{ min-width: 24px !important; }}
</style>"""

# The pieces html_parts writes (a tile's lines, a Since line, the Sources cards), drawn as one
# element each, in Streamlit's own sizes: body text, a caption (smaller, faded), a badge, a
# bordered card, and the 1rem between elements; a pair side by side stacks on a phone as
# st.columns does (under 640px).
PARTS_CSS = """<style>
.part-stack { display: flex; flex-direction: column; gap: 1rem; }
.part-stack p { margin: 0; line-height: 1.6; }
.part-text { font-size: 1rem; }
.part-caption { font-size: 0.875rem; opacity: 0.6; overflow-wrap: break-word; }
.part-badge { font-size: 0.875rem; padding: 0 0.25rem; border-radius: 0.25rem; }
.part-icon {
  display: inline-block; font-family: "Material Symbols Rounded"; font-weight: 400;
  user-select: none; vertical-align: bottom; white-space: nowrap; overflow-wrap: normal;
}
.part-picture { display: block; width: 100%; height: auto; }
.part-pair { display: grid; grid-template-columns: 5fr 2fr; gap: 1rem; align-items: center; }
@media (max-width: 640px) { .part-pair { grid-template-columns: 1fr; } }
.part-card {
  border: 1px solid rgba(26, 26, 26, 0.2); border-radius: 0.5rem; padding: 16px;
  break-inside: avoid; page-break-inside: avoid;
}
.part-card p { margin: 0; line-height: 1.6; overflow-wrap: break-word; }
/* An Overview row: its columns are bordered so each tile needs no container of its own; the
   first, which says what the indicator is, stands unbordered as before. */
[class*="st-key-overview_row_"] [data-testid="stColumn"]:first-child {
  border: none; padding: 0;
}
</style>"""
