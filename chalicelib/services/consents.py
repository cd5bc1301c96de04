"""Consents (zgody): the append-only history, the current state derived from it, changes by
the customer (portal) or by staff (portal console, phone, paper form).

The e-invoice consent is also the profile flag billing reads: a change here sets both in one
transaction; switches made on the invoices page (``services.invoices.set_consent``) and in
the admin console (``note_console_edit``) appear in the same history.
"""

from __future__ import annotations

from typing import Any, TypedDict

from chalicelib.domain import clock
from chalicelib.domain import consents as rules
from chalicelib.domain.ids import new_id
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.observability import logger
from chalicelib.services.access import require_customer
from chalicelib.store import consents as store
from chalicelib.store import customers as customer_store
from chalicelib.store import preferences as preference_store
from chalicelib.store.customers import Customer


class ConsentState(TypedDict):
    kind: str
    granted: bool
    since: str | None
    clause_version: str
    clause: str
    given_version: str | None


class HistoryEntry(TypedDict):
    kind: str
    granted: bool
    at: str
    by: str
    by_role: str
    staff: bool
    channel: str
    clause_version: str | None


class ConsentsView(TypedDict):
    customer_no: str
    consents: list[ConsentState]
    history: list[HistoryEntry]
    version: int
    email_suppressed: bool


def _history(customer: Customer) -> list[rules.Change]:
    """Own records, e-invoice switches of the invoices page, and the e-invoice consent given
    at registration (before the history existed) when nothing else records it."""
    found = store.history(customer.customer_no) + store.einvoice_legacy(customer.customer_no)
    if customer.einvoice_consent and not any(c.kind == "einvoice" for c in found):
        found.append(
            rules.Change(
                kind="einvoice",
                granted=True,
                at=customer.einvoice_consent_at or "",
                by="",
                by_role="registration",
                channel="portal",
                clause_version=None,
                change_id="registration",
            )
        )
    return sorted(found, key=rules.order_key, reverse=True)


def _state(kind: str, latest: rules.Change | None, customer: Customer, lang: str) -> ConsentState:
    granted = (
        bool(customer.einvoice_consent)
        if kind == "einvoice"
        else rules.is_granted({kind: latest}, kind)
    )
    return {
        "kind": kind,
        "granted": granted,
        "since": latest.at if latest else None,
        "clause_version": rules.clause_version(kind),
        "clause": rules.clause_text(kind, lang),
        "given_version": latest.clause_version if latest and latest.granted else None,
    }


def _entry(c: rules.Change) -> HistoryEntry:
    return {
        "kind": c.kind,
        "granted": c.granted,
        "at": c.at,
        "by": c.by,
        "by_role": c.by_role,
        "staff": c.by_role not in ("customer", "building_manager", "registration", ""),
        "channel": c.channel,
        "clause_version": c.clause_version,
    }


def _customer(principal: Principal, customer_no: str) -> Customer:
    require_customer(principal, customer_no)
    customer = customer_store.get_customer(customer_no)
    if customer is None:
        raise NotFound()
    return customer


def view(principal: Principal, customer_no: str, lang: str = "pl") -> ConsentsView:
    return _view(_customer(principal, customer_no), lang)


def _view(customer: Customer, lang: str) -> ConsentsView:
    history = _history(customer)
    state = rules.current(history)
    suppressed = bool(customer.email) and bool(
        preference_store.suppressed_among([customer.email or ""])
    )
    return {
        "customer_no": customer.customer_no,
        "consents": [_state(k, state[k], customer, lang) for k in rules.KINDS],
        "history": [_entry(c) for c in history],
        "version": store.version_of(customer.customer_no),
        "email_suppressed": suppressed,
    }


def _validate(principal: Principal, body: dict[str, Any]) -> tuple[str, bool, str]:
    kind, granted = str(body["kind"]), bool(body["granted"])
    errors: list[FieldError] = []
    if kind not in rules.KINDS:
        errors.append(FieldError("kind", "consents.unknown"))
    channel = str(body.get("channel") or "portal")
    if principal.acts_for_customers and channel != "portal":
        errors.append(FieldError("channel", "consents.channel_customer"))
    if channel not in rules.STAFF_CHANNELS:
        errors.append(FieldError("channel", "consents.channel"))
    if errors:
        raise ValidationFailed(errors=errors)
    if granted and body.get("clause_version") != rules.clause_version(kind):
        raise Conflict("consents.stale_clause")
    return kind, granted, channel


def change(
    principal: Principal, customer_no: str, body: dict[str, Any], lang: str = "pl"
) -> ConsentsView:
    """Give or withdraw one consent. Setting the value it already has records nothing (a
    replay is harmless); ``version`` (if sent) refuses a change made meanwhile elsewhere."""
    customer = _customer(principal, customer_no)
    kind, granted, channel = _validate(principal, body)
    version = store.version_of(customer_no)
    if "version" in body and int(body["version"]) != version:
        raise Conflict("consents.changed_meanwhile")
    current = rules.current(_history(customer))
    already = (
        bool(customer.einvoice_consent) if kind == "einvoice" else rules.is_granted(current, kind)
    )
    if already == granted:
        return _view(customer, lang)
    entry = rules.Change(
        kind=kind,
        granted=granted,
        at=clock.now_iso(),
        by=principal.username,
        by_role=principal.role,
        channel=channel,
        clause_version=rules.clause_version(kind) if granted else None,
        change_id=new_id(),
    )
    try:
        store.record(customer_no, entry, version, set_profile=kind == "einvoice")
    except store.StaleVersion:
        raise Conflict("consents.changed_meanwhile") from None
    logger.info("consent changed", extra={"kind": kind, "granted": granted, "channel": channel})
    return _view(customer_store.get_customer(customer_no) or customer, lang)


def granted(customer_no: str, kind: str) -> bool:
    """Whether the customer currently gives ``kind`` (marketing senders ask this)."""
    customer = customer_store.get_customer(customer_no)
    if customer is None:
        return False
    if kind == "einvoice":
        return bool(customer.einvoice_consent)
    return rules.is_granted(rules.current(_history(customer)), kind)


def note_console_edit(staff: Principal, customer_no: str, changed: dict[str, Any]) -> None:
    """The admin console changed the profile's e-invoice flag: append it to the history
    (the flag itself is already written, with its audit entry)."""
    if "einvoice_consent" not in changed:
        return
    entry = rules.Change(
        kind="einvoice",
        granted=bool(changed["einvoice_consent"]),
        at=clock.now_iso(),
        by=staff.username,
        by_role=staff.role,
        channel="unknown",
        clause_version=None,
        change_id=new_id(),
    )
    for _ in range(3):
        try:
            store.record(customer_no, entry, store.version_of(customer_no), set_profile=False)
            return
        except store.StaleVersion:
            continue


def export(customer_no: str) -> list[HistoryEntry]:
    """The whole history for "Moje dane"."""
    customer = customer_store.get_customer(customer_no)
    return [_entry(c) for c in _history(customer)] if customer else []


def withdraw_marketing(staff: Principal, customer_no: str, channel: str = "paper") -> int:
    """Withdraw every marketing consent still given (an approved restriction or erasure)."""
    customer = customer_store.get_customer(customer_no)
    if customer is None:
        return 0
    done = 0
    for kind in rules.MARKETING:
        if not rules.is_granted(rules.current(_history(customer)), kind):
            continue
        entry = rules.Change(
            kind, False, clock.now_iso(), staff.username, staff.role, channel, None, new_id()
        )
        store.record(customer_no, entry, store.version_of(customer_no), set_profile=False)
        done += 1
    return done
