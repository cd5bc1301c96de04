"""Lazy imports of use-case modules (stdlib ``importlib.util.LazyLoader``).

One Lambda serves every route, but a request needs only its own area: the API module
binds each area's service module lazily, so a cold start executes only what the first
request touches (see ``make bench``: cold import of the API module against its floor).
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """The module ``name``, executed on first attribute access."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"no module named {name!r}")
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
