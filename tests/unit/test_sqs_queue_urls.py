"""A container looks up one queue URL; the others are the account's queue prefix and their
names (a cold invoicing worker sends to four queues: one GetQueueUrl, not four)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chalicelib.adapters import aws, sqs

REGION = "eu-central-1"
NAMES = ("ebok-test-invoicing", "ebok-test-invoicing-numbering.fifo", "ebok-test-notices")


@pytest.fixture
def queues(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        aws.reset_clients()
        sqs.reset()
        real = boto3.client("sqs", region_name=REGION)
        urls = {}
        for name in NAMES:
            attrs = {"FifoQueue": "true"} if name.endswith(".fifo") else {}
            urls[name] = real.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
        yield urls
        aws.reset_clients()
        sqs.reset()


def _count_lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import botocore.client

    seen: list[str] = []
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, params: dict[str, Any]) -> Any:
        if operation == "GetQueueUrl":
            seen.append(params["QueueName"])
        return original(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counting)
    return seen


def test_one_lookup_then_every_url_from_the_prefix(
    queues: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lookups = _count_lookups(monkeypatch)
    assert [sqs.queue_url(n) for n in NAMES] == [queues[n] for n in NAMES]
    assert lookups == [NAMES[0]]
    # The derived URLs are real ones: a message sent through them arrives.
    assert sqs.send_batch(NAMES[2], [{"n": 1}, {"n": 2}]) == 2
    got = boto3.client("sqs", region_name=REGION).receive_message(
        QueueUrl=queues[NAMES[2]], MaxNumberOfMessages=10
    )
    assert len(got["Messages"]) == 2


def test_reset_forgets_the_prefix(queues: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    sqs.queue_url(NAMES[0])
    sqs.reset()
    lookups = _count_lookups(monkeypatch)
    assert sqs.queue_url(NAMES[1]) == queues[NAMES[1]]
    assert lookups == [NAMES[1]]
