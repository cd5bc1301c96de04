"""What Lambda's SQS event source does with a handler's answer, for the local stack's drain
and the tests' stand-ins of the event source.

Every mapping reports partial batch failures (``FunctionResponseTypes:
[ReportBatchItemFailures]``, see ``chalicelib/jobs/_sqs.py``): a handler that returns
``{"batchItemFailures": [{"itemIdentifier": <messageId>}, ...]}`` has the other records
deleted and the listed ones redelivered after the visibility timeout; a handler that raises
has the whole batch redelivered; an answer that names a message outside the batch (or
names nothing usable) fails the whole batch, as Lambda does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

log = logging.getLogger(__name__)


def lambda_record(m: dict[str, Any], arn: str, region: str) -> dict[str, Any]:
    """An SQS ``ReceiveMessage`` entry as the record Lambda hands the handler."""
    attrs = {
        k: {"stringValue": v.get("StringValue"), "dataType": v.get("DataType", "String")}
        for k, v in (m.get("MessageAttributes") or {}).items()
    }
    return {
        "messageId": m["MessageId"],
        "receiptHandle": m["ReceiptHandle"],
        "body": m["Body"],
        "attributes": m.get("Attributes", {}),
        "messageAttributes": attrs,
        "md5OfBody": m.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": arn,
        "awsRegion": region,
    }


def failed_ids(result: Any, message_ids: Sequence[str]) -> set[str]:
    """The ids of the records the event source redelivers after the handler returned
    ``result``."""
    if not isinstance(result, dict) or result.get("batchItemFailures") is None:
        return set()  # nothing reported: the whole batch succeeded
    items = result["batchItemFailures"]
    if not isinstance(items, list):
        return set(message_ids)
    failed: set[str] = set()
    for item in items:
        ident = item.get("itemIdentifier") if isinstance(item, dict) else None
        if not ident or ident not in message_ids:
            return set(message_ids)  # an invalid answer fails the batch
        failed.add(str(ident))
    return failed


def settle(
    sqs: Any, url: str, messages: Sequence[dict[str, Any]], invoke: Callable[[], Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Call the handler (``invoke``) on a received batch and do what the event source does:
    delete the records that succeeded, leave the others to come back. Returns (done,
    failed). An exception from the handler fails every record (and is not re-raised)."""
    ids = [m["MessageId"] for m in messages]
    try:
        result = invoke()
    except Exception:  # noqa: BLE001 - the event source's view: the invocation failed
        log.exception("the handler failed; the whole batch is redelivered")
        return [], list(messages)
    failed = failed_ids(result, ids)
    done = [m for m in messages if m["MessageId"] not in failed]
    for i in range(0, len(done), 10):
        chunk = done[i : i + 10]
        sqs.delete_message_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(chunk)
            ],
        )
    return done, [m for m in messages if m["MessageId"] in failed]
