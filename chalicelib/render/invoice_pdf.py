"""The invoice PDF (faktura VAT / faktura korygująca), Polish, DejaVu fonts from the bundle.

``render_invoice(doc)`` takes the plain document built by ``services.billing.invoice_doc``
(no store types here) and returns the PDF bytes. The output depends only on the document
(the creation date is the issue date), so rendering again gives the same file.
fpdf2 is imported lazily: about 150 ms of import time the API Lambda does not need.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from chalicelib.domain.invoices import SETTLEMENT_CREDIT, SETTLEMENT_TEXT, amount_in_words
from chalicelib.domain.money import format_pln

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"


def _pdf(creation: date) -> Any:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_creation_date(datetime(creation.year, creation.month, creation.day, tzinfo=UTC))
    pdf.set_compression(True)
    pdf.add_font(FAMILY, "", str(REGULAR))
    pdf.add_font(FAMILY, "B", str(BOLD))
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(12, 12, 12)
    return pdf


def blank_page() -> bytes:
    """One page with the same fonts and no content: the benchmark's floor."""
    pdf = _pdf(date(2026, 1, 1))
    pdf.add_page()
    pdf.set_font(FAMILY, "", 9)
    pdf.set_font(FAMILY, "B", 9)
    return bytes(pdf.output())


def _d(iso: str) -> str:
    """2026-11-30 → 30.11.2026."""
    y, m, d = iso.split("-")
    return f"{d}.{m}.{y}"


def _num(value: str, places: int | None = None) -> str:
    """Polish number: decimal comma, thin grouping; trailing zeros of quantities trimmed."""
    dec = Decimal(value)
    if places is not None:
        dec = dec.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{dec:,.{places}f}"
    else:
        text = f"{dec.normalize():,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",")


def _price(value: str) -> str:
    """A unit price with its full published precision: at least two decimals (13,70 zł,
    never 13,7), more when the tariff has them (0,0093 zł/kWh)."""
    dec = Decimal(value)
    exponent = dec.normalize().as_tuple().exponent
    places = max(2, -exponent if isinstance(exponent, int) else 2)
    return _num(value, places)


def _zl(grosze: int) -> str:
    return format_pln(grosze).replace("\u00a0", " ")


def _block(pdf: Any, x: float, y: float, w: float, title: str, rows: list[str]) -> float:
    pdf.set_xy(x, y)
    pdf.set_font(FAMILY, "B", 8)
    pdf.cell(w, 4.5, title, new_x="LEFT", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    for row in rows:
        pdf.set_x(x)
        pdf.multi_cell(w, 4.5, row, new_x="LEFT", new_y="NEXT")
    return float(pdf.get_y())


def _lines(pdf: Any, w: float, h: float, text: str) -> int:
    """How many lines ``multi_cell(w, h, text)`` takes. A one-line text well inside the
    cell's width (most cells: amounts, units, dates) is told by its width alone; any other is
    broken as multi_cell breaks it (a dry run), so the answer is always multi_cell's."""
    if "\n" not in text and pdf.get_string_width(text) < 0.98 * (w - 2 * pdf.c_margin):
        return 1
    return max(1, len(pdf.multi_cell(w, h, text, dry_run=True, output="LINES")))


def _table(
    pdf: Any,
    widths: list[float],
    aligns: str,
    header: list[str],
    rows: list[list[str]],
    bold_last: bool = False,
) -> None:
    pdf.set_font(FAMILY, "B", 7)
    pdf.set_fill_color(235, 238, 242)
    head_lines = max(
        _lines(pdf, w, 3.5, text) for w, text in zip(widths, header, strict=True) if w >= 1
    )
    head_h = 3.5 * head_lines + 1.5
    y0, x = pdf.get_y(), pdf.get_x()
    x0 = x
    for w, text, a in zip(widths, header, aligns, strict=True):
        pdf.rect(x, y0, w, head_h, style="DF")
        if w >= 1:
            pdf.set_xy(x, y0 + 0.75)
            pdf.multi_cell(w, 3.5, text, border=0, align=a)
        x += w
    pdf.set_xy(x0, y0 + head_h)
    pdf.set_font(FAMILY, "", 7.5)
    for i, row in enumerate(rows):
        if bold_last and i == len(rows) - 1:
            pdf.set_font(FAMILY, "B", 7.5)
        # Any cell may wrap (long names, units, periods): measure every one and give the
        # row the height of the tallest, so nothing runs over into the next cell.
        lines = max(_lines(pdf, w, 4, text) for w, text in zip(widths, row, strict=True) if w >= 1)
        height = 4 * lines + 0.5
        if pdf.get_y() + height > pdf.h - 20:
            pdf.add_page()
        y0, x0 = pdf.get_y(), pdf.get_x()
        x = x0
        for w, text, a in zip(widths, row, aligns, strict=True):
            pdf.set_xy(x, y0)
            if w >= 1:
                pdf.multi_cell(w, 4, text, border=0, align=a)
            pdf.rect(x, y0, w, height)
            x += w
        pdf.set_xy(x0, y0 + height)


def _heading(pdf: Any, doc: dict[str, Any], correction: bool) -> None:
    """Title and number (Polish, the invoice's language; the customer's language under it),
    dates on the right, for a correction the invoice it corrects and why."""
    y_head = pdf.get_y()
    pdf.set_font(FAMILY, "B", 15)
    title = "Faktura korygująca" if correction else "Faktura VAT"
    pdf.multi_cell(106, 7, f"{title} nr {doc['number']}", align="L", new_x="LMARGIN", new_y="NEXT")
    translated = HEADINGS.get(doc.get("lang") or "pl", {}).get(
        "correction" if correction else "invoice"
    )
    if translated:
        pdf.set_font(FAMILY, "", 10)
        pdf.multi_cell(106, 5, translated, align="L", new_x="LMARGIN", new_y="NEXT")
    y_left = pdf.get_y()
    pdf.set_xy(118, y_head)
    pdf.set_font(FAMILY, "", 8)
    pdf.multi_cell(
        0,
        4,
        f"Data wystawienia: {_d(doc['issue_date'])}\n"
        f"Miejsce wystawienia: {doc['place']}\n"
        f"Okres rozliczeniowy: {_d(doc['period_from'])} – {_d(doc['period_to'])}\n"
        f"Data dostawy: {_d(doc['period_to'])}",
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_y(max(pdf.get_y(), y_left))
    if correction:
        pdf.set_font(FAMILY, "", 8.5)
        pdf.multi_cell(
            0,
            4.5,
            f"Dotyczy faktury nr {doc['corrects_number']} z dnia {_d(doc['corrects_issue_date'])}. "
            f"Przyczyna korekty: {doc.get('correction_reason') or '—'}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(2)


def _parties(pdf: Any, doc: dict[str, Any]) -> None:
    """Seller, buyer (and a recipient), the place of supply and the contract."""
    y = pdf.get_y()
    seller, buyer = doc["seller"], doc["buyer"]
    y1 = _block(
        pdf, 12, y, 90, "SPRZEDAWCA", [seller["name"], seller["address"], f"NIP: {seller['nip']}"]
    )
    buyer_rows = [buyer["name"], buyer["address"]]
    if buyer.get("nip"):
        buyer_rows.append(f"NIP: {buyer['nip']}")
    buyer_rows.append(f"Numer klienta: {buyer['customer_no']}")
    y2 = _block(pdf, 108, y, 90, "NABYWCA", buyer_rows)
    recipient = doc.get("recipient")
    if recipient:  # a municipal unit under VAT centralisation (FA(3) Podmiot3)
        rows = [recipient["name"], recipient["address"]]
        if recipient.get("nip"):
            rows.append(f"NIP: {recipient['nip']}")
        title = "ODBIORCA (jednostka gminy)" if recipient.get("jst") else "ODBIORCA"
        y2 = _block(pdf, 108, y2 + 1.5, 90, title, rows)
    pdf.set_xy(12, max(y1, y2) + 2)
    pdf.set_font(FAMILY, "", 8)
    pdf.multi_cell(
        0,
        4,
        f"{_supply_label(doc)}: {doc['supply_address']}"
        + (f" · kod PPE {doc['ppe']}" if doc.get("ppe") else "")
        + f" · umowa {doc['contract_no']} · grupa taryfowa {doc['tariff_group']}"
        + (
            f" · moc zamówiona {_num(doc['ordered_capacity_mw'])} MW"
            if doc.get("ordered_capacity_mw")
            else ""
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)


def render_invoice(doc: dict[str, Any]) -> bytes:
    issue = date.fromisoformat(doc["issue_date"])
    pdf = _pdf(issue)
    pdf.add_page()
    pdf.set_title(f"Faktura {doc['number']}")
    pdf.set_author(doc["seller"]["name"])
    correction = doc.get("kind") == "correction"

    _heading(pdf, doc, correction)
    _parties(pdf, doc)

    # Readings
    if doc.get("meters"):
        pdf.set_font(FAMILY, "B", 9)
        pdf.cell(0, 5, "Odczyty liczników", new_x="LMARGIN", new_y="NEXT")
        rows = []
        for m in doc["meters"]:
            for reg, usage in m["usage"].items():
                rows.append(
                    [
                        m["serial"],
                        REGISTER_NAMES.get(reg, reg),
                        f"{_d(m['opening']['read_on'])}: {_num(m['opening']['values'][reg])}"
                        + (" (szac.)" if m["opening"]["kind"] == "estimate" else ""),
                        f"{_d(m['closing']['read_on'])}: {_num(m['closing']['values'][reg])}",
                        "szacunkowy" if m["closing"]["kind"] == "estimate" else "rzeczywisty",
                        _num(usage),
                    ]
                )
        _table(
            pdf,
            [30, 36, 36, 36, 26, 22],
            "LLRRCR",
            [
                "Licznik",
                "Rejestr",
                "Odczyt poprzedni",
                "Odczyt bieżący",
                "Rodzaj odczytu",
                "Zużycie",
            ],
            rows,
        )
        pdf.ln(2)

    # Lines
    pdf.set_font(FAMILY, "B", 9)
    pdf.cell(
        0,
        5,
        "Pozycje" if not correction else "Pozycje korekty (różnica)",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    rows = []
    for i, ln in enumerate(doc["lines"], start=1):
        name = ln["name_pl"] + (" *" if ln.get("estimated") else "")
        rows.append(
            [
                str(i),
                name,
                f"{_d(ln['period_from'])}–{_d(ln['period_to'])}",
                _num(ln["quantity"]),
                ln["unit"],
                _price(ln["unit_price"]),
                _zl(ln["net"]),
                ln["vat_rate"] + "%",
            ]
        )
    _table(
        pdf,
        [8, 56, 34, 18, 13, 21, 25, 11],
        "RLCRCRRR",
        [
            "Lp.",
            "Nazwa towaru lub usługi",
            "Okres",
            "Ilość",
            "J.m.",
            "Cena netto",
            "Wartość netto",
            "VAT",
        ],
        rows,
    )
    pdf.ln(2)

    # VAT summary
    pdf.set_font(FAMILY, "B", 9)
    pdf.cell(0, 5, "Podsumowanie według stawek VAT", new_x="LMARGIN", new_y="NEXT")
    rows = [
        [r["vat_rate"] + "%", "", _zl(r["net"]), _zl(r["vat"]), _zl(r["gross"])]
        for r in doc["rates"]
    ]
    rows.append(["Razem", "", _zl(doc["net"]), _zl(doc["vat"]), _zl(doc["gross"])])
    _table(
        pdf,
        [30, 0.01, 40, 40, 40],
        "LLRRR",
        ["Stawka VAT", "", "Wartość netto", "Kwota VAT", "Wartość brutto"],
        rows,
        bold_last=True,
    )
    pdf.ln(3)

    if correction and doc.get("state_before") and doc.get("state_after"):
        _before_after(pdf, doc["state_before"], doc["state_after"])
    if doc.get("comparison"):
        _comparison(pdf, doc["comparison"])
    _amount(pdf, doc)
    if doc.get("ksef"):
        _ksef(pdf, doc["ksef"])
    basis = (
        "Zużycie ustalone szacunkowo (brak odczytu rzeczywistego na koniec okresu). Pozycje oznaczone * "
        "zostaną rozliczone po najbliższym odczycie rzeczywistym — podaj odczyt w eBOK."
        if doc.get("estimated")
        else "Zużycie ustalone na podstawie odczytu rzeczywistego."
    )
    pdf.multi_cell(0, 4.5, basis, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 7)
    pdf.ln(2)
    pdf.multi_cell(
        0,
        3.5,
        "Faktura wystawiona elektronicznie w eBOK. Dokument nie wymaga podpisu. "
        "Pogotowie ciepłownicze 993 · pogotowie energetyczne 991 · numer alarmowy 112.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def _before_after(pdf: Any, before: dict[str, Any], after: dict[str, Any]) -> None:
    """Stan przed korektą i po korekcie, per position, and the difference (after − before)."""
    pdf.set_font(FAMILY, "B", 9)
    pdf.cell(0, 5, "Stan przed korektą i po korekcie", new_x="LMARGIN", new_y="NEXT")
    b = {(ln["code"], ln["period_from"], ln["unit_price"]): ln for ln in before["lines"]}
    a = {(ln["code"], ln["period_from"], ln["unit_price"]): ln for ln in after["lines"]}
    rows = []
    for key in list(b) + [k for k in a if k not in b]:
        lb, la = b.get(key), a.get(key)
        ref = la or lb
        assert ref is not None
        net_b, net_a = int(lb["net"]) if lb else 0, int(la["net"]) if la else 0
        rows.append(
            [
                "",
                ref["name_pl"],
                _num(lb["quantity"]) if lb else "0",
                _num(la["quantity"]) if la else "0",
                _zl(net_b),
                _zl(net_a),
                _zl(net_a - net_b),
            ]
        )
    rows.append(
        [
            "",
            "Razem brutto",
            "",
            "",
            _zl(before["gross"]),
            _zl(after["gross"]),
            _zl(after["gross"] - before["gross"]),
        ]
    )
    _table(
        pdf,
        [0.01, 62, 20, 20, 28, 28, 28],
        "LLRRRRR",
        [
            "",
            "Pozycja",
            "Ilość przed",
            "Ilość po",
            "Netto przed korektą",
            "Netto po korekcie",
            "Różnica",
        ],
        rows,
        bold_last=True,
    )
    pdf.ln(2)


def _amount(pdf: Any, doc: dict[str, Any]) -> None:
    """Do zapłaty with the deadline and the account, or do zwrotu with how it is settled
    (never a payment deadline for money the customer gets back)."""
    gross = int(doc["gross"])
    pdf.set_font(FAMILY, "B", 12)
    label = "Do zapłaty" if gross >= 0 else "Do zwrotu"
    pdf.cell(0, 7, f"{label}: {_zl(abs(gross))}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.cell(0, 5, f"Słownie: {amount_in_words(abs(gross))}", new_x="LMARGIN", new_y="NEXT")
    if gross < 0:
        pdf.multi_cell(0, 4.5, SETTLEMENT_TEXT[SETTLEMENT_CREDIT][0], new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        return
    pdf.cell(
        0,
        5,
        f"Termin płatności: {_d(doc['due_date'])} · forma płatności: przelew",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FAMILY, "B", 9)
    pdf.cell(0, 5, f"Numer rachunku do wpłat: {doc['bank_account']}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 8)
    pdf.cell(
        0, 4.5, "Tytuł przelewu: numer faktury i numer klienta.", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)


# The heading in the customer's language (beside the Polish one, which the law reads).
HEADINGS: dict[str, dict[str, str]] = {
    "en": {"invoice": "VAT invoice", "correction": "Correcting invoice (credit/debit note)"},
}


def _supply_label(doc: dict[str, Any]) -> str:
    """Heat is delivered at a "miejsce dostarczania ciepła" (heat tariff regulation);
    electricity is taken at a "punkt poboru energii" (PPE)."""
    return "Miejsce dostarczania ciepła" if doc.get("product") == "heat" else "Punkt poboru energii"


def _comparison(pdf: Any, c: dict[str, Any]) -> None:
    """Consumption now and in the same period of the previous year, in figures and bars."""
    pdf.set_font(FAMILY, "B", 9)
    pdf.cell(
        0,
        5,
        "Porównanie zużycia z analogicznym okresem roku poprzedniego",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    current = Decimal(c["current"])
    previous = Decimal(c["previous"]) if c.get("previous") is not None else None
    top = max(current, previous or Decimal(0), Decimal(1))
    rows = [("Bieżący okres", current), (f"{c['previous_from']} – {c['previous_to']}", previous)]
    pdf.set_font(FAMILY, "", 8)
    for label, value in rows:
        y = pdf.get_y()
        pdf.cell(45, 5, label)
        if value is None:
            pdf.cell(0, 5, "brak danych (umowa krócej niż rok)", new_x="LMARGIN", new_y="NEXT")
            continue
        width = float(Decimal(90) * value / top)
        pdf.set_fill_color(60, 110, 160)
        if width > 0:
            pdf.rect(pdf.l_margin + 45, y + 1, width, 3, style="F")
        pdf.set_xy(pdf.l_margin + 45 + width + 2, y)
        pdf.cell(0, 5, f"{_num(str(value))} {c['unit']}", new_x="LMARGIN", new_y="NEXT")
    if previous:
        change = (current - previous) / previous * 100
        pdf.cell(0, 5, f"Zmiana: {_num(str(change), 1)}%", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def qr_png(link: str) -> bytes:
    """KOD I as a PNG (segno, imported lazily: pure Python, ISO/IEC 18004), error
    correction M, 4-module quiet zone."""
    import io

    import segno

    buf = io.BytesIO()
    segno.make_qr(link, error="m").save(buf, kind="png", scale=6, border=4)
    return buf.getvalue()


LABEL_W = 46.0


def _ksef(pdf: Any, ksef: dict[str, Any]) -> None:
    """The verification QR code (KOD I) with its label under it (the KSeF number, or
    OFFLINE while none is assigned) and the link in words, as ``kody-qr.md`` shows."""
    import io

    size = 32.0
    if pdf.get_y() + size + 12 > pdf.h - 15:
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y()
    pdf.image(io.BytesIO(qr_png(ksef["link"])), x=x, y=y, w=size, h=size)
    # The label under the code: a KSeF number is 35 characters, wider than the code itself.
    pdf.set_xy(x, y + size)
    pdf.set_font(FAMILY, "B", 6)
    if ksef.get("number"):
        pdf.cell(LABEL_W, 4, ksef["label"], align="L")
    else:
        pdf.cell(size, 4, ksef["label"], align="C")
    pdf.set_xy(x + LABEL_W + 3, y + 2)
    pdf.set_font(FAMILY, "B", 9)
    number = ksef.get("number")
    pdf.multi_cell(
        0,
        5,
        f"Numer KSeF: {number}" if number else "Numer KSeF: nie nadano (OFFLINE)",
        new_x="LEFT",
        new_y="NEXT",
    )
    pdf.set_font(FAMILY, "", 7.5)
    pdf.multi_cell(
        0,
        3.8,
        "Faktura ustrukturyzowana w Krajowym Systemie e-Faktur. Zeskanuj kod, aby sprawdzić "
        "fakturę w KSeF i pobrać jej plik XML:",
        new_x="LEFT",
        new_y="NEXT",
    )
    pdf.set_font(FAMILY, "", 6.5)
    pdf.multi_cell(0, 3.5, ksef["link"], new_x="LEFT", new_y="NEXT")
    pdf.set_xy(pdf.l_margin, y + size + 6)


REGISTER_NAMES = {
    "heat_gj": "ciepło [GJ]",
    "water_m3": "nośnik (woda) [m³]",
    "total": "energia [kWh]",
    "day": "strefa dzienna [kWh]",
    "night": "strefa nocna [kWh]",
}
