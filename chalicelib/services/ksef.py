"""KSeF (Krajowy System e-Faktur): the FA(3) XML of an invoice, its KOD I verification
link, and the customer's download of the XML.

Every invoice and correcting invoice whose buyer has a NIP has its FA(3) XML; a consumer
gets it on request (the download). The XML is built from the frozen invoice only (its
creation time is the invoice's), so building it again gives the same bytes and the same
SHA-256: the hash the KOD I link carries.
"""

from __future__ import annotations

from typing import Any

from chalicelib.config import settings
from chalicelib.domain import invoices as rules
from chalicelib.domain import ksef_fa3
from chalicelib.domain.principal import Principal
from chalicelib.errors import NotFound
from chalicelib.services import billing
from chalicelib.services.access import require_customer
from chalicelib.store import invoices as store
from chalicelib.store.invoices import Invoice

XML_LINK_SECONDS = 300


def needs_ksef(inv: Invoice) -> bool:
    """Invoices to a buyer with a NIP go to KSeF (consumers get PDF or paper)."""
    return bool((inv.buyer or {}).get("nip"))


def fa3_document(inv: Invoice) -> dict[str, Any]:
    corrected = store.get_invoice(inv.customer_no, inv.corrects) if inv.corrects else None
    doc = billing.invoice_doc(inv, corrected)
    if corrected is not None:
        doc["corrects_ksef_number"] = getattr(corrected, "ksef_number", None)
    return doc


def fa3_xml(inv: Invoice) -> bytes:
    return ksef_fa3.build(fa3_document(inv), inv.created_at)


def xml_key(inv: Invoice) -> str:
    return inv.pdf_key.removesuffix(".pdf") + ".xml"


def stored_xml(inv: Invoice) -> bytes:
    """The XML in the invoices bucket, written the first time it is needed."""
    from chalicelib.adapters import s3

    bucket = settings().invoices_bucket
    xml = s3.get_object_or_none(bucket, xml_key(inv))
    if xml is None:
        xml = fa3_xml(inv)
        s3.put_object(bucket, xml_key(inv), xml, "application/xml")
    return xml


def xml_link(principal: Principal, customer_no: str, invoice_id: str) -> dict[str, Any]:
    """A presigned link to the invoice's FA(3) XML (another customer's invoice: 404)."""
    from chalicelib.adapters import s3

    require_customer(principal, customer_no)
    if rules.parse_invoice_id(invoice_id) is None:
        raise NotFound()
    inv = store.get_invoice(customer_no, invoice_id)
    if inv is None:
        raise NotFound()
    stored_xml(inv)
    name = f"Faktura_{inv.invoice_id}.xml"
    url = s3.presigned_get(
        settings().invoices_bucket, xml_key(inv), expires_s=XML_LINK_SECONDS, filename=name
    )
    return {"url": url, "expires_in": XML_LINK_SECONDS, "filename": name}
