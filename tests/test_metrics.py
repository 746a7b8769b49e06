import pytest

from analysis.metrics import summarize_counts, summarize_labels, wilson_interval


def test_hand_computed_both_formulas() -> None:
    # P=2, U=1, N=7: nev = (2-7)/10 = -0.5; nev_polar = (2-7)/9
    s = summarize_counts(2, 1, 7)
    assert s.n == 10
    assert s.nev == pytest.approx(-0.5)
    assert s.nev_polar == pytest.approx(-5 / 9)
    assert s.share("negative") == pytest.approx(0.7)


def test_seed_like_all_negative() -> None:
    s = summarize_counts(0, 1, 24)
    assert s.nev == pytest.approx(-24 / 25)  # -96%
    assert s.nev_polar == pytest.approx(-1.0)


def test_polar_is_null_when_no_polar_sentences() -> None:
    s = summarize_counts(0, 5, 0)
    assert s.nev == 0.0
    assert s.nev_polar is None


def test_empty_has_no_values() -> None:
    s = summarize_counts(0, 0, 0)
    assert s.n == 0 and s.nev is None and s.nev_polar is None
    assert s.share("positive") is None


def test_labels_with_unscored_left_out() -> None:
    s = summarize_labels(["positive", None, "negative", "negative", "neutral", None])
    assert (s.n, s.positive, s.neutral, s.negative, s.unscored) == (4, 1, 1, 2, 2)
    assert s.nev == pytest.approx(-0.25)
    assert s.nev_polar == pytest.approx(-1 / 3)


def test_unknown_label_rejected() -> None:
    with pytest.raises(ValueError):
        summarize_labels(["good"])
    with pytest.raises(ValueError):
        summarize_counts(-1, 0, 0)


def test_wilson_interval_brackets_share() -> None:
    lo, hi = wilson_interval(24, 25)
    assert lo < 0.96 < hi
    assert wilson_interval(0, 0) is None
