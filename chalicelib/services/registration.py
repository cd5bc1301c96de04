"""Registration: individuals online (verified against the customer records), institutions by
documents (reviewed and activated by an administrator).

Individuals: customer number, PESEL, e-mail and one fact only the customer holds (a contract
number or the number of the latest invoice). Only a full match creates a login; any mismatch
gets one and the same answer, whatever field was wrong and whether the customer exists, and
costs the same reads (no enumeration of customers). Attempts are counted per customer number
and per source address.

Institutions: the form and a list of documents create a draft with presigned S3 uploads;
submitting checks every stored file (size, and type by its first bytes, since moto does not
enforce the presigned conditions) and makes the registration pending for review.
"""

from __future__ import annotations

import hmac
from typing import Any

from chalicelib.adapters import s3, ses
from chalicelib.config import settings
from chalicelib.domain import clock, documents, identifiers
from chalicelib.domain import credentials as rules
from chalicelib.domain.ids import new_id
from chalicelib.errors import Conflict, FieldError, NotFound, Unprocessable, ValidationFailed
from chalicelib.observability import logger, metrics
from chalicelib.render import auth_mail
from chalicelib.services import auth_guard, logins
from chalicelib.services.customers import address_from
from chalicelib.store import registrations as store
from chalicelib.store import verification
from chalicelib.store.registrations import Registration, RegistrationDocument

DRAFT_TTL_S = 24 * 3600
UPLOAD_EXPIRES_S = 900


class PayloadTooLarge(ValidationFailed):
    status = 413
    default_key = "registration.document_too_large"


class UnsupportedType(ValidationFailed):
    status = 415
    default_key = "registration.document_type"


# --- individuals -----------------------------------------------------------------------


def register_individual(data: dict[str, Any], source: str, lang: str) -> dict[str, Any]:
    customer_no = data["customer_no"].strip()
    errors: list[FieldError] = []
    pesel = identifiers.clean_pesel(data["pesel"])
    if pesel is None:
        errors.append(FieldError("pesel", "field.pesel"))
    email = identifiers.clean_email(data["email"])
    if email is None:
        errors.append(FieldError("email", "field.email"))
    fact = rules.normalise_reference(data["verification_no"])
    if not fact:
        errors.append(FieldError("verification_no", "field.required"))
    if errors:
        raise ValidationFailed(errors=errors)
    auth_guard.check_rate("register.source", source)
    auth_guard.check_rate("register.customer", customer_no)

    # The same reads for any number, existing or not, matching or not.
    facts = verification.facts(customer_no)
    matches = [
        facts.kind == "individual",
        hmac.compare_digest(facts.pesel or "", pesel or ""),
        hmac.compare_digest((facts.email or "").lower(), email or ""),
        any(hmac.compare_digest(rules.normalise_reference(f), fact) for f in facts.references),
    ]
    if not all(matches):
        metrics.add_metric(name="RegistrationMismatch", unit="Count", value=1)
        logger.info("registration refused", extra={"reason": "mismatch"})
        raise Unprocessable("registration.mismatch")
    logins.issue_login(
        customer_no=customer_no,
        role="building_manager" if facts.building_manager else "customer",
        email=facts.email or "",
        name=facts.name or "",
        lang=lang,
        via="online",
    )
    metrics.add_metric(name="RegistrationsOnline", unit="Count", value=1)
    return {"status": "registered", "email_hint": mask_email(facts.email or "")}


def mask_email(email: str) -> str:
    """j***@e***.pl: enough for the customer to recognise the address."""
    local, _, domain = email.partition("@")
    host, _, tld = domain.rpartition(".")
    return f"{local[:1]}***@{host[:1]}***.{tld}" if host else "***"


# --- institutions ----------------------------------------------------------------------


def regulations() -> dict[str, Any]:
    return {"version": settings().regulations_version}


def _validate_institution(data: dict[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    if identifiers.clean_nip(data["nip"]) is None:
        errors.append(FieldError("nip", "field.nip"))
    if identifiers.clean_regon(data["regon"]) is None:
        errors.append(FieldError("regon", "field.regon"))
    if data.get("krs") and identifiers.clean_krs(data["krs"]) is None:
        errors.append(FieldError("krs", "field.krs"))
    if identifiers.clean_email(data["email"]) is None:
        errors.append(FieldError("email", "field.email"))
    if data.get("phone") and identifiers.clean_phone(data["phone"]) is None:
        errors.append(FieldError("phone", "field.phone"))
    contact = data["contact"]
    if identifiers.clean_email(contact["email"]) is None:
        errors.append(FieldError("contact.email", "field.email"))
    if contact.get("phone") and identifiers.clean_phone(contact["phone"]) is None:
        errors.append(FieldError("contact.phone", "field.phone"))
    if identifiers.clean_postal_code(data["address"].get("postal_code", "")) is None:
        errors.append(FieldError("address.postal_code", "field.postal_code"))
    if data.get("accept_regulations") is not True:
        errors.append(FieldError("accept_regulations", "registration.regulations"))
    elif data.get("regulations_version") != settings().regulations_version:
        errors.append(FieldError("regulations_version", "registration.regulations_version"))
    docs = data["documents"]
    for i, doc in enumerate(docs):
        if doc["content_type"] not in documents.CONTENT_TYPES:
            errors.append(FieldError(f"documents.{i}.content_type", "registration.document_type"))
        if doc["size"] > documents.MAX_DOCUMENT_BYTES:
            errors.append(FieldError(f"documents.{i}.size", "registration.document_too_large"))
    kinds = {d["kind"] for d in docs}
    for kind in documents.required_kinds(
        bool(data.get("krs")), bool(data.get("signer_in_krs", True))
    ):
        if kind not in kinds:
            errors.append(FieldError(f"documents.{kind}", "registration.document_missing"))
    return errors


def start_institution(data: dict[str, Any], source: str, lang: str) -> dict[str, Any]:
    """Validate the form and answer with one presigned upload per document (a draft)."""
    errors = _validate_institution(data)
    if errors:
        types = {e.key for e in errors}
        if types == {"registration.document_type"}:
            raise UnsupportedType(errors=errors)
        if types == {"registration.document_too_large"}:
            raise PayloadTooLarge(errors=errors)
        raise ValidationFailed(errors=errors)
    auth_guard.check_rate("institution.source", source)
    cfg = settings()
    now = clock.now()
    reg_id = new_id()
    docs: list[RegistrationDocument] = []
    uploads: list[dict[str, Any]] = []
    for i, doc in enumerate(data["documents"], start=1):
        doc_id = f"D{i}"
        filename = documents.safe_filename(doc["filename"])
        ext = documents.CONTENT_TYPES[doc["content_type"]]
        stem = filename.rsplit(".", 1)[0] if "." in filename else filename
        key = f"registrations/{reg_id}/{doc_id}-{doc['kind']}-{stem}{ext}"
        docs.append(
            RegistrationDocument(
                document_id=doc_id,
                kind=doc["kind"],
                filename=stem + ext,
                content_type=doc["content_type"],
                declared_size=int(doc["size"]),
                key=key,
                verified=False,
            )
        )
        post = s3.presigned_post(
            cfg.documents_bucket,
            key,
            doc["content_type"],
            documents.MAX_DOCUMENT_BYTES,
            UPLOAD_EXPIRES_S,
        )
        uploads.append(
            {
                "document_id": doc_id,
                "kind": doc["kind"],
                **post,
                "max_bytes": documents.MAX_DOCUMENT_BYTES,
            }
        )
    contact = data["contact"]
    store.put_draft(
        reg_id,
        int(now.timestamp()) + DRAFT_TTL_S,
        nip=identifiers.clean_nip(data["nip"]),
        regon=identifiers.clean_regon(data["regon"]),
        krs=identifiers.clean_krs(data["krs"]) if data.get("krs") else None,
        name=data["name"].strip(),
        address=address_from(data["address"]),
        email=identifiers.clean_email(data["email"]),
        phone=identifiers.clean_phone(data["phone"]) if data.get("phone") else None,
        contact_name=contact["name"].strip(),
        contact_email=identifiers.clean_email(contact["email"]),
        contact_phone=identifiers.clean_phone(contact["phone"]) if contact.get("phone") else None,
        signer_in_krs=bool(data.get("signer_in_krs", True)),
        lang=lang,
        regulations_version=cfg.regulations_version,
        regulations_accepted_at=clock.iso(now),
        documents=docs,
        created_at=clock.iso(now),
    )
    logger.info("institution registration started", extra={"registration_id": reg_id})
    return {"registration_id": reg_id, "status": "draft", "uploads": uploads}


def _check_document(
    bucket: str, doc: RegistrationDocument
) -> tuple[RegistrationDocument, FieldError | None]:
    field = f"documents.{doc.document_id}"
    info = s3.object_info(bucket, doc.key)
    if info is None:
        return doc, FieldError(field, "registration.document_not_uploaded")
    size, _stored_type = info
    if size > documents.MAX_DOCUMENT_BYTES or size == 0:
        return doc, FieldError(field, "registration.document_too_large")
    sniffed = documents.sniff(s3.read_head(bucket, doc.key, documents.MAGIC_BYTES))
    if sniffed is None or sniffed != doc.content_type:
        return doc, FieldError(field, "registration.document_type")
    doc.size = size
    doc.verified = True
    return doc, None


def submit_institution(registration_id: str, lang: str) -> dict[str, Any]:
    """Check the uploaded files and make the registration pending (a replay answers the
    same and sends nothing)."""
    reg = store.get_registration(registration_id)
    if reg is None:
        raise NotFound("registration.not_found")
    if reg.status != "draft":
        if reg.status == "pending":
            return _public_status(reg)
        raise Conflict("registration.not_draft")
    age = clock.now() - clock.parse_iso(reg.created_at)
    if age.total_seconds() > DRAFT_TTL_S:
        raise NotFound("registration.not_found")  # an abandoned draft (TTL deletes it)
    bucket = settings().documents_bucket
    checked = [_check_document(bucket, d) for d in reg.documents]
    errors = [e for _, e in checked if e is not None]
    if errors:
        keys = {e.key for e in errors}
        if keys == {"registration.document_too_large"}:
            raise PayloadTooLarge("registration.documents_invalid", errors=errors)
        if keys == {"registration.document_type"}:
            raise UnsupportedType("registration.documents_invalid", errors=errors)
        raise ValidationFailed("registration.documents_invalid", errors=errors)
    now = clock.now_iso()
    try:
        store.submit(reg, [d for d, _ in checked], now)
    except store.StateChanged as exc:
        if str(exc) == "nip":
            raise Conflict("registration.pending_exists") from None
        fresh = store.get_registration(registration_id)
        if fresh is not None and fresh.status == "pending":
            return _public_status(fresh)
        raise Conflict("registration.not_draft") from None
    reg.status = "pending"
    reg.submitted_at = now
    try:
        subject, text = auth_mail.registration_received(
            reg.lang or lang, reg.name, reg.registration_id
        )
        ses.send_email([reg.email], subject, text)
    except Exception:
        logger.exception("registration receipt not sent")
    metrics.add_metric(name="RegistrationsByDocuments", unit="Count", value=1)
    logger.info("institution registration submitted", extra={"registration_id": registration_id})
    return _public_status(reg)


def _public_status(reg: Registration) -> dict[str, Any]:
    return {
        "registration_id": reg.registration_id,
        "status": reg.status,
        "submitted_at": reg.submitted_at,
    }
