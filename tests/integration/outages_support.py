"""Helpers for the outage, SMS Alert and fault tests: queues drained into the real
handlers, and what the embedded AWS "sent"."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import boto3
import pytest

from tests.support import REGION

ACCOUNT = "123456789012"


class _Context:
    function_name = "test"
    aws_request_id = "test-request"
    memory_limit_in_mb = 512
    invoked_function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:test"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


HANDLERS = {"notifier": "outages_notify", "sms": "outages_send_sms"}


def queue_url(kind: str) -> str:
    from chalicelib.config import settings

    name = settings().notifier_queue if kind == "notifier" else settings().sms_queue
    return str(boto3.client("sqs", region_name=REGION).get_queue_url(QueueName=name)["QueueUrl"])


def receive(kind: str) -> list[dict[str, Any]]:
    """Every message now on the queue (received, so invisible until deleted or redriven)."""
    sqs = boto3.client("sqs", region_name=REGION)
    url = queue_url(kind)
    out: list[dict[str, Any]] = []
    while True:
        got = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0, VisibilityTimeout=600
        ).get("Messages", [])
        if not got:
            return out
        out.extend(got)


def delete(kind: str, messages: list[dict[str, Any]]) -> None:
    sqs = boto3.client("sqs", region_name=REGION)
    url = queue_url(kind)
    for i in range(0, len(messages), 10):
        chunk = messages[i : i + 10]
        sqs.delete_message_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(chunk)
            ],
        )


def invoke(kind: str, messages: list[dict[str, Any]]) -> set[str]:
    """Hand messages to the queue's real handler in batches of its size; returns the ids of
    the records it reported failed (``batchItemFailures``)."""
    import app
    from devstack.event_source import failed_ids

    handler = app.app.handler_map[HANDLERS[kind]]
    failed: set[str] = set()
    size = 1 if kind == "notifier" else 10
    for i in range(0, len(messages), size):
        records = [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": {},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{kind}",
                "awsRegion": REGION,
            }
            for m in messages[i : i + size]
        ]
        result = handler({"Records": records}, _Context())
        failed |= failed_ids(result, [r["messageId"] for r in records])
    return failed


def drain(kind: str) -> list[dict[str, Any]]:
    """Receive, handle and delete every message of a queue, like the event source: a record
    the handler reported failed is not deleted (it comes back after the visibility timeout);
    returns what was handled."""
    handled: list[dict[str, Any]] = []
    while True:
        messages = receive(kind)
        if not messages:
            return handled
        failed = invoke(kind, messages)
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            delete(kind, done)
        handled.extend(done)


def drain_all() -> None:
    drain("notifier")
    drain("sms")


def sent_sms() -> list[tuple[str, str]]:
    from moto.sns.models import sns_backends

    return list(sns_backends[ACCOUNT][REGION].sms_messages.values())


def sent_emails() -> list[Any]:
    from moto.ses.models import ses_backends

    return list(ses_backends[ACCOUNT][REGION].sent_messages)


def run_release_job(now: datetime | None = None) -> dict[str, Any]:
    import app

    detail = {"now": now.isoformat()} if now else {}
    event = {
        "version": "0",
        "id": "test",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": "2026-01-01T00:00:00Z",
        "region": REGION,
        "resources": [],
        "detail": detail,
    }
    return dict(app.app.handler_map["outages_release_notices"](event, _Context()))


class FakeClock:
    """``chalicelib.domain.clock.now`` under the test's control."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, start: datetime) -> None:
        from chalicelib.domain import clock

        self.now = start
        monkeypatch.setattr(clock, "now", lambda: self.now)

    def set(self, when: datetime) -> None:
        self.now = when


def outage_body(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "planned",
        "product": "heat",
        "city": "Wrocław",
        "streets": [
            {"name": "ul. Legnicka", "buildings": ["10", "12", "14"]},
            {"name": "ul. Grabiszyńska"},
        ],
        "starts_at": "2026-03-12T08:00",
        "expected_end_at": "2026-03-12T16:00",
        "description": "Wymiana zasuwy na magistrali ciepłowniczej.",
    }
    body.update(over)
    return body


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# moto's CheckIfPhoneNumberIsOptedOut says "opted out" for numbers ending in 99, but its
# ListPhoneNumbersOptedOut is a fixed list without them. The sender reads the list (one SNS
# call per SMS), so the numbers these tests treat as opted out are added to moto's list.
MOTO_RULE_OPTED_OUT = ("+48600100299",)


@pytest.fixture(autouse=True)
def _fresh_adapters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Queue URLs and opt-out answers belong to one moto session."""
    from moto.sns.models import SNSBackend

    from chalicelib.adapters import ses, sns, sqs

    listed = SNSBackend.list_phone_numbers_opted_out
    monkeypatch.setattr(
        SNSBackend,
        "list_phone_numbers_opted_out",
        lambda self: [*listed(self), *MOTO_RULE_OPTED_OUT],
    )
    sqs.reset()
    sns.reset()
    ses.reset()
