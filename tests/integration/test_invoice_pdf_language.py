"""The heading of a correcting invoice in the customer's language (issue 12 item 8): the
Polish heading the law reads, and under it the customer's language from their preferences."""

from __future__ import annotations

from tests.integration.invoicing_helpers import invoices_of, pdf_text
from tests.integration.test_invoicing_api import invoiced  # noqa: F401 (fixture)


def test_correction_heading_follows_the_customers_language(api, invoiced, login_as) -> None:  # noqa: F811
    from chalicelib.domain import preferences as rules
    from chalicelib.services import billing
    from chalicelib.store import invoices as store
    from chalicelib.store import preferences

    w = invoiced
    corrections = {}
    for customer_no, lang in ((w.individual, "en"), (w.institution, "pl")):
        if lang == "en":
            preferences.save_preferences(
                customer_no, rules.defaults("en"), "2026-11-18T09:00:00Z", 0
            )
        first = invoices_of(customer_no)[0]
        usage = {k: str(v) for k, v in first.meters[0]["usage"].items()}
        key = next(iter(usage))
        usage[key] = str(round(float(usage[key]) * 0.9, 3))
        r = api.post(
            f"/customers/{customer_no}/invoices/{first.invoice_id}/corrections",
            {"reason": "błędny odczyt", "usage": usage},
            headers=login_as("operator"),
        )
        assert r.status == 201, r.body
        corrections[lang] = store.get_invoice(customer_no, r.json["invoice"]["invoice_id"])

    def text(inv: store.Invoice) -> str:
        corrected = store.get_invoice(inv.customer_no, str(inv.corrects))
        return " ".join(pdf_text(billing.render_pdf(inv, corrected)).split())

    english, polish = text(corrections["en"]), text(corrections["pl"])
    assert "Faktura korygująca nr" in english and "Correcting invoice" in english
    assert "Faktura korygująca nr" in polish and "Correcting invoice" not in polish
