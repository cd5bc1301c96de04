"""The lazy service binding imports once, on first use, and is safe under threads."""

from __future__ import annotations

import sys
import threading
from decimal import Decimal

import pytest

from chalicelib.lazy import lazy_module


def test_imports_on_first_attribute_and_then_forwards() -> None:
    sys.modules.pop("chalicelib.domain.money", None)
    money = lazy_module("chalicelib.domain.money")
    assert "chalicelib.domain.money" not in sys.modules
    assert money.to_grosze(Decimal("12.34")) == 1234
    assert "chalicelib.domain.money" in sys.modules


def test_concurrent_first_access_sees_the_whole_module() -> None:
    name = "chalicelib.domain.camt053"
    sys.modules.pop(name, None)
    lazy = lazy_module(name)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def use() -> None:
        start.wait()
        try:
            assert callable(lazy.parse) and callable(lazy.invoice_candidates)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_unknown_module_fails_at_binding() -> None:
    with pytest.raises(ImportError):
        lazy_module("chalicelib.services.no_such_area")
