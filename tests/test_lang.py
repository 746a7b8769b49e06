from analysis.text.lang import detect_lang, document_language


def test_languages() -> None:
    assert detect_lang("小米汽车陷入困境,问题出在哪?") == "zh"
    assert detect_lang("The negative public sentiment has reached 96%.") == "en"
    assert detect_lang("小米SU7 Ultra的售价为52.99万元。") == "zh"  # mixed, mostly Chinese
    assert detect_lang("Xiaomi's SU7 sales fell sharply in October, 小米 said.") == "en"
    assert detect_lang("日本語のテキストです") == "other"
    assert detect_lang("Привет, как дела?") == "other"
    assert detect_lang("12345 %%% ---") == "other"
    assert detect_lang("") == "other"


def test_document_language() -> None:
    assert document_language(["zh"] * 9 + ["en"]) == "zh"
    assert document_language(["en"] * 10) == "en"
    assert document_language(["zh"] * 5 + ["en"] * 5) == "mixed"
    assert document_language(["other"]) == "other"
