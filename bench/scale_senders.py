"""Paced senders and the notices fan-out, under in-process moto (bounded: about a minute).

- SNS calls per SMS: outage alerts through the real notifier and sms handlers, the opt-out
  list read once (target <= 1.05).
- Throughput of the paced senders against their configured rates: the SMS sender at
  ``SMS_SEND_RATE`` and the SES adapter at ``SES_SEND_RATE`` (numbers here: moto's own quota
  is a fixed 1 per second), one container each.
- Notices fan-out cost per account: the daily run over accounts in pages (the scheduled
  page, then the worker's pages from the notices queue): AWS calls per account, the most
  calls and seconds of one invocation, and the peak Python heap of one page (the basis of
  the Lambda timeout and memory in .chalice/config.json).

Only ``name: value unit`` lines go to stdout; notes go to stderr.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import tracemalloc
from datetime import date, timedelta
from typing import Any

SMS = int(os.environ.get("EBOK_BENCH_SCALE_SMS", "200"))
SMS_RATE = float(os.environ.get("EBOK_BENCH_SMS_RATE", "50"))
EMAILS = int(os.environ.get("EBOK_BENCH_SCALE_EMAILS", "120"))
EMAIL_RATE = float(os.environ.get("EBOK_BENCH_EMAIL_RATE", "40"))
ACCOUNTS = int(os.environ.get("EBOK_BENCH_SCALE_ACCOUNTS", "60"))
PAGE = int(os.environ.get("EBOK_BENCH_NOTICES_PAGE", "20"))
REGION = "eu-central-1"
DUE = date(2026, 10, 20)


class _Context:
    function_name = "bench"
    aws_request_id = "bench"
    memory_limit_in_mb = 512

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


def _env() -> None:
    for name in list(os.environ):
        if name.startswith("AWS_ENDPOINT_URL"):
            del os.environ[name]
    os.environ.update(
        {
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "POWERTOOLS_TRACE_DISABLED": "1",
            "STAGE": "local",
            "TABLE_NAME": "ebok-local",
            "SMS_SEND_RATE": str(SMS_RATE),
            "SES_SEND_RATE": str(EMAIL_RATE),
        }
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


def _drain(queue: str, handler: str, batch: int) -> int:
    import boto3

    import app

    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    handled = 0
    while got := sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=batch, VisibilityTimeout=600
    ).get("Messages", []):
        app.app.handler_map[handler](_records(got), _Context())
        sqs.delete_message_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)
            ],
        )
        handled += len(got)
    return handled


def _sms() -> list[tuple[str, float, str]]:
    from moto.sns.models import sns_backends

    from chalicelib.config import settings
    from chalicelib.domain.principal import Principal
    from chalicelib.services import outages
    from devstack.metering import count_calls
    from tests.integration.scale_support import add_subscribers

    add_subscribers(SMS, buildings=tuple(str(b) for b in range(1, 31)))
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
    _drain(settings().notifier_queue, "outages_notify", 1)
    started = time.perf_counter()
    with count_calls() as calls:
        _drain(settings().sms_queue, "outages_send_sms", 10)
    elapsed = time.perf_counter() - started
    sent = len(sns_backends["123456789012"][REGION].sms_messages)
    per_sms = len(calls.of("sns")) / max(1, sent)
    print(
        f"scale_senders: {sent} SMS, {len(calls.of('sns'))} SNS calls in {elapsed:.1f} s",
        file=sys.stderr,
        flush=True,
    )
    return [
        ("sms_sns_calls_per_sms", round(per_sms, 3), "SNS calls per SMS (target <= 1.05)"),
        (
            "sms_paced_throughput",
            round(sent / elapsed, 1),
            "SMS/s from one container (bounded by the rate or by moto's per-message cost)",
        ),
        ("sms_configured_rate", SMS_RATE, "SMS/s configured (SMS_SEND_RATE / SMS_SENDERS)"),
    ]


def _email() -> list[tuple[str, float, str]]:
    from chalicelib.adapters import ses

    ses.reset()
    started = time.perf_counter()
    for i in range(EMAILS):
        ses.send_email([f"odbiorca{i}@example.pl"], "Test", "Treść")
    elapsed = time.perf_counter() - started
    # The bucket starts full (one second's worth); what it lets through beyond that is the
    # sustained rate: (sent - burst) / elapsed never exceeds the configured rate.
    sustained = (EMAILS - int(EMAIL_RATE)) / elapsed
    return [
        (
            "ses_paced_sustained",
            round(sustained, 1),
            "e-mails/s from one container beyond the first second's burst",
        ),
        ("ses_configured_rate", EMAIL_RATE, "e-mails/s configured (SES_SEND_RATE / SES_SENDERS)"),
    ]


def _accounts() -> None:
    from chalicelib.services import customers as svc
    from tests.integration.payments_support import add_overdue_accounts

    svc.create_account_manager("M1", "Anna Nowak", "+48713000001", "anna@example.pl")
    add_overdue_accounts(
        ACCOUNTS,
        first_no=400000,
        first_invoice=700000,
        due=DUE.isoformat(),
        building="1",
        gross_step=0,
    )


def _notices() -> list[tuple[str, float, str]]:
    import boto3

    import app
    from chalicelib.adapters import ses
    from chalicelib.config import settings
    from chalicelib.services import notices
    from devstack.metering import count_calls

    os.environ["SES_SEND_RATE"] = "off"  # the fan-out's own cost, not the pacing
    settings.cache_clear()
    ses.reset()
    _accounts()
    notices.PAGE_SIZE = PAGE
    day = DUE + timedelta(days=7)
    event = {
        "version": "0",
        "id": "bench",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": f"{day.isoformat()}T07:00:00Z",
        "region": REGION,
        "resources": [],
        "detail": {"date": day.isoformat()},
    }
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.get_queue_url(QueueName=settings().notices_queue)["QueueUrl"]
    invocations: list[tuple[int, float, int]] = []  # calls, seconds, peak heap bytes
    total_calls = 0
    message: list[dict[str, Any]] = []
    while True:
        tracemalloc.start()
        started = time.perf_counter()
        with count_calls() as calls:
            if not invocations:
                app.app.handler_map["payment_notices"](event, None)
            else:
                app.app.handler_map["payment_notices_worker"](_records(message), _Context())
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        if message:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message[0]["ReceiptHandle"])
        invocations.append((len(calls.calls), elapsed, peak))
        total_calls += len(calls.calls)
        message = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", [])
        if not message:
            break
    print(
        f"scale_senders: notices over {ACCOUNTS} accounts in {len(invocations)} invocations "
        f"of <= {PAGE} accounts",
        file=sys.stderr,
        flush=True,
    )
    return [
        (
            "notices_aws_calls_per_account",
            round(total_calls / ACCOUNTS, 2),
            "AWS calls per account",
        ),
        ("notices_invocations", len(invocations), f"invocations for {ACCOUNTS} accounts"),
        ("notices_max_calls_per_invocation", max(c for c, _, _ in invocations), "AWS calls"),
        (
            "notices_max_s_per_invocation",
            round(max(s for _, s, _ in invocations), 2),
            f"s for a page of {PAGE} (moto in-process)",
        ),
        (
            "notices_peak_heap_per_invocation",
            round(max(p for _, _, p in invocations) / 2**20, 1),
            "MiB (tracemalloc)",
        ),
    ]


def run() -> list[tuple[str, float, str]]:
    import logging

    from moto import mock_aws

    _env()
    sys.path.insert(0, os.getcwd())
    import boto3

    from chalicelib.adapters import aws, ses, sns, sqs
    from chalicelib.config import settings
    from chalicelib.observability import logger
    from devstack.provision import provision

    logger.setLevel("WARNING")
    logging.getLogger("moto").setLevel(logging.ERROR)
    with mock_aws():
        prov = provision(lambda name: boto3.client(name, region_name=REGION))
        os.environ.update(prov.environment())
        settings.cache_clear()
        aws.reset_clients()
        for module in (ses, sns, sqs):
            module.reset()
        from chalicelib.store.base import configure_table

        configure_table(prov.table, REGION)
        figures = []
        # Powertools prints its metrics (EMF) to stdout: only figures belong there.
        with contextlib.redirect_stdout(sys.stderr):
            for part in (_sms, _email, _notices):
                started = time.perf_counter()
                figures += part()
                print(
                    f"scale_senders: {part.__name__} {time.perf_counter() - started:.1f} s",
                    file=sys.stderr,
                )
    return figures


if __name__ == "__main__":
    for metric, value, unit in run():
        print(f"{metric}: {value:g} {unit}")
