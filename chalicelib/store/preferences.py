"""Notification preferences, sent-notification markers, suppressed addresses, unsubscribe
token uses and the reminder/demand markers that dunning reads.

Keys:
- ``CUST#<no> / PREFS``: the customer's choices (language too), in the customer's collection;
- ``CUST#<no> / NOTIFY#<topic>#<ref>[#sms]``: one notification sent (or skipped) once per
  natural key (invoice + topic) and channel, written with ``attribute_not_exists`` before
  sending; status ``unwanted`` records a notice the customer's preferences switched off;
- ``ADDR#<email> / SUPPRESSED``: an address SES reported as bouncing or complaining;
  GSI1 = (``SUPPRESSIONS``, ``<at>#<email>``) lists them for account managers;
- ``ADDR#<email> / SKIP#<at>#<id>``: a send the adapter refused to a suppressed address;
- ``ADDR#<email> / SOFT#<feedback id>``: a transient bounce, counted once per SES feedback
  (TTL 90 days);
- ``UNSUB#<token id> / USED``: a one-click unsubscribe token already used (no replay);
- ``CUST#<no> / MOBILECODE``: the code sent to confirm a mobile number for SMS (hash,
  attempts, sends in the last 24 h; TTL one day); confirming it writes the number into
  ``PREFS`` and deletes it in one transaction;
- ``CUST#<no> / WATCH#<watch id>``: an address the customer watches for outage e-mails
  (any city served); GSI1 = (``WATCH#<CITY>``, ``STREET#<STREET>#<BUILDING|*>#<no>#<id>``)
  finds the watchers of a street, or of one building and of the whole street, by Query.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from pynamodb.attributes import Attribute, NumberAttribute, UnicodeAttribute
from pynamodb.constants import STRING
from pynamodb.exceptions import DeleteError, PutError, TransactWriteError, UpdateError

from chalicelib.domain import preferences as rules
from chalicelib.store.base import Item, save_new, transaction
from chalicelib.store.customers import customer_pk
from chalicelib.store.ledger import NoticeSent, arrears_notice, ledger_pk, notice_sk

SUPPRESSIONS = "SUPPRESSIONS"


def prefs_sk() -> str:
    return "PREFS"


def notify_sk(topic: str, ref: str, channel: str = "email") -> str:
    """The e-mail keeps the original key; other channels have their own marker."""
    suffix = "" if channel == "email" else f"#{channel}"
    return f"NOTIFY#{topic}#{ref}{suffix}"


def address_pk(email: str) -> str:
    return f"ADDR#{email.strip().lower()}"


def skip_sk(at: str, skip_id: str) -> str:
    return f"SKIP#{at}#{skip_id}"


def token_pk(token_id: str) -> str:
    return f"UNSUB#{token_id}"


class JsonAttr(Attribute[Any]):
    attr_type = STRING

    def serialize(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def deserialize(self, value: str) -> Any:
        return json.loads(value)


class Preferences(Item, discriminator="Preferences"):
    """Centrum powiadomień of one customer account. SK=PREFS."""

    customer_no = UnicodeAttribute()
    language = UnicodeAttribute(default="pl")
    channels = JsonAttr()  # topic -> [channel]
    reminder_days = NumberAttribute(default=rules.REMINDER_DAYS_DEFAULT)
    high_bill_amount = NumberAttribute(null=True)
    high_bill_percent = NumberAttribute(null=True)
    sms_number = UnicodeAttribute(null=True)  # confirmed with a code (MobileCode)
    updated_at = UnicodeAttribute()
    version = NumberAttribute(default=1)

    def choices(self) -> rules.Choices:
        return rules.Choices(
            channels={k: tuple(v) for k, v in dict(self.channels or {}).items()},
            reminder_days=int(self.reminder_days),
            high_bill_amount=None if self.high_bill_amount is None else int(self.high_bill_amount),
            high_bill_percent=None
            if self.high_bill_percent is None
            else int(self.high_bill_percent),
            language=self.language or "pl",
            sms_number=self.sms_number,
        )


class Notification(Item, discriminator="Notification"):
    """A notification sent (or skipped) once per topic and natural key."""

    customer_no = UnicodeAttribute()
    topic = UnicodeAttribute()
    ref = UnicodeAttribute()
    channel = UnicodeAttribute()
    status = UnicodeAttribute()  # claimed | sent | skipped | unwanted
    at = UnicodeAttribute()


class Suppression(Item, discriminator="Suppression"):
    """An address SES reported (bounce or complaint): nothing more is sent to it."""

    email = UnicodeAttribute()
    reason = UnicodeAttribute()  # bounce | complaint
    detail = UnicodeAttribute(null=True)
    at = UnicodeAttribute()
    feedback_id = UnicodeAttribute()


class SkippedSend(Item, discriminator="SkippedSend"):
    email = UnicodeAttribute()
    subject = UnicodeAttribute()
    at = UnicodeAttribute()


class TokenUse(Item, discriminator="TokenUse"):
    customer_no = UnicodeAttribute()
    topic = UnicodeAttribute()
    at = UnicodeAttribute()


# --- preferences ---------------------------------------------------------------------------


def get_preferences(customer_no: str) -> Preferences | None:
    try:
        return Preferences.get(customer_pk(customer_no), prefs_sk())
    except Preferences.DoesNotExist:
        return None


def choices_of(customer_no: str) -> rules.Choices:
    found = get_preferences(customer_no)
    return found.choices() if found else rules.defaults()


def _preferences_item(customer_no: str, choices: rules.Choices, at: str, version: int) -> Any:
    return Preferences(
        customer_pk(customer_no),
        prefs_sk(),
        customer_no=customer_no,
        language=choices.language,
        channels={k: list(v) for k, v in choices.channels.items()},
        reminder_days=choices.reminder_days,
        high_bill_amount=choices.high_bill_amount,
        high_bill_percent=choices.high_bill_percent,
        sms_number=choices.sms_number,
        updated_at=at,
        version=version + 1,
    )


def _version_condition(version: int) -> Any:
    return Item.PK.does_not_exist() if version == 0 else Preferences.version == version


def save_preferences(customer_no: str, choices: rules.Choices, at: str, version: int) -> int:
    """Write the choices if the stored version is still ``version`` (0: none stored yet);
    returns the new version; raises ``StaleVersion`` otherwise (no lost update)."""
    item = _preferences_item(customer_no, choices, at, version)
    condition = _version_condition(version)
    try:
        item.save(condition=condition)
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise StaleVersion() from exc
        raise
    return version + 1


class StaleVersion(Exception):
    """The preferences changed since they were read."""


def stored_version(customer_no: str) -> int:
    found = get_preferences(customer_no)
    return int(found.version) if found else 0


# --- notifications sent once per natural key -----------------------------------------------


def claim_notification(
    customer_no: str, topic: str, ref: str, channel: str, at: str, status: str = "claimed"
) -> bool:
    """Write the marker of (topic, ref, channel) unless one exists (False then). With
    ``status="unwanted"`` it records a notice that was not sent because the customer
    switched it off."""
    marker = Notification(
        customer_pk(customer_no),
        notify_sk(topic, ref, channel),
        customer_no=customer_no,
        topic=topic,
        ref=ref,
        channel=channel,
        status=status,
        at=at,
    )
    return save_new(marker)


def settle_notification(
    customer_no: str, topic: str, ref: str, status: str, channel: str = "email"
) -> None:
    Notification(customer_pk(customer_no), notify_sk(topic, ref, channel)).update(
        actions=[Notification.status.set(status)]
    )


def release_notification(customer_no: str, topic: str, ref: str, channel: str = "email") -> None:
    Notification(customer_pk(customer_no), notify_sk(topic, ref, channel)).delete()


def get_notification(
    customer_no: str, topic: str, ref: str, channel: str = "email"
) -> Notification | None:
    try:
        return Notification.get(customer_pk(customer_no), notify_sk(topic, ref, channel))
    except Notification.DoesNotExist:
        return None


def notifications_of(customer_no: str, limit: int = 500) -> list[Notification]:
    return list(
        Notification.query(customer_pk(customer_no), Item.SK.startswith("NOTIFY#"), limit=limit)
    )


# --- dunning: what was actually sent --------------------------------------------------------


def arrears_sent_on(customer_no: str, invoice_no: str, stages: Sequence[int]) -> dict[int, date]:
    """Stage -> day (UTC date of the marker) of the arrears notices already sent."""
    out: dict[int, date] = {}
    for stage in stages:
        try:
            found = NoticeSent.get(
                ledger_pk(customer_no), notice_sk(arrears_notice(invoice_no, stage))
            )
        except NoticeSent.DoesNotExist:
            continue
        out[stage] = date.fromisoformat(found.sent_at[:10])
    return out


# --- suppressed addresses --------------------------------------------------------------------


def suppress(email: str, reason: str, detail: str | None, at: str, feedback_id: str) -> bool:
    """Record a suppression (once per address; a repeat notification changes nothing)."""
    item = Suppression(
        address_pk(email),
        "SUPPRESSED",
        email=email.strip().lower(),
        reason=reason,
        detail=detail,
        at=at,
        feedback_id=feedback_id,
    )
    item.GSI1PK = SUPPRESSIONS
    item.GSI1SK = f"{at}#{email.strip().lower()}"
    return save_new(item)


def lift_suppression(email: str) -> None:
    Suppression(address_pk(email), "SUPPRESSED").delete()


def mail_gate(customer_no: str, email: str) -> tuple[rules.Choices, bool]:
    """The customer's choices and whether ``email`` is suppressed: one BatchGetItem."""
    keys = [(customer_pk(customer_no), prefs_sk()), (address_pk(email), "SUPPRESSED")]
    found = list(Item.batch_get(keys))
    prefs = next((i for i in found if isinstance(i, Preferences)), None)
    suppressed = any(isinstance(i, Suppression) for i in found)
    return (prefs.choices() if prefs else rules.defaults()), suppressed


def suppressed_among(emails: Iterable[str]) -> set[str]:
    keys = {address_pk(e) for e in emails if e}
    if not keys:
        return set()
    found = Suppression.batch_get([(k, "SUPPRESSED") for k in keys])
    return {s.email for s in found}


def get_suppression(email: str) -> Suppression | None:
    try:
        return Suppression.get(address_pk(email), "SUPPRESSED")
    except Suppression.DoesNotExist:
        return None


def suppressions_page(limit: int = 100) -> list[Suppression]:
    return [
        i
        for i in Item.gsi1.query(SUPPRESSIONS, scan_index_forward=False, limit=limit)
        if isinstance(i, Suppression)
    ]


def record_skipped(email: str, subject: str, at: str, skip_id: str) -> None:
    SkippedSend(
        address_pk(email), skip_sk(at, skip_id), email=email.lower(), subject=subject, at=at
    ).save()


def skipped_sends(email: str, limit: int = 50) -> list[SkippedSend]:
    return list(
        SkippedSend.query(
            address_pk(email), Item.SK.startswith("SKIP#"), scan_index_forward=False, limit=limit
        )
    )


# --- one-click unsubscribe tokens ------------------------------------------------------------


def use_token(token_id: str, customer_no: str, topic: str, at: str) -> bool:
    """Mark a token used; False when it was used before (a replay changes nothing)."""
    try:
        TokenUse(token_pk(token_id), "USED", customer_no=customer_no, topic=topic, at=at).save(
            condition=Item.PK.does_not_exist()
        )
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


# --- the booked payment a "payment booked" notice tells of ----------------------------------


def booked_credit(customer_no: str, kind: str, ref: str) -> Any:
    """The ledger entry of a booked payment or transfer (None: not booked)."""
    from chalicelib.store.ledger import LedgerEntry, entry_sk

    try:
        return LedgerEntry.get(ledger_pk(customer_no), entry_sk(kind.upper(), ref))
    except LedgerEntry.DoesNotExist:
        return None


# --- invoices the high-bill alert compares ---------------------------------------------------


def gross_of_period(customer_no: str, contract_no: str, period: str) -> int | None:
    """The gross of the (non-correcting) invoice of ``contract_no`` for ``period``
    (``YYYY-MM``), read among invoices issued in that month and the three after it."""
    from chalicelib.store.invoices import Invoice

    y, m = (int(x) for x in period.split("-"))
    end_m = m + 3
    end = f"{y + (end_m - 1) // 12:04d}-{(end_m - 1) % 12 + 1:02d}"
    for item in Item.query(
        customer_pk(customer_no), Item.SK.between(f"INV#{period}", f"INV#{end}#~")
    ):
        if (
            isinstance(item, Invoice)
            and item.contract_no == contract_no
            and item.period == period
            and item.kind == "invoice"
        ):
            return int(item.gross)
    return None


# --- SES feedback: transient bounces counted, once per feedback ------------------------------


class TransientBounce(Item, discriminator="TransientBounce"):
    """One transient (soft) bounce of an address: counted, never suppressing; keyed by the
    SES feedback id, so a redelivered notification counts once. SK=SOFT#<feedback id>; TTL."""

    email = UnicodeAttribute()
    at = UnicodeAttribute()
    detail = UnicodeAttribute(null=True)


def count_transient(email: str, feedback_id: str, detail: str, at: str, expires: datetime) -> bool:
    """Record one transient bounce of ``email`` (False: this feedback was counted before)."""
    item = TransientBounce(
        address_pk(email), f"SOFT#{feedback_id}", email=email.strip().lower(), at=at, detail=detail
    )
    item.expires_at = expires
    return save_new(item)


def transient_count(email: str, limit: int = 100) -> int:
    """Transient bounces of the address still kept (90 days), at most ``limit``."""
    return sum(
        1
        for _ in TransientBounce.query(address_pk(email), Item.SK.startswith("SOFT#"), limit=limit)
    )


# --- the account manager's flag: customers whose address is suppressed -----------------------


def manager_customers_page(
    manager_id: str, limit: int, cursor: dict[str, Any] | None
) -> tuple[list[str], dict[str, Any] | None]:
    """One page of the manager's customer numbers (pattern 4) and where the next starts."""
    from chalicelib.store.customers import manager_pk

    found = Item.gsi1.query(
        manager_pk(manager_id),
        Item.GSI1SK.startswith("CUST#"),
        limit=limit,
        last_evaluated_key=cursor,
    )
    numbers = [str(i.GSI1SK).removeprefix("CUST#") for i in found]
    return numbers, found.last_evaluated_key


def profiles(customer_nos: Sequence[str]) -> list[Any]:
    """The customers' profiles (BatchGet)."""
    from chalicelib.store.customers import PROFILE_SK, Customer

    keys = [(customer_pk(no), PROFILE_SK) for no in dict.fromkeys(customer_nos)]
    return list(Customer.batch_get(keys)) if keys else []


# --- confirming a mobile number for SMS -------------------------------------------------------


class MobileCode(Item, discriminator="MobileCode"):
    """The pending confirmation of a mobile number. SK=MOBILECODE; TTL one day."""

    customer_no = UnicodeAttribute()
    phone = UnicodeAttribute()
    digest = UnicodeAttribute()
    sent_at = UnicodeAttribute()
    code_expires_at = UnicodeAttribute()
    attempts = NumberAttribute(default=0)
    sends = NumberAttribute(default=1)  # codes sent since window_start
    window_start = UnicodeAttribute()


MOBILE_CODE_SK = "MOBILECODE"


def get_mobile_code(customer_no: str) -> MobileCode | None:
    try:
        return MobileCode.get(customer_pk(customer_no), MOBILE_CODE_SK)
    except MobileCode.DoesNotExist:
        return None


def put_mobile_code(
    customer_no: str, code: dict[str, Any], previous_sent_at: str | None, expires: datetime
) -> bool:
    """Write the pending code unless another request wrote one meanwhile (False then):
    ``code`` holds phone, digest, sent_at, code_expires_at, sends, window_start."""
    item = MobileCode(customer_pk(customer_no), MOBILE_CODE_SK, customer_no=customer_no, **code)
    item.expires_at = expires
    condition = (
        Item.PK.does_not_exist()
        if previous_sent_at is None
        else MobileCode.sent_at == previous_sent_at
    )
    try:
        item.save(condition=condition)
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def drop_mobile_code(customer_no: str, sent_at: str) -> None:
    """Take back a code whose SMS could not be sent (a retry sends a new one)."""
    try:
        MobileCode(customer_pk(customer_no), MOBILE_CODE_SK).delete(
            condition=MobileCode.sent_at == sent_at
        )
    except DeleteError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise


def count_wrong_code(customer_no: str, attempts_seen: int) -> bool:
    """One more wrong attempt (conditional on the count read: two guesses at once count
    twice, never once)."""
    try:
        MobileCode(customer_pk(customer_no), MOBILE_CODE_SK).update(
            actions=[MobileCode.attempts.set(attempts_seen + 1)],
            condition=MobileCode.attempts == attempts_seen,
        )
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def confirm_mobile(
    customer_no: str, choices: rules.Choices, at: str, version: int, code_sent_at: str
) -> int:
    """The confirmed number into the preferences and the code deleted, in one transaction
    (a second confirmation of the same code finds no code). Raises ``StaleVersion``."""
    item = _preferences_item(customer_no, choices, at, version)
    try:
        with transaction() as tx:
            tx.save(item, condition=_version_condition(version))
            tx.delete(
                MobileCode(customer_pk(customer_no), MOBILE_CODE_SK),
                condition=MobileCode.sent_at == code_sent_at,
            )
    except TransactWriteError as exc:
        raise StaleVersion() from exc
    return version + 1


# --- addresses watched for outage e-mails -----------------------------------------------------

WHOLE_STREET = "*"  # the building key of a watch on a whole street


def watch_sk(watch_id: str) -> str:
    return f"WATCH#{watch_id}"


def watch_gsi(
    city_key: str, street_key: str, building_key: str, customer_no: str, watch_id: str
) -> tuple[str, str]:
    building = building_key or WHOLE_STREET
    return f"WATCH#{city_key}", f"STREET#{street_key}#{building}#{customer_no}#{watch_id}"


class OutageWatch(Item, discriminator="OutageWatch"):
    """An address one customer watches for outage e-mails. SK=WATCH#<id> (the id derives
    from the address: adding it twice is one watch); GSI1 by city, street and building."""

    customer_no = UnicodeAttribute()
    watch_id = UnicodeAttribute()
    city = UnicodeAttribute()
    street = UnicodeAttribute()
    building = UnicodeAttribute(default="")
    added_at = UnicodeAttribute()


def watches_of(customer_no: str, limit: int = 100) -> list[OutageWatch]:
    return list(
        OutageWatch.query(customer_pk(customer_no), Item.SK.startswith("WATCH#"), limit=limit)
    )


def add_watch(
    customer_no: str, watch_id: str, keys: tuple[str, str, str], fields: dict[str, str]
) -> bool:
    """Store the watch (``keys``: city, street and building keys); False when it exists."""
    gsi = watch_gsi(*keys, customer_no, watch_id)
    item = OutageWatch(
        customer_pk(customer_no),
        watch_sk(watch_id),
        customer_no=customer_no,
        watch_id=watch_id,
        city=fields["city"],
        street=fields["street"],
        building=fields["building"],
        added_at=fields["added_at"],
    )
    item.GSI1PK, item.GSI1SK = gsi
    return save_new(item)


def remove_watch(customer_no: str, watch_id: str) -> bool:
    """Delete the watch; False when there was none (a repeated DELETE)."""
    try:
        OutageWatch(customer_pk(customer_no), watch_sk(watch_id)).delete(condition=Item.PK.exists())
    except DeleteError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def drop_watches(customer_no: str) -> int:
    """Forget every watched address of the customer (erasure)."""
    found = watches_of(customer_no)
    for w in found:
        w.delete()
    return len(found)


def watchers(
    city_key: str, street_key: str, building_key: str | None, limit: int, cursor: Any = None
) -> tuple[list[OutageWatch], dict[str, Any] | None]:
    """One page of the watches on a street (``building_key`` None: every watch there), or of
    one building (``WHOLE_STREET``: those watching the whole street), and the next page."""
    prefix = f"STREET#{street_key}#" + (f"{building_key}#" if building_key else "")
    result = Item.gsi1.query(
        f"WATCH#{city_key}",
        Item.GSI1SK.startswith(prefix),
        limit=limit,
        last_evaluated_key=cursor,
    )
    page = [i for i in result if isinstance(i, OutageWatch)]
    return page, result.last_evaluated_key
