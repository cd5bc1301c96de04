"""Ledger: invoice debits (the invoicing contract), exact balances under concurrency,
the overview's balance block, balance and history routes, corrections and refunds."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from pynamodb.exceptions import TransactWriteError

from chalicelib.services import ledger
from chalicelib.services import payments as payment_service
from chalicelib.store import ledger as store
from chalicelib.store.base import Item, transaction
from tests.integration.payments_support import (
    assert_balance_consistent,
    ledger_snapshot,
    serialise_moto,
    signed_notification,
)


def _invoice(
    customer_no: str, no: str, gross: int, due: str = "2026-12-14", issue: str = "2026-11-30"
) -> None:
    assert ledger.record_invoice(
        customer_no=customer_no, invoice_no=no, gross_grosze=gross, issue_date=issue, due_date=due
    )


def test_record_invoice_in_joins_the_callers_transaction(aws, world) -> None:
    # The invoicing worker's own item (stand-in: a marker) and the debit commit together...
    with transaction() as tx:
        tx.save(
            store.NoticeSent(
                "INVOICE#X1", "X", customer_no=world.individual, notice="x", sent_at="t"
            ),
            condition=Item.PK.does_not_exist(),
        )
        ledger.record_invoice_in(
            tx,
            customer_no=world.individual,
            invoice_no="FV/2026/11/000001",
            gross_grosze=12_300,
            issue_date="2026-11-30",
            due_date="2026-12-14",
        )
    assert ledger_snapshot(world.individual)["balance"] == 12_300
    # ...or not at all: the caller's item fails its condition, the debit is not written.
    with pytest.raises(TransactWriteError), transaction() as tx:
        tx.save(
            store.NoticeSent(
                "INVOICE#X1", "X", customer_no=world.individual, notice="x", sent_at="t"
            ),
            condition=Item.PK.does_not_exist(),
        )
        ledger.record_invoice_in(
            tx,
            customer_no=world.individual,
            invoice_no="FV/2026/11/000002",
            gross_grosze=5_000,
            issue_date="2026-11-30",
            due_date="2026-12-14",
        )
    snap = ledger_snapshot(world.individual)
    assert snap["balance"] == 12_300 and [e[0] for e in snap["entries"]] == [
        "ENTRY#INV#FV/2026/11/000001"
    ]
    # The same invoice twice is refused as a whole (no double debit).
    assert not ledger.record_invoice(
        customer_no=world.individual,
        invoice_no="FV/2026/11/000001",
        gross_grosze=12_300,
        issue_date="2026-11-30",
        due_date="2026-12-14",
    )
    assert ledger_snapshot(world.individual) == snap
    with pytest.raises(ValueError):
        ledger.record_invoice(
            customer_no=world.individual,
            invoice_no="FV#1",
            gross_grosze=1,
            issue_date="2026-11-30",
            due_date="2026-12-14",
        )
    with pytest.raises(ValueError):
        ledger.record_invoice(
            customer_no=world.individual,
            invoice_no="FV/3",
            gross_grosze=-1,
            issue_date="2026-11-30",
            due_date="2026-12-14",
        )
    assert_balance_consistent(world.individual)


def test_twenty_concurrent_payments_leave_the_exact_balance(
    aws, world, api, login_as, monkeypatch
) -> None:
    serialise_moto(monkeypatch)
    customer = world.institution
    for month in range(1, 7):
        _invoice(
            customer,
            f"FV/2026/{month:02d}/000100",
            100_000 + month,
            due=f"2026-{month:02d}-20",
            issue=f"2026-{month:02d}-06",
        )
    debits = sum(100_000 + m for m in range(1, 7))
    headers = login_as("building_manager", [customer])
    amounts = [1_000 * (n + 1) + n for n in range(20)]  # 20 different amounts, 2 190 zł in all
    started = [
        api.post(f"/customers/{customer}/payments", {"amount_grosze": a}, headers=headers).json
        for a in amounts
    ]
    barrier = threading.Barrier(21)

    def pay(payment: dict) -> dict:
        body, hdrs = signed_notification(payment)
        barrier.wait()
        return payment_service.handle_notification(body, hdrs["X-Operator-Signature"])

    def invoice_meanwhile() -> None:
        barrier.wait()
        _invoice(customer, "FV/2026/07/000100", 50_000, due="2026-07-20", issue="2026-07-06")

    with ThreadPoolExecutor(max_workers=21) as pool:
        late_invoice = pool.submit(invoice_meanwhile)
        results = list(pool.map(pay, started))
        late_invoice.result()
    assert [r["result"] for r in results] == ["booked"] * 20
    snap = ledger_snapshot(customer)
    assert snap["balance"] == debits + 50_000 - sum(amounts)
    assert len([e for e in snap["entries"] if e[0].startswith("ENTRY#PAYMENT#")]) == 20
    assert_balance_consistent(customer)
    # Allocations add up to what was paid, oldest invoices first.
    paid = sum(
        sum(a for _, a in json.loads(e[2]))
        for e in snap["entries"]
        if e[0].startswith("ENTRY#PAYMENT#")
    )
    assert paid == sum(amounts)
    # 2 101,90 zł pays January (1 000,01) and February (1 000,02) in full, then part of March.
    assert snap["open"][0] == ("FV/2026/03/000100", 100_003, sum(amounts) - 100_001 - 100_002)
    assert [o[0] for o in snap["open"]][-1] == "FV/2026/07/000100"


def test_overview_shows_balance_without_another_request(aws, world, api, login_as) -> None:
    from devstack.metering import count_calls

    _invoice(world.individual, "FV/2026/10/000007", 20_000, due="2026-10-20", issue="2026-10-06")
    _invoice(world.individual, "FV/2099/11/000007", 15_000, due="2099-11-20", issue="2099-11-06")
    ledger.book_credit(
        world.individual, 5_000, kind="transfer", ref="BANK-1", value_date="2026-10-25"
    )
    headers = login_as("customer", [world.individual])
    with count_calls() as calls:
        r = api.get(f"/customers/{world.individual}/overview", headers=headers)
    assert r.status == 200
    assert calls.of("dynamodb") == ["GetItem", "Query"], calls.names
    b = r.json["balance"]
    assert b["balance_grosze"] == 30_000 and b["overpayment_grosze"] == 0
    assert b["arrears_grosze"] == 15_000
    assert b["next_due_date"] == "2099-11-20" and b["next_due_grosze"] == 15_000
    assert b["virtual_account"]["iban"].startswith("PL") and b["virtual_account"]["nrb"].endswith(
        "100001"
    )


def test_overview_of_a_customer_without_ledger_shows_zero(aws, world, api, login_as) -> None:
    headers = login_as("customer", [world.other_individual])
    b = api.get(f"/customers/{world.other_individual}/overview", headers=headers).json["balance"]
    assert (b["balance_grosze"], b["arrears_grosze"], b["next_due_date"]) == (0, 0, None)


def test_balance_and_history_routes_and_access(aws, world, api, login_as) -> None:
    _invoice(world.individual, "FV/2026/10/000008", 20_000, due="2026-10-20", issue="2026-10-06")
    _invoice(world.individual, "FV/2099/11/000008", 15_000, due="2099-11-20", issue="2099-11-06")
    ledger.book_credit(
        world.individual, 25_000, kind="transfer", ref="BANK-2", value_date="2026-10-25"
    )
    own = login_as("customer", [world.individual])
    r = api.get(f"/customers/{world.individual}/balance", headers=own)
    assert r.status == 200
    assert [
        (i["invoice_no"], i["status"], i["outstanding_grosze"]) for i in r.json["open_items"]
    ] == [("FV/2099/11/000008", "partially_paid", 10_000)]
    h = api.get(f"/customers/{world.individual}/ledger", headers=own).json["entries"]
    # newest value date first, with the running balance of a bank statement
    assert [(e["ref"], e["amount_grosze"], e["balance_after_grosze"]) for e in h] == [
        ("FV/2099/11/000008", 15_000, 10_000),
        ("BANK-2", -25_000, -5_000),
        ("FV/2026/10/000008", 20_000, 20_000),
    ]
    transfer = next(e for e in h if e["kind"] == "transfer")
    assert [a["invoice_no"] for a in transfer["allocations"]] == [
        "FV/2026/10/000008",
        "FV/2099/11/000008",
    ]
    # someone else's ledger: 404 like a missing customer; other roles: refused
    other = login_as("customer", [world.other_individual])
    for path in ("balance", "ledger", "payments"):
        assert api.get(f"/customers/{world.individual}/{path}", headers=other).status == 404
    assert (
        api.get(f"/customers/{world.individual}/balance", headers=login_as("operator")).status
        == 403
    )
    assert api.get(f"/customers/{world.individual}/balance").status in (401, 403)
    assert (
        api.get(
            f"/customers/{world.individual}/balance",
            headers=login_as("account_manager", manager_id="M1"),
        ).status
        == 200
    )
    assert (
        api.get(
            f"/customers/{world.other_individual}/balance",
            headers=login_as("account_manager", manager_id="M1"),
        ).status
        == 404
    )


def test_invoice_statuses_for_the_invoice_list(aws, world) -> None:
    from datetime import date

    _invoice(world.individual, "FV/A", 10_000, due="2026-10-20", issue="2026-10-06")
    _invoice(world.individual, "FV/B", 10_000, due="2026-11-20", issue="2026-11-06")
    _invoice(world.individual, "FV/C", 10_000, due="2026-12-20", issue="2026-12-06")
    ledger.book_credit(
        world.individual, 14_000, kind="transfer", ref="BANK-3", value_date="2026-11-10"
    )
    st = ledger.invoice_statuses(world.individual, ["FV/A", "FV/B", "FV/C"], date(2026, 11, 25))
    assert {k: v["status"] for k, v in st.items()} == {
        "FV/A": "paid",
        "FV/B": "overdue",
        "FV/C": "unpaid",
    }
    st = ledger.invoice_statuses(world.individual, ["FV/B"], date(2026, 11, 15))
    assert st["FV/B"]["status"] == "partially_paid" and st["FV/B"]["outstanding_grosze"] == 6_000


def test_admin_correction_and_refund(aws, world, api, login_as) -> None:
    _invoice(world.individual, "FV/2026/10/000009", 20_000, due="2026-10-20", issue="2026-10-06")
    admin = login_as("admin")
    path = f"/customers/{world.individual}/ledger"
    r = api.post(
        f"{path}/corrections",
        {
            "reference": "KOR/2026/0001",
            "amount_grosze": 25_000,
            "invoice_no": "FV/2026/10/000009",
            "reason": "korekta odczytu",
        },
        headers=admin,
    )
    assert r.status == 201, r.body
    assert r.json["balance_grosze"] == -5_000
    before = ledger_snapshot(world.individual)
    # replay of the same reference: refused, nothing changes
    again = api.post(
        f"{path}/corrections",
        {"reference": "KOR/2026/0001", "amount_grosze": 25_000, "reason": "korekta odczytu"},
        headers=admin,
    )
    assert again.status == 409
    assert ledger_snapshot(world.individual) == before
    # bad input: nothing stored
    assert (
        api.post(
            f"{path}/refunds",
            {"reference": "ZW/1", "amount_grosze": 5_001, "reason": "zwrot nadpłaty"},
            headers=admin,
        ).status
        == 400
    )
    assert (
        api.post(
            f"{path}/refunds",
            {"reference": "ZW/1", "amount_grosze": -1, "reason": "zwrot"},
            headers=admin,
        ).status
        == 400
    )
    assert (
        api.post(
            f"{path}/refunds",
            {"reference": "x", "amount_grosze": 1, "reason": "zwrot"},
            headers=admin,
        ).status
        == 400
    )
    assert ledger_snapshot(world.individual) == before
    # a customer cannot book corrections or refunds
    own = login_as("customer", [world.individual])
    assert (
        api.post(
            f"{path}/refunds",
            {"reference": "ZW/1", "amount_grosze": 100, "reason": "zwrot"},
            headers=own,
        ).status
        == 403
    )
    r = api.post(
        f"{path}/refunds",
        {"reference": "ZW/2026/0001", "amount_grosze": 5_000, "reason": "zwrot nadpłaty"},
        headers=admin,
    )
    assert r.status == 201 and r.json["balance_grosze"] == 0
    assert api.post(
        f"{path}/refunds",
        {"reference": "ZW/2026/0001", "amount_grosze": 5_000, "reason": "zwrot nadpłaty"},
        headers=admin,
    ).status in (400, 409)
    assert (
        api.post(
            "/customers/999999/ledger/refunds",
            {"reference": "ZW/9", "amount_grosze": 1, "reason": "zwrot"},
            headers=admin,
        ).status
        == 404
    )
    assert_balance_consistent(world.individual)
