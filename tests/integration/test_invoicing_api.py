"""Invoices in the API: list, detail, PDF link, consent switch, corrections, price list."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.integration.invoicing_helpers import (
    invoices_of,
    invoicing_job,
    load_tariffs,
    parsed,
    readings_for_world,
    sent_emails,
)


@pytest.fixture
def invoiced(world):
    """Three invoices for October 2026, issued by the service (the job has its own tests)."""
    from chalicelib.services import invoicing

    load_tariffs()
    readings_for_world(world)
    for customer_no, contract_no in (
        (world.individual, world.contracts["individual_heat"]),
        (world.other_individual, world.contracts["other_power"]),
        (world.institution, "C-200001-H1"),
    ):
        assert invoicing.issue(customer_no, contract_no, "2026-10").status == "issued"
    return world


def test_invoice_list_detail_and_pdf_link(api, invoiced, login_as) -> None:
    w = invoiced
    headers = login_as("building_manager", [w.institution])
    r = api.get(f"/customers/{w.institution}/invoices", headers=headers)
    assert r.status == 200, r.body
    listed = r.json["invoices"]
    assert len(listed) == 1 and all(i["status"] == "unpaid" for i in listed)
    assert all(
        i["delivery"] == {"channel": "paper", "status": "paper_pending", "at": None} for i in listed
    )
    first = listed[0]
    # A building manager sees which building an invoice is for (issue 16 item 7).
    assert first["contract_no"] == "C-200001-H1" and first["premises_id"] == "P-200001-1"
    assert first["gross"] == first["net"] + first["vat"] and first["outstanding"] == first["gross"]
    d = api.get(f"/customers/{w.institution}/invoices/{first['invoice_id']}", headers=headers)
    assert d.status == 200, d.body
    detail = d.json
    assert detail["number"] == first["number"] and detail["buyer"]["nip"] == "8971018828"
    assert sum(ln["net"] for ln in detail["lines"]) == detail["net"]
    assert detail["amount_in_words"].endswith("/100")
    p = api.get(f"/customers/{w.institution}/invoices/{first['invoice_id']}/pdf", headers=headers)
    assert p.status == 200, p.body
    assert p.json["expires_in"] <= 600
    query = parse_qs(urlparse(p.json["url"]).query)
    assert int(query["X-Amz-Expires"][0]) <= 600
    assert urlparse(p.json["url"]).path.endswith(f"{first['invoice_id']}.pdf")


def test_other_customers_invoices_are_not_found(api, invoiced, login_as) -> None:
    w = invoiced
    mine = login_as("customer", [w.individual])
    other_id = invoices_of(w.other_individual)[0].invoice_id
    assert api.get(f"/customers/{w.other_individual}/invoices", headers=mine).status == 404
    for path in ("", "/pdf"):
        # asking through one's own customer number does not find it either
        assert (
            api.get(f"/customers/{w.individual}/invoices/{other_id}{path}", headers=mine).status
            == 404
        )
        assert (
            api.get(
                f"/customers/{w.other_individual}/invoices/{other_id}{path}", headers=mine
            ).status
            == 404
        )
    assert api.get(f"/customers/{w.individual}/invoices/not-an-id", headers=mine).status == 404
    assert (
        api.get(f"/customers/{w.individual}/invoices", headers=login_as("operator")).status == 403
    )


def test_einvoice_consent_switch_records_time_and_replay_changes_nothing(
    api, world, login_as
) -> None:
    from chalicelib.store import consents as consent_store

    w = world
    headers = login_as("customer", [w.other_individual])
    before = api.get(f"/customers/{w.other_individual}/einvoice-consent", headers=headers).json
    assert before["einvoice_consent"] is False
    on = api.put(
        f"/customers/{w.other_individual}/einvoice-consent",
        {"einvoice_consent": True},
        headers=headers,
    )
    assert (
        on.status == 200 and on.json["einvoice_consent"] is True and on.json["einvoice_consent_at"]
    )
    again = api.put(
        f"/customers/{w.other_individual}/einvoice-consent",
        {"einvoice_consent": True},
        headers=headers,
    )
    assert again.json["einvoice_consent_at"] == on.json["einvoice_consent_at"]
    # recorded once in the append-only consents history (issue 15: services.consents.change)
    changes = consent_store.history(w.other_individual)
    assert len(changes) == 1 and changes[0].granted is True and changes[0].kind == "einvoice"
    bad = api.put(
        f"/customers/{w.other_individual}/einvoice-consent",
        {"einvoice_consent": "yes"},
        headers=headers,
    )
    assert bad.status == 400
    assert len(consent_store.history(w.other_individual)) == 1
    other = api.put(
        f"/customers/{w.individual}/einvoice-consent", {"einvoice_consent": False}, headers=headers
    )
    assert other.status == 404
    off = api.put(
        f"/customers/{w.other_individual}/einvoice-consent",
        {"einvoice_consent": False},
        headers=headers,
    )
    assert off.json["einvoice_consent"] is False
    assert len(consent_store.history(w.other_individual)) == 2


def test_consent_decides_the_channel_of_the_next_invoice(api, world, login_as) -> None:
    w = world
    load_tariffs()
    readings_for_world(w)
    headers = login_as("customer", [w.other_individual])
    api.put(
        f"/customers/{w.other_individual}/einvoice-consent",
        {"einvoice_consent": True},
        headers=headers,
    )
    invoicing_job("2026-10")
    assert invoices_of(w.other_individual)[0].channel == "email"
    assert sorted(parsed(m)["To"] for m in sent_emails()) == [
        "jan.kowalski@example.pl",
        "maria.w@example.pl",
    ]


def test_correcting_invoice_references_the_original_which_stays(api, invoiced, login_as) -> None:
    w = invoiced
    original = invoices_of(w.individual)[0]
    operator = login_as("operator")
    body = {"reason": "błędny odczyt ciepła", "usage": {"heat_gj": "2.456"}}
    r = api.post(
        f"/customers/{w.individual}/invoices/{original.invoice_id}/corrections",
        body,
        headers=operator,
    )
    assert r.status == 201, r.body
    assert r.json["status"] == "issued"
    corr = r.json["invoice"]
    assert corr["kind"] == "correction" and corr["corrects"] == original.invoice_id
    assert corr["number"].startswith("FK/")
    assert corr["gross"] < 0 and {ln["code"] for ln in corr["lines"]} == {
        "heat",
        "transmission_variable",
    }
    again = api.post(
        f"/customers/{w.individual}/invoices/{original.invoice_id}/corrections",
        body,
        headers=operator,
    )
    assert again.status == 409
    unchanged = invoices_of(w.individual)
    assert [i for i in unchanged if i.invoice_id == original.invoice_id][0].gross == original.gross
    customer = login_as("customer", [w.individual])
    listed = api.get(f"/customers/{w.individual}/invoices", headers=customer).json["invoices"]
    assert next(i for i in listed if i["invoice_id"] == original.invoice_id)["corrected_by"] == [
        corr["invoice_id"]
    ]
    assert (
        api.post(
            f"/customers/{w.individual}/invoices/{original.invoice_id}/corrections",
            body,
            headers=customer,
        ).status
        == 403
    )
    assert (
        api.post(
            f"/customers/{w.individual}/invoices/{original.invoice_id}/corrections",
            {"reason": "x"},
            headers=operator,
        ).status
        == 400
    )


def test_public_price_list_comes_from_the_data_files(api, aws) -> None:
    load_tariffs()
    r = api.get("/tariffs")
    assert r.status == 200, r.body
    groups = {t["group"]: t for t in r.json["tariffs"]}
    assert set(groups) == {"W-1", "W-2", "G11", "G12"}
    w1 = groups["W-1"]["versions"]
    assert w1[0]["valid_from"] == "2021-06-01" and w1[0]["valid_to"] == "2026-09-15"
    heat = next(c for c in w1[0]["components"] if c["code"] == "heat")
    assert heat["price"] == "56.98" and heat["unit"] == "GJ"
    capacity = next(
        c for c in groups["G11"]["versions"][0]["components"] if c["code"] == "capacity_charge"
    )
    assert len(capacity["bands"]) == 4
    assert sum(1 for v in groups["G12"]["versions"] if v["current"]) == 1
