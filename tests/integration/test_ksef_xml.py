"""FA(3) XML of the invoices the suite issues: every invoice and correction to a buyer with
a NIP validates against the XSD; the customer downloads the XML (another customer: 404)."""

from __future__ import annotations

from urllib.parse import urlparse

from devstack.ksef_standin import fa3_errors
from tests.integration.invoicing_helpers import invoices_of, s3_get
from tests.integration.test_invoicing_api import invoiced  # noqa: F401 (fixture)


def test_every_invoice_and_correction_to_a_nip_buyer_validates(api, invoiced, login_as) -> None:  # noqa: F811
    from chalicelib.services import ksef

    w = invoiced
    first = invoices_of(w.institution)[0]
    r = api.post(
        f"/customers/{w.institution}/invoices/{first.invoice_id}/corrections",
        {"reason": "błędny odczyt", "usage": {"heat_gj": "39.000"}},
        headers=login_as("operator"),
    )
    assert r.status == 201 and r.json["status"] == "issued", r.body
    issued = [i for c in (w.individual, w.other_individual, w.institution) for i in invoices_of(c)]
    to_nip = [i for i in issued if ksef.needs_ksef(i)]
    assert {i.kind for i in to_nip} == {"invoice", "correction"}
    for inv in to_nip:
        assert fa3_errors(ksef.fa3_xml(inv)) == [], inv.invoice_id
    # Consumers get it on request: it validates too (BrakID instead of a NIP).
    for inv in issued:
        assert fa3_errors(ksef.fa3_xml(inv)) == [], inv.invoice_id
    assert ksef.fa3_xml(to_nip[0]) == ksef.fa3_xml(to_nip[0])  # stable bytes, stable hash


def test_customer_downloads_the_xml_and_nobody_else(api, invoiced, login_as) -> None:  # noqa: F811
    from chalicelib.config import settings
    from chalicelib.services import ksef

    w = invoiced
    inv = invoices_of(w.institution)[0]
    mine = login_as("customer", [w.institution])
    r = api.get(f"/customers/{w.institution}/invoices/{inv.invoice_id}/xml", headers=mine)
    assert r.status == 200, r.body
    assert r.json["filename"].endswith(".xml") and r.json["expires_in"] <= 300
    key = urlparse(r.json["url"]).path.split("/", 2)[-1]
    assert key.endswith(".xml")
    assert s3_get(settings().invoices_bucket, ksef.xml_key(inv)) == ksef.fa3_xml(inv)
    other = login_as("customer", [w.individual])
    assert (
        api.get(f"/customers/{w.institution}/invoices/{inv.invoice_id}/xml", headers=other).status
        == 404
    )
    assert (
        api.get(f"/customers/{w.individual}/invoices/{inv.invoice_id}/xml", headers=other).status
        == 404
    )
    assert api.get(f"/customers/{w.institution}/invoices/nope/xml", headers=mine).status == 404
