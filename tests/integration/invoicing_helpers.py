"""Helpers for the invoicing tests: tariffs, readings, running jobs and draining queues
into the real handlers, and what moto's SES and S3 hold."""

from __future__ import annotations

import email
import email.policy
import json
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import boto3

from chalicelib.domain import clock
from tests.support import REGION, World

ACCOUNT = "123456789012"


class LambdaContext:
    function_name = "test"
    memory_limit_in_mb = 512
    invoked_function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:test"
    aws_request_id = "test"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


def handler(name: str) -> Any:
    import app

    return app.app.handler_map[name]


def run_schedule(name: str, detail: dict[str, Any] | None = None) -> Any:
    event = {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": clock.now_iso(),
        "region": REGION,
        "resources": [],
        "detail": detail or {},
    }
    return handler(name)(event, LambdaContext())


def queue_url(queue: str) -> str:
    return str(boto3.client("sqs", region_name=REGION).get_queue_url(QueueName=queue)["QueueUrl"])


def drain(queue: str, handler_name: str, batch: int = 10, max_batches: int = 200) -> dict[str, int]:
    """Like the Lambda event source (``devstack.event_source``): receive, call the handler,
    delete what it finished; the records it reported failed (all of them when it raised) are
    made visible again (the retry) and the drain stops. Returns counts."""
    from devstack.event_source import lambda_record, settle

    sqs = boto3.client("sqs", region_name=REGION)
    url = queue_url(queue)
    arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{queue}"
    done = failed = 0
    for _ in range(max_batches):
        got = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=batch,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not got:
            break
        event = {"Records": [lambda_record(m, arn, REGION) for m in got]}
        finished, failures = settle(
            sqs, url, got, lambda event=event: handler(handler_name)(event, LambdaContext())
        )
        done += len(finished)
        if failures:
            failed += len(failures)
            sqs.change_message_visibility_batch(
                QueueUrl=url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                    for i, m in enumerate(failures)
                ],
            )
            break
    return {"done": done, "failed": failed}


def queue_depth(queue: str) -> int:
    sqs = boto3.client("sqs", region_name=REGION)
    attrs = sqs.get_queue_attributes(
        QueueUrl=queue_url(queue),
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(
        attrs["ApproximateNumberOfMessagesNotVisible"]
    )


def sent_emails() -> list[Any]:
    from moto.ses.models import ses_backends

    return list(ses_backends[ACCOUNT][REGION].sent_messages)


def parsed(message: Any) -> email.message.EmailMessage:
    raw = message.raw_data
    return email.message_from_bytes(
        raw.encode() if isinstance(raw, str) else raw, policy=email.policy.default
    )  # type: ignore[return-value]


def attachments(message: Any) -> dict[str, bytes]:
    out = {}
    for part in parsed(message).walk():
        if part.get_filename():
            out[part.get_filename()] = part.get_payload(decode=True)
    return out


def pdf_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def load_tariffs() -> None:
    from chalicelib.services import invoicing, tariffs

    tariffs.load_tariffs()
    invoicing.reset_counters()


def put_reading(
    serial: str, customer_no: str, contract_no: str, day: str, kind: str = "remote", **values: str
) -> None:
    from chalicelib.domain import readings as rd
    from chalicelib.store import readings as store

    r = store.Reading(
        store.meter_pk(serial),
        store.reading_sk(rd.point_key(date.fromisoformat(day), kind)),
        serial=serial,
        customer_no=customer_no,
        contract_no=contract_no,
        read_on=day,
        kind=kind,
        status="accepted",
        values_text=store.values_json({k: Decimal(v) for k, v in values.items()}) or "{}",
        created_at="2026-01-01T00:00:00Z",
    )
    assert store.add_reading(r)


def readings_for_world(w: World, through: str = "2026-10-31") -> None:
    """September and October 2026 readings for every meter of the demo world."""
    put_reading(
        w.meters["individual_heat"],
        w.individual,
        w.contracts["individual_heat"],
        "2026-09-30",
        heat_gj="100.000",
        water_m3="10.000",
    )
    put_reading(
        w.meters["other_power"],
        w.other_individual,
        w.contracts["other_power"],
        "2026-09-30",
        total="5000",
    )
    for i in (1, 2, 3):
        put_reading(
            f"HM-200001-{i}",
            w.institution,
            f"C-200001-H{i}",
            "2026-09-30",
            heat_gj=f"{1000 * i}.000",
            water_m3="50.000",
        )
    if through >= "2026-10-31":
        put_reading(
            w.meters["individual_heat"],
            w.individual,
            w.contracts["individual_heat"],
            "2026-10-31",
            heat_gj="103.456",
            water_m3="10.850",
        )
        put_reading(
            w.meters["other_power"],
            w.other_individual,
            w.contracts["other_power"],
            "2026-10-31",
            total="5250",
        )
        for i in (1, 2, 3):
            put_reading(
                f"HM-200001-{i}",
                w.institution,
                f"C-200001-H{i}",
                "2026-10-31",
                heat_gj=f"{1000 * i + 40}.000",
                water_m3="52.500",
            )


def invoices_of(customer_no: str) -> list[Any]:
    from chalicelib.store.invoices import Invoice, invoices_and_deliveries

    return [i for i in invoices_and_deliveries(customer_no) if isinstance(i, Invoice)]


def all_invoices(w: World) -> list[Any]:
    return [i for c in (w.individual, w.other_individual, w.institution) for i in invoices_of(c)]


def s3_keys(bucket: str, prefix: str) -> list[str]:
    s3 = boto3.client("s3", region_name=REGION)
    return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]


def s3_get(bucket: str, key: str) -> bytes:
    return bytes(
        boto3.client("s3", region_name=REGION).get_object(Bucket=bucket, Key=key)["Body"].read()
    )


def invoicing_job(period: str) -> dict[str, int]:
    from chalicelib.config import settings

    result = run_schedule("invoicing_run", {"period": period})
    assert result["queued"] == result["contracts"], json.dumps(result)
    return drain_pipeline(settings().invoicing_queue)


def drain_pipeline(queue: str) -> dict[str, int]:
    """The whole run as the event sources would: the worker prices (and pages), the
    numbering stage issues, the worker publishes. Returns the pricing drain's counts."""
    priced = drain(queue, "invoicing_worker", max_batches=10_000)
    numbered = drain(f"{queue}-numbering.fifo", "invoice_numbering", max_batches=10_000)
    published = drain(queue, "invoicing_worker", max_batches=10_000)
    if numbered["failed"] or published["failed"]:
        return {"done": priced["done"], "failed": priced["failed"] + 1}
    return priced
