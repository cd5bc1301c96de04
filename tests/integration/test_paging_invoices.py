"""The invoice list pages with a cursor (issue 10 item 4): every invoice once across pages,
newest first; a bad or foreign cursor is a 400; another customer's list is a 404; the detail
finds its corrections by key."""

from __future__ import annotations

import base64
import json

from tests.integration.invoicing_helpers import (
    invoices_of,
    invoicing_job,
    load_tariffs,
    readings_for_world,
)


def _many_invoices(customer_no: str, n: int) -> list[str]:
    """The customer's real October invoice and ``n - 1`` copies under other months' ids
    (each with its delivery item, as the issue transaction writes them)."""
    from chalicelib.store import invoices as store

    base = invoices_of(customer_no)[0]
    skip = ("PK", "SK", "type", "GSI1PK", "GSI1SK")
    fields = {k: v for k, v in base.attribute_values.items() if k not in skip}
    ids = [base.invoice_id]
    for m in range(1, n):
        year, month = 2020 + (m - 1) // 12, (m - 1) % 12 + 1
        inv_id = f"FC-{year}-{month:02d}-{m:06d}"
        copy = store.new_invoice({**fields, "invoice_id": inv_id, "number": f"FC/{m:06d}"})
        copy.save()
        store.new_delivery(copy, None, "t", "2026-01-01T00:00:00Z").save()
        ids.append(inv_id)
    return ids


def _all_pages(api, headers, customer_no: str, limit: int) -> tuple[list[str], int]:
    seen: list[str] = []
    url = f"/customers/{customer_no}/invoices?limit={limit}"
    pages = 0
    while True:
        r = api.get(url, headers=headers)
        assert r.status == 200, r.body
        pages += 1
        assert len(r.json["invoices"]) <= limit
        seen += [i["invoice_id"] for i in r.json["invoices"]]
        if not r.json["next"]:
            return seen, pages
        url = f"/customers/{customer_no}/invoices?limit={limit}&cursor={r.json['next']}"


def test_more_invoices_than_a_page_come_all_across_pages_once(api, world, login_as) -> None:
    load_tariffs()
    readings_for_world(world)
    invoicing_job("2026-10")
    ids = _many_invoices(world.individual, 25)
    headers = login_as("customer", [world.individual])
    seen, pages = _all_pages(api, headers, world.individual, 7)
    assert pages == 4
    assert len(seen) == len(set(seen)) == 25  # no duplicates, none missing
    assert set(seen) == set(ids)
    assert seen == sorted(seen, key=lambda i: (i.split("-")[1], i.split("-")[2]), reverse=True)
    # Every invoice on its page carries its delivery (a page never splits the two).
    first = api.get(f"/customers/{world.individual}/invoices?limit=7", headers=headers).json
    assert all(i["delivery"]["channel"] for i in first["invoices"])
    # The default page is bounded too.
    default = api.get(f"/customers/{world.individual}/invoices", headers=headers).json
    assert len(default["invoices"]) == 20 and default["next"]


def test_bad_or_foreign_cursor_is_400_and_other_customer_404(api, world, login_as) -> None:
    load_tariffs()
    readings_for_world(world)
    invoicing_job("2026-10")
    _many_invoices(world.individual, 5)
    mine = login_as("customer", [world.individual])
    other = login_as("customer", [world.other_individual])
    for bad in ("not-a-cursor", "x" * 2000, "abc!"):
        r = api.get(f"/customers/{world.individual}/invoices?cursor={bad}", headers=mine)
        assert r.status == 400, (bad, r.body)
        assert r.headers["Content-Type"].startswith("application/problem+json")
    # A well-formed cursor naming another customer's partition reads nothing of it.
    forged = {"PK": {"S": f"CUST#{world.other_individual}"}, "SK": {"S": "INV#2026-11#FC-1"}}
    token = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
    r = api.get(f"/customers/{world.individual}/invoices?cursor={token}", headers=mine)
    assert r.status == 400, r.body
    assert api.get(f"/customers/{world.individual}/invoices?limit=0", headers=mine).status == 400
    assert api.get(f"/customers/{world.individual}/invoices?limit=101", headers=mine).status == 400
    assert api.get(f"/customers/{world.individual}/invoices", headers=other).status == 404


def test_invoice_detail_finds_its_corrections_by_key(world) -> None:
    """The corrections come from the ``CORR#<id>#`` guards: one Query that reads no invoice."""
    from chalicelib.store import invoices as store

    load_tariffs()
    readings_for_world(world)
    invoicing_job("2026-10")
    original = invoices_of(world.individual)[0]
    guard = store.correction_guard(original, "abc", "FK-2026-11-000001", "2026-11-30T00:00:00Z")
    guard.save()
    assert store.corrections_of(world.individual, original.invoice_id) == ["FK-2026-11-000001"]
    assert store.corrections_of(world.individual, "FC-2026-11-999999") == []
