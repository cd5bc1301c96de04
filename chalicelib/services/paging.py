"""Paged lists: the ``limit``/``cursor`` of a list route and a cursor that is not ours."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TypeVar

from chalicelib.errors import FieldError, ValidationFailed
from chalicelib.store.paging import BadCursor

T = TypeVar("T")

DEFAULT_LIMIT = 20


def limit_of(query: Mapping[str, str] | None, default: int = DEFAULT_LIMIT) -> int:
    """The page size asked for (the route's schema allows 1-100)."""
    raw = (query or {}).get("limit")
    return int(raw) if raw else default


def premises_of(query: Mapping[str, str] | None) -> str | None:
    """The premises a list is filtered to (``premises``), or None for all."""
    return (query or {}).get("premises") or None


def cursor_of(query: Mapping[str, str] | None) -> str | None:
    return (query or {}).get("cursor") or None


@contextmanager
def cursor_checked() -> Iterator[None]:
    """A tampered, truncated or foreign cursor is the client's error: 400, nothing read."""
    try:
        yield
    except BadCursor:
        raise ValidationFailed(errors=[FieldError("cursor", "paging.bad_cursor")]) from None


def paged(read: Callable[[], T]) -> T:
    with cursor_checked():
        return read()
