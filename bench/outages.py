"""Outage alerts at scale: SMS sent per second from the sms queue and SNS calls per SMS,
for 10 000 active SMS Alert subscribers on one street, under in-process moto.

A failure outage is announced through the real service; the notifier queue's message is
fanned out by the real handler; the sms queue is drained in batches of ten into the real
handler (as the Lambda event source would). The drain stops at a time budget so the bench
stays bounded; the figures then cover the SMS actually sent (printed as the number used).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from typing import Any

SUBSCRIBERS = int(os.environ.get("EBOK_BENCH_SUBSCRIBERS", "10000"))
# Recipients per fan-out page. moto's SQS scans every held message on each call (AWS does
# not), so smaller pages keep the embedded queue short; in AWS the page is 500.
PAGE_SIZE = int(os.environ.get("EBOK_BENCH_PAGE", "100"))
BUDGET_S = float(os.environ.get("EBOK_BENCH_BUDGET_S", "90"))
REGION = "eu-central-1"


class _Context:
    function_name = "bench"
    aws_request_id = "bench"
    memory_limit_in_mb = 512

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


def _subscribers(n: int) -> None:
    from chalicelib.domain import clock
    from chalicelib.store import alerts as store
    from chalicelib.store.alerts import AlertSubscription
    from chalicelib.store.customers import customer_pk

    now = clock.now_iso()
    with AlertSubscription.batch_write() as batch:
        for i in range(n):
            customer_no = f"9{i:06d}"
            building = str(1 + i % 120)
            alert_id = f"P-{customer_no}-1.sms.{i:012d}"
            gsi = store.active_gsi("WROCŁAW", "LEGNICKA", building, customer_no, alert_id)
            batch.save(
                AlertSubscription(
                    customer_pk(customer_no),
                    store.alert_sk(alert_id),
                    GSI1PK=gsi[0],
                    GSI1SK=gsi[1],
                    alert_id=alert_id,
                    customer_no=customer_no,
                    premises_id=f"P-{customer_no}-1",
                    channel="sms",
                    phone=f"+4850{i:07d}",
                    lang="pl" if i % 5 else "en",
                    products=["heat"],
                    city="Wrocław",
                    city_key="WROCŁAW",
                    street="ul. Legnicka",
                    street_key="LEGNICKA",
                    building=building,
                    building_key=building,
                    address=f"ul. Legnicka {building}, 53-674 Wrocław",
                    manager_id="M1",
                    status="active",
                    requested_at=now,
                    requested_by="bench",
                )
            )


def _records(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": {},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


def _measure() -> list[tuple[str, float, str]]:
    import boto3
    from moto.sns.models import sns_backends

    import app
    from chalicelib.adapters import sns, sqs
    from chalicelib.config import settings
    from chalicelib.domain.principal import Principal
    from chalicelib.observability import logger
    from chalicelib.services import notifier, outages
    from devstack.metering import count_calls

    logger.setLevel("WARNING")
    notifier.PAGE_SIZE = PAGE_SIZE
    sqs.reset()
    sns.reset()
    client = boto3.client("sqs", region_name=REGION)
    notifier_url = client.get_queue_url(QueueName=settings().notifier_queue)["QueueUrl"]
    sms_url = client.get_queue_url(QueueName=settings().sms_queue)["QueueUrl"]
    handlers = app.app.handler_map

    t0 = time.perf_counter()
    _subscribers(SUBSCRIBERS)
    setup_s = time.perf_counter() - t0
    outages.create_outage(
        Principal("bench", "operator"),
        {
            "kind": "failure",
            "product": "heat",
            "city": "Wrocław",
            "streets": [{"name": "ul. Legnicka"}],
            "starts_at": "2026-01-15T10:00",
            "expected_end_at": "2026-01-15T18:00",
        },
    )

    fanout_s = drain_s = 0.0
    pages = sns_calls = ddb_calls = 0
    started = time.perf_counter()
    # Each notifier message is one page of recipients (and queues the next page); the sms
    # queue is drained after each page, as concurrent Lambdas would keep it short (moto's
    # SQS slows down with the number of messages held, which AWS does not).
    while time.perf_counter() - started < BUDGET_S:
        t1 = time.perf_counter()
        page = client.receive_message(QueueUrl=notifier_url, MaxNumberOfMessages=1)
        if not page.get("Messages"):
            break
        message = page["Messages"][0]
        handlers["outages_notify"](_records([message]), _Context())
        client.delete_message(QueueUrl=notifier_url, ReceiptHandle=message["ReceiptHandle"])
        fanout_s += time.perf_counter() - t1
        pages += 1
        t2 = time.perf_counter()
        with count_calls() as calls:
            while True:
                got = client.receive_message(
                    QueueUrl=sms_url, MaxNumberOfMessages=10, VisibilityTimeout=600
                ).get("Messages", [])
                if not got:
                    break
                handlers["outages_send_sms"](_records(got), _Context())
                client.delete_message_batch(
                    QueueUrl=sms_url,
                    Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                        for i, m in enumerate(got)
                    ],
                )
        drain_s += time.perf_counter() - t2
        sns_calls += len(calls.of("sns"))
        ddb_calls += len(calls.of("dynamodb"))
    sent = len(sns_backends["123456789012"][REGION].sms_messages)
    print(
        f"outages bench: {SUBSCRIBERS} subscribers, {pages} fan-out pages of {PAGE_SIZE}, "
        f"{sent} SMS sent in {drain_s:.0f} s",
        file=sys.stderr,
        flush=True,
    )
    return [
        ("outage_alert_subscribers", SUBSCRIBERS, "active SMS Alert subscribers on the street"),
        ("outage_alert_sms_measured", sent, "SMS sent within the time budget"),
        ("outage_alert_setup_s", round(setup_s, 1), "s to write the subscriptions"),
        (
            "outage_alert_fanout_ms_per_recipient",
            round(fanout_s * 1000 / max(sent, 1), 2),
            f"ms of fan-out per recipient ({pages} pages of {PAGE_SIZE})",
        ),
        (
            "outage_alert_sms_per_second",
            round(sent / drain_s, 1) if drain_s else 0,
            "SMS/s from the queue (in-process moto)",
        ),
        (
            "outage_alert_sns_calls_per_sms",
            round(sns_calls / sent, 3) if sent else 0,
            "SNS calls/SMS (floor: 1; opt-out check + publish)",
        ),
        (
            "outage_alert_dynamodb_calls_per_sms",
            round(ddb_calls / sent, 3) if sent else 0,
            "DynamoDB calls/SMS (delivery marker)",
        ),
    ]


def run() -> list[tuple[str, float, str]]:
    os.environ.setdefault("TABLE_NAME", "ebok-local")
    for name in list(os.environ):
        if name.startswith("AWS_ENDPOINT_URL"):
            del os.environ[name]
    os.environ.update(
        {
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "POWERTOOLS_TRACE_DISABLED": "1",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
            "STAGE": "local",
        }
    )
    from tests.support import aws_env

    gen = aws_env()
    next(gen)
    try:
        # The handlers' EMF metric lines would drown the figures.
        with contextlib.redirect_stdout(io.StringIO()):
            figures = _measure()
        return figures
    finally:
        gen.close()


if __name__ == "__main__":
    for metric, value, unit in run():
        print(f"{metric}: {value:g} {unit}", flush=True)
