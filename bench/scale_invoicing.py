"""Invoicing at scale: the real pipeline (fan-out pages → pricing workers → numbering stage,
one FIFO group per series → publishing workers) over a few hundred contracts with several
concurrent workers (threads) under in-process moto with serialised transactions; then a
projection to 1 M contracts from per-item costs and the pipeline's ordering constraints;
and the read units of a customer overview with 1 and with 10 years of history.

moto's throughput is not AWS's (its transactions copy the whole table), so the projection
uses AWS latencies stated as assumptions, and moto only for counts (calls, transactions,
skipped contracts, bytes read)."""

from __future__ import annotations

import math
import threading
import time
from typing import Any

CONTRACTS = 60  # bounded: moto's transaction cost grows with the table
WORKERS = 8
BUDGET_S = 150

# Assumptions of the projection (AWS, eu-central-1, on-demand table):
TX_MS = 25.0  # one TransactWriteItems of ~7 items, p50 plus SDK overhead
SERIES = 2  # FC (heat) and FE (electricity): one numbering consumer each
HEAT_SHARE = 0.6  # contracts in the larger series
EMAIL_SHARE = 1.0  # worst case: every customer takes e-invoices
EMAIL_RATE = 50.0  # SES messages per second for the account
PRICING_LAMBDAS = 100  # event-source maximum concurrency of the invoicing worker
PRICE_MS = 120.0  # per contract: 3 reads (~10 ms each) + pricing CPU + the draft's send
PUBLISH_CPU_MS = 60.0  # render the PDF (bench.invoicing measures it) + S3 put
WINDOW_H = 6.0


class _Serialised:
    """moto's DynamoDB requests one at a time (tests.support.serialise_moto_dynamodb)."""

    def __enter__(self) -> _Serialised:
        from moto.dynamodb.responses import DynamoHandler

        self.original = DynamoHandler.call_action
        lock = threading.RLock()
        original = self.original

        def locked(handler: Any) -> Any:
            with lock:
                return original(handler)

        DynamoHandler.call_action = locked  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        from moto.dynamodb.responses import DynamoHandler

        DynamoHandler.call_action = self.original  # type: ignore[method-assign]


def _crowd(handler: str, queue: str, deadline: float) -> None:
    from tests.integration.invoicing_helpers import drain

    def work() -> None:
        while time.monotonic() < deadline:
            if drain(queue, handler, batch=10, max_batches=50)["done"] == 0:
                return

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _pipeline() -> dict[str, float]:
    from bench.invoicing import _demo_contracts
    from chalicelib.config import settings
    from chalicelib.services import invoicing
    from devstack.metering import count_calls
    from tests.integration.invoicing_helpers import load_tariffs, run_schedule

    load_tariffs()
    contracts = _demo_contracts(CONTRACTS)
    import app  # noqa: F401

    invoicing.render_pdf = lambda inv, corrected=None: b"%PDF-1.4 bench"  # type: ignore[assignment]
    deadline = time.monotonic() + BUDGET_S
    queue = settings().invoicing_queue
    with _Serialised(), count_calls() as log:
        t0 = time.perf_counter()
        run_schedule("invoicing_run", {"period": "2026-10"})
        _crowd("invoicing_worker", queue, deadline)
        _crowd("invoice_numbering", invoicing.numbering_queue(), deadline)
        _crowd("invoicing_worker", queue, deadline)
        wall = time.perf_counter() - t0
    from tests.integration.invoicing_helpers import invoices_of

    invoiced = {i.contract_no: i for no, _ in contracts for i in invoices_of(no)}
    gapless = all(
        sorted(int(i.seq) for i in invoiced.values() if i.series == s)
        == list(range(1, 1 + sum(1 for i in invoiced.values() if i.series == s)))
        for s in ("FC", "FE")
    )
    tx = log.of("dynamodb").count("TransactWriteItems")
    # What the workers ask of AWS (the event sources' receive/delete polling aside), as in
    # tests/integration/test_invoicing_job.py.
    polling = ("sqs:ReceiveMessage", "sqs:DeleteMessageBatch", "sqs:GetQueueUrl")
    calls = [c for c in log.names if c not in polling]
    return {
        "contracts": len(contracts),
        "invoiced": len(invoiced),
        "skipped": len(contracts) - len(invoiced),
        "tx_per_invoice": tx / max(1, len(invoiced)),
        "calls_per_invoice": len(calls) / max(1, len(invoiced)),
        "gapless": 1.0 if gapless else 0.0,
        "wall": wall,
    }


def _projection() -> list[tuple[str, float, str]]:
    """Hours for 1 M contracts per stage; the stages overlap (a pipeline), so the run takes
    about its slowest stage plus the others' fill time."""
    n = 1_000_000
    stages = {
        "pricing": n * PRICE_MS / 1000 / PRICING_LAMBDAS / 3600,
        "numbering": n * HEAT_SHARE * TX_MS / 1000 / 3600,  # the larger series, serial
        "email": n * EMAIL_SHARE / EMAIL_RATE / 3600,
        "pdf": n * PUBLISH_CPU_MS / 1000 / PRICING_LAMBDAS / 3600,
    }
    critical = max(stages, key=lambda k: stages[k])
    total = stages[critical] + 0.05  # first page, first batch through each stage
    rows = [
        (f"scale_projection_{k}_hours", round(v, 2), "h for 1M contracts")
        for k, v in stages.items()
    ]
    rows.append(
        (
            "scale_projection_run_hours",
            round(total, 2),
            f"h (critical path: {critical}; fits {WINDOW_H:g} h window: "
            f"{'yes' if total <= WINDOW_H else 'no'}; assumes transaction {TX_MS:g} ms, "
            f"{SERIES} series ({HEAT_SHARE:.0%} in the larger), e-mail {EMAIL_RATE:g}/s for "
            f"{EMAIL_SHARE:.0%} of customers, {PRICING_LAMBDAS} workers at {PRICE_MS:g} ms "
            f"per contract, PDF {PUBLISH_CPU_MS:g} ms)",
        )
    )
    return rows


def _overview_read_units(years: int) -> float:
    """Read units of the overview's Query for a customer with ``years`` of monthly invoices
    (invoice, delivery and billing mark a month): items' sizes as DynamoDB counts them,
    rounded up to 4 KB, halved (eventually consistent)."""
    import boto3

    from chalicelib.config import settings
    from chalicelib.store.customers import CURRENT, customer_pk
    from tests.integration.invoicing_helpers import invoices_of

    no = "300000"
    sample = invoices_of(no)
    ddb = boto3.client("dynamodb", region_name=settings().region)
    table = settings().table_name
    if sample:
        raw = ddb.get_item(
            TableName=table, Key={"PK": {"S": sample[0].PK}, "SK": {"S": sample[0].SK}}
        )
        item = raw["Item"]
        for month in range(1, years * 12):
            copy = dict(item)
            copy["SK"] = {"S": f"INV#{2000 + month // 12:04d}-{month % 12 + 1:02d}#FC-{month:06d}"}
            ddb.put_item(TableName=table, Item=copy)
    size = 0
    # The overview's own key condition (store.customers.current_items): the current items.
    kwargs: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :cur)",
        "ExpressionAttributeValues": {":pk": {"S": customer_pk(no)}, ":cur": {"S": CURRENT}},
    }
    while True:
        page = ddb.query(**kwargs)
        for it in page["Items"]:
            size += sum(len(k) + len(str(v)) for k, v in it.items())
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return math.ceil(size / 4096) * 0.5


def run() -> list[tuple[str, float, str]]:
    from bench.invoicing import _env

    _env()
    from tests.support import aws_env

    gen = aws_env()
    next(gen)
    try:
        p = _pipeline()
        one = _overview_read_units(1)
        ten = _overview_read_units(10)
    finally:
        gen.close()
    return [
        ("scale_contracts", p["contracts"], f"contracts ({WORKERS} workers per stage, moto)"),
        ("scale_transactions_per_invoice", round(p["tx_per_invoice"], 3), "tx (target <= 1.2)"),
        ("scale_contracts_skipped", p["skipped"], "contracts (must be 0)"),
        (
            "scale_aws_calls_per_invoice",
            round(p["calls_per_invoice"], 2),
            "calls (price + number + publish, PDF rendering stubbed; SQS polling aside)",
        ),
        ("scale_numbers_gapless", p["gapless"], "bool"),
        ("scale_pipeline_wall", round(p["wall"], 1), "s under in-process moto"),
        *_projection(),
        ("scale_overview_read_units_1y", one, "RCU"),
        ("scale_overview_read_units_10y", ten, "RCU"),
        ("scale_overview_growth_10y_vs_1y", round(ten / max(one, 0.5), 2), "x (target <= 1.2)"),
    ]
