"""The PDF of a KSeF invoice carries KOD I (kody-qr.md): the link of a fixed XML equals the
one computed by hand here, and the QR image in the PDF decodes back to it; under the code
the KSeF number, or OFFLINE while none is assigned."""

from __future__ import annotations

import base64
import hashlib
import io
from datetime import date
from decimal import Decimal

import pytest

from chalicelib.domain import ksef_fa3
from chalicelib.domain.ksef import kod_i_link, ksef_number, valid_ksef_number
from chalicelib.render.invoice_pdf import render_invoice
from tests.unit.test_ksef_fa3 import _doc, _line

QR_TEST = "https://qr-test.ksef.mf.gov.pl"


def _fixed() -> tuple[dict, bytes]:
    start, end = date(2026, 10, 1), date(2026, 10, 31)
    doc = _doc(
        [
            _line("heat", Decimal("41.5"), Decimal("56.98"), "23", start, end),
            _line("carrier", Decimal("3.2"), Decimal("13.70"), "23", start, end),
        ],
        start,
        end,
        issue_date="2026-11-02",
        customer_no="200002",
        invoice_id="FC-2026-11-000001",
        meters=[],
        tariff_group="W-2",
        product="heat",
        settlement="payment",
        estimated=False,
    )
    return doc, ksef_fa3.build(doc, "2026-11-02T03:00:00Z")


def test_kod_i_of_a_fixed_xml_is_the_documented_link() -> None:
    _, xml = _fixed()
    digest = base64.b64encode(hashlib.sha256(xml).digest()).decode()
    by_hand = digest.replace("+", "-").replace("/", "_").rstrip("=")
    expected = f"https://qr-test.ksef.mf.gov.pl/invoice/8943005127/02-11-2026/{by_hand}"
    assert kod_i_link(QR_TEST, "8943005127", date(2026, 11, 2), xml) == expected
    assert len(by_hand) == 43  # 32 bytes, no padding
    # The production base (kody-qr.md, "Środowiska").
    assert kod_i_link("https://qr.ksef.mf.gov.pl/", "8943005127", date(2026, 11, 2), xml) == (
        expected.replace("qr-test.", "qr.")
    )


def _images(pdf: bytes) -> list[object]:
    from pypdf import PdfReader

    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        out += [img.image for img in page.images]
    return out


@pytest.mark.parametrize(
    "number", [None, ksef_number("8943005127", date(2026, 11, 2), "0100001AF629")]
)
def test_qr_in_the_pdf_decodes_to_the_link_with_its_label(number: str | None) -> None:
    import zxingcpp

    from tests.integration.invoicing_helpers import pdf_text

    doc, xml = _fixed()
    link = kod_i_link(QR_TEST, "8943005127", date(2026, 11, 2), xml)
    assert number is None or valid_ksef_number(number)
    label = number or "OFFLINE"
    pdf = render_invoice({**doc, "ksef": {"number": number, "link": link, "label": label}})
    [image] = _images(pdf)
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == [link]
    text = pdf_text(pdf)
    assert label in text
    assert ("Numer KSeF: " + number) in text if number else "OFFLINE" in text


def test_no_qr_on_a_consumer_invoice() -> None:
    doc, _ = _fixed()
    assert _images(render_invoice(doc)) == []
