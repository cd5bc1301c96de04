"""The consumption report PDF (raport sezonu grzewczego / roczny raport zużycia energii) and
its CSV twin, from the plain report document of ``services.reports`` (no store types).

Same renderer family as the invoice: fpdf2 imported lazily, the DejaVu fonts of
``render/fonts`` (Polish letters), a fixed creation date (the same document gives the same
file). The month chart is drawn with fpdf primitives: bars for this period, a line with
markers for the same months a year earlier.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from chalicelib.domain.money import format_pln
from chalicelib.render.consumption_csv import BOM, decimal_comma, zl
from chalicelib.render.invoice_pdf import BOLD, FAMILY, REGULAR

MONTHS_PL = ["sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru"]
TITLES = {
    "heat_season": ("Raport sezonu grzewczego", "Heating-season report"),
    "electricity_year": ("Roczny raport zużycia energii elektrycznej", "Electricity yearly report"),
}
UNITS = {"heat_season": "GJ", "electricity_year": "kWh"}


def month_value(kind: str, usage: Mapping[str, str]) -> Decimal:
    """The month's use shown on the chart: heat GJ, or kWh over the energy registers."""
    if kind == "heat_season":
        return Decimal(usage.get("heat_gj", "0"))
    if "total" in usage:
        return Decimal(usage["total"])
    return Decimal(usage.get("day", "0")) + Decimal(usage.get("night", "0"))


def _num(value: str | Decimal, places: int | None = None) -> str:
    """Polish number: decimal comma, space grouping."""
    dec = Decimal(value)
    text = f"{dec:,.{places}f}" if places is not None else f"{dec.normalize():,f}"
    return text.replace(",", " ").replace(".", ",")


def _zl(grosze: int) -> str:
    return format_pln(grosze).replace("\u00a0", " ")


def _label(month: str) -> str:
    return f"{MONTHS_PL[int(month[5:]) - 1]} {month[2:4]}"


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


def _chart(pdf: Any, kind: str, months: Sequence[Mapping[str, Any]], x: float, y: float) -> None:
    """Bars (this period) and a line (a year earlier) per month, with a labelled axis."""
    w, h = 186.0, 62.0
    now = [month_value(kind, m["usage"]) for m in months]
    before = [
        month_value(kind, m["usage_last_year"]) if m["usage_last_year"] else None for m in months
    ]
    top = max([*now, *(b for b in before if b is not None), Decimal(1)])
    scale = Decimal(str(h - 12)) / top
    base_y = y + h - 6
    pdf.set_draw_color(200, 204, 210)
    pdf.set_font(FAMILY, "", 6.5)
    for i in range(5):  # grid lines with values
        gy = base_y - float(Decimal(i) * (top / 4) * scale)
        pdf.line(x + 14, gy, x + w, gy)
        pdf.set_xy(x, gy - 2)
        pdf.cell(13, 4, _num(str((top / 4 * i).quantize(Decimal(1))), 0), align="R")
    slot = (w - 16) / max(1, len(months))
    points: list[tuple[float, float]] = []
    for i, (m, v, b) in enumerate(zip(months, now, before, strict=True)):
        bx = x + 16 + i * slot
        bh = float(v * scale)
        pdf.set_fill_color(232, 119, 34) if not m.get("estimated") else pdf.set_fill_color(
            246, 190, 140
        )
        pdf.rect(bx + slot * 0.15, base_y - bh, slot * 0.7, bh, style="F")
        pdf.set_xy(bx, base_y + 0.5)
        pdf.cell(slot, 4, _label(m["month"]), align="C")
        if b is not None:
            points.append((bx + slot / 2, base_y - float(b * scale)))
    pdf.set_draw_color(40, 70, 120)
    pdf.set_line_width(0.5)
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        pdf.line(x1, y1, x2, y2)
    pdf.set_fill_color(40, 70, 120)
    for px, py in points:
        pdf.ellipse(px - 0.9, py - 0.9, 1.8, 1.8, style="F")
    pdf.set_line_width(0.2)
    pdf.set_xy(x + 16, y)
    pdf.set_font(FAMILY, "", 7)
    pdf.cell(
        0,
        4,
        f"Słupki: ten okres, linia: rok wcześniej [{UNITS[kind]}] · bars: this period, line: a year earlier",
    )
    pdf.set_xy(x, y + h)


def _facts(pdf: Any, rows: Sequence[tuple[str, str]]) -> None:
    for label, value in rows:
        pdf.set_font(FAMILY, "", 8.5)
        pdf.cell(110, 5, label, border="B")
        pdf.set_font(FAMILY, "B", 8.5)
        pdf.cell(0, 5, value, border="B", align="R", new_x="LMARGIN", new_y="NEXT")


def _pct(value: str | None) -> str:
    return "—" if value is None else f"{_num(value)}%"


def _heat_facts(d: Mapping[str, Any]) -> list[tuple[str, str]]:
    s, p = d["season"], d["previous"]
    cwu = s.get("cwu")
    cost = s.get("cost") or {}
    rows = [
        (f"Ciepło w sezonie {s['season']} / heat this season [GJ]", _num(s["heat_gj"])),
        (f"Sezon poprzedni {p['season']} / last season [GJ]", _num(p["heat_gj"])),
        ("Zmiana / change", _pct(d.get("change_pct"))),
        (
            "Zmiana po uwzględnieniu pogody (stopniodni) / weather-normalised",
            _pct(d.get("normalised_change_pct")),
        ),
        ("Stopniodni sezonu / heating degree days", _num(s["hdd"]) if s.get("hdd") else "—"),
        ("Początek sezonu (X–XI) / start [GJ]", _num(s["start_gj"])),
        ("Koniec sezonu (III–IV) / end [GJ]", _num(s["end_gj"])),
        ("Koszt brutto sezonu / gross cost", _zl(cost["gross"]) if cost else "—"),
        ("Opłaty stałe netto / fixed charges (net)", _zl(cost["fixed_net"]) if cost else "—"),
        (
            "Opłaty zmienne netto / variable charges (net)",
            _zl(cost["variable_net"]) if cost else "—",
        ),
    ]
    if cwu:
        label = (
            "CWU w roku (szacunek) / hot water a year (estimate)"
            if cwu["estimated"]
            else "CWU w roku / hot water a year"
        )
        rows.append((f"{label} [GJ]", _num(cwu["year_gj"])))
    return rows


def _power_facts(d: Mapping[str, Any]) -> list[tuple[str, str]]:
    cost = d.get("cost") or {}
    band = d.get("band")
    rows = [
        ("Zużycie w roku / use this year [kWh]", _num(d["total_kwh"])),
        ("Rok wcześniej / a year earlier [kWh]", _num(d["last_year_kwh"])),
        ("Zmiana / change", _pct(d.get("change_pct"))),
        ("Koszt brutto / gross cost", _zl(cost["gross"]) if cost else "—"),
    ]
    if d.get("night_share_pct"):
        rows.append(("Udział strefy nocnej (G12) / night share", _pct(d["night_share_pct"])))
    if band:
        rows.append(("Przedział opłaty mocowej / capacity-charge band", band["label_pl"]))
    return rows


def render_report(doc: Mapping[str, Any], customer: Mapping[str, str], issued: date) -> bytes:
    """The report as a one- or two-page PDF (Polish first, English beside it)."""
    kind = doc["kind"]
    pl, en = TITLES[kind]
    d = doc["data"]
    pdf = _pdf(issued)
    pdf.add_page()
    pdf.set_title(f"{pl} {doc['period']}")
    pdf.set_font(FAMILY, "B", 15)
    pdf.cell(0, 8, f"{pl} {doc['period']}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.cell(0, 5, f"{en} {doc['period']}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.multi_cell(
        0,
        4.5,
        f"{customer['name']} · numer klienta / customer no {doc['customer_no']}\n"
        f"Umowa / contract {doc['contract_no']} · {d.get('city') or ''} "
        f"{d.get('tariff_group') or ''} · sporządzono / issued {issued.strftime('%d.%m.%Y')}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    _chart(pdf, kind, d["months"], 12, pdf.get_y())
    pdf.ln(4)
    _facts(pdf, _heat_facts(d) if kind == "heat_season" else _power_facts(d))
    peers = doc.get("peers")
    if peers:
        pdf.ln(2)
        pdf.set_font(FAMILY, "B", 9)
        pdf.cell(
            0, 5, "Porównanie z podobnymi odbiorcami / similar homes", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font(FAMILY, "", 8.5)
        pdf.multi_cell(0, 4.5, peers["text"], new_x="LMARGIN", new_y="NEXT")
    if doc.get("conclusions"):
        pdf.ln(2)
        pdf.set_font(FAMILY, "B", 9)
        pdf.cell(0, 5, "Wnioski na kolejny sezon / conclusions", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 8.5)
        for c in doc["conclusions"]:
            pdf.multi_cell(0, 4.5, "• " + c["text"], new_x="LMARGIN", new_y="NEXT")
    if d.get("temperature_source") == "demo":
        pdf.ln(1)
        pdf.set_font(FAMILY, "", 7)
        pdf.multi_cell(
            0,
            3.5,
            "Temperatury: dane demonstracyjne / temperatures: demo data",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())


def report_csv(doc: Mapping[str, Any]) -> bytes:
    """The report's months in Polish spreadsheet conventions (``;``, decimal comma, BOM)."""
    kind = doc["kind"]
    unit = UNITS[kind]
    header = [
        "Umowa",
        "Okres raportu",
        "Miesiąc",
        f"Zużycie [{unit}]",
        f"Zużycie rok wcześniej [{unit}]",
        "Odczyt szacowany",
        "Brutto [zł]",
        "Brutto rok wcześniej [zł]",
    ]
    rows = [
        [
            str(doc["contract_no"]),
            str(doc["period"]),
            m["month"],
            decimal_comma(month_value(kind, m["usage"])) if m["usage"] else "",
            decimal_comma(month_value(kind, m["usage_last_year"])) if m["usage_last_year"] else "",
            "tak" if m["estimated"] else "nie",
            zl(m["gross"]),
            zl(m["gross_last_year"]),
        ]
        for m in doc["data"]["months"]
    ]
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, dialect="pl")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
