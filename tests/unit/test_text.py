"""The text loader, the character vocabulary and next-character windows."""

from __future__ import annotations

import numpy as np
import pytest

from dlguide.data.text import PRINTABLE, CharVocabulary, load_text, make_char_dataset, split_text


def test_load_text_is_clean_fixed_and_bounded():
    text = load_text()
    assert isinstance(text, str) and len(text) == 200_000
    assert set(text) <= set(PRINTABLE)
    assert "  " not in text and "\n\n\n" not in text and "\t" not in text
    assert text == load_text()
    assert load_text(max_chars=500) == text[:500]
    assert "statement" in text  # it is the Python documentation


@pytest.mark.parametrize(("value", "error"), [(0, ValueError), (1.5, TypeError), (True, TypeError)])
def test_load_text_rejects_bad_max_chars(value, error):
    with pytest.raises(error, match="max_chars"):
        load_text(max_chars=value)


def test_vocabulary_round_trip():
    text = load_text(max_chars=20_000)
    vocab = CharVocabulary(text)
    ids = vocab.encode(text)
    assert ids.dtype == np.int64 and ids.shape == (20_000,)
    assert ids.min() == 0 and ids.max() == vocab.size - 1 == len(vocab) - 1
    assert vocab.decode(ids) == text
    assert list(vocab.chars) == sorted(set(text))


def test_vocabulary_rejects_bad_input():
    vocab = CharVocabulary("abc")
    with pytest.raises(ValueError, match="outside the vocabulary"):
        vocab.encode("abd")
    with pytest.raises(TypeError, match="text"):
        vocab.encode(b"abc")
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        vocab.decode([0, 3])
    with pytest.raises(TypeError, match="ids"):
        vocab.decode([0.0, 1.0])
    with pytest.raises(ValueError, match="empty"):
        CharVocabulary("")
    with pytest.raises(TypeError, match="text"):
        CharVocabulary(["a", "b"])


def test_char_dataset_targets_are_the_next_characters():
    text = load_text(max_chars=5_000)
    vocab = CharVocabulary(text)
    x, y = make_char_dataset(text, vocab, context_length=32, stride=7)
    assert x.shape == y.shape == ((5_000 - 32 - 1) // 7 + 1, 32)
    assert x.dtype == y.dtype == np.int64
    np.testing.assert_array_equal(x[:, 1:], y[:, :-1])
    ids = vocab.encode(text)
    for i in (0, 5, len(x) - 1):
        np.testing.assert_array_equal(x[i], ids[7 * i : 7 * i + 32])
        np.testing.assert_array_equal(y[i], ids[7 * i + 1 : 7 * i + 33])


def test_char_dataset_default_stride_does_not_overlap():
    vocab = CharVocabulary("abcdefghij")
    x, y = make_char_dataset("abcdefghij", vocab, context_length=3)
    assert x.tolist() == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert y.tolist() == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"context_length": 0}, ValueError, "context_length"),
        ({"context_length": 10}, ValueError, "at least"),
        ({"context_length": 3, "stride": 0}, ValueError, "stride"),
        ({"context_length": 3, "stride": 1.0}, TypeError, "stride"),
        ({"context_length": 3, "vocab": "abc"}, TypeError, "vocab"),
    ],
)
def test_char_dataset_rejects_bad_arguments(kwargs, error, match):
    arguments = {"vocab": CharVocabulary("abcdefghij"), **kwargs}
    with pytest.raises(error, match=match):
        make_char_dataset("abcdefghij", **arguments)


def test_split_text():
    text = load_text(max_chars=10_000)
    train, test = split_text(text, test_fraction=0.1)
    assert len(train) == 9_000 and len(test) == 1_000 and train + test == text
    with pytest.raises(ValueError, match="test_fraction"):
        split_text(text, test_fraction=1.0)
    with pytest.raises(TypeError, match="text"):
        split_text(None)
