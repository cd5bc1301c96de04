"""FA(3) XML: a fixed invoice and correction validate against the Ministry's XSD (offline,
the base types mapped to the local copy), and so do many generated ones (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from xml.etree import ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.domain import ksef_fa3
from devstack.ksef_standin import fa3_errors

NS = {"fa": ksef_fa3.NS}
SELLER = {
    "name": "Ciepło i Energia Wrocław S.A.",
    "nip": "8943005127",
    "address": "ul. Obornicka 1, 51-113 Wrocław",
}
BUYER = {
    "name": "Gmina Wrocław",
    "nip": "8960005670",
    "address": "pl. Nowy Targ 1-8, 50-141 Wrocław",
    "customer_no": "200002",
}


def _line(code: str, qty: Decimal, price: Decimal, rate: str, start: date, end: date) -> dict:
    net = int((qty * price * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return {
        "code": code,
        "name_pl": f"Pozycja {code}",
        "name_en": code,
        "unit": "GJ",
        "quantity": f"{qty:f}",
        "unit_price": f"{price:f}",
        "price_unit": "zł/GJ",
        "net": net,
        "vat_rate": rate,
        "period_from": start.isoformat(),
        "period_to": end.isoformat(),
    }


def _rates(lines: list[dict]) -> list[dict]:
    out: dict[str, int] = {}
    for ln in lines:
        out[ln["vat_rate"]] = out.get(ln["vat_rate"], 0) + ln["net"]
    rates = []
    for rate, net in out.items():
        vat = int((Decimal(net) * Decimal(rate) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        rates.append({"vat_rate": rate, "net": net, "vat": vat, "gross": net + vat})
    return rates


def _doc(lines: list[dict], start: date, end: date, **extra) -> dict:
    rates = _rates(lines)
    net, vat = sum(r["net"] for r in rates), sum(r["vat"] for r in rates)
    return {
        "kind": "invoice",
        "number": "FC/2026/11/000001",
        "issue_date": (end + timedelta(days=1)).isoformat(),
        "place": "Wrocław",
        "period_from": start.isoformat(),
        "period_to": end.isoformat(),
        "due_date": (end + timedelta(days=15)).isoformat(),
        "seller": SELLER,
        "buyer": BUYER,
        "lines": lines,
        "rates": rates,
        "net": net,
        "vat": vat,
        "gross": net + vat,
        "bank_account": "61 1090 1014 9876 0000 0020 0002",
        "contract_no": "C-200002-H1",
        "supply_address": "ul. Kolorowa 5, 50-001 Wrocław",
        **extra,
    }


def _correction(before: dict, after: dict) -> dict:
    return {
        **after,
        "kind": "correction",
        "number": "FK/2026/11/000001",
        "lines": [],
        "rates": [
            {
                "vat_rate": a["vat_rate"],
                "net": a["net"] - b["net"],
                "vat": a["vat"] - b["vat"],
                "gross": a["gross"] - b["gross"],
            }
            for a, b in zip(after["rates"], before["rates"], strict=False)
        ],
        "net": after["net"] - before["net"],
        "vat": after["vat"] - before["vat"],
        "gross": after["gross"] - before["gross"],
        "correction_reason": "błędny odczyt",
        "corrects_number": before["number"],
        "corrects_issue_date": before["issue_date"],
        "corrects_ksef_number": "8943005127-20261102-0A1B2C-3D4E5F-6A",
        "state_before": before,
        "state_after": after,
    }


def test_fixed_invoice_with_recipient_validates_and_carries_art_106e_fields() -> None:
    start, end = date(2026, 10, 1), date(2026, 10, 31)
    doc = _doc(
        [
            _line("heat", Decimal("3.456"), Decimal("56.98"), "23", start, end),
            _line("water", Decimal("0.85"), Decimal("13.70"), "23", start, end),
        ],
        start,
        end,
        recipient={
            "name": "Przedszkole nr 12",
            "address": "ul. Kolorowa 5, 50-001 Wrocław",
            "jst": True,
        },
    )
    xml = ksef_fa3.build(doc, "2026-11-01T03:00:00Z")
    assert fa3_errors(xml) == []
    root = ET.fromstring(xml)
    assert root.findtext("fa:Fa/fa:P_2", namespaces=NS) == "FC/2026/11/000001"
    assert root.findtext("fa:Fa/fa:OkresFa/fa:P_6_Od", namespaces=NS) == "2026-10-01"
    assert root.findtext("fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:NIP", namespaces=NS) == "8960005670"
    assert root.findtext("fa:Podmiot2/fa:JST", namespaces=NS) == "1"
    assert root.findtext("fa:Podmiot3/fa:Rola", namespaces=NS) == "8"
    assert len(root.findall("fa:Fa/fa:FaWiersz", namespaces=NS)) == 2
    assert root.findtext("fa:Fa/fa:FaWiersz[2]/fa:P_9A", namespaces=NS) == "13.7"
    assert (
        root.findtext("fa:Fa/fa:Platnosc/fa:RachunekBankowy/fa:NrRB", namespaces=NS)
        == "61109010149876000000200002"
    )
    assert (
        root.findtext("fa:Fa/fa:P_15", namespaces=NS)
        == f"{doc['gross'] // 100}.{doc['gross'] % 100:02d}"
    )


def test_correction_references_the_ksef_number_and_shows_before_and_after() -> None:
    start, end = date(2026, 10, 1), date(2026, 10, 31)
    before = _doc([_line("heat", Decimal("3.456"), Decimal("56.98"), "23", start, end)], start, end)
    after = _doc([_line("heat", Decimal("2.456"), Decimal("56.98"), "23", start, end)], start, end)
    xml = ksef_fa3.build(_correction(before, after), "2026-11-20T10:00:00Z")
    assert fa3_errors(xml) == []
    root = ET.fromstring(xml)
    assert root.findtext("fa:Fa/fa:RodzajFaktury", namespaces=NS) == "KOR"
    assert root.findtext(
        "fa:Fa/fa:DaneFaKorygowanej/fa:NrKSeFFaKorygowanej", namespaces=NS
    ).startswith("8943005127-")
    rows = root.findall("fa:Fa/fa:FaWiersz", namespaces=NS)
    assert [r.findtext("fa:StanPrzed", namespaces=NS) for r in rows] == ["1", None]
    assert root.findtext("fa:Fa/fa:P_15", namespaces=NS).startswith("-")
    assert root.find("fa:Fa/fa:Platnosc/fa:TerminPlatnosci", namespaces=NS) is None  # do zwrotu


def test_schema_rejects_what_it_should() -> None:
    start, end = date(2026, 10, 1), date(2026, 10, 31)
    xml = ksef_fa3.build(
        _doc([_line("heat", Decimal(1), Decimal(1), "23", start, end)], start, end),
        "2026-11-01T03:00:00Z",
    )
    broken = xml.replace(b"<P_2>", b"<P_2X>").replace(b"</P_2>", b"</P_2X>")
    assert fa3_errors(broken)
    assert fa3_errors(xml.replace(b"<NIP>8960005670</NIP>", b"<NIP>0960005670</NIP>"))
    with pytest.raises(ksef_fa3.Fa3Error):
        ksef_fa3.build(
            _doc([_line("x", Decimal(1), Decimal(1), "17", start, end)], start, end),
            "2026-11-01T03:00:00Z",
        )


lines_st = st.lists(
    st.tuples(
        st.decimals(min_value=Decimal(0), max_value=Decimal("99999.999"), places=3),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("116024.24"), places=2),
        st.sampled_from(["23", "8", "5"]),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    raw=lines_st,
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 1)),
    days=st.integers(min_value=0, max_value=30),
    consumer=st.booleans(),
    correct=st.booleans(),
)
def test_generated_invoices_validate(raw, start, days, consumer, correct) -> None:
    end = start + timedelta(days=days)
    lines = [_line(f"c{i}", q, p, r, start, end) for i, (q, p, r) in enumerate(raw)]
    buyer = {**BUYER, "nip": None} if consumer else BUYER
    doc = _doc(lines, start, end, buyer=buyer)
    if correct:
        smaller = [_line(f"c{i}", q / 2, p, r, start, end) for i, (q, p, r) in enumerate(raw)]
        doc = _correction(doc, _doc(smaller, start, end, buyer=buyer))
    assert fa3_errors(ksef_fa3.build(doc, "2026-11-01T03:00:00Z")) == []
