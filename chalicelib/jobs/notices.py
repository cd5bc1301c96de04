"""Daily payment notices: arrears reminders and overpayment notices (services.notices).

``payment_notices`` (07:00 UTC) reviews the run's first page and hands the next page to the
notices queue; ``payment_notices_worker`` reviews one page per page message (handing on
the next) and accounts handed over on their own. Each record alone (``jobs._sqs``).
The same worker sends an issued invoice's notices (``invoice_issued``: the "new invoice"
SMS and the high-bill alert, ``services.preferences``), handed over by invoicing. An SMS
due in the quiet hours (22:00-07:00 Warsaw, ``domain.sms.is_quiet``) comes back to this
queue delayed (``only: "sms"``) until they end.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Cron

from chalicelib.config import settings
from chalicelib.jobs._sqs import each_record
from chalicelib.lazy import lazy_module
from chalicelib.observability import logger

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.adapters import sqs
    from chalicelib.services import notices, preferences
else:
    notices = lazy_module("chalicelib.services.notices")
    preferences = lazy_module("chalicelib.services.preferences")
    sqs = lazy_module("chalicelib.adapters.sqs")

blueprint = Blueprint(__name__)

# Pages reviewed at once; each sends e-mail, so SES_SENDERS counts these (see config.json).
WORKER_CONCURRENCY = 4


@blueprint.schedule(Cron(0, 7, "*", "*", "?", "*"), name="payment_notices")
def payment_notices(event: Any) -> dict[str, Any]:
    """Every day at 07:00 UTC. ``detail.date`` (YYYY-MM-DD) runs it as of another day
    locally (``python -m devstack job payment_notices --set date=2026-12-01``);
    ``detail.run`` names a rerun (a new name starts the day's run again)."""
    raw = event.to_dict()
    detail = raw.get("detail", {}) or {}
    day = date.fromisoformat(detail["date"]) if detail.get("date") else None
    run_id = str(detail.get("run") or raw.get("id") or "") or None
    return notices.run(day, run_id=run_id, owner=run_id).as_dict()


@blueprint.schedule(Cron(0, 6, "*", "*", "?", "*"), name="due_reminders")
def due_reminders(event: Any) -> dict[str, Any]:
    """Every day at 06:00 UTC: due-date reminders N days before the due date (the customer's
    N), once per invoice (services.preferences); the next page goes to the notices queue."""
    detail = event.to_dict().get("detail", {}) or {}
    day = date.fromisoformat(detail["date"]) if detail.get("date") else clock_today()
    return _due_page(day, 0, None)


def clock_today() -> date:
    from chalicelib.domain import clock

    return clock.to_warsaw(clock.now()).date()


def _due_page(day: date, shard: int, key: dict[str, Any] | None) -> dict[str, Any]:
    sent, following = preferences.due_reminders_page(day, shard, key)
    if following is not None:
        sqs.send_batch(
            settings().notices_queue,
            [
                {
                    "kind": "due_page",
                    "day": day.isoformat(),
                    "shard": following[0],
                    "key": following[1],
                }
            ],
        )
    return {"day": day.isoformat(), "sent": sent, "more": following is not None}


def _one(body: dict[str, Any]) -> str:
    only = str(body["only"]) if body.get("only") else None  # a held SMS coming back
    if only and preferences.hold_again(body):
        return "held"  # still the quiet hours: back on the queue, nothing read
    if body.get("kind") == "invoice_issued":
        preferences.invoice_issued(str(body["customer_no"]), str(body["invoice_id"]), only)
        return "invoice_issued"
    if body.get("kind") == "payment_booked":
        c, e, r = (str(body[k]) for k in ("customer_no", "entry", "ref"))
        preferences.payment_booked(c, e, r, only)
        return "payment_booked"
    if body.get("kind") == "document_new":
        preferences.document_issued(str(body["customer_no"]), str(body["document_id"]))
        return "document_new"
    day = date.fromisoformat(str(body["day"]))
    if body.get("kind") == "due_page":
        _due_page(day, int(body.get("shard") or 0), body.get("key"))
        return "due_page"
    if body.get("kind") == "account":
        notices.review_one(str(body["customer_no"]), day)
        return "account"
    cursor = notices.Cursor.of(body.get("cursor"))
    # The owner token is written by the page that sent this message: a redelivery carries
    # the same one, a duplicate sent by a repeated page another one.
    report = notices.run(day, cursor, run_id=str(body["run"]), owner=str(body["owner"]))
    return "page" if report.accounts or not report.more else "empty_page"


@blueprint.on_sqs_message(
    queue=settings().notices_queue,
    batch_size=1,
    name="payment_notices_worker",
    maximum_concurrency=WORKER_CONCURRENCY,
)
def payment_notices_worker(event: Any) -> dict[str, Any]:
    outcome = each_record(event, _one, queue=settings().notices_queue)
    logger.info("notices batch", extra=outcome.as_dict())
    return outcome.response()
