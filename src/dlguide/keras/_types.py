"""The names the Keras modules' annotations give to tensors and shapes.

Keras 3 and TensorFlow ship without type information, so a type checker sees every Keras object
as ``Any``. ``Tensor`` still tells the reader what an argument or a result is: a tensor of the
Keras backend (a ``tf.Tensor`` when run eagerly, a ``keras.KerasTensor`` while a functional model
is being built) or, as an input, anything ``keras.ops.convert_to_tensor`` accepts, such as a
NumPy array. ``Shape`` is a shape as Keras hands it to ``build`` and
``compute_output_shape``: a tuple with ``None`` for a size not known yet (the batch).
"""

from __future__ import annotations

from typing import Any, TypeAlias

Tensor: TypeAlias = Any
Shape: TypeAlias = tuple[int | None, ...]
