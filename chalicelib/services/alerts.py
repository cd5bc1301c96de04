"""SMS Alert subscriptions: a customer asks, the account manager switches it on.

The service is free and only for premises in the configured cities (``settings().sms_cities``,
Wrocław by default). A request waits for the customer's own account manager; the customer
may switch an alert off at any time. Customers who prefer e-mail get the same notices by
e-mail (channel ``email``, to the address in their profile).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from chalicelib.config import settings
from chalicelib.domain import clock, identifiers
from chalicelib.domain import outages as rules
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, FieldError, NotFound, Unprocessable, ValidationFailed
from chalicelib.observability import logger
from chalicelib.services.access import require_customer
from chalicelib.store import alerts as store
from chalicelib.store.alerts import AlertSubscription
from chalicelib.store.customers import (
    Contract,
    Customer,
    CustomerManager,
    Premises,
    customer_collection,
)


def alert_id_for(premises_id: str, channel: str, to: str) -> str:
    """Deterministic: asking twice for the same premises and number is one subscription."""
    digest = hashlib.sha256(f"{channel}:{to}".encode()).hexdigest()[:12]
    return f"{premises_id}.{channel}.{digest}"


def _mask(value: str | None) -> str | None:
    if not value:
        return value
    if "@" in value:
        name, _, domain = value.partition("@")
        return name[:1] + "***@" + domain
    return value[:3] + "*" * max(0, len(value) - 6) + value[-3:]


def public(alert: AlertSubscription, full: bool = True) -> dict[str, Any]:
    return {
        "alert_id": alert.alert_id,
        "customer_no": alert.customer_no,
        "premises_id": alert.premises_id,
        "address": alert.address,
        "channel": alert.channel,
        "phone": alert.phone if full else _mask(alert.phone),
        "email": alert.email if full else _mask(alert.email),
        "lang": alert.lang,
        "products": list(alert.products or []),
        "status": alert.status,
        "requested_at": alert.requested_at,
        "decided_at": alert.decided_at,
        "switched_off_at": alert.switched_off_at,
    }


def _covered(city: str) -> bool:
    return rules.city_key(city) in {rules.city_key(c) for c in settings().sms_cities}


def list_alerts(principal: Principal, customer_no: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    alerts = sorted(store.customer_alerts(customer_no), key=lambda a: a.requested_at)
    return {
        "alerts": [public(a) for a in alerts],
        "cities": list(settings().sms_cities),
    }


@dataclass(frozen=True)
class _Account:
    """What a request needs from the customer's collection (one Query)."""

    customer: Customer
    premises: Premises | None
    manager: CustomerManager | None
    products: list[str]


def _account(customer_no: str, premises_id: str) -> _Account:
    items = customer_collection(customer_no)
    customer = next((i for i in items if isinstance(i, Customer)), None)
    if customer is None:
        raise NotFound()
    return _Account(
        customer=customer,
        premises=next(
            (p for p in items if isinstance(p, Premises) and p.premises_id == premises_id), None
        ),
        manager=next((i for i in items if isinstance(i, CustomerManager)), None),
        products=sorted(
            {c.product for c in items if isinstance(c, Contract) and c.premises_id == premises_id}
        ),
    )


def _phone(channel: str, data: dict[str, Any], errors: list[FieldError]) -> str | None:
    """The SMS number (cleaned); an e-mail alert has none."""
    if channel != "sms":
        return None
    if not data.get("phone"):
        errors.append(FieldError("phone", "alerts.phone_required"))
        return None
    phone = identifiers.clean_phone(str(data["phone"]))
    if phone is None:
        errors.append(FieldError("phone", "field.phone"))
    return phone


def _require_covered(premises: Premises) -> None:
    if _covered(premises.address.city):
        return
    fields: dict[str, Any] = {
        "cities": ", ".join(settings().sms_cities),
        "premises": premises.label,
        "city": premises.address.city,
    }
    raise Unprocessable(
        "alerts.city_not_covered",
        errors=[FieldError("premises_id", "alerts.city_not_covered", fields)],
        **fields,
    )


def _save(alert: AlertSubscription) -> tuple[dict[str, Any], bool]:
    """Store a request once: a replay of a pending or active one changes nothing."""
    if store.create_request(alert):
        logger.info(
            "sms alert requested", extra={"customer": alert.customer_no, "alert": alert.alert_id}
        )
        return public(alert), True
    existing = store.get_alert(alert.customer_no, alert.alert_id)
    if existing is None:  # pragma: no cover - deleted between the two calls
        raise Conflict()
    if existing.status in ("pending", "active"):
        return public(existing), False  # a replay: nothing changes
    # Switched off or rejected earlier: asking again waits for the manager again.
    if not store.renew_request(alert, existing.status):
        raise Conflict()
    return public(alert), True


def request_alert(
    principal: Principal, customer_no: str, data: dict[str, Any], lang: str
) -> tuple[dict[str, Any], bool]:
    """(alert, created). Validates everything before the one conditional write."""
    require_customer(principal, customer_no)
    account = _account(customer_no, data["premises_id"])
    channel = data.get("channel") or "sms"
    errors: list[FieldError] = []
    if account.premises is None:
        errors.append(FieldError("premises_id", "alerts.premises_unknown"))
    phone = _phone(channel, data, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    premises = account.premises
    assert premises is not None
    _require_covered(premises)
    if account.manager is None:
        raise Conflict("alerts.no_manager")
    email = account.customer.email if channel == "email" else None
    alert_id = alert_id_for(
        premises.premises_id, channel, str(phone if channel == "sms" else email)
    )
    address = premises.address
    alert = store.new_request(
        customer_no,
        alert_id,
        account.manager.manager_id,
        clock.now_iso(),
        premises_id=premises.premises_id,
        channel=channel,
        phone=phone,
        email=email,
        lang=data.get("lang") or lang,
        products=account.products,
        city=address.city,
        city_key=rules.city_key(address.city),
        street=address.street,
        street_key=rules.street_key(address.street),
        building=address.building,
        building_key=rules.building_key(address.building),
        address=address.one_line(),
        requested_by=principal.username,
    )
    return _save(alert)


def switch_off(principal: Principal, customer_no: str, alert_id: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    alert = store.get_alert(customer_no, alert_id)
    if alert is None:
        raise NotFound()
    if alert.status in ("off", "rejected"):
        return public(alert)  # already off: a replay changes nothing
    now = clock.now_iso()
    if not store.set_status(alert, "off", alert.status, now, principal.username):
        raise Conflict()
    alert.status = "off"
    alert.switched_off_at = now
    return public(alert)


def _decide(principal: Principal, customer_no: str, alert_id: str, approve: bool) -> dict[str, Any]:
    # Only the customer's own account manager: another manager's customer answers 404.
    require_customer(principal, customer_no)
    alert = store.get_alert(customer_no, alert_id)
    if alert is None:
        raise NotFound()
    target = "active" if approve else "rejected"
    if alert.status == target:
        return public(alert)  # a replay
    if alert.status != "pending":
        raise Conflict("alerts.not_pending", status=alert.status)
    now = clock.now_iso()
    if not store.set_status(alert, target, "pending", now, principal.username):
        raise Conflict("alerts.not_pending", status="?")
    alert.status = target
    alert.decided_at = now
    alert.decided_by = principal.username
    logger.info("sms alert decided", extra={"alert": alert_id, "status": target})
    return public(alert)


def approve(principal: Principal, customer_no: str, alert_id: str) -> dict[str, Any]:
    return _decide(principal, customer_no, alert_id, approve=True)


def reject(principal: Principal, customer_no: str, alert_id: str) -> dict[str, Any]:
    return _decide(principal, customer_no, alert_id, approve=False)


def pending_requests(principal: Principal) -> dict[str, Any]:
    """The account manager's queue: requests of their customers waiting to be switched on."""
    if not principal.manager_id:
        return {"alerts": []}
    return {"alerts": [public(a) for a in store.pending_for_manager(principal.manager_id)]}
