"""Documents: the customer's (contracts, annexes, letters, reports) and public ones (e-BOK
regulations with versions, the tariff, price lists, application forms); files in S3.

- ``PK = DOCS#<customer_no>, SK = DOC#<id>``: CustomerDocument (ids are natural keys such
  as ``annex-<application>``, so a replayed effect writes nothing; listed newest first).
- ``PK = PUBLICDOCS, SK = <kind>#<published_at>#<id>``: PublicDocument; the regulations in
  force are the newest ``regulations`` published at or before now.
- ``PK = REGACCEPT#<username>, SK = V#<version>``: RegulationsAcceptance (which version a
  login accepted, and when; written once).
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError

from chalicelib.store.base import Item, save_new

PUBLIC_PK = "PUBLICDOCS"


def docs_pk(customer_no: str) -> str:
    return f"DOCS#{customer_no}"


def doc_sk(document_id: str) -> str:
    return f"DOC#{document_id}"


def public_sk(kind: str, published_at: str, document_id: str) -> str:
    return f"{kind}#{published_at}#{document_id}"


def acceptance_pk(username: str) -> str:
    return f"REGACCEPT#{username}"


def acceptance_sk(version: str) -> str:
    return f"V#{version}"


class CustomerDocument(Item, discriminator="CustomerDocument"):
    customer_no = UnicodeAttribute()
    document_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # contract | annex | letter | report
    title_pl = UnicodeAttribute()
    title_en = UnicodeAttribute()
    key = UnicodeAttribute()  # in the documents bucket
    content_type = UnicodeAttribute()
    size = NumberAttribute()
    contract_no = UnicodeAttribute(null=True)
    ref = UnicodeAttribute(null=True)  # what made it (an application id)
    created_at = UnicodeAttribute()


class PublicDocument(Item, discriminator="PublicDocument"):
    document_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # regulations | tariff | price_list | form
    version = UnicodeAttribute(null=True)
    title_pl = UnicodeAttribute()
    title_en = UnicodeAttribute()
    key = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size = NumberAttribute()
    published_at = UnicodeAttribute()


class RegulationsAcceptance(Item, discriminator="RegulationsAcceptance"):
    username = UnicodeAttribute()
    version = UnicodeAttribute()
    accepted_at = UnicodeAttribute()


def new_customer_document(
    customer_no: str, document_id: str, created_at: str, **fields: Any
) -> CustomerDocument:
    return CustomerDocument(
        docs_pk(customer_no),
        doc_sk(document_id),
        customer_no=customer_no,
        document_id=document_id,
        created_at=created_at,
        **fields,
    )


def put_customer_document(doc: CustomerDocument) -> bool:
    """False when the document exists already (the same id: a replay)."""
    return save_new(doc)


def customer_documents(customer_no: str, limit: int = 500) -> list[CustomerDocument]:
    """Newest first."""
    docs = [
        i for i in Item.query(docs_pk(customer_no), limit=limit) if isinstance(i, CustomerDocument)
    ]
    return sorted(docs, key=lambda d: (d.created_at, d.document_id), reverse=True)


def customer_document(customer_no: str, document_id: str) -> CustomerDocument | None:
    try:
        item = Item.get(docs_pk(customer_no), doc_sk(document_id))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, CustomerDocument) else None


def new_public_document(
    kind: str, document_id: str, published_at: str, **fields: Any
) -> PublicDocument:
    return PublicDocument(
        PUBLIC_PK,
        public_sk(kind, published_at, document_id),
        kind=kind,
        document_id=document_id,
        published_at=published_at,
        **fields,
    )


def put_public_document(doc: PublicDocument) -> bool:
    return save_new(doc)


def public_documents() -> list[PublicDocument]:
    """Every public document, by kind and then publication time (oldest first)."""
    return [i for i in Item.query(PUBLIC_PK) if isinstance(i, PublicDocument)]


def public_document(document_id: str) -> PublicDocument | None:
    return next((d for d in public_documents() if d.document_id == document_id), None)


def regulations_versions() -> list[PublicDocument]:
    """Every published version of the regulations, oldest first."""
    return [
        i
        for i in Item.query(PUBLIC_PK, Item.SK.startswith("regulations#"))
        if isinstance(i, PublicDocument)
    ]


def regulations_version_exists(version: str) -> bool:
    return any(d.version == version for d in regulations_versions())


def accept_regulations(username: str, version: str, at: str) -> RegulationsAcceptance:
    """Record the acceptance once; a repeated acceptance keeps the first time."""
    item = RegulationsAcceptance(
        acceptance_pk(username),
        acceptance_sk(version),
        username=username,
        version=version,
        accepted_at=at,
    )
    try:
        item.save(condition=Item.PK.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        found = acceptance_of(username, version)
        assert found is not None
        return found
    return item


def acceptance_of(username: str, version: str) -> RegulationsAcceptance | None:
    try:
        item = Item.get(acceptance_pk(username), acceptance_sk(version), consistent_read=True)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, RegulationsAcceptance) else None
