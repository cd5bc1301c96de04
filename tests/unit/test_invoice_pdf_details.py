"""PDF details the audit found (issue 12 item 8, item 7's band boundary): unit prices with
their full published precision, nothing overflowing its cell, "Miejsce dostarczania
ciepła" on heat invoices, the heading of a correcting invoice in the customer's language;
the capacity charge's household bands as the statute words them."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.tariffs import parse_group
from chalicelib.render import invoice_pdf
from chalicelib.render.invoice_pdf import render_invoice
from tests.integration.invoicing_helpers import pdf_text as _raw_text
from tests.unit.test_ksef_fa3 import _doc, _line

ROOT = Path(__file__).resolve().parents[2]


def pdf_text(pdf: bytes) -> str:
    """The PDF's words with wrapping and spacing flattened to single spaces."""
    return " ".join(_raw_text(pdf).split())


def _heat(**extra: Any) -> dict:
    start, end = date(2026, 10, 1), date(2026, 10, 31)
    lines = [
        _line("heat", Decimal("41.5"), Decimal("56.98"), "23", start, end),
        _line("carrier", Decimal("3.2"), Decimal("13.7"), "23", start, end),
    ]
    base = {
        "customer_no": "200002",
        "invoice_id": "FC-2026-11-000001",
        "meters": [],
        "tariff_group": "W-2",
        "product": "heat",
        "estimated": False,
    }
    return _doc(lines, start, end, **{**base, **extra})


def test_unit_prices_keep_their_published_precision() -> None:
    assert invoice_pdf._price("13.7") == "13,70"
    assert invoice_pdf._price("13.70") == "13,70"
    assert invoice_pdf._price("0.0093") == "0,0093"
    assert invoice_pdf._price("9668.69") == "9 668,69"
    text = pdf_text(render_invoice(_heat()))
    assert "13,70" in text and "56,98" in text


def test_nothing_overflows_its_cell(monkeypatch) -> None:
    """Every single-line cell the renderer draws holds its text (multi-line cells wrap)."""
    from fpdf import FPDF

    real = FPDF.cell
    overflows: list[str] = []

    def cell(
        self: Any, w: float | None = None, h: float | None = None, text: str = "", *a: Any, **k: Any
    ) -> Any:
        room = w if w else self.w - self.r_margin - self.x
        if text and self.get_string_width(text) > room - 2 * self.c_margin + 0.01:
            overflows.append(text)
        return real(self, w, h, text, *a, **k)

    monkeypatch.setattr(FPDF, "cell", cell)
    long_name = (
        "Opłata za nośnik ciepła uzupełniający ubytki wody sieciowej w instalacji odbiorcy " * 2
    )
    doc = _heat(
        kind="correction",
        number="FK/2026/11/000123",
        corrects_number="FC/2026/10/000001",
        corrects_issue_date="2026-10-02",
        correction_reason="błędny odczyt licznika " * 4,
        state_before=None,
        state_after=None,
    )
    doc["lines"][1] = {
        **doc["lines"][1],
        "name_pl": long_name,
        "quantity": "123456789.125",
        "unit": "m³ wody uzupełniającej",
    }
    doc["buyer"] = {**doc["buyer"], "name": "Gmina Wrocław — Zarząd Zasobu Komunalnego " * 3}
    text = pdf_text(render_invoice(doc))
    assert overflows == []
    assert "uzupełniający" in text and "123 456 789,125" in text


def test_heat_invoices_name_the_place_of_heat_delivery() -> None:
    heat = pdf_text(render_invoice(_heat()))
    assert "Miejsce dostarczania ciepła: ul. Kolorowa 5" in heat and "Punkt poboru" not in heat
    power = pdf_text(render_invoice(_heat(product="electricity", ppe="PL0037980000123456")))
    assert "Punkt poboru energii: ul. Kolorowa 5" in power and "kod PPE PL0037980000123456" in power


@pytest.mark.parametrize(("lang", "heading"), [("pl", None), ("en", "Correcting invoice")])
def test_correction_heading_in_the_customers_language(lang: str, heading: str | None) -> None:
    doc = _heat(
        kind="correction",
        number="FK/2026/11/000001",
        corrects_number="FC/2026/10/000001",
        corrects_issue_date="2026-10-02",
        correction_reason="odczyt",
        lang=lang,
    )
    text = pdf_text(render_invoice(doc))
    assert "Faktura korygująca nr FK/2026/11/000001" in text
    if heading:
        assert heading in text
    else:
        assert "Correcting" not in text


def test_comparison_with_the_same_period_last_year() -> None:
    doc = _heat(
        product="electricity",
        comparison={
            "unit": "kWh",
            "current": "180.5",
            "previous": "150",
            "previous_from": "2025-10",
            "previous_to": "2025-10",
        },
    )
    text = pdf_text(render_invoice(doc))
    assert "Porównanie zużycia z analogicznym okresem roku poprzedniego" in text
    assert "180,5 kWh" in text and "150 kWh" in text and "Zmiana: 20,3%" in text


@pytest.mark.parametrize("group", ["electricity-g11", "electricity-g12"])
@pytest.mark.parametrize(
    ("kwh", "band"),
    [
        ("0", 0),
        ("499.999", 0),
        ("500", 1),
        ("1200", 1),
        ("1200.001", 2),
        ("2800", 2),
        ("2800.001", 3),
    ],
)
def test_capacity_charge_bands_follow_the_statute(group: str, kwh: str, band: int) -> None:
    """ "poniżej 500 kWh", "od 500 kWh do 1200 kWh", "powyżej 1200 kWh do 2800 kWh",
    "powyżej 2800 kWh" (art. 70 ustawy o rynku mocy): 500 kWh a year is the second band."""
    tariff = parse_group(json.loads((ROOT / "data/tariffs" / f"{group}.json").read_text()))
    for version in tariff.versions:
        comp = next(c for c in version.components if c.code == "capacity_charge")
        assert comp.band_for(Decimal(kwh)) == comp.bands[band], (version.valid_from, kwh)
