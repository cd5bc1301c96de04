"""A building manager's premises filter is the API's (issue 16 item 7): the invoice list,
the ledger history and a meter's readings take ``premises`` (validated by the route's query
schema, in the OpenAPI document) and answer only that premises' rows, paging on; every
ledger entry and open invoice names the premises of its invoices, however old."""

from __future__ import annotations

import pytest

from tests.integration.invoicing_helpers import load_tariffs, readings_for_world

PREMISES = ["P-200001-1", "P-200001-2", "P-200001-3"]


@pytest.fixture
def billed(world):
    """The institution's three premises, each with its October invoice, and a transfer
    that pays the oldest of them."""
    from chalicelib.services import invoicing, ledger

    load_tariffs()
    readings_for_world(world)
    numbers = {}
    for i, premises in enumerate(PREMISES, start=1):
        out = invoicing.issue(world.institution, f"C-200001-H{i}", "2026-10")
        assert out.status == "issued", out
        numbers[premises] = str(out.invoice_id).replace("-", "/")
    ledger.book_credit(
        world.institution,
        100,
        kind="transfer",
        ref="BANK-PREMISES-1",
        value_date="2026-11-20",
        invoice_nos=[numbers["P-200001-2"]],
    )
    return world, numbers


def _walk(api, headers, url: str, key: str, limit: int) -> list[dict]:
    seen: list[dict] = []
    page = f"{url}&limit={limit}"
    for _ in range(50):
        r = api.get(page, headers=headers)
        assert r.status == 200, r.body
        assert len(r.json[key]) <= limit
        seen += r.json[key]
        if not r.json["next"]:
            return seen
        page = f"{url}&limit={limit}&cursor={r.json['next']}"
    raise AssertionError("the cursor never ended")


def test_invoices_of_one_premises_page_on(api, billed, login_as) -> None:
    world, numbers = billed
    headers = login_as("building_manager", [world.institution])
    base = f"/customers/{world.institution}/invoices"
    every = api.get(base, headers=headers).json["invoices"]
    assert {i["premises_id"] for i in every} == set(PREMISES)
    for premises in PREMISES:
        seen = _walk(api, headers, f"{base}?premises={premises}", "invoices", 1)
        assert [i["number"] for i in seen] == [numbers[premises]]
    assert api.get(f"{base}?premises=P-999", headers=headers).json["invoices"] == []


def test_ledger_entries_name_their_premises_and_filter_by_it(api, billed, login_as) -> None:
    world, numbers = billed
    headers = login_as("building_manager", [world.institution])
    base = f"/customers/{world.institution}/ledger"
    entries = api.get(base, headers=headers).json["entries"]
    by_ref = {e["ref"]: e["premises_ids"] for e in entries}
    assert by_ref["BANK-PREMISES-1"] == ["P-200001-2"]  # the invoice it paid
    for premises, number in numbers.items():
        assert by_ref[number] == [premises]
    second = _walk(api, headers, f"{base}?premises=P-200001-2", "entries", 1)
    assert [e["ref"] for e in second] == ["BANK-PREMISES-1", numbers["P-200001-2"]]
    # the account's balance after each entry, as in the whole history
    whole = {e["ref"]: e["balance_after_grosze"] for e in entries}
    assert all(e["balance_after_grosze"] == whole[e["ref"]] for e in second)
    third = api.get(f"{base}?premises=P-200001-3&limit=5", headers=headers).json
    assert [e["ref"] for e in third["entries"]] == [numbers["P-200001-3"]]
    balance = api.get(f"/customers/{world.institution}/balance", headers=headers).json
    assert {i["invoice_no"]: i["premises_id"] for i in balance["open_items"]} == {
        n: p for p, n in numbers.items()
    }


def test_premises_payment_found_beyond_the_newest_invoices(api, billed, login_as) -> None:
    """The premises of a payment comes from its invoice, not from a page of recent ones."""
    from chalicelib.store import invoices as store

    world, numbers = billed
    assert store.premises_of_numbers(world.institution, [numbers["P-200001-2"], "FC/1/x"]) == {
        numbers["P-200001-2"]: "P-200001-2"
    }
    assert store.premises_of_numbers(world.other_individual, [numbers["P-200001-2"]]) == {}


def test_readings_of_a_meter_at_another_premises_are_none(api, billed, login_as) -> None:
    world, _ = billed
    headers = login_as("building_manager", [world.institution])
    url = f"/customers/{world.institution}/meters/HM-200001-1/readings"
    here = api.get(f"{url}?premises=P-200001-1", headers=headers).json
    assert here["readings"] and here["current"]
    there = api.get(f"{url}?premises=P-200001-2", headers=headers).json
    assert there["readings"] == [] and there["current"] is None and there["next"] is None


@pytest.mark.parametrize(
    "path",
    ["invoices", "ledger", "meters/HM-200001-1/readings"],
)
def test_a_bad_premises_is_a_400_problem(api, world, login_as, path) -> None:
    headers = login_as("building_manager", [world.institution])
    for bad in ("", "a b", "P'1", "x" * 41):
        r = api.get(f"/customers/{world.institution}/{path}?premises={bad}", headers=headers)
        assert r.status == 400, (bad, r.body)
        assert r.headers["Content-Type"].startswith("application/problem+json")


def test_the_premises_parameter_is_in_the_openapi_document(api) -> None:
    doc = api.get("/openapi.json").json
    for path in (
        "/customers/{customer_no}/invoices",
        "/customers/{customer_no}/ledger",
        "/customers/{customer_no}/meters/{serial}/readings",
    ):
        params = {p["name"]: p for p in doc["paths"][path]["get"]["parameters"]}
        assert params["premises"]["in"] == "query"
        assert params["premises"]["schema"]["maxLength"] == 40
