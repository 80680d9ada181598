"""Framework-neutral evaluation metrics in NumPy: mean intersection over union and PSNR.

Both take NumPy arrays (or anything :func:`numpy.asarray` accepts, such as CPU tensors), so the
PyTorch and Keras pages of the guide score their predictions with the same code.

- :func:`mean_iou` is the segmentation score of the PASCAL VOC challenge (Everingham et al.,
  2010, "The PASCAL Visual Object Classes (VOC) Challenge", IJCV 88:303-338,
  https://doi.org/10.1007/s11263-009-0275-4).
- :func:`psnr` is the peak signal-to-noise ratio used to score super-resolution (Dong et al.,
  2014, https://arxiv.org/abs/1501.00092).
"""

from __future__ import annotations

import numpy as np

from dlguide._checks import ArrayLike, check_array, check_float, check_positive_int


def mean_iou(pred_labels: ArrayLike, true_labels: ArrayLike, *, num_classes: int) -> float:
    """Mean over classes of ``|pred == c and true == c| / |pred == c or true == c|``.

    Classes absent from both the prediction and the truth (empty union) are left out of the
    mean rather than counted as 0 or 1.

    Args:
        pred_labels: Predicted integer labels, any shape, e.g. ``(N, H, W)`` (take the argmax
            over the class axis of the logits first).
        true_labels: True integer labels of the same shape.
        num_classes: Number of classes; labels must lie in ``[0, num_classes)``.

    Returns:
        The mean IoU as a float in [0, 1].

    Raises:
        TypeError: If ``num_classes`` is not an int or the labels are not integers.
        ValueError: If the shapes differ, a label is out of range, or no class occurs at all.

    Example:
        >>> import numpy as np
        >>> from dlguide.metrics import mean_iou
        >>> true = np.array([[0, 0], [1, 1]])
        >>> pred = np.array([[0, 1], [1, 1]])
        >>> round(mean_iou(pred, true, num_classes=2), 4)  # (1/2 + 2/3) / 2
        0.5833
    """
    num_classes = check_positive_int("num_classes", num_classes)
    pred = check_array("pred_labels", pred_labels)
    true = check_array("true_labels", true_labels)
    for name, array in (("pred_labels", pred), ("true_labels", true)):
        if not np.issubdtype(array.dtype, np.integer):
            raise TypeError(f"{name} must hold integer labels, got dtype {array.dtype}")
        if array.size and (array.min() < 0 or array.max() >= num_classes):
            raise ValueError(
                f"{name} must lie in [0, {num_classes}), got values in "
                f"[{array.min()}, {array.max()}]"
            )
    if pred.shape != true.shape:
        raise ValueError(f"pred_labels {pred.shape} and true_labels {true.shape} differ in shape")
    ious = []
    for c in range(num_classes):
        p, t = pred == c, true == c
        union = np.logical_or(p, t).sum()
        if union:
            ious.append(np.logical_and(p, t).sum() / union)
    if not ious:
        raise ValueError("mean_iou needs at least one labelled element, got empty arrays")
    return float(np.mean(ious))


def psnr(a: ArrayLike, b: ArrayLike, *, data_range: float = 1.0) -> float:
    """Peak signal-to-noise ratio ``10 * log10(data_range**2 / MSE(a, b))`` in decibels.

    Args:
        a: An image or a batch of images, any shape.
        b: The reference, same shape.
        data_range: The span of possible pixel values (1.0 for [0, 1] images, 255 for uint8).

    Returns:
        The PSNR in dB over all elements; ``inf`` when ``a`` and ``b`` are identical.

    Raises:
        TypeError: If an argument has the wrong kind.
        ValueError: If the shapes differ, the arrays are empty, or ``data_range <= 0``.

    Example:
        >>> import numpy as np
        >>> from dlguide.metrics import psnr
        >>> clean = np.zeros((4, 4))
        >>> round(psnr(clean + 0.1, clean), 6)  # MSE 0.01 -> 20 dB
        20.0
    """
    data_range = check_float("data_range", data_range, minimum=0.0, exclusive_minimum=True)
    a = check_array("a", a).astype(np.float64)
    b = check_array("b", b).astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a {a.shape} and b {b.shape} differ in shape")
    if a.size == 0:
        raise ValueError("psnr needs non-empty arrays")
    mse = float(np.mean((a - b) ** 2))
    if mse == 0.0:
        return float("inf")
    return float(10.0 * np.log10(data_range**2 / mse))
