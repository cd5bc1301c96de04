"""Online payments: start, the operator's signed notification (once, forged refused),
the local sandbox operator page, access rules."""

from __future__ import annotations

import json

import pytest

from chalicelib.adapters import payment_operator as gateway
from chalicelib.services import ledger
from chalicelib.store import ledger as store
from tests.integration.payments_support import (
    assert_balance_consistent,
    ledger_snapshot,
    signed_notification,
)

NOTIFY = "/payments/notifications"


@pytest.fixture
def billed(aws, world):
    ledger.record_invoice(
        customer_no=world.individual,
        invoice_no="FV/2026/09/000011",
        gross_grosze=15_000,
        issue_date="2026-09-06",
        due_date="2026-09-20",
    )
    ledger.record_invoice(
        customer_no=world.individual,
        invoice_no="FV/2026/10/000011",
        gross_grosze=25_000,
        issue_date="2026-10-06",
        due_date="2026-10-20",
    )
    return world


def _start(api, headers, customer_no, body):
    return api.post(f"/customers/{customer_no}/payments", body, headers=headers)


def test_start_payment_for_chosen_invoices(api, billed, login_as) -> None:
    headers = login_as("customer", [billed.individual])
    r = _start(api, headers, billed.individual, {"invoice_nos": ["FV/2026/10/000011"]})
    assert r.status == 201, r.body
    p = r.json
    assert p["amount_grosze"] == 25_000 and p["status"] == "pending" and p["currency"] == "PLN"
    assert p["redirect_url"] == f"/sandbox/pay/{p['payment_id']}"
    listed = api.get(f"/customers/{billed.individual}/payments", headers=headers).json["payments"]
    assert [x["payment_id"] for x in listed] == [p["payment_id"]]
    assert (
        api.get(f"/customers/{billed.individual}/payments/{p['payment_id']}", headers=headers).json[
            "status"
        ]
        == "pending"
    )
    # starting a payment books nothing
    assert ledger_snapshot(billed.individual)["balance"] == 40_000


BAD_BODIES = [
    {"invoice_nos": ["FV/NIE/ISTNIEJE"]},
    {"invoice_nos": []},
    {"invoice_nos": ["FV#1"]},
    {"amount_grosze": 99},
    {"amount_grosze": "100"},
    {"amount_grosze": 10.5},
    {"invoice_nos": ["FV/2026/10/000011"], "amount_grosze": 25_001},
    {},
    {"amount_grosze": 1000, "extra": 1},
]


def test_bad_payment_requests_store_nothing(api, billed, login_as) -> None:
    """(One test over every bad body: a fresh embedded AWS per case costs seconds.)"""
    headers = login_as("customer", [billed.individual])
    for body in BAD_BODIES:
        r = _start(api, headers, billed.individual, body)
        assert r.status == 400, body
        assert r.json["code"] == "error.validation", body
    raw = api.request(
        "POST",
        f"/customers/{billed.individual}/payments",
        raw="{oops",
        headers={**headers, "Content-Type": "application/json"},
    )
    assert raw.status == 400
    listed = api.get(f"/customers/{billed.individual}/payments", headers=headers).json
    assert listed["payments"] == []
    en = _start(
        api, {**headers, "Accept-Language": "en"}, billed.individual, {"invoice_nos": ["FV/X/1"]}
    )
    assert en.json["errors"][0]["message"] == "Invoice FV/X/1 is not awaiting payment."
    pl = _start(api, headers, billed.individual, {"invoice_nos": ["FV/X/1"]})
    assert pl.json["errors"][0]["message"] == "Faktura FV/X/1 nie czeka na zapłatę."


def test_paying_for_another_customer_is_not_found(api, billed, login_as) -> None:
    other = login_as("customer", [billed.other_individual])
    assert _start(api, other, billed.individual, {"amount_grosze": 1000}).status == 404
    own = login_as("customer", [billed.individual])
    p = _start(api, own, billed.individual, {"amount_grosze": 1000}).json
    assert (
        api.get(
            f"/customers/{billed.other_individual}/payments/{p['payment_id']}", headers=other
        ).status
        == 404
    )
    assert (
        api.get(f"/customers/{billed.individual}/payments/{p['payment_id']}", headers=other).status
        == 404
    )
    assert _start(api, login_as("admin"), billed.individual, {"amount_grosze": 1000}).status == 403


def test_notification_replayed_ten_times_books_once(api, billed, login_as) -> None:
    headers = login_as("customer", [billed.individual])
    p = _start(api, headers, billed.individual, {"invoice_nos": ["FV/2026/10/000011"]}).json
    body, hdrs = signed_notification(p)
    results = [api.request("POST", NOTIFY, raw=body, headers=hdrs) for _ in range(10)]
    assert [r.status for r in results] == [200] * 10
    assert [r.json["result"] for r in results] == ["booked"] + ["duplicate"] * 9
    snap = ledger_snapshot(billed.individual)
    assert snap["balance"] == 15_000
    assert [e[0] for e in snap["entries"] if "PAYMENT" in e[0]] == [
        f"ENTRY#PAYMENT#{p['payment_id']}"
    ]
    # the entry's title is language-neutral (the portal names the kind in the reader's language)
    (entry,) = [e for e in store.ledger_entries(billed.individual) if e.kind == "payment"]
    assert entry.title == "FV/2026/10/000011"
    # the named invoice was paid, not the older one
    assert [o[0] for o in snap["open"]] == ["FV/2026/09/000011"]
    assert (
        api.get(f"/customers/{billed.individual}/payments/{p['payment_id']}", headers=headers).json[
            "status"
        ]
        == "paid"
    )
    # a late "failed" for a paid payment changes nothing either
    fail_body, fail_hdrs = signed_notification(p, status="failed")
    assert api.request("POST", NOTIFY, raw=fail_body, headers=fail_hdrs).json["result"] == "ignored"
    assert ledger_snapshot(billed.individual) == snap
    assert_balance_consistent(billed.individual)


def test_forged_notifications_are_refused_and_book_nothing(api, billed, login_as) -> None:
    headers = login_as("customer", [billed.individual])
    p = _start(api, headers, billed.individual, {"amount_grosze": 40_000}).json
    before = ledger_snapshot(billed.individual)
    body, hdrs = signed_notification(p)
    forged = {**hdrs, gateway.SIGNATURE_HEADER: gateway.sign(body, "not-the-secret")}
    r = api.request("POST", NOTIFY, raw=body, headers=forged)
    assert r.status == 403 and r.json["code"] == "payments.bad_signature"
    unsigned = {"Content-Type": "application/json"}
    assert api.request("POST", NOTIFY, raw=body, headers=unsigned).status == 403
    tampered = body.replace(b'"amount": 40000', b'"amount": 4000000')
    assert tampered != body
    assert api.request("POST", NOTIFY, raw=tampered, headers=hdrs).status == 403
    # correctly signed but not matching the payment: amount, currency, unknown payment
    wrong_amount, h1 = signed_notification(p, amount=39_999)
    assert api.request("POST", NOTIFY, raw=wrong_amount, headers=h1).status == 422
    wrong_ccy, h2 = signed_notification(p, currency="EUR")
    assert api.request("POST", NOTIFY, raw=wrong_ccy, headers=h2).status == 422
    unknown, h3 = signed_notification({**p, "payment_id": "01NOSUCHPAYMENT"})
    assert api.request("POST", NOTIFY, raw=unknown, headers=h3).status == 404
    bad_json = b"{not json"
    assert (
        api.request(
            "POST",
            NOTIFY,
            raw=bad_json,
            headers={**unsigned, gateway.SIGNATURE_HEADER: gateway.sign(bad_json)},
        ).status
        == 400
    )
    assert ledger_snapshot(billed.individual) == before
    assert store.get_payment(p["payment_id"]).status == "pending"


def test_failed_payment_books_nothing(api, billed, login_as) -> None:
    headers = login_as("customer", [billed.individual])
    p = _start(api, headers, billed.individual, {"amount_grosze": 10_000}).json
    body, hdrs = signed_notification(p, status="failed")
    assert api.request("POST", NOTIFY, raw=body, headers=hdrs).json["result"] == "failed"
    assert api.request("POST", NOTIFY, raw=body, headers=hdrs).json["result"] == "ignored"
    assert store.get_payment(p["payment_id"]).status == "failed"
    assert ledger_snapshot(billed.individual)["balance"] == 40_000


def test_sandbox_pays_through_the_notification_route(api, billed, login_as, monkeypatch) -> None:
    """The sandbox page's "Zapłać" posts a signed notification to the app's route."""
    delivered: list[bytes] = []

    def deliver(url: str, body: bytes, headers: dict[str, str], timeout_s: float = 10) -> int:
        assert url == "http://ebok.test/payments/notifications"
        delivered.append(body)
        return api.request(
            "POST",
            "/payments/notifications",
            raw=body,
            headers={"Content-Type": "application/json", **headers},
        ).status

    monkeypatch.setattr(gateway, "deliver", deliver)
    # The notification URL is configuration (the local stack sets it), never the Host header.
    monkeypatch.setenv("PAYMENT_NOTIFY_URL", "http://ebok.test/payments/notifications")
    from chalicelib.config import settings

    settings.cache_clear()
    headers = login_as("customer", [billed.individual])
    p = _start(api, headers, billed.individual, {"amount_grosze": 12_345}).json
    page = api.get(p["redirect_url"])
    assert page.status == 200 and "Zapłać" in page.text and "123,45" in page.text
    form = {"Content-Type": "application/x-www-form-urlencoded", "Host": "ebok.test"}
    r = api.request("POST", p["redirect_url"], raw="outcome=completed", headers=form)
    assert r.status == 302 and r.headers["Location"] == f"/#/payments?payment={p['payment_id']}"
    assert len(delivered) == 1 and json.loads(delivered[0])["amount"] == 12_345
    assert ledger_snapshot(billed.individual)["balance"] == 40_000 - 12_345
    # pressing again (back button) does not pay twice
    assert (
        api.request("POST", p["redirect_url"], raw="outcome=completed", headers=form).status == 302
    )
    assert len(delivered) == 1 and ledger_snapshot(billed.individual)["balance"] == 40_000 - 12_345
    assert "sandbox-pay" not in api.get(p["redirect_url"]).text  # the page no longer offers to pay
    assert api.request("POST", p["redirect_url"], raw="outcome=maybe", headers=form).status == 400


def test_sandbox_reject_and_in_process_delivery(api, billed, login_as) -> None:
    headers = login_as("customer", [billed.individual])
    p = _start(api, headers, billed.individual, {"amount_grosze": 5_000}).json
    form = {"Content-Type": "application/x-www-form-urlencoded"}  # no Host: delivered in-process
    assert api.request("POST", p["redirect_url"], raw="outcome=failed", headers=form).status == 302
    assert store.get_payment(p["payment_id"]).status == "failed"
    assert ledger_snapshot(billed.individual)["balance"] == 40_000


def test_sandbox_is_local_only(api, billed, login_as, monkeypatch) -> None:
    import dataclasses

    from chalicelib.config import settings
    from chalicelib.services import payments as service

    headers = login_as("customer", [billed.individual])
    p = _start(api, headers, billed.individual, {"amount_grosze": 5_000}).json
    body, hdrs = signed_notification(p)  # signed with the local secret
    # chalice's test client re-applies the local stage's environment on every request, so
    # the production settings are put in place of the settings function itself.
    prod = dataclasses.replace(settings(), stage="prod", payment_hmac_secret="")
    monkeypatch.setattr(service, "settings", lambda: prod)
    monkeypatch.setattr(gateway, "settings", lambda: prod)
    assert api.get(p["redirect_url"]).status == 404
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert (
        api.request("POST", p["redirect_url"], raw="outcome=completed", headers=form).status == 404
    )
    # and without a configured secret every notification is refused
    assert api.request("POST", NOTIFY, raw=body, headers=hdrs).status == 403
    assert ledger_snapshot(billed.individual)["balance"] == 40_000
