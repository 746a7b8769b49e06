"""Plotly figure builders for the dashboard: pure functions of the data model, no Streamlit.

Every builder takes the UI language (`lang`, "zh" or "en") for its labels and returns a
`go.Figure`, so tests assert on figures directly. Hover texts carry the counts and the formula
behind each number (ARCHITECTURE.md: a net emotional value is never shown without them). Colours
come from analysis.format: the label palette, the NEV scale fixed to [-1, 1], the gauge's zones.

- `summary`: one summary at a glance (gauge, shares, strip) and NEV bars side by side.
- `groups`: an article by viewpoint group, and its emotional arc.
- `themes`: keywords and themes.
- `compare`: across articles (the library timeline, the Compare page).
- `entities`: entity charts.
- `emotions`: emotion mixes (the article, its groups, its negative sentences).
- `highlight`: evidence marked in a sentence, as safe HTML.
- `labels`: text on a chart, cut and escaped.
"""

from analysis.charts.compare import compare_nev_bars, compare_shares, compare_themes, library_timeline
from analysis.charts.emotions import article_emotion_rows, emotion_mix_bars
from analysis.charts.entities import (
    compare_entities,
    entity_group_matrix,
    entity_label,
    entity_nev_bars,
    top_compared_entities,
)
from analysis.charts.groups import emotional_arc, group_names, group_nev_bars, rolling_mean, short_group_names
from analysis.charts.highlight import highlight_evidence
from analysis.charts.summary import label_shares, nev_gauge, share_strip, summary_hover
from analysis.charts.themes import keyword_bars, theme_group_matrix, theme_treemap

__all__ = [
    "article_emotion_rows",
    "compare_entities",
    "compare_nev_bars",
    "compare_shares",
    "compare_themes",
    "emotion_mix_bars",
    "emotional_arc",
    "entity_group_matrix",
    "entity_label",
    "entity_nev_bars",
    "group_names",
    "group_nev_bars",
    "highlight_evidence",
    "keyword_bars",
    "label_shares",
    "library_timeline",
    "nev_gauge",
    "rolling_mean",
    "share_strip",
    "short_group_names",
    "summary_hover",
    "theme_group_matrix",
    "theme_treemap",
    "top_compared_entities",
]
