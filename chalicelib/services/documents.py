"""Documents: the customer's own (contracts, annexes, letters, reports) and the public ones
(e-BOK regulations with versions, the tariff, price lists, application forms), stored in the
documents bucket and handed out as short-lived presigned downloads.

The regulations are versioned: the version in force is the newest one published; a login
accepts it (the time is recorded) after logging in and is asked again when a newer one is
published. The e-BOK is free of charge, and the public pages say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.adapters import s3
from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.observability import logger
from chalicelib.render import selfservice_pdf
from chalicelib.services.access import require_customer
from chalicelib.store import documents as store
from chalicelib.store.documents import CustomerDocument, PublicDocument

DOWNLOAD_EXPIRES_S = 300
CUSTOMER_KINDS = ("contract", "annex", "letter", "report")
PUBLIC_KINDS = ("regulations", "tariff", "price_list", "form")
FREE_OF_CHARGE = (
    "Korzystanie z e-BOK jest bezpłatne.",
    "Using the e-BOK is free of charge.",
)


def _url(key: str, filename: str) -> str:
    return s3.presigned_get(
        settings().documents_bucket, key, expires_s=DOWNLOAD_EXPIRES_S, filename=filename
    )


def customer_public(d: CustomerDocument) -> dict[str, Any]:
    return {
        "document_id": d.document_id,
        "kind": d.kind,
        "title_pl": d.title_pl,
        "title_en": d.title_en,
        "contract_no": d.contract_no,
        "content_type": d.content_type,
        "size": int(d.size),
        "created_at": d.created_at,
        "url": _url(d.key, f"{d.document_id}.pdf"),
    }


def public_public(d: PublicDocument) -> dict[str, Any]:
    return {
        "document_id": d.document_id,
        "kind": d.kind,
        "version": d.version,
        "title_pl": d.title_pl,
        "title_en": d.title_en,
        "content_type": d.content_type,
        "size": int(d.size),
        "published_at": d.published_at,
        "url": _url(d.key, f"{d.document_id}.pdf"),
    }


# --- customer documents --------------------------------------------------------------------


@dataclass(frozen=True)
class NewDocument:
    customer_no: str
    document_id: str  # a natural key: annex-<application>, contract-<no>, letter-<application>
    kind: str
    title: tuple[str, str]
    lines_pl: Sequence[str]
    lines_en: Sequence[str]
    rows: Sequence[tuple[str, str]] = ()
    contract_no: str | None = None
    ref: str | None = None


def issue(doc: NewDocument) -> CustomerDocument:
    """Render the PDF, store it and list it among the customer's documents. Idempotent by
    the document id: a replay overwrites the same object and adds no record."""
    existing = store.customer_document(doc.customer_no, doc.document_id)
    if existing is not None:
        return existing
    now = clock.now()
    pdf = selfservice_pdf.letter(
        doc.title, doc.lines_pl, doc.lines_en, clock.to_warsaw(now).date(), doc.rows
    )
    key = f"customers/{doc.customer_no}/documents/{doc.document_id}.pdf"
    s3.put_object(settings().documents_bucket, key, pdf, "application/pdf")
    record = store.new_customer_document(
        doc.customer_no,
        doc.document_id,
        clock.iso(now),
        kind=doc.kind,
        title_pl=doc.title[0],
        title_en=doc.title[1],
        key=key,
        content_type="application/pdf",
        size=len(pdf),
        contract_no=doc.contract_no,
        ref=doc.ref,
    )
    if not store.put_customer_document(record):
        found = store.customer_document(doc.customer_no, doc.document_id)
        assert found is not None
        return found
    logger.info("document issued", extra={"document": doc.document_id, "kind": doc.kind})
    return record


def customer_documents(
    principal: Principal, customer_no: str, kind: str | None = None
) -> dict[str, Any]:
    require_customer(principal, customer_no)
    docs = store.customer_documents(customer_no)
    if kind:
        docs = [d for d in docs if d.kind == kind]
    return {"documents": [customer_public(d) for d in docs]}


def customer_document(principal: Principal, customer_no: str, document_id: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    doc = store.customer_document(customer_no, document_id)
    if doc is None:
        raise NotFound()
    return customer_public(doc)


def documents_of(customer_no: str) -> list[CustomerDocument]:
    """Every document of a customer (for the contract page: annexes, the signed contract)."""
    return store.customer_documents(customer_no)


# --- public documents and the regulations ---------------------------------------------------


def publish(
    kind: str,
    document_id: str,
    title: tuple[str, str],
    body: bytes | None = None,
    lines: tuple[Sequence[str], Sequence[str]] = ((), ()),
    version: str | None = None,
    published_at: str | None = None,
) -> PublicDocument:
    """Store a public document (a PDF given, or rendered from lines); idempotent by id."""
    if kind not in PUBLIC_KINDS:
        raise ValueError(kind)
    existing = store.public_document(document_id)
    if existing is not None:
        return existing
    at = published_at or clock.now_iso()
    pdf = body or selfservice_pdf.letter(title, lines[0], lines[1], date.fromisoformat(at[:10]))
    key = f"public/{kind}/{document_id}.pdf"
    s3.put_object(settings().documents_bucket, key, pdf, "application/pdf")
    doc = store.new_public_document(
        kind,
        document_id,
        at,
        version=version,
        title_pl=title[0],
        title_en=title[1],
        key=key,
        content_type="application/pdf",
        size=len(pdf),
    )
    store.put_public_document(doc)
    return doc


def in_force(versions: list[PublicDocument], now: str) -> PublicDocument | None:
    published = [v for v in versions if v.published_at <= now]
    return max(published, key=lambda v: v.published_at, default=None)


def current_regulations() -> dict[str, Any]:
    """The version in force (the configured one until a version is published)."""
    doc = in_force(store.regulations_versions(), clock.now_iso())
    if doc is None:
        return {
            "version": settings().regulations_version,
            "published_at": None,
            "url": None,
            "free_of_charge": True,
            "statement_pl": FREE_OF_CHARGE[0],
            "statement_en": FREE_OF_CHARGE[1],
        }
    return {
        "version": doc.version or doc.document_id,
        "published_at": doc.published_at,
        "url": public_public(doc)["url"],
        "free_of_charge": True,
        "statement_pl": FREE_OF_CHARGE[0],
        "statement_en": FREE_OF_CHARGE[1],
    }


def public_documents() -> dict[str, Any]:
    docs = store.public_documents()
    now = clock.now_iso()
    current = in_force([d for d in docs if d.kind == "regulations"], now)
    return {
        "free_of_charge": True,
        "statement_pl": FREE_OF_CHARGE[0],
        "statement_en": FREE_OF_CHARGE[1],
        "regulations_in_force": current.version if current else settings().regulations_version,
        "documents": [
            public_public(d) | {"in_force": d is current if d.kind == "regulations" else True}
            for d in sorted(
                docs, key=lambda d: (PUBLIC_KINDS.index(d.kind), d.published_at), reverse=False
            )
            if d.published_at <= now
        ],
    }


def my_regulations(principal: Principal) -> dict[str, Any]:
    current = current_regulations()
    accepted = store.acceptance_of(principal.username, current["version"])
    return {
        "current": current,
        "accepted": accepted is not None,
        "accepted_at": accepted.accepted_at if accepted else None,
    }


def accept_regulations(principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
    """Accept the version in force; an older or unknown version is refused (409)."""
    current = current_regulations()
    if data["version"] != current["version"]:
        raise Conflict("documents.regulations_outdated", version=current["version"])
    store.accept_regulations(principal.username, current["version"], clock.now_iso())
    return my_regulations(principal)


def publish_regulations(principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
    """An administrator publishes a new version (from now, or a given later time): every login
    is asked to accept it after its next login."""
    version = data["version"].strip()
    if store.regulations_version_exists(version):
        raise Conflict("documents.regulations_exists", version=version)
    at = clock.now_iso()
    if data.get("effective_from"):
        day = date.fromisoformat(data["effective_from"])
        if day < clock.to_warsaw(clock.now()).date():
            raise ValidationFailed(
                errors=[FieldError("effective_from", "documents.published_past")]
            )
        from datetime import datetime, time

        at = max(at, clock.iso(datetime.combine(day, time(0), tzinfo=clock.WARSAW)))
    lines_pl = [p for p in data["text_pl"].split("\n") if p.strip()]
    lines_en = [p for p in data.get("text_en", "").split("\n") if p.strip()]
    doc = publish(
        "regulations",
        f"regulamin-{version}",
        (f"Regulamin e-BOK, wersja {version}", f"e-BOK regulations, version {version}"),
        lines=([FREE_OF_CHARGE[0], *lines_pl], [FREE_OF_CHARGE[1], *lines_en]),
        version=version,
        published_at=at,
    )
    logger.info("regulations published", extra={"version": version, "by": principal.username})
    return public_public(doc) | {"in_force": doc.published_at <= clock.now_iso()}
