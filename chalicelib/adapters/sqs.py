"""SQS: send messages in batches of ten (the API's limit) to a queue named in settings."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from chalicelib.adapters.aws import client

BATCH = 10


@lru_cache(maxsize=32)
def queue_url(queue_name: str) -> str:
    """A queue's URL is the account's queue prefix and its name (``…/<account>/<name>``, on
    AWS as on the local stack): the first queue a container sends to is looked up, the
    others are derived from its prefix, so a worker that sends to four queues makes one
    GetQueueUrl, not four (tests drop both caches with ``reset``)."""
    if _PREFIX:
        return _PREFIX[0] + queue_name
    url = str(client("sqs").get_queue_url(QueueName=queue_name)["QueueUrl"])
    if url.endswith("/" + queue_name):
        _PREFIX.append(url[: -len(queue_name)])
    return url


# The account's queue URL prefix (``https://sqs.<region>.amazonaws.com/<account>/``), once known.
_PREFIX: list[str] = []


def reset() -> None:
    queue_url.cache_clear()
    _PREFIX.clear()


def send_batch(queue_name: str, bodies: Iterable[Any], delay_s: int = 0) -> int:
    """Send every body (dicts become JSON); returns how many were sent. Raises when SQS
    refuses any entry, so that the caller's message is retried (receivers are idempotent)."""
    url = queue_url(queue_name)
    sqs = client("sqs")
    sent = 0
    chunk: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal sent, chunk
        if not chunk:
            return
        resp = sqs.send_message_batch(QueueUrl=url, Entries=chunk)
        failed = resp.get("Failed") or []
        if failed:
            raise RuntimeError(f"SQS refused {len(failed)} of {len(chunk)} messages")
        sent += len(chunk)
        chunk = []

    for body in bodies:
        text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        entry: dict[str, Any] = {"Id": str(len(chunk)), "MessageBody": text}
        if delay_s:
            entry["DelaySeconds"] = delay_s
        chunk.append(entry)
        if len(chunk) == BATCH:
            flush()
    flush()
    return sent


def send_one(
    queue_name: str, body: str, delay_s: int = 0, attributes: dict[str, str] | None = None
) -> None:
    """One message, held back ``delay_s`` seconds (SQS allows 0..900), with string
    message attributes (the handlers' bookkeeping, kept out of the body)."""
    kwargs: dict[str, Any] = {
        "QueueUrl": queue_url(queue_name),
        "MessageBody": body,
        "DelaySeconds": max(0, min(900, int(delay_s))),
    }
    if attributes:
        kwargs["MessageAttributes"] = {
            k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()
        }
    client("sqs").send_message(**kwargs)


def delete_batch(queue_name: str, receipt_handles: Iterable[str]) -> int:
    """Delete received messages (the handler acknowledges what it finished itself);
    returns how many SQS confirmed. A handle that is no longer valid is not an error."""
    url = queue_url(queue_name)
    handles = list(receipt_handles)
    deleted = 0
    for i in range(0, len(handles), BATCH):
        chunk = handles[i : i + BATCH]
        resp = client("sqs").delete_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(n), "ReceiptHandle": h} for n, h in enumerate(chunk)],
        )
        deleted += len(resp.get("Successful") or [])
    return deleted
