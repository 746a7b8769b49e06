"""Opinion Lens analysis core: pure Python, never imports streamlit (or anything in pages/).

Data flow: readers (bytes → text) → structure (Document) → sentiment (per sentence) → metrics
(counts, nev, nev_polar) → themes, keywords, entities and stated numbers = ArticleAnalysis;
posts go through corpus (ingest → clean → timeparse → scoring → aggregate → spikes).

Layers, lowest first. A module imports from its own layer or a lower one, never a higher one
(tests/test_layers.py fails when it does, counting imports inside functions too):

0. records: `records` (the frozen dataclasses every stage returns), `errors`, `lazy` (single
   flight), `access` (who may edit: a policy, no I/O).
1. text and measures: `text/` (scripts, dates, normalize, decode, lang, keywords) and `metrics`
   (counts, shares, the two NEV formulas).
2. analysis: reading and scoring an article (`readers/`, `sentences`, `structure/`, `metadata`,
   `stated_numbers/`, `themes`, `sentiment/`, `emotion/`, `pipeline`), `entities/`, `review/`, storage
   (`library/`: where the database lives, its records and tables, and `Library` in one module per
   part; `intake`), `warm` (a process's first-time loads, in the background) and the posts
   corpus (`corpus/` but its view and charts).
3. presentation: how results are shown and exported: `format`, `i18n`, `charts/`,
   `corpus.view` (the Posts page's view of a corpus), `corpus.captions` (its sentences and tables)
   and `corpus.charts`, `export`, `report`, `model_card`.
4. interfaces: `cli/` and `__main__`.

The Streamlit app (dashboard.py, pages/) sits above all of them.
"""

__version__ = "0.1.0"
