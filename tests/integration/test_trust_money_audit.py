"""Issue 13, "what to build" 1: every money-changing staff action is audited with who, why
and the value before and after. Ledger corrections, refunds and suspense resolutions were
booked with ``source="admin"`` only: nobody could tell which administrator moved the money,
nor what the balance was before."""

from __future__ import annotations

from typing import Any

from chalicelib.domain import bank
from chalicelib.services import ledger

COMPANY_IBAN = "PL27114020040000300201355387"  # the utility's main account (not virtual)


def _entries(target: str) -> list[dict[str, Any]]:
    from chalicelib.services import audit

    return audit.of_target(target)


def _customer_audit(customer_no: str) -> list[dict[str, Any]]:
    from chalicelib.store.customers import customer_target

    return [e for e in _entries(customer_target(customer_no)) if e["action"].startswith("ledger.")]


def test_a_correction_and_a_refund_say_who_why_and_the_balance_before_and_after(
    aws, world, api, login_as
) -> None:
    ledger.record_invoice(
        customer_no=world.individual,
        invoice_no="FV/2026/10/000009",
        gross_grosze=20_000,
        issue_date="2026-10-06",
        due_date="2026-10-20",
    )
    admin = login_as("admin")
    path = f"/customers/{world.individual}/ledger"
    body = {
        "reference": "KOR/2026/0001",
        "amount_grosze": 25_000,
        "invoice_no": "FV/2026/10/000009",
        "reason": "korekta odczytu",
    }
    assert api.post(f"{path}/corrections", body, headers=admin).status == 201
    assert api.post(f"{path}/corrections", body, headers=admin).status == 409  # replay
    refund = {"reference": "ZW/2026/0001", "amount_grosze": 5_000, "reason": "zwrot nadpłaty"}
    too_much = {**refund, "reference": "ZW/2026/0002", "amount_grosze": 5_001}
    assert api.post(f"{path}/refunds", too_much, headers=admin).status == 400  # nothing stored
    assert api.post(f"{path}/refunds", refund, headers=admin).status == 201

    found = sorted(_customer_audit(world.individual), key=lambda e: e["action"])
    assert [e["action"] for e in found] == ["ledger.correction", "ledger.refund"]
    correction, refunded = found
    actor = correction["actor"]
    assert actor and refunded["actor"] == actor  # the administrator's login, not "admin"
    assert correction["before"] == {"balance_grosze": 20_000}
    assert correction["after"] == {
        "balance_grosze": -5_000,
        "amount_grosze": -25_000,
        "reference": "KOR/2026/0001",
        "invoice_no": "FV/2026/10/000009",
        "reason": "korekta odczytu",
    }
    assert refunded["before"] == {"balance_grosze": -5_000}
    assert refunded["after"] == {
        "balance_grosze": 0,
        "amount_grosze": 5_000,
        "reference": "ZW/2026/0001",
        "reason": "zwrot nadpłaty",
    }


def test_a_suspense_resolution_says_who_booked_it_on_which_account(
    aws, world, api, login_as
) -> None:
    from chalicelib.config import settings
    from chalicelib.services import statements
    from chalicelib.store.ledger import bank_entry_target
    from devstack.camt_sample import SampleCredit, camt053

    unknown = "PL" + bank.virtual_nrb(settings().bank_sort_code, settings().payee_prefix, "999998")
    data = camt053(
        "2026-11-20-001",
        COMPANY_IBAN,
        [
            SampleCredit("REF-UNK-1", 7_777, unknown, "za ciepło", debtor="Ktoś"),
            SampleCredit("REF-UNK-2", 1_234, unknown, "za ciepło", debtor="Ktoś Inny"),
        ],
    )
    assert statements.import_file(data, "bank/2026-11-20.xml")["suspense"] == 2
    admin = login_as("admin")
    booked = api.post(
        "/admin/suspense/REF-UNK-1",
        {"action": "book", "customer_no": world.other_individual, "note": "telefon klienta"},
        headers=admin,
    )
    assert booked.status == 200, booked.body
    returned = api.post(
        "/admin/suspense/REF-UNK-2", {"action": "return", "note": "nieznany"}, headers=admin
    )
    assert returned.status == 200, returned.body
    again = api.post(
        "/admin/suspense/REF-UNK-1",
        {"action": "book", "customer_no": world.individual},
        headers=admin,
    )
    assert again.status == 409  # refused: audited nothing

    (book,) = _entries(bank_entry_target("REF-UNK-1"))
    assert book["action"] == "statements.suspense_booked" and book["actor"]
    assert book["before"] == {"status": "suspense", "amount_grosze": 7_777}
    assert book["after"] == {
        "status": "booked",
        "amount_grosze": 7_777,
        "customer_no": world.other_individual,
        "note": "telefon klienta",
    }
    (back,) = _entries(bank_entry_target("REF-UNK-2"))
    assert back["action"] == "statements.suspense_returned" and back["actor"] == book["actor"]
    assert back["after"]["status"] == "returned" and back["after"]["customer_no"] is None


# --- four-eyes on ledger corrections and refunds above the approval threshold ---------------


def test_a_large_correction_waits_for_another_administrator(aws, world, api, login_as) -> None:
    from chalicelib.config import settings
    from tests.integration.payments_support import ledger_snapshot

    threshold = settings().correction_approval_grosze
    ledger.record_invoice(
        customer_no=world.individual,
        invoice_no="FV/2026/10/000010",
        gross_grosze=threshold * 3,
        issue_date="2026-10-06",
        due_date="2026-10-20",
    )
    first, second = login_as("admin"), login_as("admin")
    path = f"/customers/{world.individual}/ledger"
    body = {
        "reference": "KOR/2026/0100",
        "amount_grosze": threshold * 2,
        "invoice_no": "FV/2026/10/000010",
        "reason": "błędny odczyt",
    }
    before = ledger_snapshot(world.individual)
    asked = api.post(f"{path}/corrections", body, headers=first)
    assert asked.status == 201, asked.body
    assert asked.json["status"] == "pending_approval"
    assert asked.json["balance_grosze"] == threshold * 3 and asked.json["allocations"] == []
    request = asked.json["request"]
    assert (request["status"], request["amount_grosze"]) == ("pending", threshold * 2)
    assert ledger_snapshot(world.individual) == before  # nothing booked
    again = api.post(f"{path}/corrections", body, headers=first)  # a replay: the same request
    assert again.json["request"]["request_id"] == request["request_id"]
    other = {**body, "amount_grosze": threshold * 2 + 1}  # the same reference, another amount
    assert api.post(f"{path}/corrections", other, headers=first).status == 409
    listed = api.get("/ledger-requests", headers=second).json["requests"]
    assert [r["request_id"] for r in listed] == [request["request_id"]]

    decide = f"/customers/{world.individual}/ledger-requests/{request['request_id']}"
    assert api.post(f"{decide}/approve", {}, headers=first).status == 403  # not the requester
    assert ledger_snapshot(world.individual) == before
    approved = api.post(f"{decide}/approve", {}, headers=second)
    assert approved.status == 201, approved.body
    assert approved.json["status"] == "booked" and approved.json["balance_grosze"] == threshold
    assert approved.json["request"]["status"] == "booked"
    assert api.post(f"{decide}/approve", {}, headers=second).status == 409  # once
    assert api.post(f"{decide}/reject", {}, headers=second).status == 409
    assert ledger_snapshot(world.individual)["balance"] == threshold
    assert api.get("/ledger-requests", headers=second).json["requests"] == []

    actions = {e["action"]: e for e in _customer_audit(world.individual)}
    assert set(actions) == {"ledger.correction_requested", "ledger.correction"}
    booked = actions["ledger.correction"]
    assert booked["actor"] == actions["ledger.correction_requested"]["actor"]  # who asked
    assert booked["after"]["approved_by"] and booked["after"]["approved_by"] != booked["actor"]
    assert booked["before"] == {"balance_grosze": threshold * 3}


def test_a_large_refund_is_checked_when_asked_and_a_rejected_one_books_nothing(
    aws, world, api, login_as
) -> None:
    from chalicelib.config import settings
    from tests.integration.payments_support import ledger_snapshot

    threshold = settings().correction_approval_grosze
    first, second = login_as("admin"), login_as("admin")
    path = f"/customers/{world.individual}/ledger"
    # an overpayment of 2 × threshold (a goodwill correction with no invoice)
    ledger.record_correction(
        world.individual, reference="KOR/2026/0200", amount_grosze=threshold * 2, reason="x"
    )
    before = ledger_snapshot(world.individual)
    too_much = {"reference": "ZW/2026/0200", "amount_grosze": threshold * 2 + 1, "reason": "zwrot"}
    assert api.post(f"{path}/refunds", too_much, headers=first).status == 400
    assert api.get("/ledger-requests", headers=second).json["requests"] == []  # nothing stored
    body = {**too_much, "amount_grosze": threshold + 1}
    asked = api.post(f"{path}/refunds", body, headers=first)
    assert asked.status == 201 and asked.json["status"] == "pending_approval"
    decide = f"/customers/{world.individual}/ledger-requests/{asked.json['request']['request_id']}"
    rejected = api.post(f"{decide}/reject", {}, headers=second)
    assert rejected.status == 200 and rejected.json["status"] == "rejected"
    assert api.post(f"{decide}/approve", {}, headers=second).status == 409
    assert ledger_snapshot(world.individual) == before
    missing = "/customers/999999/ledger-requests/nope/approve"
    assert api.post(missing, {}, headers=second).status == 404
    assert api.post("/customers/999999/ledger/refunds", body, headers=first).status == 404
    customer = login_as("customer", [world.individual])
    assert api.get("/ledger-requests", headers=customer).status == 403
