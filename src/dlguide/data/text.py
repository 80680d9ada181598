"""English text from the Python documentation, a character vocabulary and next-character pairs.

The text is the topic help that ships with every Python installation (``pydoc_data.topics``,
the pages ``help("for")`` shows): about 460,000 characters of the Python Language Reference and
Library docs, copyright the Python Software Foundation, under the PSF licence
(https://docs.python.org/3/license.html). It is always present and needs no download. The exact
text depends on the Python version, so sizes below are approximate.
"""

from __future__ import annotations

import re

import numpy as np

from dlguide._checks import ArrayLike, check_array, check_float, check_positive_int

# Typographic characters mapped to plain ASCII before anything outside the vocabulary is dropped.
_REPLACEMENTS = {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "\t": " "}  # noqa: RUF001
#: The characters :func:`load_text` keeps: newline and the 95 printable ASCII characters.
PRINTABLE = "\n" + "".join(chr(code) for code in range(32, 127))


def load_text(*, max_chars: int = 200_000) -> str:
    """Return cleaned English text from Python's bundled documentation topics.

    The topics are joined in sorted order of their names, typographic quotes and dashes become
    ASCII, every other character outside ``PRINTABLE`` (newline and printable ASCII) is
    dropped, runs of spaces become one space, lines are stripped and runs of blank lines become
    one blank line. The result uses at most 96 distinct characters (92 in the default first
    200,000), and the first ``max_chars`` characters are returned.

    Source: ``pydoc_data.topics`` of the running Python (the Python documentation's text,
    copyright the Python Software Foundation, PSF licence).

    Args:
        max_chars: Keep at most this many characters, >= 1.

    Returns:
        A ``str`` of at most ``max_chars`` characters (about 430,000 without the limit).

    Raises:
        TypeError, ValueError: If ``max_chars`` is not an int >= 1.

    Example:
        >>> from dlguide.data import load_text
        >>> text = load_text(max_chars=1_000)
        >>> len(text), set(text) <= set(PRINTABLE)
        (1000, True)
    """
    from pydoc_data.topics import topics

    max_chars = check_positive_int("max_chars", max_chars)
    text = "\n\n".join(topics[name] for name in sorted(topics))
    for old, new in _REPLACEMENTS.items():
        text = text.replace(old, new)
    allowed = set(PRINTABLE)
    text = "".join(char for char in text if char in allowed)
    text = re.sub(r" +", " ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text[:max_chars]


class CharVocabulary:
    """A mapping between characters and integer ids ``0..size-1``, in sorted character order.

    Args:
        text: The characters to cover: every distinct character of ``text`` gets an id.

    Raises:
        TypeError: If ``text`` is not a str.
        ValueError: If ``text`` is empty.

    Example:
        >>> vocab = CharVocabulary("hello")
        >>> vocab.size, vocab.encode("hole").tolist(), vocab.decode([3, 1])
        (4, [1, 3, 2, 0], 'oh')
    """

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        if not text:
            raise ValueError("text must not be empty")
        self.chars = "".join(sorted(set(text)))
        self._ids = {char: i for i, char in enumerate(self.chars)}

    @property
    def size(self) -> int:
        """Number of distinct characters (the ``vocab_size`` of a model)."""
        return len(self.chars)

    def __len__(self) -> int:
        return self.size

    def __repr__(self) -> str:
        return f"CharVocabulary(size={self.size})"

    def encode(self, text: str) -> np.ndarray:
        """Return the ids of the characters of ``text``, a 1-D ``int64`` array.

        Raises:
            TypeError: If ``text`` is not a str.
            ValueError: If ``text`` holds a character outside the vocabulary.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        unknown = set(text) - set(self._ids)
        if unknown:
            raise ValueError(f"text holds characters outside the vocabulary: {sorted(unknown)!r}")
        return np.fromiter((self._ids[char] for char in text), dtype=np.int64, count=len(text))

    def decode(self, ids: ArrayLike) -> str:
        """Return the text of a 1-D sequence of ids.

        Raises:
            TypeError: If ``ids`` does not hold ints.
            ValueError: If ``ids`` is not 1-D or holds an id outside ``[0, size)``.
        """
        ids = check_array("ids", ids, ndim=1)
        if ids.size and not np.issubdtype(ids.dtype, np.integer):
            raise TypeError(f"ids must hold ints, got an array of dtype {ids.dtype}")
        if ids.size and (ids.min() < 0 or ids.max() >= self.size):
            raise ValueError(
                f"ids must be in [0, {self.size}), got values from {ids.min()} to {ids.max()}"
            )
        return "".join(self.chars[i] for i in ids)


def split_text(text: str, *, test_fraction: float = 0.1) -> tuple[str, str]:
    """Split text at one position: the first part to train on, the last ``test_fraction`` to test.

    A chronological split (rather than random windows) keeps test windows from overlapping
    training windows. Build the :class:`CharVocabulary` from the whole text (or from
    ``PRINTABLE``) so that both parts can be encoded.

    Args:
        text: The text to split.
        test_fraction: Fraction of the characters held out at the end, in (0, 1).

    Returns:
        ``(train_text, test_text)``, with ``len(test_text) == round(len(text) * test_fraction)``.

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value.

    Example:
        >>> split_text("abcdefghij", test_fraction=0.2)
        ('abcdefgh', 'ij')
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    test_fraction = check_float("test_fraction", test_fraction, minimum=0.0, exclusive_minimum=True)
    if test_fraction >= 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    cut = len(text) - round(len(text) * test_fraction)
    return text[:cut], text[cut:]


def make_char_dataset(
    text: str, vocab: CharVocabulary, *, context_length: int, stride: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Cut text into windows of ids and their next-character targets.

    Window ``i`` starts at character ``i * stride``: ``x[i] = ids[s : s + context_length]`` and
    ``y[i] = ids[s + 1 : s + context_length + 1]``, so ``y[i, t]`` is the character after
    ``x[i, t]`` and one forward pass of a causal model trains on every position. A text of
    ``L`` characters gives ``(L - context_length - 1) // stride + 1`` windows.

    Args:
        text: The text, every character of which is in ``vocab``.
        vocab: The :class:`CharVocabulary` that encodes it.
        context_length: Characters per window, >= 1.
        stride: Characters between window starts, >= 1; ``None`` means ``context_length``
            (windows that do not overlap).

    Returns:
        ``(x, y)``, both of shape ``(N, context_length)`` and dtype ``int64``.

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value, or a text shorter than
            ``context_length + 1`` characters.

    Example:
        >>> vocab = CharVocabulary("abcdef")
        >>> x, y = make_char_dataset("abcdef", vocab, context_length=3, stride=2)
        >>> x.tolist(), y.tolist()
        ([[0, 1, 2], [2, 3, 4]], [[1, 2, 3], [3, 4, 5]])
    """
    if not isinstance(vocab, CharVocabulary):
        raise TypeError(f"vocab must be a CharVocabulary, got {type(vocab).__name__}")
    ids = vocab.encode(text)
    context_length = check_positive_int("context_length", context_length)
    stride = context_length if stride is None else check_positive_int("stride", stride)
    if len(ids) < context_length + 1:
        raise ValueError(
            f"text must hold at least context_length + 1 = {context_length + 1} characters, "
            f"got {len(ids)}"
        )
    starts = np.arange(0, len(ids) - context_length, stride)  # (N,)
    index = starts[:, None] + np.arange(context_length)[None, :]  # (N, context_length)
    return ids[index], ids[index + 1]
