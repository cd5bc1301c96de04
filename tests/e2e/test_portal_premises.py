"""A building manager sees which premises every invoice, payment and reading row is for, and
can filter by premises (issue 16 item 7): the API filters (the lists' ``premises``
parameter), the portal hides nothing it loaded. SM Przyszłość (200001) has three buildings."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import Stack, open_as

BUILDINGS = {"Budynek 200", "Budynek 202", "Budynek 204"}


def _visible(page: Any, selector: str) -> list[str]:
    return list(
        page.evaluate(
            "s => [...document.querySelectorAll(s)].filter(e => !e.closest('[hidden]'))"
            ".map(e => e.textContent.trim())",
            selector,
        )
    )


def _choose(page: Any, label: str) -> None:
    """Choose a premises; the page is drawn again from the filtered lists."""
    page.select_option("#premises-filter", label=label)
    page.wait_for_function("document.getElementById('main').dataset.rendered === location.hash")
    assert page.locator("#premises-filter option:checked").inner_text() == label


def _record_lists(page: Any) -> list[str]:
    """The addresses of the invoice, ledger and readings lists the page asks for."""
    asked: list[str] = []
    lists = re.compile(r"/(invoices|ledger|readings)\?")
    page.on("request", lambda r: asked.append(r.url) if lists.search(r.url) else None)
    return asked


def test_building_manager_sees_and_filters_premises(page, stack: Stack) -> None:
    asked = _record_lists(page)
    open_as(page, stack, "20000001", "#/invoices")
    cells = _visible(page, "#invoice-list tbody .premises")
    rows = page.locator("#invoice-list tbody tr").count()
    assert rows >= 3 and len(cells) == rows, (rows, cells)
    assert set(cells) == BUILDINGS, cells  # every row names its building, all three appear
    _choose(page, "Budynek 202")
    shown = _visible(page, "#invoice-list tbody span.premises")
    assert shown and set(shown) == {"Budynek 202"} and len(shown) < rows, shown
    assert page.locator("#invoice-list tbody tr").count() == len(shown)  # none loaded and hidden
    chosen = page.input_value("#premises-filter")
    assert any(f"premises={chosen}" in u for u in asked), (chosen, asked)

    # The choice is kept: the payments page opens filtered; invoices in its rows are named.
    page.goto(stack.base_url + "/#/payments")
    page.wait_for_function("document.getElementById('main').dataset.rendered === '#/payments'")
    assert page.locator("#premises-filter option:checked").inner_text() == "Budynek 202"
    history = _visible(page, "#history tbody .premises")
    # (a payment settling invoices of two buildings names both)
    assert history and all("Budynek 202" in x for x in history), history
    assert page.locator("#history tbody tr").count() == len(history)
    assert any("/ledger?" in u and f"premises={chosen}" in u for u in asked)
    _choose(page, "wszystkie obiekty")
    everything = _visible(page, "#history tbody .premises")
    assert {b for x in everything for b in x.split(", ")} >= BUILDINGS, everything
    # The opening balance from the previous system is for the whole account.
    assert "całe konto" in everything

    page.goto(stack.base_url + "/#/readings")
    page.wait_for_function("document.getElementById('main').dataset.rendered === '#/readings'")
    headings = _visible(page, "section.meter h2")
    assert len(headings) == 3 and all(any(b in x for b in BUILDINGS) for x in headings)
    assert set(_visible(page, "section.meter tbody .premises")) == BUILDINGS
    _choose(page, "Budynek 204")
    assert _visible(page, "section.meter h2") == ["Licznik HM-200001-204 · Budynek 204"]


def test_a_customer_with_one_premises_sees_no_filter(page, stack: Stack) -> None:
    open_as(page, stack, "10000001", "#/invoices")
    assert page.locator("#invoice-list").count() == 1
    assert page.locator("#premises-filter").count() == 0
    assert page.locator("#invoice-list .premises").count() == 0
