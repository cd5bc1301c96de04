"""Issue 13, "what to build" 1: an unmatched bank credit assigned to a customer above the
approval threshold is not booked until a *different* administrator approves (four-eyes).
Before, any administrator booked any credit on any account at once."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain import bank

COMPANY_IBAN = "PL27114020040000300201355387"  # the utility's main account (not virtual)


@pytest.fixture
def threshold() -> int:
    from chalicelib.config import settings

    return settings().correction_approval_grosze


def _park(*credits: tuple[str, int]) -> None:
    """Unmatched credits (a virtual account of nobody) put in the suspense list."""
    from chalicelib.config import settings
    from chalicelib.services import statements
    from devstack.camt_sample import SampleCredit, camt053

    nobody = "PL" + bank.virtual_nrb(settings().bank_sort_code, settings().payee_prefix, "999998")
    data = camt053(
        "2026-11-20-077",
        COMPANY_IBAN,
        [SampleCredit(ref, amount, nobody, "za ciepło", debtor="Ktoś") for ref, amount in credits],
    )
    assert statements.import_file(data, "bank/2026-11-20-077.xml")["suspense"] == len(credits)


def _state(customer_no: str, ref: str) -> tuple[Any, ...]:
    from chalicelib.store.ledger import get_bank_entry
    from tests.integration.payments_support import ledger_snapshot

    entry = get_bank_entry(ref)
    assert entry is not None
    return ledger_snapshot(customer_no), entry.status, entry.customer_no


def _audit(ref: str) -> list[dict[str, Any]]:
    from chalicelib.services import audit
    from chalicelib.store.ledger import bank_entry_target

    return sorted(audit.of_target(bank_entry_target(ref)), key=lambda e: e["at"])


def test_at_the_threshold_a_credit_is_booked_at_once_above_it_waits(
    aws, world, api, login_as, threshold
) -> None:
    _park(("REF-AT", threshold), ("REF-ABOVE", threshold + 1))
    admin = login_as("admin")
    listed = {e["ref"]: e for e in api.get("/admin/suspense", headers=admin).json["entries"]}
    assert (listed["REF-AT"]["needs_approval"], listed["REF-ABOVE"]["needs_approval"]) == (
        False,
        True,
    )
    body = {"action": "book", "customer_no": world.individual, "note": "telefon klienta"}
    at = api.post("/admin/suspense/REF-AT", body, headers=admin)
    assert at.status == 200, at.body
    assert at.json["status"] == "booked" and at.json.get("request") is None

    before = _state(world.individual, "REF-ABOVE")
    above = api.post("/admin/suspense/REF-ABOVE", body, headers=admin)
    assert above.status == 200, above.body
    assert above.json["status"] == "suspense"
    request = above.json["request"]
    assert (request["status"], request["amount_grosze"]) == ("pending", threshold + 1)
    assert (request["customer_no"], request["reason"]) == (world.individual, "telefon klienta")
    assert _state(world.individual, "REF-ABOVE") == before  # nothing booked
    assert api.get("/admin/suspense-requests", headers=admin).json["requests"] == [request]


def test_another_administrator_approves_and_the_credit_is_booked_once(
    aws, world, api, login_as, threshold
) -> None:
    amount = threshold * 2
    _park(("REF-BIG", amount))
    first, second = login_as("admin"), login_as("admin")
    body = {"action": "book", "customer_no": world.individual, "note": "tytuł z numerem umowy"}
    before = _state(world.individual, "REF-BIG")
    asked = api.post("/admin/suspense/REF-BIG", body, headers=first)
    request = asked.json["request"]
    again = api.post("/admin/suspense/REF-BIG", body, headers=first)  # a replay
    assert again.status == 200 and again.json["request"] == request
    other = {**body, "customer_no": world.other_individual}  # another account while one waits
    assert api.post("/admin/suspense/REF-BIG", other, headers=second).status == 409
    back = {"action": "return", "note": "zwrot"}  # nor returned while the request waits
    assert api.post("/admin/suspense/REF-BIG", back, headers=second).status == 409
    assert _state(world.individual, "REF-BIG") == before
    listed = api.get("/admin/suspense-requests", headers=second).json["requests"]
    assert [r["request_id"] for r in listed] == [request["request_id"]]

    decide = f"/admin/suspense/REF-BIG/requests/{request['request_id']}"
    own = api.post(f"{decide}/approve", {}, headers=first)
    assert own.status == 403 and own.json["detail"]  # not by the requester
    assert _state(world.individual, "REF-BIG") == before

    approved = api.post(f"{decide}/approve", {}, headers=second)
    assert approved.status == 200, approved.body
    assert (approved.json["status"], approved.json["customer_no"]) == ("booked", world.individual)
    assert approved.json["request"]["status"] == "booked"
    booked = _state(world.individual, "REF-BIG")
    assert booked[0]["balance"] == (before[0]["balance"] or 0) - amount
    assert booked[1:] == ("booked", world.individual)

    _replays_change_nothing(api, decide, body, first, second, world.individual)
    _audited_by_two("REF-BIG", amount)


def _replays_change_nothing(
    api: Any, decide: str, body: dict[str, str], first: Any, second: Any, customer_no: str
) -> None:
    booked = _state(customer_no, "REF-BIG")
    assert api.post(f"{decide}/approve", {}, headers=second).status == 409  # a replay: once
    assert api.post("/admin/suspense/REF-BIG", body, headers=first).status == 409
    assert api.post(f"{decide}/reject", {"reason": "za późno"}, headers=second).status == 409
    assert _state(customer_no, "REF-BIG") == booked
    assert api.get("/admin/suspense-requests", headers=second).json["requests"] == []


def _audited_by_two(ref: str, amount: int) -> None:
    # two entries, found by their action: both may carry the same second
    entries = _audit(ref)
    by_action = {e["action"]: e for e in entries}
    assert len(entries) == 2 and set(by_action) == {
        "statements.suspense_requested",
        "statements.suspense_booked",
    }
    asked, booked = (
        by_action["statements.suspense_requested"],
        by_action["statements.suspense_booked"],
    )
    assert booked["actor"] != asked["actor"]
    assert booked["after"]["requested_by"] == asked["actor"]
    assert booked["after"]["approved_by"] == booked["actor"]
    assert booked["before"] == {"status": "suspense", "amount_grosze": amount}


def test_a_rejected_request_books_nothing_and_keeps_the_reason(
    aws, world, api, login_as, threshold
) -> None:
    _park(("REF-NO", threshold + 500))
    first, second = login_as("admin"), login_as("admin")
    body = {"action": "book", "customer_no": world.individual, "note": "chyba ten klient"}
    before = _state(world.individual, "REF-NO")
    request = api.post("/admin/suspense/REF-NO", body, headers=first).json["request"]
    decide = f"/admin/suspense/REF-NO/requests/{request['request_id']}"
    assert api.post(f"{decide}/reject", {}, headers=second).status == 400  # a reason is due
    assert api.post(f"{decide}/reject", {"reason": "   "}, headers=second).status == 400
    rejected = api.post(f"{decide}/reject", {"reason": "inny tytuł przelewu"}, headers=second)
    assert rejected.status == 200, rejected.body
    assert rejected.json["status"] == "rejected"
    assert rejected.json["decision_reason"] == "inny tytuł przelewu"
    assert rejected.json["decided_by"] and rejected.json["decided_by"] != request["requested_by"]
    assert api.post(f"{decide}/approve", {}, headers=second).status == 409
    assert api.post(f"{decide}/reject", {"reason": "x"}, headers=second).status == 409
    assert _state(world.individual, "REF-NO") == before  # still in suspense, nothing booked
    assert api.get("/admin/suspense-requests", headers=second).json["requests"] == []
    # the same assignment again is the decided request; another account may be asked for
    assert api.post("/admin/suspense/REF-NO", body, headers=first).status == 409
    other = {**body, "customer_no": world.other_individual}
    assert api.post("/admin/suspense/REF-NO", other, headers=first).json["request"]["status"] == (
        "pending"
    )
    (rejection,) = [
        e for e in _audit("REF-NO") if e["action"] == "statements.suspense_request_rejected"
    ]
    assert rejection["after"] == {"status": "rejected", "reason": "inny tytuł przelewu"}


def test_bad_input_stores_no_request(aws, world, api, login_as, threshold) -> None:
    _park(("REF-BAD", threshold + 1))
    admin = login_as("admin")
    path = "/admin/suspense/REF-BAD"
    no_reason = api.post(path, {"action": "book", "customer_no": world.individual}, headers=admin)
    assert no_reason.status == 400 and no_reason.json["errors"][0]["field"] == "note"
    unknown = {"action": "book", "customer_no": "999999", "note": "x"}
    assert api.post(path, unknown, headers=admin).status == 400
    assert api.post(path, {"action": "book", "note": "x"}, headers=admin).status == 400
    assert api.get("/admin/suspense-requests", headers=admin).json["requests"] == []
    assert _audit("REF-BAD") == []
    missing = "/admin/suspense/NOPE/requests/abc/approve"
    assert api.post(missing, {}, headers=admin).status == 404
    assert api.post("/admin/suspense/REF-BAD/requests/abc/approve", {}, headers=admin).status == 404
    customer = login_as("customer", [world.individual])
    assert api.get("/admin/suspense-requests", headers=customer).status == 403
    operator = login_as("operator")
    assert api.post(f"{path}/requests/abc/reject", {"reason": "x"}, headers=operator).status == 403


def test_requests_written_by_the_former_modules_still_read(aws, world) -> None:
    """``CorrectionRequest`` and ``LedgerRequest`` items as their own modules wrote them
    (same keys, same ``type``) read, list and decide through ``store.approvals``."""
    import boto3

    from chalicelib.store import approvals
    from chalicelib.store.base import Item

    raw = {
        "PK": "CUST#100001",
        "SK": "LEDGERREQ#abc",
        "GSI1PK": "LEDGERREQ#PENDING",
        "GSI1SK": "2026-11-18T10:00:00Z#100001#abc",
        "type": "LedgerRequest",
        "request_id": "abc",
        "customer_no": "100001",
        "kind": "refund",
        "reference": "ZW/1",
        "amount_grosze": 200_000,
        "reason": "zwrot",
        "requested_by": "admin-a",
        "requested_at": "2026-11-18T10:00:00Z",
        "status": "pending",
    }
    boto3.client("dynamodb", region_name=Item.Meta.region).put_item(
        TableName=Item.Meta.table_name, Item=_typed(raw)
    )
    (listed,) = approvals.pending(approvals.LedgerRequest)
    assert (listed.request_id, int(listed.amount_grosze)) == ("abc", 200_000)
    assert listed.decision_reason is None
    assert approvals.reject(listed, "admin-b", "2026-11-18T11:00:00Z", "nie")
    again = approvals.get_request(approvals.LedgerRequest, "100001", "abc")
    assert again is not None and (again.status, again.decision_reason) == ("rejected", "nie")
    assert approvals.pending(approvals.LedgerRequest) == []
    assert not approvals.reject(again, "admin-b", "2026-11-18T12:00:00Z")  # once


def _typed(raw: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {k: {"N": str(v)} if isinstance(v, int) else {"S": v} for k, v in raw.items()}
