"""Corpora of posts and comments over time: ingest (CSV/XLSX/JSONL), time parsing, social-text
cleaning, vectorised batch scoring, per-period aggregation, spikes, charts and the CLI."""
