"""Outage notices to SMS Alert subscribers and to the watchers of addresses: fan-out per
recipient, then one SMS or e-mail each.

notifier queue: ``{outage_id, event_id}`` → phase 0: every active SMS Alert subscription in
the outage's buildings (a street's whole index only when no building is named); phase 1:
every customer watching an address there (preference centre, any city served: the
building's watchers and the whole street's), a page at a time with a cursor → sms queue:
one message per (outage, event, recipient) with its text, and per (outage, event, watched
address) for a watcher.
sms queue: claim the (outage, event, recipient) marker with a conditional put, then send;
a redelivered message finds the marker and sends nothing. An e-mail's recipient is the
customer (``email_key``; the address when no customer is known): a customer with an SMS
Alert e-mail subscription who also watches affected addresses gets one e-mail per outage
event, whichever message comes first. A watcher's e-mail follows the "outage" topic's
e-mail preference, the suppression list and the customer's language. Both handlers are
idempotent by those natural keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
from chalicelib.store import preferences as preference_store
from chalicelib.store.outages import Outage, OutageNotice
from chalicelib.store.preferences import WHOLE_STREET, OutageWatch

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
    """Where a fan-out continues: the phase (0 SMS Alert subscriptions, 1 watched
    addresses), the street and building (by position) and DynamoDB's page key within that
    building (or street, when the outage names no buildings)."""

    street: int = 0
    key: dict[str, Any] | None = None
    building: int = 0
    phase: int = 0

    def as_message(self, outage_id: str, event_id: str) -> dict[str, Any]:
        return {
            "outage_id": outage_id,
            "event_id": event_id,
            "street": self.street,
            "building": self.building,
            "cursor": self.key,
            "phase": self.phase,
        }


MAX_QUERIES = 25  # Queries per page: an outage over many small buildings fills a page


def _buildings(outage: Outage, street: int, phase: int = 0) -> list[str]:
    """The building keys to read on a street (none: the whole street at once); watchers
    of the whole street are read after the named buildings' watchers."""
    chosen = (outage.streets or [])[street]
    named = sorted({rules.building_key(str(b)) for b in chosen.buildings or []})
    return [*named, WHOLE_STREET] if named and phase == 1 else named


def _query(
    outage: Outage, at: Cursor, street_key: str, building: str | None, limit: int
) -> tuple[list[Any], dict[str, Any] | None]:
    if at.phase == 1:
        return preference_store.watchers(outage.city_key, street_key, building, limit, at.key)
    if building is not None:
        return alert_store.active_in_building(outage.city_key, street_key, building, limit, at.key)
    return alert_store.active_on_street(outage.city_key, street_key, limit, at.key)


def _one_query(outage: Outage, at: Cursor, limit: int) -> tuple[list[Any], Cursor | None]:
    """One Query: the building (or whole street) the cursor points at, and what follows
    (after the last street of phase 0, phase 1 from the first street)."""
    streets = list(outage.streets or [])
    buildings = _buildings(outage, at.street, at.phase)
    building = buildings[at.building] if buildings else None
    page, key = _query(outage, at, streets[at.street].key, building, limit)
    if key is not None:
        return page, Cursor(at.street, key, at.building, at.phase)
    if at.building + 1 < len(buildings):
        return page, Cursor(at.street, None, at.building + 1, at.phase)
    if at.street + 1 < len(streets):
        return page, Cursor(at.street + 1, phase=at.phase)
    return page, (Cursor(phase=1) if at.phase == 0 else None)


def subscribers(outage: Outage, at: Cursor, limit: int) -> tuple[list[Any], Cursor | None]:
    """One page (at most ``limit`` recipients, at most ``MAX_QUERIES`` Queries) of the
    active subscriptions in the buildings the outage touches (the whole street only when
    it names none), then of the watched addresses there, and where the next page starts.
    A recipient on two streets is told twice here; the delivery marker sends it once."""
    found: list[Any] = []
    cursor: Cursor | None = at
    queries = 0
    while cursor is not None and len(found) < limit and queries < MAX_QUERIES:
        if cursor.street >= len(outage.streets or []):
            cursor = Cursor(phase=1) if cursor.phase == 0 else None
            continue
        if cursor.building >= max(1, len(_buildings(outage, cursor.street, cursor.phase))):
            cursor = Cursor(cursor.street + 1, phase=cursor.phase)
            continue
        page, cursor = _one_query(outage, cursor, limit - len(found))
        queries += 1
        found.extend(a for a in page if _concerns(a, outage))
    return found, cursor


def _concerns(recipient: Any, outage: Outage) -> bool:
    """A watcher is told of every product; an SMS Alert of the products it names."""
    if isinstance(recipient, OutageWatch):
        return True
    return not recipient.products or outage.product in recipient.products


def _watch_message(
    outage: Outage, notice: OutageNotice, watch: OutageWatch, content: sms.Notice
) -> dict[str, Any]:
    """A watcher's message: both languages' texts (the language is the customer's, read
    when the e-mail is sent)."""
    return {
        "kind": "watch",
        "outage_id": outage.outage_id,
        "event_id": notice.event_id,
        "customer_no": watch.customer_no,
        "watch_id": watch.watch_id,
        "address": ", ".join(
            p for p in (f"{watch.street} {watch.building}".strip(), watch.city) if p
        ),
        "texts": {
            lang: {
                "subject": sms.notice_subject(content, lang),
                "text": sms.notice_text(content, lang, gsm=False),
            }
            for lang in ("pl", "en")
        },
    }


def messages_for(
    outage: Outage, notice: OutageNotice, alerts: list[Any]
) -> Iterator[dict[str, Any]]:
    content = notice_of(outage, notice)
    texts: dict[tuple[str, str], dict[str, str]] = {}
    seen: set[tuple[str, str]] = set()
    for alert in alerts:
        if isinstance(alert, OutageWatch):
            yield _watch_message(outage, notice, alert, content)
            continue
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


def email_key(customer_no: Any, address: str) -> str:
    """Whom an outage e-mail is for, once per outage event: the customer (an SMS Alert
    e-mail subscription and watched addresses of one customer are one e-mail), or the
    address when no customer is known."""
    return f"customer:{customer_no}" if customer_no else address


def _once(outage_id: str, event_id: str, channel: str, key: str, send: Callable[[], str]) -> str:
    """Claim the (outage, event, channel, key) marker, run ``send()`` ("sent", "skipped"
    or "opted_out"), confirm; a claim held already answers "duplicate", a failed send
    gives the claim back (the queue's redelivery tries again)."""
    now = clock.now()
    ttl = int(now.timestamp()) + DELIVERY_MARKER_DAYS * 86400
    # A marker left ``sending`` by a sender that died is taken over by the queue's
    # redelivery: stale after 120 s (> the 30 s Lambda timeout, < the sms queue's 180 s
    # visibility; tests/unit/test_delivery_crash_timings.py).
    stale_before = clock.iso(now - SMS_STALE_CLAIM)
    if not store.claim_delivery(
        outage_id, event_id, channel, key, clock.iso(now), ttl, stale_before
    ):
        metrics.add_metric(name="AlertDuplicates", unit="Count", value=1)
        return "duplicate"
    try:
        status = send()
    except Exception:
        store.release_delivery(outage_id, event_id, channel, key)
        raise
    if status in ("sent", "skipped"):  # final (an opted-out number's claim stays as it was)
        store.confirm_delivery(outage_id, event_id, channel, key, clock.now_iso())
    if status == "sent":
        metrics.add_metric(name="AlertsSent", unit="Count", value=1)
    return status


def deliver_watch(message: dict[str, Any]) -> str:
    """The e-mail to a customer watching an address, once per outage event and customer
    (however many of the customer's addresses it touches, and not again when the customer's
    SMS Alert e-mail went: ``email_key``), if the customer wants outage e-mails, to an
    address not suppressed, in the customer's language: ``sent``, ``skipped``,
    ``unwanted`` or ``duplicate``."""
    from chalicelib.render import preference_mail
    from chalicelib.store import customers as customer_store

    customer_no = str(message["customer_no"])
    terms = _email_terms(message)
    customer = customer_store.get_customer(customer_no) if terms is not None else None
    if terms is None or customer is None or not customer.email:
        return "unwanted"
    lang, url = terms
    chosen = message["texts"].get(lang) or message["texts"]["pl"]
    mail = preference_mail.outage_watch(
        lang, customer.name, str(message["address"]), chosen["subject"], chosen["text"], url
    )

    def send() -> str:
        sent = ses.send_email(
            [str(customer.email)], mail.subject, mail.text, mail.html, headers=mail.headers
        )
        return "skipped" if ses.was_skipped(sent) else "sent"

    key = email_key(customer_no, str(customer.email))
    return _once(str(message["outage_id"]), str(message["event_id"]), "email", key, send)


def deliver(message: dict[str, Any]) -> str:
    """Send one notice once: ``sent``, ``duplicate``, ``opted_out`` or ``unwanted``. An
    e-mail is once per outage event and customer (``email_key``), an SMS once per number."""
    if message.get("kind") == "watch":
        return deliver_watch(message)
    outage_id = str(message["outage_id"])
    channel = str(message["channel"])
    to = str(message["to"])
    text = str(message["text"])
    if channel != "sms":
        terms = _email_terms(message)
        if terms is None:
            return "unwanted"
        headers = unsubscribe_headers(terms[1])
        subject = str(message.get("subject") or "eBOK")
        key = email_key(message.get("customer_no"), to)

        def send_mail() -> str:
            sent = ses.send_email([to], subject, text, headers=headers)
            return "skipped" if ses.was_skipped(sent) else "sent"

        return _once(outage_id, str(message["event_id"]), channel, key, send_mail)

    def send_sms() -> str:
        if sns.is_opted_out(to):
            logger.info("sms skipped: number opted out", extra={"outage": outage_id})
            metrics.add_metric(name="AlertOptedOut", unit="Count", value=1)
            return "opted_out"
        sns.publish_sms(to, text if sms.is_single_sms(text) else sms.to_gsm(text)[: sms.SMS_LIMIT])
        return "sent"

    return _once(outage_id, str(message["event_id"]), channel, to, send_sms)
