"""One error family: every error shown to a user is an OpinionLensError with a code, and pickles."""

from __future__ import annotations

import pickle

import pytest

from analysis.cli import CliError
from analysis.corpus.ingest import CorpusError
from analysis.corpus.timeparse import TimeZoneError, check_tz
from analysis.errors import OpinionLensError
from analysis.library import LibraryError
from analysis.readers import ReaderError, read_document
from analysis.sentiment import SentimentError, get_model
from analysis.sentiment.datasets import DatasetError
from analysis.sentiment.embedding import EncoderUnavailableError
from analysis.structure import StructureError, parse_document
from analysis.themes import TaxonomyError

FAMILY = [
    (ReaderError("empty", "the file is empty"), "empty"),
    (CorpusError("binary", "not a table", column="x"), "binary"),
    (LibraryError("the library is read-only"), "library"),
    (SentimentError("unknown model"), "sentiment"),
    (StructureError("empty text"), "empty_text"),
    (TaxonomyError("bad taxonomy"), "taxonomy"),
    (TimeZoneError("unknown zone"), "bad_tz"),
    (CliError("no such file", 3), "cli"),
    (DatasetError("missing set"), "dataset_missing"),
    (EncoderUnavailableError("no engine"), "encoder_unavailable"),
]


@pytest.mark.parametrize(
    ("error", "code"), FAMILY, ids=lambda v: type(v).__name__ if isinstance(v, Exception) else v
)
def test_every_user_error_is_in_the_family_with_a_code(error: OpinionLensError, code: str) -> None:
    assert isinstance(error, OpinionLensError)
    assert error.code == code
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is type(error)
    assert (clone.code, str(clone)) == (code, str(error))


def test_fields_and_cli_status_survive_pickling() -> None:
    assert pickle.loads(pickle.dumps(CorpusError("bad_option", "m", column="x"))).fields == {"column": "x"}
    assert pickle.loads(pickle.dumps(CliError("m", 3))).status == 3


def test_real_failures_raise_family_members() -> None:
    with pytest.raises(OpinionLensError) as info:
        read_document(b"", "a.txt")
    assert info.value.code == "empty"
    with pytest.raises(OpinionLensError):
        parse_document("   ")
    with pytest.raises(OpinionLensError) as info:
        check_tz("Mars/Olympus")
    assert info.value.code == "bad_tz"
    with pytest.raises(OpinionLensError):
        get_model("no-such-model")


def test_dataset_error_is_still_a_file_not_found_error() -> None:
    assert isinstance(DatasetError("x"), FileNotFoundError)  # scripts catch it as such
