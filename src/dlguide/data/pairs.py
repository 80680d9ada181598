"""Pairs and triplets of examples for metric learning (Siamese networks, triplet loss).

Both functions take any labelled arrays ``(x, y)``. To show that a Siamese network learns a
*metric* rather than the classes themselves, build training pairs from some classes and test
pairs from the others::

    (x_train, y_train), (x_test, y_test) = load_digits()
    seen = y_train < 7                       # train on digits 0-6
    x1, x2, same = make_pairs(x_train[seen], y_train[seen], num_pairs=2000)
    unseen = y_test >= 7                     # verify on digits 7-9, never seen in training
    t1, t2, t_same = make_pairs(x_test[unseen], y_test[unseen], num_pairs=400, seed=1)
"""

from __future__ import annotations

import numpy as np

from dlguide._checks import ArrayLike, check_array, check_int, check_positive_int


def _check_xy(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray, dict[int, np.ndarray]]:
    x = check_array("x", x)
    y = check_array("y", y, ndim=1)
    if x.ndim < 1 or len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got shapes {x.shape} and {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"y must hold integer labels, got dtype {y.dtype}")
    by_class = {int(c): np.flatnonzero(y == c) for c in np.unique(y)}
    if len(by_class) < 2:
        raise ValueError(f"pairs need at least 2 classes, got {len(by_class)}")
    if not any(len(idx) >= 2 for idx in by_class.values()):
        raise ValueError("pairs need a class with at least 2 examples")
    return x, y, by_class


def _positive(
    rng: np.random.Generator, by_class: dict[int, np.ndarray], rich: list[int]
) -> tuple[int, int]:
    c = rich[int(rng.integers(len(rich)))]
    i, j = rng.choice(by_class[c], size=2, replace=False)
    return int(i), int(j)


def _negative(
    rng: np.random.Generator, by_class: dict[int, np.ndarray], classes: list[int]
) -> tuple[int, int]:
    a, b = rng.choice(len(classes), size=2, replace=False)
    ca, cb = classes[int(a)], classes[int(b)]
    return int(rng.choice(by_class[ca])), int(rng.choice(by_class[cb]))


def make_pairs(
    x: ArrayLike, y: ArrayLike, *, num_pairs: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw balanced pairs: half of the same class (``same = 1``), half of different classes.

    Positive pairs pick a class uniformly, then two distinct examples of it; negative pairs pick
    two different classes uniformly, then one example of each. The pairs are shuffled; with an
    odd ``num_pairs`` the extra pair is negative.

    Args:
        x: Examples, shape ``(N, ...)``.
        y: Integer labels ``(N,)``, at least two classes.
        num_pairs: Number of pairs, >= 2.
        seed: Seed of the draw, a non-negative int.

    Returns:
        ``(x1, x2, same)``: two arrays of shape ``(num_pairs, ...)`` with ``x``'s dtype, and
        ``same`` of shape ``(num_pairs,)``, ``float32`` 1.0 or 0.0 (ready for a loss).

    Example:
        >>> import numpy as np
        >>> from dlguide.data.pairs import make_pairs
        >>> x1, x2, same = make_pairs(np.arange(10.0), np.arange(10) % 2, num_pairs=6)
        >>> x1.shape, int(same.sum())
        ((6,), 3)
    """
    num_pairs = check_int("num_pairs", num_pairs, minimum=2)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    x, _, by_class = _check_xy(x, y)
    classes = sorted(by_class)
    rich = [c for c in classes if len(by_class[c]) >= 2]
    num_same = num_pairs // 2
    pairs = [_positive(rng, by_class, rich) for _ in range(num_same)]
    pairs += [_negative(rng, by_class, classes) for _ in range(num_pairs - num_same)]
    same = np.array([1.0] * num_same + [0.0] * (num_pairs - num_same), dtype=np.float32)
    order = rng.permutation(num_pairs)
    index = np.array(pairs)[order]  # (num_pairs, 2)
    return x[index[:, 0]], x[index[:, 1]], same[order]


def make_triplets(
    x: ArrayLike, y: ArrayLike, *, num_triplets: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw ``(anchor, positive, negative)`` triplets for the FaceNet triplet loss.

    The anchor's class is drawn uniformly among classes with at least two examples; the
    positive is another example of that class and the negative an example of another class.

    Args:
        x: Examples, shape ``(N, ...)``.
        y: Integer labels ``(N,)``, at least two classes.
        num_triplets: Number of triplets, >= 1.
        seed: Seed of the draw, a non-negative int.

    Returns:
        ``(anchor, positive, negative)``, each of shape ``(num_triplets, ...)``.

    Example:
        >>> import numpy as np
        >>> from dlguide.data.pairs import make_triplets
        >>> a, p, n = make_triplets(np.arange(10.0), np.arange(10) % 2, num_triplets=4)
        >>> bool(np.all(a % 2 == p % 2) and np.all(a % 2 != n % 2))
        True
    """
    num_triplets = check_positive_int("num_triplets", num_triplets)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    x, y, by_class = _check_xy(x, y)
    rich = [c for c in sorted(by_class) if len(by_class[c]) >= 2]
    index = np.empty((num_triplets, 3), dtype=np.int64)
    for t in range(num_triplets):
        a, p = _positive(rng, by_class, rich)
        others = np.flatnonzero(y != y[a])
        index[t] = a, p, int(rng.choice(others))
    return x[index[:, 0]], x[index[:, 1]], x[index[:, 2]]
