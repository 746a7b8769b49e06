"""The text layer: one home for what every stage needs to know about text.

- `scripts`: Unicode ranges of Han characters and CJK punctuation.
- `dates`: calendar words, the default zone (China time) with its one rule for zone-less times,
  and the one date parser that readers, structure and the corpus use.
- `normalize`: the normalisation policy, the stored form of a text and its content hash.
- `decode`: bytes to text (UTF-8, GB18030, UTF-16), the one encoding sniffer.
- `lang`: the language of a sentence (zh, en or other) and of a document.
- `keywords`: the one keyword extractor (jieba TF-IDF on our own tokenizer; RAKE for English).
"""
