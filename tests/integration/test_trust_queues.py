"""Issue 13 finding 10: one poison SQS message took the four good ones of its batch with it
to the dead-letter queue (they had been delivered, but "sent + DLQ = expected" no longer
held). Every queue handler now reports partial batch failures (``jobs._sqs``,
``ReportBatchItemFailures`` on every event source mapping): the poison alone is redelivered
and parked, the good ones are sent once and acknowledged."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import boto3
import pytest

from tests.integration.invoicing_helpers import (
    drain,
    load_tariffs,
    queue_url,
    readings_for_world,
    sent_emails,
)
from tests.integration.scale_support import count, dlq_bodies
from tests.support import REGION

PERIODS = ("2026-07", "2026-08", "2026-09", "2026-10")


def _queued_deliveries(world: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Four invoices whose issuing worker could not send the e-mail (SES throttled): four
    good messages on the delivery queue."""
    from botocore.exceptions import ClientError

    from chalicelib.services import delivery, invoicing

    def throttled(*a: Any, **kw: Any) -> str:
        raise ClientError({"Error": {"Code": "Throttling", "Message": "slow"}}, "SendRawEmail")

    load_tariffs()
    readings_for_world(world)
    ids = []
    with monkeypatch.context() as m:
        m.setattr(delivery, "send_email", throttled)
        for period in PERIODS:
            outcome = invoicing.issue(world.individual, world.contracts["individual_heat"], period)
            assert outcome.status == "issued", (period, outcome)
            ids.append(str(outcome.invoice_id))
    return ids


def test_a_poison_message_goes_to_the_dlq_alone_and_the_good_ones_are_sent_once(
    world, monkeypatch
) -> None:
    from chalicelib.adapters import sqs
    from chalicelib.config import settings
    from chalicelib.services import delivery
    from chalicelib.store.invoices import invoice_with_delivery

    queue = settings().delivery_queue
    invoice_ids = _queued_deliveries(world, monkeypatch)
    assert sent_emails() == [] and count(queue) == 4
    sqs.send_batch(queue, ["not json at all"])  # the poison joins them: one batch of five
    handled: Counter[str] = Counter()
    real = delivery.deliver

    def counting(body: Any) -> str:
        handled[str(body.get("invoice_id"))] += 1
        return real(body)

    monkeypatch.setattr(delivery, "deliver", counting)
    first = drain(queue, "invoice_delivery", batch=5)
    assert first == {"done": 4, "failed": 1}  # one batch: the poison alone failed
    for _ in range(6):  # SQS redelivers it until maxReceiveCount, then parks it
        drain(queue, "invoice_delivery", batch=5)

    assert dlq_bodies(queue) == ["not json at all"]  # the poison, alone
    assert count(queue) == 0
    mails = sent_emails()
    assert len(mails) == 4  # sent + DLQ = expected
    assert handled == Counter(invoice_ids)  # each good one handled once, not per retry
    for invoice_id in invoice_ids:
        assert invoice_with_delivery(world.individual, invoice_id)[1].status == "sent"


def test_a_failing_delivery_is_redelivered_alone(world, monkeypatch) -> None:
    """A delivery whose send fails (not throttling: SES refused it) fails its record alone;
    the handler's answer names it and nothing else."""
    from botocore.exceptions import ClientError

    import app
    from chalicelib.config import settings
    from chalicelib.services import delivery
    from chalicelib.store.invoices import invoice_with_delivery

    invoice_ids = _queued_deliveries(world, monkeypatch)
    real = delivery.send_email
    refused = invoice_ids[1]

    def refusing(to, subject, text, html, attachments, *a: Any, **kw: Any) -> str:
        if refused in attachments[0].filename:
            raise ClientError({"Error": {"Code": "MessageRejected", "Message": "no"}}, "Send")
        return real(to, subject, text, html, attachments, *a, **kw)

    monkeypatch.setattr(delivery, "send_email", refusing)
    got = boto3.client("sqs", region_name=REGION).receive_message(
        QueueUrl=queue_url(settings().delivery_queue), MaxNumberOfMessages=10
    )["Messages"]
    bodies = sorted((m["Body"] for m in got), key=lambda b: json.loads(b)["invoice_id"])
    records = [
        {"messageId": f"m{i}", "receiptHandle": f"h{i}", "body": body}
        for i, body in enumerate(bodies)
    ]
    answer = app.app.handler_map["invoice_delivery"]({"Records": records}, None)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert len(sent_emails()) == 3
    dlv = invoice_with_delivery(world.individual, refused)[1]
    assert dlv.status == "pending" and dlv.last_error == "ClientError"


# --- every SQS consumer, its event source mapping, the local event source -------------------


def _sqs_handlers() -> list[Any]:
    from chalice.app import SQSEventConfig

    import app

    return [s for s in app.app.event_sources if isinstance(s, SQSEventConfig)]


def test_every_sqs_handler_fails_a_poison_record_alone(aws) -> None:
    """Issue 10 and 13: every queue consumer answers with a partial batch response; a
    record it cannot handle is named, alone (nothing raised, nothing dropped)."""
    import app

    names = [s.name for s in _sqs_handlers()]
    assert len(names) >= 11
    for name in names:
        records = [{"messageId": "poison-1", "receiptHandle": "h", "body": "{not json"}]
        answer = app.app.handler_map[name]({"Records": records}, None)
        if name == "ses_feedback":  # SNS sends more than feedback: what is not, is dropped
            assert answer == {"batchItemFailures": []}
            continue
        assert answer == {"batchItemFailures": [{"itemIdentifier": "poison-1"}]}, name


def test_every_sqs_event_source_mapping_reports_batch_item_failures() -> None:
    """``chalice package`` merges infra/chalice-extras.json: every SQS handler's event source
    gets ``FunctionResponseTypes: [ReportBatchItemFailures]`` (without it Lambda would
    delete the records a handler reported failed)."""
    from chalice.package import TemplateDeepMerger
    from chalice.utils import to_cfn_resource_name

    from devstack.package_check import ROOT, sqs_events_without_partial_failures

    extras = json.loads((ROOT / "infra" / "chalice-extras.json").read_text(encoding="utf-8"))
    # The shape `chalice package` gives each handler (chalice.package._generate_sqseventsource).
    packaged = {
        "Resources": {
            to_cfn_resource_name(s.name): {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "app.app",
                    "Events": {
                        to_cfn_resource_name(f"{s.name}-sqs-event-source"): {
                            "Type": "SQS",
                            "Properties": {"Queue": s.queue, "BatchSize": s.batch_size},
                        }
                    },
                },
            }
            for s in _sqs_handlers()
        }
    }
    assert len(sqs_events_without_partial_failures(packaged)) == len(_sqs_handlers())
    merged = TemplateDeepMerger().merge(extras, packaged)
    assert sqs_events_without_partial_failures(merged) == []
    for s in _sqs_handlers():
        event = merged["Resources"][to_cfn_resource_name(s.name)]["Properties"]["Events"]
        (props,) = [e["Properties"] for e in event.values()]
        assert props["Queue"] == s.queue and props["BatchSize"] == s.batch_size
    # Nothing in the extras names a handler that does not exist (a renamed one).
    functions = {to_cfn_resource_name(s.name) for s in _sqs_handlers()}
    with_events = {k for k, v in extras["Resources"].items() if "Events" in v.get("Properties", {})}
    assert with_events == functions


def test_chalice_deploy_is_followed_by_report_batch_item_failures(tmp_path) -> None:
    from devstack.package_check import report_batch_item_failures

    deployed = tmp_path / "prod.json"
    deployed.write_text(
        json.dumps(
            {
                "resources": [
                    {"name": "api_handler", "resource_type": "lambda_function"},
                    {
                        "name": "a-sqs-event-source",
                        "resource_type": "sqs_event",
                        "event_uuid": "u1",
                    },
                    {
                        "name": "b-sqs-event-source",
                        "resource_type": "sqs_event",
                        "event_uuid": "u2",
                    },
                ]
            }
        )
    )

    class Lambda:
        calls: list[dict[str, Any]] = []

        def update_event_source_mapping(self, **kw: Any) -> None:
            self.calls.append(kw)

    client = Lambda()
    assert report_batch_item_failures("prod", client, deployed) == 2
    assert client.calls == [
        {"UUID": "u1", "FunctionResponseTypes": ["ReportBatchItemFailures"]},
        {"UUID": "u2", "FunctionResponseTypes": ["ReportBatchItemFailures"]},
    ]


def test_the_local_event_source_honours_partial_batch_responses(aws) -> None:
    """``devstack.event_source.settle`` (used by ``python -m devstack drain``): the records
    the handler finished are deleted, a reported one stays; a raise or an answer naming a
    message outside the batch fails them all, as on Lambda."""
    from devstack.event_source import settle

    sqs = boto3.client("sqs", region_name=REGION)

    def batch(name: str) -> tuple[str, list[dict[str, Any]]]:
        url = sqs.create_queue(QueueName=f"trust-settle-{name}")["QueueUrl"]
        for body in ("a", "b", "c"):
            sqs.send_message(QueueUrl=url, MessageBody=body)
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
        return url, sorted(got["Messages"], key=lambda m: m["Body"])

    def visible(url: str) -> list[str]:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
        return sorted(m["Body"] for m in got.get("Messages", []))

    url, msgs = batch("partial")
    b_id = msgs[1]["MessageId"]
    done, failed = settle(sqs, url, msgs, lambda: {"batchItemFailures": [{"itemIdentifier": b_id}]})
    assert [m["Body"] for m in done] == ["a", "c"] and [m["Body"] for m in failed] == ["b"]
    assert visible(url) == ["b"]

    def crash() -> None:
        raise RuntimeError("killed")

    invalid = {"batchItemFailures": [{"itemIdentifier": "elsewhere"}]}
    for name, answer in (("crash", crash), ("invalid", lambda: invalid)):
        url, msgs = batch(name)
        done, failed = settle(sqs, url, msgs, answer)
        assert done == [] and len(failed) == 3
        assert visible(url) == ["a", "b", "c"]
    url, msgs = batch("none")
    assert len(settle(sqs, url, msgs, lambda: None)[0]) == 3  # nothing reported: all done
    assert visible(url) == []
