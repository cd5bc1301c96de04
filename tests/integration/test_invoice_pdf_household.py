"""A household electricity invoice carries the meter point code (PPE) and the consumption of
the same period of the previous year beside this one (art. 5 ust. 6c Prawa energetycznego;
docs/invoicing.md); a contract younger than a year says there is nothing to compare."""

from __future__ import annotations

from decimal import Decimal

from tests.integration.invoicing_helpers import load_tariffs, pdf_text, readings_for_world


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_household_electricity_invoice_has_ppe_and_last_years_use(world) -> None:
    from chalicelib.services import billing, invoicing
    from chalicelib.store import consumption
    from chalicelib.store import contracts as contract_store
    from chalicelib.store import invoices as store

    load_tariffs()
    readings_for_world(world)
    contract = world.contracts["other_power"]
    contract_store.put_terms(
        world.other_individual, contract, notice_period_months=1, ppe="PL0037980000123456"
    )
    out = invoicing.issue(world.other_individual, contract, "2026-10")
    inv = store.get_invoice(world.other_individual, out.invoice_id)
    text = _text(billing.render_pdf(inv))
    assert "kod PPE PL0037980000123456" in text
    assert "Porównanie zużycia z analogicznym okresem roku poprzedniego" in text
    assert "brak danych" in text  # no October 2025 yet

    consumption.put_months(
        [
            consumption.usage_month(
                world.other_individual,
                contract,
                "2025-10",
                product="electricity",
                tariff_group=inv.tariff_group,
                registers={"total": Decimal("150")},
                estimated=False,
                days=31,
                cost=None,
                at="2025-11-01T00:00:00Z",
            )
        ]
    )
    text = _text(billing.render_pdf(inv))
    assert "150 kWh" in text and "brak danych" not in text
    used = sum(Decimal(v) for m in inv.meters for v in m["usage"].values())
    assert f"{used.normalize():f}".replace(".", ",") + " kWh" in text


def test_heat_and_business_invoices_have_no_household_block(world) -> None:
    from chalicelib.services import billing, invoicing
    from chalicelib.store import invoices as store

    load_tariffs()
    readings_for_world(world)
    out = invoicing.issue(world.individual, world.contracts["individual_heat"], "2026-10")
    text = _text(billing.render_pdf(store.get_invoice(world.individual, out.invoice_id)))
    assert "Porównanie zużycia" not in text and "Miejsce dostarczania ciepła" in text
