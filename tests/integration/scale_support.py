"""A Lambda SQS event source over moto, with a clock the test moves (delays, visibility),
and fakes of SES and SNS at the adapter boundary that throttle (moto never does)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from devstack.event_source import settle
from tests.support import REGION

ACCOUNT = "123456789012"


class _Context:
    function_name = "test"
    aws_request_id = "test-request"
    memory_limit_in_mb = 512
    invoked_function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:test"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


class MotoClock:
    """moto's SQS reads the time for delays and visibility; the test moves it on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import moto.sqs.models as sqs_models

        self.offset_ms = 0.0
        real = sqs_models.unix_time_millis
        monkeypatch.setattr(sqs_models, "unix_time_millis", lambda *a: real(*a) + self.offset_ms)

    def advance(self, seconds: float) -> None:
        self.offset_ms += seconds * 1000


def url(name: str) -> str:
    return str(boto3.client("sqs", region_name=REGION).get_queue_url(QueueName=name)["QueueUrl"])


def count(name: str) -> int:
    attrs = boto3.client("sqs", region_name=REGION).get_queue_attributes(
        QueueUrl=url(name),
        AttributeNames=[
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ],
    )["Attributes"]
    return sum(int(v) for v in attrs.values())


def dlq_bodies(name: str) -> list[str]:
    sqs = boto3.client("sqs", region_name=REGION)
    got = sqs.receive_message(QueueUrl=url(f"{name}-dlq"), MaxNumberOfMessages=10).get(
        "Messages", []
    )
    return [m["Body"] for m in got]


def _record(m: dict[str, Any], name: str) -> dict[str, Any]:
    attrs = {
        k: {"stringValue": v["StringValue"], "dataType": v["DataType"]}
        for k, v in (m.get("MessageAttributes") or {}).items()
    }
    return {
        "messageId": m["MessageId"],
        "receiptHandle": m["ReceiptHandle"],
        "body": m["Body"],
        "attributes": m.get("Attributes", {}),
        "messageAttributes": attrs,
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}",
        "awsRegion": REGION,
    }


class EventSource:
    """Polls a queue like Lambda's event source (``devstack.event_source``): a batch in, the
    handler called, the records it finished deleted, the ones it reported failed (all when it
    raised) left to reappear after the visibility timeout; moto moves a message received
    more than maxReceiveCount times to the DLQ. ``failures`` counts the invocations that
    failed a record."""

    VISIBILITY_S = 60

    def __init__(self, clock: MotoClock, queue: str, handler: str, batch_size: int) -> None:
        self.clock, self.queue, self.handler, self.batch_size = clock, queue, handler, batch_size
        self.invocations = 0
        self.failures = 0

    def poll_once(self) -> bool:
        import app

        sqs = boto3.client("sqs", region_name=REGION)
        got = sqs.receive_message(
            QueueUrl=url(self.queue),
            MaxNumberOfMessages=self.batch_size,
            VisibilityTimeout=self.VISIBILITY_S,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not got:
            return False
        self.invocations += 1
        event = {"Records": [_record(m, self.queue) for m in got]}
        _, failed = settle(
            sqs, url(self.queue), got, lambda: app.app.handler_map[self.handler](event, _Context())
        )
        if failed:  # those records come back after the visibility timeout
            self.failures += 1
        return True

    def run(self, max_polls: int = 500) -> None:
        """Until the queue is empty, moving the clock past delays and visibility timeouts."""
        for _ in range(max_polls):
            if self.poll_once():
                continue
            if count(self.queue) == 0:
                return
            self.clock.advance(901)
        raise AssertionError("the queue did not drain")


def throttling(operation: str) -> ClientError:
    return ClientError({"Error": {"Code": "Throttling", "Message": "Rate exceeded"}}, operation)


class ThrottlingClient:
    """A boto3 client whose chosen operations throttle while ``throttle(params)`` says so;
    everything else goes to the real (moto) client."""

    def __init__(self, real: Any, operation: str, throttle: Callable[[dict[str, Any]], bool]):
        self._real, self._operation, self._throttle = real, operation, throttle
        self.calls: dict[str, int] = {}
        self.throttled = 0

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._real, name)

        def call(**params: Any) -> Any:
            self.calls[name] = self.calls.get(name, 0) + 1
            if name == self._operation and self._throttle(params):
                self.throttled += 1
                raise throttling(name)
            return target(**params)

        return call


def body_of(m: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(m["Body"]))


def add_subscribers(
    n: int,
    street: str = "ul. Legnicka",
    street_key: str = "LEGNICKA",
    buildings: tuple[str, ...] = ("10", "12", "14"),
    channel: str = "sms",
    first: int = 0,
) -> list[str]:
    """``n`` active subscriptions spread over ``buildings`` (written straight to the store);
    returns their phone numbers or e-mail addresses."""
    from chalicelib.domain import clock
    from chalicelib.store import alerts as store
    from chalicelib.store.alerts import AlertSubscription
    from chalicelib.store.customers import customer_pk

    now = clock.now_iso()
    out = []
    with AlertSubscription.batch_write() as batch:
        for i in range(first, first + n):
            customer_no = f"8{i:06d}"
            building = buildings[i % len(buildings)]
            alert_id = f"P-{customer_no}-1.{channel}.{i:06d}"
            gsi = store.active_gsi("WROCŁAW", street_key, building, customer_no, alert_id)
            to = f"+4851{i:07d}" if channel == "sms" else f"k{i}@example.pl"
            out.append(to)
            batch.save(
                AlertSubscription(
                    customer_pk(customer_no),
                    store.alert_sk(alert_id),
                    GSI1PK=gsi[0],
                    GSI1SK=gsi[1],
                    alert_id=alert_id,
                    customer_no=customer_no,
                    premises_id=f"P-{customer_no}-1",
                    channel=channel,
                    phone=to if channel == "sms" else None,
                    email=to if channel == "email" else None,
                    lang="pl",
                    products=["heat"],
                    city="Wrocław",
                    city_key="WROCŁAW",
                    street=street,
                    street_key=street_key,
                    building=building,
                    building_key=building,
                    address=f"{street} {building}, 53-674 Wrocław",
                    manager_id="M1",
                    status="active",
                    requested_at=now,
                    requested_by="test",
                )
            )
    return out
