"""Municipal VAT centralisation: a municipal unit (a kindergarten) is invoiced with the
municipality as the buyer (Nabywca / Podmiot2, JST = 1) and the unit as the recipient
(Podmiot3, rola 8 "JST – odbiorca"); the admin console edits it (bad input: 400, nothing
stored; others: 403; replay: nothing changed), the PDF and the FA(3) XML carry both."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from chalicelib.domain import ksef_fa3
from devstack.ksef_standin import fa3_errors
from tests.integration.invoicing_helpers import load_tariffs, pdf_text, readings_for_world

NS = {"fa": ksef_fa3.NS}
GMINA = {
    "buyer_name": "Gmina Wrocław",
    "buyer_nip": "896-000-56-73",
    "buyer_address": "pl. Nowy Targ 1-8, 50-141 Wrocław",
}


def test_admin_sets_the_municipality_as_buyer(world, api, login_as) -> None:
    from chalicelib.store.customers import get_customer

    admin = login_as("admin")
    path = f"/admin/customers/{world.institution}"
    bad = api.patch(path, {**GMINA, "buyer_nip": "8960005670"}, headers=admin)
    assert bad.status == 400 and bad.json["errors"][0]["field"] == "buyer_nip", bad.body
    partial = api.patch(path, {"buyer_name": "Gmina Wrocław"}, headers=admin)
    assert partial.status == 400, partial.body
    assert {e["field"] for e in partial.json["errors"]} == {"buyer_nip", "buyer_address"}
    assert get_customer(world.institution).buyer_nip is None  # nothing stored
    assert api.patch(path, GMINA, headers=login_as("operator")).status == 403
    ok = api.patch(path, GMINA, headers=admin)
    assert ok.status == 200, ok.body
    assert sorted(ok.json["changed"]) == ["buyer_address", "buyer_name", "buyer_nip"]
    assert ok.json["customer"]["buyer_nip"] == "8960005673"
    assert api.patch(path, GMINA, headers=admin).json["changed"] == []  # replay
    individual = api.patch(f"/admin/customers/{world.individual}", GMINA, headers=admin)
    assert individual.status == 400  # a person is never a municipal unit


def test_invoice_names_the_municipality_as_buyer_and_the_unit_as_recipient(
    world, api, login_as
) -> None:
    from chalicelib.services import billing, invoicing, ksef
    from chalicelib.store import invoices as store

    assert (
        api.patch(f"/admin/customers/{world.institution}", GMINA, headers=login_as("admin")).status
        == 200
    )
    load_tariffs()
    readings_for_world(world)
    out = invoicing.issue(world.institution, "C-200001-H1", "2026-10")
    inv = store.get_invoice(world.institution, out.invoice_id)
    assert inv.buyer["nip"] == "8960005673" and inv.buyer["name"] == "Gmina Wrocław"
    assert inv.recipient["nip"] == "8971018828" and inv.recipient["jst"] is True

    xml = ksef.fa3_xml(inv)
    assert fa3_errors(xml) == []
    root = ET.fromstring(xml)
    assert root.findtext("fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:NIP", namespaces=NS) == "8960005673"
    assert root.findtext("fa:Podmiot2/fa:JST", namespaces=NS) == "1"
    p3 = root.find("fa:Podmiot3", NS)
    assert p3 is not None
    assert p3.findtext("fa:DaneIdentyfikacyjne/fa:NIP", namespaces=NS) == "8971018828"
    assert p3.findtext("fa:Rola", namespaces=NS) == "8"

    text = pdf_text(billing.render_pdf(inv))
    assert "NABYWCA" in text and "Gmina Wrocław" in text and "NIP: 8960005673" in text
    assert "ODBIORCA (jednostka gminy)" in text and "NIP: 8971018828" in text
