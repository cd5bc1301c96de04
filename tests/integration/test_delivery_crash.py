"""Nothing lost after a crash (issue 13 item 2): the worker is killed (an exception that no
handler catches) at every step of issue → PDF → hand-over → send; SQS redelivery after the
visibility timeout and the hand-over sweeper then bring every e-mail out exactly once.

Before the fix a worker killed after the issue and before the hand-over left the delivery
``sending, attempts=0`` with nothing in any queue, and a delivery worker killed after its
claim left a claim that SQS's redelivery could not take (stale only after 15 minutes,
redelivered after 6): both e-mails were lost for good.

The one window no design closes without the mail service's help (SES has no idempotency
key) is between SES accepting the message and the conditional write of ``sent``: a crash
there sends the e-mail again after the claim goes stale (at least once); see
docs/invoicing.md."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from chalicelib.domain import clock
from devstack.event_source import failed_ids, lambda_record
from tests.integration.invoicing_helpers import (
    ACCOUNT,
    LambdaContext,
    attachments,
    handler,
    load_tariffs,
    queue_url,
    readings_for_world,
    run_schedule,
    sent_emails,
)
from tests.support import REGION


class Crash(BaseException):
    """The Lambda was killed here (no ``except Exception`` catches it)."""


def once(fn: Callable[..., Any]) -> Callable[..., Any]:
    state = {"armed": True}

    def crashing(*args: Any, **kwargs: Any) -> Any:
        if state["armed"]:
            state["armed"] = False
            raise Crash()
        return fn(*args, **kwargs)

    return crashing


def throttled_once(fn: Callable[..., Any]) -> Callable[..., Any]:
    from botocore.exceptions import ClientError

    state = {"armed": True}

    def failing(*args: Any, **kwargs: Any) -> Any:
        if state["armed"]:
            state["armed"] = False
            raise ClientError({"Error": {"Code": "Throttling", "Message": "slow"}}, "SendRawEmail")
        return fn(*args, **kwargs)

    return failing


def advance(monkeypatch: Any, seconds: float) -> None:
    monkeypatch.setenv(clock.ENV_OFFSET, repr(clock.offset_seconds() + seconds))
    clock.reset()


def deliver_queue(monkeypatch: Any) -> int:
    """The delivery queue's event source: a batch whose worker is killed (or a record the
    handler reported failed) comes back after the visibility timeout (the clock moves on by
    that much)."""
    from chalicelib.config import settings

    sqs = boto3.client("sqs", region_name=REGION)
    url = queue_url(settings().delivery_queue)
    handled = 0
    for _ in range(20):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=5).get("Messages", [])
        if not got:
            return handled
        event = {
            "Records": [lambda_record(m, f"arn:aws:sqs:{REGION}:{ACCOUNT}:x", REGION) for m in got]
        }
        try:
            result = handler("invoice_delivery")(event, LambdaContext())
        except (Crash, Exception):
            failed = got  # the whole batch comes back
        else:  # only the records it reported failed come back
            ids = failed_ids(result, [m["MessageId"] for m in got])
            failed = [m for m in got if m["MessageId"] in ids]
        done = [m for m in got if m not in failed]
        handled += len(done)
        if done:
            sqs.delete_message_batch(
                QueueUrl=url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)
                ],
            )
        if failed:
            advance(monkeypatch, 360)  # the visibility timeout passes
            sqs.change_message_visibility_batch(
                QueueUrl=url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                    for i, m in enumerate(failed)
                ],
            )
    return handled


def settle(monkeypatch: Any) -> None:
    """Time passes: queues drain, the sweeper runs every 10 minutes."""
    for _ in range(4):
        deliver_queue(monkeypatch)
        advance(monkeypatch, 600)
        run_schedule("handover_sweeper")
        deliver_queue(monkeypatch)


STEPS = {
    # the issuing worker, right after the issue transaction
    "after_issue": lambda m, inv, dlv: m.setattr(inv, "render_pdf", once(inv.render_pdf)),
    "storing_pdf": lambda m, inv, dlv: m.setattr(inv, "store_pdf", once(inv.store_pdf)),
    "own_send": lambda m, inv, dlv: m.setattr(dlv, "_email", once(dlv._email)),
    # its send throttled, killed while handing the e-mail to the delivery queue
    "hand_over": lambda m, inv, dlv: (
        m.setattr(dlv, "_email", throttled_once(dlv._email)),
        m.setattr(inv, "hand_over", once(inv.hand_over)),
    ),
    # the delivery worker, after its claim: before the PDF, before the e-mail
    "queue_pdf": lambda m, inv, dlv: (
        m.setattr(dlv, "_email", throttled_once(dlv._email)),
        m.setattr(dlv, "_pdf_for", once(dlv._pdf_for)),
    ),
    "queue_send": lambda m, inv, dlv: (m.setattr(dlv, "_email", throttled_once(once(dlv._email))),),
}


@pytest.mark.parametrize("step", sorted(STEPS))
def test_killed_at_every_step_every_email_is_sent_once(world, monkeypatch, step: str) -> None:
    from chalicelib.services import delivery, invoicing
    from chalicelib.store import invoices as store

    load_tariffs()
    readings_for_world(world)
    contract = world.contracts["individual_heat"]
    with monkeypatch.context() as m:
        STEPS[step](m, invoicing, delivery)
        try:
            invoicing.issue(world.individual, contract, "2026-10")
            deliver_queue(monkeypatch)
        except Crash:
            pass
    [inv] = [
        i for i in store.invoices_and_deliveries(world.individual) if isinstance(i, store.Invoice)
    ]
    settle(monkeypatch)
    mails = sent_emails()
    assert len(mails) == 1, step
    assert list(attachments(mails[0])) == [f"Faktura_{inv.invoice_id}.pdf"]
    _, dlv = store.invoice_with_delivery(world.individual, inv.invoice_id)
    assert dlv.status == "sent"
    # Replays of everything (the job again, the sweeper, the queue) send nothing more.
    assert invoicing.issue(world.individual, contract, "2026-10").status == "exists"
    settle(monkeypatch)
    assert len(sent_emails()) == 1


# --- the same crash matrix through the monthly pipeline ---------------------------------------
# (pricing worker → numbering stage → publishing worker → delivery queue), the path the
# monthly run takes: the numbering stage killed after its commit and before the publish
# hand-over, and the publishing worker killed at each of its steps.


def _crash_sqs_send_batch(m: Any, inv: Any, dlv: Any) -> None:
    from chalicelib.adapters import sqs

    m.setattr(sqs, "send_batch", once(sqs.send_batch))


PIPELINE_STEPS = {
    "numbered_before_publish": _crash_sqs_send_batch,
    "publish_pdf": STEPS["after_issue"],
    "publish_store": STEPS["storing_pdf"],
    "publish_send": STEPS["own_send"],
    "publish_hand_over": STEPS["hand_over"],
}


def _pipeline(monkeypatch: Any, moto_clock: Any) -> None:
    """Every stage drained; work whose worker was killed comes back after the visibility
    timeout (moto's clock and the product's move on), the sweeper runs every 10 minutes."""
    from chalicelib.config import settings
    from tests.integration.invoicing_helpers import drain

    queue = settings().invoicing_queue
    for _ in range(4):
        for q, name in (
            (queue, "invoicing_worker"),
            (f"{queue}-numbering.fifo", "invoice_numbering"),
        ):
            drain(q, name, max_batches=100)
        drain(queue, "invoicing_worker", max_batches=100)
        deliver_queue(monkeypatch)
        moto_clock.advance(361)
        advance(monkeypatch, 600)
        run_schedule("handover_sweeper")


@pytest.mark.parametrize("step", sorted(PIPELINE_STEPS))
def test_the_monthly_pipeline_killed_at_every_step_sends_every_email_once(
    world, monkeypatch, step: str
) -> None:
    from chalicelib.config import settings
    from chalicelib.services import delivery, invoicing
    from chalicelib.store import invoices as store
    from tests.integration.invoicing_helpers import drain
    from tests.integration.scale_support import MotoClock

    moto_clock = MotoClock(monkeypatch)
    load_tariffs()
    readings_for_world(world)
    queue = settings().invoicing_queue
    run_schedule("invoicing_run", {"period": "2026-10"})
    drain(queue, "invoicing_worker", max_batches=100)  # priced: drafts wait for their numbers
    with monkeypatch.context() as m:
        PIPELINE_STEPS[step](m, invoicing, delivery)
        try:
            drain(f"{queue}-numbering.fifo", "invoice_numbering", max_batches=100)
            drain(queue, "invoicing_worker", max_batches=100)  # publishing
            deliver_queue(monkeypatch)
        except Crash:
            pass
    _pipeline(monkeypatch, moto_clock)
    [inv] = [
        i for i in store.invoices_and_deliveries(world.individual) if isinstance(i, store.Invoice)
    ]
    mails = sent_emails()
    assert len(mails) == 1, step
    assert list(attachments(mails[0])) == [f"Faktura_{inv.invoice_id}.pdf"]
    assert store.invoice_with_delivery(world.individual, inv.invoice_id)[1].status == "sent"
    # Replays of everything (the month's run, the sweeper, the queues) send nothing more.
    run_schedule("invoicing_run", {"period": "2026-10"})
    _pipeline(monkeypatch, moto_clock)
    assert len(sent_emails()) == 1
