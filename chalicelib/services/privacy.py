"""Personal data ("Moje dane", RODO/GDPR self-service).

- An export of everything held about the customer is built by the privacy queue's job
  (``build_export``): a ZIP of ``dane.json``, one CSV per kind and the invoices' PDFs, stored in
  the reports bucket; the customer is e-mailed a link to the portal (never the data), and
  each download is a presigned link of ``LINK_SECONDS``. Every area is read through its
  store's public functions, always by this customer's number.
- A request for erasure or restriction opens a case for administrators, showing what must be
  kept and until when; an approved erasure anonymises the rest (idempotent).
- Staff reads of a customer's data are logged (``services.access``) and shown to the customer.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from typing import Any

from chalicelib.adapters import s3, ses, sqs
from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain import privacy as rules
from chalicelib.domain.ids import new_id
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, NotFound
from chalicelib.observability import logger
from chalicelib.render import privacy_mail
from chalicelib.services import consents
from chalicelib.services.access import require_customer
from chalicelib.store import applications as application_store
from chalicelib.store import auth as auth_store
from chalicelib.store import contracts as contract_store
from chalicelib.store import customers as customer_store
from chalicelib.store import faults as fault_store
from chalicelib.store import invoices as invoice_store
from chalicelib.store import ledger as ledger_store
from chalicelib.store import preferences as preference_store
from chalicelib.store import privacy as store
from chalicelib.store import readings as reading_store
from chalicelib.store import threads as thread_store
from chalicelib.store.customers import Contract, Customer, Meter

# --- requests -----------------------------------------------------------------------------


def _public(req: store.PrivacyRequest) -> dict[str, Any]:
    return {
        "request_id": req.request_id,
        "kind": req.kind,
        "status": req.status,
        "created_at": req.created_at,
        "ready_at": req.ready_at,
        "available_until": req.available_until,
        "decided_at": req.decided_at,
        "decision_note": req.decision_note,
        "downloadable": _downloadable(req),
    }


def _downloadable(req: store.PrivacyRequest) -> bool:
    return (
        req.kind == "export"
        and req.status in ("ready", "mailed")
        and bool(req.available_until)
        and clock.now_iso() < str(req.available_until)
    )


def _customer(principal: Principal, customer_no: str) -> Customer:
    require_customer(principal, customer_no)
    customer = customer_store.get_customer(customer_no)
    if customer is None:
        raise NotFound()
    return customer


def overview(principal: Principal, customer_no: str) -> dict[str, Any]:
    """The "Moje dane" page: requests and who at the utility looked at the data."""
    _customer(principal, customer_no)
    return {
        "customer_no": customer_no,
        "requests": [_public(r) for r in store.requests_of(customer_no)],
        "staff_reads": [
            {"at": s.at, "username": s.username, "role": s.role}
            for s in store.staff_reads(customer_no)
        ],
    }


def request(
    principal: Principal, customer_no: str, kind: str, note: str | None
) -> tuple[dict[str, Any], bool]:
    """Open a request (export: queued for the job; erasure/restriction: a case). One open
    request per kind: a replay answers the open one and creates nothing. Returns (request,
    created)."""
    _customer(principal, customer_no)
    req = store.new_request(
        customer_no,
        new_id(),
        kind,
        status="queued" if kind == "export" else "open",
        created_at=clock.now_iso(),
        created_by=principal.username,
        note=(note or "").strip()[:1000] or None,
    )
    try:
        store.open_request(req)
    except store.AlreadyOpen as exc:
        found = store.get_request(customer_no, exc.request_id)
        if found is None:
            raise Conflict("privacy.request_open") from None
        return _public(found), False
    if kind == "export":
        sqs.send_batch(
            settings().privacy_queue, [{"customer_no": customer_no, "request_id": req.request_id}]
        )
    logger.info("privacy request", extra={"kind": kind, "request_id": req.request_id})
    return _public(req), True


def download(principal: Principal, customer_no: str, request_id: str) -> dict[str, Any]:
    _customer(principal, customer_no)
    req = store.get_request(customer_no, request_id)
    if req is None or req.kind != "export":
        raise NotFound()
    if not _downloadable(req) or not req.zip_key:
        raise Conflict("privacy.export_not_ready")
    filename = f"moje-dane-{customer_no}.zip"
    url = s3.presigned_get(
        settings().reports_bucket, req.zip_key, expires_s=rules.LINK_SECONDS, filename=filename
    )
    return {"url": url, "expires_in": rules.LINK_SECONDS, "filename": filename}


# --- the export (privacy queue) -----------------------------------------------------------


def _plain(item: Any) -> dict[str, Any]:
    """An item's attributes as JSON-ready values (keys and index attributes left out)."""
    data = json.loads(json.dumps(item.to_simple_dict(force=True), default=str))
    for name in ("PK", "SK", "GSI1PK", "GSI1SK", "expires_at"):
        data.pop(name, None)
    return dict(data)


def _collect_account(customer_no: str, out: dict[str, list[dict[str, Any]]]) -> list[Meter]:
    current = customer_store.current_items(customer_no)
    customer = next((i for i in current if isinstance(i, Customer)), None)
    out["profile"] = [_plain(customer)] if customer else []
    out["account"] = [_plain(i) for i in current if not isinstance(i, (Customer, Contract, Meter))]
    contracts = [i for i in current if isinstance(i, Contract)]
    out["contracts"] = []
    for c in contracts:
        row = _plain(c)
        terms = contract_store.get_terms(customer_no, c.contract_no)
        row["terms"] = _plain(terms) if terms else None
        annexes, changes = contract_store.contract_log(c.contract_no)
        row["annexes"] = [_plain(a) for a in annexes]
        row["changes"] = [_plain(ch) for ch in changes]
        out["contracts"].append(row)
    return [i for i in current if isinstance(i, Meter)]


def _collect_billing(customer_no: str, out: dict[str, list[dict[str, Any]]]) -> list[Any]:
    items = invoice_store.invoices_and_deliveries(customer_no)
    invoices = [i for i in items if isinstance(i, invoice_store.Invoice)]
    out["invoices"] = [_plain(i) for i in invoices]
    out["invoice_deliveries"] = [
        _plain(i) for i in items if isinstance(i, invoice_store.InvoiceDelivery)
    ]
    out["payments"] = [_plain(p) for p in ledger_store.customer_payments(customer_no, 1000)]
    out["ledger"] = [_plain(e) for e in ledger_store.ledger_entries(customer_no)]
    return invoices


def _collect_service(customer_no: str, meters: list[Meter], out: dict[str, Any]) -> None:
    out["meters"] = [_plain(m) for m in meters]
    out["readings"] = [_plain(r) for m in meters for r in reading_store.history(m.serial)]
    out["fault_tickets"] = []
    for t in fault_store.customer_tickets(customer_no):
        records = fault_store.ticket_records(t.ticket_no)
        row = _plain(t)
        row["changes"] = [_plain(c) for c in records.changes] if records else []
        out["fault_tickets"].append(row)
    out["applications"] = []
    for a in application_store.customer_applications(customer_no, 500):
        found = application_store.application_records(a.application_id)
        row = _plain(a)
        row["changes"] = [_plain(c) for c in found.changes] if found else []
        out["applications"].append(row)
    out["messages"] = []
    for th in thread_store.customer_threads(customer_no, 500):
        thread = thread_store.thread_records(th.thread_id)
        for m in thread.messages if thread else []:
            out["messages"].append({"thread_id": th.thread_id, "subject": th.subject, **_plain(m)})


def _collect_people(customer_no: str, out: dict[str, Any]) -> None:
    out["consents_history"] = [dict(e) for e in consents.export(customer_no)]
    prefs = preference_store.get_preferences(customer_no)
    out["preferences"] = [_plain(prefs)] if prefs else []
    out["outage_addresses"] = [_plain(w) for w in preference_store.watches_of(customer_no)]
    out["notifications_sent"] = [_plain(n) for n in preference_store.notifications_of(customer_no)]
    logins = _logins(customer_no)
    # successful sign-ins (time, source address, user agent) as their own kind (and CSV)
    out["sign_ins"] = [
        {"username": row["username"], **entry} for row in logins for entry in row.pop("sign_ins")
    ]
    out["logins"] = logins
    out["staff_reads"] = [_plain(s) for s in store.staff_reads(customer_no, 1000)]
    out["privacy_requests"] = [_public(r) for r in store.requests_of(customer_no, 100)]


def _logins(customer_no: str) -> list[dict[str, Any]]:
    """The customer's own portal login: when it was created, its state, the successful
    sign-ins kept (time, source address, user agent; ``services.signins``) and the failed
    log-in attempts still remembered."""
    from chalicelib.services import signins

    access = auth_store.get_portal_access(customer_no)
    if access is None:
        return []
    login = customer_store.get_login(access.username)
    guard = auth_store.get_guard(access.username)
    failures: list[Any] = list(guard.failures or []) if guard else []
    return [
        {
            "username": access.username,
            "role": login.role if login else None,
            "created_at": login.created_at if login else None,
            "enabled": bool(login.enabled) if login else None,
            "sign_ins": signins.history(access.username),
            "failed_logins": [clock.iso(datetime.fromtimestamp(float(f), UTC)) for f in failures],
        }
    ]


def collect(customer_no: str) -> tuple[dict[str, list[dict[str, Any]]], list[Any]]:
    """Everything held about the customer, by kind, and the invoices (for their PDFs)."""
    out: dict[str, list[dict[str, Any]]] = {}
    meters = _collect_account(customer_no, out)
    invoices = _collect_billing(customer_no, out)
    _collect_service(customer_no, meters, out)
    _collect_people(customer_no, out)
    return out, invoices


def export_zip(customer_no: str) -> bytes:
    data, invoices = collect(customer_no)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "dane.json",
            json.dumps(
                {"customer_no": customer_no, "exported_at": clock.now_iso(), **data},
                ensure_ascii=False,
                indent=1,
                sort_keys=True,
            ),
        )
        for kind, rows in data.items():
            zf.writestr(f"csv/{kind}.csv", rules.to_csv(rows))
        for inv in invoices:
            body = (
                s3.get_object_or_none(settings().invoices_bucket, inv.pdf_key)
                if inv.pdf_key
                else None
            )
            if body is not None:
                zf.writestr(f"faktury/{inv.invoice_id.replace('/', '_')}.pdf", body)
    return buffer.getvalue()


def build_export(body: dict[str, Any]) -> str:
    """One export (privacy queue). Idempotent: a request already built is only e-mailed if
    that did not happen; a building claim older than ``STALE_CLAIM_S`` is taken over."""
    customer_no, request_id = str(body["customer_no"]), str(body["request_id"])
    req = store.get_request(customer_no, request_id)
    if req is None or req.kind != "export":
        return "unknown"
    if req.status in ("queued", "building"):
        stale = clock.iso(clock.now() - timedelta(seconds=rules.STALE_CLAIM_S))
        if not store.claim_build(req, clock.now_iso(), stale):
            return "busy"
        key = f"privacy/{customer_no}/{request_id}.zip"
        s3.put_object(settings().reports_bucket, key, export_zip(customer_no), "application/zip")
        until = clock.iso(clock.now() + timedelta(days=rules.EXPORT_DAYS))
        if not store.mark_ready(req, key, clock.now_iso(), until):
            return "busy"
    if req.status == "ready":
        _mail_ready(req)
        store.mark_mailed(req)
        return "mailed"
    return "done"


def _mail_ready(req: store.PrivacyRequest) -> None:
    from chalicelib.services import preferences

    customer = customer_store.get_customer(req.customer_no)
    if customer is None or not customer.email:
        return
    link = f"{settings().portal_url.rstrip('/')}/#/mydata"
    mail = privacy_mail.export_ready(
        preferences.language_of(req.customer_no),
        customer.name,
        link,
        str(req.available_until),
    )
    ses.send_email([customer.email], mail.subject, mail.text, mail.html, headers=mail.headers)


# --- erasure and restriction cases (administrators) ----------------------------------------


def _retention(customer_no: str) -> tuple[date | None, dict[str, int]]:
    items = invoice_store.invoices_and_deliveries(customer_no)
    invoices = [i for i in items if isinstance(i, invoice_store.Invoice)]
    days = [date.fromisoformat(str(i.issue_date)[:10]) for i in invoices]
    counts = {
        "invoices": len(invoices),
        "ledger": len(ledger_store.ledger_entries(customer_no)),
        "payments": len(ledger_store.customer_payments(customer_no, 1000)),
        "contracts": sum(
            isinstance(i, Contract) for i in customer_store.current_items(customer_no)
        ),
    }
    return rules.retention_until(days), counts


def _case(req: store.PrivacyRequest, with_keep: bool) -> dict[str, Any]:
    out = {**_public(req), "customer_no": req.customer_no, "note": req.note}
    if with_keep:
        until, counts = _retention(req.customer_no)
        out["keep"] = rules.keep_list(until, counts)
        out["erase"] = list(rules.ERASED) if req.kind == "erasure" else []
    return out


def open_cases(principal: Principal) -> dict[str, Any]:
    del principal  # admins only (the route)
    return {"items": [_case(r, False) for r in store.open_cases()]}


def case(principal: Principal, customer_no: str, request_id: str) -> dict[str, Any]:
    del principal
    req = store.get_request(customer_no, request_id)
    if req is None or req.kind not in rules.CASE_KINDS:
        raise NotFound()
    return _case(req, True)


def decide(
    principal: Principal, customer_no: str, request_id: str, approve: bool, note: str | None
) -> dict[str, Any]:
    """Approve or reject a case once; an approved erasure anonymises (again safely if a
    previous attempt stopped half-way), an approved restriction withdraws marketing."""
    req = store.get_request(customer_no, request_id)
    if req is None or req.kind not in rules.CASE_KINDS:
        raise NotFound()
    if req.status == "open":
        status = "approved" if approve else "rejected"
        if not store.decide(req, status, principal.username, clock.now_iso(), note):
            req = store.get_request(customer_no, request_id) or req
    elif req.status not in ("approved",):
        raise Conflict("privacy.case_closed")
    if req.status == "approved":
        _apply(principal, req)
        store.mark_done(req, clock.now_iso())
        req = store.get_request(customer_no, request_id) or req
    return _case(req, True)


def _apply(principal: Principal, req: store.PrivacyRequest) -> None:
    consents.withdraw_marketing(principal, req.customer_no)
    if req.kind != "erasure":
        return
    from chalicelib.services import audit

    customer = customer_store.get_customer(req.customer_no)
    if customer is None:
        return
    changed = {k: None for k in ("email", "phone") if getattr(customer, k)}
    if changed:
        before = customer_store.profile_values(customer, list(changed))
        entry = audit.entry(
            principal.username,
            "privacy.erasure",
            customer_store.customer_target(req.customer_no),
            before,
            changed,
        )
        customer_store.update_profile(customer, changed, clock.now_iso(), entry)
    found = preference_store.get_preferences(req.customer_no)
    preference_store.drop_watches(req.customer_no)
    if found is not None and (found.high_bill_amount or found.sms_number):
        from dataclasses import replace

        cleared = replace(
            found.choices(),
            high_bill_amount=None,
            high_bill_percent=None,
            sms_number=None,
        )
        preference_store.save_preferences(
            req.customer_no, cleared, clock.now_iso(), int(found.version)
        )
    logger.info("personal data anonymised", extra={"request_id": req.request_id})


# --- staff reads --------------------------------------------------------------------------


def staff_read_log(principal: Principal, customer_no: str) -> dict[str, Any]:
    return overview(principal, customer_no)
