"""FA(3) XML (e-faktura for KSeF) from the plain invoice document (``services.billing.invoice_doc``).

Schema: ``schemat_FA(3)_v1-0E.xsd`` (namespace ``http://crd.gov.pl/wzor/2025/06/25/13775/``).
What the invoice carries (art. 106e of the VAT act) maps as:

- P_1 issue date, P_1M place of issue, P_2 number, OkresFa (P_6_Od/P_6_Do) billing period;
- Podmiot1 seller (NIP, name, address), Podmiot2 buyer (NIP or BrakID for a consumer,
  its customer number as NrKlienta, JST/GV flags), Podmiot3 the recipient (Odbiorca) when it
  is not the buyer: under municipal VAT centralisation a municipal unit is invoiced with the
  municipality as buyer (Podmiot2, JST = 1) and the unit as Podmiot3 with role 8
  (JST – odbiorca);
- one FaWiersz per invoice line: P_7 name, P_8A unit, P_8B quantity, P_9A net unit price,
  P_11 net value, P_12 rate; P_13_x/P_14_x net and VAT per rate, P_15 the total due;
- Platnosc: the due date, transfer (FormaPlatnosci 6) to the customer's virtual account;
- a correcting invoice (RodzajFaktury KOR): PrzyczynaKorekty, TypKorekty, DaneFaKorygowanej
  with the corrected invoice's KSeF number (or NrKSeFN when it was issued outside KSeF),
  the lines before (StanPrzed = 1) and after; P_13/P_14/P_15 carry the difference.

Pure: the caller passes the document and the creation time; ``xml.etree`` only.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

NS = "http://crd.gov.pl/wzor/2025/06/25/13775/"
SYSTEM_INFO = "eBOK"
FORM_OF_PAYMENT_TRANSFER = "6"  # przelew
ROLE_JST_RECIPIENT = "8"  # JST – odbiorca
ROLE_RECIPIENT = "2"  # Odbiorca
CORRECTION_EFFECT = "2"  # TypKorekty 2: in the period the correction is issued in

# VAT rate → (net field, VAT field) of the summary (P_13_x / P_14_x).
RATE_FIELDS = {
    "23": ("P_13_1", "P_14_1"),
    "22": ("P_13_1", "P_14_1"),
    "8": ("P_13_2", "P_14_2"),
    "7": ("P_13_2", "P_14_2"),
    "5": ("P_13_3", "P_14_3"),
}
SUMMARY_ORDER = ("P_13_1", "P_14_1", "P_13_2", "P_14_2", "P_13_3", "P_14_3")


class Fa3Error(ValueError):
    """The document cannot be expressed in FA(3) (an unknown VAT rate)."""


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def _amount(grosze: int) -> str:
    sign = "-" if grosze < 0 else ""
    zl, gr = divmod(abs(int(grosze)), 100)
    return f"{sign}{zl}.{gr:02d}"


def _decimal(value: Any, places: int) -> str:
    """A plain decimal with at most ``places`` places, no exponent, no trailing zeros."""
    d = Decimal(str(value)).quantize(Decimal(1).scaleb(-places)).normalize()
    text = f"{d:f}"
    return "0" if text in ("-0", "") else text


def _rate(value: Any) -> str:
    text = _decimal(value, 2)
    if text not in RATE_FIELDS:
        raise Fa3Error(f"VAT rate {value!r} has no FA(3) summary field here")
    return text


def _address(parent: ET.Element, one_line: str) -> None:
    """``ul. Legnicka 12/4, 53-674 Wrocław`` → AdresL1 (street) and AdresL2 (postal code, city)."""
    adres = _sub(parent, "Adres")
    _sub(adres, "KodKraju", "PL")
    street, sep, rest = one_line.rpartition(", ")
    _sub(adres, "AdresL1", street if sep else one_line)
    if sep:
        _sub(adres, "AdresL2", rest)


def _seller(root: ET.Element, seller: Mapping[str, Any]) -> None:
    p1 = _sub(root, "Podmiot1")
    ids = _sub(p1, "DaneIdentyfikacyjne")
    _sub(ids, "NIP", seller["nip"])
    _sub(ids, "Nazwa", seller["name"])
    _address(p1, seller["address"])


def _buyer(root: ET.Element, buyer: Mapping[str, Any], municipal: bool) -> None:
    p2 = _sub(root, "Podmiot2")
    ids = _sub(p2, "DaneIdentyfikacyjne")
    if buyer.get("nip"):
        _sub(ids, "NIP", buyer["nip"])
    else:
        _sub(ids, "BrakID", "1")  # a consumer: no tax identifier
    _sub(ids, "Nazwa", buyer["name"])
    _address(p2, buyer["address"])
    if buyer.get("customer_no"):
        _sub(p2, "NrKlienta", str(buyer["customer_no"]))
    _sub(p2, "JST", "1" if municipal else "2")
    _sub(p2, "GV", "2")


def _recipient(root: ET.Element, recipient: Mapping[str, Any]) -> None:
    """Podmiot3: the unit that receives the supply when it is not the buyer."""
    p3 = _sub(root, "Podmiot3")
    ids = _sub(p3, "DaneIdentyfikacyjne")
    if recipient.get("nip"):
        _sub(ids, "NIP", recipient["nip"])
    else:
        _sub(ids, "BrakID", "1")
    _sub(ids, "Nazwa", recipient["name"])
    _address(p3, recipient["address"])
    _sub(p3, "Rola", ROLE_JST_RECIPIENT if recipient.get("jst") else ROLE_RECIPIENT)
    if recipient.get("customer_no"):
        _sub(p3, "NrKlienta", str(recipient["customer_no"]))


def _summary(fa: ET.Element, rates: Sequence[Mapping[str, Any]]) -> None:
    values: dict[str, int] = {}
    for r in rates:
        net_field, vat_field = RATE_FIELDS[_rate(r["vat_rate"])]
        values[net_field] = values.get(net_field, 0) + int(r["net"])
        values[vat_field] = values.get(vat_field, 0) + int(r["vat"])
    for name in SUMMARY_ORDER:
        if name in values:
            _sub(fa, name, _amount(values[name]))


def _annotations(fa: ET.Element) -> None:
    """Adnotacje: no cash accounting, no self-billing, no reverse charge, no split payment
    marking, no exemption, no new means of transport, no simplified procedure, no margin."""
    adn = _sub(fa, "Adnotacje")
    for name in ("P_16", "P_17", "P_18", "P_18A"):
        _sub(adn, name, "2")
    _sub(_sub(adn, "Zwolnienie"), "P_19N", "1")
    _sub(_sub(adn, "NoweSrodkiTransportu"), "P_22N", "1")
    _sub(adn, "P_23", "2")
    _sub(_sub(adn, "PMarzy"), "P_PMarzyN", "1")


def _line(fa: ET.Element, no: int, ln: Mapping[str, Any], before: bool = False) -> None:
    row = _sub(fa, "FaWiersz")
    _sub(row, "NrWierszaFa", str(no))
    _sub(row, "P_6A", ln["period_to"])
    _sub(row, "P_7", f"{ln['name_pl']} ({ln['period_from']} – {ln['period_to']})")
    _sub(row, "P_8A", ln["unit"])
    _sub(row, "P_8B", _decimal(ln["quantity"], 6))
    _sub(row, "P_9A", _decimal(ln["unit_price"], 8))
    _sub(row, "P_11", _amount(int(ln["net"])))
    _sub(row, "P_12", _rate(ln["vat_rate"]))
    if before:
        _sub(row, "StanPrzed", "1")


def _correction(fa: ET.Element, doc: Mapping[str, Any]) -> None:
    _sub(fa, "PrzyczynaKorekty", doc.get("correction_reason") or "korekta zużycia")
    _sub(fa, "TypKorekty", CORRECTION_EFFECT)
    ref = _sub(fa, "DaneFaKorygowanej")
    _sub(ref, "DataWystFaKorygowanej", doc["corrects_issue_date"])
    _sub(ref, "NrFaKorygowanej", doc["corrects_number"])
    if doc.get("corrects_ksef_number"):
        _sub(ref, "NrKSeF", "1")
        _sub(ref, "NrKSeFFaKorygowanej", doc["corrects_ksef_number"])
    else:
        _sub(ref, "NrKSeFN", "1")  # the corrected invoice was issued outside KSeF


def _payment(fa: ET.Element, doc: Mapping[str, Any]) -> None:
    pay = _sub(fa, "Platnosc")
    if int(doc["gross"]) >= 0:
        _sub(_sub(pay, "TerminPlatnosci"), "Termin", doc["due_date"])
    _sub(pay, "FormaPlatnosci", FORM_OF_PAYMENT_TRANSFER)
    account = _sub(pay, "RachunekBankowy")
    _sub(account, "NrRB", str(doc["bank_account"]).replace(" ", ""))
    _sub(account, "OpisRachunku", "rachunek indywidualny klienta (wirtualny)")


def _lines(fa: ET.Element, doc: Mapping[str, Any], correction: bool) -> None:
    if not correction or not doc.get("state_before") or not doc.get("state_after"):
        for i, ln in enumerate(doc["lines"], start=1):
            _line(fa, i, ln)
        return
    no = 0
    for ln in doc["state_before"]["lines"]:
        no += 1
        _line(fa, no, ln, before=True)
    for ln in doc["state_after"]["lines"]:
        no += 1
        _line(fa, no, ln)


def build(doc: Mapping[str, Any], created_at: str) -> bytes:
    """The FA(3) XML of an invoice or a correcting invoice (UTF-8 bytes).

    ``created_at``: DataWytworzeniaFa, UTC ISO-8601 (``2026-12-01T03:00:00Z``)."""
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}Faktura")
    q = lambda tag: f"{{{NS}}}{tag}"  # noqa: E731
    head = ET.SubElement(root, q("Naglowek"))
    form = ET.SubElement(
        head, q("KodFormularza"), {"kodSystemowy": "FA (3)", "wersjaSchemy": "1-0E"}
    )
    form.text = "FA"
    ET.SubElement(head, q("WariantFormularza")).text = "3"
    ET.SubElement(head, q("DataWytworzeniaFa")).text = created_at
    ET.SubElement(head, q("SystemInfo")).text = SYSTEM_INFO
    body = ET.Element("body")
    _seller(body, doc["seller"])
    recipient = doc.get("recipient")
    _buyer(body, doc["buyer"], municipal=bool(recipient and recipient.get("jst")))
    if recipient:
        _recipient(body, recipient)
    correction = doc.get("kind") == "correction"
    fa = _sub(body, "Fa")
    _sub(fa, "KodWaluty", "PLN")
    _sub(fa, "P_1", doc["issue_date"])
    if doc.get("place"):
        _sub(fa, "P_1M", doc["place"])
    _sub(fa, "P_2", doc["number"])
    period = _sub(fa, "OkresFa")
    _sub(period, "P_6_Od", doc["period_from"])
    _sub(period, "P_6_Do", doc["period_to"])
    _summary(fa, doc["rates"])
    _sub(fa, "P_15", _amount(int(doc["gross"])))
    _annotations(fa)
    _sub(fa, "RodzajFaktury", "KOR" if correction else "VAT")
    if correction:
        _correction(fa, doc)
    _extra(fa, doc)
    _lines(fa, doc, correction)
    _payment(fa, doc)
    for child in list(body):
        _qualify(child)
        root.append(child)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _extra(fa: ET.Element, doc: Mapping[str, Any]) -> None:
    """DodatkowyOpis: the contract and the supply point, which the printed invoice shows."""
    pairs = [("Umowa", doc.get("contract_no")), ("Miejsce dostawy", doc.get("supply_address"))]
    if doc.get("ppe"):
        pairs.append(("Kod PPE", doc["ppe"]))
    for key, value in pairs:
        if value:
            row = _sub(fa, "DodatkowyOpis")
            _sub(row, "Klucz", key)
            _sub(row, "Wartosc", str(value))


def _qualify(el: ET.Element) -> None:
    """Elements built without a namespace get the FA(3) one (the default namespace)."""
    for node in el.iter():
        if not node.tag.startswith("{"):
            node.tag = f"{{{NS}}}{node.tag}"
