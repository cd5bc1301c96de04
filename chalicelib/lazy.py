"""Lazy imports of use-case modules, safe under threads.

One Lambda serves every route, but a request needs only its own area: the API module binds
each area's service module lazily, so a cold start executes only what the first request
touches (see ``make bench``). The proxy imports the real module on the first attribute
access under a lock: ``chalice local`` serves requests on threads, and the stdlib
``LazyLoader`` of Python 3.11 lets a second thread see a half-executed module.
Routes import the same module under ``TYPE_CHECKING`` so mypy checks every call.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from types import ModuleType
from typing import Any, cast


class _LazyModule(ModuleType):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__dict__["_lazy_target"] = None
        self.__dict__["_lazy_lock"] = threading.Lock()

    def _load(self) -> ModuleType:
        target = self.__dict__["_lazy_target"]
        if target is None:
            with self.__dict__["_lazy_lock"]:
                target = self.__dict__["_lazy_target"]
                if target is None:
                    target = importlib.import_module(self.__name__)
                    self.__dict__["_lazy_target"] = target
        return cast(ModuleType, target)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._load(), attr)


def lazy_module(name: str) -> ModuleType:
    """The module ``name``, imported on first attribute access (once, whatever the threads)."""
    if importlib.util.find_spec(name) is None:
        raise ImportError(f"no module named {name!r}")
    return _LazyModule(name)
