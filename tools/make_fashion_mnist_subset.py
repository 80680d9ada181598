"""Write the Fashion-MNIST subset that ships inside dlguide.

Reads the four standard idx ``.gz`` files of the Debian package ``dataset-fashion-mnist``
(``/usr/share/datasets/fashion-mnist``) and writes

* ``src/dlguide/_data/fashion_mnist_subset.npz`` (``np.savez_compressed``, all ``uint8``):
  ``x_train`` (12000, 28, 28) -- the first 1,200 images of each class in file order, kept in
  file order -- with ``y_train`` (12000,), and all 10,000 official test images ``x_test``
  (10000, 28, 28) with ``y_test`` (10000,);
* ``src/dlguide/_data/FASHION_MNIST_LICENSE.txt``: the MIT (Expat) licence of Zalando Research,
  copied from the Debian package's copyright file.

It reads the files and picks the images with dlguide's own ``_read_idx`` and ``_first_per_class``
(:mod:`dlguide.data.fashion_mnist`), the ones ``load_fashion_mnist`` uses on a full copy, so it
needs dlguide installed (the ``.nox/dlguide`` environment has it).

Usage::

    python tools/make_fashion_mnist_subset.py [--source /usr/share/datasets/fashion-mnist]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np

from dlguide.data.fashion_mnist import _first_per_class, _read_idx

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "src" / "dlguide" / "_data"
DEFAULT_SOURCE = Path("/usr/share/datasets/fashion-mnist")
COPYRIGHT = Path("/usr/share/doc/dataset-fashion-mnist/copyright")
PER_CLASS = 1200


def licence_text() -> str:
    text = COPYRIGHT.read_text()
    body = text.split("License: Expat\n")[-1]  # the stand-alone licence paragraph
    lines = [re.sub(r"^ ", "", line) for line in body.splitlines()]
    lines = ["" if line == "." else line.rstrip() for line in lines]
    header = (
        "Fashion-MNIST, Copyright (c) 2017 Zalando SE, https://tech.zalando.com\n"
        "Source: https://github.com/zalandoresearch/fashion-mnist (Zalando Research)\n"
        "dlguide ships a subset: 12,000 training images (the first 1,200 of each class)\n"
        "and all 10,000 test images, copied from the Debian package dataset-fashion-mnist.\n\n"
        "The MIT License (MIT)\n\n"
    )
    return header + "\n".join(lines).strip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args()

    x_train = _read_idx(args.source / "train-images-idx3-ubyte.gz")  # (60000, 28, 28)
    y_train = _read_idx(args.source / "train-labels-idx1-ubyte.gz")  # (60000,)
    x_test = _read_idx(args.source / "t10k-images-idx3-ubyte.gz")  # (10000, 28, 28)
    y_test = _read_idx(args.source / "t10k-labels-idx1-ubyte.gz")  # (10000,)
    keep = _first_per_class(y_train, PER_CLASS)  # (12000,)

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    out = DATA_DIR / "fashion_mnist_subset.npz"
    np.savez_compressed(
        out, x_train=x_train[keep], y_train=y_train[keep], x_test=x_test, y_test=y_test
    )
    (DATA_DIR / "FASHION_MNIST_LICENSE.txt").write_text(licence_text())
    size = out.stat().st_size / 1e6
    print(f"wrote {out} ({size:.2f} MB), {len(keep)} train + {len(x_test)} test images")


if __name__ == "__main__":
    main()
