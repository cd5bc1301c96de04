"""Online applications (wnioski): filing from the typed catalogue with attachments through
presigned uploads, the workflow with the account manager, an e-mail and an audit entry at
every transition, and the approval's effect (services.application_effects).

A customer files a draft (fields validated against the type's JSON Schema and the product's
rules), uploads the required attachments straight to S3 and submits; nothing is stored for
a refused request. The manager reviews, asks for information (the customer answers),
approves or rejects. An approval takes effect once: a replayed approval finds the
application approved or done and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from typing import Any

from chalicelib.adapters import s3, ses
from chalicelib.config import settings
from chalicelib.domain import applications as rules
from chalicelib.domain import clock
from chalicelib.domain import documents as doc_rules
from chalicelib.domain.ids import new_id
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.observability import logger
from chalicelib.render import selfservice_mail
from chalicelib.services import application_checks, application_effects, audit
from chalicelib.services.access import require_customer
from chalicelib.store import applications as store
from chalicelib.store import customers as customer_store
from chalicelib.store import workspace as queue_store
from chalicelib.store.applications import Application, ApplicationRecords
from chalicelib.store.request_keys import find_request, new_request_key

DRAFT_TTL = timedelta(hours=24)
MAX_ATTACHMENTS = 10
UPLOAD_EXPIRES_S = 900


def catalogue() -> dict[str, Any]:
    return {
        "types": [t.public() for t in rules.CATALOGUE.values()],
        "attachment_kinds": list(rules.ATTACHMENT_KINDS),
        "max_attachment_bytes": doc_rules.MAX_DOCUMENT_BYTES,
        "content_types": sorted(doc_rules.CONTENT_TYPES),
    }


def _is_date(value: str) -> bool:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10 and date(2000, 1, 1) <= day <= date(2099, 12, 31)


@cache
def _validator(kind: str) -> Callable[[Any], Any]:
    import fastjsonschema

    return fastjsonschema.compile(rules.CATALOGUE[kind].schema, formats={"date": _is_date})


def _schema_errors(kind: str, fields: dict[str, Any]) -> list[FieldError]:
    from fastjsonschema import JsonSchemaValueException

    try:
        _validator(kind)(fields)
    except JsonSchemaValueException as exc:
        path = [str(p) for p in (exc.path or []) if p != "data"]
        name = ".".join(["fields", *path])
        if exc.rule == "required" and isinstance(exc.value, dict):
            missing = next((r for r in exc.rule_definition or [] if r not in exc.value), "")
            return [FieldError(f"{name}.{missing}", "field.required")]
        if exc.rule == "additionalProperties":
            return [FieldError(name, "field.unknown")]
        return [FieldError(name, "field.invalid")]
    return []


# --- public shapes -------------------------------------------------------------------------


def _attachment_url(key: str, filename: str) -> str:
    return s3.presigned_get(settings().documents_bucket, key, expires_s=300, filename=filename)


def public(app: Application, records: ApplicationRecords | None = None) -> dict[str, Any]:
    kind = rules.CATALOGUE[app.kind]
    body: dict[str, Any] = {
        "application_id": app.application_id,
        "customer_no": app.customer_no,
        "type": app.kind,
        "name_pl": kind.name_pl,
        "name_en": kind.name_en,
        "fields": json.loads(app.fields),
        "status": app.status,
        "created_at": app.created_at,
        "submitted_at": app.submitted_at,
        "due_date": app.due_date,
        "updated_at": app.updated_at,
        "result": json.loads(app.result) if app.result else None,
        "required_attachments": list(kind.attachments),
    }
    if records is not None:
        body["history"] = [
            {
                "at": c.at,
                "by_role": c.by_role,
                "from_status": c.from_status,
                "to_status": c.to_status,
                "note": c.note or "",
            }
            for c in sorted(records.changes, key=lambda c: c.SK)
        ]
        body["attachments"] = [
            {
                "attachment_id": a.attachment_id,
                "kind": a.kind,
                "filename": a.filename,
                "content_type": a.content_type,
                "size": int(a.size),
                "url": _attachment_url(a.key, a.filename),
            }
            for a in records.attachments
        ]
    return body


def _records(customer_no: str, application_id: str) -> ApplicationRecords:
    records = store.application_records(application_id)
    if records is None or records.application.customer_no != customer_no:
        raise NotFound()
    return records


# --- filing --------------------------------------------------------------------------------


def _attachment_errors(
    items: list[dict[str, Any]], prefix: str = "attachments"
) -> list[FieldError]:
    errors = []
    for i, a in enumerate(items):
        if a["kind"] not in rules.ATTACHMENT_KINDS:
            errors.append(FieldError(f"{prefix}.{i}.kind", "applications.attachment_kind"))
        if a["content_type"] not in doc_rules.CONTENT_TYPES:
            errors.append(FieldError(f"{prefix}.{i}.content_type", "applications.attachment_type"))
        if not 0 < int(a["size"]) <= doc_rules.MAX_DOCUMENT_BYTES:
            errors.append(
                FieldError(
                    f"{prefix}.{i}.size",
                    "applications.attachment_size",
                    {"mb": doc_rules.MAX_DOCUMENT_BYTES // 2**20},
                )
            )
    return errors


def _slots(app: Application, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    uploads = []
    for a in items:
        attachment_id = new_id()
        filename = doc_rules.safe_filename(a.get("filename") or a["kind"])
        ext = doc_rules.CONTENT_TYPES[a["content_type"]]
        key = f"applications/{app.application_id}/{attachment_id}{ext}"
        slot = store.attachment_slot(
            app.application_id,
            attachment_id,
            kind=a["kind"],
            filename=filename,
            key=key,
            content_type=a["content_type"],
            size=int(a["size"]),
            created_at=clock.now_iso(),
        )
        if not store.add_attachment(app, slot, MAX_ATTACHMENTS):
            raise Conflict("applications.attachment_limit", n=MAX_ATTACHMENTS)
        upload = s3.presigned_post(
            settings().documents_bucket, key, a["content_type"], int(a["size"]), UPLOAD_EXPIRES_S
        )
        uploads.append({"attachment_id": attachment_id, "kind": a["kind"], "upload": upload})
    return uploads


def _replayed(principal: Principal, request_id: str | None) -> Application | None:
    earlier = find_request("application", request_id, principal.username) if request_id else None
    return store.get_application(earlier) if earlier else None


def create(
    principal: Principal, customer_no: str, data: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """A draft with upload slots for its attachments; (answer, created)."""
    require_customer(principal, customer_no)
    request_id = data.get("request_id")
    existing = _replayed(principal, request_id)
    if existing is not None:
        return {"application": public(existing), "uploads": []}, False
    kind = data["type"]
    if kind not in rules.CATALOGUE:
        raise ValidationFailed(errors=[FieldError("type", "applications.unknown_type")])
    fields = data["fields"]
    attachments = data.get("attachments") or []
    errors = _schema_errors(kind, fields) + _attachment_errors(attachments)
    if not errors:
        errors = application_checks.check(kind, customer_no, fields)
    if errors:
        raise ValidationFailed(errors=errors)
    manager_id = customer_store.manager_of(customer_no) or ""
    now = clock.now()
    app = store.new_application(
        new_id(),
        customer_no,
        clock.iso(now),
        manager_id=manager_id,
        kind=kind,
        fields=json.dumps(fields, ensure_ascii=False, sort_keys=True),
        status="draft",
        filed_by=principal.username,
        steps=0,
        expires_at=now + DRAFT_TTL,
    )
    key = (
        new_request_key("application", request_id, app.application_id, principal.username, now)
        if request_id
        else None
    )
    if not store.create(app, key):
        existing = _replayed(principal, request_id)
        if existing is None:
            raise Conflict()
        return {"application": public(existing), "uploads": []}, False
    uploads = _slots(app, attachments)
    logger.info("application drafted", extra={"application": app.application_id, "type": kind})
    return {"application": public(app), "uploads": uploads}, True


def add_attachments(
    principal: Principal, customer_no: str, application_id: str, data: dict[str, Any]
) -> dict[str, Any]:
    """More upload slots while the application is a draft or waits for the customer."""
    require_customer(principal, customer_no)
    app = _records(customer_no, application_id).application
    errors = _attachment_errors(data["attachments"])
    if errors:
        raise ValidationFailed(errors=errors)
    if app.status not in ("draft", "needs_info"):
        raise Conflict("applications.closed_for_files")
    return {"application": public(app), "uploads": _slots(app, data["attachments"])}


def _stored_kinds(records: ApplicationRecords) -> tuple[set[str], list[FieldError]]:
    """The kinds whose files are in storage with the declared type (the first bytes)."""
    bucket = settings().documents_bucket
    kinds: set[str] = set()
    errors: list[FieldError] = []
    for a in records.attachments:
        info = s3.object_info(bucket, a.key)
        if info is None:
            continue
        size, _ = info
        head = s3.read_head(bucket, a.key, doc_rules.MAGIC_BYTES)
        if size > doc_rules.MAX_DOCUMENT_BYTES or doc_rules.sniff(head) != a.content_type:
            errors.append(
                FieldError(f"attachments.{a.attachment_id}", "applications.attachment_type")
            )
            continue
        kinds.add(a.kind)
    return kinds, errors


def _customer_email(customer_no: str) -> tuple[str, str] | None:
    customer = customer_store.get_customer(customer_no)
    return None if customer is None else (customer.name, customer.email)


def _notify(app: Application, note: str = "") -> None:
    """E-mail the customer about the new status (best effort: logged, never fails the change)."""
    found = _customer_email(app.customer_no)
    if found is None:
        return
    kind = rules.CATALOGUE[app.kind]
    subject, text = selfservice_mail.application_status(
        found[0], app.application_id, (kind.name_pl, kind.name_en), app.status, note
    )
    try:
        ses.send_email([found[1]], subject, text)
    except Exception:
        logger.exception("application e-mail failed", extra={"application": app.application_id})


def _queue_entry(app: Application, status: str) -> queue_store.ManagerQueueEntry | None:
    if not app.manager_id or not app.due_date:
        return None
    kind = rules.CATALOGUE[app.kind]
    return queue_store.queue_entry(
        app.manager_id,
        "app",
        app.application_id,
        app.due_date,
        customer_no=app.customer_no,
        title=kind.name_pl,
        status=status,
        since=app.submitted_at or app.created_at,
    )


def _move(
    app: Application,
    principal: Principal,
    to_status: str,
    note: str = "",
    set_fields: dict[str, Any] | None = None,
    queue: str = "",
) -> bool:
    """One audited transition (``queue``: "add", "remove", "both" or "")."""
    at = clock.now_iso()
    for name, value in (set_fields or {}).items():
        setattr(app, name, value)  # the queue entry reads the new due date
    change = store.new_change(
        app,
        int(app.steps or 0) + 1,
        at,
        by=principal.username,
        by_role=principal.role,
        from_status=app.status,
        to_status=to_status,
        note=note,
    )
    entry = audit.entry(
        principal.username,
        f"application.{to_status}",
        store.application_target(app.application_id),
        {"status": app.status},
        {"status": to_status, "note": note} if note else {"status": to_status},
    )
    moved = store.transition(
        store.Transition(
            app,
            to_status,
            change,
            entry,
            set_fields=set_fields or {},
            queue_add=_queue_entry(app, to_status) if queue in ("add", "both") else None,
            queue_remove=queue in ("remove", "both"),
        )
    )
    if moved:
        _notify(app, note)
    return moved


def submit(principal: Principal, customer_no: str, application_id: str) -> dict[str, Any]:
    """Draft → submitted once every required attachment is in storage; a replay answers the
    application as it is."""
    require_customer(principal, customer_no)
    records = _records(customer_no, application_id)
    app = records.application
    if app.status != "draft":
        return public(app, records)
    kinds, errors = _stored_kinds(records)
    for kind in rules.CATALOGUE[app.kind].attachments:
        if kind not in kinds:
            errors.append(FieldError(f"attachments.{kind}", "applications.attachment_missing"))
    if errors:
        raise ValidationFailed(errors=errors)
    submitted = clock.to_warsaw(clock.now()).date()
    due = rules.due_date(submitted, rules.CATALOGUE[app.kind]).isoformat()
    if not _move(
        app,
        principal,
        "submitted",
        set_fields={"submitted_at": clock.now_iso(), "due_date": due, "expires_at": None},
        queue="add",
    ):
        raise Conflict("applications.changed_meanwhile")
    logger.info("application submitted", extra={"application": application_id})
    return public(app, _records(customer_no, application_id))


def answer(
    principal: Principal, customer_no: str, application_id: str, data: dict[str, Any]
) -> dict[str, Any]:
    """The customer answers a request for information: back to the manager (in review)."""
    require_customer(principal, customer_no)
    app = _records(customer_no, application_id).application
    text = " ".join(str(data["text"]).split())
    if not text:
        raise ValidationFailed(errors=[FieldError("text", "field.required")])
    if app.status != "needs_info":
        raise Conflict("applications.not_waiting")
    if not _move(app, principal, "in_review", note=text, queue="add"):
        raise Conflict("applications.changed_meanwhile")
    return public(app, _records(customer_no, application_id))


def list_for(principal: Principal, customer_no: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    return {
        "applications": [
            public(a) for a in store.customer_applications(customer_no) if a.status != "draft"
        ]
    }


def applications_of(customer_no: str) -> list[dict[str, Any]]:
    """Every filed application of a customer (the workspace's customer view)."""
    return [public(a) for a in store.customer_applications(customer_no) if a.status != "draft"]


def detail(principal: Principal, customer_no: str, application_id: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    records = _records(customer_no, application_id)
    return public(records.application, records)


def file_renewal(
    principal: Principal, customer_no: str, contract_no: str, end_date: date
) -> dict[str, Any]:
    """The "renew" action: an open renewal of this contract is answered as it is; otherwise
    a renewal application is filed and submitted (it needs no attachment)."""
    require_customer(principal, customer_no)
    for a in store.customer_applications(customer_no):
        same = (
            a.kind == "contract_renewal" and json.loads(a.fields).get("contract_no") == contract_no
        )
        if same and a.status in rules.OPEN:
            return public(a)
    answer_, _ = create(
        principal,
        customer_no,
        {
            "type": "contract_renewal",
            "fields": {"contract_no": contract_no, "new_end_date": end_date.isoformat()},
        },
    )
    return submit(principal, customer_no, answer_["application"]["application_id"])


# --- the account manager ----------------------------------------------------------------------


def _managed(principal: Principal, application_id: str) -> ApplicationRecords:
    records = store.application_records(application_id)
    if records is None:
        raise NotFound()
    require_customer(principal, records.application.customer_no)
    return records


def manager_detail(principal: Principal, application_id: str) -> dict[str, Any]:
    records = _managed(principal, application_id)
    return public(records.application, records)


def decide(principal: Principal, application_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """review | ask | approve | reject. An approval applies the effect and ends ``done``; a
    replayed approval (approved or done already) applies nothing new."""
    records = _managed(principal, application_id)
    app = records.application
    action, note = data["action"], " ".join(str(data.get("note") or "").split())
    if action in ("ask", "reject") and not note:
        raise ValidationFailed(errors=[FieldError("note", "applications.note_required")])
    if action == "approve" and app.status in ("approved", "done"):
        return _finish(principal, app)
    try:
        target = rules.decide(app.status, action)
    except rules.TransitionRefused:
        raise Conflict("applications.transition", from_status=app.status, action=action) from None
    if action == "approve":
        application_checks.recheck(app.kind, app.customer_no, json.loads(app.fields))
    queue = {"needs_info": "remove", "rejected": "remove"}.get(target, "")
    if not _move(app, principal, target, note=note, queue=queue):
        raise Conflict("applications.changed_meanwhile")
    if target == "approved":
        return _finish(principal, app)
    return manager_detail(principal, application_id)


def _finish(principal: Principal, app: Application) -> dict[str, Any]:
    """Apply the approved application's effect (idempotent) and close it as done."""
    if app.status == "approved":
        result = application_effects.apply(principal, app, json.loads(app.fields))
        _move(
            app,
            principal,
            "done",
            set_fields={"result": json.dumps(result, ensure_ascii=False)},
            queue="remove",
        )
    return manager_detail(principal, app.application_id)
