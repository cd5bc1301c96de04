"""Administration: review of institutional registrations, customer data, logins, audit log.

Every change an administrator makes is written to the audit log (who, what, when, before and
after); where the change is a table write, in the same transaction.
"""

from __future__ import annotations

import contextlib
import time
from datetime import timedelta
from typing import Any

from chalicelib.adapters import cognito, s3, ses
from chalicelib.config import settings
from chalicelib.domain import clock, identifiers
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.observability import logger
from chalicelib.render import auth_mail
from chalicelib.services import audit, consents, logins
from chalicelib.services import customers as customer_svc
from chalicelib.services.account import customer_public
from chalicelib.store import audit as audit_store
from chalicelib.store import auth as auth_store
from chalicelib.store import customers as customer_store
from chalicelib.store import registrations as store
from chalicelib.store.customers import (
    Customer,
    customer_target,
    get_account_manager,
    get_customer,
    get_login,
    login_target,
)
from chalicelib.store.registrations import Registration

STALE_ACTIVATION = timedelta(minutes=2)
_CREATE_TRIES = 5
NEW_CUSTOMER_BASE = 300000


# --- registrations ----------------------------------------------------------------------


def _summary(reg: Registration) -> dict[str, Any]:
    return {
        "registration_id": reg.registration_id,
        "status": reg.status,
        "name": reg.name,
        "nip": reg.nip,
        "regon": reg.regon,
        "krs": reg.krs,
        "city": reg.address.city,
        "submitted_at": reg.submitted_at,
        "documents": len(reg.documents or []),
    }


def list_registrations(status: str) -> dict[str, Any]:
    items = store.list_by_status(status)
    return {"status": status, "registrations": [_summary(r) for r in items]}


def _registration(registration_id: str) -> Registration:
    reg = store.get_registration(registration_id)
    if reg is None or reg.status == "draft":
        raise NotFound("registration.not_found")
    return reg


def registration_detail(registration_id: str) -> dict[str, Any]:
    reg = _registration(registration_id)
    bucket = settings().documents_bucket
    return {
        **_summary(reg),
        "address": reg.address.as_dict(),
        "email": reg.email,
        "phone": reg.phone,
        "contact": {
            "name": reg.contact_name,
            "email": reg.contact_email,
            "phone": reg.contact_phone,
        },
        "signer_in_krs": bool(reg.signer_in_krs),
        "lang": reg.lang,
        "regulations_version": reg.regulations_version,
        "regulations_accepted_at": reg.regulations_accepted_at,
        "created_at": reg.created_at,
        "decided_at": reg.decided_at,
        "decided_by": reg.decided_by,
        "reason": reg.reason,
        "customer_no": reg.customer_no,
        "username": reg.username,
        "document_list": [
            {
                "document_id": d.document_id,
                "kind": d.kind,
                "filename": d.filename,
                "content_type": d.content_type,
                "size": int(d.size) if d.size is not None else None,
                "verified": bool(d.verified),
                "url": s3.presigned_get(bucket, d.key, 300, d.filename),
            }
            for d in reg.documents or []
        ],
        "history": audit.of_target(store.registration_target(reg.registration_id)),
    }


def _new_customer(reg: Registration, manager_id: str, building_manager: bool) -> str:
    """Create the institution's customer record under a fresh customer number."""
    for _ in range(_CREATE_TRIES):
        customer_no = str(NEW_CUSTOMER_BASE + store.next_customer_serial())
        if get_customer(customer_no) is not None:
            continue
        customer_svc.create_customer(
            customer_svc.NewCustomer(
                customer_no=customer_no,
                kind="institution",
                name=reg.name,
                address=reg.address.as_dict(),
                email=reg.email,
                manager_id=manager_id,
                phone=reg.phone,
                nip=reg.nip,
                regon=reg.regon,
                krs=reg.krs,
                building_manager=building_manager,
            )
        )
        return customer_no
    raise Conflict("admin.changed_meanwhile")  # pragma: no cover


def _activation_target(reg: Registration, data: dict[str, Any]) -> tuple[Customer | None, str]:
    """The existing customer to link (checked against the registration), or None and the
    account manager of the customer to create."""
    existing_no = (data.get("customer_no") or "").strip() or reg.customer_no
    manager_id = (data.get("manager_id") or "").strip()
    if existing_no:
        customer = get_customer(existing_no)
        if customer is None:
            raise ValidationFailed(errors=[FieldError("customer_no", "admin.customer_unknown")])
        if customer.kind != "institution" or customer.nip != reg.nip:
            raise ValidationFailed(errors=[FieldError("customer_no", "admin.nip_mismatch")])
        if auth_store.get_portal_access(existing_no) is not None:
            raise Conflict("registration.exists")
        return customer, manager_id
    if not manager_id:
        raise ValidationFailed(errors=[FieldError("manager_id", "admin.customer_or_manager")])
    if get_account_manager(manager_id) is None:
        raise ValidationFailed(errors=[FieldError("manager_id", "admin.manager_unknown")])
    return None, manager_id


def activate(admin: Principal, registration_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """Link the registration to a customer (existing, or created now), issue the login and
    e-mail the user identifier and PIN. A replay answers 409 and creates nothing."""
    reg = _registration(registration_id)
    if reg.status not in ("pending", "activating"):
        raise Conflict("admin.not_pending")
    customer, manager_id = _activation_target(reg, data)
    now = clock.now()
    try:
        store.claim(reg, clock.iso(now), clock.iso(now - STALE_ACTIVATION))
    except store.StateChanged:
        raise Conflict("admin.not_pending") from None
    try:
        if customer is None:
            customer_no = _new_customer(reg, manager_id, bool(data.get("building_manager", False)))
            store.remember_customer(reg, customer_no)
            customer = get_customer(customer_no)
            assert customer is not None
        issued = logins.issue_login(
            customer_no=customer.customer_no,
            role="building_manager" if customer.building_manager else "customer",
            email=reg.email,
            name=reg.name,
            lang=reg.lang or "pl",
            via="documents",
        )
    except Exception:
        store.release(reg)
        raise
    after = {
        "status": "active",
        "customer_no": customer.customer_no,
        "username": issued.username,
        "role": issued.role,
    }
    entry = audit.entry(
        admin.username,
        "registration.activate",
        store.registration_target(reg.registration_id),
        {"status": "pending"},
        after,
    )
    try:
        store.decide(
            reg,
            "active",
            entry.at,
            admin.username,
            entry,
            from_status="activating",
            customer_no=customer.customer_no,
            username=issued.username,
        )
    except store.StateChanged:
        raise Conflict("admin.not_pending") from None
    logger.info("registration activated", extra={"registration_id": reg.registration_id})
    return {
        "registration_id": reg.registration_id,
        "status": "active",
        "customer_no": customer.customer_no,
        "username": issued.username,
    }


def reject(admin: Principal, registration_id: str, reason: str) -> dict[str, Any]:
    reg = _registration(registration_id)
    if reg.status != "pending":
        raise Conflict("admin.not_pending")
    reason = reason.strip()
    entry = audit.entry(
        admin.username,
        "registration.reject",
        store.registration_target(reg.registration_id),
        {"status": "pending"},
        {"status": "rejected", "reason": reason},
    )
    try:
        store.decide(reg, "rejected", entry.at, admin.username, entry, reason=reason)
    except store.StateChanged:
        raise Conflict("admin.not_pending") from None
    try:
        subject, text = auth_mail.registration_rejected(
            reg.lang or "pl", reg.name, reg.registration_id, reason
        )
        ses.send_email([reg.email], subject, text)
    except Exception:
        logger.exception("rejection e-mail not sent")
    logger.info("registration rejected", extra={"registration_id": reg.registration_id})
    return {"registration_id": reg.registration_id, "status": "rejected", "reason": reason}


# --- customers --------------------------------------------------------------------------


def _portal_login(customer_no: str) -> dict[str, Any] | None:
    access = auth_store.get_portal_access(customer_no)
    if access is None:
        return None
    login = get_login(access.username)
    return {
        "username": access.username,
        "via": access.via,
        "created_at": access.created_at,
        "enabled": bool(login.enabled) if login else False,
    }


def customer_detail(customer_no: str) -> dict[str, Any]:
    customer = get_customer(customer_no)
    if customer is None:
        raise NotFound()
    return {
        "customer": {
            **customer_public(customer),
            "pesel": customer.pesel,
            "manager_id": customer.manager_id,
            **{f: getattr(customer, f) for f in BUYER_FIELDS},
        },
        "portal_login": _portal_login(customer_no),
        "history": audit.of_target(customer_target(customer_no)),
    }


_COMMON = ("name", "email", "phone", "address", "building_manager", "einvoice_consent")
# The municipality as the buyer of a municipal unit (VAT centralisation): institutions only.
BUYER_FIELDS = ("buyer_name", "buyer_nip", "buyer_address")
_BY_KIND = {"individual": ("pesel",), "institution": ("nip", "regon", "krs", *BUYER_FIELDS)}


_REQUIRED_CLEANERS = {
    "pesel": identifiers.clean_pesel,
    "nip": identifiers.clean_nip,
    "regon": identifiers.clean_regon,
    "email": identifiers.clean_email,
}
_OPTIONAL_CLEANERS = {
    "krs": identifiers.clean_krs,
    "phone": identifiers.clean_phone,
    "buyer_nip": identifiers.clean_nip,
}


def _clean_field(field_name: str, value: Any) -> tuple[Any, list[FieldError]]:
    """One field's new value by the registration rules, and its errors."""
    if field_name in _REQUIRED_CLEANERS:
        cleaned = _REQUIRED_CLEANERS[field_name](value or "")
        return cleaned, [] if cleaned is not None else [
            FieldError(field_name, f"field.{field_name}")
        ]
    if field_name in _OPTIONAL_CLEANERS:
        cleaned = _OPTIONAL_CLEANERS[field_name](value) if value else None
        bad = bool(value) and cleaned is None
        return cleaned, [FieldError(field_name, f"field.{field_name}")] if bad else []
    if field_name == "address":
        try:
            return customer_svc.address_from(value).as_dict(), []
        except ValidationFailed as exc:
            return None, list(exc.errors)
    if field_name == "name":
        return " ".join(value.split()), []
    if field_name in ("buyer_name", "buyer_address"):
        return (" ".join(value.split()) or None) if value else None, []
    return bool(value), []


def _clean_changes(customer: Customer, changes: dict[str, Any]) -> dict[str, Any]:
    """Validated new values (the same rules as registration), or ValidationFailed."""
    errors: list[FieldError] = []
    allowed = _COMMON + _BY_KIND.get(customer.kind, ())
    clean: dict[str, Any] = {}
    for field_name, value in changes.items():
        if field_name not in allowed:
            errors.append(FieldError(field_name, "admin.field_not_applicable"))
            continue
        clean[field_name], field_errors = _clean_field(field_name, value)
        errors.extend(field_errors)
    errors += _buyer_complete(customer, clean)
    if errors:
        raise ValidationFailed(errors=errors)
    return clean


def _buyer_complete(customer: Customer, clean: dict[str, Any]) -> list[FieldError]:
    """The municipality as buyer needs its name, NIP and address together (or none)."""
    if not any(f in clean for f in BUYER_FIELDS):
        return []
    after = [clean[f] if f in clean else getattr(customer, f) for f in BUYER_FIELDS]
    if all(after) or not any(after):
        return []
    return [
        FieldError(f, "admin.buyer_incomplete")
        for f, v in zip(BUYER_FIELDS, after, strict=True)
        if not v
    ]


def update_customer(admin: Principal, customer_no: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Edit or supplement a customer's data; the write is conditional on the values read
    (no lost update) and carries its audit entry."""
    customer = get_customer(customer_no)
    if customer is None:
        raise NotFound()
    clean = _clean_changes(customer, changes)
    before = customer_store.profile_values(customer, list(clean))
    changed = {k: v for k, v in clean.items() if before[k] != v}
    if not changed:
        return {**customer_detail(customer_no), "changed": []}
    before = {k: before[k] for k in changed}
    entry = audit.entry(
        admin.username, "customer.update", customer_target(customer_no), before, changed
    )
    try:
        customer_store.update_profile(customer, changed, clock.now_iso(), entry)
    except audit_store.ChangedMeanwhile:
        raise Conflict("admin.changed_meanwhile") from None
    consents.note_console_edit(admin, customer_no, changed)  # e-invoice: consents history
    if "email" in changed:
        _follow_email(customer_no, changed["email"])
    logger.info("customer updated", extra={"customer_no": customer_no, "fields": sorted(changed)})
    return {**customer_detail(customer_no), "changed": sorted(changed)}


def _follow_email(customer_no: str, email: str) -> None:
    """The customer's portal login gets the new address too (best effort: logged)."""
    access = auth_store.get_portal_access(customer_no)
    if access is None:
        return
    try:
        cognito.update_email(access.username, email)
    except cognito.IdpError as err:
        logger.error("login e-mail not updated", extra={"code": err.code})


# --- logins -----------------------------------------------------------------------------


def login_detail(username: str) -> dict[str, Any]:
    login = get_login(username)
    if login is None:
        raise NotFound("admin.login_unknown")
    return {
        "username": login.username,
        "role": login.role,
        "customers": list(login.customer_nos or []),
        "manager_id": login.manager_id,
        "enabled": bool(login.enabled),
        "created_at": login.created_at,
        "history": audit.of_target(login_target(username)),
    }


def set_login_enabled(admin: Principal, username: str, enabled: bool) -> dict[str, Any]:
    """Disable (and sign out) or enable a login; a replay changes nothing and logs nothing."""
    login = get_login(username)
    if login is None:
        raise NotFound("admin.login_unknown")
    if username == admin.username and not enabled:
        raise Conflict("admin.self")
    if bool(login.enabled) == enabled:
        return login_detail(username)
    cognito.set_enabled(username, enabled)
    if not enabled:
        with contextlib.suppress(cognito.IdpError):
            cognito.admin_sign_out(username)
    # Tokens issued up to the disabling second are refused for good (also after a re-enable);
    # Cognito's ``iat`` has whole seconds, hence +1. Wall-clock time: compared with ``iat``.
    now = int(time.time())
    valid_after = max(int(login.tokens_valid_after or 0), now) if enabled else now + 1
    auth_store.set_login_enabled(username, enabled, valid_after)
    audit.record(
        admin.username,
        "login.enable" if enabled else "login.disable",
        login_target(username),
        {"enabled": not enabled},
        {"enabled": enabled},
    )
    logger.info("login enabled" if enabled else "login disabled", extra={"username": username})
    return login_detail(username)


def set_login_customers(admin: Principal, username: str, customer_nos: list[str]) -> dict[str, Any]:
    """The customer accounts a customer or building-manager login acts for (a building
    manager: one login, many customer accounts). Every number must exist."""
    login = get_login(username)
    if login is None:
        raise NotFound("admin.login_unknown")
    if login.role not in ("customer", "building_manager"):
        raise ValidationFailed(errors=[FieldError("customer_nos", "admin.role_has_no_customers")])
    wanted = list(dict.fromkeys(n.strip() for n in customer_nos if n.strip()))
    unknown = [n for n in wanted if get_customer(n) is None]
    if unknown:
        raise ValidationFailed(errors=[FieldError("customer_nos", "admin.customer_unknown")])
    before = list(login.customer_nos or [])
    if before == wanted:
        return login_detail(username)
    entry = audit.entry(
        admin.username,
        "login.customers",
        login_target(username),
        {"customers": before},
        {"customers": wanted},
    )
    # Conditional on the list read: a concurrent change is not lost.
    try:
        customer_store.replace_login_customers(login, wanted, entry)
    except audit_store.ChangedMeanwhile:
        raise Conflict("admin.changed_meanwhile") from None
    logger.info("login customers changed", extra={"username": username, "count": len(wanted)})
    return login_detail(username)


def audit_log(month: str | None, cursor: str | None, limit: int) -> dict[str, Any]:
    month_key = month or clock.now_iso()[:7]
    return audit.month(month_key, limit, cursor)
