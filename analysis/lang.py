"""Moved to `analysis.text.lang` (issue 21); this shim keeps old imports working for a while."""

from analysis.text.lang import detect_lang, document_language

__all__ = ["detect_lang", "document_language"]
