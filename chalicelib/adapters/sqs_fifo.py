"""SQS FIFO queues: messages of one group are handed to one consumer at a time, in order
(the invoice numbering stage: one group per invoice series)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chalicelib.adapters.aws import client
from chalicelib.adapters.sqs import BATCH, queue_url


@dataclass(frozen=True)
class Ordered:
    """One message: its body, its group (the order it keeps) and its deduplication id (a
    second send with the same id within five minutes is dropped by SQS)."""

    body: Any
    group: str
    dedup_id: str


def send_ordered(queue_name: str, messages: Iterable[Ordered]) -> int:
    """Send in batches of ten, keeping the given order within each group; raises when SQS
    refuses any entry (the caller's own message is then retried)."""
    url = queue_url(queue_name)
    sqs = client("sqs")
    sent = 0
    chunk: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal sent, chunk
        if chunk:
            failed = sqs.send_message_batch(QueueUrl=url, Entries=chunk).get("Failed") or []
            if failed:
                raise RuntimeError(f"SQS refused {len(failed)} of {len(chunk)} messages")
            sent += len(chunk)
            chunk = []

    for m in messages:
        text = m.body if isinstance(m.body, str) else json.dumps(m.body, ensure_ascii=False)
        chunk.append(
            {
                "Id": str(len(chunk)),
                "MessageBody": text,
                "MessageGroupId": m.group,
                "MessageDeduplicationId": m.dedup_id[:128],
            }
        )
        if len(chunk) == BATCH:
            flush()
    flush()
    return sent
