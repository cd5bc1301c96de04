"""Outage notices to SMS Alert subscribers: fan-out per subscriber, then one SMS each.

notifier queue: ``{outage_id, event_id}`` → every active subscription in the outage's
buildings (a street's whole index only when no building is named), a page at a time with a
cursor → sms queue: one message per (outage, event, recipient) with its text.
sms queue: claim the (outage, event, recipient) marker with a conditional put, then send;
a redelivered message finds the marker and sends nothing. Chalice cannot report partial
batch failures, so both handlers are idempotent by that natural key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chalicelib.adapters import ses, sns, sqs
from chalicelib.config import settings
from chalicelib.domain import clock, sms
from chalicelib.domain import outages as rules
from chalicelib.observability import logger, metrics
from chalicelib.render.mail import unsubscribe_headers
from chalicelib.store import alerts as alert_store
from chalicelib.store import outages as store
from chalicelib.store.alerts import AlertSubscription
from chalicelib.store.outages import Outage, OutageNotice

DELIVERY_MARKER_DAYS = 90
SMS_STALE_CLAIM = timedelta(seconds=120)
PAGE_SIZE = 500  # recipients per notifier message


def notice_of(outage: Outage, notice: OutageNotice) -> sms.Notice:
    return sms.Notice(
        event=notice.event,
        kind=outage.kind,
        product=outage.product,
        city=outage.city,
        streets=tuple(
            sms.NoticeStreet(s.name, tuple(str(b) for b in s.buildings or []))
            for s in outage.streets or []
        ),
        starts_at=clock.parse_iso(outage.starts_at),
        expected_end_at=clock.parse_iso(notice.expected_end_at),
        ended_at=clock.parse_iso(notice.ended_at) if notice.ended_at else None,
    )


@dataclass(frozen=True)
class Cursor:
    """Where a fan-out continues: the street and building (by position) and DynamoDB's
    page key within that building (or street, when the outage names no buildings)."""

    street: int = 0
    key: dict[str, Any] | None = None
    building: int = 0

    def as_message(self, outage_id: str, event_id: str) -> dict[str, Any]:
        return {
            "outage_id": outage_id,
            "event_id": event_id,
            "street": self.street,
            "building": self.building,
            "cursor": self.key,
        }


MAX_QUERIES = 25  # Queries per page: an outage over many small buildings fills a page


def _buildings(outage: Outage, street: int) -> list[str]:
    chosen = (outage.streets or [])[street]
    return sorted({rules.building_key(str(b)) for b in chosen.buildings or []})


def _one_query(
    outage: Outage, at: Cursor, limit: int
) -> tuple[list[AlertSubscription], Cursor | None]:
    """One Query: the building (or whole street) the cursor points at, and what follows."""
    streets = list(outage.streets or [])
    street = streets[at.street]
    buildings = _buildings(outage, at.street)
    if buildings:
        page, key = alert_store.active_in_building(
            outage.city_key, street.key, buildings[at.building], limit, at.key
        )
    else:
        page, key = alert_store.active_on_street(outage.city_key, street.key, limit, at.key)
    if key is not None:
        return page, Cursor(at.street, key, at.building)
    if at.building + 1 < len(buildings):
        return page, Cursor(at.street, None, at.building + 1)
    return page, (Cursor(at.street + 1) if at.street + 1 < len(streets) else None)


def subscribers(
    outage: Outage, at: Cursor, limit: int
) -> tuple[list[AlertSubscription], Cursor | None]:
    """One page (at most ``limit`` subscriptions, at most ``MAX_QUERIES`` Queries) of the
    active subscriptions in the buildings the outage touches (the whole street only when
    it names none), and where the next page starts. A recipient on two streets is told
    twice here; the delivery marker sends it once."""
    found: list[AlertSubscription] = []
    cursor: Cursor | None = at
    queries = 0
    while cursor is not None and len(found) < limit and queries < MAX_QUERIES:
        if cursor.street >= len(outage.streets or []):
            return found, None
        if cursor.building >= max(1, len(_buildings(outage, cursor.street))):
            cursor = Cursor(cursor.street + 1)
            continue
        page, cursor = _one_query(outage, cursor, limit - len(found))
        queries += 1
        found.extend(a for a in page if not a.products or outage.product in a.products)
    return found, cursor


def messages_for(
    outage: Outage, notice: OutageNotice, alerts: list[AlertSubscription]
) -> Iterator[dict[str, Any]]:
    content = notice_of(outage, notice)
    texts: dict[tuple[str, str], dict[str, str]] = {}
    seen: set[tuple[str, str]] = set()
    for alert in alerts:
        if (alert.channel, alert.to) in seen:
            continue
        seen.add((alert.channel, alert.to))
        key = (alert.channel, alert.lang or "pl")
        if key not in texts:
            if alert.channel == "sms":
                texts[key] = {"text": sms.notice_text(content, key[1])}
            else:
                texts[key] = {
                    "text": sms.notice_text(content, key[1], gsm=False),
                    "subject": sms.notice_subject(content, key[1]),
                }
        yield {
            "outage_id": outage.outage_id,
            "event_id": notice.event_id,
            "channel": alert.channel,
            "to": alert.to,
            "customer_no": alert.customer_no,
            **texts[key],
        }


def fan_out(
    outage_id: str, event_id: str, at: Cursor | None = None, page_size: int | None = None
) -> tuple[int, Cursor | None]:
    """One page of recipients → one sms-queue message each. Returns how many were queued
    and where the next page starts; the caller queues that continuation, so no single
    invocation grows with the number of subscribers. A redelivered page queues its
    messages again (the sms handler drops them as duplicates)."""
    records = store.outage_records(outage_id)
    notice = records.notice(event_id) if records is not None else None
    if records is None or notice is None:
        logger.warning("notice for an unknown outage", extra={"outage": outage_id})
        return 0, None
    outage = records.outage
    if outage.status == "closed" and notice.event != "closed":
        # Held over the night and overtaken by the closure: only the closure is news.
        logger.info("stale notice skipped", extra={"outage": outage_id, "event": event_id})
        return 0, None
    alerts, following = subscribers(outage, at or Cursor(), page_size or PAGE_SIZE)
    queued = sqs.send_batch(settings().sms_queue, messages_for(outage, notice, alerts))
    if following is not None:
        sqs.send_batch(settings().notifier_queue, [following.as_message(outage_id, event_id)])
    logger.info(
        "notice fanned out",
        extra={
            "outage": outage_id,
            "event": event_id,
            "count": queued,
            "more": following is not None,
        },
    )
    return queued, following


def _email_terms(message: dict[str, Any]) -> tuple[str, str | None] | None:
    """An e-mail notice of a customer's subscription follows the customer's "outage"
    e-mail preference (None: switched off, recorded); others (no customer) go as they are."""
    customer_no = message.get("customer_no")
    if not customer_no:
        return "pl", None
    from chalicelib.services import preferences

    ref = f"{message['outage_id']}#{message['event_id']}"
    return preferences.email_terms(str(customer_no), "outage", ref)


def deliver(message: dict[str, Any]) -> str:
    """Send one notice once: ``sent``, ``duplicate``, ``opted_out`` or ``unwanted``."""
    outage_id = str(message["outage_id"])
    event_id = str(message["event_id"])
    channel = str(message["channel"])
    to = str(message["to"])
    text = str(message["text"])
    terms = _email_terms(message) if channel == "email" else None
    if channel == "email" and terms is None:
        return "unwanted"
    now = clock.now()
    ttl = int(now.timestamp()) + DELIVERY_MARKER_DAYS * 86400
    # A marker left ``sending`` by a sender that died is taken over by the queue's
    # redelivery: stale after 120 s (> the 30 s Lambda timeout, < the sms queue's 180 s
    # visibility; tests/unit/test_delivery_crash_timings.py).
    stale_before = clock.iso(now - SMS_STALE_CLAIM)
    if not store.claim_delivery(
        outage_id, event_id, channel, to, clock.iso(now), ttl, stale_before
    ):
        metrics.add_metric(name="AlertDuplicates", unit="Count", value=1)
        return "duplicate"
    try:
        if channel == "sms":
            if sns.is_opted_out(to):
                logger.info("sms skipped: number opted out", extra={"outage": outage_id})
                metrics.add_metric(name="AlertOptedOut", unit="Count", value=1)
                return "opted_out"
            if not sms.is_single_sms(text):
                text = sms.to_gsm(text)[: sms.SMS_LIMIT]
            sns.publish_sms(to, text)
        else:
            url = terms[1] if terms else None
            headers = unsubscribe_headers(url)
            ses.send_email([to], str(message.get("subject") or "eBOK"), text, headers=headers)
    except Exception:
        # Undo the claim so that the queue's redelivery tries again.
        store.release_delivery(outage_id, event_id, channel, to)
        raise
    store.confirm_delivery(outage_id, event_id, channel, to, clock.now_iso())
    metrics.add_metric(name="AlertsSent", unit="Count", value=1)
    return "sent"
