"""Invoicing at scale: the real pipeline (fan-out pages → pricing workers → numbering stage,
one FIFO group per series → publishing workers) over thousands of contracts with several
concurrent workers (threads) under in-process moto with serialised requests; then a
projection to 1 M contracts recomputed from the per-invoice AWS calls measured here and the
pipeline's ordering constraints; and the read units of a customer overview with 1 and with
10 years of history.

Bounded: building the contracts stops at ``SETUP_BUDGET_S`` and the pipeline at
``PIPELINE_BUDGET_S`` (``scale_pipeline_complete`` 0 then says the budget ended it); the
whole bench ends within about six minutes.

moto is not AWS: its ``TransactWriteItems`` deep-copies the whole table for every item of a
transaction (to roll back), every Query sorts the whole table, and every SQS receive asks
the time per message, which makes thousands of contracts quadratic. The bench swaps in a
check-everything-then-write transaction (what DynamoDB does for items that are all
distinct: it refuses two operations on one item, and so does this), partition-only
Queries and a cheap clock (``_check_then_write``, ``_partition_queries``,
``_cheap_sqs_clock``). moto's
latency is not AWS's either, so the projection takes AWS latencies as stated assumptions
and uses moto only for counts (calls, transactions, skipped contracts, bytes read).

``EBOK_BENCH_SCALE_CONTRACTS`` (default 2000) sets the size."""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CONTRACTS = int(os.environ.get("EBOK_BENCH_SCALE_CONTRACTS", "2000"))
WORKERS = 8
SETUP_BUDGET_S = 60.0
PIPELINE_BUDGET_S = 300.0

# Assumptions of the projection (AWS, eu-central-1, on-demand table, Lambda in the region):
CALL_MS = 8.0  # one DynamoDB read or SQS send/receive/delete, p50 plus SDK overhead
TX_MS = 25.0  # one TransactWriteItems of ~8 items, p50 plus SDK overhead
HEAT_SHARE = 0.6  # contracts in the larger series (FC heat; FE electricity the rest)
EMAIL_SHARE = 1.0  # worst case: every customer takes e-invoices
EMAIL_RATE = 50.0  # SES messages per second for the account
PRICING_LAMBDAS = 100  # event-source maximum concurrency of the invoicing worker
PRICE_CPU_MS = 40.0  # pricing and the draft's JSON per contract (CPU)
PUBLISH_CPU_MS = 60.0  # render the PDF (bench.invoicing measures it) + S3 put
WINDOW_H = 6.0
MILLION = 1_000_000


def _note(text: str) -> None:
    print(f"scale_invoicing: {text}", file=sys.stderr, flush=True)


@contextmanager
def _check_then_write() -> Iterator[None]:
    """moto's transaction without its per-item deep copy of the table: every condition is
    checked first, then every write is made (each op on its own item, as DynamoDB
    requires); any failed condition cancels the whole transaction with its reasons."""
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
    )
    from moto.dynamodb.models import DynamoDBBackend

    def transact(self: Any, transact_items: list[dict[str, Any]]) -> None:
        if len(transact_items) > 100:
            raise TooManyTransactionsException()
        targets: set[str] = set()
        errors: list[Any] = []
        plan: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        for entry in transact_items:
            op_type, op = next(iter(entry.items()))
            table = self.get_table(op["TableName"])
            if op_type == "Put":
                attrs = op["Item"]
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]
            marker = f"{op['TableName']}|{sorted(key.items())}"
            if marker in targets:
                raise MultipleTransactionsException()
            targets.add(marker)
            current = self.get_item(op["TableName"], key)
            expr = op.get("ConditionExpression")
            if expr is not None and not get_filter_expression(
                expr, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            ).expr(current):
                old = None
                if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                    old = current.to_json()["Attributes"]
                errors.append(("ConditionalCheckFailed", "The conditional request failed", old))
                continue
            errors.append((None, None, None))
            plan.append((op_type, op, key))
        if any(code is not None for code, _, _ in errors):
            raise TransactionCanceledException(errors)
        for op_type, op, key in plan:
            names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            if op_type == "Put":
                self.put_item(op["TableName"], op["Item"])
            elif op_type == "Delete":
                self.delete_item(op["TableName"], key)
            elif op_type == "Update":
                self.update_item(
                    op["TableName"],
                    key,
                    update_expression=op["UpdateExpression"],
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )

    original = DynamoDBBackend.transact_write_items
    DynamoDBBackend.transact_write_items = transact  # type: ignore[method-assign]
    try:
        yield
    finally:
        DynamoDBBackend.transact_write_items = original  # type: ignore[method-assign]


def _has(item: Any, name: str, value: Any) -> bool:
    got = item.attrs.get(name)
    return got is not None and bool(got == value)


@contextmanager
def _partition_queries() -> Iterator[None]:
    """moto answers every Query by sorting the whole table first; here a Query reads only
    its partition, and a GSI Query the items carrying its key (from a map of the index's
    partitions, rebuilt after any write), as DynamoDB does. Requests are serialised
    (``moto_patches.serialise_dynamodb``), so the swap is not seen by others."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    index: dict[tuple[int, str], dict[Any, list[Any]]] = {}

    def partition(table: Any, name: str, value: Any) -> list[Any]:
        found = index.get((id(table), name))
        if found is None:
            found = {}
            for part in table.items.values():
                for item in part.values():
                    key = item.attrs.get(name)
                    if key is not None:
                        found.setdefault(key, []).append(item)
            index[(id(table), name)] = found
        return found.get(value, [])

    original = Table.query

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        # moto's backend passes the index name as the eighth positional argument.
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        if index_name is None:
            bucket = self.items.get(hash_key) if hash_key is not None else None
            candidates = list(bucket.values()) if isinstance(bucket, dict) else []
        else:
            wanted = kwargs.get("hash_key_conditions") or []
            name, value = wanted[0]
            candidates = [
                item
                for item in partition(self, name, value)
                if all(_has(item, n, v) for n, v in wanted[1:])
            ]
        self.all_items = lambda: candidates
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    writes = ("put_item", "update_item", "delete_item", "batch_write_item")
    saved = {name: getattr(DynamoDBBackend, name) for name in writes}

    def forgetting(method: Any) -> Any:
        def write(self: Any, *args: Any, **kwargs: Any) -> Any:
            index.clear()  # the index's partitions may have changed
            return method(self, *args, **kwargs)

        return write

    Table.query = query  # type: ignore[method-assign]
    for name, method in saved.items():
        setattr(DynamoDBBackend, name, forgetting(method))
    try:
        yield
    finally:
        Table.query = original  # type: ignore[method-assign]
        for name, method in saved.items():
            setattr(DynamoDBBackend, name, method)


@contextmanager
def _cheap_sqs_clock() -> Iterator[None]:
    """moto's SQS asks for the time (a datetime round trip) for every message it looks at
    on every receive; ``time.time()`` is the same instant at a fraction of the cost."""
    import moto.sqs.models as sqs_models

    saved = sqs_models.unix_time, sqs_models.unix_time_millis
    sqs_models.unix_time = lambda dt=None: time.time() if dt is None else saved[0](dt)
    sqs_models.unix_time_millis = lambda dt=None: time.time() * 1000 if dt is None else saved[1](dt)
    try:
        yield
    finally:
        sqs_models.unix_time, sqs_models.unix_time_millis = saved


def _crowd(handler: str, queue: str, deadline: float) -> None:
    """``WORKERS`` threads each draining the queue like an event source until it is empty
    (or the deadline passes)."""
    from tests.integration.invoicing_helpers import drain

    def work() -> None:
        idle = 0
        while time.monotonic() < deadline and idle < 3:
            if drain(queue, handler, batch=10, max_batches=20)["done"] == 0:
                idle += 1  # a FIFO group held by another worker, or the queue is empty
                time.sleep(0.05)
            else:
                idle = 0

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


TEMPLATES = 100  # contracts built through the services; the rest are copies of them


def _build(n: int, deadline: float) -> list[tuple[str, str]]:
    """``n`` demo contracts (bench.invoicing's shape): ``TEMPLATES`` built through the
    services, the rest copied from them item by item with the customer number replaced
    (straight into moto's table: the same items, without the services' request cost).
    Stops early, with fewer contracts, when the budget runs out."""
    import json
    import re

    from moto.dynamodb.models import dynamodb_backends

    from bench import invoicing as demo
    from chalicelib.config import settings

    built = demo._demo_contracts(min(n, TEMPLATES))
    backend = dynamodb_backends["123456789012"][settings().region]
    table = settings().table_name
    items = [i for part in backend.tables[table].items.values() for i in part.values()]
    docs = [json.dumps(i.to_json()["Attributes"]) for i in items]
    owned: dict[str, list[str]] = {}
    for no, _ in built:
        mark = re.compile(rf"(?<!\d){no}(?!\d)")
        owned[no] = [d for d in docs if mark.search(d)]
    for i in range(len(built), n):
        if time.monotonic() > deadline:
            _note(f"setup budget spent after {len(built)} contracts")
            break
        template = f"{300000 + i % TEMPLATES}"
        no = f"{300000 + i}"
        mark = re.compile(rf"(?<!\d){template}(?!\d)")
        for doc in owned[template]:
            backend.put_item(table, json.loads(mark.sub(no, doc)))
        built.append((no, f"C-{no}"))
    return built


def _series_gapless(invoiced: dict[str, Any]) -> bool:
    for series in {str(i.series) for i in invoiced.values()}:
        seqs = sorted(int(i.seq) for i in invoiced.values() if i.series == series)
        if seqs != list(range(1, len(seqs) + 1)):
            return False
    return True


def _invoiced(contracts: list[tuple[str, str]]) -> dict[str, Any]:
    from tests.integration.invoicing_helpers import invoices_of

    return {str(i.contract_no): i for no, _ in contracts for i in invoices_of(no)}


def _pipeline() -> dict[str, float]:
    from chalicelib.config import settings
    from chalicelib.services import invoicing
    from devstack.metering import count_calls
    from tests.integration.invoicing_helpers import load_tariffs, run_schedule

    load_tariffs()
    started = time.monotonic()
    contracts = _build(CONTRACTS, started + SETUP_BUDGET_S)
    setup = time.monotonic() - started
    _note(f"{len(contracts)} contracts built in {setup:.0f} s")
    import app  # noqa: F401

    invoicing.render_pdf = lambda inv, corrected=None: b"%PDF-1.4 bench"  # type: ignore[assignment]
    deadline = time.monotonic() + PIPELINE_BUDGET_S
    queue = settings().invoicing_queue
    stages: dict[str, Any] = {}
    t0 = time.perf_counter()
    with count_calls() as log:
        run_schedule("invoicing_run", {"period": "2026-10"})
        _crowd("invoicing_worker", queue, deadline)
    stages["pricing"] = log
    _note(f"pricing done at {time.perf_counter() - t0:.0f} s")
    with count_calls() as log:
        _crowd("invoice_numbering", invoicing.numbering_queue(), deadline)
    stages["numbering"] = log
    _note(f"numbering done at {time.perf_counter() - t0:.0f} s")
    with count_calls() as log:
        _crowd("invoicing_worker", queue, deadline)
    stages["publishing"] = log
    wall = time.perf_counter() - t0
    complete = time.monotonic() <= deadline
    _note(f"pipeline {wall:.0f} s{'' if complete else ' (deadline reached: not all run)'}")
    invoiced = _invoiced(contracts)
    n = max(1, len(invoiced))
    # What the workers ask of AWS (the event sources' receive/delete polling aside), as in
    # tests/integration/test_invoicing_job.py.
    polling = ("sqs:ReceiveMessage", "sqs:DeleteMessageBatch", "sqs:GetQueueUrl")
    out: dict[str, float] = {
        "contracts": len(contracts),
        "invoiced": len(invoiced),
        "skipped": len(contracts) - len(invoiced),
        "gapless": 1.0 if _series_gapless(invoiced) else 0.0,
        "complete": 1.0 if complete else 0.0,
        "wall": wall,
        "setup": setup,
    }
    total = 0
    for name, calls in stages.items():
        tx = calls.of("dynamodb").count("TransactWriteItems")
        other = len([c for c in calls.names if c not in polling]) - tx
        # Pricing handles every contract; the later stages only the invoices issued.
        per = max(1, len(contracts)) if name == "pricing" else n
        out[f"{name}_tx"] = tx / per
        out[f"{name}_calls"] = other / per
        total += tx + other
    out["tx_per_invoice"] = sum(out[f"{s}_tx"] for s in stages)
    out["calls_per_invoice"] = sum(out[f"{s}_tx"] + out[f"{s}_calls"] for s in stages)
    return out


def _projection(p: dict[str, float]) -> list[tuple[str, float, str]]:
    """Hours for 1 M contracts per stage from the measured calls per invoice; the stages
    overlap (a pipeline), so the run takes about its slowest stage plus the others' fill."""

    def stage_s(name: str, cpu_ms: float = 0.0) -> float:
        return p[f"{name}_calls"] * CALL_MS + p[f"{name}_tx"] * TX_MS + cpu_ms

    stages = {
        "pricing": MILLION * stage_s("pricing", PRICE_CPU_MS) / 1000 / PRICING_LAMBDAS / 3600,
        # One consumer per series at a time, in order: the larger series is serial.
        "numbering": MILLION * HEAT_SHARE * stage_s("numbering") / 1000 / 3600,
        "email": MILLION * EMAIL_SHARE / EMAIL_RATE / 3600,
        "publishing": MILLION
        * stage_s("publishing", PUBLISH_CPU_MS)
        / 1000
        / PRICING_LAMBDAS
        / 3600,
    }
    critical = max(stages, key=lambda k: stages[k])
    total = stages[critical] + 0.05  # the first page and first batch through each stage
    rows = [
        (f"scale_projection_{k}_hours", round(v, 2), "h for 1M contracts")
        for k, v in stages.items()
    ]
    rows.append(
        (
            "scale_projection_run_hours",
            round(total, 2),
            f"h (critical path: {critical}; fits the {WINDOW_H:g} h window: "
            f"{'yes' if total <= WINDOW_H else 'no'}; measured per invoice: pricing "
            f"{p['pricing_calls']:.2f} calls, numbering {p['numbering_tx']:.2f} tx + "
            f"{p['numbering_calls']:.2f} calls, publishing {p['publishing_calls']:.2f} calls; "
            f"assumes call {CALL_MS:g} ms, transaction {TX_MS:g} ms, {HEAT_SHARE:.0%} in the "
            f"larger series, e-mail {EMAIL_RATE:g}/s for {EMAIL_SHARE:.0%} of customers, "
            f"{PRICING_LAMBDAS} workers, pricing CPU {PRICE_CPU_MS:g} ms, PDF "
            f"{PUBLISH_CPU_MS:g} ms)",
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


def _figures(p: dict[str, float], one: float, ten: float) -> list[tuple[str, float, str]]:
    return [
        ("scale_contracts", p["contracts"], f"contracts ({WORKERS} workers per stage, moto)"),
        ("scale_setup_wall", round(p["setup"], 1), "s to build them under in-process moto"),
        ("scale_transactions_per_invoice", round(p["tx_per_invoice"], 3), "tx (target <= 1.2)"),
        (
            "scale_pipeline_complete",
            p["complete"],
            "bool (0: the budget ended the run; contracts not invoiced were not reached)",
        ),
        ("scale_contracts_skipped", p["skipped"] if p["complete"] else -1, "contracts (must be 0)"),
        ("scale_contracts_invoiced", p["invoiced"], "invoices issued"),
        (
            "scale_aws_calls_per_invoice",
            round(p["calls_per_invoice"], 2),
            "calls (price + number + publish, PDF rendering stubbed; SQS polling aside)",
        ),
        ("scale_numbers_gapless", p["gapless"], "bool"),
        ("scale_pipeline_wall", round(p["wall"], 1), "s under in-process moto"),
        *_projection(p),
        ("scale_overview_read_units_1y", one, "RCU"),
        ("scale_overview_read_units_10y", ten, "RCU"),
        ("scale_overview_growth_10y_vs_1y", round(ten / max(one, 0.5), 2), "x (target <= 1.2)"),
    ]


def run() -> list[tuple[str, float, str]]:
    import contextlib
    import logging

    from bench.invoicing import _env

    _env()
    # The pipeline's own cost, not the SES pacing (moto's quota is 1 e-mail per second;
    # the projection puts e-mail at the account's rate instead).
    os.environ["SES_SEND_RATE"] = "off"
    from chalicelib.observability import logger
    from devstack import moto_patches
    from tests.support import aws_env

    logger.setLevel("WARNING")
    logging.getLogger("moto").setLevel(logging.ERROR)
    moto_patches.serialise_dynamodb()  # one moto DynamoDB request at a time, as AWS applies them
    gen = aws_env()
    next(gen)
    try:
        # Powertools prints its metrics (EMF) to stdout: only figures belong there.
        with (
            _check_then_write(),
            _partition_queries(),
            _cheap_sqs_clock(),
            contextlib.redirect_stdout(sys.stderr),
        ):
            p = _pipeline()
            one = _overview_read_units(1)
            ten = _overview_read_units(10)
    finally:
        gen.close()
    return _figures(p, one, ten)


if __name__ == "__main__":
    for metric, value, unit in run():
        print(f"{metric}: {value:g} {unit}")
