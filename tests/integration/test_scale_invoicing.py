"""Invoicing at scale under moto: the fan-out reads one page per invocation and continues
from a cursor; 16 concurrent pricing workers on one series leave no contract un-invoiced
and no gap in the numbers; a draft that cannot be committed stays on the queue; the
reconciliation reports contracts due without an invoice."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest

from tests.integration.invoicing_helpers import (
    all_invoices,
    drain,
    load_tariffs,
    queue_depth,
    readings_for_world,
    run_schedule,
)
from tests.support import serialise_moto

PERIOD = "2026-10"


@pytest.fixture
def many(world, monkeypatch):  # type: ignore[no-untyped-def]
    """The demo world plus 20 heat contracts of the institution (series FC), PDFs stubbed
    (this is about numbers and counts, the PDF is tested elsewhere)."""
    from chalicelib.services import customers as svc
    from chalicelib.services import invoicing

    monkeypatch.setattr(invoicing, "render_pdf", lambda inv, corrected=None: b"%PDF-1.4 stub")
    load_tariffs()
    readings_for_world(world)
    for n in range(20):
        svc.add_contract(
            world.institution,
            f"C-200001-X{n:02d}",
            "P-200001-1",
            "heat",
            "W-2",
            "2026-01-01",
            None,
            Decimal("0.1"),
        )
    return world


def _queues() -> tuple[str, str]:
    from chalicelib.config import settings
    from chalicelib.services import invoicing

    return settings().invoicing_queue, invoicing.numbering_queue()


def _contract_numbers(w: Any) -> set[str]:
    from chalicelib.store.customers import all_contracts

    return {c.contract_no for c in all_contracts()}


def _check_gapless(w: Any) -> None:
    invoices = all_invoices(w)
    for series in ("FC", "FE"):
        seqs = sorted(int(i.seq) for i in invoices if i.series == series)
        assert seqs == list(range(1, len(seqs) + 1)), (series, seqs)
    contracts = [i.contract_no for i in invoices]
    assert len(contracts) == len(set(contracts))  # one invoice per contract
    assert set(contracts) == _contract_numbers(w)  # none skipped


def test_fan_out_reads_one_page_per_invocation_and_continues(many, monkeypatch) -> None:
    from chalicelib.adapters import sqs
    from chalicelib.services import invoicing
    from chalicelib.store import invoicing_runs

    monkeypatch.setattr(invoicing, "PAGE_SIZE", 7)
    reads: list[int] = []
    real_page = invoicing.contracts_page

    def page(limit: int, cursor: Any = None) -> Any:
        found, nxt = real_page(limit, cursor)
        reads.append(len(found))
        return found, nxt

    monkeypatch.setattr(invoicing, "contracts_page", page)
    queued: list[str] = []
    real_send = sqs.send_batch

    def send(queue: str, bodies: Any, delay_s: int = 0) -> int:
        bodies = list(bodies)
        queued.extend(b["contract_no"] for b in bodies if "contract_no" in b and "kind" not in b)
        return real_send(queue, bodies, delay_s)

    monkeypatch.setattr(sqs, "send_batch", send)
    total = len(_contract_numbers(many))
    assert total == 25

    first = run_schedule("invoicing_run", {"period": PERIOD})
    assert first["contracts"] == first["queued"] == 7 and first["more_pages"] is True
    queue, _ = _queues()
    from tests.integration.invoicing_helpers import drain_pipeline

    assert drain_pipeline(queue)["failed"] == 0
    # Every invocation read at most one page; together they read each contract once.
    assert max(reads) <= 7 and sum(reads) == total and len(reads) == 4
    assert sorted(queued) == sorted(_contract_numbers(many))  # queued once each
    _check_gapless(many)
    run = invoicing_runs.run_record(PERIOD)
    assert run is not None and (run.pages, run.contracts, run.due) == (4, total, total)
    # A redelivered page message queues nothing again.
    before = len(queued)
    page_msg = {"kind": "page", "period": PERIOD, "run_id": run.run_id, "page": 2, "cursor": None}
    assert invoicing.process([page_msg])[0].status == "exists"
    assert len(queued) == before


def test_sixteen_workers_on_one_series_skip_nothing_and_stay_gapless(many, monkeypatch) -> None:
    from devstack.metering import count_calls

    serialise_moto(monkeypatch)  # each moto request atomic, as on AWS
    queue, numbering = _queues()
    with count_calls() as calls:
        run_schedule("invoicing_run", {"period": PERIOD})
        errors: list[BaseException] = []
        barrier = threading.Barrier(16)

        def worker(handler: str, q: str) -> None:
            try:
                barrier.wait()
                for _ in range(3):  # the event source polls again after an empty receive
                    drain(q, handler, batch=1, max_batches=500)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        def crowd(handler: str, q: str) -> None:
            threads = [threading.Thread(target=worker, args=(handler, q)) for _ in range(16)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(300)

        crowd("invoicing_worker", queue)  # 16 pricing workers
        crowd("invoice_numbering", numbering)  # 16 numbering consumers: FIFO lets one per series
        crowd("invoicing_worker", queue)  # 16 publishing workers
        assert not errors, errors
    _check_gapless(many)
    assert queue_depth(queue) == queue_depth(numbering) == 0
    assert queue_depth(queue + "-dlq") == 0
    transactions = calls.of("dynamodb").count("TransactWriteItems")
    assert transactions / len(all_invoices(many)) <= 1.2


def test_a_commit_that_cannot_succeed_now_is_retried_not_acknowledged(many, monkeypatch) -> None:
    from chalicelib.services import invoicing
    from chalicelib.services.billing import InvoicingError

    queue, numbering = _queues()
    real_commit = invoicing.commit
    refused: list[str] = []

    def busy_once(make: Any, series: str, month: str) -> Any:
        probe = make(0)
        if probe.invoice.contract_no == "C-200001-X05" and not refused:
            refused.append(probe.invoice.contract_no)
            raise InvoicingError("invoice counter busy")
        return real_commit(make, series, month)

    monkeypatch.setattr(invoicing, "commit", busy_once)
    run_schedule("invoicing_run", {"period": PERIOD})
    assert drain(queue, "invoicing_worker", max_batches=100)["failed"] == 0
    first = drain(numbering, "invoice_numbering", max_batches=100)
    assert refused == ["C-200001-X05"] and first["failed"] > 0
    assert queue_depth(numbering) > 0  # the draft (and its series' followers) wait
    second = drain(numbering, "invoice_numbering", max_batches=100)
    assert second["failed"] == 0
    assert drain(queue, "invoicing_worker", max_batches=100)["failed"] == 0
    _check_gapless(many)


def test_reconciliation_reports_contracts_due_without_an_invoice(many, monkeypatch) -> None:
    from chalicelib.services import invoicing
    from chalicelib.services.billing import InvoicingError
    from chalicelib.store import invoicing_runs

    queue, _ = _queues()
    real_price = invoicing.price

    def no_tariff(customer_no: str, contract_no: str, period: str) -> Any:
        if contract_no == "C-200001-X07":
            raise InvoicingError("no tariff for group W-2")
        return real_price(customer_no, contract_no, period)

    monkeypatch.setattr(invoicing, "price", no_tariff)
    monkeypatch.setattr(invoicing, "PAGE_SIZE", 10)
    run_schedule("invoicing_run", {"period": PERIOD})
    from tests.integration.invoicing_helpers import drain_pipeline

    drain_pipeline(queue)
    result = run_schedule("invoicing_reconcile", {"period": PERIOD})
    assert result["page"] == 0 and result["last"] is False
    assert drain(queue, "invoicing_worker", max_batches=100)["failed"] == 0
    run = invoicing_runs.run_record(PERIOD)
    assert run is not None and run.reconciled_at
    assert (run.checked, run.missing) == (25, 1)
    assert run.missing_sample == [f"{many.institution}/C-200001-X07"]
    # Replayed reconciliation pages count nothing twice; a new check starts from zero.
    monkeypatch.setattr(invoicing, "price", real_price)
    run_schedule("invoicing_run", {"period": PERIOD})  # the month rerun: only the missing one
    drain_pipeline(queue)
    run_schedule("invoicing_reconcile", {"period": PERIOD})
    drain(queue, "invoicing_worker", max_batches=100)
    run = invoicing_runs.run_record(PERIOD)
    assert run is not None and (run.checked, run.missing) == (25, 0)
