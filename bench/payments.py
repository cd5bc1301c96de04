"""Payments figures: camt.053 parsing speed; DynamoDB requests per booking; 20 concurrent
payment notifications on one account (wall time, transaction attempts, exact balance)."""

from __future__ import annotations

import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

ENTRIES = 2_000


def camt_parse() -> list[tuple[str, float, str]]:
    from chalicelib.domain import bank, camt053
    from devstack.camt_sample import SampleCredit
    from devstack.camt_sample import camt053 as build

    credits = [
        SampleCredit(
            f"R{n:06d}",
            1_000 + n,
            "PL" + bank.virtual_nrb("10901014", "9876", str(100000 + n)),
            f"FV/2026/11/{n:06d}",
        )
        for n in range(ENTRIES)
    ]
    data = build("BENCH", "PL61109010140000071219812874", credits)
    started = time.perf_counter()
    parsed = camt053.parse(data)
    elapsed = time.perf_counter() - started
    assert len(parsed.credits) == ENTRIES
    return [
        (
            "camt053_parse_entries_per_s",
            round(ENTRIES / elapsed),
            f"entries/s ({len(data) // 1024} KiB file)",
        ),
    ]


def _env() -> None:
    for name in list(os.environ):
        if name.startswith("AWS_ENDPOINT_URL"):
            del os.environ[name]
    os.environ.update(
        {
            "AWS_DEFAULT_REGION": "eu-central-1",
            "AWS_REGION": "eu-central-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "POWERTOOLS_TRACE_DISABLED": "1",
            "STAGE": "local",
            "TABLE_NAME": "ebok-local",
        }
    )


def bookings() -> list[tuple[str, float, str]]:
    from moto.dynamodb.responses import DynamoHandler

    from chalicelib.adapters import payment_operator as gateway
    from chalicelib.domain.principal import Principal
    from chalicelib.services import ledger, payments
    from devstack.metering import count_calls
    from tests.support import aws_env, world_factory

    gen = aws_env()
    next(gen)
    lock = threading.RLock()
    original = DynamoHandler.call_action

    def locked(self: Any) -> Any:  # DynamoDB applies a request atomically; moto needs help
        with lock:
            return original(self)

    DynamoHandler.call_action = locked  # type: ignore[method-assign]
    try:
        world = world_factory()
        customer = world.institution
        for m in range(1, 7):
            ledger.record_invoice(
                customer_no=customer,
                invoice_no=f"FV/B/{m}",
                gross_grosze=100_000,
                issue_date=f"2026-{m:02d}-06",
                due_date=f"2026-{m:02d}-20",
            )
        principal = Principal("bench", "building_manager", (customer,))

        def notification(amount: int) -> tuple[bytes, str]:
            p = payments.start(principal, customer, {"amount_grosze": amount})
            body = json.dumps(
                {
                    "merchant_id": "ebok-local",
                    "payment_id": p["payment_id"],
                    "operator_ref": f"SBX-{p['payment_id']}",
                    "amount": amount,
                    "currency": "PLN",
                    "status": "completed",
                }
            ).encode()
            return body, gateway.sign(body)

        body, sig = notification(1_000)
        with count_calls() as one:
            payments.handle_notification(body, sig)
        per_booking = one.of("dynamodb")

        work = [notification(1_000 + n) for n in range(20)]
        barrier = threading.Barrier(20)

        def pay(item: tuple[bytes, str]) -> None:
            barrier.wait()
            payments.handle_notification(*item)

        with count_calls() as log, ThreadPoolExecutor(20) as pool:
            started = time.perf_counter()
            list(pool.map(pay, work))
            elapsed = time.perf_counter() - started
        attempts = log.of("dynamodb").count("TransactWriteItems")
        balance = ledger.store.get_balance(customer)
        expected = 600_000 - 1_000 - sum(1_000 + n for n in range(20))
        exact = balance is not None and int(balance.balance_grosze) == expected
        return [
            (
                "payment_booking_dynamodb_requests",
                len(per_booking),
                f"requests ({', '.join(per_booking)})",
            ),
            ("concurrent_20_payments_wall", round(elapsed, 2), "s (in-process moto, one account)"),
            (
                "concurrent_20_payments_transactions",
                attempts,
                "TransactWriteItems (20 = no conflicts)",
            ),
            ("concurrent_20_payments_balance_exact", 1 if exact else 0, "1 = exact"),
        ]
    finally:
        DynamoHandler.call_action = original  # type: ignore[method-assign]
        gen.close()


def run() -> list[tuple[str, float, str]]:
    _env()
    return camt_parse() + bookings()
