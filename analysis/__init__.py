"""Opinion Lens analysis core: pure Python, never imports streamlit.

Data flow: readers (bytes → text) → structure (Document) → sentiment (per sentence) → metrics
(counts, nev, nev_polar) → themes and keywords → figures = ArticleAnalysis.
"""

__version__ = "0.1.0"
