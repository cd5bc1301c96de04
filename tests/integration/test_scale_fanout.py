"""Payment notices fan out: every invocation reviews at most one page of accounts and does
bounded AWS work, pages continue from a cursor across shards, and no account is skipped or
told twice, also when page messages are redelivered or duplicated."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import boto3
import pytest

from tests.integration.payments_support import add_overdue_accounts
from tests.integration.scale_support import MotoClock, _Context, url
from tests.support import REGION, snapshot

DUE = date(2026, 10, 20)
PAGE = 4
ACCOUNTS = 37  # over nine times the page size, spread over every shard


def _event(day: date, run: str = "evt-1") -> dict:
    return {
        "version": "0",
        "id": run,
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "1",
        "time": f"{day.isoformat()}T07:00:00Z",
        "region": REGION,
        "resources": [],
        "detail": {"date": day.isoformat()},
    }


@pytest.fixture
def overdue_accounts(world):
    # Built once on the fresh world, restored from a snapshot for the next tests.
    return snapshot(
        "scale_fanout.overdue_accounts",
        lambda: add_overdue_accounts(
            ACCOUNTS, first_no=300000, first_invoice=900000, due=DUE.isoformat()
        ),
    )


@pytest.fixture
def outbox(monkeypatch):
    from chalicelib.adapters import ses

    sent: Counter[str] = Counter()
    real = ses.send_email

    def spy(to, *args, **kwargs):
        sent.update(to)
        return real(to, *args, **kwargs)

    monkeypatch.setattr(ses, "send_email", spy)
    return sent


def _records(messages: list[dict]) -> dict:
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


def _receive() -> list[dict]:
    from chalicelib.config import settings

    return (
        boto3.client("sqs", region_name=REGION)
        .receive_message(
            QueueUrl=url(settings().notices_queue), MaxNumberOfMessages=1, VisibilityTimeout=600
        )
        .get("Messages", [])
    )


def test_every_invocation_is_bounded_and_no_account_is_skipped_or_told_twice(
    overdue_accounts, outbox, monkeypatch
) -> None:
    import app
    from chalicelib.config import settings
    from chalicelib.services import notices
    from chalicelib.store import ledger as ledger_store
    from devstack.metering import count_calls

    monkeypatch.setattr(notices, "PAGE_SIZE", PAGE)
    assert (
        len({ledger_store.account_shard(n) for n in overdue_accounts})
        == ledger_store.ACCOUNT_SHARDS
    )
    reviewed: list[str] = []
    real_review = notices.review_account

    def counting(customer_no, day, report):
        reviewed.append(customer_no)
        return real_review(customer_no, day, report)

    monkeypatch.setattr(notices, "review_account", counting)
    per_invocation: list[tuple[int, int]] = []  # (accounts reviewed, AWS calls)
    day = DUE + timedelta(days=7)

    with count_calls() as log:
        first = app.app.handler_map["payment_notices"](_event(day), None)
    per_invocation.append((len(reviewed), len(log.calls)))
    assert first["accounts"] == PAGE and first["more"] is True

    sqs = boto3.client("sqs", region_name=REGION)
    while messages := _receive():
        body = json.loads(messages[0]["Body"])
        assert body["kind"] == "page"
        before = len(reviewed)
        with count_calls() as log:
            app.app.handler_map["payment_notices_worker"](_records(messages), _Context())
        per_invocation.append((len(reviewed) - before, len(log.calls)))
        if len(per_invocation) == 3:
            # A redelivery of the same message reviews its page again (sends nothing new)
            # and hands on no second continuation.
            app.app.handler_map["payment_notices_worker"](_records(messages), _Context())
        sqs.delete_message(
            QueueUrl=url(settings().notices_queue), ReceiptHandle=messages[0]["ReceiptHandle"]
        )

    everyone = overdue_accounts
    assert sorted(set(reviewed)) == sorted(everyone)  # none skipped
    assert all(n <= PAGE for n, _ in per_invocation)
    assert len(per_invocation) >= ACCOUNTS // PAGE
    # Bounded work: a page's Queries (at most the shards' 16 ranges) plus a handful of
    # calls per account, whatever the number of customers.
    assert max(calls for _, calls in per_invocation) <= 16 + 2 + PAGE * 10
    assert all(count == 1 for count in outbox.values()), outbox  # nobody told twice
    assert len(outbox) == len(everyone)


def test_a_duplicate_page_message_lists_nothing(overdue_accounts, outbox, monkeypatch) -> None:
    import app
    from chalicelib.adapters import sqs
    from chalicelib.config import settings
    from chalicelib.services import notices

    monkeypatch.setattr(notices, "PAGE_SIZE", PAGE)
    day = DUE + timedelta(days=7)
    app.app.handler_map["payment_notices"](_event(day, "evt-2"), None)
    page = _receive()
    body = json.loads(page[0]["Body"])
    # The page that sent it ran again (a crash after the send): a second message for the
    # same page, with another owner.
    duplicate = {**body, "owner": "someone-else"}
    sqs.send_batch(settings().notices_queue, [duplicate])
    app.app.handler_map["payment_notices_worker"](_records(page), _Context())
    sent_before = sum(outbox.values())
    dup = _receive()
    while dup and json.loads(dup[0]["Body"])["owner"] != "someone-else":
        dup = _receive()
    app.app.handler_map["payment_notices_worker"](_records(dup), _Context())
    assert sum(outbox.values()) == sent_before  # the duplicate reviewed nobody
    assert (
        notices.run(day, notices.Cursor.of(body["cursor"]), run_id=body["run"], owner="x").accounts
        == 0
    )


def test_a_throttled_account_is_handed_to_the_queue_with_a_delay(
    overdue_accounts, outbox, monkeypatch
) -> None:
    from botocore.exceptions import ClientError

    from chalicelib.adapters import ses
    from chalicelib.config import settings
    from chalicelib.services import notices

    MotoClock(monkeypatch)
    monkeypatch.setattr(notices, "PAGE_SIZE", 50)
    real = ses.send_email
    calls = Counter[str]()

    def throttled_once(to, *args, **kwargs):
        calls[to[0]] += 1
        if to[0] == "klient5@example.pl" and calls[to[0]] == 1:
            raise ClientError({"Error": {"Code": "Throttling", "Message": "Rate"}}, "SendRawEmail")
        return real(to, *args, **kwargs)

    monkeypatch.setattr(ses, "send_email", throttled_once)
    report = notices.run(DUE + timedelta(days=7))
    assert report.deferred == 1 and report.failures == 0 and report.accounts == ACCOUNTS
    attrs = boto3.client("sqs", region_name=REGION).get_queue_attributes(
        QueueUrl=url(settings().notices_queue),
        AttributeNames=["ApproximateNumberOfMessagesDelayed"],
    )["Attributes"]
    assert attrs["ApproximateNumberOfMessagesDelayed"] == "1"  # held back, not lost
