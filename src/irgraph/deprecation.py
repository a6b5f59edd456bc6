"""Old public names kept working for one release, with a :class:`DeprecationWarning`.

Before 0.2, ``irgraph.build``, ``irgraph.load``, ``irgraph.validate``,
``irgraph.query`` and ``irgraph.describe`` were functions that hid the
submodules of the same names (``import irgraph.query`` gave a function).
They are the submodules now, and the functions are ``irgraph.run_build``,
``irgraph.load_data``, ``irgraph.validate_graph``, ``irgraph.query_graph``
and ``irgraph.describe_entity``. So that notebooks written for 0.1 keep
working, each of those submodules can still be called like the function it
hid: the call warns and is passed on.

>>> import warnings, irgraph
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     loaded = irgraph.load()
>>> str(caught[0].message).split(";")[0]
'irgraph.load(...) is deprecated'
>>> type(loaded).__name__
'LoadedGraph'
"""

from __future__ import annotations

import sys
import types
import warnings


class CallableModule(types.ModuleType):
    """A module that can be called like the function that used to hide it (with a warning)."""

    __renamed_to__: str

    def __call__(self, *args, **kwargs):
        short = self.__name__.rpartition(".")[2]
        new = self.__renamed_to__
        warnings.warn(
            f"irgraph.{short}(...) is deprecated; call irgraph.{new}(...) instead "
            f"(irgraph.{short} is the module {self.__name__} now)",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(self, new)(*args, **kwargs)


def callable_module(name: str, function: str) -> None:
    """Make the module ``name`` callable: a call warns and calls its ``function``."""
    module = sys.modules[name]
    module.__class__ = CallableModule
    module.__renamed_to__ = function  # type: ignore[attr-defined]
