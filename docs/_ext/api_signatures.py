"""Show the real constructor signatures of dlguide's Keras classes in the API reference.

Why this exists: autodoc has no setting to skip a pass-through ``__new__`` (only its own built-in
list of such types), so every Keras class would be documented as ``(*args, **kwargs)``.

autodoc reads a class's signature from the first user-defined one of: its metaclass's
``__call__``, its ``__new__``, its ``__init__``. ``keras.Layer`` and ``keras.Model`` define
``__new__(cls, *args, **kwargs)`` (a pass-through that lets ``keras.Model(inputs, outputs)``
build a functional model and lets layers track their construction arguments), so every Keras
class, ours included, was documented as ``(*args, **kwargs)``. For the dlguide classes that
inherit such a pass-through ``__new__``, this handler documents the signature of their own
``__init__`` instead, with its keyword-only arguments and defaults, sets it as the class's
``__signature__`` (Python's own protocol, which autodoc reads) and records the argument types
again with autodoc's public ``record_typehints``, for ``autodoc_typehints = "description"``.
The attribute is set only in the process that builds the documentation.
"""

from __future__ import annotations

import inspect

from sphinx.ext.autodoc.typehints import record_typehints
from sphinx.util.inspect import stringify_signature


def _pass_through_new(cls: type) -> bool:
    """Whether ``cls.__new__`` is a user-defined ``(cls, *args, **kwargs)``."""
    new = inspect.getattr_static(cls, "__new__", None)
    new = getattr(new, "__func__", new)
    if new is None or new is object.__new__ or not inspect.isfunction(new):
        return False
    kinds = [p.kind for p in list(inspect.signature(new).parameters.values())[1:]]
    return kinds == [inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD]


def init_signature(cls: type) -> inspect.Signature:
    """The signature of ``cls.__init__`` without ``self``."""
    signature = inspect.signature(cls.__init__)
    parameters = list(signature.parameters.values())[1:]
    return signature.replace(parameters=parameters, return_annotation=inspect.Signature.empty)


def _on_process_signature(app, what, name, obj, options, signature, return_annotation):
    if what not in {"class", "exception"} or not isinstance(obj, type):
        return None
    if not name.startswith("dlguide.") or not _pass_through_new(obj):
        return None
    ours = [c for c in obj.__mro__ if c.__module__.startswith("dlguide")]
    if not any("__init__" in vars(c) for c in ours):
        return None  # no __init__ of ours: keep what autodoc found
    real = init_signature(obj)
    obj.__signature__ = real  # what inspect.signature(obj) returns from now on
    # autodoc recorded the argument types from (*args, **kwargs) just before this event: record
    # them again, now from the real signature (they feed the description's types).
    record_typehints(app, what, name, obj, options, signature, return_annotation)
    show_annotations = app.config.autodoc_typehints not in {"description", "none"}
    text = stringify_signature(real, show_annotation=show_annotations, show_return_annotation=False)
    return text, return_annotation


def setup(app):
    # Before any other handler of the event, which then sees the real signature too.
    app.connect("autodoc-process-signature", _on_process_signature, priority=400)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
