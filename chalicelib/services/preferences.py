"""Preference centre (Powiadomienia): what a customer is told, through which channel, in
which language; the due-date reminder and high-bill alert; one-click unsubscribe.

Other areas ask ``wants(customer_no, topic, channel)`` before sending a non-mandatory
notice, ``language_of(customer_no)`` for the language and ``unsubscribe_url(customer_no,
topic)`` for the link and headers of ``render.mail``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from chalicelib.adapters import ses
from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain import ledger as ledger_rules
from chalicelib.domain import preferences as rules
from chalicelib.domain import sms as sms_rules
from chalicelib.domain.ids import new_id
from chalicelib.domain.outages import city_key
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.observability import logger
from chalicelib.render import preference_mail
from chalicelib.render.mail import pln
from chalicelib.services.access import require_customer
from chalicelib.store import customers as customer_store
from chalicelib.store import invoices as invoice_store
from chalicelib.store import ledger as ledger_store
from chalicelib.store import preferences as store
from chalicelib.store import reviews
from chalicelib.store.invoices import Invoice

PAGE_SIZE = 100


def wants(customer_no: str, topic: str, channel: str) -> bool:
    """Whether this customer wants ``topic`` through ``channel`` (mandatory: always)."""
    customer = customer_store.get_customer(customer_no)
    if customer is None:
        return False
    choices = store.choices_of(customer_no)
    return choices.wants(topic, channel, choices.sms_number is not None)


def language_of(customer_no: str) -> str:
    return store.choices_of(customer_no).language


def unsubscribe_url(customer_no: str, topic: str) -> str:
    """A one-click link (RFC 8058) for one topic of one customer, usable once."""
    token = rules.sign_token(settings().unsubscribe_secret, customer_no, topic, new_id())
    return f"{settings().portal_url.rstrip('/')}/unsubscribe/{token}"


# --- the page ------------------------------------------------------------------------------


def view(principal: Principal, customer_no: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    customer = customer_store.get_customer(customer_no)
    if customer is None:
        raise NotFound()
    found = store.get_preferences(customer_no)
    choices = found.choices() if found else rules.defaults()
    verified = choices.sms_number is not None
    pending = store.get_mobile_code(customer_no)
    return {
        "customer_no": customer_no,
        "language": choices.language,
        "sms_available": verified,
        "topics": [
            {
                "topic": topic,
                "channels": [c for c in allowed if c == "email" or verified],
                "chosen": [
                    c for c in choices.channels.get(topic, ()) if choices.wants(topic, c, verified)
                ],
            }
            for topic, allowed in rules.TOPICS.items()
        ],
        "mandatory": list(rules.MANDATORY),
        "reminder_days": choices.reminder_days,
        "high_bill_amount": choices.high_bill_amount,
        "high_bill_percent": choices.high_bill_percent,
        "outage_addresses": [_watch(w) for w in store.watches_of(customer_no)],
        "version": int(found.version) if found else 0,
        "sms_number": choices.sms_number,
        "sms_pending": _pending_phone(pending),
    }


# --- the SMS channel: confirming a mobile number with a code ---------------------------------


def _pending_phone(code: Any) -> str | None:
    """The number a still valid code was sent to (the page asks for the code)."""
    if code is None or int(code.attempts) >= rules.CODE_ATTEMPTS:
        return None
    return str(code.phone) if clock.now() < clock.parse_iso(code.code_expires_at) else None


def _mobile_state(status: str, phone: str | None, code: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {"status": status, "phone": phone}
    if code is not None:
        out["expires_at"] = code["code_expires_at"]
        out["resend_after"] = clock.iso(clock.parse_iso(code["sent_at"]) + rules.RESEND_AFTER)
    return out


def _code_fields(found: Any) -> dict[str, Any]:
    return {"code_expires_at": found.code_expires_at, "sent_at": found.sent_at}


def _sends_so_far(pending: Any, now: Any) -> tuple[int, str]:
    """Codes sent in the current 24-hour window and when it started."""
    if pending is None or now - clock.parse_iso(pending.window_start) >= timedelta(days=1):
        return 0, clock.iso(now)
    return int(pending.sends), str(pending.window_start)


def start_mobile(principal: Principal, customer_no: str, body: dict[str, Any]) -> dict[str, Any]:
    """Send a 6-digit code by SMS to confirm a mobile number for the SMS channel. The same
    request again within ``RESEND_AFTER`` sends nothing (a double click, a replay); at most
    ``CODES_PER_DAY`` codes a day; a number already confirmed is not sent a code."""
    from chalicelib.adapters import sns
    from chalicelib.errors import TooManyRequests

    require_customer(principal, customer_no)
    if customer_store.get_customer(customer_no) is None:
        raise NotFound()
    phone = rules.normalise_mobile(str(body["phone"]))
    if phone is None:
        raise ValidationFailed(errors=[FieldError("phone", "preferences.mobile_bad")])
    choices = store.choices_of(customer_no)
    if choices.sms_number == phone:
        return _mobile_state("verified", phone)
    now = clock.now()
    pending = store.get_mobile_code(customer_no)
    if (
        pending is not None
        and pending.phone == phone
        and now < clock.parse_iso(pending.sent_at) + rules.RESEND_AFTER
    ):
        return _mobile_state("code_sent", phone, _code_fields(pending))
    sends, window = _sends_so_far(pending, now)
    if sends >= rules.CODES_PER_DAY:
        raise TooManyRequests("preferences.too_many_codes")
    if sns.is_opted_out(phone):
        raise Conflict("preferences.sms_opted_out")
    code = rules.new_code()
    fields: dict[str, Any] = {
        "phone": phone,
        "digest": rules.code_digest(settings().unsubscribe_secret, customer_no, phone, code),
        "sent_at": clock.iso(now),
        "code_expires_at": clock.iso(now + rules.CODE_TTL),
        "attempts": 0,
        "sends": sends + 1,
        "window_start": window,
    }
    previous = str(pending.sent_at) if pending is not None else None
    if not store.put_mobile_code(customer_no, fields, previous, now + timedelta(days=1)):
        raise Conflict("preferences.changed_meanwhile")
    try:
        sns.publish_sms(phone, preference_mail.mobile_code_sms(choices.language, code))
    except Exception:
        store.drop_mobile_code(customer_no, fields["sent_at"])
        raise
    logger.info("mobile confirmation code sent", extra={"customer_no": customer_no})
    return _mobile_state("code_sent", phone, fields)


def confirm_mobile(principal: Principal, customer_no: str, body: dict[str, Any]) -> dict[str, Any]:
    """Confirm the number with the code: then SMS can be chosen. A wrong code counts one
    attempt (``CODE_ATTEMPTS`` at most); an expired or used-up code answers 409 (request a
    new one); the same confirmation again changes nothing."""
    require_customer(principal, customer_no)
    if customer_store.get_customer(customer_no) is None:
        raise NotFound()
    found = store.get_preferences(customer_no)
    choices = found.choices() if found else rules.defaults()
    pending = store.get_mobile_code(customer_no)
    if pending is None:
        if choices.sms_number:
            return _mobile_state("verified", choices.sms_number)  # confirmed already
        raise Conflict("preferences.code_expired")
    attempts = int(pending.attempts)
    if attempts >= rules.CODE_ATTEMPTS or clock.now() >= clock.parse_iso(pending.code_expires_at):
        raise Conflict("preferences.code_expired")
    secret = settings().unsubscribe_secret
    if not rules.code_matches(
        secret, customer_no, pending.phone, str(body["code"]), pending.digest
    ):
        store.count_wrong_code(customer_no, attempts)
        left = max(rules.CODE_ATTEMPTS - attempts - 1, 0)
        raise ValidationFailed(
            errors=[FieldError("code", "preferences.code_wrong", {"left": left})]
        )
    confirmed = replace(choices, sms_number=str(pending.phone))
    version = int(found.version) if found else 0
    try:
        store.confirm_mobile(customer_no, confirmed, clock.now_iso(), version, pending.sent_at)
    except store.StaleVersion:
        raise Conflict("preferences.changed_meanwhile") from None
    logger.info("mobile number confirmed", extra={"customer_no": customer_no})
    return _mobile_state("verified", confirmed.sms_number)


def remove_mobile(principal: Principal, customer_no: str) -> dict[str, Any]:
    """Forget the confirmed number: no SMS any more (the SMS choices stay for a new one)."""
    require_customer(principal, customer_no)
    if customer_store.get_customer(customer_no) is None:
        raise NotFound()
    found = store.get_preferences(customer_no)
    if found is None or not found.sms_number:
        return _mobile_state("none", None)
    try:
        store.save_preferences(
            customer_no,
            replace(found.choices(), sms_number=None),
            clock.now_iso(),
            int(found.version),
        )
    except store.StaleVersion:
        raise Conflict("preferences.changed_meanwhile") from None
    return _mobile_state("none", None)


# --- addresses watched for outage e-mails ---------------------------------------------------


def _watch(w: Any) -> dict[str, str]:
    return {"watch_id": w.watch_id, "city": w.city, "street": w.street, "building": w.building}


def _served(city: str) -> bool:
    """A city the utility serves (the gazetteer's cities; any city when it has none)."""
    from chalicelib.services import gazetteer

    served = {city_key(c) for c in gazetteer.cities()}
    return not served or city_key(city) in served


def add_outage_address(
    principal: Principal, customer_no: str, body: dict[str, Any]
) -> tuple[dict[str, str], bool]:
    """Watch an address for outage e-mails, in any city served (SMS Alert stays the free
    Wrocław service an account manager switches on). The same address again is the same
    watch (False: nothing new); at most ``MAX_WATCHED`` addresses."""
    require_customer(principal, customer_no)
    if customer_store.get_customer(customer_no) is None:
        raise NotFound()
    city, street = str(body["city"]).strip(), " ".join(str(body["street"]).split())
    building = "".join(str(body.get("building") or "").split())
    keys = rules.watch_keys(city, street, building)
    if keys is None:
        raise ValidationFailed(errors=[FieldError("street", "preferences.bad_address")])
    if not _served(city):
        raise ValidationFailed(errors=[FieldError("city", "preferences.city_not_served")])
    watch_id = rules.watch_id(keys)
    existing = {w.watch_id: w for w in store.watches_of(customer_no)}
    if watch_id in existing:
        return _watch(existing[watch_id]), False
    if len(existing) >= rules.MAX_WATCHED:
        raise Conflict("preferences.too_many_addresses")
    fields = {"city": city, "street": street, "building": building, "added_at": clock.now_iso()}
    created = store.add_watch(customer_no, watch_id, keys, fields)
    return {"watch_id": watch_id, **{k: fields[k] for k in ("city", "street", "building")}}, created


def remove_outage_address(principal: Principal, customer_no: str, watch_id: str) -> bool:
    """Stop watching (False: it was not watched, e.g. a repeated DELETE; nothing changes)."""
    require_customer(principal, customer_no)
    return store.remove_watch(customer_no, watch_id)


def _changed(base: rules.Choices, body: dict[str, Any], verified: bool) -> rules.Choices:
    errors: list[FieldError] = []
    out = base
    if "channels" in body:
        channels, bad = rules.normalise_channels(body["channels"])
        errors += [FieldError(b, "preferences.bad_channel") for b in bad]
        if not verified and any("sms" in c for c in channels.values()):
            errors.append(FieldError("channels", "preferences.sms_unverified"))
        out = replace(out, channels={**out.channels, **channels})
    if "language" in body:
        out = replace(out, language=body["language"])
    if "reminder_days" in body:
        out = replace(out, reminder_days=int(body["reminder_days"]))
    for name in ("high_bill_amount", "high_bill_percent"):
        if name in body:
            out = replace(out, **{name: body[name]})
    if errors:
        raise ValidationFailed(errors=errors)
    return out


def update(principal: Principal, customer_no: str, body: dict[str, Any]) -> dict[str, Any]:
    """Change some choices (validated whole before writing; ``version`` guards against a
    change made meanwhile in another window)."""
    require_customer(principal, customer_no)
    customer = customer_store.get_customer(customer_no)
    if customer is None:
        raise NotFound()
    found = store.get_preferences(customer_no)
    version = int(found.version) if found else 0
    if "version" in body and int(body["version"]) != version:
        raise Conflict("preferences.changed_meanwhile")
    base = found.choices() if found else rules.defaults()
    choices = _changed(base, body, base.sms_number is not None)
    try:
        store.save_preferences(customer_no, choices, clock.now_iso(), version)
    except store.StaleVersion:
        raise Conflict("preferences.changed_meanwhile") from None
    return view(principal, customer_no)


# --- one-click unsubscribe -----------------------------------------------------------------


def unsubscribe(token: str) -> bool:
    """Switch the token's topic off (every channel). A forged, foreign or used token changes
    nothing and answers False."""
    read = rules.read_token(settings().unsubscribe_secret, token)
    if read is None:
        return False
    customer_no, topic, token_id = read
    if customer_store.get_customer(customer_no) is None:
        return False
    if not store.use_token(token_id, customer_no, topic, clock.now_iso()):
        return False
    for _ in range(3):
        found = store.get_preferences(customer_no)
        base = found.choices() if found else rules.defaults()
        changed = replace(base, channels={**base.channels, topic: ()})
        try:
            store.save_preferences(
                customer_no, changed, clock.now_iso(), int(found.version) if found else 0
            )
            logger.info("unsubscribed", extra={"topic": topic})
            return True
        except store.StaleVersion:
            continue
    return False


# --- sending one notification once ----------------------------------------------------------


UNWANTED = "skipped:unwanted"  # the message id a sender records for a notice switched off


def skip_unwanted(customer_no: str, topic: str, ref: str, channel: str = "email") -> str:
    """Record (once) that a notice was not sent because the customer switched it off."""
    store.claim_notification(customer_no, topic, ref, channel, clock.now_iso(), status="unwanted")
    logger.info("notice not wanted", extra={"topic": topic, "channel": channel})
    return "unwanted"


def email_terms(customer_no: str, topic: str, ref: str) -> tuple[str, str | None] | None:
    """For a sender with its own once-only marker: the customer's language and the
    unsubscribe link (None for a mandatory notice), or None when the customer switched this
    topic's e-mail off (then recorded as ``unwanted`` for ``ref``)."""
    choices = store.choices_of(customer_no)
    if topic in rules.MANDATORY:
        return choices.language, None
    if not choices.wants(topic, "email"):
        skip_unwanted(customer_no, topic, ref, "email")
        return None
    return choices.language, unsubscribe_url(customer_no, topic)


def _address(customer: Any, channel: str, choices: rules.Choices) -> str | None:
    if channel == "sms":
        return choices.sms_number  # only a number confirmed with a code
    return str(customer.email) if customer.email else None


def _deliver(channel: str, to: str, message: Any) -> str:
    """Hand one message to SES or SNS: "sent", or "skipped" (suppressed address, number
    that opted out of SMS)."""
    if channel == "sms":
        from chalicelib.adapters import sns

        if sns.is_opted_out(to):
            return "skipped"
        sns.publish_sms(to, str(message))
        return "sent"
    message_id = ses.send_email(
        [to], message.subject, message.text, message.html, headers=message.headers
    )
    return "skipped" if ses.was_skipped(message_id) else "sent"


def send_once(customer_no: str, topic: str, ref: str, build: Any, channel: str = "email") -> str:
    """Send ``build(lang, name, unsubscribe_url)`` (a ``Mail``; for SMS the text) through
    ``channel`` once per (topic, ref) if the customer wants it: "sent", "skipped"
    (suppressed address, SMS opt-out), "unwanted" (switched off: recorded) or "done". An
    SMS in the quiet hours (``domain.sms.is_quiet``) is not sent: "held" (nothing recorded;
    ``_sms_once`` queues it again)."""
    customer = customer_store.get_customer(customer_no)
    choices = store.choices_of(customer_no)
    to = _address(customer, channel, choices) if customer is not None else None
    if customer is None or not to:
        return "unwanted"  # no address of this kind: nothing that could have been sent
    if not choices.wants(topic, channel, True):
        return skip_unwanted(customer_no, topic, ref, channel)
    if channel == "sms" and sms_rules.is_quiet(clock.now()):
        if store.get_notification(customer_no, topic, ref, channel) is not None:
            return "done"  # a replay at night: nothing to hold
        return "held"  # no SMS of this kind at night: the caller queues it again (_sms_once)
    if not store.claim_notification(customer_no, topic, ref, channel, clock.now_iso()):
        return "done"
    url = unsubscribe_url(customer_no, topic) if channel == "email" else None
    try:
        status = _deliver(channel, to, build(choices.language, customer.name, url))
    except Exception:
        store.release_notification(customer_no, topic, ref, channel)
        raise
    store.settle_notification(customer_no, topic, ref, status, channel)
    return status


def _sms_once(customer_no: str, topic: str, ref: str, build: Any, message: dict[str, Any]) -> str:
    """``send_once`` through SMS; an SMS held for the quiet hours goes back to the notices
    queue as ``message`` (its SMS part only), delayed until they end (at most 900 s a time:
    the worker looks again). Replays are harmless: the SMS is claimed once when it is sent."""
    status = send_once(customer_no, topic, ref, build, "sms")
    if status == "held":
        hold_again({**message, "only": "sms"})
    return status


def hold_again(message: dict[str, Any]) -> bool:
    """A held SMS's message back on the notices queue while the quiet hours last, delayed
    until they end (at most 900 s: SQS's longest delay); False when they are over. Nothing
    is read: a hop is one SQS call."""
    delay = sms_rules.hold_seconds(clock.now())
    if not delay:
        return False
    from chalicelib.adapters import sqs

    sqs.send_batch(settings().notices_queue, [message], delay)
    logger.info("sms held for the quiet hours", extra={"kind": message.get("kind"), "delay": delay})
    return True


@dataclass(frozen=True)
class MailGate:
    """What a sender with its own once-only claim (the invoice delivery) needs before it
    sends a non-mandatory e-mail: whether the customer wants it, in which language, the
    unsubscribe link, and whether the address is suppressed (the sender then lets
    ``adapters.ses`` skip and record it)."""

    wanted: bool
    language: str
    unsubscribe_url: str | None
    suppressed: bool


def mail_gate(customer_no: str, topic: str, ref: str, to: str) -> MailGate:
    """The preferences and the suppression list in one read; a topic switched off is
    recorded as ``unwanted`` for ``ref``."""
    choices, suppressed = store.mail_gate(customer_no, to)
    if not choices.wants(topic, "email"):
        skip_unwanted(customer_no, topic, ref, "email")
        return MailGate(False, choices.language, None, suppressed)
    return MailGate(True, choices.language, unsubscribe_url(customer_no, topic), suppressed)


def invoice_issued(customer_no: str, invoice_id: str, only: str | None = None) -> dict[str, str]:
    """After an invoice is issued (invoicing → notices queue): the "new invoice" SMS if
    chosen (the e-mail is the invoice delivery itself, ``services.delivery``) and the
    high-bill alert (``high_bill_check``). Each once per invoice: a replayed message sends
    nothing again. In the quiet hours the SMS is held (``_sms_once``); ``only="sms"`` is
    the held SMS coming back."""
    inv = invoice_store.get_invoice(customer_no, invoice_id)
    if inv is None:
        logger.warning("notices of an unknown invoice dropped", extra={"invoice_id": invoice_id})
        return {}

    def sms_text(lang: str, name: str, url: str | None) -> str:
        del name, url
        return preference_mail.invoice_sms(lang, inv.number, int(inv.gross), inv.due_date)

    message = rules.invoice_notice(customer_no, invoice_id)
    sent = {"sms": _sms_once(customer_no, "invoice_new", invoice_id, sms_text, message)}
    return sent if only == "sms" else {**sent, "high_bill": _high_bill(inv)}


# --- a booked payment ----------------------------------------------------------------------

PAYMENT_KINDS = ("payment", "transfer")  # online payments, bank transfers


def payment_notice(customer_no: str, kind: str, ref: str) -> dict[str, str]:
    """The notices-queue message of one booked payment (``payment_booked``)."""
    return {"kind": "payment_booked", "customer_no": customer_no, "entry": kind, "ref": ref}


def queue_payment_notice(customer_no: str, kind: str, ref: str) -> None:
    """After a payment is booked (or its booking replayed): queue its notice. The booking
    stands whatever happens here; the worker sends the notice once per booking."""
    from chalicelib.adapters import sqs

    try:
        sqs.send_batch(settings().notices_queue, [payment_notice(customer_no, kind, ref)])
    except Exception:
        logger.exception("payment notice not queued", extra={"kind": kind})


def payment_booked(
    customer_no: str, kind: str, ref: str, only: str | None = None
) -> dict[str, str]:
    """The "payment booked" e-mail (and SMS, if chosen) of one booked payment or transfer,
    once per booking whatever the replays: the amount, the invoices it paid and the
    balance after it, as booked. The e-mail goes at once; in the quiet hours the SMS is
    held (``_sms_once``) and ``only="sms"`` is the held SMS coming back."""
    entry = store.booked_credit(customer_no, kind, ref) if kind in PAYMENT_KINDS else None
    if entry is None:
        logger.warning("notice of an unknown booking dropped", extra={"kind": kind})
        return {}
    amount = -int(entry.amount_grosze)
    paid = tuple(str(a.invoice_no) for a in entry.allocations or [])
    balance = int(entry.balance_after or 0)
    key = f"{kind}:{ref}"

    def mail(lang: str, name: str, url: str | None) -> Any:
        return preference_mail.payment_booked(
            lang, name, customer_no, amount, entry.value_date, paid, balance, url
        )

    def sms_text(lang: str, name: str, url: str | None) -> str:
        del name, url
        return preference_mail.payment_sms(lang, amount, entry.value_date)

    message = payment_notice(customer_no, kind, ref)
    if only == "sms":
        return {"sms": _sms_once(customer_no, "payment_booked", key, sms_text, message)}
    return {
        "email": send_once(customer_no, "payment_booked", key, mail),
        "sms": _sms_once(customer_no, "payment_booked", key, sms_text, message),
    }


# --- a document made for the customer (an application's annex or letter) --------------------


def queue_document_notice(customer_no: str, document_ids: Sequence[str]) -> None:
    """After an application produced documents: queue their "new document" notices (the
    worker sends each once). The documents stand whatever happens here."""
    from chalicelib.adapters import sqs

    messages = [
        {"kind": "document_new", "customer_no": customer_no, "document_id": d} for d in document_ids
    ]
    try:
        if messages:
            sqs.send_batch(settings().notices_queue, messages)
    except Exception:
        logger.exception("document notices not queued", extra={"count": len(messages)})


def document_issued(customer_no: str, document_id: str) -> str:
    """The "new document" e-mail of one document in the customer's documents, once per
    document, if the customer wants it, in the customer's language (the document's title
    in that language)."""
    from chalicelib.store import documents as document_store

    doc = document_store.customer_document(customer_no, document_id)
    if doc is None:
        logger.warning("notice of an unknown document dropped", extra={"document": document_id})
        return "unknown"

    def build(lang: str, name: str, url: str | None) -> Any:
        title = doc.title_en if lang == "en" else doc.title_pl
        return preference_mail.document_new(lang, name, title, url)

    return send_once(customer_no, "document_new", f"doc:{document_id}", build)


def due_reminders_for(customer_no: str, today: date) -> int:
    """Reminders N days before the due date (N chosen), once per invoice."""
    balance = ledger_store.get_balance(customer_no)
    if balance is None:
        return 0
    days = store.choices_of(customer_no).reminder_days
    sent = 0
    for inv in ledger_rules.settle(balance.state()).state.open:
        if not rules.due_reminder_due(inv.due_date, today, days, inv.outstanding):
            continue

        def build(lang: str, name: str, url: str, inv: Any = inv) -> Any:
            return preference_mail.due_reminder(
                lang, name, inv.invoice_no, inv.due_date, inv.outstanding, url
            )

        if send_once(customer_no, "due_reminder", inv.invoice_no, build) == "sent":
            sent += 1
    return sent


def due_reminders_page(
    today: date, shard: int = 0, key: dict[str, Any] | None = None
) -> tuple[int, tuple[int, dict[str, Any] | None] | None]:
    """One page of accounts with an open invoice due within the longest lead time; returns
    the reminders sent and where the next page starts (None: done)."""
    horizon = (today + timedelta(days=rules.REMINDER_DAYS_MAX)).isoformat()
    accounts, next_key = reviews.accounts_page(shard, "due", horizon, PAGE_SIZE, key)
    sent = sum(due_reminders_for(c, today) for c in dict.fromkeys(accounts))
    if next_key:
        return sent, (shard, next_key)
    return sent, ((shard + 1, None) if shard + 1 < reviews.shards() else None)


def high_bill_check(customer_no: str, invoice_id: str) -> str:
    """The high-bill alert of one issued invoice (once per invoice whatever the replays)."""
    inv = invoice_store.get_invoice(customer_no, invoice_id)
    if inv is None:
        return "unwanted"
    return _high_bill(inv)


def _high_bill(inv: Invoice) -> str:
    customer_no = inv.customer_no
    choices = store.choices_of(customer_no)
    if inv.kind != "invoice" or (
        choices.high_bill_amount is None and choices.high_bill_percent is None
    ):
        return "unwanted"  # no threshold set: nothing to compare (and nothing read)
    last = (
        store.gross_of_period(
            customer_no, inv.contract_no, rules.same_month_last_year(inv.period_from)
        )
        if choices.high_bill_percent is not None
        else None
    )
    reason = rules.high_bill(
        int(inv.gross), last, choices.high_bill_amount, choices.high_bill_percent
    )
    if reason is None:
        return "unwanted"
    threshold = (
        pln(choices.high_bill_amount or 0, choices.language)
        if reason == "amount"
        else f"{choices.high_bill_percent}%"
    )

    def build(lang: str, name: str, url: str) -> Any:
        return preference_mail.high_bill(
            lang, name, inv.number, int(inv.gross), reason, threshold, url
        )

    return send_once(customer_no, "high_bill", inv.invoice_id, build)


# --- staff ------------------------------------------------------------------------------------


def suppressions(principal: Principal) -> dict[str, Any]:
    del principal  # roles are checked by the route
    return {
        "items": [
            {"email": s.email, "reason": s.reason, "detail": s.detail, "at": s.at}
            for s in store.suppressions_page()
        ]
    }


# --- SES feedback (bounces and complaints) ------------------------------------------------

TRANSIENT_KEEP = timedelta(days=90)


def handle_feedback(body: Any) -> str:
    """One SES bounce/complaint notification from the bounces queue (jobs.bounces): permanent
    bounces and complaints suppress each address (adapters.ses then sends nothing to it and
    records the skipped send); transient bounces are counted. Idempotent by the feedback id
    (a redelivery changes nothing). Returns what happened, for the batch's tally."""
    from chalicelib.domain import bounces

    try:
        feedback = bounces.parse(body)
    except bounces.NotFeedback as exc:
        logger.warning("not an SES bounce or complaint; dropped", extra={"why": str(exc)})
        return "ignored"
    now = clock.now_iso()
    if feedback.suppresses:
        added = [
            store.suppress(a, feedback.kind, feedback.detail, now, feedback.feedback_id)
            for a in feedback.addresses
        ]
        logger.info("addresses suppressed", extra={"kind": feedback.kind, "new": sum(added)})
        return "suppressed" if any(added) else "repeat"
    expires = clock.now() + TRANSIENT_KEEP
    counted = [
        store.count_transient(a, feedback.feedback_id, feedback.detail, now, expires)
        for a in feedback.addresses
    ]
    return "transient" if any(counted) else "repeat"


def address_flags(
    principal: Principal, manager_id: str | None, cursor: str | None
) -> dict[str, Any]:
    """The account manager's customers whose e-mail address SES reported as bouncing or
    complaining: collect a new address. One page of the manager's customers (100) per call,
    their profiles (BatchGet) and the suppression list (BatchGet)."""
    from chalicelib.store import paging

    if principal.role == "account_manager":
        if manager_id and manager_id != principal.manager_id:
            raise NotFound()
        manager_id = principal.manager_id
    if not manager_id:
        raise ValidationFailed(errors=[FieldError("manager_id", "preferences.manager_needed")])
    names = ("PK", "SK", "GSI1PK", "GSI1SK")
    try:
        start = paging.decode(cursor, names)
    except paging.BadCursor:
        raise ValidationFailed(errors=[FieldError("cursor", "preferences.bad_cursor")]) from None
    numbers, following = store.manager_customers_page(manager_id, PAGE_SIZE, start)
    found = store.profiles(numbers)
    blocked = store.suppressed_among([c.email for c in found if c.email])
    items = []
    for c in sorted(found, key=lambda c: c.customer_no):
        email = (c.email or "").strip().lower()
        if email and email in blocked:
            s = store.get_suppression(email)
            items.append(
                {
                    "customer_no": c.customer_no,
                    "name": c.name,
                    "email": email,
                    "reason": s.reason if s else "bounce",
                    "detail": s.detail if s else None,
                    "at": s.at if s else "",
                }
            )
    return {"items": items, "cursor": paging.encode(following)}
